//! Signed notes (<https://c2sp.org/signed-note>): a UTF-8 text ending in a
//! newline, a blank line, and one or more signature lines
//! `— <key name> <base64(key ID (4) ‖ signature)>`.
//!
//! The parser is strict and bounded: at most [`MAX_NOTE_LEN`] bytes, checked
//! first; valid UTF-8 with no control character but newline; at most
//! [`MAX_NOTE_SIGNATURES`] signature lines; key names non-empty, at most
//! [`MAX_KEY_NAME_LEN`] bytes, without white space or `+`; base64 in its one
//! canonical spelling. So a note that parses re-encodes to the same bytes.
//!
//! Only Ed25519 keys (signature type `0x01`) are verified here; timestamped
//! Ed25519 cosignatures (type `0x04`) are in [`super::cosignature`]. A verifier looks
//! for signatures by its key (same name *and* key ID), ignores every other
//! line (witness cosignatures, other logs), fails if one of its signatures
//! does not verify (`verify_strict`), and fails if there is none.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::limits::{MAX_KEY_NAME_LEN, MAX_NOTE_LEN, MAX_NOTE_SIGNATURES};

/// The signature type byte of Ed25519 keys in key IDs and verifier keys.
pub const ED25519_SIGNATURE_TYPE: u8 = 0x01;

/// What starts a signature line: U+2014 EM DASH and a space.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// Why a note, a key name or a verifier key is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The note is longer than [`MAX_NOTE_LEN`].
    #[error("the note is {len} bytes long; at most {max} are accepted")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The note is not UTF-8.
    #[error("the note is not valid UTF-8")]
    NotUtf8,
    /// The note holds an ASCII control character other than newline.
    #[error("the note holds a control character")]
    ControlCharacter,
    /// The note's structure is wrong (what is wrong is said).
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// A key name is empty, too long, or holds white space or `+`.
    #[error("invalid key name")]
    BadKeyName,
    /// More signature lines than [`MAX_NOTE_SIGNATURES`].
    #[error("the note has more than {max} signatures")]
    TooManySignatures {
        /// The limit.
        max: usize,
    },
    /// No signature line is from the expected key (name and key ID).
    #[error("the note is not signed by the expected key")]
    UnknownKey,
    /// A signature line from the expected key does not verify.
    #[error("a signature by the expected key does not verify")]
    BadSignature,
    /// A verifier key string (`name+id+key`) is malformed.
    #[error("malformed verifier key: {0}")]
    BadVerifierKey(&'static str),
}

/// `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[..4]`: the ID of an Ed25519 key.
pub fn key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    typed_key_id(name, ED25519_SIGNATURE_TYPE, key)
}

/// `SHA-256(name ‖ 0x0A ‖ signature type ‖ public key)[..4]`: the ID of an
/// Ed25519 key used with signature type `signature_type`.
pub(crate) fn typed_key_id(name: &str, signature_type: u8, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', signature_type]);
    h.update(key.as_bytes());
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// Whether `name` can name a key: non-empty, at most [`MAX_KEY_NAME_LEN`]
/// bytes, no white space, no `+`, no control character.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_KEY_NAME_LEN
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

/// Canonical standard base64 (RFC 4648 §4, padded): decoding and
/// re-encoding gives the input back.
pub(crate) fn decode_b64(s: &str) -> Option<Vec<u8>> {
    let b = STANDARD.decode(s).ok()?;
    (STANDARD.encode(&b) == s).then_some(b)
}

/// A key that verifies notes: its name, ID and Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    id: [u8; 4],
    key: VerifyingKey,
}

impl std::fmt::Debug for NoteVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteVerifier")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl NoteVerifier {
    /// The verifier for `key` under `name`.
    pub fn ed25519(name: &str, key: VerifyingKey) -> Result<NoteVerifier, NoteError> {
        if !is_valid_key_name(name) {
            return Err(NoteError::BadKeyName);
        }
        Ok(NoteVerifier {
            name: name.to_string(),
            id: key_id(name, &key),
            key,
        })
    }

    /// Parse a verifier key string, `<name>+<key ID, 8 hex>+<base64(0x01 ‖ key)>`,
    /// the form logs publish their keys in.
    pub fn from_vkey(vkey: &str) -> Result<NoteVerifier, NoteError> {
        if vkey.len() > MAX_KEY_NAME_LEN + 64 {
            return Err(NoteError::BadVerifierKey("too long"));
        }
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(id_hex), Some(key_b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(NoteError::BadVerifierKey("not name+id+key"));
        };
        let id = parse_key_id_hex(id_hex).ok_or(NoteError::BadVerifierKey("key ID"))?;
        let raw = decode_b64(key_b64).ok_or(NoteError::BadVerifierKey("key encoding"))?;
        let [ED25519_SIGNATURE_TYPE, rest @ ..] = raw.as_slice() else {
            return Err(NoteError::BadVerifierKey("not an Ed25519 key"));
        };
        let bytes: [u8; 32] = rest
            .try_into()
            .map_err(|_| NoteError::BadVerifierKey("key length"))?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| NoteError::BadVerifierKey("key"))?;
        let v = NoteVerifier::ed25519(name, key)?;
        if v.id != id {
            return Err(NoteError::BadVerifierKey("key ID does not match the key"));
        }
        Ok(v)
    }

    /// The verifier key string (see [`from_vkey`](Self::from_vkey)).
    pub fn to_vkey(&self) -> String {
        let mut raw = Vec::with_capacity(33);
        raw.push(ED25519_SIGNATURE_TYPE);
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "{}+{}+{}",
            self.name,
            crate::ids::hex_lower(&self.id),
            STANDARD.encode(raw)
        )
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's ID.
    pub fn key_id(&self) -> [u8; 4] {
        self.id
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }
}

fn parse_key_id_hex(s: &str) -> Option<[u8; 4]> {
    if s.len() != 8 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let v = u32::from_str_radix(s, 16).ok()?;
    Some(v.to_be_bytes())
}

/// One signature line: who claims to have signed, and the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name.
    pub name: String,
    /// The key ID.
    pub key_id: [u8; 4],
    /// The signature bytes after the key ID (64 for Ed25519; other lengths
    /// belong to other algorithms and are never verified here).
    pub signature: Vec<u8>,
}

/// A parsed, **unverified** signed note. Read its text only through
/// [`Note::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

/// The text is non-empty, ends in a newline and holds no control
/// character but newline.
fn check_text(text: &str) -> Result<(), NoteError> {
    if text.is_empty() || !text.ends_with('\n') {
        return Err(NoteError::Malformed("the text does not end in a newline"));
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::ControlCharacter);
    }
    Ok(())
}

impl Note {
    /// Parse a signed note (strict; see the module documentation).
    pub fn parse(bytes: &[u8]) -> Result<Note, NoteError> {
        if bytes.len() > MAX_NOTE_LEN {
            return Err(NoteError::TooLong {
                len: bytes.len(),
                max: MAX_NOTE_LEN,
            });
        }
        let s = std::str::from_utf8(bytes).map_err(|_| NoteError::NotUtf8)?;
        check_text(s)?;
        let split = s
            .rfind("\n\n")
            .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
        let (text, sigs) = (&s[..split + 1], &s[split + 2..]);
        if sigs.is_empty() {
            return Err(NoteError::Malformed("no signature"));
        }
        let mut signatures = Vec::new();
        for line in sigs.split_terminator('\n') {
            if signatures.len() == MAX_NOTE_SIGNATURES {
                return Err(NoteError::TooManySignatures {
                    max: MAX_NOTE_SIGNATURES,
                });
            }
            signatures.push(parse_signature_line(line)?);
        }
        Ok(Note {
            text: text.to_string(),
            signatures,
        })
    }

    /// Sign `text` with `key` under `name`: a note with one signature.
    pub fn sign(text: &str, name: &str, key: &SigningKey) -> Result<Note, NoteError> {
        let mut n = Note {
            text: text.to_string(),
            signatures: Vec::new(),
        };
        check_text(text)?;
        n.add_signature(name, key)?;
        Ok(n)
    }

    /// Add a signature by `key` under `name` (a witness cosigning, a second
    /// log key during a rotation).
    pub fn add_signature(&mut self, name: &str, key: &SigningKey) -> Result<(), NoteError> {
        let sig = key.sign(self.text.as_bytes());
        self.add_signature_line(NoteSignature {
            name: name.to_string(),
            key_id: key_id(name, &key.verifying_key()),
            signature: sig.to_bytes().to_vec(),
        })
    }

    /// Add a signature line made elsewhere (a cosignature, whose signed
    /// message is not the note text). Checked like a parsed line: a valid
    /// key name, a non-empty signature, room in the note's bounds.
    pub fn add_signature_line(&mut self, line: NoteSignature) -> Result<(), NoteError> {
        if !is_valid_key_name(&line.name) {
            return Err(NoteError::BadKeyName);
        }
        if line.signature.is_empty() {
            return Err(NoteError::Malformed("a signature is shorter than a key ID"));
        }
        if self.signatures.len() == MAX_NOTE_SIGNATURES {
            return Err(NoteError::TooManySignatures {
                max: MAX_NOTE_SIGNATURES,
            });
        }
        self.signatures.push(line);
        let len = self.encoded_len();
        if len > MAX_NOTE_LEN {
            self.signatures.pop();
            return Err(NoteError::TooLong {
                len,
                max: MAX_NOTE_LEN,
            });
        }
        Ok(())
    }

    /// The signature lines, as parsed (unverified).
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// The text, **without** checking any signature: for diagnostics and for
    /// callers that verify by other means. Prefer [`Note::verify`].
    pub fn unverified_text(&self) -> &str {
        &self.text
    }

    /// Check the signatures by `verifier`'s key and return the text they sign.
    pub fn verify(&self, verifier: &NoteVerifier) -> Result<&str, NoteError> {
        let mut found = false;
        for s in &self.signatures {
            if s.name != verifier.name || s.key_id != verifier.id {
                continue;
            }
            let bytes: [u8; 64] = s
                .signature
                .as_slice()
                .try_into()
                .map_err(|_| NoteError::BadSignature)?;
            verifier
                .key
                .verify_strict(self.text.as_bytes(), &Signature::from_bytes(&bytes))
                .map_err(|_| NoteError::BadSignature)?;
            found = true;
        }
        if found {
            Ok(&self.text)
        } else {
            Err(NoteError::UnknownKey)
        }
    }

    fn encoded_len(&self) -> usize {
        self.text.len()
            + 1
            + self
                .signatures
                .iter()
                .map(|s| {
                    SIGNATURE_PREFIX.len()
                        + s.name.len()
                        + 2
                        + (4 + s.signature.len()).div_ceil(3) * 4
                })
                .sum::<usize>()
    }

    /// The note in its one spelling.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.encoded_len());
        out.push_str(&self.text);
        out.push('\n');
        for s in &self.signatures {
            let mut raw = Vec::with_capacity(4 + s.signature.len());
            raw.extend_from_slice(&s.key_id);
            raw.extend_from_slice(&s.signature);
            out.push_str(SIGNATURE_PREFIX);
            out.push_str(&s.name);
            out.push(' ');
            out.push_str(&STANDARD.encode(raw));
            out.push('\n');
        }
        out
    }
}

fn parse_signature_line(line: &str) -> Result<NoteSignature, NoteError> {
    let rest = line
        .strip_prefix(SIGNATURE_PREFIX)
        .ok_or(NoteError::Malformed(
            "a signature line does not start with an em dash and a space",
        ))?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or(NoteError::Malformed("a signature line has no signature"))?;
    if !is_valid_key_name(name) {
        return Err(NoteError::BadKeyName);
    }
    let raw = decode_b64(b64).ok_or(NoteError::Malformed("a signature is not base64"))?;
    let Some((id, signature)) = raw.split_first_chunk::<4>() else {
        return Err(NoteError::Malformed("a signature is shorter than a key ID"));
    };
    if signature.is_empty() {
        return Err(NoteError::Malformed("a signature is shorter than a key ID"));
    }
    Ok(NoteSignature {
        name: name.to_string(),
        key_id: *id,
        signature: signature.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[9; 32])
    }

    #[test]
    fn a_signed_note_round_trips_and_verifies_with_its_key_only() {
        let n = Note::sign("hello\nworld\n", "example.org/k", &key()).expect("sign");
        let text = n.to_text();
        let parsed = Note::parse(text.as_bytes()).expect("parse");
        assert_eq!(parsed, n);
        assert_eq!(parsed.to_text(), text);
        let v = NoteVerifier::ed25519("example.org/k", key().verifying_key()).expect("verifier");
        assert_eq!(parsed.verify(&v), Ok("hello\nworld\n"));
        let other = NoteVerifier::ed25519(
            "example.org/k",
            SigningKey::from_bytes(&[8; 32]).verifying_key(),
        )
        .expect("verifier");
        assert_eq!(parsed.verify(&other), Err(NoteError::UnknownKey));
        assert_eq!(NoteVerifier::from_vkey(&v.to_vkey()), Ok(v));
    }

    #[test]
    fn malformed_notes_are_refused_with_their_reason() {
        let good = Note::sign("a\n", "k", &key()).expect("sign").to_text();
        let cases: Vec<(String, &str)> = vec![
            (good.trim_end().to_string(), "no final newline"),
            (good.replacen("\n\n", "\n", 1), "no blank line"),
            (good.replace('\u{2014}', "-"), "ascii dash"),
            (good.replacen("a\n", "a\t\n", 1), "tab"),
            (format!("{good}\n"), "trailing blank line"),
            (good.replace(" k ", " k+x "), "plus in name"),
            (good.replace("=\n", "\n"), "unpadded base64"),
            ("a\n\n".to_string(), "no signature"),
        ];
        for (note, why) in cases {
            assert!(Note::parse(note.as_bytes()).is_err(), "{why}: {note:?}");
        }
        assert_eq!(
            Note::parse(&vec![b'a'; MAX_NOTE_LEN + 1]),
            Err(NoteError::TooLong {
                len: MAX_NOTE_LEN + 1,
                max: MAX_NOTE_LEN
            })
        );
        assert_eq!(Note::parse(b"\xff\n\n"), Err(NoteError::NotUtf8));
    }

    #[test]
    fn at_most_the_limit_of_signatures_is_accepted() {
        let mut n = Note::sign("a\n", "k0", &key()).expect("sign");
        for i in 1..MAX_NOTE_SIGNATURES {
            n.add_signature(&format!("k{i}"), &key()).expect("room");
        }
        assert!(Note::parse(n.to_text().as_bytes()).is_ok());
        assert_eq!(
            n.add_signature("one-more", &key()),
            Err(NoteError::TooManySignatures {
                max: MAX_NOTE_SIGNATURES
            })
        );
        let line = n
            .to_text()
            .lines()
            .last()
            .map(str::to_string)
            .expect("a line");
        let over = format!("{}{line}\n", n.to_text());
        assert_eq!(
            Note::parse(over.as_bytes()),
            Err(NoteError::TooManySignatures {
                max: MAX_NOTE_SIGNATURES
            })
        );
    }
}
