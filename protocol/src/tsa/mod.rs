//! RFC 3161 timestamp tokens, as pure functions: the request the Tunis desk
//! sends a timestamp authority (TSA) to anchor a log checkpoint, and the
//! offline verification of the token it answers (`docs/anchoring.md`).
//!
//! A token is a CMS `SignedData` (RFC 5652) whose content is a `TSTInfo`:
//! the TSA's signed statement that it saw a given SHA-256 hash no later than
//! `genTime`. [`verify_token`] checks, against TSA certificates the verifier
//! chose to trust (never against certificates the token carries):
//!
//! - the token is DER `SignedData` with one signer and an encapsulated
//!   `TSTInfo`, at most [`MAX_TSA_TOKEN_LEN`] bytes;
//! - the signer (`issuerAndSerialNumber` or `subjectKeyIdentifier`) is one
//!   of the trusted certificates;
//! - the signed attributes hold `content-type = id-ct-TSTInfo` and
//!   `message-digest` = the digest of the `TSTInfo`, and the signature over
//!   them verifies (ECDSA P-256 or P-384, RSA PKCS#1 v1.5 or PSS, with
//!   SHA-256, SHA-384 or SHA-512);
//! - an ESS signing-certificate attribute (v1 or v2), when present, names
//!   that certificate;
//! - the certificate's extended key usage is exactly `id-kp-timeStamping`
//!   and critical, its key usage (if any) allows signing, and it was valid
//!   at `genTime`;
//! - the `TSTInfo` is version 1 without unknown critical extensions, its
//!   TSA name (if a directory name) is the certificate's subject, and its
//!   message imprint is SHA-256 of the stamped bytes (else
//!   [`TsaError::OtherHash`]);
//! - for a fresh response ([`verify_fresh_token`]), the nonce is the one
//!   sent.
//!
//! What this module does not do: no clock (a certificate's validity is
//! judged at the token's own time, not now), no revocation checks, no
//! chain building: the trusted certificate is the TSA's signing certificate
//! itself, pinned by the verifier.

mod asn1;
mod error;
mod verify;

use sha2::{Digest as _, Sha256};

pub use error::{FailureInfo, FailureReason, PkiStatus, TsaError};

use crate::limits::{MAX_TSA_CERT_LEN, MAX_TSA_RESPONSE_LEN, MAX_TSA_TOKEN_LEN};

/// The media type of a request (RFC 3161 §3.4).
pub const REQUEST_MEDIA_TYPE: &str = "application/timestamp-query";

/// The media type of a response (RFC 3161 §3.4).
pub const RESPONSE_MEDIA_TYPE: &str = "application/timestamp-reply";

/// A timestamp token that verified. Only [`verify_token`] and
/// [`verify_fresh_token`] make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTimestamp {
    gen_time: u64,
    tsa_name: String,
    serial: Vec<u8>,
    hash: [u8; 32],
    policy: String,
}

impl VerifiedTimestamp {
    /// When the TSA saw the hash: `genTime`, in whole seconds since the Unix
    /// epoch (UTC; any fraction dropped).
    pub fn gen_time(&self) -> u64 {
        self.gen_time
    }

    /// The TSA certificate's subject, as an RFC 4514 string (control
    /// characters escaped).
    pub fn tsa_name(&self) -> &str {
        &self.tsa_name
    }

    /// The token's serial number (DER `INTEGER` content bytes), unique per
    /// TSA.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// The stamped hash: SHA-256 of the stamped bytes.
    pub fn hash(&self) -> &[u8; 32] {
        &self.hash
    }

    /// The TSA policy the token was issued under (dotted OID).
    pub fn policy(&self) -> &str {
        &self.policy
    }
}

/// A DER `TimeStampReq` for SHA-256 of `stamped`, with `nonce` (fresh
/// random bytes from the caller) and `certReq` true.
pub fn request(stamped: &[u8], nonce: [u8; 16]) -> Vec<u8> {
    let hash: [u8; 32] = Sha256::digest(stamped).into();
    asn1::encode_request(&hash, &nonce)
}

/// The token of a DER `TimeStampResp`, which must be granted (or granted
/// with modifications); a refusal is [`TsaError::Rejected`] with the TSA's
/// status and failure reasons. The token is not verified here.
pub fn token_from_response(resp_der: &[u8]) -> Result<Vec<u8>, TsaError> {
    if resp_der.len() > MAX_TSA_RESPONSE_LEN {
        return Err(TsaError::ResponseTooLong {
            len: resp_der.len(),
            max: MAX_TSA_RESPONSE_LEN,
        });
    }
    let response = asn1::decode_response(resp_der)?;
    if !response.status.is_granted() {
        return Err(TsaError::Rejected {
            status: response.status,
            failure: response.failure,
        });
    }
    let token = response.token.ok_or(TsaError::NoToken)?;
    if token.len() > MAX_TSA_TOKEN_LEN {
        return Err(TsaError::TokenTooLong {
            len: token.len(),
            max: MAX_TSA_TOKEN_LEN,
        });
    }
    Ok(token.to_vec())
}

/// Verify a stored token (DER `ContentInfo`) for `stamped` against the
/// trusted TSA certificates (DER), as a verifier does offline.
pub fn verify_token(
    token_der: &[u8],
    stamped: &[u8],
    trusted_certs_der: &[&[u8]],
) -> Result<VerifiedTimestamp, TsaError> {
    verify::verify(token_der, stamped, None, trusted_certs_der)
}

/// The DER of a TSA certificate given as a file: DER as it is, or the first
/// PEM `CERTIFICATE` block (how many TSAs publish theirs). The result is
/// checked to be one X.509 certificate of at most [`MAX_TSA_CERT_LEN`]
/// bytes; a verifier passes it to [`verify_token`].
pub fn certificate_der(file: &[u8]) -> Result<Vec<u8>, TsaError> {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use der::Decode as _;

    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    // Base64 of the largest certificate, with line breaks and headers.
    if file.len() > 2 * MAX_TSA_CERT_LEN {
        return Err(TsaError::CertificateFile);
    }
    let der = match file.windows(BEGIN.len()).position(|w| w == BEGIN) {
        None => file.to_vec(),
        Some(at) => {
            let body = file.get(at + BEGIN.len()..).unwrap_or_default();
            let end = body
                .windows(END.len())
                .position(|w| w == END)
                .ok_or(TsaError::CertificateFile)?;
            let text: Vec<u8> = body
                .get(..end)
                .unwrap_or_default()
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            STANDARD
                .decode(text)
                .map_err(|_| TsaError::CertificateFile)?
        }
    };
    if der.len() > MAX_TSA_CERT_LEN || x509_cert::Certificate::from_der(&der).is_err() {
        return Err(TsaError::CertificateFile);
    }
    Ok(der)
}

/// Verify a token just received for the request made with `nonce`: as
/// [`verify_token`], and the token must carry that nonce.
pub fn verify_fresh_token(
    token_der: &[u8],
    stamped: &[u8],
    nonce: [u8; 16],
    trusted_certs_der: &[&[u8]],
) -> Result<VerifiedTimestamp, TsaError> {
    let nonce = asn1::unsigned_integer_content(&nonce);
    verify::verify(token_der, stamped, Some(&nonce), trusted_certs_der)
}
