//! The export bundle: one evidence item and everything needed to check it
//! offline, in a ZIP file an investigator opens by double-click
//! (`docs/evidence-format.md` §6).
//!
//! Every entry is stored (not compressed): the original file is readable as
//! it is, and a verifier needs no decompressor. Reading and writing go
//! through `Read + Seek` / `Write + Seek`, so this module touches no disk;
//! the original is streamed through SHA-256, never held in memory. Every
//! other part is bounded before it is read ([`crate::limits`]).

use std::collections::BTreeMap;
use std::io::{self, Read, Seek, SeekFrom, Write};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};
use zip::read::ZipReadOptions;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::derivative::SignedDerivative;
use super::enrolment::SignedEnrolment;
use super::manifest::{EvidenceKind, SignedManifest};
use super::verify::{BundleError, Part};
use super::Salt;
use crate::content::sanitize_file_name;
use crate::ids::hex_lower;
use crate::limits::{
    MAX_BUNDLE_ANCHORS, MAX_BUNDLE_CENTRAL_DIRECTORY_LEN, MAX_BUNDLE_DERIVATIVES,
    MAX_BUNDLE_ENTRIES, MAX_BUNDLE_LEN, MAX_PROOF_HASHES,
};
use crate::log::merkle::Hash;
use crate::log::{LogKey, Receipt, SignedCheckpoint};

/// The name of the entry that marks a Sanad bundle.
pub const MARKER_NAME: &str = "sanad-bundle.txt";
/// The exact content of [`MARKER_NAME`].
pub const MARKER: &[u8] = b"sanad/evidence-bundle/v1\n";
/// The folder holding the original file (one entry, a safe name).
pub const ORIGINAL_DIR: &str = "original/";

pub(crate) const MANIFEST: &str = "manifest.bin";
pub(crate) const SALT: &str = "salt.bin";
pub(crate) const RECEIPT: &str = "receipt.txt";
pub(crate) const ENROLMENT: &str = "enrolment.bin";
pub(crate) const LOG_KEY: &str = "keys/log-key.txt";
pub(crate) const DESK_KEY: &str = "keys/desk-key.txt";
pub(crate) const SEEN_CHECKPOINT: &str = "log/seen-checkpoint.txt";
pub(crate) const SEEN_TO_RECEIPT: &str = "log/seen-to-receipt.txt";
pub(crate) const LATEST_CHECKPOINT: &str = "log/latest-checkpoint.txt";
pub(crate) const RECEIPT_TO_LATEST: &str = "log/receipt-to-latest.txt";
pub(crate) const SUMMARY: &str = "summary.json";

pub(crate) fn anchor_checkpoint(n: usize) -> String {
    format!("anchors/{n}/checkpoint.txt")
}
pub(crate) fn anchor_proof(n: usize) -> String {
    format!("anchors/{n}/receipt-to-anchor.txt")
}
pub(crate) fn anchor_token(n: usize) -> String {
    format!("anchors/{n}/token.tsr")
}
pub(crate) fn derivative(n: usize) -> String {
    format!("derivatives/{n}.bin")
}

/// A signed checkpoint and the consistency proof that ties it to another
/// (which one is said where it is used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedCheckpoint {
    /// The signed checkpoint note.
    pub checkpoint: SignedCheckpoint,
    /// The RFC 9162 consistency proof.
    pub proof: Vec<Hash>,
}

/// An RFC 3161 anchor: a checkpoint of the log stamped by a timestamp
/// authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The stamped checkpoint, and the consistency proof from the receipt's
    /// checkpoint to it.
    pub linked: LinkedCheckpoint,
    /// The timestamp token (DER `ContentInfo`) over the checkpoint's note
    /// text (its first three lines).
    pub token: Vec<u8>,
}

/// Every part of a bundle but the original file.
#[derive(Clone, Debug)]
pub struct BundleParts {
    /// The signed manifest.
    pub manifest: SignedManifest,
    /// The commitment's salt.
    pub salt: Salt,
    /// The log's receipt for the commitment.
    pub receipt: Receipt,
    /// The checkpoint the device had seen (its signed note as the device got
    /// it) and the consistency proof from it to the receipt's checkpoint;
    /// present exactly when the manifest names a seen checkpoint.
    pub seen: Option<LinkedCheckpoint>,
    /// A recent checkpoint and the consistency proof from the receipt's
    /// checkpoint to it.
    pub latest: LinkedCheckpoint,
    /// The device's enrolment (a bundle without one does not verify).
    pub enrolment: Option<SignedEnrolment>,
    /// The desk's enrolment public key.
    pub desk_key: VerifyingKey,
    /// The log's public key.
    pub log_key: LogKey,
    /// RFC 3161 anchors, at most [`MAX_BUNDLE_ANCHORS`].
    pub anchors: Vec<Anchor>,
    /// Derivative records of this item, at most [`MAX_BUNDLE_DERIVATIVES`].
    pub derivatives: Vec<SignedDerivative>,
}

/// Why a bundle could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BundleWriteError {
    /// More anchors or derivative records than a bundle holds.
    #[error("too many {0} for one bundle")]
    TooMany(&'static str),
    /// A seen checkpoint is given without the manifest naming one, or the
    /// reverse.
    #[error("the seen checkpoint does not match the manifest")]
    SeenCheckpoint,
    /// The original's bytes are not the manifest's content (hash or length).
    #[error("the original file is not the manifest's content")]
    ContentMismatch,
    /// Reading the original or writing the bundle failed.
    #[error("writing the bundle failed: {0}")]
    Io(#[from] io::Error),
    /// The ZIP writer refused.
    #[error("writing the bundle failed: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// The name of the original file inside the bundle (after
/// [`ORIGINAL_DIR`]): the manifest's file name made safe
/// ([`sanitize_file_name`]), or `testimony.txt` for a testimony without one.
pub fn original_name(m: &SignedManifest) -> String {
    let m = m.unverified();
    if m.file_name.is_empty() && m.kind == EvidenceKind::Testimony {
        "testimony.txt".into()
    } else {
        sanitize_file_name(&m.file_name)
    }
}

/// Proof hashes as text: one canonical base64 hash per line.
pub(crate) fn proof_to_text(proof: &[Hash]) -> String {
    proof
        .iter()
        .map(|h| format!("{}\n", STANDARD.encode(h)))
        .collect()
}

pub(crate) fn proof_from_text(bytes: &[u8]) -> Option<Vec<Hash>> {
    let s = std::str::from_utf8(bytes).ok()?;
    if s.is_empty() {
        return Some(Vec::new());
    }
    let lines: Vec<&str> = s.strip_suffix('\n')?.split('\n').collect();
    if lines.len() > MAX_PROOF_HASHES {
        return None;
    }
    lines
        .into_iter()
        .map(|l| {
            let b = STANDARD.decode(l).ok()?;
            (STANDARD.encode(&b) == l).then_some(())?;
            b.try_into().ok()
        })
        .collect()
}

/// The desk key as text: 64 lower-case hex digits and a line feed.
pub(crate) fn desk_key_to_text(k: &VerifyingKey) -> String {
    format!("{}\n", hex_lower(k.as_bytes()))
}

pub(crate) fn desk_key_from_text(bytes: &[u8]) -> Option<VerifyingKey> {
    let s = std::str::from_utf8(bytes).ok()?.strip_suffix('\n')?;
    if s.len() != 64
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let mut k = [0u8; 32];
    for (i, out) in k.iter_mut().enumerate() {
        *out = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    VerifyingKey::from_bytes(&k).ok()
}

/// Write a bundle: every part, the untrusted summary, and the original
/// streamed from `original` (checked against the manifest's hash and length
/// as it is copied). Returns the writer.
pub fn write_bundle<W: Write + Seek, R: Read>(
    out: W,
    parts: &BundleParts,
    mut original: R,
) -> Result<W, BundleWriteError> {
    if parts.anchors.len() > MAX_BUNDLE_ANCHORS {
        return Err(BundleWriteError::TooMany("anchors"));
    }
    if parts.derivatives.len() > MAX_BUNDLE_DERIVATIVES {
        return Err(BundleWriteError::TooMany("derivative records"));
    }
    let m = parts.manifest.unverified();
    if m.seen_checkpoint.is_some() != parts.seen.is_some() {
        return Err(BundleWriteError::SeenCheckpoint);
    }
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    let mut z = ZipWriter::new(out);
    let put = |z: &mut ZipWriter<W>, name: &str, data: &[u8]| -> Result<(), BundleWriteError> {
        z.start_file(name, opts)?;
        z.write_all(data)?;
        Ok(())
    };
    put(&mut z, MARKER_NAME, MARKER)?;
    put(&mut z, MANIFEST, &parts.manifest.to_bytes())?;
    put(&mut z, SALT, parts.salt.expose_secret())?;
    put(&mut z, RECEIPT, parts.receipt.to_text().as_bytes())?;
    if let Some(e) = &parts.enrolment {
        put(&mut z, ENROLMENT, &e.to_bytes())?;
    }
    put(
        &mut z,
        LOG_KEY,
        format!("{}\n", parts.log_key.verifier().to_vkey()).as_bytes(),
    )?;
    put(
        &mut z,
        DESK_KEY,
        desk_key_to_text(&parts.desk_key).as_bytes(),
    )?;
    if let Some(s) = &parts.seen {
        put(&mut z, SEEN_CHECKPOINT, s.checkpoint.to_text().as_bytes())?;
        put(&mut z, SEEN_TO_RECEIPT, proof_to_text(&s.proof).as_bytes())?;
    }
    put(
        &mut z,
        LATEST_CHECKPOINT,
        parts.latest.checkpoint.to_text().as_bytes(),
    )?;
    put(
        &mut z,
        RECEIPT_TO_LATEST,
        proof_to_text(&parts.latest.proof).as_bytes(),
    )?;
    for (i, a) in parts.anchors.iter().enumerate() {
        let n = i + 1;
        put(
            &mut z,
            &anchor_checkpoint(n),
            a.linked.checkpoint.to_text().as_bytes(),
        )?;
        put(
            &mut z,
            &anchor_proof(n),
            proof_to_text(&a.linked.proof).as_bytes(),
        )?;
        put(&mut z, &anchor_token(n), &a.token)?;
    }
    for (i, d) in parts.derivatives.iter().enumerate() {
        put(&mut z, &derivative(i + 1), &d.to_bytes())?;
    }
    put(&mut z, SUMMARY, summary_json(parts).as_bytes())?;

    // The original last, streamed; large files need ZIP64 fields.
    let large = m.content_len >= u64::from(u32::MAX);
    z.start_file(
        format!("{ORIGINAL_DIR}{}", original_name(&parts.manifest)),
        opts.large_file(large),
    )?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = original.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        z.write_all(&buf[..n])?;
        len += n as u64;
    }
    let hash: [u8; 32] = hasher.finalize().into();
    if len != m.content_len || hash != m.content_sha256 {
        return Err(BundleWriteError::ContentMismatch);
    }
    Ok(z.finish()?)
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The human-readable summary: what the parts claim, **unverified**. A
/// verifier never reads it.
fn summary_json(p: &BundleParts) -> String {
    let m = p.manifest.unverified();
    let mut fields = String::new();
    for (i, (name, value)) in m.fields.iter().enumerate() {
        if i > 0 {
            fields.push_str(", ");
        }
        fields.push_str(&format!("{}: {}", json_str(name.as_str()), json_str(value)));
    }
    let enrolment = match &p.enrolment {
        Some(e) => format!(
            "{{\"device_label\": {}, \"organisation\": {}}}",
            json_str(&e.unverified().device_label),
            json_str(&e.unverified().organisation)
        ),
        None => "null".into(),
    };
    format!(
        "{{\n  \"format\": \"sanad/evidence-bundle/v1\",\n  \"notice\": \"Unverified summary for reading. It proves nothing: run a verifier (docs/evidence-format.md section 7) on this bundle.\",\n  \"evidence_id\": {},\n  \"kind\": {},\n  \"case_reference\": {},\n  \"original\": {},\n  \"media_type\": {},\n  \"content_sha256\": {},\n  \"content_length\": {},\n  \"device_time_untrusted\": {},\n  \"device_sequence\": {},\n  \"fields\": {{{}}},\n  \"enrolment\": {},\n  \"log\": {},\n  \"receipt_leaf_index\": {},\n  \"receipt_tree_size\": {},\n  \"latest_tree_size\": {},\n  \"anchors\": {},\n  \"derivatives\": {}\n}}\n",
        json_str(&m.evidence_id.to_hex()),
        json_str(m.kind.as_str()),
        json_str(&m.case_ref),
        json_str(&format!("{ORIGINAL_DIR}{}", original_name(&p.manifest))),
        json_str(&m.media_type),
        json_str(&hex_lower(&m.content_sha256)),
        m.content_len,
        m.device_time,
        m.sequence,
        fields,
        enrolment,
        json_str(p.log_key.origin()),
        p.receipt.leaf_index,
        p.receipt.checkpoint.unverified().size,
        p.latest.checkpoint.unverified().size,
        p.anchors.len(),
        p.derivatives.len(),
    )
}

// ------------------------------------------------------------------ reading

/// Which kind of entry a name is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum EntryKind {
    Fixed,
    Anchor(usize),
    Derivative(usize),
    Original,
}

fn classify(name: &str) -> Option<EntryKind> {
    const FIXED: [&str; 12] = [
        MARKER_NAME,
        MANIFEST,
        SALT,
        RECEIPT,
        ENROLMENT,
        LOG_KEY,
        DESK_KEY,
        SEEN_CHECKPOINT,
        SEEN_TO_RECEIPT,
        LATEST_CHECKPOINT,
        RECEIPT_TO_LATEST,
        SUMMARY,
    ];
    if FIXED.contains(&name) {
        return Some(EntryKind::Fixed);
    }
    if name.strip_prefix(ORIGINAL_DIR).is_some() {
        return Some(EntryKind::Original);
    }
    for n in 1..=MAX_BUNDLE_ANCHORS {
        if name == anchor_checkpoint(n) || name == anchor_proof(n) || name == anchor_token(n) {
            return Some(EntryKind::Anchor(n));
        }
    }
    (1..=MAX_BUNDLE_DERIVATIVES)
        .find(|n| name == derivative(*n))
        .map(EntryKind::Derivative)
}

/// An opened bundle: its entries checked, nothing else read yet.
pub(crate) struct Container<R: Read + Seek> {
    zip: ZipArchive<R>,
    names: BTreeMap<String, usize>,
    original: String,
    pub(crate) anchors: usize,
    pub(crate) derivatives: usize,
}

fn zip_malformed(_: zip::result::ZipError) -> BundleError {
    BundleError::BundleMalformed("not a readable ZIP archive")
}

/// Check the end of central directory record before the ZIP reader
/// allocates anything: a bundle ends with one, without a comment, on one
/// disk, with at most [`MAX_BUNDLE_ENTRIES`] entries in a central directory
/// of at most [`MAX_BUNDLE_CENTRAL_DIRECTORY_LEN`] bytes.
fn check_end_record<R: Read + Seek>(r: &mut R) -> Result<u64, BundleError> {
    let io = |_| BundleError::BundleMalformed("the archive cannot be read");
    let len = r.seek(SeekFrom::End(0)).map_err(io)?;
    if len > MAX_BUNDLE_LEN {
        return Err(BundleError::BundleTooLarge { len });
    }
    if len < 22 {
        return Err(BundleError::BundleMalformed("not a ZIP archive"));
    }
    r.seek(SeekFrom::Start(len - 22)).map_err(io)?;
    let mut e = [0u8; 22];
    r.read_exact(&mut e).map_err(io)?;
    let u16_at = |i: usize| u16::from_le_bytes([e[i], e[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([e[i], e[i + 1], e[i + 2], e[i + 3]]);
    if u32_at(0) != 0x0605_4b50 || u16_at(20) != 0 {
        return Err(BundleError::BundleMalformed(
            "the archive does not end with an end of central directory record without comment",
        ));
    }
    if u16_at(4) != 0 || u16_at(6) != 0 || u16_at(8) != u16_at(10) {
        return Err(BundleError::BundleMalformed("a multi-disk archive"));
    }
    if usize::from(u16_at(10)) > MAX_BUNDLE_ENTRIES {
        return Err(BundleError::BundleTooManyEntries {
            count: u64::from(u16_at(10)),
        });
    }
    if u64::from(u32_at(12)) > MAX_BUNDLE_CENTRAL_DIRECTORY_LEN {
        return Err(BundleError::BundleMalformed("central directory too large"));
    }
    r.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(len)
}

impl<R: Read + Seek> Container<R> {
    /// Open and check the container: bounds, one entry per name, every name
    /// known, stored and unencrypted entries only, local headers that agree
    /// with the central directory, one original with a safe name, the marker.
    pub(crate) fn open(mut r: R) -> Result<Container<R>, BundleError> {
        check_end_record(&mut r)?;
        let mut zip = ZipArchive::new(r).map_err(zip_malformed)?;
        if zip.len() > MAX_BUNDLE_ENTRIES {
            return Err(BundleError::BundleTooManyEntries {
                count: zip.len() as u64,
            });
        }
        if zip.has_duplicate_names() {
            return Err(BundleError::BundleDuplicateEntry);
        }
        zip.validate_header_consistency().map_err(|_| {
            BundleError::BundleMalformed("local headers disagree with the directory")
        })?;
        let mut names = BTreeMap::new();
        let mut original = None;
        let (mut anchors, mut derivatives) = (0usize, 0usize);
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(zip_malformed)?;
            let name = std::str::from_utf8(f.name_raw())
                .map_err(|_| BundleError::BundleUnsafeName)?
                .to_string();
            if f.is_dir() || f.encrypted() || f.compression() != CompressionMethod::Stored {
                return Err(BundleError::BundleMalformed(
                    "an entry is a directory, encrypted or compressed",
                ));
            }
            match classify(&name).ok_or(BundleError::BundleUnknownEntry)? {
                EntryKind::Original => {
                    let base = &name[ORIGINAL_DIR.len()..];
                    if base.is_empty() || sanitize_file_name(base) != base {
                        return Err(BundleError::BundleUnsafeName);
                    }
                    if original.replace(name.clone()).is_some() {
                        return Err(BundleError::BundleDuplicateEntry);
                    }
                }
                EntryKind::Anchor(n) => anchors = anchors.max(n),
                EntryKind::Derivative(n) => derivatives = derivatives.max(n),
                EntryKind::Fixed => {}
            }
            if names.insert(name, i).is_some() {
                return Err(BundleError::BundleDuplicateEntry);
            }
        }
        let original = original.ok_or(BundleError::MissingPart(Part::Original))?;
        let mut c = Container {
            zip,
            names,
            original,
            anchors,
            derivatives,
        };
        match c.part(MARKER_NAME, MARKER.len() as u64)? {
            Some(m) if m == MARKER => {}
            Some(_) => return Err(BundleError::BundleUnsupportedVersion),
            None => return Err(BundleError::MissingPart(Part::Marker)),
        }
        for n in 1..=c.anchors {
            for name in [anchor_checkpoint(n), anchor_proof(n), anchor_token(n)] {
                if !c.names.contains_key(&name) {
                    return Err(BundleError::MissingPart(Part::Anchor(n as u8)));
                }
            }
        }
        for n in 1..=c.derivatives {
            if !c.names.contains_key(&derivative(n)) {
                return Err(BundleError::MissingPart(Part::Derivative(n as u8)));
            }
        }
        Ok(c)
    }

    /// Whether an entry is present.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// The original's name after [`ORIGINAL_DIR`].
    pub(crate) fn original_name(&self) -> &str {
        &self.original[ORIGINAL_DIR.len()..]
    }

    /// Read an entry of at most `max` bytes (checked before reading), with
    /// its CRC-32 checked; `None` when absent.
    pub(crate) fn part(&mut self, name: &str, max: u64) -> Result<Option<Vec<u8>>, BundleError> {
        let Some(&i) = self.names.get(name) else {
            return Ok(None);
        };
        let mut f = self
            .zip
            .by_index_with_options(i, ZipReadOptions::new().ignore_crc32(true))
            .map_err(zip_malformed)?;
        let size = f.size();
        if size > max {
            return Err(BundleError::PartTooLarge {
                entry: name.to_string(),
                len: size,
                max,
            });
        }
        let expected_crc = f.crc32();
        let mut out = Vec::with_capacity(size as usize);
        (&mut f)
            .take(size)
            .read_to_end(&mut out)
            .map_err(|_| BundleError::BundleMalformed("an entry cannot be read"))?;
        if out.len() as u64 != size {
            return Err(BundleError::BundleMalformed(
                "an entry is shorter than its size",
            ));
        }
        if crc32fast::hash(&out) != expected_crc {
            return Err(BundleError::BundleCrcMismatch {
                entry: name.to_string(),
            });
        }
        Ok(Some(out))
    }

    /// Stream the original through SHA-256 and CRC-32: its hash, its length,
    /// and whether its CRC-32 is the directory's. Reads at most `limit + 1`
    /// bytes.
    pub(crate) fn hash_original(
        &mut self,
        limit: u64,
    ) -> Result<([u8; 32], u64, bool), BundleError> {
        let i = self.names[&self.original];
        let mut f = self
            .zip
            .by_index_with_options(i, ZipReadOptions::new().ignore_crc32(true))
            .map_err(zip_malformed)?;
        let expected_crc = f.crc32();
        let declared = f.size();
        let mut hasher = Sha256::new();
        let mut crc = crc32fast::Hasher::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut len = 0u64;
        let mut limited = (&mut f).take(limit.saturating_add(1).min(declared));
        loop {
            let n = limited
                .read(&mut buf)
                .map_err(|_| BundleError::BundleMalformed("the original cannot be read"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            crc.update(&buf[..n]);
            len += n as u64;
        }
        let crc_ok = len == declared && crc.finalize() == expected_crc;
        Ok((hasher.finalize().into(), len, crc_ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_have_one_spelling_as_text() {
        let p = vec![[1u8; 32], [2u8; 32]];
        let t = proof_to_text(&p);
        assert_eq!(proof_from_text(t.as_bytes()), Some(p));
        assert_eq!(proof_from_text(b""), Some(vec![]));
        for bad in [
            "\n",
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n\n",
            "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQF=\n",
            "AQEB\n",
        ] {
            assert_eq!(proof_from_text(bad.as_bytes()), None, "{bad:?}");
        }
    }

    #[test]
    fn desk_keys_have_one_spelling_as_text() {
        let k = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        let t = desk_key_to_text(&k);
        assert_eq!(desk_key_from_text(t.as_bytes()), Some(k));
        assert_eq!(desk_key_from_text(t.to_uppercase().as_bytes()), None);
        assert_eq!(desk_key_from_text(t.trim_end().as_bytes()), None);
    }
}
