//! What a customer record says in words the database constrains: where the customer is in the
//! sales funnel and how they paid for a vehicle they own.

super::word_enum! {
    /// Where a lead stands (`leads.status`); new unless said otherwise, as in the schema.
    #[derive(Default)]
    pub enum LeadStatus {
        /// just arrived (a lead form, an unknown number texting in)
        #[default]
        New = "new",
        Contacted = "contacted",
        Engaged = "engaged",
        /// has bought or serviced here (a DMS customer)
        Customer = "customer",
        Lost = "lost",
    }
}

super::word_enum! {
    /// How a vehicle was paid for (`ownerships.finance_type`).
    pub enum FinanceType {
        Loan = "loan",
        Lease = "lease",
        Cash = "cash",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_are_the_ones_the_schema_allows() {
        // migrations/V1__base.sql (leads.status) and V2__vertical.sql (ownerships.finance_type)
        assert_eq!(LeadStatus::words(), "new, contacted, engaged, customer, lost");
        assert_eq!(FinanceType::words(), "loan, lease, cash");
        assert_eq!(FinanceType::parse("finance"), None);
        assert_eq!(serde_json::to_string(&LeadStatus::Customer).unwrap(), r#""customer""#);
    }
}

/// A customer card as a rep corrects it, checked: blanks are None, the state is its two-letter
/// code, the zone an IANA name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub state: Option<String>,
    pub timezone: Option<chrono_tz::Tz>,
}

/// Check a card field by field: Err lists (field, what to fix) for every bad one.
pub fn check_card(
    first_name: &str,
    last_name: &str,
    email: &str,
    state: &str,
    timezone: &str,
) -> Result<Card, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let blank = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let mut name = |field: &'static str, raw: &str| {
        let v = blank(raw)?;
        if v.chars().count() > 100 {
            errors.push((field, "must be at most 100 characters".to_string()));
        } else if v.chars().any(char::is_control) {
            errors.push((field, "must be one line of text".to_string()));
        }
        Some(v)
    };
    let first_name = name("first_name", first_name);
    let last_name = name("last_name", last_name);
    let email = blank(email).map(|e| e.to_lowercase());
    if let Some(e) = &email {
        let ok = e.len() <= 254
            && !e.chars().any(|c| c.is_whitespace() || c.is_control())
            && e.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if !ok {
            errors.push(("email", format!("`{e}` is not an email address, e.g. ana@example.com")));
        }
    }
    let state = match blank(state) {
        None => None,
        Some(s) => match super::geo::normalize_state(&s) {
            Some(code) => Some(code.to_string()),
            None => {
                errors.push((
                    "state",
                    format!("`{s}` is not a US state; give its two letters, e.g. TX"),
                ));
                None
            }
        },
    };
    let timezone = match blank(timezone) {
        None => None,
        Some(z) => match z.parse::<chrono_tz::Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                errors.push((
                    "timezone",
                    format!("`{z}` is not a time zone; use a name like America/Chicago"),
                ));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(Card {
            first_name,
            last_name,
            email,
            state,
            timezone,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod card_tests {
    use super::*;

    #[test]
    fn a_card_is_checked_field_by_field() {
        let c = check_card(" Ana ", "Lopez", "Ana@Example.com", "tx", "America/Chicago").unwrap();
        assert_eq!(c.first_name.as_deref(), Some("Ana"));
        assert_eq!(c.email.as_deref(), Some("ana@example.com"));
        assert_eq!(c.state.as_deref(), Some("TX"));
        assert_eq!(c.timezone, Some(chrono_tz::America::Chicago));
        let blank = check_card("", " ", "", "", "").unwrap();
        assert_eq!(blank.first_name, None);
        assert_eq!(blank.timezone, None);
        let errs = check_card(&"x".repeat(101), "", "not-an-email", "Narnia", "Mars/Olympus").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.0).collect();
        assert_eq!(fields, ["first_name", "email", "state", "timezone"]);
    }
}
