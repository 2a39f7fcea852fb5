//! The transparency log (DESIGN.md §4, `docs/protocol.md` §14): an
//! append-only RFC 9162 Merkle tree of 32-byte commitments, checkpoints
//! signed with the relay's log key, inclusion and consistency proofs, and a
//! receipt for every append.
//!
//! - [`store`]: the [`LogStore`] trait, the storage contract (append-only,
//!   atomic batches) and the tree as a proof source.
//! - [`SledLog`]: the log in the relay's sled database.
//! - `sequencer`: the single writer that batches appends under one signed
//!   checkpoint and answers only once the group commit made them durable.
//! - [`Log`]: what the request service calls.
//!
//! What the log holds: commitments, tree hashes, checkpoints; nothing about
//! who appended what, when, or from where. Nothing here logs a commitment.

mod sequencer;
mod sled_log;
pub mod store;

use std::sync::Arc;

use ed25519_dalek::SigningKey;
use sanad_protocol::log::checkpoint::log_origin;
use sanad_protocol::log::merkle::{empty_root, frontier_subtrees, Frontier, SubtreeSource};
use sanad_protocol::log::proof::{consistency_proof, inclusion_proof, ProveError};
use sanad_protocol::log::{Checkpoint, LogKey, SignedCheckpoint};
use sanad_protocol::{ErrorCode, Request, Response};
use tokio::sync::{mpsc, oneshot};

pub use sled_log::SledLog;
pub use store::{AppendBatch, LogStore, LogStoreError};

use self::sequencer::{checkpoint_time, unix_now, AppendFailure, Pending, Published, Tree};
use self::store::StoredTree;
use crate::durability::GroupCommit;
use crate::limits::LOG_QUEUE;
use crate::store::{Store, StoreError};

/// The relay's transparency log. Dropping it stops its writer once the
/// appends already queued are answered.
pub struct Log {
    store: Arc<dyn Store>,
    tx: mpsc::Sender<Pending>,
    published: Arc<Published>,
    key: LogKey,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("origin", &self.key.origin())
            .finish_non_exhaustive()
    }
}

fn corrupt(what: &'static str) -> StoreError {
    StoreError::Corrupt(what)
}

fn log_of(store: &dyn Store) -> Result<&dyn LogStore, StoreError> {
    store
        .log()
        .ok_or(StoreError::rejected(ErrorCode::LogUnavailable))
}

fn prove_error(e: ProveError<LogStoreError>) -> StoreError {
    match e {
        ProveError::Source(e) => e.into(),
        ProveError::Request(_) => StoreError::rejected(ErrorCode::Malformed),
    }
}

impl Log {
    /// Open the log kept by `store`, signed with `key`, and start its
    /// writer on the current tokio runtime (blocks while it reads the
    /// store). An empty log gets its first checkpoint, of size 0, durably.
    ///
    /// The latest stored checkpoint must be signed by `key` and match the
    /// stored tree: otherwise this fails rather than sign a fork.
    pub fn open(
        store: &Arc<dyn Store>,
        key: &SigningKey,
        commit: GroupCommit,
    ) -> Result<Log, StoreError> {
        let log = log_of(store.as_ref())?;
        let public = LogKey::new(key.verifying_key());
        let origin = log_origin(&key.verifying_key());
        let now = unix_now();
        let (frontier, latest, latest_time) = match log
            .latest_checkpoint()
            .map_err(StoreError::from)?
        {
            None => {
                if log.size()? != 0 {
                    return Err(corrupt("log leaves without a checkpoint"));
                }
                let time = checkpoint_time(now, 0);
                let first = Checkpoint {
                    origin: origin.clone(),
                    size: 0,
                    root: empty_root(),
                }
                .sign(key, time)
                .map_err(|_| corrupt("the log origin is not the log key's"))?;
                log.append(&AppendBatch {
                    first_index: 0,
                    leaves: &[],
                    nodes: &[],
                    checkpoint: first.to_text().as_bytes(),
                })?;
                store.flush()?;
                (Frontier::new(), first, time)
            }
            Some((size, note)) => {
                let signed = SignedCheckpoint::parse(&note)
                    .map_err(|_| corrupt("the latest log checkpoint does not parse"))?;
                let verified = signed.verify(&public).map_err(|_| {
                    corrupt("the latest log checkpoint is not signed by the log key, or carries no time")
                })?;
                if verified.time() > now {
                    tracing::warn!(
                        ahead_s = verified.time() - now,
                        "the latest log checkpoint is later than the clock; new checkpoints keep its time until the clock passes it"
                    );
                }
                if verified.size() != size || log.size()? != size {
                    return Err(corrupt("the log size disagrees with its checkpoint"));
                }
                let tree = StoredTree(log);
                let hashes = frontier_subtrees(size)
                    .map(|s| tree.subtree_hash(s))
                    .collect::<Result<Vec<_>, _>>()?;
                let frontier = Frontier::from_parts(size, hashes)
                    .map_err(|_| corrupt("the log's right edge"))?;
                if frontier.root() != *verified.root() {
                    return Err(corrupt("the stored log tree does not match its checkpoint"));
                }
                (frontier, signed, verified.time())
            }
        };
        let published = Arc::new(Published::new(latest.clone()));
        let (tx, rx) = mpsc::channel(LOG_QUEUE);
        let tree = Tree {
            frontier,
            latest,
            latest_time,
            clock_behind: false,
            key: key.clone(),
            origin,
        };
        tokio::spawn(sequencer::run(
            Arc::downgrade(store),
            rx,
            tree,
            commit,
            Arc::clone(&published),
        ));
        Ok(Log {
            store: Arc::clone(store),
            tx,
            published,
            key: public,
        })
    }

    /// The log's public key (and origin).
    pub fn key(&self) -> &LogKey {
        &self.key
    }

    /// The latest durable checkpoint.
    pub fn checkpoint(&self) -> SignedCheckpoint {
        self.published.get()
    }

    /// Answer a log request (any other request is `malformed`).
    pub async fn handle(&self, req: Request) -> Result<Response, StoreError> {
        match req {
            Request::LogAppend(r) => {
                let (reply, answer) = oneshot::channel();
                let pending = Pending {
                    commitment: r.commitment,
                    reply,
                };
                let stopping = || StoreError::rejected(ErrorCode::ShuttingDown);
                self.tx.send(pending).await.map_err(|_| stopping())?;
                match answer.await.map_err(|_| stopping())? {
                    Ok(receipt) => Ok(Response::LogAppended { receipt }),
                    Err(AppendFailure::Stopping) => Err(stopping()),
                    Err(AppendFailure::Failed(why)) => {
                        Err(StoreError::Io(std::io::Error::other(why)))
                    }
                }
            }
            Request::LogCheckpoint => Ok(Response::Checkpoint {
                checkpoint: self.checkpoint(),
            }),
            Request::LogConsistency(r) => {
                self.within_published(r.to_size)?;
                let (from_size, to_size) = (r.from_size, r.to_size);
                let hashes = self
                    .blocking(move |log| {
                        consistency_proof(&StoredTree(log), from_size, to_size).map_err(prove_error)
                    })
                    .await?;
                Ok(Response::ConsistencyProof {
                    from_size,
                    to_size,
                    hashes,
                })
            }
            Request::LogInclusion(r) => {
                self.within_published(r.tree_size)?;
                let (leaf_index, tree_size) = (r.leaf_index, r.tree_size);
                let (leaf, hashes) = self
                    .blocking(move |log| {
                        let leaf = log
                            .leaf(leaf_index)?
                            .ok_or(corrupt("a log leaf is missing"))?;
                        let hashes = inclusion_proof(&StoredTree(log), leaf_index, tree_size)
                            .map_err(prove_error)?;
                        Ok((leaf, hashes))
                    })
                    .await?;
                Ok(Response::InclusionProof {
                    leaf_index,
                    tree_size,
                    leaf,
                    hashes,
                })
            }
            _ => Err(StoreError::rejected(ErrorCode::Malformed)),
        }
    }

    /// Proofs are served only for trees a published checkpoint covers.
    fn within_published(&self, size: u64) -> Result<(), StoreError> {
        let published = self.published.get().unverified().size;
        if size > published {
            return Err(StoreError::Rejected(ErrorCode::LogSizeUnknown, published));
        }
        Ok(())
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn LogStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(log_of(store.as_ref())?))
            .await
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
    }
}
