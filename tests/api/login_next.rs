//! `next`, where sign-in sends a person: a path on this site or `/`, whatever a crafted link
//! puts in it, at each place it is read or written (the signed-out redirect, the login form,
//! the redirect after sign-in).

use crate::browser::Browser;
use crate::login::{post_login, setup, EMAIL, PASSWORD};
use crate::support::*;
use std::time::{Duration, Instant};

/// Values of `next` (as the server receives them, already decoded once) that must become `/`.
const HOSTILE: &[&str] = &[
    "//evil.example",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "https://evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    " /threads",
    "/%0d%0aSet-Cookie:x",
    "/\r\nSet-Cookie: x=1",
    "/threads\n",
    "/threads\x0b",
    "/threads%0B",
    "/threads\0",
    "/threads\x7f",
    "/threads\u{2028}",
];

#[tokio::test]
async fn after_sign_in_next_is_a_path_on_this_site_or_root() {
    let t = TestApp::spawn().await;
    setup(&t);
    for next in HOSTILE {
        let resp = post_login(&t, EMAIL, PASSWORD, Some(next)).await;
        assert_eq!(resp.status(), 303, "{next:?}");
        assert_eq!(resp.headers()["location"], "/", "{next:?}");
        assert!(
            set_cookie(&resp, "fc_session").is_some(),
            "{next:?}: signed in all the same"
        );
    }
    for ordinary in ["/threads?x=1", "/offers/12", "/leads?q=John+Smith&page=2"] {
        let resp = post_login(&t, EMAIL, PASSWORD, Some(ordinary)).await;
        assert_eq!(resp.status(), 303);
        assert_eq!(resp.headers()["location"], ordinary);
    }
}

#[tokio::test]
async fn the_login_form_carries_only_a_same_site_next() {
    let t = TestApp::spawn().await;
    // query strings as an attacker would write them in a link
    for query in [
        "next=/%09/evil.example",
        "next=//evil.example",
        "next=%2F%5Cevil.example",
        "next=/%252F%252Fevil.example",
        "next=https://evil.example",
        "next=javascript:alert(1)",
        "next=/%0d%0aSet-Cookie:x",
        "next=/%250d%250aSet-Cookie:x",
        "next=/threads%0B",
        "next=/threads%00",
    ] {
        let resp = t.client().get(format!("{}/login?{query}", t.url)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{query}");
        assert_eq!(hidden_input(&resp.text().await.unwrap(), "next"), "/", "{query}");
    }
    let resp = t
        .client()
        .get(format!("{}/login?next=%2Fthreads%3Fx%3D1", t.url))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden_input(&resp.text().await.unwrap(), "next"), "/threads?x=1");
}

#[tokio::test]
async fn a_signed_out_visitor_is_sent_to_login_with_a_same_site_next() {
    let t = TestApp::spawn().await;
    let location = |resp: &reqwest::Response| resp.headers()["location"].to_str().unwrap().to_string();
    let resp = t.client().get(format!("{}/threads?x=1", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/login?next=%2Fthreads%3Fx%3D1");
    for hostile in [
        "/threads?x=%0d%0a",
        "/threads?x=%09",
        "/offers/%0d%0aSet-Cookie:x",
        "/leads?q=%5C",
    ] {
        let resp = t.client().get(format!("{}{hostile}", t.url)).send().await.unwrap();
        assert_eq!(resp.status(), 303, "{hostile}");
        assert_eq!(location(&resp), "/login?next=%2F", "{hostile}");
    }
}

/// The attack as reported: Chromium, given `/login?next=/%09/evil.example`, dropped the tab and
/// followed `//evil.example` to another host after a correct sign-in.
#[tokio::test]
async fn a_crafted_link_keeps_the_browser_on_the_site_after_sign_in() {
    let t = TestApp::spawn().await;
    setup(&t);
    let b = Browser::start().await;
    b.goto(&format!("{}/login?next=/%09/evil.example", t.url)).await;
    b.find("#email").await.send_keys(EMAIL).await;
    b.find("#password").await.send_keys(PASSWORD).await;
    b.find("#signin").await.click().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let url = loop {
        let url = b.current_url().await;
        if !url.contains("/login") {
            break url;
        }
        assert!(Instant::now() < deadline, "sign-in never finished; at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(url, format!("{}/", t.url), "signed in and still on this site");
    b.quit().await;
}
