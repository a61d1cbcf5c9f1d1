//! An offer as a user writes it (API JSON or the Offers page form), checked field by field.

use super::{check_template, parse_rule, rule_to_json, FieldError, OfferRule};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub name: Option<String>,
    pub body_template: Option<String>,
    pub rule: Option<serde_json::Value>,
    pub op_codes: Option<Vec<String>>,
    pub price_cents: Option<i64>,
    pub value_cents: Option<i64>,
    pub priority: Option<i64>,
    pub booking_url: Option<String>,
    pub reply_window_hours: Option<i64>,
    pub attribution_window_days: Option<i64>,
    /// RFC 3339, or a date (YYYY-MM-DD: midnight in the account's time zone)
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

/// A checked offer, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOffer {
    pub name: String,
    pub body_template: String,
    pub rule: OfferRule,
    pub rule_json: serde_json::Value,
    pub op_codes: Vec<String>,
    pub price_cents: Option<i64>,
    pub value_cents: i64,
    pub priority: i64,
    pub booking_url: Option<String>,
    pub reply_window_hours: i64,
    pub attribution_window_days: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

pub const DEFAULT_REPLY_WINDOW_HOURS: i64 = 72;
pub const DEFAULT_ATTRIBUTION_WINDOW_DAYS: i64 = 30;

/// An RFC 3339 time, or a date: its first minute in the account's zone, or for an end date
/// the first minute of the day after (an offer "ending 2026-12-31" runs through the 31st).
pub(crate) fn moment(raw: &str, tz: Tz, end: bool) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let d = if end { d.succ_opt()? } else { d };
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Check every field; all the errors at once, each naming its field.
pub fn check_offer(input: &OfferInput, tz: Tz) -> Result<ValidOffer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.as_deref().map(str::trim).unwrap_or("");
    if name.is_empty() {
        errors.push(FieldError::new("name", "is required"));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "is longer than 100 characters"));
    }
    let body = input.body_template.as_deref().unwrap_or("");
    if input.body_template.is_none() {
        errors.push(FieldError::new("body_template", "is required"));
    } else {
        errors.extend(check_template(body));
    }
    let rule_value = input.rule.clone().unwrap_or(serde_json::Value::Null);
    let rule = match parse_rule(&rule_value) {
        Ok(r) => r,
        Err(e) => {
            errors.extend(e);
            OfferRule::default()
        }
    };
    let mut op_codes = Vec::new();
    for (i, code) in input.op_codes.iter().flatten().enumerate() {
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c))
        {
            errors.push(FieldError::new(
                format!("op_codes[{i}]"),
                "must be a DMS op code: letters and digits, at most 20",
            ));
        } else if !op_codes.contains(&code) {
            op_codes.push(code);
        }
    }
    let mut non_negative = |field: &str, v: Option<i64>, max: i64| {
        if let Some(n) = v {
            if !(0..=max).contains(&n) {
                errors.push(FieldError::new(field, format!("must be from 0 to {max}")));
            }
        }
    };
    non_negative("price_cents", input.price_cents, 100_000_000);
    non_negative("value_cents", input.value_cents, 100_000_000);
    non_negative("priority", input.priority, 100);
    let reply_window_hours = input.reply_window_hours.unwrap_or(DEFAULT_REPLY_WINDOW_HOURS);
    if !(1..=720).contains(&reply_window_hours) {
        errors.push(FieldError::new("reply_window_hours", "must be from 1 to 720 hours"));
    }
    let attribution_window_days = input.attribution_window_days.unwrap_or(DEFAULT_ATTRIBUTION_WINDOW_DAYS);
    if !(1..=365).contains(&attribution_window_days) {
        errors.push(FieldError::new("attribution_window_days", "must be from 1 to 365 days"));
    }
    let booking_url = input.booking_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if let Some(url) = booking_url {
        let clean = !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
        if !(url.starts_with("https://") || url.starts_with("http://")) || !clean || url.len() > 2000 {
            errors.push(FieldError::new("booking_url", "must be an http(s) address"));
        }
    }
    // a date ends an offer after that day, not at its first minute
    let mut when =
        |field: &str, raw: &Option<String>, end: bool| match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                let t = moment(s, tz, end);
                if t.is_none() {
                    errors.push(FieldError::new(
                        field,
                        "must be a date (YYYY-MM-DD) or an RFC 3339 time",
                    ));
                }
                t
            }
        };
    let starts_at = when("starts_at", &input.starts_at, false);
    let ends_at = when("ends_at", &input.ends_at, true);
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if e <= s {
            errors.push(FieldError::new("ends_at", "must be after starts_at"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidOffer {
        name: name.to_string(),
        body_template: body.trim().to_string(),
        rule_json: rule_to_json(&rule),
        rule,
        op_codes,
        price_cents: input.price_cents,
        value_cents: input.value_cents.unwrap_or(0),
        priority: input.priority.unwrap_or(1),
        booking_url: booking_url.map(str::to_string),
        reply_window_hours,
        attribution_window_days,
        starts_at,
        ends_at,
    })
}
