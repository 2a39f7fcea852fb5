//! Errors: decoding failures (local) and wire error codes (sent by the relay).

use std::fmt;

/// Why bytes could not be decoded. Every variant is a distinct, named failure;
/// decoding never panics and never allocates more than the checked length.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended before the structure was complete.
    #[error("input truncated: needed {needed} more bytes")]
    Truncated {
        /// How many more bytes were needed at the point of failure.
        needed: usize,
    },
    /// Bytes remained after the structure was complete.
    #[error("{0} trailing bytes after the end of the structure")]
    TrailingBytes(usize),
    /// The frame's protocol version is not one this build speaks.
    #[error("unsupported protocol version {0}")]
    UnsupportedVersion(u8),
    /// The frame kind byte is not a known request or response.
    #[error("unknown frame kind 0x{0:02x}")]
    UnknownKind(u8),
    /// A declared length is over the limit for its field.
    #[error("{field} length {len} exceeds the limit of {max}")]
    TooLong {
        /// Which field carried the length.
        field: &'static str,
        /// The declared length.
        len: u64,
        /// The limit for that field.
        max: u64,
    },
    /// A field holds a value outside its allowed range.
    #[error("invalid value in field {0}")]
    InvalidValue(&'static str),
    /// A request arrived where a response was expected, or the reverse.
    #[error("frame kind 0x{0:02x} is not valid in this direction")]
    WrongDirection(u8),
}

/// Numbered error codes carried in an `Error` response. The numbers are
/// stable wire values documented in `docs/protocol.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request frame could not be decoded.
    Malformed = 1,
    /// The frame's protocol version is not supported.
    UnsupportedVersion = 2,
    /// The frame kind is unknown.
    UnknownKind = 3,
    /// The frame is larger than the limit for its kind.
    FrameTooLarge = 4,
    /// The request signature does not verify.
    BadSignature = 10,
    /// The request was already seen (same nonce).
    Replay = 11,
    /// The request timestamp is too far from the relay clock; `value` is the relay's time.
    StaleTimestamp = 12,
    /// No mailbox has this ID.
    UnknownMailbox = 20,
    /// The mailbox holds its maximum number of messages; `value` is the limit.
    MailboxFullCount = 21,
    /// The mailbox holds its maximum number of bytes; `value` is the limit.
    MailboxFullBytes = 22,
    /// The message body is over the relay's maximum; `value` is the limit.
    MessageTooLarge = 23,
    /// No blob has this ID (or it expired).
    UnknownBlob = 30,
    /// The blob is larger than the relay accepts; `value` is the limit.
    BlobTooLarge = 31,
    /// The segment's bytes do not hash to the declared hash.
    SegmentHashMismatch = 32,
    /// The segment index is beyond the blob's last segment.
    SegmentOutOfRange = 33,
    /// The upload token is wrong for this blob.
    BadUploadToken = 34,
    /// The blob is not complete yet; it cannot be downloaded.
    BlobNotSealed = 35,
    /// The segment has the wrong length for its index; `value` is the expected length.
    SegmentWrongLength = 36,
    /// The same segment index was already stored with different bytes.
    SegmentConflict = 37,
    /// The relay's storage limit is reached.
    StorageFull = 40,
    /// The relay failed internally; nothing was stored.
    Internal = 50,
    /// The relay is shutting down; retry against it later.
    ShuttingDown = 51,
    /// A proof was asked for a tree larger than the log's latest checkpoint;
    /// `value` is that checkpoint's size.
    LogSizeUnknown = 60,
    /// This relay keeps no transparency log.
    LogUnavailable = 61,
}

impl ErrorCode {
    /// Every code, for tests and documentation.
    pub const ALL: [ErrorCode; 24] = [
        ErrorCode::Malformed,
        ErrorCode::UnsupportedVersion,
        ErrorCode::UnknownKind,
        ErrorCode::FrameTooLarge,
        ErrorCode::BadSignature,
        ErrorCode::Replay,
        ErrorCode::StaleTimestamp,
        ErrorCode::UnknownMailbox,
        ErrorCode::MailboxFullCount,
        ErrorCode::MailboxFullBytes,
        ErrorCode::MessageTooLarge,
        ErrorCode::UnknownBlob,
        ErrorCode::BlobTooLarge,
        ErrorCode::SegmentHashMismatch,
        ErrorCode::SegmentOutOfRange,
        ErrorCode::BadUploadToken,
        ErrorCode::BlobNotSealed,
        ErrorCode::SegmentWrongLength,
        ErrorCode::SegmentConflict,
        ErrorCode::StorageFull,
        ErrorCode::Internal,
        ErrorCode::ShuttingDown,
        ErrorCode::LogSizeUnknown,
        ErrorCode::LogUnavailable,
    ];

    /// The wire value.
    pub fn to_u16(self) -> u16 {
        self as u16
    }

    /// Parse a wire value; unknown values are an error so that a newer relay's
    /// codes are never silently misread.
    pub fn from_u16(v: u16) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.to_u16() == v)
    }

    /// A stable snake_case name, used in logs, tests and documentation.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::UnknownKind => "unknown_kind",
            ErrorCode::FrameTooLarge => "frame_too_large",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::Replay => "replay",
            ErrorCode::StaleTimestamp => "stale_timestamp",
            ErrorCode::UnknownMailbox => "unknown_mailbox",
            ErrorCode::MailboxFullCount => "mailbox_full_count",
            ErrorCode::MailboxFullBytes => "mailbox_full_bytes",
            ErrorCode::MessageTooLarge => "message_too_large",
            ErrorCode::UnknownBlob => "unknown_blob",
            ErrorCode::BlobTooLarge => "blob_too_large",
            ErrorCode::SegmentHashMismatch => "segment_hash_mismatch",
            ErrorCode::SegmentOutOfRange => "segment_out_of_range",
            ErrorCode::BadUploadToken => "bad_upload_token",
            ErrorCode::BlobNotSealed => "blob_not_sealed",
            ErrorCode::SegmentWrongLength => "segment_wrong_length",
            ErrorCode::SegmentConflict => "segment_conflict",
            ErrorCode::StorageFull => "storage_full",
            ErrorCode::Internal => "internal",
            ErrorCode::ShuttingDown => "shutting_down",
            ErrorCode::LogSizeUnknown => "log_size_unknown",
            ErrorCode::LogUnavailable => "log_unavailable",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.to_u16())
    }
}

/// The `field` of the [`DecodeError::TooLong`] a frame header over its
/// kind's limit produces.
pub(crate) const FRAME_BODY_FIELD: &str = "frame body";

impl From<&DecodeError> for ErrorCode {
    fn from(e: &DecodeError) -> Self {
        match e {
            DecodeError::UnsupportedVersion(_) => ErrorCode::UnsupportedVersion,
            DecodeError::UnknownKind(_) => ErrorCode::UnknownKind,
            DecodeError::TooLong {
                field: FRAME_BODY_FIELD,
                ..
            } => ErrorCode::FrameTooLarge,
            _ => ErrorCode::Malformed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{kind, Direction, FrameHeader};
    use crate::limits::MAX_SMALL_REQUEST_BODY;

    #[test]
    fn error_codes_round_trip_and_unknown_numbers_are_refused() {
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_u16(c.to_u16()), Some(c));
        }
        let known: Vec<u16> = ErrorCode::ALL.iter().map(|c| c.to_u16()).collect();
        for v in (0..=u16::MAX).filter(|v| !known.contains(v)) {
            assert_eq!(ErrorCode::from_u16(v), None);
        }
    }

    #[test]
    fn header_failures_map_to_their_own_wire_codes() {
        let code = |h: [u8; 6]| {
            let e = FrameHeader::decode(&h, Direction::Request).expect_err("bad header");
            ErrorCode::from(&e)
        };
        assert_eq!(
            code([2, kind::PING, 0, 0, 0, 0]),
            ErrorCode::UnsupportedVersion
        );
        assert_eq!(code([1, 0x7f, 0, 0, 0, 0]), ErrorCode::UnknownKind);
        let l = (MAX_SMALL_REQUEST_BODY as u32 + 1).to_be_bytes();
        assert_eq!(
            code([1, kind::DEPOSIT, l[0], l[1], l[2], l[3]]),
            ErrorCode::FrameTooLarge
        );
        assert_eq!(code([1, kind::PONG, 0, 0, 0, 0]), ErrorCode::Malformed);
        assert_eq!(
            ErrorCode::from(&DecodeError::TooLong {
                field: "ack seqs",
                len: 1025,
                max: 1024
            }),
            ErrorCode::Malformed
        );
    }
}
