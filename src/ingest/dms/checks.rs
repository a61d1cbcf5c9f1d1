//! What no mapped row may carry to the database. The parsers already keep each value within
//! [`visit`]'s bounds; [`fit_for_store`] checks the finished row once more against every CHECK
//! constraint a row could meet, so that a value a parser let through is refused here, with the
//! row's number, and never fails at store time.

use super::{ColumnMap, DealRow, EventRow, Field, RowIssue};
use crate::domain::deal;
use crate::domain::visit::{self, ServiceEventKind};

/// The cells with control characters read as spaces, but the RO number's and the appointment
/// id's, which are refused with them (an identifier with a NUL is a damaged export, not a name
/// to tidy).
pub(super) fn without_controls(map: &ColumnMap, record: &[&str]) -> Vec<String> {
    let identifier = |i: usize| {
        map.fields
            .iter()
            .any(|(at, f)| *at == i && matches!(f, Field::RoNumber | Field::AppointmentId | Field::DealNumber))
    };
    record
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            if identifier(i) || !visit::has_control(cell) {
                cell.to_string()
            } else {
                visit::without_controls(cell)
            }
        })
        .collect()
}

/// Err with the row's issue if a value would break a CHECK constraint of the tables a row is
/// stored in (service_events, leads, vehicles), or carries a control character. (A phone
/// number is a `PhoneE164` and a VIN a `Vin`: their form is their type's rule.)
pub(super) fn fit_for_store(e: &EventRow) -> Result<(), RowIssue> {
    let refuse = |field: Field, value: &str, why: &str| {
        Err(RowIssue {
            row: e.row,
            field: field.as_str().into(),
            message: format!("{} {why}; the row cannot be imported", visit::quoted(value)),
        })
    };
    if let Err(why) = visit::check_external_id(&e.external_id) {
        let field = if e.kind == ServiceEventKind::RepairOrder {
            Field::RoNumber
        } else {
            Field::AppointmentId
        };
        return refuse(field, &e.external_id, &why);
    }
    if let Some(s) = &e.state {
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
            return refuse(Field::State, s, "is not a two-letter state code");
        }
    }
    if let Some(y) = e.year.filter(|y| !visit::MODEL_YEARS.contains(y)) {
        return refuse(Field::Year, &y.to_string(), "is not a model year");
    }
    if let Some(Err(why)) = e.mileage.map(visit::check_mileage) {
        return refuse(Field::Mileage, &e.mileage.unwrap_or_default().to_string(), &why);
    }
    for (field, cents) in [
        (Field::LaborAmount, e.labor_cents),
        (Field::PartsAmount, e.parts_cents),
        (Field::TotalAmount, e.total_cents),
    ] {
        if let Some(Err(why)) = cents.map(|c| visit::check_cents(c.get())) {
            return refuse(field, &cents.unwrap_or_default().get().to_string(), &why);
        }
    }
    for line in &e.services {
        if let Err(why) = visit::check_op_code(&line.op_code) {
            return refuse(Field::OpCodes, &line.op_code, &why);
        }
    }
    let texts = [
        (Field::FirstName, &e.first_name),
        (Field::LastName, &e.last_name),
        (Field::Email, &e.email),
        (Field::Address, &e.address),
        (Field::City, &e.city),
        (Field::Zip, &e.zip),
        (Field::Make, &e.make),
        (Field::Model, &e.model),
        (Field::Advisor, &e.advisor),
    ];
    for (field, text) in texts {
        if let Some(t) = text.as_deref().filter(|t| visit::has_control(t)) {
            return refuse(field, t, "holds a control character");
        }
    }
    if let Some(d) = e
        .services
        .iter()
        .filter_map(|l| l.description.as_deref())
        .find(|d| visit::has_control(d))
    {
        return refuse(Field::OpDescriptions, d, "holds a control character");
    }
    Ok(())
}

/// [`fit_for_store`] for a deal: every value within the CHECK constraints of `deals`, `leads`,
/// `vehicles` and `ownerships`.
pub(super) fn fit_deal_for_store(d: &DealRow) -> Result<(), RowIssue> {
    let refuse = |field: Field, value: &str, why: &str| {
        Err(RowIssue {
            row: d.row,
            field: field.as_str().into(),
            message: format!("{} {why}; the row cannot be imported", visit::quoted(value)),
        })
    };
    if let Err(why) = visit::check_external_id(&d.deal_number) {
        return refuse(Field::DealNumber, &d.deal_number, &why);
    }
    if let Some(s) = &d.customer.state {
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
            return refuse(Field::State, s, "is not a two-letter state code");
        }
    }
    for (field, year) in [
        (Field::Year, d.vehicle.year),
        (Field::TradeVin, d.trade.as_ref().and_then(|t| t.year)),
    ] {
        if let Some(y) = year.filter(|y| !visit::MODEL_YEARS.contains(y)) {
            return refuse(field, &y.to_string(), "is not a model year");
        }
    }
    if let Some(Err(why)) = d.mileage.map(visit::check_mileage) {
        return refuse(Field::Mileage, &d.mileage.unwrap_or_default().to_string(), &why);
    }
    if let Some(t) = d.term_months.filter(|t| !deal::TERM_MONTHS.contains(t)) {
        return refuse(Field::TermMonths, &t.to_string(), "is not a term in months");
    }
    if let Some(m) = d.lease_miles_per_year.filter(|m| !deal::LEASE_MILES.contains(m)) {
        return refuse(Field::LeaseMilesPerYear, &m.to_string(), "is not a lease allowance");
    }
    for (field, cents) in [
        (Field::MonthlyPayment, d.monthly_payment),
        (Field::AmountFinanced, d.amount_financed),
        (Field::TradePayoff, d.trade_payoff),
    ] {
        if let Some(Err(why)) = cents.map(|c| visit::check_cents(c.get())) {
            return refuse(field, &cents.unwrap_or_default().get().to_string(), &why);
        }
    }
    let c = &d.customer;
    let texts = [
        (Field::FirstName, &c.first_name),
        (Field::LastName, &c.last_name),
        (Field::Email, &c.email),
        (Field::Address, &c.address),
        (Field::City, &c.city),
        (Field::Zip, &c.zip),
        (Field::Make, &d.vehicle.make),
        (Field::Model, &d.vehicle.model),
        (Field::Lender, &d.lender),
    ];
    for (field, text) in texts {
        if let Some(t) = text.as_deref().filter(|t| visit::has_control(t)) {
            return refuse(field, t, "holds a control character");
        }
    }
    Ok(())
}
