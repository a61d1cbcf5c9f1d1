//! What one import call remembers of the customers and vehicles it stored (see [`Seen`]).

use crate::error::Result;
use crate::store::{self, leads::NewLead, vehicles};
use rusqlite::Connection;
use std::collections::HashMap;

/// Entries at most in each of [`Seen`]'s maps; when one is full, all are cleared, so memory stays
/// flat whatever the file's size. Below 7/8 of 2^19, no map grows past 2^19 buckets: measured,
/// the maps add 78 MB to the peak at 333,000 customers and cars (1,000,000 rows), the VIN map
/// most of it; that is about their ceiling.
const SEEN_MAX: usize = 450_000;

/// What one import call has learnt about the customers and vehicles it stored, so that one met
/// again in the same file is neither looked up nor rewritten when its row says what was last
/// written for it. Everything here describes the database as this connection left it:
/// - a phone number's lead (a lead's phone is only ever filled in, never changed, by an import);
/// - an email's lead, only while it is the lead `id_by_email` would find (the first with it);
/// - per lead, a fingerprint of the values last merged into it or inserted with it: merging the
///   same values again changes nothing (every column is `coalesce`d, `max`ed or set to the
///   import's `now`), so the merge is skipped exactly when `merge_with_address` would skip it;
/// - per VIN, the vehicle's id, a fingerprint of the year/make/model/trim last upserted (the
///   same reasoning), its odometer as the row holds it, and the lead made its current owner.
///
/// It is trusted only while nobody else changes what it remembers: the `customer_changes`
/// counter (moved by triggers whenever a customer, vehicle or ownership is deleted or has a
/// remembered value changed, by any connection or process) is read at the end of each of the
/// import's transactions and again at the start of the next, and everything is forgotten if it
/// moved in between. Other writes (inbound texts, ticks, drafts) do not make it forget. A failed
/// transaction ends the import.
pub(super) struct Seen {
    enabled: bool,
    /// `customer_changes` as the import's last transaction left it
    changes: Option<i64>,
    /// a phone number (E.164 as an integer) -> its lead
    phones: HashMap<u64, i64>,
    /// an email (ASCII-lower-cased: the column is NOCASE) -> the first lead with it
    emails: HashMap<String, i64>,
    /// lead -> the email key it is in `emails` under
    email_of: HashMap<i64, String>,
    /// lead -> fingerprint of the values last written to it
    leads: HashMap<i64, u64>,
    vins: HashMap<[u8; 17], VinSeen>,
}

struct VinSeen {
    id: i64,
    /// the lead made its current owner by this import (None: not known)
    owner: Option<i64>,
    /// fingerprint of the year, make, model and trim last upserted
    facts: u64,
    last_odometer: Option<i64>,
    last_odometer_at: Option<i64>,
}

#[cfg(test)]
thread_local! {
    /// Tests compare imports with and without [`Seen`] on this thread.
    pub(super) static WITHOUT_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// How many times an import on this thread forgot what it knew because someone else
    /// changed customers between its transactions.
    pub(super) static FORGOT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Seen {
    pub(super) fn new() -> Seen {
        #[cfg(test)]
        let enabled = !WITHOUT_SEEN.with(std::cell::Cell::get);
        #[cfg(not(test))]
        let enabled = true;
        Seen {
            enabled,
            changes: None,
            phones: HashMap::new(),
            emails: HashMap::new(),
            email_of: HashMap::new(),
            leads: HashMap::new(),
            vins: HashMap::new(),
        }
    }

    /// At the start of a transaction: forget everything if someone changed customers, vehicles
    /// or ownerships since the import's last transaction ended.
    pub(super) fn begin(&mut self, tx: &Connection) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let now = store::customer_changes::current(tx)?;
        if self.changes != Some(now) {
            #[cfg(test)]
            if self.changes.is_some() {
                FORGOT.with(|f| f.set(f.get() + 1));
            }
            self.clear();
        }
        Ok(())
    }

    /// At the end of a transaction, before it commits: the counter with the import's own
    /// changes in it.
    pub(super) fn end(&mut self, tx: &Connection) -> Result<()> {
        if self.enabled {
            self.changes = Some(store::customer_changes::current(tx)?);
        }
        Ok(())
    }

    pub(super) fn clear(&mut self) {
        self.phones.clear();
        self.emails.clear();
        self.email_of.clear();
        self.leads.clear();
        self.vins.clear();
    }

    /// Before a row: a full map empties them all (they refer to each other).
    pub(super) fn make_room(&mut self) {
        let most = [
            self.phones.len(),
            self.emails.len(),
            self.email_of.len(),
            self.leads.len(),
            self.vins.len(),
        ];
        if most.into_iter().max().unwrap_or(0) >= SEEN_MAX {
            self.clear();
        }
    }

    pub(super) fn lead_by_phone(&self, phone: &str) -> Option<i64> {
        self.phones.get(&phone_key(phone)?).copied()
    }

    /// `phone` is this lead's number.
    pub(super) fn phone_is(&mut self, phone: &str, lead: i64) {
        if let (true, Some(k)) = (self.enabled, phone_key(phone)) {
            self.phones.insert(k, lead);
        }
    }

    pub(super) fn lead_by_email(&self, email: &str) -> Option<i64> {
        self.emails.get(&email.to_ascii_lowercase()).copied()
    }

    /// `lead` is the first lead with this email (what `id_by_email` found, or the only one).
    pub(super) fn email_is(&mut self, email: &str, lead: i64) {
        if self.enabled {
            let key = email.to_ascii_lowercase();
            self.emails.insert(key.clone(), lead);
            // (a lead found by its email has no other: this only keeps the maps tidy)
            if let Some(old) = self.email_of.insert(lead, key.clone()) {
                if old != key && self.emails.get(&old) == Some(&lead) {
                    self.emails.remove(&old);
                }
            }
        }
    }

    /// `lead` now has this email (merged into it): it no longer has its old one, and it is now the
    /// first lead with this one if it comes before the one known.
    pub(super) fn email_merged(&mut self, lead: i64, email: &str) {
        if !self.enabled {
            return;
        }
        let key = email.to_ascii_lowercase();
        if self.email_of.get(&lead).is_some_and(|old| *old != key) {
            if let Some(old) = self.email_of.remove(&lead) {
                if self.emails.get(&old) == Some(&lead) {
                    self.emails.remove(&old);
                }
            }
        }
        if let Some(first) = self.emails.get_mut(&key) {
            if *first > lead {
                *first = lead;
                self.email_of.insert(lead, key);
            }
        }
    }

    pub(super) fn lead_written(&self, lead: i64) -> Option<u64> {
        self.leads.get(&lead).copied()
    }

    pub(super) fn lead_wrote(&mut self, lead: i64, fingerprint: u64) {
        if self.enabled {
            self.leads.insert(lead, fingerprint);
        }
    }

    /// The vehicle's id if upserting `v` (whose year/make/model/trim have fingerprint `facts`)
    /// would change nothing: the same facts as last upserted, and an odometer reading that would
    /// not move (the `WHERE` of `upsert_by_vin`).
    pub(super) fn vehicle_unchanged_by(&self, vin: &str, facts: u64, v: &vehicles::NewVehicle) -> Option<i64> {
        let s = self.vins.get(&vin_key(vin)?)?;
        let moves = v.last_odometer.is_some()
            && v.last_odometer_at.unwrap_or(0) >= s.last_odometer_at.unwrap_or(0)
            && (s.last_odometer != v.last_odometer || s.last_odometer_at != v.last_odometer_at);
        (s.facts == facts && !moves).then_some(s.id)
    }

    pub(super) fn vehicle_wrote(&mut self, vin: &str, facts: u64, u: vehicles::UpsertedVin) {
        let Some(k) = vin_key(vin).filter(|_| self.enabled) else {
            return;
        };
        let s = self.vins.entry(k).or_insert(VinSeen {
            id: u.id,
            owner: None,
            facts,
            last_odometer: None,
            last_odometer_at: None,
        });
        if s.id != u.id {
            s.owner = None;
        }
        s.id = u.id;
        s.facts = facts;
        s.last_odometer = u.last_odometer;
        s.last_odometer_at = u.last_odometer_at;
    }

    pub(super) fn owner(&self, vin: &str) -> Option<i64> {
        self.vins.get(&vin_key(vin)?)?.owner
    }

    /// A deal changed who owns the vehicle with this VIN: its owner is no longer known here.
    pub(super) fn owner_unknown(&mut self, vin: &str) {
        if let Some(s) = vin_key(vin).and_then(|k| self.vins.get_mut(&k)) {
            s.owner = None;
        }
    }

    /// `ensure_ownership` made `lead` the current owner of the vehicle with this VIN.
    pub(super) fn owner_is(&mut self, vin: &str, lead: i64) {
        if let Some(s) = vin_key(vin).and_then(|k| self.vins.get_mut(&k)) {
            s.owner = Some(lead);
        }
    }
}

/// `+` and up to 18 digits as an integer (exact: E.164 numbers do not start with 0).
fn phone_key(phone: &str) -> Option<u64> {
    let digits = phone.strip_prefix('+')?;
    if digits.is_empty() || digits.len() > 18 || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

fn vin_key(vin: &str) -> Option<[u8; 17]> {
    vin.as_bytes().try_into().ok()
}

/// The values a merge or insert writes to a lead (all of them).
pub(super) fn lead_fingerprint(l: &NewLead, address: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let NewLead {
        phone_e164,
        email,
        first_name,
        last_name,
        city,
        state,
        postal_code,
        timezone,
        source,
        status,
        textable,
        vehicle_interest,
    } = l;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        phone_e164,
        email,
        first_name,
        last_name,
        city,
        state,
        postal_code,
        timezone,
    )
        .hash(&mut h);
    (source, status, textable, vehicle_interest, address).hash(&mut h);
    h.finish()
}

/// The year, make, model and trim an upsert fills in.
pub(super) fn vehicle_fingerprint(v: &vehicles::NewVehicle) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (v.year, &v.make, &v.model, &v.trim).hash(&mut h);
    h.finish()
}
