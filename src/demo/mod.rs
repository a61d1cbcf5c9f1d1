//! The demo dealership: a realistic store generated from a fixed seed, so every newcomer sees
//! the same living dashboard — a Honda store in Austin with a few thousand customers, their
//! vehicles and loans, a year of service visits, an offer catalog, a question policy and a
//! year of texting history. Dates are laid out backwards from `now`.
//!
//! Seeding happens once per database: a second call finds the demo account and only reports it.

use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::account::Vertical;
use crate::domain::customer::{FinanceType, LeadStatus};
use crate::domain::money::Cents;
use crate::domain::vin;
use crate::domain::visit::{LineStatus, ServiceEventKind, ServiceLine};
use crate::error::{Error, Result};
use crate::store::service_events::{ImportedEvent, Upserted};
use crate::store::{self, history, leads::NewLead, vehicles};
use crate::{secrets, write_private};
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::Path;

pub const DEMO_ACCOUNT: &str = "Lakeside Honda (demo)";
pub const DEMO_EMAIL: &str = "manager@lakeside-honda.demo";
const SEED: u64 = 0x666f_7265_636f_7572; // "forecour"
const CUSTOMERS: usize = 3000;
const DAY: i64 = 86_400;
const STORE_NUMBER: &str = "+15125550100";
const STORE_TZ: chrono_tz::Tz = chrono_tz::America::Chicago;
/// The demo account was opened this many days before it is seeded.
const ACCOUNT_AGE_DAYS: i64 = 400;

/// What the demo login is, whether it was just seeded or found.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub account_id: i64,
    pub email: String,
    pub password: String,
    pub api_key: Option<String>,
    pub created: bool,
}

#[derive(serde::Deserialize)]
struct OfferFixture {
    name: String,
    body_template: String,
    price_cents: i64,
    value_cents: i64,
    priority: i64,
    op_codes: Vec<String>,
    reply_window_hours: i64,
    attribution_window_days: i64,
    rule: serde_json::Value,
}

mod data;
mod deals;
mod surveys;
use data::{ADVISORS, AREAS, FIRST, LAST, LINES, MODELS};

const OFFERS_JSON: &str = include_str!("../../fixtures/offers.json");

/// Seed the demo store unless it exists. The login is kept in `<data_dir>/demo-login.txt`
/// (mode 0600) so it can be shown at every start.
pub fn seed(conn: &mut crate::db::Conn, data_dir: &Path, now: DateTime<Utc>) -> Result<DemoLogin> {
    let login_file = data_dir.join("demo-login.txt");
    let existing = store::accounts::list(conn)?
        .into_iter()
        .find(|a| a.name == DEMO_ACCOUNT);
    if let Some(account) = existing {
        let password = std::fs::read_to_string(&login_file)
            .ok()
            .and_then(|t| t.lines().find_map(|l| l.strip_prefix("password: ").map(str::to_string)))
            .unwrap_or_else(|| "(see demo-login.txt, or reset with `forecourt user password`)".into());
        return Ok(DemoLogin {
            account_id: account.id,
            email: DEMO_EMAIL.into(),
            password,
            api_key: None,
            created: false,
        });
    }

    let password = secrets::random_token(12);
    let api_key = secrets::new_api_key();
    let tx = conn.write()?;
    let account_id = generate(&tx, now, &password, &api_key)?;
    tx.commit()?;
    write_private(
        &login_file,
        &format!("email: {DEMO_EMAIL}\npassword: {password}\napi key: {api_key}\n"),
    )?;
    Ok(DemoLogin {
        account_id,
        email: DEMO_EMAIL.into(),
        password,
        api_key: Some(api_key),
        created: true,
    })
}

/// Store one generated visit (through the same upsert an import uses) and return its id.
fn demo_event(tx: &WriteTx, account_id: i64, e: &ImportedEvent, at: i64) -> Result<i64> {
    match store::service_events::upsert_imported(tx, account_id, e, at)? {
        Upserted::Created(id) | Upserted::Updated(id) | Upserted::Unchanged(id) => Ok(id),
    }
}

fn vin_for(rng: &mut StdRng, wmi: &str, vds: &str, year: i32) -> vin::Vin {
    let plant = ['A', 'L', 'E', 'H', 'C'].choose(rng).copied().unwrap_or('A');
    vin::synthesize(wmi, vds, year, plant, rng.random_range(0..1_000_000))
}

fn generate(tx: &WriteTx, now: DateTime<Utc>, password: &str, api_key: &str) -> Result<i64> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let t_now = to_unix(now);
    let store_number = STORE_NUMBER;
    let account_id = store::accounts::insert(
        tx,
        &store::accounts::NewAccount {
            name: DEMO_ACCOUNT,
            timezone: STORE_TZ,
            vertical: Vertical::Automotive,
            api_key_hash: &secrets::sha256_hex(api_key),
            twilio_number: Some(store_number),
        },
        t_now - ACCOUNT_AGE_DAYS * DAY,
    )?;
    let hash = secrets::hash_password(password).map_err(Error::internal)?;
    store::users::insert(
        tx,
        account_id,
        DEMO_EMAIL,
        Some("Service Manager"),
        crate::domain::users::Role::Manager,
        &hash,
        t_now - ACCOUNT_AGE_DAYS * DAY,
    )?;

    let offers: Vec<OfferFixture> =
        serde_json::from_str(OFFERS_JSON).map_err(|e| Error::internal(format!("fixtures/offers.json: {e}")))?;
    let mut offer_ids = Vec::new();
    for o in &offers {
        let id = store::offers::insert(
            tx,
            account_id,
            &store::offers::NewOffer {
                name: o.name.clone(),
                body_template: o.body_template.clone(),
                rule_json: o.rule.to_string(),
                op_codes: o.op_codes.clone(),
                price_cents: Some(o.price_cents),
                value_cents: o.value_cents,
                priority: o.priority,
                reply_window_hours: o.reply_window_hours,
                attribution_window_days: o.attribution_window_days,
                ..Default::default()
            },
            t_now - 380 * DAY,
        )?;
        offer_ids.push((id, o));
    }
    crate::surveys::seed_automotive(tx, account_id, t_now - 380 * DAY)?;
    let questions = store::questions::list(tx, account_id)?;
    let question = |fact: &str| {
        questions
            .iter()
            .find(|q| q.fact_key == fact)
            .ok_or_else(|| Error::internal(format!("the demo's questions have no {fact}")))
    };
    let mut surveys = surveys::Surveys {
        account_id,
        store: DEMO_ACCOUNT,
        store_number: STORE_NUMBER,
        tz: STORE_TZ,
        now: t_now,
        mileage: question("mileage")?,
        timeframe: question("purchase_timeframe")?,
        // a generator of its own: the rest of the store stays as it was
        rng: StdRng::seed_from_u64(SEED ^ 0x5_0e7),
        sid: 0,
    };

    let this_year = now.format("%Y").to_string().parse::<i32>().unwrap_or(2026);
    let mut ro_number = 480_000;
    let mut appt_number = 90_000;
    let mut sid = 0u64;
    let mut next_sid = |prefix: &str| {
        sid += 1;
        format!("{prefix}{sid:032x}")
    };
    // the deal history draws from a generator of its own: the rest of the store stays as it was
    let mut deal_rng = StdRng::seed_from_u64(SEED ^ 0xdea1);
    let mut dealer = deals::Dealer {
        account_id,
        now: t_now,
        this_year,
        next_deal: 0,
        next_repair: 0,
    };
    for i in 0..CUSTOMERS {
        // 555-0100..0199 numbers are reserved for fiction: spread customers over the area codes
        let (area, state, city) = AREAS[i % AREAS.len()];
        let first = *FIRST.choose(&mut rng).expect("names");
        let last = *LAST.choose(&mut rng).expect("names");
        let phone_roll: f64 = rng.random();
        let phone = (phone_roll > 0.04).then(|| format!("+1{area}555{:04}", 100 + i / AREAS.len()));
        let landline = phone.is_some() && phone_roll < 0.07;
        let created = t_now - rng.random_range(30..2_400) * DAY;
        let lead_id = store::leads::insert(
            tx,
            account_id,
            &NewLead {
                phone_e164: phone.clone(),
                email: rng
                    .random_bool(0.75)
                    .then(|| format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase(), i)),
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                city: Some(city.into()),
                state: Some(state.into()),
                postal_code: None,
                timezone: None,
                source: ["dms", "dms", "dms", "website", "oem", "walk-in"]
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("dms")
                    .into(),
                status: LeadStatus::Customer,
                textable: phone.is_some() && !landline,
                vehicle_interest: None,
            },
            created,
        )?;
        // a few customers said STOP at some point; they get no texts after it
        let opted_out_at =
            (phone.is_some() && !landline && rng.random_bool(0.025)).then(|| t_now - rng.random_range(1..300) * DAY);
        if let Some(at) = opted_out_at {
            store::consent::opt_out(
                tx,
                account_id,
                lead_id,
                crate::domain::consent::ConsentSource::Keyword,
                None,
                at,
            )?;
        }

        let vehicles_owned = if rng.random_bool(0.18) { 2 } else { 1 };
        // the vehicle the customer drives now, and the days offers went to them
        let mut current = (String::new(), t_now, 30);
        let mut offers_at = Vec::new();
        for _ in 0..vehicles_owned {
            let &(make, model, wmi, vds, price) = MODELS
                .choose_weighted(&mut rng, |m| if m.0 == "Honda" { 10 } else { 2 })
                .expect("models");
            let year = rng.random_range(this_year - 11..=this_year);
            let vin = vin_for(&mut rng, wmi, vds, year);
            let age_days = ((this_year - year) as i64 * 365 + rng.random_range(0..300)).max(20);
            let purchased_at = t_now - age_days * DAY;
            let miles_per_day = rng.random_range(25..55);
            let odometer = age_days * miles_per_day;
            let vehicle_id = vehicles::insert(
                tx,
                account_id,
                &vehicles::NewVehicle {
                    vin: Some(vin.clone()),
                    year: Some(year),
                    make: Some(make.into()),
                    model: Some(model.into()),
                    trim: None,
                    last_odometer: Some(odometer),
                    last_odometer_at: Some(t_now - 30 * DAY),
                },
                created,
            )?;
            let roll: f64 = rng.random();
            let (finance_type, term, payment) = if roll < 0.55 {
                (
                    FinanceType::Loan,
                    Some(*[60i64, 72, 84].choose(&mut rng).expect("terms")),
                    Some(price * 100 / 62),
                )
            } else if roll < 0.8 {
                (
                    FinanceType::Lease,
                    Some(*[36i64, 39].choose(&mut rng).expect("terms")),
                    Some(price * 100 / 85),
                )
            } else {
                (FinanceType::Cash, None, None)
            };
            vehicles::insert_ownership(
                tx,
                account_id,
                &vehicles::NewOwnership {
                    lead_id,
                    vehicle_id,
                    purchased_at: Some(purchased_at),
                    finance_type: Some(finance_type),
                    term_months: term,
                    monthly_payment_cents: payment,
                },
                created,
            )?;
            let first_owned = deals::Owned {
                vehicle_id,
                vin: vin.clone(),
                model_year: year,
                model,
                purchased_at,
                finance: finance_type,
                term_months: term,
                miles_per_day,
            };
            // who bought again, and when: the vehicle owned now
            let owned = dealer.history(tx, &mut deal_rng, lead_id, first_owned, payment, MODELS)?;
            let (vehicle_id, purchased_at, year, model, miles_per_day) = (
                owned.vehicle_id,
                owned.purchased_at,
                owned.model_year,
                owned.model,
                owned.miles_per_day,
            );
            let odometer = (t_now - purchased_at) / DAY * miles_per_day;
            current = (format!("{year} {model}"), purchased_at, miles_per_day);

            // a year of service visits, every 3-6 months, the newest maybe still open
            let mut visit = t_now - rng.random_range(0..150) * DAY - rng.random_range(0..8) * 3600;
            let mut visits = Vec::new();
            while visit > t_now - 365 * DAY && visit > purchased_at {
                visits.push(visit);
                visit -= rng.random_range(90..180) * DAY;
            }
            for (k, &opened) in visits.iter().rev().enumerate() {
                // opened on the hour during the store's morning (13:00-20:00 UTC is 7 AM-2 PM Central)
                let mut opened = opened - opened.rem_euclid(DAY) + (13 + (opened / DAY) % 8) * 3600;
                if opened > t_now {
                    opened -= DAY;
                }
                let still_open = k + 1 == visits.len() && t_now - opened < 2 * DAY && rng.random_bool(0.5);
                let mut lines: Vec<&(&str, &str, i64, i64)> = vec![&LINES[0], &LINES[2]];
                for line in LINES.iter().skip(3) {
                    if rng.random_bool(0.12) {
                        lines.push(line);
                    }
                }
                if rng.random_bool(0.5) {
                    lines.push(&LINES[1]);
                }
                let declined: Vec<&(&str, &str, i64, i64)> = LINES
                    .iter()
                    .skip(3)
                    .filter(|l| !lines.contains(l) && rng.random_bool(0.05))
                    .collect();
                let line = |&&(code, desc, l, p): &&(&str, &str, i64, i64), status| ServiceLine {
                    op_code: code.to_string(),
                    description: Some(desc.to_string()),
                    amount_cents: Some(Cents::new(l + p)),
                    status,
                };
                let services: Vec<ServiceLine> = lines
                    .iter()
                    .map(|l| line(l, LineStatus::Performed))
                    .chain(declined.iter().map(|l| line(l, LineStatus::Declined)))
                    .collect();
                let labor: i64 = lines.iter().map(|l| l.2).sum();
                let parts: i64 = lines.iter().map(|l| l.3).sum();
                ro_number += 1;
                let external_id = format!("RO{ro_number}");
                let closed_at = (!still_open).then_some(opened + rng.random_range(2..30) * 3600);
                let advisor = ADVISORS.choose(&mut rng).copied().unwrap_or("Dana Whitfield");
                let event_id = demo_event(
                    tx,
                    account_id,
                    &ImportedEvent {
                        external_id: &external_id,
                        kind: ServiceEventKind::RepairOrder,
                        lead_id: Some(lead_id),
                        vehicle_id: Some(vehicle_id),
                        scheduled_at: Some(opened - 2 * DAY),
                        opened_at: Some(opened),
                        closed_at,
                        advisor: Some(advisor),
                        mileage: Some(odometer - (t_now - opened) / DAY * miles_per_day),
                        services: &services,
                        labor_cents: Some(Cents::new(labor)),
                        parts_cents: Some(Cents::new(parts)),
                        total_cents: Some(Cents::new(labor + parts)),
                        source: "demo",
                        content_hash: "",
                    },
                    opened - 2 * DAY,
                )?;
                // the upsell history: about a third of visits got an offer after the RO closed
                let textable = phone.is_some() && !landline && opted_out_at.is_none_or(|o| opened + DAY + 3600 < o);
                if textable && !still_open && rng.random_bool(0.35) {
                    let (offer_id, offer) = offer_ids[rng.random_range(0..offer_ids.len())];
                    // a day after the visit, but never later than a few hours ago: history is
                    // in the past (a reply may come up to four hours after it)
                    let at = (opened + DAY + 3600).min(t_now - 5 * 3600);
                    offers_at.push(at);
                    let to = phone.as_deref().unwrap_or_default();
                    let body = offer
                        .body_template
                        .replace("{first_name}", first)
                        .replace("{vehicle}", &format!("{year} {model}"))
                        .replace("{advisor}", "your advisor")
                        .replace("{price}", &crate::domain::money::dollars(offer.price_cents))
                        .replace("{link}", "https://lakeside-honda.demo/o/x");
                    let msg = history::record_outbound(
                        tx,
                        account_id,
                        &history::PastOutbound {
                            lead_id,
                            purpose: "upsell",
                            body: &body,
                            to_phone: to,
                            status: "delivered",
                            sent_at: at,
                            provider_sid: &next_sid("SM"),
                        },
                    )?;
                    let roll: f64 = rng.random();
                    // the customer's answer, a few minutes to a few hours later
                    let mut answer = |choices: &[&'static str], rng: &mut StdRng| -> Result<()> {
                        let body = choices.choose(rng).copied().unwrap_or(choices[0]);
                        history::record_inbound(
                            tx,
                            account_id,
                            &history::PastInbound {
                                lead_id,
                                provider_sid: &next_sid("SM"),
                                from_phone: to,
                                to_phone: store_number,
                                body,
                                keyword: None,
                                handled_as: "acceptance",
                                received_at: at + rng.random_range(5..240) * 60,
                            },
                        )?;
                        Ok(())
                    };
                    let (accepted, via, revenue) = if roll < 0.22 {
                        answer(&["YES", "Yes please", "Sure, book it", "ok"], &mut rng)?;
                        (Some(true), Some("reply"), offer.price_cents)
                    } else if roll < 0.30 {
                        (Some(true), Some("ro_line"), offer.price_cents)
                    } else if roll < 0.40 {
                        answer(&["No thanks", "not now", "NO"], &mut rng)?;
                        (Some(false), Some("reply"), 0)
                    } else {
                        (None, None, 0)
                    };
                    history::record_offer_send(
                        tx,
                        account_id,
                        &history::PastOfferSend {
                            offer_id,
                            service_event_id: event_id,
                            lead_id,
                            phase: "t_plus_24h",
                            message_out_id: Some(msg),
                            status: "sent",
                            accepted,
                            accepted_via: via,
                            revenue_cents: Cents::new(revenue),
                            at,
                        },
                    )?;
                }
            }
            // some customers have their next appointment booked in the coming week
            if rng.random_bool(0.03) {
                appt_number += 1;
                let day = rng.random_range(0..7);
                let hour = 7 + rng.random_range(0..10);
                let start_of_day = t_now - t_now % DAY + 6 * 3600; // midnight Central, roughly
                let external_id = format!("APPT{appt_number}");
                let advisor = ADVISORS.choose(&mut rng).copied().unwrap_or("Dana Whitfield");
                let booked = t_now - rng.random_range(1..10) * DAY;
                demo_event(
                    tx,
                    account_id,
                    &ImportedEvent {
                        external_id: &external_id,
                        kind: ServiceEventKind::Appointment,
                        lead_id: Some(lead_id),
                        vehicle_id: Some(vehicle_id),
                        scheduled_at: Some(start_of_day + day * DAY + hour * 3600),
                        opened_at: None,
                        closed_at: None,
                        advisor: Some(advisor),
                        mileage: None,
                        services: &[],
                        labor_cents: None,
                        parts_cents: None,
                        total_cents: None,
                        source: "demo",
                        content_hash: "",
                    },
                    booked,
                )?;
            }
        }
        // what surveys have already learned about some customers, and what they were asked
        let timeframe = if phone.is_some() && rng.random_bool(0.2) {
            let timing = ["0-3m", "3-6m", "6-12m", "12m+", "no_plans"]
                .choose(&mut rng)
                .copied()
                .unwrap_or("no_plans");
            Some((timing, rng.random_range(1..200)))
        } else {
            None
        };
        let (vehicle, purchased_at, miles_per_day) = current.clone();
        surveys.customer(
            tx,
            &surveys::Customer {
                lead_id,
                first,
                mobile: phone.as_deref().filter(|_| !landline),
                opted_out_at,
                tz: crate::domain::geo::resolve_zones(None, Some(state), None, phone.as_deref(), STORE_TZ)
                    .first()
                    .copied()
                    .unwrap_or(STORE_TZ),
                vehicle: &vehicle,
                purchased_at,
                miles_per_day,
                offers_at: &offers_at,
            },
            timeframe,
        )?;
    }
    Ok(account_id)
}
