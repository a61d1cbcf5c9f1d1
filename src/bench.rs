//! Whole-system figures on generated data (`forecourt bench ...`). Nothing here asserts a
//! time: it measures and reports.

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

/// Write a realistic RO export of `rows` rows (about three visits per customer).
pub fn generate_export(path: &Path, rows: usize, seed: u64) -> std::io::Result<u64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    w.write_all(b"\xEF\xBB\xBFRO Number,Open Date,Close Date,Customer Name,Cell Phone,Email,City,State,Zip,VIN,Year,Make,Model,Mileage In,Service Advisor,Op Codes,Op Descriptions,Labor Sale,Parts Sale,Total Sale\r\n")?;
    let customers = (rows / 3).max(1);
    for i in 0..rows {
        let c = rng.random_range(0..customers);
        let (wmi, vds, make, model) = MODELS[c % MODELS.len()];
        let year = 2012 + (c % 14) as i32;
        let vin = vin::synthesize(wmi, vds, year, 'A', c as u32);
        // exchanges 201-999 without N11 and 555; lines 0000-9999: unique per customer
        let mut exchange = 201 + (c / 10_000) % 700;
        if exchange % 100 == 11 || exchange == 555 {
            exchange += 1;
        }
        let phone = format!("(512) {exchange:03}-{:04}", c % 10_000);
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

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Generate `rows`, import them into a fresh database, then time sqlite3's `.import` of the same file.
pub fn import(rows: usize, dir: Option<PathBuf>) -> Result<ImportFigures> {
    // a directory given is kept afterwards, to look at the database
    let keep = dir.is_some();
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let csv = dir.join("export.csv");
    let bytes = generate_export(&csv, rows, 7).map_err(Error::internal)?;
    let config = Config {
        data_dir: dir.join("data"),
        jobs_enabled: false,
        ..Config::default()
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (app, _) = App::build(config, clock)?;
    let mut conn = app.db.conn()?;
    let account_id = store::accounts::insert(
        &conn,
        &store::accounts::NewAccount {
            name: "Bench Motors",
            timezone: "America/Chicago",
            vertical: crate::domain::account::Vertical::Automotive,
            api_key_hash: &secrets::sha256_hex("bench"),
            twilio_number: None,
        },
        app.now().timestamp(),
    )?;
    let custom = Default::default();
    let opts = ImportOptions {
        account_id,
        tz: chrono_tz::America::Chicago,
        custom: &custom,
        source: "cli",
        dry_run: false,
        now: app.now(),
    };
    let started = Instant::now();
    let file = std::fs::File::open(&csv).map_err(Error::internal)?;
    let report = import_csv(
        &mut conn,
        &opts,
        std::io::BufReader::with_capacity(1 << 16, file),
        &mut |_| {},
    )
    .map_err(|e| Error::internal(e.to_string()))?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_rss_kb();
    drop(conn);
    let floor_seconds = schema_floor(&dir, app.db.path(), Floor::Batched)?;
    let floor_one_transaction_seconds = schema_floor(&dir, app.db.path(), Floor::OneTransaction)?;
    let floor_deferred_seconds = schema_floor(&dir, app.db.path(), Floor::Deferred)?;

    let sqlite3 = sqlite3_import(&dir, &csv);
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
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
        errors: report.errors.len(),
    })
}

/// How the rows are copied for a floor (see [`schema_floor`]).
#[derive(Debug, Clone, Copy)]
enum Floor {
    /// as many transactions as the import used
    Batched,
    /// one transaction for everything (what no live appliance can afford: the write lock held
    /// for the whole copy)
    OneTransaction,
    /// batched, with the indexes the import never reads dropped first and built at the end
    /// (the build is timed too)
    Deferred,
}

/// Indexes an import reads or that enforce a rule it relies on: every other index on the four
/// tables is what [`Floor::Deferred`] builds at the end instead.
const IMPORT_READS: &[&str] = &[
    "leads_account_phone",
    "leads_account_email",
    "ownerships_vehicle_active",
    "ownerships_vehicle",
];

/// The floor for storing the import's rows in forecourt's own schema: the leads, vehicles,
/// ownerships and service events the import stored, copied with `INSERT … SELECT` into a fresh,
/// migrated database (same pragmas, the import's cache and checkpoint settings), each
/// transaction with its share of every table by id range (for [`Floor::Batched`], the events of
/// one import transaction and the customers, vehicles and ownerships created alongside them).
/// The same B-tree writes as the import, in the same order, without parsing, lookups,
/// foreign-key checks (a batch's rows may point at rows of a later one) or a statement per row.
fn schema_floor(dir: &Path, imported: &Path, floor: Floor) -> Result<f64> {
    let dir = dir.join(format!("floor-{floor:?}").to_lowercase());
    let db = crate::db::Db::open(&dir.join("forecourt.db"))?;
    db.migrate()?;
    let mut conn = db.conn()?;
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    conn.execute("ATTACH DATABASE ?1 AS src", [imported.to_string_lossy()])?;
    conn.execute_batch("INSERT INTO accounts SELECT * FROM src.accounts")?;
    let tables = ["leads", "vehicles", "ownerships", "service_events"];
    let mut sizes = Vec::new();
    for table in tables {
        let max: i64 = conn.query_row(&format!("SELECT coalesce(max(id), 0) FROM src.{table}"), [], |r| {
            r.get(0)
        })?;
        sizes.push(max);
    }
    let batch = crate::ingest::dms_import::BATCH as i64;
    let transactions = match floor {
        Floor::OneTransaction => 1,
        Floor::Batched | Floor::Deferred => ((sizes[3] + batch - 1) / batch).max(1),
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
    for (name, _) in &deferred {
        conn.execute_batch(&format!("DROP INDEX {name}"))?;
    }
    let started = Instant::now();
    crate::db::with_bulk_settings(&mut conn, |conn| -> Result<()> {
        for b in 0..transactions {
            let tx = conn.transaction()?;
            for (table, size) in tables.iter().zip(&sizes) {
                let (lo, hi) = (size * b / transactions, size * (b + 1) / transactions);
                tx.execute(
                    &format!("INSERT INTO {table} SELECT * FROM src.{table} WHERE id > ?1 AND id <= ?2"),
                    [lo, hi],
                )?;
            }
            tx.commit()?;
        }
        let tx = conn.transaction()?;
        for (_, sql) in &deferred {
            tx.execute_batch(sql)?;
        }
        tx.commit()?;
        Ok(())
    })??;
    let seconds = started.elapsed().as_secs_f64();
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
