//! Canned replies (`canned_replies`), per account.

use super::Cached;
use crate::db::WriteTx;
use crate::domain::canned::Canned;
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone)]
pub struct CannedReply {
    pub id: i64,
    pub shortcut: String,
    pub body: String,
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<CannedReply> {
    Ok(CannedReply {
        id: r.get(0)?,
        shortcut: r.get(1)?,
        body: r.get(2)?,
    })
}

/// The account's canned replies, by shortcut.
pub fn list(conn: &Connection, account_id: i64) -> Result<Vec<CannedReply>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, shortcut, body FROM canned_replies WHERE account_id = ?1 ORDER BY shortcut LIMIT 500",
    )?;
    let rows = stmt
        .query_map([account_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<CannedReply>> {
    Ok(conn
        .query_row_cached(
            "SELECT id, shortcut, body FROM canned_replies WHERE id = ?1 AND account_id = ?2",
            params![id, account_id],
            from_row,
        )
        .optional()?)
}

fn taken(c: &Canned) -> Error {
    Error::Conflict(format!("there is already a canned reply /{}", c.shortcut))
}

/// Add one (None: `id` to replace). Conflict when the shortcut is taken; NotFound for another
/// account's id.
pub fn save(conn: &WriteTx, account_id: i64, id: Option<i64>, c: &Canned, now: i64) -> Result<i64> {
    let taken_by = conn
        .query_row_cached(
            "SELECT id FROM canned_replies WHERE account_id = ?1 AND shortcut = ?2",
            params![account_id, c.shortcut],
            |r| r.get::<_, i64>(0),
        )
        .optional()?;
    if taken_by.is_some_and(|other| Some(other) != id) {
        return Err(taken(c));
    }
    match id {
        None => {
            conn.execute_cached(
                "INSERT INTO canned_replies (account_id, shortcut, body, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![account_id, c.shortcut, c.body, now],
            )?;
            Ok(conn.last_insert_rowid())
        }
        Some(id) => {
            let n = conn.execute_cached(
                "UPDATE canned_replies SET shortcut = ?3, body = ?4, updated_at = ?5 WHERE id = ?1 AND account_id = ?2",
                params![id, account_id, c.shortcut, c.body, now],
            )?;
            if n == 1 {
                Ok(id)
            } else {
                Err(Error::NotFound(format!("canned reply {id}")))
            }
        }
    }
}

/// Remove one; false when there is no such canned reply in this account.
pub fn delete(conn: &WriteTx, account_id: i64, id: i64) -> Result<bool> {
    Ok(conn.execute_cached(
        "DELETE FROM canned_replies WHERE id = ?1 AND account_id = ?2",
        params![id, account_id],
    )? == 1)
}
