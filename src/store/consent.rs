//! Opt-in/opt-out history and the suppression list that outlives leads.

use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

pub fn record(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    kind: &str,
    source: &str,
    message_in_id: Option<i64>,
    at: i64,
) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO consent_events (account_id, lead_id, kind, source, message_in_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![account_id, lead_id, kind, source, message_in_id, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Opt a lead out: the lead row, the suppression list and the history, together.
pub fn opt_out(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    source: &str,
    message_in_id: Option<i64>,
    at: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET opted_out = 1, opted_out_at = ?2, updated_at = ?2 WHERE id = ?1 AND opted_out = 0",
        params![lead_id, at],
    )?;
    conn.execute_cached(
        "INSERT INTO suppressions (account_id, phone_e164, source, created_at)
         SELECT account_id, phone_e164, ?2, ?3 FROM leads WHERE id = ?1 AND phone_e164 IS NOT NULL
         ON CONFLICT (account_id, phone_e164) DO NOTHING",
        params![lead_id, if source == "lead_form" { "api" } else { source }, at],
    )?;
    record(conn, account_id, lead_id, "opt_out", source, message_in_id, at)?;
    Ok(())
}

/// Opt a lead back in (they texted START).
pub fn opt_in(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    source: &str,
    message_in_id: Option<i64>,
    at: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET opted_out = 0, opted_out_at = NULL, updated_at = ?2 WHERE id = ?1",
        params![lead_id, at],
    )?;
    conn.execute_cached(
        "DELETE FROM suppressions WHERE account_id = ?1 AND phone_e164 = (SELECT phone_e164 FROM leads WHERE id = ?2)",
        params![account_id, lead_id],
    )?;
    record(conn, account_id, lead_id, "opt_in", source, message_in_id, at)?;
    Ok(())
}

pub fn is_suppressed(conn: &Connection, account_id: i64, phone_e164: &str) -> Result<bool> {
    Ok(conn
        .query_row_cached(
            "SELECT 1 FROM suppressions WHERE account_id = ?1 AND phone_e164 = ?2",
            params![account_id, phone_e164],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentEvent {
    pub kind: String,
    pub source: String,
    pub message_in_id: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub at: i64,
}

pub fn history(conn: &Connection, lead_id: i64) -> Result<Vec<ConsentEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, source, message_in_id, created_at FROM consent_events WHERE lead_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([lead_id], |r| {
            Ok(ConsentEvent {
                kind: r.get(0)?,
                source: r.get(1)?,
                message_in_id: r.get(2)?,
                at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
