//! Operator routes (admin key): replay a moment, read the job log.

use crate::jobs::Trigger;
use crate::web::auth::AdminAuth;
use crate::web::error::{ApiResult, AppError};
use crate::{store, App};
use axum::extract::{RawQuery, State};
use axum::Json;
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::HashMap;

fn query_map(raw: Option<String>) -> ApiResult<HashMap<String, String>> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))
}

/// `as_of` when given (RFC 3339), else the clock's now.
pub fn parse_as_of(app: &App, q: &HashMap<String, String>) -> ApiResult<DateTime<Utc>> {
    match q.get("as_of") {
        None => Ok(app.now()),
        Some(v) => DateTime::parse_from_rfc3339(v.trim()).map(|t| t.to_utc()).map_err(|e| {
            AppError::bad_request(
                "invalid_as_of",
                format!("as_of `{v}` is not an RFC 3339 timestamp (e.g. 2026-11-24T15:00:00Z): {e}"),
            )
        }),
    }
}

/// `POST /api/internal/tick?as_of=RFC3339`: run every job once as of that moment.
pub async fn tick(_: AdminAuth, State(app): State<App>, RawQuery(raw): RawQuery) -> ApiResult<Json<serde_json::Value>> {
    let q = query_map(raw)?;
    let as_of = parse_as_of(&app, &q)?;
    let runs = app.jobs.run_all(&app, as_of, Trigger::Tick).await?;
    Ok(Json(serde_json::json!({
        "as_of": as_of.to_rfc3339_opts(SecondsFormat::Secs, true),
        "runs": runs,
    })))
}

/// `GET /api/internal/job-runs?job=NAME&limit=N`: the most recent runs, newest first.
pub async fn job_runs(
    _: AdminAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query_map(raw)?;
    let limit = match q.get("limit") {
        None => 50,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| AppError::bad_request("invalid_limit", format!("limit must be 1 to 1000, got `{v}`")))?,
    };
    let job = q.get("job").cloned();
    let runs = app
        .db
        .call(move |c| store::job_runs::recent(c, job.as_deref(), limit))
        .await?;
    Ok(Json(serde_json::json!({ "runs": runs })))
}
