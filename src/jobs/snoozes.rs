//! `inbox.snoozes`: conversations whose snooze is over are open again, whoever looks at them
//! (the inbox list also wakes an account's own before it reads, so it is never a minute late).

use super::{BoxFuture, Counts, Job};
use crate::clock::to_unix;
use crate::error::Result;
use crate::{store, App};
use chrono::{DateTime, Utc};
use std::time::Duration;

pub struct WakeSnoozed;

impl Job for WakeSnoozed {
    fn name(&self) -> &'static str {
        "inbox.snoozes"
    }

    fn cadence(&self) -> Duration {
        Duration::from_secs(60)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let now = to_unix(now);
            let woken = app
                .db
                .write(move |tx| {
                    let mut woken = 0;
                    for account in store::accounts::list(tx)? {
                        woken += store::conversations::wake_snoozed(tx, account.id, now)?;
                    }
                    Ok(woken)
                })
                .await?;
            Ok(Counts::from([("woken", woken as i64)]))
        })
    }
}
