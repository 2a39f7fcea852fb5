//! The properties every fuzz target checks, one function per target.
//!
//! Also compiled into `protocol/tests/fuzz_corpus.rs` (by `#[path]`), which
//! replays the committed corpus through these same functions on stable Rust.
//! Each function panics when a property fails; a panic is a bug.

#![forbid(unsafe_code)]

use sanad_protocol::frame::{Direction, FrameHeader};
use sanad_protocol::invite::checksum;
use sanad_protocol::limits::{FRAME_HEADER_LEN, MAX_FRAME_BODY};
use sanad_protocol::log::note::Note;
use sanad_protocol::log::{LogKey, SignedCheckpoint};
use sanad_protocol::{Content, Invite, OwnerKey, Receipt, RelayAddress, Request, Response};

/// Decode the first six bytes as a header in both directions; whatever is
/// accepted is within the limits and re-encodes to the same bytes.
fn check_header(data: &[u8]) {
    let Some(bytes) = data.get(..FRAME_HEADER_LEN) else {
        return;
    };
    let mut h = [0u8; FRAME_HEADER_LEN];
    h.copy_from_slice(bytes);
    for direction in [Direction::Request, Direction::Response] {
        if let Ok(header) = FrameHeader::decode(&h, direction) {
            assert!(header.body_len as usize <= MAX_FRAME_BODY);
            assert_eq!(
                FrameHeader::encode(header.kind, header.body_len as usize),
                h
            );
        }
    }
}

/// `FrameHeader::decode` and `Request::decode`: never panic; an accepted
/// request re-encodes to exactly the input; checking its owner signature
/// never panics, whatever the key bytes.
pub fn frame_request(data: &[u8]) {
    check_header(data);
    if let Ok(req) = Request::decode(data) {
        assert_eq!(
            req.encode(),
            data,
            "request decoded from non-canonical bytes"
        );
        let key = match &req {
            Request::CreateMailbox(c) => c.owner_key,
            _ => {
                let mut k = [0u8; 32];
                let tail = &data[data.len().saturating_sub(32)..];
                k[..tail.len()].copy_from_slice(tail);
                OwnerKey(k)
            }
        };
        let _ = req.verify_owner(&key);
    }
}

/// `Response::decode`: never panics; an accepted response re-encodes to
/// exactly the input.
pub fn frame_response(data: &[u8]) {
    check_header(data);
    if let Ok(resp) = Response::decode(data) {
        assert_eq!(
            resp.encode(),
            data,
            "response decoded from non-canonical bytes"
        );
    }
}

/// `RelayAddress::from_str` on the input read as UTF-8 (lossily): never
/// panics; an accepted address prints as exactly the trimmed input and parses
/// back to itself.
pub fn relay_address(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(a) = s.parse::<RelayAddress>() {
        let printed = a.to_string();
        assert_eq!(
            printed,
            s.trim(),
            "address accepted in a non-canonical spelling"
        );
        assert_eq!(printed.parse::<RelayAddress>(), Ok(a));
    }
}

/// `Invite::parse` on the input read as UTF-8 (lossily): never panics; an
/// accepted invite prints as text that parses back to itself. Then
/// `Invite::from_bytes` on the input as it is, and on the input with its
/// correct checksum appended (so that the fuzzer reaches the field parser,
/// which a random checksum would almost always hide): never panics; an
/// accepted invite re-encodes to exactly those bytes.
pub fn invite(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(i) = Invite::parse(&s) {
        let text = i.to_text().expect("a parsed invite encodes");
        assert_eq!(
            Invite::parse(&text),
            Ok(i),
            "invite text does not round-trip"
        );
    }
    if let Ok(i) = Invite::from_bytes(data) {
        assert_eq!(
            i.to_bytes().expect("a decoded invite encodes"),
            data,
            "invite decoded from non-canonical bytes"
        );
    }
    let mut summed = data.to_vec();
    summed.extend_from_slice(&checksum(data));
    if let Ok(i) = Invite::from_bytes(&summed) {
        assert_eq!(
            i.to_bytes().expect("a decoded invite encodes"),
            summed,
            "invite decoded from non-canonical bytes"
        );
    }
}

/// `Content::decode`: never panics; accepted content re-encodes to exactly
/// the input.
pub fn content(data: &[u8]) {
    if let Ok(c) = Content::decode(data) {
        let again = c.encode().expect("decoded content encodes");
        assert_eq!(
            again.as_slice(),
            data,
            "content decoded from non-canonical bytes"
        );
    }
}

/// The transparency-log text parsers on the input as it is: `Note::parse`,
/// `SignedCheckpoint::parse` and `Receipt::parse` never panic; whatever they
/// accept prints as exactly the input; verifying an accepted checkpoint or
/// receipt against a key taken from the input never panics.
pub fn log_text(data: &[u8]) {
    if let Ok(n) = Note::parse(data) {
        assert_eq!(
            n.to_text().as_bytes(),
            data,
            "note parsed from non-canonical text"
        );
    }
    let key = || {
        let mut k = [0u8; 32];
        let tail = &data[data.len().saturating_sub(32)..];
        k[..tail.len()].copy_from_slice(tail);
        LogKey::from_bytes(&k)
    };
    if let Ok(c) = SignedCheckpoint::parse(data) {
        assert_eq!(
            c.to_text().as_bytes(),
            data,
            "checkpoint parsed from non-canonical text"
        );
        if let Some(k) = key() {
            let _ = c.verify(&k);
        }
    }
    if let Ok(r) = Receipt::parse(data) {
        assert_eq!(
            r.to_text().as_bytes(),
            data,
            "receipt parsed from non-canonical text"
        );
        if let Some(k) = key() {
            let _ = r.verify(&k);
        }
    }
}

/// The evidence record decoders on the input as it is: `Manifest::decode`,
/// `SignedManifest::decode`, `SignedEnrolment::decode` and
/// `SignedDerivative::decode` never panic, whatever they accept re-encodes
/// to exactly the input, and checking an accepted record's signature never
/// panics.
pub fn evidence_manifest(data: &[u8]) {
    use sanad_protocol::evidence::{Manifest, SignedDerivative, SignedEnrolment, SignedManifest};
    if let Ok(m) = Manifest::decode(data) {
        assert_eq!(
            m.encode().expect("a decoded manifest encodes"),
            data,
            "manifest decoded from non-canonical bytes"
        );
    }
    if let Ok(m) = SignedManifest::decode(data) {
        assert_eq!(m.to_bytes(), data, "signed manifest not canonical");
        let _ = m.verify();
    }
    if let Ok(e) = SignedEnrolment::decode(data) {
        assert_eq!(e.to_bytes(), data, "enrolment not canonical");
        let _ = e.verify();
    }
    if let Ok(d) = SignedDerivative::decode(data) {
        assert_eq!(d.to_bytes(), data, "derivative record not canonical");
        let _ = d.verify();
    }
}

/// `verify_bundle` on the input as a bundle: never panics; a failed verdict
/// names at least one failure, and a verified one has every check passed
/// or deliberately not run.
pub fn evidence_bundle(data: &[u8]) {
    use sanad_protocol::evidence::{verify_bundle, Outcome, VerifyOptions};
    let v = verify_bundle(std::io::Cursor::new(data), &VerifyOptions::default());
    match v.verified() {
        Some(_) => assert!(v
            .checks
            .iter()
            .all(|c| !matches!(c.outcome, Outcome::Failed(_)))),
        None => assert!(v.failures().next().is_some(), "rejected without a reason"),
    }
}

/// The RFC 3161 decoders (`docs/anchoring.md`) on the input taken as a
/// timestamp response, as a token and as a trusted certificate: nothing
/// panics; a token taken from a response lies inside it and within the
/// token limit; whatever verifies stamps the vector's bytes (its SHA-256)
/// and verifies again to the same result.
pub fn tsa_token(data: &[u8]) {
    use sanad_protocol::limits::MAX_TSA_TOKEN_LEN;
    use sanad_protocol::tsa;

    const STAMPED: &[u8] = include_bytes!("../../protocol/tests/vectors/tsa/stamped.txt");
    const STAMPED_SHA256: [u8; 32] = [
        0x65, 0xc9, 0xb2, 0xac, 0x99, 0x79, 0xe4, 0xef, 0x0c, 0x94, 0xca, 0x37, 0x48, 0x3e, 0x9d,
        0x2c, 0x19, 0x36, 0x2c, 0x25, 0x7d, 0xfe, 0x2b, 0x0d, 0x5f, 0xf9, 0x0f, 0xf7, 0xab, 0x76,
        0x42, 0x6b,
    ];
    const P256: &[u8] = include_bytes!("../../protocol/tests/vectors/tsa/tsa-p256.der");
    const RSA: &[u8] = include_bytes!("../../protocol/tests/vectors/tsa/tsa-rsa.der");
    const TOKEN: &[u8] = include_bytes!("../../protocol/tests/vectors/tsa/token-p256.der");

    if let Ok(token) = tsa::token_from_response(data) {
        assert!(token.len() <= MAX_TSA_TOKEN_LEN);
        assert!(
            data.windows(token.len()).any(|w| w == token.as_slice()),
            "token not taken from the response"
        );
    }
    let trusted: [&[u8]; 2] = [P256, RSA];
    if let Ok(verified) = tsa::verify_token(data, STAMPED, &trusted) {
        assert_eq!(verified.hash(), &STAMPED_SHA256);
        assert_eq!(tsa::verify_token(data, STAMPED, &trusted), Ok(verified));
    }
    // The input as the certificate a verifier is told to trust.
    let _ = tsa::verify_token(TOKEN, STAMPED, &[data]);
}
