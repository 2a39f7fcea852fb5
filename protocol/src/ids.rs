//! Random identifiers and capabilities. None of them is derived from a person,
//! a device or an address; `Debug` never prints their bytes, so they cannot
//! leak into logs by accident.

use std::fmt;

use rand_core::{CryptoRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Byte length on the wire.
            pub const LEN: usize = $len;

            /// A fresh random value.
            pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
                let mut b = [0u8; $len];
                rng.fill_bytes(&mut b);
                $name(b)
            }

            /// Lower-case hex, for storage keys and user-visible references.
            pub fn to_hex(&self) -> String {
                hex_lower(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(..)"))
            }
        }
    };
}

random_id!(
    /// The mailbox owner's capability to read: fetch, list and acknowledge
    /// (together with the owner's signature).
    ReceiveId, 16
);
random_id!(
    /// The capability to deposit into a mailbox, shared with senders in invites.
    SendId, 16
);
random_id!(
    /// A blob's identifier and read capability.
    BlobId, 32
);
random_id!(
    /// A single-use value that makes a signed request unique.
    Nonce, 16
);
random_id!(
    /// A client-chosen key that makes a deposit idempotent under retries.
    DepositKey, 16
);

/// The capability to upload segments of one blob. Secret: zeroized on drop,
/// compared in constant time, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct UploadToken(pub [u8; 32]);

impl UploadToken {
    /// Byte length on the wire.
    pub const LEN: usize = 32;

    /// A fresh random token.
    pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        UploadToken(b)
    }

    /// Constant-time comparison.
    pub fn ct_eq(&self, other: &UploadToken) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl PartialEq for UploadToken {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other)
    }
}
impl Eq for UploadToken {}

impl fmt::Debug for UploadToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UploadToken(<secret>)")
    }
}

/// SHA-256 of one segment's bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct SegmentHash(pub [u8; 32]);

impl SegmentHash {
    /// Hash a segment.
    pub fn of(data: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        SegmentHash(Sha256::digest(data).into())
    }

    /// Constant-time comparison (used when checking an upload against its declared hash).
    pub fn ct_eq(&self, other: &SegmentHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// Lower-case hex (segment file names).
    pub fn to_hex(&self) -> String {
        hex_lower(&self.0)
    }
}

/// A mailbox owner's Ed25519 public key, as registered with the relay.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OwnerKey(pub [u8; 32]);

impl fmt::Debug for OwnerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OwnerKey(..)")
    }
}

pub(crate) fn hex_lower(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        s.push(DIGITS[(x >> 4) as usize] as char);
        s.push(DIGITS[(x & 15) as usize] as char);
    }
    s
}
