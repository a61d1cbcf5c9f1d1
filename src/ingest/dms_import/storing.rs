//! Mapped rows into the database: each row's customer, vehicle and visit. A row the database
//! refuses is that row's error (see [`refuses_a_row`] and [`store_each_alone`]).

use super::reading::Mapped;
use super::row_hash::content_hash;
use super::seen::{lead_fingerprint, vehicle_fingerprint, Seen};
use super::ImportOptions;
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::customer::LeadStatus;
use crate::domain::phone::PhoneE164;
use crate::domain::vin::Vin;
use crate::error::{Error, Result};
use crate::ingest::dms::{EventRow, RowIssue};
use crate::store::{self, leads::NewLead, service_events::Upserted, vehicles};

/// What became of a mapped row.
pub(super) enum Stored {
    Upserted(Upserted),
    /// the database refused it (the mapping let through a value it should not have)
    Refused(RowIssue),
}

/// Store rows, in order; the first failure ends it.
pub(super) fn store_all(tx: &WriteTx, opts: &ImportOptions, events: &[Mapped], seen: &mut Seen) -> Result<Vec<Stored>> {
    events
        .iter()
        .map(|e| store_row(tx, opts, e, seen).map(Stored::Upserted))
        .collect()
}

/// Store one mapped row: a visit or a deal.
fn store_row(tx: &WriteTx, opts: &ImportOptions, m: &Mapped, seen: &mut Seen) -> Result<Upserted> {
    match m {
        Mapped::Visit(e) => store_event(tx, opts, e, seen),
        Mapped::Deal(d) => super::deals::store_deal(tx, opts, d, seen),
    }
}

/// Store rows, each in a savepoint of its own: one the database refuses is rolled back alone and
/// becomes its error. (A savepoint per row costs a third of the import's speed: SQLite copies
/// every page a savepoint first writes, to be able to roll it back. So this is only for the rows
/// of a transaction in which a row was refused.)
pub(super) fn store_each_alone(
    tx: &WriteTx,
    opts: &ImportOptions,
    events: &[Mapped],
    seen: &mut Seen,
) -> Result<Vec<Stored>> {
    events.iter().map(|e| store_alone(tx, opts, e, seen)).collect()
}

fn store_alone(tx: &WriteTx, opts: &ImportOptions, e: &Mapped, seen: &mut Seen) -> Result<Stored> {
    match tx.savepoint(|tx| store_row(tx, opts, e, seen)) {
        Ok(upserted) => Ok(Stored::Upserted(upserted)),
        Err(err) if refuses_a_row(&err) && !tx.is_autocommit() => {
            // what the savepoint rolled back may be remembered
            seen.clear();
            tracing::warn!(row = e.row(), error = %err, "the database refused an imported row");
            Ok(Stored::Refused(RowIssue {
                row: e.row(),
                field: "row".into(),
                message: format!(
                    "the database refused this row ({err}); it was skipped and the rest of the file imported"
                ),
            }))
        }
        Err(err) => Err(err),
    }
}

/// Is this the database refusing one row's values (a constraint the mapping should have kept it
/// from), rather than failing as a whole (the disk, the lock)?
pub(super) fn refuses_a_row(e: &Error) -> bool {
    use rusqlite::ErrorCode::{ConstraintViolation, TooBig};
    match e {
        Error::Invalid { .. } => true,
        Error::Db(rusqlite::Error::SqliteFailure(f, _)) => matches!(f.code, ConstraintViolation | TooBig),
        _ => false,
    }
}

/// Store one event with its customer and vehicle.
///
/// The customer is matched by phone, then email, then name + VIN, and merged (blanks never
/// erase); the vehicle is upserted by VIN and the customer made its current owner (closing a
/// previous owner's ownership); then the event is upserted by external id. Writes that would
/// change nothing are skipped by the store functions, so a customer met again costs lookups only;
/// and with `seen`, a customer or vehicle met before in the same import costs nothing at all
/// when the row says what was last written (see [`Seen`]).
fn store_event(conn: &WriteTx, opts: &ImportOptions, e: &EventRow, seen: &mut Seen) -> Result<Upserted> {
    let t = to_unix(opts.now);
    let account_id = opts.account_id;
    let customer = CustomerCells {
        phone_e164: e.phone_e164.as_ref(),
        phone_is_mobile: e.phone_is_mobile,
        email: e.email.as_deref(),
        first_name: e.first_name.as_deref(),
        last_name: e.last_name.as_deref(),
        address: e.address.as_deref(),
        city: e.city.as_deref(),
        state: e.state.as_deref(),
        zip: e.zip.as_deref(),
    };
    let lead_id = store_customer(conn, opts, &customer, e.vin.as_ref(), seen)?;
    let seen_at = e.closed_at.or(e.opened_at).or(e.scheduled_at).map(to_unix);
    let vehicle_id = match &e.vin {
        Some(vin) => {
            let v = vehicles::NewVehicle {
                vin: Some(vin.clone()),
                year: e.year,
                make: e.make.clone(),
                model: e.model.clone(),
                trim: None,
                last_odometer: e.mileage,
                last_odometer_at: e.mileage.and(seen_at),
            };
            let id = store_vehicle(conn, opts, &v, seen)?;
            if let Some(lead_id) = lead_id {
                if seen.owner(vin) != Some(lead_id) {
                    vehicles::ensure_ownership(
                        conn,
                        account_id,
                        &vehicles::NewOwnership {
                            lead_id,
                            vehicle_id: id,
                            ..Default::default()
                        },
                        t,
                    )?;
                    seen.owner_is(vin, lead_id);
                }
            }
            Some(id)
        }
        None => None,
    };
    let hash = content_hash(e);
    store::service_events::upsert_imported(
        conn,
        account_id,
        &store::service_events::ImportedEvent {
            external_id: &e.external_id,
            kind: e.kind,
            lead_id,
            vehicle_id,
            scheduled_at: e.scheduled_at.map(to_unix),
            opened_at: e.opened_at.map(to_unix),
            closed_at: e.closed_at.map(to_unix),
            advisor: e.advisor.as_deref(),
            mileage: e.mileage,
            services: &e.services,
            labor_cents: e.labor_cents,
            parts_cents: e.parts_cents,
            total_cents: e.total_cents,
            source: opts.source,
            content_hash: &hash,
        },
        t,
    )
}

/// A row's customer cells, whatever the export (a visit's or a deal's).
pub(super) struct CustomerCells<'a> {
    pub(super) phone_e164: Option<&'a PhoneE164>,
    pub(super) phone_is_mobile: bool,
    pub(super) email: Option<&'a str>,
    pub(super) first_name: Option<&'a str>,
    pub(super) last_name: Option<&'a str>,
    pub(super) address: Option<&'a str>,
    pub(super) city: Option<&'a str>,
    pub(super) state: Option<&'a str>,
    pub(super) zip: Option<&'a str>,
}

/// The row's customer: matched by phone, then email, then name + VIN, and merged (blanks never
/// erase), or inserted; None when the row names nobody. The one way an import finds a customer,
/// for service and sales exports alike.
pub(super) fn store_customer(
    conn: &WriteTx,
    opts: &ImportOptions,
    c: &CustomerCells,
    vin: Option<&Vin>,
    seen: &mut Seen,
) -> Result<Option<i64>> {
    let t = to_unix(opts.now);
    let account_id = opts.account_id;
    seen.make_room();
    let mut lead_id = None;
    if let Some(p) = c.phone_e164 {
        lead_id = seen.lead_by_phone(p);
        if lead_id.is_none() {
            lead_id = store::leads::id_by_phone(conn, account_id, p)?;
            if let Some(id) = lead_id {
                seen.phone_is(p, id);
            }
        }
    }
    if lead_id.is_none() {
        if let Some(email) = c.email {
            lead_id = seen.lead_by_email(email);
            if lead_id.is_none() {
                lead_id = store::leads::id_by_email(conn, account_id, email)?;
                if let Some(id) = lead_id {
                    seen.email_is(email, id);
                }
            }
        }
    }
    if lead_id.is_none() {
        if let (Some(f), Some(l), Some(v)) = (c.first_name, c.last_name, vin) {
            lead_id = store::leads::id_by_name_and_vin(conn, account_id, f, l, v)?;
        }
    }
    let has_customer = c.phone_e164.is_some() || c.email.is_some() || c.first_name.is_some() || c.last_name.is_some();
    let new_lead = NewLead {
        phone_e164: c.phone_e164.cloned().map(String::from),
        email: c.email.map(str::to_string),
        first_name: c.first_name.map(str::to_string),
        last_name: c.last_name.map(str::to_string),
        city: c.city.map(str::to_string),
        state: c.state.map(str::to_string),
        postal_code: c.zip.map(str::to_string),
        timezone: None,
        source: "dms".into(),
        status: LeadStatus::Customer,
        textable: c.phone_e164.is_some() && c.phone_is_mobile,
        vehicle_interest: None,
    };
    let address = c.address;
    Ok(match lead_id {
        Some(id) => {
            let fingerprint = lead_fingerprint(&new_lead, address);
            if seen.lead_written(id) != Some(fingerprint) {
                store::leads::merge_with_address(conn, id, &new_lead, address, t)?;
                seen.lead_wrote(id, fingerprint);
            }
            if let Some(email) = c.email {
                seen.email_merged(id, email);
            }
            Some(id)
        }
        None if has_customer => {
            let id = store::leads::insert_with_address(conn, account_id, &new_lead, address, t)?;
            seen.lead_wrote(id, lead_fingerprint(&new_lead, address));
            match (c.phone_e164, c.email) {
                (Some(p), _) => seen.phone_is(p, id),
                // the first lead with this email: no lead had it (the lookup above)
                (None, Some(email)) => seen.email_is(email, id),
                (None, None) => {}
            }
            Some(id)
        }
        None => None,
    })
}

/// The vehicle with this VIN (`v.vin`), created or filled in: the one way an import stores a
/// vehicle.
pub(super) fn store_vehicle(
    conn: &WriteTx,
    opts: &ImportOptions,
    v: &vehicles::NewVehicle,
    seen: &mut Seen,
) -> Result<i64> {
    let vin = v
        .vin
        .as_ref()
        .ok_or_else(|| Error::internal("store_vehicle needs a VIN"))?;
    let facts = vehicle_fingerprint(v);
    Ok(match seen.vehicle_unchanged_by(vin, facts, v) {
        Some(id) => id,
        None => {
            let u = vehicles::upsert_by_vin_odometer(conn, opts.account_id, v, to_unix(opts.now))?;
            seen.vehicle_wrote(vin, facts, u);
            u.id
        }
    })
}
