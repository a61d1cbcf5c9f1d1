//! The inbox list (`/threads`): one row per customer conversation, newest activity first, in
//! views (open, needs reply, unread, mine, ...), paged by cursor, searchable; rows are closed,
//! snoozed, reopened, assigned and marked read one at a time or in bulk (actions.rs). Works
//! with JavaScript off; static/inbox.js only adds the keyboard.

mod actions;
pub mod live;

pub use actions::act;

use super::view::Nav;
use super::{page_error, render};
use crate::clock::{from_unix, to_unix};
use crate::domain::inbox::{preview, ConversationStatus, Cursor, InboxView};
use crate::domain::search;
use crate::store;
use crate::store::conversations::ConversationRow;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Rows on a page of the list (and search results shown at most).
pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub after: String,
    #[serde(default)]
    pub q: String,
    /// what the last action did (`close`, `snooze`, ...) and to how many: for the notice
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub n: Option<usize>,
}

impl ListQuery {
    pub fn view(&self) -> InboxView {
        InboxView::parse(self.view.trim()).unwrap_or_default()
    }

    /// This list again (view, page and search), as a link.
    pub fn href(&self) -> String {
        let mut parts = vec![("view", self.view().as_str().to_string())];
        if let Some(c) = Cursor::parse(&self.after) {
            parts.push(("after", c.to_string()));
        }
        if !self.q.trim().is_empty() {
            parts.push(("q", self.q.trim().to_string()));
        }
        format!("/threads?{}", serde_urlencoded::to_string(parts).unwrap_or_default())
    }
}

/// A row as the page shows it.
pub struct RowView {
    pub lead_id: i64,
    pub name: String,
    pub phone: String,
    pub when: String,
    pub when_full: String,
    pub preview: String,
    pub inbound: bool,
    pub unread: bool,
    pub status: ConversationStatus,
    /// "snoozed until Wed 8:00 AM", "snoozed until they reply", "closed"
    pub status_words: String,
    pub assignee: Option<String>,
    pub opted_out: bool,
    pub empty: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    nav: Nav,
    views: [InboxView; 9],
    view: InboxView,
    q: String,
    after: String,
    rows: Vec<RowView>,
    next: Option<String>,
    first_page: bool,
    members: Vec<store::users::Member>,
    error: Option<String>,
    notice: Option<String>,
}

/// How a number is written for people: `(325) 555-0188` for North American ones.
pub fn phone_words(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(d) if d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit()) => {
            format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..])
        }
        _ => e164.to_string(),
    }
}

/// When, briefly: the time today, the day this year, the date before.
fn when(ts: i64, now: i64, tz: chrono_tz::Tz) -> String {
    let t = from_unix(ts).with_timezone(&tz);
    let n = from_unix(now).with_timezone(&tz);
    if t.date_naive() == n.date_naive() {
        t.format("%-I:%M %p").to_string()
    } else if t.format("%Y").to_string() == n.format("%Y").to_string() {
        t.format("%b %-d").to_string()
    } else {
        t.format("%b %-d, %Y").to_string()
    }
}

fn row_view(r: ConversationRow, now: i64, tz: chrono_tz::Tz) -> RowView {
    let status_words = match (r.status, r.snoozed_until) {
        (ConversationStatus::Snoozed, Some(t)) => format!(
            "snoozed until {}",
            from_unix(t).with_timezone(&tz).format("%a %b %-d, %-I:%M %p")
        ),
        (ConversationStatus::Snoozed, None) => "snoozed until they reply".into(),
        (s, _) => s.as_str().into(),
    };
    RowView {
        lead_id: r.lead_id,
        name: if r.name.is_empty() { "(no name)".into() } else { r.name },
        phone: r.phone.map(|p| phone_words(p.as_str())).unwrap_or_default(),
        when: if r.last_at > 0 {
            when(r.last_at, now, tz)
        } else {
            String::new()
        },
        when_full: if r.last_at > 0 {
            super::view::local_time(r.last_at, tz)
        } else {
            String::new()
        },
        preview: if r.last_at > 0 {
            preview(&r.last_body, 140)
        } else {
            "No texts yet".into()
        },
        inbound: r.last_inbound,
        unread: r.unread,
        status: r.status,
        status_words,
        assignee: r.assignee,
        opted_out: r.opted_out,
        empty: r.last_at == 0,
    }
}

/// What a notice says after an action.
fn notice(done: &str, n: usize) -> Option<String> {
    let what = match done {
        "close" => "Closed",
        "reopen" => "Reopened",
        "snooze" => "Snoozed",
        "assign" => "Assigned",
        "read" => "Marked read",
        "unread" => "Marked unread",
        _ => return None,
    };
    Some(format!("{what} {n} conversation{}.", if n == 1 { "" } else { "s" }))
}

/// The page for this query, with an error above the list when an action was refused.
pub async fn page(app: &App, user: &CurrentUser, q: &ListQuery, error: Option<String>) -> Response {
    let account_id = user.0.account_id;
    let user_id = user.0.user_id;
    let now = to_unix(app.now());
    let view = q.view();
    let cursor = Cursor::parse(&q.after);
    let plan = search::interpret(&q.q);
    // snoozes whose time has come are open again before anyone looks (a read first, so the
    // list writes only when one is due)
    match app
        .db
        .call(move |c| store::conversations::any_snooze_over(c, account_id, now))
        .await
    {
        Ok(true) => {
            if let Err(e) = app
                .db
                .write(move |tx| store::conversations::wake_snoozed(tx, account_id, now))
                .await
            {
                return page_error(e);
            }
        }
        Ok(false) => {}
        Err(e) => return page_error(e),
    }
    let loaded = app
        .db
        .call(move |c| {
            let rows = match &plan {
                Some(plan) => {
                    let ids = store::search::lead_ids(c, account_id, plan, PAGE_SIZE as usize)?;
                    store::conversations::of_leads(c, account_id, &ids)?
                }
                None => store::conversations::page(
                    c,
                    account_id,
                    user_id,
                    view,
                    cursor.unwrap_or(Cursor::FIRST),
                    PAGE_SIZE + 1,
                )?,
            };
            let members = store::users::members(c, account_id)?;
            let tz = store::accounts::get(c, account_id)?.timezone;
            Ok((rows, members, tz))
        })
        .await;
    let (mut rows, members, tz) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let next = if q.q.trim().is_empty() && rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| r.cursor().to_string())
    } else {
        None
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = InboxPage {
        nav: Nav::new("threads", &user.0),
        views: InboxView::ALL,
        view,
        q: q.q.trim().to_string(),
        after: cursor.map(|c| c.to_string()).unwrap_or_default(),
        rows: rows.into_iter().map(|r| row_view(r, now, tz)).collect(),
        next,
        first_page: cursor.is_none(),
        members,
        notice: if error.is_none() {
            notice(&q.done, q.n.unwrap_or(0))
        } else {
            None
        },
        error,
    };
    (status, render(page)).into_response()
}

/// `GET /threads`
pub async fn list(State(app): State<App>, user: CurrentUser, Query(q): Query<ListQuery>) -> Response {
    page(&app, &user, &q, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_people_write_them() {
        assert_eq!(phone_words("+13255550188"), "(325) 555-0188");
        assert_eq!(phone_words("+442079460958"), "+442079460958");
    }

    #[test]
    fn times_are_brief_today_and_dated_before() {
        let tz = chrono_tz::America::Chicago;
        let now = 1_795_550_700; // Tue Nov 24 2026, 2:05 PM in Chicago
        assert_eq!(when(now - 3600, now, tz), "1:05 PM");
        assert_eq!(when(now - 86_400, now, tz), "Nov 23");
        assert_eq!(when(now - 400 * 86_400, now, tz), "Oct 20, 2025");
    }

    #[test]
    fn a_list_link_keeps_its_view_page_and_search_and_drops_junk() {
        let q = ListQuery {
            view: "closed".into(),
            after: "100.7".into(),
            q: " 555 ".into(),
            ..Default::default()
        };
        assert_eq!(q.href(), "/threads?view=closed&after=100.7&q=555");
        let junk = ListQuery {
            view: "<script>".into(),
            after: "x".into(),
            ..Default::default()
        };
        assert_eq!(junk.href(), "/threads?view=open");
    }
}
