//! The conversation page over real HTTP, signed in: the history, the gate's verdict before a
//! reply, replies now and later (and held at night), drafts, the offer panel, the customer card;
//! CSRF, account scoping and bad input (a clear message, nothing written).

use crate::login::post_login;
use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use crate::upsell::{appointment_csv, catalog};
use forecourt::domain::account::Vertical;
use serde_json::json;

const ANA: &str = "+15125550142";
const REP: &str = "rep@lakeside.example";
const PASSWORD: &str = "correct horse battery";

/// A signed-in rep of the messaging setup's store.
pub struct Rep {
    pub cookie: String,
}

pub async fn sign_in(m: &Messaging) -> Rep {
    m.t.user(m.account_id, REP, PASSWORD);
    log_in(m).await
}

/// A new session for the rep (sessions end: a test that moves the clock a day signs in again).
pub async fn log_in(m: &Messaging) -> Rep {
    let resp = post_login(&m.t, REP, PASSWORD, None).await;
    assert_eq!(resp.status(), 303);
    Rep {
        cookie: format!("fc_session={}", set_cookie(&resp, "fc_session").unwrap()),
    }
}

impl Rep {
    pub async fn get(&self, m: &Messaging, path: &str) -> (u16, String) {
        let resp =
            m.t.client()
                .get(format!("{}{path}", m.t.url))
                .header("cookie", &self.cookie)
                .send()
                .await
                .unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    }

    /// Post a form; a redirect is followed (as a browser does) and its page returned.
    pub async fn post(&self, m: &Messaging, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let resp =
            m.t.client()
                .post(format!("{}{path}", m.t.url))
                .header("cookie", &self.cookie)
                .form(form)
                .send()
                .await
                .unwrap();
        let status = resp.status().as_u16();
        if status == 303 {
            let to = resp.headers()["location"].to_str().unwrap().to_string();
            return self.get(m, &to).await;
        }
        (status, resp.text().await.unwrap())
    }

    pub async fn csrf(&self, m: &Messaging, lead: i64) -> String {
        let (status, html) = self.get(m, &format!("/threads/{lead}")).await;
        assert_eq!(status, 200, "{html}");
        hidden_input(&html, "csrf")
    }
}

async fn ana(m: &Messaging) -> i64 {
    m.lead(json!({"first_name": "Ana", "last_name": "Lopez", "phone": "(512) 555-0142", "state": "TX"}))
        .await
}

fn outbound(m: &Messaging) -> i64 {
    count(&m.t, "SELECT count(*) FROM messages_out")
}

#[tokio::test]
async fn a_rep_reads_the_thread_sees_the_verdict_and_replies_now_and_at_night() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    m.inbound("SM1", ANA, "Is my car ready?").await;

    // Tuesday 09:00 in Austin: the gate lets a reply go now
    let (status, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ana Lopez") && html.contains("(512) 555-0142"), "{html}");
    assert!(html.contains("Is my car ready?"));
    assert!(
        html.contains("Tuesday, November 24, 2026"),
        "grouped by day in the account's zone"
    );
    assert!(html.contains("Sends now."), "{html}");
    let csrf = hidden_input(&html, "csrf");

    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[("csrf", &csrf), ("body", "Yes, it is ready!"), ("action", "send")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Reply queued"), "{html}");
    m.tick(T0).await;
    assert_eq!(m.stub.received().last().unwrap().form["Body"], "Yes, it is ready!");
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(html.contains("Yes, it is ready!") && html.contains(">sent<"), "{html}");
    assert!(html.contains(">reply<"), "the purpose is shown");
    assert!(html.contains("by rep@lakeside.example"));

    // 22:00 in Austin: held, and the page says until when, before and after sending
    m.t.clock.set(at("2026-11-25T04:00:00Z"));
    let rep = log_in(&m).await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    let csrf = hidden_input(&html, "csrf");
    assert!(
        html.contains("Will be held until Wed Nov 25 09:00 CST because of"),
        "{html}"
    );
    let (_, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[("csrf", &csrf), ("body", "See you tomorrow."), ("action", "send")],
        )
        .await;
    assert!(html.contains("held until Wed Nov 25 09:00 CST"), "{html}");
    assert!(html.contains("deferred until Wed Nov 25 09:00 CST"), "{html}");
    let sent = m.stub.received().len();
    m.tick("2026-11-25T05:00:00Z").await;
    assert_eq!(m.stub.received().len(), sent, "nothing goes in the night");
    m.tick("2026-11-25T15:00:00Z").await;
    assert_eq!(m.stub.received().last().unwrap().form["Body"], "See you tomorrow.");
}

#[tokio::test]
async fn send_later_at_a_refused_time_is_moved_and_the_page_says_so() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let csrf = rep.csrf(&m, lead).await;
    // 23:30 tonight, account time (Chicago), is quiet hours in Austin too
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("body", "Reminder: pickup tomorrow."),
                ("send_at", "2026-11-24T23:30"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(
            "You asked for Tue Nov 24 23:30 CST; that time is not allowed, so it was moved to Wed Nov 25 09:00 CST"
        ),
        "{html}"
    );
    // a time that is allowed is kept
    let (_, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("body", "Second reminder."),
                ("send_at", "2026-11-24T14:00"),
                ("action", "send"),
            ],
        )
        .await;
    assert!(html.contains("Reply scheduled for Tue Nov 24 14:00 CST"), "{html}");
}

#[tokio::test]
async fn bad_input_gives_a_clear_message_and_writes_nothing() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let csrf = rep.csrf(&m, lead).await;
    let long = "x".repeat(2000);
    let path = format!("/threads/{lead}/reply");
    for (body, send_at, message) in [
        ("   ", "", "the reply is empty"),
        (
            long.as_str(),
            "",
            "The reply is 2000 characters; a text can be at most 1600",
        ),
        ("Hello", "2026-11-23T10:00", "That time has passed"),
        ("Hello", "next tuesday", "is not a date and time"),
    ] {
        let (status, html) = rep
            .post(
                &m,
                &path,
                &[
                    ("csrf", &csrf),
                    ("body", body),
                    ("send_at", send_at),
                    ("action", "send"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{message}");
        assert!(html.contains(message), "{message}: {html}");
        assert_eq!(outbound(&m), 0, "{message}");
    }
    // what was typed stays in the box
    let (_, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("body", "Keep me"),
                ("send_at", "yesterday"),
                ("action", "send"),
            ],
        )
        .await;
    assert!(html.contains(">Keep me</textarea>"), "{html}");

    // the card: each bad field named beside itself, nothing saved
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/card"),
            &[
                ("csrf", &csrf),
                ("first_name", "Ana"),
                ("email", "ana-at-example"),
                ("state", "Narnia"),
                ("timezone", "Mars/Base"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for m in ["is not an email address", "is not a US state", "is not a time zone"] {
        assert!(html.contains(m), "{m}");
    }
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM leads WHERE state = 'TX' AND email IS NULL"),
        1
    );
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/card"),
            &[
                ("csrf", &csrf),
                ("first_name", "Ana María"),
                ("last_name", "Lopez"),
                ("email", "Ana@Example.com"),
                ("state", "oklahoma"),
                ("timezone", ""),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ana María Lopez") && html.contains("ana@example.com"),
        "{html}"
    );
    assert!(html.contains("state OK"), "the gate now reads Oklahoma: {html}");
}

#[tokio::test]
async fn forms_need_the_session_token_and_another_accounts_customer_is_not_found() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    for (path, form) in [
        (
            format!("/threads/{lead}/reply"),
            vec![("body", "Hi"), ("action", "send")],
        ),
        (format!("/threads/{lead}/card"), vec![("first_name", "Eve")]),
        (format!("/threads/{lead}/offers/suppress"), vec![("suppress", "1")]),
        (
            format!("/threads/{lead}/offers/1/outcome"),
            vec![("outcome", "accepted")],
        ),
    ] {
        let mut with_forged = form.clone();
        with_forged.push(("csrf", "forged"));
        for f in [form, with_forged] {
            let (status, html) = rep.post(&m, &path, &f).await;
            assert_eq!(status, 403, "{path}");
            assert!(html.contains("Form expired"));
        }
    }
    assert_eq!(outbound(&m), 0);
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE first_name = 'Eve' OR offers_suppressed_at IS NOT NULL"
        ),
        0
    );

    // another store's customer: every route is a 404, nothing written
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    let stranger = m.t.write(|tx| {
        forecourt::store::leads::insert(
            tx,
            other,
            &forecourt::store::leads::NewLead {
                phone_e164: Some("+15125550199".into()),
                first_name: Some("Zed".into()),
                ..Default::default()
            },
            0,
        )
    });
    let csrf = rep.csrf(&m, lead).await;
    let (status, html) = rep.get(&m, &format!("/threads/{stranger}")).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Zed"));
    for (path, form) in [
        (
            format!("/threads/{stranger}/reply"),
            vec![("csrf", csrf.as_str()), ("body", "Hi"), ("action", "send")],
        ),
        (
            format!("/threads/{stranger}/reply"),
            vec![("csrf", csrf.as_str()), ("body", ""), ("action", "send")],
        ),
        (
            format!("/threads/{stranger}/card"),
            vec![("csrf", csrf.as_str()), ("first_name", "Eve")],
        ),
        (
            format!("/threads/{stranger}/offers/suppress"),
            vec![("csrf", csrf.as_str()), ("suppress", "1")],
        ),
    ] {
        let (status, _) = rep.post(&m, &path, &form).await;
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(outbound(&m), 0);
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE first_name = 'Eve' OR offers_suppressed_at IS NOT NULL"
        ),
        0
    );
    let (status, _) = rep.get(&m, "/threads/99999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_drafted_reply_is_edited_and_approved_through_the_gate_and_the_nav_counts_drafts() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    m.inbound("SM2", ANA, "Can I bring it in Friday?").await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(
        html.contains("id=\"drafts-waiting\""),
        "the navigation counts the waiting draft"
    );
    assert!(html.contains("A drafted reply (template) is in the box"), "{html}");
    let draft_id = hidden_input(&html, "draft_id");
    let csrf = hidden_input(&html, "csrf");
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("draft_id", &draft_id),
                ("body", "Friday at 10 works. See you then!"),
                ("action", "approve"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Reply queued"), "{html}");
    assert!(!html.contains("id=\"drafts-waiting\""), "no draft waits any more");
    assert!(!html.contains("A drafted reply"));
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM reply_drafts WHERE status = 'approved' AND message_out_id IS NOT NULL"
        ),
        1
    );
    m.tick(T0).await;
    assert_eq!(
        m.stub.received().last().unwrap().form["Body"],
        "Friday at 10 works. See you then!"
    );

    // a second draft, discarded: nothing is sent
    m.inbound("SM3", ANA, "Thanks, what about a loaner?").await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    let draft_id = hidden_input(&html, "draft_id");
    let before = outbound(&m);
    let (status, _) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("draft_id", &draft_id),
                ("body", "x"),
                ("action", "discard"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(outbound(&m), before);
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM reply_drafts WHERE status = 'discarded'"),
        1
    );
}

#[tokio::test]
async fn marking_an_offer_accepted_with_revenue_changes_the_offers_page() {
    let m = setup().await;
    catalog(&m).await;
    m.import_csv(&appointment_csv("APT-2001", "11/27/2026", "10:00 AM"))
        .await;
    m.tick("2026-11-25T17:00:00Z").await;
    let lead: i64 = count(&m.t, "SELECT id FROM leads WHERE phone_e164 = '+15125550142'");
    let send: i64 = count(&m.t, "SELECT id FROM offer_sends WHERE offer_id IS NOT NULL");
    let rep = sign_in(&m).await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(
        html.contains("Cabin Air Filter") && html.contains("visit APT-2001"),
        "{html}"
    );
    assert!(
        html.contains("offer: Cabin Air Filter"),
        "the text names its offer: {html}"
    );
    assert!(html.contains(">upsell offer<"));
    let csrf = hidden_input(&html, "csrf");
    let path = format!("/threads/{lead}/offers/{send}/outcome");

    // revenue on a declined offer, or not an amount: refused, nothing written
    for (outcome, revenue, message) in [
        ("declined", "50", "Revenue goes only with an accepted offer"),
        ("accepted", "lots", "is not an amount in dollars"),
        ("accepted", "2000000", "revenue_cents must be from 0 to 100000000"),
    ] {
        let (status, html) = rep
            .post(
                &m,
                &path,
                &[
                    ("csrf", &csrf),
                    ("outcome", outcome),
                    ("revenue", revenue),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(status, 422, "{message}");
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM offer_sends WHERE accepted IS NOT NULL"),
        0
    );

    let (status, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("outcome", "accepted"),
                ("revenue", "$89.95"),
                ("note", "added at the desk"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("accepted by a rep") && html.contains("$89.95") && html.contains("added at the desk"),
        "{html}"
    );
    let (_, offers) = rep.get(&m, "/offers").await;
    assert!(offers.contains("<td>$89.95</td>"), "{offers}");

    // stop offers to this customer: the engine skips them from now on
    let (_, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/offers/suppress"),
            &[("csrf", &csrf), ("suppress", "1")],
        )
        .await;
    assert!(html.contains("Offers stopped for this customer"), "{html}");
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE offers_suppressed_by = 'rep@lakeside.example'"
        ),
        1
    );
}

#[tokio::test]
async fn a_long_conversation_is_paged_by_cursor_and_read_through_indexes() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    {
        let conn = m.t.conn();
        let base = at(T0).timestamp() - 200 * 60;
        for i in 0..120 {
            conn.execute(
                "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, '+15125550100', ?5, ?6)",
                rusqlite::params![
                    m.account_id,
                    lead,
                    format!("SMX{i}"),
                    ANA,
                    format!("text number {i}"),
                    base + i * 60
                ],
            )
            .unwrap();
        }
    }
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(html.contains("text number 119") && html.contains("text number 70"));
    assert!(!html.contains("text number 69<"), "only the latest 50");
    let start = html.find("/threads/").unwrap();
    let link = html[html.find("id=\"earlier\" href=\"").unwrap() + 19..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(start > 0 && link.contains("?before="), "{link}");
    let (_, older) = rep.get(&m, &link).await;
    assert!(older.contains("text number 69<") && older.contains("text number 20<"));
    assert!(!older.contains("text number 70<"));
    let link = older[older.find("id=\"earlier\" href=\"").unwrap() + 19..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (_, oldest) = rep.get(&m, &link).await;
    assert!(oldest.contains("text number 0<") && !oldest.contains("id=\"earlier\""));
    let (status, _) = rep.get(&m, &format!("/threads/{lead}?before=garbage")).await;
    assert_eq!(status, 400);

    let conn = m.t.app.db.conn().unwrap();
    for plan in forecourt::store::conversation::explain(&conn).unwrap() {
        // the live fingerprint is one row of subqueries ("SCAN CONSTANT ROW"), each a search
        let plan = plan.replace("SCAN CONSTANT ROW; ", "");
        assert!(!scans_a_table(&plan), "{plan}");
    }
}

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
    b.quit().await;
}

#[tokio::test]
async fn the_box_refuses_a_customer_who_opted_out_and_writes_nothing() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    m.inbound("SM5", ANA, "STOP").await;
    let before = outbound(&m);
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(html.contains("Blocked: opted out (texted STOP)"), "{html}");
    assert!(html.contains("Opted out (texted STOP)"), "the STOP is in the thread");
    assert!(html.contains("id=\"send-reply\" disabled"), "{html}");
    let csrf = hidden_input(&html, "csrf");
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[("csrf", &csrf), ("body", "Are you sure?"), ("action", "send")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Not sent: opted out (texted STOP)"), "{html}");
    assert_eq!(outbound(&m), before, "nothing written");
}

#[tokio::test]
async fn the_live_stream_says_when_the_conversation_changes() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let mut resp =
        m.t.client()
            .get(format!("{}/threads/{lead}/events", m.t.url))
            .header("cookie", &rep.cookie)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    m.inbound("SM6", ANA, "Running late, 10 minutes").await;
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let c = resp.chunk().await.unwrap().expect("the stream stays open");
            let text = String::from_utf8_lossy(&c).to_string();
            if text.contains("event: changed") {
                return text;
            }
        }
    })
    .await
    .expect("a changed event within seconds");
    assert!(chunk.contains("data: "), "{chunk}");
    // another store's customer has no stream
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    let stranger = m.t.write(|tx| {
        forecourt::store::leads::insert(
            tx,
            other,
            &forecourt::store::leads::NewLead {
                phone_e164: Some("+15125550199".into()),
                ..Default::default()
            },
            0,
        )
    });
    let (status, _) = rep.get(&m, &format!("/threads/{stranger}/events")).await;
    assert_eq!(status, 404);
}

/// Real Chromium, the page left open: a STOP arrives, and the page shows it without a reload
/// (SSE and htmx) and turns the send button off.
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
        b.find("#send-reply").await.attr("disabled").await.as_deref(),
        Some("true")
    );
    assert!(b.find("#card-consent").await.text().await.contains("Opted out"));
    b.quit().await;
}

#[tokio::test]
async fn canned_replies_are_managed_in_settings_and_put_in_the_box_filled_in() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let (status, html) = rep.get(&m, "/settings").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/settings/canned\""));
    let (status, html) = rep.get(&m, "/settings/canned").await;
    assert_eq!(status, 200);
    let csrf = hidden_input(&html, "csrf");
    let canned = || count(&m.t, "SELECT count(*) FROM canned_replies");

    // bad ones: each error beside its field, nothing saved
    let (status, html) = rep
        .post(
            &m,
            "/settings/canned",
            &[("csrf", &csrf), ("shortcut", "not ok!"), ("body", "Hi {nickname}")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("use 1 to 30 letters, digits or hyphens") && html.contains("unknown placeholder {nickname}"),
        "{html}"
    );
    assert!(html.contains(">Hi {nickname}</textarea>"), "what was typed stays");
    let (status, _) = rep
        .post(&m, "/settings/canned", &[("shortcut", "ready"), ("body", "x")])
        .await;
    assert_eq!(status, 403, "no token");
    assert_eq!(canned(), 0);

    let (status, html) = rep
        .post(
            &m,
            "/settings/canned",
            &[
                ("csrf", &csrf),
                ("shortcut", "/Ready"),
                ("body", "Hi {first_name}, your car is ready for pickup."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Save /ready"));
    let (status, html) = rep
        .post(
            &m,
            "/settings/canned",
            &[("csrf", &csrf), ("shortcut", "ready"), ("body", "again")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("there is already a canned reply /ready"), "{html}");
    assert_eq!(canned(), 1);
    let id = count(&m.t, "SELECT id FROM canned_replies");

    // in the conversation: chosen under the box, or typed as /ready, it is put in, not sent
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(
        html.contains("data-text=\"Hi Ana, your car is ready for pickup.\""),
        "{html}"
    );
    let path = format!("/threads/{lead}/reply");
    let id_s = id.to_string();
    let (status, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("body", "Good news!"),
                ("canned", &id_s),
                ("action", "insert"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(">Good news! Hi Ana, your car is ready for pickup.</textarea>"),
        "{html}"
    );
    let (status, html) = rep
        .post(&m, &path, &[("csrf", &csrf), ("body", "/ready"), ("action", "send")])
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(">Hi Ana, your car is ready for pickup.</textarea>"),
        "{html}"
    );
    let (status, html) = rep
        .post(&m, &path, &[("csrf", &csrf), ("body", "/nope"), ("action", "send")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("There is no canned reply /nope"), "{html}");
    let (status, _) = rep
        .post(
            &m,
            &path,
            &[("csrf", &csrf), ("body", ""), ("canned", "99999"), ("action", "insert")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(outbound(&m), 0, "nothing was sent");

    // changed, then deleted; another store cannot touch it
    let (_, html) = rep
        .post(
            &m,
            &format!("/settings/canned/{id}"),
            &[
                ("csrf", &csrf),
                ("shortcut", "ready"),
                ("body", "Your {vehicle} is ready."),
            ],
        )
        .await;
    assert!(html.contains(">Your {vehicle} is ready.</textarea>"), "{html}");
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    m.t.user(other, "eve@hillside.example", PASSWORD);
    let resp = post_login(&m.t, "eve@hillside.example", PASSWORD, None).await;
    let eve = Rep {
        cookie: format!("fc_session={}", set_cookie(&resp, "fc_session").unwrap()),
    };
    let (_, html) = eve.get(&m, "/settings/canned").await;
    assert!(!html.contains("/ready"));
    let eve_csrf = hidden_input(&html, "csrf");
    let (status, _) = eve
        .post(&m, &format!("/settings/canned/{id}/delete"), &[("csrf", &eve_csrf)])
        .await;
    assert_eq!(status, 404);
    let (status, _) = eve
        .post(
            &m,
            &format!("/settings/canned/{id}"),
            &[("csrf", &eve_csrf), ("shortcut", "mine"), ("body", "x")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(canned(), 1);
    let (status, html) = rep
        .post(&m, &format!("/settings/canned/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("No canned replies yet."));
}

/// With JavaScript off, the page is plain forms: a rep still approves a draft and replies, and
/// sees the count the server wrote under the box.
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
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while b.find("#reply-error").await.text().await.is_empty() {
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
    b.quit().await;
}

/// A customer with 2,000 texts (half each way, over a year): the page shows the latest 50 and
/// costs what they cost, not what the whole conversation does.
#[tokio::test]
async fn a_conversation_of_two_thousand_texts_renders_fast() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    {
        let mut conn = m.t.conn();
        let tx = conn.transaction().unwrap();
        let start = at(T0).timestamp() - 365 * 86_400;
        for i in 0..1000i64 {
            let t = start + i * 31_000;
            tx.execute(
                "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, '+15125550100', ?5, ?6)",
                rusqlite::params![m.account_id, lead, format!("SMB{i}"), ANA, format!("question {i}"), t],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, created_by,
                                           created_at, updated_at, sent_at)
                 VALUES (?1, ?2, 'reply', ?3, ?4, 'delivered', ?5, 'rep@lakeside.example', ?5, ?5, ?5)",
                rusqlite::params![m.account_id, lead, format!("answer {i}"), ANA, t + 600],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let path = format!("/threads/{lead}");
    rep.get(&m, &path).await; // warm the statement cache
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let (status, html) = rep.get(&m, &path).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
        assert!(html.contains("answer 999") && html.contains("question 975") && !html.contains("question 974<"));
    }
    times.sort();
    let median = times[2];
    eprintln!("conversation of 2,000 texts: median {median:?} (debug build)");
    assert!(median < std::time::Duration::from_millis(500), "{times:?}");
}
