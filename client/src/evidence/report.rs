//! The human-readable report of an evidence export: one self-contained HTML
//! page, in the desk's language (English, French or Arabic), for the people
//! who read a bundle without running the verifier (investigators, lawyers,
//! a UN body, a court).
//!
//! The page is built from a [`ReportInput`] that the caller fills from the
//! verifier's verdict; this module checks nothing itself. It says, for each
//! item, what was captured, by which enrolled device, within which times,
//! each check with what it proves and what it does not, and how to repeat
//! the checks (`sanad verify BUNDLE`). The report is a reading aid and says
//! so: the bundle is the proof.
//!
//! The page:
//! - has no JavaScript, loads nothing (a Content-Security-Policy forbids
//!   any load but its own inline style), and prints cleanly (A4, page
//!   breaks between items, colours kept, results in words and symbols, not
//!   colour alone);
//! - is UTF-8, `<html lang=".." dir="rtl">` in Arabic, with the text left to
//!   the browser to shape; hashes, keys and commands are set left to right
//!   in every language;
//! - takes every sentence from the Fluent catalogue `report.ftl`
//!   ([`Localizer::for_report`]); numbers, sizes and dates are written the
//!   language's way (Arabic-Indic digits in Arabic), while identifiers
//!   (evidence IDs, hashes, keys) keep their ASCII digits, since people
//!   compare them with tools;
//! - gives every time twice: ISO 8601 in UTC, and a localised form;
//! - escapes every value. Case references, file names, device labels and
//!   field values come from people who may be hostile: markup is escaped,
//!   and invisible or direction-changing characters (bidi overrides and
//!   isolates, zero-width characters, controls) are shown as their code
//!   point, `[U+202E]`, so that a name cannot hide or reorder what follows
//!   it.

use std::fmt::Write as _;

use crate::evidence::redact::RemovedKind;
use crate::i18n::{strip_bidi_marks, Arg, Lang, Localizer};

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct ReportInput {
    /// The report's language (the desk's).
    pub lang: Lang,
    /// When the report was made, Unix seconds (UTC).
    pub generated_at: u64,
    /// The bundle's file name, as people will find it next to the report
    /// (for the `sanad verify` command line).
    pub bundle_name: String,
    /// The evidence items, in the order to show them.
    pub items: Vec<ReportItem>,
    /// The fingerprint of the desk's key (that signs enrolments), as text.
    pub desk_key_fingerprint: String,
    /// The relay's log public key (C2SP verifier key text).
    pub log_key: String,
}

/// One evidence item.
#[derive(Debug, Clone)]
pub struct ReportItem {
    /// The evidence ID, hex.
    pub evidence_id: String,
    /// The case reference.
    pub case_ref: String,
    /// What the item is.
    pub kind: EvidenceKind,
    /// The media type from the manifest.
    pub media_type: String,
    /// The file name on the capturing device.
    pub file_name: String,
    /// The file's size in bytes.
    pub size: u64,
    /// The file's SHA-256, hex.
    pub sha256: String,
    /// The device's pseudonymous label from its enrolment.
    pub device_label: String,
    /// The partner organisation from the enrolment.
    pub organisation: String,
    /// Whether the device is enrolled by the desk.
    pub enrolled: bool,
    /// The device clock at capture (untrusted), Unix seconds.
    pub device_time: Option<u64>,
    /// The time of the checkpoint the device had seen (not before), Unix
    /// seconds.
    pub not_before: Option<u64>,
    /// The time of the log checkpoint including the item (not after, the
    /// relay's word), Unix seconds.
    pub relay_time: Option<u64>,
    /// Times from timestamp authorities (not after, independent).
    pub tsa_times: Vec<TsaTime>,
    /// The item's leaf index in the log.
    pub log_index: u64,
    /// The log's origin line (its name).
    pub log_origin: String,
    /// The checks run on the item, in the order to show them.
    pub checks: Vec<ReportCheck>,
    /// Whether the verifier's verdict on the item is positive.
    pub verdict_ok: bool,
    /// Case fields from the manifest (name, value), in order.
    pub fields: Vec<(String, String)>,
    /// Redacted copies made from the item.
    pub derivatives: Vec<ReportDerivative>,
}

/// A time from an RFC 3161 timestamp authority.
#[derive(Debug, Clone)]
pub struct TsaTime {
    /// The authority's name (from its certificate).
    pub authority: String,
    /// The token's time, Unix seconds.
    pub time: u64,
}

/// What an evidence item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    /// A photograph.
    Photo,
    /// A video recording.
    Video,
    /// An audio recording.
    Audio,
    /// A document.
    Document,
    /// Written testimony.
    Testimony,
    /// Anything else.
    Other,
}

impl EvidenceKind {
    fn message(self) -> &'static str {
        match self {
            EvidenceKind::Photo => "report-kind-photo",
            EvidenceKind::Video => "report-kind-video",
            EvidenceKind::Audio => "report-kind-audio",
            EvidenceKind::Document => "report-kind-document",
            EvidenceKind::Testimony => "report-kind-testimony",
            EvidenceKind::Other => "report-kind-other",
        }
    }
}

/// One check of the verifier, as the report explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The manifest's signature by the device evidence key.
    ManifestSignature,
    /// The device key's enrolment by the desk.
    DeviceEnrolment,
    /// The file's hash and size against the manifest.
    ContentHash,
    /// The salted commitment against the manifest and salt.
    LogCommitment,
    /// The inclusion proof of the commitment under a checkpoint.
    LogInclusion,
    /// The checkpoints' signatures by the log key.
    CheckpointSignature,
    /// The consistency proof to a later checkpoint.
    LogConsistency,
    /// The checkpoint the device had seen (not before).
    NotBefore,
    /// RFC 3161 timestamp tokens over a checkpoint.
    Timestamp,
    /// The link to the device's previous manifest.
    DeviceChain,
    /// The evidence ID is not a replay.
    EvidenceIdUnique,
    /// The signed records linking redacted copies to the original.
    DerivativeRecord,
}

impl Check {
    /// Every check, in the order the report lists them by default.
    pub const ALL: [Check; 12] = [
        Check::ManifestSignature,
        Check::DeviceEnrolment,
        Check::ContentHash,
        Check::LogCommitment,
        Check::LogInclusion,
        Check::CheckpointSignature,
        Check::LogConsistency,
        Check::NotBefore,
        Check::Timestamp,
        Check::DeviceChain,
        Check::EvidenceIdUnique,
        Check::DerivativeRecord,
    ];

    /// The check's stable ID (`manifest-signature`, …), also the stem of its
    /// messages in `report.ftl` (`report-check-<id>`, `-proves`, `-limits`).
    pub fn id(self) -> &'static str {
        match self {
            Check::ManifestSignature => "manifest-signature",
            Check::DeviceEnrolment => "device-enrolment",
            Check::ContentHash => "content-hash",
            Check::LogCommitment => "log-commitment",
            Check::LogInclusion => "log-inclusion",
            Check::CheckpointSignature => "checkpoint-signature",
            Check::LogConsistency => "log-consistency",
            Check::NotBefore => "not-before",
            Check::Timestamp => "timestamp",
            Check::DeviceChain => "device-chain",
            Check::EvidenceIdUnique => "evidence-id-unique",
            Check::DerivativeRecord => "derivative-record",
        }
    }
}

/// A check's outcome on one item.
#[derive(Debug, Clone)]
pub struct ReportCheck {
    /// Which check.
    pub check: Check,
    /// Whether it held.
    pub passed: bool,
    /// Why it failed (or a note), as a message of the report's localizer
    /// (`report.ftl` or the CLI's `sanad.ftl`).
    pub detail: Option<Detail>,
}

/// A localised sentence: a message ID and its arguments. Text arguments are
/// treated as untrusted (escaped and neutralised like every value).
#[derive(Debug, Clone)]
pub struct Detail {
    /// The message ID.
    pub id: &'static str,
    /// The message's arguments.
    pub args: Vec<(&'static str, Arg)>,
}

/// A redacted copy of an item.
#[derive(Debug, Clone)]
pub struct ReportDerivative {
    /// The copy's SHA-256, hex.
    pub sha256: String,
    /// The copy's media type.
    pub media_type: String,
    /// The copy's size in bytes.
    pub size: u64,
    /// What was removed ([`crate::evidence::redact::RedactionSummary`]),
    /// when known; `None`: only what the signed record says (identifying
    /// metadata stripped).
    pub removed: Option<Vec<RemovedKind>>,
    /// Whether the signed record linking it to the original verified.
    pub link_verified: bool,
}

/// The report as one HTML document (UTF-8 text).
pub fn render_html(input: &ReportInput) -> String {
    let loc = Localizer::for_report(input.lang);
    let mut page = Page {
        loc: &loc,
        html: String::with_capacity(16 * 1024),
    };
    page.document(input);
    page.html
}

/// Untrusted text made safe to show: characters that are invisible or change
/// the direction of what follows (bidi embeddings, overrides, isolates and
/// marks, zero-width characters, line and paragraph separators, controls)
/// are written as their code point in brackets. Markup is escaped later,
/// with everything else.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hidden = c.is_control()
            || matches!(
                c,
                '\u{061C}'
                    | '\u{115F}'
                    | '\u{1160}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{2028}'..='\u{202E}'
                    | '\u{2060}'..='\u{206F}'
                    | '\u{3164}'
                    | '\u{FE00}'..='\u{FE0F}'
                    | '\u{FEFF}'
                    | '\u{FFA0}'
                    | '\u{FFF0}'..='\u{FFFB}'
                    | '\u{E0000}'..='\u{E0FFF}'
            );
        if hidden {
            let _ = write!(out, "[U+{:04X}]", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for HTML text and
/// attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An untrusted value, neutralised and escaped.
fn value(text: &str) -> String {
    escape(&neutralise(text))
}

/// ISO 8601, UTC, to the second: `2026-11-18T11:06:40Z`.
fn iso8601(unix: u64) -> String {
    let (y, mo, d, h, mi, s) = crate::i18n::civil_utc(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

const STYLE: &str = "
@page { size: A4; margin: 16mm 14mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, 'Segoe UI', 'Noto Sans', 'Noto Naskh Arabic', 'DejaVu Sans', sans-serif;
  font-size: 11pt; line-height: 1.5; color: #111; background: #fff; margin: 0 auto; max-width: 60em; padding: 1em;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; margin: 1.4em 0 .4em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin: 1.1em 0 .3em; }
p { margin: .4em 0; }
dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .4em 0; }
th, td { border: 1px solid #bbb; padding: .3em .5em; text-align: start; vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.facts th { width: 30%; }
code, .id { font-family: ui-monospace, 'DejaVu Sans Mono', 'Noto Sans Mono', monospace; font-size: .92em;
  overflow-wrap: anywhere; unicode-bidi: isolate; direction: ltr; }
pre { background: #f5f5f5; border: 1px solid #ccc; padding: .5em .8em; white-space: pre-wrap; direction: ltr; text-align: left; }
.verdict { border: 2px solid; padding: .5em .8em; font-weight: 700; margin: .6em 0; }
.ok { border-color: #1a7f37; color: #0f5323; background: #eef8f0; }
.fail { border-color: #b42318; color: #8a1a12; background: #fdf0ef; }
td.ok, td.fail { font-weight: 700; white-space: nowrap; }
.note { color: #333; font-size: .95em; }
.item { break-before: page; page-break-before: always; }
footer { margin-top: 2em; font-size: .85em; color: #555; border-top: 1px solid #ccc; padding-top: .4em; }
@media print { body { max-width: none; padding: 0; } }
";

/// The page being written.
struct Page<'a> {
    loc: &'a Localizer,
    html: String,
}

impl Page<'_> {
    /// A message with its arguments, escaped (the catalogue has no markup;
    /// text arguments are neutralised first).
    fn t(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let args: Vec<(&str, Arg)> = args
            .iter()
            .map(|(name, a)| {
                let a = match a {
                    Arg::Str(s) => Arg::Str(neutralise(s)),
                    Arg::Num(n) => Arg::Num(*n),
                };
                (*name, a)
            })
            .collect();
        escape(&self.loc.message(id, &args))
    }

    fn push(&mut self, s: &str) {
        self.html.push_str(s);
    }

    /// A time, as `<time>`: ISO 8601 (left to right) and the localised form.
    fn time(&self, unix: u64) -> String {
        let (y, mo, d, h, mi, _) = crate::i18n::civil_utc(unix);
        let month = strip_bidi_marks(&self.loc.message(&format!("report-month-{mo}"), &[]));
        let clock = self.loc.digits(&format!("{h:02}:{mi:02}"));
        let local = self.t(
            "report-datetime",
            &[
                ("day", Arg::from(d)),
                ("month", Arg::Str(month)),
                ("year", Arg::Num(y as f64)),
                ("time", Arg::Str(clock)),
            ],
        );
        let iso = iso8601(unix);
        format!("<time datetime=\"{iso}\"><code>{iso}</code> ({local})</time>")
    }

    fn optional_time(&self, unix: Option<u64>) -> String {
        match unix {
            Some(t) => self.time(t),
            None => self.t("report-time-none", &[]),
        }
    }

    fn document(&mut self, input: &ReportInput) {
        let lang = input.lang.tag();
        let dir = if input.lang.is_rtl() { "rtl" } else { "ltr" };
        let title = self.t("report-title", &[]);
        self.push("<!DOCTYPE html>\n");
        let _ = writeln!(self.html, "<html lang=\"{lang}\" dir=\"{dir}\">");
        self.push("<head>\n<meta charset=\"utf-8\">\n");
        self.push(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
        );
        self.push("<meta name=\"referrer\" content=\"no-referrer\">\n");
        self.push("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(self.html, "<title>{title}</title>");
        let _ = writeln!(self.html, "<style>{STYLE}</style>\n</head>\n<body>");

        // Header and summary.
        let generated = self.time(input.generated_at);
        let bundle = format!("<code>{}</code>", value(&input.bundle_name));
        let line = self.t(
            "report-generated",
            &[
                ("date", Arg::from("\u{E000}")),
                ("bundle", Arg::from("\u{E001}")),
            ],
        );
        let line = line
            .replace("\u{E000}", &generated)
            .replace("\u{E001}", &bundle);
        let _ = writeln!(
            self.html,
            "<header>\n<h1>{title}</h1>\n<p>{line}</p>\n</header>"
        );
        let total = input.items.len();
        let failed = input.items.iter().filter(|i| !i.verdict_ok).count();
        let summary = self.t("report-summary", &[("total", Arg::from(total))]);
        let (class, outcome) = if failed == 0 {
            ("ok", self.t("report-summary-all-passed", &[]))
        } else {
            (
                "fail",
                self.t("report-summary-failed", &[("failed", Arg::from(failed))]),
            )
        };
        let _ = writeln!(
            self.html,
            "<section class=\"summary\">\n<p>{summary}</p>\n<p class=\"verdict {class}\">{outcome}</p>\n<p class=\"note\">{}</p>\n</section>",
            self.t("report-not-proof", &[])
        );

        // How to read it.
        let _ = writeln!(
            self.html,
            "<section class=\"reading\">\n<h2>{}</h2>\n<p>{}</p>\n<p>{}</p>",
            self.t("report-reading-heading", &[]),
            self.t("report-reading-body", &[]),
            self.t("report-reading-source", &[]),
        );
        let _ = writeln!(
            self.html,
            "<h3>{}</h3>\n<dl>",
            self.t("report-times-heading", &[])
        );
        for (term, explain) in [
            ("report-time-device", "report-time-device-explain"),
            ("report-time-not-before", "report-time-not-before-explain"),
            ("report-time-relay", "report-time-relay-explain"),
        ] {
            let _ = writeln!(
                self.html,
                "<dt>{}</dt><dd>{}</dd>",
                self.t(term, &[]),
                self.t(explain, &[])
            );
        }
        let _ = writeln!(
            self.html,
            "<dt>{}</dt><dd>{}</dd>\n</dl>\n</section>",
            self.t("report-time-tsa", &[("authority", Arg::from("…"))]),
            self.t("report-time-tsa-explain", &[])
        );

        for (n, item) in input.items.iter().enumerate() {
            self.item(n + 1, item);
        }

        // Check it yourself.
        let bundle_arg = shell_quote(&neutralise(&input.bundle_name));
        let _ = writeln!(
            self.html,
            "<section class=\"verify\">\n<h2>{}</h2>\n<p>{}</p>\n<pre><code>sanad verify {}</code></pre>\n<p>{}</p>\n<p>{}</p>",
            self.t("report-verify-heading", &[]),
            self.t("report-verify-body", &[]),
            escape(&bundle_arg),
            self.t("report-verify-exit", &[]),
            self.t("report-verify-keys", &[]),
        );
        let _ = writeln!(
            self.html,
            "<table class=\"facts\">\n<tr><th>{}</th><td><code>{}</code></td></tr>\n<tr><th>{}</th><td><code>{}</code></td></tr>\n</table>\n</section>",
            self.t("report-key-log", &[]),
            value(&input.log_key),
            self.t("report-key-desk", &[]),
            value(&input.desk_key_fingerprint),
        );
        let footer = self
            .t("report-footer", &[("date", Arg::from("\u{E000}"))])
            .replace(
                "\u{E000}",
                &format!("<code>{}</code>", iso8601(input.generated_at)),
            );
        let _ = writeln!(self.html, "<footer>{footer}</footer>\n</body>\n</html>");
    }

    fn item(&mut self, n: usize, item: &ReportItem) {
        let heading = self.t("report-item-heading", &[("n", Arg::from(n))]);
        let _ = writeln!(
            self.html,
            "<section class=\"item\">\n<h2>{heading} · <code>{}</code></h2>",
            value(&item.evidence_id)
        );
        let (class, verdict) = if item.verdict_ok {
            ("ok", self.t("report-verdict-ok", &[]))
        } else {
            ("fail", self.t("report-verdict-fail", &[]))
        };
        let _ = writeln!(self.html, "<p class=\"verdict {class}\">{verdict}</p>");

        // The facts.
        let device = self.t(
            "report-device",
            &[
                ("label", Arg::from(&item.device_label)),
                ("organisation", Arg::from(&item.organisation)),
            ],
        );
        let enrolment = if item.enrolled {
            self.t("report-enrolled-yes", &[])
        } else {
            format!("<strong>{}</strong>", self.t("report-enrolled-no", &[]))
        };
        let log = self
            .t(
                "report-log-entry",
                &[
                    ("index", Arg::from(item.log_index)),
                    ("origin", Arg::from("\u{E000}")),
                ],
            )
            .replace(
                "\u{E000}",
                &format!("<code>{}</code>", value(&item.log_origin)),
            );
        let rows = [
            (
                "report-field-case",
                format!("<bdi>{}</bdi>", value(&item.case_ref)),
            ),
            (
                "report-field-evidence-id",
                format!("<code>{}</code>", value(&item.evidence_id)),
            ),
            ("report-field-kind", self.t(item.kind.message(), &[])),
            (
                "report-field-file-name",
                format!("<bdi>{}</bdi>", value(&item.file_name)),
            ),
            (
                "report-field-media-type",
                format!("<code>{}</code>", value(&item.media_type)),
            ),
            (
                "report-field-size",
                self.t("report-size-bytes", &[("n", Arg::from(item.size))]),
            ),
            (
                "report-field-sha256",
                format!("<code>{}</code>", value(&item.sha256)),
            ),
            ("report-field-device", device),
            ("report-field-enrolment", enrolment),
            ("report-field-log", log),
        ];
        let _ = writeln!(
            self.html,
            "<h3>{}</h3>\n<table class=\"facts\">",
            self.t("report-facts-heading", &[])
        );
        for (label, cell) in rows {
            let _ = writeln!(
                self.html,
                "<tr><th>{}</th><td>{cell}</td></tr>",
                self.t(label, &[])
            );
        }
        self.push("</table>\n");

        // The times.
        let _ = writeln!(
            self.html,
            "<h3>{}</h3>\n<table class=\"facts\">",
            self.t("report-times-heading", &[])
        );
        let times = [
            ("report-time-device", self.optional_time(item.device_time)),
            (
                "report-time-not-before",
                self.optional_time(item.not_before),
            ),
            ("report-time-relay", self.optional_time(item.relay_time)),
        ];
        for (label, cell) in times {
            let _ = writeln!(
                self.html,
                "<tr><th>{}</th><td>{cell}</td></tr>",
                self.t(label, &[])
            );
        }
        for tsa in &item.tsa_times {
            let _ = writeln!(
                self.html,
                "<tr><th>{}</th><td>{}</td></tr>",
                self.t(
                    "report-time-tsa",
                    &[("authority", Arg::from(&tsa.authority))]
                ),
                self.time(tsa.time)
            );
        }
        self.push("</table>\n");

        // The checks.
        let _ = writeln!(
            self.html,
            "<h3>{}</h3>\n<table class=\"checks\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            self.t("report-checks-heading", &[]),
            self.t("report-col-check", &[]),
            self.t("report-col-result", &[]),
            self.t("report-col-proves", &[]),
            self.t("report-col-limits", &[]),
        );
        for check in &item.checks {
            let id = check.check.id();
            let (class, result) = if check.passed {
                ("ok", self.t("report-passed", &[]))
            } else {
                ("fail", self.t("report-failed", &[]))
            };
            let detail = match &check.detail {
                Some(d) => {
                    let sentence = strip_bidi_marks(&self.loc.message(d.id, &neutralised(&d.args)));
                    format!(
                        "<br><span class=\"note\">{}</span>",
                        self.t("report-check-detail", &[("detail", Arg::Str(sentence))])
                    )
                }
                None => String::new(),
            };
            let _ = writeln!(
                self.html,
                "<tr><td>{}</td><td class=\"{class}\">{result}{detail}</td><td>{}</td><td>{}</td></tr>",
                self.t(&format!("report-check-{id}"), &[]),
                self.t(&format!("report-check-{id}-proves"), &[]),
                self.t(&format!("report-check-{id}-limits"), &[]),
            );
        }
        self.push("</table>\n");

        // Case fields.
        if !item.fields.is_empty() {
            let _ = writeln!(
                self.html,
                "<h3>{}</h3>\n<table class=\"facts\">\n<tr><th>{}</th><th>{}</th></tr>",
                self.t("report-case-fields-heading", &[]),
                self.t("report-col-field", &[]),
                self.t("report-col-value", &[]),
            );
            for (name, v) in &item.fields {
                let _ = writeln!(
                    self.html,
                    "<tr><td><code>{}</code></td><td><bdi>{}</bdi></td></tr>",
                    value(name),
                    value(v)
                );
            }
            self.push("</table>\n");
        }

        // Redacted copies.
        if !item.derivatives.is_empty() {
            let _ = writeln!(
                self.html,
                "<h3>{}</h3>\n<p class=\"note\">{}</p>\n<table class=\"derivatives\">\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                self.t("report-derivatives-heading", &[]),
                self.t("report-derivatives-explain", &[]),
                self.t("report-col-copy", &[]),
                self.t("report-col-removed", &[]),
                self.t("report-col-link", &[]),
            );
            for d in &item.derivatives {
                let removed: Vec<String> = match &d.removed {
                    None => vec![self.t("report-removed-unlisted", &[])],
                    Some(kinds) if kinds.is_empty() => vec![self.t("report-removed-nothing", &[])],
                    Some(kinds) => kinds.iter().map(|k| self.removed(*k)).collect(),
                };
                let (class, link) = if d.link_verified {
                    ("ok", self.t("report-link-verified", &[]))
                } else {
                    ("fail", self.t("report-link-unverified", &[]))
                };
                let _ = writeln!(
                    self.html,
                    "<tr><td><code>{}</code><br><code>{}</code> · {}</td><td>{}</td><td class=\"{class}\">{link}</td></tr>",
                    value(&d.sha256),
                    value(&d.media_type),
                    self.t("report-size-bytes", &[("n", Arg::from(d.size))]),
                    self.loc.list(&removed),
                );
            }
            self.push("</table>\n");
        }
        self.push("</section>\n");
    }

    /// One removed kind, in words.
    fn removed(&self, kind: RemovedKind) -> String {
        match kind {
            RemovedKind::Exif => self.t("report-removed-exif", &[]),
            RemovedKind::Location => self.t("report-removed-location", &[]),
            RemovedKind::Xmp => self.t("report-removed-xmp", &[]),
            RemovedKind::Iptc => self.t("report-removed-iptc", &[]),
            RemovedKind::IccProfile => self.t("report-removed-icc-profile", &[]),
            RemovedKind::Comment => self.t("report-removed-comment", &[]),
            RemovedKind::Thumbnail => self.t("report-removed-thumbnail", &[]),
            RemovedKind::MultiPicture => self.t("report-removed-multi-picture", &[]),
            RemovedKind::AppSegment(n) => self.t(
                "report-removed-app-segment",
                &[("segment", Arg::Str(format!("APP{n}")))],
            ),
            RemovedKind::Text => self.t("report-removed-text", &[]),
            RemovedKind::Time => self.t("report-removed-time", &[]),
            RemovedKind::PixelDensity => self.t("report-removed-pixel-density", &[]),
            RemovedKind::PngChunk(c) | RemovedKind::RiffChunk(c) => {
                self.t("report-removed-chunk", &[("name", Arg::Str(c.to_string()))])
            }
            RemovedKind::TrailingData => self.t("report-removed-trailing-data", &[]),
        }
    }
}

/// Text arguments neutralised.
fn neutralised(args: &[(&'static str, Arg)]) -> Vec<(&'static str, Arg)> {
    args.iter()
        .map(|(name, a)| match a {
            Arg::Str(s) => (*name, Arg::Str(neutralise(s))),
            Arg::Num(n) => (*name, Arg::Num(*n)),
        })
        .collect()
}

/// `name` as one shell word: as it is when it holds only safe characters,
/// else in single quotes.
fn shell_quote(name: &str) -> String {
    let safe = !name.is_empty()
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '_' | '-' | '/' | '+' | ':' | '@' | '%' | ',')
        });
    if safe {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_times_match_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(iso8601(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn invisible_and_direction_characters_are_shown_as_code_points() {
        assert_eq!(neutralise("photo\u{202E}gpj.exe"), "photo[U+202E]gpj.exe");
        assert_eq!(
            neutralise("a\u{2066}b\u{2069}\u{200B}\n"),
            "a[U+2066]b[U+2069][U+200B][U+000A]"
        );
        assert_eq!(neutralise("\u{E0041}x\u{FEFF}"), "[U+E0041]x[U+FEFF]");
        // Visible Arabic and French text is kept as it is.
        assert_eq!(neutralise("شهادة été"), "شهادة été");
    }

    #[test]
    fn markup_is_escaped_in_text_and_attributes() {
        assert_eq!(
            value("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }

    #[test]
    fn bundle_names_are_quoted_for_the_shell_when_needed() {
        assert_eq!(shell_quote("case-12.sanad"), "case-12.sanad");
        assert_eq!(shell_quote("my bundle.sanad"), "'my bundle.sanad'");
        assert_eq!(shell_quote("it's;rm"), r"'it'\''s;rm'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn every_message_the_report_names_is_in_every_language() {
        // The code above the tests; their own IDs are partly made up.
        let source = include_str!("report.rs");
        let code = source
            .split("#[cfg(test)]")
            .next()
            .expect("the source has code");
        // Every piece between two quotes that is a whole message ID (a
        // char literal '"' shifts which pieces are strings, so all are
        // looked at; code never has this shape).
        let named: Vec<&str> = code
            .split('"')
            .filter(|s| {
                s.starts_with("report-")
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .collect();
        assert!(named.len() > 50, "found only {named:?}");
        for lang in Lang::ALL {
            let catalogue = Localizer::report_catalogue(lang);
            for id in &named {
                assert!(
                    catalogue.iter().any(|(m, _)| m == id),
                    "{lang:?} has no words for {id}"
                );
            }
        }
    }

    #[test]
    fn every_check_and_kind_has_its_messages_in_every_language() {
        for lang in Lang::ALL {
            let catalogue = Localizer::report_catalogue(lang);
            let has = |id: &str| catalogue.iter().any(|(m, _)| m == id);
            for check in Check::ALL {
                for suffix in ["", "-proves", "-limits"] {
                    let id = format!("report-check-{}{suffix}", check.id());
                    assert!(has(&id), "{lang:?} lacks {id}");
                }
            }
            for kind in [
                EvidenceKind::Photo,
                EvidenceKind::Video,
                EvidenceKind::Audio,
                EvidenceKind::Document,
                EvidenceKind::Testimony,
                EvidenceKind::Other,
            ] {
                assert!(has(kind.message()), "{lang:?} lacks {}", kind.message());
            }
            for month in 1..=12 {
                assert!(
                    has(&format!("report-month-{month}")),
                    "{lang:?} month {month}"
                );
            }
        }
    }
}
