//! From the rows the store reads for a batch of customers to one [`ScoreInput`] per active
//! ownership, and from their scores to one score per customer (their most likely trade).
//!
//! Everything here is as of one day: the store reads only what was known then (see
//! `store::watchlist`), and these functions never look past `as_of` either (a visit or a
//! reply dated later is ignored), so that a backtest can score the store as it was.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::input::{Dated, Odometer, ScoreInput};
use super::{score, Score, Weights};
use crate::domain::customer::FinanceType;
use crate::domain::money::Cents;
use crate::domain::survey::Timeframe;
use crate::domain::visit::{LineStatus, ServiceLine};

/// Repair spend and declined work count over this many days.
pub const SPEND_WINDOW_DAYS: i64 = 365;

/// An active ownership with its vehicle and its customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnershipRecord {
    pub ownership_id: i64,
    pub lead_id: i64,
    pub vehicle_id: i64,
    pub finance: Option<FinanceType>,
    pub start: Option<NaiveDate>,
    pub term_months: Option<u32>,
    pub monthly_payment: Option<Cents>,
    /// From the deal (none until deals are imported).
    pub lease_miles_per_year: Option<u32>,
    /// From the deal (none until deals are imported).
    pub bought_new: Option<bool>,
    pub model_year: Option<i32>,
    pub opted_out: bool,
    pub vehicle_interest: bool,
    pub last_lead: Option<NaiveDate>,
}

/// A service visit that happened (opened or closed) on or before the day scored.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRecord {
    pub lead_id: i64,
    pub vehicle_id: Option<i64>,
    pub on: NaiveDate,
    pub mileage: Option<u32>,
    /// A repair order's total (appointments have none).
    pub repair: Option<Cents>,
    /// Its lines, when any was declined (otherwise not read).
    pub lines: Vec<ServiceLine>,
}

/// A surveyed fact (`conv_facts`): key, stored value and the day it was learned.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRecord {
    pub lead_id: i64,
    pub key: String,
    pub value: String,
    pub on: NaiveDate,
}

/// An inbound text.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyRecord {
    pub lead_id: i64,
    pub on: NaiveDate,
    pub body: String,
}

/// What the store read for one batch of customers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchRecords {
    pub owners: Vec<OwnershipRecord>,
    pub visits: Vec<VisitRecord>,
    pub facts: Vec<FactRecord>,
    pub replies: Vec<ReplyRecord>,
}

/// A customer's score, from their highest-scoring active ownership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerScore {
    pub lead_id: i64,
    /// The ownership the score came from.
    pub ownership_id: i64,
    pub score: Score,
}

/// Score every customer of the batch with `weights` as of `as_of`: one score per customer,
/// their best ownership's (ties: the first read), in lead id order.
pub fn score_batch(as_of: NaiveDate, records: &BatchRecords, weights: &Weights) -> Vec<CustomerScore> {
    let mut best: Vec<CustomerScore> = Vec::new();
    for (owner, input) in inputs(as_of, records) {
        let s = score(&input, weights);
        match best.last_mut() {
            Some(b) if b.lead_id == owner.lead_id => {
                if s.score > b.score.score {
                    b.score = s;
                    b.ownership_id = owner.ownership_id;
                }
            }
            _ => best.push(CustomerScore {
                lead_id: owner.lead_id,
                ownership_id: owner.ownership_id,
                score: s,
            }),
        }
    }
    best
}

/// One input per ownership, in lead id order (ownerships of a customer together).
pub fn inputs(as_of: NaiveDate, records: &BatchRecords) -> Vec<(&OwnershipRecord, ScoreInput)> {
    let mut visits: HashMap<i64, Vec<&VisitRecord>> = HashMap::new();
    for v in records.visits.iter().filter(|v| v.on <= as_of) {
        visits.entry(v.lead_id).or_default().push(v);
    }
    let mut facts: HashMap<i64, Vec<&FactRecord>> = HashMap::new();
    for f in records.facts.iter().filter(|f| f.on <= as_of) {
        facts.entry(f.lead_id).or_default().push(f);
    }
    let mut asked: HashMap<i64, NaiveDate> = HashMap::new();
    for r in records.replies.iter().filter(|r| r.on <= as_of) {
        if asks_about_new_vehicle(&r.body) {
            let day = asked.entry(r.lead_id).or_insert(r.on);
            *day = (*day).max(r.on);
        }
    }
    let mut owners: Vec<&OwnershipRecord> = records.owners.iter().collect();
    owners.sort_by_key(|o| (o.lead_id, o.ownership_id));
    owners
        .into_iter()
        .map(|o| {
            let mut input = ScoreInput::new(as_of);
            input.opted_out = o.opted_out;
            input.ownership.finance = o.finance;
            input.ownership.start = o.start;
            input.ownership.term_months = o.term_months;
            input.ownership.monthly_payment = o.monthly_payment;
            input.ownership.lease_miles_per_year = o.lease_miles_per_year;
            input.vehicle.model_year = o.model_year;
            input.vehicle.bought_new = o.bought_new;
            input.interest.vehicle_interest = o.vehicle_interest;
            input.interest.last_lead = o.last_lead.filter(|d| *d <= as_of);
            input.interest.asked_new_vehicle = asked.get(&o.lead_id).copied();
            let empty = Vec::new();
            fill_service(&mut input, o.vehicle_id, visits.get(&o.lead_id).unwrap_or(&empty));
            for f in facts.get(&o.lead_id).into_iter().flatten() {
                fill_fact(&mut input, f);
            }
            (o, input)
        })
        .collect()
}

/// The visit history of the customer for this vehicle (the last visit: any of the customer's).
fn fill_service(input: &mut ScoreInput, vehicle_id: i64, visits: &[&VisitRecord]) {
    let as_of = input.as_of;
    input.service.last_visit = visits.iter().map(|v| v.on).max();
    let mut own: Vec<&VisitRecord> = visits
        .iter()
        .copied()
        .filter(|v| v.vehicle_id.is_none_or(|id| id == vehicle_id))
        .collect();
    own.sort_by_key(|v| v.on);
    input.vehicle.odometer = own
        .iter()
        .filter(|v| v.vehicle_id == Some(vehicle_id))
        .filter_map(|v| v.mileage.map(|miles| Odometer { on: v.on, miles }))
        .collect();
    let recent = as_of - Duration::days(SPEND_WINDOW_DAYS);
    let prior = recent - Duration::days(SPEND_WINDOW_DAYS);
    let spend = |from: NaiveDate, to: NaiveDate| {
        let mut any = false;
        let total: i64 = own
            .iter()
            .filter(|v| v.on > from && v.on <= to)
            .filter_map(|v| v.repair)
            .inspect(|_| any = true)
            .map(Cents::get)
            .sum();
        any.then_some(Cents::new(total))
    };
    input.service.repair_spend_12m = spend(recent, as_of);
    input.service.repair_spend_prior_12m = spend(prior, recent);
    input.service.declined_big_ticket = declined_not_done(&own, recent);
}

/// Declined lines of visits after `since` whose op code no later visit performed, added up.
fn declined_not_done(visits_by_day: &[&VisitRecord], since: NaiveDate) -> Option<Cents> {
    let mut total = 0;
    let mut any = false;
    for (i, v) in visits_by_day.iter().enumerate().filter(|(_, v)| v.on > since) {
        for line in v.lines.iter().filter(|l| l.status == LineStatus::Declined) {
            let done_later = visits_by_day[i + 1..].iter().any(|later| {
                later
                    .lines
                    .iter()
                    .any(|l| l.status == LineStatus::Performed && l.op_code == line.op_code)
            });
            if !done_later {
                any = true;
                total += line.amount_cents.map_or(0, Cents::get);
            }
        }
    }
    any.then_some(Cents::new(total))
}

fn fill_fact(input: &mut ScoreInput, f: &FactRecord) {
    let on = f.on;
    match f.key.as_str() {
        "purchase_timeframe" => {
            if let Some(value) = Timeframe::parse(f.value.trim()) {
                input.facts.timeframe = Some(Dated { value, on });
            }
        }
        "trade_in_interest" => {
            let value = match f.value.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" | "1" => Some(true),
                "no" | "false" | "0" => Some(false),
                _ => None,
            };
            if let Some(value) = value {
                input.facts.trade_in = Some(Dated { value, on });
            }
        }
        "mileage" => {
            let digits: String = f.value.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            if let Ok(miles) = digits.parse::<f64>() {
                if (0.0..=1_000_000.0).contains(&miles) {
                    input.facts.mileage = Some(Dated {
                        value: miles.round() as u32,
                        on,
                    });
                }
            }
        }
        _ => {}
    }
}

/// Words in a reply that ask about buying or leasing another vehicle.
const ASKING: [&str; 13] = [
    "new car",
    "new truck",
    "new suv",
    "new vehicle",
    "upgrade",
    "trade in",
    "trade-in",
    "trade my",
    "looking to buy",
    "in the market",
    "lease deal",
    "new lease",
    "what would my payment",
];

/// Does the reply ask about a new vehicle ("any deals on a new truck?", "thinking of trading
/// my car in")?
pub fn asks_about_new_vehicle(body: &str) -> bool {
    let text = body.to_lowercase();
    let text: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' { c } else { ' ' })
        .collect();
    let text = format!(" {} ", text.split_whitespace().collect::<Vec<_>>().join(" "));
    ASKING.iter().any(|p| text.contains(&format!(" {p}"))) || (text.contains(" trading ") && text.contains(" in "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::watchlist::{Factor, Window};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn owner(lead_id: i64, vehicle_id: i64) -> OwnershipRecord {
        OwnershipRecord {
            ownership_id: vehicle_id,
            lead_id,
            vehicle_id,
            ..OwnershipRecord::default()
        }
    }

    fn visit(lead_id: i64, vehicle: i64, on: &str, mileage: u32, repair: i64) -> VisitRecord {
        VisitRecord {
            lead_id,
            vehicle_id: Some(vehicle),
            on: day(on),
            mileage: Some(mileage),
            repair: Some(Cents::new(repair)),
            lines: vec![],
        }
    }

    fn line(op: &str, cents: i64, status: LineStatus) -> ServiceLine {
        ServiceLine {
            op_code: op.into(),
            description: None,
            amount_cents: Some(Cents::new(cents)),
            status,
        }
    }

    #[test]
    fn asking_about_a_new_vehicle_is_read_from_the_words() {
        for yes in [
            "Any deals on a new truck?",
            "thinking of trading my car in",
            "What's my trade-in worth",
            "I might upgrade next month",
            "Are you running any lease deals?",
        ] {
            assert!(asks_about_new_vehicle(yes), "{yes}");
        }
        for no in ["Yes see you at 9", "is my car ready", "new tires please?", "STOP"] {
            assert!(!asks_about_new_vehicle(no), "{no}");
        }
    }

    #[test]
    fn visits_give_the_odometer_spend_windows_and_declined_work_not_done_since() {
        let as_of = day("2026-06-01");
        let mut v1 = visit(1, 10, "2025-03-01", 40_000, 20_000);
        v1.lines = vec![line("BRK", 60_000, LineStatus::Declined)];
        let mut v2 = visit(1, 10, "2025-09-01", 46_000, 90_000);
        v2.lines = vec![
            line("TIRES", 80_000, LineStatus::Declined),
            line("OIL", 8_000, LineStatus::Performed),
        ];
        let mut v3 = visit(1, 10, "2026-02-01", 50_000, 80_000);
        v3.lines = vec![line("TIRES", 80_000, LineStatus::Performed)];
        let other_car = visit(1, 11, "2026-05-01", 9_000, 1_000_000);
        let later = visit(1, 10, "2026-07-01", 55_000, 5_000);
        let records = BatchRecords {
            owners: vec![owner(1, 10)],
            visits: vec![v3, other_car, v1, v2, later],
            ..BatchRecords::default()
        };
        let (owner, input) = inputs(as_of, &records).remove(0);
        assert_eq!(owner.lead_id, 1);
        // the other car's visit is the latest visit; the one after as_of is not seen
        assert_eq!(input.service.last_visit, Some(day("2026-05-01")));
        assert_eq!(input.vehicle.odometer.len(), 3);
        assert_eq!(input.service.repair_spend_12m, Some(Cents::new(170_000)));
        assert_eq!(input.service.repair_spend_prior_12m, Some(Cents::new(20_000)));
        // the brakes were declined over 12 months ago; the tires were done since
        assert_eq!(input.service.declined_big_ticket, None);
    }

    #[test]
    fn facts_are_read_from_their_stored_words_and_later_ones_are_unknown() {
        let as_of = day("2026-06-01");
        let fact = |key: &str, value: &str, on: &str| FactRecord {
            lead_id: 1,
            key: key.into(),
            value: value.into(),
            on: day(on),
        };
        let records = BatchRecords {
            owners: vec![owner(1, 10)],
            facts: vec![
                fact("purchase_timeframe", "0-3m", "2026-05-01"),
                fact("trade_in_interest", "yes", "2026-05-02"),
                fact("mileage", "48,500", "2026-06-02"),
            ],
            ..BatchRecords::default()
        };
        let (_, input) = inputs(as_of, &records).remove(0);
        assert_eq!(input.facts.timeframe.map(|t| t.value), Some(Timeframe::Within3Months));
        assert_eq!(input.facts.trade_in.map(|t| t.value), Some(true));
        assert_eq!(input.facts.mileage, None);
    }

    #[test]
    fn a_customer_is_scored_by_their_best_ownership() {
        let as_of = day("2026-06-01");
        let lease = OwnershipRecord {
            finance: Some(FinanceType::Lease),
            start: Some(day("2023-11-01")),
            term_months: Some(36),
            ..owner(1, 11)
        };
        let cash = OwnershipRecord {
            finance: Some(FinanceType::Cash),
            start: Some(day("2026-05-01")),
            ..owner(1, 10)
        };
        let records = BatchRecords {
            owners: vec![lease, cash, owner(2, 12)],
            replies: vec![ReplyRecord {
                lead_id: 2,
                on: day("2026-05-20"),
                body: "any deals on a new SUV?".into(),
            }],
            ..BatchRecords::default()
        };
        let scores = score_batch(as_of, &records, &Weights::default());
        assert_eq!(scores.len(), 2);
        assert_eq!((scores[0].lead_id, scores[0].ownership_id), (1, 11));
        assert_eq!(scores[0].score.reasons[0].factor, Factor::LeaseEnd);
        assert_eq!(scores[0].score.window, Window::In3To6Months);
        assert_eq!(scores[1].score.reasons[0].factor, Factor::AskedNewVehicle);
        assert_eq!(scores[1].score.window, Window::Within3Months);
    }
}
