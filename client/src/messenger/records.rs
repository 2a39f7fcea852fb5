//! The records a profile keeps in its encrypted store, and their keys.
//!
//! Keys are random IDs and counters only (the store keeps keys in clear);
//! everything else is inside the encrypted values. Values are JSON: small,
//! and readable by a developer who holds the profile key.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::profile::store::{Store, Table, WriteBatch};

use super::MessengerError;

/// A local ID: 8 random bytes, shown to people as 16 hex digits.
pub type LocalId = [u8; 8];

/// Fresh random local ID.
pub fn new_id() -> LocalId {
    let mut id = [0u8; 8];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut id);
    id
}

/// Hex form of a local ID.
pub fn id_hex(id: &LocalId) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parse the hex form of a local ID.
pub fn parse_id(text: &str) -> Option<LocalId> {
    let text = text.trim();
    if text.len() != 16 || !text.is_ascii() {
        return None;
    }
    let mut id = [0u8; 8];
    for (i, byte) in id.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(id)
}

/// A mailbox this profile can read: IDs and the owner's signing seed.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct MailboxSecret {
    pub receive_id: [u8; 16],
    pub send_id: [u8; 16],
    pub owner_seed: [u8; 32],
}

/// Who this profile is (`Meta` / `identity`).
#[derive(Clone, Serialize, Deserialize)]
pub struct Identity {
    pub display_name: String,
    /// The relay address line (host, port, pin).
    pub relay: String,
    /// The personal mailbox that receives first contacts.
    pub inbox: MailboxSecret,
    /// X25519 secret for envelopes sealed to the personal mailbox.
    pub seal_secret: SealSecret,
    /// Cursor in the personal mailbox.
    pub inbox_cursor: u64,
    /// Self-update policy: after this many messages sent in a group…
    pub update_every_messages: u32,
    /// …or this many seconds since the last update.
    pub update_every_secs: u64,
    pub created_at: u64,
}

/// An X25519 secret kept in a record.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct SealSecret(pub [u8; 32]);

/// A contact (`Contacts` / contact ID).
#[derive(Clone, Serialize, Deserialize)]
pub struct Contact {
    pub id: LocalId,
    pub name: String,
    /// The contact's MLS signature key.
    pub signature_key: Vec<u8>,
    /// The one-to-one group.
    pub group: LocalId,
    /// The key that was verified (safety number compared), if any.
    pub verified_key: Option<Vec<u8>>,
    /// The contact's key changed after verification: shown loudly until
    /// verified again.
    pub key_changed: bool,
    /// Spare key packages the contact sent, to add them to teams.
    pub key_packages: Vec<Vec<u8>>,
    pub added_at: u64,
}

/// What kind of conversation a group is.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum GroupKind {
    /// One-to-one with this contact.
    Direct(LocalId),
    /// A named team.
    Team,
}

/// A group (`Groups` / group ID).
#[derive(Clone, Serialize, Deserialize)]
pub struct Group {
    pub id: LocalId,
    pub mls_group_id: Vec<u8>,
    pub name: String,
    pub kind: GroupKind,
    pub mailbox: MailboxSecret,
    /// Last mailbox sequence number processed.
    pub cursor: u64,
    /// Relay sequence number of this device's pending commit, once known.
    pub pending_commit_seq: Option<u64>,
    /// How this device's last commit fared: merged (`true`) or beaten by
    /// another member's (`false`).
    #[serde(default)]
    pub commit_won: Option<bool>,
    /// Whether this device is still a member.
    pub active: bool,
    pub sent_since_update: u32,
    pub last_update: u64,
    /// Counter for history keys.
    pub next_history: u64,
    /// Display names of members by signature key (hex), learnt from Hello.
    pub member_names: Vec<(Vec<u8>, String)>,
}

/// One line of a conversation's history (`Messages` / group ID ‖ counter).
#[derive(Clone, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: LocalId,
    pub group: LocalId,
    pub time: u64,
    pub outgoing: bool,
    /// Sender's signature key (incoming).
    pub sender_key: Vec<u8>,
    pub body: HistoryBody,
    pub state: DeliveryState,
}

/// What a history line holds.
#[derive(Clone, Serialize, Deserialize)]
pub enum HistoryBody {
    Text(String),
    File(FileRecord),
    /// Something happened to the group.
    Event(GroupEvent),
}

/// A file sent or received; the age identity stays in the encrypted store.
#[derive(Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub blob_id: [u8; 32],
    pub blob_len: u64,
    pub cipher_len: u64,
    pub age_identity: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: [u8; 32],
}

impl Drop for FileRecord {
    fn drop(&mut self) {
        self.age_identity.zeroize();
    }
}

/// Group events shown in the history.
#[derive(Clone, Serialize, Deserialize)]
pub enum GroupEvent {
    Joined,
    Added(Vec<String>),
    Removed(Vec<String>),
    YouWereRemoved,
    KeyUpdated,
    /// A message that failed authentication was dropped.
    Rejected(String),
    /// A message kind this version does not know.
    Unsupported,
}

/// Delivery state of a history line.
#[derive(Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Debug)]
pub enum DeliveryState {
    /// Waiting in the outbox.
    Queued,
    /// Stored on the relay.
    Sent,
    /// Received from someone.
    Received,
}

/// A blob created on the relay for an upload: its ID, its upload token
/// and its size, kept with the item until the upload is sealed.
pub(crate) type UploadParts = ([u8; 32], [u8; 32], u64);

/// Something waiting to be sent (`Outbox` / counter).
#[derive(Clone, Serialize, Deserialize)]
pub enum OutboxItem {
    /// Plain content to encrypt for `group` at flush time.
    Content {
        group: LocalId,
        content: Vec<u8>,
        history: Option<Vec<u8>>,
    },
    /// A file encrypted into `spool`, to upload, then announce.
    File {
        group: LocalId,
        spool: String,
        record: Box<FileRecord>,
        history: Vec<u8>,
        /// The blob once created on the relay.
        upload: Option<UploadParts>,
        /// While the spool is still being written (and uploaded as it
        /// grows): the original's absolute path (`transfer::path_bytes`), to
        /// start again from after a crash. `None` once the spool is complete
        /// and synced, and `record` final.
        #[serde(default)]
        source: Option<Vec<u8>>,
    },
    /// An evidence item walking through commit, upload and delivery (its
    /// state is in its own record, `Evidence` / `i` ‖ ID).
    Evidence { evidence: LocalId },
    /// Bytes ready to deposit (already encrypted) with a fixed deposit key so
    /// a repeat is stored once.
    Deposit {
        send_id: [u8; 16],
        deposit_key: [u8; 16],
        body: Vec<u8>,
        /// The group whose commit this is (its sequence number is recorded).
        commit_of: Option<LocalId>,
        history: Option<Vec<u8>>,
    },
}

impl Drop for OutboxItem {
    fn drop(&mut self) {
        if let OutboxItem::Content { content, .. } = self {
            content.zeroize();
        }
    }
}

/// Read and decode a record.
pub fn get<T: DeserializeOwned>(
    store: &Store,
    table: Table,
    key: &[u8],
) -> Result<Option<T>, MessengerError> {
    match store.get(table, key)? {
        Some(bytes) => Ok(Some(
            serde_json::from_slice(&bytes).map_err(|_| MessengerError::CorruptRecord)?,
        )),
        None => Ok(None),
    }
}

/// Encode a record into a batch.
pub fn put<T: Serialize>(
    batch: &mut WriteBatch,
    table: Table,
    key: &[u8],
    value: &T,
) -> Result<(), MessengerError> {
    let bytes = zeroize::Zeroizing::new(
        serde_json::to_vec(value).map_err(|_| MessengerError::CorruptRecord)?,
    );
    batch.put(table, key, &bytes)?;
    Ok(())
}

/// All records of a table, in key order.
pub fn all<T: DeserializeOwned>(
    store: &Store,
    table: Table,
    prefix: &[u8],
) -> Result<Vec<(Vec<u8>, T)>, MessengerError> {
    store
        .scan_prefix(table, prefix)
        .map(|entry| {
            let (k, v) = entry?;
            serde_json::from_slice(&v)
                .map(|t| (k, t))
                .map_err(|_| MessengerError::CorruptRecord)
        })
        .collect()
}

/// Key of a history line.
pub fn history_key(group: &LocalId, n: u64) -> Vec<u8> {
    let mut k = group.to_vec();
    k.extend_from_slice(&n.to_be_bytes());
    k
}
