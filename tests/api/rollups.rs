//! The rollups the dashboard and Offers page read (kept by triggers) equal a recount of their
//! tables after a random sequence of writes of every kind: inserts, status changes, outcomes,
//! advisor changes, opt-outs, deletes and cascades.

use crate::support::TestApp;
use forecourt::domain::account::Vertical;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::params;

const PURPOSES: &[&str] = &["upsell", "survey", "followup", "manual", "reply", "system"];
const STATUSES: &[&str] = &[
    "queued",
    "deferred",
    "sending",
    "sent",
    "delivered",
    "undelivered",
    "failed",
    "blocked",
    "unknown",
];
const CODES: &[Option<&str>] = &[None, Some("quiet_hours"), Some("state_cap"), Some("opted_out")];
const OFFER_STATUSES: &[&str] = &[
    "pending", "queued", "deferred", "sent", "blocked", "failed", "held_out", "no_offer", "skipped",
];
const PHASES: &[&str] = &["t_minus_48h", "ro_open", "t_plus_24h"];
const ADVISORS: &[Option<&str>] = &[None, Some("Dana"), Some("Luis"), Some("Mia")];

fn pick<'a, T: ?Sized>(rng: &mut StdRng, items: &'a [&'a T]) -> &'a T {
    items[rng.random_range(0..items.len())]
}

fn some_id(c: &rusqlite::Connection, table: &str, rng: &mut StdRng) -> Option<i64> {
    let n: i64 = c
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap();
    if n == 0 {
        return None;
    }
    c.query_row(
        &format!("SELECT id FROM {table} ORDER BY id LIMIT 1 OFFSET ?1"),
        [rng.random_range(0..n)],
        |r| r.get(0),
    )
    .ok()
}

#[tokio::test]
async fn rollups_equal_a_recount_after_random_writes() {
    let t = TestApp::spawn().await;
    let accounts = [
        t.account("Rollup Motors", Vertical::Automotive).0,
        t.account("Second Store", Vertical::Automotive).0,
    ];
    let c = t.conn();
    let now = t.clock_now();
    let mut rng = StdRng::seed_from_u64(20261130);
    let mut phone = 0;
    let mut ext = 0;
    for step in 0..1_500 {
        let account = accounts[rng.random_range(0..2)];
        let when = now - rng.random_range(0..40 * 86_400);
        let lead = c
            .query_row(
                "SELECT id FROM leads WHERE account_id = ?1 ORDER BY random() LIMIT 1",
                [account],
                |r| r.get::<_, i64>(0),
            )
            .ok();
        let op = rng.random_range(0..14);
        match (op, lead) {
            (0 | 1, _) | (_, None) => {
                phone += 1;
                let opted = rng.random_bool(0.2);
                c.execute(
                    "INSERT INTO leads (account_id, phone_e164, textable, opted_out, opted_out_at, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 = 1 THEN ?5 END, ?5, ?5)",
                    params![account, format!("+1512555{phone:04}"), rng.random_bool(0.9), opted, when],
                )
                .unwrap();
            }
            (2, Some(lead)) => {
                c.execute(
                    "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before,
                                               blocked_code, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'hi', '+15125550000', ?4, ?5, ?6, ?5, ?5)",
                    params![
                        account,
                        lead,
                        pick(&mut rng, PURPOSES),
                        pick(&mut rng, STATUSES),
                        when,
                        CODES[rng.random_range(0..CODES.len())]
                    ],
                )
                .unwrap();
            }
            (3, _) => {
                if let Some(id) = some_id(&c, "messages_out", &mut rng) {
                    c.execute(
                        "UPDATE messages_out SET status = ?2, blocked_code = ?3 WHERE id = ?1",
                        params![id, pick(&mut rng, STATUSES), CODES[rng.random_range(0..CODES.len())]],
                    )
                    .unwrap();
                }
            }
            (4, _) if rng.random_bool(0.3) => {
                if let Some(id) = some_id(&c, "messages_out", &mut rng) {
                    c.execute("DELETE FROM messages_out WHERE id = ?1", [id]).unwrap();
                }
            }
            (5, Some(lead)) => {
                c.execute(
                    "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
                     VALUES (?1, ?2, ?3, '+15125550001', '+15125550000', 'ok', ?4)",
                    params![account, lead, format!("SM{step}"), when],
                )
                .unwrap();
            }
            (6, Some(lead)) => {
                let kind = if rng.random_bool(0.7) { "opt_out" } else { "opt_in" };
                c.execute(
                    "INSERT INTO consent_events (account_id, lead_id, kind, source, created_at) VALUES (?1, ?2, ?3, 'keyword', ?4)",
                    params![account, lead, kind, when],
                )
                .unwrap();
            }
            (7, Some(lead)) => {
                ext += 1;
                c.execute(
                    "INSERT INTO service_events (account_id, external_id, kind, lead_id, scheduled_at, advisor, created_at, updated_at)
                     VALUES (?1, ?2, 'appointment', ?3, ?4, ?5, ?4, ?4)",
                    params![account, format!("RO{ext}"), lead, when, ADVISORS[rng.random_range(0..ADVISORS.len())]],
                )
                .unwrap();
            }
            (8, Some(lead)) => {
                let event = c
                    .query_row(
                        "SELECT id FROM service_events WHERE account_id = ?1 ORDER BY random() LIMIT 1",
                        [account],
                        |r| r.get::<_, i64>(0),
                    )
                    .ok();
                if let Some(event) = event {
                    let accepted = [None, Some(0), Some(1)][rng.random_range(0..3)];
                    c.execute(
                        "INSERT OR IGNORE INTO offer_sends (account_id, service_event_id, lead_id, phase, status, accepted,
                                                            outcome_at, revenue_attributed_cents, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?6 IS NOT NULL THEN ?7 END, ?8, ?7, ?7)",
                        params![
                            account,
                            event,
                            lead,
                            pick(&mut rng, PHASES),
                            pick(&mut rng, OFFER_STATUSES),
                            accepted,
                            when,
                            rng.random_range(0..50_000)
                        ],
                    )
                    .unwrap();
                }
            }
            (9, _) => {
                if let Some(id) = some_id(&c, "offer_sends", &mut rng) {
                    c.execute(
                        "UPDATE offer_sends SET status = ?2, accepted = ?3, outcome_at = ?4, revenue_attributed_cents = ?5
                          WHERE id = ?1",
                        params![
                            id,
                            pick(&mut rng, OFFER_STATUSES),
                            [None, Some(0), Some(1)][rng.random_range(0..3)],
                            when,
                            rng.random_range(0..50_000)
                        ],
                    )
                    .unwrap();
                }
            }
            (10, _) => {
                if let Some(id) = some_id(&c, "service_events", &mut rng) {
                    c.execute(
                        "UPDATE service_events SET advisor = ?2 WHERE id = ?1",
                        params![id, ADVISORS[rng.random_range(0..ADVISORS.len())]],
                    )
                    .unwrap();
                }
            }
            (11, Some(lead)) => {
                let opted = rng.random_bool(0.5);
                c.execute(
                    "UPDATE leads SET opted_out = ?2, opted_out_at = CASE WHEN ?2 = 1 THEN ?3 END, textable = ?4
                      WHERE id = ?1",
                    params![lead, opted, when, rng.random_bool(0.8)],
                )
                .unwrap();
            }
            (12, _) => {
                if rng.random_bool(0.5) {
                    c.execute(
                        "INSERT INTO vehicles (account_id, year, created_at, updated_at) VALUES (?1, 2020, ?2, ?2)",
                        params![account, when],
                    )
                    .unwrap();
                } else if let Some(id) = some_id(&c, "vehicles", &mut rng) {
                    c.execute("DELETE FROM vehicles WHERE id = ?1", [id]).unwrap();
                }
            }
            (_, Some(lead)) => {
                // a lead deleted: its texts, visits and offers go with it (cascades)
                if rng.random_bool(0.05) {
                    c.execute("DELETE FROM leads WHERE id = ?1", [lead]).unwrap();
                }
            }
        }
        if step % 500 == 499 {
            let wrong = forecourt::store::rollups::mismatches(&c).unwrap();
            assert!(wrong.is_empty(), "after {} writes: {wrong:#?}", step + 1);
        }
    }
    let counted: i64 = c
        .query_row("SELECT count(*) FROM messages_out", [], |r| r.get(0))
        .unwrap();
    assert!(counted > 50, "the sequence wrote texts ({counted})");
    let wrong = forecourt::store::rollups::mismatches(&c).unwrap();
    assert!(wrong.is_empty(), "{wrong:#?}");
}
