//! What the recompute reads: an account's owners in batches of customers (keyset by lead id),
//! each batch in four set-based reads (ownerships with vehicle and customer, visits, surveyed
//! facts, recent replies), each a range read of an index that starts with the lead id.
//!
//! **As of a day.** Every read takes `as_of` (unix seconds) and keeps only what was known then,
//! so that a backtest can score the store as it was at a past date with the same code:
//! - ownerships that had started (`purchased_at`, else when we recorded it) and had not ended
//!   (`active`, or `ended_at` after `as_of`);
//! - visits opened (else closed) on or before `as_of`;
//! - facts observed on or before `as_of` (`conv_facts` keeps only the latest value of each: a
//!   fact re-answered after `as_of` is unknown then, not its older value);
//! - replies received in the 30 days up to `as_of`;
//! - opted out if the opt-out came on or before `as_of`; a lead that came in on or before.
//!
//! Not dated, so read as they are now: the vehicle's model year and `leads.vehicle_interest`.
//!
//! `+account_id` keeps the planner on the lead-id indexes (the account's time indexes would
//! read every row of the account for each batch).

use chrono::{DateTime, NaiveDate};
use rusqlite::{params, Connection};

use crate::domain::customer::FinanceType;
use crate::domain::money::Cents;
use crate::domain::visit::ServiceLine;
use crate::domain::watchlist::RECENT_INTEREST_DAYS;
use crate::domain::watchlist::{BatchRecords, FactRecord, OwnershipRecord, ReplyRecord, VisitRecord};
use crate::error::Result;

/// The lead ids of one batch: `after < lead_id <= upto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadRange {
    pub after: i64,
    pub upto: i64,
}

/// An ownership active at `as_of` (as the module documentation says).
const ACTIVE_AT: &str = "coalesce(o.purchased_at, o.created_at) <= :as_of AND (o.active = 1 OR o.ended_at > :as_of)";

/// The next batch of at most `limit` customers with an ownership active at `as_of`, after the
/// lead id `after`; None when there are no more.
pub fn next_range(conn: &Connection, account_id: i64, after: i64, as_of: i64, limit: i64) -> Result<Option<LeadRange>> {
    let sql = format!(
        "SELECT max(lead_id) FROM (SELECT DISTINCT o.lead_id FROM ownerships o
         WHERE o.account_id = :account AND o.lead_id > :after AND {ACTIVE_AT}
         ORDER BY o.lead_id LIMIT :limit)"
    );
    let upto: Option<i64> = conn.prepare_cached(&sql)?.query_row(
        rusqlite::named_params! {":account": account_id, ":after": after, ":as_of": as_of, ":limit": limit},
        |r| r.get(0),
    )?;
    Ok(upto.map(|upto| LeadRange { after, upto }))
}

/// Everything the scorer reads for the customers in `range`, as of `as_of`.
pub fn batch(conn: &Connection, account_id: i64, range: LeadRange, as_of: i64) -> Result<BatchRecords> {
    Ok(BatchRecords {
        owners: owners(conn, account_id, range, as_of)?,
        visits: visits(conn, account_id, range, as_of)?,
        facts: facts(conn, account_id, range, as_of)?,
        replies: replies(conn, account_id, range, as_of)?,
    })
}

fn day(t: i64) -> NaiveDate {
    DateTime::from_timestamp(t, 0).unwrap_or_default().date_naive()
}

fn owners(conn: &Connection, account_id: i64, range: LeadRange, as_of: i64) -> Result<Vec<OwnershipRecord>> {
    // lease miles per year and new/used come from the sale that opened the ownership: the
    // customer's latest deal for that vehicle known at `as_of` (deals_lead_sold)
    let sql = format!(
        "SELECT o.id, o.lead_id, o.vehicle_id, o.finance_type, o.purchased_at, o.term_months, o.monthly_payment_cents,
                (SELECT d.lease_miles_per_year FROM deals d
                  WHERE d.lead_id = o.lead_id AND d.vehicle_id = o.vehicle_id AND d.sold_at <= :as_of
                  ORDER BY d.sold_at DESC LIMIT 1) AS lease_miles_per_year,
                (SELECT d.condition = 'new' FROM deals d
                  WHERE d.lead_id = o.lead_id AND d.vehicle_id = o.vehicle_id AND d.sold_at <= :as_of
                  ORDER BY d.sold_at DESC LIMIT 1) AS bought_new,
                v.year, l.opted_out = 1 AND coalesce(l.opted_out_at, 0) <= :as_of,
                coalesce(trim(l.vehicle_interest), '') <> '',
                CASE WHEN l.last_lead_at <= :as_of THEN l.last_lead_at
                     WHEN l.source <> 'dms' AND l.created_at <= :as_of THEN l.created_at END
         FROM ownerships o
         JOIN vehicles v ON v.id = o.vehicle_id
         JOIN leads l ON l.id = o.lead_id
         WHERE o.account_id = :account AND o.lead_id > :after AND o.lead_id <= :upto AND {ACTIVE_AT}
         ORDER BY o.lead_id, o.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(
            rusqlite::named_params! {":account": account_id, ":after": range.after, ":upto": range.upto, ":as_of": as_of},
            |r| {
                let finance: Option<String> = r.get(3)?;
                Ok(OwnershipRecord {
                    ownership_id: r.get(0)?,
                    lead_id: r.get(1)?,
                    vehicle_id: r.get(2)?,
                    finance: finance.as_deref().and_then(FinanceType::parse),
                    start: r.get::<_, Option<i64>>(4)?.map(day),
                    term_months: r.get::<_, Option<u32>>(5)?,
                    monthly_payment: r.get::<_, Option<i64>>(6)?.map(Cents::new),
                    lease_miles_per_year: r.get(7)?,
                    bought_new: r.get(8)?,
                    model_year: r.get(9)?,
                    opted_out: r.get(10)?,
                    vehicle_interest: r.get(11)?,
                    last_lead: r.get::<_, Option<i64>>(12)?.map(day),
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn visits(conn: &Connection, account_id: i64, range: LeadRange, as_of: i64) -> Result<Vec<VisitRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.lead_id, e.vehicle_id, coalesce(e.opened_at, e.closed_at), e.mileage,
                CASE WHEN e.kind = 'repair_order' THEN e.total_cents END,
                CASE WHEN instr(e.services_json, '\"declined\"') > 0 THEN e.services_json END
         FROM service_events e
         WHERE e.lead_id > ?2 AND e.lead_id <= ?3 AND +e.account_id = ?1
           AND coalesce(e.opened_at, e.closed_at) <= ?4",
    )?;
    let rows = stmt
        .query_map(params![account_id, range.after, range.upto, as_of], |r| {
            let lines: Option<String> = r.get(5)?;
            Ok(VisitRecord {
                lead_id: r.get(0)?,
                vehicle_id: r.get(1)?,
                on: day(r.get(2)?),
                mileage: r.get::<_, Option<i64>>(3)?.and_then(|m| u32::try_from(m).ok()),
                repair: r.get::<_, Option<i64>>(4)?.map(Cents::new),
                lines: lines
                    .and_then(|j| serde_json::from_str::<Vec<ServiceLine>>(&j).ok())
                    .unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn facts(conn: &Connection, account_id: i64, range: LeadRange, as_of: i64) -> Result<Vec<FactRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.lead_id, f.key, f.value, f.observed_at FROM conv_facts f
         WHERE f.lead_id > ?2 AND f.lead_id <= ?3 AND +f.account_id = ?1
           AND f.key IN ('purchase_timeframe', 'trade_in_interest', 'mileage') AND f.observed_at <= ?4",
    )?;
    let rows = stmt
        .query_map(params![account_id, range.after, range.upto, as_of], |r| {
            Ok(FactRecord {
                lead_id: r.get(0)?,
                key: r.get(1)?,
                value: r.get(2)?,
                on: day(r.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn replies(conn: &Connection, account_id: i64, range: LeadRange, as_of: i64) -> Result<Vec<ReplyRecord>> {
    let since = as_of - (RECENT_INTEREST_DAYS + 1) * 86_400;
    let mut stmt = conn.prepare_cached(
        "SELECT m.lead_id, m.received_at, m.body FROM messages_in m
         WHERE m.lead_id > ?2 AND m.lead_id <= ?3 AND +m.account_id = ?1
           AND m.received_at > ?5 AND m.received_at <= ?4 AND m.keyword IS NULL",
    )?;
    let rows = stmt
        .query_map(params![account_id, range.after, range.upto, as_of, since], |r| {
            Ok(ReplyRecord {
                lead_id: r.get(0)?,
                on: day(r.get(1)?),
                body: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One plain read of the same ownership rows the recompute reads (the bench's baseline): how
/// many there are.
pub fn scan_count(conn: &Connection, account_id: i64, as_of: i64) -> Result<i64> {
    let sql = format!(
        "SELECT count(*), sum(v.year), sum(l.opted_out) FROM ownerships o
         JOIN vehicles v ON v.id = o.vehicle_id JOIN leads l ON l.id = o.lead_id
         WHERE o.account_id = :account AND {ACTIVE_AT}"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(rusqlite::named_params! {":account": account_id, ":as_of": as_of}, |r| {
            r.get(0)
        })?)
}
