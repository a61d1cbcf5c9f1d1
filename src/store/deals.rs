//! `deals`: sales from the DMS's deal export, one per (account, deal number). What the watchlist
//! scores from and what its backtest counts as "bought".

use super::Cached;
use crate::db::WriteTx;
use crate::domain::deal::{Apr, Condition, SaleType};
use crate::domain::money::Cents;
use crate::domain::vin::Vin;
use crate::error::Result;
use crate::store::service_events::Upserted;
use rusqlite::{params, Connection, OptionalExtension};

/// A deal as the import stores it.
pub struct ImportedDeal<'a> {
    pub deal_number: &'a str,
    pub lead_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    pub vin: Option<&'a Vin>,
    pub sold_at: i64,
    pub condition: Option<Condition>,
    pub sale_type: Option<SaleType>,
    pub term_months: Option<i64>,
    pub monthly_payment: Option<Cents>,
    pub apr: Option<Apr>,
    pub lease_miles_per_year: Option<i64>,
    pub lender: Option<&'a str>,
    pub amount_financed: Option<Cents>,
    pub trade_vin: Option<&'a Vin>,
    pub trade_vehicle_id: Option<i64>,
    pub trade_payoff: Option<Cents>,
    pub source: &'a str,
    /// of the mapped row: the same row imported again is recognised as unchanged
    pub content_hash: &'a str,
}

const IMPORTED_SQL: &str = "SELECT id, content_hash FROM deals WHERE account_id = ?1 AND deal_number = ?2";

/// The account's deal with this number as the import last stored it: (id, content hash).
pub fn imported(conn: &Connection, account_id: i64, deal_number: &str) -> Result<Option<(i64, Option<String>)>> {
    Ok(conn
        .query_row_cached(IMPORTED_SQL, params![account_id, deal_number], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The content hash of the deal with this number: `None` if there is no such deal, `Some(None)`
/// if it was stored without one.
pub fn imported_hash(conn: &Connection, account_id: i64, deal_number: &str) -> Result<Option<Option<String>>> {
    Ok(imported(conn, account_id, deal_number)?.map(|(_, h)| h))
}

/// Insert the deal, or update the one with the same number: values a later export brings
/// replace older ones, blanks never erase what is known. The same content again is `Unchanged`.
pub fn upsert_imported(conn: &WriteTx, account_id: i64, d: &ImportedDeal, now: i64) -> Result<Upserted> {
    match imported(conn, account_id, d.deal_number)? {
        Some((id, Some(hash))) if hash == d.content_hash => Ok(Upserted::Unchanged(id)),
        Some((id, _)) => {
            conn.execute_cached(
                "UPDATE deals SET lead_id = coalesce(?3, lead_id), vehicle_id = coalesce(?4, vehicle_id),
                    vin = coalesce(?5, vin), sold_at = ?6, condition = coalesce(?7, condition),
                    sale_type = coalesce(?8, sale_type), term_months = coalesce(?9, term_months),
                    monthly_payment_cents = coalesce(?10, monthly_payment_cents), apr_bps = coalesce(?11, apr_bps),
                    lease_miles_per_year = coalesce(?12, lease_miles_per_year), lender = coalesce(?13, lender),
                    amount_financed_cents = coalesce(?14, amount_financed_cents), trade_vin = coalesce(?15, trade_vin),
                    trade_vehicle_id = coalesce(?16, trade_vehicle_id),
                    trade_payoff_cents = coalesce(?17, trade_payoff_cents), content_hash = ?18, updated_at = ?19
                 WHERE id = ?1 AND account_id = ?2",
                params![
                    id,
                    account_id,
                    d.lead_id,
                    d.vehicle_id,
                    d.vin,
                    d.sold_at,
                    d.condition,
                    d.sale_type,
                    d.term_months,
                    d.monthly_payment,
                    d.apr.map(Apr::bps),
                    d.lease_miles_per_year,
                    d.lender,
                    d.amount_financed,
                    d.trade_vin,
                    d.trade_vehicle_id,
                    d.trade_payoff,
                    d.content_hash,
                    now
                ],
            )?;
            Ok(Upserted::Updated(id))
        }
        None => {
            conn.execute_cached(
                "INSERT INTO deals (account_id, deal_number, lead_id, vehicle_id, vin, sold_at, condition, sale_type,
                                    term_months, monthly_payment_cents, apr_bps, lease_miles_per_year, lender,
                                    amount_financed_cents, trade_vin, trade_vehicle_id, trade_payoff_cents, source,
                                    content_hash, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20)",
                params![
                    account_id,
                    d.deal_number,
                    d.lead_id,
                    d.vehicle_id,
                    d.vin,
                    d.sold_at,
                    d.condition,
                    d.sale_type,
                    d.term_months,
                    d.monthly_payment,
                    d.apr.map(Apr::bps),
                    d.lease_miles_per_year,
                    d.lender,
                    d.amount_financed,
                    d.trade_vin,
                    d.trade_vehicle_id,
                    d.trade_payoff,
                    d.source,
                    d.content_hash,
                    now
                ],
            )?;
            Ok(Upserted::Created(conn.last_insert_rowid()))
        }
    }
}

/// A stored deal, as scoring and the backtest read it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Deal {
    pub id: i64,
    pub deal_number: String,
    pub lead_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    pub vin: Option<Vin>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub sold_at: i64,
    pub condition: Option<Condition>,
    pub sale_type: Option<SaleType>,
    pub term_months: Option<i64>,
    pub monthly_payment_cents: Option<Cents>,
    pub apr: Option<Apr>,
    pub lease_miles_per_year: Option<i64>,
    pub lender: Option<String>,
    pub amount_financed_cents: Option<Cents>,
    pub trade_vin: Option<Vin>,
    pub trade_vehicle_id: Option<i64>,
    pub trade_payoff_cents: Option<Cents>,
}

const COLUMNS: &str = "id, deal_number, lead_id, vehicle_id, vin, sold_at, condition, sale_type, term_months,
    monthly_payment_cents, apr_bps, lease_miles_per_year, lender, amount_financed_cents, trade_vin,
    trade_vehicle_id, trade_payoff_cents";

fn deal(r: &rusqlite::Row) -> rusqlite::Result<Deal> {
    Ok(Deal {
        id: r.get(0)?,
        deal_number: r.get(1)?,
        lead_id: r.get(2)?,
        vehicle_id: r.get(3)?,
        vin: r.get(4)?,
        sold_at: r.get(5)?,
        condition: r.get(6)?,
        sale_type: r.get(7)?,
        term_months: r.get(8)?,
        monthly_payment_cents: r.get(9)?,
        apr: r.get::<_, Option<i64>>(10)?.and_then(Apr::from_bps),
        lease_miles_per_year: r.get(11)?,
        lender: r.get(12)?,
        amount_financed_cents: r.get(13)?,
        trade_vin: r.get(14)?,
        trade_vehicle_id: r.get(15)?,
        trade_payoff_cents: r.get(16)?,
    })
}

/// The account's deal with this number.
pub fn get_by_number(conn: &Connection, account_id: i64, deal_number: &str) -> Result<Option<Deal>> {
    let sql = format!("SELECT {COLUMNS} FROM deals WHERE account_id = ?1 AND deal_number = ?2");
    Ok(conn
        .query_row_cached(&sql, params![account_id, deal_number], deal)
        .optional()?)
}

/// The lead's deals sold at or after `since` (unix seconds), oldest first: "did they buy after
/// this date?" for the watchlist's backtest. (Index `deals_lead_sold`.)
pub fn for_lead_since(conn: &Connection, account_id: i64, lead_id: i64, since: i64) -> Result<Vec<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals WHERE lead_id = ?2 AND sold_at >= ?3 AND account_id = ?1 ORDER BY sold_at, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account_id, lead_id, since], deal)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The account's deals sold in `[from, to)` (unix seconds), oldest first, at most `limit`.
/// (Index `deals_account_sold`.)
pub fn sold_between(conn: &Connection, account_id: i64, from: i64, to: i64, limit: i64) -> Result<Vec<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals WHERE account_id = ?1 AND sold_at >= ?2 AND sold_at < ?3
         ORDER BY sold_at, id LIMIT ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account_id, from, to, limit], deal)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lead's latest deal sold before `before` (unix seconds): what they bought last, and how.
pub fn latest_for_lead_before(conn: &Connection, account_id: i64, lead_id: i64, before: i64) -> Result<Option<Deal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM deals WHERE lead_id = ?2 AND sold_at < ?3 AND account_id = ?1
         ORDER BY sold_at DESC, id DESC LIMIT 1"
    );
    Ok(conn
        .query_row_cached(&sql, params![account_id, lead_id, before], deal)
        .optional()?)
}

/// Each of the account's customers' first purchase after `after` (unix seconds), in one
/// set-based read: (lead id, sold_at of their first deal). The backtest's "who bought, and
/// when". (Index `deals_account_sold`.)
pub fn first_per_lead_after(conn: &Connection, account_id: i64, after: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT lead_id, min(sold_at) FROM deals
         WHERE account_id = ?1 AND sold_at > ?2 AND lead_id IS NOT NULL GROUP BY lead_id",
    )?;
    let rows = stmt.query_map(params![account_id, after], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the account's first deal was sold (unix seconds), if any: how far its history reaches back.
pub fn first_sold_at(conn: &Connection, account_id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row_cached(
        "SELECT min(sold_at) FROM deals WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?)
}
