//! Poor networks: the client and relay over the project's own impairment
//! proxy (rate, delay, loss, outages) on loopback.

use std::io::Write;
use std::time::Duration;

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use rand::RngCore;
use sanad_client::{Client, ConnectOptions, NoProgress, TransportMode};
use sanad_tests::harness::TestRelay;
use sanad_tests::impair::{ImpairedLink, Impairment};

async fn through(relay: &TestRelay, impairment: Impairment) -> (ImpairedLink, Client) {
    let upstream = relay.address();
    let target = format!("{}:{}", upstream.host, upstream.port)
        .parse()
        .expect("socket address");
    let link = ImpairedLink::start(target, impairment)
        .await
        .expect("proxy");
    let mut addr = relay.address();
    addr.port = link.local_addr().port();
    let opts = ConnectOptions {
        mode: TransportMode::QuicOnly,
        ..ConnectOptions::default()
    };
    let client = Client::connect(&addr, opts)
        .await
        .expect("connect through the proxy");
    (link, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_and_a_file_cross_a_slow_lossy_link_and_a_five_second_outage() {
    let relay = TestRelay::start().await;
    // "3G in Libya": 4 Mbit/s, 300 ms round trip, 2 % loss each way.
    let (link, client) = through(
        &relay,
        Impairment::link(4_000_000, Duration::from_millis(300), 0.02),
    )
    .await;
    let owner = client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await
        .expect("mailbox");
    for n in 0..20u8 {
        client
            .deposit(&owner.send_id(), vec![n; 512])
            .await
            .expect("deposit over a lossy link");
    }

    let size = 3 * 1024 * 1024 + 12345;
    let mut file = tempfile::NamedTempFile::new().expect("file");
    let mut data = vec![0u8; size];
    OsRng.fill_bytes(&mut data);
    file.write_all(&data).expect("write");
    let upload = client.create_blob(size as u64).await.expect("create blob");
    let cutter = {
        let link_cut = std::sync::Arc::new(link);
        let l = link_cut.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            l.cut();
            tokio::time::sleep(Duration::from_secs(5)).await;
            l.restore();
        });
        link_cut
    };
    // The client's own retries and reconnection carry the upload across the outage.
    let outcome = client
        .upload_file(file.path(), Some(&upload), &NoProgress)
        .await
        .expect("upload across the outage");
    assert_eq!(outcome.blob.size(), size as u64);
    let stats = cutter.stats();
    assert!(
        stats.to_upstream.dropped_loss > 0,
        "the link really lost packets"
    );

    let page = client.fetch(&owner, 0, 100).await.expect("fetch");
    assert_eq!(page.items.len(), 20);
    let out = tempfile::NamedTempFile::new().expect("out");
    client
        .download_file(&upload.blob_id(), size as u64, out.path(), &NoProgress)
        .await
        .expect("download");
    assert_eq!(std::fs::read(out.path()).expect("read"), data);
}
