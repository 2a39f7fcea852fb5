//! Timestamped Ed25519 cosignatures of checkpoints
//! (<https://c2sp.org/tlog-cosignature>, `cosignature/v1`): the signer's
//! statement that, as of a given time, this checkpoint was the largest tree
//! it had seen of that log. Sanad's relay makes one with its own log key on
//! every checkpoint it signs, so a checkpoint says *when* as well as *what*.
//!
//! A cosignature is a signed-note signature line:
//!
//! ```text
//! — <key name> base64(key ID (4) ‖ timestamp (8, big-endian) ‖ Ed25519 signature (64))
//! ```
//!
//! - key ID `= SHA-256(key name ‖ 0x0A ‖ 0x04 ‖ public key)[..4]` (type
//!   `0x04`, so it never equals the key's plain signed-note ID, type `0x01`);
//! - timestamp: POSIX seconds, at most `2^63 − 1`;
//! - signed message: `cosignature/v1\n` `time <timestamp, decimal, no
//!   leading zero>\n` and then the whole checkpoint text (origin, size, root,
//!   extension lines if any), each line ending in `0x0A`.
//!
//! Everything here is pure: the time is passed in. [`CosignatureVerifier`]
//! looks for lines by its key (same name *and* key ID), ignores every other
//! line, and demands exactly one, which must verify (`verify_strict`).

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::note::{is_valid_key_name, typed_key_id, Note, NoteError, NoteSignature};

/// The signature type byte of timestamped Ed25519 cosignatures
/// (`cosignature/v1`) in key IDs.
pub const COSIGNATURE_V1_SIGNATURE_TYPE: u8 = 0x04;

/// The header line of the signed message, with its newline.
pub const COSIGNATURE_V1_HEADER: &str = "cosignature/v1\n";

/// The largest timestamp a cosignature may carry: `2^63 − 1`.
pub const MAX_COSIGNATURE_TIME: u64 = i64::MAX as u64;

/// Bytes of a cosignature after the key ID: timestamp and signature.
const TIMESTAMPED_SIGNATURE_LEN: usize = 8 + 64;

/// Why a cosignature is refused or cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CosignatureError {
    /// No signature line is the expected key's cosignature.
    #[error("no cosignature by the expected key")]
    Missing,
    /// More than one cosignature by the expected key: which time holds
    /// would be ambiguous.
    #[error("more than one cosignature by the expected key")]
    Several,
    /// The timestamp is above `2^63 − 1`.
    #[error("the cosignature's time is out of range")]
    TimeOutOfRange,
    /// The cosignature by the expected key has the wrong length or does not
    /// verify.
    #[error("the cosignature by the expected key does not verify")]
    BadSignature,
    /// The cosignature line could not be added to the note.
    #[error(transparent)]
    Note(#[from] NoteError),
}

/// The message a `cosignature/v1` signs: header, time line, then `text`
/// (a checkpoint's note text, ending in a newline).
pub fn signed_message(text: &str, time: u64) -> String {
    format!("{COSIGNATURE_V1_HEADER}time {time}\n{text}")
}

/// The `cosignature/v1` key ID of `key` under `name`.
pub fn cosignature_key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    typed_key_id(name, COSIGNATURE_V1_SIGNATURE_TYPE, key)
}

/// Cosign `note`'s text at `time` with `key` under `name`, adding the line
/// to the note.
pub fn cosign(
    note: &mut Note,
    name: &str,
    key: &SigningKey,
    time: u64,
) -> Result<(), CosignatureError> {
    if time > MAX_COSIGNATURE_TIME {
        return Err(CosignatureError::TimeOutOfRange);
    }
    if !is_valid_key_name(name) {
        return Err(NoteError::BadKeyName.into());
    }
    let sig = key.sign(signed_message(note.unverified_text(), time).as_bytes());
    let mut signature = Vec::with_capacity(TIMESTAMPED_SIGNATURE_LEN);
    signature.extend_from_slice(&time.to_be_bytes());
    signature.extend_from_slice(&sig.to_bytes());
    note.add_signature_line(NoteSignature {
        name: name.to_string(),
        key_id: cosignature_key_id(name, &key.verifying_key()),
        signature,
    })?;
    Ok(())
}

/// A key that verifies `cosignature/v1` lines: its name, ID and Ed25519
/// public key.
#[derive(Clone, PartialEq, Eq)]
pub struct CosignatureVerifier {
    name: String,
    id: [u8; 4],
    key: VerifyingKey,
}

impl std::fmt::Debug for CosignatureVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CosignatureVerifier")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl CosignatureVerifier {
    /// The verifier for `key`'s cosignatures under `name`.
    pub fn ed25519(name: &str, key: VerifyingKey) -> Result<CosignatureVerifier, NoteError> {
        if !is_valid_key_name(name) {
            return Err(NoteError::BadKeyName);
        }
        Ok(CosignatureVerifier {
            name: name.to_string(),
            id: cosignature_key_id(name, &key),
            key,
        })
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's `cosignature/v1` ID.
    pub fn key_id(&self) -> [u8; 4] {
        self.id
    }

    /// Check that `note` carries exactly one cosignature by this key and
    /// that it verifies over the note's text; return its time (POSIX
    /// seconds). Other lines are ignored.
    pub fn verify(&self, note: &Note) -> Result<u64, CosignatureError> {
        let mut mine = note
            .signatures()
            .iter()
            .filter(|s| s.name == self.name && s.key_id == self.id);
        let line = mine.next().ok_or(CosignatureError::Missing)?;
        if mine.next().is_some() {
            return Err(CosignatureError::Several);
        }
        let (time, sig) = line
            .signature
            .split_first_chunk::<8>()
            .ok_or(CosignatureError::BadSignature)?;
        let sig: &[u8; 64] = sig.try_into().map_err(|_| CosignatureError::BadSignature)?;
        let time = u64::from_be_bytes(*time);
        if time > MAX_COSIGNATURE_TIME {
            return Err(CosignatureError::TimeOutOfRange);
        }
        self.key
            .verify_strict(
                signed_message(note.unverified_text(), time).as_bytes(),
                &Signature::from_bytes(sig),
            )
            .map_err(|_| CosignatureError::BadSignature)?;
        Ok(time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::note::NoteVerifier;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    const NAME: &str = "example.org/log";
    const TEXT: &str = "example.org/log\n5\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n";

    fn cosigned(time: u64) -> Note {
        let mut n = Note::sign(TEXT, NAME, &key()).expect("sign");
        cosign(&mut n, NAME, &key(), time).expect("cosign");
        n
    }

    fn verifier() -> CosignatureVerifier {
        CosignatureVerifier::ed25519(NAME, key().verifying_key()).expect("verifier")
    }

    #[test]
    fn the_signed_message_is_header_time_line_and_text() {
        assert_eq!(
            signed_message(TEXT, 1_679_315_147),
            format!("cosignature/v1\ntime 1679315147\n{TEXT}")
        );
        assert_eq!(signed_message("a\n", 0), "cosignature/v1\ntime 0\na\n");
    }

    #[test]
    fn a_cosignature_round_trips_and_gives_its_time_to_its_key_only() {
        let n = cosigned(1_700_000_000);
        let parsed = Note::parse(n.to_text().as_bytes()).expect("parses");
        assert_eq!(parsed, n);
        assert_eq!(verifier().verify(&parsed), Ok(1_700_000_000));
        // The line is 4 + 8 + 64 bytes, the timestamp big-endian after the ID.
        let line = &parsed.signatures()[1];
        assert_eq!(line.key_id, verifier().key_id());
        assert_eq!(line.signature[..8], 1_700_000_000u64.to_be_bytes());
        assert_eq!(line.signature.len(), 72);
        // Another key, or the same key as a plain signer, sees no cosignature.
        let other =
            CosignatureVerifier::ed25519(NAME, SigningKey::from_bytes(&[8; 32]).verifying_key())
                .expect("verifier");
        assert_eq!(other.verify(&parsed), Err(CosignatureError::Missing));
        let plain = Note::sign(TEXT, NAME, &key()).expect("sign");
        assert_eq!(verifier().verify(&plain), Err(CosignatureError::Missing));
        // And the plain signature still verifies beside it.
        let v = NoteVerifier::ed25519(NAME, key().verifying_key()).expect("verifier");
        assert_eq!(parsed.verify(&v), Ok(TEXT));
    }

    #[test]
    fn the_plain_and_the_cosignature_key_ids_differ() {
        let k = key().verifying_key();
        assert_ne!(
            cosignature_key_id(NAME, &k),
            crate::log::note::key_id(NAME, &k)
        );
    }

    #[test]
    fn a_changed_time_text_or_signature_is_refused() {
        let n = cosigned(1_700_000_000);
        let mut line = n.signatures()[1].clone();
        let text = n.to_text();
        // Time changed: the signature covers the time line.
        line.signature[7] ^= 1;
        let mut forged = Note::sign(TEXT, NAME, &key()).expect("sign");
        forged.add_signature_line(line.clone()).expect("room");
        assert_eq!(
            verifier().verify(&forged),
            Err(CosignatureError::BadSignature)
        );
        // Text changed.
        let other_text =
            Note::parse(text.replacen("\n5\n", "\n6\n", 1).as_bytes()).expect("parses");
        assert_eq!(
            verifier().verify(&other_text),
            Err(CosignatureError::BadSignature)
        );
        // Truncated signature.
        line.signature.truncate(71);
        let mut short = Note::sign(TEXT, NAME, &key()).expect("sign");
        short.add_signature_line(line).expect("room");
        assert_eq!(
            verifier().verify(&short),
            Err(CosignatureError::BadSignature)
        );
    }

    #[test]
    fn two_cosignatures_by_the_key_are_ambiguous_and_refused() {
        let mut n = cosigned(1);
        cosign(&mut n, NAME, &key(), 2).expect("cosign");
        assert_eq!(verifier().verify(&n), Err(CosignatureError::Several));
    }

    #[test]
    fn times_above_two_to_the_63_are_refused() {
        let mut n = Note::sign(TEXT, NAME, &key()).expect("sign");
        assert_eq!(
            cosign(&mut n, NAME, &key(), MAX_COSIGNATURE_TIME + 1),
            Err(CosignatureError::TimeOutOfRange)
        );
        cosign(&mut n, NAME, &key(), MAX_COSIGNATURE_TIME).expect("the largest time");
        assert_eq!(verifier().verify(&n), Ok(MAX_COSIGNATURE_TIME));
        // A line claiming 2^63, signed correctly for that time.
        let t = MAX_COSIGNATURE_TIME + 1;
        let sig = key().sign(signed_message(TEXT, t).as_bytes());
        let mut raw = t.to_be_bytes().to_vec();
        raw.extend_from_slice(&sig.to_bytes());
        let mut over = Note::sign(TEXT, NAME, &key()).expect("sign");
        over.add_signature_line(NoteSignature {
            name: NAME.into(),
            key_id: verifier().key_id(),
            signature: raw,
        })
        .expect("room");
        assert_eq!(
            verifier().verify(&over),
            Err(CosignatureError::TimeOutOfRange)
        );
    }
}
