//! The compliance gate end to end: leads in many places, the clock at the edges of the
//! allowed windows, texts through the API and the drain, Twilio's stub counting what went out.

use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use serde_json::json;

async fn lead(m: &Messaging, phone: &str, state: Option<&str>) -> i64 {
    let mut body = json!({"first_name": "Pat", "phone": phone});
    if let Some(s) = state {
        body["state"] = json!(s);
    }
    m.lead(body).await
}

/// Send at `as_of`; returns (status, code, deferred_until).
async fn send_at(m: &Messaging, lead_id: i64, as_of: &str) -> (String, Option<String>, Option<String>) {
    m.t.clock.set(at(as_of));
    let v = m.text(lead_id, "Your service appointment is confirmed.").await;
    (
        v["status"].as_str().unwrap().to_string(),
        v["code"].as_str().map(str::to_string),
        v["deferred_until"].as_str().map(str::to_string),
    )
}

#[tokio::test]
async fn the_last_minute_before_nine_pm_is_allowed_nine_pm_is_not_in_every_zone() {
    let m = setup().await;
    m.t.client()
        .put(format!("{}/api/account/messaging", m.t.url))
        .bearer_auth(&m.key)
        .json(&json!({"cap_per_lead_day": 50, "cap_per_lead_week": 50}))
        .send()
        .await
        .unwrap();
    // (phone, 20:59 local in UTC, 21:00 local in UTC, 08:00 next day local in UTC)
    let cases = [
        (
            "+12125550101",
            "2026-11-25T01:59:00Z",
            "2026-11-25T02:00:00Z",
            "2026-11-25T13:00:00Z",
        ), // New York, EST
        (
            "+13125550101",
            "2026-11-25T02:59:00Z",
            "2026-11-25T03:00:00Z",
            "2026-11-25T14:00:00Z",
        ), // Chicago, CST
        (
            "+13035550101",
            "2026-11-25T03:59:00Z",
            "2026-11-25T04:00:00Z",
            "2026-11-25T15:00:00Z",
        ), // Denver, MST
        (
            "+16025550101",
            "2026-11-25T03:59:00Z",
            "2026-11-25T04:00:00Z",
            "2026-11-25T15:00:00Z",
        ), // Phoenix, no DST
        (
            "+12135550101",
            "2026-11-25T04:59:00Z",
            "2026-11-25T05:00:00Z",
            "2026-11-25T16:00:00Z",
        ), // Los Angeles, PST
        (
            "+18085550101",
            "2026-11-25T06:59:00Z",
            "2026-11-25T07:00:00Z",
            "2026-11-25T18:00:00Z",
        ), // Honolulu
    ];
    for (phone, before, at_nine, next_morning) in cases {
        let id = lead(&m, phone, None).await;
        assert_eq!(send_at(&m, id, before).await.0, "queued", "{phone} at 20:59");
        let (status, code, until) = send_at(&m, id, at_nine).await;
        assert_eq!(
            (status.as_str(), code.as_deref()),
            ("deferred", Some("quiet_hours")),
            "{phone} at 21:00"
        );
        assert_eq!(until.as_deref(), Some(next_morning), "{phone}: deferred to 08:00 local");
    }
}

#[tokio::test]
async fn a_text_due_at_two_am_goes_at_eight_not_lost_not_doubled() {
    let m = setup().await;
    let id = lead(&m, "+13125550102", None).await; // Chicago, Illinois: federal hours only
    let (status, code, until) = send_at(&m, id, "2026-11-24T08:00:00Z").await; // 02:00 CST
    assert_eq!(
        (status.as_str(), code.as_deref(), until.as_deref()),
        ("deferred", Some("quiet_hours"), Some("2026-11-24T14:00:00Z"))
    );
    m.tick("2026-11-24T13:59:00Z").await;
    assert!(m.stub.received().is_empty());
    m.tick("2026-11-24T14:00:00Z").await;
    m.tick("2026-11-24T14:01:00Z").await;
    assert_eq!(m.stub.received().len(), 1);
    let why = m.conversation(id).await;
    assert_eq!(why["outbound"][0]["status"], "sent");
    assert_eq!(
        why["outbound"][0]["blocked_code"],
        serde_json::Value::Null,
        "a sent message carries no stale reason"
    );
}

#[tokio::test]
async fn dst_change_day_defers_to_the_right_instant() {
    let m = setup().await;
    let id = lead(&m, "+13125550103", None).await; // Chicago
                                                   // Saturday Oct 31, 21:30 CDT; clocks fall back at 02:00 on Sunday Nov 1; 08:00 CST is 14:00 UTC
    let (_, _, until) = send_at(&m, id, "2026-11-01T02:30:00Z").await;
    assert_eq!(until.as_deref(), Some("2026-11-01T14:00:00Z"));
    // spring forward: Saturday Mar 7, 22:00 CST -> Sunday Mar 8 08:00 CDT is 13:00 UTC
    let (_, _, until) = send_at(&m, id, "2026-03-08T04:00:00Z").await;
    assert_eq!(until.as_deref(), Some("2026-03-08T13:00:00Z"));
}

#[tokio::test]
async fn a_florida_lead_gets_at_most_three_texts_in_24_hours() {
    let m = setup().await;
    let id = lead(&m, "+13055550104", Some("FL")).await; // Miami
    for (i, as_of) in ["2026-11-24T14:00:00Z", "2026-11-24T16:00:00Z", "2026-11-24T18:00:00Z"]
        .iter()
        .enumerate()
    {
        assert_eq!(send_at(&m, id, as_of).await.0, "queued", "text {}", i + 1);
        m.tick(as_of).await;
    }
    let (status, code, until) = send_at(&m, id, "2026-11-24T19:00:00Z").await;
    assert_eq!((status.as_str(), code.as_deref()), ("deferred", Some("state_cap")));
    assert_eq!(until.as_deref(), Some("2026-11-25T14:00:00Z"), "24 h after the first");
    m.tick("2026-11-24T23:00:00Z").await;
    assert_eq!(m.stub.received().len(), 3);
    m.tick("2026-11-25T14:00:00Z").await;
    assert_eq!(m.stub.received().len(), 4);
}

#[tokio::test]
async fn texas_on_a_sunday_morning_waits_for_noon() {
    let m = setup().await;
    let id = lead(&m, "+15125550105", Some("TX")).await;
    // Sunday Nov 29, 10:00 CST
    let (status, code, until) = send_at(&m, id, "2026-11-29T16:00:00Z").await;
    assert_eq!(
        (status.as_str(), code.as_deref(), until.as_deref()),
        ("deferred", Some("state_hours"), Some("2026-11-29T18:00:00Z"))
    );
    // Monday 08:30 CST: Texas starts at 09:00
    let (_, code, until) = send_at(&m, id, "2026-11-30T14:30:00Z").await;
    assert_eq!(
        (code.as_deref(), until.as_deref()),
        (Some("state_hours"), Some("2026-11-30T15:00:00Z"))
    );
}

#[tokio::test]
async fn no_survey_and_upsell_to_the_same_lead_on_the_same_local_day() {
    use forecourt::domain::compliance::Purpose;
    use forecourt::messaging::outbox::{enqueue, SendRequest};
    let m = setup().await;
    let id = lead(&m, "+13125550106", None).await;
    let now = at("2026-11-24T16:00:00Z"); // 10:00 CST
    let up = m.t.write(|tx| {
        enqueue(
            tx,
            &SendRequest::new(m.account_id, id, Purpose::Upsell, "Add a cabin filter for $39?", "test"),
            now,
        )
    });
    assert_eq!(up.status.as_str(), "queued");
    let survey = m.t.write(|tx| {
        enqueue(
            tx,
            &SendRequest::new(
                m.account_id,
                id,
                Purpose::Survey,
                "Roughly how many miles are on your car?",
                "test",
            ),
            now,
        )
    });
    assert_eq!(survey.status.as_str(), "deferred");
    assert_eq!(survey.code.as_deref(), Some("purpose_separation"));
    assert_eq!(
        survey.deferred_until,
        Some(at("2026-11-25T14:00:00Z").timestamp()),
        "tomorrow 08:00 local"
    );
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM messages_out WHERE blocked_reason IS NOT NULL"
        ),
        1,
        "the reason is recorded"
    );
}

#[tokio::test]
async fn an_account_cap_holds_automated_texts_but_not_a_reps_manual_ones() {
    use forecourt::domain::compliance::Purpose;
    use forecourt::messaging::outbox::{enqueue, SendRequest};
    let m = setup().await;
    let id = lead(&m, "+13125550107", None).await;
    let now = at("2026-11-24T16:00:00Z");
    for _ in 0..2 {
        assert_eq!(
            m.t.write(|tx| enqueue(
                tx,
                &SendRequest::new(m.account_id, id, Purpose::Followup, "Checking in!", "test"),
                now
            ))
            .status
            .as_str(),
            "queued"
        );
    }
    let third = m.t.write(|tx| {
        enqueue(
            tx,
            &SendRequest::new(m.account_id, id, Purpose::Followup, "Still there?", "test"),
            now,
        )
    });
    assert_eq!(third.code.as_deref(), Some("account_daily_cap"));
    let manual = m.t.write(|tx| {
        enqueue(
            tx,
            &SendRequest::new(m.account_id, id, Purpose::Manual, "Your car is ready.", "rep"),
            now,
        )
    });
    assert_eq!(manual.status.as_str(), "queued");
}

#[tokio::test]
async fn an_account_can_make_a_state_stricter() {
    let m = setup().await;
    let id = lead(&m, "+13125550108", Some("IL")).await;
    let put = |state: &str, body: serde_json::Value| {
        m.t.client()
            .put(format!("{}/api/account/state-rules/{state}", m.t.url))
            .bearer_auth(&m.key)
            .json(&body)
            .send()
    };
    let bad = put("IL", json!({"start": "10:00", "end": "09:00", "source": "counsel"}))
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let bad = put("ZZ", json!({"start": "10:00", "end": "18:00", "source": "counsel"}))
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let ok = put(
        "Illinois",
        json!({"start": "10:00", "end": "18:00", "sunday_allowed": false, "source": "dealer counsel, 2026"}),
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 200);
    // Tuesday 09:00 CST: federal hours allow it, the account's Illinois rule does not
    let (status, code, until) = send_at(&m, id, "2026-11-24T15:00:00Z").await;
    assert_eq!(
        (status.as_str(), code.as_deref(), until.as_deref()),
        ("deferred", Some("state_hours"), Some("2026-11-24T16:00:00Z"))
    );
}

/// A vehicle bought by `lead_id` at `purchased_at` (None: the date is not known).
fn bought(m: &Messaging, lead_id: i64, vin: &str, purchased_at: Option<&str>) {
    use forecourt::store::vehicles::{insert, insert_ownership, NewOwnership, NewVehicle};
    let now = m.t.clock_now();
    m.t.write(|tx| {
        let vin = Some(forecourt::domain::vin::Vin::parse(vin).expect("a valid VIN"));
        let vehicle_id = insert(
            tx,
            m.account_id,
            &NewVehicle {
                vin,
                ..Default::default()
            },
            now,
        )?;
        let purchased_at = purchased_at.map(|s| at(s).timestamp());
        let o = NewOwnership {
            lead_id,
            vehicle_id,
            purchased_at,
            ..Default::default()
        };
        insert_ownership(tx, m.account_id, &o, now)
    });
}

#[tokio::test]
async fn oregon_by_area_code_ends_at_eight_pm_and_caps_texts_unless_the_customer_bought_recently() {
    let m = setup().await;
    // Portland numbers, no state given: the 503 area code makes them Oregonians
    let evening = lead(&m, "+15035550111", None).await;
    // Monday Nov 23, 20:00 PST: federal hours allow it, Oregon's end at 20:00
    let (status, code, until) = send_at(&m, evening, "2026-11-24T04:00:00Z").await;
    assert_eq!(
        (status.as_str(), code.as_deref(), until.as_deref()),
        ("deferred", Some("state_hours"), Some("2026-11-24T16:00:00Z"))
    );

    let no_purchase = lead(&m, "+15035550112", None).await;
    bought(&m, no_purchase, "1HGCV1F31LA000112", None); // an owner with no purchase date on file
    let long_ago = lead(&m, "+15035550113", None).await;
    bought(&m, long_ago, "1HGCV1F33LA000113", Some("2025-04-20T00:00:00Z")); // 19 months before
    let recent = lead(&m, "+15035550114", None).await;
    bought(&m, recent, "1HGCV1F35LA000114", Some("2019-05-01T00:00:00Z"));
    bought(&m, recent, "1HGCV1F37LA000115", Some("2025-06-20T00:00:00Z")); // 17 months before: the latest counts

    // Tuesday Nov 24: three texts each at 09:00, 10:00 and 11:00 PST
    for as_of in ["2026-11-24T17:00:00Z", "2026-11-24T18:00:00Z", "2026-11-24T19:00:00Z"] {
        for id in [no_purchase, long_ago, recent] {
            assert_eq!(send_at(&m, id, as_of).await.0, "queued", "lead {id} at {as_of}");
        }
        m.tick(as_of).await;
    }
    // the fourth, at 12:00 PST
    for id in [no_purchase, long_ago] {
        let (status, code, until) = send_at(&m, id, "2026-11-24T20:00:00Z").await;
        assert_eq!(
            (status.as_str(), code.as_deref(), until.as_deref()),
            ("deferred", Some("state_cap"), Some("2026-11-25T17:00:00Z")),
            "lead {id}: 24 h after the first"
        );
    }
    let (status, code, _) = send_at(&m, recent, "2026-11-24T20:00:00Z").await;
    assert_eq!(
        (status.as_str(), code.as_deref()),
        ("queued", None),
        "bought 17 months ago"
    );
    let why = m.conversation(no_purchase).await;
    let held = why["outbound"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["status"] == "deferred");
    let reason = held.and_then(|o| o["blocked_reason"].as_str()).unwrap_or_default();
    assert!(reason.contains("HB 3865") && reason.contains("18 months"), "{why}");

    // the drain asks the gate again at send time and agrees
    m.tick("2026-11-24T20:00:00Z").await;
    let sent_to = |phone: &str| {
        let received = m.stub.received();
        received.iter().filter(|r| r.form["To"] == phone).count()
    };
    let sent = (
        sent_to("+15035550112"),
        sent_to("+15035550113"),
        sent_to("+15035550114"),
    );
    assert_eq!(sent, (3, 3, 4));
}
