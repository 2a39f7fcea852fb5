//! Transparency-log properties: on random trees every inclusion and
//! consistency proof verifies and any altered byte, index, size or root
//! fails; the frontier agrees with the definition; signed notes,
//! checkpoints and receipts round-trip, and flipping any byte of one makes
//! it fail to parse or to verify.

use ed25519_dalek::SigningKey;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use sanad_protocol::log::merkle::{leaf_hash, root, Frontier, Hash, LeafHashes, SubtreeSource};
use sanad_protocol::log::note::Note;
use sanad_protocol::log::proof::{
    consistency_proof, consistency_proof_len, inclusion_proof, inclusion_proof_len,
    verify_consistency, verify_inclusion, ProofError,
};
use sanad_protocol::log::{Checkpoint, LogKey, Receipt, SignedCheckpoint};
use sanad_protocol::Commitment;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/log_props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

/// Leaf hashes of a random tree of 1 ..= 300 leaves.
fn tree() -> impl Strategy<Value = Vec<Hash>> {
    vec(any::<[u8; 32]>(), 1..=300).prop_map(|leaves| leaves.iter().map(|l| leaf_hash(l)).collect())
}

/// A tree, a size within it and a leaf within that size.
fn tree_size_leaf() -> impl Strategy<Value = (Vec<Hash>, u64, u64)> {
    tree().prop_flat_map(|t| {
        let n = t.len() as u64;
        (Just(t), 1..=n).prop_flat_map(|(t, size)| (Just(t), Just(size), 0..size))
    })
}

/// A tree and two sizes 0 ≤ from ≤ to within it.
fn tree_two_sizes() -> impl Strategy<Value = (Vec<Hash>, u64, u64)> {
    tree().prop_flat_map(|t| {
        let n = t.len() as u64;
        (Just(t), 0..=n).prop_flat_map(|(t, to)| (Just(t), 0..=to, Just(to)))
    })
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn the_frontier_reports_each_complete_subtree_with_its_hash_and_the_root((t, size, _) in tree_size_leaf()) {
        let mut f = Frontier::new();
        for h in &t[..size as usize] {
            f.push(*h, |s, h| {
                assert_eq!(LeafHashes(&t).subtree_hash(s), Ok(h));
            }).expect("room");
        }
        prop_assert_eq!(f.root(), root(&t[..size as usize]));
    }

    #[test]
    fn every_inclusion_proof_verifies_and_any_change_fails((t, size, index) in tree_size_leaf(), bit in 0..256usize) {
        let r = root(&t[..size as usize]);
        let leaf = t[index as usize];
        let p = inclusion_proof(&LeafHashes(&t), index, size).expect("proof");
        prop_assert_eq!(Some(p.len()), inclusion_proof_len(index, size));
        prop_assert_eq!(verify_inclusion(&leaf, index, size, &p, &r), Ok(()));
        // Any bit of any proof hash.
        for i in 0..p.len() {
            let mut bad = p.clone();
            bad[i][bit / 8] ^= 1 << (bit % 8);
            prop_assert_eq!(verify_inclusion(&leaf, index, size, &bad, &r), Err(ProofError::RootMismatch));
        }
        // Another leaf, another index, another size, another root.
        let mut other = leaf;
        other[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(verify_inclusion(&other, index, size, &p, &r).is_err());
        for i in 0..size {
            if i != index {
                prop_assert!(verify_inclusion(&leaf, i, size, &p, &r).is_err(), "index {}", i);
            }
        }
        for n in 1..=t.len() as u64 {
            if n != size {
                let rn = root(&t[..n as usize]);
                prop_assert!(verify_inclusion(&leaf, index, n, &p, &rn).is_err(), "size {}", n);
            }
        }
        let mut other_root = r;
        other_root[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(verify_inclusion(&leaf, index, size, &p, &other_root), Err(ProofError::RootMismatch));
        // One hash more or less.
        let mut longer = p.clone();
        longer.push(r);
        let wrong_length = matches!(
            verify_inclusion(&leaf, index, size, &longer, &r),
            Err(ProofError::WrongLength { .. })
        );
        prop_assert!(wrong_length);
    }

    #[test]
    fn every_consistency_proof_verifies_and_any_change_fails((t, from, to) in tree_two_sizes(), bit in 0..256usize) {
        let old = root(&t[..from as usize]);
        let new = root(&t[..to as usize]);
        let p = consistency_proof(&LeafHashes(&t), from, to).expect("proof");
        prop_assert_eq!(Some(p.len()), consistency_proof_len(from, to));
        prop_assert_eq!(verify_consistency(from, to, &p, &old, &new), Ok(()));
        let flip = |h: &Hash| { let mut h = *h; h[bit / 8] ^= 1 << (bit % 8); h };
        for i in 0..p.len() {
            let mut bad = p.clone();
            bad[i] = flip(&bad[i]);
            prop_assert!(verify_consistency(from, to, &bad, &old, &new).is_err(), "hash {}", i);
        }
        prop_assert!(verify_consistency(from, to, &p, &flip(&old), &new).is_err());
        if from != to && from != 0 {
            // With equal sizes the two roots are only compared; every tree
            // extends the empty one.
            prop_assert!(verify_consistency(from, to, &p, &old, &flip(&new)).is_err());
        }
        // The proof between other sizes of the same tree does not fit.
        for m in 1..to {
            if m != from && consistency_proof_len(m, to) == Some(p.len()) {
                let om = root(&t[..m as usize]);
                if om != old {
                    prop_assert!(verify_consistency(m, to, &p, &om, &new).is_err(), "from {}", m);
                }
            }
        }
    }

    #[test]
    fn generated_proofs_never_exceed_the_wire_bound(index in any::<u64>(), size in 1..=u64::MAX) {
        let index = index % size;
        prop_assert!(inclusion_proof_len(index, size).expect("inside") <= sanad_protocol::limits::MAX_PROOF_HASHES);
        prop_assert!(consistency_proof_len(index.max(1), size).expect("ordered") <= sanad_protocol::limits::MAX_PROOF_HASHES);
    }
}

fn key(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_bytes(&seed)
}

/// A time anywhere in the range a cosignature allows (0 ..= 2^63 − 1),
/// taken from the key seed.
fn time_of(seed: &[u8; 32]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&seed[..8]);
    u64::from_le_bytes(b) >> 1
}

/// A random log of commitments, a checkpoint at a random size signed at a
/// random time, a receipt of a random leaf in it, the log key and the time.
fn receipt() -> impl Strategy<Value = (Receipt, LogKey, u64)> {
    (vec(any::<[u8; 32]>(), 1..=40), any::<[u8; 32]>()).prop_flat_map(|(leaves, seed)| {
        let n = leaves.len() as u64;
        (Just(leaves), Just(seed), 1..=n)
            .prop_flat_map(|(l, s, size)| (Just(l), Just(s), Just(size), 0..size))
            .prop_map(|(leaves, seed, size, index)| {
                let k = key(seed);
                let log = LogKey::new(k.verifying_key());
                let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l)).collect();
                let checkpoint = Checkpoint {
                    origin: log.origin().to_string(),
                    size,
                    root: root(&hashes[..size as usize]),
                }
                .sign(&k, time_of(&seed))
                .expect("own origin");
                let receipt = Receipt {
                    checkpoint,
                    leaf_index: index,
                    leaf: Commitment(leaves[index as usize]),
                    proof: inclusion_proof(&LeafHashes(&hashes), index, size).expect("in tree"),
                };
                (receipt, log, time_of(&seed))
            })
    })
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn a_receipt_round_trips_verifies_and_fails_at_any_flipped_byte((r, log, time) in receipt(), mask in 1..=u8::MAX) {
        let text = r.to_text();
        let parsed = Receipt::parse(text.as_bytes()).expect("parses");
        prop_assert_eq!(&parsed, &r);
        let v = parsed.verify(&log).expect("verifies");
        prop_assert_eq!(v.leaf_index(), r.leaf_index);
        prop_assert_eq!(v.commitment(), &r.leaf);
        prop_assert_eq!(v.checkpoint().time(), time);
        let bytes = text.into_bytes();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            if let Ok(b) = Receipt::parse(&bad) {
                prop_assert!(b.verify(&log).is_err(), "flip at {} still verifies", i);
            }
        }
    }

    #[test]
    fn a_signed_note_fails_at_any_flipped_byte(text in "[a-z0-9 ./]{1,40}(\n[a-z0-9 ./]{1,40}){0,3}\n", seed in any::<[u8; 32]>(), mask in 1..=u8::MAX) {
        let k = key(seed);
        let n = Note::sign(&text, "sanad.example/k", &k).expect("sign");
        let v = sanad_protocol::log::note::NoteVerifier::ed25519("sanad.example/k", k.verifying_key()).expect("name");
        let bytes = n.to_text().into_bytes();
        let parsed = Note::parse(&bytes).expect("parses");
        prop_assert_eq!(parsed.verify(&v), Ok(text.as_str()));
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            if let Ok(b) = Note::parse(&bad) {
                prop_assert!(b.verify(&v).is_err(), "flip at {} still verifies", i);
            }
        }
    }

    #[test]
    fn random_bytes_never_panic_the_log_parsers(bytes in vec(any::<u8>(), 0..600)) {
        let _ = Note::parse(&bytes);
        let _ = SignedCheckpoint::parse(&bytes);
        if let Ok(r) = Receipt::parse(&bytes) {
            prop_assert_eq!(r.to_text().into_bytes(), bytes);
        }
    }
}
