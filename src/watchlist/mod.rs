//! The watchlist capability: who is likely to buy their next vehicle soon (issue #13).
//!
//! [`recompute`] scores every customer with an ownership active at `as_of`, account by
//! account, in batches of [`BATCH`] customers (keyset by lead id): each batch is read in four
//! set-based queries (`store::watchlist::load`), scored by the pure rules
//! (`domain::watchlist`) with the account's weights, and written in one short write through
//! [`Db::write`] that replaces the batch's current scores and records the changes in the
//! history. Memory holds one batch at a time, whatever the store's size.
//!
//! `as_of` is the day scored: only what was known then is read, so the same code scores the
//! store as it was at a past date (the backtest).

pub mod backtest;
pub mod list;

pub use backtest::backtest;

use chrono::{DateTime, Utc};
use std::time::Instant;

use crate::clock::to_unix;
use crate::db::Db;
use crate::domain::watchlist::{score_batch, Weights};
use crate::error::Result;
use crate::store::{self, watchlist::load::LeadRange};

/// Customers per batch.
pub const BATCH: i64 = 5_000;

/// What a recompute did.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct RecomputeReport {
    pub accounts: usize,
    pub batches: usize,
    /// customers scored
    pub scored: usize,
    /// customers whose score or window changed (a history row each)
    pub changed: usize,
    /// customers who had a score and no longer own a vehicle
    pub removed: usize,
    /// scored customers who had opted out
    pub opted_out: usize,
    /// where the time went: reading, scoring, writing (seconds; for the bench)
    #[serde(skip)]
    pub read_seconds: f64,
    #[serde(skip)]
    pub score_seconds: f64,
    #[serde(skip)]
    pub write_seconds: f64,
}

/// Score every account's owners as of `as_of`.
pub async fn recompute(db: &Db, as_of: DateTime<Utc>) -> Result<RecomputeReport> {
    let accounts = db.call(|c| store::watchlist::accounts_to_score(c)).await?;
    let mut report = RecomputeReport::default();
    for account_id in accounts {
        let r = recompute_account(db, account_id, as_of, BATCH).await?;
        report.accounts += 1;
        report.batches += r.batches;
        report.scored += r.scored;
        report.changed += r.changed;
        report.removed += r.removed;
        report.opted_out += r.opted_out;
        report.read_seconds += r.read_seconds;
        report.score_seconds += r.score_seconds;
        report.write_seconds += r.write_seconds;
    }
    Ok(report)
}

/// Score one account's owners as of `as_of`, `batch` customers at a time.
pub async fn recompute_account(db: &Db, account_id: i64, as_of: DateTime<Utc>, batch: i64) -> Result<RecomputeReport> {
    let t = to_unix(as_of);
    let day = as_of.date_naive();
    let weights = db.call(move |c| store::watchlist::weights(c, account_id)).await?;
    let mut report = RecomputeReport::default();
    let mut after = 0;
    loop {
        let scored = db
            .call(move |c| {
                let started = Instant::now();
                let Some(range) = store::watchlist::load::next_range(c, account_id, after, t, batch)? else {
                    return Ok(None);
                };
                let records = store::watchlist::load::batch(c, account_id, range, t)?;
                let read = started.elapsed().as_secs_f64();
                let scores = score_batch(day, &records, &weights);
                Ok(Some((range, scores, read, started.elapsed().as_secs_f64() - read)))
            })
            .await?;
        let Some((LeadRange { after: lo, upto }, scores, read, scoring)) = scored else {
            break;
        };
        report.read_seconds += read;
        report.score_seconds += scoring;
        let started = Instant::now();
        report.batches += 1;
        report.opted_out += scores.iter().filter(|s| s.score.opted_out).count();
        let written = db
            .write(move |tx| store::watchlist::replace_range(tx, account_id, lo, upto, &scores, t))
            .await?;
        report.write_seconds += started.elapsed().as_secs_f64();
        report.scored += written.scored;
        report.changed += written.changed;
        report.removed += written.removed;
        after = upto;
    }
    report.removed += db
        .write(move |tx| store::watchlist::remove_after(tx, account_id, after))
        .await?;
    report.accounts = 1;
    tracing::info!(
        account_id,
        scored = report.scored,
        changed = report.changed,
        "watchlist recomputed"
    );
    Ok(report)
}

/// The account's weights.
pub async fn weights(db: &Db, account_id: i64) -> Result<Weights> {
    db.call(move |c| store::watchlist::weights(c, account_id)).await
}

/// Store the account's weights after checking them field by field: Err lists (field, what to
/// fix) and nothing is stored.
pub async fn set_weights(
    db: &Db,
    account_id: i64,
    w: Weights,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), Vec<(&'static str, String)>>> {
    if let Err(errors) = w.validate() {
        return Ok(Err(errors));
    }
    let t = to_unix(now);
    db.write(move |tx| store::watchlist::set_weights(tx, account_id, &w, t))
        .await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use crate::domain::watchlist::FACTORS;

    /// docs/WATCHLIST.md names every factor with its default points.
    #[test]
    fn the_guide_lists_every_factor_with_its_default() {
        let guide = include_str!("../../docs/WATCHLIST.md");
        for f in FACTORS {
            let row = format!("(`{}`) | {} |", f.factor.as_str(), f.default_points);
            assert!(guide.contains(&row), "docs/WATCHLIST.md lacks {row}");
        }
    }
}
