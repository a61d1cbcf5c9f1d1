//! An experiment as a manager sets it up: the campaign it governs, the share held out, when it
//! runs, the metric it is judged on. Checked field by field, like offers and questions.

use super::super::offers::{moment, FieldError};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

crate::domain::word_enum! {
    /// What an experiment governs: one upsell phase, every upsell phase, surveys or follow-ups.
    pub enum Campaign {
        /// the offer texted 48 hours before an appointment
        UpsellTMinus48h = "upsell:t_minus_48h",
        /// the offer texted when the repair order opens
        UpsellRoOpen = "upsell:ro_open",
        /// the offer texted the day after the visit
        UpsellTPlus24h = "upsell:t_plus_24h",
        /// every upsell phase
        UpsellAny = "upsell:any",
        /// survey questions
        Surveys = "surveys",
        /// follow-up texts
        Followups = "followups",
    }
}

impl Campaign {
    /// Whether two campaigns govern some of the same texts (so cannot both run).
    pub fn overlaps(self, other: Campaign) -> bool {
        self == other
            || (self.is_upsell() && other.is_upsell() && (self == Self::UpsellAny || other == Self::UpsellAny))
    }

    pub fn is_upsell(self) -> bool {
        self.as_str().starts_with("upsell:")
    }

    /// The campaigns whose experiment governs the upsell text of `phase` (a phase word).
    pub fn for_upsell_phase(phase: &str) -> [&'static str; 2] {
        match phase {
            "t_minus_48h" => [Self::UpsellTMinus48h.as_str(), Self::UpsellAny.as_str()],
            "ro_open" => [Self::UpsellRoOpen.as_str(), Self::UpsellAny.as_str()],
            _ => [Self::UpsellTPlus24h.as_str(), Self::UpsellAny.as_str()],
        }
    }

    /// In words for the page.
    pub fn label(self) -> &'static str {
        match self {
            Self::UpsellTMinus48h => "Upsell 48 hours before the appointment",
            Self::UpsellRoOpen => "Upsell when the RO opens",
            Self::UpsellTPlus24h => "Upsell the day after the visit",
            Self::UpsellAny => "Every upsell text",
            Self::Surveys => "Survey questions",
            Self::Followups => "Follow-up texts",
        }
    }
}

crate::domain::word_enum! {
    /// What an experiment is judged on, per customer, over the window after assignment.
    pub enum Metric {
        /// booked a visit (an appointment made after assignment)
        Booked = "booked",
        /// came in (a repair order opened after assignment)
        Kept = "kept",
        /// accepted an offer
        Accepted = "accepted",
        /// RO revenue per customer (CUPED-adjusted by the year before)
        Revenue = "revenue",
    }
}

impl Metric {
    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "Booked a visit",
            Self::Kept => "Came in (RO opened)",
            Self::Accepted => "Accepted an offer",
            Self::Revenue => "RO revenue per customer",
        }
    }
}

crate::domain::word_enum! {
    pub enum ExperimentStatus {
        /// being set up: can be changed
        Draft = "draft",
        Running = "running",
        /// over: its assignments and results stay
        Stopped = "stopped",
    }
}

pub const DEFAULT_HOLDOUT_PCT: i64 = 10;
pub const DEFAULT_WINDOW_DAYS: i64 = 30;

/// An experiment as submitted (API JSON or the page's form). Every field optional here so that a
/// missing one is reported by name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentInput {
    pub name: Option<String>,
    pub campaign: Option<String>,
    pub holdout_pct: Option<i64>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub primary_metric: Option<String>,
    pub window_days: Option<i64>,
}

/// An experiment that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidExperiment {
    pub name: String,
    pub campaign: Campaign,
    pub holdout_pct: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub primary_metric: Metric,
    pub window_days: i64,
}

fn word<T>(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    default: Option<T>,
    parse: fn(&str) -> Option<T>,
    words: String,
) -> Option<T> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None if default.is_some() => default,
        None => {
            errors.push(FieldError::new(field, format!("is required (one of: {words})")));
            None
        }
        Some(s) => parse(s).or_else(|| {
            errors.push(FieldError::new(field, format!("must be one of: {words}")));
            None
        }),
    }
}

/// Check a submitted experiment; every problem is reported with its field. Dates are read in the
/// account's zone (an end date ends after that day).
pub fn check_experiment(input: &ExperimentInput, tz: Tz) -> Result<ValidExperiment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.as_deref().map(str::trim).unwrap_or("").to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", "is required"));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "is longer than 100 characters"));
    }
    let campaign = word(
        &mut errors,
        "campaign",
        input.campaign.as_deref(),
        None,
        Campaign::parse,
        Campaign::words(),
    );
    let primary_metric = word(
        &mut errors,
        "primary_metric",
        input.primary_metric.as_deref(),
        Some(Metric::Booked),
        Metric::parse,
        Metric::words(),
    );
    let holdout_pct = input.holdout_pct.unwrap_or(DEFAULT_HOLDOUT_PCT);
    if !(1..=50).contains(&holdout_pct) {
        errors.push(FieldError::new(
            "holdout_pct",
            "must be from 1 to 50 (percent held out)",
        ));
    }
    let window_days = input.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    if !(1..=365).contains(&window_days) {
        errors.push(FieldError::new("window_days", "must be from 1 to 365 days"));
    }
    let mut when = |field: &str, raw: &Option<String>, end: bool| match raw.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => moment(s, tz, end).or_else(|| {
            errors.push(FieldError::new(
                field,
                "must be a date (YYYY-MM-DD) or an RFC 3339 time",
            ));
            None
        }),
    };
    let starts_at = when("starts_at", &input.starts_at, false);
    let ends_at = when("ends_at", &input.ends_at, true);
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if e <= s {
            errors.push(FieldError::new("ends_at", "must be after starts_at"));
        }
    }
    match (campaign, primary_metric) {
        (Some(campaign), Some(primary_metric)) if errors.is_empty() => Ok(ValidExperiment {
            name,
            campaign,
            holdout_pct,
            starts_at,
            ends_at,
            primary_metric,
            window_days,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(campaign: &str) -> ExperimentInput {
        ExperimentInput {
            name: Some("48h lift".into()),
            campaign: Some(campaign.into()),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_and_every_bad_field_named() {
        let v = check_experiment(&input("upsell:t_minus_48h"), chrono_tz::America::Chicago).unwrap();
        assert_eq!(
            (v.holdout_pct, v.window_days, v.primary_metric),
            (10, 30, Metric::Booked)
        );
        let bad = ExperimentInput {
            name: Some(" ".into()),
            campaign: Some("upsell".into()),
            holdout_pct: Some(60),
            primary_metric: Some("clicks".into()),
            starts_at: Some("2026-12-10".into()),
            ends_at: Some("2026-12-01".into()),
            window_days: Some(0),
        };
        let errors = check_experiment(&bad, chrono_tz::America::Chicago).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "campaign",
                "primary_metric",
                "holdout_pct",
                "window_days",
                "ends_at"
            ]
        );
    }

    #[test]
    fn any_upsell_overlaps_every_phase_and_nothing_else() {
        assert!(Campaign::UpsellAny.overlaps(Campaign::UpsellRoOpen));
        assert!(Campaign::UpsellTPlus24h.overlaps(Campaign::UpsellAny));
        assert!(!Campaign::UpsellRoOpen.overlaps(Campaign::UpsellTMinus48h));
        assert!(!Campaign::UpsellAny.overlaps(Campaign::Surveys));
        assert!(Campaign::Surveys.overlaps(Campaign::Surveys));
        assert_eq!(Campaign::for_upsell_phase("ro_open"), ["upsell:ro_open", "upsell:any"]);
    }
}
