//! Server-rendered pages (askama templates, embedded at compile time).

mod canned;
mod conversation;
mod dashboard;
mod experiments;
mod imports;
mod inbox;
mod login;
mod messages;
mod offer_list;
mod offers;
mod questions;
mod screens;
mod settings;
mod users;
mod view;
mod watchlist;

use crate::App;
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub use conversation::StreamsStop;
pub use view::Nav;

pub fn routes(app: &App) -> Router<App> {
    use axum::handler::Handler;
    use axum::routing::post;
    // a form only a manager may send, on a page everyone may read
    let manager = axum::middleware::from_fn_with_state(app.clone(), crate::web::auth::managers_only);
    // what only a manager may use: settings, offer changes, logins
    let managers = Router::new()
        .route("/offers/new", get(offers::new_form).post(offers::create))
        .route("/offers/{id}", get(offers::edit_form).post(offers::update))
        .route("/offers/{id}/retire", post(offers::retire))
        .route("/settings", get(settings::page))
        .route("/settings/messaging", post(settings::save_messaging))
        .route("/settings/state-rules", post(settings::save_rule))
        .route("/settings/state-rules/{state}/reset", post(settings::reset_rule))
        .route("/settings/canned", get(canned::list).post(canned::create))
        .route("/settings/canned/{id}", post(canned::update))
        .route("/settings/canned/{id}/delete", post(canned::delete))
        .route("/settings/questions", get(questions::list).post(questions::create))
        .route("/settings/questions/try", post(questions::try_reply))
        .route("/settings/questions/{id}", post(questions::update))
        .route("/settings/questions/{id}/delete", post(questions::delete))
        .route("/settings/users", get(users::list).post(users::create))
        .route("/settings/users/{id}", post(users::change))
        .route(
            "/watchlist/weights",
            get(watchlist::weights_form).post(watchlist::weights_save),
        )
        .route("/watchlist/backtest", post(watchlist::backtest_now))
        .route("/experiments/{id}/start", post(experiments::start))
        .route("/experiments/{id}/stop", post(experiments::stop))
        .route("/imports", get(imports::page).post(imports::upload))
        .route("/imports/pending/{id}", post(imports::confirm))
        .route("/imports/history/{id}", get(imports::report))
        .route("/imports/history/{id}/issues.csv", get(imports::issues_csv))
        .route("/imports/reports/{file}", get(imports::full_report))
        .route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::web::auth::managers_only,
        ));
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/", get(dashboard::dashboard))
        .route("/system/jobs/{job}", get(dashboard::system::job_runs))
        .route("/leads", get(screens::leads))
        .route("/messages", get(messages::list))
        .route("/messages.csv", get(messages::csv))
        .route("/threads", get(inbox::list).post(inbox::act))
        .route("/threads/events", get(inbox::live::events))
        .route("/offers", get(offer_list::list))
        .route("/offers.csv", get(offer_list::csv))
        .route("/watchlist", get(watchlist::page))
        .route("/watchlist.csv", get(watchlist::csv))
        .route(
            "/experiments",
            get(experiments::list).post(experiments::create.layer(manager.clone())),
        )
        .route(
            "/experiments/{id}",
            get(experiments::show).post(experiments::update.layer(manager.clone())),
        )
        .merge(managers)
        .route("/static/app.css", get(stylesheet))
        .merge(conversation::routes())
        .route("/static/inbox.js", get(inbox_script))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/app.css"),
    )
        .into_response()
}

async fn inbox_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/inbox.js"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

/// A plain HTML error page (pages never answer with JSON).
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    match (ErrorPage { title, message }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, title.to_string()).into_response(),
    }
}

/// Render a template, or a 500 page if it cannot be.
pub fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The page could not be shown; see the server log.",
            )
        }
    }
}

/// A library error on a page: logged, shown as an HTML error page.
pub fn page_error(e: crate::error::Error) -> Response {
    tracing::error!(error = %e, "page failed");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The page could not be shown; see the server log.",
    )
}
