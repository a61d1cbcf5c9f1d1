//! The offer catalog (`/api/offers`), offer outcomes, and the operator's "send due offers now".

use crate::clock::to_unix;
use crate::domain::offers::{check_offer, describe, OfferInput};
use crate::error::Error;
use crate::store::{self, offer_sends::OfferSend, offers::NewOffer, offers::Offer};
use crate::web::auth::{AccountAuth, AdminAuth};
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::ApiJson;
use crate::App;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::SecondsFormat;

/// Check an offer as the account would save it: 422 naming every bad field.
pub fn validate(input: &OfferInput, tz: chrono_tz::Tz) -> Result<NewOffer, Error> {
    check_offer(input, tz)
        .map(|v| NewOffer::from(&v))
        .map_err(|errors| Error::invalid("invalid_offer", describe(&errors)))
}

/// `GET /api/offers[?include_retired=true]`
pub async fn list(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let all = raw
        .unwrap_or_default()
        .split('&')
        .any(|kv| kv == "include_retired=true");
    let offers = app.db.call(move |c| store::offers::list(c, account.id, all)).await?;
    Ok(Json(serde_json::json!({ "offers": offers })))
}

/// `GET /api/offers/{id}`
pub async fn get(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Offer>> {
    app.db
        .call(move |c| store::offers::get(c, account.id, id))
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found(format!("offer {id} not found")))
}

/// `POST /api/offers`: 201 with the offer.
pub async fn create(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(input): ApiJson<OfferInput>,
) -> ApiResult<(StatusCode, Json<Offer>)> {
    let offer = validate(&input, account.timezone)?;
    let t = to_unix(app.now());
    let saved = app
        .db
        .write(move |c| store::offers::save(c, account.id, None, &offer, t))
        .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `PUT /api/offers/{id}`: replace the offer (a retired one comes back).
pub async fn update(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OfferInput>,
) -> ApiResult<Json<Offer>> {
    let offer = validate(&input, account.timezone)?;
    let t = to_unix(app.now());
    Ok(Json(
        app.db
            .write(move |c| store::offers::save(c, account.id, Some(id), &offer, t))
            .await?,
    ))
}

/// `DELETE /api/offers/{id}`: retire it. Its sends and their revenue stay on record.
pub async fn retire(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Offer>> {
    let t = to_unix(app.now());
    let offer = app
        .db
        .write(move |c| {
            if !store::offers::retire(c, account.id, id, t)? {
                return Err(Error::NotFound(format!("offer {id}")));
            }
            store::offers::get(c, account.id, id)
        })
        .await?;
    offer
        .map(Json)
        .ok_or_else(|| AppError::not_found(format!("offer {id} not found")))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    accepted: bool,
    /// revenue to credit, in cents (kept as it was when left out)
    revenue_cents: Option<i64>,
    /// who says so (defaults to "api")
    by: Option<String>,
    /// why, in the rep's words
    note: Option<String>,
}

/// `POST /api/offer-sends/{id}/outcome`: a rep marks an offer taken or not, with revenue.
pub async fn outcome(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(id): Path<i64>,
    ApiJson(o): ApiJson<Outcome>,
) -> ApiResult<Json<OfferSend>> {
    let o = crate::upsell::outcomes::RepOutcome {
        accepted: o.accepted,
        revenue_cents: o.revenue_cents,
        note: o.note,
        by: o.by.unwrap_or_default(),
    };
    crate::upsell::outcomes::check(&o)?;
    let now = app.now();
    let send = app
        .db
        .write(move |tx| crate::upsell::outcomes::record(tx, account.id, id, &o, now))
        .await?;
    Ok(Json(send))
}

/// `GET /api/offer-sends?external_id=RO123`: what the engine did for each phase of a visit.
pub async fn for_visit(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q: std::collections::HashMap<String, String> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))?;
    let ext = q
        .get("external_id")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            AppError::bad_request(
                "missing_external_id",
                "give ?external_id= (the RO or appointment number)",
            )
        })?;
    let sends = app
        .db
        .call(move |c| {
            let visit = store::service_events::get_by_external_id(c, account.id, &ext)?
                .ok_or_else(|| Error::NotFound(format!("service event `{ext}`")))?;
            store::offer_sends::for_visit(c, account.id, visit.id)
        })
        .await?;
    Ok(Json(serde_json::json!({ "offer_sends": sends })))
}

/// `POST /api/internal/offers/send?as_of=RFC3339` (admin key): run the upsell triggers now.
/// It does not wait for the job's lock: the database is what keeps each phase at most once.
pub async fn send_due(
    _: AdminAuth,
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<serde_json::Value>> {
    let q: std::collections::HashMap<String, String> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| AppError::bad_request("invalid_query", format!("could not read the query string: {e}")))?;
    let as_of = super::internal::parse_as_of(&app, &q)?;
    let report = crate::upsell::engine::send_due(&app, as_of).await?;
    let counts = crate::jobs::upsell::counts(&report);
    Ok(Json(serde_json::json!({
        "as_of": as_of.to_rfc3339_opts(SecondsFormat::Secs, true),
        "counts": counts,
    })))
}
