//! What makes an account valid: its vertical and its time zone.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// The business an account is in; decides which vertical features apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vertical {
    General,
    Automotive,
    Powersports,
    Marine,
    Rv,
}

impl Vertical {
    pub const ALL: [Vertical; 5] = [
        Vertical::General,
        Vertical::Automotive,
        Vertical::Powersports,
        Vertical::Marine,
        Vertical::Rv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Vertical::General => "general",
            Vertical::Automotive => "automotive",
            Vertical::Powersports => "powersports",
            Vertical::Marine => "marine",
            Vertical::Rv => "rv",
        }
    }
}

impl fmt::Display for Vertical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Vertical {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim().to_ascii_lowercase();
        Vertical::ALL.into_iter().find(|v| v.as_str() == wanted).ok_or_else(|| {
            Error::invalid(
                "unknown_vertical",
                format!(
                    "unknown vertical `{s}`; expected one of: {}",
                    Vertical::ALL.map(|v| v.as_str()).join(", ")
                ),
            )
        })
    }
}

/// An IANA time zone name such as `America/Chicago`.
pub fn parse_timezone(name: &str) -> Result<chrono_tz::Tz> {
    name.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        Error::invalid(
            "unknown_timezone",
            format!("unknown time zone `{name}`; use an IANA name such as America/Chicago"),
        )
    })
}

/// An account's display name: trimmed, not empty, not absurdly long.
pub fn validate_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Error::invalid(
            "invalid_name",
            "account name must be 1 to 120 characters",
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verticals_parse_case_insensitively_and_reject_unknown() {
        assert_eq!("Automotive".parse::<Vertical>().unwrap(), Vertical::Automotive);
        assert_eq!(" general ".parse::<Vertical>().unwrap(), Vertical::General);
        let err = "bakery".parse::<Vertical>().unwrap_err().to_string();
        assert!(err.contains("bakery") && err.contains("automotive"), "{err}");
    }

    #[test]
    fn timezones_are_iana_names() {
        assert!(parse_timezone("America/Chicago").is_ok());
        assert!(parse_timezone("Central").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(validate_name("  Lakeside Honda ").unwrap(), "Lakeside Honda");
        assert!(validate_name("   ").is_err());
        assert!(validate_name(&"x".repeat(121)).is_err());
    }
}
