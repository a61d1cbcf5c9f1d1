//! SQL, by aggregate. Nothing outside this module writes SQL (the `db` module only opens,
//! configures and migrates). Functions take a `&Connection` (or `&Transaction`, which derefs
//! to one) so callers decide the transaction boundaries.

pub mod accounts;
pub mod bench_data;
pub mod canned;
pub mod consent;
pub mod conversation;
pub mod conversations;
pub mod customer_changes;
pub mod deals;
pub mod drafts;
pub mod experiments;
pub mod history;
pub mod imports;
pub mod inbound_raw;
pub mod inbox_filed;
pub mod job_runs;
mod json;
pub mod leads;
pub mod message_list;
pub mod messages;
pub mod offer_sends;
pub mod offers;
pub mod questions;
pub mod rollups;
pub mod search;
pub mod service_events;
pub mod sessions;
pub mod state_rules;
pub mod users;
mod values;
pub mod vehicles;
pub mod visits;
pub mod watchlist;
mod words;

/// Is the error a UNIQUE (or PRIMARY KEY) constraint violation?
pub fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

/// Refresh the planner's statistics where a table's size changed a lot since they were taken
/// (they are written to the database, so in a write transaction; a bulk writer's, as it can
/// take a moment). Each index is sampled, not read whole (`analysis_limit`), so the time it
/// takes does not grow with the table.
pub fn optimize(tx: &crate::db::WriteTx) -> crate::error::Result<()> {
    tx.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize;")?;
    Ok(())
}

/// Copy what the WAL holds into the database file, as far as readers allow, without waiting.
pub fn checkpoint(conn: &rusqlite::Connection) -> crate::error::Result<()> {
    conn.query_row_cached("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    Ok(())
}

/// Statements through the connection's statement cache. Every store function uses these, not
/// `execute`/`query_row`/`prepare`, which parse the SQL each time: parsing (and, for a table
/// with triggers, compiling the triggers) was a fifth of a webhook's time in profiles.
pub(crate) trait Cached {
    fn execute_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn query_row_cached<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T>;
}

impl Cached for rusqlite::Connection {
    fn execute_cached<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn query_row_cached<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}
