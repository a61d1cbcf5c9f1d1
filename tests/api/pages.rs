//! The dashboard as a person sees it: real headless Chromium against the real server with the
//! demo dealership loaded. Screenshots land in target/screenshots/ for a human look.

use crate::browser::Browser;
use crate::support::*;
use std::time::Duration;

pub(crate) async fn demo_app() -> (TestApp, String) {
    let t = TestApp::spawn().await;
    let mut conn = t.app.db.conn().unwrap();
    let login = forecourt::demo::seed(&mut conn, &t.app.config.data_dir, t.app.now()).unwrap();
    assert!(login.created);
    // the demo's history obeys the rules it shows: nobody got a text after saying STOP
    let after_stop: i64 = t
        .conn()
        .query_row(
            "SELECT count(*) FROM messages_out m JOIN leads l ON l.id = m.lead_id
             WHERE l.opted_out = 1 AND m.sent_at > l.opted_out_at",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(after_stop, 0);
    // and all of it is history: no text sent or received after now (threads once showed
    // texts from tomorrow)
    let now = forecourt::clock::to_unix(t.app.now());
    let future: i64 = t
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM messages_out WHERE sent_at > ?1)
                  + (SELECT count(*) FROM messages_in WHERE received_at > ?1)
                  + (SELECT count(*) FROM deals WHERE sold_at > ?1)
                  + (SELECT count(*) FROM ownerships WHERE purchased_at > ?1 OR ended_at > ?1)",
            [now],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(future, 0, "the demo's history has texts, deals or ownerships after now");
    (t, login.password)
}

/// Wait until the browser's URL satisfies `want` and the page has loaded (a click's page load
/// is asynchronous: without this, a test may read the page it just left).
pub(crate) async fn wait_until(b: &Browser, what: &str, want: impl Fn(&str) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let url = b.current_url().await;
        if want(&url) && b.page_source().await.contains("</html>") {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "never reached {what}; at {url}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn wait_url(b: &Browser, part: &str) {
    wait_until(b, part, |u| u.contains(part)).await
}

pub(crate) fn shot(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

pub(crate) async fn sign_in(b: &Browser, t: &TestApp, password: &str) {
    b.goto(&format!("{}/", t.url)).await;
    assert!(
        b.current_url().await.contains("/login?next=%2F"),
        "signed-out visitors land on the login page"
    );
    b.find("#email").await.send_keys(forecourt::demo::DEMO_EMAIL).await;
    b.find("#password").await.send_keys(password).await;
    b.find("#signin").await.click().await;
    wait_until(b, "the dashboard", |u| !u.contains("/login")).await;
    b.wait_for(".cards", Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_manager_signs_in_and_walks_every_tab() {
    let (t, password) = demo_app().await;
    let b = Browser::start().await;

    // a wrong password first: the form says so and keeps the email
    b.goto(&format!("{}/login", t.url)).await;
    b.find("#email").await.send_keys(forecourt::demo::DEMO_EMAIL).await;
    b.find("#password").await.send_keys("not the password").await;
    b.find("#signin").await.click().await;
    let alert = b.wait_for(".error", Duration::from_secs(5)).await;
    assert_eq!(alert.text().await, "Email or password is not right.");
    assert_eq!(
        b.find("#email").await.prop("value").await.as_deref(),
        Some(forecourt::demo::DEMO_EMAIL)
    );

    sign_in(&b, &t, &password).await;
    assert_eq!(b.title().await, "Dashboard · Lakeside Honda (demo)");
    // the stylesheet loads under the Content-Security-Policy (a policy that broke it would show)
    assert_eq!(
        b.find(".topbar").await.css("background-color").await,
        "rgba(17, 24, 39, 1)"
    );
    let cards = b.find_all(".card").await;
    assert_eq!(cards.len(), 7);
    let customers = cards[5].text().await;
    assert!(
        customers.contains("Customers") && customers.contains("3,000"),
        "{customers}"
    );
    // a season of surveys shows: some customers covered, most questions answered
    let survey = cards[6].text().await;
    let covered: f64 = survey
        .lines()
        .find_map(|l| l.trim().strip_suffix('%')?.parse().ok())
        .unwrap_or(0.0);
    assert!(survey.contains("Survey coverage") && covered > 0.0, "{survey}");
    assert!(survey.contains("% of questions answered"), "{survey}");
    // the period's figures sit beside the previous period's, and the job loop reads as words
    assert!(
        cards[0].text().await.contains("previous period"),
        "{}",
        cards[0].text().await
    );
    assert_eq!(b.find_all("#today .today li").await.len(), 7);
    assert!(b
        .find("#system")
        .await
        .text()
        .await
        .contains("Texts waiting to be sent"));
    // every card carries a number from the database, not a placeholder
    for c in &cards {
        let text = c.text().await;
        assert!(text.chars().any(|ch| ch.is_ascii_digit()), "{text}");
    }
    let session = b.cookies().await;
    let session = session
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "fc_session")
        .expect("session cookie")
        .clone();
    assert_eq!(session["httpOnly"], true);
    assert_eq!(session["sameSite"], "Lax");
    b.screenshot(&shot("dashboard.png")).await;

    for (tab, marker) in [
        ("leads", "#leads"),
        ("threads", "#threads"),
        ("offers", "#offers"),
        ("watchlist", ".empty"),
        ("experiments", ".empty"),
        ("settings", "#state-rules"),
    ] {
        b.find(&format!("nav a[data-tab='{tab}']")).await.click().await;
        wait_url(&b, &format!("/{tab}")).await;
        b.wait_for(marker, Duration::from_secs(5)).await;
        assert_eq!(
            b.find("nav a.active").await.attr("data-tab").await.as_deref(),
            Some(tab)
        );
        b.screenshot(&shot(&format!("{tab}.png"))).await;
    }
    let rules = b.find("#state-rules").await.text().await;
    assert!(
        rules.contains("TX")
            && rules.contains("12:00–21:00")
            && rules.contains("3 per 24 h")
            && rules.contains("3 per 24 h, none for a purchase in the last 18 months"),
        "{rules}"
    );

    // search the leads list
    b.find("nav a[data-tab='leads']").await.click().await;
    wait_url(&b, "/leads").await;
    let rows_before = b.find_all("#leads tbody tr").await.len();
    assert_eq!(rows_before, 50, "a page of fifty");
    b.find("input[name=q]").await.send_keys("Nguyen").await;
    b.find(".search button").await.click().await;
    wait_url(&b, "q=Nguyen").await;
    b.wait_for("#leads", Duration::from_secs(5)).await;
    let rows = b.find_all("#leads tbody tr").await;
    assert!(!rows.is_empty() && rows.len() <= 50);
    for r in rows.iter().take(5) {
        assert!(r.text().await.contains("Nguyen"));
    }

    // offers show what the demo history earned
    b.find("nav a[data-tab='offers']").await.click().await;
    wait_url(&b, "/offers").await;
    let offers = b.find("#offers").await.text().await;
    assert!(offers.contains("$"), "{offers}");

    // sign out returns to the login page and the dashboard is closed again
    b.find("#logout").await.click().await;
    wait_url(&b, "/login").await;
    b.wait_for("#signin", Duration::from_secs(5)).await;
    b.goto(&format!("{}/", t.url)).await;
    assert!(b.current_url().await.contains("/login"));
    b.quit().await;
}

#[tokio::test]
async fn a_manager_adds_an_offer_fixes_its_mistakes_and_retires_it() {
    let (t, password) = demo_app().await;
    let b = Browser::start().await;
    sign_in(&b, &t, &password).await;
    b.find("nav a[data-tab='offers']").await.click().await;
    wait_url(&b, "/offers").await;
    b.find("#new-offer").await.click().await;
    wait_url(&b, "/offers/new").await;

    // a first try with mistakes: every one is shown beside its field, and nothing is saved
    b.find("input[name=name]").await.send_keys("Holiday Detail").await;
    b.find("input[name=price]").await.send_keys("twelve").await;
    let rule = b.find("textarea[name=rule]").await;
    rule.clear().await;
    rule.send_keys(r#"{"phases": ["lunch"], "months": [12]}"#).await;
    b.find("#save-offer").await.click().await;
    b.wait_for("#form-errors", Duration::from_secs(5)).await;
    let page = b.find("main").await.text().await;
    assert!(page.contains("price: must be an amount in dollars"), "{page}");
    assert!(page.contains("rule.phases[0]: unknown phase \"lunch\""), "{page}");
    assert!(page.contains("must not be empty"), "the text is required: {page}");
    assert_eq!(
        b.find("input[name=name]").await.prop("value").await.as_deref(),
        Some("Holiday Detail"),
        "what was typed is kept"
    );
    b.screenshot(&shot("offer-form-errors.png")).await;
    let saved: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM offers WHERE name = 'Holiday Detail'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(saved, 0);

    // fixed: saved, listed
    let price = b.find("input[name=price]").await;
    price.clear().await;
    price.send_keys("$149.95").await;
    let rule = b.find("textarea[name=rule]").await;
    rule.clear().await;
    rule.send_keys(r#"{"phases": ["t_plus_24h"], "months": [12]}"#).await;
    b.find("input[name=op_codes]").await.send_keys("detail, DTL2").await;
    b.find("textarea[name=body_template]")
        .await
        .send_keys("Hi {first_name}, treat your {vehicle} to a holiday detail for {price}: {link}")
        .await;
    b.find("#save-offer").await.click().await;
    wait_until(&b, "the offers list", |u| u.ends_with("/offers")).await;
    let row = b.find("#offers").await.text().await;
    assert!(row.contains("Holiday Detail") && row.contains("$149.95"), "{row}");
    let (price_cents, codes, rule): (i64, String, String) = t
        .conn()
        .query_row(
            "SELECT price_cents, op_codes_json, rule_json FROM offers WHERE name = 'Holiday Detail'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((price_cents, codes.as_str()), (14995, r#"["DETAIL","DTL2"]"#));
    assert_eq!(rule, r#"{"months":[12],"phases":["t_plus_24h"]}"#);

    // open it again from the list and retire it
    let id: i64 = t
        .conn()
        .query_row("SELECT id FROM offers WHERE name = 'Holiday Detail'", [], |r| r.get(0))
        .unwrap();
    b.find(&format!("#offers a[href='/offers/{id}']")).await.click().await;
    wait_url(&b, &format!("/offers/{id}")).await;
    assert_eq!(
        b.find("input[name=price]").await.prop("value").await.as_deref(),
        Some("149.95")
    );
    b.screenshot(&shot("offer-form.png")).await;
    b.find("#retire-offer").await.click().await;
    wait_until(&b, "the offers list", |u| u.ends_with("/offers")).await;
    let active: bool = t
        .conn()
        .query_row("SELECT active FROM offers WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert!(!active);
    b.quit().await;
}
