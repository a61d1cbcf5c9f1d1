//! Twilio's webhooks between accounts: a request signed with one account's token can only
//! touch that account's messages, whatever message SID it names.

use crate::messaging::{setup, Messaging, PUBLIC_URL, STORE_NUMBER};
use crate::support::*;
use crate::twilio_stub;
use forecourt::domain::account::Vertical;
use forecourt::store::accounts::{set_twilio, TwilioSettings};
use serde_json::json;

const OTHER_NUMBER: &str = "+15125550199";
const OTHER_TOKEN: &str = "second-dealers-own-auth-token";
const CUSTOMER: &str = "+15125550142";

/// Point an account at its own number and its own auth token, kept in a file under `dir`.
fn own_twilio(m: &Messaging, dir: &std::path::Path, account_id: i64, number: &str, token: &str) {
    let token_file = dir.join(format!("twilio-token-{account_id}"));
    std::fs::write(&token_file, token).unwrap();
    let token_ref = format!("file:{}", token_file.display());
    let now = m.t.clock_now();
    m.t.write(|tx| {
        set_twilio(
            tx,
            account_id,
            &TwilioSettings {
                number: Some(number),
                account_sid: None,
                messaging_service_sid: None,
                auth_token_ref: Some(&token_ref),
            },
            now,
        )
    });
}

/// A status callback as Twilio sends it, from `from`, signed with `token`.
async fn status_callback(m: &Messaging, from: &str, token: &str, sid: &str, status: &str) -> reqwest::Response {
    let params: Vec<(String, String)> = vec![
        ("AccountSid".into(), twilio_stub::SID.into()),
        ("ErrorCode".into(), "21610".into()),
        ("From".into(), from.into()),
        ("MessageSid".into(), sid.into()),
        ("MessageStatus".into(), status.into()),
        ("To".into(), CUSTOMER.into()),
    ];
    let signature = forecourt::messaging::twilio_signature::compute(
        token,
        &format!("{PUBLIC_URL}/webhooks/twilio/status"),
        &params,
    );
    m.t.client()
        .post(format!("{}/webhooks/twilio/status", m.t.url))
        .header("x-twilio-signature", signature)
        .form(&params)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_status_callback_cannot_touch_another_accounts_message() {
    let m = setup().await;
    let tokens = tempfile::tempdir().unwrap();
    // account A texts from STORE_NUMBER with its own token (the stub's, so its sends go through)
    own_twilio(&m, tokens.path(), m.account_id, STORE_NUMBER, twilio_stub::TOKEN);
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    own_twilio(&m, tokens.path(), other, OTHER_NUMBER, OTHER_TOKEN);

    let lead = m
        .lead(json!({"first_name": "Ana", "last_name": "Lopez", "phone": CUSTOMER, "state": "TX"}))
        .await;
    m.text(lead, "Your car is ready for pickup.").await;
    m.tick(T0).await;
    let sent = m.conversation(lead).await["outbound"][0].clone();
    assert_eq!(sent["status"], "sent");
    let sid = sent["provider_sid"].as_str().unwrap().to_string();

    // account B, correctly signed with its own token, names A's message: answered like an
    // unknown message, and nothing of A's changes
    let resp = status_callback(&m, OTHER_NUMBER, OTHER_TOKEN, &sid, "undelivered").await;
    assert_eq!(resp.status(), 204);
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "sent", "{conv}");
    assert_eq!(conv["outbound"][0]["error_code"], serde_json::Value::Null, "{conv}");
    assert_eq!(conv["lead"]["opted_out"], false, "{conv}");

    // the same callback from A itself does apply
    let resp = status_callback(&m, STORE_NUMBER, twilio_stub::TOKEN, &sid, "undelivered").await;
    assert_eq!(resp.status(), 204);
    let conv = m.conversation(lead).await;
    assert_eq!(conv["outbound"][0]["status"], "undelivered", "{conv}");
    assert_eq!(conv["lead"]["opted_out"], true, "{conv}");
}
