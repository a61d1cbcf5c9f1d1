//! How far the car has gone, in miles: "about 45k", "45,300 miles", "forty five thousand",
//! "cuarenta y cinco mil", "72,000 km" (converted), "30-35k" (the middle, 32500). A bare
//! small number ("45") is read as thousands, with low confidence. A model year ("2019
//! civic") is not the mileage, and money ("I owe 12k on it", "$15k") is not either.

use chrono::{DateTime, Datelike, Utc};

use super::numbers::{self, Reading};
use super::text::{hedged, tokens, word, Token};
use super::Parsed;

const MILES: &[&str] = &[
    "miles", "mile", "mi", "mls", "mis", "milez", "milles", "millas", "milla",
];
#[rustfmt::skip]
const KM: &[&str] = &[
    "km", "kms", "kilometers", "kilometres", "kilometer", "kilometre", "kilometros",
    "kilometro", "klicks",
];
/// Words after a number that make it something other than a distance.
const NOT_DISTANCE: &[&str] = &[
    "year", "years", "yr", "yrs", "old", "month", "months", "mo", "mos", "week", "weeks", "day", "days", "hours",
    "hrs", "owners", "owner", "mpg", "am", "pm", "doors", "door", "cyl", "dollars", "dollar", "bucks", "usd", "anos",
    "meses", "dias", "dolares", "pesos", "row",
];
/// Words that put the clause they are in on money, not miles.
const MONEY: &[&str] = &[
    "owe", "owed", "owing", "payoff", "loan", "balance", "bal", "paid", "pay", "payment", "payments", "price", "worth",
    "cost", "costs", "debo", "deuda", "pago", "dollars", "bucks",
];
/// Words that say a number is approximate ("about 45k"); they do not change it.
#[rustfmt::skip]
const APPROXIMATE: &[&str] = &[
    "about", "around", "like", "approx", "approximately", "roughly", "abt", "almost", "nearly",
    "over", "under", "just", "como", "unos", "aprox", "aproximadamente", "casi", "mas",
];

/// Words that may follow a bare number that is still the mileage ("like 90 something",
/// "70 or 80", "45 maybe").
#[rustfmt::skip]
const AFTER_BARE: &[&str] = &[
    "or", "on", "ish", "something", "lol", "haha", "maybe", "probably", "prob", "i", "im", "idk",
    "and", "but", "give", "more", "o", "y", "mas", "menos", "en", "if", "pretty", "roughly",
    "thousand", "thou", "mil", "k", "miles", "mi", "somewhere", "now", "today", "currently", "ahora",
    "at", "in", "there", "or", "so", "since",
];

/// Words that put the clause they are in on another reading than today's: a past one
/// ("it was 40k at my oil change") or a limit ("lease ends at 36k").
#[rustfmt::skip]
const NOT_NOW: &[&str] = &[
    "was", "were", "had", "ago", "bought", "last", "lease", "allowance", "limit", "allowed",
    "ends", "cap", "tenia", "compre", "when", "sticker", "gonna", "will", "soon", "roll", "rolls",
    "until", "till", "til", "next",
];
/// Words that put the clause they are in on the reading today ("probably 44k now", "I'm at 27k").
#[rustfmt::skip]
const NOW: &[&str] = &[
    "now", "currently", "today", "im", "sitting", "reads", "ahora", "actualmente", "hoy", "tiene",
    "call", "flipped", "yesterday", "so", "checked",
];
/// Words that take back the number before them ("45k? no, 54k").
const TAKEN_BACK: &[&str] = &[
    "wait",
    "actually",
    "sorry",
    "correction",
    "oops",
    "perdon",
    "digo",
    "mean",
    "jk",
    "kidding",
    "joking",
];
/// Words after a distance that make it a rate, not a reading ("40 miles a day").
const RATE: &[&str] = &[
    "day", "daily", "week", "weekly", "month", "year", "yr", "dia", "semana", "mes", "ano",
];
/// Words after a bare tens that say "and some": "40 something" is 45.
const AND_SOME: &[&str] = &[
    "something",
    "somethin",
    "sumthin",
    "somethings",
    "some",
    "odd",
    "pico",
    "tantos",
    "s",
];
/// Verbs that, with "since", make a number what was added to an earlier reading ("put
/// about a thousand on it since").
const ADDED: &[&str] = &["put", "drove", "driven", "added", "done", "racked", "another", "more"];

const KM_PER_MILE: f64 = 1.609344;

/// One number in the reply that could be the mileage.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    miles: f64,
    /// Said with a unit, "k"/"thousand", or written as a number in the thousands.
    strong: bool,
    has_unit: bool,
    range: bool,
    km: bool,
    /// Where it starts, and the clause (comma-separated part) it is in.
    clause: usize,
    at: usize,
    end: usize,
    money: bool,
    /// Said with "grand": money when there is another number to be the miles.
    grand: bool,
    /// Added since an earlier reading ("put about 3k on it since").
    added: bool,
}

/// The mileage a reply gives, in whole miles. `at` is when it arrived: a four-digit number
/// from 1980 to next year, said without a unit, is a model year.
pub fn read_mileage(text: &str, at: DateTime<Utc>) -> Option<Parsed<u32>> {
    let tokens = spaced_thousands(digits_spelt_out(tokens(text)));
    // "the odo is in km and says 64,000": km said apart from the number
    let km_said = tokens.iter().enumerate().any(|(k, t)| {
        matches!(t, Token::Word(w) if KM.contains(&w.as_str()))
            && !matches!(k.checked_sub(1).map(|p| &tokens[p]), Some(Token::Number(_)))
    });
    let latest_model_year = f64::from(at.year() + 1);
    let mut candidates = Vec::new();
    let mut clause = 0;
    let mut money_clauses = Vec::new();
    let (mut now_clauses, mut then_clauses) = (Vec::new(), Vec::new());
    // where each "now" and "then" word is, for a reply with both in one clause
    let mut markers: Vec<(usize, bool, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word(w) if NOW.contains(&w.as_str()) => {
                now_clauses.push(clause);
                markers.push((i, true, clause));
            }
            Token::Word(w) if NOT_NOW.contains(&w.as_str()) => {
                then_clauses.push(clause);
                markers.push((i, false, clause));
            }
            Token::Mark(',' | '.' | ';' | '!' | '?') => clause += 1,
            Token::Mark('$') => money_clauses.push(clause),
            Token::Word(w) if MONEY.contains(&w.as_str()) => money_clauses.push(clause),
            Token::Word(w) if w == "but" || w == "pero" => clause += 1,
            _ => {}
        }
        // (digits written straight after letters, "f150", "rav4", are part of a word)
        let Some(first) = numbers::read(&tokens, i) else {
            i += 1;
            continue;
        };
        let dollar = i > 0 && tokens[i - 1] == Token::Mark('$');
        let mut end = i + first.len;
        let mut value = first.value;
        let mut thousands = first.thousands;
        let mut range = false;
        // a range: "30-35k", "60 to 70k", "between 40 and 50 thousand", "9 or 10"
        // ("and" joins a range only after "between": "45k and 80k" are two cars)
        let between = i > 0 && matches!(word(&tokens, i - 1), Some("between" | "entre"));
        // "like 120 140 somewhere in there": two bare numbers side by side, close together
        let side_by_side = matches!(tokens.get(end), Some(Token::Number(n)) if n.plain && n.value > first.value
            && n.value <= first.value * 1.5 && first.digits.is_some_and(|(plain, d)| plain && d <= 3) && n.digits <= 3);
        // "like 33 maybe 34k", "33 or maybe 34k"
        // "33? maybe 34", "33, maybe 34"
        let maybe = usize::from(
            (word(&tokens, end) == Some("or") || matches!(tokens.get(end), Some(Token::Mark('?' | ','))))
                && word(&tokens, end + 1) == Some("maybe"),
        );
        let joins = side_by_side
            || word(&tokens, end) == Some("maybe")
            || maybe == 1
            || matches!(tokens.get(end), Some(Token::Mark('-')))
            || matches!(word(&tokens, end), Some("to" | "or" | "a" | "o"))
            || (between
                && (matches!(word(&tokens, end), Some("and" | "y")) || tokens.get(end) == Some(&Token::Mark('&'))));
        // "went from 30 to like 44": where it is now, not a range
        let went = i >= 2
            && word(&tokens, i - 1) == Some("from")
            && matches!(
                word(&tokens, i - 2),
                Some("went" | "gone" | "jumped" | "climbed" | "paso")
            );
        let approx = matches!(word(&tokens, end + 1), Some("like" | "about" | "around" | "maybe"));
        if went && word(&tokens, end) == Some("to") {
            if let Some(second) = numbers::read(&tokens, end + 1 + usize::from(approx)) {
                i = end + 1 + usize::from(approx);
                let _ = second;
                continue;
            }
        }
        if joins {
            let skip = usize::from(!side_by_side) + maybe;
            if let Some(second) = numbers::read(&tokens, end + skip) {
                let (lo, hi) = scale_pair(&first, &second);
                if hi > lo {
                    value = (lo + hi) / 2.0;
                    thousands |= second.thousands;
                    range = true;
                    end += skip + second.len;
                }
            }
        }
        while matches!(tokens.get(end), Some(Token::Mark('+')) | Some(Token::Mark('~'))) {
            end += 1;
        }
        let after = word(&tokens, end).unwrap_or("");
        let after2 = word(&tokens, end + 1).unwrap_or("");
        let km = KM.contains(&after) || (km_said && !MILES.contains(&after));
        let has_unit = km || MILES.contains(&after);
        let after3 = word(&tokens, end + 2).unwrap_or("");
        let rate = has_unit
            && (matches!(after2, "a" | "per" | "each" | "al" | "por" | "every") && RATE.contains(&after3)
                || RATE.contains(&after2)
                || (after2 == "round" && after3 == "trip"));
        let not_distance = rate
            || NOT_DISTANCE.contains(&after)
            || (after == "a" && matches!(after2, "month" | "mo" | "year" | "yr" | "week" | "day"))
            || matches!(tokens.get(end), Some(Token::Mark('%')) | Some(Token::Mark('/')));
        let year = first.digits.is_some_and(|(plain, digits)| plain && digits == 4)
            && !thousands
            && !has_unit
            && (1980.0..=latest_model_year).contains(&first.value);
        // "ram 1500", "model 3", "mazda 3": a number that is part of a vehicle's name
        let named = !thousands
            && !has_unit
            && i > 0
            && word(&tokens, i - 1).is_some_and(|w| super::choice::is_model_word(w) || w == "model");
        // "the motor was replaced at 120k": when something was done, not a reading
        let event = i >= 2
            && word(&tokens, i - 1) == Some("at")
            && matches!(
                word(&tokens, i - 2),
                Some("replaced" | "rebuilt" | "swapped" | "installed" | "done" | "changed")
            );
        // "2 cars", "5 digits": a bare count of something else
        // "40 something", "the 70-somethings", "in the 90s"
        let and_some = AND_SOME.contains(&after)
            || (matches!(tokens.get(end), Some(Token::Mark('-'))) && AND_SOME.contains(&after2));
        let counts_something =
            !thousands && !has_unit && value < 1000.0 && !after.is_empty() && !AFTER_BARE.contains(&after) && !and_some;
        // "40 something", "130 something": the middle of the tens it names
        let value = if !thousands && !range && (10.0..1000.0).contains(&value) && value % 10.0 == 0.0 && and_some {
            value + 5.0
        } else {
            value
        };
        // "put about a thousand on it since", "drove maybe 3k since": added to a reading
        let since = (end..end + 6).any(|k| matches!(word(&tokens, k), Some("since" | "desde")));
        let added = since && (i.saturating_sub(4)..i).any(|k| word(&tokens, k).is_some_and(|w| ADDED.contains(&w)));
        // "so add about 600", "plus like 500": literal miles added to a reading
        let add = (i.saturating_sub(3)..i).any(|k| matches!(word(&tokens, k), Some("add" | "plus")));
        let added = added || add;
        if !not_distance && !year && !named && !counts_something && !event && value > 0.0 {
            let strong = has_unit || thousands || value >= 1000.0 || add;
            let miles = if km { value / KM_PER_MILE } else { value };
            // "halfway to 100k": half of it
            let back = |k: usize| i.checked_sub(k).and_then(|j| word(&tokens, j));
            let halfway = back(1) == Some("to")
                && (back(2) == Some("halfway") || (back(2) == Some("way") && back(3) == Some("half")));
            let miles = if halfway { miles / 2.0 } else { miles };
            candidates.push(Candidate {
                miles,
                strong,
                has_unit,
                range,
                km,
                clause,
                at: i,
                end,
                money: dollar,
                grand: first.grand,
                added,
            });
        }
        i = end.max(i + 1);
    }
    // "tres cientos mil? no, como 83 mil", "45k, wait, 54k": a number taken back
    let taken_back: Vec<usize> = candidates
        .iter()
        .filter(|c| {
            let next = candidates.iter().find(|o| o.at > c.at).map(|o| o.at);
            next.is_some_and(|n| {
                let said = |list: &[&str]| (c.end..n).any(|k| word(&tokens, k).is_some_and(|w| list.contains(&w)));
                // "no" takes back only after a mark: "45k? no, 54k", not "no joke"
                let marked = (c.end..n).any(|k| matches!(tokens.get(k), Some(Token::Mark(_))));
                said(TAKEN_BACK) || (said(&["no", "nah"]) && marked)
            })
        })
        .map(|c| c.at)
        .collect();
    candidates.retain(|c| !taken_back.contains(&c.at));
    // "7 grand" alone is miles; beside another number it is what was paid
    if candidates.len() > 1 {
        for c in &mut candidates {
            c.money |= c.grand;
        }
    }
    for c in &mut candidates {
        // "what it's worth with 58k": "with" says the miles
        let with = c.at > 0 && matches!(word(&tokens, c.at - 1), Some("with" | "con"));
        if !c.has_unit && !with && money_clauses.contains(&c.clause) {
            c.money = true;
        }
    }
    candidates.retain(|c| !c.money);
    // the nearest "now" or "then" word to a number, within four words
    let nearest = |c: &Candidate| {
        markers
            .iter()
            .filter(|(at, _, clause)| at.abs_diff(c.at) <= 4 && *clause == c.clause)
            .min_by_key(|(at, _, _)| at.abs_diff(c.at))
            .map(|(_, now, _)| *now)
    };
    // "52k at my oil change, probably closer to 58 now", "call it 43": a bare number said
    // as today's, beside a reading in the thousands, is in thousands too
    let thousands_said: Vec<f64> = candidates
        .iter()
        .filter(|c| c.strong && c.miles >= 1000.0)
        .map(|c| c.miles)
        .collect();
    for c in &mut candidates {
        let scaled = c.miles * 1000.0;
        let near = thousands_said.iter().any(|m| scaled >= m * 0.5 && scaled <= m * 2.0);
        if !c.strong && !c.has_unit && c.miles < 1000.0 && near && nearest(c) == Some(true) {
            c.miles = scaled;
            c.strong = true;
        }
    }
    // a reading, and what was put on since: their sum, unless a reading is said as today's
    let (added, readings): (Vec<&Candidate>, Vec<&Candidate>) =
        candidates.iter().filter(|c| c.strong).partition(|c| c.added);
    let today: Vec<&&Candidate> = readings.iter().filter(|c| nearest(c) == Some(true)).collect();
    if let ([more], [base], []) = (added.as_slice(), readings.as_slice(), today.as_slice()) {
        let miles = (base.miles + more.miles).round() as u32;
        return Some(Parsed::new(miles, 0.7));
    }
    let strong: Vec<&Candidate> = readings;
    // "under 30k i think, 29ish": a bound, then the reading itself as a bare number near it
    let bound = |c: &Candidate| {
        c.at > 0
            && matches!(
                word(&tokens, c.at - 1),
                Some("under" | "below" | "over" | "above" | "almost" | "nearly")
            )
    };
    let near_bound = |b: &Candidate| {
        candidates
            .iter()
            .filter(|c| !c.strong && !c.has_unit && c.miles < 1000.0)
            .map(|c| c.miles * 1000.0)
            .find(|m| (m - b.miles).abs() <= b.miles * 0.15)
    };
    let (chosen, mut confidence) = match strong.as_slice() {
        [one] if bound(one) && near_bound(one).is_some() => (
            Candidate {
                miles: near_bound(one).unwrap_or(one.miles),
                ..**one
            },
            0.7,
        ),
        [one] => (**one, 0.95),
        [] => match candidates.as_slice() {
            // a bare "45": thousands, most likely, but a person should look
            [one] if one.miles < 1000.0 && !one.has_unit => (
                Candidate {
                    miles: one.miles * 1000.0,
                    ..*one
                },
                0.5,
            ),
            [one] => (*one, 0.5),
            _ => return None,
        },
        many => {
            let with_unit: Vec<&&Candidate> = many.iter().filter(|c| c.has_unit).collect();
            // two readings: the one said as today's, or the one not said as past or a limit;
            // in one clause, the nearest such word decides ("was 40k ... now prob 44k")
            // each "now" or "then" word speaks of the number nearest it in its clause
            let owner = |(at, _, clause): &(usize, bool, usize)| {
                many.iter()
                    .filter(|c| c.clause == *clause)
                    .min_by_key(|c| c.at.abs_diff(*at))
                    .map(|c| c.at)
            };
            let owned = |c: &Candidate, now: bool| {
                markers
                    .iter()
                    .filter(|m| m.1 == now && owner(m) == Some(c.at))
                    .map(|m| m.0.abs_diff(c.at))
                    .min()
            };
            let is_now = |c: &Candidate| match (owned(c, true), owned(c, false)) {
                (Some(n), Some(t)) => n < t,
                (Some(_), None) => true,
                _ => false,
            };
            let is_then = |c: &Candidate| match (owned(c, true), owned(c, false)) {
                (Some(n), Some(t)) => t <= n,
                (None, Some(_)) => true,
                _ => false,
            };
            let now: Vec<&&Candidate> = many.iter().filter(|c| is_now(c)).collect();
            let not_then: Vec<&&Candidate> = many.iter().filter(|c| !is_then(c)).collect();
            match (with_unit.as_slice(), now.as_slice(), not_then.as_slice()) {
                ([one], _, _) => (***one, 0.7),
                (_, [one], _) | (_, [], [one]) => (***one, 0.75),
                _ => return None,
            }
        }
    };
    if chosen.miles > 999_999.0 {
        return None;
    }
    if chosen.range {
        confidence -= 0.1;
    }
    if chosen.km {
        confidence -= 0.05;
    }
    if hedged(&tokens) {
        confidence -= 0.15;
    }
    let approximate = tokens
        .iter()
        .any(|t| matches!(t, Token::Word(w) if APPROXIMATE.contains(&w.as_str())));
    if approximate && confidence > 0.9 {
        confidence = 0.9;
    }
    Some(Parsed::new(chosen.miles.round() as u32, confidence))
}

/// "4 5 0 0 0": four or more single digits in a row are one number read out digit by digit.
fn digits_spelt_out(tokens: Vec<Token>) -> Vec<Token> {
    let single = |t: &Token| matches!(t, Token::Number(n) if n.plain && n.digits == 1);
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let run = tokens[i..].iter().take_while(|t| single(t)).count();
        if run >= 4 {
            let value = tokens[i..i + run].iter().fold(0.0, |acc, t| match t {
                Token::Number(n) => acc * 10.0 + n.value,
                _ => acc,
            });
            out.push(Token::Number(super::text::Number {
                value,
                plain: true,
                digits: run,
            }));
            i += run;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// "71 203", "65 000": a space where a comma groups thousands (a plain 1-3 digit number,
/// then exactly three digits that do not read as the top of a range).
fn spaced_thousands(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let (Token::Number(a), Some(Token::Number(b))) = (&tokens[i], tokens.get(i + 1)) {
            let range_like = b.value > a.value && b.value <= a.value * 1.5;
            if a.plain && a.digits <= 3 && b.plain && b.digits == 3 && !range_like {
                out.push(Token::Number(super::text::Number {
                    value: a.value * 1000.0 + b.value,
                    plain: false,
                    digits: a.digits + 3,
                }));
                i += 2;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// "30-35k": the "k" of the second number belongs to the first too.
fn scale_pair(first: &Reading, second: &Reading) -> (f64, f64) {
    let lo = if (second.thousands || second.value >= 1000.0)
        && !first.thousands
        && first.value < 1000.0
        && first.value * 1000.0 <= second.value
    {
        first.value * 1000.0
    } else {
        first.value
    };
    (lo, second.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        "2026-03-10T15:00:00Z".parse().unwrap()
    }

    #[test]
    fn confidence_is_lower_for_a_bare_number_and_a_range() {
        let bare = read_mileage("45", at()).unwrap();
        assert_eq!(bare.value, 45000);
        assert!(bare.needs_review());
        let sure = read_mileage("45,300 miles", at()).unwrap();
        assert!(!sure.needs_review() && sure.confidence > 0.9);
        let range = read_mileage("30-35k", at()).unwrap();
        assert_eq!(range.value, 32500);
        assert!(range.confidence < sure.confidence);
    }

    #[test]
    fn names_with_digits_and_years_are_not_mileage() {
        assert_eq!(read_mileage("2017 f150 with 96k", at()).map(|p| p.value), Some(96000));
        assert_eq!(read_mileage("2019", at()), None);
        assert_eq!(read_mileage("I owe 12k on it", at()), None);
    }

    #[test]
    fn of_two_readings_today_s_is_the_mileage() {
        let read = |t: &str| read_mileage(t, at()).map(|p| p.value);
        assert_eq!(read("it was 40k at my oil change, probably 44k now"), Some(44000));
        assert_eq!(read("Lease ends at 36k, I'm at 27k"), Some(27000));
        assert_eq!(read("had 30k when I bought it, 52k today"), Some(52000));
        assert_eq!(read("45k and 80k"), None, "two cars, neither said as today's");
        assert_eq!(read("was 40k at my last oil change now prob 44k"), Some(44000));
        assert_eq!(
            read("under 30k i think, 29ish"),
            Some(29000),
            "a bound, then the reading"
        );
        assert_eq!(read("under 30k"), Some(30000));
        assert_eq!(read("it says 4 5 0 0 0"), Some(45000));
        assert_eq!(read("halfway to 100k lol"), Some(50000));
        assert_eq!(read("45k, wait no, 54k"), Some(54000), "a number taken back");
        assert_eq!(read("was 60k in may, put about 2k on it since"), Some(62000));
        assert_eq!(
            read("about 40 miles a day round trip, last I looked 118 thousand"),
            Some(118000)
        );
        assert_eq!(read("like 7 grand, barely drive it"), Some(7000));
        assert_eq!(read("got it for 7 grand with 80k on it"), Some(80000));
        assert_eq!(read("uhh like 40 something"), Some(45000));
        assert_eq!(read("it was 52k in october, probably closer to 58 now"), Some(58000));
        assert_eq!(read("it's at 99,950, gonna roll over 100k this week"), Some(99950));
        assert_eq!(read("tiene 27.814 millas"), Some(27814));
        assert_eq!(read("odometer says 84 512"), Some(84512));
        assert_eq!(
            read("like 120 140 somewhere in there"),
            Some(130000),
            "a range, not thousands"
        );
        assert_eq!(read("the dash is in km, it shows 50,000"), Some(31069));
        assert_eq!(read("like 33 maybe 34k"), Some(33500));
        assert_eq!(read("5️⃣2️⃣k"), Some(52000));
    }
}
