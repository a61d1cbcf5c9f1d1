//! A rep's word on an offer: accepted (with the revenue it brought) or declined, with a note.
//! It overrides what the signals (a reply, a click, an RO line) said. The outcome API and the
//! conversation page's offer panel both record it here, under the same rules.

use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::money::Cents;
use crate::error::{Error, Result};
use crate::store::{self, offer_sends::OfferSend};
use chrono::{DateTime, Utc};

/// The most revenue one outcome may credit, in cents ($1,000,000).
pub const MAX_REVENUE_CENTS: i64 = 100_000_000;

/// Longest note kept with an outcome, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// What the rep says.
#[derive(Debug, Clone)]
pub struct RepOutcome {
    pub accepted: bool,
    /// revenue to credit, in cents (kept as it was when None); only with `accepted`
    pub revenue_cents: Option<i64>,
    pub note: Option<String>,
    pub by: String,
}

/// Check an outcome before anything is written: Invalid with what to fix.
pub fn check(o: &RepOutcome) -> Result<()> {
    if o.revenue_cents.is_some_and(|r| !(0..=MAX_REVENUE_CENTS).contains(&r)) {
        return Err(Error::invalid(
            "invalid_field",
            "revenue_cents must be from 0 to 100000000",
        ));
    }
    if o.revenue_cents.is_some() && !o.accepted {
        return Err(Error::invalid(
            "invalid_field",
            "revenue_cents only goes with accepted: true",
        ));
    }
    if o.note.as_deref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(Error::invalid(
            "invalid_field",
            format!("the note is longer than {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Record the rep's outcome on send `id` of this account; NotFound for another account's.
pub fn record(tx: &WriteTx, account_id: i64, id: i64, o: &RepOutcome, now: DateTime<Utc>) -> Result<OfferSend> {
    check(o)?;
    let by = Some(o.by.trim()).filter(|b| !b.is_empty()).unwrap_or("api");
    let note = o.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let revenue = o.revenue_cents.map(Cents::new);
    if !store::offer_sends::record_manual(tx, account_id, id, o.accepted, revenue, note, by, to_unix(now))? {
        return Err(Error::NotFound(format!("offer send {id}")));
    }
    store::offer_sends::get(tx, account_id, id)?.ok_or_else(|| Error::NotFound(format!("offer send {id}")))
}
