//! DMS service data into the database: a CSV (or JSON) export is read as a stream, each row
//! mapped by `dms`, and stored in batches of one transaction each. A bad row is reported with
//! its row number and the rest is imported; an import is idempotent by external id.
//!
//! A CSV import runs on two threads (see [`import_csv`]): one reads and maps rows, the calling
//! thread stores them. Memory stays flat whatever the file's size: the reader is at most a few
//! chunks ahead, and a stored chunk is dropped.

use super::dms::{self, ColumnMap, EventRow, Field, RowIssue, ServiceLine};
use crate::clock::to_unix;
use crate::error::{Error, Result};
use crate::store::{self, leads::NewLead, service_events::Upserted, vehicles};
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

#[cfg(test)]
#[path = "dms_import_tests.rs"]
mod tests;

/// Rows per transaction, at least (whole chunks). The rows of a large export touch index leaves
/// all over the file, and each commit writes every page it dirtied to the WAL: fewer, larger
/// transactions write a shared page once (measured at a million rows: 1,000-row transactions
/// 139 s in all; 10,000-row ones 19 s of 62 in commits; 20,000-row ones 10 s of 47). The write
/// lock is held for the whole transaction, about a second here: within the other connections'
/// 5 s busy timeout.
const BATCH: usize = 20_000;
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
    Ok(report)
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
/// [`BATCH`] rows; a dry run rolls each transaction back.
fn store_chunks(
    conn: &mut Connection,
    opts: &ImportOptions,
    chunks: &std::sync::mpsc::Receiver<Chunk>,
    report: &mut ImportReport,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    let mut chunks = chunks.iter().peekable();
    let mut seen = Seen::new();
    while chunks.peek().is_some() {
        let tx = conn.transaction()?;
        seen.begin(&tx)?;
        let (mut rows, mut rows_read) = (0, 0);
        let mut touched = Vec::new();
        while rows < BATCH {
            let Some(chunk) = chunks.next() else { break };
            for e in &chunk.events {
                count(report, store_event(&tx, opts, e, &mut seen)?, &mut touched);
            }
            rows += chunk.events.len();
            rows_read = chunk.rows_read;
        }
        credit_offers(&tx, opts, touched)?;
        if opts.dry_run {
            tx.rollback()?;
            seen.clear();
        } else {
            tx.commit()?;
        }
        progress(rows_read);
    }
    Ok(())
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
fn credit_offers(tx: &Connection, opts: &ImportOptions, touched: Vec<i64>) -> Result<()> {
    if !touched.is_empty() && store::offer_sends::any_for_account(tx, opts.account_id)? {
        for id in touched {
            crate::messaging::acceptance::credit_ro_lines(tx, opts.account_id, id, to_unix(opts.now))?;
        }
    }
    Ok(())
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
    let mut seen = Seen::new();
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
            store_batch(conn, opts, &mut batch, &mut report, &mut seen)?;
        }
    }
    store_batch(conn, opts, &mut batch, &mut report, &mut seen)?;
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
    seen: &mut Seen,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    seen.begin(&tx)?;
    let mut touched = Vec::new();
    for e in batch.drain(..) {
        count(report, store_event(&tx, opts, &e, seen)?, &mut touched);
    }
    credit_offers(&tx, opts, touched)?;
    if opts.dry_run {
        tx.rollback()?;
        seen.clear();
    } else {
        tx.commit()?;
    }
    Ok(())
}

/// Entries at most in each of [`Seen`]'s maps; when one is full, all are cleared, so memory stays
/// flat whatever the file's size. Below 7/8 of 2^19, no map grows past 2^19 buckets: measured,
/// the maps add 78 MB to the peak at 333,000 customers and cars (1,000,000 rows), the VIN map
/// most of it; that is about their ceiling.
const SEEN_MAX: usize = 450_000;

/// What one import call has learnt about the customers and vehicles it stored, so that one met
/// again in the same file is neither looked up nor rewritten when its row says what was last
/// written for it. Everything here describes the database as this connection left it:
/// - a phone number's lead (a lead's phone is only ever filled in, never changed, by an import);
/// - an email's lead, only while it is the lead `id_by_email` would find (the first with it);
/// - per lead, a fingerprint of the values last merged into it or inserted with it: merging the
///   same values again changes nothing (every column is `coalesce`d, `max`ed or set to the
///   import's `now`), so the merge is skipped exactly when `merge_with_address` would skip it;
/// - per VIN, the vehicle's id, a fingerprint of the year/make/model/trim last upserted (the
///   same reasoning), its odometer as the row holds it, and the lead made its current owner.
///
/// It is trusted only while no other connection writes: `PRAGMA data_version` is read at the
/// start of every transaction and everything is forgotten if it moved. A rolled-back
/// transaction (a dry run) forgets everything too; a failed one ends the import.
struct Seen {
    enabled: bool,
    data_version: Option<i64>,
    /// a phone number (E.164 as an integer) -> its lead
    phones: HashMap<u64, i64>,
    /// an email (ASCII-lower-cased: the column is NOCASE) -> the first lead with it
    emails: HashMap<String, i64>,
    /// lead -> the email key it is in `emails` under
    email_of: HashMap<i64, String>,
    /// lead -> fingerprint of the values last written to it
    leads: HashMap<i64, u64>,
    vins: HashMap<[u8; 17], VinSeen>,
}

struct VinSeen {
    id: i64,
    /// the lead made its current owner by this import (None: not known)
    owner: Option<i64>,
    /// fingerprint of the year, make, model and trim last upserted
    facts: u64,
    last_odometer: Option<i64>,
    last_odometer_at: Option<i64>,
}

#[cfg(test)]
thread_local! {
    /// Tests compare imports with and without [`Seen`] on this thread.
    static WITHOUT_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Seen {
    fn new() -> Seen {
        #[cfg(test)]
        let enabled = !WITHOUT_SEEN.with(std::cell::Cell::get);
        #[cfg(not(test))]
        let enabled = true;
        Seen {
            enabled,
            data_version: None,
            phones: HashMap::new(),
            emails: HashMap::new(),
            email_of: HashMap::new(),
            leads: HashMap::new(),
            vins: HashMap::new(),
        }
    }

    /// At the start of a transaction: forget everything if another connection wrote since.
    fn begin(&mut self, tx: &Connection) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let version = store::leads::data_version(tx)?;
        if self.data_version != Some(version) {
            self.clear();
        }
        self.data_version = Some(version);
        Ok(())
    }

    fn clear(&mut self) {
        self.phones.clear();
        self.emails.clear();
        self.email_of.clear();
        self.leads.clear();
        self.vins.clear();
    }

    /// Before a row: a full map empties them all (they refer to each other).
    fn make_room(&mut self) {
        let most = [
            self.phones.len(),
            self.emails.len(),
            self.email_of.len(),
            self.leads.len(),
            self.vins.len(),
        ];
        if most.into_iter().max().unwrap_or(0) >= SEEN_MAX {
            self.clear();
        }
    }

    fn lead_by_phone(&self, phone: &str) -> Option<i64> {
        self.phones.get(&phone_key(phone)?).copied()
    }

    /// `phone` is this lead's number.
    fn phone_is(&mut self, phone: &str, lead: i64) {
        if let (true, Some(k)) = (self.enabled, phone_key(phone)) {
            self.phones.insert(k, lead);
        }
    }

    fn lead_by_email(&self, email: &str) -> Option<i64> {
        self.emails.get(&email.to_ascii_lowercase()).copied()
    }

    /// `lead` is the first lead with this email (what `id_by_email` found, or the only one).
    fn email_is(&mut self, email: &str, lead: i64) {
        if self.enabled {
            let key = email.to_ascii_lowercase();
            self.emails.insert(key.clone(), lead);
            // (a lead found by its email has no other: this only keeps the maps tidy)
            if let Some(old) = self.email_of.insert(lead, key.clone()) {
                if old != key && self.emails.get(&old) == Some(&lead) {
                    self.emails.remove(&old);
                }
            }
        }
    }

    /// `lead` now has this email (merged into it): it no longer has its old one, and it is now the
    /// first lead with this one if it comes before the one known.
    fn email_merged(&mut self, lead: i64, email: &str) {
        if !self.enabled {
            return;
        }
        let key = email.to_ascii_lowercase();
        if self.email_of.get(&lead).is_some_and(|old| *old != key) {
            if let Some(old) = self.email_of.remove(&lead) {
                if self.emails.get(&old) == Some(&lead) {
                    self.emails.remove(&old);
                }
            }
        }
        if let Some(first) = self.emails.get_mut(&key) {
            if *first > lead {
                *first = lead;
                self.email_of.insert(lead, key);
            }
        }
    }

    fn lead_written(&self, lead: i64) -> Option<u64> {
        self.leads.get(&lead).copied()
    }

    fn lead_wrote(&mut self, lead: i64, fingerprint: u64) {
        if self.enabled {
            self.leads.insert(lead, fingerprint);
        }
    }

    /// The vehicle's id if upserting `v` (whose year/make/model/trim have fingerprint `facts`)
    /// would change nothing: the same facts as last upserted, and an odometer reading that would
    /// not move (the `WHERE` of `upsert_by_vin`).
    fn vehicle_unchanged_by(&self, vin: &str, facts: u64, v: &vehicles::NewVehicle) -> Option<i64> {
        let s = self.vins.get(&vin_key(vin)?)?;
        let moves = v.last_odometer.is_some()
            && v.last_odometer_at.unwrap_or(0) >= s.last_odometer_at.unwrap_or(0)
            && (s.last_odometer != v.last_odometer || s.last_odometer_at != v.last_odometer_at);
        (s.facts == facts && !moves).then_some(s.id)
    }

    fn vehicle_wrote(&mut self, vin: &str, facts: u64, u: vehicles::UpsertedVin) {
        let Some(k) = vin_key(vin).filter(|_| self.enabled) else {
            return;
        };
        let s = self.vins.entry(k).or_insert(VinSeen {
            id: u.id,
            owner: None,
            facts,
            last_odometer: None,
            last_odometer_at: None,
        });
        if s.id != u.id {
            s.owner = None;
        }
        s.id = u.id;
        s.facts = facts;
        s.last_odometer = u.last_odometer;
        s.last_odometer_at = u.last_odometer_at;
    }

    fn owner(&self, vin: &str) -> Option<i64> {
        self.vins.get(&vin_key(vin)?)?.owner
    }

    /// `ensure_ownership` made `lead` the current owner of the vehicle with this VIN.
    fn owner_is(&mut self, vin: &str, lead: i64) {
        if let Some(s) = vin_key(vin).and_then(|k| self.vins.get_mut(&k)) {
            s.owner = Some(lead);
        }
    }
}

/// `+` and up to 18 digits as an integer (exact: E.164 numbers do not start with 0).
fn phone_key(phone: &str) -> Option<u64> {
    let digits = phone.strip_prefix('+')?;
    if digits.is_empty() || digits.len() > 18 || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

fn vin_key(vin: &str) -> Option<[u8; 17]> {
    vin.as_bytes().try_into().ok()
}

/// The values a merge or insert writes to a lead (all of them).
fn lead_fingerprint(l: &NewLead, address: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let NewLead {
        phone_e164,
        email,
        first_name,
        last_name,
        city,
        state,
        postal_code,
        timezone,
        source,
        status,
        textable,
        vehicle_interest,
    } = l;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        phone_e164,
        email,
        first_name,
        last_name,
        city,
        state,
        postal_code,
        timezone,
    )
        .hash(&mut h);
    (source, status, textable, vehicle_interest, address).hash(&mut h);
    h.finish()
}

/// The year, make, model and trim an upsert fills in.
fn vehicle_fingerprint(v: &vehicles::NewVehicle) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (v.year, &v.make, &v.model, &v.trim).hash(&mut h);
    h.finish()
}

/// A stable fingerprint of what a row says (everything but its row number): the same row
/// imported again is recognised as unchanged. Every field is fed in order, each string with its
/// length and each option with a tag, so different rows never feed the same bytes. (It is
/// compared only with hashes stored by imports, so it may change between versions: a file
/// imported again after an upgrade then counts as updated once.)
fn content_hash(e: &EventRow) -> String {
    // destructured so that a new field cannot be left out unnoticed
    let EventRow {
        row: _,
        external_id,
        kind,
        scheduled_at,
        opened_at,
        closed_at,
        first_name,
        last_name,
        phone_e164,
        phone_is_mobile,
        email,
        address,
        city,
        state,
        zip,
        vin,
        year,
        make,
        model,
        mileage,
        advisor,
        services,
        labor_cents,
        parts_cents,
        total_cents,
    } = e;
    let mut h = Fields(Sha256::new());
    h.str(external_id);
    h.str(kind);
    for t in [scheduled_at, opened_at, closed_at] {
        h.int(t.map(|t| t.timestamp()));
        h.int(t.map(|t| i64::from(t.timestamp_subsec_nanos())));
    }
    for s in [first_name, last_name, phone_e164] {
        h.opt_str(s);
    }
    h.int(Some(i64::from(*phone_is_mobile)));
    for s in [email, address, city, state, zip, vin] {
        h.opt_str(s);
    }
    h.int(year.map(i64::from));
    h.opt_str(make);
    h.opt_str(model);
    h.int(*mileage);
    h.opt_str(advisor);
    h.int(Some(services.len() as i64));
    for ServiceLine {
        op_code,
        description,
        amount_cents,
        status,
    } in services
    {
        h.str(op_code);
        h.opt_str(description);
        h.int(*amount_cents);
        h.str(status);
    }
    h.int(*labor_cents);
    h.int(*parts_cents);
    h.int(*total_cents);
    hex::encode(h.0.finalize())
}

/// Feeds values to the hash unambiguously.
struct Fields(Sha256);

impl Fields {
    fn str(&mut self, s: &str) {
        self.0.update((s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
    }
    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            Some(s) => {
                self.0.update([1]);
                self.str(s);
            }
            None => self.0.update([0]),
        }
    }
    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => {
                self.0.update([1]);
                self.0.update(v.to_le_bytes());
            }
            None => self.0.update([0]),
        }
    }
}

/// Store one event with its customer and vehicle.
///
/// The customer is matched by phone, then email, then name + VIN, and merged (blanks never
/// erase); the vehicle is upserted by VIN and the customer made its current owner (closing a
/// previous owner's ownership); then the event is upserted by external id. Writes that would
/// change nothing are skipped by the store functions, so a customer met again costs lookups only;
/// and with `seen`, a customer or vehicle met before in the same import costs nothing at all
/// when the row says what was last written (see [`Seen`]).
fn store_event(conn: &Connection, opts: &ImportOptions, e: &EventRow, seen: &mut Seen) -> Result<Upserted> {
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
