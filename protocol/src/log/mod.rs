//! The transparency log (DESIGN.md §4), as pure functions and types: what a
//! relay computes to keep its log and what anyone computes to check it
//! offline. No storage and no clock here; the relay keeps the tree.
//!
//! - [`merkle`]: RFC 9162 §2.1 hashing (leaf `SHA-256(0x00 ‖ data)`, node
//!   `SHA-256(0x01 ‖ left ‖ right)`), roots, the append frontier, and the
//!   complete subtrees proofs are built from.
//! - [`proof`]: inclusion and consistency proofs, generated from any
//!   [`merkle::SubtreeSource`] and verified per RFC 9162.
//! - [`note`]: C2SP signed notes (Ed25519), strict and bounded.
//! - [`cosignature`]: C2SP `cosignature/v1` timestamped signatures, the
//!   time the log key puts on each checkpoint.
//! - [`checkpoint`]: C2SP checkpoints, signed and timed by the log key; the
//!   log's origin is derived from that key.
//! - [`receipt`]: the offline proof bundle for one commitment
//!   (C2SP `tlog-proof@v1`), and [`VerifiedReceipt`], which only
//!   [`Receipt::verify`] makes.
//!
//! What the log holds: 32-byte salted commitments of evidence manifests,
//! nothing else. Formats are specified in `docs/protocol.md` §14; vectors,
//! including the RFC 6962 and signed-note known answers, are in
//! `protocol/tests/vectors/log/`.

use std::fmt;

pub mod checkpoint;
pub mod cosignature;
pub mod merkle;
pub mod note;
pub mod proof;
pub mod receipt;

pub use checkpoint::{Checkpoint, CheckpointError, LogKey, SignedCheckpoint, VerifiedCheckpoint};
pub use merkle::Hash;
pub use proof::ProofError;
pub use receipt::{Receipt, ReceiptError, VerifiedReceipt};

/// A 32-byte salted commitment to an evidence manifest: the data of one
/// leaf of the log. It reveals nothing without its salt; `Debug` still
/// prints none of it, like every identifier.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Commitment(pub [u8; 32]);

impl Commitment {
    /// Byte length on the wire.
    pub const LEN: usize = 32;

    /// The Merkle leaf hash of this commitment.
    pub fn leaf_hash(&self) -> merkle::Hash {
        merkle::leaf_hash(&self.0)
    }
}

impl fmt::Debug for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Commitment(..)")
    }
}
