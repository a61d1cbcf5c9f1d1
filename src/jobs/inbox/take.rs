//! Taking one file that has held still: import it through the journal and file it, or set it
//! aside with its reason. Only what was imported is ever filed: if the file changed while it was
//! read, it is left where it is, to be imported again once it holds still (rows are matched by
//! RO number, so importing it again doubles nothing).

use super::folder::{self, Denied, Stat};
use super::kind;
use crate::clock::to_unix;
use crate::config::Config;
use crate::db::Conn;
use crate::error::{Error, Result};
use crate::ingest::dms::{ExportKind, Field};
use crate::ingest::dms_import::{self, ImportError, ImportOptions, ImportReport};
use crate::store::{self, imports::Begun};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::{Component, Path, PathBuf};

pub const PROCESSED: &str = "processed";
pub const FAILED: &str = "failed";

/// What became of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// every row went in; filed in processed/
    Imported,
    /// rows were refused or the file could not be read as an export; filed in failed/ with its report
    Failed,
    /// this content was imported before; filed without importing
    Duplicate,
    /// not an export forecourt can import; in failed/ with the reason
    SetAside,
    /// it changed while it was being taken; left where it was
    Changed,
    /// not a plain file inside the inbox, or it could only be filed through a link: untouched
    Refused(String),
}

/// One file to take: `rel` inside the account's (canonical) folder, `nightly.csv` or, for a file
/// written to after it was filed, `processed/nightly.csv`.
pub struct Take<'a> {
    pub account_id: i64,
    pub account_dir: &'a Path,
    pub rel: &'a Path,
    /// where an import's full report goes (`dms_import::reports_dir`)
    pub reports: &'a Path,
    pub now: DateTime<Utc>,
    /// filed files older than this are no longer watched
    pub forget_before: DateTime<Utc>,
}

/// Take the file `name` in account `account_id`'s folder now, without waiting for it to hold
/// still (the job waits; this is the step after).
pub fn take_file(
    conn: &mut Conn,
    config: &Config,
    account_id: i64,
    name: &str,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize),
) -> Result<Taken> {
    let inbox = std::fs::canonicalize(super::InboxWatcher::inbox(config)).map_err(Error::internal)?;
    let account_dir = match folder::plain_dir(&inbox.join(account_id.to_string()), &inbox) {
        Ok(dir) => dir,
        Err(Denied::Refused(why)) => return Ok(Taken::Refused(why)),
        Err(Denied::Io(e)) => return Err(Error::internal(e)),
    };
    let take = Take {
        account_id,
        account_dir: &account_dir,
        rel: Path::new(name),
        reports: &crate::ingest::dms_import::reports_dir(&config.data_dir),
        now,
        forget_before: now - chrono::Duration::hours(config.inbox_watch_hours as i64),
    };
    take_one(conn, &take, None, progress)
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::internal(format!("{}: {e}", path.display()))
}

/// Reads through to a SHA-256 of everything read, and its length.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing {
            inner,
            hash: Sha256::new(),
            bytes: 0,
        }
    }

    /// Read the rest, and the hash and length of the whole.
    fn finish(mut self) -> std::io::Result<(String, u64)> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok((hex::encode(self.hash.finalize()), self.bytes))
    }
}

/// Take one file (see [`Taken`]). `set_aside`: a reason decided before (a file named as unfinished
/// that has sat unchanged for too long).
pub fn take_one(
    conn: &mut Conn,
    t: &Take,
    set_aside: Option<String>,
    progress: &mut dyn FnMut(usize),
) -> Result<Taken> {
    let path = t.account_dir.join(t.rel);
    let dir = path.parent().unwrap_or(t.account_dir);
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    // where it could go, before reading anything: a destination reached through a link refuses the file
    let (processed, failed) = match (
        folder::destination(t.account_dir, PROCESSED),
        folder::destination(t.account_dir, FAILED),
    ) {
        (Ok(p), Ok(f)) => (p, f),
        (Err(Denied::Refused(why)), _) | (_, Err(Denied::Refused(why))) => return Ok(Taken::Refused(why)),
        (Err(Denied::Io(e)), _) | (_, Err(Denied::Io(e))) => return Err(io_error(t.account_dir, e)),
    };
    let (mut file, before) = match folder::open_plain(&path, dir) {
        Ok(opened) => opened,
        Err(Denied::Refused(why)) => return Ok(Taken::Refused(why)),
        Err(Denied::Io(e)) => return Err(io_error(&path, e)),
    };
    let mut head = Vec::with_capacity(kind::HEAD_BYTES);
    (&file)
        .take(kind::HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| io_error(&path, e))?;
    file.rewind().map_err(|e| io_error(&path, e))?;
    let (hash, length) = Hashing::new(&file).finish().map_err(|e| io_error(&path, e))?;
    let unchanged = |file: &std::fs::File| folder::still_same(file, &path, before).map_err(|e| io_error(&path, e));
    if length != before.size {
        return Ok(Taken::Changed);
    }

    if let Some(reason) = set_aside.or_else(|| kind::not_importable(&name, before.size, &head)) {
        if !unchanged(&file)? {
            return Ok(Taken::Changed);
        }
        file_it(
            conn,
            t,
            &failed,
            Some((&ImportReport::default(), Some(reason.as_str()))),
            before,
            &hash,
        )?;
        tracing::warn!(file = %path.display(), reason, "inbox file set aside");
        return Ok(Taken::SetAside);
    }

    let t_unix = to_unix(t.now);
    let journal = match conn.write_with(|tx| store::imports::begin(tx, t.account_id, &hash, &name, "folder", t_unix))? {
        Begun::AlreadyDone(_) => {
            if !unchanged(&file)? {
                return Ok(Taken::Changed);
            }
            // the same export dropped again goes to processed/; a filed file whose content is
            // what was imported (touched, or rewritten the same) stays where it is
            let stays: &Path = if dir != t.account_dir { dir } else { &processed };
            file_it(conn, t, stays, None, before, &hash)?;
            tracing::info!(file = %path.display(), "this file's content was imported before; filed without importing");
            return Ok(Taken::Duplicate);
        }
        Begun::Import(id) => id,
    };
    let account = store::accounts::get(conn, t.account_id)?;
    let tz = account.timezone;
    let custom: HashMap<String, Field> = store::imports::mappings(conn, t.account_id)?
        .into_iter()
        .filter_map(|(h, f)| Some((h, serde_json::from_value(serde_json::Value::String(f)).ok()?)))
        .collect();
    let opts = ImportOptions {
        account_id: t.account_id,
        tz,
        custom: &custom,
        source: "folder",
        dry_run: false,
        now: t.now,
        reports: Some(t.reports),
        kind: ExportKind::from_file_name(&path),
    };
    file.rewind().map_err(|e| io_error(&path, e))?;
    let mut reading = Hashing::new(std::io::BufReader::new(&file));
    let result = dms_import::import_csv(conn, &opts, &mut reading, progress);
    let (status, report, fatal): (&str, ImportReport, Option<String>) = match result {
        Ok(r) => ("done", r, None),
        Err(ImportError::Store(e)) => return Err(e),
        Err(e) => ("failed", ImportReport::default(), Some(e.to_string())),
    };
    // what was read is what the journal names only if the file did not change under the import
    let read = reading.finish().map_err(|e| io_error(&path, e))?;
    let as_journaled = read == (hash.clone(), before.size);
    let status = if as_journaled { status } else { "failed" };
    let report_json = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
    conn.write_with(|tx| {
        store::imports::finish(tx, journal, status, report.rows as i64, &report_json, to_unix(t.now))
    })?;
    if !as_journaled || !unchanged(&file)? {
        tracing::warn!(file = %path.display(), rows = report.rows,
            "the file changed while it was imported; left in place to be imported again once it holds still");
        return Ok(Taken::Changed);
    }
    let refused_rows = fatal.is_some() || report.errors_total > 0;
    let (to, taken) = if refused_rows {
        (&failed, Taken::Failed)
    } else {
        (&processed, Taken::Imported)
    };
    file_it(
        conn,
        t,
        to,
        refused_rows.then_some((&report, fatal.as_deref())),
        before,
        &hash,
    )?;
    tracing::info!(file = %path.display(), rows = report.rows, created = report.created, updated = report.updated,
        errors = report.errors_total, to = %to.display(), "inbox file imported");
    Ok(taken)
}

/// Move the file into `to` (unless it is there already), write its report when it has one (the
/// refused rows and the whole-file reason), and remember what was filed so that a later write to
/// it is noticed.
fn file_it(
    conn: &mut Conn,
    t: &Take,
    to: &Path,
    report: Option<(&ImportReport, Option<&str>)>,
    filed: Stat,
    hash: &str,
) -> Result<()> {
    let path = t.account_dir.join(t.rel);
    let from = path.parent().unwrap_or(t.account_dir);
    let target = if from == to {
        path.clone()
    } else {
        let target = folder::move_into(&path, to, report.is_some(), t.now).map_err(|e| io_error(&path, e))?;
        if from != t.account_dir {
            // it was filed before, in the other folder: its report there is stale
            folder::remove_report(&path).map_err(|e| io_error(&path, e))?;
        }
        target
    };
    if let Some((issues, fatal)) = report {
        folder::write_report(&target, issues, fatal).map_err(|e| io_error(&target, e))?;
    }
    let old = watched_name(t.rel).filter(|_| from != to && from != t.account_dir);
    let Some(new) = target.strip_prefix(t.account_dir).ok().and_then(watched_name) else {
        tracing::warn!(file = %target.display(), "a file name that is not UTF-8 is not watched for late writes");
        return Ok(());
    };
    conn.write_with(|tx| {
        if let Some(old) = &old {
            store::inbox_filed::forget(tx, t.account_id, old)?;
        }
        store::inbox_filed::record(
            tx,
            t.account_id,
            &new,
            filed.size as i64,
            filed.modified_ns,
            hash,
            to_unix(t.now),
            to_unix(t.forget_before),
        )
    })
}

/// A filed file's path inside its account's folder as remembered (`processed/nightly.csv`), and
/// back: only a name directly in processed/ or failed/ is one.
pub fn watched_name(rel: &Path) -> Option<String> {
    let parts: Vec<Component> = rel.components().collect();
    match parts.as_slice() {
        [Component::Normal(folder), Component::Normal(name)]
            if (*folder == PROCESSED || *folder == FAILED) && name.to_str().is_some() =>
        {
            rel.to_str().map(str::to_string)
        }
        _ => None,
    }
}

/// A remembered path, if it is one [`watched_name`] would give.
pub fn watched_path(name: &str) -> Option<PathBuf> {
    let rel = PathBuf::from(name);
    watched_name(&rel).map(|_| rel)
}

/// Set aside a file in the folder of an account this box does not have: moved to that folder's
/// failed/ with `reason`, nothing read, nothing written to the database.
pub fn set_aside_without_account(account_dir: &Path, name: &Path, reason: &str, now: DateTime<Utc>) -> Result<Taken> {
    let path = account_dir.join(name);
    let failed = match folder::destination(account_dir, FAILED) {
        Ok(f) => f,
        Err(Denied::Refused(why)) => return Ok(Taken::Refused(why)),
        Err(Denied::Io(e)) => return Err(io_error(account_dir, e)),
    };
    let (file, before) = match folder::open_plain(&path, account_dir) {
        Ok(opened) => opened,
        Err(Denied::Refused(why)) => return Ok(Taken::Refused(why)),
        Err(Denied::Io(e)) => return Err(io_error(&path, e)),
    };
    if !folder::still_same(&file, &path, before).map_err(|e| io_error(&path, e))? {
        return Ok(Taken::Changed);
    }
    let target = folder::move_into(&path, &failed, true, now).map_err(|e| io_error(&path, e))?;
    folder::write_report(&target, &ImportReport::default(), Some(reason)).map_err(|e| io_error(&target, e))?;
    tracing::warn!(file = %path.display(), reason, "inbox file set aside");
    Ok(Taken::SetAside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_directly_in_processed_or_failed_are_watched() {
        assert_eq!(
            watched_name(Path::new("processed/ro.csv")).as_deref(),
            Some("processed/ro.csv")
        );
        assert_eq!(
            watched_name(Path::new("failed/ro.csv")).as_deref(),
            Some("failed/ro.csv")
        );
        for bad in [
            "ro.csv",
            "processed",
            "other/ro.csv",
            "processed/../../etc/passwd",
            "/etc/passwd",
            "processed/x/ro.csv",
            "../processed/ro.csv",
        ] {
            assert_eq!(watched_name(Path::new(bad)), None, "{bad}");
            assert_eq!(watched_path(bad), None, "{bad}");
        }
    }
}
