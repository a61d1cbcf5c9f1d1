//! A rep decides whether the customer's words were an opt-out (`opt_out_reviews`), from the card.

use super::not_found;
use crate::clock::to_unix;
use crate::domain::consent::ReviewDecision;
use crate::store;
use crate::web::auth::CurrentUser;
use crate::web::pages::{error_page, page_error};
use crate::App;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    /// `opted_out` or `not_an_opt_out`
    #[serde(default)]
    decision: String,
}

/// `POST /threads/{lead_id}/opt-out-review`: the rep's decision, recorded with who made it.
pub async fn decide(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    Form(f): Form<ReviewForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return super::actions::expired();
    }
    let Some(decision) = ReviewDecision::parse(&f.decision) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "No decision",
            "Choose whether the customer asked to stop texts or not.",
        );
    };
    let (account_id, by, t) = (user.0.account_id, user.0.email.clone(), to_unix(app.now()));
    match app
        .db
        .write(move |tx| store::consent::decide_review(tx, account_id, lead_id, decision, &by, t))
        .await
    {
        Ok(Some(_)) => Redirect::to(&format!("/threads/{lead_id}#card")).into_response(),
        // no open review for this customer (decided already, or another store's customer)
        Ok(None) => not_found(),
        Err(e) => page_error(e),
    }
}
