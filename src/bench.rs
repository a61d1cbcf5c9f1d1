//! Whole-system figures on generated data (`forecourt bench ...`). Nothing here asserts a
//! time: it measures and reports.

pub mod contention;
pub mod pages;
pub mod recompute;
pub mod replies;
pub mod tick;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::domain::vin;
use crate::error::{Error, Result};
use crate::ingest::dms_import::{import_csv, ImportOptions};
use crate::{secrets, store, App};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportFigures {
    pub rows: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub rows_per_second: f64,
    /// peak resident memory of this process during the run (VmHWM), kB
    pub peak_rss_kb: Option<u64>,
    /// the stock sqlite3 shell's `.import` of the same file into a bare table
    pub sqlite3_seconds: Option<f64>,
    pub sqlite3_rows_per_second: Option<f64>,
    /// the same stored rows copied by SQL alone into a fresh copy of forecourt's schema (see
    /// [`schema_floor`]): what storing them costs with no parsing, no lookups and no Rust per
    /// row; in the import's transactions, in one, and with the indexes it never reads built last
    pub floor_seconds: f64,
    pub floor_one_transaction_seconds: f64,
    pub floor_deferred_seconds: f64,
    pub created: usize,
    pub errors: usize,
}

const MODELS: &[(&str, &str, &str, &str)] = &[
    ("1HG", "CV1F3", "HONDA", "ACCORD"),
    ("2HG", "FE2F5", "HONDA", "CIVIC"),
    ("5J6", "RW2H8", "HONDA", "CR-V"),
    ("5FN", "YF6H5", "HONDA", "PILOT"),
    ("4T1", "B11HK", "TOYOTA", "CAMRY"),
    ("1FT", "EW1E5", "FORD", "F-150"),
];
const LINES: &[(&str, &str, i64)] = &[
    ("01OILZ", "LOF SYNTHETIC 0W-20", 7995),
    ("04ROT", "ROTATE TIRES", 2995),
    ("22BRKF", "FRONT BRAKE PADS", 29900),
    ("ALIGN", "4 WHEEL ALIGNMENT", 12995),
    ("CABFLT", "CABIN AIR FILTER", 4995),
];
const FIRST: &[&str] = &[
    "ANA", "JOHN", "MARIA", "DAVID", "LINDA", "JOSE", "SARAH", "KEVIN", "PRIYA", "MINH",
];
const LAST: &[&str] = &[
    "LOPEZ", "SMITH", "NGUYEN", "JOHNSON", "GARCIA", "PATEL", "KIM", "BROWN", "DAVIS", "REYES",
];

/// How many customers [`generate_export`] spreads `rows` rows over.
pub fn export_customers(rows: usize) -> usize {
    (rows / 3).max(1)
}

/// Customer `c`'s cell phone in [`generate_export`]: exchanges 201-999 without N11 and 555;
/// lines 0000-9999, unique per customer. As written in the file, and as E.164.
fn export_phone(c: usize) -> (usize, usize) {
    let mut exchange = 201 + (c / 10_000) % 700;
    if exchange % 100 == 11 || exchange == 555 {
        exchange += 1;
    }
    (exchange, c % 10_000)
}

pub fn export_phone_e164(c: usize) -> String {
    let (exchange, line) = export_phone(c);
    format!("+1512{exchange:03}{line:04}")
}

/// Write a realistic RO export of `rows` rows (about three visits per customer).
pub fn generate_export(path: &Path, rows: usize, seed: u64) -> std::io::Result<u64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    w.write_all(b"\xEF\xBB\xBFRO Number,Open Date,Close Date,Customer Name,Cell Phone,Email,City,State,Zip,VIN,Year,Make,Model,Mileage In,Service Advisor,Op Codes,Op Descriptions,Labor Sale,Parts Sale,Total Sale\r\n")?;
    let customers = export_customers(rows);
    for i in 0..rows {
        let c = rng.random_range(0..customers);
        let (wmi, vds, make, model) = MODELS[c % MODELS.len()];
        let year = 2012 + (c % 14) as i32;
        let vin = vin::synthesize(wmi, vds, year, 'A', c as u32);
        let (exchange, line) = export_phone(c);
        let phone = format!("(512) {exchange:03}-{line:04}");
        let day = 1 + rng.random_range(0..28);
        let month = 1 + rng.random_range(0..12);
        let n_lines = 1 + rng.random_range(0..3);
        let picked: Vec<_> = (0..n_lines).map(|k| LINES[(i + k) % LINES.len()]).collect();
        let codes: Vec<&str> = picked.iter().map(|l| l.0).collect();
        let descs: Vec<&str> = picked.iter().map(|l| l.1).collect();
        let total: i64 = picked.iter().map(|l| l.2).sum();
        writeln!(
            w,
            "{},{month}/{day}/26,{month}/{day}/26,\"{}, {}\",{phone},c{c}@example.com,AUSTIN,TX,787{:02},{vin},{year},{make},{model},\"{},{:03}\",\"SMITH, JOHN\",{},{},\"${}.{:02}\",$0.00,\"${}.{:02}\"\r",
            500_000 + i,
            LAST[c % LAST.len()],
            FIRST[(c / LAST.len()) % FIRST.len()],
            c % 50,
            10 + c % 90,
            c % 1000,
            codes.join(";"),
            descs.join(";"),
            total / 100,
            total % 100,
            total / 100,
            total % 100,
        )?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// The appliance on a fresh database in `dir/data`, its job loop off: what each bench measures.
fn app_in(dir: &Path) -> Result<App> {
    let config = Config {
        data_dir: dir.join("data"),
        jobs_enabled: false,
        ..Config::default()
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(App::build(config, clock)?.0)
}

/// The benches' dealership (in Central time).
fn account(conn: &crate::db::WriteTx, now: i64) -> Result<i64> {
    store::accounts::insert(
        conn,
        &store::accounts::NewAccount {
            name: "Bench Motors",
            timezone: chrono_tz::America::Chicago,
            vertical: crate::domain::account::Vertical::Automotive,
            api_key_hash: &secrets::sha256_hex("bench"),
            twilio_number: None,
        },
        now,
    )
}

/// Reset this process's peak resident memory (Linux: `5` to `/proc/self/clear_refs`), so a
/// later [`peak_rss_kb`] reads the peak of what follows.
pub(crate) fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub(crate) fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Generate `rows`, import them into a fresh database, then time the schema floors and
/// sqlite3's `.import` of the same file.
pub fn import(rows: usize, dir: Option<PathBuf>) -> Result<ImportFigures> {
    // a directory given is kept afterwards, to look at the database
    let keep = dir.is_some();
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let figures = import_in(rows, &dir);
    // the databases and the file can take gigabytes: gone whatever happened, unless asked for
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    figures
}

fn import_in(rows: usize, dir: &Path) -> Result<ImportFigures> {
    let csv = dir.join("export.csv");
    let bytes = generate_export(&csv, rows, 7).map_err(Error::internal)?;
    let app = app_in(dir)?;
    let mut conn = app.db.conn()?;
    let account_id = conn.write_with(|tx| account(tx, app.now().timestamp()))?;
    let custom = Default::default();
    let opts = ImportOptions {
        account_id,
        tz: chrono_tz::America::Chicago,
        custom: &custom,
        source: "cli",
        dry_run: false,
        now: app.now(),
        reports: None,
        kind: None,
    };
    // after each of the import's transactions, the last id of each table: the rows that
    // transaction stored, for the floor to copy in the same transactions (read from a second
    // connection, which sees each commit)
    let watcher = app.db.conn()?;
    let mut edges: Vec<[i64; 4]> = Vec::new();
    let mut failed = None;
    let started = Instant::now();
    let file = std::fs::File::open(&csv).map_err(Error::internal)?;
    let report = import_csv(
        &mut conn,
        &opts,
        std::io::BufReader::with_capacity(1 << 16, file),
        &mut |_| match last_ids(&watcher) {
            Ok(ids) => edges.push(ids),
            Err(e) => failed = Some(e),
        },
    )
    .map_err(|e| Error::internal(e.to_string()))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_kb();
    if let Some(e) = failed {
        return Err(e);
    }
    drop((conn, watcher));
    let floor_seconds = schema_floor(dir, app.db.path(), Floor::Batched, &edges)?;
    let floor_one_transaction_seconds = schema_floor(dir, app.db.path(), Floor::OneTransaction, &edges)?;
    let floor_deferred_seconds = schema_floor(dir, app.db.path(), Floor::Deferred, &edges)?;

    let sqlite3 = sqlite3_import(dir, &csv);
    Ok(ImportFigures {
        rows,
        bytes,
        seconds,
        rows_per_second: rows as f64 / seconds,
        peak_rss_kb: peak,
        sqlite3_seconds: sqlite3,
        sqlite3_rows_per_second: sqlite3.map(|s| rows as f64 / s),
        floor_seconds,
        floor_one_transaction_seconds,
        floor_deferred_seconds,
        created: report.created,
        errors: report.errors_total,
    })
}

/// The tables a floor copies, parents first.
const TABLES: [&str; 4] = ["leads", "vehicles", "ownerships", "service_events"];

/// The highest id in each of [`TABLES`].
fn last_ids(conn: &rusqlite::Connection) -> Result<[i64; 4]> {
    let mut ids = [0; 4];
    for (id, table) in ids.iter_mut().zip(TABLES) {
        *id = conn.query_row(&format!("SELECT coalesce(max(id), 0) FROM {table}"), [], |r| r.get(0))?;
    }
    Ok(ids)
}

/// How the rows are copied for a floor (see [`schema_floor`]).
#[derive(Debug, Clone, Copy)]
enum Floor {
    /// as many transactions as the import used
    Batched,
    /// one transaction for everything (what no live appliance can afford: the write lock held
    /// for the whole copy)
    OneTransaction,
    /// batched, with the indexes the import never reads dropped first and built at the end, in
    /// one more transaction (timed too; it holds the write lock for as long as the build takes)
    Deferred,
}

/// Indexes an import reads or that enforce a rule it relies on: every other index on the four
/// tables is what [`Floor::Deferred`] builds at the end instead. (The indexes of the tables'
/// UNIQUE constraints, events by external id and vehicles by VIN, cannot be dropped and are
/// not listed: `sqlite_schema` has no SQL for them.)
const IMPORT_READS: &[&str] = &[
    "leads_account_phone",
    "leads_account_email",
    "ownerships_vehicle_active",
    "ownerships_vehicle",
];

/// The floor for storing the import's rows in forecourt's own schema: the leads, vehicles,
/// ownerships and service events the import stored, copied with `INSERT … SELECT` into a fresh,
/// migrated database (same pragmas, the import's cache and checkpoint settings). For
/// [`Floor::Batched`] and [`Floor::Deferred`], each transaction copies exactly the rows one
/// transaction of the import created (`edges`: the last id of each table after each of them),
/// table by table. The same final rows and index entries in the same transactions, without
/// parsing, lookups, foreign-key checks, rewrites of a row already stored (a car's odometer) or
/// a statement per row.
fn schema_floor(dir: &Path, imported: &Path, floor: Floor, edges: &[[i64; 4]]) -> Result<f64> {
    let dir = dir.join(format!("floor-{floor:?}").to_lowercase());
    let db = crate::db::Db::open(&dir.join("forecourt.db"))?;
    db.migrate()?;
    let mut conn = db.conn()?;
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    conn.execute("ATTACH DATABASE ?1 AS src", [imported.to_string_lossy()])?;
    conn.write_with(|tx| Ok(tx.execute_batch("INSERT INTO accounts SELECT * FROM src.accounts")?))?;
    let last = edges.last().copied().unwrap_or_default();
    let ranges: Vec<[i64; 4]> = match floor {
        Floor::OneTransaction => vec![last],
        Floor::Batched | Floor::Deferred => edges.to_vec(),
    };
    let deferred: Vec<(String, String)> = match floor {
        Floor::Deferred => {
            let mut stmt = conn.prepare(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
                 AND tbl_name IN ('leads', 'vehicles', 'ownerships', 'service_events')",
            )?;
            let all = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            all.filter(|i| !matches!(i, Ok((name, _)) if IMPORT_READS.contains(&name.as_str())))
                .collect::<rusqlite::Result<_>>()?
        }
        Floor::Batched | Floor::OneTransaction => Vec::new(),
    };
    conn.write_with(|tx| {
        for (name, _) in &deferred {
            tx.execute_batch(&format!("DROP INDEX {name}"))?;
        }
        Ok(())
    })?;
    let started = Instant::now();
    crate::db::with_bulk_settings(&mut conn, |conn| -> Result<()> {
        let mut from = [0i64; 4];
        for to in &ranges {
            let tx = conn.write()?;
            for ((table, lo), hi) in TABLES.iter().zip(from).zip(to) {
                tx.execute(
                    &format!("INSERT INTO {table} SELECT * FROM src.{table} WHERE id > ?1 AND id <= ?2"),
                    [lo, *hi],
                )?;
            }
            tx.commit()?;
            from = *to;
        }
        let tx = conn.write()?;
        for (_, sql) in &deferred {
            tx.execute_batch(sql)?;
        }
        tx.commit()?;
        Ok(())
    })??;
    let seconds = started.elapsed().as_secs_f64();
    // every row copied, once
    for table in TABLES {
        let (copied, stored): (i64, i64) = conn.query_row(
            &format!("SELECT (SELECT count(*) FROM main.{table}), (SELECT count(*) FROM src.{table})"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if copied != stored {
            return Err(Error::internal(format!(
                "the {floor:?} floor copied {copied} {table} of {stored}"
            )));
        }
    }
    drop(conn);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(seconds)
}

/// The floor for storing those bytes: the sqlite3 shell importing the CSV into a bare table.
fn sqlite3_import(dir: &Path, csv: &Path) -> Option<f64> {
    let db = dir.join("bare.db");
    let script = format!(".mode csv\n.import '{}' ro\n", csv.display());
    let started = Instant::now();
    let mut child = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).ok()?;
    let status = child.wait().ok()?;
    status.success().then(|| started.elapsed().as_secs_f64())
}

impl std::fmt::Display for ImportFigures {
    /// The report `forecourt bench import` prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "rows            {}", self.rows)?;
        writeln!(f, "file            {:.1} MB", self.bytes as f64 / 1e6)?;
        writeln!(
            f,
            "forecourt       {:.2} s  {:.0} rows/s  ({} created, {} refused)",
            self.seconds, self.rows_per_second, self.created, self.errors
        )?;
        match self.peak_rss_kb {
            Some(kb) => writeln!(f, "peak memory     {:.1} MB (VmHWM)", kb as f64 / 1024.0)?,
            None => writeln!(f, "peak memory     unknown (no /proc)")?,
        }
        let sqlite3 = self.sqlite3_rows_per_second;
        match (self.sqlite3_seconds, sqlite3) {
            (Some(s), Some(r)) => {
                writeln!(
                    f,
                    "sqlite3 .import {s:.2} s  {r:.0} rows/s (bare table, the floor for these bytes)"
                )?;
                writeln!(f, "ratio           {:.2} of the sqlite3 rate", self.rows_per_second / r)?;
            }
            _ => writeln!(f, "sqlite3 .import not measured (no sqlite3 shell on PATH)")?,
        }
        writeln!(
            f,
            "schema floor    the stored rows copied by SQL alone into a fresh forecourt database:"
        )?;
        for (label, s) in [
            ("in the import's transactions", self.floor_seconds),
            ("in one transaction", self.floor_one_transaction_seconds),
            ("unread indexes built last", self.floor_deferred_seconds),
        ] {
            let rate = self.rows as f64 / s;
            write!(f, "  {label:<30}{s:>6.2} s  {rate:.0} rows/s")?;
            match sqlite3 {
                Some(r) => writeln!(f, ", ratio {:.2}", rate / r)?,
                None => writeln!(f)?,
            }
        }
        Ok(())
    }
}
