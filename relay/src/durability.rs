//! Group commit: many concurrent writers share one flush.
//!
//! One commit thread owns every metadata write that must be durable before
//! its answer, and the flush that makes it so. It takes every job waiting at
//! that moment, applies them one after the other (sled serialises
//! transactions anyway), runs one `Store::flush`, and only then answers them
//! all. A job that arrives during a flush waits for the next one, so every
//! change is covered by a flush that *started after* it was applied.
//!
//! - [`GroupCommit::apply`] runs a small store mutation (a sled transaction)
//!   there and returns once it is durable;
//! - [`GroupCommit::durable`] waits for a flush that starts after the call,
//!   for changes made elsewhere (a segment file written on the blocking pool
//!   and its record).
//!
//! Why a thread of its own: a flush blocks on `fsync`, and sled transactions
//! wait on its I/O buffers while a flush seals them (measured: up to tens of
//! milliseconds). Run on tokio's worker threads, they stalled every
//! connection; handed one by one to the blocking pool, they cost two thread
//! hand-offs each. Here a batch costs one wake-up of this thread and one of
//! each waiting task.

use std::sync::mpsc;
use std::sync::{Arc, Weak};

use tokio::sync::oneshot;

use crate::store::{Store, StoreError};

/// What a job leaves to do once its batch's flush has run: answer its
/// caller with the flush's outcome.
type Completion = Box<dyn FnOnce(&Result<(), String>) + Send>;
/// A job: apply a change, return how to answer once it is durable.
type Job = Box<dyn FnOnce(&dyn Store) -> Completion + Send>;

/// Handle to the commit thread. Cheap to clone; the thread ends when the
/// last handle is dropped.
#[derive(Clone)]
pub struct GroupCommit {
    tx: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Start the commit thread for `store`. The thread holds the store
    /// weakly, so dropping the service closes the storage (and releases its
    /// lock) at once. Fails only if the system refuses a new thread.
    pub fn start(store: &Arc<dyn Store>) -> std::io::Result<GroupCommit> {
        let (tx, rx) = mpsc::channel::<Job>();
        let store: Weak<dyn Store> = Arc::downgrade(store);
        std::thread::Builder::new()
            .name("sanad-commit".into())
            .spawn(move || commit_loop(&rx, &store))?;
        Ok(GroupCommit { tx })
    }

    /// Apply `change` on the commit thread and return its result once it is
    /// durable. A change that fails (a rejection) stored nothing and is
    /// answered at once.
    pub async fn apply<T: Send + 'static>(
        &self,
        change: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, result) = oneshot::channel::<Result<T, StoreError>>();
        let job: Job = Box::new(move |store| match change(store) {
            Err(e) => {
                let _ = answer.send(Err(e));
                Box::new(|_| {})
            }
            Ok(value) => Box::new(move |flushed: &Result<(), String>| {
                // A caller that went away no longer needs the answer.
                let _ = answer.send(match flushed {
                    Ok(()) => Ok(value),
                    Err(e) => Err(flush_failed(e)),
                });
            }),
        });
        self.tx.send(job).map_err(|_| stopped())?;
        result.await.map_err(|_| stopped())?
    }

    /// Wait until every change this task made so far is durable.
    pub async fn durable(&self) -> Result<(), StoreError> {
        self.apply(|_| Ok(())).await
    }
}

fn commit_loop(rx: &mpsc::Receiver<Job>, store: &Weak<dyn Store>) {
    while let Ok(first) = rx.recv() {
        let Some(s) = store.upgrade() else {
            return;
        };
        let mut done: Vec<Completion> = vec![first(s.as_ref())];
        for job in rx.try_iter() {
            done.push(job(s.as_ref()));
        }
        let flushed = if cfg!(feature = "dangerous-ack-before-durable") {
            // Negative control of the crash test: answer without flushing.
            Ok(())
        } else {
            s.flush().map_err(|e| e.to_string())
        };
        drop(s);
        for complete in done {
            complete(&flushed);
        }
    }
}

fn flush_failed(e: &str) -> StoreError {
    StoreError::Io(std::io::Error::other(format!("flush failed: {e}")))
}

fn stopped() -> StoreError {
    StoreError::Io(std::io::Error::other("the commit thread stopped"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledFileStore;
    use sanad_protocol::{ErrorCode, OwnerKey};

    #[tokio::test]
    async fn changes_are_applied_on_the_commit_thread_and_rejections_come_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = SledFileStore::open(dir.path()).expect("open");
        let store: Arc<dyn Store> = Arc::new(store);
        let commit = GroupCommit::start(&store).expect("thread");
        let ids = commit
            .apply(|s| s.create_mailbox(&OwnerKey([1; 32]), 0))
            .await
            .expect("created");
        assert_eq!(
            store.owner_of(&ids.0).expect("read"),
            Some(OwnerKey([1; 32]))
        );
        let refused = commit
            .apply(|_| Err::<(), _>(StoreError::rejected(ErrorCode::StorageFull)))
            .await;
        assert!(matches!(
            refused,
            Err(StoreError::Rejected(ErrorCode::StorageFull, 0))
        ));
        commit.durable().await.expect("flushed");
    }
}
