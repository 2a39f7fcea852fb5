//! Test vectors in `protocol/tests/vectors/`: one file per case, the expected
//! outcome in its header, the frame in hex. The format is described in
//! `docs/protocol.md` (section "Test vectors").
//!
//! `SANAD_REGENERATE_VECTORS=1 cargo test -p sanad-protocol --test vectors`
//! rewrites the files from the cases below. Without it, the test checks that
//! every file decodes exactly to its stated outcome, and that the files are
//! still exactly what the cases produce (so a change to the encoding fails
//! here until the vectors, and `docs/protocol.md`, change with it).

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use sanad_protocol::frame::{kind, Direction, FrameHeader};
use sanad_protocol::limits::{
    MAX_ACK_SEQS, MAX_BLOB_LEN, MAX_FRAME_BODY, MAX_LIST_ITEMS, MAX_MESSAGE_LEN, MAX_SEGMENTS,
    MAX_SMALL_REQUEST_BODY, SEGMENT_SIZE,
};
use sanad_protocol::request::{Ack, BlobCreate, BlobGet, BlobPut, List, OWNER_REQUEST_DOMAIN};
use sanad_protocol::response::{MessageHeader, StoredMessage};
use sanad_protocol::{
    ErrorCode, Nonce, OwnerKey, Request, Response, SegmentHash, PROTOCOL_VERSION,
};

const REGENERATE: &str = "SANAD_REGENERATE_VECTORS";

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

/// What an owner-signed vector was signed with.
struct Signing {
    seed: [u8; 32],
    key: OwnerKey,
    timestamp: u64,
    nonce: Nonce,
    message: Vec<u8>,
    signature: [u8; 64],
}

/// One vector, as generated or as read back from its file.
struct Vector {
    about: Vec<String>,
    direction: Direction,
    /// `ok <Variant>` or `err <Variant>`.
    expect: String,
    /// For decode errors: the error's `Debug` form in this implementation.
    detail: Option<String>,
    /// For signed vectors: the signing inputs and outputs. For
    /// `err BadSignature`: only `key` is meaningful.
    signing: Option<Signing>,
    bytes: Vec<u8>,
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

/// The variant name at the start of a `Debug` string: `Deposit(..)` → `Deposit`.
fn variant<T: std::fmt::Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    s.split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_string()
}

impl Vector {
    fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.about {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(&format!(
            "# direction: {}\n",
            direction_name(self.direction)
        ));
        out.push_str(&format!("# expect: {}\n", self.expect));
        if let Some(d) = &self.detail {
            out.push_str(&format!("# detail: {d}\n"));
        }
        if let Some(s) = &self.signing {
            if self.expect.starts_with("ok") {
                out.push_str(&format!("# owner-seed: {}\n", hex::encode(s.seed)));
            }
            out.push_str(&format!("# owner-key: {}\n", hex::encode(s.key.0)));
            if self.expect.starts_with("ok") {
                out.push_str(&format!("# timestamp: {}\n", s.timestamp));
                out.push_str(&format!("# nonce: {}\n", hex::encode(s.nonce.0)));
                out.push_str(&format!("# signed-message: {}\n", hex::encode(&s.message)));
                out.push_str(&format!("# signature: {}\n", hex::encode(s.signature)));
            }
        }
        let h = hex::encode(&self.bytes);
        for chunk in h.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(chunk).expect("hex is ASCII"));
            out.push('\n');
        }
        out
    }

    fn parse(text: &str) -> Result<Vector, String> {
        let mut meta = BTreeMap::new();
        let mut about = Vec::new();
        let mut hex_text = String::new();
        for line in text.lines() {
            if let Some(c) = line.strip_prefix('#') {
                let c = c.trim();
                match c.split_once(": ") {
                    Some((k, v)) if KEYS.contains(&k) => {
                        meta.insert(k.to_string(), v.to_string());
                    }
                    _ => about.push(c.to_string()),
                }
            } else {
                hex_text.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
        }
        let get = |k: &str| meta.get(k).cloned().ok_or(format!("no `# {k}:` line"));
        let unhex = |k: &str| -> Result<Vec<u8>, String> {
            hex::decode(get(k)?).map_err(|e| format!("{k}: {e}"))
        };
        let direction = match get("direction")?.as_str() {
            "request" => Direction::Request,
            "response" => Direction::Response,
            other => return Err(format!("unknown direction {other}")),
        };
        let signing = if meta.contains_key("owner-key") {
            let key = OwnerKey(
                unhex("owner-key")?
                    .try_into()
                    .map_err(|_| "owner-key is not 32 bytes")?,
            );
            let full = meta.contains_key("owner-seed");
            Some(Signing {
                seed: if full {
                    unhex("owner-seed")?
                        .try_into()
                        .map_err(|_| "owner-seed is not 32 bytes")?
                } else {
                    [0; 32]
                },
                key,
                timestamp: if full {
                    get("timestamp")?.parse().map_err(|e| format!("{e}"))?
                } else {
                    0
                },
                nonce: Nonce(if full {
                    unhex("nonce")?
                        .try_into()
                        .map_err(|_| "nonce is not 16 bytes")?
                } else {
                    [0; 16]
                }),
                message: if full {
                    unhex("signed-message")?
                } else {
                    vec![]
                },
                signature: if full {
                    unhex("signature")?
                        .try_into()
                        .map_err(|_| "signature is not 64 bytes")?
                } else {
                    [0; 64]
                },
            })
        } else {
            None
        };
        Ok(Vector {
            about,
            direction,
            expect: get("expect")?,
            detail: meta.get("detail").cloned(),
            signing,
            bytes: hex::decode(hex_text).map_err(|e| format!("frame hex: {e}"))?,
        })
    }

    /// Decode the bytes and compare the outcome with the stated expectation.
    fn check(&self) -> Result<(), String> {
        let (outcome, name) = self
            .expect
            .split_once(' ')
            .ok_or("expect line is not `ok|err NAME`")?;
        match (self.direction, outcome) {
            (Direction::Request, "ok") => {
                let req = Request::decode(&self.bytes).map_err(|e| format!("decode: {e:?}"))?;
                expect_eq("variant", &variant(&req), name)?;
                expect_eq(
                    "re-encoding",
                    &hex::encode(req.encode()),
                    &hex::encode(&self.bytes),
                )?;
                match (&self.signing, is_signed(&req)) {
                    (Some(s), true) => check_signing(&req, s)?,
                    (None, false) => {}
                    (Some(_), false) => return Err("signing lines on an unsigned request".into()),
                    (None, true) => return Err("signed request without signing lines".into()),
                }
            }
            (Direction::Response, "ok") => {
                let resp = Response::decode(&self.bytes).map_err(|e| format!("decode: {e:?}"))?;
                expect_eq("variant", &variant(&resp), name)?;
                expect_eq(
                    "re-encoding",
                    &hex::encode(resp.encode()),
                    &hex::encode(&self.bytes),
                )?;
            }
            (Direction::Request, "err") if name == "BadSignature" => {
                let req = Request::decode(&self.bytes).map_err(|e| format!("decode: {e:?}"))?;
                let key = &self.signing.as_ref().ok_or("no owner-key line")?.key;
                expect_eq(
                    "verification",
                    &format!("{:?}", req.verify_owner(key).err()),
                    &format!("{:?}", Some(ErrorCode::BadSignature)),
                )?;
            }
            (d, "err") => {
                let err = match d {
                    Direction::Request => Request::decode(&self.bytes).map(|r| format!("{r:?}")),
                    Direction::Response => Response::decode(&self.bytes).map(|r| format!("{r:?}")),
                }
                .err()
                .ok_or("decoded, but an error was expected")?;
                expect_eq("error", &variant(&err), name)?;
                let detail = self.detail.as_ref().ok_or("no detail line")?;
                expect_eq("error detail", &format!("{err:?}"), detail)?;
            }
            (_, other) => return Err(format!("unknown outcome {other}")),
        }
        Ok(())
    }
}

const KEYS: [&str; 9] = [
    "direction",
    "expect",
    "detail",
    "owner-seed",
    "owner-key",
    "timestamp",
    "nonce",
    "signed-message",
    "signature",
];

fn expect_eq(what: &str, got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, want {want}"))
    }
}

fn is_signed(req: &Request) -> bool {
    matches!(
        req,
        Request::CreateMailbox(_) | Request::List(_) | Request::Fetch(_) | Request::Ack(_)
    )
}

/// The owner-signing vector: the key derives from the seed, the signed
/// message is exactly `DOMAIN || kind || body-without-signature`, the frame
/// carries the signature, it verifies, and signing again reproduces it.
fn check_signing(req: &Request, s: &Signing) -> Result<(), String> {
    let sk = SigningKey::from_bytes(&s.seed);
    expect_eq(
        "owner-key from seed",
        &hex::encode(sk.verifying_key().to_bytes()),
        &hex::encode(s.key.0),
    )?;
    expect_eq(
        "signed-message",
        &hex::encode(req.signed_message()),
        &hex::encode(&s.message),
    )?;
    if !s.message.starts_with(OWNER_REQUEST_DOMAIN) || s.message.get(22) != Some(&req.kind()) {
        return Err("signed-message does not start with the domain and kind".into());
    }
    let v = req
        .verify_owner(&s.key)
        .map_err(|e| format!("verify: {e}"))?;
    expect_eq(
        "timestamp",
        &v.timestamp.to_string(),
        &s.timestamp.to_string(),
    )?;
    expect_eq("nonce", &hex::encode(v.nonce.0), &hex::encode(s.nonce.0))?;
    let frame = req.encode();
    expect_eq(
        "signature at the end of the frame",
        &hex::encode(&frame[frame.len() - 64..]),
        &hex::encode(s.signature),
    )?;
    let again = req.clone().sign(&sk, s.timestamp, s.nonce).encode();
    expect_eq("re-signed frame", &hex::encode(again), &hex::encode(frame))
}

// ---------------------------------------------------------------- the cases

fn raw(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut f = FrameHeader::encode(kind, body.len()).to_vec();
    f.extend_from_slice(body);
    f
}

fn header_only(version: u8, kind: u8, body_len: usize) -> Vec<u8> {
    let mut h = FrameHeader::encode(kind, body_len);
    h[0] = version;
    h.to_vec()
}

fn body_of(frame: &[u8]) -> Vec<u8> {
    frame[6..].to_vec()
}

fn signing_of(req: &Request, seed: [u8; 32]) -> Signing {
    let frame = req.encode();
    let (timestamp, nonce) = match req {
        Request::CreateMailbox(r) => (r.auth.timestamp, r.auth.nonce),
        Request::List(r) => (r.auth.timestamp, r.auth.nonce),
        Request::Fetch(r) => (r.auth.timestamp, r.auth.nonce),
        Request::Ack(r) => (r.auth.timestamp, r.auth.nonce),
        _ => unreachable!("only signed requests have signing lines"),
    };
    Signing {
        seed,
        key: support::owner_key(),
        timestamp,
        nonce,
        message: req.signed_message(),
        signature: frame[frame.len() - 64..]
            .try_into()
            .expect("a signed frame ends with 64 signature bytes"),
    }
}

/// The owner key only, for a vector that must fail verification against it.
fn verify_against_owner() -> Signing {
    Signing {
        seed: [0; 32],
        key: support::owner_key(),
        timestamp: 0,
        nonce: Nonce([0; 16]),
        message: vec![],
        signature: [0; 64],
    }
}

struct Case {
    name: String,
    vector: Vector,
}

fn ok_request(name: &str, about: &str, req: Request) -> Case {
    let signing = is_signed(&req).then(|| signing_of(&req, support::OWNER_SEED));
    let mut about = vec![about.to_string()];
    if signing.is_some() {
        about.push(
            "Owner-signed: signature = Ed25519(owner-seed, signed-message), \
             signed-message = \"sanad/1 owner-request\\n\" || kind || body without signature."
                .into(),
        );
    }
    Case {
        name: format!("ok_{name}"),
        vector: Vector {
            about,
            direction: Direction::Request,
            expect: format!("ok {}", variant(&req)),
            detail: None,
            signing,
            bytes: req.encode(),
        },
    }
}

fn ok_response(name: &str, about: &str, resp: Response) -> Case {
    Case {
        name: format!("ok_{name}"),
        vector: Vector {
            about: vec![about.to_string()],
            direction: Direction::Response,
            expect: format!("ok {}", variant(&resp)),
            detail: None,
            signing: None,
            bytes: resp.encode(),
        },
    }
}

/// A frame that must fail to decode with `want`. The detail line is taken
/// from the decoder, after checking that the variant is the intended one.
fn fail(name: &str, about: &str, direction: Direction, bytes: Vec<u8>, want: &str) -> Case {
    let err = match direction {
        Direction::Request => Request::decode(&bytes).err(),
        Direction::Response => Response::decode(&bytes).err(),
    }
    .unwrap_or_else(|| panic!("fail_{name} decodes"));
    assert_eq!(variant(&err), want, "fail_{name}: {err:?}");
    Case {
        name: format!("fail_{name}"),
        vector: Vector {
            about: vec![about.to_string()],
            direction,
            expect: format!("err {want}"),
            detail: Some(format!("{err:?}")),
            signing: None,
            bytes,
        },
    }
}

/// A request that decodes but whose owner signature must not verify.
fn fail_signature(name: &str, about: &str, bytes: Vec<u8>) -> Case {
    let req = Request::decode(&bytes).expect("a bad-signature vector decodes");
    assert_eq!(
        req.verify_owner(&support::owner_key()).err(),
        Some(ErrorCode::BadSignature),
        "fail_{name}"
    );
    Case {
        name: format!("fail_{name}"),
        vector: Vector {
            about: vec![
                about.to_string(),
                "Decodes; verification against owner-key fails (wire error bad_signature, 10)."
                    .into(),
            ],
            direction: Direction::Request,
            expect: "err BadSignature".into(),
            detail: None,
            signing: Some(verify_against_owner()),
            bytes,
        },
    }
}

fn cases() -> Vec<Case> {
    use support as s;
    use Direction::{Request as Req, Response as Resp};
    let mut c = vec![
        ok_request("ping", "Ping: empty body.", s::ping()),
        ok_request(
            "create_mailbox",
            "CreateMailbox: owner key, then auth; signed by that same key (proof of possession).",
            s::create_mailbox(),
        ),
        ok_request(
            "deposit",
            "Deposit of the 5-byte body \"hello\" with send ID 'S'x16 and deposit key 'K'x16.",
            s::deposit(),
        ),
        ok_request(
            "list",
            "List after sequence 7, at most 100 entries, receive ID 'R'x16.",
            s::list(),
        ),
        ok_request(
            "fetch",
            "Fetch after sequence 7, at most 10 messages, receive ID 'R'x16.",
            s::fetch(),
        ),
        ok_request(
            "ack",
            "Ack of sequences 8, 9 and 12, receive ID 'R'x16.",
            s::ack(),
        ),
        ok_request(
            "blob_create",
            "BlobCreate of 2 MiB + 5 bytes (three segments, the last 5 bytes long).",
            s::blob_create(),
        ),
        ok_request(
            "blob_put",
            "BlobPut of the last segment (index 2, \"tail!\") with its SHA-256.",
            s::blob_put(),
        ),
        ok_request("blob_status", "BlobStatus of blob 'B'x32.", s::blob_status()),
        ok_request("blob_get", "BlobGet of segment 2 of blob 'B'x32.", s::blob_get()),
        ok_request(
            "log_append",
            "LogAppend of the commitment '5'x32.",
            s::log_append(),
        ),
        ok_request(
            "log_checkpoint",
            "LogCheckpoint: empty body.",
            s::log_checkpoint_request(),
        ),
        ok_request(
            "log_consistency",
            "LogConsistency from 3 to 8 leaves.",
            s::log_consistency(),
        ),
        ok_request(
            "log_inclusion",
            "LogInclusion of leaf 5 in the tree of 8 leaves.",
            s::log_inclusion(),
        ),
        ok_response("pong", "Pong: relay time 1700000123.", s::pong()),
        ok_response(
            "mailbox_created",
            "MailboxCreated: receive ID 'R'x16, send ID 'S'x16.",
            s::mailbox_created(),
        ),
        ok_response("deposited", "Deposited as sequence 8.", s::deposited()),
        ok_response(
            "message_list",
            "MessageList: sequences 8 (5 bytes) and 9 (300 bytes), stored in hour 472222; more follow.",
            s::message_list(),
        ),
        ok_response(
            "messages",
            "Messages: sequence 8, \"hello\"; nothing more.",
            s::messages(),
        ),
        ok_response("acked", "Acked: 2 messages removed.", s::acked()),
        ok_response(
            "blob_created",
            "BlobCreated: blob ID 'B'x32, upload token 'T'x32.",
            s::blob_created(),
        ),
        ok_response(
            "segment_stored",
            "SegmentStored: index 2; the blob is not sealed yet.",
            s::segment_stored(),
        ),
        ok_response(
            "blob_state",
            "BlobStatus response: 2 MiB + 5 bytes, segment 1 missing, not sealed.",
            s::blob_state(),
        ),
        ok_response(
            "segment",
            "Segment 2: \"tail!\" with its SHA-256.",
            s::segment(),
        ),
        ok_response(
            "log_appended",
            "LogAppended: the receipt (c2sp.org/tlog-proof@v1 text) of leaf 5, '5'x32, in the \
             example log of 8 commitments '0'x32..'7'x32, against its checkpoint at 8 leaves \
             signed by the log key with seed 0x40..0x5f.",
            s::log_appended(),
        ),
        ok_response(
            "checkpoint",
            "Checkpoint: the example log's signed checkpoint at 8 leaves.",
            s::checkpoint(),
        ),
        ok_response(
            "consistency_proof",
            "ConsistencyProof from 3 to 8 leaves of the example log (4 hashes).",
            s::consistency_proof_response(),
        ),
        ok_response(
            "inclusion_proof",
            "InclusionProof of leaf 5 ('5'x32) in the example log of 8 leaves (3 hashes).",
            s::inclusion_proof_response(),
        ),
        ok_response(
            "error",
            "Error stale_timestamp (12); the value is the relay's clock, 1700000700.",
            s::error(),
        ),
    ];

    // Framing.
    let deposit = s::deposit().encode();
    let blob_get = s::blob_get().encode();
    c.extend([
        fail(
            "truncated_header",
            "Only 3 of the 6 header bytes.",
            Req,
            deposit[..3].to_vec(),
            "Truncated",
        ),
        fail(
            "truncated",
            "ok_deposit without its last byte: the header promises one more.",
            Req,
            deposit[..deposit.len() - 1].to_vec(),
            "Truncated",
        ),
        fail(
            "truncated_field",
            "BlobGet whose header and body agree on 34 bytes, cutting the u32 index in half.",
            Req,
            s::reframe(&blob_get, 34, &[]),
            "Truncated",
        ),
        fail(
            "trailing_byte",
            "ok_ping followed by one more byte than the header declares.",
            Req,
            [s::ping().encode(), vec![0]].concat(),
            "TrailingBytes",
        ),
        fail(
            "trailing_byte_in_body",
            "BlobStatus whose header counts a 33rd body byte after the 32-byte blob ID.",
            Req,
            s::reframe(&s::blob_status().encode(), 32, &[0]),
            "TrailingBytes",
        ),
        fail(
            "unknown_version",
            "Ping with protocol version 2.",
            Req,
            header_only(2, kind::PING, 0),
            "UnsupportedVersion",
        ),
        fail(
            "version_zero",
            "Ping with protocol version 0.",
            Req,
            header_only(0, kind::PING, 0),
            "UnsupportedVersion",
        ),
        fail(
            "unknown_kind",
            "Request kind 0x7f, which does not exist.",
            Req,
            header_only(PROTOCOL_VERSION, 0x7f, 0),
            "UnknownKind",
        ),
        fail(
            "oversized_length",
            "Deposit header declaring MAX_SMALL_REQUEST_BODY + 1 bytes; refused before any body is read.",
            Req,
            header_only(PROTOCOL_VERSION, kind::DEPOSIT, MAX_SMALL_REQUEST_BODY + 1),
            "TooLong",
        ),
        fail(
            "oversized_length_blob_put",
            "BlobPut header declaring MAX_FRAME_BODY + 1 bytes.",
            Req,
            header_only(PROTOCOL_VERSION, kind::BLOB_PUT, MAX_FRAME_BODY + 1),
            "TooLong",
        ),
        fail(
            "response_kind_in_request",
            "A Pong frame read where a request is expected.",
            Req,
            s::pong().encode(),
            "WrongDirection",
        ),
        fail(
            "ping_with_body",
            "Ping whose header declares a 1-byte body.",
            Req,
            raw(kind::PING, &[0]),
            "TrailingBytes",
        ),
    ]);

    // Request fields.
    let blob_put_body = body_of(&s::blob_put().encode());
    let mut ack_too_many = s::receive_id().0.to_vec();
    ack_too_many.extend_from_slice(&(MAX_ACK_SEQS as u16 + 1).to_be_bytes());
    let mut ack_short = s::receive_id().0.to_vec();
    ack_short.extend_from_slice(&16u16.to_be_bytes());
    ack_short.extend_from_slice(&8u64.to_be_bytes());
    ack_short.extend_from_slice(&[0; 88]);
    let list_over = Request::List(List {
        limit: MAX_LIST_ITEMS as u16 + 1,
        ..match s::list() {
            Request::List(l) => l,
            _ => unreachable!("support::list is a List"),
        }
    });
    c.extend([
        fail(
            "zero_blob_size",
            "BlobCreate of 0 bytes.",
            Req,
            Request::BlobCreate(BlobCreate { size: 0 }).encode(),
            "InvalidValue",
        ),
        fail(
            "blob_size_over_max",
            "BlobCreate of MAX_BLOB_LEN + 1 bytes.",
            Req,
            Request::BlobCreate(BlobCreate {
                size: MAX_BLOB_LEN + 1,
            })
            .encode(),
            "InvalidValue",
        ),
        fail(
            "index_out_of_range",
            "BlobGet of segment MAX_SEGMENTS (4096), past the largest blob.",
            Req,
            Request::BlobGet(BlobGet {
                blob_id: s::blob_id(),
                index: MAX_SEGMENTS,
            })
            .encode(),
            "InvalidValue",
        ),
        fail(
            "blob_put_index_out_of_range",
            "BlobPut of segment MAX_SEGMENTS (4096).",
            Req,
            Request::BlobPut(BlobPut {
                blob_id: s::blob_id(),
                token: s::upload_token(),
                index: MAX_SEGMENTS,
                hash: SegmentHash::of(s::TAIL),
                data: s::TAIL.to_vec(),
            })
            .encode(),
            "InvalidValue",
        ),
        fail(
            "empty_segment",
            "BlobPut with zero data bytes (every segment holds at least one).",
            Req,
            Request::BlobPut(BlobPut {
                blob_id: s::blob_id(),
                token: s::upload_token(),
                index: 0,
                hash: SegmentHash::of(&[]),
                data: vec![],
            })
            .encode(),
            "InvalidValue",
        ),
        fail(
            "segment_too_long",
            "BlobPut whose data length prefix is SEGMENT_SIZE + 1; refused before the data.",
            Req,
            raw(
                kind::BLOB_PUT,
                &[
                    &blob_put_body[..100],
                    &(SEGMENT_SIZE as u32 + 1).to_be_bytes()[..],
                ]
                .concat(),
            ),
            "TooLong",
        ),
        fail(
            "message_too_long",
            "Deposit whose body length prefix is MAX_MESSAGE_LEN + 1; refused before the body.",
            Req,
            raw(
                kind::DEPOSIT,
                &[
                    &body_of(&deposit)[..32],
                    &(MAX_MESSAGE_LEN as u32 + 1).to_be_bytes()[..],
                ]
                .concat(),
            ),
            "TooLong",
        ),
        fail(
            "too_many_ack_seqs",
            "Ack whose count is MAX_ACK_SEQS + 1 (1025).",
            Req,
            raw(kind::ACK, &ack_too_many),
            "TooLong",
        ),
        fail(
            "ack_count_beyond_body",
            "Ack whose count (16) needs more bytes than the body holds.",
            Req,
            raw(kind::ACK, &ack_short),
            "Truncated",
        ),
        fail(
            "list_limit_over_max",
            "List with limit MAX_LIST_ITEMS + 1 (1025).",
            Req,
            list_over.encode(),
            "TooLong",
        ),
        fail(
            "log_consistency_from_zero",
            "LogConsistency from 0 leaves (nothing to prove).",
            Req,
            raw(
                kind::LOG_CONSISTENCY,
                &[[0u8; 8], 8u64.to_be_bytes()].concat(),
            ),
            "InvalidValue",
        ),
        fail(
            "log_consistency_sizes_reversed",
            "LogConsistency from 8 to 3 leaves.",
            Req,
            raw(
                kind::LOG_CONSISTENCY,
                &[8u64.to_be_bytes(), 3u64.to_be_bytes()].concat(),
            ),
            "InvalidValue",
        ),
        fail(
            "log_inclusion_index_outside_tree",
            "LogInclusion of leaf 8 in a tree of 8 leaves.",
            Req,
            raw(
                kind::LOG_INCLUSION,
                &[8u64.to_be_bytes(), 8u64.to_be_bytes()].concat(),
            ),
            "InvalidValue",
        ),
        fail(
            "log_append_short_commitment",
            "LogAppend with a 31-byte commitment.",
            Req,
            raw(kind::LOG_APPEND, &[b'5'; 31]),
            "Truncated",
        ),
        fail(
            "message_length_field_truncated",
            "Deposit cut inside its u32 body length.",
            Req,
            s::reframe(&deposit, 34, &[]),
            "Truncated",
        ),
    ]);

    // Owner signatures.
    let mut bad_sig = s::list().encode();
    let at = bad_sig.len() - 64;
    bad_sig[at] ^= 0x01;
    let mut kind_changed = s::list().encode();
    kind_changed[1] = kind::FETCH;
    let by_other = Request::Fetch(match s::fetch() {
        Request::Fetch(f) => f,
        _ => unreachable!("support::fetch is a Fetch"),
    })
    .sign(&s::other_signing_key(), s::TIMESTAMP, s::NONCE);
    let create_by_other = s::create_mailbox().sign(&s::other_signing_key(), s::TIMESTAMP, s::NONCE);
    let ack_more = Request::Ack(Ack {
        seqs: vec![8, 9, 12, 13],
        ..match s::ack() {
            Request::Ack(a) => a,
            _ => unreachable!("support::ack is an Ack"),
        }
    })
    .encode();
    let ack_sig = s::ack().encode();
    let mut ack_spliced = ack_more[..ack_more.len() - 64].to_vec();
    ack_spliced.extend_from_slice(&ack_sig[ack_sig.len() - 64..]);
    c.extend([
        fail_signature(
            "bad_signature",
            "ok_list with the first signature byte flipped (bit 0).",
            bad_sig,
        ),
        fail_signature(
            "signed_kind_changed",
            "ok_list with its kind byte changed to Fetch: same layout, but the kind is signed.",
            kind_changed,
        ),
        fail_signature(
            "signature_by_other_key",
            "ok_fetch signed by the key with seed 0x42 x 32 instead of the owner key.",
            by_other.encode(),
        ),
        fail_signature(
            "create_mailbox_signed_by_other_key",
            "CreateMailbox naming the owner key but signed by another key (no proof of possession).",
            create_by_other.encode(),
        ),
        fail_signature(
            "ack_with_added_seq",
            "ok_ack's signature on an Ack that also lists sequence 13.",
            ack_spliced,
        ),
    ]);

    // Responses.
    let msg = |seq| MessageHeader {
        seq,
        stored_hour: s::STORED_HOUR,
        len: 5,
    };
    let stored = |seq| StoredMessage {
        seq,
        stored_hour: s::STORED_HOUR,
        body: b"hello".to_vec(),
    };
    let state = |size, missing: Vec<u32>, sealed| Response::BlobStatus {
        size,
        missing,
        sealed,
    };
    let mut bad_bool = s::segment_stored().encode();
    *bad_bool.last_mut().expect("non-empty") = 2;
    let mut bad_more = s::message_list().encode();
    *bad_more.last_mut().expect("non-empty") = 2;
    let messages = s::messages().encode();
    c.extend([
        fail(
            "request_kind_in_response",
            "A Ping frame read where a response is expected.",
            Resp,
            s::ping().encode(),
            "WrongDirection",
        ),
        fail(
            "unknown_kind_response",
            "Response kind 0xfe, which does not exist.",
            Resp,
            header_only(PROTOCOL_VERSION, 0xfe, 0),
            "UnknownKind",
        ),
        fail(
            "oversized_length_response",
            "Segment header declaring MAX_FRAME_BODY + 1 bytes.",
            Resp,
            header_only(PROTOCOL_VERSION, kind::SEGMENT, MAX_FRAME_BODY + 1),
            "TooLong",
        ),
        fail(
            "truncated_response",
            "ok_messages without its last byte.",
            Resp,
            messages[..messages.len() - 1].to_vec(),
            "Truncated",
        ),
        fail(
            "trailing_byte_response",
            "ok_pong followed by one more byte.",
            Resp,
            [s::pong().encode(), vec![0]].concat(),
            "TrailingBytes",
        ),
        fail(
            "bad_bool",
            "SegmentStored whose `sealed` byte is 2 (only 0 and 1 are booleans).",
            Resp,
            bad_bool,
            "InvalidValue",
        ),
        fail(
            "bad_bool_more",
            "MessageList whose `more` byte is 2.",
            Resp,
            bad_more,
            "InvalidValue",
        ),
        fail(
            "unknown_error_code",
            "Error with code 99, which does not exist.",
            Resp,
            raw(kind::ERROR, &[0, 99, 0, 0, 0, 0, 0, 0, 0, 0]),
            "InvalidValue",
        ),
        fail(
            "error_code_zero",
            "Error with code 0, which does not exist.",
            Resp,
            raw(kind::ERROR, &[0; 10]),
            "InvalidValue",
        ),
        fail(
            "blob_state_zero_size",
            "BlobStatus response for a 0-byte blob.",
            Resp,
            state(0, vec![], true).encode(),
            "InvalidValue",
        ),
        fail(
            "blob_state_index_out_of_range",
            "BlobStatus response for a 3-segment blob listing segment 3 as missing.",
            Resp,
            state(s::BLOB_SIZE, vec![3], false).encode(),
            "InvalidValue",
        ),
        fail(
            "blob_state_unsorted",
            "BlobStatus response listing missing segments 2, 1 (must ascend).",
            Resp,
            state(s::BLOB_SIZE, vec![2, 1], false).encode(),
            "InvalidValue",
        ),
        fail(
            "blob_state_duplicate",
            "BlobStatus response listing missing segment 1 twice.",
            Resp,
            state(s::BLOB_SIZE, vec![1, 1], false).encode(),
            "InvalidValue",
        ),
        fail(
            "blob_state_sealed_with_missing",
            "BlobStatus response saying sealed while segment 1 is missing.",
            Resp,
            state(s::BLOB_SIZE, vec![1], true).encode(),
            "InvalidValue",
        ),
        fail(
            "blob_state_unsealed_without_missing",
            "BlobStatus response saying not sealed while nothing is missing.",
            Resp,
            state(s::BLOB_SIZE, vec![], false).encode(),
            "InvalidValue",
        ),
        fail(
            "message_list_out_of_order",
            "MessageList with sequences 9 then 8 (must strictly ascend).",
            Resp,
            Response::MessageList {
                items: vec![msg(9), msg(8)],
                more: false,
            }
            .encode(),
            "InvalidValue",
        ),
        fail(
            "message_list_length_over_max",
            "MessageList entry claiming a body of MAX_MESSAGE_LEN + 1 bytes.",
            Resp,
            Response::MessageList {
                items: vec![MessageHeader {
                    len: MAX_MESSAGE_LEN as u32 + 1,
                    ..msg(8)
                }],
                more: false,
            }
            .encode(),
            "TooLong",
        ),
        fail(
            "messages_duplicate_seq",
            "Messages with sequence 8 twice.",
            Resp,
            Response::Messages {
                items: vec![stored(8), stored(8)],
                more: false,
            }
            .encode(),
            "InvalidValue",
        ),
        fail(
            "segment_empty",
            "Segment response with zero data bytes.",
            Resp,
            Response::Segment {
                index: 0,
                hash: SegmentHash::of(&[]),
                data: vec![],
            }
            .encode(),
            "InvalidValue",
        ),
        fail(
            "segment_index_out_of_range",
            "Segment response for index MAX_SEGMENTS (4096).",
            Resp,
            Response::Segment {
                index: MAX_SEGMENTS,
                hash: SegmentHash::of(s::TAIL),
                data: s::TAIL.to_vec(),
            }
            .encode(),
            "InvalidValue",
        ),
        fail(
            "inclusion_proof_missing_hash",
            "InclusionProof of leaf 5 in 8 leaves with 2 hashes (3 are needed).",
            Resp,
            match s::inclusion_proof_response() {
                Response::InclusionProof {
                    leaf_index,
                    tree_size,
                    leaf,
                    mut hashes,
                } => {
                    hashes.pop();
                    Response::InclusionProof {
                        leaf_index,
                        tree_size,
                        leaf,
                        hashes,
                    }
                    .encode()
                }
                _ => unreachable!("an inclusion proof"),
            },
            "InvalidValue",
        ),
        fail(
            "consistency_proof_extra_hash",
            "ConsistencyProof from 3 to 8 leaves with 5 hashes (4 are needed).",
            Resp,
            match s::consistency_proof_response() {
                Response::ConsistencyProof {
                    from_size,
                    to_size,
                    mut hashes,
                } => {
                    hashes.push([0; 32]);
                    Response::ConsistencyProof {
                        from_size,
                        to_size,
                        hashes,
                    }
                    .encode()
                }
                _ => unreachable!("a consistency proof"),
            },
            "InvalidValue",
        ),
        fail(
            "checkpoint_not_a_note",
            "Checkpoint whose text has no signature lines.",
            Resp,
            raw(
                kind::CHECKPOINT,
                &[
                    &(s::log_checkpoint(8).unverified().to_text().len() as u32).to_be_bytes()[..],
                    s::log_checkpoint(8).unverified().to_text().as_bytes(),
                ]
                .concat(),
            ),
            "InvalidValue",
        ),
        fail(
            "log_appended_receipt_without_commitment",
            "LogAppended whose receipt has no `extra` line (Sanad receipts carry the commitment).",
            Resp,
            {
                let text = s::log_receipt(5, 8).to_text();
                let cut: String = text
                    .split_inclusive('\n')
                    .filter(|l| !l.starts_with("extra "))
                    .collect();
                raw(
                    kind::LOG_APPENDED,
                    &[&(cut.len() as u32).to_be_bytes()[..], cut.as_bytes()].concat(),
                )
            },
            "InvalidValue",
        ),
        fail(
            "segment_stored_index_out_of_range",
            "SegmentStored for index MAX_SEGMENTS (4096).",
            Resp,
            Response::SegmentStored {
                index: MAX_SEGMENTS,
                sealed: false,
            }
            .encode(),
            "InvalidValue",
        ),
    ]);
    c
}

// ------------------------------------------------------------------- tests

/// With `SANAD_REGENERATE_VECTORS=1`, write every case to its file, once per
/// test run and before any test reads the directory.
fn regenerate_if_asked() {
    static DONE: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    DONE.get_or_init(|| {
        if std::env::var(REGENERATE).as_deref() == Ok("1") {
            for c in cases() {
                fs::write(
                    vectors_dir().join(format!("{}.hex", c.name)),
                    c.vector.render(),
                )
                .expect("write vector");
            }
        }
    });
}

#[test]
fn every_vector_file_decodes_exactly_to_its_stated_outcome() {
    regenerate_if_asked();
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in fs::read_dir(vectors_dir()).expect("protocol/tests/vectors exists") {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("hex") {
            continue;
        }
        n += 1;
        let text = fs::read_to_string(&path).expect("vector file is UTF-8");
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let result = Vector::parse(&text).and_then(|v| {
            let ok = v.expect.starts_with("ok ");
            if ok != name.starts_with("ok_") || ok == name.starts_with("fail_") {
                return Err("file name and outcome disagree (ok_* / fail_*)".into());
            }
            v.check()
        });
        if let Err(e) = result {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(n >= 60, "only {n} vector files");
}

#[test]
fn vector_files_are_exactly_what_the_cases_produce() {
    regenerate_if_asked();
    let dir = vectors_dir();
    let cases = cases();
    let mut problems = Vec::new();
    for c in &cases {
        // Every generated case also passes the file checker.
        if let Err(e) = c.vector.check() {
            problems.push(format!(
                "{}: generated case fails its own check: {e}",
                c.name
            ));
        }
        let path = dir.join(format!("{}.hex", c.name));
        match fs::read_to_string(&path) {
            Ok(text) if text == c.vector.render() => {}
            Ok(_) => problems.push(format!(
                "{} differs from what the code produces now",
                path.display()
            )),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    let names: Vec<String> = cases.iter().map(|c| format!("{}.hex", c.name)).collect();
    for entry in fs::read_dir(&dir).expect("vectors dir") {
        let f = entry
            .expect("directory entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if f.ends_with(".hex") && !names.contains(&f) {
            problems.push(format!("{f} has no case in tests/vectors.rs"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(run with {REGENERATE}=1 after a deliberate change)",
        problems.join("\n")
    );
}

#[test]
fn every_frame_kind_has_an_ok_vector() {
    let cases = cases();
    let requests = support::requests().into_iter().map(|(n, _)| n);
    let responses = support::responses().into_iter().map(|(n, _)| n);
    for name in requests.chain(responses) {
        assert!(
            cases.iter().any(|c| c.name == format!("ok_{name}")),
            "no ok_{name} vector"
        );
    }
}

// ------------------------------------------------------------ the envelope

/// Hands out fixed bytes, so that `seal` picks a known ephemeral key.
struct FixedRng([u8; 32]);

impl rand_core::RngCore for FixedRng {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }
    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for (d, s) in dest.iter_mut().zip(self.0.iter().cycle()) {
            *d = *s;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for FixedRng {}

const ENVELOPE_FILE: &str = "envelope_hello.txt";
const RECIPIENT_SECRET: [u8; 32] = [0x11; 32];
const EPHEMERAL_SECRET: [u8; 32] = [0x22; 32];
const ENVELOPE_PLAINTEXT: &[u8] = b"hello from Sanad";

fn envelope_vector() -> String {
    use sanad_protocol::envelope::{padme, seal};
    use x25519_dalek::{PublicKey, StaticSecret};
    let recipient = PublicKey::from(&StaticSecret::from(RECIPIENT_SECRET));
    let ephemeral = PublicKey::from(&StaticSecret::from(EPHEMERAL_SECRET));
    let sealed = seal(
        &recipient,
        ENVELOPE_PLAINTEXT,
        &mut FixedRng(EPHEMERAL_SECRET),
    )
    .expect("seal");
    assert_eq!(
        &sealed[1..33],
        ephemeral.as_bytes(),
        "the RNG chose the key"
    );
    let mut out = String::new();
    out.push_str("# Sealed envelope (docs/protocol.md, \"Sealed envelope\").\n");
    out.push_str("# Secrets are X25519 scalars as 32 bytes, clamped when used (RFC 7748).\n");
    let lines = [
        ("recipient-secret", hex::encode(RECIPIENT_SECRET)),
        ("recipient-public", hex::encode(recipient.as_bytes())),
        ("ephemeral-secret", hex::encode(EPHEMERAL_SECRET)),
        ("ephemeral-public", hex::encode(ephemeral.as_bytes())),
        ("plaintext", hex::encode(ENVELOPE_PLAINTEXT)),
        (
            "padded-length",
            padme(4 + ENVELOPE_PLAINTEXT.len()).to_string(),
        ),
    ];
    for (k, v) in lines {
        out.push_str(&format!("# {k}: {v}\n"));
    }
    for chunk in hex::encode(&sealed).as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("hex is ASCII"));
        out.push('\n');
    }
    out
}

#[test]
fn envelope_vector_opens_to_its_plaintext_and_is_reproduced_exactly() {
    use sanad_protocol::envelope::open;
    use x25519_dalek::StaticSecret;
    let path = vectors_dir().join(ENVELOPE_FILE);
    let want = envelope_vector();
    if std::env::var(REGENERATE).as_deref() == Ok("1") {
        fs::write(&path, &want).expect("write envelope vector");
    }
    let text = fs::read_to_string(&path).expect("envelope vector file");
    assert_eq!(
        text,
        want,
        "{} differs from what seal produces now",
        path.display()
    );
    let hex_text: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.chars())
        .collect();
    let sealed = hex::decode(hex_text).expect("envelope hex");
    let opened = open(&StaticSecret::from(RECIPIENT_SECRET), &sealed).expect("open");
    assert_eq!(opened.as_slice(), ENVELOPE_PLAINTEXT);
    assert!(open(&StaticSecret::from(EPHEMERAL_SECRET), &sealed).is_err());
}
