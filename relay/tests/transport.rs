//! The relay's transports over real sockets on 127.0.0.1: QUIC with a raw
//! quinn client and TLS over TCP with a raw tokio-rustls client, both
//! trusting the relay only through its pin.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sanad_protocol::frame::kind;
use sanad_protocol::limits::{MAX_FRAME_BODY, MAX_SMALL_REQUEST_BODY};
use sanad_protocol::request::Deposit;
use sanad_protocol::{
    DepositKey, ErrorCode, FrameHeader, Request, Response, SendId, SpkiPin, ALPN,
};
use sanad_relay::config::TcpListen;
use sanad_relay::keys;
use sanad_relay::server::{self, RelayOptions, RunningRelay, ServerError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WAIT: Duration = Duration::from_secs(10);

/// Accepts exactly the certificate whose SPKI hashes to the pin.
#[derive(Debug)]
struct PinVerifier {
    pin: SpkiPin,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let cert = webpki::EndEntityCert::try_from(end_entity)
            .map_err(|_| rustls::Error::General("bad certificate".into()))?;
        if SpkiPin::of_spki(cert.subject_public_key_info().as_ref()).ct_eq(&self.pin) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("pin mismatch".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("TLS 1.2 is not used".into()))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

fn tls_client(pin: SpkiPin, alpn: &[u8]) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = PinVerifier {
        pin,
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("TLS 1.3")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![alpn.to_vec()];
    config
}

async fn relay() -> (tempfile::TempDir, RunningRelay) {
    let dir = tempfile::tempdir().expect("temp dir");
    keys::init(dir.path(), "127.0.0.1", 7443).expect("init");
    let relay = server::start(RelayOptions::loopback(dir.path()))
        .await
        .expect("relay starts");
    (dir, relay)
}

async fn quic_connect(relay: &RunningRelay) -> quinn::Connection {
    let mut endpoint =
        quinn::Endpoint::client(SocketAddr::from(([127, 0, 0, 1], 0))).expect("client endpoint");
    let tls = tls_client(relay.address().pin, ALPN);
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(tls).expect("QUIC TLS");
    endpoint.set_default_client_config(quinn::ClientConfig::new(Arc::new(crypto)));
    tokio::time::timeout(
        WAIT,
        endpoint
            .connect(relay.quic_addr(), "sanad-relay")
            .expect("connect"),
    )
    .await
    .expect("handshake in time")
    .expect("handshake")
}

/// Send raw bytes on a new stream, finish it, read the whole answer.
async fn quic_raw(conn: &quinn::Connection, bytes: &[u8]) -> Vec<u8> {
    tokio::time::timeout(WAIT, async {
        let (mut send, mut recv) = conn.open_bi().await.expect("open stream");
        send.write_all(bytes).await.expect("write");
        send.finish().expect("finish");
        recv.read_to_end(MAX_FRAME_BODY + 6).await.expect("read")
    })
    .await
    .expect("answer in time")
}

fn error_code(frame: &[u8]) -> ErrorCode {
    match Response::decode(frame).expect("one response frame") {
        Response::Error { code, .. } => code,
        other => panic!("expected an error frame, got {other:?}"),
    }
}

fn assert_pong(frame: &[u8]) {
    match Response::decode(frame).expect("one response frame") {
        Response::Pong { relay_time } => assert!(relay_time > 1_600_000_000),
        other => panic!("expected Pong, got {other:?}"),
    }
}

#[tokio::test]
async fn quic_ping_gets_pong() {
    let (_dir, relay) = relay().await;
    let conn = quic_connect(&relay).await;
    assert_pong(&quic_raw(&conn, &Request::Ping.encode()).await);
    relay.shutdown().await;
}

#[tokio::test]
async fn quic_bad_frames_get_error_frames_and_the_connection_stays_usable() {
    let (_dir, relay) = relay().await;
    let conn = quic_connect(&relay).await;
    let mut trailing = Request::Ping.encode();
    trailing.push(0);
    let mut short_body = FrameHeader::encode(kind::DEPOSIT, 10).to_vec();
    short_body.extend_from_slice(&[0; 4]);
    let mut bad_body = FrameHeader::encode(kind::DEPOSIT, 3).to_vec();
    bad_body.extend_from_slice(&[1, 2, 3]);
    let cases: Vec<(Vec<u8>, ErrorCode)> = vec![
        (
            vec![9, kind::PING, 0, 0, 0, 0],
            ErrorCode::UnsupportedVersion,
        ),
        (vec![1, 0x55, 0, 0, 0, 0], ErrorCode::UnknownKind),
        (vec![1, kind::PONG, 0, 0, 0, 0], ErrorCode::Malformed),
        (
            FrameHeader::encode(kind::DEPOSIT, MAX_SMALL_REQUEST_BODY + 1).to_vec(),
            ErrorCode::FrameTooLarge,
        ),
        (vec![1, kind::PING, 0], ErrorCode::Malformed),
        (vec![], ErrorCode::Malformed),
        (trailing, ErrorCode::Malformed),
        (short_body, ErrorCode::Malformed),
        (bad_body, ErrorCode::Malformed),
    ];
    for (bytes, code) in cases {
        assert_eq!(
            error_code(&quic_raw(&conn, &bytes).await),
            code,
            "{bytes:?}"
        );
        assert_pong(&quic_raw(&conn, &Request::Ping.encode()).await);
    }
    relay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn quic_requests_run_in_parallel_on_one_connection() {
    let (_dir, relay) = relay().await;
    let conn = quic_connect(&relay).await;
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let conn = conn.clone();
            tokio::spawn(async move { quic_raw(&conn, &Request::Ping.encode()).await })
        })
        .collect();
    for t in tasks {
        assert_pong(&t.await.expect("task"));
    }
    relay.shutdown().await;
}

#[tokio::test]
async fn quic_client_without_the_sanad_alpn_is_refused() {
    let (_dir, relay) = relay().await;
    let mut endpoint =
        quinn::Endpoint::client(SocketAddr::from(([127, 0, 0, 1], 0))).expect("client endpoint");
    let tls = tls_client(relay.address().pin, b"h3");
    let crypto = quinn::crypto::rustls::QuicClientConfig::try_from(tls).expect("QUIC TLS");
    endpoint.set_default_client_config(quinn::ClientConfig::new(Arc::new(crypto)));
    let result = tokio::time::timeout(
        WAIT,
        endpoint
            .connect(relay.quic_addr(), "sanad-relay")
            .expect("connect"),
    )
    .await
    .expect("answer in time");
    assert!(result.is_err(), "a connection without sanad/1 must fail");
    relay.shutdown().await;
}

type TlsStream = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

async fn tcp_connect_with(relay: &RunningRelay, alpn: &[u8]) -> std::io::Result<TlsStream> {
    let connector =
        tokio_rustls::TlsConnector::from(Arc::new(tls_client(relay.address().pin, alpn)));
    let tcp = tokio::net::TcpStream::connect(relay.tcp_addr().expect("TCP enabled")).await?;
    let name = ServerName::try_from("sanad-relay").expect("name");
    tokio::time::timeout(WAIT, connector.connect(name, tcp))
        .await
        .expect("handshake in time")
}

async fn tcp_connect(relay: &RunningRelay) -> TlsStream {
    tcp_connect_with(relay, ALPN).await.expect("TLS handshake")
}

/// Write raw bytes, read one response frame.
async fn tcp_exchange(stream: &mut TlsStream, bytes: &[u8]) -> Vec<u8> {
    tokio::time::timeout(WAIT, async {
        stream.write_all(bytes).await.expect("write");
        stream.flush().await.expect("flush");
        let mut header = [0u8; 6];
        stream.read_exact(&mut header).await.expect("header");
        let h = FrameHeader::decode(&header, sanad_protocol::Direction::Response).expect("valid");
        let mut frame = header.to_vec();
        frame.resize(6 + h.body_len as usize, 0);
        stream.read_exact(&mut frame[6..]).await.expect("body");
        frame
    })
    .await
    .expect("answer in time")
}

async fn assert_closed(stream: &mut TlsStream) {
    let mut buf = [0u8; 1];
    let n = tokio::time::timeout(WAIT, stream.read(&mut buf))
        .await
        .expect("closed in time")
        .unwrap_or(0);
    assert_eq!(n, 0, "the relay must close the connection");
}

#[tokio::test]
async fn tcp_ping_gets_pong_and_requests_follow_each_other_on_one_connection() {
    let (_dir, relay) = relay().await;
    assert_eq!(
        relay.tcp_addr().map(|a| a.port()),
        Some(relay.quic_addr().port())
    );
    let mut stream = tcp_connect(&relay).await;
    for _ in 0..3 {
        assert_pong(&tcp_exchange(&mut stream, &Request::Ping.encode()).await);
    }
    relay.shutdown().await;
}

#[tokio::test]
async fn tcp_bad_body_gets_malformed_and_the_connection_stays_usable() {
    let (_dir, relay) = relay().await;
    let mut stream = tcp_connect(&relay).await;
    let mut bad_body = FrameHeader::encode(kind::DEPOSIT, 3).to_vec();
    bad_body.extend_from_slice(&[1, 2, 3]);
    assert_eq!(
        error_code(&tcp_exchange(&mut stream, &bad_body).await),
        ErrorCode::Malformed
    );
    assert_pong(&tcp_exchange(&mut stream, &Request::Ping.encode()).await);
    relay.shutdown().await;
}

#[tokio::test]
async fn tcp_bad_header_gets_its_error_frame_then_the_connection_closes() {
    let (_dir, relay) = relay().await;
    for (bytes, code) in [
        (
            vec![9u8, kind::PING, 0, 0, 0, 0],
            ErrorCode::UnsupportedVersion,
        ),
        (vec![1, 0x55, 0, 0, 0, 0], ErrorCode::UnknownKind),
        (
            FrameHeader::encode(kind::BLOB_PUT, MAX_FRAME_BODY + 1).to_vec(),
            ErrorCode::FrameTooLarge,
        ),
    ] {
        let mut stream = tcp_connect(&relay).await;
        assert_eq!(error_code(&tcp_exchange(&mut stream, &bytes).await), code);
        assert_closed(&mut stream).await;
    }
    relay.shutdown().await;
}

#[tokio::test]
async fn tcp_client_without_the_sanad_alpn_is_refused() {
    let (_dir, relay) = relay().await;
    match tcp_connect_with(&relay, b"http/1.1").await {
        Err(_) => {}
        Ok(mut stream) => {
            // rustls may finish the handshake before the alert arrives.
            let _ = stream.write_all(&Request::Ping.encode()).await;
            assert_closed(&mut stream).await;
        }
    }
    relay.shutdown().await;
}

#[tokio::test]
async fn address_carries_the_bound_port_and_the_pin() {
    let (dir, relay) = relay().await;
    let a = relay.address();
    assert_eq!(a.host, "127.0.0.1");
    assert_eq!(a.port, relay.quic_addr().port());
    assert_eq!(a.pin, keys::load(dir.path()).expect("keys").pin());
    relay.shutdown().await;
}

#[tokio::test]
async fn tcp_can_be_turned_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    keys::init(dir.path(), "127.0.0.1", 7443).expect("init");
    let mut opts = RelayOptions::loopback(dir.path());
    opts.tcp_listen = TcpListen::Off;
    let relay = server::start(opts).await.expect("starts");
    assert_eq!(relay.tcp_addr(), None);
    relay.shutdown().await;
}

#[tokio::test]
async fn starting_without_keys_says_to_run_init() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = server::start(RelayOptions::loopback(dir.path()))
        .await
        .expect_err("no keys");
    assert!(matches!(
        err,
        ServerError::Keys(keys::KeyError::NotInitialised { .. })
    ));
    assert!(err.to_string().contains("sanad-relay init"));
}

#[tokio::test]
async fn shutdown_finishes_a_request_whose_body_is_still_arriving() {
    let (dir, relay) = relay().await;
    let conn = quic_connect(&relay).await;
    let mut tcp = tcp_connect(&relay).await;
    assert_pong(&tcp_exchange(&mut tcp, &Request::Ping.encode()).await);
    let deposit = Request::Deposit(Deposit {
        send_id: SendId([7; 16]),
        key: DepositKey([8; 16]),
        body: vec![9; 1000],
    })
    .encode();
    let (mut send, mut recv) = conn.open_bi().await.expect("open");
    send.write_all(&deposit[..500]).await.expect("first half");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopping = tokio::spawn(relay.shutdown());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!stopping.is_finished(), "shutdown waits for the request");
    send.write_all(&deposit[500..]).await.expect("second half");
    send.finish().expect("finish");
    let answer = tokio::time::timeout(WAIT, recv.read_to_end(1024))
        .await
        .expect("answer in time")
        .expect("answer");
    // The service answered (no such mailbox): the request was served, not cut off.
    assert_eq!(error_code(&answer), ErrorCode::UnknownMailbox);
    tokio::time::timeout(Duration::from_secs(40), stopping)
        .await
        .expect("shutdown in time")
        .expect("shutdown task");
    // Idle connections are closed, and new streams are not served.
    assert_closed(&mut tcp).await;
    let reason = tokio::time::timeout(WAIT, conn.closed())
        .await
        .expect("QUIC connection closed by the relay");
    assert!(
        matches!(reason, quinn::ConnectionError::ApplicationClosed(_)),
        "{reason:?}"
    );
    // The storage was closed cleanly and opens again.
    let again = server::start(RelayOptions::loopback(dir.path()))
        .await
        .expect("restart");
    let conn = quic_connect(&again).await;
    assert_pong(&quic_raw(&conn, &Request::Ping.encode()).await);
    again.shutdown().await;
}
