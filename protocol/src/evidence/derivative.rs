//! Derivative records: the desk's signed link from a redacted copy (EXIF,
//! GPS and device metadata stripped, for advocacy use) to the original it
//! was made from, so that the copy can be traced to verified evidence
//! without sharing the original.
//!
//! ```text
//! version u8 (= 1)
//! original evidence ID [16] ‖ original content SHA-256 [32]
//! derivative SHA-256 [32] ‖ derivative length u64 ‖ derivative media type str16
//! transform u8 (1 = strip-metadata)
//! made at u64 (Unix seconds, the signer's clock)
//! signer key [32] (Ed25519, the desk's)
//! ```
//!
//! A [`SignedDerivative`] is those bytes followed by the signer's Ed25519
//! signature over [`DERIVATIVE_SIGNATURE_DOMAIN`] ‖ bytes.

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::enrolment::split_signed;
use super::manifest::{read_key, EvidenceId, SIGNATURE_LEN};
use super::{check_media_type, domain_message, utf8, InvalidSignature};
use crate::codec::{Reader, Writer};
use crate::error::DecodeError;
use crate::limits::{MAX_EVIDENCE_LEN, MAX_MEDIA_TYPE_LEN, MAX_SIGNED_DERIVATIVE_LEN};

/// The derivative record format version.
pub const DERIVATIVE_VERSION: u8 = 1;

/// What the signer signs before a derivative record.
pub const DERIVATIVE_SIGNATURE_DOMAIN: &[u8] = b"sanad/evidence-derivative/v1\n";

/// What was done to the original.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Transform {
    /// Metadata (EXIF, GPS, XMP, device identifiers) removed; the pixels,
    /// sound or text are the original's.
    StripMetadata,
}

impl Transform {
    /// The wire byte.
    pub fn to_u8(self) -> u8 {
        match self {
            Transform::StripMetadata => 1,
        }
    }

    /// The transform of a wire byte.
    pub fn from_u8(b: u8) -> Option<Transform> {
        match b {
            1 => Some(Transform::StripMetadata),
            _ => None,
        }
    }

    /// `strip-metadata`.
    pub fn as_str(self) -> &'static str {
        match self {
            Transform::StripMetadata => "strip-metadata",
        }
    }
}

/// The link from one derivative to its original.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DerivativeRecord {
    /// The original's evidence ID.
    pub original_id: EvidenceId,
    /// The original's content SHA-256 (as in its manifest).
    pub original_sha256: [u8; 32],
    /// SHA-256 of the derivative file.
    pub derivative_sha256: [u8; 32],
    /// Length of the derivative file, at most [`MAX_EVIDENCE_LEN`].
    pub derivative_len: u64,
    /// Media type of the derivative (printable ASCII, may be empty).
    pub derivative_media_type: String,
    /// What was done.
    pub transform: Transform,
    /// When (Unix seconds, the signer's clock).
    pub made_at: u64,
    /// The signer (the desk's key).
    pub signer_key: VerifyingKey,
}

impl DerivativeRecord {
    /// Encode, after checking the fields as decoding would.
    pub fn encode(&self) -> Result<Vec<u8>, DecodeError> {
        if self.derivative_len > MAX_EVIDENCE_LEN {
            return Err(DecodeError::InvalidValue("derivative length"));
        }
        check_media_type(self.derivative_media_type.as_bytes())?;
        let len = 1 + 16 + 32 + 32 + 8 + 2 + self.derivative_media_type.len() + 1 + 8 + 32;
        let mut w = Writer::with_capacity(len);
        w.u8(DERIVATIVE_VERSION);
        w.put(&self.original_id.0);
        w.put(&self.original_sha256);
        w.put(&self.derivative_sha256);
        w.u64(self.derivative_len);
        w.short_bytes(self.derivative_media_type.as_bytes());
        w.u8(self.transform.to_u8());
        w.u64(self.made_at);
        w.put(self.signer_key.as_bytes());
        Ok(w.buf)
    }

    /// Decode, strictly.
    pub fn decode(bytes: &[u8]) -> Result<DerivativeRecord, DecodeError> {
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != DERIVATIVE_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let original_id = EvidenceId(r.array()?);
        let original_sha256 = r.array()?;
        let derivative_sha256 = r.array()?;
        let derivative_len = r.u64()?;
        if derivative_len > MAX_EVIDENCE_LEN {
            return Err(DecodeError::InvalidValue("derivative length"));
        }
        let mt = r.short_bytes("media type", MAX_MEDIA_TYPE_LEN)?;
        check_media_type(mt)?;
        let derivative_media_type = utf8("media type", mt.to_vec())?;
        let transform =
            Transform::from_u8(r.u8()?).ok_or(DecodeError::InvalidValue("transform"))?;
        let made_at = r.u64()?;
        let signer_key = read_key(&mut r, "signer key")?;
        r.finish()?;
        Ok(DerivativeRecord {
            original_id,
            original_sha256,
            derivative_sha256,
            derivative_len,
            derivative_media_type,
            transform,
            made_at,
            signer_key,
        })
    }

    /// Sign with the key whose public key is [`DerivativeRecord::signer_key`]
    /// (otherwise `InvalidValue("signer key")`).
    pub fn sign(&self, key: &SigningKey) -> Result<SignedDerivative, DecodeError> {
        if key.verifying_key() != self.signer_key {
            return Err(DecodeError::InvalidValue("signer key"));
        }
        let bytes = self.encode()?;
        let signature = key
            .sign(&domain_message(DERIVATIVE_SIGNATURE_DOMAIN, &bytes))
            .to_bytes();
        Ok(SignedDerivative {
            record: self.clone(),
            bytes,
            signature,
        })
    }
}

/// A derivative record with its signature, **not verified**.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedDerivative {
    record: DerivativeRecord,
    bytes: Vec<u8>,
    signature: [u8; SIGNATURE_LEN],
}

impl SignedDerivative {
    /// Decode `record bytes ‖ signature (64)`, at most
    /// [`MAX_SIGNED_DERIVATIVE_LEN`] bytes.
    pub fn decode(bytes: &[u8]) -> Result<SignedDerivative, DecodeError> {
        let (body, signature) =
            split_signed("signed derivative", bytes, MAX_SIGNED_DERIVATIVE_LEN)?;
        Ok(SignedDerivative {
            record: DerivativeRecord::decode(body)?,
            bytes: body.to_vec(),
            signature,
        })
    }

    /// `record bytes ‖ signature`.
    pub fn to_bytes(&self) -> Vec<u8> {
        [self.bytes.as_slice(), &self.signature].concat()
    }

    /// What the record claims, **unverified**.
    pub fn unverified(&self) -> &DerivativeRecord {
        &self.record
    }

    /// Check the signature by the record's own signer key (`verify_strict`).
    /// Whether that key is trusted is the caller's decision.
    pub fn verify(&self) -> Result<VerifiedDerivative, InvalidSignature> {
        self.record
            .signer_key
            .verify_strict(
                &domain_message(DERIVATIVE_SIGNATURE_DOMAIN, &self.bytes),
                &Signature::from_bytes(&self.signature),
            )
            .map_err(|_| InvalidSignature)?;
        Ok(VerifiedDerivative {
            record: self.record.clone(),
        })
    }
}

impl fmt::Debug for SignedDerivative {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SignedDerivative")
            .field(&self.record)
            .finish()
    }
}

/// A derivative record whose signature has been checked. Only
/// [`SignedDerivative::verify`] makes one.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedDerivative {
    record: DerivativeRecord,
}

impl VerifiedDerivative {
    /// The record.
    pub fn record(&self) -> &DerivativeRecord {
        &self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> SigningKey {
        SigningKey::from_bytes(&[0xd5; 32])
    }

    fn record() -> DerivativeRecord {
        DerivativeRecord {
            original_id: EvidenceId([0xe1; 16]),
            original_sha256: [0x5a; 32],
            derivative_sha256: [0x6b; 32],
            derivative_len: 900_000,
            derivative_media_type: "image/jpeg".into(),
            transform: Transform::StripMetadata,
            made_at: 1_700_100_000,
            signer_key: desk().verifying_key(),
        }
    }

    #[test]
    fn a_derivative_record_round_trips_and_verifies() {
        let s = record().sign(&desk()).expect("signs");
        let d = SignedDerivative::decode(&s.to_bytes()).expect("decodes");
        assert_eq!(d.verify().expect("verifies").record(), &record());
        let mut b = s.to_bytes();
        b[1] ^= 1;
        assert_eq!(
            SignedDerivative::decode(&b).expect("decodes").verify(),
            Err(InvalidSignature)
        );
        let mut unknown = record().encode().expect("encodes");
        let at = unknown.len() - 1 - 8 - 32;
        unknown[at] = 2;
        assert_eq!(
            DerivativeRecord::decode(&unknown),
            Err(DecodeError::InvalidValue("transform"))
        );
    }
}
