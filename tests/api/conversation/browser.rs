//! The conversation page in real headless Chromium: with JavaScript, live, and without it.

use super::*;

/// A real Chromium: open a demo customer's conversation from the leads data, read the card,
/// watch the count under the box change as a rep types, send, and see the text in the thread;
/// then the same page at phone width, with nothing wider than the screen.
#[tokio::test]
async fn in_a_browser_a_rep_opens_a_conversation_replies_and_sees_the_text() {
    use crate::browser::Browser;
    use crate::pages::{demo_app, sign_in, wait_url};
    use std::time::Duration;

    let (t, password) = demo_app().await;
    // a customer with history, vehicles, visits and an offer: the fullest card the demo has
    let lead: i64 = t
        .conn()
        .query_row(
            "SELECT l.id FROM leads l
             WHERE l.opted_out = 0 AND l.textable = 1 AND l.phone_e164 IS NOT NULL
             ORDER BY EXISTS (SELECT 1 FROM offer_sends s WHERE s.lead_id = l.id AND s.offer_id IS NOT NULL) DESC,
                      EXISTS (SELECT 1 FROM messages_in i WHERE i.lead_id = l.id) DESC,
                      EXISTS (SELECT 1 FROM ownerships o WHERE o.lead_id = l.id) DESC,
                      (SELECT count(*) FROM service_events e WHERE e.lead_id = l.id) DESC, l.id
             LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let account: i64 = t
        .conn()
        .query_row("SELECT account_id FROM leads WHERE id = ?1", [lead], |r| r.get(0))
        .unwrap();
    t.write(|tx| {
        let c = forecourt::domain::canned::check("ready", "Hi {first_name}, your {vehicle} is ready.").unwrap();
        forecourt::store::canned::save(tx, account, None, &c, 0)
    });
    let b = Browser::start().await;
    b.set_window_size(1440, 900).await;
    sign_in(&b, &t, &password).await;
    b.goto(&format!("{}/threads/{lead}", t.url)).await;
    wait_url(&b, &format!("/threads/{lead}")).await;
    b.wait_for("#reply-body", Duration::from_secs(10)).await;
    let card = b.find("#card").await.text().await;
    assert!(card.contains("Phone") && card.contains("For the rules"), "{card}");
    let phone = b.find("#card-phone").await.text().await;
    assert!(
        phone.starts_with('(') && phone.contains(") "),
        "written as people write it: {phone}"
    );
    let verdict = b.find("#verdict").await.text().await;
    assert!(verdict.starts_with("If you send now:"), "{verdict}");

    // keys on the page: r puts the cursor in the reply box, / opens the canned replies there
    b.eval("document.activeElement.blur(); document.body.focus(); return 0;")
        .await;
    b.press_keys("r").await;
    let focused = b.eval("return document.activeElement.id;").await;
    assert_eq!(focused, serde_json::json!("reply-body"));
    b.eval("document.activeElement.blur(); return 0;").await;
    b.press_keys("/").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !b.find("#canned-suggest").await.text().await.contains("/ready") {
        assert!(
            std::time::Instant::now() < deadline,
            "/ on the page never listed the canned replies"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // the count under the box follows what is typed (static/conversation.js, under the CSP)
    let box_ = b.find("#reply-body").await;
    box_.clear().await;
    box_.send_keys("Your car is ready 👍").await;
    let size = b.find("#reply-size").await.text().await;
    assert_eq!(size, "19 / 1600 characters · 1 text (UCS-2)");
    // "/" and a shortcut's first letters list the canned replies; Enter puts the text in
    box_.clear().await;
    box_.send_keys("/rea").await;
    // each key re-renders the list: wait until it shows the match
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !b.find("#canned-suggest").await.text().await.contains("/ready") {
        assert!(
            std::time::Instant::now() < deadline,
            "the canned replies never listed /ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    box_.send_keys("\u{E007}").await; // Enter
    let filled = box_.prop("value").await.unwrap_or_default();
    assert!(filled.starts_with("Hi ") && filled.ends_with(" is ready."), "{filled}");
    assert!(!filled.contains('{'), "filled in for the customer: {filled}");
    box_.clear().await;
    box_.send_keys("Your car is ready for pickup at the service desk.")
        .await;
    assert!(b.find("#reply-size").await.text().await.contains("(GSM-7)"));
    b.eval("document.getElementById('reply').scrollIntoView(); return 0;")
        .await;
    b.screenshot(std::path::Path::new("/tmp/shots/conversation-1440-reply.png"))
        .await;
    b.eval("window.scrollTo(0, 0); return 0;").await;
    b.screenshot(std::path::Path::new("/tmp/shots/conversation-1440.png"))
        .await;

    let submit = match b.try_find("#send-reply").await {
        Some(send) => send,
        None => b.find("#approve-draft").await,
    };
    submit.click().await;
    wait_url(&b, "sent=").await;
    b.wait_for("#sent-notice", Duration::from_secs(10)).await;
    let thread = b.find("#history").await.text().await;
    assert!(
        thread.contains("Your car is ready for pickup at the service desk."),
        "{thread}"
    );

    // phone width: the page never scrolls sideways, every button is a 44 px target
    b.set_window_size(390, 844).await;
    b.goto(&format!("{}/threads/{lead}", t.url)).await;
    b.wait_for("#reply-body", Duration::from_secs(10)).await;
    let wide = b
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        .await;
    assert_eq!(wide, serde_json::json!(0), "the page is wider than the phone");
    let small = b
        .eval(
            "return Array.from(document.querySelectorAll('.conversation button, .conversation summary'))
               .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).length;",
        )
        .await;
    assert_eq!(small, serde_json::json!(0), "touch targets under 44 px");
    b.screenshot(std::path::Path::new("/tmp/shots/conversation-390.png"))
        .await;
    b.eval("document.getElementById('reply').scrollIntoView(); return 0;")
        .await;
    b.screenshot(std::path::Path::new("/tmp/shots/conversation-390-reply.png"))
        .await;
    b.eval("document.getElementById('card').scrollIntoView(); return 0;")
        .await;
    b.screenshot(std::path::Path::new("/tmp/shots/conversation-390-card.png"))
        .await;

    // Settings → Canned replies fits the phone too
    b.goto(&format!("{}/settings/canned", t.url)).await;
    b.wait_for("#new-canned", Duration::from_secs(10)).await;
    let wide = b
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        .await;
    assert_eq!(
        wide,
        serde_json::json!(0),
        "the canned replies page is wider than the phone"
    );
    b.screenshot(std::path::Path::new("/tmp/shots/canned-390.png")).await;
    b.quit().await;
}

/// Real Chromium, the page left open: a question arrives and its draft comes into the box, then a
/// STOP arrives, and the page shows it without a reload (SSE and htmx) and turns the button off.
#[tokio::test]
async fn in_a_browser_a_stop_that_arrives_while_the_page_is_open_is_shown_and_the_box_refuses() {
    use crate::browser::Browser;
    use crate::pages::{wait_until, wait_url};
    use std::time::Duration;

    let m = setup().await;
    let lead = ana(&m).await;
    m.t.user(m.account_id, REP, PASSWORD);
    let b = Browser::start().await;
    b.goto(&format!("{}/threads/{lead}", m.t.url)).await;
    wait_url(&b, "/login").await;
    b.find("#email").await.send_keys(REP).await;
    b.find("#password").await.send_keys(PASSWORD).await;
    b.find("#signin").await.click().await;
    wait_until(&b, "the conversation", |u| u.contains(&format!("/threads/{lead}"))).await;
    b.wait_for("#reply-body", Duration::from_secs(10)).await;
    assert!(b.find("#verdict").await.text().await.contains("Sends now."));
    assert_eq!(b.find("#send-reply").await.attr("disabled").await, None);

    // a question arrives: its drafted reply comes into the (empty) box by itself
    m.inbound("SM70", ANA, "Are you open Saturday?").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let seen = b
            .eval(
                "return [document.querySelector('#history').innerText, document.querySelector('#reply-body').value,
                         !!document.querySelector('#approve-draft')];",
            )
            .await;
        let (history, draft) = (seen[0].as_str().unwrap_or(""), seen[1].as_str().unwrap_or(""));
        if history.contains("Are you open Saturday?") && draft.contains("Lakeside Honda") && seen[2] == true {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the draft never came: {seen}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    m.inbound("SM7", ANA, "STOP").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        // read in one script: htmx may be swapping the parts in between two WebDriver calls
        let seen = b
            .eval(
                "return [document.querySelector('#history').innerText, document.querySelector('#verdict').innerText];",
            )
            .await;
        let (history, verdict) = (seen[0].as_str().unwrap_or(""), seen[1].as_str().unwrap_or(""));
        if history.contains("Opted out (texted STOP)") && verdict.contains("Blocked: opted out") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page never showed the STOP: {history} / {verdict}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        b.find("#approve-draft").await.attr("disabled").await.as_deref(),
        Some("true")
    );
    assert!(b.find("#card-consent").await.text().await.contains("Opted out"));
    b.quit().await;
}

/// With JavaScript off, the page is plain forms: a rep still approves a draft and replies, sees
/// the count the server wrote under the box, and at 22:00 customer time is told the reply is held
/// until when, and it goes at that hour.
#[tokio::test]
async fn in_a_browser_without_javascript_a_rep_still_replies_and_approves_a_draft() {
    use crate::browser::Browser;
    use crate::pages::{wait_until, wait_url};
    use std::time::Duration;

    let m = setup().await;
    let lead = ana(&m).await;
    m.t.user(m.account_id, REP, PASSWORD);
    m.inbound("SM8", ANA, "Do you have a loaner for Friday?").await;
    let b = Browser::start_without_javascript().await;
    b.goto(&format!("{}/threads/{lead}", m.t.url)).await;
    wait_url(&b, "/login").await;
    b.find("#email").await.send_keys(REP).await;
    b.find("#password").await.send_keys(PASSWORD).await;
    b.find("#signin").await.click().await;
    wait_until(&b, "the conversation", |u| u.contains(&format!("/threads/{lead}"))).await;
    b.wait_for("#reply-body", Duration::from_secs(10)).await;
    let scripts = b.eval("return typeof window.htmx;").await;
    assert_eq!(scripts, serde_json::json!("undefined"), "scripts are off in the page");

    // the draft is in the box; the rep edits it and approves
    let box_ = b.find("#reply-body").await;
    assert!(box_.prop("value").await.unwrap_or_default().contains("Lakeside Honda"));
    box_.clear().await;
    box_.send_keys("Yes, a loaner is ready for you Friday.").await;
    b.find("#approve-draft").await.click().await;
    wait_url(&b, "sent=").await;
    b.wait_for("#sent-notice", Duration::from_secs(10)).await;
    let history = b.find("#history").await.text().await;
    assert!(history.contains("Yes, a loaner is ready for you Friday."), "{history}");
    assert!(b.try_find("#draft-note").await.is_none());

    // too long: refused by the server, with its count under the box
    let long = "x".repeat(1601);
    b.find("#reply-body").await.send_keys(&long).await;
    b.find("#send-reply").await.click().await;
    // (the page is being replaced: wait on its source, not on an element of the page it leaves)
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !b.page_source().await.contains("a text can be at most 1600") {
        assert!(std::time::Instant::now() < deadline, "no refusal shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let error = b.find("#reply-error").await.text().await;
    assert!(error.contains("a text can be at most 1600"), "{error}");
    assert!(b
        .find("#reply-size")
        .await
        .text()
        .await
        .starts_with("1601 / 1600 characters"));
    let box_ = b.find("#reply-body").await;
    box_.clear().await;
    box_.send_keys("See you Friday.").await;
    b.find("#send-reply").await.click().await;
    wait_url(&b, "sent=").await;
    b.wait_for("#sent-notice", Duration::from_secs(10)).await;
    assert!(b.find("#history").await.text().await.contains("See you Friday."));
    m.tick(T0).await;
    assert_eq!(
        m.stub.received().last().unwrap().form["Body"],
        "See you Friday.",
        "sent at a legal moment"
    );

    // 22:00 in Austin (the session ended meanwhile: signed in again): the page says the reply
    // will be held until Texas allows texts, and the tick at that hour sends it
    m.t.clock.set(at("2026-11-25T04:00:00Z"));
    b.goto(&format!("{}/threads/{lead}", m.t.url)).await;
    wait_url(&b, "/login").await;
    b.find("#email").await.send_keys(REP).await;
    b.find("#password").await.send_keys(PASSWORD).await;
    b.find("#signin").await.click().await;
    wait_until(&b, "the conversation", |u| u.contains(&format!("/threads/{lead}"))).await;
    b.wait_for("#reply-body", Duration::from_secs(10)).await;
    let verdict = b.find("#verdict").await.text().await;
    assert!(
        verdict.contains("Will be held until Wed Nov 25 09:00 CST because of"),
        "{verdict}"
    );
    b.find("#reply-body")
        .await
        .send_keys("Your loaner keys are at the desk.")
        .await;
    b.find("#send-reply").await.click().await;
    wait_url(&b, "sent=").await;
    let notice = b.wait_for("#sent-notice", Duration::from_secs(10)).await.text().await;
    assert!(notice.contains("held until Wed Nov 25 09:00 CST"), "{notice}");
    let sent = m.stub.received().len();
    m.tick("2026-11-25T05:00:00Z").await;
    assert_eq!(m.stub.received().len(), sent, "nothing goes in the night");
    m.tick("2026-11-25T15:00:00Z").await;
    assert_eq!(
        m.stub.received().last().unwrap().form["Body"],
        "Your loaner keys are at the desk."
    );
    b.goto(&format!("{}/threads/{lead}", m.t.url)).await;
    b.wait_for("#history", Duration::from_secs(10)).await;
    let history = b.find("#history").await.text().await;
    assert!(!history.contains("deferred until"), "the held reply went: {history}");
    b.quit().await;
}

/// In Chromium: a rep finds a customer by every way people write a phone number, opens them,
/// marks the offer they were texted accepted with revenue, and sees the Offers page change.
#[tokio::test]
async fn in_a_browser_a_rep_finds_a_customer_by_any_phone_form_and_marks_an_offer_accepted() {
    use crate::browser::Browser;
    use crate::pages::{demo_app, sign_in, wait_url};
    use std::time::Duration;

    let (t, password) = demo_app().await;
    // a customer's latest offer, not decided yet
    let (lead, send, phone, offer): (i64, i64, String, i64) = t
        .conn()
        .query_row(
            "SELECT s.lead_id, s.id, l.phone_e164, s.offer_id FROM offer_sends s JOIN leads l ON l.id = s.lead_id
             WHERE s.offer_id IS NOT NULL AND s.accepted IS NULL AND s.message_out_id IS NOT NULL
               AND l.phone_e164 IS NOT NULL AND l.opted_out = 0
               AND s.id = (SELECT max(x.id) FROM offer_sends x WHERE x.lead_id = s.lead_id AND x.offer_id IS NOT NULL)
             ORDER BY s.id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let d = &phone[2..]; // +1AAAPPPLLLL
    let (area, prefix, line) = (&d[..3], &d[3..6], &d[6..]);
    let b = Browser::start().await;
    b.set_window_size(1440, 900).await;
    sign_in(&b, &t, &password).await;
    for typed in [
        format!("({area}) {prefix}-{line}"),
        format!("{area}-{prefix}-{line}"),
        format!("{area}{prefix}{line}"),
        format!("+1 {area} {prefix} {line}"),
        format!("{prefix}-{line}"),
    ] {
        b.goto(&format!("{}/threads", t.url)).await;
        let q = b.find("#inbox-q").await;
        q.clear().await;
        q.send_keys(&format!("{typed}\u{E007}")).await;
        wait_url(&b, "q=").await;
        let found = b.find_all(&format!("a[href='/threads/{lead}']")).await;
        assert!(!found.is_empty(), "{typed} did not find the customer");
    }
    // the last four digits, which others share: someone is found, and it can be narrowed
    b.goto(&format!("{}/threads", t.url)).await;
    b.find("#inbox-q").await.send_keys(&format!("{line}\u{E007}")).await;
    wait_url(&b, "q=").await;
    assert!(
        b.page_source().await.contains("found for"),
        "the last four digits find someone"
    );

    let revenue_row = |html: &str| -> String {
        let at = html
            .find(&format!("href=\"/offers/{offer}\""))
            .expect("the offer's row");
        html[at..at + html[at..].find("</tr>").unwrap()].to_string()
    };
    b.goto(&format!("{}/offers", t.url)).await;
    let before = revenue_row(&b.page_source().await);

    b.goto(&format!("{}/threads/{lead}", t.url)).await;
    wait_url(&b, &format!("/threads/{lead}")).await;
    b.eval(&format!(
        "document.getElementById('revenue-{send}').closest('details').open = true; return 0;"
    ))
    .await;
    b.find(&format!("#revenue-{send}")).await.send_keys("1234.50").await;
    b.find(&format!("#note-{send}"))
        .await
        .send_keys("added at the desk")
        .await;
    b.find(&format!("#accept-{send}")).await.click().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !b.page_source().await.contains("added at the desk") {
        assert!(std::time::Instant::now() < deadline, "the outcome never showed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.goto(&format!("{}/offers", t.url)).await;
    let after = revenue_row(&b.page_source().await);
    assert_ne!(
        before, after,
        "the Offers page counts the accepted offer and its revenue"
    );
    assert_eq!(
        t.conn()
            .query_row(
                &format!("SELECT accepted, revenue_attributed_cents FROM offer_sends WHERE id = {send}"),
                [],
                |r| { Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)) }
            )
            .unwrap(),
        (1, 123_450)
    );
}
