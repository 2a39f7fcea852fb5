//! The evidence report (`evidence::report`): the HTML of one item pinned in
//! English, French and Arabic, and the rules every report keeps whatever
//! its input (no script, nothing loaded, every value escaped, direction
//! tricks in names made visible, right to left in Arabic).
//!
//! Snapshots are `tests/snapshots/report/<lang>.html`, to open in a browser
//! or print. Run with `SANAD_UPDATE_SNAPSHOTS=1` to write them after a
//! deliberate change, then review them with `git diff`.

use std::path::{Path, PathBuf};

use sanad_client::evidence::redact::RemovedKind;
use sanad_client::evidence::report::{
    neutralise, render_html, Check, Detail, EvidenceKind, ReportCheck, ReportDerivative,
    ReportInput, ReportItem, TsaTime,
};
use sanad_client::i18n::{strip_bidi_marks, Arg, Lang};

fn item() -> ReportItem {
    ReportItem {
        evidence_id: "5f0c2a9d7b3e41c8a6d2e9f01b7c4a33".to_owned(),
        case_ref: "LY-2026-014".to_owned(),
        kind: EvidenceKind::Photo,
        media_type: "image/jpeg".to_owned(),
        file_name: "IMG_2041.jpg".to_owned(),
        size: 2_345_678,
        sha256: "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b".to_owned(),
        device_label: "Olive-3".to_owned(),
        organisation: "Partner A".to_owned(),
        enrolled: true,
        device_time: Some(1_794_990_000),
        not_before: Some(1_794_980_000),
        relay_time: Some(1_795_000_000),
        tsa_times: vec![TsaTime {
            authority: "Test TSA (P-256)".to_owned(),
            time: 1_795_003_600,
        }],
        log_index: 41,
        log_origin: "relay.example.org/log".to_owned(),
        checks: Check::ALL
            .iter()
            .map(|&check| ReportCheck {
                check,
                passed: true,
                detail: None,
            })
            .collect(),
        verdict_ok: true,
        fields: vec![
            ("incident_date".to_owned(), "2026-11-02".to_owned()),
            (
                "place_type".to_owned(),
                "unofficial detention facility".to_owned(),
            ),
        ],
        derivatives: vec![ReportDerivative {
            sha256: "c1d4e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1".to_owned(),
            media_type: "image/jpeg".to_owned(),
            size: 2_301_112,
            removed: Some(vec![
                RemovedKind::Exif,
                RemovedKind::Location,
                RemovedKind::Thumbnail,
            ]),
            link_verified: true,
        }],
    }
}

fn input(lang: Lang, items: Vec<ReportItem>) -> ReportInput {
    ReportInput {
        lang,
        generated_at: 1_795_010_000,
        bundle_name: "LY-2026-014.sanad".to_owned(),
        items,
        desk_key_fingerprint: "SHA256:9c1f5e7a2b4d6f8091a3c5e7b9d1f3a5".to_owned(),
        log_key:
            "relay.example.org/log+4b1d2f3a+AQ3x0GmMkAJ6QxH8c1f5e7a2b4d6f8091a3c5e7b9d1f3a5c7e9"
                .to_owned(),
    }
}

fn snapshot(lang: Lang) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/report")
        .join(format!("{}.html", lang.tag()))
}

fn check_snapshot(lang: Lang) {
    let html = render_html(&input(lang, vec![item()]));
    let path = snapshot(lang);
    if std::env::var("SANAD_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("snapshot dir");
        std::fs::write(&path, &html).expect("snapshot written");
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (SANAD_UPDATE_SNAPSHOTS=1 writes it)",
            path.display()
        )
    });
    assert!(
        html == pinned,
        "{} differs; SANAD_UPDATE_SNAPSHOTS=1 rewrites it, then review with git diff",
        path.display()
    );
}

#[test]
fn english_report_matches_its_snapshot() {
    check_snapshot(Lang::En);
}

#[test]
fn french_report_matches_its_snapshot() {
    check_snapshot(Lang::Fr);
}

#[test]
fn arabic_report_matches_its_snapshot() {
    check_snapshot(Lang::Ar);
}

#[test]
fn reports_declare_their_language_and_direction() {
    for (lang, head) in [
        (Lang::En, "<html lang=\"en\" dir=\"ltr\">"),
        (Lang::Fr, "<html lang=\"fr\" dir=\"ltr\">"),
        (Lang::Ar, "<html lang=\"ar\" dir=\"rtl\">"),
    ] {
        let html = render_html(&input(lang, vec![item()]));
        assert!(html.starts_with("<!DOCTYPE html>\n"), "{lang:?}");
        assert!(html.contains(head), "{lang:?}");
        assert!(html.contains("<meta charset=\"utf-8\">"), "{lang:?}");
    }
}

#[test]
fn reports_carry_no_script_and_load_nothing() {
    for lang in Lang::ALL {
        let html = render_html(&input(lang, vec![item()])).to_ascii_lowercase();
        for forbidden in [
            "<script",
            "<img",
            "<link",
            "<iframe",
            "<object",
            "@import",
            "url(",
            "src=",
            "href=",
            "javascript:",
            " on",
        ] {
            let hit = if forbidden == " on" {
                // Event handler attributes: ` onload=`, ` onclick=`, …
                html.match_indices(" on").any(|(i, _)| {
                    html[i + 3..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .count()
                        > 0
                        && html[i + 3..]
                            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                            .starts_with('=')
                })
            } else {
                html.contains(forbidden)
            };
            assert!(!hit, "{lang:?}: {forbidden}");
        }
        assert!(html.contains(
            "content-security-policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\""
        ));
    }
}

#[test]
fn markup_and_direction_tricks_in_attacker_values_are_neutralised() {
    let mut evil = item();
    evil.file_name = "<script>alert(1)</script>photo\u{202E}gpj.exe".to_owned();
    evil.case_ref = "\"><img src=x onerror=alert(1)>\u{2066}".to_owned();
    evil.device_label = "Olive\u{200F}<b>3</b>".to_owned();
    evil.organisation = "A & B\u{2069}".to_owned();
    evil.fields = vec![(
        "place<".to_owned(),
        "\u{202D}<svg/onload=alert(1)>".to_owned(),
    )];
    evil.tsa_times[0].authority = "TSA</td><script>".to_owned();
    evil.log_origin = "log\u{202E}".to_owned();
    let mut input = input(Lang::Ar, vec![evil]);
    input.bundle_name = "x'; rm -rf ~ #\u{202E}.sanad".to_owned();
    let html = render_html(&input);
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "a script tag survived"
    );
    assert!(!html.contains("<img") && !html.contains("<svg") && !html.contains("<b>3"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;photo[U+202E]gpj.exe"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;[U+2066]"));
    assert!(html.contains("A &amp; B[U+2069]"));
    assert!(html.contains("sanad verify &#39;x&#39;\\&#39;&#39;; rm -rf ~ #[U+202E].sanad&#39;"));
    // The only direction controls left are the isolates the localizer puts
    // around values in Arabic sentences, balanced.
    for c in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{200E}', '\u{200F}',
    ] {
        assert!(!html.contains(c), "{:?} left in the page", c);
    }
    let opened = html.matches(['\u{2066}', '\u{2067}', '\u{2068}']).count();
    assert_eq!(
        opened,
        html.matches('\u{2069}').count(),
        "unbalanced isolates"
    );
    assert_eq!(neutralise("\u{202E}"), "[U+202E]");
}

#[test]
fn arabic_reports_write_counts_sizes_and_dates_in_arabic_indic_digits_and_keep_identifiers() {
    // Without the isolates around values, to compare the text.
    let html = strip_bidi_marks(&render_html(&input(Lang::Ar, vec![item()])));
    assert!(html.contains("٢٣٤٥٦٧٨"), "size");
    assert!(html.contains("١٨ نوفمبر ٢٠٢٦"), "date");
    assert!(html.contains("١١:٠٦"), "time");
    // ISO 8601 and identifiers stay ASCII.
    assert!(
        html.contains("<time datetime=\"2026-11-18T11:06:40Z\"><code>2026-11-18T11:06:40Z</code>")
    );
    assert!(html.contains("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"));
    assert!(html.contains("<pre><code>sanad verify LY-2026-014.sanad</code></pre>"));
    let fr = render_html(&input(Lang::Fr, vec![item()]));
    assert!(fr.contains("18 novembre 2026, 11:06 UTC"));
    assert!(fr.contains("2345678 octets"));
}

#[test]
fn failed_checks_show_their_reason_and_the_verdict_says_not_to_rely_on_the_item() {
    let mut bad = item();
    bad.verdict_ok = false;
    bad.enrolled = false;
    bad.checks[2].passed = false;
    bad.checks[2].detail = Some(Detail {
        id: "report-removed-chunk",
        args: vec![("name", Arg::from("<i>x</i>\u{202E}"))],
    });
    let html = render_html(&input(Lang::En, vec![item(), bad]));
    assert!(html.contains("One item failed verification"));
    assert!(html.contains("NOT VERIFIED: at least one check failed."));
    assert!(html.contains("<strong>NOT enrolled by the desk</strong>"));
    assert!(html.contains(
        "✗ FAILED<br><span class=\"note\">Reason: chunk “&lt;i&gt;x&lt;/i&gt;[U+202E]”</span>"
    ));
    assert!(html.contains("This bundle holds 2 evidence items."));
    let all_ok = render_html(&input(Lang::En, vec![item()]));
    assert!(all_ok.contains("Every check passed for every item."));
    assert!(!all_ok.contains("FAILED"));
}

#[test]
fn every_check_explains_what_it_proves_and_what_it_does_not_in_every_language() {
    for lang in Lang::ALL {
        let html = render_html(&input(lang, vec![item()]));
        for check in Check::ALL {
            let id = check.id();
            assert!(
                !html.contains(&format!("report-check-{id}")),
                "{lang:?}: {id} has no message"
            );
        }
        assert!(
            !html.contains("report-"),
            "{lang:?}: a message ID shows instead of its text"
        );
        assert!(html.contains("sanad verify"));
    }
}
