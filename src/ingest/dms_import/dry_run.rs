//! A dry run's counts, found by reading only.

use super::reading::Mapped;
use super::row_hash::{content_hash, deal_hash};
use super::ImportOptions;
use crate::db::Conn;
use crate::error::Result;
use crate::store::{self, service_events::Upserted};
use std::collections::HashMap;

/// A dry run: what the import would do with each event, found by reading only, so that it
/// neither holds the write lock nor depends on where transactions would end. It remembers the
/// events met earlier in the file (a later row with the same external id updates, or repeats,
/// an earlier one) as hashes: bounded memory, with a negligible chance of a miscount.
#[derive(Default)]
pub(super) struct DryRun {
    /// hash of an external id -> hash of the content last "stored" under it
    met: HashMap<u64, u64>,
}

impl DryRun {
    pub(super) fn check(&mut self, conn: &Conn, opts: &ImportOptions, m: &Mapped) -> Result<Upserted> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let hash_of = |s: &str| {
            let mut h = DefaultHasher::new();
            s.hash(&mut h);
            h.finish()
        };
        let (id, content) = match m {
            Mapped::Visit(e) => (&e.external_id, content_hash(e)),
            Mapped::Deal(d) => (&d.deal_number, deal_hash(d)),
        };
        let (key, content_key) = (hash_of(id), hash_of(&content));
        let before = match self.met.get(&key) {
            Some(k) => Some(Some(*k)),
            None => match m {
                Mapped::Visit(_) => store::service_events::imported_hash(conn, opts.account_id, id)?,
                Mapped::Deal(_) => store::deals::imported_hash(conn, opts.account_id, id)?,
            }
            .map(|stored| stored.map(|h| hash_of(&h))),
        };
        self.met.insert(key, content_key);
        // the ids are not known without writing; the report counts only
        Ok(match before {
            None => Upserted::Created(0),
            Some(Some(k)) if k == content_key => Upserted::Unchanged(0),
            Some(_) => Upserted::Updated(0),
        })
    }
}
