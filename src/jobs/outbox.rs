//! The outbox drain as a job.

use super::{BoxFuture, Counts, Job};
use crate::error::Result;
use crate::App;
use chrono::{DateTime, Utc};

pub struct OutboxDrain;

impl Job for OutboxDrain {
    fn name(&self) -> &'static str {
        "outbox.drain"
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(15)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let r = crate::messaging::outbox::drain(&app.services, now).await?;
            // the counts a run records: only those that happened
            Ok([
                ("sent", r.sent),
                ("failed", r.failed),
                ("retrying", r.retrying),
                ("unknown", r.unknown),
                ("held", r.held),
                ("interrupted", r.interrupted),
                ("reconciled_sent", r.reconciled_sent),
                ("reconciled_requeued", r.reconciled_requeued),
            ]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| (k, n as i64))
            .collect())
        })
    }
}
