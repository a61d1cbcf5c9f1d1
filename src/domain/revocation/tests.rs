use super::*;

/// Texts that revoke consent, as customers write them.
const REVOKE: &[&str] = &[
    "please stop texting me",
    "Please stop texting me.",
    "remove me from your list",
    "Remove me from your list please",
    "don't text this number again",
    "Dont text this number again!!",
    "do not text me",
    "wrong number, take me off",
    "Wrong number",
    "unsubscribe me pls",
    "no more messages",
    "No more texts please",
    "STOP!!!",
    "stop",
    "Stop.",
    "STOPPP",
    "stop it",
    "just stop",
    "stop please",
    "Stop now",
    "alto",
    "ALTO",
    "basta",
    "Basta ya!",
    "stop texting me",
    "Quit texting me",
    "quit messaging me",
    "stop sending me these",
    "stop sending me messages",
    "Stop with the texts already",
    "stop contacting me",
    "Please stop contacting me. I sold the car.",
    "I sold that car, please remove me",
    "take me off your list",
    "Take me off this list",
    "delete my number",
    "lose my number",
    "opt me out",
    "I want to opt out",
    "How do I unsubscribe?",
    "unsub",
    "leave me alone",
    "Leave me alone please",
    "never text me again",
    "don't message me",
    "do not contact me again",
    "Not interested in any more texts",
    "no more",
    "no more msgs",
    "ok stop",
    "Stop. Who is this?",
    "who is this? stop",
    "can u stop",
    "stop texting this number",
    "Stop txting me",
    "please don't text me anymore",
    "no me manden mensajes",
    "No me manden más mensajes por favor",
    "no me escriban",
    "ya no quiero mensajes",
    "dejen de mandarme mensajes",
    "deja de escribirme",
    "sáquenme de la lista",
    "quítenme de su lista",
    "quiero darme de baja",
    "dar de baja",
    "STOP 🛑",
    "stop pls 🙏",
    "This is the wrong number. Stop.",
    "stop spamming me",
    "Cancel",
    "end",
    "unsubscribe",
    "Unsuscribe",
];

/// Texts with "stop" and its kin that do not revoke anything.
const KEEP: &[&str] = &[
    "please stop by the service desk",
    "can't stop loving my new civic",
    "what time do you stop taking cars?",
    "stop sign hit my bumper",
    "I'll stop by tomorrow at 9",
    "Can I stop in around 3?",
    "my brakes squeal when I stop",
    "The car won't stop beeping",
    "it makes a noise at every stop",
    "the stop light is on in the dash",
    "bus stop is right by the dealership",
    "Will stop at the shop after work",
    "When do you stop accepting walk ins?",
    "Don't stop the good deals lol",
    "Yes please book me",
    "What's the price for the oil change?",
    "Cancel my appointment for Tuesday",
    "I need to cancel my appointment",
    "end of the year probably",
    "Is the car ready?",
    "Thanks!",
    "ok",
    "Sounds good, see you then",
    "no thanks",
    "Not interested",
    "No",
    "Can you text me the total?",
    "text me when it's done",
    "Send me the quote",
    "remove the roof rack please",
    "take me to the shuttle at 5",
    "I'm out of town, can we move it?",
    "how much to fix a wrong number on my plate? lol",
    "the number is 555-0188",
    "My wipers stop working in the rain",
    "stop lamp bulb is out",
    "We stop for lunch at noon?",
    "no more than $300 please",
    "I want more info on the offer",
    "Please call me instead",
    "Quitting my job soon so no new car lol",
    "pit stop on the way",
    "non-stop squeaking from the brakes",
    "the engine cut out at a stop",
];

#[test]
fn every_revocation_is_recognised_as_certain() {
    let missed: Vec<_> = REVOKE
        .iter()
        .filter(|t| classify(t) != Some(Revocation::Certain))
        .map(|t| (t, classify(t)))
        .collect();
    assert!(missed.is_empty(), "not recognised as certain: {missed:#?}");
}

#[test]
fn look_alikes_raise_at_most_two_false_alarms() {
    let alarms: Vec<_> = KEEP
        .iter()
        .filter(|t| classify(t).is_some())
        .map(|t| (t, classify(t)))
        .collect();
    assert!(alarms.len() <= 2, "false alarms: {alarms:#?}");
    // the issue's own look-alikes never fire
    for t in [
        "please stop by the service desk",
        "can't stop loving my new civic",
        "what time do you stop taking cars?",
        "stop sign hit my bumper",
    ] {
        assert_eq!(classify(t), None, "{t}");
    }
}

#[test]
fn the_labelled_set_is_large_enough() {
    assert!(REVOKE.len() + KEEP.len() >= 80, "{}", REVOKE.len() + KEEP.len());
}

#[test]
fn complaints_and_a_stop_that_is_not_a_request_are_for_a_person() {
    for t in [
        "why do you keep texting me",
        "too many texts",
        "how did you get my number",
        "this is spam",
        "enough",
        "why won't you people stop",
        "seriously stop it with this",
    ] {
        assert!(classify(t).is_some(), "{t}");
    }
    assert_eq!(classify("why do you keep texting me"), Some(Revocation::Possible));
    assert_eq!(classify("too many texts"), Some(Revocation::Possible));
}

#[test]
fn sentences_and_words_are_read_as_people_write_them() {
    assert_eq!(
        sentences("Stop. Who is this?"),
        vec![vec!["stop"], vec!["who", "is", "this"]]
    );
    assert_eq!(sentences("Don’t TEXT me"), vec![vec!["dont", "text", "me"]]);
    assert_eq!(sentences("sáquenme"), vec![vec!["saquenme"]]);
    assert_eq!(squeeze("stoppp"), "stop");
    assert_eq!(squeeze("off"), "off");
}

/// Written after the classifier, before any change to it for them: on first reading it found
/// 21 of 24 revocations (missing "i dont want these texts anymore", "wrong # stop", "I asked
/// you to stop", which led to the general rules for "don't want … texts", "#" and "asked you to
/// stop") and raised no false alarm in 18 look-alikes. Now all must hold.
const HELD_OUT_REVOKE: &[&str] = &[
    "pls stop messaging me",
    "STOP TEXTING",
    "Take me off ur list",
    "i dont want these texts anymore",
    "I don't want any more texts",
    "Stop sending texts to this number",
    "remove this number",
    "please remove my number from your system",
    "dont contact me",
    "Unsubscribe!!",
    "no more texts from you guys",
    "you have the wrong number",
    "wrong # stop",
    "Quit",
    "no quiero recibir mensajes",
    "ya no me manden nada",
    "no me contacten",
    "stop msging me",
    "please opt me out of texts",
    "I'd like to unsubscribe",
    "stop it already",
    "I asked you to stop",
    "Stop contacting me!!!",
    "please take my number off your list",
];

const HELD_OUT_KEEP: &[&str] = &[
    "Stop by anytime",
    "I'll stop over after lunch",
    "what time do you guys stop working on cars",
    "my car stops randomly",
    "the rear stop light is out",
    "can I stop in saturday",
    "Nothing will stop me from buying that truck lol",
    "I had to stop the car on the highway",
    "do you do oil changes after 6?",
    "text me the address",
    "No, I'm good",
    "maybe next year",
    "please send me the link",
    "Who is this?",
    "is this Lakeside Honda?",
    "I got your text, thanks",
    "stopped by yesterday but you were closed",
    "I'll swing by, no need to text back",
];

#[test]
fn held_out_texts() {
    let missed: Vec<_> = HELD_OUT_REVOKE
        .iter()
        .filter(|t| classify(t) != Some(Revocation::Certain))
        .map(|t| (t, classify(t)))
        .collect();
    let alarms: Vec<_> = HELD_OUT_KEEP
        .iter()
        .filter(|t| classify(t).is_some())
        .map(|t| (t, classify(t)))
        .collect();
    assert!(missed.is_empty(), "missed: {missed:?}");
    assert!(alarms.is_empty(), "false alarms: {alarms:?}");
}

/// Sets written blind by other authors (corpus/blind*_*.txt), each committed before the
/// classifier ever ran on it: (name, revocations, look-alikes, asserted). Every revocation
/// must be certain; at most two look-alikes may be shown to a person, and none opts anyone
/// out. A fresh set is report-only for its first run (recorded in corpus/README.md).
const BLIND: &[(&str, &str, &str, bool)] = &[
    (
        "first",
        include_str!("corpus/blind_revoke.txt"),
        include_str!("corpus/blind_keep.txt"),
        true,
    ),
    (
        "second",
        include_str!("corpus/blind2_revoke.txt"),
        include_str!("corpus/blind2_keep.txt"),
        true,
    ),
    (
        "third",
        include_str!("corpus/blind3_revoke.txt"),
        include_str!("corpus/blind3_keep.txt"),
        true,
    ),
];

#[test]
fn blind_sets() {
    use std::fmt::Write as _;
    let lines = |file: &'static str| file.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut failed = Vec::new();
    let mut report = String::new();
    for (name, revoke, keep, asserted) in BLIND {
        let revoke: Vec<&str> = lines(revoke).collect();
        let keep: Vec<&str> = lines(keep).collect();
        let _ = writeln!(report, "{name} blind set:");
        let missed: Vec<_> = revoke
            .iter()
            .filter(|t| classify(t) != Some(Revocation::Certain))
            .collect();
        for t in &missed {
            let _ = writeln!(report, "  MISS revoke: {t}  (read: {:?})", classify(t));
        }
        let alarms: Vec<_> = keep.iter().filter(|t| classify(t).is_some()).collect();
        for t in &alarms {
            let _ = writeln!(report, "  ALARM keep: {t}  (read: {:?})", classify(t));
        }
        let opted_out = alarms
            .iter()
            .filter(|t| classify(t) == Some(Revocation::Certain))
            .count();
        let possible = missed
            .iter()
            .filter(|t| classify(t) == Some(Revocation::Possible))
            .count();
        let _ = writeln!(
            report,
            "  revocations certain {}/{} ({possible} more for a person), look-alikes raised {}/{} ({opted_out} certain)",
            revoke.len() - missed.len(),
            revoke.len(),
            alarms.len(),
            keep.len(),
        );
        if *asserted && (!missed.is_empty() || alarms.len() > 2 || opted_out > 0) {
            failed.push(*name);
        }
    }
    std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes()).ok();
    assert!(failed.is_empty(), "blind sets under the bar: {failed:?}\n{report}");
}

#[test]
fn revocations_without_a_stop_word() {
    for t in [
        "I never agreed to get texts from you",
        "we withdraw our consent to be texted",
        "kindly discontinue these messages",
        "i am done with your texts",
        "no need to keep texting me about the truck",
        "would rather not receive any more texts",
        "can you not message me",
        "no longer interested in your text alerts",
        "cancel all these texts",
        "unenroll",
        "no mas",
        "knock it off",
        "no me vuelvas a mandar nada",
        "favor de no escribirme",
        "basta con los mensajes",
        "numero equivocado",
        "ok, stop",
        "we sold it, stop",
        "s t o p",
        "stpo pls",
        "told you to stop",
        "I want to be removed from your texting list",
        "how do I get off your list",
        "make the texts stop",
        "cut it out with the messages",
        "reporting this number to the FCC",
        "cease and desist",
        "no more appointment reminders",
        "call me if you need to, no texts please",
        "borren mi numero",
        "cancelen los textos",
        "stop calling and texting me",
        "s top",
        "🛑🛑",
        "remove from your list pls",
        "block this number",
        "i want off your list",
        "please take her number off",
        "make these stop already",
        "I will report these texts as spam",
        "stop or I call my attorney",
        "no mas textos",
        "huwag na po mag text",
    ] {
        assert_eq!(classify(t), Some(Revocation::Certain), "{t}");
    }
    for t in [
        "I'd like to opt out of the extended warranty",
        "how do I unsubscribe from the SiriusXM trial?",
        "no need to text back, see you Friday",
        "please keep messaging me when parts arrive",
        "my start stop button is sticky",
        "cancel my appointment please",
        "stop calling me, text instead",
        "quit calling, texting is better",
        "remove me from the email list, texts are fine",
        "no texts before 9 please",
        "my wife says stop buying car stuff lol",
        "please stop rotating my tires every visit",
        "Stop! Don't do the alignment yet",
        "take me off the mailing list, texts are fine",
        "stop sending flyers to my house",
        "quiten el seguro del contrato",
    ] {
        assert_eq!(classify(t), None, "{t}");
    }
}
