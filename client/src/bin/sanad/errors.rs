//! Failures as one sentence a person can act on, in their language.

use sanad_client::i18n::Localizer;
use sanad_client::messenger::MessengerError;
use sanad_client::mls::MlsError;
use sanad_client::profile::ProfileError;
use sanad_client::{t, ClientError};
use sanad_protocol::invite::InviteError;
use sanad_protocol::ErrorCode;

use crate::qr::QrTooLong;
use crate::secrets::ConfirmNeedsTerminal;

/// The sentence for `e`. Never contains secrets or message contents.
pub fn describe(loc: &Localizer, e: &MessengerError) -> String {
    match e {
        MessengerError::Client(c) => client(loc, c),
        MessengerError::Profile(p) => profile(loc, p),
        MessengerError::Invite(i) => match i {
            InviteError::Expired { .. } => t!(loc, "error-invite-expired"),
            InviteError::NotAnInvite => t!(loc, "error-invite-not"),
            InviteError::Damaged => t!(loc, "error-invite-damaged"),
            InviteError::UnsupportedVersion(_) => t!(loc, "error-invite-version"),
            InviteError::BadRelayAddress(_) => t!(loc, "error-relay-address"),
            _ => t!(loc, "error-invite-damaged"),
        },
        MessengerError::OtherRelay => t!(loc, "error-other-relay"),
        MessengerError::OwnInvite => t!(loc, "error-own-invite"),
        MessengerError::AlreadyContact => t!(loc, "error-already-contact"),
        MessengerError::UnknownName => t!(loc, "error-unknown-name"),
        MessengerError::UnknownMessage => t!(loc, "error-unknown-message"),
        MessengerError::NotAFile => t!(loc, "error-not-a-file"),
        MessengerError::NameTaken => t!(loc, "error-name-taken"),
        MessengerError::InvalidName => t!(loc, "error-invalid-name"),
        MessengerError::NoKeyPackage => t!(loc, "error-no-key-package"),
        MessengerError::AlreadyMember => t!(loc, "error-already-member"),
        MessengerError::NotAMember => t!(loc, "error-not-a-member"),
        MessengerError::NotMember => t!(loc, "error-not-member"),
        MessengerError::NotATeam => t!(loc, "error-not-a-team"),
        MessengerError::Integrity => t!(loc, "error-integrity"),
        MessengerError::PassphraseRequired => t!(loc, "error-passphrase-required"),
        MessengerError::PassphraseMismatch => t!(loc, "error-passphrase-mismatch"),
        MessengerError::PassphraseTooShort => {
            t!(
                loc,
                "error-passphrase-short",
                min = crate::secrets::MIN_PASSPHRASE_CHARS
            )
        }
        MessengerError::Mls(MlsError::PendingCommit) => t!(loc, "error-commit-conflict"),
        MessengerError::Mls(_) => t!(loc, "error-mls", detail = e.to_string()),
        MessengerError::Io(io) => file(loc, io),
        MessengerError::NotARegularFile => t!(loc, "error-not-regular-file"),
        MessengerError::FileChanged => t!(loc, "error-file-changed"),
        MessengerError::FileTooLarge => t!(loc, "error-file-too-large"),
        MessengerError::Store(_) | MessengerError::CorruptRecord => t!(loc, "error-store"),
        MessengerError::UnknownEvidence => t!(loc, "error-unknown-evidence"),
        MessengerError::NoEvidenceDesk => t!(loc, "error-no-evidence-desk"),
        MessengerError::EmptyTestimony => t!(loc, "error-empty-testimony"),
        MessengerError::TestimonyNotText => t!(loc, "error-testimony-not-text"),
        MessengerError::BadDeviceKey => t!(loc, "error-bad-device-key"),
        MessengerError::BadLogKey => t!(loc, "error-bad-log-key"),
        MessengerError::BadField(name) => t!(loc, "error-bad-field", name = name.as_str()),
        MessengerError::Manifest(m) => t!(loc, "error-manifest", detail = m.to_string()),
        MessengerError::EvidenceNotVerified => t!(loc, "error-evidence-not-verified"),
        MessengerError::DeviceNotEnrolled => t!(loc, "error-device-not-enrolled"),
        MessengerError::ExportDidNotVerify(id) => {
            t!(loc, "error-export-did-not-verify", error = *id)
        }
        MessengerError::TsaCertCount => t!(loc, "error-tsa-cert-count"),
        MessengerError::BadCertificate => t!(loc, "error-bad-certificate"),
        MessengerError::NoBundles => t!(loc, "error-no-bundles"),
        MessengerError::Anchor(a) => t!(loc, "error-anchor", detail = a.to_string()),
        MessengerError::Redact(r) => t!(loc, "error-redact", detail = r.to_string()),
        _ => t!(loc, "error-other", detail = e.to_string()),
    }
}

fn client(loc: &Localizer, e: &ClientError) -> String {
    match e {
        ClientError::PinMismatch => t!(loc, "error-pin-mismatch"),
        ClientError::Unreachable { quic, tcp } => {
            let tried = match (quic.is_some(), tcp.is_some()) {
                (true, true) => t!(loc, "tried-both"),
                (true, false) => t!(loc, "tried-quic"),
                (false, true) => t!(loc, "tried-tcp"),
                (false, false) => t!(loc, "tried-none"),
            };
            t!(loc, "error-unreachable", tried = tried)
        }
        ClientError::Transport { .. } => t!(loc, "error-connection-lost"),
        ClientError::Relay { code, value } => match code {
            ErrorCode::MailboxFullCount | ErrorCode::MailboxFullBytes => t!(loc, "error-quota"),
            ErrorCode::StorageFull => t!(loc, "error-relay-full"),
            ErrorCode::MessageTooLarge | ErrorCode::BlobTooLarge => {
                t!(
                    loc,
                    "error-too-large",
                    limit = crate::output::size(loc, *value)
                )
            }
            ErrorCode::UnknownMailbox => t!(loc, "error-unknown-mailbox"),
            ErrorCode::UnknownBlob => t!(loc, "error-unknown-blob"),
            ErrorCode::ShuttingDown => t!(loc, "error-relay-stopping"),
            _ => t!(loc, "error-relay-refused", code = code.to_string()),
        },
        _ => t!(loc, "error-other", detail = e.to_string()),
    }
}

fn profile(loc: &Localizer, e: &ProfileError) -> String {
    match e {
        ProfileError::WrongPassphrase => t!(loc, "error-wrong-passphrase"),
        ProfileError::NotFound => t!(loc, "error-no-profile"),
        ProfileError::InUse => t!(loc, "error-profile-in-use"),
        ProfileError::AlreadyExists => t!(loc, "error-profile-exists"),
        ProfileError::DirectoryNotEmpty => t!(loc, "error-profile-dir-not-empty"),
        ProfileError::EmptyPassphrase => t!(loc, "error-passphrase-required"),
        ProfileError::CorruptKeyFile(_) => t!(loc, "error-key-file-damaged"),
        ProfileError::UnsupportedVersion(_) => t!(loc, "error-profile-newer"),
        ProfileError::CorruptStore(_) | ProfileError::Store(_) => t!(loc, "error-store"),
        ProfileError::Incomplete => t!(loc, "error-profile-incomplete"),
        ProfileError::NoDefaultLocation => t!(loc, "error-no-default-location"),
        ProfileError::Io(io) => file(loc, io),
        _ => t!(loc, "error-profile", detail = e.to_string()),
    }
}

/// A local file failure: the sentence for its kind, the system's own words
/// (in English) only for the rare rest.
fn file(loc: &Localizer, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    if let Some(inner) = e.get_ref() {
        if inner.is::<ConfirmNeedsTerminal>() {
            return t!(loc, "error-confirm-needs-terminal");
        }
        if inner.is::<QrTooLong>() {
            return t!(loc, "error-qr-too-long");
        }
    }
    match e.kind() {
        ErrorKind::NotFound => t!(loc, "error-file-not-found"),
        ErrorKind::PermissionDenied => t!(loc, "error-file-permission"),
        ErrorKind::AlreadyExists => t!(loc, "error-file-exists"),
        _ => t!(loc, "error-io", detail = e.to_string()),
    }
}
