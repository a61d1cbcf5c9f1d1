//! `customer_changes`: a counter that moves whenever a customer, vehicle or ownership changes
//! in a way an import's memory of them depends on (see migrations/V10__import_memory.sql).

use super::Cached;
use crate::error::Result;
use rusqlite::Connection;

/// The counter now (as this connection's transaction sees it).
pub fn current(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row_cached("SELECT n FROM customer_changes WHERE id = 1", [], |r| r.get(0))?)
}
