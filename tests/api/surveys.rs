//! Surveys: questions managed through the API with clear errors, and the orchestrator asking one
//! question at a time through the one outbox, under the same gate as every other text. Over real
//! HTTP with the Twilio stub and the fixed clock.

use crate::messaging::{count, setup, Messaging};
use forecourt::domain::account::Vertical;
use serde_json::{json, Value};

const BEA: &str = "+15125550171";

impl Messaging {
    async fn ask_surveys(&self, as_of: &str) -> Value {
        self.t.clock.set(crate::support::at(as_of));
        let resp = self
            .t
            .client()
            .post(format!("{}/api/internal/surveys/ask?as_of={as_of}", self.t.url))
            .bearer_auth(&self.t.admin_key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    fn seed_questions(&self) {
        let (id, now) = (self.account_id, self.t.clock_now());
        self.t.write(|tx| forecourt::surveys::seed_automotive(tx, id, now));
    }
}

#[tokio::test]
async fn questions_are_managed_through_the_api_with_clear_errors() {
    let m = setup().await;
    let q = json!({
        "fact_key": "next_body_style",
        "prompt": "Hi {first_name}, would your next one be an SUV, a truck or a sedan?",
        "answer_type": "choice",
        "choices": ["SUV", "truck", "sedan"],
        "priority": 7,
        "fresh_for_days": 365
    });
    let (status, created) = m.api(reqwest::Method::POST, "/api/questions", Some(q.clone())).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["max_asks"].as_i64(), created["answer_within_hours"].as_i64()),
        (Some(3), Some(72))
    );
    let id = created["id"].as_i64().unwrap();
    // one question per fact
    let (status, v) = m.api(reqwest::Method::POST, "/api/questions", Some(q.clone())).await;
    assert_eq!(status, 409, "{v}");
    // every bad field named, nothing written
    let (status, v) = m
        .api(
            reqwest::Method::POST,
            "/api/questions",
            Some(json!({"fact_key": "a b", "prompt": "When {when}?", "answer_type": "number", "max_asks": 0})),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    for field in ["fact_key", "prompt", "answer_type", "max_asks"] {
        assert!(message.contains(field), "{field} in {message}");
    }
    assert_eq!(count(&m.t, "SELECT count(*) FROM question_policy"), 1);
    // edit, read, and another account sees none of it
    let mut edited = q.clone();
    edited["priority"] = json!(2);
    edited["active"] = json!(false);
    let (status, v) = m
        .api(reqwest::Method::PUT, &format!("/api/questions/{id}"), Some(edited))
        .await;
    assert_eq!(
        (status, v["priority"].as_i64(), v["active"].as_bool()),
        (200, Some(2), Some(false)),
        "{v}"
    );
    let (_, list) = m.api(reqwest::Method::GET, "/api/questions", None).await;
    assert_eq!(list["questions"].as_array().unwrap().len(), 1);
    let (_, other_key) = m.t.account("Other Store", Vertical::Automotive);
    let r =
        m.t.client()
            .get(format!("{}/api/questions/{id}", m.t.url))
            .bearer_auth(&other_key)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 404);
    let (status, _) = m
        .api(reqwest::Method::DELETE, &format!("/api/questions/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = m
        .api(reqwest::Method::DELETE, &format!("/api/questions/{id}"), None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn one_question_at_a_time_the_most_important_first_through_the_outbox() {
    let m = setup().await;
    m.seed_questions();
    let bea = m.lead(json!({"first_name": "BEA", "phone": BEA, "state": "TX"})).await;
    // Tuesday 24 November, 10:00 in Austin
    let r = m.ask_surveys("2026-11-24T16:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    m.tick("2026-11-24T16:00:30Z").await;
    let sent = m.stub.received();
    let surveys: Vec<_> = sent
        .iter()
        .filter(|s| s.form["Body"].contains("how many miles"))
        .collect();
    assert_eq!(surveys.len(), 1, "{sent:?}");
    assert!(
        surveys[0].form["Body"].starts_with("Hi Bea, quick one from Lakeside Honda"),
        "{}",
        surveys[0].form["Body"]
    );
    assert_eq!(
        count(
            &m.t,
            &format!(
                "SELECT count(*) FROM question_history h JOIN messages_out o ON o.id = h.message_out_id
                 WHERE h.lead_id = {bea} AND h.fact_key = 'mileage' AND h.status = 'asked' AND o.purpose = 'survey'"
            )
        ),
        1
    );
    // while it is open, nothing more is asked, however often the orchestrator runs
    let r = m.ask_surveys("2026-11-24T17:00:00Z").await;
    assert_eq!(r["counts"].get("asked"), None, "{r}");
    // no answer in 72 hours: ignored; the next question waits for the cooldown (14 days)
    let r = m.ask_surveys("2026-11-27T17:00:00Z").await;
    assert_eq!(r["counts"]["expired"], 1, "{r}");
    assert_eq!(r["counts"].get("asked"), None, "{r}");
    let r = m.ask_surveys("2026-12-08T17:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM question_history WHERE lead_id = {bea}")
        ),
        2
    );
}

#[tokio::test]
async fn surveys_meet_the_gate_like_any_text() {
    let m = setup().await;
    m.seed_questions();
    // quiet hours: 22:30 in Austin, held until Texas allows texts again (09:00)
    let bea = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    let r = m.ask_surveys("2026-11-25T04:30:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    let (status, code, until): (String, Option<String>, Option<i64>) = m
        .t
        .conn()
        .query_row(
            &format!("SELECT status, blocked_code, deferred_until FROM messages_out WHERE lead_id = {bea} AND purpose = 'survey'"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), code.as_deref()), ("deferred", Some("quiet_hours")));
    assert_eq!(
        until,
        Some(forecourt::clock::to_unix(crate::support::at("2026-11-25T15:00:00Z")))
    );

    // an opted-out customer is never asked; a suppressed number is blocked and nothing is asked
    let cal = m
        .lead(json!({"first_name": "Cal", "phone": "+15125550172", "state": "TX"}))
        .await;
    m.inbound("SMs1", "+15125550172", "STOP").await;
    let dee = m
        .lead(json!({"first_name": "Dee", "phone": "+15125550173", "state": "TX"}))
        .await;
    m.t.write(|tx| {
        Ok(tx.execute(
            "INSERT INTO suppressions (account_id, phone_e164, source, created_at) VALUES (?1, '+15125550173', 'manual', 0)",
            [m.account_id],
        )?)
    });
    // words that may be an opt-out hold automated texts, surveys among them
    let eve = m
        .lead(json!({"first_name": "Eve", "phone": "+15125550174", "state": "TX"}))
        .await;
    m.inbound("SMs2", "+15125550174", "why do you keep texting me").await;
    let r = m.ask_surveys("2026-11-25T16:00:00Z").await;
    assert_eq!(r["counts"]["blocked"], 2, "{r}");
    for lead in [cal, dee, eve] {
        assert_eq!(
            count(
                &m.t,
                &format!("SELECT count(*) FROM question_history WHERE lead_id = {lead}")
            ),
            0,
            "lead {lead}"
        );
    }
}

#[tokio::test]
async fn an_account_without_questions_asks_nothing_and_a_new_automotive_account_gets_five() {
    let m = setup().await;
    m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    let r = m.ask_surveys("2026-11-24T16:00:00Z").await;
    assert_eq!(r["counts"], json!({}), "{r}");
    m.seed_questions();
    let (_, list) = m.api(reqwest::Method::GET, "/api/questions", None).await;
    let facts: Vec<&str> = list["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["fact_key"].as_str().unwrap())
        .collect();
    assert_eq!(
        facts,
        [
            "mileage",
            "purchase_timeframe",
            "trade_in_interest",
            "primary_use",
            "preferred_contact_time"
        ]
    );
    // seeding again adds nothing
    m.seed_questions();
    assert_eq!(count(&m.t, "SELECT count(*) FROM question_policy"), 5);
}

#[tokio::test]
async fn state_caps_and_a_same_day_offer_hold_a_survey() {
    let m = setup().await;
    m.seed_questions();
    // (no tick here: its survey job would ask before the texts below)
    // Florida: at most 3 texts in 24 hours; three are on their way this morning
    let fay = m
        .lead(json!({"first_name": "Fay", "phone": "+13055550175", "state": "FL"}))
        .await;
    m.t.clock.set(crate::support::at("2026-11-25T14:00:00Z"));
    for body in ["Your car is ready", "The invoice is $120", "Thanks for coming in"] {
        m.text(fay, body).await;
    }
    // an offer goes to Ana this morning (two days before her visit)
    m.offer(json!({
        "name": "Cabin Air Filter",
        "body_template": "Hi {first_name}, your {vehicle} is due for a cabin air filter: {price}.",
        "price_cents": 4995, "value_cents": 3000, "priority": 2, "op_codes": ["CABFLT"],
        "rule": {"phases": ["t_minus_48h"]}
    }))
    .await;
    m.import_csv(
        "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,VIN,Year,Make,Model\r\n\
         APT-9,11/27/2026,10:00 AM,\"LOPEZ, ANA\",(512) 555-0142,1HGCV1F39KA012345,2019,HONDA,ACCORD\r\n",
    )
    .await;
    m.send_offers("2026-11-25T17:00:00Z").await;
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM messages_out WHERE purpose = 'upsell' AND status = 'queued'"
        ),
        1
    );

    let r = m.ask_surveys("2026-11-25T18:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 2, "{r}");
    let held = |phone: &str| -> (String, Option<String>) {
        m.t.conn()
            .query_row(
                "SELECT o.status, o.blocked_code FROM messages_out o JOIN leads l ON l.id = o.lead_id
                 WHERE l.phone_e164 = ?1 AND o.purpose = 'survey'",
                [phone],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(held("+13055550175"), ("deferred".into(), Some("state_cap".into())));
    assert_eq!(
        held("+15125550142"),
        ("deferred".into(), Some("purpose_separation".into()))
    );
}
