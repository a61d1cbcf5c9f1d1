//! The demo store's deal history (#13 §3): about three years of sales stored through the same
//! functions an import uses, where who buys again follows the signals the watchlist scores
//! (a lease ending, a loan mostly paid, an old vehicle, a stated timeframe) with noise.

use crate::support::*;
use std::collections::{HashMap, HashSet};

const MONTH: i64 = 2_629_800;

#[tokio::test]
async fn the_demo_deal_history_has_buyers_driven_by_the_watchlist_signals() {
    let t = TestApp::spawn().await;
    let mut conn = t.app.db.conn().unwrap();
    let started = std::time::Instant::now();
    let login = forecourt::demo::seed(&mut conn, &t.app.config.data_dir, t.app.now()).unwrap();
    eprintln!("demo seeded in {:?}", started.elapsed());
    let now = forecourt::clock::to_unix(t.app.now());
    let c = t.conn();
    let (deals, first, last, future_ends): (i64, i64, i64, i64) = c
        .query_row(
            "SELECT count(*), min(sold_at), max(sold_at),
                    (SELECT count(*) FROM ownerships WHERE account_id = ?1 AND (ended_at > ?2 OR purchased_at > ?2))
             FROM deals WHERE account_id = ?1",
            [login.account_id, now],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(deals > 300, "{deals} deals");
    assert!(
        first >= now - 37 * MONTH && first < now - 30 * MONTH,
        "about three years back"
    );
    assert!(last < now, "no deal in the future");
    assert_eq!(future_ends, 0, "no ownership begins or ends in the future");
    let kinds: i64 = c
        .query_row(
            "SELECT count(DISTINCT sale_type) + count(DISTINCT lease_miles_per_year) FROM deals WHERE account_id = ?1",
            [login.account_id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kinds >= 5, "cash, finance and lease deals, leases with their miles");

    // as of a past day: who owned what, and who bought in the year after
    for months_back in [12, 20] {
        let as_of = now - months_back * MONTH;
        let owned: Vec<(i64, Option<String>, i64, Option<i64>)> = c
            .prepare(
                "SELECT lead_id, finance_type, purchased_at, term_months FROM ownerships
                 WHERE account_id = ?1 AND purchased_at <= ?2 AND (ended_at IS NULL OR ended_at > ?2)",
            )
            .unwrap()
            .query_map([login.account_id, as_of], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let bought: HashSet<i64> = c
            .prepare("SELECT lead_id FROM deals WHERE account_id = ?1 AND sold_at > ?2 AND sold_at <= ?3 AND lead_id IS NOT NULL")
            .unwrap()
            .query_map([login.account_id, as_of, as_of + 6 * MONTH], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut everyone: HashMap<i64, bool> = HashMap::new();
        let (mut ending, mut new_cash, mut paid_down) = (HashSet::new(), HashSet::new(), HashSet::new());
        for (lead, finance, purchased, term) in &owned {
            everyone.insert(*lead, bought.contains(lead));
            let end = purchased + term.unwrap_or(0) * MONTH;
            if finance.as_deref() == Some("lease") && end > as_of && end <= as_of + 6 * MONTH {
                ending.insert(*lead);
            }
            let elapsed = (as_of - purchased) as f64 / (term.unwrap_or(1) * MONTH) as f64;
            if finance.as_deref() == Some("loan") && (0.75..1.0).contains(&elapsed) {
                paid_down.insert(*lead);
            }
            if finance.as_deref() == Some("cash") && as_of - purchased < 24 * MONTH {
                new_cash.insert(*lead);
            }
        }
        let share = |group: &HashSet<i64>| {
            group.iter().filter(|l| bought.contains(l)).count() as f64 / group.len().max(1) as f64
        };
        let base = everyone.values().filter(|b| **b).count() as f64 / everyone.len() as f64;
        let (lease, cash, loan) = (share(&ending), share(&new_cash), share(&paid_down));
        eprintln!(
            "{months_back} months back: base {base:.3} of {}, lease ending {lease:.3} of {}, recent cash {cash:.3} of {}, loan 75-100% paid {loan:.3} of {}",
            everyone.len(),
            ending.len(),
            new_cash.len(),
            paid_down.len()
        );
        assert!(base > 0.02 && base < 0.2, "a plausible base rate: {base}");
        assert!(ending.len() >= 15, "enough leases ending to tell: {}", ending.len());
        assert!(
            lease > 3.0 * base,
            "a lease ending drives a purchase: {lease} vs {base}"
        );
        assert!(
            loan > 2.0 * base,
            "a loan mostly paid drives a purchase: {loan} vs {base}"
        );
        assert!(cash < base, "a recent cash buyer rarely buys again: {cash} vs {base}");
    }
}
