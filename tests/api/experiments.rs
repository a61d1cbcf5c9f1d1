//! Experiments over real HTTP with the fixed clock: set up through the API (with its 422s and
//! 409s), a T-48h holdout where control customers get no text but a would-have-sent row at
//! their assignment, and results computed from exactly the rows written. And the pages.

use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use reqwest::Method;
use serde_json::{json, Value};

const CUSTOMERS: usize = 40;

fn phone(i: usize) -> String {
    format!("(512) 555-01{:02}", 10 + i)
}

fn appointments_csv(rows: &[(String, usize)], date: &str) -> String {
    let mut csv = String::from(
        "Appointment ID,Appointment Date,Appointment Time,Customer Name,Cell Phone,VIN,Year,Make,Model,Mileage,Service Advisor\r\n",
    );
    for (id, i) in rows {
        csv.push_str(&format!(
            "{id},{date},10:00 AM,\"CUSTOMER{i}, PAT\",{},,2019,HONDA,ACCORD,\"48,210\",\"SMITH, JOHN\"\r\n",
            phone(*i)
        ));
    }
    csv
}

async fn experiment(m: &Messaging, body: Value) -> (u16, Value) {
    m.api(Method::POST, "/api/experiments", Some(body)).await
}

#[tokio::test]
async fn a_t48h_holdout_texts_only_treatment_and_the_results_are_those_rows() {
    let m = setup().await;
    m.offer(json!({
        "name": "Cabin Air Filter",
        "body_template": "Hi {first_name}, your car is due a cabin air filter: {price}. {link} Reply YES to add it.",
        "price_cents": 4995, "value_cents": 3000,
        "rule": {"phases": ["t_minus_48h"]}
    }))
    .await;

    // set up: every bad field named; the default holdout is 10%
    let (status, v) = experiment(
        &m,
        json!({"name": " ", "campaign": "upsell", "holdout_pct": 70, "primary_metric": "clicks"}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    for field in ["name:", "campaign:", "holdout_pct:", "primary_metric:"] {
        assert!(message.contains(field), "{field} in {message}");
    }
    let (status, draft) = experiment(&m, json!({"name": "Any upsell", "campaign": "upsell:any"})).await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!(
        (draft["holdout_pct"].as_i64(), draft["status"].as_str()),
        (Some(10), Some("draft"))
    );
    let (status, e) = experiment(
        &m,
        json!({"name": "48h lift", "campaign": "upsell:t_minus_48h", "holdout_pct": 50, "primary_metric": "booked"}),
    )
    .await;
    assert_eq!(status, 201, "{e}");
    let id = e["id"].as_i64().unwrap();
    // a draft can be changed
    let (status, e) = m
        .api(
            Method::PUT,
            &format!("/api/experiments/{id}"),
            Some(json!({"name": "48h lift", "campaign": "upsell:t_minus_48h", "holdout_pct": 50, "window_days": 14})),
        )
        .await;
    assert_eq!((status, e["window_days"].as_i64()), (200, Some(14)), "{e}");
    m.t.clock.set(at("2026-11-23T14:00:00Z"));
    let (status, e) = m.api(Method::POST, &format!("/api/experiments/{id}/start"), None).await;
    assert_eq!((status, e["status"].as_str()), (200, Some("running")), "{e}");
    // one running experiment per campaign: "any upsell" overlaps the 48-hour phase
    let any = draft["id"].as_i64().unwrap();
    let (status, v) = m
        .api(Method::POST, &format!("/api/experiments/{any}/start"), None)
        .await;
    assert_eq!(status, 409, "{v}");
    assert!(v["error"]["message"].as_str().unwrap().contains("48h lift"), "{v}");
    // the holdout of a running experiment cannot change
    let (status, v) = m
        .api(
            Method::PUT,
            &format!("/api/experiments/{id}"),
            Some(json!({"name": "48h lift", "campaign": "upsell:t_minus_48h", "holdout_pct": 20})),
        )
        .await;
    assert_eq!(status, 409, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Stop it and start a new"),
        "{v}"
    );

    // appointments on Thursday at 10:00 (Chicago): the 48-hour text is decided on Tuesday 16:00Z
    m.t.clock.set(at("2026-11-23T15:00:00Z"));
    let rows: Vec<(String, usize)> = (0..CUSTOMERS).map(|i| (format!("A{i}"), i)).collect();
    m.import_csv(&appointments_csv(&rows, "11/26/2026")).await;
    let r = m.send_offers("2026-11-24T16:00:00Z").await;
    let decided = at("2026-11-24T16:00:00Z").timestamp();
    let arms: Vec<(i64, String, i64)> = {
        let c = m.t.conn();
        let mut s = c
            .prepare("SELECT lead_id, variant, assigned_at FROM experiment_assignments WHERE experiment_id = ?1 ORDER BY lead_id")
            .unwrap();
        s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(arms.len(), CUSTOMERS, "every customer assigned at the decision: {r}");
    let control: Vec<i64> = arms.iter().filter(|a| a.1 == "control").map(|a| a.0).collect();
    let treatment: Vec<i64> = arms.iter().filter(|a| a.1 == "treatment").map(|a| a.0).collect();
    assert!(control.len() >= 5 && treatment.len() >= 10, "{control:?} {treatment:?}");
    assert!(
        arms.iter().all(|a| a.2 == decided),
        "assigned at the moment the text was decided"
    );
    assert_eq!(r["counts"]["held_out"].as_u64(), Some(control.len() as u64), "{r}");
    for lead in &control {
        let q = format!(
            "SELECT count(*) FROM offer_sends WHERE lead_id = {lead} AND status = 'held_out' AND variant = 'control'
               AND experiment_id = {id} AND created_at = {decided} AND offer_id IS NOT NULL AND message_out_id IS NULL"
        );
        assert_eq!(count(&m.t, &q), 1, "a would-have-sent row for control lead {lead}");
        assert_eq!(
            count(
                &m.t,
                &format!("SELECT count(*) FROM messages_out WHERE lead_id = {lead}")
            ),
            0
        );
    }
    for lead in &treatment {
        let q = format!(
            "SELECT count(*) FROM offer_sends s JOIN messages_out o ON o.id = s.message_out_id
             WHERE s.lead_id = {lead} AND s.variant = 'treatment' AND s.experiment_id = {id}
               AND o.variant = 'treatment' AND o.experiment_id = {id}"
        );
        assert_eq!(count(&m.t, &q), 1, "treatment lead {lead} texted, stamped on both rows");
    }
    // the outbox drains: only treatment phones get a text
    let resp =
        m.t.client()
            .post(format!("{}/api/internal/tick?as_of=2026-11-24T16:01:00Z", m.t.url))
            .bearer_auth(&m.t.admin_key)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    // (other jobs may text too: only the offer's texts count here)
    let got: Vec<_> = m
        .stub
        .received()
        .into_iter()
        .filter(|g| g.form["Body"].contains("cabin air filter"))
        .collect();
    assert_eq!(got.len(), treatment.len());
    let texted: std::collections::HashSet<i64> = got
        .iter()
        .map(|g| {
            let to = g.form["To"].clone();
            count(&m.t, &format!("SELECT id FROM leads WHERE phone_e164 = '{to}'"))
        })
        .collect();
    assert!(control.iter().all(|c| !texted.contains(c)));

    // the bulk assignment finds nobody left to assign
    let resp =
        m.t.client()
            .post(format!(
                "{}/api/internal/experiment/assign?as_of=2026-11-24T17:00:00Z",
                m.t.url
            ))
            .bearer_auth(&m.t.admin_key)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    let bulk: Value = resp.json().await.unwrap();
    assert_eq!(bulk["experiments"], 1, "{bulk}");
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM experiment_assignments"),
        CUSTOMERS as i64
    );

    // some book another visit afterwards: 3 of control, 9 of treatment
    let index_of = |lead: i64| -> usize {
        let p: String =
            m.t.conn()
                .query_row("SELECT phone_e164 FROM leads WHERE id = ?1", [lead], |r| r.get(0))
                .unwrap();
        p[p.len() - 2..].parse::<usize>().unwrap() - 10
    };
    let booked_control: Vec<i64> = control.iter().take(3).copied().collect();
    let booked_treatment: Vec<i64> = treatment.iter().take(9).copied().collect();
    let rows: Vec<(String, usize)> = booked_control
        .iter()
        .chain(&booked_treatment)
        .map(|l| (format!("B{l}"), index_of(*l)))
        .collect();
    m.t.clock.set(at("2026-11-27T15:00:00Z"));
    m.import_csv(&appointments_csv(&rows, "12/15/2026")).await;
    assert_eq!(
        count(
            &m.t,
            "SELECT count(DISTINCT lead_id) FROM service_events WHERE external_id LIKE 'B%'"
        ),
        12
    );

    let (status, res) = m
        .api(
            Method::GET,
            &format!("/api/experiments/{id}/results?as_of=2026-11-30T16:00:00Z"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["primary"], "booked");
    let booked = res["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["measure"] == "booked")
        .unwrap()
        .clone();
    let (nc, nt) = (control.len() as f64, treatment.len() as f64);
    assert_eq!(booked["control"]["n"].as_u64(), Some(control.len() as u64), "{booked}");
    assert_eq!(booked["treatment"]["n"].as_u64(), Some(treatment.len() as u64));
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    assert!(close(&booked["control"]["mean"], 3.0 / nc), "{booked}");
    assert!(close(&booked["treatment"]["mean"], 9.0 / nt), "{booked}");
    assert!(close(&booked["absolute"]["estimate"], 9.0 / nt - 3.0 / nc), "{booked}");
    assert!(
        close(&booked["relative"]["estimate"], (9.0 / nt - 3.0 / nc) / (3.0 / nc)),
        "{booked}"
    );
    for interval in ["sequential", "fixed_horizon"] {
        let i = &booked["relative"][interval];
        assert!(i["ci_low"].as_f64().unwrap() < i["ci_high"].as_f64().unwrap(), "{i}");
        assert!(i["p_value_words"].is_string(), "{i}");
    }
    // the always-valid interval is the wider one
    let width = |k: &str| {
        booked["relative"][k]["ci_high"].as_f64().unwrap() - booked["relative"][k]["ci_low"].as_f64().unwrap()
    };
    assert!(width("sequential") > width("fixed_horizon"));
    assert!(res["srm"]["p_value"].is_f64(), "{res}");
    assert_eq!(res["trustworthy"], !res["srm"]["warning"].as_bool().unwrap());
    // nobody came in yet: no RO opened
    let kept = res["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["measure"] == "kept")
        .unwrap();
    assert_eq!(kept["treatment"]["mean"], 0.0);
    assert!(
        kept["relative"].is_null() && kept["no_lift_because"].is_string(),
        "{kept}"
    );

    // stop it: no more holdouts; a stopped experiment is not changed
    let (status, e) = m.api(Method::POST, &format!("/api/experiments/{id}/stop"), None).await;
    assert_eq!((status, e["status"].as_str()), (200, Some("stopped")), "{e}");
    let (status, _) = m.api(Method::POST, &format!("/api/experiments/{id}/start"), None).await;
    assert_eq!(status, 409);
    let (status, list) = m.api(Method::GET, "/api/experiments", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["experiments"].as_array().unwrap().len(), 2);
    let (status, _) = m.api(Method::GET, "/api/experiments/999999/results", None).await;
    assert_eq!(status, 404);
    // another account sees none of it
    let (_, other_key) =
        m.t.account("Hilltop Ford", forecourt::domain::account::Vertical::Automotive);
    for (method, path) in [
        (Method::GET, format!("/api/experiments/{id}")),
        (Method::GET, format!("/api/experiments/{id}/results")),
        (Method::POST, format!("/api/experiments/{any}/start")),
    ] {
        let resp =
            m.t.client()
                .request(method, format!("{}{path}", m.t.url))
                .bearer_auth(&other_key)
                .send()
                .await
                .unwrap();
        assert_eq!(resp.status(), 404, "{path}");
    }
    let resp =
        m.t.client()
            .get(format!("{}/api/experiments", m.t.url))
            .bearer_auth(&other_key)
            .send()
            .await
            .unwrap();
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["experiments"], json!([]));
}

#[tokio::test]
async fn the_experiments_pages_render_and_take_a_form() {
    let t = TestApp::spawn().await;
    let acct = crate::login::setup(&t);
    let session = crate::login::sign_in(&t).await;
    let c = t.client();
    let get = |path: String| {
        c.get(format!("{}{path}", t.url))
            .header("cookie", format!("fc_session={session}"))
            .send()
    };
    let resp = get("/experiments".into()).await.unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let csrf = hidden_input(&html, "csrf");
    // a bad form comes back with the error beside its field
    let post = |path: &str, form: Vec<(&str, &str)>| {
        c.post(format!("{}{path}", t.url))
            .header("cookie", format!("fc_session={session}"))
            .form(&form)
            .send()
    };
    let resp = post(
        "/experiments",
        vec![
            ("csrf", &csrf),
            ("name", "RO lift"),
            ("campaign", "upsell:ro_open"),
            ("holdout_pct", "80"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("must be from 1 to 50"));
    let resp = post(
        "/experiments",
        vec![("csrf", "forged"), ("name", "RO lift"), ("campaign", "upsell:ro_open")],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 403);
    let resp = post(
        "/experiments",
        vec![
            ("csrf", &csrf),
            ("name", "RO lift"),
            ("campaign", "upsell:ro_open"),
            ("holdout_pct", "10"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 303);
    let id = count(&t, "SELECT id FROM experiments WHERE name = 'RO lift'");
    let edit = |holdout: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", "RO lift".to_string()),
            ("campaign", "upsell:ro_open".to_string()),
            ("holdout_pct", holdout.to_string()),
            ("window_days", "14".to_string()),
        ]
    };
    let post_owned = |path: String, form: Vec<(&'static str, String)>| {
        c.post(format!("{}{path}", t.url))
            .header("cookie", format!("fc_session={session}"))
            .form(&form)
            .send()
    };
    // a draft is edited on its page
    let resp = post_owned(format!("/experiments/{id}"), edit("15")).await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        count(
            &t,
            &format!("SELECT holdout_pct * 100 + window_days FROM experiments WHERE id = {id}")
        ),
        1514
    );
    let resp = post(&format!("/experiments/{id}/start"), vec![("csrf", &csrf)])
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    // once running its holdout stays: the page says why
    let resp = post_owned(format!("/experiments/{id}"), edit("20")).await.unwrap();
    assert_eq!(resp.status(), 409);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Stop it and start a new experiment"));
    // twenty customers in the arms, some booked since: the page draws the lift's interval
    let now = t.clock_now();
    let conn = t.conn();
    for i in 0..20 {
        conn.execute(
            "INSERT INTO leads (account_id, source, created_at, updated_at) VALUES (?1, 'dms', 0, 0)",
            [acct],
        )
        .unwrap();
        let lead = conn.last_insert_rowid();
        let variant = if i < 10 { "control" } else { "treatment" };
        conn.execute(
            "INSERT INTO experiment_assignments (account_id, experiment_id, lead_id, variant, assigned_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![acct, id, lead, variant, now - 86_400],
        )
        .unwrap();
        if i % 10 < if i < 10 { 3 } else { 6 } {
            conn.execute(
                "INSERT INTO service_events (account_id, external_id, kind, lead_id, scheduled_at, created_at, updated_at)
                 VALUES (?1, ?2, 'appointment', ?3, ?4, ?4, ?4)",
                rusqlite::params![acct, format!("B{i}"), lead, now - 3600],
            )
            .unwrap();
        }
    }
    let resp = get(format!("/experiments/{id}")).await.unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("RO lift") && html.contains("<svg"), "{html}");
    // 15% set up, half observed in the holdout: the split is off and no lift is trusted
    assert!(
        html.contains("id=\"srm-warning\"") && html.contains("not trustworthy"),
        "{html}"
    );
    let resp = get("/".into()).await.unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"experiments-slot\"") && html.contains("RO lift"),
        "the dashboard card"
    );
    assert!(html.contains("split is off"), "the card marks an untrustworthy lift");
    let resp = post(&format!("/experiments/{id}/stop"), vec![("csrf", &csrf)])
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = get("/".into()).await.unwrap().text().await.unwrap();
    assert!(!html.contains("RO lift"), "a stopped experiment leaves the card");
}

#[tokio::test]
async fn a_surveys_experiment_asks_only_treatment_and_the_gate_comes_before_assignment() {
    let m = setup().await;
    let (account_id, now) = (m.account_id, m.t.clock_now());
    m.t.write(|tx| forecourt::surveys::seed_automotive(tx, account_id, now));
    let mut leads = Vec::new();
    for i in 0..20 {
        leads.push(
            m.lead(json!({"first_name": format!("Pat{i}"), "phone": phone(i), "state": "TX"}))
                .await,
        );
    }
    // words that may have revoked consent wait for a rep: the gate blocks automated texts
    m.t.conn()
        .execute(
            "INSERT INTO opt_out_reviews (account_id, lead_id, body, created_at) VALUES (?1, ?2, 'not now', 0)",
            [account_id, leads[0]],
        )
        .unwrap();
    let (status, e) = experiment(
        &m,
        json!({"name": "Survey lift", "campaign": "surveys", "holdout_pct": 50}),
    )
    .await;
    assert_eq!(status, 201, "{e}");
    let id = e["id"].as_i64().unwrap();
    let (status, _) = m.api(Method::POST, &format!("/api/experiments/{id}/start"), None).await;
    assert_eq!(status, 200);

    // Tuesday 24 November, 10:00 in Austin
    m.t.clock.set(at("2026-11-24T16:00:00Z"));
    let resp =
        m.t.client()
            .post(format!(
                "{}/api/internal/surveys/ask?as_of=2026-11-24T16:00:00Z",
                m.t.url
            ))
            .bearer_auth(&m.t.admin_key)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    let r: Value = resp.json().await.unwrap();
    let arm = |lead: i64| -> Option<String> {
        m.t.conn()
            .query_row(
                "SELECT variant FROM experiment_assignments WHERE experiment_id = ?1 AND lead_id = ?2",
                [id, lead],
                |r| r.get(0),
            )
            .ok()
    };
    assert_eq!(arm(leads[0]), None, "a customer the gate blocks is in neither arm");
    let control: Vec<i64> = leads[1..]
        .iter()
        .copied()
        .filter(|l| arm(*l).as_deref() == Some("control"))
        .collect();
    let treatment: Vec<i64> = leads[1..]
        .iter()
        .copied()
        .filter(|l| arm(*l).as_deref() == Some("treatment"))
        .collect();
    assert_eq!(control.len() + treatment.len(), 19, "{r}");
    assert_eq!(
        r["counts"]["held_out"].as_u64().unwrap_or(0),
        control.len() as u64,
        "{r}"
    );
    assert_eq!(
        r["counts"]["asked"].as_u64().unwrap_or(0),
        treatment.len() as u64,
        "{r}"
    );
    for lead in &control {
        assert_eq!(
            count(
                &m.t,
                &format!("SELECT count(*) FROM question_history WHERE lead_id = {lead}")
            ),
            0
        );
        assert_eq!(
            count(
                &m.t,
                &format!("SELECT count(*) FROM messages_out WHERE lead_id = {lead}")
            ),
            0
        );
    }
    for lead in &treatment {
        let q = format!(
            "SELECT count(*) FROM question_history h JOIN messages_out o ON o.id = h.message_out_id
             WHERE h.lead_id = {lead} AND o.experiment_id = {id} AND o.variant = 'treatment'"
        );
        assert_eq!(count(&m.t, &q), 1, "treatment lead {lead} asked, stamped");
    }
    // sticky: a later run keeps everyone where they were, at their first moment
    let before = count(&m.t, "SELECT sum(assigned_at) FROM experiment_assignments");
    m.t.clock.set(at("2026-12-10T16:00:00Z"));
    let resp =
        m.t.client()
            .post(format!(
                "{}/api/internal/surveys/ask?as_of=2026-12-10T16:00:00Z",
                m.t.url
            ))
            .bearer_auth(&m.t.admin_key)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        count(&m.t, "SELECT sum(assigned_at) FROM experiment_assignments"),
        before
    );
    for lead in &control {
        assert_eq!(
            count(
                &m.t,
                &format!("SELECT count(*) FROM question_history WHERE lead_id = {lead}")
            ),
            0
        );
    }
}

/// The results (and the dashboard card) read each customer's rows by index, never a whole table,
/// even on a new box whose planner has no statistics.
#[tokio::test]
async fn the_outcome_query_reads_by_index() {
    let t = TestApp::spawn().await;
    let plan = forecourt::store::experiments::explain_outcomes(&t.conn()).unwrap();
    // (`per` is the materialised list of the experiment's own customers, one row each)
    assert!(!scans_a_table(&plan.replace("SCAN per", "")), "{plan}");
    assert!(plan.contains("experiment_assignments"), "{plan}");
    assert!(
        !plan.contains("service_events_opened") && !plan.contains("offer_sends_account_created"),
        "{plan}"
    );
}

#[tokio::test]
async fn a_follow_ups_experiment_holds_out_control_from_the_cadence() {
    let m = setup().await;
    let r =
        m.t.client()
            .put(format!("{}/api/account/messaging", m.t.url))
            .bearer_auth(&m.key)
            .json(&json!({"followup_days": [0]}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    let (status, e) = experiment(
        &m,
        json!({"name": "Follow-up lift", "campaign": "followups", "holdout_pct": 50}),
    )
    .await;
    assert_eq!(status, 201, "{e}");
    let id = e["id"].as_i64().unwrap();
    let (status, _) = m.api(Method::POST, &format!("/api/experiments/{id}/start"), None).await;
    assert_eq!(status, 200);
    // new leads on Tuesday 09:00 in Austin: step 0 is due at once
    m.t.clock.set(at("2026-11-24T15:00:00Z"));
    let mut leads = Vec::new();
    for i in 0..12 {
        leads.push(
            m.lead(json!({"first_name": format!("Lee{i}"), "phone": phone(i)}))
                .await,
        );
    }
    m.tick("2026-11-24T15:00:00Z").await;
    let (mut control, mut treatment) = (0, 0);
    for lead in &leads {
        let variant: String =
            m.t.conn()
                .query_row(
                    "SELECT variant FROM experiment_assignments WHERE experiment_id = ?1 AND lead_id = ?2",
                    [id, *lead],
                    |r| r.get(0),
                )
                .unwrap();
        let followups = |extra: &str| {
            count(
                &m.t,
                &format!("SELECT count(*) FROM messages_out WHERE lead_id = {lead} AND purpose = 'followup' {extra}"),
            )
        };
        if variant == "control" {
            control += 1;
            assert_eq!(followups(""), 0, "control lead {lead} gets no follow-up");
        } else {
            treatment += 1;
            assert_eq!(
                followups(&format!("AND experiment_id = {id} AND variant = 'treatment'")),
                1
            );
        }
    }
    assert!(control > 0 && treatment > 0, "{control} / {treatment}");
    // later ticks keep control out
    m.tick("2026-11-24T15:10:00Z").await;
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM messages_out WHERE purpose = 'followup'"),
        treatment
    );
}
