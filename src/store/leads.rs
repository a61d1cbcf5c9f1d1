use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Default)]
pub struct NewLead {
    pub phone_e164: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub timezone: Option<String>,
    pub source: String,
    pub status: String,
    pub textable: bool,
    pub vehicle_interest: Option<String>,
}

pub fn insert(conn: &Connection, account_id: i64, l: &NewLead, now: i64) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO leads (account_id, phone_e164, email, first_name, last_name, city, state, postal_code,
                            timezone, source, status, textable, vehicle_interest, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    )?;
    stmt.execute(params![
        account_id,
        l.phone_e164,
        l.email,
        l.first_name,
        l.last_name,
        l.city,
        l.state,
        l.postal_code,
        l.timezone,
        l.source,
        l.status,
        l.textable,
        l.vehicle_interest,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Record an opt-out on the lead row (the consent event is written beside it by the caller).
pub fn set_opted_out(conn: &Connection, lead_id: i64, at: i64) -> Result<()> {
    conn.execute(
        "UPDATE leads SET opted_out = 1, opted_out_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![lead_id, at],
    )?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LeadRow {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub state: Option<String>,
    pub source: String,
    pub status: String,
    pub opted_out: bool,
    pub textable: bool,
    pub vehicle: Option<String>,
    pub created_at: i64,
}

/// One page of an account's leads, newest first, optionally filtered by a name/phone/email search.
pub fn page(
    conn: &Connection,
    account_id: i64,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<LeadRow>> {
    let pattern = search.map(|s| format!("%{}%", s.trim()));
    let mut stmt = conn.prepare(
        "SELECT l.id, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), l.phone_e164, l.email,
                l.state, l.source, l.status, l.opted_out, l.textable,
                (SELECT trim(coalesce(v.year, '') || ' ' || coalesce(v.make, '') || ' ' || coalesce(v.model, ''))
                   FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id
                  WHERE o.lead_id = l.id AND o.active = 1 ORDER BY o.purchased_at DESC LIMIT 1),
                l.created_at
         FROM leads l
         WHERE l.account_id = ?1
           AND (?2 IS NULL OR l.first_name LIKE ?2 OR l.last_name LIKE ?2 OR l.phone_e164 LIKE ?2 OR l.email LIKE ?2)
         ORDER BY l.created_at DESC, l.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    let rows = stmt
        .query_map(params![account_id, pattern, limit, offset], |r| {
            Ok(LeadRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                email: r.get(3)?,
                state: r.get(4)?,
                source: r.get(5)?,
                status: r.get(6)?,
                opted_out: r.get(7)?,
                textable: r.get(8)?,
                vehicle: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
