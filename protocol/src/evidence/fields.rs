//! The optional structured fields of a manifest, after the Istanbul Protocol
//! (documentation of torture) and the Berkeley Protocol (open-source
//! investigations): a closed set of typed names, each with a bounded UTF-8
//! value checked as far as it can be.
//!
//! On the wire a field is its one-byte [`FieldName::id`] and a `str16`
//! value; names this build does not know are refused, so that nothing a
//! reader cannot interpret is ever signed. The text names
//! ([`FieldName::as_str`], `incident_date`, …) are what people type.

use std::collections::BTreeMap;
use std::fmt;

use crate::content::is_forbidden_in_names;
use crate::limits::{MAX_FIELD_LIST_ITEMS, MAX_FIELD_VALUE_LEN};

/// The name of one structured field.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum FieldName {
    /// When the incident happened: an ISO 8601 calendar date at year, month
    /// or day precision (`2024`, `2024-03`, `2024-03-17`), or an interval of
    /// two such dates (`2024-03/2024-05`) whose start is not after its end.
    IncidentDate,
    /// Where the incident happened: free text (a place name, coordinates).
    IncidentPlace,
    /// The type of place of detention: one lower-case token
    /// (`[a-z0-9-]`, 1–64 bytes), see the recommended vocabulary in
    /// `docs/evidence-format.md`.
    PlaceOfDetentionType,
    /// The types of alleged ill-treatment: 1–16 distinct lower-case tokens
    /// separated by commas (`beating,electric-shock`).
    IllTreatmentTypes,
    /// Whether the informed consent of the person was recorded: `yes`, `no`
    /// or `restricted` (consent given for some uses only).
    ConsentRecorded,
    /// The language of the testimony: a BCP 47 tag (`ar-LY`, `fr`, `tmh`).
    TestimonyLanguage,
    /// Who collected the evidence: free text (ideally a role or pseudonym).
    CollectedBy,
}

impl FieldName {
    /// Every field, in wire order.
    pub const ALL: [FieldName; 7] = [
        FieldName::IncidentDate,
        FieldName::IncidentPlace,
        FieldName::PlaceOfDetentionType,
        FieldName::IllTreatmentTypes,
        FieldName::ConsentRecorded,
        FieldName::TestimonyLanguage,
        FieldName::CollectedBy,
    ];

    /// The byte that names the field on the wire.
    pub fn id(self) -> u8 {
        match self {
            FieldName::IncidentDate => 1,
            FieldName::IncidentPlace => 2,
            FieldName::PlaceOfDetentionType => 3,
            FieldName::IllTreatmentTypes => 4,
            FieldName::ConsentRecorded => 5,
            FieldName::TestimonyLanguage => 6,
            FieldName::CollectedBy => 7,
        }
    }

    /// The field with this wire byte, if any.
    pub fn from_id(id: u8) -> Option<FieldName> {
        FieldName::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The text name (`incident_date`), as typed on the command line and
    /// shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::IncidentDate => "incident_date",
            FieldName::IncidentPlace => "incident_place",
            FieldName::PlaceOfDetentionType => "place_of_detention_type",
            FieldName::IllTreatmentTypes => "ill_treatment_types",
            FieldName::ConsentRecorded => "consent_recorded",
            FieldName::TestimonyLanguage => "testimony_language",
            FieldName::CollectedBy => "collected_by",
        }
    }

    /// The field with this text name, if any (exact, lower case).
    pub fn from_name(name: &str) -> Option<FieldName> {
        FieldName::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Whether `value` is a valid value of this field.
    pub fn is_valid(self, value: &str) -> bool {
        if value.is_empty() || value.len() > MAX_FIELD_VALUE_LEN {
            return false;
        }
        match self {
            FieldName::IncidentDate => is_date_or_interval(value),
            FieldName::IncidentPlace | FieldName::CollectedBy => is_free_text(value),
            FieldName::PlaceOfDetentionType => value.len() <= 64 && is_token(value),
            FieldName::IllTreatmentTypes => is_token_list(value),
            FieldName::ConsentRecorded => matches!(value, "yes" | "no" | "restricted"),
            FieldName::TestimonyLanguage => is_language_tag(value),
        }
    }
}

impl fmt::Display for FieldName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a field cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// No field has this name.
    #[error("unknown field name")]
    UnknownName,
    /// The value breaks the field's rule.
    #[error("invalid value for {0}")]
    InvalidValue(FieldName),
}

/// A set of structured fields, each valid: only [`Fields::set`] and the
/// manifest decoder put values in. Ordered by wire byte.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Fields(BTreeMap<FieldName, String>);

impl Fields {
    /// No fields.
    pub fn new() -> Fields {
        Fields::default()
    }

    /// Set a field, replacing any earlier value, after checking the value.
    pub fn set(&mut self, name: FieldName, value: impl Into<String>) -> Result<(), FieldError> {
        let value = value.into();
        if !name.is_valid(&value) {
            return Err(FieldError::InvalidValue(name));
        }
        self.0.insert(name, value);
        Ok(())
    }

    /// Set a field by its text name (`incident_date`).
    pub fn set_by_name(&mut self, name: &str, value: impl Into<String>) -> Result<(), FieldError> {
        let name = FieldName::from_name(name).ok_or(FieldError::UnknownName)?;
        self.set(name, value)
    }

    /// The value of a field, if set.
    pub fn get(&self, name: FieldName) -> Option<&str> {
        self.0.get(&name).map(String::as_str)
    }

    /// The fields set, in wire order.
    pub fn iter(&self) -> impl Iterator<Item = (FieldName, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// How many fields are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Insert a value already checked by the decoder.
    pub(crate) fn insert_checked(&mut self, name: FieldName, value: String) {
        debug_assert!(name.is_valid(&value));
        self.0.insert(name, value);
    }
}

/// Names only: the values stay out of logs.
impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Text a person wrote: no control, line-separator or bidi override
/// characters (the rule of names in `docs/client-formats.md` §3.7), and
/// not only white space.
fn is_free_text(s: &str) -> bool {
    !s.trim().is_empty() && !s.chars().any(is_forbidden_in_names)
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_token_list(s: &str) -> bool {
    let items: Vec<&str> = s.split(',').collect();
    if items.len() > MAX_FIELD_LIST_ITEMS || !items.iter().all(|t| t.len() <= 64 && is_token(t)) {
        return false;
    }
    let mut sorted = items.clone();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.len() == items.len()
}

/// `[A-Za-z]{2,3}` then any number of `-[A-Za-z0-9]{1,8}`, at most 35
/// bytes: the shape of a BCP 47 tag (its registry is not consulted).
fn is_language_tag(s: &str) -> bool {
    if s.len() > 35 {
        return false;
    }
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A date at year, month or day precision: the earliest and the latest day
/// it covers, as (year, month, day).
/// A day as (year, month, day).
type Day = (u32, u32, u32);

fn parse_date(s: &str) -> Option<(Day, Day)> {
    let digits = |p: &str, n: usize| {
        (p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let mut parts = s.split('-');
    let year = digits(parts.next()?, 4).filter(|y| *y >= 1000)?;
    let month = match parts.next() {
        None => return Some(((year, 1, 1), (year, 12, 31))),
        Some(m) => digits(m, 2).filter(|m| (1..=12).contains(m))?,
    };
    let last = days_in_month(year, month);
    let day = match parts.next() {
        None => return Some(((year, month, 1), (year, month, last))),
        Some(d) => digits(d, 2).filter(|d| (1..=last).contains(d))?,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(((year, month, day), (year, month, day)))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_date_or_interval(s: &str) -> bool {
    match s.split_once('/') {
        None => parse_date(s).is_some(),
        Some((a, b)) => match (parse_date(a), parse_date(b)) {
            (Some((start, _)), Some((_, end))) => start <= end,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_one_id_and_one_name() {
        for f in FieldName::ALL {
            assert_eq!(FieldName::from_id(f.id()), Some(f));
            assert_eq!(FieldName::from_name(f.as_str()), Some(f));
        }
        assert_eq!(FieldName::from_id(0), None);
        assert_eq!(FieldName::from_id(8), None);
        assert_eq!(FieldName::from_name("Incident_Date"), None);
    }

    #[test]
    fn incident_dates_are_real_calendar_dates_or_ordered_intervals() {
        for good in [
            "2024",
            "2024-03",
            "2024-02-29",
            "2000-02-29",
            "2024-03/2024-05-02",
            "2024-05/2024",
            "2023-12-31/2024-01-01",
        ] {
            assert!(FieldName::IncidentDate.is_valid(good), "{good}");
        }
        for bad in [
            "",
            "24",
            "2023-02-29",
            "1900-02-29",
            "2024-13",
            "2024-00",
            "2024-04-31",
            "2024-3-1",
            "2024-03-01T10:00",
            "2024/2023",
            "2024-06/2024-05-31",
            "2024-03-01/",
            "+2024",
            "٢٠٢٤",
        ] {
            assert!(!FieldName::IncidentDate.is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn languages_tokens_and_consent_follow_their_shapes() {
        let lang = FieldName::TestimonyLanguage;
        for good in [
            "ar",
            "ar-LY",
            "tmh",
            "fr-FR",
            "ar-Arab-LY",
            "zh-Hant-TW-x-ab",
        ] {
            assert!(lang.is_valid(good), "{good}");
        }
        for bad in [
            "a",
            "arab",
            "ar_LY",
            "ar-",
            "ar--LY",
            "ar-LYLYLYLYLY",
            "عربي",
        ] {
            assert!(!lang.is_valid(bad), "{bad}");
        }
        let list = FieldName::IllTreatmentTypes;
        assert!(list.is_valid("beating,electric-shock,threats"));
        for bad in [
            "beating,beating",
            "beating,",
            ",",
            "Beating",
            "beating, threats",
        ] {
            assert!(!list.is_valid(bad), "{bad}");
        }
        let too_many = (0..17)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(!list.is_valid(&too_many));
        let consent = FieldName::ConsentRecorded;
        assert!(consent.is_valid("yes") && consent.is_valid("restricted"));
        assert!(!consent.is_valid("Yes") && !consent.is_valid("maybe"));
        assert!(FieldName::PlaceOfDetentionType.is_valid("unofficial-site"));
        assert!(!FieldName::PlaceOfDetentionType.is_valid("unofficial site"));
    }

    #[test]
    fn free_text_refuses_control_bidi_blank_and_overlong_values() {
        let place = FieldName::IncidentPlace;
        assert!(place.is_valid("طرابلس، سجن معيتيقة"));
        assert!(place.is_valid(&"x".repeat(MAX_FIELD_VALUE_LEN)));
        for bad in ["", "  ", "a\nb", "a\u{202E}b", "a\u{2066}"] {
            assert!(!place.is_valid(bad), "{bad:?}");
        }
        assert!(!place.is_valid(&"x".repeat(MAX_FIELD_VALUE_LEN + 1)));
    }

    #[test]
    fn fields_refuse_invalid_values_and_unknown_names_and_hide_values() {
        let mut f = Fields::new();
        f.set_by_name("incident_date", "2024-03-17").expect("valid");
        assert_eq!(
            f.set_by_name("incident_time", "noon"),
            Err(FieldError::UnknownName)
        );
        assert_eq!(
            f.set(FieldName::ConsentRecorded, "perhaps"),
            Err(FieldError::InvalidValue(FieldName::ConsentRecorded))
        );
        f.set(FieldName::CollectedBy, "Secret Name").expect("valid");
        assert_eq!(f.len(), 2);
        let shown = format!("{f:?}");
        assert!(
            !shown.contains("Secret") && !shown.contains("2024"),
            "{shown}"
        );
    }
}
