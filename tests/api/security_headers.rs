//! Every kind of response carries the security headers: pages, API JSON, webhooks, static
//! files, fallbacks, redirects and errors. Only static assets may be cached.

use crate::browser::Browser;
use crate::login::{post_login, setup, EMAIL, PASSWORD};
use crate::messaging;
use crate::support::*;
use forecourt::domain::account::Vertical;
use std::time::{Duration, Instant};

const CSP: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

fn assert_secure(resp: &reqwest::Response, what: &str) {
    let h = resp.headers();
    let get = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what} ({}): no {name}", resp.status()))
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(get("content-security-policy"), CSP, "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "same-origin", "{what}");
}

fn assert_not_stored(resp: &reqwest::Response, what: &str) {
    assert_secure(resp, what);
    assert_eq!(resp.headers()["cache-control"], "no-store", "{what}");
}

#[tokio::test]
async fn pages_redirects_fallbacks_and_static_files_carry_the_headers() {
    let t = TestApp::spawn().await;
    setup(&t);
    let c = t.client();
    let get = |path: &str| c.get(format!("{}{path}", t.url)).send();

    let resp = get("/login").await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_not_stored(&resp, "the login page");

    let resp = get("/threads").await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_not_stored(&resp, "the signed-out redirect");

    let resp = post_login(&t, EMAIL, "wrong password", None).await;
    assert_eq!(resp.status(), 401);
    assert_not_stored(&resp, "a refused sign-in");

    let resp = c
        .post(format!("{}/login", t.url))
        .form(&[("email", EMAIL), ("password", PASSWORD), ("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_not_stored(&resp, "a forged sign-in form");

    let resp = post_login(&t, EMAIL, PASSWORD, Some("/threads")).await;
    assert_eq!(resp.status(), 303);
    assert_not_stored(&resp, "the redirect after sign-in");
    let session = set_cookie(&resp, "fc_session").unwrap();
    for page in ["/", "/threads", "/offers/new", "/settings"] {
        let resp = c
            .get(format!("{}{page}", t.url))
            .header("cookie", format!("fc_session={session}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{page}");
        assert_not_stored(&resp, page);
    }
    let resp = c
        .post(format!("{}/logout", t.url))
        .header("cookie", format!("fc_session={session}"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_not_stored(&resp, "an error page");

    let resp = get("/no-such-page").await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_not_stored(&resp, "the page fallback");

    let resp = c.delete(format!("{}/login", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    assert_not_stored(&resp, "a page's wrong method");

    let resp = get("/o/no-such-token").await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_not_stored(&resp, "an unknown offer link");

    // static assets keep their own caching, and the rest of the headers
    let resp = get("/static/app.css").await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_secure(&resp, "the stylesheet");
    assert_eq!(resp.headers()["cache-control"], "public, max-age=3600");
    let resp = get("/static/nope.css").await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_not_stored(&resp, "a missing static file");
}

#[tokio::test]
async fn api_answers_and_errors_carry_the_headers() {
    let t = TestApp::spawn().await;
    let (_, key) = t.account("Lakeside Honda", Vertical::Automotive);
    let c = t.client();

    let resp = c.get(format!("{}/healthz", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_not_stored(&resp, "healthz");

    let resp = c
        .get(format!("{}/api/account", t.url))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_not_stored(&resp, "an API answer");

    let resp = c.get(format!("{}/api/account", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_not_stored(&resp, "an API refusal");

    let resp = c
        .post(format!("{}/api/leads/webhook", t.url))
        .bearer_auth(&key)
        .json(&serde_json::json!({"phone": "not a phone"}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error(), "{}", resp.status());
    assert_not_stored(&resp, "an API validation error");

    let resp = c.get(format!("{}/api/nope", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_not_stored(&resp, "the API fallback");

    let resp = c.get(format!("{}/api/internal/tick", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    assert_not_stored(&resp, "an API wrong method");
}

#[tokio::test]
async fn webhooks_carry_the_headers() {
    let m = messaging::setup().await;
    let resp = m
        .inbound_signed("SM-headers-1", "+15125550142", "Hello", Some(crate::twilio_stub::TOKEN))
        .await;
    assert_eq!(resp.status(), 200);
    assert_not_stored(&resp, "an inbound text's TwiML");
    let resp = m.inbound_signed("SM-headers-2", "+15125550142", "Hello", None).await;
    assert!(resp.status().is_client_error(), "{}", resp.status());
    assert_not_stored(&resp, "an unsigned webhook");
}

/// Another site (here another port on this host, so the browser's local-network rules do not
/// block the frame first) cannot show the login page inside its own frame: the browser refuses,
/// where before it showed the form, ready for a click-jacking overlay.
#[tokio::test]
async fn another_site_cannot_frame_the_dashboard() {
    let t = TestApp::spawn().await;
    let framing_page = format!(
        "<!doctype html><title>evil</title><iframe id=f src='{}/login'></iframe>",
        t.url
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let evil = format!("http://{}", listener.local_addr().unwrap());
    let site = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(framing_page) }),
    );
    tokio::spawn(async move { axum::serve(listener, site).await.ok() });

    let b = Browser::start().await;
    b.goto(&format!("{evil}/")).await;
    let frame = b.wait_for("#f", Duration::from_secs(5)).await;
    b.switch_to_frame(&frame).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let framed = loop {
        let source = b.page_source().await;
        if source.contains("id=\"signin\"") || source.contains("errorCode") {
            break source;
        }
        assert!(Instant::now() < deadline, "the frame never finished loading: {source}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        !framed.contains("id=\"signin\""),
        "the login form showed inside another site's frame"
    );
    assert!(
        framed.contains("ERR_BLOCKED_BY_RESPONSE"),
        "refused because of the response's headers, not some other failure"
    );
    b.quit().await;
}
