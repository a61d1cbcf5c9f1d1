//! The upsell engine over real HTTP with a fixed clock: the three triggers, one offer per
//! phase at most once, quiet hours, racing ticks, replies, clicks and RO-line revenue.

use crate::messaging::{count, setup, Messaging, PUBLIC_URL};
use crate::support::*;
use serde_json::{json, Value};

const ANA: &str = "+15125550142";
const VIN: &str = "1HGCV1F39KA012345";

impl Messaging {
    pub async fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .t
            .client()
            .request(method, format!("{}{path}", self.t.url))
            .bearer_auth(&self.key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn offer(&self, body: Value) -> i64 {
        let (status, v) = self.api(reqwest::Method::POST, "/api/offers", Some(body)).await;
        assert_eq!(status, 201, "{v}");
        v["id"].as_i64().unwrap()
    }

    pub async fn import_csv(&self, csv: &str) -> Value {
        let resp = self
            .t
            .client()
            .post(format!("{}/api/appointments/import", self.t.url))
            .bearer_auth(&self.key)
            .header("content-type", "text/csv")
            .body(csv.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    pub async fn ro_update(&self, body: Value) -> Value {
        let (status, v) = self.api(reqwest::Method::POST, "/api/ro/update", Some(body)).await;
        assert_eq!(status, 200, "{v}");
        v
    }

    /// Run only the upsell triggers as of `as_of` (what the job does each minute).
    pub async fn send_offers(&self, as_of: &str) -> Value {
        self.t.clock.set(at(as_of));
        let resp = self
            .t
            .client()
            .post(format!("{}/api/internal/offers/send?as_of={as_of}", self.t.url))
            .bearer_auth(&self.t.admin_key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    pub async fn sends(&self, external_id: &str) -> Vec<Value> {
        let (status, v) = self
            .api(
                reqwest::Method::GET,
                &format!("/api/offer-sends?external_id={external_id}"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{v}");
        v["offer_sends"].as_array().unwrap().clone()
    }
}

/// Three offers, one per phase, so each phase's text is recognisable.
pub(crate) async fn catalog(m: &Messaging) -> (i64, i64, i64) {
    let cabin = m
        .offer(json!({
            "name": "Cabin Air Filter",
            "body_template": "Hi {first_name}, {advisor} here. Your {vehicle} is due for a cabin air filter: {price}. {link} Reply YES to add it.",
            "price_cents": 4995, "value_cents": 3000, "priority": 2,
            "op_codes": ["CABFLT"],
            "booking_url": "https://lakeside.example/book?offer=cabin",
            "rule": {"phases": ["t_minus_48h"], "vehicle": {"makes": ["Honda"]}}
        }))
        .await;
    let rotation = m
        .offer(json!({
            "name": "Tire Rotation",
            "body_template": "Hi {first_name}, while your {vehicle} is here we can rotate the tires for {price}. {link} Reply YES to add it.",
            "price_cents": 2995, "value_cents": 2100, "priority": 3,
            "op_codes": ["ROT"],
            "rule": {"phases": ["ro_open"], "skip_if_done": {"op_codes": ["ROT"], "within_days": 150},
                     "skip_if_declined_within_days": 45}
        }))
        .await;
    let coolant = m
        .offer(json!({
            "name": "Coolant Flush",
            "body_template": "Hi {first_name}, thanks for visiting. Your {vehicle} is due a coolant flush ({price}): {link}",
            "price_cents": 14995, "value_cents": 9000, "priority": 2,
            "op_codes": ["COOL"],
            "attribution_window_days": 30,
            "rule": {"phases": ["t_plus_24h"], "vehicle": {"mileage_min": 40000}}
        }))
        .await;
    (cabin, rotation, coolant)
}

pub(crate) fn appointment_csv(id: &str, date: &str, time: &str) -> String {
    format!(
        "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,VIN,Year,Make,Model,Mileage,Service Advisor\r\n\
         {id},{date},{time},\"LOPEZ, ANA\",(512) 555-0142,{VIN},2019,HONDA,ACCORD,\"48,210\",\"SMITH, JOHN\"\r\n"
    )
}

fn token_of(body: &str) -> String {
    let start = body.find(&format!("{PUBLIC_URL}/o/")).expect("a tracked link") + PUBLIC_URL.len() + 3;
    body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('.')
        .to_string()
}

#[tokio::test]
async fn a_visit_gets_one_offer_per_phase_and_its_revenue_is_credited_once() {
    let m = setup().await;
    let (cabin, rotation, coolant) = catalog(&m).await;
    // the appointment: Friday 27 November, 10:00 in Austin (16:00Z)
    let report = m
        .import_csv(&appointment_csv("APT-1001", "11/27/2026", "10:00 AM"))
        .await;
    assert_eq!(report["created"], 1, "{report}");

    // T-49h: too early
    let r = m.send_offers("2026-11-25T15:00:00Z").await;
    assert_eq!(r["counts"]["due"], 0, "{r}");
    assert!(m.sends("APT-1001").await.is_empty());

    // T-47h: one text, sent by the next drain
    let r = m.tick("2026-11-25T17:00:00Z").await;
    let upsell = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["job"] == "upsell.triggers")
        .unwrap();
    assert_eq!(upsell["counts"]["queued"], 1, "{r}");
    let got = m.stub.received();
    assert_eq!(got.len(), 1);
    let body = got[0].form["Body"].clone();
    assert_eq!(got[0].form["To"], ANA);
    assert!(
        body.starts_with("Hi Ana, John here. Your 2019 Honda Accord is due for a cabin air filter: $49.95. https://texts.lakeside.example/o/"),
        "{body}"
    );
    let sends = m.sends("APT-1001").await;
    assert_eq!(sends.len(), 1);
    assert_eq!(sends[0]["phase"], "t_minus_48h");
    assert_eq!(sends[0]["offer_id"], cabin);
    assert_eq!(sends[0]["status"], "sent", "the send follows its text");

    // again, and again later in the window: no second text
    m.tick("2026-11-25T17:01:00Z").await;
    m.tick("2026-11-26T09:00:00Z").await;
    assert_eq!(m.stub.received().len(), 1);

    // the customer taps the link: accepted by click, redirected to the offer's booking page
    let token = token_of(&body);
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // a link preview fetch is not a person
    let preview = no_redirect
        .get(format!("{}/o/{token}", m.t.url))
        .header("user-agent", "facebookexternalhit/1.1 Facebot Twitterbot/1.0")
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 303);
    assert_eq!(m.sends("APT-1001").await[0]["accepted"], Value::Null);
    let click = no_redirect
        .get(format!("{}/o/{token}", m.t.url))
        .header("user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)")
        .send()
        .await
        .unwrap();
    assert_eq!(click.status(), 303);
    assert_eq!(click.headers()["location"], "https://lakeside.example/book?offer=cabin");
    let s = &m.sends("APT-1001").await[0];
    assert_eq!(
        (s["accepted"].clone(), s["accepted_via"].clone()),
        (json!(true), json!("click"))
    );
    let first_click = s["clicked_at"].clone();
    m.t.clock.set(at("2026-11-26T10:00:00Z"));
    no_redirect.get(format!("{}/o/{token}", m.t.url)).send().await.unwrap();
    assert_eq!(
        m.sends("APT-1001").await[0]["clicked_at"],
        first_click,
        "first click wins"
    );
    let missing = no_redirect.get(format!("{}/o/nope", m.t.url)).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    // the RO opens under its own number: one text for ro_open
    m.t.clock.set(at("2026-11-27T16:05:00Z"));
    let ro = format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN,Mileage In,Service Advisor\r\n\
         5001,11/27/2026 10:05 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN},\"48,260\",\"SMITH, JOHN\"\r\n"
    );
    assert_eq!(m.import_csv(&ro).await["created"], 1);
    m.tick("2026-11-27T16:06:00Z").await;
    m.tick("2026-11-27T16:07:00Z").await;
    let got = m.stub.received();
    assert_eq!(got.len(), 2);
    assert!(got[1].form["Body"]
        .starts_with("Hi Ana, while your 2019 Honda Accord is here we can rotate the tires for $29.95."));
    assert_eq!(m.sends("APT-1001").await.len(), 1, "the appointment had its one text");

    // "Yes please" accepts the most recent offer, and the customer hears back
    m.t.clock.set(at("2026-11-27T16:20:00Z"));
    let twiml = m.inbound("SMyes0001", ANA, "Yes please").await;
    assert!(
        twiml.contains("thanks, Ana! We&apos;ve noted that you&apos;d like the Tire Rotation."),
        "{twiml}"
    );
    let sends = m.sends("5001").await;
    let ro_open = sends.iter().find(|s| s["phase"] == "ro_open").unwrap();
    assert_eq!(ro_open["offer_id"], rotation);
    assert_eq!(
        (ro_open["accepted"].clone(), ro_open["accepted_via"].clone()),
        (json!(true), json!("reply"))
    );

    // the RO closes with the rotation on it: its revenue is credited to the offer, once
    let close = json!({"external_id": "5001", "closed_at": "2026-11-27T19:00:00Z",
        "services": [{"op_code": "LOF", "amount_cents": 7995},
                     {"op_code": "rot", "amount_cents": 3195},
                     {"op_code": "BRKPAD", "status": "declined", "amount_cents": 24995}]});
    m.t.clock.set(at("2026-11-27T19:00:00Z"));
    m.ro_update(close.clone()).await;
    m.ro_update(close).await;
    let ro_open = m
        .sends("5001")
        .await
        .into_iter()
        .find(|s| s["phase"] == "ro_open")
        .unwrap();
    assert_eq!(ro_open["revenue_attributed_cents"], 3195, "the line's amount");
    assert_eq!(ro_open["accepted_via"], "reply", "the reply stays how it was accepted");
    let cabin_send = &m.sends("APT-1001").await[0];
    assert_eq!(cabin_send["revenue_attributed_cents"], 0, "no cabin filter on the RO");

    // close + 23h: not yet; close + 25h: the after-visit text
    m.tick("2026-11-28T18:00:00Z").await;
    assert_eq!(m.stub.received().len(), 2);
    m.tick("2026-11-28T20:00:00Z").await;
    m.tick("2026-11-28T20:05:00Z").await;
    let got = m.stub.received();
    assert_eq!(got.len(), 3);
    assert!(
        got[2].form["Body"].contains("coolant flush ($149.95)"),
        "{}",
        got[2].form["Body"]
    );
    let sends = m.sends("5001").await;
    assert_eq!(sends.len(), 2);
    let after = sends.iter().find(|s| s["phase"] == "t_plus_24h").unwrap();
    assert_eq!(after["offer_id"], coolant);

    // she comes back ten days later for the flush: a later RO line earns the revenue, once,
    // however often the export is imported again
    let ro = "RO Number,Open Date,Close Date,Customer Name,Cell Phone,VIN,Mileage In,Op Codes,Op Descriptions,Labor Sale,Total Sale\r\n\
              5002,12/08/2026,12/08/2026,\"LOPEZ, ANA\",(512) 555-0142,1HGCV1F39KA012345,\"48,900\",COOL,COOLANT FLUSH,$149.95,$149.95\r\n";
    m.t.clock.set(at("2026-12-08T20:00:00Z"));
    assert_eq!(m.import_csv(ro).await["created"], 1);
    assert_eq!(m.import_csv(ro).await["unchanged"], 1);
    let after = m
        .sends("5001")
        .await
        .into_iter()
        .find(|s| s["phase"] == "t_plus_24h")
        .unwrap();
    assert_eq!(
        (after["accepted"].clone(), after["accepted_via"].clone()),
        (json!(true), json!("ro_line"))
    );
    assert_eq!(after["revenue_attributed_cents"], 14995);
    let total = count(&m.t, "SELECT sum(revenue_attributed_cents) FROM offer_sends");
    assert_eq!(total, 3195 + 14995);
    // a later export of the same RO with the same line: still once
    let ro_again = ro.replace("$149.95,$149.95", "$149.95,$150.00");
    assert_eq!(m.import_csv(&ro_again).await["updated"], 1);
    assert_eq!(
        count(&m.t, "SELECT sum(revenue_attributed_cents) FROM offer_sends"),
        total
    );
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM messages_out WHERE purpose = 'upsell'"),
        3
    );
}

#[tokio::test]
async fn a_trigger_due_at_two_in_the_morning_waits_for_eight() {
    let m = setup().await;
    catalog(&m).await;
    // a Denver customer (federal hours: 08:00-21:00), appointment Friday 14:00 store time; the
    // import lands Thursday 02:00 in Denver (09:00Z), when the 48-hour text is already due
    m.t.clock.set(at("2026-11-26T09:00:00Z"));
    m.import_csv(&format!(
        "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,State,VIN,Year,Make,Model\r\n\
         APT-2002,11/27/2026,2:00 PM,\"ROSS, BEN\",(303) 555-0188,CO,{VIN},2019,HONDA,ACCORD\r\n"
    ))
    .await;
    let r = m.tick("2026-11-26T09:00:00Z").await;
    let upsell = r["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["job"] == "upsell.triggers")
        .unwrap();
    assert_eq!(upsell["counts"]["deferred"], 1, "{r}");
    assert!(m.stub.received().is_empty(), "nothing at 02:00");
    let s = &m.sends("APT-2002").await[0];
    assert_eq!(s["status"], "deferred");
    assert!(s["status_reason"].as_str().unwrap().contains("02:00"), "{s}");
    let until: i64 =
        m.t.conn()
            .query_row("SELECT deferred_until FROM messages_out", [], |r| r.get(0))
            .unwrap();
    assert_eq!(until, at("2026-11-26T15:00:00Z").timestamp(), "08:00 in Denver");

    // 03:00 and 07:59: still waiting, and not doubled
    m.tick("2026-11-26T10:00:00Z").await;
    m.tick("2026-11-26T14:59:00Z").await;
    assert!(m.stub.received().is_empty());
    // 08:00 local: sent, once
    m.tick("2026-11-26T15:00:00Z").await;
    m.tick("2026-11-26T15:01:00Z").await;
    assert_eq!(m.stub.received().len(), 1);
    assert_eq!(m.sends("APT-2002").await[0]["status"], "sent");
    assert_eq!(count(&m.t, "SELECT count(*) FROM offer_sends"), 1);
}

#[tokio::test]
async fn two_ticks_at_once_send_one_text_per_phase() {
    let m = setup().await;
    catalog(&m).await;
    const N: usize = 150;
    let mut csv = String::from(
        "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,VIN,Year,Make,Model\r\n",
    );
    for i in 0..N {
        let vin = forecourt::domain::vin::synthesize("2HG", "FE2F5", 2020, 'A', i as u32);
        csv.push_str(&format!(
            "APT-3{i:03},11/27/2026,10:00 AM,\"DOE{i}, JANE\",(512) 55{}-{:04},{vin},2020,HONDA,CIVIC\r\n",
            2 + i / 1000,
            i % 1000 + 1000
        ));
    }
    assert_eq!(m.import_csv(&csv).await["created"], N);
    let as_of = "2026-11-25T17:00:00Z";
    let (a, b, c) = tokio::join!(m.send_offers(as_of), m.send_offers(as_of), m.send_offers(as_of));
    let total = |k: &str| -> i64 { [&a, &b, &c].iter().map(|r| r["counts"][k].as_i64().unwrap_or(0)).sum() };
    assert_eq!(total("queued"), N as i64, "{a} {b} {c}");
    // every visit each run read was either its to send or found already claimed
    assert_eq!(total("queued") + total("duplicate"), total("due"), "{a} {b} {c}");
    assert_eq!(count(&m.t, "SELECT count(*) FROM offer_sends"), N as i64);
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM messages_out WHERE purpose = 'upsell'"),
        N as i64
    );
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM service_events WHERE t_minus_48h_done_at IS NOT NULL"
        ),
        N as i64
    );
    eprintln!("racing ticks: {a} {b} {c}");
    m.tick(as_of).await;
    assert_eq!(m.stub.received().len(), N);
}

#[tokio::test]
async fn a_declined_offer_is_not_offered_again_within_its_window() {
    let m = setup().await;
    let (_, rotation, _) = catalog(&m).await;
    let other = m
        .offer(
            json!({"name": "Wiper Blades", "body_template": "Hi {first_name}, new wipers for {price}? {link}",
                      "price_cents": 3995, "value_cents": 1000, "priority": 1, "op_codes": ["WIPER"],
                      "rule": {"phases": ["ro_open"]}}),
        )
        .await;
    let ro = |id: &str, day: u32| {
        format!(
            "RO Number,Open Date,Customer Name,Cell Phone,VIN\r\n{id},12/{day:02}/2026 9:00 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN}\r\n"
        )
    };
    m.t.clock.set(at("2026-12-01T15:00:00Z"));
    m.import_csv(&ro("6001", 1)).await;
    m.tick("2026-12-01T15:05:00Z").await;
    assert_eq!(m.sends("6001").await[0]["offer_id"], rotation);
    m.t.clock.set(at("2026-12-01T15:30:00Z"));
    let twiml = m.inbound("SMno0001", ANA, "No thanks").await;
    assert!(!twiml.contains("<Message>"), "a no is not answered: {twiml}");
    let s = &m.sends("6001").await[0];
    assert_eq!(
        (s["accepted"].clone(), s["accepted_via"].clone()),
        (json!(false), Value::Null)
    );

    // three weeks later, another visit: the rotation (declined within 45 days) is passed over
    m.t.clock.set(at("2026-12-22T15:00:00Z"));
    m.import_csv(&ro("6002", 22)).await;
    m.tick("2026-12-22T15:05:00Z").await;
    assert_eq!(m.sends("6002").await[0]["offer_id"], other);

    // a STOP is only an opt-out, even with an offer waiting for an answer
    m.t.clock.set(at("2026-12-22T15:10:00Z"));
    m.inbound("SMstop001", ANA, "STOP").await;
    let s = &m.sends("6002").await[0];
    assert_eq!(s["accepted"], Value::Null);
    let handled: String =
        m.t.conn()
            .query_row(
                "SELECT handled_as FROM messages_in WHERE provider_sid = 'SMstop001'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(handled, "opt_out");
}

#[tokio::test]
async fn held_out_customers_and_visits_without_a_fit_get_no_text_but_a_record() {
    let m = setup().await;
    catalog(&m).await;
    // everyone in the RO-open holdout
    m.t.conn()
        .execute(
            "INSERT INTO experiments (account_id, name, scope, holdout_pct, salt, status, started_at, created_at, updated_at)
             VALUES (?1, 'RO-open lift', 'upsell:ro_open', 100, 'salt-1', 'running', 0, 0, 0)",
            [m.account_id],
        )
        .unwrap();
    m.t.clock.set(at("2026-11-24T15:00:00Z"));
    let csv = format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN,Op Codes\r\n\
         7001,11/24/2026 8:30 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN},LOF\r\n\
         7002,11/24/2026 8:40 AM,\"NOPHONE, NED\",,,LOF\r\n\
         7003,11/22/2024 8:40 AM,\"OLD, OLIVE\",(512) 555-0177,,LOF\r\n"
    );
    m.import_csv(&csv).await;
    // a customer with a rotation already on this RO: the rotation offer does not fit
    let r = m.send_offers("2026-11-24T15:00:00Z").await;
    assert_eq!(r["counts"]["held_out"], 1, "{r}");
    assert_eq!(r["counts"]["skipped"], 1, "{r}");
    assert_eq!(r["counts"]["due"], 2, "the 2024 RO is history: {r}");
    let held = &m.sends("7001").await[0];
    assert_eq!(held["status"], "held_out");
    assert_eq!(held["variant"], "control");
    assert!(held["offer_id"].is_i64(), "what would have been sent is on record");
    assert_eq!(held["message_out_id"], Value::Null);
    let skipped = &m.sends("7002").await[0];
    assert_eq!(skipped["status"], "skipped");
    assert_eq!(skipped["status_reason"], "no phone number on file");
    assert!(m.sends("7003").await.is_empty());
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM service_events WHERE external_id = '7003' AND ro_open_done_at IS NOT NULL"
        ),
        1,
        "history is marked handled as it is imported, so it never enters the due scans"
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM messages_out"), 0);

    // stop the experiment: the next visit is treatment; with its rotation done, no offer fits
    m.t.conn()
        .execute("UPDATE experiments SET status = 'stopped'", [])
        .unwrap();
    m.t.clock.set(at("2026-11-24T16:00:00Z"));
    m.import_csv(&format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN,Op Codes\r\n7004,11/24/2026 9:55 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN},ROT\r\n"
    ))
    .await;
    let r = m.send_offers("2026-11-24T16:00:00Z").await;
    assert_eq!(r["counts"]["no_offer"], 1, "{r}");
    assert_eq!(m.sends("7004").await[0]["status"], "no_offer");
}

#[tokio::test]
async fn offers_are_managed_through_the_api_with_clear_errors() {
    let m = setup().await;
    use reqwest::Method;
    let id = m
        .offer(
            json!({"name": "Battery Test", "body_template": "Hi {first_name}, free battery test? {link}",
                      "op_codes": ["batt"], "rule": {"months": [11, 12, 1]}}),
        )
        .await;
    let (status, v) = m.api(Method::GET, &format!("/api/offers/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(v["op_codes"], json!(["BATT"]));
    assert_eq!(v["reply_window_hours"], 72);
    assert_eq!(v["rule"], json!({"months": [11, 12, 1]}));

    // every bad field named at once
    let (status, v) = m
        .api(
            Method::POST,
            "/api/offers",
            Some(json!({"name": "", "body_template": "Hi {nickname}", "rule": {"phases": ["later"], "vehicle": {"year_min": "new"}},
                        "priority": -1})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["code"], "invalid_offer");
    let msg = v["error"]["message"].as_str().unwrap();
    for field in [
        "name:",
        "body_template: unknown placeholder {nickname}",
        "rule.phases[0]:",
        "rule.vehicle.year_min:",
        "priority:",
    ] {
        assert!(msg.contains(field), "{field} in {msg}");
    }
    let (status, v) = m
        .api(
            Method::POST,
            "/api/offers",
            Some(json!({"name": "X", "body_template": "x", "colour": "red"})),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`"),
        "{v}"
    );
    let (status, v) = m
        .api(
            Method::POST,
            "/api/offers",
            Some(json!({"name": "Battery Test", "body_template": "again"})),
        )
        .await;
    assert_eq!(status, 409, "{v}");

    // replace, retire, list
    let (status, v) = m
        .api(
            Method::PUT,
            &format!("/api/offers/{id}"),
            Some(json!({"name": "Battery Test & Replace", "body_template": "Hi {first_name}: {price} {link}", "price_cents": 19995})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["price_cents"], 19995);
    assert_eq!(v["rule"], json!({}), "a PUT replaces the whole offer");
    let (status, v) = m.api(Method::DELETE, &format!("/api/offers/{id}"), None).await;
    assert_eq!((status, v["active"].clone()), (200, json!(false)));
    let (_, v) = m.api(Method::GET, "/api/offers", None).await;
    assert_eq!(v["offers"].as_array().unwrap().len(), 0);
    let (_, v) = m.api(Method::GET, "/api/offers?include_retired=true", None).await;
    assert_eq!(v["offers"].as_array().unwrap().len(), 1);
    let (status, _) = m
        .api(
            Method::PUT,
            "/api/offers/999",
            Some(json!({"name": "Y", "body_template": "y"})),
        )
        .await;
    assert_eq!(status, 404);

    // another account sees none of it
    let (_, other_key) =
        m.t.account("Other Store", forecourt::domain::account::Vertical::Automotive);
    let resp =
        m.t.client()
            .get(format!("{}/api/offers/{id}", m.t.url))
            .bearer_auth(other_key)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 404);
    let resp =
        m.t.client()
            .get(format!("{}/api/offers", m.t.url))
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn a_rep_can_record_an_outcome_by_hand() {
    let m = setup().await;
    catalog(&m).await;
    m.t.clock.set(at("2026-11-24T15:00:00Z"));
    m.import_csv(&format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN\r\n8001,11/24/2026 8:30 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN}\r\n"
    ))
    .await;
    m.send_offers("2026-11-24T15:00:00Z").await;
    let id = m.sends("8001").await[0]["id"].as_i64().unwrap();
    use reqwest::Method;
    let path = format!("/api/offer-sends/{id}/outcome");
    let (status, v) = m
        .api(
            Method::POST,
            &path,
            Some(json!({"accepted": true, "revenue_cents": 3495, "by": "dana@lakeside.example"})),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["accepted_via"].clone(), v["revenue_attributed_cents"].clone()),
        (json!("manual"), json!(3495))
    );
    let (status, v) = m
        .api(
            Method::POST,
            &path,
            Some(json!({"accepted": false, "revenue_cents": 5})),
        )
        .await;
    assert_eq!(status, 422, "{v}");
    let (status, v) = m.api(Method::POST, &path, Some(json!({"accepted": false}))).await;
    assert_eq!(
        (status, v["accepted"].clone(), v["revenue_attributed_cents"].clone()),
        (200, json!(false), json!(0))
    );
    // a later RO line does not overrule the rep
    m.ro_update(json!({"external_id": "8001", "closed_at": "2026-11-24T18:00:00Z",
                       "services": [{"op_code": "ROT", "amount_cents": 2995}]}))
        .await;
    let s = &m.sends("8001").await[0];
    assert_eq!(
        (s["accepted"].clone(), s["revenue_attributed_cents"].clone()),
        (json!(false), json!(0)),
        "{s}"
    );
    let (status, _) = m
        .api(
            Method::POST,
            "/api/offer-sends/99999/outcome",
            Some(json!({"accepted": true})),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_due_scans_read_their_partial_indexes() {
    let m = setup().await;
    let conn = m.t.conn();
    for (phase, index) in [
        ("t_minus_48h", "service_events_due_t_minus_48h"),
        ("ro_open", "service_events_due_ro_open"),
        ("t_plus_24h", "service_events_due_t_plus_24h"),
    ] {
        let phase = forecourt::domain::offers::Phase::parse(phase).unwrap();
        let plan = forecourt::store::visits::explain_due(&conn, phase).unwrap();
        assert!(plan.contains(index), "{phase}: {plan}");
    }
}

/// With no planner statistics (a new box, right after its first import), the statements run
/// for each due visit still read the customer's and the vehicle's rows, not the account's: a
/// tick during a 200,000-row import once took 77 s reading every visit for each due one.
#[tokio::test]
async fn the_per_visit_queries_use_narrow_indexes_without_statistics() {
    let m = setup().await;
    let conn = m.t.conn();
    let stats: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stats, 0, "the database has no statistics yet");
    let plans = forecourt::store::offer_sends::explain_visit_queries(&conn).unwrap();
    assert!(
        plans[0].contains("service_events_lead") && plans[0].contains("service_events_vehicle"),
        "{}",
        plans[0]
    );
    for plan in &plans {
        assert!(!scans_a_table(plan), "{plan}");
        assert!(!plan.contains("service_events_opened"), "{plan}");
        assert!(!plan.contains("offer_sends_account_created"), "{plan}");
    }
}

#[tokio::test]
async fn an_offer_is_not_texted_again_when_the_ro_comes_under_a_new_number() {
    let m = setup().await;
    let wipers = m
        .offer(
            json!({"name": "Wiper Blades", "body_template": "Hi {first_name}, new wipers for {price}? {link}",
                      "price_cents": 3995, "value_cents": 1000, "op_codes": ["WIPER"],
                      "rule": {"phases": ["t_minus_48h", "ro_open"]}}),
        )
        .await;
    m.t.clock.set(at("2026-11-24T15:00:00Z"));
    m.import_csv(&appointment_csv("APT-4001", "11/27/2026", "10:00 AM"))
        .await;
    m.tick("2026-11-25T17:00:00Z").await;
    assert_eq!(m.sends("APT-4001").await[0]["offer_id"], wipers);
    // the DMS opens the RO under its own number
    m.t.clock.set(at("2026-11-27T16:00:00Z"));
    m.import_csv(&format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN\r\n4002,11/27/2026 10:00 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN}\r\n"
    ))
    .await;
    m.tick("2026-11-27T16:05:00Z").await;
    let s = &m.sends("4002").await[0];
    assert_eq!(s["status"], "no_offer", "{s}");
    assert_eq!(m.stub.received().len(), 1);
}

#[tokio::test]
async fn a_yes_to_a_later_text_is_not_an_offer_answer() {
    let m = setup().await;
    catalog(&m).await;
    m.t.clock.set(at("2026-11-24T15:00:00Z"));
    m.import_csv(&format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN\r\n9001,11/24/2026 8:30 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN}\r\n"
    ))
    .await;
    m.tick("2026-11-24T15:00:00Z").await;
    assert_eq!(m.stub.received().len(), 1, "the rotation offer");
    // the advisor texts about the car; "ok" answers that, not the offer
    let lead: i64 = m.t.conn().query_row("SELECT id FROM leads", [], |r| r.get(0)).unwrap();
    m.t.clock.set(at("2026-11-24T17:00:00Z"));
    m.text(lead, "Your Accord is ready for pickup.").await;
    m.tick("2026-11-24T17:00:00Z").await;
    assert_eq!(m.stub.received().len(), 2);
    m.t.clock.set(at("2026-11-24T17:05:00Z"));
    m.inbound("SMok00001", ANA, "ok").await;
    let s = &m.sends("9001").await[0];
    assert_eq!(s["accepted"], Value::Null, "{s}");
    let handled: String =
        m.t.conn()
            .query_row(
                "SELECT handled_as FROM messages_in WHERE provider_sid = 'SMok00001'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(handled, "draft", "a person answers it");
}

#[tokio::test]
async fn what_the_customer_booked_is_not_offered_nor_credited() {
    let m = setup().await;
    let rotation = m
        .offer(
            json!({"name": "Tire Rotation", "body_template": "Hi {first_name}, rotate the tires for {price}? {link}",
                      "price_cents": 2995, "value_cents": 2100, "priority": 3, "op_codes": ["ROT"]}),
        )
        .await;
    let wipers = m
        .offer(
            json!({"name": "Wiper Blades", "body_template": "Hi {first_name}, new wipers for {price}? {link}",
                      "price_cents": 3995, "value_cents": 1000, "priority": 1, "op_codes": ["WIPER"]}),
        )
        .await;
    // an appointment for a rotation: the 48-hour text offers the next best thing
    m.t.clock.set(at("2026-11-24T15:00:00Z"));
    m.import_csv(&format!(
        "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,VIN,Op Codes\r\n\
         APT-5001,11/27/2026,10:00 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN},ROT\r\n"
    ))
    .await;
    m.tick("2026-11-25T17:00:00Z").await;
    assert_eq!(m.sends("APT-5001").await[0]["offer_id"], wipers);
    // the RO opens with the rotation on it already: the rotation is not offered, and when it
    // closes the rotation line credits nothing
    m.t.clock.set(at("2026-11-27T16:00:00Z"));
    m.import_csv(&format!(
        "RO Number,Open Date,Customer Name,Cell Phone,VIN,Op Codes\r\n5101,11/27/2026 10:00 AM,\"LOPEZ, ANA\",(512) 555-0142,{VIN},ROT\r\n"
    ))
    .await;
    m.tick("2026-11-27T16:05:00Z").await;
    let s = &m.sends("5101").await[0];
    assert_ne!(s["offer_id"], rotation, "{s}");
    m.ro_update(json!({"external_id": "5101", "closed_at": "2026-11-27T19:00:00Z",
                       "services": [{"op_code": "ROT", "amount_cents": 2995}, {"op_code": "WIPER", "amount_cents": 3995}]}))
        .await;
    assert_eq!(
        count(
            &m.t,
            "SELECT coalesce(sum(revenue_attributed_cents), 0) FROM offer_sends"
        ),
        3995
    );
    let credited: String =
        m.t.conn()
            .query_row(
                "SELECT attributed_ro_line FROM offer_sends WHERE revenue_attributed_cents > 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(credited.ends_with(":WIPER"), "{credited}");
}

#[tokio::test]
async fn an_ro_open_text_held_past_the_visit_expires_and_one_bad_visit_holds_up_no_other() {
    let m = setup().await;
    // a template whose filled text is over the 1,600-character limit for a long advisor name
    m.offer(
        json!({"name": "Long", "body_template": format!("{{advisor}} {}", "x".repeat(990)),
                   "value_cents": 1, "op_codes": ["LONG"], "rule": {"phases": ["t_plus_24h"]}}),
    )
    .await;
    let rotation = m
        .offer(
            json!({"name": "Tire Rotation", "body_template": "Hi {first_name}, rotate the tires for {price}? {link}",
                      "price_cents": 2995, "value_cents": 2100, "op_codes": ["ROT"], "rule": {"phases": ["ro_open"]}}),
        )
        .await;
    // an RO opened at 21:05 in Austin: the text would wait for 09:00 (Texas), past the 8 hours
    // an RO-open text makes sense for
    m.t.clock.set(at("2026-11-25T03:10:00Z"));
    let advisor = "A".repeat(700);
    m.import_csv(&format!(
        "RO Number,Open Date,Close Date,Customer Name,Cell Phone,VIN,Service Advisor\r\n\
         5201,11/24/2026 9:05 PM,,\"LOPEZ, ANA\",(512) 555-0142,{VIN},ANA\r\n\
         5202,11/22/2026 8:00 AM,11/23/2026 6:00 PM,\"DOE, JOHN\",(512) 555-0177,,{advisor}\r\n"
    ))
    .await;
    let r = m.send_offers("2026-11-25T03:10:00Z").await;
    assert_eq!(r["counts"]["failed"], 1, "{r}");
    assert_eq!(r["counts"]["blocked"], 1, "{r}");
    let s = &m.sends("5201").await[0];
    assert_eq!(
        (s["offer_id"].clone(), s["status"].clone()),
        (json!(rotation), json!("blocked"))
    );
    assert!(
        s["status_reason"]
            .as_str()
            .unwrap()
            .contains("moment for this text has passed"),
        "{s}"
    );
    let failed = &m.sends("5202").await[0];
    assert_eq!(failed["status"], "failed");
    assert!(failed["status_reason"].as_str().unwrap().contains("1600"), "{failed}");
    // neither comes back on the next tick
    let r = m.send_offers("2026-11-25T03:11:00Z").await;
    assert_eq!(r["counts"]["due"], 0, "{r}");
    m.tick("2026-11-25T15:00:00Z").await;
    assert!(m.stub.received().is_empty());
}
