//! The passphrase: from `SANAD_PASSPHRASE`, `--passphrase-file`, or asked
//! on the terminal without echo (twice when a profile is created).

use std::io::{BufRead, IsTerminal, Write};

use clap::ArgMatches;
use sanad_client::i18n::{strip_bidi_marks, Localizer};
use sanad_client::messenger::MessengerError;
use sanad_client::profile::keyfile::Passphrase;
use sanad_client::t;

/// The shortest passphrase accepted for a new profile.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The confirmation word every language accepts, besides its own.
const CONFIRM_WORD_ANY_LANGUAGE: &str = "DESTROY";

/// A typed confirmation was needed but standard input is not a terminal
/// (shown by `errors::describe` as `error-confirm-needs-terminal`).
#[derive(Debug, thiserror::Error)]
#[error("a typed confirmation needs a terminal")]
pub struct ConfirmNeedsTerminal;

/// Read the passphrase; `new`: a new profile (asked twice, length checked).
pub fn passphrase(
    m: &ArgMatches,
    loc: &Localizer,
    new: bool,
) -> Result<Passphrase, MessengerError> {
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

/// Ask for a typed confirmation (the word shown in the prompt, or
/// `DESTROY` in any language).
pub fn confirm(loc: &Localizer) -> Result<bool, MessengerError> {
    if !std::io::stdin().is_terminal() {
        return Err(MessengerError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            ConfirmNeedsTerminal,
        )));
    }
    eprint!("{} ", t!(loc, "panic-confirm"));
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(confirmation_matches(&line, &t!(loc, "panic-confirm-word")))
}

/// Whether `typed` is the confirmation `word` or `DESTROY`, however it was
/// typed: see [`fold_for_confirmation`].
fn confirmation_matches(typed: &str, word: &str) -> bool {
    let typed = fold_for_confirmation(typed);
    !typed.is_empty()
        && (typed == fold_for_confirmation(word)
            || typed == fold_for_confirmation(CONFIRM_WORD_ANY_LANGUAGE))
}

/// `text` reduced to what a person means to type, so that a keyboard's
/// choices do not refuse the word: Unicode NFC, no bidi marks (copied from
/// Arabic output), no surrounding space, lower case, no accents or Arabic
/// diacritics (É → e; the hamza and madda of أ إ آ, the short vowels and
/// tatweel), and the remaining alef forms (ٱ) as a plain alef. So
/// `DETRUIRE`, `détruire` and `اتلاف` match `DÉTRUIRE` and `إتلاف`.
fn fold_for_confirmation(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;

    let text: String = strip_bidi_marks(text).nfc().collect();
    let lower = text.trim().to_lowercase();
    lower
        .chars()
        .map(|c| match c {
            // Alef with madda, hamza above, hamza below, wasla.
            '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => '\u{0627}',
            _ => c,
        })
        // Decomposed, accents and Arabic marks are combining characters.
        .nfd()
        .filter(|c| !is_combining_mark(*c) && *c != '\u{0640}')
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{confirmation_matches, fold_for_confirmation};

    #[test]
    fn french_confirmation_is_accepted_without_accents_and_in_any_case() {
        for typed in [
            "DÉTRUIRE",
            "DETRUIRE",
            "détruire",
            "detruire",
            "  Détruire\n",
        ] {
            assert!(confirmation_matches(typed, "DÉTRUIRE"), "{typed:?}");
        }
        // A decomposed É (E + U+0301), as some keyboards send it.
        assert!(confirmation_matches("DE\u{0301}TRUIRE", "DÉTRUIRE"));
    }

    #[test]
    fn arabic_confirmation_is_accepted_with_any_alef_and_without_marks() {
        for typed in ["إتلاف", "اتلاف", "أتلاف", "آتلاف", "إتْلاف", "إتـلاف"]
        {
            assert!(confirmation_matches(typed, "إتلاف"), "{typed:?}");
        }
        // Copied from Arabic output, with its isolates.
        assert!(confirmation_matches("\u{2067}إتلاف\u{2069}\n", "إتلاف"));
        assert!(confirmation_matches(
            "\u{2068}اتلاف\u{2069}",
            "\u{2067}إتلاف\u{2069}"
        ));
    }

    #[test]
    fn the_english_word_is_accepted_in_every_language() {
        assert!(confirmation_matches("DESTROY", "DÉTRUIRE"));
        assert!(confirmation_matches("destroy\n", "إتلاف"));
        assert!(confirmation_matches("Destroy", "DESTROY"));
    }

    #[test]
    fn other_words_and_empty_input_are_refused() {
        for typed in [
            "",
            "\n",
            "yes",
            "oui",
            "نعم",
            "DESTRO",
            "DÉTRUIR",
            "تلاف",
            "\u{2067}\u{2069}",
        ] {
            assert!(!confirmation_matches(typed, "DÉTRUIRE"), "{typed:?}");
            assert!(!confirmation_matches(typed, "إتلاف"), "{typed:?}");
        }
    }

    #[test]
    fn folding_leaves_plain_words_readable() {
        assert_eq!(fold_for_confirmation("DÉTRUIRE"), "detruire");
        assert_eq!(fold_for_confirmation("إتلاف"), "اتلاف");
    }
}
