//! What a customer's text means for the offer they were sent. Deliberately narrow: a reply
//! counts only when the whole message is a yes or a no ("Yes please!", "no thanks"); a
//! question ("yes but how much?") goes to a person.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyIntent {
    Accept,
    Decline,
}

const ACCEPT: &[&str] = &[
    "yes",
    "y",
    "yes please",
    "yep",
    "yeah",
    "ya",
    "yea",
    "yup",
    "book",
    "book it",
    "book me",
    "please book",
    "sounds good",
    "sure",
    "ok",
    "okay",
    "k",
    "do it",
    "add it",
    "lets do it",
    "let's do it",
    "i'm in",
    "im in",
];

const DECLINE: &[&str] = &[
    "no",
    "n",
    "nope",
    "nah",
    "not now",
    "no thanks",
    "no thank you",
    "not today",
    "not interested",
    "maybe later",
    "pass",
];

/// Polite words that may follow a yes or a no without changing it.
const TRAILING: &[&str] = &["please", "thanks", "thank you", "thx", "ty"];

/// Lower case, punctuation and emoji dropped (apostrophes kept), spaces collapsed.
fn normalize(body: &str) -> String {
    let cleaned: String = body
        .chars()
        .map(|c| {
            let c = if c == '\u{2019}' { '\'' } else { c };
            if c.is_alphanumeric() || c == '\'' {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn matches(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        text == *p
            || text
                .strip_prefix(p)
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|rest| TRAILING.contains(&rest))
    })
}

/// `Some(Accept)` for YES / Y / BOOK / "sounds good" / "sure" / "ok" and the like,
/// `Some(Decline)` for NO / "not now" / "no thanks", `None` for anything else.
pub fn classify_reply(body: &str) -> Option<ReplyIntent> {
    let text = normalize(body);
    if text.is_empty() {
        return None;
    }
    if matches(&text, DECLINE) {
        Some(ReplyIntent::Decline)
    } else if matches(&text, ACCEPT) {
        Some(ReplyIntent::Accept)
    } else {
        None
    }
}
