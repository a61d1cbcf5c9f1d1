//! Money is integer cents everywhere ([`Cents`]); this is how it reads to people.

/// An amount of money in whole cents: never a float, never dollars by mistake. Serde and the
/// store carry it as the number of cents (`7995`); it shows as dollars (`$79.95`). What range
/// an amount may have depends on what it is (a visit's amounts: `visit::check_cents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Cents(i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub const fn new(cents: i64) -> Cents {
        Cents(cents)
    }

    /// The number of cents.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&dollars(self.0))
    }
}

/// `$1,234.56` from cents.
pub fn dollars(cents: i64) -> String {
    let neg = cents < 0;
    let cents = cents.unsigned_abs();
    format!(
        "{}${}.{:02}",
        if neg { "-" } else { "" },
        grouped(cents / 100),
        cents % 100
    )
}

/// `41,000` from 41000.
pub fn thousands(n: i64) -> String {
    format!("{}{}", if n < 0 { "-" } else { "" }, grouped(n.unsigned_abs()))
}

fn grouped(n: u64) -> String {
    let whole = n.to_string();
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(
            (thousands(41_000), thousands(999), thousands(-1_234_567)),
            ("41,000".into(), "999".into(), "-1,234,567".into())
        );
    }

    #[test]
    fn formats_dollars() {
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(7995), "$79.95");
        assert_eq!(dollars(123_456_789), "$1,234,567.89");
        assert_eq!(dollars(-500), "-$5.00");
    }

    #[test]
    fn cents_are_a_number_on_the_wire_and_dollars_to_people() {
        let c = Cents::new(7995);
        assert_eq!((c.get(), c.to_string()), (7995, "$79.95".to_string()));
        assert_eq!(serde_json::to_string(&c).unwrap(), "7995");
        assert_eq!(serde_json::from_str::<Cents>("7995").unwrap(), c);
        assert!(serde_json::from_str::<Cents>("79.95").is_err(), "never a float");
        assert!(serde_json::from_str::<Cents>(r#""7995""#).is_err());
        assert_eq!(Cents::default(), Cents::ZERO);
    }
}
