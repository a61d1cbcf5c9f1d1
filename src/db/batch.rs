//! The writer: one thread with one connection of its own that runs the short writes of
//! [`Db::write`](super::Db::write) — a webhook's, a page's, a job's — several to a transaction
//! (group commit).
//!
//! Why: each write transaction costs a turn, a BEGIN and a COMMIT (its pages to the WAL) and,
//! on a pooled connection, re-reading whatever another connection changed since it last ran.
//! The writer keeps its page cache and prepared statements warm (it is the only one writing
//! through them), and writes the index pages that many small writes share once per batch.
//!
//! Each write runs in a savepoint of its own: one that fails rolls back alone and gets its own
//! error; the others commit. Nobody hears back before the batch's COMMIT has succeeded. A batch
//! takes one turn in this process's queue of writers (see [`super::write`]), going ahead of
//! the bulk writers (imports, jobs' loops) but alternating with them.

use super::write::{Priority, WriteGate, WriteTx, TURN_TIMEOUT};
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Writes to one transaction at most.
const MAX_ITEMS: usize = 1024;
/// A batch stops taking more writes after this long, so that it holds the database briefly.
/// Long enough to take all that queued up while an import's transaction held the database.
const MAX_BATCH_TIME: Duration = Duration::from_millis(50);

/// What to tell a write once its batch has committed, or failed to.
type Done = Box<dyn FnOnce(Result<()>) + Send>;

/// A write waiting for the writer.
trait Work: Send {
    /// Run in the batch's transaction (in a savepoint of its own).
    fn run(self: Box<Self>, tx: &WriteTx) -> Done;
    /// The batch could not even begin.
    fn fail(self: Box<Self>, e: Error);
}

struct Job<T, F> {
    f: F,
    answer: tokio::sync::oneshot::Sender<Result<T>>,
}

impl<T, F> Work for Job<T, F>
where
    T: Send + 'static,
    F: FnOnce(&WriteTx) -> Result<T> + Send + 'static,
{
    fn run(self: Box<Self>, tx: &WriteTx) -> Done {
        let Job { f, answer } = *self;
        let outcome = tx.savepoint(f);
        Box::new(move |committed: Result<()>| {
            let _ = answer.send(committed.and(outcome));
        })
    }

    fn fail(self: Box<Self>, e: Error) {
        let _ = self.answer.send(Err(e));
    }
}

/// The handle to the writer thread; the thread ends when this is dropped.
pub struct Writer {
    queue: Sender<Box<dyn Work>>,
}

impl Writer {
    /// Start the writer for the database at `path`, its connection set up by `configure`.
    pub fn start(
        path: &Path,
        gate: Arc<WriteGate>,
        configure: fn(&mut Connection) -> rusqlite::Result<()>,
    ) -> Result<Writer> {
        let cannot = |e: rusqlite::Error| Error::internal(format!("cannot open {}: {e}", path.display()));
        let mut conn = Connection::open(path).map_err(cannot)?;
        configure(&mut conn).map_err(cannot)?;
        // it runs more kinds of statement than any pooled connection
        conn.set_prepared_statement_cache_capacity(256);
        let (queue, received) = std::sync::mpsc::channel::<Box<dyn Work>>();
        std::thread::Builder::new()
            .name("forecourt-writer".into())
            .spawn(move || run(conn, gate, received))
            .map_err(|e| Error::internal(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { queue })
    }

    /// Run `f` in the writer's next transaction, in a savepoint of its own; its result once
    /// the transaction has committed.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&WriteTx) -> Result<T> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T>>();
        self.queue
            .send(Box::new(Job { f, answer }))
            .map_err(|_| Error::internal("the database writer has stopped"))?;
        answered
            .await
            .map_err(|_| Error::internal("the database writer stopped before answering"))?
    }
}

/// The writer thread: a batch at a time until every handle is gone.
fn run(conn: Connection, gate: Arc<WriteGate>, received: Receiver<Box<dyn Work>>) {
    while let Ok(first) = received.recv() {
        let mut done = Vec::new();
        let outcome = batch(&conn, &gate, first, &received, &mut done);
        for d in done {
            d(match &outcome {
                Ok(()) => Ok(()),
                Err(e) => Err(again(e)),
            });
        }
    }
}

/// Take a turn, run `first` and the writes already waiting (within [`MAX_ITEMS`] and
/// [`MAX_BATCH_TIME`]), commit. Each write's completion is pushed to `done` as soon as it has
/// run, so every one hears how the commit went.
fn batch(
    conn: &Connection,
    gate: &Arc<WriteGate>,
    first: Box<dyn Work>,
    received: &Receiver<Box<dyn Work>>,
    done: &mut Vec<Done>,
) -> Result<()> {
    let tx = match gate
        .turn(Priority::Interactive, TURN_TIMEOUT)
        .and_then(|turn| WriteTx::begin_on(conn, turn))
    {
        Ok(tx) => tx,
        Err(e) => {
            first.fail(e);
            return Ok(());
        }
    };
    done.push(first.run(&tx));
    let started = Instant::now();
    while done.len() < MAX_ITEMS && started.elapsed() < MAX_BATCH_TIME {
        match received.try_recv() {
            Ok(work) => done.push(work.run(&tx)),
            Err(_) => break,
        }
    }
    tx.commit()
}

/// The batch's failure, for each of its writes.
fn again(e: &Error) -> Error {
    match e {
        Error::Busy(m) => Error::Busy(m.clone()),
        other => Error::internal(format!("the write could not be committed: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;
    use crate::error::Error;

    /// Many short writes at once share transactions; one that fails rolls back what it wrote and
    /// nothing else, and each caller hears its own outcome.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_write_rolls_back_alone_and_each_caller_hears_its_own_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.conn()
            .unwrap()
            .write_with(|tx| Ok(tx.execute_batch("CREATE TABLE n (v INTEGER NOT NULL UNIQUE)")?))
            .unwrap();
        let mut writes = tokio::task::JoinSet::new();
        for i in 0..200i64 {
            let db = db.clone();
            writes.spawn(async move {
                let out = db
                    .write(move |tx| {
                        tx.execute("INSERT INTO n (v) VALUES (?1)", [i])?;
                        if i % 5 == 0 {
                            return Err(Error::invalid("test", format!("write {i} fails after writing")));
                        }
                        Ok(i)
                    })
                    .await;
                (i, out)
            });
        }
        while let Some(done) = writes.join_next().await {
            let (i, out) = done.unwrap();
            match out {
                Ok(v) => assert_eq!(v, i),
                Err(e) => {
                    assert_eq!(i % 5, 0, "{e}");
                    assert!(e.to_string().contains(&format!("write {i} fails")), "{e}");
                }
            }
        }
        let conn = db.conn().unwrap();
        let (count, failed_kept): (i64, i64) = conn
            .query_row("SELECT count(*), sum(v % 5 = 0) FROM n", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(count, 160);
        assert_eq!(failed_kept, 0);
    }
}
