//! Device enrolment: the desk's signed statement that an evidence key is a
//! given partner device, named pseudonymously ("device 3" of "partner
//! organisation Y"), so a verifier can say who captured an item without
//! naming a person.
//!
//! ```text
//! version u8 (= 1)
//! device key [32] (Ed25519)
//! device label str16 (1–64 bytes: a valid display name)
//! organisation str16 (1–128 bytes of text)
//! enrolled at u64 (Unix seconds, the desk's clock)
//! desk key [32] (Ed25519: the desk's enrolment key, which signs)
//! ```
//!
//! A [`SignedEnrolment`] is those bytes followed by the desk key's Ed25519
//! signature over [`ENROLMENT_SIGNATURE_DOMAIN`] ‖ bytes. Revocation is not
//! part of this format (see `docs/evidence-format.md`).

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::manifest::{read_key, SIGNATURE_LEN};
use super::{check_len, check_text, domain_message, utf8, InvalidSignature};
use crate::codec::{Reader, Writer};
use crate::content::is_valid_display_name;
use crate::error::DecodeError;
use crate::limits::{MAX_DEVICE_LABEL_LEN, MAX_ORGANISATION_LEN, MAX_SIGNED_ENROLMENT_LEN};

/// The enrolment format version.
pub const ENROLMENT_VERSION: u8 = 1;

/// What the desk key signs before an enrolment record.
pub const ENROLMENT_SIGNATURE_DOMAIN: &[u8] = b"sanad/device-enrolment/v1\n";

/// The desk's statement about one device key.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EnrolmentRecord {
    /// The device's evidence key.
    pub device_key: VerifyingKey,
    /// A pseudonymous label ("device 3"): a valid display name, at most
    /// [`MAX_DEVICE_LABEL_LEN`] bytes. Never a person's name.
    pub device_label: String,
    /// The partner organisation, 1 ..= [`MAX_ORGANISATION_LEN`] bytes of
    /// text without control or bidi override characters.
    pub organisation: String,
    /// When the desk enrolled the device (Unix seconds, the desk's clock).
    pub enrolled_at: u64,
    /// The desk's enrolment key, which signs the record.
    pub desk_key: VerifyingKey,
}

impl EnrolmentRecord {
    fn check(&self) -> Result<usize, DecodeError> {
        check_label(&self.device_label)?;
        check_organisation(&self.organisation)?;
        Ok(1 + 32 + 2 + self.device_label.len() + 2 + self.organisation.len() + 8 + 32)
    }

    /// Encode, after checking the fields as decoding would.
    pub fn encode(&self) -> Result<Vec<u8>, DecodeError> {
        let len = self.check()?;
        let mut w = Writer::with_capacity(len);
        w.u8(ENROLMENT_VERSION);
        w.put(self.device_key.as_bytes());
        w.short_bytes(self.device_label.as_bytes());
        w.short_bytes(self.organisation.as_bytes());
        w.u64(self.enrolled_at);
        w.put(self.desk_key.as_bytes());
        Ok(w.buf)
    }

    /// Decode, strictly.
    pub fn decode(bytes: &[u8]) -> Result<EnrolmentRecord, DecodeError> {
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != ENROLMENT_VERSION {
            return Err(DecodeError::UnsupportedVersion(version));
        }
        let device_key = read_key(&mut r, "device key")?;
        let device_label = utf8(
            "device label",
            r.short_bytes("device label", MAX_DEVICE_LABEL_LEN)?
                .to_vec(),
        )?;
        check_label(&device_label)?;
        let organisation = utf8(
            "organisation",
            r.short_bytes("organisation", MAX_ORGANISATION_LEN)?
                .to_vec(),
        )?;
        check_organisation(&organisation)?;
        let enrolled_at = r.u64()?;
        let desk_key = read_key(&mut r, "desk key")?;
        r.finish()?;
        Ok(EnrolmentRecord {
            device_key,
            device_label,
            organisation,
            enrolled_at,
            desk_key,
        })
    }

    /// Sign with the desk's enrolment key, whose public key must be
    /// [`EnrolmentRecord::desk_key`] (otherwise `InvalidValue("desk key")`).
    pub fn sign(&self, desk: &SigningKey) -> Result<SignedEnrolment, DecodeError> {
        if desk.verifying_key() != self.desk_key {
            return Err(DecodeError::InvalidValue("desk key"));
        }
        let bytes = self.encode()?;
        let signature = desk
            .sign(&domain_message(ENROLMENT_SIGNATURE_DOMAIN, &bytes))
            .to_bytes();
        Ok(SignedEnrolment {
            record: self.clone(),
            bytes,
            signature,
        })
    }
}

fn check_label(s: &str) -> Result<(), DecodeError> {
    check_len("device label", s.len(), MAX_DEVICE_LABEL_LEN)?;
    if !is_valid_display_name(s) {
        return Err(DecodeError::InvalidValue("device label"));
    }
    Ok(())
}

fn check_organisation(s: &str) -> Result<(), DecodeError> {
    check_len("organisation", s.len(), MAX_ORGANISATION_LEN)?;
    if !check_text(s) {
        return Err(DecodeError::InvalidValue("organisation"));
    }
    Ok(())
}

/// Split `record ‖ signature (64)` after checking the whole length.
pub(crate) fn split_signed<'a>(
    field: &'static str,
    bytes: &'a [u8],
    max: usize,
) -> Result<(&'a [u8], [u8; SIGNATURE_LEN]), DecodeError> {
    check_len(field, bytes.len(), max)?;
    let split = bytes
        .len()
        .checked_sub(SIGNATURE_LEN)
        .ok_or_else(|| DecodeError::Truncated {
            needed: SIGNATURE_LEN - bytes.len(),
        })?;
    let (body, sig) = bytes.split_at(split);
    let mut signature = [0u8; SIGNATURE_LEN];
    signature.copy_from_slice(sig);
    Ok((body, signature))
}

/// An enrolment record with the desk's signature, **not verified**.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedEnrolment {
    record: EnrolmentRecord,
    bytes: Vec<u8>,
    signature: [u8; SIGNATURE_LEN],
}

impl SignedEnrolment {
    /// Decode `record bytes ‖ signature (64)`, at most
    /// [`MAX_SIGNED_ENROLMENT_LEN`] bytes.
    pub fn decode(bytes: &[u8]) -> Result<SignedEnrolment, DecodeError> {
        let (body, signature) = split_signed("signed enrolment", bytes, MAX_SIGNED_ENROLMENT_LEN)?;
        Ok(SignedEnrolment {
            record: EnrolmentRecord::decode(body)?,
            bytes: body.to_vec(),
            signature,
        })
    }

    /// `record bytes ‖ signature`.
    pub fn to_bytes(&self) -> Vec<u8> {
        [self.bytes.as_slice(), &self.signature].concat()
    }

    /// What the record claims, **unverified**.
    pub fn unverified(&self) -> &EnrolmentRecord {
        &self.record
    }

    /// Check the signature by the record's own desk key (`verify_strict`).
    /// Whether that desk key is trusted is the caller's decision.
    pub fn verify(&self) -> Result<VerifiedEnrolment, InvalidSignature> {
        self.record
            .desk_key
            .verify_strict(
                &domain_message(ENROLMENT_SIGNATURE_DOMAIN, &self.bytes),
                &Signature::from_bytes(&self.signature),
            )
            .map_err(|_| InvalidSignature)?;
        Ok(VerifiedEnrolment {
            record: self.record.clone(),
        })
    }
}

impl fmt::Debug for SignedEnrolment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SignedEnrolment")
            .field(&self.record)
            .finish()
    }
}

/// An enrolment whose desk signature has been checked. Only
/// [`SignedEnrolment::verify`] makes one.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedEnrolment {
    record: EnrolmentRecord,
}

impl VerifiedEnrolment {
    /// The record.
    pub fn record(&self) -> &EnrolmentRecord {
        &self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk() -> SigningKey {
        SigningKey::from_bytes(&[0xd5; 32])
    }

    fn record() -> EnrolmentRecord {
        EnrolmentRecord {
            device_key: SigningKey::from_bytes(&[7; 32]).verifying_key(),
            device_label: "device 3".into(),
            organisation: "partner organisation Y".into(),
            enrolled_at: 1_699_000_000,
            desk_key: desk().verifying_key(),
        }
    }

    #[test]
    fn an_enrolment_round_trips_and_verifies_by_its_desk_key_only() {
        let s = record().sign(&desk()).expect("signs");
        let d = SignedEnrolment::decode(&s.to_bytes()).expect("decodes");
        assert_eq!(d.verify().expect("verifies").record(), &record());
        let mut b = s.to_bytes();
        let last = b.len() - 1;
        b[last] ^= 1;
        let tampered = SignedEnrolment::decode(&b).expect("decodes");
        assert_eq!(tampered.verify(), Err(InvalidSignature));
        assert!(record().sign(&SigningKey::from_bytes(&[1; 32])).is_err());
    }

    #[test]
    fn labels_and_organisations_follow_the_name_rules() {
        for (label, org) in [("", "org"), ("d\u{202E}", "org"), ("d", " "), ("d", "o\n")] {
            let r = EnrolmentRecord {
                device_label: label.into(),
                organisation: org.into(),
                ..record()
            };
            assert!(
                matches!(r.encode(), Err(DecodeError::InvalidValue(_))),
                "{label:?} {org:?}"
            );
        }
    }
}
