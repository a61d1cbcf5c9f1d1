//! The DMS import and its neighbours under files and requests made to break them: control
//! characters in identifiers, numbers out of any range. Every row is stored or reported, and
//! nothing is a 500.

use crate::messaging::{count, setup, Messaging};
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

/// An export of `n` rows in the common shape; `name(i)` is row i's Customer Name cell, as written.
fn export(n: usize, name: impl Fn(usize) -> String) -> String {
    let mut s = String::from("RO Number,Open Date,Customer Name,Cell Phone,VIN,Mileage In,Total Sale\r\n");
    for i in 1..=n {
        s += &format!(
            "{},11/{:02}/2026,{},512-555-{:04},,{},$1{:02}.50\r\n",
            800_000 + i,
            1 + i % 20,
            name(i),
            i % 10_000,
            30_000 + i,
            i % 100
        );
    }
    s
}

fn rows_of(v: &Value, list: &str) -> Vec<u64> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_nul_in_an_ro_number_refuses_that_row_and_imports_the_rest() {
    let m = setup().await;
    let mut csv = export(3, |i| format!("JANE DOE{i}"));
    csv = csv.replacen("800002,", "\u{0}BAD,", 1);
    let (status, v) = import(&m, "text/csv", csv.into_bytes()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!((v["rows"].as_u64(), v["created"].as_u64()), (Some(3), Some(2)), "{v}");
    assert_eq!(rows_of(&v, "errors"), [2]);
    assert_eq!(v["errors"][0]["field"], "ro_number");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(r"RO number `\0BAD` holds a control character"),
        "{v}"
    );
    // JSON too, and a NUL in a name is read as a space rather than stored
    let (status, v) = import(
        &m,
        "application/json",
        serde_json::to_vec(&json!([
            {"ro_number": "\u{0}", "open_date": "2026-11-02"},
            {"ro_number": "900001", "open_date": "2026-11-02", "customer_name": "ANA\u{0}LOPEZ", "cell_phone": "512-555-0199"},
        ]))
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!((v["rows"].as_u64(), v["created"].as_u64()), (Some(2), Some(1)), "{v}");
    assert_eq!(rows_of(&v, "errors"), [1]);
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE first_name = 'Ana' AND last_name = 'Lopez'"
        ),
        1
    );
}

#[tokio::test]
async fn amounts_and_mileage_out_of_bounds_are_dropped_with_a_warning() {
    let m = setup().await;
    let csv = "RO Number,Open Date,Mileage In,Total Sale,Labor\r\n\
               1,11/02/2026,2000001,(12.50),$20000000.00\r\n\
               2,11/02/2026,45210,$99.50,$10.00\r\n";
    let (status, v) = import(&m, "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["created"], 2, "{v}");
    let warned: Vec<(u64, &str)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["row"].as_u64().unwrap(), w["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        warned,
        [(1, "mileage"), (1, "total_amount"), (1, "labor_amount")],
        "{v}"
    );
    let (mileage, total, labor): (Option<i64>, Option<i64>, Option<i64>) =
        m.t.conn()
            .query_row(
                "SELECT mileage, total_cents, labor_cents FROM service_events WHERE external_id = '1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert_eq!((mileage, total, labor), (None, None, None));
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
