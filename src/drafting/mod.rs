//! Drafting replies and follow-ups. `TemplateDrafter` is the deterministic default;
//! `OpenAiDrafter` asks an OpenAI-compatible chat API and falls back to the template on any
//! failure, so a draft always exists.

use futures_util::future::BoxFuture;
use std::time::Duration;

/// What a draft is about.
#[derive(Debug, Clone)]
pub enum DraftKind {
    /// an answer to the customer's last text
    Reply { inbound: String },
    /// step `step` (0-based) of the new-lead follow-up cadence
    Followup { step: usize },
    /// a survey question: `question` is the account's prompt, filled for the customer; a chat API
    /// may reword it but must keep its meaning (each of `choices` still named), else the question
    /// goes as written
    Survey { question: String, choices: Vec<String> },
}

/// Everything a drafter may use.
#[derive(Debug, Clone)]
pub struct DraftContext {
    pub kind: DraftKind,
    pub account_name: String,
    pub first_name: Option<String>,
    pub vehicle: Option<String>,
    pub booking_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub body: String,
    /// `template` or `openai:<model>`
    pub drafter: String,
}

pub trait Drafter: Send + Sync + 'static {
    fn draft<'a>(&'a self, ctx: &'a DraftContext) -> BoxFuture<'a, Draft>;

    /// The draft, if this drafter has it at once, with no waiting (no network): then it is
    /// written in the same transaction as the text it answers. `None`: ask [`Drafter::draft`].
    fn draft_at_once(&self, _ctx: &DraftContext) -> Option<Draft> {
        None
    }
}

/// Deterministic drafts from fixed templates filled with the context.
pub struct TemplateDrafter;

impl TemplateDrafter {
    pub fn render(ctx: &DraftContext) -> String {
        let hi = match &ctx.first_name {
            Some(n) if !n.trim().is_empty() => format!("Hi {},", n.trim()),
            _ => "Hi,".to_string(),
        };
        let store = ctx.account_name.trim();
        let vehicle = ctx.vehicle.as_deref().filter(|v| !v.trim().is_empty());
        match &ctx.kind {
            DraftKind::Reply { .. } => {
                format!("{hi} thanks for your message! Someone from {store} will get back to you shortly.")
            }
            DraftKind::Followup { step: 0 } => match vehicle {
                Some(v) => format!("{hi} thanks for your interest in the {v} at {store}. When would be a good time to see it? Reply STOP to opt out."),
                None => format!("{hi} thanks for reaching out to {store}. How can we help? Reply STOP to opt out."),
            },
            DraftKind::Followup { step: 1 } => match (&ctx.booking_url, vehicle) {
                (Some(url), _) => format!("{hi} just checking in from {store}. You can pick a time that suits you here: {url}"),
                (None, Some(v)) => format!("{hi} just checking in from {store}. Is the {v} still on your list? We're happy to answer any questions."),
                (None, None) => format!("{hi} just checking in from {store}. Any questions we can answer for you?"),
            },
            DraftKind::Followup { .. } => {
                format!("{hi} we don't want to bother you. If you'd still like help from {store}, just reply and we'll take it from there.")
            }
            DraftKind::Survey { question, .. } => question.clone(),
        }
    }
}

impl Drafter for TemplateDrafter {
    fn draft<'a>(&'a self, ctx: &'a DraftContext) -> BoxFuture<'a, Draft> {
        Box::pin(async move { self.draft_template(ctx) })
    }

    fn draft_at_once(&self, ctx: &DraftContext) -> Option<Draft> {
        Some(self.draft_template(ctx))
    }
}

impl TemplateDrafter {
    fn draft_template(&self, ctx: &DraftContext) -> Draft {
        Draft {
            body: Self::render(ctx),
            drafter: "template".into(),
        }
    }
}

/// An OpenAI-compatible `/v1/chat/completions` client.
pub struct OpenAiDrafter {
    http: reqwest::Client,
    base_url: String,
    model: String,
    api_key: Option<String>,
}

impl OpenAiDrafter {
    pub fn new(base_url: &str, model: &str, api_key: Option<String>, timeout: Duration) -> OpenAiDrafter {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("HTTP client with rustls builds");
        OpenAiDrafter {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            model: model.to_string(),
            api_key,
        }
    }

    fn prompt(ctx: &DraftContext) -> (String, String) {
        let system = format!(
            "You write SMS messages for {} (a car dealership). Write one friendly, plain-text SMS under 300 characters. \
             No emojis, no links unless given, never invent prices or promises. Answer with the message text only.",
            ctx.account_name
        );
        let who = ctx.first_name.clone().unwrap_or_else(|| "the customer".into());
        let about = ctx
            .vehicle
            .as_deref()
            .map(|v| format!(" They are interested in: {v}."))
            .unwrap_or_default();
        let user =
            match &ctx.kind {
                DraftKind::Reply { inbound } => format!("Draft a reply to {who}, who texted: \"{inbound}\".{about}"),
                DraftKind::Followup { step } => format!(
                    "Draft follow-up number {} to {who}, a new lead who has not replied yet.{about}{}",
                    step + 1,
                    ctx.booking_url
                        .as_deref()
                        .map(|u| format!(" Booking link: {u}"))
                        .unwrap_or_default()
                ),
                DraftKind::Survey { question, choices } => format!(
                "Reword this one-question survey text to {who} so it reads warmly, keeping its meaning, its question \
                 and every answer option word for word{}: \"{question}\"",
                if choices.is_empty() { String::new() } else { format!(" ({})", choices.join(", ")) }
            ),
            };
        (system, user)
    }

    async fn ask(&self, ctx: &DraftContext) -> Result<String, String> {
        let (system, user) = Self::prompt(ctx);
        let body = serde_json::json!({
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": 0.3,
            "max_tokens": 200,
        });
        let mut req = self
            .http
            .post(format!("{}/v1/chat/completions", self.base_url))
            .json(&body);
        if let Some(key) = &self.api_key {
            req = req.bearer_auth(key);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let v: serde_json::Value = resp.json().await.map_err(|e| e.to_string())?;
        let text = v["choices"][0]["message"]["content"]
            .as_str()
            .ok_or("no choices[0].message.content")?
            .trim();
        if text.is_empty() {
            return Err("empty completion".into());
        }
        Ok(text.chars().take(crate::domain::sms::MAX_BODY_CHARS).collect())
    }
}

/// A reworded survey question must still ask, name every choice and fit two texts; other
/// drafts pass as they are.
fn keeps_the_question(ctx: &DraftContext, body: String) -> Result<String, String> {
    let DraftKind::Survey { choices, .. } = &ctx.kind else {
        return Ok(body);
    };
    let lower = body.to_lowercase();
    if !body.contains('?') {
        return Err("the reworded question asks nothing".into());
    }
    if let Some(missing) = choices.iter().find(|c| !lower.contains(&c.to_lowercase())) {
        return Err(format!("the reworded question lost the choice `{missing}`"));
    }
    if body.chars().count() > 320 {
        return Err("the reworded question is longer than two texts".into());
    }
    Ok(body)
}

impl Drafter for OpenAiDrafter {
    fn draft<'a>(&'a self, ctx: &'a DraftContext) -> BoxFuture<'a, Draft> {
        Box::pin(async move {
            match self.ask(ctx).await.and_then(|body| keeps_the_question(ctx, body)) {
                Ok(body) => Draft {
                    body,
                    drafter: format!("openai:{}", self.model),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "chat API draft failed; using the template");
                    Draft {
                        body: TemplateDrafter::render(ctx),
                        drafter: "template".into(),
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(kind: DraftKind) -> DraftContext {
        DraftContext {
            kind,
            account_name: "Lakeside Honda".into(),
            first_name: Some("Ana".into()),
            vehicle: Some("2025 Honda CR-V".into()),
            booking_url: None,
        }
    }

    #[test]
    fn templates_fill_the_context_deterministically() {
        let first = TemplateDrafter::render(&ctx(DraftKind::Followup { step: 0 }));
        assert_eq!(first, "Hi Ana, thanks for your interest in the 2025 Honda CR-V at Lakeside Honda. When would be a good time to see it? Reply STOP to opt out.");
        assert_eq!(first, TemplateDrafter::render(&ctx(DraftKind::Followup { step: 0 })));
        let reply = TemplateDrafter::render(&ctx(DraftKind::Reply {
            inbound: "is it still there?".into(),
        }));
        assert!(reply.starts_with("Hi Ana,") && reply.contains("Lakeside Honda"));
        let mut anon = ctx(DraftKind::Followup { step: 1 });
        anon.first_name = None;
        anon.booking_url = Some("https://lakeside.example/book".into());
        assert!(TemplateDrafter::render(&anon).starts_with("Hi, just checking in"));
        assert!(TemplateDrafter::render(&anon).ends_with("https://lakeside.example/book"));
    }

    #[test]
    fn a_reworded_survey_question_keeps_its_meaning_or_is_refused() {
        let survey = ctx(DraftKind::Survey {
            question: "What would your next vehicle be: SUV, truck or sedan?".into(),
            choices: vec!["SUV".into(), "truck".into(), "sedan".into()],
        });
        assert_eq!(
            TemplateDrafter::render(&survey),
            "What would your next vehicle be: SUV, truck or sedan?"
        );
        let kept = "Hi Ana! Next time you shop, would it be an SUV, a truck or a sedan?".to_string();
        assert_eq!(keeps_the_question(&survey, kept.clone()), Ok(kept));
        assert!(keeps_the_question(&survey, "Would you like an SUV or a truck?".into()).is_err());
        assert!(keeps_the_question(&survey, "Tell us: SUV, truck, sedan.".into()).is_err());
        let reply = ctx(DraftKind::Reply { inbound: "hi".into() });
        assert_eq!(keeps_the_question(&reply, "Hello".into()), Ok("Hello".into()));
    }
}
