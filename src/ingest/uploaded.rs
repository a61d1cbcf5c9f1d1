//! An export uploaded in the browser (Imports page): kept on this machine between its dry run and
//! the manager's "Import", under `<data>/uploads/pending/<account id>/<id>.csv` with what it was
//! (`<id>.json`: its file name and the kind chosen). The id is `<unix time>-<32 hex digits>`,
//! made here: nothing a client sends names a path, and an account reaches only its own folder.
//! An upload left waiting [`PENDING_KEPT_SECS`] is removed. The real import goes through the
//! import journal, as the watched folder's do: the same content is imported once.

use super::dms::ExportKind;
use super::dms_import::{self, ImportError, ImportOptions, ImportReport};
use crate::clock::to_unix;
use crate::db::Conn;
use crate::error::Error;
use crate::store::{self, imports::Begun};
use sha2::Digest;
use std::path::{Path, PathBuf};

/// How long an upload waits for its "Import".
pub const PENDING_KEPT_SECS: i64 = 3600;

/// An uploaded export waiting for its import.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub id: String,
    pub file_name: String,
    /// as chosen on the form; None: the headers say
    pub kind: Option<ExportKind>,
    pub path: PathBuf,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct About {
    file_name: String,
    kind: Option<String>,
}

fn folder(data_dir: &Path, account_id: i64) -> PathBuf {
    dms_import::uploads_dir(data_dir)
        .join("pending")
        .join(account_id.to_string())
}

/// The time an id was made at, if it is one this module makes.
fn made_at(id: &str) -> Option<i64> {
    let (time, random) = id.split_once('-')?;
    let hex = random.len() == 32 && random.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = !time.is_empty() && time.len() <= 19 && time.bytes().all(|b| b.is_ascii_digit());
    if hex && digits {
        time.parse().ok()
    } else {
        None
    }
}

/// The file name a person reads: its last path segment, without control characters, cut short.
fn plain_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    if name.trim().is_empty() {
        "upload.csv".into()
    } else {
        name
    }
}

/// Keep `data` for the account; removes the account's uploads that waited too long.
pub fn save(
    data_dir: &Path,
    account_id: i64,
    now: i64,
    file_name: &str,
    kind: Option<ExportKind>,
    data: &[u8],
) -> std::io::Result<Pending> {
    remove_expired(data_dir, account_id, now);
    let dir = folder(data_dir, account_id);
    std::fs::create_dir_all(&dir)?;
    let id = format!("{now}-{}", uuid::Uuid::new_v4().simple());
    let about = About {
        file_name: plain_name(file_name),
        kind: kind.map(|k| k.as_str().to_string()),
    };
    let path = dir.join(format!("{id}.csv"));
    std::fs::write(&path, data)?;
    std::fs::write(dir.join(format!("{id}.json")), serde_json::to_vec(&about)?)?;
    Ok(Pending {
        id,
        file_name: about.file_name,
        kind,
        path,
    })
}

/// The account's upload `id`, if it is there and has not waited too long.
pub fn load(data_dir: &Path, account_id: i64, id: &str, now: i64) -> Option<Pending> {
    let made = made_at(id)?;
    if now - made > PENDING_KEPT_SECS {
        return None;
    }
    let dir = folder(data_dir, account_id);
    let about: About = serde_json::from_slice(&std::fs::read(dir.join(format!("{id}.json"))).ok()?).ok()?;
    let path = dir.join(format!("{id}.csv"));
    path.is_file().then(|| Pending {
        id: id.to_string(),
        file_name: about.file_name,
        kind: about.kind.as_deref().and_then(ExportKind::parse),
        path,
    })
}

/// The upload is done with (imported, or given up).
pub fn remove(p: &Pending) {
    let _ = std::fs::remove_file(&p.path);
    let _ = std::fs::remove_file(p.path.with_extension("json"));
}

/// Remove the account's uploads older than [`PENDING_KEPT_SECS`] (their time is in their name).
pub fn remove_expired(data_dir: &Path, account_id: i64, now: i64) -> usize {
    let Ok(files) = std::fs::read_dir(folder(data_dir, account_id)) else {
        return 0;
    };
    let mut removed = 0;
    for f in files.flatten() {
        let name = f.file_name().to_string_lossy().to_string();
        let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(&name);
        if made_at(stem).is_some_and(|t| now - t > PENDING_KEPT_SECS) && std::fs::remove_file(f.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// At start: remove every account's uploads that waited too long (an account whose manager
/// never comes back would otherwise keep them).
pub fn remove_all_expired(data_dir: &Path, now: i64) -> usize {
    let Ok(accounts) = std::fs::read_dir(dms_import::uploads_dir(data_dir).join("pending")) else {
        return 0;
    };
    accounts
        .flatten()
        .filter_map(|a| a.file_name().to_str()?.parse::<i64>().ok())
        .map(|account_id| remove_expired(data_dir, account_id, now))
        .sum()
}

/// What the real import of an upload did.
#[derive(Debug)]
pub enum Imported {
    /// imported; the journal's entry and the report
    Done(i64, ImportReport),
    /// this content was imported before (the journal's report of that time)
    AlreadyDone(Option<String>),
}

/// Read the upload without writing anything: what importing it would do.
pub fn dry_run(conn: &mut Conn, opts: &ImportOptions, p: &Pending) -> Result<ImportReport, ImportError> {
    let f = std::fs::File::open(&p.path).map_err(Error::internal)?;
    let opts = ImportOptions {
        dry_run: true,
        kind: p.kind,
        ..*opts
    };
    dms_import::import_csv(conn, &opts, std::io::BufReader::new(f), &mut |_| {})
}

/// Import the upload for real, through the import journal (source `api`: sent to forecourt
/// rather than dropped in its folder), once per content.
pub fn import(conn: &mut Conn, opts: &ImportOptions, p: &Pending) -> Result<Imported, ImportError> {
    let bytes = std::fs::read(&p.path).map_err(Error::internal)?;
    let hash = hex::encode(sha2::Sha256::digest(&bytes));
    let now = to_unix(opts.now);
    let begun = conn.write_with(|tx| store::imports::begin(tx, opts.account_id, &hash, &p.file_name, "api", now))?;
    let journal = match begun {
        Begun::AlreadyDone(report) => return Ok(Imported::AlreadyDone(report)),
        Begun::Import(id) => id,
    };
    let opts = ImportOptions {
        dry_run: false,
        kind: p.kind,
        ..*opts
    };
    let result = dms_import::import_csv(conn, &opts, &bytes[..], &mut |_| {});
    let (status, report) = match &result {
        Ok(r) => ("done", r.clone()),
        Err(_) => ("failed", ImportReport::default()),
    };
    let json = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
    conn.write_with(|tx| store::imports::finish(tx, journal, status, report.rows as i64, &json, now))?;
    result.map(|r| Imported::Done(journal, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_found_only_by_its_account_and_only_while_it_waits() {
        let dir = tempfile::tempdir().unwrap();
        let p = save(
            dir.path(),
            7,
            1_000,
            "C:\\exports\\ros\u{7}.csv",
            Some(ExportKind::Deals),
            b"a,b\n",
        )
        .unwrap();
        assert_eq!(p.file_name, "ros.csv");
        assert_eq!(load(dir.path(), 7, &p.id, 1_000 + PENDING_KEPT_SECS), Some(p.clone()));
        assert_eq!(load(dir.path(), 8, &p.id, 1_000), None, "another account's");
        assert_eq!(load(dir.path(), 7, "../8/x", 1_000), None);
        assert_eq!(load(dir.path(), 7, &p.id, 1_001 + PENDING_KEPT_SECS), None, "expired");
        assert_eq!(remove_all_expired(dir.path(), 1_000 + PENDING_KEPT_SECS), 0);
        assert_eq!(remove_all_expired(dir.path(), 1_001 + PENDING_KEPT_SECS), 2);
        assert!(!p.path.exists());
    }
}
