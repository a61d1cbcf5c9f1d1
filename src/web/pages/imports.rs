//! Imports (`/imports`, managers only): upload a DMS export (service or deals), read its dry-run
//! report, then import it; the history of imports (uploaded and from the watched folder) with
//! each one's report and its issues as CSV; the watched folder's recent files and their outcome.
//!
//! The upload is a plain `multipart/form-data` form (works with JavaScript off; see
//! [`crate::web::multipart`]), at most [`MAX_UPLOAD_BYTES`]. Between the dry run and "Import" the
//! file waits on this machine under an id the server made (see [`crate::ingest::uploaded`]).

mod view;

use super::view::Nav;
use super::{error_page, page_error, render};
use crate::ingest::dms::ExportKind;
use crate::ingest::dms_import::{self, ImportError, ImportOptions};
use crate::ingest::uploaded::{self, Imported, Pending};
use crate::store;
use crate::web::auth::CurrentUser;
use crate::web::multipart;
use crate::App;
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::collections::HashMap;
use view::{FolderRow, HistoryRow, ReportView};

/// Largest export the page takes (larger ones: the watched folder, or the API's 512 MB).
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;
/// Imports and folder files the page lists.
const LISTED: i64 = 30;

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    nav: Nav,
    notice: Option<String>,
    /// what is wrong with the upload, shown beside the file field
    error: Option<String>,
    kind: String,
    /// a dry run waiting for "Import": the upload's id and file name, and its report
    dry: Option<(String, String, ReportView)>,
    history: Vec<HistoryRow>,
    folder: Vec<FolderRow>,
    max_mb: usize,
}

#[derive(Template)]
#[template(path = "import_report.html")]
struct ReportPage {
    nav: Nav,
    entry: HistoryRow,
    report: Option<ReportView>,
}

/// The page with its lists, and what the request brought.
async fn show(
    app: &App,
    user: &CurrentUser,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    kind: &str,
    dry: Option<(String, String, ReportView)>,
) -> Response {
    let account_id = user.0.account_id;
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            let history = store::imports::history(c, account_id, LISTED)?;
            let folder = store::inbox_filed::recent(c, account_id, LISTED)?;
            Ok((tz, history, folder))
        })
        .await;
    let (tz, history, folder) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let page = ImportsPage {
        nav: Nav::new("settings", &user.0),
        notice,
        error,
        kind: kind.to_string(),
        dry,
        history: history.iter().map(|e| HistoryRow::of(e, tz)).collect(),
        folder: folder.iter().map(|f| FolderRow::of(f, tz)).collect(),
        max_mb: MAX_UPLOAD_BYTES / (1024 * 1024),
    };
    (status, render(page)).into_response()
}

/// `GET /imports`
pub async fn page(State(app): State<App>, user: CurrentUser) -> Response {
    show(&app, &user, StatusCode::OK, None, None, "auto", None).await
}

fn bad_csrf() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "The form expired",
        "Reload the page and try again.",
    )
}

async fn options(
    app: &App,
    account_id: i64,
) -> crate::error::Result<(chrono_tz::Tz, HashMap<String, crate::ingest::dms::Field>)> {
    app.db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            let custom = store::imports::mappings(c, account_id)?
                .into_iter()
                .filter_map(|(h, f)| Some((h, serde_json::from_value(serde_json::Value::String(f)).ok()?)))
                .collect();
            Ok((tz, custom))
        })
        .await
}

/// What a file that cannot be imported at all says (nothing was written).
fn unreadable(e: &ImportError) -> Option<String> {
    match e {
        ImportError::NoKnownHeaders(_) | ImportError::Csv(_) => Some(format!("{e}. Nothing was imported.")),
        ImportError::Store(_) => None,
    }
}

/// `POST /imports` (multipart: `csrf`, `kind` = auto|service|deals, `file`): keep the file and
/// show its dry run.
pub async fn upload(State(app): State<App>, user: CurrentUser, headers: HeaderMap, body: Body) -> Response {
    let too_large = format!(
        "The file is larger than {} MB. Drop larger exports in the watched folder, or send them to the import API.",
        MAX_UPLOAD_BYTES / (1024 * 1024)
    );
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // the form's own fields and headers take a little room beside the file
    let limit = MAX_UPLOAD_BYTES + 64 * 1024;
    if declared.is_some_and(|n| n > limit) {
        return show(
            &app,
            &user,
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            Some(too_large),
            "auto",
            None,
        )
        .await;
    }
    let Some(boundary) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary)
    else {
        let why = "Choose a file with the form below (it is sent as multipart/form-data).".to_string();
        return show(&app, &user, StatusCode::BAD_REQUEST, None, Some(why), "auto", None).await;
    };
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return show(
                &app,
                &user,
                StatusCode::PAYLOAD_TOO_LARGE,
                None,
                Some(too_large),
                "auto",
                None,
            )
            .await
        }
    };
    let Some(parts) = multipart::parts(&bytes, &boundary) else {
        let why = "The upload arrived broken; choose the file and send it again.".to_string();
        return show(&app, &user, StatusCode::BAD_REQUEST, None, Some(why), "auto", None).await;
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let text = |name: &str| field(name).map(|p| String::from_utf8_lossy(p.data).trim().to_string());
    if !user.csrf_ok(&text("csrf").unwrap_or_default()) {
        return bad_csrf();
    }
    let kind_word = text("kind").unwrap_or_else(|| "auto".into());
    let kind = match kind_word.as_str() {
        "" | "auto" => None,
        w => match ExportKind::parse(w) {
            Some(k) => Some(k),
            None => {
                let why = "Choose what the export holds: service visits, deals, or let its headers tell.".to_string();
                return show(
                    &app,
                    &user,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    Some(why),
                    "auto",
                    None,
                )
                .await;
            }
        },
    };
    let kind_word = kind.map(|k| k.as_str()).unwrap_or("auto");
    let file = match field("file") {
        Some(f) if !f.data.is_empty() => f,
        _ => {
            let why = "Choose a CSV export to upload: no file (or an empty one) was sent.".to_string();
            return show(
                &app,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(why),
                kind_word,
                None,
            )
            .await;
        }
    };
    let account_id = user.0.account_id;
    let now = app.now();
    let name = file.file_name.clone().unwrap_or_default();
    let pending = match uploaded::save(
        &app.config.data_dir,
        account_id,
        now.timestamp(),
        &name,
        kind,
        file.data,
    ) {
        Ok(p) => p,
        Err(e) => return page_error(crate::error::Error::internal(e)),
    };
    drop(bytes);
    let (tz, custom) = match options(&app, account_id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let reports = dms_import::reports_dir(&app.config.data_dir);
    let p = pending.clone();
    let result = app
        .db
        .call(move |c| {
            let opts = ImportOptions {
                account_id,
                tz,
                custom: &custom,
                source: "api",
                dry_run: true,
                now,
                reports: Some(&reports),
                kind: p.kind,
            };
            Ok(uploaded::dry_run(c, &opts, &p))
        })
        .await;
    match result {
        Ok(Ok(report)) => {
            let dry = Some((pending.id.clone(), pending.file_name.clone(), ReportView::of(&report)));
            show(&app, &user, StatusCode::OK, None, None, kind_word, dry).await
        }
        Ok(Err(e)) => {
            uploaded::remove(&pending);
            match unreadable(&e) {
                Some(why) => {
                    show(
                        &app,
                        &user,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        None,
                        Some(why),
                        kind_word,
                        None,
                    )
                    .await
                }
                None => page_error(crate::error::Error::internal(e)),
            }
        }
        Err(e) => {
            uploaded::remove(&pending);
            page_error(e)
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ConfirmForm {
    csrf: String,
    /// `import` or `discard`
    #[serde(default)]
    action: String,
}

/// `POST /imports/pending/{id}`: import the upload for real (or discard it).
pub async fn confirm(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return bad_csrf();
    }
    let account_id = user.0.account_id;
    let now = app.now();
    let Some(pending) = uploaded::load(&app.config.data_dir, account_id, &id, now.timestamp()) else {
        let why = "That upload is gone: it waits an hour for its import. Upload the file again.".to_string();
        return show(&app, &user, StatusCode::NOT_FOUND, None, Some(why), "auto", None).await;
    };
    if f.action == "discard" {
        uploaded::remove(&pending);
        let notice = format!("{} was not imported.", pending.file_name);
        return show(&app, &user, StatusCode::OK, Some(notice), None, "auto", None).await;
    }
    let (tz, custom) = match options(&app, account_id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let reports = dms_import::reports_dir(&app.config.data_dir);
    let p: Pending = pending.clone();
    let result = app
        .db
        .call(move |c| {
            let opts = ImportOptions {
                account_id,
                tz,
                custom: &custom,
                source: "api",
                dry_run: false,
                now,
                reports: Some(&reports),
                kind: p.kind,
            };
            Ok(uploaded::import(c, &opts, &p))
        })
        .await;
    uploaded::remove(&pending);
    match result {
        Ok(Ok(Imported::Done(journal, _))) => Redirect::to(&format!("/imports/history/{journal}")).into_response(),
        Ok(Ok(Imported::AlreadyDone(_))) => {
            let notice = format!(
                "{}: this content was imported before, so nothing changed. It is in the history below.",
                pending.file_name
            );
            show(&app, &user, StatusCode::OK, Some(notice), None, "auto", None).await
        }
        Ok(Err(e)) => match unreadable(&e) {
            Some(why) => {
                show(
                    &app,
                    &user,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    Some(why),
                    "auto",
                    None,
                )
                .await
            }
            None => page_error(crate::error::Error::internal(e)),
        },
        Err(e) => page_error(e),
    }
}

async fn entry(
    app: &App,
    user: &CurrentUser,
    id: i64,
) -> Result<(store::imports::JournalEntry, chrono_tz::Tz), Response> {
    let account_id = user.0.account_id;
    let found = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            Ok(store::imports::get(c, account_id, id)?.map(|e| (e, tz)))
        })
        .await;
    match found {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(error_page(
            StatusCode::NOT_FOUND,
            "No such import",
            "This store has no import by that number.",
        )),
        Err(e) => Err(page_error(e)),
    }
}

/// `GET /imports/history/{id}`: one import's report.
pub async fn report(State(app): State<App>, user: CurrentUser, Path(id): Path<i64>) -> Response {
    let (e, tz) = match entry(&app, &user, id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    render(ReportPage {
        nav: Nav::new("settings", &user.0),
        entry: HistoryRow::of(&e, tz),
        report: e.report_json.as_deref().and_then(ReportView::from_json),
    })
}

/// `GET /imports/history/{id}/issues.csv`: an import's refused rows and dropped values as CSV
/// (`row,field,message,severity`): its full report while it is kept, else the ones its report holds.
pub async fn issues_csv(State(app): State<App>, user: CurrentUser, Path(id): Path<i64>) -> Response {
    let (e, _) = match entry(&app, &user, id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let report = e.report_json.as_deref().and_then(ReportView::from_json);
    let name = format!("import-{id}-issues.csv");
    if let Some(full) = report.as_ref().and_then(|r| r.full_report_id.clone()) {
        let reports = dms_import::reports_dir(&app.config.data_dir);
        if let Some(path) = dms_import::report_path(&reports, user.0.account_id, &full) {
            match crate::web::api::imports::csv_download(&path, &name).await {
                Ok(Some(r)) => return r,
                Ok(None) => {}
                Err(e) => return page_error(e),
            }
        }
    }
    let csv = report.map(|r| r.issues_csv()).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        csv,
    )
        .into_response()
}

/// `GET /imports/reports/{id}.csv`: a full report (as `/api/import/reports/{id}.csv`), for the
/// signed-in manager's account only.
pub async fn full_report(State(app): State<App>, user: CurrentUser, Path(file): Path<String>) -> Response {
    let not_found = || error_page(StatusCode::NOT_FOUND, "No such report", "Reports are kept 30 days.");
    let reports = dms_import::reports_dir(&app.config.data_dir);
    let Some(path) = file
        .strip_suffix(".csv")
        .and_then(|id| dms_import::report_path(&reports, user.0.account_id, id))
    else {
        return not_found();
    };
    match crate::web::api::imports::csv_download(&path, &file).await {
        Ok(Some(r)) => r,
        Ok(None) => not_found(),
        Err(e) => page_error(e),
    }
}
