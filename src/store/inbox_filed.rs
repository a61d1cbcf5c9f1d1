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
