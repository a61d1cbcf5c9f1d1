//! Survey questions (question_policy), what was asked (question_history) and what was learned
//! (conv_facts), for the survey capability (src/surveys/).

use super::{json, Cached};
use crate::db::WriteTx;
use crate::domain::questions::{AnswerType, Asked, LeadSurveys, QuestionRule, ValidQuestion};
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension};

/// A question as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Question {
    pub id: i64,
    pub fact_key: String,
    pub prompt: String,
    pub answer_type: AnswerType,
    pub choices: Option<Vec<String>>,
    pub priority: i64,
    pub cooldown_days: i64,
    pub max_asks: i64,
    pub answer_within_hours: i64,
    pub fresh_for_days: Option<i64>,
    pub active: bool,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub updated_at: i64,
}

impl Question {
    pub fn rule(&self) -> QuestionRule {
        QuestionRule {
            id: self.id,
            fact_key: self.fact_key.clone(),
            priority: self.priority,
            cooldown_days: self.cooldown_days,
            max_asks: self.max_asks,
            fresh_for_days: self.fresh_for_days,
            active: self.active,
        }
    }
}

const COLUMNS: &str = "id, fact_key, prompt, answer_type, choices_json, priority, cooldown_days, max_asks,
    answer_within_hours, fresh_for_days, active, created_at, updated_at";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Question> {
    let id: i64 = r.get(0)?;
    Ok(Question {
        id,
        fact_key: r.get(1)?,
        prompt: r.get(2)?,
        answer_type: r.get(3)?,
        choices: json::column_opt(r, 4, || format!("question_policy {id} choices_json"))?,
        priority: r.get(5)?,
        cooldown_days: r.get(6)?,
        max_asks: r.get(7)?,
        answer_within_hours: r.get(8)?,
        fresh_for_days: r.get(9)?,
        active: r.get(10)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
    })
}

/// The account's questions, highest priority first.
pub fn list(conn: &Connection, account_id: i64) -> Result<Vec<Question>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM question_policy WHERE account_id = ?1 ORDER BY priority DESC, id"
    ))?;
    let rows = stmt
        .query_map([account_id], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, account_id: i64, id: i64) -> Result<Option<Question>> {
    Ok(conn
        .query_row_cached(
            &format!("SELECT {COLUMNS} FROM question_policy WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
            from_row,
        )
        .optional()?)
}

fn choices_text(q: &ValidQuestion) -> Result<Option<String>> {
    q.choices.as_ref().map(json::text).transpose()
}

fn taken(fact_key: &str) -> Error {
    Error::Conflict(format!("a question already fills `{fact_key}`: edit that one"))
}

/// Add a question; a second question for the same fact is a conflict.
pub fn insert(conn: &WriteTx, account_id: i64, q: &ValidQuestion, now: i64) -> Result<i64> {
    let choices = choices_text(q)?;
    let inserted = conn
        .query_row_cached(
            "INSERT INTO question_policy (account_id, fact_key, prompt, answer_type, choices_json, priority, cooldown_days,
                 max_asks, answer_within_hours, fresh_for_days, active, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
             ON CONFLICT (account_id, fact_key) DO NOTHING RETURNING id",
            params![
                account_id,
                q.fact_key,
                q.prompt,
                q.answer_type,
                choices,
                q.priority,
                q.cooldown_days,
                q.max_asks,
                q.answer_within_hours,
                q.fresh_for_days,
                q.active,
                now
            ],
            |r| r.get(0),
        )
        .optional()?;
    inserted.ok_or_else(|| taken(&q.fact_key))
}

/// Replace a question's fields; false when the account has no such question.
pub fn update(conn: &WriteTx, account_id: i64, id: i64, q: &ValidQuestion, now: i64) -> Result<bool> {
    let clash = conn
        .query_row_cached(
            "SELECT 1 FROM question_policy WHERE account_id = ?1 AND fact_key = ?2 AND id <> ?3",
            params![account_id, q.fact_key, id],
            |_| Ok(()),
        )
        .optional()?;
    if clash.is_some() {
        return Err(taken(&q.fact_key));
    }
    let choices = choices_text(q)?;
    Ok(conn.execute_cached(
        "UPDATE question_policy SET fact_key = ?3, prompt = ?4, answer_type = ?5, choices_json = ?6, priority = ?7,
             cooldown_days = ?8, max_asks = ?9, answer_within_hours = ?10, fresh_for_days = ?11, active = ?12,
             updated_at = ?13
         WHERE account_id = ?1 AND id = ?2",
        params![
            account_id,
            id,
            q.fact_key,
            q.prompt,
            q.answer_type,
            choices,
            q.priority,
            q.cooldown_days,
            q.max_asks,
            q.answer_within_hours,
            q.fresh_for_days,
            q.active,
            now
        ],
    )? == 1)
}

/// Remove a question (what it asked stays in the history, unlinked); false when there is none.
pub fn delete(conn: &WriteTx, account_id: i64, id: i64) -> Result<bool> {
    Ok(conn.execute_cached(
        "DELETE FROM question_policy WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )? == 1)
}

/// Mark open questions whose answer window has passed as `expired` (ignored); returns how many.
pub fn expire_unanswered(conn: &WriteTx, now: i64) -> Result<usize> {
    // the shortest window is an hour: only questions older than that can have run out
    Ok(conn.execute_cached(
        "UPDATE question_history SET status = 'expired'
         WHERE status = 'asked' AND asked_at <= ?1 - 3600
           AND asked_at + 3600 * coalesce(
                 (SELECT p.answer_within_hours FROM question_policy p WHERE p.id = question_history.question_policy_id), 72)
               <= ?1",
        [now],
    )?)
}

/// Up to `limit` of the account's textable customers after lead id `after`, by id: the
/// orchestrator's walk (its cursor is `accounts.survey_cursor`).
pub fn walk(conn: &Connection, account_id: i64, after: i64, limit: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM leads
         WHERE id > ?2 AND account_id = ?1 AND phone_e164 IS NOT NULL AND textable = 1 AND opted_out = 0
         ORDER BY id LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![account_id, after, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn cursor(conn: &Connection, account_id: i64) -> Result<i64> {
    Ok(
        conn.query_row_cached("SELECT survey_cursor FROM accounts WHERE id = ?1", [account_id], |r| {
            r.get(0)
        })?,
    )
}

pub fn set_cursor(conn: &WriteTx, account_id: i64, cursor: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE accounts SET survey_cursor = ?2 WHERE id = ?1",
        params![account_id, cursor],
    )?;
    Ok(())
}

/// What the lead has been asked and has told us.
pub fn lead_surveys(conn: &Connection, lead_id: i64) -> Result<LeadSurveys> {
    let mut out = LeadSurveys::default();
    let mut stmt = conn.prepare_cached(
        "SELECT question_policy_id, count(*), sum(status = 'expired'), max(CASE WHEN status = 'expired' THEN asked_at END),
                max(asked_at), max(status = 'asked')
         FROM question_history WHERE lead_id = ?1 GROUP BY question_policy_id",
    )?;
    let mut rows = stmt.query([lead_id])?;
    while let Some(r) = rows.next()? {
        let last: i64 = r.get(4)?;
        out.last_asked_at = Some(out.last_asked_at.map_or(last, |t| t.max(last)));
        out.open |= r.get::<_, bool>(5)?;
        if let Some(question_id) = r.get::<_, Option<i64>>(0)? {
            out.asked.push(Asked {
                question_id,
                asks: r.get(1)?,
                ignored: r.get(2)?,
                last_ignored_at: r.get(3)?,
            });
        }
    }
    let mut stmt = conn.prepare_cached("SELECT key, observed_at FROM conv_facts WHERE lead_id = ?1")?;
    out.facts = stmt
        .query_map([lead_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// Open a question to the lead; None when one is open already (another run asked first).
pub fn open(conn: &WriteTx, account_id: i64, lead_id: i64, q: &Question, now: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row_cached(
            "INSERT INTO question_history (account_id, lead_id, question_policy_id, fact_key, status, asked_at)
             VALUES (?1, ?2, ?3, ?4, 'asked', ?5)
             ON CONFLICT (lead_id) WHERE status = 'asked' DO NOTHING RETURNING id",
            params![account_id, lead_id, q.id, q.fact_key, now],
            |r| r.get(0),
        )
        .optional()?)
}

/// The text that asked it.
pub fn set_message(conn: &WriteTx, question_history_id: i64, message_out_id: i64) -> Result<()> {
    conn.execute_cached(
        "UPDATE question_history SET message_out_id = ?2 WHERE id = ?1",
        params![question_history_id, message_out_id],
    )?;
    Ok(())
}

/// Close an ask the gate blocked: it was never put to the customer.
pub fn withdraw(conn: &WriteTx, question_history_id: i64) -> Result<()> {
    conn.execute_cached("DELETE FROM question_history WHERE id = ?1", [question_history_id])?;
    Ok(())
}

/// A question waiting for the lead's answer.
#[derive(Debug, Clone)]
pub struct OpenQuestion {
    pub id: i64,
    pub fact_key: String,
    pub asked_at: i64,
    /// None when its policy was deleted since
    pub question: Option<Question>,
}

/// The lead's open question, if any.
pub fn open_for_lead(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Option<OpenQuestion>> {
    let row: Option<(i64, String, i64, Option<i64>)> = conn
        .query_row_cached(
            "SELECT id, fact_key, asked_at, question_policy_id FROM question_history
             WHERE lead_id = ?1 AND status = 'asked' AND +account_id = ?2",
            params![lead_id, account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, fact_key, asked_at, policy)) = row else {
        return Ok(None);
    };
    let question = match policy {
        Some(p) => get(conn, account_id, p)?,
        None => None,
    };
    Ok(Some(OpenQuestion {
        id,
        fact_key,
        asked_at,
        question,
    }))
}

/// Close an open question with the customer's answer: `answered` (with the value read) or
/// `unparsed`.
pub fn close(
    conn: &WriteTx,
    question_history_id: i64,
    answered: bool,
    answer_message_id: i64,
    parsed_value: Option<&str>,
    at: i64,
) -> Result<()> {
    conn.execute_cached(
        "UPDATE question_history SET status = CASE WHEN ?2 THEN 'answered' ELSE 'unparsed' END,
             answer_message_id = ?3, parsed_value = ?4, answered_at = ?5
         WHERE id = ?1 AND status = 'asked'",
        params![question_history_id, answered, answer_message_id, parsed_value, at],
    )?;
    Ok(())
}

/// A fact learned about a customer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fact {
    pub key: String,
    pub value: String,
    pub unit: Option<String>,
    pub confidence: f64,
    pub needs_review: bool,
    pub source: String,
    pub source_message_id: Option<i64>,
    /// the customer's words, when the fact came from a text
    pub source_text: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::serialize")]
    pub observed_at: i64,
}

/// What is known about the customer now, one value per fact (the newest answer supersedes; the
/// answers before it stay in question_history).
pub fn facts(conn: &Connection, account_id: i64, lead_id: i64) -> Result<Vec<Fact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.key, f.value, f.unit, f.confidence, f.needs_review, f.source, f.source_message_id, m.body, f.observed_at
         FROM conv_facts f LEFT JOIN messages_in m ON m.id = f.source_message_id
         WHERE f.lead_id = ?1 AND f.account_id = ?2 ORDER BY f.key",
    )?;
    let rows = stmt
        .query_map(params![lead_id, account_id], |r| {
            Ok(Fact {
                key: r.get(0)?,
                value: r.get(1)?,
                unit: r.get(2)?,
                confidence: r.get(3)?,
                needs_review: r.get(4)?,
                source: r.get(5)?,
                source_message_id: r.get(6)?,
                source_text: r.get(7)?,
                observed_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A fact a survey answer taught: it replaces the customer's value for that key.
pub struct NewFact<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub unit: Option<&'a str>,
    pub confidence: f64,
    pub needs_review: bool,
    pub source_message_id: i64,
    pub at: i64,
}

pub fn record_fact(conn: &WriteTx, account_id: i64, lead_id: i64, f: &NewFact) -> Result<()> {
    conn.execute_cached(
        "INSERT INTO conv_facts (account_id, lead_id, key, value, unit, confidence, needs_review, source,
                                 source_message_id, observed_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'survey', ?8, ?9, ?9)
         ON CONFLICT (lead_id, key) DO UPDATE SET value = excluded.value, unit = excluded.unit,
             confidence = excluded.confidence, needs_review = excluded.needs_review, source = excluded.source,
             source_message_id = excluded.source_message_id, observed_at = excluded.observed_at,
             updated_at = excluded.updated_at",
        params![
            account_id,
            lead_id,
            f.key,
            f.value,
            f.unit,
            f.confidence,
            f.needs_review,
            f.source_message_id,
            f.at
        ],
    )?;
    Ok(())
}

/// A fact a rep set (confirmed, corrected, or learned another way): sure, needing no review,
/// with the customer's words it came from kept. A confirmation (the same value) keeps when it was
/// learned; a new value is learned now.
pub fn set_by_rep(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    key: &str,
    value: &str,
    unit: Option<&str>,
    now: i64,
) -> Result<()> {
    conn.execute_cached(
        "INSERT INTO conv_facts (account_id, lead_id, key, value, unit, confidence, needs_review, source,
                                 observed_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 1.0, 0, 'manual', ?6, ?6)
         ON CONFLICT (lead_id, key) DO UPDATE SET
             observed_at = CASE WHEN conv_facts.value = excluded.value THEN conv_facts.observed_at ELSE excluded.observed_at END,
             value = excluded.value, unit = excluded.unit, confidence = 1.0, needs_review = 0, source = 'manual',
             updated_at = excluded.updated_at",
        params![account_id, lead_id, key, value, unit, now],
    )?;
    Ok(())
}

/// How one question fared with the customers it was asked since a moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionFigures {
    pub question_id: i64,
    pub asked: i64,
    pub answered: i64,
    /// replied, but not an answer that could be read
    pub unreadable: i64,
    /// no reply within the answer window
    pub ignored: i64,
}

impl QuestionFigures {
    /// answered of those whose answer window is over (None before any is)
    pub fn answer_rate(&self) -> Option<f64> {
        let closed = self.answered + self.unreadable + self.ignored;
        (closed > 0).then(|| self.answered as f64 / closed as f64)
    }
}

/// Each of the account's questions asked since `since`, with how its asks ended (through the
/// account's asks by time: the window's rows only).
pub fn figures(conn: &Connection, account_id: i64, since: i64) -> Result<Vec<QuestionFigures>> {
    let mut stmt = conn.prepare_cached(
        "SELECT question_policy_id, count(*), sum(status = 'answered'), sum(status = 'unparsed'), sum(status = 'expired')
         FROM question_history WHERE account_id = ?1 AND asked_at >= ?2 AND question_policy_id IS NOT NULL
         GROUP BY question_policy_id",
    )?;
    let rows = stmt
        .query_map(params![account_id, since], |r| {
            Ok(QuestionFigures {
                question_id: r.get(0)?,
                asked: r.get(1)?,
                answered: r.get(2)?,
                unreadable: r.get(3)?,
                ignored: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What surveys know across the account, for the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// customers with a mileage and a purchase-timeframe fact observed since `fresh_since`
    pub covered: i64,
    /// questions asked since `since` that were answered
    pub answered: i64,
    /// questions asked since `since` whose answer window is over (answered, unreadable or ignored)
    pub closed: i64,
}

pub fn coverage(conn: &Connection, account_id: i64, fresh_since: i64, since: i64) -> Result<Coverage> {
    let covered = conn.query_row_cached(
        "SELECT count(*) FROM (SELECT lead_id FROM conv_facts
                               WHERE account_id = ?1 AND key IN ('mileage', 'purchase_timeframe') AND observed_at >= ?2
                               GROUP BY lead_id HAVING count(DISTINCT key) = 2)",
        params![account_id, fresh_since],
        |r| r.get(0),
    )?;
    let (answered, closed) = conn.query_row_cached(
        "SELECT coalesce(sum(status = 'answered'), 0), coalesce(sum(status <> 'asked'), 0)
         FROM question_history WHERE account_id = ?1 AND asked_at >= ?2",
        params![account_id, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Coverage {
        covered,
        answered,
        closed,
    })
}
