//! Texts that may have revoked consent, for a rep to decide (account key).

use crate::clock::to_unix;
use crate::domain::consent::ReviewDecision;
use crate::store::{self, consent::OptOutReview};
use crate::web::auth::AccountAuth;
use crate::web::error::ApiResult;
use crate::web::extract::ApiJson;
use crate::App;
use axum::extract::{Path, State};
use axum::Json;

/// `GET /api/opt-out-reviews`: the account's open reviews, oldest first (at most 500).
pub async fn open(AccountAuth(account): AccountAuth, State(app): State<App>) -> ApiResult<Json<Vec<OptOutReview>>> {
    Ok(Json(
        app.db
            .call(move |c| store::consent::open_reviews(c, account.id, 500))
            .await?,
    ))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    decision: ReviewDecision,
    /// who decided, for the record (defaults to "api")
    decided_by: Option<String>,
}

/// `POST /api/leads/{id}/opt-out-review`: decide the lead's open review. `opted_out` records the
/// opt-out; `not_an_opt_out` lets automated texts go again. 404 when the lead has none open.
pub async fn decide(
    AccountAuth(account): AccountAuth,
    State(app): State<App>,
    Path(lead_id): Path<i64>,
    ApiJson(d): ApiJson<Decide>,
) -> ApiResult<Json<OptOutReview>> {
    let t = to_unix(app.now());
    let by = d
        .decided_by
        .map(|b| b.trim().chars().take(100).collect::<String>())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "api".into());
    let decided = app
        .db
        .write(move |tx| store::consent::decide_review(tx, account.id, lead_id, d.decision, &by, t))
        .await?;
    decided
        .map(Json)
        .ok_or_else(|| crate::error::Error::NotFound(format!("no open opt-out review for lead {lead_id}")).into())
}
