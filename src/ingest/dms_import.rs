//! DMS service data into the database: a CSV (or JSON) export is read as a stream, each row
//! mapped by `dms`, and stored in batches of one transaction each. A bad row is reported with
//! its row number and the rest is imported; an import is idempotent by external id.
//!
//! A CSV import runs on two threads (see [`import_csv`]): one reads and maps rows, the calling
//! thread stores them. Memory stays flat whatever the file's size: the reader is at most a few
//! chunks ahead, and a stored chunk is dropped.

use super::dms::{self, ColumnMap, EventRow, Field, RowIssue};
use crate::clock::to_unix;
use crate::db::{Conn, WriteTx};
use crate::error::{Error, Result};
use crate::store::{self, leads::NewLead, service_events::Upserted, vehicles};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

mod row_hash;
mod seen;
#[cfg(test)]
#[path = "dms_import_tests.rs"]
mod tests;

use row_hash::content_hash;
use seen::{lead_fingerprint, vehicle_fingerprint, Seen};
#[cfg(test)]
use seen::{FORGOT, WITHOUT_SEEN};

/// Rows per transaction at most (whole chunks), unless [`TX_TIME`] ends it first. The rows of a
/// large export touch index leaves all over the file, and each commit writes every page it
/// dirtied to the WAL: fewer, larger transactions write a shared page once (measured at a
/// million rows: 1,000-row transactions 139 s in all; 10,000-row ones 19 s of 62 in commits;
/// 20,000-row ones 10 s of 47).
pub(crate) const BATCH: usize = 20_000;
/// How long one import transaction may hold the write lock: after it, the transaction commits
/// at the end of its chunk and every writer that queued meanwhile (a STOP, a lead, a tick)
/// writes before the import's next one. So a STOP waits a fraction of a second, not seconds.
pub const TX_TIME: std::time::Duration = crate::db::BULK_TX_TIME;

#[cfg(test)]
thread_local! {
    /// Tests that compare two imports row for row end transactions at [`BATCH`] rows only, so
    /// that both end them at the same rows whatever their speed.
    static ROWS_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Has a transaction that began at `started` run long enough?
fn time_is_up(started: std::time::Instant) -> bool {
    #[cfg(test)]
    if ROWS_ONLY.with(std::cell::Cell::get) {
        return false;
    }
    started.elapsed() >= TX_TIME
}
/// Mapped rows handed from the reading thread to the storing thread at a time.
const CHUNK: usize = 500;
/// Chunks the reader may be ahead of the store.
const CHUNKS_AHEAD: usize = 4;

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
///
/// A second thread reads the CSV and maps its rows (dates, names, phones, VINs: about a fifth of
/// the work) and hands them over in chunks through a bounded channel; this thread stores them,
/// [`BATCH`] rows to a transaction. Rows are mapped and stored in file order, and every row
/// number, error and warning is the reader's, so the report is what a single thread would give.
/// If storing fails, the channel is dropped, the reader stops at its next chunk, and the error
/// is returned.
pub fn import_csv<R: Read + Send>(
    conn: &mut Conn,
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
    let stored = crate::db::with_bulk_settings(conn, |conn| {
        std::thread::scope(|scope| {
            let (chunks, received) = std::sync::mpsc::sync_channel::<Chunk>(CHUNKS_AHEAD);
            let map = &map;
            let reading = scope.spawn(move || read_rows(reader, map, opts, chunks));
            let stored = store_chunks(conn, opts, &received, &mut report, progress);
            // a failed store leaves the reader blocked on a full channel: dropping it stops the reader
            drop(received);
            match reading.join() {
                Ok(read) => {
                    report.rows = read.rows;
                    report.errors = read.errors;
                    report.warnings = read.warnings;
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
            stored
        })
    })?;
    stored?;
    refresh_statistics(conn, opts)?;
    Ok(report)
}

/// After a real import, refresh the planner's statistics for tables whose size it changed a
/// lot (`PRAGMA optimize`: bounded work, nothing when little changed), so that the next
/// queries are planned for the rows there are now.
fn refresh_statistics(conn: &mut Conn, opts: &ImportOptions) -> Result<()> {
    if !opts.dry_run {
        conn.write_with(store::optimize)?;
    }
    Ok(())
}

/// Mapped rows on their way from the reader to the store.
struct Chunk {
    events: Vec<EventRow>,
    /// rows read so far (data rows, blank and refused ones included): for `progress`
    rows_read: usize,
}

/// The reading thread: every row of the CSV mapped, in chunks; errors and warnings are kept in
/// the returned report (only its rows, errors and warnings are used).
fn read_rows<R: Read>(
    mut reader: csv::Reader<R>,
    map: &ColumnMap,
    opts: &ImportOptions,
    chunks: std::sync::mpsc::SyncSender<Chunk>,
) -> ImportReport {
    let mut report = ImportReport::default();
    let mut events: Vec<EventRow> = Vec::with_capacity(CHUNK);
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
        take_row(map, opts, row, &fields, &mut events, &mut report);
        if events.len() >= CHUNK {
            let full = std::mem::replace(&mut events, Vec::with_capacity(CHUNK));
            if chunks
                .send(Chunk {
                    events: full,
                    rows_read: row,
                })
                .is_err()
            {
                return report; // the store failed; its error is the import's
            }
        }
    }
    // the last chunk, possibly empty: it carries the final row count
    let _ = chunks.send(Chunk { events, rows_read: row });
    report
}

/// The storing side: chunks in arrival order, whole chunks to a transaction until it holds
/// [`BATCH`] rows or has run for [`TX_TIME`]. A dry run writes nothing (see [`DryRun`]).
fn store_chunks(
    conn: &mut Conn,
    opts: &ImportOptions,
    chunks: &std::sync::mpsc::Receiver<Chunk>,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    if opts.dry_run {
        let mut dry = DryRun::default();
        for chunk in chunks.iter() {
            for e in &chunk.events {
                count(report, dry.check(conn, opts, e)?, &mut Vec::new());
            }
            progress(chunk.rows_read);
        }
        return Ok(());
    }
    let mut chunks = chunks.iter().peekable();
    let mut seen = Seen::new();
    let mut commits = 0usize;
    while chunks.peek().is_some() {
        let tx = conn.write()?;
        let started = std::time::Instant::now();
        seen.begin(&tx)?;
        let (mut rows, mut rows_read) = (0, 0);
        let mut touched = Vec::new();
        while rows < BATCH && !time_is_up(started) {
            let Some(chunk) = chunks.next() else { break };
            for e in &chunk.events {
                count(report, store_event(&tx, opts, e, &mut seen)?, &mut touched);
            }
            rows += chunk.events.len();
            rows_read = chunk.rows_read;
        }
        credit_offers(&tx, opts, touched)?;
        seen.end(&tx)?;
        tx.commit()?;
        commits += 1;
        if commits.is_multiple_of(STATISTICS_EVERY) {
            // the tables grow under the planner's feet: keep its statistics near the truth
            conn.write_with(store::optimize)?;
        }
        progress(rows_read);
    }
    Ok(())
}

/// A long import refreshes the planner's statistics every this many transactions (about every
/// five seconds), so that statistics taken while the tables were small do not mislead it.
const STATISTICS_EVERY: usize = 25;

/// A dry run: what the import would do with each event, found by reading only, so that it
/// neither holds the write lock nor depends on where transactions would end. It remembers the
/// events met earlier in the file (a later row with the same external id updates, or repeats,
/// an earlier one) as hashes: bounded memory, with a negligible chance of a miscount.
#[derive(Default)]
struct DryRun {
    /// hash of an external id -> hash of the content last "stored" under it
    met: HashMap<u64, u64>,
}

impl DryRun {
    fn check(&mut self, conn: &Conn, opts: &ImportOptions, e: &EventRow) -> Result<Upserted> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let hash_of = |s: &str| {
            let mut h = DefaultHasher::new();
            s.hash(&mut h);
            h.finish()
        };
        let content = content_hash(e);
        let (key, content_key) = (hash_of(&e.external_id), hash_of(&content));
        let before = match self.met.get(&key) {
            Some(k) => Some(Some(*k)),
            None => store::service_events::imported_hash(conn, opts.account_id, &e.external_id)?
                .map(|stored| stored.map(|h| hash_of(&h))),
        };
        self.met.insert(key, content_key);
        // the ids are not known without writing; the report counts only
        Ok(match before {
            None => Upserted::Created(0),
            Some(Some(k)) if k == content_key => Upserted::Unchanged(0),
            Some(_) => Upserted::Updated(0),
        })
    }
}

/// Count a stored event; remember the ones that changed (their RO lines may credit an offer).
fn count(report: &mut ImportReport, upserted: Upserted, touched: &mut Vec<i64>) {
    match upserted {
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

/// An RO line an offer asked for earns that offer its revenue: in the import's own
/// transaction, for the events it created or changed (only worth looking when the account
/// has texted offers at all).
fn credit_offers(tx: &WriteTx, opts: &ImportOptions, touched: Vec<i64>) -> Result<()> {
    if !touched.is_empty() && store::offer_sends::any_for_account(tx, opts.account_id)? {
        for id in touched {
            crate::upsell::attribution::record_ro_lines(tx, opts.account_id, id, to_unix(opts.now))?;
        }
    }
    Ok(())
}

/// Import events given as JSON objects: their keys are read as column headers.
pub fn import_json(
    conn: &mut Conn,
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
    let mut seen = Seen::new();
    let mut dry = DryRun::default();
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
            store_batch(conn, opts, &mut batch, &mut report, &mut seen, &mut dry)?;
        }
    }
    store_batch(conn, opts, &mut batch, &mut report, &mut seen, &mut dry)?;
    refresh_statistics(conn, opts)?;
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

/// The batch in transactions of at most [`TX_TIME`] each; a dry run only reads.
fn store_batch(
    conn: &mut Conn,
    opts: &ImportOptions,
    batch: &mut Vec<EventRow>,
    report: &mut ImportReport,
    seen: &mut Seen,
    dry: &mut DryRun,
) -> Result<()> {
    if opts.dry_run {
        for e in batch.drain(..) {
            count(report, dry.check(conn, opts, &e)?, &mut Vec::new());
        }
        return Ok(());
    }
    let mut events = batch.drain(..).peekable();
    while events.peek().is_some() {
        let tx = conn.write()?;
        let started = std::time::Instant::now();
        seen.begin(&tx)?;
        let mut touched = Vec::new();
        while !time_is_up(started) {
            let Some(e) = events.next() else { break };
            count(report, store_event(&tx, opts, &e, seen)?, &mut touched);
        }
        credit_offers(&tx, opts, touched)?;
        seen.end(&tx)?;
        tx.commit()?;
    }
    Ok(())
}

/// Store one event with its customer and vehicle.
///
/// The customer is matched by phone, then email, then name + VIN, and merged (blanks never
/// erase); the vehicle is upserted by VIN and the customer made its current owner (closing a
/// previous owner's ownership); then the event is upserted by external id. Writes that would
/// change nothing are skipped by the store functions, so a customer met again costs lookups only;
/// and with `seen`, a customer or vehicle met before in the same import costs nothing at all
/// when the row says what was last written (see [`Seen`]).
fn store_event(conn: &WriteTx, opts: &ImportOptions, e: &EventRow, seen: &mut Seen) -> Result<Upserted> {
    let t = to_unix(opts.now);
    let account_id = opts.account_id;
    seen.make_room();
    let mut lead_id = None;
    if let Some(p) = &e.phone_e164 {
        lead_id = seen.lead_by_phone(p);
        if lead_id.is_none() {
            lead_id = store::leads::id_by_phone(conn, account_id, p)?;
            if let Some(id) = lead_id {
                seen.phone_is(p, id);
            }
        }
    }
    if lead_id.is_none() {
        if let Some(email) = &e.email {
            lead_id = seen.lead_by_email(email);
            if lead_id.is_none() {
                lead_id = store::leads::id_by_email(conn, account_id, email)?;
                if let Some(id) = lead_id {
                    seen.email_is(email, id);
                }
            }
        }
    }
    if lead_id.is_none() {
        if let (Some(f), Some(l), Some(v)) = (&e.first_name, &e.last_name, &e.vin) {
            lead_id = store::leads::id_by_name_and_vin(conn, account_id, f, l, v)?;
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
    let address = e.address.as_deref();
    let lead_id = match lead_id {
        Some(id) => {
            let fingerprint = lead_fingerprint(&new_lead, address);
            if seen.lead_written(id) != Some(fingerprint) {
                store::leads::merge_with_address(conn, id, &new_lead, address, t)?;
                seen.lead_wrote(id, fingerprint);
            }
            if let Some(email) = &e.email {
                seen.email_merged(id, email);
            }
            Some(id)
        }
        None if has_customer => {
            let id = store::leads::insert_with_address(conn, account_id, &new_lead, address, t)?;
            seen.lead_wrote(id, lead_fingerprint(&new_lead, address));
            match (&e.phone_e164, &e.email) {
                (Some(p), _) => seen.phone_is(p, id),
                // the first lead with this email: no lead had it (the lookup above)
                (None, Some(email)) => seen.email_is(email, id),
                (None, None) => {}
            }
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
            let facts = vehicle_fingerprint(&v);
            let id = match seen.vehicle_unchanged_by(vin, facts, &v) {
                Some(id) => id,
                None => {
                    let u = vehicles::upsert_by_vin_odometer(conn, account_id, &v, t)?;
                    seen.vehicle_wrote(vin, facts, u);
                    u.id
                }
            };
            if let Some(lead_id) = lead_id {
                if seen.owner(vin) != Some(lead_id) {
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
                    seen.owner_is(vin, lead_id);
                }
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
