//! Lead webhook bodies -> [`ParsedLead`]s: JSON (one object, an array of them, or `{"leads": [...]}`)
//! and ADF/XML 1.0 (Auto-lead Data Format), read as leniently as a person would read them, because
//! real ADF is sloppy. Pure: no I/O, no database; `lead_intake` validates and stores.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};
use std::collections::HashSet;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedLead {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// every phone given, best first: mobile-like types, then unspecified/voice, home, work, others; no fax
    pub phones: Vec<ParsedPhone>,
    /// trimmed, lower-cased; None if it has no '@'
    pub email: Option<String>,
    /// street lines joined with ", "
    pub address: Option<String>,
    pub city: Option<String>,
    /// as given (trimmed); the caller normalizes
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// JSON only, as given
    pub timezone: Option<String>,
    /// ADF: vendor/vendorname, else provider/name; JSON: "source"
    pub source: Option<String>,
    pub provider: Option<String>,
    pub comments: Option<String>,
    pub requested_at: Option<DateTime<Utc>>,
    /// "buy new 2025 Honda CR-V": the first vehicle they want (JSON "vehicle_interest" verbatim if given)
    pub vehicle_interest: Option<String>,
    /// "2025 Honda CR-V EX-L": year, make, model and trim of that vehicle
    pub preferred_vehicle: Option<String>,
    pub vehicles: Vec<ParsedVehicle>,
    pub financed_term_months: Option<i64>,
    pub purchased_on: Option<NaiveDate>,
    pub monthly_payment_cents: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedPhone {
    pub raw: String,
    /// lower-cased as given ("cellphone", "home", "mobile", ...)
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedVehicle {
    /// buy | lease | sell | trade-in | test-drive (lower-cased as given)
    pub interest: Option<String>,
    /// new | used
    pub status: Option<String>,
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub trim: Option<String>,
    /// trimmed, upper-cased, not validated
    pub vin: Option<String>,
    pub stock: Option<String>,
    pub odometer: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LeadParseError {
    #[error("malformed XML: {0}")]
    MalformedXml(String),
    /// past one of the reader's limits (attributes per element, nesting depth, elements, text
    /// length), which no real lead document comes near
    #[error("the XML document is refused: {0}")]
    XmlTooComplex(String),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// well-formed, but not a lead (or a field of a type that cannot be coerced)
    #[error("{0}")]
    Shape(String),
    #[error("the body is empty")]
    Empty,
}

use LeadParseError::{Empty, Shape};

/// True when the body should be parsed as ADF/XML: an XML content type (parameters allowed), or a
/// body starting with `<?xml`, `<adf` or `<?adf` (any case, after whitespace and a UTF-8 BOM).
pub fn is_xml(content_type: Option<&str>, body: &[u8]) -> bool {
    let ct = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase());
    if matches!(
        ct.as_deref(),
        Some("application/xml" | "text/xml" | "application/x-adf+xml")
    ) {
        return true;
    }
    let body = strip_bom(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    let head: Vec<u8> = body[start..].iter().take(5).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<?xml") || head.starts_with(b"<adf") || head.starts_with(b"<?adf")
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// UTF-8, or else Latin-1 (ADF from older systems is often ISO-8859-1 / Windows-1252).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Trimmed, inner runs of whitespace collapsed to one space; None when nothing is left.
fn squash(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn trimmed(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn clean_email(s: &str) -> Option<String> {
    let e = s.trim().to_lowercase();
    e.contains('@').then_some(e)
}

/// "Ana Lopez" -> (Ana, Lopez), split on the last space; "LOPEZ, ANA" -> (ANA, LOPEZ).
fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let full = squash(full).unwrap_or_default();
    if let Some((last, first)) = full.split_once(',') {
        return (squash(first), squash(last));
    }
    match full.rsplit_once(' ') {
        Some((first, last)) => (squash(first), squash(last)),
        None => (squash(&full), None),
    }
}

/// Leading digits, commas ignored, anything after them too: "45,210" and "45210 mi" -> 45210.
fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, rest) = s.strip_prefix('-').map_or((1, s), |r| (-1, r));
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits.parse::<i64>().ok().map(|n| sign * n)
}

/// "$1,412.50/mo" -> 141250 cents.
fn parse_cents(s: &str) -> Option<i64> {
    let s: String = s.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    let s = s.trim_start_matches(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.'));
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(s.len());
    let amount = s[..end].parse::<f64>().ok().filter(|f| f.abs() < 1e13)?;
    Some((amount * 100.0).round() as i64)
}

/// Loose date-times; without an offset they are taken as UTC. Unparseable -> None.
fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    const ZONED: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M%z",
    ];
    const NAIVE: [&str; 8] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ];
    let s = s.trim();
    let s = s
        .strip_suffix(['Z', 'z'])
        .map_or_else(|| s.to_string(), |r| format!("{r}+00:00"));
    ZONED
        .iter()
        .find_map(|f| DateTime::parse_from_str(&s, f).ok())
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            let naive = NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok());
            naive
                .or_else(|| parse_date(&s)?.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// A calendar date, or the date part of a date-time as written.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let day = s.trim().split([' ', 'T']).next()?;
    ["%Y-%m-%d", "%m/%d/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
}

fn phone(raw: String, kind: Option<&str>) -> ParsedPhone {
    ParsedPhone {
        raw,
        kind: kind.map(str::to_lowercase),
    }
}

/// Rank of a phone type (lower is better), None for fax.
fn phone_rank(kind: Option<&str>) -> Option<u8> {
    let k = kind.unwrap_or("");
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    Some(match () {
        _ if has(&["fax"]) => return None,
        _ if has(&["mobile", "cell", "sms", "text", "wireless"]) => 0,
        _ if k.is_empty() || k == "voice" || k == "phone" => 1,
        _ if has(&["home"]) => 2,
        _ if has(&["work", "office", "business"]) => 3,
        _ => 4,
    })
}

/// Best first (stable), fax dropped, the same number given twice kept once.
fn rank_phones(phones: Vec<ParsedPhone>) -> Vec<ParsedPhone> {
    let mut ranked: Vec<(u8, ParsedPhone)> = phones
        .into_iter()
        .filter_map(|p| Some((phone_rank(p.kind.as_deref())?, p)))
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut seen = HashSet::new();
    let digits = |raw: &str| raw.chars().filter(char::is_ascii_digit).collect::<String>();
    ranked
        .into_iter()
        .filter(|(_, p)| seen.insert(digits(&p.raw)))
        .map(|(_, p)| p)
        .collect()
}

/// Fills vehicle_interest/preferred_vehicle from the first vehicle that `wanted` accepts.
fn describe_interest(lead: &mut ParsedLead, wanted: impl Fn(Option<&str>) -> bool) {
    let Some(v) = lead.vehicles.iter().find(|v| wanted(v.interest.as_deref())) else {
        return;
    };
    let year = v.year.map(|y| y.to_string());
    let words =
        |parts: &[&Option<String>]| squash(&parts.iter().filter_map(|p| p.as_deref()).collect::<Vec<_>>().join(" "));
    let Some(car) = words(&[&year, &v.make, &v.model]) else {
        return;
    };
    let summary = words(&[&v.interest, &v.status, &Some(car.clone())]);
    let preferred = words(&[&Some(car), &v.trim]);
    lead.vehicle_interest = lead.vehicle_interest.take().or(summary);
    lead.preferred_vehicle = lead.preferred_vehicle.take().or(preferred);
}

mod adf;
mod json;
#[cfg(test)]
mod tests;

pub use adf::{parse_adf, MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, MAX_TEXT_BYTES};
pub use json::parse_json;
