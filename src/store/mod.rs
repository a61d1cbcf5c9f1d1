//! SQL, by aggregate. Nothing outside this module writes SQL (the `db` module only opens,
//! configures and migrates). Functions take a `&Connection` (or `&Transaction`, which derefs
//! to one) so callers decide the transaction boundaries.

pub mod accounts;
pub mod bench_data;
pub mod consent;
pub mod dashboard;
pub mod drafts;
pub mod history;
pub mod imports;
pub mod inbound_raw;
pub mod job_runs;
pub mod leads;
pub mod messages;
pub mod offer_sends;
pub mod offers;
pub mod pages;
pub mod questions;
pub mod service_events;
pub mod sessions;
pub mod state_rules;
pub mod users;
pub mod vehicles;

/// Is the error a UNIQUE (or PRIMARY KEY) constraint violation?
pub fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// SQLite housekeeping for the maintenance job: refresh planner statistics (they are written
/// to the database, so in a write transaction).
pub fn optimize(tx: &crate::db::WriteTx) -> crate::error::Result<()> {
    tx.execute_batch("PRAGMA optimize;")?;
    Ok(())
}

/// Copy what the WAL holds into the database file, as far as readers allow, without waiting.
pub fn checkpoint(conn: &rusqlite::Connection) -> crate::error::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    Ok(())
}

/// `query_row` through the connection's statement cache: for statements that run once per
/// imported row.
pub(crate) fn row<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

/// `execute` through the connection's statement cache.
pub(crate) fn exec<P: rusqlite::Params>(conn: &rusqlite::Connection, sql: &str, params: P) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}
