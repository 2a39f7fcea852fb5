//! `sanad`: end-to-end encrypted messages and files through a Sanad relay.
//!
//! This binary parses arguments, asks for the passphrase, calls
//! `sanad_client::messenger` and prints, in the user's language. Exit codes:
//! 0 success (a message queued while the relay is out of reach is a
//! success: it is stored and leaves with the next sync), 1 failure, 2 bad
//! arguments.

#![forbid(unsafe_code)]

mod bundle;
mod cli;
mod errors;
mod evidence;
mod output;
mod progress;
mod qr;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::ArgMatches;
use sanad_client::i18n::Localizer;
use sanad_client::messenger::{Messenger, MessengerError};
use sanad_client::profile::keyfile::KdfParams;
use sanad_client::profile::ProfileDir;
use sanad_client::{t, ConnectOptions};
use sanad_protocol::invite::Invite;

use output::Out;

/// The `--lang` value, read before the command line is parsed (the help
/// text depends on it).
fn early_lang(args: &[String]) -> Option<String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_owned());
        }
        if a == "--lang" {
            return it.next().cloned();
        }
    }
    None
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let loc = Localizer::from_choice(early_lang(&args).as_deref());
    let matches = match cli::command(&loc).try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                _ => {
                    eprintln!("{}", arguments_error(&loc, &e));
                    ExitCode::from(2)
                }
            };
        }
    };
    let out = Out::new(&loc, matches.get_flag("json"), matches.get_flag("quiet"));
    // The offline verifier: no profile, no network, no runtime.
    if let Some(("verify", sub)) = matches.subcommand() {
        return bundle::verify(sub, &out);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(_) => {
            out.error(&t!(loc, "error-runtime"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&matches, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&errors::describe(&loc, &e));
            ExitCode::FAILURE
        }
    }
}

fn profile_dir(m: &ArgMatches) -> Result<ProfileDir, MessengerError> {
    match m.get_one::<String>("profile") {
        Some(p) => Ok(ProfileDir::new(PathBuf::from(p))),
        None => Ok(ProfileDir::default_location()?),
    }
}

fn options() -> ConnectOptions {
    ConnectOptions::default()
}

pub(crate) async fn open(m: &ArgMatches, out: &Out<'_>) -> Result<Messenger, MessengerError> {
    let dir = profile_dir(m)?;
    let passphrase = secrets::passphrase(m, out.loc(), false)?;
    let mut messenger = Messenger::open(dir, &passphrase, options())?;
    if let Some(p) = progress::bar(out) {
        messenger.set_progress(Arc::new(p));
    }
    Ok(messenger)
}

async fn run(m: &ArgMatches, out: &Out<'_>) -> Result<(), MessengerError> {
    let loc = out.loc();
    let (name, sub) = m.subcommand().ok_or(MessengerError::UnknownName)?;
    match name {
        "init" => {
            let relay_text = arg(sub, "relay");
            let relay = relay_text.parse().map_err(|e| {
                MessengerError::Invite(sanad_protocol::invite::InviteError::BadRelayAddress(e))
            })?;
            let display_name = arg(sub, "name");
            let dir = profile_dir(m)?;
            if dir.exists() {
                return Err(sanad_client::profile::ProfileError::AlreadyExists.into());
            }
            let passphrase = secrets::passphrase(m, loc, true)?;
            out.status(&t!(loc, "init-deriving"));
            let mut messenger = Messenger::create(
                dir,
                &passphrase,
                KdfParams::default(),
                relay,
                &display_name,
                options(),
            )
            .await?;
            let profile = messenger.profile();
            messenger.close().await;
            out.json_or(&profile, || {
                out.line(&t!(loc, "init-done", name = &profile.display_name));
                out.line(&t!(
                    loc,
                    "init-where",
                    path = messenger.dir().path().display().to_string()
                ));
                out.line(&t!(loc, "init-next"));
            });
        }
        "whoami" => {
            let messenger = open(m, out).await?;
            let profile = messenger.profile();
            out.json_or(&profile, || {
                out.line(&t!(loc, "whoami-name", name = &profile.display_name));
                out.line(&t!(loc, "whoami-relay", relay = &profile.relay));
                out.line(&t!(
                    loc,
                    "whoami-profile",
                    path = messenger.dir().path().display().to_string()
                ));
            });
        }
        "invite" => {
            let mut messenger = open(m, out).await?;
            let days = sub.get_one::<u64>("valid-days").copied().unwrap_or(7);
            let invite = messenger.invite(days * 24 * 3600)?;
            let text = invite.to_text()?;
            if let Some(path) = sub.get_one::<String>("qr-svg") {
                std::fs::write(path, qr::svg(&text)?)?;
                out.status(&t!(loc, "invite-svg-written", path = path));
            }
            #[derive(serde::Serialize)]
            struct InviteJson<'a> {
                invite: &'a str,
                expires_at: u64,
            }
            out.json_or(
                &InviteJson {
                    invite: &text,
                    expires_at: invite.expires_at,
                },
                || {
                    if sub.get_flag("qr") {
                        match qr::terminal(&text) {
                            Ok(code) => println!("{code}"),
                            Err(e) => out.warn(&errors::describe(loc, &e)),
                        }
                    }
                    println!("{text}");
                    out.status(&t!(
                        loc,
                        "invite-hint",
                        expires = output::date(loc, invite.expires_at)
                    ));
                },
            );
        }
        "contact" => contact(m, sub, out).await?,
        "send" => {
            let mut messenger = open(m, out).await?;
            let to = arg(sub, "to");
            let line = match sub.get_one::<String>("file") {
                Some(path) => {
                    out.status(&t!(loc, "send-encrypting"));
                    messenger.send_file(&to, std::path::Path::new(path)).await?
                }
                None => {
                    let text = arg(sub, "text");
                    messenger.send_text(&to, &text).await?
                }
            };
            messenger.close().await;
            out.json_or(&line, || match line.state {
                sanad_client::messenger::DeliveryState::Queued => {
                    out.line(&t!(loc, "send-queued", name = &line.conversation))
                }
                _ => out.line(&t!(loc, "send-sent", name = &line.conversation)),
            });
        }
        "sync" => {
            let mut messenger = open(m, out).await?;
            let report = messenger.sync().await?;
            messenger.close().await;
            out.json_or(&report, || {
                for line in &report.received {
                    out.history_line(line);
                }
                for item in &report.evidence {
                    evidence::list_line(out, item);
                }
                if !report.evidence.is_empty() {
                    out.line(&t!(loc, "sync-evidence", count = report.evidence.len()));
                }
                if report.offline {
                    out.line(&t!(loc, "sync-offline", queued = report.queued));
                } else {
                    out.line(&t!(
                        loc,
                        "sync-summary",
                        received = report.received.len(),
                        sent = report.sent,
                        queued = report.queued
                    ));
                }
            });
        }
        "inbox" => {
            let messenger = open(m, out).await?;
            let history = messenger.history(None)?;
            out.json_or(&history, || {
                if history.is_empty() {
                    out.line(&t!(loc, "history-empty"));
                }
                for line in &history {
                    out.history_line(line);
                }
            });
        }
        "read" => {
            let messenger = open(m, out).await?;
            let history = messenger.history(Some(&arg(sub, "name")))?;
            out.json_or(&history, || {
                if history.is_empty() {
                    out.line(&t!(loc, "history-empty"));
                }
                for line in &history {
                    out.history_line(line);
                }
            });
        }
        "save" => {
            let mut messenger = open(m, out).await?;
            let path = PathBuf::from(arg(sub, "out"));
            let file = messenger.save_file(&arg(sub, "id"), &path).await?;
            messenger.close().await;
            out.json_or(&file, || {
                out.line(&t!(
                    loc,
                    "save-done",
                    name = &file.name,
                    path = path.display().to_string(),
                    size = output::size(loc, file.size)
                ))
            });
        }
        "group" => group(m, sub, out).await?,
        "evidence" => evidence::run(m, sub, out).await?,
        "anchor" => bundle::anchor(m, sub, out).await?,
        "outbox" => {
            let mut messenger = open(m, out).await?;
            match sub.subcommand() {
                Some(("flush", _)) => {
                    let (sent, queued) = messenger.flush_outbox().await?;
                    messenger.close().await;
                    #[derive(serde::Serialize)]
                    struct Flush {
                        sent: usize,
                        queued: usize,
                    }
                    out.json_or(&Flush { sent, queued }, || {
                        out.line(&t!(loc, "outbox-flushed", sent = sent, queued = queued))
                    });
                }
                _ => {
                    let items = messenger.outbox()?;
                    out.json_or(&items, || {
                        if items.is_empty() {
                            out.line(&t!(loc, "outbox-empty"));
                        }
                        for item in &items {
                            out.outbox_line(item);
                        }
                    });
                }
            }
        }
        "settings" => {
            let mut messenger = open(m, out).await?;
            let (mut messages, mut secs) = messenger.update_policy();
            let mut changed = false;
            if let Some(n) = sub.get_one::<u32>("update-every-messages") {
                messages = *n;
                changed = true;
            }
            if let Some(d) = sub.get_one::<u64>("update-every-days") {
                secs = d * 24 * 3600;
                changed = true;
            }
            if changed {
                messenger.set_update_policy(messages, secs)?;
            }
            let (messages, secs) = messenger.update_policy();
            #[derive(serde::Serialize)]
            struct Settings {
                update_every_messages: u32,
                update_every_days: u64,
            }
            let days = secs / (24 * 3600);
            out.json_or(
                &Settings {
                    update_every_messages: messages,
                    update_every_days: days,
                },
                || {
                    out.line(&t!(
                        loc,
                        "settings-update-policy",
                        messages = messages,
                        days = days
                    ))
                },
            );
        }
        "update-keys" => {
            let mut messenger = open(m, out).await?;
            messenger.update_keys(&arg(sub, "name")).await?;
            messenger.close().await;
            out.line(&t!(loc, "update-keys-done"));
        }
        "panic" => {
            let dir = profile_dir(m)?;
            if !dir.exists() {
                return Err(sanad_client::profile::ProfileError::NotFound.into());
            }
            out.line(&t!(
                loc,
                "panic-explain",
                path = dir.path().display().to_string()
            ));
            if !sub.get_flag("yes") && !secrets::confirm(loc)? {
                out.line(&t!(loc, "panic-cancelled"));
                return Ok(());
            }
            // The key first (that alone makes the rest unreadable), then the
            // store and the spool.
            dir.destroy()?;
            out.line(&t!(loc, "panic-done"));
            out.line(&t!(loc, "panic-limits"));
        }
        _ => return Err(MessengerError::UnknownName),
    }
    Ok(())
}

async fn contact(m: &ArgMatches, sub: &ArgMatches, out: &Out<'_>) -> Result<(), MessengerError> {
    let loc = out.loc();
    match sub.subcommand() {
        Some(("add", a)) => {
            let invite = Invite::parse(&arg(a, "invite"))?;
            let mut messenger = open(m, out).await?;
            let contact = messenger.add_contact(&invite, &arg(a, "name")).await?;
            messenger.close().await;
            out.json_or(&contact, || {
                out.line(&t!(loc, "contact-added", name = &contact.name));
                if contact.key_changed {
                    out.warn(&t!(loc, "contact-key-changed", name = &contact.name));
                }
                out.line(&t!(loc, "contact-verify-hint", name = &contact.name));
            });
        }
        Some(("list", _)) => {
            let messenger = open(m, out).await?;
            let contacts = messenger.contacts()?;
            out.json_or(&contacts, || {
                if contacts.is_empty() {
                    out.line(&t!(loc, "contact-none"));
                }
                for c in &contacts {
                    out.contact_line(c);
                }
            });
        }
        Some(("verify", a)) => {
            let mut messenger = open(m, out).await?;
            let name = arg(a, "name");
            let number = messenger.safety_number(&name)?;
            let before = messenger
                .contacts()?
                .into_iter()
                .find(|c| sanad_client::messenger::same_name(&c.name, &name));
            if a.get_flag("confirm") {
                let c = messenger.confirm_verified(&name)?;
                out.json_or(&c, || {
                    out.line(&t!(loc, "contact-verified", name = &c.name))
                });
                return Ok(());
            }
            #[derive(serde::Serialize)]
            struct Verify {
                safety_number: String,
                verified: bool,
                key_changed: bool,
            }
            let (verified, changed) = before
                .as_ref()
                .map(|c| (c.verified, c.key_changed))
                .unwrap_or((false, false));
            out.json_or(
                &Verify {
                    safety_number: number.digits().to_owned(),
                    verified,
                    key_changed: changed,
                },
                || {
                    if changed {
                        out.warn(&t!(loc, "contact-key-changed", name = &name));
                    }
                    out.line(&t!(loc, "verify-intro", name = &name));
                    println!();
                    for row in number.display().lines() {
                        println!("    {}", loc.digits(row));
                    }
                    println!();
                    if verified {
                        out.line(&t!(loc, "verify-already", name = &name));
                    } else {
                        out.line(&t!(loc, "verify-how", name = &name));
                    }
                },
            );
        }
        _ => return Err(MessengerError::UnknownName),
    }
    Ok(())
}

async fn group(m: &ArgMatches, sub: &ArgMatches, out: &Out<'_>) -> Result<(), MessengerError> {
    let loc = out.loc();
    let mut messenger = open(m, out).await?;
    match sub.subcommand() {
        Some(("create", a)) => {
            let g = messenger.create_group(&arg(a, "name")).await?;
            out.json_or(&g, || out.line(&t!(loc, "group-created", name = &g.name)));
        }
        Some(("add", a)) => {
            let names = list(a, "contacts");
            let g = messenger.add_to_group(&arg(a, "name"), &names).await?;
            out.json_or(&g, || {
                out.line(&t!(
                    loc,
                    "group-added",
                    name = &g.name,
                    members = loc.list(&names)
                ))
            });
        }
        Some(("remove", a)) => {
            let names = list(a, "contacts");
            let g = messenger.remove_from_group(&arg(a, "name"), &names).await?;
            out.json_or(&g, || {
                out.line(&t!(
                    loc,
                    "group-removed",
                    name = &g.name,
                    members = loc.list(&names)
                ))
            });
        }
        Some(("list", _)) => {
            let groups = messenger.groups()?;
            out.json_or(&groups, || {
                if groups.is_empty() {
                    out.line(&t!(loc, "group-none"));
                }
                for g in &groups {
                    out.group_line(g);
                }
            });
        }
        Some(("check", a)) => {
            let name = arg(a, "name");
            let code = messenger.group_check_code(&name)?;
            #[derive(serde::Serialize)]
            struct Check {
                check_code: String,
            }
            out.json_or(
                &Check {
                    check_code: code.clone(),
                },
                || {
                    out.line(&t!(loc, "group-check", name = &name));
                    println!("    {}", loc.digits(&code));
                    out.line(&t!(loc, "group-check-how"));
                },
            );
        }
        _ => return Err(MessengerError::UnknownName),
    }
    messenger.close().await;
    Ok(())
}

/// A command-line mistake as one localised sentence (clap's own texts are
/// English only).
fn arguments_error(loc: &Localizer, e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| -> String {
        match e.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => loc.list(v),
            _ => String::new(),
        }
    };
    match e.kind() {
        ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand => {
            let arg = context(ContextKind::InvalidArg);
            let arg = if arg.is_empty() {
                context(ContextKind::InvalidSubcommand)
            } else {
                arg
            };
            t!(loc, "error-args-unknown", arg = arg)
        }
        ErrorKind::MissingRequiredArgument => {
            t!(
                loc,
                "error-args-missing",
                arg = context(ContextKind::InvalidArg)
            )
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            t!(loc, "error-args-no-command")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => t!(
            loc,
            "error-args-invalid",
            value = context(ContextKind::InvalidValue),
            arg = context(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => t!(
            loc,
            "error-args-conflict",
            arg = context(ContextKind::InvalidArg)
        ),
        _ => t!(loc, "error-arguments"),
    }
}

pub(crate) fn arg(m: &ArgMatches, name: &str) -> String {
    m.get_one::<String>(name).cloned().unwrap_or_default()
}

fn list(m: &ArgMatches, name: &str) -> Vec<String> {
    m.get_many::<String>(name)
        .map(|v| v.cloned().collect())
        .unwrap_or_default()
}
