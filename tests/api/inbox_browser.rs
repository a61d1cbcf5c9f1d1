//! The inbox and the leads list in real headless Chromium on the demo dealership: opening a
//! conversation from the list, the keyboard, a 390 px phone, and the same work with
//! JavaScript off. Screenshots go to /tmp/shots/ for a human look.

use crate::browser::Browser;
use crate::support::*;
use std::time::Duration;

async fn demo() -> (TestApp, String) {
    let t = TestApp::spawn().await;
    let mut conn = t.app.db.conn().unwrap();
    let login = forecourt::demo::seed(&mut conn, &t.app.config.data_dir, t.app.now()).unwrap();
    (t, login.password)
}

fn shot(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new("/tmp/shots");
    std::fs::create_dir_all(dir).unwrap();
    dir.join(name)
}

/// Wait until the URL satisfies `want` and the page has loaded.
async fn wait_until(b: &Browser, what: &str, want: impl Fn(&str) -> bool) {
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

async fn sign_in(b: &Browser, t: &TestApp, password: &str) {
    b.goto(&format!("{}/login?next=%2Fthreads", t.url)).await;
    b.find("#email").await.send_keys(forecourt::demo::DEMO_EMAIL).await;
    b.find("#password").await.send_keys(password).await;
    b.find("#signin").await.click().await;
    wait_until(b, "the inbox", |u| u.ends_with("/threads")).await;
    b.wait_for("#threads", Duration::from_secs(10)).await;
}

/// The lead id of the row the keyboard is on.
async fn current_row(b: &Browser) -> Option<String> {
    match b.try_find("li.thread.current").await {
        Some(row) => row.attr("data-lead").await,
        None => None,
    }
}

async fn row_ids(b: &Browser) -> Vec<String> {
    let mut out = Vec::new();
    for r in b.find_all("li.thread").await {
        out.push(r.attr("data-lead").await.unwrap());
    }
    out
}

fn status_of(t: &TestApp, lead: &str) -> String {
    t.conn()
        .query_row("SELECT status FROM conversations WHERE lead_id = ?1", [lead], |r| {
            r.get(0)
        })
        .unwrap()
}

#[tokio::test]
async fn a_rep_works_the_inbox_with_the_mouse_and_the_keyboard() {
    let (t, password) = demo().await;
    let b = Browser::start().await;
    b.set_window_size(1440, 900).await;
    sign_in(&b, &t, &password).await;
    assert_eq!(b.title().await, "Inbox · Lakeside Honda (demo)");
    assert_eq!(
        b.find("nav.tabs a[aria-current='page']")
            .await
            .attr("data-tab")
            .await
            .as_deref(),
        Some("threads")
    );
    let rows = row_ids(&b).await;
    assert_eq!(rows.len(), 50, "a page of fifty conversations");
    b.screenshot(&shot("inbox-1440.png")).await;

    // j/k move, ? shows the keys, Enter opens the conversation
    b.press_keys("jj").await;
    assert_eq!(current_row(&b).await.as_ref(), Some(&rows[1]));
    b.press_keys("k").await;
    assert_eq!(current_row(&b).await.as_ref(), Some(&rows[0]));
    b.press_keys("?").await;
    assert_eq!(b.find("#keys").await.prop("open").await.as_deref(), Some("true"));
    b.screenshot(&shot("inbox-keys-1440.png")).await;
    b.press_keys("?").await;
    b.press_keys("\u{E007}").await;
    let first = format!("/threads/{}", rows[0]);
    wait_until(&b, &first, |u| u.ends_with(&first)).await;

    // e closes the current row: the list comes back without it and says so
    b.goto(&format!("{}/threads", t.url)).await;
    b.wait_for("#threads", Duration::from_secs(5)).await;
    b.press_keys("jj").await;
    b.press_keys("e").await;
    wait_until(&b, "the list after closing", |u| u.contains("done=close")).await;
    assert_eq!(status_of(&t, &rows[1]), "closed");
    assert!(b
        .find("#inbox-notice")
        .await
        .text()
        .await
        .contains("Closed 1 conversation."));
    assert!(!row_ids(&b).await.contains(&rows[1]));
    // / goes to the search box; a number typed as people type it finds its customer
    b.press_keys("/").await;
    assert_eq!(
        b.execute("return document.activeElement.id").await.as_str(),
        Some("inbox-q")
    );
    let phone: String = t
        .conn()
        .query_row(
            "SELECT phone_e164 FROM leads WHERE id = ?1",
            [rows[2].parse::<i64>().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    let typed = format!("({}) {}-{}", &phone[2..5], &phone[5..8], &phone[8..]);
    b.press_keys(&format!("{typed}\u{E007}")).await;
    wait_until(&b, "the search", |u| u.contains("q=")).await;
    assert_eq!(row_ids(&b).await, vec![rows[2].clone()], "{typed}");

    // a click on a row opens its conversation
    b.find(&format!("li.thread[data-lead='{}'] a.open", rows[2]))
        .await
        .click()
        .await;
    let third = format!("/threads/{}", rows[2]);
    wait_until(&b, &third, |u| u.ends_with(&third)).await;

    // the leads list: every row links to its conversation
    b.goto(&format!("{}/leads", t.url)).await;
    b.wait_for("#leads", Duration::from_secs(5)).await;
    assert_eq!(b.find_all("#leads a.lead-link").await.len(), 50);
    b.screenshot(&shot("leads-1440.png")).await;
    b.quit().await;
}

#[tokio::test]
async fn every_page_fits_a_390_px_phone() {
    let (t, password) = demo().await;
    let b = Browser::start().await;
    b.set_window_size(390, 844).await;
    sign_in(&b, &t, &password).await;
    for (path, name) in [
        ("/threads", "inbox-390.png"),
        ("/threads?view=all", ""),
        ("/threads?q=555", "inbox-search-390.png"),
        ("/leads", "leads-390.png"),
        ("/leads?q=nguyen", ""),
        ("/", "dashboard-390.png"),
        ("/offers", "offers-390.png"),
        ("/offers/new", ""),
        ("/watchlist", ""),
        ("/experiments", ""),
        ("/settings", "settings-390.png"),
    ] {
        b.goto(&format!("{}{path}", t.url)).await;
        b.wait_for("main", Duration::from_secs(5)).await;
        let width = b
            .execute("return document.documentElement.scrollWidth")
            .await
            .as_i64()
            .unwrap();
        let viewport = b
            .execute("return document.documentElement.clientWidth")
            .await
            .as_i64()
            .unwrap();
        assert!(
            width <= 390 && width <= viewport,
            "{path} is {width} px wide at a {viewport} px viewport"
        );
        // every field has a label, the page's tab is marked, and a skip link leads to the content
        let unlabelled = b
            .execute(
                "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                   .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
                   .map(e => e.outerHTML.slice(0, 80))",
            )
            .await;
        assert_eq!(unlabelled, serde_json::json!([]), "{path}: fields without a label");
        assert!(b.try_find("nav.tabs a[aria-current='page']").await.is_some(), "{path}");
        assert_eq!(b.find("a.skip").await.attr("href").await.as_deref(), Some("#main"));
        if !name.is_empty() {
            b.screenshot(&shot(name)).await;
        }
    }
    // touch targets: the inbox's links and buttons are at least 44 px tall
    b.goto(&format!("{}/threads", t.url)).await;
    b.wait_for("#threads", Duration::from_secs(5)).await;
    let small = b
        .execute(
            "return Array.from(document.querySelectorAll('main a, main button, main select, nav.tabs a'))
               .filter(e => e.offsetParent !== null && !e.closest('.sr-only'))
               .filter(e => e.getBoundingClientRect().height < 44)
               .map(e => e.outerHTML.slice(0, 80))",
        )
        .await;
    assert_eq!(small, serde_json::json!([]), "targets under 44 px");
    b.quit().await;
}

#[tokio::test]
async fn with_javascript_off_the_inbox_still_navigates_and_acts() {
    let (t, password) = demo().await;
    let b = Browser::start_without_javascript().await;
    sign_in(&b, &t, &password).await;
    assert_eq!(
        b.execute("return 1").await,
        serde_json::json!(1),
        "WebDriver's own scripts still run"
    );
    let rows = row_ids(&b).await;
    // the views are plain links
    b.find("nav.views a[data-view='needs_reply']").await.click().await;
    wait_until(&b, "needs reply", |u| u.contains("view=needs_reply")).await;
    b.find("nav.views a[data-view='open']").await.click().await;
    wait_until(&b, "open", |u| u.contains("view=open")).await;
    // keys do nothing without the script
    b.press_keys("j").await;
    assert_eq!(current_row(&b).await, None);
    // a row's own button is a plain form post
    b.find(&format!("li.thread[data-lead='{}'] .row-close", rows[0]))
        .await
        .click()
        .await;
    wait_until(&b, "the list after closing", |u| u.contains("done=close")).await;
    assert_eq!(status_of(&t, &rows[0]), "closed");
    // bulk: tick two rows, snooze them until the customer replies
    b.find(&format!("#sel-{}", rows[1])).await.click().await;
    b.find(&format!("#sel-{}", rows[2])).await.click().await;
    b.find("#snooze-until option[value='reply']").await.click().await;
    b.find("#bulk-snooze").await.click().await;
    wait_until(&b, "the list after snoozing", |u| u.contains("done=snooze")).await;
    assert_eq!(status_of(&t, &rows[1]), "snoozed");
    assert_eq!(status_of(&t, &rows[2]), "snoozed");
    // and a row is a link to its conversation; the tabs are links
    let next = row_ids(&b).await[0].clone();
    b.find(&format!("li.thread[data-lead='{next}'] a.open"))
        .await
        .click()
        .await;
    wait_until(&b, "a conversation", |u| u.ends_with(&format!("/threads/{next}"))).await;
    b.goto(&format!("{}/threads", t.url)).await;
    b.find("nav.tabs a[data-tab='leads']").await.click().await;
    wait_until(&b, "leads", |u| u.ends_with("/leads")).await;
    b.find("#leads-q").await.send_keys("nguyen").await;
    b.find(".search button").await.click().await;
    wait_until(&b, "the search", |u| u.contains("q=nguyen")).await;
    assert!(!b.find_all("#leads a.lead-link").await.is_empty());
    b.quit().await;
}
