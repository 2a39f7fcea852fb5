//! Relays and clients for tests, on loopback.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sanad_client::messenger::Messenger;
use sanad_client::profile::keyfile::{KdfParams, Passphrase};
use sanad_client::profile::ProfileDir;
use sanad_client::{Client, ConnectOptions, TransportMode};
use sanad_protocol::RelayAddress;
use sanad_relay::limits::Quotas;
use sanad_relay::server::{self, RelayOptions, RunningRelay};

/// A relay running inside the test process, on 127.0.0.1 with a free port,
/// storing into its own temporary directory.
pub struct TestRelay {
    dir: tempfile::TempDir,
    quotas: Quotas,
    relay: Option<RunningRelay>,
    /// The QUIC address of the last start (kept across a stop).
    last_listen: Option<std::net::SocketAddr>,
}

impl TestRelay {
    /// Initialise keys in a fresh temporary directory and start serving.
    pub async fn start() -> TestRelay {
        TestRelay::start_with(Quotas::default()).await
    }

    /// As [`TestRelay::start`], with the given quotas.
    pub async fn start_with(quotas: Quotas) -> TestRelay {
        let dir = tempfile::tempdir().expect("temporary directory");
        sanad_relay::keys::init(dir.path(), "127.0.0.1", 7443).expect("relay keys");
        let mut t = TestRelay {
            dir,
            quotas,
            relay: None,
            last_listen: None,
        };
        let running = t.launch().await;
        t.last_listen = Some(running.quic_addr());
        t.relay = Some(running);
        t
    }

    /// Start on a port below the kernel's ephemeral range, so that while
    /// the relay is stopped no client socket (clients bind ephemeral
    /// ports) can take the port it restarts on.
    async fn launch(&self) -> RunningRelay {
        for _ in 0..64 {
            let mut opts = RelayOptions::loopback(self.dir.path());
            opts.quotas = self.quotas.clone();
            opts.listen = SocketAddr::from(([127, 0, 0, 1], stable_port()));
            match server::start(opts).await {
                Ok(r) => return r,
                // Taken between the check and the bind: another port.
                Err(server::ServerError::Bind { .. }) => continue,
                Err(e) => panic!("relay starts: {e}"),
            }
        }
        panic!("no free port for the relay below the ephemeral range");
    }

    fn running(&self) -> &RunningRelay {
        self.relay.as_ref().expect("relay is running")
    }

    /// The address line clients use (changes on restart: new port).
    pub fn address(&self) -> RelayAddress {
        self.running().address()
    }

    /// The relay's data directory.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A client connected with default options (QUIC, TCP fallback).
    pub async fn client(&self) -> Client {
        self.client_with(TransportMode::Auto).await
    }

    /// A client restricted to one transport (or auto).
    pub async fn client_with(&self, mode: TransportMode) -> Client {
        let opts = ConnectOptions {
            mode,
            ..ConnectOptions::default()
        };
        Client::connect(&self.address(), opts)
            .await
            .expect("client connects")
    }

    /// Stop gracefully (in-flight requests finish, storage flushed).
    pub async fn stop(&mut self) {
        if let Some(r) = self.relay.take() {
            r.shutdown().await;
        }
    }

    /// Start again on the same data directory and the same port, so the
    /// address clients keep (profiles pin it) stays valid.
    pub async fn restart_in_place(&mut self) {
        self.stop().await;
        let listen = self.last_listen.expect("the relay ran before");
        let mut opts = RelayOptions::loopback(self.dir.path());
        opts.quotas = self.quotas.clone();
        opts.listen = listen;
        self.relay = Some(
            server::start(opts)
                .await
                .expect("relay restarts on its port"),
        );
    }

    /// Start again on the same data directory.
    pub async fn restart(&mut self) {
        self.stop().await;
        let running = self.launch().await;
        self.last_listen = Some(running.quic_addr());
        self.relay = Some(running);
    }
}

/// The passphrase of the profiles [`profile`] creates.
pub const PROFILE_PASSPHRASE: &str = "a passphrase for tests";

/// A new messenger profile `dir/name` on `relay`, with the fast test key
/// derivation (tests open many profiles; the default Argon2id takes 256 MiB
/// and about a second at every unlock) and [`PROFILE_PASSPHRASE`].
pub async fn profile(relay: &TestRelay, dir: &Path, name: &str) -> Messenger {
    Messenger::create(
        ProfileDir::new(dir.join(name)),
        &Passphrase::new(PROFILE_PASSPHRASE.into()),
        KdfParams::dangerous_fast_for_tests(),
        relay.address(),
        name,
        ConnectOptions::default(),
    )
    .await
    .expect("profile is created")
}

/// A free loopback port for both UDP and TCP below the kernel's ephemeral
/// port range (read from `/proc`, Linux's default 32768 when unreadable),
/// chosen at random (best effort: another process could take it first).
fn stable_port() -> u16 {
    use rand::Rng;
    let low: u16 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse().ok())
        .unwrap_or(32768);
    let (from, to) = if low > 11_000 {
        (10_000, low)
    } else {
        (40_000, 60_000)
    };
    let mut rng = rand::thread_rng();
    for _ in 0..256 {
        let port = rng.gen_range(from..to);
        if UdpSocket::bind(("127.0.0.1", port)).is_ok()
            && TcpListener::bind(("127.0.0.1", port)).is_ok()
        {
            return port;
        }
    }
    free_port()
}

/// A free loopback port for both UDP and TCP (best effort: another process
/// could take it before the relay binds, which these tests tolerate by
/// failing loudly).
pub fn free_port() -> u16 {
    for _ in 0..64 {
        let udp = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
        let port = udp.local_addr().expect("udp addr").port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port with both UDP and TCP available");
}

/// A relay running as a child process (the real binary code, through the
/// `relay-under-test` wrapper), so that tests can kill it with SIGKILL and
/// read what it logs.
pub struct ChildRelay {
    child: Child,
    log: Arc<Mutex<Vec<u8>>>,
    address: RelayAddress,
}

impl ChildRelay {
    /// Run `sanad-relay init` in `data_dir` if it has no keys yet, then
    /// `sanad-relay run` on 127.0.0.1:`port`, and wait until it answers.
    pub async fn spawn(bin: &Path, data_dir: &Path, port: u16) -> ChildRelay {
        if !data_dir.join("relay.addr").exists() {
            let out = Command::new(bin)
                .args(["init", "--data-dir"])
                .arg(data_dir)
                .args(["--public-host", "127.0.0.1", "--port", &port.to_string()])
                .output()
                .expect("run relay init");
            assert!(
                out.status.success(),
                "relay init failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let address: RelayAddress = std::fs::read_to_string(data_dir.join("relay.addr"))
            .expect("relay.addr")
            .trim()
            .parse()
            .expect("valid address line");
        let mut child = Command::new(bin)
            .args(["run", "--data-dir"])
            .arg(data_dir)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn relay");
        let log = Arc::new(Mutex::new(Vec::new()));
        for pipe in [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut r = BufReader::new(pipe);
                let mut line = Vec::new();
                while r
                    .read_until(b'\n', &mut line)
                    .map(|n| n > 0)
                    .unwrap_or(false)
                {
                    log.lock().expect("log lock").extend_from_slice(&line);
                    line.clear();
                }
            });
        }
        let relay = ChildRelay {
            child,
            log,
            address,
        };
        relay.wait_ready().await;
        relay
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let opts = ConnectOptions {
            mode: TransportMode::QuicOnly,
            ..ConnectOptions::default()
        };
        loop {
            if let Ok(c) = Client::connect(&self.address, opts.clone()).await {
                if c.ping().await.is_ok() {
                    c.close().await;
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "relay did not start; log:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The relay's address line.
    pub fn address(&self) -> &RelayAddress {
        &self.address
    }

    /// Everything the relay printed so far.
    pub fn log_text(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().expect("log lock")).into_owned()
    }

    /// Kill with SIGKILL (no chance to flush anything) and reap.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Ask to stop with SIGTERM and wait for the exit; returns whether it
    /// exited successfully.
    pub fn terminate(&mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        sent && self.child.wait().map(|s| s.success()).unwrap_or(false)
    }
}

impl Drop for ChildRelay {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Every regular file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Loopback socket address helper.
pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// The `sanad` CLI built next to this test binary (`cargo test --workspace`
/// builds it; `cargo build -p sanad-client` does too).
pub fn sanad_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target directory");
    let bin = dir.join("sanad");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p sanad-client`",
        bin.display()
    );
    bin
}

/// Run `cmd` to completion while sampling its peak resident set (VmHWM)
/// every 10 ms; returns its output and the largest peak seen, in KiB.
pub fn run_measuring_peak_rss(cmd: &mut std::process::Command) -> (std::process::Output, u64) {
    use std::process::Stdio;
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("command starts");
    let pid = child.id();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
                    if let Some(kib) = s
                        .lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .and_then(|l| l.split_whitespace().nth(1))
                        .and_then(|v| v.parse::<u64>().ok())
                    {
                        peak.fetch_max(kib, std::sync::atomic::Ordering::Relaxed);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        })
    };
    let output = child.wait_with_output().expect("command runs");
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = sampler.join();
    (output, peak.load(std::sync::atomic::Ordering::Relaxed))
}
