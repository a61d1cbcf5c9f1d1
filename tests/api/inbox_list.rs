//! The inbox list (`/threads`) and search, over real HTTP as a signed-in rep: views, the cursor,
//! actions one row at a time and in bulk, what is refused (and that nothing is written then),
//! snoozes coming back, account scoping, and the query plans behind them.

use crate::login::post_login;
use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use forecourt::domain::account::Vertical;
use serde_json::json;

const REP: &str = "rep@lakeside.example";
const PASSWORD: &str = "correct horse battery";

/// A signed-in browser session: its cookie and the CSRF token its forms carry.
pub struct Rep {
    pub cookie: String,
    pub csrf: String,
    pub user_id: i64,
}

pub async fn sign_in(t: &TestApp, account_id: i64, email: &str) -> Rep {
    t.user(account_id, email, PASSWORD);
    let resp = post_login(t, email, PASSWORD, Some("/threads")).await;
    assert_eq!(resp.status(), 303);
    let cookie = format!("fc_session={}", set_cookie(&resp, "fc_session").expect("session"));
    let html = t
        .client()
        .get(format!("{}/threads", t.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let user_id = t
        .conn()
        .query_row("SELECT id FROM users WHERE email = ?1", [email], |r| r.get(0))
        .unwrap();
    Rep {
        csrf: hidden_input(&html, "csrf"),
        cookie,
        user_id,
    }
}

impl Rep {
    pub async fn get(&self, t: &TestApp, path: &str) -> (u16, String) {
        let resp = t
            .client()
            .get(format!("{}{path}", t.url))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    }

    /// Post the inbox form with these fields (the session's CSRF token added unless given).
    pub async fn post(&self, t: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut f: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            f.push(("csrf", &self.csrf));
        }
        t.client()
            .post(format!("{}/threads", t.url))
            .header("cookie", &self.cookie)
            .form(&f)
            .send()
            .await
            .unwrap()
    }

    /// The lead ids of a list page's rows, in order.
    pub async fn rows(&self, t: &TestApp, path: &str) -> Vec<i64> {
        let (status, html) = self.get(t, path).await;
        assert_eq!(status, 200, "{path}: {html}");
        row_ids(&html)
    }
}

pub fn row_ids(html: &str) -> Vec<i64> {
    html.split("data-lead=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect()
}

async fn customer(m: &Messaging, first: &str, last: &str, phone: &str) -> i64 {
    m.lead(
        json!({"first_name": first, "last_name": last, "phone": phone, "state": "TX",
                  "email": format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase())}),
    )
    .await
}

fn e164(phone: &str) -> String {
    forecourt::domain::phone::normalize(phone).unwrap()
}

/// Three customers: Ana wrote last (unread, needs reply), Ben got a text, Cy wrote then got an
/// answer. Times move forward a minute between texts.
async fn three(m: &Messaging) -> (i64, i64, i64) {
    let ana = customer(m, "Ana", "Lopez", "(325) 555-0188").await;
    let ben = customer(m, "Ben", "Ng", "(512) 555-0101").await;
    let cy = customer(m, "Cy", "Park", "(512) 555-0102").await;
    let step = |n: i64| m.t.clock.set(at(T0) + chrono::Duration::minutes(n));
    step(1);
    m.inbound("SMcy1", &e164("(512) 555-0102"), "Is my car ready?").await;
    step(2);
    m.text(cy, "Yes, ready at 4.").await;
    step(3);
    m.text(ben, "Your oil change is due.").await;
    step(4);
    m.inbound("SMana1", &e164("(325) 555-0188"), "Can I come in Tuesday?")
        .await;
    (ana, ben, cy)
}

#[tokio::test]
async fn the_inbox_lists_each_conversation_newest_first_with_its_link_and_markers() {
    let m = setup().await;
    let (ana, ben, cy) = three(&m).await;
    let rep = sign_in(&m.t, m.account_id, REP).await;
    let (status, html) = rep.get(&m.t, "/threads").await;
    assert_eq!(status, 200);
    assert_eq!(row_ids(&html), vec![ana, ben, cy]);
    for id in [ana, ben, cy] {
        assert!(
            html.contains(&format!("href=\"/threads/{id}\"")),
            "each row links to its conversation"
        );
    }
    // Ana's text is the last word: unread and waiting for a reply; the preview is hers
    let ana_row = html.split(&format!("data-lead=\"{ana}\"")).nth(1).unwrap();
    let ana_row = ana_row.split("</li>").next().unwrap();
    assert!(
        ana_row.contains("Unread") && ana_row.contains("needs reply"),
        "{ana_row}"
    );
    assert!(ana_row.contains("Can I come in Tuesday?") && ana_row.contains("They wrote"));
    assert!(ana_row.contains("(325) 555-0188"), "numbers as people write them");
    let cy_row = html.split(&format!("data-lead=\"{cy}\"")).nth(1).unwrap();
    let cy_row = cy_row.split("</li>").next().unwrap();
    assert!(cy_row.contains("Yes, ready at 4.") && cy_row.contains("We wrote") && !cy_row.contains("needs reply"));
    assert!(html.contains("aria-current=\"page\""), "the active tab is marked");
}

#[tokio::test]
async fn each_view_lists_its_conversations() {
    let m = setup().await;
    let (ana, ben, cy) = three(&m).await;
    let dee = customer(&m, "Dee", "Ray", "(512) 555-0103").await;
    m.t.clock.set(at(T0) + chrono::Duration::minutes(5));
    m.inbound("SMdee1", &e164("(512) 555-0103"), "STOP").await;
    let rep = sign_in(&m.t, m.account_id, REP).await;
    let me = rep.user_id.to_string();
    let (ana_s, ben_s, cy_s) = (ana.to_string(), ben.to_string(), cy.to_string());
    // Ben is mine, Cy closed, Ana read
    let ok = |r: reqwest::Response| assert_eq!(r.status(), 303);
    ok(rep
        .post(&m.t, &[("action", "assign"), ("assignee", &me), ("lead", &ben_s)])
        .await);
    ok(rep.post(&m.t, &[("row", &format!("close:{cy_s}"))]).await);
    ok(rep.post(&m.t, &[("row", &format!("read:{ana_s}"))]).await);

    let view = |v: &str| format!("/threads?view={v}");
    assert_eq!(rep.rows(&m.t, &view("open")).await, vec![dee, ana, ben]);
    assert_eq!(
        rep.rows(&m.t, &view("needs_reply")).await,
        vec![ana],
        "not Dee: no text can go to her"
    );
    assert_eq!(
        rep.rows(&m.t, &view("unread")).await,
        vec![dee],
        "not Ana (marked read), nor Cy: the store answered him"
    );
    assert_eq!(rep.rows(&m.t, &view("mine")).await, vec![ben]);
    assert_eq!(rep.rows(&m.t, &view("unassigned")).await, vec![dee, ana]);
    assert_eq!(rep.rows(&m.t, &view("closed")).await, vec![cy]);
    assert_eq!(rep.rows(&m.t, &view("opted_out")).await, vec![dee]);
    assert_eq!(rep.rows(&m.t, &view("snoozed")).await, Vec::<i64>::new());
    assert_eq!(rep.rows(&m.t, &view("all")).await, vec![dee, ana, ben, cy]);
    // an unknown view is the open one
    assert_eq!(rep.rows(&m.t, &view("<b>")).await, vec![dee, ana, ben]);
    let (_, html) = rep.get(&m.t, &view("mine")).await;
    assert!(html.contains("rep@lakeside.example"), "the assignee is shown");

    // another rep of the same store sees Ben as someone else's
    let other = sign_in(&m.t, m.account_id, "other@lakeside.example").await;
    assert_eq!(other.rows(&m.t, &view("mine")).await, Vec::<i64>::new());
}

#[tokio::test]
async fn pages_follow_the_cursor_without_repeating_or_losing_a_row() {
    let m = setup().await;
    let rep = sign_in(&m.t, m.account_id, REP).await;
    // 120 conversations, several sharing a second (the cursor breaks ties by lead id)
    let mut leads = Vec::new();
    for i in 0..120 {
        let id = customer(&m, "Pat", &format!("Row{i}"), &format!("(512) 555-{:04}", 1000 + i)).await;
        m.t.clock.set(at(T0) + chrono::Duration::seconds(i / 3));
        m.inbound(
            &format!("SMpage{i}"),
            &e164(&format!("(512) 555-{:04}", 1000 + i)),
            "hi",
        )
        .await;
        leads.push(id);
    }
    let mut seen = Vec::new();
    let mut path = "/threads?view=all".to_string();
    loop {
        let (status, html) = rep.get(&m.t, &path).await;
        assert_eq!(status, 200);
        let rows = row_ids(&html);
        assert!(rows.len() <= 50);
        seen.extend(rows);
        match html
            .split("id=\"older\"")
            .next()
            .and_then(|h| h.rsplit("href=\"").next())
        {
            Some(href) if html.contains("id=\"older\"") => path = href.split('"').next().unwrap().replace("&amp;", "&"),
            _ => break,
        }
    }
    leads.reverse();
    assert_eq!(seen, leads, "every conversation once, newest first");
}

#[tokio::test]
async fn bulk_actions_change_every_selected_row_and_nothing_else() {
    let m = setup().await;
    let (ana, ben, cy) = three(&m).await;
    let rep = sign_in(&m.t, m.account_id, REP).await;
    let (a, b, c) = (ana.to_string(), ben.to_string(), cy.to_string());
    let status = |id: i64| -> (String, Option<i64>, Option<i64>) {
        m.t.conn()
            .query_row(
                "SELECT status, snoozed_until, assignee_id FROM conversations WHERE lead_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let resp = rep
        .post(
            &m.t,
            &[("action", "close"), ("lead", &a), ("lead", &b), ("view", "open")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/threads?view=open&done=close&n=2");
    let (_, html) = rep.get(&m.t, "/threads?view=open&done=close&n=2").await;
    assert!(html.contains("Closed 2 conversations."), "{html}");
    assert_eq!(status(ana).0, "closed");
    assert_eq!(status(ben).0, "closed");
    assert_eq!(status(cy).0, "open");

    let resp = rep
        .post(
            &m.t,
            &[("action", "snooze"), ("until", "tomorrow"), ("lead", &a), ("lead", &c)],
        )
        .await;
    assert_eq!(resp.status(), 303);
    // Tue Nov 24 9:00 in Chicago: tomorrow 8 AM is 14:00 UTC on the 25th
    let tomorrow = at("2026-11-25T14:00:00Z").timestamp();
    assert_eq!(status(ana), ("snoozed".into(), Some(tomorrow), None));
    assert_eq!(status(cy), ("snoozed".into(), Some(tomorrow), None));

    let me = rep.user_id.to_string();
    let resp = rep
        .post(
            &m.t,
            &[
                ("action", "assign"),
                ("assignee", &me),
                ("lead", &a),
                ("lead", &b),
                ("lead", &c),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    for id in [ana, ben, cy] {
        assert_eq!(status(id).2, Some(rep.user_id));
    }
    // assign to nobody, reopen
    assert_eq!(
        rep.post(&m.t, &[("action", "assign"), ("assignee", ""), ("lead", &b)])
            .await
            .status(),
        303
    );
    assert_eq!(status(ben).2, None);
    assert_eq!(
        rep.post(&m.t, &[("action", "reopen"), ("lead", &a), ("lead", &b)])
            .await
            .status(),
        303
    );
    assert_eq!(status(ana), ("open".into(), None, Some(rep.user_id)));
    assert_eq!(status(ben).0, "open");
    // take one: assigned to me
    assert_eq!(rep.post(&m.t, &[("row", &format!("take:{b}"))]).await.status(), 303);
    assert_eq!(status(ben).2, Some(rep.user_id));
}

#[tokio::test]
async fn refused_actions_say_why_and_write_nothing() {
    let m = setup().await;
    let (ana, _, _) = three(&m).await;
    let rep = sign_in(&m.t, m.account_id, REP).await;
    // another store, its customer, its user
    let (other_acct, other_key) = m.t.account("Hilltop Ford", Vertical::Automotive);
    let resp =
        m.t.client()
            .post(format!("{}/api/leads/webhook", m.t.url))
            .bearer_auth(&other_key)
            .json(&json!({"first_name": "Zed", "phone": "(512) 555-0199"}))
            .send()
            .await
            .unwrap();
    let theirs = resp.json::<serde_json::Value>().await.unwrap()["lead_id"]
        .as_i64()
        .unwrap();
    m.t.write(|tx| {
        forecourt::store::history::record_inbound(
            tx,
            other_acct,
            &forecourt::store::history::PastInbound {
                lead_id: theirs,
                provider_sid: "SMzed",
                from_phone: "+15125550199",
                to_phone: "+15125550999",
                body: "hello",
                keyword: None,
                handled_as: "reply",
                received_at: m.t.clock_now(),
            },
        )
    });
    let theirs_user = sign_in(&m.t, other_acct, "zed@hilltop.example").await.user_id;
    let snapshot = || {
        count(&m.t, "SELECT sum(length(status) + coalesce(snoozed_until, 0) + coalesce(assignee_id, 0) + unread) FROM conversations")
    };
    let before = snapshot();
    let a = ana.to_string();

    // without the session's CSRF token
    let resp = rep
        .post(&m.t, &[("csrf", "forged"), ("action", "close"), ("lead", &a)])
        .await;
    assert_eq!(resp.status(), 403);
    let resp = rep.post(&m.t, &[("csrf", ""), ("action", "close"), ("lead", &a)]).await;
    assert_eq!(resp.status(), 403);
    // another store's customer, alone or among ours
    let resp = rep
        .post(
            &m.t,
            &[("action", "close"), ("lead", &a), ("lead", &theirs.to_string())],
        )
        .await;
    assert_eq!(resp.status(), 404);
    let resp = rep.post(&m.t, &[("row", &format!("close:{theirs}"))]).await;
    assert_eq!(resp.status(), 404);
    // a snooze in the past, nothing selected, no action, junk
    for (fields, says) in [
        (
            vec![
                ("action", "snooze"),
                ("until", "at"),
                ("at", "2026-11-24T08:30"),
                ("lead", a.as_str()),
            ],
            "That time has already passed",
        ),
        (
            vec![("action", "snooze"), ("until", "at"), ("at", ""), ("lead", a.as_str())],
            "Choose how long to snooze",
        ),
        (vec![("action", "close")], "Select at least one conversation first."),
        (vec![("lead", a.as_str())], "Choose what to do"),
        (vec![("action", "close"), ("lead", "12abc")], "is not a conversation"),
        (
            vec![("action", "explode"), ("lead", a.as_str())],
            "is not something the inbox can do",
        ),
    ] {
        let resp = rep.post(&m.t, &fields).await;
        assert_eq!(resp.status(), 422, "{fields:?}");
        let html = resp.text().await.unwrap();
        assert!(html.contains(says), "{says}: {html}");
        assert!(
            html.contains("id=\"inbox-error\""),
            "the reason is shown above the list"
        );
    }
    // assigning to another store's user
    let resp = rep
        .post(
            &m.t,
            &[
                ("action", "assign"),
                ("assignee", &theirs_user.to_string()),
                ("lead", &a),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("not one of this store"));
    assert_eq!(snapshot(), before, "nothing was written");

    // their customer is not in our list, nor found by our search, nor theirs in ours
    assert!(!rep.rows(&m.t, "/threads?view=all").await.contains(&theirs));
    assert!(rep.rows(&m.t, "/threads?q=555-0199").await.is_empty());
    let (_, leads) = rep.get(&m.t, "/leads?q=Zed").await;
    assert!(leads.contains("No customer matches"), "{leads}");
    let (_, leads) = rep.get(&m.t, "/leads").await;
    assert!(!leads.contains(&format!("/threads/{theirs}\"")), "{leads}");
}

#[tokio::test]
async fn a_snoozed_conversation_comes_back_when_the_customer_replies_or_its_time_passes() {
    let m = setup().await;
    let (ana, ben, _) = three(&m).await;
    let rep = sign_in(&m.t, m.account_id, REP).await;
    let (a, b) = (ana.to_string(), ben.to_string());
    assert_eq!(rep.post(&m.t, &[("row", &format!("read:{a}"))]).await.status(), 303);
    // Ana until she replies; Ben for 3 hours
    assert_eq!(
        rep.post(&m.t, &[("action", "snooze"), ("until", "reply"), ("lead", &a)])
            .await
            .status(),
        303
    );
    assert_eq!(
        rep.post(&m.t, &[("action", "snooze"), ("until", "3h"), ("lead", &b)])
            .await
            .status(),
        303
    );
    assert_eq!(rep.rows(&m.t, "/threads?view=snoozed").await, vec![ana, ben]);
    let (_, html) = rep.get(&m.t, "/threads?view=snoozed").await;
    assert!(
        html.contains("snoozed until they reply") && html.contains("snoozed until Tue Nov 24, 12:04 PM"),
        "{html}"
    );
    assert!(!rep.rows(&m.t, "/threads").await.contains(&ana));

    // Ana replies: open, unread, on top
    m.t.clock.set(at(T0) + chrono::Duration::hours(1));
    m.inbound("SMana2", &e164("(325) 555-0188"), "Actually Wednesday works better")
        .await;
    assert_eq!(rep.rows(&m.t, "/threads?view=snoozed").await, vec![ben]);
    assert_eq!(rep.rows(&m.t, "/threads?view=unread").await[0], ana);
    assert_eq!(rep.rows(&m.t, "/threads").await[0], ana);

    // Ben's three hours pass: the job opens him again, without anyone looking
    m.tick("2026-11-24T18:05:00Z").await;
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM conversations WHERE lead_id = {ben} AND status = 'open'")
        ),
        1
    );
    assert_eq!(
        rep.post(&m.t, &[("action", "snooze"), ("until", "1h"), ("lead", &b)])
            .await
            .status(),
        303
    );
    // and an hour later the list itself opens him again, no tick needed
    m.t.clock
        .set(at(T0) + chrono::Duration::hours(4) + chrono::Duration::minutes(10));
    assert_eq!(rep.rows(&m.t, "/threads?view=snoozed").await, Vec::<i64>::new());
    assert!(rep.rows(&m.t, "/threads").await.contains(&ben));
    assert_eq!(
        count(&m.t, &format!("SELECT count(*) FROM conversations WHERE lead_id = {ben} AND status = 'open' AND snoozed_until IS NULL")),
        1
    );
}

#[tokio::test]
async fn search_finds_a_customer_however_the_rep_types_them() {
    let m = setup().await;
    let (ana, ben, _) = three(&m).await;
    let now = m.t.clock_now();
    // Ana owns a Honda and had an RO; Ben has nothing but texts
    m.t.conn()
        .execute_batch(&format!(
            "INSERT INTO vehicles (id, account_id, vin, year, make, model, created_at, updated_at)
                 VALUES (900, {acct}, '1HGCV1F39LA012345', 2020, 'HONDA', 'ACCORD', {now}, {now});
             INSERT INTO ownerships (account_id, lead_id, vehicle_id, active, created_at, updated_at)
                 VALUES ({acct}, {ana}, 900, 1, {now}, {now});
             INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, opened_at, created_at, updated_at)
                 VALUES ({acct}, '8812345', 'repair_order', {ana}, 900, {now}, {now}, {now});",
            acct = m.account_id
        ))
        .unwrap();
    let rep = sign_in(&m.t, m.account_id, REP).await;
    for q in [
        "(325) 555-0188",
        "325-555-0188",
        "3255550188",
        "+1 325 555 0188",
        "0188",
        "555-0188",
        "5550188",
        "ana",
        "Lopez",
        "lopez, ana",
        "ANA.LOPEZ@example.com",
        "ana.lopez@exa",
        "1HGCV1F39LA012345",
        "la012345",
        "a012345",
        "012345",
        "8812345",
    ] {
        let path = format!("/threads?q={}", urlencode(q));
        assert_eq!(rep.rows(&m.t, &path).await, vec![ana], "inbox search {q:?}");
        let (status, html) = rep.get(&m.t, &format!("/leads?q={}", urlencode(q))).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("href=\"/threads/{ana}\"")), "leads search {q:?}");
        assert!(
            !html.contains(&format!("href=\"/threads/{ben}\"")),
            "leads search {q:?}"
        );
    }
    // no match says what to try; the leads list links every row to its conversation
    let (_, html) = rep.get(&m.t, "/threads?q=zzzz").await;
    assert!(html.contains("No customer matches"), "{html}");
    let (_, html) = rep.get(&m.t, "/leads").await;
    assert!(html.contains(&format!("href=\"/threads/{ana}\"")) && html.contains(&format!("href=\"/threads/{ben}\"")));
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

#[tokio::test]
async fn the_inbox_views_and_searches_read_their_indexes() {
    let t = TestApp::spawn().await;
    let conn = t.app.db.conn().unwrap();
    for (view, plan) in forecourt::store::conversations::explain_views(&conn).unwrap() {
        assert!(!scans_a_table(&plan), "{view}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{view} is read in list order: {plan}");
        assert!(
            plan.contains("(last_at,lead_id)<(?,?)"),
            "{view} starts at its cursor: {plan}"
        );
    }
    for (what, plan) in forecourt::store::search::explain(&conn).unwrap() {
        assert!(!scans_a_table(&plan), "{what}: {plan}");
        assert!(plan.contains("INDEX"), "{what}: {plan}");
    }
    let plan = forecourt::store::leads::explain_page(&conn).unwrap();
    // newest first straight from the index (the sort that follows is the vehicle subquery's,
    // over one customer's few vehicles)
    assert!(!scans_a_table(&plan), "{plan}");
    assert!(
        plan.starts_with("SEARCH l USING INDEX leads_account_created (account_id=? AND created_at<?); CORRELATED"),
        "{plan}"
    );
}

/// A store upgraded to V12 gets a conversation for every customer who already has texts, and
/// the triggers keep it current after: the newest text wins even when an older one is recorded
/// later, a text from the customer reopens and marks unread, a STOP marks it opted out.
#[test]
fn texts_stored_before_v12_become_conversations_that_the_triggers_keep_current() {
    use forecourt::db::Db;
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("f.db")).unwrap();
    db.migrate_to(10).unwrap();
    let mut conn = db.conn().unwrap();
    conn.write_with(|tx| {
        tx.execute_batch(
            "INSERT INTO accounts (id, name, timezone, created_at, updated_at) VALUES (1, 'Old Store', 'America/Chicago', 0, 0);
             INSERT INTO leads (id, account_id, phone_e164, first_name, created_at, updated_at) VALUES
                 (1, 1, '+15125550101', 'Ana', 0, 0), (2, 1, '+15125550102', 'Ben', 0, 0), (3, 1, '+15125550103', 'Cy', 0, 0);
             INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, not_before, created_at, updated_at) VALUES
                 (1, 1, 'reply', 'Your car is ready', '+15125550101', 100, 100, 100),
                 (1, 2, 'upsell', 'Rotate your tires?', '+15125550102', 300, 300, 300);
             INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at) VALUES
                 (1, 1, 'SM1', '+15125550101', '+15125550100', 'Thanks, on my way', 200),
                 (1, 2, 'SM2', '+15125550102', '+15125550100', 'Hello?', 250);",
        )?;
        Ok(())
    })
    .unwrap();
    db.migrate().unwrap();
    let read = |conn: &rusqlite::Connection| -> Vec<(i64, String, i64, bool, String, bool, bool)> {
        let mut stmt = conn
            .prepare(
                "SELECT lead_id, status, last_at, last_inbound, last_body, unread, opted_out FROM conversations
                 ORDER BY lead_id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
    };
    let open = |s: &str| s.to_string();
    assert_eq!(
        read(&conn),
        vec![
            (1, open("open"), 200, true, open("Thanks, on my way"), true, false),
            (2, open("open"), 300, false, open("Rotate your tires?"), false, false),
        ],
        "Cy has no texts and no conversation"
    );
    conn.write_with(|tx| {
        tx.execute_batch(
            "UPDATE conversations SET status = 'closed' WHERE lead_id = 2;
             -- an older text recorded late (history): reopens and marks unread, moves nothing back
             INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at) VALUES
                 (1, 2, 'SM3', '+15125550102', '+15125550100', 'old news', 10);
             INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, not_before, created_at, updated_at) VALUES
                 (1, 3, 'followup', 'Welcome to Old Store', '+15125550103', 400, 400, 400);
             UPDATE leads SET opted_out = 1, opted_out_at = 500 WHERE id = 1;",
        )?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        read(&conn),
        vec![
            (1, open("open"), 200, true, open("Thanks, on my way"), true, true),
            (2, open("open"), 300, false, open("Rotate your tires?"), true, false),
            (3, open("open"), 400, false, open("Welcome to Old Store"), false, false),
        ]
    );
}
