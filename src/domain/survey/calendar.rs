//! The calendar a customer talks in: seasons by their astronomical dates (spring from
//! 20 March, summer from 21 June, fall from 22 September, winter from 21 December), months,
//! years and the year-end holidays, as windows of local dates.

use chrono::{Datelike, Duration, NaiveDate};

/// A stretch of local days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    fn new(start: NaiveDate, end: NaiveDate) -> Window {
        Window { start, end }
    }

    fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The part from `from` to `to` of its length (0.0 to 1.0).
    pub fn part(self, from: f64, to: f64) -> Window {
        let days = self.days() as f64;
        let start = self.start + Duration::days((days * from).round() as i64);
        let end = self.start + Duration::days(((days * to).round() as i64 - 1).max(0));
        Window::new(start, end.max(start))
    }

    /// The middle day.
    pub fn middle(self) -> NaiveDate {
        self.start + Duration::days((self.end - self.start).num_days() / 2)
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

/// The season named by a word, English or Spanish (accents folded).
pub(super) fn season(word: &str) -> Option<Season> {
    Some(match word {
        "spring" | "springtime" | "primavera" | "prentan" => Season::Spring,
        "summer" | "summertime" | "verano" | "ete" => Season::Summer,
        "fall" | "falltime" | "autumn" | "autumntime" | "otono" | "otonn" => Season::Fall,
        "winter" | "wintertime" | "invierno" => Season::Winter,
        _ => return None,
    })
}

/// The season that begins in `year` (winter runs into the next year).
pub(super) fn season_in(season: Season, year: i32) -> Window {
    match season {
        Season::Spring => Window::new(date(year, 3, 20), date(year, 6, 20)),
        Season::Summer => Window::new(date(year, 6, 21), date(year, 9, 21)),
        Season::Fall => Window::new(date(year, 9, 22), date(year, 12, 20)),
        Season::Winter => Window::new(date(year, 12, 21), date(year + 1, 3, 19)),
    }
}

/// "spring", "this spring": the one under way, or the next. "next spring" (`strictly_next`):
/// the next one to begin.
pub(super) fn season_window(season: Season, today: NaiveDate, strictly_next: bool) -> Window {
    (today.year() - 1..=today.year() + 1)
        .map(|y| season_in(season, y))
        .find(|w| if strictly_next { w.start > today } else { w.end >= today })
        .expect("a season within a year")
}

#[rustfmt::skip]
const MONTHS: &[(&str, u32)] = &[
    ("january", 1), ("jan", 1), ("enero", 1), ("february", 2), ("feb", 2), ("febrero", 2),
    ("march", 3), ("marzo", 3), ("april", 4), ("apr", 4), ("abril", 4), ("may", 5), ("mayo", 5),
    ("june", 6), ("jun", 6), ("junio", 6), ("july", 7), ("jul", 7), ("julio", 7), ("august", 8),
    ("aug", 8), ("agosto", 8), ("september", 9), ("sept", 9), ("sep", 9), ("septiembre", 9),
    ("setiembre", 9), ("october", 10), ("oct", 10), ("octubre", 10), ("november", 11),
    ("nov", 11), ("noviembre", 11), ("december", 12), ("dec", 12), ("diciembre", 12),
    ("janvye", 1), ("fevriye", 2), ("avril", 4), ("jiye", 7), ("septanm", 9), ("oktob", 10),
    ("novanm", 11), ("desanm", 12),
];
/// Haitian Creole months that are also English or Spanish words ("me", "mas", "out",
/// "jen"): months only after "mwa" ("nan mwa me", in the month of May).
#[rustfmt::skip]
const MWA_MONTHS: &[(&str, u32)] = &[("mas", 3), ("me", 5), ("jen", 6), ("out", 8)];

pub(super) fn month(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

/// The month named by a word after "mwa" (month): any month, or one of the Creole months
/// that are other words elsewhere.
pub(super) fn month_after_mwa(word: &str) -> Option<u32> {
    month(word).or_else(|| MWA_MONTHS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m))
}

pub(super) fn month_in(month: u32, year: i32) -> Window {
    let start = date(year, month, 1);
    let next = if month == 12 {
        date(year + 1, 1, 1)
    } else {
        date(year, month + 1, 1)
    };
    Window::new(start, next - Duration::days(1))
}

/// "in March": this March if it has not ended, else next year's; "next March"
/// (`strictly_next`): the next one to begin.
pub(super) fn month_window(month: u32, today: NaiveDate, strictly_next: bool) -> Window {
    (today.year()..=today.year() + 1)
        .map(|y| month_in(month, y))
        .find(|w| if strictly_next { w.start > today } else { w.end >= today })
        .expect("a month within a year")
}

pub(super) fn year(year: i32) -> Window {
    Window::new(date(year, 1, 1), date(year, 12, 31))
}

/// The year-end holidays (20 to 31 December), this year's unless they are over.
pub(super) fn holidays(today: NaiveDate) -> Window {
    let this = Window::new(date(today.year(), 12, 20), date(today.year(), 12, 31));
    if this.end >= today {
        this
    } else {
        Window::new(date(today.year() + 1, 12, 20), date(today.year() + 1, 12, 31))
    }
}

/// New Year (the first half of January), the next one that has not ended.
pub(super) fn new_year(today: NaiveDate) -> Window {
    let this = Window::new(date(today.year(), 1, 1), date(today.year(), 1, 15));
    if this.end >= today {
        this
    } else {
        Window::new(date(today.year() + 1, 1, 1), date(today.year() + 1, 1, 15))
    }
}

/// Holidays fixed by a rule of the calendar (US).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holiday {
    /// The fourth Thursday of November, and the long weekend after it.
    Thanksgiving,
    /// The last Monday of May.
    MemorialDay,
    /// The first Monday of September.
    LaborDay,
    /// The fourth of July.
    July4,
    /// Easter Sunday (Western), by its computed date.
    Easter,
    /// Holy Week, "Semana Santa": Palm Sunday to Easter Sunday.
    HolyWeek,
    /// Three Kings' Day, "Día de Reyes": 6 January.
    Kings,
}

/// Western Easter Sunday in `year` (the anonymous Gregorian computus).
pub(super) fn easter(year: i32) -> NaiveDate {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let g = (8 * b + 13) / 25;
    let h = (19 * a + b - d - g + 15) % 30;
    let l = (32 + 2 * e + 2 * (c / 4) - h - c % 4) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    date(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

fn holiday_in(holiday: Holiday, year: i32) -> Window {
    use chrono::Weekday;
    let nth = |month: u32, weekday: Weekday, n: u8| {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).expect("a weekday of a month")
    };
    let (start, days) = match holiday {
        Holiday::Thanksgiving => (nth(11, Weekday::Thu, 4), 4),
        Holiday::MemorialDay => {
            let last = month_in(5, year).end;
            let back = i64::from(last.weekday().num_days_from_monday());
            (last - Duration::days(back), 1)
        }
        Holiday::LaborDay => (nth(9, Weekday::Mon, 1), 1),
        Holiday::July4 => (date(year, 7, 4), 1),
        Holiday::Easter => (easter(year), 1),
        Holiday::HolyWeek => (easter(year) - Duration::days(7), 8),
        Holiday::Kings => (date(year, 1, 6), 1),
    };
    Window::new(start, start + Duration::days(days - 1))
}

/// The holiday this year, or next year's if this year's is over.
pub(super) fn holiday(holiday: Holiday, today: NaiveDate) -> Window {
    let this = holiday_in(holiday, today.year());
    if this.end >= today {
        this
    } else {
        holiday_in(holiday, today.year() + 1)
    }
}

/// Tax-refund season (February to mid April), the next one that has not ended.
pub(super) fn tax_season(today: NaiveDate) -> Window {
    let this = Window::new(date(today.year(), 2, 1), date(today.year(), 4, 15));
    if this.end >= today {
        this
    } else {
        Window::new(date(today.year() + 1, 2, 1), date(today.year() + 1, 4, 15))
    }
}

/// The coming stretch of `(month, day)` to `(month, day)`: this year's if it has not ended,
/// else next year's.
fn coming(today: NaiveDate, from: (u32, u32), to: (u32, u32)) -> Window {
    let this = Window::new(date(today.year(), from.0, from.1), date(today.year(), to.0, to.1));
    if this.end >= today {
        this
    } else {
        Window::new(
            date(today.year() + 1, from.0, from.1),
            date(today.year() + 1, to.0, to.1),
        )
    }
}

/// "Q2": the coming calendar quarter of that number.
pub(super) fn quarter(n: u32, today: NaiveDate) -> Window {
    let first = 3 * n - 2;
    let last = month_in(3 * n, today.year()).end;
    coming(today, (first, 1), (3 * n, last.day()))
}

/// The school calendar a parent plans by (US).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum School {
    /// "back to school": the weeks around the start of the school year, Aug 1 to Sep 10.
    Back,
    /// "when school lets out": the end of the school year, the first ten days of June.
    Out,
    /// "spring break": the middle of March.
    SpringBreak,
}

/// The coming one of the school calendar's moments, this year's unless it has ended.
pub(super) fn school(moment: School, today: NaiveDate) -> Window {
    match moment {
        School::Back => coming(today, (8, 1), (9, 10)),
        School::Out => coming(today, (6, 1), (6, 10)),
        School::SpringBreak => coming(today, (3, 8), (3, 22)),
    }
}

/// "6/15", "by 3/31": the coming day of that month and day (today's if it is today);
/// none if there is no such day.
pub(super) fn next_date(month: u32, day: u32, today: NaiveDate) -> Option<Window> {
    let on = |year: i32| NaiveDate::from_ymd_opt(year, month, day);
    // 29 February: the next year that has one
    let day = (today.year()..=today.year() + 4).find_map(|y| on(y).filter(|d| *d >= today))?;
    Some(Window::new(day, day))
}

/// The farm seasons a rural customer plans by: spring planting (April and May) and the
/// fall harvest (October and November).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FarmSeason {
    Planting,
    Harvest,
}

/// The farm season in `year`.
pub(super) fn farm_season_in(season: FarmSeason, year: i32) -> Window {
    match season {
        FarmSeason::Planting => Window::new(date(year, 4, 1), date(year, 5, 31)),
        FarmSeason::Harvest => Window::new(date(year, 10, 1), date(year, 11, 30)),
    }
}

/// "after harvest", "planting": the coming one, this year's unless it has ended.
pub(super) fn farm_season(season: FarmSeason, today: NaiveDate) -> Window {
    let this = farm_season_in(season, today.year());
    if this.end >= today {
        this
    } else {
        farm_season_in(season, today.year() + 1)
    }
}

/// "when the 2028s come out": a model year reaches dealers in the late summer and fall of
/// the year before it (August to November).
pub(super) fn model_year(year: i32) -> Window {
    Window::new(date(year - 1, 8, 1), date(year - 1, 11, 30))
}

#[rustfmt::skip]
const WEEKDAYS: &[(&str, chrono::Weekday)] = &[
    ("monday", chrono::Weekday::Mon), ("tuesday", chrono::Weekday::Tue), ("tues", chrono::Weekday::Tue),
    ("wednesday", chrono::Weekday::Wed), ("thursday", chrono::Weekday::Thu), ("thurs", chrono::Weekday::Thu),
    ("friday", chrono::Weekday::Fri), ("saturday", chrono::Weekday::Sat), ("sunday", chrono::Weekday::Sun),
    ("lunes", chrono::Weekday::Mon), ("martes", chrono::Weekday::Tue), ("miercoles", chrono::Weekday::Wed),
    ("jueves", chrono::Weekday::Thu), ("viernes", chrono::Weekday::Fri), ("sabado", chrono::Weekday::Sat),
    ("domingo", chrono::Weekday::Sun),
];

/// The day of the week named by a word (one day, so not "sundays").
pub(super) fn weekday(word: &str) -> Option<chrono::Weekday> {
    WEEKDAYS.iter().find(|(w, _)| *w == word).map(|(_, d)| *d)
}

/// "Tuesday": the coming one (today's if it is today); "next Friday" (`strictly_next`):
/// the one in the week after this.
pub(super) fn weekday_window(day: chrono::Weekday, today: NaiveDate, strictly_next: bool) -> Window {
    let (named, now) = (
        i64::from(day.num_days_from_monday()),
        i64::from(today.weekday().num_days_from_monday()),
    );
    let ahead = if strictly_next {
        7 - now + named
    } else {
        (7 + named - now) % 7
    };
    let day = today + Duration::days(ahead);
    Window::new(day, day)
}

/// Months (of 30.44 days) from `today` to `day`.
pub(super) fn months_until(today: NaiveDate, day: NaiveDate) -> f64 {
    (day - today).num_days() as f64 / 30.44
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_by_their_astronomical_dates() {
        let march_10 = date(2026, 3, 10);
        assert_eq!(season_window(Season::Spring, march_10, false).start, date(2026, 3, 20));
        assert_eq!(season_window(Season::Winter, march_10, false).start, date(2025, 12, 21));
        assert_eq!(season_window(Season::Winter, march_10, true).start, date(2026, 12, 21));
        let april = date(2026, 4, 2);
        assert_eq!(season_window(Season::Spring, april, true).start, date(2027, 3, 20));
        assert_eq!(month_window(3, april, false), month_in(3, 2027));
        assert_eq!(month_window(4, april, false), month_in(4, 2026));
        assert_eq!(year(2027).part(0.0, 0.25).end, date(2027, 4, 1));
        assert_eq!(holiday(Holiday::Thanksgiving, april).start, date(2026, 11, 26));
        assert_eq!(holiday(Holiday::MemorialDay, april).start, date(2026, 5, 25));
        assert_eq!(holiday(Holiday::LaborDay, april).start, date(2026, 9, 7));
    }

    #[test]
    fn easter_school_and_dates_in_numbers() {
        assert_eq!(easter(2026), date(2026, 4, 5));
        assert_eq!(easter(2027), date(2027, 3, 28));
        assert_eq!(easter(2019), date(2019, 4, 21));
        assert_eq!(easter(2038), date(2038, 4, 25));
        let may = date(2026, 5, 1);
        assert_eq!(holiday(Holiday::Easter, may).start, date(2027, 3, 28));
        assert_eq!(holiday(Holiday::HolyWeek, date(2026, 2, 1)).start, date(2026, 3, 29));
        assert_eq!(school(School::Out, may).start, date(2026, 6, 1));
        assert_eq!(school(School::SpringBreak, may).start, date(2027, 3, 8));
        assert_eq!(school(School::Back, may).start, date(2026, 8, 1));
        assert_eq!(next_date(6, 15, may).map(|w| w.start), Some(date(2026, 6, 15)));
        assert_eq!(next_date(3, 31, may).map(|w| w.start), Some(date(2027, 3, 31)));
        assert_eq!(next_date(5, 1, may).map(|w| w.start), Some(may));
        assert_eq!(next_date(2, 29, may).map(|w| w.start), Some(date(2028, 2, 29)));
        assert_eq!(next_date(2, 30, may), None);
        assert_eq!(next_date(13, 1, may), None);
    }

    #[test]
    fn farm_seasons_model_years_and_weekdays() {
        let march = date(2026, 3, 18);
        assert_eq!(farm_season(FarmSeason::Harvest, march).start, date(2026, 10, 1));
        assert_eq!(farm_season(FarmSeason::Planting, march).start, date(2026, 4, 1));
        let june = date(2026, 6, 10);
        assert_eq!(farm_season(FarmSeason::Planting, june).start, date(2027, 4, 1));
        assert_eq!(model_year(2028).start, date(2027, 8, 1));
        // 28 December 2026 is a Monday
        let monday = date(2026, 12, 28);
        assert_eq!(weekday("tuesday"), Some(chrono::Weekday::Tue));
        assert_eq!(weekday("tuesdays"), None);
        assert_eq!(
            weekday_window(chrono::Weekday::Tue, monday, false).start,
            date(2026, 12, 29)
        );
        assert_eq!(weekday_window(chrono::Weekday::Mon, monday, false).start, monday);
        assert_eq!(
            weekday_window(chrono::Weekday::Fri, monday, true).start,
            date(2027, 1, 8)
        );
    }
}
