//! The messenger: a profile's contacts, conversations (MLS groups), history
//! and outbox, driven against one relay. This is what the `sanad` CLI (and
//! later the desktop app) calls; it knows nothing of terminals.
//!
//! How conversations travel (written down in `docs/messaging.md`):
//! - each profile has a **personal mailbox**; its send ID and an X25519
//!   sealing key travel in invites. It only ever receives sealed first
//!   contacts (an MLS Welcome and the new conversation's mailbox);
//! - each conversation (one-to-one or team) has its own **group mailbox**
//!   shared by its members. Everyone deposits there and reads from there
//!   in the relay's order, so every member sees the same sequence: the first
//!   valid commit for an epoch in relay order wins, and a device whose commit
//!   lost drops it and proposes its change again;
//! - group mailboxes are read with a cursor and never acknowledged (the
//!   relay's expiry removes old messages); the personal mailbox is
//!   acknowledged after each message is processed.
//!
//! Durability: every change (MLS state, records, outbox) is one atomic,
//! flushed write to the encrypted store, made *before* anything is sent.
//! Sending goes through the outbox, so a message written while the relay is
//! down waits there and leaves with the next [`Messenger::sync`] or
//! [`Messenger::flush_outbox`].

mod contact;
mod evidence;
mod evidence_desk;
mod evidence_export;
mod group;
mod records;
mod sync;
mod transfer;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ed25519_dalek::SigningKey;
use sanad_protocol::address::RelayAddress;
use sanad_protocol::content::{ContentError, GroupMailbox};
use sanad_protocol::ids::{ReceiveId, SendId};
use sanad_protocol::invite::InviteError;

use crate::mailbox::MailboxOwner;
use crate::mls::{Mls, MlsError};
use crate::profile::keyfile::{KdfParams, Passphrase};
use crate::profile::store::{Store, StoreError, Table};
use crate::profile::{ProfileDir, ProfileError};
use crate::{Client, ClientError, ConnectOptions};

pub use contact::{same_name, ContactView};
pub use evidence::{CaptureRequest, EvidenceState, EvidenceView, TESTIMONY_FILE_NAME};
pub use evidence_desk::{parse_device_key, DeviceView};
pub use evidence_export::{AnchorView, ExportView, RedactView};
pub use group::GroupView;
pub use records::{DeliveryState, LocalId};
pub use sync::{HistoryView, OutboxView, SyncReport};
pub use transfer::FileView;

use records::{Identity, MailboxSecret, SealSecret};

/// Default self-update policy: after 100 messages sent in a group…
pub const DEFAULT_UPDATE_EVERY_MESSAGES: u32 = 100;
/// …or a week.
pub const DEFAULT_UPDATE_EVERY_SECS: u64 = 7 * 24 * 3600;

/// Why a messenger operation failed: one variant per thing a person (or the
/// CLI) handles differently. No variant carries contents, names of people or
/// key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessengerError {
    /// Opening or creating the profile failed.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The encrypted store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The relay could not be reached or refused.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// MLS refused an operation or a message.
    #[error(transparent)]
    Mls(#[from] MlsError),
    /// The invite could not be read.
    #[error(transparent)]
    Invite(#[from] InviteError),
    /// The invite names another relay than this profile's.
    #[error("the invite is for another relay than this profile's")]
    OtherRelay,
    /// The invite is this profile's own.
    #[error("this is your own invite")]
    OwnInvite,
    /// The invite's person is already a contact.
    #[error("this person is already a contact")]
    AlreadyContact,
    /// No contact or group has this name.
    #[error("no contact or group has that name")]
    UnknownName,
    /// No message has this ID.
    #[error("no message has that ID")]
    UnknownMessage,
    /// The message is not a file.
    #[error("that message is not a file")]
    NotAFile,
    /// A name is already used by a contact or group.
    #[error("that name is already used")]
    NameTaken,
    /// A name that cannot be used (empty, too long, control characters).
    #[error("that name cannot be used")]
    InvalidName,
    /// The contact has not yet sent the key needed to add them to a team;
    /// they must run `sync` once.
    #[error("that contact has no key for joining a group yet")]
    NoKeyPackage,
    /// The contact is already in the group.
    #[error("already a member of that group")]
    AlreadyMember,
    /// The contact is not in the group.
    #[error("not a member of that group")]
    NotAMember,
    /// This device is no longer a member of the conversation.
    #[error("you are no longer a member of that conversation")]
    NotMember,
    /// That operation needs a team, not a one-to-one conversation.
    #[error("that is a contact, not a group")]
    NotATeam,
    /// A received file does not match the hash its sender signed.
    #[error("the received file does not match its hash; it was not saved")]
    Integrity,
    /// A message's contents could not be decoded.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// A record in the store does not decode.
    #[error("a record in the profile store is damaged")]
    CorruptRecord,
    /// The path to send is not a regular file.
    #[error("not a regular file")]
    NotARegularFile,
    /// The file changed while it was being read for sending.
    #[error("the file changed while it was being read")]
    FileChanged,
    /// The file is larger than the relay accepts.
    #[error("the file is larger than the relay accepts")]
    FileTooLarge,
    /// A local file operation failed.
    #[error("local file error: {0}")]
    Io(#[from] std::io::Error),
    /// Encrypting or decrypting a file failed.
    #[error("file encryption failed: {0}")]
    Age(String),
    /// No passphrase was given and there is no terminal to ask on.
    #[error("a passphrase is needed (SANAD_PASSPHRASE or --passphrase-file)")]
    PassphraseRequired,
    /// The two passphrases typed differ.
    #[error("the passphrases differ")]
    PassphraseMismatch,
    /// A new passphrase shorter than the minimum.
    #[error("the passphrase is too short")]
    PassphraseTooShort,
    /// No evidence item has this ID.
    #[error("no evidence item has that ID")]
    UnknownEvidence,
    /// `capture` was not told where to send and no default desk is set.
    #[error("no evidence desk is set; name one with --to")]
    NoEvidenceDesk,
    /// A device evidence key that is not 64 hex digits of an Ed25519 key.
    #[error("that is not a device evidence key")]
    BadDeviceKey,
    /// A `--log-key` that is not a log verifier key line
    /// (`sanad-relay log-key`) of a Sanad log.
    #[error("that is not a log key line")]
    BadLogKey,
    /// A `--field NAME=VALUE` with an unknown name or a value breaking its
    /// rule (the name is given).
    #[error("invalid evidence field {0}")]
    BadField(String),
    /// The testimony given is not UTF-8 text.
    #[error("the testimony is not text")]
    TestimonyNotText,
    /// The item is not one received here and verified (only those are
    /// exported or redacted).
    #[error("that evidence item is not verified here")]
    EvidenceNotVerified,
    /// The device of an item to export is enrolled by no desk: its bundle
    /// could not verify.
    #[error("the item's device is not enrolled")]
    DeviceNotEnrolled,
    /// A bundle just written did not pass the offline verifier (the
    /// failure's stable ID); nothing was left behind.
    #[error("the exported bundle did not verify: {0}")]
    ExportDidNotVerify(&'static str),
    /// Writing a bundle failed.
    #[error("writing the bundle failed: {0}")]
    Bundle(String),
    /// A redacted copy could not be made (unsupported or damaged file).
    #[error(transparent)]
    Redact(crate::evidence::redact::RedactError),
    /// Obtaining a timestamp token failed.
    #[error(transparent)]
    Anchor(crate::anchor::AnchorError),
    /// `sanad anchor` got a different number of `--tsa` and `--tsa-cert`.
    #[error("give one --tsa-cert for each --tsa")]
    TsaCertCount,
    /// A certificate file that is neither PEM nor DER of a reasonable size.
    #[error("that certificate file cannot be read")]
    BadCertificate,
    /// `sanad verify DIR` found no bundle (or too many) in the directory.
    #[error("no evidence bundle there")]
    NoBundles,
    /// A testimony with no text.
    #[error("the testimony is empty")]
    EmptyTestimony,
    /// A manifest could not be built (a field breaks its rule).
    #[error("the evidence manifest is invalid: {0}")]
    Manifest(sanad_protocol::evidence::ManifestError),
    /// An earlier failure left memory ahead of the disk; reopen the profile.
    #[error("an earlier failure interrupted this session; open the profile again")]
    Poisoned,
}

impl MessengerError {
    /// Whether the failure is the relay being out of reach (the work is
    /// queued and will be retried).
    pub fn is_offline(&self) -> bool {
        matches!(self, MessengerError::Client(e) if e.is_transient())
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// What `whoami` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProfileView {
    /// The display name sent to contacts.
    pub display_name: String,
    /// The relay address line.
    pub relay: String,
    /// This device's MLS signature key (hex).
    pub identity_key: String,
}

/// An open profile.
pub struct Messenger {
    dir: ProfileDir,
    store: Store,
    mls: Mls,
    identity: Identity,
    relay: RelayAddress,
    options: ConnectOptions,
    client: Option<Client>,
    poisoned: bool,
    /// Next outbox key (loaded lazily).
    outbox_next: Option<u64>,
    /// Groups joined while processing another group's message (their
    /// history lines are reported after that message is written).
    joined_elsewhere: Vec<(LocalId, Vec<u8>)>,
    /// Where long transfers report progress.
    progress: std::sync::Arc<dyn crate::blob::Progress>,
}

impl Messenger {
    /// Create a profile in `dir`: register a personal mailbox on `relay`
    /// (the relay must be reachable), then write the wrapped key, the store
    /// and the identity. Nothing is left behind on failure.
    pub async fn create(
        dir: ProfileDir,
        passphrase: &Passphrase,
        kdf: KdfParams,
        relay: RelayAddress,
        display_name: &str,
        options: ConnectOptions,
    ) -> Result<Messenger, MessengerError> {
        if !sanad_protocol::content::is_valid_display_name(display_name) {
            return Err(MessengerError::InvalidName);
        }
        if dir.exists() {
            return Err(ProfileError::AlreadyExists.into());
        }
        let client = Client::connect(&relay, options.clone()).await?;
        let inbox_key = SigningKey::generate(&mut rand_core::OsRng);
        let owner = client.create_mailbox(&inbox_key).await?;
        let seal = x25519_dalek::StaticSecret::random_from_rng(rand_core::OsRng);
        let identity = Identity {
            display_name: display_name.to_owned(),
            relay: relay.to_string(),
            inbox: MailboxSecret {
                receive_id: owner.receive_id().0,
                send_id: owner.send_id().0,
                owner_seed: inbox_key.to_bytes(),
            },
            seal_secret: SealSecret(seal.to_bytes()),
            inbox_cursor: 0,
            update_every_messages: DEFAULT_UPDATE_EVERY_MESSAGES,
            update_every_secs: DEFAULT_UPDATE_EVERY_SECS,
            created_at: now_secs(),
        };
        let mut mls = Mls::generate()?;
        let (_key, store) = dir.create(passphrase, kdf)?;
        let written = (|| -> Result<(), MessengerError> {
            let mut batch = store.batch();
            mls.persist_identity(&mut batch)?;
            mls.persist_into(&store, &mut batch)?;
            records::put(&mut batch, Table::Meta, IDENTITY_KEY, &identity)?;
            store.apply(batch)?;
            Ok(())
        })();
        if let Err(e) = written {
            drop(store);
            let _ = std::fs::remove_dir_all(dir.path());
            return Err(e);
        }
        Ok(Messenger {
            dir,
            store,
            mls,
            identity,
            relay,
            options,
            client: Some(client),
            poisoned: false,
            outbox_next: None,
            joined_elsewhere: Vec::new(),
            progress: std::sync::Arc::new(crate::blob::NoProgress),
        })
    }

    /// Open an existing profile with its passphrase. Does not touch the
    /// network.
    pub fn open(
        dir: ProfileDir,
        passphrase: &Passphrase,
        options: ConnectOptions,
    ) -> Result<Messenger, MessengerError> {
        let (_key, store) = dir.unlock(passphrase)?;
        let identity: Identity = records::get(&store, Table::Meta, IDENTITY_KEY)?
            .ok_or(MessengerError::CorruptRecord)?;
        let relay: RelayAddress = identity
            .relay
            .parse()
            .map_err(|_| MessengerError::CorruptRecord)?;
        let mls = Mls::load(&store)?;
        Ok(Messenger {
            dir,
            store,
            mls,
            identity,
            relay,
            options,
            client: None,
            poisoned: false,
            outbox_next: None,
            joined_elsewhere: Vec::new(),
            progress: std::sync::Arc::new(crate::blob::NoProgress),
        })
    }

    /// Who this profile is.
    pub fn profile(&self) -> ProfileView {
        ProfileView {
            display_name: self.identity.display_name.clone(),
            relay: self.identity.relay.clone(),
            identity_key: hex_of(&self.mls.signature_key()),
        }
    }

    /// The key-update policy: (messages sent in a conversation, seconds)
    /// after which this device renews its keys there.
    pub fn update_policy(&self) -> (u32, u64) {
        (
            self.identity.update_every_messages,
            self.identity.update_every_secs,
        )
    }

    /// Change the key-update policy (at least 1 message and 1 hour: more
    /// often only costs bandwidth, never is not an option).
    pub fn set_update_policy(&mut self, messages: u32, secs: u64) -> Result<(), MessengerError> {
        self.check()?;
        self.identity.update_every_messages = messages.max(1);
        self.identity.update_every_secs = secs.max(3600);
        let mut batch = self.store.batch();
        records::put(&mut batch, Table::Meta, IDENTITY_KEY, &self.identity)?;
        self.commit(batch)
    }

    /// The profile directory.
    pub fn dir(&self) -> &ProfileDir {
        &self.dir
    }

    /// The transport used for the last connection, if any.
    pub fn transport_kind(&self) -> Option<crate::TransportKind> {
        self.client.as_ref().map(|c| c.transport_kind())
    }

    /// Close the connection to the relay (if any).
    pub async fn close(&mut self) {
        if let Some(client) = self.client.take() {
            client.close().await;
        }
    }

    async fn client(&mut self) -> Result<&Client, MessengerError> {
        if self.client.is_none() {
            let client = Client::connect(&self.relay, self.options.clone()).await?;
            self.client = Some(client);
        }
        self.client.as_ref().ok_or(MessengerError::Poisoned)
    }

    /// Drop the connection after a transport failure so the next call
    /// reconnects.
    async fn forget_client_if(&mut self, err: &MessengerError) {
        if err.is_offline() {
            if let Some(client) = self.client.take() {
                client.close().await;
            }
        }
    }

    fn check(&self) -> Result<(), MessengerError> {
        if self.poisoned {
            Err(MessengerError::Poisoned)
        } else {
            Ok(())
        }
    }

    /// Apply `batch` with the MLS changes since the last write; on failure,
    /// memory is ahead of the disk and this value refuses further work.
    fn commit(
        &mut self,
        mut batch: crate::profile::store::WriteBatch,
    ) -> Result<(), MessengerError> {
        self.check()?;
        let result = self
            .mls
            .persist_into(&self.store, &mut batch)
            .map_err(MessengerError::from)
            .and_then(|()| self.store.apply(batch).map_err(MessengerError::from));
        if result.is_err() {
            self.poisoned = true;
        }
        result
    }

    fn spool_dir(&self) -> PathBuf {
        self.dir.spool_path()
    }
}

/// Store key of the identity record.
const IDENTITY_KEY: &[u8] = b"identity";

pub(crate) fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn mailbox_owner(secret: &MailboxSecret) -> MailboxOwner {
    MailboxOwner::from_parts(
        SigningKey::from_bytes(&secret.owner_seed),
        ReceiveId(secret.receive_id),
        SendId(secret.send_id),
    )
}

pub(crate) fn mailbox_secret(mailbox: &GroupMailbox) -> MailboxSecret {
    MailboxSecret {
        receive_id: mailbox.receive_id.0,
        send_id: mailbox.send_id.0,
        owner_seed: *mailbox.owner_seed.expose_secret(),
    }
}

/// Remove a file if it exists (spool cleanup).
pub(crate) fn remove_if_exists(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
