//! Where an outbound text stands, and what the provider's status words mean for it.

super::word_enum! {
    /// An outbound text's status (`messages_out.status`).
    pub enum MessageStatus {
        /// waiting for the drain, allowed by the gate when it was written
        Queued = "queued",
        /// held by the gate until `deferred_until` (quiet hours, a cap)
        Deferred = "deferred",
        /// claimed by the drain; the provider is being asked
        Sending = "sending",
        /// accepted by the provider
        Sent = "sent",
        /// the carrier says it arrived
        Delivered = "delivered",
        /// the carrier says it did not arrive
        Undelivered = "undelivered",
        /// refused for good, or given up on
        Failed = "failed",
        /// refused by the gate (opted out, a state's rule, expired), with why
        Blocked = "blocked",
        /// sent, or not: the provider did not answer; never sent again blindly
        Unknown = "unknown",
    }
}

impl MessageStatus {
    /// Waiting to go (the drain takes these when their time comes).
    pub fn is_waiting(self) -> bool {
        matches!(self, MessageStatus::Queued | MessageStatus::Deferred)
    }

    /// How far along a text is: a provider's status callback may only move it forward
    /// (callbacks arrive out of order).
    pub fn rank(self) -> u8 {
        match self {
            MessageStatus::Queued | MessageStatus::Deferred | MessageStatus::Blocked => 0,
            MessageStatus::Sending | MessageStatus::Unknown => 1,
            MessageStatus::Sent => 2,
            MessageStatus::Delivered | MessageStatus::Undelivered | MessageStatus::Failed => 3,
        }
    }

    /// What a Twilio status word (`MessageStatus` of a status callback) tells about a text we
    /// sent, if it is news: queued, accepted, scheduled and sending only say Twilio has it.
    pub fn from_twilio(word: &str) -> Option<MessageStatus> {
        match word {
            "delivered" | "read" => Some(MessageStatus::Delivered),
            "undelivered" => Some(MessageStatus::Undelivered),
            "failed" | "canceled" => Some(MessageStatus::Failed),
            "sent" => Some(MessageStatus::Sent),
            _ => None,
        }
    }
}

/// A gate decision that keeps a text from going now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Deferred,
    Blocked,
}

impl From<Held> for MessageStatus {
    fn from(h: Held) -> MessageStatus {
        match h {
            Held::Deferred => MessageStatus::Deferred,
            Held::Blocked => MessageStatus::Blocked,
        }
    }
}

super::word_enum! {
    /// A drafted reply's state (`reply_drafts.status`).
    pub enum DraftStatus {
        /// waiting for a rep: shown in the reply box
        Pending = "pending",
        /// sent (as drafted or as the rep edited it), through the gate
        Approved = "approved",
        /// a rep threw it away
        Discarded = "discarded",
    }
}

crate::domain::word_enum! {
    /// What happened to outbound texts, as the dashboard's Today panel groups them and the
    /// messages list filters them.
    pub enum Outcome {
        /// left for the customer (sent or delivered)
        Sent = "sent",
        Delivered = "delivered",
        /// failed, or the carrier says it did not arrive
        Failed = "failed",
        /// held by the gate until a legal moment
        Held = "held",
        /// stopped by the gate for good
        Blocked = "blocked",
        /// queued, being sent, or waiting for Twilio's answer
        Waiting = "waiting",
    }
}

impl Outcome {
    /// The statuses in this group.
    pub fn statuses(self) -> &'static [MessageStatus] {
        match self {
            Outcome::Sent => &[MessageStatus::Sent, MessageStatus::Delivered],
            Outcome::Delivered => &[MessageStatus::Delivered],
            Outcome::Failed => &[MessageStatus::Failed, MessageStatus::Undelivered],
            Outcome::Held => &[MessageStatus::Deferred],
            Outcome::Blocked => &[MessageStatus::Blocked],
            Outcome::Waiting => &[MessageStatus::Queued, MessageStatus::Sending, MessageStatus::Unknown],
        }
    }

    /// Whether most texts are in this group (a list of it reads newest first by date alone).
    pub fn is_common(self) -> bool {
        matches!(self, Outcome::Sent | Outcome::Delivered)
    }
}

/// An outbound text's status in words for a rep. `deferred_until` is the moment it may go,
/// already written in local time (e.g. `Tue 08:00 CST`); `error_code` is the provider's code
/// of a failed text; `held_code` the gate's code of a held or blocked one.
pub fn status_in_words(
    status: MessageStatus,
    deferred_until: Option<&str>,
    error_code: Option<&str>,
    held_code: Option<&str>,
) -> String {
    match status {
        MessageStatus::Queued => "queued: goes out with the next send".into(),
        MessageStatus::Deferred => match (deferred_until, held_code) {
            (Some(t), Some(c)) => format!("deferred until {t}: {}", held_in_words(c)),
            (Some(t), None) => format!("deferred until {t}"),
            (None, _) => "deferred".into(),
        },
        MessageStatus::Sending => "sending".into(),
        MessageStatus::Sent => "sent".into(),
        MessageStatus::Delivered => "delivered".into(),
        MessageStatus::Undelivered => match error_code {
            Some(c) => format!("not delivered: {}", provider_error_in_words(c)),
            None => "not delivered".into(),
        },
        MessageStatus::Failed => match error_code {
            Some(c) => format!("failed: {}", provider_error_in_words(c)),
            None => "failed".into(),
        },
        MessageStatus::Blocked => match held_code {
            Some(c) => format!("blocked: {}", held_in_words(c)),
            None => "blocked".into(),
        },
        MessageStatus::Unknown => "unknown: Twilio did not answer; it is checked before any resend".into(),
    }
}

/// The gate's (and the outbox's) reason codes in a rep's words. An unknown code is shown as it is.
pub fn held_in_words(code: &str) -> String {
    match code {
        "opted_out" => "opted out (texted STOP or said so)",
        "opt_out_review" => "the customer may have asked to stop: a rep decides before automated texts go",
        "quiet_hours" => "quiet hours in the customer's zone (texts only 08:00-21:00 there)",
        "state_hours" => "outside the texting hours of the customer's state",
        "state_sunday" => "the customer's state allows no texts on Sunday",
        "state_cap" => "the customer's state allows only so many texts in 24 hours",
        "account_daily_cap" => "the store's limit of automated texts per customer per day",
        "account_weekly_cap" => "the store's limit of automated texts per customer per week",
        "purpose_separation" => "no survey and offer on the same day",
        "not_textable" => "the customer has no mobile number that takes texts",
        "expired" => "its moment passed while it waited",
        other => return other.replace('_', " "),
    }
    .to_string()
}

/// Twilio's error codes (and the outbox's own for sends it gave up on) in a rep's words.
pub fn provider_error_in_words(code: &str) -> String {
    let words = match code {
        "21211" => "the number is not a valid phone number",
        "21408" => "the store's Twilio account may not text that region",
        "21610" => "the customer unsubscribed with their carrier (STOP)",
        "21612" => "Twilio cannot route a text to this number",
        "21614" => "the number is not a mobile number",
        "30003" => "the phone is off or out of reach",
        "30004" => "the customer's carrier or phone blocks the text",
        "30005" => "the number does not exist (or no longer does)",
        "30006" => "a landline, or a carrier that takes no texts",
        "30007" => "the carrier filtered it as spam",
        "30008" => "the carrier gave no reason",
        "30034" => "the store's number is not registered for business texting (A2P 10DLC)",
        "timeout" => "Twilio did not answer in time, again and again",
        "internal" => "forecourt could not prepare it (see the server log)",
        "rejected" => "Twilio refused it",
        other => return format!("Twilio error {other}"),
    };
    format!("{words} (Twilio {code})")
        .replace(" (Twilio timeout)", "")
        .replace(" (Twilio internal)", "")
        .replace(" (Twilio rejected)", "")
}

/// Why a text was sent, in a rep's words.
pub fn purpose_in_words(p: super::compliance::Purpose) -> &'static str {
    use super::compliance::Purpose;
    match p {
        Purpose::Upsell => "upsell offer",
        Purpose::Survey => "survey",
        Purpose::Followup => "follow-up",
        Purpose::Manual => "manual text",
        Purpose::Reply => "reply",
        Purpose::System => "system",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_words_with_their_why() {
        let s = |st, until, err, held| status_in_words(st, until, err, held);
        assert_eq!(
            s(
                MessageStatus::Deferred,
                Some("Tue 08:00 CST"),
                None,
                Some("quiet_hours")
            ),
            "deferred until Tue 08:00 CST: quiet hours in the customer's zone (texts only 08:00-21:00 there)"
        );
        assert_eq!(
            s(MessageStatus::Blocked, None, None, Some("opted_out")),
            "blocked: opted out (texted STOP or said so)"
        );
        assert_eq!(
            s(MessageStatus::Failed, None, Some("30007"), None),
            "failed: the carrier filtered it as spam (Twilio 30007)"
        );
        assert_eq!(
            s(MessageStatus::Failed, None, Some("99999"), None),
            "failed: Twilio error 99999"
        );
        assert_eq!(
            s(MessageStatus::Failed, None, Some("timeout"), None),
            "failed: Twilio did not answer in time, again and again"
        );
        assert_eq!(s(MessageStatus::Delivered, None, None, None), "delivered");
        assert_eq!(held_in_words("something_new"), "something new");
        for status in MessageStatus::ALL {
            assert!(!s(status, None, None, None).is_empty());
        }
        assert_eq!(
            purpose_in_words(crate::domain::compliance::Purpose::Upsell),
            "upsell offer"
        );
        assert_eq!(DraftStatus::parse("pending"), Some(DraftStatus::Pending));
    }

    #[test]
    fn a_callback_moves_a_text_forward_only() {
        let sent = MessageStatus::from_twilio("sent").unwrap();
        let delivered = MessageStatus::from_twilio("delivered").unwrap();
        assert!(delivered.rank() > sent.rank());
        assert!(sent.rank() > MessageStatus::Sending.rank());
        assert_eq!(MessageStatus::from_twilio("queued"), None);
        assert_eq!(MessageStatus::from_twilio("canceled"), Some(MessageStatus::Failed));
        assert_eq!(MessageStatus::from_twilio("read"), Some(MessageStatus::Delivered));
    }
}
