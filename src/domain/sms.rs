//! What an SMS body may be.

/// Longest SMS body accepted, in characters (Twilio's limit is 1,600).
pub const MAX_BODY_CHARS: usize = 1600;
