//! Evidence on this device: what is done with a captured file after it is
//! signed and logged.
//!
//! - [`redact`]: a copy of a photo without its identifying metadata (EXIF,
//!   GPS, XMP, IPTC, comments, thumbnails), for sharing; the original is
//!   never touched.
//! - [`report`]: the human-readable HTML report of an export bundle, in the
//!   desk's language.

pub mod redact;
pub mod report;
