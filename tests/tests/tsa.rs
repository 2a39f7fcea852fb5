//! Timestamp anchoring against a real timestamp authority: stock `openssl
//! ts -reply` on loopback (see `sanad_tests::tsa`), with a P-256 key and a
//! certificate whose extended key usage is timeStamping, critical.
//!
//! What is pinned: `anchor` obtains a token our verifier accepts, and that
//! stock `openssl ts -verify` accepts too; a token does not vouch for other
//! bytes (`OtherHash`), for another TSA (`UntrustedSigner`), or after one
//! byte changes; a refusal by the TSA and every HTTP failure come back as
//! their own error.

use std::time::Duration;

use sanad_client::anchor::{anchor, AnchorError, AnchorOptions};
use sanad_protocol::tsa::{self, FailureReason, PkiStatus, TsaError};
use sanad_tests::tsa::{serve_canned, LocalTsa};
use sha2::{Digest, Sha256};

/// Bytes shaped like a C2SP checkpoint body.
const CHECKPOINT: &[u8] = b"sanad.test/log\n42\nq3jTbPEQUK09IwlS8mP6b8dVdmx1JuqNjJIXS3anMW0=\n";

fn quick() -> AnchorOptions {
    AnchorOptions {
        connect_timeout: Duration::from_secs(5),
        response_timeout: Duration::from_secs(20),
    }
}

#[tokio::test]
async fn anchored_token_verifies_here_and_with_stock_openssl() {
    let tsa = LocalTsa::start().await;
    let cert = tsa.cert_der();
    let (token, verified) = anchor(&tsa.url(), CHECKPOINT, &[&cert], &quick())
        .await
        .expect("anchored");

    assert_eq!(
        verified.hash(),
        &<[u8; 32]>::from(Sha256::digest(CHECKPOINT))
    );
    assert_eq!(verified.tsa_name(), "CN=Local Test TSA,O=Sanad tests");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    assert!(verified.gen_time().abs_diff(now) < 120, "genTime is now");

    // The stored token verifies offline, as a bundle verifier will check it.
    assert_eq!(
        tsa::verify_token(&token, CHECKPOINT, &[&cert]).as_ref(),
        Ok(&verified)
    );
    // And OpenSSL, with only the CA as trust anchor, accepts what we keep.
    assert!(
        tsa.openssl_verifies(CHECKPOINT, &token),
        "openssl ts -verify"
    );
    assert!(
        !tsa.openssl_verifies(b"other bytes", &token),
        "openssl checks the data"
    );

    // Two anchorings are two tokens (fresh nonce, new serial).
    let (second, again) = anchor(&tsa.url(), CHECKPOINT, &[&cert], &quick())
        .await
        .expect("anchored again");
    assert_ne!(second, token);
    assert_ne!(again.serial(), verified.serial());
}

#[tokio::test]
async fn chunked_answer_is_read() {
    let tsa = LocalTsa::start().await;
    let cert = tsa.cert_der();
    let (token, _) = anchor(&tsa.chunked_url(), CHECKPOINT, &[&cert], &quick())
        .await
        .expect("anchored over a chunked answer");
    assert!(tsa.openssl_verifies(CHECKPOINT, &token));
}

#[tokio::test]
async fn token_does_not_vouch_for_other_bytes_another_tsa_or_a_changed_byte() {
    let tsa = LocalTsa::start().await;
    let cert = tsa.cert_der();
    let (token, _) = anchor(&tsa.url(), CHECKPOINT, &[&cert], &quick())
        .await
        .expect("anchored");

    let mut other = CHECKPOINT.to_vec();
    other[15] = b'3'; // tree size 42 becomes 32
    assert_eq!(
        tsa::verify_token(&token, &other, &[&cert]),
        Err(TsaError::OtherHash)
    );

    let untrusted = tsa.other_cert_der();
    assert_eq!(
        tsa::verify_token(&token, CHECKPOINT, &[&untrusted]),
        Err(TsaError::UntrustedSigner)
    );

    // The last bytes are the signature.
    let mut tampered = token.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 0x01;
    assert_eq!(
        tsa::verify_token(&tampered, CHECKPOINT, &[&cert]),
        Err(TsaError::BadSignature)
    );
    assert!(!tsa.openssl_verifies(CHECKPOINT, &tampered));
}

#[tokio::test]
async fn anchoring_checks_the_answer_against_the_pinned_certificate() {
    let tsa = LocalTsa::start().await;
    let untrusted = tsa.other_cert_der();
    let err = anchor(&tsa.url(), CHECKPOINT, &[&untrusted], &quick())
        .await
        .expect_err("signed by a TSA we do not trust");
    assert!(
        matches!(err, AnchorError::Verification(TsaError::UntrustedSigner)),
        "{err:?}"
    );
}

#[tokio::test]
async fn refusal_by_the_tsa_is_reported_with_its_reason() {
    let tsa = LocalTsa::start().await;
    let cert = tsa.cert_der();
    let err = anchor(&tsa.reject_url(), CHECKPOINT, &[&cert], &quick())
        .await
        .expect_err("OpenSSL refuses SHA-256 in this configuration");
    let AnchorError::Rejected { status, failure } = err else {
        panic!("not a rejection: {err:?}");
    };
    assert_eq!(status, PkiStatus::Rejection);
    assert!(failure.contains(FailureReason::BadAlg), "{failure}");
}

#[tokio::test]
async fn http_failures_have_their_own_errors() {
    let cert = LocalTsa::start().await.cert_der();
    let certs: [&[u8]; 1] = [&cert];

    let (addr, _task) = serve_canned(Some(
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
    ))
    .await;
    let err = anchor(&format!("http://{addr}/"), CHECKPOINT, &certs, &quick()).await;
    assert!(matches!(err, Err(AnchorError::HttpStatus(404))), "{err:?}");

    let (addr, _task) = serve_canned(Some(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 6\r\n\r\n<html>".to_vec(),
    ))
    .await;
    let err = anchor(&format!("http://{addr}/"), CHECKPOINT, &certs, &quick()).await;
    assert!(matches!(err, Err(AnchorError::NotTsaResponse)), "{err:?}");

    let (addr, _task) = serve_canned(Some(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: 999999999\r\n\r\n"
            .to_vec(),
    ))
    .await;
    let err = anchor(&format!("http://{addr}/"), CHECKPOINT, &certs, &quick()).await;
    assert!(
        matches!(err, Err(AnchorError::ResponseTooLarge { .. })),
        "{err:?}"
    );

    let (addr, _task) = serve_canned(Some(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: 4\r\n\r\nnope"
            .to_vec(),
    ))
    .await;
    let err = anchor(&format!("http://{addr}/"), CHECKPOINT, &certs, &quick()).await;
    assert!(
        matches!(err, Err(AnchorError::BadResponse(TsaError::Malformed(_)))),
        "{err:?}"
    );

    let (addr, _task) = serve_canned(Some(b"SSH-2.0-OpenSSH\r\n\r\n".to_vec())).await;
    let err = anchor(&format!("http://{addr}/"), CHECKPOINT, &certs, &quick()).await;
    assert!(matches!(err, Err(AnchorError::Http(_))), "{err:?}");

    // A server that never answers is cut off by the response timeout.
    let (addr, _task) = serve_canned(None).await;
    let short = AnchorOptions {
        connect_timeout: Duration::from_secs(5),
        response_timeout: Duration::from_millis(300),
    };
    let err = anchor(&format!("http://{addr}/"), CHECKPOINT, &certs, &short).await;
    assert!(
        matches!(err, Err(AnchorError::ResponseTimeout(_))),
        "{err:?}"
    );

    // Nothing listens on a port just released.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let err = anchor(&format!("http://{closed}/"), CHECKPOINT, &certs, &quick()).await;
    assert!(matches!(err, Err(AnchorError::Unreachable(_))), "{err:?}");

    let err = anchor("https://127.0.0.1/", CHECKPOINT, &certs, &quick()).await;
    assert!(matches!(err, Err(AnchorError::HttpsUnsupported)), "{err:?}");
}
