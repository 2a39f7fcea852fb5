//! Every bound and timing the client uses, in one place.
//!
//! Wire maxima come from [`sanad_protocol::limits`]; the values here are the
//! client's own policy. [`crate::ConnectOptions::default`] takes its values
//! from here.

use std::time::Duration;

use sanad_protocol::frame::{kind, max_body_len};
use sanad_protocol::limits::SEGMENT_SIZE;

/// How long the QUIC handshake may take before QUIC counts as failed
/// (DESIGN §4: our own short bound, not the idle timeout).
pub const QUIC_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long after starting QUIC the TLS-over-TCP attempt starts, unless QUIC
/// has already failed (happy eyeballs).
pub const TCP_DELAY: Duration = Duration::from_millis(300);

/// How long the TCP connect plus TLS handshake may take.
pub const TCP_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A TLS-over-TCP stream unused for this long is replaced by a fresh one
/// before the next request: mobile NATs drop silent TCP flows, and a new
/// handshake costs less than waiting out a stall on a dead stream.
pub const TCP_IDLE_REUSE: Duration = Duration::from_secs(90);

/// A request fails when no byte moves for this long (writing, or waiting for
/// and reading the response). A bound on inactivity, not on total time, so a
/// one-segment upload over a slow 2G link is not cut short.
pub const IO_STALL_TIMEOUT: Duration = Duration::from_secs(60);

/// Bytes written or read per step of a request; each step gets a fresh
/// [`IO_STALL_TIMEOUT`].
pub const IO_CHUNK: usize = 64 * 1024;

/// QUIC keep-alive interval: keeps NAT bindings open and detects a dead path.
pub const QUIC_KEEP_ALIVE: Duration = Duration::from_secs(10);

/// A QUIC connection with no traffic for this long is closed (the relay's
/// own bound is the same; the smaller of the two applies).
pub const QUIC_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// QUIC per-stream receive window: one segment response fits.
pub const QUIC_STREAM_RECEIVE_WINDOW: u32 = 1280 * 1024;

/// QUIC connection receive window: a few segments in flight at once.
pub const QUIC_CONNECTION_RECEIVE_WINDOW: u32 = 6 * 1024 * 1024;

/// QUIC send window: bounds the unacknowledged bytes quinn buffers for us.
pub const QUIC_SEND_WINDOW: u64 = 6 * 1024 * 1024;

/// Kernel receive and send buffers asked for the client's UDP socket (best
/// effort, capped by the system): the system default (often 208 KiB)
/// overflows during a download burst and the relay resends what the kernel
/// dropped.
pub const UDP_SOCKET_BUFFER: usize = 4 * 1024 * 1024;

/// Segments uploaded or downloaded concurrently by default. Two keep a
/// 300 ms-RTT link full up to about 27 Mbit/s while a cut costs at most two
/// segments resent (`docs/benchmarks.md`, choice of default).
pub const SEGMENT_CONCURRENCY: usize = 2;

/// Upper bound on segment concurrency (the relay serves 16 streams per
/// connection; memory is about two segments per worker).
pub const MAX_SEGMENT_CONCURRENCY: usize = 16;

/// Attempts for a request that is safe to repeat (the first included).
pub const REQUEST_ATTEMPTS: u32 = 4;

/// Wait before the second attempt; doubled before each further one.
pub const RETRY_BACKOFF: Duration = Duration::from_millis(500);

/// Rounds of "ask what is missing, send it" before an upload gives up.
pub const UPLOAD_ROUNDS: u32 = 3;

/// Body of a `Segment` response carrying a full segment: index (4), hash
/// (32), length prefix (4), data.
pub const MAX_SEGMENT_RESPONSE_BODY: usize = 4 + 32 + 4 + SEGMENT_SIZE;

/// The largest response body the client reads for a response of kind `k`,
/// checked before the body is allocated. Tighter than the frame limit where
/// the response's shape allows.
pub fn max_response_body(k: u8) -> usize {
    match k {
        kind::SEGMENT => MAX_SEGMENT_RESPONSE_BODY,
        other => max_body_len(other),
    }
}

/// The slowest average rate assumed for a request still crossing the link,
/// in bytes per second. A response is awaited for the stall timeout plus the
/// time the request's bytes take at this rate, because a frame handed to the
/// transport may still be queued locally behind others on a slow link (a
/// 1 MiB segment at 2G rates takes minutes). A dead link is caught sooner by
/// the QUIC idle timeout.
pub const MIN_TRANSFER_RATE: u64 = 1024;

/// How long to wait for the response to a request of `request_len` bytes.
pub fn response_wait(stall: Duration, request_len: usize) -> Duration {
    stall + Duration::from_secs(request_len as u64 / MIN_TRANSFER_RATE)
}

// ---- profile: key file and local store ----------------------------------

/// Argon2id memory cost of a new key file by default, in KiB (256 MiB):
/// DESIGN §3's floor, which [`crate::profile::KdfParams::new`] also enforces.
pub const KDF_DEFAULT_M_KIB: u32 = 262_144;

/// Argon2id passes by default (DESIGN §3's floor). With the default memory
/// this takes about a second on a laptop (`client/tests/profile.rs` prints
/// the figure).
pub const KDF_DEFAULT_T: u32 = 3;

/// Argon2id lanes by default. One lane: the wrapping key is derived once per
/// unlock, and phones have few fast cores.
pub const KDF_DEFAULT_P: u32 = 1;

/// The smallest Argon2id memory cost a key file may name, in KiB (8 MiB).
/// Only [`crate::profile::KdfParams::dangerous_fast_for_tests`] goes this
/// low; reading accepts it so test profiles open.
pub const KDF_MIN_M_KIB: u32 = 8_192;

/// The largest Argon2id memory cost a key file may name, in KiB (4 GiB),
/// checked before anything is allocated: a crafted file cannot ask for more.
pub const KDF_MAX_M_KIB: u32 = 4_194_304;

/// The fewest Argon2id passes a key file may name.
pub const KDF_MIN_T: u32 = 1;

/// The most Argon2id passes a key file may name (bounds the time a crafted
/// file can cost).
pub const KDF_MAX_T: u32 = 16;

/// The fewest Argon2id lanes a key file may name.
pub const KDF_MIN_P: u32 = 1;

/// The most Argon2id lanes a key file may name.
pub const KDF_MAX_P: u32 = 8;

/// The largest value the local store accepts (16 MiB); larger contents
/// belong in the spool as files.
pub const MAX_STORE_VALUE_LEN: usize = 16 * 1024 * 1024;

/// The longest key the local store accepts, without the table byte.
pub const MAX_STORE_KEY_LEN: usize = 1024;

/// The most plaintext bytes (keys and values) one store batch may carry: a
/// batch is held in memory until it is applied.
pub const MAX_STORE_BATCH_LEN: usize = 64 * 1024 * 1024;
/// How long a key package (in an invite or kept by a contact) stays valid.
pub const KEY_PACKAGE_LIFETIME_SECS: u64 = 90 * 24 * 3600;

/// MLS padding: encrypted messages are padded to a multiple of this many
/// bytes (on top of the relay-side sizes being bucketed).
pub const MLS_PADDING: usize = 256;

/// Past epochs whose keys are kept, so messages sent just before a group
/// change still open. Only members of the current epoch may speak.
pub const MLS_MAX_PAST_EPOCHS: usize = 8;

/// Messages of one sender that may arrive out of order.
pub const MLS_OUT_OF_ORDER_TOLERANCE: u32 = 64;

/// Spare key packages sent to each contact (to be added to teams).
pub const SPARE_KEY_PACKAGES: usize = 2;

/// Spare key packages kept per contact (a contact cannot make us store more).
pub const MAX_SPARE_KEY_PACKAGES_KEPT: usize = 8;

/// Messages fetched per request while syncing.
pub const FETCH_BATCH: u16 = 64;

/// The largest file `send --file` takes: the protocol's blob limit less
/// room for the age format's overhead and the padding.
pub const MAX_FILE_LEN: u64 = sanad_protocol::limits::MAX_BLOB_LEN / 8 * 7;

/// Default invite validity.
pub const INVITE_TTL_SECS: u64 = 7 * 24 * 3600;

// ---- evidence: metadata redaction -----------------------------------------

/// Bytes read from a file per step while stripping its metadata
/// (`evidence::redact`): the memory a JPEG or PNG copy takes, besides one
/// JPEG segment (at most 64 KiB).
pub const REDACT_READ_CHUNK: usize = 64 * 1024;

/// The largest WebP file whose metadata can be stripped (64 MiB). A RIFF
/// container states its size before its chunks, so the kept chunks are held
/// in memory until the new size is known; phone photos are a few MiB.
pub const MAX_REDACT_WEBP_LEN: u64 = 64 * 1024 * 1024;

/// The largest dropped Exif chunk (PNG `eXIf`, WebP `EXIF`) read into memory
/// to find the photo's orientation; larger ones are dropped unread. JPEG
/// Exif segments are at most 64 KiB by construction.
pub const MAX_REDACT_EXIF_SCAN: usize = 64 * 1024;
// ---- timestamp anchoring (anchor.rs) -------------------------------------

/// How long connecting to a timestamp authority may take (DNS included).
pub const TSA_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long sending the request and reading the whole answer may take.
/// A bound on the total, so a TSA that trickles bytes cannot hold the desk.
pub const TSA_RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);

/// Longest TSA address accepted.
pub const MAX_TSA_URL_LEN: usize = 2048;

/// Largest HTTP head (status line and headers) read from a TSA.
pub const MAX_HTTP_HEAD_LEN: usize = 16 * 1024;

/// Interim (1xx) HTTP answers skipped before the final one.
pub const MAX_HTTP_INTERIM: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_protocol::limits::MAX_FRAME_BODY;

    #[test]
    fn segment_responses_are_bounded_tighter_than_the_frame_limit() {
        assert!(max_response_body(kind::SEGMENT) < MAX_FRAME_BODY);
        assert_eq!(max_response_body(kind::MESSAGES), MAX_FRAME_BODY);
        assert!(max_response_body(kind::PONG) < MAX_FRAME_BODY);
    }
}
