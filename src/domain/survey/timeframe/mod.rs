//! When the customer expects to buy, as a bucket relative to when the reply arrived:
//! the window they name ("next spring", "in 9 or 10 months", "after the holidays",
//! "end of the year", "el próximo año") is taken at its middle and that middle is counted
//! in months from the reply's local date. Up to 3 months is `0-3m`, up to 6 `3-6m`, up to
//! 12 `6-12m`, beyond `12m+`; "no plans, love my car" is `no_plans`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

mod phrases;
mod spans;

use phrases::{NEXT_MONTH, NOW, NO_PLANS, SOON, UNITS, UNSURE, WHILE};
use spans::{duration_at, period_at, shape, words_before};

use super::calendar::{self, Window};
use super::text::{hedged, phrase_at, tokens, word, Token};
use super::Parsed;

crate::domain::word_enum! {
    /// When a customer expects to buy their next vehicle.
    pub enum Timeframe {
        Within3Months = "0-3m",
        In3To6Months = "3-6m",
        In6To12Months = "6-12m",
        After12Months = "12m+",
        NoPlans = "no_plans",
    }
}

impl Timeframe {
    /// The bucket a moment this many months away falls in.
    pub fn for_months(months: f64) -> Timeframe {
        const EPS: f64 = 1e-9;
        if months <= 3.0 + EPS {
            Timeframe::Within3Months
        } else if months <= 6.0 + EPS {
            Timeframe::In3To6Months
        } else if months <= 12.0 + EPS {
            Timeframe::In6To12Months
        } else {
            Timeframe::After12Months
        }
    }
}

/// What a phrase in the reply names.
#[derive(Debug, Clone, Copy)]
enum Named {
    /// A span of months from now (durations: "in 9 or 10 months").
    Months(f64, f64),
    /// A window of dates ("next spring", "in March", "2027").
    Dates(Window),
    /// Now, or as good as now; `yields` when it is only "now" ("not right now").
    Soon { yields: bool },
}

/// The bucket the reply names, relative to when it arrived (`at`, in the customer's `tz`).
pub fn read_timeframe(text: &str, at: DateTime<Utc>, tz: Tz) -> Option<Parsed<Timeframe>> {
    let tokens: Vec<Token> = tokens(text).into_iter().map(without_ish).collect();
    let today = at.with_timezone(&tz).date_naive();
    // "not sure", "no sé" first, so their "no" is not "no plans"; then the no-plans phrases
    let mut masked = vec![false; tokens.len()];
    let mut no_plans: Option<usize> = None;
    for phrases in [UNSURE, NO_PLANS] {
        let mut i = 0;
        while i < tokens.len() {
            let found = phrases
                .iter()
                .find(|p| phrase_at(&tokens, i, p))
                .map(|p| p.split(' ').count());
            match found {
                Some(len) if !masked[i..i + len].contains(&true) => {
                    masked[i..i + len].fill(true);
                    if phrases == NO_PLANS && no_plans.is_none() {
                        no_plans = Some(len);
                    }
                    i += len;
                }
                _ => i += 1,
            }
        }
    }
    let mut named = None;
    let mut confidence = 0.9;
    let mut i = 0;
    while i < tokens.len() {
        let Some((found, len, sure)) = named_at(&tokens, i, today) else {
            i += 1;
            continue;
        };
        if let Named::Soon { yields } = found {
            // "ahorita no", "right now no": now, refused
            if word(&tokens, i + len) == Some("no") {
                no_plans = Some(2);
                i += len + 1;
                continue;
            }
            if yields && (no_plans.is_some() || masked[i]) {
                i += len;
                continue;
            }
        }
        named = Some(found);
        confidence = sure;
        break;
    }
    let bucket = match named {
        Some(Named::Soon { .. }) => Timeframe::Within3Months,
        Some(Named::Months(lo, hi)) => {
            let middle = (lo + hi) / 2.0;
            if near_a_boundary(middle) {
                confidence -= 0.1;
            }
            Timeframe::for_months(middle)
        }
        Some(Named::Dates(window)) => {
            let window = Window {
                start: window.start.max(today),
                end: window.end,
            };
            if window.end < today {
                return None;
            }
            let middle = calendar::months_until(today, window.middle());
            if near_a_boundary(middle) {
                confidence -= 0.1;
            }
            Timeframe::for_months(middle)
        }
        None => {
            let len = no_plans?;
            // a bare "no" or "nope" is less clear than "no plans"
            confidence = if len == 1 && tokens.len() <= 2 { 0.65 } else { 0.85 };
            Timeframe::NoPlans
        }
    };
    if hedged(&tokens) {
        confidence -= 0.15;
    }
    Some(Parsed::new(bucket, confidence))
}

/// "soonish", "springish": the word itself, said loosely.
fn without_ish(token: Token) -> Token {
    const WORDS_IN_ISH: &[&str] = &["finish", "english", "spanish", "british", "publish", "polish"];
    match token {
        Token::Word(w) if w.len() > 5 && w.ends_with("ish") && !WORDS_IN_ISH.contains(&w.as_str()) => {
            Token::Word(w[..w.len() - 3].to_string())
        }
        t => t,
    }
}

fn near_a_boundary(months: f64) -> bool {
    [3.0, 6.0, 12.0].iter().any(|b| (months - b).abs() < 0.25)
}

/// The phrase that starts at token `i`: what it names, how many tokens, how sure.
fn named_at(tokens: &[Token], i: usize, today: NaiveDate) -> Option<(Named, usize, f64)> {
    let at = |list: &[&str]| {
        list.iter()
            .find(|p| phrase_at(tokens, i, p))
            .map(|p| p.split(' ').count())
    };
    if let Some(len) = at(WHILE) {
        return Some((Named::Months(12.0, 24.0), len, 0.5));
    }
    if let Some(len) = at(NEXT_MONTH) {
        let next = today.with_day(1)? + Duration::days(32);
        return Some((Named::Dates(calendar::month_in(next.month(), next.year())), len, 0.9));
    }
    // "within the next year", "over the next month": a span from now, not the calendar's next
    let spanning = i > 0
        && matches!(
            tokens[..i].iter().rev().find_map(|t| match t {
                Token::Word(w) if w != "the" => Some(w.as_str()),
                _ => None,
            }),
            Some("within" | "over" | "in" | "during" | "dentro")
        );
    if word(tokens, i) == Some("next") && spanning {
        if let Some((_, months)) = word(tokens, i + 1).and_then(|w| UNITS.iter().find(|(u, _)| *u == w)) {
            return Some((Named::Months(0.0, *months), 2, 0.85));
        }
    }
    // "last year", "2 years ago", "el año pasado": the past, not when they will buy
    let past = |len: usize| {
        (i > 0 && matches!(word(tokens, i - 1), Some("last" | "past")))
            || matches!(word(tokens, i + len), Some("ago" | "pasado" | "pasada" | "atras"))
    };
    if let Some((lo, hi, len, named_range)) = duration_at(tokens, i) {
        if past(len) {
            return None;
        }
        let before = words_before(tokens, i);
        let has = |w: &str| before.contains(&w);
        let span = if has("not") || has("least") || (has("more") && has("than")) {
            // "not for a year (or two)", "at least a year": from then on
            Named::Months(lo, if hi > lo { hi } else { 2.0 * lo })
        } else if (has("within") || has("next") || has("under") || has("than")) && !named_range {
            // "within 6 months", "in the next few weeks": from now to then ("within 3-6
            // months" names its range and keeps it)
            Named::Months(0.0, hi)
        } else {
            Named::Months(lo, hi)
        };
        return Some((span, len, 0.9));
    }
    if let Some(len) = at(SOON) {
        let vague = matches!(word(tokens, i), Some("soon" | "pronto" | "shortly"));
        return Some((Named::Soon { yields: false }, len, if vague { 0.75 } else { 0.9 }));
    }
    if let Some(len) = at(NOW) {
        return Some((Named::Soon { yields: true }, len, 0.8));
    }
    let (window, len) = period_at(tokens, i, today)?;
    if past(len) {
        return None;
    }
    Some((Named::Dates(shape(window, tokens, i, today)), len, 0.85))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_of_next_year_is_early_next_year() {
        let at: DateTime<Utc> = "2026-11-28T18:00:00Z".parse().unwrap();
        let tz: Tz = "America/New_York".parse().unwrap();
        for text in ["at the beginning of next year", "early next year", "start of next year"] {
            let read = read_timeframe(text, at, tz).map(|p| p.value);
            assert_eq!(read, Some(Timeframe::Within3Months), "{text}");
        }
    }

    #[test]
    fn shorthand_ranges_to_another_unit_and_the_first_of_the_year() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let march: DateTime<Utc> = "2026-03-10T15:00:00Z".parse().unwrap();
        let november: DateTime<Utc> = "2026-11-20T15:00:00Z".parse().unwrap();
        for (text, at, want) in [
            ("b4 summer", march, Timeframe::Within3Months),
            ("6 months to a year", march, Timeframe::In6To12Months),
            ("en seis meses o un año", march, Timeframe::In6To12Months),
            ("3 months to 1 year", march, Timeframe::In6To12Months),
            ("first of the year", november, Timeframe::Within3Months),
            ("start of the year", november, Timeframe::Within3Months),
            ("back to school time", march, Timeframe::In3To6Months),
            ("back to school", november, Timeframe::In6To12Months),
            ("Q2", november, Timeframe::In3To6Months),
            ("q4", march, Timeframe::In6To12Months),
            ("a long ways off, 3+ yrs", march, Timeframe::After12Months),
            ("summer of 2027", march, Timeframe::After12Months),
            ("summer 2026", march, Timeframe::In3To6Months),
        ] {
            assert_eq!(read_timeframe(text, at, tz).map(|p| p.value), Some(want), "{text}");
        }
    }

    #[test]
    fn buckets_include_their_upper_bound() {
        assert_eq!(Timeframe::for_months(3.0), Timeframe::Within3Months);
        assert_eq!(Timeframe::for_months(3.1), Timeframe::In3To6Months);
        assert_eq!(Timeframe::for_months(12.0), Timeframe::In6To12Months);
        assert_eq!(Timeframe::for_months(12.5), Timeframe::After12Months);
        assert_eq!(Timeframe::parse("12m+"), Some(Timeframe::After12Months));
    }
}
