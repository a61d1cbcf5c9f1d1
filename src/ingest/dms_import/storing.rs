//! Mapped rows into the database: each row's customer, vehicle and visit. A row the database
//! refuses is that row's error (see [`refuses_a_row`] and [`store_each_alone`]).

use super::row_hash::content_hash;
use super::seen::{lead_fingerprint, vehicle_fingerprint, Seen};
use super::ImportOptions;
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::customer::LeadStatus;
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
pub(super) fn store_all(
    tx: &WriteTx,
    opts: &ImportOptions,
    events: &[EventRow],
    seen: &mut Seen,
) -> Result<Vec<Stored>> {
    events
        .iter()
        .map(|e| store_event(tx, opts, e, seen).map(Stored::Upserted))
        .collect()
}

/// Store rows, each in a savepoint of its own: one the database refuses is rolled back alone and
/// becomes its error. (A savepoint per row costs a third of the import's speed: SQLite copies
/// every page a savepoint first writes, to be able to roll it back. So this is only for the rows
/// of a transaction in which a row was refused.)
pub(super) fn store_each_alone(
    tx: &WriteTx,
    opts: &ImportOptions,
    events: &[EventRow],
    seen: &mut Seen,
) -> Result<Vec<Stored>> {
    events.iter().map(|e| store_alone(tx, opts, e, seen)).collect()
}

fn store_alone(tx: &WriteTx, opts: &ImportOptions, e: &EventRow, seen: &mut Seen) -> Result<Stored> {
    match tx.savepoint(|tx| store_event(tx, opts, e, seen)) {
        Ok(upserted) => Ok(Stored::Upserted(upserted)),
        Err(err) if refuses_a_row(&err) && !tx.is_autocommit() => {
            // what the savepoint rolled back may be remembered
            seen.clear();
            tracing::warn!(row = e.row, error = %err, "the database refused an imported row");
            Ok(Stored::Refused(RowIssue {
                row: e.row,
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
    seen.make_room();
    let mut lead_id = None;
    if let Some(p) = &e.phone_e164 {
        lead_id = seen.lead_by_phone(p);
        if lead_id.is_none() {
            lead_id = store::leads::id_by_phone(conn, account_id, p)?;
            if let Some(id) = lead_id {
                seen.phone_is(p, id);
            }
        }
    }
    if lead_id.is_none() {
        if let Some(email) = &e.email {
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
        if let (Some(f), Some(l), Some(v)) = (&e.first_name, &e.last_name, &e.vin) {
            lead_id = store::leads::id_by_name_and_vin(conn, account_id, f, l, v)?;
        }
    }
    let has_customer = e.phone_e164.is_some() || e.email.is_some() || e.first_name.is_some() || e.last_name.is_some();
    let new_lead = NewLead {
        phone_e164: e.phone_e164.clone().map(String::from),
        email: e.email.clone(),
        first_name: e.first_name.clone(),
        last_name: e.last_name.clone(),
        city: e.city.clone(),
        state: e.state.clone(),
        postal_code: e.zip.clone(),
        timezone: None,
        source: "dms".into(),
        status: LeadStatus::Customer,
        textable: e.phone_e164.is_some() && e.phone_is_mobile,
        vehicle_interest: None,
    };
    let address = e.address.as_deref();
    let lead_id = match lead_id {
        Some(id) => {
            let fingerprint = lead_fingerprint(&new_lead, address);
            if seen.lead_written(id) != Some(fingerprint) {
                store::leads::merge_with_address(conn, id, &new_lead, address, t)?;
                seen.lead_wrote(id, fingerprint);
            }
            if let Some(email) = &e.email {
                seen.email_merged(id, email);
            }
            Some(id)
        }
        None if has_customer => {
            let id = store::leads::insert_with_address(conn, account_id, &new_lead, address, t)?;
            seen.lead_wrote(id, lead_fingerprint(&new_lead, address));
            match (&e.phone_e164, &e.email) {
                (Some(p), _) => seen.phone_is(p, id),
                // the first lead with this email: no lead had it (the lookup above)
                (None, Some(email)) => seen.email_is(email, id),
                (None, None) => {}
            }
            Some(id)
        }
        None => None,
    };
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
            let facts = vehicle_fingerprint(&v);
            let id = match seen.vehicle_unchanged_by(vin, facts, &v) {
                Some(id) => id,
                None => {
                    let u = vehicles::upsert_by_vin_odometer(conn, account_id, &v, t)?;
                    seen.vehicle_wrote(vin, facts, u);
                    u.id
                }
            };
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
