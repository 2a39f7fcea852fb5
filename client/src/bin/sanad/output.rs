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

    pub fn is_json(&self) -> bool {
        self.json
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
            let names = loc.list(&h.event_names);
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
        println!(
            "{}",
            t!(loc, "contact-line", name = &c.name, status = status)
        );
    }

    pub fn group_line(&self, g: &GroupView) {
        let loc = self.loc;
        let members = if g.members.is_empty() {
            t!(loc, "group-alone")
        } else {
            loc.list(&g.members)
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
        let kind = match o.kind.as_str() {
            "file" => t!(loc, "outbox-kind-file"),
            "message" => t!(loc, "outbox-kind-message"),
            _ => t!(loc, "outbox-kind-control"),
        };
        let line = match &o.conversation {
            Some(to) => t!(loc, "outbox-line", kind = kind, to = to),
            None => t!(loc, "outbox-line-unnamed", kind = kind),
        };
        println!("{line}");
    }
}

/// A size in bytes, in the language's units.
pub fn size(loc: &Localizer, bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    // One decimal, written the language's way (1.5 / 1,5 / ١٫٥).
    let one_decimal = |unit: u64| loc.decimal(bytes as f64 / unit as f64, 1);
    if bytes >= GIB {
        t!(loc, "unit-gib", n = one_decimal(GIB))
    } else if bytes >= MIB {
        t!(loc, "unit-mib", n = one_decimal(MIB))
    } else if bytes >= KIB {
        t!(loc, "unit-kib", n = one_decimal(KIB))
    } else {
        t!(loc, "unit-bytes", n = bytes)
    }
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

/// Unix seconds to (year, month, day, hour, minute), UTC.
fn civil(unix: u64) -> (i64, u32, u32, u64, u64) {
    let (y, m, d, hh, mm, _) = sanad_client::i18n::civil_utc(unix);
    (y, m, d, hh, mm)
}

#[cfg(test)]
mod tests {
    use super::{civil, date, size};
    use sanad_client::i18n::{strip_bidi_marks, Lang, Localizer};

    #[test]
    fn sizes_use_each_languages_decimal_separator_and_digits() {
        let size_in = |lang, bytes| strip_bidi_marks(&size(&Localizer::new(lang), bytes));
        assert_eq!(size_in(Lang::En, 1536), "1.5 KiB");
        assert_eq!(size_in(Lang::Fr, 1536), "1,5 Kio");
        assert_eq!(size_in(Lang::Ar, 1536), "١٫٥ كيلوبايت");
        assert_eq!(size_in(Lang::Fr, 3 << 20), "3,0 Mio");
        assert_eq!(size_in(Lang::En, 5 << 30), "5.0 GiB");
    }

    #[test]
    fn sizes_under_a_kibibyte_are_counted_in_bytes_with_plurals() {
        let size_in = |lang, bytes| strip_bidi_marks(&size(&Localizer::new(lang), bytes));
        assert_eq!(size_in(Lang::En, 1), "1 byte");
        assert_eq!(size_in(Lang::En, 1023), "1023 bytes");
        assert_eq!(size_in(Lang::Fr, 1), "1 octet");
        assert_eq!(size_in(Lang::Ar, 2), "بايتان");
        assert_eq!(size_in(Lang::Ar, 7), "٧ بايتات");
        assert_eq!(size_in(Lang::Ar, 1023), "١٠٢٣ بايتًا");
    }

    #[test]
    fn dates_are_in_arabic_indic_digits_in_arabic() {
        assert_eq!(date(&Localizer::new(Lang::Ar), 0), "١٩٧٠-٠١-٠١");
        assert_eq!(date(&Localizer::new(Lang::Fr), 0), "1970-01-01");
    }

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0));
        assert_eq!(civil(1_795_000_000), (2026, 11, 18, 11, 6));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0));
    }
}
