//! End-to-end messaging: real relays on loopback (QUIC, sled on temporary
//! directories) and real profiles (MLS, encrypted stores) driven through
//! the messenger library, as the `sanad` CLI drives it.

use std::path::{Path, PathBuf};

use sanad_client::messenger::{DeliveryState, HistoryView, Messenger};
use sanad_tests::harness::{contains, files_under, profile, TestRelay};
use sha2::{Digest, Sha256};

/// `a` invites `b`; `b` adds `a` as `a_name`; both sync. Returns the name
/// under which `a` sees `b` (its display name).
async fn pair(a: &mut Messenger, b: &mut Messenger, a_name: &str) -> String {
    let invite = a.invite(3600).expect("invite");
    b.add_contact(&invite, a_name).await.expect("contact added");
    a.sync().await.expect("a syncs");
    b.sync().await.expect("b syncs");
    a.sync().await.expect("a syncs again");
    let b_display = b.profile().display_name;
    assert!(
        a.contacts()
            .expect("contacts")
            .iter()
            .any(|c| c.name == b_display),
        "the inviter learns the contact from the first message"
    );
    b_display
}

fn texts_from(history: &[HistoryView], from: Option<&str>) -> Vec<String> {
    history
        .iter()
        .filter(|h| h.from.as_deref() == from)
        .filter_map(|h| h.text.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_profiles_exchange_a_hundred_messages_each_way_exactly_once_in_order() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut alice = profile(&relay, dir.path(), "Alice").await;
    let mut bob = profile(&relay, dir.path(), "Bob").await;
    let bob_name = pair(&mut alice, &mut bob, "alice").await;

    let mut to_bob = Vec::new();
    let mut to_alice = Vec::new();
    for i in 0..100 {
        let t = format!("alice to bob #{i}");
        let line = alice.send_text(&bob_name, &t).await.expect("alice sends");
        assert_eq!(line.state, DeliveryState::Sent);
        to_bob.push(t);
        let t = format!("bob to alice #{i} — مرحبا");
        bob.send_text("alice", &t).await.expect("bob sends");
        to_alice.push(t);
    }
    alice.sync().await.expect("alice syncs");
    bob.sync().await.expect("bob syncs");

    let at_bob = bob.history(Some("alice")).expect("history");
    assert_eq!(texts_from(&at_bob, Some("alice")), to_bob);
    let at_alice = alice.history(Some(&bob_name)).expect("history");
    assert_eq!(texts_from(&at_alice, Some(&bob_name)), to_alice);
    // Our own lines are in the history too, all delivered.
    assert_eq!(texts_from(&at_alice, None), to_bob);
    assert!(at_alice
        .iter()
        .filter(|h| h.from.is_none() && h.text.is_some())
        .all(|h| h.state == DeliveryState::Sent));
    // A second sync brings nothing twice.
    let again = bob.sync().await.expect("sync");
    assert!(again.received.is_empty(), "nothing is delivered twice");
    // Both sides compute the same safety number.
    assert_eq!(
        alice.safety_number(&bob_name).expect("number").digits(),
        bob.safety_number("alice").expect("number").digits()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_of_three_sees_every_message_and_a_removed_member_reads_nothing_after() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut desk = profile(&relay, dir.path(), "Desk").await;
    let mut partner = profile(&relay, dir.path(), "Partner").await;
    let mut trainee = profile(&relay, dir.path(), "Trainee").await;
    let partner_name = pair(&mut desk, &mut partner, "desk").await;
    let trainee_name = pair(&mut desk, &mut trainee, "desk").await;

    desk.create_group("Tunis desk").await.expect("group");
    desk.add_to_group("Tunis desk", &[partner_name.clone(), trainee_name.clone()])
        .await
        .expect("members added");
    partner.sync().await.expect("sync");
    trainee.sync().await.expect("sync");
    let code = desk.group_check_code("Tunis desk").expect("code");
    assert_eq!(partner.group_check_code("Tunis desk").expect("code"), code);
    assert_eq!(trainee.group_check_code("Tunis desk").expect("code"), code);

    desk.send_text("Tunis desk", "from the desk")
        .await
        .expect("send");
    partner
        .send_text("Tunis desk", "from the partner")
        .await
        .expect("send");
    trainee
        .send_text("Tunis desk", "from the trainee")
        .await
        .expect("send");
    for m in [&mut desk, &mut partner, &mut trainee] {
        m.sync().await.expect("sync");
    }
    for (m, own) in [
        (&desk, "from the desk"),
        (&partner, "from the partner"),
        (&trainee, "from the trainee"),
    ] {
        let texts: Vec<String> = m
            .history(Some("Tunis desk"))
            .expect("history")
            .into_iter()
            .filter_map(|h| h.text)
            .collect();
        for t in ["from the desk", "from the partner", "from the trainee"] {
            assert!(
                texts.contains(&t.to_owned()),
                "{own}: missing {t:?} in {texts:?}"
            );
        }
    }

    desk.remove_from_group("Tunis desk", std::slice::from_ref(&trainee_name))
        .await
        .expect("removed");
    desk.send_text("Tunis desk", "after the removal")
        .await
        .expect("send");
    partner.sync().await.expect("sync");
    trainee.sync().await.expect("sync");
    let at_partner = partner.history(Some("Tunis desk")).expect("history");
    assert!(at_partner
        .iter()
        .any(|h| h.text.as_deref() == Some("after the removal")));
    let at_trainee = trainee.history(Some("Tunis desk")).expect("history");
    assert!(
        !at_trainee
            .iter()
            .any(|h| h.text.as_deref() == Some("after the removal")),
        "a removed member reads nothing sent after the removal"
    );
    assert!(at_trainee
        .iter()
        .any(|h| h.event.as_deref() == Some("you-were-removed")));
    assert!(trainee
        .send_text("Tunis desk", "still here?")
        .await
        .is_err());
    // The two who remain still agree.
    assert_eq!(
        desk.group_check_code("Tunis desk").expect("code"),
        partner.group_check_code("Tunis desk").expect("code")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_written_while_the_relay_is_down_is_delivered_after_it_restarts() {
    let mut relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut alice = profile(&relay, dir.path(), "Alice").await;
    let mut bob = profile(&relay, dir.path(), "Bob").await;
    let bob_name = pair(&mut alice, &mut bob, "alice").await;

    relay.stop().await;
    let line = alice
        .send_text(&bob_name, "written offline")
        .await
        .expect("a message is queued, not refused");
    assert_eq!(line.state, DeliveryState::Queued);
    assert_eq!(alice.outbox().expect("outbox").len(), 1);
    let report = alice.sync().await.expect("an offline sync is not an error");
    assert!(report.offline);
    assert_eq!(report.queued, 1);

    relay.restart_in_place().await;
    let report = alice.sync().await.expect("sync");
    assert_eq!(report.sent, 1);
    assert!(alice.outbox().expect("outbox").is_empty());
    bob.sync().await.expect("sync");
    let texts = texts_from(&bob.history(Some("alice")).expect("history"), Some("alice"));
    assert_eq!(texts, vec!["written offline".to_owned()]);
}

/// Deposit raw bytes into a conversation's mailbox, as a hostile relay or
/// member could.
async fn deposit_raw(relay: &TestRelay, m: &Messenger, conversation: &str, body: Vec<u8>) {
    let owner = m
        .dangerous_conversation_mailbox(conversation)
        .expect("mailbox");
    let client = relay.client().await;
    client
        .deposit(&owner.send_id(), body)
        .await
        .expect("deposit");
    client.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_replayed_and_removed_member_messages_are_rejected_and_nothing_else_is_lost() {
    let mut relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut alice = profile(&relay, dir.path(), "Alice").await;
    let mut bob = profile(&relay, dir.path(), "Bob").await;
    let mut carol = profile(&relay, dir.path(), "Carol").await;
    let bob_name = pair(&mut alice, &mut bob, "alice").await;
    let carol_name = pair(&mut alice, &mut carol, "alice").await;

    // Replayed and altered copies of a real message.
    alice.send_text(&bob_name, "one").await.expect("send");
    let owner = alice
        .dangerous_conversation_mailbox(&bob_name)
        .expect("mailbox");
    let client = relay.client().await;
    let stored = client.fetch(&owner, 0, 100).await.expect("fetch");
    let last = stored.items.last().expect("a message").body.clone();
    client.close().await;
    deposit_raw(&relay, &alice, &bob_name, last.clone()).await;
    let mut altered = last.clone();
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    deposit_raw(&relay, &alice, &bob_name, altered).await;
    deposit_raw(&relay, &alice, &bob_name, b"not MLS at all".to_vec()).await;
    alice.send_text(&bob_name, "two").await.expect("send");
    bob.sync().await.expect("bad input is not a sync failure");
    let at_bob = bob.history(Some("alice")).expect("history");
    assert_eq!(texts_from(&at_bob, Some("alice")), vec!["one", "two"]);
    let rejected = at_bob
        .iter()
        .filter(|h| h.event.as_deref() == Some("rejected"))
        .count();
    assert_eq!(rejected, 3, "each bad message is reported once: {at_bob:?}");

    // A member removed in relay order cannot speak, even with keys of an
    // epoch the others still hold.
    alice.create_group("desk").await.expect("group");
    alice
        .add_to_group("desk", &[bob_name.clone(), carol_name.clone()])
        .await
        .expect("added");
    bob.sync().await.expect("sync");
    carol.sync().await.expect("sync");
    relay.stop().await;
    let queued = carol.send_text("desk", "sent late").await.expect("queued");
    assert_eq!(queued.state, DeliveryState::Queued);
    relay.restart_in_place().await;
    alice
        .remove_from_group("desk", std::slice::from_ref(&carol_name))
        .await
        .expect("removed");
    // Carol's device has not seen the removal: it encrypts in the old epoch.
    let (sent, _) = carol.flush_outbox().await.expect("flush");
    assert_eq!(sent, 1);
    alice.send_text("desk", "after").await.expect("send");
    bob.sync().await.expect("sync");
    let at_bob = bob.history(Some("desk")).expect("history");
    assert!(!at_bob
        .iter()
        .any(|h| h.text.as_deref() == Some("sent late")));
    assert!(at_bob.iter().any(|h| h.text.as_deref() == Some("after")));
    assert!(at_bob
        .iter()
        .any(|h| h.event.as_deref() == Some("rejected")));
}

fn random_file(path: &Path, len: usize) -> [u8; 32] {
    use rand::RngCore;
    let mut data = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut data);
    std::fs::write(path, &data).expect("write");
    Sha256::digest(&data).into()
}

fn sha256_file(path: &Path) -> [u8; 32] {
    let data = std::fs::read(path).expect("read");
    Sha256::digest(&data).into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_sent_and_saved_byte_identical_and_damage_is_refused() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut alice = profile(&relay, dir.path(), "Alice").await;
    let mut bob = profile(&relay, dir.path(), "Bob").await;
    let bob_name = pair(&mut alice, &mut bob, "alice").await;

    let source = dir.path().join("report – تقرير.pdf");
    let digest = random_file(&source, 5 * 1024 * 1024 + 123);
    let sent = alice
        .send_file(&bob_name, &source)
        .await
        .expect("send file");
    assert_eq!(sent.state, DeliveryState::Sent);
    let spool: Vec<PathBuf> = files_under(&alice.dir().spool_path());
    assert!(
        spool.is_empty(),
        "the spool is emptied once the file is announced"
    );

    bob.sync().await.expect("sync");
    let line = bob
        .history(Some("alice"))
        .expect("history")
        .into_iter()
        .find(|h| h.file.is_some())
        .expect("a file arrived");
    let file = line.file.clone().expect("file");
    assert_eq!(file.name, "report – تقرير.pdf");
    assert_eq!(file.media_type, "application/pdf");
    let out = dir.path().join("saved.pdf");
    bob.save_file(&line.id, &out).await.expect("save");
    assert_eq!(sha256_file(&out), digest);
    // Saving never replaces an existing file.
    assert!(bob.save_file(&line.id, &out).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_stores_no_text_name_file_name_or_identity_key() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut alice = profile(&relay, dir.path(), "AliceCanaryName").await;
    let mut bob = profile(&relay, dir.path(), "BobCanaryName").await;
    let bob_name = pair(&mut alice, &mut bob, "alice-local-canary").await;
    alice
        .send_text(&bob_name, "TEXT-CANARY-7f3a witness statement")
        .await
        .expect("send");
    let source = dir.path().join("FILENAME-CANARY-91c2.txt");
    std::fs::write(&source, b"FILE-CONTENT-CANARY-55d1 ".repeat(1000)).expect("write");
    alice
        .send_file(&bob_name, &source)
        .await
        .expect("send file");
    alice
        .create_group("GROUP-CANARY-0b7e")
        .await
        .expect("group");
    bob.sync().await.expect("sync");

    let mut needles: Vec<Vec<u8>> = vec![
        b"TEXT-CANARY-7f3a".to_vec(),
        b"FILENAME-CANARY-91c2".to_vec(),
        b"FILE-CONTENT-CANARY-55d1".to_vec(),
        b"AliceCanaryName".to_vec(),
        b"BobCanaryName".to_vec(),
        b"alice-local-canary".to_vec(),
        b"GROUP-CANARY-0b7e".to_vec(),
    ];
    for m in [&alice, &bob] {
        let hex = m.profile().identity_key;
        needles.push(hex.as_bytes().to_vec());
        needles.push(
            (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
                .collect(),
        );
    }
    let files = files_under(relay.data_dir());
    assert!(!files.is_empty());
    for f in files {
        let data = std::fs::read(&f).expect("read");
        for n in &needles {
            assert!(
                !contains(&data, n),
                "{} holds {:?}",
                f.display(),
                String::from_utf8_lossy(n)
            );
        }
    }
    // The profiles themselves keep nothing in clear either.
    for m in [&alice, &bob] {
        for f in files_under(m.dir().path()) {
            let data = std::fs::read(&f).expect("read");
            for n in &needles[..7] {
                assert!(
                    !contains(&data, n),
                    "profile file {} holds a canary",
                    f.display()
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_are_ordered_by_the_relay_and_the_loser_proposes_again() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut desk = profile(&relay, dir.path(), "Desk").await;
    let mut partner = profile(&relay, dir.path(), "Partner").await;
    let mut trainee = profile(&relay, dir.path(), "Trainee").await;
    let partner_name = pair(&mut desk, &mut partner, "desk").await;
    let trainee_name = pair(&mut desk, &mut trainee, "desk").await;
    desk.create_group("T").await.expect("group");
    desk.add_to_group("T", &[partner_name, trainee_name])
        .await
        .expect("added");
    partner.sync().await.expect("sync");
    trainee.sync().await.expect("sync");

    for round in 0..3 {
        // Two members change the group at the same moment: both commits
        // are built on the same epoch; the relay's order picks one.
        let (a, b) = tokio::join!(desk.update_keys("T"), partner.update_keys("T"));
        a.expect("the desk's change goes through");
        b.expect("the partner's change goes through");
        for m in [&mut desk, &mut partner, &mut trainee] {
            m.sync().await.expect("sync");
        }
        let code = desk.group_check_code("T").expect("code");
        assert_eq!(
            partner.group_check_code("T").expect("code"),
            code,
            "round {round}"
        );
        assert_eq!(
            trainee.group_check_code("T").expect("code"),
            code,
            "round {round}"
        );
    }
    desk.send_text("T", "still one group").await.expect("send");
    partner.sync().await.expect("sync");
    trainee.sync().await.expect("sync");
    for m in [&partner, &trainee] {
        assert!(m
            .history(Some("T"))
            .expect("history")
            .iter()
            .any(|h| h.text.as_deref() == Some("still one group")));
    }
}
