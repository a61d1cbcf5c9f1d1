//! `GET /threads/events`: Server-Sent Events for the open inbox list. The stream sends
//! `changed` when the account's latest conversation activity moves (a text in or out); the
//! list's script reloads the page when the rep is not in the middle of something, or says that
//! there is news. Without JavaScript the list is the same, only not live.

use crate::store;
use crate::web::auth::CurrentUser;
use crate::web::pages::conversation::{live_stream, StreamsStop};
use crate::web::pages::page_error;
use crate::App;
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

/// `GET /threads/events`
pub async fn events(State(app): State<App>, user: CurrentUser, stop: Option<Extension<StreamsStop>>) -> Response {
    let account_id = user.0.account_id;
    let first = match app
        .db
        .call(move |c| store::conversations::latest_activity(c, account_id))
        .await
    {
        Ok(f) => f,
        Err(e) => return page_error(e),
    };
    let read =
        std::sync::Arc::new(move |c: &rusqlite::Connection| store::conversations::latest_activity(c, account_id));
    live_stream(app, stop, first, read)
}
