//! # sanad-client
//!
//! The client library: a pinned connection to a Sanad relay, mailbox
//! operations and resumable blob transfers. It knows nothing of terminals
//! (a CLI and a desktop app sit on top of it); progress is reported through
//! the [`Progress`] trait, failures through [`ClientError`].
//!
//! - [`transport`]: the connection. QUIC first, TLS over TCP as the
//!   fallback (happy eyeballs), the relay authenticated by the SPKI pin in
//!   its address and nothing else; reconnection and request exchange. Owns
//!   every socket and timer.
//! - [`mailbox`]: create, deposit, list, fetch, acknowledge; owner-signed
//!   requests with the relay clock offset.
//! - [`log`]: the relay's transparency log: its key, appends with verified
//!   receipts, checkpoints, consistency and inclusion proofs; everything
//!   verified before it is returned, forks and rollbacks named.
//! - [`blob`]: resumable, streaming uploads and verified downloads in fixed
//!   segments, memory bounded by the segments in flight.
//! - [`profile`]: the profile directory on the device: the Argon2id-wrapped
//!   profile key, the encrypted local store, the upload spool, and
//!   crypto-shredding for a panic wipe. Owns every file of a profile.
//! - [`mls`]: this device's MLS identity and groups, and the encrypted
//!   persistence of all MLS state.
//! - [`messenger`]: a profile's contacts, conversations, history and outbox
//!   (what the `sanad` CLI drives).
//! - [`evidence`]: what is done with captured evidence on this device:
//!   metadata-free copies for sharing ([`evidence::redact`]) and the
//!   human-readable report of an export ([`evidence::report`]).
//! - [`anchor`]: RFC 3161 timestamp tokens for log checkpoints, fetched
//!   from a timestamp authority over HTTP and verified before use.
//! - [`i18n`]: every user-facing string, in English, French and Arabic
//!   (Fluent), with bidi isolation for right-to-left text.
//! - [`limits`]: every timeout and bound the client uses.
//! - [`error`]: [`ClientError`], one variant per failure a caller may treat
//!   differently; no message carries secrets or contents.
//!
//! The byte formats and cryptographic checks are in `sanad-protocol`; this
//! crate drives them over the network.

#![forbid(unsafe_code)]

pub mod anchor;
pub mod blob;
mod clock;
pub mod error;
pub mod evidence;
pub mod i18n;
pub mod limits;
pub mod log;
pub mod mailbox;
pub mod messenger;
pub mod mls;
pub mod profile;
pub mod transport;

pub use blob::{BlobState, BlobUpload, NoProgress, Progress, SealedBlob, UploadOutcome};
pub use error::ClientError;
pub use mailbox::{MailboxOwner, MessageList, Messages};
pub use sanad_protocol::response::{MessageHeader, StoredMessage};
pub use transport::{Client, Congestion, ConnectOptions, TransportKind, TransportMode};
