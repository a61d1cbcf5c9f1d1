//! Settings → Users (`/settings/users`, managers only): the store's logins; add one with a
//! role, change a role, disable or enable, reset a password. A new or reset password is made
//! here and shown once. The account always keeps one enabled manager.

use super::view::{local_time, Nav};
use super::{error_page, page_error, render};
use crate::clock::to_unix;
use crate::domain::users::{check_new_user, Role};
use crate::error::Error;
use crate::store;
use crate::web::auth::CurrentUser;
use crate::{secrets, App};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;

pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub last_login: String,
    pub disabled: bool,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    nav: Nav,
    users: Vec<UserRow>,
    roles: Vec<(Role, &'static str)>,
    /// what was just done, e.g. a password to hand over (shown once)
    notice: Option<String>,
    errors: Vec<(&'static str, String)>,
    form_email: String,
    form_name: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NewUserForm {
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ChangeForm {
    csrf: String,
    /// `role`, `disable`, `enable` or `reset_password`
    action: String,
    #[serde(default)]
    role: String,
}

async fn show(
    app: &App,
    user: &CurrentUser,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<(&'static str, String)>,
    form: &NewUserForm,
) -> Response {
    let account_id = user.0.account_id;
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            Ok((tz, store::users::list(c, account_id)?))
        })
        .await;
    let (tz, users) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let me = user.0.user_id;
    let page = UsersPage {
        nav: Nav::new("settings", &user.0),
        users: users
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                name: u.display_name.unwrap_or_default(),
                email: u.email,
                role: u.role,
                last_login: u
                    .last_login_at
                    .map(|t| local_time(t, tz))
                    .unwrap_or_else(|| "never".into()),
                disabled: u.disabled_at.is_some(),
                is_me: u.id == me,
            })
            .collect(),
        roles: Role::ALL.iter().map(|r| (*r, r.label())).collect(),
        notice,
        errors,
        form_email: form.email.clone(),
        form_name: form.name.clone(),
    };
    (status, render(page)).into_response()
}

/// `GET /settings/users`
pub async fn list(State(app): State<App>, user: CurrentUser) -> Response {
    show(&app, &user, StatusCode::OK, None, Vec::new(), &NewUserForm::default()).await
}

fn bad_csrf() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "The form expired",
        "Reload the page and try again.",
    )
}

/// `POST /settings/users`: a new login with a password made here and shown once.
pub async fn create(State(app): State<App>, user: CurrentUser, Form(f): Form<NewUserForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return bad_csrf();
    }
    let (email, name, role) = match check_new_user(&f.email, &f.name, &f.role) {
        Ok(u) => (u.email, u.name, u.role),
        Err(errors) => return show(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, None, errors, &f).await,
    };
    let password = secrets::random_token(12);
    let hash = match secrets::hash_password(&password) {
        Ok(h) => h,
        Err(e) => return page_error(Error::internal(e)),
    };
    let account_id = user.0.account_id;
    let now = to_unix(app.now());
    let (e2, n2) = (email.clone(), name.clone());
    match app
        .db
        .write(move |tx| store::users::insert(tx, account_id, &e2, n2.as_deref(), role, &hash, now))
        .await
    {
        Ok(_) => {
            let notice = format!(
                "{email} can sign in now as a {} with the password {password} (shown once: hand it over and ask them to keep it safe).",
                role.label().to_lowercase()
            );
            show(
                &app,
                &user,
                StatusCode::OK,
                Some(notice),
                Vec::new(),
                &NewUserForm::default(),
            )
            .await
        }
        Err(Error::Conflict(m)) => show(&app, &user, StatusCode::CONFLICT, None, vec![("email", m)], &f).await,
        Err(e) => page_error(e),
    }
}

/// What a change to a login comes to.
enum Outcome {
    Done(String),
    Refused(String),
    NotFound,
}

/// `POST /settings/users/{id}`: change a role, disable, enable or reset a password.
pub async fn change(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ChangeForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return bad_csrf();
    }
    let account_id = user.0.account_id;
    let now = to_unix(app.now());
    let action = f.action.clone();
    let role = Role::parse(f.role.trim());
    let password = secrets::random_token(12);
    let hash = if action == "reset_password" {
        match secrets::hash_password(&password) {
            Ok(h) => Some(h),
            Err(e) => return page_error(Error::internal(e)),
        }
    } else {
        None
    };
    let done = app
        .db
        .write(move |tx| {
            let Some(target) = store::users::list(tx, account_id)?.into_iter().find(|u| u.id == id) else {
                return Ok(Outcome::NotFound);
            };
            // the account keeps one enabled login that can manage it
            let last_manager = target.role.can_manage()
                && target.disabled_at.is_none()
                && store::users::other_managers(tx, account_id, id)? == 0;
            let keep = "the store would have no manager left: make another login a manager first";
            Ok(match action.as_str() {
                "role" => match role {
                    None => Outcome::Refused(format!("role: must be one of {}", Role::words())),
                    Some(r) if last_manager && !r.can_manage() => Outcome::Refused(keep.into()),
                    Some(r) => {
                        store::users::set_role(tx, account_id, id, r)?;
                        Outcome::Done(format!("{} is now a {}.", target.email, r.label().to_lowercase()))
                    }
                },
                "disable" if last_manager => Outcome::Refused(keep.into()),
                "disable" => {
                    store::users::set_disabled(tx, account_id, id, Some(now))?;
                    store::sessions::delete_for_user(tx, id)?;
                    Outcome::Done(format!("{} can no longer sign in.", target.email))
                }
                "enable" => {
                    store::users::set_disabled(tx, account_id, id, None)?;
                    Outcome::Done(format!("{} can sign in again.", target.email))
                }
                "reset_password" => {
                    store::users::set_password_of(tx, account_id, id, hash.as_deref().unwrap_or_default())?;
                    store::sessions::delete_for_user(tx, id)?;
                    Outcome::Done(format!(
                        "{}'s new password is {password} (shown once); their sessions have ended.",
                        target.email
                    ))
                }
                other => Outcome::Refused(format!(
                    "action: {other:?} is not one of role, disable, enable, reset_password"
                )),
            })
        })
        .await;
    match done {
        Ok(Outcome::Done(notice)) => {
            show(
                &app,
                &user,
                StatusCode::OK,
                Some(notice),
                Vec::new(),
                &NewUserForm::default(),
            )
            .await
        }
        Ok(Outcome::Refused(why)) => {
            show(
                &app,
                &user,
                StatusCode::CONFLICT,
                None,
                vec![("login", why)],
                &NewUserForm::default(),
            )
            .await
        }
        Ok(Outcome::NotFound) => error_page(StatusCode::NOT_FOUND, "No such login", "This store has no such login."),
        Err(e) => page_error(e),
    }
}
