//! Finding customers by what a rep typed (`domain::search::SearchPlan`): each reading of the
//! query is one index read (a number's last four digits and a VIN's last six characters have
//! their own indexes, V12), never a scan of the leads.

use crate::domain::search::SearchPlan;
use crate::error::Result;
use rusqlite::{params, Connection};

const PHONE_EXACT_SQL: &str = "SELECT id FROM leads WHERE account_id = ?1 AND phone_e164 = ?2";
/// `?2` the last four digits, `?3` all the digits typed
const PHONE_SUFFIX_SQL: &str = "SELECT id FROM leads INDEXED BY leads_phone_last4
     WHERE account_id = ?1 AND phone_e164 IS NOT NULL AND substr(phone_e164, -4) = ?2
       AND substr(phone_e164, -length(?3)) = ?3
     ORDER BY id DESC LIMIT ?4";
/// `?2` the start of the address, `?3` just past every address starting so
const EMAIL_SQL: &str = "SELECT id FROM leads INDEXED BY leads_account_email
     WHERE account_id = ?1 AND email IS NOT NULL AND email >= ?2 AND email < ?3 LIMIT ?4";
const VIN_EXACT_SQL: &str = "SELECT o.lead_id FROM vehicles v CROSS JOIN ownerships o ON o.vehicle_id = v.id
     WHERE v.account_id = ?1 AND v.vin = ?2 ORDER BY o.active DESC, o.id DESC LIMIT ?3";
/// `?2` the VIN's last six characters, `?3` all the characters typed
const VIN_SUFFIX_SQL: &str = "SELECT o.lead_id FROM vehicles v INDEXED BY vehicles_vin_last6
     CROSS JOIN ownerships o ON o.vehicle_id = v.id
     WHERE v.account_id = ?1 AND v.vin IS NOT NULL AND substr(v.vin, 12) = ?2 AND substr(v.vin, -length(?3)) = ?3
     ORDER BY o.active DESC, o.id DESC LIMIT ?4";
const RO_SQL: &str = "SELECT lead_id FROM service_events
     WHERE account_id = ?1 AND external_id = ?2 AND lead_id IS NOT NULL LIMIT ?3";
/// names starting with `?2` (in lower case, as the plan holds its words), in name order
const FIRST_NAME_SQL: &str = "SELECT id, first_name, last_name FROM leads INDEXED BY leads_first_name
     WHERE account_id = ?1 AND first_name IS NOT NULL
       AND lower(first_name) >= ?2 AND lower(first_name) < ?3
     ORDER BY lower(first_name)";
const LAST_NAME_SQL: &str = "SELECT id, first_name, last_name FROM leads INDEXED BY leads_last_name
     WHERE account_id = ?1 AND last_name IS NOT NULL
       AND lower(last_name) >= ?2 AND lower(last_name) < ?3
     ORDER BY lower(last_name)";

/// How many names starting with the driving word are read, at most, to find those that match
/// the other words too: a common first name among a million customers stays a bounded read.
const NAME_READ_LIMIT: usize = 5_000;

/// Just past every string that starts with `prefix` (upper bound of a prefix range).
fn past(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The ids of the account's leads the query finds (at most `limit`): whole phone numbers, then
/// number endings, emails, VINs, RO numbers, then names.
pub fn lead_ids(conn: &Connection, account_id: i64, plan: &SearchPlan, limit: usize) -> Result<Vec<i64>> {
    let lim = limit as i64;
    let mut ids: Vec<i64> = Vec::new();
    let mut add = |found: Vec<i64>| {
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    };
    let column = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let v = stmt
            .query_map(p, |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(v)
    };
    if let Some(p) = &plan.phone_exact {
        add(column(PHONE_EXACT_SQL, params![account_id, p])?);
    }
    if let Some(s) = &plan.phone_suffix {
        let last4 = &s[s.len() - 4..];
        add(column(PHONE_SUFFIX_SQL, params![account_id, last4, s, lim])?);
    }
    if let Some(e) = &plan.email_prefix {
        add(column(EMAIL_SQL, params![account_id, e, past(e), lim])?);
    }
    if let Some(v) = &plan.vin_exact {
        add(column(VIN_EXACT_SQL, params![account_id, v, lim])?);
    }
    if let Some(v) = &plan.vin_suffix {
        let last6 = &v[v.len() - 6..];
        add(column(VIN_SUFFIX_SQL, params![account_id, last6, v, lim])?);
    }
    if let Some(ro) = &plan.ro_number {
        add(column(RO_SQL, params![account_id, ro, lim])?);
    }
    if let Some(driver) = plan.name_driver() {
        for sql in [LAST_NAME_SQL, FIRST_NAME_SQL] {
            add(names(conn, sql, account_id, driver, &plan.name_words, limit)?);
        }
    }
    ids.truncate(limit);
    Ok(ids)
}

/// Leads whose first or last name starts with every word, read in name order from the index
/// of names starting with `driver`.
fn names(
    conn: &Connection,
    sql: &str,
    account_id: i64,
    driver: &str,
    words: &[String],
    limit: usize,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![account_id, driver, past(driver)])?;
    let mut out = Vec::new();
    let mut read = 0;
    while let Some(r) = rows.next()? {
        read += 1;
        let id: i64 = r.get(0)?;
        let first = r.get::<_, Option<String>>(1)?.unwrap_or_default().to_lowercase();
        let last = r.get::<_, Option<String>>(2)?.unwrap_or_default().to_lowercase();
        if words
            .iter()
            .all(|w| first.starts_with(w.as_str()) || last.starts_with(w.as_str()))
        {
            out.push(id);
        }
        if out.len() >= limit || read >= NAME_READ_LIMIT {
            break;
        }
    }
    Ok(out)
}

/// The query plan of each reading of a query (for the test that none scans a table).
pub fn explain(conn: &Connection) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for (name, sql, n) in [
        ("phone", PHONE_EXACT_SQL, 2),
        ("phone ending", PHONE_SUFFIX_SQL, 4),
        ("email", EMAIL_SQL, 4),
        ("vin", VIN_EXACT_SQL, 3),
        ("vin ending", VIN_SUFFIX_SQL, 4),
        ("ro number", RO_SQL, 3),
        ("first name", FIRST_NAME_SQL, 3),
        ("last name", LAST_NAME_SQL, 3),
    ] {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let steps = stmt
            .query_map(rusqlite::params_from_iter(vec!["1"; n]), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push((name, steps.join("; ")));
    }
    Ok(out)
}

/// The leads the query finds, in the order found, as the Leads page lists them.
pub fn leads(
    conn: &Connection,
    account_id: i64,
    plan: &SearchPlan,
    limit: usize,
) -> Result<Vec<super::leads::LeadRow>> {
    let ids = lead_ids(conn, account_id, plan, limit)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(l) = super::leads::row(conn, account_id, id)? {
            out.push(l);
        }
    }
    Ok(out)
}
