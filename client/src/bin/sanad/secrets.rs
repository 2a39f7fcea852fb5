//! The passphrase: from `SANAD_PASSPHRASE`, `--passphrase-file`, or asked
//! on the terminal without echo (twice when a profile is created).

use std::io::{BufRead, IsTerminal, Write};

use clap::ArgMatches;
use sanad_client::i18n::Localizer;
use sanad_client::messenger::MessengerError;
use sanad_client::profile::keyfile::Passphrase;
use sanad_client::t;

/// The shortest passphrase accepted for a new profile.
const MIN_PASSPHRASE_CHARS: usize = 8;

fn io_err(kind: std::io::ErrorKind, what: &str) -> MessengerError {
    MessengerError::Io(std::io::Error::new(kind, what.to_owned()))
}

/// Read the passphrase; `new`: a new profile (asked twice, length checked).
pub fn passphrase(m: &ArgMatches, loc: &Localizer, new: bool) -> Result<Passphrase, MessengerError> {
    let given = if let Ok(p) = std::env::var("SANAD_PASSPHRASE") {
        Some(p)
    } else if let Some(path) = m.get_one::<String>("passphrase-file") {
        let text = std::fs::read_to_string(path)?;
        // The first line, without its end of line.
        Some(text.lines().next().unwrap_or_default().to_owned())
    } else {
        None
    };
    let text = match given {
        Some(p) => p,
        None => {
            if !std::io::stdin().is_terminal() {
                return Err(MessengerError::PassphraseRequired);
            }
            let first = rpassword::prompt_password(t!(loc, "passphrase-prompt"))?;
            if new {
                let again = rpassword::prompt_password(t!(loc, "passphrase-again"))?;
                if again != first {
                    return Err(MessengerError::PassphraseMismatch);
                }
            }
            first
        }
    };
    if new && text.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(MessengerError::PassphraseTooShort);
    }
    Ok(Passphrase::new(text))
}

/// Ask for a typed confirmation (the word shown in the prompt).
pub fn confirm(loc: &Localizer) -> Result<bool, MessengerError> {
    if !std::io::stdin().is_terminal() {
        return Err(io_err(
            std::io::ErrorKind::InvalidInput,
            "confirmation needs a terminal; use --yes",
        ));
    }
    eprint!("{} ", t!(loc, "panic-confirm"));
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let word = t!(loc, "panic-confirm-word");
    let strip = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect::<String>()
            .trim()
            .to_lowercase()
    };
    Ok(strip(&line) == strip(&word))
}
