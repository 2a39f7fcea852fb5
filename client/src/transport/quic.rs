//! The QUIC path: one quinn endpoint and connection per link, one request
//! per bidirectional stream.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use quinn::crypto::rustls::{HandshakeData, QuicClientConfig};
use quinn::{Endpoint, IdleTimeout, TransportConfig, VarInt};
use sanad_protocol::{Response, SpkiPin, ALPN};

use super::exchange::{expect_end, frame_len, read_response};
use super::pin::{client_config, SERVER_NAME};
use super::{AttemptFailure, Congestion, ConnectOptions};
use crate::error::ClientError;
use crate::limits::{
    IO_CHUNK, QUIC_CONNECTION_RECEIVE_WINDOW, QUIC_IDLE_TIMEOUT, QUIC_KEEP_ALIVE, QUIC_SEND_WINDOW,
    QUIC_STREAM_RECEIVE_WINDOW, UDP_SOCKET_BUFFER,
};

/// An established QUIC connection to the relay.
pub(crate) struct QuicLink {
    /// Kept so the endpoint lives exactly as long as the link.
    endpoint: Endpoint,
    conn: quinn::Connection,
}

fn transport_config(opts: &ConnectOptions) -> Result<TransportConfig, ClientError> {
    let mut t = TransportConfig::default();
    // The relay never opens streams towards a client.
    t.max_concurrent_bidi_streams(VarInt::from_u32(0))
        .max_concurrent_uni_streams(VarInt::from_u32(0))
        .datagram_receive_buffer_size(None)
        .stream_receive_window(VarInt::from_u32(QUIC_STREAM_RECEIVE_WINDOW))
        .receive_window(VarInt::from_u32(QUIC_CONNECTION_RECEIVE_WINDOW))
        .send_window(QUIC_SEND_WINDOW)
        .keep_alive_interval(Some(QUIC_KEEP_ALIVE))
        .max_idle_timeout(Some(
            IdleTimeout::try_from(QUIC_IDLE_TIMEOUT)
                .map_err(|e| ClientError::Setup(e.to_string()))?,
        ))
        .enable_segmentation_offload(opts.segmentation_offload);
    if opts.congestion == Congestion::Bbr {
        t.congestion_controller_factory(Arc::new(quinn::congestion::BbrConfig::default()));
    }
    Ok(t)
}

/// A client endpoint on a new UDP socket bound to `local`, with its kernel
/// buffers raised to [`UDP_SOCKET_BUFFER`] where the system allows.
fn client_endpoint(local: SocketAddr) -> std::io::Result<Endpoint> {
    let socket = std::net::UdpSocket::bind(local)?;
    let s = socket2::SockRef::from(&socket);
    // Best effort: a smaller buffer only costs retransmissions.
    let _ = s.set_recv_buffer_size(UDP_SOCKET_BUFFER);
    let _ = s.set_send_buffer_size(UDP_SOCKET_BUFFER);
    Endpoint::new(
        quinn::EndpointConfig::default(),
        None,
        socket,
        Arc::new(quinn::TokioRuntime),
    )
}

/// Connect over QUIC to `addr`, bounded by the handshake timeout.
pub(crate) async fn connect(
    addr: SocketAddr,
    pin: SpkiPin,
    opts: &ConnectOptions,
) -> Result<QuicLink, AttemptFailure> {
    let (tls, mismatch) = client_config(pin).map_err(AttemptFailure::Setup)?;
    let crypto = QuicClientConfig::try_from(tls)
        .map_err(|e| AttemptFailure::Setup(ClientError::Setup(e.to_string())))?;
    let mut config = quinn::ClientConfig::new(Arc::new(crypto));
    config.transport_config(Arc::new(
        transport_config(opts).map_err(AttemptFailure::Setup)?,
    ));

    let local: SocketAddr = if addr.is_ipv6() {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    };
    let endpoint = client_endpoint(local).map_err(|e| AttemptFailure::Failed(e.to_string()))?;
    let connecting = endpoint
        .connect_with(config, addr, SERVER_NAME)
        .map_err(|e| AttemptFailure::Failed(e.to_string()))?;
    let conn = match tokio::time::timeout(opts.quic_handshake_timeout, connecting).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => return Err(AttemptFailure::handshake(&mismatch, e)),
        Err(_) => {
            endpoint.close(VarInt::from_u32(0), b"");
            return Err(AttemptFailure::Failed(format!(
                "handshake timed out after {} ms",
                opts.quic_handshake_timeout.as_millis()
            )));
        }
    };
    let alpn = conn
        .handshake_data()
        .and_then(|d| d.downcast::<HandshakeData>().ok())
        .and_then(|d| d.protocol);
    if alpn.as_deref() != Some(ALPN) {
        conn.close(VarInt::from_u32(0), b"");
        return Err(AttemptFailure::Failed(
            "the relay did not agree on the protocol version".into(),
        ));
    }
    Ok(QuicLink { endpoint, conn })
}

/// Hand the frame's pieces to quinn without copying them (quinn keeps the
/// `Bytes` until they are acknowledged), `IO_CHUNK` at a time so that each
/// step has its own stall timeout.
async fn write_chunks(
    send: &mut quinn::SendStream,
    frame: &[Bytes],
    stall: Duration,
) -> Result<(), ClientError> {
    for piece in frame {
        let mut at = 0;
        while at < piece.len() {
            let end = piece.len().min(at + IO_CHUNK);
            match tokio::time::timeout(stall, send.write_chunk(piece.slice(at..end))).await {
                Ok(Ok(())) => at = end,
                Ok(Err(e)) => return Err(ClientError::transport(e)),
                Err(_) => {
                    return Err(ClientError::transport(format!(
                        "no progress for {} s",
                        stall.as_secs()
                    )))
                }
            }
        }
    }
    Ok(())
}

impl QuicLink {
    /// Whether the connection can still carry requests.
    pub(crate) fn is_alive(&self) -> bool {
        self.conn.close_reason().is_none()
    }

    /// One request on its own bidirectional stream.
    pub(crate) async fn exchange(
        &self,
        frame: &[Bytes],
        request_kind: u8,
        stall: Duration,
    ) -> Result<Response, ClientError> {
        let (mut send, mut recv) = tokio::time::timeout(stall, self.conn.open_bi())
            .await
            .map_err(|_| ClientError::transport("no stream available"))?
            .map_err(ClientError::transport)?;
        write_chunks(&mut send, frame, stall).await?;
        send.finish().map_err(ClientError::transport)?;
        let wait = crate::limits::response_wait(stall, frame_len(frame));
        let response = read_response(&mut recv, request_kind, wait).await?;
        expect_end(&mut recv, stall).await?;
        Ok(response)
    }

    /// Close the connection now and let the endpoint say goodbye.
    pub(crate) fn close(&self) {
        self.conn.close(VarInt::from_u32(0), b"");
        self.endpoint.close(VarInt::from_u32(0), b"");
    }
}
