use crate::domain::account::Vertical;
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub timezone: String,
    pub vertical: Vertical,
    pub twilio_number: Option<String>,
    pub cap_per_lead_day: i64,
    pub cap_per_lead_week: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
}

const COLUMNS: &str =
    "id, name, timezone, account_vertical, twilio_number, cap_per_lead_day, cap_per_lead_week, created_at";

fn from_row(r: &Row) -> rusqlite::Result<Account> {
    let vertical: String = r.get(3)?;
    Ok(Account {
        id: r.get(0)?,
        name: r.get(1)?,
        timezone: r.get(2)?,
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
    pub timezone: &'a str,
    pub vertical: Vertical,
    pub api_key_hash: &'a str,
    pub twilio_number: Option<&'a str>,
}

pub fn insert(conn: &Connection, a: &NewAccount, now: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO accounts (name, timezone, account_vertical, api_key_hash, twilio_number, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![a.name, a.timezone, a.vertical.as_str(), a.api_key_hash, a.twilio_number, now],
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
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("account {id}")))
}

pub fn find_by_api_key_hash(conn: &Connection, hash: &str) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM accounts WHERE api_key_hash = ?1"),
            [hash],
            from_row,
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_api_key_hash(conn: &Connection, id: i64, hash: &str, now: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE accounts SET api_key_hash = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, hash, now],
    )?;
    if n == 0 {
        return Err(Error::NotFound(format!("account {id}")));
    }
    Ok(())
}
