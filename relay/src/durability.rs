//! Group commit: many concurrent writers share one flush.
//!
//! A writer first applies its change to the store, then calls
//! [`GroupCommit::durable`]. A single flusher task takes every writer waiting
//! at that moment, runs one `Store::flush`, and wakes them all. A writer that
//! arrives during a flush waits for the next one, so its change is always
//! covered by a flush that *started after* the change was applied.

use std::sync::{Arc, Weak};

use tokio::sync::{mpsc, oneshot};

use crate::store::{Store, StoreError};

type Waiter = oneshot::Sender<Result<(), String>>;

/// Handle to the flusher task. Cheap to clone.
#[derive(Clone)]
pub struct GroupCommit {
    tx: mpsc::UnboundedSender<Waiter>,
}

/// The flush that would have made a change durable failed.
#[derive(Debug, thiserror::Error)]
#[error("flush failed: {0}")]
pub struct FlushError(String);

impl GroupCommit {
    /// Start the flusher task for `store` on the current tokio runtime. The
    /// task holds the store weakly, so dropping the service closes the
    /// storage (and releases its lock) at once.
    pub fn start(store: &Arc<dyn Store>) -> GroupCommit {
        let (tx, mut rx) = mpsc::unbounded_channel::<Waiter>();
        let store: Weak<dyn Store> = Arc::downgrade(store);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while let Ok(w) = rx.try_recv() {
                    batch.push(w);
                }
                let Some(s) = store.upgrade() else {
                    return;
                };
                let result = match tokio::task::spawn_blocking(move || s.flush()).await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(describe(&e)),
                    Err(e) => Err(e.to_string()),
                };
                for w in batch {
                    // A writer that went away no longer needs the answer.
                    let _ = w.send(result.clone());
                }
            }
        });
        GroupCommit { tx }
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

fn describe(e: &StoreError) -> String {
    e.to_string()
}
