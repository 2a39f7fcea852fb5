//! RFC 3161 vectors in `protocol/tests/vectors/tsa/`, made once by stock
//! OpenSSL acting as a timestamp authority (`generate.sh` there says how):
//! the request Sanad sends, the responses and tokens OpenSSL answered with
//! P-256, P-384 and RSA keys, OpenSSL's own reading of each token
//! (`token-*.txt`), tokens signed the way OpenSSL's TSA cannot (RSA-PSS,
//! subjectKeyIdentifier, certificates without a critical timeStamping
//! usage), and a rejection.
//!
//! Tokens that no TSA would issue (every other named error) are built here
//! by [`Forge`], which re-signs with the test TSA's P-256 key so that each
//! case differs from a valid token in exactly one thing; a forged token
//! with nothing changed must verify, or the negatives would prove nothing.

use std::fs;
use std::path::PathBuf;

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use sanad_protocol::limits::{MAX_TSA_RESPONSE_LEN, MAX_TSA_TOKEN_LEN, MAX_TSA_TRUSTED_CERTS};
use sanad_protocol::tsa::{
    self, FailureReason, PkiStatus, TsaError, VerifiedTimestamp, REQUEST_MEDIA_TYPE,
};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

const NONCE: [u8; 16] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
];

fn vector(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/tsa")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stamped() -> Vec<u8> {
    vector("stamped.txt")
}

fn verify_with(token: &[u8], cert: &str) -> Result<VerifiedTimestamp, TsaError> {
    tsa::verify_token(token, &stamped(), &[&vector(cert)])
}

/// OpenSSL's reading of a token: (serial content bytes, genTime seconds).
fn openssl_reading(name: &str) -> (Vec<u8>, u64) {
    let text = String::from_utf8(vector(name)).expect("OpenSSL text is ASCII");
    let field = |key: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(key))
            .unwrap_or_else(|| panic!("{name}: no {key}"))
            .trim()
            .to_string()
    };
    let serial_hex = field("Serial number: 0x");
    let serial_hex = if serial_hex.len() % 2 == 1 {
        format!("0{serial_hex}")
    } else {
        serial_hex
    };
    let mut serial = hex::decode(serial_hex).expect("serial is hex");
    if serial.first().is_some_and(|b| b & 0x80 != 0) {
        serial.insert(0, 0);
    }
    // "Nov 23 16:04:40.803 2026 GMT"
    let time = field("Time stamp:");
    let parts: Vec<&str> = time.split_whitespace().collect();
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == parts[0])
    .expect("month") as i64
        + 1;
    let day: i64 = parts[1].parse().expect("day");
    let hms: Vec<i64> = parts[2]
        .split('.')
        .next()
        .expect("time")
        .split(':')
        .map(|p| p.parse().expect("time field"))
        .collect();
    let year: i64 = parts[3].parse().expect("year");
    let seconds =
        days_from_civil(year, month, day) * 86_400 + hms[0] * 3_600 + hms[1] * 60 + hms[2];
    (serial, seconds as u64)
}

/// Howard Hinnant's `days_from_civil`, independent of the code under test.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[test]
fn request_is_byte_for_byte_the_one_openssl_answered() {
    assert_eq!(tsa::request(&stamped(), NONCE), vector("request.tsq"));
    assert_eq!(REQUEST_MEDIA_TYPE, "application/timestamp-query");
}

#[test]
fn request_nonce_with_high_bit_is_a_positive_integer() {
    let nonce = [0xff; 16];
    let request = tsa::request(b"x", nonce);
    // INTEGER of 17 bytes: a zero, then the nonce.
    let at = request.len() - 3 - 19;
    assert_eq!(&request[at..at + 3], &[0x02, 0x11, 0x00]);
    assert_eq!(&request[at + 3..at + 19], &nonce);
    assert_eq!(request[1] as usize, request.len() - 2);
}

#[test]
fn openssl_p256_token_verifies_and_reads_as_openssl_reads_it() {
    let verified = verify_with(&vector("token-p256.der"), "tsa-p256.der").expect("verifies");
    let (serial, gen_time) = openssl_reading("token-p256.txt");
    assert_eq!(verified.serial(), serial.as_slice());
    assert_eq!(verified.gen_time(), gen_time);
    assert_eq!(
        verified.hash(),
        &<[u8; 32]>::from(Sha256::digest(stamped()))
    );
    assert_eq!(verified.tsa_name(), "CN=Sanad Test TSA P-256,O=Sanad tests");
    assert_eq!(verified.policy(), "1.2.3.4.1");
}

#[test]
fn openssl_p384_token_verifies() {
    let verified = verify_with(&vector("token-p384.der"), "tsa-p384.der").expect("verifies");
    let (serial, gen_time) = openssl_reading("token-p384.txt");
    assert_eq!(
        (verified.serial(), verified.gen_time()),
        (serial.as_slice(), gen_time)
    );
}

#[test]
fn openssl_rsa_token_with_sha1_ess_cert_id_verifies() {
    let verified = verify_with(&vector("token-rsa-pkcs1.der"), "tsa-rsa.der").expect("verifies");
    let (serial, gen_time) = openssl_reading("token-rsa-pkcs1.txt");
    assert_eq!(
        (verified.serial(), verified.gen_time()),
        (serial.as_slice(), gen_time)
    );
}

#[test]
fn rsa_pss_token_naming_its_signer_by_key_identifier_verifies() {
    let pss = verify_with(&vector("token-rsa-pss.der"), "tsa-rsa.der").expect("verifies");
    // The same TSTInfo as the PKCS#1 v1.5 token, signed again.
    let pkcs1 = verify_with(&vector("token-rsa-pkcs1.der"), "tsa-rsa.der").expect("verifies");
    assert_eq!(pss, pkcs1);
    assert_eq!(pss.tsa_name(), "CN=Sanad Test TSA RSA,O=Sanad tests");
}

#[test]
fn fresh_token_must_carry_the_request_nonce() {
    let token = vector("token-p256.der");
    let cert = vector("tsa-p256.der");
    assert!(tsa::verify_fresh_token(&token, &stamped(), NONCE, &[&cert]).is_ok());
    let mut other = NONCE;
    other[15] ^= 1;
    assert_eq!(
        tsa::verify_fresh_token(&token, &stamped(), other, &[&cert]),
        Err(TsaError::NonceMismatch)
    );
    // A token without a nonce is fine stored, refused as fresh.
    let forged = Forge::default().without_nonce().token();
    assert!(tsa::verify_token(&forged, &stamped(), &[&cert]).is_ok());
    assert_eq!(
        tsa::verify_fresh_token(&forged, &stamped(), NONCE, &[&cert]),
        Err(TsaError::NonceMismatch)
    );
}

#[test]
fn token_is_extracted_from_a_granted_response() {
    assert_eq!(
        tsa::token_from_response(&vector("response-p256.der")),
        Ok(vector("token-p256.der"))
    );
}

#[test]
fn rejection_is_reported_with_status_and_reason() {
    let err =
        tsa::token_from_response(&vector("response-rejected-badalg.der")).expect_err("a rejection");
    let TsaError::Rejected { status, failure } = err else {
        panic!("not a rejection: {err:?}");
    };
    assert_eq!(status, PkiStatus::Rejection);
    assert_eq!(failure.reasons(), vec![FailureReason::BadAlg]);
    assert_eq!(
        err.to_string(),
        "the timestamp authority refused the request: rejection (badAlg)"
    );
}

#[test]
fn granted_response_without_token_is_refused() {
    // TimeStampResp { PKIStatusInfo { granted } }
    let response = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00];
    assert_eq!(tsa::token_from_response(&response), Err(TsaError::NoToken));
}

#[test]
fn token_for_other_bytes_is_other_hash() {
    let token = vector("token-p256.der");
    let cert = vector("tsa-p256.der");
    let mut other = stamped();
    other.push(b'\n');
    assert_eq!(
        tsa::verify_token(&token, &other, &[&cert]),
        Err(TsaError::OtherHash)
    );
}

#[test]
fn token_checked_against_another_tsa_is_untrusted_signer() {
    let token = vector("token-p256.der");
    assert_eq!(
        verify_with(&token, "other-p256.der"),
        Err(TsaError::UntrustedSigner)
    );
    // The CA that issued the TSA certificate is not the TSA.
    assert_eq!(
        verify_with(&token, "ca.der"),
        Err(TsaError::UntrustedSigner)
    );
    // Among several trusted certificates, the signer's is found.
    let (other, right) = (vector("other-p256.der"), vector("tsa-p256.der"));
    assert!(tsa::verify_token(&token, &stamped(), &[&other, &right]).is_ok());
}

#[test]
fn certificates_without_critical_time_stamping_usage_are_refused() {
    assert_eq!(
        verify_with(&vector("token-eku-noncritical.der"), "eku-noncritical.der"),
        Err(TsaError::TimeStampingUsageNotCritical)
    );
    assert_eq!(
        verify_with(&vector("token-no-eku.der"), "no-eku.der"),
        Err(TsaError::TimeStampingUsageMissing)
    );
}

/// Where `part` occurs in `whole`.
fn range_of(whole: &[u8], part: &[u8]) -> std::ops::Range<usize> {
    let at = whole
        .windows(part.len())
        .position(|w| w == part)
        .expect("part is inside");
    at..at + part.len()
}

#[test]
fn every_flipped_bit_outside_the_carried_certificates_is_refused() {
    let token = vector("token-p256.der");
    let cert = vector("tsa-p256.der");
    // The certificates a token carries (`[0] IMPLICIT CertificateSet`,
    // here the TSA's and the CA's, one after the other) are signed by no
    // one in it, and a verifier ignores them: the only bytes that may
    // change.
    let (tsa_at, ca_at) = (range_of(&token, &cert), range_of(&token, &vector("ca.der")));
    let start = tsa_at.start.min(ca_at.start) - 4;
    assert_eq!(token[start..start + 2], [0xa0, 0x82], "certificates header");
    let unsigned = start..tsa_at.end.max(ca_at.end);
    let good = tsa::verify_token(&token, &stamped(), &[&cert]).expect("verifies");
    let mut refused = 0;
    for index in 0..token.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = token.clone();
            bad[index] ^= bit;
            match tsa::verify_token(&bad, &stamped(), &[&cert]) {
                Err(_) => refused += 1,
                Ok(verified) => {
                    assert!(
                        unsigned.contains(&index),
                        "byte {index} bit {bit:#x} accepted"
                    );
                    assert_eq!(verified, good);
                }
            }
        }
    }
    let outside = token.len() - unsigned.len();
    assert!(refused >= 2 * outside, "{refused} refused");
}

#[test]
fn every_truncation_is_refused() {
    let token = vector("token-p256.der");
    let cert = vector("tsa-p256.der");
    for len in 0..token.len() {
        assert!(tsa::verify_token(&token[..len], &stamped(), &[&cert]).is_err());
    }
    let mut longer = token.clone();
    longer.push(0);
    assert_eq!(
        tsa::verify_token(&longer, &stamped(), &[&cert]),
        Err(TsaError::Malformed("ContentInfo"))
    );
}

#[test]
fn bounds_are_checked_before_parsing() {
    let cert = vector("tsa-p256.der");
    let big = vec![0x30; MAX_TSA_TOKEN_LEN + 1];
    assert_eq!(
        tsa::verify_token(&big, b"", &[&cert]),
        Err(TsaError::TokenTooLong {
            len: MAX_TSA_TOKEN_LEN + 1,
            max: MAX_TSA_TOKEN_LEN
        })
    );
    let big = vec![0x30; MAX_TSA_RESPONSE_LEN + 1];
    assert!(matches!(
        tsa::token_from_response(&big),
        Err(TsaError::ResponseTooLong { .. })
    ));
    let token = vector("token-p256.der");
    assert_eq!(
        tsa::verify_token(&token, &stamped(), &[]),
        Err(TsaError::NoTrustedCertificates)
    );
    let many: Vec<&[u8]> = vec![&cert; MAX_TSA_TRUSTED_CERTS + 1];
    assert!(matches!(
        tsa::verify_token(&token, &stamped(), &many),
        Err(TsaError::TooManyTrustedCertificates { .. })
    ));
    let not_a_cert = b"-----BEGIN CERTIFICATE-----".to_vec();
    assert_eq!(
        tsa::verify_token(&token, &stamped(), &[&cert, &not_a_cert]),
        Err(TsaError::BadTrustedCertificate { index: 1 })
    );
}

// ------------------------------------------------------------------------
// Forged tokens: each differs from a valid one in one thing.

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(dotted: &str) -> Vec<u8> {
    ObjectIdentifier::new_unwrap(dotted).to_der().expect("oid")
}

/// A DER INTEGER of the unsigned big-endian `value`.
fn integer(value: &[u8]) -> Vec<u8> {
    let start = value.iter().position(|b| *b != 0).unwrap_or(value.len());
    let mut content = value[start..].to_vec();
    if content.first().is_none_or(|b| b & 0x80 != 0) {
        content.insert(0, 0);
    }
    tlv(0x02, &content)
}

fn attribute(oid_der: &[u8], values: &[&[u8]]) -> Vec<u8> {
    seq(&[oid_der, &tlv(0x31, &values.concat())])
}

const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const SIGNING_CERT_V2: &str = "1.2.840.113549.1.9.16.2.47";

/// A token built from parts, signed with the test TSA's P-256 key.
#[derive(Clone)]
struct Forge {
    content_type: Vec<u8>,
    version: u8,
    imprint_alg: Vec<u8>,
    imprint: Vec<u8>,
    gen_time: String,
    nonce: Option<Vec<u8>>,
    tsa_name: Option<Vec<u8>>,
    extensions: Option<Vec<u8>>,
    attrs: Option<Vec<Vec<u8>>>,
    digest_alg: Vec<u8>,
    /// Replaces the message digest computed over the TSTInfo.
    message_digest: Option<Vec<u8>>,
    sign_key: [u8; 32],
    signers: usize,
}

fn tsa_key() -> [u8; 32] {
    // SEC1 ECPrivateKey: 30 77 02 01 01 04 20 <32-byte scalar> …
    let der = vector("tsa-p256.key.der");
    der[7..39].try_into().expect("P-256 scalar")
}

fn tsa_cert() -> Certificate {
    Certificate::from_der(&vector("tsa-p256.der")).expect("cert")
}

impl Default for Forge {
    fn default() -> Self {
        let cert = tsa_cert();
        let subject = cert.tbs_certificate.subject.to_der().expect("name");
        let cert_hash = Sha256::digest(vector("tsa-p256.der"));
        // SigningCertificateV2 { certs { ESSCertIDv2 { certHash } } }
        let ess = seq(&[&seq(&[&seq(&[&tlv(0x04, &cert_hash)])])]);
        Self {
            content_type: oid(TST_INFO),
            version: 1,
            imprint_alg: seq(&[&oid(SHA256)]),
            imprint: Sha256::digest(stamped()).to_vec(),
            // 2030-01-01, inside the certificate's validity.
            gen_time: "20300101000000Z".into(),
            nonce: Some(NONCE.to_vec()),
            tsa_name: Some(tlv(0xa0, &tlv(0xa4, &subject))),
            extensions: None,
            attrs: Some(vec![attribute(&oid(SIGNING_CERT_V2), &[&ess])]),
            digest_alg: seq(&[&oid(SHA256)]),
            message_digest: None,
            sign_key: tsa_key(),
            signers: 1,
        }
    }
}

impl Forge {
    fn without_nonce(mut self) -> Self {
        self.nonce = None;
        self
    }

    fn tst_info(&self) -> Vec<u8> {
        let mut parts = vec![
            tlv(0x02, &[self.version]),
            oid("1.2.3.4.1"),
            seq(&[&self.imprint_alg, &tlv(0x04, &self.imprint)]),
            integer(&[0x2a]),
            tlv(0x18, self.gen_time.as_bytes()),
        ];
        if let Some(nonce) = &self.nonce {
            parts.push(integer(nonce));
        }
        if let Some(name) = &self.tsa_name {
            parts.push(name.clone());
        }
        if let Some(ext) = &self.extensions {
            parts.push(tlv(0xa1, ext));
        }
        tlv(0x30, &parts.concat())
    }

    fn token(&self) -> Vec<u8> {
        let cert = tsa_cert();
        let tst = self.tst_info();
        let digest = self
            .message_digest
            .clone()
            .unwrap_or_else(|| Sha256::digest(&tst).to_vec());
        let mut signer_info = vec![tlv(0x02, &[1])];
        signer_info.push(seq(&[
            &cert.tbs_certificate.issuer.to_der().expect("issuer"),
            &cert.tbs_certificate.serial_number.to_der().expect("serial"),
        ]));
        signer_info.push(self.digest_alg.clone());
        if let Some(extra) = &self.attrs {
            let mut attrs = vec![
                attribute(&oid(CONTENT_TYPE), &[&self.content_type]),
                attribute(&oid(MESSAGE_DIGEST), &[&tlv(0x04, &digest)]),
            ];
            attrs.extend(extra.iter().cloned());
            let set = tlv(0x31, &attrs.concat());
            let key = p256::ecdsa::SigningKey::from_slice(&self.sign_key).expect("key");
            let signature: p256::ecdsa::Signature = key.sign(&set);
            let (r, s) = signature.split_bytes();
            let mut implicit = set.clone();
            implicit[0] = 0xa0;
            signer_info.push(implicit);
            signer_info.push(seq(&[&oid("1.2.840.10045.4.3.2")]));
            signer_info.push(tlv(0x04, &seq(&[&integer(&r), &integer(&s)])));
        } else {
            signer_info.push(seq(&[&oid("1.2.840.10045.4.3.2")]));
            signer_info.push(tlv(0x04, &[0x30, 0x00]));
        }
        let signer_info = tlv(0x30, &signer_info.concat());
        let signed_data = seq(&[
            &tlv(0x02, &[3]),
            &tlv(0x31, &self.digest_alg),
            &seq(&[&oid(TST_INFO), &tlv(0xa0, &tlv(0x04, &tst))]),
            &tlv(0x31, &signer_info.repeat(self.signers)),
        ]);
        seq(&[&oid("1.2.840.113549.1.7.2"), &tlv(0xa0, &signed_data)])
    }

    fn check(&self) -> Result<VerifiedTimestamp, TsaError> {
        tsa::verify_token(&self.token(), &stamped(), &[&vector("tsa-p256.der")])
    }
}

#[test]
fn forged_token_with_nothing_changed_verifies() {
    let verified = Forge::default()
        .check()
        .expect("a faithful forgery verifies");
    assert_eq!(verified.gen_time(), 1_893_456_000);
    assert_eq!(verified.serial(), &[0x2a]);
}

#[test]
fn each_forged_defect_has_its_own_error() {
    let base = Forge::default;
    let cases: Vec<(&str, Forge, TsaError)> = vec![
        (
            "content-type attribute names id-data",
            Forge {
                content_type: oid("1.2.840.113549.1.7.1"),
                ..base()
            },
            TsaError::ContentTypeAttribute,
        ),
        (
            "message digest of something else",
            Forge {
                message_digest: Some(vec![0; 32]),
                ..base()
            },
            TsaError::MessageDigestMismatch,
        ),
        (
            "no signed attributes",
            Forge {
                attrs: None,
                ..base()
            },
            TsaError::SignedAttributesMissing,
        ),
        (
            "a second message-digest attribute",
            Forge {
                attrs: Some(vec![attribute(
                    &oid(MESSAGE_DIGEST),
                    &[&tlv(0x04, &[0; 32])],
                )]),
                ..base()
            },
            TsaError::DuplicateAttribute,
        ),
        (
            "signing-certificate attribute names another certificate",
            Forge {
                attrs: Some(vec![attribute(
                    &oid(SIGNING_CERT_V2),
                    &[&seq(&[&seq(&[&seq(&[&tlv(0x04, &[7; 32])])])])],
                )]),
                ..base()
            },
            TsaError::SigningCertificateMismatch,
        ),
        (
            "signed by another key",
            Forge {
                sign_key: [0x11; 32],
                ..base()
            },
            TsaError::BadSignature,
        ),
        (
            "two signers",
            Forge {
                signers: 2,
                ..base()
            },
            TsaError::SignerCount(2),
        ),
        (
            "SHA-1 signer digest",
            Forge {
                digest_alg: seq(&[&oid("1.3.14.3.2.26")]),
                ..base()
            },
            TsaError::UnsupportedDigest,
        ),
        (
            "TSTInfo version 2",
            Forge {
                version: 2,
                ..base()
            },
            TsaError::UnsupportedVersion,
        ),
        (
            "unknown critical TSTInfo extension",
            Forge {
                extensions: Some(seq(&[
                    &oid("1.2.3.4.99"),
                    &[0x01, 0x01, 0xff],
                    &tlv(0x04, &[]),
                ])),
                ..base()
            },
            TsaError::UnsupportedCriticalExtension,
        ),
        (
            "SHA-384 imprint",
            Forge {
                imprint_alg: seq(&[&oid("2.16.840.1.101.3.4.2.2")]),
                ..base()
            },
            TsaError::ImprintNotSha256,
        ),
        (
            "TSA named as someone else",
            Forge {
                tsa_name: Some(tlv(
                    0xa0,
                    &tlv(
                        0xa4,
                        &seq(&[&tlv(0x31, &seq(&[&oid("2.5.4.3"), &tlv(0x0c, b"Mallory")]))]),
                    ),
                )),
                ..base()
            },
            TsaError::TsaNameMismatch,
        ),
        (
            "time before the certificate existed",
            Forge {
                gen_time: "20000101000000Z".into(),
                ..base()
            },
            TsaError::CertificateNotValidAtGenTime,
        ),
        (
            "time with a local offset",
            Forge {
                gen_time: "20300101000000+0100".into(),
                ..base()
            },
            TsaError::Malformed("genTime"),
        ),
    ];
    for (what, forge, expected) in cases {
        assert_eq!(forge.check(), Err(expected), "{what}");
    }
}

#[test]
fn forged_token_of_another_content_type_is_refused() {
    let mut token = Forge::default().token();
    // The eContentType OID's last byte: id-ct-TSTInfo (…1.4) becomes …1.5.
    let tst_oid = oid(TST_INFO);
    let at = token
        .windows(tst_oid.len())
        .position(|w| w == tst_oid)
        .expect("eContentType");
    token[at + tst_oid.len() - 1] = 5;
    assert_eq!(
        tsa::verify_token(&token, &stamped(), &[&vector("tsa-p256.der")]),
        Err(TsaError::NotTstInfo)
    );
    // And a ContentInfo that is not SignedData.
    let mut token = Forge::default().token();
    let signed_data_oid = oid("1.2.840.113549.1.7.2");
    let at = token
        .windows(signed_data_oid.len())
        .position(|w| w == signed_data_oid)
        .expect("contentType");
    token[at + signed_data_oid.len() - 1] = 1; // id-data
    assert_eq!(
        tsa::verify_token(&token, &stamped(), &[&vector("tsa-p256.der")]),
        Err(TsaError::NotSignedData)
    );
}

#[test]
fn certificate_files_are_read_as_der_or_pem() {
    let der = vector("tsa-p256.der");
    assert_eq!(tsa::certificate_der(&der), Ok(der.clone()));
    let pem = format!(
        "Subject: the test TSA\n-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64_lines(&der)
    );
    assert_eq!(tsa::certificate_der(pem.as_bytes()), Ok(der.clone()));
    for bad in [
        b"not a certificate".to_vec(),
        der[..der.len() - 1].to_vec(),
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec(),
        b"-----BEGIN CERTIFICATE-----\nno end".to_vec(),
        vec![b'A'; 64 * 1024],
    ] {
        assert_eq!(tsa::certificate_der(&bad), Err(TsaError::CertificateFile));
    }
}

/// Standard base64 in 64-character lines, written out here so the test
/// does not share the decoder's crate.
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| acc << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out.as_bytes()
        .chunks(64)
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
