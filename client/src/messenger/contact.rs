//! Invites, contacts and their verification (safety numbers).

use ed25519_dalek::SigningKey;
use sanad_protocol::content::{Content, GroupMailbox, GroupWelcome, OwnerSeed};
use sanad_protocol::invite::Invite;
use sanad_protocol::safety_number::SafetyNumber;

use super::records::{
    self, new_id, Contact, Group, GroupEvent, GroupKind, HistoryBody, OutboxItem,
};
use super::{hex_of, now_secs, Messenger, MessengerError};
use crate::limits::SPARE_KEY_PACKAGES;
use crate::profile::store::{Table, WriteBatch};

/// A contact as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactView {
    /// The local name.
    pub name: String,
    /// Whether the safety number was confirmed for the current key.
    pub verified: bool,
    /// The key changed since it was verified: warn loudly.
    pub key_changed: bool,
    /// When the contact was added (Unix seconds).
    pub added_at: u64,
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        ContactView {
            name: c.name.clone(),
            verified: c.verified_key.as_deref() == Some(c.signature_key.as_slice()),
            key_changed: c.key_changed,
            added_at: c.added_at,
        }
    }
}

/// Whether two names are the same for people: case-insensitive, surrounding spaces ignored.
/// Invisible direction marks (copied from Arabic output) are ignored.
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| crate::i18n::strip_bidi_marks(s).trim().to_lowercase();
    norm(a) == norm(b)
}

impl Messenger {
    /// A fresh invite valid for `ttl_secs`: this profile's relay, personal
    /// mailbox, sealing key and a new single-use key package.
    pub fn invite(&mut self, ttl_secs: u64) -> Result<Invite, MessengerError> {
        self.check()?;
        let key_package = self.mls.new_key_package()?;
        self.commit(self.store.batch())?;
        let seal = x25519_dalek::StaticSecret::from(self.identity.seal_secret.0);
        Ok(Invite {
            relay: self.relay.clone(),
            send_id: sanad_protocol::ids::SendId(self.identity.inbox.send_id),
            seal_key: x25519_dalek::PublicKey::from(&seal).to_bytes(),
            key_package,
            expires_at: now_secs().saturating_add(ttl_secs),
        })
    }

    /// All contacts, by name.
    pub fn contacts(&self) -> Result<Vec<ContactView>, MessengerError> {
        let mut list: Vec<ContactView> = self
            .contact_records()?
            .iter()
            .map(ContactView::from)
            .collect();
        list.sort_by_key(|c| c.name.to_lowercase());
        Ok(list)
    }

    pub(crate) fn contact_records(&self) -> Result<Vec<Contact>, MessengerError> {
        Ok(records::all::<Contact>(&self.store, Table::Contacts, &[])?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    pub(crate) fn contact_by_name(&self, name: &str) -> Result<Contact, MessengerError> {
        self.contact_records()?
            .into_iter()
            .find(|c| same_name(&c.name, name))
            .ok_or(MessengerError::UnknownName)
    }

    pub(crate) fn contact_by_key(&self, key: &[u8]) -> Result<Option<Contact>, MessengerError> {
        Ok(self
            .contact_records()?
            .into_iter()
            .find(|c| c.signature_key == key))
    }

    pub(crate) fn name_in_use(&self, name: &str) -> Result<bool, MessengerError> {
        Ok(self.contact_records()?.iter().any(|c| same_name(&c.name, name))
            || self.group_records()?.iter().any(|g| {
                g.kind == GroupKind::Team && same_name(&g.name, name)
            }))
    }

    /// A free local name based on `wanted` ("Name", "Name (2)", …).
    pub(crate) fn free_name(&self, wanted: &str) -> Result<String, MessengerError> {
        let base = if sanad_protocol::content::is_valid_display_name(wanted) {
            wanted.trim().to_owned()
        } else {
            "contact".to_owned()
        };
        if !self.name_in_use(&base)? {
            return Ok(base);
        }
        for n in 2..1000 {
            let candidate = format!("{base} ({n})");
            if !self.name_in_use(&candidate)? {
                return Ok(candidate);
            }
        }
        Err(MessengerError::NameTaken)
    }

    /// Accept someone's invite: start a one-to-one conversation with them
    /// under the local name `name`. Needs the relay (the conversation's
    /// mailbox is created there). If a contact of that name exists with
    /// another key, it is re-keyed and marked changed (verify again).
    pub async fn add_contact(
        &mut self,
        invite: &Invite,
        name: &str,
    ) -> Result<ContactView, MessengerError> {
        self.check()?;
        if !sanad_protocol::content::is_valid_display_name(name) {
            return Err(MessengerError::InvalidName);
        }
        invite.check_not_expired(now_secs())?;
        if invite.relay != self.relay {
            return Err(MessengerError::OtherRelay);
        }
        if invite.send_id.0 == self.identity.inbox.send_id {
            return Err(MessengerError::OwnInvite);
        }
        let (key_package, their_key) = self.mls.verify_key_package(&invite.key_package)?;
        if their_key == self.mls.signature_key() {
            return Err(MessengerError::OwnInvite);
        }
        if self.contact_by_key(&their_key)?.is_some() {
            return Err(MessengerError::AlreadyContact);
        }
        let existing = self
            .contact_records()?
            .into_iter()
            .find(|c| same_name(&c.name, name));
        if existing.is_none() && self.name_in_use(name)? {
            return Err(MessengerError::NameTaken);
        }

        // The conversation's mailbox, shared by both.
        let mailbox_key = SigningKey::generate(&mut rand_core::OsRng);
        let owner = match self.client().await {
            Ok(client) => client.create_mailbox(&mailbox_key).await.map_err(Into::into),
            Err(e) => Err(e),
        };
        let owner = match owner {
            Ok(o) => o,
            Err(e) => {
                self.forget_client_if(&e).await;
                return Err(e);
            }
        };
        let mailbox = GroupMailbox {
            receive_id: owner.receive_id(),
            send_id: owner.send_id(),
            owner_seed: OwnerSeed::from_bytes(mailbox_key.to_bytes()),
        };

        let mut mls_group = self.mls.create_group()?;
        let (_commit, welcome) = self.mls.add_members(&mut mls_group, &[key_package])?;
        // Alone in the group until the welcome is used: nobody else can
        // commit in this epoch, so the add is final at once.
        self.mls.merge_pending(&mut mls_group)?;

        let group_id = new_id();
        let contact_id = existing.as_ref().map(|c| c.id).unwrap_or_else(new_id);
        let now = now_secs();
        let contact = match existing {
            Some(mut c) => {
                c.key_changed = c.verified_key.is_some();
                c.signature_key = their_key.clone();
                c.group = group_id;
                c.key_packages.clear();
                c
            }
            None => Contact {
                id: contact_id,
                name: name.trim().to_owned(),
                signature_key: their_key.clone(),
                group: group_id,
                verified_key: None,
                key_changed: false,
                key_packages: Vec::new(),
                added_at: now,
            },
        };
        let group = Group {
            id: group_id,
            mls_group_id: mls_group.group_id().as_slice().to_vec(),
            name: contact.name.clone(),
            kind: GroupKind::Direct(contact.id),
            mailbox: super::mailbox_secret(&mailbox),
            cursor: 0,
            pending_commit_seq: None,
            commit_won: None,
            active: true,
            sent_since_update: 0,
            last_update: now,
            next_history: 0,
            member_names: vec![(their_key, contact.name.clone())],
        };
        let first_contact = Content::Welcome(GroupWelcome {
            welcome,
            mailbox,
            group_name: String::new(),
            from_name: self.identity.display_name.clone(),
        })
        .encode()?;
        let seal_to = x25519_dalek::PublicKey::from(invite.seal_key);
        let sealed =
            sanad_protocol::envelope::seal(&seal_to, &first_contact, &mut rand_core::OsRng)
                .map_err(|_| MessengerError::CorruptRecord)?;

        let mut batch = self.store.batch();
        let mut group = group;
        self.push_outbox(
            &mut batch,
            OutboxItem::Deposit {
                send_id: invite.send_id.0,
                deposit_key: super::sync::random_deposit_key(),
                body: sealed,
                commit_of: None,
                history: None,
            },
        )?;
        self.queue_hello(&mut batch, &group, true)?;
        self.push_history(&mut batch, &mut group, HistoryBody::Event(GroupEvent::Joined), true, &[])?;
        records::put(&mut batch, Table::Contacts, &contact.id, &contact)?;
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.commit(batch)?;
        let view = ContactView::from(&contact);
        // Best effort: the rest waits in the outbox if the relay went away.
        let _ = self.flush_outbox().await;
        Ok(view)
    }

    /// Queue a Hello (display name, and spare key packages for one-to-one
    /// conversations) into `group`.
    pub(crate) fn queue_hello(
        &mut self,
        batch: &mut WriteBatch,
        group: &Group,
        with_key_packages: bool,
    ) -> Result<(), MessengerError> {
        let mut key_packages = Vec::new();
        if with_key_packages {
            for _ in 0..SPARE_KEY_PACKAGES {
                key_packages.push(self.mls.new_key_package()?);
            }
        }
        let hello = Content::Hello {
            display_name: self.identity.display_name.clone(),
            key_packages,
        };
        self.push_outbox(
            batch,
            OutboxItem::Content {
                group: group.id,
                content: hello.encode()?.to_vec(),
                history: None,
            },
        )
    }

    /// The safety number with a contact (same on both sides).
    pub fn safety_number(&self, name: &str) -> Result<SafetyNumber, MessengerError> {
        let contact = self.contact_by_name(name)?;
        let mut theirs = [0u8; 32];
        if contact.signature_key.len() != 32 {
            return Err(MessengerError::CorruptRecord);
        }
        theirs.copy_from_slice(&contact.signature_key);
        Ok(SafetyNumber::new(&self.mls.signature_key(), &theirs))
    }

    /// Mark a contact verified (the person compared the safety number).
    pub fn confirm_verified(&mut self, name: &str) -> Result<ContactView, MessengerError> {
        let mut contact = self.contact_by_name(name)?;
        contact.verified_key = Some(contact.signature_key.clone());
        contact.key_changed = false;
        let mut batch = self.store.batch();
        records::put(&mut batch, Table::Contacts, &contact.id, &contact)?;
        self.commit(batch)?;
        Ok(ContactView::from(&contact))
    }

    /// This device's identity key, hex (for support and debugging).
    pub fn identity_key_hex(&self) -> String {
        hex_of(&self.mls.signature_key())
    }
}
