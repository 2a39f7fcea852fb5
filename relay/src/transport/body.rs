//! Reading a request body off a stream into memory that is neither zeroed
//! before the read nor copied after it.
//!
//! Every body goes into one buffer of exactly its length (allocated without
//! initialising, filled by the stream's reads). A segment upload (`BlobPut`)
//! takes a faster path: its fixed head is read and checked first, then the
//! segment's bytes are read into a page-aligned buffer (so the store can
//! write them to disk without the page cache), hashed piece by piece as they
//! arrive (no second pass, nothing left to hash after the last byte) and
//! handed to the service as they lie in the buffer ([`SegmentPut`]), instead
//! of being decoded into a copy.
//!
//! A `BlobPut` whose head does not pass the checks is read in full like any
//! other body and decoded by `sanad_protocol`, so that it gets exactly the
//! error code the decoder gives.
//!
//! The head's layout is `sanad_protocol`'s (`docs/protocol.md`, `BlobPut`):
//! blob ID (32) ‖ upload token (32) ‖ index (u32) ‖ hash (32) ‖ segment
//! length (u32) ‖ segment. A test pins [`segment_head`] to the protocol
//! crate's decoder. (The protocol crate would be the natural home of a
//! head-only decoder; until it has one, this is the relay's.)

use std::io;

use bytes::BytesMut;
use sanad_protocol::limits::{MAX_SEGMENTS, SEGMENT_SIZE};
use sanad_protocol::{BlobId, SegmentHash, UploadToken};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::{timeout_at, Instant};

use super::{read_full, timed_out};
use crate::limits::REQUEST_READ_TIMEOUT;
use crate::service::SegmentPut;
use crate::store::SegmentHasher;

/// Bytes of a `BlobPut` body before the segment.
pub(crate) const SEGMENT_HEAD_LEN: usize = 32 + 32 + 4 + 32 + 4;

/// A request body read off the stream in full.
pub(crate) enum Body {
    /// A segment upload, every byte hashed.
    Segment(SegmentPut),
    /// Any other body (for the protocol decoder).
    Plain(BytesMut),
}

/// The fields of a `BlobPut` head, if it is valid for a body of
/// `SEGMENT_HEAD_LEN + data_len` bytes: index below the maximum, declared
/// segment length equal to the bytes that follow, 1 ..= `SEGMENT_SIZE`.
pub(crate) fn segment_head(
    head: &[u8; SEGMENT_HEAD_LEN],
    data_len: usize,
) -> Option<(BlobId, UploadToken, u32, SegmentHash)> {
    let bytes32 = |at: usize| -> Option<[u8; 32]> { head.get(at..at + 32)?.try_into().ok() };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(head.get(at..at + 4)?.try_into().ok()?))
    };
    let index = u32_at(64)?;
    let declared = u32_at(100)? as usize;
    if index >= MAX_SEGMENTS || declared != data_len || !(1..=SEGMENT_SIZE).contains(&data_len) {
        return None;
    }
    Some((
        BlobId(bytes32(0)?),
        UploadToken(bytes32(32)?),
        index,
        SegmentHash(bytes32(68)?),
    ))
}

/// Read one read's worth (at most `limit` bytes) into the spare capacity
/// of `buf`, bounded by the stall timeout and `deadline`. Returns the bytes
/// read; 0 at the end of the stream.
async fn read_some<R: AsyncRead + Unpin>(
    r: &mut R,
    buf: &mut BytesMut,
    limit: usize,
    deadline: Instant,
) -> io::Result<usize> {
    let stall = Instant::now() + REQUEST_READ_TIMEOUT;
    timeout_at(
        deadline.min(stall),
        (&mut *r).take(limit as u64).read_buf(buf),
    )
    .await
    .map_err(|_| timed_out())?
}

/// Read `len` more bytes into `buf` (which has room for them). Returns
/// whether they all arrived before the stream ended.
async fn read_exact_into<R: AsyncRead + Unpin>(
    r: &mut R,
    buf: &mut BytesMut,
    len: usize,
    deadline: Instant,
) -> io::Result<bool> {
    let mut left = len;
    while left > 0 {
        match read_some(r, buf, left, deadline).await? {
            0 => return Ok(false),
            n => left -= n,
        }
    }
    Ok(true)
}

/// Read a body of `len` bytes of a request of kind `kind` (header already
/// validated), by `deadline`. `None` when the stream ended before the body.
pub(crate) async fn read_body<R: AsyncRead + Unpin>(
    r: &mut R,
    kind: u8,
    len: usize,
    deadline: Instant,
) -> io::Result<Option<Body>> {
    if kind != sanad_protocol::frame::kind::BLOB_PUT || len <= SEGMENT_HEAD_LEN {
        let mut buf = BytesMut::with_capacity(len);
        let whole = read_exact_into(r, &mut buf, len, deadline).await?;
        return Ok(whole.then_some(Body::Plain(buf)));
    }
    let mut head = [0u8; SEGMENT_HEAD_LEN];
    if read_full(r, &mut head, deadline).await? < SEGMENT_HEAD_LEN {
        return Ok(None);
    }
    let data_len = len - SEGMENT_HEAD_LEN;
    let Some((blob_id, token, index, hash)) = segment_head(&head, data_len) else {
        // Read it all and let the protocol decoder name the fault.
        let mut buf = BytesMut::with_capacity(len);
        buf.extend_from_slice(&head);
        let whole = read_exact_into(r, &mut buf, data_len, deadline).await?;
        return Ok(whole.then_some(Body::Plain(buf)));
    };
    let mut data = SegmentHasher::with_len(data_len);
    while !data.is_complete() {
        let stall = Instant::now() + REQUEST_READ_TIMEOUT;
        let n = timeout_at(deadline.min(stall), r.read(data.unfilled()))
            .await
            .map_err(|_| timed_out())??;
        if n == 0 {
            return Ok(None);
        }
        data.advance(n);
    }
    Ok(Some(Body::Segment(SegmentPut {
        blob_id,
        token,
        index,
        hash,
        data: data.finish(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_protocol::frame::kind;
    use sanad_protocol::limits::FRAME_HEADER_LEN;
    use sanad_protocol::request::BlobPut;
    use sanad_protocol::Request;

    fn put(index: u32, data: Vec<u8>) -> BlobPut {
        BlobPut {
            blob_id: BlobId([1; 32]),
            token: UploadToken([2; 32]),
            index,
            hash: SegmentHash([3; 32]),
            data,
        }
    }

    fn body_of(p: &BlobPut) -> Vec<u8> {
        Request::BlobPut(p.clone()).encode()[FRAME_HEADER_LEN..].to_vec()
    }

    fn head_of(body: &[u8]) -> [u8; SEGMENT_HEAD_LEN] {
        body[..SEGMENT_HEAD_LEN].try_into().expect("head length")
    }

    #[test]
    fn the_segment_head_reads_what_the_protocol_encodes() {
        for (index, len) in [(0, 1), (7, 1000), (MAX_SEGMENTS - 1, SEGMENT_SIZE)] {
            let p = put(index, vec![9; len]);
            let body = body_of(&p);
            assert_eq!(
                segment_head(&head_of(&body), len),
                Some((p.blob_id, p.token.clone(), p.index, p.hash))
            );
            assert_eq!(
                Request::decode_body(kind::BLOB_PUT, &body).expect("valid"),
                Request::BlobPut(p)
            );
        }
    }

    #[test]
    fn heads_the_protocol_decoder_refuses_are_refused() {
        // Index out of range.
        let body = body_of(&put(MAX_SEGMENTS, vec![9; 10]));
        assert!(Request::decode_body(kind::BLOB_PUT, &body).is_err());
        assert_eq!(segment_head(&head_of(&body), 10), None);
        // Declared length differs from the bytes that follow.
        let body = body_of(&put(0, vec![9; 10]));
        assert!(Request::decode_body(kind::BLOB_PUT, &body[..body.len() - 1]).is_err());
        assert_eq!(segment_head(&head_of(&body), 9), None);
        assert!(Request::decode_body(kind::BLOB_PUT, &[&body[..], &[0]].concat()).is_err());
        assert_eq!(segment_head(&head_of(&body), 11), None);
        // Longer than a segment.
        let mut head = head_of(&body);
        head[100..].copy_from_slice(&(SEGMENT_SIZE as u32 + 1).to_be_bytes());
        assert_eq!(segment_head(&head, SEGMENT_SIZE + 1), None);
    }

    #[tokio::test]
    async fn a_segment_body_arrives_hashed_and_uncopied() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        let body = body_of(&put(4, data.clone()));
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        // A stream that hands out small pieces, as a network does.
        let (mut tx, mut rx) = tokio::io::duplex(4096);
        let writer = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            tx.write_all(&body).await.expect("write");
        });
        let got = read_body(
            &mut rx,
            kind::BLOB_PUT,
            SEGMENT_HEAD_LEN + data.len(),
            deadline,
        )
        .await
        .expect("read");
        writer.await.expect("writer");
        let Some(Body::Segment(p)) = got else {
            panic!("expected the segment path");
        };
        assert_eq!(p.index, 4);
        assert_eq!(p.data.data().as_ref(), &data[..]);
        assert_eq!(p.data.sha256(), &SegmentHash::of(&data));
    }

    #[tokio::test]
    async fn a_bad_segment_head_is_read_whole_for_the_decoder() {
        let body = body_of(&put(MAX_SEGMENTS, vec![9; 10]));
        let deadline = Instant::now() + std::time::Duration::from_secs(5);
        let got = read_body(&mut &body[..], kind::BLOB_PUT, body.len(), deadline)
            .await
            .expect("read");
        let Some(Body::Plain(b)) = got else {
            panic!("expected the plain path");
        };
        assert_eq!(&b[..], &body[..]);
    }
}
