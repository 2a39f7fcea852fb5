//! Test vectors for the client-to-client formats, in
//! `protocol/tests/vectors/client-formats/`: one file per case, the expected
//! outcome in its header and in its name (`ok_*` / `fail_*`). The format is
//! described in `docs/client-formats.md` (section "Test vectors").
//!
//! The bytes of every case are built here by a small encoder written from
//! the specification, not by the library; the `ok` cases must then equal
//! what the library encodes, and the safety numbers are recomputed here from
//! the construction. `SANAD_REGENERATE_VECTORS=1 cargo test -p sanad-protocol
//! --test client_format_vectors` rewrites the files; without it the test
//! checks every file against its stated outcome and that the files are still
//! exactly what the cases produce.

mod client_support;
mod evidence_support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256, Sha512};

use client_support as fx;
use sanad_protocol::content::GroupWelcome;
use sanad_protocol::limits::{
    MAX_HELLO_KEY_PACKAGES, MAX_INVITE_TEXT_LEN, MAX_KEY_PACKAGE_LEN, MAX_RELAY_ADDRESS_LEN,
    MAX_TEXT_LEN,
};
use sanad_protocol::safety_number::group_check_code;
use sanad_protocol::{Content, Invite, SafetyNumber};

const REGENERATE: &str = "SANAD_REGENERATE_VECTORS";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(fx::VECTORS_SUBDIR)
}

// ------------------------------------------------------ encoder from the spec

fn u16_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u16).to_be_bytes());
    out.extend_from_slice(b);
}

fn u32_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

/// The fields of an invite's binary form, each as it goes on the wire, so a
/// case can break exactly one of them.
#[derive(Clone)]
struct InviteParts {
    version: u8,
    relay: Vec<u8>,
    send_id: [u8; 16],
    seal_key: [u8; 32],
    expires_at: u64,
    /// The key package field: u16 length and bytes (may disagree).
    key_package_field: Vec<u8>,
    /// Bytes after the key package, before the checksum.
    extra: Vec<u8>,
}

impl InviteParts {
    fn of(i: &Invite) -> InviteParts {
        let mut kp = Vec::new();
        u16_bytes(&mut kp, &i.key_package);
        InviteParts {
            version: 1,
            relay: i.relay.to_string().into_bytes(),
            send_id: i.send_id.0,
            seal_key: i.seal_key,
            expires_at: i.expires_at,
            key_package_field: kp,
            extra: vec![],
        }
    }

    fn body(&self) -> Vec<u8> {
        let mut b = vec![self.version];
        u16_bytes(&mut b, &self.relay);
        b.extend_from_slice(&self.send_id);
        b.extend_from_slice(&self.seal_key);
        b.extend_from_slice(&self.expires_at.to_be_bytes());
        b.extend_from_slice(&self.key_package_field);
        b.extend_from_slice(&self.extra);
        b
    }

    fn bytes(&self) -> Vec<u8> {
        let body = self.body();
        let mut b = body.clone();
        b.extend_from_slice(&spec_checksum(&body));
        b
    }
}

fn spec_checksum(body: &[u8]) -> [u8; 4] {
    let d = Sha256::new()
        .chain_update(b"sanad/invite/v1")
        .chain_update(body)
        .finalize();
    [d[0], d[1], d[2], d[3]]
}

fn spec_text(bytes: &[u8]) -> String {
    format!("sanad-invite:{}", URL_SAFE_NO_PAD.encode(bytes))
}

fn content_header(kind: u8) -> Vec<u8> {
    vec![1, kind]
}

fn spec_content_text(body: &[u8]) -> Vec<u8> {
    let mut b = content_header(1);
    u32_bytes(&mut b, body);
    b
}

struct FileParts<'a> {
    blob_len: u64,
    cipher_len: u64,
    age_identity: &'a [u8],
    name: &'a [u8],
    media_type: &'a [u8],
    size: u64,
}

fn file_parts() -> FileParts<'static> {
    FileParts {
        blob_len: 1_048_576,
        cipher_len: 1_000_250,
        age_identity: fx::AGE_IDENTITY.as_bytes(),
        name: "شهادة-2024.jpg".as_bytes(),
        media_type: b"image/jpeg",
        size: 1_000_000,
    }
}

fn spec_content_file(f: &FileParts<'_>) -> Vec<u8> {
    let mut b = content_header(2);
    b.extend_from_slice(&[b'B'; 32]);
    b.extend_from_slice(&f.blob_len.to_be_bytes());
    b.extend_from_slice(&f.cipher_len.to_be_bytes());
    u16_bytes(&mut b, f.age_identity);
    u16_bytes(&mut b, f.name);
    u16_bytes(&mut b, f.media_type);
    b.extend_from_slice(&f.size.to_be_bytes());
    b.extend_from_slice(&[0x5a; 32]);
    b
}

fn spec_content_hello(name: &[u8], key_packages: &[&[u8]]) -> Vec<u8> {
    let mut b = content_header(3);
    u16_bytes(&mut b, name);
    b.extend_from_slice(&(key_packages.len() as u16).to_be_bytes());
    for kp in key_packages {
        u16_bytes(&mut b, kp);
    }
    b
}

fn spec_content_welcome(welcome: &[u8], group_name: &[u8], from_name: &[u8]) -> Vec<u8> {
    let mut b = content_header(4);
    u32_bytes(&mut b, welcome);
    b.extend_from_slice(&[b'R'; 16]);
    b.extend_from_slice(&[b'S'; 16]);
    b.extend_from_slice(&fx::OWNER_SEED);
    u16_bytes(&mut b, group_name);
    u16_bytes(&mut b, from_name);
    b
}

/// The evidence kind from its parts (`docs/client-formats.md` §3.5): the
/// records inside are the library's (their own vectors are in
/// `vectors/evidence/`), the framing is written here from the spec.
fn spec_content_evidence(e: &sanad_protocol::content::EvidenceItem, seen: bool) -> Vec<u8> {
    let mut b = content_header(5);
    u16_bytes(&mut b, &e.manifest.to_bytes());
    b.extend_from_slice(e.salt.expose_secret());
    u16_bytes(&mut b, e.receipt.to_text().as_bytes());
    match (&e.seen_checkpoint, seen) {
        (Some(c), true) => {
            b.push(1);
            u16_bytes(&mut b, c.to_text().as_bytes());
        }
        _ => b.push(0),
    }
    match &e.enrolment {
        Some(en) => {
            b.push(1);
            u16_bytes(&mut b, &en.to_bytes());
        }
        None => b.push(0),
    }
    let f = &e.file;
    b.extend_from_slice(&f.blob_id.0);
    b.extend_from_slice(&f.blob_len.to_be_bytes());
    b.extend_from_slice(&f.cipher_len.to_be_bytes());
    u16_bytes(&mut b, f.age_identity.expose_secret().as_bytes());
    u16_bytes(&mut b, f.name.as_bytes());
    u16_bytes(&mut b, f.media_type.as_bytes());
    b.extend_from_slice(&f.size.to_be_bytes());
    b.extend_from_slice(&f.sha256);
    b
}

/// The safety-number construction, written out again from the spec: the
/// final SHA-512 state of one key, and its 30 digits.
fn spec_fingerprint(key: &[u8; 32]) -> ([u8; 64], String) {
    let mut f: [u8; 64] = Sha512::new()
        .chain_update(b"sanad/safety-number/v1")
        .chain_update(key)
        .finalize()
        .into();
    for _ in 1..5200 {
        f = Sha512::new()
            .chain_update(f)
            .chain_update(key)
            .finalize()
            .into();
    }
    let digits = (0..6)
        .map(|i| {
            let c = f[5 * i..5 * i + 5]
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
            format!("{:05}", c % 100_000)
        })
        .collect();
    (f, digits)
}

// ------------------------------------------------------------------ vectors

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Invite,
    InviteText,
    Content,
    SafetyNumber,
    GroupCheck,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Invite => "invite",
            Format::InviteText => "invite-text",
            Format::Content => "content",
            Format::SafetyNumber => "safety-number",
            Format::GroupCheck => "group-check",
        }
    }

    fn parse(s: &str) -> Option<Format> {
        [
            Format::Invite,
            Format::InviteText,
            Format::Content,
            Format::SafetyNumber,
            Format::GroupCheck,
        ]
        .into_iter()
        .find(|f| f.name() == s)
    }

    fn extension(self) -> &'static str {
        match self {
            Format::SafetyNumber | Format::GroupCheck => "txt",
            _ => "hex",
        }
    }
}

struct Case {
    name: String,
    about: String,
    format: Format,
    /// `ok` or `err <Variant>`.
    expect: String,
    /// For errors: the reference implementation's `Debug` of the error.
    detail: Option<String>,
    /// Informational `# key: value` lines (checked by file equality).
    fields: Vec<(String, String)>,
    /// The input bytes (empty for safety-number and group-check).
    bytes: Vec<u8>,
}

impl Case {
    fn file_name(&self) -> String {
        format!("{}.{}", self.name, self.format.extension())
    }

    fn render(&self) -> String {
        let mut out = format!("# {}\n", self.about);
        out.push_str(&format!("# format: {}\n", self.format.name()));
        out.push_str(&format!("# expect: {}\n", self.expect));
        if let Some(d) = &self.detail {
            out.push_str(&format!("# detail: {d}\n"));
        }
        for (k, v) in &self.fields {
            out.push_str(&format!("# {k}: {v}\n"));
        }
        for chunk in hex::encode(&self.bytes).as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).expect("hex is ASCII"));
            out.push('\n');
        }
        out
    }
}

/// What a file says, read back.
struct Parsed {
    format: Format,
    expect: String,
    detail: Option<String>,
    fields: BTreeMap<String, String>,
    bytes: Vec<u8>,
}

fn parse_file(text: &str) -> Result<Parsed, String> {
    let mut fields = BTreeMap::new();
    let mut hex_text = String::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("# ") {
            if let Some((k, v)) = c.split_once(": ") {
                fields.insert(k.to_string(), v.to_string());
            }
        } else {
            hex_text.extend(line.chars().filter(|c| !c.is_whitespace()));
        }
    }
    let format = fields
        .get("format")
        .and_then(|f| Format::parse(f))
        .ok_or("no or unknown `# format:` line")?;
    Ok(Parsed {
        format,
        expect: fields.get("expect").cloned().ok_or("no `# expect:` line")?,
        detail: fields.get("detail").cloned(),
        bytes: hex::decode(hex_text).map_err(|e| format!("hex: {e}"))?,
        fields,
    })
}

fn variant(debug: &str) -> &str {
    debug.split(['(', ' ', '{']).next().unwrap_or_default()
}

/// Decode the input and compare with the stated outcome.
fn check(p: &Parsed) -> Result<(), String> {
    let outcome = match p.format {
        Format::Invite => Invite::from_bytes(&p.bytes)
            .map(|i| {
                let again = i.to_bytes().expect("a decoded invite encodes");
                (again == p.bytes, format!("{i:?}"))
            })
            .map_err(|e| format!("{e:?}")),
        Format::InviteText => {
            let text = std::str::from_utf8(&p.bytes).map_err(|e| format!("text: {e}"))?;
            Invite::parse(text)
                .map(|i| {
                    let canonical = i.to_text().expect("a parsed invite encodes");
                    (
                        p.fields.get("canonical-text") == Some(&canonical),
                        format!("{i:?}"),
                    )
                })
                .map_err(|e| format!("{e:?}"))
        }
        Format::Content => Content::decode(&p.bytes)
            .map(|c| {
                let again = c.encode().expect("decoded content encodes");
                (again.as_slice() == p.bytes, format!("{c:?}"))
            })
            .map_err(|e| format!("{e:?}")),
        Format::SafetyNumber => return check_safety_number(p),
        Format::GroupCheck => return check_group_check(p),
    };
    match (outcome, p.expect.as_str()) {
        (Ok((true, _)), "ok") => Ok(()),
        (Ok((false, _)), "ok") => Err("decodes, but does not re-encode to the same bytes".into()),
        (Ok((_, v)), want) => Err(format!("decoded to {v}, want {want}")),
        (Err(got), want) => {
            let want_variant = want
                .strip_prefix("err ")
                .ok_or(format!("got error {got}"))?;
            if variant(&got) != want_variant {
                return Err(format!("error {got}, want {want_variant}"));
            }
            if p.detail.as_deref() != Some(got.as_str()) {
                return Err(format!("error detail {got}, file says {:?}", p.detail));
            }
            Ok(())
        }
    }
}

fn field<'a>(p: &'a Parsed, k: &str) -> Result<&'a str, String> {
    p.fields
        .get(k)
        .map(String::as_str)
        .ok_or(format!("no `# {k}:` line"))
}

fn key(p: &Parsed, k: &str) -> Result<[u8; 32], String> {
    hex::decode(field(p, k)?)
        .map_err(|e| format!("{k}: {e}"))?
        .try_into()
        .map_err(|_| format!("{k} is not 32 bytes"))
}

fn check_safety_number(p: &Parsed) -> Result<(), String> {
    let (a, b) = (key(p, "key-a")?, key(p, "key-b")?);
    let n = SafetyNumber::new(&a, &b);
    let digits = field(p, "digits")?;
    if n.digits() != digits || SafetyNumber::new(&b, &a).digits() != digits {
        return Err(format!("computed {}, file says {digits}", n.digits()));
    }
    let (fa, fb) = (spec_fingerprint(&a).1, spec_fingerprint(&b).1);
    if field(p, "fingerprint-a")? != fa || field(p, "fingerprint-b")? != fb {
        return Err("fingerprints differ from the construction".into());
    }
    if field(p, "qr")? != n.qr_payload() || !n.matches(digits) {
        return Err("qr payload or matching disagrees".into());
    }
    Ok(())
}

fn check_group_check(p: &Parsed) -> Result<(), String> {
    let ea = hex::decode(field(p, "epoch-authenticator")?).map_err(|e| e.to_string())?;
    let code = field(p, "code")?;
    if group_check_code(&ea) != code {
        return Err(format!(
            "computed {}, file says {code}",
            group_check_code(&ea)
        ));
    }
    Ok(())
}

// ------------------------------------------------------------------ the cases

fn ok(
    name: &str,
    about: &str,
    format: Format,
    fields: Vec<(String, String)>,
    bytes: Vec<u8>,
) -> Case {
    Case {
        name: format!("ok_{name}"),
        about: about.into(),
        format,
        expect: "ok".into(),
        detail: None,
        fields,
        bytes,
    }
}

/// A case that must fail with `want`; the detail is the library's error,
/// after checking that its variant is the intended one.
fn fail(name: &str, about: &str, format: Format, bytes: Vec<u8>, want: &str) -> Case {
    let err = match format {
        Format::Invite => Invite::from_bytes(&bytes).err().map(|e| format!("{e:?}")),
        Format::InviteText => {
            Invite::parse(std::str::from_utf8(&bytes).expect("text case is UTF-8"))
                .err()
                .map(|e| format!("{e:?}"))
        }
        Format::Content => Content::decode(&bytes).err().map(|e| format!("{e:?}")),
        _ => unreachable!("only decoders have failure cases"),
    }
    .unwrap_or_else(|| panic!("fail_{name} decodes"));
    assert_eq!(variant(&err), want, "fail_{name}: {err}");
    Case {
        name: format!("fail_{name}"),
        about: about.into(),
        format,
        expect: format!("err {want}"),
        detail: Some(err),
        fields: vec![],
        bytes,
    }
}

fn kv(k: &str, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}

fn ok_invite(name: &str, about: &str, i: &Invite) -> Case {
    let bytes = InviteParts::of(i).bytes();
    assert_eq!(
        i.to_bytes().expect("encodes"),
        bytes,
        "{name}: spec and library agree"
    );
    let text = spec_text(&bytes);
    assert_eq!(i.to_text().expect("encodes"), text);
    ok(
        name,
        about,
        Format::Invite,
        vec![
            kv("relay", &i.relay),
            kv("send-id", hex::encode(i.send_id.0)),
            kv("seal-key", hex::encode(i.seal_key)),
            kv("expires-at", i.expires_at),
            kv("key-package", hex::encode(&i.key_package)),
            kv("checksum", hex::encode(&bytes[bytes.len() - 4..])),
            kv("text", &text),
        ],
        bytes,
    )
}

fn invite_cases() -> Vec<Case> {
    let base = InviteParts::of(&fx::invite());
    let with = |f: &dyn Fn(&mut InviteParts)| {
        let mut p = base.clone();
        f(&mut p);
        p.bytes()
    };
    let good = base.bytes();
    let text = spec_text(&good);
    let pin = URL_SAFE_NO_PAD.encode([0x01; 32]);

    let mut pasted = String::from("\n  Sanad-Invite:\n");
    for (n, c) in text["sanad-invite:".len()..].chars().enumerate() {
        if n > 0 && n % 40 == 0 {
            pasted.push_str(" \r\n");
        }
        pasted.push(c);
    }
    pasted.push_str("  \n");
    let mut altered = text.clone().into_bytes();
    altered[30] = if altered[30] == b'x' { b'y' } else { b'x' };

    let v = vec![
        ok_invite(
            "invite_relay_name",
            "Invite to a relay known by name. seal-key is the X25519 public key of 11×32.",
            &fx::invite(),
        ),
        ok_invite(
            "invite_relay_ipv6",
            "Invite to a relay at an IPv6 address (bracketed in the relay string).",
            &fx::invite_ipv6(),
        ),
        {
            let mut c = ok(
                "invite_text_pasted_from_chat",
                "ok_invite_relay_name as pasted from a chat app: white space around and inside, prefix in mixed case.",
                Format::InviteText,
                vec![kv("canonical-text", &text)],
                pasted.into_bytes(),
            );
            c.fields.insert(
                0,
                kv("text", format!("{:?}", String::from_utf8_lossy(&c.bytes))),
            );
            c
        },
        fail(
            "invite_text_not_an_invite",
            "A relay address pasted where an invite was expected.",
            Format::InviteText,
            format!("sanad://relay.example.org:443?pin={pin}").into_bytes(),
            "NotAnInvite",
        ),
        fail(
            "invite_text_cut_short",
            "ok_invite_relay_name's text without its last 10 characters.",
            Format::InviteText,
            text.as_bytes()[..text.len() - 10].to_vec(),
            "Damaged",
        ),
        fail(
            "invite_text_altered",
            "ok_invite_relay_name's text with one character changed.",
            Format::InviteText,
            altered,
            "Damaged",
        ),
        fail(
            "invite_text_padded",
            "Base64 padding is not part of the format.",
            Format::InviteText,
            format!("{text}==").into_bytes(),
            "Damaged",
        ),
        fail(
            "invite_text_too_long",
            "One byte over MAX_INVITE_TEXT_LEN (8192): refused before decoding.",
            Format::InviteText,
            format!(
                "sanad-invite:{}",
                "A".repeat(MAX_INVITE_TEXT_LEN + 1 - "sanad-invite:".len())
            )
            .into_bytes(),
            "TooLong",
        ),
        fail(
            "invite_text_newer_version",
            "An invite of format 2 (its checksum is not v1's): reported as a newer version.",
            Format::InviteText,
            spec_text(&with(&|p| p.version = 2)).into_bytes(),
            "UnsupportedVersion",
        ),
        fail(
            "invite_empty",
            "No bytes at all.",
            Format::Invite,
            vec![],
            "Damaged",
        ),
        fail(
            "invite_unsupported_version",
            "ok_invite_relay_name with version 2 (checksum recomputed).",
            Format::Invite,
            with(&|p| p.version = 2),
            "UnsupportedVersion",
        ),
        fail(
            "invite_checksum_mismatch",
            "ok_invite_relay_name with the last checksum byte changed.",
            Format::Invite,
            {
                let mut b = good.clone();
                *b.last_mut().expect("not empty") ^= 0x01;
                b
            },
            "Damaged",
        ),
        fail(
            "invite_empty_key_package",
            "A key package of length 0 (checksum valid).",
            Format::Invite,
            with(&|p| p.key_package_field = vec![0, 0]),
            "Malformed",
        ),
        fail(
            "invite_key_package_over_max",
            "A key package length of 4097, refused before its bytes are looked for.",
            Format::Invite,
            with(&|p| {
                p.key_package_field = (MAX_KEY_PACKAGE_LEN as u16 + 1).to_be_bytes().to_vec()
            }),
            "Malformed",
        ),
        fail(
            "invite_key_package_truncated",
            "The key package length says 23 bytes; 10 follow.",
            Format::Invite,
            with(&|p| {
                p.key_package_field.truncate(2 + 10);
            }),
            "Malformed",
        ),
        fail(
            "invite_trailing_byte",
            "One byte after the key package, before a valid checksum.",
            Format::Invite,
            with(&|p| p.extra = vec![0]),
            "Malformed",
        ),
        fail(
            "invite_relay_not_canonical",
            "The relay string with a leading space: it parses, but is not the one spelling.",
            Format::Invite,
            with(&|p| p.relay.insert(0, b' ')),
            "BadRelayAddress",
        ),
        fail(
            "invite_relay_bad_pin",
            "A relay string whose pin is not 32 bytes.",
            Format::Invite,
            with(&|p| p.relay = b"sanad://relay.example.org:443?pin=AAAA".to_vec()),
            "BadRelayAddress",
        ),
        fail(
            "invite_relay_not_utf8",
            "A relay string that is not UTF-8.",
            Format::Invite,
            with(&|p| p.relay[9] = 0xff),
            "Malformed",
        ),
        fail(
            "invite_relay_over_max",
            "A relay string of MAX_RELAY_ADDRESS_LEN + 1 (334) bytes.",
            Format::Invite,
            with(&|p| p.relay = vec![b'a'; MAX_RELAY_ADDRESS_LEN + 1]),
            "Malformed",
        ),
    ];
    v
}

fn ok_content(
    name: &str,
    about: &str,
    c: &Content,
    spec: Vec<u8>,
    fields: Vec<(String, String)>,
) -> Case {
    assert_eq!(
        hex::encode(c.encode().expect("encodes").as_slice()),
        hex::encode(&spec),
        "{name}: spec and library agree"
    );
    ok(name, about, Format::Content, fields, spec)
}

fn content_cases() -> Vec<Case> {
    let f = file_parts();
    let welcome: GroupWelcome = fx::group_welcome();
    let text = spec_content_text(b"Hello from Tunis");
    vec![
        ok_content(
            "content_text",
            "A text message.",
            &fx::text(),
            text.clone(),
            vec![
                kv("kind", "text (0x01)"),
                kv("body", "\"Hello from Tunis\""),
            ],
        ),
        ok_content(
            "content_text_arabic",
            "A text message in Arabic (UTF-8).",
            &fx::text_arabic(),
            spec_content_text("مرحبا من تونس".as_bytes()),
            vec![kv("kind", "text (0x01)"), kv("body", "\"مرحبا من تونس\"")],
        ),
        ok_content(
            "content_file",
            "A file reference. The age identity has the right shape but is not a usable key.",
            &fx::file(),
            spec_content_file(&f),
            vec![
                kv("kind", "file (0x02)"),
                kv("blob-id", hex::encode([b'B'; 32])),
                kv("blob-len", f.blob_len),
                kv("cipher-len", f.cipher_len),
                kv("age-identity", fx::AGE_IDENTITY),
                kv("name", "\"شهادة-2024.jpg\""),
                kv("media-type", "image/jpeg"),
                kv("size", f.size),
                kv("sha256", hex::encode([0x5a; 32])),
            ],
        ),
        ok_content(
            "content_hello",
            "A hello with two (placeholder) key packages.",
            &fx::hello(),
            spec_content_hello(b"Amal", &[b"key package 1".as_slice(), b"key package 2"]),
            vec![
                kv("kind", "hello (0x03)"),
                kv("display-name", "\"Amal\""),
                kv("key-packages", "\"key package 1\", \"key package 2\""),
            ],
        ),
        ok_content(
            "content_welcome",
            "A group welcome with its shared mailbox.",
            &fx::welcome(),
            spec_content_welcome(&welcome.welcome, b"Tunis desk", b"Amal"),
            vec![
                kv("kind", "welcome (0x04)"),
                kv("welcome", "\"MLS Welcome (opaque)\""),
                kv("receive-id", hex::encode([b'R'; 16])),
                kv("send-id", hex::encode([b'S'; 16])),
                kv("owner-seed", hex::encode(fx::OWNER_SEED)),
                kv("group-name", "\"Tunis desk\""),
                kv("from-name", "\"Amal\""),
            ],
        ),
        ok_content(
            "content_welcome_one_to_one",
            "A welcome into a one-to-one conversation: empty group name.",
            &fx::welcome_one_to_one(),
            spec_content_welcome(&welcome.welcome, b"", b"Amal"),
            vec![kv("kind", "welcome (0x04)"), kv("group-name", "\"\"")],
        ),
        {
            let e = evidence_support::evidence_item();
            ok_content(
                "content_evidence",
                "An evidence item (evidence-format.md has its manifest, enrolment and keys): manifest, salt, receipt, the seen checkpoint's note, the enrolment and the file.",
                &Content::Evidence(Box::new(e.clone())),
                spec_content_evidence(&e, true),
                vec![
                    kv("kind", "evidence (0x05)"),
                    kv("signed-manifest", hex::encode(e.manifest.to_bytes())),
                    kv("salt", hex::encode(e.salt.expose_secret())),
                    kv("receipt", format!("{:?}", e.receipt.to_text())),
                    kv(
                        "seen-checkpoint",
                        format!("{:?}", e.seen_checkpoint.as_ref().map(|c| c.to_text())),
                    ),
                    kv("enrolment", hex::encode(e.enrolment.as_ref().map(|x| x.to_bytes()).unwrap_or_default())),
                ],
            )
        },
        {
            let e = evidence_support::evidence_item();
            let en = e.enrolment.clone().expect("the item carries an enrolment");
            let bytes = en.to_bytes();
            let len = u16::try_from(bytes.len()).expect("short");
            ok_content(
                "content_enrolment",
                "The desk's signed enrolment of a device key, sent to that device (the enrolment of ok_content_evidence).",
                &Content::Enrolment(Box::new(en)),
                [vec![1, 0x06], len.to_be_bytes().to_vec(), bytes.clone()].concat(),
                vec![
                    kv("kind", "enrolment (0x06)"),
                    kv("signed-enrolment", hex::encode(&bytes)),
                ],
            )
        },
        {
            let e = evidence_support::evidence_item();
            let id = e.manifest.unverified().evidence_id;
            ok_content(
                "content_evidence_confirmed",
                "The desk confirms it has the item of ok_content_evidence and that every check passed.",
                &Content::EvidenceConfirmed {
                    evidence_id: id,
                    verified: true,
                },
                [vec![1, 0x07], id.0.to_vec(), vec![1]].concat(),
                vec![
                    kv("kind", "evidence-confirmed (0x07)"),
                    kv("evidence-id", hex::encode(id.0)),
                    kv("verified", "1"),
                ],
            )
        },
        fail(
            "content_evidence_confirmed_bad_flag",
            "ok_content_evidence_confirmed with the verified flag set to 2.",
            Format::Content,
            {
                let id = evidence_support::evidence_item()
                    .manifest
                    .unverified()
                    .evidence_id;
                [vec![1, 0x07], id.0.to_vec(), vec![2]].concat()
            },
            "Malformed",
        ),
        fail(
            "content_evidence_without_seen_checkpoint",
            "ok_content_evidence without the seen checkpoint's note, which its manifest names.",
            Format::Content,
            spec_content_evidence(&evidence_support::evidence_item(), false),
            "Malformed",
        ),
        fail(
            "content_evidence_file_not_the_manifests",
            "ok_content_evidence whose file SHA-256 is not the manifest's content hash.",
            Format::Content,
            {
                let mut e = evidence_support::evidence_item();
                e.file.sha256[0] ^= 1;
                spec_content_evidence(&e, true)
            },
            "Malformed",
        ),
        fail(
            "content_evidence_bad_enrolment_flag",
            "ok_content_evidence with the enrolment flag set to 2.",
            Format::Content,
            {
                let e = evidence_support::evidence_item();
                let mut b = spec_content_evidence(&e, true);
                let seen = e
                    .seen_checkpoint
                    .as_ref()
                    .map(|c| c.to_text().len())
                    .unwrap_or(0);
                let at = 2
                    + 2
                    + e.manifest.to_bytes().len()
                    + 32
                    + 2
                    + e.receipt.to_text().len()
                    + 1
                    + 2
                    + seen;
                assert_eq!(b[at], 1, "the enrolment flag");
                b[at] = 2;
                b
            },
            "Malformed",
        ),
        fail(
            "content_empty",
            "No bytes at all.",
            Format::Content,
            vec![],
            "Malformed",
        ),
        fail(
            "content_unsupported_version",
            "Version 2.",
            Format::Content,
            [vec![2], text[1..].to_vec()].concat(),
            "UnsupportedVersion",
        ),
        fail(
            "content_unknown_kind",
            "Kind 0x08, from a newer client: shown as an unsupported message.",
            Format::Content,
            vec![1, 8, 0, 0, 0, 0],
            "UnknownKind",
        ),
        fail(
            "content_truncated",
            "ok_content_text without its last byte.",
            Format::Content,
            text[..text.len() - 1].to_vec(),
            "Malformed",
        ),
        fail(
            "content_trailing_byte",
            "ok_content_text with one byte more.",
            Format::Content,
            [text.clone(), vec![0]].concat(),
            "Malformed",
        ),
        fail(
            "content_text_over_max",
            "A text length of MAX_TEXT_LEN + 1, refused before its bytes are looked for.",
            Format::Content,
            [vec![1, 1], (MAX_TEXT_LEN as u32 + 1).to_be_bytes().to_vec()].concat(),
            "Malformed",
        ),
        fail(
            "content_text_not_utf8",
            "A text body that is not UTF-8.",
            Format::Content,
            spec_content_text(b"caf\xe9"),
            "Malformed",
        ),
        fail(
            "content_file_cipher_longer_than_blob",
            "cipher-len one more than blob-len.",
            Format::Content,
            spec_content_file(&FileParts {
                cipher_len: f.blob_len + 1,
                ..file_parts()
            }),
            "Malformed",
        ),
        fail(
            "content_file_size_over_cipher_len",
            "A plaintext size larger than the age ciphertext.",
            Format::Content,
            spec_content_file(&FileParts {
                size: f.cipher_len + 1,
                ..file_parts()
            }),
            "Malformed",
        ),
        fail(
            "content_file_bad_age_identity",
            "An age identity in lower case.",
            Format::Content,
            spec_content_file(&FileParts {
                age_identity: b"age-secret-key-1qpzry9x8gf2tvdw0s3jn54khce6mua7l",
                ..file_parts()
            }),
            "Malformed",
        ),
        fail(
            "content_file_media_type_control",
            "A media type with a line break.",
            Format::Content,
            spec_content_file(&FileParts {
                media_type: b"image/jpeg\n",
                ..file_parts()
            }),
            "Malformed",
        ),
        fail(
            "content_hello_bidi_override_in_name",
            "A display name with U+202E RIGHT-TO-LEFT OVERRIDE.",
            Format::Content,
            spec_content_hello("Amal\u{202E}".as_bytes(), &[]),
            "Malformed",
        ),
        fail(
            "content_hello_too_many_key_packages",
            "Nine key packages (the limit is eight).",
            Format::Content,
            spec_content_hello(b"Amal", &[b"k".as_slice(); MAX_HELLO_KEY_PACKAGES + 1]),
            "Malformed",
        ),
        fail(
            "content_hello_empty_key_package",
            "A key package of length 0.",
            Format::Content,
            spec_content_hello(b"Amal", &[b"".as_slice()]),
            "Malformed",
        ),
        fail(
            "content_welcome_empty",
            "A welcome of length 0.",
            Format::Content,
            spec_content_welcome(b"", b"Tunis desk", b"Amal"),
            "Malformed",
        ),
        fail(
            "content_welcome_control_in_group_name",
            "A group name with a line break.",
            Format::Content,
            spec_content_welcome(&welcome.welcome, b"Tunis\ndesk", b"Amal"),
            "Malformed",
        ),
    ]
}

fn safety_case(name: &str, about: &str, a: [u8; 32], b: [u8; 32]) -> Case {
    let n = SafetyNumber::new(&a, &b);
    let (ha, fa) = spec_fingerprint(&a);
    let (hb, fb) = spec_fingerprint(&b);
    let (lo, hi) = if fa <= fb { (&fa, &fb) } else { (&fb, &fa) };
    assert_eq!(
        n.digits(),
        format!("{lo}{hi}"),
        "{name}: spec and library agree"
    );
    let mut fields = vec![
        kv("key-a", hex::encode(a)),
        kv("key-b", hex::encode(b)),
        kv("final-hash-a", hex::encode(ha)),
        kv("fingerprint-a", &fa),
        kv("final-hash-b", hex::encode(hb)),
        kv("fingerprint-b", &fb),
        kv("digits", n.digits()),
    ];
    for (i, row) in n.display().lines().enumerate() {
        fields.push(kv(&format!("row-{}", i + 1), row));
    }
    fields.push(kv("qr", n.qr_payload()));
    ok(name, about, Format::SafetyNumber, fields, vec![])
}

fn group_check_case(name: &str, about: &str, ea: &[u8]) -> Case {
    let d = Sha256::new()
        .chain_update(b"sanad/group-check/v1")
        .chain_update(ea)
        .finalize();
    let v = d[..5]
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
        % 1_000_000_000_000;
    let s = format!("{v:012}");
    let code = format!("{} {} {}", &s[..4], &s[4..8], &s[8..]);
    assert_eq!(group_check_code(ea), code, "{name}: spec and library agree");
    ok(
        name,
        about,
        Format::GroupCheck,
        vec![
            kv("epoch-authenticator", hex::encode(ea)),
            kv("sha256", hex::encode(d)),
            kv("code", code),
        ],
        vec![],
    )
}

fn safety_cases() -> Vec<Case> {
    let ed25519 = |seed: [u8; 32]| {
        ed25519_dalek::SigningKey::from_bytes(&seed)
            .verifying_key()
            .to_bytes()
    };
    // The first small input whose code starts with a zero pins the padding.
    let leading_zero = (0u8..=255)
        .map(|i| vec![i; 32])
        .find(|ea| group_check_code(ea).starts_with('0'))
        .expect("one in ten codes starts with 0");
    vec![
        safety_case(
            "safety_number_two_ed25519_keys",
            "Safety number of the Ed25519 public keys of seeds 00 01 … 1f (key-a) and 42×32 (key-b).",
            ed25519(fx::OWNER_SEED),
            ed25519([0x42; 32]),
        ),
        safety_case(
            "safety_number_extreme_bytes",
            "Safety number of 00×32 and ff×32 (the construction does not look inside keys).",
            [0; 32],
            [0xff; 32],
        ),
        group_check_case(
            "group_check_counting_bytes",
            "Group check code of a 32-byte epoch authenticator 00 01 … 1f.",
            &fx::OWNER_SEED,
        ),
        group_check_case(
            "group_check_leading_zero",
            "A group check code that starts with 0: always 12 digits.",
            &leading_zero,
        ),
    ]
}

fn cases() -> Vec<Case> {
    let mut c = invite_cases();
    c.extend(content_cases());
    c.extend(safety_cases());
    c
}

// ------------------------------------------------------------------ tests

fn regenerate_if_asked() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        if std::env::var(REGENERATE).as_deref() == Ok("1") {
            fs::create_dir_all(dir()).expect("create vectors dir");
            for c in cases() {
                fs::write(dir().join(c.file_name()), c.render()).expect("write vector");
            }
        }
    });
}

#[test]
fn every_client_format_vector_file_has_its_stated_outcome() {
    regenerate_if_asked();
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in fs::read_dir(dir()).expect("client-formats vectors dir") {
        let path = entry.expect("directory entry").path();
        n += 1;
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let result = fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_file(&t))
            .and_then(|p| {
                let ok = p.expect == "ok";
                if ok != name.starts_with("ok_") || ok == name.starts_with("fail_") {
                    return Err("file name and outcome disagree (ok_* / fail_*)".into());
                }
                check(&p)
            });
        if let Err(e) = result {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(n >= 40, "only {n} vector files");
}

#[test]
fn client_format_vector_files_are_exactly_what_the_cases_produce() {
    regenerate_if_asked();
    let cases = cases();
    let mut problems = Vec::new();
    for c in &cases {
        let rendered = c.render();
        if let Err(e) = parse_file(&rendered).and_then(|p| check(&p)) {
            problems.push(format!(
                "{}: generated case fails its own check: {e}",
                c.name
            ));
        }
        let path = dir().join(c.file_name());
        match fs::read_to_string(&path) {
            Ok(text) if text == rendered => {}
            Ok(_) => problems.push(format!(
                "{} differs from what the code produces now",
                path.display()
            )),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    let names: Vec<String> = cases.iter().map(Case::file_name).collect();
    for entry in fs::read_dir(dir()).expect("vectors dir") {
        let f = entry
            .expect("directory entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if !names.contains(&f) {
            problems.push(format!("{f} has no case in tests/client_format_vectors.rs"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(run with {REGENERATE}=1 after a deliberate change)",
        problems.join("\n")
    );
}

#[test]
fn every_content_kind_and_both_invite_forms_have_an_ok_vector() {
    let cases = cases();
    for (name, _) in fx::contents() {
        assert!(
            cases.iter().any(|c| c.name == format!("ok_content_{name}")),
            "no ok_content_{name} vector"
        );
    }
    for format in [
        Format::Invite,
        Format::InviteText,
        Format::SafetyNumber,
        Format::GroupCheck,
    ] {
        assert!(
            cases.iter().any(|c| c.format == format && c.expect == "ok"),
            "no ok vector of format {}",
            format.name()
        );
    }
}
