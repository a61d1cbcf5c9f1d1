//! Numbers written as words or digits, in English and Spanish: "forty five thousand",
//! "one hundred and twenty", "cuarenta y cinco mil", "ciento veinte", "45 thousand",
//! "45k", "60 mil". Common misspellings ("fourty", "ninty") are read too.

use super::text::{word, Token};

/// Words worth less than a hundred, English then Spanish.
#[rustfmt::skip]
const SMALL: &[(&str, u32)] = &[
    ("zero", 0), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6),
    ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12),
    ("thirteen", 13), ("fourteen", 14), ("fifteen", 15), ("sixteen", 16), ("seventeen", 17),
    ("eighteen", 18), ("nineteen", 19), ("twenty", 20), ("thirty", 30), ("forty", 40),
    ("fourty", 40), ("fifty", 50), ("sixty", 60), ("seventy", 70), ("eighty", 80),
    ("ninety", 90), ("ninty", 90), ("cero", 0), ("un", 1), ("uno", 1), ("una", 1), ("dos", 2),
    ("tres", 3), ("cuatro", 4), ("cinco", 5), ("seis", 6), ("siete", 7), ("ocho", 8),
    ("nueve", 9), ("diez", 10), ("once", 11), ("doce", 12), ("trece", 13), ("catorce", 14),
    ("quince", 15), ("dieciseis", 16), ("diecisiete", 17), ("dieciocho", 18),
    ("diecinueve", 19), ("veinte", 20), ("veintiun", 21), ("veintiuno", 21), ("veintidos", 22),
    ("veintitres", 23), ("veinticuatro", 24), ("veinticinco", 25), ("veintiseis", 26),
    ("veintisiete", 27), ("veintiocho", 28), ("veintinueve", 29), ("treinta", 30),
    ("cuarenta", 40), ("cincuenta", 50), ("sesenta", 60), ("setenta", 70), ("ochenta", 80),
    ("noventa", 90),
];

/// Spanish hundreds, which are words of their own.
#[rustfmt::skip]
const HUNDREDS: &[(&str, u32)] = &[
    ("cien", 100), ("ciento", 100), ("doscientos", 200), ("doscientas", 200),
    ("trescientos", 300), ("trescientas", 300), ("cuatrocientos", 400), ("quinientos", 500),
    ("seiscientos", 600), ("setecientos", 700), ("ochocientos", 800), ("novecientos", 900),
];

/// Words that multiply what came before by a thousand.
#[rustfmt::skip]
pub(super) const THOUSAND: &[&str] = &[
    "thousand", "thousands", "thou", "thousnd", "thousend", "thousan", "k", "mil", "grand",
];

fn small(w: &str) -> Option<u32> {
    SMALL.iter().find(|(s, _)| *s == w).map(|(_, v)| *v)
}

fn hundreds(w: &str) -> Option<u32> {
    HUNDREDS.iter().find(|(s, _)| *s == w).map(|(_, v)| *v)
}

/// A number read from the tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Reading {
    pub value: f64,
    /// Tokens it took.
    pub len: usize,
    /// A thousand-word ("k", "thousand", "mil") was part of it.
    pub thousands: bool,
    /// It began with digits (not words); `Some(plain digits?, digit count)`.
    pub digits: Option<(bool, usize)>,
    /// The thousand-word was "grand" (money talk).
    pub grand: bool,
}

/// The number that starts at token `i`, if one does. Digits may be followed by number
/// words ("45 thousand", "45 mil"); words may join with "and"/"y" and hyphens.
pub(super) fn read(tokens: &[Token], i: usize) -> Option<Reading> {
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    let mut thousands = false;
    let mut grand = false;
    let mut digits = None;
    let mut j = i;
    if let Some(Token::Number(n)) = tokens.get(j) {
        current = n.value;
        any = true;
        digits = Some((n.plain, n.digits));
        j += 1;
    }
    loop {
        // "1 hundred 10 thousand": digits after "hundred" add to it
        // "2 hundred and 10 thousand": the "and" goes
        if any
            && current >= 100.0
            && current % 100.0 == 0.0
            && j > i
            && word(tokens, j - 1) == Some("hundred")
            && word(tokens, j) == Some("and")
            && matches!(tokens.get(j + 1), Some(Token::Number(_)))
        {
            j += 1;
        }
        if let (Some(Token::Number(n)), true) = (tokens.get(j), any && current >= 100.0 && current % 100.0 == 0.0) {
            let after_hundred = j > i
                && (word(tokens, j - 1) == Some("hundred")
                    || (word(tokens, j - 1) == Some("and") && word(tokens, j - 2) == Some("hundred")));
            if n.plain && n.value < 100.0 && after_hundred {
                current += n.value;
                j += 1;
                continue;
            }
        }
        let Some(w) = word(tokens, j) else {
            // "60-some thousand": the hyphen goes
            let tens = any && (10.0..1000.0).contains(&current) && current % 10.0 == 0.0;
            if tens
                && tokens.get(j) == Some(&Token::Mark('-'))
                && matches!(word(tokens, j + 1), Some("some" | "something"))
                && word(tokens, j + 2).is_some_and(|n| THOUSAND.contains(&n))
            {
                current += 5.0;
                j += 2;
                continue;
            }
            // a hyphen inside a number word: "sixty-two", "forty-five"
            if any && digits.is_none() && tokens.get(j) == Some(&Token::Mark('-')) {
                if let Some(v) = word(tokens, j + 1).and_then(small) {
                    if v < 10 && current % 10.0 == 0.0 && current >= 20.0 {
                        current += f64::from(v);
                        j += 2;
                        continue;
                    }
                }
            }
            break;
        };
        let next_is_number = word(tokens, j + 1).is_some_and(|n| small(n).is_some() || hundreds(n).is_some());
        if digits.is_none() && !any && (w == "a" || w == "an") {
            // "a hundred thousand", "a thousand"
            if word(tokens, j + 1).is_some_and(|n| n == "hundred" || n == "thousand") {
                current = 1.0;
                any = true;
                j += 1;
                continue;
            }
            break;
        }
        // "sixty too thousand", "forty for thousand": a slip of the voice for two, four
        let slip = match w {
            "too" | "to" => Some(2),
            "for" => Some(4),
            _ => None,
        }
        .filter(|_| any && digits.is_none() && (20.0..100.0).contains(&current) && current % 10.0 == 0.0)
        .filter(|_| word(tokens, j + 1).is_some_and(|n| THOUSAND.contains(&n)));
        // "sixty-some thousand", "90 y pico mil", "cuarenta y tantos mil": the middle of
        // the tens
        let some_at = |k: usize| matches!(word(tokens, k), Some("some" | "something" | "odd" | "pico" | "tantos"));
        let some_len = if some_at(j) {
            1
        } else if matches!(w, "y" | "and") && some_at(j + 1) {
            2
        } else {
            0
        };
        let tens = any && (10.0..1000.0).contains(&current) && current % 10.0 == 0.0;
        if some_len > 0 && tens && word(tokens, j + some_len).is_some_and(|n| THOUSAND.contains(&n)) {
            current += 5.0;
            j += some_len;
            continue;
        }
        // "quarter million"
        if w == "quarter" && !any && word(tokens, j + 1) == Some("million") {
            return Some(Reading {
                value: 250_000.0,
                len: j + 2 - i,
                thousands: true,
                digits: None,
                grand: false,
            });
        }
        if let Some(v) = slip {
            current += f64::from(v);
        } else if let Some(v) = small(w).filter(|_| digits.is_none()) {
            // "forty five" adds; "one twenty", "one fifty" say hundreds the short way
            if any && (1.0..10.0).contains(&current) && total == 0.0 && v >= 10 {
                current = current * 100.0 + f64::from(v);
            } else if any && (current % 100.0) != 0.0 && !(current % 10.0 == 0.0 && v < 10) {
                break;
            } else {
                current += f64::from(v);
            }
        } else if let Some(v) = hundreds(w).filter(|_| digits.is_none()) {
            if any && current != 0.0 {
                break;
            }
            current += f64::from(v);
        } else if w == "hundred" && !any && digits.is_none() && starts_a_number(tokens, j + 1) {
            // a leading bare "hundred": "hundred and five thousand", "hundred thousand"
            current = 100.0;
        } else if w == "hundred" && any && (digits.is_none() || current < 100.0) {
            // "one hundred", "2 hundred thousand"
            current = if current == 0.0 { 100.0 } else { current * 100.0 };
        } else if THOUSAND.contains(&w) && (any || w == "mil") && !thousands {
            let base = if any { current } else { 1.0 };
            total += base * 1000.0;
            current = 0.0;
            thousands = true;
            grand = w == "grand";
        } else if (w == "and" || w == "y") && any && next_is_number && digits.is_none() {
            // "one hundred and twenty", "cuarenta y cinco"
        } else if (w == "and" || w == "y") && thousands && next_is_number {
            // "forty thousand and five hundred" (rare; read on)
        } else {
            break;
        }
        any = true;
        j += 1;
    }
    if !any {
        return None;
    }
    Some(Reading {
        value: total + current,
        len: j - i,
        thousands,
        digits,
        grand,
    })
}

/// Whether the words from `j` carry a number on: "and five", "thousand", "twenty".
fn starts_a_number(tokens: &[Token], j: usize) -> bool {
    let at = |k: usize| word(tokens, k);
    match at(j) {
        Some("and") => at(j + 1).is_some_and(|n| small(n).is_some()),
        Some(w) => small(w).is_some() || THOUSAND.contains(&w),
        None => false,
    }
}

/// A small count in words or digits ("six", "6", "seis", "a", "un"), for "in six months".
pub(super) fn count(tokens: &[Token], i: usize) -> Option<(f64, usize)> {
    match tokens.get(i)? {
        Token::Number(n) => Some((n.value, 1)),
        Token::Word(w) if w == "a" || w == "an" => Some((1.0, 1)),
        Token::Word(_) => read(tokens, i).map(|r| (r.value, r.len)),
        Token::Mark(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;

    fn value(text: &str) -> Option<f64> {
        read(&tokens(text), 0).map(|r| r.value)
    }

    #[test]
    fn english_and_spanish_number_words() {
        assert_eq!(value("forty five thousand"), Some(45000.0));
        assert_eq!(value("sixty-two thousand"), Some(62000.0));
        assert_eq!(value("one hundred and twenty five thousand"), Some(125000.0));
        assert_eq!(value("a hundred thousand"), Some(100000.0));
        assert_eq!(value("two hundred thousand"), Some(200000.0));
        assert_eq!(value("fourty thousand"), Some(40000.0));
        assert_eq!(value("cuarenta y cinco mil"), Some(45000.0));
        assert_eq!(value("ciento veinte mil"), Some(120000.0));
        assert_eq!(value("cien mil"), Some(100000.0));
        assert_eq!(value("doscientos mil"), Some(200000.0));
        assert_eq!(value("45 thousand"), Some(45000.0));
        assert_eq!(value("45k"), Some(45000.0));
        assert_eq!(value("87.5k"), Some(87500.0));
        assert_eq!(value("60 mil"), Some(60000.0));
        assert_eq!(value("mil"), Some(1000.0));
        assert_eq!(value("one twenty"), Some(120.0));
        assert_eq!(value("2 hundred thousand"), Some(200000.0));
        assert_eq!(value("hundred and five thousand"), Some(105000.0));
        assert_eq!(value("hundred thousand"), Some(100000.0));
        assert_eq!(value("1 hundred 10 thousand"), Some(110000.0));
        assert_eq!(value("one fifty five"), Some(155.0));
        assert_eq!(value("miles"), None);
        assert_eq!(value("sixty too thousand"), Some(62000.0));
        assert_eq!(value("60-some thousand"), Some(65000.0));
        assert_eq!(value("cuarenta y tantos mil"), Some(45000.0));
        assert_eq!(value("90 y pico mil"), Some(95000.0));
        assert_eq!(value("quarter million"), Some(250000.0));
        assert_eq!(value("2 hundred and 10 thousand"), Some(210000.0));
        assert_eq!(
            value("sixty to seventy thousand"),
            Some(60.0),
            "a range, read by the caller"
        );
    }
}
