//! One of the choices a question offered. Vehicle kinds are matched by meaning: a model
//! the customer names is looked up in a small table of common models and their body type
//! ("another f-150" is a Truck, "crv" an SUV, "camry" a Sedan). Other choices are matched
//! by their words ("mostly commuting" is Commute, "mornings" is Morning), with a few common
//! Spanish words ("mañana", "tarde", "noche"). A choice said with "no"/"not" before it is
//! left out; two different choices, or none, are no answer.

use super::text::fold;
use super::Parsed;

/// Kinds of vehicle, with the words that name each kind and the models that are one.
const KINDS: &[(&str, &[&str])] = &[
    ("truck", TRUCKS),
    ("suv", SUVS),
    ("sedan", SEDANS),
    ("minivan", MINIVANS),
    ("coupe", COUPES),
    ("electric", ELECTRIC),
    ("hybrid", HYBRID),
    ("gas", GAS),
];
#[rustfmt::skip]
const TRUCKS: &[&str] = &[
    "truck", "trucks", "pickup", "pickups", "troca", "trocas", "f150", "f250", "f350",
    "silverado", "sierra", "ram", "tacoma", "tundra", "ranger", "colorado", "canyon", "frontier",
    "titan", "ridgeline", "gladiator", "maverick", "lobo", "cheyenne", "bed", "tow", "towing",
    "1500", "2500", "3500", "2500hd", "3500hd", "hd", "superduty", "dually", "haul", "hauling",
    "trailer",
];
#[rustfmt::skip]
const SUVS: &[&str] = &[
    "suv", "suvs", "crossover", "crossovers", "crv", "rav4", "cx5", "cx50", "cx9", "cx90", "cx30",
    "hrv", "4runner", "tahoe", "suburban", "yukon", "explorer", "expedition", "escape", "edge",
    "bronco", "highlander", "pilot", "passport", "equinox", "traverse", "blazer", "trailblazer",
    "trax", "rogue", "pathfinder", "murano", "kicks", "tucson", "santafe", "palisade", "kona",
    "sorento", "sportage", "telluride", "seltos", "wrangler", "jeep", "cherokee",
    "grandcherokee", "durango", "forester", "outback", "ascent", "crosstrek", "atlas", "tiguan",
    "enclave", "escalade", "rdx", "mdx", "x3", "x5", "q5", "q7", "sequoia", "armada", "acadia",
    "terrain", "compass", "venza",
];
#[rustfmt::skip]
const SEDANS: &[&str] = &[
    "sedan", "sedans", "camry", "corolla", "accord", "civic", "altima", "sentra", "maxima",
    "malibu", "impala", "fusion", "elantra", "sonata", "jetta", "passat", "mazda3", "mazda6",
    "charger", "avalon", "k5", "optima", "forte", "legacy", "impreza", "versa",
];
#[rustfmt::skip]
const MINIVANS: &[&str] = &[
    "minivan", "minivans", "van", "vans", "odyssey", "sienna", "pacifica", "carnival", "caravan",
    "sedona", "transit",
    "quest",
];
const COUPES: &[&str] = &["coupe", "mustang", "camaro", "corvette", "challenger", "brz", "miata"];
const ELECTRIC: &[&str] = &["electric", "ev", "evs", "tesla", "bolt", "leaf", "ioniq", "electrico"];
const HYBRID: &[&str] = &["hybrid", "hybrids", "prius", "phev", "hibrido"];
const GAS: &[&str] = &["gas", "gasoline", "gasolina", "petrol"];

/// Common words for other choices, Spanish and plain synonyms, to the choice's word.
#[rustfmt::skip]
const SYNONYMS: &[(&str, &str)] = &[
    ("manana", "morning"), ("mananas", "morning"), ("am", "morning"), ("tarde", "afternoon"),
    ("tardes", "afternoon"), ("noche", "evening"), ("noches", "evening"), ("night", "evening"),
    ("nights", "evening"), ("tonight", "evening"), ("trabajo", "work"), ("familia", "family"),
    ("txt", "text"), ("mensaje", "text"), ("mensajes", "text"), ("llamada", "call"),
    ("llamame", "call"), ("gmail", "email"), ("mail", "email"), ("correo", "email"), ("kids", "family"),
    ("wife", "family"), ("business", "work"),
];

/// Words too common to match a choice by.
const STOP: &[&str] = &["the", "and", "for", "with", "other", "one", "use", "not"];
const NEGATIONS: &[&str] = &["not", "no", "ni", "dont", "nothing", "never", "except", "excepto"];
/// Choice names that are a kind without starting with its name.
const GENERIC: &[&str] = &["pickup", "pickuptruck", "crossover", "van", "ev", "gasoline"];
const ORDINALS: &[&str] = &["first", "second", "third", "fourth", "fifth"];

/// The words of a text, lower case and accents folded, hyphens and spaces inside a model
/// name joined ("f-150", "cr v", "santa fe" are also seen as "f150", "crv", "santafe").
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
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
    KINDS.iter().find(|(_, names)| names.contains(&word)).map(|(k, _)| *k)
}

/// Clock times said as a part of the day: "10am" → morning, "2pm" / "2 pm" → afternoon,
/// "7pm" → evening (5 pm on), so a time answers a Morning/Afternoon/Evening question.
fn part_of_day(mut reply: Vec<String>) -> Vec<String> {
    for i in 0..reply.len() {
        let w = reply[i].as_str();
        let (digits, half) = match (w.strip_suffix("am"), w.strip_suffix("pm")) {
            (Some(d), _) => (d.to_string(), "am"),
            (_, Some(d)) => (d.to_string(), "pm"),
            _ => match reply.get(i + 1).map(String::as_str) {
                Some(h @ ("am" | "pm")) => (w.to_string(), h),
                _ => continue,
            },
        };
        let Ok(hour) = digits.parse::<u32>() else { continue };
        let part = match (half, hour) {
            (_, 0 | 13..) | ("am", 12) => continue,
            ("am", _) => "morning",
            (_, 12 | 1..=4) => "afternoon",
            _ => "evening",
        };
        reply[i] = part.to_string();
    }
    reply
}

/// The choice (as given) the reply picks, if it picks exactly one.
pub fn read_choice(text: &str, choices: &[&str]) -> Option<Parsed<String>> {
    let reply = part_of_day(words(text));
    // each choice: its vehicle kind, if it is one, and its stems
    let wanted: Vec<(Option<&str>, Vec<String>)> = choices
        .iter()
        .map(|c| {
            let ws = words(c);
            let joined: String = ws.concat();
            // a choice is a kind when it names one ("SUV", "Pickup"), not when it is a model
            let kind = kind_of(&joined).filter(|k| joined.starts_with(k) || GENERIC.contains(&joined.as_str()));
            let stems = ws
                .iter()
                .filter(|w| w.len() >= 3 && !STOP.contains(&w.as_str()))
                .map(|w| stem(w).to_string())
                .collect();
            (kind, stems)
        })
        .collect();
    let mut picked: Vec<(usize, f64)> = Vec::new();
    let mut refused: Vec<usize> = Vec::new();
    let n = reply.len();
    for i in 0..n {
        // one word, or two or three joined ("f 150", "cr v", "santa fe", "grand cherokee")
        for span in 1..=3.min(n - i) {
            let joined: String = reply[i..i + span].concat();
            let single = reply[i].as_str();
            let word = if span == 1 {
                SYNONYMS.iter().find(|(s, _)| *s == single).map_or(single, |(_, w)| *w)
            } else {
                joined.as_str()
            };
            let kind = kind_of(word);
            for (k, (choice_kind, stems)) in wanted.iter().enumerate() {
                let by_kind = kind.is_some() && *choice_kind == kind;
                let by_word = span == 1 && word.len() >= 2 && stems.iter().any(|s| s == stem(word));
                if !(by_kind || by_word) {
                    continue;
                }
                let near = &reply[i.saturating_sub(3)..i];
                // "not a truck", "no sedan", "anything but a sedan", "except an suv"
                let negated = reply[i.saturating_sub(2)..i]
                    .iter()
                    .any(|w| NEGATIONS.contains(&w.as_str()))
                    || near
                        .windows(2)
                        .any(|p| matches!(p[0].as_str(), "anything" | "everything" | "all") && p[1] == "but");
                if negated {
                    refused.push(k);
                } else {
                    let sure = if by_word { 0.95 } else { 0.85 };
                    picked.push((k, sure));
                }
            }
        }
    }
    picked.retain(|(k, _)| !refused.contains(k));
    let mut distinct: Vec<usize> = picked.iter().map(|(k, _)| *k).collect();
    distinct.sort_unstable();
    distinct.dedup();
    match distinct.as_slice() {
        [k] => {
            let sure = picked
                .iter()
                .filter(|(p, _)| p == k)
                .map(|(_, s)| *s)
                .fold(0.0, f64::max);
            Some(Parsed::new(choices[*k].to_string(), sure))
        }
        [] if refused.is_empty() => by_position(&reply, choices),
        _ => None,
    }
}

/// "2", "#2", "the first one", "option 3": the choice at that place in the list.
fn by_position(reply: &[String], choices: &[&str]) -> Option<Parsed<String>> {
    let meaningful: Vec<&str> = reply
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "the" | "one" | "option" | "number" | "el" | "la" | "opcion"))
        .collect();
    let [only] = meaningful.as_slice() else { return None };
    let place = match only.parse::<usize>() {
        Ok(n) => n,
        Err(_) => ORDINALS
            .iter()
            .position(|o| o == only)
            .map(|p| p + 1)
            .or_else(|| (*only == "last").then_some(choices.len()))?,
    };
    let choice = choices.get(place.checked_sub(1)?)?;
    Some(Parsed::new(choice.to_string(), 0.7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_words() {
        let vehicles = ["Truck", "SUV", "Sedan"];
        let read = |t: &str| read_choice(t, &vehicles).map(|p| p.value);
        assert_eq!(read("another f-150").as_deref(), Some("Truck"));
        assert_eq!(read("crv").as_deref(), Some("SUV"));
        assert_eq!(read("camry").as_deref(), Some("Sedan"));
        assert_eq!(read("truck or suv"), None);
        assert_eq!(read("no truck, an suv").as_deref(), Some("SUV"));
        assert_eq!(read("3").as_deref(), Some("Sedan"));
        let uses = ["Commute", "Family", "Work", "Weekend fun"];
        assert_eq!(
            read_choice("mostly commuting", &uses).map(|p| p.value).as_deref(),
            Some("Commute")
        );
    }
}
