//! The watched folder: a DMS on the same box (or a share) drops exports into
//! `<inbox>/<account id>/`. A file is taken once its size has held still between two runs,
//! imported, then moved to `processed/` — or to `failed/` with `<name>.errors.csv` beside it
//! when rows were refused or the file could not be read. The journal, keyed by the file's
//! content hash, makes a file imported exactly once even if the process is killed mid-file:
//! a half-done import is simply redone (every row upsert is idempotent).

use super::{BoxFuture, Counts, Job};
use crate::clock::to_unix;
use crate::error::{Error, Result};
use crate::ingest::dms::Field;
use crate::ingest::dms_import::{self, ImportError, ImportOptions, ImportReport};
use crate::store::{self, imports::Begun};
use crate::App;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Default)]
pub struct InboxWatcher {
    /// size of each waiting file at the last run: a file is taken when it has not grown
    seen: Mutex<HashMap<PathBuf, u64>>,
}

impl InboxWatcher {
    pub fn inbox(app: &App) -> PathBuf {
        app.config.data_dir.join("inbox")
    }
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

fn move_to(path: &Path, dir: &str) -> std::io::Result<PathBuf> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let target_dir = parent.join(dir);
    std::fs::create_dir_all(&target_dir)?;
    let name = path.file_name().unwrap_or_default();
    let mut target = target_dir.join(name);
    if target.exists() {
        // never overwrite an earlier file of the same name
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f");
        target = target_dir.join(format!("{stamp}-{}", name.to_string_lossy()));
    }
    std::fs::rename(path, &target)?;
    Ok(target)
}

fn write_errors(next_to: &Path, report: &ImportReport, fatal: Option<&str>) -> std::io::Result<()> {
    let to = next_to.with_file_name(format!(
        "{}.errors.csv",
        next_to.file_name().unwrap_or_default().to_string_lossy()
    ));
    report.write_issues_csv(&to, fatal)
}

/// Import one file for an account through the journal; returns where the file went. `reports`
/// is where a full report goes (see `dms_import::reports_dir`).
pub fn import_file(
    conn: &mut crate::db::Conn,
    account_id: i64,
    path: &Path,
    reports: &Path,
    now: DateTime<Utc>,
) -> Result<&'static str> {
    let hash = hash_file(path).map_err(|e| Error::internal(format!("cannot read {}: {e}", path.display())))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
    let t = to_unix(now);
    let journal = match conn.write_with(|tx| store::imports::begin(tx, account_id, &hash, &name, "folder", t))? {
        Begun::AlreadyDone(_) => {
            tracing::info!(file = %path.display(), "this file's content was imported before; moving it aside");
            move_to(path, "processed").map_err(Error::internal)?;
            return Ok("duplicate");
        }
        Begun::Import(id) => id,
    };
    let account = store::accounts::get(conn, account_id)?;
    let tz: chrono_tz::Tz = account.timezone.parse().unwrap_or(chrono_tz::UTC);
    let custom: HashMap<String, Field> = store::imports::mappings(conn, account_id)?
        .into_iter()
        .filter_map(|(h, f)| Some((h, serde_json::from_value(serde_json::Value::String(f)).ok()?)))
        .collect();
    let opts = ImportOptions {
        account_id,
        tz,
        custom: &custom,
        source: "folder",
        dry_run: false,
        now,
        reports: Some(reports),
    };
    let file = std::fs::File::open(path).map_err(Error::internal)?;
    let result = dms_import::import_csv(conn, &opts, std::io::BufReader::new(file), &mut |_| {});
    let (status, report, fatal): (&str, ImportReport, Option<String>) = match result {
        Ok(r) => ("done", r, None),
        Err(ImportError::Store(e)) => return Err(e),
        Err(e) => ("failed", ImportReport::default(), Some(e.to_string())),
    };
    let report_json = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
    conn.write_with(|tx| store::imports::finish(tx, journal, status, report.rows as i64, &report_json, to_unix(now)))?;
    let to = if fatal.is_some() || report.errors_total > 0 {
        "failed"
    } else {
        "processed"
    };
    let moved = move_to(path, to).map_err(Error::internal)?;
    if to == "failed" {
        write_errors(&moved, &report, fatal.as_deref()).map_err(Error::internal)?;
    }
    tracing::info!(file = %name, rows = report.rows, created = report.created, updated = report.updated,
        errors = report.errors_total, to, "inbox file imported");
    Ok(if to == "failed" { "failed" } else { "imported" })
}

impl Job for InboxWatcher {
    fn name(&self) -> &'static str {
        "inbox.import"
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(30)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        Box::pin(async move {
            let inbox = Self::inbox(app);
            let mut ready = Vec::new();
            {
                let mut seen = self.seen.lock().map_err(|_| Error::internal("inbox state poisoned"))?;
                let mut still_there = HashMap::new();
                let Ok(accounts) = std::fs::read_dir(&inbox) else {
                    return Ok(Counts::new());
                };
                for dir in accounts.flatten() {
                    let Some(account_id) = dir.file_name().to_str().and_then(|n| n.parse::<i64>().ok()) else {
                        continue;
                    };
                    let Ok(files) = std::fs::read_dir(dir.path()) else {
                        continue;
                    };
                    for f in files.flatten() {
                        let path = f.path();
                        let name = f.file_name().to_string_lossy().to_string();
                        let Ok(meta) = f.metadata() else { continue };
                        if !meta.is_file() || name.starts_with('.') || name.ends_with(".errors.csv") {
                            continue;
                        }
                        let size = meta.len();
                        if seen.get(&path) == Some(&size) {
                            ready.push((account_id, path.clone()));
                        }
                        still_there.insert(path, size);
                    }
                }
                *seen = still_there;
            }
            let mut counts = Counts::new();
            for (account_id, path) in ready {
                let p = path.clone();
                let reports = dms_import::reports_dir(&app.config.data_dir);
                let outcome = app
                    .db
                    .call(move |c| import_file(c, account_id, &p, &reports, now))
                    .await;
                match outcome {
                    Ok(kind) => {
                        *counts.entry(kind).or_default() += 1;
                        self.seen
                            .lock()
                            .map_err(|_| Error::internal("inbox state poisoned"))?
                            .remove(&path);
                    }
                    Err(e) => {
                        tracing::error!(file = %path.display(), error = %e, "inbox import failed; will retry");
                        *counts.entry("retry").or_default() += 1;
                    }
                }
            }
            Ok(counts)
        })
    }
}
