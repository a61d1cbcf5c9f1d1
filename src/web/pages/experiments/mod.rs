//! The Experiments pages: the list with a form to set one up, and a page per experiment with its
//! results (both arms per measure, the lift with its interval drawn as a bar, the p-value in
//! words, the split check, what is detectable now), its form while a draft, and start/stop.
//! Forms are checked by the same rules as `/api/experiments`; every form carries the CSRF token.

mod view;

use super::view::Nav;
use super::{error_page, page_error, render};
use crate::domain::experiments::{check_experiment, ExperimentStatus};
use crate::domain::offers::FieldError;
use crate::error::Error;
use crate::experiments::{manage, results};
use crate::store;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
pub use view::{headlines, Headline};
use view::{Choice, ExperimentForm, MeasureView, Row};

#[derive(Template)]
#[template(path = "experiments.html")]
struct ListPage {
    nav: Nav,
    rows: Vec<Row>,
    form: ExperimentForm,
    campaigns: Vec<Choice>,
    metrics: Vec<Choice>,
    errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "experiment.html")]
struct DetailPage {
    nav: Nav,
    e: Row,
    draft: bool,
    running: bool,
    form: ExperimentForm,
    campaigns: Vec<Choice>,
    metrics: Vec<Choice>,
    errors: Vec<FieldError>,
    /// the error of a start or stop (409), in words
    notice: Option<String>,
    measures: Vec<MeasureView>,
    srm_warning: bool,
    srm_text: String,
    range: String,
    window_days: i64,
}

impl ListPage {
    fn error_for(&self, field: &str) -> String {
        view::error_for(&self.errors, field)
    }
}

impl DetailPage {
    fn error_for(&self, field: &str) -> String {
        view::error_for(&self.errors, field)
    }
}

async fn tz_of(app: &App, account_id: i64) -> crate::error::Result<chrono_tz::Tz> {
    Ok(app
        .db
        .call(move |c| store::accounts::get(c, account_id))
        .await?
        .timezone)
}

/// `GET /experiments`
pub async fn list(State(app): State<App>, user: CurrentUser) -> Response {
    let form = ExperimentForm::new_default();
    list_page(app, user, form, Vec::new(), StatusCode::OK).await
}

async fn list_page(
    app: App,
    user: CurrentUser,
    form: ExperimentForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let account_id = user.0.account_id;
    let tz = match tz_of(&app, account_id).await {
        Ok(tz) => tz,
        Err(e) => return page_error(e),
    };
    match app.db.call(move |c| store::experiments::list(c, account_id)).await {
        Ok(rows) => {
            let page = ListPage {
                nav: Nav::new("experiments", &user.0),
                rows: rows.iter().map(|e| Row::of(e, tz)).collect(),
                campaigns: view::campaigns(&form.campaign),
                metrics: view::metrics(&form.primary_metric),
                form,
                errors,
            };
            (status, render(page)).into_response()
        }
        Err(e) => page_error(e),
    }
}

fn form_expired() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form is out of date. Go back, reload the page and try again.",
    )
}

/// `POST /experiments`: save a draft, or show the list again with the form's errors.
pub async fn create(State(app): State<App>, user: CurrentUser, Form(form): Form<ExperimentForm>) -> Response {
    if !user.csrf_ok(&form.csrf) {
        return form_expired();
    }
    let account_id = user.0.account_id;
    let tz = match tz_of(&app, account_id).await {
        Ok(tz) => tz,
        Err(e) => return page_error(e),
    };
    let (input, mut errors) = form.to_input();
    match check_experiment(&input, tz) {
        Err(e) => errors.extend(e),
        Ok(valid) if errors.is_empty() => {
            let now = app.now();
            match app
                .db
                .write(move |tx| manage::create(tx, account_id, &valid, now))
                .await
            {
                Ok(e) => return Redirect::to(&format!("/experiments/{}", e.id)).into_response(),
                Err(Error::Conflict(m)) => errors.push(FieldError::new("name", m)),
                Err(e) => return page_error(e),
            }
        }
        Ok(_) => {}
    }
    list_page(app, user, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `GET /experiments/{id}`
pub async fn show(State(app): State<App>, user: CurrentUser, Path(id): Path<i64>) -> Response {
    detail(app, user, id, None, Vec::new(), None, StatusCode::OK).await
}

async fn detail(
    app: App,
    user: CurrentUser,
    id: i64,
    form: Option<ExperimentForm>,
    errors: Vec<FieldError>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let account_id = user.0.account_id;
    let now = app.now();
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            Ok(results::of(c, account_id, id, now)?.map(|r| (r, tz)))
        })
        .await;
    let (r, tz) = match loaded {
        Ok(Some(r)) => r,
        Ok(None) => return not_found(),
        Err(e) => return page_error(e),
    };
    let e = &r.experiment;
    let form = form.unwrap_or_else(|| ExperimentForm::of(e, tz));
    let page = DetailPage {
        nav: Nav::new("experiments", &user.0),
        draft: e.status == ExperimentStatus::Draft,
        running: e.status == ExperimentStatus::Running,
        campaigns: view::campaigns(&form.campaign),
        metrics: view::metrics(&form.primary_metric),
        form,
        errors,
        notice,
        measures: view::measures(&r.results),
        srm_warning: r.results.srm.warning,
        srm_text: view::srm_text(&r.results.srm),
        range: view::range(r.from, r.to, tz),
        window_days: r.window_days,
        e: Row::of(e, tz),
    };
    (status, render(page)).into_response()
}

fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Experiment not found",
        "There is no such experiment.",
    )
}

/// `POST /experiments/{id}`: change a draft.
pub async fn update(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<ExperimentForm>,
) -> Response {
    if !user.csrf_ok(&form.csrf) {
        return form_expired();
    }
    let account_id = user.0.account_id;
    let tz = match tz_of(&app, account_id).await {
        Ok(tz) => tz,
        Err(e) => return page_error(e),
    };
    let (input, mut errors) = form.to_input();
    let mut notice = None;
    match check_experiment(&input, tz) {
        Err(e) => errors.extend(e),
        Ok(valid) if errors.is_empty() => {
            let now = app.now();
            match app
                .db
                .write(move |tx| manage::update(tx, account_id, id, &valid, now))
                .await
            {
                Ok(_) => return Redirect::to(&format!("/experiments/{id}")).into_response(),
                Err(Error::Conflict(m)) if m.contains("named") => errors.push(FieldError::new("name", m)),
                Err(Error::Conflict(m)) => notice = Some(m),
                Err(Error::NotFound(_)) => return not_found(),
                Err(e) => return page_error(e),
            }
        }
        Ok(_) => {}
    }
    let status = if notice.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    detail(app, user, id, Some(form), errors, notice, status).await
}

#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn change_status(app: App, user: CurrentUser, id: i64, csrf: &str, start: bool) -> Response {
    if !user.csrf_ok(csrf) {
        return form_expired();
    }
    let account_id = user.0.account_id;
    let now = app.now();
    let done = app
        .db
        .write(move |tx| {
            if start {
                manage::start(tx, account_id, id, now)
            } else {
                manage::stop(tx, account_id, id, now)
            }
        })
        .await;
    match done {
        Ok(_) => Redirect::to(&format!("/experiments/{id}")).into_response(),
        Err(Error::Conflict(m)) => detail(app, user, id, None, Vec::new(), Some(m), StatusCode::CONFLICT).await,
        Err(Error::NotFound(_)) => not_found(),
        Err(e) => page_error(e),
    }
}

/// `POST /experiments/{id}/start`
pub async fn start(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    change_status(app, user, id, &f.csrf, true).await
}

/// `POST /experiments/{id}/stop`
pub async fn stop(State(app): State<App>, user: CurrentUser, Path(id): Path<i64>, Form(f): Form<CsrfOnly>) -> Response {
    change_status(app, user, id, &f.csrf, false).await
}
