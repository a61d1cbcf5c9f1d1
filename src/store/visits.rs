//! Service events as the upsell engine sees them: which visits are due for a phase (read
//! through partial indexes that hold only unhandled phases), the markers that say a phase was
//! handled, and a visit's history for the offer rules.

use super::service_events::lines_at;
use crate::db::WriteTx;
use crate::domain::offers::Phase;
use crate::domain::visit::{ServiceEventKind, ServiceLine};
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The column that marks a phase handled on `service_events`.
fn done_column(phase: Phase) -> &'static str {
    match phase {
        Phase::TMinus48h => "t_minus_48h_done_at",
        Phase::RoOpen => "ro_open_done_at",
        Phase::TPlus24h => "t_plus_24h_done_at",
    }
}

/// A visit whose phase has come.
#[derive(Debug, Clone)]
pub struct DueVisit {
    pub id: i64,
    pub account_id: i64,
    pub lead_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub advisor: Option<String>,
    pub mileage: Option<i64>,
}

/// Visits not yet handled for `phase` whose phase time (scheduled, opened or closed) lies
/// in `(after, up_to]`, oldest first. Each query reads a range of the phase's partial index
/// (V5), so it costs what is due, not what is stored.
fn due_sql(phase: Phase) -> &'static str {
    match phase {
        // before the appointment, and the RO has not opened yet
        Phase::TMinus48h => {
            "SELECT id, account_id, lead_id, vehicle_id, scheduled_at, opened_at, closed_at, advisor, mileage
             FROM service_events
             WHERE t_minus_48h_done_at IS NULL AND scheduled_at > ?1 AND scheduled_at <= ?2
               AND (opened_at IS NULL OR opened_at > ?3)
             ORDER BY scheduled_at LIMIT ?4"
        }
        // opened, and not closed as of now
        Phase::RoOpen => {
            "SELECT id, account_id, lead_id, vehicle_id, scheduled_at, opened_at, closed_at, advisor, mileage
             FROM service_events
             WHERE ro_open_done_at IS NULL AND opened_at > ?1 AND opened_at <= ?2
               AND (closed_at IS NULL OR closed_at > ?3)
             ORDER BY opened_at LIMIT ?4"
        }
        Phase::TPlus24h => {
            "SELECT id, account_id, lead_id, vehicle_id, scheduled_at, opened_at, closed_at, advisor, mileage
             FROM service_events
             WHERE t_plus_24h_done_at IS NULL AND closed_at > ?1 AND closed_at <= ?2 AND closed_at <= ?3
             ORDER BY closed_at LIMIT ?4"
        }
    }
}

pub fn due(conn: &Connection, phase: Phase, after: i64, up_to: i64, now: i64, limit: i64) -> Result<Vec<DueVisit>> {
    let sql = due_sql(phase);
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params![after, up_to, now, limit], |r| {
            Ok(DueVisit {
                id: r.get(0)?,
                account_id: r.get(1)?,
                lead_id: r.get(2)?,
                vehicle_id: r.get(3)?,
                scheduled_at: r.get(4)?,
                opened_at: r.get(5)?,
                closed_at: r.get(6)?,
                advisor: r.get(7)?,
                mileage: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The query plan of a phase's due scan (for the test that it reads its partial index).
pub fn explain_due(conn: &Connection, phase: Phase) -> Result<String> {
    let sql = format!("EXPLAIN QUERY PLAN {}", due_sql(phase));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![0, 0, 0, 0], |r| r.get::<_, String>(3))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.join("; "))
}

/// Mark the phase handled for the visit; false if it already was.
pub fn mark_done(conn: &WriteTx, service_event_id: i64, phase: Phase, now: i64) -> Result<bool> {
    let col = done_column(phase);
    let sql = format!("UPDATE service_events SET {col} = ?2 WHERE id = ?1 AND {col} IS NULL");
    Ok(conn.prepare_cached(&sql)?.execute(params![service_event_id, now])? == 1)
}

/// One past visit of the same vehicle or customer: its lines and when it happened.
#[derive(Debug, Clone)]
pub struct PastVisit {
    pub id: i64,
    pub kind: ServiceEventKind,
    pub at: i64,
    pub services: Vec<ServiceLine>,
}

/// What a visit says for crediting lines: its customer, kind, when it opened (else closed
/// or was scheduled), and its lines.
pub struct VisitLines {
    pub lead_id: Option<i64>,
    pub kind: ServiceEventKind,
    pub at: i64,
    pub services: Vec<ServiceLine>,
}

pub fn visit_lines(conn: &Connection, account_id: i64, id: i64) -> Result<Option<VisitLines>> {
    Ok(conn
        .prepare_cached(
            "SELECT lead_id, kind, coalesce(opened_at, closed_at, scheduled_at), services_json FROM service_events
             WHERE id = ?1 AND +account_id = ?2",
        )?
        .query_row(params![id, account_id], |r| {
            Ok(VisitLines {
                lead_id: r.get(0)?,
                kind: r.get(1)?,
                at: r.get(2)?,
                services: lines_at(r, 3, id)?,
            })
        })
        .optional()?)
}

/// Visits of this vehicle or this customer up to `now`, newest first, back to `since` —
/// and the visit `visit_id` itself, whenever it is (an appointment is in the future).
/// A visit's history: the visit itself, and the customer's and the vehicle's visits in a time
/// range, each read through its own index. Every `account_id` beside a narrower key is written
/// `+account_id`, which keeps the planner off the account-wide indexes: with no statistics (a
/// new box, right after its first import), or statistics of tiny tables, it would otherwise
/// read every visit of the account for each due visit.
pub(crate) const HISTORY_SQL: &str = "SELECT id, kind, at, services_json FROM (
    SELECT id, kind, coalesce(closed_at, opened_at, scheduled_at) AS at, services_json FROM service_events
     WHERE id = ?6 AND +account_id = ?1
    UNION
    SELECT id, kind, coalesce(closed_at, opened_at, scheduled_at), services_json FROM service_events
     WHERE lead_id = ?2 AND +account_id = ?1 AND coalesce(closed_at, opened_at, scheduled_at) BETWEEN ?4 AND ?5
    UNION
    SELECT id, kind, coalesce(closed_at, opened_at, scheduled_at), services_json FROM service_events
     WHERE vehicle_id = ?3 AND +account_id = ?1 AND coalesce(closed_at, opened_at, scheduled_at) BETWEEN ?4 AND ?5
) ORDER BY at DESC, id DESC LIMIT 200";

pub fn history(
    conn: &Connection,
    account_id: i64,
    visit_id: i64,
    lead_id: i64,
    vehicle_id: Option<i64>,
    since: i64,
    now: i64,
) -> Result<Vec<PastVisit>> {
    let mut stmt = conn.prepare_cached(HISTORY_SQL)?;
    let rows = stmt
        .query_map(params![account_id, lead_id, vehicle_id, since, now, visit_id], |r| {
            let id = r.get(0)?;
            Ok(PastVisit {
                id,
                kind: r.get(1)?,
                at: r.get(2)?,
                services: lines_at(r, 3, id)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
