//! The one send path and everything around it: the outbox with its compliance gate, the
//! senders (log, Twilio), inbound handling (keywords, listeners, drafts), Twilio signatures.

pub mod drafts;
pub mod inbound;
pub mod outbox;
pub mod sender;
mod services;
pub mod twilio_signature;

pub use services::{Parts, Services};

use crate::store::accounts::MessagingSettings;
use sender::Credentials;

/// The Twilio credentials for an account: its own SID and token reference (`env:NAME` or
/// `file:PATH`), else the config's defaults.
pub fn credentials(app: &Services, s: &MessagingSettings) -> Option<Credentials> {
    let sid = s
        .twilio_account_sid
        .clone()
        .or_else(|| app.config.twilio_account_sid.clone())?;
    let token = match s.twilio_auth_token_ref.as_deref() {
        Some(r) => resolve_secret_ref(r)?,
        None => app.config.twilio_auth_token.clone()?,
    };
    Some(Credentials {
        account_sid: sid,
        auth_token: token,
    })
}

/// Only the auth token, for checking webhook signatures.
pub fn auth_token(app: &Services, s: &MessagingSettings) -> Option<String> {
    match s.twilio_auth_token_ref.as_deref() {
        Some(r) => resolve_secret_ref(r),
        None => app.config.twilio_auth_token.clone(),
    }
}

fn resolve_secret_ref(r: &str) -> Option<String> {
    let value = if let Some(var) = r.strip_prefix("env:") {
        std::env::var(var).ok()
    } else if let Some(path) = r.strip_prefix("file:") {
        std::fs::read_to_string(path).ok()
    } else {
        tracing::warn!(reference = r, "auth token reference must start with env: or file:");
        None
    };
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
