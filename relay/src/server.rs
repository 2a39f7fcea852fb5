//! Starting and stopping a relay: load the keys, open the storage, bind UDP
//! (QUIC) and TCP (TLS fallback), run the accept loops and the periodic
//! expiry sweep; on shutdown, stop accepting, let requests in flight finish,
//! flush the storage, close the endpoint.
//!
//! Works on port 0: the relay reports the ports it got
//! ([`RunningRelay::quic_addr`], [`RunningRelay::tcp_addr`]) and an address
//! line with the bound port ([`RunningRelay::address`]), so tests can run
//! many relays in one process.
//!
//! Logs exactly one line when listening and one when stopped; never a client
//! address, an identifier, a key or content.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sanad_protocol::{RelayAddress, PROTOCOL_VERSION};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_rustls::TlsAcceptor;

use crate::config::{Congestion, TcpListen, DEFAULT_LISTEN};
use crate::keys::{self, KeyError};
use crate::limits::{Quotas, SWEEP_INTERVAL};
use crate::service::{OpenError, Service};
use crate::transport::{self, quic, tcp, Shared};

/// How long shutdown waits for requests in flight before stopping anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// How long shutdown waits for QUIC peers to acknowledge the close.
const ENDPOINT_DRAIN: Duration = Duration::from_secs(3);
/// With port 0, how many UDP ports to try before giving up on finding one
/// whose TCP twin is free too.
const BIND_ATTEMPTS: usize = 16;

/// Everything a relay needs to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayOptions {
    /// Where keys and data live (created by [`keys::init`]).
    pub data_dir: PathBuf,
    /// UDP address for QUIC; port 0 picks a free port.
    pub listen: SocketAddr,
    /// TCP address for the TLS fallback.
    pub tcp_listen: TcpListen,
    /// Host written in [`RunningRelay::address`]; when `None`, the host from
    /// the data directory's `relay.addr`.
    pub public_host: Option<String>,
    /// Quotas and expiry.
    pub quotas: Quotas,
    /// QUIC congestion controller.
    pub congestion: Congestion,
    /// Turn off UDP segmentation offload (some network cards fail with it).
    pub disable_gso: bool,
}

impl RelayOptions {
    /// Defaults: listen on every interface, port 7443, TCP on the same port,
    /// BBR, default quotas.
    pub fn new(data_dir: impl Into<PathBuf>) -> RelayOptions {
        RelayOptions {
            data_dir: data_dir.into(),
            listen: DEFAULT_LISTEN,
            tcp_listen: TcpListen::SamePort,
            public_host: None,
            quotas: Quotas::default(),
            congestion: Congestion::default(),
            disable_gso: false,
        }
    }

    /// For tests: listen on 127.0.0.1, a free port chosen by the system (TCP
    /// on the same number), address host 127.0.0.1.
    pub fn loopback(data_dir: impl Into<PathBuf>) -> RelayOptions {
        RelayOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_host: Some("127.0.0.1".to_string()),
            ..RelayOptions::new(data_dir)
        }
    }
}

/// Why a relay could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Keys missing or unusable.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// The storage could not be opened.
    #[error(transparent)]
    Storage(#[from] OpenError),
    /// A socket could not be bound.
    #[error("cannot listen on {proto} {addr}: {source}")]
    Bind {
        /// "UDP" or "TCP".
        proto: &'static str,
        /// The address.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The TLS configuration was refused.
    #[error("cannot configure TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// quinn refused the TLS configuration.
    #[error("cannot configure QUIC: {0}")]
    Quic(#[from] quinn::crypto::rustls::NoInitialCipherSuite),
    /// Stop signals could not be watched.
    #[error("cannot watch for stop signals: {0}")]
    Signal(#[source] io::Error),
}

/// A relay serving requests. Stop it with [`RunningRelay::shutdown`];
/// dropping it stops accepting and closes connections abruptly.
pub struct RunningRelay {
    quic_addr: SocketAddr,
    tcp_addr: Option<SocketAddr>,
    address: RelayAddress,
    endpoint: quinn::Endpoint,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningRelay")
            .field("quic_addr", &self.quic_addr)
            .field("tcp_addr", &self.tcp_addr)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

fn bind_error(proto: &'static str, addr: SocketAddr) -> impl FnOnce(io::Error) -> ServerError {
    move |source| ServerError::Bind {
        proto,
        addr,
        source,
    }
}

/// Bind UDP, then TCP on the port UDP got (unless told otherwise). With
/// port 0 the TCP twin may be taken; then another UDP port is tried.
async fn bind(
    opts: &RelayOptions,
) -> Result<(std::net::UdpSocket, Option<TcpListener>), ServerError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let udp = std::net::UdpSocket::bind(opts.listen).map_err(bind_error("UDP", opts.listen))?;
        let udp_addr = udp.local_addr().map_err(bind_error("UDP", opts.listen))?;
        let tcp_addr = match opts.tcp_listen {
            TcpListen::Off => return Ok((udp, None)),
            TcpListen::Addr(a) => a,
            TcpListen::SamePort => SocketAddr::new(opts.listen.ip(), udp_addr.port()),
        };
        match TcpListener::bind(tcp_addr).await {
            Ok(l) => return Ok((udp, Some(l))),
            Err(e)
                if e.kind() == io::ErrorKind::AddrInUse
                    && opts.listen.port() == 0
                    && opts.tcp_listen == TcpListen::SamePort
                    && attempt < BIND_ATTEMPTS =>
            {
                continue
            }
            Err(e) => return Err(bind_error("TCP", tcp_addr)(e)),
        }
    }
}

/// Start a relay: load keys (from `keys::init`), open the storage, bind,
/// serve. Must be called inside a tokio runtime.
pub async fn start(opts: RelayOptions) -> Result<RunningRelay, ServerError> {
    let relay_keys = keys::load(&opts.data_dir)?;
    let host = match &opts.public_host {
        Some(h) => h.clone(),
        None => keys::address(&opts.data_dir)?.host,
    };
    let quic_config = quic::server_config(&relay_keys, opts.congestion, opts.disable_gso)?;
    let acceptor = TlsAcceptor::from(Arc::new(transport::tls_config(&relay_keys)?));
    let pin = relay_keys.pin();

    let (udp, tcp_listener) = bind(&opts).await?;
    let service = Arc::new(
        Service::open(&opts.data_dir, opts.quotas.clone())?
            .with_log(relay_keys.log_signing_key())?,
    );
    drop(relay_keys);
    let endpoint = quic::endpoint(udp, quic_config).map_err(bind_error("UDP", opts.listen))?;
    let quic_addr = endpoint
        .local_addr()
        .map_err(bind_error("UDP", opts.listen))?;
    let tcp_addr = match &tcp_listener {
        Some(l) => Some(l.local_addr().map_err(bind_error("TCP", opts.listen))?),
        None => None,
    };

    let shared = Shared::new(service);
    let mut tasks = vec![
        tokio::spawn(quic::accept_loop(endpoint.clone(), Arc::clone(&shared))),
        tokio::spawn(sweep_loop(Arc::clone(&shared))),
    ];
    if let Some(l) = tcp_listener {
        tasks.push(tokio::spawn(tcp::accept_loop(
            l,
            acceptor,
            Arc::clone(&shared),
        )));
    }

    tracing::info!(
        udp = %quic_addr,
        tcp = %tcp_addr.map_or_else(|| "off".to_string(), |a| a.to_string()),
        congestion = %opts.congestion,
        gso = !opts.disable_gso,
        version = env!("CARGO_PKG_VERSION"),
        protocol = PROTOCOL_VERSION,
        "relay listening"
    );
    Ok(RunningRelay {
        quic_addr,
        tcp_addr,
        address: RelayAddress {
            host,
            port: quic_addr.port(),
            pin,
        },
        endpoint,
        shared,
        tasks,
    })
}

/// Delete expired data every [`SWEEP_INTERVAL`] until shutdown.
async fn sweep_loop(shared: Arc<Shared>) {
    let mut tick = tokio::time::interval_at(Instant::now() + SWEEP_INTERVAL, SWEEP_INTERVAL);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shared.cancel.cancelled() => break,
            _ = tick.tick() => shared.service.sweep().await,
        }
    }
}

/// Wait for SIGTERM or SIGINT (Ctrl-C).
async fn wait_for_signal() -> io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

impl RunningRelay {
    /// The UDP address QUIC listens on.
    pub fn quic_addr(&self) -> SocketAddr {
        self.quic_addr
    }

    /// The TCP address the TLS fallback listens on, if enabled.
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        self.tcp_addr
    }

    /// The relay address for clients, with the bound UDP port.
    pub fn address(&self) -> RelayAddress {
        self.address.clone()
    }

    /// Stop gracefully: stop accepting connections and streams, wait (up to
    /// [`SHUTDOWN_GRACE`]) for requests in flight to be answered, flush the
    /// storage, close the QUIC endpoint.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        self.endpoint.set_server_config(None);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
        self.shared.tracker.close();
        if tokio::time::timeout(SHUTDOWN_GRACE, self.shared.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                grace_secs = SHUTDOWN_GRACE.as_secs(),
                "requests still running at the end of the shutdown grace period were cut off"
            );
        }
        self.shared.service.close().await;
        self.endpoint.close(0u32.into(), b"");
        let _ = tokio::time::timeout(ENDPOINT_DRAIN, self.endpoint.wait_idle()).await;
        tracing::info!("relay stopped");
    }

    /// Serve until SIGTERM or SIGINT, then [`shutdown`](Self::shutdown).
    pub async fn stop_on_signal(self) -> Result<(), ServerError> {
        let waited = wait_for_signal().await;
        self.shutdown().await;
        waited.map_err(ServerError::Signal)
    }
}

impl Drop for RunningRelay {
    fn drop(&mut self) {
        self.shared.cancel.cancel();
        self.endpoint.close(0u32.into(), b"");
    }
}

/// Start a relay and serve until SIGTERM or SIGINT, then shut down gracefully.
pub async fn run_until_signal(opts: RelayOptions) -> Result<(), ServerError> {
    start(opts).await?.stop_on_signal().await
}
