//! Blobs: large ciphertexts moved in fixed segments, resumably, with memory
//! bounded by the number of segments in flight (never by the blob's size).
//!
//! An upload reads each segment from a seekable source just before sending
//! it, hashing it as it is read, into a buffer of its exact length (never
//! zeroed), and hands that buffer to the transport behind a small head
//! without copying it into a frame; a download verifies each segment (hash
//! and exact length for its position) and writes it in place. A
//! [`SealedBlob`] exists only once the relay has said the blob is complete.
//!
//! The segment hash is the relay's claim about its own bytes: it catches
//! storage and transfer corruption, not a malicious relay. End-to-end
//! integrity comes from the encryption layer above.

use std::future::Future;
use std::io::SeekFrom;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;

use bytes::{Bytes, BytesMut};
use sanad_protocol::frame::{kind, FrameHeader};
use sanad_protocol::limits::{MAX_BLOB_LEN, SEGMENT_SIZE};
use sanad_protocol::request::{BlobCreate, BlobGet, BlobStatus};
use sanad_protocol::{
    segment_count, segment_len, BlobId, DecodeError, Request, Response, SegmentHash, UploadToken,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{watch, Mutex};

use crate::error::ClientError;
use crate::limits::UPLOAD_ROUNDS;
use crate::transport::{retry, unexpected, Client, RetryPolicy};

/// Told how far a transfer has come. Called from the transferring task, so
/// it must return quickly (post to a channel, update an atomic).
pub trait Progress: Send + Sync {
    /// `done_bytes` of `total_bytes` are on the relay (upload) or verified
    /// and written (download).
    fn advanced(&self, done_bytes: u64, total_bytes: u64);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn advanced(&self, _done_bytes: u64, _total_bytes: u64) {}
}

/// A blob being uploaded: its identifier, its size and the secret upload
/// capability. Keep it (durably) to resume the upload later. The token is
/// zeroized on drop and never printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobUpload {
    blob_id: BlobId,
    token: UploadToken,
    size: u64,
}

impl BlobUpload {
    /// Reassemble from stored parts.
    pub fn from_parts(blob_id: BlobId, token: UploadToken, size: u64) -> Self {
        BlobUpload {
            blob_id,
            token,
            size,
        }
    }

    /// The blob's identifier (and read capability).
    pub fn blob_id(&self) -> BlobId {
        self.blob_id
    }

    /// The upload capability (secret).
    pub fn token(&self) -> &UploadToken {
        &self.token
    }

    /// The blob's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }
}

/// What the relay holds of a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobState {
    /// Total size in bytes.
    pub size: u64,
    /// Indexes of the segments still missing, ascending.
    pub missing: Vec<u32>,
    /// Whether every segment is present.
    pub sealed: bool,
}

/// A blob the relay has confirmed complete. Only a finished upload makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBlob {
    blob_id: BlobId,
    size: u64,
}

impl SealedBlob {
    /// The blob's identifier (and read capability).
    pub fn blob_id(&self) -> BlobId {
        self.blob_id
    }

    /// The blob's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }
}

/// The result of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadOutcome {
    /// The complete blob.
    pub blob: SealedBlob,
    /// Segment bytes sent by this call, repeats after failures included (a
    /// resumed upload sends only what was missing).
    pub bytes_sent: u64,
}

fn check_size(size: u64) -> Result<(), ClientError> {
    if size == 0 || size > MAX_BLOB_LEN {
        return Err(ClientError::InvalidInput(
            "blob size outside 1 byte ..= 4 GiB",
        ));
    }
    Ok(())
}

fn offset_of(index: u32) -> u64 {
    u64::from(index) * SEGMENT_SIZE as u64
}

/// Bytes of a `BlobPut` frame before the segment: frame header (6), blob ID
/// (32), upload token (32), index (4), hash (32), segment length (4).
const SEGMENT_HEAD_LEN: usize = 6 + 32 + 32 + 4 + 32 + 4;

/// The start of the `BlobPut` frame for a segment of `len` bytes, exactly as
/// `Request::encode` writes it (a test pins the two together); the segment's
/// bytes follow as a separate piece, so they are never copied into a frame.
fn segment_head(upload: &BlobUpload, index: u32, hash: &SegmentHash, len: usize) -> Bytes {
    let mut head = BytesMut::with_capacity(SEGMENT_HEAD_LEN);
    head.extend_from_slice(&FrameHeader::encode(
        kind::BLOB_PUT,
        SEGMENT_HEAD_LEN - sanad_protocol::limits::FRAME_HEADER_LEN + len,
    ));
    head.extend_from_slice(&upload.blob_id.0);
    head.extend_from_slice(&upload.token.0);
    head.extend_from_slice(&index.to_be_bytes());
    head.extend_from_slice(&hash.0);
    head.extend_from_slice(&(len as u32).to_be_bytes());
    head.freeze()
}

/// Where an upload's segments come from.
enum Source<R> {
    /// Any seekable reader, one read at a time on the calling task.
    Reader(Mutex<R>),
    /// A file, read (and hashed) on the blocking pool, off the tasks that
    /// drive the network.
    File(Arc<std::sync::Mutex<std::fs::File>>),
    /// A file that another task is still writing from its start: a segment
    /// is read as [`Source::File`] does once `written` (the file's length so
    /// far) covers it.
    Growing {
        file: Arc<std::sync::Mutex<std::fs::File>>,
        written: watch::Receiver<u64>,
    },
}

impl<R: AsyncRead + AsyncSeek + Unpin + Send> Source<R> {
    /// Segment `index` (`len` bytes) and its hash.
    async fn segment(&self, index: u32, len: usize) -> Result<(Bytes, SegmentHash), ClientError> {
        match self {
            Source::Reader(source) => {
                let mut src = source.lock().await;
                src.seek(SeekFrom::Start(offset_of(index)))
                    .await
                    .map_err(ClientError::LocalIo)?;
                let mut buf = BytesMut::with_capacity(len);
                let mut sha = Sha256::new();
                while buf.len() < len {
                    let before = buf.len();
                    let n = (&mut *src)
                        .take((len - before) as u64)
                        .read_buf(&mut buf)
                        .await
                        .map_err(ClientError::LocalIo)?;
                    if n == 0 {
                        return Err(ClientError::LocalIo(
                            std::io::ErrorKind::UnexpectedEof.into(),
                        ));
                    }
                    sha.update(&buf[before..]);
                }
                Ok((buf.freeze(), SegmentHash(sha.finalize().into())))
            }
            Source::File(file) => read_file_segment_blocking(file, index, len).await,
            Source::Growing { file, written } => {
                let end = offset_of(index) + len as u64;
                written.clone().wait_for(|&w| w >= end).await.map_err(|_| {
                    ClientError::LocalIo(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the file stopped growing before the blob's end",
                    ))
                })?;
                read_file_segment_blocking(file, index, len).await
            }
        }
    }
}

/// [`read_file_segment`] on the blocking pool.
async fn read_file_segment_blocking(
    file: &Arc<std::sync::Mutex<std::fs::File>>,
    index: u32,
    len: usize,
) -> Result<(Bytes, SegmentHash), ClientError> {
    let file = Arc::clone(file);
    tokio::task::spawn_blocking(move || read_file_segment(&file, index, len))
        .await
        .map_err(|e| ClientError::LocalIo(std::io::Error::other(e)))?
        .map_err(ClientError::LocalIo)
}

/// Read and hash segment `index` (`len` bytes) of `file`, into a buffer of
/// exactly that size that the read fills without zeroing it first.
fn read_file_segment(
    file: &std::sync::Mutex<std::fs::File>,
    index: u32,
    len: usize,
) -> std::io::Result<(Bytes, SegmentHash)> {
    use std::io::{Read, Seek};
    let mut buf = Vec::with_capacity(len);
    {
        let mut f = file
            .lock()
            .map_err(|_| std::io::Error::other("a reader of the file panicked"))?;
        f.seek(SeekFrom::Start(offset_of(index)))?;
        (&mut *f).take(len as u64).read_to_end(&mut buf)?;
    }
    if buf.len() != len {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let hash = SegmentHash::of(&buf);
    Ok((Bytes::from(buf), hash))
}

/// Check a downloaded segment: the index asked for, the exact length for
/// its position, and the data hashing to the hash sent with it.
fn verify_segment(
    size: u64,
    index: u32,
    got_index: u32,
    hash: &SegmentHash,
    data: &[u8],
) -> Result<(), ClientError> {
    let corrupt = ClientError::CorruptSegment { index };
    if got_index != index || segment_len(size, index) != Some(data.len()) {
        return Err(corrupt);
    }
    if !SegmentHash::of(data).ct_eq(hash) {
        return Err(corrupt);
    }
    Ok(())
}

/// Run the futures concurrently on the current task; the first error
/// cancels the rest.
async fn all_ok<F>(futures: Vec<F>) -> Result<(), ClientError>
where
    F: Future<Output = Result<(), ClientError>>,
{
    let mut slots: Vec<Option<Pin<Box<F>>>> =
        futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for slot in slots.iter_mut() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    Poll::Ready(Ok(())) => *slot = None,
                    Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    })
    .await
}

/// Where an upload's blob comes from.
#[derive(Clone, Copy)]
enum Start<'a> {
    /// Create it first.
    Create,
    /// It exists: ask the relay what it misses.
    Resume(&'a BlobUpload),
    /// Created just now, nothing sent yet: every segment is missing.
    Fresh(&'a BlobUpload),
}

/// Segment indexes handed out to workers, each once.
struct Queue<'a> {
    items: &'a [u32],
    next: AtomicUsize,
}

impl Queue<'_> {
    fn pop(&self) -> Option<u32> {
        self.items
            .get(self.next.fetch_add(1, Ordering::Relaxed))
            .copied()
    }
}

impl Client {
    fn concurrency(&self) -> usize {
        self.options().segment_concurrency
    }

    /// Create a blob of `size` bytes (ciphertext, already padded). Sent once
    /// (a repeat would reserve a second blob). Store the result before
    /// uploading so that the upload can resume after a crash.
    pub async fn create_blob(&self, size: u64) -> Result<BlobUpload, ClientError> {
        check_size(size)?;
        let frame = Request::BlobCreate(BlobCreate { size }).encode();
        match retry(RetryPolicy::ONCE, || {
            self.exchange(&frame, kind::BLOB_CREATE)
        })
        .await?
        {
            Response::BlobCreated { blob_id, token } => Ok(BlobUpload {
                blob_id,
                token,
                size,
            }),
            other => Err(unexpected(kind::BLOB_CREATE, &other)),
        }
    }

    /// Upload one segment; returns whether the blob is now sealed. `data`
    /// must have exactly the length of segment `index`. Retried after
    /// transient failures (the relay stores a segment once).
    pub async fn put_segment(
        &self,
        upload: &BlobUpload,
        index: u32,
        data: Vec<u8>,
    ) -> Result<bool, ClientError> {
        let hash = SegmentHash::of(&data);
        self.put_segment_counted(upload, index, Bytes::from(data), &hash, &AtomicU64::new(0))
            .await
    }

    /// Upload segment `index`, whose bytes hash to `hash`.
    async fn put_segment_counted(
        &self,
        upload: &BlobUpload,
        index: u32,
        data: Bytes,
        hash: &SegmentHash,
        sent: &AtomicU64,
    ) -> Result<bool, ClientError> {
        if segment_len(upload.size, index) != Some(data.len()) {
            return Err(ClientError::InvalidInput(
                "segment length does not match its index",
            ));
        }
        let len = data.len() as u64;
        let frame = [segment_head(upload, index, hash, data.len()), data];
        let response = retry(RetryPolicy::REPEATABLE, || {
            sent.fetch_add(len, Ordering::Relaxed);
            self.exchange_pieces(&frame, kind::BLOB_PUT)
        })
        .await?;
        match response {
            Response::SegmentStored {
                index: stored,
                sealed,
            } if stored == index => Ok(sealed),
            other => Err(unexpected(kind::BLOB_PUT, &other)),
        }
    }

    /// Which segments of a blob the relay still misses.
    pub async fn blob_status(&self, blob_id: &BlobId) -> Result<BlobState, ClientError> {
        let frame = Request::BlobStatus(BlobStatus { blob_id: *blob_id }).encode();
        match retry(RetryPolicy::REPEATABLE, || {
            self.exchange(&frame, kind::BLOB_STATUS)
        })
        .await?
        {
            Response::BlobStatus {
                size,
                missing,
                sealed,
            } => {
                let count = segment_count(size);
                if missing.iter().any(|&i| i >= count) {
                    return Err(DecodeError::InvalidValue("missing segment index").into());
                }
                Ok(BlobState {
                    size,
                    missing,
                    sealed,
                })
            }
            other => Err(unexpected(kind::BLOB_STATUS, &other)),
        }
    }

    /// Download and verify one segment of a sealed blob of `size` bytes.
    /// Fails with [`ClientError::CorruptSegment`] when the data does not
    /// hash to its hash or has the wrong length for its index.
    pub async fn get_segment(
        &self,
        blob_id: &BlobId,
        size: u64,
        index: u32,
    ) -> Result<Vec<u8>, ClientError> {
        check_size(size)?;
        if segment_len(size, index).is_none() {
            return Err(ClientError::InvalidInput(
                "segment index past the blob's end",
            ));
        }
        let frame = Request::BlobGet(BlobGet {
            blob_id: *blob_id,
            index,
        })
        .encode();
        match retry(RetryPolicy::REPEATABLE, || {
            self.exchange(&frame, kind::BLOB_GET)
        })
        .await?
        {
            Response::Segment {
                index: got,
                hash,
                data,
            } => {
                verify_segment(size, index, got, &hash, &data)?;
                Ok(data)
            }
            other => Err(unexpected(kind::BLOB_GET, &other)),
        }
    }

    /// Upload the file at `path` (its whole length); see [`Client::upload`].
    pub async fn upload_file(
        &self,
        path: &Path,
        resume: Option<&BlobUpload>,
        progress: &dyn Progress,
    ) -> Result<UploadOutcome, ClientError> {
        let path = path.to_owned();
        let (file, size) = tokio::task::spawn_blocking(move || {
            let file = std::fs::File::open(path)?;
            let size = file.metadata()?.len();
            Ok::<_, std::io::Error>((file, size))
        })
        .await
        .map_err(|e| ClientError::LocalIo(std::io::Error::other(e)))?
        .map_err(ClientError::LocalIo)?;
        let source: Source<tokio::fs::File> = Source::File(Arc::new(std::sync::Mutex::new(file)));
        let start = resume.map_or(Start::Create, Start::Resume);
        self.upload_from(source, size, start, progress).await
    }

    /// Upload the file at `path` while another task is still writing it,
    /// from its start, into `upload`: a blob created for the file's final
    /// length that nothing was sent to yet (store it before calling, so the
    /// upload can resume after a crash). `written` says how many bytes the
    /// file holds so far; each segment is read once `written` covers it, so
    /// sending starts with the first segment instead of after the last.
    /// Fails if `written`'s sender goes away before the blob's end.
    pub async fn upload_file_as_written(
        &self,
        path: &Path,
        upload: &BlobUpload,
        written: watch::Receiver<u64>,
        progress: &dyn Progress,
    ) -> Result<UploadOutcome, ClientError> {
        let path = path.to_owned();
        let file = tokio::task::spawn_blocking(move || std::fs::File::open(path))
            .await
            .map_err(|e| ClientError::LocalIo(std::io::Error::other(e)))?
            .map_err(ClientError::LocalIo)?;
        let source: Source<tokio::fs::File> = Source::Growing {
            file: Arc::new(std::sync::Mutex::new(file)),
            written,
        };
        self.upload_from(source, upload.size, Start::Fresh(upload), progress)
            .await
    }

    /// Upload the first `size` bytes of `source` as a blob.
    ///
    /// With `resume`, the blob already exists (created earlier by
    /// [`Client::create_blob`] and stored by the caller): the relay is asked
    /// what it misses and only that is sent. Without, a blob is created
    /// first; a caller that must survive a crash mid-upload creates it
    /// itself and always passes it here.
    ///
    /// Segments are read one at a time per worker, a few in flight at once
    /// ([`crate::ConnectOptions::segment_concurrency`]); memory stays at
    /// about two segments per worker whatever the size. Returns only when
    /// the relay reports the blob sealed.
    pub async fn upload<R>(
        &self,
        source: R,
        size: u64,
        resume: Option<&BlobUpload>,
        progress: &dyn Progress,
    ) -> Result<UploadOutcome, ClientError>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let start = resume.map_or(Start::Create, Start::Resume);
        self.upload_from(Source::Reader(Mutex::new(source)), size, start, progress)
            .await
    }

    async fn upload_from<R>(
        &self,
        source: Source<R>,
        size: u64,
        start: Start<'_>,
        progress: &dyn Progress,
    ) -> Result<UploadOutcome, ClientError>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        check_size(size)?;
        let (upload, mut missing) = match start {
            Start::Fresh(upload) => {
                if upload.size != size {
                    return Err(ClientError::BlobSizeMismatch {
                        expected: size,
                        actual: upload.size,
                    });
                }
                (upload.clone(), (0..segment_count(size)).collect())
            }
            Start::Resume(upload) => {
                if upload.size != size {
                    return Err(ClientError::BlobSizeMismatch {
                        expected: size,
                        actual: upload.size,
                    });
                }
                let state = self.status_of(upload).await?;
                if state.sealed {
                    progress.advanced(size, size);
                    return Ok(sealed(upload, 0));
                }
                (upload.clone(), state.missing)
            }
            Start::Create => {
                let upload = self.create_blob(size).await?;
                let all = (0..segment_count(size)).collect();
                (upload, all)
            }
        };
        let sent = AtomicU64::new(0);
        for _round in 0..UPLOAD_ROUNDS {
            let missing_bytes: u64 = missing
                .iter()
                .filter_map(|&i| segment_len(size, i))
                .map(|l| l as u64)
                .sum();
            let done = AtomicU64::new(size.saturating_sub(missing_bytes));
            progress.advanced(done.load(Ordering::Relaxed), size);
            let reported_sealed = self
                .send_segments(&upload, &missing, &source, &sent, &done, progress)
                .await?;
            if reported_sealed {
                return Ok(sealed(&upload, sent.load(Ordering::Relaxed)));
            }
            // Every segment was stored but none reported the seal (or the
            // relay lost some): ask, and send what is missing again.
            let state = self.status_of(&upload).await?;
            if state.sealed {
                return Ok(sealed(&upload, sent.load(Ordering::Relaxed)));
            }
            tracing::debug!(missing = state.missing.len(), "relay still misses segments");
            missing = state.missing;
        }
        Err(ClientError::UploadIncomplete {
            missing: missing.len(),
        })
    }

    /// Status of an upload's blob, checked against the size it should have.
    async fn status_of(&self, upload: &BlobUpload) -> Result<BlobState, ClientError> {
        let state = self.blob_status(&upload.blob_id).await?;
        if state.size != upload.size {
            return Err(ClientError::BlobSizeMismatch {
                expected: upload.size,
                actual: state.size,
            });
        }
        Ok(state)
    }

    /// Send the given segments with a few workers; returns whether any
    /// response reported the blob sealed.
    async fn send_segments<R>(
        &self,
        upload: &BlobUpload,
        indexes: &[u32],
        source: &Source<R>,
        sent: &AtomicU64,
        done: &AtomicU64,
        progress: &dyn Progress,
    ) -> Result<bool, ClientError>
    where
        R: AsyncRead + AsyncSeek + Unpin + Send,
    {
        let queue = Queue {
            items: indexes,
            next: AtomicUsize::new(0),
        };
        let sealed_seen = AtomicBool::new(false);
        let size = upload.size;
        let (queue, sealed_seen_ref) = (&queue, &sealed_seen);
        let worker = move || async move {
            while let Some(index) = queue.pop() {
                let len = segment_len(size, index)
                    .ok_or(DecodeError::InvalidValue("missing segment index"))?;
                let (data, hash) = source.segment(index, len).await?;
                if self
                    .put_segment_counted(upload, index, data, &hash, sent)
                    .await?
                {
                    sealed_seen_ref.store(true, Ordering::Relaxed);
                }
                let now = done.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
                progress.advanced(now, size);
            }
            Ok::<(), ClientError>(())
        };
        let workers = self.concurrency().min(indexes.len()).max(1);
        all_ok((0..workers).map(|_| worker()).collect()).await?;
        Ok(sealed_seen.load(Ordering::Relaxed))
    }

    /// Download the sealed blob `blob_id` of `size` bytes into a new file
    /// at `path` (replacing any file there), synced to disk at the end.
    pub async fn download_file(
        &self,
        blob_id: &BlobId,
        size: u64,
        path: &Path,
        progress: &dyn Progress,
    ) -> Result<(), ClientError> {
        check_size(size)?;
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(ClientError::LocalIo)?;
        file.set_len(size).await.map_err(ClientError::LocalIo)?;
        self.download_to(blob_id, size, &mut file, progress).await?;
        file.sync_all().await.map_err(ClientError::LocalIo)
    }

    /// Download the sealed blob `blob_id` of `size` bytes into `writer`,
    /// each segment verified and then written at its offset, a few segments
    /// in flight at once. Memory stays at about two segments per worker.
    pub async fn download_to<W>(
        &self,
        blob_id: &BlobId,
        size: u64,
        writer: &mut W,
        progress: &dyn Progress,
    ) -> Result<(), ClientError>
    where
        W: AsyncWrite + AsyncSeek + Unpin + Send,
    {
        check_size(size)?;
        let indexes: Vec<u32> = (0..segment_count(size)).collect();
        let queue = Queue {
            items: &indexes,
            next: AtomicUsize::new(0),
        };
        let writer = Mutex::new(writer);
        let done = AtomicU64::new(0);
        progress.advanced(0, size);
        let (queue, writer_ref, done) = (&queue, &writer, &done);
        let worker = move || async move {
            while let Some(index) = queue.pop() {
                let data = self.get_segment(blob_id, size, index).await?;
                {
                    let mut w = writer_ref.lock().await;
                    w.seek(SeekFrom::Start(offset_of(index)))
                        .await
                        .map_err(ClientError::LocalIo)?;
                    w.write_all(&data).await.map_err(ClientError::LocalIo)?;
                }
                let len = data.len() as u64;
                let now = done.fetch_add(len, Ordering::Relaxed) + len;
                progress.advanced(now, size);
            }
            Ok::<(), ClientError>(())
        };
        let workers = self.concurrency().min(indexes.len()).max(1);
        all_ok((0..workers).map(|_| worker()).collect()).await?;
        writer
            .into_inner()
            .flush()
            .await
            .map_err(ClientError::LocalIo)
    }
}

fn sealed(upload: &BlobUpload, bytes_sent: u64) -> UploadOutcome {
    UploadOutcome {
        blob: SealedBlob {
            blob_id: upload.blob_id,
            size: upload.size,
        },
        bytes_sent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_AND_A_BIT: u64 = 2 * SEGMENT_SIZE as u64 + 10;

    fn segment(index: u32) -> (SegmentHash, Vec<u8>) {
        let len = segment_len(TWO_AND_A_BIT, index).expect("index in range");
        let data = vec![index as u8; len];
        (SegmentHash::of(&data), data)
    }

    #[test]
    fn a_segment_with_its_hash_and_length_verifies() {
        for index in 0..3 {
            let (hash, data) = segment(index);
            assert!(verify_segment(TWO_AND_A_BIT, index, index, &hash, &data).is_ok());
        }
    }

    #[test]
    fn a_segment_whose_data_does_not_hash_to_its_hash_is_corrupt() {
        let (hash, mut data) = segment(1);
        data[0] ^= 1;
        assert!(matches!(
            verify_segment(TWO_AND_A_BIT, 1, 1, &hash, &data),
            Err(ClientError::CorruptSegment { index: 1 })
        ));
    }

    #[test]
    fn a_short_segment_is_corrupt_even_with_a_matching_hash() {
        let (_, data) = segment(0);
        let short = &data[..data.len() - 1];
        assert!(matches!(
            verify_segment(TWO_AND_A_BIT, 0, 0, &SegmentHash::of(short), short),
            Err(ClientError::CorruptSegment { index: 0 })
        ));
    }

    #[test]
    fn a_full_length_last_segment_is_corrupt() {
        // The last segment is 10 bytes; a full one (the relay padding it, or
        // a wrong blob) must not be written past the end.
        let data = vec![2u8; SEGMENT_SIZE];
        assert!(matches!(
            verify_segment(TWO_AND_A_BIT, 2, 2, &SegmentHash::of(&data), &data),
            Err(ClientError::CorruptSegment { index: 2 })
        ));
    }

    #[test]
    fn a_segment_for_another_index_is_corrupt() {
        let (hash, data) = segment(1);
        assert!(verify_segment(TWO_AND_A_BIT, 0, 1, &hash, &data).is_err());
    }

    #[test]
    fn a_segment_head_and_its_bytes_are_the_frame_the_protocol_encodes() {
        use sanad_protocol::request::BlobPut;
        let upload = BlobUpload::from_parts(BlobId([4; 32]), UploadToken([5; 32]), TWO_AND_A_BIT);
        for index in 0..3 {
            let (hash, data) = segment(index);
            let head = segment_head(&upload, index, &hash, data.len());
            let frame = Request::BlobPut(BlobPut {
                blob_id: upload.blob_id(),
                token: upload.token().clone(),
                index,
                hash,
                data: data.clone(),
            })
            .encode();
            assert_eq!([&head[..], &data[..]].concat(), frame);
        }
    }

    #[tokio::test]
    async fn segments_are_read_from_either_source_with_their_hash() {
        let bytes: Vec<u8> = (0..TWO_AND_A_BIT).map(|i| (i % 241) as u8).collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("blob");
        std::fs::write(&path, &bytes).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        let sources: [Source<std::io::Cursor<Vec<u8>>>; 2] = [
            Source::Reader(Mutex::new(std::io::Cursor::new(bytes.clone()))),
            Source::File(Arc::new(std::sync::Mutex::new(file))),
        ];
        for source in &sources {
            for index in [2, 0, 1] {
                let len = segment_len(TWO_AND_A_BIT, index).expect("in range");
                let (data, hash) = source.segment(index, len).await.expect("read");
                let start = offset_of(index) as usize;
                assert_eq!(&data[..], &bytes[start..start + len]);
                assert_eq!(hash, SegmentHash::of(&data));
            }
            // Past the end of the source: an error, not a short segment.
            assert!(source.segment(3, 10).await.is_err());
        }
    }

    #[tokio::test]
    async fn a_growing_file_is_read_once_its_writer_has_written_the_segment() {
        let bytes: Vec<u8> = (0..TWO_AND_A_BIT).map(|i| (i % 241) as u8).collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("blob");
        let (tx, written) = watch::channel(0u64);
        let mut out = std::fs::File::create(&path).expect("create");
        let source: Source<std::io::Cursor<Vec<u8>>> = Source::Growing {
            file: Arc::new(std::sync::Mutex::new(
                std::fs::File::open(&path).expect("open"),
            )),
            written,
        };
        let first_len = segment_len(TWO_AND_A_BIT, 0).expect("in range");
        let first = source.segment(0, first_len);
        tokio::pin!(first);
        // Nothing written yet: the read waits.
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(50), &mut first)
                .await
                .is_err()
        );
        // One byte short of the segment: still waiting.
        {
            use std::io::Write;
            out.write_all(&bytes[..first_len - 1]).expect("write");
        }
        tx.send_replace(first_len as u64 - 1);
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(50), &mut first)
                .await
                .is_err()
        );
        {
            use std::io::Write;
            out.write_all(&bytes[first_len - 1..]).expect("write");
        }
        tx.send_replace(TWO_AND_A_BIT);
        let (data, hash) = first.await.expect("read");
        assert_eq!(&data[..], &bytes[..first_len]);
        assert_eq!(hash, SegmentHash::of(&data));
        let (last, _) = source.segment(2, 10).await.expect("last");
        assert_eq!(&last[..], &bytes[2 * SEGMENT_SIZE..]);
    }

    #[tokio::test]
    async fn a_growing_file_whose_writer_stops_short_is_an_error_not_a_wait() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("blob");
        std::fs::write(&path, vec![7u8; SEGMENT_SIZE]).expect("write");
        let (tx, written) = watch::channel(SEGMENT_SIZE as u64);
        let source: Source<std::io::Cursor<Vec<u8>>> = Source::Growing {
            file: Arc::new(std::sync::Mutex::new(
                std::fs::File::open(&path).expect("open"),
            )),
            written,
        };
        drop(tx);
        // Written before the writer went away: still readable.
        assert!(source.segment(0, SEGMENT_SIZE).await.is_ok());
        assert!(matches!(
            source.segment(1, 10).await,
            Err(ClientError::LocalIo(_))
        ));
    }

    #[test]
    fn blob_sizes_outside_the_protocol_range_are_refused() {
        assert!(check_size(0).is_err());
        assert!(check_size(1).is_ok());
        assert!(check_size(MAX_BLOB_LEN).is_ok());
        assert!(check_size(MAX_BLOB_LEN + 1).is_err());
    }

    #[test]
    fn upload_token_stays_out_of_debug_output() {
        let u = BlobUpload::from_parts(BlobId([1; 32]), UploadToken([0xAB; 32]), 5);
        let s = format!("{u:?}");
        assert!(!s.contains("171") && !s.to_lowercase().contains("ab, "));
        assert!(s.contains("<secret>"));
    }

    #[tokio::test]
    async fn workers_stop_at_the_first_error() {
        let r = all_ok(vec![
            Box::pin(async { Ok(()) })
                as Pin<Box<dyn Future<Output = Result<(), ClientError>> + Send>>,
            Box::pin(async { Err(ClientError::transport("x")) }),
            Box::pin(std::future::pending()),
        ])
        .await;
        assert!(r.is_err());
    }
}
