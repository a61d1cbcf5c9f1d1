//! Per-state sending rules: shipped defaults (account_id NULL) and per-account overrides.

use super::Cached;
use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone)]
pub struct StateRuleRow {
    pub state: String,
    pub start_minute: i64,
    pub end_minute: i64,
    pub sunday_start_minute: Option<i64>,
    pub sunday_end_minute: Option<i64>,
    pub sunday_allowed: bool,
    pub max_per_24h: Option<i64>,
    /// the cap does not hold a customer who bought within this many months (shipped for Oregon only;
    /// an account's own rule has none, which is stricter)
    pub cap_exempt_if_bought_within_months: Option<i64>,
    pub source: String,
    pub overridden: bool,
}

impl StateRuleRow {
    /// An account's own rule from a checked one (it carries no purchase exemption).
    pub fn own(r: &crate::domain::settings::StateRule) -> StateRuleRow {
        StateRuleRow {
            state: r.state.to_string(),
            start_minute: r.start_minute,
            end_minute: r.end_minute,
            sunday_start_minute: r.sunday.map(|s| s.0),
            sunday_end_minute: r.sunday.map(|s| s.1),
            sunday_allowed: r.sunday_allowed,
            max_per_24h: r.max_per_24h,
            cap_exempt_if_bought_within_months: None,
            source: r.source.clone(),
            overridden: true,
        }
    }
}

const RULE_COLUMNS: &str = "state, start_minute, end_minute, sunday_start_minute, sunday_end_minute, sunday_allowed,
    max_per_24h, source, account_id IS NOT NULL, cap_exempt_if_bought_within_months";

fn rule_from_row(r: &rusqlite::Row) -> rusqlite::Result<StateRuleRow> {
    Ok(StateRuleRow {
        state: r.get(0)?,
        start_minute: r.get(1)?,
        end_minute: r.get(2)?,
        sunday_start_minute: r.get(3)?,
        sunday_end_minute: r.get(4)?,
        sunday_allowed: r.get(5)?,
        max_per_24h: r.get(6)?,
        source: r.get(7)?,
        overridden: r.get(8)?,
        cap_exempt_if_bought_within_months: r.get(9)?,
    })
}

/// The state rules in force for an account: its own rows, else the shipped defaults.
pub fn in_force(conn: &Connection, account_id: i64) -> Result<Vec<StateRuleRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM state_rules r
         WHERE account_id = ?1
            OR (account_id IS NULL AND NOT EXISTS
                  (SELECT 1 FROM state_rules o WHERE o.account_id = ?1 AND o.state = r.state))
         ORDER BY state"
    ))?;
    let rows = stmt
        .query_map([account_id], rule_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The rule for one state as it applies to this account, if the state has one.
pub fn for_state(conn: &Connection, account_id: i64, state: &str) -> Result<Option<StateRuleRow>> {
    Ok(conn
        .query_row_cached(
            &format!(
                "SELECT {RULE_COLUMNS} FROM state_rules WHERE state = ?2 AND (account_id = ?1 OR account_id IS NULL)
                 ORDER BY account_id IS NULL LIMIT 1"
            ),
            params![account_id, state],
            rule_from_row,
        )
        .optional()?)
}

/// Set this account's own rule for a state (overriding the shipped default). It carries no purchase
/// exemption from the cap: `r.cap_exempt_if_bought_within_months` is not written.
pub fn set_override(conn: &WriteTx, account_id: i64, r: &StateRuleRow, now: i64) -> Result<()> {
    conn.execute_cached(
        "INSERT INTO state_rules (account_id, state, start_minute, end_minute, sunday_start_minute, sunday_end_minute,
                                  sunday_allowed, max_per_24h, source, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (account_id, state) WHERE account_id IS NOT NULL DO UPDATE SET
             start_minute = excluded.start_minute, end_minute = excluded.end_minute,
             sunday_start_minute = excluded.sunday_start_minute, sunday_end_minute = excluded.sunday_end_minute,
             sunday_allowed = excluded.sunday_allowed, max_per_24h = excluded.max_per_24h,
             source = excluded.source, updated_at = excluded.updated_at",
        params![
            account_id,
            r.state,
            r.start_minute,
            r.end_minute,
            r.sunday_start_minute,
            r.sunday_end_minute,
            r.sunday_allowed,
            r.max_per_24h,
            r.source,
            now
        ],
    )?;
    Ok(())
}

/// Drop this account's own rule for a state: the shipped default (if any) applies again.
/// Returns whether there was one.
pub fn reset(conn: &WriteTx, account_id: i64, state: &str) -> Result<bool> {
    Ok(conn.execute_cached(
        "DELETE FROM state_rules WHERE account_id = ?1 AND state = ?2",
        params![account_id, state],
    )? > 0)
}

/// The shipped default rules (account_id NULL), by state.
pub fn defaults(conn: &Connection) -> Result<Vec<StateRuleRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM state_rules WHERE account_id IS NULL ORDER BY state"
    ))?;
    let rows = stmt
        .query_map([], rule_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
