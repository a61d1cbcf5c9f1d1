//! `POST /api/leads/webhook`: JSON and ADF/XML leads, sloppy real-world ADF, idempotent resends,
//! clear 4xx for bad input with nothing half-written.

use crate::messaging::{count, setup, Messaging};
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/leads")
            .join(name),
    )
    .expect("fixture")
}

async fn post(m: &Messaging, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let resp =
        m.t.client()
            .post(format!("{}/api/leads/webhook", m.t.url))
            .bearer_auth(&m.key)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_json_lead_is_created_once_and_resends_update_it() {
    let m = setup().await;
    let lead = json!({
        "first_name": "Dana", "last_name": "Reyes", "phone": "(512) 555-0160", "email": "Dana.Reyes@Example.com",
        "state": "Texas", "postal_code": "78704", "source": "website", "vehicle_interest": "2026 Honda CR-V EX-L",
        "vin": "1HGCM82633A004352", "financed_term_months": 72, "purchase_date": "2021-06-15", "monthly_payment": "$412.50"
    });
    let (status, v) = post(&m, "application/json", serde_json::to_vec(&lead).unwrap()).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["created"], true);
    let id = v["lead_id"].as_i64().unwrap();
    let (status, v) = post(&m, "application/json", serde_json::to_vec(&lead).unwrap()).await;
    assert_eq!(
        (status, v["created"].as_bool(), v["lead_id"].as_i64()),
        (200, Some(false), Some(id))
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), 1);
    let (phone, email, state, source): (String, String, String, String) =
        m.t.conn()
            .query_row("SELECT phone_e164, email, state, source FROM leads", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
    assert_eq!(
        (phone.as_str(), email.as_str(), state.as_str(), source.as_str()),
        ("+15125550160", "dana.reyes@example.com", "TX", "website")
    );
    // the vehicle and the loan on it, once
    let (vin, make, year, term, payment): (String, String, i64, i64, i64) = m
        .t
        .conn()
        .query_row(
            "SELECT v.vin, v.make, v.year, o.term_months, o.monthly_payment_cents FROM vehicles v JOIN ownerships o ON o.vehicle_id = v.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (vin.as_str(), make.as_str(), year, term, payment),
        ("1HGCM82633A004352", "Honda", 2003, 72, 41250)
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM ownerships"), 1);

    // the same person by email, now with a phone in another format: still one lead
    let (status, v) = post(
        &m,
        "application/json",
        br#"{"email": "dana.reyes@example.com", "comments": "call after 5"}"#.to_vec(),
    )
    .await;
    assert_eq!((status, v["lead_id"].as_i64()), (200, Some(id)));
}

#[tokio::test]
async fn adf_leads_from_real_world_sources() {
    let m = setup().await;
    let (status, v) = post(&m, "application/xml", fixture("adf_cars_com.xml")).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["created"], true);
    let (status, v) = post(&m, "text/xml", fixture("adf_multi_prospect.xml")).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["leads"].as_array().unwrap().len(), 3);
    // sloppy: upper-case processing instruction and tags, odd phone types, no vendor name;
    // sent with no useful content type at all
    let (status, v) = post(&m, "application/octet-stream", fixture("adf_sloppy_uppercase.xml")).await;
    assert!(status == 201 || status == 200, "{v}");
    let (status, v) = post(&m, "application/x-adf+xml", fixture("adf_no_phone_email_only.xml")).await;
    assert!(status == 201 || status == 200, "{v}");
    let leads = count(&m.t, "SELECT count(*) FROM leads");
    assert!(leads >= 5, "{leads}");
    // every stored phone is E.164
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE phone_e164 IS NOT NULL AND phone_e164 NOT GLOB '+1[2-9]*'"
        ),
        0
    );
    // resending a document creates nothing new
    let before = count(&m.t, "SELECT count(*) FROM leads");
    let (status, _) = post(&m, "application/xml", fixture("adf_multi_prospect.xml")).await;
    assert_eq!(status, 200);
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), before);
}

#[tokio::test]
async fn json_batches_answer_one_entry_each() {
    let m = setup().await;
    let (status, v) = post(&m, "application/json", fixture("leads_batch.json")).await;
    assert_eq!(status, 201, "{v}");
    let entries = v["leads"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["created"] == true && e["lead_id"].is_number()));
    let (status, v) = post(&m, "application/json", fixture("lead_website.json")).await;
    assert_eq!(status, 201, "{v}");
}

#[tokio::test]
async fn bad_submissions_get_a_clear_4xx_and_nothing_is_written() {
    let m = setup().await;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("application/xml", fixture("adf_malformed.xml"), 400, "malformed_xml"),
        (
            "application/json",
            b"{\"first_name\": \"Al\", ".to_vec(),
            400,
            "malformed_json",
        ),
        ("application/json", b"".to_vec(), 400, "empty_body"),
        ("application/json", b"42".to_vec(), 422, "invalid_lead"),
        (
            "application/xml",
            fixture("adf_no_contact.xml"),
            422,
            "unreachable_lead",
        ),
        (
            "application/json",
            br#"{"first_name": "Al", "phone": "555-01"}"#.to_vec(),
            422,
            "unreachable_lead",
        ),
        (
            "application/json",
            br#"[{"phone": "512-555-0170"}, {"first_name": "No Contact"}]"#.to_vec(),
            422,
            "unreachable_lead",
        ),
    ];
    for (ct, body, status, code) in cases {
        let (got, v) = post(&m, ct, body).await;
        assert_eq!((got, v["error"]["code"].as_str()), (status, Some(code)), "{v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let (_, v) = post(
        &m,
        "application/json",
        br#"{"first_name": "Al", "phone": "555-01"}"#.to_vec(),
    )
    .await;
    assert!(
        v["error"]["message"].as_str().unwrap().contains("phone"),
        "names the field: {v}"
    );
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM leads"),
        0,
        "not even the good lead of the bad batch"
    );

    // a 10 MB body
    let big = format!("{{\"comments\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let (status, v) = post(&m, "application/json", big.into_bytes()).await;
    assert_eq!((status, v["error"]["code"].as_str()), (413, Some("body_too_large")));

    // no key, wrong key
    let r =
        m.t.client()
            .post(format!("{}/api/leads/webhook", m.t.url))
            .json(&json!({"phone": "5125550170"}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), 0);
}

#[tokio::test]
async fn bad_optional_values_are_dropped_with_a_warning_not_the_lead() {
    let m = setup().await;
    let (status, v) = post(
        &m,
        "application/json",
        br#"{"first_name": "Eve", "phone": "512-555-0171", "email": "eve@nowhere", "vin": "1HGCM82633A004353", "timezone": "Mars/Olympus"}"#.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    let fields: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"email") && fields.contains(&"timezone") && fields.iter().any(|f| f.contains("vin")),
        "{v}"
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM vehicles"), 0);
}

#[tokio::test]
async fn hostile_adf_is_refused_early_with_the_limit_it_broke() {
    let m = setup().await;
    let prospect = "<prospect><customer><contact><name part=\"full\">Ana Lopez</name>\
        <phone>512-555-0142</phone></contact></customer></prospect>";
    // the attacker's document: one element with 85,000 attributes (about 850 KB)
    let attrs: String = (0..85_000).map(|i| format!(" a{i}=\"\"")).collect();
    let cases = [
        (
            format!("<?xml version=\"1.0\"?>\n<adf{attrs}>{prospect}</adf>"),
            "64 attributes",
        ),
        (
            format!("<adf>{prospect}{}</adf>", "<x>".repeat(50_000)),
            "nested more than 32 deep",
        ),
        (
            format!("<adf>{prospect}{}</adf>", "<x/>".repeat(20_000)),
            "more than 10000 elements",
        ),
        (
            format!("<adf><comments>{}</comments>{prospect}</adf>", "x".repeat(100_000)),
            "longer than 64 KB",
        ),
    ];
    for (body, limit) in cases {
        assert!(body.len() < 1024 * 1024, "under the body limit, so the parser sees it");
        let (status, v) = post(&m, "application/xml", body.into_bytes()).await;
        assert_eq!(
            (status, v["error"]["code"].as_str()),
            (400, Some("xml_too_complex")),
            "{v}"
        );
        let message = v["error"]["message"].as_str().unwrap();
        assert!(message.contains(limit), "names the limit: {message}");
    }
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), 0);
    // and real documents still go through
    let (status, v) = post(&m, "application/xml", fixture("adf_cars_com.xml")).await;
    assert_eq!(status, 201, "{v}");
}
