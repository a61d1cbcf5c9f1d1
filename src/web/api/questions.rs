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

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParseRequest {
    answer_type: Option<String>,
    text: Option<String>,
    choices: Option<Vec<String>>,
    as_of: Option<String>,
}

/// `POST /api/surveys/parse`: read a reply as the survey would, without storing anything (for
/// the Settings page's "try a reply" box and for support). `{"value", "confidence",
/// "needs_review"}`, `value` null when the reply cannot be read; 422 naming a bad field.
pub async fn parse(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(r): ApiJson<ParseRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    use crate::domain::questions::{read_answer, AnswerType};
    let invalid = |field: &str, why: String| Error::invalid("invalid_parse_request", format!("{field}: {why}"));
    let answer_type = r
        .answer_type
        .as_deref()
        .ok_or_else(|| invalid("answer_type", "is required".into()))
        .and_then(|t| {
            AnswerType::parse(t)
                .ok_or_else(|| invalid("answer_type", format!("must be one of: {}", AnswerType::words())))
        })?;
    let text = r.text.ok_or_else(|| invalid("text", "is required".into()))?;
    if text.chars().count() > crate::domain::sms::MAX_BODY_CHARS {
        return Err(invalid(
            "text",
            format!("is longer than {} characters", crate::domain::sms::MAX_BODY_CHARS),
        )
        .into());
    }
    let choices = r.choices.unwrap_or_default();
    if answer_type == AnswerType::Choice && !(2..=10).contains(&choices.len()) {
        return Err(invalid("choices", "two to ten are needed for a choice".into()).into());
    }
    let at = match r.as_of.as_deref() {
        None => app.now(),
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| invalid("as_of", format!("`{s}` is not an RFC 3339 time")))?,
    };
    let answer = read_answer(answer_type, &text, &choices, at, account.timezone);
    Ok(Json(match answer {
        Some(a) => serde_json::json!({"value": a.value, "confidence": a.confidence, "needs_review": a.needs_review()}),
        None => serde_json::json!({"value": null, "confidence": 0.0, "needs_review": true}),
    }))
}

/// `GET /api/leads/{id}/facts`: what surveys (and imports) have learned about the customer,
/// each with its confidence and the customer's words.
pub async fn facts(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(lead_id): Path<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let facts = app
        .db
        .call(move |c| {
            if store::leads::get(c, account.id, lead_id)?.is_none() {
                return Ok(None);
            }
            store::questions::facts(c, account.id, lead_id).map(Some)
        })
        .await?
        .ok_or_else(|| AppError::not_found(format!("lead {lead_id} not found")))?;
    Ok(Json(serde_json::json!({ "facts": facts })))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetFact {
    value: Option<serde_json::Value>,
}

/// `PUT /api/leads/{id}/facts/{key}` `{"value": ...}`: set a customer's fact as a rep would
/// (confirm an unsure reading, correct it, or add one learned on the phone). The value is read by
/// the fact's answer type and must read surely: `54000`, `"54,000 miles"`, `"0-3m"`, `true`,
/// `"family"`. 200 with the customer's facts; 404 for no such customer; 422 naming `key` or
/// `value`.
pub async fn set_fact(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path((lead_id, key)): Path<(i64, String)>,
    ApiJson(r): ApiJson<SetFact>,
) -> ApiResult<Json<serde_json::Value>> {
    use crate::surveys::facts::{set_by_rep, Outcome};
    let text = match r.value {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => if b { "yes" } else { "no" }.to_string(),
        Some(serde_json::Value::Object(o)) if o.get("bucket").is_some_and(|b| b.is_string()) => {
            o["bucket"].as_str().unwrap_or_default().to_string()
        }
        None | Some(serde_json::Value::Null) => {
            return Err(Error::invalid("invalid_fact", "value: is required").into());
        }
        Some(_) => {
            return Err(Error::invalid("invalid_fact", "value: must be a string, a number or true/false").into());
        }
    };
    let now = app.now();
    let account_id = account.id;
    let outcome = app
        .db
        .write(move |tx| {
            let outcome = set_by_rep(tx, account_id, lead_id, &key, &text, now)?;
            let facts = store::questions::facts(tx, account_id, lead_id)?;
            Ok((outcome, facts))
        })
        .await?;
    match outcome {
        (Outcome::Set, facts) => Ok(Json(serde_json::json!({ "facts": facts }))),
        (Outcome::NoSuchLead, _) => Err(AppError::not_found(format!("lead {lead_id} not found"))),
        (Outcome::Invalid { field, message }, _) => {
            Err(Error::invalid("invalid_fact", format!("{field}: {message}")).into())
        }
    }
}
