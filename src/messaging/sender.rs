//! How a text leaves the box. `LogSender` (the embedded default) records and logs it and
//! touches no network; `TwilioSender` calls Twilio's REST API at a configurable base URL.

use futures_util::future::BoxFuture;
use std::time::Duration;

/// One SMS, ready for the provider.
#[derive(Debug, Clone)]
pub struct OutboundSms {
    pub to: String,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
    pub body: String,
    pub status_callback: Option<String>,
    pub credentials: Option<Credentials>,
}

#[derive(Clone)]
pub struct Credentials {
    pub account_sid: String,
    pub auth_token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"***")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    pub sid: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// The provider did not take it (429, 5xx, could not connect): safe to try again later.
    Retryable { code: String, message: String },
    /// The provider refused it for good (bad number, unsubscribed recipient, ...).
    Permanent { code: Option<i64>, message: String },
    /// The request went out but no answer came back: it may or may not have been sent.
    Unknown { message: String },
}

pub trait Sender: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn send<'a>(&'a self, sms: &'a OutboundSms) -> BoxFuture<'a, Result<Accepted, SendError>>;
    /// Look for a message the provider already has for this recipient and body, sent since
    /// `since` (unix seconds): how a timed-out send is reconciled instead of re-sent blindly.
    fn find_sent<'a>(&'a self, sms: &'a OutboundSms, since: i64) -> BoxFuture<'a, Result<Option<Accepted>, SendError>>;
}

/// Records the message as sent and logs it. No network.
pub struct LogSender;

impl Sender for LogSender {
    fn name(&self) -> &'static str {
        "log"
    }

    fn send<'a>(&'a self, sms: &'a OutboundSms) -> BoxFuture<'a, Result<Accepted, SendError>> {
        Box::pin(async move {
            let sid = format!("LOG{}", uuid::Uuid::new_v4().simple());
            tracing::info!(to = %sms.to, sid = %sid, body = %sms.body, "text recorded by the log sender (not sent)");
            Ok(Accepted {
                sid,
                status: "sent".into(),
            })
        })
    }

    fn find_sent<'a>(
        &'a self,
        _sms: &'a OutboundSms,
        _since: i64,
    ) -> BoxFuture<'a, Result<Option<Accepted>, SendError>> {
        Box::pin(async { Ok(None) })
    }
}

/// Twilio's Programmable Messaging REST API.
pub struct TwilioSender {
    http: reqwest::Client,
    api_base: String,
}

impl TwilioSender {
    pub fn new(api_base: &str, timeout: Duration) -> TwilioSender {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5).min(timeout))
            .build()
            .expect("HTTP client with rustls builds");
        TwilioSender {
            http,
            api_base: api_base.trim_end_matches('/').to_string(),
        }
    }

    fn messages_url(&self, sid: &str) -> String {
        format!("{}/2010-04-01/Accounts/{}/Messages.json", self.api_base, sid)
    }
}

#[derive(serde::Deserialize)]
struct TwilioMessage {
    sid: String,
    status: Option<String>,
    body: Option<String>,
}

#[derive(serde::Deserialize)]
struct TwilioError {
    code: Option<i64>,
    message: Option<String>,
}

#[derive(serde::Deserialize)]
struct TwilioList {
    messages: Vec<TwilioMessage>,
}

fn transport_error(e: reqwest::Error) -> SendError {
    if e.is_connect() {
        SendError::Retryable {
            code: "connect".into(),
            message: format!("could not reach Twilio: {e}"),
        }
    } else if e.is_timeout() {
        SendError::Unknown {
            message: format!("Twilio did not answer in time: {e}"),
        }
    } else {
        SendError::Unknown {
            message: format!("the exchange with Twilio broke off: {e}"),
        }
    }
}

impl Sender for TwilioSender {
    fn name(&self) -> &'static str {
        "twilio"
    }

    fn send<'a>(&'a self, sms: &'a OutboundSms) -> BoxFuture<'a, Result<Accepted, SendError>> {
        Box::pin(async move {
            let creds = sms.credentials.as_ref().ok_or_else(|| SendError::Permanent {
                code: None,
                message: "no Twilio credentials: set twilio.account_sid and twilio.auth_token, or the account's own"
                    .into(),
            })?;
            let mut form: Vec<(&str, &str)> = vec![("To", &sms.to), ("Body", &sms.body)];
            match (&sms.messaging_service_sid, &sms.from) {
                (Some(ms), _) => form.push(("MessagingServiceSid", ms)),
                (None, Some(from)) => form.push(("From", from)),
                (None, None) => {
                    return Err(SendError::Permanent {
                        code: None,
                        message: "the account has no Twilio number or messaging service".into(),
                    })
                }
            }
            if let Some(cb) = &sms.status_callback {
                form.push(("StatusCallback", cb));
            }
            let resp = self
                .http
                .post(self.messages_url(&creds.account_sid))
                .basic_auth(&creds.account_sid, Some(&creds.auth_token))
                .form(&form)
                .send()
                .await
                .map_err(transport_error)?;
            let status = resp.status();
            let text = resp.text().await.map_err(transport_error)?;
            if status.is_success() {
                let m: TwilioMessage = serde_json::from_str(&text).map_err(|e| SendError::Unknown {
                    message: format!("Twilio answered {status} with a body that is not a message: {e}"),
                })?;
                return Ok(Accepted {
                    sid: m.sid,
                    status: m.status.unwrap_or_else(|| "queued".into()),
                });
            }
            let err: Option<TwilioError> = serde_json::from_str(&text).ok();
            let code = err.as_ref().and_then(|e| e.code);
            let message = err
                .and_then(|e| e.message)
                .unwrap_or_else(|| format!("HTTP {status}: {}", text.chars().take(200).collect::<String>()));
            if status.as_u16() == 429 || status.is_server_error() {
                Err(SendError::Retryable {
                    code: code
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| status.as_u16().to_string()),
                    message,
                })
            } else {
                Err(SendError::Permanent { code, message })
            }
        })
    }

    fn find_sent<'a>(&'a self, sms: &'a OutboundSms, since: i64) -> BoxFuture<'a, Result<Option<Accepted>, SendError>> {
        Box::pin(async move {
            let Some(creds) = sms.credentials.as_ref() else {
                return Ok(None);
            };
            let day = crate::clock::from_unix(since).format("%Y-%m-%d").to_string();
            let mut query: Vec<(&str, &str)> = vec![("To", &sms.to), ("DateSent>", &day), ("PageSize", "50")];
            if let Some(from) = &sms.from {
                query.push(("From", from));
            }
            let resp = self
                .http
                .get(self.messages_url(&creds.account_sid))
                .basic_auth(&creds.account_sid, Some(&creds.auth_token))
                .query(&query)
                .send()
                .await
                .map_err(transport_error)?;
            if !resp.status().is_success() {
                return Err(SendError::Retryable {
                    code: resp.status().as_u16().to_string(),
                    message: "could not list messages".into(),
                });
            }
            let list: TwilioList = resp.json().await.map_err(transport_error)?;
            Ok(list
                .messages
                .into_iter()
                .find(|m| m.body.as_deref() == Some(sms.body.as_str()))
                .map(|m| Accepted {
                    sid: m.sid,
                    status: m.status.unwrap_or_else(|| "sent".into()),
                }))
        })
    }
}
