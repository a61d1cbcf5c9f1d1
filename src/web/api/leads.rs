//! `POST /api/leads/webhook` (account key): leads from websites, OEMs and third parties, as
//! JSON or ADF/XML. Idempotent on resend; a submission with an unreachable lead is refused whole.

use crate::ingest::{lead_intake, leads as parse};
use crate::web::auth::AccountAuth;
use crate::web::error::{ApiResult, AppError};
use crate::App;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;

/// Largest lead submission accepted. A real ADF document is a few kilobytes.
pub const MAX_BODY: usize = 1024 * 1024;

pub async fn webhook(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("a lead submission may be at most {} KB", MAX_BODY / 1024),
        )
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let is_xml = parse::is_xml(content_type, &bytes);
    let format = if is_xml { "adf" } else { "json" };
    // parsing is CPU work that grows with the body: on the blocking pool it can never hold up
    // the async threads that answer every other request (/healthz and Twilio's webhooks too)
    let body = bytes.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        if is_xml {
            parse::parse_adf(&body)
        } else {
            parse::parse_json(&body)
        }
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "the lead parser did not finish");
        AppError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong; see the server log",
        )
    })?;
    let parsed = parsed.map_err(|e| {
        let code = match e {
            parse::LeadParseError::MalformedXml(_) => "malformed_xml",
            parse::LeadParseError::XmlTooComplex(_) => "xml_too_complex",
            parse::LeadParseError::MalformedJson(_) => "malformed_json",
            parse::LeadParseError::Empty => "empty_body",
            parse::LeadParseError::Shape(_) => "invalid_lead",
        };
        let status = if code == "invalid_lead" {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        AppError::new(status, code, e.to_string())
    })?;
    let many = parsed.len() > 1 || bytes.trim_ascii_start().starts_with(b"[") || format == "adf" && parsed.len() != 1;
    let default_source = if format == "adf" { "adf" } else { "webhook" };
    let (valid, errors, warnings) = lead_intake::validate(&parsed, default_source);
    if let Some(first) = errors.first() {
        let message = if errors.len() == 1 && parsed.len() == 1 {
            format!("{}: {}", first.field, first.message)
        } else {
            errors
                .iter()
                .map(|e| format!("lead {}: {}: {}", e.lead + 1, e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        };
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreachable_lead",
            format!("nothing was stored: {message}"),
        ));
    }
    let now = app.now();
    let stored = app
        .db
        .write(move |tx| {
            let stored = lead_intake::store(tx, account.id, &valid, now)?;
            Ok(stored)
        })
        .await?;
    let status = if stored.iter().any(|s| s.created) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = if many {
        serde_json::json!({ "leads": stored, "warnings": warnings })
    } else {
        let s = &stored[0];
        serde_json::json!({ "lead_id": s.lead_id, "created": s.created, "warnings": warnings })
    };
    Ok((status, Json(body)))
}
