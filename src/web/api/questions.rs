//! Survey questions (`/api/questions`, account key) and the operator's "ask due surveys now".

use crate::clock::to_unix;
use crate::domain::offers::describe;
use crate::domain::questions::{check_question, QuestionInput, ValidQuestion};
use crate::error::Error;
use crate::store::{self, questions::Question};
use crate::web::auth::{AccountAuth, AdminAuth};
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::ApiJson;
use crate::App;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::SecondsFormat;

/// Check a question as the account would save it: 422 naming every bad field.
fn validate(input: &QuestionInput) -> Result<ValidQuestion, Error> {
    check_question(input).map_err(|errors| Error::invalid("invalid_question", describe(&errors)))
}

fn not_found(id: i64) -> AppError {
    AppError::not_found(format!("question {id} not found"))
}

/// `GET /api/questions`: the account's questions, highest priority first.
pub async fn list(AccountAuth(account): AccountAuth, State(app): State<App>) -> ApiResult<Json<serde_json::Value>> {
    let questions = app.db.call(move |c| store::questions::list(c, account.id)).await?;
    Ok(Json(serde_json::json!({ "questions": questions })))
}

/// `GET /api/questions/{id}`
pub async fn get(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Question>> {
    app.db
        .call(move |c| store::questions::get(c, account.id, id))
        .await?
        .map(Json)
        .ok_or_else(|| not_found(id))
}

/// `POST /api/questions`: 201 with the question; 409 when a question already fills its fact.
pub async fn create(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> ApiResult<(StatusCode, Json<Question>)> {
    let q = validate(&input)?;
    let t = to_unix(app.now());
    let saved = app
        .db
        .write(move |tx| {
            let id = store::questions::insert(tx, account.id, &q, t)?;
            store::questions::get(tx, account.id, id)?.ok_or_else(|| Error::internal("question vanished"))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `PUT /api/questions/{id}`: replace the question's fields.
pub async fn update(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> ApiResult<Json<Question>> {
    let q = validate(&input)?;
    let t = to_unix(app.now());
    app.db
        .write(move |tx| {
            if !store::questions::update(tx, account.id, id, &q, t)? {
                return Ok(None);
            }
            store::questions::get(tx, account.id, id)
        })
        .await?
        .map(Json)
        .ok_or_else(|| not_found(id))
}

/// `DELETE /api/questions/{id}`: 204; what it asked stays in each customer's history.
pub async fn delete(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    if app
        .db
        .write(move |tx| store::questions::delete(tx, account.id, id))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

/// `POST /api/internal/surveys/ask?as_of=RFC3339` (admin key): run the survey orchestrator now.
/// It does not wait for the job's lock: one open question per customer is the database's rule.
pub async fn ask_due(
    _: AdminAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q: std::collections::HashMap<String, String> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))?;
    let as_of = super::internal::parse_as_of(&app, &q)?;
    let report = crate::surveys::ask_due(&app.services, as_of).await?;
    Ok(Json(serde_json::json!({
        "as_of": as_of.to_rfc3339_opts(SecondsFormat::Secs, true),
        "counts": crate::jobs::surveys::counts(&report),
    })))
}
