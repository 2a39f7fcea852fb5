//! `sanad-netbench`: network benchmarks through the userspace impairment
//! proxy ([`sanad_tests::impair`]).
//!
//! ```text
//! sanad-netbench congestion [--repeat N] [--timeout-secs S] [--size-mib M]
//!                           [--queue-bdp X] [--only SUBSTRING] [--cc cubic|bbr]
//!                           [--segment-concurrency N] [--stall-secs S]
//! ```
//!
//! `congestion` uploads a blob from a real client to a real in-process
//! relay, QUIC only, through an impaired link, once with Cubic and once
//! with BBR on both sides, for each link profile, and prints a markdown
//! table: time, goodput, and the bytes the client put on the wire per
//! payload byte (the retransmission overhead, from the proxy's counters).
//! Every run is bounded; a run that does not finish reports the goodput of
//! the whole segments the relay had stored by then and the rate at which
//! datagrams reached the relay (an upper bound on the goodput). The
//! bottleneck queue holds one bandwidth-delay product unless `--queue-bdp`
//! says otherwise. `--segment-concurrency` and `--stall-secs` override the
//! client's defaults (segments in flight, `io_stall_timeout`). Traffic stays
//! on 127.0.0.1.

#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{RngCore, SeedableRng};
use sanad_client::{Client, ConnectOptions, Progress, TransportMode};
use sanad_relay::config::Congestion as RelayCongestion;
use sanad_relay::server::{self, RelayOptions};
use sanad_tests::impair::{ImpairedLink, Impairment, LinkStats, LATE_THRESHOLD};

const MIB: u64 = 1024 * 1024;

/// One link profile.
struct Profile {
    name: &'static str,
    rate_bits_per_sec: u64,
    rtt: Duration,
    loss: f64,
    /// Payload uploaded: at most about 60 s at the link's full rate.
    size: u64,
}

fn profiles(size_override: Option<u64>) -> Vec<Profile> {
    let p = |name, mbit: u64, rtt_ms, loss, mib: u64| Profile {
        name,
        rate_bits_per_sec: mbit * 1_000_000,
        rtt: Duration::from_millis(rtt_ms),
        loss,
        size: size_override.unwrap_or(mib * MIB),
    };
    vec![
        p("20 Mbit/s, 200 ms RTT", 20, 200, 0.0, 16),
        p("20 Mbit/s, 200 ms RTT", 20, 200, 0.01, 16),
        p("20 Mbit/s, 200 ms RTT", 20, 200, 0.05, 16),
        // "3G in Libya": 16 MiB would need 67 s at the full 2 Mbit/s.
        p("3G: 2 Mbit/s, 300 ms RTT", 2, 300, 0.02, 4),
    ]
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cc {
    Cubic,
    Bbr,
}

impl Cc {
    fn name(self) -> &'static str {
        match self {
            Cc::Cubic => "Cubic",
            Cc::Bbr => "BBR",
        }
    }
    fn client(self) -> sanad_client::Congestion {
        match self {
            Cc::Cubic => sanad_client::Congestion::Cubic,
            Cc::Bbr => sanad_client::Congestion::Bbr,
        }
    }
    fn relay(self) -> RelayCongestion {
        match self {
            Cc::Cubic => RelayCongestion::Cubic,
            Cc::Bbr => RelayCongestion::Bbr,
        }
    }
}

struct Args {
    repeat: u32,
    timeout: Duration,
    size: Option<u64>,
    only: Option<String>,
    ccs: Vec<Cc>,
    queue_bdp: f64,
    segment_concurrency: Option<usize>,
    stall: Option<Duration>,
}

fn usage() -> &'static str {
    "usage: sanad-netbench congestion [--repeat N] [--timeout-secs S] [--size-mib M] \
     [--queue-bdp X] [--only SUBSTRING] [--cc cubic|bbr] \
     [--segment-concurrency N] [--stall-secs S]"
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    match it.next().as_deref() {
        Some("congestion") => {}
        _ => return Err(usage().into()),
    }
    let mut a = Args {
        repeat: 1,
        timeout: Duration::from_secs(90),
        size: None,
        only: None,
        ccs: vec![Cc::Cubic, Cc::Bbr],
        queue_bdp: 1.0,
        segment_concurrency: None,
        stall: None,
    };
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |v: String| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--repeat" => a.repeat = num(value()?)?.clamp(1, 20) as u32,
            "--timeout-secs" => a.timeout = Duration::from_secs(num(value()?)?.max(1)),
            "--size-mib" => a.size = Some(num(value()?)?.clamp(1, 1024) * MIB),
            "--only" => a.only = Some(value()?),
            "--segment-concurrency" => {
                a.segment_concurrency = Some(num(value()?)?.clamp(1, 16) as usize)
            }
            "--stall-secs" => a.stall = Some(Duration::from_secs(num(value()?)?.max(1))),
            "--queue-bdp" => {
                let v = value()?;
                a.queue_bdp = v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| (0.05..=100.0).contains(x))
                    .ok_or_else(|| format!("--queue-bdp: expected 0.05 ..= 100, got {v}"))?;
            }
            "--cc" => {
                a.ccs = match value()?.to_ascii_lowercase().as_str() {
                    "cubic" => vec![Cc::Cubic],
                    "bbr" => vec![Cc::Bbr],
                    other => return Err(format!("--cc: unknown controller {other}")),
                }
            }
            "-h" | "--help" => return Err(usage().into()),
            other => return Err(format!("unknown argument {other}\n{}", usage())),
        }
    }
    Ok(a)
}

/// Bytes the relay has confirmed as stored.
#[derive(Default)]
struct Stored(AtomicU64);

impl Progress for Stored {
    fn advanced(&self, done_bytes: u64, _total_bytes: u64) {
        self.0.fetch_max(done_bytes, Ordering::Relaxed);
    }
}

/// What one upload measured.
struct Outcome {
    finished: bool,
    elapsed: Duration,
    /// Payload bytes the relay confirmed stored.
    stored: u64,
    /// Proxy counters over the upload alone.
    stats: LinkStats,
    /// CPU seconds the process used during the upload.
    cpu: Option<f64>,
    /// Datagrams the kernel dropped on this process's UDP sockets (full
    /// receive buffer) during the upload: loss the proxy did not decide.
    kernel_drops: Option<u64>,
}

impl Outcome {
    fn goodput_mbit(&self) -> f64 {
        self.stored as f64 * 8.0 / self.elapsed.as_secs_f64() / 1e6
    }

    /// UDP payload the proxy delivered to the relay, per second.
    fn delivered_mbit(&self) -> f64 {
        self.stats.to_upstream.bytes_out as f64 * 8.0 / self.elapsed.as_secs_f64() / 1e6
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Datagrams the kernel dropped (full receive buffer) on this process's
/// UDP sockets: relay, proxy and client. Sockets are found through
/// `/proc/self/fd`, their counters in `/proc/net/udp`.
fn own_udp_drops() -> Option<u64> {
    let mut inodes = std::collections::HashSet::new();
    for fd in std::fs::read_dir("/proc/self/fd").ok()?.flatten() {
        if let Ok(target) = std::fs::read_link(fd.path()) {
            let t = target.to_string_lossy();
            if let Some(inode) = t.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
                inodes.insert(inode.to_string());
            }
        }
    }
    let table = std::fs::read_to_string("/proc/net/udp").ok()?;
    let mut drops = 0;
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        // sl local rem st queues tr retrnsmt uid timeout inode ref pointer drops
        if let (Some(inode), Some(d)) = (f.get(9), f.get(12)) {
            if inodes.contains(*inode) {
                drops += d.parse::<u64>().unwrap_or(0);
            }
        }
    }
    Some(drops)
}

/// Process CPU time (user plus system) from /proc, in seconds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

async fn run_once(
    profile: &Profile,
    cc: Cc,
    seed: u64,
    args: &Args,
    payload: Arc<Vec<u8>>,
) -> Result<Outcome, BoxError> {
    let timeout = args.timeout;
    let dir = tempfile::tempdir()?;
    sanad_relay::keys::init(dir.path(), "127.0.0.1", 7443)?;
    let relay = server::start(RelayOptions {
        congestion: cc.relay(),
        ..RelayOptions::loopback(dir.path())
    })
    .await?;
    let base = Impairment::link(profile.rate_bits_per_sec, profile.rtt, profile.loss);
    let impairment = Impairment {
        seed,
        queue_limit_bytes: (base.queue_limit_bytes as f64 * args.queue_bdp) as u64,
        ..base
    };
    let link = ImpairedLink::start(relay.quic_addr(), impairment).await?;
    let mut address = relay.address();
    address.port = link.local_addr().port();
    let defaults = ConnectOptions::default();
    let opts = ConnectOptions {
        mode: TransportMode::QuicOnly,
        congestion: cc.client(),
        // Generous: the handshake is not what is measured, and its
        // packets are lost like any others.
        quic_handshake_timeout: Duration::from_secs(10),
        segment_concurrency: args
            .segment_concurrency
            .unwrap_or(defaults.segment_concurrency),
        io_stall_timeout: args.stall.unwrap_or(defaults.io_stall_timeout),
        ..defaults
    };
    let client = Client::connect(&address, opts).await?;
    client.ping().await?;

    let stored = Stored::default();
    let before = link.stats();
    let cpu0 = cpu_seconds();
    let kernel0 = own_udp_drops();
    let start = Instant::now();
    let size = payload.len() as u64;
    let source = std::io::Cursor::new(payload.as_slice());
    let result = tokio::time::timeout(timeout, client.upload(source, size, None, &stored)).await;
    let elapsed = start.elapsed();
    let stats = link.stats().since(&before);
    let cpu = cpu_seconds().zip(cpu0).map(|(a, b)| a - b);
    let kernel_drops = own_udp_drops()
        .zip(kernel0)
        .map(|(a, b)| a.saturating_sub(b));
    let finished = match result {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => return Err(format!("upload failed: {e}").into()),
        Err(_) => false,
    };
    let stored = if finished {
        size
    } else {
        stored.0.load(Ordering::Relaxed)
    };
    client.close().await;
    drop(link);
    let _ = tokio::time::timeout(Duration::from_secs(5), relay.shutdown()).await;
    Ok(Outcome {
        finished,
        elapsed,
        stored,
        stats,
        cpu,
        kernel_drops,
    })
}

fn fmt_mib(bytes: u64) -> String {
    if bytes / MIB * MIB == bytes {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// The proxy's own timing error over both directions: mean lateness and
/// the share of datagrams more than [`LATE_THRESHOLD`] late.
fn lateness(s: &LinkStats) -> String {
    let n = s.to_upstream.datagrams_out + s.to_client.datagrams_out;
    if n == 0 {
        return "n/a".into();
    }
    let micros = s.to_upstream.lateness_micros + s.to_client.lateness_micros;
    let late = s.to_upstream.delivered_late + s.to_client.delivered_late;
    format!(
        "{:.2} ms / {:.1} %",
        micros as f64 / n as f64 / 1000.0,
        late as f64 * 100.0 / n as f64
    )
}

fn row(profile: &Profile, cc: Cc, o: &Outcome, size: u64, timeout: Duration) -> String {
    let up = o.stats.to_upstream;
    let down = o.stats.to_client;
    let time = if o.finished {
        format!("{:.1} s", o.elapsed.as_secs_f64())
    } else {
        format!("> {} s ({} stored)", timeout.as_secs(), fmt_mib(o.stored))
    };
    let link_mbit = profile.rate_bits_per_sec as f64 / 1e6;
    let wire_ratio = if o.finished {
        format!("{:.3}", up.bytes_in as f64 / o.stored as f64)
    } else {
        "n/a".into()
    };
    let pct = |d: u64, n: u64| {
        if n == 0 {
            0.0
        } else {
            d as f64 * 100.0 / n as f64
        }
    };
    // Random loss applies to what the queue admitted.
    let admitted = up.datagrams_in - up.dropped_queue - up.dropped_cut;
    format!(
        "| {} | {:.0} % | {} | {} | {} | {:.2} | {:.0} % | {:.2} | {} | {} | {:.1} % | {:.1} % | {} | {} | {} | {} |",
        profile.name,
        profile.loss * 100.0,
        cc.name(),
        fmt_mib(size),
        time,
        o.goodput_mbit(),
        o.goodput_mbit() / link_mbit * 100.0,
        o.delivered_mbit(),
        wire_ratio,
        up.datagrams_in,
        pct(up.dropped_loss, admitted),
        pct(up.dropped_queue, up.datagrams_in),
        fmt_mib(down.bytes_in),
        o.cpu.map(|c| format!("{c:.1}")).unwrap_or_else(|| "?".into()),
        o.kernel_drops
            .map(|c| c.to_string())
            .unwrap_or_else(|| "?".into()),
        lateness(&o.stats),
    )
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "sanad-netbench congestion: {} core(s), load average at start {}, timeout {} s, \
         queue {} BDP, segment concurrency {}, stall timeout {}, {} run(s) each\n",
        cores,
        loadavg
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        args.timeout.as_secs(),
        args.queue_bdp,
        args.segment_concurrency
            .map_or_else(|| "default".to_string(), |n| n.to_string()),
        args.stall
            .map_or_else(|| "default".to_string(), |d| format!("{} s", d.as_secs())),
        args.repeat,
    );
    println!(
        "| Link | Loss | CC | Payload | Time | Goodput Mbit/s | of link | Delivered Mbit/s \
         | Client wire bytes / payload | Datagrams (up) | Lost (up) | Queue drops (up) \
         | Relay→client | CPU s | Kernel UDP drops | Proxy lateness (mean / > {} ms) |",
        LATE_THRESHOLD.as_millis()
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut failures = 0;
    for profile in profiles(args.size) {
        let label = format!("{} {:.0}%", profile.name, profile.loss * 100.0);
        if args
            .only
            .as_ref()
            .is_some_and(|o| !label.contains(o.as_str()))
        {
            continue;
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        let mut payload = vec![0u8; profile.size as usize];
        rng.fill_bytes(&mut payload);
        let payload = Arc::new(payload);
        for rep in 0..args.repeat {
            for &cc in &args.ccs {
                // A fresh runtime per run: nothing left over from one run
                // (a connection draining, a relay task) competes with the
                // next.
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        eprintln!("cannot start a runtime: {e}");
                        return ExitCode::FAILURE;
                    }
                };
                let seed = 0x5eed_0000 + u64::from(rep);
                let out = rt.block_on(run_once(&profile, cc, seed, &args, Arc::clone(&payload)));
                rt.shutdown_timeout(Duration::from_secs(2));
                match out {
                    Ok(o) => println!("{}", row(&profile, cc, &o, profile.size, args.timeout)),
                    Err(e) => {
                        failures += 1;
                        println!(
                            "| {} | {:.0} % | {} | {} | failed: {} | | | | | | | | | | | |",
                            profile.name,
                            profile.loss * 100.0,
                            cc.name(),
                            fmt_mib(profile.size),
                            e
                        );
                    }
                }
            }
        }
    }
    if failures > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
