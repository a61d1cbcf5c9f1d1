//! The messages list (`/messages`): outbound texts newest first, filtered by outcome, purpose,
//! gate code and dates, a page at a time by keyset (created_at, id), through the indexes
//! `messages_out_account_status`, `messages_out_account_purpose` and
//! `messages_out_account_created`.

use super::Cached;
use crate::domain::compliance::Purpose;
use crate::domain::messages::{MessageStatus, Outcome};
use crate::error::Result;
use rusqlite::types::Value;
use rusqlite::Connection;

/// The list's filters. `from`/`to` are unix seconds, `[from, to)`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub outcome: Option<Outcome>,
    pub purpose: Option<Purpose>,
    /// the gate's code of a held or blocked text
    pub reason: Option<String>,
    pub from: i64,
    pub to: i64,
}

/// One outbound text in the list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub id: i64,
    pub lead_id: i64,
    pub name: String,
    pub to_phone: String,
    pub purpose: Purpose,
    pub status: MessageStatus,
    pub blocked_code: Option<String>,
    pub error_code: Option<String>,
    pub deferred_until: Option<i64>,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// A page of texts older than `before` (`(created_at, id)` of the last row of the page before).
pub fn page(
    conn: &Connection,
    account_id: i64,
    f: &Filter,
    before: Option<(i64, i64)>,
    limit: i64,
) -> Result<Vec<Listed>> {
    let (sql, args) = page_sql(account_id, f, before, limit);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok(Listed {
            id: r.get(0)?,
            lead_id: r.get(1)?,
            name: r.get(2)?,
            to_phone: r.get(3)?,
            purpose: r.get(4)?,
            status: r.get(5)?,
            blocked_code: r.get(6)?,
            error_code: r.get(7)?,
            deferred_until: r.get(8)?,
            body: r.get(9)?,
            created_at: r.get(10)?,
            sent_at: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The query plan of a page with these filters, for the test that every filter reads by index.
pub fn explain_page(conn: &Connection, f: &Filter, before: Option<(i64, i64)>) -> Result<String> {
    let (sql, args) = page_sql(1, f, before, 50);
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let steps = stmt
        .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(steps.join("; "))
}

fn page_sql(account_id: i64, f: &Filter, before: Option<(i64, i64)>, limit: i64) -> (String, Vec<Value>) {
    // the index each filter walks: a rare outcome seeks its statuses (few rows, then sorted);
    // a purpose alone reads its own index in date order; everything else reads by date
    let index = match (f.outcome, f.purpose) {
        (Some(o), _) if !o.is_common() => "messages_out_account_status",
        (None, Some(_)) => "messages_out_account_purpose",
        _ => "messages_out_account_created",
    };
    let mut sql = format!(
        "SELECT m.id, m.lead_id, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), m.to_phone,
                m.purpose, m.status, m.blocked_code, m.error_code, m.deferred_until, m.body, m.created_at, m.sent_at
           FROM messages_out m INDEXED BY {index} JOIN leads l ON l.id = m.lead_id
          WHERE m.account_id = ?1 AND m.created_at >= ?2 AND m.created_at < ?3"
    );
    let mut args: Vec<Value> = vec![account_id.into(), f.from.into(), f.to.into()];
    if let Some(outcome) = f.outcome {
        // the common outcomes read by date and filter; a rare one seeks its statuses
        let column = if outcome.is_common() { "+m.status" } else { "m.status" };
        let marks: Vec<String> = outcome
            .statuses()
            .iter()
            .map(|s| {
                args.push(s.as_str().to_string().into());
                format!("?{}", args.len())
            })
            .collect();
        sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
    }
    if let Some(p) = f.purpose {
        args.push(p.as_str().to_string().into());
        sql.push_str(&format!(" AND m.purpose = ?{}", args.len()));
    }
    if let Some(code) = &f.reason {
        args.push(code.clone().into());
        sql.push_str(&format!(" AND m.blocked_code = ?{}", args.len()));
    }
    if let Some((at, id)) = before {
        args.push(at.into());
        args.push(id.into());
        sql.push_str(&format!(
            " AND (m.created_at < ?{} OR (m.created_at = ?{} AND m.id < ?{}))",
            args.len() - 1,
            args.len() - 1,
            args.len()
        ));
    }
    args.push(limit.into());
    sql.push_str(&format!(" ORDER BY m.created_at DESC, m.id DESC LIMIT ?{}", args.len()));
    (sql, args)
}

pub(super) const NEXT_RELEASE_SQL: &str = "SELECT min(deferred_until) FROM messages_out
  WHERE account_id = ?1 AND status = 'deferred' AND created_at >= ?2 AND created_at < ?3";

/// The earliest moment a text created in `[from, to)` and held now may go.
pub fn next_release(conn: &Connection, account_id: i64, from: i64, to: i64) -> Result<Option<i64>> {
    Ok(conn.query_row_cached(NEXT_RELEASE_SQL, rusqlite::params![account_id, from, to], |r| r.get(0))?)
}

/// When the account's last inbound text arrived (Twilio's last webhook that carried one).
pub fn last_inbound_at(conn: &Connection, account_id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row_cached(
        "SELECT max(received_at) FROM messages_in WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?)
}
