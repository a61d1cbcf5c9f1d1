//! The rollups kept by triggers (migrations/V16__rollups.sql): per account and unix hour,
//! outbound texts by purpose, status and gate code; inbound texts; consent changes; offers
//! decided and won, by offer and advisor; and whole-account totals. Pages read these instead
//! of counting tables. [`mismatches`] recounts them from the tables, for tests and support.

use super::Cached;
use crate::domain::compliance::Purpose;
use crate::domain::messages::MessageStatus;
use crate::domain::money::Cents;
use crate::domain::offers::OfferSendStatus;
use crate::error::Result;
use rusqlite::{params, Connection};

const TOTALS_SQL: &str = "SELECT leads, textable, opted_out, vehicles FROM account_totals WHERE account_id = ?1";
const OUT_SQL: &str = "SELECT purpose, status, blocked_code, sum(n) FROM rollup_messages_out
  WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3
  GROUP BY purpose, status, blocked_code HAVING sum(n) <> 0";
const REPLIES_SQL: &str =
    "SELECT coalesce(sum(n), 0) FROM rollup_messages_in WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3";
const OPT_OUTS_SQL: &str = "SELECT coalesce(sum(n), 0) FROM rollup_consent
  WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3 AND kind = 'opt_out'";
const OFFERS_SQL: &str = "SELECT kind, status, offer_id, advisor, sum(n), sum(cents) FROM rollup_offers
  WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3
  GROUP BY kind, status, offer_id, advisor HAVING sum(n) <> 0 OR sum(cents) <> 0";
const WON_SQL: &str = "SELECT hour, sum(n), sum(cents) FROM rollup_offers
  WHERE account_id = ?1 AND hour >= ?2 AND hour < ?3 AND kind = 'won'
  GROUP BY hour ORDER BY hour";

/// Whole-account totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    pub leads: i64,
    /// textable and not opted out
    pub textable: i64,
    pub opted_out: i64,
    pub vehicles: i64,
}

pub fn totals(conn: &Connection, account_id: i64) -> Result<Totals> {
    let found = conn.query_row_cached(TOTALS_SQL, [account_id], |r| {
        Ok(Totals {
            leads: r.get(0)?,
            textable: r.get(1)?,
            opted_out: r.get(2)?,
            vehicles: r.get(3)?,
        })
    });
    match found {
        Ok(t) => Ok(t),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(Totals::default()),
        Err(e) => Err(e.into()),
    }
}

/// Outbound texts created in an hour range, by purpose, status and gate code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutCount {
    pub purpose: Purpose,
    pub status: MessageStatus,
    /// the gate's code for a held or blocked text ("" for none)
    pub blocked_code: String,
    pub n: i64,
}

/// `hours` is `[from, to)` in unix hours.
pub fn messages_out(conn: &Connection, account_id: i64, hours: (i64, i64)) -> Result<Vec<OutCount>> {
    let mut stmt = conn.prepare_cached(OUT_SQL)?;
    let rows = stmt.query_map(params![account_id, hours.0, hours.1], |r| {
        Ok(OutCount {
            purpose: r.get(0)?,
            status: r.get(1)?,
            blocked_code: r.get(2)?,
            n: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inbound texts received in an hour range.
pub fn replies(conn: &Connection, account_id: i64, hours: (i64, i64)) -> Result<i64> {
    Ok(conn.query_row_cached(REPLIES_SQL, params![account_id, hours.0, hours.1], |r| r.get(0))?)
}

/// Opt-outs recorded in an hour range.
pub fn opt_outs(conn: &Connection, account_id: i64, hours: (i64, i64)) -> Result<i64> {
    Ok(conn.query_row_cached(OPT_OUTS_SQL, params![account_id, hours.0, hours.1], |r| r.get(0))?)
}

/// Upsell offers in an hour range: decided (by status) and won (accepted, not held out, by
/// the hour of the outcome), per offer and advisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferCount {
    /// `None` for an offer that was won (won rows have no status)
    pub status: Option<OfferSendStatus>,
    pub offer_id: Option<i64>,
    pub advisor: String,
    pub n: i64,
    pub cents: Cents,
}

pub fn offers(conn: &Connection, account_id: i64, hours: (i64, i64)) -> Result<Vec<OfferCount>> {
    let mut stmt = conn.prepare_cached(OFFERS_SQL)?;
    let rows = stmt.query_map(params![account_id, hours.0, hours.1], |r| {
        let kind: String = r.get(0)?;
        let offer_id: i64 = r.get(2)?;
        Ok(OfferCount {
            status: if kind == "sent" { Some(r.get(1)?) } else { None },
            offer_id: (offer_id != 0).then_some(offer_id),
            advisor: r.get(3)?,
            n: r.get(4)?,
            cents: Cents::new(r.get(5)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Offers won and the revenue they earned, per unix hour in `[from, to)` (for a trend).
pub fn won_by_hour(conn: &Connection, account_id: i64, hours: (i64, i64)) -> Result<Vec<(i64, i64, Cents)>> {
    let mut stmt = conn.prepare_cached(WON_SQL)?;
    let rows = stmt.query_map(params![account_id, hours.0, hours.1], |r| {
        Ok((r.get(0)?, r.get(1)?, Cents::new(r.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The query plans of the reads above, for the test that each seeks its account's hours.
pub fn explain(conn: &Connection) -> Result<Vec<(&'static str, String)>> {
    let reads: [(&str, &str, usize); 7] = [
        ("totals", TOTALS_SQL, 1),
        ("messages_out", OUT_SQL, 3),
        ("replies", REPLIES_SQL, 3),
        ("opt_outs", OPT_OUTS_SQL, 3),
        ("offers", OFFERS_SQL, 3),
        ("won", WON_SQL, 3),
        ("held", super::message_list::NEXT_RELEASE_SQL, 3),
    ];
    let mut out = Vec::new();
    for (name, sql, n) in reads {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let steps = stmt
            .query_map(rusqlite::params_from_iter(vec![1i64; n]), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push((name, steps.join("; ")));
    }
    Ok(out)
}

/// Where a rollup differs from a recount of its table (empty when every one agrees). Reads
/// whole tables: for tests and `forecourt` support, never a page.
pub fn mismatches(conn: &Connection) -> Result<Vec<String>> {
    let checks: [(&str, &str, &str); 5] = [
        (
            "outbound texts",
            "SELECT account_id, hour, purpose, status, blocked_code, sum(n) FROM rollup_messages_out
              GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0",
            "SELECT account_id, created_at / 3600, purpose, status, coalesce(blocked_code, ''), count(*)
               FROM messages_out GROUP BY 1, 2, 3, 4, 5",
        ),
        (
            "inbound texts",
            "SELECT account_id, hour, n FROM rollup_messages_in WHERE n <> 0",
            "SELECT account_id, received_at / 3600, count(*) FROM messages_in GROUP BY 1, 2",
        ),
        (
            "consent",
            "SELECT account_id, hour, kind, n FROM rollup_consent WHERE n <> 0",
            "SELECT account_id, created_at / 3600, kind, count(*) FROM consent_events GROUP BY 1, 2, 3",
        ),
        (
            "offers",
            "SELECT account_id, hour, kind, status, offer_id, advisor, n, cents FROM rollup_offers
              WHERE n <> 0 OR cents <> 0",
            "SELECT o.account_id, o.created_at / 3600, 'sent', o.status, coalesce(o.offer_id, 0),
                    coalesce(e.advisor, ''), count(*), 0
               FROM offer_sends o LEFT JOIN service_events e ON e.id = o.service_event_id GROUP BY 1, 2, 3, 4, 5, 6
             UNION ALL
             SELECT o.account_id, o.outcome_at / 3600, 'won', '', coalesce(o.offer_id, 0), coalesce(e.advisor, ''),
                    count(*), sum(o.revenue_attributed_cents)
               FROM offer_sends o LEFT JOIN service_events e ON e.id = o.service_event_id
              WHERE o.accepted = 1 AND o.status <> 'held_out' AND o.outcome_at IS NOT NULL
              GROUP BY 1, 2, 3, 4, 5, 6",
        ),
        (
            "account totals",
            "SELECT account_id, leads, textable, opted_out, vehicles FROM account_totals
              WHERE leads <> 0 OR vehicles <> 0",
            "SELECT a.id,
                    (SELECT count(*) FROM leads WHERE account_id = a.id),
                    (SELECT count(*) FROM leads WHERE account_id = a.id AND textable = 1 AND opted_out = 0),
                    (SELECT count(*) FROM leads WHERE account_id = a.id AND opted_out = 1),
                    (SELECT count(*) FROM vehicles WHERE account_id = a.id)
               FROM accounts a
              WHERE EXISTS (SELECT 1 FROM leads WHERE account_id = a.id)
                 OR EXISTS (SELECT 1 FROM vehicles WHERE account_id = a.id)",
        ),
    ];
    let mut out = Vec::new();
    for (name, kept, recount) in checks {
        let rows = |sql: &str| -> Result<std::collections::BTreeSet<String>> {
            let mut stmt = conn.prepare(sql)?;
            let n = stmt.column_count();
            let rows = stmt.query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| v.join("|"))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let (kept, counted) = (rows(kept)?, rows(recount)?);
        for row in kept.symmetric_difference(&counted).take(5) {
            let side = if kept.contains(row) {
                "kept only"
            } else {
                "counted only"
            };
            out.push(format!("{name}: {side}: {row}"));
        }
    }
    Ok(out)
}
