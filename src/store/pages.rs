//! Read models for the dashboard pages that later releases fill out: the watchlist,
//! experiments and settings.

use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone)]
pub struct WatchRow {
    pub lead_id: i64,
    pub name: String,
    pub score: f64,
    pub buy_window: String,
    pub reason_json: String,
}

pub fn watchlist(conn: &Connection, account_id: i64, limit: i64) -> Result<Vec<WatchRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.lead_id, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), s.score, s.buy_window,
                s.reason_json
         FROM scores_next_buy s JOIN leads l ON l.id = s.lead_id
         WHERE s.account_id = ?1 ORDER BY s.score DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![account_id, limit], |r| {
            Ok(WatchRow {
                lead_id: r.get(0)?,
                name: r.get(1)?,
                score: r.get(2)?,
                buy_window: r.get(3)?,
                reason_json: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

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
