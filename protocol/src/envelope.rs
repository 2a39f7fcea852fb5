//! The sealed envelope: anonymous public-key encryption of a mailbox message
//! to the mailbox owner's X25519 key, with Padmé padding so the relay learns
//! only a coarse size.
//!
//! Construction (specified in `docs/protocol.md`, vectors in
//! `protocol/tests/vectors/`): a fresh ephemeral X25519 key `e`;
//! `shared = X25519(e, R)` (rejected if all zero);
//! `key = HKDF-SHA256(salt = E ‖ R, ikm = shared, info = "sanad/1 envelope key")`;
//! `ct = ChaCha20-Poly1305(key, nonce = 0¹², aad = version ‖ E ‖ R, padded)`.
//! The key is used once, so the fixed nonce is safe. Wire form:
//! `version (1) ‖ E (32) ‖ ct`. The padded plaintext is
//! `len (4, big-endian) ‖ plaintext ‖ zeros` up to `padme(4 + len)`.
//!
//! This hides content and exact size from the relay. It does not authenticate
//! the sender: the layer above (MLS) does.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::ChaCha20Poly1305;
use hkdf::Hkdf;
use rand_core::{CryptoRng, RngCore};
use sha2::Sha256;
use x25519_dalek::{EphemeralSecret, PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::limits::MAX_MESSAGE_LEN;

/// Envelope format version.
pub const ENVELOPE_VERSION: u8 = 1;
const INFO: &[u8] = b"sanad/1 envelope key";
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + 32;

/// The largest plaintext that still fits a mailbox message once sealed.
pub const MAX_ENVELOPE_PLAINTEXT: usize = (MAX_MESSAGE_LEN - HEADER_LEN - TAG_LEN) * 7 / 8;

/// Why an envelope could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Too short to be an envelope.
    #[error("envelope truncated")]
    Truncated,
    /// The version byte is not one this build reads.
    #[error("unsupported envelope version {0}")]
    UnsupportedVersion(u8),
    /// Decryption failed: wrong key or tampered bytes.
    #[error("envelope does not decrypt with this key (wrong recipient or tampered)")]
    Decrypt,
    /// The decrypted padding is malformed.
    #[error("envelope padding is malformed")]
    Padding,
    /// The sender's ephemeral key is a low-order point.
    #[error("envelope key exchange produced a weak secret")]
    WeakKey,
    /// The plaintext is too large for one message.
    #[error("plaintext of {0} bytes is too large for one message")]
    TooLarge(usize),
}

/// Padmé padding (Nikitin et al., PETS 2019): the padded length for a
/// payload of `len` bytes, leaking O(log log len) bits of the size.
pub fn padme(len: usize) -> usize {
    if len < 2 {
        return len;
    }
    let e = usize::BITS - 1 - len.leading_zeros(); // floor(log2 len)
    let s = u32::BITS - e.leading_zeros(); // floor(log2 e) + 1
    let last_bits = e - s;
    let mask = (1usize << last_bits) - 1;
    (len + mask) & !mask
}

fn derive_key(shared: &[u8; 32], e: &[u8; 32], r: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(e);
    salt[32..].copy_from_slice(r);
    let hk = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut key = Zeroizing::new([0u8; 32]);
    // 32 bytes is always a valid HKDF-SHA256 output length.
    hk.expand(INFO, key.as_mut()).expect("32-byte HKDF output");
    key
}

fn aad(e: &[u8; 32], r: &[u8; 32]) -> [u8; 65] {
    let mut a = [0u8; 65];
    a[0] = ENVELOPE_VERSION;
    a[1..33].copy_from_slice(e);
    a[33..].copy_from_slice(r);
    a
}

/// Seal `plaintext` to `recipient`.
pub fn seal<R: RngCore + CryptoRng>(
    recipient: &PublicKey,
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, EnvelopeError> {
    let secret = EphemeralSecret::random_from_rng(&mut *rng);
    seal_with(secret, recipient, plaintext)
}

fn seal_with(
    secret: EphemeralSecret,
    recipient: &PublicKey,
    plaintext: &[u8],
) -> Result<Vec<u8>, EnvelopeError> {
    if plaintext.len() > MAX_ENVELOPE_PLAINTEXT {
        return Err(EnvelopeError::TooLarge(plaintext.len()));
    }
    let e = PublicKey::from(&secret);
    let shared = secret.diffie_hellman(recipient);
    if !shared.was_contributory() {
        return Err(EnvelopeError::WeakKey);
    }
    let key = derive_key(shared.as_bytes(), e.as_bytes(), recipient.as_bytes());
    let padded_len = padme(4 + plaintext.len());
    let mut padded = Zeroizing::new(vec![0u8; padded_len]);
    padded[..4].copy_from_slice(&(plaintext.len() as u32).to_be_bytes());
    padded[4..4 + plaintext.len()].copy_from_slice(plaintext);
    let cipher = ChaCha20Poly1305::new(key.as_ref().into());
    let ct = cipher
        .encrypt(
            &[0u8; 12].into(),
            Payload {
                msg: &padded,
                aad: &aad(e.as_bytes(), recipient.as_bytes()),
            },
        )
        .map_err(|_| EnvelopeError::TooLarge(plaintext.len()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + ct.len());
    out.push(ENVELOPE_VERSION);
    out.extend_from_slice(e.as_bytes());
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Open an envelope with the recipient's secret key.
pub fn open(
    recipient: &StaticSecret,
    envelope: &[u8],
) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    if envelope.len() < HEADER_LEN + TAG_LEN + 4 {
        return Err(EnvelopeError::Truncated);
    }
    if envelope[0] != ENVELOPE_VERSION {
        return Err(EnvelopeError::UnsupportedVersion(envelope[0]));
    }
    let mut e = [0u8; 32];
    e.copy_from_slice(&envelope[1..HEADER_LEN]);
    let r = PublicKey::from(recipient);
    let shared = recipient.diffie_hellman(&PublicKey::from(e));
    if !shared.was_contributory() {
        return Err(EnvelopeError::WeakKey);
    }
    let key = derive_key(shared.as_bytes(), &e, r.as_bytes());
    let cipher = ChaCha20Poly1305::new(key.as_ref().into());
    let padded = Zeroizing::new(
        cipher
            .decrypt(
                &[0u8; 12].into(),
                Payload {
                    msg: &envelope[HEADER_LEN..],
                    aad: &aad(&e, r.as_bytes()),
                },
            )
            .map_err(|_| EnvelopeError::Decrypt)?,
    );
    let len = u32::from_be_bytes([padded[0], padded[1], padded[2], padded[3]]) as usize;
    if len > padded.len() - 4 || padded[4 + len..].iter().any(|&b| b != 0) {
        return Err(EnvelopeError::Padding);
    }
    Ok(Zeroizing::new(padded[4..4 + len].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    #[test]
    fn padme_matches_the_paper_examples_and_never_shrinks() {
        assert_eq!(padme(0), 0);
        assert_eq!(padme(1), 1);
        assert_eq!(padme(9), 10);
        assert_eq!(padme(100), 104);
        assert_eq!(padme(1000), 1024);
        for l in 0..5000 {
            let p = padme(l);
            assert!(p >= l && p <= l + l / 8 + 1, "padme({l}) = {p}");
        }
    }

    #[test]
    fn sealed_envelopes_open_only_for_their_recipient_and_hide_exact_size() {
        let sk = StaticSecret::random_from_rng(OsRng);
        let pk = PublicKey::from(&sk);
        let other = StaticSecret::random_from_rng(OsRng);
        let env = seal(&pk, b"testimony", &mut OsRng).expect("seal");
        assert_eq!(open(&sk, &env).expect("open").as_slice(), b"testimony");
        assert_eq!(open(&other, &env), Err(EnvelopeError::Decrypt));
        for i in 0..env.len() {
            let mut t = env.clone();
            t[i] ^= 1;
            assert!(open(&sk, &t).is_err(), "flip at {i} accepted");
        }
        assert_eq!(open(&sk, &env[..10]), Err(EnvelopeError::Truncated));
        let a = seal(&pk, &[1; 1000], &mut OsRng).expect("seal");
        let b = seal(&pk, &[1; 1010], &mut OsRng).expect("seal");
        assert_eq!(a.len(), b.len());
    }

    #[test]
    fn oversized_plaintext_is_refused_and_the_largest_fits_a_message() {
        let pk = PublicKey::from(&StaticSecret::random_from_rng(OsRng));
        let max = seal(&pk, &vec![0; MAX_ENVELOPE_PLAINTEXT], &mut OsRng).expect("seal");
        assert!(max.len() <= MAX_MESSAGE_LEN);
        assert_eq!(
            seal(&pk, &vec![0; MAX_ENVELOPE_PLAINTEXT + 1], &mut OsRng),
            Err(EnvelopeError::TooLarge(MAX_ENVELOPE_PLAINTEXT + 1))
        );
    }
}
