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
//! The bytes stay in the buffer they were received into: no zeroing before
//! the read, no copy after it.

use bytes::{Bytes, BytesMut};
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

/// Builds a [`SegmentBytes`] from pieces as they arrive, hashing each piece
/// once, while it is still in the cache.
///
/// Pieces split in order from one buffer (`BytesMut::split` after each
/// read) are joined back without copying.
pub struct SegmentHasher {
    data: BytesMut,
    sha: Sha256,
}

impl Default for SegmentHasher {
    fn default() -> Self {
        SegmentHasher::new()
    }
}

impl SegmentHasher {
    /// An empty segment.
    pub fn new() -> SegmentHasher {
        SegmentHasher {
            data: BytesMut::new(),
            sha: Sha256::new(),
        }
    }

    /// Append the next piece.
    pub fn push(&mut self, piece: BytesMut) {
        self.sha.update(&piece);
        if self.data.is_empty() {
            self.data = piece;
        } else {
            // O(1) when `piece` directly follows `data` in the same buffer.
            self.data.unsplit(piece);
        }
    }

    /// Bytes so far.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether nothing was pushed yet.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The bytes and their hash.
    pub fn finish(self) -> SegmentBytes {
        SegmentBytes {
            data: self.data.freeze(),
            hash: SegmentHash(self.sha.finalize().into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hashed_while_arriving_give_the_hash_of_the_whole() {
        let whole: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let mut buf = BytesMut::with_capacity(whole.len());
        let mut h = SegmentHasher::new();
        for piece in whole.chunks(7_001) {
            buf.extend_from_slice(piece);
            h.push(buf.split());
        }
        let seg = h.finish();
        assert_eq!(seg.data().as_ref(), &whole[..]);
        assert_eq!(seg.sha256(), &SegmentHash::of(&whole));
        assert_eq!(seg.sha256(), SegmentBytes::hash(whole).sha256());
    }

    #[test]
    fn pieces_from_one_buffer_are_joined_without_copying() {
        let mut buf = BytesMut::with_capacity(64);
        let start = buf.as_ptr();
        let mut h = SegmentHasher::new();
        for piece in [&b"abc"[..], b"defgh", b"i"] {
            buf.extend_from_slice(piece);
            h.push(buf.split());
        }
        let seg = h.finish();
        assert_eq!(seg.data().as_ref(), b"abcdefghi");
        assert_eq!(seg.data().as_ptr(), start);
    }
}
