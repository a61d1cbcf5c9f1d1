//! Who is calling: the admin key (`/api/internal/*`), an account API key (ingestion APIs), or a
//! dashboard session (pages). Secrets are compared in constant time or looked up by hash.

use super::error::AppError;
use super::login_throttle::Refusal;
use super::next_path::canonical_next;
use crate::clock::to_unix;
use crate::error::Result;
use crate::store::accounts::Account;
use crate::store::sessions::Session;
use crate::{secrets, store, App};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::IpAddr;

pub const SESSION_COOKIE: &str = "fc_session";
pub const LOGIN_CSRF_COOKIE: &str = "fc_login_csrf";

fn bearer_or(headers: &HeaderMap, alt_header: &str) -> Option<String> {
    if let Some(v) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let v = v.trim();
        if v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer ") {
            return Some(v[7..].trim().to_string());
        }
    }
    headers
        .get(alt_header)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
}

/// Proof that the request carried the admin key.
pub struct AdminAuth;

impl FromRequestParts<App> for AdminAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match bearer_or(&parts.headers, "x-admin-key") {
            None => Err(AppError::unauthorized(
                "this route needs the admin key: send `Authorization: Bearer <key>` or `X-Admin-Key: <key>`",
            )),
            Some(k) if app.is_admin_key(&k) => Ok(AdminAuth),
            Some(_) => Err(AppError::unauthorized("the admin key is not valid")),
        }
    }
}

/// The account whose API key the request carried.
pub struct AccountAuth(pub Account);

impl FromRequestParts<App> for AccountAuth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(key) = bearer_or(&parts.headers, "x-api-key") else {
            return Err(AppError::unauthorized(
                "this route needs the account API key: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`",
            ));
        };
        // keys are high-entropy and stored only as SHA-256: looking up the hash reveals nothing
        let hash = secrets::sha256_hex(&key);
        match app
            .db
            .call(move |c| store::accounts::find_by_api_key_hash(c, &hash))
            .await?
        {
            Some(account) => Ok(AccountAuth(account)),
            None => Err(AppError::unauthorized("the API key is not valid")),
        }
    }
}

/// A value of the request's Cookie header.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

/// A Set-Cookie value with the attributes every forecourt cookie carries.
pub fn set_cookie(app: &App, name: &str, value: &str, path: &str, max_age_secs: i64) -> String {
    let secure = if app.config.public_url_is_https() {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// The signed-in dashboard user. Pages that take it redirect to the login page without one.
pub struct CurrentUser(pub Session);

impl CurrentUser {
    /// Check a form's CSRF token against the session's.
    pub fn csrf_ok(&self, presented: &str) -> bool {
        secrets::secrets_equal(presented, &self.0.csrf_token)
    }
}

impl FromRequestParts<App> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let to_login = || {
            let next = canonical_next(parts.uri.path_and_query().map(|p| p.as_str()));
            let next: String = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            Redirect::to(&format!("/login?{next}")).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let hash = secrets::sha256_hex(&token);
        let now = to_unix(app.now());
        match app.db.call(move |c| store::sessions::find_live(c, &hash, now)).await {
            Ok(Some(s)) => Ok(CurrentUser(s)),
            Ok(None) => Err(to_login()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

/// Routes only a manager (or admin) may use: settings, offer and experiment changes, users,
/// imports. A signed-in rep gets a 403 page saying so; a visitor without a session goes on to
/// the handler, whose [`CurrentUser`] sends them to the login page.
pub async fn managers_only(
    axum::extract::State(app): axum::extract::State<App>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(token) = cookie(req.headers(), SESSION_COOKIE) else {
        return next.run(req).await;
    };
    let hash = secrets::sha256_hex(&token);
    let now = to_unix(app.now());
    match app.db.call(move |c| store::sessions::find_live(c, &hash, now)).await {
        Ok(Some(s)) if !s.role.can_manage() => super::pages::error_page(
            axum::http::StatusCode::FORBIDDEN,
            "A manager's page",
            "Only a manager can change the store's settings, offers, experiments, imports and logins. Ask your manager.",
        ),
        Ok(_) => next.run(req).await,
        Err(e) => AppError::from(e).into_response(),
    }
}

/// What came of a sign-in.
pub enum SignIn {
    /// The session cookie's token.
    SignedIn(String),
    /// The email or password is wrong (the two are not told apart).
    Refused,
    /// Too many failed sign-ins for this email or from this address; no password was checked.
    Throttled(Refusal),
}

/// Sign in: unless the throttle refuses first, check the password and open a session.
pub async fn sign_in(app: &App, email: String, password: String, client: IpAddr) -> Result<SignIn> {
    // before the password: argon2 is slow on purpose, and a refused guess must cost nothing
    let attempt = match app.login_throttle.attempt(&email, client, app.now()) {
        Ok(attempt) => attempt,
        Err(refusal) => return Ok(SignIn::Throttled(refusal)),
    };
    let user = app.db.write(move |c| store::users::find_by_email(c, &email)).await?;
    // verify even for unknown users so timing does not reveal which emails exist
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => DUMMY
            .get_or_init(|| secrets::hash_password("not a real password").unwrap_or_default())
            .clone(),
    };
    let ok = tokio::task::spawn_blocking(move || secrets::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    // a disabled login is refused like a wrong password (nothing tells them apart)
    let Some(user) = user.filter(|u| ok && !u.disabled) else {
        return Ok(SignIn::Refused);
    };
    attempt.succeeded();
    let token = secrets::random_token(32);
    let token_hash = secrets::sha256_hex(&token);
    let csrf = secrets::random_token(24);
    let now = to_unix(app.now());
    let expires = now + app.config.session_hours as i64 * 3600;
    app.db
        .write(move |c| {
            store::sessions::insert(c, &token_hash, user.id, user.account_id, &csrf, now, expires)?;
            store::users::touch_login(c, user.id, now)
        })
        .await?;
    Ok(SignIn::SignedIn(token))
}
