//! Opt-in/opt-out history and the suppression list that outlives leads.

use super::Cached;
use crate::db::WriteTx;
use crate::domain::consent::{ConsentSource, ReviewDecision};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

pub fn record(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    kind: &str,
    source: ConsentSource,
    message_in_id: Option<i64>,
    at: i64,
) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO consent_events (account_id, lead_id, kind, source, message_in_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![account_id, lead_id, kind, source, message_in_id, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Opt a lead out: the lead row, the suppression list and the history, together.
pub fn opt_out(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    source: ConsentSource,
    message_in_id: Option<i64>,
    at: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET opted_out = 1, opted_out_at = ?2, updated_at = ?2 WHERE id = ?1 AND opted_out = 0",
        params![lead_id, at],
    )?;
    conn.execute_cached(
        "INSERT INTO suppressions (account_id, phone_e164, source, created_at)
         SELECT account_id, phone_e164, ?2, ?3 FROM leads WHERE id = ?1 AND phone_e164 IS NOT NULL
         ON CONFLICT (account_id, phone_e164) DO NOTHING",
        params![lead_id, source.for_suppression(), at],
    )?;
    record(conn, account_id, lead_id, "opt_out", source, message_in_id, at)?;
    // texts still waiting for them are stopped now, not at the drain's next look: the lists
    // and the dashboard say so at once (the confirmation of this opt-out is not one of them)
    conn.execute_cached(
        "UPDATE messages_out SET status = 'blocked', blocked_code = 'opted_out',
                blocked_reason = 'the customer opted out before it was sent', updated_at = ?2
          WHERE lead_id = ?1 AND status IN ('queued', 'deferred') AND opt_out_confirmation = 0",
        params![lead_id, at],
    )?;
    Ok(())
}

/// Opt a lead back in (they texted START).
pub fn opt_in(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    source: ConsentSource,
    message_in_id: Option<i64>,
    at: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET opted_out = 0, opted_out_at = NULL, updated_at = ?2 WHERE id = ?1",
        params![lead_id, at],
    )?;
    conn.execute_cached(
        "DELETE FROM suppressions WHERE account_id = ?1 AND phone_e164 = (SELECT phone_e164 FROM leads WHERE id = ?2)",
        params![account_id, lead_id],
    )?;
    record(conn, account_id, lead_id, "opt_in", source, message_in_id, at)?;
    Ok(())
}

pub fn is_suppressed(conn: &Connection, account_id: i64, phone_e164: &str) -> Result<bool> {
    Ok(conn
        .query_row_cached(
            "SELECT 1 FROM suppressions WHERE account_id = ?1 AND phone_e164 = ?2",
            params![account_id, phone_e164],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentEvent {
    pub kind: String,
    pub source: ConsentSource,
    pub message_in_id: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub at: i64,
}

pub fn history(conn: &Connection, lead_id: i64) -> Result<Vec<ConsentEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, source, message_in_id, created_at FROM consent_events WHERE lead_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([lead_id], |r| {
            Ok(ConsentEvent {
                kind: r.get(0)?,
                source: r.get(1)?,
                message_in_id: r.get(2)?,
                at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A text that may have revoked consent, waiting for a rep (or decided).
#[derive(Debug, Clone, serde::Serialize)]
pub struct OptOutReview {
    pub id: i64,
    pub lead_id: i64,
    pub message_in_id: Option<i64>,
    /// the customer's words
    pub body: String,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    pub decision: Option<ReviewDecision>,
    pub decided_by: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub decided_at: Option<i64>,
}

const REVIEW_COLUMNS: &str = "id, lead_id, message_in_id, body, created_at, decision, decided_by, decided_at";

fn review_from_row(r: &rusqlite::Row) -> rusqlite::Result<OptOutReview> {
    Ok(OptOutReview {
        id: r.get(0)?,
        lead_id: r.get(1)?,
        message_in_id: r.get(2)?,
        body: r.get(3)?,
        created_at: r.get(4)?,
        decision: r.get(5)?,
        decided_by: r.get(6)?,
        decided_at: r.get(7)?,
    })
}

/// Open a review of `body` for the lead, unless one is open already (then that one stands: the
/// rep reads the conversation). Returns whether a new one was opened.
pub fn start_review(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    message_in_id: Option<i64>,
    body: &str,
    at: i64,
) -> Result<bool> {
    Ok(conn.execute_cached(
        "INSERT INTO opt_out_reviews (account_id, lead_id, message_in_id, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (lead_id) WHERE decided_at IS NULL DO NOTHING",
        params![account_id, lead_id, message_in_id, body, at],
    )? == 1)
}

/// The lead's open review, if any (the gate's question: one indexed look-up).
pub fn open_review(conn: &Connection, lead_id: i64) -> Result<Option<OptOutReview>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {REVIEW_COLUMNS} FROM opt_out_reviews WHERE lead_id = ?1 AND decided_at IS NULL"),
            [lead_id],
            review_from_row,
        )
        .optional()?)
}

/// The account's open reviews, oldest first.
pub fn open_reviews(conn: &Connection, account_id: i64, limit: i64) -> Result<Vec<OptOutReview>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} FROM opt_out_reviews WHERE account_id = ?1 AND decided_at IS NULL
         ORDER BY created_at, id LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![account_id, limit], review_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Close the lead's open review with `decision` (and nothing else); `None` when none is open.
pub fn close_review(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    decision: ReviewDecision,
    decided_by: &str,
    at: i64,
) -> Result<Option<OptOutReview>> {
    Ok(conn
        .query_row_cached(
            &format!(
                "UPDATE opt_out_reviews SET decision = ?3, decided_by = ?4, decided_at = ?5
                 WHERE account_id = ?1 AND lead_id = ?2 AND decided_at IS NULL RETURNING {REVIEW_COLUMNS}"
            ),
            params![account_id, lead_id, decision, decided_by, at],
            review_from_row,
        )
        .optional()?)
}

/// A rep decides the lead's open review; `None` when none is open. Opted out: the opt-out is
/// recorded (source manual, linked to the text) in the same transaction.
pub fn decide_review(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    decision: ReviewDecision,
    decided_by: &str,
    at: i64,
) -> Result<Option<OptOutReview>> {
    let Some(review) = close_review(conn, account_id, lead_id, decision, decided_by, at)? else {
        return Ok(None);
    };
    if decision == ReviewDecision::OptedOut {
        opt_out(
            conn,
            account_id,
            lead_id,
            ConsentSource::Manual,
            review.message_in_id,
            at,
        )?;
    }
    Ok(Some(review))
}
