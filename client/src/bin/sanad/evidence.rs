//! `sanad evidence …`: capture, list, show, export, redact, enrol.

use std::io::Read;
use std::path::PathBuf;

use clap::ArgMatches;
use sanad_client::messenger::{parse_device_key, CaptureRequest, EvidenceView, MessengerError};
use sanad_client::t;
use sanad_protocol::evidence::Fields;

use crate::output::{self, Out};
use crate::{arg, open, qr};

/// The longest testimony read from standard input.
const MAX_TESTIMONY_BYTES: u64 = 1 << 20;

pub async fn run(m: &ArgMatches, sub: &ArgMatches, out: &Out<'_>) -> Result<(), MessengerError> {
    let loc = out.loc();
    let (name, args) = sub.subcommand().ok_or(MessengerError::UnknownName)?;
    match name {
        "capture" => {
            let fields = parse_fields(args)?;
            let request = CaptureRequest {
                case_ref: arg(args, "case"),
                to: args.get_one::<String>("to").cloned(),
                fields,
                delete_original: args.get_flag("delete-original"),
            };
            if args.get_flag("testimony-from-stdin") {
                let text = read_testimony()?;
                let mut messenger = open(m, out).await?;
                out.status(&t!(loc, "capture-encrypting"));
                let view = messenger.capture_testimony(&text, &request).await?;
                messenger.close().await;
                out.json_or(&vec![view.clone()], || captured_line(out, &view));
            } else {
                let files: Vec<PathBuf> = args
                    .get_many::<String>("files")
                    .into_iter()
                    .flatten()
                    .map(PathBuf::from)
                    .collect();
                let mut messenger = open(m, out).await?;
                out.status(&t!(loc, "capture-encrypting"));
                let views = messenger.capture_files(&files, &request).await?;
                messenger.close().await;
                out.json_or(&views, || {
                    for v in &views {
                        captured_line(out, v);
                    }
                });
            }
        }
        "list" => {
            let messenger = open(m, out).await?;
            let mut items = messenger.evidence_list()?;
            // One case's file: its items only, in capture order.
            if let Some(case) = args.get_one::<String>("case") {
                items.retain(|v| &v.case_ref == case);
            }
            out.json_or(&items, || {
                if items.is_empty() {
                    out.line(&t!(loc, "evidence-none"));
                }
                for v in &items {
                    list_line(out, v);
                }
            });
        }
        "show" => {
            let messenger = open(m, out).await?;
            let v = messenger.evidence_show(&arg(args, "id"))?;
            out.json_or(&v, || show(out, &v));
        }
        "key" => {
            let mut messenger = open(m, out).await?;
            let key = messenger.evidence_key()?;
            let enrolment = messenger.evidence_enrolment()?;
            #[derive(serde::Serialize)]
            struct KeyJson {
                device_key: String,
                enrolled: Option<(String, String)>,
            }
            out.json_or(
                &KeyJson {
                    device_key: key.clone(),
                    enrolled: enrolment.clone(),
                },
                || {
                    if args.get_flag("qr") {
                        match qr::terminal(&key) {
                            Ok(code) => println!("{code}"),
                            Err(e) => out.warn(&crate::errors::describe(loc, &e)),
                        }
                    }
                    out.line(&t!(loc, "evidence-key", key = grouped(&key)));
                    match enrolment {
                        Some((label, org)) => {
                            out.line(&t!(loc, "evidence-key-enrolled", label = label, org = org))
                        }
                        None => out.line(&t!(loc, "evidence-key-not-enrolled")),
                    }
                },
            );
        }
        "desk" => {
            let mut messenger = open(m, out).await?;
            let name = arg(args, "name");
            messenger.set_evidence_desk(&name)?;
            out.line(&t!(loc, "evidence-desk-set", name = name));
        }
        "desk-key" => {
            let mut messenger = open(m, out).await?;
            let key = messenger.desk_public_key()?;
            #[derive(serde::Serialize)]
            struct DeskKeyJson {
                desk_key: String,
            }
            out.json_or(
                &DeskKeyJson {
                    desk_key: key.clone(),
                },
                || {
                    out.line(&t!(loc, "evidence-desk-key", key = grouped(&key)));
                    out.status(&t!(loc, "evidence-desk-key-hint"));
                },
            );
        }
        "enrol" => {
            let key = parse_device_key(&arg(args, "key")).ok_or(MessengerError::BadDeviceKey)?;
            let mut messenger = open(m, out).await?;
            let view = messenger
                .enrol_device(
                    &key,
                    &arg(args, "label"),
                    &arg(args, "org"),
                    args.get_one::<String>("send-to").map(String::as_str),
                )
                .await?;
            messenger.close().await;
            out.json_or(&view, || {
                out.line(&t!(
                    loc,
                    "evidence-enrolled",
                    label = &view.label,
                    org = &view.organisation
                ))
            });
        }
        "devices" => {
            let messenger = open(m, out).await?;
            let devices = messenger.enrolled_devices()?;
            out.json_or(&devices, || {
                if devices.is_empty() {
                    out.line(&t!(loc, "evidence-no-devices"));
                }
                for d in &devices {
                    out.line(&t!(
                        loc,
                        "evidence-device-line",
                        label = &d.label,
                        org = &d.organisation,
                        key = grouped(&d.device_key),
                        date = output::date(loc, d.enrolled_at)
                    ));
                }
            });
        }
        "export" => crate::bundle::export(m, args, out).await?,
        "redact" => crate::bundle::redact(m, args, out).await?,
        _ => return Err(MessengerError::UnknownName),
    }
    Ok(())
}

fn parse_fields(args: &ArgMatches) -> Result<Fields, MessengerError> {
    let mut fields = Fields::new();
    for f in args.get_many::<String>("field").into_iter().flatten() {
        let (name, value) = f
            .split_once('=')
            .ok_or_else(|| MessengerError::BadField(f.clone()))?;
        fields
            .set_by_name(name.trim(), value.trim())
            .map_err(|_| MessengerError::BadField(name.trim().to_owned()))?;
    }
    Ok(fields)
}

fn read_testimony() -> Result<String, MessengerError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_TESTIMONY_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TESTIMONY_BYTES {
        return Err(MessengerError::FileTooLarge);
    }
    String::from_utf8(bytes).map_err(|_| MessengerError::TestimonyNotText)
}

/// A key in groups of four hex digits, easier to read aloud and compare.
fn grouped(hex: &str) -> String {
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn state(out: &Out<'_>, v: &EvidenceView) -> String {
    let loc = out.loc();
    t!(loc, "evidence-state", state = v.state.as_str())
}

fn captured_line(out: &Out<'_>, v: &EvidenceView) {
    let loc = out.loc();
    out.line(&t!(
        loc,
        "evidence-captured",
        id = &v.id,
        name = &v.file_name,
        case = &v.case_ref,
        state = state(out, v)
    ));
}

pub(crate) fn list_line(out: &Out<'_>, v: &EvidenceView) {
    let loc = out.loc();
    out.line(&t!(
        loc,
        "evidence-line",
        id = &v.id,
        date = output::date_time(loc, v.device_time),
        case = &v.case_ref,
        name = &v.file_name,
        size = output::size(loc, v.size),
        state = state(out, v)
    ));
}

fn show(out: &Out<'_>, v: &EvidenceView) {
    let loc = out.loc();
    out.line(&t!(
        loc,
        "evidence-show-id",
        id = &v.id,
        evidence = &v.evidence_id
    ));
    out.line(&t!(loc, "evidence-show-case", case = &v.case_ref));
    out.line(&t!(
        loc,
        "evidence-show-file",
        name = &v.file_name,
        kind = &v.media_type,
        size = output::size(loc, v.size)
    ));
    out.line(&t!(loc, "evidence-show-sha256", hash = &v.sha256));
    out.line(&t!(
        loc,
        "evidence-show-device-time",
        date = output::date_time(loc, v.device_time),
        sequence = v.sequence
    ));
    if let (Some(index), Some(time)) = (v.log_index, v.log_time) {
        out.line(&t!(
            loc,
            "evidence-show-log",
            index = index,
            date = output::date_time(loc, time)
        ));
    }
    for (name, value) in &v.fields {
        out.line(&t!(loc, "evidence-show-field", name = name, value = value));
    }
    out.line(&t!(loc, "evidence-show-state", state = state(out, v)));
    for (check, passed, detail) in &v.checks {
        // A failed check's detail is the stable ID of the failure: shown
        // in the reader's language, with the ID for scripts and the docs.
        let name = t!(loc, "check-name", check = check.as_str());
        let passed_arg = if *passed { "yes" } else { "no" };
        let line = match (*passed, detail.as_str()) {
            (_, "") => t!(loc, "evidence-check", check = name, passed = passed_arg),
            (false, id) => t!(
                loc,
                "evidence-check-detail",
                check = name,
                passed = passed_arg,
                detail = format!("{} [{id}]", t!(loc, "verify-failure", error = id))
            ),
            (true, text) => t!(
                loc,
                "evidence-check-detail",
                check = name,
                passed = passed_arg,
                detail = text
            ),
        };
        if *passed {
            out.line(&line);
        } else {
            out.warn(&line);
        }
    }
}
