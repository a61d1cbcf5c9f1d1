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
        Box::pin(crate::messaging::outbox::drain(app, now))
    }
}
