//! `inbound_raw`: inbound texts as received, before they are handled.

use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// An inbound text as Twilio posted it (phone numbers already E.164).
#[derive(Debug, Clone)]
pub struct RawInbound {
    pub id: i64,
    pub account_id: i64,
    pub provider_sid: String,
    pub from_phone: String,
    pub to_phone: String,
    pub body: String,
    pub received_at: i64,
    pub handled_at: Option<i64>,
}

pub struct NewRawInbound<'a> {
    pub account_id: i64,
    pub provider_sid: &'a str,
    pub from_phone: &'a str,
    pub to_phone: &'a str,
    pub body: &'a str,
    pub received_at: i64,
}

const COLUMNS: &str = "id, account_id, provider_sid, from_phone, to_phone, body, received_at, handled_at";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<RawInbound> {
    Ok(RawInbound {
        id: r.get(0)?,
        account_id: r.get(1)?,
        provider_sid: r.get(2)?,
        from_phone: r.get(3)?,
        to_phone: r.get(4)?,
        body: r.get(5)?,
        received_at: r.get(6)?,
        handled_at: r.get(7)?,
    })
}

/// Record a text; the same MessageSid again (Twilio retrying) answers the row already there.
pub fn record(tx: &WriteTx, m: &NewRawInbound) -> Result<RawInbound> {
    tx.execute_cached(
        "INSERT INTO inbound_raw (account_id, provider_sid, from_phone, to_phone, body, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id, provider_sid) DO NOTHING",
        params![
            m.account_id,
            m.provider_sid,
            m.from_phone,
            m.to_phone,
            m.body,
            m.received_at
        ],
    )?;
    Ok(tx.query_row_cached(
        &format!("SELECT {COLUMNS} FROM inbound_raw WHERE account_id = ?1 AND provider_sid = ?2"),
        params![m.account_id, m.provider_sid],
        from_row,
    )?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<RawInbound>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM inbound_raw WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// The text has been handled (in the handling transaction itself).
pub fn mark_handled(tx: &WriteTx, id: i64, now: i64) -> Result<()> {
    tx.execute_cached(
        "UPDATE inbound_raw SET handled_at = ?2, last_error = NULL WHERE id = ?1 AND handled_at IS NULL",
        params![id, now],
    )?;
    Ok(())
}

/// Handling failed: count the attempt and keep why, for the retry and for a person.
pub fn record_failure(tx: &WriteTx, id: i64, error: &str) -> Result<()> {
    let error: String = error.chars().take(500).collect();
    tx.execute_cached(
        "UPDATE inbound_raw SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
        params![id, error],
    )?;
    Ok(())
}

/// Texts received at or before `not_after` and not handled yet, oldest first.
pub fn pending(conn: &Connection, not_after: i64, limit: i64) -> Result<Vec<RawInbound>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM inbound_raw WHERE handled_at IS NULL AND received_at <= ?1
         ORDER BY received_at, id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![not_after, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many texts wait to be handled (for the dashboard's system panel and tests).
pub fn pending_count(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row_cached("SELECT count(*) FROM inbound_raw WHERE handled_at IS NULL", [], |r| {
            r.get(0)
        })?,
    )
}

/// Forget handled texts received before `before` (messages_in keeps what matters).
pub fn purge_handled(tx: &WriteTx, before: i64) -> Result<usize> {
    Ok(tx.execute_cached(
        "DELETE FROM inbound_raw WHERE handled_at IS NOT NULL AND received_at < ?1",
        [before],
    )?)
}
