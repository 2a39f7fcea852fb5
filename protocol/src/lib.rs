//! # sanad-protocol
//!
//! The Sanad wire protocol as pure functions and types: no sockets, no disk,
//! no clock, no runtime. The relay and the client both drive it.
//!
//! - [`frame`]: the frame header, protocol version and ALPN; size checks
//!   happen here before any body is read.
//! - [`request`] and [`response`]: every message, its strict codec, and the
//!   owner-signing scheme (domain-separated Ed25519, `verify_strict`).
//! - [`ids`]: random identifiers and capabilities; none prints its bytes.
//! - [`address`]: the one-line relay address with its SPKI pin.
//! - [`envelope`]: sealed, padded encryption of a message to a mailbox key.
//! - [`invite`]: the one-line invite (text and QR) that starts a contact.
//! - [`content`]: what one client says to another inside MLS or a sealed
//!   envelope (text, file, hello, group welcome); safe file and display names.
//! - [`safety_number`]: the digits two people compare, and the group check code.
//! - [`evidence`]: evidence manifests signed at capture, their log
//!   commitments, device enrolments, derivative records, the export bundle
//!   and its offline verifier.
//! - [`log`]: the transparency log: Merkle proofs (RFC 9162), signed
//!   checkpoints (C2SP), receipts and their offline verification.
//! - [`tsa`]: RFC 3161 timestamp requests and the offline verification of
//!   the tokens timestamp authorities return (anchoring log checkpoints).
//! - [`limits`]: every bound, in one place.
//! - [`error`]: decode errors and numbered wire error codes.
//!
//! The byte layout is specified in `docs/protocol.md` (client to relay) and
//! `docs/client-formats.md` (client to client, never seen by the relay in
//! clear); test vectors live in `protocol/tests/vectors/`.

#![forbid(unsafe_code)]

pub mod address;
mod codec;
pub mod content;
pub mod envelope;
pub mod error;
pub mod evidence;
pub mod frame;
pub mod ids;
pub mod invite;
pub mod limits;
pub mod log;
pub mod request;
pub mod response;
pub mod safety_number;
pub mod tsa;

pub use address::{RelayAddress, SpkiPin};
pub use content::{Content, ContentError};
pub use error::{DecodeError, ErrorCode};
pub use frame::{Direction, FrameHeader, ALPN, PROTOCOL_VERSION};
pub use ids::{BlobId, DepositKey, Nonce, OwnerKey, ReceiveId, SegmentHash, SendId, UploadToken};
pub use invite::{Invite, InviteError};
pub use log::{Commitment, LogKey, Receipt, ReceiptError, SignedCheckpoint, VerifiedReceipt};
pub use request::Request;
pub use response::Response;
pub use safety_number::SafetyNumber;

/// Number of segments in a blob of `size` bytes.
pub fn segment_count(size: u64) -> u32 {
    size.div_ceil(limits::SEGMENT_SIZE as u64) as u32
}

/// The exact length segment `index` must have in a blob of `size` bytes, or
/// `None` when the index is past the end.
pub fn segment_len(size: u64, index: u32) -> Option<usize> {
    let start = u64::from(index) * limits::SEGMENT_SIZE as u64;
    if start >= size {
        return None;
    }
    Some((size - start).min(limits::SEGMENT_SIZE as u64) as usize)
}
