use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Default)]
pub struct NewVehicle {
    pub vin: Option<String>,
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub trim: Option<String>,
    pub last_odometer: Option<i64>,
    pub last_odometer_at: Option<i64>,
}

pub fn insert(conn: &Connection, account_id: i64, v: &NewVehicle, now: i64) -> Result<i64> {
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
    pub finance_type: Option<&'static str>,
    pub term_months: Option<i64>,
    pub monthly_payment_cents: Option<i64>,
}

pub fn insert_ownership(
    conn: &Connection,
    account_id: i64,
    o: &NewOwnership,
    now: i64,
) -> Result<i64> {
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
