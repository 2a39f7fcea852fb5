//! Evidence at the desk: items arrive in a conversation, are recorded at
//! once (in the same write as the message cursor), then verified: the file
//! is downloaded into the profile's archive (still age-encrypted, opened
//! only to hash it and on export), and every check is run and recorded.
//! The desk also enrols partner devices.
//!
//! Checks on arrival, each recorded with its stable ID and, when it fails,
//! the stable ID of the failure (`docs/evidence-format.md`). The first six
//! are the offline verifier's own, run by the same code
//! (`sanad_protocol::evidence::check_item`), in its order, stopping at the
//! first failure:
//! - `manifest-signature`: the device key's signature on the manifest;
//! - `content`: the file reference names the manifest's hash and length;
//! - `receipt`: the receipt's checkpoint is signed by the pinned log key and
//!   its inclusion proof holds;
//! - `commitment`: the salted commitment of this manifest is the receipt's
//!   leaf;
//! - `seen-checkpoint`: the checkpoint the device says it had seen is the
//!   log's, the one the manifest names, and precedes the commitment (not
//!   recorded when the device had seen none);
//! - `device-time`: the device time is not before the seen checkpoint's
//!   time nor after the receipt's (within the clock tolerance).
//!
//! Then what only the desk can check, with the log online and its records:
//! - `evidence-id-new`: no earlier item had this evidence ID (replay);
//! - `seen-consistent`: the log proves the seen checkpoint and the receipt's
//!   are consistent (no fork between them);
//! - `latest-checkpoint`: the receipt's checkpoint is consistent with the
//!   latest checkpoint this desk has verified (no fork);
//! - `enrolment`: the device key is enrolled by this desk (reported; an
//!   unenrolled device's evidence is still evidence);
//! - `file`: the downloaded file decrypts to exactly the manifest's hash and
//!   length.

use std::io::{BufReader, Read};
use std::path::Path;

use ed25519_dalek::{SigningKey, VerifyingKey};
use rand_core::OsRng;
use sanad_protocol::content::EvidenceItem;
use sanad_protocol::evidence::verify::Part;
use sanad_protocol::evidence::{
    check_item, BundleError, EnrolmentRecord, Outcome, SignedEnrolment,
};
use sanad_protocol::log::{LogKey, VerifiedCheckpoint};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::evidence::{item_key, seen_key, EvidenceRecord, EvidenceState};
use super::records::{self, id_hex, new_id, FileRecord, Group, LocalId};
use super::{hex_of, now_secs, remove_if_exists, Messenger, MessengerError};
use crate::profile::store::{Table, WriteBatch};

/// Store key (`Meta`) of the desk's enrolment key.
const DESK_KEY: &[u8] = b"desk-key";
/// Key prefix (`Evidence`) of enrolled devices.
const DEVICE_PREFIX: u8 = b'd';

/// The desk's enrolment signing key (`Meta` / `desk-key`).
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct DeskKey {
    seed: [u8; 32],
}

/// A device this desk enrolled (`Evidence` / `d` ‖ device key).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct EnrolledDevice {
    pub(crate) device_key: [u8; 32],
    pub(crate) label: String,
    pub(crate) organisation: String,
    /// The signed enrolment record.
    pub(crate) record: Vec<u8>,
    pub(crate) enrolled_at: u64,
}

/// An enrolled device as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeviceView {
    /// The device evidence key, hex.
    pub device_key: String,
    /// Its pseudonymous label.
    pub label: String,
    /// Its partner organisation.
    pub organisation: String,
    /// Unix seconds.
    pub enrolled_at: u64,
}

fn device_key_of(key: &[u8; 32]) -> Vec<u8> {
    let mut k = vec![DEVICE_PREFIX];
    k.extend_from_slice(key);
    k
}

/// Parse a device evidence key given as 64 hex digits (spaces allowed).
pub fn parse_device_key(text: &str) -> Option<VerifyingKey> {
    let hex: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    VerifyingKey::from_bytes(&bytes).ok()
}

impl Messenger {
    pub(crate) fn desk_signing_key(&mut self) -> Result<SigningKey, MessengerError> {
        if let Some(k) = records::get::<DeskKey>(&self.store, Table::Meta, DESK_KEY)? {
            return Ok(SigningKey::from_bytes(&k.seed));
        }
        let key = SigningKey::generate(&mut OsRng);
        let mut batch = self.store.batch();
        records::put(
            &mut batch,
            Table::Meta,
            DESK_KEY,
            &DeskKey {
                seed: key.to_bytes(),
            },
        )?;
        self.commit(batch)?;
        Ok(key)
    }

    /// The desk's enrolment public key (hex), created on first use: the key
    /// a verifier is told to trust (`sanad verify --desk-key`).
    pub fn desk_public_key(&mut self) -> Result<String, MessengerError> {
        self.check()?;
        Ok(hex_of(self.desk_signing_key()?.verifying_key().as_bytes()))
    }

    /// Enrol a partner device's evidence key under a pseudonymous label and
    /// organisation (no person's name). The signed record is kept here,
    /// goes into every bundle of that device's evidence, and, when
    /// `contact` names a conversation with that device, is sent there so
    /// the device includes it with what it captures.
    pub async fn enrol_device(
        &mut self,
        device_key: &VerifyingKey,
        label: &str,
        organisation: &str,
        send_to: Option<&str>,
    ) -> Result<DeviceView, MessengerError> {
        self.check()?;
        let desk = self.desk_signing_key()?;
        let record = EnrolmentRecord {
            device_key: *device_key,
            device_label: label.to_owned(),
            organisation: organisation.to_owned(),
            enrolled_at: now_secs(),
            desk_key: desk.verifying_key(),
        };
        let signed = record
            .sign(&desk)
            .map_err(|_| MessengerError::InvalidName)?;
        let enrolled = EnrolledDevice {
            device_key: device_key.to_bytes(),
            label: label.to_owned(),
            organisation: organisation.to_owned(),
            record: signed.to_bytes(),
            enrolled_at: record.enrolled_at,
        };
        let group = match send_to {
            Some(name) => Some(self.resolve(name)?),
            None => None,
        };
        let mut batch = self.store.batch();
        records::put(
            &mut batch,
            Table::Evidence,
            &device_key_of(&enrolled.device_key),
            &enrolled,
        )?;
        if let Some(g) = &group {
            let content = sanad_protocol::content::Content::Enrolment(Box::new(signed))
                .encode()?
                .to_vec();
            self.push_outbox(
                &mut batch,
                super::records::OutboxItem::Content {
                    group: g.id,
                    content,
                    history: None,
                },
            )?;
        }
        self.commit(batch)?;
        if group.is_some() {
            let _ = self.sync_inner(false).await;
        }
        Ok(device_view(&enrolled))
    }

    /// The devices this desk enrolled.
    pub fn enrolled_devices(&self) -> Result<Vec<DeviceView>, MessengerError> {
        Ok(
            records::all::<EnrolledDevice>(&self.store, Table::Evidence, &[DEVICE_PREFIX])?
                .iter()
                .map(|(_, d)| device_view(d))
                .collect(),
        )
    }

    pub(crate) fn enrolled_device(
        &self,
        key: &[u8; 32],
    ) -> Result<Option<EnrolledDevice>, MessengerError> {
        records::get(&self.store, Table::Evidence, &device_key_of(key))
    }

    /// An evidence item arrived in `group` from the member `sender_key`:
    /// record it (in `batch`, with the message cursor) for verification.
    pub(crate) fn receive_evidence(
        &mut self,
        batch: &mut WriteBatch,
        group: &Group,
        sender_key: &[u8],
        item: EvidenceItem,
    ) -> Result<LocalId, MessengerError> {
        let record = EvidenceRecord {
            id: new_id(),
            outgoing: false,
            group: group.id,
            manifest: item.manifest.to_bytes(),
            salt: *item.salt.expose_secret(),
            seen_checkpoint: item.seen_checkpoint.map(|c| c.to_text()),
            receipt: Some(item.receipt.to_text()),
            enrolment: item.enrolment.map(|e| e.to_bytes()),
            file: super::transfer::record_from_ref(&item.file),
            spool: None,
            archive: None,
            upload: None,
            deposit: None,
            state: EvidenceState::Received,
            checks: Vec::new(),
            sender_key: sender_key.to_vec(),
            consistency: None,
            seen_proof: None,
            time: now_secs(),
        };
        records::put(batch, Table::Evidence, &item_key(&record.id), &record)?;
        Ok(record.id)
    }

    /// A signed enrolment arrived from the desk: keep it if it enrols this
    /// device's key (sent with every later capture).
    pub(crate) fn receive_enrolment(
        &mut self,
        batch: &mut WriteBatch,
        signed: SignedEnrolment,
    ) -> Result<bool, MessengerError> {
        let Ok(verified) = signed.verify() else {
            return Ok(false);
        };
        self.accept_enrolment(batch, verified.record().device_key, signed.to_bytes())
    }

    /// Verify every received item not yet verified: download, hash, check.
    /// Returns the views of the items whose state changed.
    pub(crate) async fn verify_received_evidence(
        &mut self,
    ) -> Result<Vec<super::evidence::EvidenceView>, MessengerError> {
        let pending: Vec<EvidenceRecord> = records::all::<EvidenceRecord>(
            &self.store,
            Table::Evidence,
            &[super::evidence::ITEM_PREFIX],
        )?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| !r.outgoing && r.state == EvidenceState::Received)
        .collect();
        let mut changed = Vec::new();
        for record in pending {
            let record = self.verify_one(record).await?;
            changed.push(self.evidence_view(&record)?);
        }
        Ok(changed)
    }

    async fn verify_one(
        &mut self,
        mut record: EvidenceRecord,
    ) -> Result<EvidenceRecord, MessengerError> {
        let (log_key, _) = self.pinned_log().await?;
        let desk_key = self.desk_signing_key()?.verifying_key();
        let mut checks: Vec<(String, bool, String)> = Vec::new();
        let mut check = |id: &str, ok: bool, detail: String| {
            checks.push((id.to_owned(), ok, detail));
            ok
        };
        let manifest = record.signed_manifest()?.unverified().clone();
        // The item's own checks: the offline verifier's, in its order.
        let verdict = match self.evidence_item(&record) {
            Ok(item) => Some(check_item(&item, &log_key, &[desk_key])),
            Err(_) => {
                check(
                    "parts",
                    false,
                    BundleError::PartMalformed(Part::Manifest).id().into(),
                );
                None
            }
        };
        let verified = verdict.as_ref().and_then(|v| v.verified().cloned());
        for c in verdict.iter().flat_map(|v| v.checks.iter()) {
            match &c.outcome {
                Outcome::Passed => check(&c.id.name(), true, String::new()),
                Outcome::Failed(e) => check(&c.id.name(), false, e.id().to_owned()),
                // Not run: after a failure, or no seen checkpoint to check.
                Outcome::NotRun(_) => continue,
            };
        }
        // Replay: the evidence ID index holds the first item that had it.
        let first: Option<LocalId> = records::get(
            &self.store,
            Table::Evidence,
            &seen_key(&manifest.evidence_id),
        )?;
        let new_id_ok = first.is_none() || first == Some(record.id);
        check(
            "evidence-id-new",
            new_id_ok,
            if new_id_ok {
                ""
            } else {
                "evidence-id-replayed"
            }
            .to_owned(),
        );
        if let Some(item) = &verified {
            // No fork between the checkpoint the device had seen and the
            // receipt's, nor between the receipt's and the latest this
            // desk knows; the proofs are kept for export.
            if let Some(seen) = item.seen_checkpoint() {
                let proof = self
                    .log_consistent(&log_key, seen, item.receipt().checkpoint())
                    .await?;
                let ok = proof.is_some();
                record.seen_proof = proof;
                check(
                    "seen-consistent",
                    ok,
                    if ok { "" } else { "log-fork" }.to_owned(),
                );
            }
            let latest = match self
                .consistency_to_latest(&log_key, item.receipt().checkpoint())
                .await
            {
                Ok(proof) => proof,
                Err(e) if e.is_offline() => return Err(e),
                Err(_) => None,
            };
            let ok = latest.is_some();
            record.consistency = latest;
            check(
                "latest-checkpoint",
                ok,
                if ok { "" } else { "log-fork" }.to_owned(),
            );
        }
        // Enrolment: by this desk (its own list is the authority).
        let enrolled = self.enrolled_device(&manifest.device_key.to_bytes())?;
        let enrolled_detail = enrolled
            .as_ref()
            .map(|d| format!("{} / {}", d.label, d.organisation))
            .unwrap_or_else(|| "device-not-enrolled-here".to_owned());
        check("enrolment", enrolled.is_some(), enrolled_detail);
        // The file: download into the archive, decrypt only to hash, once
        // the reference is known to be the signed manifest's, even when a
        // later check failed: the desk keeps what it was sent, and the
        // failure stays recorded.
        let reference_ok = verdict.as_ref().is_some_and(|v| {
            v.checks.len() >= 2 && v.checks[..2].iter().all(|c| c.outcome == Outcome::Passed)
        });
        if reference_ok {
            let file_ok = self.archive_and_hash(&mut record).await?;
            check(
                "file",
                file_ok,
                if file_ok { "" } else { "content-hash-mismatch" }.to_owned(),
            );
        }
        let all_ok = checks
            .iter()
            .all(|(id, ok, _)| *ok || id.as_str() == "enrolment");
        record.checks = checks;
        record.state = if all_ok {
            EvidenceState::Verified
        } else {
            EvidenceState::Failed
        };
        let mut batch = self.store.batch();
        if first.is_none() {
            records::put(
                &mut batch,
                Table::Evidence,
                &seen_key(&manifest.evidence_id),
                &record.id,
            )?;
        }
        records::put(&mut batch, Table::Evidence, &item_key(&record.id), &record)?;
        // Tell the device: it may delete its spool copy once verified. Not
        // for a second copy of an item (a replay, or a resend after a
        // crash): the first copy's answer is the one that counts.
        if new_id_ok
            && verdict.is_some_and(|v| {
                v.checks
                    .first()
                    .is_some_and(|c| c.outcome == Outcome::Passed)
            })
        {
            let content = sanad_protocol::content::Content::EvidenceConfirmed {
                evidence_id: manifest.evidence_id,
                verified: record.state == EvidenceState::Verified,
            }
            .encode()?
            .to_vec();
            self.push_outbox(
                &mut batch,
                super::records::OutboxItem::Content {
                    group: record.group,
                    content,
                    history: None,
                },
            )?;
        }
        self.commit(batch)?;
        Ok(record)
    }

    /// The consistency proof from `old` to `new` (both verified, `old` no
    /// larger), asked of the relay; `None` if they are not consistent.
    async fn log_consistent(
        &mut self,
        key: &LogKey,
        old: &VerifiedCheckpoint,
        new: &VerifiedCheckpoint,
    ) -> Result<Option<Vec<[u8; 32]>>, MessengerError> {
        if old.size() == new.size() {
            return Ok((old.root() == new.root()).then(Vec::new));
        }
        match self.client().await?.log_consistency(key, old, new).await {
            Ok(proof) => Ok(Some(proof.hashes().to_vec())),
            Err(e) if e.is_transient() => Err(e.into()),
            Err(_) => Ok(None),
        }
    }

    /// A consistency proof from `from` to the latest checkpoint this desk
    /// knows (moved forward to the relay's current one first), with that
    /// checkpoint's text. `None` if the log forked.
    async fn consistency_to_latest(
        &mut self,
        key: &LogKey,
        from: &VerifiedCheckpoint,
    ) -> Result<Option<(String, Vec<[u8; 32]>)>, MessengerError> {
        let current = self.client().await?.log_checkpoint(key).await?;
        let mut batch = self.store.batch();
        self.advance_log(&mut batch, &current).await?;
        self.commit(batch)?;
        let latest = self
            .log_state()?
            .ok_or(MessengerError::CorruptRecord)?
            .signed_checkpoint()?
            .verify(key)
            .map_err(|_| MessengerError::CorruptRecord)?;
        if from.size() > latest.size() {
            return Ok(None);
        }
        if from.size() == latest.size() {
            return Ok(
                (from.root() == latest.root()).then(|| (latest.signed().to_text(), Vec::new()))
            );
        }
        match self
            .client()
            .await?
            .log_consistency(key, from, &latest)
            .await
        {
            Ok(proof) => Ok(Some((latest.signed().to_text(), proof.hashes().to_vec()))),
            Err(e) if e.is_transient() => Err(e.into()),
            Err(_) => Ok(None),
        }
    }

    /// Download the item's blob into the archive and check that it
    /// decrypts to the manifest's hash and length (no plaintext written).
    async fn archive_and_hash(
        &mut self,
        record: &mut EvidenceRecord,
    ) -> Result<bool, MessengerError> {
        let dir = self.dir.archive_path();
        std::fs::create_dir_all(&dir)?;
        let name = format!("{}.age", id_hex(&record.id));
        let path = dir.join(&name);
        let progress = self.progress.clone();
        let downloaded = self
            .client()
            .await?
            .download_file(
                &sanad_protocol::ids::BlobId(record.file.blob_id),
                record.file.blob_len,
                &path,
                progress.as_ref(),
            )
            .await;
        match downloaded {
            Ok(()) => {}
            // Out of reach: try again with the next sync.
            Err(e) if e.is_transient() => {
                let _ = remove_if_exists(&path);
                return Err(e.into());
            }
            // Gone (expired) or refused: the check fails, recorded.
            Err(_) => {
                let _ = remove_if_exists(&path);
                return Ok(false);
            }
        }
        let (p, f) = (path.clone(), record.file.clone());
        let ok = tokio::task::spawn_blocking(move || hash_archived(&p, &f))
            .await
            .map_err(|_| MessengerError::Age("decryption task failed".into()))?;
        record.archive = Some(name);
        Ok(ok)
    }
}

fn device_view(d: &EnrolledDevice) -> DeviceView {
    DeviceView {
        device_key: hex_of(&d.device_key),
        label: d.label.clone(),
        organisation: d.organisation.clone(),
        enrolled_at: d.enrolled_at,
    }
}

/// Whether the archived ciphertext decrypts to exactly the record's length
/// and hash. Blocking.
pub(crate) fn hash_archived(path: &Path, file: &FileRecord) -> bool {
    let run = || -> Option<bool> {
        let identity: age::x25519::Identity = file.age_identity.parse().ok()?;
        let input = std::fs::File::open(path).ok()?.take(file.cipher_len);
        let decryptor = age::Decryptor::new(BufReader::with_capacity(1 << 20, input)).ok()?;
        let mut reader = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .ok()?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = reader.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > file.size {
                return Some(false);
            }
            hasher.update(&buf[..n]);
        }
        let digest: [u8; 32] = hasher.finalize().into();
        Some(total == file.size && digest == file.sha256)
    };
    run().unwrap_or(false)
}
