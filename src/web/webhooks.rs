//! Twilio's webhooks: inbound texts and delivery status callbacks. Every request must carry a
//! valid `X-Twilio-Signature` for the account's auth token over the public URL; a bad or
//! missing one is refused with 403 and nothing is written.

use super::error::AppError;
use crate::clock::to_unix;
use crate::domain::phone;
use crate::messaging::{self, inbound, twilio_signature};
use crate::store::{self, accounts::MessagingSettings};
use crate::App;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::collections::HashMap;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/twilio/inbound", post(inbound_sms))
        .route("/twilio/status", post(status_callback))
}

fn forbidden(message: &str) -> AppError {
    AppError::new(StatusCode::FORBIDDEN, "invalid_signature", message)
}

struct Verified {
    params: HashMap<String, String>,
}

/// Check the signature against the account's token; the URL is the box's public URL plus the
/// path and query Twilio called.
fn verify(
    app: &App,
    account: &MessagingSettings,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
    pairs: &[(String, String)],
) -> Result<(), AppError> {
    let Some(signature) = headers.get("x-twilio-signature").and_then(|v| v.to_str().ok()) else {
        return Err(forbidden("the request carries no X-Twilio-Signature"));
    };
    let Some(token) = messaging::auth_token(&app.services, account) else {
        tracing::error!(
            account_id = account.account.id,
            "no Twilio auth token configured; cannot verify webhooks"
        );
        return Err(forbidden(
            "webhook signatures cannot be verified: no Twilio auth token is configured",
        ));
    };
    let url = format!(
        "{}{}",
        app.config.public_url(),
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    );
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let ok = if is_form {
        twilio_signature::validate_form(&token, &url, pairs, signature)
    } else {
        twilio_signature::validate_body(&token, &url, body, signature)
    };
    if ok {
        Ok(())
    } else {
        tracing::warn!(account_id = account.account.id, url = %url, "rejected a webhook with a bad signature");
        Err(forbidden("the X-Twilio-Signature does not match"))
    }
}

fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::bad_request("invalid_form", format!("the body is not form-encoded: {e}")))
}

async fn account_for_number(app: &App, number: Option<&String>) -> Result<MessagingSettings, AppError> {
    let number = number
        .cloned()
        .ok_or_else(|| AppError::bad_request("missing_field", "the request has no `To`"))?;
    let normalized = phone::normalize(&number).unwrap_or(number.clone());
    app.db
        .call(move |c| store::accounts::find_by_twilio_number(c, &normalized))
        .await?
        .ok_or_else(|| {
            tracing::warn!(number = %number, "a webhook arrived for a number no account uses");
            AppError::not_found(format!("no account texts from {number}"))
        })
}

async fn read_verified(
    app: &App,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &Bytes,
    account_key: &str,
) -> Result<(MessagingSettings, Verified), AppError> {
    let pairs = parse_form(body)?;
    let params: HashMap<String, String> = pairs.iter().cloned().collect();
    let account = account_for_number(app, params.get(account_key)).await?;
    verify(app, &account, uri, headers, body, &pairs)?;
    Ok((account, Verified { params }))
}

fn twiml(reply: Option<&str>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        inbound::twiml(reply),
    )
        .into_response()
}

/// `POST /webhooks/twilio/inbound`
async fn inbound_sms(
    State(app): State<App>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (account, v) = match read_verified(&app, &uri, &headers, &body, "To").await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let field = |k: &str| v.params.get(k).cloned().unwrap_or_default();
    let from_raw = field("From");
    let Ok(from) = phone::normalize(&from_raw) else {
        return AppError::bad_request("invalid_from", format!("`From` is not a phone number: {from_raw}"))
            .into_response();
    };
    let sid = field("MessageSid");
    if sid.is_empty() {
        return AppError::bad_request("missing_field", "the request has no `MessageSid`").into_response();
    }
    let sms = inbound::InboundSms {
        message_sid: sid,
        from,
        to: field("To"),
        body: field("Body"),
    };
    match inbound::receive(&app.services, account, sms, app.now()).await {
        Ok(h) => twiml(h.reply.as_deref()),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /webhooks/twilio/status`: delivery progress of a message we sent.
async fn status_callback(
    State(app): State<App>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (account, v) = match read_verified(&app, &uri, &headers, &body, "From").await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let sid = v
        .params
        .get("MessageSid")
        .or_else(|| v.params.get("SmsSid"))
        .cloned()
        .unwrap_or_default();
    let status = v
        .params
        .get("MessageStatus")
        .or_else(|| v.params.get("SmsStatus"))
        .cloned()
        .unwrap_or_default();
    if sid.is_empty() || status.is_empty() {
        return AppError::bad_request("missing_field", "a status callback needs MessageSid and MessageStatus")
            .into_response();
    }
    let error_code = v.params.get("ErrorCode").cloned().filter(|c| !c.is_empty());
    let t = to_unix(app.now());
    let account_id = account.account.id;
    let sid_for_log = sid.clone();
    let result = app
        .db
        .write(move |tx| {
            let found = store::messages::apply_status(tx, account_id, &sid, &status, error_code.as_deref(), t)?;
            if let (Some((_, lead_id)), Some("21610")) = (found, error_code.as_deref()) {
                store::consent::opt_out(
                    tx,
                    account_id,
                    lead_id,
                    crate::domain::consent::ConsentSource::Carrier,
                    None,
                    t,
                )?;
            }
            Ok(found.is_some())
        })
        .await;
    match result {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => {
            // unknown, or another account's message: answered alike, so a caller learns nothing
            tracing::warn!(
                account_id,
                message_sid = %sid_for_log,
                "a status callback named a message this account does not have"
            );
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => AppError::from(e).into_response(),
    }
}
