//! Read models for the dashboard pages that later releases fill out: the watchlist and
//! settings (experiments have their own store module).

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
