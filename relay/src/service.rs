//! The request service: authenticates owner-signed requests, rejects replays
//! and stale timestamps, applies quotas, calls the store, waits for
//! durability, answers. Transport-agnostic: QUIC and TCP both call
//! [`Service::handle`], and [`Service::put_segment`] for segment uploads,
//! whose bytes they deliver already hashed ([`SegmentPut`]).
//!
//! Metadata changes that must be durable before their answer (mailbox and
//! blob creation, deposits, acknowledgements) run on the commit thread,
//! which batches them under one flush (`durability`); reads and the replay
//! check run directly on the calling task; file work (segment writes and
//! reads, the expiry sweep) runs on tokio's blocking pool.
//!
//! It never logs identifiers, keys, content or addresses: failures are logged
//! by kind only.

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use sanad_protocol::limits::{MAX_CLOCK_SKEW_SECS, MAX_FRAME_BODY};
use sanad_protocol::request::{BlobPut, VerifiedOwner};
use sanad_protocol::{BlobId, ErrorCode, Request, Response, SegmentHash, UploadToken};

use crate::durability::GroupCommit;
use crate::limits::Quotas;
use crate::store::{SegmentBytes, SledFileStore, Store, StoreError};

/// Opening the relay's storage failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the relay storage: {0}")]
pub struct OpenError(#[from] StoreError);

/// A segment upload (`BlobPut`) as a transport delivers it: the request's
/// fields and the segment's bytes, hashed as they arrived.
#[derive(Debug)]
pub struct SegmentPut {
    /// Which blob.
    pub blob_id: BlobId,
    /// The upload capability.
    pub token: UploadToken,
    /// Segment index.
    pub index: u32,
    /// The hash the client declared; must match the bytes' own.
    pub hash: SegmentHash,
    /// The bytes and the hash computed over them.
    pub data: SegmentBytes,
}

impl From<BlobPut> for SegmentPut {
    fn from(r: BlobPut) -> SegmentPut {
        SegmentPut {
            blob_id: r.blob_id,
            token: r.token,
            index: r.index,
            hash: r.hash,
            data: SegmentBytes::hash(r.data),
        }
    }
}

/// The relay's request handler. Cheap to share behind an `Arc`.
pub struct Service {
    store: Arc<dyn Store>,
    commit: GroupCommit,
    quotas: Quotas,
    log: Option<crate::log::Log>,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn hour(secs: u64) -> u32 {
    (secs / 3600) as u32
}

/// The response for a request's outcome: a rejection's code, or `Internal`
/// (logged by kind) for a storage failure.
fn answer(outcome: Result<Response, StoreError>) -> Response {
    match outcome {
        Ok(r) => r,
        Err(StoreError::Rejected(code, value)) => Response::Error { code, value },
        Err(e) => {
            tracing::error!(error = %e, "request failed inside the relay");
            Response::error(ErrorCode::Internal)
        }
    }
}

impl Service {
    /// Open (or create) the default store under `data_dir`, recovering from
    /// any crash.
    pub fn open(data_dir: &Path, quotas: Quotas) -> Result<Service, OpenError> {
        let (store, recovery) = SledFileStore::open(data_dir)?;
        if recovery.partial_files + recovery.orphan_files > 0 {
            tracing::info!(
                partial = recovery.partial_files,
                orphans = recovery.orphan_files,
                "removed segment files left by an unclean stop"
            );
        }
        if recovery.missing_files > 0 {
            tracing::warn!(
                missing = recovery.missing_files,
                segments = recovery.dropped_segments,
                "segment files lost by an unclean stop before they were acknowledged; \
                 their blobs report them missing again"
            );
        }
        Service::with_store(Arc::new(store), quotas)
    }

    /// A service over any [`Store`]; starts its group-commit thread.
    pub fn with_store(store: Arc<dyn Store>, quotas: Quotas) -> Result<Service, OpenError> {
        let commit = GroupCommit::start(&store).map_err(StoreError::Io)?;
        Ok(Service {
            store,
            commit,
            quotas,
            log: None,
        })
    }

    /// Answer one request. Mutations are durable before this returns.
    pub async fn handle(&self, req: Request) -> Response {
        answer(self.dispatch(req, now_secs()).await)
    }

    /// Answer one segment upload (a `BlobPut` whose bytes the transport
    /// already hashed). The segment is durable before this returns.
    pub async fn put_segment(&self, put: SegmentPut) -> Response {
        answer(self.store_segment(put).await)
    }

    async fn store_segment(&self, put: SegmentPut) -> Result<Response, StoreError> {
        let index = put.index;
        let sealed = self
            .blocking(move |s| {
                s.put_segment(&put.blob_id, &put.token, put.index, &put.hash, &put.data)
            })
            .await?;
        self.durable().await?;
        Ok(Response::SegmentStored { index, sealed })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
    }

    async fn durable(&self) -> Result<(), StoreError> {
        self.commit.durable().await
    }

    /// Timestamp window and replay check for a verified owner request.
    async fn fresh(&self, v: VerifiedOwner, now: u64) -> Result<(), StoreError> {
        if v.timestamp.abs_diff(now) > MAX_CLOCK_SKEW_SECS {
            return Err(StoreError::Rejected(ErrorCode::StaleTimestamp, now));
        }
        let first_time = self
            .store
            .record_nonce(&v.owner_key, &v.nonce, v.timestamp)?;
        if first_time {
            Ok(())
        } else {
            Err(StoreError::rejected(ErrorCode::Replay))
        }
    }

    /// Look up the mailbox owner and check the request's signature and freshness.
    async fn authorize(&self, req: &Request, now: u64) -> Result<(), StoreError> {
        let rid = req
            .receive_id()
            .ok_or(StoreError::rejected(ErrorCode::Malformed))?;
        let owner = self
            .store
            .owner_of(&rid)?
            .ok_or(StoreError::rejected(ErrorCode::UnknownMailbox))?;
        let v = req.verify_owner(&owner).map_err(StoreError::rejected)?;
        self.fresh(v, now).await
    }

    async fn dispatch(&self, req: Request, now: u64) -> Result<Response, StoreError> {
        let q = &self.quotas;
        let s = self.store.as_ref();
        let commit = &self.commit;
        match req {
            Request::Ping => Ok(Response::Pong { relay_time: now }),
            Request::CreateMailbox(ref r) => {
                let owner = r.owner_key;
                let v = req.verify_owner(&owner).map_err(StoreError::rejected)?;
                self.fresh(v, now).await?;
                let (receive_id, send_id) = commit
                    .apply(move |s| s.create_mailbox(&owner, hour(now)))
                    .await?;
                Ok(Response::MailboxCreated {
                    receive_id,
                    send_id,
                })
            }
            Request::Deposit(r) => {
                if r.body.len() > q.max_message_len {
                    return Err(StoreError::Rejected(
                        ErrorCode::MessageTooLarge,
                        q.max_message_len as u64,
                    ));
                }
                let q = q.clone();
                let seq = commit
                    .apply(move |s| s.deposit(&r.send_id, &r.key, &r.body, hour(now), &q))
                    .await?;
                Ok(Response::Deposited { seq })
            }
            Request::List(ref r) => {
                self.authorize(&req, now).await?;
                let (rid, after, limit) = (r.receive_id, r.after_seq, usize::from(r.limit));
                let (items, more) = s.list(&rid, after, limit)?;
                Ok(Response::MessageList { items, more })
            }
            Request::Fetch(ref r) => {
                self.authorize(&req, now).await?;
                let (rid, after, limit) = (r.receive_id, r.after_seq, usize::from(r.limit));
                // Leave room for the frame's own fields.
                let budget = MAX_FRAME_BODY - 64;
                let (items, more) = s.fetch(&rid, after, limit, budget)?;
                Ok(Response::Messages { items, more })
            }
            Request::Ack(ref r) => {
                self.authorize(&req, now).await?;
                let (rid, seqs) = (r.receive_id, r.seqs.clone());
                let removed = commit.apply(move |s| s.ack(&rid, &seqs)).await?;
                Ok(Response::Acked { removed })
            }
            Request::BlobCreate(r) => {
                let q = q.clone();
                let (blob_id, token) = commit
                    .apply(move |s| s.create_blob(r.size, hour(now), &q))
                    .await?;
                Ok(Response::BlobCreated { blob_id, token })
            }
            Request::BlobPut(r) => self.store_segment(r.into()).await,
            Request::BlobStatus(r) => {
                let st = s.blob_status(&r.blob_id)?;
                Ok(Response::BlobStatus {
                    size: st.size,
                    missing: st.missing,
                    sealed: st.sealed,
                })
            }
            Request::BlobGet(r) => {
                let (hash, data) = self
                    .blocking(move |s| s.get_segment(&r.blob_id, r.index))
                    .await?;
                Ok(Response::Segment {
                    index: r.index,
                    hash,
                    data,
                })
            }
            req @ (Request::LogAppend(_)
            | Request::LogCheckpoint
            | Request::LogConsistency(_)
            | Request::LogInclusion(_)) => match &self.log {
                Some(log) => log.handle(req).await,
                None => Err(StoreError::rejected(ErrorCode::LogUnavailable)),
            },
        }
    }

    /// Delete expired messages, blobs and nonces (as of now).
    pub async fn sweep(&self) {
        self.sweep_at(now_secs()).await;
    }

    /// Delete what has expired as of `now` (Unix seconds); used by tests to
    /// move time forward.
    pub async fn sweep_at(&self, now: u64) {
        let q = self.quotas.clone();
        match self.blocking(move |s| s.sweep(now, &q)).await {
            Ok(c) => {
                if let Err(e) = self.durable().await {
                    tracing::error!(error = %e, "flush after expiry sweep failed");
                }
                if c.messages + c.blobs > 0 {
                    tracing::info!(
                        messages = c.messages,
                        blobs = c.blobs,
                        "expired data deleted"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "expiry sweep failed"),
        }
    }

    /// Keep the transparency log in this service's store, signing its
    /// checkpoints with `key` (the relay's log key). Must be called inside
    /// a tokio runtime; blocks while it checks the stored log.
    pub fn with_log(mut self, key: &ed25519_dalek::SigningKey) -> Result<Service, OpenError> {
        self.log = Some(crate::log::Log::open(
            &self.store,
            key,
            self.commit.clone(),
        )?);
        Ok(self)
    }

    /// The transparency log, if this service keeps one.
    pub fn log(&self) -> Option<&crate::log::Log> {
        self.log.as_ref()
    }

    /// Make everything durable before exit.
    pub async fn close(&self) {
        let s = self.store.clone();
        match tokio::task::spawn_blocking(move || s.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "final flush failed"),
            Err(e) => tracing::error!(error = %e, "final flush did not run"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use sanad_protocol::request::{unsigned_auth, CreateMailbox, Fetch};
    use sanad_protocol::{Nonce, OwnerKey, ReceiveId};

    async fn service() -> (tempfile::TempDir, Service) {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Service::open(dir.path(), Quotas::default()).expect("open");
        (dir, s)
    }

    fn create(key: &SigningKey, ts: u64, nonce: u8) -> Request {
        Request::CreateMailbox(CreateMailbox {
            owner_key: OwnerKey(key.verifying_key().to_bytes()),
            auth: unsigned_auth(),
        })
        .sign(key, ts, Nonce([nonce; 16]))
    }

    fn fetch(key: &SigningKey, rid: ReceiveId, ts: u64, nonce: u8) -> Request {
        Request::Fetch(Fetch {
            receive_id: rid,
            after_seq: 0,
            limit: 10,
            auth: unsigned_auth(),
        })
        .sign(key, ts, Nonce([nonce; 16]))
    }

    fn err(r: Response) -> (ErrorCode, u64) {
        match r {
            Response::Error { code, value } => (code, value),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn owner_requests_need_a_valid_fresh_unreplayed_signature() {
        let (_d, s) = service().await;
        let key = SigningKey::from_bytes(&[7; 32]);
        let now = now_secs();
        let Response::MailboxCreated { receive_id, .. } = s.handle(create(&key, now, 1)).await
        else {
            panic!("mailbox not created");
        };
        // The same signed request again is a replay.
        assert_eq!(
            err(s.handle(create(&key, now, 1)).await).0,
            ErrorCode::Replay
        );
        assert!(matches!(
            s.handle(fetch(&key, receive_id, now, 2)).await,
            Response::Messages { .. }
        ));
        assert_eq!(
            err(s.handle(fetch(&key, receive_id, now, 2)).await).0,
            ErrorCode::Replay
        );
        // A stale timestamp tells the client the relay's time.
        let (code, relay_time) = err(s.handle(fetch(&key, receive_id, now - 3600, 3)).await);
        assert_eq!(code, ErrorCode::StaleTimestamp);
        assert!(relay_time >= now);
        // Another key cannot read this mailbox.
        let other = SigningKey::from_bytes(&[8; 32]);
        assert_eq!(
            err(s.handle(fetch(&other, receive_id, now, 4)).await).0,
            ErrorCode::BadSignature
        );
        // A tampered field breaks the signature.
        let Request::Fetch(mut f) = fetch(&key, receive_id, now, 5) else {
            unreachable!()
        };
        f.after_seq = 1;
        assert_eq!(
            err(s.handle(Request::Fetch(f)).await).0,
            ErrorCode::BadSignature
        );
        assert_eq!(
            err(s.handle(fetch(&key, ReceiveId([0; 16]), now, 6)).await).0,
            ErrorCode::UnknownMailbox
        );
    }

    #[tokio::test]
    async fn oversized_messages_are_refused_with_the_limit() {
        let (_d, s) = service().await;
        let req = Request::Deposit(sanad_protocol::request::Deposit {
            send_id: sanad_protocol::SendId([0; 16]),
            key: sanad_protocol::DepositKey([0; 16]),
            body: vec![0; Quotas::default().max_message_len + 1],
        });
        assert_eq!(
            err(s.handle(req).await),
            (
                ErrorCode::MessageTooLarge,
                Quotas::default().max_message_len as u64
            )
        );
    }
}
