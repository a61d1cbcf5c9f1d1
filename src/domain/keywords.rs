//! Carrier keywords: a whole message that is STOP, START or HELP (any case, any spacing).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Stop,
    Start,
    Help,
}

impl Keyword {
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Stop => "stop",
            Keyword::Start => "start",
            Keyword::Help => "help",
        }
    }
}

const STOP: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
];
const START: &[&str] = &["START", "UNSTOP"];
const HELP: &[&str] = &["HELP", "INFO"];

/// The keyword a message is, if the whole message is one. Case, surrounding and inner
/// whitespace and trailing punctuation are ignored ("Stop.", " opt  out ", "STOP!").
pub fn classify(body: &str) -> Option<Keyword> {
    let word: String = body
        .trim()
        .trim_end_matches(['.', '!', '?'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    if STOP.contains(&word.as_str()) {
        Some(Keyword::Stop)
    } else if START.contains(&word.as_str()) {
        Some(Keyword::Start)
    } else if HELP.contains(&word.as_str()) {
        Some(Keyword::Help)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_message_keywords_in_any_case_and_spacing() {
        for s in [
            "STOP",
            "stop",
            " Stop ",
            "STOPALL",
            "unsubscribe",
            "Cancel",
            "end",
            "QUIT",
            "revoke",
            "OPTOUT",
            "opt out",
            "OPT  OUT",
            "Stop.",
        ] {
            assert_eq!(classify(s), Some(Keyword::Stop), "{s}");
        }
        for s in ["START", "unstop", " Start "] {
            assert_eq!(classify(s), Some(Keyword::Start), "{s}");
        }
        for s in ["HELP", "help", "Info"] {
            assert_eq!(classify(s), Some(Keyword::Help), "{s}");
        }
    }

    #[test]
    fn keywords_inside_sentences_are_not_keywords() {
        for s in [
            "please stop by tomorrow",
            "don't stop",
            "STOP IT",
            "I need help with my car",
            "",
            "yes",
        ] {
            assert_eq!(classify(s), None, "{s}");
        }
    }
}
