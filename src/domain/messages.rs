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

#[cfg(test)]
mod tests {
    use super::*;

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
