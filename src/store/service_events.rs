use super::{json, Cached};
use crate::db::WriteTx;
use crate::domain::money::Cents;
use crate::domain::visit::{ServiceEventKind, ServiceLine};
use crate::error::Result;
use rusqlite::{params, Connection};

/// The `services_json` column at `idx` of the event `id`: its lines, or an error naming the
/// event when what is stored is not a list of service lines.
pub(crate) fn lines_at(r: &rusqlite::Row<'_>, idx: usize, id: i64) -> rusqlite::Result<Vec<ServiceLine>> {
    json::column(r, idx, || {
        format!("the service lines (services_json) of service event {id}")
    })
}

/// A service event as an import describes it.
#[derive(Debug, Clone)]
pub struct ImportedEvent<'a> {
    pub external_id: &'a str,
    pub kind: ServiceEventKind,
    pub lead_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub advisor: Option<&'a str>,
    pub mileage: Option<i64>,
    pub services: &'a [ServiceLine],
    pub labor_cents: Option<Cents>,
    pub parts_cents: Option<Cents>,
    pub total_cents: Option<Cents>,
    pub source: &'a str,
    /// of the mapped row: the same row imported again is recognised as unchanged
    pub content_hash: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

/// Insert the event, or update the one with the same external id: values a later export
/// brings replace older ones, blanks never erase what is known; an appointment that became a
/// repair order stays one. A phase whose due window is already behind it (history: an RO
/// closed last year) is marked handled as it is stored, so it never enters the upsell
/// engine's due-scan indexes.
/// The content hash of the account's event with this external id, as the import last stored it:
/// `None` if there is no such event, `Some(None)` if it was stored without one.
pub fn imported_hash(conn: &Connection, account_id: i64, external_id: &str) -> Result<Option<Option<String>>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(IMPORTED_SQL)?
        .query_row(params![account_id, external_id], |r| r.get(1))
        .optional()?)
}

pub fn upsert_imported(conn: &WriteTx, account_id: i64, e: &ImportedEvent, now: i64) -> Result<Upserted> {
    use crate::domain::offers::Phase;
    use rusqlite::OptionalExtension;
    let (t48_past, open_past, t24_past) = (
        Phase::TMinus48h.due_window(now).0,
        Phase::RoOpen.due_window(now).0,
        Phase::TPlus24h.due_window(now).0,
    );
    let services = json::text(e.services)?;
    let existing: Option<(i64, Option<String>)> = conn
        .prepare_cached(IMPORTED_SQL)?
        .query_row(params![account_id, e.external_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match existing {
        Some((id, Some(hash))) if hash == e.content_hash => Ok(Upserted::Unchanged(id)),
        Some((id, _)) => {
            conn.prepare_cached(
                "UPDATE service_events SET
                    kind = CASE WHEN kind = 'repair_order' THEN kind ELSE ?3 END,
                    lead_id = coalesce(?4, lead_id), vehicle_id = coalesce(?5, vehicle_id),
                    scheduled_at = coalesce(?6, scheduled_at), opened_at = coalesce(?7, opened_at),
                    closed_at = coalesce(?8, closed_at), advisor = coalesce(?9, advisor), mileage = coalesce(?10, mileage),
                    services_json = CASE WHEN ?11 = '[]' THEN services_json ELSE ?11 END,
                    labor_cents = coalesce(?12, labor_cents), parts_cents = coalesce(?13, parts_cents),
                    total_cents = coalesce(?14, total_cents), content_hash = ?15, updated_at = ?16,
                    t_minus_48h_done_at = coalesce(t_minus_48h_done_at,
                        CASE WHEN coalesce(?6, scheduled_at) <= ?17 THEN ?16 END),
                    ro_open_done_at = coalesce(ro_open_done_at, CASE WHEN coalesce(?7, opened_at) <= ?18 THEN ?16 END),
                    t_plus_24h_done_at = coalesce(t_plus_24h_done_at,
                        CASE WHEN coalesce(?8, closed_at) <= ?19 THEN ?16 END)
                 WHERE id = ?1 AND account_id = ?2",
            )?
            .execute(params![
                id,
                account_id,
                e.kind,
                e.lead_id,
                e.vehicle_id,
                e.scheduled_at,
                e.opened_at,
                e.closed_at,
                e.advisor,
                e.mileage,
                services,
                e.labor_cents,
                e.parts_cents,
                e.total_cents,
                e.content_hash,
                now,
                t48_past,
                open_past,
                t24_past
            ])?;
            Ok(Upserted::Updated(id))
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, scheduled_at, opened_at,
                                             closed_at, advisor, mileage, services_json, labor_cents, parts_cents,
                                             total_cents, source, content_hash, created_at, updated_at,
                                             t_minus_48h_done_at, ro_open_done_at, t_plus_24h_done_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17,
                         CASE WHEN ?6 <= ?18 THEN ?17 END, CASE WHEN ?7 <= ?19 THEN ?17 END,
                         CASE WHEN ?8 <= ?20 THEN ?17 END)",
            )?
            .execute(params![
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
                services,
                e.labor_cents,
                e.parts_cents,
                e.total_cents,
                e.source,
                e.content_hash,
                now,
                t48_past,
                open_past,
                t24_past
            ])?;
            Ok(Upserted::Created(conn.last_insert_rowid()))
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceEventRow {
    pub id: i64,
    pub external_id: String,
    pub kind: ServiceEventKind,
    pub lead_id: Option<i64>,
    pub vehicle_id: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub scheduled_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub opened_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub closed_at: Option<i64>,
    pub advisor: Option<String>,
    pub mileage: Option<i64>,
    pub services: Vec<ServiceLine>,
    pub labor_cents: Option<Cents>,
    pub parts_cents: Option<Cents>,
    pub total_cents: Option<Cents>,
}

pub fn get_by_external_id(conn: &Connection, account_id: i64, external_id: &str) -> Result<Option<ServiceEventRow>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(
            "SELECT id, external_id, kind, lead_id, vehicle_id, scheduled_at, opened_at, closed_at, advisor, mileage,
                    services_json, labor_cents, parts_cents, total_cents
             FROM service_events WHERE account_id = ?1 AND external_id = ?2",
            params![account_id, external_id],
            |r| {
                let id = r.get(0)?;
                Ok(ServiceEventRow {
                    id,
                    external_id: r.get(1)?,
                    kind: r.get(2)?,
                    lead_id: r.get(3)?,
                    vehicle_id: r.get(4)?,
                    scheduled_at: r.get(5)?,
                    opened_at: r.get(6)?,
                    closed_at: r.get(7)?,
                    advisor: r.get(8)?,
                    mileage: r.get(9)?,
                    services: lines_at(r, 10, id)?,
                    labor_cents: r.get(11)?,
                    parts_cents: r.get(12)?,
                    total_cents: r.get(13)?,
                })
            },
        )
        .optional()?)
}

/// What the DMS says changed on a repair order.
#[derive(Debug, Clone, Default)]
pub struct RoUpdate {
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub advisor: Option<String>,
    pub mileage: Option<i64>,
    /// the RO's lines, replacing what was known
    pub services: Option<Vec<ServiceLine>>,
    pub labor_cents: Option<Cents>,
    pub parts_cents: Option<Cents>,
    pub total_cents: Option<Cents>,
}

/// Apply an update to the event with this external id; None if there is none. Opening an
/// appointment makes it a repair order.
pub fn apply_update(conn: &WriteTx, account_id: i64, external_id: &str, u: &RoUpdate, now: i64) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    let services = u.services.as_deref().map(json::text).transpose()?;
    Ok(conn
        .query_row_cached(
            "UPDATE service_events SET
                kind = CASE WHEN ?3 IS NOT NULL OR ?4 IS NOT NULL THEN 'repair_order' ELSE kind END,
                opened_at = coalesce(?3, opened_at), closed_at = coalesce(?4, closed_at),
                advisor = coalesce(?5, advisor), mileage = coalesce(?6, mileage),
                services_json = coalesce(?7, services_json), labor_cents = coalesce(?8, labor_cents),
                parts_cents = coalesce(?9, parts_cents), total_cents = coalesce(?10, total_cents),
                content_hash = NULL, updated_at = ?11
             WHERE account_id = ?1 AND external_id = ?2
             RETURNING id",
            params![
                account_id,
                external_id,
                u.opened_at,
                u.closed_at,
                u.advisor,
                u.mileage,
                services,
                u.labor_cents,
                u.parts_cents,
                u.total_cents,
                now
            ],
            |r| r.get(0),
        )
        .optional()?)
}

/// An event by external id, with the content hash the import last stored.
pub(crate) const IMPORTED_SQL: &str =
    "SELECT id, content_hash FROM service_events WHERE account_id = ?1 AND external_id = ?2";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::domain::money::Cents;
    use crate::domain::visit::LineStatus;

    /// Rows as earlier versions stored them still read: the DMS import's (nulls), an RO
    /// update's (`json!`, keys sorted), bench data's (no description); a damaged one is an
    /// error naming its event, not a visit without lines.
    #[test]
    fn lines_stored_by_earlier_versions_read_and_damaged_ones_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.migrate().unwrap();
        let mut conn = db.conn().unwrap();
        let (account, lead) = conn
            .write_with(|tx| {
                tx.execute_batch(
                    "INSERT INTO accounts (name, timezone, api_key_hash, created_at, updated_at)
                       VALUES ('Test Motors', 'America/Chicago', 'x', 0, 0);
                     INSERT INTO leads (account_id, source, created_at, updated_at) VALUES (1, 'dms', 0, 0);",
                )?;
                let stored = [
                    (
                        "DMS",
                        r#"[{"op_code":"LOF","description":null,"amount_cents":null,"status":"performed"}]"#,
                    ),
                    (
                        "API",
                        r#"[{"amount_cents":7995,"description":"Rotate","op_code":"ROT","status":"declined"}]"#,
                    ),
                    (
                        "BENCH",
                        r#"[{"op_code":"BRKPAD","amount_cents":24995,"status":"recommended"}]"#,
                    ),
                    ("DAMAGED", r#"[{"code":"LOF"}]"#),
                ];
                for (i, (ext, json)) in stored.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO service_events (account_id, external_id, kind, lead_id, opened_at, services_json,
                                                     source, created_at, updated_at)
                         VALUES (1, ?1, 'repair_order', 1, ?2, ?3, 'dms', 0, 0)",
                        params![ext, 1_000 + i as i64, json],
                    )?;
                }
                Ok((1, 1))
            })
            .unwrap();
        let lines = |ext: &str| get_by_external_id(&conn, account, ext).map(|r| r.unwrap().services);
        let api = lines("API").unwrap();
        assert_eq!(
            (
                api[0].op_code.as_str(),
                api[0].description.as_deref(),
                api[0].amount_cents,
                api[0].status
            ),
            ("ROT", Some("Rotate"), Some(Cents::new(7995)), LineStatus::Declined)
        );
        assert_eq!(lines("DMS").unwrap()[0].amount_cents, None);
        assert_eq!(lines("BENCH").unwrap()[0].status, LineStatus::Recommended);
        let err = lines("DAMAGED").unwrap_err().to_string();
        assert!(err.contains("services_json) of service event 4"), "{err}");
        let visit = crate::store::visits::visit_lines(&conn, account, 1).unwrap().unwrap();
        assert_eq!(visit.services[0].op_code, "LOF");
        let err = crate::store::visits::history(&conn, account, 1, lead, None, 0, 10_000)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("service event 4"),
            "the history holds the damaged visit: {err}"
        );
    }
}
