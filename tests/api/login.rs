//! Dashboard sign-in over HTTP: the login page, CSRF, sessions, logout.

use crate::support::*;
use forecourt::domain::account::Vertical;

pub const EMAIL: &str = "manager@lakeside.example";
pub const PASSWORD: &str = "correct horse battery";

pub struct Signin {
    pub csrf: String,
    pub cookie: String,
}

pub async fn login_form(t: &TestApp) -> Signin {
    let resp = t.client().get(format!("{}/login", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = set_cookie(&resp, "fc_login_csrf").expect("login CSRF cookie");
    let html = resp.text().await.unwrap();
    Signin {
        csrf: hidden_input(&html, "csrf"),
        cookie,
    }
}

/// Fetch the login form, then post it with these credentials (and `next`, when given).
pub async fn post_login(t: &TestApp, email: &str, password: &str, next: Option<&str>) -> reqwest::Response {
    let form = login_form(t).await;
    let mut fields = vec![("email", email), ("password", password), ("csrf", &form.csrf)];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    t.client()
        .post(format!("{}/login", t.url))
        .header("cookie", format!("fc_login_csrf={}", form.cookie))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

pub async fn sign_in(t: &TestApp) -> String {
    let form = login_form(t).await;
    let resp = t
        .client()
        .post(format!("{}/login", t.url))
        .header("cookie", format!("fc_login_csrf={}", form.cookie))
        .form(&[
            ("email", EMAIL),
            ("password", PASSWORD),
            ("csrf", &form.csrf),
            ("next", "/offers"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/offers");
    let line = set_cookie_line(&resp, "fc_session").expect("session cookie");
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Lax"), "{line}");
    assert!(!line.contains("Secure"), "plain-http public URL: no Secure flag");
    set_cookie(&resp, "fc_session").unwrap()
}

pub fn setup(t: &TestApp) -> i64 {
    let (acct, _) = t.account("Lakeside Honda", Vertical::Automotive);
    t.user(acct, EMAIL, PASSWORD);
    acct
}

#[tokio::test]
async fn pages_redirect_to_login_without_a_session() {
    let t = TestApp::spawn().await;
    for page in [
        "/",
        "/leads",
        "/messages",
        "/threads",
        "/offers",
        "/watchlist",
        "/experiments",
        "/settings",
    ] {
        let resp = t.client().get(format!("{}{}", t.url, page)).send().await.unwrap();
        assert_eq!(resp.status(), 303, "{page}");
        let next = serde_urlencoded::to_string([("next", page)]).unwrap();
        assert_eq!(resp.headers()["location"], format!("/login?{next}"));
    }
}

#[tokio::test]
async fn sign_in_opens_every_page_and_sign_out_closes_them() {
    let t = TestApp::spawn().await;
    setup(&t);
    let session = sign_in(&t).await;
    let c = t.client();
    for page in [
        "/",
        "/leads",
        "/messages",
        "/threads",
        "/offers",
        "/watchlist",
        "/experiments",
        "/settings",
    ] {
        let resp = c
            .get(format!("{}{}", t.url, page))
            .header("cookie", format!("fc_session={session}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{page}");
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("Lakeside Honda") && html.contains(EMAIL),
            "{page} shows who is signed in"
        );
    }
    // the session is stored hashed
    let stored: String = t
        .conn()
        .query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, session);

    // sign out needs the session's CSRF token
    let html = c
        .get(format!("{}/", t.url))
        .header("cookie", format!("fc_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden_input(&html, "csrf");
    let refused = c
        .post(format!("{}/logout", t.url))
        .header("cookie", format!("fc_session={session}"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let still = c
        .get(format!("{}/", t.url))
        .header("cookie", format!("fc_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(still.status(), 200, "a refused logout leaves the session alone");

    let out = c
        .post(format!("{}/logout", t.url))
        .header("cookie", format!("fc_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/login");
    assert!(set_cookie_line(&out, "fc_session").unwrap().contains("Max-Age=0"));
    let after = c
        .get(format!("{}/", t.url))
        .header("cookie", format!("fc_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "the old cookie no longer works");
    let n: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_refused_alike() {
    let t = TestApp::spawn().await;
    setup(&t);
    for (email, pw) in [(EMAIL, "wrong password"), ("nobody@lakeside.example", PASSWORD)] {
        let form = login_form(&t).await;
        let resp = t
            .client()
            .post(format!("{}/login", t.url))
            .header("cookie", format!("fc_login_csrf={}", form.cookie))
            .form(&[("email", email), ("password", pw), ("csrf", &form.csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        assert!(set_cookie(&resp, "fc_session").is_none());
        let html = resp.text().await.unwrap();
        assert!(html.contains("Email or password is not right."));
        // the email typed is kept, escaped
        assert!(html.contains(&format!("value=\"{email}\"")));
    }
}

#[tokio::test]
async fn login_without_a_matching_csrf_token_is_refused() {
    let t = TestApp::spawn().await;
    setup(&t);
    let form = login_form(&t).await;
    let cases = [
        (None, form.csrf.clone()),                         // no cookie
        (Some(form.cookie.clone()), "forged".to_string()), // token does not match the cookie
        (Some(form.cookie.clone()), String::new()),        // no token
    ];
    for (cookie, token) in cases {
        let mut req = t.client().post(format!("{}/login", t.url));
        if let Some(c) = cookie {
            req = req.header("cookie", format!("fc_login_csrf={c}"));
        }
        let resp = req
            .form(&[("email", EMAIL), ("password", PASSWORD), ("csrf", &token)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403);
        assert!(set_cookie(&resp, "fc_session").is_none());
    }
    let n: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn next_never_leaves_the_site() {
    let t = TestApp::spawn().await;
    setup(&t);
    for evil in ["https://evil.example/", "//evil.example/", "/\\evil.example"] {
        let form = login_form(&t).await;
        let resp = t
            .client()
            .post(format!("{}/login", t.url))
            .header("cookie", format!("fc_login_csrf={}", form.cookie))
            .form(&[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("csrf", &form.csrf),
                ("next", evil),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
        assert_eq!(resp.headers()["location"], "/", "{evil}");
    }
}

#[tokio::test]
async fn sessions_expire() {
    let t = TestApp::spawn().await;
    setup(&t);
    let session = sign_in(&t).await;
    t.clock
        .advance(chrono::Duration::hours(t.app.config.session_hours as i64) + chrono::Duration::seconds(1));
    let resp = t
        .client()
        .get(format!("{}/", t.url))
        .header("cookie", format!("fc_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
}

#[tokio::test]
async fn cookies_are_secure_behind_an_https_public_url() {
    let t = TestApp::spawn_with(|c| c.public_url = Some("https://lakeside.example".into())).await;
    let resp = t.client().get(format!("{}/login", t.url)).send().await.unwrap();
    assert!(set_cookie_line(&resp, "fc_login_csrf").unwrap().contains("; Secure"));
}

#[tokio::test]
async fn templates_escape_what_customers_typed() {
    let t = TestApp::spawn().await;
    let acct = setup(&t);
    t.conn()
        .execute(
            "INSERT INTO leads (account_id, first_name, last_name, source, created_at, updated_at)
             VALUES (?1, '<script>alert(1)</script>', 'O''Brien & Sons', 'x', 0, 0)",
            [acct],
        )
        .unwrap();
    let session = sign_in(&t).await;
    let html = t
        .client()
        .get(format!("{}/leads", t.url))
        .header("cookie", format!("fc_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;") || html.contains("&lt;script&gt;"),
        "escaped"
    );
}
