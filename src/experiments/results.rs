//! An experiment's results: each arm's sums from the store, analysed by the domain.

use crate::clock::to_unix;
use crate::domain::experiments::{analyze, ExperimentResults};
use crate::error::Result;
use crate::store::{self, experiments::Experiment};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// The results as of `now`, over the experiment's window after each assignment; the date range
/// they cover is from its start to its stop (or `now`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Results {
    pub experiment: Experiment,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub as_of: i64,
    pub window_days: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub from: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub to: i64,
    #[serde(flatten)]
    pub results: ExperimentResults,
}

pub fn of(conn: &Connection, account_id: i64, id: i64, now: DateTime<Utc>) -> Result<Option<Results>> {
    let Some(e) = store::experiments::get(conn, account_id, id)? else {
        return Ok(None);
    };
    Ok(Some(compute(conn, account_id, e, now)?))
}

fn compute(conn: &Connection, account_id: i64, e: Experiment, now: DateTime<Utc>) -> Result<Results> {
    let t = to_unix(now);
    let (control, treatment) = store::experiments::outcomes(conn, account_id, e.id, e.window_days * 86_400, t)?;
    let results = analyze(&control, &treatment, e.holdout_pct, e.primary_metric);
    Ok(Results {
        as_of: t,
        window_days: e.window_days,
        from: e.started_at,
        to: e.stopped_at.unwrap_or(t).min(t),
        results,
        experiment: e,
    })
}

/// Every running experiment's results (the dashboard's card): one outcome query per running
/// experiment, each reading its own assignments by index.
pub fn running(conn: &Connection, account_id: i64, now: DateTime<Utc>) -> Result<Vec<Results>> {
    store::experiments::running(conn, account_id)?
        .into_iter()
        .map(|e| compute(conn, account_id, e, now))
        .collect()
}
