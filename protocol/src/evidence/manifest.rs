//! The evidence manifest (DESIGN.md §6): what the documenter's device signs
//! at capture. It travels only inside encryption (MLS to the desk, then an
//! exported bundle), never to the relay; the relay's log holds a salted
//! commitment to it ([`super::commitment`]).
//!
//! Encoding (`docs/evidence-format.md` §2), big-endian, strict:
//!
//! ```text
//! version u8 (= 1)
//! evidence ID [16]
//! content SHA-256 [32] ‖ content length u64
//! media type str16 ‖ original file name str16
//! device time u64 (Unix seconds, untrusted)
//! seen checkpoint: u8 0 | u8 1 ‖ size u64 ‖ root [32]
//! device key [32] (Ed25519)
//! case reference str16
//! sequence u64 ‖ previous: u8 0 | u8 1 ‖ manifest hash [32]
//! kind u8 (1 file, 2 testimony)
//! fields: count u8, then (id u8 ‖ value str16) by increasing id
//! ```
//!
//! A [`SignedManifest`] is those bytes followed by the device's Ed25519
//! signature over [`MANIFEST_SIGNATURE_DOMAIN`] ‖ bytes;
//! [`SignedManifest::verify`] (with `verify_strict`) is the only way to a
//! [`VerifiedManifest`].

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};

use super::fields::{FieldName, Fields};
use super::{check_len, check_media_type, check_text, utf8, InvalidSignature};
use crate::codec::{Reader, Writer};
use crate::error::DecodeError;
use crate::limits::{
    MAX_CASE_REF_LEN, MAX_EVIDENCE_LEN, MAX_FIELD_VALUE_LEN, MAX_FILE_NAME_LEN, MAX_MANIFEST_LEN,
    MAX_MEDIA_TYPE_LEN, MAX_SIGNED_MANIFEST_LEN,
};

/// The manifest format version this build writes and reads.
pub const MANIFEST_VERSION: u8 = 1;

/// What the device key signs before the manifest bytes (26 ASCII bytes and a
/// line feed), so that its signature can never be taken for another message.
pub const MANIFEST_SIGNATURE_DOMAIN: &[u8] = b"sanad/evidence-manifest/v1\n";

/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;

// The largest valid manifest fits the limit (2 510 bytes, see the docs).
const LARGEST_MANIFEST: usize = 1
    + 16
    + 32
    + 8
    + 2
    + MAX_MEDIA_TYPE_LEN
    + 2
    + MAX_FILE_NAME_LEN
    + 8
    + 41
    + 32
    + 2
    + MAX_CASE_REF_LEN
    + 8
    + 33
    + 1
    + 1
    + FieldName::ALL.len() * (1 + 2 + MAX_FIELD_VALUE_LEN);
const _: () = assert!(LARGEST_MANIFEST <= MAX_MANIFEST_LEN);
const _: () = assert!(MAX_SIGNED_MANIFEST_LEN == MAX_MANIFEST_LEN + SIGNATURE_LEN);

/// A random 16-byte evidence identifier, chosen by the device at capture.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EvidenceId(pub [u8; 16]);

impl EvidenceId {
    /// Byte length on the wire.
    pub const LEN: usize = 16;

    /// A fresh random identifier.
    pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> EvidenceId {
        let mut b = [0u8; 16];
        rng.fill_bytes(&mut b);
        EvidenceId(b)
    }

    /// Lower-case hex (32 digits), how people refer to an item.
    pub fn to_hex(&self) -> String {
        crate::ids::hex_lower(&self.0)
    }

    /// Parse 32 hex digits (either case).
    pub fn from_hex(s: &str) -> Option<EvidenceId> {
        let b = hex_decode(s)?;
        Some(EvidenceId(b.try_into().ok()?))
    }
}

impl fmt::Debug for EvidenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EvidenceId(..)")
    }
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// SHA-256 of a signed manifest (manifest bytes ‖ signature): links a
/// manifest to the previous one from the same device, and is what the log
/// commitment is made of.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ManifestHash(pub [u8; 32]);

impl ManifestHash {
    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        crate::ids::hex_lower(&self.0)
    }
}

impl fmt::Debug for ManifestHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ManifestHash(..)")
    }
}

/// The log checkpoint the device had last seen when it captured: the
/// capture cannot be earlier than that checkpoint.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SeenCheckpoint {
    /// The checkpoint's tree size.
    pub size: u64,
    /// The checkpoint's root hash.
    pub root: [u8; 32],
}

/// What was captured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EvidenceKind {
    /// A file: photo, recording, video, document.
    File,
    /// A written testimony (UTF-8 text typed or dictated into the device).
    Testimony,
}

impl EvidenceKind {
    /// The wire byte.
    pub fn to_u8(self) -> u8 {
        match self {
            EvidenceKind::File => 1,
            EvidenceKind::Testimony => 2,
        }
    }

    /// The kind of a wire byte.
    pub fn from_u8(b: u8) -> Option<EvidenceKind> {
        match b {
            1 => Some(EvidenceKind::File),
            2 => Some(EvidenceKind::Testimony),
            _ => None,
        }
    }

    /// `file` or `testimony`.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::File => "file",
            EvidenceKind::Testimony => "testimony",
        }
    }
}

/// An evidence manifest (see the module documentation). Every field is
/// checked when it is encoded or signed, with the error decoding would give.
#[derive(Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Random identifier of this item.
    pub evidence_id: EvidenceId,
    /// SHA-256 of the captured bytes.
    pub content_sha256: [u8; 32],
    /// Length of the captured bytes, at most [`MAX_EVIDENCE_LEN`].
    pub content_len: u64,
    /// Media type (`image/jpeg`), printable ASCII, at most
    /// [`MAX_MEDIA_TYPE_LEN`] bytes; empty when unknown.
    pub media_type: String,
    /// The original file name, UTF-8, at most [`MAX_FILE_NAME_LEN`] bytes
    /// (may be empty). Only ever inside encryption.
    pub file_name: String,
    /// The device's clock at capture, Unix seconds. **Untrusted**: the log
    /// bounds it.
    pub device_time: u64,
    /// The latest log checkpoint the device had seen; `None` only when it
    /// had seen none (its very first capture before ever reaching the relay).
    pub seen_checkpoint: Option<SeenCheckpoint>,
    /// The device evidence key that signs this manifest.
    pub device_key: VerifyingKey,
    /// The case reference, 1 ..= [`MAX_CASE_REF_LEN`] bytes of UTF-8 without
    /// control or bidi override characters.
    pub case_ref: String,
    /// This device's capture counter: 0 for its first manifest, then +1.
    pub sequence: u64,
    /// Hash of this device's previous signed manifest; `None` exactly when
    /// `sequence` is 0.
    pub previous: Option<ManifestHash>,
    /// File or written testimony.
    pub kind: EvidenceKind,
    /// Optional structured fields.
    pub fields: Fields,
}

/// Why a manifest (or a record of this module) could not be decoded or
/// encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The format version is not one this build reads.
    #[error("unsupported manifest version {0}")]
    UnsupportedVersion(u8),
    /// A structured field this build does not know (wire byte given).
    #[error("unknown manifest field {0}")]
    UnknownField(u8),
    /// A structured field's value breaks its rule.
    #[error("invalid value for field {0}")]
    InvalidField(FieldName),
    /// The device key is not the signing key's public key (when signing).
    #[error("the manifest's device key is not the signing key")]
    WrongSigningKey,
    /// The bytes break the format: truncated, trailing bytes, a length over
    /// its limit, invalid UTF-8, a value out of range.
    #[error("malformed manifest: {0}")]
    Malformed(#[from] DecodeError),
}

impl Manifest {
    /// Check every field and return the encoded length.
    fn check(&self) -> Result<usize, ManifestError> {
        if self.content_len > MAX_EVIDENCE_LEN {
            return Err(DecodeError::InvalidValue("content length").into());
        }
        check_media_type(self.media_type.as_bytes())?;
        check_len("file name", self.file_name.len(), MAX_FILE_NAME_LEN)?;
        check_case_ref(&self.case_ref)?;
        check_chain(self.sequence, self.previous.is_some())?;
        for (name, value) in self.fields.iter() {
            if !name.is_valid(value) {
                return Err(ManifestError::InvalidField(name));
            }
        }
        let fields: usize = self.fields.iter().map(|(_, v)| 3 + v.len()).sum();
        Ok(1 + 16
            + 32
            + 8
            + 2
            + self.media_type.len()
            + 2
            + self.file_name.len()
            + 8
            + if self.seen_checkpoint.is_some() {
                41
            } else {
                1
            }
            + 32
            + 2
            + self.case_ref.len()
            + 8
            + if self.previous.is_some() { 33 } else { 1 }
            + 1
            + 1
            + fields)
    }

    /// Encode, after checking every field against the rules [`decode`]
    /// applies (failing with the error `decode` would give).
    ///
    /// [`decode`]: Manifest::decode
    pub fn encode(&self) -> Result<Vec<u8>, ManifestError> {
        let len = self.check()?;
        let mut w = Writer::with_capacity(len);
        w.u8(MANIFEST_VERSION);
        w.put(&self.evidence_id.0);
        w.put(&self.content_sha256);
        w.u64(self.content_len);
        w.short_bytes(self.media_type.as_bytes());
        w.short_bytes(self.file_name.as_bytes());
        w.u64(self.device_time);
        match &self.seen_checkpoint {
            None => w.u8(0),
            Some(s) => {
                w.u8(1);
                w.u64(s.size);
                w.put(&s.root);
            }
        }
        w.put(self.device_key.as_bytes());
        w.short_bytes(self.case_ref.as_bytes());
        w.u64(self.sequence);
        match &self.previous {
            None => w.u8(0),
            Some(h) => {
                w.u8(1);
                w.put(&h.0);
            }
        }
        w.u8(self.kind.to_u8());
        w.u8(self.fields.len() as u8);
        for (name, value) in self.fields.iter() {
            w.u8(name.id());
            w.short_bytes(value.as_bytes());
        }
        debug_assert_eq!(w.buf.len(), len, "encoded length was computed exactly");
        Ok(w.buf)
    }

    /// Decode one manifest, strictly.
    pub fn decode(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        check_len("manifest", bytes.len(), MAX_MANIFEST_LEN)?;
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != MANIFEST_VERSION {
            return Err(ManifestError::UnsupportedVersion(version));
        }
        let evidence_id = EvidenceId(r.array()?);
        let content_sha256 = r.array()?;
        let content_len = r.u64()?;
        if content_len > MAX_EVIDENCE_LEN {
            return Err(DecodeError::InvalidValue("content length").into());
        }
        let media_type = r.short_bytes("media type", MAX_MEDIA_TYPE_LEN)?;
        check_media_type(media_type)?;
        let media_type = utf8("media type", media_type.to_vec())?;
        let file_name = utf8(
            "file name",
            r.short_bytes("file name", MAX_FILE_NAME_LEN)?.to_vec(),
        )?;
        let device_time = r.u64()?;
        let seen_checkpoint = if r.bool("seen checkpoint")? {
            Some(SeenCheckpoint {
                size: r.u64()?,
                root: r.array()?,
            })
        } else {
            None
        };
        let device_key = read_key(&mut r, "device key")?;
        let case_ref = utf8(
            "case reference",
            r.short_bytes("case reference", MAX_CASE_REF_LEN)?.to_vec(),
        )?;
        check_case_ref(&case_ref)?;
        let sequence = r.u64()?;
        let previous = if r.bool("previous manifest")? {
            Some(ManifestHash(r.array()?))
        } else {
            None
        };
        check_chain(sequence, previous.is_some())?;
        let kind =
            EvidenceKind::from_u8(r.u8()?).ok_or(DecodeError::InvalidValue("evidence kind"))?;
        let fields = read_fields(&mut r)?;
        r.finish()?;
        Ok(Manifest {
            evidence_id,
            content_sha256,
            content_len,
            media_type,
            file_name,
            device_time,
            seen_checkpoint,
            device_key,
            case_ref,
            sequence,
            previous,
            kind,
            fields,
        })
    }

    /// Sign with the device evidence key, whose public key must be
    /// [`Manifest::device_key`].
    pub fn sign(&self, key: &SigningKey) -> Result<SignedManifest, ManifestError> {
        if key.verifying_key() != self.device_key {
            return Err(ManifestError::WrongSigningKey);
        }
        let bytes = self.encode()?;
        let signature = key
            .sign(&super::domain_message(MANIFEST_SIGNATURE_DOMAIN, &bytes))
            .to_bytes();
        Ok(SignedManifest {
            manifest: self.clone(),
            bytes,
            signature,
        })
    }
}

fn check_case_ref(s: &str) -> Result<(), DecodeError> {
    check_len("case reference", s.len(), MAX_CASE_REF_LEN)?;
    if s.is_empty() || !check_text(s) {
        return Err(DecodeError::InvalidValue("case reference"));
    }
    Ok(())
}

fn check_chain(sequence: u64, has_previous: bool) -> Result<(), DecodeError> {
    if (sequence == 0) == has_previous {
        return Err(DecodeError::InvalidValue("previous manifest"));
    }
    Ok(())
}

pub(crate) fn read_key(
    r: &mut Reader<'_>,
    field: &'static str,
) -> Result<VerifyingKey, DecodeError> {
    VerifyingKey::from_bytes(&r.array()?).map_err(|_| DecodeError::InvalidValue(field))
}

fn read_fields(r: &mut Reader<'_>) -> Result<Fields, ManifestError> {
    let n = r.u8()? as usize;
    if n > FieldName::ALL.len() {
        return Err(DecodeError::TooLong {
            field: "fields",
            len: n as u64,
            max: FieldName::ALL.len() as u64,
        }
        .into());
    }
    let mut fields = Fields::new();
    let mut last = 0u8;
    for _ in 0..n {
        let id = r.u8()?;
        let name = FieldName::from_id(id).ok_or(ManifestError::UnknownField(id))?;
        if id <= last {
            return Err(DecodeError::InvalidValue("field order").into());
        }
        last = id;
        let value = r.short_bytes("field value", MAX_FIELD_VALUE_LEN)?;
        let value =
            String::from_utf8(value.to_vec()).map_err(|_| ManifestError::InvalidField(name))?;
        if !name.is_valid(&value) {
            return Err(ManifestError::InvalidField(name));
        }
        fields.insert_checked(name, value);
    }
    Ok(fields)
}

/// A manifest with the device's signature, parsed but **not verified**.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedManifest {
    manifest: Manifest,
    /// The manifest bytes exactly as signed.
    bytes: Vec<u8>,
    signature: [u8; SIGNATURE_LEN],
}

impl SignedManifest {
    /// Decode `manifest bytes ‖ signature (64)`, strictly. Checks nothing
    /// cryptographic.
    pub fn decode(bytes: &[u8]) -> Result<SignedManifest, ManifestError> {
        check_len("signed manifest", bytes.len(), MAX_SIGNED_MANIFEST_LEN)?;
        let split =
            bytes
                .len()
                .checked_sub(SIGNATURE_LEN)
                .ok_or_else(|| DecodeError::Truncated {
                    needed: SIGNATURE_LEN - bytes.len(),
                })?;
        let (body, sig) = bytes.split_at(split);
        let manifest = Manifest::decode(body)?;
        let mut signature = [0u8; SIGNATURE_LEN];
        signature.copy_from_slice(sig);
        Ok(SignedManifest {
            manifest,
            bytes: body.to_vec(),
            signature,
        })
    }

    /// `manifest bytes ‖ signature`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + SIGNATURE_LEN);
        out.extend_from_slice(&self.bytes);
        out.extend_from_slice(&self.signature);
        out
    }

    /// What the manifest claims, **unverified**.
    pub fn unverified(&self) -> &Manifest {
        &self.manifest
    }

    /// The encoded manifest, as signed.
    pub fn manifest_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8; SIGNATURE_LEN] {
        &self.signature
    }

    /// SHA-256 of [`SignedManifest::to_bytes`].
    pub fn hash(&self) -> ManifestHash {
        ManifestHash(
            Sha256::new()
                .chain_update(&self.bytes)
                .chain_update(self.signature)
                .finalize()
                .into(),
        )
    }

    /// Check the signature by the manifest's own device key
    /// (`verify_strict`). Who that key belongs to is the enrolment's
    /// business ([`super::enrolment`]).
    pub fn verify(&self) -> Result<VerifiedManifest, InvalidSignature> {
        self.manifest
            .device_key
            .verify_strict(
                &super::domain_message(MANIFEST_SIGNATURE_DOMAIN, &self.bytes),
                &Signature::from_bytes(&self.signature),
            )
            .map_err(|_| InvalidSignature)?;
        Ok(VerifiedManifest {
            signed: self.clone(),
        })
    }
}

/// A manifest whose signature by its device key has been checked. Only
/// [`SignedManifest::verify`] makes one.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedManifest {
    signed: SignedManifest,
}

impl VerifiedManifest {
    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.signed.manifest
    }

    /// The signed manifest it came from.
    pub fn signed(&self) -> &SignedManifest {
        &self.signed
    }

    /// Its hash (see [`ManifestHash`]).
    pub fn hash(&self) -> ManifestHash {
        self.signed.hash()
    }
}

/// Sizes and kinds only: a manifest's words never reach a log.
impl fmt::Debug for Manifest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manifest")
            .field("kind", &self.kind)
            .field("content_len", &self.content_len)
            .field("sequence", &self.sequence)
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for SignedManifest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SignedManifest")
            .field(&self.manifest)
            .finish()
    }
}

impl fmt::Debug for VerifiedManifest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VerifiedManifest")
            .field(&self.signed.manifest)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    pub(crate) fn manifest() -> Manifest {
        let mut fields = Fields::new();
        fields
            .set(FieldName::IncidentDate, "2024-03-17")
            .expect("valid");
        fields
            .set(FieldName::TestimonyLanguage, "ar-LY")
            .expect("valid");
        Manifest {
            evidence_id: EvidenceId([0xe1; 16]),
            content_sha256: [0x5a; 32],
            content_len: 1_000_000,
            media_type: "image/jpeg".into(),
            file_name: "صورة.jpg".into(),
            device_time: 1_700_000_000,
            seen_checkpoint: Some(SeenCheckpoint {
                size: 8,
                root: [0xab; 32],
            }),
            device_key: key().verifying_key(),
            case_ref: "CASE-2024-017".into(),
            sequence: 3,
            previous: Some(ManifestHash([0x33; 32])),
            kind: EvidenceKind::File,
            fields,
        }
    }

    #[test]
    fn a_signed_manifest_round_trips_and_verifies() {
        let s = manifest().sign(&key()).expect("signs");
        let d = SignedManifest::decode(&s.to_bytes()).expect("decodes");
        assert_eq!(d, s);
        let v = d.verify().expect("verifies");
        assert_eq!(v.manifest(), &manifest());
        assert_eq!(v.hash(), ManifestHash(Sha256::digest(s.to_bytes()).into()));
    }

    #[test]
    fn every_flipped_bit_of_a_signed_manifest_is_refused() {
        let bytes = manifest().sign(&key()).expect("signs").to_bytes();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                let ok = SignedManifest::decode(&b).map(|s| s.verify().is_ok());
                assert!(!matches!(ok, Ok(true)), "byte {i} bit {bit}");
            }
        }
    }

    #[test]
    fn signing_with_another_key_than_the_device_key_is_refused() {
        assert_eq!(
            manifest().sign(&SigningKey::from_bytes(&[8; 32])),
            Err(ManifestError::WrongSigningKey)
        );
    }

    #[test]
    fn the_chain_link_must_match_the_sequence() {
        for (sequence, previous) in [(0, Some(ManifestHash([1; 32]))), (1, None)] {
            let m = Manifest {
                sequence,
                previous,
                ..manifest()
            };
            assert_eq!(
                m.encode(),
                Err(ManifestError::Malformed(DecodeError::InvalidValue(
                    "previous manifest"
                )))
            );
        }
        let first = Manifest {
            sequence: 0,
            previous: None,
            seen_checkpoint: None,
            ..manifest()
        };
        let bytes = first.encode().expect("encodes");
        assert_eq!(Manifest::decode(&bytes), Ok(first));
    }

    #[test]
    fn unknown_and_unordered_fields_and_bad_values_are_refused() {
        let bytes = manifest().encode().expect("encodes");
        // The field list is at the end: count 2, (1, date), (6, language).
        let fields_at = bytes.len() - (1 + 3 + 10 + 3 + 5);
        assert_eq!(bytes[fields_at], 2);
        let mut unknown = bytes.clone();
        unknown[fields_at + 1] = 9;
        assert_eq!(
            Manifest::decode(&unknown),
            Err(ManifestError::UnknownField(9))
        );
        let mut swapped = bytes[..fields_at].to_vec();
        swapped.extend_from_slice(&[2, 6, 0, 5]);
        swapped.extend_from_slice(b"ar-LY");
        swapped.extend_from_slice(&[1, 0, 10]);
        swapped.extend_from_slice(b"2024-03-17");
        assert_eq!(
            Manifest::decode(&swapped),
            Err(ManifestError::Malformed(DecodeError::InvalidValue(
                "field order"
            )))
        );
        let mut bad_date = bytes.clone();
        let date_at = fields_at + 4;
        bad_date[date_at + 5] = b'1';
        bad_date[date_at + 6] = b'3';
        assert_eq!(
            Manifest::decode(&bad_date),
            Err(ManifestError::InvalidField(FieldName::IncidentDate))
        );
    }

    #[test]
    fn case_references_must_be_plain_text() {
        for bad in ["", " ", "CASE\u{202E}1", "a\nb"] {
            let m = Manifest {
                case_ref: bad.into(),
                ..manifest()
            };
            assert!(m.encode().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_shows_no_words_of_the_manifest() {
        let s = format!("{:?}", manifest().sign(&key()).expect("signs"));
        for leak in ["CASE", "صورة", "jpeg", "2024", "ar-LY"] {
            assert!(!s.contains(leak), "{leak} in {s}");
        }
    }

    #[test]
    fn evidence_ids_print_and_parse_as_hex() {
        let id = EvidenceId([0xab; 16]);
        assert_eq!(EvidenceId::from_hex(&id.to_hex()), Some(id));
        assert_eq!(EvidenceId::from_hex(&"AB".repeat(16)), Some(id));
        assert_eq!(EvidenceId::from_hex("ab"), None);
        assert_eq!(EvidenceId::from_hex(&"zz".repeat(16)), None);
        assert_eq!(format!("{id:?}"), "EvidenceId(..)");
    }
}
