//! Drafted replies to inbound texts.

use super::Cached;
use crate::db::WriteTx;
use crate::domain::messages::DraftStatus;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Draft {
    pub id: i64,
    pub account_id: i64,
    pub lead_id: i64,
    pub message_in_id: i64,
    pub body: String,
    pub drafter: String,
    pub status: DraftStatus,
    pub message_out_id: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
}

const COLUMNS: &str = "id, account_id, lead_id, message_in_id, body, drafter, status, message_out_id, created_at";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Draft> {
    Ok(Draft {
        id: r.get(0)?,
        account_id: r.get(1)?,
        lead_id: r.get(2)?,
        message_in_id: r.get(3)?,
        body: r.get(4)?,
        drafter: r.get(5)?,
        status: r.get(6)?,
        message_out_id: r.get(7)?,
        created_at: r.get(8)?,
    })
}

pub fn insert(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    message_in_id: i64,
    body: &str,
    drafter: &str,
    now: i64,
) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO reply_drafts (account_id, lead_id, message_in_id, body, drafter, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![account_id, lead_id, message_in_id, body, drafter, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<Draft>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM reply_drafts WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

/// The draft written for an inbound text, if any.
pub fn for_message(conn: &Connection, message_in_id: i64) -> Result<Option<Draft>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM reply_drafts WHERE message_in_id = ?1"),
            [message_in_id],
            from_row,
        )
        .optional()?)
}

pub fn pending(conn: &Connection, account_id: i64, limit: i64) -> Result<Vec<Draft>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reply_drafts WHERE account_id = ?1 AND status = 'pending' ORDER BY created_at DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![account_id, limit], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) const PENDING_FOR_LEAD_SQL: &str = "SELECT id, account_id, lead_id, message_in_id, body, drafter, status,
        message_out_id, created_at
     FROM reply_drafts WHERE lead_id = ?2 AND +account_id = ?1 AND status = 'pending'
     ORDER BY created_at DESC, id DESC LIMIT 1";

/// The draft waiting for a rep in this customer's conversation (the newest, if several).
pub fn pending_for_lead(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Option<Draft>> {
    Ok(conn
        .query_row_cached(PENDING_FOR_LEAD_SQL, params![account_id, lead_id], from_row)
        .optional()?)
}

pub(crate) const COUNT_PENDING_SQL: &str =
    "SELECT count(*) FROM reply_drafts WHERE account_id = ?1 AND status = 'pending'";

/// How many drafted replies wait for a rep (the navigation's count).
pub fn count_pending(conn: &Connection, account_id: i64) -> Result<i64> {
    Ok(conn.query_row_cached(COUNT_PENDING_SQL, [account_id], |r| r.get(0))?)
}

/// Close a pending draft; false if it was not pending (already decided).
pub fn decide(
    conn: &WriteTx,
    id: i64,
    status: DraftStatus,
    message_out_id: Option<i64>,
    by: &str,
    now: i64,
) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE reply_drafts SET status = ?2, message_out_id = ?3, decided_by = ?4, decided_at = ?5
         WHERE id = ?1 AND status = 'pending'",
        params![id, status, message_out_id, by, now],
    )? == 1)
}
