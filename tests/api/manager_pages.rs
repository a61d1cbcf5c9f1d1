//! The manager's pages over real HTTP: the dashboard's period picker and Today panel, the
//! messages list its links open (filters, pages, CSV, account scoping), and the query plans
//! behind them.

use crate::inbox_list::sign_in;
use crate::messaging::setup;
use crate::support::*;
use forecourt::domain::account::Vertical;
use forecourt::domain::compliance::Purpose;
use forecourt::domain::messages::Outcome;
use forecourt::store::message_list::Filter;
use rusqlite::params;

/// A text written straight into the database, created `minutes_ago` before the clock's now.
#[allow(clippy::too_many_arguments)]
fn text(
    c: &rusqlite::Connection,
    account: i64,
    lead: i64,
    purpose: &str,
    status: &str,
    code: Option<&str>,
    body: &str,
    at: i64,
) {
    c.execute(
        "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, blocked_code,
                                   deferred_until, error_code, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, '+15125550123', ?5, ?6, ?7,
                 CASE WHEN ?5 = 'deferred' THEN ?6 + 36000 END, CASE WHEN ?5 = 'failed' THEN '30007' END, ?6, ?6)",
        params![account, lead, purpose, body, status, at, code],
    )
    .unwrap();
}

fn lead(c: &rusqlite::Connection, account: i64, phone: &str, name: &str, at: i64) -> i64 {
    c.execute(
        "INSERT INTO leads (account_id, phone_e164, first_name, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![account, phone, name, at],
    )
    .unwrap();
    c.last_insert_rowid()
}

fn rows(html: &str) -> usize {
    html.matches("data-label=\"Created\"").count()
}

#[tokio::test]
async fn the_dashboard_counts_today_and_its_links_open_those_texts_a_page_at_a_time() {
    let m = setup().await;
    let t = &m.t;
    let rep = sign_in(t, m.account_id, "manager@lakeside.example").await;
    let (other, _) = t.account("Other Store", Vertical::Automotive);
    let c = t.conn();
    // 2026-11-24 15:00Z is 09:00 in Chicago: texts of the last hours are today's
    let now = t.clock_now();
    let dana = lead(&c, m.account_id, "+15125550123", "Dana", now - 86_400);
    for i in 0..60 {
        text(
            &c,
            m.account_id,
            dana,
            "manual",
            "sent",
            None,
            &format!("note {i}"),
            now - 3600 + i,
        );
    }
    for _ in 0..3 {
        text(
            &c,
            m.account_id,
            dana,
            "upsell",
            "delivered",
            None,
            "=HYPERLINK(\"x\")",
            now - 1800,
        );
    }
    text(
        &c,
        m.account_id,
        dana,
        "survey",
        "deferred",
        Some("quiet_hours"),
        "how many miles?",
        now - 600,
    );
    text(
        &c,
        m.account_id,
        dana,
        "survey",
        "deferred",
        Some("quiet_hours"),
        "how many miles?",
        now - 500,
    );
    text(
        &c,
        m.account_id,
        dana,
        "upsell",
        "blocked",
        Some("opted_out"),
        "offer",
        now - 400,
    );
    text(&c, m.account_id, dana, "upsell", "failed", None, "offer", now - 300);
    // yesterday's and another store's texts are not today's here
    text(
        &c,
        m.account_id,
        dana,
        "manual",
        "sent",
        None,
        "yesterday",
        now - 86_400,
    );
    let theirs = lead(&c, other, "+15125550199", "Theirs", now - 86_400);
    text(&c, other, theirs, "manual", "sent", None, "not yours", now - 60);

    let (status, html) = rep.get(t, "/?period=today").await;
    assert_eq!(status, 200, "{html}");
    for (n, what) in [
        (63, "Sent"),
        (3, "Delivered"),
        (1, "Failed"),
        (2, "Held"),
        (1, "Blocked"),
    ] {
        let item = format!("<span class=\"n\">{n}</span> <span class=\"what\">{what}</span>");
        assert!(html.contains(&item), "today: {what} should be {n}");
    }
    assert!(
        html.contains("08:00-21:00 there) (2)"),
        "held reasons in words, with how many"
    );
    assert!(html.contains("Today (Nov 24, 2026)"), "the period's name");
    // the 7-day card compares with the week before (which had nothing)
    let (_, week) = rep.get(t, "/?period=7").await;
    assert!(
        week.contains("previous period 0"),
        "the previous period beside the figure"
    );
    let (_, bad) = rep.get(t, "/?period=fortnight").await;
    assert!(
        bad.contains("period: ") && bad.contains("fortnight") && bad.contains("is not one of"),
        "a bad period is named"
    );

    // the Today panel's links open exactly those texts
    let day = "from=2026-11-24&to=2026-11-24";
    let (status, held) = rep
        .get(t, &format!("/messages?{day}&outcome=held&reason=quiet_hours"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(rows(&held), 2);
    assert!(
        held.contains("deferred until") && held.contains("quiet hours"),
        "status in words"
    );
    let (_, sent) = rep.get(t, &format!("/messages?{day}&outcome=sent")).await;
    assert_eq!(rows(&sent), 50, "a page of fifty");
    assert!(!sent.contains("not yours") && !sent.contains("yesterday"));
    let older = sent.split("id=\"older\"").next().unwrap();
    let href = older.rsplit("href=\"").next().unwrap();
    let href = href
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let (_, second) = rep.get(t, &href).await;
    assert_eq!(rows(&second), 13, "the rest on the next page: {href}");
    let (_, surveys) = rep.get(t, &format!("/messages?{day}&purpose=survey")).await;
    assert_eq!(rows(&surveys), 2);

    // the CSV holds every row the filters find, formulas defused
    let resp = t
        .client()
        .get(format!("{}/messages.csv?{day}&outcome=sent", t.url))
        .header("cookie", &rep.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("messages-2026-11-24"));
    let csv = resp.text().await.unwrap();
    assert_eq!(csv.lines().count(), 64, "a header and 63 texts");
    assert!(csv.contains("'=HYPERLINK"), "a formula is not run by a spreadsheet");

    // bad filters are named, with 400
    for (query, field) in [
        ("outcome=lost", "outcome:"),
        ("purpose=spam", "purpose:"),
        ("from=2026-12-01&to=2026-11-01", "to:"),
        ("from=yesterday", "from:"),
    ] {
        let (status, html) = rep.get(t, &format!("/messages?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(field), "{query}: {html}");
    }
    let wrong = forecourt::store::rollups::mismatches(&c).unwrap();
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[tokio::test]
async fn the_dashboard_and_messages_list_read_by_index() {
    let t = TestApp::spawn().await;
    let conn = t.conn();
    conn.execute_batch("ANALYZE").unwrap();
    for (what, plan) in forecourt::store::rollups::explain(&conn).unwrap() {
        assert!(!scans_a_table(&plan), "{what}: {plan}");
    }
    let mut filters = vec![Filter::default()];
    for o in Outcome::ALL {
        filters.push(Filter {
            outcome: Some(o),
            ..Filter::default()
        });
    }
    filters.push(Filter {
        purpose: Some(Purpose::Survey),
        ..Filter::default()
    });
    filters.push(Filter {
        outcome: Some(Outcome::Held),
        reason: Some("quiet_hours".into()),
        ..Filter::default()
    });
    for f in &filters {
        for before in [None, Some((1_795_550_700, 42))] {
            let plan = forecourt::store::message_list::explain_page(&conn, f, before).unwrap();
            assert!(!scans_a_table(&plan), "{f:?}: {plan}");
            assert!(
                !plan.contains("USE TEMP B-TREE FOR ORDER BY") || f.outcome.is_some_and(|o| !o.is_common()),
                "{f:?}: {plan}"
            );
        }
    }
}

#[tokio::test]
async fn the_offers_page_says_its_period_totals_its_offers_and_exports_them() {
    let m = setup().await;
    let t = &m.t;
    let rep = sign_in(t, m.account_id, "manager@lakeside.example").await;
    let c = t.conn();
    let now = t.clock_now();
    let dana = lead(&c, m.account_id, "+15125550123", "Dana", now - 86_400);
    let offer = |name: &str| -> i64 {
        c.execute(
            "INSERT INTO offers (account_id, name, body_template, price_cents, created_at, updated_at)
             VALUES (?1, ?2, 'Hi {first_name}', 9995, ?3, ?3)",
            params![m.account_id, name, now],
        )
        .unwrap();
        c.last_insert_rowid()
    };
    let (wipers, rotation) = (offer("Wiper blades"), offer("=Tire rotation"));
    // visits of two advisors, each with an offer sent; some accepted, one long ago
    let mut ro = 0;
    let mut send = |offer_id: i64, advisor: &str, days_ago: i64, accepted: bool, cents: i64| {
        ro += 1;
        let at = now - days_ago * 86_400 - 60;
        c.execute(
            "INSERT INTO service_events (account_id, external_id, kind, lead_id, opened_at, advisor, created_at, updated_at)
             VALUES (?1, ?2, 'repair_order', ?3, ?4, ?5, ?4, ?4)",
            params![m.account_id, format!("RO{ro}"), dana, at, advisor],
        )
        .unwrap();
        let event = c.last_insert_rowid();
        c.execute(
            "INSERT INTO offer_sends (account_id, offer_id, service_event_id, lead_id, phase, status, accepted, outcome_at,
                                      revenue_attributed_cents, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'ro_open', 'sent', ?5, CASE WHEN ?5 = 1 THEN ?6 END, ?7, ?6, ?6)",
            params![m.account_id, offer_id, event, dana, accepted, at, cents],
        )
        .unwrap();
    };
    send(wipers, "Luis", 1, true, 4_999);
    send(wipers, "Luis", 2, false, 0);
    send(rotation, "Mia", 3, true, 12_000);
    send(rotation, "Mia", 60, true, 50_000);

    let (status, html) = rep.get(t, "/offers").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Last 30 days (Oct 26 – Nov 24, 2026)"),
        "the period it covers"
    );
    let total = html.split("id=\"offers-total\"").nth(1).unwrap();
    assert!(
        total.contains(">3<") && total.contains(">2<") && total.contains("$169.99"),
        "totals: {total}"
    );
    let (_, ninety) = rep.get(t, "/offers?period=90").await;
    assert!(
        ninety.split("id=\"offers-total\"").nth(1).unwrap().contains("$669.99"),
        "the older sale in 90 days"
    );

    let csv = t
        .client()
        .get(format!("{}/offers.csv?period=30", t.url))
        .header("cookie", &rep.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "a header, two offers and the totals: {csv}");
    assert!(
        lines[3].starts_with("All offers,,,,3,2,66.7%,$169.99,2026-10-26,2026-11-24"),
        "{csv}"
    );
    assert!(csv.contains("'=Tire rotation"), "a formula is not run by a spreadsheet");

    // the dashboard's advisors, from the same rollups
    let (_, dash) = rep.get(t, "/?period=30").await;
    let advisors = dash.split("id=\"advisors\"").nth(1).unwrap();
    let (luis, mia) = (advisors.find("Luis").unwrap(), advisors.find("Mia").unwrap());
    assert!(mia < luis, "most revenue first");
    assert!(advisors.contains("$120.00") && advisors.contains("50%"), "{advisors}");
}

#[tokio::test]
async fn a_manager_edits_messaging_and_a_states_hours_in_the_browser_and_resets_them() {
    let m = setup().await;
    let t = &m.t;
    let s = sign_in(t, m.account_id, "manager@lakeside.example").await;
    let form = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let mut f = fields;
        f.push(("csrf", &s.csrf));
        t.client()
            .post(format!("{}{path}", t.url))
            .header("cookie", &s.cookie)
            .form(&f)
            .send()
    };
    let (status, html) = s.get(t, "/settings").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("/webhooks/twilio/inbound") && html.contains("/webhooks/twilio/status"),
        "webhooks to paste"
    );

    // messaging: every bad field named, nothing saved; then saved
    let resp = form(
        "/settings/messaging",
        vec![("help_text", ""), ("cap_per_lead_day", "3"), ("cap_per_lead_week", "1")],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("data-field=\"help_text\"") && html.contains("data-field=\"cap_per_lead_week\""),
        "{html}"
    );
    let resp = form(
        "/settings/messaging",
        vec![
            ("help_text", "Lakeside Honda service: reply STOP to stop."),
            ("auto_reply", "on"),
            ("cap_per_lead_day", "1"),
            ("cap_per_lead_week", "4"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 303);
    let (help, auto, day, week): (String, bool, i64, i64) = t
        .conn()
        .query_row(
            "SELECT help_text, auto_reply, cap_per_lead_day, cap_per_lead_week FROM accounts WHERE id = ?1",
            [m.account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (help.as_str(), auto, day, week),
        ("Lakeside Honda service: reply STOP to stop.", true, 1, 4)
    );

    // a state's hours: refused field by field, then saved beside the default, then reset
    let resp = form(
        "/settings/state-rules",
        vec![("state", "TX"), ("start", "25:00"), ("end", "09:00"), ("source", "")],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("data-field=\"start\"") && html.contains("data-field=\"source\""),
        "{html}"
    );
    let resp = form(
        "/settings/state-rules",
        vec![
            ("state", "TX"),
            ("start", "13:00"),
            ("end", "20:00"),
            ("sunday_allowed", "on"),
            ("max_per_24h", "2"),
            ("source", "dealer counsel, 2026"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 303);
    let (_, html) = s.get(t, "/settings").await;
    let tx = html
        .split("id=\"state-TX\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        tx.contains("13:00–20:00") && tx.contains("custom") && tx.contains("default 09:00–21:00"),
        "{tx}"
    );
    let resp = form("/settings/state-rules/TX/reset", vec![]).await.unwrap();
    assert_eq!(resp.status(), 303);
    let (_, html) = s.get(t, "/settings").await;
    let tx = html
        .split("id=\"state-TX\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(tx.contains("09:00–21:00") && !tx.contains("custom"), "{tx}");
    let overrides: i64 = t
        .conn()
        .query_row(
            "SELECT count(*) FROM state_rules WHERE account_id = ?1",
            [m.account_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(overrides, 0);
}
