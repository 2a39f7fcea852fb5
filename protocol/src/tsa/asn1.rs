//! The RFC 3161 and CMS (RFC 5652) structures a timestamp exchange uses,
//! encoded and decoded on `der`: the request we send, the response and
//! token we receive, the `TSTInfo` the TSA signs and the ESS
//! signing-certificate attributes (RFC 2634, RFC 5035).
//!
//! Decoding is by hand on a [`SliceReader`] rather than derived, for two
//! reasons: the signed attributes must be verified over their bytes as
//! received (a derived `SET OF` would re-sort them), and the parts a
//! verifier does not need (the certificates a token carries, CRLs,
//! unsigned attributes) are skipped as whole TLVs without being parsed.
//! Every length is checked by `der` against the input before it is used;
//! every structure must be consumed exactly.

use der::asn1::{BitStringRef, IntRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Header, Reader, SliceReader, Tag, TagNumber};
use spki::AlgorithmIdentifierRef;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use super::error::{FailureInfo, PkiStatus, TsaError};
use crate::limits::{MAX_TSA_ATTR_VALUES, MAX_TSA_SIGNED_ATTRS};

/// Object identifiers used here.
pub(crate) mod oid {
    use der::asn1::ObjectIdentifier as Oid;

    /// `id-signedData` (RFC 5652).
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// `id-ct-TSTInfo` (RFC 3161).
    pub const CT_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
    /// `id-contentType` attribute.
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// `id-messageDigest` attribute.
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// `id-aa-signingCertificate` (RFC 2634, ESSCertID with SHA-1).
    pub const SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
    /// `id-aa-signingCertificateV2` (RFC 5035, ESSCertIDv2).
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    /// SHA-256.
    pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    /// SHA-384.
    pub const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    /// SHA-512.
    pub const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    /// `id-ecPublicKey`.
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// `secp256r1` (P-256).
    pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// `secp384r1` (P-384).
    pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    /// `ecdsa-with-SHA256`.
    pub const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    /// `ecdsa-with-SHA384`.
    pub const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    /// `ecdsa-with-SHA512`.
    pub const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    /// `rsaEncryption`.
    pub const RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// `id-mgf1`.
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    /// `id-RSASSA-PSS`.
    pub const RSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    /// `sha256WithRSAEncryption`.
    pub const RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    /// `sha384WithRSAEncryption`.
    pub const RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    /// `sha512WithRSAEncryption`.
    pub const RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    /// `id-kp-timeStamping`.
    pub const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
    /// `id-ce-extKeyUsage`.
    pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
    /// `id-ce-keyUsage`.
    pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
    /// `id-ce-subjectKeyIdentifier`.
    pub const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
}

/// A context-specific tag.
fn context(number: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber::new(number),
    }
}

/// A cursor over DER with errors that name the structure being read.
pub(crate) struct Der<'a> {
    reader: SliceReader<'a>,
    what: &'static str,
}

impl<'a> Der<'a> {
    pub(crate) fn new(bytes: &'a [u8], what: &'static str) -> Result<Self, TsaError> {
        let reader = SliceReader::new(bytes).map_err(|_| TsaError::Malformed(what))?;
        Ok(Self { reader, what })
    }

    fn malformed(&self) -> TsaError {
        TsaError::Malformed(self.what)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.reader.is_finished()
    }

    /// The tag of the next element, if there is one.
    pub(crate) fn peek(&self) -> Option<Tag> {
        if self.is_empty() {
            return None;
        }
        self.reader.peek_tag().ok()
    }

    /// The value bytes of the next element, which must carry `tag`.
    pub(crate) fn value(&mut self, tag: Tag) -> Result<&'a [u8], TsaError> {
        let header = Header::decode(&mut self.reader).map_err(|_| self.malformed())?;
        if header.tag != tag {
            return Err(self.malformed());
        }
        self.reader
            .read_slice(header.length)
            .map_err(|_| self.malformed())
    }

    /// A cursor over the value of the next element, which must carry `tag`.
    pub(crate) fn nested(&mut self, tag: Tag, what: &'static str) -> Result<Der<'a>, TsaError> {
        let value = self.value(tag)?;
        Der::new(value, what)
    }

    /// The whole next element (tag, length and value), unparsed.
    pub(crate) fn tlv(&mut self) -> Result<&'a [u8], TsaError> {
        self.reader.tlv_bytes().map_err(|_| self.malformed())
    }

    /// Skip the next element if it carries `tag`; whether it did.
    fn skip_if(&mut self, tag: Tag) -> Result<bool, TsaError> {
        if self.peek() == Some(tag) {
            self.tlv()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Decode the next element as `T`.
    pub(crate) fn decode<T: Decode<'a>>(&mut self) -> Result<T, TsaError> {
        T::decode(&mut self.reader).map_err(|_| self.malformed())
    }

    /// The content bytes of the next `INTEGER` (DER-minimal, two's
    /// complement).
    pub(crate) fn integer(&mut self) -> Result<&'a [u8], TsaError> {
        Ok(self.decode::<IntRef<'a>>()?.as_bytes())
    }

    /// Nothing may follow.
    pub(crate) fn finish(self) -> Result<(), TsaError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.malformed())
        }
    }
}

/// Read exactly one element carrying `tag` from `bytes` and return a cursor
/// over its value.
pub(crate) fn single<'a>(
    bytes: &'a [u8],
    tag: Tag,
    what: &'static str,
) -> Result<Der<'a>, TsaError> {
    let mut outer = Der::new(bytes, what)?;
    let inner = outer.nested(tag, what)?;
    outer.finish()?;
    Ok(inner)
}

// ------------------------------------------------------------------------
// Request.

/// DER of `AlgorithmIdentifier { id-sha256 }` with absent parameters, the
/// encoding RFC 5754 §2 says to generate.
const SHA256_ALGORITHM_ID: [u8; 13] = [
    0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];

/// The content bytes of the DER `INTEGER` whose unsigned big-endian value is
/// `bytes`: leading zeros dropped, one zero kept in front of a high bit.
pub(crate) fn unsigned_integer_content(bytes: &[u8]) -> Vec<u8> {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    let significant = bytes.get(start..).unwrap_or_default();
    let mut out = Vec::with_capacity(significant.len() + 1);
    match significant.first() {
        None => out.push(0),
        Some(first) if first & 0x80 != 0 => {
            out.push(0);
            out.extend_from_slice(significant);
        }
        Some(_) => out.extend_from_slice(significant),
    }
    out
}

/// `TimeStampReq` (RFC 3161 §2.4.1): version 1, a SHA-256 message imprint,
/// the nonce, `certReq` true, no policy and no extensions.
pub(crate) fn encode_request(hash: &[u8; 32], nonce: &[u8; 16]) -> Vec<u8> {
    let nonce = unsigned_integer_content(nonce);
    // Every part is short, so every length fits the one-byte form.
    let imprint_len = SHA256_ALGORITHM_ID.len() + 2 + hash.len();
    let body_len = 3 + (2 + imprint_len) + (2 + nonce.len()) + 3;
    let mut out = Vec::with_capacity(2 + body_len);
    out.extend_from_slice(&[0x30, body_len as u8]);
    out.extend_from_slice(&[0x02, 0x01, 0x01]); // version v1
    out.extend_from_slice(&[0x30, imprint_len as u8]);
    out.extend_from_slice(&SHA256_ALGORITHM_ID);
    out.extend_from_slice(&[0x04, hash.len() as u8]);
    out.extend_from_slice(hash);
    out.extend_from_slice(&[0x02, nonce.len() as u8]);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&[0x01, 0x01, 0xff]); // certReq TRUE
    out
}

// ------------------------------------------------------------------------
// Response.

/// The parts of a `TimeStampResp` (RFC 3161 §2.4.2).
pub(crate) struct Response<'a> {
    pub status: PkiStatus,
    pub failure: FailureInfo,
    /// The `TimeStampToken` (a CMS `ContentInfo`), unparsed.
    pub token: Option<&'a [u8]>,
}

pub(crate) fn decode_response(bytes: &[u8]) -> Result<Response<'_>, TsaError> {
    let mut resp = single(bytes, Tag::Sequence, "TimeStampResp")?;
    let mut info = resp.nested(Tag::Sequence, "PKIStatusInfo")?;
    let status = PkiStatus::from_u32(info.decode::<u32>()?);
    // statusString: free text from the server, not shown.
    info.skip_if(Tag::Sequence)?;
    let mut failure = FailureInfo::default();
    if info.peek() == Some(Tag::BitString) {
        let bits = info.decode::<BitStringRef<'_>>()?;
        for (index, set) in bits.bits().enumerate().take(32) {
            if set {
                failure.0 |= 1 << index;
            }
        }
    }
    info.finish()?;
    let token = if resp.is_empty() {
        None
    } else {
        if resp.peek() != Some(Tag::Sequence) {
            return Err(TsaError::Malformed("TimeStampResp"));
        }
        Some(resp.tlv()?)
    };
    resp.finish()?;
    Ok(Response {
        status,
        failure,
        token,
    })
}

// ------------------------------------------------------------------------
// Token: CMS SignedData.

/// How a `SignerInfo` names its certificate (RFC 5652 §5.3).
pub(crate) enum SignerId<'a> {
    /// `issuerAndSerialNumber`.
    IssuerSerial { issuer: Name, serial: &'a [u8] },
    /// `subjectKeyIdentifier`.
    KeyId(&'a [u8]),
}

/// The one `SignerInfo` of a token, with what the verifier needs.
pub(crate) struct SignerInfo<'a> {
    pub sid: SignerId<'a>,
    pub digest_algorithm: AlgorithmIdentifierRef<'a>,
    /// The whole `[0] IMPLICIT SignedAttributes` element as received.
    pub signed_attrs: Option<&'a [u8]>,
    pub signature_algorithm: AlgorithmIdentifierRef<'a>,
    pub signature: &'a [u8],
}

/// A decoded `TimeStampToken`: the signed `TSTInfo` bytes and its signer.
pub(crate) struct Token<'a> {
    /// The DER of the encapsulated `TSTInfo`.
    pub tst_info: &'a [u8],
    pub signer: SignerInfo<'a>,
}

pub(crate) fn decode_token(bytes: &[u8]) -> Result<Token<'_>, TsaError> {
    // ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT content }
    let mut content_info = single(bytes, Tag::Sequence, "ContentInfo")?;
    let content_type: ObjectIdentifier = content_info.decode()?;
    if content_type != oid::SIGNED_DATA {
        return Err(TsaError::NotSignedData);
    }
    let mut explicit = content_info.nested(context(0, true), "ContentInfo")?;
    let mut signed_data = explicit.nested(Tag::Sequence, "SignedData")?;
    explicit.finish()?;
    content_info.finish()?;

    // version 3: the content is not id-data (RFC 5652 §5.1).
    if signed_data.decode::<u8>()? != 3 {
        return Err(TsaError::Malformed("SignedData"));
    }
    let mut digest_algorithms = signed_data.nested(Tag::Set, "SignedData")?;
    let mut digest_oids = Vec::new();
    while !digest_algorithms.is_empty() {
        if digest_oids.len() == MAX_TSA_SIGNED_ATTRS {
            return Err(TsaError::Malformed("SignedData"));
        }
        let alg: AlgorithmIdentifierRef<'_> = digest_algorithms.decode()?;
        // Digest algorithms take no parameters (absent or NULL).
        if alg.parameters.is_some_and(|p| !p.is_null()) {
            return Err(TsaError::Malformed("SignedData"));
        }
        digest_oids.push(alg.oid);
    }

    // EncapsulatedContentInfo ::= SEQUENCE { eContentType, [0] EXPLICIT eContent OPTIONAL }
    let mut encap = signed_data.nested(Tag::Sequence, "EncapsulatedContentInfo")?;
    let e_content_type: ObjectIdentifier = encap.decode()?;
    if e_content_type != oid::CT_TST_INFO {
        return Err(TsaError::NotTstInfo);
    }
    let mut e_content = encap.nested(context(0, true), "EncapsulatedContentInfo")?;
    let tst_info = e_content.value(Tag::OctetString)?;
    e_content.finish()?;
    encap.finish()?;

    // certificates [0] and crls [1]: the verifier trusts only the
    // certificates it is given, so these are skipped unparsed.
    signed_data.skip_if(context(0, true))?;
    signed_data.skip_if(context(1, true))?;

    let mut signer_infos = signed_data.nested(Tag::Set, "SignedData")?;
    signed_data.finish()?;
    let mut count = 0usize;
    let mut first = None;
    while !signer_infos.is_empty() {
        let tlv = signer_infos.tlv()?;
        count += 1;
        if first.is_none() {
            first = Some(tlv);
        }
    }
    let signer = match (count, first) {
        (1, Some(tlv)) => decode_signer_info(tlv)?,
        _ => return Err(TsaError::SignerCount(count)),
    };
    // The signer's digest algorithm is among those the SignedData lists.
    if !digest_oids.contains(&signer.digest_algorithm.oid) {
        return Err(TsaError::Malformed("SignedData"));
    }
    Ok(Token { tst_info, signer })
}

fn decode_signer_info(bytes: &[u8]) -> Result<SignerInfo<'_>, TsaError> {
    let mut info = single(bytes, Tag::Sequence, "SignerInfo")?;
    let version: u8 = info.decode()?;
    // version 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier
    // (RFC 5652 §5.3).
    let sid = match (version, info.peek()) {
        (1, Some(Tag::Sequence)) => {
            let mut ias = info.nested(Tag::Sequence, "IssuerAndSerialNumber")?;
            let issuer: Name = ias.decode()?;
            let serial = ias.integer()?;
            ias.finish()?;
            SignerId::IssuerSerial { issuer, serial }
        }
        (3, _) => SignerId::KeyId(info.value(context(0, false))?),
        _ => return Err(TsaError::Malformed("SignerInfo")),
    };
    let digest_algorithm: AlgorithmIdentifierRef<'_> = info.decode()?;
    let signed_attrs = if info.peek() == Some(context(0, true)) {
        Some(info.tlv()?)
    } else {
        None
    };
    let signature_algorithm: AlgorithmIdentifierRef<'_> = info.decode()?;
    let signature = info.value(Tag::OctetString)?;
    info.skip_if(context(1, true))?;
    info.finish()?;
    Ok(SignerInfo {
        sid,
        digest_algorithm,
        signed_attrs,
        signature_algorithm,
        signature,
    })
}

/// One signed attribute: its type and the DER of each value.
pub(crate) struct Attribute<'a> {
    pub oid: ObjectIdentifier,
    pub values: Vec<&'a [u8]>,
}

/// Decode the `[0] IMPLICIT SignedAttributes` element, bounded by
/// [`MAX_TSA_SIGNED_ATTRS`] and [`MAX_TSA_ATTR_VALUES`].
pub(crate) fn decode_signed_attrs(element: &[u8]) -> Result<Vec<Attribute<'_>>, TsaError> {
    let mut set = single(element, context(0, true), "signed attributes")?;
    let mut attrs = Vec::new();
    while !set.is_empty() {
        if attrs.len() == MAX_TSA_SIGNED_ATTRS {
            return Err(TsaError::SignedAttributesBounds);
        }
        let mut attr = set.nested(Tag::Sequence, "signed attribute")?;
        let oid: ObjectIdentifier = attr.decode()?;
        let mut values_set = attr.nested(Tag::Set, "signed attribute")?;
        attr.finish()?;
        let mut values = Vec::new();
        while !values_set.is_empty() {
            if values.len() == MAX_TSA_ATTR_VALUES {
                return Err(TsaError::SignedAttributesBounds);
            }
            values.push(values_set.tlv()?);
        }
        if values.is_empty() {
            return Err(TsaError::SignedAttributesBounds);
        }
        attrs.push(Attribute { oid, values });
    }
    Ok(attrs)
}

/// The DER that the signature covers: the signed attributes with their
/// `[0] IMPLICIT` tag replaced by the `SET OF` tag (RFC 5652 §5.4).
pub(crate) fn signed_attrs_for_signature(element: &[u8]) -> Vec<u8> {
    let mut out = element.to_vec();
    if let Some(first) = out.first_mut() {
        *first = 0x31;
    }
    out
}

// ------------------------------------------------------------------------
// ESS signing-certificate attributes.

/// The first `ESSCertID` or `ESSCertIDv2` of a signing-certificate
/// attribute: it names the signer's certificate.
pub(crate) struct EssCertId<'a> {
    /// Whether this is an ESSCertIDv2.
    pub v2: bool,
    /// `None` for ESSCertID (SHA-1); the hash algorithm for ESSCertIDv2
    /// (SHA-256 when absent, its DEFAULT).
    pub hash_algorithm: Option<AlgorithmIdentifierRef<'a>>,
    pub hash: &'a [u8],
    pub issuer_serial: Option<(Vec<GeneralName>, &'a [u8])>,
}

/// Decode `SigningCertificate` (`v2` false) or `SigningCertificateV2`
/// (`v2` true) and return its first certificate identifier.
pub(crate) fn decode_signing_certificate(
    value: &[u8],
    v2: bool,
) -> Result<EssCertId<'_>, TsaError> {
    const WHAT: &str = "signing-certificate attribute";
    let mut signing_cert = single(value, Tag::Sequence, WHAT)?;
    let mut certs = signing_cert.nested(Tag::Sequence, WHAT)?;
    // policies: not used by a timestamp verifier.
    signing_cert.skip_if(Tag::Sequence)?;
    signing_cert.finish()?;
    let mut id = certs.nested(Tag::Sequence, WHAT)?;
    // The other identifiers name the rest of the chain; they must still be
    // well-formed elements.
    while !certs.is_empty() {
        certs.value(Tag::Sequence)?;
    }
    let hash_algorithm = if v2 && id.peek() == Some(Tag::Sequence) {
        Some(id.decode::<AlgorithmIdentifierRef<'_>>()?)
    } else {
        None
    };
    let hash = id.decode::<OctetStringRef<'_>>()?.as_bytes();
    let issuer_serial = if id.is_empty() {
        None
    } else {
        let mut is = id.nested(Tag::Sequence, WHAT)?;
        let names: Vec<GeneralName> = is.decode()?;
        let serial = is.integer()?;
        // issuerUID (BIT STRING): RFC 5280 certificates do not use it.
        is.skip_if(Tag::BitString)?;
        is.finish()?;
        Some((names, serial))
    };
    id.finish()?;
    Ok(EssCertId {
        v2,
        hash_algorithm,
        hash,
        issuer_serial,
    })
}

// ------------------------------------------------------------------------
// TSTInfo.

/// The fields of a `TSTInfo` (RFC 3161 §2.4.2) the verifier uses.
pub(crate) struct TstInfo<'a> {
    pub version: u8,
    pub policy: ObjectIdentifier,
    pub imprint_algorithm: AlgorithmIdentifierRef<'a>,
    pub imprint: &'a [u8],
    pub serial: &'a [u8],
    /// `genTime` in whole seconds since the Unix epoch.
    pub gen_time: u64,
    pub nonce: Option<&'a [u8]>,
    pub tsa: Option<GeneralName>,
    pub extensions: Vec<Extension>,
}

pub(crate) fn decode_tst_info(bytes: &[u8]) -> Result<TstInfo<'_>, TsaError> {
    let mut tst = single(bytes, Tag::Sequence, "TSTInfo")?;
    let version: u8 = tst.decode()?;
    let policy: ObjectIdentifier = tst.decode()?;
    let mut imprint = tst.nested(Tag::Sequence, "MessageImprint")?;
    let imprint_algorithm: AlgorithmIdentifierRef<'_> = imprint.decode()?;
    let hashed = imprint.decode::<OctetStringRef<'_>>()?.as_bytes();
    imprint.finish()?;
    let serial = tst.integer()?;
    let gen_time = parse_generalized_time(tst.value(Tag::GeneralizedTime)?)?;
    // accuracy: not used (the time is read to the second).
    tst.skip_if(Tag::Sequence)?;
    if tst.peek() == Some(Tag::Boolean) {
        let _ordering: bool = tst.decode()?;
    }
    let nonce = if tst.peek() == Some(Tag::Integer) {
        Some(tst.integer()?)
    } else {
        None
    };
    let tsa = if tst.peek() == Some(context(0, true)) {
        let mut explicit = tst.nested(context(0, true), "TSTInfo")?;
        let name: GeneralName = explicit.decode()?;
        explicit.finish()?;
        Some(name)
    } else {
        None
    };
    let mut extensions = Vec::new();
    if tst.peek() == Some(context(1, true)) {
        let mut list = tst.nested(context(1, true), "TSTInfo")?;
        while !list.is_empty() {
            extensions.push(list.decode::<Extension>()?);
        }
    }
    tst.finish()?;
    Ok(TstInfo {
        version,
        policy,
        imprint_algorithm,
        imprint: hashed,
        serial,
        gen_time,
        nonce,
        tsa,
        extensions,
    })
}

/// Parse `genTime`: `YYYYMMDDhhmmss[.f…]Z` (RFC 3161 §2.4.2: UTC, a
/// fraction only when it is not zero and without trailing zeros), to whole
/// seconds since the Unix epoch. Years before 1970 are refused.
pub(crate) fn parse_generalized_time(text: &[u8]) -> Result<u64, TsaError> {
    const BAD: TsaError = TsaError::Malformed("genTime");
    let (main, rest) = text.split_at_checked(14).ok_or(BAD)?;
    if !main.iter().all(u8::is_ascii_digit) {
        return Err(BAD);
    }
    match rest {
        [b'Z'] => {}
        [b'.', fraction @ .., b'Z']
            if !fraction.is_empty()
                && fraction.iter().all(u8::is_ascii_digit)
                && fraction.last() != Some(&b'0') => {}
        _ => return Err(BAD),
    }
    let number = |range: std::ops::Range<usize>| -> u64 {
        main.get(range)
            .unwrap_or_default()
            .iter()
            .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'))
    };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    let (hour, minute, second) = (number(8..10), number(10..12), number(12..14));
    if year < 1970 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(BAD);
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(BAD);
    }
    let days = days_from_civil(year, month, day);
    Ok(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date (year ≥ 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let mut days = 0;
    for y in 1970..year {
        days += if is_leap(y) { 366 } else { 365 };
    }
    for m in 1..month {
        days += days_in_month(year, m);
    }
    days + day - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_time_reads_seconds_and_ignores_fractions() {
        assert_eq!(parse_generalized_time(b"19700101000000Z"), Ok(0));
        assert_eq!(
            parse_generalized_time(b"20240229123456Z"),
            Ok(1_709_210_096)
        );
        assert_eq!(
            parse_generalized_time(b"20240229123456.5Z"),
            Ok(1_709_210_096)
        );
        assert_eq!(
            parse_generalized_time(b"99991231235959Z"),
            Ok(253_402_300_799)
        );
    }

    #[test]
    fn generalized_time_refuses_every_other_spelling() {
        for bad in [
            &b"20240229123456"[..],
            b"20240229123456.Z",
            b"20240229123456.50Z",
            b"20240229123456+0100",
            b"2024022912345Z",
            b"20230229123456Z",
            b"20241301000000Z",
            b"20240100000000Z",
            b"20240101240000Z",
            b"20240101006000Z",
            b"20240101000060Z",
            b"19691231235959Z",
            b"2024010100000aZ",
            b"",
        ] {
            assert_eq!(
                parse_generalized_time(bad),
                Err(TsaError::Malformed("genTime")),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn nonce_integers_are_minimal_and_positive() {
        assert_eq!(unsigned_integer_content(&[0, 0, 1]), vec![1]);
        assert_eq!(unsigned_integer_content(&[0, 0x80]), vec![0, 0x80]);
        assert_eq!(unsigned_integer_content(&[0xff, 1]), vec![0, 0xff, 1]);
        assert_eq!(unsigned_integer_content(&[0, 0]), vec![0]);
        assert_eq!(unsigned_integer_content(&[0x7f]), vec![0x7f]);
    }
}
