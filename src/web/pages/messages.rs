//! The messages list (`/messages`): every outbound text with its status and reason in words,
//! filtered by outcome, purpose, gate reason and local dates, newest first a page at a time,
//! and the same as CSV (`/messages.csv`).

use super::view::{local_time, Nav};
use super::{error_page, page_error, render};
use crate::domain::compliance::Purpose;
use crate::domain::messages::{held_in_words, purpose_in_words, status_in_words, MessageStatus, Outcome};
use crate::domain::period::{Period, Span};
use crate::domain::sheet::spreadsheet_safe;
use crate::store;
use crate::store::message_list::{Filter, Listed};
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;

const PAGE_SIZE: i64 = 50;
/// The most rows one CSV export carries; a longer period is split by dates.
const CSV_MAX_ROWS: usize = 100_000;

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct MessagesQuery {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// the last text of the page before, `{created_at}.{id}`
    #[serde(default)]
    after: String,
}

/// The query read into a filter and the period it covers, or what is wrong with it.
fn read(q: &MessagesQuery, now: chrono::DateTime<chrono::Utc>, tz: Tz) -> Result<(Filter, Period), String> {
    let outcome = match q.outcome.trim() {
        "" => None,
        w => Some(Outcome::parse(w).ok_or_else(|| format!("outcome: {w:?} is not one of {}", Outcome::words()))?),
    };
    let purpose = match q.purpose.trim() {
        "" => None,
        w => Some(Purpose::parse(w).ok_or_else(|| format!("purpose: {w:?} is not one of {}", Purpose::words()))?),
    };
    let reason = q.reason.trim();
    if reason.len() > 64 || !reason.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err("reason: a gate code such as quiet_hours".into());
    }
    // no dates: the last 30 days
    let span = if q.from.trim().is_empty() && q.to.trim().is_empty() {
        Span::Days(30)
    } else {
        let to = if q.to.trim().is_empty() { &q.from } else { &q.to };
        let from = if q.from.trim().is_empty() { &q.to } else { &q.from };
        Span::parse(Some("custom"), Some(from), Some(to))?
    };
    let period = Period::new(span, now, tz);
    Ok((
        Filter {
            outcome,
            purpose,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            from: period.start,
            to: period.end,
        },
        period,
    ))
}

fn cursor(after: &str) -> Option<(i64, i64)> {
    let (at, id) = after.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

/// One text as the list shows it.
pub struct Row {
    pub lead_id: i64,
    pub when: String,
    pub customer: String,
    pub phone: String,
    pub purpose: &'static str,
    pub status: MessageStatus,
    pub words: String,
    pub body: String,
}

fn row(m: &Listed, tz: Tz) -> Row {
    let until = m.deferred_until.map(|t| local_time(t, tz));
    Row {
        lead_id: m.lead_id,
        when: local_time(m.created_at, tz),
        customer: if m.name.is_empty() {
            "(no name)".into()
        } else {
            m.name.clone()
        },
        phone: m.to_phone.clone(),
        purpose: purpose_in_words(m.purpose),
        status: m.status,
        words: status_in_words(
            m.status,
            until.as_deref(),
            m.error_code.as_deref(),
            m.blocked_code.as_deref(),
        ),
        body: m.body.clone(),
    }
}

/// A choice of a filter's select, with whether it is the one chosen.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct MessagesPage {
    nav: Nav,
    error: Option<String>,
    period_label: String,
    from: String,
    to: String,
    outcomes: Vec<Choice>,
    purposes: Vec<Choice>,
    reason: String,
    reason_words: String,
    rows: Vec<Row>,
    first_page: bool,
    /// the query without the cursor, for the next page and the CSV link
    query: String,
    next: Option<String>,
}

fn choices<T: Copy + PartialEq>(
    all: &[T],
    chosen: Option<T>,
    word: fn(T) -> &'static str,
    label: fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|t| Choice {
            value: word(*t),
            label: label(*t),
            chosen: chosen == Some(*t),
        })
        .collect()
}

pub async fn list(State(app): State<App>, user: CurrentUser, Query(q): Query<MessagesQuery>) -> Response {
    let account_id = user.0.account_id;
    let now = app.now();
    let before = cursor(&q.after);
    let query = q.clone();
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            let read = read(&query, now, tz);
            let rows = match &read {
                Ok((filter, _)) => store::message_list::page(c, account_id, filter, before, PAGE_SIZE + 1)?,
                Err(_) => Vec::new(),
            };
            Ok((tz, read, rows))
        })
        .await;
    let (tz, read, mut rows) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let (filter, period, error) = match read {
        Ok((f, p)) => (f, Some(p), None),
        Err(e) => (Filter::default(), None, Some(e)),
    };
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|m| format!("{}.{}", m.created_at, m.id))
    } else {
        None
    };
    let (from, to) = period
        .map(|p| (p.first.to_string(), p.last.to_string()))
        .unwrap_or_default();
    let query = serde_urlencoded::to_string([
        ("outcome", q.outcome.trim()),
        ("purpose", q.purpose.trim()),
        ("reason", q.reason.trim()),
        ("from", from.as_str()),
        ("to", to.as_str()),
    ])
    .unwrap_or_default();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = MessagesPage {
        nav: Nav::new("dashboard", &user.0),
        error,
        period_label: period.map(|p| p.label()).unwrap_or_default(),
        from,
        to,
        outcomes: choices(&Outcome::ALL, filter.outcome, Outcome::as_str, |o| {
            o.as_str().to_string()
        }),
        purposes: choices(&Purpose::ALL, filter.purpose, Purpose::as_str, |p| {
            purpose_in_words(p).to_string()
        }),
        reason_words: filter.reason.as_deref().map(held_in_words).unwrap_or_default(),
        reason: filter.reason.clone().unwrap_or_default(),
        rows: rows.iter().map(|m| row(m, tz)).collect(),
        first_page: before.is_none(),
        query,
        next,
    };
    (status, render(page)).into_response()
}

/// `GET /messages.csv`: the texts the same filters find, every page, as a spreadsheet.
pub async fn csv(State(app): State<App>, user: CurrentUser, Query(q): Query<MessagesQuery>) -> Response {
    let account_id = user.0.account_id;
    let now = app.now();
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            let Ok((filter, period)) = read(&q, now, tz) else {
                return Ok(Err(read(&q, now, tz).err().unwrap_or_default()));
            };
            let mut out = csv::Writer::from_writer(Vec::new());
            let header = [
                "created", "customer", "phone", "purpose", "status", "in words", "reason", "text",
            ];
            out.write_record(header).map_err(crate::error::Error::internal)?;
            let mut before = None;
            let mut written = 0;
            'pages: loop {
                let page = store::message_list::page(c, account_id, &filter, before, 1_000)?;
                for m in &page {
                    let r = row(m, tz);
                    let cells = [
                        r.when,
                        r.customer,
                        r.phone,
                        r.purpose.to_string(),
                        m.status.as_str().to_string(),
                        r.words,
                        m.blocked_code.clone().unwrap_or_default(),
                        r.body,
                    ];
                    out.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned()))
                        .map_err(crate::error::Error::internal)?;
                    written += 1;
                    if written >= CSV_MAX_ROWS {
                        break 'pages;
                    }
                }
                match page.last() {
                    Some(m) if page.len() == 1_000 => before = Some((m.created_at, m.id)),
                    _ => break,
                }
            }
            let bytes = out
                .into_inner()
                .map_err(|e| crate::error::Error::internal(e.to_string()))?;
            Ok(Ok((bytes, format!("messages-{}-to-{}.csv", period.first, period.last))))
        })
        .await;
    match loaded {
        Ok(Ok((bytes, name))) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => error_page(StatusCode::BAD_REQUEST, "That list cannot be exported", &e),
        Err(e) => page_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_or_named_when_wrong() {
        let now = "2026-11-30T21:00:00Z".parse().unwrap();
        let tz = chrono_tz::America::Chicago;
        let q = |outcome: &str, purpose: &str, reason: &str, from: &str, to: &str| MessagesQuery {
            outcome: outcome.into(),
            purpose: purpose.into(),
            reason: reason.into(),
            from: from.into(),
            to: to.into(),
            after: String::new(),
        };
        let (f, p) = read(&q("held", "survey", "quiet_hours", "2026-11-30", ""), now, tz).unwrap();
        assert_eq!(
            (f.outcome, f.purpose, f.reason.as_deref()),
            (Some(Outcome::Held), Some(Purpose::Survey), Some("quiet_hours"))
        );
        assert_eq!(p.days(), 1);
        let (_, p) = read(&q("", "", "", "", ""), now, tz).unwrap();
        assert_eq!(p.days(), 30, "no dates: the last 30 days");
        assert!(read(&q("lost", "", "", "", ""), now, tz)
            .unwrap_err()
            .starts_with("outcome:"));
        assert!(read(&q("", "spam", "", "", ""), now, tz)
            .unwrap_err()
            .starts_with("purpose:"));
        assert!(read(&q("", "", "x' OR 1", "", ""), now, tz)
            .unwrap_err()
            .starts_with("reason:"));
        assert!(read(&q("", "", "", "2026-12-01", "2026-11-01"), now, tz)
            .unwrap_err()
            .starts_with("to:"));
        assert_eq!(cursor("1795550700.42"), Some((1_795_550_700, 42)));
        assert_eq!(cursor("junk"), None);
    }
}
