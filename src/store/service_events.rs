use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone)]
pub struct NewServiceEvent {
    pub external_id: String,
    pub kind: &'static str,
    pub lead_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub advisor: Option<String>,
    pub mileage: Option<i64>,
    pub services_json: String,
    pub labor_cents: Option<i64>,
    pub parts_cents: Option<i64>,
    pub total_cents: Option<i64>,
    pub source: &'static str,
}

pub fn insert(conn: &Connection, account_id: i64, e: &NewServiceEvent, now: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, scheduled_at, opened_at,
                                     closed_at, advisor, mileage, services_json, labor_cents, parts_cents,
                                     total_cents, source, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
    )?;
    stmt.execute(params![
        account_id,
        e.external_id,
        e.kind,
        e.lead_id,
        e.vehicle_id,
        e.scheduled_at,
        e.opened_at,
        e.closed_at,
        e.advisor,
        e.mileage,
        e.services_json,
        e.labor_cents,
        e.parts_cents,
        e.total_cents,
        e.source,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}
