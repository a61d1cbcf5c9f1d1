//! Housekeeping jobs.

use super::{BoxFuture, Counts, Job};
use crate::clock::to_unix;
use crate::error::Result;
use crate::{store, App};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Deletes dashboard sessions that have expired.
pub struct PurgeSessions;

impl Job for PurgeSessions {
    fn name(&self) -> &'static str {
        "sessions.purge"
    }

    fn cadence(&self) -> Duration {
        Duration::from_secs(3600)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let now = to_unix(now);
            let deleted = app.db.write(move |c| store::sessions::purge_expired(c, now)).await?;
            Ok(Counts::from([("deleted", deleted as i64)]))
        })
    }
}

/// Days a handled inbound text's raw record is kept (for a look at what Twilio posted).
const RAW_INBOUND_KEPT_DAYS: i64 = 30;

/// Keeps SQLite healthy (planner statistics and a WAL checkpoint), and removes what has had its
/// time: handled inbound texts' raw records, import reports past 30 days.
pub struct DbMaintenance;

impl Job for DbMaintenance {
    fn name(&self) -> &'static str {
        "db.maintenance"
    }

    fn cadence(&self) -> Duration {
        Duration::from_secs(6 * 3600)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            // a handled text's raw record has done its job once messages_in holds it
            let before = to_unix(now) - RAW_INBOUND_KEPT_DAYS * 86_400;
            let purged = app
                .db
                .write(move |tx| store::inbound_raw::purge_handled(tx, before))
                .await?;
            // an import's full report is downloadable for its time, then goes
            let reports = crate::ingest::dms_import::reports_dir(&app.config.data_dir);
            let reports_removed =
                tokio::task::spawn_blocking(move || crate::ingest::dms_import::remove_old_reports(&reports, now))
                    .await
                    .map_err(crate::error::Error::internal)?;
            // a bulk writer's turn, not the writer thread's: statistics can take a moment
            app.db.call(|c| c.write_with(store::optimize)).await?;
            app.db.call(|c| store::checkpoint(c)).await?;
            Ok(Counts::from([
                ("optimized", 1),
                ("raw_inbound_purged", purged as i64),
                ("import_reports_removed", reports_removed as i64),
            ]))
        })
    }
}
