//! Sign in and out. The login form is protected by a double-submit CSRF cookie; every form
//! after sign-in carries the session's CSRF token.

use super::{error_page, render};
use crate::web::auth::{self, CurrentUser, SignIn, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::web::next_path::canonical_next;
use crate::{secrets, store, App};
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct NextParam {
    next: Option<String>,
}

fn login_page(app: &App, status: StatusCode, next: String, email: String, error: Option<String>) -> Response {
    let csrf = secrets::random_token(24);
    let cookie = auth::set_cookie(app, LOGIN_CSRF_COOKIE, &csrf, "/login", 3600);
    let mut resp = render(LoginPage {
        csrf,
        next,
        email,
        error,
    });
    *resp.status_mut() = status;
    if let Ok(v) = cookie.parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

pub async fn form(State(app): State<App>, Query(q): Query<NextParam>) -> Response {
    login_page(
        &app,
        StatusCode::OK,
        canonical_next(q.next.as_deref()),
        String::new(),
        None,
    )
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

pub async fn submit(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = canonical_next(f.next.as_deref());
    let cookie_token = auth::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie_token.is_empty() || !secrets::secrets_equal(&f.csrf, &cookie_token) {
        return login_page(
            &app,
            StatusCode::FORBIDDEN,
            next,
            f.email,
            Some("This form expired. Please sign in again.".into()),
        );
    }
    match auth::sign_in(&app, f.email.trim().to_string(), f.password, peer.ip()).await {
        Ok(SignIn::SignedIn(token)) => {
            let max_age = app.config.session_hours as i64 * 3600;
            let session = auth::set_cookie(&app, SESSION_COOKIE, &token, "/", max_age);
            let clear_csrf = auth::set_cookie(&app, LOGIN_CSRF_COOKIE, "", "/login", 0);
            let mut resp = Redirect::to(&next).into_response();
            for c in [session, clear_csrf] {
                if let Ok(v) = c.parse() {
                    resp.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            resp
        }
        Ok(SignIn::Throttled(refusal)) => {
            tracing::warn!(email = %f.email.trim(), client = %peer.ip(), "sign-in refused: too many failures");
            let mut resp = login_page(
                &app,
                StatusCode::TOO_MANY_REQUESTS,
                next,
                f.email,
                Some(refusal.message()),
            );
            resp.headers_mut()
                .insert(header::RETRY_AFTER, refusal.retry_after_secs().into());
            resp
        }
        Ok(SignIn::Refused) => {
            tracing::info!(email = %f.email.trim(), client = %peer.ip(), "failed sign-in");
            login_page(
                &app,
                StatusCode::UNAUTHORIZED,
                next,
                f.email,
                Some("Email or password is not right.".into()),
            )
        }
        Err(e) => super::page_error(e),
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(State(app): State<App>, user: CurrentUser, Form(f): Form<CsrfForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Request refused",
            "The form was stale or forged. Reload the page and try again.",
        );
    }
    let id = user.0.id;
    if let Err(e) = app.db.write(move |c| store::sessions::delete(c, id)).await {
        return super::page_error(e);
    }
    let mut resp = Redirect::to("/login").into_response();
    if let Ok(v) = auth::set_cookie(&app, SESSION_COOKIE, "", "/", 0).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}
