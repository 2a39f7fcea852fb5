//! Localisation: every string a person reads goes through here (Fluent),
//! in English, French or Arabic.
//!
//! - The language comes from `--lang`, else the environment (`LC_ALL`,
//!   `LC_MESSAGES`, `LANG`, `LANGUAGE`), else English.
//! - Arabic is written right to left. A terminal lays out each line by the
//!   Unicode bidi algorithm, so every Arabic message is wrapped in a
//!   right-to-left isolate (U+2067 … U+2069) and every value placed inside a
//!   message (a name, a number, a path) in a first-strong isolate
//!   (U+2068 … U+2069): a Latin file name inside an Arabic sentence stays in
//!   its place and keeps its own direction. English and French carry no
//!   marks. Names typed back by people are compared without these marks
//!   ([`strip_bidi_marks`]), so a name copied from Arabic output still works. Shaping is the terminal's font
//!   work; the text is plain Unicode Arabic.
//! - Digits that people compare or read aloud (safety numbers, check codes)
//!   are shown in Arabic-Indic digits in Arabic ([`Localizer::digits`]).
//!
//! Catalogues live in `client/i18n/{en,fr,ar}/sanad.ftl`, compiled into the
//! binary. Tests check that the three have the same messages with the same
//! variables.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language Sanad speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Arabic.
    Ar,
}

impl Lang {
    /// All languages, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Ar];

    /// The language tag (`en`, `fr`, `ar`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ar => "ar",
        }
    }

    /// Parse a tag or locale (`fr`, `fr_FR.UTF-8`, `ar-LY`, `AR`). `C` and
    /// `POSIX` are English.
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let primary: String = lower.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        match primary.as_str() {
            "en" | "c" | "posix" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "ar" => Some(Lang::Ar),
            _ => None,
        }
    }

    /// Whether the script runs right to left.
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../i18n/en/sanad.ftl"),
            Lang::Fr => include_str!("../i18n/fr/sanad.ftl"),
            Lang::Ar => include_str!("../i18n/ar/sanad.ftl"),
        }
    }
}

/// The language from the environment: the first of `LC_ALL`,
/// `LC_MESSAGES`, `LANG` that is set, then each entry of `LANGUAGE`.
pub fn lang_from_env() -> Option<Lang> {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return Lang::parse(&v);
            }
        }
    }
    std::env::var("LANGUAGE")
        .ok()
        .and_then(|v| v.split(':').find_map(Lang::parse))
}

/// `text` without the invisible direction marks this module adds (and
/// the other bidi controls): for names people copy from output into a
/// command.
pub fn strip_bidi_marks(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

/// A value placed in a message.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text (a name, a path).
    Str(String),
    /// A number (plural rules apply).
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Num(n as f64)
            }
        }
    )*};
}
num_arg!(u8, u16, u32, u64, usize, i32, i64);

/// Right-to-left isolate, first-strong isolate, pop directional isolate.
const RLI: char = '\u{2067}';
const PDI: char = '\u{2069}';

/// Messages in one language, English behind it for anything missing.
pub struct Localizer {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    fallback: Option<FluentBundle<FluentResource>>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Values inside right-to-left messages are isolated (FSI … PDI): see
    // the module docs. Left-to-right text needs none, and invisible marks
    // would end up in names people copy into commands.
    bundle.set_use_isolating(lang.is_rtl());
    // The catalogues are ours and tested; a syntax error would show as the
    // message ID, never as a crash.
    let resource = match FluentResource::try_new(lang.source().to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let _ = bundle.add_resource(resource);
    bundle
}

impl Localizer {
    /// Messages in `lang`.
    pub fn new(lang: Lang) -> Localizer {
        Localizer {
            lang,
            bundle: bundle(lang),
            fallback: (lang != Lang::En).then(|| bundle(Lang::En)),
        }
    }

    /// The language chosen by `explicit` (a `--lang` value), else the
    /// environment, else English.
    pub fn from_choice(explicit: Option<&str>) -> Localizer {
        let lang = explicit
            .and_then(Lang::parse)
            .or_else(lang_from_env)
            .unwrap_or(Lang::En);
        Localizer::new(lang)
    }

    /// The language in use.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with its arguments, bidi-isolated for Arabic. A
    /// missing message shows its ID (tests keep that from happening).
    pub fn message(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fargs.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => fargs.set(*name, FluentValue::from(*n)),
            }
        }
        let text = self
            .format(&self.bundle, id, &fargs)
            .or_else(|| {
                self.fallback
                    .as_ref()
                    .and_then(|b| self.format(b, id, &fargs))
            })
            .unwrap_or_else(|| id.to_owned());
        if self.lang.is_rtl() {
            text.lines()
                .map(|line| format!("{RLI}{line}{PDI}"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        }
    }

    fn format(
        &self,
        bundle: &FluentBundle<FluentResource>,
        id: &str,
        args: &FluentArgs<'_>,
    ) -> Option<String> {
        let message = bundle.get_message(id)?;
        let pattern = message.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors);
        Some(text.into_owned())
    }

    /// ASCII digits in the language's digits (Arabic-Indic for Arabic).
    pub fn digits(&self, text: &str) -> String {
        if self.lang != Lang::Ar {
            return text.to_owned();
        }
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
                _ => c,
            })
            .collect()
    }

    /// Every message ID of a language's catalogue, with the variables each
    /// uses (for the completeness tests and the CLI's own checks).
    pub fn catalogue(lang: Lang) -> Vec<(String, Vec<String>)> {
        use fluent_syntax::ast;
        let Ok(resource) = fluent_syntax::parser::parse(lang.source()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = Vec::new();
                if let Some(p) = &m.value {
                    collect_vars(p, &mut vars);
                }
                vars.sort();
                vars.dedup();
                out.push((m.id.name.to_owned(), vars));
            }
        }
        out
    }
}

fn collect_vars(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(e: &InlineExpression<&str>, out: &mut Vec<String>) {
        if let InlineExpression::VariableReference { id } = e {
            out.push(id.name.to_owned());
        }
    }
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            match expression {
                Expression::Inline(e) => inline(e, out),
                Expression::Select { selector, variants } => {
                    inline(selector, out);
                    for v in variants {
                        collect_vars(&v.value, out);
                    }
                }
            }
        }
    }
}

/// `t!(loc, "id")` or `t!(loc, "id", name = value, …)`: a localised string.
#[macro_export]
macro_rules! t {
    ($loc:expr, $id:literal) => {
        $loc.message($id, &[])
    };
    ($loc:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $loc.message($id, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_has_the_same_messages_with_the_same_variables() {
        let en = Localizer::catalogue(Lang::En);
        assert!(en.len() > 50, "the English catalogue looks empty");
        for lang in [Lang::Fr, Lang::Ar] {
            let other = Localizer::catalogue(lang);
            let missing: Vec<_> = en
                .iter()
                .filter(|(id, _)| !other.iter().any(|(o, _)| o == id))
                .map(|(id, _)| id.clone())
                .collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            let extra: Vec<_> = other
                .iter()
                .filter(|(id, _)| !en.iter().any(|(e, _)| e == id))
                .map(|(id, _)| id.clone())
                .collect();
            assert!(extra.is_empty(), "{lang:?} has unknown messages {extra:?}");
            for (id, vars) in &en {
                let theirs = &other.iter().find(|(o, _)| o == id).map(|(_, v)| v.clone());
                assert_eq!(Some(vars), theirs.as_ref(), "{lang:?} {id}: variables differ");
            }
        }
    }

    #[test]
    fn every_catalogue_parses_without_errors() {
        for lang in Lang::ALL {
            assert!(
                fluent_syntax::parser::parse(lang.source()).is_ok(),
                "{lang:?} has a syntax error"
            );
        }
    }

    #[test]
    fn arabic_messages_are_isolated_right_to_left_and_values_first_strong() {
        let loc = Localizer::new(Lang::Ar);
        let s = loc.message("contact-added", &[("name", Arg::from("Partner"))]);
        assert!(s.starts_with(RLI) && s.ends_with(PDI), "{s:?}");
        assert!(s.contains("\u{2068}Partner\u{2069}"), "{s:?}");
        let en = Localizer::new(Lang::En).message("contact-added", &[("name", Arg::from("P"))]);
        assert!(!en.contains(RLI) && !en.contains('\u{2068}'), "{en:?}");
    }

    #[test]
    fn arabic_digits_replace_ascii_digits_only_in_arabic() {
        assert_eq!(Localizer::new(Lang::Ar).digits("12 90"), "١٢ ٩٠");
        assert_eq!(Localizer::new(Lang::Fr).digits("12 90"), "12 90");
    }

    #[test]
    fn locales_from_the_environment_parse_to_languages() {
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("ar-LY"), Some(Lang::Ar));
        assert_eq!(Lang::parse("C"), Some(Lang::En));
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
