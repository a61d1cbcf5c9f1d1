//! Experiments (`/api/experiments`, account key): set up, start, stop, read results; and the
//! operator's bulk assignment (`/api/internal/experiment/assign`, admin key).

use crate::domain::experiments::{check_experiment, ExperimentInput, ValidExperiment};
use crate::domain::offers::describe;
use crate::error::Error;
use crate::experiments::{manage, results};
use crate::store::{self, experiments::Experiment};
use crate::web::auth::{AccountAuth, AdminAuth};
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::ApiJson;
use crate::App;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::SecondsFormat;

/// Check an experiment as the account would save it: 422 naming every bad field.
fn validate(input: &ExperimentInput, tz: chrono_tz::Tz) -> Result<ValidExperiment, Error> {
    check_experiment(input, tz).map_err(|errors| Error::invalid("invalid_experiment", describe(&errors)))
}

fn not_found(id: i64) -> AppError {
    AppError::not_found(format!("experiment {id} not found"))
}

/// `GET /api/experiments`: newest first, each with its arms' sizes.
pub async fn list(AccountAuth(account): AccountAuth, State(app): State<App>) -> ApiResult<Json<serde_json::Value>> {
    let experiments = app.db.call(move |c| store::experiments::list(c, account.id)).await?;
    Ok(Json(serde_json::json!({ "experiments": experiments })))
}

/// `GET /api/experiments/{id}`
pub async fn get(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Experiment>> {
    app.db
        .call(move |c| store::experiments::get(c, account.id, id))
        .await?
        .map(Json)
        .ok_or_else(|| not_found(id))
}

/// `POST /api/experiments`: 201 with the draft; 409 when the name is taken.
pub async fn create(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(input): ApiJson<ExperimentInput>,
) -> ApiResult<(StatusCode, Json<Experiment>)> {
    let e = validate(&input, account.timezone)?;
    let now = app.now();
    let saved = app.db.write(move |tx| manage::create(tx, account.id, &e, now)).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `PUT /api/experiments/{id}`: replace a draft's fields; 409 once started.
pub async fn update(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExperimentInput>,
) -> ApiResult<Json<Experiment>> {
    let e = validate(&input, account.timezone)?;
    let now = app.now();
    Ok(Json(
        app.db
            .write(move |tx| manage::update(tx, account.id, id, &e, now))
            .await?,
    ))
}

/// `POST /api/experiments/{id}/start`: 409 when another runs on an overlapping campaign.
pub async fn start(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Experiment>> {
    let now = app.now();
    Ok(Json(
        app.db.write(move |tx| manage::start(tx, account.id, id, now)).await?,
    ))
}

/// `POST /api/experiments/{id}/stop`
pub async fn stop(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Experiment>> {
    let now = app.now();
    Ok(Json(
        app.db.write(move |tx| manage::stop(tx, account.id, id, now)).await?,
    ))
}

/// `GET /api/experiments/{id}/results[?as_of=RFC3339]`: every figure, per measure and arm.
pub async fn results(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<results::Results>> {
    let q: std::collections::HashMap<String, String> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))?;
    let as_of = super::internal::parse_as_of(&app, &q)?;
    app.db
        .call(move |c| results::of(c, account.id, id, as_of))
        .await?
        .map(Json)
        .ok_or_else(|| not_found(id))
}

/// `POST /api/internal/experiment/assign?as_of=RFC3339` (admin key): assign, for every running
/// experiment, the customers eligible up to `as_of` who have no arm yet.
pub async fn assign(
    _: AdminAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q: std::collections::HashMap<String, String> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))?;
    let as_of = super::internal::parse_as_of(&app, &q)?;
    let report = crate::experiments::assign::bulk(&app.services, as_of).await?;
    Ok(Json(serde_json::json!({
        "as_of": as_of.to_rfc3339_opts(SecondsFormat::Secs, true),
        "experiments": report.experiments,
        "assigned": report.assigned,
    })))
}
