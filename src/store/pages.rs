//! Read models for the dashboard pages that later releases fill out: experiments and
//! settings.

use crate::error::Result;
use rusqlite::Connection;

#[derive(Debug, Clone)]
pub struct ExperimentRow {
    pub name: String,
    pub scope: String,
    pub holdout_pct: i64,
    pub status: String,
    pub assigned: i64,
}

pub fn experiments(conn: &Connection, account_id: i64) -> Result<Vec<ExperimentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.name, e.scope, e.holdout_pct, e.status,
                (SELECT count(*) FROM experiment_assignments a WHERE a.experiment_id = e.id)
         FROM experiments e WHERE e.account_id = ?1 ORDER BY e.created_at DESC",
    )?;
    let rows = stmt
        .query_map([account_id], |r| {
            Ok(ExperimentRow {
                name: r.get(0)?,
                scope: r.get(1)?,
                holdout_pct: r.get(2)?,
                status: r.get(3)?,
                assigned: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
