//! `forecourt bench recompute --ownerships N`: the watchlist's nightly recompute over N
//! generated owners, beside one plain SQL read of the same rows in the same run, with the
//! peak memory of each.

use crate::clock::to_unix;
use crate::error::{Error, Result};
use crate::store;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, serde::Serialize)]
pub struct RecomputeFigures {
    pub ownerships: i64,
    pub generate_seconds: f64,
    pub db_bytes: u64,
    /// one plain read of the same rows (owners, visits, facts), seconds, and the rows read
    pub scan_seconds: f64,
    pub scan_rows: i64,
    /// the first recompute (every score new: a history row each), seconds
    pub first_seconds: f64,
    /// the same again (nothing changed: no history written), seconds
    pub again_seconds: f64,
    pub scored: usize,
    /// the first recompute's time reading, scoring and writing, seconds
    pub first_split: (f64, f64, f64),
    /// peak resident memory (VmHWM) during the scan and during the recomputes, kB (the peak is
    /// reset after generating the data, where the kernel allows)
    pub scan_peak_kb: Option<u64>,
    pub recompute_peak_kb: Option<u64>,
}

pub async fn recompute(ownerships: i64, dir: Option<PathBuf>) -> Result<RecomputeFigures> {
    let dir =
        dir.unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-recompute-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let app = super::app_in(&dir)?;
    let now = app.now();
    let t = to_unix(now);
    let generated = Instant::now();
    let account_id = app
        .db
        .call(move |c| {
            let tx = c.write()?;
            let account_id = super::account(&tx, t)?;
            store::bench_data::owners(&tx, account_id, ownerships, t)?;
            store::bench_data::analyze(&tx)?;
            tx.commit()?;
            Ok(account_id)
        })
        .await?;
    let generate_seconds = generated.elapsed().as_secs_f64();
    app.db.call(|c| store::checkpoint(c)).await?;

    super::reset_peak();
    let started = Instant::now();
    let scan_rows = app
        .db
        .call(move |c| store::bench_data::watchlist_scan(c, account_id, t))
        .await?;
    let scan_seconds = started.elapsed().as_secs_f64();
    let scan_peak_kb = super::peak_rss_kb();

    super::reset_peak();
    let started = Instant::now();
    let report = crate::watchlist::recompute(&app.db, now).await?;
    let first_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    crate::watchlist::recompute(&app.db, now).await?;
    let again_seconds = started.elapsed().as_secs_f64();
    let recompute_peak_kb = super::peak_rss_kb();

    let db_bytes = std::fs::metadata(app.config.database_path())
        .map(|m| m.len())
        .unwrap_or(0);
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(RecomputeFigures {
        ownerships,
        generate_seconds,
        db_bytes,
        scan_seconds,
        scan_rows,
        first_seconds,
        again_seconds,
        scored: report.scored,
        first_split: (report.read_seconds, report.score_seconds, report.write_seconds),
        scan_peak_kb,
        recompute_peak_kb,
    })
}

impl std::fmt::Display for RecomputeFigures {
    /// The report `forecourt bench recompute` prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |kb: Option<u64>| kb.map_or("?".to_string(), |kb| format!("{:.0} MB", kb as f64 / 1024.0));
        writeln!(
            f,
            "store           {} ownerships ({} rows read), {:.1} MB, generated in {:.1} s",
            self.ownerships,
            self.scan_rows,
            self.db_bytes as f64 / 1e6,
            self.generate_seconds
        )?;
        writeln!(
            f,
            "plain SQL scan  {:.2} s, peak {}",
            self.scan_seconds,
            mb(self.scan_peak_kb)
        )?;
        writeln!(
            f,
            "recompute       {:.2} s first ({} scored, {:.1}x the scan), {:.2} s again ({:.1}x), peak {}",
            self.first_seconds,
            self.scored,
            self.first_seconds / self.scan_seconds.max(1e-9),
            self.again_seconds,
            self.again_seconds / self.scan_seconds.max(1e-9),
            mb(self.recompute_peak_kb)
        )?;
        let (read, score, write) = self.first_split;
        writeln!(
            f,
            "  first run     {read:.2} s reading, {score:.2} s scoring, {write:.2} s writing"
        )
    }
}
