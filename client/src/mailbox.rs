//! Mailboxes: create one, deposit into someone's, and list, fetch and
//! acknowledge one's own with owner-signed requests.
//!
//! Signed requests carry the relay's time as this client estimates it (see
//! `clock`); a `StaleTimestamp` refusal teaches the relay's time and the
//! request is signed afresh and sent once more. Every attempt has a fresh
//! nonce, so a retry is never refused as a replay.

use std::fmt;

use ed25519_dalek::SigningKey;
use rand_core::OsRng;
use sanad_protocol::frame::kind;
use sanad_protocol::limits::{MAX_ACK_SEQS, MAX_LIST_ITEMS, MAX_MESSAGE_LEN};
use sanad_protocol::request::{self, Ack, CreateMailbox, Deposit, Fetch, List};
use sanad_protocol::response::{MessageHeader, StoredMessage};
use sanad_protocol::{
    DepositKey, ErrorCode, Nonce, OwnerKey, ReceiveId, Request, Response, SendId,
};

use crate::clock::RelayClock;
use crate::error::ClientError;
use crate::transport::{retry, unexpected, Client, Exchange, RetryPolicy};

/// The owner's side of a mailbox: the signing key registered with the relay
/// and the two capabilities. The key is zeroized when this is dropped, and
/// `Debug` prints nothing of it.
pub struct MailboxOwner {
    signing_key: SigningKey,
    receive_id: ReceiveId,
    send_id: SendId,
}

impl MailboxOwner {
    /// Reassemble an owner from stored parts (the keystore keeps them).
    pub fn from_parts(signing_key: SigningKey, receive_id: ReceiveId, send_id: SendId) -> Self {
        MailboxOwner {
            signing_key,
            receive_id,
            send_id,
        }
    }

    /// The read capability (used with the owner's signature).
    pub fn receive_id(&self) -> ReceiveId {
        self.receive_id
    }

    /// The deposit capability, to share with senders in invites.
    pub fn send_id(&self) -> SendId {
        self.send_id
    }

    /// The public key registered with the relay.
    pub fn owner_key(&self) -> OwnerKey {
        OwnerKey(self.signing_key.verifying_key().to_bytes())
    }

    /// The signing key, for storing in the keystore.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing_key
    }
}

impl fmt::Debug for MailboxOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MailboxOwner(..)")
    }
}

/// A page of message headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageList {
    /// Headers in sequence order.
    pub items: Vec<MessageHeader>,
    /// More entries follow the last one.
    pub more: bool,
}

/// A page of messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Messages {
    /// Messages in sequence order.
    pub items: Vec<StoredMessage>,
    /// More messages follow the last one.
    pub more: bool,
}

/// Sign `unsigned` afresh for each attempt and send it. Transient failures
/// are retried per `policy`; a `StaleTimestamp` refusal corrects the clock
/// and is retried once.
async fn send_signed<E: Exchange>(
    ex: &E,
    clock: &RelayClock,
    key: &SigningKey,
    unsigned: &Request,
    policy: RetryPolicy,
) -> Result<Response, ClientError> {
    let k = unsigned.kind();
    let attempt = move || async move {
        let signed = unsigned
            .clone()
            .sign(key, clock.now(), Nonce::random(&mut OsRng));
        ex.exchange(&signed.encode(), k).await
    };
    match retry(policy, attempt).await {
        Err(ClientError::Relay {
            code: ErrorCode::StaleTimestamp,
            value,
        }) => {
            tracing::debug!("relay refused the timestamp; correcting the clock offset");
            clock.learn(value);
            retry(policy, attempt).await
        }
        other => other,
    }
}

/// Deposit `body` under one random deposit key, resending the very same
/// frame (same key) after a transient failure so that the relay stores the
/// message once however many attempts reach it.
async fn deposit_via<E: Exchange>(
    ex: &E,
    policy: RetryPolicy,
    send_id: SendId,
    body: Vec<u8>,
) -> Result<u64, ClientError> {
    deposit_keyed(ex, policy, send_id, DepositKey::random(&mut OsRng), body).await
}

async fn deposit_keyed<E: Exchange>(
    ex: &E,
    policy: RetryPolicy,
    send_id: SendId,
    key: DepositKey,
    body: Vec<u8>,
) -> Result<u64, ClientError> {
    if body.len() > MAX_MESSAGE_LEN {
        return Err(ClientError::InvalidInput(
            "message longer than the protocol allows",
        ));
    }
    let frame = Request::Deposit(Deposit {
        send_id,
        key,
        body,
    })
    .encode();
    match retry(policy, || ex.exchange(&frame, kind::DEPOSIT)).await? {
        Response::Deposited { seq } => Ok(seq),
        other => Err(unexpected(kind::DEPOSIT, &other)),
    }
}

fn check_limit(limit: u16) -> Result<(), ClientError> {
    if usize::from(limit) > MAX_LIST_ITEMS {
        return Err(ClientError::InvalidInput(
            "limit above the protocol maximum",
        ));
    }
    Ok(())
}

impl Client {
    /// Ask the relay for its clock (and learn the offset to it). Retried
    /// after transient failures.
    pub async fn ping(&self) -> Result<u64, ClientError> {
        let frame = Request::Ping.encode();
        match retry(RetryPolicy::REPEATABLE, || {
            self.exchange(&frame, kind::PING)
        })
        .await?
        {
            Response::Pong { relay_time } => {
                self.clock().learn(relay_time);
                Ok(relay_time)
            }
            other => Err(unexpected(kind::PING, &other)),
        }
    }

    /// Create a mailbox owned by `signing_key`. Sent once (a repeat would
    /// create a second mailbox); only a clock refusal is retried.
    pub async fn create_mailbox(
        &self,
        signing_key: &SigningKey,
    ) -> Result<MailboxOwner, ClientError> {
        let unsigned = Request::CreateMailbox(CreateMailbox {
            owner_key: OwnerKey(signing_key.verifying_key().to_bytes()),
            auth: request::unsigned_auth(),
        });
        match send_signed(
            self,
            self.clock(),
            signing_key,
            &unsigned,
            RetryPolicy::ONCE,
        )
        .await?
        {
            Response::MailboxCreated {
                receive_id,
                send_id,
            } => Ok(MailboxOwner::from_parts(
                signing_key.clone(),
                receive_id,
                send_id,
            )),
            other => Err(unexpected(kind::CREATE_MAILBOX, &other)),
        }
    }

    /// Deposit one message (ciphertext, already padded) into the mailbox
    /// behind `send_id`; returns its sequence number. Retried after
    /// transient failures with the same deposit key, so it is stored once.
    pub async fn deposit(&self, send_id: &SendId, body: Vec<u8>) -> Result<u64, ClientError> {
        deposit_via(self, RetryPolicy::REPEATABLE, *send_id, body).await
    }

    /// Deposit with a deposit key chosen (and stored) by the caller, so that
    /// a repeat after a crash or a lost answer is stored once: the relay
    /// answers a known key with the first deposit's sequence number.
    pub async fn deposit_with_key(
        &self,
        send_id: &SendId,
        key: DepositKey,
        body: Vec<u8>,
    ) -> Result<u64, ClientError> {
        deposit_keyed(self, RetryPolicy::REPEATABLE, *send_id, key, body).await
    }

    /// List headers of messages after `after_seq`, at most `limit`.
    pub async fn list(
        &self,
        owner: &MailboxOwner,
        after_seq: u64,
        limit: u16,
    ) -> Result<MessageList, ClientError> {
        check_limit(limit)?;
        let unsigned = Request::List(List {
            receive_id: owner.receive_id,
            after_seq,
            limit,
            auth: request::unsigned_auth(),
        });
        match send_signed(
            self,
            self.clock(),
            &owner.signing_key,
            &unsigned,
            RetryPolicy::REPEATABLE,
        )
        .await?
        {
            Response::MessageList { items, more } => Ok(MessageList { items, more }),
            other => Err(unexpected(kind::LIST, &other)),
        }
    }

    /// Fetch messages after `after_seq`, at most `limit` (the relay may
    /// return fewer to stay under the frame limit; `more` says so).
    pub async fn fetch(
        &self,
        owner: &MailboxOwner,
        after_seq: u64,
        limit: u16,
    ) -> Result<Messages, ClientError> {
        check_limit(limit)?;
        let unsigned = Request::Fetch(Fetch {
            receive_id: owner.receive_id,
            after_seq,
            limit,
            auth: request::unsigned_auth(),
        });
        match send_signed(
            self,
            self.clock(),
            &owner.signing_key,
            &unsigned,
            RetryPolicy::REPEATABLE,
        )
        .await?
        {
            Response::Messages { items, more } => Ok(Messages { items, more }),
            other => Err(unexpected(kind::FETCH, &other)),
        }
    }

    /// Acknowledge (delete) messages; returns how many existed and were
    /// removed. Safe to repeat: a repeat removes nothing more.
    pub async fn ack(&self, owner: &MailboxOwner, seqs: &[u64]) -> Result<u16, ClientError> {
        if seqs.is_empty() {
            return Ok(0);
        }
        if seqs.len() > MAX_ACK_SEQS {
            return Err(ClientError::InvalidInput(
                "more sequence numbers than one ack carries",
            ));
        }
        let unsigned = Request::Ack(Ack {
            receive_id: owner.receive_id,
            seqs: seqs.to_vec(),
            auth: request::unsigned_auth(),
        });
        match send_signed(
            self,
            self.clock(),
            &owner.signing_key,
            &unsigned,
            RetryPolicy::REPEATABLE,
        )
        .await?
        {
            Response::Acked { removed } => Ok(removed),
            other => Err(unexpected(kind::ACK, &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Records every frame and answers from a script.
    struct Scripted {
        frames: Mutex<Vec<Vec<u8>>>,
        answers: Mutex<VecDeque<Result<Response, ClientError>>>,
    }

    impl Scripted {
        fn new(answers: Vec<Result<Response, ClientError>>) -> Self {
            Scripted {
                frames: Mutex::new(Vec::new()),
                answers: Mutex::new(answers.into()),
            }
        }

        fn requests(&self) -> Vec<Request> {
            self.frames
                .lock()
                .expect("not poisoned")
                .iter()
                .map(|f| Request::decode(f).expect("client frames decode"))
                .collect()
        }
    }

    impl Exchange for Scripted {
        fn exchange(
            &self,
            frame: &[u8],
            _request_kind: u8,
        ) -> impl std::future::Future<Output = Result<Response, ClientError>> + Send {
            self.frames
                .lock()
                .expect("not poisoned")
                .push(frame.to_vec());
            let answer = self
                .answers
                .lock()
                .expect("not poisoned")
                .pop_front()
                .expect("script long enough");
            std::future::ready(answer)
        }
    }

    const FAST: RetryPolicy = RetryPolicy {
        attempts: 4,
        backoff: Duration::ZERO,
    };

    fn lost() -> Result<Response, ClientError> {
        Err(ClientError::transport("connection lost"))
    }

    fn deposit_key(r: &Request) -> DepositKey {
        match r {
            Request::Deposit(d) => d.key,
            other => panic!("not a deposit: {other:?}"),
        }
    }

    #[tokio::test]
    async fn deposit_retries_reuse_the_same_deposit_key() {
        let ex = Scripted::new(vec![lost(), lost(), Ok(Response::Deposited { seq: 7 })]);
        let seq = deposit_via(&ex, FAST, SendId([1; 16]), b"sealed".to_vec()).await;
        assert_eq!(seq.ok(), Some(7));
        let sent = ex.requests();
        assert_eq!(sent.len(), 3);
        assert!(sent.iter().all(|r| deposit_key(r) == deposit_key(&sent[0])));
        assert_ne!(deposit_key(&sent[0]), DepositKey([0; 16]));
    }

    #[tokio::test]
    async fn separate_deposits_use_separate_keys() {
        let ex = Scripted::new(vec![
            Ok(Response::Deposited { seq: 1 }),
            Ok(Response::Deposited { seq: 2 }),
        ]);
        for _ in 0..2 {
            deposit_via(&ex, FAST, SendId([1; 16]), b"m".to_vec())
                .await
                .expect("deposit succeeds");
        }
        let sent = ex.requests();
        assert_ne!(deposit_key(&sent[0]), deposit_key(&sent[1]));
    }

    #[tokio::test]
    async fn deposit_gives_up_after_the_attempts_and_keeps_the_error() {
        let ex = Scripted::new(vec![lost(), lost(), lost(), lost()]);
        let r = deposit_via(&ex, FAST, SendId([1; 16]), b"m".to_vec()).await;
        assert!(matches!(r, Err(ClientError::Transport { .. })));
        assert_eq!(ex.requests().len(), 4);
    }

    #[tokio::test]
    async fn oversized_deposits_are_refused_before_sending() {
        let ex = Scripted::new(vec![]);
        let r = deposit_via(&ex, FAST, SendId([1; 16]), vec![0; MAX_MESSAGE_LEN + 1]).await;
        assert!(matches!(r, Err(ClientError::InvalidInput(_))));
        assert!(ex.requests().is_empty());
    }

    fn list_request() -> Request {
        Request::List(List {
            receive_id: ReceiveId([2; 16]),
            after_seq: 0,
            limit: 10,
            auth: request::unsigned_auth(),
        })
    }

    fn auth_of(r: &Request) -> request::Auth {
        match r {
            Request::List(l) => l.auth.clone(),
            other => panic!("not a list: {other:?}"),
        }
    }

    fn empty_list() -> Result<Response, ClientError> {
        Ok(Response::MessageList {
            items: vec![],
            more: false,
        })
    }

    #[tokio::test]
    async fn a_stale_timestamp_corrects_the_clock_and_resigns_with_a_fresh_nonce() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let clock = RelayClock::default();
        let relay_time = clock.now() + 3 * 3600;
        let ex = Scripted::new(vec![
            Err(ClientError::Relay {
                code: ErrorCode::StaleTimestamp,
                value: relay_time,
            }),
            empty_list(),
        ]);
        let r = send_signed(&ex, &clock, &key, &list_request(), FAST).await;
        assert!(r.is_ok());
        let sent = ex.requests();
        assert_eq!(sent.len(), 2);
        let (first, second) = (auth_of(&sent[0]), auth_of(&sent[1]));
        assert_ne!(first.nonce, second.nonce);
        assert!(second.timestamp.abs_diff(relay_time) <= 2);
        let owner = OwnerKey(key.verifying_key().to_bytes());
        assert!(sent[1].verify_owner(&owner).is_ok());
    }

    #[tokio::test]
    async fn a_second_stale_timestamp_is_returned_not_retried_forever() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let stale = || {
            Err(ClientError::Relay {
                code: ErrorCode::StaleTimestamp,
                value: 1,
            })
        };
        let ex = Scripted::new(vec![stale(), stale()]);
        let r = send_signed(&ex, &RelayClock::default(), &key, &list_request(), FAST).await;
        assert!(matches!(
            r,
            Err(ClientError::Relay {
                code: ErrorCode::StaleTimestamp,
                ..
            })
        ));
        assert_eq!(ex.requests().len(), 2);
    }

    #[tokio::test]
    async fn signed_retries_after_transport_failures_use_fresh_nonces() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let ex = Scripted::new(vec![lost(), empty_list()]);
        let r = send_signed(&ex, &RelayClock::default(), &key, &list_request(), FAST).await;
        assert!(r.is_ok());
        let sent = ex.requests();
        assert_ne!(auth_of(&sent[0]).nonce, auth_of(&sent[1]).nonce);
    }

    #[test]
    fn mailbox_owner_debug_prints_no_key() {
        let owner = MailboxOwner::from_parts(
            SigningKey::from_bytes(&[5; 32]),
            ReceiveId([1; 16]),
            SendId([2; 16]),
        );
        assert_eq!(format!("{owner:?}"), "MailboxOwner(..)");
    }
}
