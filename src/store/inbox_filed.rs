//! Files the watched folder filed (`inbox_filed`): where each went and what it was when it went
//! there, so that a file written to after filing is noticed and imported again.

use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    /// inside the account's folder: `processed/nightly.csv`
    pub path: String,
    pub size: i64,
    pub modified_ns: i64,
}

/// Remember that the file now at `path` was filed as it was (`size`, `modified_ns`, its content's
/// hash), replacing what was remembered of that path; and forget files filed before
/// `forget_before` (they are no longer watched).
#[allow(clippy::too_many_arguments)]
pub fn record(
    tx: &WriteTx,
    account_id: i64,
    path: &str,
    size: i64,
    modified_ns: i64,
    content_hash: &str,
    now: i64,
    forget_before: i64,
) -> Result<()> {
    tx.execute_cached(
        "INSERT INTO inbox_filed (account_id, path, size, modified_ns, content_hash, filed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (account_id, path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
             content_hash = excluded.content_hash, filed_at = excluded.filed_at",
        params![account_id, path, size, modified_ns, content_hash, now],
    )?;
    tx.execute_cached(
        "DELETE FROM inbox_filed WHERE account_id = ?1 AND filed_at < ?2",
        params![account_id, forget_before],
    )?;
    Ok(())
}

/// The file once filed at `path` was moved on (from failed/ to processed/, say).
pub fn forget(tx: &WriteTx, account_id: i64, path: &str) -> Result<()> {
    tx.execute_cached(
        "DELETE FROM inbox_filed WHERE account_id = ?1 AND path = ?2",
        params![account_id, path],
    )?;
    Ok(())
}

/// Files of the account filed at or after `since`: the ones still watched.
pub fn since(conn: &Connection, account_id: i64, since: i64) -> Result<Vec<Filed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT path, size, modified_ns FROM inbox_filed WHERE account_id = ?1 AND filed_at >= ?2 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![account_id, since], |r| {
            Ok(Filed {
                path: r.get(0)?,
                size: r.get(1)?,
                modified_ns: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A file the watched folder filed, with what its import did (None: it was set aside unread).
#[derive(Debug, Clone, PartialEq)]
pub struct RecentFile {
    /// inside the account's folder: `processed/nightly.csv`, `failed/odd.txt`
    pub path: String,
    pub size: i64,
    pub filed_at: i64,
    /// the import journal's entry for this content: its id, status and report
    pub journal: Option<(i64, String, Option<String>)>,
}

/// The account's most recently filed files, newest first.
pub fn recent(conn: &Connection, account_id: i64, limit: i64) -> Result<Vec<RecentFile>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.path, f.size, f.filed_at, j.id, j.status, j.report_json
         FROM inbox_filed f
         LEFT JOIN import_journal j ON j.account_id = f.account_id AND j.content_hash = f.content_hash
         WHERE f.account_id = ?1 ORDER BY f.filed_at DESC, f.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![account_id, limit], |r| {
            let id: Option<i64> = r.get(3)?;
            Ok(RecentFile {
                path: r.get(0)?,
                size: r.get(1)?,
                filed_at: r.get(2)?,
                journal: match id {
                    Some(id) => Some((id, r.get(4)?, r.get(5)?)),
                    None => None,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
