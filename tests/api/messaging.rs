//! The messaging core over real HTTP: the outbox and its gate, Twilio out (through a local
//! stub that checks requests like Twilio), signed webhooks in, keywords, drafts, follow-ups.

use crate::support::*;
use crate::twilio_stub::{self, Reply, TwilioStub};
use forecourt::domain::account::Vertical;
use serde_json::{json, Value};

pub const STORE_NUMBER: &str = "+15125550100";
pub const PUBLIC_URL: &str = "https://texts.lakeside.example";

pub struct Messaging {
    pub t: TestApp,
    pub stub: TwilioStub,
    pub account_id: i64,
    pub key: String,
}

pub async fn setup() -> Messaging {
    setup_with(|_| {}).await
}

/// As [`setup`], with more configuration.
pub async fn setup_with(more: impl FnOnce(&mut forecourt::config::Config)) -> Messaging {
    let stub = TwilioStub::start().await;
    let url = stub.url.clone();
    let t = TestApp::spawn_with(move |c| {
        more(c);
        c.sender = forecourt::config::SenderKind::Twilio;
        c.twilio_api_base = url;
        c.twilio_account_sid = Some(twilio_stub::SID.into());
        c.twilio_auth_token = Some(twilio_stub::TOKEN.into());
        c.twilio_timeout_seconds = 1;
        c.public_url = Some(PUBLIC_URL.into());
    })
    .await;
    let (account_id, key) = t.account("Lakeside Honda", Vertical::Automotive);
    let now = t.clock_now();
    t.write(|tx| {
        forecourt::store::accounts::set_twilio(
            tx,
            account_id,
            &forecourt::store::accounts::TwilioSettings {
                number: Some(STORE_NUMBER),
                account_sid: None,
                messaging_service_sid: None,
                auth_token_ref: None,
            },
            now,
        )
    });
    // follow-ups are switched on only by the test about them, so other tests count only their own texts
    let prefs = forecourt::store::accounts::MessagingPrefs {
        help_text: None,
        auto_reply: None,
        followup_days_json: Some("[]"),
        cap_per_lead_day: None,
        cap_per_lead_week: None,
    };
    t.write(|tx| forecourt::store::accounts::set_messaging_prefs(tx, account_id, &prefs, now));
    Messaging {
        t,
        stub,
        account_id,
        key,
    }
}

impl Messaging {
    pub async fn lead(&self, body: Value) -> i64 {
        let resp = self
            .t
            .client()
            .post(format!("{}/api/leads/webhook", self.t.url))
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
        resp.json::<Value>().await.unwrap()["lead_id"].as_i64().unwrap()
    }

    pub async fn text(&self, lead_id: i64, body: &str) -> Value {
        let resp = self
            .t
            .client()
            .post(format!("{}/api/messages", self.t.url))
            .bearer_auth(&self.key)
            .json(&json!({"lead_id": lead_id, "body": body}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
        resp.json().await.unwrap()
    }

    pub async fn tick(&self, as_of: &str) -> Value {
        self.t.clock.set(at(as_of));
        let resp = self
            .t
            .client()
            .post(format!("{}/api/internal/tick?as_of={as_of}", self.t.url))
            .bearer_auth(&self.t.admin_key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    pub async fn conversation(&self, lead_id: i64) -> Value {
        self.t
            .client()
            .get(format!("{}/api/leads/{lead_id}/messages", self.t.url))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Post an inbound text as Twilio would, signed (or not) with `token`.
    pub async fn inbound_signed(&self, sid: &str, from: &str, body: &str, token: Option<&str>) -> reqwest::Response {
        let params: Vec<(String, String)> = vec![
            ("AccountSid".into(), twilio_stub::SID.into()),
            ("Body".into(), body.into()),
            ("From".into(), from.into()),
            ("MessageSid".into(), sid.into()),
            ("NumMedia".into(), "0".into()),
            ("To".into(), STORE_NUMBER.into()),
        ];
        let mut req = self
            .t
            .client()
            .post(format!("{}/webhooks/twilio/inbound", self.t.url))
            .form(&params);
        if let Some(token) = token {
            let sig = forecourt::messaging::twilio_signature::compute(
                token,
                &format!("{PUBLIC_URL}/webhooks/twilio/inbound"),
                &params,
            );
            req = req.header("x-twilio-signature", sig);
        }
        req.send().await.unwrap()
    }

    pub async fn inbound(&self, sid: &str, from: &str, body: &str) -> String {
        let resp = self.inbound_signed(sid, from, body, Some(twilio_stub::TOKEN)).await;
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/xml"));
        resp.text().await.unwrap()
    }
}

pub fn count(t: &TestApp, sql: &str) -> i64 {
    t.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

const ANA: &str = "+15125550142";

async fn ana(m: &Messaging) -> i64 {
    m.lead(json!({"first_name": "Ana", "last_name": "Lopez", "phone": "(512) 555-0142", "state": "TX"}))
        .await
}

#[tokio::test]
async fn a_manual_text_goes_out_through_twilio_once() {
    let m = setup().await;
    let lead = ana(&m).await;
    let out = m.text(lead, "Your car is ready for pickup.").await;
    assert_eq!(out["status"], "queued");
    assert_eq!(out["duplicate"], false);

    let tick = m.tick(T0).await;
    let drain = tick["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["job"] == "outbox.drain")
        .unwrap()
        .clone();
    assert_eq!(drain["counts"]["sent"], 1, "{tick}");
    let got = m.stub.received();
    assert_eq!(got.len(), 1);
    let f = &got[0].form;
    assert_eq!(f["To"], ANA);
    assert_eq!(f["From"], STORE_NUMBER);
    assert_eq!(f["Body"], "Your car is ready for pickup.");
    assert_eq!(f["StatusCallback"], format!("{PUBLIC_URL}/webhooks/twilio/status"));

    let conv = m.conversation(lead).await;
    let msg = &conv["outbound"][0];
    assert_eq!(msg["status"], "sent");
    assert!(msg["provider_sid"].as_str().unwrap().starts_with("SM"));

    // a second tick sends nothing more
    m.tick("2026-11-24T15:01:00Z").await;
    assert_eq!(m.stub.received().len(), 1);
}

#[tokio::test]
async fn status_callbacks_move_messages_forward_only() {
    let m = setup().await;
    let lead = ana(&m).await;
    m.text(lead, "Reminder: service tomorrow at 9.").await;
    m.tick(T0).await;
    let sid = m.conversation(lead).await["outbound"][0]["provider_sid"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |status: &'static str, token: &'static str| {
        let params: Vec<(String, String)> = vec![
            ("AccountSid".into(), twilio_stub::SID.into()),
            ("From".into(), STORE_NUMBER.into()),
            ("MessageSid".into(), sid.clone()),
            ("MessageStatus".into(), status.into()),
            ("To".into(), ANA.into()),
        ];
        let sig = forecourt::messaging::twilio_signature::compute(
            token,
            &format!("{PUBLIC_URL}/webhooks/twilio/status"),
            &params,
        );
        m.t.client()
            .post(format!("{}/webhooks/twilio/status", m.t.url))
            .header("x-twilio-signature", sig)
            .form(&params)
            .send()
    };
    assert_eq!(post("delivered", "wrong-token").await.unwrap().status(), 403);
    assert_eq!(m.conversation(lead).await["outbound"][0]["status"], "sent");
    assert_eq!(post("delivered", twilio_stub::TOKEN).await.unwrap().status(), 204);
    assert_eq!(
        post("sent", twilio_stub::TOKEN).await.unwrap().status(),
        204,
        "late 'sent' after 'delivered'"
    );
    assert_eq!(m.conversation(lead).await["outbound"][0]["status"], "delivered");
}

#[tokio::test]
async fn an_unsubscribed_recipient_21610_opts_the_lead_out() {
    let m = setup().await;
    let lead = ana(&m).await;
    m.stub.script(&[Reply::Unsubscribed]);
    m.text(lead, "Your car is ready.").await;
    m.tick(T0).await;
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "failed");
    assert_eq!(conv["outbound"][0]["error_code"], "21610");
    assert_eq!(conv["lead"]["opted_out"], true);
    assert_eq!(conv["consent"][0]["kind"], "opt_out");
    assert_eq!(conv["consent"][0]["source"], "carrier");
    // and nothing more goes to them
    let next = m.text(lead, "Are you there?").await;
    assert_eq!(next["status"], "blocked");
    assert_eq!(next["code"], "opted_out");
}

#[tokio::test]
async fn too_many_requests_and_server_errors_retry_with_backoff() {
    let m = setup().await;
    let lead = ana(&m).await;
    m.stub.script(&[Reply::TooManyRequests, Reply::ServerError]);
    m.text(lead, "Your car is ready.").await;
    m.tick(T0).await;
    assert_eq!(m.stub.received().len(), 1);
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "queued");
    assert_eq!(conv["outbound"][0]["error_code"], "20429");
    // not before the backoff has passed
    m.tick("2026-11-24T15:00:20Z").await;
    assert_eq!(m.stub.received().len(), 1);
    m.tick("2026-11-24T15:00:31Z").await;
    assert_eq!(m.stub.received().len(), 2, "retried after 30 s, got a 500");
    m.tick("2026-11-24T15:02:40Z").await;
    assert_eq!(m.stub.received().len(), 3, "retried after 2 more minutes");
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "sent");
    assert_eq!(conv["outbound"][0]["attempts"], 3);
}

#[tokio::test]
async fn a_server_that_keeps_failing_is_given_up_on() {
    let m = setup().await;
    let lead = ana(&m).await;
    m.stub.script(&[Reply::ServerError; 5]);
    m.text(lead, "Your car is ready.").await;
    for as_of in [
        "2026-11-24T15:00:00Z",
        "2026-11-24T15:01:00Z",
        "2026-11-24T15:04:00Z",
        "2026-11-24T15:15:00Z",
        "2026-11-24T15:50:00Z",
        "2026-11-24T17:00:00Z",
    ] {
        m.tick(as_of).await;
    }
    assert_eq!(m.stub.received().len(), 5);
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "failed");
    assert!(conv["outbound"][0]["error_message"]
        .as_str()
        .unwrap()
        .contains("gave up after 5 attempts"));
}

#[tokio::test]
async fn a_hung_send_is_reconciled_not_sent_twice() {
    let m = setup().await;
    let lead = ana(&m).await;
    m.stub.script(&[Reply::Hang]);
    m.text(lead, "Your car is ready.").await;
    m.tick(T0).await;
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "unknown", "{conv}");
    assert_eq!(conv["outbound"][0]["error_code"], "timeout");
    // a minute later the drain asks Twilio whether it went: it did, so it is recorded as sent
    m.tick("2026-11-24T15:01:30Z").await;
    assert_eq!(m.stub.lookups(), 1);
    assert_eq!(m.stub.received().len(), 1, "no second POST");
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "sent");
    assert_eq!(conv["outbound"][0]["provider_sid"], format!("SM{:032x}", 1));
}

#[tokio::test]
async fn a_send_interrupted_by_a_crash_is_marked_unknown_and_never_resent() {
    let m = setup().await;
    let lead = ana(&m).await;
    let out = m.text(lead, "Your car is ready.").await;
    // the process died after persisting `sending`, before Twilio answered
    m.t.conn()
        .execute(
            "UPDATE messages_out SET status = 'sending', sending_at = ?2 WHERE id = ?1",
            rusqlite::params![out["message_id"].as_i64().unwrap(), m.t.clock_now()],
        )
        .unwrap();
    m.tick("2026-11-24T15:20:00Z").await;
    assert_eq!(m.stub.received().len(), 0);
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "unknown");
    assert_eq!(conv["outbound"][0]["error_code"], "interrupted");
    m.tick("2026-11-24T16:00:00Z").await;
    assert_eq!(m.stub.received().len(), 0, "an interrupted send waits for a person");
}

#[tokio::test]
async fn webhooks_need_a_valid_signature_and_write_nothing_without_one() {
    let m = setup().await;
    for token in [None, Some("not-the-token")] {
        let resp = m.inbound_signed("SM001", ANA, "Hello", token).await;
        assert_eq!(resp.status(), 403);
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["error"]["code"], "invalid_signature");
    }
    assert_eq!(count(&m.t, "SELECT count(*) FROM messages_in"), 0);
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), 0);

    // the same request signed for the URL with the default port also passes
    let params: Vec<(String, String)> = vec![
        ("Body".into(), "Hello".into()),
        ("From".into(), ANA.into()),
        ("MessageSid".into(), "SM002".into()),
        ("To".into(), STORE_NUMBER.into()),
    ];
    let sig = forecourt::messaging::twilio_signature::compute(
        twilio_stub::TOKEN,
        "https://texts.lakeside.example:443/webhooks/twilio/inbound",
        &params,
    );
    let resp =
        m.t.client()
            .post(format!("{}/webhooks/twilio/inbound", m.t.url))
            .header("x-twilio-signature", sig)
            .form(&params)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(count(&m.t, "SELECT count(*) FROM messages_in"), 1);
}

#[tokio::test]
async fn stop_then_a_send_is_blocked_with_its_reason_start_resubscribes_help_answers() {
    let m = setup().await;
    let lead = ana(&m).await;
    let twiml = m.inbound("SM100", ANA, "  stop ").await;
    assert!(
        twiml.contains("<Response><Message>Lakeside Honda: you are unsubscribed"),
        "{twiml}"
    );
    let conv = m.conversation(lead).await;
    assert_eq!(conv["lead"]["opted_out"], true);
    assert_eq!(conv["consent"][0]["kind"], "opt_out");
    assert_eq!(conv["consent"][0]["source"], "keyword");
    assert!(conv["consent"][0]["message_in_id"].is_number());
    // the confirmation is the one message they get, recorded as sent
    assert_eq!(conv["outbound"][0]["purpose"], "system");
    assert_eq!(conv["outbound"][0]["status"], "sent");

    let blocked = m.text(lead, "We have a great deal for you!").await;
    assert_eq!(blocked["status"], "blocked");
    assert_eq!(blocked["code"], "opted_out");
    assert!(blocked["reason"].as_str().unwrap().len() > 10);
    m.tick(T0).await;
    assert!(m.stub.received().is_empty(), "nothing reaches Twilio");

    // a second STOP (a retry of the same MessageSid) changes nothing
    let again = m.inbound("SM100", ANA, "stop").await;
    assert!(!again.contains("<Message>"));
    assert_eq!(count(&m.t, "SELECT count(*) FROM messages_in"), 1);

    // other texts from an opted-out number get no reply
    assert!(!m.inbound("SM101", ANA, "hello?").await.contains("<Message>"));

    let twiml = m.inbound("SM102", ANA, "START").await;
    assert!(twiml.contains("you are resubscribed"), "{twiml}");
    assert_eq!(m.conversation(lead).await["lead"]["opted_out"], false);
    assert_eq!(m.text(lead, "Welcome back!").await["status"], "queued");

    let twiml = m.inbound("SM103", ANA, "help").await;
    assert!(twiml.contains("Reply STOP to unsubscribe"), "{twiml}");
    // an account's own help text
    m.t.client()
        .put(format!("{}/api/account/messaging", m.t.url))
        .bearer_auth(&m.key)
        .json(&json!({"help_text": "Lakeside Honda service: call (512) 555-0100. Reply STOP to opt out."}))
        .send()
        .await
        .unwrap();
    assert!(m.inbound("SM104", ANA, "INFO").await.contains("call (512) 555-0100"));
}

#[tokio::test]
async fn a_stop_stops_the_texts_already_waiting_for_them_at_once() {
    let m = setup().await;
    let lead = ana(&m).await;
    // two texts wait: one for the drain, one held to the morning
    let waiting = m.text(lead, "Your car is ready for pickup.").await;
    assert_eq!(waiting["status"], "queued");
    let id = waiting["message_id"].as_i64().unwrap();
    m.t.conn()
        .execute(
            "UPDATE messages_out SET status = 'deferred', deferred_until = not_before + 36000 WHERE id <> ?1",
            [id],
        )
        .unwrap();
    let held = m.text(lead, "A second note.").await["message_id"].as_i64().unwrap();
    m.t.conn()
        .execute(
            "UPDATE messages_out SET status = 'deferred', deferred_until = not_before + 36000 WHERE id = ?1",
            [held],
        )
        .unwrap();
    m.inbound("SM200", ANA, "stop texting me please").await;
    let statuses: Vec<(String, Option<String>)> =
        m.t.conn()
            .prepare("SELECT status, blocked_code FROM messages_out WHERE id IN (?1, ?2) ORDER BY id")
            .unwrap()
            .query_map([id, held], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let blocked = ("blocked".to_string(), Some("opted_out".to_string()));
    assert_eq!(
        statuses,
        [blocked.clone(), blocked],
        "stopped the moment they said stop"
    );
    // the confirmation itself went
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM messages_out WHERE opt_out_confirmation = 1 AND status = 'sent'"
        ),
        1
    );
    m.tick(T0).await;
    assert!(
        m.stub
            .received()
            .iter()
            .all(|r| !r.form.get("Body").is_some_and(|b| b.contains("ready for pickup"))),
        "nothing of theirs reaches Twilio"
    );
    let wrong = forecourt::store::rollups::mismatches(&m.t.conn()).unwrap();
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[tokio::test]
async fn an_opt_out_outlives_the_lead() {
    let m = setup().await;
    let lead = ana(&m).await;
    m.inbound("SM200", ANA, "STOP").await;
    m.t.conn().execute("DELETE FROM leads WHERE id = ?1", [lead]).unwrap();
    let again = ana(&m).await;
    let out = m.text(again, "Hi Ana!").await;
    assert_eq!(out["status"], "blocked");
    assert_eq!(out["code"], "opted_out");
}

#[tokio::test]
async fn an_unknown_texter_becomes_a_lead_and_gets_a_draft_to_approve() {
    let m = setup().await;
    let twiml = m
        .inbound("SM300", "+15125550177", "Is the blue CR-V still available?")
        .await;
    assert!(!twiml.contains("<Message>"), "drafts wait for a rep");
    let lead_id: i64 =
        m.t.conn()
            .query_row("SELECT id FROM leads WHERE phone_e164 = '+15125550177'", [], |r| {
                r.get(0)
            })
            .unwrap();
    let drafts: Value =
        m.t.client()
            .get(format!("{}/api/drafts", m.t.url))
            .bearer_auth(&m.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let draft = &drafts["drafts"][0];
    assert_eq!(draft["lead_id"], lead_id);
    assert_eq!(draft["drafter"], "template");
    assert!(draft["body"].as_str().unwrap().contains("Lakeside Honda"));

    let resp =
        m.t.client()
            .post(format!("{}/api/drafts/{}/approve", m.t.url, draft["id"]))
            .bearer_auth(&m.key)
            .json(&json!({"body": "Yes it is! Want to come see it today?", "approved_by": "rep@lakeside.example"}))
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 201);
    let out: Value = resp.json().await.unwrap();
    assert_eq!(out["status"], "queued");
    let again =
        m.t.client()
            .post(format!("{}/api/drafts/{}/approve", m.t.url, draft["id"]))
            .bearer_auth(&m.key)
            .send()
            .await
            .unwrap();
    assert_eq!(again.status(), 409);
    m.tick(T0).await;
    assert_eq!(
        m.stub.received()[0].form["Body"],
        "Yes it is! Want to come see it today?"
    );
}

#[tokio::test]
async fn auto_reply_accounts_answer_at_once_through_the_outbox() {
    let m = setup().await;
    m.t.client()
        .put(format!("{}/api/account/messaging", m.t.url))
        .bearer_auth(&m.key)
        .json(&json!({"auto_reply": true}))
        .send()
        .await
        .unwrap();
    m.inbound("SM400", "+15125550178", "What time do you open?").await;
    let outbound = count(
        &m.t,
        "SELECT count(*) FROM messages_out WHERE purpose = 'reply' AND status = 'queued' AND in_reply_to IS NOT NULL",
    );
    assert_eq!(outbound, 1);
    let drafts = count(
        &m.t,
        "SELECT count(*) FROM reply_drafts WHERE status = 'approved' AND decided_by = 'auto-reply'",
    );
    assert_eq!(drafts, 1);
}

#[tokio::test]
async fn bad_requests_to_the_messages_api_are_clear() {
    let m = setup().await;
    let lead = ana(&m).await;
    let c = m.t.client();
    let url = format!("{}/api/messages", m.t.url);
    let r = c
        .post(&url)
        .bearer_auth(&m.key)
        .json(&json!({"lead_id": lead, "body": "   "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "empty_body");
    let r = c
        .post(&url)
        .bearer_auth(&m.key)
        .json(&json!({"lead_id": 999, "body": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .post(&url)
        .bearer_auth(&m.key)
        .header("content-type", "application/json")
        .body("{\"lead_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "malformed_json");
    let r = c
        .post(&url)
        .bearer_auth(&m.key)
        .json(&json!({"lead": 1, "body": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(count(&m.t, "SELECT count(*) FROM messages_out"), 0);
    // another account's lead is not found, not texted
    let (_, other_key) = m.t.account("Other Store", Vertical::Automotive);
    let r = c
        .post(&url)
        .bearer_auth(&other_key)
        .json(&json!({"lead_id": lead, "body": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn new_leads_get_the_follow_up_cadence_until_they_reply() {
    let m = setup().await;
    let r =
        m.t.client()
            .put(format!("{}/api/account/messaging", m.t.url))
            .bearer_auth(&m.key)
            .json(&json!({"followup_days": [0, 2, 7]}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    // T0 is Tuesday 09:00 in Austin
    let lead = m
        .lead(json!({"first_name": "Ben", "phone": "512-555-0150", "vehicle_interest": "2026 Honda Pilot"}))
        .await;
    let other = m.lead(json!({"first_name": "Cy", "phone": "512-555-0151"})).await;
    m.tick(T0).await;
    let sent = m.stub.received();
    assert_eq!(sent.len(), 2, "step 0 goes out at once to both");
    assert!(sent.iter().any(|s| s.form["Body"].contains("2026 Honda Pilot")));
    m.tick("2026-11-25T15:00:00Z").await;
    assert_eq!(m.stub.received().len(), 2, "nothing on day 1");
    // Cy replies; Ben does not
    m.inbound("SM500", "+15125550151", "Thanks, just looking").await;
    m.tick("2026-11-26T15:00:00Z").await;
    let sent = m.stub.received();
    assert_eq!(sent.len(), 3, "day 2: only Ben");
    assert_eq!(sent[2].form["To"], "+15125550150");
    m.tick("2026-11-26T15:05:00Z").await;
    assert_eq!(m.stub.received().len(), 3, "at most once per step");
    m.tick("2026-12-01T15:00:00Z").await;
    assert_eq!(m.stub.received().len(), 4, "day 7");
    m.tick("2026-12-20T15:00:00Z").await;
    assert_eq!(m.stub.received().len(), 4, "the cadence ends");
    let steps = count(
        &m.t,
        &format!("SELECT count(*) FROM messages_out WHERE lead_id = {lead} AND purpose = 'followup'"),
    );
    assert_eq!(steps, 3);
    let cy = count(
        &m.t,
        &format!("SELECT count(*) FROM messages_out WHERE lead_id = {other} AND purpose = 'followup'"),
    );
    assert_eq!(cy, 1);
}

/// Follow-up days stored as something that is not a list of days (written by hand into the
/// database) stop that account's follow-ups with an error the run counts, not silently, and
/// its inbound texts are still handled.
#[tokio::test]
async fn follow_up_days_that_are_not_a_list_are_counted_not_silently_skipped() {
    let m = setup().await;
    m.lead(json!({"first_name": "Ben", "phone": "512-555-0150"})).await;
    m.t.write(|tx| {
        Ok(tx.execute(
            "UPDATE accounts SET followup_days_json = '{\"days\": 2}' WHERE id = ?1",
            [m.account_id],
        )?)
    });
    let tick = m.tick(T0).await;
    let run = crate::reliability::job(&tick, "followups.cadence");
    assert_eq!(run["counts"]["accounts_misconfigured"], 1, "{tick}");
    assert_eq!(m.stub.received().len(), 0);
    let twiml = m.inbound("SM-fu-1", "+15125550150", "STOP").await;
    assert!(twiml.contains("unsubscribed"), "{twiml}");
}
