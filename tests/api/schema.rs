//! The database: migrations, pragmas, the whole schema with its constraints.

use crate::support::*;
use forecourt::db::{schema_version, Db};
use forecourt::domain::account::Vertical;
use rusqlite::params;

const TABLES: &[&str] = &[
    "accounts",
    "users",
    "sessions",
    "leads",
    "messages_out",
    "messages_in",
    "appointments",
    "consent_events",
    "state_rules",
    "job_runs",
    "vehicles",
    "ownerships",
    "service_events",
    "offers",
    "offer_sends",
    "scores_next_buy",
    "experiments",
    "experiment_assignments",
    "conv_facts",
    "question_policy",
    "question_history",
];

#[test]
fn migrations_apply_to_an_empty_file_and_again_as_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("f.db")).unwrap();
    let first = db.migrate().unwrap();
    let all = Db::embedded_migrations();
    let latest = all.iter().map(|m| m.0 as i64).max();
    assert_eq!(first.applied.len(), all.len(), "{:?}", first.applied);
    assert_eq!(first.version, latest);
    let second = db.migrate().unwrap();
    assert!(second.applied.is_empty());
    assert_eq!(second.version, latest);

    let conn = db.conn().unwrap();
    for t in TABLES {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [t],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {t} is missing");
    }
}

#[test]
fn every_pooled_connection_has_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("f.db")).unwrap();
    let conns: Vec<_> = (0..3).map(|_| db.conn().unwrap()).collect();
    for c in &conns {
        let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        let busy: i64 = c.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).unwrap();
        assert_eq!((fk, mode.as_str(), sync, busy), (1, "wal", 1, 5000));
    }
}

#[test]
fn a_failed_migration_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("f.db")).unwrap();
    let mut migrations = Db::embedded_runner().get_migrations().clone();
    migrations.push(
        refinery::Migration::unapplied(
            "V99__broken",
            "CREATE TABLE half_done (x INTEGER); SELECT * FROM no_such_table;",
        )
        .unwrap(),
    );
    let err = db
        .migrate_with(refinery::Runner::new(&migrations))
        .unwrap_err()
        .to_string();
    assert!(err.contains("migration failed"), "{err}");
    let conn = db.conn().unwrap();
    // all in one transaction: not even V1 stuck
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('accounts', 'half_done')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);

    // and on a migrated database, the broken one changes nothing
    db.migrate().unwrap();
    assert!(db.migrate_with(refinery::Runner::new(&migrations)).is_err());
    let conn = db.conn().unwrap();
    assert_eq!(
        schema_version(&conn).unwrap(),
        Db::embedded_migrations().iter().map(|m| m.0 as i64).max()
    );
    let half: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(half, 0);
}

#[test]
fn accounts_created_before_the_vertical_migration_read_as_general() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("f.db")).unwrap();
    db.migrate_to(1).unwrap();
    let mut conn = db.conn().unwrap();
    conn.write_with(|tx| {
        Ok(tx.execute(
            "INSERT INTO accounts (name, timezone, created_at, updated_at) VALUES ('Old Store', 'America/Denver', 0, 0)",
            [],
        )?)
    })
    .unwrap();
    let report = db.migrate().unwrap();
    assert_eq!(report.applied.len(), Db::embedded_migrations().len() - 1);
    let vertical: String = conn
        .query_row("SELECT account_vertical FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(vertical, "general");
    let account = forecourt::store::accounts::list(&conn).unwrap().remove(0);
    assert_eq!(account.vertical, Vertical::General);
}

#[tokio::test]
async fn constraints_hold() {
    let t = TestApp::spawn().await;
    let (acct, _) = t.account("Lakeside", Vertical::Automotive);
    let c = t.conn();
    let now = t.clock_now();

    // foreign keys are enforced
    let orphan = c.execute(
        "INSERT INTO leads (account_id, source, created_at, updated_at) VALUES (9999, 'x', ?1, ?1)",
        [now],
    );
    assert!(orphan.is_err(), "a lead for a missing account must be refused");

    // unknown verticals are refused by the CHECK
    let bad = c.execute("UPDATE accounts SET account_vertical = 'bakery' WHERE id = ?1", [acct]);
    assert!(bad.is_err());

    c.execute(
        "INSERT INTO leads (account_id, phone_e164, source, created_at, updated_at) VALUES (?1, '+15125550101', 'x', ?2, ?2)",
        params![acct, now],
    )
    .unwrap();
    let lead = c.last_insert_rowid();
    // one lead per phone per account
    assert!(c
        .execute(
            "INSERT INTO leads (account_id, phone_e164, source, created_at, updated_at) VALUES (?1, '+15125550101', 'y', ?2, ?2)",
            params![acct, now]
        )
        .is_err());
    // phone numbers are E.164
    assert!(c
        .execute(
            "INSERT INTO leads (account_id, phone_e164, source, created_at, updated_at) VALUES (?1, '512-555-0101', 'y', ?2, ?2)",
            params![acct, now]
        )
        .is_err());

    // VIN unique per account
    let vin = "1HGCM82633A004352";
    c.execute(
        "INSERT INTO vehicles (account_id, vin, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![acct, vin, now],
    )
    .unwrap();
    assert!(c
        .execute(
            "INSERT INTO vehicles (account_id, vin, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![acct, vin, now]
        )
        .is_err());

    // service events unique by external id per account
    let se = "INSERT INTO service_events (account_id, external_id, kind, lead_id, opened_at, created_at, updated_at)
              VALUES (?1, 'RO1001', 'repair_order', ?2, ?3, ?3, ?3)";
    c.execute(se, params![acct, lead, now]).unwrap();
    let event = c.last_insert_rowid();
    assert!(c.execute(se, params![acct, lead, now]).is_err());
    // ... but another account may reuse the number
    let (other, _) = t.account("Other Store", Vertical::General);
    c.execute(se, params![other, None::<i64>, now]).unwrap();

    // at most one offer send per event and phase: the database says so
    c.execute(
        "INSERT INTO offers (account_id, name, body_template, created_at, updated_at) VALUES (?1, 'Oil', 'Hi {first_name}', ?2, ?2)",
        params![acct, now],
    )
    .unwrap();
    let offer = c.last_insert_rowid();
    let send = "INSERT INTO offer_sends (account_id, offer_id, service_event_id, lead_id, phase, status, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, 'ro_open', 'pending', ?5, ?5)";
    c.execute(send, params![acct, offer, event, lead, now]).unwrap();
    let dup = c.execute(send, params![acct, offer, event, lead, now]).unwrap_err();
    assert!(forecourt::store::is_unique_violation(&dup), "{dup}");
    // offers are retired, not deleted, once they have sends
    assert!(c.execute("DELETE FROM offers WHERE id = ?1", [offer]).is_err());

    // one assignment per lead per experiment
    c.execute(
        "INSERT INTO experiments (account_id, name, scope, holdout_pct, salt, created_at, updated_at)
         VALUES (?1, 'ro-open holdout', 'upsell:ro_open', 10, 's', ?2, ?2)",
        params![acct, now],
    )
    .unwrap();
    let exp = c.last_insert_rowid();
    let assign = "INSERT INTO experiment_assignments (account_id, experiment_id, lead_id, variant, assigned_at) VALUES (?1, ?2, ?3, 'control', ?4)";
    c.execute(assign, params![acct, exp, lead, now]).unwrap();
    assert!(c.execute(assign, params![acct, exp, lead, now]).is_err());

    // erasing a lead takes their data with it
    c.execute("DELETE FROM leads WHERE id = ?1", [lead]).unwrap();
    let left: i64 = c
        .query_row(
            "SELECT (SELECT count(*) FROM offer_sends) + (SELECT count(*) FROM experiment_assignments)
                  + (SELECT count(*) FROM service_events WHERE account_id = ?1)",
            [acct],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn state_rules_ship_with_the_stricter_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("f.db")).unwrap();
    db.migrate().unwrap();
    let c = db.conn().unwrap();
    type Rule = (String, i64, i64, Option<i64>, Option<i64>, bool, Option<i64>);
    let rows: Vec<Rule> = c
        .prepare(
            "SELECT state, start_minute, end_minute, sunday_start_minute, sunday_end_minute, sunday_allowed, max_per_24h
             FROM state_rules WHERE account_id IS NULL ORDER BY state",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let get = |s: &str| {
        rows.iter()
            .find(|r| r.0 == s)
            .unwrap_or_else(|| panic!("{s} missing"))
            .clone()
    };
    assert_eq!(get("FL"), ("FL".into(), 480, 1200, None, None, true, Some(3)));
    assert_eq!(get("TX"), ("TX".into(), 540, 1260, Some(720), Some(1260), true, None));
    assert!(!get("LA").5);
    assert_eq!(get("UT"), ("UT".into(), 480, 1260, None, None, false, None));
    assert_eq!(get("OR"), ("OR".into(), 480, 1200, None, None, true, Some(3)));
    assert_eq!(get("VA"), ("VA".into(), 480, 1260, None, None, true, None));
    assert_eq!(rows.len(), 12);
    // only Oregon lifts its cap, for a purchase in the last 18 months
    let exempt: Vec<(String, i64)> = c
        .prepare(
            "SELECT state, cap_exempt_if_bought_within_months FROM state_rules
             WHERE account_id IS NULL AND cap_exempt_if_bought_within_months IS NOT NULL",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(exempt, [("OR".to_string(), 18)]);
    let source = |s: &str| -> String {
        c.query_row(
            "SELECT source FROM state_rules WHERE account_id IS NULL AND state = ?1",
            [s],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(source("OR").contains("HB 3865") && source("VA").contains("59.1-511"));
}
