//! Files: encrypted with the age format to a fresh identity, padded, spooled,
//! uploaded as a resumable blob; the identity travels inside MLS.
//!
//! Sending: the file is read once, hashed (SHA-256) and age-encrypted into
//! the profile's spool; the spool file is padded (Padmé) so the relay learns
//! only a bucket of sizes. The outbox then creates the blob (its ID and
//! upload token are written before the first byte leaves, so an upload
//! interrupted by anything, a crash included, resumes where it stopped),
//! uploads, and only then sends the file reference (blob ID, lengths, age
//! identity, name, type, size, hash) as an MLS message.
//!
//! Saving: the blob is downloaded (each segment checked against its hash),
//! decrypted, and the plaintext checked against the hash and size its
//! sender put in the reference before it is renamed into place.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sanad_protocol::content::{AgeIdentity, Content, FileRef};
use sanad_protocol::envelope::padme;
use sanad_protocol::ids::{BlobId, UploadToken};
use sha2::{Digest, Sha256};

use super::records::{self, parse_id, FileRecord, HistoryBody, HistoryEntry, OutboxItem};
use super::sync::HistoryView;
use super::{remove_if_exists, Messenger, MessengerError};
use crate::blob::{BlobUpload, Progress};
use crate::profile::store::Table;

/// A file as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileView {
    /// The sender's file name (shown; sanitised when saved).
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// Plaintext size in bytes.
    pub size: u64,
    /// Plaintext SHA-256, hex.
    pub sha256: String,
}

impl From<&FileRecord> for FileView {
    fn from(f: &FileRecord) -> Self {
        FileView {
            name: f.name.clone(),
            media_type: f.media_type.clone(),
            size: f.size,
            sha256: super::hex_of(&f.sha256),
        }
    }
}

pub(crate) fn record_from_ref(f: &FileRef) -> FileRecord {
    FileRecord {
        blob_id: f.blob_id.0,
        blob_len: f.blob_len,
        cipher_len: f.cipher_len,
        age_identity: f.age_identity.expose_secret().to_owned(),
        name: f.name.clone(),
        media_type: f.media_type.clone(),
        size: f.size,
        sha256: f.sha256,
    }
}

pub(crate) fn ref_from_record(f: &FileRecord) -> Result<FileRef, MessengerError> {
    Ok(FileRef {
        blob_id: BlobId(f.blob_id),
        blob_len: f.blob_len,
        cipher_len: f.cipher_len,
        age_identity: AgeIdentity::new(f.age_identity.clone())?,
        name: f.name.clone(),
        media_type: f.media_type.clone(),
        size: f.size,
        sha256: f.sha256,
    })
}

/// The media type for a file name's extension (what the receiver shows).
pub fn media_type_for(name: &str) -> &'static str {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "heic" => "image/heic",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "3gp" => "video/3gpp",
        "m4a" => "audio/mp4",
        "mp3" => "audio/mpeg",
        "ogg" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "amr" => "audio/amr",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Encrypt `source` into `spool` with a fresh age identity; returns the
/// record (blob fields still empty) and the padded length. Blocking.
pub(crate) fn encrypt_to_spool(source: &Path, spool: &Path) -> Result<FileRecord, MessengerError> {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public();
    let input = std::fs::File::open(source)?;
    let size = input.metadata()?.len();
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(spool)?;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| MessengerError::Age(e.to_string()))?;
    let mut writer = encryptor.wrap_output(BufWriter::with_capacity(1 << 20, out))?;
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        writer.write_all(&buf[..n])?;
        total += n as u64;
    }
    if total != size {
        return Err(MessengerError::FileChanged);
    }
    let mut out = writer.finish()?.into_inner().map_err(|e| e.into_error())?;
    let cipher_len = out.metadata()?.len();
    let padded = padme(usize::try_from(cipher_len).unwrap_or(usize::MAX)) as u64;
    // Padding after the age stream: its content is irrelevant (the receiver
    // reads `cipher_len` bytes), zeros reveal nothing.
    let pad = padded.saturating_sub(cipher_len);
    std::io::copy(&mut std::io::repeat(0).take(pad), &mut out)?;
    out.sync_all()?;
    use age::secrecy::ExposeSecret;
    Ok(FileRecord {
        blob_id: [0; 32],
        blob_len: cipher_len + pad,
        cipher_len,
        age_identity: identity.to_string().expose_secret().to_owned(),
        name,
        media_type: media_type_for(source.to_string_lossy().as_ref()).to_owned(),
        size,
        sha256: hasher.finalize().into(),
    })
}

/// Decrypt the first `cipher_len` bytes of `cipher` into `out`, checking the
/// plaintext against the record. Blocking.
fn decrypt_from(cipher: &Path, record: &FileRecord, out: &Path) -> Result<(), MessengerError> {
    let identity: age::x25519::Identity = record
        .age_identity
        .parse()
        .map_err(|_| MessengerError::Age("bad identity".into()))?;
    let input = std::fs::File::open(cipher)?.take(record.cipher_len);
    let decryptor = age::Decryptor::new(BufReader::with_capacity(1 << 20, input))
        .map_err(|e| MessengerError::Age(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| MessengerError::Age(e.to_string()))?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)?;
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(_) => return Err(MessengerError::Integrity),
        };
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > record.size {
            return Err(MessengerError::Integrity);
        }
        hasher.update(&buf[..n]);
        writer.write_all(&buf[..n])?;
    }
    let digest: [u8; 32] = hasher.finalize().into();
    if total != record.size || digest != record.sha256 {
        return Err(MessengerError::Integrity);
    }
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(())
}

fn spool_name() -> String {
    format!("{}.age", super::records::id_hex(&super::records::new_id()))
}

impl Messenger {
    /// Where long transfers report progress (default: nowhere).
    pub fn set_progress(&mut self, progress: Arc<dyn Progress>) {
        self.progress = progress;
    }

    /// Send a file to the conversation `name`: encrypted into the spool at
    /// once (the original is no longer needed), then uploaded and announced
    /// through the outbox. Returns the history line (`Queued` if the relay
    /// is out of reach: it leaves with the next sync).
    pub async fn send_file(
        &mut self,
        name: &str,
        path: &Path,
    ) -> Result<HistoryView, MessengerError> {
        self.check()?;
        let mut group = self.resolve(name)?;
        if !group.active {
            return Err(MessengerError::NotMember);
        }
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(MessengerError::NotARegularFile);
        }
        if meta.len() > crate::limits::MAX_FILE_LEN {
            return Err(MessengerError::FileTooLarge);
        }
        std::fs::create_dir_all(self.spool_dir())?;
        let spool_file = spool_name();
        let spool = self.spool_dir().join(&spool_file);
        let source = path.to_path_buf();
        let spool_for_task = spool.clone();
        let record =
            tokio::task::spawn_blocking(move || encrypt_to_spool(&source, &spool_for_task))
                .await
                .map_err(|_| MessengerError::Age("encryption task failed".into()))?;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let _ = remove_if_exists(&spool);
                return Err(e);
            }
        };
        let mut batch = self.store.batch();
        let key = self.push_history(
            &mut batch,
            &mut group,
            HistoryBody::File(record.clone()),
            true,
            &[],
        )?;
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.push_outbox(
            &mut batch,
            OutboxItem::File {
                group: group.id,
                spool: spool_file,
                record: Box::new(record),
                history: key.clone(),
                upload: None,
            },
        )?;
        if let Err(e) = self.commit(batch) {
            let _ = remove_if_exists(&spool);
            return Err(e);
        }
        let _ = self.sync_inner(false).await;
        let entry: HistoryEntry = records::get(&self.store, Table::Messages, &key)?
            .ok_or(MessengerError::CorruptRecord)?;
        let group = self.group_by_id(&group.id)?;
        Ok(self.view(&group, &entry))
    }

    /// Upload a spooled file, then turn the outbox item into the message
    /// that announces it.
    pub(crate) async fn flush_file(
        &mut self,
        key: &[u8],
        item: OutboxItem,
    ) -> Result<bool, MessengerError> {
        let OutboxItem::File {
            group,
            ref spool,
            ref record,
            ref history,
            upload,
        } = item
        else {
            return Ok(false);
        };
        let spool_path = self.spool_dir().join(spool);
        // The blob's ID and token are durable before any byte leaves.
        let upload = match upload {
            Some(u) => u,
            None => {
                let created = self.client().await?.create_blob(record.blob_len).await?;
                let parts = (created.blob_id().0, created.token().0, created.size());
                let mut batch = self.store.batch();
                let next = OutboxItem::File {
                    group,
                    spool: spool.clone(),
                    record: record.clone(),
                    history: history.clone(),
                    upload: Some(parts),
                };
                records::put(&mut batch, Table::Outbox, key, &next)?;
                self.commit(batch)?;
                parts
            }
        };
        let resume = BlobUpload::from_parts(BlobId(upload.0), UploadToken(upload.1), upload.2);
        let progress = self.progress.clone();
        let sealed = self
            .client()
            .await?
            .upload_file(&spool_path, Some(&resume), progress.as_ref())
            .await?;
        let mut record = (**record).clone();
        record.blob_id = sealed.blob.blob_id().0;
        let content = Content::File(ref_from_record(&record)?).encode()?.to_vec();
        let mut batch = self.store.batch();
        if let Some(mut entry) =
            records::get::<HistoryEntry>(&self.store, Table::Messages, history)?
        {
            entry.body = HistoryBody::File(record.clone());
            records::put(&mut batch, Table::Messages, history, &entry)?;
        }
        records::put(
            &mut batch,
            Table::Outbox,
            key,
            &OutboxItem::Content {
                group,
                content,
                history: Some(history.clone()),
            },
        )?;
        self.commit(batch)?;
        let _ = remove_if_exists(&spool_path);
        Ok(true)
    }

    /// Save a received (or sent) file to `out`, which must not exist. The
    /// plaintext is checked against the sender's hash before it appears at
    /// `out`.
    pub async fn save_file(
        &mut self,
        message_id: &str,
        out: &Path,
    ) -> Result<FileView, MessengerError> {
        self.check()?;
        let id = parse_id(message_id).ok_or(MessengerError::UnknownMessage)?;
        let (_, entry) = self.history_entry(&id)?;
        let HistoryBody::File(record) = entry.body else {
            return Err(MessengerError::NotAFile);
        };
        if record.blob_id == [0; 32] {
            // Our own file, not uploaded yet.
            return Err(MessengerError::NotAFile);
        }
        if out.exists() {
            return Err(MessengerError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the output file exists",
            )));
        }
        std::fs::create_dir_all(self.spool_dir())?;
        let cipher = self.spool_dir().join(format!("{}.download", spool_name()));
        let progress = self.progress.clone();
        let downloaded = match self.client().await {
            Ok(client) => client
                .download_file(
                    &BlobId(record.blob_id),
                    record.blob_len,
                    &cipher,
                    progress.as_ref(),
                )
                .await
                .map_err(MessengerError::from),
            Err(e) => Err(e),
        };
        if let Err(e) = downloaded {
            let _ = remove_if_exists(&cipher);
            self.forget_client_if(&e).await;
            return Err(e);
        }
        let partial = partial_path(out);
        let (c, r, p) = (cipher.clone(), record.clone(), partial.clone());
        let result = tokio::task::spawn_blocking(move || decrypt_from(&c, &r, &p))
            .await
            .map_err(|_| MessengerError::Age("decryption task failed".into()))
            .and_then(|r| r);
        let _ = remove_if_exists(&cipher);
        if let Err(e) = result {
            let _ = remove_if_exists(&partial);
            return Err(e);
        }
        std::fs::rename(&partial, out)?;
        Ok(FileView::from(&record))
    }
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".sanad-partial");
    out.with_file_name(name)
}
