//! The command line, built at run time so that `--help` is in the user's
//! language.

use clap::{Arg, ArgAction, Command};
use sanad_client::i18n::Localizer;
use sanad_client::t;

fn template(loc: &Localizer, subcommands: bool) -> String {
    let mut s = String::from("{about-with-newline}\n");
    s.push_str(&t!(loc, "help-usage"));
    s.push_str(" {usage}\n");
    if subcommands {
        s.push('\n');
        s.push_str(&t!(loc, "help-commands"));
        s.push_str("\n{subcommands}\n");
    }
    s.push('\n');
    s.push_str(&t!(loc, "help-options"));
    s.push_str("\n{options}{after-help}\n");
    s
}

fn cmd(loc: &Localizer, name: &'static str, about: String, subcommands: bool) -> Command {
    Command::new(name)
        .about(about)
        .help_template(template(loc, subcommands))
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
    cmd(loc, "sanad", t!(loc, "app-about"), true)
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
                .long("profile")
                .value_name("DIR")
                .env("SANAD_PROFILE")
                .global(true)
                .help(t!(loc, "opt-profile")),
        )
        .arg(
            Arg::new("lang")
                .long("lang")
                .value_name("LANG")
                .global(true)
                .help(t!(loc, "opt-lang")),
        )
        .arg(
            Arg::new("passphrase-file")
                .long("passphrase-file")
                .value_name("FILE")
                .global(true)
                .help(t!(loc, "opt-passphrase-file")),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .global(true)
                .help(t!(loc, "opt-json")),
        )
        .arg(
            Arg::new("quiet")
                .short('q')
                .long("quiet")
                .action(ArgAction::SetTrue)
                .global(true)
                .help(t!(loc, "opt-quiet")),
        )
        .subcommand(
            cmd(loc, "init", t!(loc, "cmd-init"), false)
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
        .subcommand(cmd(loc, "whoami", t!(loc, "cmd-whoami"), false))
        .subcommand(
            cmd(loc, "invite", t!(loc, "cmd-invite"), false)
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
                        .value_parser(clap::value_parser!(u64).range(1..=90))
                        .default_value("7")
                        .help(t!(loc, "opt-valid-days")),
                ),
        )
        .subcommand(
            cmd(loc, "contact", t!(loc, "cmd-contact"), true)
                .subcommand_required(true)
                .subcommand(
                    cmd(loc, "add", t!(loc, "cmd-contact-add"), false)
                        .arg(positional("invite", "INVITE", t!(loc, "arg-invite")))
                        .arg(
                            Arg::new("name")
                                .long("name")
                                .value_name("NAME")
                                .required(true)
                                .help(t!(loc, "opt-contact-name")),
                        ),
                )
                .subcommand(cmd(loc, "list", t!(loc, "cmd-contact-list"), false))
                .subcommand(
                    cmd(loc, "verify", t!(loc, "cmd-contact-verify"), false)
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
            cmd(loc, "send", t!(loc, "cmd-send"), false)
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
        .subcommand(cmd(loc, "sync", t!(loc, "cmd-sync"), false))
        .subcommand(cmd(loc, "inbox", t!(loc, "cmd-inbox"), false))
        .subcommand(
            cmd(loc, "read", t!(loc, "cmd-read"), false)
                .arg(positional("name", "NAME", t!(loc, "arg-conversation"))),
        )
        .subcommand(
            cmd(loc, "save", t!(loc, "cmd-save"), false)
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
            cmd(loc, "group", t!(loc, "cmd-group"), true)
                .subcommand_required(true)
                .subcommand(
                    cmd(loc, "create", t!(loc, "cmd-group-create"), false)
                        .arg(positional("name", "NAME", t!(loc, "arg-group"))),
                )
                .subcommand(
                    cmd(loc, "add", t!(loc, "cmd-group-add"), false)
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
                    cmd(loc, "remove", t!(loc, "cmd-group-remove"), false)
                        .arg(positional("name", "NAME", t!(loc, "arg-group")))
                        .arg(
                            Arg::new("contacts")
                                .value_name("CONTACT")
                                .required(true)
                                .num_args(1..)
                                .help(t!(loc, "arg-contacts")),
                        ),
                )
                .subcommand(cmd(loc, "list", t!(loc, "cmd-group-list"), false))
                .subcommand(
                    cmd(loc, "check", t!(loc, "cmd-group-check"), false)
                        .arg(positional("name", "NAME", t!(loc, "arg-conversation"))),
                ),
        )
        .subcommand(
            cmd(loc, "outbox", t!(loc, "cmd-outbox"), true)
                .subcommand_required(true)
                .subcommand(cmd(loc, "list", t!(loc, "cmd-outbox-list"), false))
                .subcommand(cmd(loc, "flush", t!(loc, "cmd-outbox-flush"), false)),
        )
        .subcommand(
            cmd(loc, "update-keys", t!(loc, "cmd-update-keys"), false)
                .arg(positional("name", "NAME", t!(loc, "arg-conversation"))),
        )
        .subcommand(
            cmd(loc, "panic", t!(loc, "cmd-panic"), false).arg(
                Arg::new("yes")
                    .long("yes")
                    .action(ArgAction::SetTrue)
                    .help(t!(loc, "opt-yes")),
            ),
        )
}
