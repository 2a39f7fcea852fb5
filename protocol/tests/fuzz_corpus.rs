//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the
//! same checks the fuzz targets run (`fuzz/src/lib.rs`), so every seed and
//! every input that once crashed a target is re-checked by plain `cargo test`
//! on stable Rust.
//!
//! `SANAD_REGENERATE_CORPUS=1 cargo test -p sanad-protocol --test fuzz_corpus`
//! writes the seed files from the test vectors and from the frames below. It
//! only adds or overwrites its own files; inputs saved from fuzzer crashes
//! (`crash-*`) are kept.

mod client_support;
mod evidence_support;
mod support;

#[path = "../../fuzz/src/lib.rs"]
mod checks;

use std::fs;
use std::path::{Path, PathBuf};

use sanad_protocol::request::{Ack, BlobPut, Deposit, List};
use sanad_protocol::response::StoredMessage;
use sanad_protocol::{ErrorCode, Request, Response, SegmentHash};

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 9] = [
    ("frame_request", checks::frame_request),
    ("frame_response", checks::frame_response),
    ("relay_address", checks::relay_address),
    ("invite", checks::invite),
    ("content", checks::content),
    ("log_text", checks::log_text),
    ("evidence_manifest", checks::evidence_manifest),
    ("evidence_bundle", checks::evidence_bundle),
    ("tsa_token", checks::tsa_token),
];

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target)
}

#[test]
fn every_corpus_file_replays_through_its_fuzz_check() {
    regenerate_if_asked();
    for (target, check) in TARGETS {
        let dir = corpus_dir(target);
        let mut n = 0;
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            let data = fs::read(&path).expect("corpus file");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{} fails its check", path.display());
            n += 1;
        }
        assert!(n >= 10, "{target}: only {n} corpus files");
    }
}

/// Seeds from the vectors (their frame bytes, by direction; the client-format
/// vectors by format) plus a few more valid frames, address strings, invites
/// and contents.
fn regenerate_if_asked() {
    if std::env::var("SANAD_REGENERATE_CORPUS").as_deref() != Ok("1") {
        return;
    }
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    for entry in fs::read_dir(vectors).expect("vectors dir") {
        let path = entry.expect("directory entry").path();
        // Frame vectors only: not the envelope vector, not the client-formats folder.
        if path.extension().and_then(|e| e.to_str()) != Some("hex") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("vector file");
        let target = if text.contains("# direction: request") {
            "frame_request"
        } else {
            "frame_response"
        };
        let hex: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        write(target, stem, &hex::decode(hex).expect("vector hex"));
    }
    for (name, frame) in extra_requests() {
        write("frame_request", name, &frame);
    }
    for (name, frame) in extra_responses() {
        write("frame_response", name, &frame);
    }
    for (name, s) in addresses() {
        let parses = s.parse::<sanad_protocol::RelayAddress>().is_ok();
        assert_eq!(parses, name.starts_with("ok_"), "{name}: {s}");
        write("relay_address", name, s.as_bytes());
    }
    regenerate_client_format_seeds();
    regenerate_log_seeds();
    regenerate_evidence_seeds();
}

/// Evidence seeds: every record vector (as bytes, and the manifest without
/// its signature), and bundles: the vector bundle, variants without
/// optional parts, cut short, with a part damaged.
fn regenerate_evidence_seeds() {
    let dir = evidence_support::vectors_dir();
    for entry in fs::read_dir(&dir).expect("evidence vectors dir") {
        let path = entry.expect("directory entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        if path.extension().and_then(|e| e.to_str()) != Some("hex") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("vector file");
        let hex: String = text.lines().filter(|l| !l.starts_with('#')).collect();
        let bytes = hex::decode(hex).expect("vector hex");
        write("evidence_manifest", stem, &bytes);
        if text.contains("# format: manifest\n") && bytes.len() > 64 {
            write(
                "evidence_manifest",
                &format!("unsigned_{stem}"),
                &bytes[..bytes.len() - 64],
            );
        }
    }
    let e = evidence_support::exported();
    let full = evidence_support::write(&e.parts, evidence_support::CONTENT);
    write("evidence_bundle", "ok_bundle", &full);
    let mut bare = e.parts.clone();
    bare.anchors.clear();
    bare.derivatives.clear();
    write(
        "evidence_bundle",
        "ok_bundle_no_anchor_no_derivative",
        &evidence_support::write(&bare, evidence_support::CONTENT),
    );
    let mut unenrolled = bare.clone();
    unenrolled.enrolment = None;
    write(
        "evidence_bundle",
        "fail_bundle_unenrolled",
        &evidence_support::write(&unenrolled, evidence_support::CONTENT),
    );
    for cut in [22, 100, full.len() / 2, full.len() - 1] {
        write(
            "evidence_bundle",
            &format!("fail_bundle_cut_{cut}"),
            &full[..full.len() - cut],
        );
    }
    let mut flipped = full.clone();
    flipped[200] ^= 1;
    write("evidence_bundle", "fail_bundle_flipped_200", &flipped);
    write("evidence_bundle", "fail_bundle_empty", b"");
    write(
        "evidence_bundle",
        "fail_bundle_end_record_only",
        &full[full.len() - 22..],
    );
}

/// Log seeds: every note, checkpoint and receipt of the log vectors, as text.
fn regenerate_log_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/log");
    for entry in fs::read_dir(dir).expect("log vectors dir") {
        let path = entry.expect("directory entry").path();
        let text = fs::read_to_string(&path).expect("vector file");
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        for line in text.lines() {
            if let Some(h) = line
                .strip_prefix("note-hex: ")
                .or_else(|| line.strip_prefix("receipt-hex: "))
            {
                write("log_text", stem, &hex::decode(h).expect("vector hex"));
            }
        }
    }
}

/// Invite seeds are both text (what `Invite::parse` reads) and, under
/// `body_*`, binary without its checksum (what the target completes with a
/// valid checksum to reach the field parser). Content seeds are the bytes.
fn regenerate_client_format_seeds() {
    use base64::Engine as _;
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(client_support::VECTORS_SUBDIR);
    for entry in fs::read_dir(dir).expect("client-formats vectors dir") {
        let path = entry.expect("directory entry").path();
        let text = fs::read_to_string(&path).expect("vector file");
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("name");
        let hex: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        let bytes = hex::decode(hex).expect("vector hex");
        if text.contains("# format: invite-text\n") {
            write("invite", stem, &bytes);
        } else if text.contains("# format: invite\n") {
            write(
                "invite",
                stem,
                format!("sanad-invite:{}", b64(&bytes)).as_bytes(),
            );
            let body = &bytes[..bytes.len().saturating_sub(4)];
            write("invite", &format!("body_{stem}"), body);
        } else if text.contains("# format: content\n") {
            write("content", stem, &bytes);
        }
    }
    use sanad_protocol::content::{FileRef, GroupWelcome};
    use sanad_protocol::limits::{MAX_HELLO_KEY_PACKAGES, MAX_KEY_PACKAGE_LEN};
    use sanad_protocol::{Content, Invite};
    let largest = Invite {
        key_package: vec![0xa5; MAX_KEY_PACKAGE_LEN],
        ..client_support::invite_ipv6()
    };
    let text = largest.to_text().expect("encodes");
    write("invite", "seed_largest_key_package", text.as_bytes());
    let bytes = largest.to_bytes().expect("encodes");
    write(
        "invite",
        "body_seed_largest_key_package",
        &bytes[..bytes.len() - 4],
    );
    let contents = [
        (
            "seed_text_empty",
            Content::Text {
                body: String::new(),
            },
        ),
        (
            "seed_hello_most_key_packages",
            Content::Hello {
                display_name: "x".into(),
                key_packages: vec![vec![1]; MAX_HELLO_KEY_PACKAGES],
            },
        ),
        (
            "seed_hello_no_key_packages",
            Content::Hello {
                display_name: "أمل".into(),
                key_packages: vec![],
            },
        ),
        (
            "seed_file_no_name_no_type",
            Content::File(FileRef {
                name: String::new(),
                media_type: String::new(),
                size: 0,
                cipher_len: 1,
                blob_len: 1,
                ..client_support::file_ref()
            }),
        ),
        (
            "seed_welcome_one_byte",
            Content::Welcome(GroupWelcome {
                welcome: vec![0],
                ..client_support::group_welcome()
            }),
        ),
    ];
    for (name, c) in contents {
        write("content", name, &c.encode().expect("encodes"));
    }
}

fn write(target: &str, name: &str, data: &[u8]) {
    let dir = corpus_dir(target);
    fs::create_dir_all(&dir).expect("create corpus dir");
    fs::write(dir.join(name), data).expect("write corpus file");
}

fn extra_requests() -> Vec<(&'static str, Vec<u8>)> {
    let signed = |r: Request| {
        r.sign(
            &support::owner_signing_key(),
            support::TIMESTAMP,
            support::NONCE,
        )
    };
    vec![
        (
            "seed_deposit_empty",
            Request::Deposit(Deposit {
                send_id: support::send_id(),
                key: support::deposit_key(),
                body: vec![],
            })
            .encode(),
        ),
        (
            "seed_ack_none",
            signed(Request::Ack(Ack {
                receive_id: support::receive_id(),
                seqs: vec![],
                auth: sanad_protocol::request::unsigned_auth(),
            }))
            .encode(),
        ),
        (
            "seed_list_limit_zero",
            signed(Request::List(List {
                receive_id: support::receive_id(),
                after_seq: 0,
                limit: 0,
                auth: sanad_protocol::request::unsigned_auth(),
            }))
            .encode(),
        ),
        (
            "seed_blob_put_300",
            Request::BlobPut(BlobPut {
                blob_id: support::blob_id(),
                token: support::upload_token(),
                index: 0,
                hash: SegmentHash::of(&[7; 300]),
                data: vec![7; 300],
            })
            .encode(),
        ),
    ]
}

fn extra_responses() -> Vec<(&'static str, Vec<u8>)> {
    let stored = |seq, body: &[u8]| StoredMessage {
        seq,
        stored_hour: support::STORED_HOUR,
        body: body.to_vec(),
    };
    vec![
        (
            "seed_message_list_empty",
            Response::MessageList {
                items: vec![],
                more: false,
            }
            .encode(),
        ),
        (
            "seed_messages_three",
            Response::Messages {
                items: vec![stored(1, b"a"), stored(2, b""), stored(40, b"xyz")],
                more: true,
            }
            .encode(),
        ),
        (
            "seed_blob_state_sealed",
            Response::BlobStatus {
                size: 1,
                missing: vec![],
                sealed: true,
            }
            .encode(),
        ),
        (
            "seed_blob_state_all_missing",
            Response::BlobStatus {
                size: support::BLOB_SIZE,
                missing: vec![0, 1, 2],
                sealed: false,
            }
            .encode(),
        ),
        (
            "seed_error_bad_signature",
            Response::error(ErrorCode::BadSignature).encode(),
        ),
        (
            "seed_error_segment_wrong_length",
            Response::Error {
                code: ErrorCode::SegmentWrongLength,
                value: 5,
            }
            .encode(),
        ),
    ]
}

fn addresses() -> Vec<(&'static str, String)> {
    const PIN: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";
    [
        ("ok_ipv4", format!("sanad://127.0.0.1:7443?pin={PIN}")),
        ("ok_ipv6", format!("sanad://[::1]:7443?pin={PIN}")),
        (
            "ok_ipv6_mapped",
            format!("sanad://[::ffff:192.0.2.1]:443?pin={PIN}"),
        ),
        (
            "ok_name",
            format!("sanad://relay.example.org:443?pin={PIN}"),
        ),
        (
            "ok_spaces",
            format!("  sanad://relay.example.org:1?pin={PIN}\n"),
        ),
        ("ok_port_max", format!("sanad://r:65535?pin={PIN}")),
        (
            "fail_scheme",
            format!("https://relay.example.org:443?pin={PIN}"),
        ),
        ("fail_no_pin", "sanad://relay.example.org:443".to_string()),
        (
            "fail_short_pin",
            "sanad://relay.example.org:443?pin=AAAA".to_string(),
        ),
        (
            "fail_no_port",
            format!("sanad://relay.example.org?pin={PIN}"),
        ),
        (
            "fail_port_zero",
            format!("sanad://relay.example.org:0?pin={PIN}"),
        ),
        (
            "fail_port_plus",
            format!("sanad://relay.example.org:+443?pin={PIN}"),
        ),
        (
            "fail_port_leading_zero",
            format!("sanad://r:0443?pin={PIN}"),
        ),
        ("fail_port_overflow", format!("sanad://r:65536?pin={PIN}")),
        (
            "fail_ipv6_unbracketed",
            format!("sanad://::1:7443?pin={PIN}"),
        ),
        (
            "fail_ipv4_bracketed",
            format!("sanad://[127.0.0.1]:7443?pin={PIN}"),
        ),
        (
            "fail_bad_host",
            format!("sanad://relay_example:443?pin={PIN}"),
        ),
        ("fail_padded_pin", format!("sanad://r:1?pin={PIN}=")),
    ]
    .into_iter()
    .collect()
}
