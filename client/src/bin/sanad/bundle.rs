//! Bundles: `sanad evidence export`, `sanad evidence redact`, `sanad anchor`
//! (desk, with a profile) and `sanad verify` (anyone: no profile, no
//! network, no secrets).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ArgMatches;
use sanad_client::messenger::{parse_device_key, MessengerError};
use sanad_client::t;
use sanad_protocol::evidence::{
    check_device_chain, verify::NotRun, verify_bundle, CheckId, Outcome, Verdict, VerifyOptions,
};

use crate::output::{self, Out};
use crate::{arg, open};

/// The most bundles `sanad verify DIR` checks at once.
const MAX_BUNDLES_IN_DIR: usize = 10_000;
/// The largest certificate file read.
const MAX_CERT_FILE: u64 = 64 * 1024;

pub async fn export(
    m: &ArgMatches,
    args: &ArgMatches,
    out: &Out<'_>,
) -> Result<(), MessengerError> {
    let loc = out.loc();
    let ids: Vec<String> = args
        .get_many::<String>("ids")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let dir = PathBuf::from(arg(args, "out"));
    let mut messenger = open(m, out).await?;
    out.status(&t!(loc, "export-working"));
    let view = messenger.export_evidence(&ids, &dir, loc.lang()).await?;
    messenger.close().await;
    out.json_or(&view, || {
        for b in &view.bundles {
            out.line(&t!(loc, "export-bundle", path = b.display().to_string()));
        }
        out.line(&t!(
            loc,
            "export-report",
            path = view.report.display().to_string()
        ));
        out.status(&t!(
            loc,
            "export-hint",
            path = view.directory.display().to_string()
        ));
    });
    Ok(())
}

pub async fn redact(
    m: &ArgMatches,
    args: &ArgMatches,
    out: &Out<'_>,
) -> Result<(), MessengerError> {
    let loc = out.loc();
    let path = PathBuf::from(arg(args, "out"));
    let mut messenger = open(m, out).await?;
    let view = messenger.redact_evidence(&arg(args, "id"), &path).await?;
    out.json_or(&view, || {
        out.line(&t!(
            loc,
            "redact-done",
            path = view.path.display().to_string(),
            size = output::size(loc, view.size),
            removed = view.removed.len()
        ));
        out.status(&t!(loc, "redact-hint"));
    });
    Ok(())
}

pub async fn anchor(
    m: &ArgMatches,
    args: &ArgMatches,
    out: &Out<'_>,
) -> Result<(), MessengerError> {
    let loc = out.loc();
    let urls: Vec<String> = args
        .get_many::<String>("tsa")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    let certs: Vec<String> = args
        .get_many::<String>("tsa-cert")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if urls.len() != certs.len() {
        return Err(MessengerError::TsaCertCount);
    }
    let mut authorities = Vec::new();
    for (url, cert) in urls.into_iter().zip(certs) {
        authorities.push((url, read_certificate(Path::new(&cert))?));
    }
    let mut messenger = open(m, out).await?;
    let views = messenger.anchor_log(&authorities).await?;
    messenger.close().await;
    out.json_or(&views, || {
        for v in &views {
            out.line(&t!(
                loc,
                "anchor-done",
                authority = &v.authority,
                date = output::date_time(loc, v.time),
                size = v.tree_size
            ));
        }
    });
    Ok(())
}

/// A relay's log key as `sanad-relay log-key` prints it (a C2SP verifier
/// key line), checked to be exactly the line of a Sanad log key (its name
/// is the one derived from the key).
fn parse_log_key(line: &str) -> Result<sanad_protocol::LogKey, MessengerError> {
    let line = line.trim();
    let verifier = sanad_protocol::log::note::NoteVerifier::from_vkey(line)
        .map_err(|_| MessengerError::BadLogKey)?;
    let key = sanad_protocol::LogKey::new(*verifier.public_key());
    if key.verifier().to_vkey() != line {
        return Err(MessengerError::BadLogKey);
    }
    Ok(key)
}

/// A certificate file, PEM or DER, as DER.
fn read_certificate(path: &Path) -> Result<Vec<u8>, MessengerError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_CERT_FILE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CERT_FILE {
        return Err(MessengerError::BadCertificate);
    }
    if let Ok(text) = std::str::from_utf8(&bytes) {
        if let Some(start) = text.find("-----BEGIN CERTIFICATE-----") {
            let body = &text[start + "-----BEGIN CERTIFICATE-----".len()..];
            let end = body
                .find("-----END CERTIFICATE-----")
                .ok_or(MessengerError::BadCertificate)?;
            let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
            use base64::Engine as _;
            return base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| MessengerError::BadCertificate);
        }
    }
    Ok(bytes)
}

/// `sanad verify BUNDLE|DIR`: exit 0 only when every bundle verifies.
pub fn verify(args: &ArgMatches, out: &Out<'_>) -> ExitCode {
    let loc = out.loc();
    match verify_inner(args, out) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            out.error(&crate::errors::describe(loc, &e));
            ExitCode::from(2)
        }
    }
}

#[derive(serde::Serialize)]
struct CheckJson {
    check: String,
    outcome: &'static str,
    error: Option<&'static str>,
    detail: Option<String>,
}

#[derive(serde::Serialize)]
struct BundleJson {
    bundle: String,
    verified: bool,
    checks: Vec<CheckJson>,
    evidence_id: Option<String>,
    case_reference: Option<String>,
    content_sha256: Option<String>,
    device: Option<String>,
    organisation: Option<String>,
    not_before: Option<u64>,
    not_after_relay: Option<u64>,
    not_after_tsa: Option<u64>,
}

fn verify_inner(args: &ArgMatches, out: &Out<'_>) -> Result<bool, MessengerError> {
    let loc = out.loc();
    let mut opts = VerifyOptions::default();
    for hex in args.get_many::<String>("desk-key").into_iter().flatten() {
        opts.trusted_desk_keys
            .push(parse_device_key(hex).ok_or(MessengerError::BadDeviceKey)?);
    }
    for path in args.get_many::<String>("tsa-cert").into_iter().flatten() {
        opts.tsa_certs.push(read_certificate(Path::new(path))?);
    }
    for line in args.get_many::<String>("log-key").into_iter().flatten() {
        opts.trusted_log_keys.push(parse_log_key(line)?);
    }
    let target = PathBuf::from(arg(args, "bundle"));
    let bundles = bundles_at(&target)?;
    let mut all_ok = true;
    let mut json = Vec::new();
    let mut chain = Vec::new();
    for path in &bundles {
        let file = File::open(path)?;
        let verdict = verify_bundle(BufReader::new(file), &opts);
        all_ok &= verdict.verified().is_some();
        if let Some(v) = verdict.verified() {
            chain.push(v.chain_item());
        }
        if out.is_json() {
            json.push(bundle_json(path, &verdict));
        } else {
            print_verdict(out, path, &verdict);
        }
    }
    // Several bundles: one device's items form a numbered chain. A replay,
    // a fork or a broken link fails; a gap only means that items of the
    // device are not in this set (an export of some items).
    if bundles.len() > 1 {
        let report = check_device_chain(chain.iter().copied());
        let broken = report.duplicate_ids.len() + report.forks.len() + report.broken_links.len();
        if broken > 0 {
            all_ok = false;
            out.warn(&t!(
                loc,
                "verify-chain-broken",
                replayed = report.duplicate_ids.len(),
                forks = report.forks.len(),
                links = report.broken_links.len()
            ));
        } else {
            out.status(&t!(loc, "verify-chain-ok", count = chain.len()));
        }
        if !report.gaps.is_empty() {
            out.status(&t!(loc, "verify-chain-gaps", gaps = report.gaps.len()));
        }
    }
    if out.is_json() {
        out.json_or(&json, || {});
    } else if all_ok {
        out.line(&t!(loc, "verify-all-ok", count = bundles.len()));
    } else {
        out.line(&t!(loc, "verify-not-ok"));
    }
    Ok(all_ok)
}

/// The bundle given, or every `.zip` in the directory given.
fn bundles_at(target: &Path) -> Result<Vec<PathBuf>, MessengerError> {
    if !target.is_dir() {
        return Ok(vec![target.to_path_buf()]);
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(target)? {
        let path = entry?.path();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
            && path.is_file()
        {
            found.push(path);
            if found.len() > MAX_BUNDLES_IN_DIR {
                return Err(MessengerError::NoBundles);
            }
        }
    }
    if found.is_empty() {
        return Err(MessengerError::NoBundles);
    }
    found.sort();
    Ok(found)
}

fn outcome_text(o: &Outcome) -> (&'static str, Option<&'static str>) {
    match o {
        Outcome::Passed => ("passed", None),
        Outcome::Failed(e) => ("failed", Some(e.id())),
        Outcome::NotRun(NotRun::EarlierFailure) => ("not-run-earlier-failure", None),
        Outcome::NotRun(NotRun::NotPinned) => ("not-run-not-pinned", None),
        Outcome::NotRun(NotRun::NoSeenCheckpoint) => ("not-run-no-seen-checkpoint", None),
        Outcome::NotRun(NotRun::NoTime) => ("not-run-no-time", None),
        Outcome::NotRun(NotRun::NoTsaCertificates) => ("not-run-no-tsa-certificates", None),
    }
}

fn bundle_json(path: &Path, verdict: &Verdict) -> BundleJson {
    let checks = verdict
        .checks
        .iter()
        .map(|c| {
            let (outcome, error) = outcome_text(&c.outcome);
            CheckJson {
                check: c.id.name(),
                outcome,
                error,
                detail: match &c.outcome {
                    Outcome::Failed(e) => Some(e.to_string()),
                    _ => None,
                },
            }
        })
        .collect();
    let v = verdict.verified();
    BundleJson {
        bundle: path.display().to_string(),
        verified: v.is_some(),
        checks,
        evidence_id: v.map(|v| v.manifest().manifest().evidence_id.to_hex()),
        case_reference: v.map(|v| v.manifest().manifest().case_ref.clone()),
        content_sha256: v.map(|v| hex(&v.manifest().manifest().content_sha256)),
        device: v.map(|v| v.enrolment().record().device_label.clone()),
        organisation: v.map(|v| v.enrolment().record().organisation.clone()),
        not_before: v.and_then(|v| v.window().not_before),
        not_after_relay: v.and_then(|v| v.window().not_after_relay),
        not_after_tsa: v.and_then(|v| v.window().not_after_tsa),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn print_verdict(out: &Out<'_>, path: &Path, verdict: &Verdict) {
    let loc = out.loc();
    out.line(&t!(loc, "verify-bundle", path = path.display().to_string()));
    for c in &verdict.checks {
        let name = check_name(out, c.id);
        match &c.outcome {
            Outcome::Passed => out.line(&t!(loc, "verify-check-passed", check = name)),
            Outcome::Failed(e) => out.warn(&t!(
                loc,
                "verify-check-failed",
                check = name,
                error = e.id(),
                reason = failure_text(out, e)
            )),
            Outcome::NotRun(_) => {
                let (code, _) = outcome_text(&c.outcome);
                out.line(&t!(
                    loc,
                    "verify-check-not-run",
                    check = name,
                    reason = t!(loc, "verify-not-run", reason = code)
                ))
            }
        }
    }
    match verdict.verified() {
        Some(v) => {
            let m = v.manifest().manifest();
            let e = v.enrolment().record();
            out.line(&t!(
                loc,
                "verify-ok",
                device = e.device_label.as_str(),
                org = e.organisation.as_str(),
                case = m.case_ref.as_str()
            ));
            out.line(&t!(loc, "verify-hash", hash = hex(&m.content_sha256)));
            let w = v.window();
            out.line(&t!(
                loc,
                "verify-device-time",
                date = output::date_time(loc, w.device_time)
            ));
            if let Some(t) = w.not_before {
                out.line(&t!(
                    loc,
                    "verify-not-before",
                    date = output::date_time(loc, t)
                ));
            }
            if let Some(t) = w.not_after_relay {
                out.line(&t!(
                    loc,
                    "verify-not-after-relay",
                    date = output::date_time(loc, t)
                ));
            }
            for a in v.anchors() {
                out.line(&t!(
                    loc,
                    "verify-not-after-tsa",
                    date = output::date_time(loc, a.tsa_time),
                    authority = a.tsa_name.as_str()
                ));
            }
            if !v.desk_key_pinned() {
                out.warn(&t!(loc, "verify-desk-key-not-pinned"));
            }
        }
        None => out.warn(&t!(loc, "verify-bundle-failed")),
    }
}

fn check_name(out: &Out<'_>, id: CheckId) -> String {
    let loc = out.loc();
    match id {
        CheckId::Anchor(n) => t!(loc, "verify-name-anchor", n = n),
        CheckId::Derivative(n) => t!(loc, "verify-name-derivative", n = n),
        other => t!(loc, "check-name", check = other.name()),
    }
}

/// The failure in the reader's language (the stable ID is printed beside
/// it, for scripts and for the format's documentation).
pub(crate) fn failure_text(out: &Out<'_>, e: &sanad_protocol::evidence::BundleError) -> String {
    let loc = out.loc();
    t!(loc, "verify-failure", error = e.id())
}
