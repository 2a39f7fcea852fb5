//! One request and its response over a byte stream: the same code serves a
//! QUIC bidirectional stream and the TLS-over-TCP stream.
//!
//! Every read and write step is bounded by the stall timeout; the response
//! header is validated (version, direction, kind expected for the request,
//! size bound for that kind) before the body is allocated.

use std::time::Duration;

use bytes::Bytes;
use sanad_protocol::frame::kind;
use sanad_protocol::limits::FRAME_HEADER_LEN;
use sanad_protocol::{DecodeError, Direction, FrameHeader, Response};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::ClientError;
use crate::limits::{max_response_body, IO_CHUNK};

/// The response kind that answers a request of kind `request_kind` (besides
/// an error). Response kinds are request kinds with the high bit set.
pub(crate) fn expected_response(request_kind: u8) -> u8 {
    request_kind | 0x80
}

async fn step<T>(
    stall: Duration,
    fut: impl std::future::Future<Output = std::io::Result<T>>,
) -> Result<T, ClientError> {
    match tokio::time::timeout(stall, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(ClientError::transport("the relay closed the stream early"))
        }
        Ok(Err(e)) => Err(ClientError::transport(e)),
        Err(_) => Err(ClientError::transport(format!(
            "no progress for {} s",
            stall.as_secs()
        ))),
    }
}

/// Write a complete request frame, given as consecutive pieces.
pub(crate) async fn write_frame<W: AsyncWrite + Unpin>(
    w: &mut W,
    frame: &[Bytes],
    stall: Duration,
) -> Result<(), ClientError> {
    for piece in frame {
        for chunk in piece.chunks(IO_CHUNK) {
            step(stall, w.write_all(chunk)).await?;
        }
    }
    step(stall, w.flush()).await
}

/// Total length of a frame given as pieces.
pub(crate) fn frame_len(frame: &[Bytes]) -> usize {
    frame.iter().map(Bytes::len).sum()
}

/// Read one response to a request of kind `request_kind`.
pub(crate) async fn read_response<R: AsyncRead + Unpin>(
    r: &mut R,
    request_kind: u8,
    stall: Duration,
) -> Result<Response, ClientError> {
    let mut h = [0u8; FRAME_HEADER_LEN];
    step(stall, r.read_exact(&mut h)).await?;
    let header = FrameHeader::decode(&h, Direction::Response)?;
    let expected = expected_response(request_kind);
    if header.kind != expected && header.kind != kind::ERROR {
        return Err(ClientError::UnexpectedResponse {
            expected,
            got: header.kind,
        });
    }
    let len = header.body_len as usize;
    let max = max_response_body(header.kind);
    if len > max {
        return Err(DecodeError::TooLong {
            field: "response body",
            len: len as u64,
            max: max as u64,
        }
        .into());
    }
    // Exactly `len` bytes of capacity, filled by the reads (not zeroed first).
    let mut body = Vec::with_capacity(len);
    while body.len() < len {
        let want = (len - body.len()).min(IO_CHUNK) as u64;
        if step(stall, (&mut *r).take(want).read_buf(&mut body)).await? == 0 {
            return Err(ClientError::transport("the relay closed the stream early"));
        }
    }
    Ok(Response::decode_body(header.kind, &body)?)
}

/// Require that the stream ends right after the response (QUIC: one request
/// per stream, the relay finishes its side).
pub(crate) async fn expect_end<R: AsyncRead + Unpin>(
    r: &mut R,
    stall: Duration,
) -> Result<(), ClientError> {
    let mut extra = [0u8; 1];
    match step(stall, r.read(&mut extra)).await? {
        0 => Ok(()),
        n => Err(DecodeError::TrailingBytes(n).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_protocol::limits::{MAX_FRAME_BODY, SEGMENT_SIZE};
    use sanad_protocol::{ErrorCode, SegmentHash};

    const STALL: Duration = Duration::from_secs(5);

    #[test]
    fn every_request_kind_expects_a_known_response_kind() {
        for k in kind::REQUESTS {
            assert!(kind::RESPONSES.contains(&expected_response(k)));
        }
    }

    #[tokio::test]
    async fn a_matching_response_decodes() {
        let frame = Response::Pong { relay_time: 42 }.encode();
        let got = read_response(&mut &frame[..], kind::PING, STALL).await;
        assert_eq!(got.ok(), Some(Response::Pong { relay_time: 42 }));
    }

    #[tokio::test]
    async fn an_error_response_is_accepted_for_any_request() {
        let frame = Response::error(ErrorCode::UnknownBlob).encode();
        let got = read_response(&mut &frame[..], kind::BLOB_GET, STALL).await;
        assert_eq!(got.ok(), Some(Response::error(ErrorCode::UnknownBlob)));
    }

    #[tokio::test]
    async fn a_response_of_another_kind_is_refused_before_its_body() {
        let frame = Response::Deposited { seq: 1 }.encode();
        let got = read_response(&mut &frame[..6], kind::PING, STALL).await;
        assert!(matches!(
            got,
            Err(ClientError::UnexpectedResponse {
                expected: kind::PONG,
                got: kind::DEPOSITED
            })
        ));
    }

    #[tokio::test]
    async fn an_oversized_segment_header_is_refused_before_allocation() {
        // Within the frame limit, but more than one segment can need.
        let header = FrameHeader::encode(kind::SEGMENT, MAX_FRAME_BODY);
        let got = read_response(&mut &header[..], kind::BLOB_GET, STALL).await;
        assert!(matches!(
            got,
            Err(ClientError::Protocol(DecodeError::TooLong { .. }))
        ));
    }

    #[tokio::test]
    async fn a_full_segment_response_is_within_bounds() {
        let data = vec![3u8; SEGMENT_SIZE];
        let frame = Response::Segment {
            index: 0,
            hash: SegmentHash::of(&data),
            data,
        }
        .encode();
        let got = read_response(&mut &frame[..], kind::BLOB_GET, STALL).await;
        assert!(matches!(got, Ok(Response::Segment { index: 0, .. })));
    }

    #[tokio::test]
    async fn a_truncated_body_is_a_transport_failure() {
        let frame = Response::Pong { relay_time: 42 }.encode();
        let got = read_response(&mut &frame[..frame.len() - 1], kind::PING, STALL).await;
        assert!(matches!(got, Err(ClientError::Transport { .. })));
    }

    #[tokio::test]
    async fn bytes_after_the_response_are_refused() {
        assert!(expect_end(&mut &[][..], STALL).await.is_ok());
        assert!(matches!(
            expect_end(&mut &[1u8][..], STALL).await,
            Err(ClientError::Protocol(DecodeError::TrailingBytes(1)))
        ));
    }

    #[tokio::test]
    async fn a_silent_relay_stalls_out() {
        let (mut a, _b) = tokio::io::duplex(16);
        let got = read_response(&mut a, kind::PING, Duration::from_millis(50)).await;
        assert!(matches!(got, Err(ClientError::Transport { .. })));
    }
}
