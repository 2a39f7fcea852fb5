//! Teams: create, add and remove members; the commit protocol; the group
//! check code.
//!
//! A change to a group is an MLS commit. It is written to the store with
//! the MLS state (pending), deposited in the group's mailbox, and merged
//! only once the relay's order shows it was the first commit of its epoch
//! ([`Messenger::confirm_commits`]). If another member's commit came first,
//! ours is dropped and the change is proposed again.

use ed25519_dalek::SigningKey;
use openmls::prelude::MlsGroup;
use sanad_protocol::content::{Content, GroupMailbox, GroupWelcome, OwnerSeed};

use super::contact::same_name;
use super::records::{self, new_id, Group, GroupEvent, GroupKind, HistoryBody, OutboxItem};
use super::{now_secs, Messenger, MessengerError};
use crate::mls::MlsError;
use crate::profile::store::Table;

/// A usable team name: 1 to `MAX_GROUP_NAME_LEN` bytes once trimmed, no
/// control or bidi control characters.
fn is_valid_group_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && name.len() <= sanad_protocol::limits::MAX_GROUP_NAME_LEN
        && name
            .chars()
            .all(|c| !c.is_control() && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// A conversation as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupView {
    /// Its name (the contact's name for one-to-one conversations).
    pub name: String,
    /// Whether it is a team (not one-to-one).
    pub team: bool,
    /// Member names (this profile excluded).
    pub members: Vec<String>,
    /// Whether this device is still a member.
    pub active: bool,
    /// Whether a change is waiting for the relay.
    pub change_pending: bool,
}

impl Messenger {
    pub(crate) fn group_records(&self) -> Result<Vec<Group>, MessengerError> {
        Ok(records::all::<Group>(&self.store, Table::Groups, &[])?
            .into_iter()
            .map(|(_, g)| g)
            .collect())
    }

    pub(crate) fn group_by_id(&self, id: &[u8; 8]) -> Result<Group, MessengerError> {
        records::get(&self.store, Table::Groups, id)?.ok_or(MessengerError::CorruptRecord)
    }

    /// The conversation called `name`: a team of that name, else the
    /// one-to-one conversation with the contact of that name.
    pub(crate) fn resolve(&self, name: &str) -> Result<Group, MessengerError> {
        let groups = self.group_records()?;
        if let Some(g) = groups
            .iter()
            .find(|g| g.kind == GroupKind::Team && same_name(&g.name, name))
        {
            return Ok(g.clone());
        }
        let contact = self.contact_by_name(name)?;
        self.group_by_id(&contact.group)
    }

    fn load_mls(&self, group: &Group) -> Result<MlsGroup, MessengerError> {
        Ok(self.mls.load_group(&group.mls_group_id)?)
    }

    /// All conversations.
    pub fn groups(&self) -> Result<Vec<GroupView>, MessengerError> {
        let me = self.mls.signature_key();
        let mut out = Vec::new();
        for g in self.group_records()? {
            let (members, pending) = match self.load_mls(&g) {
                Ok(mls) => (
                    crate::mls::Mls::member_keys(&mls)
                        .into_iter()
                        .filter(|k| k.as_slice() != me.as_slice())
                        .map(|k| self.name_for_key(&g, &k))
                        .collect(),
                    mls.pending_commit().is_some(),
                ),
                Err(_) => (Vec::new(), false),
            };
            out.push(GroupView {
                name: g.name.clone(),
                team: g.kind == GroupKind::Team,
                members,
                active: g.active,
                change_pending: pending,
            });
        }
        out.sort_by_key(|g| g.name.to_lowercase());
        Ok(out)
    }

    /// The name to show for a member's key in `group`: the contact's local
    /// name, else the display name they announced, else a short key.
    pub(crate) fn name_for_key(&self, group: &Group, key: &[u8]) -> String {
        if let Ok(Some(c)) = self.contact_by_key(key) {
            return c.name;
        }
        if let Some((_, n)) = group.member_names.iter().find(|(k, _)| k == key) {
            return n.clone();
        }
        format!("~{}", &super::hex_of(key)[..8.min(key.len() * 2)])
    }

    /// Create a team with this profile as its only member.
    pub async fn create_group(&mut self, name: &str) -> Result<GroupView, MessengerError> {
        self.check()?;
        if !is_valid_group_name(name) {
            return Err(MessengerError::InvalidName);
        }
        if self.name_in_use(name)? {
            return Err(MessengerError::NameTaken);
        }
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
        let mls_group = self.mls.create_group()?;
        let mut group = Group {
            id: new_id(),
            mls_group_id: mls_group.group_id().as_slice().to_vec(),
            name: name.trim().to_owned(),
            kind: GroupKind::Team,
            mailbox: super::mailbox_secret(&GroupMailbox {
                receive_id: owner.receive_id(),
                send_id: owner.send_id(),
                owner_seed: OwnerSeed::from_bytes(mailbox_key.to_bytes()),
            }),
            cursor: 0,
            pending_commit_seq: None,
            commit_won: None,
            active: true,
            sent_since_update: 0,
            last_update: now_secs(),
            next_history: 0,
            member_names: Vec::new(),
        };
        let mut batch = self.store.batch();
        self.push_history(&mut batch, &mut group, HistoryBody::Event(GroupEvent::Joined), true, &[])?;
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.commit(batch)?;
        Ok(GroupView {
            name: group.name,
            team: true,
            members: Vec::new(),
            active: true,
            change_pending: false,
        })
    }

    /// Add contacts to a team. Each contact must have sent a spare key
    /// package (they do after their first sync with this profile). The
    /// commit is confirmed through the relay before the welcome goes out
    /// (through each contact's one-to-one conversation).
    pub async fn add_to_group(
        &mut self,
        team: &str,
        contacts: &[String],
    ) -> Result<GroupView, MessengerError> {
        self.check()?;
        self.sync_quietly().await?;
        let group = self.resolve(team)?;
        if group.kind != GroupKind::Team {
            return Err(MessengerError::NotATeam);
        }
        if !group.active {
            return Err(MessengerError::NotMember);
        }
        let mut mls_group = self.load_mls(&group)?;
        let members = crate::mls::Mls::member_keys(&mls_group);
        let mut chosen = Vec::new();
        let mut key_packages = Vec::new();
        for name in contacts {
            let mut contact = self.contact_by_name(name)?;
            if members.contains(&contact.signature_key) {
                return Err(MessengerError::AlreadyMember);
            }
            let mut found = None;
            while let Some(kp) = contact.key_packages.pop() {
                if let Ok((kp, key)) = self.mls.verify_key_package(&kp) {
                    if key == contact.signature_key {
                        found = Some(kp);
                        break;
                    }
                }
            }
            let kp = found.ok_or(MessengerError::NoKeyPackage)?;
            key_packages.push(kp);
            chosen.push(contact);
        }
        let (commit, welcome) = self.mls.add_members(&mut mls_group, &key_packages)?;
        let mut batch = self.store.batch();
        for contact in &chosen {
            records::put(&mut batch, Table::Contacts, &contact.id, contact)?;
        }
        self.push_outbox(
            &mut batch,
            OutboxItem::Deposit {
                send_id: group.mailbox.send_id,
                deposit_key: super::sync::random_deposit_key(),
                body: commit,
                commit_of: Some(group.id),
                history: None,
            },
        )?;
        self.commit(batch)?;
        self.flush_outbox().await?;
        let won = self.confirm_commits().await?;
        if !won.contains(&group.id) {
            return Err(MlsError::PendingCommit.into());
        }

        // The add is final: welcome each new member through their
        // one-to-one conversation, which carries the team's mailbox too.
        let mut group = self.group_by_id(&group.id)?;
        let mut batch = self.store.batch();
        for contact in &chosen {
            let direct = self.group_by_id(&contact.group)?;
            let content = Content::Welcome(GroupWelcome {
                welcome: welcome.clone(),
                mailbox: GroupMailbox {
                    receive_id: sanad_protocol::ids::ReceiveId(group.mailbox.receive_id),
                    send_id: sanad_protocol::ids::SendId(group.mailbox.send_id),
                    owner_seed: OwnerSeed::from_bytes(group.mailbox.owner_seed),
                },
                group_name: group.name.clone(),
                from_name: self.identity.display_name.clone(),
            });
            self.push_outbox(
                &mut batch,
                OutboxItem::Content {
                    group: direct.id,
                    content: content.encode()?.to_vec(),
                    history: None,
                },
            )?;
        }
        let names = chosen.iter().map(|c| c.name.clone()).collect();
        self.push_history(&mut batch, &mut group, HistoryBody::Event(GroupEvent::Added(names)), true, &[])?;
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.commit(batch)?;
        self.flush_outbox().await?;
        self.group_view(&group)
    }

    /// Remove contacts from a team. Once the commit is confirmed they can
    /// read nothing sent afterwards.
    pub async fn remove_from_group(
        &mut self,
        team: &str,
        contacts: &[String],
    ) -> Result<GroupView, MessengerError> {
        self.check()?;
        self.sync_quietly().await?;
        let group = self.resolve(team)?;
        if group.kind != GroupKind::Team {
            return Err(MessengerError::NotATeam);
        }
        if !group.active {
            return Err(MessengerError::NotMember);
        }
        let mut mls_group = self.load_mls(&group)?;
        let members = crate::mls::Mls::member_keys(&mls_group);
        let mut keys = Vec::new();
        let mut names = Vec::new();
        for name in contacts {
            let contact = self.contact_by_name(name)?;
            if !members.contains(&contact.signature_key) {
                return Err(MessengerError::NotAMember);
            }
            keys.push(contact.signature_key.clone());
            names.push(contact.name.clone());
        }
        let commit = self.mls.remove_members(&mut mls_group, &keys)?;
        let mut batch = self.store.batch();
        self.push_outbox(
            &mut batch,
            OutboxItem::Deposit {
                send_id: group.mailbox.send_id,
                deposit_key: super::sync::random_deposit_key(),
                body: commit,
                commit_of: Some(group.id),
                history: None,
            },
        )?;
        self.commit(batch)?;
        self.flush_outbox().await?;
        let won = self.confirm_commits().await?;
        if !won.contains(&group.id) {
            return Err(MlsError::PendingCommit.into());
        }
        let mut group = self.group_by_id(&group.id)?;
        let mut batch = self.store.batch();
        self.push_history(&mut batch, &mut group, HistoryBody::Event(GroupEvent::Removed(names)), true, &[])?;
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.commit(batch)?;
        self.group_view(&group)
    }

    fn group_view(&self, group: &Group) -> Result<GroupView, MessengerError> {
        self.groups()?
            .into_iter()
            .find(|g| g.name == group.name && g.team == (group.kind == GroupKind::Team))
            .ok_or(MessengerError::UnknownName)
    }

    /// The group check code: the same on every member's device while the
    /// group has not split. Compare it out of band.
    pub fn group_check_code(&self, name: &str) -> Result<String, MessengerError> {
        let group = self.resolve(name)?;
        let mls_group = self.load_mls(&group)?;
        Ok(sanad_protocol::safety_number::group_check_code(
            &crate::mls::Mls::epoch_authenticator(&mls_group),
        ))
    }

    /// Commit a self-update in groups that are due (after
    /// `update_every_messages` messages or `update_every_secs`), for
    /// post-compromise security. Returns how many were committed.
    pub(crate) async fn self_updates_due(&mut self) -> Result<usize, MessengerError> {
        let now = now_secs();
        let mut queued = Vec::new();
        for group in self.group_records()? {
            if !group.active {
                continue;
            }
            let due = group.sent_since_update >= self.identity.update_every_messages
                || now.saturating_sub(group.last_update) >= self.identity.update_every_secs;
            if !due {
                continue;
            }
            let mut mls_group = self.load_mls(&group)?;
            if mls_group.pending_commit().is_some() {
                continue;
            }
            let commit = self.mls.self_update(&mut mls_group)?;
            let mut batch = self.store.batch();
            self.push_outbox(
                &mut batch,
                OutboxItem::Deposit {
                    send_id: group.mailbox.send_id,
                    deposit_key: super::sync::random_deposit_key(),
                    body: commit,
                    commit_of: Some(group.id),
                    history: None,
                },
            )?;
            self.commit(batch)?;
            queued.push(group.id);
        }
        if queued.is_empty() {
            return Ok(0);
        }
        self.flush_outbox().await?;
        let won = self.confirm_commits().await?;
        Ok(queued.iter().filter(|id| won.contains(id)).count())
    }

    /// Force a key update in one conversation now.
    pub async fn update_keys(&mut self, name: &str) -> Result<(), MessengerError> {
        let mut group = self.resolve(name)?;
        group.last_update = 0;
        let mut batch = self.store.batch();
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.commit(batch)?;
        self.sync_quietly().await?;
        self.self_updates_due().await?;
        Ok(())
    }
}
