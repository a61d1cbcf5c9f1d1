//! The demo's survey history: the store's questions asked over the last months under the rules
//! every ask meets (one at a time, a cooldown apart, mileage before the timeframe, on a weekday
//! or Saturday between 10 and 5 local, never on a day the customer got an offer, never after an
//! opt-out; it is a plausible season, not a replay of the orchestrator), and the
//! customers' answers in their own words, read into facts by the real readers
//! (`domain::questions::read_answer`): most answered, some ignored, a few unreadable or unsure
//! (left for a rep), and a few still open today. So the demo's survey card, facts and threads
//! show what a store sees after a season of surveys.

use super::DAY;
use crate::db::WriteTx;
use crate::domain::money::thousands;
use crate::domain::questions::{read_answer, render_prompt};
use crate::error::Result;
use crate::store::history::{self, PastFact, PastInbound, PastOutbound, PastQuestion};
use crate::store::questions::{NewFact, Question};
use chrono::{Datelike, TimeZone, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;

/// How far back the mileage questions go.
const MILEAGE_DAYS: i64 = 170;

/// What customers say when asked when they will shop next, by the bucket it reads as (whenever
/// it is said: no phrase here names a month or a season).
pub(super) const TIMEFRAME_REPLIES: &[(&str, &[&str])] = &[
    (
        "0-3m",
        &[
            "ASAP",
            "asap honestly, the AC is going",
            "in the next month or two",
            "Looking now actually",
            "pretty soon, within a couple months",
        ],
    ),
    (
        "3-6m",
        &["in about 4 months", "maybe 5 months or so", "probably in 4-5 months"],
    ),
    (
        "6-12m",
        &[
            "in about 8 months",
            "probably 9 or 10 months from now",
            "in 7 or 8 months",
        ],
    ),
    (
        "12m+",
        &["not for a year or two", "maybe in 2 years", "a couple years out"],
    ),
    (
        "no_plans",
        &[
            "no plans, love my car",
            "Not looking, thanks",
            "no plans to buy anything",
        ],
    ),
];

/// Replies no reader can take as an answer: the question closes unread, the rep answers.
const UNREADABLE: &[&str] = &[
    "Not sure, I'd have to look",
    "why do you need to know?",
    "my wife drives it mostly, I'll ask her",
    "who is this?",
];

/// A customer as the survey history needs them.
pub(super) struct Customer<'a> {
    pub lead_id: i64,
    pub first: &'a str,
    /// None: no mobile number (no phone, or a landline)
    pub mobile: Option<&'a str>,
    pub opted_out_at: Option<i64>,
    /// where the customer is (their local day and hours are the rules')
    pub tz: Tz,
    /// "2019 Civic", bought then, driven so many miles a day
    pub vehicle: &'a str,
    pub purchased_at: i64,
    pub miles_per_day: i64,
    /// when offers went to the customer: no survey on those days
    pub offers_at: &'a [i64],
}

/// Writes the survey history, one customer at a time, from a generator of its own (so the rest
/// of the demo stays as it was).
pub(super) struct Surveys<'q> {
    pub account_id: i64,
    pub store: &'static str,
    pub store_number: &'static str,
    /// the store's zone, which the readers take dates in
    pub tz: Tz,
    pub now: i64,
    pub mileage: &'q Question,
    pub timeframe: &'q Question,
    pub rng: StdRng,
    pub sid: u64,
}

enum Reply {
    /// words a reader takes as the answer
    Answer(String),
    /// words no reader takes
    Unreadable(&'static str),
    /// no reply at all
    Silence,
}

impl Surveys<'_> {
    /// The customer's survey history; `timeframe` is what they said about their next purchase
    /// and how many days ago, if they did. A customer who cannot be texted then told a rep.
    pub fn customer(&mut self, tx: &WriteTx, c: &Customer, timeframe: Option<(&'static str, i64)>) -> Result<()> {
        let mut asked_at: Option<i64> = None;
        if let Some((bucket, days_ago)) = timeframe {
            let at = self.ask_time(c, self.now - days_ago * DAY);
            match (c.mobile, at) {
                (Some(phone), Some(at)) => {
                    let words = TIMEFRAME_REPLIES
                        .iter()
                        .find(|(b, _)| *b == bucket)
                        .and_then(|(_, w)| w.choose(&mut self.rng))
                        .copied()
                        .unwrap_or("no plans");
                    let question = self.timeframe;
                    self.ask(tx, c, phone, question, at, Reply::Answer(words.into()))?;
                    asked_at = Some(at);
                }
                _ => history::record_fact(
                    tx,
                    self.account_id,
                    &PastFact {
                        lead_id: c.lead_id,
                        key: &self.timeframe.fact_key,
                        value: bucket,
                        confidence: 0.9,
                        source: "manual",
                        at: self.now - days_ago * DAY,
                    },
                )?,
            }
        }
        let Some(phone) = c.mobile else { return Ok(()) };
        // the customers who told us when they will shop are the ones who answer
        let answers = if asked_at.is_some() { 0.85 } else { 0.62 };
        if !self.rng.random_bool(0.45) {
            return Ok(());
        }
        let mut day = self.now - self.rng.random_range(0..MILEAGE_DAYS) * DAY;
        // mileage comes first (the higher priority), the timeframe question its cooldown after
        if let Some(other) = asked_at {
            if day > other - 21 * DAY {
                day = other - self.rng.random_range(21..60) * DAY;
            }
        }
        let Some(at) = self.ask_time(c, day) else { return Ok(()) };
        if at < c.purchased_at + 60 * DAY || at < self.now - (MILEAGE_DAYS + 40) * DAY {
            return Ok(());
        }
        let roll: f64 = self.rng.random();
        let recent = at > self.now - 5 * DAY;
        let reply = if roll < answers {
            let miles = (at - c.purchased_at) / DAY * c.miles_per_day;
            Reply::Answer(self.mileage_words(miles, c.vehicle, recent))
        } else if roll < answers + 0.06 {
            Reply::Unreadable(UNREADABLE.choose(&mut self.rng).copied().unwrap_or(UNREADABLE[0]))
        } else {
            Reply::Silence
        };
        let question = self.mileage;
        self.ask(tx, c, phone, question, at, reply)
    }

    /// A time on `day` (or the day before it, or the one before that) when a survey may go:
    /// Monday to Saturday, 10 to 5 local, on no day of an offer, before any opt-out, in the past.
    fn ask_time(&mut self, c: &Customer, day: i64) -> Option<i64> {
        let hour = self.rng.random_range(10..17);
        let minute = self.rng.random_range(0..12) * 5;
        (0..3).find_map(|back| {
            let date = chrono::DateTime::from_timestamp(day - back * DAY, 0)?
                .with_timezone(&c.tz)
                .date_naive();
            if date.weekday() == Weekday::Sun {
                return None;
            }
            let at =
                c.tz.from_local_datetime(&date.and_hms_opt(hour, minute, 0)?)
                    .single()?
                    .timestamp();
            let same_day = |t: i64| {
                chrono::DateTime::from_timestamp(t, 0).map(|d| d.with_timezone(&c.tz).date_naive()) == Some(date)
            };
            let allowed = at < self.now - 3600
                && !c.offers_at.iter().any(|&t| same_day(t))
                && c.opted_out_at.is_none_or(|o| at + 4 * DAY < o);
            allowed.then_some(at)
        })
    }

    fn mileage_words(&mut self, miles: i64, vehicle: &str, recent: bool) -> String {
        let k = (miles + 500) / 1000;
        let hundreds = (miles + 50) / 100 * 100;
        // a bare number is read with less confidence: kept for review, so only the last days
        // have them (about a third of their answers), waiting for a rep
        let style = if recent && self.rng.random_bool(0.3) {
            10
        } else {
            self.rng.random_range(0..10)
        };
        match style {
            0 => format!("about {k}k"),
            1 => format!("{} miles", thousands(hundreds)),
            2 => format!("~{} mi", k * 1000),
            3 => format!("abt {k}k lol"),
            4 => format!("{vehicle}, about {k}k"),
            5 => format!("like {},000", k),
            6 => format!("{k}k miles give or take"),
            7 => format!("right at {}", thousands(miles)),
            8 => format!("Around {k} thousand 👍"),
            9 => format!("{}-{}k", k.saturating_sub(2), k + 2),
            _ if k >= 10 => format!("{k}"),
            _ => format!("about {k}k"),
        }
    }

    fn next_sid(&mut self) -> String {
        self.sid += 1;
        format!("SM5{:031x}", self.sid)
    }

    /// The text that asks, the customer's reply (a few minutes to a few hours later), the fact
    /// it taught and the thanks, as the orchestrator and the answer listener would have left them.
    fn ask(&mut self, tx: &WriteTx, c: &Customer, phone: &str, q: &Question, at: i64, reply: Reply) -> Result<()> {
        let body = render_prompt(&q.prompt, Some(c.first), Some(c.vehicle), self.store);
        let sid = self.next_sid();
        let out = history::record_outbound(
            tx,
            self.account_id,
            &PastOutbound {
                lead_id: c.lead_id,
                purpose: "survey",
                body: &body,
                to_phone: phone,
                status: "delivered",
                sent_at: at,
                provider_sid: &sid,
            },
        )?;
        let mut question = PastQuestion {
            lead_id: c.lead_id,
            question_policy_id: q.id,
            fact_key: &q.fact_key,
            message_out_id: out,
            status: if at + q.answer_within_hours * 3600 > self.now {
                "asked"
            } else {
                "expired"
            },
            answer_message_id: None,
            parsed_value: None,
            asked_at: at,
            answered_at: None,
        };
        let words = match &reply {
            Reply::Silence => return history::record_question(tx, self.account_id, &question).map(drop),
            Reply::Answer(words) => words.as_str(),
            Reply::Unreadable(words) => words,
        };
        let received = (at + self.rng.random_range(4..240) * 60).min(self.now - 60);
        let when = chrono::DateTime::from_timestamp(received, 0).unwrap_or_default();
        let read = match reply {
            Reply::Answer(_) => read_answer(q.answer_type, words, &[], when, self.tz),
            _ => None,
        };
        let handled_as = match &read {
            None => "draft",
            Some(a) if a.needs_review() => "survey_answer_review",
            Some(_) => "survey_answer",
        };
        let sid = self.next_sid();
        let answer = history::record_inbound(
            tx,
            self.account_id,
            &PastInbound {
                lead_id: c.lead_id,
                provider_sid: &sid,
                from_phone: phone,
                to_phone: self.store_number,
                body: words,
                keyword: None,
                handled_as,
                received_at: received,
            },
        )?;
        question.answer_message_id = Some(answer);
        question.answered_at = Some(received);
        let Some(read) = read else {
            question.status = "unparsed";
            return history::record_question(tx, self.account_id, &question).map(drop);
        };
        question.status = "answered";
        question.parsed_value = Some(&read.stored);
        history::record_question(tx, self.account_id, &question)?;
        crate::store::questions::record_fact(
            tx,
            self.account_id,
            c.lead_id,
            &NewFact {
                key: &q.fact_key,
                value: &read.stored,
                unit: read.unit,
                confidence: read.confidence,
                needs_review: read.needs_review(),
                source_message_id: answer,
                at: received,
            },
        )?;
        if !read.needs_review() {
            let sid = self.next_sid();
            history::record_outbound(
                tx,
                self.account_id,
                &PastOutbound {
                    lead_id: c.lead_id,
                    purpose: "system",
                    body: &crate::surveys::answers::thanks(Some(c.first), self.store),
                    to_phone: phone,
                    status: "delivered",
                    sent_at: (received + 60).min(self.now - 30),
                    provider_sid: &sid,
                },
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questions::AnswerType;
    use rand::SeedableRng;

    fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    const DAYS: [&str; 4] = [
        "2026-01-05T16:00:00Z",
        "2026-03-20T16:00:00Z",
        "2026-07-01T16:00:00Z",
        "2026-11-27T16:00:00Z",
    ];

    #[test]
    fn every_timeframe_reply_reads_as_its_bucket_whenever_it_is_said() {
        for (bucket, replies) in TIMEFRAME_REPLIES {
            for reply in *replies {
                for day in DAYS {
                    let read = read_answer(AnswerType::Timeframe, reply, &[], at(day), chrono_tz::America::Chicago);
                    assert_eq!(read.map(|a| a.stored), Some(bucket.to_string()), "{reply:?} on {day}");
                }
            }
        }
    }

    #[test]
    fn every_mileage_reply_reads_as_the_miles_it_says_and_the_unreadable_read_as_nothing() {
        let q = Question {
            id: 1,
            fact_key: "mileage".into(),
            prompt: String::new(),
            answer_type: AnswerType::Mileage,
            choices: None,
            priority: 5,
            cooldown_days: 14,
            max_asks: 3,
            answer_within_hours: 72,
            fresh_for_days: None,
            active: true,
            created_at: 0,
            updated_at: 0,
        };
        let mut s = Surveys {
            account_id: 1,
            store: "Lakeside Honda",
            store_number: "+15125550100",
            tz: chrono_tz::America::Chicago,
            now: 0,
            mileage: &q,
            timeframe: &q,
            rng: StdRng::seed_from_u64(7),
            sid: 0,
        };
        let mut bare = 0;
        for miles in [3_420, 18_950, 41_230, 87_777, 131_060, 212_500] {
            for _ in 0..40 {
                let words = s.mileage_words(miles, "2019 Civic", true);
                let read = read_answer(AnswerType::Mileage, &words, &[], at(DAYS[3]), s.tz)
                    .unwrap_or_else(|| panic!("{words:?} not read"));
                let value: i64 = read.stored.parse().unwrap();
                assert!(
                    (value - miles).abs() <= 1_000,
                    "{words:?} read as {value}, said of {miles}"
                );
                if read.needs_review() {
                    assert!(!words.contains(|c: char| !c.is_ascii_digit()), "{words:?} is unsure");
                    bare += 1;
                }
            }
        }
        assert!(bare > 0, "a bare number is among the replies, and is read as unsure");
        for words in UNREADABLE {
            assert_eq!(
                read_answer(AnswerType::Mileage, words, &[], at(DAYS[3]), s.tz),
                None,
                "{words}"
            );
        }
    }
}
