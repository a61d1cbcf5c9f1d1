//! Choices that are amounts: ranges ("Under $300", "$300-$500", "Over $500", "$40k+"),
//! and numbers with or without a unit ("1".."5", "2 rows", "3 rows"). A reply that says an
//! amount ("like 450 a month", "around 25 grand", "4 stars", "need a third row") picks the
//! choice it falls in; "the cheapest" picks the lowest.

use super::super::numbers;
use super::super::text::{tokens, word, Token};
use super::super::Parsed;
use super::lexicon::ORDINALS;

/// What a choice allows: from `low` up to `high` (either open), or exactly one number.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    low: Option<f64>,
    high: Option<f64>,
}

impl Span {
    fn holds(&self, v: f64) -> bool {
        self.low.is_none_or(|l| v >= l) && self.high.is_none_or(|h| v <= h)
    }
    fn exact(&self) -> bool {
        self.low.is_some() && self.low == self.high
    }
    fn floor(&self) -> f64 {
        self.low.unwrap_or(f64::MIN)
    }
}

const UPTO: &[&str] = &[
    "under", "less", "below", "up", "max", "maximum", "upto", "menos", "within",
];
const FROM: &[&str] = &["over", "more", "above", "plus", "min", "minimum", "mas", "least"];
const LOWEST: &[&str] = &["cheapest", "lowest", "least", "smallest", "cheaper", "lower", "less"];
const HIGHEST: &[&str] = &["highest", "most", "biggest", "largest", "top", "higher", "max"];

/// The numbers of a text, with where each starts and ends (in tokens).
fn amounts(tokens: &[Token], words_too: bool) -> Vec<(f64, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts = matches!(tokens[i], Token::Number(_))
            || (words_too && word(tokens, i).is_some_and(|w| !matches!(w, "a" | "an" | "one" | "mil")));
        match numbers::read(tokens, i).filter(|_| starts) {
            Some(r) => {
                out.push((r.value, i, i + r.len));
                i += r.len;
            }
            None => i += 1,
        }
    }
    out
}

/// What a choice allows, if it is an amount.
fn span(choice: &str) -> Option<Span> {
    let t = tokens(choice);
    let found = amounts(&t, false);
    let said = |from: usize, list: &[&str]| (0..from).any(|k| word(&t, k).is_some_and(|w| list.contains(&w)));
    match found.as_slice() {
        [(v, start, end)] => {
            let plus = matches!(t.get(*end), Some(Token::Mark('+')))
                || word(&t, *end).is_some_and(|w| matches!(w, "or" | "plus" | "and"))
                    && word(&t, end + 1).is_some_and(|w| matches!(w, "more" | "up" | "over" | "above"));
            if said(*start, UPTO) || matches!(t.first(), Some(Token::Mark('<'))) {
                Some(Span {
                    low: None,
                    high: Some(*v),
                })
            } else if said(*start, FROM) || plus {
                Some(Span {
                    low: Some(*v),
                    high: None,
                })
            } else {
                Some(Span {
                    low: Some(*v),
                    high: Some(*v),
                })
            }
        }
        [(a, _, _), (b, _, _)] => {
            // "$20-40k": the first takes the second's thousands
            let a = if *a < 1000.0 && *b >= 1000.0 && a * 1000.0 <= *b {
                a * 1000.0
            } else {
                *a
            };
            Some(Span {
                low: Some(a.min(*b)),
                high: Some(a.max(*b)),
            })
        }
        _ => None,
    }
}

/// The ordinal a word is ("third", "3rd"), if it is one.
fn ordinal(w: &str) -> Option<f64> {
    if let Some(p) = ORDINALS.iter().position(|o| *o == w) {
        return Some((p + 1) as f64);
    }
    let n = ["st", "nd", "rd", "th"].iter().find_map(|s| w.strip_suffix(s))?;
    n.parse().ok()
}

/// A word as its unit: "rows" and "row" are "row".
fn unit(w: &str) -> &str {
    w.strip_suffix('s').filter(|u| u.len() >= 3).unwrap_or(w)
}

/// Amounts said with the choices' unit ("a third row", "2 rows", "seats 7" for rows): when
/// the reply says the unit, only those count.
fn with_unit(t: &[Token], units: &[String]) -> Option<Vec<f64>> {
    let is_unit = |k: usize| word(t, k).is_some_and(|w| units.iter().any(|u| u == unit(w)));
    let seats = |k: usize| word(t, k).is_some_and(|w| matches!(unit(w), "seat" | "seater" | "passenger"));
    let rows = units.iter().any(|u| u == "row");
    let mut out = Vec::new();
    for k in 0..t.len() {
        let value = match &t[k] {
            Token::Number(n) => Some(n.value),
            Token::Word(w) => ordinal(w).or_else(|| numbers::read(t, k).filter(|r| r.len == 1).map(|r| r.value)),
            Token::Mark(_) => None,
        };
        let Some(v) = value else { continue };
        // "3rd row": the digits, then "rd", then the unit
        let suffix = matches!(&t[k], Token::Number(_)) && matches!(word(t, k + 1), Some("st" | "nd" | "rd" | "th"));
        let at = if suffix { k + 2 } else { k + 1 };
        if is_unit(at) {
            // "no third row": the other one, when there are two
            let refused = k > 0 && matches!(word(t, k - 1), Some("no" | "not" | "without"));
            out.push(if refused { -v } else { v });
        } else if rows && (seats(k + 1) || (k > 0 && seats(k - 1))) {
            // five seats is two rows, six or more three
            out.push(if v >= 6.0 { 3.0 } else { 2.0 });
        }
    }
    (!out.is_empty()).then_some(out)
}

/// How many seats a reply says it needs, for choices counted in seats: people counted
/// ("we're 6 people", "our 3 kids plus grandma" is the kids, two parents and grandma, "just
/// me and the wife" is two) or a third row (six or more).
fn seats_needed(t: &[Token]) -> Option<f64> {
    const KIDS: &[&str] = &["kids", "kid", "children", "child", "hijos", "ninos"];
    const PEOPLE: &[&str] = &["people", "persons", "of", "adults", "passengers", "personas", "total"];
    const ONE_MORE: &[&str] = &[
        "grandma",
        "grandpa",
        "grandmother",
        "grandfather",
        "abuela",
        "abuelo",
        "dog",
        "nanny",
    ];
    const TWO: &[&str] = &[
        "wife",
        "husband",
        "hubby",
        "spouse",
        "partner",
        "esposa",
        "esposo",
        "girl",
        "girlfriend",
        "boyfriend",
        "man",
        "lady",
        "fiance",
    ];
    let words: Vec<&str> = (0..t.len()).filter_map(|k| word(t, k)).collect();
    let third_row = words.iter().any(|w| matches!(*w, "third" | "3rd")) && words.contains(&"row");
    let mut need: Option<f64> = None;
    for k in 0..t.len() {
        let Some(n) = numbers::read(t, k).filter(|r| r.value < 20.0).map(|r| (r.value, r.len)) else {
            continue;
        };
        let next = word(t, k + n.1).unwrap_or("");
        let count = if KIDS.contains(&next) {
            n.0 + 2.0
        } else if PEOPLE.contains(&next) || (k > 0 && matches!(word(t, k - 1), Some("were" | "are" | "of" | "somos"))) {
            n.0
        } else {
            continue;
        };
        need = Some(need.unwrap_or(0.0).max(count));
    }
    let extra = words.iter().filter(|w| ONE_MORE.contains(w)).count() as f64;
    if let Some(n) = need {
        return Some(n + extra);
    }
    if third_row {
        return Some(6.0);
    }
    let just_two = words.iter().any(|w| TWO.contains(w)) && words.iter().any(|w| matches!(*w, "me" | "us" | "just"));
    just_two.then_some(2.0)
}

/// The amount a reply says, as its low and high ends (the same for one number), in the
/// choices' scale: "under 300" is just under it, and a bare "25" is 25,000 when every
/// choice is in thousands.
fn said(text: &str, spans: &[Span], units: &[String]) -> Option<(f64, f64)> {
    let t = tokens(text);
    if let Some(mut values) = with_unit(&t, units) {
        values.dedup();
        let exact: Vec<f64> = spans.iter().filter(|s| s.exact()).filter_map(|s| s.low).collect();
        return match values.as_slice() {
            [v] if *v >= 0.0 => Some((*v, *v)),
            // refused: the other of two
            [v] => match exact.as_slice() {
                [a, b] if *a == -v => Some((*b, *b)),
                [a, b] if *b == -v => Some((*a, *a)),
                _ => None,
            },
            _ => None,
        };
    }
    // "a 30 ft toy hauler, about 9000 loaded", "6 head in it, way over 10k": numbers of other
    // things go
    const OTHER_UNITS: &[&str] = &[
        "ft", "feet", "foot", "inch", "inches", "head", "kids", "people", "hp", "gallons", "mpg", "years", "year",
        "yrs", "yr", "months", "days", "weeks", "miles", "mi", "doors", "seats",
    ];
    let mut found: Vec<(f64, usize, usize)> = amounts(&t, true)
        .into_iter()
        .filter(|(_, _, end)| {
            !word(&t, *end).is_some_and(|w| OTHER_UNITS.contains(&w) && !units.iter().any(|u| u == unit(w)))
        })
        .collect();
    // "4/5", "4 out of 5", "10/10": the scale goes, and the first is read on the choices' own
    let top = spans.iter().filter_map(|s| s.high.or(s.low)).fold(f64::MIN, f64::max);
    if let [(a, _, end), (b, start, _)] = found.as_slice() {
        let out_of = matches!(t.get(*end), Some(Token::Mark('/')))
            || (word(&t, *end) == Some("out") && word(&t, end + 1) == Some("of"));
        if out_of && *b >= top && *start > *end && *a <= *b {
            let a = if *b > top { (a * top / b).round() } else { *a };
            found = vec![(a, 0, 0)];
        }
    }
    let (low, high) = match found.as_slice() {
        [(v, start, _)] => {
            let before = |list: &[&str]| {
                (start.saturating_sub(2)..*start).any(|k| word(&t, k).is_some_and(|w| list.contains(&w)))
            };
            let v = if before(UPTO) {
                v - 0.01
            } else if before(FROM) {
                v + 0.01
            } else {
                *v
            };
            (v, v)
        }
        // "300-400", "20 to 30", "entre 20 y 30 mil"
        [(a, _, end), (b, start, _)] if start - end <= 1 => {
            let a = if *a < 10.0 && a * 10.0 <= *b {
                a * 100.0 // "4-500"
            } else if *a < 1000.0 && *b >= 1000.0 && a * 1000.0 <= *b {
                a * 1000.0 // "25-30k"
            } else {
                *a
            };
            (a.min(*b), a.max(*b))
        }
        _ => return None,
    };
    let thousands = spans.iter().all(|s| s.low.or(s.high).is_some_and(|v| v >= 1000.0));
    let scale = |v: f64| if thousands && v < 1000.0 { v * 1000.0 } else { v };
    Some((scale(low), scale(high)))
}

/// The choice an amount in the reply falls in, when every choice is an amount: `None` when
/// the reply says no amount (the words decide), `Some(None)` when the amounts it says fit
/// no one choice.
pub(super) fn pick(text: &str, choices: &[&str]) -> Option<Option<Parsed<String>>> {
    let spans: Vec<Span> = choices.iter().map(|c| span(c)).collect::<Option<_>>()?;
    if spans.len() < 2 {
        return None;
    }
    let t = tokens(text);
    let numbers = amounts(&t, true).len()
        + t.iter()
            .filter(|t| matches!(t, Token::Word(w) if ordinal(w).is_some()))
            .count();
    match in_span(text, choices, &spans) {
        Some(found) => Some(Some(found)),
        None if numbers > 0 => Some(None),
        None => None,
    }
}

fn in_span(text: &str, choices: &[&str], spans: &[Span]) -> Option<Parsed<String>> {
    let units: Vec<String> = choices
        .iter()
        .flat_map(|c| tokens(c))
        .filter_map(|t| match t {
            Token::Word(w) if w.len() >= 3 && !UPTO.contains(&w.as_str()) && !FROM.contains(&w.as_str()) => {
                Some(unit(&w).to_string())
            }
            _ => None,
        })
        .collect();
    let words: Vec<String> = tokens(text)
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.clone()),
            _ => None,
        })
        .collect();
    let says = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let order = |a: &&Span, b: &&Span| a.floor().total_cmp(&b.floor());
    // "keep the payment under $400 a month" answers a monthly question, not a price
    let monthly = says(&["month", "monthly", "mo", "mes", "mensual"]);
    let totals = spans.iter().all(|s| s.low.or(s.high).is_some_and(|v| v >= 1000.0));
    if monthly && totals {
        return None;
    }
    let t = tokens(text);
    let rows = units.iter().any(|u| u == "row");
    if rows && with_unit(&t, &units).is_none() {
        // people counted, for choices in rows: six or more need the third
        if let Some(need) = seats_needed(&t) {
            let want = if need >= 6.0 { 3.0 } else { 2.0 };
            let k = (0..spans.len()).find(|k| spans[*k].exact() && spans[*k].low == Some(want))?;
            return Some(Parsed::new(choices[k].to_string(), 0.7));
        }
    }
    // "5 / 7 / 8" asked as seats: "just me and my girl" counts two
    let small = spans
        .iter()
        .all(|s| s.exact() && s.low.is_some_and(|v| (2.0..=9.0).contains(&v)));
    if units.is_empty() && small && amounts(&t, true).is_empty() {
        if let Some(need) = seats_needed(&t) {
            let k = (0..spans.len())
                .filter(|k| spans[*k].low.is_some_and(|v| v >= need))
                .min_by(|a, b| spans[*a].floor().total_cmp(&spans[*b].floor()))?;
            return Some(Parsed::new(choices[k].to_string(), 0.6));
        }
    }
    if units.iter().any(|u| u == "seat") {
        // "8 if possible": a number that is one of the choices says it
        let named: Vec<usize> = amounts(&t, false)
            .iter()
            .filter(|(_, _, end)| !word(&t, *end).is_some_and(|w| w.starts_with("kid") || w == "people"))
            .filter_map(|(v, _, _)| (0..spans.len()).find(|k| spans[*k].exact() && spans[*k].low == Some(*v)))
            .collect();
        if let [k] = named.as_slice() {
            return Some(Parsed::new(choices[*k].to_string(), 0.8));
        }
        // "so max seats", "the most seats you have"
        let most = says(HIGHEST) && !says(LOWEST);
        if most || (says(LOWEST) && !says(HIGHEST)) {
            let k = if most {
                (0..spans.len()).max_by(|a, b| spans[*a].floor().total_cmp(&spans[*b].floor()))
            } else {
                (0..spans.len()).min_by(|a, b| spans[*a].floor().total_cmp(&spans[*b].floor()))
            }?;
            return Some(Parsed::new(choices[k].to_string(), 0.7));
        }
        if let Some(need) = seats_needed(&t) {
            // a third row, with nobody counted, is any choice that has one
            let with_room = (0..spans.len())
                .filter(|k| spans[*k].low.is_some_and(|v| v >= need))
                .count();
            let counted = amounts(&t, true).iter().any(|(v, _, _)| *v < 20.0)
                || t.iter().any(
                    |x| matches!(x, Token::Word(w) if matches!(w.as_str(), "wife" | "husband" | "spouse" | "partner")),
                );
            if need == 6.0 && !counted && with_room > 1 {
                return None;
            }
            // the fewest seats that hold them all
            let k = (0..spans.len())
                .filter(|k| spans[*k].low.is_some_and(|v| v >= need))
                .min_by(|a, b| spans[*a].floor().total_cmp(&spans[*b].floor()))?;
            return Some(Parsed::new(choices[k].to_string(), 0.7));
        }
    }
    let Some((low, high)) = said(text, spans, &units) else {
        // "the cheapest one", "the highest": the end of the scale
        let end = if says(LOWEST) && !says(HIGHEST) {
            spans.iter().min_by(order)
        } else if says(HIGHEST) && !says(LOWEST) {
            spans.iter().max_by(order)
        } else {
            None
        }?;
        let k = spans.iter().position(|s| s == end)?;
        return Some(Parsed::new(choices[k].to_string(), 0.7));
    };
    // a rating past either end of the scale is that end ("zero if i could", "a 10")
    let exact = spans.iter().all(Span::exact);
    if exact && low == high && (0.0..=10.0).contains(&low) {
        let (min, max) = (spans.iter().min_by(order)?, spans.iter().max_by(order)?);
        let end = if low < min.floor() {
            Some(min)
        } else if low > max.floor() {
            Some(max)
        } else {
            None
        };
        if let Some(end) = end {
            let k = spans.iter().position(|s| s == end)?;
            return Some(Parsed::new(choices[k].to_string(), 0.7));
        }
    }
    let holding = |v: f64| -> Vec<usize> { (0..spans.len()).filter(|k| spans[*k].holds(v)).collect() };
    let (at_low, at_high) = (holding(low), holding(high));
    let both: Vec<usize> = at_low.iter().copied().filter(|k| at_high.contains(k)).collect();
    match both.as_slice() {
        [k] => Some(Parsed::new(choices[*k].to_string(), 0.85)),
        // on a shared edge ("$300-$500" and "Over $500" both hold 500) the closed range
        [a, b] => {
            let closed = |k: usize| spans[k].low.is_some() && spans[k].high.is_some();
            match (closed(*a), closed(*b)) {
                (true, false) => Some(Parsed::new(choices[*a].to_string(), 0.8)),
                (false, true) => Some(Parsed::new(choices[*b].to_string(), 0.8)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, choices: &[&str]) -> Option<String> {
        pick(text, choices).flatten().map(|p| p.value)
    }

    #[test]
    fn amounts_in_ranges() {
        let monthly = ["Under $300", "$300-$500", "Over $500"];
        assert_eq!(read("like 450 a month", &monthly).as_deref(), Some("$300-$500"));
        assert_eq!(read("$275 max", &monthly).as_deref(), Some("Under $300"));
        assert_eq!(read("under 300 please", &monthly).as_deref(), Some("Under $300"));
        assert_eq!(read("600ish", &monthly).as_deref(), Some("Over $500"));
        assert_eq!(read("4-500", &monthly).as_deref(), Some("$300-$500"));
        assert_eq!(read("the cheapest one lol", &monthly).as_deref(), Some("Under $300"));
        assert_eq!(read("idk", &monthly), None);
        let price = ["Under $20k", "$20k-$40k", "$40k+"];
        assert_eq!(read("around 25 grand", &price).as_deref(), Some("$20k-$40k"));
        assert_eq!(read("like 35", &price).as_deref(), Some("$20k-$40k"));
        assert_eq!(read("45,000", &price).as_deref(), Some("$40k+"));
        let stars = ["1", "2", "3", "4", "5"];
        assert_eq!(read("4 stars", &stars).as_deref(), Some("4"));
        assert_eq!(read("4/5", &stars).as_deref(), Some("4"));
        assert_eq!(read("a solid five", &stars).as_deref(), Some("5"));
        let rows = ["2 rows", "3 rows"];
        assert_eq!(read("need a third row for sure", &rows).as_deref(), Some("3 rows"));
        assert_eq!(read("2 is plenty", &rows).as_deref(), Some("2 rows"));
        assert_eq!(read("seats 7", &rows).as_deref(), Some("3 rows"));
        let seats = ["5 seats", "7 seats", "8 seats"];
        assert_eq!(read("just me and my husband", &seats).as_deref(), Some("5 seats"));
        assert_eq!(read("our 4 kids", &seats).as_deref(), Some("7 seats"));
        assert_eq!(read("family of 8", &seats).as_deref(), Some("8 seats"));
        assert_eq!(read("need a third row", &seats), None, "7 and 8 seats both have one");
        assert_eq!(read("we're 6 so need a third row", &seats).as_deref(), Some("7 seats"));
        assert_eq!(read("4 kids so max seats", &seats).as_deref(), Some("8 seats"));
        assert_eq!(read("under $400 a month", &price), None, "a payment, not a price");
        assert_eq!(read("no third row", &rows).as_deref(), Some("2 rows"));
        assert_eq!(
            read("3rd row needed, 3 kids + grandma", &rows).as_deref(),
            Some("3 rows")
        );
        assert_eq!(read("2 rows, sometimes a 3rd row", &rows), None);
        assert_eq!(read("25-30k otd", &price).as_deref(), Some("$20k-$40k"));
        assert_eq!(read("18 to 22", &price), None, "a range across two choices");
        assert_eq!(read("10/10", &stars).as_deref(), Some("5"));
        assert_eq!(read("Truck", &["Truck", "SUV"]), None, "words are not amounts");
    }
}
