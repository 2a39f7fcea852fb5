//! Requests, client to relay. One request per stream; see `docs/protocol.md`.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::codec::{Reader, Writer};
use crate::error::{DecodeError, ErrorCode};
use crate::frame::{kind, split_frame, Direction, FrameHeader};
use crate::ids::{
    BlobId, DepositKey, Nonce, OwnerKey, ReceiveId, SegmentHash, SendId, UploadToken,
};
use crate::limits::{
    FRAME_HEADER_LEN, MAX_ACK_SEQS, MAX_BLOB_LEN, MAX_LIST_ITEMS, MAX_MESSAGE_LEN, MAX_SEGMENTS,
    SEGMENT_SIZE,
};
use crate::log::Commitment;

/// Domain-separation prefix for every owner-signed request. The signed bytes
/// are `DOMAIN || kind || body-without-signature`.
pub const OWNER_REQUEST_DOMAIN: &[u8] = b"sanad/1 owner-request\n";

/// Authentication of an owner-signed request: a timestamp within the relay's
/// clock window, a nonce the relay has not seen, and an Ed25519 signature.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Auth {
    /// Unix time in seconds at the client.
    pub timestamp: u64,
    /// A fresh random value; the relay rejects a nonce it has seen.
    pub nonce: Nonce,
    /// Signature over `OWNER_REQUEST_DOMAIN || kind || body-without-signature`.
    pub signature: [u8; 64],
}

/// Create a mailbox owned by `owner_key` (signed by that key: proof of possession).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CreateMailbox {
    /// The owner's Ed25519 public key.
    pub owner_key: OwnerKey,
    /// Signature by `owner_key`.
    pub auth: Auth,
}

/// Deposit one message into the mailbox behind `send_id`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Deposit {
    /// The mailbox's send capability.
    pub send_id: SendId,
    /// Idempotency key: a retried deposit with the same key is stored once.
    pub key: DepositKey,
    /// The ciphertext, at most [`MAX_MESSAGE_LEN`] bytes.
    pub body: Vec<u8>,
}

/// List message headers with sequence numbers greater than `after_seq`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct List {
    /// The mailbox's receive capability.
    pub receive_id: ReceiveId,
    /// Exclusive lower bound on sequence numbers.
    pub after_seq: u64,
    /// At most this many entries (≤ [`MAX_LIST_ITEMS`]).
    pub limit: u16,
    /// Owner signature.
    pub auth: Auth,
}

/// Fetch message bodies with sequence numbers greater than `after_seq`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fetch {
    /// The mailbox's receive capability.
    pub receive_id: ReceiveId,
    /// Exclusive lower bound on sequence numbers.
    pub after_seq: u64,
    /// At most this many messages (≤ [`MAX_LIST_ITEMS`]); the relay may return
    /// fewer to keep the response under the frame limit.
    pub limit: u16,
    /// Owner signature.
    pub auth: Auth,
}

/// Acknowledge messages: the relay deletes them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ack {
    /// The mailbox's receive capability.
    pub receive_id: ReceiveId,
    /// Sequence numbers to delete (≤ [`MAX_ACK_SEQS`]).
    pub seqs: Vec<u64>,
    /// Owner signature.
    pub auth: Auth,
}

/// Create a blob of `size` bytes (ciphertext, already padded).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BlobCreate {
    /// Total size in bytes, 1 ..= [`MAX_BLOB_LEN`].
    pub size: u64,
}

/// Upload one segment.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BlobPut {
    /// Which blob.
    pub blob_id: BlobId,
    /// The upload capability returned at creation.
    pub token: UploadToken,
    /// Segment index, from 0.
    pub index: u32,
    /// SHA-256 of `data`; the relay recomputes and compares.
    pub hash: SegmentHash,
    /// The segment's bytes: [`SEGMENT_SIZE`] except for the last segment.
    pub data: Vec<u8>,
}

/// Ask which segments are still missing.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BlobStatus {
    /// Which blob.
    pub blob_id: BlobId,
}

/// Download one segment of a sealed blob.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BlobGet {
    /// Which blob.
    pub blob_id: BlobId,
    /// Segment index, from 0.
    pub index: u32,
}

/// Append a commitment to the transparency log.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LogAppend {
    /// The salted commitment (the leaf's data).
    pub commitment: Commitment,
}

/// Ask for the proof that the log's tree of `from_size` leaves is a prefix
/// of its tree of `to_size` leaves.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LogConsistency {
    /// The older tree size, 1 ..= `to_size`.
    pub from_size: u64,
    /// The newer tree size, at most the latest checkpoint's.
    pub to_size: u64,
}

/// Ask for the proof that leaf `leaf_index` is in the log's tree of
/// `tree_size` leaves.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LogInclusion {
    /// The leaf, below `tree_size`.
    pub leaf_index: u64,
    /// The tree size, at most the latest checkpoint's.
    pub tree_size: u64,
}

/// Every request.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Request {
    /// Liveness check; the relay answers with its clock.
    Ping,
    /// See [`CreateMailbox`].
    CreateMailbox(CreateMailbox),
    /// See [`Deposit`].
    Deposit(Deposit),
    /// See [`List`].
    List(List),
    /// See [`Fetch`].
    Fetch(Fetch),
    /// See [`Ack`].
    Ack(Ack),
    /// See [`BlobCreate`].
    BlobCreate(BlobCreate),
    /// See [`BlobPut`].
    BlobPut(BlobPut),
    /// See [`BlobStatus`].
    BlobStatus(BlobStatus),
    /// See [`BlobGet`].
    BlobGet(BlobGet),
    /// See [`LogAppend`].
    LogAppend(LogAppend),
    /// The log's latest signed checkpoint.
    LogCheckpoint,
    /// See [`LogConsistency`].
    LogConsistency(LogConsistency),
    /// See [`LogInclusion`].
    LogInclusion(LogInclusion),
}

/// A request whose owner signature has been checked against `owner_key`.
/// Only [`Request::verify_owner`] constructs it.
#[derive(Debug)]
pub struct VerifiedOwner {
    /// The key that signed.
    pub owner_key: OwnerKey,
    /// The request's timestamp (checked by the relay against its clock).
    pub timestamp: u64,
    /// The request's nonce (checked by the relay against those it has seen).
    pub nonce: Nonce,
}

const SIG_LEN: usize = 64;

fn put_auth_unsigned(w: &mut Writer, a: &Auth) {
    w.u64(a.timestamp);
    w.put(&a.nonce.0);
}

fn read_auth(r: &mut Reader<'_>) -> Result<Auth, DecodeError> {
    Ok(Auth {
        timestamp: r.u64()?,
        nonce: Nonce(r.array()?),
        signature: r.array()?,
    })
}

impl Request {
    /// The frame kind of this request.
    pub fn kind(&self) -> u8 {
        match self {
            Request::Ping => kind::PING,
            Request::CreateMailbox(_) => kind::CREATE_MAILBOX,
            Request::Deposit(_) => kind::DEPOSIT,
            Request::List(_) => kind::LIST,
            Request::Fetch(_) => kind::FETCH,
            Request::Ack(_) => kind::ACK,
            Request::BlobCreate(_) => kind::BLOB_CREATE,
            Request::BlobPut(_) => kind::BLOB_PUT,
            Request::BlobStatus(_) => kind::BLOB_STATUS,
            Request::BlobGet(_) => kind::BLOB_GET,
            Request::LogAppend(_) => kind::LOG_APPEND,
            Request::LogCheckpoint => kind::LOG_CHECKPOINT,
            Request::LogConsistency(_) => kind::LOG_CONSISTENCY,
            Request::LogInclusion(_) => kind::LOG_INCLUSION,
        }
    }

    /// The body bytes, with the signature left out for signed requests.
    fn body_unsigned(&self) -> Writer {
        let mut w = Writer::with_capacity(64);
        match self {
            Request::Ping => {}
            Request::CreateMailbox(r) => {
                w.put(&r.owner_key.0);
                put_auth_unsigned(&mut w, &r.auth);
            }
            Request::Deposit(r) => {
                w = Writer::with_capacity(40 + r.body.len());
                w.put(&r.send_id.0);
                w.put(&r.key.0);
                w.bytes(&r.body);
            }
            Request::List(r) => {
                w.put(&r.receive_id.0);
                w.u64(r.after_seq);
                w.u16(r.limit);
                put_auth_unsigned(&mut w, &r.auth);
            }
            Request::Fetch(r) => {
                w.put(&r.receive_id.0);
                w.u64(r.after_seq);
                w.u16(r.limit);
                put_auth_unsigned(&mut w, &r.auth);
            }
            Request::Ack(r) => {
                w.put(&r.receive_id.0);
                w.count(r.seqs.len());
                for s in &r.seqs {
                    w.u64(*s);
                }
                put_auth_unsigned(&mut w, &r.auth);
            }
            Request::BlobCreate(r) => w.u64(r.size),
            Request::BlobPut(r) => {
                w = Writer::with_capacity(112 + r.data.len());
                w.put(&r.blob_id.0);
                w.put(&r.token.0);
                w.u32(r.index);
                w.put(&r.hash.0);
                w.bytes(&r.data);
            }
            Request::BlobStatus(r) => w.put(&r.blob_id.0),
            Request::BlobGet(r) => {
                w.put(&r.blob_id.0);
                w.u32(r.index);
            }
            Request::LogAppend(r) => w.put(&r.commitment.0),
            Request::LogCheckpoint => {}
            Request::LogConsistency(r) => {
                w.u64(r.from_size);
                w.u64(r.to_size);
            }
            Request::LogInclusion(r) => {
                w.u64(r.leaf_index);
                w.u64(r.tree_size);
            }
        }
        w
    }

    fn auth(&self) -> Option<&Auth> {
        match self {
            Request::CreateMailbox(r) => Some(&r.auth),
            Request::List(r) => Some(&r.auth),
            Request::Fetch(r) => Some(&r.auth),
            Request::Ack(r) => Some(&r.auth),
            _ => None,
        }
    }

    fn auth_mut(&mut self) -> Option<&mut Auth> {
        match self {
            Request::CreateMailbox(r) => Some(&mut r.auth),
            Request::List(r) => Some(&mut r.auth),
            Request::Fetch(r) => Some(&mut r.auth),
            Request::Ack(r) => Some(&mut r.auth),
            _ => None,
        }
    }

    /// The mailbox a signed request addresses (none for create and unsigned requests).
    pub fn receive_id(&self) -> Option<ReceiveId> {
        match self {
            Request::List(r) => Some(r.receive_id),
            Request::Fetch(r) => Some(r.receive_id),
            Request::Ack(r) => Some(r.receive_id),
            _ => None,
        }
    }

    /// The exact bytes an owner signs: `DOMAIN || kind || body-without-signature`.
    /// Decoding is strict, so re-encoding a decoded request reproduces the
    /// bytes that were sent.
    pub fn signed_message(&self) -> Vec<u8> {
        let body = self.body_unsigned();
        let mut m = Vec::with_capacity(OWNER_REQUEST_DOMAIN.len() + 1 + body.buf.len());
        m.extend_from_slice(OWNER_REQUEST_DOMAIN);
        m.push(self.kind());
        m.extend_from_slice(&body.buf);
        m
    }

    /// Fill in timestamp, nonce and signature of an owner-signed request.
    /// Requests that are not signed are left unchanged.
    pub fn sign(mut self, key: &SigningKey, timestamp: u64, nonce: Nonce) -> Self {
        if let Some(a) = self.auth_mut() {
            a.timestamp = timestamp;
            a.nonce = nonce;
            a.signature = [0; 64];
        } else {
            return self;
        }
        let sig = key.sign(&self.signed_message()).to_bytes();
        if let Some(a) = self.auth_mut() {
            a.signature = sig;
        }
        self
    }

    /// Check the owner signature against `owner_key` (for `CreateMailbox`, the
    /// key in the request). Uses `verify_strict`. Unsigned requests fail with
    /// `Malformed` because they have nothing to verify.
    pub fn verify_owner(&self, owner_key: &OwnerKey) -> Result<VerifiedOwner, ErrorCode> {
        let auth = self.auth().ok_or(ErrorCode::Malformed)?;
        let vk = VerifyingKey::from_bytes(&owner_key.0).map_err(|_| ErrorCode::BadSignature)?;
        let sig = Signature::from_bytes(&auth.signature);
        vk.verify_strict(&self.signed_message(), &sig)
            .map_err(|_| ErrorCode::BadSignature)?;
        Ok(VerifiedOwner {
            owner_key: *owner_key,
            timestamp: auth.timestamp,
            nonce: auth.nonce,
        })
    }

    /// Encode as a complete frame (header and body).
    pub fn encode(&self) -> Vec<u8> {
        let body = self.body_unsigned();
        let sig = self.auth().map(|a| a.signature);
        let body_len = body.buf.len() + sig.map_or(0, |_| SIG_LEN);
        let mut out = Vec::with_capacity(FRAME_HEADER_LEN + body_len);
        out.extend_from_slice(&FrameHeader::encode(self.kind(), body_len));
        out.extend_from_slice(&body.buf);
        if let Some(s) = sig {
            out.extend_from_slice(&s);
        }
        out
    }

    /// Decode one complete frame holding exactly one request.
    pub fn decode(frame: &[u8]) -> Result<Request, DecodeError> {
        let (header, body) = split_frame(frame, Direction::Request)?;
        Request::decode_body(header.kind, body)
    }

    /// Decode a request body of the given (already validated) kind. All bytes
    /// must be consumed.
    pub fn decode_body(k: u8, body: &[u8]) -> Result<Request, DecodeError> {
        let mut r = Reader::new(body);
        let req = match k {
            kind::PING => Request::Ping,
            kind::CREATE_MAILBOX => Request::CreateMailbox(CreateMailbox {
                owner_key: OwnerKey(r.array()?),
                auth: read_auth(&mut r)?,
            }),
            kind::DEPOSIT => Request::Deposit(Deposit {
                send_id: SendId(r.array()?),
                key: DepositKey(r.array()?),
                body: r.bytes("message body", MAX_MESSAGE_LEN)?,
            }),
            kind::LIST | kind::FETCH => {
                let receive_id = ReceiveId(r.array()?);
                let after_seq = r.u64()?;
                let limit = r.u16()?;
                if limit as usize > MAX_LIST_ITEMS {
                    return Err(DecodeError::TooLong {
                        field: "limit",
                        len: u64::from(limit),
                        max: MAX_LIST_ITEMS as u64,
                    });
                }
                let auth = read_auth(&mut r)?;
                if k == kind::LIST {
                    Request::List(List {
                        receive_id,
                        after_seq,
                        limit,
                        auth,
                    })
                } else {
                    Request::Fetch(Fetch {
                        receive_id,
                        after_seq,
                        limit,
                        auth,
                    })
                }
            }
            kind::ACK => {
                let receive_id = ReceiveId(r.array()?);
                let n = r.count("ack seqs", MAX_ACK_SEQS, 8)?;
                let mut seqs = Vec::with_capacity(n);
                for _ in 0..n {
                    seqs.push(r.u64()?);
                }
                Request::Ack(Ack {
                    receive_id,
                    seqs,
                    auth: read_auth(&mut r)?,
                })
            }
            kind::BLOB_CREATE => {
                let size = r.u64()?;
                if size == 0 || size > MAX_BLOB_LEN {
                    return Err(DecodeError::InvalidValue("blob size"));
                }
                Request::BlobCreate(BlobCreate { size })
            }
            kind::BLOB_PUT => {
                let blob_id = BlobId(r.array()?);
                let token = UploadToken(r.array()?);
                let index = r.u32()?;
                if index >= MAX_SEGMENTS {
                    return Err(DecodeError::InvalidValue("segment index"));
                }
                let hash = SegmentHash(r.array()?);
                let data = r.bytes("segment", SEGMENT_SIZE)?;
                if data.is_empty() {
                    return Err(DecodeError::InvalidValue("segment"));
                }
                Request::BlobPut(BlobPut {
                    blob_id,
                    token,
                    index,
                    hash,
                    data,
                })
            }
            kind::BLOB_STATUS => Request::BlobStatus(BlobStatus {
                blob_id: BlobId(r.array()?),
            }),
            kind::BLOB_GET => {
                let blob_id = BlobId(r.array()?);
                let index = r.u32()?;
                if index >= MAX_SEGMENTS {
                    return Err(DecodeError::InvalidValue("segment index"));
                }
                Request::BlobGet(BlobGet { blob_id, index })
            }
            kind::LOG_APPEND => Request::LogAppend(LogAppend {
                commitment: Commitment(r.array()?),
            }),
            kind::LOG_CHECKPOINT => Request::LogCheckpoint,
            kind::LOG_CONSISTENCY => {
                let (from_size, to_size) = (r.u64()?, r.u64()?);
                check_log_sizes(from_size, to_size)?;
                Request::LogConsistency(LogConsistency { from_size, to_size })
            }
            kind::LOG_INCLUSION => {
                let (leaf_index, tree_size) = (r.u64()?, r.u64()?);
                check_leaf_index(leaf_index, tree_size)?;
                Request::LogInclusion(LogInclusion {
                    leaf_index,
                    tree_size,
                })
            }
            other => return Err(DecodeError::UnknownKind(other)),
        };
        r.finish()?;
        Ok(req)
    }
}

/// A consistency proof goes from a non-empty tree to one at least as large.
pub(crate) fn check_log_sizes(from_size: u64, to_size: u64) -> Result<(), DecodeError> {
    if from_size == 0 || from_size > to_size {
        return Err(DecodeError::InvalidValue("log tree sizes"));
    }
    Ok(())
}

/// An inclusion proof is for a leaf inside the tree.
pub(crate) fn check_leaf_index(leaf_index: u64, tree_size: u64) -> Result<(), DecodeError> {
    if leaf_index >= tree_size {
        return Err(DecodeError::InvalidValue("leaf index"));
    }
    Ok(())
}

/// An empty [`Auth`] for building a request that [`Request::sign`] then fills in.
pub fn unsigned_auth() -> Auth {
    Auth {
        timestamp: 0,
        nonce: Nonce([0; 16]),
        signature: [0; 64],
    }
}
