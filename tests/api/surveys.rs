//! Surveys: questions managed through the API with clear errors, and the orchestrator asking one
//! question at a time through the one outbox, under the same gate as every other text. Over real
//! HTTP with the Twilio stub and the fixed clock.

use crate::messaging::{count, setup, Messaging};
use forecourt::domain::account::Vertical;
use serde_json::{json, Value};

pub(crate) const BEA: &str = "+15125550171";

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

/// The first question Bea gets (mileage), asked on Tuesday 24 November at 10:00 in Austin.
pub(crate) async fn asked_bea(m: &Messaging) -> i64 {
    m.seed_questions();
    let bea = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    let r = m.ask_surveys("2026-11-24T16:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    bea
}

pub(crate) async fn facts(m: &Messaging, lead: i64) -> Vec<Value> {
    let (status, v) = m
        .api(reqwest::Method::GET, &format!("/api/leads/{lead}/facts"), None)
        .await;
    assert_eq!(status, 200, "{v}");
    v["facts"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_answer_through_a_signed_webhook_becomes_a_fact_with_its_confidence() {
    let m = setup().await;
    let bea = asked_bea(&m).await;
    m.t.clock.set(crate::support::at("2026-11-24T17:00:00Z"));
    let twiml = m.inbound("SMa1", BEA, "2019 civic, about 41k lol").await;
    assert!(twiml.contains("Thanks, Bea!"), "a sure answer is thanked: {twiml}");
    let f = facts(&m, bea).await;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0]["key"].as_str(), f[0]["value"].as_str(), f[0]["unit"].as_str()),
        (Some("mileage"), Some("41000"), Some("miles"))
    );
    assert_eq!(f[0]["needs_review"], false);
    assert_eq!(f[0]["source_text"], "2019 civic, about 41k lol");
    // and the rep sees it on the customer card, with the words it came from
    let rep = crate::conversation::sign_in(&m).await;
    let (_, html) = rep.get(&m, &format!("/threads/{bea}")).await;
    assert!(
        html.contains("41,000 miles") && html.contains("2019 civic, about 41k lol"),
        "{html}"
    );
    // and the questions page says how each question fares
    let (_, page) = rep.get(&m, "/settings/questions").await;
    assert!(
        page.contains("id=\"figures-mileage\">Last 30 days: 1 asked · 100% answered<")
            && page.contains("id=\"figures-purchase_timeframe\">Not asked in the last 30 days<"),
        "{page}"
    );
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM question_history WHERE lead_id = {bea} AND status = 'answered' AND parsed_value = '41000'")
        ),
        1
    );
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM messages_in WHERE lead_id = {bea} AND handled_as = 'survey_answer'")
        ),
        1
    );
    // the fact is no longer missing: the next question is a different one, after its cooldown (21 days)
    let r = m.ask_surveys("2026-12-15T16:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM question_history WHERE lead_id = {bea} AND fact_key = 'purchase_timeframe'")
        ),
        1
    );
}

#[tokio::test]
async fn an_unsure_answer_is_kept_for_review_and_left_for_a_rep() {
    let m = setup().await;
    let bea = asked_bea(&m).await;
    m.t.clock.set(crate::support::at("2026-11-24T17:00:00Z"));
    // a bare "45" reads as 45,000 miles, but not surely
    let twiml = m.inbound("SMa2", BEA, "45").await;
    assert!(!twiml.contains("<Message>"), "no thanks: a rep looks first: {twiml}");
    let f = facts(&m, bea).await;
    assert_eq!(
        (f[0]["value"].as_str(), f[0]["needs_review"].as_bool()),
        (Some("45000"), Some(true)),
        "{f:?}"
    );
    assert!(f[0]["confidence"].as_f64().unwrap() < 0.6);
    // the conversation waits for a reply in the inbox
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM conversations WHERE lead_id = {bea} AND last_inbound = 1 AND unread = 1")
        ),
        1
    );
}

#[tokio::test]
async fn a_reply_that_is_no_answer_closes_the_question_and_goes_to_a_rep_and_stop_is_never_an_answer() {
    let m = setup().await;
    let bea = asked_bea(&m).await;
    m.t.clock.set(crate::support::at("2026-11-24T17:00:00Z"));
    m.inbound("SMa3", BEA, "who is this?").await;
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM question_history WHERE lead_id = {bea} AND status = 'unparsed'")
        ),
        1
    );
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM reply_drafts WHERE lead_id = {bea}")
        ),
        1,
        "drafted for the rep"
    );
    assert!(facts(&m, bea).await.is_empty());

    // asked again later; "please stop texting me" opts out, it is no answer
    let r = m.ask_surveys("2026-12-09T16:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    m.t.clock.set(crate::support::at("2026-12-09T17:00:00Z"));
    let twiml = m.inbound("SMa4", BEA, "please stop texting me").await;
    assert!(twiml.contains("unsubscribed"), "{twiml}");
    assert!(facts(&m, bea).await.is_empty());
    assert_eq!(count(&m.t, &format!("SELECT opted_out FROM leads WHERE id = {bea}")), 1);
}

#[tokio::test]
async fn the_reader_as_an_api_with_clear_errors() {
    let m = setup().await;
    let parse = |body: Value| {
        let m = &m;
        async move { m.api(reqwest::Method::POST, "/api/surveys/parse", Some(body)).await }
    };
    let (s, v) = parse(json!({"answer_type": "mileage", "text": "about 45k"})).await;
    assert_eq!(
        (s, v["value"].as_i64(), v["needs_review"].as_bool()),
        (200, Some(45_000), Some(false)),
        "{v}"
    );
    let (s, v) =
        parse(json!({"answer_type": "timeframe", "text": "end of the year", "as_of": "2026-03-10T15:00:00Z"})).await;
    assert_eq!((s, v["value"]["bucket"].as_str()), (200, Some("6-12m")), "{v}");
    let (_, v) =
        parse(json!({"answer_type": "timeframe", "text": "end of the year", "as_of": "2026-11-25T15:00:00Z"})).await;
    assert_eq!(v["value"]["bucket"], "0-3m", "{v}");
    let (_, v) = parse(json!({"answer_type": "yes_no", "text": "sure 👍"})).await;
    assert_eq!(v["value"], true, "{v}");
    let (_, v) =
        parse(json!({"answer_type": "choice", "text": "another f-150", "choices": ["Truck", "SUV", "Sedan"]})).await;
    assert_eq!(v["value"], "Truck", "{v}");
    let (_, v) = parse(json!({"answer_type": "mileage", "text": "I owe 12k on it"})).await;
    assert_eq!(v["value"], Value::Null, "{v}");
    for (bad, field) in [
        (json!({"answer_type": "number", "text": "45"}), "answer_type"),
        (json!({"answer_type": "mileage"}), "text"),
        (
            json!({"answer_type": "choice", "text": "suv", "choices": ["SUV"]}),
            "choices",
        ),
        (
            json!({"answer_type": "timeframe", "text": "soon", "as_of": "yesterday"}),
            "as_of",
        ),
    ] {
        let (s, v) = parse(bad).await;
        assert_eq!(s, 422, "{v}");
        assert!(v["error"]["message"].as_str().unwrap().contains(field), "{field}: {v}");
    }
    // another account's customer has no facts here
    let (_, other_key) = m.t.account("Other Store", Vertical::Automotive);
    let bea = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    let r =
        m.t.client()
            .get(format!("{}/api/leads/{bea}/facts", m.t.url))
            .bearer_auth(&other_key)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 404);
}

/// Settings → Survey questions: the seeded questions listed, a new one refused field by field
/// with nothing written, then added; CSRF checked; a reply tried and read, nothing stored.
#[tokio::test]
async fn the_settings_page_manages_questions_and_tries_a_reply() {
    let m = setup().await;
    m.seed_questions();
    let rep = crate::conversation::sign_in(&m).await;
    let (status, html) = rep.get(&m, "/settings/questions").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("purchase_timeframe") && html.contains("Try a reply"),
        "{html}"
    );
    let csrf = crate::support::hidden_input(&html, "csrf");
    let bad = [
        ("csrf", csrf.as_str()),
        ("fact_key", "next car!"),
        ("prompt", "When {when}?"),
        ("answer_type", "choice"),
        ("choices", "SUV"),
        ("priority", "lots"),
        ("cooldown_days", "14"),
        ("max_asks", "3"),
        ("answer_within_hours", "72"),
        ("fresh_for_days", ""),
        ("active", "on"),
    ];
    let (status, html) = rep.post(&m, "/settings/questions", &bad).await;
    assert_eq!(status, 422, "{html}");
    for message in [
        "must be a name of letters",
        "is not one of",
        "must be two to ten",
        "`lots` is not a whole number",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(count(&m.t, "SELECT count(*) FROM question_policy"), 5);
    let mut good = bad;
    good[1] = ("fact_key", "next_body_style");
    good[2] = (
        "prompt",
        "Hi {first_name}, would your next one be an SUV, a truck or a sedan?",
    );
    good[4] = ("choices", "SUV, truck, sedan");
    good[5] = ("priority", "3");
    let (status, _) = rep
        .post(&m, "/settings/questions", &[("csrf", "wrong"), ("fact_key", "x")])
        .await;
    assert_eq!(status, 403);
    let (status, html) = rep.post(&m, "/settings/questions", &good).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("next_body_style"), "{html}");
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM question_policy WHERE fact_key = 'next_body_style' AND choices_json = '[\"SUV\",\"truck\",\"sedan\"]'"),
        1
    );
    let (status, html) = rep
        .post(
            &m,
            "/settings/questions/try",
            &[
                ("csrf", &csrf),
                ("answer_type", "mileage"),
                ("choices", ""),
                ("text", "abt 45k lol"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Read as 45000"), "{html}");
    assert_eq!(count(&m.t, "SELECT count(*) FROM conv_facts"), 0);
}

#[tokio::test]
async fn a_question_ignored_twice_is_snoozed_for_three_cooldowns_and_the_next_one_is_asked() {
    let m = setup().await;
    m.seed_questions();
    let bea = m.lead(json!({"first_name": "BEA", "phone": BEA, "state": "TX"})).await;
    let asked = |fact: &str| {
        count(
            &m.t,
            &format!("SELECT count(*) FROM question_history WHERE lead_id = {bea} AND fact_key = '{fact}'"),
        )
    };
    // mileage (priority 5, cooldown 14 days) asked and ignored twice; 17:00Z is 11:00 in Austin
    for (ask, lapse) in [
        ("2026-11-24T17:00:00Z", "2026-11-27T17:00:00Z"),
        ("2026-12-08T17:00:00Z", "2026-12-11T17:00:00Z"),
    ] {
        let r = m.ask_surveys(ask).await;
        assert_eq!(r["counts"]["asked"], 1, "{ask}: {r}");
        m.tick(ask).await;
        let r = m.ask_surveys(lapse).await;
        assert_eq!(r["counts"]["expired"], 1, "{lapse}: {r}");
    }
    assert_eq!(asked("mileage"), 2);
    assert_eq!(
        m.stub
            .received()
            .iter()
            .filter(|s| s.form["Body"].contains("how many miles"))
            .count(),
        2
    );
    // 14 days on, mileage is past its cooldown but snoozed; the timeframe question's 21 days are not up
    let r = m.ask_surveys("2026-12-22T17:00:00Z").await;
    assert_eq!(r["counts"].get("asked"), None, "{r}");
    // 21 days on, the next question in priority is asked instead of mileage
    let r = m.ask_surveys("2026-12-29T17:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    assert_eq!((asked("mileage"), asked("purchase_timeframe")), (2, 1));
    // the snooze lasts three cooldowns (42 days) from the last ignored ask: on 19 January it ends
    m.ask_surveys("2027-01-01T17:00:00Z").await;
    let r = m.ask_surveys("2027-01-18T17:00:00Z").await;
    assert_eq!(r["counts"].get("asked"), None, "{r}");
    let r = m.ask_surveys("2027-01-19T17:00:00Z").await;
    assert_eq!(r["counts"]["asked"], 1, "{r}");
    assert_eq!(asked("mileage"), 3, "mileage asked again once its snooze is over");
}
