//! When the customer expects to buy, as a bucket relative to when the reply arrived:
//! the window they name ("next spring", "in 9 or 10 months", "after the holidays",
//! "end of the year", "el próximo año") is taken at its middle and that middle is counted
//! in months from the reply's local date. Up to 3 months is `0-3m`, up to 6 `3-6m`, up to
//! 12 `6-12m`, beyond `12m+`; "no plans, love my car" is `no_plans`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::calendar::{self, Window};
use super::numbers;
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

/// Replies that say the customer does not know: they are no answer, and their words
/// ("no sé") are not read as "no".
#[rustfmt::skip]
const UNSURE: &[&str] = &[
    "not sure", "no se", "dont know", "idk", "dunno", "depends", "no idea", "ni idea",
];
/// Replies that say there is no purchase in view.
#[rustfmt::skip]
const NO_PLANS: &[&str] = &[
    "no plans", "no plan", "not planning", "no intention", "not looking", "not in the market",
    "not interested", "not right now", "not now", "not at the moment", "not at this time",
    "not currently", "love my", "happy with", "keeping it", "keeping my", "keep it",
    "just bought", "just got", "till they die", "till it dies", "until it dies", "no por ahora",
    "por ahora no", "no tengo planes", "ningun plan", "no pienso", "no planes", "never",
    "nunca", "nope", "nah", "good with", "fine with", "content with", "satisfied with",
    "already bought", "already got", "already have", "already purchased", "just purchased",
    "bought one", "all set", "im good", "estoy bien", "no necesito", "ya compre", "got a new",
    "have a new", "tengo carro nuevo", "tengo un carro nuevo", "acabo de comprar", "ya tengo",
    "nada por ahora", "por ahora nada", "nothing for now", "nothing right now", "nothing yet",
    "not yet", "todavia no", "aun no", "not thinking", "not considering", "not even thinking",
    "not really looking", "no lo he pensado", "just leased", "leased a new", "wheels fall off",
    "drive it until", "drive it till", "into the ground", "holding off", "hold off",
    "good for now", "fine for now", "ok for now", "were good", "we are good", "no", "nada",
];
/// Vague times far off: a year or two, and a person should look.
#[rustfmt::skip]
const WHILE: &[&str] = &[
    "not anytime soon", "not any time soon", "not for a while", "not for awhile", "in a while",
    "a while", "awhile", "eventually", "someday", "some day", "one day", "algun dia",
    "not in the near future", "not in the foreseeable future", "not soon", "not for some time",
    "not for a long time", "long term", "down the road",
];
/// Now or very soon. The first few only count when nothing says "no plans" ("not right now").
const NOW: &[&str] = &["right now", "now", "ahora", "currently", "at the moment"];
#[rustfmt::skip]
const SOON: &[&str] = &[
    "as soon as possible", "lo mas pronto posible", "lo antes posible", "cuanto antes",
    "right away", "asap", "asp", "immediately", "today", "tomorrow", "this week", "next week",
    "this weekend", "this month", "esta semana", "la semana que viene", "la proxima semana",
    "este mes", "any day", "yesterday", "ahorita", "ya", "pronto", "soon", "shortly",
    "in the near future", "near future",
];
const NEXT_MONTH: &[&str] = &["next month", "el mes que viene", "el proximo mes", "proximo mes"];
#[rustfmt::skip]
const NEXT_YEAR: &[&str] = &[
    "next year", "nxt year", "next yr", "el proximo ano", "proximo ano", "el ano que viene",
    "ano que viene", "el ano proximo", "el ano entrante", "el ano que entra", "ano que entra",
    "el otro ano", "otro ano",
];
#[rustfmt::skip]
const THIS_YEAR: &[&str] = &[
    "this year", "this yr", "the year", "year end", "este ano", "del ano", "de ano", "el ano",
    "year", "yr",
];
#[rustfmt::skip]
const HOLIDAYS: &[&str] = &[
    "the holidays", "holidays", "christmas", "xmas", "navidad", "las fiestas", "fiestas",
];
const NEW_YEAR: &[&str] = &["new years", "new year", "the first of the year", "ano nuevo"];
const TAXES: &[&str] = &["tax season", "tax time", "tax refund", "taxes", "income tax"];
/// Holidays of the year other than Christmas and New Year, by their rule.
#[rustfmt::skip]
const FIXED_HOLIDAYS: &[(&str, calendar::Holiday)] = &[
    ("thanksgiving", calendar::Holiday::Thanksgiving), ("black friday", calendar::Holiday::Thanksgiving),
    ("memorial day", calendar::Holiday::MemorialDay), ("labor day", calendar::Holiday::LaborDay),
    ("fourth of july", calendar::Holiday::July4), ("4th of july", calendar::Holiday::July4),
    ("july 4th", calendar::Holiday::July4), ("independence day", calendar::Holiday::July4),
];

/// Words after which a season or a month is expected.
#[rustfmt::skip]
const LEADS: &[&str] = &[
    "in", "the", "this", "next", "by", "until", "till", "after", "before", "early", "late", "mid",
    "of", "around", "since", "en", "el", "la", "de", "para", "por", "hasta", "proximo",
    "proxima", "este", "esta",
];

/// Units of a duration, in months.
#[rustfmt::skip]
const UNITS: &[(&str, f64)] = &[
    ("days", 1.0 / 30.44), ("day", 1.0 / 30.44), ("dias", 1.0 / 30.44), ("dia", 1.0 / 30.44),
    ("weeks", 0.23), ("week", 0.23), ("wks", 0.23), ("wk", 0.23), ("semanas", 0.23),
    ("semana", 0.23), ("months", 1.0), ("month", 1.0), ("mos", 1.0), ("mo", 1.0), ("mths", 1.0),
    ("mth", 1.0), ("mnths", 1.0), ("m", 1.0), ("meses", 1.0), ("mes", 1.0), ("years", 12.0),
    ("year", 12.0), ("yrs", 12.0), ("yr", 12.0), ("y", 12.0), ("anos", 12.0), ("ano", 12.0),
];

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
    Some((Named::Dates(shape(window, tokens, i, len, today)), len, 0.85))
}

/// A duration at `i`, in months: "9 or 10 months", "a year or two", "1-2 yrs", "a few
/// months", "half a year", "unos meses", "year and a half".
/// The last field says whether the customer named a range ("3-6", "9 or 10").
fn duration_at(tokens: &[Token], i: usize) -> Option<(f64, f64, usize, bool)> {
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
    // "9 or 10 months", "1-2 yrs", "6 to 12 months"
    let joins =
        |j: usize| tokens.get(j) == Some(&Token::Mark('-')) || matches!(word(tokens, j), Some("or" | "to" | "o" | "a"));
    if joins(j) {
        if let Some((n, len)) = numbers::count(tokens, j + 1).filter(|(n, _)| *n > lo) {
            hi = n;
            j += 1 + len;
            named_range = true;
        }
    }
    // "3 more years", "another 2 whole years"
    if matches!(word(tokens, j), Some("more" | "mas" | "additional" | "extra" | "whole")) {
        j += 1;
    }
    let mut unit = unit_at(j)?;
    if matches!(word(tokens, j), Some("m" | "y")) && !matches!(tokens.get(j - 1), Some(Token::Number(_))) {
        return None;
    }
    j += 1;
    // "a year or two", "a year and a half"
    if joins(j) {
        if let Some((n, len)) = numbers::count(tokens, j + 1).filter(|(n, _)| *n > hi) {
            hi = n;
            j += 1 + len;
            named_range = true;
            if unit_at(j).is_some() {
                j += 1;
            }
        }
    } else if phrase_at(tokens, j, "and a half") || phrase_at(tokens, j, "y medio") {
        lo += 0.5;
        hi += 0.5;
        j += if word(tokens, j) == Some("and") { 3 } else { 2 };
    }
    if lo <= 0.0 || hi > 120.0 {
        return None;
    }
    unit = unit.max(1.0 / 30.44);
    Some((lo * unit, hi * unit, j - i, named_range))
}

/// A unit said without a count where one is meant: at the start of the reply or after a
/// hedge, and followed by "or so", "or two", "and a half" or nothing.
fn bare_unit(tokens: &[Token], i: usize) -> bool {
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
fn period_at(tokens: &[Token], i: usize, today: NaiveDate) -> Option<(Window, usize)> {
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
    if let Some(Token::Number(n)) = tokens.get(i) {
        let y = n.value as i32;
        if n.plain && n.digits == 4 && (today.year()..=today.year() + 10).contains(&y) {
            return Some((calendar::year(y), 1));
        }
        return None;
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
    let w = word(tokens, i)?;
    let year_after = match tokens.get(i + 1) {
        Some(Token::Number(n)) if n.plain && n.digits == 4 => Some(n.value as i32),
        _ => None,
    };
    // a word that is a season or a month only where one is expected ("in the fall",
    // "by may", "fall 2027"), not in "it could fall apart" or "I may"
    let led =
        (i > 0 && word(tokens, i - 1).is_some_and(|w| LEADS.contains(&w))) || tokens.len() == 1 || year_after.is_some();
    if let Some(season) = calendar::season(w) {
        // "fall" is a season only where a season is expected ("in the fall", "fall 2027")
        if w == "fall" && !led {
            return None;
        }
        let window = match year_after {
            Some(y) => calendar::season_in(season, y),
            None => calendar::season_window(season, today, next),
        };
        return Some((window, 1 + usize::from(year_after.is_some())));
    }
    if let Some(month) = calendar::month(w) {
        if w == "may" && !led {
            return None;
        }
        let window = match year_after {
            Some(y) => calendar::month_in(month, y),
            None => calendar::month_window(month, today, next),
        };
        return Some((window, 1 + usize::from(year_after.is_some())));
    }
    None
}

/// The words just before `i` in the same clause, nearest first, without articles.
fn words_before(tokens: &[Token], i: usize) -> Vec<&str> {
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
fn clause_before(tokens: &[Token], i: usize) -> Vec<&str> {
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

/// A window narrowed by the words before it: "end of", "early", "mid", "later" take a part
/// of it; "after" is the month after it; "by"/"before" run from today to it.
fn shape(window: Window, tokens: &[Token], i: usize, len: usize, today: NaiveDate) -> Window {
    let before = words_before(tokens, i);
    let has = |list: &[&str]| before.iter().any(|w| list.contains(w));
    let is_year =
        window.start.month() == 1 && window.start.day() == 1 && window.end.month() == 12 && window.end.day() == 31;
    let _ = len;
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
    } else if has(&["early", "beginning", "start", "principios", "inicios", "comienzos"]) {
        window.part(0.0, if is_year { 0.25 } else { 1.0 / 3.0 })
    } else if has(&["mid", "middle", "mediados"]) {
        window.part(if is_year { 1.0 / 3.0 } else { 1.0 / 3.0 }, 2.0 / 3.0)
    } else {
        window
    };
    // "before my warranty runs out in august": the relation may sit further back in the clause
    let clause = clause_before(tokens, i);
    let has = |list: &[&str]| before.iter().chain(&clause).any(|w| list.contains(w));
    if has(&["after", "despues", "pasando"]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_include_their_upper_bound() {
        assert_eq!(Timeframe::for_months(3.0), Timeframe::Within3Months);
        assert_eq!(Timeframe::for_months(3.1), Timeframe::In3To6Months);
        assert_eq!(Timeframe::for_months(12.0), Timeframe::In6To12Months);
        assert_eq!(Timeframe::for_months(12.5), Timeframe::After12Months);
        assert_eq!(Timeframe::parse("12m+"), Some(Timeframe::After12Months));
    }
}
