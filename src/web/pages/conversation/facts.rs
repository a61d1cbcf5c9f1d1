//! A rep sets a fact on the card: confirms an unsure reading, corrects one, or adds what the
//! customer said on the phone (`surveys::facts` owns the rule). A refusal shows the page again
//! with the reason beside the fact and writes nothing.

use super::{not_found, page, Posted, ShowQuery};
use crate::surveys::facts::{set_by_rep, Outcome};
use crate::web::auth::CurrentUser;
use crate::web::pages::page_error;
use crate::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

/// `POST /threads/{lead_id}/facts`
pub async fn set(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    Form(f): Form<FactForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return super::actions::expired();
    }
    let (account_id, now) = (user.0.account_id, app.now());
    let (key, value) = (f.key.clone(), f.value.clone());
    match app
        .db
        .write(move |tx| set_by_rep(tx, account_id, lead_id, &key, &value, now))
        .await
    {
        Ok(Outcome::Set) => Redirect::to(&format!("/threads/{lead_id}#facts")).into_response(),
        Ok(Outcome::NoSuchLead) => not_found(),
        Ok(Outcome::Invalid { message, .. }) => {
            let posted = Posted {
                fact_error: Some((f.key, f.value, message)),
                ..Default::default()
            };
            page(
                &app,
                &user,
                lead_id,
                None,
                &ShowQuery::default(),
                posted,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => page_error(e),
    }
}
