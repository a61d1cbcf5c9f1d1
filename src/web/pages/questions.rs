//! Settings → Survey questions (`/settings/questions`): the questions the survey texts, added,
//! changed, switched off or removed with each error beside its field (checked by
//! `domain::questions`, as the API is), and a box to try how a reply would be read.

use super::view::Nav;
use super::{error_page, page_error, render};
use crate::clock::to_unix;
use crate::domain::questions::{check_question, read_answer, AnswerType, QuestionInput, PROMPT_PLACEHOLDERS};
use crate::error::Error;
use crate::store::{self, questions::Question};
use crate::web::auth::CurrentUser;
use crate::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

/// A question's form as posted: every field a string, read here.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    fact_key: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    answer_type: String,
    /// comma-separated
    #[serde(default)]
    choices: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    cooldown_days: String,
    #[serde(default)]
    max_asks: String,
    #[serde(default)]
    answer_within_hours: String,
    #[serde(default)]
    fresh_for_days: String,
    /// a checkbox: present when ticked
    active: Option<String>,
}

impl QuestionForm {
    fn of(q: &Question) -> QuestionForm {
        QuestionForm {
            csrf: String::new(),
            fact_key: q.fact_key.clone(),
            prompt: q.prompt.clone(),
            answer_type: q.answer_type.as_str().into(),
            choices: q.choices.clone().unwrap_or_default().join(", "),
            priority: q.priority.to_string(),
            cooldown_days: q.cooldown_days.to_string(),
            max_asks: q.max_asks.to_string(),
            answer_within_hours: q.answer_within_hours.to_string(),
            fresh_for_days: q.fresh_for_days.map(|d| d.to_string()).unwrap_or_default(),
            active: q.active.then(|| "on".into()),
        }
    }

    /// The form as the domain's input; a number that is not one is an error of its field.
    fn input(&self) -> (QuestionInput, Vec<(String, String)>) {
        let mut errors = Vec::new();
        let mut number = |field: &str, raw: &str| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            raw.parse()
                .map_err(|_| errors.push((field.to_string(), format!("`{raw}` is not a whole number"))))
                .ok()
        };
        let input = QuestionInput {
            fact_key: Some(self.fact_key.clone()),
            prompt: Some(self.prompt.clone()),
            answer_type: Some(self.answer_type.clone()),
            choices: (self.answer_type == AnswerType::Choice.as_str() || !self.choices.trim().is_empty()).then(|| {
                self.choices
                    .split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            }),
            priority: number("priority", &self.priority),
            cooldown_days: number("cooldown_days", &self.cooldown_days),
            max_asks: number("max_asks", &self.max_asks),
            answer_within_hours: number("answer_within_hours", &self.answer_within_hours),
            fresh_for_days: number("fresh_for_days", &self.fresh_for_days),
            active: Some(self.active.is_some()),
        };
        (input, errors)
    }
}

/// The "try a reply" box as posted.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    answer_type: String,
    #[serde(default)]
    choices: String,
    #[serde(default)]
    text: String,
}

#[derive(Template)]
#[template(path = "questions.html")]
struct QuestionsPage {
    nav: Nav,
    /// each question with the form it shows (what was typed, if it was the refused one) and
    /// how it fared in the last 30 days, in words
    questions: Vec<(Question, QuestionForm, String)>,
    /// the new question's form
    new: QuestionForm,
    /// the refused form (a question's id, 0 the new one) and its errors by field
    refused: Option<i64>,
    errors: Vec<(String, String)>,
    answer_types: Vec<&'static str>,
    placeholders: String,
    tried: TryForm,
    /// how the tried reply reads, in words
    reading: Option<String>,
}

impl QuestionsPage {
    fn is_refused(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.refused == Some(*id.borrow())
    }

    fn error_for(&self, id: impl std::borrow::Borrow<i64>, field: &str) -> String {
        if self.refused != Some(*id.borrow()) {
            return String::new();
        }
        let field = field.to_string();
        self.errors
            .iter()
            .filter(|(f, _)| *f == field || f.starts_with(&format!("{field}[")))
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Errors by field name.
type FieldErrors = Vec<(String, String)>;

struct Shown {
    /// the refused form: a question's id (0 the new one), what was typed, its errors
    refused: Option<(i64, QuestionForm, FieldErrors)>,
    tried: Option<(TryForm, String)>,
}

async fn show(app: &App, user: &CurrentUser, shown: Shown) -> Response {
    let account_id = user.0.account_id;
    let since = crate::clock::to_unix(app.now()) - 30 * 86_400;
    let loaded = app
        .db
        .call(move |c| {
            Ok((
                store::questions::list(c, account_id)?,
                store::questions::figures(c, account_id, since)?,
            ))
        })
        .await;
    let (questions, figures) = match loaded {
        Ok(q) => q,
        Err(e) => return page_error(e),
    };
    let (refused, form, errors) = match shown.refused {
        Some((id, form, errors)) => (Some(id), Some(form), errors),
        None => (None, None, Vec::new()),
    };
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let questions = questions
        .into_iter()
        .map(|q| {
            let f = match (&form, refused) {
                (Some(f), Some(id)) if id == q.id => f.clone(),
                _ => QuestionForm::of(&q),
            };
            let fared = figures_in_words(figures.iter().find(|x| x.question_id == q.id));
            (q, f, fared)
        })
        .collect();
    let new = match (&form, refused) {
        (Some(f), Some(0)) => f.clone(),
        _ => QuestionForm {
            answer_type: "mileage".into(),
            active: Some("on".into()),
            ..Default::default()
        },
    };
    let (tried, reading) = match shown.tried {
        Some((t, r)) => (t, Some(r)),
        None => (
            TryForm {
                answer_type: "mileage".into(),
                ..Default::default()
            },
            None,
        ),
    };
    let mut resp = render(QuestionsPage {
        nav: Nav::new("settings", &user.0),
        questions,
        new,
        refused,
        errors,
        answer_types: AnswerType::ALL.iter().map(|t| t.as_str()).collect(),
        placeholders: PROMPT_PLACEHOLDERS
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(" "),
        tried,
        reading,
    });
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = status;
    }
    resp
}

/// "Last 30 days: 42 asked · 71% answered · 3 unreadable · 9 ignored".
fn figures_in_words(f: Option<&store::questions::QuestionFigures>) -> String {
    let Some(f) = f.filter(|f| f.asked > 0) else {
        return "Not asked in the last 30 days".into();
    };
    let mut parts = vec![format!("Last 30 days: {} asked", f.asked)];
    match f.answer_rate() {
        Some(r) => parts.push(format!("{:.0}% answered", r * 100.0)),
        None => parts.push("waiting for answers".into()),
    }
    if f.unreadable > 0 {
        parts.push(format!("{} unreadable", f.unreadable));
    }
    if f.ignored > 0 {
        parts.push(format!("{} ignored", f.ignored));
    }
    parts.join(" · ")
}

fn expired() -> Response {
    error_page(StatusCode::FORBIDDEN, "Form expired", "Reload the page and try again.")
}

/// `GET /settings/questions`
pub async fn list(State(app): State<App>, user: CurrentUser) -> Response {
    show(
        &app,
        &user,
        Shown {
            refused: None,
            tried: None,
        },
    )
    .await
}

async fn save(app: App, user: CurrentUser, id: Option<i64>, f: QuestionForm) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let key = id.unwrap_or(0);
    let (input, mut errors) = f.input();
    let checked = match check_question(&input) {
        Ok(q) if errors.is_empty() => q,
        Ok(_) => {
            return show(
                &app,
                &user,
                Shown {
                    refused: Some((key, f, errors)),
                    tried: None,
                },
            )
            .await
        }
        Err(e) => {
            errors.extend(e.into_iter().map(|e| (e.field, e.message)));
            return show(
                &app,
                &user,
                Shown {
                    refused: Some((key, f, errors)),
                    tried: None,
                },
            )
            .await;
        }
    };
    let (account_id, t) = (user.0.account_id, to_unix(app.now()));
    let saved = app
        .db
        .write(move |tx| match id {
            None => store::questions::insert(tx, account_id, &checked, t).map(|_| true),
            Some(id) => store::questions::update(tx, account_id, id, &checked, t),
        })
        .await;
    match saved {
        Ok(true) => Redirect::to("/settings/questions").into_response(),
        Ok(false) => not_found(),
        Err(Error::Conflict(m)) => {
            show(
                &app,
                &user,
                Shown {
                    refused: Some((key, f, vec![("fact_key".into(), m)])),
                    tried: None,
                },
            )
            .await
        }
        Err(e) => page_error(e),
    }
}

fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Question not found",
        "There is no such survey question.",
    )
}

/// `POST /settings/questions`
pub async fn create(State(app): State<App>, user: CurrentUser, Form(f): Form<QuestionForm>) -> Response {
    save(app, user, None, f).await
}

/// `POST /settings/questions/{id}`
pub async fn update(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<QuestionForm>,
) -> Response {
    save(app, user, Some(id), f).await
}

/// `POST /settings/questions/{id}/delete`
pub async fn delete(
    State(app): State<App>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<TryForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let account_id = user.0.account_id;
    match app
        .db
        .write(move |tx| store::questions::delete(tx, account_id, id))
        .await
    {
        Ok(true) => Redirect::to("/settings/questions").into_response(),
        Ok(false) => not_found(),
        Err(e) => page_error(e),
    }
}

/// `POST /settings/questions/try`: how a reply would be read, shown on the page; nothing stored.
pub async fn try_reply(State(app): State<App>, user: CurrentUser, Form(f): Form<TryForm>) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return expired();
    }
    let account_id = user.0.account_id;
    let tz = match app.db.call(move |c| store::accounts::get(c, account_id)).await {
        Ok(a) => a.timezone,
        Err(e) => return page_error(e),
    };
    let reading = match AnswerType::parse(&f.answer_type) {
        None => format!("Choose how the answer is read ({}).", AnswerType::words()),
        Some(t) => {
            let choices: Vec<String> = f
                .choices
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            match read_answer(t, &f.text, &choices, app.now(), tz) {
                None => {
                    "Not an answer forecourt can read: the question would be closed and the text go to a rep.".into()
                }
                Some(a) if a.needs_review() => format!(
                    "Read as {} but unsure ({:.0}%): kept as \"needs review\" for a rep to confirm.",
                    a.stored,
                    a.confidence * 100.0
                ),
                Some(a) => format!("Read as {} ({:.0}% sure).", a.stored, a.confidence * 100.0),
            }
        }
    };
    show(
        &app,
        &user,
        Shown {
            refused: None,
            tried: Some((f, reading)),
        },
    )
    .await
}
