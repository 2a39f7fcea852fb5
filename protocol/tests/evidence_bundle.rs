//! The export bundle and its offline verifier (`docs/evidence-format.md`
//! §6–§7): a valid bundle verifies with every fact it should establish, and
//! the tamper corpus: every way of altering it is rejected with its own
//! named error, 100% of the time.

mod evidence_support;

use std::io::{Cursor, Read, Write};

use evidence_support as fx;
use sanad_protocol::evidence::{verify_bundle, Outcome, VerifyOptions};

fn opts() -> VerifyOptions {
    VerifyOptions {
        trusted_desk_keys: vec![fx::desk().verifying_key()],
        trusted_log_keys: vec![fx::exported().log.log_key()],
        tsa_certs: vec![fx::tsa_cert()],
    }
}

#[test]
fn the_anchored_checkpoint_text_is_what_the_anchor_token_stamps() {
    let text = fx::exported().parts.anchors[0]
        .linked
        .checkpoint
        .unverified()
        .to_text();
    let path = fx::vectors_dir().join("anchor-stamped.txt");
    if std::env::var("SANAD_REGENERATE_VECTORS").as_deref() == Ok("1") {
        std::fs::write(&path, &text).expect("write");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("vector"), text);
}

// ------------------------------------------------------------------ helpers

use ed25519_dalek::SigningKey;
use sanad_protocol::evidence::bundle::{Anchor, BundleParts, LinkedCheckpoint};
use sanad_protocol::evidence::verify::{CheckpointRole, NotRun};
use sanad_protocol::evidence::{
    check_device_chain, commitment, BundleError, CheckId, Manifest, Verdict,
};
use sanad_protocol::limits::DEVICE_CLOCK_TOLERANCE_SECS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

fn verdict(bytes: &[u8]) -> Verdict {
    verify_bundle(Cursor::new(bytes), &opts())
}

/// The bundle's entries, in order.
fn entries(bundle: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = ZipArchive::new(Cursor::new(bundle)).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("UTF-8 name").to_string(), data)
        })
        .collect()
}

/// A ZIP of these entries, stored, as any ZIP tool would write it.
fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, data) in entries {
        z.start_file(name.as_str(), o).expect("start");
        z.write_all(data).expect("write");
    }
    z.finish().expect("finish").into_inner()
}

/// `bundle` with entry `name` replaced by `f(old)`.
fn with_entry(bundle: &[u8], name: &str, f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut e = entries(bundle);
    let (_, data) = e
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no entry {name}"));
    f(data);
    rezip(&e)
}

fn ids(v: &Verdict) -> Vec<&'static str> {
    v.failures().map(BundleError::id).collect()
}

/// Rejected, and `id` is among the failures.
#[track_caller]
fn assert_rejected(bytes: &[u8], id: &str) {
    let v = verdict(bytes);
    assert!(v.verified().is_none(), "{id}: verified!");
    assert!(ids(&v).contains(&id), "want {id}, got {:?}", ids(&v));
}

fn good() -> Vec<u8> {
    fx::write(&fx::exported().parts, fx::CONTENT)
}

fn original_entry(bundle: &[u8]) -> String {
    entries(bundle)
        .into_iter()
        .find(|(n, _)| n.starts_with("original/"))
        .expect("original")
        .0
}

/// Replace the manifest by `m` signed with `key`, append its commitment to
/// (a copy of) `log`, and take the receipt, latest checkpoint and seen proof
/// from there; anchors are dropped (their token is for the old checkpoint).
fn resign(p: &mut BundleParts, log: &fx::TestLog, m: Manifest, key: &SigningKey) {
    p.manifest = m.sign(key).expect("signs");
    let c = commitment(&p.salt, &p.manifest.hash());
    let mut log = fx::TestLog {
        key: log.key.clone(),
        leaves: log.leaves.clone(),
    };
    let index = log.append(&c);
    p.receipt = log.receipt(c, index, log.size());
    p.latest = LinkedCheckpoint {
        checkpoint: log.checkpoint(log.size()),
        proof: vec![],
    };
    if let Some(seen) = &p.manifest.unverified().seen_checkpoint {
        p.seen = Some(LinkedCheckpoint {
            checkpoint: log.checkpoint(seen.size),
            proof: log.consistency(seen.size, log.size()),
        });
    }
    p.anchors.clear();
}

fn with_parts(f: impl Fn(&mut BundleParts, &fx::TestLog)) -> Vec<u8> {
    let mut e = fx::exported();
    f(&mut e.parts, &e.log);
    fx::write(&e.parts, fx::CONTENT)
}

// ------------------------------------------------------------------ the valid bundle

#[test]
fn a_valid_bundle_verifies_and_establishes_its_facts() {
    let bundle = good();
    let v = verdict(&bundle);
    let failures = ids(&v);
    assert!(failures.is_empty(), "{failures:?}");
    let b = v.verified().expect("verified");
    let m = b.manifest().manifest();
    assert_eq!(m.content_sha256, fx::manifest(None).content_sha256);
    assert_eq!(b.enrolment().record().device_label, "device 3");
    assert_eq!(
        b.enrolment().record().organisation,
        "partner organisation Y"
    );
    assert!(b.desk_key_pinned() && b.log_key_pinned());
    assert_eq!(b.receipt().leaf_index(), fx::RECEIPT_SIZE - 1);
    assert_eq!(b.latest().size(), fx::LATEST_SIZE);
    assert_eq!(b.anchors().len(), 1);
    assert_eq!(b.anchors()[0].tree_size, fx::LATEST_SIZE);
    assert!(b.anchors()[0].tsa_name.contains("Sanad Test TSA P-256"));
    assert_eq!(b.window().not_after_tsa, Some(b.anchors()[0].tsa_time));
    assert_eq!(b.window().device_time, fx::DEVICE_TIME);
    assert_eq!(b.derivatives().len(), 1);
    assert_eq!(b.original_name(), "جدار-الزنزانة.jpg");
    assert_eq!(b.window().not_before, Some(fx::checkpoint_time(4)));
    assert_eq!(
        b.window().not_after_relay,
        Some(fx::checkpoint_time(fx::RECEIPT_SIZE))
    );
    // Every check of a full bundle ran and passed.
    assert_eq!(v.checks.len(), 14);
    for c in &v.checks {
        assert_eq!(c.outcome, Outcome::Passed, "{:?}", c.id);
    }
    // The original is stored as it is: a ZIP tool gives back the bytes.
    let original = entries(&bundle)
        .into_iter()
        .find(|(n, _)| n.starts_with("original/"))
        .expect("original");
    assert_eq!(original.1, fx::CONTENT);
}

#[test]
fn without_trusted_keys_or_certificates_the_verdict_says_what_was_relied_on() {
    let v = verify_bundle(Cursor::new(good()), &VerifyOptions::default());
    let b = v.verified().expect("verifies on the bundle's own keys");
    assert!(!b.desk_key_pinned() && !b.log_key_pinned());
    assert!(b.anchors().is_empty());
    assert_eq!(b.window().not_after_tsa, None);
    let outcome = |id| {
        v.checks
            .iter()
            .find(|c| c.id == id)
            .expect("check")
            .outcome
            .clone()
    };
    assert_eq!(
        outcome(CheckId::DeskKey),
        Outcome::NotRun(NotRun::NotPinned)
    );
    assert_eq!(outcome(CheckId::LogKey), Outcome::NotRun(NotRun::NotPinned));
    assert_eq!(
        outcome(CheckId::Anchor(1)),
        Outcome::NotRun(NotRun::NoTsaCertificates)
    );
}

#[test]
fn a_first_capture_without_seen_checkpoint_and_a_bundle_without_extras_verify() {
    let bundle = with_parts(|p, log| {
        let m = Manifest {
            seen_checkpoint: None,
            ..p.manifest.unverified().clone()
        };
        resign(p, log, m, &fx::device());
        p.seen = None;
        p.derivatives.clear();
    });
    let v = verdict(&bundle);
    assert!(v.verified().is_some(), "{:?}", ids(&v));
    assert_eq!(v.verified().expect("verified").window().not_before, None);
}

// ------------------------------------------------------------------ the tamper corpus

#[test]
fn every_byte_of_the_manifest_flipped_is_rejected() {
    let bundle = good();
    let manifest = entries(&bundle)
        .into_iter()
        .find(|(n, _)| n == "manifest.bin")
        .expect("manifest")
        .1;
    let body = manifest.len() - 64;
    let mut counts = (0, 0);
    for i in 0..body {
        let v = verdict(&with_entry(&bundle, "manifest.bin", |m| m[i] ^= 0x01));
        assert!(v.verified().is_none(), "byte {i}: verified");
        let ids = ids(&v);
        // Either it no longer decodes, or its signature fails.
        if ids.contains(&"part-malformed") {
            counts.0 += 1;
        } else {
            assert!(
                ids.contains(&"manifest-signature-invalid"),
                "byte {i}: {ids:?}"
            );
            assert!(ids.contains(&"commitment-mismatch"), "byte {i}: {ids:?}");
            counts.1 += 1;
        }
    }
    assert!(counts.1 > body / 2, "most flips still decode: {counts:?}");
}

#[test]
fn every_byte_of_the_manifest_signature_flipped_is_rejected() {
    let bundle = good();
    for i in 0..64 {
        let v = verdict(&with_entry(&bundle, "manifest.bin", |m| {
            let at = m.len() - 64 + i;
            m[at] ^= 0x01;
        }));
        assert!(v.verified().is_none(), "signature byte {i}: verified");
        let ids = ids(&v);
        assert!(ids.contains(&"manifest-signature-invalid"), "{i}: {ids:?}");
        assert!(ids.contains(&"commitment-mismatch"), "{i}: {ids:?}");
    }
}

#[test]
fn a_file_changed_by_one_bit_or_truncated_is_rejected() {
    let bundle = good();
    let name = original_entry(&bundle);
    for bit in [0, 7, 8 * (fx::CONTENT.len() - 1) + 3] {
        let changed = with_entry(&bundle, &name, |f| f[bit / 8] ^= 1 << (bit % 8));
        assert_rejected(&changed, "content-hash-mismatch");
    }
    assert_rejected(
        &with_entry(&bundle, &name, |f| f.truncate(f.len() - 1)),
        "content-truncated",
    );
    assert_rejected(
        &with_entry(&bundle, &name, |f| f.clear()),
        "content-truncated",
    );
    assert_rejected(
        &with_entry(&bundle, &name, |f| f.push(0)),
        "content-too-long",
    );
    // A bit flipped in place in the archive (CRC-32 left as it was) is the
    // same change to the verifier.
    let at = bundle
        .windows(fx::CONTENT.len())
        .position(|w| w == fx::CONTENT)
        .expect("stored as is");
    let mut raw = bundle.clone();
    raw[at + 10] ^= 0x10;
    assert_rejected(&raw, "content-hash-mismatch");
}

#[test]
fn a_manifest_re_signed_by_an_unenrolled_key_is_rejected() {
    let other = SigningKey::from_bytes(&fx::OTHER_DEVICE_SEED);
    // The forger signs with their own key and logs the commitment honestly.
    let bundle = with_parts(|p, log| {
        let m = Manifest {
            device_key: other.verifying_key(),
            ..p.manifest.unverified().clone()
        };
        resign(p, log, m, &other);
    });
    let v = verdict(&bundle);
    assert!(v.verified().is_none());
    assert_eq!(ids(&v), vec!["device-not-enrolled"]);
}

#[test]
fn log_tampering_is_rejected_with_its_own_error() {
    let other_log = fx::TestLog::new(fx::OTHER_LOG_SEED, 5);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "receipt-other-log",
            with_parts(|p, log| {
                let mut other = fx::TestLog {
                    key: other_log.key.clone(),
                    leaves: log.leaves[..5].to_vec(),
                };
                let i = other.append(&p.receipt.leaf);
                p.receipt = other.receipt(p.receipt.leaf, i, other.size());
            }),
        ),
        (
            "inclusion-other-leaf",
            with_parts(|p, log| {
                // The proof of leaf 4, presented for our leaf at index 5.
                p.receipt.proof = log.receipt(p.receipt.leaf, 4, fx::RECEIPT_SIZE).proof;
            }),
        ),
        (
            "inclusion-other-leaf",
            with_parts(|p, log| {
                // A valid proof for another leaf, with that leaf's index.
                p.receipt.leaf_index = 4;
                p.receipt.proof = log.receipt(p.receipt.leaf, 4, fx::RECEIPT_SIZE).proof;
            }),
        ),
        (
            "inclusion-proof-invalid",
            with_parts(|p, _| {
                p.receipt.proof.pop();
            }),
        ),
        (
            "commitment-mismatch",
            with_parts(|p, _| p.salt = sanad_protocol::evidence::Salt::from_bytes([0x5b; 32])),
        ),
        (
            "log-fork",
            with_parts(|p, log| {
                // A checkpoint of 9 leaves by the same key over another history.
                let mut forked = fx::TestLog {
                    key: log.key.clone(),
                    leaves: log.leaves.clone(),
                };
                forked.leaves[2] = sanad_protocol::log::merkle::leaf_hash(b"rewritten");
                p.latest = LinkedCheckpoint {
                    checkpoint: forked.checkpoint(fx::LATEST_SIZE),
                    proof: forked.consistency(fx::RECEIPT_SIZE, fx::LATEST_SIZE),
                };
            }),
        ),
        (
            "log-fork",
            with_parts(|p, log| {
                // The device saw a checkpoint of 4 leaves over another
                // history, signed by the same log key.
                let mut forked = fx::TestLog {
                    key: log.key.clone(),
                    leaves: log.leaves.clone(),
                };
                forked.leaves[0] = sanad_protocol::log::merkle::leaf_hash(b"rewritten");
                let m = Manifest {
                    seen_checkpoint: Some(forked.seen(4)),
                    ..p.manifest.unverified().clone()
                };
                resign(p, log, m, &fx::device());
                p.seen = Some(LinkedCheckpoint {
                    checkpoint: forked.checkpoint(4),
                    proof: forked.consistency(4, fx::RECEIPT_SIZE),
                });
            }),
        ),
        (
            "checkpoint-older-than-receipt",
            with_parts(|p, log| {
                p.latest = LinkedCheckpoint {
                    checkpoint: log.checkpoint(4),
                    proof: vec![],
                };
            }),
        ),
        (
            "checkpoint-other-log",
            with_parts(|p, _| {
                p.latest.checkpoint = other_log.checkpoint(5);
            }),
        ),
        (
            "seen-checkpoint-mismatch",
            with_parts(|p, log| {
                p.seen = Some(LinkedCheckpoint {
                    checkpoint: log.checkpoint(3),
                    proof: log.consistency(3, fx::RECEIPT_SIZE),
                });
            }),
        ),
        (
            "seen-checkpoint-missing",
            rezip(
                &entries(&good())
                    .into_iter()
                    .filter(|(n, _)| !n.starts_with("log/seen"))
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    for (id, bundle) in cases {
        assert_rejected(&bundle, id);
    }
}

#[test]
fn a_checkpoint_with_a_bad_signature_is_rejected() {
    let bundle = good();
    // The last base64 character before the final line feed of the note is
    // in the signature; change it to another valid character.
    let flip = |t: &mut Vec<u8>| {
        let at = t.len() - 3;
        t[at] = if t[at] == b'A' { b'B' } else { b'A' };
    };
    let v = verdict(&with_entry(&bundle, "log/latest-checkpoint.txt", flip));
    assert!(v.verified().is_none());
    assert!(v
        .failures()
        .any(|e| *e == BundleError::CheckpointSignatureInvalid(CheckpointRole::Latest)));
    let v = verdict(&with_entry(&bundle, "receipt.txt", flip));
    assert!(v
        .failures()
        .any(|e| *e == BundleError::CheckpointSignatureInvalid(CheckpointRole::Receipt)));
    assert_rejected(
        &with_entry(&bundle, "log/seen-checkpoint.txt", flip),
        "checkpoint-signature-invalid",
    );
    assert_rejected(
        &with_entry(&bundle, "anchors/1/checkpoint.txt", flip),
        "checkpoint-signature-invalid",
    );
}

#[test]
fn enrolment_and_desk_tampering_is_rejected() {
    let other_desk = SigningKey::from_bytes(&[0xd6; 32]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("device-not-enrolled", with_parts(|p, _| p.enrolment = None)),
        (
            "enrolment-signature-invalid",
            with_entry(&good(), "enrolment.bin", |e| {
                let at = e.len() - 1;
                e[at] ^= 1;
            }),
        ),
        (
            "device-not-enrolled",
            with_parts(|p, _| {
                let mut r = p.enrolment.as_ref().expect("enrolled").unverified().clone();
                r.device_key = SigningKey::from_bytes(&fx::OTHER_DEVICE_SEED).verifying_key();
                p.enrolment = Some(r.sign(&fx::desk()).expect("signs"));
            }),
        ),
        (
            // Another desk enrols the device and the bundle names that desk:
            // not the desk the verifier trusts.
            "desk-key-untrusted",
            with_parts(|p, _| {
                let mut r = p.enrolment.as_ref().expect("enrolled").unverified().clone();
                r.desk_key = other_desk.verifying_key();
                p.enrolment = Some(r.sign(&other_desk).expect("signs"));
                p.desk_key = other_desk.verifying_key();
            }),
        ),
        (
            "desk-key-mismatch",
            with_parts(|p, _| p.desk_key = other_desk.verifying_key()),
        ),
        (
            "derivative-other-original",
            with_parts(|p, _| {
                let mut m = p.manifest.unverified().clone();
                m.evidence_id.0[0] ^= 1;
                p.derivatives = vec![fx::derivative_record(&m)];
            }),
        ),
        (
            "derivative-signature-invalid",
            with_entry(&good(), "derivatives/1.bin", |d| d[3] ^= 1),
        ),
    ];
    for (id, bundle) in cases {
        assert_rejected(&bundle, id);
    }
}

#[test]
fn a_timestamp_token_for_another_hash_or_from_an_untrusted_tsa_is_rejected() {
    assert_rejected(
        &with_entry(&good(), "anchors/1/token.tsr", |t| *t = fx::other_token()),
        "tsa-token-other-hash",
    );
    let untrusted = VerifyOptions {
        tsa_certs: vec![std::fs::read(fx::vectors_dir().join("../tsa/tsa-p384.der"))
            .expect("other TSA certificate")],
        ..opts()
    };
    let v = verify_bundle(Cursor::new(good()), &untrusted);
    assert!(v.verified().is_none());
    assert_eq!(ids(&v), vec!["tsa-untrusted"]);
    let mut token = fx::anchor_token();
    let last = token.len() - 1;
    token[last] ^= 1;
    assert_rejected(
        &with_entry(&good(), "anchors/1/token.tsr", |t| *t = token.clone()),
        "tsa-signature-invalid",
    );
    // An anchor of another log tree than the receipt's.
    let bundle = with_parts(|p, log| {
        let mut forked = fx::TestLog {
            key: log.key.clone(),
            leaves: log.leaves.clone(),
        };
        forked.leaves[2] = sanad_protocol::log::merkle::leaf_hash(b"rewritten");
        p.anchors = vec![Anchor {
            linked: LinkedCheckpoint {
                checkpoint: forked.checkpoint(fx::LATEST_SIZE),
                proof: forked.consistency(fx::RECEIPT_SIZE, fx::LATEST_SIZE),
            },
            token: fx::anchor_token(),
        }];
    });
    assert_rejected(&bundle, "log-fork");
    // Two checkpoints of the same size with different roots, each consistent
    // with the receipt's: the log forked after the receipt.
    let bundle = with_parts(|p, log| {
        let mut forked = fx::TestLog {
            key: log.key.clone(),
            leaves: log.leaves.clone(),
        };
        forked.leaves[8] = sanad_protocol::log::merkle::leaf_hash(b"rewritten");
        p.anchors[0].linked = LinkedCheckpoint {
            checkpoint: forked.checkpoint(fx::LATEST_SIZE),
            proof: forked.consistency(fx::RECEIPT_SIZE, fx::LATEST_SIZE),
        };
    });
    let v = verdict(&bundle);
    assert!(v.verified().is_none());
    assert!(v
        .failures()
        .any(|e| *e == BundleError::LogFork(CheckpointRole::Anchor(1))));
}

#[test]
fn a_back_dated_or_forward_dated_device_time_is_rejected() {
    let dated = |device_time: u64| {
        with_parts(|p, log| {
            let m = Manifest {
                device_time,
                ..p.manifest.unverified().clone()
            };
            resign(p, log, m, &fx::device());
        })
    };
    let seen = fx::checkpoint_time(4);
    // Back-dated: before the checkpoint the device had seen, beyond the
    // clock tolerance.
    let v = verdict(&dated(seen - DEVICE_CLOCK_TOLERANCE_SECS - 1));
    assert!(v.verified().is_none());
    assert_eq!(ids(&v), vec!["device-time-before-seen-checkpoint"]);
    // Within the tolerance it holds (a device clock a little behind).
    assert!(verdict(&dated(seen - DEVICE_CLOCK_TOLERANCE_SECS))
        .verified()
        .is_some());
    // Forward-dated: after the checkpoint that includes it (resign appends
    // the commitment as leaf 9 and signs the checkpoint of 10).
    let receipt = fx::checkpoint_time(10);
    assert_rejected(
        &dated(receipt + DEVICE_CLOCK_TOLERANCE_SECS + 1),
        "device-time-after-receipt",
    );
    // After an anchor's TSA time: the test token is from 2026, so a device
    // time in 2100 is after it too.
    let far = 4_102_444_800;
    let bundle = with_parts(|p, _| {
        let m = Manifest {
            device_time: far,
            ..p.manifest.unverified().clone()
        };
        p.manifest = m.sign(&fx::device()).expect("signs");
    });
    let v = verdict(&bundle);
    assert!(
        ids(&v).contains(&"device-time-after-anchor"),
        "{:?}",
        ids(&v)
    );
}

#[test]
fn a_replayed_evidence_id_is_caught_by_the_chain_check() {
    let first = fx::exported();
    // The same device signs a second item that reuses the first one's ID.
    let bundle2 = with_parts(|p, log| {
        let m = Manifest {
            sequence: 1,
            previous: Some(p.manifest.hash()),
            device_time: fx::DEVICE_TIME + 60,
            ..p.manifest.unverified().clone()
        };
        resign(p, log, m, &fx::device());
    });
    let a = verdict(&fx::write(&first.parts, fx::CONTENT))
        .into_result()
        .expect("first verifies");
    let b = verdict(&bundle2)
        .into_result()
        .expect("second verifies alone");
    let report = check_device_chain([a.chain_item(), b.chain_item()]);
    assert!(!report.is_clean());
    assert_eq!(
        report.duplicate_ids,
        vec![a.manifest().manifest().evidence_id]
    );
    assert!(report.forks.is_empty() && report.gaps.is_empty() && report.broken_links.is_empty());
}

#[test]
fn container_tampering_is_rejected_with_its_own_error() {
    let bundle = good();
    let mut e = entries(&bundle);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("bundle-malformed", b"not a zip at all".to_vec()),
        ("bundle-malformed", bundle[..bundle.len() - 10].to_vec()),
        ("bundle-malformed", {
            // A comment after the directory.
            let mut b = bundle.clone();
            let n = b.len();
            b[n - 2] = 3;
            b.extend_from_slice(b"abc");
            b
        }),
        ("bundle-unknown-entry", {
            let mut e = e.clone();
            e.push(("notes.txt".into(), b"hello".to_vec()));
            rezip(&e)
        }),
        ("bundle-unsafe-name", {
            let mut e = e.clone();
            let o = e
                .iter_mut()
                .find(|(n, _)| n.starts_with("original/"))
                .expect("original");
            o.0 = "original/../../evil.jpg".into();
            rezip(&e)
        }),
        ("bundle-duplicate-entry", {
            let mut e = e.clone();
            let o = e
                .iter()
                .find(|(n, _)| n.starts_with("original/"))
                .expect("original")
                .1
                .clone();
            e.push(("original/second.jpg".into(), o));
            rezip(&e)
        }),
        ("bundle-duplicate-entry", {
            // Two entries named alike: rename one in the raw bytes.
            let mut e = e.clone();
            e.push(("manifest.bim".into(), vec![1]));
            let mut z = rezip(&e);
            let from = b"manifest.bim";
            let mut i = 0;
            while let Some(p) = z[i..].windows(from.len()).position(|w| w == from) {
                z[i + p + from.len() - 1] = b'n';
                i += p + 1;
            }
            z
        }),
        ("bundle-unsupported-version", {
            let mut e = e.clone();
            e[0].1 = b"sanad/evidence-bundle/v2\n".to_vec();
            rezip(&e)
        }),
        ("part-missing", {
            e.retain(|(n, _)| n != "receipt.txt");
            rezip(&e)
        }),
        (
            "part-malformed",
            with_entry(&bundle, "salt.bin", |s| s.truncate(31)),
        ),
        (
            "part-too-large",
            with_entry(&bundle, "salt.bin", |s| s.push(0)),
        ),
        (
            "part-malformed",
            with_entry(&bundle, "keys/log-key.txt", |k| k.insert(0, b' ')),
        ),
        (
            "part-malformed",
            with_entry(&bundle, "log/receipt-to-latest.txt", |p| p.push(b'\n')),
        ),
        (
            "part-too-large",
            with_entry(&bundle, "summary.json", |s| s.resize(64 * 1024 + 1, b' ')),
        ),
        (
            "part-too-large",
            with_entry(&bundle, "receipt.txt", |s| s.resize(16 * 1024 + 1, b' ')),
        ),
    ];
    for (id, b) in cases {
        assert_rejected(&b, id);
    }
    // Entries marked as compressed (deflate) are refused.
    let mut deflated = bundle.clone();
    for (sig, at) in [(b"PK\x03\x04", 8), (b"PK\x01\x02", 10)] {
        let mut i = 0;
        while let Some(p) = deflated[i..].windows(4).position(|w| w == sig) {
            deflated[i + p + at] = 8;
            i += p + 4;
        }
    }
    assert_rejected(&deflated, "bundle-malformed");
}

#[test]
fn a_bundle_larger_than_any_bundle_is_refused_before_reading() {
    /// A reader that claims to be 5 GiB long and holds nothing.
    struct Huge;
    impl Read for Huge {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Ok(0)
        }
    }
    impl std::io::Seek for Huge {
        fn seek(&mut self, p: std::io::SeekFrom) -> std::io::Result<u64> {
            Ok(match p {
                std::io::SeekFrom::End(_) => 5 << 30,
                _ => 0,
            })
        }
    }
    let v = verify_bundle(Huge, &opts());
    assert_eq!(ids(&v), vec!["bundle-too-large"]);
}

#[test]
fn writing_refuses_an_original_that_is_not_the_manifests() {
    let e = fx::exported();
    let err =
        sanad_protocol::evidence::write_bundle(Cursor::new(Vec::new()), &e.parts, &b"other"[..])
            .expect_err("mismatch");
    assert!(matches!(
        err,
        sanad_protocol::evidence::BundleWriteError::ContentMismatch
    ));
}

#[test]
fn a_multi_megabyte_original_is_streamed_and_checked_to_the_last_byte() {
    // 3 MiB and a bit of non-repeating bytes: several read buffers.
    let content: Vec<u8> = (0u32..(3 << 20) + 12_345)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let make = |original: &[u8]| {
        let mut e = fx::exported();
        let m = Manifest {
            content_sha256: sha2::Sha256::digest(&content).into(),
            content_len: content.len() as u64,
            ..e.parts.manifest.unverified().clone()
        };
        let log = fx::TestLog {
            key: e.log.key.clone(),
            leaves: e.log.leaves.clone(),
        };
        resign(&mut e.parts, &log, m, &fx::device());
        e.parts.derivatives.clear();
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let bundle = fx::write(&e.parts, &content);
        // Swap the original's bytes for `original` (same name).
        let name = original_entry(&bundle);
        for (n, d) in entries(&bundle) {
            let o = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
            z.start_file(n.as_str(), o).expect("start");
            z.write_all(if n == name { original } else { &d })
                .expect("write");
        }
        z.finish().expect("finish").into_inner()
    };
    use sha2::Digest as _;
    let v = verdict(&make(&content));
    assert!(v.verified().is_some(), "{:?}", ids(&v));
    let mut changed = content.clone();
    changed[2 << 20] ^= 0x40;
    assert_rejected(&make(&changed), "content-hash-mismatch");
    assert_rejected(&make(&content[..content.len() - 1]), "content-truncated");
}
