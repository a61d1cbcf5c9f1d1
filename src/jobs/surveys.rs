//! The survey orchestrator as a job: a thin adapter onto the survey capability.

use super::{BoxFuture, Counts, Job};
use crate::error::Result;
use crate::surveys::{self, AskReport};
use crate::App;
use chrono::{DateTime, Utc};

pub struct SurveysAsk;

impl Job for SurveysAsk {
    fn name(&self) -> &'static str {
        surveys::SENDER
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(300)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move { Ok(counts(&surveys::ask_due(&app.services, now).await?)) })
    }
}

/// A run's report as its counts (those that happened).
pub fn counts(r: &AskReport) -> Counts {
    [
        ("looked_at", r.looked_at),
        ("asked", r.asked),
        ("blocked", r.blocked),
        ("raced", r.raced),
        ("held_out", r.held_out),
        ("expired", r.expired),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(k, n)| (k, n as i64))
    .collect()
}
