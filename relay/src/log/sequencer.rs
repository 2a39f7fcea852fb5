//! The one writer of the log: takes every append waiting at that moment (up
//! to [`MAX_LOG_BATCH`]), adds the new leaves to the tree, signs one
//! checkpoint for the batch, writes it all as one atomic store append, and
//! hands each request its receipt once the group commit has made the batch
//! durable. While one batch waits for its flush the next is already being
//! built, so the flush is shared by as many appends as arrive meanwhile.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use ed25519_dalek::SigningKey;
use sanad_protocol::log::cosignature::MAX_COSIGNATURE_TIME;
use sanad_protocol::log::merkle::{Frontier, Hash, Subtree, SubtreeSource};
use sanad_protocol::log::proof::{inclusion_proof, ProveError};
use sanad_protocol::log::{Checkpoint, Receipt, SignedCheckpoint};
use sanad_protocol::Commitment;
use tokio::sync::{mpsc, oneshot};

use super::store::{AppendBatch, LogStore, LogStoreError, StoredTree};
use crate::durability::GroupCommit;
use crate::limits::MAX_LOG_BATCH;
use crate::store::Store;

/// Why an append got no receipt.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum AppendFailure {
    /// The relay is stopping.
    #[error("the log is stopping")]
    Stopping,
    /// Storing or flushing failed (already logged).
    #[error("the append failed: {0}")]
    Failed(String),
}

/// One append waiting for its receipt.
pub(crate) struct Pending {
    pub(crate) commitment: Commitment,
    pub(crate) reply: oneshot::Sender<Result<Receipt, AppendFailure>>,
}

/// The checkpoint clients may see: the latest one that is durable.
pub(crate) struct Published(Mutex<SignedCheckpoint>);

impl Published {
    pub(crate) fn new(c: SignedCheckpoint) -> Published {
        Published(Mutex::new(c))
    }

    pub(crate) fn get(&self) -> SignedCheckpoint {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Publish `c` unless a larger checkpoint already is (batches become
    /// durable in order, but their waiters may wake in any order).
    fn advance(&self, c: SignedCheckpoint) {
        let mut cur = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if c.unverified().size > cur.unverified().size {
            *cur = c;
        }
    }
}

/// The writer's state: the tree's right edge and the latest checkpoint.
pub(crate) struct Tree {
    pub(crate) frontier: Frontier,
    pub(crate) latest: SignedCheckpoint,
    /// The time on `latest` (verified when it was read back or signed).
    pub(crate) latest_time: u64,
    /// Whether the clock was behind `latest_time` at the last checkpoint
    /// (so that this is logged once, not once per batch).
    pub(crate) clock_behind: bool,
    pub(crate) key: SigningKey,
    pub(crate) origin: String,
}

/// The hashes a batch's proofs need, in memory, over the store.
struct BatchTree<'a> {
    memory: HashMap<Subtree, Hash>,
    store: &'a dyn LogStore,
}

impl SubtreeSource for BatchTree<'_> {
    type Error = LogStoreError;

    fn subtree_hash(&self, s: Subtree) -> Result<Hash, LogStoreError> {
        match self.memory.get(&s) {
            Some(h) => Ok(*h),
            None => StoredTree(self.store).subtree_hash(s),
        }
    }
}

fn proof_error(e: ProveError<LogStoreError>) -> LogStoreError {
    match e {
        ProveError::Source(e) => e,
        ProveError::Request(_) => LogStoreError::Corrupt("a receipt for a leaf outside the tree"),
    }
}

impl Tree {
    /// Append `commitments` (those already in the log are not appended
    /// again), store the batch with its checkpoint, timed `now` (POSIX
    /// seconds) or the previous checkpoint's time if the clock is behind it,
    /// and return one receipt per commitment, in order, against that
    /// checkpoint. If storing fails, nothing changed, in the store or here.
    pub(crate) fn append(
        &mut self,
        store: &dyn LogStore,
        commitments: &[Commitment],
        now: u64,
    ) -> Result<Vec<Receipt>, LogStoreError> {
        let first_index = self.frontier.size();
        let mut frontier = self.frontier.clone();
        // Proofs of new leaves need only hashes this batch completes and the
        // old right edge; older leaves fall back to the store.
        let mut memory: HashMap<Subtree, Hash> = frontier.subtrees().collect();
        let mut nodes = Vec::new();
        let mut leaves = Vec::new();
        let mut new_index: HashMap<Commitment, u64> = HashMap::new();
        let mut positions = Vec::with_capacity(commitments.len());
        for c in commitments {
            if let Some(&i) = new_index.get(c) {
                positions.push(i);
                continue;
            }
            if let Some(i) = store.index_of(c)? {
                positions.push(i);
                continue;
            }
            let i = frontier.size();
            frontier
                .push(c.leaf_hash(), |s, h| {
                    memory.insert(s, h);
                    if s.level > 0 {
                        nodes.push((s, h));
                    }
                })
                .map_err(|_| LogStoreError::Full)?;
            new_index.insert(*c, i);
            leaves.push(*c);
            positions.push(i);
        }
        let mut time = self.latest_time;
        let mut behind = self.clock_behind;
        let signed = if leaves.is_empty() {
            self.latest.clone()
        } else {
            time = checkpoint_time(now, self.latest_time);
            behind = now < self.latest_time;
            if behind && !self.clock_behind {
                tracing::warn!(
                    behind_s = self.latest_time - now,
                    "the clock is behind the latest log checkpoint; new checkpoints keep its time"
                );
            }
            let signed = Checkpoint {
                origin: self.origin.clone(),
                size: frontier.size(),
                root: frontier.root(),
            }
            .sign(&self.key, time)
            .map_err(|_| LogStoreError::Corrupt("the log origin is not the log key's"))?;
            store.append(&AppendBatch {
                first_index,
                leaves: &leaves,
                nodes: &nodes,
                checkpoint: signed.to_text().as_bytes(),
            })?;
            signed
        };
        let size = frontier.size();
        self.frontier = frontier;
        self.latest = signed.clone();
        self.latest_time = time;
        self.clock_behind = behind;
        let src = BatchTree { memory, store };
        commitments
            .iter()
            .zip(positions)
            .map(|(c, i)| {
                Ok(Receipt {
                    checkpoint: signed.clone(),
                    leaf_index: i,
                    leaf: *c,
                    proof: inclusion_proof(&src, i, size).map_err(proof_error)?,
                })
            })
            .collect()
    }
}

/// The time to put on a new checkpoint: the clock, unless it is behind the
/// previous checkpoint's time, which it then repeats, so that checkpoint
/// times never go back (a checkpoint's time bounds when its leaves were
/// appended from above; repeating a later time keeps that true).
pub(crate) fn checkpoint_time(now: u64, previous: u64) -> u64 {
    now.clamp(previous, MAX_COSIGNATURE_TIME)
}

/// The system clock in POSIX seconds (0 before the epoch).
pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn fail(batch: Vec<Pending>, why: &AppendFailure) {
    for p in batch {
        // A client that went away no longer needs the answer.
        let _ = p.reply.send(Err(why.clone()));
    }
}

/// Run the writer until every sender is gone.
pub(crate) async fn run(
    store: Weak<dyn Store>,
    mut rx: mpsc::Receiver<Pending>,
    mut tree: Tree,
    commit: GroupCommit,
    published: Arc<Published>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_LOG_BATCH {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let Some(store) = store.upgrade() else {
            fail(batch, &AppendFailure::Stopping);
            continue;
        };
        let commitments: Vec<Commitment> = batch.iter().map(|p| p.commitment).collect();
        let now = unix_now();
        let joined = tokio::task::spawn_blocking(move || {
            let result = match store.log() {
                Some(log) => tree.append(log, &commitments, now),
                None => Err(LogStoreError::Corrupt("the store keeps no log")),
            };
            (tree, result)
        })
        .await;
        let receipts = match joined {
            Ok((t, result)) => {
                tree = t;
                result
            }
            Err(e) => {
                // The tree went with the task: no further append is safe.
                tracing::error!(error = %e, "the log writer failed; the log stops taking appends");
                fail(batch, &AppendFailure::Failed(e.to_string()));
                rx.close();
                while let Some(p) = rx.recv().await {
                    fail(vec![p], &AppendFailure::Stopping);
                }
                return;
            }
        };
        match receipts {
            Ok(receipts) => {
                let checkpoint = tree.latest.clone();
                let commit = commit.clone();
                let published = Arc::clone(&published);
                tokio::spawn(async move {
                    match commit.durable().await {
                        Ok(()) => {
                            published.advance(checkpoint);
                            for (p, r) in batch.into_iter().zip(receipts) {
                                let _ = p.reply.send(Ok(r));
                            }
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "flushing log appends failed");
                            fail(batch, &AppendFailure::Failed(e.to_string()));
                        }
                    }
                });
            }
            Err(e) => {
                tracing::error!(error = %e, "log append failed");
                fail(batch, &AppendFailure::Failed(e.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_time_is_the_clock_but_never_before_the_previous_nor_beyond_the_range() {
        assert_eq!(checkpoint_time(1_000, 900), 1_000);
        assert_eq!(checkpoint_time(900, 1_000), 1_000);
        assert_eq!(checkpoint_time(u64::MAX, 0), MAX_COSIGNATURE_TIME);
    }
}
