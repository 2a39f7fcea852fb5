//! Crash safety: the relay runs as a child process and is killed with
//! SIGKILL at random moments during concurrent deposits and segment uploads,
//! then restarted on the same data directory. Everything it acknowledged
//! must be there and intact.
//!
//! Rounds: `SANAD_CRASH_ROUNDS` (default 20).
//!
//! Negative control: built with `--features negative-control`, the relay
//! acknowledges before its writes are durable, and this same check must find
//! losses. Run it with
//! `cargo test --release -p sanad-tests --features negative-control --test crash`
//! (`.ci/run` does, in its own target directory).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ed25519_dalek::SigningKey;
use rand::rngs::{OsRng, StdRng};
use rand::{Rng, RngCore, SeedableRng};
use sanad_client::{BlobUpload, Client, ConnectOptions, MailboxOwner, TransportMode};
use sanad_protocol::limits::SEGMENT_SIZE;
use sanad_protocol::segment_count;
use sanad_tests::harness::{free_port, ChildRelay};

const BLOB_SIZE: u64 = 6 * SEGMENT_SIZE as u64 + 4321;

fn relay_bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_relay-under-test"))
}

fn segment_data(seed: u64, index: u32) -> Vec<u8> {
    let len = sanad_protocol::segment_len(BLOB_SIZE, index).expect("index in range");
    let mut buf = vec![0u8; len];
    StdRng::seed_from_u64(seed.wrapping_mul(1_000_003).wrapping_add(u64::from(index)))
        .fill_bytes(&mut buf);
    buf
}

/// What the relay acknowledged during one round.
#[derive(Default)]
struct Ledger {
    messages: BTreeMap<u64, Vec<u8>>,
    segments: Vec<(usize, u32)>,
}

/// What the check found missing or wrong after the restart.
#[derive(Debug, Default)]
struct Losses {
    messages: usize,
    segments: usize,
}

fn quick_options() -> ConnectOptions {
    ConnectOptions {
        mode: TransportMode::QuicOnly,
        ..ConnectOptions::default()
    }
}

/// One round: write concurrently, kill at a random moment, restart, check.
async fn round(
    port: u16,
    dir: &Path,
    relay: &mut ChildRelay,
    owner: &MailboxOwner,
    blobs: &mut Vec<(BlobUpload, u64)>,
    round_no: u64,
) -> Losses {
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let addr = relay.address().clone();
    let mut tasks = Vec::new();
    for writer in 0..6u64 {
        let (addr, ledger, send_id) = (addr.clone(), ledger.clone(), owner.send_id());
        tasks.push(tokio::spawn(async move {
            let Ok(client) = Client::connect(&addr, quick_options()).await else {
                return;
            };
            for n in 0u64.. {
                let mut body = format!("round {round_no} writer {writer} n {n} ").into_bytes();
                body.resize(1024, b'x');
                match client.deposit(&send_id, body.clone()).await {
                    Ok(seq) => {
                        ledger.lock().expect("ledger").messages.insert(seq, body);
                    }
                    Err(_) => return,
                }
            }
        }));
    }
    // Two uploaders: a new blob each round, segments in random order.
    let first_new = blobs.len();
    for u in 0..2u64 {
        let client = Client::connect(&addr, quick_options())
            .await
            .expect("connect uploader");
        let upload = client.create_blob(BLOB_SIZE).await.expect("create blob");
        let seed = round_no * 10 + u;
        blobs.push((upload.clone(), seed));
        let (ledger, blob_no) = (ledger.clone(), first_new + u as usize);
        tasks.push(tokio::spawn(async move {
            let mut order: Vec<u32> = (0..segment_count(BLOB_SIZE)).collect();
            order.sort_by_key(|_| rand::random::<u8>());
            for index in order {
                match client
                    .put_segment(&upload, index, segment_data(seed, index))
                    .await
                {
                    Ok(_) => ledger
                        .lock()
                        .expect("ledger")
                        .segments
                        .push((blob_no, index)),
                    Err(_) => return,
                }
            }
        }));
    }

    tokio::time::sleep(Duration::from_millis(rand::thread_rng().gen_range(50..600))).await;
    relay.kill9();
    for t in &tasks {
        t.abort();
    }
    for t in tasks {
        let _ = t.await;
    }
    *relay = ChildRelay::spawn(relay_bin(), dir, port).await;

    let ledger = std::mem::take(&mut *ledger.lock().expect("ledger"));
    let client = Client::connect(relay.address(), quick_options())
        .await
        .expect("reconnect");
    let mut losses = Losses::default();

    // Every acknowledged message is there with its exact bytes.
    let mut stored = BTreeMap::new();
    let mut after = 0;
    loop {
        let page = client
            .fetch(owner, after, 500)
            .await
            .expect("fetch after restart");
        for m in page.items {
            after = m.seq;
            stored.insert(m.seq, m.body);
        }
        if !page.more {
            break;
        }
    }
    for (seq, body) in &ledger.messages {
        if stored.get(seq) != Some(body) {
            losses.messages += 1;
        }
    }
    let seqs: Vec<u64> = stored.keys().copied().collect();
    for chunk in seqs.chunks(1000) {
        client.ack(owner, chunk).await.expect("ack");
    }

    // Every acknowledged segment is there; completing the blob and reading it
    // back proves the stored bytes are intact.
    let acked: BTreeSet<(usize, u32)> = ledger.segments.iter().copied().collect();
    for (blob_no, (upload, seed)) in blobs.iter().enumerate().skip(first_new) {
        let state = client
            .blob_status(&upload.blob_id())
            .await
            .expect("status after restart");
        let missing: BTreeSet<u32> = state.missing.iter().copied().collect();
        losses.segments += acked
            .iter()
            .filter(|(b, i)| *b == blob_no && missing.contains(i))
            .count();
        for &index in &state.missing {
            client
                .put_segment(upload, index, segment_data(*seed, index))
                .await
                .expect("complete blob");
        }
        for index in 0..segment_count(BLOB_SIZE) {
            let data = client
                .get_segment(&upload.blob_id(), BLOB_SIZE, index)
                .await
                .expect("read back");
            if data != segment_data(*seed, index) {
                losses.segments += 1;
            }
        }
    }
    client.close().await;
    losses
}

async fn crash_loop(rounds: u64, stop_at_first_loss: bool) -> (u64, Losses, u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut relay = ChildRelay::spawn(relay_bin(), dir.path(), port).await;
    let client = Client::connect(relay.address(), quick_options())
        .await
        .expect("connect");
    let owner = client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await
        .expect("mailbox");
    client.close().await;
    let mut blobs = Vec::new();
    let mut total = Losses::default();
    let mut acked_rounds = 0;
    for r in 0..rounds {
        let l = round(port, dir.path(), &mut relay, &owner, &mut blobs, r).await;
        acked_rounds += 1;
        total.messages += l.messages;
        total.segments += l.segments;
        if stop_at_first_loss && (total.messages + total.segments) > 0 {
            break;
        }
    }
    assert!(
        relay.terminate(),
        "relay did not stop cleanly on SIGTERM:\n{}",
        relay.log_text()
    );
    (acked_rounds, total, rounds)
}

#[cfg(not(feature = "negative-control"))]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_at_random_moments() {
    let rounds = std::env::var("SANAD_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let (done, losses, _) = crash_loop(rounds, false).await;
    assert_eq!(done, rounds);
    assert_eq!(
        (losses.messages, losses.segments),
        (0, 0),
        "acknowledged data lost across {rounds} kills"
    );
}

#[cfg(feature = "negative-control")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn negative_control_early_acknowledgement_is_caught_by_the_crash_check() {
    let (done, losses, _) = crash_loop(40, true).await;
    eprintln!("negative control: losses found after {done} rounds: {losses:?}");
    assert!(
        losses.messages + losses.segments > 0,
        "the crash check did not notice acknowledgements before durability"
    );
}
