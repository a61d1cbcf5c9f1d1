//! Pure rules: no I/O, no database, no clock of their own. Everything time-dependent takes `now`.

pub mod account;
pub mod money;
pub mod vin;
