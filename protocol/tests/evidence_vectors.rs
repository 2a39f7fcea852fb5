//! Test vectors for the evidence records (`docs/evidence-format.md` §9), in
//! `protocol/tests/vectors/evidence/`: one file per case, the outcome in its
//! header and its name. The `ok` bytes are built here by an encoder written
//! from the document, not by the library, and must equal the library's;
//! `fail` cases state the reference decoder's error. `ok_bundle.zip` is a
//! complete bundle that must verify. `SANAD_REGENERATE_VECTORS=1` rewrites
//! the files; otherwise each is checked and must be exactly what the cases
//! produce.

mod evidence_support;

use std::collections::BTreeMap;
use std::fs;
use std::io::Cursor;

use ed25519_dalek::{Signer, SigningKey};
use evidence_support as fx;
use sanad_protocol::evidence::{
    commitment, verify_bundle, DerivativeRecord, EnrolmentRecord, Manifest, ManifestHash, Salt,
    SignedDerivative, SignedEnrolment, SignedManifest, VerifyOptions,
};
use sha2::{Digest, Sha256};

const REGENERATE: &str = "SANAD_REGENERATE_VECTORS";

// ------------------------------------------------------ encoder from the spec

fn str16(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u16).to_be_bytes());
    out.extend_from_slice(b);
}

/// §2, field by field. `fields` are (ID, value) as they go on the wire.
fn spec_manifest(m: &Manifest, fields: &[(u8, &[u8])]) -> Vec<u8> {
    let mut b = vec![1];
    b.extend_from_slice(&m.evidence_id.0);
    b.extend_from_slice(&m.content_sha256);
    b.extend_from_slice(&m.content_len.to_be_bytes());
    str16(&mut b, m.media_type.as_bytes());
    str16(&mut b, m.file_name.as_bytes());
    b.extend_from_slice(&m.device_time.to_be_bytes());
    match &m.seen_checkpoint {
        Some(s) => {
            b.push(1);
            b.extend_from_slice(&s.size.to_be_bytes());
            b.extend_from_slice(&s.root);
        }
        None => b.push(0),
    }
    b.extend_from_slice(m.device_key.as_bytes());
    str16(&mut b, m.case_ref.as_bytes());
    b.extend_from_slice(&m.sequence.to_be_bytes());
    match &m.previous {
        Some(h) => {
            b.push(1);
            b.extend_from_slice(&h.0);
        }
        None => b.push(0),
    }
    b.push(match m.kind {
        sanad_protocol::evidence::EvidenceKind::File => 1,
        sanad_protocol::evidence::EvidenceKind::Testimony => 2,
    });
    b.push(fields.len() as u8);
    for (id, v) in fields {
        b.push(*id);
        str16(&mut b, v);
    }
    b
}

fn spec_fields(m: &Manifest) -> Vec<(u8, Vec<u8>)> {
    m.fields
        .iter()
        .map(|(n, v)| (n.id(), v.as_bytes().to_vec()))
        .collect()
}

/// `record ‖ Ed25519(domain ‖ record)` (§1).
fn spec_sign(domain: &[u8], record: &[u8], key: &SigningKey) -> Vec<u8> {
    let sig = key.sign(&[domain, record].concat());
    [record, &sig.to_bytes()].concat()
}

fn spec_enrolment(r: &EnrolmentRecord) -> Vec<u8> {
    let mut b = vec![1];
    b.extend_from_slice(r.device_key.as_bytes());
    str16(&mut b, r.device_label.as_bytes());
    str16(&mut b, r.organisation.as_bytes());
    b.extend_from_slice(&r.enrolled_at.to_be_bytes());
    b.extend_from_slice(r.desk_key.as_bytes());
    b
}

fn spec_derivative(r: &DerivativeRecord) -> Vec<u8> {
    let mut b = vec![1];
    b.extend_from_slice(&r.original_id.0);
    b.extend_from_slice(&r.original_sha256);
    b.extend_from_slice(&r.derivative_sha256);
    b.extend_from_slice(&r.derivative_len.to_be_bytes());
    str16(&mut b, r.derivative_media_type.as_bytes());
    b.push(1);
    b.extend_from_slice(&r.made_at.to_be_bytes());
    b.extend_from_slice(r.signer_key.as_bytes());
    b
}

const MANIFEST_DOMAIN: &[u8] = b"sanad/evidence-manifest/v1\n";
const ENROLMENT_DOMAIN: &[u8] = b"sanad/device-enrolment/v1\n";
const DERIVATIVE_DOMAIN: &[u8] = b"sanad/evidence-derivative/v1\n";
const COMMITMENT_DOMAIN: &[u8] = b"sanad/evidence-commitment/v1\n";

// ------------------------------------------------------------------ cases

struct Case {
    name: String,
    about: String,
    format: &'static str,
    expect: String,
    fields: Vec<(String, String)>,
    bytes: Vec<u8>,
}

impl Case {
    fn render(&self) -> String {
        let mut out = format!(
            "# {}\n# format: {}\n# expect: {}\n",
            self.about, self.format, self.expect
        );
        for (k, v) in &self.fields {
            out.push_str(&format!("# {k}: {v}\n"));
        }
        for chunk in hex::encode(&self.bytes).as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).expect("hex"));
            out.push('\n');
        }
        out
    }
}

/// The decoder's outcome for a format: `ok` or `err <Debug of the error>`.
fn outcome(format: &str, bytes: &[u8]) -> String {
    let r = match format {
        "manifest" => SignedManifest::decode(bytes)
            .map(|s| {
                assert_eq!(s.to_bytes(), bytes, "re-encodes");
                s.verify().is_ok()
            })
            .map_err(|e| format!("{e:?}")),
        "enrolment" => SignedEnrolment::decode(bytes)
            .map(|s| {
                assert_eq!(s.to_bytes(), bytes, "re-encodes");
                s.verify().is_ok()
            })
            .map_err(|e| format!("{e:?}")),
        "derivative" => SignedDerivative::decode(bytes)
            .map(|s| {
                assert_eq!(s.to_bytes(), bytes, "re-encodes");
                s.verify().is_ok()
            })
            .map_err(|e| format!("{e:?}")),
        other => panic!("no decoder for {other}"),
    };
    match r {
        Ok(true) => "ok".into(),
        Ok(false) => "err InvalidSignature".into(),
        Err(e) => format!("err {e}"),
    }
}

fn ok(
    name: &str,
    about: &str,
    format: &'static str,
    bytes: Vec<u8>,
    fields: Vec<(String, String)>,
) -> Case {
    assert_eq!(outcome(format, &bytes), "ok", "{name}");
    Case {
        name: format!("ok_{name}"),
        about: about.into(),
        format,
        expect: "ok".into(),
        fields,
        bytes,
    }
}

fn fail(name: &str, about: &str, format: &'static str, bytes: Vec<u8>, want: &str) -> Case {
    let got = outcome(format, &bytes);
    assert!(got.starts_with(&format!("err {want}")), "{name}: {got}");
    Case {
        name: format!("fail_{name}"),
        about: about.into(),
        format,
        expect: got,
        fields: vec![],
        bytes,
    }
}

fn kv(k: &str, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn signed_manifest_spec(m: &Manifest, fields: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let f: Vec<(u8, &[u8])> = fields.iter().map(|(i, v)| (*i, v.as_slice())).collect();
    spec_sign(MANIFEST_DOMAIN, &spec_manifest(m, &f), &fx::device())
}

fn cases() -> Vec<Case> {
    let c = fx::capture();
    let first = c.signed.unverified().clone();
    let first_spec = signed_manifest_spec(&first, &spec_fields(&first));
    assert_eq!(first_spec, c.signed.to_bytes(), "spec and library agree");
    let second = fx::next_manifest(&c.signed, 0x22);
    let second_signed = second.sign(&fx::device()).expect("signs");
    let second_spec = signed_manifest_spec(&second, &[]);
    assert_eq!(second_spec, second_signed.to_bytes());

    let with_fields = |f: Vec<(u8, Vec<u8>)>| signed_manifest_spec(&first, &f);
    let mut v = vec![
        ok("manifest_first_capture", "A device's first manifest (sequence 0) with every structured field; it had seen the checkpoint of 4 leaves of the test log.", "manifest", first_spec.clone(), vec![
            kv("device-seed", hex::encode(fx::DEVICE_SEED)),
            kv("manifest-hash", hex::encode(Sha256::digest(&first_spec))),
            kv("signature", hex::encode(&first_spec[first_spec.len() - 64..])),
        ]),
        ok("manifest_testimony_chained", "The same device's next item: a written testimony, sequence 1, linked to ok_manifest_first_capture by its hash, no fields.", "manifest", second_spec.clone(), vec![
            kv("previous", hex::encode(Sha256::digest(&first_spec))),
        ]),
        fail("manifest_unknown_field", "Field ID 8 does not exist: refused whatever its value.", "manifest", with_fields(vec![(1, b"2024".to_vec()), (8, b"x".to_vec())]), "UnknownField"),
        fail("manifest_fields_out_of_order", "Field IDs must increase.", "manifest", with_fields(vec![(6, b"ar".to_vec()), (1, b"2024".to_vec())]), "Malformed"),
        fail("manifest_duplicate_field", "A field twice.", "manifest", with_fields(vec![(1, b"2024".to_vec()), (1, b"2025".to_vec())]), "Malformed"),
        fail("manifest_date_not_a_day", "incident_date 2023-02-29 (not a leap year).", "manifest", with_fields(vec![(1, b"2023-02-29".to_vec())]), "InvalidField"),
        fail("manifest_consent_unknown_value", "consent_recorded must be yes, no or restricted.", "manifest", with_fields(vec![(5, b"maybe".to_vec())]), "InvalidField"),
        fail("manifest_language_not_a_tag", "testimony_language with an underscore.", "manifest", with_fields(vec![(6, b"ar_LY".to_vec())]), "InvalidField"),
        fail("manifest_previous_at_sequence_0", "Sequence 0 with a previous hash.", "manifest", {
            let m = Manifest { previous: Some(ManifestHash([1; 32])), ..first.clone() };
            signed_manifest_spec(&m, &spec_fields(&first))
        }, "Malformed"),
        fail("manifest_no_previous_at_sequence_1", "Sequence 1 without a previous hash.", "manifest", {
            let m = Manifest { sequence: 1, ..first.clone() };
            signed_manifest_spec(&m, &spec_fields(&first))
        }, "Malformed"),
        fail("manifest_case_ref_bidi_override", "A case reference with U+202E.", "manifest", {
            let m = Manifest { case_ref: "LY-\u{202E}041".into(), ..first.clone() };
            signed_manifest_spec(&m, &spec_fields(&first))
        }, "Malformed"),
        fail("manifest_version_2", "Version byte 2.", "manifest", {
            let mut b = first_spec.clone();
            b[0] = 2;
            b
        }, "UnsupportedVersion"),
        fail("manifest_truncated", "ok_manifest_first_capture without its last byte: the signature is 63 bytes, the manifest loses its last.", "manifest", first_spec[..first_spec.len() - 1].to_vec(), "Malformed"),
        fail("manifest_trailing_byte", "A byte between the manifest and its signature.", "manifest", {
            let n = first_spec.len() - 64;
            [&first_spec[..n], &[0][..], &first_spec[n..]].concat()
        }, "Malformed"),
        fail("manifest_signature_altered", "ok_manifest_first_capture with the last signature byte changed: decodes, does not verify.", "manifest", {
            let mut b = first_spec.clone();
            let n = b.len() - 1;
            b[n] ^= 1;
            b
        }, "InvalidSignature"),
        fail("manifest_over_max", "A length of 4 161 bytes, refused before decoding.", "manifest", vec![0; 4161], "Malformed"),
    ];
    let enrolment = fx::enrolment();
    let e_spec = spec_sign(
        ENROLMENT_DOMAIN,
        &spec_enrolment(enrolment.unverified()),
        &fx::desk(),
    );
    assert_eq!(e_spec, enrolment.to_bytes());
    v.push(ok("enrolment", "The desk (seed d5×32) enrols the test device as \"device 3\" of \"partner organisation Y\".", "enrolment", e_spec.clone(), vec![kv("desk-seed", hex::encode(fx::DESK_SEED))]));
    v.push(fail(
        "enrolment_label_with_newline",
        "A device label with a line feed.",
        "enrolment",
        {
            let r = EnrolmentRecord {
                device_label: "device\n3".into(),
                ..enrolment.unverified().clone()
            };
            spec_sign(ENROLMENT_DOMAIN, &spec_enrolment(&r), &fx::desk())
        },
        "InvalidValue",
    ));
    v.push(fail(
        "enrolment_signed_by_another_key",
        "Signed by another key than its desk key.",
        "enrolment",
        spec_sign(
            ENROLMENT_DOMAIN,
            &spec_enrolment(enrolment.unverified()),
            &SigningKey::from_bytes(&[1; 32]),
        ),
        "InvalidSignature",
    ));
    let d = fx::derivative_record(c.signed.unverified());
    let d_spec = spec_sign(
        DERIVATIVE_DOMAIN,
        &spec_derivative(d.unverified()),
        &fx::desk(),
    );
    assert_eq!(d_spec, d.to_bytes());
    v.push(ok(
        "derivative_strip_metadata",
        "The desk's record of a metadata-stripped copy of ok_manifest_first_capture's content.",
        "derivative",
        d_spec.clone(),
        vec![],
    ));
    v.push(fail(
        "derivative_unknown_transform",
        "Transform 2 does not exist.",
        "derivative",
        {
            let mut r = spec_derivative(d.unverified());
            let at = r.len() - 32 - 8 - 1;
            r[at] = 2;
            spec_sign(DERIVATIVE_DOMAIN, &r, &fx::desk())
        },
        "InvalidValue",
    ));
    v
}

/// The commitment vector: inputs in the header, the commitment as hex.
fn commitment_case() -> String {
    let c = fx::capture();
    let h = Sha256::digest(c.signed.to_bytes());
    let salt = [0x5a; 32];
    let spec: [u8; 32] = Sha256::new()
        .chain_update(COMMITMENT_DOMAIN)
        .chain_update(salt)
        .chain_update(h)
        .finalize()
        .into();
    assert_eq!(
        commitment(&Salt::from_bytes(salt), &c.signed.hash()).0,
        spec
    );
    format!(
        "# The commitment of ok_manifest_first_capture under the salt 5a×32 (evidence-format.md §3).\n# format: commitment\n# expect: ok\n# salt: {}\n# manifest-hash: {}\n{}\n",
        hex::encode(salt),
        hex::encode(h),
        hex::encode(spec)
    )
}

fn check_commitment_file(text: &str) -> Result<(), String> {
    let f: BTreeMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# ")?.split_once(": "))
        .collect();
    let salt: [u8; 32] = hex::decode(f["salt"])
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|_| "salt")?;
    let h: [u8; 32] = hex::decode(f["manifest-hash"])
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|_| "hash")?;
    let want = text.lines().find(|l| !l.starts_with('#')).ok_or("no hex")?;
    let got = hex::encode(commitment(&Salt::from_bytes(salt), &ManifestHash(h)).0);
    (got == want).then_some(()).ok_or(format!("computed {got}"))
}

fn bundle_bytes() -> Vec<u8> {
    fx::write(&fx::exported().parts, fx::CONTENT)
}

#[test]
fn evidence_vector_files_are_exactly_what_the_cases_produce_and_hold() {
    let dir = fx::vectors_dir();
    let regenerate = std::env::var(REGENERATE).as_deref() == Ok("1");
    let mut expected: BTreeMap<String, Vec<u8>> = cases()
        .into_iter()
        .map(|c| (format!("{}.hex", c.name), c.render().into_bytes()))
        .collect();
    expected.insert("ok_commitment.txt".into(), commitment_case().into_bytes());
    expected.insert("ok_bundle.zip".into(), bundle_bytes());
    if regenerate {
        for (name, bytes) in &expected {
            fs::write(dir.join(name), bytes).expect("write vector");
        }
    }
    let mut problems = Vec::new();
    for (name, bytes) in &expected {
        match fs::read(dir.join(name)) {
            Ok(on_disk) if &on_disk == bytes => {}
            Ok(_) => problems.push(format!("{name}: differs from what the case produces")),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    // Every vector file is checked on its own terms, as another
    // implementation would read it.
    for entry in fs::read_dir(&dir).expect("dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.ends_with(".hex") {
            let text = fs::read_to_string(&path).expect("read");
            let f: BTreeMap<&str, &str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("# ")?.split_once(": "))
                .collect();
            let hex: String = text.lines().filter(|l| !l.starts_with('#')).collect();
            let bytes = hex::decode(hex).expect("hex");
            let got = outcome(f["format"], &bytes);
            if got != f["expect"] || (got == "ok") != name.starts_with("ok_") {
                problems.push(format!(
                    "{name}: decodes to {got}, file says {}",
                    f["expect"]
                ));
            }
        } else if name == "ok_commitment.txt" {
            if let Err(e) = check_commitment_file(&fs::read_to_string(&path).expect("read")) {
                problems.push(format!("{name}: {e}"));
            }
        } else if name == "ok_bundle.zip" {
            let opts = VerifyOptions {
                trusted_desk_keys: vec![fx::desk().verifying_key()],
                tsa_certs: vec![fx::tsa_cert()],
                ..VerifyOptions::default()
            };
            let v = verify_bundle(Cursor::new(fs::read(&path).expect("read")), &opts);
            if v.verified().is_none() {
                problems.push(format!("{name}: {:?}", v.failures().collect::<Vec<_>>()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_same_parts_make_the_same_bundle_bytes() {
    assert_eq!(bundle_bytes(), bundle_bytes());
}
