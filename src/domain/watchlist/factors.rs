//! Each factor's reading of a [`ScoreInput`]: how strongly it applies (a share of its
//! weight, 0 to 1) and the words that say why. The thresholds here are the ones
//! [`super::FACTORS`] documents.

use chrono::{Months, NaiveDate};

use super::input::{Dated, ScoreInput};
use super::weights::Factor;
use crate::domain::customer::FinanceType;
use crate::domain::money::Cents;
use crate::domain::survey::Timeframe;

/// Average miles driven a year (FHWA), when nothing better is known.
pub const TYPICAL_MILES_PER_YEAR: f64 = 13_500.0;
/// Average age of a vehicle at trade-in, in years.
pub const TRADE_IN_AGE_YEARS: f64 = 7.6;
/// A surveyed purchase timeframe decides the window for this many days.
pub const FRESH_TIMEFRAME_DAYS: i64 = 90;
/// Trade-in interest counts for this many days.
pub const FRESH_TRADE_IN_DAYS: i64 = 180;
/// A lead or a question about a new vehicle counts for this many days.
pub const RECENT_INTEREST_DAYS: i64 = 30;
/// The reference monthly payment for a cash buyer's repair spend (average used-car payment).
pub const REFERENCE_PAYMENT: Cents = Cents::new(52_500);

const DAYS_PER_MONTH: f64 = 30.4375;
const DAYS_PER_YEAR: f64 = 365.25;

/// One factor that applies: how strongly (0..=1) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub factor: Factor,
    pub strength: f64,
    pub text: String,
}

/// Every factor that applies to `input`, in [`Factor::ALL`] order.
pub fn signals(input: &ScoreInput) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut add = |factor, strength: f64, text: String| {
        if strength > 0.0 {
            out.push(Signal {
                factor,
                strength: strength.min(1.0),
                text,
            });
        }
    };
    let as_of = input.as_of;
    let own = &input.ownership;

    if let (Some(FinanceType::Loan), Some(start), Some(term)) = (own.finance, own.start, own.term_months) {
        let elapsed = months(start, as_of) / f64::from(term.max(1));
        add(
            Factor::FinanceTerm,
            (elapsed - 0.25) / 0.5,
            format!(
                "{}% of the {term}-month loan paid through",
                (elapsed * 100.0).round().min(100.0)
            ),
        );
        let left = payments_left(start, term, as_of);
        let text = match left {
            0 => "Loan paid off".to_string(),
            1 => "1 payment left".to_string(),
            n => format!("{n} payments left"),
        };
        if left <= 12 {
            add(Factor::PaymentsLeft, 1.0, text);
        }
    }

    if let Some(end) = lease_end(input) {
        let to_end = months(as_of, end);
        let strength = match to_end {
            m if m <= 6.0 => 1.0,
            m if m <= 12.0 => 0.6,
            m if m <= 18.0 => 0.3,
            _ => 0.0,
        };
        let text = if to_end <= 0.0 {
            "Lease has ended".to_string()
        } else {
            match to_end.ceil() {
                m if m <= 1.0 => "Lease ends this month".to_string(),
                m => format!("Lease ends in {m} months"),
            }
        };
        add(Factor::LeaseEnd, strength, text);

        if let (Some(per_year), Some(term), Some(miles)) =
            (own.lease_miles_per_year, own.term_months, estimate_miles(input))
        {
            let allowance = f64::from(per_year) * f64::from(term) / 12.0;
            let projected = miles.now + miles.per_year * to_end.max(0.0) / 12.0;
            let over = projected / allowance.max(1.0) - 1.0;
            if over > 0.0 {
                add(
                    Factor::LeaseMileage,
                    if over >= 0.10 { 1.0 } else { 0.5 },
                    format!(
                        "Projected {} miles over the lease allowance",
                        round_to(projected - allowance, 100.0)
                    ),
                );
            }
        }
    }

    let age = vehicle_age_years(input);
    if let Some(age) = age {
        let strength = if age >= TRADE_IN_AGE_YEARS {
            1.0
        } else if age >= 5.0 {
            0.5
        } else {
            0.0
        };
        add(Factor::VehicleAge, strength, format!("Vehicle is {age:.0} years old"));
    }
    let miles = estimate_miles(input);
    if let Some(m) = &miles {
        let full = TRADE_IN_AGE_YEARS * TYPICAL_MILES_PER_YEAR;
        let strength = if m.now >= full {
            1.0
        } else if m.now >= 60_000.0 {
            0.5
        } else {
            0.0
        };
        add(
            Factor::VehicleMileage,
            strength,
            format!("About {} miles", round_to(m.now, 1000.0)),
        );
    }
    let warranty_age = warranty_start(input).map(|start| years(start, as_of));
    let past_age = warranty_age.is_some_and(|y| y >= 3.0);
    let past_miles = miles.as_ref().is_some_and(|m| m.now >= 36_000.0);
    if past_age || past_miles {
        add(
            Factor::WarrantyExpired,
            1.0,
            "Basic warranty (3 years/36,000 miles) likely expired".into(),
        );
    }

    let service = &input.service;
    if let Some(visit) = service.last_visit {
        let days = (as_of - visit).num_days();
        let strength = if days <= 90 {
            1.0
        } else if days <= 180 {
            0.5
        } else {
            0.0
        };
        add(Factor::LastVisit, strength, format!("In for service {days} days ago"));
    }
    if let Some(spend) = service.repair_spend_12m {
        let prior = service.repair_spend_prior_12m.unwrap_or(Cents::ZERO);
        let payment = own.monthly_payment.filter(|p| p.get() > 0).unwrap_or(REFERENCE_PAYMENT);
        let ratio = spend.get() as f64 / payment.get() as f64;
        if spend > prior {
            let strength = if ratio >= 3.0 {
                1.0
            } else if ratio >= 1.5 {
                0.5
            } else {
                0.0
            };
            add(
                Factor::RepairSpend,
                strength,
                format!("Repairs up to {spend} in the last 12 months (from {prior})"),
            );
        }
    }
    if let Some(declined) = service.declined_big_ticket {
        let strength = match declined.get() {
            c if c >= 100_000 => 1.0,
            c if c >= 50_000 => 0.5,
            _ => 0.0,
        };
        add(
            Factor::DeclinedWork,
            strength,
            format!("Declined {declined} of recommended work"),
        );
    }

    if let Some(tf) = fresh_timeframe(input) {
        let strength = match tf {
            Timeframe::Within3Months => 1.0,
            Timeframe::In3To6Months => 2.0 / 3.0,
            Timeframe::In6To12Months => 1.0 / 3.0,
            Timeframe::After12Months | Timeframe::NoPlans => 0.0,
        };
        let said = match tf {
            Timeframe::NoPlans => "Said they have no plans to buy".to_string(),
            tf => format!("Said they plan to buy {}", tf.in_words()),
        };
        add(Factor::Timeframe, strength, said);
    }
    if let Some(Dated { value: true, on }) = input.facts.trade_in {
        if within(on, as_of, FRESH_TRADE_IN_DAYS) {
            add(Factor::TradeIn, 1.0, "Interested in trading in".into());
        }
    }

    let interest = &input.interest;
    if interest
        .last_lead
        .is_some_and(|d| within(d, as_of, RECENT_INTEREST_DAYS))
    {
        add(Factor::RecentLead, 1.0, "New lead in the last 30 days".into());
    }
    if interest.vehicle_interest {
        add(Factor::VehicleInterest, 1.0, "Named a vehicle of interest".into());
    }
    if interest
        .asked_new_vehicle
        .is_some_and(|d| within(d, as_of, RECENT_INTEREST_DAYS))
    {
        add(Factor::AskedNewVehicle, 1.0, "Asked about a new vehicle".into());
    }
    out
}

/// The surveyed timeframe, when it was answered within [`FRESH_TIMEFRAME_DAYS`].
pub fn fresh_timeframe(input: &ScoreInput) -> Option<Timeframe> {
    let tf = input.facts.timeframe?;
    within(tf.on, input.as_of, FRESH_TIMEFRAME_DAYS).then_some(tf.value)
}

/// When the active lease ends, for a lease with a start and a term.
pub fn lease_end(input: &ScoreInput) -> Option<NaiveDate> {
    let own = &input.ownership;
    match (own.finance, own.start, own.term_months) {
        (Some(FinanceType::Lease), Some(start), Some(term)) => start.checked_add_months(Months::new(term)),
        _ => None,
    }
}

/// The months until the last loan payment, for a loan with a start and a term.
pub fn loan_months_left(input: &ScoreInput) -> Option<f64> {
    let own = &input.ownership;
    match (own.finance, own.start, own.term_months) {
        (Some(FinanceType::Loan), Some(start), Some(term)) => Some(f64::from(payments_left(start, term, input.as_of))),
        _ => None,
    }
}

/// Monthly payments not yet due: the term less the whole months since the start.
fn payments_left(start: NaiveDate, term: u32, as_of: NaiveDate) -> u32 {
    let paid = months(start, as_of).floor().max(0.0) as u32;
    term.saturating_sub(paid)
}

/// The estimated odometer now and the driving rate behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Miles {
    pub now: f64,
    pub per_year: f64,
}

/// The odometer today: the latest reading (a visit's, or the surveyed mileage if newer)
/// carried forward at the rate between the first and last visit readings (when at least 60
/// days apart), else the vehicle's known rate, else [`TYPICAL_MILES_PER_YEAR`].
pub fn estimate_miles(input: &ScoreInput) -> Option<Miles> {
    let mut readings = input.vehicle.odometer.clone();
    readings.sort_by_key(|r| r.on);
    let measured = match (readings.first(), readings.last()) {
        (Some(a), Some(b)) if (b.on - a.on).num_days() >= 60 && b.miles >= a.miles => {
            Some(f64::from(b.miles - a.miles) / years(a.on, b.on))
        }
        _ => None,
    };
    let per_year = measured
        .or(input.vehicle.miles_per_year.map(f64::from))
        .unwrap_or(TYPICAL_MILES_PER_YEAR);
    let visit = readings.last().map(|r| (r.on, r.miles));
    let fact = input.facts.mileage.map(|f| (f.on, f.value));
    let (on, miles) = match (visit, fact) {
        (Some(v), Some(f)) => {
            if f.0 > v.0 {
                f
            } else {
                v
            }
        }
        (v, f) => v.or(f)?,
    };
    let since = years(on, input.as_of).max(0.0);
    Some(Miles {
        now: f64::from(miles) + per_year * since,
        per_year,
    })
}

/// Years since the model year began (taken as January 1st of the model year).
fn vehicle_age_years(input: &ScoreInput) -> Option<f64> {
    let year = input.vehicle.model_year?;
    let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
    Some(years(start, input.as_of).max(0.0))
}

/// When the basic warranty began: the purchase for a vehicle bought new, else the model year.
fn warranty_start(input: &ScoreInput) -> Option<NaiveDate> {
    let from_model_year = || NaiveDate::from_ymd_opt(input.vehicle.model_year?, 1, 1);
    match (input.vehicle.bought_new, input.ownership.start) {
        (Some(true), Some(start)) => Some(start),
        _ => from_model_year(),
    }
}

fn within(day: NaiveDate, as_of: NaiveDate, days: i64) -> bool {
    let age = (as_of - day).num_days();
    (0..=days).contains(&age)
}

fn months(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / DAYS_PER_MONTH
}

fn years(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / DAYS_PER_YEAR
}

fn round_to(x: f64, step: f64) -> String {
    crate::domain::money::thousands(((x / step).round() * step) as i64)
}
