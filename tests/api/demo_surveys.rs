//! The demo store's survey history: questions asked the way the orchestrator asks them (inside
//! Texas hours, never on a day the customer got an offer, one at a time), answers read into
//! facts that point at the customer's words, and the dashboard's survey card with something
//! to show.

use crate::support::*;
use chrono::{Datelike, TimeZone, Timelike, Weekday};
use std::collections::{HashMap, HashSet};

#[tokio::test]
async fn the_demo_asked_its_questions_by_the_rules_and_kept_what_it_learned() {
    let t = TestApp::spawn().await;
    let mut conn = t.app.db.conn().unwrap();
    let login = forecourt::demo::seed(&mut conn, &t.app.config.data_dir, t.app.now()).unwrap();
    let c = t.conn();
    let store = chrono_tz::America::Chicago;
    let day = |at: i64, tz: chrono_tz::Tz| tz.timestamp_opt(at, 0).unwrap().date_naive();

    // each text in its customer's zone, as the gate finds it
    let texts: Vec<(i64, String, i64, chrono_tz::Tz)> = c
        .prepare(
            "SELECT m.lead_id, m.purpose, m.sent_at, l.state, l.phone_e164 FROM messages_out m JOIN leads l ON l.id = m.lead_id
             WHERE m.account_id = ?1 AND m.purpose IN ('survey', 'upsell')",
        )
        .unwrap()
        .query_map([login.account_id], |r| {
            let (state, phone): (Option<String>, Option<String>) = (r.get(3)?, r.get(4)?);
            let zones = forecourt::domain::geo::resolve_zones(None, state.as_deref(), None, phone.as_deref(), store);
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, zones[0]))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let offer_days: HashSet<_> = texts
        .iter()
        .filter(|(_, p, _, _)| p == "upsell")
        .map(|&(lead, _, at, tz)| (lead, day(at, tz)))
        .collect();
    let surveys: Vec<_> = texts.iter().filter(|(_, p, _, _)| p == "survey").collect();
    assert!(surveys.len() > 500, "{} survey texts", surveys.len());
    let mut asks_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for &&(lead, _, at, tz) in &surveys {
        let local = tz.timestamp_opt(at, 0).unwrap();
        // inside every demo state's hours (the strictest: Texas opens at 9, Florida closes at 8
        // PM, and Sundays are kept quiet)
        assert!(
            local.weekday() != Weekday::Sun && (9..20).contains(&local.hour()),
            "a survey at {local}"
        );
        assert!(
            !offer_days.contains(&(lead, day(at, tz))),
            "lead {lead} got a survey and an offer on {local}"
        );
        asks_of.entry(lead).or_default().push(at);
    }
    // mileage, the higher priority, is asked before the timeframe
    let later_mileage: i64 = c
        .query_row(
            "SELECT count(*) FROM question_history t JOIN question_history m ON m.lead_id = t.lead_id
             WHERE t.fact_key = 'purchase_timeframe' AND m.fact_key = 'mileage' AND m.asked_at > t.asked_at",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(later_mileage, 0);
    for (lead, mut asks) in asks_of {
        asks.sort();
        for pair in asks.windows(2) {
            assert!(
                pair[1] - pair[0] >= 14 * 86_400,
                "lead {lead} asked twice within a cooldown"
            );
        }
    }

    // every answer is a fact that points at the words it was read from
    let (answered, with_fact, open, expired, unread): (i64, i64, i64, i64, i64) = c
        .query_row(
            "SELECT sum(h.status = 'answered'), sum(h.status = 'answered' AND f.id IS NOT NULL),
                    sum(h.status = 'asked'), sum(h.status = 'expired'), sum(h.status = 'unparsed')
             FROM question_history h
             LEFT JOIN conv_facts f ON f.lead_id = h.lead_id AND f.key = h.fact_key
                  AND f.source_message_id = h.answer_message_id AND f.value = h.parsed_value
             WHERE h.account_id = ?1",
            [login.account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert!(answered > 500, "{answered} answered");
    assert_eq!(with_fact, answered, "an answer without its fact");
    assert!(
        expired > 0 && unread > 0,
        "some ignored ({expired}), some unreadable ({unread})"
    );
    // still waiting: only questions inside their 72-hour answer window
    let now = forecourt::clock::to_unix(t.app.now());
    let stale: i64 = c
        .query_row(
            "SELECT count(*) FROM question_history WHERE status = 'asked' AND asked_at < ?1 - 72 * 3600",
            [now],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0, "{open} open, {stale} past their window");

    // each question's figures on the questions page add up to the asks of the window
    let month = now - 30 * 86_400;
    let figures = forecourt::store::questions::figures(&c, login.account_id, month).unwrap();
    let asked: i64 = c
        .query_row(
            "SELECT count(*) FROM question_history WHERE account_id = ?1 AND asked_at >= ?2",
            [login.account_id, month],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(figures.iter().map(|f| f.asked).sum::<i64>(), asked);
    assert!(figures.iter().all(|f| f.answered + f.unreadable + f.ignored <= f.asked));
    assert!(
        figures.iter().any(|f| f.answer_rate().is_some_and(|r| r > 0.5)),
        "{figures:?}"
    );
    // the dashboard's survey card reads them
    let coverage =
        forecourt::store::questions::coverage(&c, login.account_id, now - 182 * 86_400, now - 30 * 86_400).unwrap();
    assert!(coverage.covered > 50, "{coverage:?}");
    assert!(
        coverage.closed > 50 && coverage.answered > coverage.closed / 2,
        "{coverage:?}"
    );
}

#[tokio::test]
async fn a_rep_confirms_an_unsure_reading_on_the_card_in_the_browser() {
    let (t, password) = crate::pages::demo_app().await;
    let lead: i64 = t
        .conn()
        .query_row(
            "SELECT lead_id FROM conv_facts WHERE key = 'mileage' AND needs_review = 1 LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let b = crate::browser::Browser::start().await;
    crate::pages::sign_in(&b, &t, &password).await;
    b.goto(&format!("{}/threads/{lead}", t.url)).await;
    let fact = b.find("dd[data-fact='mileage']").await.text().await;
    assert!(
        fact.contains("needs review") && fact.contains("50% sure, from"),
        "{fact}"
    );
    b.set_window_size(390, 844).await;
    b.eval("document.getElementById('facts').scrollIntoView()").await;
    b.screenshot(&crate::pages::shot("facts-review-390.png")).await;
    b.set_window_size(1440, 900).await;
    b.find("#confirm-mileage").await.click().await;
    crate::pages::wait_until(&b, "the card after confirming", |u| u.ends_with("#facts")).await;
    let fact = b.find("dd[data-fact='mileage']").await.text().await;
    assert!(
        !fact.contains("needs review") && fact.contains("set by a rep; the customer wrote"),
        "{fact}"
    );
    assert!(b.try_find("#confirm-mileage").await.is_none());
    b.screenshot(&crate::pages::shot("facts-confirmed-1440.png")).await;
    let (review, confidence): (bool, f64) = t
        .conn()
        .query_row(
            "SELECT needs_review, confidence FROM conv_facts WHERE lead_id = ?1 AND key = 'mileage'",
            [lead],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((review, confidence), (false, 1.0));
    b.quit().await;
}
