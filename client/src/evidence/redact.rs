//! A copy of a photo without the metadata that identifies who took it,
//! where, and with what (DESIGN.md §5, source protection).
//!
//! The original stays as it is, encrypted, for the desk; [`strip_metadata`]
//! reads it once, as a stream, and writes the derivative meant for sharing.
//! Only three formats are understood well enough to be cleaned:
//!
//! - **JPEG**: kept are the frame, scan, Huffman, quantisation and
//!   restart segments, the scan data byte for byte, a JFIF header rewritten
//!   without its thumbnail, and the 12-byte Adobe colour-transform segment.
//!   Dropped are every other application segment (Exif with its GPS
//!   directory, maker notes, serial numbers and thumbnail; XMP and extended
//!   XMP; IPTC/Photoshop; ICC profiles; multi-picture data; FlashPix; …),
//!   comments, and anything after the end-of-image marker (where phones
//!   append second images and depth maps).
//! - **PNG**: kept are the chunks needed to display the image (`IHDR`,
//!   `PLTE`, `IDAT`, `IEND`, `tRNS`, `gAMA`, `cHRM`, `sRGB`, `sBIT`,
//!   `cICP`) with their original CRCs. Dropped are text (`tEXt`, `zTXt`,
//!   `iTXt`, which carry XMP too), `eXIf`, `tIME`, `iCCP`, `pHYs` and every
//!   other ancillary chunk, and anything after `IEND`. Every CRC is checked.
//! - **WebP**: kept are `VP8X` (flags corrected), `ALPH`, `VP8 ` and
//!   `VP8L`; dropped are `EXIF`, `XMP `, `ICCP` and unknown chunks; the
//!   RIFF size is recomputed. A RIFF header states the size of what
//!   follows, so the kept chunks are held in memory before they are
//!   written: WebP files are bounded by [`MAX_REDACT_WEBP_LEN`].
//!
//! Everything else (video, audio, PDF, office documents, HEIC, GIF, animated
//! PNG or WebP, JPEG variants with markers this module does not know) is
//! refused with a [`RedactError`] naming what was refused: a file is never
//! copied with its metadata because it was not understood.
//!
//! ## Orientation
//!
//! Phones store a photo's rotation in its Exif data. Dropping Exif would
//! show a portrait photo on its side, so when the original's Exif says the
//! image is rotated or mirrored (orientation 2 to 8), the copy carries a new
//! Exif block holding that single value and nothing else (26 bytes, big
//! endian, one entry; [`RedactionSummary::orientation`]). The pixels are not
//! re-encoded.
//!
//! ## Colour
//!
//! ICC profiles are dropped: their descriptions and device tags can name
//! the phone's maker. Viewers then assume sRGB, so a wide-gamut photo
//! (Display P3) looks slightly less saturated. This is the price of not
//! naming the device.
//!
//! ## What this does not remove
//!
//! The image itself can identify: faces, landmarks, reflections, the
//! shadows that give the time of day. Quantisation tables (which encoder
//! wrote the file) and sensor noise (which camera took it) survive any
//! copy that keeps the pixels. Only a person looking at the picture, and
//! re-encoding, deal with those; this module does neither.
//!
//! ## Failures
//!
//! The output is written as the input is read. When [`strip_metadata`]
//! returns an error, what was written is incomplete and must be discarded
//! (write to a temporary file and rename it on success).

use std::fmt;
use std::io::{ErrorKind, Read, Write};

use sha2::{Digest, Sha256};

use crate::limits::{MAX_REDACT_EXIF_SCAN, MAX_REDACT_WEBP_LEN, REDACT_READ_CHUNK};

/// A format [`strip_metadata`] can clean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Media {
    /// JPEG (JFIF or Exif).
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy, lossless, extended with alpha).
    Webp,
}

impl Media {
    /// The format named by a media type (`image/jpeg`, `IMAGE/PNG;
    /// charset=x`, `image/webp`), or [`RedactError::Unsupported`] naming the
    /// type. Parameters and case are ignored.
    pub fn from_media_type(media_type: &str) -> Result<Media, RedactError> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Ok(Media::Jpeg),
            "image/png" => Ok(Media::Png),
            "image/webp" => Ok(Media::Webp),
            _ => Err(RedactError::Unsupported {
                media_type: printable(media_type),
            }),
        }
    }

    /// The canonical media type (`image/jpeg`, `image/png`, `image/webp`).
    pub fn media_type(self) -> &'static str {
        match self {
            Media::Jpeg => "image/jpeg",
            Media::Png => "image/png",
            Media::Webp => "image/webp",
        }
    }

    /// The format the first bytes of a file announce, if one of ours.
    fn sniff(head: &[u8]) -> Option<Media> {
        if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Media::Jpeg)
        } else if head.starts_with(&PNG_SIGNATURE) {
            Some(Media::Png)
        } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            Some(Media::Webp)
        } else {
            None
        }
    }
}

impl fmt::Display for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Media::Jpeg => "JPEG",
            Media::Png => "PNG",
            Media::Webp => "WebP",
        })
    }
}

/// A four-letter chunk name (PNG chunk type, RIFF FourCC), printed as text
/// with anything outside printable ASCII as `?`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FourCc(pub [u8; 4]);

impl fmt::Display for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            let c = if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '?'
            };
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FourCc({self})")
    }
}

impl serde::Serialize for FourCc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One kind of metadata removed from a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "name")]
pub enum RemovedKind {
    /// Exif: camera make, model and serial numbers, capture time, maker
    /// notes, the Exif thumbnail.
    Exif,
    /// A GPS directory inside the Exif data: where the photo was taken.
    Location,
    /// XMP (editing history, software, sometimes location and names).
    Xmp,
    /// IPTC / Photoshop resources (captions, names, places).
    Iptc,
    /// An ICC colour profile (can name the device's maker).
    IccProfile,
    /// A JPEG comment.
    Comment,
    /// An embedded thumbnail (JFIF, JFXX), which can show the picture as it
    /// was before edits.
    Thumbnail,
    /// Multi-picture data (a second image, a depth map).
    MultiPicture,
    /// Another JPEG application segment (APP0 to APP15, by number).
    AppSegment(u8),
    /// PNG text chunks (`tEXt`, `zTXt`, `iTXt`).
    Text,
    /// The PNG last-modification time (`tIME`).
    Time,
    /// The PNG physical pixel size (`pHYs`), which differs between devices.
    PixelDensity,
    /// Another PNG ancillary chunk, by name.
    PngChunk(FourCc),
    /// Another WebP (RIFF) chunk, by name.
    RiffChunk(FourCc),
    /// Bytes after the end of the image (appended images, trailers).
    TrailingData,
}

/// What [`strip_metadata`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RedactionSummary {
    /// The format cleaned.
    pub media: Media,
    /// What was removed, each kind once, in the order first met. Empty when
    /// the input was already clean.
    pub removed: Vec<RemovedKind>,
    /// The Exif orientation (2 to 8) carried over to the copy in a new,
    /// single-entry Exif block; `None` when the original was upright or
    /// said nothing.
    pub orientation: Option<u8>,
    /// Bytes read (the whole input).
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// SHA-256 of the whole input, to check it against the original's
    /// manifest hash.
    #[serde(with = "hex_bytes")]
    pub input_sha256: [u8; 32],
    /// SHA-256 of the output, for the derivative's signed record.
    #[serde(with = "hex_bytes")]
    pub output_sha256: [u8; 32],
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        s.serialize_str(&hex)
    }
}

/// Why a copy could not be made. Nothing here carries file contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedactError {
    /// The media type is not one this module cleans (video, audio, PDF,
    /// office documents, HEIC, GIF, …): refused, never copied as it is.
    #[error("files of type {media_type} cannot be stripped of their metadata (only JPEG, PNG and WebP images can); nothing was copied")]
    Unsupported {
        /// The media type as given (printable ASCII, at most 100
        /// characters).
        media_type: String,
    },

    /// The bytes are not the format the media type declares.
    #[error("the file is declared as {declared} but its content is {}", .found.map_or("not a JPEG, PNG or WebP image".to_owned(), |m| m.to_string()))]
    ContentMismatch {
        /// The declared format.
        declared: Media,
        /// The format the content announces, if one of ours.
        found: Option<Media>,
    },

    /// The file breaks its format's rules.
    #[error("the {media} file is malformed at byte {offset}: {defect}")]
    Malformed {
        /// The format.
        media: Media,
        /// Where, in bytes from the start.
        offset: u64,
        /// What is wrong.
        defect: Defect,
    },

    /// The input ends inside the image.
    #[error("the {media} file ends early, at byte {offset}")]
    Truncated {
        /// The format.
        media: Media,
        /// Bytes read.
        offset: u64,
    },

    /// Animated images (APNG, animated WebP) are refused: their frames
    /// would have to be cleaned one by one.
    #[error("animated {media} images cannot be stripped of their metadata; nothing was copied")]
    Animated {
        /// The format.
        media: Media,
    },

    /// A structure this module does not know and a viewer may need (an
    /// unknown JPEG marker, an unknown critical PNG chunk): refused rather
    /// than copied or dropped blindly.
    #[error("the {media} file holds a part this program does not know ({part}); it is refused rather than copied")]
    UnknownPart {
        /// The format.
        media: Media,
        /// The part.
        part: Part,
    },

    /// A WebP file larger than [`MAX_REDACT_WEBP_LEN`].
    #[error("the {media} file is larger than the {limit} bytes this program cleans")]
    TooLarge {
        /// The format.
        media: Media,
        /// The limit in bytes.
        limit: u64,
    },

    /// Reading the input failed.
    #[error("reading the file failed: {0}")]
    Read(#[source] std::io::Error),

    /// Writing the copy failed.
    #[error("writing the copy failed: {0}")]
    Write(#[source] std::io::Error),
}

/// A structure [`RedactError::UnknownPart`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A JPEG marker (the byte after `0xFF`).
    JpegMarker(u8),
    /// A critical PNG chunk.
    PngChunk(FourCc),
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::JpegMarker(m) => write!(f, "marker 0xFF{m:02X}"),
            Part::PngChunk(c) => write!(f, "chunk {c}"),
        }
    }
}

/// What is wrong in a [`RedactError::Malformed`] file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Defect {
    /// Where a JPEG marker must start, another byte.
    #[error("a marker was expected")]
    ExpectedMarker,
    /// A JPEG marker that cannot appear here (a second start of image, a
    /// restart marker outside a scan).
    #[error("marker 0xFF{0:02X} cannot appear here")]
    MisplacedMarker(u8),
    /// A JPEG segment length under 2.
    #[error("a segment length is too short")]
    SegmentLength,
    /// A JPEG scan before any frame header.
    #[error("image data comes before the frame header")]
    ScanBeforeFrame,
    /// A PNG chunk longer than 2³¹−1 bytes.
    #[error("a chunk is longer than PNG allows")]
    ChunkLength,
    /// A PNG chunk type that is not four ASCII letters.
    #[error("a chunk type is not four letters")]
    ChunkType,
    /// A PNG file whose first chunk is not a 13-byte `IHDR`.
    #[error("the image header is missing or malformed")]
    Header,
    /// A PNG chunk whose CRC does not match.
    #[error("chunk {0} fails its CRC")]
    ChunkCrc(FourCc),
    /// A RIFF size too small for its content, or a chunk running past it.
    #[error("a chunk runs past the end of the RIFF container")]
    RiffSize,
    /// A WebP file whose first chunk is not `VP8 `, `VP8L` or `VP8X`, or
    /// whose `VP8X` is not 10 bytes.
    #[error("the WebP header chunk is missing or malformed")]
    WebpHeader,
    /// A WebP file with no image chunk, or more than one.
    #[error("the WebP file does not hold exactly one image")]
    WebpImage,
}

/// Copy `input` to `output` without its identifying metadata. `media_type`
/// is the type the evidence manifest declares; the content must match it.
///
/// Reads the whole input (trailing bytes too, so that
/// [`RedactionSummary::input_sha256`] covers the file) and writes only the
/// cleaned image. Memory stays bounded: about [`REDACT_READ_CHUNK`] bytes
/// for JPEG and PNG, the file for WebP (at most [`MAX_REDACT_WEBP_LEN`]).
/// On error the output is incomplete and must be discarded.
pub fn strip_metadata<R: Read, W: Write>(
    input: R,
    output: W,
    media_type: &str,
) -> Result<RedactionSummary, RedactError> {
    let media = Media::from_media_type(media_type)?;
    let mut inp = Input::new(input, media);
    let found = Media::sniff(inp.peek(12)?);
    if found != Some(media) {
        return Err(RedactError::ContentMismatch {
            declared: media,
            found,
        });
    }
    let mut out = Output::new(output);
    let mut removed = Removed::default();
    let orientation = match media {
        Media::Jpeg => jpeg(&mut inp, &mut out, &mut removed)?,
        Media::Png => png(&mut inp, &mut out, &mut removed)?,
        Media::Webp => webp(&mut inp, &mut out, &mut removed)?,
    };
    if inp.drain()? > 0 {
        removed.add(RemovedKind::TrailingData);
    }
    out.flush()?;
    Ok(RedactionSummary {
        media,
        removed: removed.0,
        orientation,
        bytes_in: inp.total,
        bytes_out: out.written,
        input_sha256: inp.hasher.finalize().into(),
        output_sha256: out.hasher.finalize().into(),
    })
}

/// `text` reduced to printable ASCII and at most 100 characters, for an
/// error message.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .take(100)
        .collect()
}

/// The removed kinds, each once.
#[derive(Default)]
struct Removed(Vec<RemovedKind>);

impl Removed {
    fn add(&mut self, kind: RemovedKind) {
        if !self.0.contains(&kind) {
            self.0.push(kind);
        }
    }
}

// ---- input and output ------------------------------------------------------

/// The input, read in chunks of [`REDACT_READ_CHUNK`] bytes and hashed as
/// it is read.
struct Input<R> {
    inner: R,
    media: Media,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Bytes read from `inner` so far.
    total: u64,
    hasher: Sha256,
}

impl<R: Read> Input<R> {
    fn new(inner: R, media: Media) -> Self {
        Input {
            inner,
            media,
            buf: vec![0; REDACT_READ_CHUNK],
            start: 0,
            end: 0,
            total: 0,
            hasher: Sha256::new(),
        }
    }

    /// Bytes consumed so far.
    fn offset(&self) -> u64 {
        self.total - (self.end - self.start) as u64
    }

    fn malformed(&self, defect: Defect) -> RedactError {
        RedactError::Malformed {
            media: self.media,
            offset: self.offset(),
            defect,
        }
    }

    fn truncated(&self) -> RedactError {
        RedactError::Truncated {
            media: self.media,
            offset: self.total,
        }
    }

    /// Read more bytes after those buffered; `false` at the end of the input.
    fn read_more(&mut self) -> Result<bool, RedactError> {
        if self.start > 0 && self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    let n = n.min(self.buf.len() - self.end);
                    self.hasher.update(&self.buf[self.end..self.end + n]);
                    self.end += n;
                    self.total += n as u64;
                    return Ok(true);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(RedactError::Read(e)),
            }
        }
    }

    /// Up to `n` (at most the buffer size) bytes ahead, without consuming
    /// them; fewer only at the end of the input.
    fn peek(&mut self, n: usize) -> Result<&[u8], RedactError> {
        let n = n.min(self.buf.len());
        while self.end - self.start < n {
            if !self.read_more()? {
                break;
            }
        }
        let have = (self.end - self.start).min(n);
        Ok(&self.buf[self.start..self.start + have])
    }

    /// The buffered bytes, reading more when none are; empty only at the end
    /// of the input.
    fn available(&mut self) -> Result<&[u8], RedactError> {
        if self.start == self.end {
            self.read_more()?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
    }

    fn byte(&mut self) -> Result<u8, RedactError> {
        match self.available()?.first() {
            Some(&b) => {
                self.consume(1);
                Ok(b)
            }
            None => Err(self.truncated()),
        }
    }

    fn exact(&mut self, into: &mut [u8]) -> Result<(), RedactError> {
        let mut filled = 0;
        while filled < into.len() {
            let have = self.available()?;
            if have.is_empty() {
                return Err(self.truncated());
            }
            let n = have.len().min(into.len() - filled);
            into[filled..filled + n].copy_from_slice(&have[..n]);
            self.consume(n);
            filled += n;
        }
        Ok(())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], RedactError> {
        let mut a = [0u8; N];
        self.exact(&mut a)?;
        Ok(a)
    }

    /// `n` bytes, each slice handed to `sink` as it goes by.
    fn pass(
        &mut self,
        mut n: u64,
        mut sink: impl FnMut(&[u8]) -> Result<(), RedactError>,
    ) -> Result<(), RedactError> {
        while n > 0 {
            let have = self.available()?;
            if have.is_empty() {
                return Err(self.truncated());
            }
            let take = usize::try_from(n).unwrap_or(usize::MAX).min(have.len());
            sink(&have[..take])?;
            self.consume(take);
            n -= take as u64;
        }
        Ok(())
    }

    /// Read to the end of the input; the number of bytes that were left.
    fn drain(&mut self) -> Result<u64, RedactError> {
        let before = self.offset();
        loop {
            let n = self.available()?.len();
            if n == 0 {
                return Ok(self.total - before);
            }
            self.consume(n);
        }
    }
}

/// The output, counted and hashed.
struct Output<W> {
    inner: W,
    written: u64,
    hasher: Sha256,
}

impl<W: Write> Output<W> {
    fn new(inner: W) -> Self {
        Output {
            inner,
            written: 0,
            hasher: Sha256::new(),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), RedactError> {
        self.inner.write_all(bytes).map_err(RedactError::Write)?;
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), RedactError> {
        self.inner.flush().map_err(RedactError::Write)
    }
}

// ---- Exif: orientation only ------------------------------------------------

/// What matters in an Exif block (a TIFF structure) here: the orientation
/// and whether there is a GPS directory. Malformed blocks say nothing; they
/// are dropped whatever they hold.
#[derive(Debug, Default, PartialEq, Eq)]
struct ExifFacts {
    orientation: Option<u8>,
    location: bool,
}

/// Exif tag of the orientation (SHORT, 1 to 8).
const TAG_ORIENTATION: u16 = 0x0112;
/// Exif tag of the pointer to the GPS directory.
const TAG_GPS_IFD: u16 = 0x8825;
/// TIFF type SHORT.
const TIFF_SHORT: u16 = 3;

fn exif_facts(tiff: &[u8]) -> ExifFacts {
    let mut facts = ExifFacts::default();
    let big = match tiff.get(..4) {
        Some(b"MM\0*") => true,
        Some(b"II*\0") => false,
        _ => return facts,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let Some(ifd) = u32_at(4).and_then(|o| usize::try_from(o).ok()) else {
        return facts;
    };
    let Some(count) = u16_at(ifd) else {
        return facts;
    };
    for i in 0..usize::from(count) {
        let Some(entry) = ifd
            .checked_add(2 + 12 * i)
            .and_then(|at| Some((at, at.checked_add(12)?)))
            .filter(|&(_, end)| end <= tiff.len())
            .map(|(at, _)| at)
        else {
            break;
        };
        let (Some(tag), Some(kind), Some(n)) =
            (u16_at(entry), u16_at(entry + 2), u32_at(entry + 4))
        else {
            break;
        };
        match tag {
            TAG_ORIENTATION if kind == TIFF_SHORT && n == 1 => {
                facts.orientation = u16_at(entry + 8)
                    .filter(|o| (2..=8).contains(o))
                    .and_then(|o| u8::try_from(o).ok());
            }
            TAG_GPS_IFD => facts.location = true,
            _ => {}
        }
    }
    facts
}

/// A TIFF structure holding one entry, the orientation `o`: what the copy
/// carries instead of the original Exif (big endian, IFD at offset 8, no
/// next directory).
fn orientation_tiff(o: u8) -> [u8; 26] {
    let mut t = [0u8; 26];
    t[..8].copy_from_slice(b"MM\0*\0\0\0\x08");
    t[8..10].copy_from_slice(&1u16.to_be_bytes());
    t[10..12].copy_from_slice(&TAG_ORIENTATION.to_be_bytes());
    t[12..14].copy_from_slice(&TIFF_SHORT.to_be_bytes());
    t[14..18].copy_from_slice(&1u32.to_be_bytes());
    t[18..20].copy_from_slice(&u16::from(o).to_be_bytes());
    // t[20..22]: padding of the value field; t[22..26]: no next IFD.
    t
}

/// Records what an Exif block held and whether the copy must carry its
/// orientation: `Some(o)` the first time an orientation is met.
fn take_exif(tiff: &[u8], orientation: &mut Option<u8>, removed: &mut Removed) -> Option<u8> {
    let facts = exif_facts(tiff);
    let carried = match (facts.orientation, *orientation) {
        (Some(o), None) => {
            *orientation = Some(o);
            Some(o)
        }
        _ => None,
    };
    // The block the copy itself carries is not metadata being removed.
    let ours = carried.is_some_and(|o| tiff == orientation_tiff(o));
    if !ours {
        removed.add(RemovedKind::Exif);
        if facts.location {
            removed.add(RemovedKind::Location);
        }
    }
    carried
}

// ---- JPEG ------------------------------------------------------------------

const JFIF: &[u8] = b"JFIF\0";
const JFXX: &[u8] = b"JFXX\0";
const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENDED: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const ICC: &[u8] = b"ICC_PROFILE\0";
const MPF: &[u8] = b"MPF\0";
const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
const ADOBE: &[u8] = b"Adobe";
/// Length of the Adobe APP14 payload (colour transform): "Adobe", version,
/// two flag words, transform.
const ADOBE_LEN: usize = 12;
/// Length of a JFIF APP0 payload without a thumbnail.
const JFIF_LEN: usize = 14;

fn is_frame(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF)
}

/// The segments of a JPEG that a decoder needs (besides frames and scans):
/// Huffman and arithmetic tables, quantisation tables, restart interval,
/// number of lines, hierarchical progression.
fn is_table(marker: u8) -> bool {
    matches!(marker, 0xC4 | 0xCC | 0xDB | 0xDC | 0xDD | 0xDE | 0xDF)
}

fn jpeg<R: Read, W: Write>(
    inp: &mut Input<R>,
    out: &mut Output<W>,
    removed: &mut Removed,
) -> Result<Option<u8>, RedactError> {
    // Sniffed: FF D8 FF.
    inp.consume(2);
    out.write(&[0xFF, 0xD8])?;
    let mut orientation = None;
    let mut frame_seen = false;
    let mut jfif_written = false;
    let mut pending: Option<u8> = None;
    let mut payload = vec![0u8; usize::from(u16::MAX)];
    loop {
        let marker = match pending.take() {
            Some(m) => m,
            None => jpeg_marker(inp)?,
        };
        match marker {
            0xD9 => {
                out.write(&[0xFF, 0xD9])?;
                return Ok(orientation);
            }
            0x00 | 0x01 | 0xD0..=0xD8 => return Err(inp.malformed(Defect::MisplacedMarker(marker))),
            _ => {}
        }
        let [hi, lo] = inp.array::<2>()?;
        let len = u16::from_be_bytes([hi, lo]);
        if len < 2 {
            return Err(inp.malformed(Defect::SegmentLength));
        }
        let body = &mut payload[..usize::from(len - 2)];
        inp.exact(body)?;
        let body: &[u8] = body;
        let keep = |out: &mut Output<W>| -> Result<(), RedactError> {
            out.write(&[0xFF, marker, hi, lo])?;
            out.write(body)
        };
        match marker {
            m if is_frame(m) => {
                frame_seen = true;
                keep(out)?;
            }
            m if is_table(m) => keep(out)?,
            0xDA => {
                if !frame_seen {
                    return Err(inp.malformed(Defect::ScanBeforeFrame));
                }
                keep(out)?;
                pending = Some(jpeg_scan(inp, out)?);
            }
            0xFE => removed.add(RemovedKind::Comment),
            0xE0 if body.starts_with(JFIF) && body.len() >= JFIF_LEN && !jfif_written => {
                // The header without its thumbnail (and without any bytes
                // after it).
                let mut jfif = [0u8; JFIF_LEN];
                jfif[..12].copy_from_slice(&body[..12]);
                if body[12] != 0 || body[13] != 0 {
                    removed.add(RemovedKind::Thumbnail);
                } else if body.len() > JFIF_LEN {
                    removed.add(RemovedKind::AppSegment(0));
                }
                out.write(&[0xFF, 0xE0, 0, JFIF_LEN as u8 + 2])?;
                out.write(&jfif)?;
                jfif_written = true;
            }
            0xE0 if body.starts_with(JFXX) => removed.add(RemovedKind::Thumbnail),
            0xE1 if body.starts_with(EXIF) => {
                if let Some(o) = take_exif(&body[EXIF.len()..], &mut orientation, removed) {
                    let tiff = orientation_tiff(o);
                    let len = (2 + EXIF.len() + tiff.len()) as u16;
                    out.write(&[0xFF, 0xE1])?;
                    out.write(&len.to_be_bytes())?;
                    out.write(EXIF)?;
                    out.write(&tiff)?;
                }
            }
            0xE1 if body.starts_with(XMP) || body.starts_with(XMP_EXTENDED) => {
                removed.add(RemovedKind::Xmp)
            }
            0xE2 if body.starts_with(ICC) => removed.add(RemovedKind::IccProfile),
            0xE2 if body.starts_with(MPF) => removed.add(RemovedKind::MultiPicture),
            0xED if body.starts_with(PHOTOSHOP) => removed.add(RemovedKind::Iptc),
            0xEE if body.starts_with(ADOBE) && body.len() == ADOBE_LEN => keep(out)?,
            m @ 0xE0..=0xEF => removed.add(RemovedKind::AppSegment(m - 0xE0)),
            m => {
                return Err(RedactError::UnknownPart {
                    media: Media::Jpeg,
                    part: Part::JpegMarker(m),
                })
            }
        }
    }
}

/// The next marker code: `0xFF`, any fill `0xFF` bytes, then the code.
fn jpeg_marker<R: Read>(inp: &mut Input<R>) -> Result<u8, RedactError> {
    if inp.byte()? != 0xFF {
        return Err(inp.malformed(Defect::ExpectedMarker));
    }
    loop {
        match inp.byte()? {
            0xFF => continue,
            code => return Ok(code),
        }
    }
}

/// Copy entropy-coded scan data byte for byte (stuffed zeros and restart
/// markers included) up to the next marker, whose code is returned.
fn jpeg_scan<R: Read, W: Write>(
    inp: &mut Input<R>,
    out: &mut Output<W>,
) -> Result<u8, RedactError> {
    loop {
        let have = inp.available()?;
        if have.is_empty() {
            return Err(inp.truncated());
        }
        match have.iter().position(|&b| b == 0xFF) {
            None => {
                let n = have.len();
                out.write(have)?;
                inp.consume(n);
            }
            Some(p) => {
                out.write(&have[..p])?;
                inp.consume(p + 1);
                let mut fill = 0u64;
                let code = loop {
                    match inp.byte()? {
                        0xFF => fill += 1,
                        code => break code,
                    }
                };
                if code == 0x00 || (0xD0..=0xD7).contains(&code) {
                    for _ in 0..=fill {
                        out.write(&[0xFF])?;
                    }
                    out.write(&[code])?;
                } else {
                    return Ok(code);
                }
            }
        }
    }
}

// ---- PNG -------------------------------------------------------------------

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// The largest chunk length PNG allows.
const PNG_MAX_CHUNK: u32 = 0x7FFF_FFFF;

/// Chunks a viewer needs to show the image as it was, kept as they are.
const PNG_KEEP: [&[u8; 4]; 10] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"cICP",
];

fn png<R: Read, W: Write>(
    inp: &mut Input<R>,
    out: &mut Output<W>,
    removed: &mut Removed,
) -> Result<Option<u8>, RedactError> {
    inp.consume(PNG_SIGNATURE.len());
    out.write(&PNG_SIGNATURE)?;
    let mut orientation = None;
    let mut first = true;
    loop {
        let at = inp.offset();
        let header = inp.array::<8>()?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let name = [header[4], header[5], header[6], header[7]];
        let at_chunk = |defect| RedactError::Malformed {
            media: Media::Png,
            offset: at,
            defect,
        };
        if len > PNG_MAX_CHUNK {
            return Err(at_chunk(Defect::ChunkLength));
        }
        if !name.iter().all(u8::is_ascii_alphabetic) {
            return Err(at_chunk(Defect::ChunkType));
        }
        if first != (&name == b"IHDR") || (first && len != 13) {
            return Err(at_chunk(Defect::Header));
        }
        first = false;
        let mut crc = crc32fast::Hasher::new();
        crc.update(&name);
        if PNG_KEEP.contains(&&name) {
            out.write(&header)?;
            inp.pass(u64::from(len), |data| {
                crc.update(data);
                out.write(data)
            })?;
            let stored = inp.array::<4>()?;
            if u32::from_be_bytes(stored) != crc.finalize() {
                return Err(at_chunk(Defect::ChunkCrc(FourCc(name))));
            }
            out.write(&stored)?;
            if &name == b"IEND" {
                return Ok(orientation);
            }
            continue;
        }
        let kind = match &name {
            b"acTL" | b"fcTL" | b"fdAT" => return Err(RedactError::Animated { media: Media::Png }),
            b"eXIf" => RemovedKind::Exif,
            b"tEXt" | b"zTXt" | b"iTXt" => RemovedKind::Text,
            b"tIME" => RemovedKind::Time,
            b"iCCP" => RemovedKind::IccProfile,
            b"pHYs" => RemovedKind::PixelDensity,
            n if n[0].is_ascii_uppercase() => {
                return Err(RedactError::UnknownPart {
                    media: Media::Png,
                    part: Part::PngChunk(FourCc(name)),
                })
            }
            _ => RemovedKind::PngChunk(FourCc(name)),
        };
        // Dropped, but read through and checked like the rest. Exif small
        // enough is kept in memory to find its orientation.
        let mut exif = Vec::new();
        let scan = kind == RemovedKind::Exif && len as usize <= MAX_REDACT_EXIF_SCAN;
        inp.pass(u64::from(len), |data| {
            crc.update(data);
            if scan {
                exif.extend_from_slice(data);
            }
            Ok(())
        })?;
        if u32::from_be_bytes(inp.array::<4>()?) != crc.finalize() {
            return Err(at_chunk(Defect::ChunkCrc(FourCc(name))));
        }
        if kind != RemovedKind::Exif {
            removed.add(kind);
        } else if let Some(o) = take_exif(&exif, &mut orientation, removed) {
            let tiff = orientation_tiff(o);
            let mut crc = crc32fast::Hasher::new();
            crc.update(b"eXIf");
            crc.update(&tiff);
            out.write(&(tiff.len() as u32).to_be_bytes())?;
            out.write(b"eXIf")?;
            out.write(&tiff)?;
            out.write(&crc.finalize().to_be_bytes())?;
        } else if !scan {
            removed.add(RemovedKind::Exif);
        }
    }
}

// ---- WebP ------------------------------------------------------------------

/// VP8X flag bits.
const VP8X_ICC: u8 = 0x20;
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;
const VP8X_ANIMATION: u8 = 0x02;
/// Length of the `VP8X` payload.
const VP8X_LEN: u32 = 10;

fn webp<R: Read, W: Write>(
    inp: &mut Input<R>,
    out: &mut Output<W>,
    removed: &mut Removed,
) -> Result<Option<u8>, RedactError> {
    let header = inp.array::<12>()?;
    let riff_len = u64::from(u32::from_le_bytes([
        header[4], header[5], header[6], header[7],
    ]));
    if riff_len + 8 > MAX_REDACT_WEBP_LEN {
        return Err(RedactError::TooLarge {
            media: Media::Webp,
            limit: MAX_REDACT_WEBP_LEN,
        });
    }
    if riff_len < 4 {
        return Err(inp.malformed(Defect::RiffSize));
    }
    let end = 8 + riff_len;
    // Kept chunks, header included, in order; `vp8x` indexes the flag byte.
    let mut kept: Vec<u8> = Vec::new();
    let mut vp8x: Option<usize> = None;
    let mut images = 0u32;
    let mut orientation = None;
    let mut first = true;
    while inp.offset() < end {
        if inp.offset() + 8 > end {
            return Err(inp.malformed(Defect::RiffSize));
        }
        let chunk = inp.array::<8>()?;
        let name = [chunk[0], chunk[1], chunk[2], chunk[3]];
        let len = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
        let padded = u64::from(len) + u64::from(len & 1);
        if inp.offset() + padded > end {
            return Err(inp.malformed(Defect::RiffSize));
        }
        let is_first = std::mem::take(&mut first);
        if is_first {
            match &name {
                b"VP8 " | b"VP8L" => {}
                b"VP8X" if len == VP8X_LEN => vp8x = Some(8),
                _ => return Err(inp.malformed(Defect::WebpHeader)),
            }
        }
        let keep = match &name {
            b"VP8X" => is_first,
            b"VP8 " | b"VP8L" => {
                images += 1;
                true
            }
            b"ALPH" => vp8x.is_some(),
            b"ANIM" | b"ANMF" => return Err(RedactError::Animated { media: Media::Webp }),
            _ => false,
        };
        if keep {
            kept.extend_from_slice(&chunk);
            inp.pass(padded, |data| {
                kept.extend_from_slice(data);
                Ok(())
            })?;
            continue;
        }
        let kind = match &name {
            b"EXIF" => RemovedKind::Exif,
            b"XMP " => RemovedKind::Xmp,
            b"ICCP" => RemovedKind::IccProfile,
            _ => RemovedKind::RiffChunk(FourCc(name)),
        };
        let scan = kind == RemovedKind::Exif && len as usize <= MAX_REDACT_EXIF_SCAN;
        let mut exif = Vec::new();
        inp.pass(padded, |data| {
            if scan {
                exif.extend_from_slice(data);
            }
            Ok(())
        })?;
        if kind != RemovedKind::Exif {
            removed.add(kind);
            continue;
        }
        exif.truncate(len as usize);
        // Some writers put the JPEG "Exif\0\0" prefix in front of the TIFF.
        let tiff = exif.strip_prefix(EXIF).unwrap_or(&exif);
        // Only the extended format can carry Exif at all.
        let carried = take_exif(tiff, &mut orientation, removed);
        if vp8x.is_none() {
            orientation = None;
            removed.add(RemovedKind::Exif);
        } else if let Some(o) = carried {
            kept.extend_from_slice(b"EXIF");
            kept.extend_from_slice(&26u32.to_le_bytes());
            kept.extend_from_slice(&orientation_tiff(o));
        } else if !scan {
            removed.add(RemovedKind::Exif);
        }
    }
    if images != 1 {
        return Err(inp.malformed(Defect::WebpImage));
    }
    if let Some(flags) = vp8x.and_then(|at| kept.get_mut(at)) {
        *flags &= !(VP8X_ICC | VP8X_EXIF | VP8X_XMP);
        if *flags & VP8X_ANIMATION != 0 {
            return Err(RedactError::Animated { media: Media::Webp });
        }
        if orientation.is_some() {
            *flags |= VP8X_EXIF;
        }
    }
    // `kept` is within the input's RIFF size, itself under the limit.
    let riff_len = u32::try_from(4 + kept.len()).map_err(|_| inp.malformed(Defect::RiffSize))?;
    out.write(b"RIFF")?;
    out.write(&riff_len.to_le_bytes())?;
    out.write(b"WEBP")?;
    out.write(&kept)?;
    Ok(orientation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiff_le(entries: &[(u16, u16, u32, u32)]) -> Vec<u8> {
        let mut t = b"II*\0\x08\0\0\0".to_vec();
        t.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for &(tag, kind, n, value) in entries {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&kind.to_le_bytes());
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&value.to_le_bytes());
        }
        t.extend_from_slice(&0u32.to_le_bytes());
        t
    }

    #[test]
    fn exif_facts_find_the_orientation_and_a_gps_directory_in_either_byte_order() {
        let le = tiff_le(&[
            (0x010F, 2, 4, 0),
            (TAG_ORIENTATION, 3, 1, 6),
            (TAG_GPS_IFD, 4, 1, 100),
        ]);
        assert_eq!(
            exif_facts(&le),
            ExifFacts {
                orientation: Some(6),
                location: true
            }
        );
        assert_eq!(
            exif_facts(&orientation_tiff(8)),
            ExifFacts {
                orientation: Some(8),
                location: false
            }
        );
    }

    #[test]
    fn exif_facts_ignore_upright_orientation_and_malformed_blocks() {
        assert_eq!(
            exif_facts(&tiff_le(&[(TAG_ORIENTATION, 3, 1, 1)])),
            ExifFacts::default()
        );
        assert_eq!(
            exif_facts(&tiff_le(&[(TAG_ORIENTATION, 3, 1, 9)])),
            ExifFacts::default()
        );
        assert_eq!(
            exif_facts(&tiff_le(&[(TAG_ORIENTATION, 4, 1, 6)])),
            ExifFacts::default()
        );
        assert_eq!(exif_facts(b"II*\0\xff\xff\xff\xff"), ExifFacts::default());
        assert_eq!(exif_facts(b"XX"), ExifFacts::default());
        // A directory claiming more entries than there are bytes.
        let mut t = tiff_le(&[(TAG_ORIENTATION, 3, 1, 3)]);
        t[8] = 0xFF;
        assert_eq!(exif_facts(&t).orientation, Some(3));
    }

    #[test]
    fn media_types_are_matched_without_case_or_parameters_and_others_are_named() {
        assert_eq!(
            Media::from_media_type(" IMAGE/JPEG ; q=1").ok(),
            Some(Media::Jpeg)
        );
        assert_eq!(Media::from_media_type("image/png").ok(), Some(Media::Png));
        assert_eq!(Media::from_media_type("image/webp").ok(), Some(Media::Webp));
        for other in [
            "video/mp4",
            "audio/ogg",
            "application/pdf",
            "image/heic",
            "image/gif",
            "",
        ] {
            match Media::from_media_type(other) {
                Err(RedactError::Unsupported { media_type }) => assert_eq!(media_type, other),
                r => panic!("{other}: {r:?}"),
            }
        }
        match Media::from_media_type("video/\u{202E}4pm\n") {
            Err(RedactError::Unsupported { media_type }) => assert_eq!(media_type, "video/?4pm?"),
            r => panic!("{r:?}"),
        }
    }

    #[test]
    fn four_letter_names_print_non_ascii_as_question_marks() {
        assert_eq!(FourCc(*b"tEXt").to_string(), "tEXt");
        assert_eq!(FourCc([b'a', 0, 0xFF, b' ']).to_string(), "a?? ");
    }
}
