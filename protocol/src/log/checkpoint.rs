//! Checkpoints (<https://c2sp.org/tlog-checkpoint>): the signed statement
//! "the log with this origin has this many leaves and this root".
//!
//! ```text
//! sanad/log/<64 hex digits of the log's Ed25519 public key>
//! 1024
//! <base64 of the 32-byte root>
//!
//! — sanad/log/<same> <base64(key ID ‖ Ed25519 signature)>
//! ```
//!
//! The origin, and the name of the log's key, is [`log_origin`] of the log
//! public key, so a verifier needs only that key. Sanad checkpoints carry no
//! extension lines; the parser refuses them, and refuses any other spelling
//! of the size (leading zero, sign) or root (non-canonical base64). Other
//! signature lines (witness cosignatures) are kept and ignored.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};

use super::merkle::Hash;
use super::note::{decode_b64, is_valid_key_name, Note, NoteError, NoteVerifier};

/// The prefix of every Sanad log origin.
pub const ORIGIN_PREFIX: &str = "sanad/log/";

/// The origin (and key name) of the log whose checkpoints `key` signs:
/// [`ORIGIN_PREFIX`] followed by the 64 lower-case hex digits of the key.
pub fn log_origin(key: &VerifyingKey) -> String {
    format!("{ORIGIN_PREFIX}{}", crate::ids::hex_lower(key.as_bytes()))
}

/// Why a checkpoint is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The signed note around it is malformed.
    #[error(transparent)]
    Note(NoteError),
    /// The note text is not a checkpoint (what is wrong is said).
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The checkpoint has extension lines, which Sanad logs never write.
    #[error("the checkpoint has extension lines")]
    ExtensionLines,
    /// The checkpoint is from another log.
    #[error("the checkpoint is from another log")]
    WrongOrigin,
    /// No signature line is from the log's key.
    #[error("the checkpoint is not signed by the log's key")]
    UnknownKey,
    /// The log key's signature does not verify.
    #[error("the log key's signature on the checkpoint does not verify")]
    BadSignature,
}

impl From<NoteError> for CheckpointError {
    fn from(e: NoteError) -> Self {
        match e {
            NoteError::UnknownKey => CheckpointError::UnknownKey,
            NoteError::BadSignature => CheckpointError::BadSignature,
            other => CheckpointError::Note(other),
        }
    }
}

/// The public key of a Sanad log, named by its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogKey {
    verifier: NoteVerifier,
}

impl LogKey {
    /// The log whose checkpoints `key` signs.
    pub fn new(key: VerifyingKey) -> LogKey {
        let name = log_origin(&key);
        LogKey {
            verifier: NoteVerifier::ed25519(&name, key)
                // A log origin is ASCII without spaces or `+`, 74 bytes long.
                .expect("a log origin is a valid key name"),
        }
    }

    /// The log whose public key is these 32 bytes (RFC 8032 encoding), or
    /// `None` if they are not a point of the curve.
    pub fn from_bytes(key: &[u8; 32]) -> Option<LogKey> {
        VerifyingKey::from_bytes(key).ok().map(LogKey::new)
    }

    /// The log's origin (also its key name).
    pub fn origin(&self) -> &str {
        self.verifier.name()
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &VerifyingKey {
        self.verifier.public_key()
    }

    /// As a signed-note verifier (`vkey` form via [`NoteVerifier::to_vkey`]).
    pub fn verifier(&self) -> &NoteVerifier {
        &self.verifier
    }
}

/// What a checkpoint says: the log, its size, its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin.
    pub origin: String,
    /// The number of leaves.
    pub size: u64,
    /// The Merkle tree root over those leaves.
    pub root: Hash,
}

impl Checkpoint {
    /// The note text: origin, size and root, one per line.
    pub fn to_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        )
    }

    /// Parse a note text holding exactly a checkpoint.
    pub fn parse_text(text: &str) -> Result<Checkpoint, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::Malformed("no final newline"))?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::Malformed("fewer than three lines"));
        };
        if lines.next().is_some() {
            return Err(CheckpointError::ExtensionLines);
        }
        if !is_valid_key_name(origin) {
            return Err(CheckpointError::Malformed("origin"));
        }
        let size = parse_decimal(size).ok_or(CheckpointError::Malformed("tree size"))?;
        let root: Hash = decode_b64(root)
            .and_then(|r| r.try_into().ok())
            .ok_or(CheckpointError::Malformed("root hash"))?;
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
        })
    }

    /// Sign as the log whose key is `key`; the origin must be that log's.
    pub fn sign(&self, key: &SigningKey) -> Result<SignedCheckpoint, CheckpointError> {
        if self.origin != log_origin(&key.verifying_key()) {
            return Err(CheckpointError::WrongOrigin);
        }
        let note = Note::sign(&self.to_text(), &self.origin, key)?;
        Ok(SignedCheckpoint {
            note,
            checkpoint: self.clone(),
        })
    }
}

/// An ASCII decimal `u64` with no sign and no leading zero (but `0`).
pub(crate) fn parse_decimal(s: &str) -> Option<u64> {
    let canonical =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if !canonical {
        return None;
    }
    s.parse().ok()
}

/// A parsed, **unverified** signed checkpoint. Its fields can only be
/// trusted through [`SignedCheckpoint::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    note: Note,
    checkpoint: Checkpoint,
}

impl SignedCheckpoint {
    /// Parse a signed checkpoint note (strict, bounded).
    pub fn parse(bytes: &[u8]) -> Result<SignedCheckpoint, CheckpointError> {
        let note = Note::parse(bytes)?;
        let checkpoint = Checkpoint::parse_text(note.unverified_text())?;
        Ok(SignedCheckpoint { note, checkpoint })
    }

    /// The note, in its one spelling.
    pub fn to_text(&self) -> String {
        self.note.to_text()
    }

    /// What the checkpoint claims, **unverified**.
    pub fn unverified(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The signed note (to add a witness cosignature, for instance).
    pub fn note(&self) -> &Note {
        &self.note
    }

    /// Check that this is a checkpoint of `log`, signed by its key.
    pub fn verify(&self, log: &LogKey) -> Result<VerifiedCheckpoint, CheckpointError> {
        if self.checkpoint.origin != log.origin() {
            return Err(CheckpointError::WrongOrigin);
        }
        self.note.verify(log.verifier())?;
        Ok(VerifiedCheckpoint {
            signed: self.clone(),
        })
    }
}

/// A checkpoint whose signature by the log's key has been checked. Only
/// [`SignedCheckpoint::verify`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    signed: SignedCheckpoint,
}

impl VerifiedCheckpoint {
    /// The log's origin.
    pub fn origin(&self) -> &str {
        &self.signed.checkpoint.origin
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.signed.checkpoint.size
    }

    /// The root over those leaves.
    pub fn root(&self) -> &Hash {
        &self.signed.checkpoint.root
    }

    /// The signed note it came from.
    pub fn signed(&self) -> &SignedCheckpoint {
        &self.signed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[3; 32])
    }

    fn checkpoint(size: u64) -> Checkpoint {
        Checkpoint {
            origin: log_origin(&key().verifying_key()),
            size,
            root: [0xab; 32],
        }
    }

    #[test]
    fn a_signed_checkpoint_round_trips_and_verifies_against_its_log_only() {
        let signed = checkpoint(42).sign(&key()).expect("sign");
        let parsed = SignedCheckpoint::parse(signed.to_text().as_bytes()).expect("parse");
        assert_eq!(parsed, signed);
        let v = parsed
            .verify(&LogKey::new(key().verifying_key()))
            .expect("verifies");
        assert_eq!((v.size(), *v.root()), (42, [0xab; 32]));
        let other = LogKey::new(SigningKey::from_bytes(&[4; 32]).verifying_key());
        assert_eq!(parsed.verify(&other), Err(CheckpointError::WrongOrigin));
    }

    #[test]
    fn only_the_one_spelling_of_a_checkpoint_text_is_accepted() {
        let good = checkpoint(7).to_text();
        assert_eq!(Checkpoint::parse_text(&good), Ok(checkpoint(7)));
        let bad = [
            (good.replace("\n7\n", "\n07\n"), "leading zero"),
            (good.replace("\n7\n", "\n+7\n"), "sign"),
            (good.replace("\n7\n", "\n\n"), "empty size"),
            (
                good.replace("\n7\n", "\n18446744073709551616\n"),
                "size overflow",
            ),
            (good.replace("s=\n", "t=\n"), "non-canonical base64"),
            (good.trim_end().to_string(), "no final newline"),
            (format!("{good}ext\n"), "extension line"),
        ];
        for (text, why) in bad {
            assert!(Checkpoint::parse_text(&text).is_err(), "{why}: {text:?}");
        }
        assert_eq!(
            Checkpoint::parse_text(&format!("{good}ext\n")),
            Err(CheckpointError::ExtensionLines)
        );
        assert_eq!(parse_decimal("0"), Some(0));
        assert_eq!(parse_decimal(&u64::MAX.to_string()), Some(u64::MAX));
    }

    #[test]
    fn signing_for_another_log_is_refused() {
        let c = checkpoint(1);
        assert_eq!(
            c.sign(&SigningKey::from_bytes(&[4; 32])),
            Err(CheckpointError::WrongOrigin)
        );
    }
}
