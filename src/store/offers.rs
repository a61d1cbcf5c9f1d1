//! The offer catalog. Offers are retired (`active = 0`), never deleted: their sends keep
//! pointing at them.

use super::{json, Cached};
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, Default)]
pub struct NewOffer {
    pub name: String,
    pub body_template: String,
    pub rule_json: String,
    /// the RO op codes that mean the offer was taken
    pub op_codes: Vec<String>,
    pub price_cents: Option<i64>,
    pub value_cents: i64,
    pub priority: i64,
    pub booking_url: Option<String>,
    pub reply_window_hours: i64,
    pub attribution_window_days: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
}

impl From<&crate::domain::offers::ValidOffer> for NewOffer {
    /// What the store keeps of a checked offer.
    fn from(v: &crate::domain::offers::ValidOffer) -> NewOffer {
        NewOffer {
            name: v.name.clone(),
            body_template: v.body_template.clone(),
            rule_json: v.rule_json.to_string(),
            op_codes: v.op_codes.clone(),
            price_cents: v.price_cents,
            value_cents: v.value_cents,
            priority: v.priority,
            booking_url: v.booking_url.clone(),
            reply_window_hours: v.reply_window_hours,
            attribution_window_days: v.attribution_window_days,
            starts_at: v.starts_at.map(crate::clock::to_unix),
            ends_at: v.ends_at.map(crate::clock::to_unix),
        }
    }
}

pub fn insert(conn: &WriteTx, account_id: i64, o: &NewOffer, now: i64) -> Result<i64> {
    let op_codes = json::text(&o.op_codes)?;
    conn.execute_cached(
        "INSERT INTO offers (account_id, name, body_template, rule_json, op_codes_json, price_cents, value_cents,
                             priority, booking_url, reply_window_hours, attribution_window_days, starts_at, ends_at,
                             active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14, ?14)",
        params![
            account_id,
            o.name,
            o.body_template,
            o.rule_json,
            op_codes,
            o.price_cents,
            o.value_cents,
            o.priority,
            o.booking_url,
            o.reply_window_hours,
            o.attribution_window_days,
            o.starts_at,
            o.ends_at,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Replace an offer's editable fields; false if the account has no such offer. Updating a
/// retired offer brings it back.
pub fn update(conn: &WriteTx, account_id: i64, id: i64, o: &NewOffer, now: i64) -> Result<bool> {
    let op_codes = json::text(&o.op_codes)?;
    let n = conn.execute_cached(
        "UPDATE offers SET name = ?3, body_template = ?4, rule_json = ?5, op_codes_json = ?6, price_cents = ?7,
                value_cents = ?8, priority = ?9, booking_url = ?10, reply_window_hours = ?11,
                attribution_window_days = ?12, starts_at = ?13, ends_at = ?14, active = 1, updated_at = ?15
         WHERE id = ?1 AND account_id = ?2",
        params![
            id,
            account_id,
            o.name,
            o.body_template,
            o.rule_json,
            op_codes,
            o.price_cents,
            o.value_cents,
            o.priority,
            o.booking_url,
            o.reply_window_hours,
            o.attribution_window_days,
            o.starts_at,
            o.ends_at,
            now
        ],
    )?;
    Ok(n == 1)
}

/// Save a new offer, or replace offer `id`, and read it back: a name already taken is a
/// `Conflict`, an unknown id `NotFound`.
pub fn save(conn: &WriteTx, account_id: i64, id: Option<i64>, offer: &NewOffer, now: i64) -> Result<Offer> {
    use crate::error::Error;
    let saved = match id {
        None => insert(conn, account_id, offer, now).map(Some),
        Some(id) => update(conn, account_id, id, offer, now).map(|found| found.then_some(id)),
    };
    let id = match saved {
        Ok(Some(id)) => id,
        Ok(None) => return Err(Error::NotFound(format!("offer {}", id.unwrap_or_default()))),
        Err(Error::Db(e)) if super::is_unique_violation(&e) => {
            return Err(Error::Conflict(format!(
                "an offer named `{}` already exists",
                offer.name
            )))
        }
        Err(e) => return Err(e),
    };
    get(conn, account_id, id)?.ok_or_else(|| Error::internal("saved offer vanished"))
}

/// Stop sending an offer; its history stays. False if the account has no such offer.
pub fn retire(conn: &WriteTx, account_id: i64, id: i64, now: i64) -> Result<bool> {
    let n = conn.execute_cached(
        "UPDATE offers SET active = 0, updated_at = ?3 WHERE id = ?1 AND account_id = ?2",
        params![id, account_id, now],
    )?;
    Ok(n == 1)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Offer {
    pub id: i64,
    pub name: String,
    pub body_template: String,
    pub rule: serde_json::Value,
    pub op_codes: Vec<String>,
    pub price_cents: Option<i64>,
    pub value_cents: i64,
    pub priority: i64,
    pub booking_url: Option<String>,
    pub reply_window_hours: i64,
    pub attribution_window_days: i64,
    pub active: bool,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub starts_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub ends_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub updated_at: i64,
}

const COLUMNS: &str = "id, name, body_template, rule_json, op_codes_json, price_cents, value_cents, priority,
    booking_url, reply_window_hours, attribution_window_days, active, starts_at, ends_at, created_at, updated_at";

fn offer_from_row(r: &rusqlite::Row) -> rusqlite::Result<Offer> {
    let id = r.get(0)?;
    Ok(Offer {
        id,
        name: r.get(1)?,
        body_template: r.get(2)?,
        rule: json::column(r, 3, || format!("the rule (rule_json) of offer {id}"))?,
        op_codes: json::column(r, 4, || format!("the op codes (op_codes_json) of offer {id}"))?,
        price_cents: r.get(5)?,
        value_cents: r.get(6)?,
        priority: r.get(7)?,
        booking_url: r.get(8)?,
        reply_window_hours: r.get(9)?,
        attribution_window_days: r.get(10)?,
        active: r.get(11)?,
        starts_at: r.get(12)?,
        ends_at: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
    })
}

/// The account's offers, active first; retired ones only when asked for.
pub fn list(conn: &Connection, account_id: i64, include_retired: bool) -> Result<Vec<Offer>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM offers WHERE account_id = ?1 AND (active = 1 OR ?2)
         ORDER BY active DESC, priority DESC, name"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params![account_id, include_retired], offer_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<Offer>> {
    let sql = format!("SELECT {COLUMNS} FROM offers WHERE id = ?1 AND account_id = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id, account_id], offer_from_row)
        .optional()?)
}
