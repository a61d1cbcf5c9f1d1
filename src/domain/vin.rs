//! Vehicle identification numbers (ISO 3779 / 49 CFR 565): validation, the check digit, and
//! what can be read straight off a VIN (model year, manufacturer).

/// Transliteration values for the check-digit computation; I, O and Q never appear.
fn value(c: char) -> Option<u32> {
    Some(match c {
        '0'..='9' => c as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        _ => return None,
    })
}

const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The check digit (position 9) a VIN should carry, or None if it has invalid characters.
pub fn check_digit(vin: &str) -> Option<char> {
    if vin.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (i, c) in vin.chars().enumerate() {
        sum += value(c)? * WEIGHTS[i];
    }
    Some(match sum % 11 {
        10 => 'X',
        n => char::from_digit(n, 10).expect("digit"),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VinError {
    Length(usize),
    Character(char),
    CheckDigit { expected: char, found: char },
}

impl std::fmt::Display for VinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VinError::Length(n) => write!(f, "a VIN has 17 characters, this one has {n}"),
            VinError::Character(c) => write!(f, "`{c}` cannot appear in a VIN (letters I, O and Q never do)"),
            VinError::CheckDigit { expected, found } => {
                write!(f, "check digit is `{found}` but the other characters give `{expected}`")
            }
        }
    }
}

/// A vehicle identification number: 17 characters, upper case, check digit right. Made only by
/// [`parse`] (or [`Vin::parse`], the same) and, for generated data, [`synthesize`]; reads as
/// the `str` it holds; serde and the store carry it as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vin(String);

impl Vin {
    /// See [`parse`].
    pub fn parse(raw: &str) -> Result<Vin, VinError> {
        parse(raw)
    }

    /// A VIN read back from the store: 17 VIN characters, upper case. The check digit is not
    /// checked again: a stored value written by another version, by generated data or by hand
    /// must not make its customer unreadable (a 500 on every page that shows them), and
    /// position 9 is a check digit only for North American vehicles.
    pub fn from_stored(stored: &str) -> Result<Vin, VinError> {
        let n = stored.chars().count();
        if n != 17 {
            return Err(VinError::Length(n));
        }
        if let Some(c) = stored
            .chars()
            .find(|c| !c.is_ascii_uppercase() && !c.is_ascii_digit() || value(*c).is_none())
        {
            return Err(VinError::Character(c));
        }
        Ok(Vin(stored.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Vin {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Vin {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Vin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Vin> for String {
    fn from(v: Vin) -> String {
        v.0
    }
}

impl serde::Serialize for Vin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Vin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Vin, D::Error> {
        let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        parse(&raw).map_err(|e| serde::de::Error::custom(format!("`{}` is not a valid VIN: {e}", raw.escape_debug())))
    }
}

/// Normalise (trim, upper-case) and validate a VIN, check digit included.
pub fn parse(raw: &str) -> Result<Vin, VinError> {
    let vin: String = raw.trim().to_ascii_uppercase();
    let n = vin.chars().count();
    if n != 17 {
        return Err(VinError::Length(n));
    }
    if let Some(c) = vin.chars().find(|c| value(*c).is_none()) {
        return Err(VinError::Character(c));
    }
    let expected = check_digit(&vin).expect("characters checked");
    let found = vin.as_bytes()[8] as char;
    if expected != found {
        return Err(VinError::CheckDigit { expected, found });
    }
    Ok(Vin(vin))
}

/// The model year from position 10. The code repeats every 30 years; positions 7 being a
/// letter marks 2010 onwards for North American passenger vehicles, and a year after
/// `latest` is rolled back a cycle.
pub fn model_year(vin: &str, latest: i32) -> Option<i32> {
    const CODES: &str = "ABCDEFGHJKLMNPRSTVWXY123456789"; // 1980..=2009, then 2010..=2039
    let c = vin.chars().nth(9)?;
    let idx = CODES.find(c)? as i32;
    let seventh_is_letter = vin.chars().nth(6).is_some_and(|c| c.is_ascii_alphabetic());
    let mut year = 1980 + idx + if seventh_is_letter { 30 } else { 0 };
    while year > latest {
        year -= 30;
    }
    Some(year)
}

/// The manufacturer from the world manufacturer identifier (first three characters), for
/// common makes sold at US dealerships.
pub fn make(vin: &str) -> Option<&'static str> {
    let wmi = vin.get(0..3)?;
    let by3: &[(&str, &str)] = &[
        ("1HG", "Honda"),
        ("2HG", "Honda"),
        ("5J6", "Honda"),
        ("5FN", "Honda"),
        ("19X", "Honda"),
        ("7FA", "Honda"),
        ("SHH", "Honda"),
        ("JHM", "Honda"),
        ("5KB", "Honda"),
        ("19U", "Acura"),
        ("JH4", "Acura"),
        ("5J8", "Acura"),
        ("4T1", "Toyota"),
        ("4T3", "Toyota"),
        ("5TD", "Toyota"),
        ("5TF", "Toyota"),
        ("2T1", "Toyota"),
        ("2T3", "Toyota"),
        ("JTD", "Toyota"),
        ("JTM", "Toyota"),
        ("JTE", "Toyota"),
        ("JTN", "Toyota"),
        ("58A", "Lexus"),
        ("JTH", "Lexus"),
        ("2T2", "Lexus"),
        ("1FA", "Ford"),
        ("1FT", "Ford"),
        ("1FM", "Ford"),
        ("3FA", "Ford"),
        ("1FD", "Ford"),
        ("1G1", "Chevrolet"),
        ("1GC", "Chevrolet"),
        ("1GN", "Chevrolet"),
        ("3GN", "Chevrolet"),
        ("2G1", "Chevrolet"),
        ("1GT", "GMC"),
        ("1GK", "GMC"),
        ("3GT", "GMC"),
        ("1G6", "Cadillac"),
        ("1GY", "Cadillac"),
        ("1C4", "Jeep"),
        ("1J4", "Jeep"),
        ("1C6", "Ram"),
        ("3C6", "Ram"),
        ("2C3", "Chrysler"),
        ("2C4", "Chrysler"),
        ("1N4", "Nissan"),
        ("1N6", "Nissan"),
        ("5N1", "Nissan"),
        ("3N1", "Nissan"),
        ("JN8", "Nissan"),
        ("KMH", "Hyundai"),
        ("5NP", "Hyundai"),
        ("5NM", "Hyundai"),
        ("KNA", "Kia"),
        ("KND", "Kia"),
        ("5XY", "Kia"),
        ("JF1", "Subaru"),
        ("JF2", "Subaru"),
        ("4S3", "Subaru"),
        ("4S4", "Subaru"),
        ("JM1", "Mazda"),
        ("JM3", "Mazda"),
        ("3VW", "Volkswagen"),
        ("1VW", "Volkswagen"),
        ("WVW", "Volkswagen"),
        ("WVG", "Volkswagen"),
        ("WBA", "BMW"),
        ("5UX", "BMW"),
        ("WDD", "Mercedes-Benz"),
        ("4JG", "Mercedes-Benz"),
        ("W1K", "Mercedes-Benz"),
        ("WAU", "Audi"),
        ("5YJ", "Tesla"),
        ("7SA", "Tesla"),
        ("YV1", "Volvo"),
        ("YV4", "Volvo"),
    ];
    by3.iter().find(|(w, _)| *w == wmi).map(|(_, m)| *m)
}

/// A well-formed VIN for generated data: `wmi` (3) + `vds` (5) + check digit + model-year
/// code + `plant` + a six-digit `serial`.
pub fn synthesize(wmi: &str, vds: &str, year: i32, plant: char, serial: u32) -> Vin {
    const YEAR_CODES: &str = "ABCDEFGHJKLMNPRSTVWXY123456789";
    let year_code = YEAR_CODES.as_bytes()[((year - 1980).rem_euclid(30)) as usize] as char;
    let mut v = format!("{wmi}{vds}0{year_code}{plant}{:06}", serial % 1_000_000);
    let check = check_digit(&v).unwrap_or('0');
    v.replace_range(8..9, &check.to_string());
    Vin(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_vins_and_normalises_case() {
        // the worked example from 49 CFR 565 / common references
        assert_eq!(parse("1M8GDM9AXKP042788").unwrap().as_str(), "1M8GDM9AXKP042788");
        assert_eq!(parse(" 1hgcm82633a004352 ").unwrap().as_str(), "1HGCM82633A004352");
    }

    #[test]
    fn rejects_bad_vins_with_reasons() {
        assert_eq!(parse("1HGCM82633A00435"), Err(VinError::Length(16)));
        assert_eq!(parse("1HGCM82633A00435O"), Err(VinError::Character('O')));
        assert!(matches!(parse("1HGCM82643A004352"), Err(VinError::CheckDigit { .. })));
    }

    #[test]
    fn a_vin_round_trips_through_serde_and_a_bad_one_is_refused() {
        let v = Vin::parse("1hgcm82633a004352").unwrap();
        assert_eq!(v.to_string(), "1HGCM82633A004352");
        assert_eq!(serde_json::to_string(&v).unwrap(), r#""1HGCM82633A004352""#);
        assert_eq!(serde_json::from_str::<Vin>(r#""1HGCM82633A004352""#).unwrap(), v);
        let err = serde_json::from_str::<Vin>(r#""1HGCM82643A004352""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a valid VIN: check digit is `4`"), "{err}");
        assert!(serde_json::from_str::<Vin>(r#""SHORT""#).is_err());
        assert_eq!(model_year(&v, 2027), Some(2003), "reads as a str");
    }

    #[test]
    fn synthesized_vins_are_valid() {
        let v = synthesize("1HG", "CV1F3", 2019, 'A', 12345);
        assert_eq!(parse(&v).unwrap(), v);
        assert_eq!(model_year(&v, 2027), Some(2019));
    }

    #[test]
    fn decodes_year_and_make() {
        assert_eq!(model_year("1HGCM82633A004352", 2027), Some(2003));
        assert_eq!(model_year("5J6RW2H85KL000000", 2027), Some(2019)); // 7th char a letter: 2010+ cycle
        assert_eq!(make("1HGCM82633A004352"), Some("Honda"));
        assert_eq!(make("ZZZCM82633A004352"), None);
    }
}
