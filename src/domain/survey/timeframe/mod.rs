//! When the customer expects to buy, as a bucket relative to when the reply arrived:
//! the window they name ("next spring", "in 9 or 10 months", "after the holidays",
//! "end of the year", "el próximo año") is taken at its middle and that middle is counted
//! in months from the reply's local date. Up to 3 months is `0-3m`, up to 6 `3-6m`, up to
//! 12 `6-12m`, beyond `12m+`; "no plans, love my car" is `no_plans`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

mod lease;
mod phrases;
mod spans;

use phrases::{
    DEPENDS, EITHER, JUST_BOUGHT, LEAVING, NEXT_MONTH, NEXT_YEAR, NOW, NO_PLANS, PAST_VERBS, RESTATE, SOON, THIS_TIME,
    THIS_YEAR, UNITS, UNSURE, WHILE,
};
use spans::{clause_before, duration_at, period_at, shape, words_before};

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
    /// When, in words a manager reads: "within 3 months", ..., "no plans".
    pub fn in_words(self) -> &'static str {
        match self {
            Timeframe::Within3Months => "within 3 months",
            Timeframe::In3To6Months => "in 3 to 6 months",
            Timeframe::In6To12Months => "in 6 to 12 months",
            Timeframe::After12Months => "in more than a year",
            Timeframe::NoPlans => "no plans",
        }
    }

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
    // "prolly in da fall": texting spellings of small words
    let tokens: Vec<Token> = tokens(&full_years(text))
        .into_iter()
        .map(without_ish)
        .map(|t| match t {
            Token::Word(w) if matches!(w.as_str(), "da" | "tha" | "teh") => Token::Word("the".to_string()),
            Token::Word(w) if w == "dis" => Token::Word("this".to_string()),
            Token::Word(w) if w == "nex" => Token::Word("next".to_string()),
            t => t,
        })
        .collect();
    // "when it hits 200k. got 160 now": a mileage to reach, not a time, and its "now" is the
    // car's, not the customer's (a window said besides, "so maybe 2 years", is read)
    let at_miles = (0..tokens.len()).any(|k| {
        matches!(word(&tokens, k), Some("hits" | "hit" | "reaches" | "reach"))
            && matches!(tokens.get(k + 1), Some(Token::Number(n)) if n.value >= 1000.0
                || matches!(word(&tokens, k + 2), Some("k" | "thousand" | "miles")))
    });
    let tokens: Vec<Token> = if at_miles {
        tokens
            .into_iter()
            .filter(|t| !matches!(t, Token::Word(w) if matches!(w.as_str(), "now" | "currently" | "today")))
            .collect()
    } else {
        tokens
    };
    let today = at.with_timezone(&tz).date_naive();
    // "not sure", "no sé" first, so their "no" is not "no plans"; then the no-plans phrases
    let mut masked = vec![false; tokens.len()];
    let mut no_plans: Option<usize> = None;
    let mut unsure = false;
    let mut bought = false;
    for phrases in [UNSURE, NO_PLANS] {
        let mut i = 0;
        while i < tokens.len() {
            let found = phrases.iter().find(|p| phrase_at(&tokens, i, p));
            match found.map(|p| (p, p.split(' ').count())) {
                Some((p, len)) if !masked[i..i + len].contains(&true) => {
                    masked[i..i + len].fill(true);
                    if phrases == NO_PLANS && no_plans.is_none() {
                        no_plans = Some(len);
                    }
                    bought |= phrases == NO_PLANS && JUST_BOUGHT.contains(p);
                    unsure |= phrases == UNSURE;
                    i += len;
                }
                _ => i += 1,
            }
        }
    }
    // "lease caps at 30k, I'm at 26k, about a thousand a month": the months to the cap
    let mut named = lease::months_to_cap(&tokens).map(|m| Named::Months(m, m));

    // worked out from the miles, so less sure than a window named; a window found sets its own
    let mut confidence = 0.8;
    let mut i = if named.is_some() { tokens.len() } else { 0 };
    while i < tokens.len() {
        let Some((found, len, sure)) = named_at(&tokens, i, today) else {
            i += 1;
            continue;
        };
        // "depends what the mechanic says next week": the time is what it depends on
        if depends_on(&tokens, i) {
            i += len;
            continue;
        }
        // "no time soon, just got this one": not for a while because the car is new
        if bought && WHILE.iter().any(|p| phrase_at(&tokens, i, p)) {
            i += len;
            continue;
        }
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
        // "not sure, could be this year could be next": two windows offered, no answer
        if unsure && other_window(&tokens, i + len, today, found) {
            return None;
        }
        // "idk, could be 2 weeks could be 2 years": durations offered that are buckets apart
        if let Named::Months(lo, hi) = found {
            let offered = (i..i + len).any(|k| word(&tokens, k).is_some_and(|w| EITHER.contains(&w)));
            let rank = |m: f64| [3.0, 6.0, 12.0].iter().filter(|b| m > **b + 1e-9).count();
            if unsure && offered && rank(hi) >= rank(lo) + 2 {
                return None;
            }
        }
        // "after the refund comes, so March-ish": a later, plainer restatement is the answer
        let (found, sure) = restated(&tokens, i + len, today).unwrap_or((found, sure));
        named = Some(leaving_by(&tokens, today).unwrap_or(found));
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
            let middle = months_to_middle(window, today)?;
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

/// Months from `today` to the middle of what is left of `window`; none if it is over.
fn months_to_middle(window: Window, today: NaiveDate) -> Option<f64> {
    let window = Window {
        start: window.start.max(today),
        end: window.end,
    };
    if window.end < today {
        return None;
    }
    Some(calendar::months_until(today, window.middle()))
}

/// Whether, after the window `first` (named before token `from`), the reply offers another
/// window in a different bucket as an alternative: "could be this year could be next",
/// "this spring or next". A bare "next" there is the next of the same kind.
fn other_window(tokens: &[Token], from: usize, today: NaiveDate, first: Named) -> bool {
    let bucket = |named: Named| match named {
        Named::Dates(w) => months_to_middle(w, today).map(Timeframe::for_months),
        Named::Months(lo, hi) => Some(Timeframe::for_months((lo + hi) / 2.0)),
        Named::Soon { .. } => Some(Timeframe::Within3Months),
    };
    let dates = matches!(first, Named::Dates(_));
    for k in from..tokens.len() {
        if !words_before(tokens, k).iter().any(|w| EITHER.contains(w)) {
            continue;
        }
        if dates && word(tokens, k) == Some("next") && word(tokens, k + 1).is_none() {
            return true;
        }
        // "maybe summer maybe later", "spring or after": the window or any time past it
        let open_ended = matches!(
            word(tokens, k),
            Some("later" | "after" | "longer" | "despues" | "tarde")
        );
        if dates && open_ended && !matches!(tokens.get(k + 1), Some(Token::Word(_) | Token::Number(_))) {
            return true;
        }
        // "depends, could be tomorrow could be 5 years": a time or a duration either way
        match named_at(tokens, k, today) {
            Some((other @ Named::Dates(_), _, _)) => return bucket(other) != bucket(first),
            Some((other, _, _)) if !dates => return bucket(other) != bucket(first),
            _ => {}
        }
    }
    false
}

/// A window restated after the one at `from`'s end, in the next clause or straight on: ",
/// so March-ish", ", like January", "meaning 6 months".
fn restated(tokens: &[Token], from: usize, today: NaiveDate) -> Option<(Named, f64)> {
    (from..tokens.len()).find_map(|k| {
        let starts = k == from || tokens[k - 1] == Token::Mark(',');
        if !starts || !word(tokens, k).is_some_and(|w| RESTATE.contains(&w)) {
            return None;
        }
        // "so around March", "like maybe 6 months"
        (k + 1..k + 3)
            .find_map(|at| named_at(tokens, at, today))
            .filter(|(named, _, _)| !matches!(named, Named::Soon { .. }))
            .map(|(named, _, sure)| (named, sure))
    })
}

/// "we head south in November and want to trade before we go": from now until the month
/// named for leaving.
fn leaving_by(tokens: &[Token], today: NaiveDate) -> Option<Named> {
    let before = (0..tokens.len()).find(|&k| {
        matches!(word(tokens, k), Some("before" | "antes"))
            && (k + 1..k + 6).any(|at| word(tokens, at).is_some_and(|w| LEAVING.contains(&w)))
    })?;
    // the month said with the leaving ("we head south in November"), not one before it
    let leaves = |k: usize| word(tokens, k).is_some_and(|w| LEAVING.contains(&w));
    let month = (0..before).rev().find_map(|k| {
        let w = word(tokens, k)?;
        if !(0..k).any(leaves) {
            return None;
        }
        let led = k > 0
            && matches!(
                word(tokens, k - 1),
                Some("in" | "en" | "by" | "around" | "early" | "late")
            );
        calendar::month(w).filter(|_| led || w != "may")
    })?;
    let window = calendar::month_window(month, today, false);
    Some(Named::Dates(Window {
        start: today,
        end: window.start,
    }))
}

/// Whether the phrase at `i` is inside what the answer depends on: "depends what the
/// mechanic says next week", "depende de cuando me paguen en marzo" (up to a comma or "but").
fn depends_on(tokens: &[Token], i: usize) -> bool {
    for t in tokens[..i].iter().rev() {
        match t {
            Token::Word(w) if DEPENDS.contains(&w.as_str()) => return true,
            Token::Word(w) if matches!(w.as_str(), "but" | "pero" | "so" | "asi") => return false,
            Token::Word(_) | Token::Number(_) => {}
            Token::Mark(_) => return false,
        }
    }
    false
}

/// "sometime in '27": a year written with its last two digits, in full ("2027").
fn full_years(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (k, c) in chars.iter().enumerate() {
        let digit = |n: usize| chars.get(n).is_some_and(char::is_ascii_digit);
        let apostrophe = matches!(c, '\'' | '\u{2019}' | '\u{2018}');
        let after_word = k > 0 && chars[k - 1].is_alphanumeric();
        if apostrophe && !after_word && digit(k + 1) && digit(k + 2) && !digit(k + 3) {
            out.push_str("20");
        } else {
            out.push(*c);
        }
    }
    out
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
    // "my husband passed in the spring", "we had a rough year": said in the past tense
    let past = |len: usize| {
        (i > 0 && matches!(word(tokens, i - 1), Some("last" | "past")))
            || matches!(word(tokens, i + len), Some("ago" | "pasado" | "pasada" | "atras"))
            || clause_before(tokens, i).iter().any(|w| PAST_VERBS.contains(w))
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
    // "this time next year", "next year around this time": twelve months out
    let this_time = |k: usize| {
        THIS_TIME
            .iter()
            .find(|p| phrase_at(tokens, k, p))
            .map(|p| p.split(' ').count())
    };
    if let Some(len) = at(NEXT_YEAR) {
        let said_before = (2..=4).any(|n| i >= n && this_time(i - n) == Some(n));
        if let Some(extra) = this_time(i + len).or(said_before.then_some(0)) {
            return Some((Named::Months(12.0, 12.0), len + extra, 0.85));
        }
    }
    let (window, len) = period_at(tokens, i, today)?;
    if past(len) {
        return None;
    }
    let mut shaped = shape(window, tokens, i, today);
    // "a principios del año", "early in the year" said in October: the year not named as
    // this one, its part over, is next year's
    let bare_year = THIS_YEAR
        .iter()
        .filter(|p| !p.starts_with("this") && !p.starts_with("este"))
        .any(|p| phrase_at(tokens, i, p) && p.split(' ').count() == len);
    if bare_year && shaped.end < today && window.start.year() == today.year() {
        shaped = shape(calendar::year(today.year() + 1), tokens, i, today);
    }
    Some((Named::Dates(shaped), len, 0.85))
}

#[cfg(test)]
mod tests;
