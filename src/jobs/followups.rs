//! The follow-up cadence: a new lead gets texts on the account's schedule (days after they
//! arrived, e.g. 0, 2, 7) until they reply or opt out — through the outbox, at most once per
//! step (a dedupe key per lead and step).

use super::{BoxFuture, Counts, Job};
use crate::clock::{from_unix, to_unix};
use crate::domain::compliance::Purpose;
use crate::domain::experiments::Campaign;
use crate::drafting::{DraftContext, DraftKind};
use crate::error::Result;
use crate::messaging::outbox::{self, SendRequest};
use crate::{store, App};
use chrono::{DateTime, Duration, Utc};

pub struct FollowupCadence;

/// The step a lead created at `created` is due for at `now`: the latest step whose day has come
/// (earlier steps that were missed are skipped, not sent in a burst).
pub fn due_step(days: &[u32], created: DateTime<Utc>, now: DateTime<Utc>) -> Option<usize> {
    days.iter()
        .rposition(|d| created + Duration::days(i64::from(*d)) <= now)
}

impl Job for FollowupCadence {
    fn name(&self) -> &'static str {
        "followups.cadence"
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(300)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let mut counts = Counts::new();
            let accounts = app.db.call(|c| store::accounts::list(c)).await?;
            for account in accounts {
                let account_id = account.id;
                let settings = app
                    .db
                    .call(move |c| store::accounts::messaging_settings(c, account_id))
                    .await?;
                // (read here, not with the settings: a bad value stops this account's
                // follow-ups, not its inbound texts)
                let days: Vec<u32> = match serde_json::from_str(&settings.followup_days_json) {
                    Ok(days) => days,
                    Err(e) => {
                        tracing::error!(account_id, value = %settings.followup_days_json, error = %e,
                            "the account's follow-up days are not a list of days; no follow-ups for it until they are set again");
                        *counts.entry("accounts_misconfigured").or_default() += 1;
                        continue;
                    }
                };
                let Some(last) = days.last().copied() else { continue };
                let since = to_unix(now - Duration::days(i64::from(last) + 1));
                let t = to_unix(now);
                let leads = app
                    .db
                    .call(move |c| store::leads::in_followup_window(c, account_id, since, t))
                    .await?;
                for lead in leads {
                    let Some(step) = due_step(&days, from_unix(lead.created_at), now) else {
                        continue;
                    };
                    // a later step already queued means this one was skipped for good
                    let keys: Vec<String> = (step..days.len())
                        .map(|s| format!("followup:{}:{s}", lead.id))
                        .collect();
                    let ctx = DraftContext {
                        kind: DraftKind::Followup { step },
                        account_name: settings.account.name.clone(),
                        first_name: lead.first_name.clone(),
                        vehicle: lead.vehicle_interest.clone(),
                        booking_url: settings.booking_url.clone(),
                    };
                    let already = {
                        let keys = keys.clone();
                        app.db
                            .call(move |c| {
                                for k in &keys {
                                    if store::messages::find_by_dedupe_key(c, account_id, k)?.is_some() {
                                        return Ok(true);
                                    }
                                }
                                Ok(false)
                            })
                            .await?
                    };
                    if already {
                        continue;
                    }
                    let draft = app.drafter.draft(&ctx).await;
                    let mut req = SendRequest::new(account_id, lead.id, Purpose::Followup, draft.body, self.name());
                    req.dedupe_key = Some(keys[0].clone());
                    let out = app
                        .db
                        .write(move |tx| {
                            // the moment a follow-up would go is the customer's assignment to a
                            // running follow-ups experiment (after the gate); control gets none
                            let arm = crate::experiments::assign::at_decision(
                                tx,
                                account_id,
                                req.lead_id,
                                &[Campaign::Followups.as_str()],
                                Purpose::Followup,
                                None,
                                now,
                            )?;
                            if crate::experiments::assign::held_out(&arm) {
                                return Ok(None);
                            }
                            req.experiment = arm;
                            outbox::enqueue(tx, &req, now).map(Some)
                        })
                        .await?;
                    let Some(out) = out else {
                        *counts.entry("held_out").or_default() += 1;
                        continue;
                    };
                    if !out.duplicate {
                        *counts.entry("enqueued").or_default() += 1;
                        if out.status != crate::domain::messages::MessageStatus::Queued {
                            *counts.entry("held_by_gate").or_default() += 1;
                        }
                    }
                }
            }
            Ok(counts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_due_step_is_the_one_to_send() {
        let created = DateTime::parse_from_rfc3339("2026-11-01T15:00:00Z").unwrap().to_utc();
        let days = [0, 2, 7];
        assert_eq!(due_step(&days, created, created - Duration::minutes(1)), None);
        assert_eq!(due_step(&days, created, created), Some(0));
        assert_eq!(
            due_step(&days, created, created + Duration::days(2) - Duration::seconds(1)),
            Some(0)
        );
        assert_eq!(due_step(&days, created, created + Duration::days(2)), Some(1));
        assert_eq!(due_step(&days, created, created + Duration::days(30)), Some(2));
        assert_eq!(due_step(&[], created, created), None);
    }
}
