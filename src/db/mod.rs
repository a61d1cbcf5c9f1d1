//! The database: one SQLite file, an r2d2 pool whose every connection carries the same
//! pragmas, and the migrations embedded in the binary.
//!
//! rusqlite is blocking, so async code reaches it only through [`Db::call`] (and
//! [`Db::write`]), which run the closure on tokio's blocking pool.
//!
//! Writes have one door: [`Conn::write`] (see [`write`]). A pooled connection is read-only
//! until it opens a write transaction there.

use crate::error::{Error, Result};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

mod batch;
mod write;
pub use write::{is_busy, Priority, WriteGate, WriteTx, TURN_TIMEOUT};

mod embedded {
    refinery::embed_migrations!("migrations");
}

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

#[derive(Clone)]
pub struct Db {
    pool: Pool,
    path: PathBuf,
    gate: Arc<WriteGate>,
    /// the writer thread for [`Db::write`], started at its first use
    writer: Arc<std::sync::OnceLock<batch::Writer>>,
}

/// A pooled connection. It reads as a [`Connection`] (it derefs to one, read-only); it writes
/// only through [`Conn::write`].
pub struct Conn {
    inner: r2d2::PooledConnection<SqliteConnectionManager>,
    gate: Arc<WriteGate>,
}

impl Conn {
    /// Open a write transaction: wait for this process's turn (first come, first served), then
    /// BEGIN IMMEDIATE. The one way anything writes.
    pub fn write(&mut self) -> Result<WriteTx<'_>> {
        WriteTx::begin(self)
    }

    /// `f` in a write transaction, committed if it returns Ok, rolled back if it fails.
    pub fn write_with<T>(&mut self, f: impl FnOnce(&WriteTx) -> Result<T>) -> Result<T> {
        let tx = self.write()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

impl std::ops::Deref for Conn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.inner
    }
}

/// How long one transaction of a bulk writer (an import, a job working through many rows) may
/// hold the database: it then commits, and whoever queued meanwhile writes before its next one.
pub const BULK_TX_TIME: Duration = Duration::from_millis(200);

/// Page cache per connection, KiB.
const CACHE_KIB: i64 = 32 * 1024;
/// Page cache of a connection running a bulk import, KiB: see [`with_bulk_settings`].
const BULK_CACHE_KIB: i64 = 64 * 1024;
/// WAL pages after which a commit checkpoints (SQLite's default).
const AUTOCHECKPOINT: i64 = 1000;
/// The same during a bulk import: 80 MB of WAL.
const BULK_AUTOCHECKPOINT: i64 = 20_000;

/// Pragmas every connection gets.
fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(64);
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    debug_assert!(mode.eq_ignore_ascii_case("wal") || mode.eq_ignore_ascii_case("memory"));
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{CACHE_KIB}; PRAGMA query_only = 1;"
    ))?;
    Ok(())
}

/// Run `f`, a bulk import, on this connection with settings for it, restored afterwards
/// whatever `f` returns:
/// - a 64 MB page cache instead of 32 MB: each row looks up and inserts into indexes spread
///   over the whole file (customers by phone, vehicles by VIN, events by customer and vehicle),
///   and a transaction's dirty pages should stay in the cache rather than spill;
/// - a checkpoint every 80 MB of WAL instead of 4 MB: each commit of a large transaction would
///   otherwise checkpoint (copy to the database file, fsync), and a page written by several
///   transactions is then copied once. The WAL is checkpointed at the end, so that the next
///   writer does not pay for it.
///
/// Memory stays bounded by the cache, whatever the file's size.
pub fn with_bulk_settings<T>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> T) -> Result<T> {
    conn.execute_batch(&format!(
        "PRAGMA cache_size = -{BULK_CACHE_KIB}; PRAGMA wal_autocheckpoint = {BULK_AUTOCHECKPOINT};"
    ))?;
    let result = f(conn);
    conn.execute_batch(&format!(
        "PRAGMA cache_size = -{CACHE_KIB}; PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT};"
    ))?;
    // PASSIVE: copies what it can without waiting for other connections
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    Ok(result)
}

impl Db {
    /// Open (creating if needed) the database file. Does not migrate.
    pub fn open(path: &Path) -> Result<Db> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::internal(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
        // WAL is a property of the file: switch it once here (with the busy timeout, as another
        // process may be opening it too), before the pool opens its connections at the same
        // time (each asking for it would race for the lock that takes)
        let cannot = |e: rusqlite::Error| Error::internal(format!("cannot open {}: {e}", path.display()));
        let mut first = Connection::open(path).map_err(cannot)?;
        configure(&mut first).map_err(cannot)?;
        first.execute_batch("PRAGMA query_only = 0").map_err(cannot)?;
        let mode: String = first
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(cannot)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %path.display(), mode, "the database cannot use WAL here: readers and the writer will wait for each other");
        }
        drop(first);
        let manager = SqliteConnectionManager::file(path).with_init(configure);
        let pool = r2d2::Pool::builder()
            .max_size(16)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Db {
            pool,
            path: path.to_path_buf(),
            gate: Arc::default(),
            writer: Arc::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A pooled connection, for code already off the async threads (CLI, inside `call`).
    pub fn conn(&self) -> Result<Conn> {
        Ok(Conn {
            inner: self.pool.get()?,
            gate: Arc::clone(&self.gate),
        })
    }

    /// This process's queue of writers for the file.
    pub fn gate(&self) -> &Arc<WriteGate> {
        &self.gate
    }

    /// Run blocking database work on tokio's blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| Error::internal(format!("database task failed: {e}")))?
    }

    /// Run `f`, a short write, on the writer thread (see [`batch`]): in a transaction it may
    /// share with other short writes, in a savepoint of its own. Its result once that
    /// transaction has committed; if `f` fails, what it wrote is rolled back and nothing else.
    /// Long writers (an import, a job's loop) take turns with [`Conn::write`] instead.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&WriteTx) -> Result<T> + Send + 'static,
    {
        let writer = match self.writer.get() {
            Some(w) => w,
            None => {
                let started = batch::Writer::start(&self.path, Arc::clone(&self.gate), configure)?;
                // two first uses at once: one writer is kept, the other's thread ends with it
                let _ = self.writer.set(started);
                self.writer.get().ok_or_else(|| Error::internal("no database writer"))?
            }
        };
        writer.write(f).await
    }

    /// Apply every embedded migration not yet applied, all in one transaction: if any fails,
    /// the database is left exactly as it was.
    pub fn migrate(&self) -> Result<MigrationReport> {
        self.migrate_with(Self::embedded_runner())
    }

    /// A refinery runner over the migrations compiled into this binary.
    pub fn embedded_runner() -> refinery::Runner {
        embedded::migrations::runner()
    }

    /// Apply migrations up to and including `version` (used to test upgrades).
    pub fn migrate_to(&self, version: i32) -> Result<MigrationReport> {
        self.migrate_with(embedded::migrations::runner().set_target(refinery::Target::Version(version)))
    }

    pub fn migrate_with(&self, runner: refinery::Runner) -> Result<MigrationReport> {
        let mut conn = self.pool.get()?;
        let report = write::with_writes_allowed(&mut conn, &self.gate, |c| runner.set_grouped(true).run(c))?
            .map_err(|e| Error::Migration(e.to_string()))?;
        let applied = report.applied_migrations().iter().map(|m| m.to_string()).collect();
        Ok(MigrationReport {
            applied,
            version: schema_version(&conn)?,
        })
    }

    /// The migrations compiled into this binary, as (version, name).
    pub fn embedded_migrations() -> Vec<(i32, String)> {
        embedded::migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| (m.version(), m.name().to_string()))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct MigrationReport {
    pub applied: Vec<String>,
    pub version: Option<i64>,
}

/// The highest applied migration version, or None on an empty database.
pub fn schema_version(conn: &Connection) -> Result<Option<i64>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(conn.query_row("SELECT MAX(version) FROM refinery_schema_history", [], |r| r.get(0))?)
}

impl Db {
    /// A consistent copy of the live database (`VACUUM INTO`), safe while the server runs. The
    /// destination must not exist; a copy that fails is removed, so a file left at `dest` is
    /// always a whole backup.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let dest_str = dest
            .to_str()
            .ok_or_else(|| Error::internal("the backup path is not valid UTF-8"))?;
        // claimed by creating it empty (VACUUM INTO accepts an empty file): an existing file is
        // refused without a race, and the file is then ours to remove if the copy fails
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dest)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    Error::Conflict(format!("{} already exists; choose a new file", dest.display()))
                }
                _ => Error::internal(format!("cannot create {}: {e}", dest.display())),
            })?;
        let copied = self.vacuum_into(dest_str);
        if copied.is_err() {
            if let Err(e) = std::fs::remove_file(dest) {
                tracing::warn!(path = %dest.display(), error = %e, "could not remove a failed backup's partial copy");
            }
        }
        copied
    }

    fn vacuum_into(&self, dest: &str) -> Result<()> {
        // VACUUM INTO writes only the copy, but query_only refuses it too
        let conn = self.pool.get()?;
        conn.execute_batch("PRAGMA query_only = 0")?;
        let copied = conn.execute("VACUUM INTO ?1", [dest]);
        conn.execute_batch("PRAGMA query_only = 1")?;
        copied?;
        Ok(())
    }
}
