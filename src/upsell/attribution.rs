//! Did the customer take the offer? Three signals, first one wins the "how":
//! - a reply (see [`super::replies`]);
//! - a click on the tracked link `/o/{token}`;
//! - an RO line: a performed op code of the offer on their repair order after the send and
//!   within the offer's attribution window credits its revenue, once per send and per line.
//!
//! A rep can always say otherwise (`upsell::outcomes::record`).

use crate::db::WriteTx;
use crate::domain::money::Cents;
use crate::domain::offers::Phase;
use crate::domain::visit::{LineStatus, ServiceEventKind};
use crate::error::Result;
use crate::store::{self, offer_sends::OfferSend};
use std::collections::HashSet;

/// Link previews (iMessage, Slack, Facebook, ...) fetch a link without a person clicking it.
pub fn is_link_preview(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    [
        "facebookexternalhit",
        "facebot",
        "twitterbot",
        "slackbot",
        "whatsapp",
        "telegrambot",
        "discordbot",
        "linkedinbot",
        "skypeuripreview",
        "googlebot",
        "bingbot",
        "applebot",
        "curl/",
        "preview",
    ]
    .iter()
    .any(|bot| ua.contains(bot))
}

/// A click on a tracked link: the send it belongs to (for the redirect), recording the first
/// click as an acceptance unless a reply already decided the offer.
pub fn record_click(conn: &WriteTx, token: &str, count_it: bool, now: i64) -> Result<Option<OfferSend>> {
    let Some(send) = store::offer_sends::find_by_token(conn, token)? else {
        return Ok(None);
    };
    if count_it && store::offer_sends::record_click(conn, send.id, now)? {
        tracing::info!(offer_send_id = send.id, "offer link clicked");
    }
    Ok(Some(send))
}

/// A repair order's lines were written (imported, or updated through the API): credit its
/// performed lines to the customer's offer sends. Every path that writes RO lines calls this
/// (the import through its [`crate::ingest::RoLinesWritten`] hook), so none can forget to.
///
/// A line credits a send a line whose
/// op code belongs to the offer, on an RO that opened after the send (or on the visit the
/// offer was texted for before it closed, if the line was not on it already), within the
/// offer's attribution window. Appointments are never credited (their lines are bookings).
/// A rep's recorded outcome is never overwritten. Returns how many sends were credited.
/// Idempotent: a line, and a send, is credited once.
pub fn record_ro_lines(conn: &WriteTx, account_id: i64, service_event_id: i64, now: i64) -> Result<usize> {
    let Some(visit) = store::visits::visit_lines(conn, account_id, service_event_id)? else {
        return Ok(0);
    };
    // an appointment's lines are what the customer booked, not what was done
    let (Some(lead_id), ServiceEventKind::RepairOrder) = (visit.lead_id, visit.kind) else {
        return Ok(0);
    };
    let ro_at = visit.at;
    let performed: Vec<(String, Option<Cents>)> = visit
        .services
        .iter()
        .filter(|l| l.status == LineStatus::Performed)
        .map(|l| (l.op_code.trim().to_ascii_uppercase(), l.amount_cents))
        .collect();
    if performed.is_empty() {
        return Ok(0);
    }
    // the longest window an offer may have is far shorter than this
    let sends = store::offer_sends::attributable(conn, account_id, lead_id, ro_at - 400 * 86_400)?;
    if sends.is_empty() {
        return Ok(0);
    }
    let mut credited: HashSet<String> = store::offer_sends::credited_lines(conn, account_id, lead_id)?
        .into_iter()
        .collect();
    let mut used = HashSet::new();
    let mut count = 0;
    for (code, amount) in performed {
        let key = format!("{service_event_id}:{code}");
        if credited.contains(&key) {
            continue;
        }
        // newest send first: the offer that most recently asked gets the credit
        let send = sends.iter().find(|s| {
            // a line already on the visit when the offer went out was not the offer's doing
            let was_already_there = s.service_event_id == service_event_id
                && s.visit_op_codes.iter().any(|b| b.eq_ignore_ascii_case(&code));
            // texted before or during this visit: its lines answer the offer (a text sent a
            // day after it closed can only be answered by a later visit)
            let same_visit_before_it_closed = s.service_event_id == service_event_id && s.phase != Phase::TPlus24h;
            let later_ro = ro_at >= s.sent_at && ro_at <= s.sent_at + s.attribution_window_days * 86_400;
            !used.contains(&s.id)
                && !was_already_there
                && s.op_codes.iter().any(|c| c.trim().eq_ignore_ascii_case(&code))
                && (same_visit_before_it_closed || later_ro)
        });
        let Some(send) = send else { continue };
        // a line with no amount earns the offer its price; an offer without one, nothing
        let revenue = amount.or(send.price_cents).unwrap_or(Cents::ZERO);
        if store::offer_sends::credit_line(conn, send.id, &key, revenue, now)? {
            tracing::info!(offer_send_id = send.id, line = %key, revenue = revenue.get(), "RO line credited to an offer");
            used.insert(send.id);
            credited.insert(key);
            count += 1;
        }
    }
    Ok(count)
}
