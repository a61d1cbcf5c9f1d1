//! The survey capability: one short question at a time, chosen per customer from the account's
//! questions (`domain::questions::pick`), drafted, and sent through the one outbox with purpose
//! `survey`. (Reading the answers is `surveys::answers`, an inbound listener.)
//!
//! Each run walks a bounded number of each account's customers from where the last run stopped
//! (`accounts.survey_cursor`, by lead id: a primary-key range, never a scan of every customer),
//! picks a question for those who are due one, drafts them, and writes each ask in its own
//! short write: the open question first (a unique index allows one open question per customer,
//! so two runs at once cannot both ask), then the text, through the gate.

pub mod answers;
pub mod facts;

use crate::clock::to_unix;
use crate::domain::compliance::Purpose;
use crate::domain::experiments::Campaign;
use crate::domain::messages::MessageStatus;
use crate::domain::questions::{self, QuestionInput};
use crate::drafting::{DraftContext, DraftKind};
use crate::error::{Error, Result};
use crate::messaging::outbox::{self, SendRequest};
use crate::messaging::Services;
use crate::store::{self, questions::Question};
use chrono::{DateTime, Utc};

/// Who writes the survey texts (their `created_by`), and the job's name.
pub const SENDER: &str = "surveys.ask";

/// Customers looked at per account per run; the rest wait for the next run.
pub const PER_RUN: i64 = 200;

/// The questions a new automotive account starts with (fixtures/question_policy.json).
const AUTOMOTIVE: &str = include_str!("../../fixtures/question_policy.json");

/// Give an account the seeded automotive questions (those whose fact it has no question for).
pub fn seed_automotive(tx: &crate::db::WriteTx, account_id: i64, now: i64) -> Result<usize> {
    let inputs: Vec<QuestionInput> =
        serde_json::from_str(AUTOMOTIVE).map_err(|e| Error::internal(format!("fixtures/question_policy.json: {e}")))?;
    let mut added = 0;
    for input in &inputs {
        let q = questions::check_question(input)
            .map_err(|e| Error::internal(format!("fixtures/question_policy.json: {e:?}")))?;
        match store::questions::insert(tx, account_id, &q, now) {
            Ok(_) => added += 1,
            Err(Error::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(added)
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AskReport {
    /// customers looked at
    pub looked_at: usize,
    /// questions texted (queued or held by the gate until it allows them)
    pub asked: usize,
    /// picked, but the gate blocked the text: nothing was asked
    pub blocked: usize,
    /// another run asked the customer first
    pub raced: usize,
    /// in the control arm of a running surveys experiment: not asked (the moment is their assignment)
    pub held_out: usize,
    /// open questions whose answer window passed (counted as ignored)
    pub expired: usize,
}

/// One question for one customer, drafted and ready to write.
struct Ask {
    account_id: i64,
    lead_id: i64,
    question: Question,
    body: String,
}

/// Ask every account's due customers (a bounded number each) as of `now`.
pub async fn ask_due(app: &Services, now: DateTime<Utc>) -> Result<AskReport> {
    let t = to_unix(now);
    let mut report = AskReport {
        expired: app
            .db
            .write(move |tx| store::questions::expire_unanswered(tx, t))
            .await?,
        ..Default::default()
    };
    let accounts = app.db.call(|c| store::accounts::list(c)).await?;
    for account in accounts {
        let account_id = account.id;
        let (picks, looked_at, next_cursor) = app
            .db
            .call(move |c| {
                let qs = store::questions::list(c, account_id)?;
                if !qs.iter().any(|q| q.active) {
                    return Ok((Vec::new(), 0, None));
                }
                let rules: Vec<_> = qs.iter().map(Question::rule).collect();
                let after = store::questions::cursor(c, account_id)?;
                let leads = store::questions::walk(c, account_id, after, PER_RUN)?;
                // at the end of the customers, the next run starts again from the first
                let next = if (leads.len() as i64) < PER_RUN {
                    0
                } else {
                    *leads.last().unwrap_or(&0)
                };
                let mut picks = Vec::new();
                for &lead_id in &leads {
                    let state = store::questions::lead_surveys(c, lead_id)?;
                    if let Some(rule) = questions::pick(&rules, &state, t) {
                        if let Some(q) = qs.iter().find(|q| q.id == rule.id) {
                            let lead = store::leads::get(c, account_id, lead_id)?;
                            let vehicle = store::vehicles::current_for_lead(c, account_id, lead_id)?;
                            picks.push((lead_id, q.clone(), lead.and_then(|l| l.first_name), vehicle));
                        }
                    }
                }
                Ok((picks, leads.len(), Some(next)))
            })
            .await?;
        report.looked_at += looked_at;
        for (lead_id, question, first_name, vehicle) in picks {
            let text = questions::render_prompt(
                &question.prompt,
                first_name.as_deref(),
                vehicle.as_deref(),
                &account.name,
            );
            let ctx = DraftContext {
                kind: DraftKind::Survey {
                    question: text,
                    choices: question.choices.clone().unwrap_or_default(),
                },
                account_name: account.name.clone(),
                first_name,
                vehicle,
                booking_url: None,
            };
            let body = app.drafter.draft(&ctx).await.body;
            let ask = Ask {
                account_id,
                lead_id,
                question,
                body,
            };
            match app.db.write(move |tx| write_ask(tx, &ask, now)).await? {
                Written::Asked => report.asked += 1,
                Written::Blocked => report.blocked += 1,
                Written::Raced => report.raced += 1,
                Written::HeldOut => report.held_out += 1,
            }
        }
        if let Some(next) = next_cursor {
            app.db
                .write(move |tx| store::questions::set_cursor(tx, account_id, next))
                .await?;
        }
    }
    Ok(report)
}

enum Written {
    Asked,
    Blocked,
    Raced,
    HeldOut,
}

/// Open the question, then text it through the gate; a blocked text asks nothing.
fn write_ask(tx: &crate::db::WriteTx, ask: &Ask, now: DateTime<Utc>) -> Result<Written> {
    let t = to_unix(now);
    // the answer is waited for this long; a question still held by then is pointless
    let expires_at = now + chrono::Duration::hours(ask.question.answer_within_hours);
    // the moment the question would be asked is the customer's assignment to a running surveys
    // experiment (after the gate); the control arm is not asked
    let arm = crate::experiments::assign::at_decision(
        tx,
        ask.account_id,
        ask.lead_id,
        &[Campaign::Surveys.as_str()],
        Purpose::Survey,
        Some(expires_at),
        now,
    )?;
    if crate::experiments::assign::held_out(&arm) {
        return Ok(Written::HeldOut);
    }
    let Some(history_id) = store::questions::open(tx, ask.account_id, ask.lead_id, &ask.question, t)? else {
        return Ok(Written::Raced);
    };
    let mut req = SendRequest::new(ask.account_id, ask.lead_id, Purpose::Survey, ask.body.clone(), SENDER);
    req.experiment = arm;
    req.expires_at = Some(expires_at);
    let out = outbox::enqueue(tx, &req, now)?;
    if out.status == MessageStatus::Blocked {
        store::questions::withdraw(tx, history_id)?;
        return Ok(Written::Blocked);
    }
    store::questions::set_message(tx, history_id, out.message_id)?;
    Ok(Written::Asked)
}
