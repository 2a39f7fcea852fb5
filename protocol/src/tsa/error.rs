//! Why a timestamp response or token is refused: one variant per failure a
//! caller may treat differently, and the RFC 3161 status of a refusal.

use std::fmt;

/// Why a timestamp response or token is refused.
///
/// No message carries token bytes; the names printed are those of the
/// structure or check that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TsaError {
    /// The token is longer than [`MAX_TSA_TOKEN_LEN`](crate::limits::MAX_TSA_TOKEN_LEN).
    #[error("the timestamp token is {len} bytes long; at most {max} are accepted")]
    TokenTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The response is longer than
    /// [`MAX_TSA_RESPONSE_LEN`](crate::limits::MAX_TSA_RESPONSE_LEN).
    #[error("the timestamp response is {len} bytes long; at most {max} are accepted")]
    ResponseTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A structure is not valid DER of the expected shape; the structure is
    /// named.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The timestamp authority did not grant the request.
    #[error("the timestamp authority refused the request: {status} ({failure})")]
    Rejected {
        /// The `PKIStatus` it answered.
        status: PkiStatus,
        /// The failure reasons it gave (possibly none).
        failure: FailureInfo,
    },
    /// The status says granted but no token follows.
    #[error("the timestamp response is granted but carries no token")]
    NoToken,
    /// The token is a CMS `ContentInfo` of another type than `SignedData`.
    #[error("the timestamp token is not CMS SignedData")]
    NotSignedData,
    /// The signed content is not an RFC 3161 `TSTInfo`.
    #[error("the timestamp token does not sign a TSTInfo")]
    NotTstInfo,
    /// A timestamp token has exactly one signer, the TSA.
    #[error("a timestamp token has exactly one signer; this one has {0}")]
    SignerCount(usize),
    /// The verifier was given no TSA certificate to trust.
    #[error("no trusted TSA certificate was given")]
    NoTrustedCertificates,
    /// More trusted certificates than
    /// [`MAX_TSA_TRUSTED_CERTS`](crate::limits::MAX_TSA_TRUSTED_CERTS).
    #[error("{count} trusted TSA certificates were given; at most {max} are accepted")]
    TooManyTrustedCertificates {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A trusted certificate is not a DER X.509 certificate of at most
    /// [`MAX_TSA_CERT_LEN`](crate::limits::MAX_TSA_CERT_LEN) bytes.
    #[error("trusted TSA certificate number {index} cannot be read as a DER X.509 certificate")]
    BadTrustedCertificate {
        /// Its position in the list given (from 0).
        index: usize,
    },
    /// A certificate file is neither one DER X.509 certificate nor a PEM
    /// `CERTIFICATE` block holding one (of at most
    /// [`MAX_TSA_CERT_LEN`](crate::limits::MAX_TSA_CERT_LEN) bytes).
    #[error("the file is not an X.509 certificate (DER or PEM)")]
    CertificateFile,
    /// The token's signer is none of the trusted certificates.
    #[error("the timestamp token was not signed by any of the trusted TSA certificates")]
    UntrustedSigner,
    /// A digest algorithm other than SHA-256, SHA-384 or SHA-512 (or SHA-1
    /// in a legacy signing-certificate attribute).
    #[error("the timestamp token uses a digest algorithm that is not supported")]
    UnsupportedDigest,
    /// A signature algorithm, or a key, other than ECDSA P-256 or P-384 and
    /// RSA PKCS#1 v1.5 or PSS (2048 to 8192 bits), or one that does not fit
    /// the certificate's key.
    #[error("the timestamp token uses a signature algorithm or key that is not supported")]
    UnsupportedSignature,
    /// The `SignerInfo` has no signed attributes (RFC 3161 requires them).
    #[error("the timestamp token has no signed attributes")]
    SignedAttributesMissing,
    /// More signed attributes than
    /// [`MAX_TSA_SIGNED_ATTRS`](crate::limits::MAX_TSA_SIGNED_ATTRS), or an
    /// attribute with no value or too many.
    #[error("the timestamp token's signed attributes exceed the accepted bounds")]
    SignedAttributesBounds,
    /// A signed attribute that must appear once appears twice, or has more
    /// than one value.
    #[error("a signed attribute of the timestamp token appears more than once")]
    DuplicateAttribute,
    /// The content-type signed attribute is missing or is not
    /// `id-ct-TSTInfo`.
    #[error("the timestamp token's content-type attribute is missing or is not id-ct-TSTInfo")]
    ContentTypeAttribute,
    /// The message-digest signed attribute is missing.
    #[error("the timestamp token has no message-digest attribute")]
    MessageDigestMissing,
    /// The message-digest attribute is not the digest of the signed
    /// `TSTInfo`.
    #[error("the timestamp token's message digest does not match its TSTInfo")]
    MessageDigestMismatch,
    /// The signature over the signed attributes does not verify with the
    /// trusted certificate's key.
    #[error("the timestamp token's signature does not verify")]
    BadSignature,
    /// The ESS signing-certificate attribute names another certificate.
    #[error("the timestamp token's signing-certificate attribute names another certificate")]
    SigningCertificateMismatch,
    /// The signer's certificate has no extended key usage extension.
    #[error("the TSA certificate has no extended key usage (timeStamping is required)")]
    TimeStampingUsageMissing,
    /// The extended key usage extension is not marked critical.
    #[error("the TSA certificate's extended key usage is not critical")]
    TimeStampingUsageNotCritical,
    /// The extended key usage is not exactly `id-kp-timeStamping`, or the
    /// extension appears twice.
    #[error("the TSA certificate's extended key usage is not timeStamping alone")]
    TimeStampingUsageNotExclusive,
    /// The certificate's key usage allows neither digital signature nor
    /// non-repudiation.
    #[error("the TSA certificate's key usage does not allow signing")]
    KeyUsageForbidsSigning,
    /// The token's time is outside the certificate's validity period.
    #[error("the TSA certificate was not valid at the time the token states")]
    CertificateNotValidAtGenTime,
    /// The `TSTInfo` names its TSA with a directory name that is not the
    /// signer certificate's subject (RFC 3161 §2.4.2).
    #[error("the TSTInfo names another TSA than the certificate that signed it")]
    TsaNameMismatch,
    /// The `TSTInfo` version is not 1.
    #[error("the TSTInfo version is not 1")]
    UnsupportedVersion,
    /// The `TSTInfo` carries a critical extension this verifier does not
    /// know.
    #[error("the TSTInfo carries an unknown critical extension")]
    UnsupportedCriticalExtension,
    /// The token stamps a hash made with another algorithm than SHA-256.
    #[error("the timestamp token's message imprint is not a SHA-256 hash")]
    ImprintNotSha256,
    /// The token is genuine but stamps a different hash than that of the
    /// bytes checked.
    #[error("the timestamp token is for other data (its hash differs)")]
    OtherHash,
    /// A fresh response does not echo the request's nonce.
    #[error("the timestamp response does not carry the request's nonce")]
    NonceMismatch,
}

/// `PKIStatus` (RFC 3161 §2.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkiStatus {
    /// 0: a token is present.
    Granted,
    /// 1: a token is present, with modifications the requester asked for.
    GrantedWithMods,
    /// 2: refused.
    Rejection,
    /// 3: not yet ready.
    Waiting,
    /// 4: a revocation is imminent.
    RevocationWarning,
    /// 5: a revocation has occurred.
    RevocationNotification,
    /// Any other value.
    Other(u32),
}

impl PkiStatus {
    pub(crate) fn from_u32(value: u32) -> Self {
        match value {
            0 => Self::Granted,
            1 => Self::GrantedWithMods,
            2 => Self::Rejection,
            3 => Self::Waiting,
            4 => Self::RevocationWarning,
            5 => Self::RevocationNotification,
            other => Self::Other(other),
        }
    }

    /// Whether a token comes with this status.
    pub fn is_granted(self) -> bool {
        matches!(self, Self::Granted | Self::GrantedWithMods)
    }
}

impl fmt::Display for PkiStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Granted => f.write_str("granted"),
            Self::GrantedWithMods => f.write_str("grantedWithMods"),
            Self::Rejection => f.write_str("rejection"),
            Self::Waiting => f.write_str("waiting"),
            Self::RevocationWarning => f.write_str("revocationWarning"),
            Self::RevocationNotification => f.write_str("revocationNotification"),
            Self::Other(value) => write!(f, "status {value}"),
        }
    }
}

/// One reason of `PKIFailureInfo` (RFC 3161 §2.4.2), with its bit number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    /// Bit 0: unrecognised or unsupported algorithm.
    BadAlg = 0,
    /// Bit 2: transaction not permitted or supported.
    BadRequest = 2,
    /// Bit 5: the data submitted has the wrong format.
    BadDataFormat = 5,
    /// Bit 14: the TSA's time source is not available.
    TimeNotAvailable = 14,
    /// Bit 15: the requested policy is not supported.
    UnacceptedPolicy = 15,
    /// Bit 16: the requested extension is not supported.
    UnacceptedExtension = 16,
    /// Bit 17: the additional information is not understood or available.
    AddInfoNotAvailable = 17,
    /// Bit 25: the request cannot be handled due to a system failure.
    SystemFailure = 25,
}

impl FailureReason {
    const ALL: [FailureReason; 8] = [
        Self::BadAlg,
        Self::BadRequest,
        Self::BadDataFormat,
        Self::TimeNotAvailable,
        Self::UnacceptedPolicy,
        Self::UnacceptedExtension,
        Self::AddInfoNotAvailable,
        Self::SystemFailure,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::BadAlg => "badAlg",
            Self::BadRequest => "badRequest",
            Self::BadDataFormat => "badDataFormat",
            Self::TimeNotAvailable => "timeNotAvailable",
            Self::UnacceptedPolicy => "unacceptedPolicy",
            Self::UnacceptedExtension => "unacceptedExtension",
            Self::AddInfoNotAvailable => "addInfoNotAvailable",
            Self::SystemFailure => "systemFailure",
        }
    }
}

/// `PKIFailureInfo`: the bits a refusal set (bit 0 is the first named bit of
/// the ASN.1 `BIT STRING`); bits past 31 are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureInfo(pub u32);

impl FailureInfo {
    /// Whether `reason` is set.
    pub fn contains(self, reason: FailureReason) -> bool {
        self.0 & (1 << reason as u32) != 0
    }

    /// The named reasons set, in bit order.
    pub fn reasons(self) -> Vec<FailureReason> {
        FailureReason::ALL
            .into_iter()
            .filter(|reason| self.contains(*reason))
            .collect()
    }
}

impl fmt::Display for FailureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("no reason given");
        }
        let mut first = true;
        for bit in 0..32u32 {
            if self.0 & (1 << bit) == 0 {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            match FailureReason::ALL.iter().find(|r| **r as u32 == bit) {
                Some(reason) => f.write_str(reason.name())?,
                None => write!(f, "bit {bit}")?,
            }
        }
        Ok(())
    }
}
