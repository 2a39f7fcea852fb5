//! Safety numbers: 60 digits two people compare (read aloud, or by scanning
//! a QR code) to be sure that no one sits between them; and the group check
//! code that members of an MLS group compare for the same purpose.
//!
//! Construction (specified in `docs/client-formats.md`, vectors in
//! `protocol/tests/vectors/client-formats/`). For each party's Ed25519 MLS
//! signature public key `k` (32 bytes):
//!
//! ```text
//! f = SHA-512("sanad/safety-number/v1" ‖ k)
//! repeat 5,199 times: f = SHA-512(f ‖ k)          (5,200 hashes in all)
//! for i in 0..6: c = f[5i .. 5i+5] as a big-endian integer;
//!                group i = c mod 100000, as 5 decimal digits
//! ```
//!
//! giving 30 digits per key. The safety number is the two 30-digit strings
//! sorted (as ASCII) and concatenated: 60 digits, shown as 12 groups of 5 in
//! 4 rows of 3. Both parties compute the same number, whichever order they
//! pass the keys in. The iteration count makes a search for a key whose
//! digits match a target's more expensive; 30 digits per key is about
//! 100 bits.
//!
//! Digits are chosen over words because they read aloud in Arabic, French
//! and English alike; [`SafetyNumber::matches`] accepts what a person types
//! in ASCII, Arabic-Indic (٠–٩) or Eastern Arabic-Indic (۰–۹) digits.
//!
//! The group check code is `SHA-256("sanad/group-check/v1" ‖ A)` where `A` is
//! the MLS epoch authenticator: the first 5 bytes as a big-endian integer,
//! modulo 10¹², as 12 digits in 3 groups of 4. Members in the same epoch of
//! the same group see the same code.

use sha2::{Digest, Sha256, Sha512};
use subtle::ConstantTimeEq;

/// Domain-separation prefix of the first hash of each fingerprint.
pub const SAFETY_NUMBER_DOMAIN: &[u8] = b"sanad/safety-number/v1";

/// SHA-512 invocations per fingerprint.
pub const SAFETY_NUMBER_ITERATIONS: usize = 5200;

/// Number of digits in a safety number.
pub const SAFETY_NUMBER_DIGITS: usize = 60;

/// The QR code of a safety number carries this prefix, then the 60 digits.
pub const SAFETY_QR_PREFIX: &str = "sanad-safety:1:";

/// Domain-separation prefix of the group check code.
pub const GROUP_CHECK_DOMAIN: &[u8] = b"sanad/group-check/v1";

const FINGERPRINT_DIGITS: usize = SAFETY_NUMBER_DIGITS / 2;
const GROUP_LEN: usize = 5;
const GROUPS: usize = SAFETY_NUMBER_DIGITS / GROUP_LEN;
const GROUPS_PER_ROW: usize = 3;

/// The safety number of a pair of keys. Public (derived from public keys),
/// so it may be shown and logged; it is compared in constant time anyway.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SafetyNumber {
    /// Exactly 60 ASCII digits.
    digits: String,
}

impl SafetyNumber {
    /// The safety number of the two parties' Ed25519 MLS signature public
    /// keys, in either order.
    pub fn new(a: &[u8; 32], b: &[u8; 32]) -> SafetyNumber {
        let fa = fingerprint(a);
        let fb = fingerprint(b);
        let (first, second) = if fa <= fb { (fa, fb) } else { (fb, fa) };
        let mut digits = String::with_capacity(SAFETY_NUMBER_DIGITS);
        digits.push_str(&first);
        digits.push_str(&second);
        SafetyNumber { digits }
    }

    /// The 60 digits, without separators.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The 12 groups of 5 digits, in order.
    pub fn groups(&self) -> [&str; GROUPS] {
        std::array::from_fn(|i| &self.digits[i * GROUP_LEN..(i + 1) * GROUP_LEN])
    }

    /// For display: 4 rows of 3 groups, groups separated by a space, rows by
    /// `\n`.
    pub fn display(&self) -> String {
        self.groups()
            .chunks(GROUPS_PER_ROW)
            .map(|row| row.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the QR code carries: `sanad-safety:1:` and the 60 digits.
    pub fn qr_payload(&self) -> String {
        format!("{SAFETY_QR_PREFIX}{}", self.digits)
    }

    /// Whether a typed or scanned number is this one. White space is
    /// ignored, digits may be ASCII, Arabic-Indic (U+0660–U+0669) or Eastern
    /// Arabic-Indic (U+06F0–U+06F9), and a scanned [`qr_payload`] is
    /// accepted. Any other character, or a count other than 60 digits, does
    /// not match. The digits are compared in constant time.
    ///
    /// [`qr_payload`]: SafetyNumber::qr_payload
    pub fn matches(&self, input: &str) -> bool {
        let input = input.trim();
        let input = match input.get(..SAFETY_QR_PREFIX.len()) {
            Some(p) if p.eq_ignore_ascii_case(SAFETY_QR_PREFIX) => &input[SAFETY_QR_PREFIX.len()..],
            _ => input,
        };
        let mut typed = [0u8; SAFETY_NUMBER_DIGITS];
        let mut n = 0;
        for c in input.chars() {
            if c.is_whitespace() {
                continue;
            }
            let Some(d) = digit_value(c) else {
                return false;
            };
            let Some(slot) = typed.get_mut(n) else {
                return false;
            };
            *slot = b'0' + d;
            n += 1;
        }
        n == SAFETY_NUMBER_DIGITS && bool::from(typed.ct_eq(self.digits.as_bytes()))
    }
}

/// The value of an ASCII, Arabic-Indic or Eastern Arabic-Indic digit.
fn digit_value(c: char) -> Option<u8> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        _ => return None,
    };
    Some((c as u32 - zero as u32) as u8)
}

/// The 30 digits of one key.
fn fingerprint(key: &[u8; 32]) -> String {
    let mut f = Sha512::new()
        .chain_update(SAFETY_NUMBER_DOMAIN)
        .chain_update(key)
        .finalize();
    for _ in 1..SAFETY_NUMBER_ITERATIONS {
        f = Sha512::new().chain_update(f).chain_update(key).finalize();
    }
    let mut out = String::with_capacity(FINGERPRINT_DIGITS);
    for chunk in f[..FINGERPRINT_DIGITS].chunks(GROUP_LEN) {
        let mut be = [0u8; 8];
        be[8 - GROUP_LEN..].copy_from_slice(chunk);
        out.push_str(&format!("{:05}", u64::from_be_bytes(be) % 100_000));
    }
    out
}

/// The code members of an MLS group compare to check that they are in the
/// same group state: 12 digits from the epoch authenticator, as three groups
/// of four separated by spaces (`0123 4567 8901`).
pub fn group_check_code(epoch_authenticator: &[u8]) -> String {
    let d = Sha256::new()
        .chain_update(GROUP_CHECK_DOMAIN)
        .chain_update(epoch_authenticator)
        .finalize();
    let mut be = [0u8; 8];
    be[3..].copy_from_slice(&d[..5]);
    let s = format!("{:012}", u64::from_be_bytes(be) % 1_000_000_000_000);
    format!("{} {} {}", &s[..4], &s[4..8], &s[8..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: [u8; 32] = [1; 32];
    const B: [u8; 32] = [2; 32];

    #[test]
    fn safety_number_is_the_same_whichever_order_the_keys_come_in() {
        let n = SafetyNumber::new(&A, &B);
        assert_eq!(n, SafetyNumber::new(&B, &A));
        assert_eq!(n.digits().len(), 60);
        assert!(n.digits().bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(n, SafetyNumber::new(&A, &[3; 32]));
        let (x, y) = n.digits().split_at(30);
        assert!(x <= y, "halves are sorted");
    }

    #[test]
    fn display_is_four_rows_of_three_groups_of_five() {
        let n = SafetyNumber::new(&A, &B);
        let shown = n.display();
        let rows: Vec<&str> = shown.split('\n').collect();
        assert_eq!(rows.len(), 4);
        for row in &rows {
            let groups: Vec<&str> = row.split(' ').collect();
            assert_eq!(groups.len(), 3);
            assert!(groups.iter().all(|g| g.len() == 5));
        }
        assert_eq!(shown.replace([' ', '\n'], ""), n.digits());
        assert_eq!(n.groups().concat(), n.digits());
    }

    #[test]
    fn typed_numbers_match_in_any_digit_script_and_spacing() {
        let n = SafetyNumber::new(&A, &B);
        let arabic: String = n
            .digits()
            .chars()
            .map(|c| char::from_u32(0x0660 + c as u32 - '0' as u32).expect("digit"))
            .collect();
        let persian: String = n
            .digits()
            .chars()
            .map(|c| char::from_u32(0x06F0 + c as u32 - '0' as u32).expect("digit"))
            .collect();
        for typed in [
            n.digits().to_string(),
            n.display(),
            format!("  {}\n", n.groups().join("  ")),
            arabic.clone(),
            persian,
            format!("{}{}", &arabic[..20], &n.digits()[10..]),
            n.qr_payload(),
            format!("{}\u{00A0}", n.display()),
        ] {
            assert!(n.matches(&typed), "{typed:?}");
        }
    }

    #[test]
    fn one_wrong_missing_or_extra_digit_does_not_match() {
        let n = SafetyNumber::new(&A, &B);
        let d = n.digits();
        let flip = |i: usize| {
            let mut b = d.as_bytes().to_vec();
            b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
            String::from_utf8(b).expect("ASCII")
        };
        for typed in [
            flip(0),
            flip(59),
            d[1..].to_string(),
            format!("{d}0"),
            format!("{d}x"),
            d.replace('1', "l"),
            String::new(),
            format!("sanad-safety:2:{d}"),
            format!("{}-{}", &d[..30], &d[30..]),
        ] {
            if typed == d {
                continue;
            }
            assert!(!n.matches(&typed), "{typed:?}");
        }
    }

    #[test]
    fn group_check_code_is_three_groups_of_four_digits() {
        let c = group_check_code(b"epoch authenticator");
        assert_eq!(c.len(), 14);
        let groups: Vec<&str> = c.split(' ').collect();
        assert_eq!(groups.len(), 3);
        assert!(groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_digit())));
        assert_ne!(c, group_check_code(b"epoch authenticatoR"));
    }
}
