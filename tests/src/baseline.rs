//! The raw-QUIC baseline for benchmarks: the same bytes over one plain quinn
//! stream between two loopback endpoints that use the relay's transport
//! limits and the same congestion controller as the Sanad transfer it is
//! compared with, with no protocol, hashing or storage. Ratios in
//! `docs/benchmarks.md` divide Sanad's throughput by this, measured in the
//! same run.
//!
//! The congestion controller is part of the comparison because quinn's BBR
//! costs about twice the CPU per byte of its Cubic on loopback
//! (`docs/benchmarks.md`), whatever runs above it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use quinn::crypto::rustls::{QuicClientConfig, QuicServerConfig};
use rustls::pki_types::{CertificateDer, PrivatePkcs8KeyDer};

const ALPN: &[u8] = b"sanad-baseline";

/// A QUIC congestion controller, for both ends of a benchmark transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Congestion {
    /// quinn's BBR (Sanad's default, client and relay).
    Bbr,
    /// quinn's Cubic (quinn's default).
    Cubic,
}

impl Congestion {
    /// Lower-case name, as on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Congestion::Bbr => "bbr",
            Congestion::Cubic => "cubic",
        }
    }

    /// The client's setting.
    pub fn client(self) -> sanad_client::Congestion {
        match self {
            Congestion::Bbr => sanad_client::Congestion::Bbr,
            Congestion::Cubic => sanad_client::Congestion::Cubic,
        }
    }

    /// The relay's setting.
    pub fn relay(self) -> sanad_relay::config::Congestion {
        match self {
            Congestion::Bbr => sanad_relay::config::Congestion::Bbr,
            Congestion::Cubic => sanad_relay::config::Congestion::Cubic,
        }
    }
}

impl std::str::FromStr for Congestion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "bbr" => Ok(Congestion::Bbr),
            "cubic" => Ok(Congestion::Cubic),
            other => Err(format!(
                "unknown congestion controller `{other}` (bbr, cubic)"
            )),
        }
    }
}

fn transport(congestion: Congestion) -> quinn::TransportConfig {
    use sanad_relay::limits::*;
    let mut t = quinn::TransportConfig::default();
    t.max_concurrent_bidi_streams(MAX_STREAMS_PER_CONNECTION.into());
    t.receive_window(CONNECTION_RECEIVE_WINDOW.into());
    t.stream_receive_window(STREAM_RECEIVE_WINDOW.into());
    t.send_window(SEND_WINDOW);
    match congestion {
        Congestion::Bbr => {
            t.congestion_controller_factory(Arc::new(quinn::congestion::BbrConfig::default()))
        }
        Congestion::Cubic => {
            t.congestion_controller_factory(Arc::new(quinn::congestion::CubicConfig::default()))
        }
    };
    t
}

/// A loopback endpoint whose UDP socket has the kernel buffers the relay and
/// the client ask for (`UDP_SOCKET_BUFFER`), like theirs.
fn endpoint(server: Option<quinn::ServerConfig>) -> std::io::Result<quinn::Endpoint> {
    let socket = std::net::UdpSocket::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
    let s = socket2::SockRef::from(&socket);
    let _ = s.set_recv_buffer_size(sanad_relay::limits::UDP_SOCKET_BUFFER);
    let _ = s.set_send_buffer_size(sanad_relay::limits::UDP_SOCKET_BUFFER);
    quinn::Endpoint::new(
        quinn::EndpointConfig::default(),
        server,
        socket,
        Arc::new(quinn::TokioRuntime),
    )
}

/// Send `total` bytes over one raw quinn stream on loopback, both ends using
/// `congestion`; returns the time from the first byte written to the
/// receiver's confirmation of the last.
pub async fn raw_quinn_transfer(
    total: u64,
    congestion: Congestion,
) -> Result<Duration, Box<dyn std::error::Error + Send + Sync>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()])?;
    let cert_der = CertificateDer::from(cert.cert.der().to_vec());
    let key = PrivatePkcs8KeyDer::from(cert.key_pair.serialize_der());

    let mut tls = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(vec![cert_der.clone()], key.into())?;
    tls.alpn_protocols = vec![ALPN.to_vec()];
    let mut server_cfg =
        quinn::ServerConfig::with_crypto(Arc::new(QuicServerConfig::try_from(tls)?));
    server_cfg.transport_config(Arc::new(transport(congestion)));
    let server = endpoint(Some(server_cfg))?;
    let server_addr = server.local_addr()?;

    let receiver = tokio::spawn(async move {
        let conn = server.accept().await.ok_or("no connection")?.await?;
        let (mut send, mut recv) = conn.accept_bi().await?;
        let mut buf = vec![0u8; 256 * 1024];
        let mut got = 0u64;
        while let Some(n) = recv.read(&mut buf).await? {
            got += n as u64;
        }
        send.write_all(&got.to_be_bytes()).await?;
        send.finish()?;
        conn.closed().await;
        Ok::<u64, Box<dyn std::error::Error + Send + Sync>>(got)
    });

    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert_der)?;
    let mut ctls = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_no_client_auth();
    ctls.alpn_protocols = vec![ALPN.to_vec()];
    let mut client_cfg = quinn::ClientConfig::new(Arc::new(QuicClientConfig::try_from(ctls)?));
    client_cfg.transport_config(Arc::new(transport(congestion)));
    let mut client = endpoint(None)?;
    client.set_default_client_config(client_cfg);
    let conn = client.connect(server_addr, "localhost")?.await?;

    let chunk = vec![0x5au8; 1024 * 1024];
    let start = Instant::now();
    let (mut send, mut recv) = conn.open_bi().await?;
    let mut sent = 0u64;
    while sent < total {
        let n = (total - sent).min(chunk.len() as u64) as usize;
        send.write_all(&chunk[..n]).await?;
        sent += n as u64;
    }
    send.finish()?;
    let mut ack = [0u8; 8];
    recv.read_exact(&mut ack).await?;
    let elapsed = start.elapsed();
    conn.close(0u32.into(), b"done");
    let got = receiver.await??;
    if got != total || u64::from_be_bytes(ack) != total {
        return Err(format!("baseline transfer lost bytes: sent {total}, received {got}").into());
    }
    client.wait_idle().await;
    Ok(elapsed)
}
