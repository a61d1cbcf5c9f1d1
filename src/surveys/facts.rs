//! Facts a rep sets on a customer (on the card, or through the API): an unsure reading
//! confirmed, a wrong one corrected, or something learned on the phone. The entry is read by the
//! fact's answer type (its question's, or what the stored fact is) and must read surely; what is
//! set is sure and needs no review, and the customer's words it came from stay beside it.

use crate::db::WriteTx;
use crate::domain::questions::{read_rep_entry, AnswerType};
use crate::error::Result;
use crate::store;
use chrono::{DateTime, Utc};

/// How setting a fact went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Set,
    /// no such customer in the account
    NoSuchLead,
    /// a field to fix, and why
    Invalid {
        field: &'static str,
        message: String,
    },
}

/// Set the customer's `key` fact to what the rep wrote.
pub fn set_by_rep(
    tx: &WriteTx,
    account_id: i64,
    lead_id: i64,
    key: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    if store::leads::get(tx, account_id, lead_id)?.is_none() {
        return Ok(Outcome::NoSuchLead);
    }
    let questions = store::questions::list(tx, account_id)?;
    let question = questions.iter().find(|q| q.fact_key == key);
    let known = store::questions::facts(tx, account_id, lead_id)?
        .into_iter()
        .find(|f| f.key == key);
    // the value as it stands, given again: a confirmation, whatever a reader would make of it
    if let Some(f) = known.as_ref().filter(|f| f.value == text.trim()) {
        store::questions::set_by_rep(
            tx,
            account_id,
            lead_id,
            key,
            &f.value,
            f.unit.as_deref(),
            crate::clock::to_unix(now),
        )?;
        return Ok(Outcome::Set);
    }
    let answer_type = match (question, &known) {
        (Some(q), _) => q.answer_type,
        // its question was deleted: the facts the watchlist reads keep their types
        (None, Some(f)) => match (key, f.unit.as_deref()) {
            ("mileage", _) | (_, Some("miles")) => AnswerType::Mileage,
            ("purchase_timeframe", _) | (_, Some("bucket")) => AnswerType::Timeframe,
            ("trade_in_interest", _) => AnswerType::YesNo,
            _ => AnswerType::FreeText,
        },
        (None, None) => {
            let keys: Vec<&str> = questions.iter().map(|q| q.fact_key.as_str()).collect();
            return Ok(Outcome::Invalid {
                field: "key",
                message: format!(
                    "`{key}` is not a fact this store asks about (one of: {})",
                    keys.join(", ")
                ),
            });
        }
    };
    let choices = question.and_then(|q| q.choices.clone()).unwrap_or_default();
    let tz = store::accounts::get(tx, account_id)?.timezone;
    let answer = match read_rep_entry(answer_type, text, &choices, now, tz) {
        Ok(a) => a,
        Err(message) => {
            return Ok(Outcome::Invalid {
                field: "value",
                message,
            })
        }
    };
    store::questions::set_by_rep(
        tx,
        account_id,
        lead_id,
        key,
        &answer.stored,
        answer.unit,
        crate::clock::to_unix(now),
    )?;
    tracing::info!(lead_id, fact = key, "a fact set by a rep");
    Ok(Outcome::Set)
}
