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
//! of the size (leading zero, sign) or root (non-canonical base64).
//!
//! **Time.** Every checkpoint also carries the log key's timestamped
//! cosignature ([`super::cosignature`], `cosignature/v1`, key ID type
//! `0x04`) under the same name, made when the relay signed it:
//!
//! ```text
//! — sanad/log/<same> <base64(cosignature key ID ‖ time (8, big-endian) ‖ Ed25519 signature)>
//! ```
//!
//! [`SignedCheckpoint::verify`] demands both lines by the log key, the plain
//! signature and exactly one time cosignature, and
//! [`VerifiedCheckpoint::time`] is the relay's word for when the checkpoint
//! was signed: everything in it was in the log no later than that. Other
//! signature lines (witness cosignatures) are kept and ignored.
//!
//! One key makes both signatures. Their messages cannot be confused: the
//! plain signature covers the checkpoint text, which starts with the origin
//! `sanad/log/…`; the cosignature covers a message that starts with
//! `cosignature/v1\n`; and the log key signs nothing else.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{SigningKey, VerifyingKey};

use super::cosignature::{cosign, CosignatureError, CosignatureVerifier};
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
    /// The checkpoint carries no time cosignature by the log's key.
    #[error("the checkpoint carries no time signed by the log's key")]
    NoTime,
    /// The checkpoint carries more than one time cosignature by the log's
    /// key: which time holds would be ambiguous.
    #[error("the checkpoint carries more than one time signed by the log's key")]
    SeveralTimes,
    /// The log key's time cosignature does not verify (or is not the
    /// length of one).
    #[error("the log key's time signature on the checkpoint does not verify")]
    BadTimeSignature,
    /// The time is above `2^63 − 1` seconds.
    #[error("the checkpoint's time is out of range")]
    TimeOutOfRange,
}

impl From<CosignatureError> for CheckpointError {
    fn from(e: CosignatureError) -> Self {
        match e {
            CosignatureError::Missing => CheckpointError::NoTime,
            CosignatureError::Several => CheckpointError::SeveralTimes,
            CosignatureError::TimeOutOfRange => CheckpointError::TimeOutOfRange,
            CosignatureError::BadSignature => CheckpointError::BadTimeSignature,
            CosignatureError::Note(n) => n.into(),
        }
    }
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
    time: CosignatureVerifier,
}

impl LogKey {
    /// The log whose checkpoints `key` signs.
    pub fn new(key: VerifyingKey) -> LogKey {
        let name = log_origin(&key);
        // A log origin is ASCII without spaces or `+`, 74 bytes long.
        const VALID: &str = "a log origin is a valid key name";
        LogKey {
            verifier: NoteVerifier::ed25519(&name, key).expect(VALID),
            time: CosignatureVerifier::ed25519(&name, key).expect(VALID),
        }
    }

    /// The log whose public key is these 32 bytes (RFC 8032 encoding), or
    /// `None` if they are not a point of the curve.
    pub fn from_bytes(key: &[u8; 32]) -> Option<LogKey> {
        VerifyingKey::from_bytes(key).ok().map(LogKey::new)
    }

    /// The log whose origin is `origin`: [`ORIGIN_PREFIX`] and 64
    /// lower-case hex digits of a curve point. `None` for anything else
    /// (another spelling, another kind of log). An origin names a key; only
    /// a checkpoint that verifies against it shows the key is the log's.
    pub fn from_origin(origin: &str) -> Option<LogKey> {
        let hex = origin.strip_prefix(ORIGIN_PREFIX)?;
        if hex.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, pair) in hex.as_bytes().chunks_exact(2).enumerate() {
            let digit = |b: u8| match b {
                b'0'..=b'9' => Some(b - b'0'),
                b'a'..=b'f' => Some(b - b'a' + 10),
                _ => None,
            };
            key[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        LogKey::from_bytes(&key)
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

    /// As a verifier of its time cosignatures.
    pub fn time_verifier(&self) -> &CosignatureVerifier {
        &self.time
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

    /// Sign as the log whose key is `key`, at `time` (POSIX seconds, at
    /// most `2^63 − 1`): the plain signature and the time cosignature. The
    /// origin must be that log's.
    pub fn sign(&self, key: &SigningKey, time: u64) -> Result<SignedCheckpoint, CheckpointError> {
        if self.origin != log_origin(&key.verifying_key()) {
            return Err(CheckpointError::WrongOrigin);
        }
        let mut note = Note::sign(&self.to_text(), &self.origin, key)?;
        cosign(&mut note, &self.origin, key, time)?;
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

    /// Check that this is a checkpoint of `log`, signed by its key, and
    /// timed by its key: the origin is the log's (`WrongOrigin`), the plain
    /// signature verifies (`UnknownKey`, `BadSignature`), and exactly one
    /// time cosignature verifies (`NoTime`, `SeveralTimes`,
    /// `BadTimeSignature`, `TimeOutOfRange`).
    pub fn verify(&self, log: &LogKey) -> Result<VerifiedCheckpoint, CheckpointError> {
        if self.checkpoint.origin != log.origin() {
            return Err(CheckpointError::WrongOrigin);
        }
        self.note.verify(log.verifier())?;
        let time = log.time_verifier().verify(&self.note)?;
        Ok(VerifiedCheckpoint {
            signed: self.clone(),
            time,
        })
    }
}

/// A checkpoint whose signature and time cosignature by the log's key have
/// been checked. Only [`SignedCheckpoint::verify`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    signed: SignedCheckpoint,
    time: u64,
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

    /// When the log signed this checkpoint, in POSIX seconds: the relay's
    /// word (its clock), signed with its log key. Every leaf of the tree
    /// was in the log no later than this.
    pub fn time(&self) -> u64 {
        self.time
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
        let signed = checkpoint(42).sign(&key(), 1_700_000_000).expect("sign");
        let parsed = SignedCheckpoint::parse(signed.to_text().as_bytes()).expect("parse");
        assert_eq!(parsed, signed);
        let v = parsed
            .verify(&LogKey::new(key().verifying_key()))
            .expect("verifies");
        assert_eq!(
            (v.size(), *v.root(), v.time()),
            (42, [0xab; 32], 1_700_000_000)
        );
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
    fn a_log_key_is_read_back_from_its_origin_in_its_one_spelling_only() {
        let log = LogKey::new(key().verifying_key());
        assert_eq!(LogKey::from_origin(log.origin()), Some(log.clone()));
        let upper = format!(
            "{ORIGIN_PREFIX}{}",
            crate::ids::hex_lower(key().verifying_key().as_bytes()).to_uppercase()
        );
        for bad in [
            upper.as_str(),
            &log.origin()[..log.origin().len() - 2],
            &format!("{}00", log.origin()),
            &log.origin().replacen("sanad/log/", "sanad/log2/", 1),
            "sanad/log/",
            "",
        ] {
            assert_eq!(LogKey::from_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn signing_for_another_log_is_refused() {
        let c = checkpoint(1);
        assert_eq!(
            c.sign(&SigningKey::from_bytes(&[4; 32]), 0),
            Err(CheckpointError::WrongOrigin)
        );
    }

    #[test]
    fn a_checkpoint_without_its_time_or_with_a_forged_time_is_refused() {
        let log = LogKey::new(key().verifying_key());
        let c = checkpoint(5);
        // Signed the old way, without a time: refused.
        let untimed = SignedCheckpoint {
            note: Note::sign(&c.to_text(), &c.origin, &key()).expect("sign"),
            checkpoint: c.clone(),
        };
        assert_eq!(untimed.verify(&log), Err(CheckpointError::NoTime));
        // Two times by the log key: ambiguous.
        let mut twice = c.sign(&key(), 10).expect("sign");
        cosign(&mut twice.note, &c.origin, &key(), 11).expect("room");
        assert_eq!(twice.verify(&log), Err(CheckpointError::SeveralTimes));
        // A time cosigned by another key under the log's name is not the
        // log's: its key ID differs, so it is ignored.
        let mut other = untimed.clone();
        cosign(
            &mut other.note,
            &c.origin,
            &SigningKey::from_bytes(&[4; 32]),
            10,
        )
        .expect("room");
        assert_eq!(other.verify(&log), Err(CheckpointError::NoTime));
        // The time changed in the line: the cosignature no longer verifies,
        // while the plain signature still does.
        let good = c.sign(&key(), 1_000).expect("sign");
        let text = good.to_text();
        let line = text.lines().last().expect("a line");
        let b64 = line.rsplit(' ').next().expect("base64");
        let mut raw = decode_b64(b64).expect("base64");
        raw[4 + 7] ^= 1;
        let forged = text.replace(b64, &STANDARD.encode(raw));
        let parsed = SignedCheckpoint::parse(forged.as_bytes()).expect("parses");
        assert_eq!(parsed.verify(&log), Err(CheckpointError::BadTimeSignature));
        assert!(parsed.note().verify(log.verifier()).is_ok());
        assert_eq!(
            c.sign(&key(), u64::MAX),
            Err(CheckpointError::TimeOutOfRange)
        );
    }
}
