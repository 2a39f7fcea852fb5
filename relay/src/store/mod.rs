//! Storage behind a trait, so that a deployment that outgrows one machine can
//! swap in a distributed engine without touching the protocol or the service.
//!
//! Contract for every implementation:
//! - methods are synchronous. [`Store::put_segment`], [`Store::get_segment`],
//!   [`Store::sweep`] and [`Store::flush`] may block on file I/O and are
//!   called from blocking threads; every other method must be a short
//!   in-memory operation (an embedded database's transaction, no `fsync`)
//!   because the service calls it directly on its async worker threads;
//! - a mutating method's effects are visible to later calls at once, and are
//!   durable once a later [`Store::flush`] returns (the service acknowledges
//!   only after that flush — see `durability`);
//! - a method that fails stores nothing;
//! - nothing identifying is stored: only random IDs, owner public keys,
//!   ciphertext, sizes and coarse (hourly) times.
//!
//! The default implementation is [`SledFileStore`]: sled for metadata and
//! queues, content-addressed files for blob segments. Segment bytes reach a
//! store as [`SegmentBytes`], which carry the hash computed over them.

mod segment;
mod sled_files;

pub use segment::{SegmentBytes, SegmentHasher};
pub use sled_files::{Recovery, SledFileStore};

use sanad_protocol::response::{MessageHeader, StoredMessage};
use sanad_protocol::{
    BlobId, DepositKey, ErrorCode, Nonce, OwnerKey, ReceiveId, SegmentHash, SendId, UploadToken,
};

use crate::limits::Quotas;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The request breaks a rule (unknown ID, quota, bad token…): the client
    /// gets this code and detail value; nothing was stored.
    #[error("rejected: {0}")]
    Rejected(ErrorCode, u64),
    /// The embedded database failed.
    #[error("database error: {0}")]
    Db(#[from] sled::Error),
    /// A file operation failed.
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// Stored data did not decode or did not match its hash.
    #[error("stored data is corrupt: {0}")]
    Corrupt(&'static str),
}

impl StoreError {
    /// A rejection with no detail value.
    pub fn rejected(code: ErrorCode) -> Self {
        StoreError::Rejected(code, 0)
    }
}

/// What `blob_status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobState {
    /// Total size in bytes.
    pub size: u64,
    /// Missing segment indexes, ascending.
    pub missing: Vec<u32>,
    /// Whether every segment is present.
    pub sealed: bool,
}

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepCounts {
    /// Expired messages deleted.
    pub messages: u64,
    /// Expired blobs deleted.
    pub blobs: u64,
    /// Old replay-protection nonces forgotten.
    pub nonces: u64,
}

/// The relay's storage.
pub trait Store: Send + Sync + 'static {
    /// Create a mailbox for `owner`, or return the existing one's IDs if this
    /// owner key already has one (so a retried creation is harmless).
    fn create_mailbox(
        &self,
        owner: &OwnerKey,
        now_hour: u32,
    ) -> Result<(ReceiveId, SendId), StoreError>;

    /// The owner key registered for a mailbox.
    fn owner_of(&self, receive_id: &ReceiveId) -> Result<Option<OwnerKey>, StoreError>;

    /// Record a signed request's nonce. Returns `false` if it was already seen.
    fn record_nonce(
        &self,
        owner: &OwnerKey,
        nonce: &Nonce,
        timestamp: u64,
    ) -> Result<bool, StoreError>;

    /// Append a message; idempotent per (mailbox, deposit key).
    fn deposit(
        &self,
        send_id: &SendId,
        key: &DepositKey,
        body: &[u8],
        now_hour: u32,
        quotas: &Quotas,
    ) -> Result<u64, StoreError>;

    /// Headers of messages after `after_seq`, at most `limit`, and whether more follow.
    fn list(
        &self,
        receive_id: &ReceiveId,
        after_seq: u64,
        limit: usize,
    ) -> Result<(Vec<MessageHeader>, bool), StoreError>;

    /// Messages after `after_seq`, at most `limit` and at most `max_bytes` of
    /// encoded entries (at least one if any exists), and whether more follow.
    fn fetch(
        &self,
        receive_id: &ReceiveId,
        after_seq: u64,
        limit: usize,
        max_bytes: usize,
    ) -> Result<(Vec<StoredMessage>, bool), StoreError>;

    /// Delete the listed messages; returns how many existed.
    fn ack(&self, receive_id: &ReceiveId, seqs: &[u64]) -> Result<u16, StoreError>;

    /// Create a blob of `size` bytes.
    fn create_blob(
        &self,
        size: u64,
        now_hour: u32,
        quotas: &Quotas,
    ) -> Result<(BlobId, UploadToken), StoreError>;

    /// Store one segment whose declared hash is `hash`; `data` carries the
    /// hash actually computed over its bytes, which must match. Checks the
    /// token and the length for `index`. Returns whether the blob is now
    /// sealed. Idempotent for the same bytes.
    fn put_segment(
        &self,
        blob_id: &BlobId,
        token: &UploadToken,
        index: u32,
        hash: &SegmentHash,
        data: &SegmentBytes,
    ) -> Result<bool, StoreError>;

    /// Which segments are missing.
    fn blob_status(&self, blob_id: &BlobId) -> Result<BlobState, StoreError>;

    /// One segment of a sealed blob, verified against its hash on read.
    fn get_segment(
        &self,
        blob_id: &BlobId,
        index: u32,
    ) -> Result<(SegmentHash, Vec<u8>), StoreError>;

    /// Delete what has expired at `now` (Unix seconds).
    fn sweep(&self, now: u64, quotas: &Quotas) -> Result<SweepCounts, StoreError>;

    /// Make every earlier mutation durable.
    fn flush(&self) -> Result<(), StoreError>;

    /// The transparency log's storage, when this store keeps one; its
    /// writes are made durable by [`Store::flush`] too.
    fn log(&self) -> Option<&dyn crate::log::LogStore> {
        None
    }
}
