use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone)]
pub struct NewOffer {
    pub name: String,
    pub body_template: String,
    pub rule_json: String,
    pub op_codes_json: String,
    pub price_cents: Option<i64>,
    pub value_cents: i64,
    pub priority: i64,
    pub reply_window_hours: i64,
    pub attribution_window_days: i64,
}

pub fn insert(conn: &Connection, account_id: i64, o: &NewOffer, now: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO offers (account_id, name, body_template, rule_json, op_codes_json, price_cents, value_cents,
                             priority, reply_window_hours, attribution_window_days, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?11)",
        params![
            account_id,
            o.name,
            o.body_template,
            o.rule_json,
            o.op_codes_json,
            o.price_cents,
            o.value_cents,
            o.priority,
            o.reply_window_hours,
            o.attribution_window_days,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OfferSummary {
    pub id: i64,
    pub name: String,
    pub price_cents: Option<i64>,
    pub priority: i64,
    pub active: bool,
    pub sends: i64,
    pub accepted: i64,
    pub revenue_cents: i64,
}

/// The account's offers with how often each was sent, taken, and what it earned.
pub fn summaries(conn: &Connection, account_id: i64) -> Result<Vec<OfferSummary>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.name, o.price_cents, o.priority, o.active,
                count(s.id) FILTER (WHERE s.status = 'sent'),
                count(s.id) FILTER (WHERE s.accepted = 1),
                coalesce(sum(s.revenue_attributed_cents), 0)
         FROM offers o LEFT JOIN offer_sends s ON s.offer_id = o.id
         WHERE o.account_id = ?1
         GROUP BY o.id ORDER BY o.active DESC, o.priority DESC, o.name",
    )?;
    let rows = stmt
        .query_map([account_id], |r| {
            Ok(OfferSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                price_cents: r.get(2)?,
                priority: r.get(3)?,
                active: r.get(4)?,
                sends: r.get(5)?,
                accepted: r.get(6)?,
                revenue_cents: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
