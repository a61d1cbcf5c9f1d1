//! A rep's decision on a drafted reply: approve (the draft, or the rep's edit of it, goes
//! through the outbox and its gate like any reply) or discard. The API and the conversation
//! page both call these, so a draft is decided by one set of rules.

use super::outbox::{self, Enqueued, SendRequest};
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::compliance::Purpose;
use crate::domain::messages::DraftStatus;
use crate::error::{Error, Result};
use crate::store;
use chrono::{DateTime, Utc};

/// Send draft `id` (or `edited`, the rep's text in its place) as a reply to the text it
/// answers (not before `not_before`, when given), and mark it approved with the message. NotFound for another account's draft;
/// Conflict when it was decided already.
pub fn approve(
    tx: &WriteTx,
    account_id: i64,
    id: i64,
    edited: Option<String>,
    not_before: Option<DateTime<Utc>>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Enqueued> {
    let draft = store::drafts::get(tx, account_id, id)?.ok_or_else(|| Error::NotFound(format!("draft {id}")))?;
    if draft.status != DraftStatus::Pending {
        return Err(Error::Conflict(format!("draft {id} was already {}", draft.status)));
    }
    let mut req = SendRequest::new(
        account_id,
        draft.lead_id,
        Purpose::Reply,
        edited.unwrap_or(draft.body),
        by,
    );
    req.in_reply_to = Some(draft.message_in_id);
    req.not_before = not_before;
    let out = outbox::enqueue(tx, &req, now)?;
    store::drafts::decide(tx, id, DraftStatus::Approved, Some(out.message_id), by, to_unix(now))?;
    Ok(out)
}

/// Throw draft `id` away. NotFound for another account's draft; Conflict when it was decided already.
pub fn discard(tx: &WriteTx, account_id: i64, id: i64, by: &str, now: DateTime<Utc>) -> Result<()> {
    store::drafts::get(tx, account_id, id)?.ok_or_else(|| Error::NotFound(format!("draft {id}")))?;
    if store::drafts::decide(tx, id, DraftStatus::Discarded, None, by, to_unix(now))? {
        Ok(())
    } else {
        Err(Error::Conflict(format!("draft {id} was already decided")))
    }
}
