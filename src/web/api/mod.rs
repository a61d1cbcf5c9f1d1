//! JSON APIs. `/api/internal/*` needs the admin key; account routes need the account's API key.

mod consent;
mod experiments;
pub(crate) mod imports;
mod internal;
mod leads;
mod messages;
pub mod offers;
mod questions;
pub mod watchlist;

use super::auth::AccountAuth;
use crate::App;
use axum::routing::{get, post, put};
use axum::{Json, Router};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/internal/tick", post(internal::tick))
        .route("/internal/job-runs", get(internal::job_runs))
        .route("/internal/offers/send", post(offers::send_due))
        .route("/internal/surveys/ask", post(questions::ask_due))
        .route("/internal/scores/recompute", post(watchlist::recompute))
        .route("/watchlist", get(watchlist::list))
        .route("/watchlist.csv", get(watchlist::csv))
        .route("/watchlist/backtest", get(watchlist::backtest))
        .route(
            "/watchlist/weights",
            get(watchlist::get_weights).put(watchlist::put_weights),
        )
        .route("/internal/experiment/assign", post(experiments::assign))
        .route("/experiments", get(experiments::list).post(experiments::create))
        .route("/experiments/{id}", get(experiments::get).put(experiments::update))
        .route("/experiments/{id}/start", post(experiments::start))
        .route("/experiments/{id}/stop", post(experiments::stop))
        .route("/experiments/{id}/results", get(experiments::results))
        .route("/questions", get(questions::list).post(questions::create))
        .route("/surveys/parse", post(questions::parse))
        .route("/leads/{id}/facts", get(questions::facts))
        .route("/leads/{id}/facts/{key}", put(questions::set_fact))
        .route(
            "/questions/{id}",
            get(questions::get).put(questions::update).delete(questions::delete),
        )
        .route("/offers", get(offers::list).post(offers::create))
        .route(
            "/offers/{id}",
            get(offers::get).put(offers::update).delete(offers::retire),
        )
        .route("/offer-sends", get(offers::for_visit))
        .route("/offer-sends/{id}/outcome", post(offers::outcome))
        .route("/account", get(account))
        .route("/account/messaging", axum::routing::put(messages::set_prefs))
        .route(
            "/account/state-rules/{state}",
            axum::routing::put(messages::set_state_rule),
        )
        .route("/leads/webhook", post(leads::webhook))
        .route("/appointments/import", post(imports::import))
        .route("/import/mapping", get(imports::get_mapping).put(imports::put_mapping))
        .route("/import/reports/{file}", get(imports::full_report))
        .route("/ro/update", post(imports::ro_update))
        .route("/leads/{id}/messages", get(messages::conversation))
        .route("/messages", post(messages::send))
        .route("/opt-out-reviews", get(consent::open))
        .route("/leads/{id}/opt-out-review", post(consent::decide))
        .route("/drafts", get(messages::drafts))
        .route("/drafts/{id}/approve", post(messages::approve))
        .route("/drafts/{id}/discard", post(messages::discard))
}

/// Who am I: lets an integrator check their API key.
async fn account(AccountAuth(account): AccountAuth) -> Json<crate::store::accounts::Account> {
    Json(account)
}
