//! The people editing while the contention bench's writers run: a manager changing a survey
//! question, reps confirming and correcting facts on customers' cards.

use super::Served;
use crate::error::{Error, Result};

/// A request's JSON answer.
async fn json_of(req: reqwest::RequestBuilder) -> Result<serde_json::Value> {
    req.send()
        .await
        .map_err(Error::internal)?
        .json()
        .await
        .map_err(Error::internal)
}

/// The question the bench's manager edits (the lowest priority one), with its fields as a
/// body for `PUT /api/questions/{id}`.
pub(super) async fn question_to_edit(http: &reqwest::Client, s: &Served) -> Result<(i64, serde_json::Value)> {
    let listed = json_of(http.get(format!("{}/api/questions", s.url)).bearer_auth(&s.api_key)).await?;
    let q = listed["questions"]
        .as_array()
        .and_then(|qs| qs.last())
        .ok_or_else(|| Error::internal(format!("no survey question to edit: {listed}")))?;
    let mut body = serde_json::Map::new();
    for field in [
        "fact_key",
        "prompt",
        "answer_type",
        "choices",
        "priority",
        "cooldown_days",
        "max_asks",
        "answer_within_hours",
        "fresh_for_days",
        "active",
    ] {
        if let Some(v) = q.get(field).filter(|v| !v.is_null()) {
            body.insert(field.into(), v.clone());
        }
    }
    let id = q["id"]
        .as_i64()
        .ok_or_else(|| Error::internal("a question without an id"))?;
    Ok((id, serde_json::Value::Object(body)))
}

/// `n` customers for the reps' fact edits, brought in through the lead webhook before the
/// writers start (their ids from its answers).
pub(super) async fn customers_for_facts(http: &reqwest::Client, s: &Served, n: usize) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let answer = json_of(
            http.post(format!("{}/api/leads/webhook", s.url))
                .bearer_auth(&s.api_key)
                .json(&serde_json::json!({
                    "first_name": "Fay", "last_name": format!("Facts{i}"),
                    "phone": format!("+1214555{:04}", 2000 + i), "state": "TX", "source": "website"
                })),
        )
        .await?;
        ids.push(
            answer["lead_id"]
                .as_i64()
                .ok_or_else(|| Error::internal(format!("the lead webhook gave no lead_id: {answer}")))?,
        );
    }
    Ok(ids)
}

/// Edit `i`: a rep sets the customer's mileage (and every third time their timeframe).
pub(super) fn fact_edit(http: &reqwest::Client, s: &Served, lead_id: i64, i: usize) -> reqwest::RequestBuilder {
    let (key, value) = if i % 3 == 2 {
        ("purchase_timeframe", serde_json::json!("next spring"))
    } else {
        ("mileage", serde_json::json!(30_000 + i * 100))
    };
    http.put(format!("{}/api/leads/{lead_id}/facts/{key}", s.url))
        .bearer_auth(&s.api_key)
        .json(&serde_json::json!({ "value": value }))
}
