//! A customer's answer to an offer text: YES / BOOK / "sounds good" accepts, NO / "not now"
//! declines the most recent offer texted to them whose reply window is open. An inbound
//! listener (registered on the App): it runs inside the inbound transaction, after
//! STOP/START/HELP, so a keyword is never read as an answer.

use crate::db::WriteTx;
use crate::domain::offers::{classify_reply, title_case, ReplyIntent};
use crate::error::Result;
use crate::messaging::inbound::{Claim, InboundContext, InboundListener};
use crate::messaging::outbox;
use crate::store;

/// The inbound listener for yes/no replies to an offer.
pub struct OfferReplies;

impl InboundListener for OfferReplies {
    fn name(&self) -> &'static str {
        "offer_replies"
    }

    fn handle(&self, conn: &WriteTx, ctx: &InboundContext) -> Result<Option<Claim>> {
        let Some(intent) = classify_reply(ctx.body) else {
            return Ok(None);
        };
        let now = crate::clock::to_unix(ctx.received_at);
        let Some(send) = store::offer_sends::awaiting_reply(conn, ctx.account.account.id, ctx.lead.id, now)? else {
            // a yes with no offer waiting is a conversation: a person answers it
            return Ok(None);
        };
        let accepted = intent == ReplyIntent::Accept;
        if !store::offer_sends::record_reply(conn, send.id, accepted, now)? {
            // the offer was already decided (a click, a rep): a person reads this one
            return Ok(None);
        }
        tracing::info!(offer_send_id = send.id, accepted, "offer reply");
        let reply = if accepted {
            let name = ctx
                .lead
                .first_name
                .as_deref()
                .map(|n| format!(", {}", title_case(n)))
                .unwrap_or_default();
            let offer = send.offer_name.as_deref().unwrap_or("offer");
            let body = format!(
                "{}: thanks{name}! We've noted that you'd like the {offer}. Your service advisor will confirm.",
                ctx.account.account.name
            );
            outbox::reply_to_inbound(
                conn,
                ctx.account.account.id,
                ctx.lead.id,
                &body,
                ctx.message_in_id,
                false,
                ctx.reply_via,
                ctx.now,
            )?
        } else {
            None
        };
        Ok(Some(Claim {
            handled_as: if accepted { "offer_accepted" } else { "offer_declined" }.into(),
            reply,
        }))
    }
}
