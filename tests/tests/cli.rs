//! The `sanad` CLI as a new user runs it: real binary, real relay on
//! loopback, profiles created with the default (strong) key derivation.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use sanad_tests::harness::{files_under, run_measuring_peak_rss, sanad_bin, TestRelay};
use sha2::{Digest, Sha256};

const PASSPHRASE: &str = "correct horse battery staple";

fn sanad(profile: &Path) -> Command {
    let mut c = Command::new(sanad_bin());
    c.env("SANAD_PASSPHRASE", PASSPHRASE)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LANGUAGE")
        .arg("--profile")
        .arg(profile);
    c
}

fn ok(mut cmd: Command) -> String {
    let out = cmd.output().expect("sanad runs");
    check(&out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn check(out: &Output) {
    assert!(
        out.status.success(),
        "sanad failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_random(path: &Path, len: usize) -> [u8; 32] {
    use rand::RngCore;
    use std::io::Write;
    let mut f = std::fs::File::create(path).expect("create");
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        rand::thread_rng().fill_bytes(&mut chunk[..n]);
        hasher.update(&chunk[..n]);
        f.write_all(&chunk[..n]).expect("write");
        left -= n;
    }
    hasher.finalize().into()
}

fn sha256_file(path: &Path) -> [u8; 32] {
    use std::io::Read;
    let mut f = std::fs::File::open(path).expect("open");
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    hasher.finalize().into()
}

/// Two CLI profiles that have exchanged invites. Returns (alice, bob).
fn two_contacts(relay: &TestRelay, dir: &Path) -> (PathBuf, PathBuf) {
    let (alice, bob) = (dir.join("alice"), dir.join("bob"));
    let addr = relay.address().to_string();
    ok({
        let mut c = sanad(&alice);
        c.args(["init", "--relay", &addr, "--name", "Alice"]);
        c
    });
    ok({
        let mut c = sanad(&bob);
        c.args(["init", "--relay", &addr, "--name", "Bob"]);
        c
    });
    let invite = ok({
        let mut c = sanad(&alice);
        c.arg("invite");
        c
    });
    let invite = invite.trim().to_owned();
    assert!(invite.starts_with("sanad-invite:"), "{invite}");
    ok({
        let mut c = sanad(&bob);
        c.args(["contact", "add", &invite, "--name", "alice"]);
        c
    });
    for p in [&alice, &bob] {
        ok({
            let mut c = sanad(p);
            c.arg("sync");
            c
        });
    }
    (alice, bob)
}

fn json(mut cmd: Command) -> serde_json::Value {
    cmd.arg("--json");
    serde_json::from_str(&ok(cmd)).expect("JSON output")
}

fn file_message_id(bob: &Path) -> String {
    let inbox = json({
        let mut c = sanad(bob);
        c.arg("inbox");
        c
    });
    inbox
        .as_array()
        .expect("a list")
        .iter()
        .find(|h| !h["file"].is_null())
        .and_then(|h| h["id"].as_str())
        .expect("a file message")
        .to_owned()
}

/// Two profiles made through the library with the fast test KDF (8 MiB),
/// paired, then closed so the CLI can open them. The default KDF allocates
/// 256 MiB for about a second at every unlock, by design; a profile with the
/// fast KDF lets the peak memory below measure the transfer itself.
async fn two_contacts_fast_kdf(relay: &TestRelay, dir: &Path) -> (PathBuf, PathBuf) {
    use sanad_client::messenger::Messenger;
    use sanad_client::profile::keyfile::{KdfParams, Passphrase};
    use sanad_client::profile::ProfileDir;
    let (alice_dir, bob_dir) = (dir.join("alice"), dir.join("bob"));
    let make = |path: &Path, name: &'static str| {
        let path = path.to_path_buf();
        let address = relay.address();
        async move {
            Messenger::create(
                ProfileDir::new(path),
                &Passphrase::new(PASSPHRASE.into()),
                KdfParams::dangerous_fast_for_tests(),
                address,
                name,
                sanad_client::ConnectOptions::default(),
            )
            .await
            .expect("profile")
        }
    };
    let mut alice = make(&alice_dir, "Alice").await;
    let mut bob = make(&bob_dir, "Bob").await;
    let invite = alice.invite(3600).expect("invite");
    bob.add_contact(&invite, "alice").await.expect("added");
    alice.sync().await.expect("sync");
    bob.sync().await.expect("sync");
    alice.close().await;
    bob.close().await;
    drop((alice, bob));
    (alice_dir, bob_dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_sets_up_verifies_and_exchanges_messages() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (alice, bob) = two_contacts(&relay, dir.path());

    ok({
        let mut c = sanad(&bob);
        c.args(["send", "alice", "hello from the CLI"]);
        c
    });
    let synced = ok({
        let mut c = sanad(&alice);
        c.arg("sync");
        c
    });
    assert!(synced.contains("hello from the CLI"), "{synced}");
    let verify_a = ok({
        let mut c = sanad(&alice);
        c.args(["contact", "verify", "Bob"]);
        c
    });
    let verify_b = ok({
        let mut c = sanad(&bob);
        c.args(["contact", "verify", "alice"]);
        c
    });
    let digits = |s: &str| -> String { s.chars().filter(|c| c.is_ascii_digit()).collect() };
    assert_eq!(digits(&verify_a).len(), 60);
    assert_eq!(
        digits(&verify_a),
        digits(&verify_b),
        "the same safety number on both sides"
    );
    ok({
        let mut c = sanad(&alice);
        c.args(["contact", "verify", "Bob", "--confirm"]);
        c
    });
    let contacts = json({
        let mut c = sanad(&alice);
        c.args(["contact", "list"]);
        c
    });
    assert_eq!(contacts[0]["verified"], true, "{contacts}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_256_mib_file_is_sent_and_saved_byte_identical_with_peak_memory_under_100_mib() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (alice, bob) = two_contacts_fast_kdf(&relay, dir.path()).await;

    let source = dir.path().join("testimony.mp4");
    let digest = write_random(&source, 256 << 20);
    let (out, send_peak) = run_measuring_peak_rss(
        sanad(&alice)
            .arg("--quiet")
            .args(["send", "Bob", "--file"])
            .arg(&source),
    );
    check(&out);
    ok({
        let mut c = sanad(&bob);
        c.arg("sync");
        c
    });
    let id = file_message_id(&bob);
    let saved = dir.path().join("saved.mp4");
    let (out, save_peak) = run_measuring_peak_rss(
        sanad(&bob)
            .arg("--quiet")
            .args(["save", &id, "--out"])
            .arg(&saved),
    );
    check(&out);
    assert_eq!(
        sha256_file(&saved),
        digest,
        "the saved file is byte-identical"
    );
    eprintln!(
        "peak RSS: send {} MiB, save {} MiB (256 MiB file)",
        send_peak / 1024,
        save_peak / 1024
    );
    assert!(send_peak > 0 && save_peak > 0, "peaks were sampled");
    assert!(send_peak < 100 * 1024, "send peaked at {send_peak} KiB");
    assert!(save_peak < 100 * 1024, "save peaked at {save_peak} KiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_killed_midway_resumes_from_the_outbox_and_arrives_intact() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (alice, bob) = two_contacts(&relay, dir.path());
    let source = dir.path().join("photos.zip");
    let digest = write_random(&source, 192 << 20);

    let segments_before = files_under(relay.data_dir()).len();
    let mut child = sanad(&alice)
        .arg("--quiet")
        .args(["send", "Bob", "--file"])
        .arg(&source)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("send starts");
    // Kill it once part of the blob is on the relay.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let stored = files_under(relay.data_dir())
            .len()
            .saturating_sub(segments_before);
        if stored >= 16 {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the upload finished ({status}) before it could be interrupted");
        }
        assert!(Instant::now() < deadline, "the upload did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();

    let outbox = json({
        let mut c = sanad(&alice);
        c.args(["outbox", "list"]);
        c
    });
    let items = outbox.as_array().expect("a list");
    assert_eq!(items.len(), 1, "{outbox}");
    assert_eq!(items[0]["kind"], "file");
    assert_eq!(
        items[0]["upload_started"], true,
        "the blob survives the crash"
    );

    let flushed = json({
        let mut c = sanad(&alice);
        c.args(["outbox", "flush"]);
        c
    });
    assert_eq!(flushed["queued"], 0, "{flushed}");
    ok({
        let mut c = sanad(&bob);
        c.arg("sync");
        c
    });
    let id = file_message_id(&bob);
    let saved = dir.path().join("saved.zip");
    ok({
        let mut c = sanad(&bob);
        c.args(["save", &id, "--out"]).arg(&saved);
        c
    });
    assert_eq!(sha256_file(&saved), digest);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_a_person_can_act_on() {
    let relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (alice, _bob) = two_contacts(&relay, dir.path());

    let run = |args: &[&str], profile: &Path, pass: &str| -> (bool, String) {
        let out = sanad(profile)
            .env("SANAD_PASSPHRASE", pass)
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok1, err) = run(&["whoami"], &alice, "not the passphrase");
    assert!(!ok1);
    assert!(err.contains("Wrong passphrase"), "{err}");
    let (ok2, err) = run(&["send", "nobody", "hi"], &alice, PASSPHRASE);
    assert!(!ok2);
    assert!(err.contains("No contact or group has that name"), "{err}");
    let (ok3, err) = run(
        &["contact", "add", "sanad-invite:AAAA", "--name", "x"],
        &alice,
        PASSPHRASE,
    );
    assert!(!ok3);
    assert!(err.contains("invite"), "{err}");
    // A relay address with another pin: not the relay in the invite.
    let addr = relay.address().to_string();
    let pin_at = addr.find("pin=").expect("pin") + 4;
    let mut forged = addr.clone();
    let c = if &addr[pin_at..pin_at + 1] == "A" {
        "B"
    } else {
        "A"
    };
    forged.replace_range(pin_at..pin_at + 1, c);
    let (ok4, err) = run(
        &["init", "--relay", &forged, "--name", "Mallory"],
        &dir.path().join("mallory"),
        PASSPHRASE,
    );
    assert!(!ok4);
    assert!(err.contains("not the one in your invite"), "{err}");
    assert!(
        !dir.path().join("mallory").exists(),
        "nothing is left behind"
    );
}
