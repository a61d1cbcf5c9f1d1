//! Offer sends: one row per (service event, phase) the upsell engine handled — sent, held
//! out, blocked, or no offer — with what came of it, and what the customer already declined
//! or was offered.

use super::{json, Cached};
use crate::db::WriteTx;
use crate::domain::money::Cents;
use crate::domain::offers::{OfferSendStatus, Phase};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The query plans of the statements the upsell engine runs for every due visit.
pub fn explain_visit_queries(conn: &Connection) -> Result<Vec<String>> {
    let mut plans = Vec::new();
    for (sql, n) in [
        (super::visits::HISTORY_SQL, 6),
        (DECLINES_SQL, 2),
        (RECENTLY_OFFERED_SQL, 4),
    ] {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let nulls = vec![rusqlite::types::Null; n];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        plans.push(rows.join("; "));
    }
    Ok(plans)
}

const DECLINES_SQL: &str = "SELECT offer_id, coalesce(outcome_at, created_at) FROM offer_sends
         WHERE lead_id = ?1 AND +account_id = ?2 AND accepted = 0 AND offer_id IS NOT NULL";

/// Offers this customer declined, and when.
pub fn declines(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(DECLINES_SQL)?;
    let rows = stmt
        .query_map([lead_id, account_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

const RECENTLY_OFFERED_SQL: &str =
    "SELECT offer_id FROM offer_sends WHERE service_event_id = ?1 AND +account_id = ?4 AND offer_id IS NOT NULL
           AND status NOT IN ('no_offer', 'skipped', 'failed')
         UNION
         SELECT offer_id FROM offer_sends WHERE lead_id = ?2 AND +account_id = ?4 AND created_at >= ?3
           AND offer_id IS NOT NULL AND status NOT IN ('no_offer', 'skipped', 'failed')";

/// Offers already texted (or held out) for this visit in another phase, or to this customer
/// since `since` on any visit (a DMS often numbers the appointment and its RO apart).
pub fn recently_offered(
    conn: &Connection,
    account_id: i64,
    service_event_id: i64,
    lead_id: i64,
    since: i64,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(RECENTLY_OFFERED_SQL)?;
    let rows = stmt
        .query_map(params![service_event_id, lead_id, since, account_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[derive(Debug, Clone)]
pub struct NewOfferSend {
    pub account_id: i64,
    pub service_event_id: i64,
    pub lead_id: i64,
    pub phase: Phase,
    pub offer_id: Option<i64>,
    pub experiment: Option<(i64, String)>,
    pub status: OfferSendStatus,
    pub status_reason: Option<String>,
    pub link_token: Option<String>,
    /// op codes already on the visit at send time
    pub visit_op_codes: Vec<String>,
}

/// Claim the (visit, phase): the row is written only if none exists. `None` means another
/// run got there first — the UNIQUE constraint, not a prior check, decides.
pub fn claim(conn: &WriteTx, s: &NewOfferSend, now: i64) -> Result<Option<i64>> {
    let visit_op_codes = json::text(&s.visit_op_codes)?;
    let (experiment_id, variant) = match &s.experiment {
        Some((id, v)) => (Some(*id), Some(v.as_str())),
        None => (None, None),
    };
    Ok(conn
        .prepare_cached(
            "INSERT INTO offer_sends (account_id, offer_id, service_event_id, lead_id, phase, experiment_id, variant,
                                      status, status_reason, link_token, visit_op_codes_json, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?11, ?11)
             ON CONFLICT (service_event_id, phase) DO NOTHING
             RETURNING id",
        )?
        .query_row(
            params![
                s.account_id,
                s.offer_id,
                s.service_event_id,
                s.lead_id,
                s.phase,
                experiment_id,
                variant,
                s.status,
                s.status_reason,
                s.link_token,
                now,
                visit_op_codes
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// Link the send to its text and record what the gate said.
pub fn set_message(
    conn: &WriteTx,
    id: i64,
    message_out_id: i64,
    status: OfferSendStatus,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE offer_sends SET message_out_id = ?2, status = ?3, status_reason = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, message_out_id, status, reason, now])?;
    Ok(())
}

/// A send as the tracked link, the threads view and the outcome API see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OfferSend {
    pub id: i64,
    pub account_id: i64,
    pub offer_id: Option<i64>,
    pub offer_name: Option<String>,
    pub service_event_id: i64,
    pub lead_id: i64,
    pub phase: Phase,
    pub message_out_id: Option<i64>,
    pub variant: Option<String>,
    pub status: OfferSendStatus,
    pub status_reason: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub clicked_at: Option<i64>,
    pub accepted: Option<bool>,
    pub accepted_via: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub outcome_at: Option<i64>,
    pub revenue_attributed_cents: Cents,
    pub attributed_ro_line: Option<String>,
    /// what the rep wrote when recording the outcome by hand
    pub outcome_note: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    /// where the tracked link sends the customer: the offer's booking page, else the account's
    #[serde(skip)]
    pub booking_url: Option<String>,
}

const SEND_COLUMNS: &str = "s.id, s.account_id, s.offer_id, o.name, s.service_event_id, s.lead_id, s.phase,
    s.message_out_id, s.variant, s.status, s.status_reason, s.clicked_at, s.accepted, s.accepted_via, s.outcome_at,
    s.revenue_attributed_cents, s.attributed_ro_line, s.created_at, coalesce(o.booking_url, a.booking_url),
    s.outcome_note";

fn send_from_row(r: &rusqlite::Row) -> rusqlite::Result<OfferSend> {
    Ok(OfferSend {
        id: r.get(0)?,
        account_id: r.get(1)?,
        offer_id: r.get(2)?,
        offer_name: r.get(3)?,
        service_event_id: r.get(4)?,
        lead_id: r.get(5)?,
        phase: r.get(6)?,
        message_out_id: r.get(7)?,
        variant: r.get(8)?,
        status: r.get(9)?,
        status_reason: r.get(10)?,
        clicked_at: r.get(11)?,
        accepted: r.get(12)?,
        accepted_via: r.get(13)?,
        outcome_at: r.get(14)?,
        revenue_attributed_cents: r.get(15)?,
        attributed_ro_line: r.get(16)?,
        created_at: r.get(17)?,
        booking_url: r.get(18)?,
        outcome_note: r.get(19)?,
    })
}

fn select_sends(where_clause: &str) -> String {
    format!(
        "SELECT {SEND_COLUMNS} FROM offer_sends s
           LEFT JOIN offers o ON o.id = s.offer_id
           JOIN accounts a ON a.id = s.account_id
         WHERE {where_clause}"
    )
}

pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<OfferSend>> {
    Ok(conn
        .prepare_cached(&select_sends("s.id = ?1 AND +s.account_id = ?2"))?
        .query_row(params![id, account_id], send_from_row)
        .optional()?)
}

/// The send a tracked link belongs to. The one lookup not scoped by account: the link's
/// random token is the key (a click carries nothing else), and it reveals only where to book.
pub fn find_by_token(conn: &Connection, token: &str) -> Result<Option<OfferSend>> {
    Ok(conn
        .prepare_cached(&select_sends("s.link_token = ?1"))?
        .query_row([token], send_from_row)
        .optional()?)
}

/// A visit's sends, phase by phase (for the threads view and tests).
pub fn for_visit(conn: &Connection, account_id: i64, service_event_id: i64) -> Result<Vec<OfferSend>> {
    let mut stmt = conn.prepare_cached(&select_sends(
        "s.service_event_id = ?1 AND +s.account_id = ?2 ORDER BY s.id",
    ))?;
    let rows = stmt
        .query_map([service_event_id, account_id], send_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A customer's sends, newest first.
pub fn for_lead(conn: &Connection, account_id: i64, lead_id: i64, limit: i64) -> Result<Vec<OfferSend>> {
    let mut stmt = conn.prepare_cached(&select_sends(
        "s.lead_id = ?1 AND +s.account_id = ?2 ORDER BY s.created_at DESC, s.id DESC LIMIT ?3",
    ))?;
    let rows = stmt
        .query_map(params![lead_id, account_id, limit], send_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Record a click: the first one sets `clicked_at`, and accepts the offer if nothing else
/// has decided it yet. True when this was the first click.
pub fn record_click(conn: &WriteTx, id: i64, now: i64) -> Result<bool> {
    let n = conn.execute_cached(
        "UPDATE offer_sends SET clicked_at = ?2,
                accepted = coalesce(accepted, 1),
                accepted_via = CASE WHEN accepted IS NULL THEN 'click' ELSE accepted_via END,
                outcome_at = coalesce(outcome_at, ?2), updated_at = ?2
         WHERE id = ?1 AND clicked_at IS NULL",
        params![id, now],
    )?;
    Ok(n == 1)
}

/// The offer a yes or a no answers: the last text this customer got, if it was an offer and
/// its reply window is still open at `now`. A reply to anything texted after the offer (the
/// car is ready, a confirmation) is about that, not the offer.
pub fn awaiting_reply(conn: &Connection, account_id: i64, lead_id: i64, now: i64) -> Result<Option<OfferSend>> {
    Ok(conn
        .prepare_cached(&select_sends(
            "s.message_out_id = (SELECT m.id FROM messages_out m
                                 WHERE m.lead_id = ?1 AND +m.account_id = ?3 AND m.status IN ('sent', 'delivered')
                                   AND m.sent_at <= ?2
                                 ORDER BY m.sent_at DESC, m.id DESC LIMIT 1)
               AND +s.account_id = ?3 AND s.offer_id IS NOT NULL
               AND (SELECT m.sent_at FROM messages_out m WHERE m.id = s.message_out_id)
                   >= ?2 - o.reply_window_hours * 3600",
        ))?
        .query_row(params![lead_id, now, account_id], send_from_row)
        .optional()?)
}

/// A yes or a no by text: recorded only if nothing decided the offer before (first outcome
/// wins). True when recorded.
pub fn record_reply(conn: &WriteTx, id: i64, accepted: bool, now: i64) -> Result<bool> {
    let n = conn.execute_cached(
        "UPDATE offer_sends SET accepted = ?2, accepted_via = CASE WHEN ?2 THEN 'reply' END,
                outcome_at = ?3, updated_at = ?3
         WHERE id = ?1 AND accepted IS NULL",
        params![id, accepted, now],
    )?;
    Ok(n == 1)
}

/// A rep's word overrides the signals: accepted or declined, with the revenue they give
/// (kept as it was when they give none).
#[allow(clippy::too_many_arguments)]
pub fn record_manual(
    conn: &WriteTx,
    account_id: i64,
    id: i64,
    accepted: bool,
    revenue_cents: Option<Cents>,
    note: Option<&str>,
    by: &str,
    now: i64,
) -> Result<bool> {
    let n = conn.execute_cached(
        "UPDATE offer_sends SET accepted = ?3, accepted_via = CASE WHEN ?3 THEN 'manual' END,
                revenue_attributed_cents = CASE WHEN ?3 THEN coalesce(?4, revenue_attributed_cents) ELSE 0 END,
                outcome_at = ?6, outcome_by = ?5, outcome_note = coalesce(?7, outcome_note), updated_at = ?6
         WHERE id = ?1 AND +account_id = ?2",
        params![id, account_id, accepted, revenue_cents, by, now, note],
    )?;
    Ok(n == 1)
}

/// Has this account any offer sends? (Imports skip crediting RO lines when not.)
pub fn any_for_account(conn: &Connection, account_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM offer_sends WHERE account_id = ?1)")?
        .query_row([account_id], |r| r.get(0))?)
}

/// A send an RO line could be credited to.
#[derive(Debug, Clone)]
pub struct Attributable {
    pub id: i64,
    pub service_event_id: i64,
    pub phase: Phase,
    /// the offer's op codes
    pub op_codes: Vec<String>,
    pub price_cents: Option<Cents>,
    pub sent_at: i64,
    pub attribution_window_days: i64,
    /// op codes already on the visit when the offer went out
    pub visit_op_codes: Vec<String>,
}

/// The customer's offer sends not yet credited with a line, made since `since`, newest first.
/// Held-out sends are included: what the control group bought anyway is the baseline.
pub fn attributable(conn: &Connection, account_id: i64, lead_id: i64, since: i64) -> Result<Vec<Attributable>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.service_event_id, s.phase, o.op_codes_json, o.price_cents, s.created_at,
                o.attribution_window_days, s.visit_op_codes_json
         FROM offer_sends s JOIN offers o ON o.id = s.offer_id
         WHERE s.lead_id = ?1 AND +s.account_id = ?3 AND s.created_at >= ?2 AND s.attributed_ro_line IS NULL
           AND s.status IN ('sent', 'queued', 'deferred', 'held_out')
           AND s.outcome_by IS NULL
         ORDER BY s.created_at DESC, s.id DESC",
    )?;
    let rows = stmt
        .query_map(params![lead_id, since, account_id], |r| {
            let id = r.get(0)?;
            Ok(Attributable {
                id,
                service_event_id: r.get(1)?,
                phase: r.get(2)?,
                op_codes: json::column(r, 3, || {
                    format!("the op codes (op_codes_json) of the offer of send {id}")
                })?,
                price_cents: r.get(4)?,
                sent_at: r.get(5)?,
                attribution_window_days: r.get(6)?,
                visit_op_codes: json::column(r, 7, || format!("visit_op_codes_json of offer send {id}"))?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// RO lines already credited to one of this customer's sends (`{event id}:{op code}`).
pub fn credited_lines(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT attributed_ro_line FROM offer_sends
         WHERE lead_id = ?1 AND +account_id = ?2 AND attributed_ro_line IS NOT NULL",
    )?;
    let rows = stmt
        .query_map([lead_id, account_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Credit an RO line to a send: accepted (unless a reply or click already said so, which
/// stays the way it was accepted) and the line's revenue. Once per send; never over a rep's
/// own word.
pub fn credit_line(conn: &WriteTx, id: i64, line: &str, revenue: Cents, now: i64) -> Result<bool> {
    let n = conn.execute_cached(
        "UPDATE offer_sends SET accepted = 1,
                accepted_via = CASE WHEN accepted = 1 THEN accepted_via ELSE 'ro_line' END,
                outcome_at = CASE WHEN accepted = 1 THEN coalesce(outcome_at, ?4) ELSE ?4 END,
                revenue_attributed_cents = ?3, attributed_ro_line = ?2, updated_at = ?4
         WHERE id = ?1 AND attributed_ro_line IS NULL AND outcome_by IS NULL",
        params![id, line, revenue.max(Cents::ZERO), now],
    )?;
    Ok(n == 1)
}
