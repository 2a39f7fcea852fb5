//! The transport against a loopback stand-in that speaks TLS 1.3 on TCP and
//! QUIC on UDP and answers `Ping` (nothing else): pinning, fallback,
//! reconnection and concurrency. Mailbox and blob behaviour are tested
//! end to end against the real relay in the `tests` crate.

use std::net::UdpSocket;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sanad_client::{Client, ClientError, ConnectOptions, TransportKind, TransportMode};
use sanad_protocol::frame::{Direction, FrameHeader};
use sanad_protocol::limits::FRAME_HEADER_LEN;
use sanad_protocol::{RelayAddress, Request, Response, SpkiPin, ALPN};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RELAY_TIME: u64 = 1_900_000_000;

struct StandIn {
    pin: SpkiPin,
    udp_port: u16,
    tcp_port: u16,
    tcp_connections: Arc<AtomicUsize>,
}

fn answer(frame: &[u8]) -> Vec<u8> {
    match Request::decode(frame) {
        Ok(Request::Ping) => Response::Pong {
            relay_time: RELAY_TIME,
        },
        _ => Response::error(sanad_protocol::ErrorCode::Malformed),
    }
    .encode()
}

fn tls_config() -> (Arc<rustls::ServerConfig>, SpkiPin) {
    let ck = rcgen::generate_simple_self_signed(vec!["relay.test".to_string()])
        .expect("rcgen makes a certificate");
    let pin = SpkiPin::of_spki(&ck.key_pair.public_key_der());
    let cert: CertificateDer<'static> = ck.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(ck.key_pair.serialize_der().into());
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .expect("TLS 1.3 is available")
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .expect("key matches certificate");
    cfg.alpn_protocols = vec![ALPN.to_vec()];
    (Arc::new(cfg), pin)
}

/// Starts the stand-in. With `close_tcp_after_one`, each TCP connection is
/// closed after one response.
async fn stand_in(quic: bool, tcp: bool, close_tcp_after_one: bool) -> StandIn {
    let (tls, pin) = tls_config();
    let tcp_connections = Arc::new(AtomicUsize::new(0));
    let mut udp_port = unused_udp_port();
    if quic {
        let crypto = quinn::crypto::rustls::QuicServerConfig::try_from(Arc::clone(&tls))
            .expect("QUIC server config");
        let cfg = quinn::ServerConfig::with_crypto(Arc::new(crypto));
        let endpoint =
            quinn::Endpoint::server(cfg, "127.0.0.1:0".parse().expect("addr")).expect("bind UDP");
        udp_port = endpoint.local_addr().expect("local addr").port();
        tokio::spawn(async move {
            while let Some(incoming) = endpoint.accept().await {
                tokio::spawn(async move {
                    let Ok(conn) = incoming.await else { return };
                    while let Ok((mut send, mut recv)) = conn.accept_bi().await {
                        tokio::spawn(async move {
                            let Ok(frame) = recv.read_to_end(4 << 20).await else {
                                return;
                            };
                            let _ = send.write_all(&answer(&frame)).await;
                            let _ = send.finish();
                            let _ = send.stopped().await;
                        });
                    }
                });
            }
        });
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind TCP");
    let tcp_port = listener.local_addr().expect("local addr").port();
    if tcp {
        let acceptor = tokio_rustls::TlsAcceptor::from(tls);
        let count = Arc::clone(&tcp_connections);
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut s) = acceptor.accept(sock).await else {
                        return;
                    };
                    loop {
                        let mut h = [0u8; FRAME_HEADER_LEN];
                        if s.read_exact(&mut h).await.is_err() {
                            return;
                        }
                        let Ok(header) = FrameHeader::decode(&h, Direction::Request) else {
                            return;
                        };
                        let mut frame = h.to_vec();
                        frame.resize(FRAME_HEADER_LEN + header.body_len as usize, 0);
                        if s.read_exact(&mut frame[FRAME_HEADER_LEN..]).await.is_err() {
                            return;
                        }
                        if s.write_all(&answer(&frame)).await.is_err() {
                            return;
                        }
                        let _ = s.flush().await;
                        if close_tcp_after_one {
                            let _ = s.shutdown().await;
                            return;
                        }
                    }
                });
            }
        });
    } else {
        drop(listener);
    }
    StandIn {
        pin,
        udp_port,
        tcp_port,
        tcp_connections,
    }
}

fn unused_udp_port() -> u16 {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind UDP");
    s.local_addr().expect("local addr").port()
}

fn address(s: &StandIn, pin: SpkiPin) -> RelayAddress {
    RelayAddress {
        host: "127.0.0.1".into(),
        port: s.udp_port,
        pin,
    }
}

fn options(s: &StandIn, mode: TransportMode) -> ConnectOptions {
    ConnectOptions {
        mode,
        tcp_port: Some(s.tcp_port),
        quic_handshake_timeout: Duration::from_millis(800),
        tcp_handshake_timeout: Duration::from_secs(2),
        ..ConnectOptions::default()
    }
}

#[tokio::test]
async fn quic_is_preferred_when_it_works() {
    let s = stand_in(true, true, false).await;
    let c = Client::connect(&address(&s, s.pin), options(&s, TransportMode::Auto))
        .await
        .expect("connects");
    assert_eq!(c.transport_kind(), TransportKind::Quic);
    assert_eq!(c.ping().await.expect("pong"), RELAY_TIME);
}

#[tokio::test]
async fn tcp_only_speaks_tls_over_tcp() {
    let s = stand_in(false, true, false).await;
    let c = Client::connect(&address(&s, s.pin), options(&s, TransportMode::TcpOnly))
        .await
        .expect("connects");
    assert_eq!(c.transport_kind(), TransportKind::Tcp);
    assert_eq!(c.ping().await.expect("pong"), RELAY_TIME);
}

#[tokio::test]
async fn auto_falls_back_to_tcp_when_udp_gets_no_answer() {
    let s = stand_in(false, true, false).await;
    let opts = ConnectOptions {
        quic_handshake_timeout: Duration::from_secs(10),
        ..options(&s, TransportMode::Auto)
    };
    let started = std::time::Instant::now();
    let c = Client::connect(&address(&s, s.pin), opts)
        .await
        .expect("connects");
    assert_eq!(c.transport_kind(), TransportKind::Tcp);
    // TCP started after the short delay and won; QUIC's timeout was not awaited.
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(c.ping().await.expect("pong"), RELAY_TIME);
}

#[tokio::test]
async fn a_wrong_key_is_a_pin_mismatch_on_every_transport() {
    let s = stand_in(true, true, false).await;
    for mode in [
        TransportMode::QuicOnly,
        TransportMode::TcpOnly,
        TransportMode::Auto,
    ] {
        let r = Client::connect(&address(&s, SpkiPin([7; 32])), options(&s, mode)).await;
        assert!(
            matches!(r, Err(ClientError::PinMismatch)),
            "{mode:?}: {r:?}"
        );
    }
}

#[tokio::test]
async fn nothing_listening_is_unreachable_and_says_what_was_tried() {
    let s = stand_in(false, false, false).await;
    match Client::connect(&address(&s, s.pin), options(&s, TransportMode::Auto)).await {
        Err(ClientError::Unreachable {
            quic: Some(_),
            tcp: Some(_),
        }) => {}
        other => panic!("expected unreachable on both, got {other:?}"),
    }
    match Client::connect(&address(&s, s.pin), options(&s, TransportMode::TcpOnly)).await {
        Err(ClientError::Unreachable {
            quic: None,
            tcp: Some(_),
        }) => {}
        other => panic!("expected unreachable on TCP only, got {other:?}"),
    }
}

#[tokio::test]
async fn a_closed_tcp_connection_is_replaced_by_the_next_request() {
    let s = stand_in(false, true, true).await;
    let c = Client::connect(&address(&s, s.pin), options(&s, TransportMode::TcpOnly))
        .await
        .expect("connects");
    for _ in 0..3 {
        assert_eq!(c.ping().await.expect("pong"), RELAY_TIME);
    }
    assert!(s.tcp_connections.load(Ordering::SeqCst) >= 2);
}

#[tokio::test]
async fn many_tasks_share_one_client_on_both_transports() {
    let s = stand_in(true, true, false).await;
    for mode in [TransportMode::QuicOnly, TransportMode::TcpOnly] {
        let c = Client::connect(&address(&s, s.pin), options(&s, mode))
            .await
            .expect("connects");
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..32 {
            let c = c.clone();
            tasks.spawn(async move { c.request(&Request::Ping).await });
        }
        while let Some(r) = tasks.join_next().await {
            assert_eq!(
                r.expect("task runs").expect("answered"),
                Response::Pong {
                    relay_time: RELAY_TIME
                }
            );
        }
    }
}

#[tokio::test]
async fn relay_errors_arrive_as_typed_relay_errors() {
    let s = stand_in(true, false, false).await;
    let c = Client::connect(&address(&s, s.pin), options(&s, TransportMode::QuicOnly))
        .await
        .expect("connects");
    let r = c
        .request(&Request::BlobStatus(sanad_protocol::request::BlobStatus {
            blob_id: sanad_protocol::BlobId([1; 32]),
        }))
        .await;
    assert!(matches!(
        r,
        Err(ClientError::Relay {
            code: sanad_protocol::ErrorCode::Malformed,
            ..
        })
    ));
}

#[tokio::test]
async fn ping_teaches_the_relay_clock_offset() {
    let s = stand_in(true, false, false).await;
    let c = Client::connect(&address(&s, s.pin), options(&s, TransportMode::QuicOnly))
        .await
        .expect("connects");
    c.ping().await.expect("pong");
    let local = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    assert!((local + c.relay_clock_offset() - RELAY_TIME as i64).abs() <= 2);
}

/// Compile-time check: every operation's future can be spawned on a
/// multi-threaded runtime (a desktop app drives transfers from tasks).
#[allow(dead_code)]
fn every_operation_future_is_send(
    c: &Client,
    owner: &sanad_client::MailboxOwner,
    upload: &sanad_client::BlobUpload,
    file: tokio::fs::File,
    out: &mut tokio::fs::File,
) {
    fn send<T: Send>(_: T) {}
    let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    let blob = upload.blob_id();
    let path = std::path::Path::new("x");
    let p = &sanad_client::NoProgress;
    send(c.ping());
    send(c.create_mailbox(&key));
    send(c.deposit(&owner.send_id(), vec![]));
    send(c.list(owner, 0, 1));
    send(c.fetch(owner, 0, 1));
    send(c.ack(owner, &[1]));
    send(c.create_blob(1));
    send(c.put_segment(upload, 0, vec![0]));
    send(c.blob_status(&blob));
    send(c.get_segment(&blob, 1, 0));
    send(c.upload_file(path, Some(upload), p));
    send(c.upload(file, 1, None, p));
    send(c.download_file(&blob, 1, path, p));
    send(c.download_to(&blob, 1, out, p));
    send(c.close());
}
