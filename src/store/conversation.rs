//! The conversation page's read model: one customer's history (texts in, texts out with what
//! the gate and the provider said, STOP/START) a page at a time by keyset, newest page first,
//! and what the customer card shows (vehicles and their ownership, recent visits). Every query
//! reads one lead's rows through an index on `lead_id`; `account_id` is checked beside it.

use super::service_events::lines_at;
use super::Cached;
use crate::domain::compliance::Purpose;
use crate::domain::customer::FinanceType;
use crate::domain::messages::MessageStatus;
use crate::domain::money::Cents;
use crate::domain::vin::Vin;
use crate::domain::visit::{ServiceEventKind, ServiceLine};
use crate::error::Result;
use rusqlite::{params, Connection};

/// What an item of the history is. The order is how items at the same second are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Inbound = 0,
    Outbound = 1,
    Consent = 2,
}

/// Where a page of history ends: items strictly before this key come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub at: i64,
    pub kind: Kind,
    pub id: i64,
}

impl Cursor {
    /// `1795550700.1.42`, for a link.
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.at, self.kind as u8, self.id)
    }

    /// A cursor from a link; None if it is not one.
    pub fn decode(s: &str) -> Option<Cursor> {
        let mut parts = s.trim().split('.');
        let at = parts.next()?.parse().ok()?;
        let kind = match parts.next()? {
            "0" => Kind::Inbound,
            "1" => Kind::Outbound,
            "2" => Kind::Consent,
            _ => return None,
        };
        let id = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Cursor { at, kind, id })
    }
}

#[derive(Debug, Clone)]
pub struct Outbound {
    pub id: i64,
    pub body: String,
    pub purpose: Purpose,
    pub status: MessageStatus,
    pub deferred_until: Option<i64>,
    pub blocked_code: Option<String>,
    pub blocked_reason: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_by: Option<String>,
    pub sent_at: Option<i64>,
    pub offer_name: Option<String>,
    pub experiment: Option<String>,
    pub variant: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Inbound {
    pub id: i64,
    pub body: String,
    pub keyword: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Consent {
    pub id: i64,
    /// opt_in or opt_out
    pub kind: String,
    /// keyword, carrier, manual, import, api, lead_form
    pub source: String,
}

#[derive(Debug, Clone)]
pub enum Entry {
    In(Inbound),
    Out(Box<Outbound>),
    Consent(Consent),
}

#[derive(Debug, Clone)]
pub struct Item {
    pub at: i64,
    pub entry: Entry,
}

impl Item {
    pub fn cursor(&self) -> Cursor {
        let (kind, id) = match &self.entry {
            Entry::In(m) => (Kind::Inbound, m.id),
            Entry::Out(m) => (Kind::Outbound, m.id),
            Entry::Consent(c) => (Kind::Consent, c.id),
        };
        Cursor { at: self.at, kind, id }
    }
}

/// One page of a conversation, oldest first, and the cursor of the page before it (None: this
/// page starts the conversation).
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Item>,
    pub earlier: Option<Cursor>,
}

// Each statement reads the lead's rows newest first through its (lead_id, time) index, from the
// cursor back: `?3` time, `?4` kind, `?5` id of the cursor (the newest possible when none), `?6` limit.
// A row is before the cursor when its time is earlier, or the same second and its (kind, id) is less.
const OUT_SQL: &str = "SELECT m.id, m.created_at, m.body, m.purpose, m.status, m.deferred_until, m.blocked_code,
        m.blocked_reason, m.error_code, m.error_message, m.created_by, m.sent_at, o.name, e.name, m.variant
     FROM messages_out m
     LEFT JOIN offer_sends s ON s.message_out_id = m.id
     LEFT JOIN offers o ON o.id = s.offer_id
     LEFT JOIN experiments e ON e.id = m.experiment_id
     WHERE m.lead_id = ?1 AND +m.account_id = ?2 AND m.created_at <= ?3
       AND (m.created_at < ?3 OR 1 < ?4 OR (1 = ?4 AND m.id < ?5))
     ORDER BY m.created_at DESC, m.id DESC LIMIT ?6";

const IN_SQL: &str = "SELECT id, received_at, body, keyword FROM messages_in
     WHERE lead_id = ?1 AND +account_id = ?2 AND received_at <= ?3
       AND (received_at < ?3 OR 0 < ?4 OR (0 = ?4 AND id < ?5))
     ORDER BY received_at DESC, id DESC LIMIT ?6";

const CONSENT_SQL: &str = "SELECT id, created_at, kind, source FROM consent_events
     WHERE lead_id = ?1 AND +account_id = ?2 AND created_at <= ?3
       AND (created_at < ?3 OR 2 < ?4 OR (2 = ?4 AND id < ?5))
     ORDER BY created_at DESC, id DESC LIMIT ?6";

/// The `limit` items of lead `lead_id`'s conversation just before `before` (the newest when
/// None), oldest first. Each table is read for at most `limit + 1` rows, so a conversation of
/// thousands of texts costs what one page shows.
pub fn page(conn: &Connection, account_id: i64, lead_id: i64, before: Option<Cursor>, limit: usize) -> Result<Page> {
    let c = before.unwrap_or(Cursor {
        at: i64::MAX,
        kind: Kind::Consent,
        id: i64::MAX,
    });
    let n = limit as i64 + 1;
    let args = params![lead_id, account_id, c.at, c.kind as i64, c.id, n];
    let mut items = Vec::new();
    let mut stmt = conn.prepare_cached(OUT_SQL)?;
    let rows = stmt.query_map(args, |r| {
        Ok(Item {
            at: r.get(1)?,
            entry: Entry::Out(Box::new(Outbound {
                id: r.get(0)?,
                body: r.get(2)?,
                purpose: r.get(3)?,
                status: r.get(4)?,
                deferred_until: r.get(5)?,
                blocked_code: r.get(6)?,
                blocked_reason: r.get(7)?,
                error_code: r.get(8)?,
                error_message: r.get(9)?,
                created_by: r.get(10)?,
                sent_at: r.get(11)?,
                offer_name: r.get(12)?,
                experiment: r.get(13)?,
                variant: r.get(14)?,
            })),
        })
    })?;
    for row in rows {
        items.push(row?);
    }
    let mut stmt = conn.prepare_cached(IN_SQL)?;
    let rows = stmt.query_map(args, |r| {
        Ok(Item {
            at: r.get(1)?,
            entry: Entry::In(Inbound {
                id: r.get(0)?,
                body: r.get(2)?,
                keyword: r.get(3)?,
            }),
        })
    })?;
    for row in rows {
        items.push(row?);
    }
    let mut stmt = conn.prepare_cached(CONSENT_SQL)?;
    let rows = stmt.query_map(args, |r| {
        Ok(Item {
            at: r.get(1)?,
            entry: Entry::Consent(Consent {
                id: r.get(0)?,
                kind: r.get(2)?,
                source: r.get(3)?,
            }),
        })
    })?;
    for row in rows {
        items.push(row?);
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.cursor()));
    let more = items.len() > limit;
    items.truncate(limit);
    items.reverse();
    let earlier = if more { items.first().map(Item::cursor) } else { None };
    Ok(Page { items, earlier })
}

/// A vehicle the customer owns or owned, with the terms of that ownership.
#[derive(Debug, Clone)]
pub struct OwnedVehicle {
    pub vin: Option<Vin>,
    pub year: Option<i64>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub trim: Option<String>,
    pub odometer: Option<i64>,
    pub purchased_at: Option<i64>,
    pub finance_type: Option<FinanceType>,
    pub term_months: Option<i64>,
    pub monthly_payment: Option<Cents>,
    pub active: bool,
    pub ended_at: Option<i64>,
}

const VEHICLES_SQL: &str =
    "SELECT v.vin, v.year, v.make, v.model, v.trim, v.last_odometer, o.purchased_at, o.finance_type,
        o.term_months, o.monthly_payment_cents, o.active, o.ended_at
     FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id
     WHERE o.lead_id = ?1 AND +o.account_id = ?2
     ORDER BY o.active DESC, o.purchased_at DESC, o.id DESC LIMIT 20";

/// The customer's vehicles, current ones first.
pub fn vehicles(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Vec<OwnedVehicle>> {
    let mut stmt = conn.prepare_cached(VEHICLES_SQL)?;
    let rows = stmt
        .query_map(params![lead_id, account_id], |r| {
            Ok(OwnedVehicle {
                vin: r.get(0)?,
                year: r.get(1)?,
                make: r.get(2)?,
                model: r.get(3)?,
                trim: r.get(4)?,
                odometer: r.get(5)?,
                purchased_at: r.get(6)?,
                finance_type: r.get(7)?,
                term_months: r.get(8)?,
                monthly_payment: r.get(9)?,
                active: r.get(10)?,
                ended_at: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A service visit on the card.
#[derive(Debug, Clone)]
pub struct Visit {
    pub id: i64,
    pub external_id: String,
    pub kind: ServiceEventKind,
    pub at: i64,
    pub advisor: Option<String>,
    pub mileage: Option<i64>,
    pub lines: Vec<ServiceLine>,
    pub total: Option<Cents>,
}

const VISITS_SQL: &str = "SELECT id, external_id, kind, coalesce(closed_at, opened_at, scheduled_at), advisor, mileage,
        services_json, total_cents
     FROM service_events WHERE lead_id = ?1 AND +account_id = ?2
     ORDER BY opened_at DESC, id DESC LIMIT ?3";

/// The customer's most recent visits (by when the RO opened; appointments not yet opened last).
pub fn recent_visits(conn: &Connection, account_id: i64, lead_id: i64, limit: i64) -> Result<Vec<Visit>> {
    let mut stmt = conn.prepare_cached(VISITS_SQL)?;
    let rows = stmt
        .query_map(params![lead_id, account_id, limit], |r| {
            let id = r.get(0)?;
            Ok(Visit {
                id,
                external_id: r.get(1)?,
                kind: r.get(2)?,
                at: r.get(3)?,
                advisor: r.get(4)?,
                mileage: r.get(5)?,
                lines: lines_at(r, 6, id)?,
                total: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The RO or appointment number of a visit of this account.
pub fn visit_number(conn: &Connection, account_id: i64, service_event_id: i64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(
            "SELECT external_id FROM service_events WHERE id = ?1 AND +account_id = ?2",
            params![service_event_id, account_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) const FINGERPRINT_SQL: &str = "SELECT
        (SELECT max(id) FROM messages_in WHERE lead_id = ?1 AND +account_id = ?2),
        (SELECT max(updated_at) || '.' || count(*) FROM messages_out WHERE lead_id = ?1 AND +account_id = ?2),
        (SELECT max(id) FROM consent_events WHERE lead_id = ?1 AND +account_id = ?2),
        (SELECT max(id) || '.' || count(*) FROM reply_drafts WHERE lead_id = ?1 AND +account_id = ?2 AND status = 'pending'),
        (SELECT updated_at FROM leads WHERE id = ?1 AND account_id = ?2)";

/// A value that changes whenever what the conversation page shows of this customer changes: a
/// text in, a text out or its status, STOP/START, a draft, the customer's details. The live
/// refresh compares it between polls.
pub fn fingerprint(conn: &Connection, account_id: i64, lead_id: i64) -> Result<String> {
    Ok(
        conn.query_row_cached(FINGERPRINT_SQL, params![lead_id, account_id], |r| {
            let parts: [Option<String>; 5] = [
                r.get::<_, Option<i64>>(0)?.map(|v| v.to_string()),
                r.get(1)?,
                r.get::<_, Option<i64>>(2)?.map(|v| v.to_string()),
                r.get(3)?,
                r.get::<_, Option<i64>>(4)?.map(|v| v.to_string()),
            ];
            Ok(parts.map(Option::unwrap_or_default).join(":"))
        })?,
    )
}

/// The query plans of the page's statements, for the test that they read by index.
pub fn explain(conn: &Connection) -> Result<Vec<String>> {
    let mut plans = Vec::new();
    for (sql, n) in [
        (OUT_SQL, 6),
        (IN_SQL, 6),
        (CONSENT_SQL, 6),
        (VEHICLES_SQL, 2),
        (VISITS_SQL, 3),
        (super::drafts::COUNT_PENDING_SQL, 1),
        (super::drafts::PENDING_FOR_LEAD_SQL, 2),
        (FINGERPRINT_SQL, 2),
    ] {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let args = vec![1i64; n];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        plans.push(rows.join("; "));
    }
    Ok(plans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_a_link_and_bad_ones_are_refused() {
        let c = Cursor {
            at: 1_795_550_700,
            kind: Kind::Outbound,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in ["", "1.2", "1.9.3", "a.1.2", "1.1.2.3"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
        let earlier = Cursor {
            at: 1_795_550_700,
            kind: Kind::Inbound,
            id: 99,
        };
        assert!(earlier < c, "same second: inbound before outbound");
    }
}
