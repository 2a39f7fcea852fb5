//! Messaging benchmarks behind the `sanad-msgbench` binary: what the
//! messenger (MLS, the encrypted profile store, the outbox, age files) adds
//! on top of the relay. Every figure in `docs/benchmarks-messaging.md` comes
//! from here.
//!
//! - [`latency`]: one short text from one profile to another through a
//!   loopback relay, sent and received one at a time; p50/p99/max against a
//!   raw deposit + fetch of the same ciphertext size.
//! - [`group`]: a team of ten profiles where everyone sends; delivered
//!   messages per second against raw clients doing the same deposits and
//!   fetches.
//! - [`file`]: `Messenger::send_file` of a 1 GiB file against
//!   `Client::upload_file` of the same file, where the time goes, and the
//!   peak memory of the `sanad` CLI sending it.
//!
//! Method (as in `docs/benchmarks.md`): every Sanad figure has its baseline
//! measured in the same run, the cases of one repetition are interleaved and
//! their order rotates from one repetition to the next, each case starts on
//! a fresh relay with an empty data directory, and a table reports the
//! median of the repetitions and every run's value.
//!
//! Each client *device* (a profile, or a raw client standing in for one)
//! runs on a thread of its own with its own single-threaded tokio runtime
//! and its own connection, as separate devices would; the relay runs on the
//! benchmark's multi-threaded runtime (`sanad_relay::server::start`, as in
//! the end-to-end tests). The messenger writes its store synchronously
//! inside its async calls; on a shared runtime those writes would stall the
//! relay and the other devices, which real devices never do to each other.

use std::collections::HashSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use rand::RngCore;
use sanad_client::messenger::{DeliveryState, Messenger};
use sanad_client::profile::keyfile::{KdfParams, Passphrase};
use sanad_client::profile::ProfileDir;
use sanad_client::{Client, ConnectOptions, NoProgress, Progress, TransportKind};
use sanad_protocol::RelayAddress;

use crate::bench::{BenchError, RandomFile, Table};
use crate::harness::{run_measuring_peak_rss, TestRelay};

const MB: f64 = 1_000_000.0;
const MIB: u64 = 1024 * 1024;

/// Passphrase of every benchmark profile (given to the CLI child through
/// `SANAD_PASSPHRASE`).
const PASSPHRASE: &str = "a passphrase for benchmarks";

/// Length in bytes of every text message: a short chat line.
const TEXT_LEN: usize = 100;

/// The team's name in the group benchmark.
const TEAM: &str = "Bench team";

/// Longest a benchmark waits for messages that should have arrived before
/// it reports a failure instead of hanging.
const DELIVERY_DEADLINE: Duration = Duration::from_secs(600);

/// How long a device's runtime lives on after its work, for its QUIC close
/// to be sent.
const DEVICE_LINGER: Duration = Duration::from_millis(100);

// ---------------------------------------------------------------------------
// Figures

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Nearest-rank percentile, in milliseconds.
fn percentile_ms(values: &[Duration], p: f64) -> f64 {
    let mut v: Vec<Duration> = values.to_vec();
    v.sort();
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1].as_secs_f64() * 1000.0
}

fn max_ms(values: &[Duration]) -> f64 {
    values
        .iter()
        .max()
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

fn list(values: &[f64], decimals: usize) -> String {
    let v: Vec<String> = values.iter().map(|x| format!("{x:.decimals$}")).collect();
    v.join(", ")
}

fn verdict(met: bool) -> String {
    if met { "yes" } else { "**no**" }.to_string()
}

fn table(title: impl Into<String>, columns: &[&str]) -> Table {
    Table {
        title: title.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Table::default()
    }
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * MIB && bytes.is_multiple_of(1024 * MIB) {
        format!("{} GiB", bytes / (1024 * MIB))
    } else if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} B")
    }
}

/// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// User plus system CPU time of this process so far (client devices and
/// the in-process relay together).
fn process_cpu() -> Duration {
    let read = || -> Option<Duration> {
        let s = std::fs::read_to_string("/proc/self/stat").ok()?;
        let rest = s.get(s.rfind(')')? + 2..)?;
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64))
    };
    read().unwrap_or(Duration::ZERO)
}

/// Clock ticks per second of `/proc/*/stat` times (asked once).
fn clock_ticks() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100)
    })
}

/// Order of the cases in repetition `rep`: rotated by one each time.
fn rotated<T: Copy>(cases: &[T], rep: usize) -> Vec<T> {
    let mut v = cases.to_vec();
    if !v.is_empty() {
        let by = rep % v.len();
        v.rotate_left(by);
    }
    v
}

// ---------------------------------------------------------------------------
// Devices and profiles

/// Run `work` as a device: on a thread of its own, with its own
/// single-threaded runtime (so its connections and timers are its own).
fn device<T, F, Fut>(name: String, work: F) -> Result<JoinHandle<Result<T, BenchError>>, BenchError>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, BenchError>>,
{
    Ok(std::thread::Builder::new().name(name).spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let result = work().await;
            // Let the closed connections' goodbyes leave before the runtime
            // (and its QUIC endpoint driver) goes: the relay would otherwise
            // keep them until its idle timeout.
            tokio::time::sleep(DEVICE_LINGER).await;
            result
        })
    })?)
}

/// Wait for a device without blocking the relay's runtime.
async fn finished<T: Send + 'static>(
    handle: JoinHandle<Result<T, BenchError>>,
) -> Result<T, BenchError> {
    tokio::task::spawn_blocking(move || handle.join())
        .await?
        .map_err(|_| BenchError::from("a device thread panicked"))?
}

/// A text of [`TEXT_LEN`] bytes starting with `head`.
fn text(head: &str) -> String {
    let mut s = format!("{head} ");
    let filler = "the checkpoint on the coast road is open again tonight; ";
    while s.len() < TEXT_LEN {
        s.push_str(filler);
    }
    s.truncate(TEXT_LEN);
    s
}

/// `i` of a text made by `text(&format!("probe {i:06}"))`.
fn probe_index(text: &str) -> Option<usize> {
    text.strip_prefix("probe ")?.get(..6)?.parse().ok()
}

/// A new profile with the fast test KDF (8 MiB; the default Argon2id takes
/// 256 MiB for about a second at every unlock, by design).
async fn profile(relay: &RelayAddress, dir: &Path, name: &str) -> Result<Messenger, BenchError> {
    Ok(Messenger::create(
        ProfileDir::new(dir.join(name)),
        &Passphrase::new(PASSPHRASE.into()),
        KdfParams::dangerous_fast_for_tests(),
        relay.clone(),
        name,
        ConnectOptions::default(),
    )
    .await?)
}

/// `a` invites `b`, `b` adds `a` as `a_name`, both sync (as
/// `tests/tests/messaging.rs` does). Returns the name under which `a` sees
/// `b`.
async fn pair(a: &mut Messenger, b: &mut Messenger, a_name: &str) -> Result<String, BenchError> {
    let invite = a.invite(3600)?;
    b.add_contact(&invite, a_name).await?;
    a.sync().await?;
    b.sync().await?;
    a.sync().await?;
    let b_name = b.profile().display_name;
    if !a.contacts()?.iter().any(|c| c.name == b_name) {
        return Err("the inviter did not learn the new contact".into());
    }
    Ok(b_name)
}

/// Length of the last message in a conversation's mailbox, as the relay
/// stores it (MLS ciphertext, padded).
async fn last_body_len(
    relay: &TestRelay,
    m: &Messenger,
    conversation: &str,
) -> Result<usize, BenchError> {
    let owner = m.dangerous_conversation_mailbox(conversation)?;
    let client = Client::connect(&relay.address(), ConnectOptions::default()).await?;
    let mut cursor = 0;
    let mut last = None;
    loop {
        let got = client.fetch(&owner, cursor, 64).await?;
        if let Some(item) = got.items.last() {
            cursor = item.seq;
            last = Some(item.body.len());
        }
        if !got.more {
            break;
        }
    }
    client.close().await;
    last.ok_or_else(|| "the conversation's mailbox is empty".into())
}

async fn quic_client(addr: &RelayAddress) -> Result<Client, BenchError> {
    let client = Client::connect(addr, ConnectOptions::default()).await?;
    if client.transport_kind() != TransportKind::Quic {
        return Err("the raw client connected over TCP, not QUIC".into());
    }
    Ok(client)
}

// ---------------------------------------------------------------------------
// latency

/// Settings of the `latency` benchmark.
#[derive(Debug, Clone)]
pub struct LatencySettings {
    /// Messages timed per case and repetition.
    pub messages: usize,
    /// Untimed messages sent first (connections, caches, MLS ratchets).
    pub warmup: usize,
    /// Repetitions.
    pub reps: usize,
}

impl Default for LatencySettings {
    fn default() -> Self {
        LatencySettings {
            messages: 500,
            warmup: 10,
            reps: 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path1 {
    Raw,
    Polling,
    Sequential,
}

impl Path1 {
    fn label(self) -> &'static str {
        match self {
            Path1::Raw => "raw `deposit` + `fetch` (baseline)",
            Path1::Polling => "Sanad: `send_text`, receiver polling `sync()`",
            Path1::Sequential => "Sanad: `send_text`, then receiver `sync()`",
        }
    }
}

/// One case of one repetition.
#[derive(Debug, Default)]
struct LatencyRun {
    /// Per message: from the sending call's start until the receiver had it.
    latency: Vec<Duration>,
    /// Per message: the sending call alone.
    send: Vec<Duration>,
    /// Each receiving call (`sync` or `fetch`).
    receive: Vec<Duration>,
    /// Receiving calls made per message.
    calls_per_message: f64,
    /// Process CPU (devices and relay) per message.
    cpu_per_message: Duration,
    /// Size of one message as deposited.
    body_len: usize,
}

/// Two paired profiles on `relay`, `warmup` texts exchanged, connections
/// closed (each device reconnects on its own runtime). Returns them, the
/// name under which Alice sees Bob, and the deposited size of one text.
async fn alice_and_bob(
    relay: &TestRelay,
    dir: &Path,
    warmup: usize,
) -> Result<(Messenger, Messenger, String, usize), BenchError> {
    let addr = relay.address();
    let mut alice = profile(&addr, dir, "Alice").await?;
    let mut bob = profile(&addr, dir, "Bob").await?;
    let bob_name = pair(&mut alice, &mut bob, "alice").await?;
    for i in 0..warmup.max(1) {
        alice
            .send_text(&bob_name, &text(&format!("warm {i:06}")))
            .await?;
    }
    bob.sync().await?;
    let body_len = last_body_len(relay, &alice, &bob_name).await?;
    alice.close().await;
    bob.close().await;
    Ok((alice, bob, bob_name, body_len))
}

/// Sender and receiver on their own devices; the receiver calls `sync()`
/// in a loop; the sender sends the next message once the previous one was
/// received (one in flight).
async fn latency_polling(s: &LatencySettings) -> Result<LatencyRun, BenchError> {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir()?;
    let (alice, bob, bob_name, body_len) = alice_and_bob(&relay, dir.path(), s.warmup).await?;
    let n = s.messages;
    let (tx, rx) = tokio::sync::watch::channel(0usize);
    let cpu = process_cpu();
    let receiver = device("bob".into(), move || async move {
        let mut bob = bob;
        let mut at: Vec<Option<Instant>> = vec![None; n];
        let mut count = 0;
        let mut calls = Vec::new();
        let deadline = Instant::now() + DELIVERY_DEADLINE;
        while count < n {
            let t = Instant::now();
            let report = bob.sync().await?;
            let now = Instant::now();
            calls.push(now - t);
            for line in report.received {
                if let Some(slot) = line
                    .text
                    .as_deref()
                    .and_then(probe_index)
                    .and_then(|i| at.get_mut(i))
                {
                    if slot.replace(now).is_none() {
                        count += 1;
                    }
                }
            }
            let _ = tx.send(count);
            if now > deadline {
                return Err(format!("the receiver got {count} of {n} messages").into());
            }
        }
        bob.close().await;
        Ok((at, calls))
    })?;
    let sender = device("alice".into(), move || async move {
        let mut alice = alice;
        let mut rx = rx;
        let mut started = Vec::with_capacity(n);
        let mut send = Vec::with_capacity(n);
        for i in 0..n {
            let t = Instant::now();
            let line = alice
                .send_text(&bob_name, &text(&format!("probe {i:06}")))
                .await?;
            send.push(t.elapsed());
            started.push(t);
            if line.state != DeliveryState::Sent {
                return Err("a message was queued instead of sent".into());
            }
            rx.wait_for(|&c| c > i)
                .await
                .map_err(|_| "the receiver stopped")?;
        }
        alice.close().await;
        Ok((started, send))
    })?;
    let sent = finished(sender).await;
    let received = finished(receiver).await?;
    let (started, send) = sent?;
    let cpu = process_cpu().saturating_sub(cpu);
    let (at, calls) = received;
    let latency = started
        .iter()
        .zip(&at)
        .map(|(s, r)| r.map(|r| r.saturating_duration_since(*s)))
        .collect::<Option<Vec<_>>>()
        .ok_or("a message was never received")?;
    let mut relay = relay;
    relay.stop().await;
    Ok(LatencyRun {
        latency,
        send,
        calls_per_message: calls.len() as f64 / n as f64,
        receive: calls,
        cpu_per_message: cpu / n.max(1) as u32,
        body_len,
    })
}

/// Sender and receiver on one device, taking turns: `send_text`, then the
/// receiver's `sync()` until the message is there (no polling delay).
async fn latency_sequential(s: &LatencySettings) -> Result<LatencyRun, BenchError> {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir()?;
    let (alice, bob, bob_name, body_len) = alice_and_bob(&relay, dir.path(), s.warmup).await?;
    let n = s.messages;
    let cpu = process_cpu();
    let both = device("alice+bob".into(), move || async move {
        let (mut alice, mut bob) = (alice, bob);
        let mut run = LatencyRun::default();
        let mut calls = 0usize;
        for i in 0..n {
            let t0 = Instant::now();
            let line = alice
                .send_text(&bob_name, &text(&format!("probe {i:06}")))
                .await?;
            let t1 = Instant::now();
            if line.state != DeliveryState::Sent {
                return Err("a message was queued instead of sent".into());
            }
            loop {
                let t = Instant::now();
                let report = bob.sync().await?;
                run.receive.push(t.elapsed());
                calls += 1;
                if report
                    .received
                    .iter()
                    .any(|l| l.text.as_deref().and_then(probe_index) == Some(i))
                {
                    break;
                }
                if t0.elapsed() > DELIVERY_DEADLINE {
                    return Err(format!("message {i} was never received").into());
                }
            }
            run.send.push(t1 - t0);
            run.latency.push(t0.elapsed());
        }
        run.calls_per_message = calls as f64 / n as f64;
        alice.close().await;
        bob.close().await;
        Ok(run)
    })?;
    let mut run = finished(both).await?;
    run.cpu_per_message = process_cpu().saturating_sub(cpu) / n.max(1) as u32;
    run.body_len = body_len;
    let mut relay = relay;
    relay.stop().await;
    Ok(run)
}

/// Two raw clients: one deposits a random body of `body_len` bytes, the
/// other fetches until it has it; one at a time.
async fn latency_raw(s: &LatencySettings, body_len: usize) -> Result<LatencyRun, BenchError> {
    let relay = TestRelay::start().await;
    let addr = relay.address();
    let (n, warmup) = (s.messages, s.warmup);
    let cpu = Arc::new(AtomicU64::new(0));
    let cpu_in = cpu.clone();
    let raw = device("raw".into(), move || async move {
        let sender = quic_client(&addr).await?;
        let receiver = quic_client(&addr).await?;
        let owner = receiver
            .create_mailbox(&SigningKey::generate(&mut OsRng))
            .await?;
        let mut run = LatencyRun::default();
        let mut body = vec![0u8; body_len];
        let mut cursor = 0;
        let mut calls = 0usize;
        for i in 0..warmup + n {
            if i == warmup {
                cpu_in.store(process_cpu().as_nanos() as u64, Ordering::Relaxed);
            }
            OsRng.fill_bytes(&mut body);
            let t0 = Instant::now();
            let seq = sender.deposit(&owner.send_id(), body.clone()).await?;
            let t1 = Instant::now();
            loop {
                let t = Instant::now();
                let got = receiver.fetch(&owner, cursor, 64).await?;
                if i >= warmup {
                    run.receive.push(t.elapsed());
                    calls += 1;
                }
                if let Some(m) = got.items.iter().find(|m| m.seq == seq) {
                    if m.body != body {
                        return Err("the relay returned other bytes".into());
                    }
                    break;
                }
                if t0.elapsed() > DELIVERY_DEADLINE {
                    return Err("a raw deposit was never fetched".into());
                }
            }
            cursor = seq;
            if i >= warmup {
                run.send.push(t1 - t0);
                run.latency.push(t0.elapsed());
            }
        }
        run.calls_per_message = calls as f64 / n as f64;
        sender.close().await;
        receiver.close().await;
        Ok(run)
    })?;
    let mut run = finished(raw).await?;
    let start = Duration::from_nanos(cpu.load(Ordering::Relaxed));
    run.cpu_per_message = process_cpu().saturating_sub(start) / n.max(1) as u32;
    run.body_len = body_len;
    let mut relay = relay;
    relay.stop().await;
    Ok(run)
}

/// The `latency` benchmark: time from the start of `send_text` until the
/// receiver's `sync` returns the message, one message in flight, against
/// the relay alone doing the same (deposit, then fetch) with bodies of the
/// same size.
pub async fn latency(s: &LatencySettings) -> Result<Table, BenchError> {
    let cases = [Path1::Raw, Path1::Polling, Path1::Sequential];
    let mut runs: Vec<(Path1, LatencyRun)> = Vec::new();
    let mut loads = Vec::new();
    // The raw baseline needs the deposited size of a Sanad text: measured
    // once before the repetitions (it does not vary: MLS pads to 256 bytes).
    let body_len = {
        let relay = TestRelay::start().await;
        let dir = tempfile::tempdir()?;
        let (_, _, _, len) = alice_and_bob(&relay, dir.path(), 1).await?;
        let mut relay = relay;
        relay.stop().await;
        len
    };
    for rep in 0..s.reps {
        loads.push(load_average());
        for case in rotated(&cases, rep) {
            let run = match case {
                Path1::Raw => latency_raw(s, body_len).await?,
                Path1::Polling => latency_polling(s).await?,
                Path1::Sequential => latency_sequential(s).await?,
            };
            eprintln!(
                "latency rep {rep} {case:?}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (load {})",
                percentile_ms(&run.latency, 50.0),
                percentile_ms(&run.latency, 99.0),
                max_ms(&run.latency),
                load_average()
            );
            runs.push((case, run));
        }
    }
    loads.push(load_average());

    let of = |case: Path1| -> Vec<&LatencyRun> {
        runs.iter()
            .filter(|(c, _)| *c == case)
            .map(|(_, r)| r)
            .collect()
    };
    let raw = of(Path1::Raw);
    let mut t = table(
        format!(
            "latency: one {TEXT_LEN}-byte text, send until received, one in flight, {} messages × {} repetitions",
            s.messages, s.reps
        ),
        &[
            "path",
            "bytes deposited",
            "p50 ms",
            "p99 ms",
            "max ms",
            "p50 ratio to raw",
            "p99 ratio to raw",
            "p50 / p99 / max ms per run",
            "sending call p50 / p99 ms",
            "receiving call p50 / p99 ms",
            "receiving calls per message",
            "CPU ms per message",
        ],
    );
    for case in cases {
        let rs = of(case);
        let p50: Vec<f64> = rs.iter().map(|r| percentile_ms(&r.latency, 50.0)).collect();
        let p99: Vec<f64> = rs.iter().map(|r| percentile_ms(&r.latency, 99.0)).collect();
        let max: Vec<f64> = rs.iter().map(|r| max_ms(&r.latency)).collect();
        let ratio = |p: f64| -> String {
            if case == Path1::Raw {
                return "1.00".into();
            }
            let v: Vec<f64> = rs
                .iter()
                .zip(&raw)
                .map(|(r, b)| percentile_ms(&r.latency, p) / percentile_ms(&b.latency, p))
                .collect();
            format!("{:.1} ({})", median(&v), list(&v, 1))
        };
        let per_run: Vec<String> = p50
            .iter()
            .zip(&p99)
            .zip(&max)
            .map(|((a, b), c)| format!("{a:.2} / {b:.2} / {c:.1}"))
            .collect();
        let pct = |pick: fn(&LatencyRun) -> &Vec<Duration>, p: f64| -> f64 {
            median(
                &rs.iter()
                    .map(|r| percentile_ms(pick(r), p))
                    .collect::<Vec<_>>(),
            )
        };
        let send = |p| pct(|r| &r.send, p);
        let recv = |p| pct(|r| &r.receive, p);
        let calls: Vec<f64> = rs.iter().map(|r| r.calls_per_message).collect();
        let cpu: Vec<f64> = rs
            .iter()
            .map(|r| r.cpu_per_message.as_secs_f64() * 1000.0)
            .collect();
        t.rows.push(vec![
            case.label().into(),
            rs.first().map_or(0, |r| r.body_len).to_string(),
            format!("{:.2}", median(&p50)),
            format!("{:.2}", median(&p99)),
            format!("{:.1}", median(&max)),
            ratio(50.0),
            ratio(99.0),
            per_run.join("; "),
            format!("{:.2} / {:.1}", send(50.0), send(99.0)),
            format!("{:.2} / {:.1}", recv(50.0), recv(99.0)),
            format!("{:.1}", median(&calls)),
            format!("{:.2}", median(&cpu)),
        ]);
    }
    t.notes.push(format!(
        "Ratios are per repetition (Sanad ÷ raw of the same repetition), median first, then every run. \
         Load average (1/5/15 min) before each repetition and at the end: {}.",
        loads.join("; ")
    ));
    t.notes.push(
        "Each case: a fresh in-process relay; profiles with the fast test KDF, paired, then \
         warmed up with untimed texts; every device on its own thread and runtime. CPU is the \
         whole process (relay and devices) per message."
            .into(),
    );
    Ok(t)
}

// ---------------------------------------------------------------------------
// group

/// Settings of the `group` benchmark.
#[derive(Debug, Clone)]
pub struct GroupSettings {
    /// Members of the team, its creator included.
    pub members: usize,
    /// Messages each member sends.
    pub per_member: usize,
    /// Repetitions.
    pub reps: usize,
}

impl Default for GroupSettings {
    fn default() -> Self {
        GroupSettings {
            members: 10,
            per_member: 50,
            reps: 3,
        }
    }
}

/// One member's part of the exchange.
#[derive(Debug, Clone, Copy)]
struct MemberRun {
    /// When its own sends were done.
    sent: Instant,
    /// When it had every other member's messages.
    done: Instant,
    /// Messages of others it had when its own sends were done (every
    /// `send_text` receives first).
    received_while_sending: usize,
    /// Messages of others it had at the end.
    received: usize,
}

#[derive(Debug)]
struct GroupRun {
    /// From the common start until the last member had everything.
    wall: Duration,
    /// From the common start until the last member's sends were done.
    sends: Duration,
    /// Process CPU (devices and relay) during the exchange.
    cpu: Duration,
    members: Vec<MemberRun>,
    /// One member fetching (and for Sanad: processing) a backlog of the
    /// others' messages: how many, and how long its `sync()` calls took.
    backlog: (usize, Duration),
    body_len: usize,
    setup: Duration,
}

fn is_team_text(text: Option<&str>, head: &str) -> bool {
    text.is_some_and(|t| t.starts_with(head))
}

/// The texts of others in `TEAM` starting with `head`.
fn team_texts(m: &Messenger, head: &str) -> Result<Vec<String>, BenchError> {
    Ok(m.history(Some(TEAM))?
        .into_iter()
        .filter(|h| h.from.is_some() && is_team_text(h.text.as_deref(), head))
        .filter_map(|h| h.text)
        .collect())
}

/// A team of `members` profiles: the desk pairs with each, creates the
/// team, adds all at once; everyone syncs and checks the group check code;
/// one warm-up text from the desk. Connections are closed (each device
/// reconnects on its own runtime).
async fn build_team(
    relay: &TestRelay,
    dir: &Path,
    members: usize,
) -> Result<(Vec<Messenger>, usize), BenchError> {
    let addr = relay.address();
    let mut desk = profile(&addr, dir, "Desk").await?;
    let mut others = Vec::new();
    let mut names = Vec::new();
    for k in 1..members {
        let mut m = profile(&addr, dir, &format!("Member{k:02}")).await?;
        names.push(pair(&mut desk, &mut m, "desk").await?);
        others.push(m);
    }
    desk.create_group(TEAM).await?;
    if !names.is_empty() {
        desk.add_to_group(TEAM, &names).await?;
    }
    let code = desk.group_check_code(TEAM)?;
    for m in &mut others {
        m.sync().await?;
        if m.group_check_code(TEAM)? != code {
            return Err("a member's group check code differs from the desk's".into());
        }
    }
    desk.send_text(TEAM, &text("warm-up from the desk")).await?;
    for m in &mut others {
        m.sync().await?;
    }
    let body_len = last_body_len(relay, &desk, TEAM).await?;
    let mut all = vec![desk];
    all.extend(others);
    for m in &mut all {
        m.close().await;
    }
    Ok((all, body_len))
}

/// Wait for every device; the first failure wins, after all have ended.
async fn all_finished<T: Send + 'static>(
    handles: Vec<JoinHandle<Result<T, BenchError>>>,
) -> Result<Vec<T>, BenchError> {
    let mut out = Vec::new();
    let mut first_error = None;
    for h in handles {
        match finished(h).await {
            Ok(r) => out.push(r),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

fn spans(start: Instant, members: &[MemberRun]) -> (Duration, Duration) {
    let last = |pick: fn(&MemberRun) -> Instant| {
        members
            .iter()
            .map(|r| pick(r).saturating_duration_since(start))
            .max()
            .unwrap_or_default()
    };
    (last(|r| r.done), last(|r| r.sent))
}

/// Sync until `want` texts starting with `head` came in; returns the time
/// spent inside `sync()`.
async fn sync_until(
    me: &mut Messenger,
    head: &str,
    mut have: usize,
    want: usize,
) -> Result<Duration, BenchError> {
    let started = Instant::now();
    let mut busy = Duration::ZERO;
    while have < want {
        let t = Instant::now();
        let report = me.sync().await?;
        busy += t.elapsed();
        have += report
            .received
            .iter()
            .filter(|l| is_team_text(l.text.as_deref(), head))
            .count();
        if started.elapsed() > DELIVERY_DEADLINE {
            return Err(format!("a member got {have} of {want} messages").into());
        }
    }
    Ok(busy)
}

async fn group_sanad(s: &GroupSettings) -> Result<GroupRun, BenchError> {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir()?;
    let setup = Instant::now();
    let (members, body_len) = build_team(&relay, dir.path(), s.members).await?;
    let setup = setup.elapsed();
    let (n, m) = (s.members, s.per_member);
    let expected = (n - 1) * m;

    // The exchange: everyone sends at once, then syncs until complete.
    let barrier = Arc::new(tokio::sync::Barrier::new(n + 1));
    let mut handles = Vec::new();
    for (k, messenger) in members.into_iter().enumerate() {
        let barrier = barrier.clone();
        handles.push(device(format!("member{k:02}"), move || async move {
            let mut me = messenger;
            me.sync().await?; // connect on this device's runtime
            barrier.wait().await;
            for i in 0..m {
                let line = me
                    .send_text(TEAM, &text(&format!("team {k:02} {i:06}")))
                    .await?;
                if line.state != DeliveryState::Sent {
                    return Err("a team message was queued instead of sent".into());
                }
            }
            let sent = Instant::now();
            let received_while_sending = team_texts(&me, "team ")?.len();
            sync_until(&mut me, "team ", received_while_sending, expected).await?;
            let done = Instant::now();
            let texts = team_texts(&me, "team ")?;
            let distinct: HashSet<&String> = texts.iter().collect();
            if texts.len() != expected || distinct.len() != expected {
                return Err(format!(
                    "member {k} holds {} texts ({} distinct), expected {expected}",
                    texts.len(),
                    distinct.len()
                )
                .into());
            }
            me.close().await;
            let run = MemberRun {
                sent,
                done,
                received_while_sending,
                received: texts.len(),
            };
            Ok((run, me))
        })?);
    }
    barrier.wait().await;
    let start = Instant::now();
    let cpu = process_cpu();
    let ended = all_finished(handles).await?;
    let cpu = process_cpu().saturating_sub(cpu);
    let (runs, mut members): (Vec<MemberRun>, Vec<Messenger>) = ended.into_iter().unzip();
    let (wall, sends) = spans(start, &runs);

    // The backlog: the last member is offline while the others send `m`
    // texts each, then syncs them all.
    let mut late = members.pop().ok_or("a team of one")?;
    let mut handles = Vec::new();
    for (k, messenger) in members.into_iter().enumerate() {
        handles.push(device(format!("sender{k:02}"), move || async move {
            let mut me = messenger;
            for i in 0..m {
                me.send_text(TEAM, &text(&format!("late {k:02} {i:06}")))
                    .await?;
            }
            me.close().await;
            Ok(())
        })?);
    }
    all_finished(handles).await?;
    let backlog = device("late".into(), move || async move {
        let busy = sync_until(&mut late, "late ", 0, expected).await?;
        late.close().await;
        Ok(busy)
    })?;
    let backlog = (expected, finished(backlog).await?);

    let mut relay = relay;
    relay.stop().await;
    Ok(GroupRun {
        wall,
        sends,
        cpu,
        members: runs,
        backlog,
        body_len,
        setup,
    })
}

/// Fetch from `cursor` until `want` messages came; returns the new cursor.
async fn fetch_until(
    client: &Client,
    owner: &sanad_client::MailboxOwner,
    mut cursor: u64,
    mut have: usize,
    want: usize,
) -> Result<u64, BenchError> {
    let started = Instant::now();
    while have < want {
        let got = client.fetch(owner, cursor, 64).await?;
        if let Some(last) = got.items.last() {
            cursor = last.seq;
        }
        have += got.items.len();
        if started.elapsed() > DELIVERY_DEADLINE {
            return Err(format!("a raw client saw {have} of {want} messages").into());
        }
    }
    Ok(cursor)
}

/// The same traffic with raw clients on one shared mailbox: each deposits
/// its bodies, fetching what is new after each (as `send_text` receives
/// before it sends), then fetches until it has seen every body (its own
/// included, as a member reads its own too). The backlog: one client
/// fetches `(members − 1) × per_member` bodies deposited meanwhile.
async fn group_raw(s: &GroupSettings, body_len: usize) -> Result<GroupRun, BenchError> {
    let relay = TestRelay::start().await;
    let addr = relay.address();
    let creator = quic_client(&addr).await?;
    let owner = Arc::new(
        creator
            .create_mailbox(&SigningKey::generate(&mut OsRng))
            .await?,
    );
    let (n, m) = (s.members, s.per_member);
    let total = n * m;
    let barrier = Arc::new(tokio::sync::Barrier::new(n + 1));
    let mut handles = Vec::new();
    for k in 0..n {
        let (barrier, addr, owner) = (barrier.clone(), addr.clone(), owner.clone());
        handles.push(device(format!("raw{k:02}"), move || async move {
            let client = quic_client(&addr).await?;
            client.ping().await?;
            barrier.wait().await;
            let mut body = vec![0u8; body_len];
            let (mut cursor, mut seen) = (0, 0);
            for _ in 0..m {
                OsRng.fill_bytes(&mut body);
                client.deposit(&owner.send_id(), body.clone()).await?;
                let got = client.fetch(&owner, cursor, 64).await?;
                if let Some(last) = got.items.last() {
                    cursor = last.seq;
                }
                seen += got.items.len();
            }
            let sent = Instant::now();
            let received_while_sending = seen;
            let cursor = fetch_until(&client, &owner, cursor, seen, total).await?;
            let done = Instant::now();
            client.close().await;
            let run = MemberRun {
                sent,
                done,
                received_while_sending,
                received: total,
            };
            Ok((run, cursor))
        })?);
    }
    barrier.wait().await;
    let start = Instant::now();
    let cpu = process_cpu();
    let ended = all_finished(handles).await?;
    let cpu = process_cpu().saturating_sub(cpu);
    let cursor = ended.iter().map(|(_, c)| *c).max().unwrap_or(0);
    let runs: Vec<MemberRun> = ended.into_iter().map(|(r, _)| r).collect();
    let (wall, sends) = spans(start, &runs);

    let backlog_len = (n - 1) * m;
    let mut body = vec![0u8; body_len];
    for _ in 0..backlog_len {
        OsRng.fill_bytes(&mut body);
        creator.deposit(&owner.send_id(), body.clone()).await?;
    }
    creator.close().await;
    let late = device("late".into(), move || async move {
        let client = quic_client(&addr).await?;
        client.ping().await?;
        let t = Instant::now();
        fetch_until(&client, &owner, cursor, 0, backlog_len).await?;
        let busy = t.elapsed();
        client.close().await;
        Ok(busy)
    })?;
    let backlog = (backlog_len, finished(late).await?);
    let mut relay = relay;
    relay.stop().await;
    Ok(GroupRun {
        wall,
        sends,
        cpu,
        members: runs,
        backlog,
        body_len,
        setup: Duration::ZERO,
    })
}

/// The `group` benchmark: a team of `members` where every member sends
/// `per_member` texts at once and then syncs until it has everyone else's;
/// delivered messages per second (each text counts once per receiving
/// member) against raw clients doing the same deposits and fetches. Then
/// one member, offline while the others send `per_member` more each,
/// syncs that backlog: its sync throughput.
pub async fn group(s: &GroupSettings) -> Result<Table, BenchError> {
    if s.members < 2 {
        return Err("a team needs at least 2 members".into());
    }
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Case {
        Raw,
        Sanad,
    }
    let (n, m) = (s.members, s.per_member);
    let delivered = (n * (n - 1) * m) as f64;
    let mut raws: Vec<GroupRun> = Vec::new();
    let mut sanads: Vec<GroupRun> = Vec::new();
    let mut loads = Vec::new();
    // Deposited size of a team text, for the raw clients (from a team of
    // two if the raw case comes first).
    let mut body_len = None;
    for rep in 0..s.reps {
        loads.push(load_average());
        for case in rotated(&[Case::Sanad, Case::Raw], rep) {
            match case {
                Case::Sanad => {
                    let r = group_sanad(s).await?;
                    eprintln!(
                        "group rep {rep} Sanad: {:.2} s, {:.0} delivered/s, backlog {:.0} msg/s (setup {:.1} s, load {})",
                        r.wall.as_secs_f64(),
                        delivered / r.wall.as_secs_f64(),
                        r.backlog.0 as f64 / r.backlog.1.as_secs_f64(),
                        r.setup.as_secs_f64(),
                        load_average()
                    );
                    body_len = Some(r.body_len);
                    sanads.push(r);
                }
                Case::Raw => {
                    let len = match body_len {
                        Some(l) => l,
                        None => {
                            let relay = TestRelay::start().await;
                            let dir = tempfile::tempdir()?;
                            let (_, l) = build_team(&relay, dir.path(), 2).await?;
                            let mut relay = relay;
                            relay.stop().await;
                            body_len = Some(l);
                            l
                        }
                    };
                    let r = group_raw(s, len).await?;
                    eprintln!(
                        "group rep {rep} raw: {:.2} s, {:.0} delivered/s, backlog {:.0} msg/s (load {})",
                        r.wall.as_secs_f64(),
                        delivered / r.wall.as_secs_f64(),
                        r.backlog.0 as f64 / r.backlog.1.as_secs_f64(),
                        load_average()
                    );
                    raws.push(r);
                }
            }
        }
    }
    loads.push(load_average());

    let mut t = table(
        format!(
            "group: {n} members each sending {m} {TEXT_LEN}-byte texts at once, until every member has the others' {}; then one member syncing a backlog of {}",
            (n - 1) * m,
            (n - 1) * m
        ),
        &[
            "path",
            "bytes deposited",
            "wall s (median)",
            "delivered msg/s (median)",
            "ratio to raw (median; per run)",
            "delivered msg/s per run",
            "sent msg/s (median)",
            "received while sending (median)",
            "backlog sync msg/s (median; per run)",
            "backlog ratio to raw",
            "CPU ms per delivered message (median)",
        ],
    );
    for (label, rs) in [
        (
            "raw `deposit` + `fetch`, one shared mailbox (baseline)",
            &raws,
        ),
        (
            "Sanad: `send_text` × M, then `sync()` until complete",
            &sanads,
        ),
    ] {
        let rate: Vec<f64> = rs
            .iter()
            .map(|r| delivered / r.wall.as_secs_f64())
            .collect();
        let ratio: Vec<f64> = rs
            .iter()
            .zip(&raws)
            .map(|(r, b)| b.wall.as_secs_f64() / r.wall.as_secs_f64())
            .collect();
        let sent: Vec<f64> = rs
            .iter()
            .map(|r| (n * m) as f64 / r.sends.as_secs_f64())
            .collect();
        let share: Vec<f64> = rs
            .iter()
            .map(|r| {
                let total: usize = r.members.iter().map(|x| x.received).sum();
                let early: usize = r.members.iter().map(|x| x.received_while_sending).sum();
                early as f64 / total.max(1) as f64 * 100.0
            })
            .collect();
        let backlog: Vec<f64> = rs
            .iter()
            .map(|r| r.backlog.0 as f64 / r.backlog.1.as_secs_f64())
            .collect();
        let backlog_ratio: Vec<f64> = rs
            .iter()
            .zip(&raws)
            .map(|(r, b)| b.backlog.1.as_secs_f64() / r.backlog.1.as_secs_f64())
            .collect();
        let cpu: Vec<f64> = rs
            .iter()
            .map(|r| r.cpu.as_secs_f64() * 1000.0 / delivered)
            .collect();
        let walls: Vec<f64> = rs.iter().map(|r| r.wall.as_secs_f64()).collect();
        t.rows.push(vec![
            label.into(),
            rs.first().map_or(0, |r| r.body_len).to_string(),
            format!("{:.2}", median(&walls)),
            format!("{:.0}", median(&rate)),
            format!("{:.3}; {}", median(&ratio), list(&ratio, 3)),
            list(&rate, 0),
            format!("{:.0}", median(&sent)),
            format!("{:.0} %", median(&share)),
            format!("{:.0}; {}", median(&backlog), list(&backlog, 0)),
            format!("{:.3}", median(&backlog_ratio)),
            format!("{:.2}", median(&cpu)),
        ]);
    }
    let setups: Vec<f64> = sanads.iter().map(|r| r.setup.as_secs_f64()).collect();
    t.notes.push(format!(
        "Delivered = {n} × {} × {m} = {delivered:.0} (each text counts once per receiving member); \
         wall time from the common start (every device connected) until the last member had every \
         message. Ratios = raw time ÷ Sanad time of the same repetition. \"Received while \
         sending\": share of the others' texts a member already had when its own sends were done \
         (`send_text` receives before it sends). Backlog: the last member stays offline while the \
         {} others send {m} more each, then its `sync()` calls bring all {} (for raw: one client \
         fetching as many bodies). CPU: the whole process (relay and all devices) during the \
         exchange. Building the team (the desk pairs with {} contacts, creates the team, adds all, \
         everyone syncs) took {} s per run (not in the figures).",
        n - 1,
        n - 1,
        (n - 1) * m,
        n - 1,
        list(&setups, 1)
    ));
    t.notes.push(format!(
        "Load average (1/5/15 min) before each repetition and at the end: {}.",
        loads.join("; ")
    ));
    Ok(t)
}

// ---------------------------------------------------------------------------
// file

/// Settings of the `file` benchmark.
#[derive(Debug, Clone)]
pub struct FileSettings {
    /// File size in bytes.
    pub size: u64,
    /// Repetitions.
    pub reps: usize,
    /// Also measure peak RSS with the `sanad` CLI and a raw upload, each as
    /// a child process.
    pub rss: bool,
}

impl Default for FileSettings {
    fn default() -> Self {
        FileSettings {
            size: 1024 * MIB,
            reps: 3,
            rss: true,
        }
    }
}

/// Notes when an upload starts (first progress report) and ends (all
/// bytes on the relay).
#[derive(Debug, Default)]
struct PhaseClock {
    upload_started: OnceLock<Instant>,
    upload_done: OnceLock<Instant>,
    total: AtomicU64,
}

impl Progress for PhaseClock {
    fn advanced(&self, done_bytes: u64, total_bytes: u64) {
        let now = Instant::now();
        let _ = self.upload_started.set(now);
        self.total.store(total_bytes, Ordering::Relaxed);
        if done_bytes >= total_bytes {
            let _ = self.upload_done.set(now);
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct FileRun {
    wall: Duration,
    cpu: Duration,
    /// `send_file` only: until the first segment can leave (age header,
    /// blob created and recorded), encrypting and uploading the padded
    /// spool (overlapped), announcing.
    phases: Option<(Duration, Duration, Duration)>,
    /// Bytes uploaded (the padded spool for `send_file`).
    uploaded: u64,
}

async fn file_raw(file: &RandomFile) -> Result<FileRun, BenchError> {
    let relay = TestRelay::start().await;
    let client = quic_client(&relay.address()).await?;
    let cpu = process_cpu();
    let t = Instant::now();
    let outcome = client.upload_file(&file.path(), None, &NoProgress).await?;
    let wall = t.elapsed();
    let cpu = process_cpu().saturating_sub(cpu);
    if outcome.bytes_sent != file.size() {
        return Err(format!(
            "the upload sent {} bytes for a {}-byte file",
            outcome.bytes_sent,
            file.size()
        )
        .into());
    }
    client.close().await;
    let mut relay = relay;
    relay.stop().await;
    Ok(FileRun {
        wall,
        cpu,
        phases: None,
        uploaded: file.size(),
    })
}

/// Two paired profiles with the fast KDF on `relay`; returns them and the
/// name under which Alice sees Bob.
async fn file_pair(
    relay: &TestRelay,
    dir: &Path,
) -> Result<(Messenger, Messenger, String), BenchError> {
    let addr = relay.address();
    let mut alice = profile(&addr, dir, "Alice").await?;
    let mut bob = profile(&addr, dir, "Bob").await?;
    let bob_name = pair(&mut alice, &mut bob, "alice").await?;
    Ok((alice, bob, bob_name))
}

async fn file_sanad(file: &RandomFile) -> Result<FileRun, BenchError> {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir()?;
    let (mut alice, mut bob, bob_name) = file_pair(&relay, dir.path()).await?;
    let clock = Arc::new(PhaseClock::default());
    alice.set_progress(clock.clone());
    let cpu = process_cpu();
    let t0 = Instant::now();
    let line = alice.send_file(&bob_name, &file.path()).await?;
    let t3 = Instant::now();
    let cpu = process_cpu().saturating_sub(cpu);
    if line.state != DeliveryState::Sent {
        return Err("the file was queued instead of sent".into());
    }
    let t1 = *clock
        .upload_started
        .get()
        .ok_or("the upload never started")?;
    let t2 = *clock.upload_done.get().ok_or("the upload never finished")?;
    // The announcement arrives, with the right size.
    let report = bob.sync().await?;
    if !report
        .received
        .iter()
        .any(|l| l.file.as_ref().is_some_and(|f| f.size == file.size()))
    {
        return Err("the receiver did not get the file's announcement".into());
    }
    alice.close().await;
    bob.close().await;
    let mut relay = relay;
    relay.stop().await;
    Ok(FileRun {
        wall: t3 - t0,
        cpu,
        phases: Some((t1 - t0, t2 - t1, t3 - t2)),
        uploaded: clock.total.load(Ordering::Relaxed),
    })
}

/// The `sanad` CLI next to this binary.
pub fn sanad_cli() -> Result<PathBuf, BenchError> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .ok_or("the benchmark binary has no parent directory")?
        .join("sanad");
    if !bin.exists() {
        return Err(format!(
            "{} is missing; build it with `cargo build --release -p sanad-client`",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// What the CLI child processes measured: peak RSS (KiB) and wall time of
/// `sanad send Bob --file`, and peak RSS of `sanad whoami` on the same
/// profile (unlock and open only: the process's floor).
struct CliRun {
    send_peak_kib: u64,
    send_wall: Duration,
    whoami_peak_kib: u64,
    /// `sanad whoami` on a profile made with the default KDF.
    whoami_default_kdf_peak_kib: u64,
}

/// Peak RSS (KiB) of `sanad whoami` on `profile`.
async fn whoami_peak(bin: &Path, profile: &Path) -> Result<u64, BenchError> {
    let mut whoami = sanad_command(bin, profile);
    whoami.arg("whoami");
    let (out, peak) =
        tokio::task::spawn_blocking(move || run_measuring_peak_rss(&mut whoami)).await?;
    if !out.status.success() {
        return Err(format!(
            "`sanad whoami` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(peak)
}

fn sanad_command(bin: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env("SANAD_PASSPHRASE", PASSPHRASE)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LANGUAGE")
        .arg("--profile")
        .arg(profile);
    cmd
}

/// `sanad whoami`, then `sanad send Bob --file`, each in a child process,
/// from a profile made with the fast KDF.
async fn rss_cli(file: &RandomFile) -> Result<CliRun, BenchError> {
    let bin = sanad_cli()?;
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir()?;
    let (mut alice, mut bob, bob_name) = file_pair(&relay, dir.path()).await?;
    alice.close().await;
    bob.close().await;
    drop((alice, bob));
    let profile = dir.path().join("Alice");
    let whoami_peak_kib = whoami_peak(&bin, &profile).await?;
    // The same with the default (strong) KDF, for comparison.
    let strong = dir.path().join("Strong");
    let mut m = Messenger::create(
        ProfileDir::new(strong.clone()),
        &Passphrase::new(PASSPHRASE.into()),
        KdfParams::default(),
        relay.address(),
        "Strong",
        ConnectOptions::default(),
    )
    .await?;
    m.close().await;
    drop(m);
    let whoami_default_kdf_peak_kib = whoami_peak(&bin, &strong).await?;
    let mut send = sanad_command(&bin, &profile);
    send.args(["--quiet", "send", &bob_name, "--file"])
        .arg(file.path());
    let t = Instant::now();
    let (out, send_peak_kib) =
        tokio::task::spawn_blocking(move || run_measuring_peak_rss(&mut send)).await?;
    let send_wall = t.elapsed();
    let mut relay = relay;
    relay.stop().await;
    if !out.status.success() {
        return Err(format!(
            "`sanad send --file` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(CliRun {
        send_peak_kib,
        send_wall,
        whoami_peak_kib,
        whoami_default_kdf_peak_kib,
    })
}

/// The disk's share of the spool: write `bytes` (1 MiB at a time) to a new
/// file (no `fsync`: `send_file` syncs its spool only when the upload stops
/// before the end), then delete it; returns both times. No encryption, no
/// hashing: what the extra pass over the file costs in I/O alone.
fn spool_disk_cost(bytes: u64) -> Result<(Duration, Duration), BenchError> {
    use std::io::Write;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("spool");
    let mut buf = vec![0u8; MIB as usize];
    OsRng.fill_bytes(&mut buf);
    let t = Instant::now();
    let mut f = std::fs::File::create(&path)?;
    let mut left = bytes;
    while left > 0 {
        let n = left.min(MIB) as usize;
        f.write_all(&buf[..n])?;
        left -= n as u64;
    }
    drop(f);
    let written = t.elapsed();
    let t = Instant::now();
    std::fs::remove_file(&path)?;
    Ok((written, t.elapsed()))
}

/// Peak RSS (KiB) and wall time of a raw `Client::upload` of the file in a
/// child process (`sanad-msgbench client-upload`, i.e.
/// `sanad_tests::bench::client_upload`).
async fn rss_raw(file: &RandomFile) -> Result<(u64, Duration), BenchError> {
    let relay = TestRelay::start().await;
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.args(["client-upload", "--relay"])
        .arg(relay.address().to_string())
        .arg("--file")
        .arg(file.path())
        .args(["--size", &file.size().to_string()]);
    let t = Instant::now();
    let (out, peak) = tokio::task::spawn_blocking(move || run_measuring_peak_rss(&mut cmd)).await?;
    let wall = t.elapsed();
    let mut relay = relay;
    relay.stop().await;
    if !out.status.success() {
        return Err(format!(
            "the client-upload child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok((peak, wall))
}

/// The `file` benchmark: `Messenger::send_file` of one file (age into the
/// spool while it is uploaded, then announce; until it returns `Sent`) against
/// `Client::upload_file` of the same file, each on a fresh relay, in the
/// same process; then peak RSS of the `sanad` CLI and of a raw upload, each
/// as a child process.
pub async fn file(s: &FileSettings) -> Result<Vec<Table>, BenchError> {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Case {
        Raw,
        Sanad,
    }
    eprintln!("file: writing {} of random bytes", human_size(s.size));
    let file = RandomFile::create(s.size)?;
    let mut raws = Vec::new();
    let mut sanads = Vec::new();
    let mut cli: Vec<CliRun> = Vec::new();
    let mut raw_child = Vec::new();
    let mut disk = Vec::new();
    let mut loads = Vec::new();
    for rep in 0..s.reps {
        loads.push(load_average());
        for case in rotated(&[Case::Raw, Case::Sanad], rep) {
            match case {
                Case::Raw => {
                    let r = file_raw(&file).await?;
                    eprintln!(
                        "file rep {rep} raw upload_file: {:.2} s (load {})",
                        r.wall.as_secs_f64(),
                        load_average()
                    );
                    raws.push(r);
                }
                Case::Sanad => {
                    let r = file_sanad(&file).await?;
                    eprintln!(
                        "file rep {rep} send_file: {:.2} s {:?} (load {})",
                        r.wall.as_secs_f64(),
                        r.phases,
                        load_average()
                    );
                    sanads.push(r);
                }
            }
        }
        // The spool's I/O alone, on a file of the padded size.
        let padded = sanads.last().map_or(file.size(), |r| r.uploaded);
        let cost = tokio::task::spawn_blocking(move || spool_disk_cost(padded)).await??;
        eprintln!("file rep {rep} spool-sized write, delete: {cost:?}");
        disk.push(cost);
        if s.rss {
            let c = rss_cli(&file).await?;
            eprintln!(
                "file rep {rep} sanad CLI: VmHWM {} KiB ({} KiB for whoami), {:?}",
                c.send_peak_kib, c.whoami_peak_kib, c.send_wall
            );
            cli.push(c);
            let (peak, wall) = rss_raw(&file).await?;
            eprintln!("file rep {rep} raw child: VmHWM {peak} KiB, {wall:?}");
            raw_child.push((peak, wall));
        }
    }
    loads.push(load_average());

    let size = file.size();
    let gb = size as f64 / 1e9;
    let mut t = table(
        format!(
            "file: {} sent with `send_file` vs uploaded with `upload_file`, {} repetitions",
            human_size(size),
            s.reps
        ),
        &[
            "transfer",
            "bytes uploaded",
            "median s",
            "MB/s of the file (median)",
            "ratio to raw upload (median)",
            "target",
            "met",
            "ratio per run",
            "s per run",
            "CPU s per GB of the file",
        ],
    );
    let ratios: Vec<f64> = sanads
        .iter()
        .zip(&raws)
        .map(|(x, r)| r.wall.as_secs_f64() / x.wall.as_secs_f64())
        .collect();
    for (label, rs, is_raw) in [
        ("raw `Client::upload_file` (baseline)", &raws, true),
        ("Sanad `Messenger::send_file` until `Sent`", &sanads, false),
    ] {
        let secs: Vec<f64> = rs.iter().map(|r| r.wall.as_secs_f64()).collect();
        let rates: Vec<f64> = secs.iter().map(|s| size as f64 / MB / s).collect();
        let cpu: Vec<f64> = rs.iter().map(|r| r.cpu.as_secs_f64() / gb).collect();
        let uploaded = rs.first().map_or(0, |r| r.uploaded);
        t.rows.push(vec![
            label.into(),
            format!(
                "{uploaded} ({:+.1} %)",
                (uploaded as f64 / size as f64 - 1.0) * 100.0
            ),
            format!("{:.2}", median(&secs)),
            format!("{:.0}", median(&rates)),
            if is_raw {
                "1.00".into()
            } else {
                format!("{:.2}", median(&ratios))
            },
            if is_raw {
                "–".into()
            } else {
                "≥ 0.8".into()
            },
            if is_raw {
                "–".into()
            } else {
                verdict(median(&ratios) >= 0.8)
            },
            if is_raw {
                "–".into()
            } else {
                list(&ratios, 2)
            },
            list(&secs, 2),
            format!("{:.1}", median(&cpu)),
        ]);
    }
    t.notes.push(format!(
        "Ratio = raw upload time ÷ send_file time of the same repetition (the same file, each \
         on a fresh in-process relay, default ConnectOptions: QUIC, segment_concurrency {}). \
         Load average (1/5/15 min) before each repetition and at the end: {}.",
        ConnectOptions::default().segment_concurrency,
        loads.join("; ")
    ));

    let mut p = table(
        "file: where `send_file`'s time goes",
        &[
            "phase",
            "median s",
            "share of send_file",
            "MB/s",
            "s per run",
        ],
    );
    let phase = |pick: fn(&(Duration, Duration, Duration)) -> Duration| -> Vec<f64> {
        sanads
            .iter()
            .filter_map(|r| r.phases.as_ref().map(|p| pick(p).as_secs_f64()))
            .collect()
    };
    let total: Vec<f64> = sanads.iter().map(|r| r.wall.as_secs_f64()).collect();
    let uploaded = sanads.first().map_or(0, |r| r.uploaded);
    let raw_secs: Vec<f64> = raws.iter().map(|r| r.wall.as_secs_f64()).collect();
    let disk_write: Vec<f64> = disk.iter().map(|d| d.0.as_secs_f64()).collect();
    let disk_delete: Vec<f64> = disk.iter().map(|d| d.1.as_secs_f64()).collect();
    for (label, v, bytes) in [
        (
            "1. before the first segment: age header, create the blob, record it in the outbox",
            phase(|p| p.0),
            0,
        ),
        (
            "2. encrypt into the spool (read, SHA-256, age, pad) while uploading it",
            phase(|p| p.1),
            uploaded,
        ),
        (
            "3. announce (MLS message, deposit, sync); the spool is deleted in the background",
            phase(|p| p.2),
            0,
        ),
        ("send_file in all", total.clone(), size),
        (
            "for comparison: raw upload_file of the file",
            raw_secs.clone(),
            size,
        ),
        (
            "for comparison: write a spool-sized file, no fsync (the spool's I/O, now inside step 2)",
            disk_write,
            uploaded,
        ),
        (
            "for comparison: delete a spool-sized file (no longer on the path)",
            disk_delete,
            0,
        ),
    ] {
        let share = median(&v) / median(&total) * 100.0;
        p.rows.push(vec![
            label.into(),
            format!("{:.3}", median(&v)),
            format!("{share:.0} %"),
            if bytes > 0 {
                format!("{:.0}", bytes as f64 / MB / median(&v))
            } else {
                "–".into()
            },
            list(&v, 3),
        ]);
    }
    p.notes.push(
        "Phases from the upload's progress reports: the first report comes once the blob is \
         created and recorded (the encryption has started), the last when every byte is on the \
         relay, which is after the encryption's last byte."
            .into(),
    );

    let mut tables = vec![t, p];
    if s.rss {
        let mut r = table(
            "file: client peak RSS (VmHWM) as a child process",
            &[
                "process",
                "workload",
                "VmHWM MiB (median)",
                "MiB per run",
                "wall s per run",
            ],
        );
        let send: Vec<(u64, Duration)> =
            cli.iter().map(|c| (c.send_peak_kib, c.send_wall)).collect();
        let whoami: Vec<(u64, Duration)> = cli
            .iter()
            .map(|c| (c.whoami_peak_kib, Duration::ZERO))
            .collect();
        let whoami_strong: Vec<(u64, Duration)> = cli
            .iter()
            .map(|c| (c.whoami_default_kdf_peak_kib, Duration::ZERO))
            .collect();
        for (label, work, runs) in [
            (
                "`sanad --quiet send Bob --file` (profile with the fast test KDF)",
                format!("send a {} file", human_size(size)),
                &send,
            ),
            (
                "`sanad whoami` on the same profile",
                "unlock and open the profile only (the CLI's floor)".to_string(),
                &whoami,
            ),
            (
                "`sanad whoami` on a profile with the default KDF",
                "unlock (Argon2id, 256 MiB by design) and open only".to_string(),
                &whoami_strong,
            ),
            (
                "`sanad-msgbench client-upload` (raw `Client::upload`)",
                format!("upload the same {} file", human_size(size)),
                &raw_child,
            ),
        ] {
            let mib: Vec<f64> = runs.iter().map(|(k, _)| *k as f64 / 1024.0).collect();
            let secs: Vec<f64> = runs.iter().map(|(_, w)| w.as_secs_f64()).collect();
            r.rows.push(vec![
                label.into(),
                work,
                format!("{:.1}", median(&mib)),
                list(&mib, 1),
                if secs.iter().all(|s| *s == 0.0) {
                    "–".into()
                } else {
                    list(&secs, 2)
                },
            ]);
        }
        r.notes.push(
            "VmHWM sampled from /proc/PID/status every 10 ms (`harness::run_measuring_peak_rss`). \
             The profile uses the fast test KDF (8 MiB): the default Argon2id takes 256 MiB for \
             about a second at every unlock, by design, and would hide the transfer's own memory."
                .into(),
        );
        tables.push(r);
    }
    Ok(tables)
}
