//! Experiments, who is in which arm, and each arm's outcomes in sums (set-based: one query per
//! experiment, per-customer lookups by index, no rows handed to the application).

use crate::db::WriteTx;
use crate::domain::experiments::{
    ArmOutcomes, Campaign, ExperimentStatus, Metric, RegressionAdjusted, SampleMean, ValidExperiment,
};
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// An experiment as stored, with how many customers each arm has so far.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Experiment {
    pub id: i64,
    pub name: String,
    pub campaign: Campaign,
    pub holdout_pct: i64,
    pub status: ExperimentStatus,
    pub primary_metric: Metric,
    pub window_days: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub starts_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub ends_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub started_at: Option<i64>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub stopped_at: Option<i64>,
    pub control: i64,
    pub treatment: i64,
    #[serde(skip)]
    pub salt: String,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub updated_at: i64,
}

const COLUMNS: &str = "e.id, e.name, e.scope, e.holdout_pct, e.status, e.primary_metric, e.window_days, e.starts_at,
    e.ends_at, e.started_at, e.stopped_at,
    (SELECT count(*) FROM experiment_assignments a WHERE a.experiment_id = e.id AND a.variant = 'control'),
    (SELECT count(*) FROM experiment_assignments a WHERE a.experiment_id = e.id AND a.variant <> 'control'),
    e.salt, e.created_at, e.updated_at";

fn row(r: &Row) -> rusqlite::Result<Experiment> {
    Ok(Experiment {
        id: r.get(0)?,
        name: r.get(1)?,
        campaign: r.get(2)?,
        holdout_pct: r.get(3)?,
        status: r.get(4)?,
        primary_metric: r.get(5)?,
        window_days: r.get(6)?,
        starts_at: r.get(7)?,
        ends_at: r.get(8)?,
        started_at: r.get(9)?,
        stopped_at: r.get(10)?,
        control: r.get(11)?,
        treatment: r.get(12)?,
        salt: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
    })
}

/// The account's experiments, newest first.
pub fn list(conn: &Connection, account_id: i64) -> Result<Vec<Experiment>> {
    let sql =
        format!("SELECT {COLUMNS} FROM experiments e WHERE e.account_id = ?1 ORDER BY e.created_at DESC, e.id DESC");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([account_id], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The account's running experiments (the dashboard's card), by the index on (account, scope, status).
pub fn running(conn: &Connection, account_id: i64) -> Result<Vec<Experiment>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM experiments e WHERE e.account_id = ?1 AND e.status = 'running' ORDER BY e.started_at, e.id"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([account_id], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every running experiment of every account, with its account (the operator's bulk assignment).
pub fn running_everywhere(conn: &Connection) -> Result<Vec<(i64, Experiment)>> {
    let sql = format!("SELECT {COLUMNS}, e.account_id FROM experiments e WHERE e.status = 'running' ORDER BY e.id");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([], |r| Ok((r.get(16)?, row(r)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<Experiment>> {
    let sql = format!("SELECT {COLUMNS} FROM experiments e WHERE e.id = ?1 AND e.account_id = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id, account_id], row)
        .optional()?)
}

fn name_taken(conn: &Connection, account_id: i64, name: &str, except: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM experiments WHERE account_id = ?1 AND name = ?2 AND id <> ?3")?
        .exists(params![account_id, name, except])?)
}

fn name_conflict(name: &str) -> Error {
    Error::Conflict(format!("an experiment named `{name}` already exists"))
}

/// A new draft experiment with its own salt; a name already taken is a `Conflict`.
pub fn insert(tx: &WriteTx, account_id: i64, e: &ValidExperiment, salt: &str, now: i64) -> Result<i64> {
    if name_taken(tx, account_id, &e.name, 0)? {
        return Err(name_conflict(&e.name));
    }
    tx.prepare_cached(
        "INSERT INTO experiments (account_id, name, scope, holdout_pct, salt, status, primary_metric, window_days,
                                  starts_at, ends_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        account_id,
        e.name,
        e.campaign,
        e.holdout_pct,
        salt,
        e.primary_metric,
        e.window_days,
        e.starts_at.map(crate::clock::to_unix),
        e.ends_at.map(crate::clock::to_unix),
        now
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Replace a draft's fields (the caller checks it is a draft). False if there is no such experiment.
pub fn update(tx: &WriteTx, account_id: i64, id: i64, e: &ValidExperiment, now: i64) -> Result<bool> {
    if name_taken(tx, account_id, &e.name, id)? {
        return Err(name_conflict(&e.name));
    }
    let n = tx
        .prepare_cached(
            "UPDATE experiments SET name = ?3, scope = ?4, holdout_pct = ?5, primary_metric = ?6, window_days = ?7,
                    starts_at = ?8, ends_at = ?9, updated_at = ?10
             WHERE id = ?1 AND account_id = ?2",
        )?
        .execute(params![
            id,
            account_id,
            e.name,
            e.campaign,
            e.holdout_pct,
            e.primary_metric,
            e.window_days,
            e.starts_at.map(crate::clock::to_unix),
            e.ends_at.map(crate::clock::to_unix),
            now
        ])?;
    Ok(n == 1)
}

/// Start a draft (`started_at` = now) or stop a running one (`stopped_at` = now).
pub fn set_status(tx: &WriteTx, account_id: i64, id: i64, status: ExperimentStatus, now: i64) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE experiments SET status = ?3, updated_at = ?4,
                    started_at = CASE WHEN ?3 = 'running' THEN ?4 ELSE started_at END,
                    stopped_at = CASE WHEN ?3 = 'stopped' THEN ?4 ELSE stopped_at END
             WHERE id = ?1 AND account_id = ?2",
        )?
        .execute(params![id, account_id, status, now])?;
    Ok(n == 1)
}

/// The running experiment that governs one of `scopes` (e.g. `upsell:ro_open`, `upsell:any`), if
/// any, within its planned dates at `now`: id, salt, holdout %. Only one can run per campaign; the
/// oldest wins if rows say otherwise.
pub fn running_experiment(
    conn: &Connection,
    account_id: i64,
    scopes: &[&str],
    now: i64,
) -> Result<Option<(i64, String, i64)>> {
    let mut found: Option<(i64, String, i64)> = None;
    for scope in scopes {
        let e = conn
            .prepare_cached(
                "SELECT id, salt, holdout_pct FROM experiments
                 WHERE account_id = ?1 AND scope = ?2 AND status = 'running'
                   AND (starts_at IS NULL OR starts_at <= ?3) AND (ends_at IS NULL OR ends_at > ?3)
                 ORDER BY id LIMIT 1",
            )?
            .query_row(params![account_id, scope, now], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        found = match (found, e) {
            (Some(f), Some(e)) => Some(if e.0 < f.0 { e } else { f }),
            (f, e) => f.or(e),
        };
    }
    Ok(found)
}

/// Record a lead's arm (first assignment wins) and return the arm on record.
pub fn assign_arm(
    conn: &WriteTx,
    account_id: i64,
    experiment_id: i64,
    lead_id: i64,
    variant: &str,
    now: i64,
) -> Result<String> {
    conn.prepare_cached(
        "INSERT INTO experiment_assignments (account_id, experiment_id, lead_id, variant, assigned_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (experiment_id, lead_id) DO NOTHING",
    )?
    .execute(params![account_id, experiment_id, lead_id, variant, now])?;
    Ok(conn
        .prepare_cached("SELECT variant FROM experiment_assignments WHERE experiment_id = ?1 AND lead_id = ?2")?
        .query_row(params![experiment_id, lead_id], |r| r.get(0))?)
}

/// Customers with a decided send of the experiment's campaign since it started (a text that went
/// or would have gone) and no assignment yet, each with the first such moment: the bulk
/// assignment's work list. Upsell campaigns read `offer_sends` of the governed phases; surveys
/// the questions asked; follow-ups the follow-up texts the gate let through.
pub fn unassigned_eligible(
    conn: &Connection,
    account_id: i64,
    experiment_id: i64,
    campaign: Campaign,
    since: i64,
    up_to: i64,
) -> Result<Vec<(i64, i64)>> {
    let phases: &[&str] = match campaign {
        Campaign::UpsellTMinus48h => &["t_minus_48h"],
        Campaign::UpsellRoOpen => &["ro_open"],
        Campaign::UpsellTPlus24h => &["t_plus_24h"],
        Campaign::UpsellAny => &["t_minus_48h", "ro_open", "t_plus_24h"],
        _ => &[],
    };
    let unassigned =
        "NOT EXISTS (SELECT 1 FROM experiment_assignments a WHERE a.experiment_id = ?2 AND a.lead_id = x.lead_id)";
    let sql = match campaign {
        Campaign::Surveys => format!(
            "SELECT x.lead_id, min(x.asked_at) FROM question_history x
             WHERE x.account_id = ?1 AND x.asked_at >= ?3 AND x.asked_at <= ?4 AND {unassigned}
             GROUP BY x.lead_id ORDER BY 2, 1"
        ),
        Campaign::Followups => format!(
            "SELECT x.lead_id, min(x.created_at) FROM messages_out x
             WHERE x.account_id = ?1 AND x.purpose = 'followup' AND x.status <> 'blocked'
               AND x.created_at >= ?3 AND x.created_at <= ?4 AND {unassigned}
             GROUP BY x.lead_id ORDER BY 2, 1"
        ),
        _ => format!(
            "SELECT x.lead_id, min(x.created_at) FROM offer_sends x
             WHERE x.account_id = ?1 AND x.phase IN (SELECT value FROM json_each(?5))
               AND x.status IN ('pending', 'queued', 'deferred', 'sent', 'held_out')
               AND x.created_at >= ?3 AND x.created_at <= ?4 AND {unassigned}
             GROUP BY x.lead_id ORDER BY 2, 1"
        ),
    };
    let phases = serde_json::to_string(phases).map_err(Error::internal)?;
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = if campaign.is_upsell() {
        stmt.query_map(params![account_id, experiment_id, since, up_to, phases], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        stmt.query_map(params![account_id, experiment_id, since, up_to], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(rows)
}

/// Per customer by index (`+account_id` keeps the planner, with or without statistics, on the
/// customer's own rows rather than the account's), then summed per arm.
const OUTCOMES_SQL: &str = "WITH a AS (
             SELECT lead_id, variant, assigned_at, min(assigned_at + ?3, ?4) AS until
             FROM experiment_assignments
             WHERE experiment_id = ?2 AND account_id = ?1 AND assigned_at <= ?4
         ), per AS MATERIALIZED (
             SELECT a.variant AS variant,
                    EXISTS (SELECT 1 FROM service_events s
                            WHERE s.lead_id = a.lead_id AND +s.account_id = ?1 AND s.kind = 'appointment'
                              AND s.created_at > a.assigned_at AND s.created_at <= a.until) AS booked,
                    EXISTS (SELECT 1 FROM service_events s
                            WHERE s.lead_id = a.lead_id AND +s.account_id = ?1
                              AND s.opened_at > a.assigned_at AND s.opened_at <= a.until) AS kept,
                    EXISTS (SELECT 1 FROM offer_sends o
                            WHERE o.lead_id = a.lead_id AND +o.account_id = ?1 AND o.accepted = 1
                              AND o.created_at >= a.assigned_at AND o.created_at <= a.until) AS accepted,
                    (SELECT coalesce(sum(o.revenue_attributed_cents), 0) FROM offer_sends o
                     WHERE o.lead_id = a.lead_id AND +o.account_id = ?1
                       AND o.created_at >= a.assigned_at AND o.created_at <= a.until) / 100.0 AS upsell,
                    (SELECT coalesce(sum(s.total_cents), 0) FROM service_events s
                     WHERE s.lead_id = a.lead_id AND +s.account_id = ?1 AND s.kind = 'repair_order'
                       AND s.opened_at > a.assigned_at AND s.opened_at <= a.until) / 100.0 AS ro,
                    (SELECT coalesce(sum(s.total_cents), 0) FROM service_events s
                     WHERE s.lead_id = a.lead_id AND +s.account_id = ?1 AND s.kind = 'repair_order'
                       AND s.opened_at > a.assigned_at - 365 * 86400 AND s.opened_at <= a.assigned_at) / 100.0 AS pre
             FROM a
         )
         SELECT variant = 'control', count(*), sum(booked), sum(kept), sum(accepted),
                sum(upsell), sum(upsell * upsell), sum(ro), sum(ro * ro), sum(pre), sum(pre * pre), sum(ro * pre)
         FROM per GROUP BY variant = 'control'";

/// The outcome query's plan (a test holds it to indexed look-ups: no table is read whole).
pub fn explain_outcomes(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {OUTCOMES_SQL}"))?;
    let rows = stmt
        .query_map(params![1, 1, 86_400, 0], |r| r.get::<_, String>(3))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.join("; "))
}

/// Each arm's outcomes over `window` seconds after each customer's assignment (and not past
/// `as_of`): booked = an appointment made after assignment; kept = an RO opened; accepted = an
/// offer accepted; upsell revenue = revenue credited to offers; revenue = RO totals, with the
/// 12 months before assignment as the CUPED covariate. Money in dollars. (control, treatment).
pub fn outcomes(
    conn: &Connection,
    account_id: i64,
    experiment_id: i64,
    window: i64,
    as_of: i64,
) -> Result<(ArmOutcomes, ArmOutcomes)> {
    let mut stmt = conn.prepare_cached(OUTCOMES_SQL)?;
    let mut control = ArmOutcomes::default();
    let mut treatment = ArmOutcomes::default();
    let rows = stmt.query_map(params![account_id, experiment_id, window, as_of], |r| {
        let n: i64 = r.get(1)?;
        let n = n.max(0) as u64;
        let count = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
        let arm = ArmOutcomes {
            n,
            booked: count(2)?,
            kept: count(3)?,
            accepted: count(4)?,
            upsell_revenue: SampleMean::new(n, r.get(5)?, r.get(6)?),
            revenue: RegressionAdjusted {
                n,
                post: SampleMean::new(n, r.get(7)?, r.get(8)?),
                pre: SampleMean::new(n, r.get(9)?, r.get(10)?),
                post_pre_sum_of_products: r.get(11)?,
            },
        };
        Ok((r.get::<_, bool>(0)?, arm))
    })?;
    for row in rows {
        match row? {
            (true, arm) => control = arm,
            (false, arm) => treatment = arm,
        }
    }
    Ok((control, treatment))
}
