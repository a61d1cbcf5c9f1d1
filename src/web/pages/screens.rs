//! The signed-in screens. Each loads one read model from `store` and renders it.

use super::view::{dollars, hhmm, thousands, Nav};
use super::{page_error, render};
use crate::store;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

#[derive(serde::Deserialize)]
pub struct LeadsQuery {
    #[serde(default)]
    q: String,
    /// the last lead of the page before, `{created_at}.{id}`
    #[serde(default)]
    after: String,
}

pub struct LeadView {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub state: String,
    pub vehicle: String,
    pub status: crate::domain::customer::LeadStatus,
    pub flags: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "leads.html")]
struct LeadsPage {
    nav: Nav,
    q: String,
    first_page: bool,
    next: Option<String>,
    leads: Vec<LeadView>,
}

const PAGE_SIZE: i64 = 50;

/// `GET /leads`: the newest customers, paged by cursor; or those a search finds.
pub async fn leads(State(app): State<App>, user: CurrentUser, Query(q): Query<LeadsQuery>) -> Response {
    let account_id = user.0.account_id;
    let after = crate::domain::inbox::Cursor::parse(&q.after);
    let plan = crate::domain::search::interpret(&q.q);
    let searching = plan.is_some();
    let loaded = app
        .db
        .call(move |c| {
            let rows = match &plan {
                Some(plan) => store::search::leads(c, account_id, plan, PAGE_SIZE as usize)?,
                None => {
                    let before = after.map(|a| (a.last_at, a.lead_id)).unwrap_or((i64::MAX, i64::MAX));
                    store::leads::page(c, account_id, before, PAGE_SIZE + 1)?
                }
            };
            let tz = store::accounts::get(c, account_id)?.timezone;
            Ok((rows, tz))
        })
        .await;
    let (mut rows, tz) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let next = if !searching && rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|l| format!("{}.{}", l.created_at, l.id))
    } else {
        None
    };
    let leads = rows
        .into_iter()
        .map(|l| LeadView {
            id: l.id,
            name: if l.name.is_empty() { "(no name)".into() } else { l.name },
            phone: l
                .phone
                .map(|p| super::inbox::phone_words(p.as_str()))
                .unwrap_or_default(),
            email: l.email.unwrap_or_default(),
            state: l.state.unwrap_or_default(),
            vehicle: l.vehicle.unwrap_or_default(),
            status: l.status,
            flags: match (l.opted_out, l.textable) {
                (true, _) => "opted out".into(),
                (false, false) => "not textable".into(),
                _ => String::new(),
            },
            created: crate::clock::from_unix(l.created_at)
                .with_timezone(&tz)
                .format("%b %-d, %Y")
                .to_string(),
        })
        .collect();
    render(LeadsPage {
        nav: Nav::new("leads", &user.0),
        q: q.q.trim().to_string(),
        first_page: after.is_none(),
        next,
        leads,
    })
}

pub struct OfferView {
    pub id: i64,
    pub name: String,
    pub price: String,
    pub priority: i64,
    pub active: bool,
    pub sends: String,
    pub accepted: String,
    pub rate: String,
    pub revenue: String,
}

#[derive(Template)]
#[template(path = "offers.html")]
struct OffersPage {
    nav: Nav,
    offers: Vec<OfferView>,
}

pub async fn offers(State(app): State<App>, user: CurrentUser) -> Response {
    let account_id = user.0.account_id;
    let rows = match app.db.call(move |c| store::offers::summaries(c, account_id)).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let offers = rows
        .into_iter()
        .map(|o| OfferView {
            id: o.id,
            name: o.name,
            price: o.price_cents.map(dollars).unwrap_or_else(|| "-".into()),
            priority: o.priority,
            active: o.active,
            sends: thousands(o.sends),
            accepted: thousands(o.accepted),
            rate: if o.sends > 0 {
                format!("{:.1}%", 100.0 * o.accepted as f64 / o.sends as f64)
            } else {
                "-".into()
            },
            revenue: o.revenue_cents.to_string(),
        })
        .collect();
    render(OffersPage {
        nav: Nav::new("offers", &user.0),
        offers,
    })
}

#[derive(Template)]
#[template(path = "experiments.html")]
struct ExperimentsPage {
    nav: Nav,
    rows: Vec<store::pages::ExperimentRow>,
}

pub async fn experiments(State(app): State<App>, user: CurrentUser) -> Response {
    let account_id = user.0.account_id;
    match app.db.call(move |c| store::pages::experiments(c, account_id)).await {
        Ok(rows) => render(ExperimentsPage {
            nav: Nav::new("experiments", &user.0),
            rows,
        }),
        Err(e) => page_error(e),
    }
}

pub struct RuleView {
    pub state: String,
    pub weekdays: String,
    pub sunday: String,
    pub cap: String,
    pub source: String,
    pub overridden: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    nav: Nav,
    account: store::accounts::Account,
    public_url: String,
    rules: Vec<RuleView>,
    tables: Vec<(String, String)>,
}

pub async fn settings(State(app): State<App>, user: CurrentUser) -> Response {
    let account_id = user.0.account_id;
    let loaded = app
        .db
        .call(move |c| {
            Ok((
                store::accounts::get(c, account_id)?,
                store::state_rules::in_force(c, account_id)?,
                store::dashboard::table_sizes(c)?,
            ))
        })
        .await;
    let (account, rules, tables) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let rules = rules
        .into_iter()
        .map(|r| RuleView {
            state: r.state,
            weekdays: format!("{}–{}", hhmm(r.start_minute), hhmm(r.end_minute)),
            sunday: match (r.sunday_allowed, r.sunday_start_minute, r.sunday_end_minute) {
                (false, _, _) => "no texts".into(),
                (true, Some(s), Some(e)) => format!("{}–{}", hhmm(s), hhmm(e)),
                (true, _, _) => "as weekdays".into(),
            },
            cap: match (r.max_per_24h, r.cap_exempt_if_bought_within_months) {
                (Some(n), Some(m)) => format!("{n} per 24 h, none for a purchase in the last {m} months"),
                (Some(n), None) => format!("{n} per 24 h"),
                (None, _) => "-".into(),
            },
            source: r.source,
            overridden: r.overridden,
        })
        .collect();
    let tables = tables.into_iter().map(|(t, n)| (t, thousands(n))).collect();
    render(SettingsPage {
        nav: Nav::new("settings", &user.0),
        account,
        public_url: app.config.public_url(),
        rules,
        tables,
    })
}
