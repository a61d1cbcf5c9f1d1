use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::params;

#[derive(Debug, Clone)]
pub struct NewQuestion {
    pub fact_key: String,
    pub question: String,
    pub answer_kind: String,
    pub choices_json: Option<String>,
    pub priority: i64,
    pub min_days_between: i64,
    pub refresh_after_days: Option<i64>,
}

pub fn insert_policy(conn: &WriteTx, account_id: i64, q: &NewQuestion, now: i64) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO question_policy (account_id, fact_key, question, answer_kind, choices_json, priority,
                                      min_days_between, refresh_after_days, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?9)",
        params![
            account_id,
            q.fact_key,
            q.question,
            q.answer_kind,
            q.choices_json,
            q.priority,
            q.min_days_between,
            q.refresh_after_days,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
