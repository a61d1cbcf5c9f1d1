//! The upsell triggers as a job: a thin adapter onto the upsell capability's engine.

use super::{BoxFuture, Counts, Job};
use crate::error::Result;
use crate::upsell::engine;
use crate::App;
use chrono::{DateTime, Utc};

pub struct UpsellTriggers;

impl Job for UpsellTriggers {
    fn name(&self) -> &'static str {
        "upsell.triggers"
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(60)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move { Ok(counts(&engine::send_due(app, now).await?)) })
    }
}

/// A tick's report as a run's counts: how many were due, and each outcome that happened.
pub fn counts(report: &engine::TickReport) -> Counts {
    let mut counts = Counts::from([("due", report.due as i64)]);
    for (outcome, n) in &report.outcomes {
        *counts.entry(outcome.name()).or_default() += *n as i64;
    }
    counts
}
