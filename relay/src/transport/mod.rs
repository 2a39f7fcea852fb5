//! The two transports, QUIC ([`quic`]) and TLS 1.3 over TCP ([`tcp`]), and
//! what they share: the TLS configuration, the connection cap, the memory
//! budget for request bodies, and [`serve_request`], which reads one request
//! frame from any byte stream and writes its answer.
//!
//! Order of checks for every request: the six-byte header is decoded and
//! validated (version, kind, length for that kind) before anything is
//! allocated; then the body's length is taken from the global budget of
//! [`MAX_INFLIGHT_REQUEST_BYTES`]; then exactly that many bytes are read
//! ([`body`]: into a buffer of that length, never zeroed or copied; a
//! segment upload hashed as it arrives). A bad frame gets an `Error` frame
//! with its code.
//!
//! Nothing here logs addresses, identifiers or content: events are logged by
//! kind only, at debug level.

mod body;
pub(crate) mod quic;
pub(crate) mod tcp;

use std::io;
use std::sync::Arc;

use sanad_protocol::limits::{FRAME_HEADER_LEN, MAX_FRAME_BODY};
use sanad_protocol::{DecodeError, Direction, ErrorCode, FrameHeader, Request, Response, ALPN};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Semaphore;
use tokio::time::{timeout_at, Instant};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use self::body::Body;
use crate::keys::RelayKeys;
use crate::limits::{
    MAX_CONNECTIONS, MAX_INFLIGHT_REQUEST_BYTES, MIN_TRANSFER_RATE, REQUEST_READ_TIMEOUT,
};
use crate::service::Service;

// A request body always fits in the budget, so waiting for budget ends.
const _: () = assert!(MAX_FRAME_BODY <= MAX_INFLIGHT_REQUEST_BYTES);
const _: () = assert!(MAX_INFLIGHT_REQUEST_BYTES <= u32::MAX as usize);

/// State shared by every listener, connection and request.
pub(crate) struct Shared {
    /// The request handler.
    pub(crate) service: Arc<Service>,
    /// Bytes of request bodies that may be held at once.
    request_budget: Semaphore,
    /// Open connections, QUIC and TCP together.
    pub(crate) connections: Arc<Semaphore>,
    /// Set when the relay begins to shut down.
    pub(crate) cancel: CancellationToken,
    /// Every connection and request task, so shutdown can wait for them.
    pub(crate) tracker: TaskTracker,
}

impl Shared {
    pub(crate) fn new(service: Arc<Service>) -> Arc<Shared> {
        Arc::new(Shared {
            service,
            request_budget: Semaphore::new(MAX_INFLIGHT_REQUEST_BYTES),
            connections: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            cancel: CancellationToken::new(),
            tracker: TaskTracker::new(),
        })
    }
}

/// The TLS configuration both transports serve: ring provider, TLS 1.3 only,
/// ALPN `sanad/1`, no client authentication, the relay's pinned key. Session
/// resumption is off, so no ticket or session ID links a client's
/// connections to each other; 0-RTT is off.
pub(crate) fn tls_config(keys: &RelayKeys) -> Result<rustls::ServerConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(
            keys.certified_key(),
        )));
    config.alpn_protocols = vec![ALPN.to_vec()];
    config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    config.send_tls13_tickets = 0;
    config.max_early_data_size = 0;
    Ok(config)
}

/// How requests are delimited on the byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// QUIC: one request per stream; the client finishes its side after it.
    OnePerStream,
    /// TCP: requests follow one another on the one stream.
    Sequential,
}

/// State of the byte stream after a request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Served {
    /// The request was read in full and answered (possibly with an error):
    /// the next byte, if any, starts a new frame.
    InSync,
    /// An error frame was written for a frame whose end cannot be found (bad
    /// header, truncated, trailing bytes): nothing more can be read.
    OutOfSync,
}

/// Result of waiting for a frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderRead {
    /// Six bytes arrived.
    Complete([u8; FRAME_HEADER_LEN]),
    /// The stream ended before its first byte.
    Ended,
    /// The stream ended inside the header.
    Truncated,
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "request deadline passed")
}

/// Read until `buf` is full or the stream ends; returns the bytes read.
async fn read_full<R: AsyncRead + Unpin>(
    r: &mut R,
    buf: &mut [u8],
    deadline: Instant,
) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let stall = Instant::now() + REQUEST_READ_TIMEOUT;
        let n = timeout_at(deadline.min(stall), r.read(&mut buf[filled..]))
            .await
            .map_err(|_| timed_out())??;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

/// Wait for a frame header until `deadline`.
pub(crate) async fn read_header<R: AsyncRead + Unpin>(
    r: &mut R,
    deadline: Instant,
) -> io::Result<HeaderRead> {
    let mut header = [0u8; FRAME_HEADER_LEN];
    Ok(match read_full(r, &mut header, deadline).await? {
        0 => HeaderRead::Ended,
        FRAME_HEADER_LEN => HeaderRead::Complete(header),
        _ => HeaderRead::Truncated,
    })
}

/// Write a complete frame and flush it.
pub(crate) async fn write_frame<W: AsyncWrite + Unpin>(
    w: &mut W,
    frame: &[u8],
    deadline: Instant,
) -> io::Result<()> {
    timeout_at(deadline, async {
        w.write_all(frame).await?;
        w.flush().await
    })
    .await
    .map_err(|_| timed_out())?
}

/// Write an `Error` frame.
pub(crate) async fn write_error<W: AsyncWrite + Unpin>(
    w: &mut W,
    code: ErrorCode,
    value: u64,
    deadline: Instant,
) -> io::Result<()> {
    tracing::debug!(code = code.name(), "request refused");
    write_frame(w, &Response::Error { code, value }.encode(), deadline).await
}

/// The wire code for a header that failed validation (`docs/protocol.md`
/// §10: `frame_too_large` for the header's body length, value 0).
fn header_error(e: &DecodeError) -> ErrorCode {
    match e {
        DecodeError::TooLong { .. } => ErrorCode::FrameTooLarge,
        other => ErrorCode::from(other),
    }
}

/// Serve one request whose header has arrived: validate it, take its body's
/// size from the memory budget, read exactly the body (and, for
/// [`Framing::OnePerStream`], check that the stream ends right after it),
/// decode, call the service, write the response. Every read and write must
/// finish by `deadline`. An `Err` means the stream failed or stalled and
/// nothing more should be written to it.
pub(crate) async fn serve_request<R, W>(
    r: &mut R,
    w: &mut W,
    header: [u8; FRAME_HEADER_LEN],
    framing: Framing,
    deadline: Instant,
    shared: &Shared,
) -> io::Result<Served>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let header = match FrameHeader::decode(&header, Direction::Request) {
        Ok(h) => h,
        Err(e) => {
            write_error(w, header_error(&e), 0, deadline).await?;
            return Ok(Served::OutOfSync);
        }
    };
    // Validated against the limit for its kind, which is at most MAX_FRAME_BODY.
    let len = header.body_len as usize;
    // Slow links get time in proportion to the bytes they carry.
    let deadline = deadline.max(transfer_deadline(len));
    let permit = timeout_at(
        deadline,
        shared.request_budget.acquire_many(header.body_len),
    )
    .await
    .map_err(|_| timed_out())?
    .map_err(|_| io::Error::other("request budget closed"))?;

    let Some(body) = body::read_body(r, header.kind, len, deadline).await? else {
        write_error(w, ErrorCode::Malformed, 0, deadline).await?;
        return Ok(Served::OutOfSync);
    };
    if framing == Framing::OnePerStream {
        let mut extra = [0u8; 1];
        if read_full(r, &mut extra, deadline).await? != 0 {
            write_error(w, ErrorCode::Malformed, 0, deadline).await?;
            return Ok(Served::OutOfSync);
        }
    }
    let response = match body {
        Body::Segment(put) => shared.service.put_segment(put).await,
        Body::Plain(body) => {
            let request = Request::decode_body(header.kind, &body);
            drop(body);
            match request {
                Ok(req) => shared.service.handle(req).await,
                Err(e) => {
                    tracing::debug!(code = ErrorCode::from(&e).name(), "request refused");
                    Response::error(ErrorCode::from(&e))
                }
            }
        }
    };
    let frame = response.encode();
    write_frame(w, &frame, transfer_deadline(frame.len())).await?;
    drop(permit);
    Ok(Served::InSync)
}

/// When a transfer of `len` bytes starting now must be done: the stall
/// allowance plus the time `len` takes at [`MIN_TRANSFER_RATE`].
fn transfer_deadline(len: usize) -> Instant {
    Instant::now()
        + REQUEST_READ_TIMEOUT
        + std::time::Duration::from_secs(len as u64 / MIN_TRANSFER_RATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_links_get_time_in_proportion_to_the_bytes_they_carry() {
        let segment = sanad_protocol::limits::SEGMENT_SIZE + 200;
        let allowed = transfer_deadline(segment) - Instant::now();
        // A 1 MiB segment at GPRS-class 5 KiB/s takes about 205 s; the
        // allowance is the stall time plus 1 KiB/s.
        assert!(allowed >= std::time::Duration::from_secs(60 + 1023));
        let small = transfer_deadline(100) - Instant::now();
        assert!(small <= REQUEST_READ_TIMEOUT + std::time::Duration::from_secs(1));
    }
    use sanad_protocol::frame::kind;

    async fn shared() -> (tempfile::TempDir, Arc<Shared>) {
        let d = tempfile::tempdir().expect("temp dir");
        let service = Service::open(d.path(), crate::limits::Quotas::default()).expect("open");
        (d, Shared::new(Arc::new(service)))
    }

    /// Feed `input` as one QUIC-style stream; return what the relay wrote.
    async fn exchange(input: &[u8], framing: Framing) -> (io::Result<Served>, Vec<u8>) {
        let (_d, shared) = shared().await;
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        let mut r = input;
        let mut out = Vec::new();
        let result = match read_header(&mut r, deadline).await.expect("header") {
            HeaderRead::Complete(h) => {
                serve_request(&mut r, &mut out, h, framing, deadline, &shared).await
            }
            other => panic!("unexpected {other:?}"),
        };
        (result, out)
    }

    fn error_of(frame: &[u8]) -> (ErrorCode, u64) {
        match Response::decode(frame).expect("one response frame") {
            Response::Error { code, value } => (code, value),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn each_bad_header_gets_its_error_code() {
        let too_long = FrameHeader::encode(
            kind::PING,
            sanad_protocol::limits::MAX_SMALL_REQUEST_BODY + 1,
        );
        let cases: [([u8; 6], ErrorCode); 4] = [
            ([9, kind::PING, 0, 0, 0, 0], ErrorCode::UnsupportedVersion),
            ([1, 0x55, 0, 0, 0, 0], ErrorCode::UnknownKind),
            ([1, kind::PONG, 0, 0, 0, 0], ErrorCode::Malformed),
            (too_long, ErrorCode::FrameTooLarge),
        ];
        for (header, code) in cases {
            let (res, out) = exchange(&header, Framing::OnePerStream).await;
            assert_eq!(res.expect("served"), Served::OutOfSync);
            assert_eq!(error_of(&out).0, code, "{header:?}");
        }
        let (_, out) = exchange(&too_long, Framing::Sequential).await;
        assert_eq!(error_of(&out), (ErrorCode::FrameTooLarge, 0));
    }

    #[tokio::test]
    async fn a_truncated_body_or_trailing_bytes_are_malformed() {
        let mut truncated = FrameHeader::encode(kind::DEPOSIT, 100).to_vec();
        truncated.extend_from_slice(&[0; 10]);
        let (res, out) = exchange(&truncated, Framing::OnePerStream).await;
        assert_eq!(res.expect("served"), Served::OutOfSync);
        assert_eq!(error_of(&out).0, ErrorCode::Malformed);

        let mut trailing = Request::Ping.encode();
        trailing.push(0);
        let (res, out) = exchange(&trailing, Framing::OnePerStream).await;
        assert_eq!(res.expect("served"), Served::OutOfSync);
        assert_eq!(error_of(&out).0, ErrorCode::Malformed);
    }

    #[tokio::test]
    async fn a_bad_body_is_malformed_but_keeps_the_stream_in_sync() {
        let mut frame = FrameHeader::encode(kind::DEPOSIT, 3).to_vec();
        frame.extend_from_slice(&[1, 2, 3]);
        let (res, out) = exchange(&frame, Framing::Sequential).await;
        assert_eq!(res.expect("served"), Served::InSync);
        assert_eq!(error_of(&out).0, ErrorCode::Malformed);
    }

    #[tokio::test]
    async fn a_ping_is_answered_with_pong() {
        let (res, out) = exchange(&Request::Ping.encode(), Framing::OnePerStream).await;
        assert_eq!(res.expect("served"), Served::InSync);
        assert!(matches!(
            Response::decode(&out).expect("frame"),
            Response::Pong { .. }
        ));
    }

    // Virtual time: the stall allowance is a minute, which the test skips.
    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_without_an_answer() {
        let (_d, shared) = shared().await;
        let (mut client, server) = tokio::io::duplex(64);
        let (mut r, mut w) = tokio::io::split(server);
        client
            .write_all(&FrameHeader::encode(kind::DEPOSIT, 100))
            .await
            .expect("write");
        let deadline = Instant::now() + std::time::Duration::from_millis(100);
        let HeaderRead::Complete(h) = read_header(&mut r, deadline).await.expect("header") else {
            panic!("header expected");
        };
        let res = serve_request(&mut r, &mut w, h, Framing::Sequential, deadline, &shared).await;
        assert_eq!(res.expect_err("stall").kind(), io::ErrorKind::TimedOut);
    }
}
