use super::{json, Cached};
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, serde::Serialize)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    pub trigger: String,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub as_of: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub started_at: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub finished_at: Option<i64>,
    pub outcome: String,
    pub counts: Option<serde_json::Value>,
    pub error: Option<String>,
}

pub fn start(conn: &WriteTx, job: &str, trigger: &str, as_of: i64, started_at: i64) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO job_runs (job, trigger, as_of, started_at, outcome) VALUES (?1, ?2, ?3, ?4, 'running')",
        params![job, trigger, as_of, started_at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn finish(
    conn: &WriteTx,
    id: i64,
    finished_at: i64,
    outcome: &str,
    counts: Option<&serde_json::Value>,
    error: Option<&str>,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE job_runs SET finished_at = ?2, outcome = ?3, counts_json = ?4, error = ?5 WHERE id = ?1",
        params![id, finished_at, outcome, counts.map(|c| c.to_string()), error],
    )?;
    Ok(())
}

/// Runs left 'running' by a process that died: mark them interrupted. Returns how many.
pub fn mark_interrupted(conn: &WriteTx, now: i64) -> Result<usize> {
    Ok(conn.execute_cached(
        "UPDATE job_runs SET outcome = 'interrupted', finished_at = ?1,
                error = 'the process stopped before the run finished'
         WHERE outcome = 'running'",
        [now],
    )?)
}

/// The last run of a job, and how many of its runs since `since` did not end ok.
pub fn latest(conn: &Connection, job: &str, since: i64) -> Result<(Option<JobRun>, i64)> {
    let last = recent_by_start(conn, job, 1)?.into_iter().next();
    let failed = conn.query_row_cached(
        "SELECT count(*) FROM job_runs WHERE job = ?1 AND started_at >= ?2 AND outcome NOT IN ('ok', 'running')",
        params![job, since],
        |r| r.get(0),
    )?;
    Ok((last, failed))
}

/// A job's latest runs, newest first (through the (job, started_at) index).
pub fn recent_by_start(conn: &Connection, job: &str, limit: i64) -> Result<Vec<JobRun>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, job, trigger, as_of, started_at, finished_at, outcome, counts_json, error
         FROM job_runs WHERE job = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![job, limit], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRun> {
    let id = r.get(0)?;
    Ok(JobRun {
        id,
        job: r.get(1)?,
        trigger: r.get(2)?,
        as_of: r.get(3)?,
        started_at: r.get(4)?,
        finished_at: r.get(5)?,
        outcome: r.get(6)?,
        counts: json::column_opt(r, 7, || format!("counts_json of job run {id}"))?,
        error: r.get(8)?,
    })
}

pub fn recent(conn: &Connection, job: Option<&str>, limit: i64) -> Result<Vec<JobRun>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, job, trigger, as_of, started_at, finished_at, outcome, counts_json, error
         FROM job_runs WHERE (?1 IS NULL OR job = ?1) ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![job, limit], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The `as_of` of the job's latest run that ended ok having done its work (its counts hold
/// `count`), if any: how a nightly job tells whether it is due.
pub fn last_done_as_of(conn: &Connection, job: &str, count: &str) -> Result<Option<i64>> {
    Ok(conn.query_row_cached(
        "SELECT max(as_of) FROM job_runs
         WHERE job = ?1 AND outcome = 'ok' AND json_extract(counts_json, '$.' || ?2) IS NOT NULL",
        params![job, count],
        |r| r.get(0),
    )?)
}
