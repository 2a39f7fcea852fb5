//! Evidence: what a documenter's device signs at capture, what goes into
//! the relay's log, and how anyone checks an exported bundle offline
//! (DESIGN.md §6; formats in `docs/evidence-format.md`, vectors in
//! `protocol/tests/vectors/evidence/`).
//!
//! - [`manifest`]: the signed manifest (content hash, device time, the
//!   checkpoint last seen, case reference, per-device chain, structured
//!   fields); [`VerifiedManifest`] only from [`SignedManifest::verify`].
//! - [`fields`]: the closed set of Istanbul/Berkeley Protocol fields.
//! - [`commitment`]: the salted 32-byte commitment the log holds.
//! - [`enrolment`]: the desk's signed statement "this key is device X of
//!   partner organisation Y".
//! - [`derivative`]: the desk's signed link from a redacted copy to its
//!   original.
//! - [`bundle`]: the export bundle (a ZIP, read and written through
//!   `Read + Seek` / `Write + Seek`).
//! - [`verify`]: the offline verifier: [`verify_bundle`] gives a [`Verdict`]
//!   listing every check, and a [`VerifiedBundle`] only when all hold.
//! - [`chain`]: the per-device chain check over many items (replayed IDs,
//!   gaps, forks).
//!
//! Every signed record here is `bytes ‖ Ed25519 signature (64)`, the
//! signature over a domain string (ending in a line feed) followed by the
//! bytes, checked with `verify_strict`. Nothing here reads a clock, a disk
//! or a socket; times are values passed in.

use crate::error::DecodeError;

pub mod bundle;
pub mod chain;
pub mod commitment;
pub mod derivative;
pub mod enrolment;
pub mod fields;
pub mod manifest;
pub mod verify;

pub use bundle::{write_bundle, Anchor, BundleParts, BundleWriteError, LinkedCheckpoint};
pub use chain::{check_device_chain, ChainItem, ChainReport};
pub use commitment::{commitment, Salt, COMMITMENT_DOMAIN};
pub use derivative::{DerivativeRecord, SignedDerivative, Transform, VerifiedDerivative};
pub use enrolment::{EnrolmentRecord, SignedEnrolment, VerifiedEnrolment};
pub use fields::{FieldError, FieldName, Fields};
pub use manifest::{
    EvidenceId, EvidenceKind, Manifest, ManifestError, ManifestHash, SeenCheckpoint,
    SignedManifest, VerifiedManifest,
};
pub use verify::{
    check_item, verify_bundle, verify_item, BundleError, CaptureWindow, Check, CheckId,
    EnrolmentStatus, ItemVerdict, NotRun, Outcome, Verdict, VerifiedBundle, VerifiedItem,
    VerifyOptions,
};

/// A signature that does not verify under the key it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the signature does not verify")]
pub struct InvalidSignature;

/// `domain ‖ bytes`: what a record's key signs.
fn domain_message(domain: &[u8], bytes: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(domain.len() + bytes.len());
    m.extend_from_slice(domain);
    m.extend_from_slice(bytes);
    m
}

fn check_len(field: &'static str, len: usize, max: usize) -> Result<(), DecodeError> {
    if len > max {
        return Err(DecodeError::TooLong {
            field,
            len: len as u64,
            max: max as u64,
        });
    }
    Ok(())
}

fn utf8(field: &'static str, bytes: Vec<u8>) -> Result<String, DecodeError> {
    String::from_utf8(bytes).map_err(|_| DecodeError::InvalidValue(field))
}

/// Printable ASCII, at most [`crate::limits::MAX_MEDIA_TYPE_LEN`] bytes
/// (the rule of a file's media type in `docs/client-formats.md`).
fn check_media_type(mt: &[u8]) -> Result<(), DecodeError> {
    check_len("media type", mt.len(), crate::limits::MAX_MEDIA_TYPE_LEN)?;
    if mt.iter().all(|b| (0x20..=0x7e).contains(b)) {
        Ok(())
    } else {
        Err(DecodeError::InvalidValue("media type"))
    }
}

/// Not only white space, and no control, line-separator or bidi override
/// character.
fn check_text(s: &str) -> bool {
    !s.trim().is_empty() && !s.chars().any(crate::content::is_forbidden_in_names)
}
