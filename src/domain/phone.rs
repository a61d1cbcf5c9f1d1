//! Phone numbers: whatever a form, a DMS or a carrier gives us, as E.164 (`+15125550100`),
//! validated with libphonenumber's metadata (the `phonenumber` crate). Numbers without a
//! country code are read as North American.
//!
//! Parsing with the crate costs tens of microseconds, and a DMS export brings hundreds of
//! thousands of distinct numbers, nearly all plainly written US or Canadian ones. Those take a
//! fast path ([`nanp_fast`]): the digits are read directly and the crate is asked once per area
//! code + exchange (the first six digits) whether such numbers are valid US or Canadian ones.
//! Everything else (other countries, extensions, letters, invalid numbers) goes through the crate.

use std::sync::atomic::{AtomicU8, Ordering};

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
    /// Numbers off the fast path are parsed with libphonenumber's metadata; an import sees the
    /// same customers' numbers again and again.
    static SEEN: std::cell::RefCell<std::collections::HashMap<String, Result<String, PhoneError>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// E.164 form of a number, or why it is not usable.
pub fn normalize(raw: &str) -> Result<String, PhoneError> {
    if let Some(e164) = nanp_fast(raw.trim()) {
        return Ok(e164);
    }
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

/// A phone number in E.164 form (`+15125550100`). Numbers from outside (an export, a lead
/// form, a carrier) become one only through [`PhoneE164::parse`], which is [`normalize`];
/// numbers read back from the database through [`PhoneE164::from_stored`], which checks the
/// form only: they were normalised when written, and asking libphonenumber again would let a
/// newer edition of its tables make a stored customer unreadable. Reads as the `str` it holds;
/// serde and the store carry it as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneE164(String);

impl PhoneE164 {
    /// Whatever a person, a DMS or a carrier wrote, normalised (see [`normalize`]).
    pub fn parse(raw: &str) -> Result<PhoneE164, PhoneError> {
        normalize(raw).map(PhoneE164)
    }

    /// A number as the database holds it: `+` and 2 to 15 digits, the first not 0. Err names
    /// what is wrong.
    pub fn from_stored(stored: &str) -> Result<PhoneE164, String> {
        let digits = stored.strip_prefix('+').unwrap_or("");
        if !(2..=15).contains(&digits.len()) || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "`{}` is not a phone number in E.164 form",
                stored.escape_debug()
            ));
        }
        Ok(PhoneE164(stored.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for PhoneE164 {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PhoneE164 {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PhoneE164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<PhoneE164> for String {
    fn from(p: PhoneE164) -> String {
        p.0
    }
}

impl serde::Serialize for PhoneE164 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// From JSON it is input like any other: normalised, or refused with the reason.
impl<'de> serde::Deserialize<'de> for PhoneE164 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PhoneE164, D::Error> {
        let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        PhoneE164::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Through libphonenumber: the reference for every result `normalize` gives.
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

/// What the crate said about an area code + exchange (NPA-NXX), filled in as numbers are seen:
/// index `(npa - 200) * 800 + (nxx - 200)`.
static PREFIXES: [AtomicU8; 800 * 800] = [const { AtomicU8::new(UNASKED) }; 800 * 800];
const UNASKED: u8 = 0;
/// Every number with this NPA-NXX is a valid US or Canadian one.
const FAST: u8 = 1;
/// Anything else (invalid, or another NANP country): the full parse decides, number by number.
const SLOW: u8 = 2;

/// `+1XXXXXXXXXX` for a valid US or Canadian number written plainly — ten digits, or eleven
/// starting with 1, optionally after a `+`, with only spaces, dashes, dots and parentheses
/// between them; None when the full parse must decide. Never disagrees with [`parse`].
///
/// Why one question per NPA-NXX is enough: for US and Canadian numbers, libphonenumber's
/// patterns (and its choice of region among the NANP countries) depend on at most the first six
/// digits; only some Caribbean numbering plans (Barbados, Jamaica) look further, and those
/// resolve to their own region, so they stay on the slow path.
fn nanp_fast(number: &str) -> Option<String> {
    let rest = number.strip_prefix('+').unwrap_or(number);
    let mut digits = [0u8; 11];
    let mut n = 0;
    for b in rest.bytes() {
        match b {
            b'0'..=b'9' if n < digits.len() => {
                digits[n] = b;
                n += 1;
            }
            b' ' | b'-' | b'.' | b'(' | b')' => {}
            _ => return None,
        }
    }
    let ten: &[u8] = match n {
        11 if digits[0] == b'1' => &digits[1..],
        // with a `+`, ten digits start with a country code other than 1
        10 if rest.len() == number.len() => &digits[..10],
        _ => return None,
    };
    // NXX-NXX: area code and exchange start with 2-9
    if !(b'2'..=b'9').contains(&ten[0]) || !(b'2'..=b'9').contains(&ten[3]) {
        return None;
    }
    let three = |d: &[u8]| d.iter().fold(0usize, |acc, b| acc * 10 + (b - b'0') as usize);
    let (npa, nxx) = (three(&ten[..3]), three(&ten[3..6]));
    let slot = &PREFIXES[(npa - 200) * 800 + (nxx - 200)];
    let mut state = slot.load(Ordering::Relaxed);
    if state == UNASKED {
        state = ask_crate(npa, nxx);
        slot.store(state, Ordering::Relaxed);
    }
    if state != FAST {
        return None;
    }
    let mut e164 = String::with_capacity(12);
    e164.push_str("+1");
    e164.push_str(std::str::from_utf8(ten).ok()?);
    Some(e164)
}

/// Is NPA-NXX-0000 a valid number that libphonenumber places in the US or Canada?
fn ask_crate(npa: usize, nxx: usize) -> u8 {
    use phonenumber::country::Id;
    let sample = format!("{npa:03}{nxx:03}0000");
    match phonenumber::parse(Some(Id::US), &sample) {
        Ok(p) if phonenumber::is_valid(&p) && matches!(p.country().id(), Some(Id::US | Id::CA)) => FAST,
        _ => SLOW,
    }
}

/// A number as people write it: `(325) 555-0188` for a North American one, `+44 …` as stored
/// for others (their grouping varies by country; E.164 is what they would dial).
pub fn display(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(d) if d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit()) => {
            format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..])
        }
        _ => e164.to_string(),
    }
}

impl PhoneE164 {
    /// As people write it (see [`display`]).
    pub fn display(&self) -> String {
        display(&self.0)
    }
}

#[cfg(test)]
mod display_tests {
    use super::*;

    #[test]
    fn north_american_numbers_are_written_as_people_write_them() {
        assert_eq!(display("+13255550188"), "(325) 555-0188");
        assert_eq!(
            PhoneE164::from_stored("+15125550142").unwrap().display(),
            "(512) 555-0142"
        );
        assert_eq!(display("+442071838750"), "+442071838750");
        assert_eq!(display("+1325555"), "+1325555");
    }
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
    fn a_phone_e164_is_a_normalised_number_and_nothing_else() {
        let p = PhoneE164::parse("(512) 555-0100").unwrap();
        assert_eq!(
            (p.as_str(), p.to_string()),
            ("+15125550100", "+15125550100".to_string())
        );
        assert!(p.starts_with("+1512"), "reads as a str");
        assert_eq!(
            PhoneE164::parse("555-0100").unwrap_err(),
            PhoneError::Invalid("555-0100".into())
        );
        assert_eq!(PhoneE164::parse(" "), Err(PhoneError::Empty));
        // serde: a string, normalised on the way in
        assert_eq!(serde_json::to_string(&p).unwrap(), r#""+15125550100""#);
        assert_eq!(serde_json::from_str::<PhoneE164>(r#""512.555.0100""#).unwrap(), p);
        let err = serde_json::from_str::<PhoneE164>(r#""call me""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`call me` is not a phone number"), "{err}");
        // stored: the form is checked, not the numbering plan
        assert_eq!(PhoneE164::from_stored("+15125550100").unwrap(), p);
        assert!(PhoneE164::from_stored("+15555550100").is_ok());
        for bad in ["5125550100", "+0125550100", "+1 512 555", "+", "+1234567890123456", ""] {
            assert!(PhoneE164::from_stored(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unusable_numbers_say_why() {
        assert_eq!(normalize("  "), Err(PhoneError::Empty));
        assert!(matches!(normalize("call me"), Err(PhoneError::Unparseable(_))));
        assert!(normalize("555-0100").is_err());
        assert!(normalize("(012) 555-0100").is_err(), "area codes never start with 0");
    }

    /// The fast path gives the crate's answer or none at all, for every shape and area code.
    #[test]
    fn the_fast_path_agrees_with_libphonenumber() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let mut fast = 0;
        let shapes = [
            "({a}) {b}-{c}",
            "{a}-{b}-{c}",
            "{a}.{b}.{c}",
            "{a}{b}{c}",
            "+1 {a} {b} {c}",
            "+1{a}{b}{c}",
            "1-{a}-{b}-{c}",
            "1 ({a}) {b}-{c}",
            "+{a}{b}{c}",
            "{a} {b} {c} ext 7",
            "{a}) {b}-{c}",
            "(({a})) {b}--{c}.",
            "{a}-{b}-{c}-1",
            "{a}/{b}-{c}",
            "+1 {a}  {b} {c}",
        ];
        let mut numbers: Vec<String> = Vec::new();
        for i in 0..6000 {
            // mostly plausible area codes, some of every other kind (0xx, 1xx, N11, Caribbean...)
            let npa = match i % 4 {
                0 => rng.random_range(0..1000),
                _ => rng.random_range(200..1000),
            };
            let nxx = match i % 3 {
                0 => rng.random_range(0..1000),
                _ => rng.random_range(200..1000),
            };
            let shape = shapes[rng.random_range(0..shapes.len())];
            numbers.push(
                shape
                    .replace("{a}", &format!("{npa:03}"))
                    .replace("{b}", &format!("{nxx:03}"))
                    .replace("{c}", &format!("{:04}", rng.random_range(0..10_000))),
            );
        }
        // the numbering plans that look past the sixth digit
        numbers.extend(
            [
                "246 521 0100",
                "246 521 1100",
                "876 606 0100",
                "876 606 1100",
                "246 521 7100",
            ]
            .map(String::from),
        );
        for raw in &numbers {
            let reference = parse(raw);
            if let Some(e164) = nanp_fast(raw.trim()) {
                fast += 1;
                assert_eq!(Ok(&e164), reference.as_ref(), "{raw}");
            }
            assert_eq!(normalize(raw), reference, "{raw}");
        }
        assert!(fast > 1000, "the fast path took only {fast} of {}", numbers.len());
    }
}
