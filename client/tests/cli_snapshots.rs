//! The `sanad` binary's output pinned in English, French and Arabic: the
//! help of every command, and the outputs that need no relay (argument,
//! profile, passphrase and invite errors, `panic`).
//!
//! Each case runs the real binary with an empty environment and standard
//! input closed, and is compared with `tests/snapshots/<lang>/<name>.txt`.
//! Run with `SANAD_UPDATE_SNAPSHOTS=1` to write the files after a deliberate
//! change, then review them with `git diff`. In the files, the temporary
//! profile path reads `<PROFILE>` (its directory `<TMP>`), and the invisible
//! direction controls are written out (`<RLI>`, `<FSI>`, `<PDI>`, …) so that
//! a review sees them.
//!
//! Profiles are made with the library (`ProfileDir::create`) and fast key
//! derivation: `sanad init` registers on a relay, and these tests stay
//! relay-free. Such a profile has a key file and a store but no identity,
//! which is enough for every output pinned here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sanad_client::i18n::Lang;
use sanad_client::profile::{KdfParams, Passphrase, ProfileDir};

const SANAD: &str = env!("CARGO_BIN_EXE_sanad");

/// The passphrase of every test profile.
const PASSPHRASE: &str = "the olive tree by the well";

/// A valid invite: `protocol/tests/vectors/client-formats/ok_invite_relay_name`.
const INVITE: &str = "sanad-invite:AQBNc2FuYWQ6Ly9yZWxheS5leGFtcGxlLm9yZzo0NDM_cGluPUFRRUJBUUVCQVFFQkFRRUJBUUVCQVFFQkFRRUJBUUVCQVFFQkFRRUJBUUVTU1NTU1NTU1NTU1NTU1NTe06Qm75__kTEZaIgA31gjuNYl9Me-XLwf3SJLLD3PxMAAAAAZV0rgAAXTUxTIEtleVBhY2thZ2UgKG9wYXF1ZSlOWmE4";

/// An invite of a newer format:
/// `protocol/tests/vectors/client-formats/fail_invite_text_newer_version`.
const INVITE_NEWER: &str = "sanad-invite:AgBNc2FuYWQ6Ly9yZWxheS5leGFtcGxlLm9yZzo0NDM_cGluPUFRRUJBUUVCQVFFQkFRRUJBUUVCQVFFQkFRRUJBUUVCQVFFQkFRRUJBUUVTU1NTU1NTU1NTU1NTU1NTe06Qm75__kTEZaIgA31gjuNYl9Me-XLwf3SJLLD3PxMAAAAAZV0rgAAXTUxTIEtleVBhY2thZ2UgKG9wYXF1ZSnG1TM_";

/// The relay address inside [`INVITE`].
const RELAY: &str = "sanad://relay.example.org:443?pin=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE";

/// Every command that has its own help, as the words after `sanad`.
const COMMANDS: &[&[&str]] = &[
    &["init"],
    &["whoami"],
    &["invite"],
    &["contact"],
    &["contact", "add"],
    &["contact", "list"],
    &["contact", "verify"],
    &["send"],
    &["sync"],
    &["inbox"],
    &["read"],
    &["save"],
    &["group"],
    &["group", "create"],
    &["group", "add"],
    &["group", "remove"],
    &["group", "list"],
    &["group", "check"],
    &["outbox"],
    &["outbox", "list"],
    &["outbox", "flush"],
    &["settings"],
    &["update-keys"],
    &["panic"],
    &["evidence"],
    &["evidence", "capture"],
    &["evidence", "list"],
    &["evidence", "show"],
    &["evidence", "export"],
    &["evidence", "redact"],
    &["evidence", "key"],
    &["evidence", "desk"],
    &["evidence", "enrol"],
    &["evidence", "devices"],
    &["evidence", "desk-key"],
    &["anchor"],
    &["verify"],
];

/// What exists before a case runs.
#[derive(Clone, Copy)]
enum Setup {
    /// Nothing at `<PROFILE>`.
    Nothing,
    /// A profile at `<PROFILE>` with [`PASSPHRASE`].
    Profile,
}

/// One run of the binary: environment variables and arguments, where
/// `<PROFILE>` and `<TMP>` stand for the case's paths.
struct Step {
    env: Vec<(&'static str, &'static str)>,
    args: Vec<String>,
}

/// A snapshot: runs in order, their outputs one after the other.
struct Case {
    name: String,
    setup: Setup,
    steps: Vec<Step>,
}

impl Case {
    fn new(name: &str, setup: Setup) -> Case {
        Case {
            name: name.to_owned(),
            setup,
            steps: Vec::new(),
        }
    }

    fn run(mut self, env: &[(&'static str, &'static str)], args: &[&str]) -> Case {
        self.steps.push(Step {
            env: env.to_vec(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        });
        self
    }

    /// `sanad <command…> --help`, named `help` or `help-<command>`.
    fn help(command: &[&str]) -> Case {
        let mut name = String::from("help");
        for word in command {
            name.push('-');
            name.push_str(word);
        }
        let mut args = command.to_vec();
        args.push("--help");
        Case::new(&name, Setup::Nothing).run(&[], &args)
    }
}

/// `INVITE` with one character of its body changed (as a bad copy would).
fn damaged_invite() -> String {
    let mut chars: Vec<char> = INVITE.chars().collect();
    let i = 60;
    chars[i] = if chars[i] == 'Q' { 'R' } else { 'Q' };
    chars.into_iter().collect()
}

const WITH_PASSPHRASE: &[(&str, &str)] = &[("SANAD_PASSPHRASE", PASSPHRASE)];
const WRONG_PASSPHRASE: &[(&str, &str)] = &[("SANAD_PASSPHRASE", "the olive tree by the sea")];
const SHORT_PASSPHRASE: &[(&str, &str)] = &[("SANAD_PASSPHRASE", "olive")];

fn cases() -> Vec<Case> {
    let mut cases = vec![Case::help(&[])];
    cases.extend(COMMANDS.iter().map(|c| Case::help(c)));
    let damaged = damaged_invite();
    cases.extend([
        Case::new("error-no-command", Setup::Nothing).run(&[], &[]),
        Case::new("verify-missing-bundle", Setup::Nothing).run(&[], &["verify", "<TMP>/none.zip"]),
        Case::new("verify-bad-desk-key", Setup::Nothing)
            .run(&[], &["verify", "--desk-key", "12ab", "<TMP>/none.zip"]),
        Case::new("error-missing-arguments", Setup::Nothing).run(&[], &["send"]),
        Case::new("error-unknown-option", Setup::Nothing).run(&[], &["sync", "--fast"]),
        Case::new("error-missing-profile", Setup::Nothing)
            .run(WITH_PASSPHRASE, &["whoami", "--profile", "<PROFILE>"]),
        Case::new("error-missing-profile-json", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &["whoami", "--json", "--profile", "<PROFILE>"],
        ),
        Case::new("error-wrong-passphrase", Setup::Profile)
            .run(WRONG_PASSPHRASE, &["whoami", "--profile", "<PROFILE>"]),
        Case::new("error-passphrase-required", Setup::Profile)
            .run(&[], &["whoami", "--profile", "<PROFILE>"]),
        Case::new("error-passphrase-file-missing", Setup::Profile).run(
            &[],
            &[
                "whoami",
                "--profile",
                "<PROFILE>",
                "--passphrase-file",
                "<TMP>/passphrase.txt",
            ],
        ),
        Case::new("error-invite-invalid", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &[
                "contact",
                "add",
                "garbage",
                "--name",
                "x",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-invite-damaged", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &[
                "contact",
                "add",
                &damaged,
                "--name",
                "x",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-invite-newer-version", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &[
                "contact",
                "add",
                INVITE_NEWER,
                "--name",
                "x",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-invite-without-profile", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &[
                "contact",
                "add",
                INVITE,
                "--name",
                "x",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-init-relay-address", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &[
                "init",
                "--relay",
                "relay.example.org",
                "--name",
                "Amal",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-init-profile-exists", Setup::Profile).run(
            WITH_PASSPHRASE,
            &[
                "init",
                "--relay",
                RELAY,
                "--name",
                "Amal",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-init-passphrase-short", Setup::Nothing).run(
            SHORT_PASSPHRASE,
            &[
                "init",
                "--relay",
                RELAY,
                "--name",
                "Amal",
                "--profile",
                "<PROFILE>",
            ],
        ),
        Case::new("error-invite-valid-days", Setup::Nothing).run(
            WITH_PASSPHRASE,
            &["invite", "--valid-days", "91", "--profile", "<PROFILE>"],
        ),
        Case::new("panic-yes", Setup::Profile)
            .run(&[], &["panic", "--yes", "--profile", "<PROFILE>"])
            .run(WITH_PASSPHRASE, &["whoami", "--profile", "<PROFILE>"]),
        Case::new("panic-without-terminal", Setup::Profile)
            .run(&[], &["panic", "--profile", "<PROFILE>"]),
        Case::new("panic-missing-profile", Setup::Nothing)
            .run(&[], &["panic", "--yes", "--profile", "<PROFILE>"]),
    ]);
    cases
}

// ---- running --------------------------------------------------------------

/// A case's temporary directory and the profile path inside it.
struct Place {
    tmp: tempfile::TempDir,
    profile: PathBuf,
}

impl Place {
    fn new(setup: Setup) -> Place {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let profile = tmp.path().join("profile");
        if let Setup::Profile = setup {
            ProfileDir::new(&profile)
                .create(
                    &Passphrase::new(PASSPHRASE.to_owned()),
                    KdfParams::dangerous_fast_for_tests(),
                )
                .expect("a test profile is created");
        }
        Place { tmp, profile }
    }

    fn expand(&self, arg: &str) -> String {
        arg.replace("<PROFILE>", &self.profile.to_string_lossy())
            .replace("<TMP>", &self.tmp.path().to_string_lossy())
    }

    fn normalise(&self, text: &str) -> String {
        text.replace(&*self.profile.to_string_lossy(), "<PROFILE>")
            .replace(&*self.tmp.path().to_string_lossy(), "<TMP>")
    }
}

/// Output of one run of the binary.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `sanad --lang <lang> <args>` with only `env` set and no standard input.
fn sanad(lang: Option<Lang>, env: &[(&str, &str)], args: &[String]) -> Run {
    let mut command = Command::new(SANAD);
    command
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    if let Some(lang) = lang {
        command.args(["--lang", lang.tag()]);
    }
    let output = command.args(args).output().expect("the sanad binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The invisible characters a review must see, written out.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let name = match c {
            '\u{2066}' => "LRI",
            '\u{2067}' => "RLI",
            '\u{2068}' => "FSI",
            '\u{2069}' => "PDI",
            '\u{200E}' => "LRM",
            '\u{200F}' => "RLM",
            '\u{061C}' => "ALM",
            '\u{202A}' => "LRE",
            '\u{202B}' => "RLE",
            '\u{202C}' => "PDF",
            '\u{202D}' => "LRO",
            '\u{202E}' => "RLO",
            '\u{200B}' => "ZWSP",
            '\u{FEFF}' => "BOM",
            '\n' | '\t' => {
                out.push(c);
                continue;
            }
            c if c.is_control() => {
                out.push_str(&format!("<U+{:04X}>", u32::from(c)));
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push('<');
        out.push_str(name);
        out.push('>');
    }
    out
}

/// `word` as a shell would need it, for the command line shown in a
/// snapshot (placeholders such as `<PROFILE>` stay bare).
fn quoted(word: &str) -> String {
    let placeholder = word.starts_with('<') && word.ends_with('>');
    let safe = |c: char| c.is_alphanumeric() || "-_./:=@,+%<>".contains(c);
    let plain = placeholder || (!word.is_empty() && word.chars().all(safe));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// What a case prints, as the snapshot file holds it.
fn render(lang: Lang, case: &Case) -> String {
    let place = Place::new(case.setup);
    let mut out = String::new();
    for step in &case.steps {
        let args: Vec<String> = step.args.iter().map(|a| place.expand(a)).collect();
        let run = sanad(Some(lang), &step.env, &args);
        if !out.is_empty() {
            out.push('\n');
        }
        out.push('$');
        for (name, value) in &step.env {
            out.push_str(&format!(" {name}={}", quoted(value)));
        }
        out.push_str(&format!(" sanad --lang {}", lang.tag()));
        for arg in &step.args {
            out.push(' ');
            out.push_str(&quoted(arg));
        }
        out.push('\n');
        match run.code {
            Some(code) => out.push_str(&format!("exit {code}\n")),
            None => out.push_str("killed by a signal\n"),
        }
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            if !text.is_empty() {
                out.push_str(&format!("--- {stream}\n"));
                out.push_str(&visible(&place.normalise(text)));
                if !text.ends_with('\n') {
                    out.push_str("\n<no newline at end>\n");
                }
            }
        }
    }
    out
}

// ---- comparing ------------------------------------------------------------

fn snapshot_dir(lang: Lang) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(lang.tag())
}

fn updating() -> bool {
    std::env::var_os("SANAD_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// A line diff of `expected` and `actual` (longest common subsequence),
/// changed lines with two lines of context: `-` expected, `+` actual.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: common lines of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut script: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            script.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            script.push(('-', a[i]));
            i += 1;
        } else {
            script.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        let from = k.saturating_sub(2);
        let to = (k + 3).min(script.len());
        script[from..to].iter().any(|(t, _)| *t != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line)) in script.iter().enumerate() {
        if near_change(k) {
            if skipped {
                out.push_str("  …\n");
                skipped = false;
            }
            out.push_str(&format!("{tag} {line}\n"));
        } else {
            skipped = true;
        }
    }
    if skipped {
        out.push_str("  …\n");
    }
    out
}

/// Runs every case in `lang` against its snapshot; all differences are
/// reported together.
fn check_language(lang: Lang) {
    let dir = snapshot_dir(lang);
    let mut failures = Vec::new();
    for case in cases() {
        let actual = render(lang, &case);
        let path = dir.join(format!("{}.txt", case.name));
        let expected = std::fs::read_to_string(&path).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        if updating() {
            std::fs::create_dir_all(&dir).expect("the snapshot directory can be made");
            std::fs::write(&path, &actual).expect("the snapshot can be written");
            eprintln!("updated {}", path.display());
            continue;
        }
        let report = match expected {
            Some(expected) => format!(
                "{}: output differs (- snapshot, + now)\n{}",
                path.display(),
                diff(&expected, &actual)
            ),
            None => format!("{}: no snapshot; the output is:\n{actual}", path.display()),
        };
        failures.push(report);
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) in {} differ; after a deliberate change, rerun with \
         SANAD_UPDATE_SNAPSHOTS=1 and review the files.\n\n{}",
        failures.len(),
        lang.tag(),
        failures.join("\n")
    );
}

#[test]
fn english_output_matches_its_snapshots() {
    check_language(Lang::En);
}

#[test]
fn french_output_matches_its_snapshots() {
    check_language(Lang::Fr);
}

#[test]
fn arabic_output_matches_its_snapshots() {
    check_language(Lang::Ar);
}

// ---- the snapshot set itself ----------------------------------------------

/// The command names listed under the `Commands:` heading of an English
/// help text.
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn every_command_in_the_help_has_a_help_snapshot() {
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut queue: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(path) = queue.pop() {
        let mut args = path.clone();
        args.push("--help".to_owned());
        let run = sanad(Some(Lang::En), &[], &args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        for name in listed_commands(&run.stdout) {
            let mut sub = path.clone();
            sub.push(name);
            found.insert(sub.clone());
            queue.push(sub);
        }
    }
    let pinned: BTreeSet<Vec<String>> = COMMANDS
        .iter()
        .map(|c| c.iter().map(|w| (*w).to_owned()).collect())
        .collect();
    assert_eq!(
        found, pinned,
        "COMMANDS and the commands in the help differ"
    );
}

#[test]
fn every_snapshot_file_belongs_to_a_case() {
    let names: BTreeSet<String> = cases().into_iter().map(|c| c.name).collect();
    for lang in Lang::ALL {
        let Ok(entries) = std::fs::read_dir(snapshot_dir(lang)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if names.contains(&stem) {
                continue;
            }
            if updating() {
                std::fs::remove_file(&path).expect("a stale snapshot can be removed");
                eprintln!("removed {}", path.display());
            } else {
                panic!("{} belongs to no case (remove it)", path.display());
            }
        }
    }
}

#[test]
fn the_language_comes_from_the_environment_when_lang_is_not_given() {
    let help = ["--help".to_owned()];
    for (var, value, lang) in [
        ("LANG", "fr_FR.UTF-8", Lang::Fr),
        ("LC_ALL", "ar_LY.UTF-8", Lang::Ar),
        ("LANGUAGE", "de:fr", Lang::Fr),
        ("LANG", "C", Lang::En),
    ] {
        let from_env = sanad(None, &[(var, value)], &help);
        let explicit = sanad(Some(lang), &[], &help);
        assert_eq!(from_env.stdout, explicit.stdout, "{var}={value}");
    }
    let from_nothing = sanad(None, &[], &help);
    assert_eq!(
        from_nothing.stdout,
        sanad(Some(Lang::En), &[], &help).stdout
    );
}

#[test]
fn panic_with_yes_destroys_the_key_and_without_a_terminal_destroys_nothing() {
    let place = Place::new(Setup::Profile);
    let profile = ProfileDir::new(&place.profile);
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a = vec!["panic".to_owned(), "--profile".to_owned()];
        a.push(place.profile.to_string_lossy().into_owned());
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let refused = sanad(Some(Lang::En), &[], &args(&[]));
    assert_eq!(refused.code, Some(1));
    assert!(profile.exists(), "a refused panic left the key file");
    let done = sanad(Some(Lang::En), &[], &args(&["--yes"]));
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(!profile.exists(), "the key file is gone");
}

#[test]
fn the_diff_shows_changed_lines_with_context() {
    let expected = "a\nb\nc\nd\ne\nf\ng\n";
    let actual = "a\nb\nc\nD\ne\nf\ng\n";
    assert_eq!(
        diff(expected, actual),
        "  …\n  b\n  c\n- d\n+ D\n  e\n  f\n  …\n"
    );
    assert_eq!(visible("\u{2067}x\u{2069}\u{7}"), "<RLI>x<PDI><U+0007>");
}
