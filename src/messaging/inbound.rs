//! An inbound text: stored once (idempotent by MessageSid), then keywords (STOP/START/HELP)
//! take it at once; anything else goes to the listeners later capabilities register (offer
//! acceptance, survey answers) and, if none claims it, to the drafter.

use super::outbox::{self, SendRequest};
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::compliance::Purpose;
use crate::domain::keywords::{self, Keyword};
use crate::drafting::{DraftContext, DraftKind};
use crate::error::Result;
use crate::store::{self, accounts::MessagingSettings, leads::Lead};
use crate::App;
use chrono::{DateTime, Utc};

/// An inbound SMS as Twilio posts it.
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
    pub now: DateTime<Utc>,
}

/// A capability that wants inbound texts (offer acceptance, survey answers). Runs inside the
/// inbound transaction; returns `Some(claim)` to take the message.
pub trait InboundListener: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn handle(&self, conn: &WriteTx, ctx: &InboundContext) -> Result<Option<Claim>>;
}

/// A listener took the message: how it was handled, and the TwiML reply if any (written
/// through `outbox::reply_inline`, so the gate has had its say).
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

/// Handle an inbound text for an account whose number it was sent to.
pub async fn handle(app: &App, account: MessagingSettings, sms: InboundSms, now: DateTime<Utc>) -> Result<Handled> {
    let app2 = app.clone();
    let account2 = account.clone();
    let next = app
        .db
        .call(move |c| {
            let tx = c.write()?;
            let next = take(&app2, &tx, &account2, &sms, now)?;
            tx.commit()?;
            Ok(next)
        })
        .await?;
    let (mut handled, lead, message_in_id, body) = match next {
        Next::Done(h) => return Ok(*h),
        Next::Draft {
            handled,
            lead,
            message_in_id,
            body,
        } => (handled, lead, message_in_id, body),
    };
    // nobody claimed it: draft a reply (a rep approves it unless the account auto-replies)
    let ctx = DraftContext {
        kind: DraftKind::Reply { inbound: body },
        account_name: account.account.name.clone(),
        first_name: lead.first_name.clone(),
        vehicle: lead.vehicle_interest.clone(),
        booking_url: account.booking_url.clone(),
    };
    let draft = app.drafter.draft(&ctx).await;
    let (account_id, lead_id, auto) = (account.account.id, lead.id, account.auto_reply);
    let t = to_unix(now);
    handled.handled_as = app
        .db
        .call(move |c| {
            let tx = c.write()?;
            let draft_id =
                store::drafts::insert(&tx, account_id, lead_id, message_in_id, &draft.body, &draft.drafter, t)?;
            let handled_as = if auto {
                let mut req = SendRequest::new(account_id, lead_id, Purpose::Reply, draft.body.clone(), "auto-reply");
                req.in_reply_to = Some(message_in_id);
                let out = outbox::enqueue(&tx, &req, now)?;
                store::drafts::decide(&tx, draft_id, "approved", Some(out.message_id), "auto-reply", t)?;
                "auto_reply"
            } else {
                "draft"
            };
            store::messages::set_handled_as(&tx, message_in_id, handled_as)?;
            tx.commit()?;
            Ok(handled_as.to_string())
        })
        .await?;
    Ok(handled)
}

fn take(app: &App, tx: &WriteTx, account: &MessagingSettings, sms: &InboundSms, now: DateTime<Utc>) -> Result<Next> {
    let t = to_unix(now);
    let account_id = account.account.id;
    let name = account.account.name.as_str();
    let lead = match store::leads::find_by_phone(tx, account_id, &sms.from)? {
        Some(l) => l,
        None => {
            let id = store::leads::insert(
                tx,
                account_id,
                &store::leads::NewLead {
                    phone_e164: Some(sms.from.clone()),
                    source: "sms".into(),
                    status: "new".into(),
                    textable: true,
                    ..Default::default()
                },
                t,
            )?;
            tracing::info!(lead_id = id, "an unknown number texted in; created a lead");
            store::leads::get(tx, account_id, id)?.ok_or_else(|| crate::error::Error::internal("lead vanished"))?
        }
    };
    let keyword = keywords::classify(&sms.body);
    let inserted = store::messages::insert_in(
        tx,
        &store::messages::NewInbound {
            account_id,
            lead_id: lead.id,
            provider_sid: &sms.message_sid,
            from_phone: &sms.from,
            to_phone: &sms.to,
            body: &sms.body,
            keyword: keyword.map(Keyword::as_str),
            received_at: t,
        },
    )?;
    let Some(message_in_id) = inserted else {
        return Ok(Next::Done(Box::new(Handled {
            handled_as: "duplicate".into(),
            duplicate: true,
            ..Default::default()
        })));
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
    match keyword {
        Some(Keyword::Stop) => {
            store::consent::opt_out(tx, account_id, lead.id, "keyword", Some(message_in_id), t)?;
            let body =
                format!("{name}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe.");
            let reply = outbox::reply_inline(tx, account_id, lead.id, &body, message_in_id, true, now)?;
            done("opt_out", reply)
        }
        Some(Keyword::Start) => {
            store::consent::opt_in(tx, account_id, lead.id, "keyword", Some(message_in_id), t)?;
            let body = format!("{name}: you are resubscribed. Reply STOP to unsubscribe, HELP for help.");
            let reply = outbox::reply_inline(tx, account_id, lead.id, &body, message_in_id, false, now)?;
            done("opt_in", reply)
        }
        Some(Keyword::Help) => {
            let body = account
                .help_text
                .clone()
                .filter(|h| !h.trim().is_empty())
                .unwrap_or_else(|| default_help(name));
            let reply = outbox::reply_inline(tx, account_id, lead.id, &body, message_in_id, false, now)?;
            done("help", reply)
        }
        None if lead.opted_out => done("ignored_opted_out", None),
        None => {
            let ctx = InboundContext {
                account,
                lead: &lead,
                message_in_id,
                body: &sms.body,
                now,
            };
            for listener in app.listeners.iter() {
                if let Some(claim) = listener.handle(tx, &ctx)? {
                    tracing::info!(listener = listener.name(), message_in_id, "inbound text claimed");
                    return done(&claim.handled_as, claim.reply);
                }
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
                body: sms.body.clone(),
            })
        }
    }
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
