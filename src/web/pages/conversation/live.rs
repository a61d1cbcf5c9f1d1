//! `GET /threads/{lead_id}/events`: Server-Sent Events for an open conversation. The stream
//! polls the conversation's fingerprint (`store::conversation::fingerprint`) and sends
//! `changed` when a text arrives, a status moves, the customer texts STOP or START, a draft
//! comes or goes; the page's script then refreshes its history, verdict and card with htmx.
//! Without JavaScript the page is the same, only not live.
//!
//! A stream ends when the server shuts down ([`StreamsStop`], so a graceful shutdown never waits
//! on an open page) and after [`MAX_LIFE`] (the browser reconnects by itself).

use super::not_found;
use crate::store;
use crate::web::auth::CurrentUser;
use crate::App;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::watch;

/// How often an open page's conversation is looked at.
const POLL: Duration = Duration::from_millis(1000);

/// How long one stream lives before the browser is asked to reconnect.
const MAX_LIFE: Duration = Duration::from_secs(300);

/// Flips to true when the server starts shutting down: open streams end.
#[derive(Clone)]
pub struct StreamsStop(pub watch::Receiver<bool>);

/// What a stream watches: a fingerprint read from the database, compared with the last one.
type Read = std::sync::Arc<dyn Fn(&rusqlite::Connection) -> crate::error::Result<String> + Send + Sync>;

struct Watch {
    app: App,
    read: Read,
    last: String,
    until: tokio::time::Instant,
    stop: Option<watch::Receiver<bool>>,
}

/// The next `changed` event, or None when the stream should end.
async fn next(mut w: Watch) -> Option<(Result<Event, Infallible>, Watch)> {
    loop {
        if tokio::time::Instant::now() >= w.until {
            return None;
        }
        match w.stop.as_mut() {
            Some(stop) => {
                if *stop.borrow() {
                    return None;
                }
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = stop.changed() => return None,
                }
            }
            None => tokio::time::sleep(POLL).await,
        }
        let read = w.read.clone();
        match w.app.db.call(move |c| read(c)).await {
            Ok(now) if now != w.last => {
                w.last = now.clone();
                let event = Event::default()
                    .event("changed")
                    .data(now)
                    .retry(Duration::from_secs(2));
                return Some((Ok(event), w));
            }
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "live page: could not read; the stream ends");
                return None;
            }
        }
    }
}

/// `GET /threads/{lead_id}/events`
pub async fn events(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    stop: Option<Extension<StreamsStop>>,
) -> Response {
    let account_id = user.0.account_id;
    let first = app
        .db
        .call(move |c| {
            Ok(match store::leads::get(c, account_id, lead_id)? {
                Some(_) => Some(store::conversation::fingerprint(c, account_id, lead_id)?),
                None => None,
            })
        })
        .await;
    let last = match first {
        Ok(Some(f)) => f,
        Ok(None) => return not_found(),
        Err(e) => return super::page_error(e),
    };
    let read: Read = std::sync::Arc::new(move |c| store::conversation::fingerprint(c, account_id, lead_id));
    stream(app, stop, last, read)
}

/// A stream of `changed` events for what `read` reads, starting from `first`: ends at shutdown
/// and after [`MAX_LIFE`]. (The inbox list's stream is one too.)
pub fn stream(app: App, stop: Option<Extension<StreamsStop>>, first: String, read: Read) -> Response {
    let watch = Watch {
        app,
        read,
        last: first,
        until: tokio::time::Instant::now() + MAX_LIFE,
        stop: stop.map(|s| s.0 .0),
    };
    Sse::new(futures_util::stream::unfold(watch, next))
        .keep_alive(KeepAlive::default())
        .into_response()
}
