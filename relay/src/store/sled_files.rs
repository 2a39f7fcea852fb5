//! The default store: sled for metadata, queues and nonces; blob segments as
//! content-addressed files (`segments/<first byte hex>/<sha256 hex>`).
//!
//! Layout under the data directory:
//! - `db/`: the sled database (trees below);
//! - `segments/`: segment files, named by the SHA-256 of their bytes;
//! - `tmp/`: segments being written (emptied at every start).
//!
//! Trees (all keys and values are fixed binary layouts, documented at each
//! codec below):
//! - `mailboxes`: receive ID → owner key, send ID, next seq, count, bytes, created hour
//! - `by_send`: send ID → receive ID
//! - `by_owner`: owner key → receive ID
//! - `messages`: receive ID ‖ seq → stored hour ‖ deposit key ‖ body
//! - `dedup`: receive ID ‖ deposit key → seq
//! - `nonces`: owner key ‖ nonce → request timestamp
//! - `blobs`: blob ID → size, SHA-256(upload token), created hour, present count
//! - `segments`: blob ID ‖ index → segment hash
//! - `segrefs`: segment hash → number of blob segments that use the file
//! - `meta`: `reserved_blob_bytes` → u64
//! - `log`: the transparency log (see [`crate::log::SledLog`])
//!
//! Durability: a segment file is written to `tmp/` (with `O_DIRECT` where
//! the file system allows: no copy into the page cache), its data synced
//! (`fdatasync`), then renamed into its shard directory, which is marked
//! dirty; only then does the sled transaction refer to it. [`Store::flush`],
//! which the service's group commit calls before acknowledging, first syncs
//! every dirty shard directory (one `fsync` per directory per group commit,
//! however many segments landed in it) and then flushes sled. So a file is
//! complete before any name points to it, and every reference an
//! acknowledgement depends on points to a durable directory entry.
//!
//! A crash can leave a complete file that nothing refers to (removed at
//! start). After a power loss (not a process crash: the kernel still holds
//! the renames) sled may also hold a reference, written by a flush or by its
//! own background writer, to a segment whose rename never reached the disk:
//! that segment was never acknowledged, since its acknowledgement waits for a
//! flush that syncs its directory. Opening the store drops such references,
//! so the blob reports the segment missing and the client sends it again.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rand::rngs::OsRng;
use sanad_protocol::response::{MessageHeader, StoredMessage};
use sanad_protocol::{
    segment_count, segment_len, BlobId, DepositKey, ErrorCode, Nonce, OwnerKey, ReceiveId,
    SegmentHash, SendId, UploadToken,
};
use sha2::{Digest, Sha256};
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use subtle::ConstantTimeEq;

use super::segment::DIRECT_IO_ALIGN;
use super::{BlobState, SegmentBytes, Store, StoreError, SweepCounts};
use crate::limits::Quotas;

const RESERVED_KEY: &[u8] = b"reserved_blob_bytes";

/// Segment files are spread over this many shard directories, named by the
/// first byte of their hash in hex (`00` … `ff`).
const SHARDS: usize = 256;

/// Whether the data-safety `fsync`s run. Off only in the crash test's
/// negative control (`dangerous-ack-before-durable`).
const SYNC: bool = !cfg!(feature = "dangerous-ack-before-durable");

/// sled metadata plus content-addressed segment files.
pub struct SledFileStore {
    db: sled::Db,
    mailboxes: sled::Tree,
    by_send: sled::Tree,
    by_owner: sled::Tree,
    messages: sled::Tree,
    dedup: sled::Tree,
    nonces: sled::Tree,
    blobs: sled::Tree,
    segments: sled::Tree,
    segrefs: sled::Tree,
    meta: sled::Tree,
    log: crate::log::SledLog,
    segment_dir: PathBuf,
    tmp_dir: PathBuf,
    /// Shard directories that gained an entry since the last flush synced
    /// them, by shard number.
    dirty_shards: [AtomicBool; SHARDS],
    /// Whether segment files are written with `O_DIRECT` (until the file
    /// system refuses it once).
    direct_io: AtomicBool,
}

/// What [`SledFileStore::open`] cleaned up after an unclean stop.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
    /// Half-written segment files removed from `tmp/`.
    pub partial_files: u64,
    /// Complete segment files that no blob referenced (written, then the
    /// relay stopped before recording them), removed.
    pub orphan_files: u64,
    /// Segment files that blobs referred to but that were missing (possible
    /// only after a power loss, for segments never acknowledged).
    pub missing_files: u64,
    /// Blob segments dropped because their file was missing: they are
    /// reported missing again, and their clients resend them.
    pub dropped_segments: u64,
}

// ---- record codecs -------------------------------------------------------

struct MailboxRecord {
    owner: [u8; 32],
    send_id: [u8; 16],
    next_seq: u64,
    count: u64,
    bytes: u64,
    created_hour: u32,
}

impl MailboxRecord {
    const LEN: usize = 32 + 16 + 8 + 8 + 8 + 4;

    fn encode(&self) -> [u8; Self::LEN] {
        let mut b = [0u8; Self::LEN];
        b[..32].copy_from_slice(&self.owner);
        b[32..48].copy_from_slice(&self.send_id);
        b[48..56].copy_from_slice(&self.next_seq.to_be_bytes());
        b[56..64].copy_from_slice(&self.count.to_be_bytes());
        b[64..72].copy_from_slice(&self.bytes.to_be_bytes());
        b[72..76].copy_from_slice(&self.created_hour.to_be_bytes());
        b
    }

    fn decode(b: &[u8]) -> Result<Self, StoreError> {
        if b.len() != Self::LEN {
            return Err(StoreError::Corrupt("mailbox record"));
        }
        Ok(MailboxRecord {
            owner: arr(&b[..32]),
            send_id: arr(&b[32..48]),
            next_seq: u64::from_be_bytes(arr(&b[48..56])),
            count: u64::from_be_bytes(arr(&b[56..64])),
            bytes: u64::from_be_bytes(arr(&b[64..72])),
            created_hour: u32::from_be_bytes(arr(&b[72..76])),
        })
    }
}

struct BlobRecord {
    size: u64,
    token_hash: [u8; 32],
    created_hour: u32,
    present: u32,
}

impl BlobRecord {
    const LEN: usize = 8 + 32 + 4 + 4;

    fn encode(&self) -> [u8; Self::LEN] {
        let mut b = [0u8; Self::LEN];
        b[..8].copy_from_slice(&self.size.to_be_bytes());
        b[8..40].copy_from_slice(&self.token_hash);
        b[40..44].copy_from_slice(&self.created_hour.to_be_bytes());
        b[44..48].copy_from_slice(&self.present.to_be_bytes());
        b
    }

    fn decode(b: &[u8]) -> Result<Self, StoreError> {
        if b.len() != Self::LEN {
            return Err(StoreError::Corrupt("blob record"));
        }
        Ok(BlobRecord {
            size: u64::from_be_bytes(arr(&b[..8])),
            token_hash: arr(&b[8..40]),
            created_hour: u32::from_be_bytes(arr(&b[40..44])),
            present: u32::from_be_bytes(arr(&b[44..48])),
        })
    }

    fn sealed(&self) -> bool {
        self.present == segment_count(self.size)
    }
}

/// Message value: stored hour (4) ‖ deposit key (16) ‖ body.
const MESSAGE_PREFIX_LEN: usize = 4 + 16;

fn arr<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(b);
    out
}

fn be_u64(b: &[u8]) -> Result<u64, StoreError> {
    if b.len() != 8 {
        return Err(StoreError::Corrupt("u64"));
    }
    Ok(u64::from_be_bytes(arr(b)))
}

fn cat(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(a.len() + b.len());
    v.extend_from_slice(a);
    v.extend_from_slice(b);
    v
}

fn message_key(rid: &ReceiveId, seq: u64) -> [u8; 24] {
    let mut k = [0u8; 24];
    k[..16].copy_from_slice(&rid.0);
    k[16..].copy_from_slice(&seq.to_be_bytes());
    k
}

fn segment_key(blob: &BlobId, index: u32) -> [u8; 36] {
    let mut k = [0u8; 36];
    k[..32].copy_from_slice(&blob.0);
    k[32..].copy_from_slice(&index.to_be_bytes());
    k
}

fn token_hash(token: &UploadToken) -> [u8; 32] {
    Sha256::digest(token.0).into()
}

/// Turn a sled transaction result into ours.
fn tx<T>(r: Result<T, TransactionError<StoreError>>) -> Result<T, StoreError> {
    match r {
        Ok(v) => Ok(v),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(StoreError::Db(e)),
    }
}

fn abort<T>(e: StoreError) -> Result<T, ConflictableTransactionError<StoreError>> {
    Err(ConflictableTransactionError::Abort(e))
}

fn fsync_dir(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Create a file at `path` and write `data` (page-aligned in memory and in
/// length) to it with `O_DIRECT`.
#[cfg(target_os = "linux")]
fn write_direct(path: &Path, data: &[u8]) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)?;
    f.write_all(data)?;
    Ok(f)
}

/// No direct writes here: always "unsupported".
#[cfg(not(target_os = "linux"))]
fn write_direct(_path: &Path, _data: &[u8]) -> std::io::Result<fs::File> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether a direct write failed because the file system (or platform)
/// does not do them, rather than for a reason that would fail any write.
fn is_unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(libc::EINVAL) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

fn shard_name(shard: usize) -> String {
    format!("{shard:02x}")
}

impl SledFileStore {
    /// Open or create the store under `data_dir`, cleaning what an unclean
    /// stop left behind.
    pub fn open(data_dir: &Path) -> Result<(SledFileStore, Recovery), StoreError> {
        let segment_dir = data_dir.join("segments");
        let tmp_dir = data_dir.join("tmp");
        fs::create_dir_all(&segment_dir)?;
        fs::create_dir_all(&tmp_dir)?;
        // Every shard directory exists (durably) before any segment lands,
        // so a flush only ever needs to sync the shard directories.
        let mut created = false;
        for shard in 0..SHARDS {
            let dir = segment_dir.join(shard_name(shard));
            if !dir.is_dir() {
                fs::create_dir(&dir)?;
                created = true;
            }
        }
        if created {
            fsync_dir(&segment_dir)?;
            fsync_dir(data_dir)?;
        }
        let mut cfg = sled::Config::new()
            .path(data_dir.join("db"))
            .mode(sled::Mode::HighThroughput);
        if cfg!(feature = "dangerous-ack-before-durable") {
            // Negative control: never flush in the background either, so that
            // a kill loses what was "acknowledged".
            cfg = cfg.flush_every_ms(None);
        }
        let db = cfg.open()?;
        let store = SledFileStore {
            mailboxes: db.open_tree("mailboxes")?,
            by_send: db.open_tree("by_send")?,
            by_owner: db.open_tree("by_owner")?,
            messages: db.open_tree("messages")?,
            dedup: db.open_tree("dedup")?,
            nonces: db.open_tree("nonces")?,
            blobs: db.open_tree("blobs")?,
            segments: db.open_tree("segments")?,
            segrefs: db.open_tree("segrefs")?,
            meta: db.open_tree("meta")?,
            log: crate::log::SledLog::open(&db)?,
            db,
            segment_dir,
            tmp_dir,
            dirty_shards: std::array::from_fn(|_| AtomicBool::new(false)),
            direct_io: AtomicBool::new(true),
        };
        let recovery = store.recover()?;
        Ok((store, recovery))
    }

    fn recover(&self) -> Result<Recovery, StoreError> {
        let mut rec = Recovery::default();
        for entry in fs::read_dir(&self.tmp_dir)? {
            fs::remove_file(entry?.path())?;
            rec.partial_files += 1;
        }
        let mut on_disk = BTreeSet::new();
        for shard in fs::read_dir(&self.segment_dir)? {
            let shard = shard?.path();
            if !shard.is_dir() {
                continue;
            }
            for f in fs::read_dir(&shard)? {
                let path = f?.path();
                let hash = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(parse_hash_hex);
                match hash {
                    Some(h) if self.segrefs.contains_key(h)? => {
                        on_disk.insert(h);
                    }
                    _ => {
                        fs::remove_file(&path)?;
                        rec.orphan_files += 1;
                    }
                }
            }
        }
        let mut missing = BTreeSet::new();
        for kv in self.segrefs.iter() {
            let (k, _) = kv?;
            if k.len() != 32 || !on_disk.contains(&arr::<32>(&k)) {
                missing.insert(k.to_vec());
            }
        }
        rec.missing_files = missing.len() as u64;
        if !missing.is_empty() {
            rec.dropped_segments = self.drop_missing(&missing)?;
        }
        if rec.partial_files + rec.orphan_files > 0 {
            fsync_dir(&self.tmp_dir)?;
        }
        Ok(rec)
    }

    /// Forget every blob segment whose file hash is in `missing`, so that
    /// the blob reports it missing again.
    fn drop_missing(&self, missing: &BTreeSet<Vec<u8>>) -> Result<u64, StoreError> {
        let mut lost = Vec::new();
        for kv in self.segments.iter() {
            let (k, v) = kv?;
            if missing.contains(v.as_ref()) {
                lost.push(k);
            }
        }
        for k in &lost {
            if k.len() != 36 {
                return Err(StoreError::Corrupt("segment key"));
            }
            tx(
                (&self.blobs, &self.segments, &self.segrefs).transaction(|(blobs, segs, refs)| {
                    let Some(h) = segs.remove(k)? else {
                        return Ok(());
                    };
                    refs.remove(&h)?;
                    if let Some(v) = blobs.get(&k[..32])? {
                        let mut rec =
                            BlobRecord::decode(&v).map_err(ConflictableTransactionError::Abort)?;
                        rec.present = rec.present.saturating_sub(1);
                        blobs.insert(&k[..32], &rec.encode()[..])?;
                    }
                    Ok(())
                }),
            )?;
        }
        for h in missing {
            self.segrefs.remove(h)?;
        }
        self.db.flush()?;
        Ok(lost.len() as u64)
    }

    fn segment_path(&self, hash: &SegmentHash) -> PathBuf {
        let hex = hash.to_hex();
        self.segment_dir.join(&hex[..2]).join(hex)
    }

    /// Put a segment file in place (tmp, `fdatasync`, rename), unless a file
    /// with these bytes already exists, and mark its shard directory for the
    /// next flush. Either way the file is complete when this returns, and
    /// its name is durable once the next [`Store::flush`] returns.
    fn write_segment_file(&self, hash: &SegmentHash, data: &[u8]) -> Result<(), StoreError> {
        let path = self.segment_path(hash);
        if !path.exists() {
            let tmp = self.tmp_dir.join(BlobId::random(&mut OsRng).to_hex());
            self.write_new_file(&tmp, data)?;
            fs::rename(&tmp, &path)?;
        }
        // Also when the file was already there: it may have been renamed in
        // by a writer whose directory sync has not happened yet.
        self.dirty_shards[usize::from(hash.0[0])].store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Write `data` into a new file at `path` and sync its data.
    ///
    /// The page-aligned head of data that sits at a page-aligned address
    /// (as the transports receive segments: `SegmentHasher`) is written
    /// with `O_DIRECT`, straight from that memory to the disk: a copy into
    /// the page cache (and its writeback) cost the relay more CPU than the
    /// rest of storing a segment (`docs/benchmarks.md`). The rest, if any
    /// (a blob's last segment), goes through the page cache. Where the file
    /// system refuses direct writes, everything goes through the page cache
    /// from then on. The `fdatasync` at the end is needed either way: a
    /// direct write may still sit in the disk's cache, and the file's size
    /// is metadata.
    fn write_new_file(&self, path: &Path, data: &[u8]) -> Result<(), StoreError> {
        let head = if self.direct_io.load(Ordering::Relaxed)
            && data.as_ptr().align_offset(DIRECT_IO_ALIGN) == 0
        {
            data.len() / DIRECT_IO_ALIGN * DIRECT_IO_ALIGN
        } else {
            0
        };
        if head > 0 {
            match write_direct(path, &data[..head]) {
                Ok(mut f) => {
                    if head < data.len() {
                        f = fs::OpenOptions::new().append(true).open(path)?;
                        f.write_all(&data[head..])?;
                    }
                    if SYNC {
                        f.sync_data()?;
                    }
                    return Ok(());
                }
                Err(e) if is_unsupported(&e) => {
                    self.direct_io.store(false, Ordering::Relaxed);
                    tracing::info!(
                        "the file system refuses direct writes: segment files go through \
                         the page cache"
                    );
                }
                Err(e) => return Err(e.into()),
            }
        }
        let mut f = fs::File::create(path)?;
        f.write_all(data)?;
        if SYNC {
            f.sync_data()?;
        }
        Ok(())
    }

    /// Sync the shard directories that gained entries since the last call.
    fn sync_dirty_shards(&self) -> Result<(), StoreError> {
        for (shard, dirty) in self.dirty_shards.iter().enumerate() {
            if dirty.swap(false, Ordering::SeqCst) {
                if let Err(e) = fsync_dir(&self.segment_dir.join(shard_name(shard))) {
                    dirty.store(true, Ordering::SeqCst);
                    return Err(e.into());
                }
            }
        }
        Ok(())
    }

    fn get_blob(&self, blob_id: &BlobId) -> Result<BlobRecord, StoreError> {
        let v = self
            .blobs
            .get(blob_id.0)?
            .ok_or_else(|| StoreError::rejected(ErrorCode::UnknownBlob))?;
        BlobRecord::decode(&v)
    }

    fn remove_message(&self, rid: &ReceiveId, seq: u64) -> Result<bool, StoreError> {
        tx((&self.mailboxes, &self.messages, &self.dedup)
            .transaction(|(mb, msgs, dd)| remove_message_tx(mb, msgs, dd, rid, seq)))
    }

    fn delete_blob(&self, blob_id: &BlobId) -> Result<(), StoreError> {
        let keys: Vec<sled::IVec> = self
            .segments
            .scan_prefix(blob_id.0)
            .keys()
            .collect::<Result<_, _>>()?;
        let freed: Vec<[u8; 32]> = tx((&self.blobs, &self.segments, &self.segrefs, &self.meta)
            .transaction(|(blobs, segs, refs, meta)| {
                let mut freed = Vec::new();
                let Some(v) = blobs.remove(&blob_id.0)? else {
                    return Ok(freed);
                };
                let rec = BlobRecord::decode(&v).map_err(ConflictableTransactionError::Abort)?;
                for k in &keys {
                    if let Some(h) = segs.remove(k)? {
                        let n = refs
                            .get(&h)?
                            .map(|c| be_u64(&c))
                            .transpose()
                            .map_err(ConflictableTransactionError::Abort)?
                            .unwrap_or(1);
                        if n <= 1 {
                            refs.remove(&h)?;
                            if h.len() == 32 {
                                freed.push(arr(&h));
                            }
                        } else {
                            refs.insert(&h, &(n - 1).to_be_bytes())?;
                        }
                    }
                }
                let reserved = meta
                    .get(RESERVED_KEY)?
                    .map(|c| be_u64(&c))
                    .transpose()
                    .map_err(ConflictableTransactionError::Abort)?
                    .unwrap_or(0);
                meta.insert(
                    RESERVED_KEY,
                    &reserved.saturating_sub(rec.size).to_be_bytes(),
                )?;
                Ok(freed)
            }))?;
        // Files go only after the records are gone (and durable), so a crash
        // in between leaves an orphan file that the next start removes.
        if !freed.is_empty() {
            self.flush()?;
            for h in freed {
                let path = self.segment_path(&SegmentHash(h));
                match fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }
}

fn remove_message_tx(
    mb: &sled::transaction::TransactionalTree,
    msgs: &sled::transaction::TransactionalTree,
    dd: &sled::transaction::TransactionalTree,
    rid: &ReceiveId,
    seq: u64,
) -> Result<bool, ConflictableTransactionError<StoreError>> {
    let Some(v) = msgs.remove(&message_key(rid, seq)[..])? else {
        return Ok(false);
    };
    if v.len() < MESSAGE_PREFIX_LEN {
        return abort(StoreError::Corrupt("message"));
    }
    dd.remove(cat(&rid.0, &v[4..MESSAGE_PREFIX_LEN]))?;
    if let Some(r) = mb.get(rid.0)? {
        let mut rec = MailboxRecord::decode(&r).map_err(ConflictableTransactionError::Abort)?;
        rec.count = rec.count.saturating_sub(1);
        rec.bytes = rec
            .bytes
            .saturating_sub((v.len() - MESSAGE_PREFIX_LEN) as u64);
        mb.insert(&rid.0, &rec.encode()[..])?;
    }
    Ok(true)
}

fn parse_hash_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in s.as_bytes().chunks(2).enumerate() {
        let hi = (chunk[0] as char).to_digit(16)?;
        let lo = (chunk[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}

impl Store for SledFileStore {
    fn create_mailbox(
        &self,
        owner: &OwnerKey,
        now_hour: u32,
    ) -> Result<(ReceiveId, SendId), StoreError> {
        let rid = ReceiveId::random(&mut OsRng);
        let sid = SendId::random(&mut OsRng);
        tx(
            (&self.mailboxes, &self.by_send, &self.by_owner).transaction(|(mb, bs, bo)| {
                if let Some(existing) = bo.get(owner.0)? {
                    let existing: [u8; 16] = existing.as_ref().try_into().map_err(|_| {
                        ConflictableTransactionError::Abort(StoreError::Corrupt("owner index"))
                    })?;
                    let rec = mb
                        .get(existing)?
                        .ok_or(ConflictableTransactionError::Abort(StoreError::Corrupt(
                            "owner index",
                        )))?;
                    let rec =
                        MailboxRecord::decode(&rec).map_err(ConflictableTransactionError::Abort)?;
                    return Ok((ReceiveId(existing), SendId(rec.send_id)));
                }
                let rec = MailboxRecord {
                    owner: owner.0,
                    send_id: sid.0,
                    next_seq: 1,
                    count: 0,
                    bytes: 0,
                    created_hour: now_hour,
                };
                mb.insert(&rid.0, &rec.encode()[..])?;
                bs.insert(&sid.0, &rid.0)?;
                bo.insert(&owner.0, &rid.0)?;
                Ok((rid, sid))
            }),
        )
    }

    fn owner_of(&self, receive_id: &ReceiveId) -> Result<Option<OwnerKey>, StoreError> {
        match self.mailboxes.get(receive_id.0)? {
            Some(v) => Ok(Some(OwnerKey(MailboxRecord::decode(&v)?.owner))),
            None => Ok(None),
        }
    }

    fn record_nonce(
        &self,
        owner: &OwnerKey,
        nonce: &Nonce,
        timestamp: u64,
    ) -> Result<bool, StoreError> {
        let key = cat(&owner.0, &nonce.0);
        let r = self.nonces.compare_and_swap(
            key,
            None as Option<&[u8]>,
            Some(&timestamp.to_be_bytes()[..]),
        )?;
        Ok(r.is_ok())
    }

    fn deposit(
        &self,
        send_id: &SendId,
        key: &DepositKey,
        body: &[u8],
        now_hour: u32,
        quotas: &Quotas,
    ) -> Result<u64, StoreError> {
        let rid = self
            .by_send
            .get(send_id.0)?
            .ok_or_else(|| StoreError::rejected(ErrorCode::UnknownMailbox))?;
        let rid = ReceiveId(
            rid.as_ref()
                .try_into()
                .map_err(|_| StoreError::Corrupt("send index"))?,
        );
        let dkey = cat(&rid.0, &key.0);
        let mut value = Vec::with_capacity(MESSAGE_PREFIX_LEN + body.len());
        value.extend_from_slice(&now_hour.to_be_bytes());
        value.extend_from_slice(&key.0);
        value.extend_from_slice(body);
        tx(
            (&self.mailboxes, &self.messages, &self.dedup).transaction(|(mb, msgs, dd)| {
                if let Some(seq) = dd.get(&dkey)? {
                    return be_u64(&seq).map_err(ConflictableTransactionError::Abort);
                }
                let Some(r) = mb.get(rid.0)? else {
                    return abort(StoreError::rejected(ErrorCode::UnknownMailbox));
                };
                let mut rec =
                    MailboxRecord::decode(&r).map_err(ConflictableTransactionError::Abort)?;
                if rec.count >= quotas.max_messages_per_mailbox {
                    return abort(StoreError::Rejected(
                        ErrorCode::MailboxFullCount,
                        quotas.max_messages_per_mailbox,
                    ));
                }
                if rec.bytes + body.len() as u64 > quotas.max_bytes_per_mailbox {
                    return abort(StoreError::Rejected(
                        ErrorCode::MailboxFullBytes,
                        quotas.max_bytes_per_mailbox,
                    ));
                }
                let seq = rec.next_seq;
                rec.next_seq += 1;
                rec.count += 1;
                rec.bytes += body.len() as u64;
                msgs.insert(&message_key(&rid, seq)[..], &value[..])?;
                dd.insert(&dkey[..], &seq.to_be_bytes())?;
                mb.insert(&rid.0, &rec.encode()[..])?;
                Ok(seq)
            }),
        )
    }

    fn list(
        &self,
        receive_id: &ReceiveId,
        after_seq: u64,
        limit: usize,
    ) -> Result<(Vec<MessageHeader>, bool), StoreError> {
        let start = message_key(receive_id, after_seq.saturating_add(1));
        let end = message_key(receive_id, u64::MAX);
        let mut items = Vec::new();
        let mut more = false;
        for kv in self.messages.range(start..=end) {
            let (k, v) = kv?;
            if items.len() == limit {
                more = true;
                break;
            }
            if v.len() < MESSAGE_PREFIX_LEN || k.len() != 24 {
                return Err(StoreError::Corrupt("message"));
            }
            items.push(MessageHeader {
                seq: be_u64(&k[16..])?,
                stored_hour: u32::from_be_bytes(arr(&v[..4])),
                len: (v.len() - MESSAGE_PREFIX_LEN) as u32,
            });
        }
        Ok((items, more))
    }

    fn fetch(
        &self,
        receive_id: &ReceiveId,
        after_seq: u64,
        limit: usize,
        max_bytes: usize,
    ) -> Result<(Vec<StoredMessage>, bool), StoreError> {
        let start = message_key(receive_id, after_seq.saturating_add(1));
        let end = message_key(receive_id, u64::MAX);
        let mut items: Vec<StoredMessage> = Vec::new();
        let mut used = 0usize;
        let mut more = false;
        for kv in self.messages.range(start..=end) {
            let (k, v) = kv?;
            if v.len() < MESSAGE_PREFIX_LEN || k.len() != 24 {
                return Err(StoreError::Corrupt("message"));
            }
            let m = StoredMessage {
                seq: be_u64(&k[16..])?,
                stored_hour: u32::from_be_bytes(arr(&v[..4])),
                body: v[MESSAGE_PREFIX_LEN..].to_vec(),
            };
            if items.len() == limit || (!items.is_empty() && used + m.encoded_len() > max_bytes) {
                more = true;
                break;
            }
            used += m.encoded_len();
            items.push(m);
        }
        Ok((items, more))
    }

    fn ack(&self, receive_id: &ReceiveId, seqs: &[u64]) -> Result<u16, StoreError> {
        tx(
            (&self.mailboxes, &self.messages, &self.dedup).transaction(|(mb, msgs, dd)| {
                let mut removed = 0u16;
                for &seq in seqs {
                    if remove_message_tx(mb, msgs, dd, receive_id, seq)? {
                        removed += 1;
                    }
                }
                Ok(removed)
            }),
        )
    }

    fn create_blob(
        &self,
        size: u64,
        now_hour: u32,
        quotas: &Quotas,
    ) -> Result<(BlobId, UploadToken), StoreError> {
        if size == 0 || size > quotas.max_blob_len {
            return Err(StoreError::Rejected(
                ErrorCode::BlobTooLarge,
                quotas.max_blob_len,
            ));
        }
        let id = BlobId::random(&mut OsRng);
        let token = UploadToken::random(&mut OsRng);
        let rec = BlobRecord {
            size,
            token_hash: token_hash(&token),
            created_hour: now_hour,
            present: 0,
        };
        tx((&self.blobs, &self.meta).transaction(|(blobs, meta)| {
            let reserved = meta
                .get(RESERVED_KEY)?
                .map(|c| be_u64(&c))
                .transpose()
                .map_err(ConflictableTransactionError::Abort)?
                .unwrap_or(0);
            let after = reserved.saturating_add(size);
            if quotas.max_total_blob_bytes != 0 && after > quotas.max_total_blob_bytes {
                return abort(StoreError::Rejected(ErrorCode::StorageFull, 0));
            }
            meta.insert(RESERVED_KEY, &after.to_be_bytes())?;
            blobs.insert(&id.0, &rec.encode()[..])?;
            Ok(())
        }))?;
        Ok((id, token))
    }

    fn put_segment(
        &self,
        blob_id: &BlobId,
        token: &UploadToken,
        index: u32,
        hash: &SegmentHash,
        data: &SegmentBytes,
    ) -> Result<bool, StoreError> {
        let rec = self.get_blob(blob_id)?;
        let ok: bool = token_hash(token).ct_eq(&rec.token_hash).into();
        if !ok {
            return Err(StoreError::rejected(ErrorCode::BadUploadToken));
        }
        let Some(expected_len) = segment_len(rec.size, index) else {
            return Err(StoreError::Rejected(
                ErrorCode::SegmentOutOfRange,
                u64::from(segment_count(rec.size)),
            ));
        };
        if data.len() != expected_len {
            return Err(StoreError::Rejected(
                ErrorCode::SegmentWrongLength,
                expected_len as u64,
            ));
        }
        if !data.sha256().ct_eq(hash) {
            return Err(StoreError::rejected(ErrorCode::SegmentHashMismatch));
        }
        let skey = segment_key(blob_id, index);
        if let Some(existing) = self.segments.get(skey)? {
            return if existing.as_ref() == hash.0 {
                Ok(rec.sealed())
            } else {
                Err(StoreError::rejected(ErrorCode::SegmentConflict))
            };
        }
        self.write_segment_file(hash, data.data())?;
        tx(
            (&self.blobs, &self.segments, &self.segrefs).transaction(|(blobs, segs, refs)| {
                let Some(v) = blobs.get(blob_id.0)? else {
                    return abort(StoreError::rejected(ErrorCode::UnknownBlob));
                };
                let mut rec =
                    BlobRecord::decode(&v).map_err(ConflictableTransactionError::Abort)?;
                if let Some(existing) = segs.get(&skey[..])? {
                    return if existing.as_ref() == hash.0 {
                        Ok(rec.sealed())
                    } else {
                        abort(StoreError::rejected(ErrorCode::SegmentConflict))
                    };
                }
                segs.insert(&skey[..], &hash.0[..])?;
                let n = refs
                    .get(hash.0)?
                    .map(|c| be_u64(&c))
                    .transpose()
                    .map_err(ConflictableTransactionError::Abort)?
                    .unwrap_or(0);
                refs.insert(&hash.0[..], &(n + 1).to_be_bytes())?;
                rec.present += 1;
                blobs.insert(&blob_id.0, &rec.encode()[..])?;
                Ok(rec.sealed())
            }),
        )
    }

    fn blob_status(&self, blob_id: &BlobId) -> Result<BlobState, StoreError> {
        let rec = self.get_blob(blob_id)?;
        let count = segment_count(rec.size);
        let mut present = vec![false; count as usize];
        for k in self.segments.scan_prefix(blob_id.0).keys() {
            let k = k?;
            if k.len() != 36 {
                return Err(StoreError::Corrupt("segment key"));
            }
            let i = u32::from_be_bytes(arr(&k[32..])) as usize;
            if let Some(p) = present.get_mut(i) {
                *p = true;
            }
        }
        let missing: Vec<u32> = (0..count).filter(|&i| !present[i as usize]).collect();
        Ok(BlobState {
            size: rec.size,
            sealed: missing.is_empty(),
            missing,
        })
    }

    fn get_segment(
        &self,
        blob_id: &BlobId,
        index: u32,
    ) -> Result<(SegmentHash, Vec<u8>), StoreError> {
        let rec = self.get_blob(blob_id)?;
        let Some(len) = segment_len(rec.size, index) else {
            return Err(StoreError::Rejected(
                ErrorCode::SegmentOutOfRange,
                u64::from(segment_count(rec.size)),
            ));
        };
        if !rec.sealed() {
            return Err(StoreError::rejected(ErrorCode::BlobNotSealed));
        }
        let h = self
            .segments
            .get(segment_key(blob_id, index))?
            .ok_or(StoreError::Corrupt("sealed blob lacks a segment"))?;
        if h.len() != 32 {
            return Err(StoreError::Corrupt("segment hash"));
        }
        let hash = SegmentHash(arr(&h));
        let mut f = fs::File::open(self.segment_path(&hash))?;
        if f.metadata()?.len() != len as u64 {
            return Err(StoreError::Corrupt("segment file length"));
        }
        let mut data = Vec::with_capacity(len);
        f.read_to_end(&mut data)?;
        if !SegmentHash::of(&data).ct_eq(&hash) {
            return Err(StoreError::Corrupt("segment file hash"));
        }
        Ok((hash, data))
    }

    fn sweep(&self, now: u64, quotas: &Quotas) -> Result<SweepCounts, StoreError> {
        let now_hour = now / 3600;
        let mut counts = SweepCounts::default();
        let msg_cutoff = now_hour.saturating_sub(quotas.message_ttl.as_secs() / 3600);
        let mut expired = Vec::new();
        for kv in self.messages.iter() {
            let (k, v) = kv?;
            if k.len() != 24 || v.len() < MESSAGE_PREFIX_LEN {
                return Err(StoreError::Corrupt("message"));
            }
            if u64::from(u32::from_be_bytes(arr(&v[..4]))) < msg_cutoff {
                expired.push((ReceiveId(arr(&k[..16])), be_u64(&k[16..])?));
            }
        }
        for (rid, seq) in expired {
            if self.remove_message(&rid, seq)? {
                counts.messages += 1;
            }
        }
        let blob_cutoff = now_hour.saturating_sub(quotas.blob_ttl.as_secs() / 3600);
        let mut old_blobs = Vec::new();
        for kv in self.blobs.iter() {
            let (k, v) = kv?;
            let rec = BlobRecord::decode(&v)?;
            if u64::from(rec.created_hour) < blob_cutoff && k.len() == 32 {
                old_blobs.push(BlobId(arr(&k)));
            }
        }
        for b in old_blobs {
            self.delete_blob(&b)?;
            counts.blobs += 1;
        }
        let nonce_cutoff = now.saturating_sub(2 * sanad_protocol::limits::MAX_CLOCK_SKEW_SECS);
        for kv in self.nonces.iter() {
            let (k, v) = kv?;
            if be_u64(&v)? < nonce_cutoff {
                self.nonces.remove(k)?;
                counts.nonces += 1;
            }
        }
        Ok(counts)
    }

    fn flush(&self) -> Result<(), StoreError> {
        if SYNC {
            self.sync_dirty_shards()?;
        }
        self.db.flush()?;
        Ok(())
    }

    fn log(&self) -> Option<&dyn crate::log::LogStore> {
        Some(&self.log)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_protocol::limits::SEGMENT_SIZE;

    fn bytes(data: &[u8]) -> SegmentBytes {
        SegmentBytes::hash(data.to_vec())
    }

    fn open() -> (tempfile::TempDir, SledFileStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (s, _) = SledFileStore::open(dir.path()).expect("open");
        (dir, s)
    }

    fn code(e: StoreError) -> (ErrorCode, u64) {
        match e {
            StoreError::Rejected(c, v) => (c, v),
            other => panic!("expected a rejection, got {other}"),
        }
    }

    #[test]
    fn creating_a_mailbox_twice_for_one_owner_returns_the_same_ids() {
        let (_d, s) = open();
        let a = s.create_mailbox(&OwnerKey([1; 32]), 10).expect("create");
        let b = s
            .create_mailbox(&OwnerKey([1; 32]), 11)
            .expect("create again");
        let c = s
            .create_mailbox(&OwnerKey([2; 32]), 11)
            .expect("other owner");
        assert_eq!(a, b);
        assert_ne!(a.0, c.0);
        assert_eq!(s.owner_of(&a.0).expect("owner"), Some(OwnerKey([1; 32])));
    }

    #[test]
    fn deposits_are_numbered_deduplicated_listed_fetched_and_acked() {
        let (_d, s) = open();
        let q = Quotas::default();
        let (rid, sid) = s.create_mailbox(&OwnerKey([1; 32]), 1).expect("create");
        let s1 = s
            .deposit(&sid, &DepositKey([1; 16]), b"one", 5, &q)
            .expect("deposit");
        let s2 = s
            .deposit(&sid, &DepositKey([2; 16]), b"two", 5, &q)
            .expect("deposit");
        let again = s
            .deposit(&sid, &DepositKey([1; 16]), b"one", 5, &q)
            .expect("retry");
        assert_eq!((s1, s2, again), (1, 2, 1));
        let (list, more) = s.list(&rid, 0, 10).expect("list");
        assert!(!more);
        assert_eq!(
            list.iter()
                .map(|h| (h.seq, h.len, h.stored_hour))
                .collect::<Vec<_>>(),
            vec![(1, 3, 5), (2, 3, 5)]
        );
        let (page, more) = s.fetch(&rid, 0, 1, 1 << 20).expect("fetch");
        assert!(more);
        assert_eq!(page[0].body, b"one");
        let (rest, _) = s.fetch(&rid, 1, 10, 1 << 20).expect("fetch");
        assert_eq!(rest[0].body, b"two");
        assert_eq!(s.ack(&rid, &[1, 1, 99]).expect("ack"), 1);
        assert_eq!(s.list(&rid, 0, 10).expect("list").0.len(), 1);
        // After ack the deposit key is forgotten with the message.
        assert_eq!(
            s.deposit(&sid, &DepositKey([1; 16]), b"one", 5, &q)
                .expect("deposit"),
            3
        );
    }

    #[test]
    fn mailbox_quotas_reject_without_storing() {
        let (_d, s) = open();
        let q = Quotas {
            max_messages_per_mailbox: 2,
            max_bytes_per_mailbox: 10,
            ..Quotas::default()
        };
        let (rid, sid) = s.create_mailbox(&OwnerKey([1; 32]), 1).expect("create");
        s.deposit(&sid, &DepositKey([1; 16]), b"12345", 0, &q)
            .expect("deposit");
        assert_eq!(
            code(
                s.deposit(&sid, &DepositKey([2; 16]), b"123456", 0, &q)
                    .expect_err("must be refused")
            ),
            (ErrorCode::MailboxFullBytes, 10)
        );
        s.deposit(&sid, &DepositKey([3; 16]), b"1", 0, &q)
            .expect("deposit");
        assert_eq!(
            code(
                s.deposit(&sid, &DepositKey([4; 16]), b"1", 0, &q)
                    .expect_err("must be refused")
            ),
            (ErrorCode::MailboxFullCount, 2)
        );
        assert_eq!(s.list(&rid, 0, 10).expect("list").0.len(), 2);
        assert_eq!(
            code(
                s.deposit(&SendId([9; 16]), &DepositKey([4; 16]), b"1", 0, &q)
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::UnknownMailbox
        );
    }

    #[test]
    fn a_nonce_is_accepted_once_per_owner() {
        let (_d, s) = open();
        assert!(s
            .record_nonce(&OwnerKey([1; 32]), &Nonce([5; 16]), 100)
            .expect("nonce"));
        assert!(!s
            .record_nonce(&OwnerKey([1; 32]), &Nonce([5; 16]), 100)
            .expect("nonce"));
        assert!(s
            .record_nonce(&OwnerKey([2; 32]), &Nonce([5; 16]), 100)
            .expect("nonce"));
    }

    fn blob_bytes(size: usize) -> Vec<u8> {
        (0..size).map(|i| (i * 31 % 251) as u8).collect()
    }

    /// `data` as a transport receives it: in a page-aligned buffer.
    fn received(data: &[u8]) -> SegmentBytes {
        let mut h = crate::store::SegmentHasher::with_len(data.len());
        h.unfilled().copy_from_slice(data);
        h.advance(data.len());
        h.finish()
    }

    #[test]
    fn segment_files_hold_exactly_their_bytes_direct_or_cached() {
        let (d, s) = open();
        let page = DIRECT_IO_ALIGN;
        for (i, len) in [1, page - 1, page, page + 1, 3 * page, 300_001, SEGMENT_SIZE]
            .into_iter()
            .enumerate()
        {
            let data = blob_bytes(len);
            // Aligned (direct head, cached tail) and unaligned (all cached).
            for (j, seg) in [received(&data), bytes(&data)].into_iter().enumerate() {
                let path = d.path().join(format!("f{i}-{j}"));
                s.write_new_file(&path, seg.data()).expect("write");
                assert_eq!(
                    fs::read(&path).expect("read"),
                    data,
                    "{len} bytes, case {j}"
                );
            }
        }
    }

    #[test]
    fn a_blob_is_sealed_when_every_segment_arrives_and_reads_back() {
        let (_d, s) = open();
        let q = Quotas::default();
        let size = 2 * SEGMENT_SIZE + 100;
        let data = blob_bytes(size);
        let (id, token) = s.create_blob(size as u64, 1, &q).expect("create");
        assert_eq!(s.blob_status(&id).expect("status").missing, vec![0, 1, 2]);
        let chunks: Vec<&[u8]> = data.chunks(SEGMENT_SIZE).collect();
        assert!(!s
            .put_segment(
                &id,
                &token,
                2,
                &SegmentHash::of(chunks[2]),
                &bytes(chunks[2])
            )
            .expect("put"));
        assert_eq!(
            code(s.get_segment(&id, 0).expect_err("must be refused")).0,
            ErrorCode::BlobNotSealed
        );
        assert!(!s
            .put_segment(
                &id,
                &token,
                0,
                &SegmentHash::of(chunks[0]),
                &bytes(chunks[0])
            )
            .expect("put"));
        // Idempotent re-upload of the same bytes.
        assert!(!s
            .put_segment(
                &id,
                &token,
                0,
                &SegmentHash::of(chunks[0]),
                &bytes(chunks[0])
            )
            .expect("put"));
        assert_eq!(s.blob_status(&id).expect("status").missing, vec![1]);
        assert!(s
            .put_segment(
                &id,
                &token,
                1,
                &SegmentHash::of(chunks[1]),
                &bytes(chunks[1])
            )
            .expect("put"));
        let st = s.blob_status(&id).expect("status");
        assert!(st.sealed && st.missing.is_empty());
        let mut back = Vec::new();
        for i in 0..3 {
            back.extend(s.get_segment(&id, i).expect("get").1);
        }
        assert_eq!(back, data);
    }

    #[test]
    fn bad_segments_are_rejected_with_their_codes() {
        let (_d, s) = open();
        let q = Quotas {
            max_blob_len: 3 * SEGMENT_SIZE as u64,
            ..Quotas::default()
        };
        assert_eq!(
            code(
                s.create_blob(3 * SEGMENT_SIZE as u64 + 1, 1, &q)
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::BlobTooLarge
        );
        let (id, token) = s
            .create_blob(SEGMENT_SIZE as u64 + 10, 1, &q)
            .expect("create");
        let seg = vec![7u8; SEGMENT_SIZE];
        let h = SegmentHash::of(&seg);
        assert_eq!(
            code(
                s.put_segment(&id, &UploadToken([0; 32]), 0, &h, &bytes(&seg))
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::BadUploadToken
        );
        assert_eq!(
            code(
                s.put_segment(&id, &token, 2, &h, &bytes(&seg))
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::SegmentOutOfRange
        );
        assert_eq!(
            code(
                s.put_segment(&id, &token, 1, &h, &bytes(&seg))
                    .expect_err("must be refused")
            ),
            (ErrorCode::SegmentWrongLength, 10)
        );
        assert_eq!(
            code(
                s.put_segment(&id, &token, 0, &SegmentHash([0; 32]), &bytes(&seg))
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::SegmentHashMismatch
        );
        assert_eq!(
            code(
                s.put_segment(&BlobId([9; 32]), &token, 0, &h, &bytes(&seg))
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::UnknownBlob
        );
        s.put_segment(&id, &token, 0, &h, &bytes(&seg))
            .expect("put");
        let other = vec![8u8; SEGMENT_SIZE];
        assert_eq!(
            code(
                s.put_segment(&id, &token, 0, &SegmentHash::of(&other), &bytes(&other))
                    .expect_err("must be refused")
            )
            .0,
            ErrorCode::SegmentConflict
        );
        assert_eq!(s.blob_status(&id).expect("status").missing, vec![1]);
    }

    #[test]
    fn storage_cap_rejects_blob_reservations_beyond_it() {
        let (_d, s) = open();
        let q = Quotas {
            max_total_blob_bytes: 100,
            ..Quotas::default()
        };
        s.create_blob(60, 1, &q).expect("first");
        assert_eq!(
            code(s.create_blob(60, 1, &q).expect_err("must be refused")).0,
            ErrorCode::StorageFull
        );
        s.create_blob(40, 1, &q).expect("fits");
    }

    #[test]
    fn reopening_removes_partial_and_orphan_segment_files_but_keeps_referenced_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let q = Quotas::default();
        let seg = vec![3u8; 100];
        let id = {
            let (s, _) = SledFileStore::open(dir.path()).expect("open");
            let (id, token) = s.create_blob(100, 1, &q).expect("create");
            s.put_segment(&id, &token, 0, &SegmentHash::of(&seg), &bytes(&seg))
                .expect("put");
            s.flush().expect("flush");
            id
        };
        fs::write(dir.path().join("tmp").join("half"), b"partial").expect("write");
        let orphan = SegmentHash::of(b"orphan").to_hex();
        fs::create_dir_all(dir.path().join("segments").join(&orphan[..2])).expect("mkdir");
        fs::write(
            dir.path().join("segments").join(&orphan[..2]).join(&orphan),
            b"orphan",
        )
        .expect("write");
        let (s, rec) = SledFileStore::open(dir.path()).expect("reopen");
        assert_eq!(
            rec,
            Recovery {
                partial_files: 1,
                orphan_files: 1,
                missing_files: 0,
                dropped_segments: 0,
            }
        );
        assert_eq!(s.get_segment(&id, 0).expect("get").1, seg);
    }

    #[test]
    fn a_segment_whose_file_is_missing_at_start_is_reported_missing_again() {
        // What a power loss can leave: sled recorded the segment, the rename
        // of its file never reached the disk (the segment was never
        // acknowledged). The blob must ask for it again, not claim it.
        let dir = tempfile::tempdir().expect("tempdir");
        let q = Quotas::default();
        let (a, b) = (vec![1u8; SEGMENT_SIZE], vec![2u8; 50]);
        let (id, token) = {
            let (s, _) = SledFileStore::open(dir.path()).expect("open");
            let size = (SEGMENT_SIZE + 50) as u64;
            let (id, token) = s.create_blob(size, 1, &q).expect("create");
            for (i, seg) in [(0, &a), (1, &b)] {
                s.put_segment(&id, &token, i, &SegmentHash::of(&seg[..]), &bytes(&seg[..]))
                    .expect("put");
            }
            s.flush().expect("flush");
            assert!(s.blob_status(&id).expect("status").sealed);
            (id, token)
        };
        let lost = SegmentHash::of(&b).to_hex();
        fs::remove_file(dir.path().join("segments").join(&lost[..2]).join(&lost)).expect("remove");
        let (s, rec) = SledFileStore::open(dir.path()).expect("reopen");
        assert_eq!((rec.missing_files, rec.dropped_segments), (1, 1));
        let st = s.blob_status(&id).expect("status");
        assert_eq!((st.missing, st.sealed), (vec![1], false));
        assert!(s
            .put_segment(&id, &token, 1, &SegmentHash::of(&b), &bytes(&b))
            .expect("resend"));
        assert_eq!(s.get_segment(&id, 1).expect("get").1, b);
    }

    #[test]
    fn sweep_deletes_expired_messages_blobs_and_their_files() {
        let (dir, s) = open();
        let q = Quotas::default();
        let (rid, sid) = s.create_mailbox(&OwnerKey([1; 32]), 0).expect("create");
        s.deposit(&sid, &DepositKey([1; 16]), b"old", 0, &q)
            .expect("deposit");
        s.deposit(&sid, &DepositKey([2; 16]), b"new", 30 * 24, &q)
            .expect("deposit");
        let (id, token) = s.create_blob(10, 0, &q).expect("blob");
        s.put_segment(&id, &token, 0, &SegmentHash::of(&[1; 10]), &bytes(&[1; 10]))
            .expect("put");
        s.record_nonce(&OwnerKey([1; 32]), &Nonce([1; 16]), 0)
            .expect("nonce");
        let now = (30 * 24 + 1) * 3600;
        let c = s.sweep(now, &q).expect("sweep");
        assert_eq!(
            c,
            SweepCounts {
                messages: 1,
                blobs: 1,
                nonces: 1
            }
        );
        let (left, _) = s.list(&rid, 0, 10).expect("list");
        assert_eq!(left.len(), 1);
        assert_eq!(
            code(s.blob_status(&id).expect_err("must be refused")).0,
            ErrorCode::UnknownBlob
        );
        let files: usize = fs::read_dir(dir.path().join("segments"))
            .expect("dir")
            .map(|d| {
                fs::read_dir(d.expect("entry").path())
                    .expect("shard")
                    .count()
            })
            .sum();
        assert_eq!(files, 0);
        // The deleted blob's bytes are released from the reservation.
        let tight = Quotas {
            max_total_blob_bytes: 10,
            ..Quotas::default()
        };
        s.create_blob(10, 1, &tight).expect("fits again");
    }
}
