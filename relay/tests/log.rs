//! The relay's transparency log through its request service and its store,
//! without the network: appends get receipts that verify offline, the tree
//! and its checkpoints survive reopening the store, history cannot be
//! rewritten through the store API, and a stored log that the log key did
//! not sign (or did not time) is refused. Every checkpoint, in receipts too,
//! carries the log key's time cosignature, within the test's wall-clock
//! window, and checkpoint times never go back, across restarts too.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use ed25519_dalek::SigningKey;
use sanad_protocol::log::checkpoint::log_origin;
use sanad_protocol::log::merkle::{Frontier, Hash, Subtree};
use sanad_protocol::log::note::Note;
use sanad_protocol::log::proof::{verify_consistency, verify_inclusion};
use sanad_protocol::log::{Checkpoint, LogKey, VerifiedCheckpoint};
use sanad_protocol::request::{LogAppend, LogConsistency, LogInclusion};
use sanad_protocol::{Commitment, ErrorCode, Receipt, Request, Response, SignedCheckpoint};
use sanad_relay::limits::Quotas;
use sanad_relay::log::{AppendBatch, LogStoreError};
use sanad_relay::service::Service;
use sanad_relay::store::{SledFileStore, Store};

fn key() -> SigningKey {
    SigningKey::from_bytes(&[0x5a; 32])
}

fn commitment(i: u32) -> Commitment {
    let mut c = [0u8; 32];
    c[..4].copy_from_slice(&i.to_be_bytes());
    c[4..8].copy_from_slice(b"test");
    Commitment(c)
}

fn open(dir: &std::path::Path, key: &SigningKey) -> Service {
    Service::open(dir, Quotas::default())
        .expect("store opens")
        .with_log(key)
        .expect("log opens")
}

async fn append(s: &Service, c: Commitment) -> Receipt {
    match s
        .handle(Request::LogAppend(LogAppend { commitment: c }))
        .await
    {
        Response::LogAppended { receipt } => receipt,
        other => panic!("expected a receipt, got {other:?}"),
    }
}

async fn checkpoint(s: &Service) -> SignedCheckpoint {
    match s.handle(Request::LogCheckpoint).await {
        Response::Checkpoint { checkpoint } => checkpoint,
        other => panic!("expected a checkpoint, got {other:?}"),
    }
}

fn error(r: Response) -> (ErrorCode, u64) {
    match r {
        Response::Error { code, value } => (code, value),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_get_receipts_that_verify_and_the_log_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log_key = LogKey::new(key().verifying_key());
    let s = Arc::new(open(dir.path(), &key()));
    let empty = checkpoint(&s)
        .await
        .verify(&log_key)
        .expect("first checkpoint");
    assert_eq!(empty.size(), 0);

    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let s = Arc::clone(&s);
            tokio::spawn(async move { append(&s, commitment(i)).await })
        })
        .collect();
    let mut receipts = Vec::new();
    for t in tasks {
        receipts.push(t.await.expect("task"));
    }
    let mut indexes: Vec<u64> = receipts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let v = r.verify(&log_key).expect("receipt verifies offline");
            assert_eq!(v.commitment(), &commitment(i as u32));
            v.leaf_index()
        })
        .collect();
    indexes.sort_unstable();
    assert_eq!(indexes, (0..200).collect::<Vec<_>>());
    let before = checkpoint(&s).await.verify(&log_key).expect("verifies");
    assert_eq!(before.size(), 200);
    drop(s);

    // Reopen: same tree, same checkpoint; new appends extend it.
    let s = open(dir.path(), &key());
    let again = checkpoint(&s).await;
    assert_eq!(again.to_text(), before.signed().to_text());
    let r = append(&s, commitment(1000)).await;
    let after = r.verify(&log_key).expect("verifies");
    assert_eq!((after.leaf_index(), after.checkpoint().size()), (200, 201));
    let Response::ConsistencyProof { hashes, .. } = s
        .handle(Request::LogConsistency(LogConsistency {
            from_size: 200,
            to_size: 201,
        }))
        .await
    else {
        panic!("expected a consistency proof");
    };
    verify_consistency(200, 201, &hashes, before.root(), after.checkpoint().root())
        .expect("the new tree extends the old one");
    // An old leaf is in the new tree too.
    let Response::InclusionProof { leaf, hashes, .. } = s
        .handle(Request::LogInclusion(LogInclusion {
            leaf_index: 17,
            tree_size: 201,
        }))
        .await
    else {
        panic!("expected an inclusion proof");
    };
    verify_inclusion(
        &leaf.leaf_hash(),
        17,
        201,
        &hashes,
        after.checkpoint().root(),
    )
    .expect("leaf 17 is still there");
}

#[tokio::test]
async fn appending_a_commitment_again_answers_with_its_first_leaf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = open(dir.path(), &key());
    let log_key = LogKey::new(key().verifying_key());
    let first = append(&s, commitment(1)).await;
    append(&s, commitment(2)).await;
    let again = append(&s, commitment(1)).await;
    let v = again.verify(&log_key).expect("verifies");
    assert_eq!(v.leaf_index(), first.leaf_index);
    assert_eq!(v.checkpoint().size(), 2);
}

#[tokio::test]
async fn proofs_beyond_the_latest_checkpoint_are_refused_with_its_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = open(dir.path(), &key());
    for i in 0..3 {
        append(&s, commitment(i)).await;
    }
    let r = s
        .handle(Request::LogInclusion(LogInclusion {
            leaf_index: 0,
            tree_size: 4,
        }))
        .await;
    assert_eq!(error(r), (ErrorCode::LogSizeUnknown, 3));
    let r = s
        .handle(Request::LogConsistency(LogConsistency {
            from_size: 1,
            to_size: 9,
        }))
        .await;
    assert_eq!(error(r), (ErrorCode::LogSizeUnknown, 3));
}

#[tokio::test]
async fn a_relay_without_a_log_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Service::open(dir.path(), Quotas::default()).expect("store opens");
    let r = s.handle(Request::LogCheckpoint).await;
    assert_eq!(error(r), (ErrorCode::LogUnavailable, 0));
}

#[tokio::test]
async fn the_store_api_refuses_to_append_at_an_existing_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let s = open(dir.path(), &key());
        for i in 0..5 {
            append(&s, commitment(i)).await;
        }
        s.close().await;
    }
    let (store, _) = SledFileStore::open(dir.path()).expect("store");
    let log = store.log().expect("the default store keeps a log");
    let forged = [commitment(99)];
    for first_index in [0, 3, 4, 6] {
        let err = log
            .append(&AppendBatch {
                first_index,
                leaves: &forged,
                nodes: &[],
                checkpoint: b"forged",
            })
            .expect_err("history is not rewritten");
        assert!(
            matches!(err, LogStoreError::NotAtEnd { size: 5, .. }),
            "{err}"
        );
    }
    assert_eq!(log.size().expect("size"), 5);
    assert_eq!(log.leaf(3).expect("leaf"), Some(commitment(3)));
}

#[tokio::test]
async fn a_stored_log_signed_by_another_key_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let s = open(dir.path(), &key());
        append(&s, commitment(0)).await;
        s.close().await;
    }
    let other = SigningKey::from_bytes(&[0x5b; 32]);
    let Err(err) = Service::open(dir.path(), Quotas::default())
        .expect("store opens")
        .with_log(&other)
    else {
        panic!("another key must not continue this log");
    };
    assert!(
        err.to_string().contains("not signed by the log key"),
        "{err}"
    );
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The time cosignature lines by the log key in a checkpoint note: its key
/// name and a 76-byte signature (key ID, 8-byte time, Ed25519).
fn time_lines(c: &SignedCheckpoint, log: &LogKey) -> usize {
    c.note()
        .signatures()
        .iter()
        .filter(|s| s.name == log.origin() && s.key_id == log.time_verifier().key_id())
        .inspect(|s| assert_eq!(s.signature.len(), 8 + 64))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_checkpoint_and_receipt_carries_a_time_signed_by_the_log_key_within_the_wall_clock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log_key = LogKey::new(key().verifying_key());
    let before = unix_now();
    let s = Arc::new(open(dir.path(), &key()));
    let empty = checkpoint(&s).await;
    assert_eq!(time_lines(&empty, &log_key), 1);
    let empty = empty
        .verify(&log_key)
        .expect("the first checkpoint is timed");
    let tasks: Vec<_> = (0..300)
        .map(|i| {
            let s = Arc::clone(&s);
            tokio::spawn(async move { append(&s, commitment(i)).await })
        })
        .collect();
    let mut checkpoints: Vec<VerifiedCheckpoint> = vec![empty];
    for t in tasks {
        let r = t.await.expect("task");
        assert_eq!(time_lines(&r.checkpoint, &log_key), 1);
        checkpoints.push(r.verify(&log_key).expect("verifies").checkpoint().clone());
    }
    let latest = checkpoint(&s).await;
    assert_eq!(time_lines(&latest, &log_key), 1);
    checkpoints.push(latest.verify(&log_key).expect("verifies"));
    let after = unix_now();
    for c in &checkpoints {
        assert!(
            (before..=after).contains(&c.time()),
            "checkpoint at {} timed {}, outside {before}..={after}",
            c.size(),
            c.time()
        );
    }
    // Ordered by size, the times never go back.
    checkpoints.sort_by_key(|c| c.size());
    for pair in checkpoints.windows(2) {
        assert!(pair[0].time() <= pair[1].time(), "time went back");
    }
    assert!(
        checkpoints.iter().map(|c| c.size()).max() == Some(300),
        "all appends are in the latest checkpoint"
    );
}

/// The subtrees (level ≥ 1) that appending `leaves[old..]` to the tree of
/// `leaves[..old]` completes, as the log writer stores them.
fn completed_nodes(leaves: &[Commitment], old: usize) -> (Frontier, Vec<(Subtree, Hash)>) {
    let mut f = Frontier::new();
    let mut nodes = Vec::new();
    for c in leaves {
        f.push(c.leaf_hash(), |s, h| {
            if s.level > 0 && s.end().expect("in range") > old as u64 {
                nodes.push((s, h));
            }
        })
        .expect("room");
    }
    (f, nodes)
}

/// Append `extra` to the stored log directly, under a checkpoint made by
/// `sign` from the new tree's origin, size and root.
fn append_to_store(
    dir: &std::path::Path,
    extra: Commitment,
    sign: impl FnOnce(Checkpoint) -> String,
) {
    let (store, _) = SledFileStore::open(dir).expect("store");
    let log = store.log().expect("the default store keeps a log");
    let size = log.size().expect("size");
    let mut leaves: Vec<Commitment> = (0..size)
        .map(|i| log.leaf(i).expect("leaf").expect("present"))
        .collect();
    leaves.push(extra);
    let (f, nodes) = completed_nodes(&leaves, size as usize);
    let note = sign(Checkpoint {
        origin: log_origin(&key().verifying_key()),
        size: f.size(),
        root: f.root(),
    });
    log.append(&AppendBatch {
        first_index: size,
        leaves: &[extra],
        nodes: &nodes,
        checkpoint: note.as_bytes(),
    })
    .expect("appended");
    store.flush().expect("flushed");
}

#[tokio::test]
async fn checkpoint_times_never_go_back_across_restarts_even_when_the_clock_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log_key = LogKey::new(key().verifying_key());
    let first = {
        let s = open(dir.path(), &key());
        let r = append(&s, commitment(0)).await;
        s.close().await;
        r.verify(&log_key).expect("verifies").checkpoint().clone()
    };
    // A plain restart: the next checkpoint is not earlier.
    let second = {
        let s = open(dir.path(), &key());
        let r = append(&s, commitment(1)).await;
        s.close().await;
        r.verify(&log_key).expect("verifies").checkpoint().clone()
    };
    assert!(second.time() >= first.time());
    // The latest stored checkpoint is a day ahead of this clock (as if the
    // clock had been set back since): later checkpoints keep that time.
    let ahead = unix_now() + 86_400;
    append_to_store(dir.path(), commitment(2), |c| {
        c.sign(&key(), ahead).expect("sign").to_text()
    });
    let s = open(dir.path(), &key());
    let reopened = checkpoint(&s).await.verify(&log_key).expect("verifies");
    assert_eq!((reopened.size(), reopened.time()), (3, ahead));
    for i in 3..6 {
        let r = append(&s, commitment(i)).await;
        let v = r.verify(&log_key).expect("verifies");
        assert_eq!(v.checkpoint().time(), ahead, "the time went back");
    }
    s.close().await;
}

#[tokio::test]
async fn a_stored_log_whose_latest_checkpoint_has_no_time_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let s = open(dir.path(), &key());
        append(&s, commitment(0)).await;
        s.close().await;
    }
    append_to_store(dir.path(), commitment(1), |c| {
        Note::sign(&c.to_text(), &c.origin, &key())
            .expect("sign")
            .to_text()
    });
    let Err(err) = Service::open(dir.path(), Quotas::default())
        .expect("store opens")
        .with_log(&key())
    else {
        panic!("a checkpoint without a time must not be continued");
    };
    assert!(err.to_string().contains("carries no time"), "{err}");
}
