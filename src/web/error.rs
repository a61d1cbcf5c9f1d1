//! The one mapping from errors to HTTP. API errors are always
//! `{"error": {"code": "...", "message": "..."}}` with the status that fits.

use crate::error::Error;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::borrow::Cow;

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub message: String,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status,
            code: Cow::Borrowed(code),
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid { code, message } => AppError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code,
                message,
            },
            Error::NotFound(what) => AppError::not_found(format!("{what} not found")),
            Error::Conflict(m) => AppError::new(StatusCode::CONFLICT, "conflict", m),
            Error::Unauthorized(m) => AppError::unauthorized(m),
            Error::Busy(m) => {
                tracing::warn!(error = %m, "a request gave up waiting to write");
                AppError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the database is busy with a long write; try again in a few seconds",
                )
            }
            other => {
                // details go to the log, not to the caller
                tracing::error!(error = %other, "internal error");
                AppError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong; see the server log",
                )
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, AppError>;
