//! Headers every response carries, whatever produced it (a page, an API answer, a webhook, a
//! static file, a fallback, a redirect, an error): the browser may run and load only what this
//! site serves, never show it inside another site's frame, never guess a content type, and
//! never tell another site which page a link was followed from. Only static assets may be
//! cached; everything else may hold a customer's data or a session's CSRF token.
//!
//! The policy is strict because the pages need nothing more: no inline script or style (keep
//! it that way: put them in static/), no third-party origin.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const CONTENT_SECURITY_POLICY_VALUE: &str =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// Where static assets are served; their own `Cache-Control` is kept.
const STATIC_PREFIX: &str = "/static/";

/// Middleware: set the headers on the response to `req`.
pub async fn add(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with(STATIC_PREFIX);
    let mut resp = next.run(req).await;
    let headers = resp.headers_mut();
    headers.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
    );
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !(is_static && headers.contains_key(CACHE_CONTROL)) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
