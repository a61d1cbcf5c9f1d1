//! Opt-outs in the customer's own words (47 CFR 64.1200(a)(10)): "please stop texting me" is
//! honoured like STOP, a look-alike is not, and words that may mean it hold automated texts until
//! a rep decides. Over real HTTP with signed Twilio webhooks and the fixed clock.

use crate::messaging::{count, setup, Messaging};
use crate::support::T0;
use serde_json::{json, Value};

const BEA: &str = "+15125550161";
const CAL: &str = "+15125550162";
const ANA: &str = "+15125550142";

/// Follow-ups on for new leads (those who have not replied).
async fn follow_ups_on(m: &Messaging) {
    let r =
        m.t.client()
            .put(format!("{}/api/account/messaging", m.t.url))
            .bearer_auth(&m.key)
            .json(&json!({"followup_days": [0, 2]}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
}

async fn decide(m: &Messaging, key: &str, lead: i64, decision: &str) -> reqwest::Response {
    m.t.client()
        .post(format!("{}/api/leads/{lead}/opt-out-review", m.t.url))
        .bearer_auth(key)
        .json(&json!({"decision": decision, "decided_by": "Dana (BDC)"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn please_stop_texting_me_opts_out_with_one_confirmation_and_nothing_more_is_sent() {
    let m = setup().await;
    let lead = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    let twiml = m.inbound("SMw1", BEA, "please stop texting me").await;
    assert!(twiml.contains("unsubscribed"), "{twiml}");
    assert_eq!(
        count(&m.t, &format!("SELECT opted_out FROM leads WHERE id = {lead}")),
        1
    );
    // the consent event names the customer's words as its source and links the text
    assert_eq!(
        count(
            &m.t,
            &format!(
                "SELECT count(*) FROM consent_events c JOIN messages_in i ON i.id = c.message_in_id
                 WHERE c.lead_id = {lead} AND c.kind = 'opt_out' AND c.source = 'reply' AND i.body = 'please stop texting me'"
            )
        ),
        1
    );
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM messages_in WHERE lead_id = {lead} AND handled_as = 'opt_out'")
        ),
        1
    );
    // nothing more goes: a rep's text is blocked, and follow-ups send nothing
    let sent = m.text(lead, "Are you sure?").await;
    assert_eq!(sent["status"], "blocked", "{sent}");
    assert_eq!(sent["code"], "opted_out");
    follow_ups_on(&m).await;
    m.tick(T0).await;
    assert!(m.stub.received().is_empty(), "{:?}", m.stub.received());
    // the same words again are not confirmed twice
    let twiml = m.inbound("SMw2", BEA, "STOP TEXTING ME").await;
    assert!(!twiml.contains("<Message>"), "{twiml}");
}

#[tokio::test]
async fn a_look_alike_is_an_ordinary_text() {
    let m = setup().await;
    let lead = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    for (sid, body) in [
        ("SMl1", "I'll stop by the service desk at 4"),
        ("SMl2", "what time do you stop taking cars?"),
        ("SMl3", "stop sign hit my bumper, can you look at it"),
    ] {
        let twiml = m.inbound(sid, BEA, body).await;
        assert!(!twiml.contains("unsubscribed"), "{body}: {twiml}");
    }
    assert_eq!(
        count(&m.t, &format!("SELECT opted_out FROM leads WHERE id = {lead}")),
        0
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM opt_out_reviews"), 0);
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM messages_in WHERE lead_id = {lead} AND handled_as = 'draft'")
        ),
        3
    );
}

#[tokio::test]
async fn words_that_may_mean_stop_hold_automated_texts_until_a_rep_decides() {
    let m = setup().await;
    let bea = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    let cal = m.lead(json!({"first_name": "Cal", "phone": CAL, "state": "TX"})).await;
    let twiml = m.inbound("SMp1", BEA, "why do you keep texting me").await;
    assert!(!twiml.contains("<Message>"), "no confirmation, no draft sent: {twiml}");
    m.inbound("SMp2", CAL, "too many texts").await;
    let open: Value =
        m.t.client()
            .get(format!("{}/api/opt-out-reviews", m.t.url))
            .bearer_auth(&m.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let open = open.as_array().unwrap();
    assert_eq!(open.len(), 2, "{open:?}");
    assert_eq!(open[0]["body"], "why do you keep texting me");

    // automated texts wait: Ana, due an offer two days before her visit, said the same
    m.offer(json!({
        "name": "Cabin Air Filter",
        "body_template": "Hi {first_name}, your {vehicle} is due for a cabin air filter: {price}.",
        "price_cents": 4995, "value_cents": 3000, "priority": 2, "op_codes": ["CABFLT"],
        "rule": {"phases": ["t_minus_48h"]}
    }))
    .await;
    let report = m
        .import_csv(
            "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,VIN,Year,Make,Model\r\n\
             APT-7,11/27/2026,10:00 AM,\"LOPEZ, ANA\",(512) 555-0142,1HGCV1F39KA012345,2019,HONDA,ACCORD\r\n",
        )
        .await;
    assert_eq!(report["created"], 1, "{report}");
    m.inbound("SMp3", ANA, "how did you get my number").await;
    m.tick("2026-11-25T17:00:00Z").await; // T-47h
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM messages_out WHERE purpose = 'upsell' AND status = 'blocked' AND blocked_code = 'opt_out_review'"
        ),
        1
    );
    assert!(m.stub.received().is_empty(), "{:?}", m.stub.received());
    // a rep's own text goes
    let sent = m
        .text(bea, "Sorry Bea, we'll only text about your car. Want fewer texts?")
        .await;
    assert_ne!(sent["status"], "blocked", "{sent}");

    // another account cannot decide this account's review
    let (_, other_key) =
        m.t.account("Other Store", forecourt::domain::account::Vertical::Automotive);
    assert_eq!(decide(&m, &other_key, bea, "not_an_opt_out").await.status(), 404);
    // a decision that is not one is refused, and nothing changes
    assert_eq!(decide(&m, &m.key, bea, "maybe").await.status(), 422);
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM opt_out_reviews WHERE decided_at IS NULL"),
        3
    );

    // Bea's was not an opt-out: automated texts may go again
    let r = decide(&m, &m.key, bea, "not_an_opt_out").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["decided_by"], "Dana (BDC)");
    // Cal's was: recorded as an opt-out by a person, linked to Cal's words
    assert_eq!(decide(&m, &m.key, cal, "opted_out").await.status(), 200);
    assert_eq!(count(&m.t, &format!("SELECT opted_out FROM leads WHERE id = {cal}")), 1);
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM consent_events WHERE lead_id = {cal} AND source = 'manual' AND message_in_id IS NOT NULL")
        ),
        1
    );
    // decided once: a second decision finds nothing open
    assert_eq!(decide(&m, &m.key, cal, "opted_out").await.status(), 404);

    // both decided: nothing is left open for the gate to hold
    let open_for = |lead: i64| {
        count(
            &m.t,
            &format!("SELECT count(*) FROM opt_out_reviews WHERE lead_id = {lead} AND decided_at IS NULL"),
        )
    };
    assert_eq!((open_for(bea), open_for(cal)), (0, 0));
}

/// The card shows words that may mean stop, and a rep decides there: CSRF checked, another
/// store's customer not found, the decision recorded with who made it.
#[tokio::test]
async fn a_rep_decides_on_the_card() {
    use crate::conversation::sign_in;
    let m = setup().await;
    let rep = sign_in(&m).await;
    let bea = m.lead(json!({"first_name": "Bea", "phone": BEA, "state": "TX"})).await;
    m.inbound("SMc1", BEA, "why do you keep texting me").await;
    let (status, html) = rep.get(&m, &format!("/threads/{bea}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("may have asked to stop") && html.contains("why do you keep texting me"),
        "{html}"
    );
    let path = format!("/threads/{bea}/opt-out-review");
    let (status, _) = rep
        .post(&m, &path, &[("csrf", "wrong"), ("decision", "opted_out")])
        .await;
    assert_eq!(status, 403);
    let csrf = rep.csrf(&m, bea).await;
    let (status, _) = rep.post(&m, &path, &[("csrf", &csrf), ("decision", "maybe")]).await;
    assert_eq!(status, 422);
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM opt_out_reviews WHERE decided_at IS NULL"),
        1
    );
    // another store's customer is not found here
    let other =
        m.t.account("Other Store", forecourt::domain::account::Vertical::Automotive)
            .0;
    let theirs = m.t.write(|tx| {
        forecourt::store::leads::insert(
            tx,
            other,
            &forecourt::store::leads::NewLead {
                phone_e164: Some("+15125550199".into()),
                source: "sms".into(),
                textable: true,
                ..Default::default()
            },
            0,
        )
    });
    let (status, _) = rep
        .post(
            &m,
            &format!("/threads/{theirs}/opt-out-review"),
            &[("csrf", &csrf), ("decision", "opted_out")],
        )
        .await;
    assert_eq!(status, 404);
    // decided: the card no longer asks, the consent history says a rep opted the customer out
    let (status, html) = rep.post(&m, &path, &[("csrf", &csrf), ("decision", "opted_out")]).await;
    assert_eq!(status, 200, "{html}");
    assert!(!html.contains("may have asked to stop"), "{html}");
    assert!(html.contains("Opted out (by a rep)"), "{html}");
    assert_eq!(
        count(
            &m.t,
            &format!(
                "SELECT count(*) FROM opt_out_reviews WHERE lead_id = {bea} AND decided_by = 'rep@lakeside.example'"
            )
        ),
        1
    );
}
