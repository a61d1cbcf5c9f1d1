//! `/threads/{lead_id}`: one customer's conversation, where a rep reads the history, sees
//! before sending whether and when a reply can go, replies (now or later), approves or discards
//! a drafted reply, marks offers won or lost, and corrects the customer card. Every read and
//! write is scoped by the signed-in user's account: another account's customer is a 404.

mod actions;
mod canned;
mod facts;
mod live;
mod review;
mod view;

use super::view::{local_time, Nav};
use super::{error_page, page_error, render};
use crate::clock::from_unix;
use crate::domain::compliance::Purpose;
use crate::domain::messages::{held_in_words, MessageStatus};
use crate::domain::phone;
use crate::domain::sms;
use crate::error::Result;
use crate::messaging::outbox;
use crate::store::{self, conversation::Cursor};
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use view::{Day, OfferView, VehicleView, VisitView};

pub use actions::CardForm;
use canned::{canned_for, Canned};
pub use live::{stream as live_stream, StreamsStop};

/// Texts, inbound and outbound, a page of the conversation shows.
pub const PAGE_ITEMS: usize = 50;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/threads/{lead_id}", get(show))
        .route("/threads/{lead_id}/events", get(live::events))
        .route("/threads/{lead_id}/reply", post(actions::reply))
        .route(
            "/threads/{lead_id}/offers/{send_id}/outcome",
            post(actions::offer_outcome),
        )
        .route("/threads/{lead_id}/offers/suppress", post(actions::suppress_offers))
        .route("/threads/{lead_id}/card", post(actions::edit_card))
        .route("/threads/{lead_id}/opt-out-review", post(review::decide))
        .route("/threads/{lead_id}/facts", post(facts::set))
        .route("/static/conversation.css", get(stylesheet))
        .route("/static/conversation.js", get(script))
        .route("/static/htmx.min.js", get(htmx))
}

async fn stylesheet() -> Response {
    static_file(
        "text/css; charset=utf-8",
        include_str!("../../../../static/conversation.css"),
    )
}

async fn script() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("../../../../static/conversation.js"),
    )
}

/// htmx, vendored and pinned (static/vendor/README.md), Zero-Clause BSD.
async fn htmx() -> Response {
    static_file(
        "text/javascript; charset=utf-8",
        include_str!("../../../../static/vendor/htmx-2.0.11.min.js"),
    )
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ShowQuery {
    /// the cursor of the page to show ("earlier messages")
    before: Option<String>,
    /// a reply just written (after its form was posted)
    sent: Option<i64>,
    /// the moment the rep asked it to go (send later)
    asked: Option<i64>,
}

/// What a form post brings back to the page when it is refused: what was typed, and why.
#[derive(Default)]
pub struct Posted {
    pub reply: ReplyForm,
    /// the box's text after a canned reply was put in (shown, not sent)
    pub insert: String,
    pub reply_error: String,
    pub send_at_error: String,
    pub offer_error: String,
    pub card: Option<CardForm>,
    pub card_errors: Vec<(&'static str, String)>,
    /// a fact the rep set that was refused: (key, what was typed, why)
    pub fact_error: Option<(String, String, String)>,
}

/// The reply box as posted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub body: String,
    /// local time (datetime-local) in the account's zone; empty: now
    #[serde(default)]
    pub send_at: String,
    /// the draft shown in the box, when the rep approves or discards it
    #[serde(default)]
    pub draft_id: Option<i64>,
    /// send (a new reply), approve (the draft, as edited), discard (the draft), insert (the
    /// canned reply chosen under the box)
    #[serde(default)]
    pub action: String,
    /// the canned reply to insert (its id), with action=insert
    #[serde(default)]
    pub canned: String,
}

fn refused(reply: ReplyForm, reply_error: String, send_at_error: String) -> Posted {
    Posted {
        reply,
        reply_error,
        send_at_error,
        ..Default::default()
    }
}

pub struct CardView {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub state: String,
    pub gate_state: String,
    pub gate_zones: String,
    pub consent: String,
    pub consent_history: Vec<(String, String)>,
    pub vehicles: Vec<VehicleView>,
    pub visits: Vec<VisitView>,
    /// what surveys learned, each with how sure and from what words
    pub facts: Vec<view::FactView>,
    /// the facts the store asks about, (key, name), for "Add what you learned"
    pub fact_keys: Vec<(String, String)>,
    /// a refused fact: (key, what was typed, why)
    pub fact_error: Option<(String, String, String)>,
    /// the customer's words that may mean stop, while a rep has not decided
    pub review: Option<String>,
    /// the watchlist's next-to-buy score, once the nightly recompute has scored them
    pub score: Option<view::ScoreView>,
}

#[derive(Template)]
#[template(path = "conversation.html")]
pub struct ConversationPage {
    nav: Nav,
    lead_id: i64,
    name: String,
    days: Vec<Day>,
    earlier: Option<String>,
    paged: bool,
    verdict: String,
    verdict_tone: &'static str,
    /// the gate would block a reply now: the send buttons are off
    blocked: bool,
    notice: String,
    reply: ReplyForm,
    draft_id: Option<i64>,
    drafter: String,
    /// the draft as drafted (the live refresh puts it in an empty box)
    draft_text: String,
    size: String,
    reply_error: String,
    send_at_error: String,
    offers: Vec<OfferView>,
    offers_suppressed: bool,
    offer_error: String,
    card: CardView,
    card_form: CardForm,
    card_errors: Vec<(&'static str, String)>,
    account_zone: String,
    canned: Vec<Canned>,
}

impl ConversationPage {
    /// What was typed for this fact and why it was refused, if it was.
    fn fact_refusal(&self, key: &str) -> Option<(String, String)> {
        match &self.card.fact_error {
            Some((k, typed, why)) if k == key => Some((typed.clone(), why.clone())),
            _ => None,
        }
    }

    /// A refused fact the customer has no value for yet (the "Add" form's): key, typed, why.
    fn new_fact_refusal(&self) -> Option<(String, String, String)> {
        self.card
            .fact_error
            .clone()
            .filter(|(k, _, _)| !self.card.facts.iter().any(|f| &f.key == k))
    }

    fn card_error(&self, field: &str) -> String {
        self.card_errors
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `GET /threads/{lead_id}[?before=cursor]`
pub async fn show(
    State(app): State<App>,
    user: CurrentUser,
    Path(lead_id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let before = match q.before.as_deref().filter(|b| !b.is_empty()) {
        None => None,
        Some(raw) => match Cursor::decode(raw) {
            Some(c) => Some(c),
            None => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    "Bad link",
                    "That link to earlier messages is not one.",
                )
            }
        },
    };
    if before.is_none() {
        // opening the conversation reads its latest texts: the inbox's unread marker goes
        let (account_id, t) = (user.0.account_id, crate::clock::to_unix(app.now()));
        if let Err(e) = app
            .db
            .write(move |tx| store::conversations::mark_read(tx, account_id, lead_id, t))
            .await
        {
            tracing::warn!(error = %e, lead_id, "could not mark the conversation read");
        }
    }
    page(&app, &user, lead_id, before, &q, Posted::default(), StatusCode::OK).await
}

/// Load everything the page shows and render it with `status` (422 when a form was refused).
pub async fn page(
    app: &App,
    user: &CurrentUser,
    lead_id: i64,
    before: Option<Cursor>,
    q: &ShowQuery,
    posted: Posted,
    status: StatusCode,
) -> Response {
    let account_id = user.0.account_id;
    let now = app.now();
    let (sent, asked) = (q.sent, q.asked);
    let loaded = app
        .db
        .call(move |c| load(c, account_id, lead_id, before, sent, now))
        .await;
    let l = match loaded {
        Ok(Some(l)) => l,
        Ok(None) => return not_found(),
        Err(e) => return page_error(e),
    };
    let tz = l.tz;
    let (verdict, verdict_tone) = view::verdict_in_words(&l.verdict, tz);
    let notice = l
        .sent
        .as_ref()
        .map(|m| sent_notice(m, asked, l.verdict.customer_zone, tz))
        .unwrap_or_default();
    let lead = &l.lead;
    let name = lead_name(lead);
    let (gate_state, gate_zones) = view::where_for_gate(lead, tz);
    let card = CardView {
        name: name.clone(),
        phone: lead
            .phone_e164
            .as_ref()
            .map(|p| p.display())
            .unwrap_or_else(|| "no phone".into()),
        email: lead.email.clone().unwrap_or_default(),
        state: lead.state.clone().unwrap_or_default(),
        gate_state,
        gate_zones,
        consent: match (lead.opted_out, lead.textable, lead.phone_e164.is_some()) {
            (true, _, _) => "Opted out: no texts".into(),
            (false, _, false) => "No phone number on file".into(),
            (false, false, true) => "The number does not take texts".into(),
            (false, true, true) => "Textable: has not opted out".into(),
        },
        consent_history: l
            .consent
            .iter()
            .map(|c| (local_time(c.at, tz), view::consent_in_words(&c.kind, c.source.as_str())))
            .collect(),
        vehicles: l.vehicles.iter().map(|v| view::vehicle(v, tz)).collect(),
        visits: l.visits.iter().map(|v| view::visit(v, tz)).collect(),
        facts: l.facts.iter().map(|f| view::fact(f, tz)).collect(),
        fact_keys: l.fact_keys.iter().map(|k| (k.clone(), view::fact_name(k))).collect(),
        fact_error: posted.fact_error,
        review: l.review.as_ref().map(|r| r.body.clone()),
        score: l.score.as_ref().map(|e| view::score(e, tz)),
    };
    let card_form = posted.card.unwrap_or_else(|| CardForm {
        csrf: String::new(),
        first_name: lead.first_name.clone().unwrap_or_default(),
        last_name: lead.last_name.clone().unwrap_or_default(),
        email: lead.email.clone().unwrap_or_default(),
        state: lead.state.clone().unwrap_or_default(),
        timezone: lead.timezone.clone().unwrap_or_default(),
    });
    // a refused reply keeps what was typed; otherwise the waiting draft fills the box
    let mut reply = posted.reply;
    let typed = !reply.body.is_empty() || !posted.reply_error.is_empty() || !posted.send_at_error.is_empty();
    if !typed {
        if let Some(d) = &l.draft {
            reply.body = d.body.clone();
        }
    }
    if !posted.insert.is_empty() {
        reply.body = posted.insert;
    }
    let size = sms::size(&reply.body).describe();
    render_status(
        status,
        ConversationPage {
            nav: Nav::new("threads", &user.0),
            lead_id,
            name,
            days: view::days(&l.page.items, tz, l.verdict.customer_zone),
            earlier: l.page.earlier.map(|c| c.encode()),
            paged: before.is_some(),
            verdict,
            verdict_tone,
            blocked: l.verdict.status == MessageStatus::Blocked,
            notice,
            reply,
            draft_id: l.draft.as_ref().map(|d| d.id),
            drafter: l.draft.as_ref().map(|d| d.drafter.clone()).unwrap_or_default(),
            draft_text: l.draft.as_ref().map(|d| d.body.clone()).unwrap_or_default(),
            size,
            reply_error: posted.reply_error,
            send_at_error: posted.send_at_error,
            offers: l
                .offers
                .iter()
                .map(|(s, visit)| view::offer(s, visit.clone(), tz))
                .collect(),
            offers_suppressed: lead.offers_suppressed,
            offer_error: posted.offer_error,
            card,
            card_form,
            card_errors: posted.card_errors,
            account_zone: tz.name().to_string(),
            canned: l.canned,
        },
    )
}

fn render_status(status: StatusCode, t: impl Template) -> Response {
    let mut resp = render(t);
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = status;
    }
    resp
}

pub fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Customer not found",
        "There is no such customer in this store.",
    )
}

fn lead_name(lead: &store::leads::Lead) -> String {
    let name = [lead.first_name.as_deref(), lead.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !name.trim().is_empty() {
        name
    } else if let Some(p) = &lead.phone_e164 {
        phone::display(p)
    } else {
        "(no name)".into()
    }
}

/// What became of the reply just sent, in words: sent, held until when (and, if the rep asked
/// for a time the gate refused, that it was moved), or blocked.
fn sent_notice(
    m: &store::messages::OutboundRow,
    asked: Option<i64>,
    customer_zone: chrono_tz::Tz,
    tz: chrono_tz::Tz,
) -> String {
    let why = m.blocked_code.as_deref().map(held_in_words).unwrap_or_default();
    match m.status {
        MessageStatus::Deferred => {
            let until = m.deferred_until.unwrap_or(m.not_before);
            let when = view::short_time(from_unix(until), customer_zone);
            match asked.filter(|a| *a < until) {
                Some(a) => format!(
                    "You asked for {}; that time is not allowed, so it was moved to {when}, the next allowed moment, because of {why}.",
                    view::short_time(from_unix(a), tz)
                ),
                None => format!("Reply saved: it will be held until {when} because of {why}."),
            }
        }
        MessageStatus::Blocked => format!("Reply not sent: blocked because {why}."),
        MessageStatus::Queued if m.not_before > m.created_at => {
            format!("Reply scheduled for {}.", view::short_time(from_unix(m.not_before), tz))
        }
        MessageStatus::Queued => "Reply queued: it goes out with the next send.".into(),
        other => format!("Reply {}.", other.as_str()),
    }
}

struct Loaded {
    tz: chrono_tz::Tz,
    lead: store::leads::Lead,
    page: store::conversation::Page,
    verdict: outbox::Verdict,
    draft: Option<store::drafts::Draft>,
    offers: Vec<(store::offer_sends::OfferSend, Option<String>)>,
    consent: Vec<store::consent::ConsentEvent>,
    /// words of the customer's that may mean stop, waiting for a rep
    review: Option<store::consent::OptOutReview>,
    /// what surveys have learned
    facts: Vec<store::questions::Fact>,
    score: Option<crate::watchlist::list::Entry>,
    /// the facts the account's questions fill
    fact_keys: Vec<String>,
    vehicles: Vec<store::conversation::OwnedVehicle>,
    visits: Vec<store::conversation::Visit>,
    sent: Option<store::messages::OutboundRow>,
    /// the account's canned replies, filled in for this customer
    canned: Vec<Canned>,
}

/// Everything the page reads, in one pooled connection. None: no such customer here.
fn load(
    c: &rusqlite::Connection,
    account_id: i64,
    lead_id: i64,
    before: Option<Cursor>,
    sent: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Loaded>> {
    let Some(lead) = store::leads::get(c, account_id, lead_id)? else {
        return Ok(None);
    };
    let tz = store::accounts::get(c, account_id)?.timezone;
    let offers = store::offer_sends::for_lead(c, account_id, lead_id, 10)?
        .into_iter()
        .map(|s| {
            let visit = store::conversation::visit_number(c, account_id, s.service_event_id)?;
            Ok((s, visit))
        })
        .collect::<Result<Vec<_>>>()?;
    let sent = match sent {
        Some(id) => store::messages::get_out(c, id)?.filter(|m| m.account_id == account_id && m.lead_id == lead_id),
        None => None,
    };
    let vehicles = store::conversation::vehicles(c, account_id, lead_id)?;
    let visits = store::conversation::recent_visits(c, account_id, lead_id, 5)?;
    let canned = canned_for(c, account_id, &lead, &vehicles, &visits)?;
    Ok(Some(Loaded {
        tz,
        canned,
        page: store::conversation::page(c, account_id, lead_id, before, PAGE_ITEMS)?,
        verdict: outbox::verdict(c, account_id, lead_id, Purpose::Reply, now)?,
        draft: store::drafts::pending_for_lead(c, account_id, lead_id)?,
        offers,
        consent: store::consent::history(c, lead_id)?,
        review: store::consent::open_review(c, lead_id)?,
        facts: store::questions::facts(c, account_id, lead_id)?,
        score: crate::watchlist::list::for_lead(c, account_id, lead_id)?,
        fact_keys: store::questions::list(c, account_id)?
            .into_iter()
            .map(|q| q.fact_key)
            .collect(),
        vehicles,
        visits,
        sent,
        lead,
    }))
}

/// Local `YYYY-MM-DDTHH:MM` (a datetime-local input) in `tz` as a moment; a time skipped by a
/// clock change is read as the minute after the gap, a repeated one as the first.
pub fn parse_local(raw: &str, tz: chrono_tz::Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let raw = raw.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .ok()?;
    for add in 0..=120 {
        let t = naive + chrono::Duration::minutes(add);
        match tz.from_local_datetime(&t) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => return Some(t.to_utc()),
            chrono::LocalResult::None => continue,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::to_unix;

    #[test]
    fn a_local_send_later_time_is_read_in_the_account_zone() {
        let tz = chrono_tz::America::Chicago;
        let t = parse_local("2026-11-24T19:30", tz).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T01:30:00+00:00");
        assert_eq!(
            from_unix(to_unix(t))
                .with_timezone(&tz)
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
            "2026-11-24T19:30"
        );
        assert!(parse_local("tomorrow", tz).is_none());
        // 02:30 on the spring-forward day does not exist: the minute after the gap
        let t = parse_local("2026-03-08T02:30", tz).unwrap();
        assert_eq!(t.with_timezone(&tz).format("%H:%M").to_string(), "03:00");
    }
}
