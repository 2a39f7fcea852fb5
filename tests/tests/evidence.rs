//! Evidence end to end: a documenter's device and the Tunis desk, real
//! profiles on a real relay on loopback (QUIC, sled on temporary
//! directories), driven through the messenger library as the `sanad` CLI
//! drives it; the exported bundle checked by the real `sanad verify`.

use std::path::{Path, PathBuf};
use std::process::Command;

use sanad_client::messenger::{CaptureRequest, EvidenceState, Messenger};
use sanad_protocol::evidence::Fields;
use sanad_tests::harness::{contains, files_under, profile, sanad_bin, TestRelay};

/// The documenter invites the desk; both sync. Returns the name under
/// which the documenter sees the desk.
async fn pair(documenter: &mut Messenger, desk: &mut Messenger) -> String {
    let invite = documenter.invite(3600).expect("invite");
    desk.add_contact(&invite, "partner")
        .await
        .expect("contact added");
    documenter.sync().await.expect("sync");
    desk.sync().await.expect("sync");
    documenter.sync().await.expect("sync");
    desk.profile().display_name
}

/// Twenty items of mixed kinds: photos, audio, video, documents, texts.
fn mixed_files(dir: &Path) -> Vec<PathBuf> {
    let kinds = [
        ("photo", "jpg", 40_000),
        ("recording", "m4a", 300_000),
        ("video", "mp4", 1_500_000),
        ("report", "pdf", 80_000),
        ("شهادة", "txt", 3_000),
    ];
    let mut files = Vec::new();
    for i in 0..18 {
        let (stem, ext, len) = kinds[i % kinds.len()];
        let path = dir.join(format!("{stem}-{i}.{ext}"));
        let bytes: Vec<u8> = (0..len + i).map(|j| (j * 31 + i * 7) as u8).collect();
        std::fs::write(&path, bytes).expect("write");
        files.push(path);
    }
    files
}

fn request(case: &str, to: &str) -> CaptureRequest {
    let mut fields = Fields::new();
    fields
        .set_by_name("incident_date", "2026-03-17")
        .expect("valid field");
    fields
        .set_by_name("testimony_language", "ar-LY")
        .expect("valid field");
    CaptureRequest {
        case_ref: case.to_owned(),
        to: Some(to.to_owned()),
        fields,
        delete_original: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_items_captured_offline_arrive_verified_and_the_bundle_verifies() {
    let mut relay = TestRelay::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut documenter = profile(&relay, dir.path(), "Documenter").await;
    let mut desk = profile(&relay, dir.path(), "Desk").await;
    let desk_name = pair(&mut documenter, &mut desk).await;

    // Enrolment, in person: the desk types the device key it was shown.
    let device_key = documenter.evidence_key().expect("device key");
    let key = sanad_client::messenger::parse_device_key(&device_key).expect("a key");
    desk.enrol_device(&key, "device 3", "partner organisation Y", Some("partner"))
        .await
        .expect("enrolled");
    documenter.sync().await.expect("documenter syncs");
    assert_eq!(
        documenter.evidence_enrolment().expect("enrolment"),
        Some(("device 3".to_owned(), "partner organisation Y".to_owned()))
    );

    // Offline: the relay is down while the documenter captures 20 items.
    relay.stop().await;
    let files = mixed_files(dir.path());
    let case = "LY-2026-0042";
    let mut captured = documenter
        .capture_files(&files, &request(case, &desk_name))
        .await
        .expect("captured offline");
    captured.push(
        documenter
            .capture_testimony(
                "He said: they kept us in the dark for nine days.",
                &request(case, &desk_name),
            )
            .await
            .expect("testimony"),
    );
    captured.push(
        documenter
            .capture_testimony(
                "قال: أبقونا في الظلام تسعة أيام.",
                &request(case, &desk_name),
            )
            .await
            .expect("testimony in Arabic"),
    );
    assert_eq!(captured.len(), 20);
    // The testimonies' text is nowhere on the device's disk in the clear:
    // encrypted from memory into the spool, the store encrypted too.
    for file in files_under(&dir.path().join("Documenter")) {
        let bytes = std::fs::read(&file).expect("read profile file");
        for text in [&b"nine days"[..], "تسعة أيام".as_bytes()] {
            assert!(
                !contains(&bytes, text),
                "{} holds a testimony",
                file.display()
            );
        }
    }
    assert!(
        captured.iter().all(|v| v.state == EvidenceState::Captured),
        "nothing leaves while the relay is down"
    );

    // Back online: commitments, uploads, delivery, then the desk checks.
    relay.restart_in_place().await;
    documenter.sync().await.expect("documenter syncs");
    let sent = documenter.evidence_list().expect("list");
    assert!(
        sent.iter().all(|v| v.state == EvidenceState::Delivered),
        "{:?}",
        sent.iter().map(|v| v.state).collect::<Vec<_>>()
    );
    let report = desk.sync().await.expect("desk syncs");
    assert_eq!(report.evidence.len(), 20);
    for item in &report.evidence {
        assert_eq!(
            item.state,
            EvidenceState::Verified,
            "{}: {:?}",
            item.file_name,
            item.checks
        );
        assert!(
            item.checks.iter().all(|(_, ok, _)| *ok),
            "{:?}",
            item.checks
        );
        assert_eq!(item.case_ref, case);
    }
    // The desk's confirmations let the device drop its spool copies.
    documenter.sync().await.expect("documenter syncs");
    assert!(documenter
        .evidence_list()
        .expect("list")
        .iter()
        .all(|v| v.state == EvidenceState::Confirmed));
    let spool = dir.path().join("Documenter").join("spool");
    assert!(
        files_under(&spool).is_empty(),
        "spool emptied after confirmation"
    );

    // Zero knowledge: the relay holds no content hash, file name, case
    // reference or field value.
    relay.stop().await;
    let leaks: Vec<Vec<u8>> = vec![
        case.as_bytes().to_vec(),
        b"photo-0.jpg".to_vec(),
        "شهادة".as_bytes().to_vec(),
        b"2026-03-17".to_vec(),
        b"ar-LY".to_vec(),
        hex::decode(&captured[0].sha256).expect("hex"),
        captured[0].sha256.as_bytes().to_vec(),
    ];
    for file in files_under(relay.data_dir()) {
        let bytes = std::fs::read(&file).expect("read relay file");
        for leak in &leaks {
            assert!(!contains(&bytes, leak), "{} leaks", file.display());
        }
    }
    relay.restart_in_place().await;

    // Export three items and check the bundle with the real offline
    // verifier: no profile, no network.
    let ids: Vec<String> = report
        .evidence
        .iter()
        .take(3)
        .map(|v| v.id.clone())
        .collect();
    let bundle = dir.path().join("case-LY-2026-0042");
    desk.export_evidence(&ids, &bundle, sanad_client::i18n::Lang::En)
        .await
        .expect("exported");
    let desk_key = desk.desk_public_key().expect("desk key");
    let out = Command::new(sanad_bin())
        .env("LANG", "C")
        .args(["verify", "--desk-key", &desk_key])
        .arg(&bundle)
        .output()
        .expect("sanad verify runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("device 3"), "{text}");
    assert!(text.contains("partner organisation Y"), "{text}");

    // One bundle per item, and the report, in the folder.
    let zips: Vec<PathBuf> = files_under(&bundle)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    assert_eq!(zips.len(), 3);
    let report = std::fs::read_to_string(bundle.join("report.html")).expect("report");
    assert!(
        report.contains("device 3") && report.contains(case),
        "the report names them"
    );

    // One flipped bit in a bundle and the verifier says no.
    let mut bytes = std::fs::read(&zips[0]).expect("read bundle");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let tampered = dir.path().join("tampered.zip");
    std::fs::write(&tampered, bytes).expect("write");
    let out = Command::new(sanad_bin())
        .env("LANG", "C")
        .arg("verify")
        .arg(&tampered)
        .output()
        .expect("sanad verify runs");
    assert!(!out.status.success(), "a tampered bundle is refused");
}
