//! One of the choices a question offered, read from a free-text reply.
//!
//! - Amounts: when every choice is one ("Under $300", "$300-$500", "1".."5", "3 rows"), the
//!   amount the reply says picks the choice it falls in ([`amounts`]).
//! - Vehicle kinds by meaning: a model the customer names is looked up in a table of common
//!   models and their kind ("another f-150" is a Truck, "crv" an SUV, "camry" a Sedan).
//! - Words: a choice's own words ("mostly commuting" is Commute), and groups of words and
//!   phrases that mean one choice ([`lexicon::CONCEPTS`]: "after work" is Evening, "my wife"
//!   is My spouse, "sat" is Saturday or Weekend), clock times as parts of the day ([`time`]).
//! - A choice said with a negation before it is refused ("don't call, text" is Text); a
//!   choice that is itself a refusal ("No reminders", "Not now") is picked by one.
//! - Two choices: the one said as the main one ("mostly commuting, some weekend trips"), or
//!   the one whose words the reply says more of ("weekday evening" over "Weekday morning");
//!   otherwise no answer.
//! - Then, when no word matched: a misspelt word read as the known word one letter away
//!   ("comuting"), a plain yes or no for a yes/no pair of choices, and a place in the list
//!   ("2", "the first one", "b").

mod amounts;
mod lexicon;
mod resolve;
mod scales;
mod time;

use super::text::fold;
use super::{read_yes_no, Parsed};
use lexicon::{ASIDES, CONCEPTS, GENERIC, KINDS, LETTERS, NEGATIONS, ORDINALS, SHORT, STOP};

/// Where a clause ends among the reply's words: a comma, a full stop, a dash.
const BREAK: &str = "|";
/// Words that start a choice that is a refusal ("No reminders", "Not now").
const REFUSALS: &[&str] = &["no", "none", "not", "never", "nope", "dont", "nah", "nada", "ninguno"];
/// Words that start a choice that is an acceptance ("Yes, book me", "Sure").
const ACCEPTANCES: &[&str] = &["yes", "si", "sure", "yeah", "ok", "okay", "book"];

/// The words of a text, lower case and accents folded, with a [`BREAK`] where a clause
/// ends; "a.m." is "am".
fn words(text: &str) -> Vec<String> {
    let folded: Vec<char> = fold(text)
        .replace(['🔥', '💯', '😍', '🤩', '⭐', '🌟'], " great ")
        .replace(['👎', '😡', '🤬', '💩'], " poor ")
        .replace('\'', "")
        .replace("a.m.", " am ")
        .replace("p.m.", " pm ")
        .chars()
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, c) in folded.iter().enumerate() {
        if c.is_alphanumeric() {
            current.push(*c);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        let digit = |k: Option<usize>| k.and_then(|k| folded.get(k)).is_some_and(char::is_ascii_digit);
        let decimal = *c == '.' && digit(i.checked_sub(1)) && digit(Some(i + 1));
        let ends = matches!(c, ',' | '.' | ';' | '!' | '?' | '(' | ')' | '\n') && !decimal;
        if ends && out.last().is_some_and(|w| w != BREAK) {
            out.push(BREAK.to_string());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    if out.last().is_some_and(|w| w == BREAK) {
        out.pop();
    }
    // a bare "mañana" is tomorrow; "la mañana", "en la mañana", "mañanas" the morning
    for k in 0..out.len() {
        let article = k > 0 && matches!(out[k - 1].as_str(), "la" | "las" | "por" | "en" | "de" | "the" | "in");
        if out[k] == "manana" && !article {
            out[k] = "tomorrow".to_string();
        }
    }
    out
}

/// A word cut to its stem: "commuting" and "commute" → "commut", "mornings" → "morning".
fn stem(word: &str) -> &str {
    let w = match word.strip_suffix('s') {
        Some(w) if w.len() >= 3 && !w.ends_with('s') => w,
        _ => word,
    };
    let w = w.strip_suffix("ing").filter(|s| s.len() >= 4).unwrap_or(w);
    w.strip_suffix('e').filter(|s| s.len() >= 4).unwrap_or(w)
}

/// Whether a word is a vehicle model or kind in the table ("ram", "silverado", "suv").
pub(super) fn is_model_word(word: &str) -> bool {
    kind_of(word).is_some()
}

fn kind_of(word: &str) -> Option<&'static str> {
    kinds_of(word).next()
}

/// Every kind a word names: a "model y" is an SUV and electric.
fn kinds_of(word: &str) -> impl Iterator<Item = &'static str> + '_ {
    KINDS
        .iter()
        .filter(move |(_, names)| names.contains(&word))
        .map(|(k, _)| *k)
}

/// One offered choice as the reader matches it.
struct Wanted {
    /// The vehicle kind it names, if it is one.
    kind: Option<&'static str>,
    stems: Vec<String>,
    /// Its words joined, when it has more than one ("oneton").
    alias: Option<String>,
    /// A refusal itself ("No reminders"): a negated mention picks it, a plain one does not.
    refusal: bool,
    acceptance: bool,
}

fn wanted(choices: &[&str]) -> Vec<Wanted> {
    choices
        .iter()
        .map(|c| {
            let ws: Vec<String> = words(c).into_iter().filter(|w| w != BREAK).collect();
            let joined: String = ws.concat();
            // a choice is a kind when it names one ("SUV", "Pickup"), not when it is a model
            let kind = kind_of(&joined)
                .filter(|k| joined.starts_with(k) || GENERIC.contains(&joined.as_str()))
                .or_else(|| matches!(joined.as_str(), "car" | "cars" | "carro" | "auto").then_some("sedan"));
            let first = ws.first().map(String::as_str).unwrap_or("");
            let refusal = REFUSALS.contains(&first);
            let stems = ws
                .iter()
                .filter(|w| (w.len() >= 3 || SHORT.contains(&w.as_str())) && !STOP.contains(&w.as_str()))
                .filter(|w| !(refusal && REFUSALS.contains(&w.as_str())))
                .map(|w| stem(w).to_string())
                .collect();
            // "One ton" is also "oneton", so a group can name it though "one" is too common
            let alias = (ws.len() > 1).then_some(joined);
            Wanted {
                kind,
                stems,
                alias,
                refusal,
                acceptance: ACCEPTANCES.contains(&first),
            }
        })
        .collect()
}

/// The choices (by place) that a reply's word or phrase means through [`CONCEPTS`]: those
/// whose own words are in the first group with it that names an offered choice.
fn concept_choices(said: &str, wanted: &[Wanted]) -> Vec<usize> {
    let names = |g: &[&str], k: usize| {
        g.iter().any(|m| {
            !m.contains(' ') && (wanted[k].stems.iter().any(|s| s == stem(m)) || wanted[k].alias.as_deref() == Some(*m))
        })
    };
    // a choice's own group is the first that names it: "years old" (Used) does not pick
    // "Certified Pre-Owned", whose own group is the certified one
    // (each of its words has one: "Friend or family" is at home in both groups)
    let homes = |k: usize| -> Vec<usize> {
        wanted[k]
            .stems
            .iter()
            .filter_map(|s| {
                CONCEPTS
                    .iter()
                    .position(|g| g.iter().any(|m| !m.contains(' ') && stem(m) == s))
            })
            .collect()
    };
    for (at, group) in CONCEPTS.iter().enumerate().filter(|(_, g)| g.contains(&said)) {
        let out: Vec<usize> = (0..wanted.len())
            .filter(|k| {
                names(group, *k) && {
                    let h = homes(*k);
                    h.is_empty() || h.contains(&at)
                }
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    Vec::new()
}

/// A word one letter off a known word ("comuting", "evning", "afternon"): the known word,
/// when exactly one is that close and it starts with the same letter.
fn spelt_as(word: &str, wanted: &[Wanted]) -> Option<String> {
    if word.len() < 5 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let known = CONCEPTS
        .iter()
        .flat_map(|g| g.iter().copied())
        .chain(KINDS.iter().flat_map(|(_, names)| names.iter().copied()))
        .filter(|m| m.len() >= 5 && !m.contains(' '))
        .map(str::to_string)
        .chain(
            wanted
                .iter()
                .flat_map(|w| w.stems.iter().filter(|s| s.len() >= 5).cloned()),
        );
    let mut near: Vec<String> = known
        .filter(|m| m.as_bytes()[0] == word.as_bytes()[0] && one_edit(word, m))
        .collect();
    near.sort();
    near.dedup();
    match near.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// Whether two words are one insertion, deletion, change or swap of neighbours apart.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let same_start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[same_start..], &b[same_start..]);
    let tail = |x: &[char], y: &[char]| x == y;
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            tail(&ra[1..], &rb[1..]) || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && tail(&ra[2..], &rb[2..]))
        }
        std::cmp::Ordering::Less => tail(ra, &rb[1..]),
        std::cmp::Ordering::Greater => tail(&ra[1..], rb),
    }
}

/// What the reply's words said of the choices.
#[derive(Default)]
struct Seen {
    /// (choice, word position, how sure)
    picks: Vec<(usize, usize, f64)>,
    refused: Vec<usize>,
}

/// "no sedan", "not a truck", "don't ever call", "anything but a sedan": whether the word at
/// `i` is refused, by a negation just before it or one filler word before.
fn negated_at(reply: &[String], i: usize, end: usize) -> bool {
    let word = |k: usize| i.checked_sub(k).map(|p| reply[p].as_str());
    let negation = |w: Option<&str>| w.is_some_and(|w| NEGATIONS.contains(&w));
    #[rustfmt::skip]
    const FILLERS: &[&str] = &[
        "a", "an", "the", "any", "ever", "by", "via", "un", "una", "el", "la", "por", "me",
        "really", "read", "check", "want", "need", "like", "paying", "pay", "buying", "getting",
        "answer", "my", "more", "send", "do", "use", "to", "with",
    ];
    let next = |k: usize| reply.get(end - 1 + k).map(String::as_str);
    // "monday no, friday yes", "plug in? no.": a refusal right after, ending the clause
    let refusal = |k: usize| matches!(next(k), Some("no" | "nope" | "not" | "nah"));
    let refused_after = (refusal(1) && matches!(next(2), None | Some(BREAK)))
        || (next(1) == Some(BREAK) && refusal(2) && matches!(next(3), None | Some(BREAK)));
    // "evenings im slammed", "i work weekends": said as when they are busy
    let busy = |w: Option<&str>| matches!(w, Some("busy" | "slammed" | "swamped" | "working"));
    let works = word(1) == Some("work") && matches!(word(2), Some("i" | "im" | "we" | "u"));
    // "no way to charge", "no place to plug in"
    let no_way = word(3) == Some("no") && matches!(word(2), Some("way" | "place" | "where")) && word(1) == Some("to");
    no_way
        || negation(word(1))
        || (negation(word(2)) && word(1).is_some_and(|w| FILLERS.contains(&w)))
        || reply[i.saturating_sub(4)..i].windows(2).any(|p| {
            matches!(
                p[0].as_str(),
                "anything" | "everything" | "all" | "any" | "anytime" | "whatever"
            ) && matches!(p[1].as_str(), "but" | "except")
        })
        || reply[i.saturating_sub(4)..i]
            .windows(3)
            .any(|p| matches!(p[0].as_str(), "any" | "all") && matches!(p[2].as_str(), "but" | "except"))
        || refused_after
        || busy(word(1))
        || busy(next(1))
        || (matches!(next(1), Some("im" | "i" | "were" | "am")) && busy(next(2)))
        || works
}

/// Reads the reply's words into picks and refusals.
fn read_words(reply: &[String], wanted: &[Wanted], seen: &mut Seen) {
    let n = reply.len();
    let mut note = |k: usize, i: usize, end: usize, sure: f64| match (negated_at(reply, i, end), wanted[k].refusal) {
        (true, true) | (false, false) => seen.picks.push((k, i, sure)),
        (true, false) => seen.refused.push(k),
        (false, true) => {}
    };
    // phrases of two or more words that mean a choice ("after work", "job sites") take
    // their words: "drive to work" is Commute, not also Work
    let mut covered = vec![false; n];
    for i in 0..n {
        for span in (1..=3.min(n - i)).rev() {
            if ASIDES.contains(&reply[i..i + span].join(" ").as_str()) {
                covered[i..i + span].fill(true);
            }
        }
    }
    for i in 0..n {
        for span in (2..=5.min(n - i)).rev() {
            if covered[i..i + span].contains(&true) || reply[i..i + span].iter().any(|w| w == BREAK) {
                continue;
            }
            // "late afternoons" is "late afternoon"
            let phrase = reply[i..i + span].join(" ");
            let mut meant = concept_choices(&phrase, wanted);
            if meant.is_empty() && phrase.ends_with('s') {
                meant = concept_choices(&phrase[..phrase.len() - 1], wanted);
            }
            if !meant.is_empty() {
                covered[i..i + span].fill(true);
                for k in meant {
                    note(k, i, i + span, 0.9);
                }
            }
        }
    }
    for i in 0..n {
        // one word, or two or three joined ("f 150", "cr v", "santa fe", "grand cherokee")
        for span in (1..=3.min(n - i)).rev() {
            if reply[i..i + span].iter().any(|w| w == BREAK) || (span > 1 && covered[i..i + span].contains(&true)) {
                continue;
            }
            let joined: String = reply[i..i + span].concat();
            // "noonish", "lateish": the word, when it is one the reader knows ("english" and
            // "spanish" stay whole)
            let word = joined.trim_end_matches("ish");
            let known = |w: &str| kind_of(w).is_some() || CONCEPTS.iter().any(|g| g.contains(&w));
            let word = if word.len() >= 3 && word != joined && known(word) {
                word
            } else {
                joined.as_str()
            };
            // the most specific kind an offered choice is: a "rav4 prime" is a Plug-in hybrid
            // when that is offered, a Hybrid when it is not
            let offered: Vec<&str> = kinds_of(word)
                .filter(|k| wanted.iter().any(|c| c.kind == Some(k)))
                .collect();
            let kinds: Vec<&str> = if offered.contains(&"phev") {
                vec!["phev"]
            } else {
                offered
            };
            let any_kind = kinds_of(word).next().is_some();
            let meant = if !covered[i] {
                concept_choices(word, wanted)
            } else {
                Vec::new()
            };
            if span > 1 && (any_kind || !meant.is_empty()) {
                covered[i..i + span].fill(true);
            }
            for (k, choice) in wanted.iter().enumerate() {
                let by_kind = choice.kind.is_some_and(|c| kinds.contains(&c)) && (span > 1 || !covered[i]);
                let by_word =
                    span == 1 && !covered[i] && word.len() >= 2 && choice.stems.iter().any(|s| s == stem(word));
                if by_kind || by_word {
                    note(k, i, i + span, if by_word { 0.95 } else { 0.85 });
                } else if meant.contains(&k) {
                    note(k, i, i + span, 0.9);
                }
            }
        }
    }
}

/// The choice (as given) the reply picks, if it picks exactly one.
pub fn read_choice(text: &str, choices: &[&str]) -> Option<Parsed<String>> {
    if let Some(found) = amounts::pick(text, choices) {
        return found;
    }
    if let Some(found) = scales::pick(text, choices) {
        return Some(found);
    }
    let reply = time::part_of_day(words(text));
    let wanted = wanted(choices);
    let mut seen = Seen::default();
    read_words(&reply, &wanted, &mut seen);
    if seen.picks.is_empty() && seen.refused.is_empty() {
        // misspelt words, read as the known word one letter away
        let spelt: Vec<String> = reply
            .iter()
            .map(|w| spelt_as(w, &wanted).unwrap_or_else(|| w.clone()))
            .collect();
        if spelt != reply {
            read_words(&spelt, &wanted, &mut seen);
            for p in &mut seen.picks {
                p.2 = p.2.min(0.75);
            }
        }
    }
    let Seen { picks, refused } = seen;
    let picks: Vec<(usize, usize, f64)> = picks.into_iter().filter(|p| !refused.contains(&p.0)).collect();
    let mut distinct: Vec<usize> = picks.iter().map(|p| p.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let sure_of = |k: usize| picks.iter().filter(|p| p.0 == k).map(|p| p.2).fold(0.0, f64::max);
    if asks_back(&reply, text) {
        return None;
    }
    let mut refused_all = refused.clone();
    refused_all.sort_unstable();
    refused_all.dedup();
    match distinct.as_slice() {
        [k] => Some(Parsed::new(choices[*k].to_string(), sure_of(*k))),
        [] if refused.is_empty() => by_yes_no(text, &wanted, choices)
            .or_else(|| by_position(&reply, choices))
            .or_else(|| by_other(&reply, choices)),
        // "not lease", "not great not terrible": every choice but one refused
        [] if refused_all.len() + 1 == choices.len() => {
            let k = (0..choices.len()).find(|k| !refused_all.contains(k))?;
            Some(Parsed::new(choices[k].to_string(), 0.7))
        }
        [] => None,
        _ => {
            let k = resolve::fullest_choice(&picks)
                .or_else(|| resolve::whole_choice(&reply, &wanted, &picks))
                .or_else(|| resolve::main_choice(&reply, &picks))
                .or_else(|| resolve::most_said(&picks))?;
            Some(Parsed::new(choices[k].to_string(), sure_of(k).min(0.75)))
        }
    }
}

/// A reply that asks back ("what do u mean by work?") answers nothing.
fn asks_back(reply: &[String], text: &str) -> bool {
    // "can you bring it out to the ranch?" asks for a choice; "what do you mean by work?"
    // asks back
    const ASKING: &[&str] = &[
        "what", "whats", "which", "how", "why", "do", "does", "is", "are", "should", "que", "cual", "como",
    ];
    let last = reply.iter().rposition(|w| w == BREAK).map_or(0, |p| p + 1);
    // "can i still trade?" asks; "can you bring it out?" and "can we do facetime?" ask for
    let asks_may_i = matches!(reply.get(last).map(String::as_str), Some("can" | "could" | "puedo"))
        && reply.get(last + 1).is_some_and(|w| w == "i");
    if asks_may_i && text.trim_end().ends_with('?') {
        return true;
    }
    text.trim_end().ends_with('?') && reply.get(last).is_some_and(|w| ASKING.contains(&w.as_str()))
}

/// "Other" when it is offered and the reply names something no other choice is ("check
/// engine light on", "got a recall letter"), but not a shrug ("idk", "anything").
fn by_other(reply: &[String], choices: &[&str]) -> Option<Parsed<String>> {
    const OTHER: &[&str] = &["other", "otro", "otra", "something else", "else", "otros"];
    const SHRUGS: &[&str] = &[
        "idk", "know", "sure", "whatever", "any", "anything", "anytime", "both", "all", "either", "depends", "maybe",
        "nada", "no", "nothing", "none", "sabe", "se",
    ];
    let k = choices.iter().position(|c| {
        let ws: Vec<String> = words(c);
        OTHER.contains(&ws.join(" ").as_str()) || ws.last().is_some_and(|w| w == "else")
    })?;
    let content = reply.iter().filter(|w| w.len() >= 3 && *w != BREAK).count();
    let shrug = reply.iter().any(|w| SHRUGS.contains(&w.as_str()));
    (content >= 2 && !shrug).then(|| Parsed::new(choices[k].to_string(), 0.6))
}

/// A plain yes or no, when the choices are an acceptance and a refusal ("Yes, book me" /
/// "Not now"), or when one choice is a refusal and the reply refuses ("nah, I'm good").
fn by_yes_no(text: &str, wanted: &[Wanted], choices: &[&str]) -> Option<Parsed<String>> {
    // "STOP", "none": a refusal of every choice but one that is a refusal
    let stop = matches!(
        words(text).first().map(String::as_str),
        Some("stop" | "none" | "neither" | "ninguno")
    );
    let said = read_yes_no(text).or_else(|| stop.then(|| Parsed::new(false, 0.8)))?;
    let only = |f: fn(&Wanted) -> bool| {
        let found: Vec<usize> = (0..wanted.len()).filter(|k| f(&wanted[*k])).collect();
        match found.as_slice() {
            [k] => Some(*k),
            _ => None,
        }
    };
    // of two choices, one a refusal ("Trading in" / "Not trading in"), the other accepts
    let pair = wanted.len() == 2 && wanted.iter().filter(|w| w.refusal).count() == 1;
    let k = if said.value {
        only(|w| w.acceptance).or_else(|| pair.then(|| only(|w| !w.refusal)).flatten())?
    } else {
        only(|w| w.refusal)?
    };
    Some(Parsed::new(choices[k].to_string(), said.confidence.min(0.8)))
}

/// "2", "#2", "the first one", "option 3", "b": the choice at that place in the list.
fn by_position(reply: &[String], choices: &[&str]) -> Option<Parsed<String>> {
    let meaningful: Vec<&str> = reply
        .iter()
        .map(String::as_str)
        .filter(|w| {
            !matches!(
                *w,
                "the"
                    | "one"
                    | "option"
                    | "number"
                    | "el"
                    | "la"
                    | "opcion"
                    | "letter"
                    | "choice"
                    | "#"
                    | BREAK
                    | "mostly"
                    | "mainly"
                    | "probably"
                    | "prob"
                    | "definitely"
                    | "def"
                    | "just"
                    | "id"
                    | "say"
                    | "pick"
                    | "go"
                    | "with"
                    | "numero"
            )
        })
        .collect();
    let [only] = meaningful.as_slice() else { return None };
    let place = match only.parse::<usize>() {
        Ok(n) => n,
        Err(_) => ORDINALS
            .iter()
            .chain(LETTERS)
            .position(|o| o == only)
            .map(|p| p % ORDINALS.len() + 1)
            .or_else(|| (*only == "last").then_some(choices.len()))
            .or_else(|| (*only == "middle" && choices.len() % 2 == 1).then_some(choices.len() / 2 + 1))
            .or_else(|| {
                let n = only
                    .strip_suffix("st")
                    .or(only.strip_suffix("nd"))
                    .or(only.strip_suffix("rd"))
                    .or(only.strip_suffix("th"))?;
                n.parse().ok()
            })?,
    };
    let choice = choices.get(place.checked_sub(1)?)?;
    Some(Parsed::new(choice.to_string(), 0.7))
}

#[cfg(test)]
mod tests;
