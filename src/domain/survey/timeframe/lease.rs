//! A lease's mileage cap as the time left: "Lease caps at 30k and I'm at 26k, I drive about
//! a thousand a month" is (30,000 − 26,000) / 1,000 = 4 months away. The reply must speak of
//! a lease or its cap ("lease is 36k", "allowance"), give two mileages (the cap is the larger,
//! the miles driven so far the smaller) and a rate ("a thousand a month", "12k a year",
//! "1k/mo", "1,200 miles monthly").

use crate::domain::survey::numbers;
use crate::domain::survey::text::{word, Token};

/// Words that say the mileages are a lease's cap and the miles on it.
#[rustfmt::skip]
const CAP_WORDS: &[&str] = &[
    "lease", "leased", "leasing", "cap", "caps", "capped", "allowance", "allowed", "limit",
];
/// Words between a rate and its unit: "a month", "per year", "each month", "al mes".
const PER: &[&str] = &["a", "an", "per", "each", "every", "al", "por", "cada"];
const MONTH: &[&str] = &["month", "mo", "mos", "mth", "mes"];
const YEAR: &[&str] = &["year", "yr", "y", "ano"];
const MILES: &[&str] = &["miles", "mi", "millas", "mile"];

/// Months until the cap is reached, if the reply gives a lease's cap, its miles and a rate.
pub(super) fn months_to_cap(tokens: &[Token]) -> Option<f64> {
    let is_cap_word = |t: &Token| matches!(t, Token::Word(w) if CAP_WORDS.contains(&w.as_str()));
    if !tokens.iter().any(is_cap_word) {
        return None;
    }
    let mut mileages = Vec::new();
    let mut rate: Option<f64> = None;
    let mut i = 0;
    while i < tokens.len() {
        let Some(reading) = numbers::read(tokens, i).filter(|r| r.value >= 100.0) else {
            i += 1;
            continue;
        };
        let mut j = i + reading.len;
        if word(tokens, j).is_some_and(|w| MILES.contains(&w)) {
            j += 1;
        }
        if let Some((months, len)) = per_unit(tokens, j) {
            rate.get_or_insert(reading.value / months);
            i = j + len;
            continue;
        }
        mileages.push(reading.value);
        i = j;
    }
    let (&[a, b], Some(rate)) = (&mileages[..], rate) else {
        return None;
    };
    let (cap, now) = (a.max(b), a.min(b));
    let months = (cap - now) / rate;
    (now >= 1000.0 && months > 0.0 && months <= 120.0).then_some(months)
}

/// The unit of a rate at `j` in months and the tokens it takes: "a month" (1), "/yr" (12),
/// "monthly" (1).
fn per_unit(tokens: &[Token], j: usize) -> Option<(f64, usize)> {
    let unit = |k: usize| {
        let w = word(tokens, k)?;
        if MONTH.contains(&w) {
            Some(1.0)
        } else if YEAR.contains(&w) {
            Some(12.0)
        } else {
            None
        }
    };
    match word(tokens, j) {
        Some("monthly") => return Some((1.0, 1)),
        Some("yearly" | "annually") => return Some((12.0, 1)),
        _ => {}
    }
    let per = tokens.get(j) == Some(&Token::Mark('/')) || word(tokens, j).is_some_and(|w| PER.contains(&w));
    if per {
        return unit(j + 1).map(|u| (u, 2));
    }
    None
}
