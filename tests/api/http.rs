//! The server over real HTTP: health, error shape, admin and account keys, tick and job runs.

use crate::support::*;
use forecourt::domain::account::Vertical;
use serde_json::Value;

async fn json(resp: reqwest::Response) -> Value {
    resp.json().await.expect("JSON body")
}

fn assert_error_shape(v: &Value, code: &str) {
    assert_eq!(v["error"]["code"], code, "{v}");
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
}

#[tokio::test]
async fn healthz_reports_database_and_schema() {
    let t = TestApp::spawn().await;
    let resp = t.client().get(format!("{}/healthz", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers().get("x-request-id").is_some(),
        "every response carries a request id"
    );
    let v = json(resp).await;
    assert_eq!(v["status"], "ok");
    assert_eq!(v["database"], "ok");
    let latest = forecourt::db::Db::embedded_migrations()
        .iter()
        .map(|m| m.0)
        .max()
        .unwrap();
    assert_eq!(v["schema_version"], latest);
    assert_eq!(v["expected_schema_version"], latest);
}

#[tokio::test]
async fn request_ids_are_kept_when_given() {
    let t = TestApp::spawn().await;
    let resp = t
        .client()
        .get(format!("{}/healthz", t.url))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_json_errors() {
    let t = TestApp::spawn().await;
    let resp = t.client().get(format!("{}/api/nope", t.url)).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_error_shape(&json(resp).await, "not_found");
    let resp = t
        .client()
        .get(format!("{}/api/internal/tick", t.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    assert_error_shape(&json(resp).await, "method_not_allowed");
}

#[tokio::test]
async fn internal_routes_need_the_admin_key() {
    let t = TestApp::spawn().await;
    let c = t.client();
    let url = format!("{}/api/internal/job-runs", t.url);

    let resp = c.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_error_shape(&json(resp).await, "unauthorized");

    let resp = c.get(&url).bearer_auth("not-the-key-at-all").send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let v = json(resp).await;
    assert_error_shape(&v, "unauthorized");
    assert!(v["error"]["message"].as_str().unwrap().contains("not valid"));

    let resp = c
        .get(&url)
        .header("x-admin-key", format!("{}x", t.admin_key))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    let resp = c.get(&url).bearer_auth(&t.admin_key).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = c.get(&url).header("x-admin-key", &t.admin_key).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(json(resp).await["runs"].is_array());
}

#[tokio::test]
async fn the_generated_admin_key_is_stored_private() {
    let t = TestApp::spawn().await;
    let path = t.app.config.admin_key_path();
    let stored = std::fs::read_to_string(&path).unwrap();
    assert_eq!(stored.trim(), t.admin_key);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[tokio::test]
async fn account_routes_need_the_account_key() {
    let t = TestApp::spawn().await;
    let (id, key) = t.account("Lakeside Honda", Vertical::Automotive);
    let c = t.client();
    let url = format!("{}/api/account", t.url);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(c.get(&url).bearer_auth("fc_wrong").send().await.unwrap().status(), 401);
    // the admin key is not an account key
    assert_eq!(
        c.get(&url).bearer_auth(&t.admin_key).send().await.unwrap().status(),
        401
    );
    let v = json(c.get(&url).header("x-api-key", &key).send().await.unwrap()).await;
    assert_eq!(v["id"], id);
    assert_eq!(v["vertical"], "automotive");
    // only a hash is stored
    let stored: String = t
        .conn()
        .query_row("SELECT api_key_hash FROM accounts WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, key);
    assert_eq!(stored.len(), 64);
}

#[tokio::test]
async fn tick_runs_every_job_as_of_the_given_moment_and_records_it() {
    let t = TestApp::spawn().await;
    let c = t.client();
    let as_of = "2027-03-14T07:30:00Z";
    let resp = c
        .post(format!("{}/api/internal/tick?as_of={}", t.url, as_of))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v = json(resp).await;
    assert_eq!(v["as_of"], as_of);
    let jobs: Vec<&str> = v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["job"].as_str().unwrap())
        .collect();
    assert_eq!(jobs, t.app.jobs.names());
    assert!(v["runs"].as_array().unwrap().iter().all(|r| r["outcome"] == "ok"));

    let runs = json(
        c.get(format!("{}/api/internal/job-runs", t.url))
            .bearer_auth(&t.admin_key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let runs = runs["runs"].as_array().unwrap();
    assert_eq!(runs.len(), jobs.len());
    for r in runs {
        assert_eq!(r["as_of"], as_of, "{r}");
        assert_eq!(r["started_at"], T0, "started by the app's clock, replaying as_of");
        assert_eq!(r["trigger"], "tick");
        assert_eq!(r["outcome"], "ok");
        assert!(r["counts"].is_object());
    }

    // filtered by job
    let one = json(
        c.get(format!("{}/api/internal/job-runs?job=sessions.purge&limit=5", t.url))
            .bearer_auth(&t.admin_key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(one["runs"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn tick_without_as_of_uses_the_clock() {
    let t = TestApp::spawn().await;
    let v = json(
        t.client()
            .post(format!("{}/api/internal/tick", t.url))
            .bearer_auth(&t.admin_key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["as_of"], T0);
}

#[tokio::test]
async fn tick_purges_expired_sessions_as_of_the_moment() {
    let t = TestApp::spawn().await;
    let (acct, _) = t.account("Lakeside", Vertical::Automotive);
    t.user(acct, "sam@lakeside.example", "a long password");
    let user_id: i64 = t.conn().query_row("SELECT id FROM users", [], |r| r.get(0)).unwrap();
    let now = t.clock_now();
    t.write(|tx| forecourt::store::sessions::insert(tx, "h1", user_id, acct, "c", now, now + 3600));
    let c = t.client();
    let tick = |as_of: &'static str| {
        let c = c.clone();
        let url = format!("{}/api/internal/tick?as_of={as_of}", t.url);
        let key = t.admin_key.clone();
        async move { json(c.post(url).bearer_auth(key).send().await.unwrap()).await }
    };
    let before = tick("2026-11-24T15:30:00Z").await;
    let purge = |v: &Value| {
        v["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["job"] == "sessions.purge")
            .unwrap()
            .clone()
    };
    assert_eq!(purge(&before)["counts"]["deleted"], 0);
    let after = tick("2026-11-24T16:00:01Z").await;
    assert_eq!(purge(&after)["counts"]["deleted"], 1);
}

#[tokio::test]
async fn a_malformed_as_of_is_a_clear_400() {
    let t = TestApp::spawn().await;
    for bad in ["yesterday", "2026-13-01T00:00:00Z", "2026-11-24"] {
        let resp = t
            .client()
            .post(format!("{}/api/internal/tick?as_of={bad}", t.url))
            .bearer_auth(&t.admin_key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{bad}");
        let v = json(resp).await;
        assert_error_shape(&v, "invalid_as_of");
        assert!(v["error"]["message"].as_str().unwrap().contains(bad));
    }
    // and nothing ran
    let n: i64 = t
        .conn()
        .query_row("SELECT count(*) FROM job_runs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}
