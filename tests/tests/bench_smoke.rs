//! The upload benchmark, run small: every case it measures (the raw quinn
//! baseline, the relay's storage alone, the reference that runs both at
//! once, the QUIC upload and download, the TLS-over-TCP upload) completes
//! against a real relay and real storage, and the table reports each. It
//! checks that the benchmark still works, not how fast anything is.

use sanad_tests::baseline::Congestion;
use sanad_tests::bench::{upload, UploadSettings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_of_the_upload_benchmark_runs_and_is_reported() {
    let settings = UploadSettings {
        // Three segments, the last one short.
        size: 2 * 1024 * 1024 + 12_345,
        reps: 1,
        concurrencies: vec![2],
        download: true,
        tcp_concurrency: Some(2),
        baseline: true,
        reference: true,
        congestion: vec![Congestion::Cubic],
    };
    let table = upload(&settings).await.expect("the benchmark runs");
    let rows: Vec<(&str, &str)> = table
        .rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    for expected in [
        ("raw quinn, 1 stream (baseline)", "QUIC"),
        (
            "raw quinn while the relay's storage stores the same bytes (reference)",
            "QUIC",
        ),
        ("upload", "QUIC"),
        ("download", "QUIC"),
        ("upload", "TLS/TCP"),
        ("relay storage alone, no network (4 at a time)", "–"),
    ] {
        assert!(rows.contains(&expected), "no row {expected:?} in {rows:?}");
    }
    let ratio_column = table
        .columns
        .iter()
        .position(|c| c.starts_with("ratio to raw quinn"))
        .expect("ratio column");
    let upload = table
        .rows
        .iter()
        .find(|r| r[0] == "upload" && r[1] == "QUIC")
        .expect("upload row");
    let ratio: f64 = upload[ratio_column].parse().expect("a measured ratio");
    assert!(ratio > 0.0, "{upload:?}");
}
