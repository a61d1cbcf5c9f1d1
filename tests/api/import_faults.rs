//! The DMS import under files and requests made to break it: a quote never closed, control
//! characters in identifiers, files of nothing but bad rows, numbers out of any range, uploads
//! cut off. Every row is stored or reported, nothing is a 500, and what is kept is bounded.

use crate::messaging::{count, setup, Messaging};
use crate::support::*;
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
async fn a_quote_never_closed_is_its_rows_error_and_every_row_after_it_is_imported() {
    let m = setup().await;
    // the rest of the file unquoted: the stray quote would swallow it all
    let plain = export(1000, |i| {
        if i == 5 {
            "\"JANE DOE5".into()
        } else {
            format!("JANE DOE{i}")
        }
    });
    // the rest quoted: the stray quote would pair with the next row's
    let quoted = export(1000, |i| {
        if i == 5 {
            "\"DOE5, JANE".into()
        } else {
            format!("\"DOE{i}, JANE\"")
        }
    });
    for (kind, file) in [("unquoted", plain), ("quoted", quoted)] {
        let (status, v) = import(&m, "text/csv", file.into_bytes()).await;
        assert_eq!(status, 200, "{kind}: {v}");
        let stored = v["created"].as_u64().unwrap() + v["unchanged"].as_u64().unwrap();
        assert_eq!((v["rows"].as_u64(), stored), (Some(1000), 999), "{kind}: {v}");
        assert_eq!(rows_of(&v, "errors"), [5], "{kind}: {v}");
        let error = &v["errors"][0];
        assert_eq!(error["field"], "customer_name", "{kind}: {v}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("a quote (\") opened in column `Customer Name` on line 6 of the file is never closed"),
            "{kind}: {message}"
        );
        assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 999, "{kind}");
        assert_eq!(
            count(&m.t, "SELECT count(*) FROM service_events WHERE external_id = '800005'"),
            0
        );
    }
    // the next row kept its own name
    let name: String = m
        .t
        .conn()
        .query_row(
            "SELECT l.last_name FROM service_events e JOIN leads l ON l.id = e.lead_id WHERE e.external_id = '800006'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Doe6");
}

#[tokio::test]
async fn the_watched_folder_files_a_file_with_a_broken_quote_as_failed_with_its_row() {
    let m = setup().await;
    let inbox = m.t.app.config.data_dir.join("inbox").join(m.account_id.to_string());
    std::fs::create_dir_all(&inbox).unwrap();
    let file = export(300, |i| {
        if i == 5 {
            "\"JANE DOE5".into()
        } else {
            format!("JANE DOE{i}")
        }
    });
    std::fs::write(inbox.join("nightly.csv"), file).unwrap();
    m.tick(T0).await;
    m.tick("2026-11-24T15:02:00Z").await; // unchanged for the quiet period (2 minutes): imported
    assert_eq!(count(&m.t, "SELECT count(*) FROM service_events"), 299);
    assert!(
        inbox.join("failed/nightly.csv").exists(),
        "not processed/: a row was refused"
    );
    let report = std::fs::read_to_string(inbox.join("failed/nightly.csv.errors.csv")).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "row,field,message,severity");
    assert!(
        lines[1].starts_with("5,customer_name,") && lines[1].ends_with(",error"),
        "{report}"
    );
    assert_eq!(lines.len(), 2, "{report}");
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
async fn a_report_shows_the_first_hundred_issues_and_links_to_all_of_them() {
    let m = setup().await;
    // 250 rows without an RO number, 150 with a VIN that is not one
    let mut csv = String::from("RO Number,Open Date,Customer Name,VIN\r\n");
    for i in 1..=400 {
        let (ro, vin) = if i % 8 < 5 {
            (String::new(), "")
        } else {
            (format!("R{i}"), "NOTAVIN")
        };
        csv += &format!("{ro},11/02/2026,\"DOE{i}, JANE\",{vin}\r\n");
    }
    let (status, v) = import(&m, "text/csv", csv.into_bytes()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (
            v["rows"].as_u64(),
            v["created"].as_u64(),
            v["errors_total"].as_u64(),
            v["warnings_total"].as_u64()
        ),
        (Some(400), Some(150), Some(250), Some(150)),
        "{v}"
    );
    assert_eq!(v["errors"].as_array().unwrap().len(), 100);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 100);
    let link = v["full_report"].as_str().expect("a link to the full report");
    assert!(
        link.starts_with("/api/import/reports/") && link.ends_with(".csv"),
        "{link}"
    );

    let get = |key: String, path: String| {
        let client = m.t.client();
        let url = format!("{}{path}", m.t.url);
        async move { client.get(url).bearer_auth(key).send().await.unwrap() }
    };
    let resp = get(m.key.clone(), link.to_string()).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = resp.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["row", "field", "message", "severity"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 400, "every issue, one per row here");
    assert_eq!(records.iter().filter(|r| &r[3] == "error").count(), 250);
    let rows: Vec<usize> = records.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "in row order");

    // another account cannot read it, and no other name reaches a file
    let (_, other_key) =
        m.t.account("Other Motors", forecourt::domain::account::Vertical::Automotive);
    assert_eq!(get(other_key, link.to_string()).await.status(), 404);
    for path in [
        "/api/import/reports/..%2F..%2Fforecourt.db",
        "/api/import/reports/1-00000000000000000000000000000000.csv",
        "/api/import/reports/x.csv",
    ] {
        let resp = get(m.key.clone(), path.to_string()).await;
        assert_eq!(resp.status(), 404, "{path}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["error"]["code"], "not_found");
    }

    // kept for 30 days, then removed by the maintenance job
    m.tick("2026-12-23T15:00:00Z").await;
    assert_eq!(get(m.key.clone(), link.to_string()).await.status(), 200);
    m.tick("2026-12-25T15:00:00Z").await;
    assert_eq!(get(m.key.clone(), link.to_string()).await.status(), 404);
}

#[tokio::test]
async fn a_report_of_few_issues_has_no_link() {
    let m = setup().await;
    let csv = "RO Number,Open Date\r\n,11/02/2026\r\nR2,11/02/2026\r\n";
    let (_, v) = import(&m, "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(
        (v["errors_total"].as_u64(), v["full_report"].clone()),
        (Some(1), Value::Null),
        "{v}"
    );
    assert!(!m.t.app.config.data_dir.join("reports").exists());
}

#[test]
fn the_command_line_prints_the_bounded_report_and_where_the_full_one_is() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = bin()
        .args([
            "account",
            "create",
            "--name",
            "Lakeside Honda",
            "--timezone",
            "America/Chicago",
            "--vertical",
            "automotive",
        ])
        .env("FORECOURT_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = dir.path().join("bad.csv");
    let mut csv = String::from("RO Number,Open Date\r\n");
    for _ in 0..150 {
        csv += ",11/02/2026\r\n";
    }
    std::fs::write(&file, csv).unwrap();
    let out = bin()
        .arg("import")
        .arg(&file)
        .args(["--account", "1"])
        .env("FORECOURT_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json_end = stdout.rfind("\n}").expect("the report") + 2;
    let v: Value = serde_json::from_str(&stdout[..json_end]).unwrap();
    assert_eq!(
        (v["errors_total"].as_u64(), v["errors"].as_array().map(Vec::len)),
        (Some(150), Some(100))
    );
    let reports = data.join("reports").join("1");
    let full: Vec<_> = std::fs::read_dir(&reports).unwrap().flatten().collect();
    assert_eq!(full.len(), 1);
    assert!(stdout.contains(&full[0].path().display().to_string()), "{stdout}");
    let lines = std::fs::read_to_string(full[0].path()).unwrap().lines().count();
    assert_eq!(lines, 151);
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

#[tokio::test]
async fn uploads_left_by_a_killed_import_are_removed_at_start() {
    let uploads = std::cell::RefCell::new(std::path::PathBuf::new());
    let t = TestApp::spawn_with(|config| {
        let dir = config.data_dir.join("uploads");
        std::fs::create_dir_all(&dir).unwrap();
        // left by a process killed mid-import an hour and more ago
        let left = std::fs::File::create(dir.join("0123456789abcdef0123456789abcdef.csv")).unwrap();
        let hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
        left.set_modified(hours_ago).unwrap();
        // being written now by a server beside this process (a command builds an App too)
        std::fs::write(dir.join("fedcba9876543210fedcba9876543210.csv"), "RO Number\n1\n").unwrap();
        *uploads.borrow_mut() = dir;
    })
    .await;
    let left: Vec<_> = std::fs::read_dir(uploads.borrow().as_path())
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(left, ["fedcba9876543210fedcba9876543210.csv"]);
    drop(t);
}

/// Every file in the uploads folder.
fn uploads(m: &Messaging) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(m.t.app.config.data_dir.join("uploads")) {
        Ok(dir) => dir.flatten().map(|f| f.path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Wait (a minute at most) until `done`; false if it never was.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..600 {
        if done() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    done()
}

#[tokio::test]
async fn an_upload_is_removed_however_its_request_ends() {
    use tokio::io::AsyncWriteExt;
    let m = setup().await;
    // answered: imported, and refused
    let (status, _) = import(&m, "text/csv", export(3, |i| format!("JANE DOE{i}")).into_bytes()).await;
    assert_eq!(status, 200);
    let (status, _) = import(&m, "text/csv", b"Foo,Bar\n1,2\n".to_vec()).await;
    assert_eq!(status, 422);
    assert!(uploads(&m).is_empty());

    let request = |length: usize| {
        format!(
            "POST /api/appointments/import HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {}\r\n\
             content-type: text/csv\r\ncontent-length: {length}\r\n\r\n",
            m.key
        )
    };
    let addr = m.t.url.trim_start_matches("http://").to_string();
    // the client hangs up in the middle of the upload
    let part = export(100, |i| format!("JANE DOE{i}"));
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(request(part.len() * 10).as_bytes()).await.unwrap();
    conn.write_all(part.as_bytes()).await.unwrap();
    assert!(eventually(|| !uploads(&m).is_empty()).await, "the upload began");
    drop(conn);
    assert!(eventually(|| uploads(&m).is_empty()).await, "left: {:?}", uploads(&m));

    // the client hangs up as soon as its whole upload is in, while it is being imported
    let whole = export(5000, |i| format!("JANE DOE{i}"));
    let (most, last) = whole.as_bytes().split_at(whole.len() - 1);
    let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
    conn.write_all(request(whole.len()).as_bytes()).await.unwrap();
    conn.write_all(most).await.unwrap();
    assert!(eventually(|| !uploads(&m).is_empty()).await, "the upload began");
    conn.write_all(last).await.unwrap();
    conn.flush().await.unwrap();
    drop(conn);
    assert!(eventually(|| uploads(&m).is_empty()).await, "left: {:?}", uploads(&m));
}
