//! The relay address string: `sanad://HOST:PORT?pin=BASE64URL`, where the pin
//! is the SHA-256 of the relay certificate's SubjectPublicKeyInfo (DER),
//! base64url without padding. An IPv6 HOST is written in brackets. One line,
//! safe to copy, paste and put in a QR code. Every address has exactly one
//! spelling: parsing then printing gives back the (trimmed) input.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::limits::MAX_HOST_LEN;

const SCHEME: &str = "sanad://";
const PIN_PARAM: &str = "?pin=";

/// SHA-256 of a certificate's SubjectPublicKeyInfo.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpkiPin(pub [u8; 32]);

impl SpkiPin {
    /// Pin the given DER-encoded SubjectPublicKeyInfo.
    pub fn of_spki(spki_der: &[u8]) -> Self {
        SpkiPin(Sha256::digest(spki_der).into())
    }

    /// Constant-time comparison.
    pub fn ct_eq(&self, other: &SpkiPin) -> bool {
        use subtle::ConstantTimeEq;
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Debug for SpkiPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpkiPin({})", URL_SAFE_NO_PAD.encode(self.0))
    }
}

/// Where a relay is and which key it must present.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RelayAddress {
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// UDP port for QUIC (the TCP fallback uses the same number unless the
    /// operator changed it).
    pub port: u16,
    /// The pinned public key.
    pub pin: SpkiPin,
}

/// Why an address string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// It does not start with `sanad://`.
    #[error("a relay address starts with sanad://")]
    Scheme,
    /// The `?pin=` part is missing.
    #[error("the relay address has no ?pin= part")]
    MissingPin,
    /// The pin is not 32 bytes of base64url.
    #[error("the relay address pin is not valid")]
    BadPin,
    /// Host or port is missing or malformed.
    #[error("the relay address host or port is not valid")]
    BadHostPort,
    /// The string is too long to be an address.
    #[error("the relay address is too long")]
    TooLong,
}

impl fmt::Display for RelayAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(
            f,
            "{SCHEME}{host}:{}{PIN_PARAM}{}",
            self.port,
            URL_SAFE_NO_PAD.encode(self.pin.0)
        )
    }
}

impl FromStr for RelayAddress {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() > MAX_HOST_LEN + 80 {
            return Err(AddressError::TooLong);
        }
        let rest = s.strip_prefix(SCHEME).ok_or(AddressError::Scheme)?;
        let (hostport, pin) = rest.split_once(PIN_PARAM).ok_or(AddressError::MissingPin)?;
        let pin_bytes = URL_SAFE_NO_PAD
            .decode(pin)
            .map_err(|_| AddressError::BadPin)?;
        let pin: [u8; 32] = pin_bytes.try_into().map_err(|_| AddressError::BadPin)?;
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, p) = v6.split_once("]:").ok_or(AddressError::BadHostPort)?;
            if h.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(AddressError::BadHostPort);
            }
            (h, p)
        } else {
            // Without brackets the host holds no colon, so the split is unambiguous
            // and an IPv6 address has exactly one spelling (in brackets).
            hostport.split_once(':').ok_or(AddressError::BadHostPort)?
        };
        let valid_host = !host.is_empty()
            && host.len() <= MAX_HOST_LEN
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
        if !valid_host {
            return Err(AddressError::BadHostPort);
        }
        // Canonical decimal only: no sign, no leading zero, so that every
        // address has one spelling (`u16::from_str` alone accepts "+80", "080").
        let canonical_port =
            !port.starts_with('0') && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        if !canonical_port {
            return Err(AddressError::BadHostPort);
        }
        let port: u16 = port.parse().map_err(|_| AddressError::BadHostPort)?;
        Ok(RelayAddress {
            host: host.to_string(),
            port,
            pin: SpkiPin(pin),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_round_trips_for_ipv4_ipv6_and_names() {
        for host in ["127.0.0.1", "::1", "relay.example.org"] {
            let a = RelayAddress {
                host: host.into(),
                port: 7443,
                pin: SpkiPin([7; 32]),
            };
            let s = a.to_string();
            assert_eq!(s.parse::<RelayAddress>(), Ok(a));
        }
    }

    #[test]
    fn address_rejects_each_malformation_with_its_error() {
        let pin = URL_SAFE_NO_PAD.encode([1u8; 32]);
        assert_eq!(
            "http://x:1?pin=a".parse::<RelayAddress>(),
            Err(AddressError::Scheme)
        );
        assert_eq!(
            "sanad://x:1".parse::<RelayAddress>(),
            Err(AddressError::MissingPin)
        );
        assert_eq!(
            "sanad://x:1?pin=AAAA".parse::<RelayAddress>(),
            Err(AddressError::BadPin)
        );
        assert_eq!(
            format!("sanad://x?pin={pin}").parse::<RelayAddress>(),
            Err(AddressError::BadHostPort)
        );
        assert_eq!(
            format!("sanad://x:0?pin={pin}").parse::<RelayAddress>(),
            Err(AddressError::BadHostPort)
        );
        assert_eq!(
            format!("sanad://x y:1?pin={pin}").parse::<RelayAddress>(),
            Err(AddressError::BadHostPort)
        );
        assert_eq!(
            format!("sanad://[zz]:1?pin={pin}").parse::<RelayAddress>(),
            Err(AddressError::BadHostPort)
        );
    }

    #[test]
    fn address_has_one_spelling_so_non_canonical_forms_are_rejected() {
        let pin = URL_SAFE_NO_PAD.encode([1u8; 32]);
        for bad in [
            "sanad://::1:7443",
            "sanad://relay.example:+7443",
            "sanad://relay.example:07443",
            "sanad://relay.example:",
            "sanad://relay.example:74 43",
            "sanad://[127.0.0.1]:7443",
            "sanad://a:b:7443",
        ] {
            assert_eq!(
                format!("{bad}?pin={pin}").parse::<RelayAddress>(),
                Err(AddressError::BadHostPort),
                "{bad}"
            );
        }
        let good = format!("  sanad://[::1]:7443?pin={pin}\n");
        let a: RelayAddress = good.parse().expect("bracketed IPv6 parses");
        assert_eq!(a.to_string(), good.trim());
    }
}
