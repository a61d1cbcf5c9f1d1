//! Pure rules: no I/O, no database, no clock of their own. Everything time-dependent takes `now`.

#[macro_use]
mod words;
pub(crate) use words::word_enum;

pub mod account;
pub mod canned;
pub mod compliance;
pub mod consent;
pub mod customer;
pub mod deal;
pub mod experiments;
pub mod geo;
pub mod inbox;
pub mod keywords;
pub mod messages;
pub mod money;
pub mod offers;
pub mod period;
pub mod phone;
pub mod questions;
pub mod revocation;
pub mod search;
pub mod settings;
pub mod sheet;
pub mod sms;
pub mod survey;
pub mod users;
pub mod vin;
pub mod visit;
pub mod watchlist;
