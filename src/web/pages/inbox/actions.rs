//! `POST /threads`: what a rep does to conversations from the list. One form holds the row
//! checkboxes and the bulk buttons (`action`); each row's own buttons (`row` = `close:17`)
//! act on that row alone. The snooze time and the assignee come from the bar above the list.
//! A refused action shows the list again with the reason and writes nothing.

use super::{page, ListQuery};
use crate::clock::to_unix;
use crate::domain::inbox::snooze_until;
use crate::error::Error;
use crate::store;
use crate::store::conversations::Change;
use crate::web::auth::CurrentUser;
use crate::web::pages::error_page;
use crate::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

/// The most rows one submit may change (a page is 50).
const MOST_AT_ONCE: usize = 200;

/// What the form asks, before it is checked against the database.
#[derive(Debug, Default, Clone)]
pub struct Request {
    pub csrf: String,
    pub verb: String,
    pub leads: Vec<String>,
    pub until: String,
    pub at: String,
    pub assignee: String,
    pub back: ListQuery,
}

/// Read the submitted fields (repeated `lead` fields are the checked rows; a row's own button,
/// `row` = `verb:lead`, wins over the bulk buttons and the checkboxes).
pub fn read(fields: Vec<(String, String)>) -> Request {
    let mut r = Request::default();
    let mut row = None;
    for (k, v) in fields {
        match k.as_str() {
            "csrf" => r.csrf = v,
            "action" => r.verb = v,
            "row" => row = Some(v),
            "lead" => r.leads.push(v),
            "until" => r.until = v,
            "at" => r.at = v,
            "assignee" => r.assignee = v,
            "view" => r.back.view = v,
            "after" => r.back.after = v,
            "q" => r.back.q = v,
            _ => {}
        }
    }
    if let Some((verb, lead)) = row.as_deref().and_then(|r| r.split_once(':')) {
        r.verb = verb.to_string();
        r.leads = vec![lead.to_string()];
    }
    r
}

/// The change asked for and the leads it is for, or what the rep must fix (in words).
fn check(
    r: &Request,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> Result<(Change, Vec<i64>), String> {
    let change = match r.verb.as_str() {
        "close" => Change::Close,
        "reopen" => Change::Reopen,
        "snooze" => Change::Snooze(snooze_until(&r.until, &r.at, now, tz)?),
        "assign" => Change::Assign(match r.assignee.trim() {
            "" => None,
            id => Some(
                id.parse()
                    .map_err(|_| format!("“{id}” is not one of this store's users."))?,
            ),
        }),
        "take" => Change::Assign(Some(user_id)),
        "read" => Change::MarkRead,
        "unread" => Change::MarkUnread,
        "" => return Err("Choose what to do with the selected conversations.".into()),
        other => return Err(format!("“{other}” is not something the inbox can do.")),
    };
    if r.leads.is_empty() {
        return Err("Select at least one conversation first.".into());
    }
    if r.leads.len() > MOST_AT_ONCE {
        return Err(format!("Select at most {MOST_AT_ONCE} conversations at a time."));
    }
    let mut leads = Vec::with_capacity(r.leads.len());
    for l in &r.leads {
        let id: i64 = l.trim().parse().map_err(|_| format!("“{l}” is not a conversation."))?;
        if !leads.contains(&id) {
            leads.push(id);
        }
    }
    Ok((change, leads))
}

/// `POST /threads`
pub async fn act(State(app): State<App>, user: CurrentUser, Form(fields): Form<Vec<(String, String)>>) -> Response {
    let r = read(fields);
    if !user.csrf_ok(&r.csrf) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Form expired",
            "This form is out of date. Go back, reload the page and try again.",
        );
    }
    let account_id = user.0.account_id;
    let tz = match app.db.call(move |c| store::accounts::get(c, account_id)).await {
        Ok(a) => a.timezone,
        Err(e) => return super::page_error(e),
    };
    let (change, leads) = match check(&r, user.0.user_id, app.now(), tz) {
        Ok(v) => v,
        Err(message) => return page(&app, &user, &r.back, Some(message)).await,
    };
    let now = to_unix(app.now());
    let n = leads.len();
    match app
        .db
        .write(move |tx| store::conversations::apply(tx, account_id, &leads, change, now))
        .await
    {
        Ok(_) => {
            let verb = if r.verb == "take" { "assign" } else { r.verb.as_str() };
            let back = r.back.href();
            Redirect::to(&format!("{back}&done={verb}&n={n}")).into_response()
        }
        Err(Error::NotFound(_)) => error_page(
            StatusCode::NOT_FOUND,
            "Conversation not found",
            "One of the selected conversations does not exist in this store. Nothing was changed.",
        ),
        Err(Error::Invalid { message, .. }) => page(&app, &user, &r.back, Some(message)).await,
        Err(e) => super::page_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_row_button_acts_on_its_row_alone() {
        let r = read(f(&[
            ("lead", "3"),
            ("lead", "4"),
            ("row", "close:9"),
            ("view", "unread"),
        ]));
        assert_eq!((r.verb.as_str(), r.leads.clone()), ("close", vec!["9".to_string()]));
        assert_eq!(r.back.view, "unread");
        let r = read(f(&[("lead", "3"), ("lead", "4"), ("action", "read")]));
        assert_eq!(r.leads, vec!["3", "4"]);
    }

    #[test]
    fn bad_requests_say_what_to_fix() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T15:00:00Z")
            .unwrap()
            .to_utc();
        let tz = chrono_tz::America::Chicago;
        let mut r = read(f(&[("action", "close")]));
        assert_eq!(
            check(&r, 1, now, tz).unwrap_err(),
            "Select at least one conversation first."
        );
        r.leads = vec!["x".into()];
        assert!(check(&r, 1, now, tz).unwrap_err().contains("not a conversation"));
        r.leads = vec!["5".into(), "5".into()];
        assert_eq!(check(&r, 1, now, tz), Ok((Change::Close, vec![5])));
        r.verb = "explode".into();
        assert!(check(&r, 1, now, tz).is_err());
        r.verb = "snooze".into();
        r.until = "at".into();
        r.at = "2026-11-24T08:00".into();
        assert!(check(&r, 1, now, tz).unwrap_err().contains("already passed"));
        r.verb = "take".into();
        assert_eq!(check(&r, 7, now, tz), Ok((Change::Assign(Some(7)), vec![5])));
    }
}
