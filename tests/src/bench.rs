//! Benchmarks behind the `sanad-bench` binary: blob throughput against the
//! raw-quinn baseline, durable deposits per second with their latency, and
//! the memory of relay and client. Every figure in `docs/benchmarks.md`
//! comes from here.
//!
//! The machine the figures come from is small and shared, so nothing here
//! is compared with a number measured at another time: each Sanad figure is
//! measured next to its baseline in the same run, the cases of one
//! repetition are interleaved (their order rotates from one repetition to
//! the next), and a table reports the median of the repetitions. Every run
//! starts from a fresh relay with an empty data directory, since the relay
//! stores segments by content and a second upload of the same bytes would
//! write nothing.
//!
//! Each benchmark returns a [`Table`]; the binary prints it.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use rand::RngCore;
use sanad_client::{Client, ConnectOptions, NoProgress, TransportKind, TransportMode};
use sanad_protocol::limits::SEGMENT_SIZE;
use sanad_protocol::RelayAddress;
use sha2::{Digest, Sha256};
use tokio::sync::Barrier;

use crate::baseline::{raw_quinn_transfer, Congestion};
use crate::harness::{free_port, ChildRelay, TestRelay};

/// What a benchmark returns when it cannot finish.
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;

const MB: f64 = 1_000_000.0;
const MIB: u64 = 1024 * 1024;

// ---------------------------------------------------------------------------
// Output

/// A markdown table with a title and notes, as printed by `sanad-bench`.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Heading printed above the table.
    pub title: String,
    /// Column names.
    pub columns: Vec<String>,
    /// One entry per row, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Lines printed under the table.
    pub notes: Vec<String>,
}

impl Table {
    fn new(title: impl Into<String>, columns: &[&str]) -> Table {
        Table {
            title: title.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ..Table::default()
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "### {}\n", self.title)?;
        writeln!(f, "| {} |", self.columns.join(" | "))?;
        let rule: Vec<&str> = self.columns.iter().map(|_| "---").collect();
        writeln!(f, "|{}|", rule.join("|"))?;
        for r in &self.rows {
            writeln!(f, "| {} |", r.join(" | "))?;
        }
        if !self.notes.is_empty() {
            writeln!(f)?;
            for n in &self.notes {
                writeln!(f, "{n}")?;
            }
        }
        Ok(())
    }
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

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / MB / d.as_secs_f64()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn list(values: &[f64], decimals: usize) -> String {
    let v: Vec<String> = values.iter().map(|x| format!("{x:.decimals$}")).collect();
    v.join(", ")
}

fn verdict(met: bool) -> String {
    if met { "yes" } else { "**no**" }.to_string()
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * MIB && bytes.checked_rem(1024 * MIB) == Some(0) {
        format!("{} GiB", bytes / (1024 * MIB))
    } else if bytes >= MIB && bytes.checked_rem(MIB) == Some(0) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.checked_rem(1024) == Some(0) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

// ---------------------------------------------------------------------------
// The machine and processes

/// One line describing the machine: cores, memory, CPU model, date.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| status_kib(&s, "MemTotal:"))
        .map_or("unknown".into(), |k| {
            format!("{:.1} GiB", k as f64 / MIB as f64)
        });
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem} RAM, {date}")
}

/// A `Key:   123 kB` value from a `/proc` status-like text, in KiB.
fn status_kib(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// Peak resident set (VmHWM) of process `pid`, in KiB.
pub fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status_kib(&s, "VmHWM:")
}

/// Current resident set (VmRSS) of process `pid`, in KiB.
fn vm_rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status_kib(&s, "VmRSS:")
}

/// User plus system CPU time of process `pid` so far.
fn cpu_time(pid: u32) -> Option<Duration> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) close with ')'.
    let rest = s.get(s.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat, 12 and 13 of `rest`.
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64))
}

/// Clock ticks per second of `/proc/*/stat` times (asked once).
fn clock_ticks() -> u64 {
    static TICKS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100)
    })
}

/// The process id of our child process whose command line contains `arg`
/// (the child relay, found by its unique data directory).
fn child_pid_with_arg(arg: &Path) -> Option<u32> {
    let me = std::process::id();
    let needle = arg.as_os_str().as_encoded_bytes();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rfind(')')
            .and_then(|i| stat.get(i + 2..))
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid != Some(me) {
            continue;
        }
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let args: Vec<&[u8]> = cmdline.split(|&b| b == 0).collect();
        if args.contains(&needle) && args.contains(&&b"run"[..]) {
            return Some(pid);
        }
    }
    None
}

/// The relay binary built next to this one (`relay-under-test`).
pub fn relay_binary() -> Result<PathBuf, BenchError> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .ok_or("the benchmark binary has no parent directory")?
        .join("relay-under-test");
    if !bin.exists() {
        return Err(format!(
            "{} is missing; build it first with `cargo build --release -p sanad-tests --bins`",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// A child relay on a fresh data directory, with its process id.
struct Spawned {
    relay: ChildRelay,
    pid: u32,
    _dir: tempfile::TempDir,
}

async fn spawn_relay(bin: &Path) -> Result<Spawned, BenchError> {
    let dir = tempfile::tempdir()?;
    let relay = ChildRelay::spawn(bin, dir.path(), free_port()).await;
    let pid = child_pid_with_arg(dir.path()).ok_or("cannot find the relay's process id")?;
    Ok(Spawned {
        relay,
        pid,
        _dir: dir,
    })
}

// ---------------------------------------------------------------------------
// Inputs

/// A file of `size` random bytes in a new temporary directory.
pub struct RandomFile {
    dir: tempfile::TempDir,
    size: u64,
}

impl RandomFile {
    /// Write `size` random bytes to disk (once per benchmark run).
    pub fn create(size: u64) -> Result<RandomFile, BenchError> {
        let dir = tempfile::tempdir()?;
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.path().join("blob"))?);
        let mut buf = vec![0u8; MIB as usize];
        let mut left = size;
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            rand::thread_rng().fill_bytes(&mut buf[..n]);
            f.write_all(&buf[..n])?;
            left -= n as u64;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(RandomFile { dir, size })
    }

    /// Where the bytes are.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("blob")
    }

    /// How many bytes.
    pub fn size(&self) -> u64 {
        self.size
    }
}

fn options(mode: TransportMode, segment_concurrency: usize) -> ConnectOptions {
    ConnectOptions {
        mode,
        segment_concurrency,
        ..ConnectOptions::default()
    }
}

async fn connect(
    addr: &RelayAddress,
    mode: TransportMode,
    segment_concurrency: usize,
) -> Result<Client, BenchError> {
    let client = Client::connect(addr, options(mode, segment_concurrency)).await?;
    check_transport(&client, mode)?;
    Ok(client)
}

/// Fail unless `client` got the transport `mode` asks for.
fn check_transport(client: &Client, mode: TransportMode) -> Result<(), BenchError> {
    let want = match mode {
        TransportMode::TcpOnly => TransportKind::Tcp,
        _ => TransportKind::Quic,
    };
    if client.transport_kind() != want {
        return Err(format!(
            "connected over {:?}, wanted {want:?}",
            client.transport_kind()
        )
        .into());
    }
    Ok(())
}

fn same_contents(a: &Path, b: &Path) -> Result<bool, BenchError> {
    use std::io::Read;
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let (mut ba, mut bb) = (vec![0u8; MIB as usize], vec![0u8; MIB as usize]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

// ---------------------------------------------------------------------------
// upload

/// Settings of the `upload` benchmark.
#[derive(Debug, Clone)]
pub struct UploadSettings {
    /// Blob size in bytes.
    pub size: u64,
    /// Repetitions (the table reports the median).
    pub reps: usize,
    /// `segment_concurrency` values measured over QUIC.
    pub concurrencies: Vec<usize>,
    /// Download each QUIC upload back (and time it).
    pub download: bool,
    /// `segment_concurrency` of the TLS-over-TCP upload; `None` skips it.
    pub tcp_concurrency: Option<usize>,
    /// Measure the raw-quinn baseline (off only to profile Sanad alone;
    /// the table then has no ratios).
    pub baseline: bool,
    /// Also measure the relay's storage path alone and the reference: the
    /// raw transfer while that storage stores the same bytes
    /// ([`reference_transfer`]).
    pub reference: bool,
    /// Congestion controllers measured (both ends of every QUIC transfer,
    /// Sanad and baseline alike); each Sanad figure is compared with the
    /// baseline of the same controller.
    pub congestion: Vec<Congestion>,
}

impl Default for UploadSettings {
    fn default() -> Self {
        UploadSettings {
            size: 1024 * MIB,
            reps: 3,
            concurrencies: vec![1, 2, 4],
            download: true,
            tcp_concurrency: Some(4),
            baseline: true,
            reference: true,
            congestion: vec![Congestion::Bbr, Congestion::Cubic],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Raw(Congestion),
    Storage,
    Reference(Congestion),
    Quic(usize, Congestion),
    Tcp(usize),
}

/// Wall time of one transfer and the CPU time this process (client and
/// in-process relay together) spent meanwhile.
#[derive(Debug, Clone, Copy)]
struct Measured {
    wall: Duration,
    cpu: Duration,
}

struct Stopwatch {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            cpu: cpu_time(std::process::id()),
            wall: Instant::now(),
        }
    }

    fn stop(self) -> Measured {
        let wall = self.wall.elapsed();
        let cpu = match (self.cpu, cpu_time(std::process::id())) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => Duration::ZERO,
        };
        Measured { wall, cpu }
    }
}

/// Upload (and optionally download back) `file` to a fresh in-process
/// relay; returns the upload and download measurements.
async fn sanad_transfer(
    file: &RandomFile,
    mode: TransportMode,
    concurrency: usize,
    congestion: Congestion,
    download: bool,
) -> Result<(Measured, Option<Measured>), BenchError> {
    let dir = tempfile::tempdir()?;
    sanad_relay::keys::init(dir.path(), "127.0.0.1", 7443)?;
    let mut relay_options = sanad_relay::server::RelayOptions::loopback(dir.path());
    relay_options.congestion = congestion.relay();
    let relay = sanad_relay::server::start(relay_options).await?;
    let client = Client::connect(
        &relay.address(),
        ConnectOptions {
            congestion: congestion.client(),
            ..options(mode, concurrency)
        },
    )
    .await?;
    check_transport(&client, mode)?;
    let watch = Stopwatch::start();
    let outcome = client.upload_file(&file.path(), None, &NoProgress).await?;
    let up = watch.stop();
    if outcome.bytes_sent != file.size() {
        return Err(format!(
            "upload sent {} bytes for a {}-byte blob",
            outcome.bytes_sent,
            file.size()
        )
        .into());
    }
    let mut down = None;
    if download {
        let out = tempfile::tempdir()?;
        let path = out.path().join("download");
        let watch = Stopwatch::start();
        client
            .download_file(&outcome.blob.blob_id(), file.size(), &path, &NoProgress)
            .await?;
        down = Some(watch.stop());
        if !same_contents(&file.path(), &path)? {
            return Err("downloaded bytes differ from the uploaded file".into());
        }
    }
    client.close().await;
    relay.shutdown().await;
    Ok((up, down))
}

async fn raw_transfer(size: u64, congestion: Congestion) -> Result<Measured, BenchError> {
    let watch = Stopwatch::start();
    let wall = raw_quinn_transfer(size, congestion).await?;
    // The stopwatch also counts the baseline's handshake and teardown; its
    // wall time is the one the baseline reports (first byte to last ack).
    Ok(Measured {
        wall,
        cpu: watch.stop().cpu,
    })
}

/// The `upload` benchmark: blob upload and download throughput over QUIC
/// for each `segment_concurrency` and congestion controller, TLS-over-TCP
/// upload, each as a ratio to [`raw_quinn_transfer`] of the same size and
/// the same congestion controller, measured in the same repetition.
pub async fn upload(settings: &UploadSettings) -> Result<Table, BenchError> {
    let file = RandomFile::create(settings.size)?;
    let size = file.size();
    let mut cases = Vec::new();
    for &cc in &settings.congestion {
        if settings.baseline {
            cases.push(Case::Raw(cc));
        }
        if settings.reference {
            cases.push(Case::Reference(cc));
        }
        cases.extend(settings.concurrencies.iter().map(|&c| Case::Quic(c, cc)));
    }
    cases.extend(settings.tcp_concurrency.map(Case::Tcp));
    if settings.reference {
        cases.push(Case::Storage);
    }

    // times[case][rep] = (upload, download)
    let mut times: Vec<Vec<(Measured, Option<Measured>)>> = vec![Vec::new(); cases.len()];
    for rep in 0..settings.reps {
        for k in 0..cases.len() {
            let i = (k + rep) % cases.len();
            let t = match cases[i] {
                Case::Raw(cc) => (raw_transfer(size, cc).await?, None),
                Case::Reference(cc) => (reference_transfer(size, cc).await?, None),
                Case::Storage => {
                    let watch = Stopwatch::start();
                    storage_of_upload(size, 4).await?;
                    (watch.stop(), None)
                }
                Case::Quic(c, cc) => {
                    sanad_transfer(&file, TransportMode::QuicOnly, c, cc, settings.download).await?
                }
                Case::Tcp(c) => {
                    sanad_transfer(&file, TransportMode::TcpOnly, c, Congestion::Bbr, false).await?
                }
            };
            eprintln!(
                "upload rep {rep}: {:?} up {:.2}s (cpu {:.2}s){}",
                cases[i],
                t.0.wall.as_secs_f64(),
                t.0.cpu.as_secs_f64(),
                t.1.map_or(String::new(), |d| format!(
                    " down {:.2}s (cpu {:.2}s)",
                    d.wall.as_secs_f64(),
                    d.cpu.as_secs_f64()
                ))
            );
            times[i].push(t);
        }
    }

    let mut table = Table::new(
        format!(
            "upload: {} blob, loopback, in-process relay, {} repetitions",
            human_size(size),
            settings.reps
        ),
        &[
            "transfer",
            "transport",
            "congestion",
            "segment_concurrency",
            "median MB/s",
            "ratio to raw quinn, same congestion (median)",
            "target",
            "met",
            "ratio to the reference (median)",
            "MB/s per run",
            "CPU s per GB",
        ],
    );
    let measured_of = |case: Case| -> Vec<Measured> {
        cases
            .iter()
            .position(|&c| c == case)
            .map(|i| times[i].iter().map(|t| t.0).collect())
            .unwrap_or_default()
    };
    let raw_of = |cc: Congestion| measured_of(Case::Raw(cc));
    let gb = size as f64 / 1e9;
    let ratios = |ms: &[Measured], raw: &[Measured]| -> Vec<f64> {
        ms.iter()
            .zip(raw)
            .map(|(m, r)| r.wall.as_secs_f64() / m.wall.as_secs_f64())
            .collect()
    };
    let mut row = |what: &str,
                   transport: &str,
                   cc: &str,
                   c: &str,
                   ms: &[Measured],
                   raw: &[Measured],
                   reference: &[Measured],
                   target: Option<f64>| {
        let mbs: Vec<f64> = ms.iter().map(|m| mb_per_s(size, m.wall)).collect();
        let of_reference = ratios(ms, reference);
        let ratios = ratios(ms, raw);
        let cpu: Vec<f64> = ms.iter().map(|m| m.cpu.as_secs_f64() / gb).collect();
        let ratio = median(&ratios);
        let measured = !ratios.is_empty();
        table.row(vec![
            what.into(),
            transport.into(),
            cc.into(),
            c.into(),
            format!("{:.0}", median(&mbs)),
            if measured {
                format!("{ratio:.2}")
            } else {
                "–".into()
            },
            target.map_or("–".into(), |t| format!("≥ {t}")),
            match target {
                Some(t) if measured => verdict(ratio >= t),
                _ => "–".into(),
            },
            if of_reference.is_empty() {
                "–".into()
            } else {
                format!("{:.2}", median(&of_reference))
            },
            list(&mbs, 0),
            format!("{:.1}", median(&cpu)),
        ]);
    };
    for &cc in &settings.congestion {
        let raw = raw_of(cc);
        let reference = measured_of(Case::Reference(cc));
        if !raw.is_empty() {
            row(
                "raw quinn, 1 stream (baseline)",
                "QUIC",
                cc.name(),
                "–",
                &raw,
                &raw,
                &[],
                None,
            );
        }
        if !reference.is_empty() {
            row(
                "raw quinn while the relay's storage stores the same bytes (reference)",
                "QUIC",
                cc.name(),
                "–",
                &reference,
                &raw,
                &reference,
                None,
            );
        }
        for (i, case) in cases.iter().enumerate() {
            if let Case::Quic(c, this) = *case {
                if this == cc {
                    let ups: Vec<Measured> = times[i].iter().map(|t| t.0).collect();
                    row(
                        "upload",
                        "QUIC",
                        cc.name(),
                        &c.to_string(),
                        &ups,
                        &raw,
                        &reference,
                        Some(0.6),
                    );
                }
            }
        }
        for (i, case) in cases.iter().enumerate() {
            if let Case::Quic(c, this) = *case {
                let downs: Vec<Measured> = times[i].iter().filter_map(|t| t.1).collect();
                if this == cc && !downs.is_empty() {
                    row(
                        "download",
                        "QUIC",
                        cc.name(),
                        &c.to_string(),
                        &downs,
                        &raw,
                        &[],
                        None,
                    );
                }
            }
        }
    }
    for (i, case) in cases.iter().enumerate() {
        if let Case::Tcp(c) = *case {
            let ups: Vec<Measured> = times[i].iter().map(|t| t.0).collect();
            row(
                "upload",
                "TLS/TCP",
                "–",
                &c.to_string(),
                &ups,
                &[],
                &[],
                None,
            );
        }
    }
    let storage = measured_of(Case::Storage);
    if !storage.is_empty() {
        row(
            "relay storage alone, no network (4 at a time)",
            "–",
            "–",
            "–",
            &storage,
            &[],
            &[],
            None,
        );
    }
    // Sanad's default (BBR) against quinn's default (Cubic), as the first
    // version of this page compared them.
    let cubic = raw_of(Congestion::Cubic);
    if !cubic.is_empty() {
        for (i, case) in cases.iter().enumerate() {
            if let Case::Quic(c, Congestion::Bbr) = *case {
                let ups: Vec<Measured> = times[i].iter().map(|t| t.0).collect();
                table.note(format!(
                    "Upload with BBR at concurrency {c} against the Cubic baseline: ratio {:.2} \
                     (per run {}).",
                    median(&ratios(&ups, &cubic)),
                    list(&ratios(&ups, &cubic), 2)
                ));
            }
        }
    }
    table.note(format!(
        "MB = 10^6 bytes. Ratio = raw-quinn time / Sanad time with the same congestion \
         controller at both ends, per repetition, median over {} repetitions; cases \
         interleaved, order rotated per repetition; a fresh relay per transfer. Download \
         includes the final fsync of the {} file. CPU s per GB: CPU time of the whole process \
         (client and relay, both cores) per 10^9 bytes moved (for the baseline including its \
         handshake). Relay storage alone: the relay's own storage path for the same bytes \
         without the network (each 1 MiB segment made, hashed as a client hashes it, copied \
         into a receive buffer, hashed again, written durably and committed, 4 at a time). \
         Reference: the raw quinn transfer and that storage at the same time, timed until \
         both finish, with no protocol between them; a Sanad upload does at least this work \
         on the same two cores and disk, so its ratio to the reference says how much of what \
         the machine allows it gets.",
        settings.reps,
        human_size(size)
    ));
    Ok(table)
}

// ---------------------------------------------------------------------------
// deposits

/// Settings of the `deposits` benchmark.
#[derive(Debug, Clone)]
pub struct DepositSettings {
    /// Numbers of concurrent clients, each measured separately.
    pub clients: Vec<usize>,
    /// How long each run deposits.
    pub duration: Duration,
    /// Body length of each deposit.
    pub body_len: usize,
    /// Repetitions (the table reports the median).
    pub reps: usize,
}

impl Default for DepositSettings {
    fn default() -> Self {
        DepositSettings {
            clients: vec![100, 10],
            duration: Duration::from_secs(10),
            body_len: 1024,
            reps: 3,
        }
    }
}

struct DepositRun {
    done: usize,
    failed: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    relay_cpu: Duration,
    bench_cpu: Duration,
}

/// `clients` connections, each depositing `body_len`-byte bodies into its
/// own mailbox one after the other until `duration` has passed.
async fn deposit_run(
    bin: &Path,
    clients: usize,
    duration: Duration,
    body_len: usize,
) -> Result<DepositRun, BenchError> {
    let relay = spawn_relay(bin).await?;
    let addr = relay.relay.address().clone();
    let barrier = Arc::new(Barrier::new(clients + 1));
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let addr = addr.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let client = connect(&addr, TransportMode::QuicOnly, 1).await;
            let owner = match &client {
                Ok(c) => Some(c.create_mailbox(&SigningKey::generate(&mut OsRng)).await),
                Err(_) => None,
            };
            let mut body = vec![0u8; body_len];
            OsRng.fill_bytes(&mut body);
            barrier.wait().await;
            let (client, owner) = (client?, owner.ok_or("no mailbox")??);
            let send_id = owner.send_id();
            let end = Instant::now() + duration;
            let (mut lat, mut failed) = (Vec::new(), 0usize);
            while Instant::now() < end {
                let t = Instant::now();
                match client.deposit(&send_id, body.clone()).await {
                    Ok(_) => lat.push(t.elapsed()),
                    Err(_) => failed += 1,
                }
            }
            client.close().await;
            Ok::<_, BenchError>((lat, failed))
        }));
    }
    barrier.wait().await;
    let start = Instant::now();
    let (relay_cpu0, bench_cpu0) = (cpu_time(relay.pid), cpu_time(std::process::id()));
    let mut latencies = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (l, f) = t.await??;
        latencies.extend(l);
        failed += f;
    }
    let elapsed = start.elapsed();
    let (relay_cpu1, bench_cpu1) = (cpu_time(relay.pid), cpu_time(std::process::id()));
    let diff = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => Duration::ZERO,
    };
    latencies.sort();
    let mut relay = relay;
    relay.relay.terminate();
    Ok(DepositRun {
        done: latencies.len(),
        failed,
        elapsed,
        latencies,
        relay_cpu: diff(relay_cpu0, relay_cpu1),
        bench_cpu: diff(bench_cpu0, bench_cpu1),
    })
}

/// The `deposits` benchmark: durable deposits per second and per-deposit
/// latency against a relay in a child process.
pub async fn deposits(settings: &DepositSettings) -> Result<Table, BenchError> {
    let bin = relay_binary()?;
    clock_ticks();
    let n = settings.clients.len();
    let mut runs: Vec<Vec<DepositRun>> = (0..n).map(|_| Vec::new()).collect();
    for rep in 0..settings.reps {
        for k in 0..n {
            let i = (k + rep) % n;
            let r = deposit_run(
                &bin,
                settings.clients[i],
                settings.duration,
                settings.body_len,
            )
            .await?;
            eprintln!(
                "deposits rep {rep}: {} clients, {} ok, {} failed in {:.2}s, p99 {} ms",
                settings.clients[i],
                r.done,
                r.failed,
                r.elapsed.as_secs_f64(),
                ms(percentile(&r.latencies, 99.0))
            );
            runs[i].push(r);
        }
    }
    let mut table = Table::new(
        format!(
            "deposits: {} B bodies, {} s per run, relay in a child process, {} repetitions",
            settings.body_len,
            settings.duration.as_secs(),
            settings.reps
        ),
        &[
            "clients",
            "deposits/s (median)",
            "p50 ms",
            "p99 ms",
            "max ms",
            "target",
            "met",
            "deposits/s per run",
            "failed",
            "relay CPU",
            "relay CPU µs per deposit",
            "bench CPU",
        ],
    );
    for (i, rs) in runs.iter().enumerate() {
        let clients = settings.clients[i];
        let rate: Vec<f64> = rs
            .iter()
            .map(|r| r.done as f64 / r.elapsed.as_secs_f64())
            .collect();
        let pct = |p: f64| -> Vec<f64> {
            rs.iter()
                .map(|r| percentile(&r.latencies, p).as_secs_f64() * 1000.0)
                .collect()
        };
        let (p50, p99, max) = (median(&pct(50.0)), median(&pct(99.0)), median(&pct(100.0)));
        let cpu = |f: fn(&DepositRun) -> Duration| -> f64 {
            median(
                &rs.iter()
                    .map(|r| f(r).as_secs_f64() / r.elapsed.as_secs_f64() * 100.0)
                    .collect::<Vec<_>>(),
            )
        };
        let (target, met) = if clients == 100 {
            (
                "≥ 2,000/s; p99 ≤ 50 ms".to_string(),
                format!(
                    "rate {}; p99 {}",
                    verdict(median(&rate) >= 2000.0),
                    verdict(p99 <= 50.0)
                ),
            )
        } else {
            ("–".to_string(), "–".to_string())
        };
        table.row(vec![
            clients.to_string(),
            format!("{:.0}", median(&rate)),
            format!("{p50:.1}"),
            format!("{p99:.1}"),
            format!("{max:.1}"),
            target,
            met,
            list(&rate, 0),
            rs.iter().map(|r| r.failed).sum::<usize>().to_string(),
            format!("{:.0} %", cpu(|r| r.relay_cpu)),
            format!(
                "{:.0}",
                median(
                    &rs.iter()
                        .map(|r| r.relay_cpu.as_secs_f64() * 1e6 / r.done.max(1) as f64)
                        .collect::<Vec<_>>()
                )
            ),
            format!("{:.0} %", cpu(|r| r.bench_cpu)),
        ]);
    }
    table.note(
        "Each client is its own `Client::connect` (own QUIC connection) and deposits into its \
         own mailbox, one deposit at a time; a deposit counts once the relay answered, i.e. \
         after the group-commit flush. Latencies are medians over repetitions of each run's \
         nearest-rank percentile. CPU is process CPU time / wall time (200 % = both cores); \
         the clients run in the benchmark process.",
    );
    Ok(table)
}

// ---------------------------------------------------------------------------
// rss

/// Settings of the `rss` benchmark.
#[derive(Debug, Clone)]
pub struct RssSettings {
    /// Concurrent uploads against the relay.
    pub uploads: usize,
    /// Size of each of those uploads.
    pub upload_size: u64,
    /// Bursts of `uploads` against the same relay (a growing peak would show
    /// memory kept between bursts).
    pub bursts: usize,
    /// Blob sizes uploaded by the client child process.
    pub client_sizes: Vec<u64>,
}

impl Default for RssSettings {
    fn default() -> Self {
        RssSettings {
            uploads: 200,
            upload_size: 256 * 1024,
            bursts: 5,
            client_sizes: vec![MIB, 64 * MIB, 1024 * MIB],
        }
    }
}

/// The `rss` benchmark: the child relay's peak RSS during bursts of
/// concurrent small uploads, and a child client's peak RSS per blob size.
pub async fn rss(settings: &RssSettings) -> Result<Table, BenchError> {
    let bin = relay_binary()?;
    let mut table = Table::new(
        "rss: peak resident memory (VmHWM)",
        &[
            "process",
            "workload",
            "VmHWM MiB",
            "VmRSS after, MiB",
            "target",
            "met",
            "wall s",
        ],
    );

    let relay = spawn_relay(&bin).await?;
    let addr = relay.relay.address().clone();
    let idle = vm_hwm_kib(relay.pid).ok_or("cannot read the relay's VmHWM")?;
    table.row(vec![
        "relay".into(),
        "idle, after start and one ping".into(),
        format!("{:.1}", idle as f64 / 1024.0),
        format!("{:.1}", vm_rss_kib(relay.pid).unwrap_or(0) as f64 / 1024.0),
        "–".into(),
        "–".into(),
        "–".into(),
    ]);
    for burst in 0..settings.bursts {
        let n = settings.uploads;
        let barrier = Arc::new(Barrier::new(n + 1));
        let mut tasks = Vec::with_capacity(n);
        for _ in 0..n {
            let (addr, barrier, size) = (addr.clone(), barrier.clone(), settings.upload_size);
            tasks.push(tokio::spawn(async move {
                let client = connect(&addr, TransportMode::QuicOnly, 4).await;
                let mut data = vec![0u8; size as usize];
                OsRng.fill_bytes(&mut data);
                barrier.wait().await;
                let client = client?;
                client
                    .upload(std::io::Cursor::new(data), size, None, &NoProgress)
                    .await?;
                client.close().await;
                Ok::<(), BenchError>(())
            }));
        }
        barrier.wait().await;
        let start = Instant::now();
        for t in tasks {
            t.await??;
        }
        let wall = start.elapsed();
        let hwm = vm_hwm_kib(relay.pid).ok_or("cannot read the relay's VmHWM")?;
        let mib = hwm as f64 / 1024.0;
        table.row(vec![
            "relay".into(),
            format!(
                "burst {}: {n} clients each uploading {} at once",
                burst + 1,
                human_size(settings.upload_size)
            ),
            format!("{mib:.1}"),
            format!("{:.1}", vm_rss_kib(relay.pid).unwrap_or(0) as f64 / 1024.0),
            "≤ 256 MiB".into(),
            verdict(mib <= 256.0),
            format!("{:.2}", wall.as_secs_f64()),
        ]);
        eprintln!("rss burst {burst}: relay VmHWM {mib:.1} MiB, {wall:?}");
    }
    let mut relay = relay;
    relay.relay.terminate();

    let largest = settings.client_sizes.iter().copied().max().unwrap_or(MIB);
    let file = RandomFile::create(largest)?;
    let exe = std::env::current_exe()?;
    let mut client_rows = Vec::new();
    for &size in &settings.client_sizes {
        let mut relay = TestRelay::start().await;
        let mut cmd = Command::new(&exe);
        cmd.args(["client-upload", "--relay"])
            .arg(relay.address().to_string())
            .arg("--file")
            .arg(file.path())
            .args(["--size", &size.to_string()]);
        // The relay runs on this runtime; wait for the child off it.
        let out = tokio::task::spawn_blocking(move || cmd.output()).await??;
        relay.stop().await;
        if !out.status.success() {
            return Err(format!(
                "client-upload child failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |key: &str| -> Option<f64> {
            text.split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .and_then(|v| v.parse().ok())
        };
        let hwm = field("vmhwm_kib=").ok_or("client-upload printed no VmHWM")?;
        let wall = field("upload_s=").unwrap_or(f64::NAN);
        eprintln!("rss client {}: {hwm} KiB", human_size(size));
        client_rows.push((size, hwm / 1024.0, wall));
    }
    let smallest = client_rows.first().map_or(0.0, |r| r.1);
    // The reference is the 64 MiB upload (enough segments to fill every
    // worker); larger uploads should peak within 10 % (or 2 MiB) of it.
    let reference = client_rows
        .iter()
        .find(|r| r.0 >= 64 * MIB)
        .map(|r| (r.0, r.1));
    for (size, mib, wall) in &client_rows {
        let (target, met) = match reference {
            Some((ref_size, ref_mib)) if *size > ref_size => (
                format!("≈ {} figure", human_size(ref_size)),
                verdict((mib - ref_mib).abs() <= (ref_mib * 0.1).max(2.0)),
            ),
            _ => ("reference".to_string(), "–".to_string()),
        };
        table.row(vec![
            "client (child process)".into(),
            format!(
                "upload of {} (segment_concurrency 4, QUIC)",
                human_size(*size)
            ),
            format!("{mib:.1}"),
            "–".into(),
            target,
            met,
            format!("{wall:.2}"),
        ]);
    }
    if let (Some(a), Some(b)) = (client_rows.first(), client_rows.last()) {
        table.note(format!(
            "Client peak grows by {:.1} MiB from {} to {} ({:.0}× the bytes).",
            b.1 - smallest,
            human_size(a.0),
            human_size(b.0),
            b.0 as f64 / a.0 as f64
        ));
    }
    table.note(
        "Relay: `relay-under-test run` (the relay's own CLI) as a child process; VmHWM is the \
         process's peak since start, read from /proc after each burst. Client: `sanad-bench \
         client-upload` re-invoked as a child against a fresh in-process relay; it reports its \
         own VmHWM at exit.",
    );
    Ok(table)
}

/// The child side of the client-RSS measurement: upload the first `size`
/// bytes of `file` to `relay` and return a line with the elapsed time and
/// this process's VmHWM.
pub async fn client_upload(
    relay: &RelayAddress,
    file: &Path,
    size: u64,
) -> Result<String, BenchError> {
    let client = connect(
        relay,
        TransportMode::QuicOnly,
        ConnectOptions::default().segment_concurrency,
    )
    .await?;
    let source = tokio::fs::File::open(file).await?;
    let start = Instant::now();
    client.upload(source, size, None, &NoProgress).await?;
    let elapsed = start.elapsed();
    client.close().await;
    let hwm = vm_hwm_kib(std::process::id()).ok_or("cannot read VmHWM")?;
    Ok(format!(
        "vmhwm_kib={hwm} upload_s={:.3}",
        elapsed.as_secs_f64()
    ))
}

// ---------------------------------------------------------------------------
// parts

/// `seg` with its first bytes replaced by `i`, so that every segment has its
/// own hash (the relay stores segments by content).
fn numbered(seg: &[u8], i: u32) -> Vec<u8> {
    let mut v = seg.to_vec();
    v[..4].copy_from_slice(&i.to_be_bytes());
    v
}

/// A fresh relay [`Service`](sanad_relay::service::Service) on a
/// temporary directory, with one blob of `count` segments created in it.
async fn service_with_blob(
    count: u32,
) -> Result<
    (
        tempfile::TempDir,
        Arc<sanad_relay::service::Service>,
        sanad_protocol::BlobId,
        sanad_protocol::UploadToken,
    ),
    BenchError,
> {
    use sanad_protocol::request::BlobCreate;
    use sanad_protocol::{Request, Response};
    let dir = tempfile::tempdir()?;
    let service = Arc::new(sanad_relay::service::Service::open(
        dir.path(),
        Default::default(),
    )?);
    let size = u64::from(count) * SEGMENT_SIZE as u64;
    match service
        .handle(Request::BlobCreate(BlobCreate { size }))
        .await
    {
        Response::BlobCreated { blob_id, token } => Ok((dir, service, blob_id, token)),
        other => Err(format!("blob create answered {other:?}").into()),
    }
}

/// Store one segment through the relay's service as a transport delivers
/// it: copied into a (page-aligned) receive buffer, hashed there, checked
/// against the hash its client declared, written durably.
async fn service_put(
    service: &sanad_relay::service::Service,
    blob_id: sanad_protocol::BlobId,
    token: &sanad_protocol::UploadToken,
    index: u32,
    data: &[u8],
    hash: sanad_protocol::SegmentHash,
) -> Result<(), BenchError> {
    use sanad_protocol::Response;
    use sanad_relay::service::SegmentPut;
    use sanad_relay::store::SegmentHasher;
    let mut received = SegmentHasher::with_len(data.len());
    received.unfilled().copy_from_slice(data);
    received.advance(data.len());
    let put = SegmentPut {
        blob_id,
        token: token.clone(),
        index,
        hash,
        data: received.finish(),
    };
    match service.put_segment(put).await {
        Response::SegmentStored { .. } => Ok(()),
        other => Err(format!("segment put answered {other:?}").into()),
    }
}

/// Where the segments of a storage benchmark come from: segment `index`
/// with the hash its client declares.
type SegmentSource = dyn Fn(u32) -> (Arc<[u8]>, sanad_protocol::SegmentHash) + Send + Sync;

/// Store `count` segments of one blob straight into the relay's
/// [`Service`](sanad_relay::service::Service) ([`service_put`]), `workers`
/// at a time, each taken from `source` when its turn comes; returns the
/// time from the first segment to the last stored.
async fn store_segments(
    count: u32,
    workers: usize,
    source: Arc<SegmentSource>,
) -> Result<Duration, BenchError> {
    use std::sync::atomic::{AtomicU32, Ordering};

    let (_dir, service, blob_id, token) = service_with_blob(count).await?;
    let next = Arc::new(AtomicU32::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let (service, source, next, token) =
                (service.clone(), source.clone(), next.clone(), token.clone());
            tokio::spawn(async move {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        return Ok::<(), BenchError>(());
                    }
                    let (data, hash) = source(index);
                    service_put(&service, blob_id, &token, index, &data, hash).await?;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    Ok(start.elapsed())
}

/// `count` BlobPut requests of one blob straight into the relay's
/// [`Service`](sanad_relay::service::Service), `workers` at a time. The
/// segments and their declared hashes are made before the clock starts.
async fn service_puts(seg: &[u8], count: u32, workers: usize) -> Result<Duration, BenchError> {
    use sanad_protocol::SegmentHash;
    let inputs: Vec<(Arc<[u8]>, SegmentHash)> = (0..count)
        .map(|i| {
            let data = numbered(seg, i);
            let hash = SegmentHash::of(&data);
            (data.into(), hash)
        })
        .collect();
    store_segments(
        count,
        workers,
        Arc::new(move |i| inputs[i as usize].clone()),
    )
    .await
}

/// The relay's side of an upload of `size` bytes without the network: each
/// segment made, hashed as its client would, then stored through the
/// relay's service ([`service_put`]), `workers` at a time. What a Sanad
/// upload must do besides moving the bytes.
async fn storage_of_upload(size: u64, workers: usize) -> Result<(), BenchError> {
    use sanad_protocol::SegmentHash;
    let count = u32::try_from(size.div_ceil(SEGMENT_SIZE as u64))
        .map_err(|_| "blob too large for the storage benchmark")?;
    let mut seg = vec![0u8; SEGMENT_SIZE];
    OsRng.fill_bytes(&mut seg);
    store_segments(
        count,
        workers,
        Arc::new(move |i| {
            let data = numbered(&seg, i);
            let hash = SegmentHash::of(&data);
            (data.into(), hash)
        }),
    )
    .await
    .map(drop)
}

/// The reference for an upload on this machine: the raw quinn transfer of
/// `size` bytes and, at the same time, the relay's storage of the same
/// bytes ([`storage_of_upload`], 4 at a time), timed until both finish. No
/// protocol and no stream per segment: the work any durable upload of
/// these bytes must do on these two cores and this disk.
async fn reference_transfer(size: u64, congestion: Congestion) -> Result<Measured, BenchError> {
    let watch = Stopwatch::start();
    let (raw, stored) = tokio::join!(
        raw_quinn_transfer(size, congestion),
        storage_of_upload(size, 4)
    );
    raw?;
    stored?;
    Ok(watch.stop())
}

/// Write `count` durable 1 MiB segment files the way the relay does
/// (`O_DIRECT` from a page-aligned buffer where the file system allows it,
/// `fdatasync`, rename into a shard directory), 8 at a time, the directory
/// synced after each 8; returns MB/s. With `recycle`, each write overwrites
/// a file whose blocks were written (and synced) before the clock started,
/// instead of creating a new one.
fn segment_files(seg: &[u8], count: usize, recycle: bool) -> Result<f64, BenchError> {
    use std::os::unix::fs::OpenOptionsExt;
    const AT_ONCE: usize = 8;
    let dir = tempfile::tempdir()?;
    let (pool, shard) = (dir.path().join("pool"), dir.path().join("shard"));
    std::fs::create_dir_all(&pool)?;
    std::fs::create_dir_all(&shard)?;
    if recycle {
        for i in 0..count {
            let mut f = std::fs::File::create(pool.join(i.to_string()))?;
            f.write_all(seg)?;
            f.sync_all()?;
        }
        std::fs::File::open(&pool)?.sync_all()?;
    }
    // Page-aligned, as the relay's transports receive segments.
    let mut aligned = sanad_relay::store::SegmentHasher::with_len(seg.len());
    aligned.unfilled().copy_from_slice(seg);
    aligned.advance(seg.len());
    let data = aligned.finish();
    let data = data.data();
    let direct = |path: &Path, create: bool| {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(create).truncate(create);
        #[cfg(target_os = "linux")]
        o.custom_flags(libc::O_DIRECT);
        o.open(path).or_else(|_| {
            // No direct writes on this file system: the page cache.
            std::fs::OpenOptions::new()
                .write(true)
                .create(create)
                .truncate(create)
                .open(path)
        })
    };
    let start = Instant::now();
    for batch in (0..count).collect::<Vec<_>>().chunks(AT_ONCE) {
        std::thread::scope(|scope| -> Result<(), BenchError> {
            let writers: Vec<_> = batch
                .iter()
                .map(|&i| {
                    let (pool, shard, direct) = (&pool, &shard, &direct);
                    scope.spawn(move || -> std::io::Result<()> {
                        let path = pool.join(i.to_string());
                        let mut f = direct(&path, !recycle)?;
                        f.write_all(data)?;
                        f.sync_data()?;
                        drop(f);
                        std::fs::rename(&path, shard.join(i.to_string()))
                    })
                })
                .collect();
            for w in writers {
                w.join().map_err(|_| "writer thread panicked")??;
            }
            Ok(())
        })?;
        std::fs::File::open(&shard)?.sync_all()?;
    }
    Ok(mb_per_s((count * seg.len()) as u64, start.elapsed()))
}

/// The `parts` benchmark: the cost of the pieces an upload is made of on
/// this machine, to explain the end-to-end figures: SHA-256, a durable
/// segment file write (alone, and `sustained_bytes` of them from four
/// threads), a small fsync, the raw quinn transfer of one segment.
pub async fn parts(reps: usize, sustained_bytes: u64) -> Result<Table, BenchError> {
    let mut table = Table::new(
        "parts: cost of the pieces of a segment upload",
        &["operation", "median", "per run"],
    );
    let mut seg = vec![0u8; SEGMENT_SIZE];
    OsRng.fill_bytes(&mut seg);

    // SHA-256 over 256 segments.
    let mut sha = Vec::new();
    for _ in 0..reps {
        let start = Instant::now();
        let mut h = [0u8; 32];
        for i in 0..256u32 {
            let mut d = Sha256::new();
            d.update(i.to_be_bytes());
            d.update(&seg);
            h = d.finalize().into();
        }
        std::hint::black_box(h);
        sha.push(mb_per_s(256 * SEGMENT_SIZE as u64, start.elapsed()));
    }
    table.row(vec![
        "SHA-256 (sha2 crate)".into(),
        format!("{:.0} MB/s", median(&sha)),
        list(&sha, 0),
    ]);

    // Durable segment file: write to tmp, fsync, rename, fsync directory.
    let dir = tempfile::tempdir()?;
    let shard = dir.path().join("ab");
    std::fs::create_dir_all(&shard)?;
    let mut segw = Vec::new();
    let mut small = Vec::new();
    for rep in 0..reps {
        let n = 64u32;
        let start = Instant::now();
        for i in 0..n {
            let tmp = dir.path().join(format!("tmp-{rep}-{i}"));
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&seg)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, shard.join(format!("{rep}-{i}")))?;
            std::fs::File::open(&shard)?.sync_all()?;
        }
        segw.push(start.elapsed().as_secs_f64() * 1000.0 / f64::from(n));

        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.path().join(format!("log-{rep}")))?;
        let start = Instant::now();
        for _ in 0..n {
            f.write_all(&seg[..1024])?;
            f.sync_data()?;
        }
        small.push(start.elapsed().as_secs_f64() * 1000.0 / f64::from(n));
    }
    table.row(vec![
        "1 MiB segment file: write, fsync, rename, fsync dir".into(),
        format!(
            "{:.2} ms ({:.0} MB/s serial)",
            median(&segw),
            SEGMENT_SIZE as f64 / MB / (median(&segw) / 1000.0)
        ),
        list(&segw, 2),
    ]);
    table.row(vec![
        "1 KiB append + fdatasync (≈ one sled flush)".into(),
        format!("{:.2} ms", median(&small)),
        list(&small, 2),
    ]);

    // Sustained: a whole upload's worth of segment files from 4 threads
    // (the relay's blocking pool with segment_concurrency 4).
    let mut sustained = Vec::new();
    for rep in 0..reps {
        let base = dir.path().join(format!("sustained-{rep}"));
        let files = (sustained_bytes / SEGMENT_SIZE as u64).max(1) as usize;
        let start = Instant::now();
        std::thread::scope(|scope| -> Result<(), BenchError> {
            let workers: Vec<_> = (0..4)
                .map(|w| {
                    let (base, seg) = (&base, &seg);
                    scope.spawn(move || -> std::io::Result<()> {
                        for i in (w..files).step_by(4) {
                            let shard = base.join(format!("{:02x}", i % 256));
                            std::fs::create_dir_all(&shard)?;
                            let tmp = base.join(format!("tmp-{i}"));
                            let mut f = std::fs::File::create(&tmp)?;
                            f.write_all(seg)?;
                            f.sync_all()?;
                            drop(f);
                            std::fs::rename(&tmp, shard.join(i.to_string()))?;
                            std::fs::File::open(&shard)?.sync_all()?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for w in workers {
                w.join().map_err(|_| "writer thread panicked")??;
            }
            Ok(())
        })?;
        sustained.push(mb_per_s((files * SEGMENT_SIZE) as u64, start.elapsed()));
        std::fs::remove_dir_all(&base)?;
    }
    table.row(vec![
        format!(
            "{} as durable 1 MiB segment files, 4 threads",
            human_size(sustained_bytes)
        ),
        format!("{:.0} MB/s", median(&sustained)),
        list(&sustained, 0),
    ]);

    // The relay's request service alone (no network, no framing): copy into
    // a receive buffer and hash (what the transport does while a segment
    // arrives), durable segment file, sled transaction, group-commit flush.
    let segments = 128u32;
    for workers in [1usize, 2, 4] {
        let mut rates = Vec::new();
        let mut per = Vec::new();
        for _ in 0..reps {
            let d = service_puts(&seg, segments, workers).await?;
            rates.push(mb_per_s(u64::from(segments) * SEGMENT_SIZE as u64, d));
            per.push(d.as_secs_f64() * 1000.0 / f64::from(segments));
        }
        table.row(vec![
            format!("relay service alone: BlobPut 1 MiB, {workers} at a time (no network)"),
            format!(
                "{:.0} MB/s ({:.2} ms per segment)",
                median(&rates),
                median(&per)
            ),
            list(&rates, 0),
        ]);
    }

    // Where the durable write's time goes: a segment file created new (its
    // blocks allocated, so each `fdatasync` commits the file system's
    // journal) against one overwriting a file whose blocks are already
    // written (only the data goes to the disk). Both as the relay writes:
    // `O_DIRECT` from a page-aligned buffer, `fdatasync`, rename into a
    // shard directory; 8 at a time, the directory synced once per 8.
    let mut created = Vec::new();
    let mut recycled = Vec::new();
    for rep in 0..reps {
        for recycle in [rep % 2 == 1, rep % 2 == 0] {
            let rate = segment_files(&seg, 256, recycle)?;
            if recycle {
                recycled.push(rate);
            } else {
                created.push(rate);
            }
        }
    }
    for (what, rates) in [
        ("1 MiB segment files created new, 8 at a time", &created),
        (
            "1 MiB segment files overwriting already written files, 8 at a time",
            &recycled,
        ),
    ] {
        table.row(vec![
            what.into(),
            format!("{:.0} MB/s", median(rates)),
            list(rates, 0),
        ]);
    }

    // The same through the client and QUIC, one segment at a time.
    let mut e2e = Vec::new();
    for _ in 0..reps {
        let relay = TestRelay::start().await;
        let client = connect(&relay.address(), TransportMode::QuicOnly, 1).await?;
        let n = 64u32;
        let upload = client
            .create_blob(u64::from(n) * SEGMENT_SIZE as u64)
            .await?;
        let start = Instant::now();
        for i in 0..n {
            client.put_segment(&upload, i, numbered(&seg, i)).await?;
        }
        e2e.push(start.elapsed().as_secs_f64() * 1000.0 / f64::from(n));
        client.close().await;
        let mut relay = relay;
        relay.stop().await;
    }
    table.row(vec![
        "Client::put_segment 1 MiB over QUIC, one at a time".into(),
        format!(
            "{:.2} ms per segment ({:.0} MB/s)",
            median(&e2e),
            SEGMENT_SIZE as f64 / MB / (median(&e2e) / 1000.0)
        ),
        list(&e2e, 2),
    ]);

    let mut raw1 = Vec::new();
    for _ in 0..reps {
        raw1.push(
            raw_quinn_transfer(SEGMENT_SIZE as u64, Congestion::Bbr)
                .await?
                .as_secs_f64()
                * 1000.0,
        );
    }
    table.row(vec![
        "raw quinn, one 1 MiB stream (after handshake, BBR)".into(),
        format!("{:.2} ms", median(&raw1)),
        list(&raw1, 2),
    ]);
    table.note("Measured in a temporary directory on the same file system as the relay's data.");
    Ok(table)
}
