//! The numbers on the dashboard's cards, for one account.

use super::Cached;
use crate::domain::money::Cents;
use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Counts {
    pub leads: i64,
    pub textable_leads: i64,
    pub opted_out: i64,
    pub vehicles: i64,
    pub service_events_30d: i64,
    pub open_ros: i64,
    pub messages_sent_7d: i64,
    pub replies_7d: i64,
    pub offers_active: i64,
    pub offers_accepted_30d: i64,
    pub revenue_30d_cents: Cents,
}

pub fn counts(conn: &Connection, account_id: i64, now: i64) -> Result<Counts> {
    let d30 = now - 30 * 86_400;
    let d7 = now - 7 * 86_400;
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
        conn.query_row_cached(sql, p, |r| r.get(0))
    };
    Ok(Counts {
        leads: one("SELECT count(*) FROM leads WHERE account_id = ?1", params![account_id])?,
        textable_leads: one(
            "SELECT count(*) FROM leads WHERE account_id = ?1 AND textable = 1 AND opted_out = 0",
            params![account_id],
        )?,
        opted_out: one("SELECT count(*) FROM leads WHERE account_id = ?1 AND opted_out = 1", params![account_id])?,
        vehicles: one("SELECT count(*) FROM vehicles WHERE account_id = ?1", params![account_id])?,
        service_events_30d: one(
            "SELECT count(*) FROM service_events WHERE account_id = ?1 AND opened_at >= ?2 AND opened_at <= ?3",
            params![account_id, d30, now],
        )?,
        open_ros: one(
            "SELECT count(*) FROM service_events WHERE account_id = ?1 AND opened_at IS NOT NULL
               AND opened_at <= ?2 AND opened_at >= ?3 AND closed_at IS NULL",
            params![account_id, now, d30],
        )?,
        messages_sent_7d: one(
            "SELECT count(*) FROM messages_out WHERE account_id = ?1 AND created_at >= ?2 AND created_at <= ?3
               AND status IN ('sent', 'delivered')",
            params![account_id, d7, now],
        )?,
        replies_7d: one(
            "SELECT count(*) FROM messages_in WHERE account_id = ?1 AND received_at >= ?2 AND received_at <= ?3",
            params![account_id, d7, now],
        )?,
        offers_active: one("SELECT count(*) FROM offers WHERE account_id = ?1 AND active = 1", params![account_id])?,
        offers_accepted_30d: one(
            "SELECT count(*) FROM offer_sends WHERE account_id = ?1 AND accepted = 1 AND outcome_at >= ?2 AND outcome_at <= ?3
               AND status <> 'held_out'",
            params![account_id, d30, now],
        )?,
        revenue_30d_cents: Cents::new(one(
            "SELECT coalesce(sum(revenue_attributed_cents), 0) FROM offer_sends
              WHERE account_id = ?1 AND accepted = 1 AND outcome_at >= ?2 AND outcome_at <= ?3
                AND status <> 'held_out'",
            params![account_id, d30, now],
        )?),
    })
}

/// Rows per table, for the Settings page and health checks.
pub fn table_sizes(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut names = conn.prepare_cached(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name <> 'refinery_schema_history' ORDER BY name",
    )?;
    let names = names
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        // table names come from sqlite_master, not from input
        let n: i64 = conn.query_row_cached(&format!("SELECT count(*) FROM \"{name}\""), [], |r| r.get(0))?;
        out.push((name, n));
    }
    Ok(out)
}
