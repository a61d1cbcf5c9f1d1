//! What a rep typed into a search box, read the ways they mean it: a phone number written any
//! way ((325) 555-0188, 325-555-0188, +1 325 555 0188, or its last 4 or 7 digits), an email,
//! a VIN or its last 6 to 8 characters, an RO number, or parts of a name. Pure: the store
//! turns a [`SearchPlan`] into index reads.

/// Everything a query could mean; the store looks each one up and joins what it finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPlan {
    /// a whole number in E.164 form
    pub phone_exact: Option<String>,
    /// the last 4 to 9 digits of a number
    pub phone_suffix: Option<String>,
    /// an email address, or its start, in lower case
    pub email_prefix: Option<String>,
    /// a whole VIN, upper case
    pub vin_exact: Option<String>,
    /// the last 6 to 8 characters of a VIN, upper case
    pub vin_suffix: Option<String>,
    /// an RO (or appointment) number exactly as the DMS writes it
    pub ro_number: Option<String>,
    /// words that each start the first or the last name, lower case
    pub name_words: Vec<String>,
}

impl SearchPlan {
    /// The name word the store reads its index by: the longest, which matches the fewest.
    pub fn name_driver(&self) -> Option<&str> {
        self.name_words
            .iter()
            .max_by_key(|w| w.chars().count())
            .map(String::as_str)
    }
}

/// Characters people put in a phone number besides digits.
fn is_phone_punctuation(c: char) -> bool {
    matches!(c, '(' | ')' | '-' | '.' | ' ' | '+' | '/')
}

/// Letters and digits a VIN may hold (never I, O or Q).
fn is_vin_char(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'O' | 'Q'))
}

/// Read a search box. None when there is nothing to search for.
pub fn interpret(raw: &str) -> Option<SearchPlan> {
    let q = raw.trim();
    if q.is_empty() {
        return None;
    }
    let mut plan = SearchPlan::default();
    if q.contains('@') {
        plan.email_prefix = Some(q.to_lowercase());
        return Some(plan);
    }
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let only_digits = q.chars().all(|c| c.is_ascii_digit());
    if q.chars().all(|c| c.is_ascii_digit() || is_phone_punctuation(c)) && !digits.is_empty() {
        match digits.len() {
            10 => plan.phone_exact = Some(format!("+1{digits}")),
            11 if digits.starts_with('1') => plan.phone_exact = Some(format!("+{digits}")),
            12..=15 if q.starts_with('+') => plan.phone_exact = Some(format!("+{digits}")),
            4..=9 => plan.phone_suffix = Some(digits.clone()),
            _ => {}
        }
        if only_digits {
            // a bare number may also be an RO number or a VIN's serial
            plan.ro_number = Some(q.to_string());
            if (6..=8).contains(&q.len()) {
                plan.vin_suffix = Some(q.to_string());
            }
        }
        return Some(plan);
    }
    let single_word = !q.contains(char::is_whitespace) && !q.contains(',');
    if single_word && q.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        let upper = q.to_ascii_uppercase();
        let has_digit = upper.chars().any(|c| c.is_ascii_digit());
        if upper.len() == 17 && upper.chars().all(is_vin_char) {
            plan.vin_exact = Some(upper.clone());
        } else if has_digit && (6..=8).contains(&upper.len()) && upper.chars().all(is_vin_char) {
            plan.vin_suffix = Some(upper.clone());
        }
        if has_digit {
            plan.ro_number = Some(q.to_string());
            return Some(plan);
        }
    }
    plan.name_words = q
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    if plan == SearchPlan::default() {
        None
    } else {
        Some(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(q: &str) -> (Option<String>, Option<String>) {
        let p = interpret(q).unwrap();
        (p.phone_exact, p.phone_suffix)
    }

    #[test]
    fn a_whole_number_written_any_way_is_one_e164() {
        for q in [
            "(325) 555-0188",
            "325-555-0188",
            "3255550188",
            "+1 325 555 0188",
            "1-325-555-0188",
            "325.555.0188",
            " +13255550188 ",
        ] {
            assert_eq!(phone(q), (Some("+13255550188".into()), None), "{q}");
        }
        assert_eq!(phone("+44 20 7946 0958"), (Some("+442079460958".into()), None));
    }

    #[test]
    fn the_last_digits_are_a_suffix() {
        assert_eq!(phone("0188"), (None, Some("0188".into())));
        assert_eq!(phone("555-0188"), (None, Some("5550188".into())));
        assert_eq!(phone("5550188"), (None, Some("5550188".into())));
        // too few digits to be a phone number, but it may be an RO number
        let p = interpret("188").unwrap();
        assert_eq!((p.phone_suffix, p.ro_number), (None, Some("188".into())));
    }

    #[test]
    fn a_bare_number_may_be_an_ro_or_a_vin_serial() {
        let p = interpret("5550188").unwrap();
        assert_eq!(p.ro_number.as_deref(), Some("5550188"));
        assert_eq!(p.vin_suffix.as_deref(), Some("5550188"));
        let p = interpret("500123").unwrap();
        assert_eq!(p.vin_suffix.as_deref(), Some("500123"));
        // punctuation means a phone number, not an RO
        assert_eq!(interpret("555-0188").unwrap().ro_number, None);
    }

    #[test]
    fn vins_whole_or_by_their_last_characters() {
        let p = interpret("1hgcv1f39la012345").unwrap();
        assert_eq!(p.vin_exact.as_deref(), Some("1HGCV1F39LA012345"));
        let p = interpret("la012345").unwrap();
        assert_eq!(p.vin_suffix.as_deref(), Some("LA012345"));
        assert_eq!(p.ro_number.as_deref(), Some("la012345"));
        assert!(p.name_words.is_empty());
        let p = interpret("A12345").unwrap();
        assert_eq!(p.vin_suffix.as_deref(), Some("A12345"));
        // an RO number that cannot be a VIN's end
        let p = interpret("RO-88812").unwrap();
        assert_eq!((p.vin_suffix, p.ro_number.as_deref()), (None, Some("RO-88812")));
    }

    #[test]
    fn emails_and_names() {
        assert_eq!(
            interpret(" Ana.Lopez@Example.com").unwrap().email_prefix.as_deref(),
            Some("ana.lopez@example.com")
        );
        let p = interpret("Lopez, Ana").unwrap();
        assert_eq!(p.name_words, vec!["lopez", "ana"]);
        assert_eq!(p.name_driver(), Some("lopez"));
        assert_eq!(interpret("nguyen").unwrap().name_words, vec!["nguyen"]);
        assert_eq!(interpret("O'Brien").unwrap().name_words, vec!["o'brien"]);
        assert_eq!(interpret("   "), None);
        assert_eq!(interpret("--"), None);
    }
}
