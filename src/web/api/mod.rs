//! JSON APIs. `/api/internal/*` needs the admin key; account routes need the account's API key.

mod internal;

use super::auth::AccountAuth;
use crate::App;
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/internal/tick", post(internal::tick))
        .route("/internal/job-runs", get(internal::job_runs))
        .route("/account", get(account))
}

/// Who am I: lets an integrator check their API key.
async fn account(AccountAuth(account): AccountAuth) -> Json<crate::store::accounts::Account> {
    Json(account)
}
