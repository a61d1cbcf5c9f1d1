//! The conversation page's forms: reply (now or later, or approve / discard the draft), an
//! offer's outcome, stopping offers, and the customer card. Each checks the session's CSRF
//! token, checks its input (a refusal shows the page again with the reason beside the field and
//! writes nothing), then calls the one function that owns the rule: the outbox, the drafts, the
//! upsell outcomes, the store.

use super::canned::{insert_canned, slash_shortcut, CannedPick};
use super::{not_found, page, parse_local, refused, Posted, ReplyForm, ShowQuery};
use crate::clock::to_unix;
use crate::domain::compliance::Purpose;
use crate::domain::customer::check_card;
use crate::domain::messages::{held_in_words, MessageStatus};
use crate::domain::sms;
use crate::error::Error;
use crate::messaging::outbox::{self, SendRequest};
use crate::store;
use crate::upsell::outcomes::{self, RepOutcome};
use crate::web::auth::CurrentUser;
use crate::web::pages::{error_page, page_error};
use crate::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

/// A form whose CSRF token is not the session's.
pub(super) fn expired() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form is out of date. Go back, reload the page and try again.",
    )
}

/// `POST /threads/{lead_id}/reply`
pub async fn reply(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    Form(f): Form<ReplyForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let account_id = user.0.account_id;
    let now = app.now();
    let by = user.0.email.clone();
    let loaded = app
        .db
        .call(move |c| {
            let lead = store::leads::get(c, account_id, lead_id)?;
            Ok((lead.is_some(), store::accounts::get(c, account_id)?.timezone))
        })
        .await;
    let tz = match loaded {
        Ok((true, tz)) => tz,
        Ok((false, _)) => return not_found(),
        Err(e) => return page_error(e),
    };
    let q = ShowQuery::default();
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if f.action == "discard" {
        let Some(draft_id) = f.draft_id else {
            return page(
                &app,
                &user,
                lead_id,
                None,
                &q,
                refused(f, "There is no draft to discard.".into(), String::new()),
                unprocessable,
            )
            .await;
        };
        let done = app
            .db
            .write(move |tx| {
                check_draft_lead(tx, account_id, draft_id, lead_id)?;
                crate::messaging::drafts::discard(tx, account_id, draft_id, &by, now)
            })
            .await;
        return match done {
            Ok(()) => Redirect::to(&format!("/threads/{lead_id}#reply")).into_response(),
            Err(Error::NotFound(_)) => not_found(),
            Err(Error::Conflict(m)) => {
                page(
                    &app,
                    &user,
                    lead_id,
                    None,
                    &q,
                    refused(ReplyForm::default(), m, String::new()),
                    StatusCode::CONFLICT,
                )
                .await
            }
            Err(e) => page_error(e),
        };
    }
    if f.action == "insert" {
        return match f.canned.trim().parse::<i64>() {
            Ok(id) => insert_canned(&app, &user, lead_id, f, CannedPick::Id(id)).await,
            Err(_) => {
                let m = "Choose a canned reply to put in the box.".to_string();
                page(
                    &app,
                    &user,
                    lead_id,
                    None,
                    &q,
                    refused(f, m, String::new()),
                    unprocessable,
                )
                .await
            }
        };
    }
    if let Some(shortcut) = slash_shortcut(&f.body) {
        return insert_canned(&app, &user, lead_id, f, CannedPick::Shortcut(shortcut)).await;
    }
    if let Some(problem) = sms::check_body(&f.body) {
        return page(
            &app,
            &user,
            lead_id,
            None,
            &q,
            refused(f, problem, String::new()),
            unprocessable,
        )
        .await;
    }
    let not_before = match f.send_at.trim() {
        "" => None,
        raw => match parse_local(raw, tz) {
            None => {
                let m = format!("`{raw}` is not a date and time; pick one, e.g. 2026-11-24T09:30.");
                return page(
                    &app,
                    &user,
                    lead_id,
                    None,
                    &q,
                    refused(f, String::new(), m),
                    unprocessable,
                )
                .await;
            }
            Some(t) if t < now - chrono::Duration::seconds(59) => {
                let m = format!(
                    "That time has passed (it is now {}). Pick a later time, or leave it empty to send now.",
                    super::view::short_time(now, tz)
                );
                return page(
                    &app,
                    &user,
                    lead_id,
                    None,
                    &q,
                    refused(f, String::new(), m),
                    unprocessable,
                )
                .await;
            }
            Some(t) => Some(t.max(now)),
        },
    };
    let body = f.body.clone();
    let approve = if f.action == "approve" { f.draft_id } else { None };
    let written = app
        .db
        .write(move |tx| {
            // the box refuses what the gate would block (opted out, no number that takes
            // texts): nothing is written. Held replies are written, to go when allowed.
            let at = not_before.unwrap_or(now);
            let v = outbox::verdict(tx, account_id, lead_id, Purpose::Reply, at)?;
            if v.status == MessageStatus::Blocked {
                let why = v.code.as_deref().map(held_in_words).unwrap_or_default();
                return Err(Error::invalid(
                    "blocked",
                    format!("Not sent: {why}. A reply cannot go to this customer."),
                ));
            }
            match approve {
                Some(draft_id) => {
                    check_draft_lead(tx, account_id, draft_id, lead_id)?;
                    crate::messaging::drafts::approve(tx, account_id, draft_id, Some(body), not_before, &by, now)
                }
                None => {
                    let mut req = SendRequest::new(account_id, lead_id, Purpose::Reply, body, &by);
                    req.not_before = not_before;
                    req.in_reply_to = store::messages::last_inbound_id(tx, account_id, lead_id)?;
                    outbox::enqueue(tx, &req, now)
                }
            }
        })
        .await;
    match written {
        Ok(out) => {
            let asked = not_before.map(|t| format!("&asked={}", to_unix(t))).unwrap_or_default();
            Redirect::to(&format!("/threads/{lead_id}?sent={}{asked}#reply", out.message_id)).into_response()
        }
        Err(Error::NotFound(_)) => not_found(),
        Err(Error::Invalid { message, .. }) => {
            page(
                &app,
                &user,
                lead_id,
                None,
                &q,
                refused(f, message, String::new()),
                unprocessable,
            )
            .await
        }
        Err(Error::Conflict(m)) => {
            page(
                &app,
                &user,
                lead_id,
                None,
                &q,
                refused(f, m, String::new()),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => page_error(e),
    }
}

/// A draft may only be decided from its own customer's page.
fn check_draft_lead(tx: &crate::db::WriteTx, account_id: i64, draft_id: i64, lead_id: i64) -> crate::error::Result<()> {
    match store::drafts::get(tx, account_id, draft_id)? {
        Some(d) if d.lead_id == lead_id => Ok(()),
        _ => Err(Error::NotFound(format!("draft {draft_id}"))),
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    csrf: String,
    /// accepted or declined
    #[serde(default)]
    outcome: String,
    /// dollars, e.g. 89.95 (accepted only)
    #[serde(default)]
    revenue: String,
    #[serde(default)]
    note: String,
}

/// "$1,299.50" -> 129950; None for blank; Err for what is not an amount.
fn parse_dollars(raw: &str) -> Result<Option<i64>, ()> {
    let s: String = raw.trim().chars().filter(|c| *c != '$' && *c != ',').collect();
    if s.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if (whole.is_empty() && frac.is_empty())
        || frac.len() > 2
        || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return Err(());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ())?
    };
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| ())?;
    Ok(Some(whole * 100 + frac))
}

fn offer_refused(message: String) -> Posted {
    Posted {
        offer_error: message,
        ..Default::default()
    }
}

/// `POST /threads/{lead_id}/offers/{send_id}/outcome`: the outcome API's rules (`upsell::outcomes`).
pub async fn offer_outcome(
    State(app): State<App>,
    user: CurrentUser,
    Path((lead_id, send_id)): Path<(i64, i64)>,
    Form(f): Form<OutcomeForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let q = ShowQuery::default();
    let bad = |m: String| {
        page(
            &app,
            &user,
            lead_id,
            None,
            &q,
            offer_refused(m),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let accepted = match f.outcome.as_str() {
        "accepted" => true,
        "declined" => false,
        _ => return bad("Choose accepted or declined.".into()).await,
    };
    let revenue_cents = match parse_dollars(&f.revenue) {
        Ok(r) => r,
        Err(()) => {
            return bad(format!(
                "`{}` is not an amount in dollars, e.g. 89.95.",
                f.revenue.trim()
            ))
            .await
        }
    };
    if revenue_cents.is_some() && !accepted {
        return bad("Revenue goes only with an accepted offer; leave it empty for a declined one.".into()).await;
    }
    let o = RepOutcome {
        accepted,
        revenue_cents,
        note: Some(f.note.clone()),
        by: user.0.email.clone(),
    };
    if let Err(Error::Invalid { message, .. }) = outcomes::check(&o) {
        return bad(message).await;
    }
    let account_id = user.0.account_id;
    let now = app.now();
    let done = app
        .db
        .write(move |tx| {
            // only an offer sent to this customer, from this customer's page
            match store::offer_sends::get(tx, account_id, send_id)? {
                Some(s) if s.lead_id == lead_id => outcomes::record(tx, account_id, send_id, &o, now),
                _ => Err(Error::NotFound(format!("offer send {send_id}"))),
            }
        })
        .await;
    match done {
        Ok(_) => Redirect::to(&format!("/threads/{lead_id}#offers")).into_response(),
        Err(Error::NotFound(_)) => not_found(),
        Err(Error::Invalid { message, .. }) => bad(message).await,
        Err(e) => page_error(e),
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SuppressForm {
    #[serde(default)]
    csrf: String,
    /// "1" to stop offers, "0" to allow them again
    #[serde(default)]
    suppress: String,
}

/// `POST /threads/{lead_id}/offers/suppress`
pub async fn suppress_offers(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    Form(f): Form<SuppressForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let on = match f.suppress.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            let posted = offer_refused("Say whether to stop offers or allow them again.".into());
            return page(
                &app,
                &user,
                lead_id,
                None,
                &ShowQuery::default(),
                posted,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (account_id, by, t) = (user.0.account_id, user.0.email.clone(), to_unix(app.now()));
    match app
        .db
        .write(move |tx| store::leads::set_offers_suppressed(tx, account_id, lead_id, on, &by, t))
        .await
    {
        Ok(true) => Redirect::to(&format!("/threads/{lead_id}#offers")).into_response(),
        Ok(false) => not_found(),
        Err(e) => page_error(e),
    }
}

/// The customer card's edit form as posted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CardForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub timezone: String,
}

/// `POST /threads/{lead_id}/card`
pub async fn edit_card(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    Form(f): Form<CardForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let card = match check_card(&f.first_name, &f.last_name, &f.email, &f.state, &f.timezone) {
        Ok(c) => c,
        Err(errors) => {
            let posted = Posted {
                card: Some(f),
                card_errors: errors,
                ..Default::default()
            };
            return page(
                &app,
                &user,
                lead_id,
                None,
                &ShowQuery::default(),
                posted,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let edit = store::leads::CardEdit {
        first_name: card.first_name,
        last_name: card.last_name,
        email: card.email,
        state: card.state,
        timezone: card.timezone.map(|z| z.name().to_string()),
    };
    let (account_id, t) = (user.0.account_id, to_unix(app.now()));
    match app
        .db
        .write(move |tx| store::leads::update_card(tx, account_id, lead_id, &edit, t))
        .await
    {
        Ok(true) => Redirect::to(&format!("/threads/{lead_id}#card")).into_response(),
        Ok(false) => not_found(),
        Err(e) => page_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revenue_is_read_in_dollars_as_people_type_it() {
        assert_eq!(parse_dollars("$1,299.50"), Ok(Some(129_950)));
        assert_eq!(parse_dollars("89.9"), Ok(Some(8_990)));
        assert_eq!(parse_dollars(""), Ok(None));
        assert!(parse_dollars("-5").is_err());
        assert!(parse_dollars("ten").is_err());
        assert!(parse_dollars("99999999999999").is_err());
    }
}
