use super::Cached;
use crate::db::WriteTx;
use crate::domain::account::Vertical;
use crate::error::{Error, Result};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    /// The store's zone: its pages' times, its imports' local times, and the last fallback for
    /// where a customer is. Parsed once here; a stored name that is no IANA zone is an error
    /// naming the account, never read as some other zone.
    #[serde(serialize_with = "serialize_zone")]
    pub timezone: Tz,
    pub vertical: Vertical,
    pub twilio_number: Option<String>,
    pub cap_per_lead_day: i64,
    pub cap_per_lead_week: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, name, timezone, account_vertical, twilio_number, cap_per_lead_day, cap_per_lead_week, created_at";

fn serialize_zone<S: serde::Serializer>(tz: &Tz, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// The account's zone as stored: accounts are created with a checked zone, so a name that does
/// not parse was written by hand; it is refused with what to do, not read as another zone.
fn zone(r: &Row, id: i64) -> rusqlite::Result<Tz> {
    let name: String = r.get(2)?;
    name.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Text,
            format!(
                "account {id} has the time zone `{name}`, which is not an IANA zone; set a valid one with `forecourt account set-timezone --id {id} --timezone America/Chicago`"
            )
            .into(),
        )
    })
}

fn from_row(r: &Row) -> rusqlite::Result<Account> {
    let vertical: String = r.get(3)?;
    let id = r.get(0)?;
    Ok(Account {
        id,
        name: r.get(1)?,
        timezone: zone(r, id)?,
        // the column's CHECK admits only known verticals
        vertical: vertical.parse().unwrap_or(Vertical::General),
        twilio_number: r.get(4)?,
        cap_per_lead_day: r.get(5)?,
        cap_per_lead_week: r.get(6)?,
        created_at: r.get(7)?,
    })
}

pub struct NewAccount<'a> {
    pub name: &'a str,
    pub timezone: Tz,
    pub vertical: Vertical,
    pub api_key_hash: &'a str,
    pub twilio_number: Option<&'a str>,
}

pub fn insert(conn: &WriteTx, a: &NewAccount, now: i64) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO accounts (name, timezone, account_vertical, api_key_hash, twilio_number, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            a.name,
            a.timezone.name(),
            a.vertical.as_str(),
            a.api_key_hash,
            a.twilio_number,
            now
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            Error::Conflict("an account already uses that Twilio number".into())
        } else {
            e.into()
        }
    })?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Account> {
    conn.query_row_cached(&format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("account {id}")))
}

pub fn find_by_api_key_hash(conn: &Connection, hash: &str) -> Result<Option<Account>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM accounts WHERE api_key_hash = ?1"),
            [hash],
            from_row,
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_api_key_hash(conn: &WriteTx, id: i64, hash: &str, now: i64) -> Result<()> {
    let n = conn.execute_cached(
        "UPDATE accounts SET api_key_hash = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, hash, now],
    )?;
    if n == 0 {
        return Err(Error::NotFound(format!("account {id}")));
    }
    Ok(())
}

/// What messaging needs about an account beyond the basics.
#[derive(Debug, Clone)]
pub struct MessagingSettings {
    pub account: Account,
    pub twilio_account_sid: Option<String>,
    pub twilio_messaging_service_sid: Option<String>,
    pub twilio_auth_token_ref: Option<String>,
    pub help_text: Option<String>,
    pub auto_reply: bool,
    pub booking_url: Option<String>,
    pub followup_days_json: String,
}

fn settings_from_row(r: &Row) -> rusqlite::Result<MessagingSettings> {
    Ok(MessagingSettings {
        account: from_row(r)?,
        twilio_account_sid: r.get(8)?,
        twilio_messaging_service_sid: r.get(9)?,
        twilio_auth_token_ref: r.get(10)?,
        help_text: r.get(11)?,
        auto_reply: r.get(12)?,
        booking_url: r.get(13)?,
        followup_days_json: r.get(14)?,
    })
}

const SETTINGS_COLUMNS: &str = "twilio_account_sid, twilio_messaging_service_sid, twilio_auth_token_ref, help_text,
    auto_reply, booking_url, followup_days_json";

pub fn messaging_settings(conn: &Connection, id: i64) -> Result<MessagingSettings> {
    conn.query_row_cached(
        &format!("SELECT {COLUMNS}, {SETTINGS_COLUMNS} FROM accounts WHERE id = ?1"),
        [id],
        settings_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("account {id}")))
}

/// The account that owns a Twilio number (the `To` of an inbound text).
pub fn find_by_twilio_number(conn: &Connection, number: &str) -> Result<Option<MessagingSettings>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS}, {SETTINGS_COLUMNS} FROM accounts WHERE twilio_number = ?1"),
            [number],
            settings_from_row,
        )
        .optional()?)
}

pub struct TwilioSettings<'a> {
    pub number: Option<&'a str>,
    pub account_sid: Option<&'a str>,
    pub messaging_service_sid: Option<&'a str>,
    pub auth_token_ref: Option<&'a str>,
}

pub fn set_twilio(conn: &WriteTx, id: i64, t: &TwilioSettings, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE accounts SET twilio_number = ?2, twilio_account_sid = ?3, twilio_messaging_service_sid = ?4,
                twilio_auth_token_ref = ?5, updated_at = ?6 WHERE id = ?1",
        params![
            id,
            t.number,
            t.account_sid,
            t.messaging_service_sid,
            t.auth_token_ref,
            now
        ],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            Error::Conflict("another account already uses that Twilio number".into())
        } else {
            e.into()
        }
    })?;
    Ok(())
}

pub struct MessagingPrefs<'a> {
    pub help_text: Option<&'a str>,
    pub auto_reply: Option<bool>,
    pub followup_days_json: Option<&'a str>,
    pub cap_per_lead_day: Option<i64>,
    pub cap_per_lead_week: Option<i64>,
}

pub fn set_messaging_prefs(conn: &WriteTx, id: i64, p: &MessagingPrefs, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE accounts SET help_text = coalesce(?2, help_text), auto_reply = coalesce(?3, auto_reply),
                followup_days_json = coalesce(?4, followup_days_json),
                cap_per_lead_day = coalesce(?5, cap_per_lead_day), cap_per_lead_week = coalesce(?6, cap_per_lead_week),
                updated_at = ?7
         WHERE id = ?1",
        params![
            id,
            p.help_text,
            p.auto_reply,
            p.followup_days_json,
            p.cap_per_lead_day,
            p.cap_per_lead_week,
            now
        ],
    )?;
    Ok(())
}

/// Change the account's zone.
pub fn set_timezone(conn: &WriteTx, id: i64, timezone: Tz, now: i64) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE accounts SET timezone = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, timezone.name(), now],
    )? == 1)
}
