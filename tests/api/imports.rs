//! Service data in: DMS exports through the API, the watched folder and the CLI; RO updates;
//! saved mappings; a killed import redone with every row in exactly once.

use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/dms")
            .join(name),
    )
    .expect("fixture")
}

async fn import(m: &Messaging, content_type: &str, body: Vec<u8>, query: &str) -> (u16, Value) {
    let resp =
        m.t.client()
            .post(format!("{}/api/appointments/import{query}", m.t.url))
            .bearer_auth(&m.key)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A small export in the common CDK-like shape, `n` rows.
pub fn export(n: usize) -> String {
    let mut s = String::from("RO Number,Open Date,Close Date,Customer Name,Cell Phone,Email,VIN,Mileage In,Service Advisor,Op Codes,Total Sale\r\n");
    for i in 0..n {
        s.push_str(&format!(
            "{},11/{:02}/2026,11/{:02}/2026,\"DOE{i}, JANE\",512-555-01{:02},jane{i}@example.com,,\"{},{:03}\",Dana Whitfield,LOF;ROT,\"$1{:02}.50\"\r\n",
            700_100 + i,
            1 + i % 20,
            1 + i % 20,
            i % 100,
            30 + i,
            i,
            i % 100
        ));
    }
    s
}

#[tokio::test]
async fn a_csv_export_imports_once_and_a_later_export_updates_it() {
    let m = setup().await;
    let (status, v) = import(&m, "text/csv", export(5).into_bytes(), "").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (
            v["rows"].as_u64(),
            v["created"].as_u64(),
            v["errors"].as_array().map(Vec::len)
        ),
        (Some(5), Some(5), Some(0)),
        "{v}"
    );
    assert_eq!(v["columns"]["used"]["RO Number"], "ro_number");
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 5);
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE source = 'dms' AND status = 'customer'"
        ),
        5
    );

    // the same file again changes nothing
    let (_, v) = import(&m, "text/csv", export(5).into_bytes(), "").await;
    assert_eq!(
        (v["created"].as_u64(), v["updated"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(0), Some(5)),
        "{v}"
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 5);
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), 5);

    // a dry run reports without writing
    let (_, v) = import(&m, "text/csv", export(8).into_bytes(), "?dry_run=true").await;
    assert_eq!(
        (v["created"].as_u64(), v["unchanged"].as_u64(), v["dry_run"].as_bool()),
        (Some(3), Some(5), Some(true)),
        "{v}"
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 5);
}

#[tokio::test]
async fn json_events_use_the_same_mapping() {
    let m = setup().await;
    let (status, v) = import(
        &m,
        "application/json",
        serde_json::to_vec(&json!({"events": [
            {"appointment_id": "A-1", "appointment_date": "2026-11-27", "appointment_time": "9:30 AM", "first_name": "Ana", "last_name": "Lopez", "cell_phone": "(512) 555-0142"},
            {"appointment_id": "", "appointment_date": "2026-11-27"}
        ]}))
        .unwrap(),
        "",
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!((v["rows"].as_u64(), v["created"].as_u64()), (Some(2), Some(1)), "{v}");
    assert_eq!(v["errors"][0]["row"], 2);
    let scheduled: i64 =
        m.t.conn()
            .query_row(
                "SELECT scheduled_at FROM service_events WHERE external_id = 'A-1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(
        scheduled,
        at("2026-11-27T15:30:00Z").timestamp(),
        "09:30 in the account's zone (Chicago)"
    );
}

#[tokio::test]
async fn a_file_with_no_known_headers_is_a_422_naming_them() {
    let m = setup().await;
    let (status, v) = import(&m, "text/csv", b"Foo,Bar\n1,2\n".to_vec(), "").await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["code"], "no_known_headers");
    assert!(v["error"]["message"].as_str().unwrap().contains("Foo"), "{v}");
}

#[tokio::test]
async fn a_saved_mapping_reads_an_odd_export() {
    let m = setup().await;
    let csv = "Tag No,Promised,Guest\nT-9,11/20/2026,\"SMITH, AL\"\n";
    let (status, _) = import(&m, "text/csv", csv.as_bytes().to_vec(), "").await;
    assert_eq!(status, 422, "nothing maps yet");
    let put = |body: Value| {
        m.t.client()
            .put(format!("{}/api/import/mapping", m.t.url))
            .bearer_auth(&m.key)
            .json(&body)
            .send()
    };
    let bad = put(json!({"columns": {"Tag No": "ticket"}})).await.unwrap();
    assert_eq!(bad.status(), 422);
    let ok = put(json!({"columns": {"Tag No": "ro_number", "Promised": "open_date", "Guest": "customer_name"}}))
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let (status, v) = import(&m, "text/csv", csv.as_bytes().to_vec(), "").await;
    assert_eq!((status, v["created"].as_u64()), (200, Some(1)), "{v}");
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads WHERE last_name = 'Smith'"), 1);
}

#[tokio::test]
async fn ro_updates_open_and_close_a_visit() {
    let m = setup().await;
    let (_, v) = import(
        &m,
        "application/json",
        serde_json::to_vec(&json!([{"appointment_id": "A-7", "appointment_date": "2026-11-27 09:00"}])).unwrap(),
        "",
    )
    .await;
    assert_eq!(v["created"], 1, "{v}");
    let post = |body: Value| {
        m.t.client()
            .post(format!("{}/api/ro/update", m.t.url))
            .bearer_auth(&m.key)
            .json(&body)
            .send()
    };
    let r = post(json!({"external_id": "NOPE", "opened_at": "2026-11-27T15:00:00Z"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = post(json!({"external_id": "A-7", "opened_at": "tomorrow"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = post(json!({"external_id": "A-7", "opened_at": "2026-11-27T15:05:00Z", "advisor": "Keisha Brooks", "mileage": 45210})).await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["opened_at"].as_str()),
        (Some("repair_order"), Some("2026-11-27T15:05:00Z")),
        "{v}"
    );
    let r = post(json!({"external_id": "A-7", "closed_at": "2026-11-27T20:00:00Z", "total_cents": 18995,
        "services": [{"op_code": "BRKPAD", "description": "Front pads", "amount_cents": 29900}, {"op_code": "ALIGN", "status": "declined"}]}))
    .await
    .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["closed_at"], "2026-11-27T20:00:00Z");
    assert_eq!(v["advisor"], "Keisha Brooks", "earlier values are kept");
    assert_eq!(v["services"][1]["status"], "declined");
    assert_eq!(v["total_cents"], 18995);
}

#[tokio::test]
async fn the_inbox_imports_a_dropped_file_once_and_files_it() {
    let m = setup().await;
    let inbox = m.t.app.config.data_dir.join("inbox").join(m.account_id.to_string());
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("ro_2026-11-24.csv"), export(4)).unwrap();
    let mut bad = export(2);
    bad.push_str(",11/05/2026,,\"ROE, RAY\",,,,,,,\r\n"); // no RO number
    std::fs::write(inbox.join("ro_bad.csv"), bad).unwrap();
    m.tick(T0).await; // first sight: sizes noted
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 0);
    m.tick("2026-11-24T15:02:00Z").await; // unchanged for the quiet period (2 minutes): imported
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM service_events"),
        4,
        "the good file, and the bad file's two good rows (same ROs)"
    );
    assert!(inbox.join("processed/ro_2026-11-24.csv").exists());
    assert!(inbox.join("failed/ro_bad.csv").exists());
    let report = std::fs::read_to_string(inbox.join("failed/ro_bad.csv.errors.csv")).unwrap();
    assert!(
        report.starts_with("row,field,message") && report.contains("3,"),
        "{report}"
    );
    // the same content dropped again is recognised and filed, not imported twice
    std::fs::write(inbox.join("again.csv"), export(4)).unwrap();
    m.tick("2026-11-24T15:03:00Z").await;
    m.tick("2026-11-24T15:05:00Z").await;
    assert!(inbox.join("processed/again.csv").exists());
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 4);
}

#[tokio::test]
async fn an_import_killed_mid_file_is_redone_with_every_row_once() {
    use forecourt::ingest::dms_import::{import_csv, ImportOptions};
    let m = setup().await;
    let full = export(10);
    let inbox = m.t.app.config.data_dir.join("inbox").join(m.account_id.to_string());
    std::fs::create_dir_all(&inbox).unwrap();
    let path = inbox.join("nightly.csv");
    std::fs::write(&path, &full).unwrap();
    // the process died after journaling the file and storing the first half of its rows
    {
        let mut conn = m.t.app.db.conn().unwrap();
        let hash = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(full.as_bytes()))
        };
        let now = m.t.clock_now();
        conn.write_with(|tx| forecourt::store::imports::begin(tx, m.account_id, &hash, "nightly.csv", "folder", now))
            .unwrap();
        let half: String = full.split_inclusive("\r\n").take(6).collect();
        let custom = Default::default();
        let opts = ImportOptions {
            account_id: m.account_id,
            tz: chrono_tz::America::Chicago,
            custom: &custom,
            source: "folder",
            dry_run: false,
            now: at(T0),
            reports: None,
            kind: None,
        };
        let r = import_csv(&mut conn, &opts, half.as_bytes(), &mut |_| {}).unwrap();
        assert_eq!(r.created, 5);
    }
    m.tick(T0).await;
    m.tick("2026-11-24T15:02:00Z").await;
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 10);
    assert_eq!(
        count(&m.t, "SELECT count(DISTINCT external_id) FROM service_events"),
        10
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM leads"), 10);
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM import_journal WHERE status = 'done'"),
        1
    );
    assert!(inbox.join("processed/nightly.csv").exists());
}

#[tokio::test]
async fn real_world_exports_import_with_exact_counts() {
    let m = setup().await;
    // (fixture, content type, rows, created, refused rows)
    let cases: [(&str, &str, u64, u64, &[u64]); 5] = [
        ("cdk_ro_export.csv", "text/csv", 12, 10, &[5, 7]),
        ("reynolds_ro.csv", "text/csv; charset=utf-8", 9, 8, &[5]),
        ("xtime_appointments.csv", "text/csv", 8, 7, &[5]),
        ("tekion_appointments.csv", "application/csv", 7, 6, &[4]),
        // notes over several lines, and a customer name whose closing quote is missing
        ("dealertrack_ro_stray_quote.csv", "text/csv", 10, 9, &[4]),
    ];
    for (name, ct, rows, created, refused) in cases {
        let (status, v) = import(&m, ct, fixture(name), "").await;
        assert_eq!(status, 200, "{name}: {v}");
        let got: Vec<u64> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["row"].as_u64().unwrap())
            .collect();
        assert_eq!(
            (v["rows"].as_u64(), v["created"].as_u64(), got.as_slice()),
            (Some(rows), Some(created), refused),
            "{name}: {v}"
        );
        // and again: nothing changes
        let (_, again) = import(&m, ct, fixture(name), "").await;
        assert_eq!(
            (again["created"].as_u64(), again["updated"].as_u64()),
            (Some(0), Some(0)),
            "{name} re-import: {again}"
        );
    }
    let (status, v) = import(&m, "text/csv", fixture("no_known_headers.csv"), "").await;
    assert_eq!(status, 422, "{v}");
    // customers with no usable phone are kept, flagged as not textable
    assert!(count(&m.t, "SELECT count(*) FROM leads WHERE textable = 0") >= 1);
}

/// Statistics taken while the tables held two rows (the maintenance job's first run, early in a
/// first import) must not turn the import's per-row lookups into scans: one did, and an import
/// beside a few ticks stalled, re-reading every lead for each new customer.
#[tokio::test]
async fn the_imports_lookups_use_their_indexes_with_statistics_of_tiny_tables() {
    let m = setup().await;
    let (status, _) = import(&m, "text/csv", export(2).into_bytes(), "").await;
    assert_eq!(status, 200);
    m.t.conn().execute_batch("ANALYZE").unwrap();
    let plans = forecourt::store::leads::explain_import_lookups(&m.t.conn()).unwrap();
    let expected = [
        "sqlite_autoindex_vehicles_1",
        "leads_account_phone",
        "leads_account_email",
        "ownerships_vehicle",
        "sqlite_autoindex_service_events_1",
    ];
    for (plan, index) in plans.iter().zip(expected) {
        assert!(plan.contains(index), "{plan}");
        assert!(!scans_a_table(plan), "{plan}");
    }
    assert!(
        plans[0].starts_with("SEARCH v USING"),
        "the vehicle first: {}",
        plans[0]
    );
    let plans = forecourt::store::offer_sends::explain_visit_queries(&m.t.conn()).unwrap();
    for plan in &plans {
        assert!(!scans_a_table(plan) && !plan.contains("account_created"), "{plan}");
    }
}
