//! The inbox's rules: a conversation's status, the views of the list, the cursor that pages
//! through one, and what a rep's snooze choice means. Pure: times come in as arguments.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

super::word_enum! {
    /// Where a conversation stands (`conversations.status`).
    pub enum ConversationStatus {
        /// waiting on the store: shown in the inbox
        Open = "open",
        /// out of the way until a time, or until the customer replies
        Snoozed = "snoozed",
        /// done; a reply from the customer opens it again
        Closed = "closed",
    }
}

super::word_enum! {
    /// One view of the inbox list (the `view` query parameter).
    #[derive(Default)]
    pub enum InboxView {
        /// open conversations
        #[default]
        Open = "open",
        /// open, and the customer's text is the last word (and they can still be texted)
        NeedsReply = "needs_reply",
        Unread = "unread",
        /// open and assigned to the signed-in user
        Mine = "mine",
        /// open and assigned to nobody
        Unassigned = "unassigned",
        Snoozed = "snoozed",
        Closed = "closed",
        /// the customer said STOP: nothing can be sent
        OptedOut = "opted_out",
        /// every conversation, whatever its status
        All = "all",
    }
}

impl InboxView {
    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            InboxView::Open => "Open",
            InboxView::NeedsReply => "Needs reply",
            InboxView::Unread => "Unread",
            InboxView::Mine => "Mine",
            InboxView::Unassigned => "Unassigned",
            InboxView::Snoozed => "Snoozed",
            InboxView::Closed => "Closed",
            InboxView::OptedOut => "Opted out",
            InboxView::All => "All",
        }
    }
}

/// Where a page of the list starts: after the conversation with this last activity and lead
/// id (the list is newest first, then highest lead id). Written in links as `{last_at}.{lead_id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub last_at: i64,
    pub lead_id: i64,
}

impl Cursor {
    /// Before everything: the first page.
    pub const FIRST: Cursor = Cursor {
        last_at: i64::MAX,
        lead_id: i64::MAX,
    };

    /// A cursor from a link; anything else is the first page.
    pub fn parse(raw: &str) -> Option<Cursor> {
        let (at, id) = raw.trim().split_once('.')?;
        Some(Cursor {
            last_at: at.parse().ok()?,
            lead_id: id.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.last_at, self.lead_id)
    }
}

/// A snooze as the rep chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snooze {
    /// until this moment (unix seconds), or until the customer replies, whichever is first
    Until(i64),
    /// until the customer replies
    UntilReply,
}

/// What a snooze form's `until` means. `choice` is one of the presets (`1h`, `3h`,
/// `tomorrow` = 8:00 tomorrow in the store's zone, `monday` = 8:00 next Monday, `reply`) or
/// `at`, with `at` a local date and time as a browser's datetime-local input writes it
/// (`2026-11-25T08:00`). A time that is not after `now` is refused, with words for the rep.
pub fn snooze_until(choice: &str, at: &str, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Result<Snooze, String> {
    let local_8am = |days: i64| -> Result<i64, String> {
        let date = now.with_timezone(&tz).date_naive() + Duration::days(days);
        local(date.and_hms_opt(8, 0, 0).expect("8:00 exists"), tz)
    };
    let until = match choice.trim() {
        "reply" => return Ok(Snooze::UntilReply),
        "1h" => now.timestamp() + 3600,
        "3h" => now.timestamp() + 3 * 3600,
        "tomorrow" => local_8am(1)?,
        "monday" => {
            use chrono::Datelike;
            let today = now.with_timezone(&tz).weekday().num_days_from_monday() as i64;
            local_8am(7 - today)?
        }
        "at" | "" => {
            let at = at.trim();
            if at.is_empty() {
                return Err("Choose how long to snooze, or a date and time.".into());
            }
            let parsed = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S"))
                .or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M"))
                .map_err(|_| format!("“{at}” is not a date and time; write it as 2026-11-25 08:00."))?;
            local(parsed, tz)?
        }
        other => return Err(format!("“{other}” is not a snooze choice.")),
    };
    if until <= now.timestamp() {
        return Err("That time has already passed: a snooze must end later than now.".into());
    }
    Ok(Snooze::Until(until))
}

/// A local wall-clock time in `tz` as unix seconds (the earlier one when clocks go back; a time
/// skipped when they go forward is refused).
fn local(t: NaiveDateTime, tz: chrono_tz::Tz) -> Result<i64, String> {
    tz.from_local_datetime(&t)
        .earliest()
        .map(|d| d.timestamp())
        .ok_or_else(|| {
            format!(
                "{} does not exist in {} (the clocks skip it).",
                t.format("%b %-d %H:%M"),
                tz
            )
        })
}

/// The first `max` characters of a text, on one line, with an ellipsis when cut.
pub fn preview(body: &str, max: usize) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > max {
        format!("{}…", one_line.chars().take(max - 1).collect::<String>().trim_end())
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Chicago;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn cursors_round_trip_and_junk_is_the_first_page() {
        let c = Cursor {
            last_at: 1_795_550_700,
            lead_id: 42,
        };
        assert_eq!(Cursor::parse(&c.to_string()), Some(c));
        assert_eq!(Cursor::parse("abc"), None);
        assert_eq!(Cursor::parse("12."), None);
        assert_eq!(Cursor::parse(""), None);
    }

    #[test]
    fn snoozes_end_in_the_store_zone_and_never_in_the_past() {
        // Tue 2026-11-24 15:00 UTC is 9:00 in Chicago
        let now = t("2026-11-24T15:00:00Z");
        assert_eq!(
            snooze_until("1h", "", now, Chicago),
            Ok(Snooze::Until(now.timestamp() + 3600))
        );
        assert_eq!(
            snooze_until("tomorrow", "", now, Chicago),
            Ok(Snooze::Until(t("2026-11-25T14:00:00Z").timestamp()))
        );
        assert_eq!(
            snooze_until("monday", "", now, Chicago),
            Ok(Snooze::Until(t("2026-11-30T14:00:00Z").timestamp()))
        );
        assert_eq!(snooze_until("reply", "", now, Chicago), Ok(Snooze::UntilReply));
        assert_eq!(
            snooze_until("at", "2026-11-24T10:30", now, Chicago),
            Ok(Snooze::Until(t("2026-11-24T16:30:00Z").timestamp()))
        );
        let past = snooze_until("at", "2026-11-24T08:59", now, Chicago).unwrap_err();
        assert!(past.contains("already passed"), "{past}");
        assert!(snooze_until("at", "", now, Chicago).is_err());
        assert!(snooze_until("at", "tomorrowish", now, Chicago)
            .unwrap_err()
            .contains("not a date"));
        assert!(snooze_until("forever", "", now, Chicago).is_err());
    }

    #[test]
    fn previews_are_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(preview("Is my\ncar  ready?", 40), "Is my car ready?");
        assert_eq!(preview("abcdefghij", 5), "abcd…");
        assert_eq!(preview("abcde", 5), "abcde");
    }

    #[test]
    fn every_view_has_a_label_and_reads_back() {
        for v in InboxView::ALL {
            assert_eq!(InboxView::parse(v.as_str()), Some(v));
            assert!(!v.label().is_empty());
        }
    }
}
