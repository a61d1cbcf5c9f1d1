//! An inbound text. First it is recorded as received (`inbound_raw`, a short transaction of its
//! own), so that nothing a customer sends — above all a STOP — is lost whatever else the
//! database is doing. Then it is handled: stored in `messages_in` (idempotent by MessageSid),
//! keywords (STOP/START/HELP) take it at once, anything else goes to the listeners later
//! capabilities register (offer acceptance, survey answers) and, if none claims it, to the
//! drafter.
//!
//! The webhook handles the text while Twilio waits, so that a confirmation can go back as TwiML.
//! If handling fails, the webhook still answers 200 (the text is recorded) and the
//! `inbound.pending` job handles it later, its confirmations then going through the drain.

use super::outbox::{self, ReplyVia, SendRequest};
use super::Services;
use crate::clock::{from_unix, to_unix};
use crate::db::WriteTx;
use crate::domain::compliance::Purpose;
use crate::domain::consent::{ConsentSource, ReviewDecision};
use crate::domain::keywords::{self, Keyword};
use crate::domain::messages::DraftStatus;
use crate::domain::revocation::{self, Revocation};
use crate::drafting::{Draft, DraftContext, DraftKind};
use crate::error::{Error, Result};
use crate::store::{
    self,
    accounts::MessagingSettings,
    inbound_raw::{NewRawInbound, RawInbound},
    leads::Lead,
};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// An inbound SMS as Twilio posts it (`from` already E.164).
#[derive(Debug, Clone)]
pub struct InboundSms {
    pub message_sid: String,
    pub from: String,
    pub to: String,
    pub body: String,
}

/// What a listener needs to decide whether an inbound text is for it.
pub struct InboundContext<'a> {
    pub account: &'a MessagingSettings,
    pub lead: &'a Lead,
    pub message_in_id: i64,
    pub body: &'a str,
    /// when the customer sent it (reply windows are measured to this moment)
    pub received_at: DateTime<Utc>,
    /// when it is being handled (answers are sent as of this moment)
    pub now: DateTime<Utc>,
    /// how an answer reaches the customer: pass it to [`outbox::reply_to_inbound`]
    pub reply_via: ReplyVia,
}

/// A capability that wants inbound texts (offer acceptance, survey answers). Runs inside the
/// inbound transaction; returns `Some(claim)` to take the message.
pub trait InboundListener: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn handle(&self, conn: &WriteTx, ctx: &InboundContext) -> Result<Option<Claim>>;
}

/// A listener took the message: how it was handled, and the TwiML reply if any (written
/// through `outbox::reply_to_inbound`, so the gate has had its say).
#[derive(Debug, Clone)]
pub struct Claim {
    pub handled_as: String,
    pub reply: Option<String>,
}

/// How an inbound text was handled; `reply` goes back to Twilio as TwiML.
#[derive(Debug, Clone, Default)]
pub struct Handled {
    pub message_in_id: Option<i64>,
    pub handled_as: String,
    pub reply: Option<String>,
    pub duplicate: bool,
}

// built once per inbound text and consumed at once: its size does not matter
#[allow(clippy::large_enum_variant)]
enum Next {
    Done(Box<Handled>),
    Draft {
        handled: Handled,
        lead: Lead,
        message_in_id: i64,
        body: String,
    },
}

fn default_help(account: &str) -> String {
    format!("{account}: service and sales texts. Reply STOP to unsubscribe. Msg & data rates may apply.")
}

/// The webhook's path: record the text, then handle it while Twilio waits. Fails only if the
/// text could not even be recorded; a failure to handle it is noted beside the record and left
/// to the `inbound.pending` job (the answer then carries no reply).
///
/// Recording and handling share one write (see `Db::write`), the handling in a savepoint of its
/// own: if it fails, only what it wrote is rolled back, and the record stands.
pub async fn receive(
    app: &Services,
    account: MessagingSettings,
    sms: InboundSms,
    now: DateTime<Utc>,
) -> Result<Handled> {
    let (app2, account2) = (app.clone(), account.clone());
    let t = to_unix(now);
    let taken = app
        .db
        .write(move |tx| {
            let raw = store::inbound_raw::record(
                tx,
                &NewRawInbound {
                    account_id: account2.account.id,
                    provider_sid: &sms.message_sid,
                    from_phone: &sms.from,
                    to_phone: &sms.to,
                    body: &sms.body,
                    received_at: t,
                },
            )?;
            if raw.handled_at.is_some() {
                return Ok(None);
            }
            let raw_id = raw.id;
            let handled = tx.savepoint(|tx| {
                let next = take(&app2, tx, &account2, &raw, ReplyVia::Twiml, now)?;
                store::inbound_raw::mark_handled(tx, raw_id, t)?;
                Ok(next)
            });
            match handled {
                Ok(next) => Ok(Some(next)),
                Err(e) => {
                    tracing::error!(inbound_raw_id = raw_id, error = %e, "could not handle an inbound text; it is recorded and the job loop will handle it");
                    store::inbound_raw::record_failure(tx, raw_id, &e.to_string())?;
                    Ok(Some(Next::Done(Box::new(Handled {
                        handled_as: "pending".into(),
                        ..Default::default()
                    }))))
                }
            }
        })
        .await?;
    match taken {
        None => Ok(duplicate()),
        // the text is stored and read; a reply that could not be drafted now is drafted by the
        // job loop (the text waits with no `handled_as`)
        Some(next) => Ok(finish(app, &account, next, now).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "could not draft a reply to an inbound text; the job loop will");
            Handled {
                handled_as: "pending".into(),
                ..Default::default()
            }
        })),
    }
}

fn duplicate() -> Handled {
    Handled {
        handled_as: "duplicate".into(),
        duplicate: true,
        ..Default::default()
    }
}

/// Handle a recorded text as of `now`: store it, act on it, and answer it `via`.
pub async fn handle(
    app: &Services,
    account: MessagingSettings,
    raw: RawInbound,
    via: ReplyVia,
    now: DateTime<Utc>,
) -> Result<Handled> {
    let (app2, account2) = (app.clone(), account.clone());
    let next = app
        .db
        .write(move |tx| {
            let next = take(&app2, tx, &account2, &raw, via, now)?;
            store::inbound_raw::mark_handled(tx, raw.id, to_unix(now))?;
            Ok(next)
        })
        .await?;
    finish(app, &account, next, now).await
}

/// What is left once the text is stored and read: a drafted reply, if nobody claimed it.
async fn finish(app: &Services, account: &MessagingSettings, next: Next, now: DateTime<Utc>) -> Result<Handled> {
    match next {
        Next::Done(h) => Ok(*h),
        Next::Draft {
            mut handled,
            lead,
            message_in_id,
            body,
        } => {
            handled.handled_as = draft_reply(app, account, &lead, message_in_id, body, now).await?;
            Ok(handled)
        }
    }
}

/// Nobody claimed the text: draft a reply (a rep approves it unless the account auto-replies).
/// Returns how the text was handled (`draft` or `auto_reply`).
async fn draft_reply(
    app: &Services,
    account: &MessagingSettings,
    lead: &Lead,
    message_in_id: i64,
    body: String,
    now: DateTime<Utc>,
) -> Result<String> {
    let ctx = draft_context(account, lead, body);
    let draft = app.drafter.draft(&ctx).await;
    let (account_id, lead_id, auto) = (account.account.id, lead.id, account.auto_reply);
    app.db
        .write(move |tx| store_draft(tx, account_id, lead_id, auto, message_in_id, &draft, now))
        .await
}

fn draft_context(account: &MessagingSettings, lead: &Lead, body: String) -> DraftContext {
    DraftContext {
        kind: DraftKind::Reply { inbound: body },
        account_name: account.account.name.clone(),
        first_name: lead.first_name.clone(),
        vehicle: lead.vehicle_interest.clone(),
        booking_url: account.booking_url.clone(),
    }
}

/// Write a drafted reply to inbound text `message_in_id` (sent at once if the account
/// auto-replies); returns how the text was handled (`draft` or `auto_reply`).
fn store_draft(
    tx: &WriteTx,
    account_id: i64,
    lead_id: i64,
    auto: bool,
    message_in_id: i64,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<String> {
    let t = to_unix(now);
    if store::drafts::for_message(tx, message_in_id)?.is_some() {
        // drafted already (a retry after the draft's write went through)
        store::messages::set_handled_as(tx, message_in_id, "draft")?;
        return Ok("draft".to_string());
    }
    let draft_id = store::drafts::insert(tx, account_id, lead_id, message_in_id, &draft.body, &draft.drafter, t)?;
    let handled_as = if auto {
        let mut req = SendRequest::new(account_id, lead_id, Purpose::Reply, draft.body.clone(), "auto-reply");
        req.in_reply_to = Some(message_in_id);
        let out = outbox::enqueue(tx, &req, now)?;
        store::drafts::decide(
            tx,
            draft_id,
            DraftStatus::Approved,
            Some(out.message_id),
            "auto-reply",
            t,
        )?;
        "auto_reply"
    } else {
        "draft"
    };
    store::messages::set_handled_as(tx, message_in_id, handled_as)?;
    Ok(handled_as.to_string())
}

fn take(
    app: &Services,
    tx: &WriteTx,
    account: &MessagingSettings,
    raw: &RawInbound,
    via: ReplyVia,
    now: DateTime<Utc>,
) -> Result<Next> {
    let received = raw.received_at;
    let account_id = account.account.id;
    let name = account.account.name.as_str();
    let lead = match store::leads::find_by_phone(tx, account_id, &raw.from_phone)? {
        Some(l) => l,
        None => {
            let id = store::leads::insert(
                tx,
                account_id,
                &store::leads::NewLead {
                    phone_e164: Some(raw.from_phone.clone()),
                    source: "sms".into(),
                    status: crate::domain::customer::LeadStatus::New,
                    textable: true,
                    ..Default::default()
                },
                received,
            )?;
            tracing::info!(lead_id = id, "an unknown number texted in; created a lead");
            store::leads::get(tx, account_id, id)?.ok_or_else(|| Error::internal("lead vanished"))?
        }
    };
    let keyword = keywords::classify(&raw.body);
    let inserted = store::messages::insert_in(
        tx,
        &store::messages::NewInbound {
            account_id,
            lead_id: lead.id,
            provider_sid: &raw.provider_sid,
            from_phone: &raw.from_phone,
            to_phone: &raw.to_phone,
            body: &raw.body,
            keyword: keyword.map(Keyword::as_str),
            received_at: received,
        },
    )?;
    let Some(message_in_id) = inserted else {
        return Ok(Next::Done(Box::new(duplicate())));
    };
    let done = |handled_as: &str, reply: Option<String>| -> Result<Next> {
        store::messages::set_handled_as(tx, message_in_id, handled_as)?;
        Ok(Next::Done(Box::new(Handled {
            message_in_id: Some(message_in_id),
            handled_as: handled_as.into(),
            reply,
            duplicate: false,
        })))
    };
    let reply = |body: &str, opt_out_confirmation: bool| {
        outbox::reply_to_inbound(
            tx,
            account_id,
            lead.id,
            body,
            message_in_id,
            opt_out_confirmation,
            via,
            now,
        )
    };
    // what the customer's own words say about consent (keywords are read above)
    let said = keyword.is_none().then(|| revocation::classify(&raw.body)).flatten();
    match keyword {
        Some(Keyword::Stop) => {
            store::consent::opt_out(
                tx,
                account_id,
                lead.id,
                ConsentSource::Keyword,
                Some(message_in_id),
                received,
            )?;
            store::consent::close_review(tx, account_id, lead.id, ReviewDecision::OptedOut, "customer", received)?;
            done("opt_out", reply(&unsubscribed(name), true)?)
        }
        Some(Keyword::Start) => {
            store::consent::opt_in(
                tx,
                account_id,
                lead.id,
                ConsentSource::Keyword,
                Some(message_in_id),
                received,
            )?;
            store::consent::close_review(
                tx,
                account_id,
                lead.id,
                ReviewDecision::NotAnOptOut,
                "customer",
                received,
            )?;
            let body = format!("{name}: you are resubscribed. Reply STOP to unsubscribe, HELP for help.");
            done("opt_in", reply(&body, false)?)
        }
        Some(Keyword::Help) => {
            let body = account
                .help_text
                .clone()
                .filter(|h| !h.trim().is_empty())
                .unwrap_or_else(|| default_help(name));
            done("help", reply(&body, false)?)
        }
        None if lead.opted_out => done("ignored_opted_out", None),
        // a revocation in the customer's own words, before any listener reads it as an answer
        None if said == Some(Revocation::Certain) => {
            store::consent::opt_out(
                tx,
                account_id,
                lead.id,
                ConsentSource::Reply,
                Some(message_in_id),
                received,
            )?;
            store::consent::close_review(tx, account_id, lead.id, ReviewDecision::OptedOut, "customer", received)?;
            tracing::info!(message_in_id, "a revocation in the customer's own words: opted out");
            done("opt_out", reply(&unsubscribed(name), true)?)
        }
        None if said == Some(Revocation::Possible) => {
            store::consent::start_review(tx, account_id, lead.id, Some(message_in_id), &raw.body, received)?;
            tracing::warn!(
                message_in_id,
                "words that may revoke consent: automated texts wait until a rep decides"
            );
            done("opt_out_review", None)
        }
        None => {
            let ctx = InboundContext {
                account,
                lead: &lead,
                message_in_id,
                body: &raw.body,
                received_at: from_unix(received),
                now,
                reply_via: via,
            };
            for listener in app.listeners.iter() {
                if let Some(claim) = listener.handle(tx, &ctx)? {
                    tracing::info!(listener = listener.name(), message_in_id, "inbound text claimed");
                    return done(&claim.handled_as, claim.reply);
                }
            }
            // a drafter with its draft at hand (the template) drafts in this transaction: no
            // second write, and no text is ever left read but not drafted
            let draft_ctx = draft_context(account, &lead, raw.body.clone());
            if let Some(draft) = app.drafter.draft_at_once(&draft_ctx) {
                let handled_as = store_draft(tx, account_id, lead.id, account.auto_reply, message_in_id, &draft, now)?;
                return Ok(Next::Done(Box::new(Handled {
                    message_in_id: Some(message_in_id),
                    handled_as,
                    reply: None,
                    duplicate: false,
                })));
            }
            Ok(Next::Draft {
                handled: Handled {
                    message_in_id: Some(message_in_id),
                    handled_as: "draft".into(),
                    reply: None,
                    duplicate: false,
                },
                lead,
                message_in_id,
                body: raw.body.clone(),
            })
        }
    }
}

/// The one confirmation an opt-out gets.
fn unsubscribed(account_name: &str) -> String {
    format!("{account_name}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe.")
}

/// Texts recorded this long ago and still not handled are the job's: the webhook that recorded
/// them has given up (or the process stopped).
const PENDING_AFTER: Duration = Duration::seconds(10);
/// A text read but not drafted is drafted only this long after it came in.
const DRAFT_WITHIN: Duration = Duration::days(2);
/// Texts handled per run of the job; the rest wait for the next run.
const PENDING_PER_RUN: i64 = 500;

/// What [`handle_pending`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PendingReport {
    /// recorded texts handled now
    pub handled: usize,
    /// read texts whose drafted reply was written now
    pub drafted: usize,
    /// texts that failed again (they stay pending)
    pub failed: usize,
}

/// The `inbound.pending` job: handle what was recorded but not handled (replies go through the
/// drain), and draft what was read but not drafted.
pub async fn handle_pending(app: &Services, now: DateTime<Utc>) -> Result<PendingReport> {
    let mut report = PendingReport::default();
    let not_after = to_unix(now - PENDING_AFTER);
    let raws = app
        .db
        .call(move |c| store::inbound_raw::pending(c, not_after, PENDING_PER_RUN))
        .await?;
    let mut accounts: HashMap<i64, MessagingSettings> = HashMap::new();
    for raw in raws {
        let account = match accounts.get(&raw.account_id) {
            Some(a) => a.clone(),
            None => {
                let id = raw.account_id;
                let a = app.db.call(move |c| store::accounts::messaging_settings(c, id)).await?;
                accounts.insert(id, a.clone());
                a
            }
        };
        let raw_id = raw.id;
        match handle(app, account, raw, ReplyVia::Drain, now).await {
            Ok(_) => report.handled += 1,
            Err(e) => {
                tracing::error!(inbound_raw_id = raw_id, error = %e, "an inbound text could not be handled; will try again");
                let msg = e.to_string();
                app.db
                    .write(move |tx| store::inbound_raw::record_failure(tx, raw_id, &msg))
                    .await?;
                report.failed += 1;
            }
        }
    }
    let undrafted = app
        .db
        .call(move |c| {
            store::messages::undrafted(c, not_after - DRAFT_WITHIN.num_seconds(), not_after, PENDING_PER_RUN)
        })
        .await?;
    for (account_id, m) in undrafted {
        let account = match accounts.get(&account_id) {
            Some(a) => a.clone(),
            None => {
                let a = app
                    .db
                    .call(move |c| store::accounts::messaging_settings(c, account_id))
                    .await?;
                accounts.insert(account_id, a.clone());
                a
            }
        };
        let lead_id = m.lead_id;
        let Some(lead) = app.db.call(move |c| store::leads::get(c, account_id, lead_id)).await? else {
            continue;
        };
        match draft_reply(app, &account, &lead, m.id, m.body, now).await {
            Ok(_) => report.drafted += 1,
            Err(e) => {
                tracing::error!(message_in_id = m.id, error = %e, "could not draft a reply; will try again");
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// TwiML for a webhook answer: an empty response, or one message.
pub fn twiml(reply: Option<&str>) -> String {
    match reply {
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".into(),
        Some(text) => {
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&apos;");
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{escaped}</Message></Response>")
        }
    }
}
