//! What the desk does with evidence after it arrived, through the real
//! `sanad` CLI on the desk's profile: `sanad anchor` against a real local
//! RFC 3161 timestamp authority (`openssl ts`, P-256, timeStamping usage),
//! `sanad evidence redact --strip-metadata` on a received phone photo,
//! `sanad evidence export`, and the offline `sanad verify --tsa-cert` on
//! the bundles. Real relay on loopback; the documenter's side and the
//! setup go through the messenger library, as the CLI drives it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sanad_client::messenger::{CaptureRequest, EvidenceState};
use sanad_protocol::evidence::Fields;
use sanad_tests::harness::{
    contains, files_under, profile, sanad_bin, TestRelay, PROFILE_PASSPHRASE,
};
use sanad_tests::tsa::LocalTsa;
use sha2::{Digest, Sha256};

/// Bytes of the photo's metadata that no redacted copy may hold: a serial
/// number and a place (in Exif), a GPS tag and an editing tool (in XMP),
/// a name (in a comment).
const SECRETS: [&[u8]; 5] = [
    b"SERIAL-4417",
    b"Misrata",
    b"GPSLatitude",
    b"PhotoEditor 9",
    b"Witness Name",
];

/// The real `sanad` on `profile`, in English, run off the async workers
/// (the local TSA is served by this test's runtime).
async fn sanad(profile: &Path, args: Vec<OsString>) -> Output {
    let profile = profile.to_path_buf();
    tokio::task::spawn_blocking(move || {
        Command::new(sanad_bin())
            .env("SANAD_PASSPHRASE", PROFILE_PASSPHRASE)
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LANGUAGE")
            .arg("--profile")
            .arg(&profile)
            .args(&args)
            .output()
            .expect("sanad runs")
    })
    .await
    .expect("the command's thread")
}

/// `sanad verify --json` (no profile) on `bundle`, with `extra` options.
async fn verify(bundle: &Path, extra: Vec<OsString>) -> (bool, serde_json::Value) {
    let bundle = bundle.to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(sanad_bin())
            .env("LANG", "C")
            .arg("--json")
            .arg("verify")
            .args(&extra)
            .arg(&bundle)
            .output()
            .expect("sanad verify runs")
    })
    .await
    .expect("the command's thread");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "verify --json printed JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), json)
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "sanad failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What `sanad verify --json` says of the bundle of the file whose
/// SHA-256 is `sha256` (hex), or of the bundle at that path (a bundle that
/// fails states no facts, only its checks).
fn bundle_of<'a>(json: &'a serde_json::Value, sha256: &str) -> &'a serde_json::Value {
    json.as_array()
        .expect("a list of bundles")
        .iter()
        .find(|b| b["content_sha256"] == sha256 || b["bundle"] == sha256)
        .unwrap_or_else(|| panic!("no bundle of {sha256}: {json}"))
}

/// The outcome `sanad verify --json` gives `check` in the bundle of the
/// file whose SHA-256 is `sha256`, with its error ID.
fn outcome(json: &serde_json::Value, sha256: &str, check: &str) -> (String, Option<String>) {
    let bundle = bundle_of(json, sha256);
    let c = bundle["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["check"] == check)
        .unwrap_or_else(|| panic!("no check {check} in {bundle}"));
    (
        c["outcome"].as_str().expect("outcome").to_owned(),
        c["error"].as_str().map(str::to_owned),
    )
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// An 8×8 grey baseline JPEG as a phone writes it: Exif (make and serial
/// as text, a GPS directory), XMP with a GPS position and an editing tool,
/// a comment naming someone.
fn phone_photo() -> Vec<u8> {
    // Little-endian TIFF: IFD0 (Make, BodySerialNumber, GPS pointer), then
    // a GPS IFD (latitude reference), then the text both tags point at.
    let text = b"SERIAL-4417 Misrata\0";
    let (gps_at, text_at) = (50u32, 68u32);
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, n: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    tiff.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut tiff, 0x010F, 2, text.len() as u32, text_at);
    entry(&mut tiff, 0xA431, 2, text.len() as u32, text_at);
    entry(&mut tiff, 0x8825, 4, 1, gps_at);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), gps_at as usize);
    tiff.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut tiff, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), text_at as usize);
    tiff.extend_from_slice(text);

    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00"));
    j.extend(segment(0xE1, &[b"Exif\0\0".as_slice(), &tiff].concat()));
    j.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>32,22N</exif:GPSLatitude>\
          <xmp:CreatorTool>PhotoEditor 9</xmp:CreatorTool></x:xmpmeta>",
    ));
    j.extend(segment(0xFE, b"taken by Witness Name"));
    // Quantisation table, frame, one-code Huffman tables, scan header;
    // one block: "DC difference 0, end of block", padded with ones.
    j.extend(segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat()));
    j.extend(segment(0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
    for class in [0x00u8, 0x10] {
        let mut t = vec![class, 1];
        t.extend_from_slice(&[0u8; 15]);
        t.push(0);
        j.extend(segment(0xC4, &t));
    }
    j.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    j.push(0x3F);
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

fn pixels(jpeg: &[u8]) -> Vec<u8> {
    jpeg_decoder::Decoder::new(jpeg)
        .decode()
        .expect("the JPEG decodes")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_anchors_redacts_and_exports_and_anyone_verifies_the_timestamps() {
    let relay = TestRelay::start().await;
    let tsa = LocalTsa::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut documenter = profile(&relay, dir.path(), "Documenter").await;
    let mut desk = profile(&relay, dir.path(), "Desk").await;

    // Pair, and enrol the device (its key read out in person).
    let invite = documenter.invite(3600).expect("invite");
    desk.add_contact(&invite, "partner")
        .await
        .expect("contact added");
    documenter.sync().await.expect("sync");
    desk.sync().await.expect("sync");
    documenter.sync().await.expect("sync");
    let desk_name = desk.profile().display_name;
    let key =
        sanad_client::messenger::parse_device_key(&documenter.evidence_key().expect("device key"))
            .expect("a key");
    desk.enrol_device(&key, "device 7", "partner organisation Z", Some("partner"))
        .await
        .expect("enrolled");
    documenter.sync().await.expect("documenter syncs");

    // A phone photo and a document, captured and delivered.
    let photo = dir.path().join("IMG_0412.jpg");
    let photo_bytes = phone_photo();
    std::fs::write(&photo, &photo_bytes).expect("write photo");
    let report_pdf = dir.path().join("medical-report.pdf");
    let pdf_bytes = b"%PDF-1.4 a medical report\n%%EOF\n";
    std::fs::write(&report_pdf, pdf_bytes).expect("write pdf");
    let photo_sha = hex::encode(Sha256::digest(&photo_bytes));
    let pdf_sha = hex::encode(Sha256::digest(pdf_bytes));
    let mut fields = Fields::new();
    fields
        .set_by_name("incident_date", "2026-02-11")
        .expect("valid field");
    let request = CaptureRequest {
        case_ref: "LY-2026-0107".to_owned(),
        to: Some(desk_name),
        fields,
        delete_original: false,
    };
    documenter
        .capture_files(&[photo.clone(), report_pdf.clone()], &request)
        .await
        .expect("captured");
    // A testimony's plaintext left in the spool by a crash mid-capture is
    // removed by the next sync; the evidence waiting there is not.
    let leftover = dir
        .path()
        .join("Documenter")
        .join("spool")
        .join("00112233aabbccdd.testimony");
    std::fs::write(&leftover, "what the witness said").expect("write leftover");
    documenter.sync().await.expect("documenter syncs");
    assert!(!leftover.exists(), "the leftover plaintext is gone");
    let arrived = desk.sync().await.expect("desk syncs").evidence;
    assert_eq!(arrived.len(), 2);
    for item in &arrived {
        assert_eq!(item.state, EvidenceState::Verified, "{:?}", item.checks);
    }
    let photo_id = arrived
        .iter()
        .find(|v| v.file_name == "IMG_0412.jpg")
        .expect("the photo arrived")
        .id
        .clone();
    let pdf_id = arrived
        .iter()
        .find(|v| v.file_name == "medical-report.pdf")
        .expect("the document arrived")
        .id
        .clone();
    let desk_key = desk.desk_public_key().expect("desk key");
    // The profile is the CLI's from here on.
    desk.close().await;
    documenter.close().await;
    drop((desk, documenter));
    let desk_dir = dir.path().join("Desk");

    // `sanad anchor`: the local TSA stamps the log's current checkpoint,
    // which covers both items.
    let cert = dir.path().join("tsa.der");
    std::fs::write(&cert, tsa.cert_der()).expect("write cert");
    let mut args = os(&["anchor", "--tsa", &tsa.url(), "--tsa-cert"]);
    args.push(cert.clone().into());
    let text = succeeded(&sanad(&desk_dir, args).await);
    assert!(text.contains("Local Test TSA"), "{text}");

    // `sanad evidence redact`: a copy without the metadata, same picture.
    let clean = dir.path().join("IMG_0412-clean.jpg");
    let mut args = os(&["evidence", "redact", &photo_id, "--strip-metadata", "--out"]);
    args.push(clean.clone().into());
    let text = succeeded(&sanad(&desk_dir, args).await);
    assert!(text.contains("IMG_0412-clean.jpg"), "{text}");
    let copy = std::fs::read(&clean).expect("the copy was written");
    for secret in SECRETS {
        assert!(contains(&photo_bytes, secret), "the sample carries it");
        assert!(
            !contains(&copy, secret),
            "{:?} survived redaction",
            String::from_utf8_lossy(secret)
        );
    }
    assert_eq!(pixels(&copy), pixels(&photo_bytes), "the same picture");
    // Not for a file it cannot clean: a PDF is refused, nothing written.
    let refused = dir.path().join("report-clean.pdf");
    let mut args = os(&["evidence", "redact", &pdf_id, "--strip-metadata", "--out"]);
    args.push(refused.clone().into());
    let out = sanad(&desk_dir, args).await;
    assert!(!out.status.success(), "a PDF cannot be redacted here");
    assert!(!refused.exists(), "nothing written");

    // The desk's file of the case: `sanad evidence list --case`.
    for (case, count) in [("LY-2026-0107", 2), ("LY-2026-0001", 0)] {
        let listed = succeeded(
            &sanad(
                &desk_dir,
                os(&["--json", "evidence", "list", "--case", case]),
            )
            .await,
        );
        let listed: serde_json::Value = serde_json::from_str(&listed).expect("JSON");
        assert_eq!(listed.as_array().map(Vec::len), Some(count), "{case}");
    }

    // `sanad evidence export`: one bundle per item and the report.
    let folder = dir.path().join("LY-2026-0107");
    let mut args = os(&["evidence", "export", &photo_id, &pdf_id, "--out"]);
    args.push(folder.clone().into());
    succeeded(&sanad(&desk_dir, args).await);
    let bundles: Vec<PathBuf> = files_under(&folder)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    assert_eq!(bundles.len(), 2);
    let report = std::fs::read_to_string(folder.join("report.html")).expect("report");
    let copy_hash = hex::encode(Sha256::digest(&copy));
    assert!(
        report.contains(&copy_hash),
        "the report names the redacted copy by its hash"
    );
    // And says what it lacks, as the redaction found it.
    for kind in ["Exif", "XMP", "comment"] {
        assert!(report.contains(kind), "the report lists {kind}");
    }

    // Anyone, offline, with the TSA's certificate: everything holds,
    // including the timestamp and the redacted copy's signed record.
    let mut trusted = os(&["--desk-key", &desk_key, "--tsa-cert"]);
    trusted.push(cert.clone().into());
    let (ok, json) = verify(&folder, trusted).await;
    assert!(ok, "{json}");
    for sha in [&photo_sha, &pdf_sha] {
        assert_eq!(outcome(&json, sha, "anchor-1").0, "passed", "{json}");
        let b = bundle_of(&json, sha);
        assert_eq!(b["verified"], true);
        assert!(b["not_after_tsa"].as_u64().is_some(), "{b}");
        assert_eq!(b["device"], "device 7");
    }
    assert_eq!(outcome(&json, &photo_sha, "derivative-1").0, "passed");
    let photo_bundle = bundle_of(&json, &photo_sha)["bundle"]
        .as_str()
        .expect("its path")
        .to_owned();
    assert!(bundles.contains(&PathBuf::from(&photo_bundle)));

    // Pinning the relay's log key (as `sanad-relay log-key` prints it):
    // the log-key check runs and holds; another log's key fails it.
    let keys = sanad_relay::keys::load(relay.data_dir()).expect("relay keys");
    let vkey = sanad_protocol::LogKey::new(keys.log_signing_key().verifying_key())
        .verifier()
        .to_vkey();
    let (ok, json) = verify(&folder, os(&["--desk-key", &desk_key, "--log-key", &vkey])).await;
    assert!(ok, "{json}");
    assert_eq!(outcome(&json, &photo_sha, "log-key").0, "passed");
    let other_log = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
    let other_vkey = sanad_protocol::LogKey::new(other_log).verifier().to_vkey();
    let (ok, json) = verify(
        &folder,
        os(&["--desk-key", &desk_key, "--log-key", &other_vkey]),
    )
    .await;
    assert!(!ok, "another log's key fails: {json}");
    assert_eq!(
        outcome(&json, &photo_bundle, "log-key"),
        ("failed".to_owned(), Some("log-key-untrusted".to_owned()))
    );

    // Without the certificate the token is not checked, and says so; the
    // rest still holds.
    let (ok, json) = verify(&folder, os(&["--desk-key", &desk_key])).await;
    assert!(ok, "{json}");
    assert_eq!(
        outcome(&json, &photo_sha, "anchor-1").0,
        "not-run-no-tsa-certificates"
    );

    // Another TSA's certificate: the token is from an authority the
    // verifier did not trust, and the bundle fails with that error.
    let other = dir.path().join("other.der");
    std::fs::write(&other, tsa.other_cert_der()).expect("write cert");
    let mut untrusted = os(&["--desk-key", &desk_key, "--tsa-cert"]);
    untrusted.push(other.into());
    let (ok, json) = verify(&folder, untrusted).await;
    assert!(!ok, "an untrusted timestamp fails: {json}");
    assert_eq!(
        outcome(&json, &photo_bundle, "anchor-1"),
        ("failed".to_owned(), Some("tsa-untrusted".to_owned()))
    );

    // The stock `openssl ts -verify` accepts the token the bundle carries,
    // for the checkpoint text the bundle carries.
    let (checkpoint, token) = anchor_parts(Path::new(&photo_bundle));
    assert!(
        tsa.openssl_verifies(&checkpoint, &token),
        "openssl ts -verify accepts the stored token"
    );
}

/// The first anchor's stamped checkpoint (its note text: the first three
/// lines, as `docs/evidence-format.md` says) and token, read from a bundle
/// with an independent ZIP reader.
fn anchor_parts(bundle: &Path) -> (Vec<u8>, Vec<u8>) {
    use std::io::Read;
    let file = std::fs::File::open(bundle).expect("open bundle");
    let mut zip = zip::ZipArchive::new(file).expect("a ZIP file");
    let mut get = |name: &str| {
        let mut bytes = Vec::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("no {name} in the bundle: {e}"))
            .read_to_end(&mut bytes)
            .expect("read entry");
        bytes
    };
    let checkpoint = get("anchors/1/checkpoint.txt");
    let token = get("anchors/1/token.tsr");
    let text = String::from_utf8(checkpoint).expect("a text checkpoint");
    let stamped: String = text.split_inclusive('\n').take(3).collect();
    (stamped.into_bytes(), token)
}
