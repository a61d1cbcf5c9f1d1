//! Times of day said as clock times ("10am", "2 pm", "3ish", "after 6"): each is read as
//! the part of the day it falls in, so it answers a Morning/Afternoon/Evening question.

/// An hour said without am/pm but as a time ("3ish", "around 3", "after 6", "at 10", "2
/// oclock"): the hours a store is open make it plain, 8-11 morning, 12-4 afternoon, 5-9
/// evening when said with "after" or past 4. A bare "3" is left alone (it may be the third
/// choice).
fn bare_hour(reply: &[String], i: usize) -> Option<&'static str> {
    let w = reply[i].as_str();
    let (digits, cued) = match w.strip_suffix("ish") {
        Some(d) => (d, true),
        None => {
            let before = i.checked_sub(1).map(|p| reply[p].as_str());
            let after = reply.get(i + 1).map(String::as_str);
            let cued = matches!(
                before,
                Some(
                    "around"
                        | "at"
                        | "after"
                        | "about"
                        | "like"
                        | "by"
                        | "before"
                        | "between"
                        | "from"
                        | "until"
                        | "till"
                        | "til"
                        | "to"
                        | "past"
                        | "las"
                )
            ) || matches!(after, Some("ish" | "oclock" | "hrs"));
            (w, cued)
        }
    };
    let hour: u32 = digits.parse().ok().filter(|_| cued)?;
    let back = |k: usize| i.checked_sub(k).map(|p| reply[p].as_str());
    // "después de las 7", "antes de las 5": Spanish says the same with "de las"
    let after = back(1) == Some("after") || (back(1) == Some("las") && back(3) == Some("despues"));
    let before = back(1) == Some("before") || (back(1) == Some("las") && back(3) == Some("antes"));
    // "early, like 7:30", "I'm up at 5": an early hour of the morning
    let early = reply.iter().enumerate().any(|(k, w)| {
        let next = reply.get(k + 1).map(String::as_str);
        (matches!(w.as_str(), "early" | "breakfast" | "coffee" | "sunrise")
            && !matches!(next, Some("evening" | "afternoon")))
            || (w == "before" && next == Some("work"))
    });
    let up = back(1) == Some("at") && back(2) == Some("up");
    // "after the kids go to bed, like 8:30": an hour said beside the evening is the evening's
    let evening = reply.iter().any(|w| {
        matches!(
            w.as_str(),
            "bed" | "dinner" | "night" | "tonight" | "supper" | "evening" | "evenings" | "noche"
        )
    }) && !reply
        .iter()
        .any(|w| matches!(w.as_str(), "morning" | "mornings" | "am" | "early" | "manana"));
    if (5..=11).contains(&hour) && evening {
        return Some("evening");
    }
    if (4..=9).contains(&hour) && (early || up) {
        return Some("morning");
    }
    match hour {
        5..=9 if after => Some("evening"),
        1..=6 if before => Some("afternoon"),
        8..=11 => Some("morning"),
        12 | 1..=4 => Some("afternoon"),
        5..=7 => Some("evening"),
        _ => None,
    }
}

/// Clock times said as a part of the day: "10am" → morning, "2pm" / "2 pm" → afternoon,
/// "7pm" → evening (5 pm on), so a time answers a Morning/Afternoon/Evening question.
pub(super) fn part_of_day(reply: Vec<String>) -> Vec<String> {
    // "7:30 am", "7 30pm": the minutes go, the hour keeps its am/pm; "1:30" alone is a
    // time ("1 oclock")
    let is_minutes = |i: usize, w: &str| {
        i > 0
            && w.len() >= 2
            && w.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && matches!(&w[2..], "" | "am" | "pm")
            && reply[i - 1].chars().all(|c| c.is_ascii_digit())
    };
    let mut out: Vec<String> = Vec::with_capacity(reply.len());
    for (i, w) in reply.iter().enumerate() {
        let next = reply.get(i + 1).map(String::as_str).unwrap_or("");
        if is_minutes(i, w) {
            if w.len() == 2 && !matches!(next, "am" | "pm") {
                out.push("oclock".to_string());
            }
            continue;
        }
        // (bytes first: a word of other letters is not cut inside a letter)
        let minutes_then_half = next.len() == 4 && next.as_bytes()[..2].iter().all(u8::is_ascii_digit);
        if w.chars().all(|c| c.is_ascii_digit()) && minutes_then_half && matches!(&next[2..], "am" | "pm") {
            out.push(format!("{w}{}", &next[2..]));
        } else {
            out.push(w.clone());
        }
    }
    let mut reply = out;
    for i in 0..reply.len() {
        let w = reply[i].as_str();
        let (digits, half) = match (w.strip_suffix("am"), w.strip_suffix("pm")) {
            (Some(d), _) => (d.to_string(), "am"),
            (_, Some(d)) => (d.to_string(), "pm"),
            _ => match reply.get(i + 1).map(String::as_str) {
                Some(h @ ("am" | "pm")) => (w.to_string(), h),
                _ => match bare_hour(&reply, i) {
                    Some(part) => {
                        reply[i] = part.to_string();
                        continue;
                    }
                    None => continue,
                },
            },
        };
        let Ok(hour) = digits.parse::<u32>() else { continue };
        let part = match (half, hour) {
            (_, 0 | 13..) | ("am", 12) => continue,
            ("am", _) => "morning",
            (_, 12 | 1..=4) => "afternoon",
            _ => "evening",
        };
        reply[i] = part.to_string();
    }
    reply
}
