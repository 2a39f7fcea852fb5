//! Files: encrypted with the age format to a fresh identity, padded, spooled,
//! uploaded as a resumable blob; the identity travels inside MLS.
//!
//! Sending: the file is read once, hashed (SHA-256) and age-encrypted into
//! the profile's spool, which is padded (Padmé) so the relay learns only a
//! bucket of sizes. The encryption and the upload overlap: once the age
//! header is written the padded length is known (age's length follows from
//! the plaintext's), so the blob is created and recorded in the outbox (its
//! ID and upload token, and the source's path, before the first byte
//! leaves), and each segment is uploaded as soon as the encryption has
//! written it. Only then is the file reference (blob ID, lengths, age
//! identity, name, type, size, hash) sent as an MLS message. A crash before
//! the upload finished starts again from the source; an upload that stops
//! for any other reason (the relay out of reach) resumes later from the
//! complete spool. Spool files are deleted off the caller's path, and a sync
//! removes any that no outbox item needs.
//!
//! Saving: the blob is downloaded (each segment checked against its hash),
//! decrypted, and the plaintext checked against the hash and size its
//! sender put in the reference before it is renamed into place.

use std::collections::HashSet;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sanad_protocol::content::{AgeIdentity, Content, FileRef};
use sanad_protocol::envelope::padme;
use sanad_protocol::ids::{BlobId, UploadToken};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use super::records::{
    self, parse_id, FileRecord, Group, HistoryBody, HistoryEntry, LocalId, OutboxItem, UploadParts,
};
use super::sync::HistoryView;
use super::{remove_if_exists, Messenger, MessengerError};
use crate::blob::{BlobUpload, Progress};
use crate::profile::store::{Table, WriteBatch};

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

/// age's STREAM cuts the plaintext into chunks of 64 KiB, each followed by
/// a 16-byte tag; an empty file still has one (empty) chunk.
const AGE_CHUNK: u64 = 64 * 1024;
const AGE_TAG: u64 = 16;

/// Length of an age payload (what follows the header and nonce) for `plain`
/// bytes of plaintext.
fn age_payload_len(plain: u64) -> u64 {
    plain + AGE_TAG * plain.div_ceil(AGE_CHUNK).max(1)
}

/// The bytes of a path, to keep it in a record: exact on Unix; elsewhere its
/// text (lossy for a name that is not Unicode).
pub(crate) fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().as_bytes().to_vec()
    }
}

/// The path [`path_bytes`] stored.
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The spool file under the encryption's buffer. After every write it
/// publishes the file's length, which the upload follows.
struct Published {
    file: std::fs::File,
    len: u64,
    tx: watch::Sender<u64>,
}

impl Write for Published {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.len += n as u64;
        // Nobody listening (no upload, or it stopped) is fine.
        self.tx.send_replace(self.len);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// A file being encrypted into the spool with a fresh age identity: started
/// (header written, final lengths known, so the blob can be created), then
/// run to its end on a blocking thread while the upload follows.
struct Encryption {
    input: std::io::Take<Box<dyn Read + Send>>,
    writer: age::stream::StreamWriter<BufWriter<Published>>,
    /// The record as it will be, but for the plaintext's hash (zeros).
    draft: FileRecord,
}

/// Open `source`, create `spool` and write the age header into it. Returns
/// the encryption to run and the spool's length so far, updated as it grows.
/// Blocking.
fn start_encryption(
    source: &Path,
    spool: &Path,
) -> Result<(Encryption, watch::Receiver<u64>), MessengerError> {
    let input = std::fs::File::open(source)?;
    let size = input.metadata()?.len();
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let media_type = media_type_for(source.to_string_lossy().as_ref()).to_owned();
    start_encryption_from(Box::new(input), size, name, media_type, spool)
}

/// [`start_encryption`] of `size` bytes read from `input`, with the name
/// and media type given.
fn start_encryption_from(
    input: Box<dyn Read + Send>,
    size: u64,
    name: String,
    media_type: String,
    spool: &Path,
) -> Result<(Encryption, watch::Receiver<u64>), MessengerError> {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(spool)?;
    let (tx, written) = watch::channel(0);
    let out = BufWriter::with_capacity(1 << 20, Published { file, len: 0, tx });
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| MessengerError::Age(e.to_string()))?;
    let mut writer = encryptor.wrap_output(out)?;
    // The header and nonce are now all that was written: flushed, the
    // spool's length is theirs.
    writer.flush()?;
    let header_len = *written.borrow();
    let cipher_len = header_len + age_payload_len(size);
    let blob_len = padme(usize::try_from(cipher_len).unwrap_or(usize::MAX)) as u64;
    use age::secrecy::ExposeSecret;
    let draft = FileRecord {
        blob_id: [0; 32],
        blob_len,
        cipher_len,
        age_identity: identity.to_string().expose_secret().to_owned(),
        name,
        media_type,
        size,
        sha256: [0; 32],
    };
    Ok((
        Encryption {
            // One byte more than the size, so a file that grew is noticed.
            input: input.take(size.saturating_add(1)),
            writer,
            draft,
        },
        written,
    ))
}

impl Encryption {
    /// Read the whole file once, hashing (SHA-256) and encrypting it into
    /// the spool, and pad the spool (Padmé: the relay learns only a bucket
    /// of sizes). Returns the final record and the spool, not yet synced:
    /// that is needed only if the spool is kept to resume from
    /// ([`sync_spool`]). Blocking.
    fn run(mut self) -> Result<(FileRecord, std::fs::File), MessengerError> {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = self.input.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            self.writer.write_all(&buf[..n])?;
            total += n as u64;
        }
        if total != self.draft.size {
            return Err(MessengerError::FileChanged);
        }
        // The last plaintext read stays in no freed buffer.
        zeroize::Zeroize::zeroize(&mut buf);
        let mut out = self.writer.finish()?;
        // Padding after the age stream: its content is irrelevant (the
        // receiver reads `cipher_len` bytes), zeros reveal nothing.
        let pad = self.draft.blob_len - self.draft.cipher_len;
        std::io::copy(&mut std::io::repeat(0).take(pad), &mut out)?;
        let published = out.into_inner().map_err(|e| e.into_error())?;
        if published.len != self.draft.blob_len {
            return Err(MessengerError::Age(
                "the encrypted file's length differs from the one announced".into(),
            ));
        }
        let mut record = self.draft.clone();
        record.sha256 = hasher.finalize().into();
        Ok((record, published.file))
    }
}

/// Make a complete spool durable, on the blocking pool.
async fn sync_spool(spool: std::fs::File) -> Result<(), MessengerError> {
    tokio::task::spawn_blocking(move || spool.sync_all())
        .await
        .map_err(|_| MessengerError::Age("spool sync task failed".into()))?
        .map_err(MessengerError::from)
}

/// Encrypt `source` into `spool` in full, with no upload following, and
/// make the spool durable (evidence keeps it until the desk confirms).
/// Returns the record. Blocking.
pub(crate) fn encrypt_to_spool(source: &Path, spool: &Path) -> Result<FileRecord, MessengerError> {
    let (encryption, _written) = start_encryption(source, spool)?;
    let (record, file) = encryption.run()?;
    file.sync_all()?;
    Ok(record)
}

/// [`encrypt_to_spool`] for bytes held in memory (a typed testimony): the
/// plaintext never touches the disk. Blocking.
pub(crate) fn encrypt_bytes_to_spool(
    bytes: zeroize::Zeroizing<Vec<u8>>,
    name: &str,
    media_type: &str,
    spool: &Path,
) -> Result<FileRecord, MessengerError> {
    let size = bytes.len() as u64;
    let input = Box::new(std::io::Cursor::new(bytes));
    let (encryption, _written) =
        start_encryption_from(input, size, name.to_owned(), media_type.to_owned(), spool)?;
    let (record, file) = encryption.run()?;
    file.sync_all()?;
    Ok(record)
}

/// Delete a spool file on the blocking pool without waiting for it:
/// unlinking a large file takes time (about 0.7 s per GiB here) that nothing
/// needs to wait for. If the process ends first, the next sync removes it.
fn remove_later(path: PathBuf) {
    drop(tokio::task::spawn_blocking(move || {
        if let Err(e) = remove_if_exists(&path) {
            tracing::debug!(error = %e.kind(), "a spool file could not be removed");
        }
    }));
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

/// Where the history line and outbox item of a file being sent come from.
enum Slot {
    /// `send_file`: written once the encryption has started.
    New(Group),
    /// An outbox item (`key`, with history line `history`) whose spool was
    /// cut off while being written: started again from its source.
    Restart {
        key: Vec<u8>,
        history: Vec<u8>,
        group: LocalId,
    },
}

/// What [`Messenger::encrypt_and_upload`] did with a file whose spool is
/// complete.
struct Sent {
    /// The file's history line.
    history: Vec<u8>,
    /// Its conversation.
    group: LocalId,
    /// `Ok`: uploaded, and its outbox item is now the announcement. `Err`:
    /// the upload failed (the relay out of reach, or refusing); the item
    /// waits in the outbox and resumes from the spool.
    upload: Result<(), MessengerError>,
}

fn spool_name() -> String {
    format!("{}.age", super::records::id_hex(&super::records::new_id()))
}

impl Messenger {
    /// Where long transfers report progress (default: nowhere).
    pub fn set_progress(&mut self, progress: Arc<dyn Progress>) {
        self.progress = progress;
    }

    /// Send a file to the conversation `name`. It is encrypted into the
    /// profile's spool and, if the relay is in reach, uploaded while the
    /// spool is written; then announced through the outbox. Returns once
    /// the spool is complete (the original is then no longer needed) and
    /// the file has left or is queued: the history line says which
    /// (`Queued` if the relay is out of reach: it leaves with the next
    /// sync).
    pub async fn send_file(
        &mut self,
        name: &str,
        path: &Path,
    ) -> Result<HistoryView, MessengerError> {
        self.check()?;
        let group = self.resolve(name)?;
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
        let sent = self.encrypt_and_upload(path, Slot::New(group)).await?;
        if let Err(e) = sent.upload {
            // Queued: the spool is complete, the outbox resumes the upload.
            tracing::debug!(error = %e, "the file waits in the outbox");
        }
        // Announces the file (and sends whatever waited before it).
        let _ = self.sync_inner(false).await;
        let entry: HistoryEntry = records::get(&self.store, Table::Messages, &sent.history)?
            .ok_or(MessengerError::CorruptRecord)?;
        let group = self.group_by_id(&sent.group)?;
        Ok(self.view(&group, &entry))
    }

    /// Encrypt `source` into a new spool file and, if the relay is in
    /// reach, upload the spool while it is being written: each segment
    /// leaves as soon as the encryption has written it.
    ///
    /// Crash safety: before the first byte leaves, the outbox item holds the
    /// blob's ID and upload token and the source's path. Until the item
    /// changes again, a crash starts the file again from the source (a
    /// half-written spool cannot be continued: age keeps its file key to
    /// itself), so the spool need not be durable while it is written. The
    /// item then changes in one commit, either into the announcement (the
    /// upload finished; the spool is deleted unsynced, usually before it
    /// ever reaches the disk) or, if the upload stopped, into a complete
    /// spool, synced first, from which a later flush resumes the upload
    /// sending only what the relay misses.
    ///
    /// An `Err` means nothing was sent and nothing is queued (the history
    /// line and outbox item are gone): the source could not be read, or
    /// changed while it was read, or the store failed. Otherwise the spool is
    /// complete and [`Sent::upload`] says whether the file was uploaded (its
    /// item is then the announcement, next in the outbox) or waits.
    async fn encrypt_and_upload(
        &mut self,
        source: &Path,
        slot: Slot,
    ) -> Result<Sent, MessengerError> {
        std::fs::create_dir_all(self.spool_dir())?;
        let spool_file = spool_name();
        let spool = self.spool_dir().join(&spool_file);
        let started = match std::path::absolute(source) {
            Ok(source) => {
                let (src, sp) = (source.clone(), spool.clone());
                tokio::task::spawn_blocking(move || start_encryption(&src, &sp))
                    .await
                    .map_err(|_| MessengerError::Age("encryption task failed".into()))
                    .and_then(|r| r)
                    .map(|(encryption, written)| (source, encryption, written))
            }
            Err(e) => Err(e.into()),
        };
        let (source, encryption, written) = match started {
            Ok(s) => s,
            Err(e) => {
                remove_later(spool);
                if let Slot::Restart { key, history, .. } = &slot {
                    self.drop_file_item(key, history)?;
                }
                return Err(e);
            }
        };
        let draft = encryption.draft.clone();
        let encrypting = tokio::task::spawn_blocking(move || encryption.run());

        // The blob, if the relay is in reach.
        let created = match self.client().await {
            Ok(client) => client
                .create_blob(draft.blob_len)
                .await
                .map_err(MessengerError::from),
            Err(e) => Err(e),
        };
        if let Err(e) = &created {
            self.forget_client_if(e).await;
        }
        let upload = created
            .as_ref()
            .ok()
            .map(|u| (u.blob_id().0, u.token().0, u.size()));
        let file_item =
            |group: LocalId, record: &FileRecord, history: &[u8], source| OutboxItem::File {
                group,
                spool: spool_file.clone(),
                record: Box::new(record.clone()),
                history: history.to_vec(),
                upload,
                source,
            };

        // The item, before the first byte leaves.
        let placed = (|| -> Result<(Vec<u8>, Vec<u8>, LocalId), MessengerError> {
            let mut batch = self.store.batch();
            let slot = match slot {
                Slot::New(mut group) => {
                    let history = self.push_history(
                        &mut batch,
                        &mut group,
                        HistoryBody::File(draft.clone()),
                        true,
                        &[],
                    )?;
                    records::put(&mut batch, Table::Groups, &group.id, &group)?;
                    let item = file_item(group.id, &draft, &history, Some(path_bytes(&source)));
                    let key = self.push_outbox_keyed(&mut batch, item)?;
                    (key, history, group.id)
                }
                Slot::Restart {
                    key,
                    history,
                    group,
                } => {
                    let item = file_item(group, &draft, &history, Some(path_bytes(&source)));
                    records::put(&mut batch, Table::Outbox, &key, &item)?;
                    self.set_file_line(&mut batch, &history, &draft)?;
                    (key, history, group)
                }
            };
            self.commit(batch)?;
            Ok(slot)
        })();
        let (key, history, group) = match placed {
            Ok(p) => p,
            Err(e) => {
                drop(written);
                let _ = encrypting.await;
                remove_later(spool);
                return Err(e);
            }
        };

        let progress = self.progress.clone();
        let uploaded = match created {
            Ok(blob) => match self.client().await {
                Ok(client) => client
                    .upload_file_as_written(&spool, &blob, written, progress.as_ref())
                    .await
                    .map_err(MessengerError::from),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let encrypted = encrypting
            .await
            .map_err(|_| MessengerError::Age("encryption task failed".into()))
            .and_then(|r| r);
        let (record, spool_file) = match encrypted {
            Ok(r) => r,
            Err(e) => {
                self.drop_file_item(&key, &history)?;
                remove_later(spool);
                return Err(e);
            }
        };
        let upload = match uploaded {
            // Uploaded: the item becomes the announcement at once. Until
            // that commit a crash starts again from the source, so the
            // spool never needed to reach the disk.
            Ok(outcome) => {
                drop(spool_file);
                self.announce_file(&key, group, record, &history, outcome.blob.blob_id(), spool)
            }
            // The upload stops here: the spool becomes the point to resume
            // from, so it is synced before the item says it is complete.
            Err(e) => {
                self.forget_client_if(&e).await;
                if let Err(sync) = sync_spool(spool_file).await {
                    self.drop_file_item(&key, &history)?;
                    remove_later(spool);
                    return Err(sync);
                }
                let mut batch = self.store.batch();
                records::put(
                    &mut batch,
                    Table::Outbox,
                    &key,
                    &file_item(group, &record, &history, None),
                )?;
                self.set_file_line(&mut batch, &history, &record)?;
                self.commit(batch)?;
                Err(e)
            }
        };
        Ok(Sent {
            history,
            group,
            upload,
        })
    }

    /// Upload a spooled file, then turn the outbox item into the message
    /// that announces it. A file whose spool was still being written when
    /// the last session ended is started again from its source.
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
            ref source,
        } = item
        else {
            return Ok(false);
        };
        let spool_path = self.spool_dir().join(spool);
        if let Some(source) = source {
            remove_later(spool_path);
            let slot = Slot::Restart {
                key: key.to_vec(),
                history: history.clone(),
                group,
            };
            let sent = self
                .encrypt_and_upload(&path_from_bytes(source), slot)
                .await?;
            return sent.upload.map(|()| true);
        }
        let (sealed, _) = self
            .upload_spool(upload, record.blob_len, &spool_path, |batch, parts| {
                let next = OutboxItem::File {
                    group,
                    spool: spool.clone(),
                    record: record.clone(),
                    history: history.clone(),
                    upload: Some(parts),
                    source: None,
                };
                records::put(batch, Table::Outbox, key, &next)
            })
            .await?;
        self.announce_file(key, group, (**record).clone(), history, sealed, spool_path)?;
        Ok(true)
    }

    /// Upload the encrypted spool file `spool` (`blob_len` bytes) as the
    /// blob `upload` names, resuming where the relay stopped; with no blob
    /// yet, create one and commit it first (`record` writes its ID and
    /// token into the item that owns the upload), so that they are durable
    /// before any byte leaves and a crash resumes instead of starting over.
    /// Returns the sealed blob and the parts of the upload.
    pub(super) async fn upload_spool(
        &mut self,
        upload: Option<UploadParts>,
        blob_len: u64,
        spool: &Path,
        record: impl FnOnce(&mut WriteBatch, UploadParts) -> Result<(), MessengerError>,
    ) -> Result<(BlobId, UploadParts), MessengerError> {
        let upload = match upload {
            Some(u) => u,
            None => {
                let created = self.client().await?.create_blob(blob_len).await?;
                let parts = (created.blob_id().0, created.token().0, created.size());
                let mut batch = self.store.batch();
                record(&mut batch, parts)?;
                self.commit(batch)?;
                parts
            }
        };
        let resume = BlobUpload::from_parts(BlobId(upload.0), UploadToken(upload.1), upload.2);
        let progress = self.progress.clone();
        let sealed = self
            .client()
            .await?
            .upload_file(spool, Some(&resume), progress.as_ref())
            .await?;
        Ok((sealed.blob.blob_id(), upload))
    }

    /// The upload of a file is complete: record its blob in the history
    /// line and turn its outbox item into the message that announces it.
    /// The spool is deleted afterwards, off the caller's path.
    fn announce_file(
        &mut self,
        key: &[u8],
        group: LocalId,
        mut record: FileRecord,
        history: &[u8],
        blob: BlobId,
        spool: PathBuf,
    ) -> Result<(), MessengerError> {
        record.blob_id = blob.0;
        let content = Content::File(ref_from_record(&record)?).encode()?.to_vec();
        let mut batch = self.store.batch();
        self.set_file_line(&mut batch, history, &record)?;
        records::put(
            &mut batch,
            Table::Outbox,
            key,
            &OutboxItem::Content {
                group,
                content,
                history: Some(history.to_vec()),
            },
        )?;
        self.commit(batch)?;
        remove_later(spool);
        Ok(())
    }

    /// Put `record` into the file's history line (in `batch`).
    fn set_file_line(
        &self,
        batch: &mut WriteBatch,
        history: &[u8],
        record: &FileRecord,
    ) -> Result<(), MessengerError> {
        if let Some(mut entry) =
            records::get::<HistoryEntry>(&self.store, Table::Messages, history)?
        {
            entry.body = HistoryBody::File(record.clone());
            records::put(batch, Table::Messages, history, &entry)?;
        }
        Ok(())
    }

    /// A file that cannot be sent (its source unreadable or changed):
    /// remove its outbox item and history line.
    fn drop_file_item(&mut self, key: &[u8], history: &[u8]) -> Result<(), MessengerError> {
        let mut batch = self.store.batch();
        batch.delete(Table::Outbox, key)?;
        batch.delete(Table::Messages, history)?;
        self.commit(batch)
    }

    /// Remove, off the caller's path, spool files that no outbox item and
    /// no evidence item needs: those of finished uploads and downloads
    /// whose deletion did not run before the process ended. An evidence
    /// item keeps its spool copy until the desk confirms it has it. Skipped
    /// when the outbox or the evidence cannot be read.
    pub(crate) fn collect_spool(&self) {
        let Ok(dir) = std::fs::read_dir(self.spool_dir()) else {
            return;
        };
        let all: Vec<String> = dir
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        // A testimony's plaintext lives in the spool only while it is
        // captured (within one call, with the profile held): one left
        // behind was cut off by a crash. Overwritten, then removed.
        for name in all.iter().filter(|n| n.ends_with(".testimony")) {
            if let Err(e) = super::evidence::remove_original(&self.spool_dir().join(name)) {
                tracing::debug!(error = %e, "a leftover testimony file could not be removed");
            }
        }
        let names: Vec<String> = all
            .into_iter()
            .filter(|n| n.ends_with(".age") || n.ends_with(".age.download"))
            .collect();
        if names.is_empty() {
            return;
        }
        let Ok(items) = records::all::<OutboxItem>(&self.store, Table::Outbox, &[]) else {
            return;
        };
        let Ok(evidence) = records::all::<super::evidence::EvidenceRecord>(
            &self.store,
            Table::Evidence,
            &[super::evidence::ITEM_PREFIX],
        ) else {
            return;
        };
        let needed: HashSet<&str> = items
            .iter()
            .filter_map(|(_, item)| match item {
                OutboxItem::File { spool, .. } => Some(spool.as_str()),
                _ => None,
            })
            .chain(evidence.iter().filter_map(|(_, r)| r.spool.as_deref()))
            .collect();
        for name in names {
            if !needed.contains(name.as_str()) {
                remove_later(self.spool_dir().join(name));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write_source(dir: &Path, len: usize) -> PathBuf {
        let path = dir.join("testimony.mp4");
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, bytes).expect("write");
        path
    }

    #[test]
    fn the_lengths_planned_before_encrypting_are_those_age_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chunk = AGE_CHUNK as usize;
        for len in [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, (1 << 20) + 5] {
            let source = write_source(dir.path(), len);
            let spool = dir.path().join(format!("{len}.age"));
            let (encryption, written) = start_encryption(&source, &spool).expect("start");
            let draft = encryption.draft.clone();
            let (record, _) = encryption.run().expect("encrypt");
            assert_eq!(record.blob_len, draft.blob_len, "{len}");
            assert_eq!(record.cipher_len, draft.cipher_len, "{len}");
            assert_eq!(*written.borrow(), record.blob_len, "{len}");
            assert_eq!(
                std::fs::metadata(&spool).expect("spool").len(),
                record.blob_len
            );
            // What age itself reads back ends exactly at `cipher_len`.
            let mut cipher = std::fs::read(&spool).expect("read");
            cipher.truncate(record.cipher_len as usize);
            let identity: age::x25519::Identity = record.age_identity.parse().expect("identity");
            let plain = age::decrypt(&identity, &cipher).expect("age decrypts");
            assert_eq!(plain.len(), len);
            assert_eq!(record.sha256, <[u8; 32]>::from(Sha256::digest(&plain)));
        }
    }

    #[test]
    fn a_spool_decrypts_to_its_source_and_is_padded_with_zeros() {
        let dir = tempfile::tempdir().expect("tempdir");
        let source = write_source(dir.path(), 300_000);
        let spool = dir.path().join("s.age");
        let record = encrypt_to_spool(&source, &spool).expect("encrypt");
        assert!(record.blob_len > record.cipher_len);
        let bytes = std::fs::read(&spool).expect("read");
        assert!(bytes[record.cipher_len as usize..].iter().all(|&b| b == 0));
        let out = dir.path().join("out");
        decrypt_from(&spool, &record, &out).expect("decrypt");
        assert_eq!(
            std::fs::read(&out).expect("out"),
            std::fs::read(&source).expect("source")
        );
    }

    #[test]
    fn a_file_that_changes_size_while_it_is_encrypted_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        for grow in [true, false] {
            let source = write_source(dir.path(), 200_000);
            let spool = dir.path().join(format!("{grow}.age"));
            let (encryption, _written) = start_encryption(&source, &spool).expect("start");
            let len = if grow { 200_001 } else { 199_999 };
            std::fs::write(&source, vec![1u8; len]).expect("rewrite");
            assert!(matches!(
                encryption.run().map(|(r, _)| r),
                Err(MessengerError::FileChanged)
            ));
        }
    }

    #[test]
    fn the_spool_length_is_published_as_the_encryption_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let source = write_source(dir.path(), 5 << 20);
        let spool = dir.path().join("s.age");
        let (encryption, mut written) = start_encryption(&source, &spool).expect("start");
        let header = *written.borrow_and_update();
        assert!(header > 0, "the header is written first");
        let blob_len = encryption.draft.blob_len;
        let worker = std::thread::spawn(move || encryption.run());
        let mut seen = vec![header];
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            while written.changed().await.is_ok() {
                let w = *written.borrow_and_update();
                // What is announced is already in the file, for a reader.
                let on_disk = std::fs::metadata(&spool).expect("spool").len();
                assert!(on_disk >= w, "{w} announced, {on_disk} in the file");
                seen.push(w);
            }
        });
        worker.join().expect("thread").expect("encrypt");
        assert_eq!(seen.last(), Some(&blob_len));
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "it only grows");
    }

    #[test]
    fn a_path_kept_in_a_record_comes_back_the_same() {
        for p in ["/tmp/a b/ملف.zip", "relative/x", "/"] {
            assert_eq!(path_from_bytes(&path_bytes(Path::new(p))), Path::new(p));
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/\xff\xfe.bin"));
            assert_eq!(path_from_bytes(&path_bytes(odd)), odd);
        }
    }
}
