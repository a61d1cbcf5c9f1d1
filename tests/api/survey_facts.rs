//! A rep sets a customer's facts: confirms an unsure reading, corrects it, or adds what the
//! customer said on the phone, on the card and through `PUT /api/leads/{id}/facts/{key}`; a bad
//! entry is named beside its field and nothing is written. Over real HTTP with the fixed clock.

use crate::messaging::{count, setup};
use crate::surveys::{asked_bea, facts, BEA};
use forecourt::domain::account::Vertical;
use serde_json::json;

#[tokio::test]
async fn a_rep_confirms_an_unsure_reading_corrects_it_or_adds_one_learned_on_the_phone() {
    let m = setup().await;
    let bea = asked_bea(&m).await;
    m.t.clock.set(crate::support::at("2026-11-24T17:00:00Z"));
    // a bare "2" reads as 2,000 miles, unsure (a new car)
    m.inbound("SMf1", BEA, "2").await;
    let said_at = facts(&m, bea).await[0]["observed_at"].clone();

    let rep = crate::conversation::sign_in(&m).await;
    let (_, html) = rep.get(&m, &format!("/threads/{bea}")).await;
    assert!(
        html.contains("needs review") && html.contains("Confirm 2,000 miles"),
        "{html}"
    );
    let csrf = crate::support::hidden_input(&html, "csrf");
    let path = format!("/threads/{bea}/facts");

    // confirm (the button's own value): sure now, from the same words, learned when the
    // customer said it
    let confirm = crate::support::hidden_input(&html, "value");
    assert_eq!(confirm, "2000");
    m.t.clock.set(crate::support::at("2026-11-24T20:00:00Z"));
    let (status, html) = rep
        .post(&m, &path, &[("csrf", &csrf), ("key", "mileage"), ("value", &confirm)])
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        !html.contains("needs review") && html.contains("set by a rep; the customer wrote &#34;2&#34;"),
        "{html}"
    );
    let f = &facts(&m, bea).await[0];
    assert_eq!(
        (f["value"].as_str(), f["needs_review"].as_bool(), f["source"].as_str()),
        (Some("2000"), Some(false), Some("manual"))
    );
    assert_eq!((f["confidence"].as_f64(), &f["observed_at"]), (Some(1.0), &said_at));

    // an entry that cannot be read surely is named beside the fact, and nothing changes
    let (status, html) = rep
        .post(&m, &path, &[("csrf", &csrf), ("key", "mileage"), ("value", "54")])
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("`54` could mean more than one thing: write the miles, e.g. 54,000"),
        "{html}"
    );
    assert!(html.contains("value=\"54\""), "what was typed stays: {html}");
    assert_eq!(facts(&m, bea).await[0]["value"], "2000");

    // a correction is learned now
    let (status, _) = rep
        .post(
            &m,
            &path,
            &[("csrf", &csrf), ("key", "mileage"), ("value", "52,300 miles")],
        )
        .await;
    assert_eq!(status, 200);
    let f = &facts(&m, bea).await[0];
    assert_eq!(f["value"], "52300");
    assert_eq!(f["observed_at"], "2026-11-24T20:00:00Z");

    // something said on the phone, added from the card
    let (status, html) = rep
        .post(
            &m,
            &path,
            &[("csrf", &csrf), ("key", "purchase_timeframe"), ("value", "someday")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("`someday` could mean more than one thing: write when, e.g."),
        "{html}"
    );
    let (status, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("key", "purchase_timeframe"),
                ("value", "not for a year or two"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("in more than a year"), "{html}");

    // a form from another page's session is refused, and nothing is written
    let (status, _) = rep
        .post(&m, &path, &[("csrf", "stale"), ("key", "mileage"), ("value", "60000")])
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        count(
            &m.t,
            &format!("SELECT count(*) FROM conv_facts WHERE lead_id = {bea} AND value = '60000'")
        ),
        0
    );
}

#[tokio::test]
async fn the_api_sets_a_fact_by_its_type_names_bad_fields_and_keeps_to_the_account() {
    let m = setup().await;
    let bea = asked_bea(&m).await;
    let put = |key: &str, body: serde_json::Value| {
        let path = format!("/api/leads/{bea}/facts/{key}");
        let m = &m;
        async move { m.api(reqwest::Method::PUT, &path, Some(body)).await }
    };
    let (status, v) = put("trade_in_interest", json!({"value": true})).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["facts"][0]["key"], "trade_in_interest");
    assert_eq!(v["facts"][0]["value"], "yes");
    let value_of = |v: &serde_json::Value, key: &str| {
        v["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .map(|f| f["value"].clone())
    };
    let (status, v) = put("mileage", json!({"value": 61250})).await;
    assert_eq!((status, value_of(&v, "mileage")), (200, Some(json!("61250"))), "{v}");
    // a number of miles that a customer's reply would take for a model year
    let (status, v) = put("mileage", json!({"value": 2015})).await;
    assert_eq!((status, value_of(&v, "mileage")), (200, Some(json!("2015"))), "{v}");
    let (status, v) = put("purchase_timeframe", json!({"value": {"bucket": "6-12m"}})).await;
    assert_eq!(
        (status, value_of(&v, "purchase_timeframe")),
        (200, Some(json!("6-12m"))),
        "{v}"
    );
    let (status, v) = put("primary_use", json!({"value": "mostly the school run"})).await;
    assert_eq!(
        (status, value_of(&v, "primary_use")),
        (200, Some(json!("family"))),
        "{v}"
    );

    for (key, body, names) in [
        (
            "trade_in_interest",
            json!({"value": "maybe"}),
            "value: `maybe` cannot be read: write yes or no",
        ),
        (
            "primary_use",
            json!({"value": "racing"}),
            "value: `racing` cannot be read: write one of: commuting, family, work, weekends",
        ),
        ("mileage", json!({}), "value: is required"),
        ("mileage", json!({"value": [1]}), "value: must be a string"),
        (
            "shoe_size",
            json!({"value": "10"}),
            "key: `shoe_size` is not a fact this store asks about",
        ),
    ] {
        let (status, v) = put(key, body).await;
        assert_eq!(status, 422, "{key}: {v}");
        assert!(v["error"]["message"].as_str().unwrap().contains(names), "{key}: {v}");
    }
    // a fact whose question was deleted keeps its type: a trade-in answer is still yes or no
    let (_, listed) = m.api(reqwest::Method::GET, "/api/questions", None).await;
    let trade_in = listed["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["fact_key"] == "trade_in_interest")
        .unwrap()["id"]
        .clone();
    let (status, _) = m
        .api(reqwest::Method::DELETE, &format!("/api/questions/{trade_in}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, v) = put("trade_in_interest", json!({"value": "maybe later"})).await;
    assert_eq!(status, 422, "{v}");
    let (status, v) = put("trade_in_interest", json!({"value": "no"})).await;
    assert_eq!(
        (status, value_of(&v, "trade_in_interest")),
        (200, Some(json!("no"))),
        "{v}"
    );
    let (status, _) = m
        .api(
            reqwest::Method::PUT,
            "/api/leads/999999/facts/mileage",
            Some(json!({"value": "1000"})),
        )
        .await;
    assert_eq!(status, 404);
    // another store's key cannot touch this customer
    let (_, other) = m.t.account("Hillside Ford", Vertical::Automotive);
    let resp =
        m.t.client()
            .put(format!("{}/api/leads/{bea}/facts/mileage", m.t.url))
            .bearer_auth(other)
            .json(&json!({"value": "1000"}))
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(facts(&m, bea).await.iter().filter(|f| f["key"] == "mileage").count(), 1);
    assert_eq!(count(&m.t, "SELECT count(*) FROM conv_facts WHERE value = '1000'"), 0);
}
