//! Generated data for `forecourt bench`: whole tables written by SQL in one statement each,
//! so millions of rows take seconds, not the import's path. Never used by the product.

use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection};

/// `leads` customers, each with one vehicle, and `events` closed repair orders spread over
/// the three years before `now` (none later than ten days ago, so none is due). Their phase
/// markers are left empty — the worst case for the due-scan indexes, as after importing a
/// DMS's whole history.
pub fn history(conn: &WriteTx, account_id: i64, leads: i64, events: i64, now: i64) -> Result<()> {
    let first_lead: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM leads", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO leads (account_id, phone_e164, first_name, last_name, state, source, status, textable,
                            created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, printf('+1512%07d', 2000000 + i), 'ANA', 'LOPEZ' || i, 'TX', 'dms', 'customer', 1, ?3, ?3 FROM n",
        params![account_id, leads, now - 4 * 365 * 86_400],
    )?;
    let first_vehicle: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM vehicles", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO vehicles (account_id, year, make, model, last_odometer, last_odometer_at, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, 2012 + i % 14, 'HONDA', CASE i % 3 WHEN 0 THEN 'ACCORD' WHEN 1 THEN 'CIVIC' ELSE 'CR-V' END,
                10000 + (i * 7919) % 120000, ?3, ?3, ?3 FROM n",
        params![account_id, leads, now - 30 * 86_400],
    )?;
    conn.execute(
        "INSERT INTO ownerships (account_id, lead_id, vehicle_id, active, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, ?3 + i, ?4 + i, 1, ?5, ?5 FROM n",
        params![account_id, leads, first_lead, first_vehicle, now - 4 * 365 * 86_400],
    )?;
    conn.execute(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, opened_at, closed_at, advisor,
                                     mileage, services_json, total_cents, source, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, 'H' || i, 'repair_order', ?3 + i % ?4, ?5 + i % ?4,
                ?6 - (10 + (i * 37) % 1085) * 86400, ?6 - (10 + (i * 37) % 1085) * 86400 + 4 * 3600,
                'SMITH, JOHN', 20000 + i % 90000,
                CASE i % 4 WHEN 0 THEN '[{\"op_code\":\"LOF\",\"amount_cents\":7995,\"status\":\"performed\"}]'
                           WHEN 1 THEN '[{\"op_code\":\"ROT\",\"amount_cents\":2995,\"status\":\"performed\"}]'
                           WHEN 2 THEN '[{\"op_code\":\"BRKPAD\",\"amount_cents\":24995,\"status\":\"declined\"}]'
                           ELSE '[]' END,
                7995, 'bench', ?6, ?6
         FROM n",
        params![account_id, events, first_lead, leads, first_vehicle, now],
    )?;
    Ok(())
}

/// `count` appointments 36 hours from `now` for the first `count` customers: each is due for
/// its 48-hour text.
pub fn due_appointments(conn: &WriteTx, account_id: i64, count: i64, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, scheduled_at, advisor,
                                     services_json, source, created_at, updated_at)
         SELECT l.account_id, 'DUE' || l.id, 'appointment', l.id, o.vehicle_id, ?3 + 36 * 3600, 'SMITH, JOHN', '[]',
                'bench', ?3, ?3
         FROM leads l JOIN ownerships o ON o.lead_id = l.id AND o.active = 1
         WHERE l.account_id = ?1 ORDER BY l.id LIMIT ?2",
        params![account_id, count, now],
    )?;
    Ok(())
}

/// Undo a bench tick, so the next one starts from the same state: the due visits' sends,
/// texts and markers.
pub fn reset_due(conn: &WriteTx, account_id: i64) -> Result<()> {
    conn.execute("DELETE FROM offer_sends WHERE account_id = ?1", [account_id])?;
    conn.execute("DELETE FROM messages_out WHERE account_id = ?1", [account_id])?;
    conn.execute(
        "UPDATE service_events SET t_minus_48h_done_at = NULL WHERE account_id = ?1 AND external_id LIKE 'DUE%'",
        [account_id],
    )?;
    Ok(())
}

/// Planner statistics for the generated tables, as the maintenance job would gather them.
pub fn analyze(conn: &WriteTx) -> Result<()> {
    conn.execute_batch("ANALYZE; PRAGMA optimize;")?;
    Ok(())
}

/// Of these numbers, how many said STOP and are held to it: the lead opted out and the number
/// suppressed.
pub fn honoured_stops(conn: &Connection, account_id: i64, phones: &[String]) -> Result<usize> {
    let mut stmt = conn.prepare(
        "SELECT EXISTS(SELECT 1 FROM leads WHERE account_id = ?1 AND phone_e164 = ?2 AND opted_out = 1)
            AND EXISTS(SELECT 1 FROM suppressions WHERE account_id = ?1 AND phone_e164 = ?2)",
    )?;
    let mut n = 0;
    for p in phones {
        if stmt.query_row(params![account_id, p], |r| r.get::<_, bool>(0))? {
            n += 1;
        }
    }
    Ok(n)
}

/// Of these MessageSids, how many are stored as inbound texts.
pub fn stored_inbound(conn: &Connection, account_id: i64, sids: &[String]) -> Result<usize> {
    let mut stmt = conn.prepare("SELECT count(*) FROM messages_in WHERE account_id = ?1 AND provider_sid = ?2")?;
    let mut n = 0;
    for sid in sids {
        n += stmt.query_row(params![account_id, sid], |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(n)
}

/// Of these numbers, how many have a lead.
pub fn stored_leads(conn: &Connection, account_id: i64, phones: &[String]) -> Result<usize> {
    let mut stmt = conn.prepare("SELECT count(*) FROM leads WHERE account_id = ?1 AND phone_e164 = ?2")?;
    let mut n = 0;
    for p in phones {
        n += stmt.query_row(params![account_id, p], |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(n)
}

/// Service events the account holds.
pub fn imported_events(conn: &Connection, account_id: i64) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM service_events WHERE account_id = ?1",
        [account_id],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// Job runs recorded, of one outcome or all.
pub fn job_runs(conn: &Connection, outcome: Option<&str>) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM job_runs WHERE ?1 IS NULL OR outcome = ?1",
        [outcome],
        |r| r.get::<_, i64>(0),
    )? as usize)
}
