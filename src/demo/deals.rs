//! The demo store's deal history: about three years of sales, stored through the functions a
//! deals import uses (`take_ownership_at`, `end_ownership_at`, `deals::upsert_imported`), so the
//! watchlist's backtest has something true to count.
//!
//! Who buys again follows the kinds of signals the watchlist scores (`domain::watchlist`), with
//! noise: a vehicle is most likely replaced when its lease ends, when its loan is mostly paid,
//! or once it is old (sooner if it is driven a lot); a buyer often said "within 3 months" or
//! asked about a trade-in shortly before. Most such owners buy near that time; some never do;
//! a few buy with no sign at all. Everything is drawn from the caller's seeded generator.

use super::data::ADVISORS;
use super::{vin_for, DAY};
use crate::db::WriteTx;
use crate::domain::customer::FinanceType;
use crate::domain::deal::{Apr, Condition, SaleType};
use crate::domain::money::Cents;
use crate::domain::vin::Vin;
use crate::domain::visit::{LineStatus, ServiceEventKind, ServiceLine};
use crate::error::Result;
use crate::store::service_events::ImportedEvent;
use crate::store::{self, deals::ImportedDeal, history, vehicles};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;

/// How far back the history goes.
pub const HISTORY_DAYS: i64 = 3 * 365;
const MONTH_DAYS: f64 = 30.4375;
/// The chance an owner buys in a month: long before the vehicle is due (the noise: about 5% a
/// year), from four months before to two after, and later.
const BEFORE_DUE: f64 = 0.003;
const AROUND_DUE: f64 = 0.15;
const PAST_DUE: f64 = 0.08;
/// The share of owners who (nearly) never buy here again, whatever the signs.
const ELSEWHERE: f64 = 0.15;

/// A vehicle a customer owns, as the generator made it.
#[derive(Debug, Clone)]
pub struct Owned {
    pub vehicle_id: i64,
    pub vin: Vin,
    pub model_year: i32,
    pub model: &'static str,
    pub purchased_at: i64,
    pub finance: FinanceType,
    pub term_months: Option<i64>,
    pub miles_per_day: i64,
}

/// What the store has to remember between customers.
pub struct Dealer {
    pub account_id: i64,
    pub now: i64,
    pub this_year: i32,
    pub next_deal: u64,
    pub next_repair: u64,
}

/// When the owner of `o` is most likely to replace it: the lease's end (in its last months),
/// most of the loan paid, or the vehicle's age at trade-in (about 7.6 years; sooner when
/// driven a lot).
pub fn due_at(o: &Owned, rng: &mut StdRng) -> i64 {
    let months = |m: f64| (m * MONTH_DAYS) as i64 * DAY;
    let term = o.term_months.unwrap_or(0) as f64;
    match o.finance {
        FinanceType::Lease => o.purchased_at + months(term) - rng.random_range(0..120) * DAY,
        FinanceType::Loan => o.purchased_at + months(term * rng.random_range(0.72..1.0)),
        _ => {
            // model years come out the autumn before
            let built = ((o.model_year - 1970) as f64 * 365.25) as i64 * DAY - 120 * DAY;
            let years = rng.random_range(6.5..9.5) - if o.miles_per_day >= 45 { 1.5 } else { 0.0 };
            (built + (years * 365.0) as i64 * DAY).max(o.purchased_at + 2 * 365 * DAY)
        }
    }
}

/// When, if ever, the owner of `o` bought again within the history: month by month, rarely
/// long before the vehicle is due ([`due_at`]), most often in the months around it, and still
/// often after it (an owner past due who has not bought yet keeps being likely to); a quarter of
/// owners hardly ever buy here at all.
pub fn bought_at(o: &Owned, now: i64, rng: &mut StdRng) -> Option<i64> {
    let (from, to) = (now - HISTORY_DAYS * DAY, now - 2 * DAY);
    let earliest = (o.purchased_at + 180 * DAY).max(from);
    if earliest >= to {
        return None;
    }
    let due = due_at(o, rng);
    let elsewhere = rng.random_bool(ELSEWHERE);
    let mut t = earliest;
    while t < to {
        let chance = if elsewhere || t < due - 120 * DAY {
            BEFORE_DUE
        } else if t <= due + 60 * DAY {
            AROUND_DUE
        } else {
            PAST_DUE
        };
        if rng.random_bool(chance) {
            return Some((t + rng.random_range(0..30) * DAY).min(to));
        }
        t += 30 * DAY;
    }
    None
}

fn sale_type(f: FinanceType) -> SaleType {
    match f {
        FinanceType::Lease => SaleType::Lease,
        FinanceType::Loan => SaleType::Finance,
        _ => SaleType::Cash,
    }
}

/// A deal's terms: (finance, term months, monthly payment in cents, lease miles a year).
pub fn terms(rng: &mut StdRng, price: i64) -> (FinanceType, Option<i64>, Option<i64>, Option<i64>) {
    let roll: f64 = rng.random();
    if roll < 0.55 {
        let term = *[60i64, 72, 84].choose(rng).expect("terms");
        (FinanceType::Loan, Some(term), Some(price * 100 / 62), None)
    } else if roll < 0.8 {
        let term = *[36i64, 39].choose(rng).expect("terms");
        let miles = *[10_000i64, 12_000, 15_000].choose(rng).expect("miles");
        (FinanceType::Lease, Some(term), Some(price * 100 / 85), Some(miles))
    } else {
        (FinanceType::Cash, None, None, None)
    }
}

impl Dealer {
    /// Record the sale of `o` to `lead_id` (when it falls inside the history), with `trade`
    /// traded in, as the deals import would.
    fn record(
        &mut self,
        tx: &WriteTx,
        lead_id: i64,
        o: &Owned,
        payment: Option<i64>,
        lease_miles: Option<i64>,
        trade: Option<&Owned>,
    ) -> Result<()> {
        self.next_deal += 1;
        let price_cents = payment.map(|p| p * 55);
        let sale = sale_type(o.finance);
        let sold_year = 1970 + (o.purchased_at / (365 * DAY)) as i32;
        store::deals::upsert_imported(
            tx,
            self.account_id,
            &ImportedDeal {
                deal_number: &format!("{}", 70_000 + self.next_deal),
                lead_id: Some(lead_id),
                vehicle_id: Some(o.vehicle_id),
                vin: Some(&o.vin),
                sold_at: o.purchased_at,
                condition: Some(if o.model_year >= sold_year - 1 {
                    Condition::New
                } else {
                    Condition::Used
                }),
                sale_type: Some(sale),
                term_months: o.term_months,
                monthly_payment: payment.map(Cents::new),
                apr: (sale != SaleType::Cash)
                    .then(|| Apr::read(if sale == SaleType::Lease { "2.9" } else { "6.49" }).ok())
                    .flatten(),
                lease_miles_per_year: lease_miles,
                lender: (sale != SaleType::Cash).then_some("American Honda Finance"),
                amount_financed: price_cents.map(Cents::new),
                trade_vin: trade.map(|t| &t.vin),
                trade_vehicle_id: trade.map(|t| t.vehicle_id),
                trade_payoff: None,
                source: "demo",
                content_hash: "",
            },
            o.purchased_at,
        )?;
        Ok(())
    }

    /// A customer's vehicle `o` (already stored, with its ownership): its sale is a deal if it
    /// falls inside the history, and its owner may have replaced it since (see [`bought_at`]).
    /// Returns the vehicle the customer owns now.
    #[allow(clippy::too_many_arguments)]
    pub fn history(
        &mut self,
        tx: &WriteTx,
        rng: &mut StdRng,
        lead_id: i64,
        o: Owned,
        payment: Option<i64>,
        models: &[(&'static str, &'static str, &'static str, &'static str, i64)],
    ) -> Result<Owned> {
        if o.purchased_at > self.now - HISTORY_DAYS * DAY {
            let miles = (o.finance == FinanceType::Lease).then_some(12_000);
            self.record(tx, lead_id, &o, payment, miles, None)?;
        }
        let Some(at) = bought_at(&o, self.now, rng) else {
            if rng.random_bool(0.03) {
                // said "soon" and did not buy: the noise a stated timeframe carries
                let said = self.now - rng.random_range(1..HISTORY_DAYS) * DAY;
                self.fact(tx, lead_id, "purchase_timeframe", "0-3m", said)?;
            }
            return Ok(o);
        };
        // what they said before buying
        if rng.random_bool(0.35) {
            self.fact(
                tx,
                lead_id,
                "purchase_timeframe",
                "0-3m",
                at - rng.random_range(10..80) * DAY,
            )?;
        }
        if rng.random_bool(0.3) {
            self.fact(
                tx,
                lead_id,
                "trade_in_interest",
                "yes",
                at - rng.random_range(20..150) * DAY,
            )?;
        }
        // and what the old vehicle had started to cost
        if rng.random_bool(0.4) {
            let opened = at - rng.random_range(30..150) * DAY;
            self.big_repair(tx, rng, lead_id, &o, opened)?;
        }
        let &(make, model, wmi, vds, price) = models
            .choose_weighted(rng, |m| if m.0 == "Honda" { 10 } else { 2 })
            .expect("models");
        let sold_year = 1970 + (at / (365 * DAY)) as i32;
        let year = if rng.random_bool(0.8) {
            sold_year.min(self.this_year)
        } else {
            sold_year - rng.random_range(1..4)
        };
        let vin = vin_for(rng, wmi, vds, year);
        let (finance, term, payment, lease_miles) = terms(rng, price);
        let miles_per_day = rng.random_range(25..55);
        let vehicle_id = vehicles::insert(
            tx,
            self.account_id,
            &vehicles::NewVehicle {
                vin: Some(vin.clone()),
                year: Some(year),
                make: Some(make.into()),
                model: Some(model.into()),
                trim: None,
                last_odometer: Some((self.now - at) / DAY * miles_per_day),
                last_odometer_at: Some(self.now - 30 * DAY),
            },
            at,
        )?;
        let bought = Owned {
            vehicle_id,
            vin,
            model_year: year,
            model,
            purchased_at: at,
            finance,
            term_months: term,
            miles_per_day,
        };
        vehicles::take_ownership_at(
            tx,
            self.account_id,
            &vehicles::NewOwnership {
                lead_id,
                vehicle_id,
                purchased_at: Some(at),
                finance_type: Some(finance),
                term_months: term,
                monthly_payment_cents: payment,
            },
            at,
        )?;
        vehicles::end_ownership_at(tx, self.account_id, o.vehicle_id, Some(lead_id), at, at)?;
        self.record(tx, lead_id, &bought, payment, lease_miles, Some(&o))?;
        Ok(bought)
    }

    /// A costly repair order on `o` at `opened` (customer pay): repair spend rising before a
    /// purchase. Stored as an import stores a visit.
    fn big_repair(&mut self, tx: &WriteTx, rng: &mut StdRng, lead_id: i64, o: &Owned, opened: i64) -> Result<()> {
        const REPAIRS: [(&str, &str, i64); 4] = [
            ("BRK4", "Brakes: pads and rotors, all four wheels", 68_000),
            ("AC01", "A/C compressor replacement", 185_000),
            ("SUSP2", "Front struts and mounts", 142_000),
            ("WPTB", "Water pump and timing belt", 118_000),
        ];
        if opened <= o.purchased_at {
            return Ok(());
        }
        let (code, what, cents) = *REPAIRS.choose(rng).expect("repairs");
        let line = ServiceLine {
            op_code: code.to_string(),
            description: Some(what.to_string()),
            amount_cents: Some(Cents::new(cents)),
            status: LineStatus::Performed,
        };
        let built = ((o.model_year - 1970) as f64 * 365.25) as i64 * DAY - 120 * DAY;
        self.next_repair += 1;
        let external_id = format!("RO{}", 900_000 + self.next_repair);
        store::service_events::upsert_imported(
            tx,
            self.account_id,
            &ImportedEvent {
                external_id: &external_id,
                kind: ServiceEventKind::RepairOrder,
                lead_id: Some(lead_id),
                vehicle_id: Some(o.vehicle_id),
                scheduled_at: Some(opened - 2 * DAY),
                opened_at: Some(opened),
                closed_at: Some(opened + rng.random_range(4..48) * 3600),
                advisor: ADVISORS.choose(rng).copied(),
                mileage: Some((opened - built).max(0) / DAY * o.miles_per_day),
                services: std::slice::from_ref(&line),
                labor_cents: Some(Cents::new(cents * 2 / 5)),
                parts_cents: Some(Cents::new(cents - cents * 2 / 5)),
                total_cents: Some(Cents::new(cents)),
                source: "demo",
                content_hash: "",
            },
            opened - 2 * DAY,
        )?;
        Ok(())
    }

    /// What a buyer told the store: before forecourt came (the account is 400 days old) it came
    /// over from the store's previous tools; since, a rep noted it from a call.
    fn fact(&self, tx: &WriteTx, lead_id: i64, key: &str, value: &str, at: i64) -> Result<()> {
        let at = at.min(self.now - DAY);
        history::record_fact(
            tx,
            self.account_id,
            &history::PastFact {
                lead_id,
                key,
                value,
                confidence: 0.9,
                source: if at < self.now - super::ACCOUNT_AGE_DAYS * DAY {
                    "import"
                } else {
                    "manual"
                },
                at,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn owned(finance: FinanceType, term: Option<i64>, purchased_at: i64, model_year: i32) -> Owned {
        Owned {
            vehicle_id: 1,
            vin: crate::domain::vin::synthesize("1HG", "CV1F3", model_year, 'A', 1),
            model_year,
            model: "Accord",
            purchased_at,
            finance,
            term_months: term,
            miles_per_day: 35,
        }
    }

    #[test]
    fn an_owner_whose_lease_ends_in_the_history_buys_far_more_often_than_a_new_cash_buyer() {
        let now = 1_795_000_000;
        let mut rng = StdRng::seed_from_u64(7);
        let share = |o: &Owned, rng: &mut StdRng| {
            let bought: Vec<i64> = (0..2000).filter_map(|_| bought_at(o, now, rng)).collect();
            assert!(
                bought.iter().all(|&t| t < now && t > o.purchased_at),
                "inside the history, after the purchase"
            );
            bought.len() as f64 / 2000.0
        };
        // a 36-month lease that ends a year ago; a cash car bought new six months ago
        let lease = share(
            &owned(FinanceType::Lease, Some(36), now - 48 * 30 * DAY, 2022),
            &mut rng,
        );
        let cash = share(&owned(FinanceType::Cash, None, now - 180 * DAY, 2026), &mut rng);
        assert!(lease > 0.5 && cash < 0.02, "lease {lease}, cash {cash}");
    }
}
