//! The content hash of an imported row: the same row imported again is recognised as unchanged.

use crate::ingest::dms::{EventRow, ServiceLine};
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
    h.str(kind);
    for t in [scheduled_at, opened_at, closed_at] {
        h.int(t.map(|t| t.timestamp()));
        h.int(t.map(|t| i64::from(t.timestamp_subsec_nanos())));
    }
    for s in [first_name, last_name, phone_e164] {
        h.opt_str(s);
    }
    h.int(Some(i64::from(*phone_is_mobile)));
    for s in [email, address, city, state, zip, vin] {
        h.opt_str(s);
    }
    h.int(year.map(i64::from));
    h.opt_str(make);
    h.opt_str(model);
    h.int(*mileage);
    h.opt_str(advisor);
    h.int(Some(services.len() as i64));
    for ServiceLine {
        op_code,
        description,
        amount_cents,
        status,
    } in services
    {
        h.str(op_code);
        h.opt_str(description);
        h.int(*amount_cents);
        h.str(status);
    }
    h.int(*labor_cents);
    h.int(*parts_cents);
    h.int(*total_cents);
    hex::encode(h.0.finalize())
}

/// Feeds values to the hash unambiguously.
struct Fields(Sha256);

impl Fields {
    fn str(&mut self, s: &str) {
        self.0.update((s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
    }
    fn opt_str(&mut self, s: &Option<String>) {
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
