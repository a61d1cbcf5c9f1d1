//! What forecourt promises under load and failure: an inbound text is recorded before it is
//! handled (a STOP is never lost), and writers queue instead of failing.

use crate::messaging::{count, setup, setup_with, Messaging};
use serde_json::json;

const BEA: &str = "+15125550177";

/// Make handling every inbound text fail (as a database error would), until `heal`.
fn break_inbound_handling(m: &Messaging) {
    m.t.conn()
        .execute_batch(
            "CREATE TRIGGER test_broken BEFORE INSERT ON messages_in BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
        )
        .unwrap();
}

fn heal(m: &Messaging) {
    m.t.conn().execute_batch("DROP TRIGGER test_broken").unwrap();
}

#[tokio::test]
async fn a_stop_whose_handling_fails_is_kept_and_honoured_by_the_job_loop() {
    let m = setup().await;
    let lead = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    break_inbound_handling(&m);
    // Twilio hears 200 (the text is recorded), with no reply in it
    let twiml = m.inbound("SMraw1", BEA, "Stop").await;
    assert!(!twiml.contains("<Message>"), "{twiml}");
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM inbound_raw WHERE handled_at IS NULL"),
        1
    );
    let (attempts, error): (i64, String) =
        m.t.conn()
            .query_row("SELECT attempts, last_error FROM inbound_raw", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.contains("disk on fire"), "{error}");
    assert_eq!(m.conversation(lead).await["lead"]["opted_out"], false);

    // still broken: the job tries, fails, and keeps it
    let tick = m.tick("2026-11-24T15:00:30Z").await;
    let run = job(&tick, "inbound.pending");
    assert_eq!(run["outcome"], "ok", "{tick}");
    assert_eq!(run["counts"]["failed"], 1, "{tick}");
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM inbound_raw WHERE handled_at IS NULL"),
        1
    );

    heal(&m);
    let tick = m.tick("2026-11-24T15:01:00Z").await;
    assert_eq!(job(&tick, "inbound.pending")["counts"]["handled"], 1, "{tick}");
    let conv = m.conversation(lead).await;
    assert_eq!(conv["lead"]["opted_out"], true);
    assert_eq!(conv["consent"][0]["kind"], "opt_out");
    // the confirmation went through the drain (the webhook had long answered), once
    let sent = m.stub.received();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].form["Body"].contains("you are unsubscribed"));
    assert_eq!(sent[0].form["To"], BEA);
    // and nothing else ever reaches them
    let out = m.text(lead, "A deal!").await;
    assert_eq!(out["code"], "opted_out");

    // Twilio retrying the same message changes nothing
    let again = m.inbound("SMraw1", BEA, "Stop").await;
    assert!(!again.contains("<Message>"));
    m.tick("2026-11-24T15:02:00Z").await;
    assert_eq!(count(&m.t, "SELECT count(*) FROM messages_in"), 1);
    assert_eq!(count(&m.t, "SELECT count(*) FROM consent_events"), 1);
    assert_eq!(m.stub.received().len(), 1);
}

#[tokio::test]
async fn a_text_read_but_never_drafted_is_drafted_by_the_job_loop() {
    // a drafter that has to be waited for (a chat API; here none answers, so the template
    // stands in): its draft is written after the text, in a second write
    let m = setup_with(|c| {
        c.drafter = forecourt::config::DrafterKind::OpenAi;
        c.openai_base_url = "http://127.0.0.1:9".into();
        c.openai_api_key = Some("sk-test".into());
    })
    .await;
    let lead = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    // the draft's write fails after the text was read (as if the process stopped between them)
    m.t.conn()
        .execute_batch(
            "CREATE TRIGGER test_broken BEFORE INSERT ON reply_drafts BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
        )
        .unwrap();
    let twiml = m.inbound("SMraw2", BEA, "Is my car ready?").await;
    assert!(!twiml.contains("<Message>"));
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM messages_in WHERE handled_as IS NULL"),
        1
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM reply_drafts"), 0);
    m.t.conn().execute_batch("DROP TRIGGER test_broken").unwrap();
    let tick = m.tick("2026-11-24T15:01:00Z").await;
    assert_eq!(job(&tick, "inbound.pending")["counts"]["drafted"], 1, "{tick}");
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM reply_drafts WHERE status = 'pending'"),
        1
    );
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM messages_in WHERE lead_id = {lead} AND handled_as = 'draft'")
        ),
        1
    );
    // once is enough
    m.tick("2026-11-24T15:02:00Z").await;
    assert_eq!(count(&m.t, "SELECT count(*) FROM reply_drafts"), 1);
}

pub fn job<'a>(tick: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    tick["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .find(|r| r["job"] == name)
        .unwrap_or_else(|| panic!("no {name} run in {tick}"))
}

/// DESIGN rule 2 under load: a DMS import through the API while signed inbound texts (two in
/// five STOP, half from customers the import is writing), lead webhooks and ticks arrive. Every
/// request is answered 2xx, every STOP is stored and honoured, every lead and row is stored,
/// and no job run fails. (`forecourt bench contention` runs the same at full size and prints
/// the waits; here the rows are fewer so the suite stays quick.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_inbound_texts_leads_and_ticks_at_once_lose_nothing() {
    use forecourt::bench::contention::{contention, ContentionOptions};
    let dir = tempfile::tempdir().unwrap();
    let f = contention(ContentionOptions {
        rows: 20_000,
        inbound: 500,
        leads: 500,
        tick_every: std::time::Duration::from_millis(200),
        dir: Some(dir.path().join("run")),
    })
    .await
    .expect("the bench runs");
    assert!(f.problems().is_empty(), "{f}");
    let c = &f.checked;
    assert_eq!((c.stops_sent, c.stops_honoured), (200, 200), "{f}");
    assert_eq!((c.inbound_stored, c.inbound_pending), (500, 0), "{f}");
    assert_eq!(c.leads_stored, 500, "{f}");
    assert_eq!(c.rows_imported, 20_000, "{f}");
    assert!(c.job_runs >= 7 && c.job_runs_failed == 0, "{f}");
    // survey runs and question edits were among the writers, and the runs asked
    assert!(f.writers.iter().any(|w| w.name == "survey run"), "{f}");
    assert!(f.writers.iter().any(|w| w.name == "question edit"), "{f}");
    assert!(f.writers.iter().any(|w| w.name == "fact edit"), "{f}");
    assert!(c.surveys_asked > 0, "{f}");
    assert!(f.writers.iter().all(|w| w.failed == 0 && w.sent > 0), "{f}");

    // and from the database it left, independently of the bench's own checks
    let db = rusqlite::Connection::open(&f.database).unwrap();
    let one = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(one("SELECT count(*) FROM messages_in"), 500);
    assert_eq!(one("SELECT count(DISTINCT provider_sid) FROM messages_in"), 500);
    // half of the STOPs are the keyword, half the customer's own words
    assert_eq!(one("SELECT count(*) FROM messages_in WHERE keyword = 'stop'"), 100);
    assert_eq!(
        one("SELECT count(*) FROM messages_in WHERE handled_as = 'opt_out'"),
        200
    );
    assert_eq!(
        one("SELECT count(*) FROM consent_events WHERE kind = 'opt_out' AND source = 'reply'"),
        100
    );
    assert_eq!(one("SELECT count(*) FROM leads WHERE opted_out = 1"), 200);
    assert_eq!(one("SELECT count(*) FROM suppressions"), 200);
    // every STOP confirmed once, and nothing else sent to them
    assert_eq!(
        one("SELECT count(*) FROM messages_out WHERE opt_out_confirmation = 1"),
        200
    );
    let after_stop: Vec<String> = db
        .prepare(
            "SELECT m.id || ' ' || m.purpose || ' ' || m.status || ' created ' || m.created_at || ' opted out ' || l.opted_out_at
               FROM messages_out m JOIN leads l ON l.id = m.lead_id
              WHERE l.opted_out = 1 AND m.opt_out_confirmation = 0 AND m.status IN ('queued', 'sending', 'sent', 'delivered')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(after_stop.len(), 0, "{after_stop:?}");
    assert_eq!(one("SELECT count(*) FROM inbound_raw WHERE handled_at IS NULL"), 0);
    // each asked question has its text, and no STOP sender was asked after saying stop
    assert_eq!(
        one("SELECT count(*) FROM question_history WHERE message_out_id IS NULL"),
        0
    );
    // every rep's fact edit landed: the ten customers' mileage set by a rep
    assert_eq!(
        one("SELECT count(DISTINCT lead_id) FROM conv_facts WHERE key = 'mileage' AND source = 'manual' AND confidence = 1"),
        10
    );
    assert_eq!(one("SELECT count(*) FROM job_runs WHERE outcome <> 'ok'"), 0);
    let check: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}
