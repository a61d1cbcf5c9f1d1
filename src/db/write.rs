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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a writer waits for its turn in this process before giving up with
/// [`Error::Busy`]. Far longer than any write transaction holds the file (the import's are
/// bounded to a fraction of a second), so only a stuck writer makes it run out.
pub const TURN_TIMEOUT: Duration = Duration::from_secs(15);

/// Who is asking for a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// the writer thread, with the short writes people and webhooks wait on (a STOP, a reply):
    /// it goes ahead of the bulk writers waiting, but never twice in a row while one waits
    Interactive,
    /// a transaction of an import or a job's loop: first come, first served
    Bulk,
}

/// The write turns of one database file within this process. Bulk writers are served in arrival
/// order; the interactive writer goes ahead of them, alternating with them while both wait, so
/// a STOP waits for at most the transaction in progress and an import is never starved. A turn
/// is handed straight to the next writer, and only that writer is woken.
#[derive(Default)]
pub struct WriteGate {
    state: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    held: bool,
    /// the last turn granted went to an interactive writer
    last_interactive: bool,
    interactive: VecDeque<Waiter>,
    bulk: VecDeque<Waiter>,
}

struct Waiter {
    granted: Arc<AtomicBool>,
    thread: std::thread::Thread,
}

impl Queue {
    /// The waiter whose turn is next, if any.
    fn next(&mut self) -> Option<Waiter> {
        let interactive_first = !self.interactive.is_empty() && (self.bulk.is_empty() || !self.last_interactive);
        if interactive_first {
            self.last_interactive = true;
            self.interactive.pop_front()
        } else {
            self.last_interactive = false;
            self.bulk.pop_front()
        }
    }
}

impl WriteGate {
    /// Wait for this writer's turn (see [`Priority`] for who goes first).
    pub fn turn(self: &Arc<Self>, priority: Priority, timeout: Duration) -> Result<Turn> {
        let granted = Arc::new(AtomicBool::new(false));
        {
            let mut q = self.lock()?;
            if !q.held && q.interactive.is_empty() && q.bulk.is_empty() {
                q.held = true;
                q.last_interactive = priority == Priority::Interactive;
                return Ok(Turn { gate: Arc::clone(self) });
            }
            let waiter = Waiter {
                granted: Arc::clone(&granted),
                thread: std::thread::current(),
            };
            match priority {
                Priority::Interactive => q.interactive.push_back(waiter),
                Priority::Bulk => q.bulk.push_back(waiter),
            }
        }
        let deadline = Instant::now() + timeout;
        loop {
            if granted.load(Ordering::Acquire) {
                return Ok(Turn { gate: Arc::clone(self) });
            }
            let now = Instant::now();
            if now >= deadline {
                let mut q = self.lock()?;
                // granted while the clock ran out: take it after all
                if granted.load(Ordering::Acquire) {
                    return Ok(Turn { gate: Arc::clone(self) });
                }
                let mine = |w: &Waiter| !Arc::ptr_eq(&w.granted, &granted);
                q.interactive.retain(mine);
                q.bulk.retain(mine);
                return Err(Error::Busy(format!(
                    "waited {} s for a turn to write; another writer is holding the database",
                    timeout.as_secs()
                )));
            }
            std::thread::park_timeout(deadline - now);
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Queue>> {
        self.state
            .lock()
            .map_err(|_| Error::internal("the write queue is poisoned"))
    }

    /// Hand the turn to the next writer, or free it.
    fn release(&self) {
        let Ok(mut q) = self.state.lock() else { return };
        match q.next() {
            Some(next) => {
                // still held: it passes to `next`
                next.granted.store(true, Ordering::Release);
                next.thread.unpark();
            }
            None => q.held = false,
        }
    }

    /// Writers waiting for a turn right now (for figures and tests).
    pub fn waiting(&self) -> usize {
        self.state
            .lock()
            .map(|q| q.interactive.len() + q.bulk.len())
            .unwrap_or(0)
    }
}

/// A writer's turn; the next in line goes when it is dropped.
pub struct Turn {
    gate: Arc<WriteGate>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.gate.release();
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
        let turn = conn.gate.turn(Priority::Bulk, TURN_TIMEOUT)?;
        Self::begin_with(&conn.inner, Some(turn))
    }

    /// Begin on a connection outside the pool (the writer's own), in a turn already taken.
    pub(super) fn begin_on(conn: &'c Connection, turn: Turn) -> Result<WriteTx<'c>> {
        Self::begin_with(conn, Some(turn))
    }

    fn begin_with(conn: &'c Connection, turn: Option<Turn>) -> Result<WriteTx<'c>> {
        run(conn, "PRAGMA query_only = 0")?;
        // from here on the drop guard puts the connection back to read-only
        let mut tx = WriteTx {
            conn,
            open: false,
            _turn: turn,
        };
        run(conn, "BEGIN IMMEDIATE").map_err(busy)?;
        tx.open = true;
        Ok(tx)
    }

    /// Make the transaction's writes durable and visible.
    pub fn commit(mut self) -> Result<()> {
        run(self.conn, "COMMIT").map_err(busy)?;
        self.open = false;
        Ok(())
    }

    /// Run `f` in a savepoint: if it fails, what it wrote is rolled back and the rest of the
    /// transaction stands.
    pub fn savepoint<T>(&self, f: impl FnOnce(&WriteTx) -> Result<T>) -> Result<T> {
        run(self.conn, "SAVEPOINT write")?;
        match f(self) {
            Ok(v) => {
                run(self.conn, "RELEASE write")?;
                Ok(v)
            }
            Err(e) => {
                // (an error that ended the whole transaction leaves no savepoint to go back to)
                if !self.conn.is_autocommit() {
                    run(self.conn, "ROLLBACK TO write")?;
                    run(self.conn, "RELEASE write")?;
                }
                Err(e)
            }
        }
    }

    /// Undo everything the transaction wrote.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        run(self.conn, "ROLLBACK")?;
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
        if let Err(e) = run(self.conn, "PRAGMA query_only = 1") {
            tracing::error!(error = %e, "could not make a connection read-only again");
        }
    }
}

/// A statement of the transaction's own, through the connection's statement cache (they run
/// for every write: parsing them each time shows in profiles).
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.raw_execute()?;
    Ok(())
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
    let _turn = gate.turn(Priority::Bulk, TURN_TIMEOUT)?;
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

    /// No code outside `db/` opens a transaction of its own (rusqlite's `transaction()` begins
    /// DEFERRED) or begins one in SQL: the write door is the only one.
    #[test]
    fn no_transaction_is_begun_outside_the_write_door() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    if !path.ends_with("db") {
                        walk(&path, found);
                    }
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("");
                        let upper = code.to_ascii_uppercase();
                        // SQL that begins a transaction: "BEGIN" alone or before a kind of
                        // transaction (not a word such as "beginning" in a string)
                        let begins_alone = ["\"BEGIN\"", "\"BEGIN;", "\"BEGIN \"", "\"BEGIN\\N"]
                            .iter()
                            .any(|b| upper.contains(b));
                        if code.contains(".transaction(")
                            || code.contains(".transaction_with_behavior(")
                            || begins_alone
                            || upper.contains("BEGIN DEFERRED")
                            || upper.contains("BEGIN IMMEDIATE")
                            || upper.contains("BEGIN EXCLUSIVE")
                            || upper.contains("BEGIN TRANSACTION")
                        {
                            found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.is_empty(), "transactions begun outside db/: {found:#?}");
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

    /// The interactive writer (the writer thread: STOPs, replies) goes ahead of bulk writers
    /// already waiting, but not twice in a row while one of them waits.
    #[test]
    fn the_interactive_writer_goes_first_but_alternates_with_bulk_writers() {
        let gate = Arc::new(WriteGate::default());
        let held = gate.turn(Priority::Bulk, TURN_TIMEOUT).unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        std::thread::scope(|s| {
            let ask = |name: &'static str, priority: Priority| {
                let (gate, order) = (Arc::clone(&gate), Arc::clone(&order));
                s.spawn(move || {
                    let turn = gate.turn(priority, TURN_TIMEOUT).unwrap();
                    order.lock().unwrap().push(name);
                    std::thread::sleep(Duration::from_millis(5));
                    drop(turn);
                })
            };
            let waiting_for = |n: usize| {
                while gate.waiting() < n {
                    std::thread::sleep(Duration::from_millis(1));
                }
            };
            ask("bulk 1", Priority::Bulk);
            waiting_for(1);
            ask("bulk 2", Priority::Bulk);
            waiting_for(2);
            ask("interactive 1", Priority::Interactive);
            waiting_for(3);
            drop(held);
            // the interactive writer asked last and goes first; then a bulk writer; then, when
            // it asks again, the interactive one before the other bulk writer
            while order.lock().unwrap().len() < 2 {
                std::thread::sleep(Duration::from_millis(1));
            }
            ask("interactive 2", Priority::Interactive);
        });
        let order = order.lock().unwrap().clone();
        assert_eq!(order[0], "interactive 1");
        assert_eq!(order[1], "bulk 1");
        assert_eq!(order.len(), 4);
        assert!(order[2..].contains(&"bulk 2") && order[2..].contains(&"interactive 2"));
    }

    #[test]
    fn a_turn_not_granted_in_time_is_busy_and_leaves_the_queue() {
        let gate = Arc::new(WriteGate::default());
        let held = gate.turn(Priority::Bulk, TURN_TIMEOUT).unwrap();
        let err = match gate.turn(Priority::Bulk, Duration::from_millis(30)) {
            Err(e) => e,
            Ok(_) => panic!("a second turn while the first is held"),
        };
        assert!(matches!(err, Error::Busy(_)), "{err}");
        assert_eq!(gate.waiting(), 0);
        drop(held);
        assert!(gate.turn(Priority::Bulk, Duration::from_millis(30)).is_ok());
    }
}
