//! The connection to one relay: pinned TLS, QUIC first with TLS-over-TCP as
//! the fallback (happy eyeballs), reconnection, and request exchange.
//!
//! This module owns sockets, TLS and timers; it knows nothing of mailboxes
//! or blobs beyond the frame kinds. It never trusts a certificate authority:
//! the relay is authenticated by the SPKI pin in its address alone.

mod exchange;
mod pin;
mod quic;
mod retry;
mod tcp;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use sanad_protocol::{RelayAddress, Request, Response};
use tokio::sync::{Mutex, Notify};

use crate::clock::RelayClock;
use crate::error::ClientError;
use crate::limits;

pub(crate) use exchange::expected_response;
pub(crate) use retry::{retry, RetryPolicy};

/// Which transports [`Client::connect`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransportMode {
    /// QUIC first; TLS over TCP shortly after unless QUIC has succeeded.
    #[default]
    Auto,
    /// QUIC only (UDP).
    QuicOnly,
    /// TLS over TCP only (for networks known to block UDP).
    TcpOnly,
}

/// The transport an established connection uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// QUIC over UDP.
    Quic,
    /// TLS 1.3 over TCP.
    Tcp,
}

/// QUIC congestion controller. DESIGN §4: Cubic collapses on lossy links
/// where BBR holds up; `docs/network.md` has the figures behind the default
/// (BBR keeps 70–88 % of a lossy link, Cubic 1–21 %; BBR sends more bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Congestion {
    /// quinn's default elsewhere (Cubic).
    Cubic,
    /// BBR (quinn's implementation): the default.
    #[default]
    Bbr,
}

/// How [`Client::connect`] reaches the relay. `Default` takes every value
/// from [`crate::limits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Which transports to try.
    pub mode: TransportMode,
    /// Bound on the QUIC handshake.
    pub quic_handshake_timeout: Duration,
    /// Delay before the TCP attempt starts while QUIC is still trying.
    pub tcp_delay: Duration,
    /// Bound on TCP connect plus TLS handshake.
    pub tcp_handshake_timeout: Duration,
    /// TCP port when the relay's differs from its QUIC port.
    pub tcp_port: Option<u16>,
    /// A request fails when no byte moves for this long.
    pub io_stall_timeout: Duration,
    /// QUIC congestion controller.
    pub congestion: Congestion,
    /// UDP segmentation offload (GSO); switch off for network cards that
    /// fail with it.
    pub segmentation_offload: bool,
    /// Blob segments transferred concurrently (clamped to
    /// 1 ..= [`limits::MAX_SEGMENT_CONCURRENCY`]).
    pub segment_concurrency: usize,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            mode: TransportMode::Auto,
            quic_handshake_timeout: limits::QUIC_HANDSHAKE_TIMEOUT,
            tcp_delay: limits::TCP_DELAY,
            tcp_handshake_timeout: limits::TCP_HANDSHAKE_TIMEOUT,
            tcp_port: None,
            io_stall_timeout: limits::IO_STALL_TIMEOUT,
            congestion: Congestion::Bbr,
            segmentation_offload: true,
            segment_concurrency: limits::SEGMENT_CONCURRENCY,
        }
    }
}

/// How one connection attempt failed.
#[derive(Debug)]
pub(crate) enum AttemptFailure {
    /// The relay's key is not the pinned one.
    PinMismatch,
    /// Anything else on the network side (refused, timed out, handshake).
    Failed(String),
    /// The local TLS or QUIC configuration could not be built.
    Setup(ClientError),
}

impl AttemptFailure {
    /// A failed handshake: a pin mismatch if the verifier saw the wrong key
    /// during it, otherwise the transport's own error.
    pub(crate) fn handshake(
        saw_wrong_key: &std::sync::atomic::AtomicBool,
        e: impl std::fmt::Display,
    ) -> Self {
        if saw_wrong_key.load(std::sync::atomic::Ordering::SeqCst) {
            AttemptFailure::PinMismatch
        } else {
            AttemptFailure::Failed(e.to_string())
        }
    }
}

/// Turn the failures of the attempted transports into one error: a key
/// mismatch on any path wins, since it is the one the user must hear.
fn attempts_failed(quic: Option<AttemptFailure>, tcp: Option<AttemptFailure>) -> ClientError {
    let detail = |f: Option<AttemptFailure>| -> Result<Option<String>, ClientError> {
        match f {
            None => Ok(None),
            Some(AttemptFailure::PinMismatch) => Err(ClientError::PinMismatch),
            Some(AttemptFailure::Setup(e)) => Err(e),
            Some(AttemptFailure::Failed(s)) => Ok(Some(s)),
        }
    };
    if matches!(quic, Some(AttemptFailure::PinMismatch))
        || matches!(tcp, Some(AttemptFailure::PinMismatch))
    {
        return ClientError::PinMismatch;
    }
    match (detail(quic), detail(tcp)) {
        (Err(e), _) | (_, Err(e)) => e,
        (Ok(quic), Ok(tcp)) => ClientError::Unreachable { quic, tcp },
    }
}

enum Link {
    Quic(quic::QuicLink),
    Tcp(Box<tcp::TcpLink>),
}

impl Link {
    fn kind(&self) -> TransportKind {
        match self {
            Link::Quic(_) => TransportKind::Quic,
            Link::Tcp(_) => TransportKind::Tcp,
        }
    }

    fn is_alive(&self) -> bool {
        match self {
            Link::Quic(l) => l.is_alive(),
            Link::Tcp(l) => l.is_alive(),
        }
    }

    fn close(&self) {
        match self {
            Link::Quic(l) => l.close(),
            Link::Tcp(l) => l.close(),
        }
    }
}

async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("name resolution failed: {e}"))?
        .collect();
    if addrs.is_empty() {
        return Err("name resolution returned no address".into());
    }
    Ok(addrs)
}

fn with_port(addrs: &[SocketAddr], port: u16) -> Vec<SocketAddr> {
    addrs
        .iter()
        .map(|a| SocketAddr::new(a.ip(), port))
        .collect()
}

/// Establish a link with the transports `opts.mode` allows.
async fn open_link(addr: &RelayAddress, opts: &ConnectOptions) -> Result<Link, ClientError> {
    let addrs = resolve(&addr.host, addr.port).await.map_err(|e| {
        let quic = (opts.mode != TransportMode::TcpOnly).then(|| e.clone());
        let tcp = (opts.mode != TransportMode::QuicOnly).then_some(e);
        ClientError::Unreachable { quic, tcp }
    })?;
    let tcp_addrs = with_port(&addrs, opts.tcp_port.unwrap_or(addr.port));
    // QUIC tries the first address; TCP tries them in turn.
    let quic_addr = addrs[0];
    match opts.mode {
        TransportMode::QuicOnly => quic::connect(quic_addr, addr.pin, opts)
            .await
            .map(Link::Quic)
            .map_err(|f| attempts_failed(Some(f), None)),
        TransportMode::TcpOnly => tcp::connect(&tcp_addrs, addr.pin, opts)
            .await
            .map(|l| Link::Tcp(Box::new(l)))
            .map_err(|f| attempts_failed(None, Some(f))),
        TransportMode::Auto => {
            let quic_failed = Notify::new();
            let quic = async {
                let r = quic::connect(quic_addr, addr.pin, opts).await;
                if r.is_err() {
                    // Start TCP at once rather than after the delay.
                    quic_failed.notify_one();
                }
                r
            };
            let tcp = async {
                tokio::select! {
                    _ = tokio::time::sleep(opts.tcp_delay) => {}
                    _ = quic_failed.notified() => {}
                }
                tcp::connect(&tcp_addrs, addr.pin, opts).await
            };
            tokio::pin!(quic, tcp);
            let mut quic_err = None;
            let mut tcp_err = None;
            loop {
                tokio::select! {
                    r = &mut quic, if quic_err.is_none() => match r {
                        Ok(link) => return Ok(Link::Quic(link)),
                        Err(f) => {
                            tracing::debug!(failure = ?f, "QUIC attempt failed");
                            quic_err = Some(f);
                        }
                    },
                    r = &mut tcp, if tcp_err.is_none() => match r {
                        Ok(link) => return Ok(Link::Tcp(Box::new(link))),
                        Err(f) => {
                            tracing::debug!(failure = ?f, "TCP attempt failed");
                            tcp_err = Some(f);
                        }
                    },
                }
                if quic_err.is_some() && tcp_err.is_some() {
                    return Err(attempts_failed(quic_err, tcp_err));
                }
            }
        }
    }
}

struct Inner {
    addr: RelayAddress,
    opts: ConnectOptions,
    /// The current link; replaced when it dies. Held while reconnecting so
    /// that concurrent requests wait for one new link instead of racing.
    link: Mutex<Option<Arc<Link>>>,
    /// [`TransportKind`] of the current link (0 QUIC, 1 TCP).
    kind: AtomicU8,
    clock: RelayClock,
}

/// A connection to one relay, shared by every task that clones it.
///
/// Requests from many tasks run concurrently (over QUIC each on its own
/// stream; over TCP one after the other). When the connection dies, the next
/// request reconnects with the same options. Safe-to-repeat operations retry
/// transient failures by themselves; see each operation.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.transport_kind())
            .finish_non_exhaustive()
    }
}

fn kind_code(k: TransportKind) -> u8 {
    match k {
        TransportKind::Quic => 0,
        TransportKind::Tcp => 1,
    }
}

impl Client {
    /// Connect to the relay at `addr`, authenticating it by the address's pin.
    ///
    /// Fails with [`ClientError::PinMismatch`] when a relay answered with
    /// another key, and with [`ClientError::Unreachable`] (saying what was
    /// tried) when no transport got through.
    pub async fn connect(addr: &RelayAddress, opts: ConnectOptions) -> Result<Client, ClientError> {
        let mut opts = opts;
        opts.segment_concurrency = opts
            .segment_concurrency
            .clamp(1, limits::MAX_SEGMENT_CONCURRENCY);
        let link = open_link(addr, &opts).await?;
        let kind = kind_code(link.kind());
        Ok(Client {
            inner: Arc::new(Inner {
                addr: addr.clone(),
                opts,
                link: Mutex::new(Some(Arc::new(link))),
                kind: AtomicU8::new(kind),
                clock: RelayClock::default(),
            }),
        })
    }

    /// The transport of the current (or last) connection.
    pub fn transport_kind(&self) -> TransportKind {
        if self.inner.kind.load(Ordering::Relaxed) == 0 {
            TransportKind::Quic
        } else {
            TransportKind::Tcp
        }
    }

    /// The relay this client talks to.
    pub fn address(&self) -> &RelayAddress {
        &self.inner.addr
    }

    /// The options this client connects with.
    pub fn options(&self) -> &ConnectOptions {
        &self.inner.opts
    }

    /// Seconds to add to the local clock to get the relay's, as last learned
    /// (zero until a `ping` or a clock refusal taught otherwise).
    pub fn relay_clock_offset(&self) -> i64 {
        self.inner.clock.offset()
    }

    pub(crate) fn clock(&self) -> &RelayClock {
        &self.inner.clock
    }

    /// Close the connection. Clones of this client share it; a later request
    /// reconnects.
    pub async fn close(&self) {
        if let Some(link) = self.inner.link.lock().await.take() {
            link.close();
        }
    }

    /// The current link, reconnecting when there is none or it died.
    async fn link(&self) -> Result<Arc<Link>, ClientError> {
        let mut slot = self.inner.link.lock().await;
        if let Some(link) = slot.as_ref() {
            if link.is_alive() {
                return Ok(Arc::clone(link));
            }
        }
        if let Some(old) = slot.take() {
            old.close();
        }
        tracing::debug!("connecting to the relay");
        let link = Arc::new(open_link(&self.inner.addr, &self.inner.opts).await?);
        self.inner
            .kind
            .store(kind_code(link.kind()), Ordering::Relaxed);
        *slot = Some(Arc::clone(&link));
        Ok(link)
    }

    /// Send one request and return the relay's answer. A `Response::Error`
    /// becomes [`ClientError::Relay`]. Sent once: no retry, so the caller
    /// decides what is safe to repeat.
    pub async fn request(&self, request: &Request) -> Result<Response, ClientError> {
        self.exchange(&request.encode(), request.kind()).await
    }

    /// Send `frame` exactly as given, even if malformed, as one request, and
    /// read the relay's answer. For conformance and robustness tests and
    /// diagnostics; normal code uses the typed methods. A relay error frame
    /// comes back as `Ok(Response::Error { .. })`. Over TCP a frame that
    /// declares more bytes than it carries leaves the relay waiting, so send
    /// truncated frames over QUIC, where the end of the stream marks the end.
    pub async fn send_raw_frame(&self, frame: &[u8]) -> Result<Response, ClientError> {
        let request_kind = frame
            .get(1)
            .copied()
            .unwrap_or(sanad_protocol::frame::kind::PING);
        match self.exchange(frame, request_kind).await {
            Err(ClientError::Relay { code, value }) => Ok(Response::Error { code, value }),
            other => other,
        }
    }

    /// Send one encoded request frame of kind `request_kind`.
    pub(crate) async fn exchange(
        &self,
        frame: &[u8],
        request_kind: u8,
    ) -> Result<Response, ClientError> {
        // The one copy a transport makes of a borrowed frame anyway.
        self.exchange_pieces(&[Bytes::copy_from_slice(frame)], request_kind)
            .await
    }

    /// Send one request frame given as consecutive pieces (e.g. a segment
    /// upload's head and its data), which QUIC sends without copying.
    pub(crate) async fn exchange_pieces(
        &self,
        frame: &[Bytes],
        request_kind: u8,
    ) -> Result<Response, ClientError> {
        let link = self.link().await?;
        let stall = self.inner.opts.io_stall_timeout;
        let response = match &*link {
            Link::Quic(l) => l.exchange(frame, request_kind, stall).await,
            Link::Tcp(l) => l.exchange(frame, request_kind, stall).await,
        }?;
        match response {
            Response::Error { code, value } => Err(ClientError::Relay { code, value }),
            other => Ok(other),
        }
    }
}

/// Something that carries one encoded request frame to the relay and brings
/// back its (non-error) response. The client implements it; the mailbox and
/// blob logic is written against it so that retry behaviour can be pinned by
/// unit tests.
pub(crate) trait Exchange: Sync {
    /// As [`Client::exchange`].
    fn exchange(
        &self,
        frame: &[u8],
        request_kind: u8,
    ) -> impl Future<Output = Result<Response, ClientError>> + Send;
}

impl Exchange for Client {
    fn exchange(
        &self,
        frame: &[u8],
        request_kind: u8,
    ) -> impl Future<Output = Result<Response, ClientError>> + Send {
        Client::exchange(self, frame, request_kind)
    }
}

/// The error for a response of the wrong variant (the header check makes it
/// unreachable in practice, but the match must be total).
pub(crate) fn unexpected(request_kind: u8, got: &Response) -> ClientError {
    ClientError::UnexpectedResponse {
        expected: expected_response(request_kind),
        got: got.kind(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_mismatch_on_either_path_is_reported_as_such() {
        let failed = || Some(AttemptFailure::Failed("timed out".into()));
        assert!(matches!(
            attempts_failed(Some(AttemptFailure::PinMismatch), failed()),
            ClientError::PinMismatch
        ));
        assert!(matches!(
            attempts_failed(failed(), Some(AttemptFailure::PinMismatch)),
            ClientError::PinMismatch
        ));
    }

    #[test]
    fn unreachable_says_what_was_tried() {
        let e = attempts_failed(Some(AttemptFailure::Failed("timed out".into())), None);
        match e {
            ClientError::Unreachable { quic, tcp } => {
                assert_eq!(quic.as_deref(), Some("timed out"));
                assert_eq!(tcp, None);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
