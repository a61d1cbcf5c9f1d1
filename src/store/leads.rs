use super::Cached;
use crate::db::WriteTx;
use crate::domain::customer::LeadStatus;
use crate::domain::phone::PhoneE164;
use crate::error::Result;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Default)]
pub struct NewLead {
    /// as `domain::phone::normalize` gave it (an inbound text's number is the webhook's)
    pub phone_e164: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub timezone: Option<String>,
    pub source: String,
    pub status: LeadStatus,
    pub textable: bool,
    pub vehicle_interest: Option<String>,
}

pub fn insert(conn: &WriteTx, account_id: i64, l: &NewLead, now: i64) -> Result<i64> {
    insert_with_address(conn, account_id, l, None, now)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LeadRow {
    pub id: i64,
    pub name: String,
    pub phone: Option<PhoneE164>,
    pub email: Option<String>,
    pub state: Option<String>,
    pub source: String,
    pub status: LeadStatus,
    pub opted_out: bool,
    pub textable: bool,
    pub vehicle: Option<String>,
    pub created_at: i64,
}

const LEAD_ROW_SQL: &str =
    "SELECT l.id, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), l.phone_e164,
        l.email, l.state, l.source, l.status, l.opted_out, l.textable,
        (SELECT trim(coalesce(v.year, '') || ' ' || coalesce(v.make, '') || ' ' || coalesce(v.model, ''))
           FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id
          WHERE o.lead_id = l.id AND o.active = 1 ORDER BY o.purchased_at DESC LIMIT 1),
        l.created_at
     FROM leads l";

fn lead_row(r: &rusqlite::Row) -> rusqlite::Result<LeadRow> {
    Ok(LeadRow {
        id: r.get(0)?,
        name: r.get(1)?,
        phone: r.get(2)?,
        email: r.get(3)?,
        state: r.get(4)?,
        source: r.get(5)?,
        status: r.get(6)?,
        opted_out: r.get(7)?,
        textable: r.get(8)?,
        vehicle: r.get(9)?,
        created_at: r.get(10)?,
    })
}

/// The SQL of a page of the Leads list: the account's leads added before (`?2`, `?3`) =
/// (created_at, id), newest first, at most `?4`: a range read of `leads_account_created`
/// from the cursor on, however deep the page.
pub fn page_sql() -> String {
    format!(
        "{LEAD_ROW_SQL} INDEXED BY leads_account_created
         WHERE l.account_id = ?1 AND (l.created_at, l.id) < (?2, ?3)
         ORDER BY l.created_at DESC, l.id DESC LIMIT ?4"
    )
}

/// One page of the account's leads, newest first, after the lead added at `before` =
/// (created_at, id) (`(i64::MAX, i64::MAX)` for the first page).
pub fn page(conn: &Connection, account_id: i64, before: (i64, i64), limit: i64) -> Result<Vec<LeadRow>> {
    let mut stmt = conn.prepare_cached(&page_sql())?;
    let rows = stmt
        .query_map(params![account_id, before.0, before.1, limit], lead_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The query plan of a page of the Leads list (for the test that it reads its index in order).
pub fn explain_page(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", page_sql()))?;
    let steps = stmt
        .query_map(params![1, 1, 1, 1], |r| r.get::<_, String>(3))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(steps.join("; "))
}

/// One lead of the account as the Leads list shows it.
pub fn row(conn: &Connection, account_id: i64, id: i64) -> Result<Option<LeadRow>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(
            &format!("{LEAD_ROW_SQL} WHERE l.id = ?2 AND l.account_id = ?1"),
            params![account_id, id],
            lead_row,
        )
        .optional()?)
}

/// What the outbox and inbound handling need to know about a lead.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Lead {
    pub id: i64,
    pub account_id: i64,
    pub phone_e164: Option<PhoneE164>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub timezone: Option<String>,
    pub source: String,
    pub status: LeadStatus,
    pub textable: bool,
    pub opted_out: bool,
    pub vehicle_interest: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub last_inbound_at: Option<i64>,
    /// a rep stopped upsell offers to this customer (texts still go)
    pub offers_suppressed: bool,
}

const LEAD_COLUMNS: &str = "id, account_id, phone_e164, email, first_name, last_name, state, postal_code, timezone,
    source, status, textable, opted_out, vehicle_interest, created_at, last_inbound_at,
    offers_suppressed_at IS NOT NULL";

fn lead_from_row(r: &rusqlite::Row) -> rusqlite::Result<Lead> {
    Ok(Lead {
        id: r.get(0)?,
        account_id: r.get(1)?,
        phone_e164: r.get(2)?,
        email: r.get(3)?,
        first_name: r.get(4)?,
        last_name: r.get(5)?,
        state: r.get(6)?,
        postal_code: r.get(7)?,
        timezone: r.get(8)?,
        source: r.get(9)?,
        status: r.get(10)?,
        textable: r.get(11)?,
        opted_out: r.get(12)?,
        vehicle_interest: r.get(13)?,
        created_at: r.get(14)?,
        last_inbound_at: r.get(15)?,
        offers_suppressed: r.get(16)?,
    })
}

/// A lead of this account (None if it belongs to another account or does not exist).
pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<Lead>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(
            &format!("SELECT {LEAD_COLUMNS} FROM leads WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            lead_from_row,
        )
        .optional()?)
}

pub fn find_by_phone(conn: &Connection, account_id: i64, phone: &str) -> Result<Option<Lead>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(
            &format!("SELECT {LEAD_COLUMNS} FROM leads WHERE account_id = ?1 AND phone_e164 = ?2"),
            params![account_id, phone],
            lead_from_row,
        )
        .optional()?)
}

pub fn find_by_email(conn: &Connection, account_id: i64, email: &str) -> Result<Option<Lead>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(
            &format!("SELECT {LEAD_COLUMNS} FROM leads WHERE account_id = ?1 AND email = ?2 ORDER BY id LIMIT 1"),
            params![account_id, email],
            lead_from_row,
        )
        .optional()?)
}

/// Fill in what a later submission adds; never erase what is known with a blank.
pub fn merge(conn: &WriteTx, id: i64, l: &NewLead, now: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET phone_e164 = coalesce(phone_e164, ?2), email = coalesce(?3, email),
                first_name = coalesce(?4, first_name), last_name = coalesce(?5, last_name),
                city = coalesce(?6, city), state = coalesce(?7, state), postal_code = coalesce(?8, postal_code),
                timezone = coalesce(?9, timezone), vehicle_interest = coalesce(?10, vehicle_interest),
                textable = max(textable, ?11), updated_at = ?12
         WHERE id = ?1",
        params![
            id,
            l.phone_e164,
            l.email,
            l.first_name,
            l.last_name,
            l.city,
            l.state,
            l.postal_code,
            l.timezone,
            l.vehicle_interest,
            l.textable,
            now
        ],
    )?;
    Ok(())
}

/// What a rep may correct on the customer card (checked before: `domain::customer::check_card`).
pub struct CardEdit {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub state: Option<String>,
    pub timezone: Option<String>,
}

/// Replace the card's fields with the rep's (a blank clears one). False: no such lead here.
pub fn update_card(conn: &WriteTx, account_id: i64, id: i64, c: &CardEdit, now: i64) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE leads SET first_name = ?3, last_name = ?4, email = ?5, state = ?6, timezone = ?7, updated_at = ?8
         WHERE id = ?2 AND account_id = ?1",
        params![
            account_id,
            id,
            c.first_name,
            c.last_name,
            c.email,
            c.state,
            c.timezone,
            now
        ],
    )? == 1)
}

/// Stop (or allow again) upsell offers to a customer. False: no such lead here.
pub fn set_offers_suppressed(
    conn: &WriteTx,
    account_id: i64,
    id: i64,
    suppressed: bool,
    by: &str,
    now: i64,
) -> Result<bool> {
    Ok(conn.execute_cached(
        "UPDATE leads SET offers_suppressed_at = CASE WHEN ?3 THEN coalesce(offers_suppressed_at, ?5) END,
                offers_suppressed_by = CASE WHEN ?3 THEN ?4 END, updated_at = ?5
         WHERE id = ?2 AND account_id = ?1",
        params![account_id, id, suppressed, by, now],
    )? == 1)
}

pub fn set_extra(
    conn: &WriteTx,
    id: i64,
    address: Option<&str>,
    preferred_vehicle: Option<&str>,
    notes: Option<&str>,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET address = coalesce(?2, address), preferred_vehicle = coalesce(?3, preferred_vehicle),
                notes = coalesce(?4, notes)
         WHERE id = ?1",
        params![id, address, preferred_vehicle, notes],
    )?;
    Ok(())
}

/// New leads due a follow-up: status 'new', created since `since`, never replied, not opted out.
pub fn in_followup_window(conn: &Connection, account_id: i64, since: i64, now: i64) -> Result<Vec<Lead>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {LEAD_COLUMNS} FROM leads
         WHERE account_id = ?1 AND status IN ('new', 'contacted') AND created_at >= ?2 AND created_at <= ?3
           AND last_inbound_at IS NULL AND opted_out = 0 AND textable = 1 AND phone_e164 IS NOT NULL"
    ))?;
    let rows = stmt
        .query_map(params![account_id, since, now], lead_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The id of the account's lead with this phone number. Reads the index only: the import's
/// customer match needs nothing else.
pub fn id_by_phone(conn: &Connection, account_id: i64, phone: &str) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(ID_BY_PHONE_SQL, params![account_id, phone], |r| r.get(0))
        .optional()?)
}

/// The id of the account's first lead with this email (as [`find_by_email`]), from the index.
pub fn id_by_email(conn: &Connection, account_id: i64, email: &str) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(ID_BY_EMAIL_SQL, params![account_id, email], |r| r.get(0))
        .optional()?)
}

/// The id of a lead with this name who owns (or owned) the vehicle with this VIN: how a DMS
/// customer with no phone or email is recognised on the next export.
const ID_BY_PHONE_SQL: &str = "SELECT id FROM leads WHERE account_id = ?1 AND phone_e164 = ?2";
const ID_BY_EMAIL_SQL: &str = "SELECT id FROM leads WHERE account_id = ?1 AND email = ?2 ORDER BY id LIMIT 1";

/// The vehicle by VIN, then its owners, then their names: CROSS JOIN keeps that order whatever
/// the planner's statistics say (statistics taken while the tables were tiny, early in a first
/// import, once made it start from the names and read every lead for each new customer).
const BY_NAME_AND_VIN_SQL: &str = "SELECT o.lead_id FROM vehicles v
     CROSS JOIN ownerships o ON o.vehicle_id = v.id
     CROSS JOIN leads l ON l.id = o.lead_id
     WHERE v.account_id = ?1 AND v.vin = ?4
       AND l.first_name = ?2 COLLATE NOCASE AND l.last_name = ?3 COLLATE NOCASE
     ORDER BY o.active DESC, o.id DESC LIMIT 1";

/// The query plans of the lookups an import makes for each row (for the test that they use
/// their indexes whatever the statistics).
pub fn explain_import_lookups(conn: &Connection) -> Result<Vec<String>> {
    let mut plans = Vec::new();
    for (sql, n) in [
        (BY_NAME_AND_VIN_SQL, 4),
        (ID_BY_PHONE_SQL, 2),
        (ID_BY_EMAIL_SQL, 2),
        (super::vehicles::CURRENT_OWNER_SQL, 1),
        (super::service_events::IMPORTED_SQL, 2),
    ] {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(vec![rusqlite::types::Null; n]), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        plans.push(rows.join("; "));
    }
    Ok(plans)
}

pub fn id_by_name_and_vin(
    conn: &Connection,
    account_id: i64,
    first: &str,
    last: &str,
    vin: &str,
) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row_cached(BY_NAME_AND_VIN_SQL, params![account_id, first, last, vin], |r| r.get(0))
        .optional()?)
}

/// A new lead with its street address (a DMS customer), in one statement.
pub fn insert_with_address(
    conn: &WriteTx,
    account_id: i64,
    l: &NewLead,
    address: Option<&str>,
    now: i64,
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO leads (account_id, phone_e164, email, first_name, last_name, city, state, postal_code,
                            timezone, source, status, textable, vehicle_interest, address, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?;
    stmt.execute(params![
        account_id,
        l.phone_e164,
        l.email,
        l.first_name,
        l.last_name,
        l.city,
        l.state,
        l.postal_code,
        l.timezone,
        l.source,
        l.status,
        l.textable,
        l.vehicle_interest,
        address,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// [`merge`] and then [`set_extra`] with the address, in one statement that leaves the row
/// untouched when it would change nothing (`updated_at` included): an import meets the same
/// customer on every visit, and rewriting an unchanged row still dirties its page.
/// Returns whether the row was written.
pub fn merge_with_address(conn: &WriteTx, id: i64, l: &NewLead, address: Option<&str>, now: i64) -> Result<bool> {
    // `IS NOT` compares with the column's collation, NOCASE for email: BINARY so that a change
    // of case is written, as `merge` would.
    let changed = conn.execute_cached(
        "UPDATE leads SET phone_e164 = coalesce(phone_e164, ?2), email = coalesce(?3, email),
                first_name = coalesce(?4, first_name), last_name = coalesce(?5, last_name),
                city = coalesce(?6, city), state = coalesce(?7, state), postal_code = coalesce(?8, postal_code),
                timezone = coalesce(?9, timezone), vehicle_interest = coalesce(?10, vehicle_interest),
                textable = max(textable, ?11), address = coalesce(?13, address), updated_at = ?12
         WHERE id = ?1
           AND (phone_e164 IS NOT coalesce(phone_e164, ?2) OR email IS NOT coalesce(?3, email) COLLATE BINARY
                OR first_name IS NOT coalesce(?4, first_name) OR last_name IS NOT coalesce(?5, last_name)
                OR city IS NOT coalesce(?6, city) OR state IS NOT coalesce(?7, state)
                OR postal_code IS NOT coalesce(?8, postal_code) OR timezone IS NOT coalesce(?9, timezone)
                OR vehicle_interest IS NOT coalesce(?10, vehicle_interest) OR textable IS NOT max(textable, ?11)
                OR address IS NOT coalesce(?13, address) OR updated_at IS NOT ?12)",
        params![
            id,
            l.phone_e164,
            l.email,
            l.first_name,
            l.last_name,
            l.city,
            l.state,
            l.postal_code,
            l.timezone,
            l.vehicle_interest,
            l.textable,
            now,
            address
        ],
    )?;
    Ok(changed > 0)
}

/// A lead (webhook, website form) came in for this customer at `at`: the watchlist's "recent
/// lead", also when it matched a customer the DMS had already brought in.
pub fn mark_lead_received(conn: &WriteTx, lead_id: i64, at: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE leads SET last_lead_at = max(coalesce(last_lead_at, 0), ?2) WHERE id = ?1",
        params![lead_id, at],
    )?;
    Ok(())
}
