//! Sign-in throttling over HTTP: five failures lock an email, twenty lock a client address,
//! for fifteen minutes of the app's clock; the page says so beside the form, with a 429.

use crate::login::{post_login, setup, EMAIL, PASSWORD};
use crate::support::*;
use chrono::Duration;

const UNKNOWN: &str = "nobody@lakeside.example";
const EMAIL_LIMIT: usize = 5;
const ADDRESS_LIMIT: usize = 20;

fn email_locked(minutes: &str) -> String {
    format!(
        "Too many failed sign-ins for this email. Try again in {minutes}, or ask your manager to reset your password."
    )
}

/// The refusal: 429, no session, how long to wait both in words and in Retry-After.
async fn assert_refused(resp: reqwest::Response, message: &str, retry_after_secs: i64) {
    assert_eq!(resp.status(), 429);
    assert!(set_cookie(&resp, "fc_session").is_none());
    assert_eq!(resp.headers()["retry-after"], retry_after_secs.to_string().as_str());
    let html = resp.text().await.unwrap();
    assert!(
        html.contains(&format!("<p class=\"error\" role=\"alert\">{message}</p>")),
        "the message beside the form: {html}"
    );
    assert!(html.contains("id=\"signin\""), "the form is still there");
}

#[tokio::test]
async fn five_failures_lock_an_email_known_or_not_until_fifteen_minutes_pass() {
    let t = TestApp::spawn().await;
    setup(&t);
    for email in [EMAIL, UNKNOWN] {
        for _ in 0..EMAIL_LIMIT {
            let resp = post_login(&t, email, "wrong password", None).await;
            assert_eq!(resp.status(), 401, "{email}");
        }
    }
    // the right password does not help while locked: the throttle answers before any check
    let resp = post_login(&t, EMAIL, PASSWORD, None).await;
    assert_refused(resp, &email_locked("15 minutes"), 15 * 60).await;
    // an email no login has is refused in the same words, so nothing says which emails exist
    let resp = post_login(&t, UNKNOWN, PASSWORD, None).await;
    assert_refused(resp, &email_locked("15 minutes"), 15 * 60).await;
    let sessions: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sessions, 0);

    t.clock.advance(Duration::minutes(14));
    let resp = post_login(&t, EMAIL, PASSWORD, None).await;
    assert_refused(resp, &email_locked("1 minute"), 60).await;

    t.clock.advance(Duration::minutes(1));
    let resp = post_login(&t, EMAIL, PASSWORD, None).await;
    assert_eq!(resp.status(), 303, "the lock is over");
    assert!(set_cookie(&resp, "fc_session").is_some());
}

#[tokio::test]
async fn a_successful_sign_in_starts_the_email_count_again() {
    let t = TestApp::spawn().await;
    setup(&t);
    for round in 0..2 {
        for _ in 0..EMAIL_LIMIT - 1 {
            let resp = post_login(&t, EMAIL, "wrong password", None).await;
            assert_eq!(resp.status(), 401, "round {round}");
        }
        let resp = post_login(&t, EMAIL, PASSWORD, None).await;
        assert_eq!(
            resp.status(),
            303,
            "round {round}: four failures and a success lock nothing"
        );
    }
    // and counting goes on after a success: five more failures lock it
    for _ in 0..EMAIL_LIMIT {
        assert_eq!(post_login(&t, EMAIL, "wrong password", None).await.status(), 401);
    }
    let resp = post_login(&t, EMAIL, PASSWORD, None).await;
    assert_refused(resp, &email_locked("15 minutes"), 15 * 60).await;
}

#[tokio::test]
async fn twenty_failures_from_one_address_lock_it_for_every_email() {
    let t = TestApp::spawn().await;
    let acct = setup(&t);
    t.user(acct, "rep@lakeside.example", PASSWORD);
    // successes from the address are not held against it: a whole store signs in from one
    for _ in 0..ADDRESS_LIMIT {
        assert_eq!(post_login(&t, EMAIL, PASSWORD, None).await.status(), 303);
    }
    // four failures each for five emails: no email reaches its limit, the address does
    for n in 0..ADDRESS_LIMIT {
        let email = format!("guess{}@lakeside.example", n % 5);
        assert_eq!(post_login(&t, &email, "wrong password", None).await.status(), 401);
    }
    let resp = post_login(&t, "rep@lakeside.example", PASSWORD, None).await;
    assert_refused(
        resp,
        "Too many failed sign-ins from this network. Try again in 15 minutes.",
        15 * 60,
    )
    .await;

    t.clock.advance(Duration::minutes(15));
    let resp = post_login(&t, "rep@lakeside.example", PASSWORD, None).await;
    assert_eq!(resp.status(), 303, "the lock is over");
}
