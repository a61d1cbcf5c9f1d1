//! The watchlist as people and programs read it: one [`Entry`] per customer (the API's JSON,
//! the CSV's row, the page's line), in keyset pages by score then customer.

use chrono::{DateTime, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::db::Db;
use crate::domain::watchlist::Window;
use crate::error::Result;
use crate::store::watchlist::list::{self as rows, Filter, WatchItem};

/// One reason as stored in `reason_json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonView {
    pub factor: String,
    pub text: String,
    pub points: u32,
}

/// Which way the score moved at its last change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Same,
    New,
}

/// One customer on the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub lead_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub score: u32,
    pub window: String,
    /// Opted out of texts: scored all the same (a rep may still call).
    pub opted_out: bool,
    pub reasons: Vec<ReasonView>,
    pub vehicle: Option<String>,
    pub vin: Option<String>,
    pub finance_type: Option<String>,
    /// When the loan's last payment or the lease falls due (start + term).
    pub ownership_end: Option<NaiveDate>,
    pub trend: Trend,
    /// The score before its last change.
    pub previous_score: Option<u32>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub computed_at: i64,
}

impl Entry {
    fn from_row(w: WatchItem) -> Entry {
        let ownership_end = match (w.finance_type.as_deref(), w.purchased_at, w.term_months) {
            (Some("loan" | "lease"), Some(start), Some(term)) => {
                DateTime::from_timestamp(start, 0).and_then(|d| d.date_naive().checked_add_months(Months::new(term)))
            }
            _ => None,
        };
        let trend = match w.previous_score {
            None => Trend::New,
            Some(p) if w.score > p => Trend::Up,
            Some(p) if w.score < p => Trend::Down,
            Some(_) => Trend::Same,
        };
        Entry {
            lead_id: w.lead_id,
            name: w.name,
            phone: w.phone,
            email: w.email,
            score: w.score,
            window: w.window,
            opted_out: w.opted_out,
            reasons: serde_json::from_str(&w.reason_json).unwrap_or_default(),
            vehicle: w.vehicle,
            vin: w.vin,
            finance_type: w.finance_type,
            ownership_end,
            trend,
            previous_score: w.previous_score,
            computed_at: w.computed_at,
        }
    }

    /// "Lease ends in 4 months (+35); ..." — the first `n` reasons in words.
    pub fn reasons_in_words(&self, n: usize) -> String {
        self.reason_lines(n).join("; ")
    }

    /// The first `n` reasons, each "Lease ends in 4 months (+35)".
    pub fn reason_lines(&self, n: usize) -> Vec<String> {
        self.reasons
            .iter()
            .take(n)
            .map(|r| format!("{} (+{})", r.text, r.points))
            .collect()
    }
}

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub window: Option<Window>,
    pub min_score: u32,
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

/// Where a page starts: after this score and customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub score: u32,
    pub lead_id: i64,
}

impl Cursor {
    /// `SCORE.LEAD_ID`, as `next_cursor` gives it.
    pub fn parse(s: &str) -> Option<Cursor> {
        let (score, lead) = s.trim().split_once('.')?;
        Some(Cursor {
            score: score.parse().ok().filter(|s| *s <= 100)?,
            lead_id: lead.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.score, self.lead_id)
    }
}

/// A page and where the next one starts (none after the last).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub entries: Vec<Entry>,
    pub next_cursor: Option<String>,
}

/// One page of the account's list.
pub async fn page(db: &Db, account_id: i64, q: Query) -> Result<Page> {
    let filter = Filter {
        window: q.window,
        min_score: q.min_score,
        after: q.cursor.map(|c| (c.score, c.lead_id)),
        limit: q.limit + 1,
    };
    let mut found = db.call(move |c| rows::page(c, account_id, &filter)).await?;
    let more = found.len() as i64 > q.limit;
    found.truncate(q.limit.max(0) as usize);
    let next_cursor = match (more, found.last()) {
        (true, Some(last)) => Some(
            Cursor {
                score: last.score,
                lead_id: last.lead_id,
            }
            .to_string(),
        ),
        _ => None,
    };
    Ok(Page {
        entries: found.into_iter().map(Entry::from_row).collect(),
        next_cursor,
    })
}

/// One customer's entry, if the watchlist has scored them (inside a connection the caller holds).
pub fn for_lead(conn: &rusqlite::Connection, account_id: i64, lead_id: i64) -> Result<Option<Entry>> {
    Ok(rows::for_lead(conn, account_id, lead_id)?.map(Entry::from_row))
}

/// Customers per window, every window (zero included), in window order.
pub async fn counts(db: &Db, account_id: i64) -> Result<Vec<(Window, i64)>> {
    db.call(move |c| rows::counts(c, account_id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_nonsense_is_refused() {
        let c = Cursor {
            score: 57,
            lead_id: 1234,
        };
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        for bad in ["", "57", "x.1", "101.3", "5.x"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }
}
