//! The watchlist as the API, the CSV and the page read it: customers by score (highest first,
//! then lead id), in keyset pages through `scores_next_buy_rank` / `scores_next_buy_all`.

use rusqlite::{params, Connection};

use crate::domain::watchlist::Window;
use crate::error::Result;

/// Which customers, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub window: Option<Window>,
    pub min_score: u32,
    /// After this (score, lead id): the previous page's last row.
    pub after: Option<(u32, i64)>,
    pub limit: i64,
}

/// One customer on the list.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchItem {
    pub lead_id: i64,
    pub score: u32,
    pub window: String,
    pub reason_json: String,
    pub opted_out: bool,
    pub computed_at: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// year make model, as known
    pub vehicle: Option<String>,
    pub vin: Option<String>,
    pub finance_type: Option<String>,
    pub purchased_at: Option<i64>,
    pub term_months: Option<u32>,
    /// The score before its last change, if it changed.
    pub previous_score: Option<u32>,
}

const SELECT: &str =
    "SELECT s.lead_id, CAST(s.score AS INTEGER), s.buy_window, s.reason_json, s.opted_out, s.computed_at,
        trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), l.phone_e164, l.email,
        nullif(trim(coalesce(v.year, '') || ' ' || coalesce(v.make, '') || ' ' || coalesce(v.model, '')), ''),
        v.vin, o.finance_type, o.purchased_at, o.term_months,
        (SELECT h.score FROM score_history h WHERE h.lead_id = s.lead_id AND h.computed_at <= s.computed_at
         ORDER BY h.computed_at DESC, h.id DESC LIMIT 1 OFFSET 1)
     FROM scores_next_buy s
     JOIN leads l ON l.id = s.lead_id
     LEFT JOIN ownerships o ON o.id = s.ownership_id
     LEFT JOIN vehicles v ON v.id = o.vehicle_id";

/// A page of the list.
pub fn page(conn: &Connection, account_id: i64, f: &Filter) -> Result<Vec<WatchItem>> {
    let (score, lead) = f.after.map_or((i64::from(u32::MAX), 0), |(s, l)| (i64::from(s), l));
    let window = f.window.map(Window::as_str);
    let sql = if window.is_some() {
        format!(
            "{SELECT} WHERE s.account_id = ?1 AND s.buy_window = ?2 AND s.score >= ?3
               AND (s.score < ?4 OR (s.score = ?4 AND s.lead_id > ?5))
             ORDER BY s.score DESC, s.lead_id LIMIT ?6"
        )
    } else {
        format!(
            "{SELECT} WHERE s.account_id = ?1 AND ?2 IS NULL AND s.score >= ?3
               AND (s.score < ?4 OR (s.score = ?4 AND s.lead_id > ?5))
             ORDER BY s.score DESC, s.lead_id LIMIT ?6"
        )
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![account_id, window, f.min_score, score, lead, f.limit], item)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One customer's current score, if they have one.
pub fn for_lead(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Option<WatchItem>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE s.lead_id = ?2 AND s.account_id = ?1"))?;
    let mut rows = stmt.query_map(params![account_id, lead_id], item)?;
    Ok(rows.next().transpose()?)
}

fn item(r: &rusqlite::Row) -> rusqlite::Result<WatchItem> {
    Ok(WatchItem {
        lead_id: r.get(0)?,
        score: r.get(1)?,
        window: r.get(2)?,
        reason_json: r.get(3)?,
        opted_out: r.get(4)?,
        computed_at: r.get(5)?,
        name: r.get(6)?,
        phone: r.get(7)?,
        email: r.get(8)?,
        vehicle: r.get(9)?,
        vin: r.get(10)?,
        finance_type: r.get(11)?,
        purchased_at: r.get(12)?,
        term_months: r.get(13)?,
        previous_score: r.get(14)?,
    })
}

/// How many customers each window holds (every window, zero included), in window order.
pub fn counts(conn: &Connection, account_id: i64) -> Result<Vec<(Window, i64)>> {
    let mut stmt = conn
        .prepare_cached("SELECT buy_window, count(*) FROM scores_next_buy WHERE account_id = ?1 GROUP BY buy_window")?;
    let found = stmt
        .query_map([account_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Window::ALL
        .iter()
        .map(|&w| {
            let n = found.iter().find(|(s, _)| s == w.as_str()).map_or(0, |(_, n)| *n);
            (w, n)
        })
        .collect())
}

/// One customer's current score and its history, newest first (at most `limit`).
pub fn history(conn: &Connection, account_id: i64, lead_id: i64, limit: i64) -> Result<Vec<(i64, u32, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT computed_at, score, buy_window FROM score_history
         WHERE lead_id = ?2 AND account_id = ?1 ORDER BY computed_at DESC, id DESC LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![account_id, lead_id, limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
