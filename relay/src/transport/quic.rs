//! QUIC (quinn): one request per bidirectional stream.
//!
//! Every window and count is bounded from [`crate::limits`]: incoming
//! handshakes, open connections (shared with TCP), streams per connection,
//! receive and send windows, idle timeout. Clients cannot open
//! unidirectional streams or send datagrams. A bad frame on one stream gets
//! an `Error` frame on that stream; the connection stays usable.

use std::io;
use std::sync::Arc;

use quinn::congestion::{BbrConfig, CubicConfig};
use quinn::crypto::rustls::{HandshakeData, QuicServerConfig};
use quinn::{IdleTimeout, VarInt};
use sanad_protocol::{ErrorCode, ALPN};
use tokio::time::Instant;

use super::{read_header, serve_request, write_error, Framing, HeaderRead, Served, Shared};
use crate::config::Congestion;
use crate::keys::RelayKeys;
use crate::limits::{
    CONNECTION_RECEIVE_WINDOW, IDLE_TIMEOUT, MAX_INCOMING_HANDSHAKES, MAX_STREAMS_PER_CONNECTION,
    REQUEST_READ_TIMEOUT, SEND_WINDOW, STREAM_RECEIVE_WINDOW, UDP_SOCKET_BUFFER,
};
use crate::server::ServerError;

/// Application close code sent to a client that did not negotiate `sanad/1`.
const CLOSE_WRONG_PROTOCOL: u32 = 1;
/// The idle timeout in milliseconds, as QUIC encodes it.
const IDLE_TIMEOUT_MILLIS: u32 = IDLE_TIMEOUT.as_millis() as u32;
/// Stream reset code for a request that stalled or failed mid-way.
const RESET_ABANDONED: u32 = 1;

/// The quinn server configuration: TLS from [`super::tls_config`] plus
/// bounded transport parameters.
pub(crate) fn server_config(
    keys: &RelayKeys,
    congestion: Congestion,
    disable_gso: bool,
) -> Result<quinn::ServerConfig, ServerError> {
    let tls = super::tls_config(keys)?;
    let crypto = QuicServerConfig::try_from(tls)?;

    let mut transport = quinn::TransportConfig::default();
    transport
        .max_concurrent_bidi_streams(MAX_STREAMS_PER_CONNECTION.into())
        .max_concurrent_uni_streams(VarInt::from_u32(0))
        .receive_window(CONNECTION_RECEIVE_WINDOW.into())
        .stream_receive_window(STREAM_RECEIVE_WINDOW.into())
        .send_window(SEND_WINDOW)
        .max_idle_timeout(Some(IdleTimeout::from(VarInt::from_u32(
            IDLE_TIMEOUT_MILLIS,
        ))))
        .keep_alive_interval(None)
        .datagram_receive_buffer_size(None)
        // The spin bit would show on-path observers each connection's RTT.
        .allow_spin(false)
        .enable_segmentation_offload(!disable_gso);
    match congestion {
        Congestion::Bbr => transport.congestion_controller_factory(Arc::new(BbrConfig::default())),
        Congestion::Cubic => {
            transport.congestion_controller_factory(Arc::new(CubicConfig::default()))
        }
    };

    let mut config = quinn::ServerConfig::with_crypto(Arc::new(crypto));
    config
        .transport_config(Arc::new(transport))
        .max_incoming(MAX_INCOMING_HANDSHAKES);
    Ok(config)
}

/// A quinn endpoint on an already bound UDP socket, whose kernel buffers
/// are first raised to [`UDP_SOCKET_BUFFER`] where the system allows.
pub(crate) fn endpoint(
    socket: std::net::UdpSocket,
    config: quinn::ServerConfig,
) -> io::Result<quinn::Endpoint> {
    size_buffers(&socket);
    quinn::Endpoint::new(
        quinn::EndpointConfig::default(),
        Some(config),
        socket,
        Arc::new(quinn::TokioRuntime),
    )
}

/// Ask for [`UDP_SOCKET_BUFFER`] bytes of kernel buffer each way. Best
/// effort: the system may grant less (logged at debug level), which only
/// costs retransmissions under bursts.
fn size_buffers(socket: &std::net::UdpSocket) {
    let s = socket2::SockRef::from(socket);
    let _ = s.set_recv_buffer_size(UDP_SOCKET_BUFFER);
    let _ = s.set_send_buffer_size(UDP_SOCKET_BUFFER);
    if let Ok(got) = s.recv_buffer_size() {
        if got < UDP_SOCKET_BUFFER {
            tracing::debug!(
                granted = got,
                "UDP receive buffer below the asked size (net.core.rmem_max)"
            );
        }
    }
}

/// Accept connections until shutdown begins or the endpoint closes. Over
/// [`crate::limits::MAX_CONNECTIONS`] open connections, new ones are refused.
pub(crate) async fn accept_loop(endpoint: quinn::Endpoint, shared: Arc<Shared>) {
    loop {
        let incoming = tokio::select! {
            _ = shared.cancel.cancelled() => break,
            i = endpoint.accept() => match i {
                Some(i) => i,
                None => break,
            },
        };
        match Arc::clone(&shared.connections).try_acquire_owned() {
            Ok(permit) => {
                let shared2 = Arc::clone(&shared);
                shared.tracker.spawn(async move {
                    serve_connection(incoming, shared2).await;
                    drop(permit);
                });
            }
            Err(_) => {
                tracing::debug!("QUIC connection refused: connection limit reached");
                incoming.refuse();
            }
        }
    }
}

fn negotiated_sanad(conn: &quinn::Connection) -> bool {
    conn.handshake_data()
        .and_then(|d| d.downcast::<HandshakeData>().ok())
        .and_then(|d| d.protocol)
        .is_some_and(|p| p == ALPN)
}

async fn serve_connection(incoming: quinn::Incoming, shared: Arc<Shared>) {
    let connecting = match incoming.accept() {
        Ok(c) => c,
        Err(e) => {
            tracing::debug!(error = %e, "QUIC connection not accepted");
            return;
        }
    };
    let conn = tokio::select! {
        _ = shared.cancel.cancelled() => return,
        c = connecting => match c {
            Ok(c) => c,
            Err(e) => {
                tracing::debug!(error = %e, "QUIC handshake failed");
                return;
            }
        },
    };
    if !negotiated_sanad(&conn) {
        conn.close(VarInt::from_u32(CLOSE_WRONG_PROTOCOL), b"sanad/1 required");
        return;
    }
    loop {
        let (send, recv) = tokio::select! {
            _ = shared.cancel.cancelled() => break,
            s = conn.accept_bi() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
        };
        shared
            .tracker
            .spawn(serve_stream(send, recv, Arc::clone(&shared)));
    }
}

/// One stream, one request.
async fn serve_stream(
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
    shared: Arc<Shared>,
) {
    let deadline = Instant::now() + REQUEST_READ_TIMEOUT;
    let header = tokio::select! {
        biased;
        h = read_header(&mut recv, deadline) => Some(h),
        _ = shared.cancel.cancelled() => None,
    };
    let outcome = match header {
        None => write_error(&mut send, ErrorCode::ShuttingDown, 0, deadline)
            .await
            .map(|()| Served::OutOfSync),
        Some(Ok(HeaderRead::Complete(h))) => {
            serve_request(
                &mut recv,
                &mut send,
                h,
                Framing::OnePerStream,
                deadline,
                &shared,
            )
            .await
        }
        Some(Ok(HeaderRead::Ended | HeaderRead::Truncated)) => {
            write_error(&mut send, ErrorCode::Malformed, 0, deadline)
                .await
                .map(|()| Served::OutOfSync)
        }
        Some(Err(e)) => Err(e),
    };
    match outcome {
        Ok(_) => {
            if send.finish().is_ok() {
                // Keep the stream (and so the connection) until the client
                // has the whole answer, so that shutdown loses none.
                let _ = tokio::time::timeout(IDLE_TIMEOUT, send.stopped()).await;
            }
        }
        Err(e) => {
            tracing::debug!(error = %e, "QUIC request abandoned");
            let _ = send.reset(VarInt::from_u32(RESET_ABANDONED));
        }
    }
    // Dropping `recv` before the client finished asks it to stop sending.
}
