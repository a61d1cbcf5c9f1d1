//! Settings (`/settings`, managers only): the store's texting rules and preferences, editable
//! field by field: HELP text, auto-reply and caps per customer; texting hours and caps per
//! state, each beside its shipped default and source, with "reset to default"; Twilio's
//! status and the webhook addresses to paste; how replies are drafted; links to users,
//! canned replies and survey questions.

use super::view::{hhmm, local_time, Nav};
use super::{error_page, page_error, render};
use crate::clock::to_unix;
use crate::config::DrafterKind;
use crate::domain::settings::{check_messaging, check_state_rule, FieldErrors, MessagingInput, StateRuleInput};
use crate::store;
use crate::store::state_rules::StateRuleRow;
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

/// A state's rule as the page shows it.
pub struct RuleView {
    pub state: String,
    pub weekdays: String,
    pub sunday: String,
    pub cap: String,
    pub source: String,
    pub overridden: bool,
    /// the shipped default this rule replaces, in words ("" when the state has none)
    pub default: String,
    // the form's values
    pub start: String,
    pub end: String,
    pub sunday_start: String,
    pub sunday_end: String,
    pub sunday_allowed: bool,
    pub max: String,
}

fn rule_words(r: &StateRuleRow) -> (String, String, String) {
    (
        format!("{}–{}", hhmm(r.start_minute), hhmm(r.end_minute)),
        match (r.sunday_allowed, r.sunday_start_minute, r.sunday_end_minute) {
            (false, _, _) => "no texts".into(),
            (true, Some(s), Some(e)) => format!("{}–{}", hhmm(s), hhmm(e)),
            (true, _, _) => "as weekdays".into(),
        },
        match (r.max_per_24h, r.cap_exempt_if_bought_within_months) {
            (Some(n), Some(m)) => format!("{n} per 24 h, none for a purchase in the last {m} months"),
            (Some(n), None) => format!("{n} per 24 h"),
            (None, _) => "-".into(),
        },
    )
}

fn view(r: StateRuleRow, defaults: &[StateRuleRow]) -> RuleView {
    let (weekdays, sunday, cap) = rule_words(&r);
    let default = match defaults.iter().find(|d| d.state == r.state) {
        Some(d) if r.overridden => {
            let (w, s, c) = rule_words(d);
            format!("default {w}, Sunday {s}, cap {c} ({})", d.source)
        }
        None if r.overridden => "no shipped rule: federal hours only".into(),
        _ => String::new(),
    };
    RuleView {
        start: hhmm(r.start_minute),
        end: hhmm(r.end_minute),
        sunday_start: r.sunday_start_minute.map(hhmm).unwrap_or_default(),
        sunday_end: r.sunday_end_minute.map(hhmm).unwrap_or_default(),
        sunday_allowed: r.sunday_allowed,
        max: r.max_per_24h.map(|n| n.to_string()).unwrap_or_default(),
        state: r.state,
        weekdays,
        sunday,
        cap,
        source: r.source,
        overridden: r.overridden,
        default,
    }
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    nav: Nav,
    account: store::accounts::Account,
    public_url: String,
    help_text: String,
    auto_reply: bool,
    cap_day: String,
    cap_week: String,
    rules: Vec<RuleView>,
    last_webhook: String,
    drafter: &'static str,
    /// which form the errors are for: `messaging` or a state's code
    errors_for: String,
    errors: FieldErrors,
    saved: Option<String>,
}

/// What to show again after a refused form: its values and what is wrong.
#[derive(Default)]
struct Shown {
    errors_for: String,
    errors: FieldErrors,
    messaging: Option<MessagingForm>,
    saved: Option<String>,
}

async fn show(app: &App, user: &CurrentUser, status: StatusCode, shown: Shown) -> Response {
    let account_id = user.0.account_id;
    let loaded = app
        .db
        .call(move |c| {
            Ok((
                store::accounts::messaging_settings(c, account_id)?,
                store::state_rules::in_force(c, account_id)?,
                store::state_rules::defaults(c)?,
                store::message_list::last_inbound_at(c, account_id)?,
            ))
        })
        .await;
    let (settings, rules, defaults, last) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let tz = settings.account.timezone;
    let (help_text, auto_reply, cap_day, cap_week) = match &shown.messaging {
        Some(f) => (
            f.help_text.clone(),
            f.auto_reply.is_some(),
            f.cap_per_lead_day.clone(),
            f.cap_per_lead_week.clone(),
        ),
        None => (
            settings.help_text.clone().unwrap_or_default(),
            settings.auto_reply,
            settings.account.cap_per_lead_day.to_string(),
            settings.account.cap_per_lead_week.to_string(),
        ),
    };
    let page = SettingsPage {
        nav: Nav::new("settings", &user.0),
        public_url: app.config.public_url(),
        help_text,
        auto_reply,
        cap_day,
        cap_week,
        rules: rules.into_iter().map(|r| view(r, &defaults)).collect(),
        last_webhook: last.map(|t| local_time(t, tz)).unwrap_or_else(|| "none yet".into()),
        drafter: match app.config.drafter {
            DrafterKind::Template => "templates (the offer's or the canned reply's own words)",
            DrafterKind::OpenAi => "an OpenAI-compatible model, checked before a rep sees it",
        },
        account: settings.account,
        errors_for: shown.errors_for,
        errors: shown.errors,
        saved: shown.saved,
    };
    (status, render(page)).into_response()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /settings` (`?saved=...` after a change: says it was saved)
pub async fn page(State(app): State<App>, user: CurrentUser, Query(q): Query<SavedQuery>) -> Response {
    let saved = q.saved.map(|what| match what.as_str() {
        "messaging" => "Messaging settings saved.".to_string(),
        _ => "Texting hours saved; the next text follows them.".to_string(),
    });
    show(
        &app,
        &user,
        StatusCode::OK,
        Shown {
            saved,
            ..Shown::default()
        },
    )
    .await
}

fn bad_csrf() -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "The form expired",
        "Reload the page and try again.",
    )
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct MessagingForm {
    csrf: String,
    #[serde(default)]
    help_text: String,
    /// a checkbox: present when ticked
    auto_reply: Option<String>,
    #[serde(default)]
    cap_per_lead_day: String,
    #[serde(default)]
    cap_per_lead_week: String,
}

/// `POST /settings/messaging`
pub async fn save_messaging(State(app): State<App>, user: CurrentUser, Form(f): Form<MessagingForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return bad_csrf();
    }
    let checked = check_messaging(&MessagingInput {
        help_text: &f.help_text,
        auto_reply: f.auto_reply.is_some(),
        cap_per_lead_day: &f.cap_per_lead_day,
        cap_per_lead_week: &f.cap_per_lead_week,
    });
    let m = match checked {
        Ok(m) => m,
        Err(errors) => {
            let shown = Shown {
                errors_for: "messaging".into(),
                errors,
                messaging: Some(f),
                saved: None,
            };
            return show(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
        }
    };
    let (account_id, now) = (user.0.account_id, to_unix(app.now()));
    let saved = app
        .db
        .write(move |tx| {
            store::accounts::set_messaging_prefs(
                tx,
                account_id,
                &store::accounts::MessagingPrefs {
                    help_text: Some(&m.help_text),
                    auto_reply: Some(m.auto_reply),
                    followup_days_json: None,
                    cap_per_lead_day: Some(m.cap_per_lead_day),
                    cap_per_lead_week: Some(m.cap_per_lead_week),
                },
                now,
            )
        })
        .await;
    match saved {
        Ok(()) => Redirect::to("/settings?saved=messaging#messaging").into_response(),
        Err(e) => page_error(e),
    }
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct RuleForm {
    csrf: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    sunday_start: String,
    #[serde(default)]
    sunday_end: String,
    /// a checkbox: present when ticked
    sunday_allowed: Option<String>,
    #[serde(default)]
    max_per_24h: String,
    #[serde(default)]
    source: String,
}

/// `POST /settings/state-rules`: the account's own rule for a state (new or changed).
pub async fn save_rule(State(app): State<App>, user: CurrentUser, Form(f): Form<RuleForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return bad_csrf();
    }
    let checked = check_state_rule(&StateRuleInput {
        state: &f.state,
        start: &f.start,
        end: &f.end,
        sunday_start: Some(&f.sunday_start),
        sunday_end: Some(&f.sunday_end),
        sunday_allowed: f.sunday_allowed.is_some(),
        max_per_24h: Some(&f.max_per_24h),
        source: &f.source,
    });
    let rule = match checked {
        Ok(r) => r,
        Err(errors) => {
            let shown = Shown {
                errors_for: f.state.trim().to_uppercase(),
                errors,
                ..Shown::default()
            };
            return show(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
        }
    };
    let (account_id, now) = (user.0.account_id, to_unix(app.now()));
    let row = StateRuleRow::own(&rule);
    match app
        .db
        .write(move |tx| store::state_rules::set_override(tx, account_id, &row, now))
        .await
    {
        Ok(()) => Redirect::to(&format!("/settings?saved={}#state-{}", rule.state, rule.state)).into_response(),
        Err(e) => page_error(e),
    }
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ResetForm {
    csrf: String,
}

/// `POST /settings/state-rules/{state}/reset`: the shipped default applies again.
pub async fn reset_rule(
    State(app): State<App>,
    user: CurrentUser,
    Path(state): Path<String>,
    Form(f): Form<ResetForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return bad_csrf();
    }
    let Some(code) = crate::domain::geo::normalize_state(&state) else {
        return error_page(StatusCode::NOT_FOUND, "No such state", "That is not a US state.");
    };
    let account_id = user.0.account_id;
    match app
        .db
        .write(move |tx| store::state_rules::reset(tx, account_id, code))
        .await
    {
        Ok(_) => Redirect::to(&format!("/settings?saved={code}#state-{code}")).into_response(),
        Err(e) => page_error(e),
    }
}
