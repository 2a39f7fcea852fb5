//! Printing: localised lines on standard output, status and warnings on
//! standard error, or JSON for scripts (`--json`).

use std::io::IsTerminal;

use sanad_client::i18n::Localizer;
use sanad_client::messenger::{ContactView, DeliveryState, GroupView, HistoryView, OutboxView};
use sanad_client::t;

/// Where output goes and in which form.
pub struct Out<'a> {
    loc: &'a Localizer,
    json: bool,
    quiet: bool,
}

impl<'a> Out<'a> {
    pub fn new(loc: &'a Localizer, json: bool, quiet: bool) -> Self {
        Out { loc, json, quiet }
    }

    pub fn loc(&self) -> &Localizer {
        self.loc
    }

    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// JSON of `value` on stdout with `--json`, else the human form.
    pub fn json_or<T: serde::Serialize>(&self, value: &T, human: impl FnOnce()) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(s) => println!("{s}"),
                Err(e) => eprintln!("{e}"),
            }
        } else {
            human();
        }
    }

    /// A result line (stdout).
    pub fn line(&self, text: &str) {
        if !self.json {
            println!("{text}");
        }
    }

    /// Progress or a hint (stderr), hidden by `--quiet` and `--json`.
    pub fn status(&self, text: &str) {
        if !self.quiet && !self.json {
            eprintln!("{text}");
        }
    }

    /// A warning: always shown (stderr), in bold red on a terminal.
    pub fn warn(&self, text: &str) {
        if std::io::stderr().is_terminal() {
            eprintln!("\u{1b}[1;31m{text}\u{1b}[0m");
        } else {
            eprintln!("{text}");
        }
    }

    /// An error (stderr).
    pub fn error(&self, text: &str) {
        if self.json {
            let v = serde_json::json!({ "error": text });
            eprintln!("{v}");
        } else {
            eprintln!("{}", t!(self.loc, "error-prefix", message = text));
        }
    }

    pub fn history_line(&self, h: &HistoryView) {
        let loc = self.loc;
        let when = date_time(loc, h.time);
        let who = h.from.clone().unwrap_or_else(|| t!(loc, "history-me"));
        let body = if let Some(text) = &h.text {
            text.clone()
        } else if let Some(f) = &h.file {
            t!(
                loc,
                "history-file",
                name = &f.name,
                size = size(loc, f.size),
                id = &h.id
            )
        } else {
            let names = h.event_names.join(", ");
            match h.event.as_deref() {
                Some("joined") => t!(loc, "event-joined"),
                Some("added") => t!(loc, "event-added", names = names),
                Some("removed") => t!(loc, "event-removed", names = names),
                Some("you-were-removed") => t!(loc, "event-you-were-removed"),
                Some("rejected") => t!(loc, "event-rejected"),
                Some("unsupported") => t!(loc, "event-unsupported"),
                _ => t!(loc, "event-key-updated"),
            }
        };
        let state = match h.state {
            DeliveryState::Queued => format!(" {}", t!(loc, "history-queued")),
            _ => String::new(),
        };
        println!(
            "{}",
            t!(
                loc,
                "history-line",
                time = when,
                conversation = &h.conversation,
                from = who,
                body = body,
                state = state
            )
        );
    }

    pub fn contact_line(&self, c: &ContactView) {
        let loc = self.loc;
        let status = if c.key_changed {
            t!(loc, "contact-status-changed")
        } else if c.verified {
            t!(loc, "contact-status-verified")
        } else {
            t!(loc, "contact-status-unverified")
        };
        println!("{}", t!(loc, "contact-line", name = &c.name, status = status));
    }

    pub fn group_line(&self, g: &GroupView) {
        let loc = self.loc;
        let members = if g.members.is_empty() {
            t!(loc, "group-alone")
        } else {
            g.members.join(", ")
        };
        let mut line = if g.team {
            t!(loc, "group-line-team", name = &g.name, members = members)
        } else {
            t!(loc, "group-line-direct", name = &g.name)
        };
        if !g.active {
            line.push_str(&format!(" {}", t!(loc, "group-inactive")));
        }
        if g.change_pending {
            line.push_str(&format!(" {}", t!(loc, "group-pending")));
        }
        println!("{line}");
    }

    pub fn outbox_line(&self, o: &OutboxView) {
        let loc = self.loc;
        let to = o.conversation.clone().unwrap_or_else(|| "-".to_owned());
        let kind = match o.kind.as_str() {
            "file" => t!(loc, "outbox-kind-file"),
            "message" => t!(loc, "outbox-kind-message"),
            _ => t!(loc, "outbox-kind-control"),
        };
        println!("{}", t!(loc, "outbox-line", kind = kind, to = to));
    }
}

/// A size in bytes, in the language's units.
pub fn size(loc: &Localizer, bytes: u64) -> String {
    let (value, unit) = if bytes >= 1 << 30 {
        (bytes as f64 / (1u64 << 30) as f64, "unit-gib")
    } else if bytes >= 1 << 20 {
        (bytes as f64 / (1u64 << 20) as f64, "unit-mib")
    } else if bytes >= 1 << 10 {
        (bytes as f64 / 1024.0, "unit-kib")
    } else {
        return loc.digits(&t!(loc, "unit-bytes", n = bytes));
    };
    let number = format!("{value:.1}");
    let unit = match unit {
        "unit-gib" => t!(loc, "unit-gib", n = number.clone()),
        "unit-mib" => t!(loc, "unit-mib", n = number.clone()),
        _ => t!(loc, "unit-kib", n = number.clone()),
    };
    loc.digits(&unit)
}

/// A date (UTC, ISO order, which reads the same in the three languages).
pub fn date(loc: &Localizer, unix: u64) -> String {
    let (y, m, d, _, _) = civil(unix);
    loc.digits(&format!("{y:04}-{m:02}-{d:02}"))
}

/// Date and time (UTC).
pub fn date_time(loc: &Localizer, unix: u64) -> String {
    let (y, m, d, hh, mm) = civil(unix);
    loc.digits(&format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"))
}

/// Unix seconds to (year, month, day, hour, minute), UTC (the civil-from-days
/// algorithm).
fn civil(unix: u64) -> (i64, u32, u32, u64, u64) {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, secs / 3600, (secs % 3600) / 60)
}

#[cfg(test)]
mod tests {
    use super::civil;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0));
        assert_eq!(civil(1_795_000_000), (2026, 11, 18, 10, 26));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0));
    }
}
