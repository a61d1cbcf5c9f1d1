//! What the scorer knows about one customer with an active ownership. Every part may be
//! missing: the store fills what it has and leaves the rest `None`, and a factor without
//! its data scores nothing (it never guesses a finance type or a purchase date).

use chrono::NaiveDate;

use crate::domain::customer::FinanceType;
use crate::domain::money::Cents;
use crate::domain::survey::Timeframe;

/// Everything one customer is scored from, as of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreInput {
    /// The day the score is for (rule 4: time is an argument).
    pub as_of: NaiveDate,
    /// Passed through to the [`super::Score`]; it never changes the points.
    pub opted_out: bool,
    pub ownership: Ownership,
    pub vehicle: Vehicle,
    pub service: Service,
    pub facts: Facts,
    pub interest: Interest,
}

impl ScoreInput {
    /// A customer we know nothing about yet, as of `as_of`.
    pub fn new(as_of: NaiveDate) -> ScoreInput {
        ScoreInput {
            as_of,
            opted_out: false,
            ownership: Ownership::default(),
            vehicle: Vehicle::default(),
            service: Service::default(),
            facts: Facts::default(),
            interest: Interest::default(),
        }
    }
}

/// The active ownership (`ownerships`): how it was paid for and over what term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ownership {
    /// `None` when the deal export did not say (unknown): no finance or lease factor applies.
    pub finance: Option<FinanceType>,
    /// Purchase / contract date.
    pub start: Option<NaiveDate>,
    /// Loan or lease term.
    pub term_months: Option<u32>,
    pub monthly_payment: Option<Cents>,
    /// The lease's mileage allowance per year.
    pub lease_miles_per_year: Option<u32>,
}

/// The vehicle owned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vehicle {
    pub model_year: Option<i32>,
    /// Bought new (warranty runs from the purchase) or used (from the model year).
    pub bought_new: Option<bool>,
    /// Odometer readings from service visits, in any order.
    pub odometer: Vec<Odometer>,
    /// A known or estimated driving rate; used when the readings cannot give one.
    pub miles_per_year: Option<u32>,
}

/// One odometer reading (a service visit's mileage in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Odometer {
    pub on: NaiveDate,
    pub miles: u32,
}

/// What the service history says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Service {
    pub last_visit: Option<NaiveDate>,
    /// Customer-pay repair spend in the 12 months before `as_of`.
    pub repair_spend_12m: Option<Cents>,
    /// The same for the 12 months before that.
    pub repair_spend_prior_12m: Option<Cents>,
    /// Recommended big-ticket work the customer declined and has not had done since.
    pub declined_big_ticket: Option<Cents>,
}

/// A surveyed fact and the day it was learned (`conv_facts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated<T> {
    pub value: T,
    pub on: NaiveDate,
}

/// What the customer told us in micro-surveys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// `purchase_timeframe`.
    pub timeframe: Option<Dated<Timeframe>>,
    /// `trade_in_interest` (yes = true).
    pub trade_in: Option<Dated<bool>>,
    /// `mileage`: the odometer as the customer reported it.
    pub mileage: Option<Dated<u32>>,
}

/// Signs of shopping.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interest {
    /// The latest lead (leads webhook, website form) for this customer.
    pub last_lead: Option<NaiveDate>,
    /// `leads.vehicle_interest` is set.
    pub vehicle_interest: bool,
    /// The latest reply asking about a new vehicle.
    pub asked_new_vehicle: Option<NaiveDate>,
}
