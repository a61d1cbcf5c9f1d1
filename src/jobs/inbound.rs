//! Inbound texts recorded but not handled (their webhook gave up, or the process stopped), as a
//! job.

use super::{BoxFuture, Counts, Job};
use crate::error::Result;
use crate::messaging::inbound;
use crate::App;
use chrono::{DateTime, Utc};

pub struct InboundPending;

impl Job for InboundPending {
    fn name(&self) -> &'static str {
        "inbound.pending"
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(15)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let r = inbound::handle_pending(&app.services, now).await?;
            Ok(Counts::from([
                ("handled", r.handled as i64),
                ("drafted", r.drafted as i64),
                ("failed", r.failed as i64),
            ]))
        })
    }
}
