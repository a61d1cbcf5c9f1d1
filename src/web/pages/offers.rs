//! The Offers page's editor: add an offer, change one, retire one. The form is checked by the
//! same rules as `/api/offers`; a bad form comes back with every error beside its field.

use super::view::Nav;
use super::{error_page, page_error, render};
use crate::clock::{from_unix, to_unix};
use crate::domain::offers::{check_offer, FieldError, OfferInput};
use crate::store;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

/// The form as typed: money in dollars, op codes comma-separated, the rule as JSON.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    body_template: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    op_codes: String,
    #[serde(default)]
    booking_url: String,
    #[serde(default)]
    reply_window_hours: String,
    #[serde(default)]
    attribution_window_days: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    rule: String,
}

#[derive(Template)]
#[template(path = "offer_form.html")]
struct OfferFormPage {
    nav: Nav,
    /// None for a new offer
    id: Option<i64>,
    active: bool,
    form: OfferForm,
    errors: Vec<FieldError>,
}

impl OfferFormPage {
    /// The errors for several fields shown on one line, each named.
    fn errors_for(&self, fields: &[&str]) -> String {
        fields
            .iter()
            .map(|f| (f, self.error_for(f)))
            .filter(|(_, e)| !e.is_empty())
            .map(|(f, e)| format!("{}: {e}", f.trim_end_matches("_cents")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The errors for one form field (`rule` gathers every `rule.*`).
    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| {
                e.field == field
                    || e.field.starts_with(&format!("{field}."))
                    || e.field.starts_with(&format!("{field}["))
            })
            .map(|e| {
                if e.field == field {
                    e.message.clone()
                } else {
                    format!("{}: {}", e.field, e.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// "$1,299.50" or "1299.5" -> 129950.
fn parse_dollars(raw: &str) -> Result<Option<i64>, ()> {
    let s: String = raw.trim().chars().filter(|c| *c != '$' && *c != ',').collect();
    if s.is_empty() {
        return Ok(None);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return Err(());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ())?
    };
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| ())?;
    Ok(Some(whole.checked_mul(100).ok_or(())? + frac))
}

fn parse_int(raw: &str) -> Result<Option<i64>, ()> {
    let s = raw.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        s.parse().map(Some).map_err(|_| ())
    }
}

/// Form -> the API's input, collecting what cannot even be read.
fn to_input(f: &OfferForm) -> (OfferInput, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    let price_cents = parse_dollars(&f.price).unwrap_or_else(|_| {
        err("price_cents", "must be an amount in dollars, e.g. 79.95");
        None
    });
    let value_cents = parse_dollars(&f.value).unwrap_or_else(|_| {
        err("value_cents", "must be an amount in dollars, e.g. 42.00");
        None
    });
    let mut int = |field: &str, raw: &str| {
        parse_int(raw).unwrap_or_else(|_| {
            err(field, "must be a whole number");
            None
        })
    };
    let priority = int("priority", &f.priority);
    let reply_window_hours = int("reply_window_hours", &f.reply_window_hours);
    let attribution_window_days = int("attribution_window_days", &f.attribution_window_days);
    let rule = if f.rule.trim().is_empty() {
        None
    } else {
        match serde_json::from_str(&f.rule) {
            Ok(v) => Some(v),
            Err(e) => {
                err("rule", &format!("is not valid JSON: {e}"));
                None
            }
        }
    };
    let op_codes = f
        .op_codes
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    (
        OfferInput {
            name: Some(f.name.clone()),
            body_template: Some(f.body_template.clone()),
            rule,
            op_codes: Some(op_codes),
            price_cents,
            value_cents,
            priority,
            booking_url: opt(&f.booking_url),
            reply_window_hours,
            attribution_window_days,
            starts_at: opt(&f.starts_at),
            ends_at: opt(&f.ends_at),
        },
        errors,
    )
}

fn form_of(o: &store::offers::Offer, tz: chrono_tz::Tz) -> OfferForm {
    let cents = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    let date = |t: Option<i64>| {
        t.map(|t| from_unix(t).with_timezone(&tz).format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    // an end is stored as the first moment after the offer: the form shows its last day
    let last_day = |t: Option<i64>| date(t.map(|t| t - 1));
    OfferForm {
        csrf: String::new(),
        name: o.name.clone(),
        body_template: o.body_template.clone(),
        price: o.price_cents.map(cents).unwrap_or_default(),
        value: cents(o.value_cents),
        priority: o.priority.to_string(),
        op_codes: o.op_codes.join(", "),
        booking_url: o.booking_url.clone().unwrap_or_default(),
        reply_window_hours: o.reply_window_hours.to_string(),
        attribution_window_days: o.attribution_window_days.to_string(),
        starts_at: date(o.starts_at),
        ends_at: last_day(o.ends_at),
        rule: serde_json::to_string_pretty(&o.rule).unwrap_or_default(),
    }
}

async fn tz_of(app: &App, account_id: i64) -> crate::error::Result<chrono_tz::Tz> {
    Ok(app
        .db
        .call(move |c| store::accounts::get(c, account_id))
        .await?
        .timezone)
}

/// `GET /offers/new`
pub async fn new_form(user: CurrentUser) -> Response {
    render(OfferFormPage {
        nav: Nav::new("offers", &user.0),
        id: None,
        active: true,
        form: OfferForm {
            priority: "1".into(),
            reply_window_hours: "72".into(),
            attribution_window_days: "30".into(),
            rule: "{\n  \"phases\": [\"t_minus_48h\", \"ro_open\"]\n}".into(),
            ..Default::default()
        },
        errors: Vec::new(),
    })
}

/// `GET /offers/{id}`
pub async fn edit_form(State(app): State<App>, user: CurrentUser, Path(id): Path<i64>) -> Response {
    let account_id = user.0.account_id;
    let tz = match tz_of(&app, account_id).await {
        Ok(tz) => tz,
        Err(e) => return page_error(e),
    };
    match app.db.call(move |c| store::offers::get(c, account_id, id)).await {
        Ok(Some(o)) => render(OfferFormPage {
            nav: Nav::new("offers", &user.0),
            id: Some(id),
            active: o.active,
            form: form_of(&o, tz),
            errors: Vec::new(),
        }),
        Ok(None) => error_page(StatusCode::NOT_FOUND, "Offer not found", "There is no such offer."),
        Err(e) => page_error(e),
    }
}

/// `POST /offers/new` and `POST /offers/{id}`: save, or show the form again with its errors.
async fn submit(app: App, user: CurrentUser, id: Option<i64>, form: OfferForm) -> Response {
    if !user.csrf_ok(&form.csrf) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Form expired",
            "This form is out of date. Go back, reload the page and try again.",
        );
    }
    let account_id = user.0.account_id;
    let tz = match tz_of(&app, account_id).await {
        Ok(tz) => tz,
        Err(e) => return page_error(e),
    };
    let (input, mut errors) = to_input(&form);
    let checked = check_offer(&input, tz);
    if let Err(e) = &checked {
        errors.extend(e.iter().cloned());
    }
    if errors.is_empty() {
        let offer = store::offers::NewOffer::from(&checked.expect("checked"));
        let t = to_unix(app.now());
        match app
            .db
            .write(move |c| store::offers::save(c, account_id, id, &offer, t))
            .await
        {
            Ok(_) => return Redirect::to("/offers").into_response(),
            Err(crate::error::Error::Conflict(m)) => errors.push(FieldError {
                field: "name".into(),
                message: m,
            }),
            Err(crate::error::Error::NotFound(_)) => {
                return error_page(StatusCode::NOT_FOUND, "Offer not found", "There is no such offer.")
            }
            Err(e) => return page_error(e),
        }
    }
    let page = OfferFormPage {
        nav: Nav::new("offers", &user.0),
        id,
        active: true,
        form,
        errors,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, render(page)).into_response()
}

pub async fn create(State(app): State<App>, user: CurrentUser, Form(form): Form<OfferForm>) -> Response {
    submit(app, user, None, form).await
}

pub async fn update(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<OfferForm>,
) -> Response {
    submit(app, user, Some(id), form).await
}

#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /offers/{id}/retire`
pub async fn retire(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return error_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.");
    }
    let account_id = user.0.account_id;
    let t = to_unix(app.now());
    match app.db.write(move |c| store::offers::retire(c, account_id, id, t)).await {
        Ok(true) => Redirect::to("/offers").into_response(),
        Ok(false) => error_page(StatusCode::NOT_FOUND, "Offer not found", "There is no such offer."),
        Err(e) => page_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_are_read_as_people_type_them() {
        assert_eq!(parse_dollars("$1,299.50"), Ok(Some(129_950)));
        assert_eq!(parse_dollars("79.9"), Ok(Some(7_990)));
        assert_eq!(parse_dollars("30"), Ok(Some(3_000)));
        assert_eq!(parse_dollars(".5"), Ok(Some(50)));
        assert_eq!(parse_dollars(" "), Ok(None));
        assert!(parse_dollars("12.345").is_err());
        assert!(parse_dollars("ten").is_err());
        assert!(parse_dollars("-5").is_err());
        assert!(parse_dollars(".").is_err());
    }
}
