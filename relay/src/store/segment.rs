//! One blob segment's bytes as received, with the SHA-256 computed over
//! exactly those bytes.
//!
//! A [`SegmentBytes`] comes only from [`SegmentHasher::finish`] (bytes
//! hashed piece by piece while they arrive, so the hash costs no second pass
//! over the segment and no time after its last byte) or from
//! [`SegmentBytes::hash`] (one pass over bytes already in memory). A store is
//! therefore never handed bytes whose hash nobody computed; it compares that
//! hash with the one the client declared.
//!
//! The bytes stay in the buffer they were received into (aligned for direct
//! file writes): no copy after the read.

use bytes::Bytes;
use sanad_protocol::SegmentHash;
use sha2::{Digest, Sha256};

/// A segment's bytes and their SHA-256.
#[derive(Clone)]
pub struct SegmentBytes {
    data: Bytes,
    hash: SegmentHash,
}

impl std::fmt::Debug for SegmentBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Ciphertext, but still content: never printed.
        f.debug_struct("SegmentBytes")
            .field("len", &self.data.len())
            .finish_non_exhaustive()
    }
}

impl SegmentBytes {
    /// Hash bytes already in memory (one pass).
    pub fn hash(data: impl Into<Bytes>) -> SegmentBytes {
        let data = data.into();
        let hash = SegmentHash::of(&data);
        SegmentBytes { data, hash }
    }

    /// The bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// SHA-256 of [`Self::data`].
    pub fn sha256(&self) -> &SegmentHash {
        &self.hash
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Address alignment of the segment buffers [`SegmentHasher`] fills: the
/// page size, which direct (uncached) file writes require of their memory
/// on every file system.
pub const DIRECT_IO_ALIGN: usize = 4096;

/// Builds a [`SegmentBytes`] of a known length from the pieces a stream
/// delivers, hashing each piece once, while it is still in the cache.
///
/// The bytes land in one buffer whose first byte sits at a
/// [`DIRECT_IO_ALIGN`]-aligned address, so that a store can write them to a
/// file without a copy into the page cache (`sled_files`). The buffer is
/// zeroed when allocated (safe Rust cannot read into memory that is not
/// initialised); pieces are read straight into it, never copied again.
pub struct SegmentHasher {
    buf: Vec<u8>,
    /// Where the segment starts in `buf` (the aligned address).
    start: usize,
    /// The segment's length.
    len: usize,
    /// Bytes received so far.
    filled: usize,
    sha: Sha256,
}

impl SegmentHasher {
    /// Room for a segment of `len` bytes (the caller has bounded `len`).
    pub fn with_len(len: usize) -> SegmentHasher {
        let buf = vec![0u8; len + DIRECT_IO_ALIGN];
        let start = buf
            .as_ptr()
            .align_offset(DIRECT_IO_ALIGN)
            .min(DIRECT_IO_ALIGN);
        SegmentHasher {
            buf,
            start,
            len,
            filled: 0,
            sha: Sha256::new(),
        }
    }

    /// Where the next bytes go: the rest of the segment.
    pub fn unfilled(&mut self) -> &mut [u8] {
        let (from, to) = (self.start + self.filled, self.start + self.len);
        &mut self.buf[from..to]
    }

    /// `n` more bytes were written at the start of [`Self::unfilled`]: hash
    /// them. At most the room left is counted.
    pub fn advance(&mut self, n: usize) {
        let n = n.min(self.len - self.filled);
        let from = self.start + self.filled;
        self.sha.update(&self.buf[from..from + n]);
        self.filled += n;
    }

    /// Bytes received so far.
    pub fn filled(&self) -> usize {
        self.filled
    }

    /// Whether every byte of the segment arrived.
    pub fn is_complete(&self) -> bool {
        self.filled == self.len
    }

    /// The bytes received and their hash.
    pub fn finish(self) -> SegmentBytes {
        let range = self.start..self.start + self.filled;
        SegmentBytes {
            data: Bytes::from(self.buf).slice(range),
            hash: SegmentHash(self.sha.finalize().into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(whole: &[u8], piece: usize) -> SegmentHasher {
        let mut h = SegmentHasher::with_len(whole.len());
        for chunk in whole.chunks(piece) {
            h.unfilled()[..chunk.len()].copy_from_slice(chunk);
            h.advance(chunk.len());
        }
        h
    }

    #[test]
    fn pieces_hashed_while_arriving_give_the_hash_of_the_whole() {
        let whole: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let h = fill(&whole, 7_001);
        assert!(h.is_complete());
        let seg = h.finish();
        assert_eq!(seg.data().as_ref(), &whole[..]);
        assert_eq!(seg.sha256(), &SegmentHash::of(&whole));
        assert_eq!(seg.sha256(), SegmentBytes::hash(whole).sha256());
    }

    #[test]
    fn the_segment_starts_at_an_aligned_address_whatever_its_length() {
        for len in [1, 4095, 4096, 4097, 300_000, 1 << 20] {
            let whole = vec![3u8; len];
            let seg = fill(&whole, 65_536).finish();
            assert_eq!(seg.len(), len);
            assert_eq!(
                seg.data().as_ptr().align_offset(DIRECT_IO_ALIGN),
                0,
                "{len}"
            );
        }
    }

    #[test]
    fn an_unfinished_segment_keeps_only_what_arrived() {
        let mut h = SegmentHasher::with_len(10);
        h.unfilled()[..4].copy_from_slice(b"abcd");
        h.advance(4);
        // More than the room left is never counted.
        h.advance(100);
        assert_eq!(h.filled(), 10);
        let mut h = SegmentHasher::with_len(10);
        h.unfilled()[..4].copy_from_slice(b"abcd");
        h.advance(4);
        assert!(!h.is_complete());
        let seg = h.finish();
        assert_eq!(seg.data().as_ref(), b"abcd");
        assert_eq!(seg.sha256(), &SegmentHash::of(b"abcd"));
    }
}
