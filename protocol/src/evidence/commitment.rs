//! The salted commitment to a signed manifest: the 32 bytes the relay's log
//! holds for one evidence item.
//!
//! ```text
//! commitment = SHA-256("sanad/evidence-commitment/v1\n" ‖ salt (32) ‖ manifest hash (32))
//! ```
//!
//! where the manifest hash is SHA-256 of the signed manifest (manifest
//! bytes ‖ signature). The salt is 32 random bytes chosen at capture and
//! kept inside encryption with the manifest: without it, the commitment
//! tells nothing, not even whether it matches a guessed manifest.

use std::fmt;

use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::manifest::ManifestHash;
use crate::log::Commitment;

/// The domain string hashed before the salt (29 ASCII bytes and a line feed).
pub const COMMITMENT_DOMAIN: &[u8] = b"sanad/evidence-commitment/v1\n";

/// The 32-byte random salt of a commitment. Secret: zeroized on drop,
/// compared in constant time, never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Salt([u8; 32]);

impl Salt {
    /// Byte length.
    pub const LEN: usize = 32;

    /// A fresh random salt.
    pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> Salt {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        Salt(b)
    }

    /// Wrap salt bytes.
    pub fn from_bytes(b: [u8; 32]) -> Salt {
        Salt(b)
    }

    /// The salt bytes.
    pub fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for Salt {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}
impl Eq for Salt {}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Salt(<secret>)")
    }
}

/// The commitment to the signed manifest whose hash is `manifest`.
pub fn commitment(salt: &Salt, manifest: &ManifestHash) -> Commitment {
    Commitment(
        Sha256::new()
            .chain_update(COMMITMENT_DOMAIN)
            .chain_update(salt.0)
            .chain_update(manifest.0)
            .finalize()
            .into(),
    )
}

/// Whether `c` is the commitment to `manifest` under `salt`, compared in
/// constant time.
pub fn matches(c: &Commitment, salt: &Salt, manifest: &ManifestHash) -> bool {
    commitment(salt, manifest).0.ct_eq(&c.0).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commitment_binds_salt_and_manifest_and_hides_the_salt() {
        let (s, m) = (Salt::from_bytes([1; 32]), ManifestHash([2; 32]));
        let c = commitment(&s, &m);
        assert!(matches(&c, &s, &m));
        assert!(!matches(&c, &Salt::from_bytes([3; 32]), &m));
        assert!(!matches(&c, &s, &ManifestHash([3; 32])));
        let mut expected = COMMITMENT_DOMAIN.to_vec();
        expected.extend_from_slice(&[1; 32]);
        expected.extend_from_slice(&[2; 32]);
        assert_eq!(c.0, <[u8; 32]>::from(Sha256::digest(&expected)));
        assert_eq!(format!("{s:?}"), "Salt(<secret>)");
    }
}
