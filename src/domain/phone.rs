//! Phone numbers: whatever a form, a DMS or a carrier gives us, as E.164 (`+15125550100`),
//! validated with libphonenumber's metadata (the `phonenumber` crate). Numbers without a
//! country code are read as North American.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("no phone number given")]
    Empty,
    #[error("`{0}` is not a phone number")]
    Unparseable(String),
    #[error("`{0}` is not a valid phone number")]
    Invalid(String),
}

thread_local! {
    /// Parsing with libphonenumber's metadata costs tens of microseconds; an import sees the
    /// same customers' numbers again and again.
    static SEEN: std::cell::RefCell<std::collections::HashMap<String, Result<String, PhoneError>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// E.164 form of a number, or why it is not usable.
pub fn normalize(raw: &str) -> Result<String, PhoneError> {
    if let Some(hit) = SEEN.with(|m| m.borrow().get(raw).cloned()) {
        return hit;
    }
    let result = parse(raw);
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 200_000 {
            m.clear();
        }
        m.insert(raw.to_string(), result.clone());
    });
    result
}

fn parse(raw: &str) -> Result<String, PhoneError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Empty);
    }
    // extensions are for voice calls; texts go to the line itself
    let lower = trimmed.to_ascii_lowercase();
    let cut = ["ext", " x", "#"]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(trimmed.len());
    let number = trimmed[..cut].trim();
    if !number.chars().any(|c| c.is_ascii_digit()) {
        return Err(PhoneError::Unparseable(trimmed.to_string()));
    }
    let parsed = phonenumber::parse(Some(phonenumber::country::Id::US), number)
        .map_err(|_| PhoneError::Unparseable(trimmed.to_string()))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(PhoneError::Invalid(trimmed.to_string()));
    }
    Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_people_type_become_e164() {
        for raw in [
            "(512) 555-0100",
            "512-555-0100",
            "512.555.0100",
            "5125550100",
            "+1 512 555 0100",
            "1-512-555-0100",
            " 512 555 0100 ext. 12",
            "512-555-0100 x4",
        ] {
            assert_eq!(normalize(raw).as_deref(), Ok("+15125550100"), "{raw}");
        }
        assert_eq!(normalize("+44 20 7946 0958").as_deref(), Ok("+442079460958"));
    }

    #[test]
    fn unusable_numbers_say_why() {
        assert_eq!(normalize("  "), Err(PhoneError::Empty));
        assert!(matches!(normalize("call me"), Err(PhoneError::Unparseable(_))));
        assert!(normalize("555-0100").is_err());
        assert!(normalize("(012) 555-0100").is_err(), "area codes never start with 0");
    }
}
