//! Inclusion proofs (RFC 9162 §2.1.3) and consistency proofs (§2.1.4):
//! generation from any [`SubtreeSource`], and verification.
//!
//! Verification first checks that the proof has exactly the length the
//! sizes imply, so a truncated or padded proof fails as
//! [`ProofError::WrongLength`] before any hashing; then it runs the RFC's
//! algorithm. A proof for another leaf, another index or another tree
//! reaches another root.

use super::merkle::{empty_root, node_hash, range_hash, Hash, SubtreeSource};

/// Why a proof does not prove what it was checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not inside the tree.
    #[error("leaf {index} is not in a tree of {size} leaves")]
    LeafOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof from a larger tree to a smaller one.
    #[error("a tree of {from} leaves cannot be a prefix of one of {to}")]
    SizesOutOfOrder {
        /// The older tree's size.
        from: u64,
        /// The newer tree's size.
        to: u64,
    },
    /// The proof has more or fewer hashes than these sizes need.
    #[error("the proof has {got} hashes where {expected} are needed")]
    WrongLength {
        /// Hashes the sizes need.
        expected: usize,
        /// Hashes the proof has.
        got: usize,
    },
    /// An inclusion proof does not lead to the root: it is for another
    /// leaf, another index or another tree.
    #[error("the inclusion proof does not lead to the tree's root")]
    RootMismatch,
    /// A consistency proof does not lead to the older tree's root. (When
    /// the older size is a power of two, its root is where the proof starts,
    /// so a wrong older root shows as [`ProofError::NewRootMismatch`].)
    #[error("the consistency proof does not lead to the older tree's root")]
    OldRootMismatch,
    /// A consistency proof does not lead to the newer tree's root.
    #[error("the consistency proof does not lead to the newer tree's root")]
    NewRootMismatch,
}

/// Why a proof could not be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProveError<E> {
    /// The request itself is impossible (leaf outside the tree, sizes out of order).
    #[error(transparent)]
    Request(ProofError),
    /// The source could not produce a subtree hash.
    #[error("a subtree hash is unavailable")]
    Source(E),
}

/// The largest power of two strictly below `n` (`n ≥ 2`).
fn split_point(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The number of hashes in the inclusion proof of leaf `index` in a tree of
/// `size` leaves, or `None` if the leaf is not in the tree.
pub fn inclusion_proof_len(index: u64, size: u64) -> Option<usize> {
    if index >= size {
        return None;
    }
    let (mut lo, mut hi, mut len) = (0u64, size, 0usize);
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if index < lo + k {
            hi = lo + k;
        } else {
            lo += k;
        }
        len += 1;
    }
    Some(len)
}

/// The number of hashes in the consistency proof from a tree of `from`
/// leaves to one of `to` leaves, or `None` if `from > to`. Zero when `from`
/// is 0 (everything extends the empty tree) or equals `to`.
pub fn consistency_proof_len(from: u64, to: u64) -> Option<usize> {
    if from > to {
        return None;
    }
    if from == 0 || from == to {
        return Some(0);
    }
    let (mut lo, mut hi, mut m, mut whole, mut len) = (0u64, to, from, true, 0usize);
    loop {
        if m == hi - lo {
            if !whole {
                len += 1;
            }
            return Some(len);
        }
        let k = split_point(hi - lo);
        len += 1;
        if m <= k {
            hi = lo + k;
        } else {
            m -= k;
            lo += k;
            whole = false;
        }
    }
}

/// The inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf `index` in
/// the tree of the first `size` leaves of `src`, from the leaf's sibling up.
pub fn inclusion_proof<S: SubtreeSource + ?Sized>(
    src: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProveError<S::Error>> {
    let len = inclusion_proof_len(index, size).ok_or(ProveError::Request(
        ProofError::LeafOutOfRange { index, size },
    ))?;
    let mut path = Vec::with_capacity(len);
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        let sibling = if index < lo + k {
            let h = range_hash(src, lo + k, hi);
            hi = lo + k;
            h
        } else {
            let h = range_hash(src, lo, lo + k);
            lo += k;
            h
        };
        path.push(sibling.map_err(ProveError::Source)?);
    }
    path.reverse();
    Ok(path)
}

/// The consistency proof (RFC 9162 §2.1.4.1) from the tree of the first
/// `from` leaves of `src` to the tree of its first `to` leaves.
pub fn consistency_proof<S: SubtreeSource + ?Sized>(
    src: &S,
    from: u64,
    to: u64,
) -> Result<Vec<Hash>, ProveError<S::Error>> {
    let len = consistency_proof_len(from, to).ok_or(ProveError::Request(
        ProofError::SizesOutOfOrder { from, to },
    ))?;
    let mut proof = Vec::with_capacity(len);
    if len == 0 {
        return Ok(proof);
    }
    let (mut lo, mut hi, mut m, mut whole) = (0u64, to, from, true);
    loop {
        if m == hi - lo {
            if !whole {
                proof.push(range_hash(src, lo, hi).map_err(ProveError::Source)?);
            }
            break;
        }
        let k = split_point(hi - lo);
        let h = if m <= k {
            let h = range_hash(src, lo + k, hi);
            hi = lo + k;
            h
        } else {
            let h = range_hash(src, lo, lo + k);
            m -= k;
            lo += k;
            whole = false;
            h
        };
        proof.push(h.map_err(ProveError::Source)?);
    }
    proof.reverse();
    Ok(proof)
}

/// Check that `proof` proves the leaf with hash `leaf_hash` at `index` in the
/// tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_hash: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let expected =
        inclusion_proof_len(index, size).ok_or(ProofError::LeafOutOfRange { index, size })?;
    if proof.len() != expected {
        return Err(ProofError::WrongLength {
            expected,
            got: proof.len(),
        });
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        if s == 0 {
            return Err(ProofError::RootMismatch);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s == 0 && r == *root {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// Check that `proof` proves the tree of `from` leaves with root `from_root`
/// is a prefix of the tree of `to` leaves with root `to_root`
/// (RFC 9162 §2.1.4.2). With `from` = 0 the proof is empty and `from_root`
/// must be the empty tree's root; with `from` = `to` it is empty and the
/// roots must be equal.
pub fn verify_consistency(
    from: u64,
    to: u64,
    proof: &[Hash],
    from_root: &Hash,
    to_root: &Hash,
) -> Result<(), ProofError> {
    let expected =
        consistency_proof_len(from, to).ok_or(ProofError::SizesOutOfOrder { from, to })?;
    if proof.len() != expected {
        return Err(ProofError::WrongLength {
            expected,
            got: proof.len(),
        });
    }
    if from == 0 {
        return if *from_root == empty_root() {
            Ok(())
        } else {
            Err(ProofError::OldRootMismatch)
        };
    }
    if from == to {
        return if from_root == to_root {
            Ok(())
        } else {
            Err(ProofError::NewRootMismatch)
        };
    }
    // When `from` is a power of two its root is the first hash of the path.
    let prepend = from.is_power_of_two();
    let mut path = proof.iter();
    let first = if prepend {
        *from_root
    } else {
        match path.next() {
            Some(h) => *h,
            None => return Err(ProofError::WrongLength { expected, got: 0 }),
        }
    };
    let (mut f, mut s) = (from - 1, to - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (first, first);
    for c in path {
        if s == 0 {
            return Err(ProofError::NewRootMismatch);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if fr != *from_root {
        return Err(ProofError::OldRootMismatch);
    }
    if s != 0 || sr != *to_root {
        return Err(ProofError::NewRootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::merkle::{leaf_hash, root, LeafHashes};
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n as u32).map(|i| leaf_hash(&i.to_le_bytes())).collect()
    }

    #[test]
    fn every_inclusion_proof_of_every_small_tree_verifies_and_has_its_length() {
        let all = leaves(40);
        let src = LeafHashes(&all);
        for size in 1..=all.len() as u64 {
            let r = root(&all[..size as usize]);
            for index in 0..size {
                let p = inclusion_proof(&src, index, size).expect("proof");
                assert_eq!(Some(p.len()), inclusion_proof_len(index, size));
                assert_eq!(
                    verify_inclusion(&all[index as usize], index, size, &p, &r),
                    Ok(())
                );
            }
        }
    }

    #[test]
    fn every_consistency_proof_of_every_small_tree_verifies_and_has_its_length() {
        let all = leaves(40);
        let src = LeafHashes(&all);
        for to in 0..=all.len() as u64 {
            let new = root(&all[..to as usize]);
            for from in 0..=to {
                let old = root(&all[..from as usize]);
                let p = consistency_proof(&src, from, to).expect("proof");
                assert_eq!(Some(p.len()), consistency_proof_len(from, to));
                assert_eq!(verify_consistency(from, to, &p, &old, &new), Ok(()));
            }
        }
    }

    #[test]
    fn impossible_requests_are_named() {
        let all = leaves(4);
        let src = LeafHashes(&all);
        assert_eq!(
            inclusion_proof(&src, 4, 4),
            Err(ProveError::Request(ProofError::LeafOutOfRange {
                index: 4,
                size: 4
            }))
        );
        assert_eq!(
            consistency_proof(&src, 3, 2),
            Err(ProveError::Request(ProofError::SizesOutOfOrder {
                from: 3,
                to: 2
            }))
        );
        assert!(matches!(
            inclusion_proof(&src, 0, 5),
            Err(ProveError::Source(_))
        ));
        let r = root(&all);
        assert_eq!(
            verify_consistency(0, 4, &[], &[1; 32], &r),
            Err(ProofError::OldRootMismatch)
        );
        assert_eq!(
            verify_consistency(4, 4, &[], &r, &[1; 32]),
            Err(ProofError::NewRootMismatch)
        );
        assert_eq!(
            verify_inclusion(&all[0], 0, 4, &[], &r),
            Err(ProofError::WrongLength {
                expected: 2,
                got: 0
            })
        );
    }

    #[test]
    fn proof_lengths_stay_within_the_wire_bound_for_the_largest_trees() {
        use crate::limits::MAX_PROOF_HASHES;
        for (i, n) in [(0, u64::MAX), (u64::MAX - 1, u64::MAX), (1 << 62, u64::MAX)] {
            let l = inclusion_proof_len(i, n).expect("inside");
            assert!(l <= 64, "{i} {n}: {l}");
        }
        for (m, n) in [
            (1, u64::MAX),
            (3, 4),
            (u64::MAX - 1, u64::MAX),
            ((1 << 63) + 1, u64::MAX),
            (3, u64::MAX),
        ] {
            let l = consistency_proof_len(m, n).expect("ordered");
            assert!(l <= MAX_PROOF_HASHES, "{m} {n}: {l}");
        }
    }
}
