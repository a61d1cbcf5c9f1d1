//! Texting through the API (account key): a rep's manual text, a lead's conversation with
//! every gate decision, reply drafts to approve or discard.

use crate::clock::to_unix;
use crate::domain::compliance::Purpose;
use crate::messaging::outbox::{self, Enqueued, SendRequest};
use crate::store;
use crate::web::auth::AccountAuth;
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::ApiJson;
use crate::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualText {
    lead_id: i64,
    body: String,
    /// who is sending, for the record (defaults to "api")
    sent_by: Option<String>,
}

/// `POST /api/messages`: a manual text to a lead, through the outbox and its gate.
pub async fn send(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(m): ApiJson<ManualText>,
) -> ApiResult<(StatusCode, Json<Enqueued>)> {
    let now = app.now();
    let by = m.sent_by.unwrap_or_else(|| "api".into());
    let out = app
        .db
        .write(move |tx| {
            let out = outbox::enqueue(
                tx,
                &SendRequest::new(account.id, m.lead_id, Purpose::Manual, m.body, &by),
                now,
            )?;
            Ok(out)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `GET /api/leads/{id}/messages`: the conversation and the consent history, with every
/// outbound message's status and, when it was held back, the gate's code and reason.
pub async fn conversation(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(lead_id): Path<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let v = app
        .db
        .call(move |c| {
            let lead = store::leads::get(c, account.id, lead_id)?
                .ok_or_else(|| crate::error::Error::NotFound(format!("lead {lead_id}")))?;
            Ok(serde_json::json!({
                "lead": lead,
                "outbound": store::messages::for_lead(c, lead_id, 200)?,
                "inbound": store::messages::inbound_for_lead(c, lead_id, 200)?,
                "consent": store::consent::history(c, lead_id)?,
            }))
        })
        .await?;
    Ok(Json(v))
}

/// `GET /api/drafts`: reply drafts waiting for a rep.
pub async fn drafts(AccountAuth(account): AccountAuth, State(app): State<App>) -> ApiResult<Json<serde_json::Value>> {
    let drafts = app.db.call(move |c| store::drafts::pending(c, account.id, 200)).await?;
    Ok(Json(serde_json::json!({ "drafts": drafts })))
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// the text to send, if the rep edited the draft
    body: Option<String>,
    approved_by: Option<String>,
}

/// `POST /api/drafts/{id}/approve`: send the draft (or the rep's edit of it) as a reply.
pub async fn approve(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
    body: Option<ApiJson<Approval>>,
) -> ApiResult<(StatusCode, Json<Enqueued>)> {
    let a = body.map(|b| b.0).unwrap_or_default();
    let now = app.now();
    let out = app
        .db
        .write(move |tx| {
            let by = a.approved_by.unwrap_or_else(|| "api".into());
            crate::messaging::drafts::approve(tx, account.id, id, a.body, None, &by, now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `POST /api/drafts/{id}/discard`
pub async fn discard(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let now = app.now();
    app.db
        .write(move |tx| crate::messaging::drafts::discard(tx, account.id, id, "api", now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagingPrefs {
    help_text: Option<String>,
    auto_reply: Option<bool>,
    followup_days: Option<Vec<u32>>,
    cap_per_lead_day: Option<u32>,
    cap_per_lead_week: Option<u32>,
}

/// `PUT /api/account/messaging`: HELP text, auto-reply, follow-up cadence, caps.
pub async fn set_prefs(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(p): ApiJson<MessagingPrefs>,
) -> ApiResult<Json<serde_json::Value>> {
    if let Some(days) = &p.followup_days {
        if days.len() > 10 || days.windows(2).any(|w| w[0] >= w[1]) || days.iter().any(|d| *d > 90) {
            return Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_followup_days",
                "followup_days must be at most 10 increasing day numbers between 0 and 90, e.g. [0, 2, 7]",
            ));
        }
    }
    if p.help_text
        .as_deref()
        .is_some_and(|h| h.trim().is_empty() || h.chars().count() > 320)
    {
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_help_text",
            "help_text must be 1 to 320 characters",
        ));
    }
    let t = to_unix(app.now());
    let days = p
        .followup_days
        .as_ref()
        .map(|d| serde_json::to_string(d).unwrap_or_else(|_| "[]".into()));
    app.db
        .write(move |c| {
            store::accounts::set_messaging_prefs(
                c,
                account.id,
                &store::accounts::MessagingPrefs {
                    help_text: p.help_text.as_deref().map(str::trim),
                    auto_reply: p.auto_reply,
                    followup_days_json: days.as_deref(),
                    cap_per_lead_day: p.cap_per_lead_day.map(i64::from),
                    cap_per_lead_week: p.cap_per_lead_week.map(i64::from),
                },
                t,
            )
        })
        .await?;
    Ok(Json(serde_json::json!({ "updated": true })))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateRuleBody {
    /// "08:00"
    start: String,
    /// "20:00" (exclusive)
    end: String,
    /// Sunday's own window, or `sunday_allowed: false` for none
    sunday_start: Option<String>,
    sunday_end: Option<String>,
    #[serde(default = "yes")]
    sunday_allowed: bool,
    max_per_24h: Option<u32>,
    /// the statute or policy, shown with every decision it makes
    source: String,
}

fn yes() -> bool {
    true
}

/// `PUT /api/account/state-rules/{state}`: this account's own rule for a state, overriding the
/// shipped default (stricter counsel, a new law). The gate uses it for the next decision.
pub async fn set_state_rule(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(state): Path<String>,
    ApiJson(b): ApiJson<StateRuleBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let max = b.max_per_24h.map(|n| n.to_string());
    let rule = crate::domain::settings::check_state_rule(&crate::domain::settings::StateRuleInput {
        state: &state,
        start: &b.start,
        end: &b.end,
        sunday_start: b.sunday_start.as_deref(),
        sunday_end: b.sunday_end.as_deref(),
        sunday_allowed: b.sunday_allowed,
        max_per_24h: max.as_deref(),
        source: &b.source,
    })
    .map_err(|errors| {
        let code = if errors.iter().any(|(f, _)| *f == "state") {
            "invalid_state"
        } else {
            "invalid_field"
        };
        let words: Vec<String> = errors.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, code, words.join("; "))
    })?;
    let code = rule.state;
    let row = store::state_rules::StateRuleRow::own(&rule);
    let t = to_unix(app.now());
    app.db
        .write(move |c| store::state_rules::set_override(c, account.id, &row, t))
        .await?;
    Ok(Json(serde_json::json!({ "state": code, "updated": true })))
}
