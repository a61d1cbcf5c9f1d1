//! Yes or no: "yep", "sure 👍", "absolutely", "sí", "claro", "ya" (yes); "nah", "nope",
//! "no thanks", "not really", "I'm good", "no gracias" (no). A reply that says both, or
//! only that the customer is unsure ("maybe", "not sure", "no sé"), is no answer.

use super::text::{fold, phrase_at, tokens, word, Token};
use super::Parsed;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Says {
    Yes,
    No,
    Unsure,
    /// Words with a "no" in them that refuse nothing ("no obligation", "no problem" said
    /// about the offer's terms): they take their words out of the reading.
    Neither,
}

/// Phrases and what they say, with how sure each is. Longer phrases are tried first at
/// each place, so "not sure" is unsure before "sure" is a yes.
const PHRASES: &[(&str, Says, f64)] = &[
    // neither: the offer's own terms said back, or a pleasantry
    ("no obligation", Says::Neither, 0.0),
    ("no pressure", Says::Neither, 0.0),
    ("no charge", Says::Neither, 0.0),
    ("no cost", Says::Neither, 0.0),
    ("no commitment", Says::Neither, 0.0),
    ("no strings", Says::Neither, 0.0),
    ("sin compromiso", Says::Neither, 0.0),
    ("sin costo", Says::Neither, 0.0),
    ("no problem", Says::Neither, 0.0),
    ("no prob", Says::Neither, 0.0),
    ("no problemo", Says::Neither, 0.0),
    ("no hay problema", Says::Neither, 0.0),
    // texting shorthand for yes
    ("ofc", Says::Yes, 0.85),
    ("ofcourse", Says::Yes, 0.9),
    // unsure
    ("not sure", Says::Unsure, 0.0),
    ("no se", Says::Unsure, 0.0),
    ("tal vez", Says::Unsure, 0.0),
    ("i dont know", Says::Unsure, 0.0),
    ("dont know", Says::Unsure, 0.0),
    ("yes and no", Says::Unsure, 0.0),
    ("maybe", Says::Unsure, 0.0),
    ("idk", Says::Unsure, 0.0),
    ("dunno", Says::Unsure, 0.0),
    ("perhaps", Says::Unsure, 0.0),
    ("quizas", Says::Unsure, 0.0),
    ("quiza", Says::Unsure, 0.0),
    ("talvez", Says::Unsure, 0.0),
    ("depends", Says::Unsure, 0.0),
    // no
    ("maybe later", Says::Unsure, 0.0),
    ("maybe next time", Says::No, 0.75),
    ("maybe another time", Says::No, 0.75),
    ("next time", Says::No, 0.7),
    ("another time", Says::No, 0.7),
    ("not today", Says::No, 0.85),
    ("not this time", Says::No, 0.85),
    ("not for me", Says::No, 0.85),
    ("not anymore", Says::No, 0.85),
    ("not for now", Says::No, 0.85),
    ("not at the moment", Says::No, 0.85),
    ("dont think so", Says::No, 0.75),
    ("do not think so", Says::No, 0.75),
    ("i think not", Says::No, 0.75),
    ("no creo", Says::No, 0.75),
    ("creo que no", Says::No, 0.75),
    ("no lo creo", Says::No, 0.75),
    ("probably not", Says::No, 0.75),
    ("not really", Says::No, 0.9),
    ("not at all", Says::No, 0.95),
    ("not interested", Says::No, 0.95),
    ("not at this time", Says::No, 0.9),
    ("not right now", Says::No, 0.9),
    ("not now", Says::No, 0.9),
    ("not yet", Says::No, 0.85),
    ("no way", Says::No, 0.95),
    ("no thanks", Says::No, 0.95),
    ("no thank you", Says::No, 0.95),
    ("im good", Says::No, 0.8),
    ("i am good", Says::No, 0.8),
    ("im ok", Says::No, 0.7),
    ("para nada", Says::No, 0.95),
    ("ya no", Says::No, 0.85),
    ("por ahora no", Says::No, 0.9),
    ("no", Says::No, 0.95),
    ("nope", Says::No, 0.95),
    ("nah", Says::No, 0.95),
    ("naw", Says::No, 0.95),
    ("nay", Says::No, 0.9),
    ("nel", Says::No, 0.9),
    ("never", Says::No, 0.9),
    ("nunca", Says::No, 0.9),
    ("jamas", Says::No, 0.9),
    ("todavia no", Says::No, 0.85),
    ("aun no", Says::No, 0.85),
    ("hard pass", Says::No, 0.95),
    ("please dont", Says::No, 0.9),
    ("dont mind", Says::Yes, 0.75),
    ("i dont mind", Says::Yes, 0.75),
    ("dont", Says::No, 0.7),
    ("all set", Says::No, 0.8),
    ("im all good", Says::No, 0.8),
    ("were all good", Says::No, 0.8),
    ("im fine", Says::No, 0.7),
    ("were fine", Says::No, 0.7),
    ("not at this point", Says::No, 0.85),
    ("not at present", Says::No, 0.85),
    ("not currently", Says::No, 0.85),
    ("im set", Says::No, 0.8),
    ("were good", Says::No, 0.8),
    ("we are good", Says::No, 0.8),
    ("were ok", Says::No, 0.7),
    ("pass", Says::No, 0.8),
    // no, by what became of the car or by asking to be left alone
    ("sold it", Says::No, 0.85),
    ("already sold", Says::No, 0.85),
    ("traded it", Says::No, 0.8),
    ("traded it in", Says::No, 0.8),
    ("totaled", Says::No, 0.8),
    ("totalled", Says::No, 0.8),
    ("keeping it", Says::No, 0.8),
    ("keeping my", Says::No, 0.75),
    ("selling it myself", Says::No, 0.8),
    ("sell it myself", Says::No, 0.8),
    ("selling it on my own", Says::No, 0.8),
    ("im keeping", Says::No, 0.8),
    ("gonna keep it", Says::No, 0.8),
    ("going to keep it", Says::No, 0.8),
    ("just bought", Says::No, 0.75),
    ("just got it", Says::No, 0.75),
    ("got rid of it", Says::No, 0.8),
    ("no longer have", Says::No, 0.8),
    ("dont have it anymore", Says::No, 0.8),
    ("remove me", Says::No, 0.9),
    ("nao", Says::No, 0.9),
    ("hindi", Says::No, 0.85),
    ("khong", Says::No, 0.85),
    ("non", Says::No, 0.85),
    ("im straight", Says::No, 0.75),
    ("were straight", Says::No, 0.75),
    ("no se vende", Says::No, 0.85),
    ("no me interesa", Says::No, 0.95),
    ("nuh uh", Says::No, 0.9),
    ("nuh", Says::No, 0.8),
    ("take me off", Says::No, 0.9),
    ("stop", Says::No, 0.85),
    ("stop by", Says::Neither, 0.0),
    ("unsubscribe", Says::No, 0.9),
    ("opt out", Says::No, 0.9),
    ("leave me alone", Says::No, 0.9),
    // yes
    ("of course", Says::Yes, 0.95),
    ("for sure", Says::Yes, 0.95),
    ("you bet", Says::Yes, 0.95),
    ("sounds good", Says::Yes, 0.95),
    ("why not", Says::Yes, 0.85),
    ("go for it", Says::Yes, 0.9),
    ("opo", Says::Yes, 0.9),
    ("dạ co", Says::Yes, 0.9),
    ("wouldnt hurt", Says::Yes, 0.75),
    ("couldnt hurt", Says::Yes, 0.75),
    ("cant hurt", Says::Yes, 0.75),
    ("dont see why not", Says::Yes, 0.85),
    ("see why not", Says::Yes, 0.8),
    ("helpful", Says::Yes, 0.75),
    ("wonderful", Says::Yes, 0.75),
    ("lovely", Says::Yes, 0.7),
    ("would be nice", Says::Yes, 0.75),
    ("thatd be nice", Says::Yes, 0.75),
    ("shoot me", Says::Yes, 0.75),
    ("send me", Says::Yes, 0.75),
    ("dont send", Says::No, 0.85),
    ("please dont send", Says::No, 0.9),
    ("do not send", Says::No, 0.85),
    ("wi", Says::Yes, 0.85),
    ("da", Says::Yes, 0.8),
    ("sim", Says::Yes, 0.9),
    ("only if", Says::Yes, 0.6),
    ("email it", Says::Yes, 0.75),
    ("text it", Says::Yes, 0.75),
    ("fo sho", Says::Yes, 0.85),
    ("for sho", Says::Yes, 0.85),
    ("say less", Says::Yes, 0.8),
    ("yas", Says::Yes, 0.85),
    ("yeppers", Says::Yes, 0.9),
    ("y e s", Says::Yes, 0.85),
    ("shoot it over", Says::Yes, 0.85),
    ("shoot it", Says::Yes, 0.8),
    ("ight", Says::Yes, 0.75),
    ("reckon so", Says::Yes, 0.65),
    ("i reckon", Says::Yes, 0.6),
    ("roger", Says::Yes, 0.85),
    ("ten four", Says::Yes, 0.85),
    ("i suppose", Says::Yes, 0.6),
    ("suppose so", Says::Yes, 0.6),
    ("send it", Says::Yes, 0.85),
    ("send it over", Says::Yes, 0.85),
    ("sure thing", Says::Yes, 0.95),
    ("i guess", Says::Yes, 0.55),
    ("think so", Says::Yes, 0.6),
    ("guess so", Says::Yes, 0.6),
    ("believe so", Says::Yes, 0.6),
    ("hope so", Says::Yes, 0.6),
    ("creo que si", Says::Yes, 0.6),
    ("uh huh", Says::Yes, 0.85),
    ("por supuesto", Says::Yes, 0.95),
    ("claro que si", Says::Yes, 0.95),
    ("i do", Says::Yes, 0.8),
    ("yes", Says::Yes, 0.95),
    ("yeah", Says::Yes, 0.95),
    ("yea", Says::Yes, 0.95),
    ("yep", Says::Yes, 0.95),
    ("yup", Says::Yes, 0.95),
    ("ya", Says::Yes, 0.85),
    ("yah", Says::Yes, 0.85),
    ("ye", Says::Yes, 0.8),
    ("yess", Says::Yes, 0.95),
    ("sure", Says::Yes, 0.9),
    ("alright", Says::Yes, 0.85),
    ("allright", Says::Yes, 0.85),
    ("all right", Says::Yes, 0.85),
    ("aight", Says::Yes, 0.8),
    ("okie", Says::Yes, 0.85),
    ("okie dokie", Says::Yes, 0.85),
    ("okey dokey", Says::Yes, 0.85),
    ("please do", Says::Yes, 0.9),
    ("go ahead", Says::Yes, 0.9),
    ("do it", Says::Yes, 0.85),
    ("lets do it", Says::Yes, 0.9),
    ("im in", Says::Yes, 0.85),
    ("count me in", Says::Yes, 0.9),
    ("id like that", Says::Yes, 0.9),
    ("i would like that", Says::Yes, 0.9),
    ("id love", Says::Yes, 0.9),
    ("i would love", Says::Yes, 0.9),
    ("would love", Says::Yes, 0.85),
    ("i would", Says::Yes, 0.8),
    ("you got it", Says::Yes, 0.9),
    ("that works", Says::Yes, 0.85),
    ("works for me", Says::Yes, 0.85),
    ("thats fine", Says::Yes, 0.8),
    ("fine by me", Says::Yes, 0.85),
    ("sounds great", Says::Yes, 0.9),
    ("sounds like a plan", Says::Yes, 0.9),
    ("interested", Says::Yes, 0.8),
    ("me interesa", Says::Yes, 0.85),
    ("bet", Says::Yes, 0.7),
    ("percent100", Says::Yes, 0.8),
    ("100 percent", Says::Yes, 0.8),
    ("hundred percent", Says::Yes, 0.8),
    ("im down", Says::Yes, 0.85),
    ("i am down", Says::Yes, 0.85),
    ("down for it", Says::Yes, 0.85),
    ("orale", Says::Yes, 0.8),
    ("fs", Says::Yes, 0.7),
    ("perfect", Says::Yes, 0.75),
    ("great", Says::Yes, 0.7),
    ("esta bien", Says::Yes, 0.85),
    ("de acuerdo", Says::Yes, 0.9),
    ("sale", Says::Yes, 0.7),
    ("ok", Says::Yes, 0.85),
    ("okay", Says::Yes, 0.85),
    ("okey", Says::Yes, 0.85),
    ("absolutely", Says::Yes, 0.95),
    ("definitely", Says::Yes, 0.95),
    ("certainly", Says::Yes, 0.95),
    ("totally", Says::Yes, 0.9),
    ("correct", Says::Yes, 0.9),
    ("affirmative", Says::Yes, 0.9),
    ("yessir", Says::Yes, 0.95),
    ("mhm", Says::Yes, 0.8),
    ("probably", Says::Yes, 0.6),
    ("si", Says::Yes, 0.95),
    ("sip", Says::Yes, 0.9),
    ("claro", Says::Yes, 0.95),
    ("dale", Says::Yes, 0.9),
    ("simon", Says::Yes, 0.85),
    ("seguro", Says::Yes, 0.9),
    ("bueno", Says::Yes, 0.7),
    ("va", Says::Yes, 0.7),
];

/// Ways of being reached: a "no" about one of them is a condition on how, not a refusal.
const HOW: &[&str] = &[
    "call",
    "calls",
    "calling",
    "phone",
    "email",
    "emails",
    "mail",
    "voicemail",
    "spam",
    "salesman",
    "salesmen",
    "salespeople",
    "pressure",
    "check",
    "llamen",
    "llamadas",
    "llamar",
];
/// Words that open a question: a reply that is one asks back, and answers nothing.
const ASKING: &[&str] = &[
    "can", "could", "what", "whats", "how", "is", "do", "does", "will", "would", "when", "where", "who", "which",
    "puedo", "cuanto", "que", "como",
];

/// Replies of one letter that are an answer only when they are the whole reply.
const ALONE: &[(&str, Says, f64)] = &[
    ("y", Says::Yes, 0.85),
    ("k", Says::Yes, 0.8),
    ("n", Says::No, 0.85),
    ("negative", Says::No, 0.9),
    ("net", Says::No, 0.8),
    ("oo", Says::Yes, 0.8),
    ("co", Says::Yes, 0.8),
    ("please", Says::Yes, 0.7),
];

const YES_EMOJI: &[char] = &['👍', '👌', '✅', '🙌', '💯', '🤙', '✔'];
const NO_EMOJI: &[char] = &['👎', '❌', '🚫', '🙅'];

/// Yes (`true`) or no (`false`), if the reply says one and not the other.
pub fn read_yes_no(text: &str) -> Option<Parsed<bool>> {
    // an iPhone reaction to the question: 'Liked "would you like..."'
    let reaction = |word: &str| {
        text.trim_start()
            .strip_prefix(word)
            .is_some_and(|rest| rest.trim_start().starts_with(['"', '\u{201c}']))
    };
    if reaction("Liked") || reaction("Loved") {
        return Some(Parsed::new(true, 0.8));
    }
    if reaction("Disliked") {
        return Some(Parsed::new(false, 0.8));
    }
    if ["Emphasized", "Laughed at", "Questioned"].iter().any(|w| reaction(w)) {
        return None;
    }
    let tokens: Vec<Token> = tokens(text)
        .into_iter()
        .map(|t| match t {
            Token::Word(w) => Token::Word(squeeze(&w)),
            t => t,
        })
        .collect();
    // "10-4": radio talk for yes
    let tokens: Vec<Token> = match tokens.as_slice() {
        [Token::Number(a), Token::Mark('-'), Token::Number(b)] if a.value == 10.0 && b.value == 4.0 => {
            vec![Token::Word("roger".to_string())]
        }
        _ => tokens,
    };
    // "100%", "100 percent": a yes said as a figure
    let tokens: Vec<Token> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match (t, tokens.get(i + 1)) {
            (Token::Number(n), Some(Token::Mark('%'))) if n.value == 100.0 => {
                Some(Token::Word("percent100".to_string()))
            }
            (Token::Mark('%'), _) if i > 0 && matches!(tokens[i - 1], Token::Number(n) if n.value == 100.0) => None,
            _ => Some(t.clone()),
        })
        .collect();

    let words: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    // "Can I do it next month instead?": a question back
    let asks = words.first().is_some_and(|w| ASKING.contains(w)) && text.trim_end().ends_with('?');
    if asks {
        return None;
    }
    let mut heard: Vec<(Says, f64)> = Vec::new();
    // "por favor", "please": alone, a yes please
    if matches!(words.as_slice(), ["por", "favor"] | ["porfa"] | ["tanpri"]) {
        heard.push((Says::Yes, 0.7));
    }
    if let [only] = words.as_slice() {
        if let Some((_, says, c)) = ALONE.iter().find(|(w, _, _)| w == only) {
            heard.push((*says, *c));
        }
    }
    let mut i = 0;
    let mut read_to = 0;
    let mut last_yes = false;
    while i < tokens.len() {
        let longest = PHRASES
            .iter()
            .filter(|(p, _, _)| phrase_at(&tokens, i, p))
            .max_by_key(|(p, _, _)| p.split(' ').count());
        match longest {
            Some((p, says, c)) => {
                // "not great", "not really interested": "not" one or two words before
                // (in the same clause, and not the "not" of a phrase already read: "why not,
                // send it over")
                let negated_before = (i.saturating_sub(2).max(if last_yes { read_to } else { 0 })..i)
                    .any(|j| word(&tokens, j) == Some("not") && (j + 1..i).all(|k| word(&tokens, k).is_some()));
                i += p.split(' ').count();
                read_to = i;
                last_yes = *says == Says::Yes;
                // "no phone calls please", "don't call me at work", "I don't check email":
                // a condition on how, not a refusal
                let about_how = (i..i + 3).any(|j| word(&tokens, j).is_some_and(|w| HOW.contains(&w)));
                if *says == Says::No && about_how {
                    continue;
                }
                // a yes word turned round: "definitely not", "of course not", "not great"
                if *says == Says::Yes && negated_before {
                    heard.push((Says::No, *c));
                } else if *says == Says::Yes && word(&tokens, i) == Some("not") {
                    heard.push((Says::No, *c));
                    i += 1;
                } else {
                    heard.push((*says, *c));
                }
            }
            None => i += 1,
        }
    }
    if heard.is_empty() {
        if let [only] = words.as_slice() {
            if let Some(says) = misspelt(only) {
                heard.push((says, 0.6));
            }
        }
    }
    let raw = fold(text);
    if raw.chars().any(|c| YES_EMOJI.contains(&c)) {
        heard.push((Says::Yes, 0.85));
    }
    if raw.chars().any(|c| NO_EMOJI.contains(&c)) {
        heard.push((Says::No, 0.85));
    }
    let yes = heard
        .iter()
        .filter(|(s, _)| *s == Says::Yes)
        .map(|(_, c)| *c)
        .fold(None, max);
    let no = heard
        .iter()
        .filter(|(s, _)| *s == Says::No)
        .map(|(_, c)| *c)
        .fold(None, max);
    let unsure = heard.iter().any(|(s, _)| *s == Says::Unsure);
    let (value, mut confidence) = match (yes, no) {
        (Some(c), None) => (true, c),
        (None, Some(c)) => (false, c),
        // "Yes! Ranch truck has 240k on it so don't laugh": a plain yes first, and only a
        // weak "no" word after it
        (Some(y), Some(n)) if y >= 0.9 && n <= 0.75 && heard.first().is_some_and(|(s, _)| *s == Says::Yes) => {
            (true, 0.6)
        }
        // "Yes, but I'm keeping it, just curious what it's worth": a plain yes, then a "but"
        (Some(_), Some(_)) => {
            let folded = fold(text);
            let head = folded.split_once(" but ").map(|(h, _)| h.trim_end_matches([',', ' ']));
            return head
                .and_then(read_yes_no)
                .filter(|p| p.value && p.confidence >= 0.9)
                .map(|_| Parsed::new(true, 0.6));
        }
        _ => return None,
    };
    if unsure {
        confidence = confidence.min(0.5);
    }
    if tokens.contains(&Token::Mark('?')) {
        confidence -= 0.2;
    }
    Some(Parsed::new(value, confidence))
}

/// Words a one-word reply may be a slip of the thumb for ("yez", "yse", "nop"), and real
/// words that are one slip from them but mean something else.
const SLIPS: &[(&str, Says)] = &[
    ("yes", Says::Yes),
    ("yeah", Says::Yes),
    ("yep", Says::Yes),
    ("yup", Says::Yes),
    ("sure", Says::Yes),
    ("okay", Says::Yes),
    ("nope", Says::No),
    ("nah", Says::No),
];
const REAL_WORDS: &[&str] = &["yet", "yea", "yo", "you", "use", "yes", "no", "now", "not", "say"];

/// What a one-word reply one slip away from a yes or no word says (a letter wrong,
/// missing, extra, or two swapped), if it is not a word of its own.
fn misspelt(word: &str) -> Option<Says> {
    if word.chars().count() < 3 || REAL_WORDS.contains(&word) {
        return None;
    }
    let says: Vec<Says> = SLIPS
        .iter()
        .filter(|(w, _)| one_slip(word, w))
        .map(|(_, s)| *s)
        .collect();
    match says.as_slice() {
        [first, rest @ ..] if rest.iter().all(|s| s == first) => Some(*first),
        _ => None,
    }
}

/// Whether `a` and `b` differ by one edit (optimal string alignment distance 1).
fn one_slip(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()] == 1
}

fn max(acc: Option<f64>, c: f64) -> Option<f64> {
    Some(acc.map_or(c, |a| a.max(c)))
}

/// Letters repeated for emphasis, squeezed to the word in the table: "yesss" → "yess"
/// → "yes" is found by trying the word with each run cut to one letter.
fn squeeze(word: &str) -> String {
    let known = |w: &str| PHRASES.iter().chain(ALONE).any(|(p, _, _)| *p == w);
    if known(word) {
        return word.to_string();
    }
    let mut out = String::new();
    for c in word.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    if known(&out) {
        out
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_or_a_guess_needs_review() {
        assert!(read_yes_no("i guess").unwrap().needs_review());
        assert!(!read_yes_no("yes").unwrap().needs_review());
        assert_eq!(read_yes_no("yes but how much?").map(|p| p.value), Some(true));
        assert_eq!(read_yes_no("yes no"), None);
        assert_eq!(read_yes_no("definitely not").map(|p| p.value), Some(false));
        assert!(read_yes_no("yse").unwrap().value);
        assert_eq!(read_yes_no("yet"), None);
        assert_eq!(read_yes_no("not great").map(|p| p.value), Some(false));
        assert_eq!(read_yes_no("not really interested").map(|p| p.value), Some(false));
        assert_eq!(read_yes_no("I don't mind").map(|p| p.value), Some(true));
        assert_eq!(read_yes_no("ofc").map(|p| p.value), Some(true));
        // the offer's own terms said back refuse nothing
        assert_eq!(read_yes_no("Sure, no obligation right?").map(|p| p.value), Some(true));
        assert_eq!(read_yes_no("No problem, yes go ahead").map(|p| p.value), Some(true));
        assert_eq!(read_yes_no("no thanks").map(|p| p.value), Some(false));
    }
}
