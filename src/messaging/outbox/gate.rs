//! What the gate is asked, and what it answers: the recipient (the zones they may be in, their
//! state's rule, opt-out and suppression, the account's caps, a recent purchase) and the sends
//! before, loaded from the store and handed to `domain::compliance::decide`. [`gate`] is the one
//! place this happens for a new text: `enqueue` records its answer, and the conversation page
//! shows it before a rep sends ([`verdict`]), so the two cannot drift apart.

use crate::clock::{from_unix, to_unix};
use crate::domain::compliance::{self, AccountCaps, Decision, GateRequest, PriorSend, Purpose, StateRule};
use crate::domain::geo;
use crate::domain::messages::MessageStatus;
use crate::error::{Error, Result};
use crate::store::{self, leads::Lead};
use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

/// Everything the gate needs about a recipient, read from the store.
pub(super) struct Recipient {
    pub(super) lead: Lead,
    account_zone: chrono_tz::Tz,
    zones: Vec<chrono_tz::Tz>,
    state_rule: Option<StateRule>,
    opted_out: bool,
    /// words that may have revoked consent wait for a rep
    opt_out_in_review: bool,
    caps: AccountCaps,
    /// read only when the state rule lifts its cap for a recent purchase
    last_purchase: Option<DateTime<Utc>>,
}

pub(super) fn load_recipient(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Recipient> {
    let settings = store::accounts::messaging_settings(conn, account_id)?;
    let lead =
        store::leads::get(conn, account_id, lead_id)?.ok_or_else(|| Error::NotFound(format!("lead {lead_id}")))?;
    let account_tz = settings.account.timezone;
    let phone = lead.phone_e164.as_deref();
    let zones = geo::resolve_zones(
        lead.timezone.as_deref(),
        lead.state.as_deref(),
        lead.postal_code.as_deref(),
        phone,
        account_tz,
    );
    let state = geo::resolve_state(lead.state.as_deref(), lead.postal_code.as_deref(), phone);
    let state_rule = match state {
        Some(s) => store::state_rules::for_state(conn, account_id, s)?.map(|r| StateRule {
            state: r.state,
            start_minute: r.start_minute as u32,
            end_minute: r.end_minute as u32,
            sunday_start_minute: r.sunday_start_minute.map(|m| m as u32),
            sunday_end_minute: r.sunday_end_minute.map(|m| m as u32),
            sunday_allowed: r.sunday_allowed,
            max_per_24h: r.max_per_24h.map(|n| n as u32),
            cap_exempt_if_bought_within_months: r.cap_exempt_if_bought_within_months.map(|n| n.max(0) as u32),
            source: r.source,
        }),
        None => None,
    };
    let last_purchase = match state_rule.as_ref().and_then(|r| r.cap_exempt_if_bought_within_months) {
        Some(_) => store::vehicles::last_purchased_at(conn, account_id, lead_id)?.map(from_unix),
        None => None,
    };
    let suppressed = match phone {
        Some(p) => store::consent::is_suppressed(conn, account_id, p)?,
        None => false,
    };
    Ok(Recipient {
        opt_out_in_review: !lead.opted_out && store::consent::open_review(conn, lead_id)?.is_some(),
        opted_out: lead.opted_out || suppressed,
        account_zone: account_tz,
        lead,
        zones,
        state_rule,
        last_purchase,
        caps: AccountCaps {
            per_lead_day: settings.account.cap_per_lead_day.max(0) as u32,
            per_lead_week: settings.account.cap_per_lead_week.max(0) as u32,
        },
    })
}

pub(super) fn prior(
    conn: &Connection,
    lead_id: i64,
    now: DateTime<Utc>,
    include_queued: bool,
) -> Result<Vec<PriorSend>> {
    let since = to_unix(now - Duration::days(8));
    Ok(store::messages::prior_sends(conn, lead_id, since, include_queued)?
        .into_iter()
        .map(|(at, purpose)| PriorSend {
            at: from_unix(at),
            purpose,
        })
        .collect())
}

pub(super) fn decide(
    r: &Recipient,
    purpose: Purpose,
    confirmation: bool,
    at: DateTime<Utc>,
    prior: &[PriorSend],
) -> Decision {
    compliance::decide(&GateRequest {
        now: at,
        purpose,
        opt_out_confirmation: confirmation,
        opted_out: r.opted_out,
        opt_out_in_review: r.opt_out_in_review,
        zones: &r.zones,
        state_rule: r.state_rule.as_ref(),
        caps: r.caps,
        prior,
        last_purchase: r.last_purchase,
    })
}

/// What the gate says about a text to a lead at a moment: go then (queued), not before a later
/// moment (deferred) or not at all (blocked), with why. `enqueue` records it on the row; the
/// conversation page shows it before a rep presses send. Both get it from [`gate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Queued, Deferred or Blocked
    pub status: MessageStatus,
    /// when it would go: the moment asked for, or the deferral
    pub at: DateTime<Utc>,
    pub code: Option<String>,
    pub reason: Option<String>,
    /// the zone the customer's local time is read in (the first they may be in)
    pub customer_zone: chrono_tz::Tz,
}

/// The gate's decision on a text of `purpose` to `lead_id` at `at`: the recipient (zones,
/// state rule, opt-out, caps) and the sends before it are loaded here and handed to
/// `domain::compliance::decide`. The one function behind [`enqueue`] and [`verdict`].
pub(super) fn gate(
    conn: &Connection,
    account_id: i64,
    lead_id: i64,
    purpose: Purpose,
    opt_out_confirmation: bool,
    at: DateTime<Utc>,
) -> Result<(Lead, Verdict)> {
    let r = load_recipient(conn, account_id, lead_id)?;
    let customer_zone = r.zones.first().copied().unwrap_or(r.account_zone);
    let (status, at, code, reason) = match (&r.lead.phone_e164, r.lead.textable) {
        (Some(_), true) => {
            let prior = prior(conn, lead_id, at, true)?;
            match decide(&r, purpose, opt_out_confirmation, at, &prior) {
                Decision::Allow => (MessageStatus::Queued, at, None, None),
                Decision::Defer { until, code, reason } => {
                    (MessageStatus::Deferred, until, Some(code.as_str().into()), Some(reason))
                }
                Decision::Block { code, reason } => {
                    (MessageStatus::Blocked, at, Some(code.as_str().into()), Some(reason))
                }
            }
        }
        _ => (
            MessageStatus::Blocked,
            at,
            Some("not_textable".into()),
            Some("the customer has no mobile number that takes texts".into()),
        ),
    };
    let verdict = Verdict {
        status,
        at,
        code,
        reason,
        customer_zone,
    };
    Ok((r.lead, verdict))
}

/// What the gate would decide for a text of `purpose` to this lead at `at`, written nowhere:
/// the verdict a rep sees before sending. The same [`gate`] as [`enqueue`], so it cannot drift.
pub fn verdict(
    conn: &Connection,
    account_id: i64,
    lead_id: i64,
    purpose: Purpose,
    at: DateTime<Utc>,
) -> Result<Verdict> {
    gate(conn, account_id, lead_id, purpose, false, at).map(|(_, v)| v)
}
