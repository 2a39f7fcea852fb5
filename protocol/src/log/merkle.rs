//! RFC 9162 §2.1 Merkle tree hashing (the same tree as RFC 6962): leaf and
//! interior node hashes, the root of a list, the compact "frontier" a log
//! appends to, and the complete subtrees every proof is built from.
//!
//! Notation: a tree of `size` leaves `D[0:size]`; a *complete subtree*
//! [`Subtree`] `(level, index)` covers the `2^level` leaves
//! `[index · 2^level, (index + 1) · 2^level)`. Every node of an RFC 9162 tree
//! is either a complete subtree or lies on the tree's right edge, and every
//! right-edge node is the fold of a few complete subtrees, so a store that
//! keeps each complete subtree's hash once it is complete can answer any
//! proof for any earlier size in O(log n) reads.

use sha2::{Digest, Sha256};

/// A SHA-256 output: a leaf hash, a node hash or a root.
pub type Hash = [u8; 32];

/// Domain prefix of a leaf hash (RFC 9162 §2.1.1).
const LEAF_PREFIX: u8 = 0x00;
/// Domain prefix of an interior node hash.
const NODE_PREFIX: u8 = 0x01;

/// The deepest level a tree of at most `u64::MAX` leaves has.
pub const MAX_LEVEL: u8 = 63;

/// `SHA-256(0x00 ‖ data)`: the hash of a leaf holding `data`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: `SHA-256()` of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The root of the tree whose leaves have these hashes (`MTH(D[n])`).
pub fn root(leaf_hashes: &[Hash]) -> Hash {
    let mut f = Frontier::new();
    for h in leaf_hashes {
        // A slice never holds u64::MAX elements, so the frontier is never full.
        let _ = f.push(*h, |_, _| {});
    }
    f.root()
}

/// A complete subtree: the `2^level` leaves starting at `index · 2^level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subtree {
    /// Height above the leaves (0: one leaf).
    pub level: u8,
    /// Position among the subtrees of this level, from the left.
    pub index: u64,
}

impl Subtree {
    /// Number of leaves it covers, or `None` if more than a `u64` counts.
    pub fn width(&self) -> Option<u64> {
        1u64.checked_shl(u32::from(self.level))
    }

    /// The first leaf it covers, or `None` past `u64::MAX`.
    pub fn start(&self) -> Option<u64> {
        self.width().and_then(|w| self.index.checked_mul(w))
    }

    /// One past the last leaf it covers, or `None` past `u64::MAX`.
    pub fn end(&self) -> Option<u64> {
        let w = self.width()?;
        self.index.checked_add(1).and_then(|i| i.checked_mul(w))
    }
}

/// The complete subtrees that make up `D[start:end]`, largest first, when
/// `start` is a multiple of the largest power of two not above `end − start`
/// (true of every range in an RFC 9162 proof). Empty for an empty range.
fn decompose(start: u64, end: u64) -> impl Iterator<Item = Subtree> {
    let len = end.saturating_sub(start);
    let mut pos = start;
    (0..64u8).rev().filter_map(move |level| {
        if len & (1u64 << level) == 0 {
            return None;
        }
        let s = Subtree {
            level,
            index: pos >> level,
        };
        pos += 1u64 << level;
        Some(s)
    })
}

/// The complete subtrees of a tree of `size` leaves that a [`Frontier`]
/// holds: one per bit set in `size`, largest (leftmost) first.
pub fn frontier_subtrees(size: u64) -> impl Iterator<Item = Subtree> {
    decompose(0, size)
}

/// Where the hashes of complete subtrees come from: a store, a cache, or a
/// list of leaf hashes in memory ([`LeafHashes`]).
pub trait SubtreeSource {
    /// Why a hash could not be produced (missing, unreadable, corrupt).
    type Error;

    /// The hash of a complete subtree; level 0 is a leaf hash.
    fn subtree_hash(&self, subtree: Subtree) -> Result<Hash, Self::Error>;
}

/// `MTH(D[start:end])` for a non-empty RFC 9162 range: the fold, from the
/// right, of its complete subtrees.
pub(crate) fn range_hash<S: SubtreeSource + ?Sized>(
    src: &S,
    start: u64,
    end: u64,
) -> Result<Hash, S::Error> {
    let mut parts = Vec::with_capacity(8);
    for s in decompose(start, end) {
        parts.push(src.subtree_hash(s)?);
    }
    let mut acc = parts.pop().unwrap_or_else(empty_root);
    while let Some(left) = parts.pop() {
        acc = node_hash(&left, &acc);
    }
    Ok(acc)
}

/// The root of the first `size` leaves of `src`.
pub fn root_from<S: SubtreeSource + ?Sized>(src: &S, size: u64) -> Result<Hash, S::Error> {
    if size == 0 {
        return Ok(empty_root());
    }
    range_hash(src, 0, size)
}

/// A list of leaf hashes in memory as a [`SubtreeSource`]: each subtree is
/// recomputed from its leaves. For tests, small trees and reference checks;
/// a log keeps complete subtrees instead.
#[derive(Debug, Clone, Copy)]
pub struct LeafHashes<'a>(pub &'a [Hash]);

/// A subtree asked of [`LeafHashes`] reaches past the last leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the subtree reaches past the leaves held")]
pub struct MissingLeaves;

impl SubtreeSource for LeafHashes<'_> {
    type Error = MissingLeaves;

    fn subtree_hash(&self, s: Subtree) -> Result<Hash, MissingLeaves> {
        let start = s
            .start()
            .and_then(|e| usize::try_from(e).ok())
            .ok_or(MissingLeaves)?;
        let end = s
            .end()
            .and_then(|e| usize::try_from(e).ok())
            .ok_or(MissingLeaves)?;
        let leaves = self.0.get(start..end).ok_or(MissingLeaves)?;
        Ok(perfect_root(leaves))
    }
}

/// Root of a power-of-two number of leaves (the caller guarantees it).
fn perfect_root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => empty_root(),
        [one] => *one,
        _ => {
            let (l, r) = leaves.split_at(leaves.len() / 2);
            node_hash(&perfect_root(l), &perfect_root(r))
        }
    }
}

/// The right edge of an append-only tree: the roots of its complete
/// subtrees (one per bit set in its size). Enough to append and to compute
/// the root; every subtree completed by an append is reported once, which is
/// what a log stores.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frontier {
    size: u64,
    /// Hashes of [`frontier_subtrees`]`(size)`, largest first.
    hashes: Vec<Hash>,
}

/// A frontier cannot be built or grown as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrontierError {
    /// The number of hashes is not the number of bits set in the size.
    #[error("a frontier of {size} leaves has {expected} subtrees, not {got}")]
    WrongCount {
        /// The tree size.
        size: u64,
        /// Bits set in it.
        expected: usize,
        /// Hashes given.
        got: usize,
    },
    /// The tree already holds `u64::MAX` leaves.
    #[error("the tree is full")]
    Full,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// A frontier from its size and the hashes of
    /// [`frontier_subtrees`]`(size)`, in that order.
    pub fn from_parts(size: u64, hashes: Vec<Hash>) -> Result<Frontier, FrontierError> {
        let expected = size.count_ones() as usize;
        if hashes.len() != expected {
            return Err(FrontierError::WrongCount {
                size,
                expected,
                got: hashes.len(),
            });
        }
        Ok(Frontier { size, hashes })
    }

    /// Number of leaves appended so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The complete subtrees of the right edge with their hashes, largest first.
    pub fn subtrees(&self) -> impl Iterator<Item = (Subtree, Hash)> + '_ {
        frontier_subtrees(self.size).zip(self.hashes.iter().copied())
    }

    /// Append a leaf hash. `completed` is called for the leaf (level 0) and
    /// for every subtree this leaf completes, bottom up.
    pub fn push(
        &mut self,
        leaf: Hash,
        mut completed: impl FnMut(Subtree, Hash),
    ) -> Result<(), FrontierError> {
        let index = self.size;
        let new_size = index.checked_add(1).ok_or(FrontierError::Full)?;
        let mut s = Subtree { level: 0, index };
        let mut h = leaf;
        completed(s, h);
        while self.size & (1u64 << s.level) != 0 {
            let Some(left) = self.hashes.pop() else {
                // Unreachable: one hash per set bit of `size`.
                return Err(FrontierError::WrongCount {
                    size: self.size,
                    expected: self.size.count_ones() as usize,
                    got: 0,
                });
            };
            h = node_hash(&left, &h);
            s = Subtree {
                level: s.level + 1,
                index: s.index >> 1,
            };
            completed(s, h);
        }
        self.hashes.push(h);
        self.size = new_size;
        Ok(())
    }

    /// The tree's root (`MTH(D[size])`).
    pub fn root(&self) -> Hash {
        let mut it = self.hashes.iter().rev();
        let Some(last) = it.next() else {
            return empty_root();
        };
        it.fold(*last, |acc, left| node_hash(left, &acc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n as u32).map(|i| leaf_hash(&i.to_be_bytes())).collect()
    }

    /// The RFC 9162 §2.1.1 definition, written as the recursion it is.
    fn mth(d: &[Hash]) -> Hash {
        match d.len() {
            0 => empty_root(),
            1 => d[0],
            n => {
                let k = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
                node_hash(&mth(&d[..k]), &mth(&d[k..]))
            }
        }
    }

    #[test]
    fn frontier_root_is_the_recursive_definition_for_every_small_size() {
        let all = leaves(70);
        for n in 0..=all.len() {
            assert_eq!(root(&all[..n]), mth(&all[..n]), "size {n}");
            assert_eq!(
                root_from(&LeafHashes(&all), n as u64),
                Ok(mth(&all[..n])),
                "size {n}"
            );
        }
    }

    #[test]
    fn every_completed_subtree_is_reported_once_with_its_hash() {
        let all = leaves(33);
        let mut f = Frontier::new();
        let mut seen = Vec::new();
        for h in &all {
            f.push(*h, |s, h| seen.push((s, h))).expect("room");
        }
        // n leaves (level 0) and n − popcount(n) complete subtrees above them.
        assert_eq!(seen.len(), 2 * 33 - 33u64.count_ones() as usize);
        for (s, h) in &seen {
            assert_eq!(LeafHashes(&all).subtree_hash(*s), Ok(*h));
        }
        let mut keys: Vec<Subtree> = seen.iter().map(|(s, _)| *s).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), seen.len());
    }

    #[test]
    fn a_frontier_rebuilt_from_its_parts_continues_identically() {
        let all = leaves(21);
        let mut f = Frontier::new();
        for h in &all[..13] {
            f.push(*h, |_, _| {}).expect("room");
        }
        let parts: Vec<Hash> = f.subtrees().map(|(_, h)| h).collect();
        let mut g = Frontier::from_parts(13, parts).expect("valid parts");
        for h in &all[13..] {
            f.push(*h, |_, _| {}).expect("room");
            g.push(*h, |_, _| {}).expect("room");
        }
        assert_eq!(f, g);
        assert_eq!(
            Frontier::from_parts(13, vec![[0; 32]; 2]),
            Err(FrontierError::WrongCount {
                size: 13,
                expected: 3,
                got: 2
            })
        );
    }

    #[test]
    fn subtrees_past_the_leaves_are_reported_missing() {
        let all = leaves(5);
        let src = LeafHashes(&all);
        assert_eq!(
            src.subtree_hash(Subtree { level: 3, index: 0 }),
            Err(MissingLeaves)
        );
        assert_eq!(
            src.subtree_hash(Subtree {
                level: 63,
                index: u64::MAX
            }),
            Err(MissingLeaves)
        );
    }
}
