//! The content hash of an imported row: the same row imported again is recognised as unchanged.

use crate::domain::money::Cents;
use crate::domain::visit::ServiceLine;
use crate::ingest::dms::{Customer, DealRow, EventRow, VehicleDesc};
use sha2::{Digest, Sha256};

/// A stable fingerprint of what a row says (everything but its row number): the same row
/// imported again is recognised as unchanged. Every field is fed in order, each string with its
/// length and each option with a tag, so different rows never feed the same bytes. (It is
/// compared only with hashes stored by imports, so it may change between versions: a file
/// imported again after an upgrade then counts as updated once.)
pub(super) fn content_hash(e: &EventRow) -> String {
    // destructured so that a new field cannot be left out unnoticed
    let EventRow {
        row: _,
        external_id,
        kind,
        scheduled_at,
        opened_at,
        closed_at,
        first_name,
        last_name,
        phone_e164,
        phone_is_mobile,
        email,
        address,
        city,
        state,
        zip,
        vin,
        year,
        make,
        model,
        mileage,
        advisor,
        services,
        labor_cents,
        parts_cents,
        total_cents,
    } = e;
    let mut h = Fields(Sha256::new());
    h.str(external_id);
    h.str(kind.as_str());
    for t in [scheduled_at, opened_at, closed_at] {
        h.int(t.map(|t| t.timestamp()));
        h.int(t.map(|t| i64::from(t.timestamp_subsec_nanos())));
    }
    for s in [first_name.as_deref(), last_name.as_deref(), phone_e164.as_deref()] {
        h.opt_str(s);
    }
    h.int(Some(i64::from(*phone_is_mobile)));
    for s in [email, address, city, state, zip] {
        h.opt_str(s.as_deref());
    }
    h.opt_str(vin.as_deref());
    h.int(year.map(i64::from));
    h.opt_str(make.as_deref());
    h.opt_str(model.as_deref());
    h.int(*mileage);
    h.opt_str(advisor.as_deref());
    h.int(Some(services.len() as i64));
    for ServiceLine {
        op_code,
        description,
        amount_cents,
        status,
    } in services
    {
        h.str(op_code);
        h.opt_str(description.as_deref());
        h.int(amount_cents.map(Cents::get));
        h.str(status.as_str());
    }
    for cents in [labor_cents, parts_cents, total_cents] {
        h.int(cents.map(Cents::get));
    }
    hex::encode(h.0.finalize())
}

/// [`content_hash`] for a deal: everything it says but its row number.
pub(super) fn deal_hash(d: &DealRow) -> String {
    let DealRow {
        row: _,
        deal_number,
        sold_at,
        customer,
        vehicle,
        mileage,
        condition,
        sale_type,
        term_months,
        monthly_payment,
        apr,
        lease_miles_per_year,
        lender,
        amount_financed,
        trade,
        trade_payoff,
    } = d;
    let Customer {
        first_name,
        last_name,
        phone_e164,
        phone_is_mobile,
        email,
        address,
        city,
        state,
        zip,
    } = customer;
    let mut h = Fields(Sha256::new());
    h.str("deal");
    h.str(deal_number);
    h.int(Some(sold_at.timestamp()));
    h.int(Some(i64::from(sold_at.timestamp_subsec_nanos())));
    for s in [first_name.as_deref(), last_name.as_deref(), phone_e164.as_deref()] {
        h.opt_str(s);
    }
    h.int(Some(i64::from(*phone_is_mobile)));
    for s in [email, address, city, state, zip] {
        h.opt_str(s.as_deref());
    }
    let mut vehicle_desc = |v: Option<&VehicleDesc>| {
        let VehicleDesc { vin, year, make, model } = v.cloned().unwrap_or_default();
        h.int(Some(i64::from(v.is_some())));
        h.opt_str(vin.as_deref());
        h.int(year.map(i64::from));
        h.opt_str(make.as_deref());
        h.opt_str(model.as_deref());
    };
    vehicle_desc(Some(vehicle));
    vehicle_desc(trade.as_ref());
    h.int(*mileage);
    h.opt_str(condition.map(|c| c.as_str()));
    h.opt_str(sale_type.map(|t| t.as_str()));
    h.int(*term_months);
    h.int(monthly_payment.map(Cents::get));
    h.int(apr.map(|a| a.bps()));
    h.int(*lease_miles_per_year);
    h.opt_str(lender.as_deref());
    h.int(amount_financed.map(Cents::get));
    h.int(trade_payoff.map(Cents::get));
    hex::encode(h.0.finalize())
}

/// Feeds values to the hash unambiguously.
struct Fields(Sha256);

impl Fields {
    fn str(&mut self, s: &str) {
        self.0.update((s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.update([1]);
                self.str(s);
            }
            None => self.0.update([0]),
        }
    }
    fn int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => {
                self.0.update([1]);
                self.0.update(v.to_le_bytes());
            }
            None => self.0.update([0]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::PhoneE164;
    use crate::domain::vin::Vin;
    use crate::domain::visit::{LineStatus, ServiceEventKind};
    use chrono::{TimeZone, Utc};

    /// A row with every field set.
    fn full_row() -> EventRow {
        EventRow {
            row: 12,
            external_id: "604512".into(),
            kind: ServiceEventKind::RepairOrder,
            scheduled_at: Some(Utc.timestamp_opt(1_790_000_000, 0).unwrap()),
            opened_at: Some(Utc.timestamp_opt(1_790_003_600, 0).unwrap()),
            closed_at: None,
            first_name: Some("Jane".into()),
            last_name: Some("Doe".into()),
            phone_e164: Some(PhoneE164::parse("+15125550100").unwrap()),
            phone_is_mobile: true,
            email: Some("jane@example.com".into()),
            address: Some("1 Main St".into()),
            city: Some("Austin".into()),
            state: Some("TX".into()),
            zip: Some("78701".into()),
            vin: Some(Vin::parse("1HGCM82633A004352").unwrap()),
            year: Some(2003),
            make: Some("HONDA".into()),
            model: Some("ACCORD".into()),
            mileage: Some(81_250),
            advisor: Some("Dana Whitfield".into()),
            services: vec![
                ServiceLine {
                    op_code: "01OIL".into(),
                    description: Some("Oil change".into()),
                    amount_cents: None,
                    status: LineStatus::Performed,
                },
                ServiceLine {
                    op_code: "04BRK".into(),
                    description: None,
                    amount_cents: Some(Cents::new(24_995)),
                    status: LineStatus::Declined,
                },
            ],
            labor_cents: Some(Cents::new(7_995)),
            parts_cents: None,
            total_cents: Some(Cents::new(7_995)),
        }
    }

    /// Databases hold the hashes earlier versions stored: a row must hash to the same value
    /// whatever types carry its fields, or every file imported again after an upgrade counts
    /// as all updated. (The value is what this function gave at bd92dd5, before the typed values came in.)
    #[test]
    fn the_hash_of_a_row_is_what_earlier_versions_stored() {
        assert_eq!(
            content_hash(&full_row()),
            "ee5328667ba3dc9f1fe4b6c0172d47aadedb0f0afbb99754b4f08868289851e7"
        );
        let mut other = full_row();
        other.row = 13;
        assert_eq!(
            content_hash(&other),
            content_hash(&full_row()),
            "the row number is not content"
        );
        other.services[1].status = LineStatus::Recommended;
        assert_ne!(content_hash(&other), content_hash(&full_row()));
    }
}
