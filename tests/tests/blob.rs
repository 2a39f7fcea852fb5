//! Blobs end to end: a 64 MiB upload interrupted at a random point, resumed,
//! downloaded byte-identical; memory and resend bounds.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use rand::{Rng, RngCore};
use sanad_client::{ClientError, ConnectOptions, NoProgress, Progress};
use sanad_protocol::limits::SEGMENT_SIZE;
use sanad_protocol::{segment_count, ErrorCode};
use sanad_tests::harness::TestRelay;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

const SIZE: u64 = 64 * 1024 * 1024;

fn random_file(size: u64) -> (tempfile::NamedTempFile, [u8; 32]) {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1024 * 1024];
    let mut left = size;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        rand::thread_rng().fill_bytes(&mut buf[..n]);
        hasher.update(&buf[..n]);
        f.write_all(&buf[..n]).expect("write");
        left -= n as u64;
    }
    f.flush().expect("flush");
    (f, hasher.finalize().into())
}

fn sha256_file(path: &std::path::Path) -> [u8; 32] {
    let mut f = std::fs::File::open(path).expect("open");
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).expect("read");
    h.finalize().into()
}

/// Fires once the acknowledged bytes pass a threshold.
struct Tripwire {
    at: u64,
    done: AtomicU64,
    fired: AtomicBool,
    notify: Arc<Notify>,
}

impl Progress for Tripwire {
    fn advanced(&self, done: u64, _total: u64) {
        self.done.store(done, Ordering::SeqCst);
        if done >= self.at && !self.fired.swap(true, Ordering::SeqCst) {
            self.notify.notify_one();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_upload_resumes_with_only_the_missing_segments_and_downloads_identical() {
    let relay = TestRelay::start().await;
    let (file, digest) = random_file(SIZE);
    let client = relay.client().await;
    let upload = client.create_blob(SIZE).await.expect("create blob");
    let segments = segment_count(SIZE);

    // Cut the connection at a random point and abandon the upload call.
    let at = rand::thread_rng().gen_range(SIZE / 10..SIZE * 9 / 10);
    let notify = Arc::new(Notify::new());
    let trip = Tripwire {
        at,
        done: AtomicU64::new(0),
        fired: AtomicBool::new(false),
        notify: notify.clone(),
    };
    tokio::select! {
        r = client.upload_file(file.path(), Some(&upload), &trip) => panic!("upload finished before the cut: {r:?}"),
        () = notify.notified() => client.close().await,
    }
    let acked = trip.done.load(Ordering::SeqCst);
    let acked_segments = (acked / SEGMENT_SIZE as u64) as u32;

    // Status reports only what is missing: nothing acknowledged is listed,
    // and at most the segments that were in flight beyond that.
    let client = relay.client().await;
    let state = client.blob_status(&upload.blob_id()).await.expect("status");
    assert!(!state.sealed);
    let in_flight = ConnectOptions::default().segment_concurrency as u32;
    let missing = state.missing.len() as u32;
    assert!(
        missing <= segments - acked_segments,
        "acknowledged segments reported missing"
    );
    assert!(
        missing + in_flight >= segments - acked_segments,
        "status hides missing segments"
    );

    // Resume: exactly the missing bytes are sent, nothing the relay has.
    let missing_bytes: u64 = state
        .missing
        .iter()
        .map(|&i| sanad_protocol::segment_len(SIZE, i).expect("index") as u64)
        .sum();
    let outcome = client
        .upload_file(file.path(), Some(&upload), &NoProgress)
        .await
        .expect("resume");
    assert_eq!(
        outcome.bytes_sent, missing_bytes,
        "resume resent bytes the relay already had"
    );
    let out = tempfile::NamedTempFile::new().expect("out file");
    client
        .download_file(&upload.blob_id(), SIZE, out.path(), &NoProgress)
        .await
        .expect("download");
    assert_eq!(
        sha256_file(out.path()),
        digest,
        "download is byte-identical"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_killed_mid_upload_costs_at_most_the_segments_in_flight() {
    let relay = TestRelay::start().await;
    let size = 24 * 1024 * 1024;
    let (file, digest) = random_file(size);
    let client = relay.client().await;
    let killer = client.clone();
    let notify = Arc::new(Notify::new());
    let trip = Tripwire {
        at: size / 2,
        done: AtomicU64::new(0),
        fired: AtomicBool::new(false),
        notify: notify.clone(),
    };
    let kill = tokio::spawn(async move {
        notify.notified().await;
        killer.close().await;
    });
    // The client reconnects by itself and finishes the upload in one call.
    let outcome = client
        .upload_file(file.path(), None, &trip)
        .await
        .expect("upload survives the cut");
    kill.await.expect("killer");
    let window = ConnectOptions::default().segment_concurrency as u64;
    let resent = outcome.bytes_sent - size;
    assert!(
        resent <= window * SEGMENT_SIZE as u64,
        "resent {resent} bytes for one interruption"
    );
    let out = tempfile::NamedTempFile::new().expect("out file");
    client
        .download_file(&outcome.blob.blob_id(), size, out.path(), &NoProgress)
        .await
        .expect("download");
    assert_eq!(sha256_file(out.path()), digest);
}

#[tokio::test]
async fn incomplete_blobs_cannot_be_downloaded_and_bad_tokens_are_refused() {
    let relay = TestRelay::start().await;
    let client = relay.client().await;
    let upload = client
        .create_blob(3 * SEGMENT_SIZE as u64)
        .await
        .expect("create");
    client
        .put_segment(&upload, 0, vec![1; SEGMENT_SIZE])
        .await
        .expect("put");
    match client
        .get_segment(&upload.blob_id(), 3 * SEGMENT_SIZE as u64, 0)
        .await
    {
        Err(ClientError::Relay {
            code: ErrorCode::BlobNotSealed,
            ..
        }) => {}
        other => panic!("expected BlobNotSealed, got {other:?}"),
    }
    let forged = sanad_client::BlobUpload::from_parts(
        upload.blob_id(),
        sanad_protocol::UploadToken([0; 32]),
        upload.size(),
    );
    match client.put_segment(&forged, 1, vec![1; SEGMENT_SIZE]).await {
        Err(ClientError::Relay {
            code: ErrorCode::BadUploadToken,
            ..
        }) => {}
        other => panic!("expected BadUploadToken, got {other:?}"),
    }
    assert_eq!(
        client
            .blob_status(&upload.blob_id())
            .await
            .expect("status")
            .missing,
        vec![1, 2]
    );
}
