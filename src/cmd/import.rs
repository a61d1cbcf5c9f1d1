//! `forecourt import FILE --account N [--dry-run] [--kind service|deals]`: a DMS export from the
//! command line, with a progress line.

use crate::build_app;
use anyhow::{Context, Result};
use forecourt::clock::Clock;
use forecourt::config::Config;
use forecourt::ingest::dms::ExportKind;
use forecourt::store;
use std::io::IsTerminal;
use std::io::Write as _;
use std::sync::Arc;

/// Counts the bytes a reader has handed out, for the progress line.
struct Counting<R> {
    inner: R,
    read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

pub fn import(
    config: Config,
    clock: Arc<dyn Clock>,
    file: &std::path::Path,
    account_id: i64,
    dry_run: bool,
    kind: Option<&str>,
) -> Result<()> {
    let kind =
        kind.map(|k| ExportKind::parse(k).ok_or_else(|| anyhow::anyhow!("--kind is `service` or `deals`, not `{k}`")));
    let kind = kind.transpose()?;
    use forecourt::ingest::dms_import::{import_csv, ImportOptions};
    let app = build_app(config, clock)?;
    let mut conn = app.db.conn()?;
    let account = store::accounts::get(&conn, account_id)?;
    let tz = account.timezone;
    let custom = store::imports::mappings(&conn, account_id)?
        .into_iter()
        .filter_map(|(h, f)| Some((h, serde_json::from_value(serde_json::Value::String(f)).ok()?)))
        .collect();
    let total = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let read = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let input = std::io::BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: f,
            read: read.clone(),
        },
    );
    let started = std::time::Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut progress = |rows: usize| {
        let secs = started.elapsed().as_secs_f64().max(0.001);
        let done = read.load(std::sync::atomic::Ordering::Relaxed).min(total);
        let rate = rows as f64 / secs;
        let eta = if done > 0 {
            secs * (total - done) as f64 / done as f64
        } else {
            0.0
        };
        let line = format!(
            "{rows} rows  {rate:.0} rows/s  {:.0}%  ETA {eta:.0}s",
            100.0 * done as f64 / total.max(1) as f64
        );
        // progress goes to stderr (the report to stdout), as a CLI's should
        let mut err = std::io::stderr().lock();
        let _ = if tty {
            write!(err, "\r{line}   ")
        } else {
            writeln!(err, "{line}")
        };
    };
    let reports = forecourt::ingest::dms_import::reports_dir(&app.config.data_dir);
    let opts = ImportOptions {
        account_id,
        tz,
        custom: &custom,
        source: "cli",
        dry_run,
        now: app.now(),
        reports: Some(&reports),
        kind,
    };
    let report = import_csv(&mut conn, &opts, input, &mut progress).map_err(|e| anyhow::anyhow!("{e}"))?;
    if tty {
        writeln!(std::io::stderr())?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    if let Some(path) = &report.full_report_path {
        writeln!(
            out,
            "{} errors and {} warnings in all; every one is in {}",
            report.errors_total,
            report.warnings_total,
            path.display()
        )?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    Ok(())
}
