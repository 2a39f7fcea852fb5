//! Where the log lives: an append-only store of leaves (the commitments),
//! complete subtree hashes and signed checkpoints, behind a trait so that
//! another engine can hold it (DESIGN.md §4, "Storage").
//!
//! Contract, for every implementation:
//! - [`LogStore::append`] is the only write. It adds one batch atomically
//!   (leaves, the subtrees they complete, the checkpoint over them) and
//!   refuses anything that would not extend the log exactly at its end: a
//!   first index other than the current size, a subtree completed earlier,
//!   a commitment already present. History is never rewritten.
//! - Writes are durable once a later `Store::flush` returns (the group
//!   commit); the relay answers only after that.
//! - Only commitments, tree hashes and checkpoints are stored: nothing about
//!   clients.

use sanad_protocol::log::merkle::{Hash, Subtree, SubtreeSource};
use sanad_protocol::Commitment;

use crate::store::StoreError;

/// One atomic append.
#[derive(Debug, Clone, Copy)]
pub struct AppendBatch<'a> {
    /// Index of the first new leaf: the log's size before the batch.
    pub first_index: u64,
    /// The new leaves, in order. Empty only for the first checkpoint of an
    /// empty log.
    pub leaves: &'a [Commitment],
    /// The complete subtrees (level ≥ 1) these leaves complete, with hashes.
    pub nodes: &'a [(Subtree, Hash)],
    /// The signed checkpoint at `first_index + leaves.len()`, as its note text.
    pub checkpoint: &'a [u8],
}

/// Why the log store refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum LogStoreError {
    /// The batch does not start at the end of the log.
    #[error("an append at leaf {first_index} into a log of {size} leaves would rewrite history")]
    NotAtEnd {
        /// Leaves in the log.
        size: u64,
        /// Where the batch claims to start.
        first_index: u64,
    },
    /// A subtree of the batch is not one the batch completes.
    #[error("a subtree hash outside the appended range")]
    NodeOutsideBatch,
    /// A commitment of the batch is already a leaf.
    #[error("the commitment is already leaf {index}")]
    DuplicateCommitment {
        /// Its existing index.
        index: u64,
    },
    /// A batch without leaves, for a log that already has a checkpoint.
    #[error("an append without leaves")]
    Empty,
    /// The log would exceed `u64::MAX` leaves.
    #[error("the log is full")]
    Full,
    /// Stored data does not decode, or a hash the tree needs is missing.
    #[error("the stored log is corrupt: {0}")]
    Corrupt(&'static str),
    /// The embedded database failed.
    #[error("database error: {0}")]
    Db(#[from] sled::Error),
}

impl From<LogStoreError> for StoreError {
    fn from(e: LogStoreError) -> StoreError {
        match e {
            LogStoreError::Db(e) => StoreError::Db(e),
            LogStoreError::Corrupt(what) => StoreError::Corrupt(what),
            other => StoreError::Io(std::io::Error::other(other.to_string())),
        }
    }
}

/// The log's storage.
pub trait LogStore: Send + Sync {
    /// Leaves in the log (the size of its latest checkpoint; 0 when empty).
    fn size(&self) -> Result<u64, LogStoreError>;

    /// The commitment at `index`.
    fn leaf(&self, index: u64) -> Result<Option<Commitment>, LogStoreError>;

    /// The index of a commitment, if it is a leaf.
    fn index_of(&self, commitment: &Commitment) -> Result<Option<u64>, LogStoreError>;

    /// The hash of a complete subtree of level ≥ 1.
    fn node(&self, subtree: Subtree) -> Result<Option<Hash>, LogStoreError>;

    /// The signed checkpoint at `size`, if one was signed at that size.
    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, LogStoreError>;

    /// The latest signed checkpoint and its size.
    fn latest_checkpoint(&self) -> Result<Option<(u64, Vec<u8>)>, LogStoreError>;

    /// Append one batch atomically (see the module contract).
    fn append(&self, batch: &AppendBatch<'_>) -> Result<(), LogStoreError>;
}

/// A [`LogStore`] as a [`SubtreeSource`]: leaf hashes from the stored
/// commitments, higher subtrees from the stored hashes.
pub struct StoredTree<'a>(pub &'a dyn LogStore);

impl SubtreeSource for StoredTree<'_> {
    type Error = LogStoreError;

    fn subtree_hash(&self, s: Subtree) -> Result<Hash, LogStoreError> {
        if s.level == 0 {
            self.0
                .leaf(s.index)?
                .map(|c| c.leaf_hash())
                .ok_or(LogStoreError::Corrupt("a log leaf is missing"))
        } else {
            self.0
                .node(s)?
                .ok_or(LogStoreError::Corrupt("a log subtree hash is missing"))
        }
    }
}
