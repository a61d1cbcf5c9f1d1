//! Value parsers for DMS cells: dates and times, money, mileage, names, vehicles, e-mail, ZIP codes and op-code
//! lists. Each takes the raw cell and says why it could not use it; none looks at the clock.

use chrono::{DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A moment as the export wrote it: a bare date, a wall-clock time (in the account's zone), or an exact instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum When {
    Date(NaiveDate),
    Local(NaiveDateTime),
    Exact(DateTime<Utc>),
}

impl When {
    /// The instant in UTC; a bare date is the start of that local day.
    pub(super) fn to_utc(self, tz: Tz) -> DateTime<Utc> {
        match self {
            When::Date(d) => local_to_utc(d.and_time(NaiveTime::MIN), tz),
            When::Local(t) => local_to_utc(t, tz),
            When::Exact(t) => t,
        }
    }

    pub(super) fn date(self) -> NaiveDate {
        match self {
            When::Date(d) => d,
            When::Local(t) => t.date(),
            When::Exact(t) => t.date_naive(),
        }
    }
}

/// Wall-clock time in `tz` as UTC: the earlier instant when the clock repeats, the first instant after a skipped hour.
pub(super) fn local_to_utc(t: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    let mut probe = t;
    for _ in 0..4 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => return d.with_timezone(&Utc),
            LocalResult::None => probe += chrono::Duration::minutes(30),
        }
    }
    Utc.from_utc_datetime(&t)
}

/// Dates: `MM/DD/YYYY`, `M/D/YY`, `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, optionally followed (after a space or `T`)
/// by a time as [`parse_time`] reads it and an offset (`Z`, `UTC`, `+05:30`, `-0600`). A two-digit year is 20YY
/// when that is no later than `latest_year`, else 19YY; years before 1980 or after `latest_year + 1` are placeholders.
pub(super) fn parse_when(raw: &str, latest_year: i32) -> Result<When, String> {
    let s = raw.trim();
    let not_a_date = || format!("`{s}` is not a date");
    let (date_part, rest) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let date = parse_date(date_part, latest_year).ok_or_else(not_a_date)?;
    if !(1980..=latest_year + 1).contains(&date.year()) {
        return Err(format!("`{s}` is not a usable date (year {})", date.year()));
    }
    if rest.is_empty() {
        return Ok(When::Date(date));
    }
    let (time_text, offset) = split_offset(rest).ok_or_else(not_a_date)?;
    let time = parse_time(time_text).map_err(|_| not_a_date())?;
    let local = date.and_time(time);
    Ok(match offset {
        None => When::Local(local),
        Some(off) => When::Exact(
            off.from_local_datetime(&local)
                .single()
                .ok_or_else(not_a_date)?
                .with_timezone(&Utc),
        ),
    })
}

fn parse_date(s: &str, latest_year: i32) -> Option<NaiveDate> {
    let num = |p: &str| {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = |p: &str| -> Option<i32> {
        let y = num(p)? as i32;
        match p.len() {
            4 => Some(y),
            2 => Some(if 2000 + y <= latest_year { 2000 + y } else { 1900 + y }),
            _ => None,
        }
    };
    if s.len() == 8 && num(s).is_some() {
        return NaiveDate::from_ymd_opt(s[..4].parse().ok()?, num(&s[4..6])?, num(&s[6..])?);
    }
    let parts: Vec<&str> = s.split(['/', '-']).collect();
    let [a, b, c] = parts[..] else { return None };
    if a.len() == 4 {
        NaiveDate::from_ymd_opt(year(a)?, num(b)?, num(c)?)
    } else if a.len() <= 2 && b.len() <= 2 {
        NaiveDate::from_ymd_opt(year(c)?, num(a)?, num(b)?)
    } else {
        None
    }
}

/// Splits a trailing `Z`, `UTC`/`GMT` or numeric offset off a time.
fn split_offset(s: &str) -> Option<(&str, Option<FixedOffset>)> {
    let upper = s.to_ascii_uppercase();
    for z in ["UTC", "GMT", "Z"] {
        if upper.ends_with(z) {
            return Some((s[..s.len() - z.len()].trim(), FixedOffset::east_opt(0)));
        }
    }
    let Some(i) = s.rfind(['+', '-']) else {
        return Some((s, None));
    };
    let digits: String = s[i + 1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs = digits[..2].parse::<i32>().ok()? * 3600 + digits.get(2..).unwrap_or("0").parse::<i32>().ok()? * 60;
    let offset = if &s[i..=i] == "-" {
        FixedOffset::west_opt(secs)?
    } else {
        FixedOffset::east_opt(secs)?
    };
    Some((s[..i].trim(), Some(offset)))
}

/// Times: `9:00 AM`, `9am`, `2:30:15 p.m.`, `14:30`, `14:30:00.000`, `0900`, `930`.
pub(super) fn parse_time(raw: &str) -> Result<NaiveTime, String> {
    let s = raw.trim();
    let upper = s.to_ascii_uppercase();
    let bad = || format!("`{s}` is not a time of day");
    let mut meridiem = None;
    let mut body = upper.as_str();
    for suffix in ["A.M.", "P.M.", "AM", "PM", "A", "P"] {
        if let Some(rest) = body.strip_suffix(suffix) {
            (meridiem, body) = (Some(suffix.starts_with('P')), rest.trim());
            break;
        }
    }
    let digits = |p: &str| {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (h, m, sec) = if body.contains(':') {
        let mut it = body.split(':');
        let (h, m) = (it.next().and_then(digits), it.next().and_then(digits));
        let sec = match it.next() {
            Some(p) => digits(p.split('.').next().unwrap_or("")).ok_or_else(bad)?,
            None => 0,
        };
        if it.next().is_some() {
            return Err(bad());
        }
        (h.ok_or_else(bad)?, m.ok_or_else(bad)?, sec)
    } else if body.bytes().all(|b| b.is_ascii_digit()) && (3..=4).contains(&body.len()) {
        let (h, m) = body.split_at(body.len() - 2);
        (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, 0)
    } else if meridiem.is_some() {
        (digits(body).ok_or_else(bad)?, 0, 0)
    } else {
        return Err(bad());
    };
    let hour = match meridiem {
        Some(_) if !(1..=12).contains(&h) => return Err(bad()),
        Some(pm) => h % 12 + if pm { 12 } else { 0 },
        None => h,
    };
    NaiveTime::from_hms_opt(hour, m, sec).ok_or_else(bad)
}

/// Odometer readings: `45,210`, `45210 mi`, `45210.0`, `45,210 miles`. Blank or 0 (not recorded) is None.
pub(super) fn parse_mileage(raw: &str) -> Result<Option<i64>, String> {
    let lower = raw.trim().to_ascii_lowercase();
    let bad = || format!("`{}` is not a mileage", raw.trim());
    let number = ["miles", "mi.", "mi", "mls"]
        .iter()
        .find_map(|u| lower.strip_suffix(u))
        .unwrap_or(&lower);
    let number: String = number.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    if number.is_empty() {
        return if lower.is_empty() { Ok(None) } else { Err(bad()) };
    }
    let (whole, frac) = number.split_once('.').unwrap_or((&number, "0"));
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(frac) || whole.len() > 7 {
        return Err(bad());
    }
    let miles: i64 = whole.parse().map_err(|_| bad())?;
    let miles = if frac.as_bytes()[0] >= b'5' { miles + 1 } else { miles };
    match miles {
        0 => Ok(None),
        m if !crate::domain::visit::MILEAGE.contains(&m) => {
            Err(format!("`{}` miles is more than any odometer reads", raw.trim()))
        }
        m => Ok(Some(m)),
    }
}

/// Money as cents: `$1,234.56`, `1234.56`, `1234`, `(12.50)` and `-12.50`/`$-12.50`/`12.50-` (negative). Blank is
/// None; more than two decimals round half away from zero.
pub(super) fn parse_cents(raw: &str) -> Result<Option<i64>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || format!("`{s}` is not an amount of money");
    let mut t = s;
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (t, negative) = (inner.trim(), true);
    }
    for _ in 0..2 {
        if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_suffix('-')) {
            (t, negative) = (r.trim(), !negative);
        }
        t = t.strip_prefix('$').unwrap_or(t).trim();
    }
    let digits: String = t.chars().filter(|c| *c != ',').collect();
    let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let is_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.len() > 12 || !is_digits(whole) || !is_digits(frac) || (whole.is_empty() && frac.is_empty()) {
        return Err(bad());
    }
    let mut cents = whole.parse::<i64>().unwrap_or(0) * 100;
    let f = frac.as_bytes();
    let digit = |i: usize| f.get(i).map_or(0, |b| i64::from(b - b'0'));
    cents += digit(0) * 10 + digit(1) + i64::from(digit(2) >= 5);
    Ok(Some(if negative { -cents } else { cents }))
}

const SUFFIXES: &[(&str, &str)] = &[("JR", "Jr"), ("SR", "Sr"), ("II", "II"), ("III", "III"), ("IV", "IV")];
const PARTICLES: &[&str] = &[
    "DE", "DEL", "LA", "LOS", "DA", "DOS", "DI", "VAN", "VON", "DER", "ST", "BIN",
];
const BUSINESS: &[&str] = &[
    "LLC", "INC", "CORP", "CO", "COMPANY", "LTD", "LP", "FLEET", "DEPT", "CITY", "COUNTY",
];
/// Local parts of addresses that stand in for "no e-mail".
const STAND_INS: &[&str] = &[
    "none", "noemail", "nomail", "no", "na", "declined", "refused", "noreply", "unknown",
];

fn key(word: &str) -> String {
    word.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// First and last name from one cell: `LOPEZ, ANA M` or `Ana M Lopez`; middle names and initials are dropped, a suffix
/// (Jr, III) stays with the last name, and a business (`AUSTIN PLUMBING LLC`) is all last name.
pub(super) fn split_name(raw: &str) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = raw.split_whitespace().collect();
    if words.iter().any(|w| BUSINESS.contains(&key(w).as_str())) {
        return (None, Some(tidy_name(&words.join(" "))));
    }
    let some = |v: Vec<&str>| (!v.is_empty()).then(|| tidy_name(&v.join(" ")));
    if let Some((last, first)) = raw.split_once(',') {
        let first = first.split_whitespace().take(1).collect();
        return (some(first), some(last.split_whitespace().collect()));
    }
    let mut words = words;
    let suffix = match words.last().and_then(|w| SUFFIXES.iter().find(|(k, _)| *k == key(w))) {
        Some((_, s)) if words.len() > 2 => words.pop().map(|_| *s),
        _ => None,
    };
    if words.len() < 2 {
        return (some(words), None);
    }
    let mut start = words.len() - 1;
    while start > 1 && PARTICLES.contains(&key(words[start - 1]).as_str()) {
        start -= 1;
    }
    let last = some(words[start..].to_vec()).map(|l| suffix.map_or(l.clone(), |s| format!("{l} {s}")));
    (some(vec![words[0]]), last)
}

/// A person for display (`SMITH, JOHN` -> `John Smith`); cells with digits (`4512 - MIKE`) are only tidied.
pub(super) fn display_person(raw: &str) -> String {
    if raw.chars().any(|c| c.is_ascii_digit()) || !raw.contains(',') {
        return tidy_name(raw);
    }
    let (first, last) = split_name(raw);
    [first, last].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// Title-cases words written in one case (`LOPEZ`, `lopez` -> `Lopez`, `O'BRIEN` -> `O'Brien`, `MCDONALD` ->
/// `McDonald`, `SMITH-JONES` -> `Smith-Jones`); mixed-case words (`McDonald`, `DeShawn`) are kept.
pub(super) fn tidy_name(raw: &str) -> String {
    let words = raw.split_whitespace().map(|w| {
        if w.chars().any(char::is_uppercase) && w.chars().any(char::is_lowercase) {
            return w.to_string();
        }
        if ["II", "III", "IV", "LLC", "LP"].contains(&w.to_uppercase().as_str()) {
            return w.to_uppercase();
        }
        let capital = |s: &str| {
            let mut c = s.chars();
            c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        };
        let mut out = String::new();
        let mut cap_next = true;
        for seg in w.split_inclusive(['-', '\'']) {
            let sep = seg.chars().last().filter(|c| *c == '-' || *c == '\'');
            let body = seg[..seg.len() - sep.map_or(0, char::len_utf8)].to_lowercase();
            out += &match body.strip_prefix("mc") {
                _ if !cap_next => body.clone(),
                Some(rest) if rest.chars().count() > 1 => format!("Mc{}", capital(rest)),
                _ => capital(&body),
            };
            out.extend(sep);
            cap_next = sep == Some('-') || (sep == Some('\'') && body.chars().count() == 1);
        }
        out
    });
    words.collect::<Vec<_>>().join(" ")
}

/// Lower-cased address with an `@` and a dotted domain; `mailto:` and a second address are dropped; stand-ins
/// like `none@none.com` or `noemail@dealer.com` are refused.
pub(super) fn parse_email(raw: &str) -> Result<String, String> {
    let lower = raw.trim().to_lowercase();
    let first = lower.split([';', ',', ' ']).find(|p| !p.is_empty()).unwrap_or("");
    let email = first.strip_prefix("mailto:").unwrap_or(first);
    let bad = || format!("`{}` is not an e-mail address", raw.trim());
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let labels: Vec<&str> = domain.split('.').collect();
    if local.is_empty() || domain.contains('@') || labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err(bad());
    }
    if STAND_INS.contains(&local) {
        return Err(format!("`{}` is a stand-in, not a customer's address", raw.trim()));
    }
    Ok(email.to_string())
}

/// Five-digit ZIP from `78701`, `78701-1234` or `787011234`; four digits get back the leading zero a spreadsheet
/// dropped.
pub(super) fn parse_zip(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let digits: String = s.chars().filter(|c| *c != '-' && *c != ' ').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !(s.len() == digits.len() || s.len() == 10) {
        return Err(format!("`{s}` is not a ZIP code"));
    }
    match digits.len() {
        4 => Ok(format!("0{digits}")),
        5 | 9 => Ok(digits[..5].to_string()),
        _ => Err(format!("`{s}` is not a ZIP code")),
    }
}

/// A model year: four digits from 1950 to `latest`, or two digits (20YY when that is no later than `latest`).
pub(super) fn parse_year(raw: &str, latest: i32) -> Result<i32, String> {
    let s = raw.trim();
    let n: i32 = match s.parse() {
        Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) && matches!(s.len(), 2 | 4) => n,
        _ => return Err(format!("`{s}` is not a year")),
    };
    let year = if s.len() == 4 {
        n
    } else if 2000 + n <= latest {
        2000 + n
    } else {
        1900 + n
    };
    (1950..=latest)
        .contains(&year)
        .then_some(year)
        .ok_or(format!("`{s}` is not a model year"))
}

#[rustfmt::skip]
const MAKES: &[&str] = &[
    "Acura", "Alfa Romeo", "Aston Martin", "Audi", "BMW", "Buick", "Cadillac", "Chevrolet", "Chrysler", "Dodge",
    "Fiat", "Ford", "Genesis", "GMC", "Honda", "Hyundai", "Infiniti", "Jaguar", "Jeep", "Kia", "Land Rover", "Lexus",
    "Lincoln", "Mazda", "Mercedes-Benz", "MINI", "Mitsubishi", "Nissan", "Polestar", "Porsche", "Ram", "Rivian",
    "Subaru", "Tesla", "Toyota", "Volkswagen", "Volvo",
];
#[rustfmt::skip]
const MAKE_ALIASES: &[(&str, &str)] =
    &[("CHEVY", "Chevrolet"), ("VW", "Volkswagen"), ("MERCEDES", "Mercedes-Benz"), ("MB", "Mercedes-Benz")];

fn known_make(words: &str) -> Option<&'static str> {
    let k = key(words);
    let alias = || MAKE_ALIASES.iter().find(|(a, _)| *a == k).map(|p| p.1);
    MAKES.iter().copied().find(|m| key(m) == k).or_else(alias)
}

/// Canonical spelling of a make (`CHEVY` -> `Chevrolet`, `bmw` -> `BMW`); unknown makes are tidied.
pub(super) fn canonical_make(raw: &str) -> String {
    known_make(raw).map_or_else(|| tidy_model(raw), str::to_string)
}

/// A model written in one case: words of four letters or more become title case (`ACCORD` -> `Accord`), other words
/// upper case (`cr-v` -> `CR-V`, `rav4` -> `RAV4`, `ex` -> `EX`). Mixed case is kept as written.
pub(super) fn tidy_model(raw: &str) -> String {
    if raw.chars().any(char::is_uppercase) && raw.chars().any(char::is_lowercase) {
        return raw.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let word = |w: &str| match w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()) {
        true => tidy_name(&w.to_ascii_uppercase()),
        false => w.to_ascii_uppercase(),
    };
    raw.split_whitespace().map(word).collect::<Vec<_>>().join(" ")
}

/// Year, make and model from one cell like `2019 Honda Accord EX-L` (the trim stays with the model).
pub(super) fn split_vehicle(raw: &str, latest: i32) -> (Option<i32>, Option<String>, Option<String>) {
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    let year = words.first().and_then(|w| parse_year(w, latest).ok());
    if year.is_some() {
        words.remove(0);
    }
    let (make, rest) = match words.len() {
        0 => (None, &words[..]),
        n if n >= 2 && known_make(&words[..2].join(" ")).is_some() => {
            (Some(canonical_make(&words[..2].join(" "))), &words[2..])
        }
        _ => (Some(canonical_make(words[0])), &words[1..]),
    };
    let model = (!rest.is_empty()).then(|| tidy_model(&rest.join(" ")));
    (year, make, model)
}

/// Items of an op-code or description list: split on `;` or `|` when present, else on `,`.
pub(super) fn split_list(raw: &str) -> Vec<String> {
    let separators: &[char] = if raw.contains([';', '|']) { &[';', '|'] } else { &[','] };
    raw.split(separators)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Descriptions to pair with `codes` op codes: one code keeps its whole description, commas and all.
pub(super) fn split_descriptions(raw: &str, codes: usize) -> Vec<String> {
    if codes <= 1 && !raw.contains([';', '|']) {
        vec![raw.trim().to_string()]
    } else {
        split_list(raw)
    }
}

/// `04BRK - Front brake pads` -> code and description; a free-text service (`Tire Rotation`) is its own description.
pub(super) fn code_and_text(item: &str) -> (String, Option<String>) {
    match item.split_once(" - ") {
        Some((code, text)) if !code.trim().contains(' ') => (code.trim().to_string(), Some(text.trim().to_string())),
        _ => (item.to_string(), item.contains(' ').then(|| item.to_string())),
    }
}
