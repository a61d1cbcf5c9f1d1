//! Experiments (#14): holdouts a manager sets up per campaign, and what the texts really earn.
//!
//! - [`manage`]: create, change (while a draft), start and stop, with the rules that keep arms
//!   comparable: one running experiment per campaign, no holdout change once running.
//! - [`assign`]: who is in which arm, decided at the moment a text would be decided, after the
//!   compliance gate (a customer who could not be texted anyway is in neither arm); the bulk
//!   assignment the operator can replay with `as_of`.
//! - [`results`]: each arm's outcomes from the store, read by `domain::experiments::analyze`.
//!
//! The statistics are pure and live in `domain::experiments`; the SQL in `store::experiments`.

pub mod assign;
pub mod manage;
pub mod results;
