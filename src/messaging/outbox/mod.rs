//! The outbox: the ONLY way an outbound SMS comes to exist. `enqueue` writes `messages_out`
//! after asking the compliance gate; the drain job asks the gate again at send time, persists
//! `sending` before the network call, and never re-sends a message whose fate is unknown
//! without first asking the provider whether it already went.

mod gate;

use super::sender::{Accepted, OutboundSms, SendError};
use super::Services;
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::compliance::{Decision, Purpose};
use crate::domain::consent::ConsentSource;
use crate::domain::messages::{Held, MessageStatus};
use crate::domain::sms::MAX_BODY_CHARS;
use crate::error::{Error, Result};
use crate::store::{self, messages::OutboundRow};
use chrono::{DateTime, Duration, Utc};
use gate::{decide, gate, load_recipient, prior};
pub use gate::{verdict, Verdict};
use rusqlite::Connection;

/// What a capability asks the outbox to send.
#[derive(Debug, Clone)]
pub struct SendRequest {
    pub account_id: i64,
    pub lead_id: i64,
    pub purpose: Purpose,
    pub body: String,
    /// not before this moment (e.g. 48 hours before an appointment)
    pub not_before: Option<DateTime<Utc>>,
    /// the experiment arm this send belongs to
    pub experiment: Option<(i64, String)>,
    /// a key that makes the send at-most-once (e.g. `followup:42:1`)
    pub dedupe_key: Option<String>,
    pub opt_out_confirmation: bool,
    pub in_reply_to: Option<i64>,
    /// who asked: a job name or a user's email
    pub created_by: String,
    /// past this moment the text is pointless (an offer "while your car is here"): if the gate
    /// would hold it until then, or it is still waiting then, it is blocked as expired
    pub expires_at: Option<DateTime<Utc>>,
}

impl SendRequest {
    pub fn new(account_id: i64, lead_id: i64, purpose: Purpose, body: impl Into<String>, created_by: &str) -> Self {
        SendRequest {
            account_id,
            lead_id,
            purpose,
            body: body.into(),
            not_before: None,
            experiment: None,
            dedupe_key: None,
            opt_out_confirmation: false,
            in_reply_to: None,
            created_by: created_by.into(),
            expires_at: None,
        }
    }
}

/// The outcome of `enqueue`: the row written and what the gate decided.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Enqueued {
    pub message_id: i64,
    /// queued, deferred or blocked (or, for a duplicate, wherever the first one is now)
    pub status: MessageStatus,
    pub code: Option<String>,
    pub reason: Option<String>,
    #[serde(serialize_with = "crate::clock::rfc3339::option::serialize")]
    pub deferred_until: Option<i64>,
    /// true when the dedupe key had already been used: nothing new was written
    pub duplicate: bool,
}

/// Write a message to the outbox, recording the gate's decision (queued, deferred with the
/// moment it may go, or blocked with why). Runs in the caller's transaction.
pub fn enqueue(conn: &WriteTx, req: &SendRequest, now: DateTime<Utc>) -> Result<Enqueued> {
    let body = req.body.trim();
    if body.is_empty() {
        return Err(Error::invalid("empty_body", "the message body is empty"));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(Error::invalid(
            "body_too_long",
            format!("the message body is over {MAX_BODY_CHARS} characters"),
        ));
    }
    if let Some(key) = &req.dedupe_key {
        if let Some(existing) = store::messages::find_by_dedupe_key(conn, req.account_id, key)? {
            return Ok(duplicate(existing));
        }
    }
    let at = req.not_before.map_or(now, |nb| nb.max(now));
    let (lead, v) = gate(
        conn,
        req.account_id,
        req.lead_id,
        req.purpose,
        req.opt_out_confirmation,
        at,
    )?;
    let (status, not_before, code, reason) = (v.status, v.at, v.code, v.reason);
    let expired = req.expires_at.is_some_and(|e| not_before >= e);
    let (status, code, reason) = if expired && status != MessageStatus::Blocked {
        (
            MessageStatus::Blocked,
            Some(EXPIRED.to_string()),
            Some(format!(
                "{}; by then the moment for this text has passed",
                reason.unwrap_or_else(|| "it could not go in time".into())
            )),
        )
    } else {
        (status, code, reason)
    };
    let deferred_until = (status == MessageStatus::Deferred).then(|| to_unix(not_before));
    let inserted = store::messages::insert_out(
        conn,
        &store::messages::NewOutbound {
            account_id: req.account_id,
            lead_id: req.lead_id,
            purpose: req.purpose,
            body,
            to_phone: lead.phone_e164.as_deref().unwrap_or(""),
            status,
            not_before: to_unix(not_before),
            deferred_until,
            blocked_code: code.as_deref(),
            blocked_reason: reason.as_deref(),
            experiment_id: req.experiment.as_ref().map(|e| e.0),
            variant: req.experiment.as_ref().map(|e| e.1.as_str()),
            dedupe_key: req.dedupe_key.as_deref(),
            opt_out_confirmation: req.opt_out_confirmation,
            in_reply_to: req.in_reply_to,
            created_by: &req.created_by,
            expires_at: req.expires_at.map(to_unix),
            now: to_unix(now),
        },
    );
    let message_id = match inserted {
        Ok(id) => id,
        Err(Error::Db(e)) if store::is_unique_violation(&e) && req.dedupe_key.is_some() => {
            // another worker enqueued the same key between our check and our insert
            let key = req.dedupe_key.as_deref().unwrap_or_default();
            let existing = store::messages::find_by_dedupe_key(conn, req.account_id, key)?
                .ok_or_else(|| Error::internal("dedupe conflict without a row"))?;
            return Ok(duplicate(existing));
        }
        Err(e) => return Err(e),
    };
    tracing::info!(message_id, lead_id = req.lead_id, purpose = req.purpose.as_str(), status = status.as_str(), code = ?code, "outbox");
    Ok(Enqueued {
        message_id,
        status,
        code,
        reason,
        deferred_until,
        duplicate: false,
    })
}

fn duplicate(existing: OutboundRow) -> Enqueued {
    Enqueued {
        message_id: existing.id,
        status: existing.status,
        code: existing.blocked_code,
        reason: existing.blocked_reason,
        deferred_until: existing.deferred_until,
        duplicate: true,
    }
}

/// How an automatic answer to an inbound text (an opt-out confirmation, HELP, an offer's
/// thanks) reaches the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyVia {
    /// in the TwiML of the webhook's own answer, while Twilio waits for it
    Twiml,
    /// through the drain like any text (the inbound text is handled after its webhook answered)
    Drain,
}

/// An automatic answer to inbound text `in_reply_to`. It passes the gate like every text. Sent
/// [`ReplyVia::Twiml`], it is recorded as sent and its body returned for the TwiML (None if the
/// gate refused it, recorded as blocked); [`ReplyVia::Drain`] queues it and returns None.
#[allow(clippy::too_many_arguments)]
pub fn reply_to_inbound(
    conn: &WriteTx,
    account_id: i64,
    lead_id: i64,
    body: &str,
    in_reply_to: i64,
    opt_out_confirmation: bool,
    via: ReplyVia,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let created_by = match via {
        ReplyVia::Twiml => "twiml",
        ReplyVia::Drain => "auto-reply",
    };
    let mut req = SendRequest::new(account_id, lead_id, Purpose::System, body, created_by);
    req.in_reply_to = Some(in_reply_to);
    req.opt_out_confirmation = opt_out_confirmation;
    let out = enqueue(conn, &req, now)?;
    if out.status != MessageStatus::Queued || via == ReplyVia::Drain {
        return Ok(None);
    }
    // the provider sends it as part of its webhook answer: no drain, no second send
    if !store::messages::claim(conn, out.message_id, to_unix(now))? {
        return Ok(None);
    }
    store::messages::mark_sent(conn, out.message_id, &format!("twiml:{in_reply_to}"), to_unix(now))?;
    Ok(Some(body.trim().to_string()))
}

/// How long to wait before retry `attempt` (1-based) after a retryable failure.
fn backoff(attempt: i64) -> Duration {
    match attempt {
        ..=1 => Duration::seconds(30),
        2 => Duration::minutes(2),
        3 => Duration::minutes(10),
        _ => Duration::minutes(30),
    }
}

pub const MAX_ATTEMPTS: i64 = 5;

/// The code of a text blocked because its moment passed while it waited.
pub const EXPIRED: &str = "expired";

/// A `sending` row older than this belongs to a process that died mid-send.
const STALE_SENDING: Duration = Duration::minutes(10);

/// Wait this long after a timed-out send before asking the provider whether it went.
const RECONCILE_AFTER: Duration = Duration::seconds(60);

/// The SMS for a row, with the account's sender details.
fn outbound_sms(app: &Services, conn: &Connection, m: &OutboundRow) -> Result<OutboundSms> {
    let s = store::accounts::messaging_settings(conn, m.account_id)?;
    Ok(OutboundSms {
        to: m.to_phone.clone(),
        from: s.account.twilio_number.clone(),
        messaging_service_sid: s.twilio_messaging_service_sid.clone(),
        body: m.body.clone(),
        status_callback: Some(format!("{}/webhooks/twilio/status", app.config.public_url())),
        credentials: super::credentials(app, &s),
    })
}

enum Prepared {
    Send(OutboundSms),
    Held,
    Taken,
}

/// Send what is due as of `now`. The drain job.
pub async fn drain(app: &Services, now: DateTime<Utc>) -> Result<DrainReport> {
    let mut counts = DrainReport::default();
    let t = to_unix(now);
    let stale = app
        .db
        .write(move |c| store::messages::mark_stale_sending(c, t - STALE_SENDING.num_seconds(), t))
        .await?;
    if stale > 0 {
        tracing::warn!(
            stale,
            "messages were left mid-send by a stopped process; marked unknown, not re-sent"
        );
        counts.interrupted = stale;
    }
    reconcile(app, now, &mut counts).await?;

    // every due text decided in one write: held, blocked, or claimed (`sending`) before any
    // network call
    let app2 = app.clone();
    let prepared = app
        .db
        .write(move |tx| {
            let due = store::messages::due(tx, t, DRAIN_BATCH)?;
            let mut out = Vec::with_capacity(due.len());
            for row in due {
                let prepared = match tx.savepoint(|tx| prepare(&app2, tx, &row, now)) {
                    Ok(p) => p,
                    Err(e) => {
                        // a text that cannot even be decided on must not hold up the others
                        // (nor be tried for ever): it fails, with why
                        tracing::error!(message_id = row.id, error = %e, "could not prepare a text for sending");
                        let why = format!("could not be prepared for sending: {e}");
                        tx.savepoint(|tx| store::messages::mark_failed(tx, row.id, "internal", &why, t))?;
                        Prepared::Held
                    }
                };
                out.push((row, prepared));
            }
            Ok(out)
        })
        .await?;
    // each provider's answer is recorded as it comes (the writer batches them), while the next
    // text goes out
    let mut recording = tokio::task::JoinSet::new();
    for (row, prepared) in prepared {
        let sms = match prepared {
            Prepared::Send(sms) => sms,
            Prepared::Held => {
                counts.held += 1;
                continue;
            }
            Prepared::Taken => continue,
        };
        let result = app.sender.send(&sms).await;
        let app = app.clone();
        recording.spawn(async move { record_result(&app, &row, result, now).await });
    }
    while let Some(recorded) = recording.join_next().await {
        let key = recorded.map_err(|e| Error::internal(format!("recording a send failed: {e}")))??;
        counts.add(key);
    }
    Ok(counts)
}

/// What a drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// accepted by the provider
    pub sent: usize,
    /// refused for good by the provider, or given up on
    pub failed: usize,
    /// a retryable failure: queued again with a backoff
    pub retrying: usize,
    /// no answer in time: asked again later, never sent blindly twice
    pub unknown: usize,
    /// held back by the gate at send time (deferred or blocked, with why)
    pub held: usize,
    /// left mid-send by a stopped process, marked unknown
    pub interrupted: usize,
    /// timed-out sends the provider had after all
    pub reconciled_sent: usize,
    /// timed-out sends the provider never had, queued again
    pub reconciled_requeued: usize,
}

impl DrainReport {
    fn add(&mut self, outcome: SendOutcome) {
        match outcome {
            SendOutcome::Sent => self.sent += 1,
            SendOutcome::Failed => self.failed += 1,
            SendOutcome::Retrying => self.retrying += 1,
            SendOutcome::Unknown => self.unknown += 1,
        }
    }
}

/// What became of one send.
#[derive(Debug, Clone, Copy)]
enum SendOutcome {
    Sent,
    Failed,
    Retrying,
    Unknown,
}

/// Texts a drain decides on at most; the rest wait for the next run.
const DRAIN_BATCH: i64 = 200;

/// Decide on one due text at send time: held or blocked (recorded with why), or claimed.
fn prepare(app: &Services, tx: &WriteTx, row: &OutboundRow, now: DateTime<Utc>) -> Result<Prepared> {
    let t = to_unix(now);
    let r = load_recipient(tx, row.account_id, row.lead_id)?;
    let purpose = row.purpose;
    let prior = prior(tx, row.lead_id, now, false)?;
    if row.expires_at.is_some_and(|e| e <= t) {
        let reason = "its moment passed while it waited (e.g. the visit it was about is over)";
        store::messages::mark_held(tx, row.id, Held::Blocked, None, EXPIRED, reason, t)?;
        return Ok(Prepared::Held);
    }
    if r.lead.phone_e164.is_none() || !r.lead.textable {
        let reason = "the customer no longer has a number that takes texts";
        store::messages::mark_held(tx, row.id, Held::Blocked, None, "not_textable", reason, t)?;
        return Ok(Prepared::Held);
    }
    Ok(match decide(&r, purpose, row.opt_out_confirmation, now, &prior) {
        Decision::Allow => {
            if store::messages::claim(tx, row.id, t)? {
                Prepared::Send(outbound_sms(app, tx, row)?)
            } else {
                Prepared::Taken
            }
        }
        Decision::Defer { until, code, reason } => {
            store::messages::mark_held(
                tx,
                row.id,
                Held::Deferred,
                Some(to_unix(until)),
                code.as_str(),
                &reason,
                t,
            )?;
            Prepared::Held
        }
        Decision::Block { code, reason } => {
            store::messages::mark_held(tx, row.id, Held::Blocked, None, code.as_str(), &reason, t)?;
            Prepared::Held
        }
    })
}

/// Record what the provider said about one send.
async fn record_result(
    app: &Services,
    m: &OutboundRow,
    result: Result<Accepted, SendError>,
    now: DateTime<Utc>,
) -> Result<SendOutcome> {
    let (id, lead_id, account_id, attempts) = (m.id, m.lead_id, m.account_id, m.attempts + 1);
    let t = to_unix(now);
    app.db
        .write(move |tx| {
            let key = match result {
                Ok(accepted) => {
                    store::messages::mark_sent(tx, id, &accepted.sid, t)?;
                    SendOutcome::Sent
                }
                Err(SendError::Permanent { code, message }) => {
                    let code_s = code.map(|c| c.to_string()).unwrap_or_else(|| "rejected".into());
                    store::messages::mark_failed(tx, id, &code_s, &message, t)?;
                    if code == Some(21610) {
                        // the carrier says this recipient unsubscribed: never text them again
                        store::consent::opt_out(tx, account_id, lead_id, ConsentSource::Carrier, None, t)?;
                    }
                    SendOutcome::Failed
                }
                Err(SendError::Retryable { code, message }) if attempts < MAX_ATTEMPTS => {
                    store::messages::requeue(tx, id, to_unix(now + backoff(attempts)), &code, &message, t)?;
                    SendOutcome::Retrying
                }
                Err(SendError::Retryable { code, message }) => {
                    store::messages::mark_failed(
                        tx,
                        id,
                        &code,
                        &format!("gave up after {attempts} attempts: {message}"),
                        t,
                    )?;
                    SendOutcome::Failed
                }
                Err(SendError::Unknown { message }) => {
                    store::messages::mark_unknown(tx, id, "timeout", &message, t)?;
                    SendOutcome::Unknown
                }
            };

            Ok(key)
        })
        .await
}

/// Timed-out sends: ask the provider whether the message went. If it did, record it as sent;
/// if not, queue it again — never a blind second send.
async fn reconcile(app: &Services, now: DateTime<Utc>, counts: &mut DrainReport) -> Result<()> {
    let t = to_unix(now);
    let rows = app
        .db
        .call(move |c| store::messages::unknown_to_reconcile(c, t - RECONCILE_AFTER.num_seconds(), 50))
        .await?;
    for m in rows {
        let (app2, row) = (app.clone(), m.clone());
        let sms = app.db.call(move |c| outbound_sms(&app2, c, &row)).await?;
        let since = app
            .db
            .call(move |c| store::messages::sending_at(c, m.id))
            .await?
            .unwrap_or(t)
            - 300;
        match app.sender.find_sent(&sms, since).await {
            Ok(Some(found)) => {
                let id = m.id;
                app.db
                    .write(move |c| store::messages::mark_sent(c, id, &found.sid, t))
                    .await?;
                counts.reconciled_sent += 1;
            }
            Ok(None) if m.attempts < MAX_ATTEMPTS => {
                let id = m.id;
                app.db
                    .write(move |c| {
                        store::messages::requeue(
                            c,
                            id,
                            t,
                            "timeout",
                            "the provider has no record of it; sending again",
                            t,
                        )
                    })
                    .await?;
                counts.reconciled_requeued += 1;
            }
            Ok(None) => {
                let id = m.id;
                app.db
                    .write(move |c| {
                        store::messages::mark_failed(c, id, "timeout", "gave up after repeated timeouts", t)
                    })
                    .await?;
                counts.failed += 1;
            }
            Err(e) => {
                tracing::warn!(message_id = m.id, error = ?e, "could not reconcile a timed-out send; will try again")
            }
        }
    }
    Ok(())
}
