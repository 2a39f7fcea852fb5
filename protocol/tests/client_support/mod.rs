//! Fixed instances of the client-to-client formats (invites, content, safety
//! number keys), shared by the vector, property and corpus tests. Values are
//! chosen to read well in hex: identifiers repeat one ASCII letter, opaque
//! MLS bytes are ASCII placeholders.

#![allow(dead_code)] // each test crate uses a different part of this module

use sanad_protocol::content::{AgeIdentity, FileRef, GroupMailbox, GroupWelcome, OwnerSeed};
use sanad_protocol::{BlobId, Content, Invite, ReceiveId, RelayAddress, SendId, SpkiPin};

/// Where the vector files live.
pub const VECTORS_SUBDIR: &str = "tests/vectors/client-formats";

/// 2023-11-21T22:13:20Z: a week after the timestamp of the frame vectors.
pub const EXPIRES_AT: u64 = 1_700_604_800;

/// The X25519 secret whose public key the example invites carry (the same
/// recipient as the envelope vector).
pub const SEAL_SECRET: [u8; 32] = [0x11; 32];

/// A stand-in for a TLS-serialized MLS KeyPackage: opaque to these formats.
pub const KEY_PACKAGE: &[u8] = b"MLS KeyPackage (opaque)";

/// An age identity of the right shape (not a usable key).
pub const AGE_IDENTITY: &str =
    "AGE-SECRET-KEY-1QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KHCE";

/// Seed of the example group mailbox's owner key: bytes 0x00..=0x1f.
pub const OWNER_SEED: [u8; 32] = {
    let mut s = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        s[i] = i as u8;
        i += 1;
    }
    s
};

pub fn seal_key() -> [u8; 32] {
    x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(SEAL_SECRET)).to_bytes()
}

pub fn relay_name() -> RelayAddress {
    RelayAddress {
        host: "relay.example.org".into(),
        port: 443,
        pin: SpkiPin([0x01; 32]),
    }
}

pub fn relay_ipv6() -> RelayAddress {
    RelayAddress {
        host: "2001:db8::7".into(),
        port: 7443,
        pin: SpkiPin([0xfe; 32]),
    }
}

pub fn invite() -> Invite {
    Invite {
        relay: relay_name(),
        send_id: SendId([b'S'; 16]),
        seal_key: seal_key(),
        key_package: KEY_PACKAGE.to_vec(),
        expires_at: EXPIRES_AT,
    }
}

pub fn invite_ipv6() -> Invite {
    Invite {
        relay: relay_ipv6(),
        ..invite()
    }
}

pub fn text() -> Content {
    Content::Text {
        body: "Hello from Tunis".into(),
    }
}

pub fn text_arabic() -> Content {
    Content::Text {
        body: "مرحبا من تونس".into(),
    }
}

pub fn file_ref() -> FileRef {
    FileRef {
        blob_id: BlobId([b'B'; 32]),
        blob_len: 1_048_576,
        cipher_len: 1_000_250,
        age_identity: AgeIdentity::new(AGE_IDENTITY.into()).expect("identity of the right shape"),
        name: "شهادة-2024.jpg".into(),
        media_type: "image/jpeg".into(),
        size: 1_000_000,
        sha256: [0x5a; 32],
    }
}

pub fn file() -> Content {
    Content::File(file_ref())
}

pub fn hello() -> Content {
    Content::Hello {
        display_name: "Amal".into(),
        key_packages: vec![b"key package 1".to_vec(), b"key package 2".to_vec()],
    }
}

pub fn group_welcome() -> GroupWelcome {
    GroupWelcome {
        welcome: b"MLS Welcome (opaque)".to_vec(),
        mailbox: GroupMailbox {
            receive_id: ReceiveId([b'R'; 16]),
            send_id: SendId([b'S'; 16]),
            owner_seed: OwnerSeed::from_bytes(OWNER_SEED),
        },
        group_name: "Tunis desk".into(),
        from_name: "Amal".into(),
    }
}

pub fn welcome() -> Content {
    Content::Welcome(group_welcome())
}

pub fn welcome_one_to_one() -> Content {
    Content::Welcome(GroupWelcome {
        group_name: String::new(),
        ..group_welcome()
    })
}

/// One instance of every content kind, named.
pub fn contents() -> Vec<(&'static str, Content)> {
    vec![
        ("text", text()),
        ("text_arabic", text_arabic()),
        ("file", file()),
        ("hello", hello()),
        ("welcome", welcome()),
        ("welcome_one_to_one", welcome_one_to_one()),
    ]
}
