//! The gate's table tests and its property test.
use super::*;
use chrono_tz::America::{Chicago, Denver, Los_Angeles, New_York, Phoenix};
use chrono_tz::Pacific::Honolulu;
use proptest::prelude::*;
use Purpose::*;

const ZONES: [Tz; 6] = [New_York, Chicago, Denver, Phoenix, Los_Angeles, Honolulu];
const PURPOSES: [Purpose; 6] = [Upsell, Survey, Followup, Manual, Reply, System];
const STATES: [&str; 8] = ["FL", "TX", "LA", "CT", "UT", "WA", "OR", "VA"];

/// The proptest states' values (sources are placeholders, not citations).
fn rule(state: &str) -> StateRule {
    let (start, end, sunday, sunday_allowed, max_per_24h) = match state {
        "FL" | "OR" => (8, 20, None, true, Some(3)),
        "VA" => (8, 21, None, true, None),
        "TX" => (9, 21, Some((12, 21)), true, None),
        "LA" => (8, 20, None, false, None),
        "CT" => (9, 20, None, true, None),
        "UT" => (8, 21, None, false, None),
        _ => (8, 20, None, true, None),
    };
    let (start_minute, end_minute, source) = (start * 60, end * 60, format!("{state} statute"));
    let (sunday_start_minute, sunday_end_minute) = (sunday.map(|s: (u32, u32)| s.0 * 60), sunday.map(|s| s.1 * 60));
    let cap_exempt_if_bought_within_months = (state == "OR").then_some(18);
    let state = state.to_string();
    StateRule {
        state,
        start_minute,
        end_minute,
        sunday_start_minute,
        sunday_end_minute,
        sunday_allowed,
        max_per_24h,
        cap_exempt_if_bought_within_months,
        source,
    }
}

/// 2026-`mo`-`d` `h`:`mi` local in `tz`.
fn at(tz: Tz, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    local_instant(tz, NaiveDate::from_ymd_opt(2026, mo, d).unwrap(), h * 60 + mi)
}

fn sent(at: DateTime<Utc>, purpose: Purpose) -> PriorSend {
    PriorSend { at, purpose }
}

/// A Followup, not opted out, generous account caps.
fn req<'a>(now: DateTime<Utc>, z: &'a [Tz], r: Option<&'a StateRule>, p: &'a [PriorSend]) -> GateRequest<'a> {
    let (purpose, caps) = (
        Followup,
        AccountCaps {
            per_lead_day: 10,
            per_lead_week: 50,
        },
    );
    let (opt_out_confirmation, opted_out, zones, state_rule, prior) = (false, false, z, r, p);
    GateRequest {
        now,
        purpose,
        opt_out_confirmation,
        opted_out,
        opt_out_in_review: false,
        zones,
        state_rule,
        caps,
        prior,
        last_purchase: None,
    }
}

fn deferred(r: &GateRequest) -> (DateTime<Utc>, Code, String) {
    match decide(r) {
        Decision::Defer { until, code, reason } => (until, code, reason),
        other => panic!("expected Defer, got {other:?}"),
    }
}

fn blocked(r: &GateRequest) -> Option<Code> {
    match decide(r) {
        Decision::Block { code, .. } => Some(code),
        _ => None,
    }
}

#[test]
fn names_round_trip() {
    for p in PURPOSES {
        assert_eq!(Purpose::parse(p.as_str()), Some(p));
    }
    assert_eq!(Purpose::parse("Upsell"), None);
    assert_eq!(Code::PurposeSeparation.as_str(), "purpose_separation");
}

fn hhmm(h: u32, m: u32) -> String {
    format!("{h:02}:{m:02}")
}

#[test]
fn federal_quiet_hours_matrix() {
    // local time on Wed 2026-06-10 -> None: Allow, Some((day, h)): Defer to June `day` h:00 local
    let cases = [
        ((20, 59), None),
        ((21, 0), Some((11, 8))),
        ((7, 59), Some((10, 8))),
        ((8, 0), None),
    ];
    for (tz, ((h, m), want)) in ZONES.into_iter().flat_map(|tz| cases.map(|c| (tz, c))) {
        let z = [tz];
        let r = req(at(tz, 6, 10, h, m), &z, None, &[]);
        let Some((day, wh)) = want else {
            assert_eq!(decide(&r), Decision::Allow, "{tz} {h}:{m}");
            continue;
        };
        let (until, code, reason) = deferred(&r);
        assert_eq!((until, code), (at(tz, 6, day, wh, 0), Code::QuietHours), "{tz} {h}:{m}");
        assert!(reason.contains(&hhmm(h, m)) && reason.contains(tz.name()), "{reason}");
    }
}

#[test]
fn dst_change_days() {
    // (change day, the evening before): 07:30 -> 08:00 that day, 21:30 the night before -> 08:00 across it
    let days = [((3, 8), (3, 7)), ((11, 1), (10, 31))];
    for (tz, ((mo, d), (pmo, pd))) in ZONES.into_iter().flat_map(|tz| days.map(|c| (tz, c))) {
        let z = [tz];
        let morning = deferred(&req(at(tz, mo, d, 7, 30), &z, None, &[])).0;
        let night = deferred(&req(at(tz, pmo, pd, 21, 30), &z, None, &[])).0;
        assert_eq!((morning, night), (at(tz, mo, d, 8, 0), at(tz, mo, d, 8, 0)), "{tz}");
        let local = night.with_timezone(&tz);
        assert_eq!((local.day(), local.hour(), local.minute()), (d, 8, 0), "{tz}");
    }
    let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    assert_eq!(at(New_York, 3, 8, 8, 0), utc("2026-03-08T12:00:00Z"));
    assert_eq!(at(New_York, 11, 1, 8, 0), utc("2026-11-01T13:00:00Z"));
    assert_eq!(
        at(New_York, 3, 8, 2, 30),
        utc("2026-03-08T07:00:00Z"),
        "skipped: 03:00 EDT"
    );
    assert_eq!(
        at(New_York, 11, 1, 1, 30),
        utc("2026-11-01T05:30:00Z"),
        "repeated: the EDT one"
    );
}

#[test]
fn state_hours_and_sundays() {
    // (state, local now, local until, code); 2026-03-15 is a Sunday
    let cases = [
        ("TX", (3, 15, 10, 0), (3, 15, 12, 0), Code::StateHours),
        ("TX", (3, 16, 8, 30), (3, 16, 9, 0), Code::StateHours),
        ("LA", (3, 15, 10, 0), (3, 16, 8, 0), Code::StateSunday),
        ("UT", (3, 15, 21, 30), (3, 16, 8, 0), Code::QuietHours),
        ("CT", (3, 16, 8, 30), (3, 16, 9, 0), Code::StateHours),
        ("CT", (3, 16, 20, 0), (3, 17, 9, 0), Code::StateHours),
        ("WA", (3, 16, 20, 0), (3, 17, 8, 0), Code::StateHours),
    ];
    for (st, (mo, d, h, m), (umo, ud, uh, um), want) in cases {
        let (rule, z) = (rule(st), [Chicago]);
        let (until, code, reason) = deferred(&req(at(Chicago, mo, d, h, m), &z, Some(&rule), &[]));
        assert_eq!(
            (until, code),
            (at(Chicago, umo, ud, uh, um), want),
            "{st} {mo}-{d} {h}:{m}"
        );
        let source_named = want == Code::QuietHours || reason.contains(&rule.source);
        assert!(source_named && reason.contains(&hhmm(h, m)), "{reason}");
    }
}

#[test]
fn florida_cap() {
    let (fl, ny) = (rule("FL"), [New_York]);
    let three = [10, 12, 14].map(|h| sent(at(New_York, 4, 6, h, 0), Manual));
    let (until, code, reason) = deferred(&req(at(New_York, 4, 6, 16, 0), &ny, Some(&fl), &three));
    assert_eq!(
        (until, code),
        (at(New_York, 4, 7, 10, 0), Code::StateCap),
        "the 4th: first + 24 h"
    );
    assert!(reason.contains("FL statute"), "{reason}");
    let third = req(at(New_York, 4, 6, 16, 0), &ny, Some(&fl), &three[..2]);
    assert_eq!(decide(&third), Decision::Allow);
    let late = three.map(|p| sent(p.at + Duration::seconds(30), Reply));
    let until = deferred(&req(at(New_York, 4, 6, 16, 0), &ny, Some(&fl), &late)).0;
    assert_eq!(until, at(New_York, 4, 7, 10, 1), "rounded up to the minute");
}

#[test]
fn oregon_hours_end_at_eight_pm() {
    let (or, z) = (rule("OR"), [Los_Angeles]);
    assert_eq!(
        decide(&req(at(Los_Angeles, 6, 10, 19, 59), &z, Some(&or), &[])),
        Decision::Allow
    );
    let (until, code, reason) = deferred(&req(at(Los_Angeles, 6, 10, 20, 0), &z, Some(&or), &[]));
    assert_eq!((until, code), (at(Los_Angeles, 6, 11, 8, 0), Code::StateHours));
    assert!(
        reason.contains("OR statute") && reason.contains("08:00-20:00"),
        "{reason}"
    );
    let sunday = req(at(Los_Angeles, 6, 14, 12, 0), &z, Some(&or), &[]);
    assert_eq!(decide(&sunday), Decision::Allow, "no Sunday rule in Oregon");
}

#[test]
fn oregon_cap_lifted_only_for_a_known_purchase_within_18_months() {
    let (or, z) = (rule("OR"), [Los_Angeles]);
    let now = at(Los_Angeles, 6, 10, 16, 0);
    let three = [9, 11, 13].map(|h| sent(at(Los_Angeles, 6, 10, h, 0), Manual));
    let fourth = |last_purchase: Option<DateTime<Utc>>| GateRequest {
        last_purchase,
        ..req(now, &z, Some(&or), &three)
    };
    let months_ago = |n| now.checked_sub_months(Months::new(n));

    let (until, code, reason) = deferred(&fourth(None));
    assert_eq!(
        (until, code),
        (at(Los_Angeles, 6, 11, 9, 0), Code::StateCap),
        "unknown purchase: the 4th waits for the first + 24 h"
    );
    assert!(
        reason.contains("OR statute") && reason.contains("18 months"),
        "{reason}"
    );
    assert_eq!(
        deferred(&fourth(months_ago(19))).1,
        Code::StateCap,
        "bought 19 months ago"
    );
    assert_eq!(
        deferred(&fourth(months_ago(18))).1,
        Code::StateCap,
        "exactly 18 months: not within"
    );
    assert_eq!(decide(&fourth(months_ago(17))), Decision::Allow, "bought 17 months ago");
    let (in_two_hours, tomorrow) = (now + Duration::hours(2), now + Duration::days(1));
    let (until, code, _) = deferred(&fourth(Some(in_two_hours)));
    assert_eq!(
        (until, code),
        (in_two_hours, Code::StateCap),
        "a purchase dated later lifts the cap from then, not before"
    );
    let until = deferred(&fourth(Some(tomorrow))).0;
    assert_eq!(until, at(Los_Angeles, 6, 11, 9, 0), "the cap's release comes first");
    let third = req(now, &z, Some(&or), &three[..2]);
    assert_eq!(decide(&third), Decision::Allow);

    // the exemption lifts the state cap only: the hours, and the account's caps on automated texts, still hold
    let late = GateRequest {
        now: at(Los_Angeles, 6, 10, 20, 30),
        ..fourth(months_ago(17))
    };
    assert_eq!(deferred(&late).1, Code::StateHours);
    let mut automated = fourth(months_ago(17));
    (automated.purpose, automated.caps.per_lead_day) = (Upsell, 3);
    assert_eq!(deferred(&automated).1, Code::AccountDailyCap);

    // a purchase date on a rule with no exemption (Florida) changes nothing
    let fl = rule("FL");
    let florida = GateRequest {
        state_rule: Some(&fl),
        ..fourth(months_ago(1))
    };
    assert_eq!(deferred(&florida).1, Code::StateCap);
}

#[test]
fn virginia_ends_at_nine_pm_with_no_cap() {
    let (va, z) = (rule("VA"), [New_York]);
    let many = [9, 10, 11, 12, 13].map(|h| sent(at(New_York, 6, 10, h, 0), Manual));
    let r = req(at(New_York, 6, 10, 20, 59), &z, Some(&va), &many);
    assert_eq!(decide(&r), Decision::Allow, "20:59, after five texts today");
    let (until, code, _) = deferred(&req(at(New_York, 6, 10, 21, 0), &z, Some(&va), &[]));
    assert_eq!((until, code), (at(New_York, 6, 11, 8, 0), Code::QuietHours));
    let sunday = req(at(New_York, 6, 14, 8, 0), &z, Some(&va), &[]);
    assert_eq!(decide(&sunday), Decision::Allow, "no Sunday rule in Virginia");
}

#[test]
fn an_opt_out_under_review_holds_automated_texts_but_not_people() {
    let z = [New_York];
    let mut r = req(at(New_York, 5, 5, 12, 0), &z, None, &[]);
    r.opt_out_in_review = true;
    for purpose in [Upsell, Survey, Followup] {
        r.purpose = purpose;
        assert_eq!(blocked(&r), Some(Code::OptOutReview), "{purpose}");
    }
    for purpose in [Reply, Manual, System] {
        r.purpose = purpose;
        assert_eq!(decide(&r), Decision::Allow, "{purpose}");
    }
    r.opt_out_in_review = false;
    r.purpose = Upsell;
    assert_eq!(decide(&r), Decision::Allow);
}

#[test]
fn opt_out_and_system() {
    let z = [New_York];
    let mut r = req(at(New_York, 5, 5, 12, 0), &z, None, &[]);
    r.opted_out = true;
    assert_eq!(blocked(&r), Some(Code::OptedOut));
    r.purpose = System;
    assert_eq!(blocked(&r), Some(Code::OptedOut), "a HELP answer is no confirmation");
    r.now = at(New_York, 5, 5, 3, 0);
    r.opt_out_confirmation = true;
    assert_eq!(decide(&r), Decision::Allow, "confirmation at 03:00");
    let (fl, many) = (rule("FL"), [sent(at(New_York, 5, 5, 22, 0), Upsell); 5]);
    let mut r = req(at(New_York, 5, 5, 23, 0), &z, Some(&fl), &many);
    (r.purpose, r.caps.per_lead_day) = (System, 0);
    assert_eq!(decide(&r), Decision::Allow, "System at 23:00, over every cap");
}

#[test]
fn account_caps_and_purpose_separation() {
    let z = [Chicago];
    let one = [sent(at(Chicago, 5, 5, 9, 0), Followup)];
    let mut r = req(at(Chicago, 5, 5, 12, 0), &z, None, &one);
    r.caps.per_lead_day = 1;
    let (until, code, _) = deferred(&r);
    assert_eq!((until, code), (at(Chicago, 5, 6, 8, 0), Code::AccountDailyCap));
    r.purpose = Manual;
    assert_eq!(decide(&r), Decision::Allow, "Manual is exempt from account caps");
    r.now = at(Chicago, 5, 5, 22, 0);
    assert_eq!(deferred(&r).1, Code::QuietHours, "but not from quiet hours");
    (r.now, r.purpose, r.caps.per_lead_day) = (at(Chicago, 5, 5, 12, 0), Upsell, 0);
    assert_eq!(blocked(&r), Some(Code::AccountDailyCap));

    let week = [(4, 29), (5, 2), (5, 4)].map(|(mo, d)| sent(at(Chicago, mo, d, 10, 0), Upsell));
    let mut r = req(at(Chicago, 5, 5, 12, 0), &z, None, &week);
    r.caps.per_lead_week = 3;
    let (until, code, _) = deferred(&r);
    assert_eq!((until, code), (at(Chicago, 5, 6, 10, 0), Code::AccountWeeklyCap));

    let upsell = [sent(at(Chicago, 5, 5, 10, 0), Upsell)];
    let mut r = req(at(Chicago, 5, 5, 12, 0), &z, None, &upsell);
    r.purpose = Survey;
    let (until, code, reason) = deferred(&r);
    assert_eq!((until, code), (at(Chicago, 5, 6, 8, 0), Code::PurposeSeparation));
    assert!(reason.contains("survey") && reason.contains("upsell"), "{reason}");
    r.purpose = Followup;
    assert_eq!(decide(&r), Decision::Allow);
}

#[test]
fn uncertain_zone_needs_every_zone_open() {
    let (until, code, _) = deferred(&req(at(Chicago, 5, 5, 8, 30), &[Chicago, Denver], None, &[]));
    assert_eq!((until, code), (at(Chicago, 5, 5, 9, 0), Code::QuietHours));
    let no_zone = req(at(Chicago, 5, 5, 12, 0), &[], None, &[]);
    assert_eq!(blocked(&no_zone), Some(Code::QuietHours));
}

fn moment_2026() -> impl Strategy<Value = i64> {
    let (y, mar8, nov1, day) = (1_767_225_600i64, 1_772_928_000i64, 1_793_491_200i64, 86_400); // UTC midnights
    let near = |t: i64| t - 2 * day..t + 3 * day;
    prop_oneof![y..y + 365 * day, near(mar8), near(nov1)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]
    #[test]
    fn gate_invariants(
        zi in (0..6usize, proptest::option::of(0..6usize)),
        si in proptest::option::of(0..STATES.len()),
        now in moment_2026(),
        prior in proptest::collection::vec((prop_oneof![1..24 * 60i64, 1..8 * 24 * 60i64], 0..6usize), 0..12),
        purpose in 0..5usize,
        caps in (1..4u32, 2..12u32),
        flags in (proptest::bool::weighted(0.1), proptest::bool::weighted(0.1)),
        // minutes before `now`, up to 30 months; negative: a purchase dated (wrongly) up to 3 days after it
        bought_minutes_ago in proptest::option::of(prop_oneof![-3 * 24 * 60..0i64, 0..30 * 31 * 24 * 60i64]),
    ) {
        let mut zones = vec![ZONES[zi.0]];
        zones.extend(zi.1.map(|i| ZONES[i]).filter(|z| *z != zones[0]));
        let rule = si.map(|i| rule(STATES[i]));
        let now = DateTime::from_timestamp(now, 0).unwrap();
        let prior: Vec<_> = prior.iter().map(|&(m, p)| sent(now - Duration::minutes(m), PURPOSES[p])).collect();
        let mut r = req(now, &zones, rule.as_ref(), &prior);
        r.purpose = PURPOSES[purpose];
        r.caps = AccountCaps { per_lead_day: caps.0, per_lead_week: caps.1 };
        (r.opted_out, r.opt_out_confirmation) = flags;
        r.last_purchase = bought_minutes_ago.map(|m| now - Duration::minutes(m));
        let d = decide(&r);
        if r.opted_out && !r.opt_out_confirmation {
            prop_assert_eq!(blocked(&r), Some(Code::OptedOut));
            return Ok(());
        }
        match d {
            Decision::Allow => prop_assert!(within_hours(now, &zones, rule.as_ref())),
            Decision::Defer { until, .. } => {
                prop_assert!(until > now && until.second() == 0);
                prop_assert!(within_hours(until, &zones, rule.as_ref()));
                prop_assert_eq!(decide(&GateRequest { now: until, ..r.clone() }), Decision::Allow);
                let before = until - Duration::minutes(1); // the earliest: a minute sooner is not allowed
                if before >= now {
                    prop_assert_ne!(decide(&GateRequest { now: before, ..r.clone() }), Decision::Allow);
                }
            }
            Decision::Block { code, reason } => prop_assert!(false, "unexpected block {:?}: {}", code, reason),
        }
    }
}
