//! The evidence content kind (`docs/client-formats.md` §3.5): round trips,
//! the rules between its parts, and truncation.

mod evidence_support;

use evidence_support as fx;
use sanad_protocol::content::EvidenceItem;
use sanad_protocol::evidence::commitment::matches;
use sanad_protocol::{Content, ContentError, DecodeError};

#[test]
fn an_evidence_item_round_trips_and_its_parts_verify() {
    let item = fx::evidence_item();
    let c = Content::Evidence(Box::new(item.clone()));
    let bytes = c.encode().expect("encodes");
    assert_eq!(Content::decode(&bytes), Ok(c));
    let m = item.manifest.verify().expect("manifest verifies");
    let r = item
        .receipt
        .verify(&fx::capture().log.log_key())
        .expect("receipt verifies");
    assert!(matches(r.commitment(), &item.salt, &m.hash()));
    assert!(item.enrolment.expect("enrolled").verify().is_ok());
}

#[test]
fn an_item_without_enrolment_or_seen_checkpoint_round_trips() {
    let mut item = fx::evidence_item();
    item.enrolment = None;
    let c = fx::capture();
    let mut m = c.signed.unverified().clone();
    m.seen_checkpoint = None;
    item.manifest = m.sign(&fx::device()).expect("signs");
    item.seen_checkpoint = None;
    let content = Content::Evidence(Box::new(item));
    assert_eq!(
        Content::decode(&content.encode().expect("encodes")),
        Ok(content)
    );
}

#[test]
fn parts_that_disagree_are_refused_on_both_sides() {
    let cases: Vec<(EvidenceItem, &str)> = vec![
        (
            EvidenceItem {
                seen_checkpoint: None,
                ..fx::evidence_item()
            },
            "seen checkpoint",
        ),
        (
            EvidenceItem {
                seen_checkpoint: Some(fx::capture().log.checkpoint(3)),
                ..fx::evidence_item()
            },
            "seen checkpoint",
        ),
        (
            {
                let mut i = fx::evidence_item();
                i.file.sha256[0] ^= 1;
                i
            },
            "evidence file",
        ),
        (
            {
                let mut i = fx::evidence_item();
                i.file.size -= 1;
                i
            },
            "evidence file",
        ),
    ];
    for (item, field) in cases {
        let c = Content::Evidence(Box::new(item));
        assert_eq!(
            c.encode().map(|_| ()),
            Err(ContentError::Malformed(DecodeError::InvalidValue(field)))
        );
    }
}

#[test]
fn every_truncation_and_a_trailing_byte_are_refused() {
    let bytes = Content::Evidence(Box::new(fx::evidence_item()))
        .encode()
        .expect("encodes");
    for n in 0..bytes.len() {
        assert!(Content::decode(&bytes[..n]).is_err(), "prefix of {n} bytes");
    }
    let mut long = bytes.to_vec();
    long.push(0);
    assert_eq!(
        Content::decode(&long),
        Err(ContentError::Malformed(DecodeError::TrailingBytes(1)))
    );
}

mod on_arrival {
    use super::fx;
    use sanad_protocol::evidence::{verify_item, BundleError, EnrolmentStatus, Salt};

    fn desk() -> Vec<ed25519_dalek::VerifyingKey> {
        vec![fx::desk().verifying_key()]
    }

    #[test]
    fn a_sound_item_verifies_on_arrival_with_its_enrolment() {
        let log = fx::capture().log.log_key();
        let v = verify_item(&fx::evidence_item(), &log, &desk()).expect("verifies");
        assert!(
            matches!(v.enrolment(), EnrolmentStatus::Enrolled(e) if e.record().device_label == "device 3")
        );
        assert_eq!(v.seen_checkpoint().map(|c| c.size()), Some(4));
        assert_eq!(v.receipt().leaf_index(), 5);
        let untrusted = verify_item(&fx::evidence_item(), &log, &[]).expect("verifies");
        assert_eq!(
            untrusted.enrolment(),
            &EnrolmentStatus::Invalid(BundleError::DeskKeyUntrusted)
        );
        let mut unenrolled = fx::evidence_item();
        unenrolled.enrolment = None;
        let v = verify_item(&unenrolled, &log, &desk()).expect("still evidence");
        assert_eq!(v.enrolment(), &EnrolmentStatus::NotEnrolled);
    }

    #[test]
    fn every_check_on_arrival_is_reported_in_order() {
        use sanad_protocol::evidence::{check_item, CheckId, NotRun, Outcome};
        let log = fx::capture().log.log_key();
        let ids = |v: &sanad_protocol::evidence::ItemVerdict| -> Vec<CheckId> {
            v.checks.iter().map(|c| c.id).collect()
        };
        let order = vec![
            CheckId::ManifestSignature,
            CheckId::Content,
            CheckId::Receipt,
            CheckId::Commitment,
            CheckId::SeenCheckpoint,
            CheckId::DeviceTime,
        ];
        let sound = check_item(&fx::evidence_item(), &log, &desk());
        assert_eq!(ids(&sound), order);
        assert!(sound.checks.iter().all(|c| c.outcome == Outcome::Passed));
        assert!(sound.verified().is_some() && sound.failure().is_none());

        let mut salted = fx::evidence_item();
        salted.salt = Salt::from_bytes([0; 32]);
        let v = check_item(&salted, &log, &desk());
        assert_eq!(ids(&v), order);
        let outcomes: Vec<&Outcome> = v.checks.iter().map(|c| &c.outcome).collect();
        assert_eq!(
            outcomes,
            vec![
                &Outcome::Passed,
                &Outcome::Passed,
                &Outcome::Passed,
                &Outcome::Failed(BundleError::CommitmentMismatch),
                &Outcome::NotRun(NotRun::EarlierFailure),
                &Outcome::NotRun(NotRun::EarlierFailure),
            ]
        );
        assert!(v.verified().is_none());
        assert_eq!(v.failure(), Some(&BundleError::CommitmentMismatch));

        let mut other_file = fx::evidence_item();
        other_file.file.size += 1;
        let v = check_item(&other_file, &log, &desk());
        assert_eq!(v.failure(), Some(&BundleError::ContentHashMismatch));
        assert_eq!(v.checks[1].id, CheckId::Content);
    }

    #[test]
    fn a_tampered_item_is_refused_on_arrival_with_its_error() {
        let log = fx::capture().log.log_key();
        let other_log = fx::TestLog::new(fx::OTHER_LOG_SEED, 1).log_key();
        let mut salted = fx::evidence_item();
        salted.salt = Salt::from_bytes([0; 32]);
        let mut other_leaf = fx::evidence_item();
        other_leaf.receipt.leaf_index = 4;
        let cases = [
            (salted, &log, "commitment-mismatch"),
            (fx::evidence_item(), &other_log, "receipt-other-log"),
            (other_leaf, &log, "inclusion-other-leaf"),
        ];
        for (item, key, id) in cases {
            let e = verify_item(&item, key, &desk()).expect_err(id);
            assert_eq!(e.id(), id);
        }
    }

    #[test]
    fn a_back_dated_or_forward_dated_item_is_refused_on_arrival() {
        let dated = |device_time: u64| {
            let mut log = fx::TestLog::new(fx::LOG_SEED, 5);
            let m = sanad_protocol::evidence::Manifest {
                device_time,
                ..fx::manifest(Some(log.seen(4)))
            };
            let signed = m.sign(&fx::device()).expect("signs");
            let c = sanad_protocol::evidence::commitment(&fx::salt(), &signed.hash());
            let index = log.append(&c);
            let mut item = fx::evidence_item();
            item.receipt = log.receipt(c, index, log.size());
            item.manifest = signed;
            item.seen_checkpoint = Some(log.checkpoint(4));
            (item, log.log_key())
        };
        let (ok, log) = dated(fx::DEVICE_TIME);
        assert!(verify_item(&ok, &log, &desk()).is_ok());
        let (back, log) = dated(fx::checkpoint_time(4) - 601);
        let e = verify_item(&back, &log, &desk()).expect_err("back-dated");
        assert_eq!(e.id(), "device-time-before-seen-checkpoint");
        let (forward, log) = dated(fx::checkpoint_time(6) + 601);
        let e = verify_item(&forward, &log, &desk()).expect_err("forward-dated");
        assert_eq!(e.id(), "device-time-after-receipt");
    }
}
