//! Saved column mappings and the import journal.

use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// The account's own header -> field mapping (headers normalized).
pub fn mappings(conn: &Connection, account_id: i64) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT header, field FROM import_mappings WHERE account_id = ?1")?;
    let rows = stmt
        .query_map([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(rows)
}

/// Replace the account's mapping.
pub fn set_mappings(conn: &WriteTx, account_id: i64, pairs: &[(String, String)], now: i64) -> Result<()> {
    conn.execute_cached("DELETE FROM import_mappings WHERE account_id = ?1", [account_id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO import_mappings (account_id, header, field, updated_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (h, f) in pairs {
        stmt.execute(params![account_id, h, f, now])?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub enum Begun {
    /// go ahead (a new file, or one a killed process left half done: rows are idempotent)
    Import(i64),
    /// this content was imported before; here is what it did
    AlreadyDone(Option<String>),
}

pub fn begin(conn: &WriteTx, account_id: i64, hash: &str, file_name: &str, source: &str, now: i64) -> Result<Begun> {
    let existing: Option<(i64, String, Option<String>)> = conn
        .query_row_cached(
            "SELECT id, status, report_json FROM import_journal WHERE account_id = ?1 AND content_hash = ?2",
            params![account_id, hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match existing {
        Some((_, status, report)) if status == "done" => Ok(Begun::AlreadyDone(report)),
        Some((id, _, _)) => {
            conn.execute_cached(
                "UPDATE import_journal SET status = 'importing', file_name = ?2, source = ?3, started_at = ?4,
                        finished_at = NULL WHERE id = ?1",
                params![id, file_name, source, now],
            )?;
            Ok(Begun::Import(id))
        }
        None => {
            conn.execute_cached(
                "INSERT INTO import_journal (account_id, content_hash, file_name, source, status, started_at)
                 VALUES (?1, ?2, ?3, ?4, 'importing', ?5)",
                params![account_id, hash, file_name, source, now],
            )?;
            Ok(Begun::Import(conn.last_insert_rowid()))
        }
    }
}

pub fn finish(conn: &WriteTx, id: i64, status: &str, rows: i64, report_json: &str, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE import_journal SET status = ?2, rows = ?3, report_json = ?4, finished_at = ?5 WHERE id = ?1",
        params![id, status, rows, report_json, now],
    )?;
    Ok(())
}

/// One import in the journal, as the Imports page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub id: i64,
    pub file_name: String,
    /// `folder` (the watched folder), `api` (uploaded: the browser or the API) or `cli`
    pub source: String,
    /// `importing`, `done` or `failed`
    pub status: String,
    pub rows: Option<i64>,
    /// the [`crate::ingest::dms_import::ImportReport`] as JSON
    pub report_json: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

fn entry(r: &rusqlite::Row) -> rusqlite::Result<JournalEntry> {
    Ok(JournalEntry {
        id: r.get(0)?,
        file_name: r.get(1)?,
        source: r.get(2)?,
        status: r.get(3)?,
        rows: r.get(4)?,
        report_json: r.get(5)?,
        started_at: r.get(6)?,
        finished_at: r.get(7)?,
    })
}

const ENTRY_COLUMNS: &str = "id, file_name, source, status, rows, report_json, started_at, finished_at";

/// The account's latest imports, newest first.
pub fn history(conn: &Connection, account_id: i64, limit: i64) -> Result<Vec<JournalEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM import_journal WHERE account_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![account_id, limit], entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One of the account's imports.
pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<JournalEntry>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {ENTRY_COLUMNS} FROM import_journal WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            entry,
        )
        .optional()?)
}
