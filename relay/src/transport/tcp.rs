//! TLS 1.3 over TCP, for networks that block UDP: the same certificate, ALPN
//! and frames as QUIC.
//!
//! **A TCP connection carries one request at a time**: the client writes a
//! request frame, reads the response frame, then may write the next request.
//! Clients that want parallel requests open more connections (each counts
//! against the shared connection cap).
//!
//! Bounds: the TLS handshake must finish within
//! [`TCP_HANDSHAKE_TIMEOUT`]; an idle connection (no request header within
//! [`IDLE_TIMEOUT`]) is closed; a request must arrive whole within
//! [`REQUEST_READ_TIMEOUT`] of its header. A frame whose end cannot be found
//! (bad header, truncated) gets its `Error` frame and then the connection is
//! closed, since the next frame's start is unknown; a frame with a good header
//! and a bad body gets `Malformed` and the connection stays usable.

use std::sync::Arc;
use std::time::Duration;

use sanad_protocol::{ErrorCode, ALPN};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;

use super::{read_header, serve_request, write_error, Framing, HeaderRead, Served, Shared};
use crate::limits::{IDLE_TIMEOUT, REQUEST_READ_TIMEOUT, TCP_HANDSHAKE_TIMEOUT};

/// Pause after a failed `accept` (e.g. out of file descriptors), so the loop
/// does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);
/// At most one warning about failing `accept` calls per this period.
const ACCEPT_ERROR_LOG_PERIOD: Duration = Duration::from_secs(60);

/// Accept connections until shutdown begins. Over
/// [`crate::limits::MAX_CONNECTIONS`] open connections (QUIC and TCP
/// together), new ones are closed at once.
pub(crate) async fn accept_loop(listener: TcpListener, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    let mut last_warning: Option<Instant> = None;
    loop {
        let accepted = tokio::select! {
            _ = shared.cancel.cancelled() => break,
            a = listener.accept() => a,
        };
        // The peer address is dropped here, unread: it is never logged or kept.
        let socket = match accepted {
            Ok((socket, _)) => socket,
            Err(e) => {
                let due = match last_warning {
                    None => true,
                    Some(t) => t.elapsed() >= ACCEPT_ERROR_LOG_PERIOD,
                };
                if due {
                    tracing::warn!(error = %e, "accepting TCP connections is failing");
                    last_warning = Some(Instant::now());
                }
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        match Arc::clone(&shared.connections).try_acquire_owned() {
            Ok(permit) => {
                let shared2 = Arc::clone(&shared);
                let acceptor = acceptor.clone();
                shared.tracker.spawn(async move {
                    serve_connection(socket, acceptor, shared2).await;
                    drop(permit);
                });
            }
            Err(_) => {
                tracing::debug!("TCP connection refused: connection limit reached");
                drop(socket);
            }
        }
    }
}

async fn serve_connection(socket: TcpStream, acceptor: TlsAcceptor, shared: Arc<Shared>) {
    let _ = socket.set_nodelay(true);
    let tls = tokio::select! {
        _ = shared.cancel.cancelled() => return,
        t = tokio::time::timeout(TCP_HANDSHAKE_TIMEOUT, acceptor.accept(socket)) => match t {
            Ok(Ok(tls)) => tls,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "TLS handshake failed");
                return;
            }
            Err(_) => {
                tracing::debug!("TLS handshake timed out");
                return;
            }
        },
    };
    if tls.get_ref().1.alpn_protocol() != Some(ALPN) {
        tracing::debug!("TCP client did not negotiate sanad/1");
        return;
    }
    let (mut r, mut w) = tokio::io::split(tls);
    loop {
        let header = tokio::select! {
            _ = shared.cancel.cancelled() => break,
            h = read_header(&mut r, Instant::now() + IDLE_TIMEOUT) => h,
        };
        let deadline = Instant::now() + REQUEST_READ_TIMEOUT;
        let served = match header {
            Ok(HeaderRead::Complete(h)) => {
                serve_request(&mut r, &mut w, h, Framing::Sequential, deadline, &shared).await
            }
            Ok(HeaderRead::Truncated) => write_error(&mut w, ErrorCode::Malformed, 0, deadline)
                .await
                .map(|()| Served::OutOfSync),
            Ok(HeaderRead::Ended) | Err(_) => break,
        };
        match served {
            Ok(Served::InSync) => continue,
            Ok(Served::OutOfSync) => break,
            Err(e) => {
                tracing::debug!(error = %e, "TCP request abandoned");
                break;
            }
        }
    }
    // Send close_notify; a peer that does not read gets no more time than a handshake.
    let mut tls = r.unsplit(w);
    let _ = tokio::time::timeout(TCP_HANDSHAKE_TIMEOUT, tls.shutdown()).await;
}
