use super::Cached;
use crate::db::WriteTx;
use crate::domain::customer::FinanceType;
use crate::domain::offers::VehicleFacts;
use crate::domain::vin::Vin;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, Default)]
pub struct NewVehicle {
    pub vin: Option<Vin>,
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub trim: Option<String>,
    pub last_odometer: Option<i64>,
    pub last_odometer_at: Option<i64>,
}

pub fn insert(conn: &WriteTx, account_id: i64, v: &NewVehicle, now: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO vehicles (account_id, vin, year, make, model, trim, last_odometer, last_odometer_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?;
    stmt.execute(params![
        account_id,
        v.vin,
        v.year,
        v.make,
        v.model,
        v.trim,
        v.last_odometer,
        v.last_odometer_at,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, Clone, Default)]
pub struct NewOwnership {
    pub lead_id: i64,
    pub vehicle_id: i64,
    pub purchased_at: Option<i64>,
    pub finance_type: Option<FinanceType>,
    pub term_months: Option<i64>,
    pub monthly_payment_cents: Option<i64>,
}

pub fn insert_ownership(conn: &WriteTx, account_id: i64, o: &NewOwnership, now: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO ownerships (account_id, lead_id, vehicle_id, purchased_at, finance_type, term_months,
                                 monthly_payment_cents, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8)",
    )?;
    stmt.execute(params![
        account_id,
        o.lead_id,
        o.vehicle_id,
        o.purchased_at,
        o.finance_type,
        o.term_months,
        o.monthly_payment_cents,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// When the lead last bought a vehicle from this account: the latest known `purchased_at` of any of their
/// ownerships, current or ended (None: no purchase date is known).
pub fn last_purchased_at(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row_cached(
        "SELECT max(purchased_at) FROM ownerships WHERE account_id = ?1 AND lead_id = ?2",
        params![account_id, lead_id],
        |r| r.get(0),
    )?)
}

/// The account's vehicle with this VIN, created if new; known fields are filled, never blanked.
/// A row the values would not change (`updated_at` included) is not rewritten: an import meets
/// the same vehicle on every visit, and rewriting an unchanged row still dirties its page.
pub fn upsert_by_vin(conn: &WriteTx, account_id: i64, v: &NewVehicle, now: i64) -> Result<i64> {
    Ok(upsert_by_vin_odometer(conn, account_id, v, now)?.id)
}

/// The vehicle's id and odometer as [`upsert_by_vin`] left them (its `updated_at` is then `now`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpsertedVin {
    pub id: i64,
    pub last_odometer: Option<i64>,
    pub last_odometer_at: Option<i64>,
}

/// [`upsert_by_vin`], also returning the odometer the row holds afterwards: what the import
/// needs to know whether the next reading for this VIN would move it.
pub fn upsert_by_vin_odometer(conn: &WriteTx, account_id: i64, v: &NewVehicle, now: i64) -> Result<UpsertedVin> {
    use rusqlite::OptionalExtension;
    let vin = v
        .vin
        .as_deref()
        .ok_or_else(|| crate::error::Error::internal("upsert_by_vin needs a VIN"))?;
    let upserted = |r: &rusqlite::Row| {
        Ok(UpsertedVin {
            id: r.get(0)?,
            last_odometer: r.get(1)?,
            last_odometer_at: r.get(2)?,
        })
    };
    // the odometer moves only with a reading at least as recent as the one known
    let written: Option<UpsertedVin> = conn.query_row_cached("INSERT INTO vehicles (account_id, vin, year, make, model, trim, last_odometer, last_odometer_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (account_id, vin) DO UPDATE SET
             year = coalesce(excluded.year, year), make = coalesce(excluded.make, make),
             model = coalesce(excluded.model, model), trim = coalesce(excluded.trim, trim),
             last_odometer = CASE WHEN excluded.last_odometer IS NOT NULL
                                   AND coalesce(excluded.last_odometer_at, 0) >= coalesce(last_odometer_at, 0)
                                  THEN excluded.last_odometer ELSE last_odometer END,
             last_odometer_at = CASE WHEN excluded.last_odometer IS NOT NULL
                                   AND coalesce(excluded.last_odometer_at, 0) >= coalesce(last_odometer_at, 0)
                                  THEN excluded.last_odometer_at ELSE last_odometer_at END,
             updated_at = excluded.updated_at
         WHERE year IS NOT coalesce(excluded.year, year) OR make IS NOT coalesce(excluded.make, make)
            OR model IS NOT coalesce(excluded.model, model) OR trim IS NOT coalesce(excluded.trim, trim)
            OR (excluded.last_odometer IS NOT NULL
                AND coalesce(excluded.last_odometer_at, 0) >= coalesce(last_odometer_at, 0)
                AND (last_odometer IS NOT excluded.last_odometer OR last_odometer_at IS NOT excluded.last_odometer_at))
            OR updated_at IS NOT excluded.updated_at
         RETURNING id, last_odometer, last_odometer_at",
        params![account_id, vin, v.year, v.make, v.model, v.trim, v.last_odometer, v.last_odometer_at, now],
        upserted,
    )
    .optional()?;
    match written {
        Some(u) => Ok(u),
        // already there as it is
        None => Ok(conn.query_row_cached(
            "SELECT id, last_odometer, last_odometer_at FROM vehicles WHERE account_id = ?1 AND vin = ?2",
            params![account_id, vin],
            upserted,
        )?),
    }
}

/// Make `o.lead_id` the vehicle's current owner: an existing active ownership by the same lead
/// is updated with what is new (and left alone when nothing is); one by someone else is closed
/// (the car changed hands).
pub fn ensure_ownership(conn: &WriteTx, account_id: i64, o: &NewOwnership, now: i64) -> Result<i64> {
    use rusqlite::OptionalExtension;
    let current: Option<(i64, i64)> = conn
        .query_row_cached(CURRENT_OWNER_SQL, [o.vehicle_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match current {
        Some((id, lead)) if lead == o.lead_id => {
            conn.execute_cached("UPDATE ownerships SET purchased_at = coalesce(?2, purchased_at), finance_type = coalesce(?3, finance_type),
                        term_months = coalesce(?4, term_months), monthly_payment_cents = coalesce(?5, monthly_payment_cents),
                        updated_at = ?6
                 WHERE id = ?1
                   AND (purchased_at IS NOT coalesce(?2, purchased_at) OR finance_type IS NOT coalesce(?3, finance_type)
                        OR term_months IS NOT coalesce(?4, term_months)
                        OR monthly_payment_cents IS NOT coalesce(?5, monthly_payment_cents) OR updated_at IS NOT ?6)",
                params![id, o.purchased_at, o.finance_type, o.term_months, o.monthly_payment_cents, now],
            )?;
            Ok(id)
        }
        Some((id, _)) => {
            conn.execute_cached(
                "UPDATE ownerships SET active = 0, ended_at = ?2, updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            insert_ownership(conn, account_id, o, now)
        }
        None => insert_ownership(conn, account_id, o, now),
    }
}

/// A vehicle's current ownership (id, owner).
pub(crate) const CURRENT_OWNER_SQL: &str = "SELECT id, lead_id FROM ownerships WHERE vehicle_id = ?1 AND active = 1";

/// The vehicle as selection sees it: make, model, year, its recorded odometer.
pub fn facts(conn: &rusqlite::Connection, account_id: i64, vehicle_id: i64) -> Result<Option<VehicleFacts>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT make, model, year, last_odometer FROM vehicles WHERE id = ?1 AND +account_id = ?2")?
        .query_row(params![vehicle_id, account_id], |r| {
            Ok(VehicleFacts {
                make: r.get(0)?,
                model: r.get(1)?,
                year: r.get(2)?,
                mileage: r.get(3)?,
            })
        })
        .optional()?)
}

/// The customer's current vehicle in words ("2019 Honda Accord"), the newest of their active
/// ownerships; None when none is known.
pub fn current_for_lead(conn: &rusqlite::Connection, account_id: i64, lead_id: i64) -> Result<Option<String>> {
    let row: Option<(Option<i64>, Option<String>, Option<String>)> = conn
        .query_row_cached(
            "SELECT v.year, v.make, v.model FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id
             WHERE o.lead_id = ?2 AND o.active = 1 AND o.account_id = ?1 ORDER BY o.id DESC LIMIT 1",
            rusqlite::params![account_id, lead_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.and_then(|(year, make, model)| {
        let words: Vec<String> = [year.map(|y| y.to_string()), make, model]
            .into_iter()
            .flatten()
            .map(|w| crate::domain::offers::title_case(&w))
            .filter(|w| !w.is_empty())
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    }))
}

/// A deal's buyer becomes the vehicle's owner from `o.purchased_at` (the sold date):
/// - an ownership of this buyer bought that day is that deal's: its terms are updated;
/// - an active ownership by the buyer with another or no purchase date (a service visit recorded
///   it first) is this purchase: it takes the sold date and the terms;
/// - an active ownership by someone else is ended on the sold date and the buyer's begins;
/// - but when that owner bought it later than this deal (an older export imported after a newer
///   one), the buyer's ownership is recorded as history, ended when the next owner bought it.
pub fn take_ownership_at(conn: &WriteTx, account_id: i64, o: &NewOwnership, now: i64) -> Result<i64> {
    let same: Option<i64> = conn
        .query_row_cached(
            "SELECT id FROM ownerships WHERE vehicle_id = ?1 AND lead_id = ?2 AND purchased_at IS ?3
             ORDER BY active DESC, id DESC LIMIT 1",
            params![o.vehicle_id, o.lead_id, o.purchased_at],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = same {
        conn.execute_cached(
            "UPDATE ownerships SET finance_type = coalesce(?2, finance_type), term_months = coalesce(?3, term_months),
                    monthly_payment_cents = coalesce(?4, monthly_payment_cents), updated_at = ?5
             WHERE id = ?1 AND (finance_type IS NOT coalesce(?2, finance_type) OR term_months IS NOT coalesce(?3, term_months)
                    OR monthly_payment_cents IS NOT coalesce(?4, monthly_payment_cents))",
            params![id, o.finance_type, o.term_months, o.monthly_payment_cents, now],
        )?;
        return Ok(id);
    }
    let current: Option<(i64, i64, Option<i64>)> = conn
        .query_row_cached(
            "SELECT id, lead_id, purchased_at FROM ownerships WHERE vehicle_id = ?1 AND active = 1",
            [o.vehicle_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match current {
        Some((_, _, Some(later))) if o.purchased_at.is_some_and(|at| later > at) => {
            conn.execute_cached(
                "INSERT INTO ownerships (account_id, lead_id, vehicle_id, purchased_at, finance_type, term_months,
                                         monthly_payment_cents, active, ended_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?9)",
                params![
                    account_id,
                    o.lead_id,
                    o.vehicle_id,
                    o.purchased_at,
                    o.finance_type,
                    o.term_months,
                    o.monthly_payment_cents,
                    later,
                    now
                ],
            )?;
            Ok(conn.last_insert_rowid())
        }
        // the buyer was already on record as its owner (a service visit came in before the
        // deal did): that ownership is this purchase
        Some((id, lead, _)) if lead == o.lead_id => {
            conn.execute_cached(
                "UPDATE ownerships SET purchased_at = coalesce(?2, purchased_at), finance_type = coalesce(?3, finance_type),
                        term_months = coalesce(?4, term_months),
                        monthly_payment_cents = coalesce(?5, monthly_payment_cents), updated_at = ?6
                 WHERE id = ?1",
                params![id, o.purchased_at, o.finance_type, o.term_months, o.monthly_payment_cents, now],
            )?;
            Ok(id)
        }
        Some((id, _, _)) => {
            let ended = o.purchased_at.unwrap_or(now);
            conn.execute_cached(
                "UPDATE ownerships SET active = 0, ended_at = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, ended, now],
            )?;
            insert_ownership(conn, account_id, o, now)
        }
        None => insert_ownership(conn, account_id, o, now),
    }
}

/// A vehicle traded in on `at`: its active ownership ends then (unless it began later: the
/// vehicle was sold on since). When it has no ownership by `trader` at all, one is recorded as
/// history, ended on `at`, so that the trade-in is known as theirs.
pub fn end_ownership_at(
    conn: &WriteTx,
    account_id: i64,
    vehicle_id: i64,
    trader: Option<i64>,
    at: i64,
    now: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE ownerships SET active = 0, ended_at = ?2, updated_at = ?3
         WHERE vehicle_id = ?1 AND active = 1 AND coalesce(purchased_at, 0) <= ?2",
        params![vehicle_id, at, now],
    )?;
    if let Some(lead_id) = trader {
        conn.execute_cached(
            "INSERT INTO ownerships (account_id, lead_id, vehicle_id, active, ended_at, created_at, updated_at)
             SELECT ?1, ?2, ?3, 0, ?4, ?5, ?5
             WHERE NOT EXISTS (SELECT 1 FROM ownerships WHERE vehicle_id = ?3 AND lead_id = ?2)",
            params![account_id, lead_id, vehicle_id, at, now],
        )?;
    }
    Ok(())
}

/// One ownership of a vehicle, as history reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnershipSpan {
    pub lead_id: i64,
    pub purchased_at: Option<i64>,
    pub active: bool,
    pub ended_at: Option<i64>,
}

/// The vehicle's ownerships, newest first: who owned it, from when and until when.
pub fn ownerships_of(conn: &Connection, account_id: i64, vehicle_id: i64) -> Result<Vec<OwnershipSpan>> {
    let mut stmt = conn.prepare_cached(
        "SELECT lead_id, purchased_at, active, ended_at FROM ownerships
         WHERE vehicle_id = ?1 AND account_id = ?2 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![vehicle_id, account_id], |r| {
        Ok(OwnershipSpan {
            lead_id: r.get(0)?,
            purchased_at: r.get(1)?,
            active: r.get::<_, i64>(2)? == 1,
            ended_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
