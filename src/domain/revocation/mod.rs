//! Free-text opt-outs: a customer may revoke consent "by any reasonable means" (47 CFR
//! 64.1200(a)(10), in force since 11 April 2025), not only with a carrier keyword. "Please stop
//! texting me", "remove me from your list", "wrong number, take me off", "alto" all mean STOP;
//! "please stop by the service desk" and "what time do you stop taking cars?" do not.
//!
//! [`classify`] reads a text sentence by sentence:
//! - **certain**: a sentence that is only a stop word and filler ("STOP!!!", "unsubscribe me
//!   pls", "basta ya"), or a phrase that asks for no more texts ("stop texting me", "don't text
//!   this number again", "remove me from your list", "take me off", "opt me out", "no more
//!   messages", "leave me alone", "wrong number", "no me manden mensajes", "dar de baja");
//! - **possible**: "stop" in a sentence that is neither a request nor a known look-alike
//!   ("ok seriously stop"... is certain; "stop, who is this" certain; "can u stop" certain;
//!   "why won't you stop" possible), or a complaint about the texts ("too many texts", "why do
//!   you keep texting me", "how did you get my number", "this is spam");
//! - nothing otherwise: "stop" next to a word that makes it about a car, a place or a time
//!   ("stop by", "stop sign", "stop taking cars", "can't stop loving", "bus stop").
//!
//! A certain revocation is honoured at once, as STOP is; a possible one is shown to a rep, and
//! marketing texts to the customer wait until the rep decides. Pure: no I/O.

/// What a text says about consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// the customer asked for no more texts
    Certain,
    /// it may be a request to stop; a person should read it
    Possible,
}

mod spanish;
mod words;
use spanish::asks_in_spanish;
use words::*;

/// Whether `body` revokes consent to texts.
pub fn classify(body: &str) -> Option<Revocation> {
    let mut possible = false;
    // "I don't even have a car anymore, stop", "Not interested, remove": a sentence's last
    // clause that is only a request
    for sentence in body.split(['.', '!', '?', ';', '\n']) {
        if let Some((_, last)) = sentence.rsplit_once(',') {
            if sentences(last).iter().any(|w| only_a_request_word(&spelt(w))) {
                return Some(Revocation::Certain);
            }
        }
    }
    let all = sentences(body);
    for (k, sentence) in all.iter().enumerate() {
        // "Stop! Don't replace the battery": a bare stop, then what to stop doing to the car
        let then = all.get(k + 1).map(|n| spelt(n));
        let redirected = then.as_deref().is_some_and(|n| {
            matches!(n.first().copied(), Some("dont" | "wait" | "hold"))
                && !n.iter().any(|x| is(x, CONTACT_VERBS) || is(x, TEXT_NOUNS))
        });
        if redirected
            && spelt(sentence)
                .iter()
                .all(|x| matches!(*x, "stop" | "wait") || is(x, FILLER))
        {
            continue;
        }
        match sentence_says(sentence) {
            Some(Revocation::Certain) => return Some(Revocation::Certain),
            Some(Revocation::Possible) => possible = true,
            None => {}
        }
    }
    possible.then_some(Revocation::Possible)
}

/// The text's sentences, each as its words: lower case, accents folded, apostrophes dropped
/// ("don't" is "dont"), a letter repeated three times or more read once ("stoppp").
fn sentences(body: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let end_word = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(squeeze(word));
            word.clear();
        }
    };
    for c in body.chars() {
        match c {
            '\'' | '\u{2019}' | '\u{2018}' | '`' => {}
            c if c.is_alphanumeric() => word.extend(fold(c).to_lowercase()),
            // a stop sign said with the sign
            '\u{1f6d1}' => {
                end_word(&mut word, &mut words);
                words.push("stop".into());
            }
            // "wrong #"
            '#' => {
                end_word(&mut word, &mut words);
                words.push("number".into());
            }
            '.' | '!' | '?' | ';' | '\n' | '\u{a1}' | '\u{bf}' => {
                end_word(&mut word, &mut words);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            _ => end_word(&mut word, &mut words),
        }
    }
    end_word(&mut word, &mut words);
    if !words.is_empty() {
        out.push(words);
    }
    out
}

/// Whether the texts are named from word `from` on as something to stop, not as welcome
/// ("and your texting list too", not "texts are fine", "I only check texts").
fn texts_named(w: &[&str], from: usize) -> bool {
    (from..w.len()).any(|k| {
        let welcome = matches!(w.get(k + 1).copied(), Some("are" | "is"))
            && matches!(
                w.get(k + 2).copied(),
                Some("fine" | "ok" | "okay" | "good" | "better" | "great")
            );
        let only = k > 0 && matches!(w[k - 1], "only" | "just" | "check");
        is(w[k], TEXT_NOUNS) && !welcome && !only
    })
}

/// Spanish accents and ñ folded to plain letters.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' => 'u',
        'ñ' | 'Ñ' => 'n',
        c => c,
    }
}

/// A letter repeated three or more times, once ("stoppp" is "stop", "pleaseee" is "please").
fn squeeze(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && chars[j] == chars[i] {
            j += 1;
        }
        let run = j - i;
        let keep = if run >= 3 { 1 } else { run };
        out.extend(std::iter::repeat_n(chars[i], keep));
        i = j;
    }
    out
}

fn is(word: &str, set: &[&str]) -> bool {
    set.contains(&word)
}

/// The words with slips of "stop" read as "stop" ("stpo", "sotp", "stoop", "S T O P").
fn spelt(w: &[String]) -> Vec<&str> {
    const SLIPS: &[&str] = &[
        "stpo", "sotp", "stoop", "stopt", "sstop", "stoo", "stip", "stpp", "tsop",
    ];
    let mut out: Vec<&str> = Vec::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        // "S T O P", "st op": short pieces that spell it
        let mut joined = String::new();
        let mut k = i;
        while k < w.len() && w[k].len() <= 3 && joined.len() < 4 {
            joined.push_str(&w[k]);
            k += 1;
        }
        if joined == "stop" && k - i >= 2 {
            out.push("stop");
            i = k;
            continue;
        }
        out.push(if is(&w[i], SLIPS) { "stop" } else { w[i].as_str() });
        i += 1;
    }
    out
}

fn sentence_says(w: &[String]) -> Option<Revocation> {
    let w: Vec<&str> = spelt(w);
    if only_a_request_word(&w) || asks_for_no_more(&w) || asks_in_spanish(&w) {
        return Some(Revocation::Certain);
    }
    // "I'm filing a complaint with the FCC", "cease and desist", "you're violating federal law"
    const LEGAL: &[&str] = &[
        "fcc",
        "tcpa",
        "attorney",
        "lawyer",
        "lawsuit",
        "sue",
        "desist",
        "violating",
        "harassment",
        "harassing",
    ];
    let reports_spam = w.iter().any(|x| matches!(*x, "report" | "reporting" | "reported"))
        && w.iter().any(|x| *x == "spam" || is(x, TEXT_NOUNS));
    if reports_spam {
        return Some(Revocation::Certain);
    }
    if w.iter().any(|x| is(x, LEGAL)) {
        let about_texts = w
            .iter()
            .any(|x| is(x, TEXT_NOUNS) || is(x, CONTACT_VERBS) || *x == "number" || *x == "stop");
        return Some(if about_texts || w.contains(&"desist") {
            Revocation::Certain
        } else {
            Revocation::Possible
        });
    }
    if mentions_stop(&w) || complains_about_texts(&w) {
        return Some(Revocation::Possible);
    }
    None
}

/// A stop word with nothing but filler around it ("STOP!!!", "unsubscribe me pls", "no more").
fn only_a_request_word(w: &[&str]) -> bool {
    let has_stop = w.iter().any(|x| is(x, STOP_WORDS));
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p == [a, b]);
    let no_more =
        pair("no", "more") || pair("opt", "out") || pair("no", "mas") || (w.contains(&"knock") && w.contains(&"off"));
    (has_stop || no_more)
        && w.iter().all(|x| {
            is(x, STOP_WORDS) || is(x, FILLER) || matches!(*x, "more" | "opt" | "out" | "mas" | "knock" | "off")
        })
}

/// Word `i` of `w` with the words of `skip` passed over, from `i` on.
fn next_past<'a>(w: &[&'a str], mut i: usize, skip: &[&str]) -> Option<(usize, &'a str)> {
    while i < w.len() {
        if !is(w[i], skip) {
            return Some((i, w[i]));
        }
        i += 1;
    }
    None
}

/// A phrase that asks for no more texts, anywhere in the sentence.
fn asks_for_no_more(w: &[&str]) -> bool {
    const SOFT: &[&str] = &[
        "please", "pls", "plz", "just", "kindly", "u", "you", "ya", "all", "yall", "guys", "now",
    ];
    const OBJECT: &[&str] = &[
        "me", "us", "this", "my", "again", "anymore", "to", "here", "at", "on", "him", "her",
    ];
    let has = |x: &str| w.contains(&x);
    // "I never signed up for this", "I revoke my consent", "I withdraw my consent"
    let never_agreed = w.windows(3).any(|p| {
        matches!(p[0], "never" | "didnt" | "not")
            && matches!(
                p[1],
                "signed" | "sign" | "agreed" | "agree" | "opted" | "subscribed" | "consented" | "gave"
            )
    });
    if never_agreed || (has("consent") && (has("revoke") || has("withdraw") || has("revoking") || has("withdrawing"))) {
        return true;
    }
    for (i, word) in w.iter().enumerate() {
        let before = if i > 0 { w[i - 1] } else { "" };
        let negated = matches!(before, "dont" | "cant" | "wont" | "never" | "not" | "didnt" | "doesnt");
        // "opt out of the paint protection package", "unsubscribe from the OnStar plan"
        let of_a_product = w[i + 1..].iter().take(6).any(|x| is(x, PRODUCTS));
        match *word {
            "unsubscribe" | "unsub" | "unsuscribe" | "unsubcribe" | "unsubscrib" | "optout" | "unsubscribed"
            | "unenroll" | "out"
                if of_a_product && (*word != "out" || matches!(before, "opt" | "opting")) =>
            {
                return false;
            }
            // "basta de mensajes", "párenle con los mensajes", "discontinue all text
            // communication", "I'm done with these messages"
            "basta" | "alto" | "parenle" | "paren" | "enough" | "discontinue" | "done"
                if w[i + 1..].iter().any(|x| is(x, TEXT_NOUNS))
                    && (*word != "done" || w.get(i + 1) == Some(&"with")) =>
            {
                return true;
            }
            // "no need to keep messaging me", "I don't need you to text me"
            "need" | "want" | "wish"
                if matches!(before, "no" | "dont" | "not" | "never" | "longer")
                    && next_past(w, i + 1, &["you", "u", "yall", "to", "keep", "any", "more", "further"])
                        .is_some_and(|(k, v)| is(v, CONTACT_VERBS) && w.get(k + 1) != Some(&"back")) =>
            {
                return true;
            }
            // "I'd rather not get any further texts", "don't want to receive texts"
            "get" | "receive" | "getting" | "receiving"
                if w[..i]
                    .iter()
                    .rev()
                    .take(4)
                    .any(|x| matches!(*x, "not" | "dont" | "no" | "never"))
                    && w[i + 1..].iter().any(|x| is(x, TEXT_NOUNS)) =>
            {
                return true;
            }
            "interested" if before == "longer" && w[i + 1..].iter().any(|x| is(x, TEXT_NOUNS)) => return true,
            // "I said stop last week", "I told you to stop"
            "stop" if matches!(before, "said" | "told" | "asked" | "say" | "typed") => return true,
            // "how do I make these texts stop"
            "stop" if i > 0 && is(before, TEXT_NOUNS) && w.get(i + 1).is_none_or(|n| is(n, FILLER)) => return true,
            // stop / quit / cease texting (me), stop sending these, stop with the texts
            "stop" | "quit" | "cease" | "stahp" if !negated => {
                // "I asked you to stop", "how many times do I have to tell you to stop"
                let told = |x: &&str| matches!(*x, "asked" | "told" | "said" | "tell" | "telling" | "asking" | "ask");
                if before == "to" && i + 1 == w.len() && w[..i].iter().any(told) {
                    return true;
                }
                // "stop sending mail to my old address" is about the mail, unless texts are named
                let texts_named = texts_named(w, i + 1);
                if let Some((_, next)) = next_past(w, i + 1, SOFT) {
                    if is(next, CONTACT_VERBS) && (!of_a_product || texts_named) {
                        return true;
                    }
                }
                // "please make them stop"
                if matches!(before, "them" | "these" | "those") && i >= 2 && w[i - 2] == "make" {
                    return true;
                }
                // "stop calling me, texting is fine": about calls, unless texts are joined on
                // ("stop calling and texting me")
                let calls = w
                    .get(i + 1)
                    .is_some_and(|n| matches!(*n, "calling" | "call" | "emailing" | "email"));
                let texts = (i + 1..w.len())
                    .any(|k| is(w[k], TEXT_NOUNS) && (!calls || matches!(w[k - 1], "and" | "or" | "nor" | "n")));
                if texts {
                    return true;
                }
            }
            // don't / do not / never text (me | this number | again)
            "dont" | "never" | "not" | "no" => {
                // "not" counts only as "do not", "can you not", "please not"
                if *word == "not"
                    && !matches!(
                        before,
                        "do" | "can" | "could" | "u" | "you" | "please" | "pls" | "would"
                    )
                {
                    continue;
                }
                let j = i + 1;
                if let Some((k, verb)) = next_past(w, j, SOFT) {
                    if is(verb, CONTACT_VERBS) {
                        if let Some(obj) = w.get(k + 1) {
                            if is(obj, OBJECT) {
                                return true;
                            }
                        } else if *word != "no" {
                            // "don't text", "never text" as the end of the sentence
                            return true;
                        }
                    }
                }
            }
            // remove me, take me off, delete my number, lose my number, opt me out
            "remove" | "delete" | "erase" | "lose" | "drop" | "unlist" | "remoove" | "remov" if of_a_product => {}
            "remove" | "delete" | "erase" | "lose" | "drop" | "unlist" | "remoove" | "remov" => {
                // "delete it from your texting system", "remove this number"
                let from_list = (matches!(w.get(i + 1).copied(), Some("it" | "this" | "him" | "her" | "them"))
                    && w.get(i + 2) == Some(&"from"))
                    || w.get(i + 1) == Some(&"from")
                    || matches!(w.get(i + 1).copied(), Some("number" | "phone" | "cell"));
                let my_number = matches!(w.get(i + 1).copied(), Some("my" | "this" | "our"))
                    && w.get(i + 2)
                        .is_some_and(|n| matches!(*n, "numbr" | "nmbr" | "num" | "#"));
                if from_list || my_number {
                    return true;
                }
                if let Some(obj) = w.get(i + 1) {
                    let object = matches!(*obj, "me" | "us")
                        || (matches!(*obj, "my" | "this" | "our")
                            && w.get(i + 2)
                                .is_some_and(|n| matches!(*n, "number" | "phone" | "cell" | "contact" | "info")));
                    if object {
                        return true;
                    }
                }
            }
            "take" | "taking" | "get" | "opt" if !of_a_product || texts_named(w, i + 1) => {
                if let (Some(obj), Some(off)) = (w.get(i + 1), w.get(i + 2)) {
                    if matches!(*obj, "me" | "us" | "my" | "this") && matches!(*off, "off" | "out") {
                        return true;
                    }
                    // "take his number off your messaging"
                    if matches!(*obj, "my" | "this" | "his" | "her" | "their" | "our")
                        && matches!(*off, "number" | "phone" | "cell")
                        && w.get(i + 3) == Some(&"off")
                    {
                        return true;
                    }
                }
            }
            // "I want out of your text list"
            "out" | "off" if before == "want" && (!of_a_product || texts_named(w, i + 1)) => return true,
            // "block me", "block this number"
            "block" if matches!(w.get(i + 1).copied(), Some("me" | "this" | "my" | "us")) => return true,
            "unsubscribe" | "unsub" | "unsuscribe" | "unsubcribe" | "unsubscrib" | "optout" | "unsubscribed"
            | "unenroll" => return true,
            // "cancel my subscription to these alerts", "cancelar suscripción"
            "cancel" | "cancelar" | "cancela"
                if next_past(w, i + 1, &["my", "mi", "la", "the", "all", "these", "your", "this"])
                    .is_some_and(|(_, n)| is(n, TEXT_NOUNS) || n == "text") =>
            {
                return true;
            }
            "out" if before == "opt" || before == "opting" => return true,
            // "no more texts", "no more service reminders pls"
            "more" | "mas"
                if (before == "no" || before == "any") && w[i + 1..].iter().take(3).any(|n| is(n, TEXT_NOUNS)) =>
            {
                return true;
            }
            // "please no texting", "no texts" (not "no texts before 9")
            "texting" | "texts" | "txts" | "sms" | "messages"
                if before == "no"
                    && !w[i + 1..]
                        .iter()
                        .any(|x| matches!(*x, "before" | "after" | "until" | "till" | "during" | "at")) =>
            {
                return true;
            }
            // "I would like to be removed from all future texts", "I asked to be removed"
            "removed" | "deleted" if matches!(before, "be" | "get" | "been" | "being") && !of_a_product => {
                return true;
            }
            // "how do I get off this list"
            "list" if before != "email" && w[..i].windows(2).any(|p| p == ["get", "off"] || p == ["take", "off"]) => {
                return true;
            }
            // "how do I make these texts stop", "cut it out with the texts", "knock it off
            // with the messages"
            "out" | "off"
                if matches!(before, "it")
                    && i >= 2
                    && matches!(w[i - 2], "cut" | "knock")
                    && w[i + 1..].iter().any(|x| is(x, TEXT_NOUNS)) =>
            {
                return true;
            }
            "alone" if before == "me" && i >= 2 && w[i - 2] == "leave" => return true,
            // "I don't want these texts anymore", "we do not want any more messages"
            "want" | "need" | "wish" if matches!(before, "dont" | "not" | "no" | "never" | "longer") => {
                const PLURAL: &[&str] = &[
                    "texts",
                    "txts",
                    "messages",
                    "msgs",
                    "notifications",
                    "alerts",
                    "promos",
                    "promotions",
                    "ads",
                    "spam",
                    "mensajes",
                ];
                if w[i + 1..].iter().any(|x| is(x, PLURAL)) {
                    return true;
                }
            }

            // "wrong number", alone or with a request or filler after it (not "a wrong number
            // on my plate")
            "number" | "person" | "guy" | "phone" if before == "wrong" => {
                let after = w.get(i + 1).copied();
                if after.is_none_or(|a| {
                    is(a, FILLER)
                        || is(a, STOP_WORDS)
                        || matches!(a, "take" | "remove" | "buddy" | "bro" | "pal" | "sorry")
                }) {
                    return true;
                }
            }
            "interested" if before == "not" && w[i + 1..].iter().any(|x| is(x, TEXT_NOUNS)) => {
                return true;
            }
            "list"
                if i >= 2
                    && matches!(w[i - 1], "your" | "the" | "ur")
                    && w[..i].iter().any(|x| matches!(*x, "off" | "from" | "remove" | "out")) =>
            {
                return true
            }
            _ => {}
        }
    }
    false
}

/// "stop" in a sentence that is not about a car, a place or a time.
fn mentions_stop(w: &[&str]) -> bool {
    w.iter().enumerate().any(|(i, word)| {
        if !matches!(*word, "stop" | "stahp") {
            return false;
        }
        let before = if i > 0 { w[i - 1] } else { "" };
        let after = w.get(i + 1).copied().unwrap_or("");
        let question_about_hours = w
            .first()
            .is_some_and(|f| matches!(*f, "what" | "when" | "where" | "how" | "do" | "does"));
        // "stop washing my car", "stop adding the wiper blades": doing something else
        let doing = after.ends_with("ing") && !is(after, CONTACT_VERBS) && !is(after, TEXT_NOUNS);
        // "lol stop it, that's a great price", "stop sending mail to my old address"
        let playful = matches!(before, "lol" | "haha" | "lmao" | "hahaha" | "omg");
        let of_a_product = w.iter().any(|x| is(x, PRODUCTS)) && !w.iter().any(|x| is(x, TEXT_NOUNS));
        !(is(after, STOP_FOLLOWED_BY_ELSEWHERE)
            || is(before, STOP_PRECEDED_BY_ELSEWHERE)
            || question_about_hours
            || doing
            || playful
            || of_a_product)
    })
}

/// A complaint about the texts themselves: "too many texts", "why do you keep texting me", "how
/// did you get my number", "this is spam".
fn complains_about_texts(w: &[&str]) -> bool {
    let has = |x: &str| w.contains(&x);
    let pair = |a: &str, b: &str| w.windows(2).any(|p| p[0] == a && p[1] == b);
    (pair("too", "many") && w.iter().any(|x| is(x, TEXT_NOUNS)))
        || ((pair("you", "keep") || pair("u", "keep") || pair("yall", "keep") || pair("they", "keep") || has("why"))
            && has("keep")
            && w.iter().any(|x| is(x, CONTACT_VERBS)))
        || (has("get") && has("my") && (has("number") || has("phone")) && has("how"))
        || (has("spam") && !has("folder"))
        || (has("enough") && w.iter().all(|x| is(x, FILLER) || *x == "enough"))
}

#[cfg(test)]
mod tests;
