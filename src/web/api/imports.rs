//! Service data in (account key): DMS exports by upload, saved column mappings, RO updates.

use crate::clock::to_unix;
use crate::domain::visit::{self, LineStatus, ServiceLine};
use crate::ingest::dms::{self, ExportKind, Field};
use crate::ingest::dms_import::{self, ImportError, ImportOptions, ImportReport};
use crate::store;
use crate::web::auth::AccountAuth;
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::ApiJson;
use crate::App;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use chrono::DateTime;
use std::collections::HashMap;
use tokio::io::AsyncWriteExt;

/// Largest upload: a big store's full-history export.
pub const MAX_CSV_BYTES: u64 = 512 * 1024 * 1024;
pub const MAX_JSON_BYTES: usize = 32 * 1024 * 1024;

pub fn import_error(e: ImportError) -> AppError {
    match e {
        ImportError::NoKnownHeaders(_) => {
            AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "no_known_headers", e.to_string())
        }
        ImportError::Csv(_) => AppError::bad_request("malformed_csv", e.to_string()),
        ImportError::Store(e) => e.into(),
    }
}

/// `kind=service|deals` in the query: what the export holds (absent: its headers say).
fn export_kind(q: Option<&str>) -> ApiResult<Option<ExportKind>> {
    let Some(raw) = q
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|p| p.strip_prefix("kind="))
    else {
        return Ok(None);
    };
    ExportKind::parse(raw).map(Some).ok_or_else(|| {
        AppError::bad_request(
            "invalid_kind",
            format!(
                "kind is `service` (appointments, repair orders) or `deals` (sales), not {}",
                visit::quoted(raw)
            ),
        )
    })
}

async fn custom_mapping(app: &App, account_id: i64) -> ApiResult<HashMap<String, Field>> {
    let raw = app.db.call(move |c| store::imports::mappings(c, account_id)).await?;
    Ok(raw
        .into_iter()
        .filter_map(|(h, f)| Some((h, serde_json::from_value(serde_json::Value::String(f)).ok()?)))
        .collect())
}

/// `POST /api/appointments/import[?dry_run=true][&kind=service|deals]`: a DMS export as CSV
/// (`text/csv`) or JSON (`application/json`: an array of events or `{"events": [...]}`). A sales
/// (deal) export is told by its headers, or by `kind=deals`.
pub async fn import(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportReport>> {
    let dry_run = q
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "dry_run=true" || p == "dry_run=1"));
    let kind = export_kind(q.as_deref())?;
    let tz = account.timezone;
    let custom = custom_mapping(&app, account.id).await?;
    let now = app.now();
    let reports = dms_import::reports_dir(&app.config.data_dir);
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("application/json") {
        let bytes = axum::body::to_bytes(body, MAX_JSON_BYTES).await.map_err(|_| {
            AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "a JSON import may be at most 32 MB; send CSV for more",
            )
        })?;
        let v: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| AppError::bad_request("malformed_json", format!("the body is not JSON: {e}")))?;
        let list = match v {
            serde_json::Value::Array(a) => a,
            serde_json::Value::Object(mut o) => match o.remove("events") {
                Some(serde_json::Value::Array(a)) => a,
                _ => {
                    return Err(AppError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_import",
                        "expected an array of events or {\"events\": [...]}",
                    ))
                }
            },
            _ => {
                return Err(AppError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_import",
                    "expected an array of events or {\"events\": [...]}",
                ))
            }
        };
        let events: Vec<serde_json::Map<String, serde_json::Value>> = list
            .into_iter()
            .enumerate()
            .map(|(i, e)| match e {
                serde_json::Value::Object(o) => Ok(o),
                _ => Err(AppError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_import",
                    format!("event {} is not an object", i + 1),
                )),
            })
            .collect::<Result<_, _>>()?;
        let report = app
            .db
            .call(move |c| {
                let opts = ImportOptions {
                    account_id: account.id,
                    tz,
                    custom: &custom,
                    source: "api",
                    dry_run,
                    now,
                    reports: Some(&reports),
                    kind,
                };
                Ok(dms_import::import_json(c, &opts, &events))
            })
            .await?
            .map_err(import_error)?;
        return Ok(Json(report));
    }
    if !(ct.starts_with("text/csv")
        || ct.starts_with("application/csv")
        || ct.starts_with("text/plain")
        || ct.is_empty())
    {
        return Err(AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send text/csv or application/json",
        ));
    }
    // stream the upload to a file so a large export never sits in memory
    let uploads = dms_import::uploads_dir(&app.config.data_dir);
    tokio::fs::create_dir_all(&uploads)
        .await
        .map_err(crate::error::Error::internal)?;
    let upload = Upload(uploads.join(format!("{}.csv", uuid::Uuid::new_v4().simple())));
    let path = upload.0.clone();
    let mut file = tokio::fs::File::create(&path)
        .await
        .map_err(crate::error::Error::internal)?;
    let mut stream = body.into_data_stream();
    let mut written: u64 = 0;
    use futures_util::StreamExt;
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                return Err(AppError::bad_request(
                    "upload_failed",
                    format!("the upload broke off: {e}"),
                ));
            }
        };
        written += chunk.len() as u64;
        if written > MAX_CSV_BYTES {
            return Err(AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "an import may be at most 512 MB; drop larger files in the inbox folder",
            ));
        }
        file.write_all(&chunk).await.map_err(crate::error::Error::internal)?;
    }
    file.flush().await.map_err(crate::error::Error::internal)?;
    drop(file);
    let p2 = path.clone();
    let result = app
        .db
        .call(move |c| {
            let f = std::fs::File::open(&p2).map_err(crate::error::Error::internal)?;
            let opts = ImportOptions {
                account_id: account.id,
                tz,
                custom: &custom,
                source: "api",
                dry_run,
                now,
                reports: Some(&reports),
                kind,
            };
            Ok(dms_import::import_csv(
                c,
                &opts,
                std::io::BufReader::new(f),
                &mut |_| {},
            ))
        })
        .await;
    drop(upload);
    Ok(Json(result?.map_err(import_error)?))
}

/// An upload's file, removed when this is dropped: whether the request is answered, fails, or
/// is dropped because its client hung up (the import, which opened the file, reads on).
struct Upload(std::path::PathBuf);

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `GET /api/import/reports/{id}.csv`: every error and warning of an import that had more than
/// its answer shows (the answer's `full_report`), for 30 days; only the account that imported.
pub async fn full_report(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> ApiResult<axum::response::Response> {
    let reports = dms_import::reports_dir(&app.config.data_dir);
    let not_found = || AppError::not_found(format!("import report `{file}` not found (reports are kept 30 days)"));
    let path = file
        .strip_suffix(".csv")
        .and_then(|id| dms_import::report_path(&reports, account.id, id))
        .ok_or_else(not_found)?;
    csv_download(&path, &file).await?.ok_or_else(not_found)
}

/// A CSV file on this machine as a download named `name`, streamed a piece at a time (a report
/// may be as large as its import); None if there is no such file.
pub async fn csv_download(
    path: &std::path::Path,
    name: &str,
) -> crate::error::Result<Option<axum::response::Response>> {
    use axum::response::IntoResponse;
    let f = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(crate::error::Error::internal(e)),
    };
    let body = Body::from_stream(futures_util::stream::unfold(Some(f), |f| async move {
        use tokio::io::AsyncReadExt;
        let mut f = f?;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(buf), Some(f)))
            }
            Err(e) => Some((Err(e), None)),
        }
    }));
    Ok(Some(
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            body,
        )
            .into_response(),
    ))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// header as it appears in the export -> field
    columns: HashMap<String, String>,
}

/// `GET /api/import/mapping`
pub async fn get_mapping(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
) -> ApiResult<Json<serde_json::Value>> {
    let m = app.db.call(move |c| store::imports::mappings(c, account.id)).await?;
    Ok(Json(serde_json::json!({ "columns": m })))
}

/// `PUT /api/import/mapping`: the account's own header names for odd exports.
pub async fn put_mapping(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(m): ApiJson<Mapping>,
) -> ApiResult<Json<serde_json::Value>> {
    let mut pairs = Vec::new();
    for (header, field) in &m.columns {
        let f: Field = serde_json::from_value(serde_json::Value::String(field.clone())).map_err(|_| {
            AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_field",
                format!("`{field}` (for header `{header}`) is not a field forecourt knows"),
            )
        })?;
        let h = dms::normalize_header(header);
        if h.is_empty() {
            return Err(AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_header",
                format!("header `{header}` has no letters or digits"),
            ));
        }
        pairs.push((
            h,
            serde_json::to_value(f)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        ));
    }
    let t = to_unix(app.now());
    let saved = pairs.clone();
    app.db
        .write(move |c| store::imports::set_mappings(c, account.id, &pairs, t))
        .await?;
    Ok(Json(
        serde_json::json!({ "columns": saved.into_iter().collect::<HashMap<_, _>>() }),
    ))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoLine {
    op_code: String,
    description: Option<String>,
    amount_cents: Option<i64>,
    /// performed (default), declined or recommended
    status: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoUpdate {
    external_id: String,
    opened_at: Option<String>,
    closed_at: Option<String>,
    advisor: Option<String>,
    mileage: Option<i64>,
    services: Option<Vec<RoLine>>,
    labor_cents: Option<i64>,
    parts_cents: Option<i64>,
    total_cents: Option<i64>,
}

fn rfc3339(field: &str, v: &Option<String>) -> ApiResult<Option<i64>> {
    v.as_deref()
        .map(|s| {
            DateTime::parse_from_rfc3339(s.trim())
                .map(|t| t.timestamp())
                .map_err(|_| {
                    invalid_field(format!(
                        "{field} `{}` is not an RFC 3339 timestamp (e.g. 2026-11-27T15:05:00Z)",
                        s.escape_debug()
                    ))
                })
        })
        .transpose()
}

fn invalid_field(message: String) -> AppError {
    AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
}

/// A count within the bounds the DMS import applies to the same field (`domain::visit`).
fn within<T>(field: &str, v: Option<i64>, check: fn(i64) -> Result<T, String>) -> ApiResult<Option<T>> {
    v.map(|n| check(n).map_err(|why| invalid_field(format!("{field}: {why}"))))
        .transpose()
}

/// Text a person reads (an advisor, a description): at most `visit::TEXT_MAX_CHARS`, no
/// control characters.
fn text(field: &str, v: &Option<String>) -> ApiResult<Option<String>> {
    let Some(t) = v.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if visit::has_control(t) {
        return Err(invalid_field(format!(
            "{field} {} holds a control character (such as NUL or a line break)",
            visit::quoted(t)
        )));
    }
    let n = t.chars().count();
    if n > visit::TEXT_MAX_CHARS {
        return Err(invalid_field(format!(
            "{field} is {n} characters long; at most {} are kept",
            visit::TEXT_MAX_CHARS
        )));
    }
    Ok(Some(t.to_string()))
}

/// `POST /api/ro/update`: a repair order opened, changed or closed in the DMS. Every field is
/// checked against the bounds the DMS import applies (`domain::visit`): a value out of them is
/// a 422 naming the field and what it may be.
pub async fn ro_update(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    ApiJson(u): ApiJson<RoUpdate>,
) -> ApiResult<Json<store::service_events::ServiceEventRow>> {
    let ext = u.external_id.trim().to_string();
    visit::check_external_id(&ext)
        .map_err(|why| invalid_field(format!("external_id {} {why}", visit::quoted(&ext))))?;
    let mut services = None;
    if let Some(lines) = &u.services {
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let status = match l.status.as_deref() {
                None => LineStatus::Performed,
                Some(word) => LineStatus::parse(word).ok_or_else(|| {
                    invalid_field(format!(
                        "services[{i}].status {} is not one of {}",
                        visit::quoted(word),
                        LineStatus::words()
                    ))
                })?,
            };
            let op_code = l.op_code.trim();
            if op_code.is_empty() {
                return Err(invalid_field(format!(
                    "services[{i}].op_code is empty: every line needs its op code"
                )));
            }
            visit::check_op_code(op_code)
                .map_err(|why| invalid_field(format!("services[{i}].op_code {} {why}", visit::quoted(op_code))))?;
            let description = text(&format!("services[{i}].description"), &l.description)?;
            let amount_cents = within(
                &format!("services[{i}].amount_cents"),
                l.amount_cents,
                visit::check_cents,
            )?;
            out.push(ServiceLine {
                op_code: op_code.to_string(),
                description,
                amount_cents,
                status,
            });
        }
        services = Some(out);
    }
    let update = store::service_events::RoUpdate {
        opened_at: rfc3339("opened_at", &u.opened_at)?,
        closed_at: rfc3339("closed_at", &u.closed_at)?,
        advisor: text("advisor", &u.advisor)?,
        mileage: within("mileage", u.mileage, visit::check_mileage)?,
        services,
        labor_cents: within("labor_cents", u.labor_cents, visit::check_cents)?,
        parts_cents: within("parts_cents", u.parts_cents, visit::check_cents)?,
        total_cents: within("total_cents", u.total_cents, visit::check_cents)?,
    };
    let t = to_unix(app.now());
    let row = app
        .db
        .write(move |tx| {
            let Some(id) = store::service_events::apply_update(tx, account.id, &ext, &update, t)? else {
                return Err(crate::error::Error::NotFound(format!(
                    "repair order `{ext}` (import it first)"
                )));
            };
            // a line an offer asked for earns that offer its revenue
            crate::upsell::attribution::record_ro_lines(tx, account.id, id, t)?;
            let row = store::service_events::get_by_external_id(tx, account.id, &ext)?;
            row.ok_or_else(|| crate::error::Error::internal("updated row vanished"))
        })
        .await?;
    Ok(Json(row))
}
