//! `watchlist_backtests`: the latest backtest per account (its figures as JSON).

use rusqlite::{params, Connection, OptionalExtension};

use crate::db::WriteTx;
use crate::domain::watchlist::backtest::Backtest;
use crate::error::{Error, Result};
use crate::store::Cached;

/// Keep `b` as the account's latest backtest (replacing the one before).
pub fn save(tx: &WriteTx, account_id: i64, b: &Backtest, computed_at: i64) -> Result<()> {
    let json = serde_json::to_string(b).map_err(Error::internal)?;
    tx.execute_cached(
        "INSERT INTO watchlist_backtests (account_id, as_of, computed_at, result_json) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (account_id) DO UPDATE SET as_of = excluded.as_of, computed_at = excluded.computed_at,
             result_json = excluded.result_json",
        params![account_id, b.as_of.timestamp(), computed_at, json],
    )?;
    Ok(())
}

/// The account's latest backtest, if one was run.
pub fn latest(conn: &Connection, account_id: i64) -> Result<Option<Backtest>> {
    let json: Option<String> = conn
        .query_row_cached(
            "SELECT result_json FROM watchlist_backtests WHERE account_id = ?1",
            [account_id],
            |r| r.get(0),
        )
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::internal(format!("stored watchlist backtest: {e}"))))
        .transpose()
}
