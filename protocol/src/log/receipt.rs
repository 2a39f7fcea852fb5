//! Receipts: the self-contained proof that a commitment is in the log,
//! checkable offline with nothing but the log's public key.
//!
//! The encoding is the transparency-log proof of
//! <https://c2sp.org/tlog-proof> (`c2sp.org/tlog-proof@v1`), with the
//! commitment itself as its `extra` data (mandatory here):
//!
//! ```text
//! c2sp.org/tlog-proof@v1
//! extra <base64 of the 32-byte commitment>
//! index <leaf index, decimal>
//! <base64 of each inclusion proof hash, from the leaf's sibling up>
//!
//! <the signed checkpoint, verbatim>
//! ```
//!
//! Strict and bounded like every decoder here: at most [`MAX_RECEIPT_LEN`]
//! bytes, checked first; at most [`MAX_PROOF_HASHES`] proof lines; one
//! spelling of every number and hash. [`Receipt::verify`] is the only way to
//! a [`VerifiedReceipt`].

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::checkpoint::{
    parse_decimal, CheckpointError, LogKey, SignedCheckpoint, VerifiedCheckpoint,
};
use super::merkle::{leaf_hash, Hash};
use super::note::decode_b64;
use super::proof::{verify_inclusion, ProofError};
use super::Commitment;
use crate::limits::{MAX_PROOF_HASHES, MAX_RECEIPT_LEN};

/// The first line of every receipt.
pub const RECEIPT_HEADER: &str = "c2sp.org/tlog-proof@v1";

/// Why a receipt is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The receipt is longer than [`MAX_RECEIPT_LEN`].
    #[error("the receipt is {len} bytes long; at most {max} are accepted")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The receipt's own lines are malformed (what is wrong is said).
    #[error("malformed receipt: {0}")]
    Malformed(&'static str),
    /// More proof hashes than [`MAX_PROOF_HASHES`].
    #[error("the receipt has more than {max} proof hashes")]
    TooManyHashes {
        /// The limit.
        max: usize,
    },
    /// The checkpoint inside is malformed, from another log, or not signed
    /// by the log's key.
    #[error("receipt checkpoint: {0}")]
    Checkpoint(#[from] CheckpointError),
    /// The inclusion proof does not prove this commitment at this index in
    /// the checkpoint's tree.
    #[error("receipt proof: {0}")]
    Proof(#[from] ProofError),
}

/// A parsed, **unverified** receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The log's signed checkpoint the proof leads to.
    pub checkpoint: SignedCheckpoint,
    /// The commitment's position in the log.
    pub leaf_index: u64,
    /// The commitment (the leaf's data).
    pub leaf: Commitment,
    /// The inclusion proof, from the leaf's sibling up.
    pub proof: Vec<Hash>,
}

impl Receipt {
    /// The receipt in its one spelling.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{RECEIPT_HEADER}\nextra {}\nindex {}\n",
            STANDARD.encode(self.leaf.0),
            self.leaf_index
        );
        for h in &self.proof {
            out.push_str(&STANDARD.encode(h));
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.checkpoint.to_text());
        out
    }

    /// Parse a receipt (strict, bounded). Checks nothing cryptographic.
    pub fn parse(bytes: &[u8]) -> Result<Receipt, ReceiptError> {
        if bytes.len() > MAX_RECEIPT_LEN {
            return Err(ReceiptError::TooLong {
                len: bytes.len(),
                max: MAX_RECEIPT_LEN,
            });
        }
        let s = std::str::from_utf8(bytes).map_err(|_| ReceiptError::Malformed("not UTF-8"))?;
        let split = s.find("\n\n").ok_or(ReceiptError::Malformed(
            "no blank line before the checkpoint",
        ))?;
        let (head, note) = (&s[..split], &s[split + 2..]);
        let mut lines = head.split('\n');
        if lines.next() != Some(RECEIPT_HEADER) {
            return Err(ReceiptError::Malformed("not a c2sp.org/tlog-proof@v1"));
        }
        let leaf = lines
            .next()
            .and_then(|l| l.strip_prefix("extra "))
            .and_then(decode_b64)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or(ReceiptError::Malformed("no 32-byte commitment in `extra`"))?;
        let leaf_index = lines
            .next()
            .and_then(|l| l.strip_prefix("index "))
            .and_then(parse_decimal)
            .ok_or(ReceiptError::Malformed("index"))?;
        let mut proof = Vec::new();
        for line in lines {
            if proof.len() == MAX_PROOF_HASHES {
                return Err(ReceiptError::TooManyHashes {
                    max: MAX_PROOF_HASHES,
                });
            }
            let h: Hash = decode_b64(line)
                .and_then(|b| b.try_into().ok())
                .ok_or(ReceiptError::Malformed("proof hash"))?;
            proof.push(h);
        }
        let checkpoint = SignedCheckpoint::parse(note.as_bytes())?;
        Ok(Receipt {
            checkpoint,
            leaf_index,
            leaf: Commitment(leaf),
            proof,
        })
    }

    /// Check the receipt against the log's public key: the checkpoint is the
    /// log's, signed and timed by its key, and the proof leads from this
    /// commitment at this index to the checkpoint's root.
    pub fn verify(&self, log: &LogKey) -> Result<VerifiedReceipt, ReceiptError> {
        let checkpoint = self.checkpoint.verify(log)?;
        verify_inclusion(
            &leaf_hash(&self.leaf.0),
            self.leaf_index,
            checkpoint.size(),
            &self.proof,
            checkpoint.root(),
        )?;
        Ok(VerifiedReceipt {
            checkpoint,
            leaf_index: self.leaf_index,
            leaf: self.leaf,
            proof: self.proof.clone(),
        })
    }
}

/// A receipt whose checkpoint signature and inclusion proof have been
/// checked. Only [`Receipt::verify`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedReceipt {
    checkpoint: VerifiedCheckpoint,
    leaf_index: u64,
    leaf: Commitment,
    proof: Vec<Hash>,
}

impl VerifiedReceipt {
    /// The checkpoint that includes the commitment.
    pub fn checkpoint(&self) -> &VerifiedCheckpoint {
        &self.checkpoint
    }

    /// The commitment's position in the log.
    pub fn leaf_index(&self) -> u64 {
        self.leaf_index
    }

    /// The commitment proven to be in the log.
    pub fn commitment(&self) -> &Commitment {
        &self.leaf
    }

    /// The inclusion proof, from the leaf's sibling up.
    pub fn proof(&self) -> &[Hash] {
        &self.proof
    }

    /// The receipt it was verified from, to store or send on.
    pub fn receipt(&self) -> Receipt {
        Receipt {
            checkpoint: self.checkpoint.signed().clone(),
            leaf_index: self.leaf_index,
            leaf: self.leaf,
            proof: self.proof.clone(),
        }
    }

    /// The receipt in its one spelling (as [`Receipt::to_text`]).
    pub fn to_text(&self) -> String {
        self.receipt().to_text()
    }
}
