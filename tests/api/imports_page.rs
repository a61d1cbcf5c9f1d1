//! The Imports page over real HTTP: a manager uploads a messy export, reads a dry run that
//! matches the API's, imports it, finds it in the history and downloads its refused rows as CSV;
//! a bad file is refused with the reason and nothing written; a rep gets 403; another store
//! sees none of it.

use crate::login::{post_login, EMAIL, PASSWORD};
use crate::support::*;
use forecourt::domain::account::Vertical;
use forecourt::domain::users::Role;
use serde_json::Value;

struct Session {
    cookie: String,
    csrf: String,
}

async fn session(t: &TestApp, email: &str) -> Session {
    let resp = post_login(t, email, PASSWORD, Some("/")).await;
    assert_eq!(resp.status(), 303, "{email} signs in");
    let cookie = format!("fc_session={}", set_cookie(&resp, "fc_session").unwrap());
    let html = t
        .client()
        .get(format!("{}/leads", t.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    Session {
        csrf: hidden_input(&html, "csrf"),
        cookie,
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/dms")
            .join(name),
    )
    .unwrap()
}

/// The form a browser sends: csrf, kind, then the file.
fn form(csrf: &str, kind: &str, file_name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let b = "----forecourtTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("kind", kind)] {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    body.extend(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n")
            .bytes(),
    );
    body.extend_from_slice(data);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn upload(t: &TestApp, s: &Session, kind: &str, name: &str, data: &[u8]) -> (u16, String) {
    let (ct, body) = form(&s.csrf, kind, name, data);
    let resp = t
        .client()
        .post(format!("{}/imports", t.url))
        .header("cookie", &s.cookie)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn get(t: &TestApp, s: &Session, path: &str) -> reqwest::Response {
    t.client()
        .get(format!("{}{path}", t.url))
        .header("cookie", &s.cookie)
        .send()
        .await
        .unwrap()
}

async fn confirm(t: &TestApp, s: &Session, pending: &str, action: &str) -> reqwest::Response {
    t.client()
        .post(format!("{}/imports/pending/{pending}", t.url))
        .header("cookie", &s.cookie)
        .form(&[("csrf", s.csrf.as_str()), ("action", action)])
        .send()
        .await
        .unwrap()
}

/// The counts a report on a page shows: rows, created, updated, unchanged, errors, warnings.
fn page_counts(html: &str) -> [u64; 6] {
    ["rows", "created", "updated", "unchanged", "errors", "warnings"].map(|k| {
        let marker = format!("data-count=\"{k}\">");
        let at = html.find(&marker).unwrap_or_else(|| panic!("no {k} count in {html}")) + marker.len();
        html[at..].split('<').next().unwrap().parse().unwrap()
    })
}

fn pending_id(html: &str) -> String {
    let marker = "action=\"/imports/pending/";
    let at = html.find(marker).expect("a confirm form") + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_manager_checks_an_export_imports_it_and_downloads_its_refused_rows() {
    let t = TestApp::spawn().await;
    let (account, key) = t.account("Lakeside Honda", Vertical::Automotive);
    t.user(account, EMAIL, PASSWORD);
    let manager = session(&t, EMAIL).await;
    let export = fixture("cdk_deals.csv");

    // the API's dry run of the same file
    let api: Value = t
        .client()
        .post(format!("{}/api/appointments/import?dry_run=true", t.url))
        .bearer_auth(&key)
        .header("content-type", "text/csv")
        .body(export.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api_counts = [
        "rows",
        "created",
        "updated",
        "unchanged",
        "errors_total",
        "warnings_total",
    ]
    .map(|k| api[k].as_u64().unwrap());
    assert!(api_counts[4] > 0, "the fixture is messy: {api}");

    // the settings page links the imports page
    let settings = get(&t, &manager, "/settings").await.text().await.unwrap();
    assert!(settings.contains("href=\"/imports\""));

    // the page's dry run says the same, and writes nothing
    let (status, html) = upload(&t, &manager, "auto", "CDK Deals Nov.csv", &export).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(page_counts(&html), api_counts);
    assert!(html.contains("Check before importing: CDK Deals Nov.csv"));
    assert!(html.contains("data-row=\"4\""), "each issue by its row: {html}");
    let deals = |t: &TestApp| -> i64 {
        t.conn()
            .query_row("SELECT count(*) FROM deals", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(deals(&t), 0);

    // a forged form does nothing
    let forged = Session {
        cookie: manager.cookie.clone(),
        csrf: "forged".into(),
    };
    let id = pending_id(&html);
    assert_eq!(confirm(&t, &forged, &id, "import").await.status(), 403);
    let (status, _) = upload(&t, &forged, "auto", "x.csv", &export).await;
    assert_eq!(status, 403);

    // another store's manager cannot import this upload
    let (other, _) = t.account("Hilltop Ford", Vertical::Automotive);
    t.user(other, "manager@hilltop.example", PASSWORD);
    let stranger = session(&t, "manager@hilltop.example").await;
    assert_eq!(confirm(&t, &stranger, &id, "import").await.status(), 404);
    assert_eq!(deals(&t), 0);

    // import: the history's entry shows what was done
    let resp = confirm(&t, &manager, &id, "import").await;
    assert_eq!(resp.status(), 303);
    let entry = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(entry.starts_with("/imports/history/"), "{entry}");
    let created = api_counts[1] as i64;
    assert_eq!(deals(&t), created);
    let report = get(&t, &manager, &entry).await.text().await.unwrap();
    assert_eq!(page_counts(&report), api_counts, "{report}");
    let list = get(&t, &manager, "/imports").await.text().await.unwrap();
    assert!(
        list.contains("CDK Deals Nov.csv") && list.contains("uploaded"),
        "{list}"
    );

    // its refused rows and dropped values, as CSV
    let resp = get(&t, &manager, &format!("{entry}/issues.csv")).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = resp.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "row,field,message,severity");
    assert_eq!(lines.len() as u64, 1 + api_counts[4] + api_counts[5], "{csv}");
    assert!(lines.iter().any(|l| l.ends_with(",error")));

    // the upload is gone once imported; the same content again changes nothing
    assert_eq!(confirm(&t, &manager, &id, "import").await.status(), 404);
    let (_, html) = upload(&t, &manager, "deals", "again.csv", &export).await;
    assert_eq!(page_counts(&html)[3], api_counts[1], "now unchanged: {html}");
    let resp = confirm(&t, &manager, &pending_id(&html), "import").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("imported before"));
    assert_eq!(deals(&t), created);

    // another store sees none of it
    assert_eq!(get(&t, &stranger, &entry).await.status(), 404);
    assert_eq!(get(&t, &stranger, &format!("{entry}/issues.csv")).await.status(), 404);
    let theirs = get(&t, &stranger, "/imports").await.text().await.unwrap();
    assert!(!theirs.contains("CDK Deals Nov.csv"));
}

#[tokio::test]
async fn bad_files_are_refused_with_the_reason_and_a_rep_may_not_import() {
    let t = TestApp::spawn().await;
    let (account, _) = t.account("Lakeside Honda", Vertical::Automotive);
    t.user(account, EMAIL, PASSWORD);
    t.user_as(account, "rep@lakeside.example", PASSWORD, Role::Rep);
    let manager = session(&t, EMAIL).await;

    let (status, html) = upload(&t, &manager, "auto", "notes.csv", &fixture("no_known_headers.csv")).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("id=\"file-error\"") && html.contains("Nothing was imported"),
        "{html}"
    );
    assert!(!html.contains("action=\"/imports/pending/"));
    let (status, html) = upload(&t, &manager, "auto", "empty.csv", b"").await;
    assert_eq!(status, 422);
    assert!(html.contains("no file (or an empty one)"), "{html}");
    let (status, _) = upload(&t, &manager, "boats", "x.csv", b"a,b\n").await;
    assert_eq!(status, 422);
    let too_big = t
        .client()
        .post(format!("{}/imports", t.url))
        .header("cookie", &manager.cookie)
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![b'a'; 33 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
    assert!(too_big.text().await.unwrap().contains("larger than 32 MB"));
    let journal: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM import_journal", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, 0, "nothing half-imported");

    let rep = session(&t, "rep@lakeside.example").await;
    assert_eq!(get(&t, &rep, "/imports").await.status(), 403);
    let (status, _) = upload(&t, &rep, "auto", "ros.csv", &fixture("cdk_ro_export.csv")).await;
    assert_eq!(status, 403);
    assert_eq!(get(&t, &rep, "/imports/history/1").await.status(), 403);
    let settings = get(&t, &rep, "/").await.text().await.unwrap();
    assert!(!settings.contains("href=\"/imports\""), "a rep is not shown the link");
}
