//! Money is integer cents everywhere; this is how it reads to people.

/// `$1,234.56` from cents.
pub fn dollars(cents: i64) -> String {
    let neg = cents < 0;
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${}.{:02}", if neg { "-" } else { "" }, grouped, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dollars() {
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(7995), "$79.95");
        assert_eq!(dollars(123_456_789), "$1,234,567.89");
        assert_eq!(dollars(-500), "-$5.00");
    }
}
