//! Properties of the client-to-client formats: every invite and every kind of
//! content round-trips; any truncation, trailing byte or flipped bit is an
//! error and never a panic; whatever a decoder accepts re-encodes to exactly
//! its input; saved file names are safe; safety numbers are symmetric and
//! match however they are typed.

mod client_support;

use std::net::{Ipv4Addr, Ipv6Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use sanad_protocol::content::{
    is_valid_display_name, kind, sanitize_file_name, AgeIdentity, FileRef, GroupMailbox,
    GroupWelcome, OwnerSeed, AGE_IDENTITY_PREFIX, CONTENT_VERSION,
};
use sanad_protocol::invite::{checksum, INVITE_PREFIX};
use sanad_protocol::limits::{
    MAX_AGE_IDENTITY_LEN, MAX_BLOB_LEN, MAX_DISPLAY_NAME_LEN, MAX_FILE_NAME_LEN,
    MAX_GROUP_NAME_LEN, MAX_HELLO_KEY_PACKAGES, MAX_KEY_PACKAGE_LEN, MAX_MEDIA_TYPE_LEN,
    MAX_TEXT_LEN, MAX_WELCOME_LEN,
};
use sanad_protocol::{
    BlobId, Content, ContentError, Invite, InviteError, ReceiveId, RelayAddress, SafetyNumber,
    SendId, SpkiPin,
};

/// Failures are saved to `protocol/proptest-regressions/client_formats.txt`
/// and replayed first on every run.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/client_formats.txt",
        ))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- strategies

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\\.[a-z]{2,8}){0,3}",
        any::<[u8; 4]>().prop_map(|b| Ipv4Addr::from(b).to_string()),
        any::<[u8; 16]>().prop_map(|b| Ipv6Addr::from(b).to_string()),
        Just("a".repeat(sanad_protocol::limits::MAX_HOST_LEN)),
    ]
}

fn relay() -> impl Strategy<Value = RelayAddress> {
    (host(), 1..=u16::MAX, any::<[u8; 32]>()).prop_map(|(host, port, pin)| RelayAddress {
        host,
        port,
        pin: SpkiPin(pin),
    })
}

/// Mostly small, sometimes exactly `max` bytes.
fn opaque(min: usize, max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        30 => vec(any::<u8>(), min..=600.min(max)),
        1 => Just(vec![0xa5; max]),
    ]
}

fn invite() -> impl Strategy<Value = Invite> {
    (
        relay(),
        any::<[u8; 16]>(),
        any::<[u8; 32]>(),
        opaque(1, MAX_KEY_PACKAGE_LEN),
        any::<u64>(),
    )
        .prop_map(
            |(relay, send_id, seal_key, key_package, expires_at)| Invite {
                relay,
                send_id: SendId(send_id),
                seal_key,
                key_package,
                expires_at,
            },
        )
}

/// UTF-8 of at most `max` bytes: any characters, cut at a char boundary.
fn utf8(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        20 => any::<String>().prop_map(move |s| cut(s, max)),
        5 => "[ -~\u{600}-\u{6ff}]{0,40}".prop_map(move |s| cut(s, max)),
        1 => Just("x".repeat(max)),
    ]
}

fn cut(mut s: String, max: usize) -> String {
    while s.len() > max {
        s.pop();
    }
    s
}

fn display_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z\u{621}-\u{64a}][A-Za-z0-9 \u{621}-\u{64a}().-]{0,30}",
        Just("x".repeat(MAX_DISPLAY_NAME_LEN)),
    ]
    .prop_filter("valid display name", |n| is_valid_display_name(n))
}

fn group_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9 \u{621}-\u{64a}]{1,60}",
        Just("x".repeat(MAX_GROUP_NAME_LEN)),
    ]
}

fn age_identity() -> impl Strategy<Value = AgeIdentity> {
    let max = MAX_AGE_IDENTITY_LEN - AGE_IDENTITY_PREFIX.len();
    proptest::string::string_regex(&format!("[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{{1,{max}}}"))
        .expect("regex")
        .prop_map(|data| {
            AgeIdentity::new(format!("{AGE_IDENTITY_PREFIX}{data}")).expect("identity shape")
        })
}

fn file_ref() -> impl Strategy<Value = FileRef> {
    (1..=MAX_BLOB_LEN)
        .prop_flat_map(|blob_len| (Just(blob_len), 1..=blob_len))
        .prop_flat_map(|(blob_len, cipher_len)| (Just(blob_len), Just(cipher_len), 0..=cipher_len))
        .prop_flat_map(|(blob_len, cipher_len, size)| {
            (
                any::<[u8; 32]>(),
                age_identity(),
                utf8(MAX_FILE_NAME_LEN),
                "[ -~]{0,40}",
                any::<[u8; 32]>(),
            )
                .prop_map(move |(blob_id, age_identity, name, media_type, sha256)| {
                    FileRef {
                        blob_id: BlobId(blob_id),
                        blob_len,
                        cipher_len,
                        age_identity,
                        name,
                        media_type,
                        size,
                        sha256,
                    }
                })
        })
}

fn any_content() -> impl Strategy<Value = Content> {
    prop_oneof![
        utf8(MAX_TEXT_LEN).prop_map(|body| Content::Text { body }),
        file_ref().prop_map(Content::File),
        (
            display_name(),
            prop_oneof![
                10 => vec(opaque(1, MAX_KEY_PACKAGE_LEN), 0..=3),
                1 => vec(vec(any::<u8>(), 1..=8), MAX_HELLO_KEY_PACKAGES),
            ]
        )
            .prop_map(|(display_name, key_packages)| Content::Hello {
                display_name,
                key_packages
            }),
        (
            opaque(1, MAX_WELCOME_LEN),
            any::<([u8; 16], [u8; 16], [u8; 32])>(),
            group_name(),
            display_name()
        )
            .prop_map(|(welcome, (r, s, seed), group_name, from_name)| {
                Content::Welcome(GroupWelcome {
                    welcome,
                    mailbox: GroupMailbox {
                        receive_id: ReceiveId(r),
                        send_id: SendId(s),
                        owner_seed: OwnerSeed::from_bytes(seed),
                    },
                    group_name,
                    from_name,
                })
            }),
    ]
}

fn encode(c: &Content) -> Vec<u8> {
    c.encode()
        .expect("generated content is within the limits")
        .to_vec()
}

// ------------------------------------------------------------------ invites

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_invite_round_trips_through_its_text_and_its_bytes(i in invite()) {
        let bytes = i.to_bytes().expect("encodes");
        prop_assert_eq!(Invite::from_bytes(&bytes), Ok(i.clone()));
        let text = i.to_text().expect("encodes");
        prop_assert!(text.starts_with(INVITE_PREFIX));
        prop_assert_eq!(&text[INVITE_PREFIX.len()..], URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert_eq!(Invite::parse(&text), Ok(i.clone()));
        prop_assert_eq!(i.to_qr_payload(), Ok(text));
    }

    #[test]
    fn white_space_pasted_anywhere_in_an_invite_is_ignored(
        i in invite(),
        breaks in vec((any::<prop::sample::Index>(), prop_oneof![
            Just(" "), Just("\n"), Just("\r\n"), Just("\t"), Just("  \n  ")
        ]), 0..20),
    ) {
        let text = i.to_text().expect("encodes");
        let mut messy = text.clone();
        for (at, ws) in breaks {
            messy.insert_str(at.index(messy.len() + 1), ws);
        }
        prop_assert_eq!(Invite::parse(&messy), Ok(i));
    }

    #[test]
    fn every_truncated_invite_is_an_error_never_a_panic(i in invite(), at in any::<prop::sample::Index>()) {
        let bytes = i.to_bytes().expect("encodes");
        for n in 0..bytes.len() {
            prop_assert!(Invite::from_bytes(&bytes[..n]).is_err(), "prefix of {} bytes", n);
        }
        let text = i.to_text().expect("encodes");
        let n = at.index(text.len());
        prop_assert!(Invite::parse(&text[..n]).is_err(), "text cut at {}", n);
    }

    #[test]
    fn an_extra_trailing_byte_or_character_makes_an_invite_an_error(
        i in invite(),
        extra in any::<u8>(),
        c in "[A-Za-z0-9_-]",
    ) {
        let mut bytes = i.to_bytes().expect("encodes");
        bytes.push(extra);
        prop_assert!(Invite::from_bytes(&bytes).is_err());
        let text = i.to_text().expect("encodes") + &c;
        prop_assert!(Invite::parse(&text).is_err());
    }

    #[test]
    fn flipping_any_bit_of_an_invite_is_detected(
        i in invite(),
        at in any::<prop::sample::Index>(),
        bit in 0..8u8,
    ) {
        let mut bytes = i.to_bytes().expect("encodes");
        let n = at.index(bytes.len());
        bytes[n] ^= 1 << bit;
        let e = Invite::from_bytes(&bytes).expect_err("bit flip accepted");
        prop_assert!(
            matches!(e, InviteError::Damaged | InviteError::UnsupportedVersion(_)),
            "{:?}", e
        );
    }

    #[test]
    fn random_text_never_panics_the_invite_parser(
        s in prop_oneof![".{0,300}", "(?i:sanad-invite:)[A-Za-z0-9_ \n-]{0,600}"],
    ) {
        if let Ok(i) = Invite::parse(&s) {
            prop_assert_eq!(Invite::parse(&i.to_text().expect("encodes")), Ok(i));
        }
    }

    /// With a correct checksum the field parser itself is reached: whatever
    /// it accepts is the one encoding of its invite.
    #[test]
    fn checksummed_random_bodies_decode_canonically_or_fail(
        body in prop_oneof![
            vec(any::<u8>(), 0..200),
            (relay(), vec(any::<u8>(), 0..120)).prop_map(|(r, tail)| {
                let r = r.to_string();
                let mut b = vec![1];
                b.extend_from_slice(&(r.len() as u16).to_be_bytes());
                b.extend_from_slice(r.as_bytes());
                b.extend_from_slice(&tail);
                b
            }),
        ],
    ) {
        let mut bytes = body.clone();
        bytes.extend_from_slice(&checksum(&body));
        if let Ok(i) = Invite::from_bytes(&bytes) {
            prop_assert_eq!(i.to_bytes().expect("encodes"), bytes);
        }
    }
}

// ------------------------------------------------------------------ content

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_content_round_trips(c in any_content()) {
        let bytes = encode(&c);
        prop_assert_eq!(bytes[0], CONTENT_VERSION);
        prop_assert_eq!(bytes[1], c.kind());
        prop_assert_eq!(Content::decode(&bytes), Ok(c));
    }

    #[test]
    fn every_truncated_content_is_an_error_never_a_panic(
        c in any_content(),
        cuts in vec(any::<prop::sample::Index>(), 8),
    ) {
        let bytes = encode(&c);
        let mut ns: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len())).collect();
        ns.extend([0, 1, 2, bytes.len() - 1]);
        for n in ns {
            prop_assert!(
                matches!(Content::decode(&bytes[..n]), Err(ContentError::Malformed(_))),
                "prefix of {} bytes", n
            );
        }
    }

    #[test]
    fn an_extra_trailing_byte_makes_content_an_error(c in any_content(), extra in any::<u8>()) {
        let mut bytes = encode(&c);
        bytes.push(extra);
        prop_assert!(matches!(Content::decode(&bytes), Err(ContentError::Malformed(_))));
    }

    #[test]
    fn random_bytes_never_panic_the_content_decoder(
        head in prop_oneof![Just(vec![]), (1..=5u8).prop_map(|k| vec![CONTENT_VERSION, k])],
        tail in vec(any::<u8>(), 0..600),
    ) {
        let bytes = [head, tail].concat();
        if let Ok(c) = Content::decode(&bytes) {
            prop_assert_eq!(encode(&c), bytes);
        }
    }

    #[test]
    fn mutated_content_decodes_canonically_or_fails(
        c in any_content(),
        at in any::<prop::sample::Index>(),
        value in any::<u8>(),
    ) {
        let mut bytes = encode(&c);
        let n = at.index(bytes.len());
        bytes[n] = value;
        match Content::decode(&bytes) {
            Ok(d) => prop_assert_eq!(encode(&d), bytes),
            Err(ContentError::UnknownKind(k)) => prop_assert!(n == 1 && k == value),
            Err(ContentError::UnsupportedVersion(v)) => prop_assert!(n == 0 && v == value),
            Err(ContentError::Malformed(_)) => {}
        }
    }
}

#[test]
fn the_largest_field_of_every_kind_round_trips_and_one_byte_more_is_refused() {
    let hello = |display_name: String, key_packages| Content::Hello {
        display_name,
        key_packages,
    };
    let welcome = |welcome: Vec<u8>| {
        Content::Welcome(GroupWelcome {
            welcome,
            ..client_support::group_welcome()
        })
    };
    let file = |name: String, media_type: String| {
        Content::File(FileRef {
            name,
            media_type,
            ..client_support::file_ref()
        })
    };
    let x = |n: usize| "x".repeat(n);
    let largest = [
        Content::Text {
            body: x(MAX_TEXT_LEN),
        },
        hello(
            x(MAX_DISPLAY_NAME_LEN),
            vec![vec![7; MAX_KEY_PACKAGE_LEN]; MAX_HELLO_KEY_PACKAGES],
        ),
        welcome(vec![7; MAX_WELCOME_LEN]),
        file(x(MAX_FILE_NAME_LEN), x(MAX_MEDIA_TYPE_LEN)),
    ];
    for c in largest {
        assert_eq!(Content::decode(&encode(&c)), Ok(c));
    }
    let over = [
        Content::Text {
            body: x(MAX_TEXT_LEN + 1),
        },
        hello(x(MAX_DISPLAY_NAME_LEN + 1), vec![]),
        hello(x(1), vec![vec![7; MAX_KEY_PACKAGE_LEN + 1]]),
        hello(x(1), vec![vec![7]; MAX_HELLO_KEY_PACKAGES + 1]),
        welcome(vec![7; MAX_WELCOME_LEN + 1]),
        file(x(MAX_FILE_NAME_LEN + 1), x(1)),
        file(x(1), x(MAX_MEDIA_TYPE_LEN + 1)),
    ];
    for c in over {
        assert!(
            matches!(c.encode(), Err(ContentError::Malformed(_))),
            "{c:?}"
        );
    }
}

/// A declared length over its limit is refused before the bytes it
/// announces are looked for (the input here is only a few bytes long).
#[test]
fn declared_lengths_over_their_limits_are_refused_before_reading() {
    let text_len = (MAX_TEXT_LEN as u32 + 1).to_be_bytes();
    let e = Content::decode(&[[CONTENT_VERSION, kind::TEXT].as_slice(), &text_len].concat());
    assert!(
        matches!(
            e,
            Err(ContentError::Malformed(
                sanad_protocol::DecodeError::TooLong { field: "text", .. }
            ))
        ),
        "{e:?}"
    );
    let welcome_len = (MAX_WELCOME_LEN as u32 + 1).to_be_bytes();
    let e = Content::decode(&[[CONTENT_VERSION, kind::WELCOME].as_slice(), &welcome_len].concat());
    assert!(
        matches!(
            e,
            Err(ContentError::Malformed(
                sanad_protocol::DecodeError::TooLong {
                    field: "welcome",
                    ..
                }
            ))
        ),
        "{e:?}"
    );
}

// -------------------------------------------------------------------- names

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn sanitized_file_names_are_safe_short_and_stable(
        name in prop_oneof![
            any::<String>(),
            "[./\\\\:a \u{202e}\u{2066}\u{0}-\u{1f}]{0,40}",
            "(CON|con|Lpt1|NUL|aux)(\\.[a-z]{0,5}){0,2}",
            ".{200,300}",
        ],
    ) {
        let s = sanitize_file_name(&name);
        prop_assert!(!s.is_empty());
        prop_assert!(s.len() <= MAX_FILE_NAME_LEN);
        prop_assert!(!s.contains(".."));
        prop_assert!(!s.starts_with('.') && !s.ends_with('.'));
        prop_assert!(!s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace));
        prop_assert!(!s.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']));
        let reorders = |c: char| {
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        };
        prop_assert!(!s.contains(reorders), "{:?}", s);
        let stem = s.split('.').next().unwrap_or_default().trim_end().to_ascii_uppercase();
        prop_assert!(!["CON", "PRN", "AUX", "NUL", "LPT1"].contains(&stem.as_str()), "{}", s);
        prop_assert_eq!(sanitize_file_name(&s), s);
    }

    #[test]
    fn a_display_name_is_valid_exactly_when_it_has_no_forbidden_character(
        name in prop_oneof!["\\PC{0,70}", ".{0,10}[\u{202a}-\u{202e}\u{2066}-\u{2069}\n\r\u{0}].{0,10}"],
    ) {
        let is_forbidden = |c: char| {
            c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        };
        let forbidden = name.contains(is_forbidden);
        let expected = !forbidden
            && !name.trim().is_empty()
            && name.len() <= MAX_DISPLAY_NAME_LEN;
        prop_assert_eq!(is_valid_display_name(&name), expected);
    }
}

// ----------------------------------------------------------- safety numbers

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn safety_numbers_are_symmetric_and_match_their_own_forms(
        a in any::<[u8; 32]>(),
        b in any::<[u8; 32]>(),
        at in 0..60usize,
    ) {
        let n = SafetyNumber::new(&a, &b);
        prop_assert_eq!(&n, &SafetyNumber::new(&b, &a));
        prop_assert!(n.matches(n.digits()));
        prop_assert!(n.matches(&n.display()));
        prop_assert!(n.matches(&n.qr_payload()));
        let eastern: String = n.digits().chars()
            .map(|c| char::from_u32(0x06F0 + c as u32 - '0' as u32).expect("digit"))
            .collect();
        prop_assert!(n.matches(&eastern));
        let mut wrong = n.digits().as_bytes().to_vec();
        wrong[at] = if wrong[at] == b'0' { b'1' } else { b'0' };
        prop_assert!(!n.matches(std::str::from_utf8(&wrong).expect("ASCII")));
    }
}
