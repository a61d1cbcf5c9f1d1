//! The outbox (`messages_out`) and the inbox (`messages_in`). Only `messaging::outbox` calls
//! the functions that create outbound rows.

use super::Cached;
use crate::db::WriteTx;
use crate::domain::compliance::Purpose;
use crate::domain::messages::{Held, MessageStatus};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::sync::LazyLock;

pub struct NewOutbound<'a> {
    pub account_id: i64,
    pub lead_id: i64,
    pub purpose: Purpose,
    pub body: &'a str,
    pub to_phone: &'a str,
    pub status: MessageStatus,
    pub not_before: i64,
    pub deferred_until: Option<i64>,
    pub blocked_code: Option<&'a str>,
    pub blocked_reason: Option<&'a str>,
    pub experiment_id: Option<i64>,
    pub variant: Option<&'a str>,
    pub dedupe_key: Option<&'a str>,
    pub opt_out_confirmation: bool,
    pub in_reply_to: Option<i64>,
    pub created_by: &'a str,
    /// the drain blocks it as expired from this moment
    pub expires_at: Option<i64>,
    pub now: i64,
}

/// Insert an outbound row. A duplicate `dedupe_key` fails with a UNIQUE violation.
pub fn insert_out(conn: &WriteTx, m: &NewOutbound) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, deferred_until,
                                   blocked_code, blocked_reason, experiment_id, variant, dedupe_key,
                                   opt_out_confirmation, in_reply_to, created_by, expires_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18)",
        params![
            m.account_id,
            m.lead_id,
            m.purpose,
            m.body,
            m.to_phone,
            m.status,
            m.not_before,
            m.deferred_until,
            m.blocked_code,
            m.blocked_reason,
            m.experiment_id,
            m.variant,
            m.dedupe_key,
            m.opt_out_confirmation,
            m.in_reply_to,
            m.created_by,
            m.expires_at,
            m.now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn find_by_dedupe_key(conn: &Connection, account_id: i64, key: &str) -> Result<Option<OutboundRow>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {OUT_COLUMNS} FROM messages_out WHERE account_id = ?1 AND dedupe_key = ?2"),
            params![account_id, key],
            out_from_row,
        )
        .optional()?)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboundRow {
    pub id: i64,
    pub account_id: i64,
    pub lead_id: i64,
    pub purpose: Purpose,
    pub body: String,
    pub to_phone: String,
    pub status: MessageStatus,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub not_before: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub deferred_until: Option<i64>,
    pub blocked_code: Option<String>,
    pub blocked_reason: Option<String>,
    pub provider_sid: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub attempts: i64,
    pub opt_out_confirmation: bool,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub sent_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub expires_at: Option<i64>,
}

const OUT_COLUMNS: &str = "id, account_id, lead_id, purpose, body, to_phone, status, not_before, deferred_until,
    blocked_code, blocked_reason, provider_sid, error_code, error_message, attempts, opt_out_confirmation,
    created_at, sent_at, expires_at";

fn out_from_row(r: &Row) -> rusqlite::Result<OutboundRow> {
    Ok(OutboundRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        lead_id: r.get(2)?,
        purpose: r.get(3)?,
        body: r.get(4)?,
        to_phone: r.get(5)?,
        status: r.get(6)?,
        not_before: r.get(7)?,
        deferred_until: r.get(8)?,
        blocked_code: r.get(9)?,
        blocked_reason: r.get(10)?,
        provider_sid: r.get(11)?,
        error_code: r.get(12)?,
        error_message: r.get(13)?,
        attempts: r.get(14)?,
        opt_out_confirmation: r.get(15)?,
        created_at: r.get(16)?,
        sent_at: r.get(17)?,
        expires_at: r.get(18)?,
    })
}

pub fn get_out(conn: &Connection, id: i64) -> Result<Option<OutboundRow>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {OUT_COLUMNS} FROM messages_out WHERE id = ?1"),
            [id],
            out_from_row,
        )
        .optional()?)
}

/// The lead's outbound messages, newest first.
pub fn for_lead(conn: &Connection, lead_id: i64, limit: i64) -> Result<Vec<OutboundRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OUT_COLUMNS} FROM messages_out WHERE lead_id = ?1 ORDER BY id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![lead_id, limit], out_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The customer's latest text to the store, which a rep's reply answers.
pub fn last_inbound_id(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "SELECT id FROM messages_in WHERE lead_id = ?2 AND +account_id = ?1
             ORDER BY received_at DESC, id DESC LIMIT 1",
            params![account_id, lead_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// (moment, purpose) of this lead's messages that count against caps since `since`: those sent
/// or on their way, and (when `include_queued`) those queued to go, at their planned time.
pub fn prior_sends(conn: &Connection, lead_id: i64, since: i64, include_queued: bool) -> Result<Vec<(i64, Purpose)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(sent_at, sending_at, not_before), purpose FROM messages_out
         WHERE lead_id = ?1 AND opt_out_confirmation = 0 AND purpose <> 'system'
           AND (status IN ('sending', 'sent', 'delivered', 'undelivered', 'unknown')
                OR (?3 AND status IN ('queued', 'deferred')))
           AND coalesce(sent_at, sending_at, not_before) >= ?2",
    )?;
    let rows = stmt
        .query_map(params![lead_id, since, include_queued], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Messages due to go: queued or deferred with `not_before` reached, oldest first.
pub fn due(conn: &Connection, now: i64, limit: i64) -> Result<Vec<OutboundRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OUT_COLUMNS} FROM messages_out
         WHERE status IN ('queued', 'deferred') AND not_before <= ?1 ORDER BY not_before, id LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![now, limit], out_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Take a due message for sending: persist `sending` before any network call. False when
/// another worker took it first.
pub fn claim(conn: &WriteTx, id: i64, now: i64) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE messages_out SET status = 'sending', sending_at = ?2, attempts = attempts + 1, updated_at = ?2
         WHERE id = ?1 AND status IN ('queued', 'deferred')",
        params![id, now],
    )? == 1)
}

pub fn mark_sent(conn: &WriteTx, id: i64, provider_sid: &str, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE messages_out SET status = 'sent', provider_sid = ?2, sent_at = ?3, updated_at = ?3,
                error_code = NULL, error_message = NULL, blocked_code = NULL, blocked_reason = NULL
         WHERE id = ?1",
        params![id, provider_sid, now],
    )?;
    conn.execute_cached(
        "UPDATE leads SET last_outbound_at = max(coalesce(last_outbound_at, 0), ?2),
                status = CASE WHEN status = 'new' THEN 'contacted' ELSE status END
         WHERE id = (SELECT lead_id FROM messages_out WHERE id = ?1)",
        params![id, now],
    )?;
    Ok(())
}

/// Back in the queue for another try at `not_before` (a retryable failure).
pub fn requeue(conn: &WriteTx, id: i64, not_before: i64, code: &str, message: &str, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE messages_out SET status = 'queued', not_before = ?2, error_code = ?3, error_message = ?4, updated_at = ?5
         WHERE id = ?1",
        params![id, not_before, code, message, now],
    )?;
    Ok(())
}

pub fn mark_failed(conn: &WriteTx, id: i64, code: &str, message: &str, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE messages_out SET status = 'failed', error_code = ?2, error_message = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, code, message, now],
    )?;
    Ok(())
}

/// The outcome of a send is not known (a timeout after the request went out, or a crash).
pub fn mark_unknown(conn: &WriteTx, id: i64, code: &str, message: &str, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE messages_out SET status = 'unknown', error_code = ?2, error_message = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, code, message, now],
    )?;
    Ok(())
}

/// Record a gate decision that keeps the message from going now.
pub fn mark_held(
    conn: &WriteTx,
    id: i64,
    held: Held,
    not_before: Option<i64>,
    code: &str,
    reason: &str,
    now: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE messages_out SET status = ?2, not_before = coalesce(?3, not_before), deferred_until = ?3,
                blocked_code = ?4, blocked_reason = ?5, updated_at = ?6
         WHERE id = ?1",
        params![id, MessageStatus::from(held), not_before, code, reason, now],
    )?;
    Ok(())
}

/// Rows left `sending` since before `older_than` (their process died mid-send): mark them
/// `unknown` so they are never re-sent blindly. Returns how many.
pub fn mark_stale_sending(conn: &WriteTx, older_than: i64, now: i64) -> Result<usize> {
    Ok(conn.execute_cached(
        "UPDATE messages_out SET status = 'unknown', error_code = 'interrupted',
                error_message = 'the send was interrupted; it may or may not have reached the customer, so it is not retried automatically',
                updated_at = ?2
         WHERE status = 'sending' AND sending_at < ?1",
        params![older_than, now],
    )?)
}

/// Timed-out sends waiting to be reconciled with the provider.
pub fn unknown_to_reconcile(conn: &Connection, not_after: i64, limit: i64) -> Result<Vec<OutboundRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OUT_COLUMNS} FROM messages_out
         WHERE status = 'unknown' AND error_code = 'timeout' AND sending_at <= ?1 ORDER BY id LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![not_after, limit], out_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn sending_at(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row_cached("SELECT sending_at FROM messages_out WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// `MessageStatus::rank` of the `status` column, in SQL (built from the one in domain).
static STATUS_RANK: LazyLock<String> = LazyLock::new(|| {
    let whens: Vec<String> = MessageStatus::ALL
        .iter()
        .map(|s| format!("WHEN '{}' THEN {}", s.as_str(), s.rank()))
        .collect();
    format!("CASE status {} ELSE 0 END", whens.join(" "))
});

/// A provider status callback for one account's message. Statuses only move forward (callbacks
/// arrive out of order). The account is the one whose number the callback came from and whose
/// token signed it, so a callback can never touch another account's message, whatever SID it
/// names. Returns the message's (id, lead_id) if this account has a message with that SID.
pub fn apply_status(
    conn: &WriteTx,
    account_id: i64,
    provider_sid: &str,
    status: &str,
    error_code: Option<&str>,
    now: i64,
) -> Result<Option<(i64, i64)>> {
    // other statuses (queued, sending, ...) only tell us Twilio has it: nothing to record
    if let Some(new_status) = MessageStatus::from_twilio(status) {
        conn.execute_cached(
            &format!(
                "UPDATE messages_out SET status = ?3, error_code = coalesce(?4, error_code), updated_at = ?5,
                        delivered_at = CASE WHEN ?3 = 'delivered' THEN ?5 ELSE delivered_at END
                 WHERE account_id = ?1 AND provider_sid = ?2 AND {} < ?6",
                *STATUS_RANK
            ),
            params![account_id, provider_sid, new_status, error_code, now, new_status.rank()],
        )?;
    }
    Ok(conn
        .query_row_cached(
            "SELECT id, lead_id FROM messages_out WHERE account_id = ?1 AND provider_sid = ?2",
            params![account_id, provider_sid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

pub struct NewInbound<'a> {
    pub account_id: i64,
    pub lead_id: i64,
    pub provider_sid: &'a str,
    pub from_phone: &'a str,
    pub to_phone: &'a str,
    pub body: &'a str,
    pub keyword: Option<&'a str>,
    pub received_at: i64,
}

/// Store an inbound message; None when this MessageSid was stored before (a Twilio retry).
pub fn insert_in(conn: &WriteTx, m: &NewInbound) -> Result<Option<i64>> {
    let n = conn.execute_cached(
        "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, keyword, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (account_id, provider_sid) DO NOTHING",
        params![
            m.account_id,
            m.lead_id,
            m.provider_sid,
            m.from_phone,
            m.to_phone,
            m.body,
            m.keyword,
            m.received_at
        ],
    )?;
    if n == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    conn.execute_cached(
        "UPDATE leads SET last_inbound_at = max(coalesce(last_inbound_at, 0), ?2),
                status = CASE WHEN status IN ('new', 'contacted') THEN 'engaged' ELSE status END
         WHERE id = ?1",
        params![m.lead_id, m.received_at],
    )?;
    Ok(Some(id))
}

pub fn set_handled_as(conn: &WriteTx, message_in_id: i64, handled_as: &str) -> Result<()> {
    conn.execute_cached(
        "UPDATE messages_in SET handled_as = ?2 WHERE id = ?1",
        params![message_in_id, handled_as],
    )?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InboundRow {
    pub id: i64,
    pub lead_id: i64,
    pub body: String,
    pub keyword: Option<String>,
    pub handled_as: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub received_at: i64,
}

/// An inbound text that was recorded and read but whose drafted reply was never written (the
/// process stopped, or the write failed, between the two): `(account, message)`.
/// Only texts received in `[since, not_after]` are looked at: a reply drafted days later would
/// answer a conversation that has moved on.
pub fn undrafted(conn: &Connection, since: i64, not_after: i64, limit: i64) -> Result<Vec<(i64, InboundRow)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT account_id, id, lead_id, body, keyword, handled_as, received_at FROM messages_in
         WHERE handled_as IS NULL AND received_at BETWEEN ?1 AND ?2 ORDER BY received_at, id LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![since, not_after, limit], |r| {
            Ok((
                r.get(0)?,
                InboundRow {
                    id: r.get(1)?,
                    lead_id: r.get(2)?,
                    body: r.get(3)?,
                    keyword: r.get(4)?,
                    handled_as: r.get(5)?,
                    received_at: r.get(6)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn inbound_for_lead(conn: &Connection, lead_id: i64, limit: i64) -> Result<Vec<InboundRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, lead_id, body, keyword, handled_as, received_at FROM messages_in
         WHERE lead_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![lead_id, limit], |r| {
            Ok(InboundRow {
                id: r.get(0)?,
                lead_id: r.get(1)?,
                body: r.get(2)?,
                keyword: r.get(3)?,
                handled_as: r.get(4)?,
                received_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
