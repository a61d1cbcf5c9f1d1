//! The one way to write: [`Conn::write`] opens a write transaction, and nothing else can.
//!
//! A write transaction first takes this process's turn at the database file (a FIFO queue, so
//! a writer that arrived first writes first: an import committing every few hundred
//! milliseconds cannot starve a STOP that arrived while it wrote), then begins IMMEDIATE, so
//! it holds SQLite's write lock from its first statement and never fails to upgrade a read
//! (what a DEFERRED transaction does when another connection committed in between, at once
//! and whatever the busy timeout). Other processes (a CLI import beside the server) are
//! waited for by SQLite's busy timeout.
//!
//! Every pooled connection is `query_only` outside a write transaction: a write that did not
//! come through here fails in tests instead of failing under load in a store.

use super::Conn;
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a writer waits for its turn in this process before giving up with
/// [`Error::Busy`]. Far longer than any write transaction holds the file (the import's are
/// bounded to a fraction of a second), so only a stuck writer makes it run out.
pub const TURN_TIMEOUT: Duration = Duration::from_secs(15);

/// The write turns of one database file within this process, granted in arrival order.
#[derive(Default)]
pub struct WriteGate {
    state: Mutex<Queue>,
    changed: Condvar,
}

#[derive(Default)]
struct Queue {
    held: bool,
    waiting: VecDeque<u64>,
    next_ticket: u64,
}

impl WriteGate {
    /// Wait for this writer's turn (everyone who asked before goes first).
    pub fn turn(self: &Arc<Self>, timeout: Duration) -> Result<Turn> {
        let lock_failed = |_| Error::internal("the write queue is poisoned");
        let mut q = self.state.lock().map_err(lock_failed)?;
        let me = q.next_ticket;
        q.next_ticket += 1;
        q.waiting.push_back(me);
        let deadline = Instant::now() + timeout;
        loop {
            if !q.held && q.waiting.front() == Some(&me) {
                q.waiting.pop_front();
                q.held = true;
                return Ok(Turn { gate: Arc::clone(self) });
            }
            let now = Instant::now();
            if now >= deadline {
                q.waiting.retain(|t| *t != me);
                drop(q);
                // the next in line may be free to go now that this one left
                self.changed.notify_all();
                return Err(Error::Busy(format!(
                    "waited {} s for a turn to write; another writer is holding the database",
                    timeout.as_secs()
                )));
            }
            q = match self.changed.wait_timeout(q, deadline - now) {
                Ok((q, _)) => q,
                Err(_) => return Err(Error::internal("the write queue is poisoned")),
            };
        }
    }

    /// Writers waiting for a turn right now (for figures and tests).
    pub fn waiting(&self) -> usize {
        self.state.lock().map(|q| q.waiting.len()).unwrap_or(0)
    }
}

/// A writer's turn; the next in line goes when it is dropped.
pub struct Turn {
    gate: Arc<WriteGate>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Ok(mut q) = self.gate.state.lock() {
            q.held = false;
        }
        self.gate.changed.notify_all();
    }
}

/// An open write transaction (BEGIN IMMEDIATE). Reads through it see its own writes (it
/// derefs to the connection). [`WriteTx::commit`] ends it; dropping it without a commit rolls
/// it back. Either way the connection is read-only again and the next writer's turn comes.
///
/// Store functions that write take a `&WriteTx`, so a write outside one does not compile.
pub struct WriteTx<'c> {
    conn: &'c Connection,
    open: bool,
    _turn: Option<Turn>,
}

impl<'c> WriteTx<'c> {
    pub(super) fn begin(conn: &'c mut Conn) -> Result<WriteTx<'c>> {
        let turn = conn.gate.turn(TURN_TIMEOUT)?;
        Self::begin_with(&conn.inner, Some(turn))
    }

    fn begin_with(conn: &'c Connection, turn: Option<Turn>) -> Result<WriteTx<'c>> {
        conn.execute_batch("PRAGMA query_only = 0")?;
        // from here on the drop guard puts the connection back to read-only
        let mut tx = WriteTx {
            conn,
            open: false,
            _turn: turn,
        };
        conn.execute_batch("BEGIN IMMEDIATE").map_err(busy)?;
        tx.open = true;
        Ok(tx)
    }

    /// Make the transaction's writes durable and visible.
    pub fn commit(mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT").map_err(busy)?;
        self.open = false;
        Ok(())
    }

    /// Undo everything the transaction wrote (a dry run).
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("ROLLBACK")?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %e, "could not roll back a write transaction");
            }
        }
        if let Err(e) = self.conn.execute_batch("PRAGMA query_only = 1") {
            tracing::error!(error = %e, "could not make a connection read-only again");
        }
    }
}

/// SQLite's "busy" (another process held the file past the busy timeout) as [`Error::Busy`].
fn busy(e: rusqlite::Error) -> Error {
    if is_busy(&e) {
        Error::Busy(format!("another process held the database past the busy timeout: {e}"))
    } else {
        Error::Db(e)
    }
}

/// Is the error SQLite's BUSY or LOCKED?
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Run `f` with writes allowed on a connection outside the pool's discipline (migrations, which
/// refinery runs in its own transaction), in this process's turn.
pub(super) fn with_writes_allowed<T>(
    conn: &mut Connection,
    gate: &Arc<WriteGate>,
    f: impl FnOnce(&mut Connection) -> T,
) -> Result<T> {
    let _turn = gate.turn(TURN_TIMEOUT)?;
    conn.execute_batch("PRAGMA query_only = 0")?;
    let out = f(conn);
    conn.execute_batch("PRAGMA query_only = 1")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.conn()
            .unwrap()
            .write_with(|tx| Ok(tx.execute_batch("CREATE TABLE n (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")?))
            .unwrap();
        (dir, db)
    }

    #[test]
    fn a_write_outside_a_write_transaction_is_refused() {
        let (_dir, db) = db();
        let conn = db.conn().unwrap();
        let err = conn.execute("INSERT INTO n (v) VALUES (1)", []).unwrap_err();
        assert!(err.to_string().contains("readonly"), "{err}");
        // reads are fine, and a write through the door works and leaves it read-only again
        let mut conn = conn;
        conn.write_with(|tx| Ok(tx.execute("INSERT INTO n (v) VALUES (1)", [])?))
            .unwrap();
        assert!(conn.execute("INSERT INTO n (v) VALUES (2)", []).is_err());
        let n: i64 = conn.query_row("SELECT count(*) FROM n", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_dropped_write_transaction_rolls_back_and_frees_the_turn() {
        let (_dir, db) = db();
        let mut conn = db.conn().unwrap();
        {
            let tx = conn.write().unwrap();
            tx.execute("INSERT INTO n (v) VALUES (1)", []).unwrap();
        }
        let mut other = db.conn().unwrap();
        other
            .write_with(|tx| Ok(tx.execute("INSERT INTO n (v) VALUES (2)", [])?))
            .unwrap();
        let vs: Vec<i64> = conn
            .prepare("SELECT v FROM n")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(vs, vec![2]);
    }

    /// What failed in wave 1: transactions that read, then write, on several connections at
    /// once. DEFERRED ones fail with "database is locked" as soon as another commits between
    /// their read and their write, whatever the busy timeout; through the door none fails.
    #[test]
    fn concurrent_read_then_write_transactions_never_fail() {
        let (_dir, db) = db();
        let threads = 8;
        let each = 200;
        std::thread::scope(|s| {
            for _ in 0..threads {
                let db = db.clone();
                s.spawn(move || {
                    let mut conn = db.conn().unwrap();
                    for _ in 0..each {
                        conn.write_with(|tx| {
                            let max: i64 = tx.query_row("SELECT coalesce(max(v), 0) FROM n", [], |r| r.get(0))?;
                            tx.execute("INSERT INTO n (v) VALUES (?1)", [max + 1])?;
                            Ok(())
                        })
                        .unwrap();
                    }
                });
            }
        });
        let (count, max): (i64, i64) = db
            .conn()
            .unwrap()
            .query_row("SELECT count(*), max(v) FROM n", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!(count, (threads * each) as i64);
        assert_eq!(max, count, "each saw the one before it: no two read the same maximum");
    }

    /// A writer that commits and begins again at once (an import) does not starve another that
    /// asked meanwhile: the waiting one writes before the busy one's next transaction.
    #[test]
    fn a_waiting_writer_goes_before_a_busy_writers_next_transaction() {
        let (_dir, db) = db();
        let stop = AtomicBool::new(false);
        let busy_commits = AtomicUsize::new(0);
        std::thread::scope(|s| {
            let busy = db.clone();
            let (stop, busy_commits) = (&stop, &busy_commits);
            s.spawn(move || {
                let mut conn = busy.conn().unwrap();
                while !stop.load(Ordering::SeqCst) {
                    conn.write_with(|tx| {
                        tx.execute("INSERT INTO n (v) VALUES (0)", [])?;
                        std::thread::sleep(Duration::from_millis(20));
                        Ok(())
                    })
                    .unwrap();
                    busy_commits.fetch_add(1, Ordering::SeqCst);
                }
            });
            while busy_commits.load(Ordering::SeqCst) < 2 {
                std::thread::sleep(Duration::from_millis(1));
            }
            // the busy writer stops however this thread ends
            struct StopOnDrop<'a>(&'a AtomicBool);
            impl Drop for StopOnDrop<'_> {
                fn drop(&mut self) {
                    self.0.store(true, Ordering::SeqCst);
                }
            }
            let _stop = StopOnDrop(stop);
            let mut conn = db.conn().unwrap();
            for _ in 0..10 {
                let before = busy_commits.load(Ordering::SeqCst);
                conn.write_with(|tx| Ok(tx.execute("INSERT INTO n (v) VALUES (1)", [])?))
                    .unwrap();
                let after = busy_commits.load(Ordering::SeqCst);
                // at most the busy writer's transaction in progress when it asked came first
                assert!(
                    after - before <= 1,
                    "waited through {} of the busy writer's transactions",
                    after - before
                );
            }
        });
    }

    #[test]
    fn a_turn_not_granted_in_time_is_busy_and_leaves_the_queue() {
        let gate = Arc::new(WriteGate::default());
        let held = gate.turn(TURN_TIMEOUT).unwrap();
        let err = match gate.turn(Duration::from_millis(30)) {
            Err(e) => e,
            Ok(_) => panic!("a second turn while the first is held"),
        };
        assert!(matches!(err, Error::Busy(_)), "{err}");
        assert_eq!(gate.waiting(), 0);
        drop(held);
        assert!(gate.turn(Duration::from_millis(30)).is_ok());
    }
}
