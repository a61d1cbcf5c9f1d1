//! Who is likely to buy their next vehicle soon (issue #13): a 0–100 score for a customer
//! with an active ownership, the sum of the points of every factor that applies, each
//! factor giving at most its weight ([`Weights`], tuned per account; defaults and their
//! sources in [`FACTORS`]). The total is capped at 100: `score == min(100, sum of the
//! reasons' points)`, and `capped` says when the cap cut it.
//!
//! The window (when they are likely to buy) is decided so:
//! 1. a purchase timeframe the customer answered in the last 90 days decides it
//!    (`no_plans` is `12m+`);
//! 2. otherwise the earlier of
//!    - the nearest time-bound event: the lease end, the last loan payment, or now
//!      (`0-3m`) for a lead or a question about a new vehicle in the last 30 days, and
//!    - the score: 60 or more `0-3m`, 40 or more `3-6m`, 20 or more `6-12m`, else `12m+`.

mod assemble;
pub mod backtest;
mod factors;
mod input;
mod weights;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use assemble::{
    asks_about_new_vehicle, inputs, score_batch, BatchRecords, CustomerScore, FactRecord, OwnershipRecord, ReplyRecord,
    VisitRecord, SPEND_WINDOW_DAYS,
};
pub use factors::{
    estimate_miles, Miles, FRESH_TIMEFRAME_DAYS, FRESH_TRADE_IN_DAYS, RECENT_INTEREST_DAYS, REFERENCE_PAYMENT,
    TRADE_IN_AGE_YEARS, TYPICAL_MILES_PER_YEAR,
};
pub use input::{Dated, Facts, Interest, Odometer, Ownership, ScoreInput, Service, Vehicle};
pub use weights::{weights_from_fields, Factor, FactorInfo, Weights, FACTORS, MAX_FACTOR_POINTS, MIN_TOTAL_POINTS};

use crate::domain::survey::Timeframe;

/// The highest score.
pub const MAX_SCORE: u32 = 100;
/// Score thresholds for the window when no fresh answer or nearer event decides it.
pub const WINDOW_THRESHOLDS: [(u32, Window); 3] = [
    (60, Window::Within3Months),
    (40, Window::In3To6Months),
    (20, Window::In6To12Months),
];

crate::domain::word_enum! {
    /// When the customer is likely to buy (`scores_next_buy.window`).
    pub enum Window {
        Within3Months = "0-3m",
        In3To6Months = "3-6m",
        In6To12Months = "6-12m",
        After12Months = "12m+",
    }
}

impl Window {
    /// The window a moment this many months away falls in (past moments are `0-3m`).
    pub fn for_months(months: f64) -> Window {
        Window::from(Timeframe::for_months(months.max(0.0)))
    }
}

impl From<Timeframe> for Window {
    fn from(tf: Timeframe) -> Window {
        match tf {
            Timeframe::Within3Months => Window::Within3Months,
            Timeframe::In3To6Months => Window::In3To6Months,
            Timeframe::In6To12Months => Window::In6To12Months,
            Timeframe::After12Months | Timeframe::NoPlans => Window::After12Months,
        }
    }
}

/// One factor's contribution: its stable key, why in words, and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub factor: Factor,
    pub text: String,
    pub points: u32,
}

impl std::fmt::Display for Reason {
    /// "Lease ends in 4 months (+35)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (+{})", self.text, self.points)
    }
}

/// A customer's next-to-buy score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// 0..=100: the reasons' points added up, capped at 100.
    pub score: u32,
    pub window: Window,
    /// The factors that gave points, most points first (ties in [`Factor::ALL`] order).
    pub reasons: Vec<Reason>,
    /// The reasons added up to more than 100.
    pub capped: bool,
    /// Passed through from the input; it does not change the score.
    pub opted_out: bool,
}

/// Score one customer with an account's weights.
pub fn score(input: &ScoreInput, weights: &Weights) -> Score {
    let mut reasons: Vec<Reason> = factors::signals(input)
        .into_iter()
        .map(|s| Reason {
            factor: s.factor,
            points: (f64::from(weights.get(s.factor)) * s.strength).round() as u32,
            text: s.text,
        })
        .filter(|r| r.points > 0)
        .collect();
    reasons.sort_by(|a, b| b.points.cmp(&a.points).then(a.factor.cmp(&b.factor)));
    let total: u32 = reasons.iter().map(|r| r.points).sum();
    let score = total.min(MAX_SCORE);
    Score {
        score,
        window: window(input, score),
        reasons,
        capped: total > MAX_SCORE,
        opted_out: input.opted_out,
    }
}

/// The window, as the module documentation describes.
fn window(input: &ScoreInput, score: u32) -> Window {
    if let Some(tf) = factors::fresh_timeframe(input) {
        return Window::from(tf);
    }
    let by_score = WINDOW_THRESHOLDS
        .iter()
        .find(|(min, _)| score >= *min)
        .map_or(Window::After12Months, |&(_, w)| w);
    let lease = factors::lease_end(input).map(|end| (end - input.as_of).num_days() as f64 / 30.4375);
    let loan = factors::loan_months_left(input);
    let interest = &input.interest;
    let recent = |d: Option<chrono::NaiveDate>| {
        d.is_some_and(|d| (0..=RECENT_INTEREST_DAYS).contains(&(input.as_of - d).num_days()))
    };
    let asking = (recent(interest.last_lead) || recent(interest.asked_new_vehicle)).then_some(0.0);
    [lease, loan, asking]
        .into_iter()
        .flatten()
        .map(Window::for_months)
        .fold(by_score, Window::min)
}
