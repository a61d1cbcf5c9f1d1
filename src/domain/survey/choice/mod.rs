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
    "charger", "avalon", "k5", "optima", "forte", "legacy", "impreza", "versa", "4doorcar",
    "fourdoorcar", "littlecar", "smallcar", "compactcar",
];
#[rustfmt::skip]
const MINIVANS: &[&str] = &[
    "minivan", "minivans", "van", "vans", "odyssey", "sienna", "pacifica", "carnival", "caravan",
    "sedona", "transit",
    "quest", "slidingdoor", "slidingdoors",
];
const COUPES: &[&str] = &["coupe", "mustang", "camaro", "corvette", "challenger", "brz", "miata"];
const ELECTRIC: &[&str] = &["electric", "ev", "evs", "tesla", "bolt", "leaf", "ioniq", "electrico"];
const HYBRID: &[&str] = &[
    "hybrid",
    "hybrids",
    "prius",
    "phev",
    "hibrido",
    "halfandhalf",
    "chargesitself",
    "selfcharging",
];
const GAS: &[&str] = &["gas", "gasoline", "gasolina", "petrol"];

/// Words and phrases that mean the same choice, Spanish and plain synonyms: a reply's word
/// or phrase picks every choice whose own word is in the same group ("after work" picks
/// Evening, "job sites" picks Work, "weekend toy" picks Fun or Weekends, "mensaje" Text).
#[rustfmt::skip]
const CONCEPTS: &[&[&str]] = &[
    &["morning", "mornings", "manana", "mananas", "am", "before work", "first thing",
      "early morning", "por la manana", "breakfast", "before noon", "before lunch",
      "antes del mediodia"],
    &["afternoon", "afternoons", "tarde", "tardes", "lunch", "lunchtime", "noon", "midday",
      "mediodia", "lunch break", "por la tarde"],
    &["evening", "evenings", "night", "nights", "tonight", "noche", "noches", "after work",
      "after dinner", "after hours", "after school", "por la noche", "despues del trabajo"],
    &["text", "texts", "texting", "txt", "sms", "message", "mensaje", "mensajes",
      "mensaje de texto", "whatsapp", "right here", "this is fine", "this works", "here is fine",
      "like this", "aqui esta bien", "por aqui"],
    &["call", "calls", "llamada", "llamadas", "llamame", "llamar", "ring", "phone call",
      "ring my cell", "call my cell", "phone me", "give me a call", "voicemail"],
    &["email", "mail", "gmail", "correo", "yahoo", "outlook", "hotmail", "inbox"],
    &["commute", "commuting", "commuter", "office", "back and forth", "to and from",
      "drive to work", "driving to work", "get to work", "to work and back", "work and back",
      "to and from work", "to work", "from work", "to the office", "back and forth to work",
      "to my job", "from my job", "to and from my job", "ir y venir", "ida y vuelta",
      "al trabajo", "del trabajo", "train station", "the station", "park and ride"],
    &["work", "job", "jobs", "jobsite", "jobsites", "job site", "job sites", "tools", "business",
      "contractor", "clients", "deliveries", "chamba", "trabajo", "negocio", "for my job",
      "company", "uber", "lyft", "doordash", "instacart", "rideshare", "realtor", "showing houses",
      "sales calls", "service calls", "on the job", "for my job", "plumber", "electrician",
      "landscaping", "construction", "farm", "ranch", "hay", "feed", "livestock", "cattle",
      "crew", "equipment"],
    &["family", "familia", "kids", "kid", "wife", "husband", "school", "carpool", "hijos", "ninos",
      "esposa", "grandkids", "son", "daughter", "daycare", "soccer", "familiar"],
    &["used", "preowned", "pre owned", "certified", "cpo", "second hand", "secondhand",
      "low miles", "usado", "seminuevo", "not paying new prices", "a year or two old"],
    &["new", "brand new", "nuevo", "nueva", "0 miles", "zero miles", "off the lot", "never been driven",
      "del lote", "0 km"],
    &["buy", "purchase", "own", "finance", "financing", "cash", "comprar", "compra",
      "comprarlo", "buying", "pay it off", "loan"],
    &["lease", "leasing", "arrendar", "renting"],
    &["weekend", "weekends", "fun", "toy", "leisure", "hobby", "camping", "fishing", "lake",
      "beach", "cruising", "joyride", "road trips", "roadtrips", "saturdays", "sundays",
      "fin de semana", "fines de semana", "paseo", "paseos", "pleasure", "off road",
      "offroading"],
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
        .replace('\'', "")
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

/// An hour said without am/pm but as a time ("3ish", "around 3", "after 6", "at 10", "2
/// oclock"): the hours a store is open make it plain, 8-11 morning, 12-4 afternoon, 5-9
/// evening when said with "after" or past 4. A bare "3" is left alone (it may be the third
/// choice).
fn bare_hour(reply: &[String], i: usize) -> Option<&'static str> {
    let w = reply[i].as_str();
    let (digits, cued) = match w.strip_suffix("ish") {
        Some(d) => (d, true),
        None => {
            let before = i.checked_sub(1).map(|p| reply[p].as_str());
            let after = reply.get(i + 1).map(String::as_str);
            let cued = matches!(
                before,
                Some("around" | "at" | "after" | "about" | "like" | "by" | "before")
            ) || matches!(after, Some("ish" | "oclock"));
            (w, cued)
        }
    };
    let hour: u32 = digits.parse().ok().filter(|_| cued)?;
    let after = i > 0 && reply[i - 1] == "after";
    match hour {
        5..=9 if after => Some("evening"),
        8..=11 => Some("morning"),
        12 | 1..=4 => Some("afternoon"),
        5..=7 => Some("evening"),
        _ => None,
    }
}

/// Clock times said as a part of the day: "10am" → morning, "2pm" / "2 pm" → afternoon,
/// "7pm" → evening (5 pm on), so a time answers a Morning/Afternoon/Evening question.
fn part_of_day(reply: Vec<String>) -> Vec<String> {
    // "7:30 am", "7 30pm": the minutes go, the hour keeps its am/pm
    let mut reply: Vec<String> = reply
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            let minutes = *i > 0
                && w.len() >= 2
                && w[..2].chars().all(|c| c.is_ascii_digit())
                && matches!(&w[2..], "" | "am" | "pm")
                && reply[i - 1].chars().all(|c| c.is_ascii_digit());
            !minutes
        })
        .map(|(i, w)| {
            let next = reply.get(i + 1).map(String::as_str).unwrap_or("");
            let minutes_then_half = next.len() == 4 && next[..2].chars().all(|c| c.is_ascii_digit());
            if w.chars().all(|c| c.is_ascii_digit()) && minutes_then_half && matches!(&next[2..], "am" | "pm") {
                format!("{w}{}", &next[2..])
            } else {
                w.clone()
            }
        })
        .collect();
    for i in 0..reply.len() {
        let w = reply[i].as_str();
        let (digits, half) = match (w.strip_suffix("am"), w.strip_suffix("pm")) {
            (Some(d), _) => (d.to_string(), "am"),
            (_, Some(d)) => (d.to_string(), "pm"),
            _ => match reply.get(i + 1).map(String::as_str) {
                Some(h @ ("am" | "pm")) => (w.to_string(), h),
                _ => match bare_hour(&reply, i) {
                    Some(part) => {
                        reply[i] = part.to_string();
                        continue;
                    }
                    None => continue,
                },
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

/// The choices (by place) that a reply's word or phrase means through [`CONCEPTS`]: those
/// whose own words are in a group with it.
fn concept_choices(said: &str, wanted: &[(Option<&str>, Vec<String>)]) -> Vec<usize> {
    let groups = CONCEPTS.iter().filter(|g| g.contains(&said));
    let mut out = Vec::new();
    for group in groups {
        for (k, (_, stems)) in wanted.iter().enumerate() {
            let in_group = group
                .iter()
                .any(|m| !m.contains(' ') && stems.iter().any(|s| s == stem(m)));
            if in_group && !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
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
    // "not a truck", "no sedan", "anything but a sedan", "except an suv"
    let negated_at = |i: usize| {
        let word = |k: usize| i.checked_sub(k).map(|p| reply[p].as_str());
        let negation = |w: Option<&str>| w.is_some_and(|w| NEGATIONS.contains(&w));
        // "no sedan", "not a truck", "don't ever call": a negation just before, or one
        // filler word before ("don't call, text" refuses the call only)
        negation(word(1))
            || (negation(word(2))
                && matches!(
                    word(1),
                    Some(
                        "a" | "an"
                            | "the"
                            | "any"
                            | "ever"
                            | "by"
                            | "via"
                            | "un"
                            | "una"
                            | "el"
                            | "la"
                            | "por"
                            | "me"
                            | "really"
                            | "read"
                            | "check"
                            | "want"
                            | "need"
                            | "like"
                            | "paying"
                            | "pay"
                            | "buying"
                            | "getting"
                            | "answer"
                    )
                ))
            || reply[i.saturating_sub(3)..i]
                .windows(2)
                .any(|p| matches!(p[0].as_str(), "anything" | "everything" | "all") && p[1] == "but")
    };
    let mut note = |k: usize, i: usize, sure: f64| {
        if negated_at(i) {
            refused.push(k);
        } else {
            picked.push((k, sure));
        }
    };
    // phrases of two or more words that mean a choice ("after work", "job sites") take
    // their words: "drive to work" is Commute, not also Work
    let mut covered = vec![false; n];
    for i in 0..n {
        for span in (2..=4.min(n - i)).rev() {
            if covered[i..i + span].contains(&true) {
                continue;
            }
            let phrase = reply[i..i + span].join(" ");
            let meant = concept_choices(&phrase, &wanted);
            if !meant.is_empty() {
                covered[i..i + span].fill(true);
                for k in meant {
                    note(k, i, 0.9);
                }
            }
        }
    }
    for i in 0..n {
        // one word, or two or three joined ("f 150", "cr v", "santa fe", "grand cherokee")
        for span in 1..=3.min(n - i) {
            let joined: String = reply[i..i + span].concat();
            let word = if span == 1 { reply[i].as_str() } else { joined.as_str() };
            let kind = kind_of(word);
            let meant = if span == 1 && !covered[i] {
                concept_choices(word, &wanted)
            } else {
                Vec::new()
            };
            for (k, (choice_kind, stems)) in wanted.iter().enumerate() {
                let by_kind = kind.is_some() && *choice_kind == kind;
                let by_word = span == 1 && !covered[i] && word.len() >= 2 && stems.iter().any(|s| s == stem(word));
                if by_kind || by_word {
                    note(k, i, if by_word { 0.95 } else { 0.85 });
                } else if meant.contains(&k) {
                    note(k, i, 0.9);
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
        let times = ["Morning", "Afternoon", "Evening"];
        let time = |t: &str| read_choice(t, &times).map(|p| p.value);
        assert_eq!(time("after work").as_deref(), Some("Evening"));
        assert_eq!(time("3ish").as_deref(), Some("Afternoon"));
        assert_eq!(time("around 10").as_deref(), Some("Morning"));
        assert_eq!(time("after 6").as_deref(), Some("Evening"));
        assert_eq!(time("early, like 7:30 am").as_deref(), Some("Morning"));
        assert_eq!(time("6:45pm").as_deref(), Some("Evening"));
        assert_eq!(time("any time before noon").as_deref(), Some("Morning"));
        let kinds = ["New", "Used"];
        let kind = |t: &str| read_choice(t, &kinds).map(|p| p.value);
        assert_eq!(kind("pre-owned, nothing brand new").as_deref(), Some("Used"));
        assert_eq!(kind("a certified one").as_deref(), Some("Used"));
        assert_eq!(kind("a 2026 off the lot").as_deref(), Some("New"));
        assert_eq!(kind("pre-owned, not paying new prices").as_deref(), Some("Used"));
        let ways = ["Call", "Text", "Email"];
        assert_eq!(
            read_choice("ring my cell, i dont read texts much", &ways)
                .map(|p| p.value)
                .as_deref(),
            Some("Call")
        );
        let bodies = ["Truck", "SUV", "Sedan", "Minivan"];
        let body = |t: &str| read_choice(t, &bodies).map(|p| p.value);
        assert_eq!(
            body("something w a sliding door for the twins").as_deref(),
            Some("Minivan")
        );
        assert_eq!(body("a little 4 door car").as_deref(), Some("Sedan"));
        let fuels = ["Gas", "Hybrid", "Electric"];
        assert_eq!(
            read_choice("one of those that's half and half", &fuels)
                .map(|p| p.value)
                .as_deref(),
            Some("Hybrid")
        );
        let ways_to_pay = ["Buy", "Lease"];
        let pay = |t: &str| read_choice(t, &ways_to_pay).map(|p| p.value);
        assert_eq!(pay("gonna finance it").as_deref(), Some("Buy"));
        assert_eq!(pay("paying cash").as_deref(), Some("Buy"));
        assert_eq!(pay("leasing again").as_deref(), Some("Lease"));
        assert_eq!(
            time("3").as_deref(),
            Some("Evening"),
            "a bare number is the third choice"
        );
        let ways = ["Call", "Text", "Email"];
        assert_eq!(
            read_choice("don't call, text", &ways).map(|p| p.value).as_deref(),
            Some("Text")
        );
        assert_eq!(read_choice("don't call", &ways).map(|p| p.value), None);
        let purposes = ["Commute", "Work", "Family", "Fun"];
        let purpose = |t: &str| read_choice(t, &purposes).map(|p| p.value);
        assert_eq!(purpose("weekend toy").as_deref(), Some("Fun"));
        assert_eq!(purpose("job sites, hauling tools").as_deref(), Some("Work"));
        assert_eq!(purpose("back and forth to the office").as_deref(), Some("Commute"));
        assert_eq!(purpose("drive to work").as_deref(), Some("Commute"), "not also Work");
        assert_eq!(purpose("for work").as_deref(), Some("Work"));
        // a synonym for a choice the question did not offer picks nothing
        assert_eq!(read_choice("after work", &ways).map(|p| p.value), None);
        let uses = ["Commute", "Family", "Work", "Weekend fun"];
        assert_eq!(
            read_choice("mostly commuting", &uses).map(|p| p.value).as_deref(),
            Some("Commute")
        );
    }
}
