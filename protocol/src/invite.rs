//! The one-line invite: everything a new contact needs to reach the inviter
//! (relay address and pin, the inviter's mailbox send ID and sealing key, and
//! an MLS KeyPackage), as text people can paste from a chat app or scan from
//! a QR code.
//!
//! Text form: `sanad-invite:` followed by the binary form in base64url
//! without padding. The binary form (specified in `docs/client-formats.md`,
//! vectors in `protocol/tests/vectors/client-formats/`) is
//!
//! ```text
//! version u8 (= 1)
//! relay   u16 length ‖ canonical relay address string (UTF-8)
//! send_id [16]
//! seal_key [32]
//! expires_at u64
//! key_package u16 length (1..=4096) ‖ bytes
//! checksum [4] = SHA-256("sanad/invite/v1" ‖ every preceding byte)[..4]
//! ```
//!
//! The checksum is not a security mechanism (anyone can recompute it); it
//! tells a damaged copy ("the invite was cut or altered when copied") apart
//! from a malformed one. Trust comes from comparing safety numbers.
//!
//! Parsing is sans-clock: [`Invite::check_not_expired`] takes the time.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::address::{AddressError, RelayAddress};
use crate::codec::{Reader, Writer};
use crate::error::DecodeError;
use crate::ids::SendId;
use crate::limits::{MAX_INVITE_TEXT_LEN, MAX_KEY_PACKAGE_LEN, MAX_RELAY_ADDRESS_LEN};

/// The text form starts with this (compared without regard to ASCII case).
pub const INVITE_PREFIX: &str = "sanad-invite:";

/// The binary format version this build writes and reads.
pub const INVITE_VERSION: u8 = 1;

/// Domain-separation prefix of the checksum.
pub const INVITE_CHECKSUM_DOMAIN: &[u8] = b"sanad/invite/v1";

/// Length of the checksum at the end of the binary form.
pub const INVITE_CHECKSUM_LEN: usize = 4;

/// An invitation to contact its creator.
#[derive(Clone, PartialEq, Eq)]
pub struct Invite {
    /// The relay that holds the inviter's mailbox, with its SPKI pin.
    pub relay: RelayAddress,
    /// The inviter's personal mailbox send ID.
    pub send_id: SendId,
    /// The inviter's X25519 public key: first-contact messages are sealed to
    /// it with [`envelope::seal`](crate::envelope::seal).
    pub seal_key: [u8; 32],
    /// A TLS-serialized MLS KeyPackage of the inviter, opaque here;
    /// 1 ..= [`MAX_KEY_PACKAGE_LEN`] bytes.
    pub key_package: Vec<u8>,
    /// Unix time (seconds) from which the invite is no longer accepted.
    pub expires_at: u64,
}

/// Why an invite was refused. Each variant is something a person could have
/// got wrong, so the client can say what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// The text does not start with `sanad-invite:`.
    #[error("this is not a Sanad invite (an invite starts with sanad-invite:)")]
    NotAnInvite,
    /// The text is not valid base64url, or the checksum does not match.
    #[error(
        "the invite is damaged: it was probably cut off or altered when it was copied; \
         ask for it again"
    )]
    Damaged,
    /// The invite was made in a format this build does not read.
    #[error("the invite uses format {0}, which this version of Sanad does not read")]
    UnsupportedVersion(u8),
    /// The text is longer than any invite can be.
    #[error("the text is too long to be an invite")]
    TooLong,
    /// The checksum matched but the contents break the format (made by a
    /// faulty program), or an invite being encoded has an out-of-range field.
    #[error("the invite is malformed: {0}")]
    Malformed(DecodeError),
    /// The relay address inside is not a valid canonical relay address.
    #[error("the relay address in the invite is not valid: {0}")]
    BadRelayAddress(AddressError),
    /// The invite is past its expiry time.
    #[error("the invite expired at {expired_at} (Unix time); ask for a new one")]
    Expired {
        /// The invite's `expires_at`.
        expired_at: u64,
    },
}

impl From<DecodeError> for InviteError {
    fn from(e: DecodeError) -> Self {
        InviteError::Malformed(e)
    }
}

/// The checksum of an invite's binary form: the first four bytes of
/// `SHA-256("sanad/invite/v1" ‖ body)`, where `body` is everything before
/// the checksum.
pub fn checksum(body: &[u8]) -> [u8; INVITE_CHECKSUM_LEN] {
    let mut h = Sha256::new();
    h.update(INVITE_CHECKSUM_DOMAIN);
    h.update(body);
    let d = h.finalize();
    let mut out = [0u8; INVITE_CHECKSUM_LEN];
    out.copy_from_slice(&d[..INVITE_CHECKSUM_LEN]);
    out
}

impl Invite {
    /// The binary form, checksum included. Fails with
    /// [`InviteError::BadRelayAddress`] if the relay address does not print
    /// as a canonical address that parses back to itself, and with
    /// [`InviteError::Malformed`] if the key package is empty or too long:
    /// the encoder refuses exactly what the decoder would refuse.
    pub fn to_bytes(&self) -> Result<Vec<u8>, InviteError> {
        let relay = self.relay.to_string();
        if relay.len() > MAX_RELAY_ADDRESS_LEN {
            return Err(DecodeError::TooLong {
                field: "relay address",
                len: relay.len() as u64,
                max: MAX_RELAY_ADDRESS_LEN as u64,
            }
            .into());
        }
        match relay.parse::<RelayAddress>() {
            Ok(back) if back == self.relay => {}
            Ok(_) => return Err(InviteError::BadRelayAddress(AddressError::BadHostPort)),
            Err(e) => return Err(InviteError::BadRelayAddress(e)),
        }
        check_key_package(&self.key_package)?;
        let len = 1
            + 2
            + relay.len()
            + SendId::LEN
            + 32
            + 8
            + 2
            + self.key_package.len()
            + INVITE_CHECKSUM_LEN;
        let mut w = Writer::with_capacity(len);
        w.u8(INVITE_VERSION);
        w.short_bytes(relay.as_bytes());
        w.put(&self.send_id.0);
        w.put(&self.seal_key);
        w.u64(self.expires_at);
        w.short_bytes(&self.key_package);
        let sum = checksum(&w.buf);
        w.put(&sum);
        Ok(w.buf)
    }

    /// Decode the binary form. The checks run in this order: the version
    /// byte (so that a newer invite is reported as such, not as damaged), the
    /// checksum, then every field, strictly: all bytes consumed, every length
    /// checked against its limit before it is used.
    pub fn from_bytes(bytes: &[u8]) -> Result<Invite, InviteError> {
        let version = *bytes.first().ok_or(InviteError::Damaged)?;
        if version != INVITE_VERSION {
            return Err(InviteError::UnsupportedVersion(version));
        }
        if bytes.len() < 1 + INVITE_CHECKSUM_LEN {
            return Err(InviteError::Damaged);
        }
        let (body, sum) = bytes.split_at(bytes.len() - INVITE_CHECKSUM_LEN);
        // Not secret: a plain comparison is fine.
        if checksum(body) != sum {
            return Err(InviteError::Damaged);
        }
        let mut r = Reader::new(&body[1..]);
        let relay_bytes = r.short_bytes("relay address", MAX_RELAY_ADDRESS_LEN)?;
        let relay_text = std::str::from_utf8(relay_bytes)
            .map_err(|_| DecodeError::InvalidValue("relay address"))?;
        let relay = relay_text
            .parse::<RelayAddress>()
            .map_err(InviteError::BadRelayAddress)?;
        // One spelling only: the parser trims white space, the format does not.
        if relay.to_string() != relay_text {
            return Err(InviteError::BadRelayAddress(AddressError::BadHostPort));
        }
        let send_id = SendId(r.array()?);
        let seal_key = r.array()?;
        let expires_at = r.u64()?;
        let key_package = r.short_bytes("key package", MAX_KEY_PACKAGE_LEN)?.to_vec();
        check_key_package(&key_package)?;
        r.finish()?;
        Ok(Invite {
            relay,
            send_id,
            seal_key,
            key_package,
            expires_at,
        })
    }

    /// The text form: `sanad-invite:` and the binary form in base64url
    /// without padding. One line, no white space.
    pub fn to_text(&self) -> Result<String, InviteError> {
        let bytes = self.to_bytes()?;
        let mut s = String::with_capacity(INVITE_PREFIX.len() + bytes.len().div_ceil(3) * 4);
        s.push_str(INVITE_PREFIX);
        URL_SAFE_NO_PAD.encode_string(&bytes, &mut s);
        Ok(s)
    }

    /// What a QR code of the invite carries: exactly the text form, so a
    /// scanned code and a pasted text go through the same [`Invite::parse`].
    pub fn to_qr_payload(&self) -> Result<String, InviteError> {
        self.to_text()
    }

    /// Parse the text form as people paste it: white space around the text
    /// and ASCII white space anywhere inside it (line breaks and spaces that
    /// chat apps insert) are ignored, and the prefix may be in any ASCII
    /// case. The length is bounded by [`MAX_INVITE_TEXT_LEN`] before anything
    /// is decoded.
    pub fn parse(text: &str) -> Result<Invite, InviteError> {
        if text.len() > MAX_INVITE_TEXT_LEN {
            return Err(InviteError::TooLong);
        }
        let compact: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let prefix_len = INVITE_PREFIX.len();
        let payload = match compact.get(..prefix_len) {
            Some(p) if p.eq_ignore_ascii_case(INVITE_PREFIX) => &compact[prefix_len..],
            _ => return Err(InviteError::NotAnInvite),
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| InviteError::Damaged)?;
        Invite::from_bytes(&bytes)
    }

    /// `Ok` while `now` (Unix seconds) is before `expires_at`; from
    /// `expires_at` on, [`InviteError::Expired`].
    pub fn check_not_expired(&self, now: u64) -> Result<(), InviteError> {
        if now < self.expires_at {
            Ok(())
        } else {
            Err(InviteError::Expired {
                expired_at: self.expires_at,
            })
        }
    }
}

impl FromStr for Invite {
    type Err = InviteError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Invite::parse(s)
    }
}

/// Identifiers and keys stay out of logs: only the relay (which its users
/// already share) and sizes are shown.
impl fmt::Debug for Invite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invite")
            .field("relay", &self.relay)
            .field("send_id", &self.send_id)
            .field("seal_key", &format_args!(".."))
            .field(
                "key_package",
                &format_args!("<{} bytes>", self.key_package.len()),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

fn check_key_package(kp: &[u8]) -> Result<(), DecodeError> {
    if kp.len() > MAX_KEY_PACKAGE_LEN {
        return Err(DecodeError::TooLong {
            field: "key package",
            len: kp.len() as u64,
            max: MAX_KEY_PACKAGE_LEN as u64,
        });
    }
    if kp.is_empty() {
        return Err(DecodeError::InvalidValue("key package"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::SpkiPin;

    fn invite() -> Invite {
        Invite {
            relay: "sanad://relay.example.org:443?pin=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"
                .parse()
                .expect("valid address"),
            send_id: SendId([b'S'; 16]),
            seal_key: [7; 32],
            key_package: vec![0xab; 300],
            expires_at: 1_700_086_400,
        }
    }

    #[test]
    fn invite_round_trips_through_its_text() {
        let i = invite();
        let text = i.to_text().expect("encodes");
        assert!(text.starts_with(INVITE_PREFIX));
        assert!(!text.contains(char::is_whitespace));
        assert_eq!(Invite::parse(&text), Ok(i.clone()));
        assert_eq!(i.to_qr_payload(), Ok(text));
    }

    #[test]
    fn pasted_invite_with_line_breaks_spaces_and_a_capital_prefix_still_parses() {
        let i = invite();
        let text = i.to_text().expect("encodes");
        let mut messy = String::from("\n  SANAD-Invite: ");
        for (n, c) in text[INVITE_PREFIX.len()..].chars().enumerate() {
            if n % 37 == 36 {
                messy.push_str("\r\n");
            }
            if n % 11 == 10 {
                messy.push(' ');
            }
            messy.push(c);
        }
        messy.push_str("\t\n");
        assert_eq!(Invite::parse(&messy), Ok(i));
    }

    #[test]
    fn cut_or_altered_invite_is_reported_as_damaged() {
        let text = invite().to_text().expect("encodes");
        for cut in [text.len() - 1, text.len() - 3, text.len() / 2, 14] {
            assert_eq!(
                Invite::parse(&text[..cut]),
                Err(InviteError::Damaged),
                "cut at {cut}"
            );
        }
        let mut altered = text.into_bytes();
        let i = altered.len() - 20;
        altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).expect("ASCII");
        assert_eq!(Invite::parse(&altered), Err(InviteError::Damaged));
        assert_eq!(
            Invite::parse("sanad-invite:"),
            Err(InviteError::Damaged),
            "empty payload"
        );
        assert_eq!(
            Invite::parse("sanad-invite:AQ=="),
            Err(InviteError::Damaged),
            "padding is not part of the format"
        );
    }

    #[test]
    fn text_without_the_prefix_is_not_an_invite() {
        let text = invite().to_text().expect("encodes");
        for bad in [
            "",
            "hello",
            "sanad-invit",
            &text[INVITE_PREFIX.len()..],
            "sanad://relay.example.org:443?pin=x",
            "invite: sanad-invite:AAAA",
        ] {
            assert_eq!(Invite::parse(bad), Err(InviteError::NotAnInvite), "{bad}");
        }
    }

    #[test]
    fn text_over_the_limit_is_refused_before_decoding() {
        let long = format!("sanad-invite:{}", "A".repeat(MAX_INVITE_TEXT_LEN));
        assert_eq!(Invite::parse(&long), Err(InviteError::TooLong));
        let spaces = " ".repeat(MAX_INVITE_TEXT_LEN + 1);
        assert_eq!(Invite::parse(&spaces), Err(InviteError::TooLong));
    }

    #[test]
    fn a_newer_version_is_reported_even_though_its_checksum_differs() {
        let mut b = invite().to_bytes().expect("encodes");
        b[0] = 2;
        assert_eq!(
            Invite::from_bytes(&b),
            Err(InviteError::UnsupportedVersion(2))
        );
        let text = format!("{INVITE_PREFIX}{}", URL_SAFE_NO_PAD.encode(&b));
        assert_eq!(
            Invite::parse(&text),
            Err(InviteError::UnsupportedVersion(2))
        );
    }

    #[test]
    fn expiry_starts_at_expires_at() {
        let i = invite();
        assert_eq!(i.check_not_expired(i.expires_at - 1), Ok(()));
        let expired = Err(InviteError::Expired {
            expired_at: i.expires_at,
        });
        assert_eq!(i.check_not_expired(i.expires_at), expired);
        assert_eq!(i.check_not_expired(u64::MAX), expired);
    }

    #[test]
    fn encoder_refuses_what_the_decoder_would_refuse() {
        let mut i = invite();
        i.key_package.clear();
        assert_eq!(
            i.to_text(),
            Err(InviteError::Malformed(DecodeError::InvalidValue(
                "key package"
            )))
        );
        i.key_package = vec![1; MAX_KEY_PACKAGE_LEN + 1];
        assert!(matches!(
            i.to_text(),
            Err(InviteError::Malformed(DecodeError::TooLong { .. }))
        ));
        i.key_package = vec![1; MAX_KEY_PACKAGE_LEN];
        assert!(i.to_text().is_ok());
        let mut i = invite();
        i.relay = RelayAddress {
            host: "relay.example.org?pin=x".into(),
            port: 1,
            pin: SpkiPin([0; 32]),
        };
        assert!(matches!(i.to_text(), Err(InviteError::BadRelayAddress(_))));
    }

    #[test]
    fn largest_invite_text_fits_the_text_limit_with_room_for_line_breaks() {
        let i = Invite {
            relay: RelayAddress {
                host: "a".repeat(crate::limits::MAX_HOST_LEN),
                port: 65535,
                pin: SpkiPin([0xff; 32]),
            },
            key_package: vec![0xff; MAX_KEY_PACKAGE_LEN],
            ..invite()
        };
        let text = i.to_text().expect("largest invite encodes");
        assert!(
            text.len() + text.len() / 20 < MAX_INVITE_TEXT_LEN,
            "{}",
            text.len()
        );
    }

    #[test]
    fn debug_output_shows_no_keys_or_identifiers() {
        let s = format!("{:?}", invite());
        assert!(
            !s.contains("171") && !s.contains("7, 7") && !s.contains("83"),
            "{s}"
        );
        assert!(s.contains("<300 bytes>"));
    }
}
