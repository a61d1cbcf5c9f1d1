//! The demo store's deal history (#13 §3): about three years of sales stored through the same
//! functions an import uses, where who buys again follows the signals the watchlist scores
//! (a lease ending, a loan mostly paid, an old vehicle, a stated timeframe) with noise.

use crate::support::*;
use forecourt::domain::customer::FinanceType;
use forecourt::domain::money::Cents;
use forecourt::domain::survey::Timeframe;
use forecourt::domain::watchlist::{self, Dated, Odometer, ScoreInput, Weights};
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

fn day(t: i64) -> chrono::NaiveDate {
    forecourt::clock::from_unix(t).date_naive()
}

/// The watchlist's own scorer, fed by a crude loader (what was known on a past day: the
/// ownership, its deal's lease miles, odometer readings, surveyed facts), ranks the demo's
/// customers so that its top tenth bought far more often than everyone. (Not the backtest: a
/// check that the generated history gives it something to find.)
#[tokio::test]
async fn the_scorer_top_decile_on_a_past_day_bought_far_more_often_than_everyone() {
    let t = TestApp::spawn().await;
    let mut conn = t.app.db.conn().unwrap();
    let login = forecourt::demo::seed(&mut conn, &t.app.config.data_dir, t.app.now()).unwrap();
    let (a, now) = (login.account_id, forecourt::clock::to_unix(t.app.now()));
    let as_of = now - 15 * MONTH;
    let c = t.conn();
    type Row = (
        i64,
        i64,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i32>,
        Option<i64>,
    );
    let owned: Vec<Row> = c
        .prepare(
            "SELECT o.lead_id, o.vehicle_id, o.finance_type, o.purchased_at, o.term_months, o.monthly_payment_cents,
                    v.year, (SELECT d.lease_miles_per_year FROM deals d WHERE d.vehicle_id = o.vehicle_id
                             AND d.sold_at = o.purchased_at)
             FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id
             WHERE o.account_id = ?1 AND o.purchased_at <= ?2 AND (o.ended_at IS NULL OR o.ended_at > ?2)",
        )
        .unwrap()
        .query_map([a, as_of], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut readings: HashMap<i64, Vec<Odometer>> = HashMap::new();
    let mut q = c
        .prepare("SELECT vehicle_id, opened_at, mileage FROM service_events WHERE account_id = ?1 AND opened_at <= ?2 AND mileage IS NOT NULL")
        .unwrap();
    for r in q
        .query_map([a, as_of], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        })
        .unwrap()
    {
        let (v, at, miles) = r.unwrap();
        readings.entry(v).or_default().push(Odometer {
            on: day(at),
            miles: miles.max(0) as u32,
        });
    }
    let mut facts: HashMap<(i64, String), (String, i64)> = HashMap::new();
    let mut q = c
        .prepare("SELECT lead_id, key, value, observed_at FROM conv_facts WHERE account_id = ?1 AND observed_at <= ?2")
        .unwrap();
    for r in q
        .query_map([a, as_of], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .unwrap()
    {
        let (lead, key, value, at) = r.unwrap();
        facts.insert((lead, key), (value, at));
    }
    let bought: HashSet<i64> = c
        .prepare("SELECT lead_id FROM deals WHERE account_id = ?1 AND sold_at > ?2 AND sold_at <= ?3 AND lead_id IS NOT NULL")
        .unwrap()
        .query_map([a, as_of, as_of + 6 * MONTH], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let weights = Weights::default();
    let mut best: HashMap<i64, u32> = HashMap::new();
    for (lead, vehicle, finance, purchased, term, payment, year, lease_miles) in owned {
        let mut input = ScoreInput::new(day(as_of));
        input.ownership.finance = finance.as_deref().and_then(FinanceType::parse);
        input.ownership.start = Some(day(purchased));
        input.ownership.term_months = term.map(|t| t as u32);
        input.ownership.monthly_payment = payment.map(Cents::new);
        input.ownership.lease_miles_per_year = lease_miles.map(|m| m as u32);
        input.vehicle.model_year = year;
        input.vehicle.odometer = readings.remove(&vehicle).unwrap_or_default();
        if let Some((v, at)) = facts.get(&(lead, "purchase_timeframe".to_string())) {
            input.facts.timeframe = Timeframe::parse(v).map(|value| Dated { value, on: day(*at) });
        }
        if let Some((v, at)) = facts.get(&(lead, "trade_in_interest".to_string())) {
            input.facts.trade_in = Some(Dated {
                value: v == "yes",
                on: day(*at),
            });
        }
        let s = watchlist::score(&input, &weights).score;
        let e = best.entry(lead).or_insert(0);
        *e = (*e).max(s);
    }
    let mut ranked: Vec<(i64, u32)> = best.into_iter().collect();
    ranked.sort_by_key(|&(lead, s)| (std::cmp::Reverse(s), lead));
    let rate =
        |leads: &[(i64, u32)]| leads.iter().filter(|(l, _)| bought.contains(l)).count() as f64 / leads.len() as f64;
    let (top, base) = (rate(&ranked[..ranked.len() / 10]), rate(&ranked));
    eprintln!(
        "15 months back: top decile {top:.3}, everyone {base:.3}, lift {:.1}",
        top / base
    );
    assert!(top > 2.5 * base, "top decile {top} vs base {base}");
}
