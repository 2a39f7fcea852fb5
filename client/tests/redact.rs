//! Metadata stripping (`evidence::redact`) on small JPEG, PNG and WebP files
//! built here byte by byte, with the metadata phones write (Exif with a GPS
//! directory, XMP, IPTC, ICC profiles, comments, thumbnails, text chunks,
//! appended images). Copies are checked for what they must not contain, for
//! what they must keep byte for byte, and by real decoders.
//!
//! Also replays the `redact` fuzz corpus (`fuzz/corpus/redact/`) through the
//! fuzz target's own check. `SANAD_REGENERATE_CORPUS=1 cargo test -p
//! sanad-client --test redact` rewrites the seed files from the samples
//! below (it only adds or overwrites its own files).

#[path = "../../fuzz/src/redact.rs"]
mod fuzz_check;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sanad_client::evidence::redact::{
    strip_metadata, Defect, FourCc, Media, Part, RedactError, RemovedKind,
};

// ---- samples ------------------------------------------------------------------

/// Bytes no copy may contain: they stand for a serial number, a place, a
/// name and an editing tool.
const SECRETS: [&[u8]; 6] = [
    b"SERIAL-4417",
    b"Misrata",
    b"Witness Name",
    b"PhotoEditor 9",
    b"GPSLatitude",
    b"thumbnail-pixels",
];

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A little-endian TIFF structure: IFD0 with make, model, serial (as an
/// ASCII value), orientation `orientation`, and a pointer to a GPS directory
/// holding latitude and longitude.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    let text = b"SERIAL-4417 Misrata\0";
    // Header (8) + IFD0: count (2) + 4 entries (48) + next (4) = 62; the GPS
    // IFD follows: count (2) + 2 entries (24) + next (4) = 30 → 92; then text.
    let gps_at = 62u32;
    let text_at = 92u32;
    let mut t = b"II*\0\x08\0\0\0".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, n: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x010F, 2, text.len() as u32, text_at); // Make
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation)); // Orientation
    entry(&mut t, 0xA431, 2, text.len() as u32, text_at); // BodySerialNumber
    entry(&mut t, 0x8825, 4, 1, gps_at); // GPS IFD
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), gps_at as usize);
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")); // GPSLatitudeRef
    entry(&mut t, 0x0002, 5, 3, text_at); // GPSLatitude (points at text: enough here)
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), text_at as usize);
    t.extend_from_slice(text);
    t
}

/// The frame of an 8×8 grey baseline JPEG: quantisation table, frame header,
/// one-code Huffman tables, scan header (everything but SOI, the scan data
/// and EOI). Every block is "DC difference 0, end of block".
fn jpeg_frame(restart: bool) -> Vec<u8> {
    let mut f = segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat());
    f.extend(segment(
        0xC0,
        &[8, 0, 8, 0, if restart { 16 } else { 8 }, 1, 1, 0x11, 0],
    ));
    let one_code = |class: u8| {
        let mut t = vec![class, 1];
        t.extend_from_slice(&[0u8; 15]);
        t.push(0);
        t
    };
    f.extend(segment(0xC4, &one_code(0x00)));
    f.extend(segment(0xC4, &one_code(0x10)));
    if restart {
        f.extend(segment(0xDD, &[0, 1]));
    }
    f.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    f
}

/// Scan data: each 8×8 block is the two one-bit codes "0", "0", padded
/// with ones.
const BLOCK: u8 = 0x3F;

/// A clean 8×8 JPEG (JFIF header without thumbnail).
fn jpeg_clean() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00"));
    j.extend(jpeg_frame(false));
    j.push(BLOCK);
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// The same picture as a phone writes it: JFIF with a thumbnail, Exif
/// (orientation `orientation`, serial, GPS), XMP, ICC, IPTC, a comment, a
/// multi-picture segment, and a second image appended after EOI.
fn jpeg_phone(orientation: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    let mut jfif = b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x01\x01".to_vec();
    jfif.extend_from_slice(b"thu"); // 1×1 RGB thumbnail
    j.extend(segment(0xE0, &jfif));
    j.extend(segment(
        0xE1,
        &[b"Exif\0\0".as_slice(), &exif_tiff(orientation)].concat(),
    ));
    j.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>32,22N</exif:GPSLatitude><xmp:CreatorTool>PhotoEditor 9</xmp:CreatorTool></x:xmpmeta>",
    ));
    j.extend(segment(
        0xE2,
        b"ICC_PROFILE\0\x01\x01Apple Computer Inc. Display P3",
    ));
    j.extend(segment(0xE2, b"MPF\0MM\0*\0\0\0\x08"));
    j.extend(segment(
        0xED,
        b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x10\x1c\x02\x50\0\x0cWitness Name",
    ));
    j.extend(segment(0xFE, b"thumbnail-pixels and a comment"));
    j.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"));
    j.extend(jpeg_frame(false));
    j.push(BLOCK);
    j.extend_from_slice(&[0xFF, 0xD9]);
    j.extend(jpeg_trailer());
    j
}

/// A second picture, as the multi-picture format appends it after the
/// first one's end.
fn jpeg_trailer() -> Vec<u8> {
    let mut t = vec![0xFF, 0xD8];
    t.extend(segment(0xE1, b"Exif\0\0SERIAL-4417"));
    t.extend_from_slice(&[0xFF, 0xD9]);
    t
}

/// What the PNG and WebP samples carry after their end.
const TRAILER: &[u8] = b"Misrata: appended after the end";

fn png_chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(name);
    c.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(name);
    crc.update(data);
    c.extend_from_slice(&crc.finalize().to_be_bytes());
    c
}

/// Critical chunks of a 2×2 RGB PNG (IHDR, IDAT as a stored zlib stream).
fn png_ihdr() -> Vec<u8> {
    png_chunk(b"IHDR", &[0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0])
}

const PNG_ROWS: [u8; 14] = [0, 200, 10, 10, 10, 200, 10, 0, 10, 10, 200, 250, 250, 250];

fn png_idat() -> Vec<u8> {
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&(PNG_ROWS.len() as u16).to_le_bytes());
    z.extend_from_slice(&(!(PNG_ROWS.len() as u16)).to_le_bytes());
    z.extend_from_slice(&PNG_ROWS);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &PNG_ROWS {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    png_chunk(b"IDAT", &z)
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn png_clean() -> Vec<u8> {
    let mut p = PNG_SIGNATURE.to_vec();
    p.extend(png_ihdr());
    p.extend(png_chunk(b"gAMA", &45_455u32.to_be_bytes()));
    p.extend(png_idat());
    p.extend(png_chunk(b"IEND", &[]));
    p
}

fn png_phone(orientation: u16) -> Vec<u8> {
    let mut p = PNG_SIGNATURE.to_vec();
    p.extend(png_ihdr());
    p.extend(png_chunk(b"gAMA", &45_455u32.to_be_bytes()));
    p.extend(png_chunk(b"iCCP", b"Display P3\0\0compressed-profile"));
    p.extend(png_chunk(b"pHYs", &[0, 0, 0x16, 0x25, 0, 0, 0x16, 0x25, 1]));
    p.extend(png_chunk(b"eXIf", &exif_tiff(orientation)));
    p.extend(png_chunk(b"tEXt", b"Author\0Witness Name"));
    p.extend(png_chunk(
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>PhotoEditor 9</x:xmpmeta>",
    ));
    p.extend(png_chunk(b"tIME", &[0x07, 0xEA, 11, 18, 11, 6, 40]));
    p.extend(png_chunk(b"prVt", b"GPSLatitude"));
    p.extend(png_idat());
    p.extend(png_chunk(b"zTXt", b"Comment\0\0x"));
    p.extend(png_chunk(b"IEND", &[]));
    p.extend_from_slice(TRAILER);
    p
}

/// LSB-first bit writer for the VP8L bitstream.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    used: u32,
}

impl Bits {
    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            if self.used & 7 == 0 {
                self.bytes.push(0);
            }
            let bit = ((value >> i) & 1) as u8;
            if let Some(last) = self.bytes.last_mut() {
                *last |= bit << (self.used % 8);
            }
            self.used += 1;
        }
    }
}

/// A lossless 2×2 WebP image of one colour: every prefix code is "simple"
/// with a single symbol, so pixels take no bits.
fn vp8l(argb: [u8; 4]) -> Vec<u8> {
    let mut b = Bits::default();
    b.put(0x2F, 8);
    b.put(1, 14); // width − 1
    b.put(1, 14); // height − 1
    b.put(1, 1); // alpha used
    b.put(0, 3); // version
    b.put(0, 1); // no transform
    b.put(0, 1); // no colour cache
    b.put(0, 1); // no meta prefix codes
    let [a, r, g, blue] = argb;
    for symbol in [g, r, blue, a] {
        b.put(1, 1); // simple code
        b.put(0, 1); // one symbol
        b.put(1, 1); // eight bits
        b.put(u32::from(symbol), 8);
    }
    b.put(1, 1); // distance: simple code
    b.put(0, 1); // one symbol
    b.put(0, 1); // one bit
    b.put(0, 1); // symbol 0
    b.bytes
}

fn riff_chunk(name: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = name.to_vec();
    c.extend_from_slice(&(data.len() as u32).to_le_bytes());
    c.extend_from_slice(data);
    if data.len() % 2 == 1 {
        c.push(0);
    }
    c
}

fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut w = b"RIFF".to_vec();
    w.extend_from_slice(&(4 + body.len() as u32).to_le_bytes());
    w.extend_from_slice(b"WEBP");
    w.extend(body);
    w
}

const WEBP_COLOUR: [u8; 4] = [255, 200, 30, 60];

fn webp_clean() -> Vec<u8> {
    riff(&[riff_chunk(b"VP8L", &vp8l(WEBP_COLOUR))])
}

fn vp8x(flags: u8) -> Vec<u8> {
    riff_chunk(b"VP8X", &[flags, 0, 0, 0, 1, 0, 0, 1, 0, 0])
}

fn webp_phone(orientation: u16) -> Vec<u8> {
    let mut w = riff(&[
        vp8x(0x20 | 0x10 | 0x08 | 0x04),
        riff_chunk(b"ICCP", b"Apple Computer Inc. Display P3"),
        riff_chunk(b"VP8L", &vp8l(WEBP_COLOUR)),
        riff_chunk(b"EXIF", &exif_tiff(orientation)),
        riff_chunk(
            b"XMP ",
            b"<x:xmpmeta>PhotoEditor 9, Witness Name</x:xmpmeta>",
        ),
        riff_chunk(b"prvt", b"GPSLatitude"),
    ]);
    w.extend_from_slice(TRAILER);
    w
}

// ---- helpers ---------------------------------------------------------------------

fn strip(
    data: &[u8],
    media_type: &str,
) -> Result<(Vec<u8>, sanad_client::evidence::redact::RedactionSummary), RedactError> {
    let mut out = Vec::new();
    let summary = strip_metadata(data, &mut out, media_type)?;
    Ok((out, summary))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_no_secrets(out: &[u8]) {
    for s in SECRETS {
        assert!(
            !contains(out, s),
            "{:?} survived",
            String::from_utf8_lossy(s)
        );
    }
}

fn decode_jpeg(data: &[u8]) -> Vec<u8> {
    let mut d = jpeg_decoder::Decoder::new(data);
    d.decode().expect("the JPEG decodes")
}

fn decode_png(data: &[u8]) -> Vec<u8> {
    let decoder = png::Decoder::new(io::Cursor::new(data));
    let mut reader = decoder.read_info().expect("the PNG header decodes");
    let mut buf = vec![0; reader.output_buffer_size().expect("small image")];
    let info = reader.next_frame(&mut buf).expect("the PNG decodes");
    buf.truncate(info.buffer_size());
    buf
}

fn decode_webp(data: &[u8]) -> Vec<u8> {
    let mut d =
        image_webp::WebPDecoder::new(io::Cursor::new(data)).expect("the WebP header decodes");
    let mut buf = vec![0; d.output_buffer_size().expect("small image")];
    d.read_image(&mut buf).expect("the WebP decodes");
    buf
}

/// A reader handing out one byte per call.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&b, rest)), Some(slot)) => {
                *slot = b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

// ---- JPEG ----------------------------------------------------------------------

#[test]
fn jpeg_from_a_phone_comes_out_without_exif_gps_xmp_iptc_icc_comment_thumbnail_or_appended_image() {
    let original = jpeg_phone(1);
    let (out, summary) = strip(&original, "image/jpeg").expect("cleaned");
    assert_no_secrets(&out);
    assert!(
        !contains(&out, b"Exif"),
        "an upright photo needs no Exif at all"
    );
    assert!(!contains(&out, b"ICC_PROFILE") && !contains(&out, b"8BIM") && !contains(&out, b"MPF"));
    assert_eq!(
        summary.removed,
        [
            RemovedKind::Thumbnail,
            RemovedKind::Exif,
            RemovedKind::Location,
            RemovedKind::Xmp,
            RemovedKind::IccProfile,
            RemovedKind::MultiPicture,
            RemovedKind::Iptc,
            RemovedKind::Comment,
            RemovedKind::TrailingData,
        ]
    );
    assert_eq!(summary.orientation, None);
    // What is left is exactly the clean picture plus the Adobe segment.
    let mut expected = jpeg_clean();
    let adobe = segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01");
    let at = 2 + 18;
    expected.splice(at..at, adobe);
    assert_eq!(out, expected);
    assert_eq!(decode_jpeg(&out), decode_jpeg(&jpeg_clean()));
    assert_eq!(decode_jpeg(&out), vec![128u8; 64]);
}

#[test]
fn jpeg_orientation_survives_in_a_single_entry_exif_block_and_nothing_else() {
    let (out, summary) = strip(&jpeg_phone(6), "image/jpeg").expect("cleaned");
    assert_eq!(summary.orientation, Some(6));
    assert!(summary.removed.contains(&RemovedKind::Exif));
    assert!(summary.removed.contains(&RemovedKind::Location));
    assert_no_secrets(&out);
    let exif = segment(
        0xE1,
        b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0",
    );
    assert!(contains(&out, &exif), "no orientation block");
    assert_eq!(out.windows(4).filter(|w| *w == b"Exif").count(), 1);
    assert_eq!(decode_jpeg(&out), vec![128u8; 64]);
}

#[test]
fn jpeg_scan_data_is_copied_byte_for_byte_with_stuffed_bytes_fill_and_restart_markers() {
    let scan = [
        0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0x00, 0xFF, 0xD7, 0x9A,
    ];
    let mut j = vec![0xFF, 0xD8];
    j.extend(jpeg_frame(true));
    j.extend_from_slice(&scan);
    // Fill bytes before the next marker, then a comment between scans.
    j.extend_from_slice(&[0xFF, 0xFF]);
    j.extend(segment(0xFE, b"Witness Name"));
    j.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    j.extend_from_slice(&scan);
    j.extend_from_slice(&[0xFF, 0xD9]);
    let (out, summary) = strip(&j, "image/jpeg").expect("cleaned");
    assert_eq!(summary.removed, [RemovedKind::Comment]);
    let mut expected = vec![0xFF, 0xD8];
    expected.extend(jpeg_frame(true));
    expected.extend_from_slice(&scan);
    expected.extend(segment(0xDA, &[1, 1, 0x00, 0, 63, 0]));
    expected.extend_from_slice(&scan);
    expected.extend_from_slice(&[0xFF, 0xD9]);
    assert_eq!(out, expected);
}

#[test]
fn jpeg_with_restart_markers_decodes_to_the_same_pixels() {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xFE, b"Witness Name"));
    j.extend(jpeg_frame(true));
    j.extend_from_slice(&[BLOCK, 0xFF, 0xD0, BLOCK, 0xFF, 0xD9]);
    let (out, _) = strip(&j, "image/jpeg").expect("cleaned");
    assert_eq!(decode_jpeg(&out), vec![128u8; 128]);
    assert_eq!(decode_jpeg(&out), decode_jpeg(&j));
}

#[test]
fn jpeg_markers_that_are_unknown_or_misplaced_are_refused() {
    let mut j = jpeg_clean();
    j.splice(2..2, segment(0xF7, b"JPEG-LS"));
    assert!(matches!(
        strip(&j, "image/jpeg"),
        Err(RedactError::UnknownPart {
            media: Media::Jpeg,
            part: Part::JpegMarker(0xF7)
        })
    ));
    let mut j = jpeg_clean();
    j.splice(2..2, [0xFF, 0xD0]);
    assert!(matches!(
        strip(&j, "image/jpeg"),
        Err(RedactError::Malformed {
            defect: Defect::MisplacedMarker(0xD0),
            offset: 4,
            ..
        })
    ));
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    j.extend_from_slice(&[BLOCK, 0xFF, 0xD9]);
    assert!(matches!(
        strip(&j, "image/jpeg"),
        Err(RedactError::Malformed {
            defect: Defect::ScanBeforeFrame,
            ..
        })
    ));
    let mut j = jpeg_clean();
    j.splice(2..2, [0xFF, 0xFE, 0x00, 0x01]);
    assert!(matches!(
        strip(&j, "image/jpeg"),
        Err(RedactError::Malformed {
            defect: Defect::SegmentLength,
            ..
        })
    ));
}

// ---- PNG -----------------------------------------------------------------------

#[test]
fn png_comes_out_with_only_the_chunks_needed_to_show_it_and_decodes_to_the_same_pixels() {
    let (out, summary) = strip(&png_phone(1), "image/png").expect("cleaned");
    assert_no_secrets(&out);
    assert_eq!(out, png_clean());
    assert_eq!(
        summary.removed,
        [
            RemovedKind::IccProfile,
            RemovedKind::PixelDensity,
            RemovedKind::Exif,
            RemovedKind::Location,
            RemovedKind::Text,
            RemovedKind::Time,
            RemovedKind::PngChunk(FourCc(*b"prVt")),
            RemovedKind::TrailingData,
        ]
    );
    assert_eq!(
        decode_png(&out),
        PNG_ROWS
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 7 != 0)
            .map(|(_, b)| *b)
            .collect::<Vec<_>>()
    );
    assert_eq!(decode_png(&out), decode_png(&png_phone(1)));
}

#[test]
fn png_orientation_survives_in_a_new_exif_chunk_with_its_own_crc() {
    let (out, summary) = strip(&png_phone(8), "image/png").expect("cleaned");
    assert_eq!(summary.orientation, Some(8));
    assert_no_secrets(&out);
    let exif = png_chunk(
        b"eXIf",
        b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x08\0\0\0\0\0\0",
    );
    assert!(contains(&out, &exif));
    decode_png(&out);
}

#[test]
fn png_with_a_bad_crc_an_animation_or_an_unknown_critical_chunk_is_refused() {
    let mut p = png_phone(1);
    // Signature, IHDR, gAMA: iCCP starts at 49, its data at 57.
    p[57] ^= 1;
    assert!(matches!(
        strip(&p, "image/png"),
        Err(RedactError::Malformed { defect: Defect::ChunkCrc(FourCc(n)), offset: 49, .. }) if &n == b"iCCP"
    ));
    let mut p = png_clean();
    p.splice(33..33, png_chunk(b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]));
    assert!(matches!(
        strip(&p, "image/png"),
        Err(RedactError::Animated { media: Media::Png })
    ));
    let mut p = png_clean();
    p.splice(33..33, png_chunk(b"ZZZZ", b"?"));
    assert!(matches!(
        strip(&p, "image/png"),
        Err(RedactError::UnknownPart { part: Part::PngChunk(FourCc(n)), .. }) if &n == b"ZZZZ"
    ));
    let mut p = PNG_SIGNATURE.to_vec();
    p.extend(png_idat());
    assert!(matches!(
        strip(&p, "image/png"),
        Err(RedactError::Malformed {
            defect: Defect::Header,
            ..
        })
    ));
}

// ---- WebP ----------------------------------------------------------------------

#[test]
fn webp_loses_exif_xmp_icc_and_unknown_chunks_with_flags_and_riff_size_corrected() {
    let (out, summary) = strip(&webp_phone(1), "image/webp").expect("cleaned");
    assert_no_secrets(&out);
    assert_eq!(
        summary.removed,
        [
            RemovedKind::IccProfile,
            RemovedKind::Exif,
            RemovedKind::Location,
            RemovedKind::Xmp,
            RemovedKind::RiffChunk(FourCc(*b"prvt")),
            RemovedKind::TrailingData,
        ]
    );
    assert_eq!(
        out,
        riff(&[vp8x(0x10), riff_chunk(b"VP8L", &vp8l(WEBP_COLOUR))])
    );
    let pixels = decode_webp(&out);
    assert_eq!(pixels, decode_webp(&webp_clean()));
    assert_eq!(
        pixels,
        [200, 30, 60, 255].repeat(4),
        "RGBA of the one colour"
    );
}

#[test]
fn webp_orientation_survives_in_a_new_exif_chunk_with_the_exif_flag() {
    let (out, summary) = strip(&webp_phone(3), "image/webp").expect("cleaned");
    assert_eq!(summary.orientation, Some(3));
    assert_no_secrets(&out);
    let exif = riff_chunk(
        b"EXIF",
        b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x03\0\0\0\0\0\0",
    );
    assert_eq!(
        out,
        riff(&[
            vp8x(0x10 | 0x08),
            riff_chunk(b"VP8L", &vp8l(WEBP_COLOUR)),
            exif
        ])
    );
    decode_webp(&out);
}

#[test]
fn webp_animations_and_broken_containers_are_refused() {
    let w = riff(&[
        vp8x(0x02),
        riff_chunk(b"ANIM", &[0; 6]),
        riff_chunk(b"ANMF", &[0; 16]),
    ]);
    assert!(matches!(
        strip(&w, "image/webp"),
        Err(RedactError::Animated { media: Media::Webp })
    ));
    let mut w = webp_clean();
    w[4] = w[4].wrapping_add(8); // a RIFF size past the end of the file
    assert!(matches!(
        strip(&w, "image/webp"),
        Err(RedactError::Truncated {
            media: Media::Webp,
            ..
        })
    ));
    let mut w = webp_clean();
    w[16] = w[16].wrapping_add(2); // a chunk running past the RIFF size
    assert!(matches!(
        strip(&w, "image/webp"),
        Err(RedactError::Malformed {
            defect: Defect::RiffSize,
            offset: 20,
            ..
        })
    ));
    let w = riff(&[vp8x(0), riff_chunk(b"EXIF", &exif_tiff(1))]);
    assert!(matches!(
        strip(&w, "image/webp"),
        Err(RedactError::Malformed {
            defect: Defect::WebpImage,
            ..
        })
    ));
    let mut w = webp_clean();
    w[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        strip(&w, "image/webp"),
        Err(RedactError::TooLarge { .. })
    ));
}

// ---- every format --------------------------------------------------------------

fn samples() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("ok_jpeg_clean", "image/jpeg", jpeg_clean()),
        ("ok_jpeg_phone_upright", "image/jpeg", jpeg_phone(1)),
        ("ok_jpeg_phone_rotated", "image/jpeg", jpeg_phone(6)),
        ("ok_png_clean", "image/png", png_clean()),
        ("ok_png_phone_upright", "image/png", png_phone(1)),
        ("ok_png_phone_mirrored", "image/png", png_phone(2)),
        ("ok_webp_clean", "image/webp", webp_clean()),
        ("ok_webp_phone_upright", "image/webp", webp_phone(1)),
        ("ok_webp_phone_rotated", "image/webp", webp_phone(8)),
    ]
}

#[test]
fn summaries_count_and_hash_exactly_what_was_read_and_written() {
    use sha2::{Digest, Sha256};
    for (name, media_type, data) in samples() {
        let (out, summary) = strip(&data, media_type).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(summary.bytes_in, data.len() as u64, "{name}");
        assert_eq!(summary.bytes_out, out.len() as u64, "{name}");
        assert_eq!(
            summary.input_sha256,
            <[u8; 32]>::from(Sha256::digest(&data)),
            "{name}"
        );
        assert_eq!(
            summary.output_sha256,
            <[u8; 32]>::from(Sha256::digest(&out)),
            "{name}"
        );
        assert_eq!(summary.media.media_type(), media_type);
    }
}

#[test]
fn clean_files_come_out_unchanged_and_copies_are_clean() {
    for (name, media_type, data) in samples() {
        let (out, summary) = strip(&data, media_type).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.ends_with("clean") {
            assert_eq!(out, data, "{name} changed");
            assert!(summary.removed.is_empty(), "{name}: {:?}", summary.removed);
        }
        fuzz_check::redact(&data);
    }
}

#[test]
fn a_reader_giving_one_byte_at_a_time_gives_the_same_copy() {
    for (name, media_type, data) in samples() {
        let (whole, _) = strip(&data, media_type).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut trickled = Vec::new();
        let summary = strip_metadata(Trickle(&data), &mut trickled, media_type)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(trickled, whole, "{name}");
        assert_eq!(summary.bytes_in, data.len() as u64);
    }
}

#[test]
fn every_truncation_of_an_image_is_refused_without_panicking() {
    for (name, media_type, data) in samples() {
        // Clean samples end with their image; phone samples with trailing data.
        let trailer = match (name.ends_with("clean"), media_type) {
            (true, _) => 0,
            (false, "image/jpeg") => jpeg_trailer().len(),
            (false, _) => TRAILER.len(),
        };
        for cut in 0..data.len() - trailer {
            let result = strip(&data[..cut], media_type);
            assert!(result.is_err(), "{name} cut at {cut} accepted");
        }
    }
}

#[test]
fn large_scans_stream_through_in_bounded_steps() {
    // 8 MiB of scan data (no 0xFF): copied through the 64 KiB buffer.
    let mut j = vec![0xFF, 0xD8];
    j.extend(jpeg_frame(false));
    j.extend(vec![BLOCK; 8 << 20]);
    j.extend_from_slice(&[0xFF, 0xD9]);
    let mut sink = io::sink();
    let summary = strip_metadata(j.as_slice(), &mut sink, "image/jpeg").expect("cleaned");
    assert_eq!(summary.bytes_out, j.len() as u64);
}

#[test]
fn other_media_types_are_refused_by_name_and_nothing_is_written() {
    for media_type in [
        "video/mp4",
        "video/quicktime",
        "audio/mpeg",
        "audio/ogg",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/heic",
        "image/gif",
        "text/plain",
    ] {
        let mut out = Vec::new();
        match strip_metadata(jpeg_phone(1).as_slice(), &mut out, media_type) {
            Err(e @ RedactError::Unsupported { .. }) => {
                assert!(e.to_string().contains(media_type), "{e}");
            }
            other => panic!("{media_type}: {other:?}"),
        }
        assert!(out.is_empty(), "{media_type}: bytes written");
    }
}

#[test]
fn content_that_is_not_the_declared_format_is_refused_and_nothing_is_written() {
    let cases: [(&str, Vec<u8>, Option<Media>); 4] = [
        ("image/jpeg", png_clean(), Some(Media::Png)),
        ("image/png", webp_clean(), Some(Media::Webp)),
        ("image/webp", jpeg_clean(), Some(Media::Jpeg)),
        ("image/jpeg", b"%PDF-1.7 Witness Name".to_vec(), None),
    ];
    for (media_type, data, found) in cases {
        let mut out = Vec::new();
        match strip_metadata(data.as_slice(), &mut out, media_type) {
            Err(RedactError::ContentMismatch { found: f, .. }) => assert_eq!(f, found),
            other => panic!("{media_type}: {other:?}"),
        }
        assert!(out.is_empty());
    }
}

// ---- fuzz corpus ----------------------------------------------------------------

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/redact")
}

/// Seeds: the samples, and broken variants that reach each refusal.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds: Vec<(String, Vec<u8>)> = samples()
        .into_iter()
        .map(|(n, _, d)| (n.to_owned(), d))
        .collect();
    let mut bad_crc = png_clean();
    bad_crc[30] ^= 0x40;
    let mut apng = png_clean();
    apng.splice(33..33, png_chunk(b"acTL", &[0, 0, 0, 2, 0, 0, 0, 0]));
    let mut unknown_marker = jpeg_clean();
    unknown_marker.splice(2..2, segment(0xF7, b"JPEG-LS"));
    let mut scan = vec![0xFF, 0xD8];
    scan.extend(jpeg_frame(true));
    scan.extend_from_slice(&[0x12, 0xFF, 0x00, 0xFF, 0xD0, 0xFF, 0xFF, 0x00, 0xFF, 0xD9]);
    let mut simple_with_exif = webp_clean();
    simple_with_exif.extend(riff_chunk(b"EXIF", &exif_tiff(6)));
    let len = (simple_with_exif.len() - 8) as u32;
    simple_with_exif[4..8].copy_from_slice(&len.to_le_bytes());
    seeds.extend([
        ("ok_jpeg_scan_stuffing_restart_fill".to_owned(), scan),
        (
            "ok_webp_simple_with_stray_exif".to_owned(),
            simple_with_exif,
        ),
        ("fail_png_bad_crc".to_owned(), bad_crc),
        ("fail_png_animated".to_owned(), apng),
        ("fail_jpeg_unknown_marker".to_owned(), unknown_marker),
        (
            "fail_webp_animated".to_owned(),
            riff(&[vp8x(0x02), riff_chunk(b"ANIM", &[0; 6])]),
        ),
        (
            "fail_jpeg_truncated".to_owned(),
            jpeg_phone(6)[..200].to_vec(),
        ),
        ("fail_not_an_image".to_owned(), b"%PDF-1.7".to_vec()),
    ]);
    seeds
}

#[test]
fn every_redact_corpus_file_replays_through_the_fuzz_check() {
    if std::env::var("SANAD_REGENERATE_CORPUS").as_deref() == Ok("1") {
        fs::create_dir_all(corpus_dir()).expect("create corpus dir");
        for (name, data) in seeds() {
            fs::write(corpus_dir().join(name), data).expect("write corpus file");
        }
    }
    let mut n = 0;
    for entry in fs::read_dir(corpus_dir()).expect("fuzz/corpus/redact") {
        let path = entry.expect("directory entry").path();
        let data = fs::read(&path).expect("corpus file");
        let outcome = std::panic::catch_unwind(|| fuzz_check::redact(&data));
        assert!(outcome.is_ok(), "{} fails its check", path.display());
        n += 1;
    }
    assert!(n >= 10, "only {n} corpus files");
}
