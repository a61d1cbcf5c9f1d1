//! The period a manager looks at: today, the last 7, 30 or 90 days, or custom dates, in the
//! store's own days, with the period before it of the same length to compare with.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// Which period, as the picker names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Today,
    Days(u32),
    Custom { from: NaiveDate, to: NaiveDate },
}

/// A stretch of whole local days, `first..=last`, and its bounds in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub span: Span,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// the first second of `first`, local
    pub start: i64,
    /// the first second after `last`, local (or now, for a period that ends today)
    pub end: i64,
}

/// Longest custom period: two years.
const MAX_DAYS: i64 = 731;

impl Span {
    /// Read the picker's fields: `period` = `today` | `7` | `30` | `90` | `custom` (then `from`
    /// and `to`, `YYYY-MM-DD`). A missing period is the last 7 days; anything else is an error
    /// naming the field.
    pub fn parse(period: Option<&str>, from: Option<&str>, to: Option<&str>) -> Result<Span, String> {
        match period.map(str::trim).filter(|p| !p.is_empty()) {
            None => Ok(Span::Days(7)),
            Some("today") => Ok(Span::Today),
            Some("7") => Ok(Span::Days(7)),
            Some("30") => Ok(Span::Days(30)),
            Some("90") => Ok(Span::Days(90)),
            Some("custom") => {
                let date = |field: &str, v: Option<&str>| {
                    let v = v.map(str::trim).filter(|v| !v.is_empty());
                    let v = v.ok_or_else(|| format!("{field}: give a date (YYYY-MM-DD) for a custom period"))?;
                    NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map_err(|_| format!("{field}: {v:?} is not a date (YYYY-MM-DD)"))
                };
                let (from, to) = (date("from", from)?, date("to", to)?);
                if to < from {
                    return Err("to: the period ends before it starts".into());
                }
                if (to - from).num_days() >= MAX_DAYS {
                    return Err(format!("to: a custom period is at most {MAX_DAYS} days"));
                }
                Ok(Span::Custom { from, to })
            }
            Some(other) => Err(format!("period: {other:?} is not one of today, 7, 30, 90, custom")),
        }
    }

    /// The picker's value for this span.
    pub fn key(&self) -> &'static str {
        match self {
            Span::Today => "today",
            Span::Days(30) => "30",
            Span::Days(90) => "90",
            Span::Days(_) => "7",
            Span::Custom { .. } => "custom",
        }
    }
}

fn local_midnight(day: NaiveDate, tz: Tz) -> i64 {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // a zone that skips midnight (none in the US) starts the day at the earliest moment it has
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive).with_timezone(&tz))
        .timestamp()
}

impl Period {
    /// The period `span` names, as seen at `now` in the store's zone.
    pub fn new(span: Span, now: DateTime<Utc>, tz: Tz) -> Period {
        let today = now.with_timezone(&tz).date_naive();
        let (first, last) = match span {
            Span::Today => (today, today),
            Span::Days(n) => (today - Duration::days(i64::from(n.max(1)) - 1), today),
            Span::Custom { from, to } => (from, to),
        };
        Period::between(span, first, last, now, tz)
    }

    fn between(span: Span, first: NaiveDate, last: NaiveDate, now: DateTime<Utc>, tz: Tz) -> Period {
        let start = local_midnight(first, tz);
        let end = local_midnight(last + Duration::days(1), tz)
            .min(now.timestamp() + 1)
            .max(start);
        Period {
            span,
            first,
            last,
            start,
            end,
        }
    }

    /// How many days it covers.
    pub fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    /// The same number of days just before it; for today, yesterday up to the same time of day.
    pub fn previous(&self, tz: Tz) -> Period {
        let n = Duration::days(self.days());
        let (first, last) = (self.first - n, self.last - n);
        let full_end = local_midnight(last + Duration::days(1), tz);
        let start = local_midnight(first, tz);
        // a period still running is compared with the same share of the one before
        let elapsed = self.end - self.start;
        let end = if self.end < local_midnight(self.last + Duration::days(1), tz) {
            (start + elapsed).min(full_end)
        } else {
            full_end
        };
        Period {
            span: self.span,
            first,
            last,
            start,
            end,
        }
    }

    /// The period in words: "Today", "Last 7 days (Nov 24 – Nov 30)", "Nov 1 – Nov 15, 2026".
    pub fn label(&self) -> String {
        let range = if self.first == self.last {
            self.first.format("%b %-d, %Y").to_string()
        } else {
            format!("{} – {}", self.first.format("%b %-d"), self.last.format("%b %-d, %Y"))
        };
        match self.span {
            Span::Today => format!("Today ({range})"),
            Span::Days(n) => format!("Last {n} days ({range})"),
            Span::Custom { .. } => range,
        }
    }

    /// Whole unix hours `[from, to)` that cover the period (for hourly rollups).
    pub fn hours(&self) -> (i64, i64) {
        (self.start.div_euclid(3600), (self.end + 3599).div_euclid(3600))
    }

    /// Each local day of the period with its unix-hour range, for a trend line.
    pub fn day_hours(&self, tz: Tz) -> Vec<(NaiveDate, i64, i64)> {
        let mut out = Vec::new();
        let mut d = self.first;
        while d <= self.last {
            let a = local_midnight(d, tz).div_euclid(3600);
            let b = local_midnight(d + Duration::days(1), tz).div_euclid(3600);
            out.push((d, a, b));
            d += Duration::days(1);
        }
        out
    }
}

/// A figure beside the previous period's: "+12%", "−3%", "new", or "" when both are zero.
pub fn change(now: i64, before: i64) -> String {
    match (now, before) {
        (0, 0) => String::new(),
        (_, 0) => "new".into(),
        _ => {
            let pct = (now - before) as f64 * 100.0 / before as f64;
            if pct.abs() < 0.5 {
                "same".into()
            } else if pct > 0.0 {
                format!("+{pct:.0}%")
            } else {
                format!("\u{2212}{:.0}%", -pct)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    const CHICAGO: Tz = chrono_tz::America::Chicago;

    #[test]
    fn the_picker_reads_its_fields_and_names_a_bad_one() {
        assert_eq!(Span::parse(None, None, None), Ok(Span::Days(7)));
        assert_eq!(Span::parse(Some("today"), None, None), Ok(Span::Today));
        assert_eq!(Span::parse(Some("90"), None, None), Ok(Span::Days(90)));
        let custom = Span::parse(Some("custom"), Some("2026-11-01"), Some("2026-11-15")).unwrap();
        assert_eq!(custom.key(), "custom");
        assert!(Span::parse(Some("custom"), Some("2026-11-15"), Some("2026-11-01"))
            .unwrap_err()
            .starts_with("to:"));
        assert!(Span::parse(Some("custom"), None, Some("2026-11-01"))
            .unwrap_err()
            .starts_with("from:"));
        assert!(Span::parse(Some("custom"), Some("2026-13-01"), Some("2026-11-01"))
            .unwrap_err()
            .starts_with("from:"));
        assert!(Span::parse(Some("14"), None, None).unwrap_err().starts_with("period:"));
    }

    #[test]
    fn today_runs_from_local_midnight_to_now_and_compares_with_yesterday_so_far() {
        // 2026-11-30 15:00 in Chicago (CST, UTC-6)
        let now = at("2026-11-30T21:00:00Z");
        let p = Period::new(Span::Today, now, CHICAGO);
        assert_eq!(p.start, at("2026-11-30T06:00:00Z").timestamp());
        assert_eq!(p.end, now.timestamp() + 1);
        let y = p.previous(CHICAGO);
        assert_eq!(y.first.to_string(), "2026-11-29");
        assert_eq!(y.start, at("2026-11-29T06:00:00Z").timestamp());
        assert_eq!(y.end, at("2026-11-29T21:00:01Z").timestamp());
        assert_eq!(p.label(), "Today (Nov 30, 2026)");
    }

    #[test]
    fn days_are_whole_local_days_across_a_dst_change() {
        // the last 7 days to 2026-11-05 include the end of DST on Nov 1
        let now = at("2026-11-05T18:00:00Z");
        let p = Period::new(Span::Days(7), now, CHICAGO);
        assert_eq!(p.first.to_string(), "2026-10-30");
        assert_eq!(p.start, at("2026-10-30T05:00:00Z").timestamp(), "CDT midnight");
        let days = p.day_hours(CHICAGO);
        assert_eq!(days.len(), 7);
        let nov1 = days.iter().find(|(d, _, _)| d.to_string() == "2026-11-01").unwrap();
        assert_eq!(nov1.2 - nov1.1, 25, "the day DST ends has 25 hours");
        let before = p.previous(CHICAGO);
        assert_eq!(
            (before.first.to_string(), before.last.to_string()),
            ("2026-10-23".into(), "2026-10-29".into())
        );
    }

    #[test]
    fn a_custom_period_in_the_past_is_whole_days() {
        let now = at("2026-11-30T21:00:00Z");
        let span = Span::parse(Some("custom"), Some("2026-11-01"), Some("2026-11-15")).unwrap();
        let p = Period::new(span, now, CHICAGO);
        assert_eq!(p.days(), 15);
        assert_eq!(p.end, at("2026-11-16T06:00:00Z").timestamp());
        assert_eq!(p.previous(CHICAGO).last.to_string(), "2026-10-31");
        assert_eq!(p.label(), "Nov 1 – Nov 15, 2026");
    }

    #[test]
    fn changes_read_as_a_manager_says_them() {
        assert_eq!(change(110, 100), "+10%");
        assert_eq!(change(90, 100), "\u{2212}10%");
        assert_eq!(change(5, 0), "new");
        assert_eq!(change(0, 0), "");
        assert_eq!(change(100, 100), "same");
    }
}
