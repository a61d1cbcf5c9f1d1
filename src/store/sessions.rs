use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// A live dashboard session joined with who it belongs to.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    pub account_id: i64,
    pub email: String,
    pub display_name: Option<String>,
    pub account_name: String,
    pub csrf_token: String,
    pub expires_at: i64,
    /// drafted replies of the account waiting for a rep (the navigation shows the count)
    pub drafts_waiting: i64,
    pub role: crate::domain::users::Role,
}

pub fn insert(
    conn: &WriteTx,
    token_hash: &str,
    user_id: i64,
    account_id: i64,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO sessions (token_hash, user_id, account_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![token_hash, user_id, account_id, csrf_token, now, expires_at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The unexpired session with this token hash.
pub fn find_live(conn: &Connection, token_hash: &str, now: i64) -> Result<Option<Session>> {
    Ok(conn
        .query_row_cached(
            "SELECT s.id, s.user_id, s.account_id, u.email, u.display_name, a.name, s.csrf_token, s.expires_at,
                    (SELECT count(*) FROM reply_drafts d WHERE d.account_id = s.account_id AND d.status = 'pending'),
                    u.role
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = s.account_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled_at IS NULL",
            params![token_hash, now],
            |r| {
                Ok(Session {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    account_id: r.get(2)?,
                    email: r.get(3)?,
                    display_name: r.get(4)?,
                    account_name: r.get(5)?,
                    csrf_token: r.get(6)?,
                    expires_at: r.get(7)?,
                    drafts_waiting: r.get(8)?,
                    role: r.get(9)?,
                })
            },
        )
        .optional()?)
}

pub fn delete(conn: &WriteTx, id: i64) -> Result<()> {
    conn.execute_cached("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

/// End every session of a user (disabled, or their password was reset).
pub fn delete_for_user(conn: &WriteTx, user_id: i64) -> Result<usize> {
    Ok(conn.execute_cached("DELETE FROM sessions WHERE user_id = ?1", [user_id])?)
}

/// Remove sessions that expired before `now`; returns how many.
pub fn purge_expired(conn: &WriteTx, now: i64) -> Result<usize> {
    Ok(conn.execute_cached("DELETE FROM sessions WHERE expires_at <= ?1", [now])?)
}
