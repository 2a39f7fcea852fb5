//! Fixed evidence instances and a small in-memory log, shared by the
//! evidence vector, property, tamper-corpus and fuzz-corpus tests. Keys are
//! fixed seeds so every output is reproducible.

#![allow(dead_code)] // each test crate uses a different part of this module

use ed25519_dalek::SigningKey;
use sanad_protocol::content::{AgeIdentity, EvidenceItem, FileRef};

use sanad_protocol::evidence::{
    commitment, EnrolmentRecord, EvidenceId, EvidenceKind, FieldName, Fields, Manifest, Salt,
    SeenCheckpoint, SignedEnrolment, SignedManifest,
};
use sanad_protocol::log::checkpoint::log_origin;
use sanad_protocol::log::merkle::{leaf_hash, root, Hash, LeafHashes};
use sanad_protocol::log::proof::{consistency_proof, inclusion_proof};
use sanad_protocol::log::{Checkpoint, LogKey, Receipt, SignedCheckpoint};
use sanad_protocol::{BlobId, Commitment};
use sha2::{Digest, Sha256};

pub const DEVICE_SEED: [u8; 32] = [0x07; 32];
pub const OTHER_DEVICE_SEED: [u8; 32] = [0x08; 32];
pub const DESK_SEED: [u8; 32] = [0xd5; 32];
pub const LOG_SEED: [u8; 32] = [0x10; 32];
pub const OTHER_LOG_SEED: [u8; 32] = [0x11; 32];

/// 2023-11-14T22:13:20Z.
pub const DEVICE_TIME: u64 = 1_700_000_000;

/// When the test log signed its checkpoint of `size` leaves: ten minutes a
/// leaf, so that the checkpoint of 4 (the one the device had seen) is 20
/// minutes before [`DEVICE_TIME`] and the one of 6 (the receipt's) is at it.
pub fn checkpoint_time(size: u64) -> u64 {
    DEVICE_TIME - 3_600 + 600 * size
}

/// The captured bytes of the example item.
pub const CONTENT: &[u8] = b"\xff\xd8\xff\xe0 a photograph of a cell wall, as JPEG bytes would be";

pub const AGE_IDENTITY: &str =
    "AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE";

pub fn device() -> SigningKey {
    SigningKey::from_bytes(&DEVICE_SEED)
}

pub fn desk() -> SigningKey {
    SigningKey::from_bytes(&DESK_SEED)
}

pub fn salt() -> Salt {
    Salt::from_bytes([0x5a; 32])
}

pub fn fields() -> Fields {
    let mut f = Fields::new();
    for (name, value) in [
        (FieldName::IncidentDate, "2023-10/2023-11-02"),
        (FieldName::IncidentPlace, "طرابلس"),
        (FieldName::PlaceOfDetentionType, "unofficial-site"),
        (FieldName::IllTreatmentTypes, "beating,threats"),
        (FieldName::ConsentRecorded, "yes"),
        (FieldName::TestimonyLanguage, "ar-LY"),
        (FieldName::CollectedBy, "documenter 2"),
    ] {
        f.set(name, value).expect("valid example field");
    }
    f
}

/// The example manifest: the first capture of the device (sequence 0), which
/// had seen the checkpoint `seen`.
pub fn manifest(seen: Option<SeenCheckpoint>) -> Manifest {
    Manifest {
        evidence_id: EvidenceId(*b"evidence-id-0001"),
        content_sha256: Sha256::digest(CONTENT).into(),
        content_len: CONTENT.len() as u64,
        media_type: "image/jpeg".into(),
        file_name: "جدار-الزنزانة.jpg".into(),
        device_time: DEVICE_TIME,
        seen_checkpoint: seen,
        device_key: device().verifying_key(),
        case_ref: "LY-2023-041".into(),
        sequence: 0,
        previous: None,
        kind: EvidenceKind::File,
        fields: fields(),
    }
}

/// A later manifest of the same device, linked to `previous`.
pub fn next_manifest(previous: &SignedManifest, id: u8) -> Manifest {
    let p = previous.unverified();
    Manifest {
        evidence_id: EvidenceId([id; 16]),
        kind: EvidenceKind::Testimony,
        media_type: "text/plain; charset=utf-8".into(),
        file_name: String::new(),
        sequence: p.sequence + 1,
        previous: Some(previous.hash()),
        fields: Fields::new(),
        ..p.clone()
    }
}

pub fn enrolment() -> SignedEnrolment {
    EnrolmentRecord {
        device_key: device().verifying_key(),
        device_label: "device 3".into(),
        organisation: "partner organisation Y".into(),
        enrolled_at: DEVICE_TIME - 86_400,
        desk_key: desk().verifying_key(),
    }
    .sign(&desk())
    .expect("valid enrolment")
}

pub fn file_ref(m: &Manifest) -> FileRef {
    FileRef {
        blob_id: BlobId([b'B'; 32]),
        blob_len: 4096,
        cipher_len: m.content_len + 250,
        age_identity: AgeIdentity::new(AGE_IDENTITY.into()).expect("identity of the right shape"),
        name: m.file_name.clone(),
        media_type: m.media_type.clone(),
        size: m.content_len,
        sha256: m.content_sha256,
    }
}

/// An in-memory log with a fixed key: the leaves, checkpoints, receipts and
/// proofs a relay would give.
pub struct TestLog {
    pub key: SigningKey,
    pub leaves: Vec<Hash>,
}

impl TestLog {
    /// A log with `filler` leaves already in it.
    pub fn new(seed: [u8; 32], filler: u8) -> TestLog {
        TestLog {
            key: SigningKey::from_bytes(&seed),
            leaves: (0..filler).map(|i| leaf_hash(&[i; 32])).collect(),
        }
    }

    pub fn log_key(&self) -> LogKey {
        LogKey::new(self.key.verifying_key())
    }

    pub fn append(&mut self, c: &Commitment) -> u64 {
        self.leaves.push(c.leaf_hash());
        self.leaves.len() as u64 - 1
    }

    pub fn root(&self, size: u64) -> Hash {
        root(&self.leaves[..size as usize])
    }

    pub fn size(&self) -> u64 {
        self.leaves.len() as u64
    }

    /// The checkpoint of `size` leaves, signed at [`checkpoint_time`].
    pub fn checkpoint(&self, size: u64) -> SignedCheckpoint {
        self.checkpoint_at(size, checkpoint_time(size))
    }

    pub fn checkpoint_at(&self, size: u64, time: u64) -> SignedCheckpoint {
        Checkpoint {
            origin: log_origin(&self.key.verifying_key()),
            size,
            root: self.root(size),
        }
        .sign(&self.key, time)
        .expect("sign checkpoint")
    }

    pub fn seen(&self, size: u64) -> SeenCheckpoint {
        SeenCheckpoint {
            size,
            root: self.root(size),
        }
    }

    pub fn receipt(&self, leaf: Commitment, index: u64, size: u64) -> Receipt {
        Receipt {
            checkpoint: self.checkpoint(size),
            leaf_index: index,
            leaf,
            proof: inclusion_proof(&LeafHashes(&self.leaves), index, size).expect("proof"),
        }
    }

    pub fn consistency(&self, from: u64, to: u64) -> Vec<Hash> {
        consistency_proof(&LeafHashes(&self.leaves), from, to).expect("proof")
    }
}

/// Everything the device makes for the example capture in a log that
/// already holds 5 leaves (of which it had seen 4).
pub struct Capture {
    pub log: TestLog,
    pub signed: SignedManifest,
    pub receipt: Receipt,
}

pub fn capture() -> Capture {
    let mut log = TestLog::new(LOG_SEED, 5);
    let signed = manifest(Some(log.seen(4)))
        .sign(&device())
        .expect("valid manifest");
    let c = commitment(&salt(), &signed.hash());
    let index = log.append(&c);
    let receipt = log.receipt(c, index, log.size());
    Capture {
        log,
        signed,
        receipt,
    }
}

pub fn evidence_item() -> EvidenceItem {
    let c = capture();
    EvidenceItem {
        seen_checkpoint: Some(c.log.checkpoint(4)),
        file: file_ref(c.signed.unverified()),
        manifest: c.signed,
        salt: salt(),
        receipt: c.receipt,
        enrolment: Some(enrolment()),
    }
}

// ------------------------------------------------------------------ bundles

use sanad_protocol::evidence::bundle::{write_bundle, Anchor, BundleParts, LinkedCheckpoint};
use sanad_protocol::evidence::{DerivativeRecord, SignedDerivative, Transform};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Where the evidence vectors live.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/evidence")
}

/// The RFC 3161 token over the anchored checkpoint's text, made once by
/// OpenSSL (`vectors/evidence/generate-anchor.sh`) with the P-256 test TSA
/// of `vectors/tsa/`.
pub fn anchor_token() -> Vec<u8> {
    std::fs::read(vectors_dir().join("anchor-token.tsr")).expect("anchor token vector")
}

/// The certificate (DER) of the test TSA that made [`anchor_token`].
pub fn tsa_cert() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/tsa/tsa-p256.der"))
        .expect("TSA certificate vector")
}

/// A token by the same TSA over other bytes (`vectors/tsa/stamped.txt`).
pub fn other_token() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/tsa/token-p256.der"))
        .expect("TSA token vector")
}

pub fn derivative_record(m: &Manifest) -> SignedDerivative {
    DerivativeRecord {
        original_id: m.evidence_id,
        original_sha256: m.content_sha256,
        derivative_sha256: Sha256::digest(b"stripped copy").into(),
        derivative_len: 13,
        derivative_media_type: "image/jpeg".into(),
        transform: Transform::StripMetadata,
        made_at: DEVICE_TIME + 7 * 86_400,
        signer_key: desk().verifying_key(),
    }
    .sign(&desk())
    .expect("valid derivative")
}

/// The example capture, later: the log has grown to 9 leaves (the receipt
/// is at 6), and the checkpoint of 9 is anchored by the test TSA.
pub struct Exported {
    pub log: TestLog,
    pub parts: BundleParts,
}

pub const RECEIPT_SIZE: u64 = 6;
pub const LATEST_SIZE: u64 = 9;

pub fn exported() -> Exported {
    let mut c = capture();
    for i in 0..3u8 {
        c.log.append(&Commitment([0x70 + i; 32]));
    }
    let log = c.log;
    let latest = LinkedCheckpoint {
        checkpoint: log.checkpoint(LATEST_SIZE),
        proof: log.consistency(RECEIPT_SIZE, LATEST_SIZE),
    };
    let parts = BundleParts {
        derivatives: vec![derivative_record(c.signed.unverified())],
        manifest: c.signed,
        salt: salt(),
        receipt: c.receipt,
        seen: Some(LinkedCheckpoint {
            checkpoint: log.checkpoint(4),
            proof: log.consistency(4, RECEIPT_SIZE),
        }),
        anchors: vec![Anchor {
            linked: latest.clone(),
            token: anchor_token(),
        }],
        latest,
        enrolment: Some(enrolment()),
        desk_key: desk().verifying_key(),
        log_key: log.log_key(),
    };
    Exported { log, parts }
}

/// Write a bundle of `parts` and `original` into memory.
pub fn write(parts: &BundleParts, original: &[u8]) -> Vec<u8> {
    write_bundle(Cursor::new(Vec::new()), parts, original)
        .expect("bundle writes")
        .into_inner()
}
