//! Tracked offer links: `/o/{token}` records the click and sends the customer on to the
//! booking page. No login: the token is the key, and it only ever reveals where to book.

use crate::clock::to_unix;
use crate::upsell::attribution;
use crate::web::pages;
use crate::App;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// `GET /o/{token}`: the first click by a person accepts the offer (link previews and HEAD
/// requests are not counted), then a redirect to the offer's booking page, else the
/// account's, else a thank-you page.
pub async fn follow(State(app): State<App>, method: Method, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let count_it = method == Method::GET && !attribution::is_link_preview(ua);
    let t = to_unix(app.now());
    let token = token.chars().take(64).collect::<String>();
    match app
        .db
        .write(move |c| attribution::record_click(c, &token, count_it, t))
        .await
    {
        Ok(Some(send)) => match send.booking_url {
            Some(url) => Redirect::to(&url).into_response(),
            None => pages::error_page(
                StatusCode::OK,
                "Thanks!",
                "We've let the service team know you're interested. Your advisor will be in touch.",
            ),
        },
        Ok(None) => pages::error_page(
            StatusCode::NOT_FOUND,
            "Link not found",
            "This offer link is not valid. Please reply to our text instead.",
        ),
        Err(e) => {
            tracing::error!(error = %e, "offer link");
            pages::error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Please try again in a moment, or reply to our text.",
            )
        }
    }
}
