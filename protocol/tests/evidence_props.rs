//! Properties of the evidence records: every valid manifest, enrolment and
//! derivative record round-trips and verifies; any truncation or trailing
//! byte is an error and never a panic; arbitrary bytes never panic a
//! decoder, and whatever one accepts re-encodes to exactly its input.

mod evidence_support;

use ed25519_dalek::SigningKey;
use evidence_support as fx;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use sanad_protocol::evidence::{
    DerivativeRecord, EnrolmentRecord, EvidenceId, EvidenceKind, FieldName, Fields, Manifest,
    ManifestHash, SeenCheckpoint, SignedDerivative, SignedEnrolment, SignedManifest, Transform,
};
use sanad_protocol::limits::{MAX_CASE_REF_LEN, MAX_FILE_NAME_LEN, MAX_MEDIA_TYPE_LEN};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/evidence_props.txt",
        ))),
        ..ProptestConfig::default()
    }
}

fn field_value(name: FieldName) -> BoxedStrategy<String> {
    match name {
        FieldName::IncidentDate => prop_oneof![
            (1990u32..2030).prop_map(|y| y.to_string()),
            (1990u32..2030, 1u32..=12).prop_map(|(y, m)| format!("{y}-{m:02}")),
            (1990u32..2030, 1u32..=12, 1u32..=28)
                .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
            (1990u32..2020, 2020u32..2030).prop_map(|(a, b)| format!("{a}/{b}")),
        ]
        .boxed(),
        FieldName::IncidentPlace | FieldName::CollectedBy => {
            "[a-zA-Z0-9 ءاب-ي،]{0,40}[a-z]".prop_map(|s| s).boxed()
        }
        FieldName::PlaceOfDetentionType => "[a-z0-9-]{1,64}".boxed(),
        FieldName::IllTreatmentTypes => proptest::collection::btree_set("[a-z]{1,12}", 1..16)
            .prop_map(|s| s.into_iter().collect::<Vec<_>>().join(","))
            .boxed(),
        FieldName::ConsentRecorded => prop_oneof![Just("yes"), Just("no"), Just("restricted")]
            .prop_map(String::from)
            .boxed(),
        FieldName::TestimonyLanguage => "[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}".boxed(),
    }
}

fn fields() -> impl Strategy<Value = Fields> {
    let per_field: Vec<BoxedStrategy<Option<(FieldName, String)>>> = FieldName::ALL
        .into_iter()
        .map(|n| proptest::option::of(field_value(n).prop_map(move |v| (n, v))).boxed())
        .collect();
    per_field.prop_map(|set| {
        let mut f = Fields::new();
        for (n, v) in set.into_iter().flatten() {
            f.set(n, v).expect("generated values are valid");
        }
        f
    })
}

fn manifest() -> impl Strategy<Value = Manifest> {
    (
        any::<[u8; 16]>(),
        any::<[u8; 32]>(),
        0u64..=u64::from(u32::MAX) + 1,
        "[ -~]{0,127}",
        proptest::string::string_regex(&format!(".{{0,{}}}", MAX_FILE_NAME_LEN / 4))
            .expect("regex"),
        any::<u64>(),
        proptest::option::of((any::<u64>(), any::<[u8; 32]>())),
        "[A-Za-z0-9-]{1,64}",
        proptest::option::of(any::<[u8; 32]>()),
        1u64..1000,
        any::<bool>(),
        fields(),
    )
        .prop_map(
            |(id, sha, len, mt, name, time, seen, case, prev, seq, testimony, fields)| Manifest {
                evidence_id: EvidenceId(id),
                content_sha256: sha,
                content_len: len,
                media_type: mt,
                file_name: name,
                device_time: time,
                seen_checkpoint: seen.map(|(size, root)| SeenCheckpoint { size, root }),
                device_key: fx::device().verifying_key(),
                case_ref: case,
                sequence: if prev.is_some() { seq } else { 0 },
                previous: prev.map(ManifestHash),
                kind: if testimony {
                    EvidenceKind::Testimony
                } else {
                    EvidenceKind::File
                },
                fields,
            },
        )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_valid_manifest_round_trips_and_verifies(m in manifest()) {
        prop_assume!(m.media_type.len() <= MAX_MEDIA_TYPE_LEN && m.case_ref.len() <= MAX_CASE_REF_LEN);
        let s = m.sign(&fx::device()).expect("valid manifest signs");
        let bytes = s.to_bytes();
        let d = SignedManifest::decode(&bytes).expect("decodes");
        prop_assert_eq!(d.unverified(), &m);
        prop_assert_eq!(d.to_bytes(), bytes.clone());
        prop_assert!(d.verify().is_ok());
        for n in [0, 1, bytes.len() / 2, bytes.len() - 65, bytes.len() - 1] {
            prop_assert!(SignedManifest::decode(&bytes[..n]).map(|s| s.verify().is_ok()) != Ok(true));
        }
        let mut long = bytes.clone();
        long.insert(bytes.len() - 64, 0);
        prop_assert!(SignedManifest::decode(&long).is_err());
    }

    #[test]
    fn every_valid_enrolment_and_derivative_round_trips(
        label in "[a-zA-Z0-9 ]{0,40}[a-z]",
        org in "[a-zA-Z ]{0,100}[A-Z]",
        at in any::<u64>(),
        dlen in 0u64..=u64::from(u32::MAX),
        hashes in any::<([u8; 32], [u8; 32], [u8; 16])>(),
        mt in "[ -~]{0,127}",
    ) {
        let desk = SigningKey::from_bytes(&fx::DESK_SEED);
        let e = EnrolmentRecord {
            device_key: fx::device().verifying_key(),
            device_label: label,
            organisation: org,
            enrolled_at: at,
            desk_key: desk.verifying_key(),
        }.sign(&desk).expect("valid enrolment");
        let b = e.to_bytes();
        let d = SignedEnrolment::decode(&b).expect("decodes");
        prop_assert_eq!(d.to_bytes(), b.clone());
        prop_assert!(d.verify().is_ok());
        for n in 0..b.len() {
            prop_assert!(SignedEnrolment::decode(&b[..n]).map(|s| s.verify().is_ok()) != Ok(true));
        }
        let r = DerivativeRecord {
            original_id: EvidenceId(hashes.2),
            original_sha256: hashes.0,
            derivative_sha256: hashes.1,
            derivative_len: dlen,
            derivative_media_type: mt,
            transform: Transform::StripMetadata,
            made_at: at,
            signer_key: desk.verifying_key(),
        }.sign(&desk).expect("valid record");
        let b = r.to_bytes();
        let d = SignedDerivative::decode(&b).expect("decodes");
        prop_assert_eq!(d.to_bytes(), b.clone());
        prop_assert!(d.verify().is_ok());
        for n in 0..b.len() {
            prop_assert!(SignedDerivative::decode(&b[..n]).map(|s| s.verify().is_ok()) != Ok(true));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_what_decodes_re_encodes(bytes in vec(any::<u8>(), 0..600)) {
        if let Ok(m) = SignedManifest::decode(&bytes) {
            prop_assert_eq!(m.to_bytes(), bytes.clone());
            let _ = m.verify();
        }
        if let Ok(e) = SignedEnrolment::decode(&bytes) {
            prop_assert_eq!(e.to_bytes(), bytes.clone());
        }
        if let Ok(d) = SignedDerivative::decode(&bytes) {
            prop_assert_eq!(d.to_bytes(), bytes.clone());
        }
    }

    #[test]
    fn a_flipped_bit_anywhere_in_a_signed_manifest_never_verifies(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let bytes = fx::capture().signed.to_bytes();
        let mut b = bytes.clone();
        b[pos.index(bytes.len())] ^= 1 << bit;
        prop_assert!(SignedManifest::decode(&b).map(|s| s.verify().is_ok()) != Ok(true));
    }
}
