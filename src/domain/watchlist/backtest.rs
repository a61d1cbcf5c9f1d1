//! The backtest's arithmetic (issue #13 §3): given every customer scored as of a past day (their
//! score and predicted window) and when each first bought after it, how often did the list's
//! top tenth buy against everyone, and did each predicted window buy inside that window?
//!
//! - *Bought within N months*: a first deal after `as_of` and at most N calendar months after it.
//! - *Top decile*: the first ⌈n/10⌉ customers by score, highest first, ties by lead id.
//! - *Lift*: the top decile's rate over everyone's (none when nobody bought).
//! - *Inside its window*: `0-3m` bought within 3 months; `3-6m` after 3 and within 6; `6-12m`
//!   after 6 and within 12; `12m+` after 12 (as far as the data reaches).
//! - *Complete*: the figures for N months are complete when the data (the day the backtest ran)
//!   reaches N months past `as_of`; otherwise they count only the deals so far.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

use super::Window;

/// One scored customer and when they first bought after the day scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub lead_id: i64,
    pub score: u32,
    pub window: Window,
    pub bought_at: Option<DateTime<Utc>>,
}

/// How many of how many bought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub bought: usize,
    pub of: usize,
    /// `bought / of` (0 for nobody).
    pub share: f64,
}

impl Rate {
    pub fn new(bought: usize, of: usize) -> Rate {
        let share = if of == 0 { 0.0 } else { bought as f64 / of as f64 };
        Rate { bought, of, share }
    }

    /// "31%" (whole percent; "under 1%" for a few).
    pub fn percent(&self) -> String {
        let p = self.share * 100.0;
        if self.bought > 0 && p < 0.5 {
            "under 1%".into()
        } else {
            format!("{p:.0}%")
        }
    }
}

/// A group's rates within 6 and 12 months.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub within_6_months: Rate,
    pub within_12_months: Rate,
}

/// The top decile's rates and their lift over everyone's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TopDecile {
    pub customers: usize,
    pub within_6_months: Rate,
    pub within_12_months: Rate,
    pub lift_6_months: Option<f64>,
    pub lift_12_months: Option<f64>,
}

/// A predicted window: how many were put in it and how many of them bought inside it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowResult {
    pub window: Window,
    pub customers: usize,
    pub bought_inside: Rate,
}

/// A backtest's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub as_of: DateTime<Utc>,
    /// How far the data reaches: the moment the backtest ran.
    pub data_until: DateTime<Utc>,
    /// Whole months of data after `as_of`.
    pub months_after: u32,
    pub complete_6_months: bool,
    pub complete_12_months: bool,
    pub customers: usize,
    pub everyone: Rates,
    pub top_decile: TopDecile,
    pub windows: Vec<WindowResult>,
    pub summary: String,
}

/// `as_of` plus `months` calendar months (the last day of a shorter month).
pub fn months_after(as_of: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    as_of
        .checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Whole calendar months from `from` to `to` (0 when `to` is earlier).
pub fn whole_months(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    let mut n = 0;
    while n < 1200 && months_after(from, n + 1) <= to {
        n += 1;
    }
    n
}

/// Bought after `as_of` and within `(lo, hi]` months of it (`hi` None: no end).
fn bought_between(o: &Outcome, as_of: DateTime<Utc>, lo: u32, hi: Option<u32>) -> bool {
    o.bought_at
        .is_some_and(|t| t > months_after(as_of, lo) && hi.is_none_or(|hi| t <= months_after(as_of, hi)))
}

fn rate<'a>(group: impl Iterator<Item = &'a Outcome> + Clone, as_of: DateTime<Utc>, months: u32) -> Rate {
    let of = group.clone().count();
    Rate::new(group.filter(|o| bought_between(o, as_of, 0, Some(months))).count(), of)
}

/// The window's bounds in months: (after, up to).
fn bounds(w: Window) -> (u32, Option<u32>) {
    match w {
        Window::Within3Months => (0, Some(3)),
        Window::In3To6Months => (3, Some(6)),
        Window::In6To12Months => (6, Some(12)),
        Window::After12Months => (12, None),
    }
}

fn lift(top: Rate, base: Rate) -> Option<f64> {
    (base.share > 0.0).then(|| top.share / base.share)
}

/// The figures for `outcomes` scored at `as_of`, the data reaching `data_until`. Sorts
/// `outcomes` by score (highest first, ties by lead id).
pub fn evaluate(outcomes: &mut [Outcome], as_of: DateTime<Utc>, data_until: DateTime<Utc>) -> Backtest {
    outcomes.sort_by(|a, b| b.score.cmp(&a.score).then(a.lead_id.cmp(&b.lead_id)));
    let n = outcomes.len();
    let everyone = Rates {
        within_6_months: rate(outcomes.iter(), as_of, 6),
        within_12_months: rate(outcomes.iter(), as_of, 12),
    };
    let top = &outcomes[..n.div_ceil(10)];
    let (t6, t12) = (rate(top.iter(), as_of, 6), rate(top.iter(), as_of, 12));
    let top_decile = TopDecile {
        customers: top.len(),
        within_6_months: t6,
        within_12_months: t12,
        lift_6_months: lift(t6, everyone.within_6_months),
        lift_12_months: lift(t12, everyone.within_12_months),
    };
    let windows = Window::ALL
        .iter()
        .map(|&w| {
            let group = outcomes.iter().filter(|o| o.window == w);
            let (lo, hi) = bounds(w);
            let inside = group.clone().filter(|o| bought_between(o, as_of, lo, hi)).count();
            let customers = group.count();
            WindowResult {
                window: w,
                customers,
                bought_inside: Rate::new(inside, customers),
            }
        })
        .collect();
    let mut b = Backtest {
        as_of,
        data_until,
        months_after: whole_months(as_of, data_until),
        complete_6_months: months_after(as_of, 6) <= data_until,
        complete_12_months: months_after(as_of, 12) <= data_until,
        customers: n,
        everyone,
        top_decile,
        windows,
        summary: String::new(),
    };
    b.summary = summary(&b);
    b
}

/// The start of the day `text` (YYYY-MM-DD) names in the store's zone: the moment a backtest
/// scores at. Err says what is wrong: not a date, or a day that has not begun yet.
pub fn start_of_day(text: &str, tz: chrono_tz::Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    use chrono::TimeZone;
    let text = text.trim();
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date like 2025-06-01"))?;
    let start = tz
        .from_local_datetime(&date.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.to_utc())
        .ok_or_else(|| format!("{text} has no midnight in {}", tz.name()))?;
    if start > now {
        return Err(format!("{text} is in the future; pick a day with sales after it"));
    }
    Ok(start)
}

/// "1 June 2025".
pub fn long_date(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y").to_string()
}

/// The one sentence: "Of the top 10% on 1 June 2025, 31% bought within 6 months; 6% of
/// everyone did." (and how much data there is when less than 6 months).
pub fn summary(b: &Backtest) -> String {
    let day = long_date(b.as_of);
    if b.customers == 0 {
        return format!("Nobody owned a vehicle on {day}, so there was no list to check.");
    }
    let mut s = format!(
        "Of the top 10% on {day}, {} bought within 6 months; {} of everyone did.",
        b.top_decile.within_6_months.percent(),
        b.everyone.within_6_months.percent()
    );
    if !b.complete_6_months {
        let m = b.months_after;
        s.push_str(&format!(
            " (Only {m} month{} of sales since then so far.)",
            if m == 1 { "" } else { "s" }
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    fn o(lead_id: i64, score: u32, window: Window, bought_at: Option<DateTime<Utc>>) -> Outcome {
        Outcome {
            lead_id,
            score,
            window,
            bought_at,
        }
    }

    #[test]
    fn rates_decile_and_lift() {
        use Window::*;
        let as_of = at(2025, 6, 1);
        // 20 customers: top two (scores 90, 80) both bought within 6 months; one more bought
        // within 12 (month 8) and one within 6 from the bottom.
        let mut v: Vec<Outcome> = (1..=20)
            .map(|i| o(i, (20 - i as u32) * 2, After12Months, None))
            .collect();
        v[0] = o(1, 90, Within3Months, Some(at(2025, 7, 15)));
        v[1] = o(2, 80, In3To6Months, Some(at(2025, 10, 1)));
        v[10].bought_at = Some(at(2026, 2, 1));
        v[19].bought_at = Some(at(2025, 11, 30));
        let b = evaluate(&mut v, as_of, at(2026, 11, 30));
        assert_eq!(b.customers, 20);
        assert_eq!(b.everyone.within_6_months, Rate::new(3, 20));
        assert_eq!(b.everyone.within_12_months, Rate::new(4, 20));
        assert_eq!(b.top_decile.customers, 2);
        assert_eq!(b.top_decile.within_6_months, Rate::new(2, 2));
        assert!((b.top_decile.lift_6_months.unwrap() - 1.0 / 0.15).abs() < 1e-9);
        assert!((b.top_decile.lift_12_months.unwrap() - 5.0).abs() < 1e-9);
        assert!(b.complete_12_months && b.complete_6_months);
        assert_eq!(b.months_after, 17);
        assert_eq!(
            b.summary,
            "Of the top 10% on 1 June 2025, 100% bought within 6 months; 15% of everyone did."
        );
    }

    #[test]
    fn each_window_counts_who_bought_inside_it() {
        use Window::*;
        let as_of = at(2025, 1, 31);
        let cases = [
            // (window, bought, inside?)
            (Within3Months, Some(at(2025, 4, 30)), true), // 31 Jan + 3 months = 30 April
            (Within3Months, Some(at(2025, 5, 1)), false),
            (Within3Months, Some(at(2025, 1, 31)), false), // on as_of: not after it
            (In3To6Months, Some(at(2025, 5, 1)), true),
            (In3To6Months, Some(at(2025, 4, 30)), false),
            (In6To12Months, Some(at(2026, 1, 31)), true),
            (In6To12Months, Some(at(2025, 7, 31)), false),
            (After12Months, Some(at(2026, 2, 1)), true),
            (After12Months, None, false),
        ];
        for (window, bought, inside) in cases {
            let mut v = [o(1, 50, window, bought)];
            let b = evaluate(&mut v, as_of, at(2027, 1, 1));
            let r = b.windows.iter().find(|r| r.window == window).unwrap();
            assert_eq!(r.customers, 1);
            assert_eq!(r.bought_inside.bought, usize::from(inside), "{window} {bought:?}");
            assert_eq!(b.windows.iter().map(|r| r.customers).sum::<usize>(), 1);
        }
    }

    #[test]
    fn the_decile_rounds_up_and_ties_go_to_the_lower_lead_id() {
        for (n, top) in [(1, 1), (9, 1), (10, 1), (11, 2), (25, 3), (100, 10)] {
            let mut v: Vec<Outcome> = (1..=n).map(|i| o(i, 10, Window::After12Months, None)).collect();
            let b = evaluate(&mut v, at(2025, 1, 1), at(2026, 1, 1));
            assert_eq!(b.top_decile.customers, top, "{n} customers");
        }
        // equal scores: lead 3 beats lead 7
        let when = Some(at(2025, 2, 1));
        let mut v: Vec<Outcome> = (1..=10).map(|i| o(i, 10, Window::After12Months, None)).collect();
        v[2].bought_at = when;
        let b = evaluate(&mut v, at(2025, 1, 1), at(2026, 1, 1));
        assert_eq!(b.top_decile.within_6_months.bought, 0, "lead 1 is first");
        let mut v: Vec<Outcome> = (1..=10).map(|i| o(11 - i, 10, Window::After12Months, None)).collect();
        v[9].bought_at = when; // lead 1
        assert_eq!(
            evaluate(&mut v, at(2025, 1, 1), at(2026, 1, 1))
                .top_decile
                .within_6_months
                .bought,
            1
        );
    }

    #[test]
    fn nobody_bought_has_no_lift_and_nobody_scored_says_so() {
        let mut v = [o(1, 50, Window::Within3Months, None)];
        let b = evaluate(&mut v, at(2025, 1, 1), at(2026, 1, 1));
        assert_eq!(b.top_decile.lift_6_months, None);
        assert_eq!(b.everyone.within_6_months.percent(), "0%");
        let b = evaluate(&mut [], at(2025, 6, 1), at(2026, 1, 1));
        assert_eq!(b.customers, 0);
        assert_eq!(
            b.summary,
            "Nobody owned a vehicle on 1 June 2025, so there was no list to check."
        );
    }

    #[test]
    fn a_recent_day_says_the_figures_are_incomplete() {
        let mut v = [o(1, 50, Window::Within3Months, Some(at(2025, 8, 1)))];
        let b = evaluate(&mut v, at(2025, 6, 1), at(2025, 10, 15));
        assert_eq!(b.months_after, 4);
        assert!(!b.complete_6_months && !b.complete_12_months);
        assert!(
            b.summary.ends_with("(Only 4 months of sales since then so far.)"),
            "{}",
            b.summary
        );
        let b = evaluate(&mut v, at(2025, 6, 1), at(2026, 1, 15));
        assert!(b.complete_6_months && !b.complete_12_months);
    }

    #[test]
    fn the_day_is_read_in_the_store_zone_and_never_in_the_future() {
        let tz: chrono_tz::Tz = "America/Chicago".parse().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        assert_eq!(
            start_of_day("2025-06-01", tz, now),
            Ok(Utc.with_ymd_and_hms(2025, 6, 1, 5, 0, 0).unwrap())
        );
        assert!(start_of_day(" 2026-11-30 ", tz, now).is_ok());
        for bad in ["", "2025-13-01", "1 June 2025", "2025-06-01T00:00:00Z"] {
            assert!(start_of_day(bad, tz, now).unwrap_err().contains("not a date"), "{bad}");
        }
        assert!(start_of_day("2026-12-01", tz, now).unwrap_err().contains("future"));
    }

    #[test]
    fn percent_words() {
        assert_eq!(Rate::new(31, 100).percent(), "31%");
        assert_eq!(Rate::new(1, 1000).percent(), "under 1%");
        assert_eq!(Rate::new(0, 0).percent(), "0%");
        assert_eq!(Rate::new(2, 3).percent(), "67%");
    }
}
