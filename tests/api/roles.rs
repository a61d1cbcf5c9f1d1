//! Roles over real HTTP: a manager adds a rep from Settings → Users; the rep's pages hide
//! what a rep cannot change and the server refuses it; disabling ends the rep's sessions;
//! a reset password replaces the old one; the store always keeps a manager.

use crate::login::{post_login, setup, EMAIL, PASSWORD};
use crate::support::*;
use forecourt::domain::account::Vertical;

/// A signed-in session: its cookie and its forms' CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn session(t: &TestApp, email: &str, password: &str) -> Option<Session> {
    let resp = post_login(t, email, password, Some("/")).await;
    if resp.status() != 303 || resp.headers()["location"] != "/" {
        return None;
    }
    let cookie = format!("fc_session={}", set_cookie(&resp, "fc_session")?);
    let html = get(t, &cookie, "/leads").await.1;
    Some(Session {
        csrf: hidden_input(&html, "csrf"),
        cookie,
    })
}

async fn get(t: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let resp = t
        .client()
        .get(format!("{}{path}", t.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn post(t: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut f = fields.to_vec();
    if !fields.iter().any(|(k, _)| *k == "csrf") {
        f.push(("csrf", &s.csrf));
    }
    let resp = t
        .client()
        .post(format!("{}{path}", t.url))
        .header("cookie", &s.cookie)
        .form(&f)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// The password a notice hands over ("... the password XYZ (shown once ...").
fn handed_over(html: &str) -> String {
    let notice = html.split("id=\"users-notice\"").nth(1).expect("a notice");
    let before = notice.split(" (shown once").next().expect("a password in the notice");
    let word = before.rsplit(' ').next().unwrap().to_string();
    assert!(word.len() >= 12, "{word}");
    word
}

fn user_id(t: &TestApp, email: &str) -> i64 {
    t.conn()
        .query_row("SELECT id FROM users WHERE email = ?1", [email], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_rep_sees_the_figures_and_works_the_inbox_but_changes_no_setting() {
    let t = TestApp::spawn().await;
    let account = setup(&t);
    let manager = session(&t, EMAIL, PASSWORD).await.expect("the manager signs in");

    // the manager adds a rep; the password is made on the server and shown once
    let (status, html) = post(
        &t,
        &manager,
        "/settings/users",
        &[("email", "rep@lakeside.example"), ("name", "Sam"), ("role", "rep")],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let password = handed_over(&html);
    let (status, html) = post(&t, &manager, "/settings/users", &[("email", "nope"), ("role", "boss")]).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("email: must be an email address") && html.contains("role: must be one of"),
        "{html}"
    );
    let (status, _) = post(
        &t,
        &manager,
        "/settings/users",
        &[("email", "rep@lakeside.example"), ("role", "rep")],
    )
    .await;
    assert_eq!(status, 409, "the same email twice");

    let rep = session(&t, "rep@lakeside.example", &password)
        .await
        .expect("the rep signs in");
    for page in [
        "/",
        "/leads",
        "/threads",
        "/offers",
        "/messages",
        "/watchlist",
        "/experiments",
    ] {
        let (status, html) = get(&t, &rep.cookie, page).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            !html.contains("data-tab=\"settings\""),
            "{page}: a rep's tabs have no Settings"
        );
    }
    let (_, offers) = get(&t, &rep.cookie, "/offers").await;
    assert!(!offers.contains("id=\"new-offer\""), "no New offer button for a rep");
    let (_, experiments) = get(&t, &rep.cookie, "/experiments").await;
    assert!(
        !experiments.contains("id=\"experiment-form\""),
        "no experiment form for a rep"
    );
    for page in [
        "/settings",
        "/settings/users",
        "/settings/canned",
        "/settings/questions",
        "/offers/new",
        "/offers/1",
    ] {
        let (status, html) = get(&t, &rep.cookie, page).await;
        assert_eq!(status, 403, "{page}");
        assert!(html.contains("Only a manager can change"), "{page}");
    }
    let before: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM canned_replies", [], |r| r.get(0))
        .unwrap();
    for (path, fields) in [
        ("/settings/canned", vec![("shortcut", "x"), ("body", "hello")]),
        (
            "/settings/users",
            vec![("email", "evil@x.example"), ("role", "manager")],
        ),
        ("/offers/new", vec![("name", "Free")]),
        ("/experiments", vec![("name", "Hold out half")]),
        ("/experiments/1/start", vec![]),
    ] {
        let (status, _) = post(&t, &rep, path, &fields).await;
        assert_eq!(status, 403, "{path}");
    }
    let after: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM canned_replies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after, "nothing written for a rep");
    assert!(
        t.conn()
            .query_row("SELECT count(*) FROM users WHERE email = 'evil@x.example'", [], |r| r
                .get::<_, i64>(
                0
            ))
            .unwrap()
            == 0
    );

    // a manager sees the same pages with their buttons
    let (_, offers) = get(&t, &manager.cookie, "/offers").await;
    assert!(offers.contains("id=\"new-offer\"") && offers.contains("data-tab=\"settings\""));

    // disabling ends the rep's session and refuses their sign-in
    let rep_id = user_id(&t, "rep@lakeside.example");
    let (status, html) = post(
        &t,
        &manager,
        &format!("/settings/users/{rep_id}"),
        &[("action", "disable")],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let (status, _) = get(&t, &rep.cookie, "/").await;
    assert_eq!(status, 303, "the rep's session ended");
    assert!(session(&t, "rep@lakeside.example", &password).await.is_none());
    post(
        &t,
        &manager,
        &format!("/settings/users/{rep_id}"),
        &[("action", "enable")],
    )
    .await;

    // a reset password replaces the old one
    let (_, html) = post(
        &t,
        &manager,
        &format!("/settings/users/{rep_id}"),
        &[("action", "reset_password")],
    )
    .await;
    let new_password = handed_over(&html);
    assert!(session(&t, "rep@lakeside.example", &password).await.is_none());
    assert!(session(&t, "rep@lakeside.example", &new_password).await.is_some());

    // the store keeps a manager: the only one cannot step down or be disabled
    let me = user_id(&t, EMAIL);
    for fields in [vec![("action", "role"), ("role", "rep")], vec![("action", "disable")]] {
        let (status, html) = post(&t, &manager, &format!("/settings/users/{me}"), &fields).await;
        assert_eq!(status, 409, "{fields:?}");
        assert!(html.contains("no manager left"), "{html}");
    }
    // another store's login is not this store's to change
    let (other, _) = t.account("Other Store", Vertical::Automotive);
    t.user(other, "them@other.example", PASSWORD);
    let theirs = user_id(&t, "them@other.example");
    let (status, _) = post(
        &t,
        &manager,
        &format!("/settings/users/{theirs}"),
        &[("action", "disable")],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &t,
        &manager,
        &format!("/settings/users/{rep_id}"),
        &[("action", "disable"), ("csrf", "forged")],
    )
    .await;
    assert_eq!(status, 403, "a forged form");
    let _ = account;
}
