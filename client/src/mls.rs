//! MLS (RFC 9420) through openmls: this device's MLS identity, key
//! packages, groups, and the encrypted persistence of all MLS state.
//!
//! Every conversation, one-to-one or team, is an MLS group with the
//! ciphersuite `MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519`, the
//! pure-ciphertext wire policy (handshake messages are encrypted too, so the
//! relay sees no credentials or tree) and padding.
//!
//! **Persistence.** openmls keeps its state in a key-value map
//! ([`MemoryStorage`]). [`Mls`] loads that map from the profile store at
//! open and, after every operation, [`Mls::persist_into`] adds to the
//! caller's write batch exactly the entries that changed, each encrypted by
//! the store under a keyed hash of its openmls key. The caller applies the
//! batch together with its own records (an outbox entry, a history line), so
//! the MLS state and what depends on it reach the disk in one atomic,
//! flushed write. No MLS secret is ever written unencrypted.
//!
//! This module never touches the network; [`crate::messenger`] drives it.

use std::collections::HashMap;

use openmls::prelude::tls_codec::{Deserialize as _, Serialize as _};
use openmls::prelude::*;
use openmls_basic_credential::SignatureKeyPair;
use openmls_memory_storage::MemoryStorage;
use openmls_rust_crypto::RustCrypto;
use openmls_traits::OpenMlsProvider;
use zeroize::Zeroizing;

use crate::limits::{
    KEY_PACKAGE_LIFETIME_SECS, MLS_MAX_PAST_EPOCHS, MLS_OUT_OF_ORDER_TOLERANCE, MLS_PADDING,
};
use crate::profile::store::{Store, StoreError, Table, WriteBatch};

/// The one ciphersuite Sanad speaks (DESIGN.md §3).
pub const CIPHERSUITE: Ciphersuite =
    Ciphersuite::MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519;

/// Why an MLS operation failed. The variants a caller treats differently are
/// separate; the rest carry openmls's reason for the logs of a developer
/// (never key material: openmls errors do not carry any).
#[derive(Debug, thiserror::Error)]
pub enum MlsError {
    /// The bytes are not an MLS message, key package or welcome.
    #[error("not a valid MLS message")]
    Malformed,
    /// A key package whose signature or contents do not verify.
    #[error("the key package does not verify")]
    BadKeyPackage,
    /// A welcome this device cannot open (not for us, or already used).
    #[error("the group invitation cannot be opened on this device")]
    BadWelcome,
    /// A message for an epoch this device no longer (or does not yet) know.
    #[error("the message belongs to another epoch of the group")]
    WrongEpoch,
    /// A message that fails authentication: tampered, replayed, or from
    /// someone who is not (or no longer) a member.
    #[error("the message was rejected: {0}")]
    Rejected(String),
    /// This device was removed from the group.
    #[error("this device is no longer a member of the group")]
    NotMember,
    /// The group has a commit waiting for confirmation.
    #[error("the group has a change waiting for confirmation")]
    PendingCommit,
    /// The encrypted store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else openmls reported.
    #[error("MLS failure: {0}")]
    Internal(String),
}

fn internal(e: impl std::fmt::Display) -> MlsError {
    MlsError::Internal(e.to_string())
}

/// The openmls provider: RustCrypto for the primitives and the in-memory map
/// that [`Mls`] persists.
#[derive(Default)]
pub struct Provider {
    crypto: RustCrypto,
    storage: MemoryStorage,
}

impl OpenMlsProvider for Provider {
    type CryptoProvider = RustCrypto;
    type RandProvider = RustCrypto;
    type StorageProvider = MemoryStorage;

    fn storage(&self) -> &Self::StorageProvider {
        &self.storage
    }

    fn crypto(&self) -> &Self::CryptoProvider {
        &self.crypto
    }

    fn rand(&self) -> &Self::RandProvider {
        &self.crypto
    }
}

/// What an incoming group message turned out to be.
pub enum Incoming {
    /// An application message from another member.
    Application {
        /// The sender's MLS signature key.
        sender_key: Vec<u8>,
        /// The decrypted bytes (a `sanad_protocol::content::Content`).
        bytes: Zeroizing<Vec<u8>>,
    },
    /// A commit from another member, verified and staged; the caller merges
    /// it with [`Mls::merge_staged`] (or drops it).
    Commit {
        /// The committer's MLS signature key.
        sender_key: Vec<u8>,
        /// The verified, staged commit.
        staged: Box<StagedCommit>,
    },
    /// A message this device sent (the relay gives senders their own
    /// messages back); `commit` says whether it is a commit.
    Own {
        /// Whether the message is a commit.
        commit: bool,
    },
    /// A proposal on its own (Sanad members only send commits); ignored.
    Proposal,
}

/// This device's MLS identity and state.
pub struct Mls {
    provider: Provider,
    signer: SignatureKeyPair,
    credential: CredentialWithKey,
    /// The map as last written to the store.
    persisted: HashMap<Vec<u8>, Vec<u8>>,
}

/// The store key under which the signature key pair is kept.
const SIGNER_KEY: &[u8] = b"mls-signer";

impl Mls {
    /// A fresh identity (new Ed25519 signature key); nothing is written until
    /// [`Mls::persist_into`].
    pub fn generate() -> Result<Mls, MlsError> {
        let signer = SignatureKeyPair::new(CIPHERSUITE.signature_algorithm()).map_err(internal)?;
        Ok(Mls::with_signer(signer, HashMap::new()))
    }

    fn with_signer(signer: SignatureKeyPair, values: HashMap<Vec<u8>, Vec<u8>>) -> Mls {
        // The credential names no one: its identity is the signature key.
        let credential = BasicCredential::new(signer.public().to_vec());
        let credential = CredentialWithKey {
            credential: credential.into(),
            signature_key: signer.public().into(),
        };
        let provider = Provider::default();
        if let Ok(mut map) = provider.storage.values.write() {
            map.clone_from(&values);
        }
        Mls {
            provider,
            signer,
            credential,
            persisted: values,
        }
    }

    /// Load the identity and all MLS state from the store.
    pub fn load(store: &Store) -> Result<Mls, MlsError> {
        let signer = store
            .get(Table::Meta, SIGNER_KEY)?
            .ok_or_else(|| MlsError::Internal("no MLS identity in this profile".into()))?;
        let signer: SignatureKeyPair = serde_json::from_slice(&signer).map_err(internal)?;
        let mut values = HashMap::new();
        for entry in store.scan_prefix(Table::Mls, &[]) {
            let (_, entry) = entry?;
            let (key, value) = split_entry(&entry)?;
            values.insert(key.to_vec(), value.to_vec());
        }
        Ok(Mls::with_signer(signer, values))
    }

    /// Add the identity itself to `batch` (once, at profile creation).
    pub fn persist_identity(&self, batch: &mut WriteBatch) -> Result<(), MlsError> {
        let bytes = Zeroizing::new(serde_json::to_vec(&self.signer).map_err(internal)?);
        batch.put(Table::Meta, SIGNER_KEY, &bytes)?;
        Ok(())
    }

    /// Add every MLS entry changed since the last call to `batch`. The caller
    /// must apply the batch; if that fails the caller must drop this value
    /// (memory would be ahead of the disk).
    pub fn persist_into(&mut self, store: &Store, batch: &mut WriteBatch) -> Result<(), MlsError> {
        let current = self
            .provider
            .storage
            .values
            .read()
            .map_err(|_| MlsError::Internal("MLS state lock poisoned".into()))?
            .clone();
        for (key, value) in &current {
            if self.persisted.get(key) != Some(value) {
                let mut entry = Zeroizing::new(Vec::with_capacity(4 + key.len() + value.len()));
                let key_len = u32::try_from(key.len()).map_err(internal)?;
                entry.extend_from_slice(&key_len.to_be_bytes());
                entry.extend_from_slice(key);
                entry.extend_from_slice(value);
                batch.put(Table::Mls, &store.hashed_key(Table::Mls, key), &entry)?;
            }
        }
        for key in self.persisted.keys() {
            if !current.contains_key(key) {
                batch.delete(Table::Mls, &store.hashed_key(Table::Mls, key))?;
            }
        }
        self.persisted = current;
        Ok(())
    }

    /// This device's MLS signature public key (what safety numbers are made
    /// of).
    pub fn signature_key(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        let public = self.signer.public();
        if public.len() == 32 {
            out.copy_from_slice(public);
        }
        out
    }

    /// A fresh single-use key package, serialized.
    pub fn new_key_package(&self) -> Result<Vec<u8>, MlsError> {
        let bundle = KeyPackage::builder()
            .key_package_lifetime(Lifetime::new(KEY_PACKAGE_LIFETIME_SECS))
            .build(
                CIPHERSUITE,
                &self.provider,
                &self.signer,
                self.credential.clone(),
            )
            .map_err(internal)?;
        bundle
            .key_package()
            .tls_serialize_detached()
            .map_err(internal)
    }

    /// Parse and verify someone's key package; returns it with its signature
    /// key.
    pub fn verify_key_package(&self, bytes: &[u8]) -> Result<(KeyPackage, Vec<u8>), MlsError> {
        let kp = KeyPackageIn::tls_deserialize_exact(bytes).map_err(|_| MlsError::Malformed)?;
        let kp = kp
            .validate(self.provider.crypto(), ProtocolVersion::Mls10)
            .map_err(|_| MlsError::BadKeyPackage)?;
        if kp.ciphersuite() != CIPHERSUITE {
            return Err(MlsError::BadKeyPackage);
        }
        let key = kp.leaf_node().signature_key().as_slice().to_vec();
        Ok((kp, key))
    }

    fn create_config() -> MlsGroupCreateConfig {
        MlsGroupCreateConfig::builder()
            .ciphersuite(CIPHERSUITE)
            .wire_format_policy(PURE_CIPHERTEXT_WIRE_FORMAT_POLICY)
            .padding_size(MLS_PADDING)
            .use_ratchet_tree_extension(true)
            .max_past_epochs(MLS_MAX_PAST_EPOCHS)
            .sender_ratchet_configuration(SenderRatchetConfiguration::new(
                MLS_OUT_OF_ORDER_TOLERANCE,
                1000,
            ))
            .build()
    }

    fn join_config() -> MlsGroupJoinConfig {
        MlsGroupJoinConfig::builder()
            .wire_format_policy(PURE_CIPHERTEXT_WIRE_FORMAT_POLICY)
            .padding_size(MLS_PADDING)
            .use_ratchet_tree_extension(true)
            .max_past_epochs(MLS_MAX_PAST_EPOCHS)
            .sender_ratchet_configuration(SenderRatchetConfiguration::new(
                MLS_OUT_OF_ORDER_TOLERANCE,
                1000,
            ))
            .build()
    }

    /// A new group with this device as its only member.
    pub fn create_group(&self) -> Result<MlsGroup, MlsError> {
        MlsGroup::new(
            &self.provider,
            &self.signer,
            &Self::create_config(),
            self.credential.clone(),
        )
        .map_err(internal)
    }

    /// Load a group by its MLS group ID.
    pub fn load_group(&self, group_id: &[u8]) -> Result<MlsGroup, MlsError> {
        MlsGroup::load(self.provider.storage(), &GroupId::from_slice(group_id))
            .map_err(internal)?
            .ok_or_else(|| MlsError::Internal("group state missing".into()))
    }

    /// Commit the addition of `key_packages`; returns (commit, welcome). The
    /// commit is pending until [`Mls::merge_pending`].
    pub fn add_members(
        &self,
        group: &mut MlsGroup,
        key_packages: &[KeyPackage],
    ) -> Result<(Vec<u8>, Vec<u8>), MlsError> {
        let (commit, welcome, _) = group
            .add_members(&self.provider, &self.signer, key_packages)
            .map_err(|e| match e {
                AddMembersError::GroupStateError(MlsGroupStateError::PendingCommit) => {
                    MlsError::PendingCommit
                }
                other => internal(other),
            })?;
        Ok((
            commit.to_bytes().map_err(internal)?,
            welcome.to_bytes().map_err(internal)?,
        ))
    }

    /// Commit the removal of the members whose signature keys are given;
    /// returns the commit (pending until merged).
    pub fn remove_members(
        &self,
        group: &mut MlsGroup,
        signature_keys: &[Vec<u8>],
    ) -> Result<Vec<u8>, MlsError> {
        let leaves: Vec<LeafNodeIndex> = group
            .members()
            .filter(|m| signature_keys.contains(&m.signature_key))
            .map(|m| m.index)
            .collect();
        if leaves.is_empty() {
            return Err(MlsError::Internal("no such member".into()));
        }
        let (commit, _, _) = group
            .remove_members(&self.provider, &self.signer, &leaves)
            .map_err(|e| match e {
                RemoveMembersError::GroupStateError(MlsGroupStateError::PendingCommit) => {
                    MlsError::PendingCommit
                }
                other => internal(other),
            })?;
        commit.to_bytes().map_err(internal)
    }

    /// Commit a fresh leaf key (post-compromise security); pending until
    /// merged.
    pub fn self_update(&self, group: &mut MlsGroup) -> Result<Vec<u8>, MlsError> {
        let bundle = group
            .self_update(&self.provider, &self.signer, LeafNodeParameters::default())
            .map_err(|e| match e {
                SelfUpdateError::GroupStateError(MlsGroupStateError::PendingCommit) => {
                    MlsError::PendingCommit
                }
                other => internal(other),
            })?;
        bundle.commit().to_bytes().map_err(internal)
    }

    /// Merge this device's pending commit (it won its epoch).
    pub fn merge_pending(&self, group: &mut MlsGroup) -> Result<(), MlsError> {
        group
            .merge_pending_commit(&self.provider)
            .map_err(internal)
    }

    /// Drop this device's pending commit (another commit won its epoch).
    pub fn clear_pending(&self, group: &mut MlsGroup) -> Result<(), MlsError> {
        group
            .clear_pending_commit(self.provider.storage())
            .map_err(internal)
    }

    /// Merge another member's verified commit.
    pub fn merge_staged(&self, group: &mut MlsGroup, staged: StagedCommit) -> Result<(), MlsError> {
        group
            .merge_staged_commit(&self.provider, staged)
            .map_err(internal)
    }

    /// Join a group from a welcome addressed to one of our key packages.
    pub fn join(&self, welcome: &[u8]) -> Result<MlsGroup, MlsError> {
        let message =
            MlsMessageIn::tls_deserialize_exact(welcome).map_err(|_| MlsError::Malformed)?;
        let welcome = match message.extract() {
            MlsMessageBodyIn::Welcome(w) => w,
            _ => return Err(MlsError::Malformed),
        };
        let staged = StagedWelcome::new_from_welcome(
            &self.provider,
            &Self::join_config(),
            welcome,
            None,
        )
        .map_err(|_| MlsError::BadWelcome)?;
        staged
            .into_group(&self.provider)
            .map_err(|_| MlsError::BadWelcome)
    }

    /// Encrypt an application message.
    pub fn encrypt(&self, group: &mut MlsGroup, bytes: &[u8]) -> Result<Vec<u8>, MlsError> {
        let out = group
            .create_message(&self.provider, &self.signer, bytes)
            .map_err(|e| match e {
                CreateMessageError::GroupStateError(MlsGroupStateError::PendingCommit) => {
                    MlsError::PendingCommit
                }
                CreateMessageError::GroupStateError(MlsGroupStateError::UseAfterEviction) => {
                    MlsError::NotMember
                }
                other => internal(other),
            })?;
        out.to_bytes().map_err(internal)
    }

    /// Decrypt and verify one message from the group's mailbox.
    pub fn process(&self, group: &mut MlsGroup, bytes: &[u8]) -> Result<Incoming, MlsError> {
        let message =
            MlsMessageIn::tls_deserialize_exact(bytes).map_err(|_| MlsError::Malformed)?;
        let protocol = message
            .try_into_protocol_message()
            .map_err(|_| MlsError::Malformed)?;
        if protocol.group_id() != group.group_id() {
            return Err(MlsError::Rejected("message for another group".into()));
        }
        let is_commit = matches!(protocol.content_type(), ContentType::Commit);
        if protocol.epoch() != group.epoch() && is_commit {
            return Err(MlsError::WrongEpoch);
        }
        let processed = group
            .process_message(&self.provider, protocol)
            .map_err(|e| match e {
                ProcessMessageError::ValidationError(ValidationError::WrongEpoch)
                | ProcessMessageError::ValidationError(ValidationError::NoPastEpochData) => {
                    MlsError::WrongEpoch
                }
                ProcessMessageError::GroupStateError(MlsGroupStateError::UseAfterEviction) => {
                    MlsError::NotMember
                }
                other => MlsError::Rejected(other.to_string()),
            })?;
        let sender_key = processed.credential().serialized_content().to_vec();
        Ok(match processed.into_content() {
            ProcessedMessageContent::ApplicationMessage(app) => Incoming::Application {
                sender_key,
                bytes: Zeroizing::new(app.into_bytes()),
            },
            ProcessedMessageContent::StagedCommitMessage(staged) => {
                Incoming::Commit { sender_key, staged }
            }
            ProcessedMessageContent::OwnPrivateMessage => Incoming::Own { commit: is_commit },
            _ => Incoming::Proposal,
        })
    }

    /// The members' signature keys, this device's included.
    pub fn member_keys(group: &MlsGroup) -> Vec<Vec<u8>> {
        group.members().map(|m| m.signature_key).collect()
    }

    /// The epoch authenticator, from which the group check code is made.
    pub fn epoch_authenticator(group: &MlsGroup) -> Vec<u8> {
        group.epoch_authenticator().as_slice().to_vec()
    }

    /// Forget a group's state (after this device was removed, or the group
    /// deleted).
    pub fn delete_group(&self, group: &mut MlsGroup) -> Result<(), MlsError> {
        group.delete(self.provider.storage()).map_err(internal)
    }
}

fn split_entry(entry: &[u8]) -> Result<(&[u8], &[u8]), MlsError> {
    let corrupt = || MlsError::Internal("MLS state entry is malformed".into());
    let (len, rest) = entry.split_first_chunk::<4>().ok_or_else(corrupt)?;
    let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| corrupt())?;
    if len > rest.len() {
        return Err(corrupt());
    }
    Ok(rest.split_at(len))
}
