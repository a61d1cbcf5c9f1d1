//! What the conversation page shows, built from the read model: the history grouped by day in
//! the account's zone, the gate's verdict in words, the offer panel and the customer card.

use crate::clock::from_unix;
use crate::domain::geo;
use crate::domain::messages::{held_in_words, purpose_in_words, status_in_words, MessageStatus};
use crate::domain::offers::Phase;
use crate::messaging::outbox::Verdict;
use crate::store::conversation::{Entry, Item, OwnedVehicle, Visit};
use crate::store::leads::Lead;
use crate::store::offer_sends::OfferSend;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub struct Day {
    pub label: String,
    pub items: Vec<ItemView>,
}

pub struct ItemView {
    /// in, out or consent (the CSS class)
    pub kind: &'static str,
    pub id: String,
    pub time: String,
    pub body: String,
    pub status: String,
    /// ok, wait, bad: how the status is coloured
    pub tone: &'static str,
    pub purpose: String,
    pub about: String,
    pub by: String,
}

/// `Tue 08:00 CST`: a moment in a zone, as the verdict and deferrals say it.
pub fn short_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%a %b %-d %H:%M %Z").to_string()
}

/// The history, grouped by local day in the account's zone.
pub fn days(items: &[Item], tz: Tz, customer_zone: Tz) -> Vec<Day> {
    let mut days: Vec<Day> = Vec::new();
    for item in items {
        let local = from_unix(item.at).with_timezone(&tz);
        let label = local.format("%A, %B %-d, %Y").to_string();
        if days.last().is_none_or(|d| d.label != label) {
            days.push(Day {
                label,
                items: Vec::new(),
            });
        }
        let time = local.format("%-I:%M %p").to_string();
        let view = match &item.entry {
            Entry::In(m) => ItemView {
                kind: "in",
                id: format!("in-{}", m.id),
                time,
                body: m.body.clone(),
                status: String::new(),
                tone: "",
                purpose: m
                    .keyword
                    .as_deref()
                    .map(|k| format!("keyword {}", k.to_uppercase()))
                    .unwrap_or_default(),
                about: String::new(),
                by: String::new(),
            },
            Entry::Out(m) => {
                let until = m.deferred_until.map(|t| short_time(from_unix(t), customer_zone));
                let status = status_in_words(
                    m.status,
                    until.as_deref(),
                    m.error_code.as_deref(),
                    m.blocked_code.as_deref(),
                );
                let tone = match m.status {
                    MessageStatus::Sent | MessageStatus::Delivered => "ok",
                    MessageStatus::Queued | MessageStatus::Deferred | MessageStatus::Sending => "wait",
                    _ => "bad",
                };
                let about = match (&m.offer_name, &m.experiment) {
                    (Some(o), Some(e)) => {
                        format!("offer: {o} · experiment {e} ({})", m.variant.as_deref().unwrap_or("-"))
                    }
                    (Some(o), None) => format!("offer: {o}"),
                    (None, Some(e)) => format!("experiment {e} ({})", m.variant.as_deref().unwrap_or("-")),
                    (None, None) => String::new(),
                };
                ItemView {
                    kind: "out",
                    id: format!("out-{}", m.id),
                    time,
                    body: m.body.clone(),
                    status,
                    tone,
                    purpose: purpose_in_words(m.purpose).to_string(),
                    about,
                    by: m.created_by.clone().unwrap_or_default(),
                }
            }
            Entry::Consent(c) => ItemView {
                kind: "consent",
                id: format!("consent-{}", c.id),
                time,
                body: consent_in_words(&c.kind, &c.source),
                status: String::new(),
                tone: if c.kind == "opt_out" { "bad" } else { "ok" },
                purpose: String::new(),
                about: String::new(),
                by: String::new(),
            },
        };
        if let Some(day) = days.last_mut() {
            day.items.push(view);
        }
    }
    days
}

/// `Opted out (texted STOP)`.
pub fn consent_in_words(kind: &str, source: &str) -> String {
    let how = match source {
        "keyword" => "texted STOP",
        "reply" => "in their own words",
        "carrier" => "through their carrier",
        "manual" => "by a rep",
        "import" => "in a DMS import",
        "api" => "through the API",
        "lead_form" => "on a lead form",
        other => other,
    };
    match (kind, source) {
        ("opt_in", "keyword") => "Opted back in (texted START)".into(),
        ("opt_in", _) => format!("Opted in ({how})"),
        (_, _) => format!("Opted out ({how}): no texts but the confirmation"),
    }
}

/// The gate's verdict for a reply now, in words, and its tone (ok, wait, bad).
pub fn verdict_in_words(v: &Verdict, account_tz: Tz) -> (String, &'static str) {
    let why = v.code.as_deref().map(held_in_words).unwrap_or_default();
    match v.status {
        MessageStatus::Deferred => {
            let mut when = short_time(v.at, v.customer_zone);
            let yours = short_time(v.at, account_tz);
            if yours != when {
                when = format!("{when} ({yours} your time)");
            }
            (format!("Will be held until {when} because of {why}."), "wait")
        }
        MessageStatus::Blocked => (format!("Blocked: {why}. A reply will not be sent."), "bad"),
        _ => ("Sends now.".into(), "ok"),
    }
}

pub struct OfferView {
    pub id: i64,
    pub name: String,
    pub phase: &'static str,
    pub visit: String,
    pub status: String,
    pub outcome: String,
    pub revenue: String,
    pub note: String,
    pub when: String,
}

pub fn phase_in_words(p: Phase) -> &'static str {
    match p {
        Phase::TMinus48h => "2 days before the visit",
        Phase::RoOpen => "while the car is in",
        Phase::TPlus24h => "the day after the visit",
    }
}

pub fn offer(s: &OfferSend, visit: Option<String>, tz: Tz) -> OfferView {
    let via = match s.accepted_via.as_deref() {
        Some("reply") => "by text reply",
        Some("click") => "by the link",
        Some("ro_line") => "on the RO",
        Some("manual") => "by a rep",
        Some(_) | None => "",
    };
    let outcome = match s.accepted {
        Some(true) => format!("accepted {via}").trim().to_string(),
        Some(false) => "declined".into(),
        None => "no answer yet".into(),
    };
    OfferView {
        id: s.id,
        name: s.offer_name.clone().unwrap_or_else(|| "(no offer)".into()),
        phase: phase_in_words(s.phase),
        visit: visit.unwrap_or_default(),
        status: match &s.status_reason {
            Some(r) if !r.is_empty() => format!("{}: {r}", s.status),
            _ => s.status.to_string(),
        },
        outcome,
        revenue: s.revenue_attributed_cents.to_string(),
        note: s.outcome_note.clone().unwrap_or_default(),
        when: super::super::view::local_time(s.created_at, tz),
    }
}

pub struct VehicleView {
    pub title: String,
    pub vin: String,
    pub mileage: String,
    pub ownership: String,
}

pub fn vehicle(v: &OwnedVehicle, tz: Tz) -> VehicleView {
    let title = [
        v.year.map(|y| y.to_string()),
        v.make.clone(),
        v.model.clone(),
        v.trim.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let date = |t: i64| from_unix(t).with_timezone(&tz).format("%b %Y").to_string();
    let mut terms = Vec::new();
    if let Some(f) = v.finance_type {
        terms.push(f.as_str().to_string());
    }
    if let Some(m) = v.term_months {
        terms.push(format!("{m} months"));
    }
    if let Some(p) = v.monthly_payment {
        terms.push(format!("{p}/month"));
    }
    let since = v.purchased_at.map(|t| format!("bought {}", date(t)));
    let ownership = match (v.active, v.ended_at) {
        (true, _) => [since, Some(terms.join(", ")).filter(|s| !s.is_empty())],
        (false, ended) => [
            since,
            Some(format!(
                "no longer theirs{}",
                ended.map(|e| format!(" since {}", date(e))).unwrap_or_default()
            )),
        ],
    }
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    VehicleView {
        title: if title.is_empty() { "(vehicle)".into() } else { title },
        vin: v.vin.as_ref().map(|v| v.as_str().to_string()).unwrap_or_default(),
        mileage: v
            .odometer
            .map(|m| format!("{} mi", super::super::view::thousands(m)))
            .unwrap_or_default(),
        ownership,
    }
}

pub struct VisitView {
    pub number: String,
    pub kind: &'static str,
    pub when: String,
    pub advisor: String,
    pub lines: Vec<(String, String, String)>,
    pub total: String,
}

pub fn visit(v: &Visit, tz: Tz) -> VisitView {
    VisitView {
        number: v.external_id.clone(),
        kind: match v.kind {
            crate::domain::visit::ServiceEventKind::RepairOrder => "repair order",
            crate::domain::visit::ServiceEventKind::Appointment => "appointment",
        },
        when: local_date(v.at, tz),
        advisor: v.advisor.clone().unwrap_or_default(),
        lines: v
            .lines
            .iter()
            .map(|l| {
                (
                    l.op_code.clone(),
                    l.description.clone().unwrap_or_default(),
                    l.amount_cents.map(|c| c.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        total: v.total.map(|c| c.to_string()).unwrap_or_default(),
    }
}

/// Where the customer is for the gate: the state it reads and every zone it may be in.
pub fn where_for_gate(lead: &Lead, account_tz: Tz) -> (String, String) {
    let phone = lead.phone_e164.as_deref();
    let state = geo::resolve_state(lead.state.as_deref(), lead.postal_code.as_deref(), phone)
        .map(str::to_string)
        .unwrap_or_else(|| "unknown".into());
    let zones = geo::resolve_zones(
        lead.timezone.as_deref(),
        lead.state.as_deref(),
        lead.postal_code.as_deref(),
        phone,
        account_tz,
    );
    let zones = zones.iter().map(|z| z.name()).collect::<Vec<_>>().join(", ");
    (state, zones)
}

/// A fact as the card shows it.
pub struct FactView {
    pub key: String,
    /// its name in words
    pub name: String,
    /// its value in words (miles with a comma, a bucket in words)
    pub value: String,
    /// the value as stored: what Confirm sets again
    pub stored: String,
    /// how sure the reading was, from which words, when; or who set it
    pub how: String,
    /// unsure: a rep should check it
    pub review: bool,
}

/// A fact's name in words.
pub fn fact_name(key: &str) -> String {
    match key {
        "mileage" => "Mileage".to_string(),
        "purchase_timeframe" => "Next purchase".to_string(),
        "trade_in_interest" => "Trade-in value wanted".to_string(),
        "primary_use" => "Mostly used for".to_string(),
        "preferred_contact_time" => "Best time to reach".to_string(),
        other => other.replace('_', " "),
    }
}

pub fn fact(f: &crate::store::questions::Fact, tz: Tz) -> FactView {
    let value = match (f.unit.as_deref(), f.value.as_str()) {
        (Some("miles"), v) => v
            .parse::<i64>()
            .map(|n| format!("{} miles", crate::domain::money::thousands(n)))
            .unwrap_or_else(|_| v.to_string()),
        (Some("bucket"), v) => window_words(v).to_string(),
        // a timeframe brought over without its unit reads the same
        (None, v) if f.key == "purchase_timeframe" => window_words(v).to_string(),
        (_, v) => v.to_string(),
    };
    let when = local_date(f.observed_at, tz);
    let how = match (f.source.as_str(), &f.source_text) {
        ("manual", Some(words)) => format!("set by a rep; the customer wrote \"{words}\" ({when})"),
        ("manual", None) => format!("set by a rep ({when})"),
        (_, Some(words)) => format!("{:.0}% sure, from \"{words}\" ({when})", f.confidence * 100.0),
        (source, None) => {
            let source = match source {
                "import" => "imported",
                "lead_form" => "from a lead form",
                "inferred" => "inferred",
                other => other,
            };
            format!("{:.0}% sure ({source}, {when})", f.confidence * 100.0)
        }
    };
    FactView {
        key: f.key.clone(),
        name: fact_name(&f.key),
        value,
        stored: f.value.clone(),
        how,
        review: f.needs_review,
    }
}

/// "Nov 24, 2026" in the store's zone.
fn local_date(at: i64, tz: Tz) -> String {
    from_unix(at).with_timezone(&tz).format("%b %-d, %Y").to_string()
}

/// A timeframe bucket or a watchlist window (the same words) as a manager reads it.
pub fn window_words(bucket: &str) -> &str {
    crate::domain::survey::Timeframe::parse(bucket).map_or(bucket, |t| t.in_words())
}

/// The watchlist's score as the card shows it.
pub struct ScoreView {
    pub score: u32,
    /// when they are likely to buy, in words
    pub window: String,
    pub arrow: &'static str,
    pub trend: String,
    /// the top reasons, each with its points
    pub reasons: Vec<String>,
    pub scored: String,
}

pub fn score(e: &crate::watchlist::list::Entry, tz: Tz) -> ScoreView {
    let (arrow, trend) = crate::web::pages::watchlist::trend(e);
    ScoreView {
        score: e.score,
        window: window_words(&e.window).to_string(),
        arrow,
        trend,
        reasons: e.reason_lines(3),
        scored: local_date(e.computed_at, tz),
    }
}
