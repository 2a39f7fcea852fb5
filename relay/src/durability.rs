//! Group commit: many concurrent writers share one flush.
//!
//! A writer first applies its change to the store, then calls
//! [`GroupCommit::durable`]. A single flusher thread takes every writer
//! waiting at that moment, runs one `Store::flush`, and wakes them all. A
//! writer that arrives during a flush waits for the next one, so its change
//! is always covered by a flush that *started after* the change was applied.
//!
//! The flusher is a plain thread of its own rather than a task that hands
//! each flush to tokio's blocking pool: a flush blocks on `fsync` anyway,
//! and a dedicated thread costs one wake-up per batch instead of two
//! hand-offs between threads (which, with many small writes, cost more CPU
//! than the writes themselves).

use std::sync::mpsc;
use std::sync::{Arc, Weak};

use tokio::sync::oneshot;

use crate::store::{Store, StoreError};

type Waiter = oneshot::Sender<Result<(), String>>;

/// Handle to the flusher thread. Cheap to clone; the thread ends when the
/// last handle is dropped.
#[derive(Clone)]
pub struct GroupCommit {
    tx: mpsc::Sender<Waiter>,
}

/// The flush that would have made a change durable failed.
#[derive(Debug, thiserror::Error)]
#[error("flush failed: {0}")]
pub struct FlushError(String);

impl GroupCommit {
    /// Start the flusher thread for `store`. The thread holds the store
    /// weakly, so dropping the service closes the storage (and releases its
    /// lock) at once. Fails only if the system refuses a new thread.
    pub fn start(store: &Arc<dyn Store>) -> std::io::Result<GroupCommit> {
        let (tx, rx) = mpsc::channel::<Waiter>();
        let store: Weak<dyn Store> = Arc::downgrade(store);
        std::thread::Builder::new()
            .name("sanad-flush".into())
            .spawn(move || flusher(&rx, &store))?;
        Ok(GroupCommit { tx })
    }

    /// Wait until every change this task made so far is durable.
    pub async fn durable(&self) -> Result<(), FlushError> {
        if cfg!(feature = "dangerous-ack-before-durable") {
            return Ok(());
        }
        let (tx, rx) = oneshot::channel();
        self.tx
            .send(tx)
            .map_err(|_| FlushError("flusher stopped".into()))?;
        rx.await
            .map_err(|_| FlushError("flusher stopped".into()))?
            .map_err(FlushError)
    }
}

fn flusher(rx: &mpsc::Receiver<Waiter>, store: &Weak<dyn Store>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let Some(s) = store.upgrade() else {
            return;
        };
        let result = s.flush().map_err(|e| describe(&e));
        drop(s);
        for w in batch {
            // A writer that went away no longer needs the answer.
            let _ = w.send(result.clone());
        }
    }
}

fn describe(e: &StoreError) -> String {
    e.to_string()
}
