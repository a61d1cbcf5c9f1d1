//! What no mapped row may carry to the database. The parsers already keep each value within
//! [`visit`]'s bounds; [`fit_for_store`] checks the finished row once more against every CHECK
//! constraint a row could meet, so that a value a parser let through is refused here, with the
//! row's number, and never fails at store time.

use super::{ColumnMap, EventRow, Field, RowIssue};
use crate::domain::visit::{self, ServiceEventKind};

/// The cells with control characters read as spaces, but the RO number's and the appointment
/// id's, which are refused with them (an identifier with a NUL is a damaged export, not a name
/// to tidy).
pub(super) fn without_controls(map: &ColumnMap, record: &[&str]) -> Vec<String> {
    let identifier = |i: usize| {
        map.fields
            .iter()
            .any(|(at, f)| *at == i && matches!(f, Field::RoNumber | Field::AppointmentId))
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
