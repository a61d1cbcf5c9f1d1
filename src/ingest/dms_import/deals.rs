//! A mapped deal into the database: its customer and vehicle found or stored exactly as a
//! service visit's are (see [`super::storing`]), the buyer made the sold vehicle's owner from the
//! sold date, a traded-in vehicle's ownership ended on it, and the deal upserted by its number.

use super::row_hash::deal_hash;
use super::seen::Seen;
use super::storing::{store_customer, store_vehicle, CustomerCells};
use super::ImportOptions;
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::error::Result;
use crate::ingest::dms::{DealRow, VehicleDesc};
use crate::store::{self, deals::ImportedDeal, service_events::Upserted, vehicles};

/// Store one deal. A deal imported before with the same content is `Unchanged` and touches
/// nothing (an older export imported again never moves a vehicle back to an earlier owner).
pub(super) fn store_deal(tx: &WriteTx, opts: &ImportOptions, d: &DealRow, seen: &mut Seen) -> Result<Upserted> {
    let (account_id, t) = (opts.account_id, to_unix(opts.now));
    let hash = deal_hash(d);
    if let Some((id, Some(stored))) = store::deals::imported(tx, account_id, &d.deal_number)? {
        if stored == hash {
            return Ok(Upserted::Unchanged(id));
        }
    }
    let c = &d.customer;
    let customer = CustomerCells {
        phone_e164: c.phone_e164.as_ref(),
        phone_is_mobile: c.phone_is_mobile,
        email: c.email.as_deref(),
        first_name: c.first_name.as_deref(),
        last_name: c.last_name.as_deref(),
        address: c.address.as_deref(),
        city: c.city.as_deref(),
        state: c.state.as_deref(),
        zip: c.zip.as_deref(),
    };
    let lead_id = store_customer(tx, opts, &customer, d.vehicle.vin.as_ref(), seen)?;
    let sold_at = to_unix(d.sold_at);
    let vehicle_id = match &d.vehicle.vin {
        Some(vin) => {
            let id = store_vehicle(tx, opts, &new_vehicle(&d.vehicle, d.mileage, sold_at), seen)?;
            if let Some(lead_id) = lead_id {
                let o = vehicles::NewOwnership {
                    lead_id,
                    vehicle_id: id,
                    purchased_at: Some(sold_at),
                    finance_type: d.sale_type.map(|s| s.finance_type()),
                    term_months: d.term_months,
                    monthly_payment_cents: d.monthly_payment.map(|c| c.get()),
                };
                vehicles::take_ownership_at(tx, account_id, &o, t)?;
            }
            seen.owner_unknown(vin);
            Some(id)
        }
        None => None,
    };
    let trade_vehicle_id = match d.trade.as_ref().and_then(|v| v.vin.as_ref().map(|vin| (v, vin))) {
        Some((trade, vin)) => {
            let id = store_vehicle(tx, opts, &new_vehicle(trade, None, sold_at), seen)?;
            vehicles::end_ownership_at(tx, account_id, id, lead_id, sold_at, t)?;
            seen.owner_unknown(vin);
            Some(id)
        }
        None => None,
    };
    store::deals::upsert_imported(
        tx,
        account_id,
        &ImportedDeal {
            deal_number: &d.deal_number,
            lead_id,
            vehicle_id,
            vin: d.vehicle.vin.as_ref(),
            sold_at,
            condition: d.condition,
            sale_type: d.sale_type,
            term_months: d.term_months,
            monthly_payment: d.monthly_payment,
            apr: d.apr,
            lease_miles_per_year: d.lease_miles_per_year,
            lender: d.lender.as_deref(),
            amount_financed: d.amount_financed,
            trade_vin: d.trade.as_ref().and_then(|v| v.vin.as_ref()),
            trade_vehicle_id,
            trade_payoff: d.trade_payoff,
            source: opts.source,
            content_hash: &hash,
        },
        t,
    )
}

fn new_vehicle(v: &VehicleDesc, mileage: Option<i64>, seen_at: i64) -> vehicles::NewVehicle {
    vehicles::NewVehicle {
        vin: v.vin.clone(),
        year: v.year,
        make: v.make.clone(),
        model: v.model.clone(),
        trim: None,
        last_odometer: mileage,
        last_odometer_at: mileage.map(|_| seen_at),
    }
}
