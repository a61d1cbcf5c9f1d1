//! The upsell triggers: at three moments of a service visit, text the customer the one offer
//! that fits best — at most once per (visit, phase), through the outbox.
//!
//! Each tick reads, per phase, the visits whose phase time has come (a range of a partial
//! index, so history does not slow it down) and handles them in bulk write transactions of a
//! bounded time, each visit in a savepoint of its own: claim the (visit, phase) row in
//! `offer_sends` — the UNIQUE constraint decides who wins if two ticks race — then enqueue the
//! text, then mark the phase done on the visit. A visit that fails is recorded as failed and
//! does not hold up the others.

use crate::clock::{from_unix, to_unix};
use crate::db::WriteTx;
use crate::domain::compliance::Purpose;
use crate::domain::experiments::Campaign;
use crate::domain::money::dollars;
use crate::domain::offers::{self, Candidate, OfferSendStatus, PastLine, Phase, VehicleFacts, VisitFacts};
use crate::domain::visit::ServiceEventKind;
use crate::error::Result;
use crate::messaging::outbox::{self, SendRequest};
use crate::store::{self, offer_sends::NewOfferSend, visits::DueVisit};
use crate::{secrets, App};
use chrono::{DateTime, Datelike, Utc};
use rusqlite::Connection;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

/// Who writes the offer texts (their `created_by`).
pub const SENDER: &str = "upsell.triggers";

/// Visits handled per phase per tick; the rest wait for the next tick.
const PER_TICK: i64 = 2_000;
/// An offer is not texted to the same customer twice within this many days, whatever the visit.
const REPEAT_DAYS: i64 = 7;
/// How far back a visit's history is read for rules (skip-if-done, declined lines).
const HISTORY_DAYS: i64 = 3 * 365;

/// What became of one due (visit, phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VisitOutcome {
    /// an offer was texted: where the text stands (queued, deferred or blocked by the gate)
    Texted(OfferSendStatus),
    /// no active offer fits the visit
    NoOffer,
    /// the customer is in an experiment's control group
    HeldOut,
    /// nobody to text: opted out, or no number that takes texts
    Skipped,
    /// the visit has no customer on it
    NoCustomer,
    /// handling it failed; the reason is on the send
    Failed,
    /// another run handled it first
    Duplicate,
}

impl VisitOutcome {
    /// The word it is counted under in a job run.
    pub fn name(self) -> &'static str {
        match self {
            VisitOutcome::Texted(status) => status.as_str(),
            VisitOutcome::NoOffer => "no_offer",
            VisitOutcome::HeldOut => "held_out",
            VisitOutcome::Skipped => "skipped",
            VisitOutcome::NoCustomer => "no_customer",
            VisitOutcome::Failed => "failed",
            VisitOutcome::Duplicate => "duplicate",
        }
    }
}

/// What a tick did: how many visits were due, and what became of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    pub due: usize,
    pub outcomes: BTreeMap<VisitOutcome, usize>,
}

impl TickReport {
    /// Visits that ended one way.
    pub fn count(&self, outcome: VisitOutcome) -> usize {
        self.outcomes.get(&outcome).copied().unwrap_or(0)
    }
}

/// Run every phase once as of `now`. Safe to call concurrently with itself.
pub async fn send_due(app: &App, now: DateTime<Utc>) -> Result<TickReport> {
    let public_url = app.config.public_url();
    app.db
        .call(move |c| {
            let mut report = TickReport::default();
            let mut accounts = HashMap::new();
            for phase in Phase::ALL {
                let (after, up_to) = phase.due_window(to_unix(now));
                let due = store::visits::due(c, phase, after, up_to, to_unix(now), PER_TICK)?;
                report.due += due.len();
                let mut due = due.iter().peekable();
                // visits in transactions of a bounded time each, so that others write between them
                while due.peek().is_some() {
                    let tx = c.write()?;
                    let started = std::time::Instant::now();
                    while started.elapsed() < crate::db::BULK_TX_TIME {
                        let Some(visit) = due.next() else { break };
                        let account = match accounts.entry(visit.account_id) {
                            Entry::Occupied(e) => e.into_mut(),
                            Entry::Vacant(e) => e.insert(AccountOffers::load(&tx, visit.account_id)?),
                        };
                        let handled = tx.savepoint(|tx| handle_visit(tx, account, phase, visit, now, &public_url));
                        let outcome = match handled {
                            Ok(outcome) => outcome,
                            // one visit that cannot be handled must not hold up the others (nor
                            // every tick after): record why, and mark the phase done
                            Err(e) => {
                                tracing::error!(visit = visit.id, phase = phase.as_str(), error = %e, "upsell trigger failed");
                                tx.savepoint(|tx| record_failure(tx, phase, visit, &e.to_string(), now))?
                            }
                        };
                        *report.outcomes.entry(outcome).or_default() += 1;
                    }
                    tx.commit()?;
                }
            }
            Ok(report)
        })
        .await
}

/// An account's active offers, read once per tick.
struct AccountOffers {
    tz: chrono_tz::Tz,
    candidates: Vec<Candidate>,
    offers: HashMap<i64, store::offers::Offer>,
}

impl AccountOffers {
    fn load(conn: &Connection, account_id: i64) -> Result<AccountOffers> {
        let account = store::accounts::get(conn, account_id)?;
        let tz = account.timezone;
        let mut candidates = Vec::new();
        let mut offers = HashMap::new();
        for offer in store::offers::list(conn, account_id, false)? {
            match offers::parse_rule(&offer.rule) {
                Ok(rule) => candidates.push(Candidate {
                    id: offer.id,
                    rule,
                    op_codes: offer.op_codes.clone(),
                    value_cents: offer.value_cents,
                    priority: offer.priority,
                    starts_at: offer.starts_at.map(from_unix),
                    ends_at: offer.ends_at.map(from_unix),
                }),
                Err(e) => {
                    // rules are checked on save; one that is not readable is never sent
                    tracing::warn!(offer_id = offer.id, errors = %offers::describe(&e), "offer rule unreadable; skipped");
                    continue;
                }
            }
            offers.insert(offer.id, offer);
        }
        Ok(AccountOffers { tz, candidates, offers })
    }
}

/// Handle one due (visit, phase).
fn handle_visit(
    tx: &WriteTx,
    account: &AccountOffers,
    phase: Phase,
    visit: &DueVisit,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<VisitOutcome> {
    let t = to_unix(now);
    let lead = match visit.lead_id {
        Some(id) => store::leads::get(tx, visit.account_id, id)?,
        None => None,
    };
    let Some(lead) = lead else {
        // a visit with no customer on it: nobody to text
        store::visits::mark_done(tx, visit.id, phase, t)?;
        return Ok(VisitOutcome::NoCustomer);
    };
    let mut send = NewOfferSend {
        account_id: visit.account_id,
        service_event_id: visit.id,
        lead_id: lead.id,
        phase,
        offer_id: None,
        experiment: None,
        status: OfferSendStatus::Skipped,
        status_reason: None,
        link_token: None,
        visit_op_codes: Vec::new(),
    };
    let not_textable = if lead.opted_out {
        Some("the customer opted out")
    } else if lead.phone_e164.is_none() {
        Some("no phone number on file")
    } else if !lead.textable {
        Some("the number on file does not take texts")
    } else if lead.offers_suppressed {
        Some("a rep stopped offers to this customer")
    } else {
        None
    };
    let outcome = if let Some(reason) = not_textable {
        send.status_reason = Some(reason.into());
        claim_only(tx, &send, t)?
    } else {
        let facts = visit_facts(tx, account, phase, visit, lead.id, now)?;
        send.visit_op_codes = facts.visit_op_codes.clone();
        let chosen = offers::select(&account.candidates, &facts).map(|c| c.id);
        send.offer_id = chosen;
        let offer = chosen.and_then(|id| account.offers.get(&id));
        // a text is being decided: this is the moment the customer enters the experiment that
        // governs the phase, if the gate would let a text reach them (else in neither arm)
        if offer.is_some() {
            send.experiment = crate::experiments::assign::at_decision(
                tx,
                visit.account_id,
                lead.id,
                &Campaign::for_upsell_phase(phase.as_str()),
                Purpose::Upsell,
                expires_at(phase, visit).map(from_unix),
                now,
            )?;
        }
        let held_out = crate::experiments::assign::held_out(&send.experiment);
        match offer {
            None => {
                send.status = OfferSendStatus::NoOffer;
                send.status_reason = Some("no active offer fits this visit".into());
                claim_only(tx, &send, t)?
            }
            Some(_) if held_out => {
                send.status = OfferSendStatus::HeldOut;
                send.status_reason = Some("control group: no text, to measure lift (would have been sent now)".into());
                claim_only(tx, &send, t)?
            }
            Some(offer) => {
                let token = secrets::random_token(9);
                send.status = OfferSendStatus::Pending;
                send.link_token = Some(token.clone());
                match store::offer_sends::claim(tx, &send, t)? {
                    None => VisitOutcome::Duplicate,
                    Some(send_id) => {
                        let body = offers::render_body(
                            &offer.body_template,
                            &offers::BodyValues {
                                first_name: lead.first_name.clone(),
                                vehicle: facts
                                    .vehicle
                                    .as_ref()
                                    .and_then(|v| offers::vehicle_label(v.year, v.make.as_deref(), v.model.as_deref())),
                                advisor: visit.advisor.clone(),
                                price: offer.price_cents.map(dollars),
                                link: Some(format!("{}/o/{token}", public_url.trim_end_matches('/'))),
                            },
                        );
                        let mut req = SendRequest::new(visit.account_id, lead.id, Purpose::Upsell, body, SENDER);
                        req.experiment = send.experiment.clone();
                        req.dedupe_key = Some(format!("offer:{}:{}", visit.id, phase.as_str()));
                        req.expires_at = expires_at(phase, visit).map(from_unix);
                        let out = outbox::enqueue(tx, &req, now)?;
                        let status = OfferSendStatus::following(out.status);
                        store::offer_sends::set_message(tx, send_id, out.message_id, status, out.reason.as_deref(), t)?;
                        VisitOutcome::Texted(status)
                    }
                }
            }
        }
    };
    // a duplicate means another run claimed this (visit, phase) first and marked it in the
    // same transaction; marking again is a no-op, and mends a row written by other means
    store::visits::mark_done(tx, visit.id, phase, t)?;
    Ok(outcome)
}

/// Write the send row with no text (no offer, held out, skipped).
fn claim_only(conn: &WriteTx, send: &NewOfferSend, t: i64) -> Result<VisitOutcome> {
    Ok(match store::offer_sends::claim(conn, send, t)? {
        None => VisitOutcome::Duplicate,
        Some(_) => match send.status {
            OfferSendStatus::NoOffer => VisitOutcome::NoOffer,
            OfferSendStatus::HeldOut => VisitOutcome::HeldOut,
            OfferSendStatus::Failed => VisitOutcome::Failed,
            _ => VisitOutcome::Skipped,
        },
    })
}

/// When an offer text stops making sense: a 48-hour text once the appointment is two hours
/// away, an RO-open text ("while your car is here") 8 hours after the RO opened (about a
/// visit's length: a text held overnight would reach a customer who has driven home), an
/// after-visit text four days after the visit. A text the gate holds past this is blocked.
fn expires_at(phase: Phase, visit: &DueVisit) -> Option<i64> {
    match phase {
        Phase::TMinus48h => visit.scheduled_at.map(|s| s - 2 * 3600),
        Phase::RoOpen => visit.opened_at.map(|o| o + 8 * 3600),
        Phase::TPlus24h => visit.closed_at.map(|c| c + 96 * 3600),
    }
}

/// A visit whose handling failed: a `failed` send with the reason (when there is a customer),
/// and the phase marked done (in a savepoint of its own).
fn record_failure(
    tx: &WriteTx,
    phase: Phase,
    visit: &DueVisit,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<VisitOutcome> {
    let t = to_unix(now);
    if let Some(lead_id) = visit.lead_id {
        let send = NewOfferSend {
            account_id: visit.account_id,
            service_event_id: visit.id,
            lead_id,
            phase,
            offer_id: None,
            experiment: None,
            status: OfferSendStatus::Failed,
            status_reason: Some(reason.chars().take(500).collect()),
            link_token: None,
            visit_op_codes: Vec::new(),
        };
        store::offer_sends::claim(tx, &send, t)?;
    }
    store::visits::mark_done(tx, visit.id, phase, t)?;
    Ok(VisitOutcome::Failed)
}

/// Everything the offer rules look at for this visit.
fn visit_facts(
    conn: &Connection,
    account: &AccountOffers,
    phase: Phase,
    visit: &DueVisit,
    lead_id: i64,
    now: DateTime<Utc>,
) -> Result<VisitFacts> {
    let local = now.with_timezone(&account.tz);
    let vehicle = match visit.vehicle_id {
        // the latest odometer: the vehicle's record or this visit's reading, whichever is higher
        Some(id) => store::vehicles::facts(conn, visit.account_id, id)?.map(|v| VehicleFacts {
            mileage: match (v.mileage, visit.mileage) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            ..v
        }),
        None => None,
    };
    let t = to_unix(now);
    let history = store::visits::history(
        conn,
        visit.account_id,
        visit.id,
        lead_id,
        visit.vehicle_id,
        t - HISTORY_DAYS * 86_400,
        t,
    )?;
    let mut lines = Vec::new();
    let mut last_ro = None;
    let mut visit_op_codes = Vec::new();
    for past in &history {
        // "the last RO" for a declined-service follow-up: when the RO has just opened, its
        // declines are not written yet, so it is the visit before
        let is_this_visit = past.id == visit.id;
        let eligible_ro =
            past.kind == ServiceEventKind::RepairOrder && past.at <= t && !(is_this_visit && phase == Phase::RoOpen);
        if last_ro.is_none() && eligible_ro {
            last_ro = Some((past.id, from_unix(past.at)));
        }
        for line in &past.services {
            let code = line.op_code.as_str();
            if is_this_visit && !visit_op_codes.iter().any(|c: &String| c.eq_ignore_ascii_case(code)) {
                visit_op_codes.push(code.trim().to_ascii_uppercase());
            }
            // a line booked on an appointment counts as done: no rotation offer to a
            // customer coming in for a rotation
            lines.push(PastLine {
                service_event_id: past.id,
                op_code: code.to_string(),
                status: line.status,
                at: from_unix(past.at),
            });
        }
    }
    Ok(VisitFacts {
        phase,
        now,
        local_month: local.month(),
        local_year: local.year(),
        vehicle,
        lines,
        last_ro,
        declines: store::offer_sends::declines(conn, visit.account_id, lead_id)?
            .into_iter()
            .map(|(id, at)| (id, from_unix(at)))
            .collect(),
        already_offered: store::offer_sends::recently_offered(
            conn,
            visit.account_id,
            visit.id,
            lead_id,
            t - REPEAT_DAYS * 86_400,
        )?,
        visit_op_codes,
    })
}
