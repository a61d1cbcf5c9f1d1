//! The library's one error type. `web::error` maps it to HTTP; the CLI prints it.

use std::borrow::Cow;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule; `code` is a stable machine code, `message` says what to fix.
    #[error("{message}")]
    Invalid { code: Cow<'static, str>, message: String },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unauthorized(String),
    /// Another writer held the database for longer than a writer waits (never a contention
    /// between this process's own writers: they queue). Worth retrying.
    #[error("the database is busy: {0}")]
    Busy(String),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        Error::Internal(message.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
