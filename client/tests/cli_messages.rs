//! The `sanad` binary and the English catalogue agree: every message ID
//! the CLI source asks for with `t!(loc, "id", …)` exists, is given the
//! variables the message uses, and every catalogue message is used by the
//! CLI (so catalogues stay clean). The other catalogues are checked against
//! English by the unit tests in `src/i18n.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sanad_client::i18n::{Arg, Lang, Localizer};

/// One `t!` call: where it is, the message ID, the names of the variables
/// passed.
#[derive(Debug)]
struct Call {
    at: String,
    id: String,
    vars: BTreeSet<String>,
}

/// The CLI's sources, file name and text, sorted by name.
fn cli_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/sanad");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the CLI source directory is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file has a name")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
            (name, text)
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "the CLI sources were not found in {dir:?}"
    );
    files
}

/// The top-level arguments of a macro call whose text starts just after
/// its `(`: split at commas outside brackets and string literals.
fn macro_arguments(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                current.push(c);
                // A string literal, escapes included, up to its closing quote.
                while let Some(s) = chars.next() {
                    current.push(s);
                    if s == '\\' {
                        if let Some(escaped) = chars.next() {
                            current.push(escaped);
                        }
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    args.push(current);
    args.into_iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Every `t!(…)` call in `text` (not `format!(` and the like: the `t`
/// must start a name).
fn calls_in(file: &str, text: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    for (start, _) in text.match_indices("t!(") {
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let line = text[..start].lines().count().max(1);
        let at = format!("{file}:{line}");
        let args = macro_arguments(&text[start + 3..]);
        let id = args
            .get(1)
            .and_then(|a| a.strip_prefix('"'))
            .and_then(|a| a.strip_suffix('"'))
            .unwrap_or_else(|| panic!("{at}: the message ID is not a string literal: {args:?}"));
        let vars = args[2..]
            .iter()
            .map(|a| {
                let (name, _) = a
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{at}: `{a}` is not `name = value`"));
                name.trim().to_owned()
            })
            .collect();
        calls.push(Call {
            at,
            id: id.to_owned(),
            vars,
        });
    }
    calls
}

fn cli_calls() -> Vec<Call> {
    let calls: Vec<Call> = cli_sources()
        .iter()
        .flat_map(|(file, text)| calls_in(file, text))
        .collect();
    assert!(calls.len() > 50, "too few t! calls found: {}", calls.len());
    calls
}

fn english() -> BTreeMap<String, BTreeSet<String>> {
    Localizer::catalogue(Lang::En)
        .into_iter()
        .map(|(id, vars)| (id, vars.into_iter().collect()))
        .collect()
}

#[test]
fn every_message_the_cli_asks_for_is_in_the_english_catalogue() {
    let catalogue = english();
    let missing: Vec<String> = cli_calls()
        .iter()
        .filter(|c| !catalogue.contains_key(&c.id))
        .map(|c| format!("{} {}", c.at, c.id))
        .collect();
    assert!(missing.is_empty(), "not in en/sanad.ftl: {missing:#?}");
}

#[test]
fn every_message_is_given_exactly_the_variables_it_uses() {
    let catalogue = english();
    let wrong: Vec<String> = cli_calls()
        .iter()
        .filter_map(|c| {
            let wanted = catalogue.get(&c.id)?;
            (wanted != &c.vars).then(|| {
                format!(
                    "{} {}: passes {:?}, the message uses {:?}",
                    c.at, c.id, c.vars, wanted
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn every_catalogue_message_is_used_by_the_cli() {
    let used: BTreeSet<String> = cli_calls().into_iter().map(|c| c.id).collect();
    let unused: Vec<String> = english()
        .into_keys()
        .filter(|id| !used.contains(id))
        .collect();
    assert!(
        unused.is_empty(),
        "messages no CLI code uses (remove them from the three catalogues): {unused:#?}"
    );
}

#[test]
fn the_scanner_reads_calls_that_span_lines_and_skips_other_macros() {
    let text = r#"
        let a = t!(loc, "one");
        let b = format!("{}", x);
        let c = t!(
            self.loc,
            "two",
            names = list.join(", "),
            n = f(1, (2, 3)),
        );
        let d = sanad_client::t!(loc, "three", q = "a)b\"c");
    "#;
    let calls = calls_in("x.rs", text);
    let ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["one", "two", "three"]);
    assert_eq!(calls[0].at, "x.rs:2");
    assert!(calls[0].vars.is_empty());
    let two: Vec<&str> = calls[1].vars.iter().map(String::as_str).collect();
    assert_eq!(two, ["n", "names"]);
    let three: Vec<&str> = calls[2].vars.iter().map(String::as_str).collect();
    assert_eq!(three, ["q"]);
}

/// The stable IDs a `match` in `source` returns as string literals, between
/// the line containing `from` and the end of that function.
fn ids_returned(source: &str, from: &str) -> Vec<String> {
    let start = source.find(from).expect("the function is there");
    let body = &source[start..];
    let end = body.find("\n    }\n").expect("the function ends");
    body[..end]
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("=> \"")?;
            let (id, _) = rest.split_once('"')?;
            Some(id.to_owned())
        })
        .collect()
}

/// What `message` says for `value` of its selector `var`, in every
/// language, against what it says for an ID it cannot know (its `*[other]`
/// fallback): an ID that falls back is missing from that catalogue.
fn fallbacks(message: &str, var: &str, ids: &[String]) -> Vec<String> {
    let mut missing = Vec::new();
    for lang in [Lang::En, Lang::Fr, Lang::Ar] {
        let loc = Localizer::new(lang);
        let say = |value: &str| loc.message(message, &[(var, Arg::Str(value.to_owned()))]);
        let fallback = say("no-such-id");
        for id in ids {
            if say(id) == fallback {
                missing.push(format!("{lang:?} {message} {id}"));
            }
        }
    }
    missing
}

#[test]
fn every_check_and_failure_the_verifier_names_has_words_in_every_language() {
    let verify = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../protocol/src/evidence/verify.rs"),
    )
    .expect("the verifier's source is readable");
    let failures = ids_returned(&verify, "pub fn id(&self) -> &'static str {");
    assert!(failures.len() >= 40, "{failures:?}");
    let mut checks = ids_returned(&verify, "pub fn name(&self) -> String {");
    // The desk's own checks on arrival (`messenger/evidence_desk.rs`).
    let desk = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/messenger/evidence_desk.rs"),
    )
    .expect("the desk's source is readable");
    for id in [
        "evidence-id-new",
        "seen-consistent",
        "latest-checkpoint",
        "enrolment",
        "file",
    ] {
        assert!(desk.contains(&format!("\"{id}\"")), "the desk records {id}");
        checks.push(id.to_owned());
    }
    assert!(checks.len() >= 12, "{checks:?}");
    let mut missing = fallbacks("verify-failure", "error", &failures);
    missing.extend(fallbacks("check-name", "check", &checks));
    assert!(missing.is_empty(), "no words for: {missing:#?}");
}
