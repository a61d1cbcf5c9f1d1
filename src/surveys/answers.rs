//! A customer's reply to an open survey question, read into a fact: an inbound listener
//! (registered on the App before the offer replies), inside the inbound transaction, after
//! STOP/START/HELP and free-text opt-outs, so an opt-out is never read as an answer.
//!
//! A reply within the question's answer window is read for its answer type
//! (`domain::questions::read_answer`). Read: the fact is stored with its confidence and the
//! question closed `answered`; a sure reading is thanked, an unsure one (confidence < 0.6) is
//! kept as "needs review" and left unanswered so the rep sees the conversation in "needs
//! reply". Not read: the question is closed `unparsed` and the text goes on to the rest of
//! the inbound path (a draft for the rep). When the last text the customer got is an offer
//! waiting for a yes or no, the reply is the offer's.

use crate::db::WriteTx;
use crate::domain::offers::title_case;
use crate::domain::questions::read_answer;
use crate::error::Result;
use crate::messaging::inbound::{Claim, InboundContext, InboundListener};
use crate::messaging::outbox;
use crate::store::{self, questions::NewFact};

pub struct SurveyAnswers;

impl InboundListener for SurveyAnswers {
    fn name(&self) -> &'static str {
        "survey_answers"
    }

    fn handle(&self, conn: &WriteTx, ctx: &InboundContext) -> Result<Option<Claim>> {
        let account_id = ctx.account.account.id;
        let received = crate::clock::to_unix(ctx.received_at);
        let Some(open) = store::questions::open_for_lead(conn, account_id, ctx.lead.id)? else {
            return Ok(None);
        };
        let Some(question) = open.question else {
            return Ok(None);
        };
        if open.asked_at + question.answer_within_hours * 3600 < received {
            // too late for this question: the expiry will count it ignored
            return Ok(None);
        }
        if store::offer_sends::awaiting_reply(conn, account_id, ctx.lead.id, received)?.is_some() {
            return Ok(None);
        }
        let tz = ctx.account.account.timezone;
        let choices = question.choices.clone().unwrap_or_default();
        let Some(answer) = read_answer(question.answer_type, ctx.body, &choices, ctx.received_at, tz) else {
            store::questions::close(conn, open.id, false, ctx.message_in_id, None, received)?;
            tracing::info!(
                question_history_id = open.id,
                "a reply to a survey question that could not be read"
            );
            return Ok(None);
        };
        let needs_review = answer.needs_review();
        store::questions::record_fact(
            conn,
            account_id,
            ctx.lead.id,
            &NewFact {
                key: &open.fact_key,
                value: &answer.stored,
                unit: answer.unit,
                confidence: answer.confidence,
                needs_review,
                source_message_id: ctx.message_in_id,
                at: received,
            },
        )?;
        store::questions::close(conn, open.id, true, ctx.message_in_id, Some(&answer.stored), received)?;
        tracing::info!(question_history_id = open.id, fact = %open.fact_key, confidence = answer.confidence, "survey answer");
        if needs_review {
            return Ok(Some(Claim {
                handled_as: "survey_answer_review".into(),
                reply: None,
            }));
        }
        let body = thanks(ctx.lead.first_name.as_deref(), &ctx.account.account.name);
        let reply = outbox::reply_to_inbound(
            conn,
            account_id,
            ctx.lead.id,
            &body,
            ctx.message_in_id,
            false,
            ctx.reply_via,
            ctx.now,
        )?;
        Ok(Some(Claim {
            handled_as: "survey_answer".into(),
            reply,
        }))
    }
}

/// The thank-you for a sure answer.
pub fn thanks(first_name: Option<&str>, store: &str) -> String {
    let name = first_name.map(|n| format!(", {}", title_case(n))).unwrap_or_default();
    format!("Thanks{name}! That helps us take care of you. - {store}")
}
