//! The Offers page (`/offers`): each offer with what it was texted, accepted and earned in a
//! period the manager picks (30 days unless chosen), a totals row, and the same as CSV
//! (`/offers.csv`). Figures come from the offer rollups; held-out sends count for neither
//! side (their visits measure lift, not earnings).

use super::view::{dollars, picker, thousands, Nav, PickerLink};
use super::{error_page, page_error, render};
use crate::domain::offers::OfferSendStatus;
use crate::domain::period::{Period, Span};
use crate::domain::sheet::spreadsheet_safe;
use crate::store;
use crate::store::rollups::OfferCount;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct OffersQuery {
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// One offer's figures in the period (or the totals).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub texted: i64,
    pub accepted: i64,
    pub cents: i64,
}

impl Figures {
    fn add(&mut self, r: &OfferCount) {
        match r.status {
            Some(OfferSendStatus::Queued | OfferSendStatus::Deferred | OfferSendStatus::Sent) => self.texted += r.n,
            Some(_) => {}
            None => {
                self.accepted += r.n;
                self.cents += r.cents.get();
            }
        }
    }

    fn rate(&self) -> String {
        if self.texted > 0 {
            format!("{:.1}%", 100.0 * self.accepted as f64 / self.texted as f64)
        } else {
            "-".into()
        }
    }
}

pub struct OfferView {
    pub id: i64,
    pub name: String,
    pub price: String,
    pub priority: i64,
    pub active: bool,
    pub sends: String,
    pub accepted: String,
    pub rate: String,
    pub revenue: String,
}

#[derive(Template)]
#[template(path = "offers.html")]
struct OffersPage {
    nav: Nav,
    period_label: String,
    picker: Vec<PickerLink>,
    picker_action: &'static str,
    custom: bool,
    from: String,
    to: String,
    error: Option<String>,
    offers: Vec<OfferView>,
    total: OfferView,
    csv_href: String,
}

/// The account's offers and each one's figures in the period, with the totals (offers
/// matched to nothing, `no offer`, are in neither).
type Loaded = (Period, Vec<(store::offers::Offer, Figures)>, Figures);

async fn load(app: &App, account_id: i64, span: Span) -> crate::error::Result<Loaded> {
    let now = app.now();
    app.db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            let period = Period::new(span, now, tz);
            let counts = store::rollups::offers(c, account_id, period.hours())?;
            let offers = store::offers::list(c, account_id, true)?;
            let mut total = Figures::default();
            let rows = offers
                .into_iter()
                .map(|o| {
                    let mut f = Figures::default();
                    for r in counts.iter().filter(|r| r.offer_id == Some(o.id)) {
                        f.add(r);
                        total.add(r);
                    }
                    (o, f)
                })
                .collect();
            Ok((period, rows, total))
        })
        .await
}

fn view(o: &store::offers::Offer, f: Figures) -> OfferView {
    OfferView {
        id: o.id,
        name: o.name.clone(),
        price: o.price_cents.map(dollars).unwrap_or_else(|| "-".into()),
        priority: o.priority,
        active: o.active,
        sends: thousands(f.texted),
        accepted: thousands(f.accepted),
        rate: f.rate(),
        revenue: dollars(f.cents),
    }
}

fn span_of(q: &OffersQuery) -> (Span, Option<String>) {
    // the Offers page looks back 30 days unless told otherwise
    let period = q.period.as_deref().or(Some("30"));
    match Span::parse(period, q.from.as_deref(), q.to.as_deref()) {
        Ok(s) => (s, None),
        Err(e) => (Span::Days(30), Some(e)),
    }
}

/// `GET /offers`
pub async fn list(State(app): State<App>, user: CurrentUser, Query(q): Query<OffersQuery>) -> Response {
    let (span, error) = span_of(&q);
    let (period, rows, total) = match load(&app, user.0.account_id, span).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let range = format!("period=custom&from={}&to={}", period.first, period.last);
    render(OffersPage {
        nav: Nav::new("offers", &user.0),
        period_label: period.label(),
        picker: picker("/offers", &span),
        picker_action: "/offers",
        custom: matches!(span, Span::Custom { .. }),
        from: period.first.to_string(),
        to: period.last.to_string(),
        error,
        offers: rows.iter().map(|(o, f)| view(o, *f)).collect(),
        total: OfferView {
            id: 0,
            name: "All offers".into(),
            price: String::new(),
            priority: 0,
            active: true,
            sends: thousands(total.texted),
            accepted: thousands(total.accepted),
            rate: total.rate(),
            revenue: dollars(total.cents),
        },
        csv_href: format!("/offers.csv?{range}"),
    })
}

/// `GET /offers.csv`: the page's table for a spreadsheet.
pub async fn csv(State(app): State<App>, user: CurrentUser, Query(q): Query<OffersQuery>) -> Response {
    let (span, error) = span_of(&q);
    if let Some(e) = error {
        return error_page(StatusCode::BAD_REQUEST, "That period cannot be exported", &e);
    }
    let (period, rows, total) = match load(&app, user.0.account_id, span).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "offer", "price", "priority", "status", "texted", "accepted", "rate", "revenue", "from", "to",
    ];
    let (from, to) = (period.first.to_string(), period.last.to_string());
    let mut lines: Vec<[String; 10]> = rows
        .iter()
        .map(|(o, f)| {
            let v = view(o, *f);
            let status = if v.active { "active" } else { "retired" };
            [
                v.name,
                v.price,
                v.priority.to_string(),
                status.into(),
                f.texted.to_string(),
                f.accepted.to_string(),
                v.rate,
                v.revenue,
                from.clone(),
                to.clone(),
            ]
        })
        .collect();
    lines.push([
        "All offers".into(),
        String::new(),
        String::new(),
        String::new(),
        total.texted.to_string(),
        total.accepted.to_string(),
        total.rate(),
        dollars(total.cents),
        from.clone(),
        to.clone(),
    ]);
    let written = out.write_record(header).and_then(|_| {
        lines
            .iter()
            .try_for_each(|l| out.write_record(l.iter().map(|c| spreadsheet_safe(c).into_owned())))
    });
    let bytes = match written
        .map_err(|e| e.to_string())
        .and_then(|_| out.into_inner().map_err(|e| e.to_string()))
    {
        Ok(b) => b,
        Err(e) => return page_error(crate::error::Error::internal(e)),
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"offers-{from}-to-{to}.csv\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
