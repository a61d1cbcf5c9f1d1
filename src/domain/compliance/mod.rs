//! The ComplianceGate's pure rules. Every outbound SMS is decided here at enqueue and again at
//! send time; nothing (an experiment, a manual override) bypasses it. No I/O and no clock: `now`
//! is an argument. The rules, in the order they are checked:
//!
//! 1. **Opt-out**: an opted-out lead gets nothing but the one opt-out confirmation (Block `OptedOut`).
//! 2. **System exemption**: `System` messages (the opt-out confirmation, HELP answers: replies to the
//!    customer's own keyword) skip rules 3–7.
//! 3. **Federal quiet hours**: only 08:00 <= local time < 21:00, in *every* zone the recipient may be in.
//! 4. **State hours**: the state's window (Mon–Sat, or its Sunday window), intersected with rule 3;
//!    some states allow no texts at all on Sunday.
//! 5. **State cap**: at most `max_per_24h` non-System texts in any rolling 24 hours; a state may lift it
//!    for a customer who bought within N months (Oregon), which counts only when the purchase date is known.
//! 6. **Account caps** (automated marketing only: Upsell, Survey, Followup): per lead per local day
//!    and per rolling 7 days.
//! 7. **Purpose separation**: never a Survey and an Upsell to the same lead on the same local day.
//!
//! A message that fails 3–7 is deferred, never dropped, to the earliest whole minute at which all of
//! them pass, or blocked if there is no such minute within 14 days.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

super::word_enum! {
    /// Why a message is sent; decides which caps apply.
    pub enum Purpose {
        Upsell = "upsell",
        Survey = "survey",
        Followup = "followup",
        Manual = "manual",
        Reply = "reply",
        System = "system",
    }
}

impl Purpose {
    /// Automated marketing, the purposes the account caps (rule 6) apply to.
    fn is_automated(self) -> bool {
        matches!(self, Purpose::Upsell | Purpose::Survey | Purpose::Followup)
    }
}

/// One state's sending rule. Minutes are after local midnight; windows are `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRule {
    pub state: String,
    pub start_minute: u32,
    pub end_minute: u32,
    /// Some: Sunday has its own window (a missing half falls back to the weekday one).
    pub sunday_start_minute: Option<u32>,
    pub sunday_end_minute: Option<u32>,
    /// false: no messages at all on Sunday.
    pub sunday_allowed: bool,
    /// Rolling 24 hours, all purposes except System. `Some(0)` blocks every non-System text.
    pub max_per_24h: Option<u32>,
    /// Some(n): the cap does not hold a customer whose last purchase was less than n months before the
    /// send (Oregon's established business relationship). An unknown purchase date never lifts it.
    pub cap_exempt_if_bought_within_months: Option<u32>,
    /// The statute, shown in reasons.
    pub source: String,
}

/// The account's own caps on automated texts per lead. A cap of 0 allows none (Block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountCaps {
    pub per_lead_day: u32,
    pub per_lead_week: u32,
}

/// A message to this lead that already went out or is on its way (sent, delivered, sending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorSend {
    pub at: DateTime<Utc>,
    pub purpose: Purpose,
}

#[derive(Debug, Clone)]
pub struct GateRequest<'a> {
    pub now: DateTime<Utc>,
    pub purpose: Purpose,
    /// the one confirmation sent after an opt-out: allowed to an opted-out lead
    pub opt_out_confirmation: bool,
    pub opted_out: bool,
    /// the customer sent words that may revoke consent and a rep has not decided yet: automated
    /// texts wait (rule 1b)
    pub opt_out_in_review: bool,
    /// every time zone the recipient may be in (non-empty). When the zone is uncertain (a phone
    /// prefix spanning two zones, a state spanning two), a moment is allowed only if it is allowed in ALL of them.
    pub zones: &'a [Tz],
    pub state_rule: Option<&'a StateRule>,
    pub caps: AccountCaps,
    pub prior: &'a [PriorSend],
    /// the lead's most recent known purchase from this dealership (None: none known); only a state
    /// rule with `cap_exempt_if_bought_within_months` looks at it
    pub last_purchase: Option<DateTime<Utc>>,
}

/// The rule that blocked or deferred a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    OptedOut,
    QuietHours,
    StateHours,
    StateSunday,
    StateCap,
    AccountDailyCap,
    AccountWeeklyCap,
    PurposeSeparation,
    OptOutReview,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::OptedOut => "opted_out",
            Code::QuietHours => "quiet_hours",
            Code::StateHours => "state_hours",
            Code::StateSunday => "state_sunday",
            Code::StateCap => "state_cap",
            Code::AccountDailyCap => "account_daily_cap",
            Code::AccountWeeklyCap => "account_weekly_cap",
            Code::PurposeSeparation => "purpose_separation",
            Code::OptOutReview => "opt_out_review",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Allow,
    /// not now: the earliest moment >= now at which the message would be allowed (given the same prior sends)
    Defer {
        until: DateTime<Utc>,
        code: Code,
        reason: String,
    },
    Block {
        code: Code,
        reason: String,
    },
}

const FEDERAL_START: u32 = 8 * 60;
const FEDERAL_END: u32 = 21 * 60;
const MAX_STEPS: usize = 128;
const HORIZON_DAYS: i64 = 14;
const QUIET_HOURS: &str = "federal quiet hours: texts only 08:00-21:00 recipient local time";

/// Decide one outbound message at `req.now`.
///
/// - Rule 1: `opted_out && !opt_out_confirmation` -> Block `OptedOut`.
/// - Rule 1b: `opt_out_in_review` and an automated purpose (upsell, survey, follow-up) -> Block
///   `OptOutReview`: the customer's words may have revoked consent, and until a rep decides only
///   people (replies, manual texts) and system confirmations may text them.
/// - Rule 2: purpose `System` -> Allow at any hour, uncapped. (A confirmation flagged on another purpose
///   gets past rule 1 but still meets rules 3–7.)
/// - Rules 3–7 (see `check`): if `now` fails one, the code and reason are those of the first rule that
///   stopped `now`; `until` is found by moving a candidate to the next window opening / cap release /
///   local day and re-checking everything, in whole minutes. No allowed minute within 14 days (or a cap of 0,
///   or a state window that never opens) -> Block with the last rule that failed. No zones -> Block `QuietHours`.
pub fn decide(req: &GateRequest) -> Decision {
    if req.opted_out && !req.opt_out_confirmation {
        let reason = "the lead opted out (STOP); only the opt-out confirmation may be sent";
        return block(Code::OptedOut, reason);
    }
    if req.opt_out_in_review && req.purpose.is_automated() {
        let reason =
            "the customer's last words may have asked for no more texts; automated texts wait until a rep decides";
        return block(Code::OptOutReview, reason);
    }
    if req.purpose == Purpose::System {
        return Decision::Allow;
    }
    if req.zones.is_empty() {
        let reason = "federal quiet hours: the recipient's time zone is unknown";
        return block(Code::QuietHours, reason);
    }
    let horizon = req.now + Duration::days(HORIZON_DAYS);
    let (mut t, mut first) = (req.now, None);
    let mut last = (Code::QuietHours, String::new());
    for _ in 0..MAX_STEPS {
        let stop = match check(req, t) {
            Ok(()) => {
                let Some((code, reason)) = first else {
                    return Decision::Allow;
                };
                return Decision::Defer { until: t, code, reason };
            }
            Err(stop) => stop,
        };
        first.get_or_insert_with(|| (stop.code, stop.reason.clone()));
        last = (stop.code, stop.reason);
        match stop.next.map(|n| ceil_minute(n.max(t + Duration::seconds(1)))) {
            Some(n) if n <= horizon => t = n,
            _ => break,
        }
    }
    let reason = format!("{}; no allowed moment within {HORIZON_DAYS} days", last.1);
    block(last.0, reason)
}

/// Is `at` inside every allowed window (federal + state) in every zone? (ignores caps/opt-out) — used by tests
/// and by the drain's final check.
pub fn within_hours(at: DateTime<Utc>, zones: &[Tz], state_rule: Option<&StateRule>) -> bool {
    !zones.is_empty()
        && zones.iter().all(|tz| {
            let local = at.with_timezone(tz);
            window(local.date_naive(), state_rule).is_some_and(|(s, e)| (s..e).contains(&minute_of_day(&local)))
        })
}

fn block(code: Code, reason: impl Into<String>) -> Decision {
    let reason = reason.into();
    Decision::Block { code, reason }
}

/// Why a candidate moment fails, and the next moment worth trying (None: never).
struct Stop {
    code: Code,
    reason: String,
    next: Option<DateTime<Utc>>,
}

fn stop(code: Code, reason: String, next: Option<DateTime<Utc>>) -> Result<(), Stop> {
    Err(Stop { code, reason, next })
}

/// Rules 3–7 at candidate moment `t`. Each failure's `next` is a moment before which nothing is allowed.
///
/// - Rule 3 (federal quiet hours): 08:00 <= local < 21:00 in each zone, else `QuietHours`.
/// - Rule 4 (state hours): Mon–Sat `[start, end)`; Sunday: none if `!sunday_allowed` (`StateSunday`), else the
///   Sunday window if given, else the weekday one (`StateHours`). Windows are per local date, so DST days work.
///   With several zones the next try is the latest of their next openings.
/// - Rule 5 (state cap): non-System sends with `at > t - 24h` number >= n -> `StateCap`, retry when enough of the
///   oldest have aged out (with exactly n: the oldest + 24 h). Not applied at `t` when the rule lifts its cap for a
///   recent purchase and `last_purchase` is one at `t` (see `bought_within`); a purchase dated after `t` (bad
///   data, or a deal dated ahead) lifts it from that moment, so the retry is the earlier of the two.
/// - Rule 6 (account caps, Upsell/Survey/Followup only): non-System sends on `t`'s local date in `zones[0]` >=
///   `per_lead_day` -> `AccountDailyCap`, retry next local day 08:00; non-System sends with `at > t - 7d` >=
///   `per_lead_week` -> `AccountWeeklyCap`, retry when enough have aged out.
/// - Rule 7 (purpose separation): a Survey on a local date (`zones[0]`) with an Upsell, or vice versa ->
///   `PurposeSeparation`, retry next local day 08:00.
fn check(req: &GateRequest, t: DateTime<Utc>) -> Result<(), Stop> {
    check_hours(t, req.zones, req.state_rule)?;
    let (z0, prior) = (req.zones[0], req.prior);
    let now_local = local_str(z0, t);
    let today = t.with_timezone(&z0).date_naive();
    let next_day = local_instant(z0, today + Duration::days(1), FEDERAL_START);
    if let Some(r) = req.state_rule {
        let (state, source) = (&r.state, &r.source);
        let exempt = r
            .cap_exempt_if_bought_within_months
            .is_some_and(|months| bought_within(req.last_purchase, months, t));
        if let Some(n) = r.max_per_24h.filter(|_| !exempt) {
            if let Some(release) = rolling_release(prior, t, Duration::hours(24), n) {
                // a purchase dated after `t` lifts the cap from that moment, which may come before the release
                let bought_later = req
                    .last_purchase
                    .filter(|b| *b > t && r.cap_exempt_if_bought_within_months.is_some());
                let next = match (release, bought_later) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let unless = r.cap_exempt_if_bought_within_months.map_or(String::new(), |months| {
                    format!(
                        " (lifted for a customer who bought in the last {months} months; no such purchase is known)"
                    )
                });
                let reason = format!(
                    "{state} cap ({source}): at most {n} texts in any 24 hours{unless}, reached at {now_local}"
                );
                return stop(Code::StateCap, reason, next);
            }
        }
    }
    if req.purpose.is_automated() {
        let same_day = |p: &&PriorSend| p.purpose != Purpose::System && local_date(z0, p.at) == today;
        let (sent, cap) = (prior.iter().filter(same_day).count(), req.caps.per_lead_day);
        if sent >= cap as usize {
            let rule = format!("account cap: at most {cap} automated texts per lead per local day");
            let reason = format!("{rule}, {sent} already sent the day of {now_local}");
            return stop(Code::AccountDailyCap, reason, (cap > 0).then_some(next_day));
        }
        let cap = req.caps.per_lead_week;
        if let Some(next) = rolling_release(prior, t, Duration::days(7), cap) {
            let reason =
                format!("account cap: at most {cap} automated texts per lead per 7 days, reached at {now_local}");
            return stop(Code::AccountWeeklyCap, reason, next);
        }
    }
    let other = match req.purpose {
        Purpose::Survey => Purpose::Upsell,
        Purpose::Upsell => Purpose::Survey,
        _ => return Ok(()),
    };
    if let Some(p) = prior
        .iter()
        .find(|p| p.purpose == other && local_date(z0, p.at) == today)
    {
        let (this, other, then) = (req.purpose.as_str(), other.as_str(), local_str(z0, p.at));
        let reason = format!(
            "purpose separation: no {this} on the same local day as an {other} (sent {then}); it is {now_local}"
        );
        return stop(Code::PurposeSeparation, reason, Some(next_day));
    }
    Ok(())
}

/// Was the purchase made by moment `t`, and less than `months` calendar months before it? None: unknown, so no.
/// A purchase exactly `months` before is not within them: when in doubt the cap holds.
fn bought_within(purchase: Option<DateTime<Utc>>, months: u32, t: DateTime<Utc>) -> bool {
    let since = t.checked_sub_months(Months::new(months));
    purchase
        .zip(since)
        .is_some_and(|(bought, since)| since < bought && bought <= t)
}

/// `Some(release)` if `cap` or more non-System `prior` sends fall after `t - span`; release is when the count
/// drops below `cap` (None: never, cap 0). Later candidates only ever count fewer, so nothing allowed is skipped.
fn rolling_release(prior: &[PriorSend], t: DateTime<Utc>, span: Duration, cap: u32) -> Option<Option<DateTime<Utc>>> {
    let inside = prior.iter().filter(|p| p.purpose != Purpose::System && p.at > t - span);
    let mut inside: Vec<DateTime<Utc>> = inside.map(|p| p.at).collect();
    if inside.len() < cap as usize {
        return None;
    }
    inside.sort();
    Some((cap > 0).then(|| inside[inside.len() - cap as usize] + span))
}

/// Rules 3 and 4 in every zone. Several failing zones: the code of the first rule (federal before state).
fn check_hours(t: DateTime<Utc>, zones: &[Tz], rule: Option<&StateRule>) -> Result<(), Stop> {
    let (mut worst, mut next): (Option<(Code, String)>, _) = (None, Some(t));
    for &tz in zones {
        let local = t.with_timezone(&tz);
        let (date, m) = (local.date_naive(), minute_of_day(&local));
        let sunday = date.weekday() == Weekday::Sun;
        let (code, reason) = if !(FEDERAL_START..FEDERAL_END).contains(&m) {
            (Code::QuietHours, QUIET_HOURS.to_string())
        } else if let Some(r) = rule.filter(|r| sunday && !r.sunday_allowed) {
            (
                Code::StateSunday,
                format!("{} rule ({}): no texts on Sunday", r.state, r.source),
            )
        } else if let Some(r) = rule.filter(|_| !window(date, rule).is_some_and(|(s, e)| (s..e).contains(&m))) {
            let ((s, e), days) = (state_window(r, sunday), if sunday { "Sunday" } else { "Mon-Sat" });
            let (state, source, s, e) = (&r.state, &r.source, hm(s), hm(e));
            (
                Code::StateHours,
                format!("{state} rule ({source}): texts only {s}-{e} local time {days}"),
            )
        } else {
            continue;
        };
        next = next.zip(next_opening(tz, t, rule)).map(|(a, b)| a.max(b));
        if worst.as_ref().is_none_or(|(w, _)| (code as u8) < (*w as u8)) {
            worst = Some((code, format!("{reason}, and it is {}", local_str(tz, t))));
        }
    }
    worst.map_or(Ok(()), |(code, reason)| stop(code, reason, next))
}

/// The state's own window for a day (before intersecting with the federal one).
fn state_window(r: &StateRule, sunday: bool) -> (u32, u32) {
    let (s, e) = (r.sunday_start_minute, r.sunday_end_minute);
    if sunday {
        (s.unwrap_or(r.start_minute), e.unwrap_or(r.end_minute))
    } else {
        (r.start_minute, r.end_minute)
    }
}

/// The effective `[start, end)` window on a local date: federal ∩ state. None: no texts that day.
fn window(date: NaiveDate, rule: Option<&StateRule>) -> Option<(u32, u32)> {
    let (mut s, mut e) = (FEDERAL_START, FEDERAL_END);
    if let Some(r) = rule {
        let sunday = date.weekday() == Weekday::Sun;
        if sunday && !r.sunday_allowed {
            return None;
        }
        let (rs, re) = state_window(r, sunday);
        (s, e) = (s.max(rs), e.min(re));
    }
    (s < e).then_some((s, e))
}

/// The first window opening in `tz` after `t` (t itself being outside the window), within a week.
fn next_opening(tz: Tz, t: DateTime<Utc>, rule: Option<&StateRule>) -> Option<DateTime<Utc>> {
    let local = t.with_timezone(&tz);
    let (today, m) = (local.date_naive(), minute_of_day(&local));
    (0..8).find_map(|i| {
        let date = today + Duration::days(i);
        let (s, _) = window(date, rule)?;
        (i > 0 || m < s).then(|| local_instant(tz, date, s))
    })
}

/// The instant of local `date` + `minute` in `tz`: a time skipped by spring-forward maps to the next valid
/// minute, a repeated one (fall back) to the earlier instant.
fn local_instant(tz: Tz, date: NaiveDate, minute: u32) -> DateTime<Utc> {
    let mut naive = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
    for _ in 0..=24 * 60 {
        match tz.from_local_datetime(&naive) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            LocalResult::None => naive += Duration::minutes(1),
        }
    }
    Utc.from_utc_datetime(&naive)
}

fn local_date(tz: Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

fn minute_of_day<T: Timelike>(t: &T) -> u32 {
    t.hour() * 60 + t.minute()
}

fn ceil_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    let (secs, nanos) = (t.timestamp(), t.timestamp_subsec_nanos());
    let floor = secs - secs.rem_euclid(60);
    DateTime::from_timestamp(if floor == secs && nanos == 0 { floor } else { floor + 60 }, 0).unwrap_or(t)
}

fn hm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn local_str(tz: Tz, t: DateTime<Utc>) -> String {
    format!("{} {}", t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M %Z"), tz.name())
}

#[cfg(test)]
mod tests;
