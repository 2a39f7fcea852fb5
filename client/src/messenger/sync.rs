//! Receiving (personal and group mailboxes, in relay order), the outbox,
//! and the history that both write.

use openmls::prelude::MlsGroup;
use sanad_protocol::content::{Content, ContentError};
use sanad_protocol::ids::{DepositKey, SendId};

use super::records::{
    self, history_key, id_hex, new_id, Contact, DeliveryState, Group, GroupEvent, GroupKind,
    HistoryBody, HistoryEntry, LocalId, OutboxItem,
};
use super::transfer::FileView;
use super::{mailbox_owner, now_secs, Messenger, MessengerError};
use crate::limits::{FETCH_BATCH, MAX_SPARE_KEY_PACKAGES_KEPT};
use crate::mls::{Incoming, Mls, MlsError};
use crate::profile::store::{Table, WriteBatch};

/// A history line as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryView {
    /// The message ID (for `save`).
    pub id: String,
    /// The conversation's name.
    pub conversation: String,
    /// Unix seconds (this device's clock when received or written).
    pub time: u64,
    /// Who wrote it (`None`: this profile).
    pub from: Option<String>,
    /// Text, if it is a text message.
    pub text: Option<String>,
    /// The file, if it is a file.
    pub file: Option<FileView>,
    /// The event, if it is a group event: a stable code (`joined`,
    /// `added`, `removed`, `you-were-removed`, `rejected`, `unsupported`).
    pub event: Option<String>,
    /// Names the event concerns (added or removed members).
    pub event_names: Vec<String>,
    /// Delivery state.
    pub state: DeliveryState,
}

/// What a sync did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SyncReport {
    /// New incoming history lines, oldest first.
    pub received: Vec<HistoryView>,
    /// Outbox items delivered.
    pub sent: usize,
    /// Outbox items still waiting (the relay is out of reach).
    pub queued: usize,
    /// Whether the relay was out of reach.
    pub offline: bool,
    /// Evidence items received and checked (desk), or confirmed by the
    /// desk (documenter), during this sync.
    pub evidence: Vec<super::evidence::EvidenceView>,
}

/// An outbox entry as listings show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxView {
    /// The conversation's name, if any.
    pub conversation: Option<String>,
    /// `message`, `file`, `control`.
    pub kind: String,
    /// For files, the upload state: bytes on the relay are not known
    /// offline, so this says whether an upload was started.
    pub upload_started: bool,
}

pub(crate) fn random_deposit_key() -> [u8; 16] {
    let mut k = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut k);
    k
}

impl Messenger {
    /// Append an item to the outbox (in `batch`).
    pub(crate) fn push_outbox(
        &mut self,
        batch: &mut WriteBatch,
        item: OutboxItem,
    ) -> Result<(), MessengerError> {
        self.push_outbox_keyed(batch, item).map(|_| ())
    }

    /// Append an item to the outbox (in `batch`); returns its key.
    pub(crate) fn push_outbox_keyed(
        &mut self,
        batch: &mut WriteBatch,
        item: OutboxItem,
    ) -> Result<Vec<u8>, MessengerError> {
        let next = match self.outbox_next {
            Some(n) => n,
            None => match self.store.last(Table::Outbox)? {
                Some((k, _)) => key_counter(&k).saturating_add(1),
                None => 0,
            },
        };
        self.outbox_next = Some(next + 1);
        let key = next.to_be_bytes().to_vec();
        records::put(batch, Table::Outbox, &key, &item)?;
        Ok(key)
    }

    /// Append a history line to `group` (in `batch`); the caller writes the
    /// group record afterwards (its counter moved). Returns the line's key.
    pub(crate) fn push_history(
        &mut self,
        batch: &mut WriteBatch,
        group: &mut Group,
        body: HistoryBody,
        outgoing: bool,
        sender_key: &[u8],
    ) -> Result<Vec<u8>, MessengerError> {
        let key = history_key(&group.id, group.next_history);
        group.next_history += 1;
        let entry = HistoryEntry {
            id: new_id(),
            group: group.id,
            time: now_secs(),
            outgoing,
            sender_key: sender_key.to_vec(),
            state: match (&body, outgoing) {
                (HistoryBody::Event(_), _) => DeliveryState::Received,
                (_, true) => DeliveryState::Queued,
                (_, false) => DeliveryState::Received,
            },
            body,
        };
        records::put(batch, Table::Messages, &key, &entry)?;
        Ok(key)
    }

    pub(crate) fn view(&self, group: &Group, entry: &HistoryEntry) -> HistoryView {
        let from = if entry.outgoing {
            None
        } else if entry.sender_key.is_empty() {
            Some(group.name.clone())
        } else {
            Some(self.name_for_key(group, &entry.sender_key))
        };
        let (mut text, mut file, mut event, mut event_names) = (None, None, None, Vec::new());
        match &entry.body {
            HistoryBody::Text(t) => text = Some(t.clone()),
            HistoryBody::File(f) => file = Some(FileView::from(f)),
            HistoryBody::Event(e) => {
                let (code, names) = match e {
                    GroupEvent::Joined => ("joined", Vec::new()),
                    GroupEvent::Added(n) => ("added", n.clone()),
                    GroupEvent::Removed(n) => ("removed", n.clone()),
                    GroupEvent::YouWereRemoved => ("you-were-removed", Vec::new()),
                    GroupEvent::KeyUpdated => ("key-updated", Vec::new()),
                    GroupEvent::Rejected(r) => ("rejected", vec![r.clone()]),
                    GroupEvent::Unsupported => ("unsupported", Vec::new()),
                };
                event = Some(code.to_owned());
                event_names = names;
            }
        }
        HistoryView {
            id: id_hex(&entry.id),
            conversation: group.name.clone(),
            time: entry.time,
            from,
            text,
            file,
            event,
            event_names,
            state: entry.state,
        }
    }

    /// History: every conversation (or only `name`'s), oldest first.
    pub fn history(&self, name: Option<&str>) -> Result<Vec<HistoryView>, MessengerError> {
        let groups = match name {
            Some(n) => vec![self.resolve(n)?],
            None => self.group_records()?,
        };
        let mut out = Vec::new();
        for g in &groups {
            for (_, entry) in records::all::<HistoryEntry>(&self.store, Table::Messages, &g.id)? {
                out.push(self.view(g, &entry));
            }
        }
        out.sort_by_key(|v| v.time);
        Ok(out)
    }

    /// Find a history line by its ID.
    pub(crate) fn history_entry(
        &self,
        id: &LocalId,
    ) -> Result<(Vec<u8>, HistoryEntry), MessengerError> {
        records::all::<HistoryEntry>(&self.store, Table::Messages, &[])?
            .into_iter()
            .find(|(_, e)| &e.id == id)
            .ok_or(MessengerError::UnknownMessage)
    }

    /// What waits in the outbox.
    pub fn outbox(&self) -> Result<Vec<OutboxView>, MessengerError> {
        let mut out = Vec::new();
        for (_, item) in records::all::<OutboxItem>(&self.store, Table::Outbox, &[])? {
            let (group, kind, started) = match &item {
                OutboxItem::Content { group, history, .. } => (
                    Some(*group),
                    if history.is_some() {
                        "message"
                    } else {
                        "control"
                    },
                    false,
                ),
                OutboxItem::File { group, upload, .. } => (Some(*group), "file", upload.is_some()),
                OutboxItem::Evidence { evidence } => {
                    let record = self.evidence_record(evidence)?;
                    (Some(record.group), "evidence", record.upload.is_some())
                }
                OutboxItem::Deposit { history, .. } => (
                    None,
                    if history.is_some() {
                        "message"
                    } else {
                        "control"
                    },
                    false,
                ),
            };
            out.push(OutboxView {
                conversation: group
                    .and_then(|g| self.group_by_id(&g).ok())
                    .map(|g| g.name),
                kind: kind.to_owned(),
                upload_started: started,
            });
        }
        Ok(out)
    }

    /// Queue a text message for the conversation `name` and try to send
    /// it. Returns the history line; its state says whether it left
    /// (`Sent`) or waits in the outbox (`Queued`, the relay is out of
    /// reach).
    pub async fn send_text(
        &mut self,
        name: &str,
        text: &str,
    ) -> Result<HistoryView, MessengerError> {
        self.check()?;
        let content = Content::Text {
            body: text.to_owned(),
        }
        .encode()?
        .to_vec();
        let mut group = self.resolve(name)?;
        if !group.active {
            return Err(MessengerError::NotMember);
        }
        let mut batch = self.store.batch();
        let key = self.push_history(
            &mut batch,
            &mut group,
            HistoryBody::Text(text.to_owned()),
            true,
            &[],
        )?;
        records::put(&mut batch, Table::Groups, &group.id, &group)?;
        self.push_outbox(
            &mut batch,
            OutboxItem::Content {
                group: group.id,
                content,
                history: Some(key.clone()),
            },
        )?;
        self.commit(batch)?;
        let _ = self.sync_inner(false).await;
        let entry: HistoryEntry = records::get(&self.store, Table::Messages, &key)?
            .ok_or(MessengerError::CorruptRecord)?;
        let group = self.group_by_id(&group.id)?;
        Ok(self.view(&group, &entry))
    }

    /// Deliver what waits in the outbox, in order. Stops at the first item
    /// that cannot leave because the relay is out of reach (it stays
    /// queued); returns (sent, still queued).
    pub async fn flush_outbox(&mut self) -> Result<(usize, usize), MessengerError> {
        self.check()?;
        let mut sent = 0;
        loop {
            let Some((key, item)) = records::all::<OutboxItem>(&self.store, Table::Outbox, &[])?
                .into_iter()
                .next()
            else {
                return Ok((sent, 0));
            };
            match self.flush_one(&key, item).await {
                Ok(true) => sent += 1,
                Ok(false) => {
                    let left = self.store.scan_prefix(Table::Outbox, &[]).count();
                    return Ok((sent, left));
                }
                Err(e) if e.is_offline() => {
                    self.forget_client_if(&e).await;
                    let left = self.store.scan_prefix(Table::Outbox, &[]).count();
                    return Ok((sent, left));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Send one outbox item. `Ok(false)`: it must wait (a group change of
    /// ours is not yet confirmed).
    async fn flush_one(&mut self, key: &[u8], item: OutboxItem) -> Result<bool, MessengerError> {
        match item {
            OutboxItem::Content {
                group,
                ref content,
                ref history,
            } => {
                let mut g = self.group_by_id(&group)?;
                let mut batch = self.store.batch();
                if !g.active {
                    // Nothing can be sent to a group we left; drop it.
                    batch.delete(Table::Outbox, key)?;
                    self.commit(batch)?;
                    return Ok(true);
                }
                let mut mls_group = self.mls.load_group(&g.mls_group_id)?;
                if mls_group.pending_commit().is_some() {
                    return Ok(false);
                }
                let body = self.mls.encrypt(&mut mls_group, content)?;
                g.sent_since_update = g.sent_since_update.saturating_add(1);
                records::put(&mut batch, Table::Groups, &g.id, &g)?;
                let next = OutboxItem::Deposit {
                    send_id: g.mailbox.send_id,
                    deposit_key: random_deposit_key(),
                    body,
                    commit_of: None,
                    history: history.clone(),
                };
                records::put(&mut batch, Table::Outbox, key, &next)?;
                self.commit(batch)?;
                Box::pin(self.flush_one(key, next)).await
            }
            OutboxItem::File { .. } => self.flush_file(key, item).await,
            OutboxItem::Evidence { evidence } => self.flush_evidence(key, evidence).await,
            OutboxItem::Deposit {
                send_id,
                deposit_key,
                ref body,
                commit_of,
                ref history,
            } => {
                let seq = {
                    let client = self.client().await?;
                    client
                        .deposit_with_key(&SendId(send_id), DepositKey(deposit_key), body.clone())
                        .await?
                };
                let mut batch = self.store.batch();
                batch.delete(Table::Outbox, key)?;
                if let Some(gid) = commit_of {
                    let mut g = self.group_by_id(&gid)?;
                    g.pending_commit_seq = Some(seq);
                    g.commit_won = None;
                    records::put(&mut batch, Table::Groups, &g.id, &g)?;
                }
                if let Some(hkey) = history {
                    if let Some(mut entry) =
                        records::get::<HistoryEntry>(&self.store, Table::Messages, hkey)?
                    {
                        entry.state = DeliveryState::Sent;
                        records::put(&mut batch, Table::Messages, hkey, &entry)?;
                    }
                }
                self.commit(batch)?;
                Ok(true)
            }
        }
    }

    /// Fetch and process everything new, deliver the outbox, confirm this
    /// device's group changes and make the key updates that are due.
    pub async fn sync(&mut self) -> Result<SyncReport, MessengerError> {
        self.sync_inner(true).await
    }

    /// A sync whose report is not needed (before a group change).
    pub(crate) async fn sync_quietly(&mut self) -> Result<(), MessengerError> {
        let report = self.sync_inner(false).await?;
        if report.offline {
            // A group change needs the relay: say so.
            self.client().await?;
        }
        Ok(())
    }

    pub(crate) async fn sync_inner(&mut self, updates: bool) -> Result<SyncReport, MessengerError> {
        self.check()?;
        self.collect_spool();
        let mut report = SyncReport::default();
        let result = async {
            self.refresh_log().await?;
            report.received.extend(self.receive_all().await?);
            let (sent, queued) = self.flush_outbox().await?;
            report.sent = sent;
            report.queued = queued;
            // Confirm commits deposited just now, then send what waited
            // behind them.
            report.received.extend(self.receive_all().await?);
            if queued > 0 {
                let (sent, queued) = self.flush_outbox().await?;
                report.sent += sent;
                report.queued = queued;
            }
            let checked = self.verify_received_evidence().await?;
            if !checked.is_empty() {
                // The confirmations to the devices.
                let (sent, queued) = self.flush_outbox().await?;
                report.sent += sent;
                report.queued = queued;
            }
            report.evidence.extend(checked);
            if updates {
                self.self_updates_due().await?;
            }
            Ok::<(), MessengerError>(())
        }
        .await;
        match result {
            Ok(()) => Ok(report),
            Err(e) if e.is_offline() => {
                self.forget_client_if(&e).await;
                report.offline = true;
                report.queued = self.store.scan_prefix(Table::Outbox, &[]).count();
                Ok(report)
            }
            Err(e) => Err(e),
        }
    }

    /// Process the personal mailbox and every active group's mailbox.
    async fn receive_all(&mut self) -> Result<Vec<HistoryView>, MessengerError> {
        let mut new = self.receive_inbox().await?;
        for group in self.group_records()? {
            if group.active {
                new.extend(self.receive_group(group.id).await?);
            }
        }
        Ok(new)
    }

    /// Process commits of ours waiting for the relay's verdict; returns the
    /// groups whose commit won its epoch.
    pub(crate) async fn confirm_commits(&mut self) -> Result<Vec<LocalId>, MessengerError> {
        let mut won = Vec::new();
        for group in self.group_records()? {
            if !group.active {
                continue;
            }
            let pending = self
                .mls
                .load_group(&group.mls_group_id)?
                .pending_commit()
                .is_some();
            if !pending {
                continue;
            }
            self.receive_group(group.id).await?;
            if self.group_by_id(&group.id)?.commit_won == Some(true) {
                won.push(group.id);
            }
        }
        Ok(won)
    }

    /// First contacts in the personal mailbox: sealed welcomes.
    async fn receive_inbox(&mut self) -> Result<Vec<HistoryView>, MessengerError> {
        let owner = mailbox_owner(&self.identity.inbox);
        let mut views = Vec::new();
        loop {
            let batch_msgs = {
                let cursor = self.identity.inbox_cursor;
                let client = self.client().await?;
                client.fetch(&owner, cursor, FETCH_BATCH).await?
            };
            let more = batch_msgs.more;
            let mut done = Vec::new();
            for message in batch_msgs.items {
                let seal = x25519_dalek::StaticSecret::from(self.identity.seal_secret.0);
                let opened = sanad_protocol::envelope::open(&seal, &message.body).ok();
                let mut batch = self.store.batch();
                let mut joined = None;
                if let Some(plain) = opened {
                    if let Ok(Content::Welcome(gw)) = Content::decode(&plain) {
                        joined = self.accept_welcome(&mut batch, gw, None)?;
                    }
                }
                self.identity.inbox_cursor = message.seq;
                records::put(&mut batch, Table::Meta, super::IDENTITY_KEY, &self.identity)?;
                self.commit(batch)?;
                if let Some((gid, key)) = joined {
                    views.extend(self.view_of(&gid, &key)?);
                }
                done.push(message.seq);
            }
            if !done.is_empty() {
                let client = self.client().await?;
                client.ack(&owner, &done).await?;
            }
            if !more {
                break;
            }
        }
        Ok(views)
    }

    /// Join a group from a welcome (into `batch`). `via`: the contact who
    /// sent it through a one-to-one conversation (team invitations);
    /// `None`: a first contact from the personal mailbox.
    fn accept_welcome(
        &mut self,
        batch: &mut WriteBatch,
        gw: sanad_protocol::content::GroupWelcome,
        via: Option<&Contact>,
    ) -> Result<Option<(LocalId, Vec<u8>)>, MessengerError> {
        let mls_group = match self.mls.join(&gw.welcome) {
            Ok(g) => g,
            Err(MlsError::BadWelcome) | Err(MlsError::Malformed) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let me = self.mls.signature_key();
        let others: Vec<Vec<u8>> = Mls::member_keys(&mls_group)
            .into_iter()
            .filter(|k| k.as_slice() != me.as_slice())
            .collect();
        let team = via.is_some() && !gw.group_name.is_empty();
        let now = now_secs();
        let group_id = new_id();
        let mut group = Group {
            id: group_id,
            mls_group_id: mls_group.group_id().as_slice().to_vec(),
            name: String::new(),
            kind: GroupKind::Team,
            mailbox: super::mailbox_secret(&gw.mailbox),
            cursor: 0,
            pending_commit_seq: None,
            commit_won: None,
            active: true,
            sent_since_update: 0,
            last_update: now,
            next_history: 0,
            member_names: Vec::new(),
        };
        if team {
            group.name = self.free_name(&gw.group_name)?;
            if let Some(c) = via {
                group
                    .member_names
                    .push((c.signature_key.clone(), gw.from_name.clone()));
            }
        } else {
            // A first contact: exactly one other member, the inviter.
            let [inviter] = others.as_slice() else {
                return Ok(None);
            };
            let contact = match self.contact_by_key(inviter)? {
                Some(mut c) => {
                    c.group = group_id;
                    c
                }
                None => Contact {
                    id: new_id(),
                    name: self.free_name(&gw.from_name)?,
                    signature_key: inviter.clone(),
                    group: group_id,
                    verified_key: None,
                    key_changed: false,
                    key_packages: Vec::new(),
                    added_at: now,
                },
            };
            group.name = contact.name.clone();
            group.kind = GroupKind::Direct(contact.id);
            group
                .member_names
                .push((inviter.clone(), gw.from_name.clone()));
            records::put(batch, Table::Contacts, &contact.id, &contact)?;
        }
        self.queue_hello(batch, &group, !team)?;
        let key = self.push_history(
            batch,
            &mut group,
            HistoryBody::Event(GroupEvent::Joined),
            false,
            &[],
        )?;
        records::put(batch, Table::Groups, &group.id, &group)?;
        Ok(Some((group.id, key)))
    }

    /// The view of a history line, once written.
    fn view_of(&self, group: &LocalId, key: &[u8]) -> Result<Option<HistoryView>, MessengerError> {
        let group = self.group_by_id(group)?;
        Ok(
            records::get::<HistoryEntry>(&self.store, Table::Messages, key)?
                .map(|entry| self.view(&group, &entry)),
        )
    }

    /// Process one group's mailbox from its cursor, in relay order.
    async fn receive_group(
        &mut self,
        group_id: LocalId,
    ) -> Result<Vec<HistoryView>, MessengerError> {
        let mut views = Vec::new();
        loop {
            let group = self.group_by_id(&group_id)?;
            if !group.active {
                break;
            }
            let owner = mailbox_owner(&group.mailbox);
            let fetched = {
                let client = self.client().await?;
                client.fetch(&owner, group.cursor, FETCH_BATCH).await?
            };
            let more = fetched.more;
            for message in fetched.items {
                let mut group = self.group_by_id(&group_id)?;
                if !group.active {
                    break;
                }
                let mut mls_group = self.mls.load_group(&group.mls_group_id)?;
                let mut batch = self.store.batch();
                let new = self.process_one(
                    &mut batch,
                    &mut group,
                    &mut mls_group,
                    message.seq,
                    &message.body,
                )?;
                group.cursor = message.seq;
                records::put(&mut batch, Table::Groups, &group.id, &group)?;
                self.commit(batch)?;
                for key in new {
                    if let Some(entry) =
                        records::get::<HistoryEntry>(&self.store, Table::Messages, &key)?
                    {
                        views.push(self.view(&group, &entry));
                    }
                }
                for (gid, key) in std::mem::take(&mut self.joined_elsewhere) {
                    views.extend(self.view_of(&gid, &key)?);
                }
            }
            if !more {
                break;
            }
        }
        Ok(views)
    }

    /// One message of a group's mailbox. Returns the keys of new history
    /// lines.
    fn process_one(
        &mut self,
        batch: &mut WriteBatch,
        group: &mut Group,
        mls_group: &mut MlsGroup,
        seq: u64,
        body: &[u8],
    ) -> Result<Vec<Vec<u8>>, MessengerError> {
        let mut new = Vec::new();
        match self.mls.process(mls_group, body) {
            Ok(Incoming::Application { sender_key, bytes }) => {
                // A member removed in relay order cannot speak, even in an
                // epoch whose keys we still hold.
                if !Mls::member_keys(mls_group).contains(&sender_key) {
                    new.push(self.push_history(
                        batch,
                        group,
                        HistoryBody::Event(GroupEvent::Rejected("not-a-member".into())),
                        false,
                        &sender_key,
                    )?);
                    return Ok(new);
                }
                match Content::decode(&bytes) {
                    Ok(Content::Text { body }) => {
                        new.push(self.push_history(
                            batch,
                            group,
                            HistoryBody::Text(body),
                            false,
                            &sender_key,
                        )?);
                    }
                    Ok(Content::File(f)) => {
                        let record = super::transfer::record_from_ref(&f);
                        new.push(self.push_history(
                            batch,
                            group,
                            HistoryBody::File(record),
                            false,
                            &sender_key,
                        )?);
                    }
                    Ok(Content::Hello {
                        display_name,
                        key_packages,
                    }) => {
                        group.member_names.retain(|(k, _)| k != &sender_key);
                        group.member_names.push((sender_key.clone(), display_name));
                        if let GroupKind::Direct(cid) = group.kind {
                            if let Some(mut c) =
                                records::get::<Contact>(&self.store, Table::Contacts, &cid)?
                            {
                                if c.signature_key == sender_key {
                                    c.key_packages = key_packages;
                                    c.key_packages.truncate(MAX_SPARE_KEY_PACKAGES_KEPT);
                                    records::put(batch, Table::Contacts, &c.id, &c)?;
                                }
                            }
                        }
                    }
                    Ok(Content::Evidence(item)) => {
                        self.receive_evidence(batch, group, &sender_key, *item)?;
                    }
                    Ok(Content::Enrolment(signed)) => {
                        self.receive_enrolment(batch, *signed)?;
                    }
                    Ok(Content::EvidenceConfirmed {
                        evidence_id,
                        verified,
                    }) => {
                        self.evidence_confirmed(batch, group.id, &evidence_id, verified)?;
                    }
                    Ok(Content::Welcome(gw)) => {
                        // Team invitations only come through a one-to-one
                        // conversation, from that contact.
                        if let GroupKind::Direct(cid) = group.kind {
                            if let Some(c) =
                                records::get::<Contact>(&self.store, Table::Contacts, &cid)?
                            {
                                if c.signature_key == sender_key {
                                    if let Some((gid, key)) =
                                        self.accept_welcome(batch, gw, Some(&c))?
                                    {
                                        self.joined_elsewhere.push((gid, key));
                                    }
                                }
                            }
                        }
                    }
                    Err(ContentError::UnknownKind(_)) => {
                        new.push(self.push_history(
                            batch,
                            group,
                            HistoryBody::Event(GroupEvent::Unsupported),
                            false,
                            &sender_key,
                        )?);
                    }
                    Err(_) => {
                        new.push(self.push_history(
                            batch,
                            group,
                            HistoryBody::Event(GroupEvent::Rejected("malformed".into())),
                            false,
                            &sender_key,
                        )?);
                    }
                }
            }
            Ok(Incoming::Commit { sender_key, staged }) => {
                if mls_group.pending_commit().is_some() {
                    // Theirs came first in relay order: ours lost.
                    self.mls.clear_pending(mls_group)?;
                    group.pending_commit_seq = None;
                    group.commit_won = Some(false);
                }
                if staged.self_removed() {
                    self.mls.merge_staged(mls_group, *staged)?;
                    group.active = false;
                    new.push(self.push_history(
                        batch,
                        group,
                        HistoryBody::Event(GroupEvent::YouWereRemoved),
                        false,
                        &sender_key,
                    )?);
                    return Ok(new);
                }
                let added: Vec<Vec<u8>> = staged
                    .add_proposals()
                    .map(|p| {
                        p.add_proposal()
                            .key_package()
                            .leaf_node()
                            .signature_key()
                            .as_slice()
                            .to_vec()
                    })
                    .collect();
                let removed_leaves: Vec<_> = staged
                    .remove_proposals()
                    .map(|p| p.remove_proposal().removed())
                    .collect();
                let removed: Vec<Vec<u8>> = mls_group
                    .members()
                    .filter(|m| removed_leaves.contains(&m.index))
                    .map(|m| m.signature_key)
                    .collect();
                self.mls.merge_staged(mls_group, *staged)?;
                if !added.is_empty() {
                    let names = added.iter().map(|k| self.name_for_key(group, k)).collect();
                    new.push(self.push_history(
                        batch,
                        group,
                        HistoryBody::Event(GroupEvent::Added(names)),
                        false,
                        &sender_key,
                    )?);
                }
                if !removed.is_empty() {
                    let names = removed
                        .iter()
                        .map(|k| self.name_for_key(group, k))
                        .collect();
                    new.push(self.push_history(
                        batch,
                        group,
                        HistoryBody::Event(GroupEvent::Removed(names)),
                        false,
                        &sender_key,
                    )?);
                }
            }
            Ok(Incoming::Own { commit: true }) => {
                let ours = group.pending_commit_seq.is_none_or(|s| s == seq);
                if mls_group.pending_commit().is_some() && ours {
                    self.mls.merge_pending(mls_group)?;
                    group.pending_commit_seq = None;
                    group.last_update = now_secs();
                    group.sent_since_update = 0;
                    group.commit_won = Some(true);
                }
            }
            Ok(Incoming::Own { commit: false }) | Ok(Incoming::Proposal) => {}
            Err(MlsError::WrongEpoch) => {}
            Err(MlsError::NotMember) => group.active = false,
            Err(MlsError::Store(e)) => return Err(e.into()),
            Err(MlsError::Rejected(_)) | Err(MlsError::Malformed) => {
                new.push(self.push_history(
                    batch,
                    group,
                    HistoryBody::Event(GroupEvent::Rejected("unauthentic".into())),
                    false,
                    &[],
                )?);
            }
            Err(_) => {
                new.push(self.push_history(
                    batch,
                    group,
                    HistoryBody::Event(GroupEvent::Rejected("unreadable".into())),
                    false,
                    &[],
                )?);
            }
        }
        Ok(new)
    }
}

fn key_counter(key: &[u8]) -> u64 {
    key.try_into().map(u64::from_be_bytes).unwrap_or(0)
}
