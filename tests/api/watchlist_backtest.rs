//! The watchlist's backtest over real HTTP (#13 §3): on the demo store the list's top tenth
//! 15 months back bought far more often than everyone; on a tiny hand-made store the rates are
//! exact; a backtest writes no score; a bad `as_of` is a 422 naming it.

use crate::support::*;
use chrono::{Months, NaiveDate};
use forecourt::domain::account::Vertical;
use forecourt::domain::customer::FinanceType;
use forecourt::store::{leads, vehicles};
use serde_json::Value;

fn unix(day: &str) -> i64 {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

async fn get(t: &TestApp, key: &str, path: &str) -> (u16, Value) {
    let resp = t
        .client()
        .get(format!("{}{path}", t.url))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test]
async fn on_the_demo_store_the_top_decile_15_months_back_bought_far_more_often() {
    let (t, _) = crate::pages::demo_app().await;
    let c = t.conn();
    let account: i64 = c
        .query_row("SELECT id FROM accounts ORDER BY id LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let key = "demo-backtest-key";
    c.execute(
        "UPDATE accounts SET api_key_hash = ?2 WHERE id = ?1",
        rusqlite::params![account, forecourt::secrets::sha256_hex(key)],
    )
    .unwrap();
    let day = t.app.now().checked_sub_months(Months::new(15)).unwrap().date_naive();
    let (status, b) = get(&t, key, &format!("/api/watchlist/backtest?as_of={day}")).await;
    assert_eq!(status, 200, "{b}");
    eprintln!("demo backtest at {day}: {}", serde_json::to_string_pretty(&b).unwrap());
    let customers = b["customers"].as_u64().unwrap();
    assert!(customers > 100, "{customers} customers scored");
    let lift = f(&b["top_decile"]["lift_6_months"]);
    assert!(lift > 1.5, "top decile lift {lift}");
    let windows: u64 = b["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["customers"].as_u64().unwrap())
        .sum();
    assert_eq!(windows, customers, "every customer is in one predicted window");
    assert_eq!(b["complete_12_months"], true);
    assert!(b["summary"].as_str().unwrap().starts_with("Of the top 10% on "), "{b}");
}

/// A customer owning a vehicle bought on `bought`, optionally buying again on `again`.
fn owner(t: &TestApp, account_id: i64, n: i64, bought: &str, finance: FinanceType, term: Option<i64>) -> i64 {
    let now = t.clock_now();
    t.write(|tx| {
        let lead = leads::insert(
            tx,
            account_id,
            &leads::NewLead {
                phone_e164: Some(format!("+1512555{n:04}")),
                first_name: Some(format!("Customer{n}")),
                source: "dms".into(),
                textable: true,
                ..leads::NewLead::default()
            },
            now,
        )?;
        let vehicle = vehicles::insert(
            tx,
            account_id,
            &vehicles::NewVehicle {
                year: Some(bought[..4].parse::<i32>().unwrap()),
                make: Some("HONDA".into()),
                model: Some("CIVIC".into()),
                ..vehicles::NewVehicle::default()
            },
            now,
        )?;
        vehicles::insert_ownership(
            tx,
            account_id,
            &vehicles::NewOwnership {
                lead_id: lead,
                vehicle_id: vehicle,
                purchased_at: Some(unix(bought)),
                finance_type: Some(finance),
                term_months: term,
                monthly_payment_cents: term.map(|_| 45_000),
            },
            now,
        )?;
        Ok(lead)
    })
}

fn deal(t: &TestApp, account_id: i64, lead: i64, number: &str, sold: &str) {
    t.conn()
        .execute(
            "INSERT INTO deals (account_id, deal_number, lead_id, sold_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
            rusqlite::params![account_id, number, lead, unix(sold)],
        )
        .unwrap();
}

fn scores(t: &TestApp) -> Vec<(i64, f64, String, i64)> {
    t.conn()
        .prepare("SELECT lead_id, score, buy_window, computed_at FROM scores_next_buy ORDER BY lead_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn a_tiny_store_gives_exact_rates_and_no_score_is_written() {
    let t = TestApp::spawn().await;
    let (a, key) = t.account("Lakeside Honda", Vertical::Automotive);
    // on 2025-06-01: a lease ending in 3 months and a loan paid off that month (they head the
    // list), eight cash buyers of this year (at its bottom)
    let lease = owner(&t, a, 1, "2022-09-01", FinanceType::Lease, Some(36));
    let loan = owner(&t, a, 2, "2020-06-01", FinanceType::Loan, Some(60));
    let cash: Vec<i64> = (3..=10)
        .map(|n| owner(&t, a, n, "2025-01-15", FinanceType::Cash, None))
        .collect();
    // who came in only after the day: not scored, their purchase not counted
    let later = owner(&t, a, 11, "2025-08-01", FinanceType::Cash, None);
    deal(&t, a, lease, "D-0", "2022-09-01"); // before the day: not "bought"
    deal(&t, a, lease, "D-1", "2025-08-15"); // within 3 months
    deal(&t, a, loan, "D-2", "2025-10-01"); // within 6
    deal(&t, a, loan, "D-3", "2026-01-01"); // a second purchase: the first counts
    deal(&t, a, cash[0], "D-4", "2026-03-01"); // within 12, not 6
    deal(&t, a, later, "D-5", "2025-08-01");

    // the current list, to see a backtest leave it alone
    let resp = t
        .client()
        .post(format!("{}/api/internal/scores/recompute?as_of={T0}", t.url))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let before = scores(&t);
    let history: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM score_history", [], |r| r.get(0))
        .unwrap();

    let (status, b) = get(&t, &key, "/api/watchlist/backtest?as_of=2025-06-01").await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["customers"], 10, "{b}");
    assert_eq!(b["everyone"]["within_6_months"]["bought"], 2);
    assert_eq!(b["everyone"]["within_12_months"]["bought"], 3);
    assert_eq!(f(&b["everyone"]["within_6_months"]["share"]), 0.2);
    assert_eq!(b["top_decile"]["customers"], 1);
    assert_eq!(f(&b["top_decile"]["within_6_months"]["share"]), 1.0);
    assert_eq!(f(&b["top_decile"]["lift_6_months"]), 5.0);
    assert!((f(&b["top_decile"]["lift_12_months"]) - 1.0 / 0.3).abs() < 1e-9);
    let windows = b["windows"].as_array().unwrap();
    assert_eq!(
        windows.iter().map(|w| w["customers"].as_u64().unwrap()).sum::<u64>(),
        10
    );
    assert_eq!(b["complete_12_months"], true);
    assert_eq!(b["months_after"], 17);
    assert_eq!(
        b["summary"],
        "Of the top 10% on 1 June 2025, 100% bought within 6 months; 20% of everyone did."
    );

    assert_eq!(scores(&t), before, "a backtest writes no score");
    let after: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM score_history", [], |r| r.get(0))
        .unwrap();
    assert_eq!(after, history);

    // a recent day: the figures say how far the data reaches
    let (status, b) = get(&t, &key, "/api/watchlist/backtest?as_of=2026-09-01").await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["complete_6_months"], false);
    assert!(b["summary"].as_str().unwrap().contains("so far"), "{b}");

    // bad days are named
    for q in [
        "",
        "?as_of=",
        "?as_of=yesterday",
        "?as_of=2026-13-01",
        "?as_of=2027-01-01",
    ] {
        let (status, e) = get(&t, &key, &format!("/api/watchlist/backtest{q}")).await;
        assert_eq!(status, 422, "{q}: {e}");
        assert_eq!(e["error"]["code"], "invalid_as_of", "{q}");
        assert!(
            e["error"]["message"].as_str().unwrap().starts_with("as_of:"),
            "{q}: {e}"
        );
    }
    // another account's key sees its own (empty) store
    let (_, other) = t.account("Other Motors", Vertical::Automotive);
    let (status, b) = get(&t, &other, "/api/watchlist/backtest?as_of=2025-06-01").await;
    assert_eq!(status, 200);
    assert_eq!(b["customers"], 0);
}

async fn page(t: &TestApp, cookie: &str) -> String {
    t.client()
        .get(format!("{}/watchlist", t.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn run_now(t: &TestApp, s: &crate::inbox_list::Rep) -> reqwest::Response {
    t.client()
        .post(format!("{}/watchlist/backtest", t.url))
        .header("cookie", &s.cookie)
        .form(&[("csrf", s.csrf.as_str())])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_page_shows_the_latest_backtest_and_a_manager_can_run_it_now() {
    let t = TestApp::spawn().await;
    let (a, _) = t.account("Lakeside Honda", Vertical::Automotive);
    let lease = owner(&t, a, 1, "2023-09-10", FinanceType::Lease, Some(36));
    for n in 2..=10 {
        owner(&t, a, n, "2025-10-01", FinanceType::Cash, None);
    }
    deal(&t, a, lease, "D-1", "2026-07-20");
    let m = crate::inbox_list::sign_in(&t, a, "manager@lakeside.test").await;
    let html = page(&t, &m.cookie).await;
    assert!(html.contains("No backtest yet."), "{html}");
    assert!(html.contains("id=\"run-backtest\""));

    let resp = run_now(&t, &m).await;
    assert_eq!(resp.status(), 303);
    let html = page(&t, &m.cookie).await;
    // the clock is 24 November 2026, the first sale July 2026: 6 months back
    assert!(
        html.contains("Of the top 10% on 24 May 2026, 100% bought within 6 months; 10% of everyone did."),
        "{html}"
    );
    let kept: i64 = t
        .conn()
        .query_row(
            "SELECT count(*) FROM watchlist_backtests WHERE account_id = ?1",
            [a],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);

    // a rep reads it but may not run it
    t.conn()
        .execute(
            "UPDATE users SET role = 'rep' WHERE email = 'manager@lakeside.test'",
            [],
        )
        .unwrap();
    let html = page(&t, &m.cookie).await;
    assert!(html.contains("Of the top 10% on 24 May 2026"));
    assert!(!html.contains("id=\"run-backtest\""), "no button for a rep");
    assert_eq!(run_now(&t, &m).await.status(), 403);
}

#[tokio::test]
async fn the_nightly_recompute_keeps_a_backtest_a_year_back() {
    let t = TestApp::spawn().await;
    let (a, _) = t.account("Lakeside Honda", Vertical::Automotive);
    let lease = owner(&t, a, 1, "2022-06-10", FinanceType::Lease, Some(36));
    owner(&t, a, 2, "2025-06-01", FinanceType::Cash, None);
    deal(&t, a, lease, "D-0", "2022-06-10");
    deal(&t, a, lease, "D-1", "2026-01-20");
    let resp = t
        .client()
        .post(format!("{}/api/internal/tick?as_of={T0}", t.url))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let runs: Value = resp.json().await.unwrap();
    let job = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["job"] == "scores.recompute")
        .unwrap_or_else(|| panic!("{runs}"));
    assert_eq!(job["counts"]["backtested"], 1, "{job}");
    let (as_of, json): (i64, String) = t
        .conn()
        .query_row(
            "SELECT as_of, result_json FROM watchlist_backtests WHERE account_id = ?1",
            [a],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(as_of, at("2025-11-24T15:00:00Z").timestamp(), "a year before the run");
    let b: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(b["customers"], 2);
    assert_eq!(b["everyone"]["within_12_months"]["bought"], 1);
}
