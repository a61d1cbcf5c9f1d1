//! Survey questions as an account defines them: the fact a question fills, its prompt, how its
//! answer is read, and how often it may be asked. Checked field by field, like offers.

use super::offers::FieldError;
use serde::Deserialize;

super::word_enum! {
    /// How a question's answer is read (the readers are in `domain::survey`).
    pub enum AnswerType {
        /// miles now, an integer
        Mileage = "mileage",
        /// when the customer expects to buy: a bucket
        Timeframe = "timeframe",
        YesNo = "yes_no",
        /// one of the question's choices
        Choice = "choice",
        /// kept as written
        FreeText = "free_text",
    }
}

/// What a prompt may name; each is filled for the customer (`render_prompt`).
pub const PROMPT_PLACEHOLDERS: &[&str] = &["first_name", "vehicle", "store"];

/// A question as submitted (API JSON or the settings form). Every field optional here so that a
/// missing one is reported by name, not as a parse error.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    pub fact_key: Option<String>,
    pub prompt: Option<String>,
    pub answer_type: Option<String>,
    pub choices: Option<Vec<String>>,
    pub priority: Option<i64>,
    pub cooldown_days: Option<i64>,
    pub max_asks: Option<i64>,
    pub answer_within_hours: Option<i64>,
    pub fresh_for_days: Option<i64>,
    pub active: Option<bool>,
}

/// A question that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidQuestion {
    pub fact_key: String,
    pub prompt: String,
    pub answer_type: AnswerType,
    /// only for `choice`: two to ten, distinct
    pub choices: Option<Vec<String>>,
    pub priority: i64,
    pub cooldown_days: i64,
    pub max_asks: i64,
    pub answer_within_hours: i64,
    pub fresh_for_days: Option<i64>,
    pub active: bool,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn in_range(errors: &mut Vec<FieldError>, field: &str, v: Option<i64>, default: i64, min: i64, max: i64) -> i64 {
    let v = v.unwrap_or(default);
    if !(min..=max).contains(&v) {
        errors.push(error(field, format!("must be between {min} and {max}")));
    }
    v
}

/// Check a submitted question; every problem is reported with its field.
pub fn check_question(input: &QuestionInput) -> Result<ValidQuestion, Vec<FieldError>> {
    let mut errors = Vec::new();
    let fact_key = input
        .fact_key
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_ascii_lowercase();
    if fact_key.is_empty() {
        errors.push(error("fact_key", "is required"));
    } else if fact_key.len() > 64 || !fact_key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        errors.push(error(
            "fact_key",
            "must be a name of letters, digits and _ (at most 64), e.g. purchase_timeframe",
        ));
    }
    let prompt = input.prompt.as_deref().map(str::trim).unwrap_or("").to_string();
    if prompt.is_empty() {
        errors.push(error("prompt", "is required"));
    } else {
        if prompt.chars().count() > 320 {
            errors.push(error("prompt", "is longer than 320 characters (two texts)"));
        }
        errors.extend(check_placeholders(&prompt));
    }
    let answer_type = match input.answer_type.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(error("answer_type", "is required"));
            None
        }
        Some(t) => AnswerType::parse(t).or_else(|| {
            errors.push(error("answer_type", format!("must be one of: {}", AnswerType::words())));
            None
        }),
    };
    let choices = match (answer_type, &input.choices) {
        (Some(AnswerType::Choice), None) => {
            errors.push(error("choices", "are required for a choice question"));
            None
        }
        (Some(AnswerType::Choice), Some(c)) => {
            let c: Vec<String> = c.iter().map(|s| s.trim().to_string()).collect();
            if !(2..=10).contains(&c.len()) {
                errors.push(error("choices", "must be two to ten"));
            }
            for (i, s) in c.iter().enumerate() {
                if s.is_empty() || s.chars().count() > 40 {
                    errors.push(error(&format!("choices[{i}]"), "must be 1 to 40 characters"));
                } else if c[..i].iter().any(|o| o.eq_ignore_ascii_case(s)) {
                    errors.push(error(&format!("choices[{i}]"), "is given twice"));
                }
            }
            Some(c)
        }
        (Some(_), Some(_)) => {
            errors.push(error("choices", "are only for a choice question"));
            None
        }
        _ => None,
    };
    let priority = in_range(&mut errors, "priority", input.priority, 1, 0, 100);
    let cooldown_days = in_range(&mut errors, "cooldown_days", input.cooldown_days, 14, 0, 365);
    let max_asks = in_range(&mut errors, "max_asks", input.max_asks, 3, 1, 20);
    let answer_within_hours = in_range(
        &mut errors,
        "answer_within_hours",
        input.answer_within_hours,
        72,
        1,
        720,
    );
    let fresh_for_days = input.fresh_for_days.inspect(|d| {
        if !(1..=3650).contains(d) {
            errors.push(error(
                "fresh_for_days",
                "must be between 1 and 3650 (or left out: a fact never goes stale)",
            ));
        }
    });
    match answer_type {
        Some(answer_type) if errors.is_empty() => Ok(ValidQuestion {
            fact_key,
            prompt,
            answer_type,
            choices,
            priority,
            cooldown_days,
            max_asks,
            answer_within_hours,
            fresh_for_days,
            active: input.active.unwrap_or(true),
        }),
        _ => Err(errors),
    }
}

fn check_placeholders(prompt: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut rest = prompt;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            errors.push(error("prompt", "has a { that is never closed"));
            break;
        };
        let name = &after[..close];
        if !PROMPT_PLACEHOLDERS.contains(&name) {
            let known = PROMPT_PLACEHOLDERS
                .iter()
                .map(|p| format!("{{{p}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(error(
                "prompt",
                format!("names {{{name}}}, which is not one of {known}"),
            ));
        }
        rest = &after[close + 1..];
    }
    errors
}

/// A prompt filled for one customer; what the store does not know reads naturally.
pub fn render_prompt(prompt: &str, first_name: Option<&str>, vehicle: Option<&str>, store: &str) -> String {
    let first = first_name.map(super::offers::title_case).filter(|s| !s.is_empty());
    prompt
        .replace("{first_name}", first.as_deref().unwrap_or("there"))
        .replace(
            "{vehicle}",
            vehicle.filter(|v| !v.trim().is_empty()).unwrap_or("vehicle"),
        )
        .replace("{store}", store.trim())
}

/// A reply read for a question: the value as the API shows it, as the fact stores it, its unit,
/// and how sure the reading is.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// for the API: an integer (mileage), `{"bucket": ...}` (timeframe), a boolean, the choice, a string
    pub value: serde_json::Value,
    /// for the fact: "45000", "0-3m", "yes", "SUV", the text
    pub stored: String,
    pub unit: Option<&'static str>,
    pub confidence: f64,
}

impl Answer {
    pub fn needs_review(&self) -> bool {
        self.confidence < super::survey::REVIEW_BELOW
    }
}

/// Read a reply as the answer to a question of `answer_type` (with its `choices`), sent at `at`
/// by a customer in zone `tz`. None: the reply does not answer it in a way that can be read.
pub fn read_answer(
    answer_type: AnswerType,
    text: &str,
    choices: &[String],
    at: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> Option<Answer> {
    use super::survey;
    match answer_type {
        AnswerType::Mileage => survey::read_mileage(text, at).map(|p| Answer {
            value: serde_json::json!(p.value),
            stored: p.value.to_string(),
            unit: Some("miles"),
            confidence: p.confidence,
        }),
        AnswerType::Timeframe => survey::read_timeframe(text, at, tz).map(|p| Answer {
            value: serde_json::json!({ "bucket": p.value.as_str() }),
            stored: p.value.as_str().to_string(),
            unit: Some("bucket"),
            confidence: p.confidence,
        }),
        AnswerType::YesNo => survey::read_yes_no(text).map(|p| Answer {
            value: serde_json::json!(p.value),
            stored: if p.value { "yes" } else { "no" }.to_string(),
            unit: None,
            confidence: p.confidence,
        }),
        AnswerType::Choice => {
            let choices: Vec<&str> = choices.iter().map(String::as_str).collect();
            survey::read_choice(text, &choices).map(|p| Answer {
                value: serde_json::json!(p.value),
                stored: p.value,
                unit: None,
                confidence: p.confidence,
            })
        }
        AnswerType::FreeText => {
            let text = text.trim();
            (!text.is_empty()).then(|| Answer {
                value: serde_json::json!(text),
                stored: text.chars().take(500).collect(),
                unit: None,
                confidence: 1.0,
            })
        }
    }
}

/// What a rep enters for a fact (a correction, a confirmation, or something learned on the
/// phone), read by the fact's answer type. It must read surely: a rep can write "54,000" where a
/// customer wrote "54"; a timeframe may also be its bucket ("0-3m"). What is set is sure
/// (confidence 1). Err: why not, for the `value` field.
pub fn read_rep_entry(
    answer_type: AnswerType,
    text: &str,
    choices: &[String],
    at: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
) -> Result<Answer, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is required".into());
    }
    if text.chars().count() > 500 {
        return Err("is longer than 500 characters".into());
    }
    let example = match answer_type {
        AnswerType::Mileage => "the miles, e.g. 54,000".to_string(),
        AnswerType::Timeframe => "when, e.g. within 3 months, next spring, no plans or 0-3m".to_string(),
        AnswerType::YesNo => "yes or no".to_string(),
        AnswerType::Choice => format!("one of: {}", choices.join(", ")),
        AnswerType::FreeText => "some words".to_string(),
    };
    let bucket = (answer_type == AnswerType::Timeframe)
        .then(|| super::survey::Timeframe::parse(text))
        .flatten();
    // a rep's plain number of miles is miles, even one a customer's reply would take for a
    // model year ("2015"); under a thousand it is as unsure as a customer's "45"
    let miles = (answer_type == AnswerType::Mileage && text.chars().all(|c| c.is_ascii_digit() || c == ','))
        .then(|| text.replace(',', "").parse::<i64>().ok())
        .flatten()
        .filter(|m| (1_000..=2_000_000).contains(m));
    let read = match (bucket, miles) {
        (Some(t), _) => Some(Answer {
            value: serde_json::json!({ "bucket": t.as_str() }),
            stored: t.as_str().to_string(),
            unit: Some("bucket"),
            confidence: 1.0,
        }),
        (_, Some(m)) => Some(Answer {
            value: serde_json::json!(m),
            stored: m.to_string(),
            unit: Some("miles"),
            confidence: 1.0,
        }),
        _ => read_answer(answer_type, text, choices, at, tz),
    };
    match read {
        Some(a) if !a.needs_review() => Ok(Answer { confidence: 1.0, ..a }),
        Some(_) => Err(format!("`{text}` could mean more than one thing: write {example}")),
        None => Err(format!("`{text}` cannot be read: write {example}")),
    }
}

/// What the orchestrator needs of one question to decide whether to ask it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionRule {
    pub id: i64,
    pub fact_key: String,
    pub priority: i64,
    pub cooldown_days: i64,
    pub max_asks: i64,
    pub fresh_for_days: Option<i64>,
    pub active: bool,
}

/// How often one question was put to the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked {
    pub question_id: i64,
    pub asks: i64,
    /// asks that had no answer in time
    pub ignored: i64,
    pub last_ignored_at: Option<i64>,
}

/// What the lead has been asked and has told us (unix seconds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadSurveys {
    /// a question waits for its answer
    pub open: bool,
    /// when the last survey question went to the lead
    pub last_asked_at: Option<i64>,
    /// (fact key, when it was observed)
    pub facts: Vec<(String, i64)>,
    pub asked: Vec<Asked>,
}

const DAY: i64 = 86_400;

/// The question to ask the lead now, if any: the highest-priority active question whose fact the
/// lead lacks or whose fact is older than its freshness, that has not reached its ask cap, is
/// past its cooldown since the lead's last survey question, and is not snoozed (two asks ignored
/// snooze a question for three cooldowns after the last). None while a question is open.
pub fn pick<'a>(questions: &'a [QuestionRule], lead: &LeadSurveys, now: i64) -> Option<&'a QuestionRule> {
    if lead.open {
        return None;
    }
    questions
        .iter()
        .filter(|q| q.active)
        .filter(|q| match lead.facts.iter().find(|(k, _)| *k == q.fact_key) {
            None => true,
            Some((_, observed)) => q.fresh_for_days.is_some_and(|d| observed + d * DAY <= now),
        })
        .filter(|q| lead.last_asked_at.is_none_or(|t| t + q.cooldown_days * DAY <= now))
        .filter(|q| match lead.asked.iter().find(|a| a.question_id == q.id) {
            None => true,
            Some(a) => {
                let snoozed = a.ignored >= 2 && a.last_ignored_at.is_some_and(|t| t + 3 * q.cooldown_days * DAY > now);
                a.asks < q.max_asks && !snoozed
            }
        })
        .max_by_key(|q| (q.priority, std::cmp::Reverse(q.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reps_entry_is_read_surely_or_refused_with_an_example() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T16:00:00Z")
            .unwrap()
            .to_utc();
        let tz = chrono_tz::America::Chicago;
        let choices = vec!["commuting".to_string(), "family".to_string()];
        let read = |t: AnswerType, text: &str| read_rep_entry(t, text, &choices, at, tz).map(|a| a.stored);
        assert_eq!(read(AnswerType::Mileage, "54,000"), Ok("54000".into()));
        assert_eq!(read(AnswerType::Mileage, "54k"), Ok("54000".into()));
        // a plain number of miles, even one a reply would take for a model year
        assert_eq!(read(AnswerType::Mileage, "2015"), Ok("2015".into()));
        assert_eq!(read(AnswerType::Mileage, "2,000"), Ok("2000".into()));
        let unsure = read(AnswerType::Mileage, "54").unwrap_err();
        assert!(
            unsure.contains("could mean more than one thing") && unsure.contains("54,000"),
            "{unsure}"
        );
        assert!(read(AnswerType::Mileage, "lots")
            .unwrap_err()
            .contains("cannot be read"));
        assert_eq!(read(AnswerType::Timeframe, "0-3m"), Ok("0-3m".into()));
        assert_eq!(read(AnswerType::Timeframe, "not for a year or two"), Ok("12m+".into()));
        assert_eq!(read(AnswerType::YesNo, "yes"), Ok("yes".into()));
        assert_eq!(read(AnswerType::Choice, "family"), Ok("family".into()));
        assert!(read(AnswerType::Choice, "racing")
            .unwrap_err()
            .contains("one of: commuting, family"));
        assert_eq!(
            read(AnswerType::FreeText, "  evenings after 6 "),
            Ok("evenings after 6".into())
        );
        assert_eq!(read(AnswerType::Mileage, "  "), Err("is required".into()));
        let sure = read_rep_entry(AnswerType::Mileage, "about 41k", &[], at, tz).unwrap();
        assert_eq!((sure.confidence, sure.needs_review()), (1.0, false));
    }

    fn rule(id: i64, fact: &str, priority: i64) -> QuestionRule {
        QuestionRule {
            id,
            fact_key: fact.into(),
            priority,
            cooldown_days: 14,
            max_asks: 3,
            fresh_for_days: Some(180),
            active: true,
        }
    }

    #[test]
    fn the_highest_priority_missing_fact_is_asked_once_the_cooldown_has_passed() {
        let now = 1_000 * DAY;
        let qs = [
            rule(1, "mileage", 5),
            rule(2, "purchase_timeframe", 9),
            rule(3, "primary_use", 9),
        ];
        let mut lead = LeadSurveys::default();
        assert_eq!(
            pick(&qs, &lead, now).map(|q| q.id),
            Some(2),
            "priority 9, the lower id of a tie"
        );
        lead.facts.push(("purchase_timeframe".into(), now - 10 * DAY));
        assert_eq!(pick(&qs, &lead, now).map(|q| q.id), Some(3));
        lead.facts.push(("primary_use".into(), now - 200 * DAY));
        assert_eq!(pick(&qs, &lead, now).map(|q| q.id), Some(3), "stale after 180 days");
        lead.facts.push(("primary_use".into(), now));
        lead.facts.remove(1);
        assert_eq!(pick(&qs, &lead, now).map(|q| q.id), Some(1));
        lead.last_asked_at = Some(now - 13 * DAY);
        assert_eq!(pick(&qs, &lead, now), None, "in the cooldown");
        lead.last_asked_at = Some(now - 14 * DAY);
        assert_eq!(pick(&qs, &lead, now).map(|q| q.id), Some(1));
        lead.open = true;
        assert_eq!(pick(&qs, &lead, now), None, "one question at a time");
    }

    #[test]
    fn caps_snoozes_and_inactive_questions_are_passed_over() {
        let now = 1_000 * DAY;
        let mut qs = [rule(1, "mileage", 5), rule(2, "trade_in_interest", 1)];
        let mut lead = LeadSurveys {
            asked: vec![Asked {
                question_id: 1,
                asks: 3,
                ignored: 0,
                last_ignored_at: None,
            }],
            ..Default::default()
        };
        assert_eq!(
            pick(&qs, &lead, now).map(|q| q.id),
            Some(2),
            "asked three times already"
        );
        lead.asked[0] = Asked {
            question_id: 1,
            asks: 2,
            ignored: 2,
            last_ignored_at: Some(now - 41 * DAY),
        };
        assert_eq!(pick(&qs, &lead, now).map(|q| q.id), Some(2), "snoozed for 3 x 14 days");
        lead.asked[0].last_ignored_at = Some(now - 42 * DAY);
        assert_eq!(pick(&qs, &lead, now).map(|q| q.id), Some(1));
        qs[0].active = false;
        qs[1].active = false;
        assert_eq!(pick(&qs, &lead, now), None);
    }

    fn input() -> QuestionInput {
        QuestionInput {
            fact_key: Some("Mileage".into()),
            prompt: Some("Hi {first_name}, about how many miles are on your {vehicle}?".into()),
            answer_type: Some("mileage".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_question_gets_its_defaults() {
        let q = check_question(&input()).unwrap();
        assert_eq!(q.fact_key, "mileage");
        assert_eq!(q.answer_type, AnswerType::Mileage);
        assert_eq!(
            (q.priority, q.cooldown_days, q.max_asks, q.answer_within_hours),
            (1, 14, 3, 72)
        );
        assert!(q.active && q.fresh_for_days.is_none() && q.choices.is_none());
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = QuestionInput {
            fact_key: Some("next car!".into()),
            prompt: Some("When {when}?".into()),
            answer_type: Some("choice".into()),
            choices: Some(vec!["SUV".into(), "suv".into(), "".into()]),
            priority: Some(101),
            cooldown_days: Some(-1),
            max_asks: Some(0),
            answer_within_hours: Some(10_000),
            fresh_for_days: Some(0),
            active: None,
        };
        let fields: Vec<String> = check_question(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        for f in [
            "fact_key",
            "prompt",
            "choices[1]",
            "choices[2]",
            "priority",
            "cooldown_days",
            "max_asks",
            "answer_within_hours",
            "fresh_for_days",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} not in {fields:?}");
        }
        let none = check_question(&QuestionInput::default()).unwrap_err();
        let fields: Vec<&str> = none.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["fact_key", "prompt", "answer_type"]);
        let mut i = input();
        i.choices = Some(vec!["a".into(), "b".into()]);
        assert_eq!(check_question(&i).unwrap_err()[0].field, "choices");
        i.answer_type = Some("number".into());
        assert!(check_question(&i).unwrap_err()[0]
            .message
            .contains("mileage, timeframe"));
    }

    #[test]
    fn prompts_are_filled_for_the_customer() {
        let p = "Hi {first_name}, how many miles on your {vehicle}? - {store}";
        assert_eq!(
            render_prompt(p, Some("ANA"), Some("2019 Honda Accord"), "Lakeside Honda"),
            "Hi Ana, how many miles on your 2019 Honda Accord? - Lakeside Honda"
        );
        assert_eq!(
            render_prompt(p, None, None, "Lakeside Honda"),
            "Hi there, how many miles on your vehicle? - Lakeside Honda"
        );
    }
}
