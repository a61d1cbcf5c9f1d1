//! The database: one SQLite file, an r2d2 pool whose every connection carries the same
//! pragmas, and the migrations embedded in the binary.
//!
//! rusqlite is blocking, so async code reaches it only through [`Db::call`], which runs the
//! closure on tokio's blocking pool.

use crate::error::{Error, Result};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod embedded {
    refinery::embed_migrations!("migrations");
}

pub type Pool = r2d2::Pool<SqliteConnectionManager>;
pub type Conn = r2d2::PooledConnection<SqliteConnectionManager>;

#[derive(Clone)]
pub struct Db {
    pool: Pool,
    path: PathBuf,
}

/// Pragmas every connection gets.
fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(64);
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    debug_assert!(mode.eq_ignore_ascii_case("wal") || mode.eq_ignore_ascii_case("memory"));
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;")?;
    Ok(())
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
        let manager = SqliteConnectionManager::file(path).with_init(configure);
        let pool = r2d2::Pool::builder()
            .max_size(8)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Db {
            pool,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A pooled connection, for code already off the async threads (CLI, inside `call`).
    pub fn conn(&self) -> Result<Conn> {
        Ok(self.pool.get()?)
    }

    /// Run blocking database work on tokio's blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| Error::internal(format!("database task failed: {e}")))?
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
        let mut conn = self.conn()?;
        let report = runner
            .set_grouped(true)
            .run(&mut *conn)
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
    /// A consistent copy of the live database (`VACUUM INTO`), safe while the server runs.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let dest = dest
            .to_str()
            .ok_or_else(|| Error::internal("the backup path is not valid UTF-8"))?;
        self.conn()?.execute("VACUUM INTO ?1", [dest])?;
        Ok(())
    }
}
