//! The profile's local store: a sled database whose values are all
//! encrypted under a key derived from the [`ProfileKey`].
//!
//! # Keys are in the clear — only non-sensitive keys
//!
//! Values are encrypted; **keys are stored as given**, so that callers can
//! iterate in order (sequence numbers, random IDs). Anyone holding the
//! device can read every key without the passphrase. Use only keys that
//! reveal nothing: random identifiers, counters, fixed labels. **Never**
//! a name, a phone number, a relay address, a case reference, a content
//! hash or any part of a message. When the natural key is sensitive, use
//! [`Store::hashed_key`] (HMAC-SHA256 under a key derived from the profile
//! key) and keep the clear value inside the encrypted value.
//!
//! # Layout
//!
//! One sled tree. A record's sled key is the [`Table`] byte followed by the
//! caller's key, so each table is a contiguous, ordered key range and a
//! [`WriteBatch`] across tables is one atomic `sled::Batch`.
//!
//! A stored value is `version (1) | nonce (24) | ciphertext (value + 16-byte
//! tag)`: XChaCha20-Poly1305 under the store subkey with a random nonce per
//! write, and associated data `version | table byte | key`, so a value moved
//! to another key or table (or given another version byte) fails to decrypt
//! ([`StoreError::Corrupt`]).
//!
//! Subkeys: HKDF-SHA256 with the profile key as input key material, no salt,
//! info `sanad/store/v1` (values) and `sanad/store-keys/v1` (keyed hashes).
//!
//! At creation the store writes a check value under [`Table::Meta`], key
//! `store-check`, and verifies it at every open: a store opened with another
//! profile's key fails at once with [`StoreError::WrongKey`]. That key is
//! reserved ([`StoreError::ReservedKey`]).
//!
//! # What it does not give
//!
//! Each value is confidential and bound to its key, but someone who can
//! write to the disk can delete records or put back an older value of the
//! same key (rollback); the store does not detect that. The number of
//! records, their keys, their sizes (to the byte, plus 41) and sled's own
//! write timing are visible on disk.
//!
//! Writes are durable when [`Store::apply`] returns: the batch is applied
//! atomically, then sled is flushed (fsync).

use std::fmt;
use std::ops::{Bound, RangeBounds};
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::keyfile::ProfileKey;
use crate::limits::{MAX_STORE_BATCH_LEN, MAX_STORE_KEY_LEN, MAX_STORE_VALUE_LEN};

/// Version byte of stored values.
const VALUE_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Bytes a stored value adds to its plaintext.
pub const VALUE_OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;

const VALUE_KEY_INFO: &[u8] = b"sanad/store/v1";
const HASH_KEY_INFO: &[u8] = b"sanad/store-keys/v1";

/// The reserved [`Table::Meta`] key of the open check.
pub const CHECK_KEY: &[u8] = b"store-check";
const CHECK_VALUE: &[u8] = b"sanad store v1";

/// A logical table: the first byte of every sled key.
///
/// To add a table, add a variant with the next unused number; never reuse
/// or renumber one (the byte is on disk). Byte 0 is reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[non_exhaustive]
pub enum Table {
    /// The store's own records (the open check) and profile-wide settings.
    Meta = 1,
    /// MLS state: the openmls storage provider's records (groups, key
    /// packages, secrets).
    Mls = 2,
    /// Contacts: their keys, verification state and relay capabilities.
    Contacts = 3,
    /// Conversations (each an MLS group): membership and local settings.
    Groups = 4,
    /// Received and sent messages, keyed by conversation and sequence.
    Messages = 5,
    /// Messages and evidence waiting to be sent, in order.
    Outbox = 6,
    /// Blob uploads and downloads in progress (resumable state).
    Transfers = 7,
    /// Evidence items: manifests, signatures, receipts, spool references.
    Evidence = 8,
}

impl Table {
    /// The table's byte on disk.
    pub const fn prefix(self) -> u8 {
        self as u8
    }
}

/// Why a store operation failed. No variant carries a value, and none
/// carries key bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database engine failed (input/output, or its own corruption).
    #[error("the local database failed: {0}")]
    Db(#[from] sled::Error),
    /// The store was not made with this profile key (or its check value is
    /// damaged).
    #[error("the local store does not belong to this profile key")]
    WrongKey,
    /// A stored value does not decrypt under its key: damaged, or moved
    /// from another key or table.
    #[error("a value in the {table:?} table is damaged")]
    Corrupt {
        /// The table of the damaged value.
        table: Table,
    },
    /// The store holds records but not the check value.
    #[error("the local store has no check record (damaged)")]
    MissingCheck,
    /// A value over [`MAX_STORE_VALUE_LEN`] was offered; nothing written.
    #[error("a value of {len} bytes is over the store's limit of {max}")]
    ValueTooLarge {
        /// The value's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A key over [`MAX_STORE_KEY_LEN`] was offered; nothing written.
    #[error("a key of {len} bytes is over the store's limit of {max}")]
    KeyTooLong {
        /// The key's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A batch would carry more than [`MAX_STORE_BATCH_LEN`] bytes.
    #[error("the batch is over the store's limit of {max} bytes")]
    BatchTooLarge {
        /// The limit.
        max: usize,
    },
    /// The key is the store's own ([`CHECK_KEY`] under [`Table::Meta`]).
    #[error("the key is reserved for the store itself")]
    ReservedKey,
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Randomness,
}

/// A record read back: the caller's key (without the table byte) and the
/// decrypted value.
pub type Entry = (Vec<u8>, Zeroizing<Vec<u8>>);

/// The encrypted local store of a profile.
pub struct Store {
    db: sled::Db,
    cipher: XChaCha20Poly1305,
    hash_key: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Store { .. }")
    }
}

impl Store {
    /// Opens the store in `dir` (created if absent) under `key`. A new store
    /// gets its check value; an existing one must pass it
    /// ([`StoreError::WrongKey`] otherwise).
    pub fn open(dir: &Path, key: &ProfileKey) -> Result<Store, StoreError> {
        let hkdf = Hkdf::<Sha256>::new(None, key.as_bytes());
        let mut value_key = Zeroizing::new([0u8; 32]);
        let mut hash_key = Zeroizing::new([0u8; 32]);
        hkdf.expand(VALUE_KEY_INFO, &mut value_key[..])
            .and_then(|()| hkdf.expand(HASH_KEY_INFO, &mut hash_key[..]))
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        let cipher = XChaCha20Poly1305::new(Key::from_slice(&value_key[..]));
        let db = sled::Config::new().path(dir).open()?;
        let store = Store {
            db,
            cipher,
            hash_key,
        };
        store.check()?;
        Ok(store)
    }

    fn check(&self) -> Result<(), StoreError> {
        let sled_key = sled_key(Table::Meta, CHECK_KEY);
        match self.db.get(&sled_key)? {
            Some(stored) => match self.decrypt(Table::Meta, &sled_key, &stored) {
                Ok(value) if value.as_slice() == CHECK_VALUE => Ok(()),
                _ => Err(StoreError::WrongKey),
            },
            None if self.db.is_empty() => {
                let sealed = self.encrypt(&sled_key, CHECK_VALUE)?;
                self.db.insert(sled_key, sealed)?;
                self.db.flush()?;
                Ok(())
            }
            None => Err(StoreError::MissingCheck),
        }
    }

    /// HMAC-SHA256, under a key derived from the profile key, of the table
    /// byte and `secret`: a stable, unlinkable store key for a record whose
    /// natural key is sensitive (a contact's key, a content hash). The same
    /// secret gives different keys in different tables and profiles.
    pub fn hashed_key(&self, table: Table, secret: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.hash_key[..])
            .expect("HMAC takes keys of any length");
        mac.update(&[table.prefix()]);
        mac.update(secret);
        mac.finalize().into_bytes().into()
    }

    /// The value under `key` in `table`, decrypted.
    pub fn get(&self, table: Table, key: &[u8]) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        check_key(key)?;
        let sled_key = sled_key(table, key);
        match self.db.get(&sled_key)? {
            Some(stored) => Ok(Some(self.decrypt(table, &sled_key, &stored)?)),
            None => Ok(None),
        }
    }

    /// Every record of `table` whose key starts with `prefix`, in key order
    /// (reversible with `.rev()`).
    pub fn scan_prefix(&self, table: Table, prefix: &[u8]) -> Entries<'_> {
        Entries {
            store: self,
            table,
            inner: self.db.scan_prefix(sled_key(table, prefix)),
        }
    }

    /// The records of `table` whose keys are in `range`, in key order
    /// (reversible with `.rev()`). `store.range(table, from..)`,
    /// `store.range(table, a..b)`, `store.range(table, ..)`.
    pub fn range<'k, R: RangeBounds<&'k [u8]>>(&self, table: Table, range: R) -> Entries<'_> {
        let start = match range.start_bound() {
            Bound::Included(k) => Bound::Included(sled_key(table, k)),
            Bound::Excluded(k) => Bound::Excluded(sled_key(table, k)),
            Bound::Unbounded => Bound::Included(vec![table.prefix()]),
        };
        let end = match range.end_bound() {
            Bound::Included(k) => Bound::Included(sled_key(table, k)),
            Bound::Excluded(k) => Bound::Excluded(sled_key(table, k)),
            Bound::Unbounded => match table.prefix().checked_add(1) {
                Some(next) => Bound::Excluded(vec![next]),
                None => Bound::Unbounded,
            },
        };
        Entries {
            store: self,
            table,
            inner: self.db.range((start, end)),
        }
    }

    /// The record of `table` with the greatest key.
    pub fn last(&self, table: Table) -> Result<Option<Entry>, StoreError> {
        self.range(table, ..).next_back().transpose()
    }

    /// An empty batch, to fill and [`apply`](Store::apply).
    pub fn batch(&self) -> WriteBatch {
        WriteBatch::new()
    }

    /// Applies every write of `batch` atomically (all or none, also across
    /// a crash), then flushes: durable when this returns.
    pub fn apply(&self, batch: WriteBatch) -> Result<(), StoreError> {
        if batch.ops.is_empty() {
            return Ok(());
        }
        let mut sled_batch = sled::Batch::default();
        for op in batch.ops {
            match op {
                Op::Put { table, key, value } => {
                    let sled_key = sled_key(table, &key);
                    let sealed = self.encrypt(&sled_key, &value)?;
                    sled_batch.insert(sled_key, sealed);
                }
                Op::Delete { table, key } => sled_batch.remove(sled_key(table, &key)),
            }
        }
        self.db.apply_batch(sled_batch)?;
        self.db.flush()?;
        Ok(())
    }

    /// Writes one value, durably (a batch of one).
    pub fn put(&self, table: Table, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.put(table, key, value)?;
        self.apply(batch)
    }

    /// Deletes one record, durably (a batch of one). Deleting an absent key
    /// is not an error.
    pub fn delete(&self, table: Table, key: &[u8]) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.delete(table, key)?;
        self.apply(batch)
    }

    fn encrypt(&self, sled_key: &[u8], value: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        OsRng
            .try_fill_bytes(&mut nonce)
            .map_err(|_| StoreError::Randomness)?;
        let aad = aad(sled_key);
        let ciphertext = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: value,
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::ValueTooLarge {
                len: value.len(),
                max: MAX_STORE_VALUE_LEN,
            })?;
        let mut stored = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        stored.push(VALUE_VERSION);
        stored.extend_from_slice(&nonce);
        stored.extend_from_slice(&ciphertext);
        Ok(stored)
    }

    fn decrypt(
        &self,
        table: Table,
        sled_key: &[u8],
        stored: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let corrupt = StoreError::Corrupt { table };
        if stored.len() < VALUE_OVERHEAD
            || stored.len() > MAX_STORE_VALUE_LEN + VALUE_OVERHEAD
            || stored[0] != VALUE_VERSION
        {
            return Err(corrupt);
        }
        let (nonce, ciphertext) = stored[1..].split_at(NONCE_LEN);
        let aad = aad(sled_key);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| corrupt)
    }
}

fn sled_key(table: Table, key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + key.len());
    k.push(table.prefix());
    k.extend_from_slice(key);
    k
}

fn aad(sled_key: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(1 + sled_key.len());
    aad.push(VALUE_VERSION);
    aad.extend_from_slice(sled_key);
    aad
}

fn check_key(key: &[u8]) -> Result<(), StoreError> {
    if key.len() > MAX_STORE_KEY_LEN {
        return Err(StoreError::KeyTooLong {
            len: key.len(),
            max: MAX_STORE_KEY_LEN,
        });
    }
    Ok(())
}

fn check_writable(table: Table, key: &[u8]) -> Result<(), StoreError> {
    check_key(key)?;
    if table == Table::Meta && key == CHECK_KEY {
        return Err(StoreError::ReservedKey);
    }
    Ok(())
}

enum Op {
    Put {
        table: Table,
        key: Vec<u8>,
        value: Zeroizing<Vec<u8>>,
    },
    Delete {
        table: Table,
        key: Vec<u8>,
    },
}

/// Writes to apply together with [`Store::apply`], in order (a later write
/// to the same key wins). Values are held in memory, zeroized on drop, and
/// encrypted when applied. Bounds are checked as writes are added.
#[derive(Default)]
pub struct WriteBatch {
    ops: Vec<Op>,
    bytes: usize,
}

impl fmt::Debug for WriteBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteBatch")
            .field("writes", &self.ops.len())
            .finish_non_exhaustive()
    }
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        WriteBatch::default()
    }

    /// Adds a write of `value` under `key` in `table`.
    pub fn put(&mut self, table: Table, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        check_writable(table, key)?;
        if value.len() > MAX_STORE_VALUE_LEN {
            return Err(StoreError::ValueTooLarge {
                len: value.len(),
                max: MAX_STORE_VALUE_LEN,
            });
        }
        self.grow(key.len() + value.len())?;
        self.ops.push(Op::Put {
            table,
            key: key.to_vec(),
            value: Zeroizing::new(value.to_vec()),
        });
        Ok(())
    }

    /// Adds a deletion of `key` in `table`.
    pub fn delete(&mut self, table: Table, key: &[u8]) -> Result<(), StoreError> {
        check_writable(table, key)?;
        self.grow(key.len())?;
        self.ops.push(Op::Delete {
            table,
            key: key.to_vec(),
        });
        Ok(())
    }

    /// The number of writes added.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether no write was added.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    fn grow(&mut self, n: usize) -> Result<(), StoreError> {
        let total = self.bytes.saturating_add(n);
        if total > MAX_STORE_BATCH_LEN {
            return Err(StoreError::BatchTooLarge {
                max: MAX_STORE_BATCH_LEN,
            });
        }
        self.bytes = total;
        Ok(())
    }
}

/// Records of one table, decrypted as they are read. Yields
/// [`StoreError::Corrupt`] for a value that does not decrypt, and goes on.
pub struct Entries<'a> {
    store: &'a Store,
    table: Table,
    inner: sled::Iter,
}

impl fmt::Debug for Entries<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entries")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl Entries<'_> {
    fn entry(&self, item: sled::Result<(sled::IVec, sled::IVec)>) -> Result<Entry, StoreError> {
        let (sled_key, stored) = item?;
        let value = self.store.decrypt(self.table, &sled_key, &stored)?;
        Ok((sled_key[1..].to_vec(), value))
    }
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next()?;
        Some(self.entry(item))
    }
}

impl DoubleEndedIterator for Entries<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let item = self.inner.next_back()?;
        Some(self.entry(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_temp() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = ProfileKey::generate().expect("rng");
        let store = Store::open(&dir.path().join("store"), &key).expect("opens");
        (dir, store)
    }

    #[test]
    fn a_stored_value_is_version_nonce_ciphertext_and_tag() {
        let (_dir, store) = open_temp();
        store.put(Table::Contacts, b"id", b"hello").expect("put");
        let stored = store
            .db
            .get(sled_key(Table::Contacts, b"id"))
            .expect("get")
            .expect("present");
        assert_eq!(stored.len(), 5 + VALUE_OVERHEAD);
        assert_eq!(stored[0], VALUE_VERSION);
    }

    #[test]
    fn a_value_with_another_version_byte_is_corrupt() {
        let (_dir, store) = open_temp();
        store.put(Table::Outbox, b"k", b"v").expect("put");
        let k = sled_key(Table::Outbox, b"k");
        let mut stored = store.db.get(&k).expect("get").expect("present").to_vec();
        stored[0] = 2;
        store.db.insert(&k, stored).expect("insert");
        assert!(matches!(
            store.get(Table::Outbox, b"k"),
            Err(StoreError::Corrupt {
                table: Table::Outbox
            })
        ));
    }

    #[test]
    fn the_check_key_cannot_be_written_or_deleted() {
        let (_dir, store) = open_temp();
        assert!(matches!(
            store.put(Table::Meta, CHECK_KEY, b"x"),
            Err(StoreError::ReservedKey)
        ));
        assert!(matches!(
            store.delete(Table::Meta, CHECK_KEY),
            Err(StoreError::ReservedKey)
        ));
    }

    #[test]
    fn a_store_with_records_but_no_check_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        {
            let db = sled::open(&path).expect("sled");
            db.insert([Table::Messages.prefix(), 1], vec![0u8; 50])
                .expect("insert");
            db.flush().expect("flush");
        }
        let key = ProfileKey::generate().expect("rng");
        assert!(matches!(
            Store::open(&path, &key),
            Err(StoreError::MissingCheck)
        ));
    }
}
