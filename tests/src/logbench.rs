//! Transparency-log benchmarks, printed by `sanad-logbench`
//! (`docs/benchmarks-log.md` records the figures):
//!
//! - [`wire`]: appends per second and per-append latency through a real
//!   relay (the relay's own CLI in a child process) on loopback, from many
//!   concurrent clients, each append a `LogAppend` request answered with a
//!   receipt once durable;
//! - [`service`]: the same through the relay's request service in this
//!   process, without the network;
//! - [`store`]: the log store alone: batches of leaves with their subtree
//!   hashes and a signed checkpoint, one flush per batch.
//!
//! Every run starts from an empty data directory. Benchmarks print figures;
//! nothing fails when a target is missed.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use sanad_client::{Client, ConnectOptions, TransportMode};
use sanad_protocol::log::merkle::{empty_root, Frontier};
use sanad_protocol::log::{Checkpoint, LogKey};
use sanad_protocol::request::LogAppend;
use sanad_protocol::{Commitment, Receipt, RelayAddress, Request, Response};
use sanad_relay::limits::Quotas;
use sanad_relay::log::AppendBatch;
use sanad_relay::service::Service;
use sanad_relay::store::{SledFileStore, Store};
use tokio::sync::Barrier;

use crate::bench::{relay_binary, BenchError, Table};
use crate::harness::free_port;

// ---------------------------------------------------------------------------
// Figures

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn list(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.0}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn table(title: String, columns: &[&str]) -> Table {
    Table {
        title,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ..Table::default()
    }
}

/// Clock ticks per second for `/proc/PID/stat` (`getconf CLK_TCK`, 100 if
/// it cannot be asked).
fn clock_ticks() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// User plus system CPU time of a process so far.
fn cpu_time(pid: u32, ticks: u64) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 1000 / ticks.max(1)))
}

/// The clock in POSIX seconds, as the relay reads it for each checkpoint.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn commitment(run: u64, i: u64) -> Commitment {
    let mut c = [0u8; 32];
    c[..8].copy_from_slice(&run.to_be_bytes());
    c[8..16].copy_from_slice(&i.to_be_bytes());
    c[16..].copy_from_slice(b"logbench salted!");
    Commitment(c)
}

// ---------------------------------------------------------------------------
// A relay in a child process

/// The relay's own CLI (`relay-under-test`) serving a fresh data directory.
struct ChildRelay {
    child: Child,
    address: RelayAddress,
    log_key: LogKey,
    _dir: tempfile::TempDir,
}

impl ChildRelay {
    async fn start(bin: &Path) -> Result<ChildRelay, BenchError> {
        let dir = tempfile::tempdir()?;
        let port = free_port();
        let init = Command::new(bin)
            .args(["init", "--data-dir"])
            .arg(dir.path())
            .args(["--public-host", "127.0.0.1", "--port", &port.to_string()])
            .output()?;
        if !init.status.success() {
            return Err(format!("relay init: {}", String::from_utf8_lossy(&init.stderr)).into());
        }
        let address: RelayAddress = std::fs::read_to_string(dir.path().join("relay.addr"))?
            .trim()
            .parse()?;
        let keys = sanad_relay::keys::load(dir.path())?;
        let log_key = LogKey::new(keys.log_signing_key().verifying_key());
        let child = Command::new(bin)
            .args(["run", "--data-dir"])
            .arg(dir.path())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let relay = ChildRelay {
            child,
            address,
            log_key,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(c) = Client::connect(&relay.address, quic()).await {
                if c.ping().await.is_ok() {
                    c.close().await;
                    return Ok(relay);
                }
            }
            if Instant::now() > deadline {
                return Err("the relay did not start".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn quic() -> ConnectOptions {
    ConnectOptions {
        mode: TransportMode::QuicOnly,
        ..ConnectOptions::default()
    }
}

// ---------------------------------------------------------------------------
// wire

/// Settings of the [`wire`] benchmark.
#[derive(Debug, Clone)]
pub struct WireSettings {
    /// Appends per run (all clients together).
    pub appends: u64,
    /// Client connections.
    pub clients: usize,
    /// Appends each connection keeps in flight (≤ the relay's 16 streams).
    pub inflight: usize,
    /// Repetitions.
    pub reps: usize,
    /// Transport of every client.
    pub mode: TransportMode,
    /// Receipts kept from each run and verified offline afterwards.
    pub verify_sample: usize,
}

impl Default for WireSettings {
    fn default() -> Self {
        WireSettings {
            appends: 200_000,
            clients: 32,
            inflight: 8,
            reps: 3,
            mode: TransportMode::QuicOnly,
            verify_sample: 1000,
        }
    }
}

struct Run {
    done: u64,
    failed: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
    batches: usize,
    relay_cpu: Duration,
    bench_cpu: Duration,
    verified: usize,
    sampled: usize,
}

async fn wire_run(bin: &Path, s: &WireSettings, rep: u64) -> Result<Run, BenchError> {
    let relay = ChildRelay::start(bin).await?;
    let ticks = clock_ticks();
    let opts = ConnectOptions {
        mode: s.mode,
        ..ConnectOptions::default()
    };
    let mut clients = Vec::with_capacity(s.clients);
    for _ in 0..s.clients {
        let c = Client::connect(&relay.address, opts.clone()).await?;
        // Warm up: the connection and the relay's first batch.
        c.request(&Request::LogCheckpoint).await?;
        clients.push(c);
    }
    let next = Arc::new(AtomicU64::new(0));
    let lanes = s.clients * s.inflight;
    let barrier = Arc::new(Barrier::new(lanes + 1));
    let keep_every = (s.appends / s.verify_sample.max(1) as u64).max(1);
    let mut tasks = Vec::with_capacity(lanes);
    for client in &clients {
        for _ in 0..s.inflight {
            let (client, next, barrier) = (client.clone(), next.clone(), barrier.clone());
            let total = s.appends;
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut sizes = Vec::new();
                let mut kept: Vec<Receipt> = Vec::new();
                let mut failed = 0u64;
                barrier.wait().await;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let req = Request::LogAppend(LogAppend {
                        commitment: commitment(rep, i),
                    });
                    let t = Instant::now();
                    match client.request(&req).await {
                        Ok(Response::LogAppended { receipt }) => {
                            lat.push(t.elapsed());
                            sizes.push(receipt.checkpoint.unverified().size);
                            if i % keep_every == 0 {
                                kept.push(receipt);
                            }
                        }
                        _ => failed += 1,
                    }
                }
                (lat, sizes, kept, failed)
            }));
        }
    }
    barrier.wait().await;
    let start = Instant::now();
    let (relay0, bench0) = (
        cpu_time(relay.pid(), ticks),
        cpu_time(std::process::id(), ticks),
    );
    let mut latencies = Vec::with_capacity(s.appends as usize);
    let mut sizes = Vec::with_capacity(s.appends as usize);
    let mut kept = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (l, z, k, f) = t.await?;
        latencies.extend(l);
        sizes.extend(z);
        kept.extend(k);
        failed += f;
    }
    let elapsed = start.elapsed();
    let (relay1, bench1) = (
        cpu_time(relay.pid(), ticks),
        cpu_time(std::process::id(), ticks),
    );
    let diff = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => Duration::ZERO,
    };
    for c in &clients {
        c.close().await;
    }
    latencies.sort();
    sizes.sort_unstable();
    sizes.dedup();
    let verified = kept
        .iter()
        .filter(|r| {
            Receipt::parse(r.to_text().as_bytes())
                .and_then(|p| p.verify(&relay.log_key))
                .is_ok()
        })
        .count();
    Ok(Run {
        done: latencies.len() as u64,
        failed,
        elapsed,
        latencies,
        batches: sizes.len(),
        relay_cpu: diff(relay0, relay1),
        bench_cpu: diff(bench0, bench1),
        verified,
        sampled: kept.len(),
    })
}

/// The `wire` benchmark: durable appends per second through a relay in a
/// child process, from `clients` connections with `inflight` appends each.
pub async fn wire(s: &WireSettings) -> Result<Table, BenchError> {
    let bin = relay_binary()?;
    let mut runs = Vec::new();
    for rep in 0..s.reps {
        let r = wire_run(&bin, s, rep as u64).await?;
        eprintln!(
            "wire rep {rep}: {} appends in {:.2} s = {:.0}/s, p50 {} ms, p99 {} ms, {} checkpoints, {} failed",
            r.done,
            r.elapsed.as_secs_f64(),
            r.done as f64 / r.elapsed.as_secs_f64(),
            ms(percentile(&r.latencies, 50.0)),
            ms(percentile(&r.latencies, 99.0)),
            r.batches,
            r.failed
        );
        runs.push(r);
    }
    let transport = match s.mode {
        TransportMode::TcpOnly => "TLS/TCP",
        _ => "QUIC",
    };
    let mut t = table(
        format!(
            "log appends over {transport}: {} appends per run, {} clients × {} in flight, relay in a child process, {} repetitions",
            s.appends, s.clients, s.inflight, s.reps
        ),
        &[
            "appends/s (median)",
            "appends/s per run",
            "p50 ms",
            "p99 ms",
            "max ms",
            "target",
            "met",
            "checkpoints per run",
            "appends per checkpoint",
            "relay CPU",
            "relay CPU µs per append",
            "bench CPU",
            "failed",
            "receipts verified",
        ],
    );
    let rate: Vec<f64> = runs
        .iter()
        .map(|r| r.done as f64 / r.elapsed.as_secs_f64())
        .collect();
    let pct = |p: f64| {
        median(
            &runs
                .iter()
                .map(|r| percentile(&r.latencies, p).as_secs_f64() * 1000.0)
                .collect::<Vec<_>>(),
        )
    };
    let per = |f: &dyn Fn(&Run) -> f64| median(&runs.iter().map(f).collect::<Vec<_>>());
    let med = median(&rate);
    t.rows.push(vec![
        format!("{med:.0}"),
        list(&rate),
        format!("{:.1}", pct(50.0)),
        format!("{:.1}", pct(99.0)),
        format!("{:.1}", pct(100.0)),
        "≥ 10,000/s".into(),
        if med >= 10_000.0 { "yes" } else { "**no**" }.into(),
        runs.iter()
            .map(|r| r.batches.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        format!("{:.0}", per(&|r| r.done as f64 / r.batches.max(1) as f64)),
        format!(
            "{:.0} %",
            per(&|r| r.relay_cpu.as_secs_f64() / r.elapsed.as_secs_f64() * 100.0)
        ),
        format!(
            "{:.0}",
            per(&|r| r.relay_cpu.as_secs_f64() * 1e6 / r.done.max(1) as f64)
        ),
        format!(
            "{:.0} %",
            per(&|r| r.bench_cpu.as_secs_f64() / r.elapsed.as_secs_f64() * 100.0)
        ),
        runs.iter().map(|r| r.failed).sum::<u64>().to_string(),
        format!(
            "{} of {}",
            runs.iter().map(|r| r.verified).sum::<usize>(),
            runs.iter().map(|r| r.sampled).sum::<usize>()
        ),
    ]);
    t.notes.push(
        "An append counts once its receipt arrived, i.e. after the relay's group-commit flush made \
         the leaf and its checkpoint durable. Latency: nearest-rank per run, median over runs. \
         CPU: process CPU time / wall time (200 % = both cores); the clients run in the \
         benchmark process. Receipts verified: a sample from every run, checked offline \
         against the relay's log public key after timing."
            .to_string(),
    );
    Ok(t)
}

// ---------------------------------------------------------------------------
// service

/// Settings of the [`service`] benchmark.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    /// Appends per run.
    pub appends: u64,
    /// Concurrent tasks, each with one append in flight.
    pub tasks: usize,
    /// Repetitions.
    pub reps: usize,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            appends: 200_000,
            tasks: 256,
            reps: 3,
        }
    }
}

/// The `service` benchmark: appends through `Service::handle` in this
/// process (batching, signing, sled, group-commit flush; no network).
pub async fn service(s: &ServiceSettings) -> Result<Table, BenchError> {
    let mut rows = Vec::new();
    for rep in 0..s.reps {
        let dir = tempfile::tempdir()?;
        let key = SigningKey::from_bytes(&[rep as u8 + 1; 32]);
        let svc = Arc::new(Service::open(dir.path(), Quotas::default())?.with_log(&key)?);
        let next = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..s.tasks {
            let (svc, next, total) = (svc.clone(), next.clone(), s.appends);
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let t = Instant::now();
                    let r = svc
                        .handle(Request::LogAppend(LogAppend {
                            commitment: commitment(rep as u64, i),
                        }))
                        .await;
                    if matches!(r, Response::LogAppended { .. }) {
                        lat.push(t.elapsed());
                    }
                }
                lat
            }));
        }
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await?);
        }
        let elapsed = start.elapsed();
        lat.sort();
        eprintln!(
            "service rep {rep}: {} appends in {:.2} s",
            lat.len(),
            elapsed.as_secs_f64()
        );
        rows.push((lat.len() as f64 / elapsed.as_secs_f64(), lat));
        svc.close().await;
    }
    let rate: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let pct = |p: f64| {
        median(
            &rows
                .iter()
                .map(|r| percentile(&r.1, p).as_secs_f64() * 1000.0)
                .collect::<Vec<_>>(),
        )
    };
    let mut t = table(
        format!(
            "log appends through the request service (no network): {} appends per run, {} concurrent tasks, {} repetitions",
            s.appends, s.tasks, s.reps
        ),
        &["appends/s (median)", "appends/s per run", "p50 ms", "p99 ms"],
    );
    t.rows.push(vec![
        format!("{:.0}", median(&rate)),
        list(&rate),
        format!("{:.1}", pct(50.0)),
        format!("{:.1}", pct(99.0)),
    ]);
    Ok(t)
}

// ---------------------------------------------------------------------------
// store

/// Settings of the [`store`] benchmark.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// Leaves appended per batch size.
    pub appends: u64,
    /// Batch sizes (leaves per checkpoint, one flush each).
    pub batches: Vec<usize>,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            appends: 100_000,
            batches: vec![1, 16, 256, 4096],
        }
    }
}

/// The `store` benchmark: the log store alone. Per batch: hash the leaves
/// into the tree, sign a checkpoint, append leaves, subtree hashes and
/// checkpoint as one atomic write, flush.
pub fn store(s: &StoreSettings) -> Result<Table, BenchError> {
    let mut t = table(
        format!(
            "log store: {} appends per batch size, one signed checkpoint and one flush per batch",
            s.appends
        ),
        &["leaves per batch", "appends/s", "batches/s", "ms per batch"],
    );
    let key = SigningKey::from_bytes(&[7; 32]);
    let origin = LogKey::new(key.verifying_key()).origin().to_string();
    for &batch in &s.batches {
        let batch = batch.max(1);
        // Fewer appends for batches of one: each costs a flush.
        let total = if batch == 1 {
            s.appends.min(5_000)
        } else {
            s.appends
        };
        let dir = tempfile::tempdir()?;
        let (st, _) = SledFileStore::open(dir.path())?;
        let log = st.log().ok_or("the store keeps no log")?;
        let first = Checkpoint {
            origin: origin.clone(),
            size: 0,
            root: empty_root(),
        }
        .sign(&key, unix_now())?;
        log.append(&AppendBatch {
            first_index: 0,
            leaves: &[],
            nodes: &[],
            checkpoint: first.to_text().as_bytes(),
        })?;
        st.flush()?;
        let mut frontier = Frontier::new();
        let start = Instant::now();
        let mut done = 0u64;
        let mut batches = 0u64;
        while done < total {
            let n = (batch as u64).min(total - done);
            let leaves: Vec<Commitment> = (done..done + n).map(|i| commitment(9, i)).collect();
            let mut nodes = Vec::new();
            let first_index = frontier.size();
            for c in &leaves {
                frontier.push(c.leaf_hash(), |s, h| {
                    if s.level > 0 {
                        nodes.push((s, h));
                    }
                })?;
            }
            let cp = Checkpoint {
                origin: origin.clone(),
                size: frontier.size(),
                root: frontier.root(),
            }
            .sign(&key, unix_now())?;
            log.append(&AppendBatch {
                first_index,
                leaves: &leaves,
                nodes: &nodes,
                checkpoint: cp.to_text().as_bytes(),
            })?;
            st.flush()?;
            done += n;
            batches += 1;
        }
        let elapsed = start.elapsed().as_secs_f64();
        eprintln!("store: batch {batch}: {done} appends in {elapsed:.2} s");
        t.rows.push(vec![
            batch.to_string(),
            format!("{:.0}", done as f64 / elapsed),
            format!("{:.0}", batches as f64 / elapsed),
            format!("{:.2}", elapsed * 1000.0 / batches as f64),
        ]);
    }
    t.notes.push(
        "sled store (`SledFileStore`) in a fresh temporary directory, this process only; the \
         frontier, subtree hashes and checkpoint signature are computed by the benchmark as the \
         relay's log writer does. Batches of 1 run 5,000 appends only (one flush each)."
            .to_string(),
    );
    Ok(t)
}
