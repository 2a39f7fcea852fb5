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
//! - Numbers placed in messages are written the language's way: Arabic-Indic
//!   digits and the Arabic decimal separator (U+066B) in Arabic, a decimal
//!   comma in French ([`Localizer::decimal`] for numbers formatted outside a
//!   message). Inside a message the number stays a Fluent number until it
//!   is printed, so plural selection (`{ $n -> [one] … }`) still sees the
//!   number: only its printed form changes (a Fluent formatter, see
//!   [`localise_number`]). Text values (names, message IDs, paths) keep
//!   their ASCII digits, since people type them back into commands.
//! - Arabic plural forms are chosen with `{ PLURAL($n) -> … }`, never a
//!   bare `{ $n -> … }`: the plural rules Fluent ships (intl_pluralrules
//!   7.0) test the integer itself where CLDR tests `n % 100`, so 103 would
//!   take `other` instead of `few` and 111 `other` instead of `many`.
//!   `PLURAL` ([`arabic_plural_category`]) applies the CLDR rule; a test
//!   keeps bare selectors out of the Arabic catalogue.
//!
//! Catalogues live in `client/i18n/{en,fr,ar}/sanad.ftl`, compiled into the
//! binary; the evidence report's messages in `report.ftl` beside them
//! ([`Localizer::for_report`]). Tests check that the three languages have
//! the same messages with the same variables.

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
        let primary: String = lower
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
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

    /// The evidence report's catalogue (`report.ftl`).
    fn report_source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../i18n/en/report.ftl"),
            Lang::Fr => include_str!("../i18n/fr/report.ftl"),
            Lang::Ar => include_str!("../i18n/ar/report.ftl"),
        }
    }
}

/// Unix seconds to (year, month, day, hour, minute, second), UTC (the
/// civil-from-days algorithm): dates for the CLI and the evidence report.
pub fn civil_utc(unix: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, secs / 3600, (secs % 3600) / 60, secs % 60)
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

/// `ascii`, a number as Rust or Fluent prints it (`-12.5`), written the
/// way `lang` writes numbers: French `-12,5`, Arabic `-١٢٫٥`.
fn localise_number(lang: Lang, ascii: &str) -> String {
    ascii
        .chars()
        .map(|c| match (lang, c) {
            (Lang::Fr, '.') => ',',
            (Lang::Ar, '.') => ARABIC_DECIMAL_SEPARATOR,
            (Lang::Ar, '0'..='9') => arabic_digit(c),
            _ => c,
        })
        .collect()
}

/// The Arabic decimal separator (U+066B).
const ARABIC_DECIMAL_SEPARATOR: char = '\u{066B}';

/// The Arabic-Indic digit for an ASCII digit; anything else unchanged.
fn arabic_digit(c: char) -> char {
    match c.to_digit(10) {
        Some(d) if c.is_ascii_digit() => char::from_u32(0x0660 + d).unwrap_or(c),
        _ => c,
    }
}

/// The printed form of a number placed in a French message (Fluent calls
/// it for every placeable value; `None` keeps its own form).
fn number_fr<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(localise_number(Lang::Fr, &n.as_string())),
        _ => None,
    }
}

/// The printed form of a number placed in an Arabic message.
fn number_ar<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(localise_number(Lang::Ar, &n.as_string())),
        _ => None,
    }
}

/// The CLDR cardinal plural category of `n` in Arabic: `zero` 0, `one` 1,
/// `two` 2, `few` when n % 100 is 3 to 10, `many` when it is 11 to 99,
/// `other` for the rest (100, 101, 102, fractions).
pub fn arabic_plural_category(n: f64) -> &'static str {
    let n = n.abs();
    if n.fract() != 0.0 || !n.is_finite() {
        return "other";
    }
    if n == 0.0 {
        return "zero";
    }
    if n == 1.0 {
        return "one";
    }
    if n == 2.0 {
        return "two";
    }
    match n % 100.0 {
        r if (3.0..=10.0).contains(&r) => "few",
        r if (11.0..=99.0).contains(&r) => "many",
        _ => "other",
    }
}

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
    bundle_from(lang, lang.source())
}

/// A bundle for `lang` holding the CLI's messages and the report's.
fn report_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let mut bundle = bundle(lang);
    add_source(&mut bundle, lang.report_source());
    bundle
}

/// A bundle for `lang` holding the messages of `source`.
fn bundle_from(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Values inside right-to-left messages are isolated (FSI … PDI): see
    // the module docs. Left-to-right text needs none, and invisible marks
    // would end up in names people copy into commands.
    bundle.set_use_isolating(lang.is_rtl());
    // Numbers in placeables are printed with the language's digits and
    // decimal separator; selectors still see the number.
    match lang {
        Lang::En => {}
        Lang::Fr => bundle.set_formatter(Some(number_fr)),
        Lang::Ar => {
            bundle.set_formatter(Some(number_ar));
            // A fresh bundle has no functions, so this cannot collide.
            let _ = bundle.add_function("PLURAL", |positional, _named| {
                match positional.first() {
                    Some(FluentValue::Number(n)) => {
                        FluentValue::from(arabic_plural_category(n.value))
                    }
                    // Not a number: the select falls to its default variant.
                    _ => FluentValue::Error,
                }
            });
        }
    }
    add_source(&mut bundle, source);
    bundle
}

/// Add the messages of `source` to `bundle`.
fn add_source(bundle: &mut FluentBundle<FluentResource>, source: &str) {
    // The catalogues are ours and tested; a syntax error would show as the
    // message ID, never as a crash.
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let _ = bundle.add_resource(resource);
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

    /// Messages in `lang` for the evidence report (`evidence::report`): the
    /// CLI's catalogue and the report's.
    pub fn for_report(lang: Lang) -> Localizer {
        Localizer {
            lang,
            bundle: report_bundle(lang),
            fallback: (lang != Lang::En).then(|| report_bundle(Lang::En)),
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
        text.chars().map(arabic_digit).collect()
    }

    /// `items` as a list (names of members, of contacts): comma-separated,
    /// with the Arabic comma (U+060C) in Arabic.
    pub fn list(&self, items: &[String]) -> String {
        let separator = match self.lang {
            Lang::Ar => "\u{060C} ",
            Lang::En | Lang::Fr => ", ",
        };
        items.join(separator)
    }

    /// `value` with exactly `places` decimals, written the language's way:
    /// `1.5` in English, `1,5` in French, `١٫٥` in Arabic.
    pub fn decimal(&self, value: f64, places: usize) -> String {
        localise_number(self.lang, &format!("{value:.places$}"))
    }

    /// Every message ID of a language's catalogue, with the variables each
    /// uses (for the completeness tests and the CLI's own checks).
    pub fn catalogue(lang: Lang) -> Vec<(String, Vec<String>)> {
        catalogue_of(lang.source())
    }

    /// Every message ID of a language's report catalogue (`report.ftl`),
    /// with the variables each uses.
    pub fn report_catalogue(lang: Lang) -> Vec<(String, Vec<String>)> {
        catalogue_of(lang.report_source())
    }
}

/// Every message ID of a catalogue, with the variables each uses.
fn catalogue_of(source: &str) -> Vec<(String, Vec<String>)> {
    use fluent_syntax::ast;
    let Ok(resource) = fluent_syntax::parser::parse(source) else {
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

/// The variables a pattern uses, wherever they sit: in text placeables,
/// selectors, variants, function arguments, nested placeables.
fn collect_vars(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(e: &InlineExpression<&str>, out: &mut Vec<String>) {
        match e {
            InlineExpression::VariableReference { id } => out.push(id.name.to_owned()),
            InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline(a, out);
                }
                for a in &arguments.named {
                    inline(&a.value, out);
                }
            }
            InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn expr(e: &Expression<&str>, out: &mut Vec<String>) {
        match e {
            Expression::Inline(e) => inline(e, out),
            Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    collect_vars(&v.value, out);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expr(expression, out);
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

    /// `catalogue` has the same messages with the same variables in every
    /// language; it has at least `min` messages in English.
    fn assert_parity(catalogue: fn(Lang) -> Vec<(String, Vec<String>)>, min: usize) {
        let en = catalogue(Lang::En);
        assert!(en.len() > min, "the English catalogue looks empty");
        for lang in [Lang::Fr, Lang::Ar] {
            let other = catalogue(lang);
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
                assert_eq!(
                    Some(vars),
                    theirs.as_ref(),
                    "{lang:?} {id}: variables differ"
                );
            }
        }
    }

    #[test]
    fn every_catalogue_has_the_same_messages_with_the_same_variables() {
        assert_parity(Localizer::catalogue, 50);
    }

    #[test]
    fn every_report_catalogue_has_the_same_messages_with_the_same_variables() {
        assert_parity(Localizer::report_catalogue, 50);
    }

    #[test]
    fn report_messages_neither_shadow_nor_are_shadowed_by_cli_messages() {
        for lang in Lang::ALL {
            let cli = Localizer::catalogue(lang);
            for (id, _) in Localizer::report_catalogue(lang) {
                assert!(id.starts_with("report-"), "{lang:?} {id}: not report-");
                assert!(!cli.iter().any(|(c, _)| *c == id), "{lang:?} {id} twice");
            }
        }
    }

    #[test]
    fn every_catalogue_parses_without_errors() {
        for lang in Lang::ALL {
            for source in [lang.source(), lang.report_source()] {
                assert!(
                    fluent_syntax::parser::parse(source).is_ok(),
                    "{lang:?} has a syntax error"
                );
            }
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

    /// A localizer over `source` alone (no English fallback).
    fn localizer_of(lang: Lang, source: &str) -> Localizer {
        Localizer {
            lang,
            bundle: bundle_from(lang, source),
            fallback: None,
        }
    }

    const ARABIC_FILES: &str = "files = { PLURAL($n) ->
    [zero] لا ملفات
    [one] ملف واحد
    [two] ملفان
    [few] { $n } ملفات
    [many] { $n } ملفًا
   *[other] { $n } ملف
}
";

    #[test]
    fn arabic_plural_selection_sees_the_number_while_its_digits_are_arabic_indic() {
        let loc = localizer_of(Lang::Ar, ARABIC_FILES);
        let files = |n: u64| strip_bidi_marks(&loc.message("files", &[("n", Arg::from(n))]));
        assert_eq!(files(0), "لا ملفات");
        assert_eq!(files(1), "ملف واحد");
        assert_eq!(files(2), "ملفان");
        assert_eq!(files(3), "٣ ملفات");
        assert_eq!(files(10), "١٠ ملفات");
        assert_eq!(files(11), "١١ ملفًا");
        assert_eq!(files(99), "٩٩ ملفًا");
        assert_eq!(files(100), "١٠٠ ملف");
        assert_eq!(files(102), "١٠٢ ملف");
        assert_eq!(files(103), "١٠٣ ملفات");
        assert_eq!(files(1011), "١٠١١ ملفًا");
    }

    #[test]
    fn arabic_plural_categories_follow_cldr_modulo_one_hundred() {
        let cases = [
            (0.0, "zero"),
            (1.0, "one"),
            (2.0, "two"),
            (3.0, "few"),
            (10.0, "few"),
            (11.0, "many"),
            (99.0, "many"),
            (100.0, "other"),
            (101.0, "other"),
            (102.0, "other"),
            (103.0, "few"),
            (110.0, "few"),
            (111.0, "many"),
            (1023.0, "many"),
            (1.5, "other"),
        ];
        for (n, category) in cases {
            assert_eq!(arabic_plural_category(n), category, "{n}");
        }
    }

    #[test]
    fn the_arabic_catalogue_selects_plurals_only_through_plural() {
        use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
        let parse = |source| match fluent_syntax::parser::parse(source) {
            Ok(resource) => resource,
            Err(_) => panic!("an Arabic catalogue does not parse"),
        };
        let cli = parse(Lang::Ar.source());
        let report = parse(Lang::Ar.report_source());
        for entry in cli.body.into_iter().chain(report.body) {
            let Entry::Message(m) = entry else { continue };
            let Some(pattern) = m.value else { continue };
            for element in pattern.elements {
                if let PatternElement::Placeable {
                    expression: Expression::Select { selector, variants },
                } = element
                {
                    // A select on a word (a state, an error ID) is fine; a
                    // select on a count must go through PLURAL.
                    let counts = variants.iter().any(|v| match &v.key {
                        fluent_syntax::ast::VariantKey::NumberLiteral { .. } => true,
                        fluent_syntax::ast::VariantKey::Identifier { name } => {
                            matches!(*name, "zero" | "one" | "two" | "few" | "many")
                        }
                    });
                    assert!(
                        !(counts && matches!(selector, InlineExpression::VariableReference { .. })),
                        "{} selects a count on a bare variable: use PLURAL($n)",
                        m.id.name
                    );
                }
            }
        }
    }

    #[test]
    fn arabic_catalogue_plurals_and_counts_use_arabic_indic_digits() {
        let loc = Localizer::new(Lang::Ar);
        let bytes = |n: u64| strip_bidi_marks(&t!(loc, "unit-bytes", n = n));
        assert_eq!(bytes(2), "بايتان");
        assert_eq!(bytes(5), "٥ بايتات");
        assert_eq!(bytes(512), "٥١٢ بايتًا");
        assert_eq!(bytes(700), "٧٠٠ بايت");
        assert_eq!(bytes(703), "٧٠٣ بايتات");
        let summary = t!(loc, "sync-summary", received = 12, sent = 0, queued = 3);
        assert!(summary.contains("١٢") && summary.contains('٠'), "{summary}");
        assert!(!summary.chars().any(|c| c.is_ascii_digit()), "{summary}");
    }

    #[test]
    fn french_numbers_in_messages_take_a_decimal_comma_and_plural_forms() {
        let loc = Localizer::new(Lang::Fr);
        assert_eq!(t!(loc, "unit-bytes", n = 1u64), "1 octet");
        assert_eq!(t!(loc, "unit-bytes", n = 700u64), "700 octets");
        let fr = localizer_of(Lang::Fr, "ratio = { $n }\n");
        assert_eq!(fr.message("ratio", &[("n", Arg::Num(1.5))]), "1,5");
        let en = localizer_of(Lang::En, "ratio = { $n }\n");
        assert_eq!(en.message("ratio", &[("n", Arg::Num(1.5))]), "1.5");
    }

    #[test]
    fn text_values_keep_their_ascii_digits_in_arabic() {
        let loc = localizer_of(Lang::Ar, "id = { $id }\n");
        let s = loc.message("id", &[("id", Arg::from("m-42"))]);
        assert_eq!(strip_bidi_marks(&s), "m-42");
    }

    #[test]
    fn decimals_are_written_with_each_languages_separator_and_digits() {
        assert_eq!(Localizer::new(Lang::En).decimal(1.5, 1), "1.5");
        assert_eq!(Localizer::new(Lang::Fr).decimal(1.5, 1), "1,5");
        assert_eq!(Localizer::new(Lang::Ar).decimal(1.5, 1), "١٫٥");
        assert_eq!(Localizer::new(Lang::Ar).decimal(1023.96, 1), "١٠٢٤٫٠");
        assert_eq!(Localizer::new(Lang::Fr).decimal(2.0, 0), "2");
    }

    #[test]
    fn lists_are_separated_with_each_languages_comma() {
        let names = ["Amal".to_owned(), "Omar".to_owned()];
        assert_eq!(Localizer::new(Lang::Fr).list(&names), "Amal, Omar");
        assert_eq!(Localizer::new(Lang::Ar).list(&names), "Amal\u{060C} Omar");
    }

    #[test]
    fn locales_from_the_environment_parse_to_languages() {
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("ar-LY"), Some(Lang::Ar));
        assert_eq!(Lang::parse("C"), Some(Lang::En));
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
