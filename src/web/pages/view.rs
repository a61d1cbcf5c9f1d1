//! Formatting for pages: money, times in the account's zone, and the navigation bar.

use crate::clock::from_unix;
pub use crate::domain::money::dollars;
use crate::store::sessions::Session;

/// What the layout needs on every signed-in page.
pub struct Nav {
    pub active: &'static str,
    pub account_name: String,
    pub user_email: String,
    pub csrf: String,
    /// drafted replies waiting for a rep, shown beside Threads
    pub drafts_waiting: i64,
    /// may change settings, offers, experiments, imports and logins (pages hide what a rep
    /// cannot do; the server refuses it too)
    pub can_manage: bool,
}

impl Nav {
    pub fn new(active: &'static str, s: &Session) -> Nav {
        Nav {
            active,
            account_name: s.account_name.clone(),
            user_email: s.email.clone(),
            csrf: s.csrf_token.clone(),
            drafts_waiting: s.drafts_waiting,
            can_manage: s.role.can_manage(),
        }
    }

    /// The tabs this login may open (a rep has no Settings).
    pub fn tabs(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        TABS.into_iter()
            .filter(|(key, _, _)| self.can_manage || *key != "settings")
            .collect()
    }

    /// The count shown on a tab: drafted replies waiting, on Threads.
    pub fn badge(&self, tab: &str) -> Option<i64> {
        (tab == "threads" && self.drafts_waiting > 0).then_some(self.drafts_waiting)
    }

    /// Is this the page's tab (marked `aria-current`)?
    pub fn is_active(&self, tab: &str) -> bool {
        self.active == tab
    }

    /// The `class` of a navigation link.
    pub fn class(&self, tab: &str) -> &'static str {
        if self.active == tab {
            "active"
        } else {
            ""
        }
    }
}

pub const TABS: [(&str, &str, &str); 7] = [
    ("dashboard", "/", "Dashboard"),
    ("leads", "/leads", "Leads"),
    ("threads", "/threads", "Inbox"),
    ("offers", "/offers", "Offers"),
    ("watchlist", "/watchlist", "Watchlist"),
    ("experiments", "/experiments", "Experiments"),
    ("settings", "/settings", "Settings"),
];

/// One choice of a period picker (dashboard, Offers page).
pub struct PickerLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// The period picker's choices for the page at `base` ("/", "/offers"), `span` chosen.
pub fn picker(base: &str, span: &crate::domain::period::Span) -> Vec<PickerLink> {
    [
        ("today", "Today"),
        ("7", "7 days"),
        ("30", "30 days"),
        ("90", "90 days"),
    ]
    .into_iter()
    .map(|(key, label)| PickerLink {
        label,
        href: format!("{base}?period={key}"),
        current: span.key() == key,
    })
    .collect()
}

/// A timestamp in the account's time zone, e.g. `Nov 24, 3:05 PM`.
pub fn local_time(ts: i64, tz: chrono_tz::Tz) -> String {
    from_unix(ts)
        .with_timezone(&tz)
        .format("%b %-d, %Y %-I:%M %p")
        .to_string()
}

/// `08:00` from minutes after midnight.
pub fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

pub fn thousands(n: i64) -> String {
    let s = dollars(n * 100);
    s.trim_start_matches('$').trim_end_matches(".00").replace("-$", "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_numbers() {
        assert_eq!(thousands(3012), "3,012");
        assert_eq!(thousands(12), "12");
        assert_eq!(hhmm(480), "08:00");
        assert_eq!(hhmm(1260), "21:00");
    }

    #[test]
    fn times_show_in_the_account_zone() {
        // 2026-11-24T20:05:00Z is 2:05 PM in Chicago (CST)
        assert_eq!(
            local_time(1_795_550_700, chrono_tz::America::Chicago),
            "Nov 24, 2026 2:05 PM"
        );
    }
}
