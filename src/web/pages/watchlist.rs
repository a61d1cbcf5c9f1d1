//! The Watchlist page (`/watchlist`): customers by next-to-buy score with a tab per window
//! (and its count), the top three reasons, the trend, filters, a CSV export and keyset pages;
//! each customer links to their conversation. The weights form (`/watchlist/weights`, managers
//! only) shows each factor's source and every error beside its field.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

use super::view::{thousands, Nav};
use super::{error_page, page_error, render};
use crate::domain::watchlist::{weights_from_fields, Weights, Window, FACTORS};
use crate::watchlist::list::{Entry, Query, Trend};
use crate::web::api::watchlist::{csv_body, csv_response, read_query};
use crate::web::auth::CurrentUser;
use crate::App;

/// Rows per page.
const PER_PAGE: i64 = 50;

/// One tab: a window (or all) with its count.
pub struct Tab {
    pub label: String,
    pub href: String,
    pub count: String,
    pub current: bool,
}

/// One customer as the page shows them.
pub struct Row {
    pub lead_id: i64,
    pub name: String,
    pub score: u32,
    pub arrow: &'static str,
    pub trend_title: String,
    pub window: String,
    pub reasons: Vec<String>,
    pub vehicle: String,
    pub phone: String,
    pub ownership_end: String,
    pub opted_out: bool,
}

impl Row {
    fn of(e: Entry) -> Row {
        let (arrow, trend_title) = trend(&e);
        Row {
            lead_id: e.lead_id,
            name: if e.name.is_empty() {
                format!("Customer {}", e.lead_id)
            } else {
                e.name.clone()
            },
            score: e.score,
            arrow,
            trend_title,
            reasons: e.reason_lines(3),
            vehicle: e.vehicle.clone().unwrap_or_default(),
            phone: e.phone.clone().unwrap_or_default(),
            ownership_end: e.ownership_end.map(|d| d.to_string()).unwrap_or_default(),
            opted_out: e.opted_out,
            window: e.window,
        }
    }
}

/// Which way the score moved at its last change: an arrow and its words.
pub fn trend(e: &Entry) -> (&'static str, String) {
    match (e.trend, e.previous_score) {
        (Trend::Up, Some(p)) => ("↑", format!("up from {p}")),
        (Trend::Down, Some(p)) => ("↓", format!("down from {p}")),
        (Trend::Same, _) => ("→", "unchanged".to_string()),
        _ => ("•", "new on the list".to_string()),
    }
}

#[derive(Template)]
#[template(path = "watchlist.html")]
struct WatchlistPage {
    nav: Nav,
    tabs: Vec<Tab>,
    window: String,
    min_score: String,
    rows: Vec<Row>,
    next: Option<String>,
    first_page: bool,
    csv_href: String,
    error: Option<String>,
    /// the latest backtest in one sentence, and when it ran ("No backtest yet" without one)
    backtest: Option<(String, String)>,
}

/// The query string for a window and a minimum score.
fn filters(window: Option<Window>, min_score: u32) -> String {
    let mut parts = Vec::new();
    if let Some(w) = window {
        parts.push(format!("window={w}"));
    }
    if min_score > 0 {
        parts.push(format!("min_score={min_score}"));
    }
    parts.join("&")
}

/// The dashboard's and the page's tabs: all, then each window, with their counts.
pub fn tabs(counts: &[(Window, i64)], current: Option<Window>, min_score: u32) -> Vec<Tab> {
    let all: i64 = counts.iter().map(|(_, n)| n).sum();
    let link = |w: Option<Window>| {
        let q = filters(w, min_score);
        if q.is_empty() {
            "/watchlist".to_string()
        } else {
            format!("/watchlist?{q}")
        }
    };
    std::iter::once(Tab {
        label: "All".into(),
        href: link(None),
        count: thousands(all),
        current: current.is_none(),
    })
    .chain(counts.iter().map(|&(w, n)| Tab {
        label: w.as_str().into(),
        href: link(Some(w)),
        count: thousands(n),
        current: current == Some(w),
    }))
    .collect()
}

fn query_of(raw: Option<String>) -> Result<Query, String> {
    let q: HashMap<String, String> = serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    read_query(&q).map_err(|e| e.message)
}

pub async fn page(State(app): State<App>, user: CurrentUser, RawQuery(raw): RawQuery) -> Response {
    let account_id = user.0.account_id;
    let (mut q, error) = match query_of(raw) {
        Ok(q) => (q, None),
        Err(e) => (
            Query {
                window: None,
                min_score: 0,
                limit: PER_PAGE,
                cursor: None,
            },
            Some(e),
        ),
    };
    q.limit = PER_PAGE;
    let listed = crate::watchlist::list::page(&app.db, account_id, q).await;
    let counts = crate::watchlist::list::counts(&app.db, account_id).await;
    let latest = crate::watchlist::backtest::latest(&app.db, account_id).await;
    let (page, counts, latest) = match (listed, counts, latest) {
        (Ok(p), Ok(c), Ok(b)) => (p, c, b),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page_error(e),
    };
    let f = filters(q.window, q.min_score);
    let with = |extra: &str| {
        let joined = [f.as_str(), extra]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&");
        if joined.is_empty() {
            String::new()
        } else {
            format!("?{joined}")
        }
    };
    let next = page
        .next_cursor
        .as_ref()
        .map(|c| format!("/watchlist{}", with(&format!("cursor={c}"))));
    render(WatchlistPage {
        nav: Nav::new("watchlist", &user.0),
        tabs: tabs(&counts, q.window, q.min_score),
        window: q.window.map(|w| w.as_str().to_string()).unwrap_or_default(),
        min_score: if q.min_score > 0 {
            q.min_score.to_string()
        } else {
            String::new()
        },
        rows: page.entries.into_iter().map(Row::of).collect(),
        next,
        first_page: q.cursor.is_none(),
        csv_href: format!("/watchlist.csv{}", with("")),
        error,
        backtest: latest.map(|b| {
            let ran = crate::domain::watchlist::backtest::long_date(b.data_until);
            (b.summary, ran)
        }),
    })
}

/// `POST /watchlist/backtest` (managers only): run the backtest now, as the nightly job does
/// (a year back, 6 months with a shorter history), keep it, and show the page again.
pub async fn backtest_now(
    State(app): State<App>,
    user: CurrentUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !user.csrf_ok(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return error_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.");
    }
    match crate::watchlist::backtest::run_latest(&app.db, user.0.account_id, app.now()).await {
        Ok(Some(_)) => Redirect::to("/watchlist#watchlist-backtest").into_response(),
        Ok(None) => error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "No sales to check against",
            "Import the store's sales (deal) export first: the backtest counts who bought after a past day.",
        ),
        Err(e) => page_error(e),
    }
}

/// `GET /watchlist.csv`: the page's filters as a CSV (the API's columns).
pub async fn csv(State(app): State<App>, user: CurrentUser, RawQuery(raw): RawQuery) -> Response {
    let q = match query_of(raw) {
        Ok(q) => q,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, "Not a filter", &e),
    };
    match csv_body(&app, user.0.account_id, q).await {
        Ok(body) => csv_response(body),
        Err(e) => page_error(e),
    }
}

/// One factor's line of the weights form.
pub struct WeightField {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub default_points: u32,
    pub source: &'static str,
    pub error: String,
}

#[derive(Template)]
#[template(path = "watchlist_weights.html")]
struct WeightsPage {
    nav: Nav,
    fields: Vec<WeightField>,
    total_error: String,
    saved: bool,
    refused: bool,
}

fn weights_page(
    user: &CurrentUser,
    values: &HashMap<String, String>,
    errors: &[(String, String)],
    saved: bool,
) -> WeightsPage {
    let error_of = |k: &str| {
        errors
            .iter()
            .filter(|(f, _)| f == k)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    WeightsPage {
        nav: Nav::new("watchlist", &user.0),
        fields: FACTORS
            .iter()
            .map(|f| WeightField {
                key: f.factor.as_str(),
                label: f.label,
                value: values.get(f.factor.as_str()).cloned().unwrap_or_default(),
                default_points: f.default_points,
                source: f.source,
                error: error_of(f.factor.as_str()),
            })
            .collect(),
        total_error: error_of("total"),
        saved,
        refused: !errors.is_empty(),
    }
}

fn values_of(w: &Weights) -> HashMap<String, String> {
    FACTORS
        .iter()
        .map(|f| (f.factor.as_str().to_string(), w.get(f.factor).to_string()))
        .collect()
}

/// Managers only (the router refuses a rep too): the session's role.
async fn is_manager(_app: &App, user: &CurrentUser) -> crate::error::Result<bool> {
    Ok(user.0.role.can_manage())
}

fn managers_only() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "Managers only",
        "Ask a manager to tune the watchlist's weights.",
    )
}

pub async fn weights_form(State(app): State<App>, user: CurrentUser, RawQuery(raw): RawQuery) -> Response {
    match is_manager(&app, &user).await {
        Ok(true) => {}
        Ok(false) => return managers_only(),
        Err(e) => return page_error(e),
    }
    let w = match crate::watchlist::weights(&app.db, user.0.account_id).await {
        Ok(w) => w,
        Err(e) => return page_error(e),
    };
    let saved = raw.as_deref() == Some("saved=1");
    render(weights_page(&user, &values_of(&w), &[], saved))
}

pub async fn weights_save(
    State(app): State<App>,
    user: CurrentUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if !user.csrf_ok(form.get("csrf").map(String::as_str).unwrap_or("")) {
        return error_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.");
    }
    match is_manager(&app, &user).await {
        Ok(true) => {}
        Ok(false) => return managers_only(),
        Err(e) => return page_error(e),
    }
    let fields: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let account_id = user.0.account_id;
    let result = match weights_from_fields(Weights::default(), &fields) {
        Ok(w) => crate::watchlist::set_weights(&app.db, account_id, w, app.now())
            .await
            .map(|r| r.map_err(|errs| errs.into_iter().map(|(f, m)| (f.to_string(), m)).collect::<Vec<_>>())),
        Err(errors) => Ok(Err(errors)),
    };
    match result {
        Ok(Ok(())) => Redirect::to("/watchlist/weights?saved=1").into_response(),
        Ok(Err(errors)) => {
            let values: HashMap<String, String> = fields.into_iter().collect();
            let mut resp = render(weights_page(&user, &values, &errors, false));
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            resp
        }
        Err(e) => page_error(e),
    }
}
