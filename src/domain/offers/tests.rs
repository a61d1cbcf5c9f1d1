use super::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
}

fn facts(phase: Phase) -> VisitFacts {
    VisitFacts {
        phase,
        now: now(),
        local_month: 11,
        local_year: 2026,
        vehicle: Some(VehicleFacts {
            make: Some("HONDA".into()),
            model: Some("Accord".into()),
            year: Some(2019),
            mileage: Some(48_000),
        }),
        lines: Vec::new(),
        last_ro: None,
        declines: Vec::new(),
        already_offered: Vec::new(),
        visit_op_codes: Vec::new(),
    }
}

fn candidate(id: i64, rule: serde_json::Value) -> Candidate {
    Candidate {
        id,
        rule: parse_rule(&rule).expect("valid rule"),
        op_codes: vec!["ROT".into()],
        value_cents: 1000,
        priority: 1,
        starts_at: None,
        ends_at: None,
    }
}

fn line(event: i64, code: &str, status: LineStatus, days_ago: i64) -> PastLine {
    PastLine {
        service_event_id: event,
        op_code: code.into(),
        status,
        at: now() - Duration::days(days_ago),
    }
}

/// Every rule kind: one row per (rule, change to the facts, expected outcome).
#[test]
fn every_rule_kind_decides_as_written() {
    type Tweak = fn(&mut VisitFacts);
    let none: Tweak = |_| {};
    let cases: Vec<(&str, serde_json::Value, Tweak, Result<(), Skip>)> = vec![
        ("empty rule matches", json!({}), none, Ok(())),
        (
            "make matches any case",
            json!({"vehicle": {"makes": ["Honda", "Acura"]}}),
            none,
            Ok(()),
        ),
        (
            "make differs",
            json!({"vehicle": {"makes": ["Ford"]}}),
            none,
            Err(Skip::Make),
        ),
        (
            "model matches",
            json!({"vehicle": {"models": ["ACCORD"]}}),
            none,
            Ok(()),
        ),
        (
            "model differs",
            json!({"vehicle": {"models": ["Civic"]}}),
            none,
            Err(Skip::Model),
        ),
        (
            "year in range",
            json!({"vehicle": {"year_min": 2015, "year_max": 2020}}),
            none,
            Ok(()),
        ),
        (
            "year too old",
            json!({"vehicle": {"year_min": 2020}}),
            none,
            Err(Skip::Year),
        ),
        (
            "year too new",
            json!({"vehicle": {"year_max": 2018}}),
            none,
            Err(Skip::Year),
        ),
        (
            "mileage band",
            json!({"vehicle": {"mileage_min": 30000, "mileage_max": 60000}}),
            none,
            Ok(()),
        ),
        (
            "mileage under band",
            json!({"vehicle": {"mileage_min": 50000}}),
            none,
            Err(Skip::Mileage),
        ),
        (
            "mileage over band",
            json!({"vehicle": {"mileage_max": 40000}}),
            none,
            Err(Skip::Mileage),
        ),
        (
            "mileage unknown",
            json!({"vehicle": {"mileage_min": 1}}),
            |f| f.vehicle.as_mut().unwrap().mileage = None,
            Err(Skip::MileageUnknown),
        ),
        (
            "age 7 within 3..10",
            json!({"vehicle": {"age_years_min": 3, "age_years_max": 10}}),
            none,
            Ok(()),
        ),
        (
            "age 7 under min 8",
            json!({"vehicle": {"age_years_min": 8}}),
            none,
            Err(Skip::Age),
        ),
        (
            "age 7 over max 5",
            json!({"vehicle": {"age_years_max": 5}}),
            none,
            Err(Skip::Age),
        ),
        (
            "next year's model is age 0",
            json!({"vehicle": {"age_years_max": 0}}),
            |f| f.vehicle.as_mut().unwrap().year = Some(2027),
            Ok(()),
        ),
        (
            "vehicle rule without a vehicle",
            json!({"vehicle": {"year_min": 2000}}),
            |f| f.vehicle = None,
            Err(Skip::NoVehicle),
        ),
        ("in season", json!({"months": [11, 12, 1, 2]}), none, Ok(())),
        ("out of season", json!({"months": [5, 6, 7, 8]}), none, Err(Skip::Month)),
        (
            "phase allowed",
            json!({"phases": ["t_minus_48h", "ro_open"]}),
            none,
            Ok(()),
        ),
        (
            "phase not allowed",
            json!({"phases": ["t_plus_24h"]}),
            none,
            Err(Skip::Phase),
        ),
        (
            "rotated a week ago",
            json!({"skip_if_done": {"op_codes": ["ROT"], "within_days": 150}}),
            |f| f.lines.push(line(1, "rot", LineStatus::Performed, 7)),
            Err(Skip::RecentlyDone),
        ),
        (
            "rotated long ago",
            json!({"skip_if_done": {"op_codes": ["ROT"], "within_days": 150}}),
            |f| f.lines.push(line(1, "ROT", LineStatus::Performed, 200)),
            Ok(()),
        ),
        (
            "declined rotation is not done",
            json!({"skip_if_done": {"op_codes": ["ROT"], "within_days": 150}}),
            |f| f.lines.push(line(1, "ROT", LineStatus::Declined, 7)),
            Ok(()),
        ),
        (
            "declined brakes on the last RO qualify",
            json!({"qualify_if_declined": {"op_codes": ["BRKPAD"], "within_days": 90}}),
            |f| {
                f.lines.push(line(7, "BRKPAD", LineStatus::Declined, 10));
                f.last_ro = Some((7, now() - Duration::days(10)));
            },
            Ok(()),
        ),
        (
            "recommended counts as declined",
            json!({"qualify_if_declined": {"op_codes": ["BRKPAD"], "within_days": 90}}),
            |f| {
                f.lines.push(line(7, "BRKPAD", LineStatus::Recommended, 10));
                f.last_ro = Some((7, now() - Duration::days(10)));
            },
            Ok(()),
        ),
        (
            "declined on an older RO, not the last",
            json!({"qualify_if_declined": {"op_codes": ["BRKPAD"], "within_days": 90}}),
            |f| {
                f.lines.push(line(6, "BRKPAD", LineStatus::Declined, 40));
                f.lines.push(line(7, "LOF", LineStatus::Performed, 10));
                f.last_ro = Some((7, now() - Duration::days(10)));
            },
            Err(Skip::NothingDeclined),
        ),
        (
            "last RO too long ago",
            json!({"qualify_if_declined": {"op_codes": ["BRKPAD"], "within_days": 30}}),
            |f| {
                f.lines.push(line(7, "BRKPAD", LineStatus::Declined, 45));
                f.last_ro = Some((7, now() - Duration::days(45)));
            },
            Err(Skip::NothingDeclined),
        ),
        (
            "no RO at all",
            json!({"qualify_if_declined": {"op_codes": ["BRKPAD"], "within_days": 30}}),
            none,
            Err(Skip::NothingDeclined),
        ),
        (
            "declined this offer last week",
            json!({"skip_if_declined_within_days": 30}),
            |f| f.declines.push((1, now() - Duration::days(7))),
            Err(Skip::RecentlyDeclined),
        ),
        (
            "declined this offer long ago",
            json!({"skip_if_declined_within_days": 30}),
            |f| f.declines.push((1, now() - Duration::days(31))),
            Ok(()),
        ),
        (
            "declined another offer",
            json!({"skip_if_declined_within_days": 30}),
            |f| f.declines.push((2, now() - Duration::days(1))),
            Ok(()),
        ),
        (
            "already texted this visit",
            json!({}),
            |f| f.already_offered.push(1),
            Err(Skip::AlreadyOffered),
        ),
    ];
    for (name, rule, tweak, expected) in cases {
        let mut f = facts(Phase::RoOpen);
        tweak(&mut f);
        assert_eq!(evaluate(&candidate(1, rule), &f), expected, "{name}");
    }
}

#[test]
fn active_dates_bound_an_offer() {
    let f = facts(Phase::RoOpen);
    let mut c = candidate(1, json!({}));
    c.starts_at = Some(now() + Duration::hours(1));
    assert_eq!(evaluate(&c, &f), Err(Skip::NotYetStarted));
    c.starts_at = Some(now() - Duration::days(1));
    c.ends_at = Some(now());
    assert_eq!(evaluate(&c, &f), Err(Skip::Ended));
    c.ends_at = Some(now() + Duration::seconds(1));
    assert_eq!(evaluate(&c, &f), Ok(()));
}

#[test]
fn selection_takes_the_highest_expected_value_with_a_stable_tie_break() {
    let f = facts(Phase::RoOpen);
    let mut a = candidate(10, json!({}));
    a.value_cents = 5000;
    a.priority = 2; // 10,000
    let mut b = candidate(11, json!({}));
    b.value_cents = 2000;
    b.priority = 4; // 8,000
    let mut c = candidate(12, json!({"phases": ["t_plus_24h"]}));
    c.value_cents = 100_000;
    c.priority = 9; // biggest, but not for this phase
    let all = vec![b.clone(), c.clone(), a.clone()];
    assert_eq!(select(&all, &f).map(|c| c.id), Some(10));

    // equal scores: higher priority wins, then the lower id, whatever the order given
    let mut d = candidate(13, json!({}));
    d.value_cents = 2500;
    d.priority = 4; // 10,000 like a, higher priority
    assert_eq!(select(&[a.clone(), d.clone()], &f).map(|c| c.id), Some(13));
    assert_eq!(select(&[d.clone(), a.clone()], &f).map(|c| c.id), Some(13));
    let mut e = candidate(9, json!({}));
    e.value_cents = 5000;
    e.priority = 2; // same as a, older
    assert_eq!(select(&[a.clone(), e.clone()], &f).map(|c| c.id), Some(9));
    assert_eq!(select(&[e, a], &f).map(|c| c.id), Some(9));

    assert!(select(&[c], &f).is_none(), "nothing fits: no offer");
}

#[test]
fn rules_are_checked_field_by_field() {
    let bad = json!({
        "vehicle": {"makes": "Honda", "year_min": 2020, "year_max": 2010, "colour": "red"},
        "months": [0, 13, 5],
        "skip_if_done": {"op_codes": [], "within_days": 0},
        "qualify_if_declined": {"op_codes": ["BRK"]},
        "phases": ["lunch"],
        "skip_if_declined_within_days": -1,
        "surprise": true
    });
    let errors = parse_rule(&bad).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for expected in [
        "rule.surprise",
        "rule.vehicle.colour",
        "rule.vehicle.makes",
        "rule.vehicle.year_min",
        "rule.months[0]",
        "rule.months[1]",
        "rule.skip_if_done.op_codes",
        "rule.skip_if_done.within_days",
        "rule.qualify_if_declined.within_days",
        "rule.phases[0]",
        "rule.skip_if_declined_within_days",
    ] {
        assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
    }
    assert!(describe(&errors).contains("rule.phases[0]: unknown phase \"lunch\""));
    assert_eq!(parse_rule(&json!("oil")).unwrap_err()[0].field, "rule");
    assert_eq!(parse_rule(&json!(null)).unwrap(), OfferRule::default());
}

#[test]
fn the_starter_catalog_is_valid_and_round_trips() {
    let catalog: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../../fixtures/offers.json")).unwrap();
    assert!(catalog.len() >= 12);
    for offer in &catalog {
        let rule = parse_rule(&offer["rule"]).unwrap_or_else(|e| panic!("{}: {}", offer["name"], describe(&e)));
        assert_eq!(parse_rule(&rule_to_json(&rule)).unwrap(), rule, "{}", offer["name"]);
        let template = offer["body_template"].as_str().unwrap();
        assert!(check_template(template).is_empty(), "{}", offer["name"]);
    }
}

#[test]
fn templates_are_checked_and_filled() {
    assert!(check_template("Hi {first_name}, {link}").is_empty());
    assert_eq!(check_template("  ")[0].message, "must not be empty");
    assert!(check_template("Hi {name}")[0]
        .message
        .contains("unknown placeholder {name}"));
    assert!(check_template("Hi {first_name")[0]
        .message
        .contains("without a closing"));
    let body = render_body(
        "Hi {first_name}, {advisor} here about your {vehicle}: {price} {link}",
        &BodyValues {
            first_name: Some("MARIA".into()),
            vehicle: vehicle_label(Some(2019), Some("HONDA"), Some("CR-V")),
            advisor: Some("SMITH, JOHN".into()),
            price: Some("$29.95".into()),
            link: Some("https://x.test/o/abc".into()),
        },
    );
    assert_eq!(
        body,
        "Hi Maria, John here about your 2019 Honda CR-V: $29.95 https://x.test/o/abc"
    );
    let bare = render_body(
        "Hi {first_name}, {advisor} about your {vehicle}",
        &BodyValues::default(),
    );
    assert_eq!(bare, "Hi there, your service advisor about your vehicle");
    assert_eq!(
        vehicle_label(Some(2021), Some("FORD"), Some("F-150")).unwrap(),
        "2021 Ford F-150"
    );
    assert_eq!(vehicle_label(Some(2021), None, None), None);
    assert_eq!(title_case("o'brien-SMITH"), "O'brien-Smith");
}

#[test]
fn replies_are_read_narrowly() {
    use ReplyIntent::*;
    for (body, expected) in [
        ("YES", Some(Accept)),
        ("y", Some(Accept)),
        ("Yes please!", Some(Accept)),
        ("Book", Some(Accept)),
        ("book it", Some(Accept)),
        ("Sounds good 👍", Some(Accept)),
        ("sure.", Some(Accept)),
        ("OK", Some(Accept)),
        ("ok thanks", Some(Accept)),
        ("NO", Some(Decline)),
        ("Not now", Some(Decline)),
        ("no thanks", Some(Decline)),
        ("No thank you.", Some(Decline)),
        ("nope", Some(Decline)),
        ("yes but how much is it?", None),
        ("what time can you do it", None),
        ("STOP", None),
        ("", None),
        ("🙂", None),
        ("yesterday", None),
    ] {
        assert_eq!(classify_reply(body), expected, "{body:?}");
    }
}

#[test]
fn an_offer_is_checked_whole() {
    let tz: chrono_tz::Tz = "America/Chicago".parse().unwrap();
    let bad: OfferInput = serde_json::from_value(json!({
        "name": "  ",
        "body_template": "Hi {nickname}",
        "rule": {"phases": ["later"]},
        "op_codes": ["ROT", "bad code!"],
        "price_cents": -5,
        "priority": 1000,
        "reply_window_hours": 0,
        "attribution_window_days": 900,
        "booking_url": "javascript:alert(1)",
        "starts_at": "2026-12-01",
        "ends_at": "yesterday"
    }))
    .unwrap();
    let errors = check_offer(&bad, tz).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "body_template",
            "rule.phases[0]",
            "op_codes[1]",
            "price_cents",
            "priority",
            "reply_window_hours",
            "attribution_window_days",
            "booking_url",
            "ends_at"
        ]
    );
    assert!(serde_json::from_value::<OfferInput>(json!({"name": "x", "colour": "red"})).is_err());

    let good: OfferInput = serde_json::from_value(json!({
        "name": " Tire Rotation ",
        "body_template": "Hi {first_name}: {link}",
        "rule": {"phases": ["ro_open"]},
        "op_codes": ["rot", "ROT", "02ROT"],
        "price_cents": 2995,
        "value_cents": 2100,
        "priority": 3,
        "starts_at": "2026-12-01",
        "ends_at": "2027-03-01T00:00:00Z"
    }))
    .unwrap();
    let v = check_offer(&good, tz).unwrap();
    assert_eq!(v.name, "Tire Rotation");
    assert_eq!(v.op_codes, ["ROT", "02ROT"]);
    assert_eq!(v.reply_window_hours, 72);
    assert_eq!(v.rule.phases, [Phase::RoOpen]);
    // a date is midnight where the store is; an end date runs through that day
    assert_eq!(v.starts_at.unwrap().to_rfc3339(), "2026-12-01T06:00:00+00:00");
    assert_eq!(v.ends_at.unwrap().to_rfc3339(), "2027-03-01T00:00:00+00:00");
    let through: OfferInput =
        serde_json::from_value(json!({"name": "x", "body_template": "x", "ends_at": "2026-12-31",
        "booking_url": "https://x.test/a\u{1}b"}))
        .unwrap();
    let errors = check_offer(&through, tz).unwrap_err();
    assert_eq!(errors[0].field, "booking_url", "a control character is refused");
    let through: OfferInput =
        serde_json::from_value(json!({"name": "x", "body_template": "x", "ends_at": "2026-12-31"})).unwrap();
    assert_eq!(
        check_offer(&through, tz).unwrap().ends_at.unwrap().to_rfc3339(),
        "2027-01-01T06:00:00+00:00"
    );
}
