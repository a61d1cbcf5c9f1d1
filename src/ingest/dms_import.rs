//! DMS service data into the database: a CSV (or JSON) export is read as a stream, each row
//! mapped by `dms`, and stored in batches of one transaction each. A bad row is reported with
//! its row number and the rest is imported; an import is idempotent by external id.

use super::dms::{self, ColumnMap, EventRow, Field, RowIssue};
use crate::clock::to_unix;
use crate::error::{Error, Result};
use crate::store::{self, leads::NewLead, service_events::Upserted, vehicles};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

/// Rows per transaction.
const BATCH: usize = 1000;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowIssue>,
    pub warnings: Vec<RowIssue>,
    /// header -> the field it was read as; and the headers that were ignored
    pub columns: ColumnsReport,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ColumnsReport {
    pub used: BTreeMap<String, Field>,
    pub ignored: Vec<String>,
}

/// Why a whole file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no column could be mapped; the headers seen were: {}", .0.join(", "))]
    NoKnownHeaders(Vec<String>),
    #[error("the file is not readable CSV: {0}")]
    Csv(String),
    #[error(transparent)]
    Store(#[from] Error),
}

pub struct ImportOptions<'a> {
    pub account_id: i64,
    pub tz: Tz,
    pub custom: &'a HashMap<String, Field>,
    pub source: &'a str,
    pub dry_run: bool,
    pub now: DateTime<Utc>,
}

/// Import a CSV stream. `progress` is called after each batch with the rows read so far.
pub fn import_csv<R: Read>(
    conn: &mut Connection,
    opts: &ImportOptions,
    input: R,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches('\u{feff}').to_string()
            } else {
                h.to_string()
            }
        })
        .collect();
    let map = dms::map_columns(&headers, opts.custom).map_err(|_| ImportError::NoKnownHeaders(headers.clone()))?;
    let mut report = report_for(&map, opts.dry_run);
    let mut batch: Vec<EventRow> = Vec::with_capacity(BATCH);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                row += 1;
                report.errors.push(RowIssue {
                    row,
                    field: "row".into(),
                    message: format!("unreadable: {e}"),
                });
                continue;
            }
        }
        row += 1;
        if record.iter().all(|f| f.is_empty()) {
            continue; // a blank line is not a row
        }
        let fields: Vec<&str> = record.iter().collect();
        take_row(&map, opts, row, &fields, &mut batch, &mut report);
        if batch.len() >= BATCH {
            store_batch(conn, opts, &mut batch, &mut report)?;
            progress(row);
        }
    }
    store_batch(conn, opts, &mut batch, &mut report)?;
    progress(row);
    Ok(report)
}

/// Import events given as JSON objects: their keys are read as column headers.
pub fn import_json(
    conn: &mut Connection,
    opts: &ImportOptions,
    events: &[serde_json::Map<String, serde_json::Value>],
) -> Result<ImportReport, ImportError> {
    let mut headers: Vec<String> = Vec::new();
    for e in events {
        for k in e.keys() {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
    }
    let map = dms::map_columns(&headers, opts.custom).map_err(|_| ImportError::NoKnownHeaders(headers.clone()))?;
    let mut report = report_for(&map, opts.dry_run);
    let mut batch = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let values: Vec<String> = headers
            .iter()
            .map(|h| match e.get(h) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                    .collect::<Vec<_>>()
                    .join(";"),
                Some(other) => other.to_string(),
            })
            .collect();
        let fields: Vec<&str> = values.iter().map(String::as_str).collect();
        take_row(&map, opts, i + 1, &fields, &mut batch, &mut report);
        if batch.len() >= BATCH {
            store_batch(conn, opts, &mut batch, &mut report)?;
        }
    }
    store_batch(conn, opts, &mut batch, &mut report)?;
    Ok(report)
}

/// Map one row into the batch, or record why it cannot be imported.
fn take_row(
    map: &ColumnMap,
    opts: &ImportOptions,
    row: usize,
    fields: &[&str],
    batch: &mut Vec<EventRow>,
    report: &mut ImportReport,
) {
    report.rows += 1;
    match dms::map_row(map, row, fields, opts.tz, opts.now.year() + 1) {
        Ok((event, warnings)) => {
            report.warnings.extend(warnings);
            batch.push(event);
        }
        Err(issue) => report.errors.push(issue),
    }
}

fn report_for(map: &ColumnMap, dry_run: bool) -> ImportReport {
    ImportReport {
        columns: ColumnsReport {
            used: map.fields.iter().map(|(i, f)| (map.headers[*i].clone(), *f)).collect(),
            ignored: map.ignored.clone(),
        },
        dry_run,
        ..Default::default()
    }
}

/// One transaction per batch; a dry run rolls it back.
fn store_batch(
    conn: &mut Connection,
    opts: &ImportOptions,
    batch: &mut Vec<EventRow>,
    report: &mut ImportReport,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    let mut touched = Vec::new();
    for e in batch.drain(..) {
        match store_event(&tx, opts, &e)? {
            Upserted::Created(id) => {
                report.created += 1;
                touched.push(id);
            }
            Upserted::Updated(id) => {
                report.updated += 1;
                touched.push(id);
            }
            Upserted::Unchanged(_) => report.unchanged += 1,
        }
    }
    // an RO line an offer asked for earns that offer its revenue (only worth looking when
    // the account has texted offers at all)
    if store::offer_sends::any_for_account(&tx, opts.account_id)? {
        for id in touched {
            crate::messaging::acceptance::credit_ro_lines(&tx, opts.account_id, id, to_unix(opts.now))?;
        }
    }
    if opts.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
    }
    Ok(())
}

/// A stable fingerprint of what a row says.
fn content_hash(e: &EventRow) -> String {
    let mut h = Sha256::new();
    let canon = format!("{:?}", EventRow { row: 0, ..e.clone() });
    h.update(canon.as_bytes());
    hex::encode(h.finalize())
}

/// Store one event with its customer and vehicle.
pub fn store_event(conn: &Connection, opts: &ImportOptions, e: &EventRow) -> Result<Upserted> {
    let t = to_unix(opts.now);
    let account_id = opts.account_id;
    let mut lead = match &e.phone_e164 {
        Some(p) => store::leads::find_by_phone(conn, account_id, p)?,
        None => None,
    };
    if lead.is_none() {
        if let Some(email) = &e.email {
            lead = store::leads::find_by_email(conn, account_id, email)?;
        }
    }
    if lead.is_none() {
        if let (Some(f), Some(l), Some(v)) = (&e.first_name, &e.last_name, &e.vin) {
            lead = store::leads::find_by_name_and_vin(conn, account_id, f, l, v)?;
        }
    }
    let has_customer = e.phone_e164.is_some() || e.email.is_some() || e.first_name.is_some() || e.last_name.is_some();
    let new_lead = NewLead {
        phone_e164: e.phone_e164.clone(),
        email: e.email.clone(),
        first_name: e.first_name.clone(),
        last_name: e.last_name.clone(),
        city: e.city.clone(),
        state: e.state.clone(),
        postal_code: e.zip.clone(),
        timezone: None,
        source: "dms".into(),
        status: "customer".into(),
        textable: e.phone_e164.is_some() && e.phone_is_mobile,
        vehicle_interest: None,
    };
    let lead_id = match lead {
        Some(l) => {
            store::leads::merge(conn, l.id, &new_lead, t)?;
            store::leads::set_extra(conn, l.id, e.address.as_deref(), None, None)?;
            Some(l.id)
        }
        None if has_customer => {
            let id = store::leads::insert(conn, account_id, &new_lead, t)?;
            store::leads::set_extra(conn, id, e.address.as_deref(), None, None)?;
            Some(id)
        }
        None => None,
    };
    let seen_at = e.closed_at.or(e.opened_at).or(e.scheduled_at).map(to_unix);
    let vehicle_id = match &e.vin {
        Some(vin) => {
            let v = vehicles::NewVehicle {
                vin: Some(vin.clone()),
                year: e.year,
                make: e.make.clone(),
                model: e.model.clone(),
                trim: None,
                last_odometer: e.mileage,
                last_odometer_at: e.mileage.and(seen_at),
            };
            let id = vehicles::upsert_by_vin(conn, account_id, &v, t)?;
            if let Some(lead_id) = lead_id {
                vehicles::ensure_ownership(
                    conn,
                    account_id,
                    &vehicles::NewOwnership {
                        lead_id,
                        vehicle_id: id,
                        ..Default::default()
                    },
                    t,
                )?;
            }
            Some(id)
        }
        None => None,
    };
    let services = serde_json::to_string(&e.services).unwrap_or_else(|_| "[]".into());
    let hash = content_hash(e);
    store::service_events::upsert_imported(
        conn,
        account_id,
        &store::service_events::ImportedEvent {
            external_id: &e.external_id,
            kind: e.kind,
            lead_id,
            vehicle_id,
            scheduled_at: e.scheduled_at.map(to_unix),
            opened_at: e.opened_at.map(to_unix),
            closed_at: e.closed_at.map(to_unix),
            advisor: e.advisor.as_deref(),
            mileage: e.mileage,
            services_json: &services,
            labor_cents: e.labor_cents,
            parts_cents: e.parts_cents,
            total_cents: e.total_cents,
            source: opts.source,
            content_hash: &hash,
        },
        t,
    )
}
