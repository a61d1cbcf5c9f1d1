//! The dashboard: what happened and what it earned, for a period the manager picks (today, 7,
//! 30, 90 days or custom dates) beside the period before it; today's texts by outcome and
//! reason; upsell figures with a trend and per advisor; the other capabilities' cards; and the
//! job loop in words. Every figure comes from the rollups (no table is counted per request).

mod figures;
pub mod system;

use super::view::{dollars, local_time, picker, thousands, Nav, PickerLink};
use super::{page_error, render};
use crate::domain::compliance::Purpose;
use crate::domain::messages::MessageStatus;
use crate::domain::period::{Period, Span};
use crate::store;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use figures::{advisors, percent, reasons, sent_for, sparkline, AdvisorRow, Card, Reason, Texts, Upsell};

#[derive(Debug, Default, serde::Deserialize)]
pub struct DashboardQuery {
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// One figure of the Today panel, linking to its texts.
pub struct TodayItem {
    pub label: &'static str,
    pub value: String,
    pub href: String,
    pub tone: &'static str,
}

pub struct UpsellCard {
    pub sent: String,
    pub accepted: String,
    pub rate: String,
    pub revenue: String,
    pub points: String,
    pub trend_label: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    period_label: String,
    picker: Vec<PickerLink>,
    picker_action: &'static str,
    custom: bool,
    from: String,
    to: String,
    error: Option<String>,
    today: Vec<TodayItem>,
    held: Vec<Reason>,
    held_next: Option<String>,
    blocked: Vec<Reason>,
    cards: Vec<Card>,
    upsell: UpsellCard,
    advisors: Vec<AdvisorRow>,
    system: Vec<system::JobLine>,
    /// the watchlist's customers per window, each linking to its tab
    watchlist: Vec<super::watchlist::Tab>,
    experiments: Vec<super::experiments::Headline>,
}

/// The messages list for one local day (`YYYY-MM-DD`) and a filter.
fn messages_link(day: &str, filter: &str) -> String {
    format!("/messages?from={day}&to={day}{filter}")
}

pub async fn dashboard(State(app): State<App>, user: CurrentUser, Query(q): Query<DashboardQuery>) -> Response {
    let account_id = user.0.account_id;
    let (span, error) = match Span::parse(q.period.as_deref(), q.from.as_deref(), q.to.as_deref()) {
        Ok(span) => (span, None),
        Err(e) => (Span::Days(7), Some(e)),
    };
    let now = app.now();
    let jobs = app.jobs.names();
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            let today = Period::new(Span::Today, now, tz);
            let period = Period::new(span, now, tz);
            let before = period.previous(tz);
            let rollups = |p: &Period| -> crate::error::Result<_> {
                Ok((
                    store::rollups::messages_out(c, account_id, p.hours())?,
                    store::rollups::replies(c, account_id, p.hours())?,
                    store::rollups::opt_outs(c, account_id, p.hours())?,
                    store::rollups::offers(c, account_id, p.hours())?,
                ))
            };
            let on_day = rollups(&today)?;
            let in_period = rollups(&period)?;
            let in_before = rollups(&before)?;
            let days = period.day_hours(tz);
            let won = store::rollups::won_by_hour(c, account_id, period.hours())?;
            let hours: Vec<(i64, i64)> = won.iter().map(|(h, _, c)| (*h, c.get())).collect();
            let daily = figures::per_day(&hours, &days);
            let next = store::message_list::next_release(c, account_id, today.start, today.end)?;
            let totals = store::rollups::totals(c, account_id)?;
            let surveys = store::questions::coverage(
                c,
                account_id,
                now.timestamp() - 182 * 86_400,
                now.timestamp() - 30 * 86_400,
            )?;
            let system = system::lines(c, &jobs, now.timestamp(), tz)?;
            Ok((
                tz, today, period, on_day, in_period, in_before, daily, next, totals, surveys, system,
            ))
        })
        .await;
    let (tz, today, period, on_day, in_period, in_before, daily, next, totals, surveys, system) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let watchlist = match crate::watchlist::list::counts(&app.db, account_id).await {
        Ok(counts) => super::watchlist::tabs(&counts, None, 0),
        Err(e) => return page_error(e),
    };
    let day = today.first.to_string();
    let t = Texts::from_rows(&on_day.0);
    let link = |filter: &str| messages_link(&day, filter);
    let today_items = vec![
        item("Sent", t.sent, link("&outcome=sent"), ""),
        item("Delivered", t.delivered, link("&outcome=delivered"), ""),
        item(
            "Failed",
            t.failed,
            link("&outcome=failed"),
            if t.failed > 0 { "bad" } else { "" },
        ),
        item(
            "Held",
            t.held,
            link("&outcome=held"),
            if t.held > 0 { "warn" } else { "" },
        ),
        item("Blocked", t.blocked, link("&outcome=blocked"), ""),
        TodayItem {
            label: "Replies",
            value: thousands(on_day.1),
            href: "/threads".into(),
            tone: "",
        },
        TodayItem {
            label: "Opt-outs",
            value: thousands(on_day.2),
            href: "/threads?view=opted_out".into(),
            tone: "",
        },
    ];
    let held = reasons(&on_day.0, MessageStatus::Deferred, &|code| {
        link(&format!("&outcome=held&reason={code}"))
    });
    let blocked = reasons(&on_day.0, MessageStatus::Blocked, &|code| {
        link(&format!("&outcome=blocked&reason={code}"))
    });

    let (now_t, before_t) = (Texts::from_rows(&in_period.0), Texts::from_rows(&in_before.0));
    let (now_u, before_u) = (Upsell::from_rows(&in_period.3), Upsell::from_rows(&in_before.3));
    let range = format!("from={}&to={}", period.first, period.last);
    let count = |n: i64| thousands(n);
    let money = |c: i64| dollars(c);
    let cards = vec![
        Card::compared("Texts sent", now_t.sent, before_t.sent, &count)
            .note(format!(
                "{} upsell, {} survey, {} replies by reps",
                thousands(sent_for(&in_period.0, Purpose::Upsell)),
                thousands(sent_for(&in_period.0, Purpose::Survey)),
                thousands(sent_for(&in_period.0, Purpose::Reply) + sent_for(&in_period.0, Purpose::Manual))
            ))
            .link(format!("/messages?{range}&outcome=sent")),
        Card::compared("Replies received", in_period.1, in_before.1, &count).link("/threads".into()),
        Card::compared("Offers accepted", now_u.accepted, before_u.accepted, &count)
            .note(format!(
                "{} of {} offers texted",
                percent(now_u.accepted, now_u.sent),
                thousands(now_u.sent)
            ))
            .link("/offers".into()),
        Card::compared("Revenue attributed", now_u.cents, before_u.cents, &money)
            .note("from accepted offers, by the day they were accepted".into())
            .link("/offers".into()),
        Card::compared("Opt-outs", in_period.2, in_before.2, &count).note("never texted again".into()),
        Card {
            label: "Customers",
            value: thousands(totals.leads),
            note: format!(
                "{} textable, {} opted out",
                thousands(totals.textable),
                thousands(totals.opted_out)
            ),
            previous: format!("{} vehicles on file", thousands(totals.vehicles)),
            change: String::new(),
            trend: "",
            href: "/leads".into(),
        },
        Card {
            label: "Survey coverage",
            value: percent(surveys.covered, totals.textable),
            note: "of textable customers have a fresh mileage and timeframe".into(),
            previous: format!(
                "{} of questions answered (30 days)",
                percent(surveys.answered, surveys.closed)
            ),
            change: String::new(),
            trend: "",
            href: "/settings/questions".into(),
        },
    ];
    let upsell = UpsellCard {
        sent: thousands(now_u.sent),
        accepted: thousands(now_u.accepted),
        rate: percent(now_u.accepted, now_u.sent),
        revenue: dollars(now_u.cents),
        points: sparkline(&daily, 240.0, 48.0),
        trend_label: format!(
            "Revenue per day, {}: highest {}",
            period.label(),
            dollars(daily.iter().copied().max().unwrap_or(0))
        ),
    };
    let picker = picker("/", &span);
    let custom = matches!(span, Span::Custom { .. });
    // each running experiment's headline: one indexed outcome query per running experiment
    let experiments = match app
        .db
        .call(move |c| crate::experiments::results::running(c, account_id, now))
        .await
    {
        Ok(running) => super::experiments::headlines(&running),
        // the card is one of many: the rest of the dashboard still shows
        Err(e) => {
            tracing::error!(error = %e, "experiment headlines failed");
            Vec::new()
        }
    };
    let _ = tz;
    render(DashboardPage {
        nav: Nav::new("dashboard", &user.0),
        period_label: period.label(),
        picker,
        picker_action: "/",
        custom,
        from: period.first.to_string(),
        to: period.last.to_string(),
        error,
        today: today_items,
        held,
        held_next: next.map(|at| local_time(at, tz)),
        blocked,
        cards,
        upsell,
        advisors: advisors(&in_period.3),
        system,
        watchlist,
        experiments,
    })
}

fn item(label: &'static str, n: i64, href: String, tone: &'static str) -> TodayItem {
    TodayItem {
        label,
        value: thousands(n),
        href,
        tone,
    }
}
