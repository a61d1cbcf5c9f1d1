//! The choice reader, on the constructions it is built for.

use super::*;

#[test]
fn kinds_and_words() {
    let vehicles = ["Truck", "SUV", "Sedan"];
    let read = |t: &str| read_choice(t, &vehicles).map(|p| p.value);
    assert_eq!(read("another f-150").as_deref(), Some("Truck"));
    assert_eq!(read("crv").as_deref(), Some("SUV"));
    assert_eq!(read("camry").as_deref(), Some("Sedan"));
    assert_eq!(read("truck or suv"), None);
    assert_eq!(read("no truck, an suv").as_deref(), Some("SUV"));
    assert_eq!(read("3").as_deref(), Some("Sedan"));
    let times = ["Morning", "Afternoon", "Evening"];
    let time = |t: &str| read_choice(t, &times).map(|p| p.value);
    assert_eq!(time("after work").as_deref(), Some("Evening"));
    assert_eq!(time("3ish").as_deref(), Some("Afternoon"));
    assert_eq!(time("around 10").as_deref(), Some("Morning"));
    assert_eq!(time("after 6").as_deref(), Some("Evening"));
    assert_eq!(time("early, like 7:30 am").as_deref(), Some("Morning"));
    assert_eq!(time("6:45pm").as_deref(), Some("Evening"));
    assert_eq!(time("any time before noon").as_deref(), Some("Morning"));
    let kinds = ["New", "Used"];
    let kind = |t: &str| read_choice(t, &kinds).map(|p| p.value);
    assert_eq!(kind("pre-owned, nothing brand new").as_deref(), Some("Used"));
    assert_eq!(kind("a certified one").as_deref(), Some("Used"));
    assert_eq!(kind("a 2026 off the lot").as_deref(), Some("New"));
    assert_eq!(kind("pre-owned, not paying new prices").as_deref(), Some("Used"));
    let ways = ["Call", "Text", "Email"];
    assert_eq!(
        read_choice("ring my cell, i dont read texts much", &ways)
            .map(|p| p.value)
            .as_deref(),
        Some("Call")
    );
    let bodies = ["Truck", "SUV", "Sedan", "Minivan"];
    let body = |t: &str| read_choice(t, &bodies).map(|p| p.value);
    assert_eq!(
        body("something w a sliding door for the twins").as_deref(),
        Some("Minivan")
    );
    assert_eq!(body("a little 4 door car").as_deref(), Some("Sedan"));
    let fuels = ["Gas", "Hybrid", "Electric"];
    assert_eq!(
        read_choice("one of those that's half and half", &fuels)
            .map(|p| p.value)
            .as_deref(),
        Some("Hybrid")
    );
    let ways_to_pay = ["Buy", "Lease"];
    let pay = |t: &str| read_choice(t, &ways_to_pay).map(|p| p.value);
    assert_eq!(pay("gonna finance it").as_deref(), Some("Buy"));
    assert_eq!(pay("paying cash").as_deref(), Some("Buy"));
    assert_eq!(pay("leasing again").as_deref(), Some("Lease"));
    assert_eq!(
        time("3").as_deref(),
        Some("Evening"),
        "a bare number is the third choice"
    );
    let ways = ["Call", "Text", "Email"];
    assert_eq!(
        read_choice("don't call, text", &ways).map(|p| p.value).as_deref(),
        Some("Text")
    );
    assert_eq!(read_choice("don't call", &ways).map(|p| p.value), None);
    let purposes = ["Commute", "Work", "Family", "Fun"];
    let purpose = |t: &str| read_choice(t, &purposes).map(|p| p.value);
    assert_eq!(purpose("weekend toy").as_deref(), Some("Fun"));
    assert_eq!(purpose("job sites, hauling tools").as_deref(), Some("Work"));
    assert_eq!(purpose("back and forth to the office").as_deref(), Some("Commute"));
    assert_eq!(purpose("drive to work").as_deref(), Some("Commute"), "not also Work");
    assert_eq!(purpose("for work").as_deref(), Some("Work"));
    // a synonym for a choice the question did not offer picks nothing
    assert_eq!(read_choice("after work", &ways).map(|p| p.value), None);
    let uses = ["Commute", "Family", "Work", "Weekend fun"];
    assert_eq!(
        read_choice("mostly commuting", &uses).map(|p| p.value).as_deref(),
        Some("Commute")
    );
}

#[test]
fn the_main_one_of_two() {
    let uses = ["commuting", "family", "work", "weekends"];
    let read = |t: &str| read_choice(t, &uses).map(|p| p.value);
    assert_eq!(
        read("mostly commuting, some weekend trips").as_deref(),
        Some("commuting")
    );
    assert_eq!(read("work mainly but the kids sometimes").as_deref(), Some("work"));
    assert_eq!(read("work and weekends mostly"), None, "said alike, no main one");
    let ways = ["Call", "Text", "Email"];
    let way = |t: &str| read_choice(t, &ways).map(|p| p.value);
    assert_eq!(way("text is best, call if urgent").as_deref(), Some("Text"));
    assert_eq!(way("id rather text than call").as_deref(), Some("Text"));
    let slots = ["Weekday morning", "Weekday evening", "Saturday"];
    let slot = |t: &str| read_choice(t, &slots).map(|p| p.value);
    assert_eq!(slot("weekday evening").as_deref(), Some("Weekday evening"));
    assert_eq!(slot("sat").as_deref(), Some("Saturday"));
    let halves = ["Weekday", "Weekend"];
    assert_eq!(
        read_choice("sat am", &halves).map(|p| p.value).as_deref(),
        Some("Weekend")
    );
    assert_eq!(
        read_choice("i work weekends so during the week", &halves)
            .map(|p| p.value)
            .as_deref(),
        Some("Weekday")
    );
}

#[test]
fn refusals_others_and_places() {
    let reminders = ["Text", "Email", "No reminders"];
    let remind = |t: &str| read_choice(t, &reminders).map(|p| p.value);
    assert_eq!(remind("dont send me reminders").as_deref(), Some("No reminders"));
    assert_eq!(remind("nah im good").as_deref(), Some("No reminders"));
    assert_eq!(remind("STOP").as_deref(), Some("No reminders"));
    assert_eq!(remind("reminders by text please").as_deref(), Some("Text"));
    let trade = ["Trading in", "Not trading in"];
    assert_eq!(
        read_choice("YES", &trade).map(|p| p.value).as_deref(),
        Some("Trading in")
    );
    assert_eq!(
        read_choice("not lease", &["buy", "lease"]).map(|p| p.value).as_deref(),
        Some("buy")
    );
    let rating = ["Great", "OK", "Poor"];
    assert_eq!(
        read_choice("not great not terrible", &rating)
            .map(|p| p.value)
            .as_deref(),
        Some("OK")
    );
    assert_eq!(
        read_choice("🔥🔥🔥", &rating).map(|p| p.value).as_deref(),
        Some("Great")
    );
    let work = ["Oil change", "Tires", "Brakes", "Other"];
    let job = |t: &str| read_choice(t, &work).map(|p| p.value);
    assert_eq!(job("squeaking when i stop").as_deref(), Some("Brakes"));
    assert_eq!(job("check engine light on").as_deref(), Some("Other"));
    assert_eq!(job("idk"), None);
    assert_eq!(job("what does other mean?"), None, "a question back");
    let times = ["Morning", "Afternoon", "Evening"];
    let time = |t: &str| read_choice(t, &times).map(|p| p.value);
    assert_eq!(time("evning").as_deref(), Some("Evening"), "one letter off");
    assert_eq!(time("b").as_deref(), Some("Afternoon"));
    assert_eq!(time("the middle one").as_deref(), Some("Afternoon"));
    assert_eq!(time("late afternoons").as_deref(), Some("Afternoon"));
    assert_eq!(time("mornings def, evenings im slammed").as_deref(), Some("Morning"));
    let fuels = ["Gas", "Hybrid", "Electric"];
    assert_eq!(
        read_choice("model y", &fuels).map(|p| p.value).as_deref(),
        Some("Electric")
    );
    assert_eq!(
        read_choice("plug in hybrid", &fuels).map(|p| p.value).as_deref(),
        Some("Hybrid")
    );
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri"];
    assert_eq!(read_choice("any day but monday", &days).map(|p| p.value), None);
    assert_eq!(
        read_choice("monday no, friday yes", &days).map(|p| p.value).as_deref(),
        Some("Fri")
    );
}

#[test]
fn letters_of_any_script_beside_a_time_are_read_without_a_panic() {
    let times = ["Morning", "Afternoon", "Evening"];
    for t in ["7 타요", "3 да", "10 时", "7:30 ข", "오후 3시", "ñ1 ñ2", "1 ü2pm"] {
        let _ = read_choice(t, &times);
    }
    assert_eq!(
        read_choice("10 am 타요", &times).map(|p| p.value).as_deref(),
        Some("Morning")
    );
}

#[test]
fn words_ending_like_a_suffix_stay_whole() {
    let langs = ["English", "Spanish"];
    assert_eq!(
        read_choice("English is fine", &langs).map(|p| p.value).as_deref(),
        Some("English")
    );
    assert_eq!(
        read_choice("spanish please", &langs).map(|p| p.value).as_deref(),
        Some("Spanish")
    );
    let times = ["Morning", "Afternoon", "Evening"];
    assert_eq!(
        read_choice("noonish", &times).map(|p| p.value).as_deref(),
        Some("Afternoon")
    );
}
