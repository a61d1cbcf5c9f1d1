//! The paths the inbox job touches, each checked to be exactly where it appears to be: a plain
//! folder or file (not a link, not a pipe or a device) whose canonical path is its folder's
//! canonical path plus its name. So nothing outside the inbox is ever read or moved, and a link
//! to another account's folder cannot import that account's files into the wrong account.

use crate::ingest::dms_import::ImportReport;
use chrono::{DateTime, Utc};
use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};

/// Why a path was not touched.
#[derive(Debug)]
pub enum Denied {
    /// It is not a plain file or folder inside the inbox: a person has to look at it.
    Refused(String),
    /// It could not be read: worth another try.
    Io(io::Error),
}

impl From<io::Error> for Denied {
    fn from(e: io::Error) -> Self {
        Denied::Io(e)
    }
}

/// What a file was at one look: it has changed if either differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    /// modified time, ns since 1970 (negative before)
    pub modified_ns: i64,
}

impl Stat {
    pub fn of(meta: &Metadata) -> Stat {
        let modified_ns = match meta.modified() {
            Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
                Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
            },
            Err(_) => 0,
        };
        Stat {
            size: meta.len(),
            modified_ns,
        }
    }
}

fn refused(path: &Path, why: &str) -> Denied {
    Denied::Refused(format!("{} {why}", path.display()))
}

/// `path` as a plain folder directly inside `parent` (canonical): its canonical path.
pub fn plain_dir(path: &Path, parent: &Path) -> Result<PathBuf, Denied> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(refused(path, "is a link; the inbox never follows links"));
    }
    if !meta.is_dir() {
        return Err(refused(path, "is not a folder"));
    }
    let canonical = std::fs::canonicalize(path)?;
    match path.file_name() {
        Some(name) if canonical == parent.join(name) => Ok(canonical),
        _ => Err(refused(path, "leads outside the inbox")),
    }
}

/// The account's `processed/` or `failed/` folder, created if missing: files are only ever moved
/// into a plain folder inside the account's own.
pub fn destination(account_dir: &Path, name: &str) -> Result<PathBuf, Denied> {
    let path = account_dir.join(name);
    match std::fs::create_dir(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e.into()),
    }
    plain_dir(&path, account_dir).map_err(|d| match d {
        Denied::Refused(why) => Denied::Refused(format!("{why}; replace it with a plain folder")),
        io => io,
    })
}

/// Open `path`, a plain file directly in `dir` (canonical), for reading, and what it was when
/// opened. The final name is opened without following a link, and without waiting on a pipe;
/// what was opened is then checked to be the file at that place inside `dir`.
pub fn open_plain(path: &Path, dir: &Path) -> Result<(File, Stat), Denied> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(refused(path, "is a link; the inbox never follows links"));
    }
    if !meta.is_file() {
        return Err(refused(path, "is not a regular file"));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        // O_NOFOLLOW: the name became a link since it was looked at
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(refused(path, "is a link; the inbox never follows links"))
        }
        Err(e) => return Err(e.into()),
    };
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(refused(path, "is not a regular file"));
    }
    let canonical = std::fs::canonicalize(path)?;
    let inside = path.file_name().is_some_and(|name| canonical == dir.join(name));
    if !inside || !same_file(&opened, &std::fs::symlink_metadata(&canonical)?) {
        return Err(refused(path, "leads outside the inbox"));
    }
    Ok((file, Stat::of(&opened)))
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// Is the file opened as `file` still at `path`, and still what it was (`before`)?
pub fn still_same(file: &File, path: &Path, before: Stat) -> io::Result<bool> {
    let now = file.metadata()?;
    let there = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    Ok(Stat::of(&now) == before && same_file(&now, &there))
}

/// `file`'s error report: `<name>.errors.csv` beside it.
pub fn report_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(super::kind::REPORT_SUFFIX);
    file.with_file_name(name)
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Move `path` into `dir` under its own name, or, if that name (or its report's, when one will
/// be written) is taken, under `<time>-<name>`: an earlier file is never overwritten.
pub fn move_into(path: &Path, dir: &Path, with_report: bool, now: DateTime<Utc>) -> io::Result<PathBuf> {
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let taken = |p: &Path| exists(p) || (with_report && exists(&report_path(p)));
    let mut target = dir.join(&name);
    let stamp = now.format("%Y%m%dT%H%M%S");
    let mut n = 1;
    while taken(&target) {
        target = if n == 1 {
            dir.join(format!("{stamp}-{name}"))
        } else {
            dir.join(format!("{stamp}-{n}-{name}"))
        };
        n += 1;
    }
    std::fs::rename(path, &target)?;
    Ok(target)
}

/// Remove `file`'s report if there is one (a report of ours, or a link a person put there: the
/// link itself is removed, never what it points to).
pub fn remove_report(file: &Path) -> io::Result<()> {
    let report = report_path(file);
    match std::fs::symlink_metadata(&report) {
        Ok(m) if m.is_dir() => Err(io::Error::other(format!("{} is a folder", report.display()))),
        Ok(_) => std::fs::remove_file(&report),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Write `file`'s report: the whole-file reason (`fatal`) and the import's errors and warnings
/// (all of them, as its full report holds them). A new file each time (never written through a
/// link).
pub fn write_report(file: &Path, report: &ImportReport, fatal: Option<&str>) -> io::Result<()> {
    remove_report(file)?;
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(report_path(file))?;
    report.write_issues_csv(io::BufWriter::new(out), fatal)
}
