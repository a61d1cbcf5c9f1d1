//! Results in words a store manager can act on, without the jargon.

use super::ttest::{Difference, TestResult};

/// How likely it is that a difference this big is luck, in plain words.
pub fn p_value_in_words(p_value: f64) -> &'static str {
    match p_value {
        p if p.is_nan() => "not enough data to say",
        p if p < 0.001 => "almost certainly not chance",
        p if p < 0.01 => "very unlikely to be chance",
        p if p < 0.05 => "unlikely to be chance",
        p if p < 0.20 => "might be chance: keep the experiment running",
        _ => "could easily be chance",
    }
}

/// The interval as a sentence, e.g. "somewhere between 4% worse and 61% better".
/// Absolute lifts are in the metric's own unit and given to two decimals.
pub fn interval_in_words(result: &TestResult) -> String {
    let side = |x: f64| match result.difference {
        Difference::Relative if x < 0.0 => format!("{:.0}% worse", -x * 100.0),
        Difference::Relative => format!("{:.0}% better", x * 100.0),
        Difference::Absolute if x < 0.0 => format!("{:.2} less", -x),
        Difference::Absolute => format!("{:.2} more", x),
    };
    format!("somewhere between {} and {}", side(result.ci_low), side(result.ci_high))
}
