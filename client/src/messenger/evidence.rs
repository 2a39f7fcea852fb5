//! Evidence on the documenter's device: capture, sign, spool, commit to the
//! relay's log, upload, deliver to the desk (DESIGN.md §5 "Evidence flow").
//!
//! Capture works offline. Everything a capture produces (the age-encrypted
//! copy in the spool, the signed manifest, its salt, the device's chain
//! position) is one atomic, flushed write before anything leaves; then one
//! outbox item walks the item through its states, each step durable before
//! the next:
//!
//! ```text
//! captured ── log append ──▶ committed ── blob upload ──▶ uploaded
//!    ── MLS message to the desk group ──▶ delivered ── desk confirms ──▶ confirmed
//! ```
//!
//! The commitment goes to the log first and at once (32 bytes), so the
//! receipt's checkpoint bounds the capture time as tightly as the network
//! allows; the file follows when the link can carry it. The desk side
//! (receiving, verifying, filing, exporting) is in `evidence_desk`.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use rand_core::OsRng;
use sanad_protocol::content::{Content, EvidenceItem};
use sanad_protocol::evidence::{
    commitment, EvidenceId, EvidenceKind, Fields, Manifest, ManifestHash, Salt, SeenCheckpoint,
    SignedEnrolment, SignedManifest,
};
use sanad_protocol::ids::{DepositKey, SendId};
use sanad_protocol::log::{LogKey, Receipt, SignedCheckpoint, VerifiedCheckpoint};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::records::{self, id_hex, new_id, parse_id, FileRecord, LocalId, OutboxItem};
use super::sync::random_deposit_key;
use super::{hex_of, now_secs, remove_if_exists, Messenger, MessengerError};
use crate::profile::store::{Table, WriteBatch};

/// Store key (`Meta`) of this device's evidence key and chain.
const DEVICE_KEY: &[u8] = b"evidence-device";
/// Store key (`Meta`) of the relay's log as this profile knows it.
const LOG_KEY: &[u8] = b"log";
/// Key prefix (`Evidence`) of evidence items.
pub(crate) const ITEM_PREFIX: u8 = b'i';
/// Key prefix (`Evidence`) of the index of evidence IDs seen.
pub(crate) const SEEN_PREFIX: u8 = b'e';

/// This device's evidence signing key and its chain position
/// (`Meta` / `evidence-device`). Created with the first capture.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub(crate) struct EvidenceDevice {
    seed: [u8; 32],
    /// Sequence number of the next manifest.
    next_sequence: u64,
    /// Hash of the last manifest signed.
    last_manifest: Option<[u8; 32]>,
    /// The desk's enrolment of this device (signed record), once received.
    pub(crate) enrolment: Option<Vec<u8>>,
    /// Where `capture` sends when no `--to` is given.
    #[zeroize(skip)]
    pub(crate) default_desk: Option<LocalId>,
}

impl EvidenceDevice {
    fn signing_key(&self) -> SigningKey {
        SigningKey::from_bytes(&self.seed)
    }
}

/// The relay's transparency log as this profile knows it (`Meta` / `log`):
/// its key, pinned on first use over the pinned connection, and the latest
/// checkpoint verified (every later one must be consistent with it).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct LogState {
    pub(crate) key: [u8; 32],
    /// The signed checkpoint text.
    pub(crate) checkpoint: String,
}

impl LogState {
    pub(crate) fn log_key(&self) -> Result<LogKey, MessengerError> {
        LogKey::from_bytes(&self.key).ok_or(MessengerError::CorruptRecord)
    }

    pub(crate) fn signed_checkpoint(&self) -> Result<SignedCheckpoint, MessengerError> {
        SignedCheckpoint::parse(self.checkpoint.as_bytes())
            .map_err(|_| MessengerError::CorruptRecord)
    }
}

/// Where an evidence item stands.
#[derive(Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceState {
    /// Signed and encrypted on this device; nothing has left.
    Captured,
    /// Its commitment is in the relay's log; the receipt is stored.
    Committed,
    /// The encrypted file is on the relay.
    Uploaded,
    /// The desk group's mailbox holds the item.
    Delivered,
    /// The desk said it has the item, verified (the spool copy is gone).
    Confirmed,
    /// Received by this desk, not yet verified (its file not downloaded).
    Received,
    /// Received and every check passed.
    Verified,
    /// Received and a check failed (which: see the item's checks).
    Failed,
}

impl EvidenceState {
    /// The stable name shown by `evidence list` (`captured`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceState::Captured => "captured",
            EvidenceState::Committed => "committed",
            EvidenceState::Uploaded => "uploaded",
            EvidenceState::Delivered => "delivered",
            EvidenceState::Confirmed => "confirmed",
            EvidenceState::Received => "received",
            EvidenceState::Verified => "verified",
            EvidenceState::Failed => "failed",
        }
    }
}

/// One evidence item, captured here or received (`Evidence` / `i` ‖ ID).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct EvidenceRecord {
    pub(crate) id: LocalId,
    pub(crate) outgoing: bool,
    /// The conversation it goes to (outgoing) or came from (incoming).
    pub(crate) group: LocalId,
    /// The signed manifest's bytes.
    pub(crate) manifest: Vec<u8>,
    pub(crate) salt: [u8; 32],
    /// The checkpoint the device had seen (signed note), if any.
    pub(crate) seen_checkpoint: Option<String>,
    /// The log receipt (C2SP tlog-proof text), once committed.
    pub(crate) receipt: Option<String>,
    /// The device's enrolment, as sent with the item.
    pub(crate) enrolment: Option<Vec<u8>>,
    pub(crate) file: FileRecord,
    /// Spool file (outgoing, until confirmed).
    pub(crate) spool: Option<String>,
    /// Archive file (incoming, once downloaded).
    pub(crate) archive: Option<String>,
    /// The blob once created on the relay.
    pub(crate) upload: Option<super::records::UploadParts>,
    /// The MLS message, encrypted and ready, with its fixed deposit key.
    pub(crate) deposit: Option<([u8; 16], [u8; 16], Vec<u8>)>,
    pub(crate) state: EvidenceState,
    /// Checks run by the desk on arrival: (stable check ID, passed, detail).
    #[serde(default)]
    pub(crate) checks: Vec<(String, bool, String)>,
    /// The sender's MLS signature key (incoming).
    #[serde(default)]
    pub(crate) sender_key: Vec<u8>,
    /// Consistency proof from the receipt's checkpoint to `latest`
    /// (incoming, filled by verification), with that checkpoint.
    #[serde(default)]
    pub(crate) consistency: Option<(String, Vec<[u8; 32]>)>,
    /// Consistency proof from the seen checkpoint to the receipt's
    /// (incoming, filled by verification).
    #[serde(default)]
    pub(crate) seen_proof: Option<Vec<[u8; 32]>>,
    /// Unix seconds on this device when captured or received.
    pub(crate) time: u64,
}

impl EvidenceRecord {
    pub(crate) fn signed_manifest(&self) -> Result<SignedManifest, MessengerError> {
        SignedManifest::decode(&self.manifest).map_err(|_| MessengerError::CorruptRecord)
    }
}

pub(crate) fn item_key(id: &LocalId) -> Vec<u8> {
    let mut k = vec![ITEM_PREFIX];
    k.extend_from_slice(id);
    k
}

pub(crate) fn seen_key(evidence_id: &EvidenceId) -> Vec<u8> {
    let mut k = vec![SEEN_PREFIX];
    k.extend_from_slice(&evidence_id.0);
    k
}

/// What one capture is.
pub struct CaptureRequest {
    /// The case reference.
    pub case_ref: String,
    /// The desk conversation (contact or group name); `None`: the default
    /// set with [`Messenger::set_evidence_desk`].
    pub to: Option<String>,
    /// Structured fields (already validated by [`Fields`]).
    pub fields: Fields,
    /// Remove each source file once its encrypted copy is durable.
    pub delete_original: bool,
}

/// One evidence item as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvidenceView {
    /// The local ID (for `evidence show` and `export`).
    pub id: String,
    /// The evidence ID signed in the manifest (32 hex digits).
    pub evidence_id: String,
    /// Captured here (`true`) or received.
    pub outgoing: bool,
    /// The conversation.
    pub conversation: String,
    /// The case reference.
    pub case_ref: String,
    /// `file` or `testimony`.
    pub kind: String,
    /// The original file name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Content length in bytes.
    pub size: u64,
    /// Content SHA-256, hex.
    pub sha256: String,
    /// The device's clock at capture (untrusted), Unix seconds.
    pub device_time: u64,
    /// The device's capture counter.
    pub sequence: u64,
    /// Where the item stands.
    pub state: EvidenceState,
    /// The log index of its commitment, once committed.
    pub log_index: Option<u64>,
    /// The relay's time on the receipt's checkpoint, once committed.
    pub log_time: Option<u64>,
    /// Checks run on arrival (incoming): (check ID, passed, detail).
    pub checks: Vec<(String, bool, String)>,
    /// Structured fields (name, value).
    pub fields: Vec<(String, String)>,
}

/// Bytes of a written testimony are named like this in the manifest.
pub const TESTIMONY_FILE_NAME: &str = "testimony.txt";

/// The media type of a written testimony.
const TESTIMONY_MEDIA_TYPE: &str = "text/plain; charset=utf-8";

/// What a capture reads: a file, or a testimony's text held in memory.
enum Source {
    File(std::path::PathBuf),
    Text(zeroize::Zeroizing<Vec<u8>>),
}

impl Messenger {
    fn evidence_device(&self) -> Result<Option<EvidenceDevice>, MessengerError> {
        records::get(&self.store, Table::Meta, DEVICE_KEY)
    }

    /// This device's evidence device record, created (in `batch`) if new.
    fn evidence_device_or_new(&self) -> Result<EvidenceDevice, MessengerError> {
        Ok(self.evidence_device()?.unwrap_or_else(|| EvidenceDevice {
            seed: SigningKey::generate(&mut OsRng).to_bytes(),
            next_sequence: 0,
            last_manifest: None,
            enrolment: None,
            default_desk: None,
        }))
    }

    /// This device's evidence public key (hex), created on first use: what
    /// the desk enrols (read it out, or show it as a QR code, in person).
    pub fn evidence_key(&mut self) -> Result<String, MessengerError> {
        self.check()?;
        let device = match self.evidence_device()? {
            Some(d) => d,
            None => {
                let d = self.evidence_device_or_new()?;
                let mut batch = self.store.batch();
                records::put(&mut batch, Table::Meta, DEVICE_KEY, &d)?;
                self.commit(batch)?;
                d
            }
        };
        Ok(hex_of(device.signing_key().verifying_key().as_bytes()))
    }

    /// The conversation evidence goes to when `capture` names none.
    pub fn set_evidence_desk(&mut self, name: &str) -> Result<(), MessengerError> {
        self.check()?;
        let group = self.resolve(name)?;
        let mut device = self.evidence_device_or_new()?;
        device.default_desk = Some(group.id);
        let mut batch = self.store.batch();
        records::put(&mut batch, Table::Meta, DEVICE_KEY, &device)?;
        self.commit(batch)
    }

    /// The relay's log as this profile last verified it.
    pub(crate) fn log_state(&self) -> Result<Option<LogState>, MessengerError> {
        records::get(&self.store, Table::Meta, LOG_KEY)
    }

    pub(crate) fn put_log_state(
        &self,
        batch: &mut WriteBatch,
        state: &LogState,
    ) -> Result<(), MessengerError> {
        records::put(batch, Table::Meta, LOG_KEY, state)
    }

    /// Capture files as evidence for the desk: each is hashed and
    /// age-encrypted into the spool as it is read, its manifest signed with
    /// this device's evidence key, and all of it written durably before
    /// anything leaves. Then the commitments go to the log and the files to
    /// the desk, now or with the next sync. Returns one view per file, in
    /// order. Each file is its own item: a failure on one leaves the items
    /// captured before it intact.
    pub async fn capture_files(
        &mut self,
        paths: &[PathBuf],
        request: &CaptureRequest,
    ) -> Result<Vec<EvidenceView>, MessengerError> {
        self.check()?;
        let group = self.evidence_group(request)?;
        let mut ids = Vec::new();
        for path in paths {
            let meta = std::fs::metadata(path)?;
            if !meta.is_file() {
                return Err(MessengerError::NotARegularFile);
            }
            if meta.len() > crate::limits::MAX_FILE_LEN {
                return Err(MessengerError::FileTooLarge);
            }
            let id = self
                .capture_one(
                    Source::File(path.to_path_buf()),
                    EvidenceKind::File,
                    request,
                    group,
                )
                .await?;
            if request.delete_original {
                remove_original(path)?;
            }
            ids.push(id);
        }
        self.after_capture(&ids).await
    }

    /// Capture a written testimony (UTF-8 text) as one evidence item.
    pub async fn capture_testimony(
        &mut self,
        text: &str,
        request: &CaptureRequest,
    ) -> Result<EvidenceView, MessengerError> {
        self.check()?;
        if text.trim().is_empty() {
            return Err(MessengerError::EmptyTestimony);
        }
        let group = self.evidence_group(request)?;
        // Encrypted straight from memory into the spool: the plaintext of
        // a testimony never touches the disk.
        let text = zeroize::Zeroizing::new(text.as_bytes().to_vec());
        let id = self
            .capture_one(Source::Text(text), EvidenceKind::Testimony, request, group)
            .await?;
        let mut views = self.after_capture(&[id]).await?;
        views.pop().ok_or(MessengerError::CorruptRecord)
    }

    fn evidence_group(&self, request: &CaptureRequest) -> Result<LocalId, MessengerError> {
        let group = match &request.to {
            Some(name) => self.resolve(name)?,
            None => {
                let desk = self
                    .evidence_device()?
                    .and_then(|d| d.default_desk)
                    .ok_or(MessengerError::NoEvidenceDesk)?;
                self.group_by_id(&desk)?
            }
        };
        if !group.active {
            return Err(MessengerError::NotMember);
        }
        Ok(group.id)
    }

    async fn after_capture(
        &mut self,
        ids: &[LocalId],
    ) -> Result<Vec<EvidenceView>, MessengerError> {
        // Commit and send now if the relay is reachable; queued otherwise.
        let _ = self.sync_inner(false).await;
        ids.iter().map(|id| self.evidence_view_by_id(id)).collect()
    }

    /// Spool, sign and record one item (one atomic write). Returns its ID.
    async fn capture_one(
        &mut self,
        source: Source,
        kind: EvidenceKind,
        request: &CaptureRequest,
        group: LocalId,
    ) -> Result<LocalId, MessengerError> {
        std::fs::create_dir_all(self.spool_dir())?;
        let spool_file = format!("{}.age", id_hex(&new_id()));
        let spool = self.spool_dir().join(&spool_file);
        let spool_for_task = spool.clone();
        let file = tokio::task::spawn_blocking(move || match source {
            Source::File(path) => super::transfer::encrypt_to_spool(&path, &spool_for_task),
            Source::Text(text) => super::transfer::encrypt_bytes_to_spool(
                text,
                TESTIMONY_FILE_NAME,
                TESTIMONY_MEDIA_TYPE,
                &spool_for_task,
            ),
        })
        .await
        .map_err(|_| MessengerError::Age("encryption task failed".into()))
        .and_then(|r| r)
        .inspect_err(|_| {
            let _ = remove_if_exists(&spool);
        })?;
        let signed = (|| {
            let mut device = self.evidence_device_or_new()?;
            let log = self.log_state()?;
            let seen = match &log {
                Some(l) => {
                    let c = l.signed_checkpoint()?;
                    let u = c.unverified();
                    Some((
                        SeenCheckpoint {
                            size: u.size,
                            root: u.root,
                        },
                        l.checkpoint.clone(),
                    ))
                }
                None => None,
            };
            let key = device.signing_key();
            let manifest = Manifest {
                evidence_id: EvidenceId::random(&mut OsRng),
                content_sha256: file.sha256,
                content_len: file.size,
                media_type: file.media_type.clone(),
                file_name: file.name.clone(),
                device_time: now_secs(),
                seen_checkpoint: seen.as_ref().map(|(s, _)| *s),
                device_key: key.verifying_key(),
                case_ref: request.case_ref.clone(),
                sequence: device.next_sequence,
                previous: device.last_manifest.map(ManifestHash),
                kind,
                fields: request.fields.clone(),
            };
            let signed = manifest.sign(&key).map_err(MessengerError::Manifest)?;
            device.next_sequence += 1;
            device.last_manifest = Some(signed.hash().0);
            let salt = Salt::random(&mut OsRng);
            let record = EvidenceRecord {
                id: new_id(),
                outgoing: true,
                group,
                manifest: signed.to_bytes(),
                salt: *salt.expose_secret(),
                seen_checkpoint: seen.map(|(_, text)| text),
                receipt: None,
                enrolment: device.enrolment.clone(),
                file: file.clone(),
                spool: Some(spool_file.clone()),
                archive: None,
                upload: None,
                deposit: None,
                state: EvidenceState::Captured,
                checks: Vec::new(),
                sender_key: Vec::new(),
                consistency: None,
                seen_proof: None,
                time: now_secs(),
            };
            Ok::<_, MessengerError>((device, record, signed.unverified().evidence_id))
        })();
        let (device, record, evidence_id) = match signed {
            Ok(x) => x,
            Err(e) => {
                let _ = remove_if_exists(&spool);
                return Err(e);
            }
        };
        let mut batch = self.store.batch();
        records::put(&mut batch, Table::Meta, DEVICE_KEY, &device)?;
        records::put(&mut batch, Table::Evidence, &item_key(&record.id), &record)?;
        records::put(
            &mut batch,
            Table::Evidence,
            &seen_key(&evidence_id),
            &record.id,
        )?;
        self.push_outbox(
            &mut batch,
            OutboxItem::Evidence {
                evidence: record.id,
            },
        )?;
        if let Err(e) = self.commit(batch) {
            let _ = remove_if_exists(&spool);
            return Err(e);
        }
        Ok(record.id)
    }

    pub(crate) fn evidence_record(&self, id: &LocalId) -> Result<EvidenceRecord, MessengerError> {
        records::get(&self.store, Table::Evidence, &item_key(id))?
            .ok_or(MessengerError::UnknownEvidence)
    }

    /// The relay's log key, pinned in this profile on first use (learnt
    /// over the pinned connection), and the checkpoint last verified.
    pub(crate) async fn pinned_log(&mut self) -> Result<(LogKey, LogState), MessengerError> {
        if let Some(state) = self.log_state()? {
            return Ok((state.log_key()?, state));
        }
        let client = self.client().await?;
        let key = client.log_key().await?;
        let checkpoint = client.log_checkpoint(&key).await?;
        let state = LogState {
            key: key.public_key().to_bytes(),
            checkpoint: checkpoint.signed().to_text(),
        };
        let mut batch = self.store.batch();
        self.put_log_state(&mut batch, &state)?;
        self.commit(batch)?;
        Ok((key, state))
    }

    /// Move the stored checkpoint forward to `new` (a verified checkpoint of
    /// the pinned log) if it is larger, after the relay proved that the log
    /// did not fork between them ([`crate::ClientError::LogFork`] if it
    /// did). Written in `batch`.
    pub(crate) async fn advance_log(
        &mut self,
        batch: &mut WriteBatch,
        new: &VerifiedCheckpoint,
    ) -> Result<(), MessengerError> {
        let (key, state) = self.pinned_log().await?;
        let old = state
            .signed_checkpoint()?
            .verify(&key)
            .map_err(|_| MessengerError::CorruptRecord)?;
        if new.size() <= old.size() {
            return Ok(());
        }
        self.client()
            .await?
            .log_consistency(&key, &old, new)
            .await?;
        let state = LogState {
            key: state.key,
            checkpoint: new.signed().to_text(),
        };
        self.put_log_state(batch, &state)
    }

    /// One step of an evidence item's outbox walk. `Ok(true)` when the
    /// item has left (delivered to the desk group), `Ok(false)` when it
    /// must wait behind a group change of ours.
    pub(crate) async fn flush_evidence(
        &mut self,
        key: &[u8],
        evidence: LocalId,
    ) -> Result<bool, MessengerError> {
        loop {
            let mut record = match self.evidence_record(&evidence) {
                Ok(r) => r,
                Err(MessengerError::UnknownEvidence) => {
                    let mut batch = self.store.batch();
                    batch.delete(Table::Outbox, key)?;
                    self.commit(batch)?;
                    return Ok(true);
                }
                Err(e) => return Err(e),
            };
            match record.state {
                EvidenceState::Captured => {
                    let signed = record.signed_manifest()?;
                    let salt = Salt::from_bytes(record.salt);
                    let leaf = commitment(&salt, &signed.hash());
                    let (log_key, _) = self.pinned_log().await?;
                    let receipt = self.client().await?.log_append(&log_key, leaf).await?;
                    let mut batch = self.store.batch();
                    self.advance_log(&mut batch, receipt.checkpoint()).await?;
                    record.receipt = Some(receipt.receipt().to_text());
                    record.state = EvidenceState::Committed;
                    records::put(&mut batch, Table::Evidence, &item_key(&record.id), &record)?;
                    self.commit(batch)?;
                }
                EvidenceState::Committed => {
                    let spool = record.spool.clone().ok_or(MessengerError::CorruptRecord)?;
                    let spool_path = self.spool_dir().join(&spool);
                    let (blob, parts) = self
                        .upload_spool(
                            record.upload,
                            record.file.blob_len,
                            &spool_path,
                            |batch, parts| {
                                let with_blob = EvidenceRecord {
                                    upload: Some(parts),
                                    ..record.clone()
                                };
                                records::put(
                                    batch,
                                    Table::Evidence,
                                    &item_key(&record.id),
                                    &with_blob,
                                )
                            },
                        )
                        .await?;
                    record.upload = Some(parts);
                    record.file.blob_id = blob.0;
                    record.state = EvidenceState::Uploaded;
                    let mut batch = self.store.batch();
                    records::put(&mut batch, Table::Evidence, &item_key(&record.id), &record)?;
                    self.commit(batch)?;
                }
                EvidenceState::Uploaded => {
                    if record.deposit.is_none() {
                        let mut group = self.group_by_id(&record.group)?;
                        if !group.active {
                            return Err(MessengerError::NotMember);
                        }
                        let mut mls_group = self.mls.load_group(&group.mls_group_id)?;
                        if mls_group.pending_commit().is_some() {
                            return Ok(false);
                        }
                        let content =
                            Content::Evidence(Box::new(self.evidence_item(&record)?)).encode()?;
                        let body = self.mls.encrypt(&mut mls_group, &content)?;
                        group.sent_since_update = group.sent_since_update.saturating_add(1);
                        record.deposit = Some((group.mailbox.send_id, random_deposit_key(), body));
                        let mut batch = self.store.batch();
                        records::put(&mut batch, Table::Groups, &group.id, &group)?;
                        records::put(&mut batch, Table::Evidence, &item_key(&record.id), &record)?;
                        self.commit(batch)?;
                    }
                    let (send_id, deposit_key, body) = record
                        .deposit
                        .clone()
                        .ok_or(MessengerError::CorruptRecord)?;
                    self.client()
                        .await?
                        .deposit_with_key(&SendId(send_id), DepositKey(deposit_key), body)
                        .await?;
                    record.deposit = None;
                    record.state = EvidenceState::Delivered;
                    let mut batch = self.store.batch();
                    records::put(&mut batch, Table::Evidence, &item_key(&record.id), &record)?;
                    batch.delete(Table::Outbox, key)?;
                    self.commit(batch)?;
                    return Ok(true);
                }
                _ => {
                    let mut batch = self.store.batch();
                    batch.delete(Table::Outbox, key)?;
                    self.commit(batch)?;
                    return Ok(true);
                }
            }
        }
    }

    /// The MLS content announcing an uploaded item.
    pub(crate) fn evidence_item(
        &self,
        record: &EvidenceRecord,
    ) -> Result<EvidenceItem, MessengerError> {
        let receipt = record
            .receipt
            .as_deref()
            .ok_or(MessengerError::CorruptRecord)?;
        let seen_checkpoint = match &record.seen_checkpoint {
            Some(text) => Some(
                SignedCheckpoint::parse(text.as_bytes())
                    .map_err(|_| MessengerError::CorruptRecord)?,
            ),
            None => None,
        };
        let enrolment = match &record.enrolment {
            Some(bytes) => {
                Some(SignedEnrolment::decode(bytes).map_err(|_| MessengerError::CorruptRecord)?)
            }
            None => None,
        };
        Ok(EvidenceItem {
            manifest: record.signed_manifest()?,
            salt: Salt::from_bytes(record.salt),
            receipt: Receipt::parse(receipt.as_bytes())
                .map_err(|_| MessengerError::CorruptRecord)?,
            seen_checkpoint,
            enrolment,
            file: super::transfer::ref_from_record(&record.file)?,
        })
    }

    /// Every evidence item, oldest first.
    pub fn evidence_list(&self) -> Result<Vec<EvidenceView>, MessengerError> {
        let mut out = Vec::new();
        for (_, r) in records::all::<EvidenceRecord>(&self.store, Table::Evidence, &[ITEM_PREFIX])?
        {
            out.push(self.evidence_view(&r)?);
        }
        out.sort_by_key(|v| v.device_time);
        Ok(out)
    }

    /// One item by its local ID (16 hex digits) or evidence ID (32).
    pub fn evidence_show(&self, id: &str) -> Result<EvidenceView, MessengerError> {
        let record = self.find_evidence(id)?;
        self.evidence_view(&record)
    }

    pub(crate) fn find_evidence(&self, id: &str) -> Result<EvidenceRecord, MessengerError> {
        if let Some(local) = parse_id(id) {
            return self.evidence_record(&local);
        }
        let eid = EvidenceId::from_hex(id.trim()).ok_or(MessengerError::UnknownEvidence)?;
        let local: LocalId = records::get(&self.store, Table::Evidence, &seen_key(&eid))?
            .ok_or(MessengerError::UnknownEvidence)?;
        self.evidence_record(&local)
    }

    fn evidence_view_by_id(&self, id: &LocalId) -> Result<EvidenceView, MessengerError> {
        let record = self.evidence_record(id)?;
        self.evidence_view(&record)
    }

    pub(crate) fn evidence_view(
        &self,
        record: &EvidenceRecord,
    ) -> Result<EvidenceView, MessengerError> {
        let signed = record.signed_manifest()?;
        let m = signed.unverified();
        let (log_index, log_time) = match record
            .receipt
            .as_deref()
            .map(|t| Receipt::parse(t.as_bytes()))
        {
            Some(Ok(r)) => (
                Some(r.leaf_index),
                self.log_state()?
                    .and_then(|s| s.log_key().ok())
                    .and_then(|k| r.checkpoint.verify(&k).ok())
                    .map(|c| c.time()),
            ),
            _ => (None, None),
        };
        Ok(EvidenceView {
            id: id_hex(&record.id),
            evidence_id: m.evidence_id.to_hex(),
            outgoing: record.outgoing,
            conversation: self
                .group_by_id(&record.group)
                .map(|g| g.name)
                .unwrap_or_default(),
            case_ref: m.case_ref.clone(),
            kind: m.kind.as_str().to_owned(),
            file_name: m.file_name.clone(),
            media_type: m.media_type.clone(),
            size: m.content_len,
            sha256: hex_of(&m.content_sha256),
            device_time: m.device_time,
            sequence: m.sequence,
            state: record.state,
            log_index,
            log_time,
            checks: record.checks.clone(),
            fields: m
                .fields
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.to_owned()))
                .collect(),
        })
    }
}

/// Remove a source file the user asked to delete once its encrypted copy
/// is durable: overwritten with zeros and synced, then unlinked. On flash
/// storage and journalling or copy-on-write file systems the old blocks may
/// survive; `docs/evidence.md` says so.
pub(crate) fn remove_original(path: &Path) -> Result<(), MessengerError> {
    let len = std::fs::metadata(path)?.len();
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        let zeros = vec![0u8; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            f.write_all(&zeros[..n])?;
            left -= n as u64;
        }
        f.sync_all()?;
    }
    std::fs::remove_file(path)?;
    Ok(())
}

impl Messenger {
    /// Keep the desk's enrolment of this device (in `batch`) if it enrols
    /// this device's evidence key. Returns whether it did.
    pub(crate) fn accept_enrolment(
        &mut self,
        batch: &mut WriteBatch,
        enrolled_key: ed25519_dalek::VerifyingKey,
        record: Vec<u8>,
    ) -> Result<bool, MessengerError> {
        let Some(mut device) = self.evidence_device()? else {
            return Ok(false);
        };
        if device.signing_key().verifying_key() != enrolled_key {
            return Ok(false);
        }
        device.enrolment = Some(record);
        records::put(batch, Table::Meta, DEVICE_KEY, &device)?;
        Ok(true)
    }

    /// Whether this device's evidence key is enrolled by a desk (the
    /// enrolment arrived), and by which label and organisation.
    pub fn evidence_enrolment(&self) -> Result<Option<(String, String)>, MessengerError> {
        let Some(device) = self.evidence_device()? else {
            return Ok(None);
        };
        Ok(device
            .enrolment
            .as_deref()
            .and_then(|b| SignedEnrolment::decode(b).ok())
            .map(|e| {
                let r = e.unverified();
                (r.device_label.clone(), r.organisation.clone())
            }))
    }
}

impl Messenger {
    /// The desk said it has (and verified, or not) one of this device's
    /// items: mark it confirmed (in `batch`) and delete its spool copy. The
    /// file goes first: if the write then fails, the message is processed
    /// again on the next sync and removing a removed file is harmless.
    pub(crate) fn evidence_confirmed(
        &mut self,
        batch: &mut WriteBatch,
        group: LocalId,
        evidence_id: &EvidenceId,
        verified: bool,
    ) -> Result<(), MessengerError> {
        let Some(local) =
            records::get::<LocalId>(&self.store, Table::Evidence, &seen_key(evidence_id))?
        else {
            return Ok(());
        };
        let mut record = self.evidence_record(&local)?;
        // Only the desk group the item was delivered to can confirm it: a
        // confirmation lets this device delete its only copy.
        if !record.outgoing || record.state != EvidenceState::Delivered || record.group != group {
            return Ok(());
        }
        record.state = if verified {
            EvidenceState::Confirmed
        } else {
            EvidenceState::Failed
        };
        if verified {
            if let Some(spool) = record.spool.take() {
                remove_if_exists(&self.spool_dir().join(spool))?;
            }
        }
        records::put(batch, Table::Evidence, &item_key(&record.id), &record)?;
        Ok(())
    }
}

impl Messenger {
    /// Move this profile's view of the relay's log to the relay's current
    /// checkpoint (checked consistent with the last one seen), so the next
    /// capture names a recent checkpoint as its "not before" bound. Only
    /// for profiles that capture or receive evidence.
    pub(crate) async fn refresh_log(&mut self) -> Result<(), MessengerError> {
        if self.evidence_device()?.is_none() && self.log_state()?.is_none() {
            return Ok(());
        }
        let (key, _) = self.pinned_log().await?;
        let current = self.client().await?.log_checkpoint(&key).await?;
        let mut batch = self.store.batch();
        self.advance_log(&mut batch, &current).await?;
        self.commit(batch)
    }
}
