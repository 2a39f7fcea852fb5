//! Codec properties: every request and response round-trips, every damaged
//! frame is an error and never a panic, owner signatures bind every byte; and
//! a byte-exact snapshot of one instance of every frame type.

mod support;

use ed25519_dalek::SigningKey;
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::FileFailurePersistence;
use sanad_protocol::frame::{kind, Direction, FrameHeader};
use sanad_protocol::limits::{
    FRAME_HEADER_LEN, MAX_ACK_SEQS, MAX_BLOB_LEN, MAX_FRAME_BODY, MAX_LIST_ITEMS, MAX_MESSAGE_LEN,
    MAX_SEGMENTS, SEGMENT_SIZE,
};
use sanad_protocol::log::proof::{consistency_proof_len, inclusion_proof_len};
use sanad_protocol::request::{
    Ack, Auth, BlobCreate, BlobGet, BlobPut, BlobStatus, CreateMailbox, Deposit, Fetch, List,
};
use sanad_protocol::request::{LogAppend, LogConsistency, LogInclusion};
use sanad_protocol::response::{MessageHeader, StoredMessage};
use sanad_protocol::{
    segment_count, BlobId, Commitment, DecodeError, DepositKey, ErrorCode, Nonce, OwnerKey,
    ReceiveId, RelayAddress, Request, Response, SegmentHash, SendId, SpkiPin, UploadToken,
};

/// Failures are saved to `protocol/proptest-regressions/codec_props.txt` and
/// replayed first on every run (tests run with the package as working
/// directory). The default `SourceParallel` cannot be used: it looks for a
/// `lib.rs` beside the test file.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/codec_props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- strategies

/// A byte string of a few KiB at most, or (rarely) exactly `max` bytes.
fn body(min: usize, max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        40 => vec(any::<u8>(), min..=4096.min(max)),
        1 => Just(vec![0xa5; max]),
    ]
}

fn auth() -> impl Strategy<Value = Auth> {
    (any::<u64>(), any::<[u8; 16]>(), any::<[u8; 64]>()).prop_map(|(timestamp, n, signature)| {
        Auth {
            timestamp,
            nonce: Nonce(n),
            signature,
        }
    })
}

fn limit() -> impl Strategy<Value = u16> {
    0..=MAX_LIST_ITEMS as u16
}

fn segment_index() -> impl Strategy<Value = u32> {
    prop_oneof![0..MAX_SEGMENTS, Just(MAX_SEGMENTS - 1)]
}

fn ack_seqs() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![
        20 => vec(any::<u64>(), 0..=64),
        1 => vec(any::<u64>(), MAX_ACK_SEQS),
    ]
}

fn create_mailbox() -> impl Strategy<Value = Request> {
    (any::<[u8; 32]>(), auth()).prop_map(|(k, auth)| {
        Request::CreateMailbox(CreateMailbox {
            owner_key: OwnerKey(k),
            auth,
        })
    })
}

fn list() -> impl Strategy<Value = Request> {
    (any::<[u8; 16]>(), any::<u64>(), limit(), auth()).prop_map(|(id, after_seq, limit, auth)| {
        Request::List(List {
            receive_id: ReceiveId(id),
            after_seq,
            limit,
            auth,
        })
    })
}

fn fetch() -> impl Strategy<Value = Request> {
    (any::<[u8; 16]>(), any::<u64>(), limit(), auth()).prop_map(|(id, after_seq, limit, auth)| {
        Request::Fetch(Fetch {
            receive_id: ReceiveId(id),
            after_seq,
            limit,
            auth,
        })
    })
}

fn ack() -> impl Strategy<Value = Request> {
    (any::<[u8; 16]>(), ack_seqs(), auth()).prop_map(|(id, seqs, auth)| {
        Request::Ack(Ack {
            receive_id: ReceiveId(id),
            seqs,
            auth,
        })
    })
}

/// A tree size and a leaf in it, often small, sometimes at the top of the range.
fn leaf_in_tree() -> impl Strategy<Value = (u64, u64)> {
    prop_oneof![
        (1..=64u64).prop_flat_map(|n| (0..n, Just(n))),
        (1..=u64::MAX).prop_flat_map(|n| (0..n, Just(n))),
        Just((u64::MAX - 1, u64::MAX)),
    ]
}

/// Two tree sizes, 1 ≤ from ≤ to.
fn log_sizes() -> impl Strategy<Value = (u64, u64)> {
    prop_oneof![
        (1..=64u64).prop_flat_map(|n| (1..=n, Just(n))),
        (1..=u64::MAX).prop_flat_map(|n| (1..=n, Just(n))),
        Just((u64::MAX, u64::MAX)),
    ]
}

fn log_requests() -> impl Strategy<Value = Request> {
    prop_oneof![
        any::<[u8; 32]>().prop_map(|c| Request::LogAppend(LogAppend {
            commitment: Commitment(c)
        })),
        Just(Request::LogCheckpoint),
        log_sizes().prop_map(
            |(from_size, to_size)| Request::LogConsistency(LogConsistency { from_size, to_size })
        ),
        leaf_in_tree().prop_map(
            |(leaf_index, tree_size)| Request::LogInclusion(LogInclusion {
                leaf_index,
                tree_size
            })
        ),
    ]
}

/// Every request kind; the four owner-signed ones carry arbitrary auth bytes.
fn any_request() -> impl Strategy<Value = Request> {
    prop_oneof![
        log_requests(),
        Just(Request::Ping),
        create_mailbox(),
        (
            any::<[u8; 16]>(),
            any::<[u8; 16]>(),
            body(0, MAX_MESSAGE_LEN)
        )
            .prop_map(|(s, k, body)| Request::Deposit(Deposit {
                send_id: SendId(s),
                key: DepositKey(k),
                body,
            })),
        list(),
        fetch(),
        ack(),
        prop_oneof![1..=MAX_BLOB_LEN, Just(1), Just(MAX_BLOB_LEN)]
            .prop_map(|size| Request::BlobCreate(BlobCreate { size })),
        (
            any::<[u8; 32]>(),
            any::<[u8; 32]>(),
            segment_index(),
            any::<[u8; 32]>(),
            body(1, SEGMENT_SIZE)
        )
            .prop_map(|(b, t, index, h, data)| Request::BlobPut(BlobPut {
                blob_id: BlobId(b),
                token: UploadToken(t),
                index,
                hash: SegmentHash(h),
                data,
            })),
        any::<[u8; 32]>().prop_map(|b| Request::BlobStatus(BlobStatus { blob_id: BlobId(b) })),
        (any::<[u8; 32]>(), segment_index()).prop_map(|(b, index)| Request::BlobGet(BlobGet {
            blob_id: BlobId(b),
            index
        })),
    ]
}

/// An owner-signed request with zeroed auth, ready for `sign`.
fn signable_request() -> impl Strategy<Value = Request> {
    prop_oneof![create_mailbox(), list(), fetch(), ack()]
}

/// Strictly ascending sequence numbers.
fn seqs(max: usize) -> impl Strategy<Value = Vec<u64>> {
    btree_set(any::<u64>(), 0..=max).prop_map(|s| s.into_iter().collect())
}

fn message_list() -> impl Strategy<Value = Response> {
    prop_oneof![
        20 => seqs(64),
        1 => btree_set(any::<u64>(), MAX_LIST_ITEMS).prop_map(|s| s.into_iter().collect()),
    ]
    .prop_flat_map(|seqs| {
        let n = seqs.len();
        (
            Just(seqs),
            vec((any::<u32>(), 0..=MAX_MESSAGE_LEN as u32), n),
            any::<bool>(),
        )
    })
    .prop_map(|(seqs, fields, more)| Response::MessageList {
        items: seqs
            .into_iter()
            .zip(fields)
            .map(|(seq, (stored_hour, len))| MessageHeader {
                seq,
                stored_hour,
                len,
            })
            .collect(),
        more,
    })
}

fn messages() -> impl Strategy<Value = Response> {
    let small = seqs(8).prop_flat_map(|seqs| {
        let n = seqs.len();
        (
            Just(seqs),
            vec((any::<u32>(), vec(any::<u8>(), 0..=512)), n),
        )
    });
    // The fullest fetch the frame allows: seven maximum-size messages.
    let full = (seqs(7), Just(vec![0x5a; MAX_MESSAGE_LEN])).prop_map(|(seqs, b)| {
        let fields = seqs.iter().map(|_| (0u32, b.clone())).collect::<Vec<_>>();
        (seqs, fields)
    });
    (prop_oneof![30 => small, 1 => full], any::<bool>()).prop_map(|((seqs, fields), more)| {
        Response::Messages {
            items: seqs
                .into_iter()
                .zip(fields)
                .map(|(seq, (stored_hour, body))| StoredMessage {
                    seq,
                    stored_hour,
                    body,
                })
                .collect(),
            more,
        }
    })
}

fn blob_state() -> impl Strategy<Value = Response> {
    prop_oneof![
        10 => 1..=(8 * SEGMENT_SIZE as u64),
        2 => 1..=MAX_BLOB_LEN,
        1 => Just(MAX_BLOB_LEN),
    ]
    .prop_flat_map(|size| {
        let all: Vec<u32> = (0..segment_count(size)).collect();
        let n = all.len();
        (Just(size), subsequence(all, 0..=n))
    })
    .prop_map(|(size, missing)| Response::BlobStatus {
        size,
        sealed: missing.is_empty(),
        missing,
    })
}

/// Log responses: receipts and checkpoints of the example log (signing is
/// deterministic, so these are fixed), proofs of random sizes with random
/// hashes of exactly the length their sizes need.
fn log_responses() -> impl Strategy<Value = Response> {
    prop_oneof![
        (1..=8u64)
            .prop_flat_map(|n| (0..n, Just(n)))
            .prop_map(|(i, n)| Response::LogAppended {
                receipt: support::log_receipt(i, n)
            }),
        (0..=8u64).prop_map(|n| Response::Checkpoint {
            checkpoint: support::log_checkpoint(n)
        }),
        log_sizes()
            .prop_flat_map(|(from, to)| {
                let n = consistency_proof_len(from, to).unwrap_or(0);
                (Just(from), Just(to), vec(any::<[u8; 32]>(), n))
            })
            .prop_map(|(from_size, to_size, hashes)| Response::ConsistencyProof {
                from_size,
                to_size,
                hashes
            }),
        (leaf_in_tree(), any::<[u8; 32]>())
            .prop_flat_map(|((i, n), leaf)| {
                let len = inclusion_proof_len(i, n).unwrap_or(0);
                (Just(i), Just(n), Just(leaf), vec(any::<[u8; 32]>(), len))
            })
            .prop_map(
                |(leaf_index, tree_size, leaf, hashes)| Response::InclusionProof {
                    leaf_index,
                    tree_size,
                    leaf: Commitment(leaf),
                    hashes
                }
            ),
    ]
}

/// Every response kind, within the limits the decoder checks.
fn any_response() -> impl Strategy<Value = Response> {
    prop_oneof![
        log_responses(),
        any::<u64>().prop_map(|relay_time| Response::Pong { relay_time }),
        (any::<[u8; 16]>(), any::<[u8; 16]>()).prop_map(|(r, s)| Response::MailboxCreated {
            receive_id: ReceiveId(r),
            send_id: SendId(s),
        }),
        any::<u64>().prop_map(|seq| Response::Deposited { seq }),
        message_list(),
        messages(),
        any::<u16>().prop_map(|removed| Response::Acked { removed }),
        (any::<[u8; 32]>(), any::<[u8; 32]>()).prop_map(|(b, t)| Response::BlobCreated {
            blob_id: BlobId(b),
            token: UploadToken(t),
        }),
        (segment_index(), any::<bool>())
            .prop_map(|(index, sealed)| Response::SegmentStored { index, sealed }),
        blob_state(),
        (segment_index(), any::<[u8; 32]>(), body(1, SEGMENT_SIZE)).prop_map(|(index, h, data)| {
            Response::Segment {
                index,
                hash: SegmentHash(h),
                data,
            }
        }),
        (
            proptest::sample::select(ErrorCode::ALL.to_vec()),
            any::<u64>()
        )
            .prop_map(|(code, value)| Response::Error { code, value }),
    ]
}

/// Every known kind plus a few unknown ones.
fn any_kind() -> impl Strategy<Value = u8> {
    prop_oneof![
        proptest::sample::select(kind::REQUESTS.to_vec()),
        proptest::sample::select(kind::RESPONSES.to_vec()),
        any::<u8>(),
    ]
}

// ------------------------------------------------------------------ helpers

/// Body lengths at which to cut a frame of this body length: all of them for
/// small frames; for large ones, both ends and every 64 KiB (each cut copies
/// the body, so checking all of a 1 MiB body would be quadratic).
fn cut_points(body_len: usize) -> Vec<usize> {
    if body_len <= 8192 {
        return (0..body_len).collect();
    }
    let mut cuts: Vec<usize> = (0..256).collect();
    cuts.extend((body_len - 256)..body_len);
    cuts.extend((256..body_len - 256).step_by(64 * 1024));
    cuts
}

/// Every strict prefix of the frame, and every shortened body behind a
/// header that matches it, fails to decode.
fn assert_truncations_fail<T: std::fmt::Debug>(
    frame: &[u8],
    decode: impl Fn(&[u8]) -> Result<T, DecodeError>,
) -> Result<(), TestCaseError> {
    for cut in 0..frame.len() {
        let r = decode(&frame[..cut]);
        prop_assert!(r.is_err(), "prefix of {cut} bytes decoded: {r:?}");
    }
    for body_len in cut_points(frame.len() - FRAME_HEADER_LEN) {
        let r = decode(&support::reframe(frame, body_len, &[]));
        prop_assert!(r.is_err(), "body cut at {body_len} decoded: {r:?}");
    }
    Ok(())
}

/// A byte after the frame, or after the body behind a header that counts it,
/// fails to decode.
fn assert_trailing_byte_fails<T: std::fmt::Debug>(
    frame: &[u8],
    extra: u8,
    decode: impl Fn(&[u8]) -> Result<T, DecodeError>,
) -> Result<(), TestCaseError> {
    let mut longer = frame.to_vec();
    longer.push(extra);
    prop_assert_eq!(decode(&longer).err(), Some(DecodeError::TrailingBytes(1)));
    let body_len = frame.len() - FRAME_HEADER_LEN;
    let reframed = support::reframe(frame, body_len, &[extra]);
    let r = decode(&reframed);
    prop_assert!(r.is_err(), "body with a trailing byte decoded: {r:?}");
    Ok(())
}

/// Whatever the decoders accept, they accept in exactly one spelling.
fn assert_canonical_if_accepted(frame: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(req) = Request::decode(frame) {
        prop_assert_eq!(req.encode(), frame);
    }
    if let Ok(resp) = Response::decode(frame) {
        prop_assert_eq!(resp.encode(), frame);
    }
    if frame.len() >= FRAME_HEADER_LEN {
        let mut h = [0u8; FRAME_HEADER_LEN];
        h.copy_from_slice(&frame[..FRAME_HEADER_LEN]);
        for d in [Direction::Request, Direction::Response] {
            if let Ok(header) = FrameHeader::decode(&h, d) {
                prop_assert_eq!(
                    FrameHeader::encode(header.kind, header.body_len as usize),
                    h
                );
            }
        }
    }
    Ok(())
}

fn owner_key_of(key: &SigningKey) -> OwnerKey {
    OwnerKey(key.verifying_key().to_bytes())
}

/// For `CreateMailbox`, register the signer's key, as a real client does.
fn with_owner(req: Request, key: &SigningKey) -> Request {
    match req {
        Request::CreateMailbox(c) => Request::CreateMailbox(CreateMailbox {
            owner_key: owner_key_of(key),
            ..c
        }),
        other => other,
    }
}

// --------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_request_round_trips(req in any_request()) {
        let frame = req.encode();
        prop_assert_eq!(Request::decode(&frame), Ok(req));
    }

    #[test]
    fn every_response_round_trips(resp in any_response()) {
        let frame = resp.encode();
        prop_assert_eq!(Response::decode(&frame), Ok(resp));
    }

    #[test]
    fn every_truncated_request_is_an_error(req in any_request()) {
        assert_truncations_fail(&req.encode(), Request::decode)?;
    }

    #[test]
    fn every_truncated_response_is_an_error(resp in any_response()) {
        assert_truncations_fail(&resp.encode(), Response::decode)?;
    }

    #[test]
    fn a_trailing_byte_after_a_request_is_an_error(req in any_request(), extra in any::<u8>()) {
        assert_trailing_byte_fails(&req.encode(), extra, Request::decode)?;
    }

    #[test]
    fn a_trailing_byte_after_a_response_is_an_error(resp in any_response(), extra in any::<u8>()) {
        assert_trailing_byte_fails(&resp.encode(), extra, Response::decode)?;
    }

    #[test]
    fn requests_are_never_valid_responses_and_the_reverse(
        req in any_request(),
        resp in any_response(),
    ) {
        let r = Response::decode(&req.encode());
        prop_assert_eq!(r, Err(DecodeError::WrongDirection(req.kind())));
        let r = Request::decode(&resp.encode());
        prop_assert_eq!(r, Err(DecodeError::WrongDirection(resp.kind())));
    }
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn random_bytes_never_panic_any_decoder(bytes in vec(any::<u8>(), 0..600)) {
        let _ = Request::decode(&bytes);
        let _ = Response::decode(&bytes);
        for k in 0..=u8::MAX {
            let _ = Request::decode_body(k, &bytes);
            let _ = Response::decode_body(k, &bytes);
        }
        assert_canonical_if_accepted(&bytes)?;
    }

    #[test]
    fn random_headers_never_panic_and_accepted_ones_respect_the_limits(
        h in any::<[u8; FRAME_HEADER_LEN]>(),
    ) {
        for d in [Direction::Request, Direction::Response] {
            if let Ok(header) = FrameHeader::decode(&h, d) {
                prop_assert_eq!(h[0], 1);
                prop_assert!(header.body_len as usize <= MAX_FRAME_BODY);
                let known = match d {
                    Direction::Request => kind::REQUESTS.contains(&header.kind),
                    Direction::Response => kind::RESPONSES.contains(&header.kind),
                };
                prop_assert!(known);
            }
        }
    }

    /// Random bodies behind a valid header of any kind reach the body
    /// decoders; whatever they accept re-encodes to the same bytes.
    #[test]
    fn random_bodies_decode_canonically_or_fail(
        k in any_kind(),
        body in vec(any::<u8>(), 0..300),
    ) {
        let mut frame = FrameHeader::encode(k, body.len()).to_vec();
        frame.extend_from_slice(&body);
        assert_canonical_if_accepted(&frame)?;
    }

    /// Valid frames with a few bytes overwritten decode canonically or fail.
    #[test]
    fn mutated_frames_decode_canonically_or_fail(
        req in any_request(),
        resp in any_response(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        for mut frame in [req.encode(), resp.encode()] {
            for (at, b) in &edits {
                let i = at.index(frame.len());
                frame[i] = *b;
            }
            assert_canonical_if_accepted(&frame)?;
        }
    }

    #[test]
    fn random_strings_never_panic_the_address_parser(s in ".{0,400}") {
        if let Ok(a) = s.parse::<RelayAddress>() {
            prop_assert_eq!(a.to_string(), s.trim());
        }
    }

    #[test]
    fn address_like_strings_parse_to_their_one_spelling_or_fail(
        host in "[a-zA-Z0-9.:\\[\\]-]{0,20}",
        port in "[+0-9]{0,6}",
        pin in prop_oneof![
            any::<[u8; 32]>().prop_map(|p| {
                use base64::Engine as _;
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(p)
            }),
            "[A-Za-z0-9_=-]{0,50}",
        ],
        sep in prop_oneof![Just(":"), Just("]:"), Just("")],
    ) {
        let s = format!("sanad://{host}{sep}{port}?pin={pin}");
        if let Ok(a) = s.parse::<RelayAddress>() {
            prop_assert_eq!(a.to_string(), s);
            prop_assert!(a.port != 0);
        }
    }
}

fn dns_name() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?){0,3}"
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_relay_address_round_trips_through_its_string(
        host in prop_oneof![
            dns_name(),
            any::<std::net::Ipv4Addr>().prop_map(|a| a.to_string()),
            any::<std::net::Ipv6Addr>().prop_map(|a| a.to_string()),
        ],
        port in 1..=u16::MAX,
        pin in any::<[u8; 32]>(),
    ) {
        let a = RelayAddress { host, port, pin: SpkiPin(pin) };
        let s = a.to_string();
        prop_assert_eq!(s.parse::<RelayAddress>(), Ok(a));
    }

    #[test]
    fn a_signed_request_verifies_with_its_key_only(
        req in signable_request(),
        seed in any::<[u8; 32]>(),
        other_seed in any::<[u8; 32]>(),
        timestamp in any::<u64>(),
        nonce in any::<[u8; 16]>(),
    ) {
        prop_assume!(seed != other_seed);
        let key = SigningKey::from_bytes(&seed);
        let other = SigningKey::from_bytes(&other_seed);
        let signed = with_owner(req, &key).sign(&key, timestamp, Nonce(nonce));
        let decoded = Request::decode(&signed.encode()).expect("a signed request decodes");
        let v = decoded.verify_owner(&owner_key_of(&key)).expect("verifies with its key");
        prop_assert_eq!(v.owner_key, owner_key_of(&key));
        prop_assert_eq!(v.timestamp, timestamp);
        prop_assert_eq!(v.nonce, Nonce(nonce));
        prop_assert_eq!(
            decoded.verify_owner(&owner_key_of(&other)).err(),
            Some(ErrorCode::BadSignature)
        );
    }

    /// Flipping any single byte of a signed frame (header, fields, nonce,
    /// timestamp, kind or signature) makes it fail to decode or to verify,
    /// against the signer's key and against the key the frame now names.
    #[test]
    fn flipping_any_byte_of_a_signed_frame_breaks_it(
        req in signable_request(),
        seed in any::<[u8; 32]>(),
        timestamp in any::<u64>(),
        nonce in any::<[u8; 16]>(),
        mask in 1..=u8::MAX,
    ) {
        let key = SigningKey::from_bytes(&seed);
        let frame = with_owner(req, &key).sign(&key, timestamp, Nonce(nonce)).encode();
        for i in 0..frame.len() {
            let mut bad = frame.clone();
            bad[i] ^= mask;
            if let Ok(decoded) = Request::decode(&bad) {
                prop_assert!(
                    decoded.verify_owner(&owner_key_of(&key)).is_err(),
                    "flip at {i} still verifies"
                );
                if let Request::CreateMailbox(c) = &decoded {
                    prop_assert!(decoded.verify_owner(&c.owner_key).is_err());
                }
            }
        }
    }
}

// ------------------------------------------------------- limits, at the edge

#[test]
fn largest_requests_round_trip_and_one_byte_more_is_refused() {
    let big_deposit = Request::Deposit(Deposit {
        send_id: support::send_id(),
        key: support::deposit_key(),
        body: vec![1; MAX_MESSAGE_LEN],
    });
    let full_segment = Request::BlobPut(BlobPut {
        blob_id: support::blob_id(),
        token: support::upload_token(),
        index: MAX_SEGMENTS - 1,
        hash: SegmentHash([0; 32]),
        data: vec![2; SEGMENT_SIZE],
    });
    let full_ack = support::ack();
    let full_ack = match full_ack {
        Request::Ack(a) => Request::Ack(Ack {
            seqs: (0..MAX_ACK_SEQS as u64).collect(),
            ..a
        }),
        _ => unreachable!("support::ack is an Ack"),
    };
    for req in [big_deposit, full_segment, full_ack] {
        let frame = req.encode();
        assert_eq!(Request::decode(&frame).as_ref(), Ok(&req));
    }

    let too_big = Request::Deposit(Deposit {
        send_id: support::send_id(),
        key: support::deposit_key(),
        body: vec![1; MAX_MESSAGE_LEN + 1],
    });
    assert!(matches!(
        Request::decode(&too_big.encode()),
        Err(DecodeError::TooLong {
            field: "message body",
            ..
        })
    ));
    let too_big = Request::BlobPut(BlobPut {
        blob_id: support::blob_id(),
        token: support::upload_token(),
        index: 0,
        hash: SegmentHash([0; 32]),
        data: vec![2; SEGMENT_SIZE + 1],
    });
    assert!(matches!(
        Request::decode(&too_big.encode()),
        Err(DecodeError::TooLong {
            field: "segment",
            ..
        })
    ));
    let too_many = Request::Ack(Ack {
        receive_id: support::receive_id(),
        seqs: vec![0; MAX_ACK_SEQS + 1],
        auth: sanad_protocol::request::unsigned_auth(),
    });
    assert!(matches!(
        Request::decode(&too_many.encode()),
        Err(DecodeError::TooLong {
            field: "ack seqs",
            ..
        })
    ));
}

#[test]
fn largest_responses_round_trip() {
    let full_list = Response::MessageList {
        items: (1..=MAX_LIST_ITEMS as u64)
            .map(|seq| MessageHeader {
                seq,
                stored_hour: u32::MAX,
                len: MAX_MESSAGE_LEN as u32,
            })
            .collect(),
        more: true,
    };
    let full_fetch = Response::Messages {
        items: (1..=7)
            .map(|seq| StoredMessage {
                seq,
                stored_hour: 0,
                body: vec![3; MAX_MESSAGE_LEN],
            })
            .collect(),
        more: true,
    };
    let all_missing = Response::BlobStatus {
        size: MAX_BLOB_LEN,
        missing: (0..MAX_SEGMENTS).collect(),
        sealed: false,
    };
    let full_segment = Response::Segment {
        index: MAX_SEGMENTS - 1,
        hash: SegmentHash([0; 32]),
        data: vec![4; SEGMENT_SIZE],
    };
    for resp in [full_list, full_fetch, all_missing, full_segment] {
        let frame = resp.encode();
        assert!(frame.len() - FRAME_HEADER_LEN <= MAX_FRAME_BODY);
        assert_eq!(Response::decode(&frame).as_ref(), Ok(&resp));
    }
}

// ------------------------------------------------------------------ snapshots

/// Compare with a hex snapshot written one field per group; spaces and line
/// breaks in the snapshot are ignored.
#[track_caller]
fn assert_hex(frame: &[u8], snapshot: &str) {
    let want: String = snapshot.split_whitespace().collect();
    assert_eq!(hex::encode(frame), want);
}

const R16: &str = "52525252525252525252525252525252";
const S16: &str = "53535353535353535353535353535353";
const K16: &str = "4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b";
const B32: &str = "4242424242424242424242424242424242424242424242424242424242424242";
const T32: &str = "5454545454545454545454545454545454545454545454545454545454545454";
/// SHA-256("tail!").
const TAIL_HASH: &str = "b1debe5a3fde1897d384f46080a53dacee987c4376d4134c069ecca63e353888";
/// Ed25519 public key of the seed 0x00..=0x1f.
const OWNER_KEY: &str = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
/// Timestamp 1_700_000_000 and nonce 0xa0..=0xaf.
const TS_NONCE: &str = "000000006553f100 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";

#[test]
fn ping_frame_is_byte_exact() {
    assert_hex(&support::ping().encode(), "01 01 00000000");
}

#[test]
fn create_mailbox_frame_is_byte_exact() {
    assert_hex(
        &support::create_mailbox().encode(),
        &format!(
            "01 02 00000078 {OWNER_KEY} {TS_NONCE} {}",
            sig_create_mailbox()
        ),
    );
}

#[test]
fn deposit_frame_is_byte_exact() {
    assert_hex(
        &support::deposit().encode(),
        &format!("01 03 00000029 {S16} {K16} 00000005 68656c6c6f"),
    );
}

#[test]
fn list_frame_is_byte_exact() {
    assert_hex(
        &support::list().encode(),
        &format!(
            "01 04 00000072 {R16} 0000000000000007 0064 {TS_NONCE} {}",
            sig_list()
        ),
    );
}

#[test]
fn fetch_frame_is_byte_exact() {
    assert_hex(
        &support::fetch().encode(),
        &format!(
            "01 05 00000072 {R16} 0000000000000007 000a {TS_NONCE} {}",
            sig_fetch()
        ),
    );
}

#[test]
fn ack_frame_is_byte_exact() {
    assert_hex(
        &support::ack().encode(),
        &format!(
            "01 06 00000082 {R16} 0003 0000000000000008 0000000000000009 000000000000000c
             {TS_NONCE} {}",
            sig_ack()
        ),
    );
}

#[test]
fn blob_create_frame_is_byte_exact() {
    assert_hex(
        &support::blob_create().encode(),
        "01 07 00000008 0000000000200005",
    );
}

#[test]
fn blob_put_frame_is_byte_exact() {
    assert_hex(
        &support::blob_put().encode(),
        &format!("01 08 0000006d {B32} {T32} 00000002 {TAIL_HASH} 00000005 7461696c21"),
    );
}

#[test]
fn blob_status_frame_is_byte_exact() {
    assert_hex(
        &support::blob_status().encode(),
        &format!("01 09 00000020 {B32}"),
    );
}

#[test]
fn blob_get_frame_is_byte_exact() {
    assert_hex(
        &support::blob_get().encode(),
        &format!("01 0a 00000024 {B32} 00000002"),
    );
}

#[test]
fn pong_frame_is_byte_exact() {
    assert_hex(&support::pong().encode(), "01 81 00000008 000000006553f17b");
}

#[test]
fn mailbox_created_frame_is_byte_exact() {
    assert_hex(
        &support::mailbox_created().encode(),
        &format!("01 82 00000020 {R16} {S16}"),
    );
}

#[test]
fn deposited_frame_is_byte_exact() {
    assert_hex(
        &support::deposited().encode(),
        "01 83 00000008 0000000000000008",
    );
}

#[test]
fn message_list_frame_is_byte_exact() {
    assert_hex(
        &support::message_list().encode(),
        "01 84 00000023 0002
         0000000000000008 0007349e 00000005
         0000000000000009 0007349e 0000012c
         01",
    );
}

#[test]
fn messages_frame_is_byte_exact() {
    assert_hex(
        &support::messages().encode(),
        "01 85 00000018 0001 0000000000000008 0007349e 00000005 68656c6c6f 00",
    );
}

#[test]
fn acked_frame_is_byte_exact() {
    assert_hex(&support::acked().encode(), "01 86 00000002 0002");
}

#[test]
fn blob_created_frame_is_byte_exact() {
    assert_hex(
        &support::blob_created().encode(),
        &format!("01 87 00000040 {B32} {T32}"),
    );
}

#[test]
fn segment_stored_frame_is_byte_exact() {
    assert_hex(
        &support::segment_stored().encode(),
        "01 88 00000005 00000002 00",
    );
}

#[test]
fn blob_state_frame_is_byte_exact() {
    assert_hex(
        &support::blob_state().encode(),
        "01 89 0000000f 0000000000200005 00 0001 00000001",
    );
}

#[test]
fn segment_frame_is_byte_exact() {
    assert_hex(
        &support::segment().encode(),
        &format!("01 8a 0000002d 00000002 {TAIL_HASH} 00000005 7461696c21"),
    );
}

#[test]
fn error_frame_is_byte_exact() {
    assert_hex(
        &support::error().encode(),
        "01 ff 0000000a 000c 000000006553f3bc",
    );
}

#[test]
fn log_append_frame_is_byte_exact() {
    assert_hex(
        &support::log_append().encode(),
        &format!("01 0b 00000020 {C5}"),
    );
}

#[test]
fn log_checkpoint_frame_is_byte_exact() {
    assert_hex(
        &support::log_checkpoint_request().encode(),
        "01 0c 00000000",
    );
}

#[test]
fn log_consistency_frame_is_byte_exact() {
    assert_hex(
        &support::log_consistency().encode(),
        "01 0d 00000010 0000000000000003 0000000000000008",
    );
}

#[test]
fn log_inclusion_frame_is_byte_exact() {
    assert_hex(
        &support::log_inclusion().encode(),
        "01 0e 00000010 0000000000000005 0000000000000008",
    );
}

/// `'5'` x 32, the commitment at leaf 5 of the example log.
const C5: &str = "3535353535353535353535353535353535353535353535353535353535353535";

/// The example log's checkpoint at 8 leaves: origin `sanad/log/` and the
/// hex of the log key (seed 0x40..0x5f), size, root; the log key's
/// signature, then its time cosignature (key ID `90606c6c`, time
/// 1700000008 = `00000000 6553f108`).
const CHECKPOINT_8: &str =
    "sanad/log/2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d
8
EpB7tDgFToExBK7mlIkiN4QFT/57c72OSZD+LNwzmGg=

— sanad/log/2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d \
4fBu8t4vVSDSYEOXfxckUQVLc/4lWn1arsPpIbvFWiS8o8y4BvYFkoFgPEZFhcuCcOiiUFb6DJqetK3e3UTJNYtPIAQ=
— sanad/log/2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d \
kGBsbAAAAABlU/EIXAEG38YEN5rhwN43wLF+Na3n8Vxy+uvbm/3B0rh3JAd40BsVV2iZIe6k9r6HE9V82EUlsFxykn5gtibCpdmHBw==
";

/// The receipt of leaf 5 against [`CHECKPOINT_8`].
const RECEIPT_5_OF_8: &str = "c2sp.org/tlog-proof@v1
extra NTU1NTU1NTU1NTU1NTU1NTU1NTU1NTU1NTU1NTU1NTU=
index 5
QK818GfsqtT1XuufYt0+Svd83ubKolysY/q0XocuJsU=
TKDFhMXUYywnt2WXbY1+083n/LM6SI/hV8dA37Jk2zQ=
uQ9n3strwExuIWcFV+Mg2Ltbnad3HUBOXWwKaIV2uT0=

";

#[test]
fn log_appended_frame_is_byte_exact() {
    let text = format!("{RECEIPT_5_OF_8}{CHECKPOINT_8}");
    assert_eq!(support::log_receipt(5, 8).to_text(), text);
    assert_hex(
        &support::log_appended().encode(),
        &format!(
            "01 8b {:08x} {:08x} {}",
            text.len() + 4,
            text.len(),
            hex::encode(&text)
        ),
    );
}

#[test]
fn checkpoint_frame_is_byte_exact() {
    assert_eq!(support::log_checkpoint(8).to_text(), CHECKPOINT_8);
    assert_hex(
        &support::checkpoint().encode(),
        &format!(
            "01 8c {:08x} {:08x} {}",
            CHECKPOINT_8.len() + 4,
            CHECKPOINT_8.len(),
            hex::encode(CHECKPOINT_8)
        ),
    );
}

#[test]
fn consistency_proof_frame_is_byte_exact() {
    assert_hex(
        &support::consistency_proof_response().encode(),
        "01 8d 00000092 0000000000000003 0000000000000008 0004
         e1c8b9f804750d43976e589cf2536f5b8829e5d712918bfbeb8b361e477428b5
         5e5caeafc27155c368b6f201107d6f8b270747ce636ac5174a56c6e12ef89ad1
         baf14b744e0bd71b9152ab132a408c079202bca35f434b9dabe4e75c325b6fec
         48ac083f765519cc6f96f5b7c2c72229f4616615ed8da47cdc30e3990003caaf",
    );
}

#[test]
fn inclusion_proof_frame_is_byte_exact() {
    assert_hex(
        &support::inclusion_proof_response().encode(),
        &format!(
            "01 8e 00000092 0000000000000005 0000000000000008 {C5} 0003
             40af35f067ecaad4f55eeb9f62dd3e4af77cdee6caa25cac63fab45e872e26c5
             4ca0c584c5d4632c27b765976d8d7ed3cde7fcb33a488fe157c740dfb264db34
             b90f67decb6bc04c6e21670557e320d8bb5b9da7771d404e5d6c0a688576b93d"
        ),
    );
}

#[test]
fn every_frame_type_has_a_snapshot() {
    // The snapshot tests above cover exactly these kinds; a new kind must add one.
    assert_eq!(support::requests().len(), kind::REQUESTS.len());
    assert_eq!(support::responses().len(), kind::RESPONSES.len());
    let mut req_kinds: Vec<u8> = support::requests().iter().map(|(_, r)| r.kind()).collect();
    req_kinds.sort_unstable();
    assert_eq!(req_kinds, kind::REQUESTS);
    let mut resp_kinds: Vec<u8> = support::responses().iter().map(|(_, r)| r.kind()).collect();
    resp_kinds.sort_unstable();
    assert_eq!(resp_kinds, kind::RESPONSES);
}

// The four owner signatures. Ed25519 is deterministic, so they are fixed;
// they were cross-checked with an independent implementation (OpenSSL via
// Python `cryptography`) signing the message built from docs/protocol.md.
fn sig_create_mailbox() -> &'static str {
    "bbacf7e596ff07ddee2659670d349b8a5144824a71556d3a676f6ddb51572224
     a34502a366046c4223388b73d4854c685a678c88520c3d7a369da925b020d10b"
}
fn sig_list() -> &'static str {
    "853ff3d61da84b5c7c5e273a79047c2c568181596516f9bac4ba692f1b7f448e
     059a70161182d7a1425265305857c94eed33cc4e9c0d31a3f8d555dfa0f38608"
}
fn sig_fetch() -> &'static str {
    "2f300bd203df7ef3529876b3b8836609642fbab425a6cf4f1bca1ed42334d752
     a07f896d25678a73267d56dd9defce6590d12eca47c9e8805486f3f38ebe2603"
}
fn sig_ack() -> &'static str {
    "5b7369ba47ecd193a800bacef3a425e426e5006d3fd76ec96a2746716dd33093
     58cf423be84796c14ae6b21a40d9acbbac86febaab78d5b0b51c38526823e60c"
}
