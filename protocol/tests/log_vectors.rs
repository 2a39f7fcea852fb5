//! Transparency-log vectors in `protocol/tests/vectors/log/`, one file per
//! case, the expected outcome in the file (`expect: ok` or `expect: err
//! <error as Debug>`) and in its name (`ok_*`, `fail_*`).
//!
//! Two kinds of files:
//!
//! - **known answers**, written by hand from published vectors and never
//!   regenerated: the RFC 6962 eight-leaf tree (roots, inclusion and
//!   consistency proofs, as used by certificate-transparency-go,
//!   transparency-dev/merkle and golang.org/x/mod/sumdb/tlog), the Go
//!   `sumdb/note` example note with its signing key, and the C2SP
//!   signed-note example. They pin this implementation to others.
//! - **Sanad vectors**, produced by [`cases`] below (checkpoints and
//!   receipts of the example log, and damaged proofs, notes, checkpoints and
//!   receipts). `SANAD_REGENERATE_VECTORS=1` rewrites them after a
//!   deliberate change; otherwise the test checks they are unchanged.
//!
//! Format: `#` comment lines, then `key: value` lines; a key may repeat
//! (`proof:`, `root:`); byte strings are hex; `tree:` lists a tree's leaf
//! data, comma-separated hex (the empty leaf is an empty item).

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use sanad_protocol::log::cosignature::cosign;
use sanad_protocol::log::merkle::{leaf_hash, root, Hash, LeafHashes};
use sanad_protocol::log::note::{Note, NoteVerifier};
use sanad_protocol::log::proof::{
    consistency_proof, inclusion_proof, verify_consistency, verify_inclusion,
};
use sanad_protocol::log::{Checkpoint, LogKey, Receipt, SignedCheckpoint};
use sanad_protocol::Commitment;

const REGENERATE: &str = "SANAD_REGENERATE_VECTORS";

/// The hand-written known-answer files, which regeneration never touches.
const KNOWN_ANSWERS: [&str; 14] = [
    "ok_rfc6962_roots",
    "ok_rfc6962_inclusion_0_of_1",
    "ok_rfc6962_inclusion_0_of_8",
    "ok_rfc6962_inclusion_5_of_8",
    "ok_rfc6962_inclusion_2_of_3",
    "ok_rfc6962_inclusion_1_of_5",
    "ok_rfc6962_consistency_1_to_1",
    "ok_rfc6962_consistency_1_to_8",
    "ok_rfc6962_consistency_6_to_8",
    "ok_rfc6962_consistency_2_to_5",
    "ok_note_go_peter_neumann",
    "ok_note_c2sp_example",
    "fail_note_go_peter_neumann_text_altered",
    "fail_note_c2sp_example_other_key",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/log")
}

/// A vector file: its `key: value` lines, in order.
#[derive(Debug, Default, Clone)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(text: &str) -> Result<Fields, String> {
        let mut f = Fields::default();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (k, v) = line
                .split_once(':')
                .ok_or(format!("not `key: value`: {line}"))?;
            f.0.push((k.trim().to_string(), v.trim().to_string()));
        }
        Ok(f)
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn get(&self, key: &str) -> Result<&str, String> {
        match self.all(key).as_slice() {
            [one] => Ok(one),
            [] => Err(format!("no `{key}:` line")),
            _ => Err(format!("more than one `{key}:` line")),
        }
    }

    fn opt(&self, key: &str) -> Option<&str> {
        self.get(key).ok()
    }

    fn num(&self, key: &str) -> Result<u64, String> {
        self.get(key)?.parse().map_err(|e| format!("{key}: {e}"))
    }

    fn bytes(&self, key: &str) -> Result<Vec<u8>, String> {
        hex::decode(self.get(key)?).map_err(|e| format!("{key}: {e}"))
    }

    fn hash(&self, key: &str) -> Result<Hash, String> {
        unhex32(self.get(key)?)
    }

    fn hashes(&self, key: &str) -> Result<Vec<Hash>, String> {
        self.all(key).into_iter().map(unhex32).collect()
    }

    fn tree(&self) -> Result<Vec<Vec<u8>>, String> {
        self.get("tree")?
            .split(',')
            .map(|l| hex::decode(l).map_err(|e| format!("tree: {e}")))
            .collect()
    }

    fn render(&self, about: &[&str]) -> String {
        let mut out = String::new();
        for a in about {
            out.push_str(&format!("# {a}\n"));
        }
        for (k, v) in &self.0 {
            out.push_str(&format!("{k}: {v}\n"));
        }
        out
    }

    fn push(&mut self, k: &str, v: impl Into<String>) -> &mut Self {
        self.0.push((k.to_string(), v.into()));
        self
    }
}

fn unhex32(s: &str) -> Result<Hash, String> {
    hex::decode(s)
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|_| format!("not 32 bytes: {s}"))
}

fn tree_hashes(tree: &[Vec<u8>]) -> Vec<Hash> {
    tree.iter().map(|l| leaf_hash(l)).collect()
}

/// `ok` or the error's `Debug`, as the `expect:` line spells it.
fn outcome<T, E: std::fmt::Debug>(r: Result<T, E>) -> String {
    match r {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("err {e:?}"),
    }
}

fn expect_eq(what: &str, got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, want {want}"))
    }
}

/// Check one file against its stated outcome.
fn check(f: &Fields) -> Result<(), String> {
    let want = f.get("expect")?;
    match f.get("kind")? {
        "roots" => {
            let hashes = tree_hashes(&f.tree()?);
            let roots = f.hashes("root")?;
            expect_eq(
                "root count",
                &roots.len().to_string(),
                &(hashes.len() + 1).to_string(),
            )?;
            for (n, r) in roots.iter().enumerate() {
                expect_eq(
                    &format!("root of {n}"),
                    &hex::encode(root(&hashes[..n])),
                    &hex::encode(r),
                )?;
            }
            expect_eq("outcome", "ok", want)
        }
        "inclusion" => {
            let tree = f.tree()?;
            let (index, size) = (f.num("index")?, f.num("size")?);
            let leaf = match f.opt("leaf") {
                Some(h) => hex::decode(h).map_err(|e| e.to_string())?,
                None => tree
                    .get(index as usize)
                    .cloned()
                    .ok_or("no leaf at index; give `leaf:`")?,
            };
            let proof = f.hashes("proof")?;
            let root = f.hash("root")?;
            let got = outcome(verify_inclusion(
                &leaf_hash(&leaf),
                index,
                size,
                &proof,
                &root,
            ));
            expect_eq("verification", &got, want)?;
            if want == "ok" {
                let hashes = tree_hashes(&tree);
                let made = inclusion_proof(&LeafHashes(&hashes), index, size)
                    .map_err(|e| format!("generation: {e:?}"))?;
                expect_eq(
                    "generated proof",
                    &hex::encode(made.concat()),
                    &hex::encode(proof.concat()),
                )?;
            }
            Ok(())
        }
        "consistency" => {
            let tree = f.tree()?;
            let (from, to) = (f.num("from")?, f.num("to")?);
            let proof = f.hashes("proof")?;
            let got = outcome(verify_consistency(
                from,
                to,
                &proof,
                &f.hash("from-root")?,
                &f.hash("to-root")?,
            ));
            expect_eq("verification", &got, want)?;
            if want == "ok" {
                let hashes = tree_hashes(&tree);
                let made = consistency_proof(&LeafHashes(&hashes), from, to)
                    .map_err(|e| format!("generation: {e:?}"))?;
                expect_eq(
                    "generated proof",
                    &hex::encode(made.concat()),
                    &hex::encode(proof.concat()),
                )?;
            }
            Ok(())
        }
        "note" => {
            let note_bytes = f.bytes("note-hex")?;
            let verifier =
                NoteVerifier::from_vkey(f.get("vkey")?).map_err(|e| format!("vkey: {e}"))?;
            expect_eq("vkey round trip", &verifier.to_vkey(), f.get("vkey")?)?;
            let result = Note::parse(&note_bytes).and_then(|n| {
                let text = n.verify(&verifier)?.to_string();
                Ok((n, text))
            });
            expect_eq("outcome", &outcome(result.as_ref()), want)?;
            if let Ok((n, text)) = result {
                expect_eq("text", &hex::encode(text.as_bytes()), f.get("text-hex")?)?;
                expect_eq("re-encoding", &hex::encode(n.to_text()), f.get("note-hex")?)?;
                if let Some(seed) = f.opt("seed") {
                    let seed: [u8; 32] = unhex32(seed)?;
                    let key = SigningKey::from_bytes(&seed);
                    expect_eq(
                        "public key from seed",
                        &hex::encode(key.verifying_key().as_bytes()),
                        &hex::encode(verifier.public_key().as_bytes()),
                    )?;
                    let signed = Note::sign(&text, verifier.name(), &key)
                        .map_err(|e| format!("sign: {e}"))?;
                    expect_eq(
                        "signed note",
                        &hex::encode(signed.to_text()),
                        f.get("note-hex")?,
                    )?;
                }
            }
            Ok(())
        }
        "checkpoint" => {
            let key = log_key_of(f)?;
            let result = SignedCheckpoint::parse(&f.bytes("note-hex")?)
                .and_then(|c| c.verify(&key).map(|v| (c, v)));
            expect_eq("outcome", &outcome(result.as_ref()), want)?;
            if let Ok((c, v)) = result {
                expect_eq("origin", v.origin(), f.get("origin")?)?;
                expect_eq("size", &v.size().to_string(), f.get("size")?)?;
                expect_eq("root", &hex::encode(v.root()), f.get("root")?)?;
                expect_eq("time", &v.time().to_string(), f.get("time")?)?;
                expect_eq("re-encoding", &hex::encode(c.to_text()), f.get("note-hex")?)?;
            }
            Ok(())
        }
        "receipt" => {
            let key = log_key_of(f)?;
            let result = Receipt::parse(&f.bytes("receipt-hex")?)
                .and_then(|r| r.verify(&key).map(|v| (r, v)));
            expect_eq("outcome", &outcome(result.as_ref()), want)?;
            if let Ok((r, v)) = result {
                expect_eq("index", &v.leaf_index().to_string(), f.get("index")?)?;
                expect_eq(
                    "commitment",
                    &hex::encode(v.commitment().0),
                    f.get("commitment")?,
                )?;
                expect_eq("size", &v.checkpoint().size().to_string(), f.get("size")?)?;
                expect_eq("root", &hex::encode(v.checkpoint().root()), f.get("root")?)?;
                expect_eq("time", &v.checkpoint().time().to_string(), f.get("time")?)?;
                expect_eq(
                    "re-encoding",
                    &hex::encode(r.to_text()),
                    f.get("receipt-hex")?,
                )?;
                expect_eq(
                    "re-encoding of the verified receipt",
                    &hex::encode(v.to_text()),
                    f.get("receipt-hex")?,
                )?;
            }
            Ok(())
        }
        other => Err(format!("unknown kind {other}")),
    }
}

fn log_key_of(f: &Fields) -> Result<LogKey, String> {
    let k: [u8; 32] = unhex32(f.get("log-key")?)?;
    let vk = VerifyingKey::from_bytes(&k).map_err(|e| format!("log-key: {e}"))?;
    Ok(LogKey::new(vk))
}

// ---------------------------------------------------------------- the cases

struct Case {
    name: String,
    about: Vec<&'static str>,
    fields: Fields,
}

fn log_public_key() -> String {
    hex::encode(support::log_signing_key().verifying_key().as_bytes())
}

fn checkpoint_case(name: &str, about: Vec<&'static str>, note: &str) -> Case {
    let mut fields = Fields::default();
    fields
        .push("kind", "checkpoint")
        .push("log-key", log_public_key())
        .push("note-hex", hex::encode(note));
    let parsed = SignedCheckpoint::parse(note.as_bytes());
    let result = parsed
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|c| c.verify(&support::log_key()));
    if let Ok(v) = &result {
        fields
            .push("origin", v.origin())
            .push("size", v.size().to_string())
            .push("root", hex::encode(v.root()))
            .push("time", v.time().to_string());
    }
    fields.push("expect", outcome(result));
    Case {
        name: name.to_string(),
        about,
        fields,
    }
}

fn receipt_case(name: &str, about: Vec<&'static str>, receipt: &str) -> Case {
    let mut fields = Fields::default();
    fields
        .push("kind", "receipt")
        .push("log-key", log_public_key())
        .push("receipt-hex", hex::encode(receipt));
    let result = Receipt::parse(receipt.as_bytes()).and_then(|r| r.verify(&support::log_key()));
    if let Ok(v) = &result {
        fields
            .push("index", v.leaf_index().to_string())
            .push("commitment", hex::encode(v.commitment().0))
            .push("size", v.checkpoint().size().to_string())
            .push("root", hex::encode(v.checkpoint().root()))
            .push("time", v.checkpoint().time().to_string());
    }
    fields.push("expect", outcome(result));
    Case {
        name: name.to_string(),
        about,
        fields,
    }
}

/// The RFC 6962 tree: leaf data of the eight published leaves.
const RFC6962_TREE: &str =
    ",00,10,2021,3031,40414243,5051525354555657,606162636465666768696a6b6c6d6e6f";

fn rfc_tree() -> Vec<Vec<u8>> {
    RFC6962_TREE
        .split(',')
        .map(|l| hex::decode(l).expect("hex"))
        .collect()
}

/// A damaged RFC 6962 inclusion proof: the published proof of `index` in
/// `size`, checked with the given changes.
fn inclusion_fail(
    name: &str,
    about: &'static str,
    index: u64,
    size: u64,
    change: impl FnOnce(&mut Fields, &mut Vec<Hash>),
) -> Case {
    let tree = rfc_tree();
    let hashes = tree_hashes(&tree);
    let mut proof = inclusion_proof(&LeafHashes(&hashes), index, size).expect("published case");
    let mut fields = Fields::default();
    fields
        .push("kind", "inclusion")
        .push("tree", RFC6962_TREE)
        .push("index", index.to_string())
        .push("size", size.to_string())
        .push("root", hex::encode(root(&hashes[..size as usize])));
    change(&mut fields, &mut proof);
    for p in &proof {
        fields.push("proof", hex::encode(p));
    }
    let r = verify_inclusion(
        &leaf_hash(
            &fields
                .opt("leaf")
                .map(|h| hex::decode(h).expect("hex"))
                .unwrap_or_else(|| tree[fields.num("index").expect("index") as usize].clone()),
        ),
        fields.num("index").expect("index"),
        fields.num("size").expect("size"),
        &proof,
        &fields.hash("root").expect("root"),
    );
    assert!(r.is_err(), "{name} verifies");
    fields.push("expect", outcome(r));
    Case {
        name: format!("fail_{name}"),
        about: vec![about],
        fields,
    }
}

fn set(fields: &mut Fields, key: &str, value: String) {
    for (k, v) in fields.0.iter_mut() {
        if k == key {
            *v = value.clone();
        }
    }
}

fn consistency_fail(
    name: &str,
    about: &'static str,
    from: u64,
    to: u64,
    change: impl FnOnce(&mut Fields, &mut Vec<Hash>),
) -> Case {
    let hashes = tree_hashes(&rfc_tree());
    let mut proof = consistency_proof(&LeafHashes(&hashes), from, to).expect("published case");
    let mut fields = Fields::default();
    fields
        .push("kind", "consistency")
        .push("tree", RFC6962_TREE)
        .push("from", from.to_string())
        .push("to", to.to_string())
        .push("from-root", hex::encode(root(&hashes[..from as usize])))
        .push("to-root", hex::encode(root(&hashes[..to as usize])));
    change(&mut fields, &mut proof);
    for p in &proof {
        fields.push("proof", hex::encode(p));
    }
    let r = verify_consistency(
        fields.num("from").expect("from"),
        fields.num("to").expect("to"),
        &proof,
        &fields.hash("from-root").expect("root"),
        &fields.hash("to-root").expect("root"),
    );
    assert!(r.is_err(), "{name} verifies");
    fields.push("expect", outcome(r));
    Case {
        name: format!("fail_{name}"),
        about: vec![about],
        fields,
    }
}

fn cases() -> Vec<Case> {
    let mut c = Vec::new();
    // Damaged RFC 6962 proofs.
    c.push(inclusion_fail(
        "inclusion_5_of_8_checked_as_leaf_4",
        "The published proof of leaf 5 in 8, checked as the proof of leaf 4 (same leaf data).",
        5,
        8,
        |f, _| {
            set(f, "index", "4".into());
            f.push("leaf", "5051525354555657");
        },
    ));
    c.push(inclusion_fail(
        "inclusion_5_of_8_for_another_leaf",
        "The published proof of leaf 5 in 8, checked for the data of leaf 6.",
        5,
        8,
        |f, _| {
            f.push("leaf", "606162636465666768696a6b6c6d6e6f");
        },
    ));
    c.push(inclusion_fail(
        "inclusion_5_of_8_against_tree_of_7",
        "The published proof of leaf 5 in 8, checked against the tree of 7 (root of 7).",
        5,
        8,
        |f, _| {
            set(f, "size", "7".into());
            let h = tree_hashes(&rfc_tree());
            set(f, "root", hex::encode(root(&h[..7])));
        },
    ));
    c.push(inclusion_fail(
        "inclusion_5_of_8_one_bit_flipped",
        "The published proof of leaf 5 in 8 with the last bit of its second hash flipped.",
        5,
        8,
        |_, p| p[1][31] ^= 1,
    ));
    c.push(inclusion_fail(
        "inclusion_5_of_8_missing_hash",
        "The published proof of leaf 5 in 8 without its last hash.",
        5,
        8,
        |_, p| {
            p.pop();
        },
    ));
    c.push(inclusion_fail(
        "inclusion_index_outside_tree",
        "Leaf 8 of a tree of 8 leaves.",
        5,
        8,
        |f, _| {
            set(f, "index", "8".into());
            f.push("leaf", "00");
        },
    ));
    c.push(consistency_fail(
        "consistency_6_to_8_against_other_old_root",
        "The published consistency proof from 6 to 8, checked with the root of 5 as the old root.",
        6,
        8,
        |f, _| {
            let h = tree_hashes(&rfc_tree());
            set(f, "from-root", hex::encode(root(&h[..5])));
        },
    ));
    c.push(consistency_fail(
        "consistency_6_to_8_against_other_new_root",
        "The published consistency proof from 6 to 8, checked with the root of 7 as the new root.",
        6,
        8,
        |f, _| {
            let h = tree_hashes(&rfc_tree());
            set(f, "to-root", hex::encode(root(&h[..7])));
        },
    ));
    c.push(consistency_fail(
        "consistency_2_to_5_one_bit_flipped",
        "The published consistency proof from 2 to 5 with the first bit of its first hash flipped.",
        2,
        5,
        |_, p| p[0][0] ^= 0x80,
    ));
    c.push(consistency_fail(
        "consistency_sizes_reversed",
        "A consistency proof from 8 to 6.",
        6,
        8,
        |f, p| {
            set(f, "from", "8".into());
            set(f, "to", "6".into());
            p.clear();
        },
    ));

    // Sanad checkpoints.
    let cp8 = support::log_checkpoint(8).to_text();
    c.push(checkpoint_case(
        "ok_checkpoint_sanad_8",
        vec![
            "The example log's checkpoint at 8 leaves ('0'x32 .. '7'x32), signed by the log key",
            "with seed 0x40..0x5f, and timed 1700000008 by the same key: a second line, a",
            "cosignature/v1 (key ID type 0x04, 8-byte big-endian time, Ed25519 signature over",
            "'cosignature/v1\\ntime 1700000008\\n' + the checkpoint text).",
            "Origin = sanad/log/ + hex of the public key; both lines carry it as key name.",
        ],
        &cp8,
    ));
    c.push(checkpoint_case(
        "ok_checkpoint_sanad_empty",
        vec!["The example log's checkpoint at 0 leaves: the root of the empty tree."],
        &support::log_checkpoint(0).to_text(),
    ));
    let mut cosigned = support::log_checkpoint(8);
    let mut note = cosigned.note().clone();
    note.add_signature("witness.example/w1", &SigningKey::from_bytes(&[0x77; 32]))
        .expect("room");
    cosign(
        &mut note,
        "witness.example/w2",
        &SigningKey::from_bytes(&[0x78; 32]),
        1_700_000_100,
    )
    .expect("room");
    cosigned = SignedCheckpoint::parse(note.to_text().as_bytes()).expect("parses");
    c.push(checkpoint_case(
        "ok_checkpoint_sanad_8_with_witness_cosignature",
        vec![
            "The checkpoint at 8 with a witness's plain signature (seed 0x77 x 32) and another",
            "witness's cosignature/v1 (seed 0x78 x 32, time 1700000100): both ignored.",
        ],
        &cosigned.to_text(),
    ));
    c.push(checkpoint_case(
        "fail_checkpoint_bad_signature",
        vec!["The checkpoint at 8 with its size changed to 9: the signature no longer verifies."],
        &cp8.replacen("\n8\n", "\n9\n", 1),
    ));
    let cp8_body = support::log_checkpoint(8).unverified().to_text();
    let origin = support::log_key().origin().to_string();
    let untimed = Note::sign(&cp8_body, &origin, &support::log_signing_key()).expect("sign");
    c.push(checkpoint_case(
        "fail_checkpoint_without_time",
        vec!["The checkpoint at 8 with the log key's plain signature only, no time cosignature."],
        &untimed.to_text(),
    ));
    let mut twice = support::log_checkpoint(8).note().clone();
    cosign(
        &mut twice,
        &origin,
        &support::log_signing_key(),
        1_700_000_009,
    )
    .expect("room");
    c.push(checkpoint_case(
        "fail_checkpoint_two_times",
        vec!["The checkpoint at 8 with a second time cosignature by the log key (1700000009)."],
        &twice.to_text(),
    ));
    let mut timed_by_other = untimed.clone();
    cosign(
        &mut timed_by_other,
        &origin,
        &SigningKey::from_bytes(&[0x66; 32]),
        1_700_000_008,
    )
    .expect("room");
    c.push(checkpoint_case(
        "fail_checkpoint_time_by_another_key",
        vec![
            "The checkpoint at 8 signed by the log key, its time cosigned under the log's name",
            "by another key (seed 0x66 x 32): that line's key ID is not the log key's.",
        ],
        &timed_by_other.to_text(),
    ));
    c.push(checkpoint_case(
        "fail_checkpoint_time_altered",
        vec![
            "The checkpoint at 8 with the time in its cosignature changed to 1700000009",
            "(the 8-byte field after the key ID): the cosignature no longer verifies.",
        ],
        &alter_time(&cp8, 1_700_000_009),
    ));
    let other = SigningKey::from_bytes(&[0x66; 32]);
    let by_other = Note::sign(
        support::log_checkpoint(8).unverified().to_text().as_str(),
        support::log_key().origin(),
        &other,
    )
    .expect("sign");
    c.push(checkpoint_case(
        "fail_checkpoint_signed_by_another_key",
        vec![
            "The checkpoint text at 8 signed under the log's name by another key (seed 0x66 x 32):",
            "its key ID differs, so the line is not the log key's.",
        ],
        &by_other.to_text(),
    ));
    let other_log = Checkpoint {
        origin: sanad_protocol::log::checkpoint::log_origin(&other.verifying_key()),
        ..support::log_checkpoint(8).unverified().clone()
    }
    .sign(&other, support::log_time(8))
    .expect("sign");
    c.push(checkpoint_case(
        "fail_checkpoint_of_another_log",
        vec!["A checkpoint of another log (key seed 0x66 x 32), checked as the example log's."],
        &other_log.to_text(),
    ));
    let with_ext = Note::sign(
        &format!(
            "{}extension\n",
            support::log_checkpoint(8).unverified().to_text()
        ),
        support::log_key().origin(),
        &support::log_signing_key(),
    )
    .expect("sign");
    c.push(checkpoint_case(
        "fail_checkpoint_extension_line",
        vec!["A checkpoint with an extension line, validly signed: Sanad checkpoints have none."],
        &with_ext.to_text(),
    ));
    c.push(checkpoint_case(
        "fail_checkpoint_ascii_dash",
        vec!["The checkpoint at 8 with its em dash written as an ASCII hyphen."],
        &cp8.replace('\u{2014}', "-"),
    ));

    // Sanad receipts.
    let r58 = support::log_receipt(5, 8).to_text();
    c.push(receipt_case(
        "ok_receipt_sanad_5_of_8",
        vec!["The receipt of leaf 5 ('5'x32) against the example checkpoint at 8 leaves."],
        &r58,
    ));
    c.push(receipt_case(
        "ok_receipt_sanad_0_of_1",
        vec!["The receipt of leaf 0 in the one-leaf log: no proof lines."],
        &support::log_receipt(0, 1).to_text(),
    ));
    c.push(receipt_case(
        "ok_receipt_sanad_7_of_8",
        vec!["The receipt of the last leaf of the example log."],
        &support::log_receipt(7, 8).to_text(),
    ));
    let mut other_leaf = support::log_receipt(5, 8);
    other_leaf.leaf = Commitment([b'6'; 32]);
    c.push(receipt_case(
        "fail_receipt_for_another_leaf",
        vec!["The receipt of leaf 5 carrying the commitment '6'x32."],
        &other_leaf.to_text(),
    ));
    let mut other_index = support::log_receipt(5, 8);
    other_index.leaf_index = 4;
    c.push(receipt_case(
        "fail_receipt_for_another_index",
        vec!["The receipt of leaf 5 claiming index 4."],
        &other_index.to_text(),
    ));
    let mut older_proof = support::log_receipt(5, 8);
    older_proof.proof = support::log_receipt(5, 7).proof;
    c.push(receipt_case(
        "fail_receipt_proof_from_another_tree",
        vec!["The checkpoint at 8 with the inclusion proof of leaf 5 in the tree of 7."],
        &older_proof.to_text(),
    ));
    let mut short = support::log_receipt(5, 8);
    short.proof.pop();
    c.push(receipt_case(
        "fail_receipt_proof_too_short",
        vec!["The receipt of leaf 5 in 8 without its last proof hash."],
        &short.to_text(),
    ));
    let mut outside = support::log_receipt(5, 8);
    outside.leaf_index = 8;
    c.push(receipt_case(
        "fail_receipt_index_outside_tree",
        vec!["A receipt claiming leaf 8 of the tree of 8."],
        &outside.to_text(),
    ));
    c.push(receipt_case(
        "fail_receipt_bad_checkpoint_signature",
        vec!["The receipt of leaf 5 in 8 whose checkpoint says 9 leaves."],
        &r58.replacen("\n8\n", "\n9\n", 1),
    ));
    let mut other_log_receipt = support::log_receipt(5, 8);
    other_log_receipt.checkpoint = other_log;
    c.push(receipt_case(
        "fail_receipt_time_altered",
        vec!["The receipt of leaf 5 in 8 whose checkpoint's time was changed to 1700000009."],
        &alter_time(&r58, 1_700_000_009),
    ));
    c.push(receipt_case(
        "fail_receipt_from_another_log",
        vec!["The receipt of leaf 5 in 8 against another log's checkpoint of the same tree."],
        &other_log_receipt.to_text(),
    ));
    c.push(receipt_case(
        "fail_receipt_without_commitment",
        vec!["The receipt of leaf 5 in 8 without its `extra` line."],
        &r58.replacen(
            &format!("extra {}\n", base64_std(&support::log_leaves()[5].0)),
            "",
            1,
        ),
    ));
    c.push(receipt_case(
        "fail_receipt_index_leading_zero",
        vec!["The receipt of leaf 5 in 8 with its index written 05."],
        &r58.replacen("index 5\n", "index 05\n", 1),
    ));
    c.push(receipt_case(
        "fail_receipt_other_format",
        vec!["The receipt of leaf 5 in 8 with another first line."],
        &r58.replacen("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2", 1),
    ));
    c
}

/// `note` (a checkpoint or a receipt) with the time in its last line, the
/// log key's cosignature, replaced by `time`; the signature is left as is.
fn alter_time(note: &str, time: u64) -> String {
    use base64::Engine as _;
    let line = note.lines().last().expect("a signature line");
    let b64 = line.rsplit(' ').next().expect("a signature");
    let mut raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    assert_eq!(
        raw.len(),
        4 + 8 + 64,
        "the last line is the time cosignature"
    );
    raw[4..12].copy_from_slice(&time.to_be_bytes());
    note.replace(b64, &base64_std(&raw))
}

fn base64_std(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn regenerate_if_asked() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        if std::env::var(REGENERATE).as_deref() == Ok("1") {
            for c in cases() {
                fs::write(
                    dir().join(format!("{}.txt", c.name)),
                    c.fields.render(&c.about),
                )
                .expect("write vector");
            }
        }
    });
}

#[test]
fn every_log_vector_file_has_its_stated_outcome() {
    regenerate_if_asked();
    let mut failures = Vec::new();
    let mut names = BTreeMap::new();
    for entry in fs::read_dir(dir()).expect("protocol/tests/vectors/log exists") {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = fs::read_to_string(&path).expect("vector file is UTF-8");
        let result = Fields::parse(&text).and_then(|f| {
            let ok = f.get("expect")? == "ok";
            if ok != name.starts_with("ok_") || ok == name.starts_with("fail_") {
                return Err("file name and outcome disagree (ok_* / fail_*)".into());
            }
            check(&f)
        });
        if let Err(e) = result {
            failures.push(format!("{}: {e}", path.display()));
        }
        names.insert(name, ());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for k in KNOWN_ANSWERS {
        assert!(names.contains_key(k), "known-answer file {k} is missing");
    }
}

#[test]
fn sanad_log_vectors_are_exactly_what_the_cases_produce() {
    regenerate_if_asked();
    let cases = cases();
    let mut problems = Vec::new();
    for c in &cases {
        if let Err(e) = check(&c.fields) {
            problems.push(format!(
                "{}: generated case fails its own check: {e}",
                c.name
            ));
        }
        let path = dir().join(format!("{}.txt", c.name));
        match fs::read_to_string(&path) {
            Ok(text) if text == c.fields.render(&c.about) => {}
            Ok(_) => problems.push(format!(
                "{} differs from what the code produces now",
                path.display()
            )),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    for entry in fs::read_dir(dir()).expect("vectors dir") {
        let name = entry
            .expect("directory entry")
            .path()
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if !KNOWN_ANSWERS.contains(&name.as_str()) && !cases.iter().any(|c| c.name == name) {
            problems.push(format!("{name} is neither a known answer nor a case"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(run with {REGENERATE}=1 after a deliberate change)",
        problems.join("\n")
    );
}
