//! Every bound the wire format enforces, in one place.
//!
//! A length read from the network is checked against one of these before
//! anything is allocated. The relay may configure *tighter* limits (quotas,
//! maximum blob size); it can never accept more than these.

/// Size of a frame header: version (1) + kind (1) + body length (4).
pub const FRAME_HEADER_LEN: usize = 6;

/// Size of one blob segment. Every segment but the last is exactly this long.
pub const SEGMENT_SIZE: usize = 1024 * 1024;

/// Largest message body a mailbox accepts (ciphertext, already padded).
pub const MAX_MESSAGE_LEN: usize = 256 * 1024;

/// Largest frame body in either direction. Large enough for one full segment
/// plus its request fields, and for a fetch response carrying several messages.
pub const MAX_FRAME_BODY: usize = 2 * 1024 * 1024;

/// Largest body of a request that is not a segment upload. A relay reads at
/// most this many bytes for any request kind other than `BlobPut`.
pub const MAX_SMALL_REQUEST_BODY: usize = MAX_MESSAGE_LEN + 4096;

/// Largest blob the wire format can describe (the relay default is the same).
pub const MAX_BLOB_LEN: u64 = 4 * 1024 * 1024 * 1024;

/// Largest number of segments in one blob.
pub const MAX_SEGMENTS: u32 = (MAX_BLOB_LEN / SEGMENT_SIZE as u64) as u32;

/// Largest number of sequence numbers in one acknowledgement.
pub const MAX_ACK_SEQS: usize = 1024;

/// Largest number of entries in one list or fetch response.
pub const MAX_LIST_ITEMS: usize = 1024;

/// How far a signed request's timestamp may be from the relay's clock.
pub const MAX_CLOCK_SKEW_SECS: u64 = 10 * 60;

/// Longest host name accepted in a relay address.
pub const MAX_HOST_LEN: usize = 253;

// ------------------------------------------------------------------------
// Client-to-client formats (`docs/client-formats.md`). The relay never sees
// these in clear; clients check them before allocating, exactly as the relay
// checks the wire limits above.

/// Longest relay address string inside an invite (the same bound the address
/// parser applies to its input).
pub const MAX_RELAY_ADDRESS_LEN: usize = MAX_HOST_LEN + 80;

/// Largest TLS-serialized MLS KeyPackage carried in an invite or a hello.
pub const MAX_KEY_PACKAGE_LEN: usize = 4096;

/// Longest invite text accepted by the parser, checked before any decoding
/// (the largest invite is about 6,000 characters, so pasted line breaks fit).
pub const MAX_INVITE_TEXT_LEN: usize = 8 * 1024;

/// Largest encoded [`Content`](crate::content::Content): one MLS application
/// message or one sealed first-contact envelope. Below [`MAX_MESSAGE_LEN`] so
/// that MLS framing and envelope overhead still fit one mailbox message.
pub const MAX_CONTENT_LEN: usize = 200 * 1024;

/// Largest text message body, in UTF-8 bytes.
pub const MAX_TEXT_LEN: usize = 64 * 1024;

/// Longest display name, in UTF-8 bytes.
pub const MAX_DISPLAY_NAME_LEN: usize = 64;

/// Most key packages in one hello.
pub const MAX_HELLO_KEY_PACKAGES: usize = 8;

/// Longest age identity string (`AGE-SECRET-KEY-1…` is 74 bytes).
pub const MAX_AGE_IDENTITY_LEN: usize = 128;

/// Longest file name, in UTF-8 bytes.
pub const MAX_FILE_NAME_LEN: usize = 255;

/// Longest media type, in bytes (printable ASCII).
pub const MAX_MEDIA_TYPE_LEN: usize = 127;

/// Largest MLS Welcome message carried in a group welcome.
pub const MAX_WELCOME_LEN: usize = 192 * 1024;

/// Longest group name, in UTF-8 bytes.
pub const MAX_GROUP_NAME_LEN: usize = 128;

// ------------------------------------------------------------------------
// Transparency log (`docs/protocol.md` §14).

/// Most hashes in an inclusion or consistency proof: a tree of up to
/// `u64::MAX` leaves is 64 levels deep, and a consistency proof may add the
/// old tree's own subtree hash.
pub const MAX_PROOF_HASHES: usize = 65;

/// Longest signed note (a checkpoint with its signatures) accepted.
pub const MAX_NOTE_LEN: usize = 8 * 1024;

/// Most signature lines in a signed note (the C2SP minimum a verifier must
/// accept).
pub const MAX_NOTE_SIGNATURES: usize = 16;

/// Longest key name (and checkpoint origin), in bytes.
pub const MAX_KEY_NAME_LEN: usize = 255;

/// Longest receipt: a note plus its header and proof lines.
pub const MAX_RECEIPT_LEN: usize = MAX_NOTE_LEN + 4 * 1024;

// ------------------------------------------------------------------------
// Evidence (`docs/evidence-format.md`). Manifests, enrolments and derivative
// records travel inside encryption or inside an exported bundle; they are
// checked against these bounds before anything is allocated, like the rest.

/// Longest case reference in a manifest, in UTF-8 bytes.
pub const MAX_CASE_REF_LEN: usize = 128;

/// Longest value of one structured field of a manifest, in UTF-8 bytes.
pub const MAX_FIELD_VALUE_LEN: usize = 256;

/// Most items in the list of alleged ill-treatment types.
pub const MAX_FIELD_LIST_ITEMS: usize = 16;

/// Longest encoded manifest (the largest valid one is 2 510 bytes).
pub const MAX_MANIFEST_LEN: usize = 4 * 1024;

/// Longest signed manifest: a manifest and its 64-byte signature.
pub const MAX_SIGNED_MANIFEST_LEN: usize = MAX_MANIFEST_LEN + 64;

/// Largest evidence file a manifest can describe (the largest blob).
pub const MAX_EVIDENCE_LEN: u64 = MAX_BLOB_LEN;

/// Longest pseudonymous device label in an enrolment record.
pub const MAX_DEVICE_LABEL_LEN: usize = 64;

/// Longest organisation name in an enrolment record.
pub const MAX_ORGANISATION_LEN: usize = 128;

/// Longest signed enrolment record.
pub const MAX_SIGNED_ENROLMENT_LEN: usize = 512;

/// Longest signed derivative record.
pub const MAX_SIGNED_DERIVATIVE_LEN: usize = 512;

/// How far a device's capture time may lie outside the window the log
/// proves (before the checkpoint it had seen, after the checkpoint that
/// includes it) before the verifier calls it back- or forward-dated: the
/// relay's clock and the device's are both allowed this much error.
pub const DEVICE_CLOCK_TOLERANCE_SECS: u64 = 10 * 60;
// RFC 3161 timestamp tokens (`docs/anchoring.md`).

/// Largest timestamp token (CMS `SignedData` in DER) accepted. A token with
/// its certificate chain is a few kilobytes; sixteen times that leaves room
/// for long chains and RSA-4096 while bounding every parse.
pub const MAX_TSA_TOKEN_LEN: usize = 64 * 1024;

/// Largest `TimeStampResp` accepted: a token plus its status information.
pub const MAX_TSA_RESPONSE_LEN: usize = MAX_TSA_TOKEN_LEN + 4 * 1024;

/// Largest trusted TSA certificate (DER) a verifier is given.
pub const MAX_TSA_CERT_LEN: usize = 16 * 1024;

/// Most trusted TSA certificates one verification considers.
pub const MAX_TSA_TRUSTED_CERTS: usize = 64;

/// Most signed attributes in a token's `SignerInfo` (TSAs send four or five).
pub const MAX_TSA_SIGNED_ATTRS: usize = 32;

/// Most values in one signed attribute (each attribute we read has one).
pub const MAX_TSA_ATTR_VALUES: usize = 8;

// ------------------------------------------------------------------------
// Evidence bundles (`docs/evidence-format.md` §6). Checked before anything
// in a bundle is read or allocated; the original file is streamed.

/// Largest bundle accepted: the largest evidence file and room for the rest.
pub const MAX_BUNDLE_LEN: u64 = MAX_EVIDENCE_LEN + 4 * 1024 * 1024;

/// Most entries in a bundle (a full one has 45).
pub const MAX_BUNDLE_ENTRIES: usize = 48;

/// Largest ZIP central directory of a bundle.
pub const MAX_BUNDLE_CENTRAL_DIRECTORY_LEN: u64 = 64 * 1024;

/// Largest small part of a bundle (a note, a receipt, a proof, a record, a
/// key); the original, the timestamp tokens and the summary have their own.
pub const MAX_BUNDLE_PART_LEN: u64 = 16 * 1024;

/// Largest untrusted summary (`summary.json`) of a bundle.
pub const MAX_BUNDLE_SUMMARY_LEN: u64 = 64 * 1024;

/// Most RFC 3161 anchors in a bundle.
pub const MAX_BUNDLE_ANCHORS: usize = 8;

/// Most derivative records in a bundle.
pub const MAX_BUNDLE_DERIVATIVES: usize = 8;
