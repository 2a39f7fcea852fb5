//! The TLS-over-TCP fallback: one TLS stream per link, one request at a time
//! on it (sequential request and response frames).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use sanad_protocol::{Response, SpkiPin, ALPN};
use tokio::net::TcpStream;
use tokio::sync::Mutex;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use super::exchange::{frame_len, read_response, write_frame};
use super::pin::{client_config, server_name};
use super::{AttemptFailure, ConnectOptions};
use crate::error::ClientError;
use crate::limits::TCP_IDLE_REUSE;

/// An established TLS-over-TCP connection to the relay.
pub(crate) struct TcpLink {
    /// `None` once a request failed part-way (or was cancelled): the stream
    /// is then out of step and is dropped, never reused.
    stream: Mutex<Option<TlsStream<TcpStream>>>,
    dead: AtomicBool,
    created: Instant,
    /// Milliseconds after `created` when the last request finished.
    last_used_ms: AtomicU64,
}

/// Connect over TCP to the first of `addrs` that answers, then TLS, bounded
/// by the TCP handshake timeout.
pub(crate) async fn connect(
    addrs: &[SocketAddr],
    pin: SpkiPin,
    opts: &ConnectOptions,
) -> Result<TcpLink, AttemptFailure> {
    let (tls, mismatch) = client_config(pin).map_err(AttemptFailure::Setup)?;
    let connector = TlsConnector::from(tls);
    let attempt = async {
        let tcp = TcpStream::connect(addrs).await?;
        tcp.set_nodelay(true)?;
        connector.connect(server_name(), tcp).await
    };
    let stream = match tokio::time::timeout(opts.tcp_handshake_timeout, attempt).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(AttemptFailure::handshake(&mismatch, e)),
        Err(_) => {
            return Err(AttemptFailure::Failed(format!(
                "connection timed out after {} s",
                opts.tcp_handshake_timeout.as_secs()
            )))
        }
    };
    if stream.get_ref().1.alpn_protocol() != Some(ALPN) {
        return Err(AttemptFailure::Failed(
            "the relay did not agree on the protocol version".into(),
        ));
    }
    Ok(TcpLink {
        stream: Mutex::new(Some(stream)),
        dead: AtomicBool::new(false),
        created: Instant::now(),
        last_used_ms: AtomicU64::new(0),
    })
}

impl TcpLink {
    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_used_ms.load(Ordering::Relaxed));
        self.created.elapsed().saturating_sub(last)
    }

    /// Whether the stream can still carry requests. A stream idle for long is
    /// treated as gone: mobile NATs drop silent TCP flows, and a fresh
    /// handshake costs less than waiting out a stall on a dead one.
    ///
    /// A stream busy with a request is alive whatever its age: a segment on
    /// a slow link can take longer than the idle bound.
    pub(crate) fn is_alive(&self) -> bool {
        if self.dead.load(Ordering::SeqCst) {
            return false;
        }
        let busy = self.stream.try_lock().is_err();
        busy || self.idle_for() < TCP_IDLE_REUSE
    }

    /// One request, then its response, while holding the stream.
    pub(crate) async fn exchange(
        &self,
        frame: &[Bytes],
        request_kind: u8,
        stall: Duration,
    ) -> Result<Response, ClientError> {
        let mut slot = self.stream.lock().await;
        // Taken out for the duration: if this future is dropped half-way the
        // stream goes with it instead of being reused out of step.
        let Some(mut stream) = slot.take() else {
            self.dead.store(true, Ordering::SeqCst);
            return Err(ClientError::transport("the connection was closed"));
        };
        let result = async {
            write_frame(&mut stream, frame, stall).await?;
            let wait = crate::limits::response_wait(stall, frame_len(frame));
            read_response(&mut stream, request_kind, wait).await
        }
        .await;
        match result {
            Ok(response) if !self.dead.load(Ordering::SeqCst) => {
                *slot = Some(stream);
                let now = self.created.elapsed().as_millis();
                self.last_used_ms
                    .store(u64::try_from(now).unwrap_or(u64::MAX), Ordering::Relaxed);
                Ok(response)
            }
            // Closed while this request ran: answer it, drop the stream.
            Ok(response) => Ok(response),
            Err(e) => {
                self.dead.store(true, Ordering::SeqCst);
                Err(e)
            }
        }
    }

    /// Stop using the stream: dropped now if idle, else when the request
    /// holding it ends (it is never put back into use).
    pub(crate) fn close(&self) {
        self.dead.store(true, Ordering::SeqCst);
        if let Ok(mut slot) = self.stream.try_lock() {
            slot.take();
        }
    }
}
