//! Export: verified items out of the desk's archive into bundles anyone can
//! check offline (`docs/evidence-format.md` §6), with an HTML report in the
//! desk's language.
//!
//! `export_evidence` writes a new directory: one bundle (`.zip`) per item,
//! named by case and evidence ID, and `report.html` over all of them. Each
//! bundle is checked with the offline verifier right after it is written;
//! a bundle that would not verify is removed and the export fails.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};

use sanad_protocol::evidence::{
    verify_bundle, write_bundle, BundleParts, LinkedCheckpoint, SignedEnrolment, VerifyOptions,
};
use sanad_protocol::log::{Receipt, SignedCheckpoint};

use super::evidence::{EvidenceRecord, EvidenceState};
use super::{hex_of, now_secs, Messenger, MessengerError};
use crate::evidence::report::{self, ReportInput, ReportItem};
use crate::i18n::Lang;

/// What an export wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportView {
    /// The directory written.
    pub directory: PathBuf,
    /// One bundle per item.
    pub bundles: Vec<PathBuf>,
    /// The HTML report.
    pub report: PathBuf,
}

impl Messenger {
    /// Export the items `ids` (local or evidence IDs, each received here
    /// and verified) into the new directory `out`. Reaches the relay for a
    /// fresh consistency proof when it can; offline, the proof recorded at
    /// verification is used.
    pub async fn export_evidence(
        &mut self,
        ids: &[String],
        out: &Path,
        lang: Lang,
    ) -> Result<ExportView, MessengerError> {
        self.check()?;
        let mut records = Vec::new();
        for id in ids {
            let r = self.find_evidence(id)?;
            if r.outgoing || r.state != EvidenceState::Verified {
                return Err(MessengerError::EvidenceNotVerified);
            }
            records.push(r);
        }
        // Made here and only here (an existing folder is refused, never
        // adopted), so that a failed export may remove it whole.
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir(out)?;
        let result = self.export_into(&records, out, lang).await;
        if result.is_err() {
            let _ = std::fs::remove_dir_all(out);
        }
        result
    }

    async fn export_into(
        &mut self,
        records: &[EvidenceRecord],
        out: &Path,
        lang: Lang,
    ) -> Result<ExportView, MessengerError> {
        let desk = self.desk_public_key()?;
        let (log_key, _) = self.pinned_log().await?;
        // Move to the relay's current checkpoint if it is reachable.
        let _ = self.refresh_log().await;
        let mut bundles = Vec::new();
        let mut items = Vec::new();
        for record in records {
            let parts = self.bundle_parts(record).await?;
            let name = format!(
                "{}-{}.zip",
                sanad_protocol::content::sanitize_file_name(&parts.manifest.unverified().case_ref),
                parts.manifest.unverified().evidence_id.to_hex()
            );
            let path = out.join(name);
            let archive = self.dir.archive_path().join(
                record
                    .archive
                    .as_deref()
                    .ok_or(MessengerError::CorruptRecord)?,
            );
            let archive_path = archive.clone();
            let (p, a, f) = (path.clone(), archive, record.file.clone());
            let verdict = tokio::task::spawn_blocking(move || -> Result<_, MessengerError> {
                write_one(&p, &parts, &a, &f)?;
                let reader = BufReader::new(File::open(&p)?);
                let opts = VerifyOptions {
                    trusted_desk_keys: parts
                        .enrolment
                        .iter()
                        .map(|e| e.unverified().desk_key)
                        .collect(),
                    trusted_log_keys: vec![parts.log_key.clone()],
                    tsa_certs: Vec::new(),
                };
                Ok(verify_bundle(reader, &opts))
            })
            .await
            .map_err(|_| MessengerError::Age("export task failed".into()))??;
            let Some(verified) = verdict.verified() else {
                let _ = std::fs::remove_file(&path);
                return Err(MessengerError::ExportDidNotVerify(
                    verdict
                        .failures()
                        .next()
                        .map(|e| e.id())
                        .unwrap_or("unknown"),
                ));
            };
            let (a, f, media, copies) = (
                archive_path.clone(),
                record.file.clone(),
                verified.manifest().manifest().media_type.clone(),
                verified.derivatives().to_vec(),
            );
            let redactions =
                tokio::task::spawn_blocking(move || redactions_of(&a, &f, &media, &copies))
                    .await
                    .map_err(|_| MessengerError::Age("export task failed".into()))??;
            items.push(report_item(verified, &verdict, &redactions));
            bundles.push(path);
        }
        let input = ReportInput {
            lang,
            generated_at: now_secs(),
            bundle_name: out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            items,
            desk_key_fingerprint: desk,
            log_key: hex_of(log_key.public_key().as_bytes()),
        };
        let report_path = out.join("report.html");
        std::fs::write(&report_path, report::render_html(&input))?;
        Ok(ExportView {
            directory: out.to_path_buf(),
            bundles,
            report: report_path,
        })
    }

    /// Everything but the original for one item's bundle.
    async fn bundle_parts(
        &mut self,
        record: &EvidenceRecord,
    ) -> Result<BundleParts, MessengerError> {
        let (log_key, state) = self.pinned_log().await?;
        let manifest = record.signed_manifest()?;
        let receipt = Receipt::parse(
            record
                .receipt
                .as_deref()
                .ok_or(MessengerError::CorruptRecord)?
                .as_bytes(),
        )
        .map_err(|_| MessengerError::CorruptRecord)?;
        let receipt_cp = receipt
            .checkpoint
            .verify(&log_key)
            .map_err(|_| MessengerError::CorruptRecord)?;
        // The latest checkpoint and the proof to it: fresh when the relay
        // answers, else the one recorded at verification.
        let latest_cp = state
            .signed_checkpoint()?
            .verify(&log_key)
            .map_err(|_| MessengerError::CorruptRecord)?;
        let fresh = if latest_cp.size() > receipt_cp.size() {
            match self.client().await {
                Ok(c) => c
                    .log_consistency(&log_key, &receipt_cp, &latest_cp)
                    .await
                    .ok()
                    .map(|p| p.hashes().to_vec()),
                Err(_) => None,
            }
        } else {
            Some(Vec::new())
        };
        let latest = match fresh {
            Some(proof) => LinkedCheckpoint {
                checkpoint: latest_cp.signed().clone(),
                proof,
            },
            None => {
                let (text, proof) = record
                    .consistency
                    .clone()
                    .ok_or(MessengerError::EvidenceNotVerified)?;
                LinkedCheckpoint {
                    checkpoint: SignedCheckpoint::parse(text.as_bytes())
                        .map_err(|_| MessengerError::CorruptRecord)?,
                    proof,
                }
            }
        };
        let seen = match (&record.seen_checkpoint, &record.seen_proof) {
            (Some(text), Some(proof)) => Some(LinkedCheckpoint {
                checkpoint: SignedCheckpoint::parse(text.as_bytes())
                    .map_err(|_| MessengerError::CorruptRecord)?,
                proof: proof.clone(),
            }),
            _ => None,
        };
        // This desk's own enrolment of the device, else the one it sent.
        let device_key = manifest.unverified().device_key.to_bytes();
        let enrolment = match self.enrolled_device(&device_key)? {
            Some(d) => Some(d.record),
            None => record.enrolment.clone(),
        };
        let enrolment = match enrolment {
            Some(b) => {
                Some(SignedEnrolment::decode(&b).map_err(|_| MessengerError::CorruptRecord)?)
            }
            None => None,
        };
        let desk_key = match &enrolment {
            Some(e) => e.unverified().desk_key,
            None => return Err(MessengerError::DeviceNotEnrolled),
        };
        Ok(BundleParts {
            manifest,
            salt: sanad_protocol::evidence::Salt::from_bytes(record.salt),
            receipt,
            seen,
            latest,
            enrolment,
            desk_key,
            log_key,
            anchors: self.anchors_for(&receipt_cp).await?,
            derivatives: self.derivatives_of(record)?,
        })
    }
}

/// The original of an archived item, decrypted as it is read. Blocking.
fn open_archived(
    archive: &Path,
    file: &super::records::FileRecord,
) -> Result<impl Read, MessengerError> {
    let identity: age::x25519::Identity = file
        .age_identity
        .parse()
        .map_err(|_| MessengerError::Age("bad identity".into()))?;
    let input = File::open(archive)?.take(file.cipher_len);
    let decryptor = age::Decryptor::new(BufReader::with_capacity(1 << 20, input))
        .map_err(|e| MessengerError::Age(e.to_string()))?;
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| MessengerError::Age(e.to_string()))
}

/// What the redacted copies of an item lack, for the report: the
/// redaction run again on the original (into nothing), which also checks
/// that it still gives each copy's signed hash. `None` for a copy it does
/// not give. Blocking.
fn redactions_of(
    archive: &Path,
    file: &super::records::FileRecord,
    media_type: &str,
    copies: &[sanad_protocol::evidence::VerifiedDerivative],
) -> Result<Vec<Option<Vec<crate::evidence::redact::RemovedKind>>>, MessengerError> {
    if copies.is_empty() {
        return Ok(Vec::new());
    }
    let summary = crate::evidence::redact::strip_metadata(
        open_archived(archive, file)?,
        std::io::sink(),
        media_type,
    )
    .ok();
    Ok(copies
        .iter()
        .map(|d| match &summary {
            Some(s) if s.output_sha256 == d.record().derivative_sha256 => Some(s.removed.clone()),
            _ => None,
        })
        .collect())
}

/// Write one bundle, the original decrypted from the archive as it is
/// copied in (the bundle writer checks its hash and length). Blocking.
fn write_one(
    path: &Path,
    parts: &BundleParts,
    archive: &Path,
    file: &super::records::FileRecord,
) -> Result<(), MessengerError> {
    let reader = open_archived(archive, file)?;
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let written = write_bundle(BufWriter::with_capacity(1 << 20, out), parts, reader)
        .map_err(|e| MessengerError::Bundle(e.to_string()))?;
    let file = written.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}

/// The report's view of one verified bundle.
pub(crate) fn report_item(
    v: &sanad_protocol::evidence::VerifiedBundle,
    verdict: &sanad_protocol::evidence::Verdict,
    redactions: &[Option<Vec<crate::evidence::redact::RemovedKind>>],
) -> ReportItem {
    use report::Check as R;
    use sanad_protocol::evidence::{CheckId, Outcome};
    let m = v.manifest().manifest();
    let e = v.enrolment().record();
    let kind = match (m.kind, m.media_type.split('/').next().unwrap_or("")) {
        (sanad_protocol::evidence::EvidenceKind::Testimony, _) => report::EvidenceKind::Testimony,
        (_, "image") => report::EvidenceKind::Photo,
        (_, "video") => report::EvidenceKind::Video,
        (_, "audio") => report::EvidenceKind::Audio,
        (_, "application") | (_, "text") => report::EvidenceKind::Document,
        _ => report::EvidenceKind::Other,
    };
    let mut checks = Vec::new();
    for c in &verdict.checks {
        let mapped = match c.id {
            CheckId::ManifestSignature => Some(R::ManifestSignature),
            CheckId::Content => Some(R::ContentHash),
            CheckId::Receipt => Some(R::LogInclusion),
            CheckId::Commitment => Some(R::LogCommitment),
            CheckId::Enrolment => Some(R::DeviceEnrolment),
            CheckId::SeenCheckpoint => Some(R::NotBefore),
            CheckId::LatestCheckpoint => Some(R::LogConsistency),
            CheckId::Anchor(_) => Some(R::Timestamp),
            CheckId::Derivative(_) => Some(R::DerivativeRecord),
            _ => None,
        };
        let (Some(check), passed) = (
            mapped,
            match &c.outcome {
                Outcome::Passed => Some(true),
                Outcome::Failed(_) => Some(false),
                Outcome::NotRun(_) => None,
            },
        ) else {
            continue;
        };
        let Some(passed) = passed else { continue };
        checks.push(report::ReportCheck {
            check,
            passed,
            detail: None,
        });
    }
    let w = v.window();
    ReportItem {
        evidence_id: m.evidence_id.to_hex(),
        case_ref: m.case_ref.clone(),
        kind,
        media_type: m.media_type.clone(),
        file_name: m.file_name.clone(),
        size: m.content_len,
        sha256: hex_of(&m.content_sha256),
        device_label: e.device_label.clone(),
        organisation: e.organisation.clone(),
        enrolled: true,
        device_time: Some(w.device_time),
        not_before: w.not_before,
        relay_time: w.not_after_relay,
        tsa_times: v
            .anchors()
            .iter()
            .map(|a| report::TsaTime {
                authority: a.tsa_name.clone(),
                time: a.tsa_time,
            })
            .collect(),
        log_index: v.receipt().leaf_index(),
        log_origin: v.log_key().origin().to_owned(),
        checks,
        verdict_ok: true,
        fields: m
            .fields
            .iter()
            .map(|(n, val)| (n.as_str().to_owned(), val.to_owned()))
            .collect(),
        derivatives: v
            .derivatives()
            .iter()
            .zip(redactions.iter().chain(std::iter::repeat(&None)))
            .map(|(d, removed)| {
                let r = d.record();
                report::ReportDerivative {
                    sha256: hex_of(&r.derivative_sha256),
                    media_type: r.derivative_media_type.clone(),
                    size: r.derivative_len,
                    // Reproduced from the original: exactly what it lacks.
                    // Otherwise the record's own word: metadata stripped.
                    removed: removed.clone(),
                    link_verified: true,
                }
            })
            .collect(),
    }
}

/// Store key prefix (`Evidence`) of stored RFC 3161 anchors.
const ANCHOR_PREFIX: u8 = b'a';
/// Store key prefix (`Evidence`) of derivative records (`r` ‖ item ID ‖ n).
const DERIVATIVE_PREFIX: u8 = b'r';

/// An RFC 3161 token over one of the log's checkpoints (`Evidence` /
/// `a` ‖ counter).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredAnchor {
    /// The signed checkpoint note stamped.
    pub(crate) checkpoint: String,
    /// The timestamp token (DER).
    pub(crate) token: Vec<u8>,
    /// The authority's name, as its certificate says.
    pub(crate) tsa_name: String,
    /// The authority's time, Unix seconds.
    pub(crate) tsa_time: u64,
}

/// An anchor as `sanad anchor` reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnchorView {
    /// The authority's name.
    pub authority: String,
    /// The authority's time, Unix seconds.
    pub time: u64,
    /// The size of the log checkpoint stamped.
    pub tree_size: u64,
}

/// A redacted copy as `sanad evidence redact` reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RedactView {
    /// Where the copy was written.
    pub path: PathBuf,
    /// What was removed (stable names).
    pub removed: Vec<String>,
    /// The copy's SHA-256, hex.
    pub sha256: String,
    /// The copy's size.
    pub size: u64,
}

impl Messenger {
    /// Keep an RFC 3161 token over `checkpoint` (a checkpoint of the pinned
    /// log, verified here): exported bundles of every item it covers
    /// include it.
    pub(crate) fn store_anchor(
        &mut self,
        anchor: StoredAnchor,
    ) -> Result<AnchorView, MessengerError> {
        self.check()?;
        let key = self
            .log_state()?
            .ok_or(MessengerError::CorruptRecord)?
            .log_key()?;
        let cp = SignedCheckpoint::parse(anchor.checkpoint.as_bytes())
            .map_err(|_| MessengerError::CorruptRecord)?
            .verify(&key)
            .map_err(|_| MessengerError::CorruptRecord)?;
        let n = super::records::all::<StoredAnchor>(
            &self.store,
            crate::profile::store::Table::Evidence,
            &[ANCHOR_PREFIX],
        )?
        .len() as u64;
        let mut k = vec![ANCHOR_PREFIX];
        k.extend_from_slice(&n.to_be_bytes());
        let mut batch = self.store.batch();
        super::records::put(
            &mut batch,
            crate::profile::store::Table::Evidence,
            &k,
            &anchor,
        )?;
        self.commit(batch)?;
        Ok(AnchorView {
            authority: anchor.tsa_name,
            time: anchor.tsa_time,
            tree_size: cp.size(),
        })
    }

    /// The stored anchors whose checkpoint includes `receipt`'s, each with
    /// the consistency proof to it (from the relay; an anchor whose proof
    /// cannot be had now is left out).
    async fn anchors_for(
        &mut self,
        receipt: &sanad_protocol::log::VerifiedCheckpoint,
    ) -> Result<Vec<sanad_protocol::evidence::Anchor>, MessengerError> {
        let (key, _) = self.pinned_log().await?;
        let stored = super::records::all::<StoredAnchor>(
            &self.store,
            crate::profile::store::Table::Evidence,
            &[ANCHOR_PREFIX],
        )?;
        let mut out = Vec::new();
        for (_, a) in stored {
            let Ok(signed) = SignedCheckpoint::parse(a.checkpoint.as_bytes()) else {
                continue;
            };
            let Ok(cp) = signed.verify(&key) else {
                continue;
            };
            if cp.size() < receipt.size() {
                continue;
            }
            let proof = if cp.size() == receipt.size() {
                Some(Vec::new())
            } else {
                match self.client().await {
                    Ok(c) => c
                        .log_consistency(&key, receipt, &cp)
                        .await
                        .ok()
                        .map(|p| p.hashes().to_vec()),
                    Err(_) => None,
                }
            };
            if let Some(proof) = proof {
                out.push(sanad_protocol::evidence::Anchor {
                    linked: LinkedCheckpoint {
                        checkpoint: signed,
                        proof,
                    },
                    token: a.token.clone(),
                });
            }
            if out.len() == sanad_protocol::limits::MAX_BUNDLE_ANCHORS {
                break;
            }
        }
        Ok(out)
    }

    fn derivatives_of(
        &self,
        record: &EvidenceRecord,
    ) -> Result<Vec<sanad_protocol::evidence::SignedDerivative>, MessengerError> {
        let mut prefix = vec![DERIVATIVE_PREFIX];
        prefix.extend_from_slice(&record.id);
        super::records::all::<Vec<u8>>(
            &self.store,
            crate::profile::store::Table::Evidence,
            &prefix,
        )?
        .into_iter()
        .take(sanad_protocol::limits::MAX_BUNDLE_DERIVATIVES)
        .map(|(_, b)| {
            sanad_protocol::evidence::SignedDerivative::decode(&b)
                .map_err(|_| MessengerError::CorruptRecord)
        })
        .collect()
    }

    /// Write a copy of a received, verified item without its identifying
    /// metadata (JPEG, PNG, WebP; other types are refused), and keep a
    /// record signed by the desk key that links it to the original's hash
    /// (exported bundles of the original include it). `out` must not exist.
    pub async fn redact_evidence(
        &mut self,
        id: &str,
        out: &Path,
    ) -> Result<RedactView, MessengerError> {
        self.check()?;
        let record = self.find_evidence(id)?;
        if record.outgoing || record.state != EvidenceState::Verified {
            return Err(MessengerError::EvidenceNotVerified);
        }
        let manifest = record.signed_manifest()?;
        let m = manifest.unverified().clone();
        let archive = self.dir.archive_path().join(
            record
                .archive
                .as_deref()
                .ok_or(MessengerError::CorruptRecord)?,
        );
        let partial = out.with_extension("sanad-partial");
        let (a, f, p, media) = (
            archive,
            record.file.clone(),
            partial.clone(),
            m.media_type.clone(),
        );
        let summary = tokio::task::spawn_blocking(move || -> Result<_, MessengerError> {
            let identity: age::x25519::Identity = f
                .age_identity
                .parse()
                .map_err(|_| MessengerError::Age("bad identity".into()))?;
            let input = File::open(&a)?.take(f.cipher_len);
            let decryptor = age::Decryptor::new(BufReader::with_capacity(1 << 20, input))
                .map_err(|e| MessengerError::Age(e.to_string()))?;
            let reader = decryptor
                .decrypt(std::iter::once(&identity as &dyn age::Identity))
                .map_err(|e| MessengerError::Age(e.to_string()))?;
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&p)?;
            let mut w = BufWriter::new(file);
            let summary = crate::evidence::redact::strip_metadata(reader, &mut w, &media)
                .map_err(MessengerError::Redact)?;
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            Ok(summary)
        })
        .await
        .map_err(|_| MessengerError::Age("redaction task failed".into()))?;
        let summary = match summary {
            Ok(s) if s.input_sha256 == m.content_sha256 => s,
            Ok(_) => {
                let _ = std::fs::remove_file(&partial);
                return Err(MessengerError::Integrity);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        let desk = self.desk_signing_key()?;
        let signed = sanad_protocol::evidence::DerivativeRecord {
            original_id: m.evidence_id,
            original_sha256: m.content_sha256,
            derivative_sha256: summary.output_sha256,
            derivative_len: summary.bytes_out,
            derivative_media_type: summary.media.media_type().to_owned(),
            transform: sanad_protocol::evidence::Transform::StripMetadata,
            made_at: now_secs(),
            signer_key: desk.verifying_key(),
        }
        .sign(&desk)
        .map_err(|_| MessengerError::CorruptRecord)?;
        let mut prefix = vec![DERIVATIVE_PREFIX];
        prefix.extend_from_slice(&record.id);
        let n = super::records::all::<Vec<u8>>(
            &self.store,
            crate::profile::store::Table::Evidence,
            &prefix,
        )?
        .len() as u64;
        prefix.extend_from_slice(&n.to_be_bytes());
        let mut batch = self.store.batch();
        super::records::put(
            &mut batch,
            crate::profile::store::Table::Evidence,
            &prefix,
            &signed.to_bytes(),
        )?;
        self.commit(batch)?;
        if out.exists() {
            let _ = std::fs::remove_file(&partial);
            return Err(MessengerError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the output exists",
            )));
        }
        std::fs::rename(&partial, out)?;
        Ok(RedactView {
            path: out.to_path_buf(),
            removed: summary.removed.iter().map(|r| format!("{r:?}")).collect(),
            sha256: hex_of(&summary.output_sha256),
            size: summary.bytes_out,
        })
    }
}

impl Messenger {
    /// Anchor the relay's current log checkpoint: ask each timestamp
    /// authority (`http://` URL, with its certificate in DER) for an RFC
    /// 3161 token over it, verify the token, and keep it for the bundles of
    /// every item the checkpoint covers. Stops at the first authority that
    /// fails (the tokens already obtained are kept).
    pub async fn anchor_log(
        &mut self,
        authorities: &[(String, Vec<u8>)],
    ) -> Result<Vec<AnchorView>, MessengerError> {
        self.check()?;
        self.pinned_log().await?;
        self.refresh_log().await?;
        let state = self.log_state()?.ok_or(MessengerError::CorruptRecord)?;
        let signed = state.signed_checkpoint()?;
        let stamped = signed.unverified().to_text();
        let mut views = Vec::new();
        for (url, cert) in authorities {
            let (token, verified) = crate::anchor::anchor(
                url,
                stamped.as_bytes(),
                &[cert.as_slice()],
                &crate::anchor::AnchorOptions::default(),
            )
            .await
            .map_err(MessengerError::Anchor)?;
            views.push(self.store_anchor(StoredAnchor {
                checkpoint: state.checkpoint.clone(),
                token,
                tsa_name: verified.tsa_name().to_owned(),
                tsa_time: verified.gen_time(),
            })?);
        }
        Ok(views)
    }
}
