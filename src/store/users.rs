use super::Cached;
use crate::db::WriteTx;
use crate::domain::users::Role;
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub password_hash: String,
    pub disabled: bool,
}

pub fn insert(
    conn: &WriteTx,
    account_id: i64,
    email: &str,
    display_name: Option<&str>,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<i64> {
    conn.execute_cached(
        "INSERT INTO users (account_id, email, display_name, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![account_id, email, display_name, role, password_hash, now],
    )
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            Error::Conflict(format!("a login for {email} already exists"))
        } else {
            e.into()
        }
    })?;
    Ok(conn.last_insert_rowid())
}

pub fn set_password(conn: &WriteTx, email: &str, password_hash: &str) -> Result<()> {
    let n = conn.execute_cached(
        "UPDATE users SET password_hash = ?2 WHERE email = ?1",
        params![email, password_hash],
    )?;
    if n == 0 {
        return Err(Error::NotFound(format!("login {email}")));
    }
    Ok(())
}

pub fn find_by_email(conn: &Connection, email: &str) -> Result<Option<User>> {
    Ok(conn
        .query_row_cached(
            "SELECT id, account_id, email, display_name, role, password_hash, disabled_at IS NOT NULL FROM users WHERE email = ?1",
            [email.trim()],
            |r| {
                Ok(User {
                    id: r.get(0)?,
                    account_id: r.get(1)?,
                    email: r.get(2)?,
                    display_name: r.get(3)?,
                    role: r.get(4)?,
                    password_hash: r.get(5)?,
                    disabled: r.get(6)?,
                })
            },
        )
        .optional()?)
}

pub fn touch_login(conn: &WriteTx, user_id: i64, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE users SET last_login_at = ?2 WHERE id = ?1",
        params![user_id, now],
    )?;
    Ok(())
}

/// A user of the account, as the inbox shows them (for assigning).
#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    /// their name, or their email when they have none
    pub name: String,
}

/// The account's users, by name.
pub fn members(conn: &Connection, account_id: i64) -> Result<Vec<Member>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, coalesce(display_name, email) AS name FROM users WHERE account_id = ?1 ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([account_id], |r| {
            Ok(Member {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Is this user one of the account's?
pub fn in_account(conn: &Connection, account_id: i64, user_id: i64) -> Result<bool> {
    Ok(conn.query_row_cached(
        "SELECT EXISTS(SELECT 1 FROM users WHERE id = ?1 AND account_id = ?2)",
        params![user_id, account_id],
        |r| r.get(0),
    )?)
}

/// A login as the users page lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: i64,
    pub email: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub last_login_at: Option<i64>,
    pub disabled_at: Option<i64>,
}

/// The account's logins, enabled first, by email.
pub fn list(conn: &Connection, account_id: i64) -> Result<Vec<Listed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, email, display_name, role, last_login_at, disabled_at FROM users
          WHERE account_id = ?1 ORDER BY disabled_at IS NOT NULL, email COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([account_id], |r| {
            Ok(Listed {
                id: r.get(0)?,
                email: r.get(1)?,
                display_name: r.get(2)?,
                role: r.get(3)?,
                last_login_at: r.get(4)?,
                disabled_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Enabled logins of the account that may manage it, other than `except`.
pub fn other_managers(conn: &Connection, account_id: i64, except: i64) -> Result<i64> {
    Ok(conn.query_row_cached(
        "SELECT count(*) FROM users WHERE account_id = ?1 AND id <> ?2 AND disabled_at IS NULL
            AND role IN ('admin', 'manager')",
        params![account_id, except],
        |r| r.get(0),
    )?)
}

/// Change a login's role; false when the account has no such login.
pub fn set_role(conn: &WriteTx, account_id: i64, user_id: i64, role: Role) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE users SET role = ?3 WHERE id = ?1 AND account_id = ?2",
        params![user_id, account_id, role],
    )? == 1)
}

/// Disable (`Some(now)`) or enable (`None`) a login; false when the account has no such login.
pub fn set_disabled(conn: &WriteTx, account_id: i64, user_id: i64, at: Option<i64>) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE users SET disabled_at = ?3 WHERE id = ?1 AND account_id = ?2",
        params![user_id, account_id, at],
    )? == 1)
}

/// Set a login's password by id; false when the account has no such login.
pub fn set_password_of(conn: &WriteTx, account_id: i64, user_id: i64, password_hash: &str) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE users SET password_hash = ?3 WHERE id = ?1 AND account_id = ?2",
        params![user_id, account_id, password_hash],
    )? == 1)
}
