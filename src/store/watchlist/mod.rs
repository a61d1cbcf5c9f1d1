//! The watchlist's tables: the current score per customer (`scores_next_buy`), each change of
//! it (`score_history`), the account's weights; what the recompute reads is [`load`], what the
//! list and the page read is [`list`].

pub mod backtests;
pub mod list;
pub mod load;

use rusqlite::{params, Connection, OptionalExtension};

use super::Cached;
use crate::db::WriteTx;
use crate::domain::watchlist::{CustomerScore, Weights};
use crate::error::{Error, Result};

/// The account's weights (the defaults until it tunes them).
pub fn weights(conn: &Connection, account_id: i64) -> Result<Weights> {
    let json: Option<String> = conn
        .query_row_cached(
            "SELECT watchlist_weights_json FROM accounts WHERE id = ?1",
            [account_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("account {account_id}")))?;
    match json {
        None => Ok(Weights::default()),
        Some(j) => serde_json::from_str(&j).map_err(|e| Error::internal(format!("stored watchlist weights: {e}"))),
    }
}

/// Store the account's weights (validated by the caller).
pub fn set_weights(tx: &WriteTx, account_id: i64, w: &Weights, now: i64) -> Result<()> {
    let json = serde_json::to_string(w).map_err(Error::internal)?;
    tx.execute_cached(
        "UPDATE accounts SET watchlist_weights_json = ?2, updated_at = ?3 WHERE id = ?1",
        params![account_id, json, now],
    )?;
    Ok(())
}

/// What one batch's write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub scored: usize,
    /// scores that changed (or were new): a history row each
    pub changed: usize,
    /// customers in the range scored before who no longer own a vehicle
    pub removed: usize,
}

/// Replace the current scores of the customers with lead ids in `after < id <= upto` by
/// `scores` (computed at `computed_at`): each one's row is inserted or updated, but a row that
/// would not change is left alone (so its `computed_at` says since when it holds, and a
/// recompute that changes nothing writes nothing); a history row is added when the score or
/// window differs from the customer's last history row; and the range's other rows
/// (customers without an active ownership now) are removed.
pub fn replace_range(
    tx: &WriteTx,
    account_id: i64,
    after: i64,
    upto: i64,
    scores: &[CustomerScore],
    computed_at: i64,
) -> Result<Written> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO scores_next_buy (account_id, lead_id, score, buy_window, reason_json, computed_at, opted_out,
                                      ownership_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (lead_id) DO UPDATE SET score = excluded.score, buy_window = excluded.buy_window,
             reason_json = excluded.reason_json, computed_at = excluded.computed_at,
             opted_out = excluded.opted_out, ownership_id = excluded.ownership_id
         WHERE scores_next_buy.score IS NOT excluded.score OR scores_next_buy.buy_window IS NOT excluded.buy_window
            OR scores_next_buy.reason_json IS NOT excluded.reason_json
            OR scores_next_buy.opted_out IS NOT excluded.opted_out
            OR scores_next_buy.ownership_id IS NOT excluded.ownership_id",
    )?;
    let mut history = tx.prepare_cached(
        "INSERT INTO score_history (account_id, lead_id, score, buy_window, computed_at)
         SELECT ?1, ?2, ?3, ?4, ?5
         WHERE NOT EXISTS (SELECT 1 FROM (SELECT h.score, h.buy_window FROM score_history h WHERE h.lead_id = ?2
                                          ORDER BY h.computed_at DESC, h.id DESC LIMIT 1) l
                           WHERE l.score = ?3 AND l.buy_window = ?4)",
    )?;
    let mut changed = 0;
    for s in scores {
        let reasons = serde_json::to_string(&s.score.reasons).map_err(Error::internal)?;
        let window = s.score.window.as_str();
        let written = upsert.execute(params![
            account_id,
            s.lead_id,
            s.score.score,
            window,
            reasons,
            computed_at,
            s.score.opted_out,
            s.ownership_id
        ])?;
        if written > 0 {
            changed += history.execute(params![account_id, s.lead_id, s.score.score, window, computed_at])?;
        }
    }
    // customers of the range not in the batch: only when the range holds more rows than it
    let held: i64 = tx.query_row_cached(
        "SELECT count(*) FROM scores_next_buy WHERE lead_id > ?2 AND lead_id <= ?3 AND account_id = ?1",
        params![account_id, after, upto],
        |r| r.get(0),
    )?;
    let removed = if held > scores.len() as i64 {
        let kept =
            serde_json::to_string(&scores.iter().map(|s| s.lead_id).collect::<Vec<_>>()).map_err(Error::internal)?;
        tx.execute_cached(
            "DELETE FROM scores_next_buy
             WHERE lead_id > ?2 AND lead_id <= ?3 AND account_id = ?1
               AND lead_id NOT IN (SELECT value FROM json_each(?4))",
            params![account_id, after, upto, kept],
        )?
    } else {
        0
    };
    Ok(Written {
        scored: scores.len(),
        changed,
        removed,
    })
}

/// Remove the scores of customers after the last batch (they no longer own a vehicle).
pub fn remove_after(tx: &WriteTx, account_id: i64, after: i64) -> Result<usize> {
    Ok(tx.execute_cached(
        "DELETE FROM scores_next_buy WHERE lead_id > ?2 AND account_id = ?1",
        params![account_id, after],
    )?)
}

/// Every account to score (an automotive one, or any with an ownership).
pub fn accounts_to_score(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id FROM accounts a
         WHERE EXISTS (SELECT 1 FROM ownerships o WHERE o.account_id = a.id) ORDER BY a.id",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}
