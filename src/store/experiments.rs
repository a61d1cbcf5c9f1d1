//! Experiments and who is in which arm.

use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The running experiment that governs a scope (`upsell:ro_open`), if any: id, salt, holdout %.
pub fn running_experiment(conn: &Connection, account_id: i64, scope: &str) -> Result<Option<(i64, String, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, salt, holdout_pct FROM experiments
             WHERE account_id = ?1 AND scope = ?2 AND status = 'running' ORDER BY id LIMIT 1",
        )?
        .query_row(params![account_id, scope], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Record a lead's arm (first assignment wins) and return the arm on record.
pub fn assign_arm(
    conn: &WriteTx,
    account_id: i64,
    experiment_id: i64,
    lead_id: i64,
    variant: &str,
    now: i64,
) -> Result<String> {
    conn.prepare_cached(
        "INSERT INTO experiment_assignments (account_id, experiment_id, lead_id, variant, assigned_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (experiment_id, lead_id) DO NOTHING",
    )?
    .execute(params![account_id, experiment_id, lead_id, variant, now])?;
    Ok(conn
        .prepare_cached("SELECT variant FROM experiment_assignments WHERE experiment_id = ?1 AND lead_id = ?2")?
        .query_row(params![experiment_id, lead_id], |r| r.get(0))?)
}
