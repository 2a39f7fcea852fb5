//! Zero knowledge: after real traffic, nothing under the relay's data
//! directory and nothing in its log output carries message content, client
//! addresses, identifiers or owner keys in readable form.

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use sanad_client::{Client, ConnectOptions, NoProgress, TransportMode};
use sanad_protocol::envelope;
use sanad_tests::harness::{contains, files_under, free_port, ChildRelay};
use x25519_dalek::{PublicKey, StaticSecret};

const CANARY: &str = "CANARY-witness-Abu-Salim-7f3a9c";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_data_and_logs_hold_no_canary_no_client_address_no_identifiers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut relay = ChildRelay::spawn(
        std::path::Path::new(env!("CARGO_BIN_EXE_relay-under-test")),
        dir.path(),
        port,
    )
    .await;

    let mut identifiers: Vec<String> = Vec::new();
    for mode in [TransportMode::QuicOnly, TransportMode::TcpOnly] {
        let client = Client::connect(
            relay.address(),
            ConnectOptions {
                mode,
                ..ConnectOptions::default()
            },
        )
        .await
        .expect("connect");
        let key = SigningKey::generate(&mut OsRng);
        let owner = client.create_mailbox(&key).await.expect("mailbox");
        let secret = StaticSecret::random_from_rng(OsRng);
        let public = PublicKey::from(&secret);
        for n in 0..50 {
            let text = format!("{CANARY} testimony number {n}");
            let body = envelope::seal(&public, text.as_bytes(), &mut OsRng).expect("seal");
            client
                .deposit(&owner.send_id(), body)
                .await
                .expect("deposit");
        }
        let page = client.fetch(&owner, 0, 100).await.expect("fetch");
        assert_eq!(page.items.len(), 50);
        let opened = envelope::open(&secret, &page.items[0].body).expect("open");
        assert!(
            contains(&opened, CANARY.as_bytes()),
            "the recipient reads the canary"
        );
        // A blob whose (already encrypted by the client) bytes carry no canary in clear.
        let sealed =
            envelope::seal(&public, CANARY.repeat(100).as_bytes(), &mut OsRng).expect("seal");
        let file = tempfile::NamedTempFile::new().expect("file");
        std::fs::write(file.path(), &sealed).expect("write");
        let outcome = client
            .upload_file(file.path(), None, &NoProgress)
            .await
            .expect("upload");
        identifiers.push(owner.receive_id().to_hex());
        identifiers.push(owner.send_id().to_hex());
        identifiers.push(outcome.blob.blob_id().to_hex());
        identifiers.push(hex::encode(key.verifying_key().to_bytes()));
        client.close().await;
    }
    assert!(relay.terminate(), "relay stops cleanly");
    let log = relay.log_text();
    assert!(
        log.lines().count() <= 4,
        "the relay logs one line at start and one at stop:\n{log}"
    );

    // The log: no content, no identifier, and no address but the relay's own listening one.
    let scrubbed = log.replace(&format!("127.0.0.1:{port}"), "<relay>");
    assert!(
        !scrubbed.contains("127.0.0.1"),
        "a client address reached the log:\n{log}"
    );
    assert!(!log.contains(CANARY));
    for id in &identifiers {
        assert!(!log.contains(id.as_str()), "an identifier reached the log");
    }

    // The data directory: no canary, no client address, in any file.
    let files = files_under(dir.path());
    assert!(files.len() > 3, "the relay wrote its database and segments");
    for path in files {
        let bytes = std::fs::read(&path).expect("read data file");
        assert!(
            !contains(&bytes, CANARY.as_bytes()),
            "canary in {}",
            path.display()
        );
        assert!(
            !contains(&bytes, b"127.0.0.1:") || path.ends_with("relay.addr"),
            "an address in {}",
            path.display()
        );
        assert!(
            !contains(&bytes, b"testimony"),
            "plaintext in {}",
            path.display()
        );
    }
}
