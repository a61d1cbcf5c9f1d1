//! Offers as rules: what an offer's `rule_json` may say, how an offer is checked before it is
//! saved, which offers a visit qualifies for and which one wins, how the text reads, and what
//! a customer's reply means. Pure: the caller loads the facts and passes `now`.

mod input;
mod replies;
mod rules;
#[cfg(test)]
mod tests;

pub(crate) use input::moment;
pub use input::{check_offer, OfferInput, ValidOffer};
pub use replies::{classify_reply, ReplyIntent};
pub use rules::{evaluate, select, Candidate, LineStatus, PastLine, Skip, VehicleFacts, VisitFacts};

use serde_json::Value;

super::word_enum! {
    /// What became of a (visit, phase) the upsell engine handled (`offer_sends.status`). A
    /// send with a text follows its text's status (a trigger keeps them in step).
    pub enum OfferSendStatus {
        /// claimed; its text is being written
        Pending = "pending",
        Queued = "queued",
        Deferred = "deferred",
        Sent = "sent",
        Blocked = "blocked",
        Failed = "failed",
        /// the customer is in an experiment's control group: no text, to measure lift
        HeldOut = "held_out",
        /// no active offer fits the visit
        NoOffer = "no_offer",
        /// nobody to text (opted out, no mobile number)
        Skipped = "skipped",
    }
}

impl OfferSendStatus {
    /// The status of a send that follows its text (the same mapping as the trigger that keeps
    /// them in step, `offer_sends_follow_message`).
    pub fn following(text: crate::domain::messages::MessageStatus) -> OfferSendStatus {
        use crate::domain::messages::MessageStatus as M;
        match text {
            M::Queued | M::Sending | M::Unknown => OfferSendStatus::Queued,
            M::Deferred => OfferSendStatus::Deferred,
            M::Sent | M::Delivered => OfferSendStatus::Sent,
            M::Undelivered | M::Failed => OfferSendStatus::Failed,
            M::Blocked => OfferSendStatus::Blocked,
        }
    }
}

super::word_enum! {
    /// The three moments of a visit when an offer may be texted.
    pub enum Phase {
        /// 48 hours before the appointment
        TMinus48h = "t_minus_48h",
        /// when the repair order opens
        RoOpen = "ro_open",
        /// 24 hours after the repair order closed
        TPlus24h = "t_plus_24h",
    }
}

impl Phase {
    /// When the phase is due, as a range `(after, up_to]` of the time it keys off (scheduled,
    /// opened, closed; unix seconds) at `now`: `t_minus_48h` from 48 h before the appointment
    /// until 12 h before it (a late tick still catches it; a text an hour before the visit
    /// would not help); `ro_open` within a day of the RO opening; `t_plus_24h` from 24 h to
    /// 72 h after it closed. A visit whose time is at or before `after` is history: it will
    /// never be due (a 2-year-old RO imported today triggers nothing).
    pub fn due_window(self, now: i64) -> (i64, i64) {
        const H: i64 = 3600;
        match self {
            Phase::TMinus48h => (now + 12 * H, now + 48 * H),
            Phase::RoOpen => (now - 24 * H, now),
            Phase::TPlus24h => (now - 72 * H, now - 24 * H),
        }
    }
}

/// An offer's targeting rule (`rule_json`). Every part is optional; an empty rule matches
/// every visit in every phase.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct OfferRule {
    pub vehicle: VehicleRule,
    /// months of the year (1-12, in the account's time zone); empty = all year
    pub months: Vec<u32>,
    /// skip when one of these op codes was performed on the vehicle within N days
    pub skip_if_done: Option<OpCodeWindow>,
    /// only when the last repair order (within N days) declined or recommended one of these
    pub qualify_if_declined: Option<OpCodeWindow>,
    /// phases the offer may be sent in; empty = all three
    pub phases: Vec<Phase>,
    /// skip when this customer declined this offer within N days
    pub skip_if_declined_within_days: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct VehicleRule {
    /// compared case-insensitively; empty = any
    pub makes: Vec<String>,
    pub models: Vec<String>,
    pub year_min: Option<i32>,
    pub year_max: Option<i32>,
    /// from the latest known odometer reading
    pub mileage_min: Option<i64>,
    pub mileage_max: Option<i64>,
    /// this year minus the model year
    pub age_years_min: Option<i32>,
    pub age_years_max: Option<i32>,
}

impl VehicleRule {
    fn is_empty(&self) -> bool {
        *self == VehicleRule::default()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OpCodeWindow {
    pub op_codes: Vec<String>,
    pub within_days: u32,
}

/// One thing wrong with an offer, by field path (`rule.vehicle.year_min`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every error as one readable sentence: `field: message; field: message`.
pub fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

const RULE_KEYS: &[&str] = &[
    "vehicle",
    "months",
    "skip_if_done",
    "qualify_if_declined",
    "phases",
    "skip_if_declined_within_days",
];
const VEHICLE_KEYS: &[&str] = &[
    "makes",
    "models",
    "year_min",
    "year_max",
    "mileage_min",
    "mileage_max",
    "age_years_min",
    "age_years_max",
];

/// Read and check a rule, collecting an error for every bad field rather than stopping at
/// the first.
pub fn parse_rule(value: &Value) -> Result<OfferRule, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut rule = OfferRule::default();
    let obj = match value {
        Value::Null => return Ok(rule),
        Value::Object(o) => o,
        _ => return Err(vec![FieldError::new("rule", "must be an object")]),
    };
    for key in obj.keys() {
        if !RULE_KEYS.contains(&key.as_str()) {
            errors.push(FieldError::new(
                format!("rule.{key}"),
                format!("unknown rule; use one of {}", RULE_KEYS.join(", ")),
            ));
        }
    }
    if let Some(v) = obj.get("vehicle").filter(|v| !v.is_null()) {
        match v {
            Value::Object(vo) => {
                for key in vo.keys() {
                    if !VEHICLE_KEYS.contains(&key.as_str()) {
                        errors.push(FieldError::new(
                            format!("rule.vehicle.{key}"),
                            format!("unknown vehicle rule; use one of {}", VEHICLE_KEYS.join(", ")),
                        ));
                    }
                }
                let vr = &mut rule.vehicle;
                vr.makes = strings(vo.get("makes"), "rule.vehicle.makes", &mut errors);
                vr.models = strings(vo.get("models"), "rule.vehicle.models", &mut errors);
                vr.year_min =
                    int(vo.get("year_min"), "rule.vehicle.year_min", 1950, 2100, &mut errors).map(|n| n as i32);
                vr.year_max =
                    int(vo.get("year_max"), "rule.vehicle.year_max", 1950, 2100, &mut errors).map(|n| n as i32);
                vr.mileage_min = int(
                    vo.get("mileage_min"),
                    "rule.vehicle.mileage_min",
                    0,
                    2_000_000,
                    &mut errors,
                );
                vr.mileage_max = int(
                    vo.get("mileage_max"),
                    "rule.vehicle.mileage_max",
                    0,
                    2_000_000,
                    &mut errors,
                );
                vr.age_years_min = int(
                    vo.get("age_years_min"),
                    "rule.vehicle.age_years_min",
                    0,
                    100,
                    &mut errors,
                )
                .map(|n| n as i32);
                vr.age_years_max = int(
                    vo.get("age_years_max"),
                    "rule.vehicle.age_years_max",
                    0,
                    100,
                    &mut errors,
                )
                .map(|n| n as i32);
                range(vr.year_min, vr.year_max, "rule.vehicle.year", &mut errors);
                range(vr.mileage_min, vr.mileage_max, "rule.vehicle.mileage", &mut errors);
                range(
                    vr.age_years_min,
                    vr.age_years_max,
                    "rule.vehicle.age_years",
                    &mut errors,
                );
            }
            _ => errors.push(FieldError::new("rule.vehicle", "must be an object")),
        }
    }
    if let Some(v) = obj.get("months").filter(|v| !v.is_null()) {
        match v.as_array() {
            Some(items) => {
                for (i, m) in items.iter().enumerate() {
                    match m.as_u64().filter(|m| (1..=12).contains(m)) {
                        Some(m) if !rule.months.contains(&(m as u32)) => rule.months.push(m as u32),
                        Some(_) => {}
                        None => errors.push(FieldError::new(format!("rule.months[{i}]"), "must be a month, 1 to 12")),
                    }
                }
            }
            None => errors.push(FieldError::new("rule.months", "must be a list of months, 1 to 12")),
        }
    }
    rule.skip_if_done = window(obj.get("skip_if_done"), "rule.skip_if_done", &mut errors);
    rule.qualify_if_declined = window(obj.get("qualify_if_declined"), "rule.qualify_if_declined", &mut errors);
    if let Some(v) = obj.get("phases").filter(|v| !v.is_null()) {
        match v.as_array() {
            Some(items) => {
                for (i, p) in items.iter().enumerate() {
                    match p.as_str().and_then(Phase::parse) {
                        Some(p) if !rule.phases.contains(&p) => rule.phases.push(p),
                        Some(_) => {}
                        None => errors.push(FieldError::new(
                            format!("rule.phases[{i}]"),
                            format!("unknown phase {p}; use t_minus_48h, ro_open or t_plus_24h"),
                        )),
                    }
                }
                if items.is_empty() {
                    errors.push(FieldError::new(
                        "rule.phases",
                        "an empty list would never send; leave it out to allow every phase",
                    ));
                }
            }
            None => errors.push(FieldError::new("rule.phases", "must be a list of phases")),
        }
    }
    rule.skip_if_declined_within_days = int(
        obj.get("skip_if_declined_within_days"),
        "rule.skip_if_declined_within_days",
        1,
        3650,
        &mut errors,
    )
    .map(|n| n as u32);
    if errors.is_empty() {
        Ok(rule)
    } else {
        Err(errors)
    }
}

/// The rule as JSON, in the same shape `parse_rule` reads (empty parts left out).
pub fn rule_to_json(rule: &OfferRule) -> Value {
    let mut out = serde_json::Map::new();
    if !rule.vehicle.is_empty() {
        let v = serde_json::to_value(&rule.vehicle).unwrap_or(Value::Null);
        let trimmed: serde_json::Map<String, Value> = v
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        out.insert("vehicle".into(), Value::Object(trimmed));
    }
    if !rule.months.is_empty() {
        out.insert("months".into(), serde_json::json!(rule.months));
    }
    if let Some(w) = &rule.skip_if_done {
        out.insert("skip_if_done".into(), serde_json::json!(w));
    }
    if let Some(w) = &rule.qualify_if_declined {
        out.insert("qualify_if_declined".into(), serde_json::json!(w));
    }
    if !rule.phases.is_empty() {
        out.insert("phases".into(), serde_json::json!(rule.phases));
    }
    if let Some(d) = rule.skip_if_declined_within_days {
        out.insert("skip_if_declined_within_days".into(), serde_json::json!(d));
    }
    Value::Object(out)
}

fn strings(v: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Vec<String> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, s) in items.iter().enumerate() {
                match s.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                    Some(s) => out.push(s.to_string()),
                    None => errors.push(FieldError::new(format!("{field}[{i}]"), "must be a non-empty string")),
                }
            }
            out
        }
        Some(_) => {
            errors.push(FieldError::new(field, "must be a list of strings"));
            Vec::new()
        }
    }
}

fn int(v: Option<&Value>, field: &str, min: i64, max: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
    match v {
        None | Some(Value::Null) => None,
        Some(n) => match n.as_i64().filter(|n| (min..=max).contains(n)) {
            Some(n) => Some(n),
            None => {
                errors.push(FieldError::new(
                    field,
                    format!("must be a whole number from {min} to {max}"),
                ));
                None
            }
        },
    }
}

fn range<T: PartialOrd>(min: Option<T>, max: Option<T>, field: &str, errors: &mut Vec<FieldError>) {
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            errors.push(FieldError::new(
                format!("{field}_min"),
                format!("is greater than {field}_max; nothing would match"),
            ));
        }
    }
}

fn window(v: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Option<OpCodeWindow> {
    let o = match v {
        None | Some(Value::Null) => return None,
        Some(Value::Object(o)) => o,
        Some(_) => {
            errors.push(FieldError::new(
                field,
                "must be an object {\"op_codes\": [...], \"within_days\": N}",
            ));
            return None;
        }
    };
    for key in o.keys() {
        if key != "op_codes" && key != "within_days" {
            errors.push(FieldError::new(
                format!("{field}.{key}"),
                "unknown; use op_codes and within_days",
            ));
        }
    }
    let before = errors.len();
    let op_codes = strings(o.get("op_codes"), &format!("{field}.op_codes"), errors);
    if op_codes.is_empty() && errors.len() == before {
        errors.push(FieldError::new(
            format!("{field}.op_codes"),
            "needs at least one op code",
        ));
    }
    let days = int(o.get("within_days"), &format!("{field}.within_days"), 1, 3650, errors);
    if days.is_none() && o.get("within_days").is_none_or(Value::is_null) {
        errors.push(FieldError::new(
            format!("{field}.within_days"),
            "is required (days, 1 to 3650)",
        ));
    }
    Some(OpCodeWindow {
        op_codes: op_codes.iter().map(|c| c.to_ascii_uppercase()).collect(),
        within_days: days? as u32,
    })
}

/// Placeholders a body template may use.
pub const PLACEHOLDERS: &[&str] = &["first_name", "vehicle", "advisor", "price", "link"];

/// Check a body template: not empty, only known `{placeholders}`, short enough for one text
/// thread once filled in. A template without `{link}` is allowed (reply-only offers).
pub fn check_template(template: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if template.trim().is_empty() {
        errors.push(FieldError::new("body_template", "must not be empty"));
        return errors;
    }
    if template.chars().count() > 1000 {
        errors.push(FieldError::new(
            "body_template",
            "is longer than 1000 characters; a text must stay readable once the link and names are in",
        ));
    }
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if !PLACEHOLDERS.contains(&name) {
                    errors.push(FieldError::new(
                        "body_template",
                        format!("unknown placeholder {{{name}}}; use {}", placeholder_list()),
                    ));
                }
                rest = &after[end + 1..];
            }
            None => {
                errors.push(FieldError::new("body_template", "has a { without a closing }"));
                break;
            }
        }
    }
    errors
}

fn placeholder_list() -> String {
    PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{p}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The values that fill a body template.
#[derive(Debug, Clone, Default)]
pub struct BodyValues {
    pub first_name: Option<String>,
    pub vehicle: Option<String>,
    pub advisor: Option<String>,
    pub price: Option<String>,
    pub link: Option<String>,
}

/// Fill a template; a value the store does not know reads as a natural fallback.
pub fn render_body(template: &str, v: &BodyValues) -> String {
    let first = v.first_name.as_deref().map(title_case).filter(|s| !s.is_empty());
    let advisor = v.advisor.as_deref().map(advisor_name).filter(|s| !s.is_empty());
    template
        .replace("{first_name}", first.as_deref().unwrap_or("there"))
        .replace("{vehicle}", v.vehicle.as_deref().unwrap_or("vehicle"))
        .replace("{advisor}", advisor.as_deref().unwrap_or("your service advisor"))
        .replace("{price}", v.price.as_deref().unwrap_or("a special price"))
        .replace("{link}", v.link.as_deref().unwrap_or(""))
}

/// "JOHN" -> "John", "mary-ann" -> "Mary-Ann".
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for ch in s.trim().chars() {
        if ch.is_alphabetic() {
            if start {
                out.extend(ch.to_uppercase());
            } else {
                out.extend(ch.to_lowercase());
            }
            start = false;
        } else {
            out.push(ch);
            start = true;
        }
        if ch == '\'' {
            start = false;
        }
    }
    out
}

/// DMS advisors come as "SMITH, JOHN" or "John Smith": a text reads better with "John".
fn advisor_name(raw: &str) -> String {
    let raw = raw.trim();
    let first = match raw.split_once(',') {
        Some((_, first)) => first.split_whitespace().next().unwrap_or(""),
        None => raw.split_whitespace().next().unwrap_or(""),
    };
    title_case(first)
}

/// "2019 Honda Accord" from what is known of a vehicle.
pub fn vehicle_label(year: Option<i32>, make: Option<&str>, model: Option<&str>) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(y) = year {
        parts.push(y.to_string());
    }
    if let Some(m) = make.map(str::trim).filter(|m| !m.is_empty()) {
        // makes read as words, except the ones that are initials
        if ["BMW", "GMC", "MINI"].iter().any(|a| a.eq_ignore_ascii_case(m)) {
            parts.push(m.to_ascii_uppercase());
        } else {
            parts.push(title_case(m));
        }
    }
    if let Some(m) = model.map(str::trim).filter(|m| !m.is_empty()) {
        // model names like CR-V, F-150 or RAV4 keep their capitals
        if m.len() <= 3 || m.chars().any(|c| c.is_ascii_digit() || c == '-') {
            parts.push(m.to_string());
        } else {
            parts.push(title_case(m));
        }
    }
    if parts.len() <= usize::from(year.is_some()) {
        None
    } else {
        Some(parts.join(" "))
    }
}
