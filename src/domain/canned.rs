//! Canned replies: an account's ready-made answers, put in the reply box by their shortcut
//! (`/ready`). Their text takes the same `{placeholders}` as an offer's and is filled the same way
//! (`offers::render_body`) for the customer of the conversation.

use super::offers::{self, BodyValues};

/// A canned reply as a manager saves it, checked (its text as an offer's: not empty, known
/// placeholders, at most 1,000 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canned {
    pub shortcut: String,
    pub body: String,
}

/// Check a canned reply field by field: Err lists (field, what to fix). The shortcut is what
/// follows "/" in the box: 1 to 30 lower-case letters, digits or hyphens (`Ready` reads as `ready`;
/// a leading "/" is dropped).
pub fn check(shortcut: &str, body: &str) -> Result<Canned, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let shortcut = shortcut.trim().trim_start_matches('/').to_lowercase();
    if shortcut.is_empty() {
        errors.push(("shortcut", "give a shortcut, e.g. ready (typed as /ready)".to_string()));
    } else if shortcut.chars().count() > 30
        || !shortcut
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push((
            "shortcut",
            format!("`{shortcut}`: use 1 to 30 letters, digits or hyphens, e.g. ready or loaner-2"),
        ));
    }
    let body = body.trim().to_string();
    for e in offers::check_template(&body) {
        errors.push(("body", e.message));
    }
    if errors.is_empty() {
        Ok(Canned { shortcut, body })
    } else {
        Err(errors)
    }
}

/// The text a canned reply puts in the box for this customer.
pub fn fill(body: &str, values: &BodyValues) -> String {
    offers::render_body(body, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canned_reply_is_checked_and_filled_like_an_offer() {
        let c = check(" /Ready ", "Hi {first_name}, your {vehicle} is ready.").unwrap();
        assert_eq!(c.shortcut, "ready");
        let values = BodyValues {
            first_name: Some("ANA".into()),
            vehicle: Some("2019 Honda Accord".into()),
            ..Default::default()
        };
        assert_eq!(fill(&c.body, &values), "Hi Ana, your 2019 Honda Accord is ready.");
        let errs = check("not ok!", "Hi {nickname}").unwrap_err();
        assert_eq!(errs.iter().map(|e| e.0).collect::<Vec<_>>(), ["shortcut", "body"]);
        assert!(errs[1].1.contains("unknown placeholder {nickname}"), "{errs:?}");
        assert!(check("", "x").is_err());
        assert!(check("ok", "  ").unwrap_err()[0].1.contains("must not be empty"));
    }
}
