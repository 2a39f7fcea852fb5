//! Responses, relay to client. Exactly one per request stream.

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, ErrorCode};
use crate::frame::{kind, split_frame, Direction, FrameHeader};
use crate::ids::{BlobId, ReceiveId, SegmentHash, SendId, UploadToken};
use crate::limits::{
    FRAME_HEADER_LEN, MAX_BLOB_LEN, MAX_FRAME_BODY, MAX_LIST_ITEMS, MAX_MESSAGE_LEN, MAX_NOTE_LEN,
    MAX_PROOF_HASHES, MAX_RECEIPT_LEN, MAX_SEGMENTS, SEGMENT_SIZE,
};
use crate::log::proof::{consistency_proof_len, inclusion_proof_len};
use crate::log::{Commitment, Hash, Receipt, SignedCheckpoint};
use crate::request::{check_leaf_index, check_log_sizes};
use crate::segment_count;

/// One entry of a message listing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MessageHeader {
    /// The relay's sequence number within the mailbox (starts at 1, never reused).
    pub seq: u64,
    /// When the relay stored it, in whole hours since the Unix epoch (coarse on purpose).
    pub stored_hour: u32,
    /// Body length in bytes.
    pub len: u32,
}

/// One fetched message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StoredMessage {
    /// The relay's sequence number within the mailbox.
    pub seq: u64,
    /// When the relay stored it, in whole hours since the Unix epoch.
    pub stored_hour: u32,
    /// The ciphertext as deposited.
    pub body: Vec<u8>,
}

impl StoredMessage {
    /// Bytes this entry takes in a `Messages` body.
    pub fn encoded_len(&self) -> usize {
        8 + 4 + 4 + self.body.len()
    }
}

/// Every response.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Response {
    /// Answer to `Ping`: the relay's Unix time in seconds.
    Pong {
        /// Relay clock, seconds.
        relay_time: u64,
    },
    /// The new mailbox's capabilities.
    MailboxCreated {
        /// Read capability (with the owner's signature).
        receive_id: ReceiveId,
        /// Deposit capability, to share with senders.
        send_id: SendId,
    },
    /// The message is durably stored under this sequence number.
    Deposited {
        /// Sequence number within the mailbox.
        seq: u64,
    },
    /// Message headers, in strictly ascending sequence order.
    MessageList {
        /// Entries (≤ [`MAX_LIST_ITEMS`]).
        items: Vec<MessageHeader>,
        /// More entries follow the last one.
        more: bool,
    },
    /// Message bodies, in strictly ascending sequence order.
    Messages {
        /// Entries; their total size keeps the frame under [`MAX_FRAME_BODY`].
        items: Vec<StoredMessage>,
        /// More messages follow the last one.
        more: bool,
    },
    /// The acknowledged messages are durably deleted.
    Acked {
        /// How many of the listed sequence numbers existed and were removed.
        removed: u16,
    },
    /// The new blob's capabilities.
    BlobCreated {
        /// Read capability and identifier.
        blob_id: BlobId,
        /// Upload capability (secret).
        token: UploadToken,
    },
    /// The segment is durably stored.
    SegmentStored {
        /// Its index.
        index: u32,
        /// Whether every segment is now present (the blob is sealed).
        sealed: bool,
    },
    /// Which segments are missing.
    BlobStatus {
        /// Total blob size.
        size: u64,
        /// Missing segment indexes, strictly ascending, each below the blob's
        /// segment count.
        missing: Vec<u32>,
        /// Whether the blob is complete: exactly when `missing` is empty.
        sealed: bool,
    },
    /// One segment of a sealed blob.
    Segment {
        /// Its index.
        index: u32,
        /// SHA-256 of `data`, as uploaded.
        hash: SegmentHash,
        /// The bytes (never empty).
        data: Vec<u8>,
    },
    /// The commitment is durably in the log.
    LogAppended {
        /// Its receipt, against a checkpoint that includes it.
        receipt: Receipt,
    },
    /// The log's latest checkpoint.
    Checkpoint {
        /// The signed checkpoint (verify it with the log's key).
        checkpoint: SignedCheckpoint,
    },
    /// A consistency proof.
    ConsistencyProof {
        /// The older tree size, as asked.
        from_size: u64,
        /// The newer tree size, as asked.
        to_size: u64,
        /// The proof: exactly as many hashes as the sizes need.
        hashes: Vec<Hash>,
    },
    /// An inclusion proof.
    InclusionProof {
        /// The leaf, as asked.
        leaf_index: u64,
        /// The tree size, as asked.
        tree_size: u64,
        /// The commitment at that leaf.
        leaf: Commitment,
        /// The proof: exactly as many hashes as index and size need.
        hashes: Vec<Hash>,
    },
    /// The request failed; nothing was stored.
    Error {
        /// What went wrong.
        code: ErrorCode,
        /// Code-specific detail: the relay time for `StaleTimestamp`, the limit
        /// for quota and size errors, zero otherwise.
        value: u64,
    },
}

impl Response {
    /// An error response with no detail value.
    pub fn error(code: ErrorCode) -> Response {
        Response::Error { code, value: 0 }
    }

    /// The frame kind of this response.
    pub fn kind(&self) -> u8 {
        match self {
            Response::Pong { .. } => kind::PONG,
            Response::MailboxCreated { .. } => kind::MAILBOX_CREATED,
            Response::Deposited { .. } => kind::DEPOSITED,
            Response::MessageList { .. } => kind::MESSAGE_LIST,
            Response::Messages { .. } => kind::MESSAGES,
            Response::Acked { .. } => kind::ACKED,
            Response::BlobCreated { .. } => kind::BLOB_CREATED,
            Response::SegmentStored { .. } => kind::SEGMENT_STORED,
            Response::BlobStatus { .. } => kind::BLOB_STATE,
            Response::Segment { .. } => kind::SEGMENT,
            Response::LogAppended { .. } => kind::LOG_APPENDED,
            Response::Checkpoint { .. } => kind::CHECKPOINT,
            Response::ConsistencyProof { .. } => kind::CONSISTENCY_PROOF,
            Response::InclusionProof { .. } => kind::INCLUSION_PROOF,
            Response::Error { .. } => kind::ERROR,
        }
    }

    /// Encode as a complete frame.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(64);
        match self {
            Response::Pong { relay_time } => w.u64(*relay_time),
            Response::MailboxCreated {
                receive_id,
                send_id,
            } => {
                w.put(&receive_id.0);
                w.put(&send_id.0);
            }
            Response::Deposited { seq } => w.u64(*seq),
            Response::MessageList { items, more } => {
                w.count(items.len());
                for h in items {
                    w.u64(h.seq);
                    w.u32(h.stored_hour);
                    w.u32(h.len);
                }
                w.bool(*more);
            }
            Response::Messages { items, more } => {
                w = Writer::with_capacity(
                    3 + items.iter().map(StoredMessage::encoded_len).sum::<usize>(),
                );
                w.count(items.len());
                for m in items {
                    w.u64(m.seq);
                    w.u32(m.stored_hour);
                    w.bytes(&m.body);
                }
                w.bool(*more);
            }
            Response::Acked { removed } => w.u16(*removed),
            Response::BlobCreated { blob_id, token } => {
                w.put(&blob_id.0);
                w.put(&token.0);
            }
            Response::SegmentStored { index, sealed } => {
                w.u32(*index);
                w.bool(*sealed);
            }
            Response::BlobStatus {
                size,
                missing,
                sealed,
            } => {
                w.u64(*size);
                w.bool(*sealed);
                w.count(missing.len());
                for i in missing {
                    w.u32(*i);
                }
            }
            Response::Segment { index, hash, data } => {
                w = Writer::with_capacity(44 + data.len());
                w.u32(*index);
                w.put(&hash.0);
                w.bytes(data);
            }
            Response::LogAppended { receipt } => w.bytes(receipt.to_text().as_bytes()),
            Response::Checkpoint { checkpoint } => w.bytes(checkpoint.to_text().as_bytes()),
            Response::ConsistencyProof {
                from_size,
                to_size,
                hashes,
            } => {
                w.u64(*from_size);
                w.u64(*to_size);
                put_hashes(&mut w, hashes);
            }
            Response::InclusionProof {
                leaf_index,
                tree_size,
                leaf,
                hashes,
            } => {
                w.u64(*leaf_index);
                w.u64(*tree_size);
                w.put(&leaf.0);
                put_hashes(&mut w, hashes);
            }
            Response::Error { code, value } => {
                w.u16(code.to_u16());
                w.u64(*value);
            }
        }
        let mut out = Vec::with_capacity(FRAME_HEADER_LEN + w.buf.len());
        out.extend_from_slice(&FrameHeader::encode(self.kind(), w.buf.len()));
        out.extend_from_slice(&w.buf);
        out
    }

    /// Decode one complete frame holding exactly one response.
    pub fn decode(frame: &[u8]) -> Result<Response, DecodeError> {
        let (header, body) = split_frame(frame, Direction::Response)?;
        Response::decode_body(header.kind, body)
    }

    /// Decode a response body of the given (already validated) kind.
    pub fn decode_body(k: u8, body: &[u8]) -> Result<Response, DecodeError> {
        let mut r = Reader::new(body);
        let resp = match k {
            kind::PONG => Response::Pong {
                relay_time: r.u64()?,
            },
            kind::MAILBOX_CREATED => Response::MailboxCreated {
                receive_id: ReceiveId(r.array()?),
                send_id: SendId(r.array()?),
            },
            kind::DEPOSITED => Response::Deposited { seq: r.u64()? },
            kind::MESSAGE_LIST => {
                let n = r.count("message list", MAX_LIST_ITEMS, 16)?;
                let mut items: Vec<MessageHeader> = Vec::with_capacity(n);
                for _ in 0..n {
                    let h = MessageHeader {
                        seq: r.u64()?,
                        stored_hour: r.u32()?,
                        len: r.u32()?,
                    };
                    if h.len as usize > MAX_MESSAGE_LEN {
                        return Err(DecodeError::TooLong {
                            field: "message length",
                            len: u64::from(h.len),
                            max: MAX_MESSAGE_LEN as u64,
                        });
                    }
                    check_ascending(items.last().map(|p| p.seq), h.seq)?;
                    items.push(h);
                }
                Response::MessageList {
                    items,
                    more: r.bool("more")?,
                }
            }
            kind::MESSAGES => {
                let n = r.count("messages", MAX_LIST_ITEMS, 16)?;
                let mut items: Vec<StoredMessage> = Vec::with_capacity(n);
                let mut total = 0usize;
                for _ in 0..n {
                    let seq = r.u64()?;
                    check_ascending(items.last().map(|p| p.seq), seq)?;
                    let stored_hour = r.u32()?;
                    let body = r.bytes("message body", MAX_MESSAGE_LEN)?;
                    total += body.len();
                    if total > MAX_FRAME_BODY {
                        return Err(DecodeError::InvalidValue("messages"));
                    }
                    items.push(StoredMessage {
                        seq,
                        stored_hour,
                        body,
                    });
                }
                Response::Messages {
                    items,
                    more: r.bool("more")?,
                }
            }
            kind::ACKED => Response::Acked { removed: r.u16()? },
            kind::BLOB_CREATED => Response::BlobCreated {
                blob_id: BlobId(r.array()?),
                token: UploadToken(r.array()?),
            },
            kind::SEGMENT_STORED => Response::SegmentStored {
                index: segment_index(&mut r)?,
                sealed: r.bool("sealed")?,
            },
            kind::BLOB_STATE => {
                let size = r.u64()?;
                if size == 0 || size > MAX_BLOB_LEN {
                    return Err(DecodeError::InvalidValue("blob size"));
                }
                let sealed = r.bool("sealed")?;
                let n = r.count("missing segments", MAX_SEGMENTS as usize, 4)?;
                let mut missing: Vec<u32> = Vec::with_capacity(n);
                for _ in 0..n {
                    let i = r.u32()?;
                    if i >= segment_count(size) {
                        return Err(DecodeError::InvalidValue("missing segment index"));
                    }
                    if missing.last().is_some_and(|&p| p >= i) {
                        return Err(DecodeError::InvalidValue("missing segment order"));
                    }
                    missing.push(i);
                }
                if sealed != missing.is_empty() {
                    return Err(DecodeError::InvalidValue("sealed"));
                }
                Response::BlobStatus {
                    size,
                    missing,
                    sealed,
                }
            }
            kind::SEGMENT => {
                let index = segment_index(&mut r)?;
                let hash = SegmentHash(r.array()?);
                let data = r.bytes("segment", SEGMENT_SIZE)?;
                if data.is_empty() {
                    return Err(DecodeError::InvalidValue("segment"));
                }
                Response::Segment { index, hash, data }
            }
            kind::LOG_APPENDED => {
                let text = r.bytes("receipt", MAX_RECEIPT_LEN)?;
                Response::LogAppended {
                    receipt: Receipt::parse(&text)
                        .map_err(|_| DecodeError::InvalidValue("receipt"))?,
                }
            }
            kind::CHECKPOINT => {
                let text = r.bytes("checkpoint", MAX_NOTE_LEN)?;
                Response::Checkpoint {
                    checkpoint: SignedCheckpoint::parse(&text)
                        .map_err(|_| DecodeError::InvalidValue("checkpoint"))?,
                }
            }
            kind::CONSISTENCY_PROOF => {
                let (from_size, to_size) = (r.u64()?, r.u64()?);
                check_log_sizes(from_size, to_size)?;
                let hashes = read_hashes(&mut r, consistency_proof_len(from_size, to_size))?;
                Response::ConsistencyProof {
                    from_size,
                    to_size,
                    hashes,
                }
            }
            kind::INCLUSION_PROOF => {
                let (leaf_index, tree_size) = (r.u64()?, r.u64()?);
                check_leaf_index(leaf_index, tree_size)?;
                let leaf = Commitment(r.array()?);
                let hashes = read_hashes(&mut r, inclusion_proof_len(leaf_index, tree_size))?;
                Response::InclusionProof {
                    leaf_index,
                    tree_size,
                    leaf,
                    hashes,
                }
            }
            kind::ERROR => {
                let code =
                    ErrorCode::from_u16(r.u16()?).ok_or(DecodeError::InvalidValue("error code"))?;
                Response::Error {
                    code,
                    value: r.u64()?,
                }
            }
            other => return Err(DecodeError::UnknownKind(other)),
        };
        r.finish()?;
        Ok(resp)
    }
}

/// A proof: a `u16` count and that many hashes. Callers keep the count
/// within [`MAX_PROOF_HASHES`] (a decoded proof always is).
fn put_hashes(w: &mut Writer, hashes: &[Hash]) {
    w.count(hashes.len());
    for h in hashes {
        w.put(h);
    }
}

/// A proof of exactly `expected` hashes (never more than [`MAX_PROOF_HASHES`]).
fn read_hashes(r: &mut Reader<'_>, expected: Option<usize>) -> Result<Vec<Hash>, DecodeError> {
    let n = r.count("proof hashes", MAX_PROOF_HASHES, 32)?;
    if Some(n) != expected {
        return Err(DecodeError::InvalidValue("proof length"));
    }
    let mut hashes = Vec::with_capacity(n);
    for _ in 0..n {
        hashes.push(r.array()?);
    }
    Ok(hashes)
}

/// A segment index, which must be below [`MAX_SEGMENTS`].
fn segment_index(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    let index = r.u32()?;
    if index >= MAX_SEGMENTS {
        return Err(DecodeError::InvalidValue("segment index"));
    }
    Ok(index)
}

/// Listed and fetched messages come in strictly ascending sequence order.
fn check_ascending(previous: Option<u64>, seq: u64) -> Result<(), DecodeError> {
    match previous {
        Some(p) if p >= seq => Err(DecodeError::InvalidValue("message order")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(r: &Response) -> Result<Response, DecodeError> {
        Response::decode(&r.encode())
    }

    fn state(size: u64, missing: Vec<u32>, sealed: bool) -> Response {
        Response::BlobStatus {
            size,
            missing,
            sealed,
        }
    }

    #[test]
    fn blob_status_lists_only_real_segments_in_order_and_agrees_with_sealed() {
        let size = 2 * SEGMENT_SIZE as u64 + 1; // three segments
        assert!(decode(&state(size, vec![0, 2], false)).is_ok());
        assert!(decode(&state(size, vec![], true)).is_ok());
        let bad = DecodeError::InvalidValue;
        assert_eq!(
            decode(&state(size, vec![3], false)),
            Err(bad("missing segment index"))
        );
        assert_eq!(
            decode(&state(size, vec![2, 0], false)),
            Err(bad("missing segment order"))
        );
        assert_eq!(
            decode(&state(size, vec![1, 1], false)),
            Err(bad("missing segment order"))
        );
        assert_eq!(decode(&state(size, vec![1], true)), Err(bad("sealed")));
        assert_eq!(decode(&state(size, vec![], false)), Err(bad("sealed")));
    }

    #[test]
    fn message_listings_ascend_and_never_announce_oversized_bodies() {
        let h = |seq, len| MessageHeader {
            seq,
            stored_hour: 0,
            len,
        };
        let list = |items| Response::MessageList { items, more: false };
        assert!(decode(&list(vec![h(1, 0), h(2, MAX_MESSAGE_LEN as u32)])).is_ok());
        assert_eq!(
            decode(&list(vec![h(2, 0), h(1, 0)])),
            Err(DecodeError::InvalidValue("message order"))
        );
        assert!(matches!(
            decode(&list(vec![h(1, MAX_MESSAGE_LEN as u32 + 1)])),
            Err(DecodeError::TooLong {
                field: "message length",
                ..
            })
        ));
        let m = |seq| StoredMessage {
            seq,
            stored_hour: 0,
            body: vec![],
        };
        let msgs = Response::Messages {
            items: vec![m(5), m(5)],
            more: false,
        };
        assert_eq!(
            decode(&msgs),
            Err(DecodeError::InvalidValue("message order"))
        );
    }

    #[test]
    fn segment_responses_need_an_index_in_range_and_some_bytes() {
        let seg = |index, data: Vec<u8>| Response::Segment {
            index,
            hash: SegmentHash::of(&data),
            data,
        };
        assert!(decode(&seg(MAX_SEGMENTS - 1, vec![1])).is_ok());
        let index = DecodeError::InvalidValue("segment index");
        assert_eq!(decode(&seg(MAX_SEGMENTS, vec![1])), Err(index.clone()));
        assert_eq!(
            decode(&seg(0, vec![])),
            Err(DecodeError::InvalidValue("segment"))
        );
        let stored = Response::SegmentStored {
            index: MAX_SEGMENTS,
            sealed: true,
        };
        assert_eq!(decode(&stored), Err(index));
    }
}
