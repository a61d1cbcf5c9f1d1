//! Drafting through an OpenAI-compatible chat API (a local stub), and the template fallback.

use crate::support::*;
use axum::routing::post;
use axum::{Json, Router};
use forecourt::domain::account::Vertical;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Llm {
    requests: Vec<(Option<String>, Value)>,
    fail: bool,
}

async fn llm_stub() -> (String, Arc<Mutex<Llm>>) {
    let state = Arc::new(Mutex::new(Llm::default()));
    let s = state.clone();
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: axum::http::HeaderMap, Json(body): Json<Value>| {
            let s = s.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
                let mut st = s.lock().unwrap();
                st.requests.push((auth, body));
                if st.fail {
                    return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": {"message": "overloaded"}})));
                }
                (
                    axum::http::StatusCode::OK,
                    Json(json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": " Yes, the CR-V is here. Want to see it at 4? "}}]})),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

#[tokio::test]
async fn replies_are_drafted_by_the_chat_api_and_fall_back_to_the_template() {
    let (url, llm) = llm_stub().await;
    let t = TestApp::spawn_with(move |c| {
        c.drafter = forecourt::config::DrafterKind::OpenAi;
        c.openai_base_url = url;
        c.openai_model = "test-model".into();
        c.openai_api_key = Some("sk-test".into());
        c.twilio_auth_token = Some("tok".into());
        c.public_url = Some("https://texts.example".into());
    })
    .await;
    let (account, key) = t.account("Lakeside Honda", Vertical::Automotive);
    let now = t.clock_now();
    t.write(|tx| {
        forecourt::store::accounts::set_twilio(
            tx,
            account,
            &forecourt::store::accounts::TwilioSettings {
                number: Some("+15125550100"),
                account_sid: None,
                messaging_service_sid: None,
                auth_token_ref: None,
            },
            now,
        )
    });
    let inbound = |sid: &'static str, body: &'static str| {
        let params: Vec<(String, String)> = vec![
            ("Body".into(), body.into()),
            ("From".into(), "+15125550190".into()),
            ("MessageSid".into(), sid.into()),
            ("To".into(), "+15125550100".into()),
        ];
        let sig = forecourt::messaging::twilio_signature::compute(
            "tok",
            "https://texts.example/webhooks/twilio/inbound",
            &params,
        );
        t.client()
            .post(format!("{}/webhooks/twilio/inbound", t.url))
            .header("x-twilio-signature", sig)
            .form(&params)
            .send()
    };
    assert_eq!(inbound("SM1", "Is the CR-V still there?").await.unwrap().status(), 200);
    llm.lock().unwrap().fail = true;
    assert_eq!(inbound("SM2", "Hello?").await.unwrap().status(), 200);

    let drafts: Value = t
        .client()
        .get(format!("{}/api/drafts", t.url))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let drafts = drafts["drafts"].as_array().unwrap();
    let by_model = drafts
        .iter()
        .find(|d| d["drafter"] == "openai:test-model")
        .expect("a chat-API draft");
    assert_eq!(by_model["body"], "Yes, the CR-V is here. Want to see it at 4?");
    let fallback = drafts
        .iter()
        .find(|d| d["drafter"] == "template")
        .expect("a template draft when the API failed");
    assert!(fallback["body"].as_str().unwrap().contains("Lakeside Honda"));

    let st = llm.lock().unwrap();
    assert_eq!(st.requests.len(), 2);
    let (auth, body) = &st.requests[0];
    assert_eq!(auth.as_deref(), Some("Bearer sk-test"));
    assert_eq!(body["model"], "test-model");
    assert!(body["messages"][1]["content"]
        .as_str()
        .unwrap()
        .contains("Is the CR-V still there?"));
}
