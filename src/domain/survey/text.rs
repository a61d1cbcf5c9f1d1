//! The reply as the readers see it: folded to plain lower case (accents off, so "próximo"
//! and "proximo" are one word) and cut into words, numbers and marks. Emoji and other
//! symbols are dropped; the readers that care about them (yes/no) look at the raw text.

/// One piece of a reply.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    /// Letters (and digits glued after them: "f150" stays one word, "rav4", "4runner").
    Word(String),
    /// Digits, with thousands commas ("45,300") and a decimal point ("87.5") read.
    Number(Number),
    /// A mark that can matter: - ~ + $ , . ? ! / % &
    Mark(char),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Number {
    pub value: f64,
    /// Written as plain digits with no comma or point ("2019", not "2,019" or "20.19").
    pub plain: bool,
    /// How many digits before any decimal point.
    pub digits: usize,
}

/// Lower case, accents off (á é í ó ú ü ñ ã õ ç → a e i o u u n a o c), curly apostrophes
/// straight, keycap emoji marks dropped.
pub(super) fn fold(text: &str) -> String {
    text.chars()
        // keycap emoji ("7️⃣3️⃣k") are their digits
        .filter(|c| !matches!(c, '\u{fe0f}' | '\u{20e3}'))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect()
}

/// Texting shorthand read as the word it stands for.
#[rustfmt::skip]
const SHORTHAND: &[(&str, &str)] = &[
    ("b4", "before"), ("bfore", "before"), ("nxt", "next"), ("thru", "through"), ("til", "until"),
    ("bout", "about"), ("abt", "about"), ("prolly", "probably"), ("probs", "probably"),
    ("prob", "probably"), ("def", "definitely"), ("tho", "though"),
];

const MARKS: &str = "-~+$,.?!/%&";

/// The reply's tokens, in order.
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = fold(text).chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let (number, end) = read_digits(&chars, i);
            out.push(Token::Number(number));
            i = end;
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || (chars[i] == '\'' && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().filter(|c| **c != '\'').collect();
            let word = SHORTHAND
                .iter()
                .find(|(short, _)| *short == word)
                .map_or(word, |(_, long)| (*long).to_string());
            out.push(Token::Word(word));
        } else {
            if MARKS.contains(c) {
                out.push(Token::Mark(c));
            }
            i += 1;
        }
    }
    out
}

/// Digits from `start`: "45,300" (a comma before exactly three digits groups thousands),
/// "87.5" (a point before digits is a decimal point). Digits running into letters
/// ("4runner") are a word, handled by the caller's next step as letters after a number.
fn read_digits(chars: &[char], start: usize) -> (Number, usize) {
    let mut i = start;
    let mut whole = String::new();
    let mut plain = true;
    loop {
        while i < chars.len() && chars[i].is_ascii_digit() {
            whole.push(chars[i]);
            i += 1;
        }
        let three_after = (1..=3).all(|k| chars.get(i + k).is_some_and(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        // "27.814 millas": a point before exactly three digits groups thousands the way
        // Spanish writes them, unless a "k" follows ("87.500k" is a decimal)
        let dotted = chars.get(i) == Some(&'.')
            && whole.len() <= 3
            && !whole.is_empty()
            && !chars.get(i + 4).is_some_and(|c| matches!(c, 'k' | '.'));
        let group = (chars.get(i) == Some(&',') || dotted) && three_after;
        if group {
            plain = false;
            i += 1;
        } else {
            break;
        }
    }
    let digits = whole.len();
    let mut text = whole;
    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        plain = false;
        text.push('.');
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            text.push(chars[i]);
            i += 1;
        }
    }
    let value = text.parse().unwrap_or(0.0);
    (Number { value, plain, digits }, i)
}

/// The word at `i`, if that token is a word.
pub(super) fn word(tokens: &[Token], i: usize) -> Option<&str> {
    match tokens.get(i) {
        Some(Token::Word(w)) => Some(w),
        _ => None,
    }
}

/// Whether the words from `i` on are exactly `phrase` (space-separated).
pub(super) fn phrase_at(tokens: &[Token], i: usize, phrase: &str) -> bool {
    phrase
        .split(' ')
        .enumerate()
        .all(|(k, p)| word(tokens, i + k) == Some(p))
}

/// The first of `phrases` found anywhere in the tokens: (start, length in words).
pub(super) fn find_phrase(tokens: &[Token], phrases: &[&str]) -> Option<(usize, usize)> {
    (0..tokens.len()).find_map(|i| {
        phrases
            .iter()
            .find(|p| phrase_at(tokens, i, p))
            .map(|p| (i, p.split(' ').count()))
    })
}

/// Hedges that leave the answer as it is but say the customer is guessing.
pub(super) const HEDGES: &[&str] = &[
    "maybe",
    "probably",
    "prob",
    "prolly",
    "possibly",
    "perhaps",
    "hopefully",
    "might",
    "guess",
    "idk",
    "think",
    "quizas",
    "quiza",
    "creo",
    "talvez",
];

pub(super) fn hedged(tokens: &[Token]) -> bool {
    tokens
        .iter()
        .any(|t| matches!(t, Token::Word(w) if HEDGES.contains(&w.as_str())))
        || find_phrase(tokens, &["tal vez", "not sure", "no se"]).is_some()
        || tokens.contains(&Token::Mark('?'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_words_and_marks() {
        let t = tokens("~45,300 Mí, 87.5k f-150 rav4 ¿Sí? 👍 it's");
        let n = |value, plain, digits| Token::Number(Number { value, plain, digits });
        let w = |s: &str| Token::Word(s.to_string());
        assert_eq!(
            t,
            vec![
                Token::Mark('~'),
                n(45300.0, false, 5),
                w("mi"),
                Token::Mark(','),
                n(87.5, false, 2),
                w("k"),
                w("f"),
                Token::Mark('-'),
                n(150.0, true, 3),
                w("rav4"),
                w("si"),
                Token::Mark('?'),
                w("its"),
            ]
        );
        assert_eq!(tokens("1,23")[0], n(1.0, true, 1));
    }
}
