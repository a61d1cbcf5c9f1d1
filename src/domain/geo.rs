//! Where a text recipient is: their US state (for state sending rules) and candidate IANA time zones (for
//! quiet hours in the recipient's local time).
//!
//! Pure functions over data compiled into the binary: Google libphonenumber's NANP prefix -> time zone and
//! area code -> region tables (`reference/`, see `reference/NOTICE`), and the hand-written USPS ZIP3 ranges and
//! per-state zone lists below. Every function accepts any input and never panics.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono_tz::{America, Pacific, Tz};

const PREFIX_TIMEZONES: &str = include_str!("reference/nanp_prefix_timezones.txt");
const AREA_CODE_REGIONS: &str = include_str!("reference/nanp_area_code_regions.txt");

/// USPS codes and upper-case names: the 50 states, DC and the inhabited territories.
#[rustfmt::skip]
const STATES: &[(&str, &str)] = &[
    ("AL", "ALABAMA"), ("AK", "ALASKA"), ("AZ", "ARIZONA"), ("AR", "ARKANSAS"), ("CA", "CALIFORNIA"),
    ("CO", "COLORADO"), ("CT", "CONNECTICUT"), ("DE", "DELAWARE"), ("DC", "DISTRICT OF COLUMBIA"),
    ("FL", "FLORIDA"), ("GA", "GEORGIA"), ("HI", "HAWAII"), ("ID", "IDAHO"), ("IL", "ILLINOIS"), ("IN", "INDIANA"),
    ("IA", "IOWA"), ("KS", "KANSAS"), ("KY", "KENTUCKY"), ("LA", "LOUISIANA"), ("ME", "MAINE"), ("MD", "MARYLAND"),
    ("MA", "MASSACHUSETTS"), ("MI", "MICHIGAN"), ("MN", "MINNESOTA"), ("MS", "MISSISSIPPI"), ("MO", "MISSOURI"),
    ("MT", "MONTANA"), ("NE", "NEBRASKA"), ("NV", "NEVADA"), ("NH", "NEW HAMPSHIRE"), ("NJ", "NEW JERSEY"),
    ("NM", "NEW MEXICO"), ("NY", "NEW YORK"), ("NC", "NORTH CAROLINA"), ("ND", "NORTH DAKOTA"), ("OH", "OHIO"),
    ("OK", "OKLAHOMA"), ("OR", "OREGON"), ("PA", "PENNSYLVANIA"), ("RI", "RHODE ISLAND"), ("SC", "SOUTH CAROLINA"),
    ("SD", "SOUTH DAKOTA"), ("TN", "TENNESSEE"), ("TX", "TEXAS"), ("UT", "UTAH"), ("VT", "VERMONT"),
    ("VA", "VIRGINIA"), ("WA", "WASHINGTON"), ("WV", "WEST VIRGINIA"), ("WI", "WISCONSIN"), ("WY", "WYOMING"),
    ("PR", "PUERTO RICO"), ("VI", "VIRGIN ISLANDS"), ("GU", "GUAM"), ("MP", "NORTHERN MARIANA ISLANDS"),
    ("AS", "AMERICAN SAMOA"),
];

/// Other spellings `normalize_state` accepts (after dropping '.' and ',' and upper-casing).
const STATE_ALIASES: &[(&str, &str)] = &[
    ("WASHINGTON STATE", "WA"),
    ("WASHINGTON DC", "DC"),
    ("WASHINGTON D C", "DC"),
    ("D C", "DC"),
    ("US VIRGIN ISLANDS", "VI"),
    ("UNITED STATES VIRGIN ISLANDS", "VI"),
    ("NORTHERN MARIANAS", "MP"),
];

/// The zones each state spans, most populous first (space-separated codes share one list).
#[rustfmt::skip]
const STATE_ZONES: &[(&str, &[Tz])] = &[
    ("CT DC DE GA MA MD ME NC NH NJ NY OH PA RI SC VA VT WV", &[America::New_York]),
    ("AL AR IA IL LA MN MO MS OK WI", &[America::Chicago]),
    ("CO MT NM UT WY", &[America::Denver]),
    ("CA NV WA", &[America::Los_Angeles]),
    ("AZ", &[America::Phoenix]),
    ("HI", &[Pacific::Honolulu]),
    ("AK", &[America::Anchorage, America::Adak]),
    ("FL", &[America::New_York, America::Chicago]),
    ("ID", &[America::Boise, America::Los_Angeles]),
    ("IN", &[America::Indiana::Indianapolis, America::Chicago]),
    ("KY", &[America::New_York, America::Chicago]),
    ("MI", &[America::Detroit, America::Menominee]),
    ("KS NE ND SD TX", &[America::Chicago, America::Denver]),
    ("OR", &[America::Los_Angeles, America::Boise]),
    ("TN", &[America::Chicago, America::New_York]),
    ("PR", &[America::Puerto_Rico]),
    ("VI", &[America::St_Thomas]),
    ("GU", &[Pacific::Guam]),
    ("MP", &[Pacific::Saipan]),
    ("AS", &[Pacific::Pago_Pago]),
];

/// USPS ZIP3 ranges (first three digits, inclusive) -> state. Gaps are unassigned or military (AA/AE/AP).
#[rustfmt::skip]
const ZIP3_STATES: &[(u16, u16, &str)] = &[
    (5, 5, "NY"), (6, 7, "PR"), (8, 8, "VI"), (9, 9, "PR"), (10, 27, "MA"), (28, 29, "RI"), (30, 38, "NH"),
    (39, 49, "ME"), (50, 54, "VT"), (55, 55, "MA"), (56, 59, "VT"), (60, 69, "CT"), (70, 89, "NJ"),
    (100, 149, "NY"), (150, 196, "PA"), (197, 199, "DE"), (200, 200, "DC"), (201, 201, "VA"), (202, 205, "DC"),
    (206, 219, "MD"), (220, 246, "VA"), (247, 268, "WV"), (270, 289, "NC"), (290, 299, "SC"), (300, 319, "GA"),
    (320, 339, "FL"), (341, 349, "FL"), (350, 369, "AL"), (370, 385, "TN"), (386, 397, "MS"), (398, 399, "GA"),
    (400, 427, "KY"), (430, 459, "OH"), (460, 479, "IN"), (480, 499, "MI"), (500, 528, "IA"), (530, 549, "WI"),
    (550, 567, "MN"), (569, 569, "DC"), (570, 577, "SD"), (580, 588, "ND"), (590, 599, "MT"), (600, 629, "IL"),
    (630, 658, "MO"), (660, 679, "KS"), (680, 693, "NE"), (700, 714, "LA"), (716, 729, "AR"), (730, 731, "OK"),
    (733, 733, "TX"), (734, 749, "OK"), (750, 799, "TX"), (800, 816, "CO"), (820, 831, "WY"), (832, 838, "ID"),
    (840, 847, "UT"), (850, 865, "AZ"), (870, 884, "NM"), (885, 885, "TX"), (889, 898, "NV"), (900, 961, "CA"),
    (967, 968, "HI"), (969, 969, "GU"), (970, 979, "OR"), (980, 994, "WA"), (995, 999, "AK"),
];

/// Five-digit ranges the ZIP3 gets wrong: territories sharing 967/969, the freely associated states (no US
/// state: `None`), and the Aleutians west of 169.5°W.
#[rustfmt::skip]
const ZIP5_EXCEPTIONS: &[(u32, u32, Option<&str>, &[Tz])] = &[
    (96799, 96799, Some("AS"), &[Pacific::Pago_Pago]),
    (96939, 96944, None, &[]),
    (96950, 96952, Some("MP"), &[Pacific::Saipan]),
    (96960, 96970, None, &[]),
    (99546, 99547, Some("AK"), &[America::Adak]),
];

/// ZIP3 ranges of a state that spans zones which settle the zone, or (empty list) that straddle a zone line and
/// so keep all the state's zones. A ZIP3 of a multi-zone state not listed here is in the state's first zone.
#[rustfmt::skip]
const ZIP3_ZONES: &[(u16, u16, &[Tz])] = &[
    (324, 325, &[America::Chicago]),     // FL panhandle: Panama City, Pensacola
    (373, 373, &[]),                     // TN: Chattanooga area, both sides of the line
    (374, 374, &[America::New_York]),    // TN: Chattanooga
    (376, 379, &[America::New_York]),    // TN: Johnson City, Knoxville
    (420, 424, &[America::Chicago]),     // KY: Paducah, Bowling Green, Owensboro, Henderson
    (426, 427, &[]),                     // KY: Somerset, Elizabethtown
    (463, 464, &[America::Chicago]),     // IN: Gary, Hammond (Chicago area)
    (476, 477, &[America::Chicago]),     // IN: Evansville
    (498, 499, &[]),                     // MI: western Upper Peninsula
    (575, 576, &[]),                     // SD: Pierre, Mobridge
    (577, 577, &[America::Denver]),      // SD: Rapid City (West River)
    (585, 585, &[]),                     // ND: Bismarck
    (586, 586, &[America::Denver]),      // ND: Dickinson
    (588, 588, &[]),                     // ND: Williston
    (677, 678, &[]),                     // KS: Colby, Dodge City
    (691, 692, &[]),                     // NE: North Platte, Valentine
    (693, 693, &[America::Denver]),      // NE: panhandle (Scottsbluff, Alliance)
    (798, 799, &[America::Denver]),      // TX: El Paso
    (835, 835, &[America::Los_Angeles]), // ID: Lewiston
    (838, 838, &[America::Los_Angeles]), // ID: Coeur d'Alene
    (885, 885, &[America::Denver]),      // TX: El Paso
    (979, 979, &[America::Boise]),       // OR: Ontario (Malheur County)
];

/// Zones of territories missing from the area-code region table, to name the territory from a phone's zone.
const TERRITORY_ZONES: &[(Tz, &str)] = &[
    (America::Puerto_Rico, "PR"),
    (America::St_Thomas, "VI"),
    (Pacific::Guam, "GU"),
    (Pacific::Saipan, "MP"),
    (Pacific::Pago_Pago, "AS"),
];

/// Two-letter USPS code from "TX", "tx", " Texas ", "texas", "D.C.", "Washington State"; also DC, PR and the
/// territories; None otherwise.
pub fn normalize_state(s: &str) -> Option<&'static str> {
    let cleaned: String = s.chars().filter(|c| *c != '.' && *c != ',').collect();
    let key = cleaned
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    STATES
        .iter()
        .find(|(code, name)| *code == key || *name == key)
        .map(|(code, _)| *code)
        .or_else(|| {
            STATE_ALIASES
                .iter()
                .find(|(alias, _)| *alias == key)
                .map(|(_, code)| *code)
        })
}

/// The ZIP's five-digit number, if `zip` is 5 digits or ZIP+4 ("12345-6789", "12345 6789", "123456789").
fn parse_zip(zip: &str) -> Option<u32> {
    let zip = zip.trim();
    let b = zip.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let valid = match b.len() {
        5 | 9 => digits(b),
        10 => digits(&b[..5]) && matches!(b[5], b'-' | b' ') && digits(&b[6..]),
        _ => false,
    };
    // Valid means the first five bytes are ASCII digits, so slicing there is safe.
    valid.then(|| zip[..5].parse().ok()).flatten()
}

fn zip5_exception(zip5: u32) -> Option<&'static (u32, u32, Option<&'static str>, &'static [Tz])> {
    ZIP5_EXCEPTIONS
        .iter()
        .find(|(lo, hi, _, _)| (*lo..=*hi).contains(&zip5))
}

/// State from a US ZIP (5 digits or ZIP+4, leading zeros kept; the first three digits decide, by the USPS ZIP3
/// ranges, except for a few territory and freely-associated-state ZIPs). None if unknown/invalid.
pub fn state_for_zip(zip: &str) -> Option<&'static str> {
    let zip5 = parse_zip(zip)?;
    if let Some((_, _, state, _)) = zip5_exception(zip5) {
        return *state;
    }
    let zip3 = (zip5 / 100) as u16;
    ZIP3_STATES
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&zip3))
        .map(|(_, _, state)| *state)
}

/// Every IANA zone a state spans (most populous first), e.g. TX -> [America/Chicago, America/Denver]. Accepts
/// any spelling `normalize_state` does; empty for an unknown state.
pub fn zones_for_state(state: &str) -> Vec<Tz> {
    let Some(code) = normalize_state(state) else {
        return Vec::new();
    };
    STATE_ZONES
        .iter()
        .find(|(codes, _)| codes.split(' ').any(|c| c == code))
        .map(|(_, zones)| zones.to_vec())
        .unwrap_or_default()
}

/// For a ZIP in a state that spans zones, the one zone it is in when the ZIP3 settles it (e.g. El Paso 798/799
/// -> America/Denver; Florida panhandle 324/325 -> America/Chicago); all the state's zones when the ZIP3
/// straddles a zone line; the state's zones for a single-zone state. Empty if unknown.
pub fn zones_for_zip(zip: &str) -> Vec<Tz> {
    let Some(zip5) = parse_zip(zip) else {
        return Vec::new();
    };
    if let Some((_, _, _, zones)) = zip5_exception(zip5) {
        return zones.to_vec();
    }
    let Some(state) = state_for_zip(zip) else {
        return Vec::new();
    };
    let all = zones_for_state(state);
    if all.len() < 2 {
        return all;
    }
    let zip3 = (zip5 / 100) as u16;
    match ZIP3_ZONES.iter().find(|(lo, hi, _)| (*lo..=*hi).contains(&zip3)) {
        Some((_, _, [])) => all,
        Some((_, _, zones)) => zones.to_vec(),
        None => vec![all[0]],
    }
}

/// The libphonenumber tables, parsed once.
struct PhoneTables {
    /// Prefix digits (with the leading country code 1) -> zones.
    zones: HashMap<&'static str, Vec<Tz>>,
    /// Area code with the leading 1 ("1512") -> US state, None for Canada and other non-US regions.
    states: HashMap<&'static str, Option<&'static str>>,
    longest_prefix: usize,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('|'))
        .map(|(key, value)| (key.trim(), value.trim()))
}

/// "Texas" -> TX, "San Antonio, TX" -> TX, "Washington State" -> WA, "Washington D.C." -> DC, "Ontario" -> None.
fn region_state(region: &str) -> Option<&'static str> {
    normalize_state(region).or_else(|| region.rsplit_once(',').and_then(|(_, tail)| normalize_state(tail)))
}

fn tables() -> &'static PhoneTables {
    static TABLES: OnceLock<PhoneTables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let zones: HashMap<_, Vec<Tz>> = data_lines(PREFIX_TIMEZONES)
            .map(|(prefix, names)| (prefix, names.split('&').filter_map(|n| n.trim().parse().ok()).collect()))
            .collect();
        let states = data_lines(AREA_CODE_REGIONS)
            .map(|(npa, region)| (npa, region_state(region)))
            .collect();
        let longest_prefix = zones.keys().map(|k| k.len()).max().unwrap_or(0);
        PhoneTables {
            zones,
            states,
            longest_prefix,
        }
    })
}

/// The digits of a NANP number in E.164 ("+15125550100" -> "15125550100"), None for anything else.
fn nanp_digits(e164: &str) -> Option<&str> {
    let digits = e164.trim().strip_prefix('+')?;
    let valid = digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then_some(digits)
}

/// Longest-prefix match of an E.164 number ("+15125550100") in the NANP prefix table; '&'-separated entries give
/// several zones. Empty for non-NANP or unknown numbers.
pub fn zones_for_phone(e164: &str) -> Vec<Tz> {
    let Some(digits) = nanp_digits(e164) else {
        return Vec::new();
    };
    let table = tables();
    (1..=table.longest_prefix.min(digits.len()))
        .rev()
        .find_map(|len| table.zones.get(&digits[..len]))
        .cloned()
        .unwrap_or_default()
}

/// State from the number's area code via the region table ("Texas", "San Antonio, TX", "Washington State" -> WA,
/// "Washington D.C." -> DC; Canadian provinces and non-US -> None). Area codes the region table lacks (Puerto
/// Rico, the territories) are named from their phone-prefix zone.
pub fn state_for_phone(e164: &str) -> Option<&'static str> {
    let digits = nanp_digits(e164)?;
    if let Some(state) = tables().states.get(&digits[..4]) {
        return *state;
    }
    match zones_for_phone(e164).as_slice() {
        [zone] => TERRITORY_ZONES.iter().find(|(tz, _)| tz == zone).map(|(_, code)| *code),
        _ => None,
    }
}

/// The zone whose current rules `tz` follows, so that a phone prefix's America/Boise matches a state's
/// America/Denver when narrowing (US zones only; the others stand for themselves).
fn same_clock(tz: Tz) -> Tz {
    use America::{Indiana, Kentucky, North_Dakota};
    match tz {
        America::Detroit
        | Indiana::Indianapolis
        | Indiana::Marengo
        | Indiana::Petersburg
        | Indiana::Vevay
        | Indiana::Vincennes
        | Indiana::Winamac
        | Kentucky::Louisville
        | Kentucky::Monticello => America::New_York,
        America::Menominee
        | Indiana::Knox
        | Indiana::Tell_City
        | North_Dakota::Beulah
        | North_Dakota::Center
        | North_Dakota::New_Salem => America::Chicago,
        America::Boise => America::Denver,
        America::Juneau | America::Sitka | America::Yakutat | America::Nome | America::Metlakatla => America::Anchorage,
        other => other,
    }
}

/// Narrow `zones` to those the phone's zones name, when the phone's zones are a non-empty subset of them.
fn narrow(zones: Vec<Tz>, phone: &[Tz]) -> Vec<Tz> {
    let names = |zone: Tz| phone.iter().any(|p| same_clock(*p) == same_clock(zone));
    let subset = phone
        .iter()
        .all(|p| zones.iter().any(|z| same_clock(*z) == same_clock(*p)));
    if zones.len() < 2 || phone.is_empty() || !subset {
        return zones;
    }
    zones.into_iter().filter(|z| names(*z)).collect()
}

/// Where the recipient is, as candidate zones (never empty), most precise first: an explicit IANA zone > the
/// ZIP's zones > the state's zones > the phone prefix's zones > the account's zone. ZIP or state zones that span
/// several zones are narrowed to the phone's zones when those are a non-empty subset of them.
pub fn resolve_zones(
    explicit: Option<&str>,
    state: Option<&str>,
    zip: Option<&str>,
    phone_e164: Option<&str>,
    account: Tz,
) -> Vec<Tz> {
    if let Some(tz) = explicit.and_then(|s| s.trim().parse::<Tz>().ok()) {
        return vec![tz];
    }
    let phone = phone_e164.map(zones_for_phone).unwrap_or_default();
    let from_zip = zip.map(zones_for_zip).unwrap_or_default();
    if !from_zip.is_empty() {
        return narrow(from_zip, &phone);
    }
    let from_state = state.map(zones_for_state).unwrap_or_default();
    if !from_state.is_empty() {
        return narrow(from_state, &phone);
    }
    if !phone.is_empty() {
        return phone;
    }
    vec![account]
}

/// Which state's rules apply: explicit state (normalized) > the ZIP's state > the phone's state.
pub fn resolve_state(state: Option<&str>, zip: Option<&str>, phone_e164: Option<&str>) -> Option<&'static str> {
    state
        .and_then(normalize_state)
        .or_else(|| zip.and_then(state_for_zip))
        .or_else(|| phone_e164.and_then(state_for_phone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use America::{Adak, Anchorage, Boise, Chicago, Denver, Los_Angeles, New_York, Phoenix};

    /// `resolve_zones` with an account in New York.
    fn zones(explicit: Option<&str>, state: Option<&str>, zip: Option<&str>, phone: Option<&str>) -> Vec<Tz> {
        resolve_zones(explicit, state, zip, phone, New_York)
    }

    #[test]
    fn tables_parse_every_data_line() {
        let rows = |text: &str| {
            text.lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .count()
        };
        let t = tables();
        assert_eq!(t.states.len(), rows(AREA_CODE_REGIONS));
        assert_eq!(t.zones.len(), rows(PREFIX_TIMEZONES));
        for (prefix, names) in data_lines(PREFIX_TIMEZONES) {
            assert_eq!(t.zones[prefix].len(), names.split('&').count(), "{prefix}: {names}");
        }
    }

    #[test]
    fn phone_prefixes() {
        assert_eq!(zones_for_phone("+15125550100"), [Chicago]);
        assert_eq!(zones_for_phone("+12082010000"), [Denver]); // 1208201|America/Denver
        assert_eq!(zones_for_phone("+12082000000"), [Boise, Los_Angeles]); // 12082|America/Boise&America/Los_Angeles
        assert_eq!(zones_for_phone("+19075550100"), [Adak, Anchorage]);
        assert_eq!(zones_for_phone(" +12125550100 "), [New_York]);
        for bad in "|+|5125550100|+5125550100|+442071234567|+1512555010|+1512555010x|+1٥١٢٥٥٥".split('|') {
            assert!(zones_for_phone(bad).is_empty(), "{bad}");
            assert_eq!(state_for_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn phone_states() {
        assert_eq!(state_for_phone("+15125550100"), Some("TX")); // "Texas"
        assert_eq!(state_for_phone("+12105550100"), Some("TX")); // "San Antonio, TX"
        assert_eq!(state_for_phone("+12065550100"), Some("WA")); // "Washington State"
        assert_eq!(state_for_phone("+12025550100"), Some("DC")); // "Washington D.C."
        assert_eq!(state_for_phone("+13125550100"), Some("IL")); // "Chicago, IL"
        assert_eq!(state_for_phone("+14165550100"), None); // "Toronto, ON"
        assert_eq!(state_for_phone("+12045550100"), None); // "Manitoba"
        assert_eq!(state_for_phone("+17875550100"), Some("PR")); // not in the region table: by its zone
    }

    #[test]
    fn states_normalize() {
        for s in ["TX", "tx", " Texas ", "texas", "TEXAS"] {
            assert_eq!(normalize_state(s), Some("TX"), "{s}");
        }
        assert_eq!(normalize_state("new   york"), Some("NY"));
        assert_eq!(normalize_state("D.C."), Some("DC"));
        assert_eq!(normalize_state("District of Columbia"), Some("DC"));
        assert_eq!(normalize_state("Washington"), Some("WA"));
        assert_eq!(normalize_state("Puerto Rico"), Some("PR"));
        assert_eq!(normalize_state("gu"), Some("GU"));
        for bad in ["", "  ", "T", "XX", "Ontario", "ON", "Narnia", "Tëxas", "Tex"] {
            assert_eq!(normalize_state(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_state_has_zones_and_tables_are_consistent() {
        assert_eq!(STATES.len(), 56); // 50 + DC + PR + VI, GU, MP, AS
        for (code, name) in STATES {
            assert!(!zones_for_state(code).is_empty(), "{code}");
            assert_eq!(zones_for_state(name), zones_for_state(code));
        }
        for (codes, _) in STATE_ZONES {
            assert!(codes.split(' ').all(|c| normalize_state(c) == Some(c)), "{codes}");
        }
        for (lo, hi, state) in ZIP3_STATES {
            assert!(lo <= hi && normalize_state(state) == Some(*state), "{lo}-{hi} {state}");
        }
        for (lo, hi, zones) in ZIP3_ZONES {
            let state = state_for_zip(&format!("{lo:03}00")).unwrap();
            assert_eq!(state_for_zip(&format!("{hi:03}99")), Some(state));
            let all = zones_for_state(state);
            assert!(all.len() > 1 && zones.iter().all(|z| all.contains(z)), "{lo}-{hi}");
        }
    }

    #[test]
    fn state_zones() {
        assert_eq!(zones_for_state("TX"), [Chicago, Denver]);
        assert_eq!(zones_for_state("fl"), [New_York, Chicago]);
        assert_eq!(zones_for_state("AZ"), [Phoenix]);
        assert_eq!(zones_for_state("IN"), [America::Indiana::Indianapolis, Chicago]);
        assert_eq!(zones_for_state("HI"), [Pacific::Honolulu]);
        assert_eq!(zones_for_state("AK"), [Anchorage, Adak]);
        assert!(zones_for_state("ON").is_empty());
    }

    #[test]
    fn zips() {
        let cases: &[(&str, &str, &[Tz])] = &[
            ("78701", "TX", &[Chicago]),
            ("79901", "TX", &[Denver]),        // El Paso
            ("73301", "TX", &[Chicago]),       // Austin IRS, amid Oklahoma's ZIP3s
            ("32501", "FL", &[Chicago]),       // Pensacola
            ("33101", "FL", &[New_York]),      // Miami
            ("02134", "MA", &[New_York]),      // leading zero kept
            ("02134-1234", "MA", &[New_York]), // ZIP+4
            ("021341234", "MA", &[New_York]),
            ("00901", "PR", &[America::Puerto_Rico]),
            ("96799", "AS", &[Pacific::Pago_Pago]),
            ("99501", "AK", &[Anchorage]),
            ("99546", "AK", &[Adak]),
            ("83814", "ID", &[Los_Angeles]),       // Coeur d'Alene
            ("42701", "KY", &[New_York, Chicago]), // ZIP3 straddles the line
        ];
        for (zip, state, zones) in cases {
            assert_eq!(state_for_zip(zip), Some(*state), "{zip}");
            assert_eq!(zones_for_zip(zip), *zones, "{zip}");
        }
        for bad in "|2134|0213|ABCDE|02134-12|09001|96940|00000|7870１|é2134|12345-６789|1234é678".split('|') {
            assert_eq!(state_for_zip(bad), None, "{bad}");
            assert!(zones_for_zip(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn resolve_order() {
        let tx = Some("+15125550100");
        assert_eq!(zones(Some("America/Phoenix"), Some("TX"), Some("78701"), tx), [Phoenix]);
        assert_eq!(zones(Some(" Not/AZone "), Some("TX"), Some("78701"), tx), [Chicago]);
        assert_eq!(zones(None, Some("FL"), Some("79901"), tx), [Denver]); // the ZIP beats the state
        assert_eq!(zones(None, Some("TX"), None, tx), [Chicago]); // narrowed by the phone
        assert_eq!(zones(None, Some("TX"), None, Some("+19155550100")), [Denver]);
        assert_eq!(zones(None, Some("TX"), None, Some("+12125550100")), [Chicago, Denver]); // not a subset
        assert_eq!(zones(None, Some("Idaho"), None, Some("+12082010000")), [Boise]); // Denver keeps Boise's clock
        assert_eq!(zones(None, Some("KY"), Some("42701"), Some("+15025550100")), [New_York]);
        assert_eq!(zones(None, None, None, Some("+12082000000")), [Boise, Los_Angeles]);
        assert_eq!(zones(None, None, None, None), [New_York]);
        let ny = Some("+12125550100");
        assert_eq!(resolve_state(Some("texas"), Some("02134"), ny), Some("TX"));
        assert_eq!(resolve_state(Some("??"), Some("02134"), ny), Some("MA"));
        assert_eq!(resolve_state(None, Some("nope"), ny), Some("NY"));
        assert_eq!(resolve_state(None, None, Some("+14165550100")), None);
    }

    #[test]
    fn garbage_falls_back_and_never_panics() {
        let junk: Vec<&str> = "| |+|#|&|é|💥💥💥💥💥|+1💥|00000-0000|America/|mars/olympus|+1|1"
            .split('|')
            .collect();
        for a in &junk {
            for b in &junk {
                assert_eq!(
                    resolve_zones(Some(a), Some(b), Some(a), Some(b), Chicago),
                    [Chicago],
                    "{a:?} {b:?}"
                );
                assert_eq!(resolve_state(Some(a), Some(b), Some(a)), None);
            }
        }
        assert_eq!(
            zones(Some(""), Some("Narnia"), Some("123"), Some("+12082010000")),
            [Denver]
        );
    }
}
