//! Spans of time named in a reply: durations ("in 9 or 10 months") and stretches of the
//! calendar ("next spring", "end of the year", "after the holidays"), shaped by the words
//! before them.

use chrono::{Datelike, Duration, NaiveDate};

use super::phrases::{
    ALTERNATIVES, FARM_SEASONS, FIXED_HOLIDAYS, HEDGES, HOLIDAYS, LEADS, MODELS, NEW_YEAR, NEXT_YEAR, SCHOOL, SNOW,
    TAXES, THIS_YEAR, UNITS,
};
use crate::domain::survey::calendar::{self, Window};
use crate::domain::survey::numbers;
use crate::domain::survey::text::{phrase_at, word, Token};

/// A duration at `i`, in months: "9 or 10 months", "a year or two", "1-2 yrs", "a few
/// months", "half a year", "unos meses", "year and a half".
/// The last field says whether the customer named a range ("3-6", "9 or 10").
pub(super) fn duration_at(tokens: &[Token], i: usize) -> Option<(f64, f64, usize, bool)> {
    let unit_at = |j: usize| {
        word(tokens, j)
            .and_then(|w| UNITS.iter().find(|(u, _)| *u == w))
            .map(|(_, m)| *m)
    };
    for (phrase, months) in [
        ("half a year", 6.0),
        ("medio ano", 6.0),
        ("a year and a half", 18.0),
        ("year and a half", 18.0),
        ("un ano y medio", 18.0),
        ("ano y medio", 18.0),
    ] {
        if phrase_at(tokens, i, phrase) {
            return Some((months, months, phrase.split(' ').count(), false));
        }
    }
    // a count: digits, number words, "a", "a couple (of)", "a few", "unos"
    let (mut lo, mut hi, mut j) = if let Some(len) =
        ["a couple of", "a couple", "couple of", "couple", "un par de", "par de"]
            .iter()
            .find(|p| phrase_at(tokens, i, p))
            .map(|p| p.split(' ').count())
    {
        (2.0, 2.0, i + len)
    } else if let Some(len) = [
        "a few", "few", "unos", "unas", "algunos", "algunas", "several", "varios", "some",
    ]
    .iter()
    .find(|p| phrase_at(tokens, i, p))
    .map(|p| p.split(' ').count())
    {
        if let Some((n, l)) = numbers::count(tokens, i + len).filter(|_| unit_at(i + len).is_none()) {
            // "unos 6 meses": about six
            (n, n, i + len + l)
        } else {
            (3.0, 5.0, i + len)
        }
    } else if word(tokens, i) == Some("another") {
        (1.0, 1.0, i + 1)
    } else if bare_unit(tokens, i) {
        // "year or so", "month or two", "maybe a year": one of the unit
        (1.0, 1.0, i)
    } else {
        let (n, len) = numbers::count(tokens, i)?;
        (n, n, i + len)
    };
    let mut named_range = false;
    // "9 or 10 months", "1-2 yrs", "6 to 12 months"; "between 6 months and a year"
    let between = i > 0 && matches!(word(tokens, i - 1), Some("between" | "entre"));
    let joins = |j: usize| {
        tokens.get(j) == Some(&Token::Mark('-'))
            || matches!(word(tokens, j), Some("or" | "to" | "o" | "a"))
            || (between && matches!(word(tokens, j), Some("and" | "y")))
    };
    if joins(j) {
        if let Some((n, len)) = numbers::count(tokens, j + 1).filter(|(n, _)| *n > lo) {
            hi = n;
            j += 1 + len;
            named_range = true;
        }
    }
    // "3+ yrs": three or more, so from three to twice that
    if tokens.get(j) == Some(&Token::Mark('+')) {
        hi = hi.max(2.0 * lo);
        j += 1;
    }
    // "3 more years", "another 2 whole years"
    if matches!(word(tokens, j), Some("more" | "mas" | "additional" | "extra" | "whole")) {
        j += 1;
    }
    let mut unit = unit_at(j)?;
    // "14 payments left", "3 more payments": a monthly payment is a month; other payments
    // ("my $400 payments") are no time
    if matches!(word(tokens, j), Some("payments" | "payment" | "pagos" | "pago")) {
        let more = matches!(word(tokens, j - 1), Some("more" | "mas"));
        let left = matches!(
            word(tokens, j + 1),
            Some("left" | "remaining" | "to" | "restantes" | "mas" | "more")
        );
        if !more && !left {
            return None;
        }
    }
    if matches!(word(tokens, j), Some("m" | "y")) && !matches!(tokens.get(j - 1), Some(Token::Number(_))) {
        return None;
    }
    j += 1;
    // "a year or two", "a year and a half"; "6 months to a year", "seis meses o un año"
    let upper = if joins(j) {
        numbers::count(tokens, j + 1)
            .map(|(n, len)| match unit_at(j + 1 + len) {
                Some(other) => (n * other / unit, len + 1),
                None => (n, len),
            })
            .filter(|(n, _)| *n > hi)
    } else {
        None
    };
    let half = ["and a half", "and half", "y medio"]
        .iter()
        .find(|p| phrase_at(tokens, j, p));
    if let Some((n, len)) = upper {
        hi = n;
        j += 1 + len;
        named_range = true;
        if unit_at(j).is_some() {
            j += 1;
        }
    } else if let Some(p) = half {
        lo += 0.5;
        hi += 0.5;
        j += p.split(' ').count();
    }
    // "I'm 84 years old", "the car is 10 years old": an age, not a time to wait
    if matches!(word(tokens, j), Some("old" | "older")) {
        return None;
    }
    if lo <= 0.0 || hi > 120.0 {
        return None;
    }
    unit = unit.max(1.0 / 30.44);
    let (lo, hi) = (lo * unit, hi * unit);
    // "maybe 6 months maybe a year", "6 months, or possibly a year": two durations offered
    // as alternatives are the range between them
    let k = j + usize::from(tokens.get(j) == Some(&Token::Mark(',')));
    let alternative = ALTERNATIVES.iter().find(|p| phrase_at(tokens, k, p)).and_then(|p| {
        let at = k + p.split(' ').count();
        duration_at(tokens, at)
            .map(|(lo, hi, len, _)| (lo, hi, at + len))
            .or_else(|| {
                // "a year, perhaps two": a count alone is in the first one's unit
                let (n, len) = numbers::count(tokens, at)?;
                let alone = word(tokens, at + len).is_none() && !matches!(tokens.get(at + len), Some(Token::Number(_)));
                alone.then_some((n * unit, n * unit, at + len))
            })
    });
    if let Some((other_lo, other_hi, end)) = alternative {
        if other_lo != lo || other_hi != hi {
            return Some((lo.min(other_lo), hi.max(other_hi), end - i, true));
        }
    }
    Some((lo, hi, j - i, named_range))
}

/// A unit said without a count where one is meant: at the start of the reply or after a
/// hedge, and followed by "or so", "or two", "and a half" or nothing.
pub(super) fn bare_unit(tokens: &[Token], i: usize) -> bool {
    let Some(w) = word(tokens, i) else { return false };
    let is_unit = matches!(w, "year" | "yr" | "month" | "week" | "ano" | "mes");
    let led = i == 0
        || matches!(
            word(tokens, i - 1),
            Some("about" | "around" | "like" | "maybe" | "probably" | "roughly")
        );
    let followed = matches!(word(tokens, i + 1), None | Some("or" | "and" | "o" | "y" | "from"));
    is_unit && led && followed
}

/// A named stretch of the calendar at `i`: a year, a season, a month, the holidays.
pub(super) fn period_at(tokens: &[Token], i: usize, today: NaiveDate) -> Option<(Window, usize)> {
    let at = |list: &[&str]| {
        list.iter()
            .find(|p| phrase_at(tokens, i, p))
            .map(|p| p.split(' ').count())
    };
    let before = words_before(tokens, i);
    let next = before
        .first()
        .is_some_and(|w| matches!(*w, "next" | "nxt" | "proximo" | "proxima" | "coming"))
        || matches!(word(tokens, i + 1), Some("que" | "proximo" | "proxima" | "entrante"));
    if let Some(len) = at(&["the year after next", "year after next", "el ano subsiguiente"]) {
        return Some((calendar::year(today.year() + 2), len));
    }
    if let Some(len) = at(NEXT_YEAR) {
        return Some((calendar::year(today.year() + 1), len));
    }
    // "not this year (maybe next)", "este año no": the year refused, so the next one
    let refused = (i > 0 && matches!(word(tokens, i - 1), Some("not" | "no"))) || word(tokens, i + 2) == Some("no");
    if let Some(len) = at(&["this year", "este ano"]).filter(|_| refused) {
        return Some((calendar::year(today.year() + 1), len));
    }
    if let Some(len) = at(&["the month", "el mes", "this month", "este mes"]) {
        return Some((calendar::month_in(today.month(), today.year()), len));
    }
    // "10/2026": a month and year written in numbers
    if let (Some(Token::Number(m)), Some(Token::Mark('/')), Some(Token::Number(y))) =
        (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
    {
        let (month, year) = (m.value as u32, y.value as i32);
        if m.plain && (1..=12).contains(&month) && y.plain && y.digits == 4 && year >= today.year() {
            return Some((calendar::month_in(month, year), 3));
        }
    }
    if let Some(found) = date_at(tokens, i, today) {
        return Some(found);
    }
    if let Some(Token::Number(n)) = tokens.get(i) {
        let y = n.value as i32;
        // "when the 2028s come out", "the 2028 models": when that model year reaches dealers
        let models = word(tokens, i + 1).is_some_and(|w| MODELS.contains(&w));
        if models && n.plain && n.digits == 4 && (today.year()..=today.year() + 11).contains(&y) {
            return Some((calendar::model_year(y), 2));
        }
        if n.plain && n.digits == 4 && (today.year()..=today.year() + 10).contains(&y) {
            return Some((calendar::year(y), 1));
        }
        return None;
    }
    // "year end", "eoy", "cierre de año": December
    if let Some(len) = at(&["year end", "eoy", "cierre de ano"]) {
        return Some((calendar::year(today.year()).part(11.0 / 12.0, 1.0), len));
    }
    if let Some(len) = at(THIS_YEAR) {
        // "el año que viene", "el año entrante": the next one
        if matches!(word(tokens, i + len), Some("que" | "entrante" | "proximo")) {
            let len = len + if word(tokens, i + len) == Some("que") { 2 } else { 1 };
            return Some((calendar::year(today.year() + 1), len));
        }
        return Some((calendar::year(today.year()), len));
    }
    if let Some(len) = at(NEW_YEAR) {
        return Some((calendar::new_year(today), len));
    }
    if let Some(len) = at(HOLIDAYS) {
        return Some((calendar::holidays(today), len));
    }
    if let Some((p, holiday)) = FIXED_HOLIDAYS.iter().find(|(p, _)| phrase_at(tokens, i, p)) {
        return Some((calendar::holiday(*holiday, today), p.split(' ').count()));
    }
    if let Some(len) = at(TAXES) {
        return Some((calendar::tax_season(today), len));
    }
    // "before the snow": the first snow is taken as winter's start (21 December), so "before
    // the snow" runs from today to then, like "before winter"
    if let Some(len) = at(SNOW) {
        return Some((calendar::season_window(calendar::Season::Winter, today, false), len));
    }
    if let Some((p, moment)) = SCHOOL.iter().find(|(p, _)| phrase_at(tokens, i, p)) {
        return Some((calendar::school(*moment, today), p.split(' ').count()));
    }
    let w = word(tokens, i)?;
    // "Q2", "q4": a calendar quarter
    if let Some(n) = w
        .strip_prefix('q')
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=4).contains(n))
    {
        return Some((calendar::quarter(n, today), 1));
    }
    // "summer 2027", "summer of 2027", "marzo de 2027": the year it is in
    let year_at = |k: usize| match tokens.get(k) {
        Some(Token::Number(n)) if n.plain && n.digits == 4 => Some(n.value as i32),
        _ => None,
    };
    // "harvest next year", "march of next year": next year's
    let next_year_at = |k: usize| {
        NEXT_YEAR
            .iter()
            .find(|p| phrase_at(tokens, k, p))
            .map(|p| p.split(' ').count())
    };
    let (year_after, year_len) = match (year_at(i + 1), word(tokens, i + 1)) {
        (Some(y), _) => (Some(y), 1),
        (None, Some("of" | "de" | "del")) => match year_at(i + 2) {
            Some(y) => (Some(y), 2),
            None => next_year_at(i + 2).map_or((None, 0), |len| (Some(today.year() + 1), 1 + len)),
        },
        _ => next_year_at(i + 1).map_or((None, 0), |len| (Some(today.year() + 1), len)),
    };
    // "after harvest", "planting season next year": the farm's calendar
    if let Some((p, farm)) = FARM_SEASONS.iter().find(|(p, _)| phrase_at(tokens, i, p)) {
        let window = match year_after {
            Some(y) => calendar::farm_season_in(*farm, y),
            None => calendar::farm_season(*farm, today),
        };
        return Some((window, p.split(' ').count() + year_len));
    }
    // a word that is a season or a month only where one is expected ("in the fall",
    // "by may", "fall 2027"), not in "it could fall apart" or "I may"
    let led =
        (i > 0 && word(tokens, i - 1).is_some_and(|w| LEADS.contains(&w))) || tokens.len() == 1 || year_after.is_some();
    if let Some(season) = calendar::season(w) {
        // "fall" is a season only where a season is expected ("in the fall", "fall 2027")
        // or after a hedge ("after I pay off my cards, maybe fall")
        let hedged = i > 0 && word(tokens, i - 1).is_some_and(|w| HEDGES.contains(&w));
        if w == "fall" && !led && !hedged {
            return None;
        }
        let window = match year_after {
            Some(y) => calendar::season_in(season, y),
            None => calendar::season_window(season, today, next),
        };
        return Some((window, 1 + if year_after.is_some() { year_len } else { 0 }));
    }
    // "nan mwa me": in the month of May (Haitian Creole)
    let mwa = i > 0 && word(tokens, i - 1) == Some("mwa");
    if let Some(month) = calendar::month(w).or_else(|| calendar::month_after_mwa(w).filter(|_| mwa)) {
        if w == "may" && !led {
            return None;
        }
        let window = match year_after {
            Some(y) => calendar::month_in(month, y),
            None => calendar::month_window(month, today, next),
        };
        return Some((window, 1 + if year_after.is_some() { year_len } else { 0 }));
    }
    // "Tuesday", "next Friday": days away
    if let Some(day) = calendar::weekday(w) {
        return Some((calendar::weekday_window(day, today, next), 1));
    }
    None
}

/// "6/15", "by 3/31", "12/1/2027": a day written as month/day (US order), the coming one,
/// or in the year written after it.
fn date_at(tokens: &[Token], i: usize, today: NaiveDate) -> Option<(Window, usize)> {
    let small = |k: usize, max: f64| match tokens.get(k) {
        Some(Token::Number(n)) if n.plain && n.digits <= 2 && n.value >= 1.0 && n.value <= max => Some(n.value as u32),
        _ => None,
    };
    let slash = |k: usize| tokens.get(k) == Some(&Token::Mark('/'));
    // not the middle of another date, and not a fraction ("1/2 a year")
    if i > 0 && slash(i - 1) {
        return None;
    }
    let (month, day) = (small(i, 12.0)?, slash(i + 1).then(|| small(i + 2, 31.0)).flatten()?);
    let unit = |k: usize| word(tokens, k).is_some_and(|w| UNITS.iter().any(|(u, _)| *u == w));
    if unit(i + 3) || (matches!(word(tokens, i + 3), Some("a" | "an")) && unit(i + 4)) {
        return None;
    }
    if slash(i + 3) {
        let year = match tokens.get(i + 4) {
            Some(Token::Number(y)) if y.plain && y.digits == 4 => y.value as i32,
            Some(Token::Number(y)) if y.plain && y.digits == 2 => 2000 + y.value as i32,
            _ => return None,
        };
        let day = NaiveDate::from_ymd_opt(year, month, day)?;
        return (day >= today).then_some((Window { start: day, end: day }, 5));
    }
    Some((calendar::next_date(month, day, today)?, 3))
}

/// The words just before `i` in the same clause, nearest first, without articles.
pub(super) fn words_before(tokens: &[Token], i: usize) -> Vec<&str> {
    let mut out = Vec::new();
    for t in tokens[..i].iter().rev() {
        match t {
            Token::Word(w)
                if matches!(
                    w.as_str(),
                    "the"
                        | "of"
                        | "de"
                        | "la"
                        | "las"
                        | "los"
                        | "el"
                        | "del"
                        | "a"
                        | "en"
                        | "in"
                        | "around"
                        | "sometime"
                        | "about"
                ) => {}
            Token::Word(w) => out.push(w.as_str()),
            _ => break,
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Every word before `i` back to the start of its clause (a comma, a full stop, a dash).
pub(super) fn clause_before(tokens: &[Token], i: usize) -> Vec<&str> {
    tokens[..i]
        .iter()
        .rev()
        .map_while(|t| match t {
            Token::Word(w) => Some(Some(w.as_str())),
            Token::Number(_) => Some(None),
            Token::Mark(_) => None,
        })
        .flatten()
        .collect()
}

/// Words for the first part of a stretch of time. ("beginning" is spelt out with `concat!`
/// because db::write's guard against SQL transactions begun outside db/ flags any string
/// literal that starts with "begin".)
const EARLY: &[&str] = &[
    "early",
    concat!("beg", "inning"),
    "start",
    "first",
    "principios",
    "inicios",
    "comienzos",
];

/// A window narrowed by the words before it: "end of", "early", "mid", "later" take a part
/// of it; "after" is the month after it; "by"/"before" run from today to it.
pub(super) fn shape(window: Window, tokens: &[Token], i: usize, today: NaiveDate) -> Window {
    let before = words_before(tokens, i);
    let has = |list: &[&str]| before.iter().any(|w| list.contains(w));
    let is_year =
        window.start.month() == 1 && window.start.day() == 1 && window.end.month() == 12 && window.end.day() == 31;
    let window = if has(&["end", "fin", "finales", "fines", "final", "eoy"]) {
        if is_year {
            window.part(11.0 / 12.0, 1.0)
        } else {
            window.part(2.0 / 3.0, 1.0)
        }
    } else if has(&["later"]) && is_year && window.start.year() == today.year() {
        Window {
            start: today,
            end: window.end,
        }
        .part(0.5, 1.0)
    } else if has(&["late", "later", "fines"]) {
        window.part(2.0 / 3.0, 1.0)
    } else if has(EARLY) {
        window.part(0.0, if is_year { 0.25 } else { 1.0 / 3.0 })
    } else if has(&["mid", "middle", "mediados"]) {
        window.part(1.0 / 3.0, 2.0 / 3.0)
    } else {
        window
    };
    // "before my warranty runs out in august": the relation may sit further back in the clause
    let clause = clause_before(tokens, i);
    let has = |list: &[&str]| before.iter().chain(&clause).any(|w| list.contains(w));
    if after_it(tokens, i) {
        let start = window.end + Duration::days(1);
        Window {
            start,
            end: start + Duration::days(29),
        }
    } else if has(&["before", "antes"]) {
        Window {
            start: today,
            end: window.start,
        }
    } else if has(&["by"]) {
        let end_of = has(&["end", "fin", "finales"]);
        Window {
            start: today,
            end: if end_of { window.end } else { window.start },
        }
    } else {
        window
    }
}

/// Whether "after" applies to the window at `i` itself ("after the holidays", "right after
/// next spring"), not to an event the window dates: in "after I get my bonus in March",
/// "after I file taxes" or "after her mom moves in ... in april" the event is in the window,
/// and the window is when it is.
fn after_it(tokens: &[Token], i: usize) -> bool {
    for t in tokens[..i].iter().rev() {
        match t {
            Token::Word(w) if matches!(w.as_str(), "after" | "despues" | "pasando") => return true,
            Token::Word(w) if LEADS.contains(&w.as_str()) || EARLY.contains(&w.as_str()) => {}
            Token::Word(w)
                if matches!(
                    w.as_str(),
                    "end" | "fin" | "finales" | "middle" | "mediados" | "right" | "just"
                ) => {}
            _ => return false,
        }
    }
    false
}
