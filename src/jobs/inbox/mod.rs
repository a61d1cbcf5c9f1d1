//! The watched folder: a DMS on the same box (or a share) drops exports into
//! `<inbox>/<account id>/`. Every file there is accounted for:
//!
//! - a file is taken once its size and modified time have held still for the quiet period
//!   (`inbox.quiet_seconds`; measured with the job's `now` between runs), imported through the
//!   journal and moved to `processed/`, or to `failed/` with `<name>.errors.csv` beside it;
//! - a file that changed while it was imported is left in place and imported again (see `take`);
//! - a filed file is watched for `inbox.watch_hours`: a writer that still held it open may have
//!   written more into it, and a file that grew or changed is imported again (a late write);
//! - a file that cannot be an export (named like an error report, empty, not CSV), one named as
//!   still being written that has not changed for `inbox.unfinished_hours`, and every file in
//!   the folder of an account this box does not have, are set aside in `failed/` with the reason;
//! - links, pipes and anything that leads outside the inbox are refused: never read, never moved.
//!
//! The journal, keyed by the file's content hash, makes a file imported once even if the process
//! is killed mid-file: a half-done import is simply redone (every row upsert is idempotent).
//! Each run's counts (`imported`, `waiting`, `refused`, `unknown_account`, `retry`, ...) are kept
//! in `job_runs`; a run in which files had to be retried and nothing could be done is an error.

mod folder;
mod kind;
mod take;

pub use take::{take_file, Taken};

use super::{BoxFuture, Counts, Job};
use crate::clock::to_unix;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::{store, App};
use chrono::{DateTime, Utc};
use folder::{Denied, Stat};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct InboxWatcher {
    state: Arc<Mutex<Watch>>,
}

/// What the job remembers between runs (in memory: after a restart a file waits one quiet
/// period more, which is safe).
#[derive(Default)]
struct Watch {
    /// each waiting file as last seen, and since when (the job's `now`) it has looked so
    sightings: HashMap<PathBuf, Sighting>,
    /// things already warned about that are still there: each is logged once, counted every run
    warned: HashSet<String>,
}

#[derive(Debug, Clone, Copy)]
struct Sighting {
    stat: Stat,
    since: i64,
}

impl InboxWatcher {
    pub fn inbox(config: &Config) -> PathBuf {
        config.data_dir.join("inbox")
    }
}

impl Job for InboxWatcher {
    fn name(&self) -> &'static str {
        "inbox.import"
    }

    fn cadence(&self) -> std::time::Duration {
        std::time::Duration::from_secs(30)
    }

    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
        let (app, state) = (app.clone(), Arc::clone(&self.state));
        Box::pin(async move {
            // files and the database are both blocking work
            tokio::task::spawn_blocking(move || {
                let mut watch = state.lock().map_err(|_| Error::internal("inbox state poisoned"))?;
                Run::new(&app, &mut watch, now).scan()
            })
            .await
            .map_err(|e| Error::internal(format!("the inbox run stopped: {e}")))?
        })
    }
}

/// One file to consider: `rel` inside its account's folder.
struct Candidate {
    rel: PathBuf,
    name: String,
    stat: Stat,
    /// filed before, and changed since
    late: bool,
}

struct Run<'w> {
    app: &'w App,
    now: DateTime<Utc>,
    watch: &'w mut Watch,
    sightings: HashMap<PathBuf, Sighting>,
    warned: HashSet<String>,
    counts: Counts,
    /// files imported, filed or set aside in this run
    done: i64,
    first_retry: Option<String>,
}

impl<'w> Run<'w> {
    fn new(app: &'w App, watch: &'w mut Watch, now: DateTime<Utc>) -> Self {
        Run {
            app,
            now,
            watch,
            sightings: HashMap::new(),
            warned: HashSet::new(),
            counts: Counts::new(),
            done: 0,
            first_retry: None,
        }
    }

    fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    /// Log `message` about `path` once while it stays (the count is every run's).
    fn warn_once(&mut self, what: &'static str, path: &Path, message: &str) {
        let key = format!("{what}:{}", path.display());
        if !self.watch.warned.contains(&key) {
            tracing::warn!(path = %path.display(), what, "{message}");
        }
        self.warned.insert(key);
        self.count(what);
    }

    fn refuse(&mut self, path: &Path, why: &str) {
        self.warn_once(
            "refused",
            path,
            &format!("inbox: refused, not read and not moved: {why}"),
        );
    }

    fn retry(&mut self, path: &Path, error: impl std::fmt::Display) {
        tracing::error!(path = %path.display(), %error, "inbox: could not take the file; will retry next run");
        self.first_retry
            .get_or_insert_with(|| format!("{}: {error}", path.display()));
        self.count("retry");
    }

    fn scan(mut self) -> Result<Counts> {
        let root = InboxWatcher::inbox(&self.app.config);
        let inbox = match std::fs::canonicalize(&root) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Counts::new()),
            Err(e) => {
                return Err(Error::internal(format!(
                    "cannot open the inbox {}: {e}",
                    root.display()
                )))
            }
        };
        let entries = std::fs::read_dir(&inbox)
            .map_err(|e| Error::internal(format!("cannot read the inbox {}: {e}", inbox.display())))?;
        let mut conn = self.app.db.conn()?;
        for entry in entries {
            match entry {
                Ok(entry) => self.folder(&mut conn, &inbox, &entry),
                Err(e) => self.retry(&inbox, e),
            }
        }
        self.watch.sightings = std::mem::take(&mut self.sightings);
        self.watch.warned = std::mem::take(&mut self.warned);
        match self.first_retry {
            Some(first) if self.done == 0 => Err(Error::internal(format!(
                "no inbox file could be taken; {} will be retried next run. First: {first}",
                self.counts.get("retry").copied().unwrap_or(0)
            ))),
            _ => Ok(self.counts),
        }
    }

    /// One entry of the inbox: an account's folder, or something to report.
    fn folder(&mut self, conn: &mut crate::db::Conn, inbox: &Path, entry: &std::fs::DirEntry) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = match entry.file_type() {
            Ok(t) => t,
            Err(e) => return self.retry(&path, e),
        };
        if file_type.is_symlink() {
            return self.refuse(
                &path,
                &format!("{} is a link; the inbox never follows links", path.display()),
            );
        }
        let account_id = (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
            .then(|| name.parse::<i64>().ok())
            .flatten();
        let Some(account_id) = account_id.filter(|_| file_type.is_dir()) else {
            return self.warn_once(
                "not_an_account_folder",
                &path,
                "inbox: not read: files belong in a folder named for their account's id (inbox/<account id>/)",
            );
        };
        let dir = match folder::plain_dir(&path, inbox) {
            Ok(dir) => dir,
            Err(Denied::Refused(why)) => return self.refuse(&path, &why),
            Err(Denied::Io(e)) => return self.retry(&path, e),
        };
        let known = match store::accounts::get(conn, account_id) {
            Ok(_) => true,
            Err(Error::NotFound(_)) => false,
            Err(e) => return self.retry(&path, e),
        };
        let mut candidates = self.list(&dir);
        if known {
            candidates.extend(self.changed_since_filed(conn, account_id, &dir));
        }
        for c in candidates {
            self.consider(conn, account_id, known, &dir, c);
        }
    }

    /// The files directly in an account's folder.
    fn list(&mut self, dir: &Path) -> Vec<Candidate> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.retry(dir, e);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.retry(dir, e);
                    continue;
                }
            };
            let path = entry.path();
            let name = entry.file_name();
            if name == take::PROCESSED || name == take::FAILED {
                continue; // checked before anything is filed there
            }
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    self.retry(&path, e);
                    continue;
                }
            };
            if meta.file_type().is_symlink() {
                self.refuse(
                    &path,
                    &format!("{} is a link; the inbox never follows links", path.display()),
                );
            } else if meta.is_dir() {
                self.warn_once(
                    "subfolder",
                    &path,
                    "inbox: folders inside an account's folder are not read; drop files directly in the account's folder",
                );
            } else if !meta.is_file() {
                self.refuse(&path, &format!("{} is not a regular file", path.display()));
            } else {
                out.push(Candidate {
                    rel: PathBuf::from(&name),
                    name: name.to_string_lossy().into_owned(),
                    stat: Stat::of(&meta),
                    late: false,
                });
            }
        }
        out
    }

    /// Files filed recently that are no longer what was filed: a writer wrote to them after.
    fn changed_since_filed(&mut self, conn: &crate::db::Conn, account_id: i64, dir: &Path) -> Vec<Candidate> {
        let since = self.now - chrono::Duration::hours(self.app.config.inbox_watch_hours as i64);
        let filed = match store::inbox_filed::since(conn, account_id, to_unix(since)) {
            Ok(f) => f,
            Err(e) => {
                self.retry(dir, e);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for f in filed {
            let Some(rel) = take::watched_path(&f.path) else {
                continue;
            };
            let path = dir.join(&rel);
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue, // a person moved it on
                Err(e) => {
                    self.retry(&path, e);
                    continue;
                }
            };
            if meta.file_type().is_symlink() || !meta.is_file() {
                self.refuse(&path, &format!("{} is no longer a plain file", path.display()));
                continue;
            }
            let stat = Stat::of(&meta);
            if stat.size as i64 == f.size && stat.modified_ns == f.modified_ns {
                continue;
            }
            let name = rel.file_name().unwrap_or_default().to_string_lossy().into_owned();
            out.push(Candidate {
                rel,
                name,
                stat,
                late: true,
            });
        }
        out
    }

    /// Take a file once it has held still long enough.
    fn consider(&mut self, conn: &mut crate::db::Conn, account_id: i64, known: bool, dir: &Path, c: Candidate) {
        let app = self.app;
        let config = &app.config;
        let unfinished = kind::unfinished(&c.name);
        let quiet = if unfinished {
            config.inbox_unfinished_hours * 3600
        } else {
            config.inbox_quiet_seconds
        };
        let now = to_unix(self.now);
        let path = dir.join(&c.rel);
        // a run replayed as of a later moment must not hold a file back once the clock is real again
        let since = match self.watch.sightings.get(&path) {
            Some(s) if s.stat == c.stat && s.since <= now => s.since,
            _ => now,
        };
        self.sightings.insert(path.clone(), Sighting { stat: c.stat, since });
        if now - since < quiet as i64 {
            return self.count("waiting");
        }
        if c.late {
            tracing::warn!(file = %path.display(), "inbox: late write: the file changed after it was filed; taking it again");
        }
        let outcome = if known {
            let unfinished_reason = unfinished.then(|| kind::unfinished_reason(&c.name, config.inbox_unfinished_hours));
            let t = take::Take {
                account_id,
                account_dir: dir,
                rel: &c.rel,
                reports: &crate::ingest::dms_import::reports_dir(&config.data_dir),
                now: self.now,
                forget_before: self.now - chrono::Duration::hours(config.inbox_watch_hours as i64),
            };
            take::take_one(conn, &t, unfinished_reason, &mut |_| {})
        } else {
            let folder = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
            take::set_aside_without_account(dir, &c.rel, &kind::unknown_account_reason(&folder), self.now)
        };
        match outcome {
            Ok(Taken::Changed) => {
                self.count("changed");
                // it has to hold still again, from now
                match std::fs::symlink_metadata(&path) {
                    Ok(meta) => {
                        let stat = Stat::of(&meta);
                        self.sightings.insert(path, Sighting { stat, since: now });
                    }
                    Err(_) => {
                        self.sightings.remove(&path);
                    }
                }
            }
            Ok(Taken::Refused(why)) => self.refuse(&path, &why),
            Ok(taken) => {
                self.sightings.remove(&path);
                self.done += 1;
                self.count(match taken {
                    Taken::Imported => "imported",
                    Taken::Failed => "failed",
                    Taken::Duplicate => "duplicate",
                    Taken::SetAside if !known => "unknown_account",
                    _ => "set_aside",
                });
                if c.late && matches!(taken, Taken::Imported | Taken::Failed) {
                    self.count("late_write");
                }
            }
            Err(e) => self.retry(&path, e),
        }
    }
}
