//! The offline verifier of an exported bundle (`docs/evidence-format.md`
//! §7): no network, no clock, no secrets. [`verify_bundle`] runs every check
//! it can, records each with its outcome in a [`Verdict`], and yields a
//! [`VerifiedBundle`] (the facts established) only when nothing failed.
//!
//! Every way a bundle can be wrong is its own [`BundleError`] variant with a
//! stable identifier ([`BundleError::id`]), so that reports, scripts and
//! translations never match on message text.

use std::fmt;
use std::io::{Read, Seek};

use ed25519_dalek::VerifyingKey;

use super::bundle::{self, proof_from_text, Container};
use super::chain::ChainItem;
use super::commitment::matches;
use super::derivative::{SignedDerivative, VerifiedDerivative};
use super::enrolment::{SignedEnrolment, VerifiedEnrolment};
use super::manifest::{SignedManifest, VerifiedManifest};
use super::Salt;
use crate::limits::{
    DEVICE_CLOCK_TOLERANCE_SECS, MAX_BUNDLE_PART_LEN, MAX_BUNDLE_SUMMARY_LEN, MAX_EVIDENCE_LEN,
    MAX_SIGNED_MANIFEST_LEN, MAX_TSA_TOKEN_LEN,
};
use crate::log::checkpoint::CheckpointError;
use crate::log::merkle::Hash;
use crate::log::note::NoteVerifier;
use crate::log::proof::{verify_consistency, ProofError};
use crate::log::VerifiedReceipt;
use crate::log::{LogKey, Receipt, ReceiptError, SignedCheckpoint, VerifiedCheckpoint};
use crate::tsa::{self, TsaError};

/// A part of a bundle.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Part {
    /// `sanad-bundle.txt`.
    Marker,
    /// `original/…`.
    Original,
    /// `manifest.bin`.
    Manifest,
    /// `salt.bin`.
    Salt,
    /// `receipt.txt`.
    Receipt,
    /// `enrolment.bin`.
    Enrolment,
    /// `keys/log-key.txt`.
    LogKey,
    /// `keys/desk-key.txt`.
    DeskKey,
    /// `log/seen-checkpoint.txt`.
    SeenCheckpoint,
    /// `log/seen-to-receipt.txt`.
    SeenProof,
    /// `log/latest-checkpoint.txt`.
    LatestCheckpoint,
    /// `log/receipt-to-latest.txt`.
    LatestProof,
    /// A file of `anchors/N/`.
    Anchor(u8),
    /// `derivatives/N.bin`.
    Derivative(u8),
    /// `summary.json`.
    Summary,
}

/// Which checkpoint of a bundle.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CheckpointRole {
    /// The receipt's.
    Receipt,
    /// The one the device had seen.
    Seen,
    /// The recent one.
    Latest,
    /// The one of anchor N.
    Anchor(u8),
}

/// Every way a bundle can be wrong. [`BundleError::id`] is the stable name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// `bundle-too-large`.
    #[error("the bundle is {len} bytes long, more than a bundle can be")]
    BundleTooLarge {
        /// Its length.
        len: u64,
    },
    /// `bundle-too-many-entries`.
    #[error("the bundle has {count} entries, more than a bundle can have")]
    BundleTooManyEntries {
        /// The count.
        count: u64,
    },
    /// `bundle-malformed`: not a ZIP archive as a bundle must be (what is
    /// wrong is said).
    #[error("the bundle is not a valid archive: {0}")]
    BundleMalformed(&'static str),
    /// `bundle-duplicate-entry`.
    #[error("the bundle has two entries with the same name, or two originals")]
    BundleDuplicateEntry,
    /// `bundle-unknown-entry`.
    #[error("the bundle has an entry that is not part of the format")]
    BundleUnknownEntry,
    /// `bundle-unsafe-name`.
    #[error("the original's name in the bundle is not a safe file name")]
    BundleUnsafeName,
    /// `bundle-unsupported-version`.
    #[error("the bundle is of a format version this verifier does not know")]
    BundleUnsupportedVersion,
    /// `bundle-crc-mismatch`.
    #[error("entry {entry} does not match its CRC-32 (damaged)")]
    BundleCrcMismatch {
        /// The entry.
        entry: String,
    },
    /// `part-missing`.
    #[error("the bundle lacks a required part: {0:?}")]
    MissingPart(Part),
    /// `part-too-large`.
    #[error("entry {entry} is {len} bytes long; at most {max} are accepted")]
    PartTooLarge {
        /// The entry.
        entry: String,
        /// Its length.
        len: u64,
        /// The limit.
        max: u64,
    },
    /// `part-malformed`.
    #[error("a part of the bundle is malformed: {0:?}")]
    PartMalformed(Part),
    /// `manifest-signature-invalid`.
    #[error("the manifest's signature by its device key does not verify")]
    ManifestSignatureInvalid,
    /// `content-hash-mismatch`.
    #[error("the original file's SHA-256 is not the manifest's: it was changed")]
    ContentHashMismatch,
    /// `content-truncated`.
    #[error("the original file is shorter than the manifest says ({got} of {expected} bytes)")]
    ContentTruncated {
        /// The manifest's length.
        expected: u64,
        /// The file's.
        got: u64,
    },
    /// `content-too-long`.
    #[error("the original file is longer than the manifest's {expected} bytes")]
    ContentTooLong {
        /// The manifest's length.
        expected: u64,
    },
    /// `device-not-enrolled`.
    #[error("the device key that signed the manifest is not enrolled by the bundle's enrolment")]
    DeviceNotEnrolled,
    /// `enrolment-signature-invalid`.
    #[error("the enrolment's signature by the desk key does not verify")]
    EnrolmentSignatureInvalid,
    /// `desk-key-mismatch`.
    #[error("the enrolment is signed by another desk key than the bundle's")]
    DeskKeyMismatch,
    /// `desk-key-untrusted`.
    #[error("the bundle's desk key is not one of the trusted desk keys")]
    DeskKeyUntrusted,
    /// `log-key-untrusted`.
    #[error("the bundle's log key is not one of the trusted log keys")]
    LogKeyUntrusted,
    /// `receipt-other-log`.
    #[error("the receipt is from another log than the bundle's log key")]
    ReceiptOtherLog,
    /// `checkpoint-other-log`.
    #[error("the {0:?} checkpoint is from another log")]
    CheckpointOtherLog(CheckpointRole),
    /// `checkpoint-signature-invalid`.
    #[error("the {0:?} checkpoint's signature by the log key does not verify")]
    CheckpointSignatureInvalid(CheckpointRole),
    /// `inclusion-proof-invalid`.
    #[error("the receipt's inclusion proof is malformed for its index and tree")]
    InclusionProofInvalid,
    /// `inclusion-other-leaf`.
    #[error("the receipt's inclusion proof is for another leaf, index or tree")]
    InclusionOtherLeaf,
    /// `commitment-mismatch`.
    #[error("the logged commitment is not the commitment to this manifest and salt")]
    CommitmentMismatch,
    /// `seen-checkpoint-missing`.
    #[error("the manifest names a seen checkpoint the bundle does not carry")]
    SeenCheckpointMissing,
    /// `seen-checkpoint-unexpected`.
    #[error("the bundle carries a seen checkpoint the manifest does not name")]
    SeenCheckpointUnexpected,
    /// `seen-checkpoint-mismatch`.
    #[error("the seen checkpoint is not the one the manifest names")]
    SeenCheckpointMismatch,
    /// `seen-checkpoint-after-commitment`.
    #[error("the seen checkpoint is larger than the log when the commitment was appended")]
    SeenCheckpointAfterCommitment,
    /// `checkpoint-older-than-receipt`.
    #[error("the {0:?} checkpoint is smaller than the receipt's")]
    CheckpointOlderThanReceipt(CheckpointRole),
    /// `log-fork`.
    #[error("the {0:?} checkpoint and the receipt's are not consistent: the log forked")]
    LogFork(CheckpointRole),
    /// `device-time-before-seen-checkpoint`.
    #[error(
        "the device time ({device_time}) is before the seen checkpoint ({seen_time}): back-dated"
    )]
    DeviceTimeBeforeSeenCheckpoint {
        /// The manifest's device time.
        device_time: u64,
        /// The seen checkpoint's time.
        seen_time: u64,
    },
    /// `device-time-after-receipt`.
    #[error("the device time ({device_time}) is after the receipt's checkpoint ({receipt_time})")]
    DeviceTimeAfterReceipt {
        /// The manifest's device time.
        device_time: u64,
        /// The receipt checkpoint's time.
        receipt_time: u64,
    },
    /// `device-time-after-anchor`.
    #[error("the device time is after the time of anchor {0}")]
    DeviceTimeAfterAnchor(u8),
    /// `tsa-token-malformed`.
    #[error("timestamp token {0} is malformed: {1}")]
    TsaTokenMalformed(u8, TsaError),
    /// `tsa-token-other-hash`.
    #[error("timestamp token {0} is for other data than its checkpoint")]
    TsaTokenOtherHash(u8),
    /// `tsa-signature-invalid`.
    #[error("timestamp token {0}'s signature does not verify: {1}")]
    TsaSignatureInvalid(u8, TsaError),
    /// `tsa-untrusted`.
    #[error("timestamp token {0} is not from a trusted TSA certificate: {1}")]
    TsaUntrusted(u8, TsaError),
    /// `derivative-signature-invalid`.
    #[error("derivative record {0}'s signature does not verify")]
    DerivativeSignatureInvalid(u8),
    /// `derivative-other-original`.
    #[error("derivative record {0} is for another original")]
    DerivativeOtherOriginal(u8),
    /// `derivative-signer-unknown`.
    #[error("derivative record {0} is signed by a key that is not the desk's")]
    DerivativeSignerUnknown(u8),
}

impl BundleError {
    /// The stable identifier of this failure (`docs/evidence-format.md` §7).
    pub fn id(&self) -> &'static str {
        use BundleError as E;
        match self {
            E::BundleTooLarge { .. } => "bundle-too-large",
            E::BundleTooManyEntries { .. } => "bundle-too-many-entries",
            E::BundleMalformed(_) => "bundle-malformed",
            E::BundleDuplicateEntry => "bundle-duplicate-entry",
            E::BundleUnknownEntry => "bundle-unknown-entry",
            E::BundleUnsafeName => "bundle-unsafe-name",
            E::BundleUnsupportedVersion => "bundle-unsupported-version",
            E::BundleCrcMismatch { .. } => "bundle-crc-mismatch",
            E::MissingPart(_) => "part-missing",
            E::PartTooLarge { .. } => "part-too-large",
            E::PartMalformed(_) => "part-malformed",
            E::ManifestSignatureInvalid => "manifest-signature-invalid",
            E::ContentHashMismatch => "content-hash-mismatch",
            E::ContentTruncated { .. } => "content-truncated",
            E::ContentTooLong { .. } => "content-too-long",
            E::DeviceNotEnrolled => "device-not-enrolled",
            E::EnrolmentSignatureInvalid => "enrolment-signature-invalid",
            E::DeskKeyMismatch => "desk-key-mismatch",
            E::DeskKeyUntrusted => "desk-key-untrusted",
            E::LogKeyUntrusted => "log-key-untrusted",
            E::ReceiptOtherLog => "receipt-other-log",
            E::CheckpointOtherLog(_) => "checkpoint-other-log",
            E::CheckpointSignatureInvalid(_) => "checkpoint-signature-invalid",
            E::InclusionProofInvalid => "inclusion-proof-invalid",
            E::InclusionOtherLeaf => "inclusion-other-leaf",
            E::CommitmentMismatch => "commitment-mismatch",
            E::SeenCheckpointMissing => "seen-checkpoint-missing",
            E::SeenCheckpointUnexpected => "seen-checkpoint-unexpected",
            E::SeenCheckpointMismatch => "seen-checkpoint-mismatch",
            E::SeenCheckpointAfterCommitment => "seen-checkpoint-after-commitment",
            E::CheckpointOlderThanReceipt(_) => "checkpoint-older-than-receipt",
            E::LogFork(_) => "log-fork",
            E::DeviceTimeBeforeSeenCheckpoint { .. } => "device-time-before-seen-checkpoint",
            E::DeviceTimeAfterReceipt { .. } => "device-time-after-receipt",
            E::DeviceTimeAfterAnchor(_) => "device-time-after-anchor",
            E::TsaTokenMalformed(..) => "tsa-token-malformed",
            E::TsaTokenOtherHash(_) => "tsa-token-other-hash",
            E::TsaSignatureInvalid(..) => "tsa-signature-invalid",
            E::TsaUntrusted(..) => "tsa-untrusted",
            E::DerivativeSignatureInvalid(_) => "derivative-signature-invalid",
            E::DerivativeOtherOriginal(_) => "derivative-other-original",
            E::DerivativeSignerUnknown(_) => "derivative-signer-unknown",
        }
    }
}

/// What the verifier is told besides the bundle. Everything is optional:
/// without trusted keys the verifier reports which keys it relied on.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// Desk enrolment keys the verifier trusts (obtained from the desk by
    /// another channel). Empty: the bundle's own desk key is used and the
    /// verdict says it was not pinned.
    pub trusted_desk_keys: Vec<VerifyingKey>,
    /// Log keys the verifier trusts. Empty: the bundle's own log key is used
    /// and the verdict says so.
    pub trusted_log_keys: Vec<LogKey>,
    /// Certificates (DER) of the timestamp authorities the verifier trusts.
    /// Empty: anchors are checked against the log but their tokens are not
    /// (and give no time).
    pub tsa_certs: Vec<Vec<u8>>,
}

/// The checks of §7, in order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CheckId {
    /// The container and its entries.
    Container,
    /// Every part decodes.
    Parts,
    /// The manifest's signature.
    ManifestSignature,
    /// The original against the manifest.
    Content,
    /// The log key against the trusted ones.
    LogKey,
    /// The receipt: checkpoint signature and inclusion proof.
    Receipt,
    /// The logged commitment against the manifest and salt.
    Commitment,
    /// The device's enrolment.
    Enrolment,
    /// The desk key against the trusted ones.
    DeskKey,
    /// The seen checkpoint and its consistency with the receipt's.
    SeenCheckpoint,
    /// The recent checkpoint and its consistency with the receipt's.
    LatestCheckpoint,
    /// The device time within the window the log proves.
    DeviceTime,
    /// Anchor N: checkpoint, consistency, token.
    Anchor(u8),
    /// Derivative record N.
    Derivative(u8),
}

impl CheckId {
    /// A stable name (`anchor-2`, `manifest-signature`).
    pub fn name(&self) -> String {
        match self {
            CheckId::Container => "container".into(),
            CheckId::Parts => "parts".into(),
            CheckId::ManifestSignature => "manifest-signature".into(),
            CheckId::Content => "content".into(),
            CheckId::LogKey => "log-key".into(),
            CheckId::Receipt => "receipt".into(),
            CheckId::Commitment => "commitment".into(),
            CheckId::Enrolment => "enrolment".into(),
            CheckId::DeskKey => "desk-key".into(),
            CheckId::SeenCheckpoint => "seen-checkpoint".into(),
            CheckId::LatestCheckpoint => "latest-checkpoint".into(),
            CheckId::DeviceTime => "device-time".into(),
            CheckId::Anchor(n) => format!("anchor-{n}"),
            CheckId::Derivative(n) => format!("derivative-{n}"),
        }
    }
}

/// Why a check was not run. None of these is a failure.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NotRun {
    /// A check it depends on failed (that failure is reported there).
    EarlierFailure,
    /// No trusted keys were given: the bundle's own key was used.
    NotPinned,
    /// The manifest names no seen checkpoint (the device had seen none).
    NoSeenCheckpoint,
    /// No checkpoint time is available to bound the device time.
    NoTime,
    /// No trusted TSA certificate was given: the token was not checked.
    NoTsaCertificates,
}

/// The outcome of one check.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// It holds.
    Passed,
    /// It does not hold.
    Failed(BundleError),
    /// It was not run (see [`NotRun`]).
    NotRun(NotRun),
}

/// One check and its outcome.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// What came of it.
    pub outcome: Outcome,
}

/// What the log and the TSAs prove about when the item was captured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CaptureWindow {
    /// The device's clock at capture: **untrusted**, shown for comparison.
    pub device_time: u64,
    /// Not before: the relay's time on the checkpoint the device had seen
    /// (`None` when the device had seen none, or the checkpoint carries no
    /// time).
    pub not_before: Option<u64>,
    /// Not after, by the relay's word: the time on the receipt's checkpoint.
    pub not_after_relay: Option<u64>,
    /// Not after, by independent timestamp authorities: the earliest
    /// verified TSA time.
    pub not_after_tsa: Option<u64>,
}

/// A verified RFC 3161 anchor.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedAnchor {
    /// Its number in the bundle (1-based).
    pub number: u8,
    /// The anchored checkpoint's size (≥ the receipt's).
    pub tree_size: u64,
    /// The TSA's time (`genTime`, Unix seconds).
    pub tsa_time: u64,
    /// The TSA certificate's subject.
    pub tsa_name: String,
}

/// The facts a bundle establishes. Only [`verify_bundle`] makes one, and
/// only when no check failed.
#[derive(Clone, Debug)]
pub struct VerifiedBundle {
    manifest: VerifiedManifest,
    enrolment: VerifiedEnrolment,
    desk_key_pinned: bool,
    log_key: LogKey,
    log_key_pinned: bool,
    receipt: VerifiedReceipt,
    latest: VerifiedCheckpoint,
    window: CaptureWindow,
    anchors: Vec<VerifiedAnchor>,
    derivatives: Vec<VerifiedDerivative>,
    original_name: String,
}

impl VerifiedBundle {
    /// The verified manifest (content hash and length, case, fields…).
    pub fn manifest(&self) -> &VerifiedManifest {
        &self.manifest
    }
    /// The enrolment: "device X of partner organisation Y".
    pub fn enrolment(&self) -> &VerifiedEnrolment {
        &self.enrolment
    }
    /// Whether the desk key was one of the trusted keys given (otherwise
    /// the bundle's own key was relied on).
    pub fn desk_key_pinned(&self) -> bool {
        self.desk_key_pinned
    }
    /// The log key the receipt verified under.
    pub fn log_key(&self) -> &LogKey {
        &self.log_key
    }
    /// Whether the log key was one of the trusted keys given.
    pub fn log_key_pinned(&self) -> bool {
        self.log_key_pinned
    }
    /// The verified receipt: the commitment's leaf index and checkpoint.
    pub fn receipt(&self) -> &VerifiedReceipt {
        &self.receipt
    }
    /// The recent checkpoint, consistent with the receipt's.
    pub fn latest(&self) -> &VerifiedCheckpoint {
        &self.latest
    }
    /// When the item was captured, as far as it is proven.
    pub fn window(&self) -> &CaptureWindow {
        &self.window
    }
    /// The verified anchors.
    pub fn anchors(&self) -> &[VerifiedAnchor] {
        &self.anchors
    }
    /// The verified derivative records.
    pub fn derivatives(&self) -> &[VerifiedDerivative] {
        &self.derivatives
    }
    /// The original's name inside the bundle (after `original/`).
    pub fn original_name(&self) -> &str {
        &self.original_name
    }
    /// This item for [`super::check_device_chain`].
    pub fn chain_item(&self) -> ChainItem {
        ChainItem::from(&self.manifest)
    }
}

/// Every check with its outcome, and the verified bundle when all hold.
#[derive(Debug)]
pub struct Verdict {
    /// Every check run or skipped, in order.
    pub checks: Vec<Check>,
    verified: Option<VerifiedBundle>,
}

impl Verdict {
    /// The verified bundle, when every check held.
    pub fn verified(&self) -> Option<&VerifiedBundle> {
        self.verified.as_ref()
    }

    /// Take the verified bundle, or the first failure.
    pub fn into_result(self) -> Result<VerifiedBundle, BundleError> {
        match self.verified {
            Some(v) => Ok(v),
            None => Err(self
                .failures()
                .next()
                .cloned()
                .unwrap_or(BundleError::BundleMalformed("not verified"))),
        }
    }

    /// Every failure, in order.
    pub fn failures(&self) -> impl Iterator<Item = &BundleError> {
        self.checks.iter().filter_map(|c| match &c.outcome {
            Outcome::Failed(e) => Some(e),
            _ => None,
        })
    }
}

/// The time the log key put on a verified checkpoint: its timestamped
/// cosignature (C2SP `cosignature/v1`), the relay's word.
fn checkpoint_time(c: &VerifiedCheckpoint) -> Option<u64> {
    Some(c.time())
}

struct Run {
    checks: Vec<Check>,
}

impl Run {
    fn push(&mut self, id: CheckId, outcome: Outcome) {
        self.checks.push(Check { id, outcome });
    }
    fn result<T>(&mut self, id: CheckId, r: Result<T, BundleError>) -> Option<T> {
        match r {
            Ok(v) => {
                self.push(id, Outcome::Passed);
                Some(v)
            }
            Err(e) => {
                self.push(id, Outcome::Failed(e));
                None
            }
        }
    }
    fn skip(&mut self, id: CheckId) {
        self.push(id, Outcome::NotRun(NotRun::EarlierFailure));
    }
    fn failed(&self) -> bool {
        self.checks
            .iter()
            .any(|c| matches!(c.outcome, Outcome::Failed(_)))
    }
}

/// The parts of a bundle, decoded (nothing verified).
struct Parts {
    manifest: SignedManifest,
    salt: Salt,
    receipt: Receipt,
    enrolment: Option<SignedEnrolment>,
    log_key: LogKey,
    desk_key: VerifyingKey,
    seen: Option<(SignedCheckpoint, Vec<Hash>)>,
    latest: (SignedCheckpoint, Vec<Hash>),
    anchors: Vec<(SignedCheckpoint, Vec<Hash>, Vec<u8>)>,
    derivatives: Vec<SignedDerivative>,
}

fn required<R: Read + Seek>(
    c: &mut Container<R>,
    name: &str,
    part: Part,
    max: u64,
) -> Result<Vec<u8>, BundleError> {
    c.part(name, max)?.ok_or(BundleError::MissingPart(part))
}

fn parse<T, E>(part: Part, r: Result<T, E>) -> Result<T, BundleError> {
    r.map_err(|_| BundleError::PartMalformed(part))
}

fn read_parts<R: Read + Seek>(c: &mut Container<R>) -> Result<Parts, BundleError> {
    let max = MAX_BUNDLE_PART_LEN;
    let manifest = required(
        c,
        bundle::MANIFEST,
        Part::Manifest,
        MAX_SIGNED_MANIFEST_LEN as u64,
    )?;
    let manifest = parse(Part::Manifest, SignedManifest::decode(&manifest))?;
    let salt = required(c, bundle::SALT, Part::Salt, 32)?;
    let salt = Salt::from_bytes(parse(Part::Salt, <[u8; 32]>::try_from(salt.as_slice()))?);
    let receipt = required(c, bundle::RECEIPT, Part::Receipt, max)?;
    let receipt = parse(Part::Receipt, Receipt::parse(&receipt))?;
    let enrolment = match c.part(bundle::ENROLMENT, max)? {
        Some(b) => Some(parse(Part::Enrolment, SignedEnrolment::decode(&b))?),
        None => None,
    };
    let log_key = required(c, bundle::LOG_KEY, Part::LogKey, max)?;
    let log_key = std::str::from_utf8(&log_key)
        .ok()
        .and_then(|s| s.strip_suffix('\n'))
        .and_then(|s| NoteVerifier::from_vkey(s).ok())
        .and_then(|v| {
            let k = LogKey::new(*v.public_key());
            (k.verifier() == &v).then_some(k)
        })
        .ok_or(BundleError::PartMalformed(Part::LogKey))?;
    let desk_key = required(c, bundle::DESK_KEY, Part::DeskKey, max)?;
    let desk_key =
        bundle::desk_key_from_text(&desk_key).ok_or(BundleError::PartMalformed(Part::DeskKey))?;
    let linked = |c: &mut Container<R>,
                  note: &str,
                  proof: &str,
                  parts: (Part, Part)|
     -> Result<(SignedCheckpoint, Vec<Hash>), BundleError> {
        let n = required(c, note, parts.0, max)?;
        let p = required(c, proof, parts.1, max)?;
        Ok((
            parse(parts.0, SignedCheckpoint::parse(&n))?,
            proof_from_text(&p).ok_or(BundleError::PartMalformed(parts.1))?,
        ))
    };
    let seen = if c.has(bundle::SEEN_CHECKPOINT) || c.has(bundle::SEEN_TO_RECEIPT) {
        Some(linked(
            c,
            bundle::SEEN_CHECKPOINT,
            bundle::SEEN_TO_RECEIPT,
            (Part::SeenCheckpoint, Part::SeenProof),
        )?)
    } else {
        None
    };
    let latest = linked(
        c,
        bundle::LATEST_CHECKPOINT,
        bundle::RECEIPT_TO_LATEST,
        (Part::LatestCheckpoint, Part::LatestProof),
    )?;
    let mut anchors = Vec::new();
    for n in 1..=c.anchors {
        let part = Part::Anchor(n as u8);
        let (cp, proof) = linked(
            c,
            &bundle::anchor_checkpoint(n),
            &bundle::anchor_proof(n),
            (part, part),
        )?;
        let token = required(c, &bundle::anchor_token(n), part, MAX_TSA_TOKEN_LEN as u64)?;
        anchors.push((cp, proof, token));
    }
    let mut derivatives = Vec::new();
    for n in 1..=c.derivatives {
        let part = Part::Derivative(n as u8);
        let b = required(c, &bundle::derivative(n), part, max)?;
        derivatives.push(parse(part, SignedDerivative::decode(&b))?);
    }
    // Never trusted, never parsed; bounded like the rest.
    c.part(bundle::SUMMARY, MAX_BUNDLE_SUMMARY_LEN)?;
    Ok(Parts {
        manifest,
        salt,
        receipt,
        enrolment,
        log_key,
        desk_key,
        seen,
        latest,
        anchors,
        derivatives,
    })
}

/// Verify a checkpoint of the bundle's log.
fn verify_checkpoint(
    c: &SignedCheckpoint,
    log: &LogKey,
    role: CheckpointRole,
) -> Result<VerifiedCheckpoint, BundleError> {
    c.verify(log).map_err(|e| match e {
        CheckpointError::WrongOrigin => BundleError::CheckpointOtherLog(role),
        _ => BundleError::CheckpointSignatureInvalid(role),
    })
}

/// A later checkpoint, consistent with the receipt's.
fn verify_later(
    receipt: &VerifiedCheckpoint,
    later: &(SignedCheckpoint, Vec<Hash>),
    log: &LogKey,
    role: CheckpointRole,
) -> Result<VerifiedCheckpoint, BundleError> {
    let v = verify_checkpoint(&later.0, log, role)?;
    if v.size() < receipt.size() {
        return Err(BundleError::CheckpointOlderThanReceipt(role));
    }
    verify_consistency(receipt.size(), v.size(), &later.1, receipt.root(), v.root())
        .map_err(|_| BundleError::LogFork(role))?;
    Ok(v)
}

fn receipt_error(e: ReceiptError) -> BundleError {
    match e {
        ReceiptError::Checkpoint(CheckpointError::WrongOrigin) => BundleError::ReceiptOtherLog,
        ReceiptError::Checkpoint(_) => {
            BundleError::CheckpointSignatureInvalid(CheckpointRole::Receipt)
        }
        ReceiptError::Proof(ProofError::RootMismatch) => BundleError::InclusionOtherLeaf,
        ReceiptError::Proof(_) => BundleError::InclusionProofInvalid,
        _ => BundleError::PartMalformed(Part::Receipt),
    }
}

fn tsa_error(n: u8, e: TsaError) -> BundleError {
    use TsaError as T;
    match e {
        T::OtherHash => BundleError::TsaTokenOtherHash(n),
        T::BadSignature | T::MessageDigestMismatch | T::SigningCertificateMismatch => {
            BundleError::TsaSignatureInvalid(n, e)
        }
        T::NoTrustedCertificates
        | T::TooManyTrustedCertificates { .. }
        | T::BadTrustedCertificate { .. }
        | T::UntrustedSigner
        | T::TimeStampingUsageMissing
        | T::TimeStampingUsageNotCritical
        | T::TimeStampingUsageNotExclusive
        | T::KeyUsageForbidsSigning
        | T::CertificateNotValidAtGenTime
        | T::TsaNameMismatch => BundleError::TsaUntrusted(n, e),
        other => BundleError::TsaTokenMalformed(n, other),
    }
}

/// Check a bundle (see the module documentation and
/// `docs/evidence-format.md` §7). Reads the container through `reader`;
/// the original is streamed, never held in memory.
pub fn verify_bundle<R: Read + Seek>(reader: R, opts: &VerifyOptions) -> Verdict {
    let mut run = Run { checks: Vec::new() };
    let verified = verify_into(&mut run, reader, opts);
    let verified = if run.failed() { None } else { verified };
    Verdict {
        checks: run.checks,
        verified,
    }
}

fn verify_into<R: Read + Seek>(
    run: &mut Run,
    reader: R,
    opts: &VerifyOptions,
) -> Option<VerifiedBundle> {
    let mut c = run.result(CheckId::Container, Container::open(reader))?;
    let p = run.result(CheckId::Parts, read_parts(&mut c))?;
    let m = p.manifest.unverified().clone();

    // The manifest, and the original against it.
    let manifest = run.result(
        CheckId::ManifestSignature,
        p.manifest
            .verify()
            .map_err(|_| BundleError::ManifestSignatureInvalid),
    );
    let content = c
        .hash_original(m.content_len.min(MAX_EVIDENCE_LEN))
        .and_then(|(hash, len, crc_ok)| {
            if len < m.content_len {
                Err(BundleError::ContentTruncated {
                    expected: m.content_len,
                    got: len,
                })
            } else if len > m.content_len {
                Err(BundleError::ContentTooLong {
                    expected: m.content_len,
                })
            } else if hash != m.content_sha256 {
                Err(BundleError::ContentHashMismatch)
            } else if !crc_ok {
                Err(BundleError::BundleCrcMismatch {
                    entry: format!("{}{}", bundle::ORIGINAL_DIR, c.original_name()),
                })
            } else {
                Ok(())
            }
        });
    run.result(CheckId::Content, content);

    // The log.
    let log_key_pinned = !opts.trusted_log_keys.is_empty();
    if log_key_pinned {
        let trusted = opts.trusted_log_keys.contains(&p.log_key);
        run.result(
            CheckId::LogKey,
            trusted.then_some(()).ok_or(BundleError::LogKeyUntrusted),
        );
    } else {
        run.push(CheckId::LogKey, Outcome::NotRun(NotRun::NotPinned));
    }
    let receipt = run.result(
        CheckId::Receipt,
        p.receipt.verify(&p.log_key).map_err(receipt_error),
    );
    run.result(
        CheckId::Commitment,
        matches(&p.receipt.leaf, &p.salt, &p.manifest.hash())
            .then_some(())
            .ok_or(BundleError::CommitmentMismatch),
    );

    // Who captured it.
    let enrolment = run.result(
        CheckId::Enrolment,
        (|| {
            let e = p.enrolment.as_ref().ok_or(BundleError::DeviceNotEnrolled)?;
            let v = e
                .verify()
                .map_err(|_| BundleError::EnrolmentSignatureInvalid)?;
            if v.record().device_key != m.device_key {
                return Err(BundleError::DeviceNotEnrolled);
            }
            if v.record().desk_key != p.desk_key {
                return Err(BundleError::DeskKeyMismatch);
            }
            Ok(v)
        })(),
    );
    let desk_key_pinned = !opts.trusted_desk_keys.is_empty();
    if desk_key_pinned {
        let trusted = opts.trusted_desk_keys.contains(&p.desk_key);
        run.result(
            CheckId::DeskKey,
            trusted.then_some(()).ok_or(BundleError::DeskKeyUntrusted),
        );
    } else {
        run.push(CheckId::DeskKey, Outcome::NotRun(NotRun::NotPinned));
    }

    // The checkpoints around the receipt's.
    let mut seen_time = None;
    match (&m.seen_checkpoint, &p.seen, &receipt) {
        (None, None, _) => run.push(
            CheckId::SeenCheckpoint,
            Outcome::NotRun(NotRun::NoSeenCheckpoint),
        ),
        (None, Some(_), _) => {
            run.result::<()>(
                CheckId::SeenCheckpoint,
                Err(BundleError::SeenCheckpointUnexpected),
            );
        }
        (Some(_), None, _) => {
            run.result::<()>(
                CheckId::SeenCheckpoint,
                Err(BundleError::SeenCheckpointMissing),
            );
        }
        (Some(_), Some(_), None) => run.skip(CheckId::SeenCheckpoint),
        (Some(claimed), Some((note, proof)), Some(r)) => {
            let checked = (|| {
                let v = verify_checkpoint(note, &p.log_key, CheckpointRole::Seen)?;
                if v.size() != claimed.size || *v.root() != claimed.root {
                    return Err(BundleError::SeenCheckpointMismatch);
                }
                if v.size() > r.leaf_index() {
                    return Err(BundleError::SeenCheckpointAfterCommitment);
                }
                let rc = r.checkpoint();
                verify_consistency(v.size(), rc.size(), proof, v.root(), rc.root())
                    .map_err(|_| BundleError::LogFork(CheckpointRole::Seen))?;
                Ok(v)
            })();
            seen_time = run
                .result(CheckId::SeenCheckpoint, checked)
                .and_then(|v| checkpoint_time(&v));
        }
    }
    let latest = match &receipt {
        Some(r) => run.result(
            CheckId::LatestCheckpoint,
            verify_later(
                r.checkpoint(),
                &p.latest,
                &p.log_key,
                CheckpointRole::Latest,
            ),
        ),
        None => {
            run.skip(CheckId::LatestCheckpoint);
            None
        }
    };

    // The device's clock against the log's.
    let receipt_time = receipt
        .as_ref()
        .and_then(|r| checkpoint_time(r.checkpoint()));
    if seen_time.is_none() && receipt_time.is_none() {
        run.push(CheckId::DeviceTime, Outcome::NotRun(NotRun::NoTime));
    } else {
        let t = m.device_time;
        let checked = match (seen_time, receipt_time) {
            (Some(s), _) if t.saturating_add(DEVICE_CLOCK_TOLERANCE_SECS) < s => {
                Err(BundleError::DeviceTimeBeforeSeenCheckpoint {
                    device_time: t,
                    seen_time: s,
                })
            }
            (_, Some(r)) if t > r.saturating_add(DEVICE_CLOCK_TOLERANCE_SECS) => {
                Err(BundleError::DeviceTimeAfterReceipt {
                    device_time: t,
                    receipt_time: r,
                })
            }
            _ => Ok(()),
        };
        run.result(CheckId::DeviceTime, checked);
    }

    // Independent times.
    let mut anchors = Vec::new();
    let certs: Vec<&[u8]> = opts.tsa_certs.iter().map(Vec::as_slice).collect();
    for (i, (note, proof, token)) in p.anchors.iter().enumerate() {
        let n = (i + 1) as u8;
        let id = CheckId::Anchor(n);
        let Some(r) = &receipt else {
            run.skip(id);
            continue;
        };
        let linked = (note.clone(), proof.clone());
        let v = match verify_later(
            r.checkpoint(),
            &linked,
            &p.log_key,
            CheckpointRole::Anchor(n),
        ) {
            Ok(v) => v,
            Err(e) => {
                run.push(id, Outcome::Failed(e));
                continue;
            }
        };
        // Two checkpoints of one size must be one tree.
        if let Some(l) = latest.as_ref().filter(|l| l.size() == v.size()) {
            if l.root() != v.root() {
                run.push(
                    id,
                    Outcome::Failed(BundleError::LogFork(CheckpointRole::Anchor(n))),
                );
                continue;
            }
        }
        if certs.is_empty() {
            run.push(id, Outcome::NotRun(NotRun::NoTsaCertificates));
            continue;
        }
        let stamped = note.unverified().to_text();
        let checked = tsa::verify_token(token, stamped.as_bytes(), &certs)
            .map_err(|e| tsa_error(n, e))
            .and_then(|t| {
                if m.device_time > t.gen_time().saturating_add(DEVICE_CLOCK_TOLERANCE_SECS) {
                    return Err(BundleError::DeviceTimeAfterAnchor(n));
                }
                Ok(VerifiedAnchor {
                    number: n,
                    tree_size: v.size(),
                    tsa_time: t.gen_time(),
                    tsa_name: t.tsa_name().to_string(),
                })
            });
        if let Some(a) = run.result(id, checked) {
            anchors.push(a);
        }
    }

    // Derivatives.
    let mut derivatives = Vec::new();
    for (i, d) in p.derivatives.iter().enumerate() {
        let n = (i + 1) as u8;
        let checked = d
            .verify()
            .map_err(|_| BundleError::DerivativeSignatureInvalid(n))
            .and_then(|v| {
                let r = v.record();
                if r.original_id != m.evidence_id || r.original_sha256 != m.content_sha256 {
                    return Err(BundleError::DerivativeOtherOriginal(n));
                }
                if r.signer_key != p.desk_key && !opts.trusted_desk_keys.contains(&r.signer_key) {
                    return Err(BundleError::DerivativeSignerUnknown(n));
                }
                Ok(v)
            });
        if let Some(v) = run.result(CheckId::Derivative(n), checked) {
            derivatives.push(v);
        }
    }

    let receipt = receipt?;
    Some(VerifiedBundle {
        window: CaptureWindow {
            device_time: m.device_time,
            not_before: seen_time,
            not_after_relay: receipt_time,
            not_after_tsa: anchors.iter().map(|a| a.tsa_time).min(),
        },
        manifest: manifest?,
        enrolment: enrolment?,
        desk_key_pinned,
        log_key: p.log_key,
        log_key_pinned,
        receipt,
        latest: latest?,
        anchors,
        derivatives,
        original_name: c.original_name().to_string(),
    })
}

// ------------------------------------------------------------ on arrival

/// Whether the device of an item is enrolled, as far as the desk can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrolmentStatus {
    /// Enrolled by a trusted desk key: "device X of organisation Y".
    Enrolled(Box<VerifiedEnrolment>),
    /// The item carries no enrolment.
    NotEnrolled,
    /// The item carries an enrolment that does not hold: its signature,
    /// another device key (`device-not-enrolled`), or a desk key that is
    /// not trusted.
    Invalid(BundleError),
}

/// An evidence item as the desk receives it, checked. Only [`verify_item`]
/// makes one.
#[derive(Clone, Debug)]
pub struct VerifiedItem {
    manifest: VerifiedManifest,
    receipt: VerifiedReceipt,
    seen: Option<VerifiedCheckpoint>,
    enrolment: EnrolmentStatus,
}

impl VerifiedItem {
    /// The verified manifest.
    pub fn manifest(&self) -> &VerifiedManifest {
        &self.manifest
    }
    /// The verified receipt of its commitment.
    pub fn receipt(&self) -> &VerifiedReceipt {
        &self.receipt
    }
    /// The verified checkpoint the device had seen, if it names one. Its
    /// consistency with the receipt's checkpoint needs a proof from the log
    /// ([`crate::log::proof::verify_consistency`]), which the bundle carries.
    pub fn seen_checkpoint(&self) -> Option<&VerifiedCheckpoint> {
        self.seen.as_ref()
    }
    /// Whether the device is enrolled.
    pub fn enrolment(&self) -> &EnrolmentStatus {
        &self.enrolment
    }
    /// This item for [`super::check_device_chain`].
    pub fn chain_item(&self) -> ChainItem {
        ChainItem::from(&self.manifest)
    }
}

/// What [`check_item`] found: every check in order with its outcome, and
/// the verified item only when none failed.
#[derive(Clone, Debug)]
pub struct ItemVerdict {
    /// The checks, in the order they ran: manifest signature, content
    /// (the file reference against the manifest), receipt, commitment,
    /// seen checkpoint, device time. After a failure the rest are
    /// [`NotRun::EarlierFailure`].
    pub checks: Vec<Check>,
    verified: Option<VerifiedItem>,
}

impl ItemVerdict {
    /// The item, if every check passed.
    pub fn verified(&self) -> Option<&VerifiedItem> {
        self.verified.as_ref()
    }

    /// The first failure, if any.
    pub fn failure(&self) -> Option<&BundleError> {
        self.checks.iter().find_map(|c| match &c.outcome {
            Outcome::Failed(e) => Some(e),
            _ => None,
        })
    }

    /// The item, or the first failure.
    pub fn into_result(self) -> Result<VerifiedItem, BundleError> {
        match (
            self.verified,
            self.checks.into_iter().find_map(|c| match c.outcome {
                Outcome::Failed(e) => Some(e),
                _ => None,
            }),
        ) {
            (Some(v), None) => Ok(v),
            (_, Some(e)) => Err(e),
            // Unreachable by construction; refuse rather than panic.
            (None, None) => Err(BundleError::ManifestSignatureInvalid),
        }
    }
}

/// The order in which [`check_item`] runs its checks.
const ITEM_CHECKS: [CheckId; 6] = [
    CheckId::ManifestSignature,
    CheckId::Content,
    CheckId::Receipt,
    CheckId::Commitment,
    CheckId::SeenCheckpoint,
    CheckId::DeviceTime,
];

/// Check an item on arrival at the desk (content kind `0x05`), with the
/// log's key and the desk keys it trusts, reporting every check: the
/// manifest's signature, that the file reference is the manifest's content,
/// the receipt (checkpoint signature, inclusion), the commitment, the seen
/// checkpoint (its signature, that it is the one the manifest names, and
/// that it is not larger than the log when the commitment was appended),
/// and the device time against both checkpoints' times. The decrypted
/// file's hash is the caller's to compare with the manifest's as it
/// streams, and consistency proofs are the caller's to ask of the log.
/// An enrolment that does not hold is reported
/// ([`VerifiedItem::enrolment`]), not a failure: an unenrolled device's
/// evidence is still evidence.
pub fn check_item(
    item: &crate::content::EvidenceItem,
    log: &LogKey,
    trusted_desk_keys: &[VerifyingKey],
) -> ItemVerdict {
    let mut checks = Vec::with_capacity(ITEM_CHECKS.len());
    match run_item_checks(item, log, trusted_desk_keys, &mut checks) {
        Ok(verified) => ItemVerdict {
            checks,
            verified: Some(verified),
        },
        Err(e) => {
            // The failing check is the next in order (each one that held
            // or was not run pushed exactly one entry).
            let failed = ITEM_CHECKS
                .get(checks.len())
                .copied()
                .unwrap_or(CheckId::DeviceTime);
            checks.push(Check {
                id: failed,
                outcome: Outcome::Failed(e),
            });
            for id in ITEM_CHECKS.iter().skip(checks.len()) {
                checks.push(Check {
                    id: *id,
                    outcome: Outcome::NotRun(NotRun::EarlierFailure),
                });
            }
            ItemVerdict {
                checks,
                verified: None,
            }
        }
    }
}

/// [`check_item`], returning the first failure.
pub fn verify_item(
    item: &crate::content::EvidenceItem,
    log: &LogKey,
    trusted_desk_keys: &[VerifyingKey],
) -> Result<VerifiedItem, BundleError> {
    check_item(item, log, trusted_desk_keys).into_result()
}

/// The checks of [`check_item`] in [`ITEM_CHECKS`] order: each one that
/// holds (or is not run) is pushed to `done`; the first that fails returns
/// its error, and is the next in [`ITEM_CHECKS`].
fn run_item_checks(
    item: &crate::content::EvidenceItem,
    log: &LogKey,
    trusted_desk_keys: &[VerifyingKey],
    done: &mut Vec<Check>,
) -> Result<VerifiedItem, BundleError> {
    let mut pass = |id: CheckId, outcome: Outcome| done.push(Check { id, outcome });
    let manifest = item
        .manifest
        .verify()
        .map_err(|_| BundleError::ManifestSignatureInvalid)?;
    pass(CheckId::ManifestSignature, Outcome::Passed);
    let m = manifest.manifest();
    if item.file.sha256 != m.content_sha256 || item.file.size != m.content_len {
        return Err(BundleError::ContentHashMismatch);
    }
    pass(CheckId::Content, Outcome::Passed);
    let receipt = item.receipt.verify(log).map_err(receipt_error)?;
    pass(CheckId::Receipt, Outcome::Passed);
    if !matches(receipt.commitment(), &item.salt, &manifest.hash()) {
        return Err(BundleError::CommitmentMismatch);
    }
    pass(CheckId::Commitment, Outcome::Passed);
    let t = m.device_time;
    let seen = match (&m.seen_checkpoint, &item.seen_checkpoint) {
        (None, None) => None,
        (None, Some(_)) => return Err(BundleError::SeenCheckpointUnexpected),
        (Some(_), None) => return Err(BundleError::SeenCheckpointMissing),
        (Some(claimed), Some(note)) => {
            let v = verify_checkpoint(note, log, CheckpointRole::Seen)?;
            if v.size() != claimed.size || *v.root() != claimed.root {
                return Err(BundleError::SeenCheckpointMismatch);
            }
            if v.size() > receipt.leaf_index() {
                return Err(BundleError::SeenCheckpointAfterCommitment);
            }
            Some(v)
        }
    };
    pass(
        CheckId::SeenCheckpoint,
        match seen {
            Some(_) => Outcome::Passed,
            None => Outcome::NotRun(NotRun::NoSeenCheckpoint),
        },
    );
    if let Some(s) = &seen {
        if t.saturating_add(DEVICE_CLOCK_TOLERANCE_SECS) < s.time() {
            return Err(BundleError::DeviceTimeBeforeSeenCheckpoint {
                device_time: t,
                seen_time: s.time(),
            });
        }
    }
    let receipt_time = receipt.checkpoint().time();
    if t > receipt_time.saturating_add(DEVICE_CLOCK_TOLERANCE_SECS) {
        return Err(BundleError::DeviceTimeAfterReceipt {
            device_time: t,
            receipt_time,
        });
    }
    pass(CheckId::DeviceTime, Outcome::Passed);
    let enrolment = match &item.enrolment {
        None => EnrolmentStatus::NotEnrolled,
        Some(e) => match e.verify() {
            Err(_) => EnrolmentStatus::Invalid(BundleError::EnrolmentSignatureInvalid),
            Ok(v) if v.record().device_key != m.device_key => {
                EnrolmentStatus::Invalid(BundleError::DeviceNotEnrolled)
            }
            Ok(v) if !trusted_desk_keys.contains(&v.record().desk_key) => {
                EnrolmentStatus::Invalid(BundleError::DeskKeyUntrusted)
            }
            Ok(v) => EnrolmentStatus::Enrolled(Box::new(v)),
        },
    };
    Ok(VerifiedItem {
        manifest,
        receipt,
        seen,
        enrolment,
    })
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
