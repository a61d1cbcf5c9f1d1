//! Canned replies in the reply box: the account's ready-made answers filled in for this
//! customer (the offers' placeholders, `domain::canned::fill`), and putting one in the box
//! without JavaScript (chosen under the box, or `/shortcut` sent alone): the page comes back with
//! the text in the box, never sent.

use super::{page, refused, Posted, ReplyForm, ShowQuery};
use crate::error::Result;
use crate::store;
use crate::web::auth::CurrentUser;
use crate::web::pages::page_error;
use crate::App;
use axum::http::StatusCode;
use axum::response::Response;

/// A canned reply as the box offers it: its shortcut and its text for this customer.
pub struct Canned {
    pub id: i64,
    pub shortcut: String,
    pub text: String,
}

/// The account's canned replies filled in for this customer: first name, the current vehicle,
/// the advisor of the last visit, the store's booking page (the offers' placeholders).
pub fn canned_for(
    c: &rusqlite::Connection,
    account_id: i64,
    lead: &store::leads::Lead,
    vehicles: &[store::conversation::OwnedVehicle],
    visits: &[store::conversation::Visit],
) -> Result<Vec<Canned>> {
    let replies = store::canned::list(c, account_id)?;
    if replies.is_empty() {
        return Ok(Vec::new());
    }
    let vehicle = vehicles.iter().find(|v| v.active).map(|v| {
        [v.year.map(|y| y.to_string()), v.make.clone(), v.model.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let values = crate::domain::offers::BodyValues {
        first_name: lead.first_name.clone(),
        vehicle: vehicle.filter(|v| !v.is_empty()),
        advisor: visits.iter().find_map(|v| v.advisor.clone()),
        price: None,
        link: store::accounts::messaging_settings(c, account_id)?.booking_url,
    };
    Ok(replies
        .into_iter()
        .map(|r| Canned {
            id: r.id,
            text: crate::domain::canned::fill(&r.body, &values).trim().to_string(),
            shortcut: r.shortcut,
        })
        .collect())
}

/// `/ready` typed alone in the box: the shortcut of a canned reply to put in.
pub(super) fn slash_shortcut(body: &str) -> Option<String> {
    let s = body.trim().strip_prefix('/')?;
    (!s.is_empty() && s.len() <= 30 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| s.to_lowercase())
}

/// Put a canned reply in the box (without JavaScript: chosen under the box, or typed as
/// `/shortcut` alone and sent): the page comes back with the text filled in, nothing sent. An
/// unknown one is refused with what exists.
pub(super) async fn insert_canned(
    app: &App,
    user: &CurrentUser,
    lead_id: i64,
    f: ReplyForm,
    pick: CannedPick,
) -> Response {
    let account_id = user.0.account_id;
    let wanted = pick.clone();
    let found = app
        .db
        .call(move |c| {
            let pick = wanted;
            let Some(lead) = store::leads::get(c, account_id, lead_id)? else {
                return Ok(None);
            };
            let vehicles = store::conversation::vehicles(c, account_id, lead_id)?;
            let visits = store::conversation::recent_visits(c, account_id, lead_id, 1)?;
            let all = canned_for(c, account_id, &lead, &vehicles, &visits)?;
            Ok(Some(all.into_iter().find(|r| match &pick {
                CannedPick::Id(id) => r.id == *id,
                CannedPick::Shortcut(s) => &r.shortcut == s,
            })))
        })
        .await;
    let q = ShowQuery::default();
    match found {
        Ok(None) => super::not_found(),
        Ok(Some(Some(canned))) => {
            let typed = match pick {
                CannedPick::Shortcut(_) => String::new(),
                CannedPick::Id(_) => f.body.trim_end().to_string(),
            };
            let insert = if typed.is_empty() {
                canned.text
            } else {
                format!("{typed} {}", canned.text)
            };
            let posted = Posted {
                reply: ReplyForm {
                    body: String::new(),
                    ..f
                },
                insert,
                ..Default::default()
            };
            page(app, user, lead_id, None, &q, posted, StatusCode::OK).await
        }
        Ok(Some(None)) => {
            let what = match &pick {
                CannedPick::Shortcut(s) => format!("/{s}"),
                CannedPick::Id(_) => "like that (it may have just been deleted)".into(),
            };
            let m = format!("There is no canned reply {what}; Settings → Canned replies lists them. Nothing was sent.");
            page(
                app,
                user,
                lead_id,
                None,
                &q,
                refused(f, m, String::new()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => page_error(e),
    }
}

#[derive(Clone)]
pub(super) enum CannedPick {
    Id(i64),
    Shortcut(String),
}
