//! Table tests of the timeframe reader.

use super::*;

#[test]
fn the_start_of_next_year_is_early_next_year() {
    let at: DateTime<Utc> = "2026-11-28T18:00:00Z".parse().unwrap();
    let tz: Tz = "America/New_York".parse().unwrap();
    for text in ["at the beginning of next year", "early next year", "start of next year"] {
        let read = read_timeframe(text, at, tz).map(|p| p.value);
        assert_eq!(read, Some(Timeframe::Within3Months), "{text}");
    }
}

#[test]
fn shorthand_ranges_to_another_unit_and_the_first_of_the_year() {
    let tz: Tz = "America/New_York".parse().unwrap();
    let march: DateTime<Utc> = "2026-03-10T15:00:00Z".parse().unwrap();
    let november: DateTime<Utc> = "2026-11-20T15:00:00Z".parse().unwrap();
    for (text, at, want) in [
        ("b4 summer", march, Timeframe::Within3Months),
        ("6 months to a year", march, Timeframe::In6To12Months),
        ("en seis meses o un año", march, Timeframe::In6To12Months),
        ("3 months to 1 year", march, Timeframe::In6To12Months),
        ("first of the year", november, Timeframe::Within3Months),
        ("start of the year", november, Timeframe::Within3Months),
        ("back to school time", march, Timeframe::In3To6Months),
        ("back to school", november, Timeframe::In6To12Months),
        ("Q2", november, Timeframe::In3To6Months),
        ("q4", march, Timeframe::In6To12Months),
        ("a long ways off, 3+ yrs", march, Timeframe::After12Months),
        ("summer of 2027", march, Timeframe::After12Months),
        ("summer 2026", march, Timeframe::In3To6Months),
    ] {
        assert_eq!(read_timeframe(text, at, tz).map(|p| p.value), Some(want), "{text}");
    }
}

/// Each reply read at its moment in Chicago: the bucket, or none.
fn table(cases: &[(&str, &str, Option<Timeframe>)]) {
    let tz: Tz = "America/Chicago".parse().unwrap();
    for (at, text, want) in cases {
        let at: DateTime<Utc> = at.parse().unwrap();
        assert_eq!(read_timeframe(text, at, tz).map(|p| p.value), *want, "{text} at {at}");
    }
}

#[test]
fn two_durations_offered_as_alternatives_are_a_range() {
    use Timeframe::*;
    let march = "2026-03-10T15:00:00Z";
    table(&[
        (march, "maybe 6 months maybe a year", Some(In6To12Months)),
        (march, "not sure, maybe 6 months maybe a year", Some(In6To12Months)),
        (march, "3 months, maybe 6", Some(In3To6Months)),
        (march, "6 months or possibly a year", Some(In6To12Months)),
        (march, "a year, perhaps two", Some(After12Months)),
        (march, "2 months maybe 4 months", Some(Within3Months)),
    ]);
}

#[test]
fn farm_seasons_are_stretches_of_the_calendar() {
    use Timeframe::*;
    let (march, september) = ("2026-03-18T16:30:00Z", "2026-09-20T13:00:00Z");
    table(&[
        (march, "after harvest", Some(In6To12Months)),
        (march, "after planting", Some(Within3Months)),
        (march, "once harvest is done", Some(In6To12Months)),
        (september, "after harvest", Some(Within3Months)),
        (september, "after harvest next year", Some(After12Months)),
        (september, "planting season", Some(In6To12Months)),
        (september, "before planting next year", Some(In3To6Months)),
        (september, "spring next year", Some(In6To12Months)),
    ]);
}

#[test]
fn model_years_arrive_the_fall_before() {
    use Timeframe::*;
    let november = "2026-11-05T18:00:00Z";
    table(&[
        (november, "waiting for when the 2028s come out", Some(In6To12Months)),
        (november, "when the 2028 models hit the lot", Some(In6To12Months)),
        (november, "once the '28s are out", Some(In6To12Months)),
        (november, "the 2029 models", Some(After12Months)),
        (november, "in 2028", Some(After12Months)),
    ]);
}

#[test]
fn weekdays_are_days_away() {
    use Timeframe::*;
    let (july, december) = ("2026-07-15T18:30:00Z", "2026-12-28T16:00:00Z");
    table(&[
        (july, "Next Friday probably", Some(Within3Months)),
        (december, "I'm thinking Tuesday", Some(Within3Months)),
        (december, "coming in saturday", Some(Within3Months)),
        (july, "el viernes", Some(Within3Months)),
        (july, "I only drive it on sundays", None),
    ]);
}

#[test]
fn a_year_in_two_digits_is_this_century() {
    use Timeframe::*;
    let november = "2026-11-30T19:00:00Z";
    table(&[
        (november, "sometime in '27", Some(In6To12Months)),
        (november, "summer of \u{2019}27", Some(In6To12Months)),
        (november, "not till '28", Some(After12Months)),
        (november, "I'd like 27 more days", Some(Within3Months)),
    ]);
}

#[test]
fn times_said_in_the_past_are_not_the_window() {
    use Timeframe::*;
    let (august, october) = ("2026-08-21T15:00:00Z", "2026-10-05T15:30:00Z");
    table(&[
        (august, "I just bought one from you guys in July!", Some(NoPlans)),
        (august, "already bought one in June", Some(NoPlans)),
        (august, "just got a new one", Some(NoPlans)),
        (october, "we had a rough year, maybe next spring", Some(In6To12Months)),
        (
            october,
            "my wife passed in the spring. maybe a year or two",
            Some(After12Months),
        ),
        (
            october,
            "traded my old one in march, so not for a good while",
            Some(After12Months),
        ),
        (
            october,
            "bought it 3 years ago, probably this winter",
            Some(In3To6Months),
        ),
    ]);
}

#[test]
fn unsure_between_two_windows_is_no_answer() {
    use Timeframe::*;
    let june = "2026-06-24T17:00:00Z";
    table(&[
        (june, "Honestly not sure, could be this year could be next", None),
        (june, "not sure, this fall or next spring", None),
        (june, "idk, maybe this year maybe next", None),
        (june, "not sure, probably next year", Some(After12Months)),
        (june, "this year or next", Some(In3To6Months)),
        (june, "not sure, maybe this fall or this winter", None),
        (june, "not sure, maybe october or november", Some(In3To6Months)),
    ]);
}

#[test]
fn cars_kept_till_they_die_or_not_bought_at_all_are_no_plans() {
    use Timeframe::*;
    let june = "2026-06-02T18:00:00Z";
    table(&[
        (june, "when it dies I guess", Some(NoPlans)),
        (june, "I'll run it till the wheels come off", Some(NoPlans)),
        (june, "hasta que se muera", Some(NoPlans)),
        (june, "we don't buy new cars, we buy used", Some(NoPlans)),
        (june, "not buying anything", Some(NoPlans)),
        (june, "no time soon, just bought it", Some(NoPlans)),
        (june, "not anytime soon, just got a new truck", Some(NoPlans)),
        (june, "not anytime soon", Some(After12Months)),
        (june, "no time soon", Some(After12Months)),
    ]);
}

#[test]
fn days_written_month_slash_day_are_the_coming_one() {
    use Timeframe::*;
    let april = "2026-04-10T17:00:00Z";
    table(&[
        (april, "6/15", Some(Within3Months)),
        (april, "around 9/1", Some(In3To6Months)),
        (april, "by 12/31", Some(In3To6Months)),
        (april, "3/1", Some(In6To12Months)),
        (april, "4/10", Some(Within3Months)),
        (april, "6/15/2027", Some(After12Months)),
        (april, "2/30", None),
    ]);
}

#[test]
fn the_school_year_and_easter() {
    use Timeframe::*;
    let (january, february, april) = ("2026-01-20T18:00:00Z", "2026-02-20T19:00:00Z", "2026-04-01T16:00:00Z");
    let (july, november) = ("2026-07-10T21:00:00Z", "2026-11-01T17:00:00Z");
    table(&[
        (february, "after school lets out", Some(In3To6Months)),
        (february, "when school gets out", Some(In3To6Months)),
        (july, "once the kids are back in school", Some(Within3Months)),
        (january, "spring break", Some(Within3Months)),
        (january, "right after spring break", Some(Within3Months)),
        (april, "spring break", Some(In6To12Months)),
        (february, "After Easter", Some(Within3Months)),
        (january, "semana santa", Some(Within3Months)),
        (april, "easter", Some(Within3Months)),
        (november, "after easter", Some(In3To6Months)),
    ]);
}

#[test]
fn after_an_event_in_a_window_is_the_window() {
    use Timeframe::*;
    let (january, april, november) = ("2026-01-08T19:00:00Z", "2026-04-20T17:00:00Z", "2026-11-06T18:00:00Z");
    table(&[
        (january, "after I get my bonus in March", Some(Within3Months)),
        (january, "after my bonus in March", Some(Within3Months)),
        (january, "right after march", Some(In3To6Months)),
        (january, "after I file taxes", Some(Within3Months)),
        (january, "after tax season", Some(In3To6Months)),
        (
            november,
            "she says after her mom moves in w us in like april so i guess then",
            Some(In3To6Months),
        ),
        (april, "after I pay off my cards, maybe fall", Some(In6To12Months)),
        (april, "probably fall", Some(In6To12Months)),
        (april, "hope it doesn't fall apart", None),
    ]);
}

#[test]
fn payments_left_are_months() {
    use Timeframe::*;
    let october = "2026-10-09T21:00:00Z";
    table(&[
        (
            october,
            "Not until I finish paying it off, 14 payments left",
            Some(After12Months),
        ),
        (october, "3 more payments", Some(Within3Months)),
        (october, "like 8 payments to go", Some(In6To12Months)),
        (october, "I have 2 payments on it", None),
    ]);
}

#[test]
fn buckets_include_their_upper_bound() {
    assert_eq!(Timeframe::for_months(3.0), Timeframe::Within3Months);
    assert_eq!(Timeframe::for_months(3.1), Timeframe::In3To6Months);
    assert_eq!(Timeframe::for_months(12.0), Timeframe::In6To12Months);
    assert_eq!(Timeframe::for_months(12.5), Timeframe::After12Months);
    assert_eq!(Timeframe::parse("12m+"), Some(Timeframe::After12Months));
}

#[test]
fn a_lease_cap_is_the_months_until_it_is_reached() {
    use Timeframe::*;
    let march = "2026-03-03T15:30:00Z";
    table(&[
        (
            march,
            "Lease caps at 30k and I'm at 26k, I drive about a thousand a month",
            Some(In3To6Months),
        ),
        (
            march,
            "my lease is 36k, im at 33k and drive 12k a year",
            Some(Within3Months),
        ),
        (
            march,
            "allowance is 45,000 and I'm at 30,000, about 1k/mo",
            Some(After12Months),
        ),
        (
            march,
            "lease caps at 30k, at 22k now, 1,000 miles monthly",
            Some(In6To12Months),
        ),
        (
            march,
            "el lease es de 36 mil, tengo 30 mil, manejo mil al mes",
            Some(In3To6Months),
        ),
        (march, "lease caps at 30k and I'm at 26k", None),
    ]);
}

#[test]
fn a_time_the_answer_depends_on_is_no_answer() {
    use Timeframe::*;
    let august = "2026-08-14T21:15:00Z";
    table(&[
        (august, "Depends what the mechanic says next week", None),
        (august, "depends on my bonus in march", None),
        (august, "depende de lo que diga el mecanico la semana que viene", None),
        (august, "depends, probably next spring", Some(In6To12Months)),
        (
            august,
            "depends on the price but probably in march",
            Some(In6To12Months),
        ),
    ]);
}

#[test]
fn unsure_between_a_window_and_later_is_no_answer() {
    use Timeframe::*;
    let february = "2026-02-11T22:00:00Z";
    table(&[
        (february, "Not sure yet, maybe summer maybe later", None),
        (february, "not sure, spring or later", None),
        (february, "idk, maybe fall or after", None),
        (february, "no se, tal vez en verano o despues", None),
        (february, "not sure, maybe fall", Some(In6To12Months)),
        (february, "maybe summer maybe later", Some(In3To6Months)),
    ]);
}

#[test]
fn before_the_snow_is_before_winter() {
    use Timeframe::*;
    let (april, august) = ("2026-04-15T15:00:00Z", "2026-08-25T15:10:00Z");
    table(&[
        (
            august,
            "before the snow for sure, not doing another winter on these tires",
            Some(Within3Months),
        ),
        (august, "before the first snow", Some(Within3Months)),
        (august, "gotta be before the snow flies", Some(Within3Months)),
        (august, "antes de la nieve", Some(Within3Months)),
        (august, "before winter hits", Some(Within3Months)),
        (april, "before the snow", Some(In3To6Months)),
    ]);
}

#[test]
fn a_tax_refund_arrives_in_tax_season() {
    use Timeframe::*;
    let (january, may, october) = ("2026-01-29T16:20:00Z", "2026-05-20T16:00:00Z", "2026-10-05T17:00:00Z");
    table(&[
        (january, "when my refund hits", Some(Within3Months)),
        (january, "once I get my refund", Some(Within3Months)),
        (january, "cuando me llegue el reembolso", Some(Within3Months)),
        (october, "when my refund comes", Some(In3To6Months)),
        (may, "after my refund lands next year", Some(In6To12Months)),
    ]);
}

#[test]
fn the_early_part_of_a_year_already_past_is_next_years() {
    use Timeframe::*;
    let (february, october) = ("2026-02-10T17:00:00Z", "2026-10-05T17:00:00Z");
    table(&[
        (october, "a principios del año", Some(In3To6Months)),
        (october, "principios de año", Some(In3To6Months)),
        (october, "early in the year", Some(In3To6Months)),
        (october, "at the beginning of the year", Some(In3To6Months)),
        (october, "mid year", Some(In6To12Months)),
        (october, "early this year", None),
        (february, "early in the year", Some(Within3Months)),
    ]);
}

#[test]
fn restatements_leaving_ages_and_ranges_between() {
    use Timeframe::*;
    let (january, april, september, october) = (
        "2026-01-12T16:05:00Z",
        "2026-04-08T20:27:00Z",
        "2026-09-02T21:05:00Z",
        "2026-10-19T20:08:00Z",
    );
    table(&[
        (
            january,
            "Probably after the tax refund comes, so March-ish",
            Some(Within3Months),
        ),
        (january, "after my refund, like around march", Some(Within3Months)),
        (october, "after the holidays, so around june", Some(In6To12Months)),
        (
            september,
            "We head to Yuma for the winter in November and want to trade before we go",
            Some(Within3Months),
        ),
        (
            january,
            "we move to Texas in June, want a truck before we leave",
            Some(Within3Months),
        ),
        (
            january,
            "nos mudamos en junio, lo quiero antes de que nos vayamos",
            Some(Within3Months),
        ),
        (january, "in June, before I go back to work", Some(In3To6Months)),
        (january, "this is my last payment, in june", Some(In3To6Months)),
        (
            september,
            "Depends on what my truck does. Could be tomorrow could be 5 years",
            None,
        ),
        (september, "depends, could be next month could be next year", None),
        (
            september,
            "not sure, maybe tomorrow maybe next week",
            Some(Within3Months),
        ),
        (september, "idk, could be 2 weeks could be 2 years", None),
        (
            september,
            "my car is 3 years old, want to replace in 6 months",
            Some(In3To6Months),
        ),
        (
            september,
            "I'm 84 years old, this is probably my last car",
            Some(NoPlans),
        ),
        (september, "im too old to buy again", Some(NoPlans)),
        (
            september,
            "my truck is 10 years old, maybe next summer",
            Some(In6To12Months),
        ),
        (october, "Between 6 months and a year", Some(In6To12Months)),
        (october, "between 1 and 2 years", Some(After12Months)),
        (october, "entre 3 meses y un año", Some(In6To12Months)),
        (april, "Next year around this time", Some(In6To12Months)),
        (april, "this time next year", Some(In6To12Months)),
        (april, "next year", Some(After12Months)),
    ]);
}

#[test]
fn spanish_holidays_seasons_in_time_and_creole_months() {
    use Timeframe::*;
    let (november, december, january, july) = (
        "2026-11-20T22:30:00Z",
        "2026-12-02T15:00:00Z",
        "2026-01-07T17:15:00Z",
        "2026-07-29T18:10:00Z",
    );
    table(&[
        (november, "después de las navidades", Some(Within3Months)),
        (november, "despues de navidad", Some(Within3Months)),
        (december, "despues de los reyes", Some(Within3Months)),
        (december, "después del día de reyes", Some(Within3Months)),
        (november, "después de año nuevo", Some(Within3Months)),
        (january, "Probably in the springtime", Some(In3To6Months)),
        (january, "in the summertime", Some(In6To12Months)),
        (july, "wintertime", Some(In6To12Months)),
        (july, "Maybe in one year and half", Some(After12Months)),
        (july, "a year and a half", Some(After12Months)),
        (july, "un año y medio", Some(After12Months)),
        (january, "Petèt nan mwa me", Some(In3To6Months)),
        (january, "nan mwa jen", Some(In3To6Months)),
        (january, "nan mwa oktob", Some(In6To12Months)),
        (january, "ane pwochen", Some(After12Months)),
        (january, "send me more info", None),
    ]);
}
