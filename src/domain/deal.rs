//! A vehicle sale as the DMS's deal export describes it: how it was paid for, new or used, and
//! the words and numbers a deal jacket uses for them. Pure: the import reads cells through these.

use super::customer::FinanceType;

super::word_enum! {
    /// How a deal was paid for (`deals.sale_type`).
    pub enum SaleType {
        Cash = "cash",
        Finance = "finance",
        Lease = "lease",
    }
}

super::word_enum! {
    /// Whether the sold vehicle was new or used (`deals.condition`); certified pre-owned is used.
    pub enum Condition {
        New = "new",
        Used = "used",
    }
}

impl SaleType {
    /// The ownership's finance type: a financed deal is a loan.
    pub fn finance_type(self) -> FinanceType {
        match self {
            SaleType::Cash => FinanceType::Cash,
            SaleType::Finance => FinanceType::Loan,
            SaleType::Lease => FinanceType::Lease,
        }
    }

    /// The sale type in a DMS's words: `CASH`, `Retail Finance`, `FIN`, `Loan`, `Balloon`,
    /// `LSE`, `Lease`, `R` (retail), `L`, `C`... None when it is none of them.
    pub fn read(raw: &str) -> Option<SaleType> {
        let w: String = raw
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let w = w.strip_prefix("retail").filter(|rest| !rest.is_empty()).unwrap_or(&w);
        match w {
            "cash" | "c" | "cashdeal" | "paidincash" => Some(SaleType::Cash),
            "finance" | "financed" | "fin" | "f" | "loan" | "retail" | "r" | "balloon" | "retailfinance"
            | "installment" | "purchase" => Some(SaleType::Finance),
            "lease" | "lse" | "l" | "leased" | "onepaylease" | "singlepaylease" => Some(SaleType::Lease),
            _ => None,
        }
    }
}

impl Condition {
    /// `N`, `New`, `U`, `Used`, `CPO`, `Certified`, `Pre-Owned`, `Demo`...
    pub fn read(raw: &str) -> Option<Condition> {
        let w: String = raw
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match w.as_str() {
            "n" | "new" => Some(Condition::New),
            "u" | "used" | "cpo" | "certified" | "certifiedpreowned" | "preowned" | "demo" => Some(Condition::Used),
            _ => None,
        }
    }
}

/// An annual percentage rate in basis points (649 = 6.49 %), 0 to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Apr(i64);

impl Apr {
    pub const MAX_BPS: i64 = 10_000;

    /// `6.49`, `6.49%`, ` 0.9 % `, `0` (a rate is written as a percentage).
    pub fn read(raw: &str) -> Result<Apr, String> {
        let t = raw.trim().trim_end_matches('%').trim();
        let bad = || format!("`{raw}` is not a rate (write it as a percentage, like 6.49)");
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 3
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        // basis points: two decimals, rounded half up on the third
        let digits: Vec<i64> = frac
            .bytes()
            .map(|b| i64::from(b - b'0'))
            .chain([0, 0, 0])
            .take(3)
            .collect();
        let bps = whole * 100 + digits[0] * 10 + digits[1] + i64::from(digits[2] >= 5);
        if bps > Apr::MAX_BPS {
            return Err(format!("`{raw}` is more than 100 %: not an APR"));
        }
        Ok(Apr(bps))
    }

    pub fn from_bps(bps: i64) -> Option<Apr> {
        (0..=Apr::MAX_BPS).contains(&bps).then_some(Apr(bps))
    }

    pub fn bps(self) -> i64 {
        self.0
    }
}

/// Loan or lease terms a deal can have, in months (`deals.term_months`, `ownerships.term_months`).
pub const TERM_MONTHS: std::ops::RangeInclusive<i64> = 1..=120;
/// Miles a year a lease can allow.
pub const LEASE_MILES: std::ops::RangeInclusive<i64> = 1..=100_000;

/// A term: `72`, `72 mo`, `72 months`, `60M`.
pub fn read_term(raw: &str) -> Result<i64, String> {
    let t = raw.trim().to_ascii_lowercase();
    let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.' || c.is_whitespace());
    let months: i64 = digits.parse().map_err(|_| format!("`{raw}` is not a term in months"))?;
    if !TERM_MONTHS.contains(&months) {
        return Err(format!("a term of {months} months is not one a deal has (1 to 120)"));
    }
    Ok(months)
}

/// Lease miles a year: `12000`, `12,000`, `12K`, `12,000 mi`.
pub fn read_lease_miles(raw: &str) -> Result<i64, String> {
    let t = raw.trim().to_ascii_lowercase().replace(',', "");
    let t = t
        .trim_end_matches("miles")
        .trim_end_matches("mi")
        .trim_end_matches("/yr")
        .trim();
    let (digits, thousands) = match t.strip_suffix('k') {
        Some(d) => (d.trim(), 1000),
        None => (t, 1),
    };
    let miles: i64 = digits
        .parse::<i64>()
        .map_err(|_| format!("`{raw}` is not a number of miles a year"))?
        .saturating_mul(thousands);
    if !LEASE_MILES.contains(&miles) {
        return Err(format!("{miles} miles a year is not a lease allowance (1 to 100,000)"));
    }
    Ok(miles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sale_types_in_the_dms_words() {
        for (raw, t) in [
            ("CASH", SaleType::Cash),
            ("Retail Finance", SaleType::Finance),
            ("FIN", SaleType::Finance),
            ("Loan", SaleType::Finance),
            ("R", SaleType::Finance),
            ("LSE", SaleType::Lease),
            ("Lease", SaleType::Lease),
            ("retail lease", SaleType::Lease),
            ("One-Pay Lease", SaleType::Lease),
        ] {
            assert_eq!(SaleType::read(raw), Some(t), "{raw}");
        }
        assert_eq!(SaleType::read("wholesale"), None);
        assert_eq!(SaleType::Finance.finance_type(), FinanceType::Loan);
        assert_eq!(SaleType::words(), "cash, finance, lease");
    }

    #[test]
    fn new_or_used() {
        assert_eq!(Condition::read("N"), Some(Condition::New));
        assert_eq!(Condition::read("Pre-Owned"), Some(Condition::Used));
        assert_eq!(Condition::read("CPO"), Some(Condition::Used));
        assert_eq!(Condition::read("fleet"), None);
    }

    #[test]
    fn rates_are_percentages_in_basis_points() {
        assert_eq!(Apr::read("6.49").unwrap().bps(), 649);
        assert_eq!(Apr::read("6.49%").unwrap().bps(), 649);
        assert_eq!(Apr::read(" 0.9 % ").unwrap().bps(), 90);
        assert_eq!(Apr::read("0").unwrap().bps(), 0);
        assert_eq!(Apr::read("3.995").unwrap().bps(), 400);
        assert_eq!(Apr::read(".5").unwrap().bps(), 50);
        assert!(Apr::read("abc").is_err());
        assert!(Apr::read("-1").is_err());
        assert!(Apr::read("101").is_err());
        assert!(Apr::read(".").is_err());
    }

    #[test]
    fn terms_and_lease_miles() {
        assert_eq!(read_term("72"), Ok(72));
        assert_eq!(read_term("72 mo"), Ok(72));
        assert_eq!(read_term("60 Months"), Ok(60));
        assert!(read_term("0").is_err());
        assert!(read_term("600").is_err());
        assert!(read_term("six").is_err());
        assert_eq!(read_lease_miles("12,000"), Ok(12_000));
        assert_eq!(read_lease_miles("10K"), Ok(10_000));
        assert_eq!(read_lease_miles("15000 mi"), Ok(15_000));
        assert!(read_lease_miles("lots").is_err());
        assert!(read_lease_miles("0").is_err());
    }
}
