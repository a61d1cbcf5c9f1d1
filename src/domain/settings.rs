//! A manager's settings, checked field by field: a state's texting hours and cap, and the
//! account's messaging preferences (HELP text, auto-reply, caps per customer). The JSON API
//! and the Settings page use the same checks.

use super::geo::normalize_state;

/// What is wrong with each bad field: `(field, message)`.
pub type FieldErrors = Vec<(&'static str, String)>;

/// "08:00" → minutes after midnight (0–1440).
pub fn clock_minutes(v: &str) -> Option<i64> {
    let (h, m) = v.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= 1440).then_some(h * 60 + m)
}

/// A state's rule as a manager gives it.
#[derive(Debug, Clone, Default)]
pub struct StateRuleInput<'a> {
    pub state: &'a str,
    pub start: &'a str,
    pub end: &'a str,
    pub sunday_start: Option<&'a str>,
    pub sunday_end: Option<&'a str>,
    pub sunday_allowed: bool,
    pub max_per_24h: Option<&'a str>,
    pub source: &'a str,
}

/// A state's rule, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateRule {
    pub state: &'static str,
    pub start_minute: i64,
    pub end_minute: i64,
    pub sunday: Option<(i64, i64)>,
    pub sunday_allowed: bool,
    pub max_per_24h: Option<i64>,
    pub source: String,
}

/// A field left empty is not given.
fn blank(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

pub fn check_state_rule(i: &StateRuleInput) -> Result<StateRule, FieldErrors> {
    let mut errors = FieldErrors::new();
    let state = normalize_state(i.state);
    if state.is_none() {
        errors.push(("state", format!("{:?} is not a US state", i.state)));
    }
    let time = |field: &'static str, v: &str, errors: &mut FieldErrors| {
        let m = clock_minutes(v);
        if m.is_none() {
            errors.push((field, format!("{v:?} is not a time like 08:00")));
        }
        m
    };
    let (start, end) = (time("start", i.start, &mut errors), time("end", i.end, &mut errors));
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            errors.push(("end", "the window must end after it starts".into()));
        }
    }
    let sunday = match (blank(i.sunday_start), blank(i.sunday_end)) {
        (None, None) => None,
        (Some(s), Some(e)) => match (time("sunday_start", s, &mut errors), time("sunday_end", e, &mut errors)) {
            (Some(s), Some(e)) if s < e => Some((s, e)),
            (Some(_), Some(_)) => {
                errors.push(("sunday_end", "Sunday's window must end after it starts".into()));
                None
            }
            _ => None,
        },
        _ => {
            errors.push(("sunday_end", "give Sunday's start and end, or neither".into()));
            None
        }
    };
    let max = match blank(i.max_per_24h) {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (0..=50).contains(&n) => Some(n),
            _ => {
                errors.push(("max_per_24h", format!("{v:?} is not a number of texts from 0 to 50")));
                None
            }
        },
    };
    let source = i.source.trim();
    if source.is_empty() || source.chars().count() > 200 {
        errors.push((
            "source",
            "name the statute or policy the rule comes from (at most 200 characters)".into(),
        ));
    }
    match (state, start, end) {
        (Some(state), Some(start_minute), Some(end_minute)) if errors.is_empty() => Ok(StateRule {
            state,
            start_minute,
            end_minute,
            sunday,
            sunday_allowed: i.sunday_allowed,
            max_per_24h: max,
            source: source.to_string(),
        }),
        _ => Err(errors),
    }
}

/// The account's messaging preferences as a manager gives them.
#[derive(Debug, Clone, Default)]
pub struct MessagingInput<'a> {
    pub help_text: &'a str,
    pub auto_reply: bool,
    pub cap_per_lead_day: &'a str,
    pub cap_per_lead_week: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Messaging {
    pub help_text: String,
    pub auto_reply: bool,
    pub cap_per_lead_day: i64,
    pub cap_per_lead_week: i64,
}

pub fn check_messaging(i: &MessagingInput) -> Result<Messaging, FieldErrors> {
    let mut errors = FieldErrors::new();
    let help = i.help_text.trim();
    if help.is_empty() || help.chars().count() > 320 {
        errors.push((
            "help_text",
            "must be 1 to 320 characters (what a HELP reply says)".into(),
        ));
    }
    let cap = |field: &'static str, v: &str, max: i64, errors: &mut FieldErrors| match v.trim().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Some(n),
        _ => {
            errors.push((
                field,
                format!("{:?} is not a number of texts from 0 to {max}", v.trim()),
            ));
            None
        }
    };
    let day = cap("cap_per_lead_day", i.cap_per_lead_day, 10, &mut errors);
    let week = cap("cap_per_lead_week", i.cap_per_lead_week, 50, &mut errors);
    if let (Some(d), Some(w)) = (day, week) {
        if w < d {
            errors.push((
                "cap_per_lead_week",
                "a week allows at least as many texts as a day".into(),
            ));
        }
    }
    match (day, week) {
        (Some(cap_per_lead_day), Some(cap_per_lead_week)) if errors.is_empty() => Ok(Messaging {
            help_text: help.to_string(),
            auto_reply: i.auto_reply,
            cap_per_lead_day,
            cap_per_lead_week,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: FieldErrors) -> Vec<&'static str> {
        e.into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_state_rule_is_checked_field_by_field() {
        let ok = StateRuleInput {
            state: "tx",
            start: "12:00",
            end: "21:00",
            sunday_start: Some(""),
            sunday_end: None,
            sunday_allowed: true,
            max_per_24h: Some("3"),
            source: "Tex. Bus. & Com. Code 304.151",
        };
        let r = check_state_rule(&ok).unwrap();
        assert_eq!(
            (r.state, r.start_minute, r.end_minute, r.max_per_24h),
            ("TX", 720, 1260, Some(3))
        );
        let bad = StateRuleInput {
            state: "ZZ",
            start: "9am",
            end: "08:00",
            sunday_start: Some("10:00"),
            sunday_end: None,
            max_per_24h: Some("many"),
            source: " ",
            ..ok.clone()
        };
        assert_eq!(
            fields(check_state_rule(&bad).unwrap_err()),
            ["state", "start", "sunday_end", "max_per_24h", "source"]
        );
        let backwards = StateRuleInput {
            start: "20:00",
            end: "08:00",
            ..ok
        };
        assert_eq!(fields(check_state_rule(&backwards).unwrap_err()), ["end"]);
    }

    #[test]
    fn messaging_preferences_are_checked_field_by_field() {
        let ok = MessagingInput {
            help_text: "Lakeside Honda: reply STOP to stop.",
            auto_reply: true,
            cap_per_lead_day: "2",
            cap_per_lead_week: "6",
        };
        assert_eq!(check_messaging(&ok).unwrap().cap_per_lead_week, 6);
        let bad = MessagingInput {
            help_text: "",
            cap_per_lead_day: "3",
            cap_per_lead_week: "1",
            ..ok
        };
        assert_eq!(
            fields(check_messaging(&bad).unwrap_err()),
            ["help_text", "cap_per_lead_week"]
        );
        assert_eq!(clock_minutes("24:00"), Some(1440));
        assert_eq!(clock_minutes("24:01"), None);
    }
}
