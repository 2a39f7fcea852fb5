//! What one client says to another: the plaintext of an MLS application
//! message, and of the sealed envelope of a first contact. The relay never
//! sees it in clear.
//!
//! Encoding (specified in `docs/client-formats.md`, vectors in
//! `protocol/tests/vectors/client-formats/`): `version u8 (= 1) ‖ kind u8 ‖
//! fields`. Byte strings whose limit is below 64 KiB carry a `u16` length,
//! larger ones a `u32`; lists carry a `u16` count. The decoder is strict:
//! the whole input is at most [`MAX_CONTENT_LEN`], every length is checked
//! against its limit before anything is allocated, text is valid UTF-8, and
//! every byte is consumed. A kind this build does not know is reported as
//! [`ContentError::UnknownKind`], so a newer client's message can be shown
//! as "unsupported message" rather than as an error.
//!
//! Secrets inside (the age identity of a file, the owner seed of a group
//! mailbox) are typed: zeroized on drop, compared in constant time, never
//! printed. No `Debug` output here shows what was said: only kinds and sizes.
//!
//! Also here: [`sanitize_file_name`] for saving a received file and
//! [`is_valid_display_name`] for the names people give themselves.

use std::fmt;

use ed25519_dalek::SigningKey;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::codec::{Reader, Writer};
use crate::error::DecodeError;
use crate::evidence::{EvidenceId, ManifestError, Salt, SignedEnrolment, SignedManifest};
use crate::ids::{BlobId, OwnerKey, ReceiveId, SendId};
use crate::limits::{
    MAX_AGE_IDENTITY_LEN, MAX_BLOB_LEN, MAX_CONTENT_LEN, MAX_DISPLAY_NAME_LEN, MAX_FILE_NAME_LEN,
    MAX_GROUP_NAME_LEN, MAX_HELLO_KEY_PACKAGES, MAX_KEY_PACKAGE_LEN, MAX_MEDIA_TYPE_LEN,
    MAX_MESSAGE_LEN, MAX_NOTE_LEN, MAX_RECEIPT_LEN, MAX_SIGNED_ENROLMENT_LEN,
    MAX_SIGNED_MANIFEST_LEN, MAX_TEXT_LEN, MAX_WELCOME_LEN,
};
use crate::log::{Receipt, SignedCheckpoint};

/// The content format version this build writes and reads.
pub const CONTENT_VERSION: u8 = 1;

// Every valid content fits one sealed envelope, hence one mailbox message.
const _: () = assert!(MAX_CONTENT_LEN < MAX_MESSAGE_LEN);
const _: () = assert!(MAX_CONTENT_LEN <= crate::envelope::MAX_ENVELOPE_PLAINTEXT);

/// The kind byte of each [`Content`] variant.
pub mod kind {
    /// [`Content::Text`](super::Content::Text).
    pub const TEXT: u8 = 0x01;
    /// [`Content::File`](super::Content::File).
    pub const FILE: u8 = 0x02;
    /// [`Content::Hello`](super::Content::Hello).
    pub const HELLO: u8 = 0x03;
    /// [`Content::Welcome`](super::Content::Welcome).
    pub const WELCOME: u8 = 0x04;
    /// [`Content::Evidence`](super::Content::Evidence).
    pub const EVIDENCE: u8 = 0x05;
    /// [`Content::Enrolment`](super::Content::Enrolment).
    pub const ENROLMENT: u8 = 0x06;
    /// [`Content::EvidenceConfirmed`](super::Content::EvidenceConfirmed).
    pub const EVIDENCE_CONFIRMED: u8 = 0x07;
}

/// One message from one client to another.
#[derive(Clone, PartialEq, Eq)]
pub enum Content {
    /// A text message.
    Text {
        /// The text, at most [`MAX_TEXT_LEN`] bytes of UTF-8 (may be empty).
        body: String,
    },
    /// A file uploaded as an encrypted blob.
    File(FileRef),
    /// A first contact: who I am and how to add me to a group.
    Hello {
        /// The sender's display name (see [`is_valid_display_name`]).
        display_name: String,
        /// Up to [`MAX_HELLO_KEY_PACKAGES`] TLS-serialized MLS KeyPackages,
        /// each 1 ..= [`MAX_KEY_PACKAGE_LEN`] bytes.
        key_packages: Vec<Vec<u8>>,
    },
    /// An invitation into an MLS group and its shared mailbox.
    Welcome(GroupWelcome),
    /// An evidence item, from a documenter's device to the desk group.
    Evidence(Box<EvidenceItem>),
    /// The desk's signed enrolment of a device's evidence key, sent to
    /// that device so it includes it with what it captures.
    Enrolment(Box<SignedEnrolment>),
    /// The desk tells a device it has one of its items, and whether every
    /// check passed (the device may then delete its spool copy).
    EvidenceConfirmed {
        /// The item's evidence ID (from its manifest).
        evidence_id: EvidenceId,
        /// Whether every check the desk runs on arrival passed.
        verified: bool,
    },
}

/// What a documenter's device sends the desk for one captured item: the
/// signed manifest and what proves it was logged, and the encrypted file.
/// The desk checks it with [`crate::evidence`] and the log's key.
#[derive(Clone, PartialEq, Eq)]
pub struct EvidenceItem {
    /// The manifest, signed by the device evidence key (unverified here).
    pub manifest: SignedManifest,
    /// The salt of the manifest's log commitment.
    pub salt: Salt,
    /// The log's receipt for the commitment (unverified here).
    pub receipt: Receipt,
    /// The signed note of the checkpoint the manifest says the device had
    /// seen: present exactly when the manifest names one, and of the same
    /// size and root (its signature is not checked here).
    pub seen_checkpoint: Option<SignedCheckpoint>,
    /// The device's enrolment by the desk, if it has one (an unenrolled
    /// device can still send; the desk sees it as not enrolled).
    pub enrolment: Option<SignedEnrolment>,
    /// The age-encrypted file: blob, identity, sizes. Its `sha256` and
    /// `size` must be the manifest's content hash and length.
    pub file: FileRef,
}

/// Where a file is and how to open it.
#[derive(Clone, PartialEq, Eq)]
pub struct FileRef {
    /// The blob holding the age ciphertext (and padding).
    pub blob_id: BlobId,
    /// Size of the uploaded blob: 1 ..= [`MAX_BLOB_LEN`].
    pub blob_len: u64,
    /// Length of the age ciphertext at the start of the blob:
    /// 1 ..= `blob_len`; the rest is padding.
    pub cipher_len: u64,
    /// The age identity that decrypts the ciphertext.
    pub age_identity: AgeIdentity,
    /// The original file name as the sender had it, at most
    /// [`MAX_FILE_NAME_LEN`] bytes of UTF-8. Pass it through
    /// [`sanitize_file_name`] before using it as a path.
    pub name: String,
    /// Media type (`image/jpeg`), printable ASCII, at most
    /// [`MAX_MEDIA_TYPE_LEN`] bytes; empty when unknown.
    pub media_type: String,
    /// Plaintext length; never more than `cipher_len` (age only adds).
    pub size: u64,
    /// SHA-256 of the plaintext, checked after decryption.
    pub sha256: [u8; 32],
}

/// An MLS Welcome with what the new member needs beside it.
#[derive(Clone, PartialEq, Eq)]
pub struct GroupWelcome {
    /// The MLS Welcome message, opaque here: 1 ..= [`MAX_WELCOME_LEN`] bytes.
    pub welcome: Vec<u8>,
    /// The group's shared mailbox.
    pub mailbox: GroupMailbox,
    /// The group's name, at most [`MAX_GROUP_NAME_LEN`] bytes; empty for a
    /// one-to-one conversation. No control or bidi override characters.
    pub group_name: String,
    /// The inviter's display name (see [`is_valid_display_name`]).
    pub from_name: String,
}

/// A mailbox shared by the members of a group: every member can deposit,
/// fetch and acknowledge.
#[derive(Clone, PartialEq, Eq)]
pub struct GroupMailbox {
    /// The receive capability.
    pub receive_id: ReceiveId,
    /// The send capability.
    pub send_id: SendId,
    /// The seed of the mailbox's Ed25519 owner key, which signs fetch and
    /// acknowledge requests.
    pub owner_seed: OwnerSeed,
}

/// An age X25519 identity (`AGE-SECRET-KEY-1…`). Secret: zeroized on drop,
/// compared in constant time, never printed. Only a string of the right
/// shape can be held: the prefix, then upper-case Bech32 characters, at most
/// [`MAX_AGE_IDENTITY_LEN`] bytes (the Bech32 checksum is left to the age
/// implementation that uses it).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AgeIdentity(String);

/// The prefix of every age X25519 identity.
pub const AGE_IDENTITY_PREFIX: &str = "AGE-SECRET-KEY-1";

/// The Bech32 data characters, upper case.
const BECH32_UPPER: &[u8] = b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

impl AgeIdentity {
    /// Take an identity string, checking its shape. On failure the string is
    /// zeroized before the error is returned.
    pub fn new(identity: String) -> Result<AgeIdentity, ContentError> {
        let id = AgeIdentity(identity);
        check_age_identity(id.0.as_bytes())?;
        Ok(id)
    }

    /// The identity text, for handing to the age implementation.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl PartialEq for AgeIdentity {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}
impl Eq for AgeIdentity {}

impl fmt::Debug for AgeIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AgeIdentity(<secret>)")
    }
}

/// The secret seed of a mailbox owner key (Ed25519). Zeroized on drop,
/// compared in constant time, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct OwnerSeed([u8; 32]);

impl OwnerSeed {
    /// Wrap seed bytes.
    pub fn from_bytes(seed: [u8; 32]) -> OwnerSeed {
        OwnerSeed(seed)
    }

    /// The seed bytes.
    pub fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }

    /// The signing key for owner requests on the group mailbox.
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.0)
    }

    /// The public owner key the relay holds for the mailbox.
    pub fn owner_key(&self) -> OwnerKey {
        OwnerKey(self.signing_key().verifying_key().to_bytes())
    }
}

impl PartialEq for OwnerSeed {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}
impl Eq for OwnerSeed {}

impl fmt::Debug for OwnerSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OwnerSeed(<secret>)")
    }
}

/// Why content could not be decoded (or encoded).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// The format version is not one this build reads (a newer client sent it).
    #[error("unsupported content version {0}")]
    UnsupportedVersion(u8),
    /// The kind is not one this build knows (a newer client sent it): show
    /// it as an unsupported message.
    #[error("unknown content kind 0x{0:02x}")]
    UnknownKind(u8),
    /// The bytes break the format: truncated, trailing bytes, a length over
    /// its limit, invalid UTF-8, a value out of range. When encoding: a field
    /// breaks the same rule, so nothing the decoder would refuse is produced.
    #[error("malformed content: {0}")]
    Malformed(DecodeError),
}

impl From<DecodeError> for ContentError {
    fn from(e: DecodeError) -> Self {
        ContentError::Malformed(e)
    }
}

impl Content {
    /// The kind byte (see [`kind`]).
    pub fn kind(&self) -> u8 {
        match self {
            Content::Text { .. } => kind::TEXT,
            Content::File(_) => kind::FILE,
            Content::Hello { .. } => kind::HELLO,
            Content::Welcome(_) => kind::WELCOME,
            Content::Evidence(_) => kind::EVIDENCE,
            Content::Enrolment(_) => kind::ENROLMENT,
            Content::EvidenceConfirmed { .. } => kind::EVIDENCE_CONFIRMED,
        }
    }

    /// Encode, after checking every field against the rules [`decode`]
    /// applies (failing with the error `decode` would give). The buffer is
    /// allocated once at its final size and zeroized when dropped, since it
    /// may hold secrets.
    ///
    /// [`decode`]: Content::decode
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, ContentError> {
        let len = self.check()?;
        let mut w = Writer::with_capacity(len);
        w.u8(CONTENT_VERSION);
        w.u8(self.kind());
        match self {
            Content::Text { body } => w.bytes(body.as_bytes()),
            Content::File(f) => write_file_ref(&mut w, f),
            Content::Hello {
                display_name,
                key_packages,
            } => {
                w.short_bytes(display_name.as_bytes());
                w.count(key_packages.len());
                for kp in key_packages {
                    w.short_bytes(kp);
                }
            }
            Content::Welcome(g) => {
                w.bytes(&g.welcome);
                w.put(&g.mailbox.receive_id.0);
                w.put(&g.mailbox.send_id.0);
                w.put(&g.mailbox.owner_seed.0);
                w.short_bytes(g.group_name.as_bytes());
                w.short_bytes(g.from_name.as_bytes());
            }
            Content::Evidence(e) => {
                w.short_bytes(&e.manifest.to_bytes());
                w.put(e.salt.expose_secret());
                w.short_bytes(e.receipt.to_text().as_bytes());
                match &e.seen_checkpoint {
                    None => w.u8(0),
                    Some(c) => {
                        w.u8(1);
                        w.short_bytes(c.to_text().as_bytes());
                    }
                }
                match &e.enrolment {
                    None => w.u8(0),
                    Some(en) => {
                        w.u8(1);
                        w.short_bytes(&en.to_bytes());
                    }
                }
                write_file_ref(&mut w, &e.file);
            }
            Content::Enrolment(en) => w.short_bytes(&en.to_bytes()),
            Content::EvidenceConfirmed {
                evidence_id,
                verified,
            } => {
                w.put(&evidence_id.0);
                w.u8(u8::from(*verified));
            }
        }
        debug_assert_eq!(w.buf.len(), len, "encoded length was computed exactly");
        Ok(Zeroizing::new(w.buf))
    }

    /// Check every field and return the encoded length.
    fn check(&self) -> Result<usize, DecodeError> {
        let header = 2;
        Ok(match self {
            Content::Text { body } => {
                check_len("text", body.len(), MAX_TEXT_LEN)?;
                header + 4 + body.len()
            }
            Content::File(f) => header + check_file_ref(f)?,
            Content::Evidence(e) => {
                check_evidence(e)?;
                header
                    + 2
                    + e.manifest.to_bytes().len()
                    + Salt::LEN
                    + 2
                    + e.receipt.to_text().len()
                    + 1
                    + e.seen_checkpoint
                        .as_ref()
                        .map_or(0, |c| 2 + c.to_text().len())
                    + 1
                    + e.enrolment.as_ref().map_or(0, |en| 2 + en.to_bytes().len())
                    + check_file_ref(&e.file)?
            }
            Content::Enrolment(en) => header + 2 + en.to_bytes().len(),
            Content::EvidenceConfirmed { .. } => header + EvidenceId::LEN + 1,
            Content::Hello {
                display_name,
                key_packages,
            } => {
                check_display_name(display_name)?;
                check_len("key packages", key_packages.len(), MAX_HELLO_KEY_PACKAGES)?;
                let mut n = header + 2 + display_name.len() + 2;
                for kp in key_packages {
                    check_key_package(kp)?;
                    n += 2 + kp.len();
                }
                n
            }
            Content::Welcome(g) => {
                check_welcome(&g.welcome)?;
                check_group_name(&g.group_name)?;
                check_display_name(&g.from_name)?;
                header
                    + 4
                    + g.welcome.len()
                    + ReceiveId::LEN
                    + SendId::LEN
                    + 32
                    + 2
                    + g.group_name.len()
                    + 2
                    + g.from_name.len()
            }
        })
    }

    /// Decode one content, strictly (see the module documentation).
    pub fn decode(bytes: &[u8]) -> Result<Content, ContentError> {
        check_len("content", bytes.len(), MAX_CONTENT_LEN)?;
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != CONTENT_VERSION {
            return Err(ContentError::UnsupportedVersion(version));
        }
        let content = match r.u8()? {
            kind::TEXT => Content::Text {
                body: utf8("text", r.bytes("text", MAX_TEXT_LEN)?)?,
            },
            kind::FILE => Content::File(read_file_ref(&mut r)?),
            kind::HELLO => {
                let display_name = read_display_name(&mut r)?;
                let n = r.count("key packages", MAX_HELLO_KEY_PACKAGES, 2)?;
                let mut key_packages = Vec::with_capacity(n);
                for _ in 0..n {
                    let kp = r.short_bytes("key package", MAX_KEY_PACKAGE_LEN)?;
                    check_key_package(kp)?;
                    key_packages.push(kp.to_vec());
                }
                Content::Hello {
                    display_name,
                    key_packages,
                }
            }
            kind::WELCOME => {
                let welcome = r.bytes("welcome", MAX_WELCOME_LEN)?;
                check_welcome(&welcome)?;
                let receive_id = ReceiveId(r.array()?);
                let send_id = SendId(r.array()?);
                let owner_seed = OwnerSeed(r.array()?);
                let group_name = utf8(
                    "group name",
                    r.short_bytes("group name", MAX_GROUP_NAME_LEN)?.to_vec(),
                )?;
                check_group_name(&group_name)?;
                let from_name = read_display_name(&mut r)?;
                Content::Welcome(GroupWelcome {
                    welcome,
                    mailbox: GroupMailbox {
                        receive_id,
                        send_id,
                        owner_seed,
                    },
                    group_name,
                    from_name,
                })
            }
            kind::EVIDENCE => Content::Evidence(Box::new(read_evidence(&mut r)?)),
            kind::ENROLMENT => {
                let bytes = r.short_bytes("enrolment", MAX_SIGNED_ENROLMENT_LEN)?;
                Content::Enrolment(Box::new(
                    SignedEnrolment::decode(bytes).map_err(ContentError::Malformed)?,
                ))
            }
            kind::EVIDENCE_CONFIRMED => Content::EvidenceConfirmed {
                evidence_id: EvidenceId(r.array()?),
                verified: r.bool("verified")?,
            },
            other => return Err(ContentError::UnknownKind(other)),
        };
        r.finish()?;
        Ok(content)
    }
}

// ------------------------------------------------------------ file and evidence

fn write_file_ref(w: &mut Writer, f: &FileRef) {
    w.put(&f.blob_id.0);
    w.u64(f.blob_len);
    w.u64(f.cipher_len);
    w.short_bytes(f.age_identity.0.as_bytes());
    w.short_bytes(f.name.as_bytes());
    w.short_bytes(f.media_type.as_bytes());
    w.u64(f.size);
    w.put(&f.sha256);
}

/// Check a file reference; its encoded length.
fn check_file_ref(f: &FileRef) -> Result<usize, DecodeError> {
    check_age_identity(f.age_identity.0.as_bytes())?;
    check_len("file name", f.name.len(), MAX_FILE_NAME_LEN)?;
    check_media_type(f.media_type.as_bytes())?;
    check_file_lengths(f.blob_len, f.cipher_len, f.size)?;
    Ok(BlobId::LEN
        + 8
        + 8
        + 2
        + f.age_identity.0.len()
        + 2
        + f.name.len()
        + 2
        + f.media_type.len()
        + 8
        + 32)
}

fn read_file_ref(r: &mut Reader<'_>) -> Result<FileRef, DecodeError> {
    let blob_id = BlobId(r.array()?);
    let blob_len = r.u64()?;
    let cipher_len = r.u64()?;
    let id = r.short_bytes("age identity", MAX_AGE_IDENTITY_LEN)?;
    check_age_identity(id)?;
    // Checked as ASCII just above, so this cannot fail.
    let age_identity = AgeIdentity(utf8("age identity", id.to_vec())?);
    let name = utf8(
        "file name",
        r.short_bytes("file name", MAX_FILE_NAME_LEN)?.to_vec(),
    )?;
    let media_type = r.short_bytes("media type", MAX_MEDIA_TYPE_LEN)?;
    check_media_type(media_type)?;
    let media_type = utf8("media type", media_type.to_vec())?;
    let size = r.u64()?;
    let sha256 = r.array()?;
    check_file_lengths(blob_len, cipher_len, size)?;
    Ok(FileRef {
        blob_id,
        blob_len,
        cipher_len,
        age_identity,
        name,
        media_type,
        size,
        sha256,
    })
}

/// The rules between the parts of an evidence item: the seen checkpoint's
/// note is there exactly when the manifest names one, with its size and
/// root; the file is the manifest's content (hash and length); the
/// receipt's sizes fit their `str16`. Signatures are the desk's to check.
fn check_evidence(e: &EvidenceItem) -> Result<(), DecodeError> {
    let m = e.manifest.unverified();
    let seen_ok = match (&m.seen_checkpoint, &e.seen_checkpoint) {
        (None, None) => true,
        (Some(s), Some(c)) => c.unverified().size == s.size && c.unverified().root == s.root,
        _ => false,
    };
    if !seen_ok {
        return Err(DecodeError::InvalidValue("seen checkpoint"));
    }
    if e.file.sha256 != m.content_sha256 || e.file.size != m.content_len {
        return Err(DecodeError::InvalidValue("evidence file"));
    }
    check_len("receipt", e.receipt.to_text().len(), MAX_RECEIPT_LEN)?;
    if let Some(c) = &e.seen_checkpoint {
        check_len("seen checkpoint", c.to_text().len(), MAX_NOTE_LEN)?;
    }
    Ok(())
}

fn read_evidence(r: &mut Reader<'_>) -> Result<EvidenceItem, DecodeError> {
    let manifest = SignedManifest::decode(r.short_bytes("manifest", MAX_SIGNED_MANIFEST_LEN)?)
        .map_err(|e| match e {
            ManifestError::Malformed(d) => d,
            _ => DecodeError::InvalidValue("manifest"),
        })?;
    let salt = Salt::from_bytes(r.array()?);
    let receipt = Receipt::parse(r.short_bytes("receipt", MAX_RECEIPT_LEN)?)
        .map_err(|_| DecodeError::InvalidValue("receipt"))?;
    let seen_checkpoint = if r.bool("seen checkpoint")? {
        Some(
            SignedCheckpoint::parse(r.short_bytes("seen checkpoint", MAX_NOTE_LEN)?)
                .map_err(|_| DecodeError::InvalidValue("seen checkpoint"))?,
        )
    } else {
        None
    };
    let enrolment = if r.bool("enrolment")? {
        Some(SignedEnrolment::decode(
            r.short_bytes("enrolment", MAX_SIGNED_ENROLMENT_LEN)?,
        )?)
    } else {
        None
    };
    let file = read_file_ref(r)?;
    let item = EvidenceItem {
        manifest,
        salt,
        receipt,
        seen_checkpoint,
        enrolment,
        file,
    };
    check_evidence(&item)?;
    Ok(item)
}

// ------------------------------------------------------------ field rules

fn check_len(field: &'static str, len: usize, max: usize) -> Result<(), DecodeError> {
    if len > max {
        Err(DecodeError::TooLong {
            field,
            len: len as u64,
            max: max as u64,
        })
    } else {
        Ok(())
    }
}

fn utf8(field: &'static str, bytes: Vec<u8>) -> Result<String, DecodeError> {
    String::from_utf8(bytes).map_err(|_| DecodeError::InvalidValue(field))
}

fn check_age_identity(id: &[u8]) -> Result<(), DecodeError> {
    check_len("age identity", id.len(), MAX_AGE_IDENTITY_LEN)?;
    let ok = id
        .strip_prefix(AGE_IDENTITY_PREFIX.as_bytes())
        .is_some_and(|data| !data.is_empty() && data.iter().all(|b| BECH32_UPPER.contains(b)));
    if ok {
        Ok(())
    } else {
        Err(DecodeError::InvalidValue("age identity"))
    }
}

fn check_media_type(mt: &[u8]) -> Result<(), DecodeError> {
    check_len("media type", mt.len(), MAX_MEDIA_TYPE_LEN)?;
    if mt.iter().all(|b| (0x20..=0x7e).contains(b)) {
        Ok(())
    } else {
        Err(DecodeError::InvalidValue("media type"))
    }
}

/// `1 <= cipher_len <= blob_len <= MAX_BLOB_LEN` and `size <= cipher_len`.
fn check_file_lengths(blob_len: u64, cipher_len: u64, size: u64) -> Result<(), DecodeError> {
    if blob_len == 0 || blob_len > MAX_BLOB_LEN {
        return Err(DecodeError::InvalidValue("blob length"));
    }
    if cipher_len == 0 || cipher_len > blob_len {
        return Err(DecodeError::InvalidValue("cipher length"));
    }
    if size > cipher_len {
        return Err(DecodeError::InvalidValue("file size"));
    }
    Ok(())
}

fn check_key_package(kp: &[u8]) -> Result<(), DecodeError> {
    check_len("key package", kp.len(), MAX_KEY_PACKAGE_LEN)?;
    if kp.is_empty() {
        return Err(DecodeError::InvalidValue("key package"));
    }
    Ok(())
}

fn check_welcome(w: &[u8]) -> Result<(), DecodeError> {
    check_len("welcome", w.len(), MAX_WELCOME_LEN)?;
    if w.is_empty() {
        return Err(DecodeError::InvalidValue("welcome"));
    }
    Ok(())
}

fn check_display_name(name: &str) -> Result<(), DecodeError> {
    check_len("display name", name.len(), MAX_DISPLAY_NAME_LEN)?;
    if is_valid_display_name(name) {
        Ok(())
    } else {
        Err(DecodeError::InvalidValue("display name"))
    }
}

fn read_display_name(r: &mut Reader<'_>) -> Result<String, DecodeError> {
    let name = utf8(
        "display name",
        r.short_bytes("display name", MAX_DISPLAY_NAME_LEN)?
            .to_vec(),
    )?;
    check_display_name(&name)?;
    Ok(name)
}

fn check_group_name(name: &str) -> Result<(), DecodeError> {
    check_len("group name", name.len(), MAX_GROUP_NAME_LEN)?;
    if name.chars().any(is_forbidden_in_names) {
        return Err(DecodeError::InvalidValue("group name"));
    }
    Ok(())
}

// ------------------------------------------------------------------ names

/// Characters that can make a name lie about itself: control characters,
/// line and paragraph separators, and the bidirectional embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what
/// follows ("invoice\u{202E}fdp.exe"). The bidi *marks* (U+200E, U+200F,
/// U+061C) stay allowed: mixed Arabic and Latin text needs them and they
/// reorder nothing.
pub(crate) fn is_forbidden_in_names(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `name` may be used as a display name: 1 ..=
/// [`MAX_DISPLAY_NAME_LEN`] bytes of UTF-8, not only white space, and no
/// control, line-separator or bidi override characters.
pub fn is_valid_display_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_DISPLAY_NAME_LEN
        && !name.trim().is_empty()
        && !name.chars().any(is_forbidden_in_names)
}

/// Characters replaced by `_` in a saved file name: path separators and the
/// characters Windows refuses in names.
fn is_replaced_in_file_names(c: char) -> bool {
    matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
}

/// Device names Windows reserves whatever the extension (`CON.txt`).
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest extension kept whole when a long name is shortened.
const MAX_KEPT_EXTENSION: usize = 16;

/// A file name that is safe to create in a directory of the user's choice,
/// from the name a sender supplied. It:
///
/// - drops control characters, line separators and bidi overrides;
/// - replaces path separators and `: * ? " < > |` with `_`;
/// - collapses every run of dots to one dot (so no `..` remains);
/// - strips dots and white space at both ends (no hidden files, nothing
///   Windows would trim);
/// - prefixes `_` to a Windows device name (`CON`, `lpt1.txt`);
/// - shortens the name to [`MAX_FILE_NAME_LEN`] bytes, keeping a short
///   extension;
/// - returns `file` if nothing is left.
///
/// The result is never empty and applying the function again changes
/// nothing.
pub fn sanitize_file_name(name: &str) -> String {
    let mut s = String::with_capacity(name.len().min(4 * MAX_FILE_NAME_LEN));
    for c in name.chars() {
        if is_forbidden_in_names(c) {
            continue;
        }
        let c = if is_replaced_in_file_names(c) { '_' } else { c };
        if c == '.' && s.ends_with('.') {
            continue;
        }
        s.push(c);
    }
    let mut s = trim_name(&s).to_string();
    let stem = s.split('.').next().unwrap_or_default();
    if WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem.trim_end()))
    {
        s.insert(0, '_');
    }
    if s.len() > MAX_FILE_NAME_LEN {
        s = shorten(&s, MAX_FILE_NAME_LEN);
        // Shortening may join a stem ending in a dot to the extension.
        s = s.replace("..", ".");
        s = trim_name(&s).to_string();
    }
    if s.is_empty() {
        s.push_str("file");
    }
    s
}

fn trim_name(s: &str) -> &str {
    s.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// The longest prefix of `s` of at most `max` bytes that ends on a
/// character boundary.
fn prefix_at_most(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Shorten `s` to at most `max` bytes, keeping an extension of at most
/// [`MAX_KEPT_EXTENSION`] bytes.
fn shorten(s: &str, max: usize) -> String {
    if let Some(dot) = s.rfind('.') {
        let ext = &s[dot..];
        if dot > 0 && ext.len() <= MAX_KEPT_EXTENSION {
            return format!("{}{ext}", prefix_at_most(&s[..dot], max - ext.len()));
        }
    }
    prefix_at_most(s, max).to_string()
}

// ------------------------------------------------------------------ Debug

/// Shows a size instead of the bytes.
struct Len(usize);

impl fmt::Debug for Len {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// Kinds and sizes only: what was said never reaches a log.
impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Content::Text { body } => f
                .debug_struct("Text")
                .field("body", &Len(body.len()))
                .finish(),
            Content::File(r) => f.debug_tuple("File").field(r).finish(),
            Content::Hello {
                display_name,
                key_packages,
            } => f
                .debug_struct("Hello")
                .field("display_name", &Len(display_name.len()))
                .field(
                    "key_packages",
                    &key_packages
                        .iter()
                        .map(|k| Len(k.len()))
                        .collect::<Vec<_>>(),
                )
                .finish(),
            Content::Welcome(g) => f.debug_tuple("Welcome").field(g).finish(),
            Content::Evidence(e) => f.debug_tuple("Evidence").field(e).finish(),
            Content::Enrolment(e) => f.debug_tuple("Enrolment").field(e).finish(),
            Content::EvidenceConfirmed { verified, .. } => f
                .debug_struct("EvidenceConfirmed")
                .field("verified", verified)
                .finish_non_exhaustive(),
        }
    }
}

impl fmt::Debug for FileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileRef")
            .field("blob_id", &self.blob_id)
            .field("blob_len", &self.blob_len)
            .field("cipher_len", &self.cipher_len)
            .field("age_identity", &self.age_identity)
            .field("name", &Len(self.name.len()))
            .field("media_type", &Len(self.media_type.len()))
            .field("size", &self.size)
            .field("sha256", &format_args!(".."))
            .finish()
    }
}

impl fmt::Debug for EvidenceItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EvidenceItem")
            .field("manifest", &self.manifest)
            .field("salt", &self.salt)
            .field("seen_checkpoint", &self.seen_checkpoint.is_some())
            .field("enrolment", &self.enrolment.is_some())
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for GroupWelcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupWelcome")
            .field("welcome", &Len(self.welcome.len()))
            .field("mailbox", &self.mailbox)
            .field("group_name", &Len(self.group_name.len()))
            .field("from_name", &Len(self.from_name.len()))
            .finish()
    }
}

impl fmt::Debug for GroupMailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupMailbox")
            .field("receive_id", &self.receive_id)
            .field("send_id", &self.send_id)
            .field("owner_seed", &self.owner_seed)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGE_ID: &str =
        "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";

    fn file() -> FileRef {
        FileRef {
            blob_id: BlobId([b'B'; 32]),
            blob_len: 2048,
            cipher_len: 1900,
            age_identity: AgeIdentity::new(AGE_ID.into()).expect("valid identity"),
            name: "شهادة.m4a".into(),
            media_type: "audio/mp4".into(),
            size: 1700,
            sha256: [0x5a; 32],
        }
    }

    fn welcome() -> GroupWelcome {
        GroupWelcome {
            welcome: vec![9; 100],
            mailbox: GroupMailbox {
                receive_id: ReceiveId([b'R'; 16]),
                send_id: SendId([b'S'; 16]),
                owner_seed: OwnerSeed::from_bytes([0x42; 32]),
            },
            group_name: "مكتب تونس".into(),
            from_name: "Amal".into(),
        }
    }

    fn round_trip(c: &Content) -> Content {
        Content::decode(&c.encode().expect("encodes")).expect("decodes")
    }

    #[test]
    fn every_kind_round_trips() {
        for c in [
            Content::Text {
                body: "مرحبا".into(),
            },
            Content::Text {
                body: String::new(),
            },
            Content::File(file()),
            Content::Hello {
                display_name: "Amal".into(),
                key_packages: vec![vec![1; 10], vec![2; MAX_KEY_PACKAGE_LEN]],
            },
            Content::Welcome(welcome()),
        ] {
            assert_eq!(round_trip(&c), c);
        }
    }

    #[test]
    fn an_unknown_kind_is_reported_as_such_whatever_follows() {
        assert_eq!(
            Content::decode(&[1, 0x08, 1, 2, 3]),
            Err(ContentError::UnknownKind(8))
        );
        assert_eq!(Content::decode(&[1, 0]), Err(ContentError::UnknownKind(0)));
        assert_eq!(
            Content::decode(&[2, kind::TEXT]),
            Err(ContentError::UnsupportedVersion(2))
        );
        assert_eq!(
            Content::decode(&[]),
            Err(ContentError::Malformed(DecodeError::Truncated {
                needed: 1
            }))
        );
    }

    #[test]
    fn the_largest_content_of_every_kind_fits_the_content_limit() {
        let big = [
            Content::Text {
                body: "x".repeat(MAX_TEXT_LEN),
            },
            Content::Hello {
                display_name: "x".repeat(MAX_DISPLAY_NAME_LEN),
                key_packages: vec![vec![1; MAX_KEY_PACKAGE_LEN]; MAX_HELLO_KEY_PACKAGES],
            },
            Content::Welcome(GroupWelcome {
                welcome: vec![1; MAX_WELCOME_LEN],
                group_name: "x".repeat(MAX_GROUP_NAME_LEN),
                from_name: "x".repeat(MAX_DISPLAY_NAME_LEN),
                ..welcome()
            }),
            Content::File(FileRef {
                name: "x".repeat(MAX_FILE_NAME_LEN),
                media_type: "x".repeat(MAX_MEDIA_TYPE_LEN),
                ..file()
            }),
        ];
        for c in big {
            let b = c.encode().expect("largest content encodes");
            assert!(b.len() <= MAX_CONTENT_LEN, "{c:?}: {}", b.len());
            assert_eq!(Content::decode(&b), Ok(c));
        }
        let over = vec![0u8; MAX_CONTENT_LEN + 1];
        assert_eq!(
            Content::decode(&over),
            Err(ContentError::Malformed(DecodeError::TooLong {
                field: "content",
                len: MAX_CONTENT_LEN as u64 + 1,
                max: MAX_CONTENT_LEN as u64,
            }))
        );
    }

    #[test]
    fn encoder_refuses_each_field_over_its_limit_with_the_decoders_error() {
        use Want::{Invalid, TooLong};
        enum Want {
            TooLong(&'static str),
            Invalid(&'static str),
        }
        let cases = vec![
            (
                Content::Text {
                    body: "x".repeat(MAX_TEXT_LEN + 1),
                },
                TooLong("text"),
            ),
            (
                Content::File(FileRef {
                    name: "x".repeat(MAX_FILE_NAME_LEN + 1),
                    ..file()
                }),
                TooLong("file name"),
            ),
            (
                Content::File(FileRef {
                    media_type: "audio/\n".into(),
                    ..file()
                }),
                Invalid("media type"),
            ),
            (
                Content::File(FileRef {
                    cipher_len: 2049,
                    ..file()
                }),
                Invalid("cipher length"),
            ),
            (
                Content::File(FileRef {
                    size: 1901,
                    ..file()
                }),
                Invalid("file size"),
            ),
            (
                Content::File(FileRef {
                    blob_len: MAX_BLOB_LEN + 1,
                    ..file()
                }),
                Invalid("blob length"),
            ),
            (
                Content::Hello {
                    display_name: "Amal".into(),
                    key_packages: vec![vec![1]; MAX_HELLO_KEY_PACKAGES + 1],
                },
                TooLong("key packages"),
            ),
            (
                Content::Hello {
                    display_name: "Amal".into(),
                    key_packages: vec![vec![]],
                },
                Invalid("key package"),
            ),
            (
                Content::Hello {
                    display_name: "Amal\u{202E}".into(),
                    key_packages: vec![],
                },
                Invalid("display name"),
            ),
            (
                Content::Welcome(GroupWelcome {
                    welcome: vec![],
                    ..welcome()
                }),
                Invalid("welcome"),
            ),
            (
                Content::Welcome(GroupWelcome {
                    group_name: "a\u{2066}b".into(),
                    ..welcome()
                }),
                Invalid("group name"),
            ),
            (
                Content::Welcome(GroupWelcome {
                    from_name: String::new(),
                    ..welcome()
                }),
                Invalid("display name"),
            ),
        ];
        for (c, want) in cases {
            let e = c.encode().expect_err("over a limit");
            let ok = match (&e, want) {
                (ContentError::Malformed(DecodeError::TooLong { field, .. }), TooLong(w)) => {
                    *field == w
                }
                (ContentError::Malformed(DecodeError::InvalidValue(field)), Invalid(w)) => {
                    *field == w
                }
                _ => false,
            };
            assert!(ok, "{c:?}: {e:?}");
        }
    }

    #[test]
    fn age_identities_of_the_wrong_shape_are_refused() {
        for bad in [
            "",
            "AGE-SECRET-KEY-1",
            "age-secret-key-1qqqq",
            "AGE-SECRET-KEY-1QQQB",
            "AGE-SECRET-KEY-1QQQ QQ",
            "AGE-PLUGIN-YUBIKEY-1QQQQ",
        ] {
            assert!(AgeIdentity::new(bad.into()).is_err(), "{bad}");
        }
        let long = format!("{AGE_IDENTITY_PREFIX}{}", "Q".repeat(MAX_AGE_IDENTITY_LEN));
        assert!(matches!(
            AgeIdentity::new(long),
            Err(ContentError::Malformed(DecodeError::TooLong { .. }))
        ));
    }

    #[test]
    fn secrets_and_words_never_appear_in_debug_output() {
        let s = format!(
            "{:?} {:?} {:?}",
            Content::File(file()),
            Content::Welcome(welcome()),
            Content::Text {
                body: "the secret testimony".into()
            }
        );
        for leak in [
            "QQQQ",
            "66, 66",
            "شهادة",
            "audio",
            "secret testimony",
            "Amal",
            "تونس",
        ] {
            assert!(!s.contains(leak), "{leak} in {s}");
        }
        assert!(s.contains("<secret>"));
    }

    #[test]
    fn owner_seed_gives_the_owner_key_of_its_signing_key() {
        let seed = OwnerSeed::from_bytes([0x42; 32]);
        assert_eq!(
            seed.owner_key().0,
            SigningKey::from_bytes(&[0x42; 32])
                .verifying_key()
                .to_bytes()
        );
        assert_ne!(seed, OwnerSeed::from_bytes([0x43; 32]));
    }

    #[test]
    fn display_names_refuse_control_bidi_and_blank_names() {
        for good in [
            "Amal",
            "أمل",
            "Amal (Tunis)",
            "x",
            &"x".repeat(64),
            "أمل\u{200F}",
        ] {
            assert!(is_valid_display_name(good), "{good:?}");
        }
        for bad in [
            "",
            "   ",
            &"x".repeat(65),
            "a\nb",
            "a\u{0}",
            "a\u{7f}",
            "a\u{85}",
            "a\u{2028}",
            "a\u{202A}",
            "a\u{202E}",
            "a\u{2066}",
            "a\u{2069}",
        ] {
            assert!(!is_valid_display_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn sanitized_file_names_cannot_escape_hide_or_reorder() {
        let cases = [
            ("report.pdf", "report.pdf"),
            ("../../etc/passwd", "_._etc_passwd"),
            ("..\\..\\Windows\\win.ini", "_._Windows_win.ini"),
            ("/abs/path.txt", "_abs_path.txt"),
            (".hidden", "hidden"),
            ("...", "file"),
            ("", "file"),
            ("  \u{0}\u{7}  ", "file"),
            ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
            ("a\u{2066}b\u{2069}.jpg", "ab.jpg"),
            ("photo..jpg", "photo.jpg"),
            ("name. . .", "name"),
            ("C:evil.txt", "C_evil.txt"),
            ("a<b>c|d?e*f\"g", "a_b_c_d_e_f_g"),
            ("CON", "_CON"),
            ("lpt1.txt", "_lpt1.txt"),
            ("CONSOLE.txt", "CONSOLE.txt"),
            ("شهادة ١.m4a", "شهادة ١.m4a"),
            ("trailing. ", "trailing"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize_file_name(input), want, "{input:?}");
            assert_eq!(sanitize_file_name(want), want, "idempotent on {want:?}");
        }
    }

    #[test]
    fn long_file_names_are_shortened_keeping_the_extension() {
        let long = format!("{}.jpeg", "ش".repeat(300));
        let s = sanitize_file_name(&long);
        assert!(s.len() <= MAX_FILE_NAME_LEN);
        assert!(s.ends_with("ش.jpeg"), "{s}");
        let long_ext = format!("a.{}", "x".repeat(300));
        assert_eq!(sanitize_file_name(&long_ext).len(), MAX_FILE_NAME_LEN);
        // Shortening cuts the stem just after a dot: the dots must not pile up.
        let cut_at_dot = format!("{}.{}.jpg", "a".repeat(250), "b".repeat(10));
        assert_eq!(
            sanitize_file_name(&cut_at_dot),
            format!("{}.jpg", "a".repeat(250))
        );
    }
}
