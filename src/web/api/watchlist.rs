//! The next-to-buy watchlist (issue #13): the list and its CSV, the account's weights, and the
//! operator's "recompute now".

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::SecondsFormat;

use crate::domain::sheet::spreadsheet_safe;
use crate::domain::watchlist::{weights_from_fields, Weights, Window, FACTORS};
use crate::error::Error;
use crate::watchlist::list::{Cursor, Entry, Query};
use crate::web::auth::{AccountAuth, AdminAuth};
use crate::web::error::{ApiResult, AppError};
use crate::{watchlist, App};

/// Rows per page at most.
pub const MAX_LIMIT: i64 = 500;
/// Rows the CSV reads per page (it writes every row that matches).
const CSV_PAGE: i64 = 2_000;

fn query_map(raw: Option<String>) -> ApiResult<HashMap<String, String>> {
    serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))
}

/// `window`, `min_score`, `limit` (default 50, at most 500) and `cursor`, each named when bad.
pub fn read_query(q: &HashMap<String, String>) -> ApiResult<Query> {
    let bad = |field: &str, why: String| AppError::bad_request("invalid_query", format!("{field}: {why}"));
    let window = match q
        .get("window")
        .map(|w| w.trim())
        .filter(|w| !w.is_empty() && *w != "all")
    {
        None => None,
        Some(w) => {
            Some(Window::parse(w).ok_or_else(|| bad("window", format!("`{w}` is not one of {}", Window::words())))?)
        }
    };
    let min_score = match q.get("min_score").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| bad("min_score", format!("must be 0 to 100, not `{s}`")))?,
    };
    let limit = match q.get("limit").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => 50,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| bad("limit", format!("must be 1 to {MAX_LIMIT}, not `{s}`")))?,
    };
    let cursor = match q.get("cursor").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Cursor::parse(s).ok_or_else(|| bad("cursor", format!("`{s}` is not a next_cursor")))?),
    };
    Ok(Query {
        window,
        min_score,
        limit,
        cursor,
    })
}

/// `GET /api/watchlist?window=&min_score=&limit=&cursor=`: customers by score, highest first,
/// with `next_cursor` for the next page (null after the last).
pub async fn list(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q = read_query(&query_map(raw)?)?;
    let page = watchlist::list::page(&app.db, account.id, q).await?;
    let counts = watchlist::list::counts(&app.db, account.id).await?;
    let counts: serde_json::Map<String, serde_json::Value> = counts
        .into_iter()
        .map(|(w, n)| (w.as_str().to_string(), n.into()))
        .collect();
    Ok(Json(serde_json::json!({
        "customers": page.entries,
        "next_cursor": page.next_cursor,
        "counts": counts,
    })))
}

/// The CSV's columns.
const CSV_HEADER: [&str; 14] = [
    "lead_id",
    "name",
    "phone",
    "email",
    "score",
    "window",
    "opted_out",
    "vehicle",
    "vin",
    "finance_type",
    "ownership_end",
    "trend",
    "reasons",
    "computed_at",
];

/// One entry as the CSV's cells (each through `spreadsheet_safe`).
pub fn csv_row(e: &Entry) -> Vec<String> {
    let trend = serde_json::to_value(e.trend)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let computed = chrono::DateTime::from_timestamp(e.computed_at, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default();
    [
        e.lead_id.to_string(),
        e.name.clone(),
        e.phone.clone().unwrap_or_default(),
        e.email.clone().unwrap_or_default(),
        e.score.to_string(),
        e.window.clone(),
        if e.opted_out { "yes" } else { "no" }.to_string(),
        e.vehicle.clone().unwrap_or_default(),
        e.vin.clone().unwrap_or_default(),
        e.finance_type.clone().unwrap_or_default(),
        e.ownership_end.map(|d| d.to_string()).unwrap_or_default(),
        trend,
        e.reasons_in_words(usize::MAX),
        computed,
    ]
    .into_iter()
    .map(|c| spreadsheet_safe(&c).into_owned())
    .collect()
}

/// `GET /api/watchlist.csv?window=&min_score=`: every matching customer (the filters of the
/// list; `limit` and `cursor` are ignored), for the sales team's spreadsheet.
pub async fn csv(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let q = read_query(&query_map(raw)?)?;
    Ok(csv_response(csv_body(&app, account.id, q).await?))
}

/// The CSV of every customer `q` matches (its `limit` and `cursor` ignored).
pub async fn csv_body(app: &App, account_id: i64, mut q: Query) -> crate::error::Result<Vec<u8>> {
    q.limit = CSV_PAGE;
    q.cursor = None;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_HEADER).map_err(Error::internal)?;
    loop {
        let page = watchlist::list::page(&app.db, account_id, q).await?;
        for e in &page.entries {
            out.write_record(csv_row(e)).map_err(Error::internal)?;
        }
        match page.next_cursor.as_deref().and_then(Cursor::parse) {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    out.into_inner().map_err(Error::internal)
}

/// A CSV download named watchlist.csv.
pub fn csv_response(body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"watchlist.csv\""),
        ],
        body,
    )
        .into_response()
}

/// The weights as JSON, with each factor's label, default and source.
fn weights_json(w: &Weights) -> serde_json::Value {
    let factors: Vec<serde_json::Value> = FACTORS
        .iter()
        .map(|f| {
            serde_json::json!({
                "factor": f.factor.as_str(),
                "label": f.label,
                "points": w.get(f.factor),
                "default": f.default_points,
                "source": f.source,
            })
        })
        .collect();
    serde_json::json!({ "weights": w, "factors": factors })
}

/// `GET /api/watchlist/weights`: the account's weights (the defaults until tuned).
pub async fn get_weights(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
) -> ApiResult<Json<serde_json::Value>> {
    let w = watchlist::weights(&app.db, account.id).await?;
    Ok(Json(weights_json(&w)))
}

/// A 422 naming every bad field: `{"error": {"code", "message", "fields": {field: why}}}`.
pub fn invalid_weights(errors: &[(String, String)]) -> Response {
    let message = errors
        .iter()
        .map(|(f, m)| format!("{f}: {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let fields: serde_json::Map<String, serde_json::Value> =
        errors.iter().map(|(f, m)| (f.clone(), m.clone().into())).collect();
    let body = serde_json::json!({
        "error": { "code": "invalid_weights", "message": message, "fields": fields }
    });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// `PUT /api/watchlist/weights` with `{"lease_end": 40, ...}`: factors not named keep their
/// points; 422 naming each bad field (unknown, not a whole number 0-100, or a total under 100).
/// Scores follow at the next recompute.
pub async fn put_weights(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&body)
        .map_err(|e| AppError::bad_request("malformed_json", format!("send a JSON object of factor points: {e}")))?;
    let fields: Vec<(String, String)> = map
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    let current = watchlist::weights(&app.db, account.id).await?;
    let w = match weights_from_fields(current, &fields) {
        Ok(w) => w,
        Err(errors) => return Ok(invalid_weights(&errors)),
    };
    if let Err(errors) = watchlist::set_weights(&app.db, account.id, w, app.now()).await? {
        let errors: Vec<(String, String)> = errors.into_iter().map(|(f, m)| (f.to_string(), m)).collect();
        return Ok(invalid_weights(&errors));
    }
    Ok(Json(weights_json(&w)).into_response())
}

/// `POST /api/internal/scores/recompute?as_of=RFC3339` (admin key): score every account's
/// owners now, as of that moment (default: now).
pub async fn recompute(
    _: AdminAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q = query_map(raw)?;
    let as_of = super::internal::parse_as_of(&app, &q)?;
    let report = watchlist::recompute(&app.db, as_of).await?;
    Ok(Json(serde_json::json!({
        "as_of": as_of.to_rfc3339_opts(SecondsFormat::Secs, true),
        "counts": crate::jobs::scores::counts(&report),
    })))
}

/// `GET /api/watchlist/backtest?as_of=YYYY-MM-DD` (account key): the list scored as the store
/// was at the start of that day (its zone), against who bought afterwards. 422 naming `as_of`
/// when it is missing, not a date, or in the future. Nothing is written.
pub async fn backtest(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<crate::domain::watchlist::backtest::Backtest>> {
    let q = query_map(raw)?;
    let now = app.now();
    let as_of = match q.get("as_of") {
        None => Err("is required, a day like 2025-06-01".to_string()),
        Some(v) => crate::domain::watchlist::backtest::start_of_day(v, account.timezone, now),
    }
    .map_err(|why| Error::invalid("invalid_as_of", format!("as_of: {why}")))?;
    Ok(Json(watchlist::backtest(&app.db, account.id, as_of, now).await?))
}
