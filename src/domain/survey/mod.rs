//! Reading a customer's reply to a survey question: pure functions from the reply's text
//! (and the moment it arrived, where time matters) to a value and how sure the reading is.
//! Each returns `None` when the reply does not answer the question in a way it can read;
//! a reading with confidence below [`REVIEW_BELOW`] is kept but needs a person to look.
//!
//! The grammar is written here, small and table-driven: `text` folds and cuts the reply,
//! `numbers` reads numbers in words and digits (English and Spanish; by hand: text2num 2.8
//! reads number words, "fourty" too, but not "45k" or "one twenty", and brings phf, daachorse
//! and bitflags for what is 150 lines here), `calendar` knows seasons, months
//! and holidays, and each answer type has its reader: [`read_mileage`] (the moment tells a
//! model year from a mileage), [`read_timeframe`] (the moment and the customer's zone give
//! the local date the window is counted from), [`read_yes_no`] and [`read_choice`] (the
//! moment does not change them, so they do not take it). The corpus under `corpus/` holds a development set and held-out
//! sets of real-looking replies; `cargo test --lib survey_corpus -- --nocapture` prints
//! each reader's exact-match rate on each.

mod calendar;
mod choice;
mod mileage;
mod numbers;
mod text;
mod timeframe;
mod yes_no;

#[cfg(test)]
mod corpus;

pub use choice::read_choice;
pub use mileage::read_mileage;
pub use timeframe::{read_timeframe, Timeframe};
pub use yes_no::read_yes_no;

/// Readings less sure than this are kept as "needs review" and shown to a person.
pub const REVIEW_BELOW: f64 = 0.6;

/// A value read from a reply, and how sure the reading is (0 to 1).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Parsed<T> {
    pub value: T,
    pub confidence: f64,
}

impl<T> Parsed<T> {
    /// The confidence is kept within 0.05 and 1, rounded to two places.
    pub fn new(value: T, confidence: f64) -> Parsed<T> {
        let confidence = (confidence.clamp(0.05, 1.0) * 100.0).round() / 100.0;
        Parsed { value, confidence }
    }

    /// Whether a person should check this reading before it is trusted.
    pub fn needs_review(&self) -> bool {
        self.confidence < REVIEW_BELOW
    }
}
