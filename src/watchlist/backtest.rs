//! The backtest (issue #13 §3): score the store as it was on a past day, with the same loader
//! and scorer as the nightly recompute (`store::watchlist::load` reads only what was known
//! then), keep each customer's (lead id, score, window) in memory — nothing is written to
//! `scores_next_buy` — then read who bought afterwards in one set-based query and hand both to
//! the pure arithmetic (`domain::watchlist::backtest`).
//!
//! The nightly recompute also runs one per account ([`run_latest`]) 12 months back (6 when
//! the store's sales history is shorter) and keeps it for the Watchlist page.

use chrono::{DateTime, Utc};

use super::BATCH;
use crate::clock::{from_unix, to_unix};
use crate::db::Db;
use crate::domain::watchlist::backtest::{evaluate, Backtest, Outcome};
use crate::domain::watchlist::score_batch;
use crate::error::Result;
use crate::store;

/// Score `account_id`'s customers as of `as_of` and count who bought afterwards, with the data
/// reaching `data_until` (now; later deals are not counted).
pub async fn backtest(db: &Db, account_id: i64, as_of: DateTime<Utc>, data_until: DateTime<Utc>) -> Result<Backtest> {
    let t = to_unix(as_of);
    let day = as_of.date_naive();
    let weights = super::weights(db, account_id).await?;
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut after = 0;
    loop {
        let batch = db
            .call(move |c| {
                let Some(range) = store::watchlist::load::next_range(c, account_id, after, t, BATCH)? else {
                    return Ok(None);
                };
                let records = store::watchlist::load::batch(c, account_id, range, t)?;
                Ok(Some((range.upto, score_batch(day, &records, &weights))))
            })
            .await?;
        let Some((upto, scores)) = batch else { break };
        outcomes.extend(scores.into_iter().map(|s| Outcome {
            lead_id: s.lead_id,
            score: s.score.score,
            window: s.score.window,
            bought_at: None,
        }));
        after = upto;
    }
    // outcomes are in lead id order (batches by lead id, each in lead id order)
    let until = to_unix(data_until);
    let bought = db
        .call(move |c| store::deals::first_per_lead_after(c, account_id, t))
        .await?;
    for (lead_id, sold_at) in bought.into_iter().filter(|&(_, at)| at <= until) {
        if let Ok(i) = outcomes.binary_search_by_key(&lead_id, |o| o.lead_id) {
            outcomes[i].bought_at = Some(from_unix(sold_at));
        }
    }
    let b = evaluate(&mut outcomes, as_of, data_until);
    tracing::info!(account_id, as_of = %as_of, customers = b.customers, "watchlist backtest");
    Ok(b)
}

/// The day the nightly backtest looks back to: 12 months before `now`, or 6 when the
/// account's first sale is more recent than that; None without any sale.
pub async fn nightly_as_of(db: &Db, account_id: i64, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let first = db.call(move |c| store::deals::first_sold_at(c, account_id)).await?;
    Ok(first.map(|first| {
        let year_back = months_before(now, 12);
        if from_unix(first) <= year_back {
            year_back
        } else {
            months_before(now, 6)
        }
    }))
}

fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    now.checked_sub_months(chrono::Months::new(months)).unwrap_or(now)
}

/// Run the account's backtest as the nightly job does and keep it as its latest; None when
/// the account has no sales to check against.
pub async fn run_latest(db: &Db, account_id: i64, now: DateTime<Utc>) -> Result<Option<Backtest>> {
    let Some(as_of) = nightly_as_of(db, account_id, now).await? else {
        return Ok(None);
    };
    let b = backtest(db, account_id, as_of, now).await?;
    let saved = b.clone();
    let t = to_unix(now);
    db.write(move |tx| store::watchlist::backtests::save(tx, account_id, &saved, t))
        .await?;
    Ok(Some(b))
}

/// The nightly backtest of every account with sales: how many were run.
pub async fn run_all(db: &Db, now: DateTime<Utc>) -> Result<usize> {
    let accounts = db.call(|c| store::watchlist::accounts_to_score(c)).await?;
    let mut n = 0;
    for account_id in accounts {
        n += usize::from(run_latest(db, account_id, now).await?.is_some());
    }
    Ok(n)
}

/// The account's latest backtest, if any.
pub async fn latest(db: &Db, account_id: i64) -> Result<Option<Backtest>> {
    db.call(move |c| store::watchlist::backtests::latest(c, account_id))
        .await
}
