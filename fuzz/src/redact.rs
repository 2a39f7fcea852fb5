//! The property the `redact` fuzz target checks, in a file of its own: it
//! needs `sanad-client`, which `fuzz/src/lib.rs` (also compiled into the
//! protocol crate's tests) must not. Included by `fuzz_targets/redact.rs`
//! and by `client/tests/redact.rs`, which replays the committed corpus
//! (`fuzz/corpus/redact/`) on stable Rust.

use sanad_client::evidence::redact::{strip_metadata, Media, RedactError};
use sha2::{Digest, Sha256};

/// `strip_metadata` on the input as each of the three formats, and as a
/// type it refuses: never panics. An accepted input gives a summary that
/// matches the bytes (counts and hashes), and a copy that is clean: cleaning
/// it again removes nothing and gives the same bytes and orientation.
/// Refused types write nothing.
pub fn redact(data: &[u8]) {
    for media in [Media::Jpeg, Media::Png, Media::Webp] {
        let mut out = Vec::new();
        let Ok(summary) = strip_metadata(data, &mut out, media.media_type()) else {
            continue;
        };
        assert_eq!(summary.media, media);
        assert_eq!(
            summary.bytes_in,
            data.len() as u64,
            "input not read to its end"
        );
        assert_eq!(summary.bytes_out, out.len() as u64);
        assert_eq!(summary.input_sha256, <[u8; 32]>::from(Sha256::digest(data)));
        assert_eq!(
            summary.output_sha256,
            <[u8; 32]>::from(Sha256::digest(&out))
        );
        let mut again = Vec::new();
        let second = strip_metadata(out.as_slice(), &mut again, media.media_type())
            .expect("a cleaned copy is accepted again");
        assert!(
            second.removed.is_empty(),
            "a cleaned copy still had {:?}",
            second.removed
        );
        assert_eq!(second.orientation, summary.orientation);
        assert_eq!(again, out, "cleaning is not idempotent");
    }
    let mut out = Vec::new();
    match strip_metadata(data, &mut out, "video/mp4") {
        Err(RedactError::Unsupported { .. }) => assert!(out.is_empty()),
        other => panic!("video accepted: {other:?}"),
    }
}
