//! The cap, the reasons, how weights re-rank customers and how they are checked; the
//! factor and window tables are in `edges`.

use chrono::{Duration, Months, NaiveDate};

use super::*;
use crate::domain::customer::FinanceType;
use crate::domain::money::Cents;
use crate::domain::survey::Timeframe;

mod edges;

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const AS_OF: (i32, u32, u32) = (2026, 11, 30);

pub(super) fn as_of() -> NaiveDate {
    day(AS_OF.0, AS_OF.1, AS_OF.2)
}

pub(super) fn days_ago(n: i64) -> NaiveDate {
    as_of() - Duration::days(n)
}

pub(super) fn months_ago(n: u32) -> NaiveDate {
    as_of().checked_sub_months(Months::new(n)).unwrap()
}

pub(super) fn blank() -> ScoreInput {
    ScoreInput::new(as_of())
}

/// A loan or lease of `term` months that started `ago` months before as_of.
pub(super) fn financed(kind: FinanceType, term: u32, ago: u32) -> ScoreInput {
    let mut i = blank();
    i.ownership = Ownership {
        finance: Some(kind),
        start: Some(months_ago(ago)),
        term_months: Some(term),
        monthly_payment: Some(Cents::new(45_000)),
        lease_miles_per_year: (kind == FinanceType::Lease).then_some(12_000),
    };
    i
}

pub(super) fn with(mut i: ScoreInput, f: impl FnOnce(&mut ScoreInput)) -> ScoreInput {
    f(&mut i);
    i
}

pub(super) fn odometer(i: &mut ScoreInput, readings: &[(NaiveDate, u32)]) {
    i.vehicle.odometer = readings.iter().map(|&(on, miles)| Odometer { on, miles }).collect();
}

pub(super) fn points(i: &ScoreInput, factor: Factor) -> u32 {
    let s = score(i, &Weights::default());
    s.reasons.iter().find(|r| r.factor == factor).map_or(0, |r| r.points)
}

/// A 2019 car at 110,000 miles (age 10, mileage 10, warranty 5), with declined work (10)
/// and a recent visit (5): 40; with `more`, rising repairs (10) and trade-in interest (10): 60.
pub(super) fn old_car(more: bool) -> ScoreInput {
    with(blank(), |i| {
        i.vehicle.model_year = Some(2019);
        odometer(i, &[(days_ago(20), 110_000)]);
        i.service.declined_big_ticket = Some(Cents::new(120_000));
        i.service.last_visit = Some(days_ago(20));
        if more {
            i.service.repair_spend_12m = Some(Cents::new(200_000));
            i.facts.trade_in = Some(Dated {
                value: true,
                on: days_ago(20),
            });
        } else {
            i.facts.trade_in = Some(Dated {
                value: false,
                on: days_ago(20),
            });
        }
    })
}

fn everything() -> ScoreInput {
    with(financed(FinanceType::Lease, 36, 34), |i| {
        i.vehicle.model_year = Some(2018);
        odometer(i, &[(days_ago(400), 70_000), (days_ago(10), 110_000)]);
        i.service.declined_big_ticket = Some(Cents::new(300_000));
        i.facts.timeframe = Some(Dated {
            value: Timeframe::Within3Months,
            on: days_ago(5),
        });
        i.interest.last_lead = Some(days_ago(2));
        i.interest.vehicle_interest = true;
    })
}

#[test]
fn the_score_is_the_reasons_added_up_and_capped_at_100() {
    let inputs = [
        blank(),
        everything(),
        old_car(true),
        old_car(false),
        financed(FinanceType::Loan, 60, 50),
        financed(FinanceType::Lease, 36, 29),
    ];
    for weights in [Weights::default(), Weights::default().with(Factor::LeaseEnd, 100)] {
        for input in &inputs {
            let s = score(input, &weights);
            let sum: u32 = s.reasons.iter().map(|r| r.points).sum();
            assert_eq!(s.score, sum.min(MAX_SCORE));
            assert_eq!(s.capped, sum > MAX_SCORE);
            assert!(
                s.reasons.windows(2).all(|w| w[0].points >= w[1].points),
                "most points first"
            );
            assert!(s
                .reasons
                .iter()
                .all(|r| r.points > 0 && r.points <= weights.get(r.factor)));
        }
    }
    let top = score(&everything(), &Weights::default());
    assert!(top.capped && top.score == 100, "{top:?}");
    assert_eq!(top.reasons[0].factor, Factor::LeaseEnd);
}

#[test]
fn reasons_read_with_their_points() {
    let s = score(&financed(FinanceType::Lease, 36, 32), &Weights::default());
    assert_eq!(s.reasons[0].to_string(), "Lease ends in 4 months (+35)");
    assert_eq!(s.reasons[0].factor.as_str(), "lease_end");
}

#[test]
fn an_opted_out_customer_is_scored_the_same() {
    let input = old_car(true);
    let opted_out = with(input.clone(), |i| i.opted_out = true);
    let (a, b) = (
        score(&input, &Weights::default()),
        score(&opted_out, &Weights::default()),
    );
    assert!(b.opted_out && !a.opted_out);
    assert_eq!((a.score, a.window, a.reasons), (b.score, b.window, b.reasons));
}

#[test]
fn lease_ending_soon_outranks_a_young_loan_which_outranks_last_months_cash_buyer() {
    let lease = with(financed(FinanceType::Lease, 36, 33), |i| {
        i.vehicle.model_year = Some(2024)
    });
    let loan = with(financed(FinanceType::Loan, 72, 24), |i| {
        i.vehicle.model_year = Some(2025)
    });
    let cash = with(financed(FinanceType::Cash, 0, 1), |i| i.vehicle.model_year = Some(2027));
    let w = Weights::default();
    let (lease, loan, cash) = (score(&lease, &w), score(&loan, &w), score(&cash, &w));
    assert!(
        lease.score > loan.score && loan.score > cash.score,
        "{lease:?} {loan:?} {cash:?}"
    );
    assert_eq!(lease.window, Window::Within3Months);
}

#[test]
fn weights_re_rank_customers() {
    let lease = financed(FinanceType::Lease, 36, 33);
    let loan = financed(FinanceType::Loan, 60, 52);
    let rank = |w: &Weights| score(&lease, w).score > score(&loan, w).score;
    assert!(
        rank(&Weights::default()),
        "a lease ending in 3 months outranks a loan near its end"
    );
    assert!(
        !rank(&Weights::default().with(Factor::LeaseEnd, 0)),
        "not when lease end counts for nothing"
    );
    let no_loan = Weights::default()
        .with(Factor::FinanceTerm, 0)
        .with(Factor::PaymentsLeft, 0);
    assert_eq!(score(&loan, &no_loan).score, 0);
}

#[test]
fn the_default_weights_are_the_documented_ones_and_valid() {
    let w = Weights::default();
    assert_eq!(
        FACTORS.map(|f| f.factor),
        Factor::ALL,
        "FACTORS lists every factor in order"
    );
    for f in FACTORS {
        assert_eq!(w.get(f.factor), f.default_points, "{}", f.factor);
        assert!(!f.label.is_empty() && !f.source.is_empty());
    }
    assert_eq!(w.validate(), Ok(()));
}

#[test]
fn weights_are_validated_field_by_field() {
    let bad = Weights::default()
        .with(Factor::LeaseEnd, 101)
        .with(Factor::TradeIn, 250);
    let errors = bad.validate().unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.0).collect();
    assert_eq!(fields, ["lease_end", "trade_in"]);
    assert!(errors[0].1.contains("0 to 100"));

    let low = Weights::zero().with(Factor::Timeframe, 99);
    assert_eq!(low.validate().unwrap_err()[0].0, "total");
    assert_eq!(Weights::zero().with(Factor::Timeframe, 100).validate(), Ok(()));
}

#[test]
fn weights_serialize_by_factor_key_and_missing_keys_take_defaults() {
    let json = serde_json::to_value(Weights::default()).unwrap();
    for f in Factor::ALL {
        assert!(json.get(f.as_str()).is_some(), "{f}");
    }
    let w: Weights = serde_json::from_str(r#"{"lease_end": 50}"#).unwrap();
    assert_eq!(w, Weights::default().with(Factor::LeaseEnd, 50));
    assert!(serde_json::from_str::<Weights>(r#"{"lease_ends": 50}"#).is_err());
    assert!(serde_json::from_str::<Weights>(r#"{"lease_end": -1}"#).is_err());
}

#[test]
fn windows_are_words() {
    assert_eq!(Window::words(), "0-3m, 3-6m, 6-12m, 12m+");
    assert_eq!(Window::parse("6-12m"), Some(Window::In6To12Months));
    assert_eq!(Window::parse("no_plans"), None);
    assert_eq!(Window::from(Timeframe::NoPlans), Window::After12Months);
}

#[test]
fn mileage_is_carried_forward_from_the_newest_reading() {
    let est = |i: &ScoreInput| estimate_miles(i).map(|m| (m.now.round() as u32, m.per_year.round() as u32));
    assert_eq!(est(&blank()), None, "no reading, no estimate");
    let visits = with(blank(), |i| odometer(i, &[(days_ago(365), 20_000), (as_of(), 30_000)]));
    assert_eq!(est(&visits), Some((30_000, 10_007)), "the rate between visits");
    let close = with(blank(), |i| {
        odometer(i, &[(days_ago(59), 20_000), (days_ago(100), 19_000)])
    });
    let typical = (20_000.0 + TYPICAL_MILES_PER_YEAR * 59.0 / 365.25).round() as u32;
    assert_eq!(
        est(&close),
        Some((typical, 13_500)),
        "readings under 60 days apart: typical rate"
    );
    let known = with(close.clone(), |i| i.vehicle.miles_per_year = Some(20_000));
    assert_eq!(est(&known).unwrap().1, 20_000, "a known rate beats the typical one");
    let surveyed = with(blank(), |i| {
        odometer(i, &[(days_ago(400), 10_000), (days_ago(35), 20_000)]);
        i.facts.mileage = Some(Dated {
            value: 31_000,
            on: days_ago(1),
        });
    });
    assert_eq!(
        est(&surveyed).unwrap().0,
        31_027,
        "a newer surveyed mileage is the anchor"
    );
}

#[test]
fn reasons_say_what_applies_in_words() {
    let text = |i: &ScoreInput, f: Factor| {
        let s = score(i, &Weights::default());
        s.reasons.into_iter().find(|r| r.factor == f).map(|r| r.to_string())
    };
    let paid = financed(FinanceType::Loan, 60, 61);
    assert_eq!(
        text(&paid, Factor::PaymentsLeft).as_deref(),
        Some("Loan paid off (+10)")
    );
    assert_eq!(
        text(&paid, Factor::FinanceTerm).as_deref(),
        Some("100% of the 60-month loan paid through (+20)")
    );
    let ended = financed(FinanceType::Lease, 36, 40);
    assert_eq!(text(&ended, Factor::LeaseEnd).as_deref(), Some("Lease has ended (+35)"));
}
