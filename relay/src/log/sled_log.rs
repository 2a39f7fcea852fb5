//! The log in one sled tree, `log`, of the relay's database (so the group
//! commit's flush covers it). Keys are a one-byte tag and big-endian numbers:
//!
//! | key | value |
//! | --- | --- |
//! | `S` | the log size (`u64`), present once a checkpoint exists |
//! | `L` ‖ index (`u64`) | the commitment (32 bytes) |
//! | `D` ‖ commitment | its index (`u64`) |
//! | `N` ‖ level (`u8`) ‖ index (`u64`) | a complete subtree's hash (32 bytes), level ≥ 1 |
//! | `C` ‖ size (`u64`) | the signed checkpoint at that size (note text) |
//!
//! An append is one `sled::Batch`, applied atomically, after checking under
//! a lock that it extends the log exactly at its end.

use std::collections::HashSet;
use std::sync::Mutex;

use sanad_protocol::log::merkle::{Hash, Subtree};
use sanad_protocol::Commitment;

use super::store::{AppendBatch, LogStore, LogStoreError};

const SIZE_KEY: &[u8] = b"S";
const LEAF: u8 = b'L';
const DEDUP: u8 = b'D';
const NODE: u8 = b'N';
const CHECKPOINT: u8 = b'C';

fn leaf_key(index: u64) -> [u8; 9] {
    let mut k = [LEAF; 9];
    k[1..].copy_from_slice(&index.to_be_bytes());
    k
}

fn dedup_key(c: &Commitment) -> [u8; 33] {
    let mut k = [DEDUP; 33];
    k[1..].copy_from_slice(&c.0);
    k
}

fn node_key(s: Subtree) -> [u8; 10] {
    let mut k = [NODE; 10];
    k[1] = s.level;
    k[2..].copy_from_slice(&s.index.to_be_bytes());
    k
}

fn checkpoint_key(size: u64) -> [u8; 9] {
    let mut k = [CHECKPOINT; 9];
    k[1..].copy_from_slice(&size.to_be_bytes());
    k
}

fn u64_of(v: &[u8], what: &'static str) -> Result<u64, LogStoreError> {
    let b: [u8; 8] = v.try_into().map_err(|_| LogStoreError::Corrupt(what))?;
    Ok(u64::from_be_bytes(b))
}

fn hash_of(v: &[u8], what: &'static str) -> Result<Hash, LogStoreError> {
    v.try_into().map_err(|_| LogStoreError::Corrupt(what))
}

/// The transparency log in sled.
pub struct SledLog {
    tree: sled::Tree,
    /// Serialises appends: the check that a batch starts at the end and
    /// the write are one step.
    append_lock: Mutex<()>,
}

impl SledLog {
    /// Open (or create) the `log` tree of `db`.
    pub fn open(db: &sled::Db) -> Result<SledLog, sled::Error> {
        Ok(SledLog {
            tree: db.open_tree("log")?,
            append_lock: Mutex::new(()),
        })
    }
}

impl LogStore for SledLog {
    fn size(&self) -> Result<u64, LogStoreError> {
        match self.tree.get(SIZE_KEY)? {
            Some(v) => u64_of(&v, "log size"),
            None => Ok(0),
        }
    }

    fn leaf(&self, index: u64) -> Result<Option<Commitment>, LogStoreError> {
        self.tree
            .get(leaf_key(index))?
            .map(|v| hash_of(&v, "log leaf").map(Commitment))
            .transpose()
    }

    fn index_of(&self, commitment: &Commitment) -> Result<Option<u64>, LogStoreError> {
        self.tree
            .get(dedup_key(commitment))?
            .map(|v| u64_of(&v, "log leaf index"))
            .transpose()
    }

    fn node(&self, subtree: Subtree) -> Result<Option<Hash>, LogStoreError> {
        self.tree
            .get(node_key(subtree))?
            .map(|v| hash_of(&v, "log subtree hash"))
            .transpose()
    }

    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, LogStoreError> {
        Ok(self.tree.get(checkpoint_key(size))?.map(|v| v.to_vec()))
    }

    fn latest_checkpoint(&self) -> Result<Option<(u64, Vec<u8>)>, LogStoreError> {
        let Some(v) = self.tree.get(SIZE_KEY)? else {
            return Ok(None);
        };
        let size = u64_of(&v, "log size")?;
        let note = self.checkpoint(size)?.ok_or(LogStoreError::Corrupt(
            "the latest log checkpoint is missing",
        ))?;
        Ok(Some((size, note)))
    }

    fn append(&self, batch: &AppendBatch<'_>) -> Result<(), LogStoreError> {
        let _guard = self
            .append_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let size = self.size()?;
        if batch.first_index != size {
            return Err(LogStoreError::NotAtEnd {
                size,
                first_index: batch.first_index,
            });
        }
        if batch.leaves.is_empty() && self.tree.contains_key(SIZE_KEY)? {
            return Err(LogStoreError::Empty);
        }
        let new_size = u64::try_from(batch.leaves.len())
            .ok()
            .and_then(|n| size.checked_add(n))
            .ok_or(LogStoreError::Full)?;
        for (s, _) in batch.nodes {
            let end = s.end().ok_or(LogStoreError::NodeOutsideBatch)?;
            if s.level == 0 || end <= size || end > new_size {
                return Err(LogStoreError::NodeOutsideBatch);
            }
        }
        let mut seen = HashSet::with_capacity(batch.leaves.len());
        for c in batch.leaves {
            if let Some(index) = self.index_of(c)? {
                return Err(LogStoreError::DuplicateCommitment { index });
            }
            if !seen.insert(*c) {
                return Err(LogStoreError::DuplicateCommitment { index: size });
            }
        }
        let mut b = sled::Batch::default();
        for (i, c) in (size..).zip(batch.leaves) {
            b.insert(&leaf_key(i)[..], &c.0[..]);
            b.insert(&dedup_key(c)[..], &i.to_be_bytes()[..]);
        }
        for (s, h) in batch.nodes {
            b.insert(&node_key(*s)[..], &h[..]);
        }
        b.insert(&checkpoint_key(new_size)[..], batch.checkpoint);
        b.insert(SIZE_KEY, &new_size.to_be_bytes()[..]);
        self.tree.apply_batch(b)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sanad_protocol::log::merkle::Frontier;

    fn open() -> (tempfile::TempDir, SledLog, sled::Db) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = sled::Config::new()
            .path(dir.path().join("db"))
            .open()
            .expect("db");
        let log = SledLog::open(&db).expect("log tree");
        (dir, log, db)
    }

    fn leaves(range: std::ops::Range<u8>) -> Vec<Commitment> {
        range.map(|b| Commitment([b; 32])).collect()
    }

    /// The nodes a frontier reports while appending `leaves` to it.
    fn nodes(f: &mut Frontier, leaves: &[Commitment]) -> Vec<(Subtree, Hash)> {
        let mut out = Vec::new();
        for c in leaves {
            f.push(c.leaf_hash(), |s, h| {
                if s.level > 0 {
                    out.push((s, h))
                }
            })
            .expect("room");
        }
        out
    }

    #[test]
    fn an_append_at_an_existing_index_is_refused_and_changes_nothing() {
        let (_d, log, _db) = open();
        let mut f = Frontier::new();
        let first = leaves(0..3);
        let n = nodes(&mut f, &first);
        log.append(&AppendBatch {
            first_index: 0,
            leaves: &first,
            nodes: &n,
            checkpoint: b"three",
        })
        .expect("first append");
        // Rewriting leaf 1 with other data, or appending again at 0, fails.
        let other = leaves(10..12);
        for first_index in [0, 1, 2, 4] {
            let err = log
                .append(&AppendBatch {
                    first_index,
                    leaves: &other,
                    nodes: &[],
                    checkpoint: b"forged",
                })
                .expect_err("history is not rewritten");
            assert!(
                matches!(err, LogStoreError::NotAtEnd { size: 3, .. }),
                "{err}"
            );
        }
        assert_eq!(log.size().expect("size"), 3);
        assert_eq!(log.leaf(1).expect("leaf"), Some(first[1]));
        assert_eq!(
            log.latest_checkpoint().expect("checkpoint"),
            Some((3, b"three".to_vec()))
        );
        // A subtree that was already complete cannot be overwritten either.
        let s = Subtree { level: 1, index: 0 };
        let err = log
            .append(&AppendBatch {
                first_index: 3,
                leaves: &other[..1],
                nodes: &[(s, [0; 32])],
                checkpoint: b"four",
            })
            .expect_err("old subtree");
        assert!(matches!(err, LogStoreError::NodeOutsideBatch));
        assert_eq!(log.node(s).expect("node"), n.first().map(|(_, h)| *h));
        // Nor can a commitment appear twice.
        let err = log
            .append(&AppendBatch {
                first_index: 3,
                leaves: &first[..1],
                nodes: &[],
                checkpoint: b"four",
            })
            .expect_err("duplicate");
        assert!(matches!(
            err,
            LogStoreError::DuplicateCommitment { index: 0 }
        ));
        // Without leaves there is nothing to append once a checkpoint exists.
        let err = log
            .append(&AppendBatch {
                first_index: 3,
                leaves: &[],
                nodes: &[],
                checkpoint: b"three again",
            })
            .expect_err("empty");
        assert!(matches!(err, LogStoreError::Empty));
    }

    #[test]
    fn the_log_survives_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("db");
        let all = leaves(0..9);
        let mut f = Frontier::new();
        {
            let db = sled::Config::new().path(&path).open().expect("db");
            let log = SledLog::open(&db).expect("log");
            let n = nodes(&mut f, &all[..5]);
            log.append(&AppendBatch {
                first_index: 0,
                leaves: &all[..5],
                nodes: &n,
                checkpoint: b"five",
            })
            .expect("append");
            let n = nodes(&mut f, &all[5..]);
            log.append(&AppendBatch {
                first_index: 5,
                leaves: &all[5..],
                nodes: &n,
                checkpoint: b"nine",
            })
            .expect("append");
            db.flush().expect("flush");
        }
        let db = sled::Config::new().path(&path).open().expect("reopen");
        let log = SledLog::open(&db).expect("log");
        assert_eq!(log.size().expect("size"), 9);
        assert_eq!(log.checkpoint(5).expect("cp"), Some(b"five".to_vec()));
        assert_eq!(
            log.latest_checkpoint().expect("cp"),
            Some((9, b"nine".to_vec()))
        );
        for (i, c) in all.iter().enumerate() {
            assert_eq!(log.leaf(i as u64).expect("leaf"), Some(*c));
            assert_eq!(log.index_of(c).expect("index"), Some(i as u64));
        }
        for (s, h) in f.subtrees() {
            if s.level > 0 {
                assert_eq!(log.node(s).expect("node"), Some(h));
            }
        }
    }
}
