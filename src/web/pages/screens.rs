//! The signed-in screens. Each loads one read model from `store` and renders it.

use super::view::Nav;
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
