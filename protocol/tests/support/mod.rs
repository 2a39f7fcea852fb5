//! Fixed instances of every frame and the fixed keys behind the signed ones,
//! shared by the snapshot, vector and corpus tests. The values are chosen to
//! be readable in hex: each identifier repeats one ASCII letter.

#![allow(dead_code)] // each test crate uses a different part of this module

use ed25519_dalek::SigningKey;
use sanad_protocol::log::merkle::{leaf_hash, root, Hash, LeafHashes};
use sanad_protocol::log::proof::{consistency_proof, inclusion_proof};
use sanad_protocol::log::{Checkpoint, LogKey, Receipt, SignedCheckpoint};
use sanad_protocol::request::{
    unsigned_auth, Ack, BlobCreate, BlobGet, BlobPut, BlobStatus, CreateMailbox, Deposit, Fetch,
    List, LogAppend, LogConsistency, LogInclusion,
};
use sanad_protocol::response::{MessageHeader, StoredMessage};
use sanad_protocol::Commitment;
use sanad_protocol::{
    BlobId, DepositKey, ErrorCode, Nonce, OwnerKey, ReceiveId, Request, Response, SegmentHash,
    SendId, UploadToken,
};

/// Seed of the owner key that signs every signed vector: bytes 0x00..=0x1f.
pub const OWNER_SEED: [u8; 32] = {
    let mut s = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        s[i] = i as u8;
        i += 1;
    }
    s
};

/// Seed of the log key that signs every checkpoint vector: bytes 0x40..=0x5f.
pub const LOG_SEED: [u8; 32] = {
    let mut s = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        s[i] = 0x40 + i as u8;
        i += 1;
    }
    s
};

/// Seed of a second key, used where a signature must fail.
pub const OTHER_SEED: [u8; 32] = [0x42; 32];

/// Timestamp of every signed vector: 2023-11-14T22:13:20Z.
pub const TIMESTAMP: u64 = 1_700_000_000;

/// Nonce of every signed vector: bytes 0xa0..=0xaf.
pub const NONCE: Nonce = Nonce([
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
]);

/// `TIMESTAMP` in whole hours since the epoch, as the relay stores it.
pub const STORED_HOUR: u32 = (TIMESTAMP / 3600) as u32;

/// The blob in the examples: two full segments and a 5-byte tail.
pub const BLOB_SIZE: u64 = 2 * 1024 * 1024 + 5;

pub fn owner_signing_key() -> SigningKey {
    SigningKey::from_bytes(&OWNER_SEED)
}

pub fn other_signing_key() -> SigningKey {
    SigningKey::from_bytes(&OTHER_SEED)
}

pub fn owner_key() -> OwnerKey {
    OwnerKey(owner_signing_key().verifying_key().to_bytes())
}

pub fn receive_id() -> ReceiveId {
    ReceiveId([b'R'; 16])
}

pub fn send_id() -> SendId {
    SendId([b'S'; 16])
}

pub fn deposit_key() -> DepositKey {
    DepositKey([b'K'; 16])
}

pub fn blob_id() -> BlobId {
    BlobId([b'B'; 32])
}

pub fn upload_token() -> UploadToken {
    UploadToken([b'T'; 32])
}

pub fn log_signing_key() -> SigningKey {
    SigningKey::from_bytes(&LOG_SEED)
}

pub fn log_key() -> LogKey {
    LogKey::new(log_signing_key().verifying_key())
}

/// The example log: eight commitments, `'0'`x32 to `'7'`x32.
pub fn log_leaves() -> Vec<Commitment> {
    (b'0'..=b'7').map(|b| Commitment([b; 32])).collect()
}

pub fn log_leaf_hashes() -> Vec<Hash> {
    log_leaves().iter().map(|c| leaf_hash(&c.0)).collect()
}

/// The time on the example log's checkpoint at `size` leaves:
/// [`TIMESTAMP`] plus one second per leaf.
pub fn log_time(size: u64) -> u64 {
    TIMESTAMP + size
}

/// The example log's checkpoint at `size` leaves, signed and timed
/// ([`log_time`]) with the log key.
pub fn log_checkpoint(size: u64) -> SignedCheckpoint {
    let hashes = log_leaf_hashes();
    Checkpoint {
        origin: log_key().origin().to_string(),
        size,
        root: root(&hashes[..size as usize]),
    }
    .sign(&log_signing_key(), log_time(size))
    .expect("the origin is the log key's")
}

/// The receipt of leaf `index` against the checkpoint at `size`.
pub fn log_receipt(index: u64, size: u64) -> Receipt {
    let hashes = log_leaf_hashes();
    Receipt {
        checkpoint: log_checkpoint(size),
        leaf_index: index,
        leaf: log_leaves()[index as usize],
        proof: inclusion_proof(&LeafHashes(&hashes), index, size).expect("leaf in tree"),
    }
}

pub fn log_append() -> Request {
    Request::LogAppend(LogAppend {
        commitment: log_leaves()[5],
    })
}

pub fn log_checkpoint_request() -> Request {
    Request::LogCheckpoint
}

pub fn log_consistency() -> Request {
    Request::LogConsistency(LogConsistency {
        from_size: 3,
        to_size: 8,
    })
}

pub fn log_inclusion() -> Request {
    Request::LogInclusion(LogInclusion {
        leaf_index: 5,
        tree_size: 8,
    })
}

pub fn log_appended() -> Response {
    Response::LogAppended {
        receipt: log_receipt(5, 8),
    }
}

pub fn checkpoint() -> Response {
    Response::Checkpoint {
        checkpoint: log_checkpoint(8),
    }
}

pub fn consistency_proof_response() -> Response {
    let hashes = log_leaf_hashes();
    Response::ConsistencyProof {
        from_size: 3,
        to_size: 8,
        hashes: consistency_proof(&LeafHashes(&hashes), 3, 8).expect("ordered sizes"),
    }
}

pub fn inclusion_proof_response() -> Response {
    let hashes = log_leaf_hashes();
    Response::InclusionProof {
        leaf_index: 5,
        tree_size: 8,
        leaf: log_leaves()[5],
        hashes: inclusion_proof(&LeafHashes(&hashes), 5, 8).expect("leaf in tree"),
    }
}

/// The last segment of the example blob.
pub const TAIL: &[u8] = b"tail!";

fn signed(r: Request) -> Request {
    r.sign(&owner_signing_key(), TIMESTAMP, NONCE)
}

pub fn ping() -> Request {
    Request::Ping
}

pub fn create_mailbox() -> Request {
    signed(Request::CreateMailbox(CreateMailbox {
        owner_key: owner_key(),
        auth: unsigned_auth(),
    }))
}

pub fn deposit() -> Request {
    Request::Deposit(Deposit {
        send_id: send_id(),
        key: deposit_key(),
        body: b"hello".to_vec(),
    })
}

pub fn list() -> Request {
    signed(Request::List(List {
        receive_id: receive_id(),
        after_seq: 7,
        limit: 100,
        auth: unsigned_auth(),
    }))
}

pub fn fetch() -> Request {
    signed(Request::Fetch(Fetch {
        receive_id: receive_id(),
        after_seq: 7,
        limit: 10,
        auth: unsigned_auth(),
    }))
}

pub fn ack() -> Request {
    signed(Request::Ack(Ack {
        receive_id: receive_id(),
        seqs: vec![8, 9, 12],
        auth: unsigned_auth(),
    }))
}

pub fn blob_create() -> Request {
    Request::BlobCreate(BlobCreate { size: BLOB_SIZE })
}

pub fn blob_put() -> Request {
    Request::BlobPut(BlobPut {
        blob_id: blob_id(),
        token: upload_token(),
        index: 2,
        hash: SegmentHash::of(TAIL),
        data: TAIL.to_vec(),
    })
}

pub fn blob_status() -> Request {
    Request::BlobStatus(BlobStatus { blob_id: blob_id() })
}

pub fn blob_get() -> Request {
    Request::BlobGet(BlobGet {
        blob_id: blob_id(),
        index: 2,
    })
}

/// One instance of every request, named after its frame kind.
pub fn requests() -> Vec<(&'static str, Request)> {
    vec![
        ("ping", ping()),
        ("create_mailbox", create_mailbox()),
        ("deposit", deposit()),
        ("list", list()),
        ("fetch", fetch()),
        ("ack", ack()),
        ("blob_create", blob_create()),
        ("blob_put", blob_put()),
        ("blob_status", blob_status()),
        ("blob_get", blob_get()),
        ("log_append", log_append()),
        ("log_checkpoint", log_checkpoint_request()),
        ("log_consistency", log_consistency()),
        ("log_inclusion", log_inclusion()),
    ]
}

pub fn pong() -> Response {
    Response::Pong {
        relay_time: TIMESTAMP + 123,
    }
}

pub fn mailbox_created() -> Response {
    Response::MailboxCreated {
        receive_id: receive_id(),
        send_id: send_id(),
    }
}

pub fn deposited() -> Response {
    Response::Deposited { seq: 8 }
}

pub fn message_list() -> Response {
    Response::MessageList {
        items: vec![
            MessageHeader {
                seq: 8,
                stored_hour: STORED_HOUR,
                len: 5,
            },
            MessageHeader {
                seq: 9,
                stored_hour: STORED_HOUR,
                len: 300,
            },
        ],
        more: true,
    }
}

pub fn messages() -> Response {
    Response::Messages {
        items: vec![StoredMessage {
            seq: 8,
            stored_hour: STORED_HOUR,
            body: b"hello".to_vec(),
        }],
        more: false,
    }
}

pub fn acked() -> Response {
    Response::Acked { removed: 2 }
}

pub fn blob_created() -> Response {
    Response::BlobCreated {
        blob_id: blob_id(),
        token: upload_token(),
    }
}

pub fn segment_stored() -> Response {
    Response::SegmentStored {
        index: 2,
        sealed: false,
    }
}

pub fn blob_state() -> Response {
    Response::BlobStatus {
        size: BLOB_SIZE,
        missing: vec![1],
        sealed: false,
    }
}

pub fn segment() -> Response {
    Response::Segment {
        index: 2,
        hash: SegmentHash::of(TAIL),
        data: TAIL.to_vec(),
    }
}

pub fn error() -> Response {
    Response::Error {
        code: ErrorCode::StaleTimestamp,
        value: TIMESTAMP + 700,
    }
}

/// One instance of every response, named after its frame kind.
pub fn responses() -> Vec<(&'static str, Response)> {
    vec![
        ("pong", pong()),
        ("mailbox_created", mailbox_created()),
        ("deposited", deposited()),
        ("message_list", message_list()),
        ("messages", messages()),
        ("acked", acked()),
        ("blob_created", blob_created()),
        ("segment_stored", segment_stored()),
        ("blob_state", blob_state()),
        ("segment", segment()),
        ("log_appended", log_appended()),
        ("checkpoint", checkpoint()),
        ("consistency_proof", consistency_proof_response()),
        ("inclusion_proof", inclusion_proof_response()),
        ("error", error()),
    ]
}

/// Replace a frame's body by its first `body_len` bytes followed by `extra`,
/// with a header that declares the new length (so the body decoder, not the
/// frame splitter, meets the damage).
pub fn reframe(frame: &[u8], body_len: usize, extra: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(6 + body_len + extra.len());
    out.extend_from_slice(&sanad_protocol::FrameHeader::encode(
        frame[1],
        body_len + extra.len(),
    ));
    out.extend_from_slice(&frame[6..6 + body_len]);
    out.extend_from_slice(extra);
    out
}
