//! The dashboard's figures, built from the rollups' rows: the Today panel, the cards with the
//! previous period beside them, the upsell card's trend and the per-advisor table.

use crate::domain::compliance::Purpose;
use crate::domain::messages::{held_in_words, MessageStatus};
use crate::domain::money::dollars;
use crate::domain::offers::OfferSendStatus;
use crate::domain::period::change;
use crate::store::rollups::{OfferCount, OutCount};
use crate::web::pages::view::thousands;

/// Outbound texts of a period, by what happened to them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    pub sent: i64,
    pub delivered: i64,
    pub failed: i64,
    pub held: i64,
    pub blocked: i64,
    pub waiting: i64,
}

impl Texts {
    pub fn from_rows(rows: &[OutCount]) -> Texts {
        let mut t = Texts::default();
        for r in rows {
            match r.status {
                // "sent" counts everything that left, delivered or not yet
                MessageStatus::Sent => t.sent += r.n,
                MessageStatus::Delivered => {
                    t.sent += r.n;
                    t.delivered += r.n;
                }
                MessageStatus::Failed | MessageStatus::Undelivered => t.failed += r.n,
                MessageStatus::Deferred => t.held += r.n,
                MessageStatus::Blocked => t.blocked += r.n,
                MessageStatus::Queued | MessageStatus::Sending | MessageStatus::Unknown => t.waiting += r.n,
            }
        }
        t
    }
}

/// One reason texts were held or blocked, in words, with how many and a link to them.
pub struct Reason {
    pub words: String,
    pub n: String,
    pub href: String,
}

/// Held or blocked texts by the gate's code, most first.
pub fn reasons(rows: &[OutCount], status: MessageStatus, link: &dyn Fn(&str) -> String) -> Vec<Reason> {
    let mut by_code: Vec<(String, i64)> = Vec::new();
    for r in rows.iter().filter(|r| r.status == status) {
        match by_code.iter_mut().find(|(c, _)| *c == r.blocked_code) {
            Some((_, n)) => *n += r.n,
            None => by_code.push((r.blocked_code.clone(), r.n)),
        }
    }
    by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by_code
        .into_iter()
        .map(|(code, n)| Reason {
            words: if code.is_empty() {
                "no reason recorded".into()
            } else {
                held_in_words(&code)
            },
            n: thousands(n),
            href: link(&code),
        })
        .collect()
}

/// Texts of one purpose that left.
pub fn sent_for(rows: &[OutCount], purpose: Purpose) -> i64 {
    rows.iter()
        .filter(|r| r.purpose == purpose && matches!(r.status, MessageStatus::Sent | MessageStatus::Delivered))
        .map(|r| r.n)
        .sum()
}

/// Upsell offers of a period: texted, accepted and what they earned.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Upsell {
    pub sent: i64,
    pub held_out: i64,
    pub accepted: i64,
    pub cents: i64,
}

impl Upsell {
    pub fn from_rows(rows: &[OfferCount]) -> Upsell {
        let mut u = Upsell::default();
        for r in rows {
            match r.status {
                Some(OfferSendStatus::Sent) => u.sent += r.n,
                Some(OfferSendStatus::HeldOut) => u.held_out += r.n,
                Some(_) => {}
                None => {
                    u.accepted += r.n;
                    u.cents += r.cents.get();
                }
            }
        }
        u
    }
}

/// One advisor's upsell figures.
pub struct AdvisorRow {
    pub advisor: String,
    pub sent: String,
    pub accepted: String,
    pub rate: String,
    pub revenue: String,
}

/// Per advisor, most revenue first; visits with no advisor last.
pub fn advisors(rows: &[OfferCount]) -> Vec<AdvisorRow> {
    let mut by: Vec<(String, Upsell)> = Vec::new();
    for r in rows {
        let i = match by.iter().position(|(a, _)| *a == r.advisor) {
            Some(i) => i,
            None => {
                by.push((r.advisor.clone(), Upsell::default()));
                by.len() - 1
            }
        };
        let u = &mut by[i].1;
        match r.status {
            Some(OfferSendStatus::Sent) => u.sent += r.n,
            Some(_) => {}
            None => {
                u.accepted += r.n;
                u.cents += r.cents.get();
            }
        }
    }
    by.retain(|(_, u)| u.sent > 0 || u.accepted > 0);
    by.sort_by(|a, b| {
        (a.0.is_empty(), -a.1.cents, -a.1.sent, &a.0).cmp(&(b.0.is_empty(), -b.1.cents, -b.1.sent, &b.0))
    });
    by.into_iter()
        .map(|(advisor, u)| AdvisorRow {
            advisor: if advisor.is_empty() {
                "(no advisor on the visit)".into()
            } else {
                advisor
            },
            sent: thousands(u.sent),
            accepted: thousands(u.accepted),
            rate: percent(u.accepted, u.sent),
            revenue: dollars(u.cents),
        })
        .collect()
}

/// `part` of `whole` as a whole percent, or a dash when there is no whole.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "—".into()
    } else {
        format!("{}%", (part * 100 + whole / 2) / whole)
    }
}

/// A card: the period's figure, the previous period's, and the change in words.
pub struct Card {
    pub label: &'static str,
    pub value: String,
    pub note: String,
    pub previous: String,
    pub change: String,
    /// `up`, `down` or `` for the change's colour
    pub trend: &'static str,
    pub href: String,
}

impl Card {
    pub fn compared(label: &'static str, now: i64, before: i64, show: &dyn Fn(i64) -> String) -> Card {
        Card {
            label,
            value: show(now),
            note: String::new(),
            previous: format!("previous period {}", show(before)),
            change: change(now, before),
            trend: match now.cmp(&before) {
                std::cmp::Ordering::Greater => "up",
                std::cmp::Ordering::Less => "down",
                std::cmp::Ordering::Equal => "",
            },
            href: String::new(),
        }
    }

    pub fn note(mut self, note: String) -> Card {
        self.note = note;
        self
    }

    pub fn link(mut self, href: String) -> Card {
        self.href = href;
        self
    }
}

/// Hourly values `(unix hour, value)`, in hour order, summed into the days `(day, first hour,
/// first hour after)` they fall in (one walk; hours outside every day are left out).
pub fn per_day(hours: &[(i64, i64)], days: &[(chrono::NaiveDate, i64, i64)]) -> Vec<i64> {
    let mut daily = vec![0i64; days.len()];
    let mut day = 0;
    for (hour, value) in hours {
        while day < days.len() && *hour >= days[day].2 {
            day += 1;
        }
        if day < days.len() && *hour >= days[day].1 {
            daily[day] += value;
        }
    }
    daily
}

/// A small line of daily values as SVG polyline points in a `w` × `h` box (the highest value
/// touches the top; all zero is a flat line at the bottom).
pub fn sparkline(values: &[i64], w: f64, h: f64) -> String {
    if values.is_empty() {
        return String::new();
    }
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if values.len() > 1 {
        w / (values.len() - 1) as f64
    } else {
        0.0
    };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, h - 2.0 - (*v as f64 / max) * (h - 4.0)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Cents;

    fn out(purpose: Purpose, status: MessageStatus, code: &str, n: i64) -> OutCount {
        OutCount {
            purpose,
            status,
            blocked_code: code.into(),
            n,
        }
    }

    #[test]
    fn texts_count_delivered_as_sent_and_reasons_read_as_words() {
        let rows = vec![
            out(Purpose::Upsell, MessageStatus::Delivered, "", 5),
            out(Purpose::Survey, MessageStatus::Sent, "", 2),
            out(Purpose::Upsell, MessageStatus::Deferred, "quiet_hours", 3),
            out(Purpose::Survey, MessageStatus::Deferred, "quiet_hours", 1),
            out(Purpose::Upsell, MessageStatus::Blocked, "opted_out", 4),
            out(Purpose::Manual, MessageStatus::Failed, "", 1),
        ];
        let t = Texts::from_rows(&rows);
        assert_eq!((t.sent, t.delivered, t.failed, t.held, t.blocked), (7, 5, 1, 4, 4));
        assert_eq!(sent_for(&rows, Purpose::Upsell), 5);
        let held = reasons(&rows, MessageStatus::Deferred, &|c| format!("/messages?reason={c}"));
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].n, "4");
        assert!(held[0].words.starts_with("quiet hours"), "{}", held[0].words);
        assert_eq!(held[0].href, "/messages?reason=quiet_hours");
    }

    #[test]
    fn advisors_rank_by_revenue_with_the_unassigned_last() {
        let row = |status: Option<OfferSendStatus>, advisor: &str, n: i64, cents: i64| OfferCount {
            status,
            offer_id: Some(1),
            advisor: advisor.into(),
            n,
            cents: Cents::new(cents),
        };
        let rows = vec![
            row(Some(OfferSendStatus::Sent), "Dana", 10, 0),
            row(None, "Dana", 2, 30_000),
            row(Some(OfferSendStatus::Sent), "Luis", 4, 0),
            row(None, "Luis", 3, 90_000),
            row(Some(OfferSendStatus::Sent), "", 9, 0),
            row(Some(OfferSendStatus::HeldOut), "Mia", 5, 0),
        ];
        let table = advisors(&rows);
        let names: Vec<&str> = table.iter().map(|r| r.advisor.as_str()).collect();
        assert_eq!(names, ["Luis", "Dana", "(no advisor on the visit)"]);
        assert_eq!((table[0].rate.as_str(), table[0].revenue.as_str()), ("75%", "$900.00"));
        let u = Upsell::from_rows(&rows);
        assert_eq!((u.sent, u.held_out, u.accepted, u.cents), (23, 5, 5, 120_000));
    }

    #[test]
    fn hours_add_up_into_their_days() {
        let d = |n: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, n).unwrap();
        let days = [(d(1), 100, 124), (d(2), 124, 149), (d(3), 149, 173)];
        let hours = [(90, 7), (100, 1), (123, 2), (124, 3), (148, 4), (172, 5), (173, 9)];
        assert_eq!(per_day(&hours, &days), [3, 7, 5]);
        assert_eq!(per_day(&[], &days), [0, 0, 0]);
    }

    #[test]
    fn a_sparkline_spans_its_box() {
        assert_eq!(sparkline(&[0, 5, 10], 100.0, 20.0), "0.0,18.0 50.0,10.0 100.0,2.0");
        assert_eq!(sparkline(&[0, 0], 10.0, 10.0), "0.0,8.0 10.0,8.0");
        assert_eq!(sparkline(&[], 10.0, 10.0), "");
    }
}
