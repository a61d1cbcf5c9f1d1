//! Who is in which arm. A customer is assigned at the first moment they are eligible for the
//! campaign — when the text would have been decided — and keeps that arm for the experiment's
//! life (a hash of the experiment's salt and the customer, recorded with the moment).

use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::compliance::Purpose;
use crate::domain::experiments::{self, CONTROL};
use crate::domain::messages::MessageStatus;
use crate::error::Result;
use crate::messaging::outbox;
use crate::messaging::Services;
use crate::store;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The arm of a customer whose text of `purpose` is being decided now under a campaign governed
/// by one of `scopes`, or None when no experiment governs it or the gate would not let a text
/// reach the customer (opted out, in review, a blocking state rule, or held past `expires_at`):
/// such a customer is in neither arm, and whatever the caller does is not stamped.
pub fn at_decision(
    tx: &WriteTx,
    account_id: i64,
    lead_id: i64,
    scopes: &[&str],
    purpose: Purpose,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Option<(i64, String)>> {
    let t = to_unix(now);
    let Some((experiment_id, salt, holdout)) = store::experiments::running_experiment(tx, account_id, scopes, t)?
    else {
        return Ok(None);
    };
    let verdict = outbox::verdict(tx, account_id, lead_id, purpose, now)?;
    let reachable = match verdict.status {
        MessageStatus::Blocked => false,
        MessageStatus::Deferred => expires_at.is_none_or(|e| verdict.at < e),
        _ => true,
    };
    if !reachable {
        return Ok(None);
    }
    let arm = experiments::arm(&salt, lead_id, holdout);
    let arm = store::experiments::assign_arm(tx, account_id, experiment_id, lead_id, arm, t)?;
    Ok(Some((experiment_id, arm)))
}

/// Whether an arm is the holdout (no text).
pub fn held_out(arm: &Option<(i64, String)>) -> bool {
    arm.as_ref().is_some_and(|(_, v)| v == CONTROL)
}

/// What a bulk assignment did, per experiment id: customers newly assigned to each arm.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BulkReport {
    pub experiments: usize,
    pub assigned: BTreeMap<i64, BTreeMap<String, usize>>,
}

/// Assign, for every running experiment, each customer who was eligible since it started and up
/// to `as_of` but has no arm yet (a send decided by other means, or replayed), at the first
/// moment they were eligible. Idempotent: the engines assign as they decide, so a second run
/// (or a run after them) assigns nobody.
pub async fn bulk(app: &Services, as_of: DateTime<Utc>) -> Result<BulkReport> {
    let up_to = to_unix(as_of);
    app.db
        .write(move |tx| {
            let mut report = BulkReport::default();
            for (account_id, e) in store::experiments::running_everywhere(tx)? {
                report.experiments += 1;
                let since = e.started_at.unwrap_or(0).max(e.starts_at.unwrap_or(0));
                let until = e.ends_at.map_or(up_to, |end| end.min(up_to));
                let work = store::experiments::unassigned_eligible(tx, account_id, e.id, e.campaign, since, until)?;
                let counts = report.assigned.entry(e.id).or_default();
                for (lead_id, at) in work {
                    let arm = experiments::arm(&e.salt, lead_id, e.holdout_pct);
                    store::experiments::assign_arm(tx, account_id, e.id, lead_id, arm, at)?;
                    *counts.entry(arm.to_string()).or_default() += 1;
                }
            }
            Ok(report)
        })
        .await
}
