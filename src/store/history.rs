//! Recording conversation history that already happened elsewhere: the demo's year of past
//! texts (and, later, a dealership's history brought over from a previous texting vendor).
//! Nothing here sends anything: every row written here describes the past. New outbound
//! texts come to exist only through `messaging::outbox`.

use super::Cached;
use crate::db::WriteTx;
use crate::domain::money::Cents;
use crate::error::Result;
use rusqlite::params;

pub struct PastOutbound<'a> {
    pub lead_id: i64,
    pub purpose: &'a str,
    pub body: &'a str,
    pub to_phone: &'a str,
    pub status: &'a str,
    pub sent_at: i64,
    pub provider_sid: &'a str,
}

pub fn record_outbound(conn: &WriteTx, account_id: i64, m: &PastOutbound) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, provider_sid,
                                   attempts, created_by, created_at, updated_at, sending_at, sent_at, delivered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, 'history', ?7, ?7, ?7, ?7,
                 CASE WHEN ?6 = 'delivered' THEN ?7 END)",
    )?;
    stmt.execute(params![
        account_id,
        m.lead_id,
        m.purpose,
        m.body,
        m.to_phone,
        m.status,
        m.sent_at,
        m.provider_sid
    ])?;
    conn.execute_cached(
        "UPDATE leads SET last_outbound_at = max(coalesce(last_outbound_at, 0), ?2) WHERE id = ?1",
        params![m.lead_id, m.sent_at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub struct PastInbound<'a> {
    pub lead_id: i64,
    pub provider_sid: &'a str,
    pub from_phone: &'a str,
    pub to_phone: &'a str,
    pub body: &'a str,
    pub keyword: Option<&'a str>,
    pub handled_as: &'a str,
    pub received_at: i64,
}

pub fn record_inbound(conn: &WriteTx, account_id: i64, m: &PastInbound) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, keyword, handled_as, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![
        account_id,
        m.lead_id,
        m.provider_sid,
        m.from_phone,
        m.to_phone,
        m.body,
        m.keyword,
        m.handled_as,
        m.received_at
    ])?;
    conn.execute_cached(
        "UPDATE leads SET last_inbound_at = max(coalesce(last_inbound_at, 0), ?2) WHERE id = ?1",
        params![m.lead_id, m.received_at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub struct PastOfferSend<'a> {
    pub offer_id: i64,
    pub service_event_id: i64,
    pub lead_id: i64,
    pub phase: &'a str,
    pub message_out_id: Option<i64>,
    pub status: &'a str,
    pub accepted: Option<bool>,
    pub accepted_via: Option<&'a str>,
    pub revenue_cents: Cents,
    pub at: i64,
}

pub fn record_offer_send(conn: &WriteTx, account_id: i64, s: &PastOfferSend) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO offer_sends (account_id, offer_id, service_event_id, lead_id, phase, message_out_id, status,
                                  accepted, accepted_via, outcome_at, revenue_attributed_cents, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?8 IS NOT NULL THEN ?10 END, ?11, ?10, ?10)",
    )?;
    stmt.execute(params![
        account_id,
        s.offer_id,
        s.service_event_id,
        s.lead_id,
        s.phase,
        s.message_out_id,
        s.status,
        s.accepted,
        s.accepted_via,
        s.at,
        s.revenue_cents
    ])?;
    Ok(conn.last_insert_rowid())
}

pub struct PastFact<'a> {
    pub lead_id: i64,
    pub key: &'a str,
    pub value: &'a str,
    pub confidence: f64,
    pub source: &'a str,
    pub at: i64,
}

pub fn record_fact(conn: &WriteTx, account_id: i64, f: &PastFact) -> Result<()> {
    conn.execute_cached(
        "INSERT INTO conv_facts (account_id, lead_id, key, value, confidence, source, observed_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT (lead_id, key) DO UPDATE SET value = excluded.value, confidence = excluded.confidence,
             source = excluded.source, observed_at = excluded.observed_at, updated_at = excluded.updated_at",
        params![account_id, f.lead_id, f.key, f.value, f.confidence, f.source, f.at],
    )?;
    Ok(())
}

/// A survey question put to a customer in the past, and how it ended (`answered`, `unparsed`,
/// `expired`, or still `asked`).
pub struct PastQuestion<'a> {
    pub lead_id: i64,
    pub question_policy_id: i64,
    pub fact_key: &'a str,
    pub message_out_id: i64,
    pub status: &'a str,
    pub answer_message_id: Option<i64>,
    pub parsed_value: Option<&'a str>,
    pub asked_at: i64,
    pub answered_at: Option<i64>,
}

pub fn record_question(conn: &WriteTx, account_id: i64, q: &PastQuestion) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO question_history (account_id, lead_id, question_policy_id, fact_key, message_out_id,
                                       answer_message_id, status, parsed_value, asked_at, answered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            account_id,
            q.lead_id,
            q.question_policy_id,
            q.fact_key,
            q.message_out_id,
            q.answer_message_id,
            q.status,
            q.parsed_value,
            q.asked_at,
            q.answered_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
