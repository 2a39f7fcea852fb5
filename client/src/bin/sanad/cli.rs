//! The command line, built at run time so that `--help` is in the user's
//! language.

use clap::{Arg, ArgAction, Command};
use sanad_client::i18n::Localizer;
use sanad_client::t;

/// The longest validity `sanad invite --valid-days` accepts.
const INVITE_MAX_DAYS: u64 = 90;
/// The validity of an invite when `--valid-days` is not given.
const INVITE_DEFAULT_DAYS: &str = "7";
/// Where the options every command shares are listed in a command's help:
/// after its own (clap would interleave them by declaration order).
const GLOBAL_OPTIONS_ORDER: usize = 100;

/// The help layout, headings in the user's language; sections only for
/// what the command has.
fn template(loc: &Localizer, subcommands: bool, positionals: bool) -> String {
    let mut s = String::from("{about-with-newline}\n");
    s.push_str(&t!(loc, "help-usage"));
    s.push_str(" {usage}\n");
    if subcommands {
        s.push('\n');
        s.push_str(&t!(loc, "help-commands"));
        s.push_str("\n{subcommands}\n");
    }
    if positionals {
        s.push('\n');
        s.push_str(&t!(loc, "help-arguments"));
        s.push_str("\n{positionals}\n");
    }
    s.push('\n');
    s.push_str(&t!(loc, "help-options"));
    s.push_str("\n{options}{after-help}\n");
    s
}

/// `command` and all its subcommands with their help layout (set once the
/// tree is built, when each command's arguments are known).
fn with_templates(loc: &Localizer, command: Command) -> Command {
    let command = command.mut_subcommands(|sub| with_templates(loc, sub));
    let layout = template(
        loc,
        command.has_subcommands(),
        command.get_positionals().next().is_some(),
    );
    command.help_template(layout)
}

fn cmd(loc: &Localizer, name: &'static str, about: String) -> Command {
    Command::new(name)
        .about(about)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t!(loc, "opt-help")),
        )
}

fn positional(name: &'static str, value: &'static str, help: String) -> Arg {
    Arg::new(name).value_name(value).required(true).help(help)
}

/// The whole command tree.
pub fn command(loc: &Localizer) -> Command {
    let tree = cmd(loc, "sanad", t!(loc, "app-about"))
        .version(env!("CARGO_PKG_VERSION"))
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t!(loc, "opt-version")),
        )
        .subcommand_required(true)
        .after_help(t!(loc, "app-after-help"))
        .arg(
            Arg::new("profile")
                .display_order(GLOBAL_OPTIONS_ORDER)
                .long("profile")
                .value_name("DIR")
                .env("SANAD_PROFILE")
                // clap would add "[env: …]" in English; opt-profile says it.
                .hide_env(true)
                .global(true)
                .help(t!(loc, "opt-profile")),
        )
        .arg(
            Arg::new("lang")
                .display_order(GLOBAL_OPTIONS_ORDER + 1)
                .long("lang")
                .value_name("LANG")
                .global(true)
                .help(t!(loc, "opt-lang")),
        )
        .arg(
            Arg::new("passphrase-file")
                .display_order(GLOBAL_OPTIONS_ORDER + 2)
                .long("passphrase-file")
                .value_name("FILE")
                .global(true)
                .help(t!(loc, "opt-passphrase-file")),
        )
        .arg(
            Arg::new("json")
                .display_order(GLOBAL_OPTIONS_ORDER + 3)
                .long("json")
                .action(ArgAction::SetTrue)
                .global(true)
                .help(t!(loc, "opt-json")),
        )
        .arg(
            Arg::new("quiet")
                .display_order(GLOBAL_OPTIONS_ORDER + 4)
                .short('q')
                .long("quiet")
                .action(ArgAction::SetTrue)
                .global(true)
                .help(t!(loc, "opt-quiet")),
        )
        .subcommand(
            cmd(loc, "init", t!(loc, "cmd-init"))
                .arg(
                    Arg::new("relay")
                        .long("relay")
                        .value_name("ADDRESS")
                        .required(true)
                        .help(t!(loc, "opt-relay")),
                )
                .arg(
                    Arg::new("name")
                        .long("name")
                        .value_name("NAME")
                        .required(true)
                        .help(t!(loc, "opt-name")),
                ),
        )
        .subcommand(cmd(loc, "whoami", t!(loc, "cmd-whoami")))
        .subcommand(
            cmd(loc, "invite", t!(loc, "cmd-invite"))
                .arg(
                    Arg::new("qr")
                        .long("qr")
                        .action(ArgAction::SetTrue)
                        .help(t!(loc, "opt-qr")),
                )
                .arg(
                    Arg::new("qr-svg")
                        .long("qr-svg")
                        .value_name("FILE")
                        .help(t!(loc, "opt-qr-svg")),
                )
                .arg(
                    Arg::new("valid-days")
                        .long("valid-days")
                        .value_name("DAYS")
                        .value_parser(clap::value_parser!(u64).range(1..=INVITE_MAX_DAYS))
                        .default_value(INVITE_DEFAULT_DAYS)
                        // clap would add "[default: 7]" in English; the
                        // message says it.
                        .hide_default_value(true)
                        .help(t!(
                            loc,
                            "opt-valid-days",
                            max = INVITE_MAX_DAYS,
                            default = loc.digits(INVITE_DEFAULT_DAYS)
                        )),
                ),
        )
        .subcommand(
            cmd(loc, "contact", t!(loc, "cmd-contact"))
                .subcommand_required(true)
                .subcommand(
                    cmd(loc, "add", t!(loc, "cmd-contact-add"))
                        .arg(positional("invite", "INVITE", t!(loc, "arg-invite")))
                        .arg(
                            Arg::new("name")
                                .long("name")
                                .value_name("NAME")
                                .required(true)
                                .help(t!(loc, "opt-contact-name")),
                        ),
                )
                .subcommand(cmd(loc, "list", t!(loc, "cmd-contact-list")))
                .subcommand(
                    cmd(loc, "verify", t!(loc, "cmd-contact-verify"))
                        .arg(positional("name", "NAME", t!(loc, "arg-contact")))
                        .arg(
                            Arg::new("confirm")
                                .long("confirm")
                                .action(ArgAction::SetTrue)
                                .help(t!(loc, "opt-confirm")),
                        ),
                ),
        )
        .subcommand(
            cmd(loc, "send", t!(loc, "cmd-send"))
                .arg(positional("to", "TO", t!(loc, "arg-to")))
                .arg(
                    Arg::new("text")
                        .value_name("TEXT")
                        .required_unless_present("file")
                        .conflicts_with("file")
                        .help(t!(loc, "arg-text")),
                )
                .arg(
                    Arg::new("file")
                        .long("file")
                        .value_name("PATH")
                        .help(t!(loc, "opt-file")),
                ),
        )
        .subcommand(cmd(loc, "sync", t!(loc, "cmd-sync")))
        .subcommand(cmd(loc, "inbox", t!(loc, "cmd-inbox")))
        .subcommand(cmd(loc, "read", t!(loc, "cmd-read")).arg(positional(
            "name",
            "NAME",
            t!(loc, "arg-conversation"),
        )))
        .subcommand(
            cmd(loc, "save", t!(loc, "cmd-save"))
                .arg(positional("id", "MESSAGE_ID", t!(loc, "arg-message-id")))
                .arg(
                    Arg::new("out")
                        .long("out")
                        .short('o')
                        .value_name("PATH")
                        .required(true)
                        .help(t!(loc, "opt-out")),
                ),
        )
        .subcommand(
            cmd(loc, "group", t!(loc, "cmd-group"))
                .subcommand_required(true)
                .subcommand(
                    cmd(loc, "create", t!(loc, "cmd-group-create")).arg(positional(
                        "name",
                        "NAME",
                        t!(loc, "arg-group"),
                    )),
                )
                .subcommand(
                    cmd(loc, "add", t!(loc, "cmd-group-add"))
                        .arg(positional("name", "NAME", t!(loc, "arg-group")))
                        .arg(
                            Arg::new("contacts")
                                .value_name("CONTACT")
                                .required(true)
                                .num_args(1..)
                                .help(t!(loc, "arg-contacts")),
                        ),
                )
                .subcommand(
                    cmd(loc, "remove", t!(loc, "cmd-group-remove"))
                        .arg(positional("name", "NAME", t!(loc, "arg-group")))
                        .arg(
                            Arg::new("contacts")
                                .value_name("CONTACT")
                                .required(true)
                                .num_args(1..)
                                .help(t!(loc, "arg-contacts")),
                        ),
                )
                .subcommand(cmd(loc, "list", t!(loc, "cmd-group-list")))
                .subcommand(
                    cmd(loc, "check", t!(loc, "cmd-group-check")).arg(positional(
                        "name",
                        "NAME",
                        t!(loc, "arg-conversation"),
                    )),
                ),
        )
        .subcommand(
            cmd(loc, "outbox", t!(loc, "cmd-outbox"))
                .subcommand_required(true)
                .subcommand(cmd(loc, "list", t!(loc, "cmd-outbox-list")))
                .subcommand(cmd(loc, "flush", t!(loc, "cmd-outbox-flush"))),
        )
        .subcommand(
            cmd(loc, "settings", t!(loc, "cmd-settings"))
                .arg(
                    Arg::new("update-every-messages")
                        .long("update-every-messages")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u32).range(1..=100_000))
                        .help(t!(loc, "opt-update-every-messages")),
                )
                .arg(
                    Arg::new("update-every-days")
                        .long("update-every-days")
                        .value_name("DAYS")
                        .value_parser(clap::value_parser!(u64).range(1..=365))
                        .help(t!(loc, "opt-update-every-days")),
                ),
        )
        .subcommand(
            cmd(loc, "update-keys", t!(loc, "cmd-update-keys")).arg(positional(
                "name",
                "NAME",
                t!(loc, "arg-conversation"),
            )),
        )
        .subcommand(
            cmd(loc, "panic", t!(loc, "cmd-panic")).arg(
                Arg::new("yes")
                    .long("yes")
                    .action(ArgAction::SetTrue)
                    .help(t!(loc, "opt-yes")),
            ),
        )
        .subcommand(evidence(loc))
        .subcommand(
            cmd(loc, "anchor", t!(loc, "cmd-anchor"))
                .arg(
                    Arg::new("tsa")
                        .long("tsa")
                        .value_name("URL")
                        .required(true)
                        .action(ArgAction::Append)
                        .help(t!(loc, "opt-tsa")),
                )
                .arg(
                    Arg::new("tsa-cert")
                        .long("tsa-cert")
                        .value_name("FILE")
                        .required(true)
                        .action(ArgAction::Append)
                        .help(t!(loc, "opt-tsa-cert-anchor")),
                ),
        )
        .subcommand(
            cmd(loc, "verify", t!(loc, "cmd-verify"))
                .after_help(t!(loc, "verify-after-help"))
                .arg(positional("bundle", "BUNDLE", t!(loc, "arg-bundle")))
                .arg(
                    Arg::new("tsa-cert")
                        .long("tsa-cert")
                        .value_name("FILE")
                        .action(ArgAction::Append)
                        .help(t!(loc, "opt-tsa-cert")),
                )
                .arg(
                    Arg::new("desk-key")
                        .long("desk-key")
                        .value_name("HEX")
                        .action(ArgAction::Append)
                        .help(t!(loc, "opt-desk-key")),
                )
                .arg(
                    Arg::new("log-key")
                        .long("log-key")
                        .value_name("KEY")
                        .action(ArgAction::Append)
                        .help(t!(loc, "opt-log-key")),
                ),
        );
    with_templates(loc, tree)
}

/// `sanad evidence …`.
fn evidence(loc: &Localizer) -> Command {
    cmd(loc, "evidence", t!(loc, "cmd-evidence"))
        .subcommand_required(true)
        .subcommand(
            cmd(loc, "capture", t!(loc, "cmd-evidence-capture"))
                .after_help(t!(loc, "capture-after-help"))
                .arg(
                    Arg::new("files")
                        .value_name("FILE")
                        .num_args(0..)
                        .required_unless_present("testimony-from-stdin")
                        .help(t!(loc, "arg-evidence-files")),
                )
                .arg(
                    Arg::new("case")
                        .long("case")
                        .value_name("CASE-REF")
                        .required(true)
                        .help(t!(loc, "opt-case")),
                )
                .arg(
                    Arg::new("to")
                        .long("to")
                        .value_name("NAME")
                        .help(t!(loc, "opt-evidence-to")),
                )
                .arg(
                    Arg::new("field")
                        .long("field")
                        .value_name("NAME=VALUE")
                        .action(ArgAction::Append)
                        .help(t!(loc, "opt-field")),
                )
                .arg(
                    Arg::new("testimony-from-stdin")
                        .long("testimony-from-stdin")
                        .action(ArgAction::SetTrue)
                        .conflicts_with("files")
                        .help(t!(loc, "opt-testimony-from-stdin")),
                )
                .arg(
                    Arg::new("delete-original")
                        .long("delete-original")
                        .action(ArgAction::SetTrue)
                        .help(t!(loc, "opt-delete-original")),
                ),
        )
        .subcommand(
            cmd(loc, "list", t!(loc, "cmd-evidence-list")).arg(
                Arg::new("case")
                    .long("case")
                    .value_name("CASE-REF")
                    .help(t!(loc, "opt-case-filter")),
            ),
        )
        .subcommand(
            cmd(loc, "show", t!(loc, "cmd-evidence-show")).arg(positional(
                "id",
                "ID",
                t!(loc, "arg-evidence-id"),
            )),
        )
        .subcommand(
            cmd(loc, "export", t!(loc, "cmd-evidence-export"))
                .arg(
                    Arg::new("ids")
                        .value_name("ID")
                        .required(true)
                        .num_args(1..)
                        .help(t!(loc, "arg-evidence-ids")),
                )
                .arg(
                    Arg::new("out")
                        .long("out")
                        .short('o')
                        .value_name("BUNDLE")
                        .required(true)
                        .help(t!(loc, "opt-bundle-out")),
                ),
        )
        .subcommand(
            cmd(loc, "redact", t!(loc, "cmd-evidence-redact"))
                .arg(positional("id", "ID", t!(loc, "arg-evidence-id")))
                .arg(
                    Arg::new("strip-metadata")
                        .long("strip-metadata")
                        .action(ArgAction::SetTrue)
                        .required(true)
                        .help(t!(loc, "opt-strip-metadata")),
                )
                .arg(
                    Arg::new("out")
                        .long("out")
                        .short('o')
                        .value_name("FILE")
                        .required(true)
                        .help(t!(loc, "opt-out")),
                ),
        )
        .subcommand(
            cmd(loc, "key", t!(loc, "cmd-evidence-key")).arg(
                Arg::new("qr")
                    .long("qr")
                    .action(ArgAction::SetTrue)
                    .help(t!(loc, "opt-key-qr")),
            ),
        )
        .subcommand(
            cmd(loc, "desk", t!(loc, "cmd-evidence-desk")).arg(positional(
                "name",
                "NAME",
                t!(loc, "arg-conversation"),
            )),
        )
        .subcommand(
            cmd(loc, "enrol", t!(loc, "cmd-evidence-enrol"))
                .arg(
                    Arg::new("key")
                        .long("key")
                        .value_name("HEX")
                        .required(true)
                        .help(t!(loc, "opt-device-key")),
                )
                .arg(
                    Arg::new("label")
                        .long("label")
                        .value_name("LABEL")
                        .required(true)
                        .help(t!(loc, "opt-device-label")),
                )
                .arg(
                    Arg::new("org")
                        .long("org")
                        .value_name("ORGANISATION")
                        .required(true)
                        .help(t!(loc, "opt-device-org")),
                )
                .arg(
                    Arg::new("send-to")
                        .long("send-to")
                        .value_name("NAME")
                        .help(t!(loc, "opt-enrol-send-to")),
                ),
        )
        .subcommand(cmd(loc, "devices", t!(loc, "cmd-evidence-devices")))
        .subcommand(cmd(loc, "desk-key", t!(loc, "cmd-evidence-desk-key")))
}
