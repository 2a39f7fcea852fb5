//! The transparency log end to end: real relays on loopback, real clients.
//! A thousand concurrent appends each get a receipt that verifies offline
//! against the relay's log public key; consistency proofs link successive
//! checkpoints; the tree and its checkpoints survive a restart and a
//! SIGKILL; and a checkpoint with a bad signature, a receipt for another
//! leaf and a proof against another tree each fail with their own error.
//! Through the client's typed log API (`sanad_client::log`): an append gets
//! a verified receipt whose time lies within the test's wall-clock window,
//! checkpoints are proven consistent, and another relay's log or a forged
//! history is refused by name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use sanad_client::{Client, ClientError, ConnectOptions, TransportMode};
use sanad_protocol::log::merkle::Hash;
use sanad_protocol::log::proof::{verify_consistency, verify_inclusion, ProofError};
use sanad_protocol::log::{Checkpoint, CheckpointError, LogKey, ReceiptError, VerifiedCheckpoint};
use sanad_protocol::request::{LogAppend, LogConsistency, LogInclusion};
use sanad_protocol::{Commitment, Receipt, Request, Response, SignedCheckpoint};
use sanad_tests::harness::{free_port, ChildRelay, TestRelay};

fn log_key_of(data_dir: &Path) -> LogKey {
    let keys = sanad_relay::keys::load(data_dir).expect("relay keys");
    LogKey::new(keys.log_signing_key().verifying_key())
}

fn commitment(tag: u64, i: u64) -> Commitment {
    let mut c = [0u8; 32];
    c[..8].copy_from_slice(&tag.to_be_bytes());
    c[8..16].copy_from_slice(&i.to_be_bytes());
    c[16..].copy_from_slice(b"salted manifest!");
    Commitment(c)
}

async fn append(client: &Client, c: Commitment) -> Result<Receipt, String> {
    match client
        .request(&Request::LogAppend(LogAppend { commitment: c }))
        .await
    {
        Ok(Response::LogAppended { receipt }) => Ok(receipt),
        Ok(other) => Err(format!("unexpected answer {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

async fn checkpoint(client: &Client) -> SignedCheckpoint {
    match client.request(&Request::LogCheckpoint).await {
        Ok(Response::Checkpoint { checkpoint }) => checkpoint,
        other => panic!("expected a checkpoint, got {other:?}"),
    }
}

async fn consistency(client: &Client, from_size: u64, to_size: u64) -> Vec<Hash> {
    match client
        .request(&Request::LogConsistency(LogConsistency {
            from_size,
            to_size,
        }))
        .await
    {
        Ok(Response::ConsistencyProof { hashes, .. }) => hashes,
        other => panic!("expected a consistency proof, got {other:?}"),
    }
}

async fn inclusion(client: &Client, leaf_index: u64, tree_size: u64) -> (Commitment, Vec<Hash>) {
    match client
        .request(&Request::LogInclusion(LogInclusion {
            leaf_index,
            tree_size,
        }))
        .await
    {
        Ok(Response::InclusionProof { leaf, hashes, .. }) => (leaf, hashes),
        other => panic!("expected an inclusion proof, got {other:?}"),
    }
}

/// `clients` connections appending `per_client` commitments each, 8 at a
/// time per connection.
async fn append_concurrently(relay: &TestRelay, clients: u64, per_client: u64) -> Vec<Receipt> {
    let mut tasks = Vec::new();
    for c in 0..clients {
        let client = relay.client_with(TransportMode::QuicOnly).await;
        for lane in 0..8u64 {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let mut out = Vec::new();
                for i in (lane..per_client).step_by(8) {
                    let receipt = append(&client, commitment(c, i)).await.expect("appended");
                    out.push(receipt);
                }
                out
            }));
        }
    }
    let mut receipts = Vec::new();
    for t in tasks {
        receipts.extend(t.await.expect("append task"));
    }
    receipts
}

/// Check every consecutive pair of distinct checkpoints with a consistency
/// proof from the relay, and return them in order.
async fn check_chain(client: &Client, cps: &[VerifiedCheckpoint]) {
    let mut by_size: BTreeMap<u64, &VerifiedCheckpoint> = BTreeMap::new();
    for c in cps {
        if let Some(old) = by_size.insert(c.size(), c) {
            assert_eq!(old.root(), c.root(), "two roots for one size");
        }
    }
    let chain: Vec<&&VerifiedCheckpoint> = by_size.values().filter(|c| c.size() > 0).collect();
    for pair in chain.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let proof = consistency(client, a.size(), b.size()).await;
        verify_consistency(a.size(), b.size(), &proof, a.root(), b.root())
            .unwrap_or_else(|e| panic!("{} → {}: {e}", a.size(), b.size()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_appends_verify_offline_and_survive_a_restart() {
    let mut relay = TestRelay::start().await;
    let log_key = log_key_of(relay.data_dir());
    let receipts = append_concurrently(&relay, 8, 125).await;
    assert_eq!(receipts.len(), 1000);

    // Every receipt verifies offline, for its own commitment, at a distinct index.
    let mut indexes = BTreeSet::new();
    let mut checkpoints = Vec::new();
    let mut by_index = BTreeMap::new();
    for r in &receipts {
        let text = r.to_text();
        let v = Receipt::parse(text.as_bytes())
            .expect("the receipt parses")
            .verify(&log_key)
            .expect("the receipt verifies offline");
        assert!(indexes.insert(v.leaf_index()), "index given twice");
        by_index.insert(v.leaf_index(), *v.commitment());
        checkpoints.push(v.checkpoint().clone());
    }
    assert_eq!(indexes, (0..1000).collect());
    let distinct: BTreeSet<u64> = checkpoints.iter().map(|c| c.size()).collect();
    assert!(
        distinct.len() > 1,
        "appends were batched under several checkpoints"
    );
    assert!(distinct.len() < 1000, "some appends shared a checkpoint");

    let client = relay.client().await;
    check_chain(&client, &checkpoints).await;
    let last = checkpoint(&client)
        .await
        .verify(&log_key)
        .expect("the latest checkpoint verifies");
    assert_eq!(last.size(), 1000);
    client.close().await;

    // After a restart: the same checkpoint, the same leaves, and the tree grows on.
    relay.restart().await;
    let client = relay.client().await;
    let again = checkpoint(&client).await;
    assert_eq!(again.to_text(), last.signed().to_text());
    for index in [0u64, 1, 499, 998, 999] {
        let (leaf, proof) = inclusion(&client, index, 1000).await;
        assert_eq!(Some(&leaf), by_index.get(&index));
        verify_inclusion(&leaf.leaf_hash(), index, 1000, &proof, last.root())
            .expect("old leaf still proven");
    }
    let next = append(&client, commitment(99, 0))
        .await
        .expect("append after restart")
        .verify(&log_key)
        .expect("verifies");
    assert_eq!((next.leaf_index(), next.checkpoint().size()), (1000, 1001));
    check_chain(&client, &[last.clone(), next.checkpoint().clone()]).await;
    for r in &receipts {
        r.verify(&log_key).expect("old receipts stay valid");
    }
    client.close().await;
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_checkpoint_a_receipt_for_another_leaf_and_a_proof_for_another_tree_fail_by_name() {
    let relay = TestRelay::start().await;
    let log_key = log_key_of(relay.data_dir());
    let client = relay.client().await;
    let mut receipts = Vec::new();
    for i in 0..7 {
        receipts.push(append(&client, commitment(7, i)).await.expect("append"));
    }
    let r = receipts.pop().expect("seven receipts");
    let good = r.verify(&log_key).expect("verifies");

    // A checkpoint whose text was changed no longer carries a valid signature.
    let forged_text = r.checkpoint.to_text().replacen(
        &format!("\n{}\n", good.checkpoint().size()),
        "\n1000000\n",
        1,
    );
    let forged = SignedCheckpoint::parse(forged_text.as_bytes()).expect("still parses");
    assert_eq!(forged.verify(&log_key), Err(CheckpointError::BadSignature));
    let mut bad = r.clone();
    bad.checkpoint = forged;
    assert_eq!(
        bad.verify(&log_key),
        Err(ReceiptError::Checkpoint(CheckpointError::BadSignature))
    );

    // Another relay's key does not know this log.
    let other = TestRelay::start().await;
    assert_eq!(
        r.verify(&log_key_of(other.data_dir())),
        Err(ReceiptError::Checkpoint(CheckpointError::WrongOrigin))
    );

    // A receipt carrying another leaf's commitment.
    let mut other_leaf = r.clone();
    other_leaf.leaf = commitment(7, 0);
    assert_eq!(
        other_leaf.verify(&log_key),
        Err(ReceiptError::Proof(ProofError::RootMismatch))
    );

    // Proofs checked against another tree: the root of another size.
    let seven = good.checkpoint();
    let four = receipts[3].verify(&log_key).expect("verifies");
    let three = receipts[2].verify(&log_key).expect("verifies");
    let (leaf, proof) = inclusion(&client, 2, seven.size()).await;
    assert_eq!(
        verify_inclusion(
            &leaf.leaf_hash(),
            2,
            seven.size(),
            &proof,
            four.checkpoint().root()
        ),
        Err(ProofError::RootMismatch)
    );
    let proof = consistency(&client, 3, 7).await;
    verify_consistency(3, 7, &proof, three.checkpoint().root(), seven.root()).expect("genuine");
    assert_eq!(
        verify_consistency(3, 7, &proof, four.checkpoint().root(), seven.root()),
        Err(ProofError::OldRootMismatch)
    );
    assert_eq!(
        verify_consistency(
            3,
            7,
            &proof,
            three.checkpoint().root(),
            four.checkpoint().root()
        ),
        Err(ProofError::NewRootMismatch)
    );
    client.close().await;
}

fn relay_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_relay-under-test"))
}

/// Rounds of concurrent appends to a relay in a child process, killed with
/// SIGKILL at a random moment and restarted: every acknowledged receipt's
/// leaf is still in the tree at its index, and the new checkpoint extends
/// every acknowledged one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_appends_survive_sigkill() {
    let rounds: u64 = std::env::var("SANAD_LOG_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut relay = ChildRelay::spawn(relay_bin(), dir.path(), port).await;
    let log_key = log_key_of(dir.path());
    let opts = ConnectOptions {
        mode: TransportMode::QuicOnly,
        ..ConnectOptions::default()
    };
    let mut acked_total = 0usize;
    for round in 0..rounds {
        let acked: Arc<Mutex<Vec<Receipt>>> = Arc::default();
        let mut tasks = Vec::new();
        for writer in 0..16u64 {
            let (addr, acked, opts) = (relay.address().clone(), acked.clone(), opts.clone());
            tasks.push(tokio::spawn(async move {
                let Ok(client) = Client::connect(&addr, opts).await else {
                    return;
                };
                for n in 0u64.. {
                    match append(&client, commitment(round * 100 + writer, n)).await {
                        Ok(r) => acked.lock().expect("ledger").push(r),
                        Err(_) => return,
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(
            rand::thread_rng().gen_range(100..500),
        ))
        .await;
        relay.kill9();
        for t in &tasks {
            t.abort();
        }
        for t in tasks {
            let _ = t.await;
        }
        relay = ChildRelay::spawn(relay_bin(), dir.path(), port).await;
        let acked = std::mem::take(&mut *acked.lock().expect("ledger"));
        acked_total += acked.len();

        let client = Client::connect(relay.address(), opts.clone())
            .await
            .expect("reconnect");
        let now = checkpoint(&client)
            .await
            .verify(&log_key)
            .expect("the checkpoint after a crash verifies");
        let mut seen = BTreeSet::new();
        for r in &acked {
            let v = r.verify(&log_key).expect("acknowledged receipts verify");
            assert!(
                v.checkpoint().size() <= now.size(),
                "round {round}: tree shrank"
            );
            let (leaf, proof) = inclusion(&client, v.leaf_index(), now.size()).await;
            assert_eq!(&leaf, v.commitment(), "round {round}: leaf changed");
            verify_inclusion(
                &leaf.leaf_hash(),
                v.leaf_index(),
                now.size(),
                &proof,
                now.root(),
            )
            .expect("acknowledged leaf still in the tree");
            if seen.insert(v.checkpoint().size()) {
                let p = consistency(&client, v.checkpoint().size(), now.size()).await;
                verify_consistency(
                    v.checkpoint().size(),
                    now.size(),
                    &p,
                    v.checkpoint().root(),
                    now.root(),
                )
                .expect("the tree after the crash extends every acknowledged checkpoint");
            }
        }
        client.close().await;
    }
    assert!(
        acked_total > 0,
        "nothing was acknowledged in {rounds} rounds"
    );
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_log_api_gives_timed_verified_receipts_and_proofs_and_refuses_other_logs_and_forks(
) {
    let relay = TestRelay::start().await;
    let client = relay.client().await;
    let log = client.log_key().await.expect("the relay's log key");
    assert_eq!(
        log,
        log_key_of(relay.data_dir()),
        "learned over the pinned connection"
    );
    let first = client.log_checkpoint(&log).await.expect("a checkpoint");

    // An append: a receipt verified against the commitment sent, timed by
    // the relay within this test's clock window.
    let before = unix_now();
    let r = client
        .log_append(&log, commitment(42, 0))
        .await
        .expect("appended");
    let after = unix_now();
    assert_eq!(r.commitment(), &commitment(42, 0));
    assert!(
        (before..=after).contains(&r.checkpoint().time()),
        "receipt timed {} outside {before}..={after}",
        r.checkpoint().time()
    );
    let offline = Receipt::parse(r.to_text().as_bytes())
        .expect("the stored receipt parses")
        .verify(&log)
        .expect("and verifies offline");
    assert_eq!(offline, r);
    // Sending the same append again (a retry) is the same leaf.
    let again = client
        .log_append(&log, commitment(42, 0))
        .await
        .expect("appended again");
    assert_eq!(again.leaf_index(), r.leaf_index());
    for i in 1..5 {
        client
            .log_append(&log, commitment(42, i))
            .await
            .expect("appended");
    }

    // Consistency between two checkpoints, checked by the client and again here.
    let latest = client.log_checkpoint(&log).await.expect("a checkpoint");
    assert_eq!(latest.size(), 5);
    assert!(latest.time() >= r.checkpoint().time() && latest.time() <= unix_now());
    let p = client
        .log_consistency(&log, r.checkpoint(), &latest)
        .await
        .expect("the newer tree extends the older");
    assert!(!p.hashes().is_empty());
    verify_consistency(
        r.checkpoint().size(),
        latest.size(),
        p.hashes(),
        r.checkpoint().root(),
        latest.root(),
    )
    .expect("genuine proof");
    let extended = client
        .log_checkpoint_extending(&log, &first)
        .await
        .expect("the latest extends the first");
    assert_eq!(extended.to().size(), 5);
    let fresh = client
        .log_inclusion(&log, r.leaf_index(), &latest)
        .await
        .expect("the first leaf against the latest checkpoint");
    assert_eq!(
        (fresh.commitment(), fresh.checkpoint().size()),
        (&commitment(42, 0), 5)
    );

    // Another relay's log: its key does not accept this relay's answers.
    let other = TestRelay::start().await;
    let other_client = other.client().await;
    let other_log = other_client.log_key().await.expect("the other log key");
    assert_ne!(other_log, log);
    assert!(matches!(
        client.log_checkpoint(&other_log).await,
        Err(ClientError::LogWrongLog)
    ));
    // (The relay appends it, to its own log: the receipt is refused.)
    assert!(matches!(
        client.log_append(&other_log, commitment(42, 9)).await,
        Err(ClientError::LogWrongLog)
    ));
    let other_checkpoint = other_client
        .log_checkpoint(&other_log)
        .await
        .expect("the other log's checkpoint");
    assert!(matches!(
        client
            .log_consistency(&log, &other_checkpoint, &latest)
            .await,
        Err(ClientError::LogWrongLog)
    ));

    // A history the relay never had, signed with its own log key (as if it
    // had shown someone another view): nothing links it to the real tree.
    let keys = sanad_relay::keys::load(relay.data_dir()).expect("relay keys");
    let forge = |size: u64| {
        Checkpoint {
            origin: log.origin().to_string(),
            size,
            root: [0x11; 32],
        }
        .sign(keys.log_signing_key(), unix_now())
        .expect("sign")
        .verify(&log)
        .expect("signed by the log key")
    };
    assert!(matches!(
        client.log_checkpoint_extending(&log, &forge(3)).await,
        Err(ClientError::LogFork { older: 3, newer: 6 })
    ));
    assert!(matches!(
        client.log_consistency(&log, &forge(5), &latest).await,
        Err(ClientError::LogFork { older: 5, newer: 5 })
    ));
    other_client.close().await;
    client.close().await;
}
