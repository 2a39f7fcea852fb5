//! The relay's transparency log (DESIGN.md §4, `docs/protocol.md` §14),
//! from the client's side: learn the log's key, append a commitment, fetch
//! checkpoints and proofs. **Everything the relay returns is verified
//! before it is returned**: a checkpoint against the log key (signature and
//! time), a receipt against the commitment that was sent, a proof against
//! the checkpoints it links. What cannot be verified is an error, never a
//! value.
//!
//! Failures the caller must tell apart:
//!
//! - [`ClientError::LogWrongLog`]: the answer is another log's (another
//!   relay's key, or a checkpoint whose origin names no Sanad log).
//! - [`ClientError::LogBadProof`]: a signature, time or proof does not
//!   verify, or the answer is not for what was asked ([`LogProofError`]
//!   says which).
//! - [`ClientError::LogFork`]: two checkpoints signed by the log key that
//!   cannot both be true: the same size with two roots, or a newer one the
//!   relay cannot prove extends an older one. Keep both checkpoints: they
//!   are the evidence.
//! - [`ClientError::LogRollback`]: the relay now serves a smaller tree than
//!   one it signed before.
//!
//! Every request here is safe to repeat and is retried after transient
//! failures: reads are reads, and appending a commitment that is already a
//! leaf answers with a receipt for that leaf (`docs/protocol.md` §14.5), so
//! an append whose answer was lost can be sent again.

use sanad_protocol::frame::kind;
use sanad_protocol::log::merkle::{empty_root, Hash};
use sanad_protocol::log::proof::{verify_consistency, ProofError};
use sanad_protocol::log::{
    CheckpointError, LogKey, Receipt, ReceiptError, SignedCheckpoint, VerifiedCheckpoint,
    VerifiedReceipt,
};
use sanad_protocol::request::{LogAppend, LogConsistency, LogInclusion};
use sanad_protocol::{Commitment, ErrorCode, Request, Response};

use crate::error::ClientError;
use crate::transport::{retry, unexpected, Client, Exchange, RetryPolicy};

/// Why an answer of the log does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogProofError {
    /// A checkpoint is not signed or not timed by the log key.
    #[error("checkpoint: {0}")]
    Checkpoint(CheckpointError),
    /// A receipt (its checkpoint or its inclusion proof) does not verify.
    #[error("receipt: {0}")]
    Receipt(ReceiptError),
    /// The receipt is for another commitment than the one appended.
    #[error("the receipt is for another commitment than the one appended")]
    OtherCommitment,
    /// The answer is for another leaf or other tree sizes than asked.
    #[error("the answer is for another leaf or other tree sizes than asked")]
    NotAsked,
}

impl From<LogProofError> for ClientError {
    fn from(e: LogProofError) -> ClientError {
        ClientError::LogBadProof(e)
    }
}

fn checkpoint_error(e: CheckpointError) -> ClientError {
    match e {
        CheckpointError::WrongOrigin => ClientError::LogWrongLog,
        other => LogProofError::Checkpoint(other).into(),
    }
}

fn receipt_error(e: ReceiptError) -> ClientError {
    match e {
        ReceiptError::Checkpoint(CheckpointError::WrongOrigin) => ClientError::LogWrongLog,
        other => LogProofError::Receipt(other).into(),
    }
}

/// A relay that no longer knows a tree size it signed a checkpoint for has
/// rolled its log back; other refusals pass through.
fn rolled_back(e: ClientError, seen: u64) -> ClientError {
    match e {
        ClientError::Relay {
            code: ErrorCode::LogSizeUnknown,
            value,
        } if value < seen => ClientError::LogRollback {
            seen,
            served: value,
        },
        other => other,
    }
}

/// A checkpoint of `log`, or [`ClientError::LogWrongLog`].
fn of_log(log: &LogKey, c: &VerifiedCheckpoint) -> Result<(), ClientError> {
    if c.origin() == log.origin() {
        Ok(())
    } else {
        Err(ClientError::LogWrongLog)
    }
}

/// A consistency proof between two checkpoints of one log, checked: the
/// newer tree extends the older one. Only the client's log calls make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    from: VerifiedCheckpoint,
    to: VerifiedCheckpoint,
    hashes: Vec<Hash>,
}

impl ConsistencyProof {
    /// The older checkpoint.
    pub fn from(&self) -> &VerifiedCheckpoint {
        &self.from
    }

    /// The newer checkpoint.
    pub fn to(&self) -> &VerifiedCheckpoint {
        &self.to
    }

    /// The proof (RFC 9162 §2.1.4), empty when the sizes are equal or the
    /// older tree is empty.
    pub fn hashes(&self) -> &[Hash] {
        &self.hashes
    }
}

async fn fetch_checkpoint<E: Exchange>(ex: &E) -> Result<SignedCheckpoint, ClientError> {
    let frame = Request::LogCheckpoint.encode();
    match retry(RetryPolicy::REPEATABLE, || {
        ex.exchange(&frame, kind::LOG_CHECKPOINT)
    })
    .await?
    {
        Response::Checkpoint { checkpoint } => Ok(checkpoint),
        other => Err(unexpected(kind::LOG_CHECKPOINT, &other)),
    }
}

async fn log_key_via<E: Exchange>(ex: &E) -> Result<LogKey, ClientError> {
    let c = fetch_checkpoint(ex).await?;
    let log = LogKey::from_origin(&c.unverified().origin).ok_or(ClientError::LogWrongLog)?;
    c.verify(&log).map_err(checkpoint_error)?;
    Ok(log)
}

async fn checkpoint_via<E: Exchange>(
    ex: &E,
    log: &LogKey,
) -> Result<VerifiedCheckpoint, ClientError> {
    fetch_checkpoint(ex)
        .await?
        .verify(log)
        .map_err(checkpoint_error)
}

async fn append_via<E: Exchange>(
    ex: &E,
    log: &LogKey,
    commitment: Commitment,
) -> Result<VerifiedReceipt, ClientError> {
    let frame = Request::LogAppend(LogAppend { commitment }).encode();
    let receipt = match retry(RetryPolicy::REPEATABLE, || {
        ex.exchange(&frame, kind::LOG_APPEND)
    })
    .await?
    {
        Response::LogAppended { receipt } => receipt,
        other => return Err(unexpected(kind::LOG_APPEND, &other)),
    };
    let verified = receipt.verify(log).map_err(receipt_error)?;
    if *verified.commitment() != commitment {
        return Err(LogProofError::OtherCommitment.into());
    }
    Ok(verified)
}

async fn consistency_via<E: Exchange>(
    ex: &E,
    log: &LogKey,
    from: &VerifiedCheckpoint,
    to: &VerifiedCheckpoint,
) -> Result<ConsistencyProof, ClientError> {
    of_log(log, from)?;
    of_log(log, to)?;
    let (m, n) = (from.size(), to.size());
    if m > n {
        return Err(ClientError::InvalidInput(
            "the older checkpoint is larger than the newer one",
        ));
    }
    let fork = ClientError::LogFork { older: m, newer: n };
    let proven = |hashes| ConsistencyProof {
        from: from.clone(),
        to: to.clone(),
        hashes,
    };
    // Nothing to ask: an equal size must have an equal root, and the empty
    // tree has one root and is a prefix of every tree.
    if m == n {
        return if from.root() == to.root() {
            Ok(proven(Vec::new()))
        } else {
            Err(fork)
        };
    }
    if m == 0 {
        return if *from.root() == empty_root() {
            Ok(proven(Vec::new()))
        } else {
            Err(fork)
        };
    }
    let frame = Request::LogConsistency(LogConsistency {
        from_size: m,
        to_size: n,
    })
    .encode();
    let answer = retry(RetryPolicy::REPEATABLE, || {
        ex.exchange(&frame, kind::LOG_CONSISTENCY)
    })
    .await
    .map_err(|e| rolled_back(e, n))?;
    let hashes = match answer {
        Response::ConsistencyProof {
            from_size,
            to_size,
            hashes,
        } if (from_size, to_size) == (m, n) => hashes,
        Response::ConsistencyProof { .. } => return Err(LogProofError::NotAsked.into()),
        other => return Err(unexpected(kind::LOG_CONSISTENCY, &other)),
    };
    // Both checkpoints carry the log key's signature; no proof linking them
    // is a fork, whatever the reason the relay gives none.
    match verify_consistency(m, n, &hashes, from.root(), to.root()) {
        Ok(()) => Ok(proven(hashes)),
        Err(ProofError::WrongLength { .. }) => Err(LogProofError::NotAsked.into()),
        Err(_) => Err(fork),
    }
}

async fn inclusion_via<E: Exchange>(
    ex: &E,
    log: &LogKey,
    leaf_index: u64,
    at: &VerifiedCheckpoint,
) -> Result<VerifiedReceipt, ClientError> {
    of_log(log, at)?;
    if leaf_index >= at.size() {
        return Err(ClientError::InvalidInput(
            "the leaf is not in the checkpoint's tree",
        ));
    }
    let frame = Request::LogInclusion(LogInclusion {
        leaf_index,
        tree_size: at.size(),
    })
    .encode();
    let answer = retry(RetryPolicy::REPEATABLE, || {
        ex.exchange(&frame, kind::LOG_INCLUSION)
    })
    .await
    .map_err(|e| rolled_back(e, at.size()))?;
    let (leaf, proof) = match answer {
        Response::InclusionProof {
            leaf_index: i,
            tree_size,
            leaf,
            hashes,
        } if (i, tree_size) == (leaf_index, at.size()) => (leaf, hashes),
        Response::InclusionProof { .. } => return Err(LogProofError::NotAsked.into()),
        other => return Err(unexpected(kind::LOG_INCLUSION, &other)),
    };
    Receipt {
        checkpoint: at.signed().clone(),
        leaf_index,
        leaf,
        proof,
    }
    .verify(log)
    .map_err(receipt_error)
}

async fn checkpoint_extending_via<E: Exchange>(
    ex: &E,
    log: &LogKey,
    seen: &VerifiedCheckpoint,
) -> Result<ConsistencyProof, ClientError> {
    of_log(log, seen)?;
    let latest = checkpoint_via(ex, log).await?;
    if latest.size() < seen.size() {
        return Err(ClientError::LogRollback {
            seen: seen.size(),
            served: latest.size(),
        });
    }
    consistency_via(ex, log, seen, &latest).await
}

impl Client {
    /// The key of this relay's log, read from the origin of its current
    /// checkpoint (`sanad/log/<hex key>`), which must verify against it.
    /// The pinned connection is what makes the key this relay's: store it
    /// and pass it to the other calls, so a later answer from another log
    /// is refused.
    pub async fn log_key(&self) -> Result<LogKey, ClientError> {
        log_key_via(self).await
    }

    /// The log's latest checkpoint, signed and timed by `log`'s key.
    pub async fn log_checkpoint(&self, log: &LogKey) -> Result<VerifiedCheckpoint, ClientError> {
        checkpoint_via(self, log).await
    }

    /// The log's latest checkpoint, proven to extend `seen` (a checkpoint
    /// of `log` seen earlier): [`ClientError::LogFork`] if it does not,
    /// [`ClientError::LogRollback`] if it is smaller. The proof's
    /// [`to`](ConsistencyProof::to) is the latest checkpoint.
    pub async fn log_checkpoint_extending(
        &self,
        log: &LogKey,
        seen: &VerifiedCheckpoint,
    ) -> Result<ConsistencyProof, ClientError> {
        checkpoint_extending_via(self, log, seen).await
    }

    /// Append `commitment` to the log and return its receipt, verified
    /// against `log` and against this very commitment. Retried after
    /// transient failures: a commitment appended twice is one leaf, and the
    /// answer is a receipt for it.
    pub async fn log_append(
        &self,
        log: &LogKey,
        commitment: Commitment,
    ) -> Result<VerifiedReceipt, ClientError> {
        append_via(self, log, commitment).await
    }

    /// Prove that `to` extends `from` (two checkpoints of `log`, `from` not
    /// larger). Equal sizes and an empty `from` need no request. A proof
    /// that does not verify, or two roots for one size, is
    /// [`ClientError::LogFork`].
    pub async fn log_consistency(
        &self,
        log: &LogKey,
        from: &VerifiedCheckpoint,
        to: &VerifiedCheckpoint,
    ) -> Result<ConsistencyProof, ClientError> {
        consistency_via(self, log, from, to).await
    }

    /// A fresh receipt for leaf `leaf_index` against the checkpoint `at`
    /// (for instance, an old commitment against a newer checkpoint),
    /// verified. Compare its [`commitment`](VerifiedReceipt::commitment)
    /// with the one expected at that index.
    pub async fn log_inclusion(
        &self,
        log: &LogKey,
        leaf_index: u64,
        at: &VerifiedCheckpoint,
    ) -> Result<VerifiedReceipt, ClientError> {
        inclusion_via(self, log, leaf_index, at).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;
    use sanad_protocol::log::merkle::{leaf_hash, root, LeafHashes};
    use sanad_protocol::log::proof::{consistency_proof, inclusion_proof};
    use sanad_protocol::log::Checkpoint;
    use std::collections::VecDeque;
    use std::sync::Mutex;

    /// Answers from a script and records the requests.
    struct Scripted {
        requests: Mutex<Vec<Request>>,
        answers: Mutex<VecDeque<Result<Response, ClientError>>>,
    }

    impl Scripted {
        fn new(answers: Vec<Result<Response, ClientError>>) -> Self {
            Scripted {
                requests: Mutex::new(Vec::new()),
                answers: Mutex::new(answers.into()),
            }
        }

        fn requests(&self) -> Vec<Request> {
            self.requests.lock().expect("not poisoned").clone()
        }
    }

    impl Exchange for Scripted {
        fn exchange(
            &self,
            frame: &[u8],
            _request_kind: u8,
        ) -> impl std::future::Future<Output = Result<Response, ClientError>> + Send {
            self.requests
                .lock()
                .expect("not poisoned")
                .push(Request::decode(frame).expect("client frames decode"));
            let answer = self
                .answers
                .lock()
                .expect("not poisoned")
                .pop_front()
                .expect("script long enough");
            std::future::ready(answer)
        }
    }

    /// A log of `n` leaves `[i; 32]` kept in memory, signed by `seed`.
    struct TestLog {
        key: SigningKey,
        leaves: Vec<Commitment>,
    }

    impl TestLog {
        fn new(seed: u8, n: u8) -> TestLog {
            TestLog {
                key: SigningKey::from_bytes(&[seed; 32]),
                leaves: (0..n).map(|i| Commitment([i; 32])).collect(),
            }
        }

        fn log_key(&self) -> LogKey {
            LogKey::new(self.key.verifying_key())
        }

        fn hashes(&self) -> Vec<Hash> {
            self.leaves.iter().map(|c| leaf_hash(&c.0)).collect()
        }

        fn signed(&self, size: u64, root: Hash) -> SignedCheckpoint {
            Checkpoint {
                origin: self.log_key().origin().to_string(),
                size,
                root,
            }
            .sign(&self.key, 1_700_000_000 + size)
            .expect("own origin")
        }

        fn checkpoint(&self, size: u64) -> SignedCheckpoint {
            self.signed(size, root(&self.hashes()[..size as usize]))
        }

        fn verified(&self, size: u64) -> VerifiedCheckpoint {
            self.checkpoint(size)
                .verify(&self.log_key())
                .expect("verifies")
        }

        fn receipt(&self, index: u64, size: u64) -> Receipt {
            Receipt {
                checkpoint: self.checkpoint(size),
                leaf_index: index,
                leaf: self.leaves[index as usize],
                proof: inclusion_proof(&LeafHashes(&self.hashes()), index, size).expect("in tree"),
            }
        }

        fn consistency(&self, from: u64, to: u64) -> Response {
            Response::ConsistencyProof {
                from_size: from,
                to_size: to,
                hashes: consistency_proof(&LeafHashes(&self.hashes()), from, to).expect("ordered"),
            }
        }
    }

    fn lost() -> Result<Response, ClientError> {
        Err(ClientError::transport("connection lost"))
    }

    #[tokio::test]
    async fn the_log_key_is_learned_from_the_checkpoint_origin_and_must_sign_it() {
        let t = TestLog::new(1, 4);
        let ex = Scripted::new(vec![Ok(Response::Checkpoint {
            checkpoint: t.checkpoint(4),
        })]);
        assert_eq!(log_key_via(&ex).await.expect("learned"), t.log_key());
        // A checkpoint naming one key and signed by another teaches nothing.
        let other = TestLog::new(2, 4);
        let text = other
            .checkpoint(4)
            .to_text()
            .replace(other.log_key().origin(), t.log_key().origin());
        let forged = SignedCheckpoint::parse(text.as_bytes()).expect("parses");
        let ex = Scripted::new(vec![Ok(Response::Checkpoint { checkpoint: forged })]);
        assert!(matches!(
            log_key_via(&ex).await,
            Err(ClientError::LogBadProof(LogProofError::Checkpoint(
                CheckpointError::UnknownKey
            )))
        ));
    }

    #[tokio::test]
    async fn an_append_is_retried_after_a_lost_answer_and_its_receipt_verified() {
        let t = TestLog::new(1, 4);
        let ex = Scripted::new(vec![
            lost(),
            Ok(Response::LogAppended {
                receipt: t.receipt(2, 4),
            }),
        ]);
        let r = append_via(&ex, &t.log_key(), t.leaves[2])
            .await
            .expect("receipt");
        assert_eq!((r.leaf_index(), r.checkpoint().time()), (2, 1_700_000_004));
        let sent = ex.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0], sent[1], "the same append, sent again");
    }

    #[tokio::test]
    async fn a_receipt_for_another_commitment_or_another_log_is_refused() {
        let t = TestLog::new(1, 4);
        let ex = Scripted::new(vec![Ok(Response::LogAppended {
            receipt: t.receipt(3, 4),
        })]);
        assert!(matches!(
            append_via(&ex, &t.log_key(), t.leaves[2]).await,
            Err(ClientError::LogBadProof(LogProofError::OtherCommitment))
        ));
        let other = TestLog::new(2, 4);
        let ex = Scripted::new(vec![Ok(Response::LogAppended {
            receipt: other.receipt(2, 4),
        })]);
        assert!(matches!(
            append_via(&ex, &t.log_key(), t.leaves[2]).await,
            Err(ClientError::LogWrongLog)
        ));
        let ex = Scripted::new(vec![Ok(Response::Checkpoint {
            checkpoint: other.checkpoint(4),
        })]);
        assert!(matches!(
            checkpoint_via(&ex, &t.log_key()).await,
            Err(ClientError::LogWrongLog)
        ));
    }

    #[tokio::test]
    async fn a_consistency_proof_is_verified_and_a_failing_one_is_a_fork() {
        let t = TestLog::new(1, 8);
        let (three, seven) = (t.verified(3), t.verified(7));
        let ex = Scripted::new(vec![Ok(t.consistency(3, 7))]);
        let p = consistency_via(&ex, &t.log_key(), &three, &seven)
            .await
            .expect("consistent");
        assert_eq!((p.from().size(), p.to().size()), (3, 7));
        assert!(!p.hashes().is_empty());
        // A tree of 7 whose history differs from the tree of 3: the relay's
        // genuine proof for its own tree does not link them.
        let mut forked = TestLog::new(1, 8);
        forked.leaves[1] = Commitment([0xee; 32]);
        let ex = Scripted::new(vec![Ok(t.consistency(3, 7))]);
        assert!(matches!(
            consistency_via(&ex, &t.log_key(), &forked.verified(3), &seven).await,
            Err(ClientError::LogFork { older: 3, newer: 7 })
        ));
    }

    #[tokio::test]
    async fn two_roots_for_one_size_are_a_fork_without_asking_the_relay() {
        let t = TestLog::new(1, 8);
        let other_root = t.signed(5, [0x11; 32]).verify(&t.log_key()).expect("ok");
        let ex = Scripted::new(vec![]);
        assert!(matches!(
            consistency_via(&ex, &t.log_key(), &t.verified(5), &other_root).await,
            Err(ClientError::LogFork { older: 5, newer: 5 })
        ));
        let bad_empty = t.signed(0, [0x11; 32]).verify(&t.log_key()).expect("ok");
        assert!(matches!(
            consistency_via(&ex, &t.log_key(), &bad_empty, &t.verified(5)).await,
            Err(ClientError::LogFork { older: 0, newer: 5 })
        ));
        let p = consistency_via(&ex, &t.log_key(), &t.verified(0), &t.verified(5))
            .await
            .expect("the empty tree is a prefix of every tree");
        assert!(p.hashes().is_empty());
        assert!(ex.requests().is_empty());
    }

    #[tokio::test]
    async fn a_smaller_latest_checkpoint_or_a_forgotten_size_is_a_rollback() {
        let t = TestLog::new(1, 8);
        let ex = Scripted::new(vec![Ok(Response::Checkpoint {
            checkpoint: t.checkpoint(4),
        })]);
        assert!(matches!(
            checkpoint_extending_via(&ex, &t.log_key(), &t.verified(6)).await,
            Err(ClientError::LogRollback { seen: 6, served: 4 })
        ));
        let ex = Scripted::new(vec![Err(ClientError::Relay {
            code: ErrorCode::LogSizeUnknown,
            value: 4,
        })]);
        assert!(matches!(
            inclusion_via(&ex, &t.log_key(), 1, &t.verified(6)).await,
            Err(ClientError::LogRollback { seen: 6, served: 4 })
        ));
        let ex = Scripted::new(vec![
            Ok(Response::Checkpoint {
                checkpoint: t.checkpoint(8),
            }),
            Ok(t.consistency(6, 8)),
        ]);
        let p = checkpoint_extending_via(&ex, &t.log_key(), &t.verified(6))
            .await
            .expect("extends");
        assert_eq!(p.to().size(), 8);
    }

    #[tokio::test]
    async fn an_inclusion_answer_for_another_leaf_or_tree_is_refused() {
        let t = TestLog::new(1, 8);
        let answer = |leaf_index, tree_size, leaf| {
            Ok(Response::InclusionProof {
                leaf_index,
                tree_size,
                leaf,
                hashes: inclusion_proof(&LeafHashes(&t.hashes()), leaf_index, tree_size)
                    .expect("in tree"),
            })
        };
        let at = t.verified(8);
        let ex = Scripted::new(vec![answer(5, 8, t.leaves[5])]);
        let r = inclusion_via(&ex, &t.log_key(), 5, &at)
            .await
            .expect("proven");
        assert_eq!(r.commitment(), &t.leaves[5]);
        let ex = Scripted::new(vec![answer(4, 8, t.leaves[4])]);
        assert!(matches!(
            inclusion_via(&ex, &t.log_key(), 5, &at).await,
            Err(ClientError::LogBadProof(LogProofError::NotAsked))
        ));
        let ex = Scripted::new(vec![Ok(Response::InclusionProof {
            leaf_index: 5,
            tree_size: 8,
            leaf: t.leaves[6],
            hashes: inclusion_proof(&LeafHashes(&t.hashes()), 5, 8).expect("in tree"),
        })]);
        assert!(matches!(
            inclusion_via(&ex, &t.log_key(), 5, &at).await,
            Err(ClientError::LogBadProof(LogProofError::Receipt(
                ReceiptError::Proof(ProofError::RootMismatch)
            )))
        ));
    }
}
