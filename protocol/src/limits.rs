//! Every bound the wire format enforces, in one place.
//!
//! A length read from the network is checked against one of these before
//! anything is allocated. The relay may configure *tighter* limits (quotas,
//! maximum blob size); it can never accept more than these.

/// Size of a frame header: version (1) + kind (1) + body length (4).
pub const FRAME_HEADER_LEN: usize = 6;

/// Size of one blob segment. Every segment but the last is exactly this long.
pub const SEGMENT_SIZE: usize = 1024 * 1024;

/// Largest message body a mailbox accepts (ciphertext, already padded).
pub const MAX_MESSAGE_LEN: usize = 256 * 1024;

/// Largest frame body in either direction. Large enough for one full segment
/// plus its request fields, and for a fetch response carrying several messages.
pub const MAX_FRAME_BODY: usize = 2 * 1024 * 1024;

/// Largest body of a request that is not a segment upload. A relay reads at
/// most this many bytes for any request kind other than `BlobPut`.
pub const MAX_SMALL_REQUEST_BODY: usize = MAX_MESSAGE_LEN + 4096;

/// Largest blob the wire format can describe (the relay default is the same).
pub const MAX_BLOB_LEN: u64 = 4 * 1024 * 1024 * 1024;

/// Largest number of segments in one blob.
pub const MAX_SEGMENTS: u32 = (MAX_BLOB_LEN / SEGMENT_SIZE as u64) as u32;

/// Largest number of sequence numbers in one acknowledgement.
pub const MAX_ACK_SEQS: usize = 1024;

/// Largest number of entries in one list or fetch response.
pub const MAX_LIST_ITEMS: usize = 1024;

/// How far a signed request's timestamp may be from the relay's clock.
pub const MAX_CLOCK_SKEW_SECS: u64 = 10 * 60;

/// Longest host name accepted in a relay address.
pub const MAX_HOST_LEN: usize = 253;
