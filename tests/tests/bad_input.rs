//! Bad input: a corpus of malformed frames sent to a real relay. Each gets
//! its specific error; nothing panics; the relay keeps serving a canary
//! client and the offending connection stays usable.

use ed25519_dalek::SigningKey;
use rand::rngs::OsRng;
use sanad_client::{Client, ClientError, ConnectOptions, TransportMode};
use sanad_protocol::frame::kind;
use sanad_protocol::limits::{
    MAX_ACK_SEQS, MAX_FRAME_BODY, MAX_SEGMENTS, MAX_SMALL_REQUEST_BODY, SEGMENT_SIZE,
};
use sanad_protocol::request::{
    unsigned_auth, Ack, BlobCreate, BlobGet, BlobPut, BlobStatus, CreateMailbox, Deposit, Fetch,
    List,
};
use sanad_protocol::{
    BlobId, DepositKey, ErrorCode, Nonce, OwnerKey, Request, Response, SegmentHash, UploadToken,
};
use sanad_tests::harness::TestRelay;

struct Case {
    name: String,
    frame: Vec<u8>,
    expect: ErrorCode,
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

fn header(version: u8, k: u8, len: u32) -> Vec<u8> {
    let mut h = vec![version, k];
    h.extend_from_slice(&len.to_be_bytes());
    h
}

/// Valid requests of every kind (signed ones signed by `key` for `owner`'s mailbox).
fn valid_requests(
    key: &SigningKey,
    owner: &sanad_client::MailboxOwner,
    blob: BlobId,
) -> Vec<Request> {
    let n = || Nonce::random(&mut OsRng);
    vec![
        Request::Ping,
        Request::CreateMailbox(CreateMailbox {
            owner_key: OwnerKey(key.verifying_key().to_bytes()),
            auth: unsigned_auth(),
        })
        .sign(key, now(), n()),
        Request::Deposit(Deposit {
            send_id: owner.send_id(),
            key: DepositKey([1; 16]),
            body: vec![7; 100],
        }),
        Request::List(List {
            receive_id: owner.receive_id(),
            after_seq: 0,
            limit: 10,
            auth: unsigned_auth(),
        })
        .sign(key, now(), n()),
        Request::Fetch(Fetch {
            receive_id: owner.receive_id(),
            after_seq: 0,
            limit: 10,
            auth: unsigned_auth(),
        })
        .sign(key, now(), n()),
        Request::Ack(Ack {
            receive_id: owner.receive_id(),
            seqs: vec![1000, 1001],
            auth: unsigned_auth(),
        })
        .sign(key, now(), n()),
        Request::BlobCreate(BlobCreate { size: 10 }),
        Request::BlobPut(BlobPut {
            blob_id: blob,
            token: UploadToken([0; 32]),
            index: 0,
            hash: SegmentHash::of(&[1; 10]),
            data: vec![1; 10],
        }),
        Request::BlobStatus(BlobStatus { blob_id: blob }),
        Request::BlobGet(BlobGet {
            blob_id: blob,
            index: 0,
        }),
    ]
}

fn corpus(key: &SigningKey, owner: &sanad_client::MailboxOwner, blob: BlobId) -> Vec<Case> {
    let mut cases = Vec::new();
    let valid = valid_requests(key, owner, blob);
    for req in &valid {
        let f = req.encode();
        let k = req.kind();
        // Truncated bodies: the header promises more than the stream carries.
        if f.len() > 6 {
            for cut in [1, (f.len() - 6) / 2, f.len() - 6]
                .into_iter()
                .filter(|&c| c > 0)
            {
                cases.push(Case {
                    name: format!("kind {k:#04x} truncated by {cut}"),
                    frame: f[..f.len() - cut].to_vec(),
                    expect: ErrorCode::Malformed,
                });
            }
        }
        // A trailing byte inside the declared body, and one after the frame.
        let mut inside = f.clone();
        inside.push(0);
        let body_len = (inside.len() - 6) as u32;
        inside[2..6].copy_from_slice(&body_len.to_be_bytes());
        cases.push(Case {
            name: format!("kind {k:#04x} trailing byte in body"),
            frame: inside,
            expect: ErrorCode::Malformed,
        });
        let mut after = f.clone();
        after.extend_from_slice(&[0xAB; 3]);
        cases.push(Case {
            name: format!("kind {k:#04x} bytes after the frame"),
            frame: after,
            expect: ErrorCode::Malformed,
        });
        // Over-long declared lengths are refused before reading.
        let max = if k == kind::BLOB_PUT {
            MAX_FRAME_BODY
        } else {
            MAX_SMALL_REQUEST_BODY
        };
        for len in [max as u32 + 1, u32::MAX] {
            cases.push(Case {
                name: format!("kind {k:#04x} declared length {len}"),
                frame: header(1, k, len),
                expect: ErrorCode::FrameTooLarge,
            });
        }
        // Unknown versions.
        for v in [0u8, 2, 0xFF] {
            let mut g = f.clone();
            g[0] = v;
            cases.push(Case {
                name: format!("kind {k:#04x} version {v}"),
                frame: g,
                expect: ErrorCode::UnsupportedVersion,
            });
        }
    }
    // Unknown kinds (and response kinds sent as requests).
    for k in [0x00u8, 0x0F, 0x10, 0x42, 0x7F, 0x80, 0x90, 0xFE] {
        cases.push(Case {
            name: format!("unknown kind {k:#04x}"),
            frame: header(1, k, 0),
            expect: ErrorCode::UnknownKind,
        });
    }
    for k in [kind::PONG, kind::DEPOSITED, kind::ERROR] {
        cases.push(Case {
            name: format!("response kind {k:#04x} as request"),
            frame: header(1, k, 0),
            expect: ErrorCode::Malformed,
        });
    }
    // Short headers.
    for n in 1..6 {
        cases.push(Case {
            name: format!("{n}-byte header"),
            frame: vec![1, kind::PING, 0, 0, 0][..n].to_vec(),
            expect: ErrorCode::Malformed,
        });
    }
    // Invalid field values.
    let mut zero_blob = Request::BlobCreate(BlobCreate { size: 10 }).encode();
    zero_blob[6..14].copy_from_slice(&0u64.to_be_bytes());
    cases.push(Case {
        name: "blob size zero".into(),
        frame: zero_blob,
        expect: ErrorCode::Malformed,
    });
    let mut huge_blob = Request::BlobCreate(BlobCreate { size: 10 }).encode();
    huge_blob[6..14].copy_from_slice(&u64::MAX.to_be_bytes());
    cases.push(Case {
        name: "blob size beyond the wire maximum".into(),
        frame: huge_blob,
        expect: ErrorCode::Malformed,
    });
    let mut far = Request::BlobGet(BlobGet {
        blob_id: blob,
        index: 0,
    })
    .encode();
    far[38..42].copy_from_slice(&MAX_SEGMENTS.to_be_bytes());
    cases.push(Case {
        name: "segment index beyond the wire maximum".into(),
        frame: far,
        expect: ErrorCode::Malformed,
    });
    let mut oversized_segment = Request::BlobPut(BlobPut {
        blob_id: blob,
        token: UploadToken([0; 32]),
        index: 0,
        hash: SegmentHash([0; 32]),
        data: vec![0; 4],
    })
    .encode();
    let at = 6 + 32 + 32 + 4 + 32;
    oversized_segment[at..at + 4].copy_from_slice(&(SEGMENT_SIZE as u32 + 1).to_be_bytes());
    cases.push(Case {
        name: "segment length prefix over 1 MiB".into(),
        frame: oversized_segment,
        expect: ErrorCode::Malformed,
    });
    let mut many_acks = Request::Ack(Ack {
        receive_id: owner.receive_id(),
        seqs: vec![],
        auth: unsigned_auth(),
    })
    .encode();
    many_acks[22..24].copy_from_slice(&((MAX_ACK_SEQS + 1) as u16).to_be_bytes());
    cases.push(Case {
        name: "too many acknowledged sequence numbers".into(),
        frame: many_acks,
        expect: ErrorCode::Malformed,
    });
    // Bad signatures: flip bytes across the signed requests.
    for req in valid.iter().filter(|r| {
        matches!(
            r,
            Request::List(_) | Request::Fetch(_) | Request::Ack(_) | Request::CreateMailbox(_)
        )
    }) {
        let f = req.encode();
        for pos in [f.len() - 1, f.len() - 33, f.len() - 64] {
            let mut g = f.clone();
            g[pos] ^= 0x01;
            cases.push(Case {
                name: format!("kind {:#04x} signature byte {pos} flipped", req.kind()),
                frame: g,
                expect: ErrorCode::BadSignature,
            });
        }
        // A signed field changed after signing (the nonce).
        let mut g = f.clone();
        let nonce_at = f.len() - 64 - 16;
        g[nonce_at] ^= 0x80;
        cases.push(Case {
            name: format!("kind {:#04x} nonce changed after signing", req.kind()),
            frame: g,
            expect: ErrorCode::BadSignature,
        });
        // Signed by someone else.
        let other = SigningKey::generate(&mut OsRng);
        let forged = req
            .clone()
            .sign(&other, now(), Nonce::random(&mut OsRng))
            .encode();
        cases.push(Case {
            name: format!("kind {:#04x} signed by another key", req.kind()),
            frame: forged,
            expect: ErrorCode::BadSignature,
        });
        // Stale timestamp.
        let stale = req
            .clone()
            .sign(key, now() - 3600, Nonce::random(&mut OsRng))
            .encode();
        cases.push(Case {
            name: format!("kind {:#04x} an hour old", req.kind()),
            frame: stale,
            expect: ErrorCode::StaleTimestamp,
        });
    }
    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_malformed_frame_gets_its_specific_error_and_the_relay_keeps_serving() {
    let relay = TestRelay::start().await;
    let quic = ConnectOptions {
        mode: TransportMode::QuicOnly,
        ..ConnectOptions::default()
    };
    let attacker = Client::connect(&relay.address(), quic.clone())
        .await
        .expect("connect");
    let canary = Client::connect(&relay.address(), quic)
        .await
        .expect("connect");
    let key = SigningKey::generate(&mut OsRng);
    let owner = canary.create_mailbox(&key).await.expect("mailbox");
    let blob = canary.create_blob(10).await.expect("blob").blob_id();

    let cases = corpus(&key, &owner, blob);
    assert!(cases.len() >= 100, "corpus has only {} cases", cases.len());
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        match attacker.send_raw_frame(&case.frame).await {
            Ok(Response::Error { code, .. }) if code == case.expect => {}
            other => failures.push(format!(
                "{}: expected {}, got {other:?}",
                case.name, case.expect
            )),
        }
        // The offending connection and an innocent one both keep working.
        if i % 10 == 0 {
            attacker
                .ping()
                .await
                .expect("attacker connection still usable");
            canary
                .deposit(&owner.send_id(), vec![i as u8; 32])
                .await
                .expect("canary deposit");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let got = canary.fetch(&owner, 0, 1000).await.expect("canary fetch");
    assert_eq!(got.items.len(), cases.len().div_ceil(10));
}

#[tokio::test]
async fn a_replayed_signed_request_is_refused() {
    let relay = TestRelay::start().await;
    let client = relay.client_with(TransportMode::QuicOnly).await;
    let key = SigningKey::generate(&mut OsRng);
    let owner = client.create_mailbox(&key).await.expect("mailbox");
    for _ in 0..5 {
        let frame = Request::Fetch(Fetch {
            receive_id: owner.receive_id(),
            after_seq: 0,
            limit: 10,
            auth: unsigned_auth(),
        })
        .sign(&key, now(), Nonce::random(&mut OsRng))
        .encode();
        assert!(matches!(
            client.send_raw_frame(&frame).await,
            Ok(Response::Messages { .. })
        ));
        match client.send_raw_frame(&frame).await {
            Ok(Response::Error {
                code: ErrorCode::Replay,
                ..
            }) => {}
            other => panic!("replay accepted: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_relay_with_another_key_is_refused_as_a_pin_mismatch() {
    let relay = TestRelay::start().await;
    let mut addr = relay.address();
    addr.pin.0[0] ^= 1;
    for mode in [
        TransportMode::QuicOnly,
        TransportMode::TcpOnly,
        TransportMode::Auto,
    ] {
        match Client::connect(
            &addr,
            ConnectOptions {
                mode,
                ..ConnectOptions::default()
            },
        )
        .await
        {
            Err(ClientError::PinMismatch) => {}
            other => panic!(
                "{mode:?}: expected PinMismatch, got {:?}",
                other.map(|_| "connected")
            ),
        }
    }
    // The relay is unaffected.
    relay
        .client()
        .await
        .ping()
        .await
        .expect("relay still serving");
}
