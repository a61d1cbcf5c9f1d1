//! The DMS import and its neighbours under requests made to break them: numbers out of any
//! range, control characters in identifiers. Nothing is a 500, and what is refused says why.

use crate::messaging::{setup, Messaging};
use serde_json::{json, Value};

async fn import(m: &Messaging, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let resp =
        m.t.client()
            .post(format!("{}/api/appointments/import", m.t.url))
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
async fn ro_updates_refuse_values_out_of_bounds_with_a_422_naming_the_field() {
    let m = setup().await;
    let (_, v) = import(
        &m,
        "application/json",
        serde_json::to_vec(&json!([{"ro_number": "604512", "open_date": "2026-11-27 09:00"}])).unwrap(),
    )
    .await;
    assert_eq!(v["created"], 1, "{v}");
    let post = |body: Value| {
        let req =
            m.t.client()
                .post(format!("{}/api/ro/update", m.t.url))
                .bearer_auth(&m.key)
                .json(&body);
        async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    let cases = [
        (
            json!({"mileage": -5}),
            "mileage: -5 miles is outside 0 to 2,000,000 miles",
        ),
        (
            json!({"mileage": i64::MAX}),
            "mileage: 9,223,372,036,854,775,807 miles is outside 0 to 2,000,000 miles",
        ),
        (
            json!({"total_cents": -100}),
            "total_cents: a negative amount: amounts from $0.00 to $10,000,000.00 are kept",
        ),
        (
            json!({"labor_cents": 1_000_000_001}),
            "labor_cents: $10,000,000.01 is more than any visit costs",
        ),
        (json!({"parts_cents": i64::MIN}), "parts_cents: a negative amount"),
        (json!({"services": [{"op_code": " "}]}), "services[0].op_code is empty"),
        (
            json!({"services": [{"op_code": "X".repeat(65)}]}),
            "is 65 characters long; at most 64 are kept",
        ),
        (
            json!({"services": [{"op_code": "OIL", "status": "maybe"}]}),
            "services[0].status `maybe` is not one of performed, declined, recommended",
        ),
        (
            json!({"services": [{"op_code": "OIL", "amount_cents": -1}]}),
            "services[0].amount_cents: a negative amount",
        ),
        (
            json!({"services": [{"op_code": "OIL\u{0}"}]}),
            "holds a control character",
        ),
        (
            json!({"advisor": "Keisha\u{0}"}),
            "advisor `Keisha\\0` holds a control character",
        ),
        (
            json!({"closed_at": "2026-13-40T99:00:00Z"}),
            "closed_at `2026-13-40T99:00:00Z` is not an RFC 3339 timestamp",
        ),
    ];
    for (fields, message) in cases {
        let mut body = json!({"external_id": "604512"});
        for (k, val) in fields.as_object().unwrap() {
            body[k] = val.clone();
        }
        let (status, v) = post(body.clone()).await;
        assert_eq!(status, 422, "{body}: {v}");
        assert_eq!(v["error"]["code"], "invalid_field", "{body}: {v}");
        let got = v["error"]["message"].as_str().unwrap();
        assert!(got.contains(message), "{body}: {got}");
    }
    let (status, v) = post(json!({"external_id": "\u{0}"})).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (422, Some("invalid_field")),
        "{v}"
    );
    // values at the bounds are taken
    let (status, v) = post(json!({"external_id": "604512", "mileage": 2_000_000, "total_cents": 0,
        "labor_cents": 1_000_000_000, "services": [{"op_code": "X".repeat(64), "amount_cents": 0}]}))
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["mileage"].as_i64(), v["total_cents"].as_i64()),
        (Some(2_000_000), Some(0))
    );
}
