//! Mailboxes end to end: real relay on loopback, real clients, sealed messages.

use std::collections::BTreeSet;

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use sanad_client::{ClientError, TransportMode};
use sanad_protocol::envelope;
use sanad_protocol::ErrorCode;
use sanad_relay::limits::Quotas;
use sanad_tests::harness::TestRelay;
use x25519_dalek::{PublicKey, StaticSecret};

/// Fetch and open everything in the mailbox, then acknowledge it all.
async fn drain(
    client: &sanad_client::Client,
    owner: &sanad_client::MailboxOwner,
    secret: &StaticSecret,
) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = client.fetch(owner, after, 200).await.expect("fetch");
        for m in &page.items {
            out.push(envelope::open(secret, &m.body).expect("opens").to_vec());
            after = m.seq;
        }
        let seqs: Vec<u64> = page.items.iter().map(|m| m.seq).collect();
        for chunk in seqs.chunks(500) {
            assert_eq!(
                usize::from(client.ack(owner, chunk).await.expect("ack")),
                chunk.len()
            );
        }
        if !page.more {
            return out;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_messages_from_fifty_connections_arrive_exactly_once() {
    let relay = TestRelay::start().await;
    let owner_client = relay.client().await;
    let owner = owner_client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await
        .expect("mailbox");
    let secret = StaticSecret::random_from_rng(OsRng);
    let public = PublicKey::from(&secret);

    let mut tasks = Vec::new();
    for sender in 0..50u32 {
        let addr = relay.address();
        let send_id = owner.send_id();
        tasks.push(tokio::spawn(async move {
            let client = sanad_client::Client::connect(&addr, Default::default())
                .await
                .expect("connect");
            for n in 0..20u32 {
                let body = envelope::seal(
                    &public,
                    format!("sender {sender} message {n}").as_bytes(),
                    &mut OsRng,
                )
                .expect("seal");
                client.deposit(&send_id, body).await.expect("deposit");
            }
            client.close().await;
        }));
    }
    for t in tasks {
        t.await.expect("sender task");
    }

    let got = drain(&owner_client, &owner, &secret).await;
    assert_eq!(got.len(), 1000, "nothing lost, nothing duplicated");
    let unique: BTreeSet<_> = got.iter().cloned().collect();
    let expected: BTreeSet<Vec<u8>> = (0..50)
        .flat_map(|s| (0..20).map(move |n| format!("sender {s} message {n}").into_bytes()))
        .collect();
    assert_eq!(unique, expected);
    let left = owner_client.list(&owner, 0, 10).await.expect("list");
    assert!(
        left.items.is_empty() && !left.more,
        "everything acknowledged is gone"
    );
}

#[tokio::test]
async fn the_same_exchange_works_over_the_tcp_fallback() {
    let relay = TestRelay::start().await;
    let client = relay.client_with(TransportMode::TcpOnly).await;
    assert_eq!(client.transport_kind(), sanad_client::TransportKind::Tcp);
    let owner = client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await
        .expect("mailbox");
    let secret = StaticSecret::random_from_rng(OsRng);
    let public = PublicKey::from(&secret);
    for n in 0..30 {
        let body =
            envelope::seal(&public, format!("tcp {n}").as_bytes(), &mut OsRng).expect("seal");
        assert_eq!(
            client
                .deposit(&owner.send_id(), body)
                .await
                .expect("deposit"),
            n + 1
        );
    }
    let got = drain(&client, &owner, &secret).await;
    assert_eq!(got.len(), 30);
    assert_eq!(got[29], b"tcp 29");
}

#[tokio::test]
async fn quotas_refuse_with_a_typed_error_and_keep_the_connection_usable() {
    let quotas = Quotas {
        max_messages_per_mailbox: 3,
        ..Quotas::default()
    };
    let relay = TestRelay::start_with(quotas).await;
    let client = relay.client().await;
    let owner = client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await
        .expect("mailbox");
    for _ in 0..3 {
        client
            .deposit(&owner.send_id(), vec![1; 100])
            .await
            .expect("deposit");
    }
    match client.deposit(&owner.send_id(), vec![1; 100]).await {
        Err(ClientError::Relay {
            code: ErrorCode::MailboxFullCount,
            value: 3,
        }) => {}
        other => panic!("expected MailboxFullCount, got {other:?}"),
    }
    // Same connection, still serving; the refused message was not stored.
    assert_eq!(
        client.list(&owner, 0, 10).await.expect("list").items.len(),
        3
    );
    match client.deposit(&owner.send_id(), vec![0; 300 * 1024]).await {
        Err(ClientError::Relay {
            code: ErrorCode::MessageTooLarge,
            ..
        })
        | Err(ClientError::InvalidInput(_)) => {}
        other => panic!("expected a size refusal, got {other:?}"),
    }
    client.ping().await.expect("connection still usable");
}

#[tokio::test]
async fn messages_survive_a_relay_restart() {
    let mut relay = TestRelay::start().await;
    let client = relay.client().await;
    let owner = client
        .create_mailbox(&SigningKey::generate(&mut OsRng))
        .await
        .expect("mailbox");
    for n in 0..10u8 {
        client
            .deposit(&owner.send_id(), vec![n; 64])
            .await
            .expect("deposit");
    }
    client.close().await;
    relay.restart().await;
    let client = relay.client().await;
    let page = client.fetch(&owner, 0, 100).await.expect("fetch");
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.items[9].body, vec![9u8; 64]);
}
