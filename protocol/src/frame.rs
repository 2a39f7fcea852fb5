//! The frame: `version (1) | kind (1) | body length (4, big-endian) | body`.
//!
//! A reader first decodes the fixed six-byte header with
//! [`FrameHeader::decode`], which rejects unknown versions and kinds and any
//! body length over the limit for that kind, and only then allocates the body.

use crate::error::{DecodeError, FRAME_BODY_FIELD};
use crate::limits::{FRAME_HEADER_LEN, MAX_FRAME_BODY, MAX_SMALL_REQUEST_BODY};

/// The only protocol version this build speaks.
pub const PROTOCOL_VERSION: u8 = 1;

/// The TLS ALPN identifier for this protocol version (QUIC and TCP alike).
pub const ALPN: &[u8] = b"sanad/1";

/// Which side sent a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to relay.
    Request,
    /// Relay to client.
    Response,
}

/// Frame kinds, stable wire values.
pub mod kind {
    /// Request: liveness and relay clock.
    pub const PING: u8 = 0x01;
    /// Request: create a mailbox.
    pub const CREATE_MAILBOX: u8 = 0x02;
    /// Request: deposit a message by send ID.
    pub const DEPOSIT: u8 = 0x03;
    /// Request: list message headers (owner-signed).
    pub const LIST: u8 = 0x04;
    /// Request: fetch message bodies (owner-signed).
    pub const FETCH: u8 = 0x05;
    /// Request: acknowledge (delete) messages (owner-signed).
    pub const ACK: u8 = 0x06;
    /// Request: create a blob.
    pub const BLOB_CREATE: u8 = 0x07;
    /// Request: upload one segment.
    pub const BLOB_PUT: u8 = 0x08;
    /// Request: which segments are missing.
    pub const BLOB_STATUS: u8 = 0x09;
    /// Request: download one segment.
    pub const BLOB_GET: u8 = 0x0A;
    /// Request: append a commitment to the transparency log.
    pub const LOG_APPEND: u8 = 0x0B;
    /// Request: the log's latest signed checkpoint.
    pub const LOG_CHECKPOINT: u8 = 0x0C;
    /// Request: a consistency proof between two tree sizes.
    pub const LOG_CONSISTENCY: u8 = 0x0D;
    /// Request: an inclusion proof for one leaf in one tree size.
    pub const LOG_INCLUSION: u8 = 0x0E;

    /// Response to PING.
    pub const PONG: u8 = 0x81;
    /// Response to CREATE_MAILBOX.
    pub const MAILBOX_CREATED: u8 = 0x82;
    /// Response to DEPOSIT.
    pub const DEPOSITED: u8 = 0x83;
    /// Response to LIST.
    pub const MESSAGE_LIST: u8 = 0x84;
    /// Response to FETCH.
    pub const MESSAGES: u8 = 0x85;
    /// Response to ACK.
    pub const ACKED: u8 = 0x86;
    /// Response to BLOB_CREATE.
    pub const BLOB_CREATED: u8 = 0x87;
    /// Response to BLOB_PUT.
    pub const SEGMENT_STORED: u8 = 0x88;
    /// Response to BLOB_STATUS.
    pub const BLOB_STATE: u8 = 0x89;
    /// Response to BLOB_GET.
    pub const SEGMENT: u8 = 0x8A;
    /// Response to LOG_APPEND: a receipt.
    pub const LOG_APPENDED: u8 = 0x8B;
    /// Response to LOG_CHECKPOINT.
    pub const CHECKPOINT: u8 = 0x8C;
    /// Response to LOG_CONSISTENCY.
    pub const CONSISTENCY_PROOF: u8 = 0x8D;
    /// Response to LOG_INCLUSION.
    pub const INCLUSION_PROOF: u8 = 0x8E;
    /// Response to anything: a numbered error.
    pub const ERROR: u8 = 0xFF;

    /// Every request kind.
    pub const REQUESTS: [u8; 14] = [
        PING,
        CREATE_MAILBOX,
        DEPOSIT,
        LIST,
        FETCH,
        ACK,
        BLOB_CREATE,
        BLOB_PUT,
        BLOB_STATUS,
        BLOB_GET,
        LOG_APPEND,
        LOG_CHECKPOINT,
        LOG_CONSISTENCY,
        LOG_INCLUSION,
    ];
    /// Every response kind.
    pub const RESPONSES: [u8; 15] = [
        PONG,
        MAILBOX_CREATED,
        DEPOSITED,
        MESSAGE_LIST,
        MESSAGES,
        ACKED,
        BLOB_CREATED,
        SEGMENT_STORED,
        BLOB_STATE,
        SEGMENT,
        LOG_APPENDED,
        CHECKPOINT,
        CONSISTENCY_PROOF,
        INCLUSION_PROOF,
        ERROR,
    ];
}

/// A validated frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// The frame kind (see [`kind`]).
    pub kind: u8,
    /// The body length, already checked against the limit for `kind`.
    pub body_len: u32,
}

/// The largest body a frame of this kind may carry.
pub fn max_body_len(kind: u8) -> usize {
    match kind {
        kind::BLOB_PUT | kind::SEGMENT | kind::MESSAGES => MAX_FRAME_BODY,
        _ => MAX_SMALL_REQUEST_BODY,
    }
}

impl FrameHeader {
    /// Decode and validate a header arriving in `direction`.
    pub fn decode(
        bytes: &[u8; FRAME_HEADER_LEN],
        direction: Direction,
    ) -> Result<Self, DecodeError> {
        let version = bytes[0];
        if version != PROTOCOL_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let k = bytes[1];
        let known_here = match direction {
            Direction::Request => kind::REQUESTS.contains(&k),
            Direction::Response => kind::RESPONSES.contains(&k),
        };
        if !known_here {
            let known_other = kind::REQUESTS.contains(&k) || kind::RESPONSES.contains(&k);
            return Err(if known_other {
                DecodeError::WrongDirection(k)
            } else {
                DecodeError::UnknownKind(k)
            });
        }
        let body_len = u32::from_be_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]);
        let max = max_body_len(k);
        if body_len as usize > max {
            return Err(DecodeError::TooLong {
                field: FRAME_BODY_FIELD,
                len: u64::from(body_len),
                max: max as u64,
            });
        }
        Ok(FrameHeader { kind: k, body_len })
    }

    /// Encode the header for a body of `body_len` bytes.
    pub fn encode(kind: u8, body_len: usize) -> [u8; FRAME_HEADER_LEN] {
        let l = (body_len as u32).to_be_bytes();
        [PROTOCOL_VERSION, kind, l[0], l[1], l[2], l[3]]
    }
}

/// Split a complete frame into its validated header and body, requiring that
/// the input holds exactly one frame.
pub fn split_frame(
    bytes: &[u8],
    direction: Direction,
) -> Result<(FrameHeader, &[u8]), DecodeError> {
    if bytes.len() < FRAME_HEADER_LEN {
        return Err(DecodeError::Truncated {
            needed: FRAME_HEADER_LEN - bytes.len(),
        });
    }
    let mut h = [0u8; FRAME_HEADER_LEN];
    h.copy_from_slice(&bytes[..FRAME_HEADER_LEN]);
    let header = FrameHeader::decode(&h, direction)?;
    let body = &bytes[FRAME_HEADER_LEN..];
    let want = header.body_len as usize;
    if body.len() < want {
        return Err(DecodeError::Truncated {
            needed: want - body.len(),
        });
    }
    if body.len() > want {
        return Err(DecodeError::TrailingBytes(body.len() - want));
    }
    Ok((header, body))
}
