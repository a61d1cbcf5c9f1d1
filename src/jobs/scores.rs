//! The nightly next-to-buy recompute as a job: a thin adapter onto the watchlist capability.
//!
//! The loop looks every hour; the job recomputes when the last full recompute was for a
//! moment at least [`EVERY`] before `now` (so once a day, at about the hour it first ran),
//! and otherwise records a skip. After it, each account's backtest (a year back, 6 months when
//! the sales history is shorter) is run and kept for the Watchlist page. `POST /api/internal/scores/recompute` runs it at once.

use super::{BoxFuture, Counts, Job};
use crate::clock::to_unix;
use crate::error::Result;
use crate::watchlist::{self, RecomputeReport};
use crate::{store, App};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub const NAME: &str = "scores.recompute";

/// A full recompute at most this often.
pub const EVERY: Duration = Duration::from_secs(23 * 3600);

pub struct ScoresRecompute;

impl Job for ScoresRecompute {
    fn name(&self) -> &'static str {
        NAME
    }

    fn cadence(&self) -> Duration {
        Duration::from_secs(3600)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let last = app
                .db
                .call(|c| store::job_runs::last_done_as_of(c, NAME, "scored"))
                .await?;
            if !due(last, now) {
                return Ok(Counts::from([("skipped", 1)]));
            }
            let mut c = counts(&watchlist::recompute(&app.db, now).await?);
            // the page's "proven on your history" sentence: a year back, kept per account
            let backtested = watchlist::backtest::run_all(&app.db, now).await?;
            c.insert("backtested", backtested as i64);
            Ok(c)
        })
    }
}

/// Due when there was no full recompute yet, or the last was for a moment [`EVERY`] or more
/// before `now`.
pub fn due(last_as_of: Option<i64>, now: DateTime<Utc>) -> bool {
    last_as_of.is_none_or(|last| to_unix(now) - last >= EVERY.as_secs() as i64)
}

/// A run's report as its counts (`scored` always, so that the next run sees it was done).
pub fn counts(r: &RecomputeReport) -> Counts {
    Counts::from([
        ("accounts", r.accounts as i64),
        ("scored", r.scored as i64),
        ("changed", r.changed as i64),
        ("removed", r.removed as i64),
        ("opted_out", r.opted_out as i64),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn due_once_a_day() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 3, 0, 0).unwrap();
        assert!(due(None, now));
        assert!(!due(Some(to_unix(now) - 3600), now));
        assert!(due(Some(to_unix(now) - 23 * 3600), now));
        // a replay of an earlier moment is not a reason to run again
        assert!(!due(Some(to_unix(now) + 3600), now));
    }
}
