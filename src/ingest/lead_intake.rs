//! From parsed lead submissions to stored leads: validate everything first (a submission with
//! a lead that cannot be reached is refused whole, nothing half-written), then upsert each
//! lead by phone, then email, with its vehicles and ownerships, in one transaction.

use super::leads::{ParsedLead, ParsedVehicle};
use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::customer::{FinanceType, LeadStatus};
use crate::domain::vin::{self, Vin};
use crate::domain::{geo, phone};
use crate::error::Result;
use crate::store::{self, leads::NewLead, vehicles};
use chrono::{DateTime, NaiveTime, Utc};

/// A problem with one field of one lead (`lead` is its 0-based position in the submission).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldIssue {
    pub lead: usize,
    pub field: String,
    pub message: String,
}

/// A lead that passed validation, ready to store.
#[derive(Debug, Clone)]
pub struct ValidLead {
    pub lead: NewLead,
    pub address: Option<String>,
    pub preferred_vehicle: Option<String>,
    pub comments: Option<String>,
    pub vehicles: Vec<ValidVehicle>,
}

#[derive(Debug, Clone)]
pub struct ValidVehicle {
    pub vehicle: vehicles::NewVehicle,
    /// the lead owns it (a trade-in, or the purchase the submission describes)
    pub owned: Option<vehicles::NewOwnership>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Stored {
    pub lead_id: i64,
    pub created: bool,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn valid_email(e: &str) -> bool {
    let Some((user, domain)) = e.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.contains(char::is_whitespace)
}

/// Types of number that are probably not mobiles.
fn landline_kind(kind: Option<&str>) -> bool {
    matches!(
        kind.map(|k| k.trim().to_ascii_lowercase()).as_deref(),
        Some("home" | "work" | "landline" | "office" | "pager")
    )
}

/// Check every lead of a submission. Errors make the whole submission fail; warnings are
/// values that were dropped while the lead itself was kept.
pub fn validate(parsed: &[ParsedLead], source_default: &str) -> (Vec<ValidLead>, Vec<FieldIssue>, Vec<FieldIssue>) {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (i, p) in parsed.iter().enumerate() {
        let issue = |field: &str, message: String| FieldIssue {
            lead: i,
            field: field.into(),
            message,
        };
        let mut phone_e164 = None;
        let mut textable = false;
        let mut phone_problem = None;
        for ph in &p.phones {
            match phone::normalize(&ph.raw) {
                Ok(n) => {
                    textable = !landline_kind(ph.kind.as_deref());
                    phone_e164 = Some(n);
                    break;
                }
                Err(e) => phone_problem = Some(e.to_string()),
            }
        }
        let email = clean(&p.email).map(|e| e.to_ascii_lowercase());
        let email = match email {
            Some(e) if valid_email(&e) => Some(e),
            Some(e) => {
                warnings.push(issue("email", format!("`{e}` is not an email address; dropped")));
                None
            }
            None => None,
        };
        if phone_e164.is_none() && email.is_none() {
            let message = match phone_problem {
                Some(why) => format!("{why}, and there is no email: this person cannot be reached"),
                None => "a lead needs a phone number or an email address".into(),
            };
            errors.push(issue("phone", message));
            continue;
        }
        if let (Some(why), Some(_)) = (&phone_problem, &phone_e164) {
            warnings.push(issue("phone", format!("{why}; used the next number given")));
        } else if let (Some(why), None) = (&phone_problem, &phone_e164) {
            warnings.push(issue("phone", format!("{why}; the lead is kept with its email only")));
        }
        let state = match clean(&p.state) {
            Some(s) => match geo::normalize_state(&s) {
                Some(code) => Some(code.to_string()),
                None => {
                    warnings.push(issue("state", format!("`{s}` is not a US state; dropped")));
                    None
                }
            },
            None => None,
        };
        let timezone = match clean(&p.timezone) {
            Some(tz) if tz.parse::<chrono_tz::Tz>().is_ok() => Some(tz),
            Some(tz) => {
                warnings.push(issue("timezone", format!("`{tz}` is not an IANA time zone; dropped")));
                None
            }
            None => None,
        };
        let term = match p.financed_term_months {
            Some(t) if (1..=120).contains(&t) => Some(t),
            Some(t) => {
                warnings.push(issue(
                    "financed_term_months",
                    format!("{t} is not a term between 1 and 120 months; dropped"),
                ));
                None
            }
            None => None,
        };
        let purchased_at = p
            .purchased_on
            .and_then(|d| d.and_time(NaiveTime::from_hms_opt(12, 0, 0)?).and_utc().into());
        let owns_purchase = term.is_some() || purchased_at.is_some() || p.monthly_payment_cents.is_some();
        let mut valid_vehicles = Vec::new();
        for (k, v) in p.vehicles.iter().enumerate() {
            let Some(raw_vin) = clean(&v.vin) else { continue };
            match vin::parse(&raw_vin) {
                Ok(vin) => {
                    let owned_kind = matches!(v.interest.as_deref(), Some("sell" | "trade-in" | "tradein" | "trade"));
                    // a purchase described on the submission is the first vehicle's, unless it is one they want
                    let purchase = owns_purchase
                        && k == 0
                        && !matches!(v.interest.as_deref(), Some("buy" | "lease" | "test-drive"));
                    valid_vehicles.push(ValidVehicle {
                        vehicle: to_new_vehicle(v, vin),
                        owned: (owned_kind || purchase).then(|| vehicles::NewOwnership {
                            purchased_at: purchase.then_some(purchased_at).flatten().map(to_unix),
                            finance_type: purchase.then_some(term.map(|_| FinanceType::Loan)).flatten(),
                            term_months: purchase.then_some(term).flatten(),
                            monthly_payment_cents: purchase.then_some(p.monthly_payment_cents).flatten(),
                            ..Default::default()
                        }),
                    });
                }
                Err(e) => warnings.push(issue(
                    &format!("vehicles[{k}].vin"),
                    format!("`{raw_vin}`: {e}; vehicle not stored"),
                )),
            }
        }
        ok.push(ValidLead {
            lead: NewLead {
                phone_e164,
                email,
                first_name: clean(&p.first_name),
                last_name: clean(&p.last_name),
                city: clean(&p.city),
                state,
                postal_code: clean(&p.postal_code),
                timezone,
                source: clean(&p.source)
                    .or_else(|| clean(&p.provider))
                    .unwrap_or_else(|| source_default.into()),
                status: LeadStatus::New,
                textable,
                vehicle_interest: clean(&p.vehicle_interest),
            },
            address: clean(&p.address),
            preferred_vehicle: clean(&p.preferred_vehicle),
            comments: clean(&p.comments),
            vehicles: valid_vehicles,
        });
    }
    (ok, errors, warnings)
}

fn to_new_vehicle(v: &ParsedVehicle, vin: Vin) -> vehicles::NewVehicle {
    let latest = Utc::now().format("%Y").to_string().parse::<i32>().unwrap_or(2026) + 1;
    vehicles::NewVehicle {
        year: v.year.or_else(|| vin::model_year(&vin, latest)),
        make: clean(&v.make).or_else(|| vin::make(&vin).map(str::to_string)),
        model: clean(&v.model),
        trim: clean(&v.trim),
        last_odometer: v.odometer,
        last_odometer_at: None,
        vin: Some(vin),
    }
}

/// Store validated leads: each is matched by phone, then email, within the account.
pub fn store(conn: &WriteTx, account_id: i64, leads: &[ValidLead], now: DateTime<Utc>) -> Result<Vec<Stored>> {
    let t = to_unix(now);
    let mut out = Vec::with_capacity(leads.len());
    for v in leads {
        let existing = match &v.lead.phone_e164 {
            Some(p) => store::leads::find_by_phone(conn, account_id, p)?,
            None => None,
        };
        let existing = match (existing, &v.lead.email) {
            (Some(l), _) => Some(l),
            (None, Some(e)) => store::leads::find_by_email(conn, account_id, e)?,
            (None, None) => None,
        };
        let (lead_id, created) = match existing {
            Some(l) => {
                store::leads::merge(conn, l.id, &v.lead, t)?;
                (l.id, false)
            }
            None => (store::leads::insert(conn, account_id, &v.lead, t)?, true),
        };
        store::leads::mark_lead_received(conn, lead_id, t)?;
        store::leads::set_extra(
            conn,
            lead_id,
            v.address.as_deref(),
            v.preferred_vehicle.as_deref(),
            v.comments.as_deref(),
        )?;
        for vv in &v.vehicles {
            let mut vehicle = vv.vehicle.clone();
            if vehicle.last_odometer.is_some() {
                vehicle.last_odometer_at = Some(t);
            }
            let vehicle_id = vehicles::upsert_by_vin(conn, account_id, &vehicle, t)?;
            if let Some(o) = &vv.owned {
                let o = vehicles::NewOwnership {
                    lead_id,
                    vehicle_id,
                    ..o.clone()
                };
                vehicles::ensure_ownership(conn, account_id, &o, t)?;
            }
        }
        out.push(Stored { lead_id, created });
    }
    Ok(out)
}
