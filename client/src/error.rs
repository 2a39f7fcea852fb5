//! The one error type of the client library.
//!
//! Each variant is a failure a caller may treat differently; none carries
//! secrets, message contents, identifiers or key bytes, so every message is
//! safe to log. A front end turns them into one localised sentence.

use sanad_protocol::{DecodeError, ErrorCode};

/// Why a client operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The relay presented a key other than the one pinned in the address:
    /// this relay is not the one in your invite. Never retried silently.
    #[error("the relay's key does not match the pin in the address (this relay is not the one in your invite)")]
    PinMismatch,

    /// No connection could be made. Says what was tried and how each attempt
    /// failed (`None`: that transport was not tried).
    #[error("the relay is unreachable (QUIC: {}; TCP: {})", .quic.as_deref().unwrap_or("not tried"), .tcp.as_deref().unwrap_or("not tried"))]
    Unreachable {
        /// How the QUIC attempt failed.
        quic: Option<String>,
        /// How the TLS-over-TCP attempt failed.
        tcp: Option<String>,
    },

    /// An established connection failed during a request (lost, reset,
    /// stalled). The request may or may not have reached the relay.
    #[error("the connection to the relay failed: {detail}")]
    Transport {
        /// What happened, without addresses or contents.
        detail: String,
    },

    /// The relay answered with bytes that do not decode.
    #[error("the relay sent a malformed response: {0}")]
    Protocol(#[from] DecodeError),

    /// The relay answered with a response of the wrong kind for the request.
    #[error("the relay answered kind 0x{got:02x} where 0x{expected:02x} was expected")]
    UnexpectedResponse {
        /// The response kind the request calls for.
        expected: u8,
        /// The kind received.
        got: u8,
    },

    /// The relay refused the request with a numbered error.
    #[error("the relay refused the request: {code} (value {value})")]
    Relay {
        /// The wire error code.
        code: ErrorCode,
        /// Code-specific detail (a limit, the relay time, or zero).
        value: u64,
    },

    /// A downloaded segment does not match its hash or has the wrong length
    /// for its position.
    #[error("segment {index} from the relay is corrupt")]
    CorruptSegment {
        /// The segment index.
        index: u32,
    },

    /// The relay describes a blob of another size than the caller expects.
    #[error("the blob has {actual} bytes on the relay, {expected} were expected")]
    BlobSizeMismatch {
        /// The size the caller gave.
        expected: u64,
        /// The size the relay reports.
        actual: u64,
    },

    /// The upload finished its rounds but the relay still misses segments.
    #[error("the upload is incomplete: the relay still misses {missing} segments")]
    UploadIncomplete {
        /// How many segments are missing.
        missing: usize,
    },

    /// A local source or destination (file) failed.
    #[error("local input/output failed: {0}")]
    LocalIo(#[source] std::io::Error),

    /// The caller passed a value the protocol cannot carry.
    #[error("invalid argument: {0}")]
    InvalidInput(&'static str),

    /// The TLS or QUIC configuration could not be built.
    #[error("the secure transport could not be set up: {0}")]
    Setup(String),

    /// The relay answered with another transparency log's checkpoint or
    /// receipt than the log asked about (another key), or with a checkpoint
    /// that names no Sanad log.
    #[error("the relay answered for another transparency log")]
    LogWrongLog,

    /// A checkpoint, receipt or proof from the relay's log does not verify,
    /// or answers another question than the one asked.
    #[error("the transparency log's answer does not verify: {0}")]
    LogBadProof(crate::log::LogProofError),

    /// Two checkpoints signed by the log's key cannot both be true: the
    /// same size with two roots, or a newer tree the relay cannot prove
    /// extends an older one. The log shows different histories: keep both
    /// checkpoints as evidence.
    #[error("the transparency log forked: its tree of {newer} leaves does not extend its tree of {older}")]
    LogFork {
        /// The older (smaller) tree size.
        older: u64,
        /// The newer tree size.
        newer: u64,
    },

    /// The relay serves a smaller log than one it signed a checkpoint for.
    #[error(
        "the transparency log went back: it signed a tree of {seen} leaves and now serves {served}"
    )]
    LogRollback {
        /// The size of the checkpoint seen before.
        seen: u64,
        /// The size the relay serves now.
        served: u64,
    },
}

impl ClientError {
    /// Whether trying the same request again later may succeed: transport
    /// failures and a relay that is shutting down or failed internally
    /// (nothing stored). A pin mismatch is never transient.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable { .. } | ClientError::Transport { .. } => true,
            ClientError::Relay { code, .. } => {
                matches!(code, ErrorCode::ShuttingDown | ErrorCode::Internal)
            }
            _ => false,
        }
    }

    pub(crate) fn transport(detail: impl std::fmt::Display) -> Self {
        ClientError::Transport {
            detail: detail.to_string(),
        }
    }
}
