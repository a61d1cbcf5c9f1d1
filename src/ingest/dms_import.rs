//! DMS data into the database: a CSV (or JSON) export of service visits or of sales (deals) is
//! read as a stream, each row mapped by `dms`, and stored in batches of one transaction each. A
//! bad row is reported with its row number and the rest is imported; an import is idempotent by
//! external id (a deal's number).
//!
//! A CSV import runs on two threads (see [`import_csv`]): one reads and maps rows, the calling
//! thread stores them. Memory stays flat whatever the file's size: the reader is at most a few
//! chunks ahead, and a stored chunk is dropped.

use super::dms::{self, ColumnMap, ExportKind, Field};
use crate::clock::to_unix;
use crate::db::{Conn, WriteTx};
use crate::error::{Error, Result};
use crate::store::{self, service_events::Upserted};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

mod deals;
mod dry_run;
mod reading;
mod records;
mod report;
mod row_hash;
mod seen;
mod storing;
#[cfg(test)]
#[path = "dms_import_tests.rs"]
mod tests;

use dry_run::DryRun;
use reading::{read_headers, read_rows, Chunk, Mapped, Mapper};
use records::Records;
pub use report::{remove_old_reports, report_path, ColumnsReport, ImportReport, REPORTS_KEPT_DAYS, SHOWN};
use report::{Issues, Noted};
use seen::Seen;
#[cfg(test)]
use seen::{FORGOT, WITHOUT_SEEN};
use storing::{refuses_a_row, store_all, store_each_alone, Stored};

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
    /// the data directory's `reports` folder, where a full report goes when there are more
    /// issues than the answer shows (None: none is written)
    pub reports: Option<&'a Path>,
    /// what the export holds; None: read from its headers (see [`ExportKind::detect`])
    pub kind: Option<ExportKind>,
}

/// Where full reports go under a data directory.
pub fn reports_dir(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("reports")
}

/// Where an upload waits for its import under a data directory.
pub fn uploads_dir(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("uploads")
}

/// An upload untouched for this long is one no import will read: its request wrote it (every
/// write moves its time) and its import opened it at once (reading on even if it is removed).
const UPLOAD_STALE: std::time::Duration = std::time::Duration::from_secs(3600);

/// At start: remove the uploads a killed import left behind (and those checked on the Imports
/// page but never imported, after an hour), and the full reports older than
/// [`REPORTS_KEPT_DAYS`]. (A command run beside the server builds an App too, so an upload is
/// removed only once [`UPLOAD_STALE`]: one being written now is never taken from its request.
/// Its time is the file system's, so it is compared with the file system's clock.)
pub fn clean_up_at_start(data_dir: &Path, now: DateTime<Utc>) -> (usize, usize) {
    let mut uploads = 0;
    if let Ok(files) = std::fs::read_dir(uploads_dir(data_dir)) {
        for f in files.flatten() {
            let stale = f
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .and_then(|m| m.modified().ok());
            let stale = stale
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age >= UPLOAD_STALE);
            if stale && std::fs::remove_file(f.path()).is_ok() {
                uploads += 1;
            }
        }
    }
    uploads += super::uploaded::remove_all_expired(data_dir, now.timestamp());
    (uploads, remove_old_reports(&reports_dir(data_dir), now))
}

/// Import a CSV stream. `progress` is called after each batch with the rows read so far.
///
/// A second thread reads the CSV (see [`records`]: a broken record is reported and the rows after
/// it read again) and maps its rows (dates, names, phones, VINs: about a fifth of the work), and
/// hands them over in chunks through a bounded channel; this thread stores them, [`BATCH`] rows
/// to a transaction (a row the database refuses is that row's error: see [`store_chunks`]).
/// Rows are mapped and stored in file
/// order, and every row number, error and warning is the reader's, so the report is what a
/// single thread would give. If storing fails, the channel is dropped, the reader stops at its
/// next chunk, and the error is returned.
pub fn import_csv<R: Read + Send>(
    conn: &mut Conn,
    opts: &ImportOptions,
    input: R,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportReport, ImportError> {
    let mut records = Records::new(std::io::BufReader::with_capacity(1 << 16, input));
    let headers = read_headers(&mut records)?;
    let (map, kind) = columns(&headers, opts)?;
    records.expect_columns(headers.len());
    let mut report = report_for(&map, kind, opts.dry_run);
    let mut issues = Issues::new(opts.reports, opts.account_id, opts.now);
    let (stored, read) = crate::db::with_bulk_settings(conn, |conn| {
        std::thread::scope(|scope| {
            let (chunks, received) = std::sync::mpsc::sync_channel::<Chunk>(CHUNKS_AHEAD);
            let mapper = Mapper::new(&map, opts, kind);
            let reading = scope.spawn(move || read_rows(records, mapper, chunks));
            let stored = store_chunks(conn, opts, received.iter(), &mut report, &mut issues, progress);
            // a failed store leaves the reader blocked on a full channel: dropping it stops the reader
            drop(received);
            match reading.join() {
                Ok(read) => (stored, read),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    })?;
    stored?;
    let (rows, unreadable) = read;
    if let Some(e) = unreadable {
        return Err(Error::internal(format!("the file could not be read after row {rows}: {e}")).into());
    }
    report.rows = rows;
    issues.finish(&mut report);
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

/// The storing side: chunks in arrival order, whole chunks to a transaction until it holds
/// [`BATCH`] rows or has run for [`TX_TIME`]. A dry run writes nothing (see [`DryRun`]).
///
/// A transaction's chunks are kept until it commits: if the database refuses a row (a
/// constraint the mapping should have kept it from), the transaction is rolled back and its rows
/// stored again each in a savepoint of its own (see [`store_each_alone`]), so the refused row
/// becomes its error and every other row is stored. What became of each row is counted, and its
/// issues noted in row order, once its transaction is done.
fn store_chunks(
    conn: &mut Conn,
    opts: &ImportOptions,
    chunks: impl Iterator<Item = Chunk>,
    report: &mut ImportReport,
    issues: &mut Issues,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    if opts.dry_run {
        let mut dry = DryRun::default();
        for chunk in chunks {
            let rows_read = chunk.rows_read;
            let stored = chunk
                .events
                .iter()
                .map(|e| dry.check(conn, opts, e).map(Stored::Upserted))
                .collect::<Result<_>>()?;
            walk(chunk, stored, report, issues, &mut Vec::new());
            progress(rows_read);
        }
        return Ok(());
    }
    let mut chunks = chunks.peekable();
    let mut seen = Seen::new();
    let mut commits = 0usize;
    while chunks.peek().is_some() {
        let mut tx = conn.write()?;
        let started = std::time::Instant::now();
        seen.begin(&tx)?;
        let (mut rows, mut rows_read) = (0, 0);
        let mut held: Vec<(Chunk, Vec<Stored>)> = Vec::new();
        let mut refused = false;
        while rows < BATCH && !time_is_up(started) {
            let Some(chunk) = chunks.next() else { break };
            rows += chunk.events.len();
            rows_read = chunk.rows_read;
            match store_all(&tx, opts, &chunk.events, &mut seen) {
                Ok(stored) => held.push((chunk, stored)),
                Err(e) if refuses_a_row(&e) => {
                    held.push((chunk, Vec::new()));
                    refused = true;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if refused {
            // (dropping it rolls it back, if the failure has not already)
            drop(tx);
            seen.clear();
            tx = conn.write()?;
            seen.begin(&tx)?;
            for (chunk, stored) in &mut held {
                *stored = store_each_alone(&tx, opts, &chunk.events, &mut seen)?;
            }
        }
        let mut touched = Vec::new();
        for (chunk, stored) in held {
            walk(chunk, stored, report, issues, &mut touched);
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

/// A stored chunk's rows in row order: each row's issues noted, then what became of the row
/// counted (or noted, if the database refused it).
fn walk(chunk: Chunk, stored: Vec<Stored>, report: &mut ImportReport, issues: &mut Issues, touched: &mut Vec<i64>) {
    let mut noted = chunk.noted.into_iter().peekable();
    for (e, stored) in chunk.events.iter().zip(stored) {
        while let Some(n) = noted.next_if(|n| n.row() <= e.row()) {
            issues.note(n);
        }
        match stored {
            Stored::Upserted(upserted) => count(report, upserted, matches!(e, Mapped::Visit(_)).then_some(touched)),
            Stored::Refused(issue) => issues.note(Noted::Error(issue)),
        }
    }
    noted.for_each(|n| issues.note(n));
}

/// A long import refreshes the planner's statistics every this many transactions (about every
/// five seconds), so that statistics taken while the tables were small do not mislead it.
const STATISTICS_EVERY: usize = 25;

/// Count a stored row; remember the service events that changed (their RO lines may credit an
/// offer; `touched` is None for a deal).
fn count(report: &mut ImportReport, upserted: Upserted, touched: Option<&mut Vec<i64>>) {
    match upserted {
        Upserted::Created(id) => {
            report.created += 1;
            touched.into_iter().for_each(|t| t.push(id));
        }
        Upserted::Updated(id) => {
            report.updated += 1;
            touched.into_iter().for_each(|t| t.push(id));
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

/// Import events given as JSON objects: their keys are read as column headers. They are
/// mapped a chunk at a time and stored as a CSV's rows are.
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
    let (map, kind) = columns(&headers, opts)?;
    let mut report = report_for(&map, kind, opts.dry_run);
    let mut issues = Issues::new(opts.reports, opts.account_id, opts.now);
    let mut mapper = Mapper::new(&map, opts, kind);
    {
        let mut rest = events.iter();
        let mut last_taken = false;
        let chunks = std::iter::from_fn(|| {
            for e in rest.by_ref() {
                let values = reading::json_values(&headers, e);
                let fields: Vec<&str> = values.iter().map(String::as_str).collect();
                mapper.row(&fields, false);
                if let Some(chunk) = mapper.full_chunk() {
                    return Some(chunk);
                }
            }
            (!std::mem::replace(&mut last_taken, true)).then(|| mapper.take())
        });
        store_chunks(conn, opts, chunks, &mut report, &mut issues, &mut |_| {})?;
    }
    report.rows = mapper.rows;
    issues.finish(&mut report);
    refresh_statistics(conn, opts)?;
    Ok(report)
}

/// The header row's map, for the kind the caller said or the headers say.
fn columns(headers: &[String], opts: &ImportOptions) -> Result<(ColumnMap, ExportKind), ImportError> {
    let map = dms::map_columns(headers, opts.custom).map_err(|_| ImportError::NoKnownHeaders(headers.to_vec()))?;
    let kind = opts.kind.unwrap_or_else(|| ExportKind::detect(&map));
    Ok((map.for_kind(kind), kind))
}

fn report_for(map: &ColumnMap, kind: ExportKind, dry_run: bool) -> ImportReport {
    ImportReport {
        kind,
        columns: ColumnsReport {
            used: map.fields.iter().map(|(i, f)| (map.headers[*i].clone(), *f)).collect(),
            ignored: map.ignored.clone(),
        },
        dry_run,
        ..Default::default()
    }
}
