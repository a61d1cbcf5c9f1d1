//! The factors a next-to-buy score adds up, the most points each may give (an account's
//! [`Weights`]), and where each default comes from ([`FACTORS`], for the docs and the
//! Settings page).

use serde::{Deserialize, Serialize};

crate::domain::word_enum! {
    /// One scoring factor; its word is the stable key stored in `reason_json`.
    pub enum Factor {
        FinanceTerm = "finance_term",
        PaymentsLeft = "payments_left",
        LeaseEnd = "lease_end",
        LeaseMileage = "lease_mileage",
        VehicleAge = "vehicle_age",
        VehicleMileage = "vehicle_mileage",
        WarrantyExpired = "warranty_expired",
        LastVisit = "last_visit",
        RepairSpend = "repair_spend",
        DeclinedWork = "declined_work",
        Timeframe = "timeframe",
        TradeIn = "trade_in",
        RecentLead = "recent_lead",
        VehicleInterest = "vehicle_interest",
        AskedNewVehicle = "asked_new_vehicle",
    }
}

/// A factor as the docs and the Settings page describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactorInfo {
    pub factor: Factor,
    pub label: &'static str,
    /// Its points in [`Weights::default`].
    pub default_points: u32,
    /// When it gives points, and where the threshold comes from.
    pub source: &'static str,
}

/// Every factor, in the order the Settings page lists them.
pub const FACTORS: [FactorInfo; 15] = [
    info(
        Factor::FinanceTerm,
        "Loan term elapsed",
        20,
        "Nothing in the first quarter of the term, rising to full points at 75% elapsed, when \
         equity usually turns positive (average new-car loan ~69.5 months, Experian 2024).",
    ),
    info(
        Factor::PaymentsLeft,
        "12 or fewer payments left",
        10,
        "Full points with 12 or fewer monthly payments left on the loan.",
    ),
    info(
        Factor::LeaseEnd,
        "Lease ending",
        35,
        "Full points within 6 months of the lease end (or past it), 60% within 12, 30% within \
         18 (typical lease 36 months).",
    ),
    info(
        Factor::LeaseMileage,
        "Over the lease mileage",
        15,
        "Projected odometer at lease end over the allowance: full points at 10% over, half \
         when over at all. Projection: last odometer (visit or surveyed) plus the rate from \
         visit history, the known rate, or 13,500 miles a year (FHWA average).",
    ),
    info(
        Factor::VehicleAge,
        "Vehicle age",
        10,
        "Full points at 7.6 years from the model year (average age at trade-in, \
         Edmunds/S&P Global Mobility), half from 5 years.",
    ),
    info(
        Factor::VehicleMileage,
        "Estimated mileage",
        10,
        "Full points at 102,600 estimated miles (7.6 years at 13,500 miles a year), half from \
         60,000.",
    ),
    info(
        Factor::WarrantyExpired,
        "Warranty likely expired",
        5,
        "Full points past 3 years (from purchase when bought new, else the model year) or \
         36,000 estimated miles: the common basic warranty.",
    ),
    info(
        Factor::LastVisit,
        "Recent service visit",
        5,
        "Full points for a visit in the last 90 days, half in the last 180: the customer is \
         in the service drive, where service-to-sales starts.",
    ),
    info(
        Factor::RepairSpend,
        "Repair spend rising",
        10,
        "Repair spend in the last 12 months above the 12 before it: full points at 3 monthly \
         payments (or 3 x $525, the average used-car payment, when none), half at 1.5.",
    ),
    info(
        Factor::DeclinedWork,
        "Declined big-ticket work",
        10,
        "Declined recommended work: full points from $1,000, half from $500.",
    ),
    info(
        Factor::Timeframe,
        "Said they will buy soon",
        30,
        "A purchase timeframe answered in the last 90 days: 0-3m full, 3-6m two thirds, \
         6-12m one third, later or no plans nothing.",
    ),
    info(
        Factor::TradeIn,
        "Interested in a trade-in",
        10,
        "Said yes to trade-in interest in the last 180 days.",
    ),
    info(
        Factor::RecentLead,
        "Recent lead",
        20,
        "A lead (webhook or website form) in the last 30 days.",
    ),
    info(
        Factor::VehicleInterest,
        "Vehicle of interest",
        5,
        "The lead names a vehicle of interest.",
    ),
    info(
        Factor::AskedNewVehicle,
        "Asked about a new vehicle",
        15,
        "A reply asking about a new vehicle in the last 30 days.",
    ),
];

const fn info(factor: Factor, label: &'static str, default_points: u32, source: &'static str) -> FactorInfo {
    FactorInfo {
        factor,
        label,
        default_points,
        source,
    }
}

/// The most points each factor may give, as an account tunes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    pub finance_term: u32,
    pub payments_left: u32,
    pub lease_end: u32,
    pub lease_mileage: u32,
    pub vehicle_age: u32,
    pub vehicle_mileage: u32,
    pub warranty_expired: u32,
    pub last_visit: u32,
    pub repair_spend: u32,
    pub declined_work: u32,
    pub timeframe: u32,
    pub trade_in: u32,
    pub recent_lead: u32,
    pub vehicle_interest: u32,
    pub asked_new_vehicle: u32,
}

/// The most points one factor may give.
pub const MAX_FACTOR_POINTS: u32 = 100;
/// The least the weights may add up to, so a score of 100 (and the window thresholds,
/// which are in points) stays reachable.
pub const MIN_TOTAL_POINTS: u32 = 100;

impl Default for Weights {
    fn default() -> Weights {
        let mut w = Weights::zero();
        for f in FACTORS {
            *w.slot(f.factor) = f.default_points;
        }
        w
    }
}

impl Weights {
    /// All factors off.
    pub const fn zero() -> Weights {
        Weights {
            finance_term: 0,
            payments_left: 0,
            lease_end: 0,
            lease_mileage: 0,
            vehicle_age: 0,
            vehicle_mileage: 0,
            warranty_expired: 0,
            last_visit: 0,
            repair_spend: 0,
            declined_work: 0,
            timeframe: 0,
            trade_in: 0,
            recent_lead: 0,
            vehicle_interest: 0,
            asked_new_vehicle: 0,
        }
    }

    /// The most points `factor` may give.
    pub fn get(&self, factor: Factor) -> u32 {
        let mut copy = *self;
        *copy.slot(factor)
    }

    /// The same weights with `factor` set to `points`.
    pub fn with(mut self, factor: Factor, points: u32) -> Weights {
        *self.slot(factor) = points;
        self
    }

    fn slot(&mut self, factor: Factor) -> &mut u32 {
        match factor {
            Factor::FinanceTerm => &mut self.finance_term,
            Factor::PaymentsLeft => &mut self.payments_left,
            Factor::LeaseEnd => &mut self.lease_end,
            Factor::LeaseMileage => &mut self.lease_mileage,
            Factor::VehicleAge => &mut self.vehicle_age,
            Factor::VehicleMileage => &mut self.vehicle_mileage,
            Factor::WarrantyExpired => &mut self.warranty_expired,
            Factor::LastVisit => &mut self.last_visit,
            Factor::RepairSpend => &mut self.repair_spend,
            Factor::DeclinedWork => &mut self.declined_work,
            Factor::Timeframe => &mut self.timeframe,
            Factor::TradeIn => &mut self.trade_in,
            Factor::RecentLead => &mut self.recent_lead,
            Factor::VehicleInterest => &mut self.vehicle_interest,
            Factor::AskedNewVehicle => &mut self.asked_new_vehicle,
        }
    }

    /// Check field by field: Err lists (field, what to fix) for every bad one; the total
    /// rule is reported under `"total"`.
    pub fn validate(&self) -> Result<(), Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        for f in Factor::ALL {
            let points = self.get(f);
            if points > MAX_FACTOR_POINTS {
                errors.push((f.as_str(), format!("must be 0 to {MAX_FACTOR_POINTS}, not {points}")));
            }
        }
        let total: u32 = Factor::ALL.iter().map(|&f| self.get(f)).sum();
        if total < MIN_TOTAL_POINTS {
            errors.push((
                "total",
                format!("the weights add up to {total}; they must add up to at least {MIN_TOTAL_POINTS}"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Weights from named values as a person gave them (a form's fields, a JSON object's values
/// as text): each name must be a factor key and each value a whole number 0 to
/// [`MAX_FACTOR_POINTS`]; factors not named keep their points in `base`; then the total rule
/// ([`Weights::validate`]). Err lists (field, what to fix) for every bad one.
pub fn weights_from_fields(base: Weights, fields: &[(String, String)]) -> Result<Weights, Vec<(String, String)>> {
    let mut w = base;
    let mut errors = Vec::new();
    for (name, value) in fields {
        let Some(factor) = Factor::parse(name) else {
            errors.push((
                name.clone(),
                format!("is not a factor; the factors are {}", Factor::words()),
            ));
            continue;
        };
        match value.trim().parse::<u32>() {
            Ok(points) if points <= MAX_FACTOR_POINTS => w = w.with(factor, points),
            _ => errors.push((
                name.clone(),
                format!(
                    "must be a whole number 0 to {MAX_FACTOR_POINTS}, not `{}`",
                    value.trim()
                ),
            )),
        }
    }
    if errors.is_empty() {
        if let Err(rule) = w.validate() {
            errors.extend(rule.into_iter().map(|(f, m)| (f.to_string(), m)));
        }
    }
    if errors.is_empty() {
        Ok(w)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn fields_set_their_factor_and_each_bad_one_is_named() {
        let w = weights_from_fields(Weights::default(), &fields(&[("lease_end", " 50 ")])).unwrap();
        assert_eq!(w.lease_end, 50);
        assert_eq!(w.finance_term, Weights::default().finance_term);
        let errors = weights_from_fields(
            Weights::default(),
            &fields(&[("lease_end", "150"), ("colour", "3"), ("trade_in", "-1")]),
        )
        .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(named, ["lease_end", "colour", "trade_in"]);
        let zero: Vec<(String, String)> = Factor::ALL
            .iter()
            .map(|f| (f.as_str().to_string(), "1".into()))
            .collect();
        assert_eq!(
            weights_from_fields(Weights::default(), &zero).unwrap_err()[0].0,
            "total"
        );
    }
}
