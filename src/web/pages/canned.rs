//! Settings → Canned replies (`/settings/canned`): add, change and remove the account's
//! ready-made answers. Checked by `domain::canned` (the offers' placeholders); a refused form
//! comes back with each error beside its field and nothing saved.

use super::view::Nav;
use super::{error_page, page_error, render};
use crate::clock::to_unix;
use crate::domain::canned;
use crate::domain::offers::PLACEHOLDERS;
use crate::error::Error;
use crate::store::{self, canned::CannedReply};
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CannedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    shortcut: String,
    #[serde(default)]
    body: String,
}

#[derive(Template)]
#[template(path = "canned.html")]
struct CannedPage {
    nav: Nav,
    replies: Vec<CannedReply>,
    /// the form that was refused: Some(id) an existing reply, None the new one
    refused: Option<Option<i64>>,
    form: CannedForm,
    errors: Vec<(&'static str, String)>,
    placeholders: String,
}

impl CannedPage {
    /// Which form was refused: a reply's id, 0 for the new one.
    fn is_refused(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        let id = *id.borrow();
        self.refused == Some(Some(id).filter(|i| *i != 0))
    }

    /// Errors for `field` of the form of reply `id` (0: the new one).
    fn error_for(&self, id: impl std::borrow::Borrow<i64>, field: &str) -> String {
        if !self.is_refused(id) {
            return String::new();
        }
        self.errors
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// What a form shows: what was typed if it was refused, else what is saved.
    fn value(&self, id: impl std::borrow::Borrow<i64>, field: &str, saved: &str) -> String {
        if self.is_refused(id) {
            match field {
                "shortcut" => self.form.shortcut.clone(),
                _ => self.form.body.clone(),
            }
        } else {
            saved.to_string()
        }
    }
}

async fn show(
    app: &App,
    user: &CurrentUser,
    refused: Option<Option<i64>>,
    form: CannedForm,
    errors: Vec<(&'static str, String)>,
) -> Response {
    let account_id = user.0.account_id;
    let replies = match app.db.call(move |c| store::canned::list(c, account_id)).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut resp = render(CannedPage {
        nav: Nav::new("settings", &user.0),
        replies,
        refused,
        form,
        errors,
        placeholders: PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(" "),
    });
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = status;
    }
    resp
}

/// `GET /settings/canned`
pub async fn list(State(app): State<App>, user: CurrentUser) -> Response {
    show(&app, &user, None, CannedForm::default(), Vec::new()).await
}

async fn save(app: App, user: CurrentUser, id: Option<i64>, f: CannedForm) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return error_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.");
    }
    let checked = match canned::check(&f.shortcut, &f.body) {
        Ok(c) => c,
        Err(errors) => return show(&app, &user, Some(id), f, errors).await,
    };
    let (account_id, t) = (user.0.account_id, to_unix(app.now()));
    match app
        .db
        .write(move |tx| store::canned::save(tx, account_id, id, &checked, t))
        .await
    {
        Ok(_) => Redirect::to("/settings/canned").into_response(),
        Err(Error::Conflict(m)) => show(&app, &user, Some(id), f, vec![("shortcut", m)]).await,
        Err(Error::NotFound(_)) => not_found(),
        Err(e) => page_error(e),
    }
}

fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Canned reply not found",
        "There is no such canned reply.",
    )
}

/// `POST /settings/canned`
pub async fn create(State(app): State<App>, user: CurrentUser, Form(f): Form<CannedForm>) -> Response {
    save(app, user, None, f).await
}

/// `POST /settings/canned/{id}`
pub async fn update(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CannedForm>,
) -> Response {
    save(app, user, Some(id), f).await
}

/// `POST /settings/canned/{id}/delete`
pub async fn delete(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CannedForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return error_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.");
    }
    let account_id = user.0.account_id;
    match app.db.write(move |tx| store::canned::delete(tx, account_id, id)).await {
        Ok(true) => Redirect::to("/settings/canned").into_response(),
        Ok(false) => not_found(),
        Err(e) => page_error(e),
    }
}
