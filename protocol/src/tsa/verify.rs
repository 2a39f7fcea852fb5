//! Verification of a timestamp token against trusted TSA certificates.
//!
//! The order of the checks: bounds; the trusted certificates; the token's
//! structure; the content-type and message-digest attributes; the signer
//! among the trusted certificates and its signature over the signed
//! attributes; the ESS signing-certificate attribute; the certificate's
//! usage; and only then the authenticated `TSTInfo` (version, extensions,
//! validity at `genTime`, TSA name, imprint, nonce).

use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Tagged};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use sha2::{Digest as _, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierRef;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, SubjectKeyIdentifier};
use x509_cert::Certificate;

use super::asn1::{self, oid, Attribute, Der, EssCertId, SignerId};
use super::error::TsaError;
use super::VerifiedTimestamp;
use crate::limits::{MAX_TSA_CERT_LEN, MAX_TSA_TOKEN_LEN, MAX_TSA_TRUSTED_CERTS};

/// A trusted certificate: its DER as given and its decoded form.
struct Trusted<'a> {
    der: &'a [u8],
    cert: Certificate,
}

/// The hash functions a signer may use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DigestAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            oid::SHA256 => Some(Self::Sha256),
            oid::SHA384 => Some(Self::Sha384),
            oid::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// From an `AlgorithmIdentifier` whose parameters are absent or NULL
    /// (RFC 5754 §2: both must be accepted).
    fn from_algorithm(alg: &AlgorithmIdentifierRef<'_>) -> Result<Self, TsaError> {
        if !params_absent_or_null(alg) {
            return Err(TsaError::UnsupportedDigest);
        }
        Self::from_oid(&alg.oid).ok_or(TsaError::UnsupportedDigest)
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn rsa_pkcs1(self) -> &'static ring::signature::RsaParameters {
        match self {
            Self::Sha256 => &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            Self::Sha384 => &ring::signature::RSA_PKCS1_2048_8192_SHA384,
            Self::Sha512 => &ring::signature::RSA_PKCS1_2048_8192_SHA512,
        }
    }

    fn rsa_pss(self) -> &'static ring::signature::RsaParameters {
        match self {
            Self::Sha256 => &ring::signature::RSA_PSS_2048_8192_SHA256,
            Self::Sha384 => &ring::signature::RSA_PSS_2048_8192_SHA384,
            Self::Sha512 => &ring::signature::RSA_PSS_2048_8192_SHA512,
        }
    }

    fn output_len(self) -> u32 {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

fn params_absent_or_null(alg: &AlgorithmIdentifierRef<'_>) -> bool {
    match alg.parameters {
        None => true,
        Some(params) => params.is_null(),
    }
}

/// Verify `token` for `stamped` against `trusted`; with `nonce` (the
/// content bytes of the request's nonce `INTEGER`) also require that nonce.
pub(crate) fn verify(
    token: &[u8],
    stamped: &[u8],
    nonce: Option<&[u8]>,
    trusted: &[&[u8]],
) -> Result<VerifiedTimestamp, TsaError> {
    if token.len() > MAX_TSA_TOKEN_LEN {
        return Err(TsaError::TokenTooLong {
            len: token.len(),
            max: MAX_TSA_TOKEN_LEN,
        });
    }
    let trusted = decode_trusted(trusted)?;

    let token = asn1::decode_token(token)?;
    let signer = &token.signer;
    let digest_alg = DigestAlg::from_algorithm(&signer.digest_algorithm)?;
    let attrs_element = signer
        .signed_attrs
        .ok_or(TsaError::SignedAttributesMissing)?;
    let attrs = asn1::decode_signed_attrs(attrs_element)?;

    // content-type = id-ct-TSTInfo
    let content_type =
        single_value(&attrs, &oid::CONTENT_TYPE)?.ok_or(TsaError::ContentTypeAttribute)?;
    if ObjectIdentifier::from_der(content_type).ok() != Some(oid::CT_TST_INFO) {
        return Err(TsaError::ContentTypeAttribute);
    }
    // message-digest = digest of the TSTInfo
    let message_digest =
        single_value(&attrs, &oid::MESSAGE_DIGEST)?.ok_or(TsaError::MessageDigestMissing)?;
    let message_digest = OctetStringRef::from_der(message_digest)
        .map_err(|_| TsaError::Malformed("message-digest attribute"))?;
    if message_digest.as_bytes() != digest_alg.digest(token.tst_info).as_slice() {
        return Err(TsaError::MessageDigestMismatch);
    }

    // The signer: a trusted certificate named by the sid whose key verifies
    // the signature over the signed attributes.
    let signed_bytes = asn1::signed_attrs_for_signature(attrs_element);
    let mut outcome = Err(TsaError::UntrustedSigner);
    for candidate in trusted
        .iter()
        .filter(|t| names_signer(&signer.sid, &t.cert))
    {
        outcome = verify_signature(
            &candidate.cert,
            &signer.signature_algorithm,
            digest_alg,
            &signed_bytes,
            signer.signature,
        )
        .map(|()| candidate);
        if outcome.is_ok() {
            break;
        }
    }
    let signer_cert = outcome?;

    check_signing_certificate_attrs(&attrs, signer_cert)?;
    check_time_stamping_usage(&signer_cert.cert)?;

    // The TSTInfo is authenticated from here on.
    let tst = asn1::decode_tst_info(token.tst_info)?;
    if tst.version != 1 {
        return Err(TsaError::UnsupportedVersion);
    }
    if tst.extensions.iter().any(|ext| ext.critical) {
        return Err(TsaError::UnsupportedCriticalExtension);
    }
    let validity = &signer_cert.cert.tbs_certificate.validity;
    let not_before = validity.not_before.to_unix_duration().as_secs();
    let not_after = validity.not_after.to_unix_duration().as_secs();
    if tst.gen_time < not_before || tst.gen_time > not_after {
        return Err(TsaError::CertificateNotValidAtGenTime);
    }
    if let Some(GeneralName::DirectoryName(name)) = &tst.tsa {
        if *name != signer_cert.cert.tbs_certificate.subject {
            return Err(TsaError::TsaNameMismatch);
        }
    }
    if tst.imprint_algorithm.oid != oid::SHA256 || !params_absent_or_null(&tst.imprint_algorithm) {
        return Err(TsaError::ImprintNotSha256);
    }
    let hash: [u8; 32] = Sha256::digest(stamped).into();
    if tst.imprint != hash {
        return Err(TsaError::OtherHash);
    }
    if let Some(expected) = nonce {
        if tst.nonce != Some(expected) {
            return Err(TsaError::NonceMismatch);
        }
    }
    Ok(VerifiedTimestamp {
        gen_time: tst.gen_time,
        tsa_name: signer_cert.cert.tbs_certificate.subject.to_string(),
        serial: tst.serial.to_vec(),
        hash,
        policy: tst.policy.to_string(),
    })
}

fn decode_trusted<'a>(trusted: &[&'a [u8]]) -> Result<Vec<Trusted<'a>>, TsaError> {
    if trusted.is_empty() {
        return Err(TsaError::NoTrustedCertificates);
    }
    if trusted.len() > MAX_TSA_TRUSTED_CERTS {
        return Err(TsaError::TooManyTrustedCertificates {
            count: trusted.len(),
            max: MAX_TSA_TRUSTED_CERTS,
        });
    }
    trusted
        .iter()
        .enumerate()
        .map(|(index, der)| {
            if der.len() > MAX_TSA_CERT_LEN {
                return Err(TsaError::BadTrustedCertificate { index });
            }
            let cert = Certificate::from_der(der)
                .map_err(|_| TsaError::BadTrustedCertificate { index })?;
            Ok(Trusted { der, cert })
        })
        .collect()
}

/// The one value of the attribute `oid`, if the attribute is present; an
/// attribute present twice or with several values is refused.
fn single_value<'a>(
    attrs: &[Attribute<'a>],
    oid: &ObjectIdentifier,
) -> Result<Option<&'a [u8]>, TsaError> {
    let mut found = attrs.iter().filter(|a| a.oid == *oid);
    let Some(attr) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() {
        return Err(TsaError::DuplicateAttribute);
    }
    match attr.values.as_slice() {
        [value] => Ok(Some(value)),
        _ => Err(TsaError::DuplicateAttribute),
    }
}

/// Whether the `SignerInfo` sid names this certificate.
fn names_signer(sid: &SignerId<'_>, cert: &Certificate) -> bool {
    let tbs = &cert.tbs_certificate;
    match sid {
        SignerId::IssuerSerial { issuer, serial } => {
            tbs.issuer == *issuer && tbs.serial_number.as_bytes() == *serial
        }
        SignerId::KeyId(key_id) => tbs
            .extensions
            .iter()
            .flatten()
            .filter(|ext| ext.extn_id == oid::SUBJECT_KEY_IDENTIFIER)
            .filter_map(|ext| SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes()).ok())
            .any(|ski| ski.0.as_bytes() == *key_id),
    }
}

/// Verify `signature` over `message` with the certificate's key.
fn verify_signature(
    cert: &Certificate,
    signature_algorithm: &AlgorithmIdentifierRef<'_>,
    digest_alg: DigestAlg,
    message: &[u8],
    signature: &[u8],
) -> Result<(), TsaError> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or(TsaError::UnsupportedSignature)?;
    match spki.algorithm.oid {
        oid::EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or(TsaError::UnsupportedSignature)?;
            let hash = match signature_algorithm.oid {
                oid::ECDSA_SHA256 => DigestAlg::Sha256,
                oid::ECDSA_SHA384 => DigestAlg::Sha384,
                oid::ECDSA_SHA512 => DigestAlg::Sha512,
                // Some signers name only the key type; the hash is then the
                // SignerInfo's digest algorithm.
                oid::EC_PUBLIC_KEY => digest_alg,
                _ => return Err(TsaError::UnsupportedSignature),
            };
            if signature_algorithm.parameters.is_some()
                && signature_algorithm.oid != oid::EC_PUBLIC_KEY
            {
                return Err(TsaError::UnsupportedSignature);
            }
            let prehash = hash.digest(message);
            match curve {
                oid::SECP256R1 => verify_p256(key, &prehash, signature),
                oid::SECP384R1 => verify_p384(key, &prehash, signature),
                _ => Err(TsaError::UnsupportedSignature),
            }
        }
        oid::RSA => {
            let params = match signature_algorithm.oid {
                oid::RSA if params_absent_or_null(signature_algorithm) => digest_alg.rsa_pkcs1(),
                oid::RSA_SHA256 if params_absent_or_null(signature_algorithm) => {
                    DigestAlg::Sha256.rsa_pkcs1()
                }
                oid::RSA_SHA384 if params_absent_or_null(signature_algorithm) => {
                    DigestAlg::Sha384.rsa_pkcs1()
                }
                oid::RSA_SHA512 if params_absent_or_null(signature_algorithm) => {
                    DigestAlg::Sha512.rsa_pkcs1()
                }
                oid::RSA_PSS => pss_hash(signature_algorithm)?.rsa_pss(),
                _ => return Err(TsaError::UnsupportedSignature),
            };
            // ring takes the RSAPublicKey DER and refuses keys outside
            // 2048..=8192 bits (reported as a bad signature).
            ring::signature::UnparsedPublicKey::new(params, key)
                .verify(message, signature)
                .map_err(|_| TsaError::BadSignature)
        }
        _ => Err(TsaError::UnsupportedSignature),
    }
}

/// `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`, each scalar
/// left-padded to `N` bytes.
fn ecdsa_scalars<const N: usize>(signature: &[u8]) -> Result<([u8; N], [u8; N]), TsaError> {
    let mut seq = asn1::single(signature, der::Tag::Sequence, "ECDSA signature")
        .map_err(|_| TsaError::BadSignature)?;
    let scalar = |seq: &mut Der<'_>| -> Result<[u8; N], TsaError> {
        let bytes = seq
            .decode::<der::asn1::UintRef<'_>>()
            .map_err(|_| TsaError::BadSignature)?
            .as_bytes();
        let mut out = [0u8; N];
        let start = N.checked_sub(bytes.len()).ok_or(TsaError::BadSignature)?;
        out.get_mut(start..)
            .ok_or(TsaError::BadSignature)?
            .copy_from_slice(bytes);
        Ok(out)
    };
    let r = scalar(&mut seq)?;
    let s = scalar(&mut seq)?;
    seq.finish().map_err(|_| TsaError::BadSignature)?;
    Ok((r, s))
}

fn verify_p256(key: &[u8], prehash: &[u8], signature: &[u8]) -> Result<(), TsaError> {
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
        .map_err(|_| TsaError::UnsupportedSignature)?;
    let (r, s) = ecdsa_scalars::<32>(signature)?;
    let signature =
        p256::ecdsa::Signature::from_scalars(r, s).map_err(|_| TsaError::BadSignature)?;
    key.verify_prehash(prehash, &signature)
        .map_err(|_| TsaError::BadSignature)
}

fn verify_p384(key: &[u8], prehash: &[u8], signature: &[u8]) -> Result<(), TsaError> {
    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
        .map_err(|_| TsaError::UnsupportedSignature)?;
    let (r, s) = ecdsa_scalars::<48>(signature)?;
    let signature =
        p384::ecdsa::Signature::from_scalars(r, s).map_err(|_| TsaError::BadSignature)?;
    key.verify_prehash(prehash, &signature)
        .map_err(|_| TsaError::BadSignature)
}

/// The hash of RSASSA-PSS parameters (RFC 4055 §3.1), accepted only in the
/// form ring verifies: SHA-256/384/512, MGF1 with the same hash, a salt as
/// long as the hash, the trailer field 1.
fn pss_hash(alg: &AlgorithmIdentifierRef<'_>) -> Result<DigestAlg, TsaError> {
    const BAD: TsaError = TsaError::UnsupportedSignature;
    let params = alg.parameters.ok_or(BAD)?;
    if params.tag() != der::Tag::Sequence {
        return Err(BAD);
    }
    let mut seq = Der::new(params.value(), "RSASSA-PSS parameters")?;
    let context = |n: u8| der::Tag::ContextSpecific {
        constructed: true,
        number: der::TagNumber::new(n),
    };
    // [0] hashAlgorithm: its DEFAULT (SHA-1) is not accepted.
    let mut hash_field = seq.nested(context(0), "RSASSA-PSS parameters")?;
    let hash = DigestAlg::from_algorithm(&hash_field.decode::<AlgorithmIdentifierRef<'_>>()?)
        .map_err(|_| BAD)?;
    hash_field.finish()?;
    // [1] maskGenAlgorithm: MGF1 with the same hash.
    let mut mgf_field = seq.nested(context(1), "RSASSA-PSS parameters")?;
    let mgf: AlgorithmIdentifierRef<'_> = mgf_field.decode()?;
    mgf_field.finish()?;
    let mgf_hash = mgf
        .parameters
        .and_then(|p| p.decode_as::<AlgorithmIdentifierRef<'_>>().ok())
        .ok_or(BAD)?;
    if mgf.oid != oid::MGF1 || DigestAlg::from_algorithm(&mgf_hash).ok() != Some(hash) {
        return Err(BAD);
    }
    // [2] saltLength: the hash length.
    let mut salt_field = seq.nested(context(2), "RSASSA-PSS parameters")?;
    let salt: u32 = salt_field.decode()?;
    salt_field.finish()?;
    if salt != hash.output_len() {
        return Err(BAD);
    }
    // [3] trailerField: 1, its DEFAULT, so DER omits it.
    seq.finish().map_err(|_| BAD)?;
    Ok(hash)
}

/// If the signed attributes carry ESS signing-certificate attributes, the
/// first certificate each names must be the signer's.
fn check_signing_certificate_attrs(
    attrs: &[Attribute<'_>],
    signer: &Trusted<'_>,
) -> Result<(), TsaError> {
    for (attr_oid, v2) in [
        (oid::SIGNING_CERTIFICATE, false),
        (oid::SIGNING_CERTIFICATE_V2, true),
    ] {
        if let Some(value) = single_value(attrs, &attr_oid)? {
            let id = asn1::decode_signing_certificate(value, v2)?;
            if !ess_names_cert(&id, signer)? {
                return Err(TsaError::SigningCertificateMismatch);
            }
        }
    }
    Ok(())
}

fn ess_names_cert(id: &EssCertId<'_>, signer: &Trusted<'_>) -> Result<bool, TsaError> {
    let hash = match (&id.hash_algorithm, id.v2) {
        (Some(alg), _) => DigestAlg::from_algorithm(alg)?.digest(signer.der),
        // ESSCertIDv2 without an algorithm: its DEFAULT, SHA-256.
        (None, true) => Sha256::digest(signer.der).to_vec(),
        // ESSCertID: SHA-1, which RFC 2634 fixes. It identifies a
        // certificate that is already trusted and whose key verified the
        // signature; it authenticates nothing by itself.
        (None, false) => ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, signer.der)
            .as_ref()
            .to_vec(),
    };
    if hash != id.hash {
        return Ok(false);
    }
    if let Some((names, serial)) = &id.issuer_serial {
        let tbs = &signer.cert.tbs_certificate;
        let issuer_named = names
            .iter()
            .any(|name| matches!(name, GeneralName::DirectoryName(n) if *n == tbs.issuer));
        if !issuer_named || tbs.serial_number.as_bytes() != *serial {
            return Ok(false);
        }
    }
    Ok(true)
}

/// RFC 3161 §2.3: the certificate's extended key usage is exactly
/// `id-kp-timeStamping`, in one critical extension; a key usage, when
/// present, allows signing.
fn check_time_stamping_usage(cert: &Certificate) -> Result<(), TsaError> {
    let extensions = cert
        .tbs_certificate
        .extensions
        .as_deref()
        .unwrap_or_default();
    let mut eku = extensions
        .iter()
        .filter(|e| e.extn_id == oid::EXT_KEY_USAGE);
    let ext = eku.next().ok_or(TsaError::TimeStampingUsageMissing)?;
    if eku.next().is_some() {
        return Err(TsaError::TimeStampingUsageNotExclusive);
    }
    if !ext.critical {
        return Err(TsaError::TimeStampingUsageNotCritical);
    }
    let usages = ExtendedKeyUsage::from_der(ext.extn_value.as_bytes())
        .map_err(|_| TsaError::Malformed("extended key usage"))?;
    if usages.0 != [oid::KP_TIME_STAMPING] {
        return Err(TsaError::TimeStampingUsageNotExclusive);
    }
    if let Some(ext) = extensions.iter().find(|e| e.extn_id == oid::KEY_USAGE) {
        let usage = KeyUsage::from_der(ext.extn_value.as_bytes())
            .map_err(|_| TsaError::Malformed("key usage"))?;
        if !usage.digital_signature() && !usage.non_repudiation() {
            return Err(TsaError::KeyUsageForbidsSigning);
        }
    }
    Ok(())
}
