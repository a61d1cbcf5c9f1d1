//! The values a service visit (an appointment or a repair order) may hold, wherever they come
//! from: the DMS import and `POST /api/ro/update` check the same bounds, here, so a value one
//! accepts the other never refuses, and no value reaches a CHECK constraint of the database.

use crate::domain::money::Cents;
use std::ops::RangeInclusive;

/// Odometer readings, miles: no car has driven two million.
pub const MILEAGE: RangeInclusive<i64> = 0..=2_000_000;
/// Amounts, cents: $0.00 to $10,000,000.00 (a negative amount is a credit the DMS books
/// elsewhere; forecourt adds amounts up, so a credit would subtract revenue no one lost).
pub const CENTS: RangeInclusive<i64> = 0..=1_000_000_000;
/// Model years a vehicle may have (the vehicles table's own CHECK).
pub const MODEL_YEARS: RangeInclusive<i32> = 1950..=2100;
/// An RO number or appointment id: what a later export is matched on.
pub const EXTERNAL_ID_MAX_CHARS: usize = 100;
/// An op code (`04BRK`, or a free-text service like `Tire Rotation`).
pub const OP_CODE_MAX_CHARS: usize = 64;
/// A line's description, an advisor's name.
pub const TEXT_MAX_CHARS: usize = 500;

super::word_enum! {
    /// What a service event is (`service_events.kind`): an appointment booked, or a repair order
    /// opened (an appointment becomes one when it opens).
    pub enum ServiceEventKind {
        Appointment = "appointment",
        RepairOrder = "repair_order",
    }
}

super::word_enum! {
    /// What became of a line on a visit: done, turned down by the customer, or advised for later.
    pub enum LineStatus {
        Performed = "performed",
        Declined = "declined",
        Recommended = "recommended",
    }
}

/// A line stored without a status was written as done: that is how every reader has taken it.
fn performed() -> LineStatus {
    LineStatus::Performed
}

/// One op code on a visit, as every path writes it (the DMS import, `POST /api/ro/update`, the
/// demo) and every reader reads it (the upsell rules, RO-line credit). Stored in
/// `service_events.services_json` as a list of
/// `{"op_code": .., "description": .., "amount_cents": .., "status": ..}`; rows written before
/// this type may lack `description`, `amount_cents` or `status` (read as none, none and
/// performed), but never `op_code`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceLine {
    pub op_code: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub amount_cents: Option<Cents>,
    #[serde(default = "performed")]
    pub status: LineStatus,
}

/// Does the text hold a control character (NUL, a line break, a tab, DEL, ...)?
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// The text with each run of control characters (a NUL, a line break inside a quoted cell, a
/// tab) read as one space: what a person meant, without what breaks the pages, the texts and
/// SQLite (whose `length()` stops at a NUL).
pub fn without_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars() {
        if c.is_control() {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

/// `1,234,567` for messages.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a mileage is refused, if it is: the message names the allowed range.
pub fn check_mileage(miles: i64) -> Result<i64, String> {
    if MILEAGE.contains(&miles) {
        return Ok(miles);
    }
    let sign = if miles < 0 { "-" } else { "" };
    Err(format!(
        "{sign}{} miles is outside {} to {} miles",
        grouped(miles.unsigned_abs()),
        MILEAGE.start(),
        grouped(MILEAGE.end().unsigned_abs())
    ))
}

/// The amount, if a visit may carry it; else why it is refused, naming the allowed range.
pub fn check_cents(cents: i64) -> Result<Cents, String> {
    use crate::domain::money::dollars;
    if CENTS.contains(&cents) {
        return Ok(Cents::new(cents));
    }
    let what = if cents < 0 {
        "a negative amount".to_string()
    } else {
        format!("{} is more than any visit costs", dollars(cents))
    };
    Err(format!(
        "{what}: amounts from {} to {} are kept",
        dollars(*CENTS.start()),
        dollars(*CENTS.end())
    ))
}

/// Why an RO number or appointment id cannot identify a visit, if it cannot (read after the
/// value: "`\0BAD` holds a control character ...").
pub fn check_external_id(id: &str) -> Result<(), String> {
    check_identifier(id, EXTERNAL_ID_MAX_CHARS)
}

/// Why an op code cannot be kept, if it cannot (read after the value).
pub fn check_op_code(code: &str) -> Result<(), String> {
    check_identifier(code, OP_CODE_MAX_CHARS)
}

fn check_identifier(s: &str, max_chars: usize) -> Result<(), String> {
    let n = s.chars().count();
    if s.trim().is_empty() {
        Err("is empty".into())
    } else if has_control(s) {
        Err("holds a control character (such as NUL or a line break): the export is damaged at this value".into())
    } else if n > max_chars {
        Err(format!("is {n} characters long; at most {max_chars} are kept"))
    } else {
        Ok(())
    }
}

/// A value quoted in a message: control characters shown as escapes (`\0`), at most 60
/// characters of it.
pub fn quoted(value: &str) -> String {
    let shown: String = value.chars().take(60).collect::<String>().escape_debug().to_string();
    if value.chars().count() > 60 {
        format!("`{shown}…`")
    } else {
        format!("`{shown}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_their_messages() {
        assert_eq!(check_mileage(0), Ok(0));
        assert_eq!(check_mileage(2_000_000), Ok(2_000_000));
        assert_eq!(
            check_mileage(-5),
            Err("-5 miles is outside 0 to 2,000,000 miles".into())
        );
        assert!(check_mileage(i64::MAX).unwrap_err().contains("outside 0 to 2,000,000"));
        assert!(check_mileage(i64::MIN).is_err());
        assert_eq!(check_cents(0), Ok(Cents::ZERO));
        assert_eq!(check_cents(1_000_000_000), Ok(Cents::new(1_000_000_000)));
        assert_eq!(
            check_cents(-1250),
            Err("a negative amount: amounts from $0.00 to $10,000,000.00 are kept".into())
        );
        assert!(check_cents(i64::MAX)
            .unwrap_err()
            .starts_with("$92,233,720,368,547,758.07 is more"));
    }

    #[test]
    fn service_lines_round_trip_and_every_stored_form_reads() {
        let line = ServiceLine {
            op_code: "04BRK".into(),
            description: Some("Brake pads".into()),
            amount_cents: Some(Cents::new(24_995)),
            status: LineStatus::Declined,
        };
        let json = serde_json::to_string(&line).unwrap();
        assert_eq!(
            json, r#"{"op_code":"04BRK","description":"Brake pads","amount_cents":24995,"status":"declined"}"#,
            "the keys and order the DMS import has always written"
        );
        assert_eq!(serde_json::from_str::<ServiceLine>(&json).unwrap(), line);
        // as the DMS import stored them (nulls), as RO updates stored them (json!: keys
        // sorted), as bench data stores them (no description), and with no status at all
        let stored = r#"[
            {"op_code":"LOF","description":null,"amount_cents":null,"status":"performed"},
            {"amount_cents":7995,"description":"Oil","op_code":"01OIL","status":"recommended"},
            {"op_code":"ROT","amount_cents":2995,"status":"performed"},
            {"op_code":"WIPER"}
        ]"#;
        let lines: Vec<ServiceLine> = serde_json::from_str(stored).unwrap();
        let statuses: Vec<LineStatus> = lines.iter().map(|l| l.status).collect();
        use LineStatus::*;
        assert_eq!(statuses, [Performed, Recommended, Performed, Performed]);
        assert_eq!(lines[1].description.as_deref(), Some("Oil"));
        assert_eq!(
            (lines[2].description.as_deref(), lines[2].amount_cents),
            (None, Some(Cents::new(2995)))
        );
        // what no writer ever stored is refused, not read as something else
        for bad in [
            r#"[{"op_code":"LOF","status":"Performed"}]"#,
            r#"[{"status":"performed"}]"#,
            r#"{}"#,
        ] {
            assert!(serde_json::from_str::<Vec<ServiceLine>>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn identifiers_refuse_control_characters_and_text_drops_them() {
        assert!(check_external_id("604512").is_ok());
        assert!(check_external_id("\0BAD")
            .unwrap_err()
            .starts_with("holds a control character"));
        assert_eq!(quoted("\0BAD"), r"`\0BAD`");
        assert_eq!(quoted(&"7".repeat(61)), format!("`{}…`", "7".repeat(60)));
        assert!(check_external_id("").is_err());
        assert!(check_external_id(&"9".repeat(101)).is_err());
        assert!(check_op_code("04BRK").is_ok());
        assert!(check_op_code("04\tBRK").is_err());
        assert!(check_op_code(&"X".repeat(65)).is_err());
        assert_eq!(without_controls("JANE\0\0DOE\r\nJR"), "JANE DOE JR");
        assert!(!has_control("Ana López"));
        assert!(has_control("a\u{85}b"), "C1 controls too");
    }
}
