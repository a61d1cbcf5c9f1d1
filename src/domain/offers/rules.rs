//! Which offers a visit qualifies for, and which one is sent.

use super::{OfferRule, Phase};
use chrono::{DateTime, Duration, Utc};

pub use crate::domain::visit::LineStatus;

/// A line on one of the vehicle's (or customer's) visits.
#[derive(Debug, Clone, PartialEq)]
pub struct PastLine {
    pub service_event_id: i64,
    pub op_code: String,
    pub status: LineStatus,
    /// when the visit happened (closed, else opened, else scheduled)
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VehicleFacts {
    pub make: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    /// latest known odometer
    pub mileage: Option<i64>,
}

/// What is known about one visit when a phase comes due.
#[derive(Debug, Clone)]
pub struct VisitFacts {
    pub phase: Phase,
    pub now: DateTime<Utc>,
    /// month (1-12) and year of `now` in the account's time zone
    pub local_month: u32,
    pub local_year: i32,
    pub vehicle: Option<VehicleFacts>,
    /// lines of this visit and earlier ones for the same vehicle or customer
    pub lines: Vec<PastLine>,
    /// the most recent repair order up to now (this visit if it is one): its id and date
    pub last_ro: Option<(i64, DateTime<Utc>)>,
    /// offers this customer declined, and when
    pub declines: Vec<(i64, DateTime<Utc>)>,
    /// offers already texted for this visit, or to this customer in the last few days: never
    /// the same offer twice in a row
    pub already_offered: Vec<i64>,
    /// op codes already on this visit (booked, performed, declined): nothing to sell there
    pub visit_op_codes: Vec<String>,
}

/// An active offer as selection sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub rule: OfferRule,
    /// the RO op codes that mean the offer was taken
    pub op_codes: Vec<String>,
    pub value_cents: i64,
    pub priority: i64,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

impl Candidate {
    /// Expected value: what the offer is worth times how much the store wants it sent.
    pub fn score(&self) -> i64 {
        self.value_cents.saturating_mul(self.priority)
    }
}

/// Why an offer does not fit a visit (for the record and for tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    NotYetStarted,
    Ended,
    Phase,
    Month,
    NoVehicle,
    Make,
    Model,
    Year,
    MileageUnknown,
    Mileage,
    Age,
    RecentlyDone,
    NothingDeclined,
    RecentlyDeclined,
    AlreadyOffered,
    AlreadyOnVisit,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Does this offer fit this visit? `Ok(())`, or the first reason it does not.
pub fn evaluate(c: &Candidate, f: &VisitFacts) -> Result<(), Skip> {
    let r = &c.rule;
    if c.starts_at.is_some_and(|s| f.now < s) {
        return Err(Skip::NotYetStarted);
    }
    if c.ends_at.is_some_and(|e| f.now >= e) {
        return Err(Skip::Ended);
    }
    if !r.phases.is_empty() && !r.phases.contains(&f.phase) {
        return Err(Skip::Phase);
    }
    if !r.months.is_empty() && !r.months.contains(&f.local_month) {
        return Err(Skip::Month);
    }
    if f.already_offered.contains(&c.id) {
        return Err(Skip::AlreadyOffered);
    }
    if c.op_codes.iter().any(|o| f.visit_op_codes.iter().any(|v| same(o, v))) {
        return Err(Skip::AlreadyOnVisit);
    }
    let vr = &r.vehicle;
    if *vr != super::VehicleRule::default() {
        let Some(v) = &f.vehicle else {
            return Err(Skip::NoVehicle);
        };
        if !vr.makes.is_empty() && !v.make.as_deref().is_some_and(|m| vr.makes.iter().any(|x| same(x, m))) {
            return Err(Skip::Make);
        }
        if !vr.models.is_empty() && !v.model.as_deref().is_some_and(|m| vr.models.iter().any(|x| same(x, m))) {
            return Err(Skip::Model);
        }
        if vr.year_min.is_some() || vr.year_max.is_some() {
            let Some(y) = v.year else { return Err(Skip::Year) };
            if vr.year_min.is_some_and(|lo| y < lo) || vr.year_max.is_some_and(|hi| y > hi) {
                return Err(Skip::Year);
            }
        }
        if vr.mileage_min.is_some() || vr.mileage_max.is_some() {
            let Some(m) = v.mileage else {
                return Err(Skip::MileageUnknown);
            };
            if vr.mileage_min.is_some_and(|lo| m < lo) || vr.mileage_max.is_some_and(|hi| m > hi) {
                return Err(Skip::Mileage);
            }
        }
        if vr.age_years_min.is_some() || vr.age_years_max.is_some() {
            let Some(y) = v.year else { return Err(Skip::Age) };
            // a model year can be next calendar year: that car is new, age 0
            let age = (f.local_year - y).max(0);
            if vr.age_years_min.is_some_and(|lo| age < lo) || vr.age_years_max.is_some_and(|hi| age > hi) {
                return Err(Skip::Age);
            }
        }
    }
    if let Some(w) = &r.skip_if_done {
        let since = f.now - Duration::days(i64::from(w.within_days));
        let done = f.lines.iter().any(|l| {
            l.status == LineStatus::Performed && l.at >= since && w.op_codes.iter().any(|c| same(c, &l.op_code))
        });
        if done {
            return Err(Skip::RecentlyDone);
        }
    }
    if let Some(w) = &r.qualify_if_declined {
        let since = f.now - Duration::days(i64::from(w.within_days));
        let qualifies = match f.last_ro {
            Some((ro, at)) if at >= since => f.lines.iter().any(|l| {
                l.service_event_id == ro
                    && matches!(l.status, LineStatus::Declined | LineStatus::Recommended)
                    && w.op_codes.iter().any(|c| same(c, &l.op_code))
            }),
            _ => false,
        };
        if !qualifies {
            return Err(Skip::NothingDeclined);
        }
    }
    if let Some(days) = r.skip_if_declined_within_days {
        let since = f.now - Duration::days(i64::from(days));
        if f.declines.iter().any(|(id, at)| *id == c.id && *at >= since) {
            return Err(Skip::RecentlyDeclined);
        }
    }
    Ok(())
}

/// The one offer to send: of those that fit, the highest expected value (value x priority);
/// on a tie the higher priority, then the older offer (lower id), so the choice never
/// depends on the order offers were loaded in.
pub fn select<'a>(candidates: &'a [Candidate], f: &VisitFacts) -> Option<&'a Candidate> {
    candidates.iter().filter(|c| evaluate(c, f).is_ok()).max_by(|a, b| {
        a.score()
            .cmp(&b.score())
            .then(a.priority.cmp(&b.priority))
            .then(b.id.cmp(&a.id))
    })
}
