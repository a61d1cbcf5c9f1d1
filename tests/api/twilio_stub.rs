//! A local stand-in for Twilio's REST API that checks requests the way Twilio would (path,
//! Basic auth, required form fields) and answers as scripted: 201, 400 with 21610, 429, 500,
//! or hang. It also lists what it accepted, like `GET .../Messages.json`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SID: &str = "ACtest00000000000000000000000000aa";
pub const TOKEN: &str = "stub-auth-token-0123456789";

#[derive(Debug, Clone, Copy)]
pub enum Reply {
    Created,
    Unsubscribed,
    TooManyRequests,
    ServerError,
    /// accept the message, then never answer (the client times out)
    Hang,
}

#[derive(Debug, Clone)]
pub struct Received {
    pub form: HashMap<String, String>,
}

#[derive(Default)]
pub struct StubState {
    pub script: VecDeque<Reply>,
    pub received: Vec<Received>,
    /// (sid, to, from, body) of messages it accepted
    pub accepted: Vec<(String, String, String, String)>,
    pub lookups: usize,
}

#[derive(Clone)]
pub struct TwilioStub {
    pub url: String,
    pub state: Arc<Mutex<StubState>>,
}

impl TwilioStub {
    pub async fn start() -> TwilioStub {
        let state = Arc::new(Mutex::new(StubState::default()));
        let app = Router::new()
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(create).get(list))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TwilioStub { url, state }
    }

    pub fn script(&self, replies: &[Reply]) {
        self.state.lock().unwrap().script.extend(replies.iter().copied());
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn lookups(&self) -> usize {
        self.state.lock().unwrap().lookups
    }
}

fn twilio_error(status: StatusCode, code: i64, message: &str) -> Response {
    (status, Json(serde_json::json!({"code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status.as_u16()}))).into_response()
}

fn authorized(headers: &HeaderMap, sid: &str) -> bool {
    let Some(v) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(b64) = v.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64) else {
        return false;
    };
    raw == format!("{sid}:{TOKEN}").into_bytes() && sid == SID
}

async fn create(
    State(state): State<Arc<Mutex<StubState>>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if !authorized(&headers, &sid) {
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    if !headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        return twilio_error(StatusCode::BAD_REQUEST, 20001, "form body required");
    }
    let form: HashMap<String, String> = serde_urlencoded::from_str(&body).unwrap_or_default();
    if !form.get("To").is_some_and(|t| t.starts_with('+')) {
        return twilio_error(StatusCode::BAD_REQUEST, 21604, "A 'To' phone number is required.");
    }
    if form.get("Body").is_none_or(|b| b.is_empty()) {
        return twilio_error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    }
    if !form.contains_key("From") && !form.contains_key("MessagingServiceSid") {
        return twilio_error(
            StatusCode::BAD_REQUEST,
            21603,
            "A 'From' or 'MessagingServiceSid' parameter is required.",
        );
    }
    let reply = {
        let mut s = state.lock().unwrap();
        s.received.push(Received { form: form.clone() });
        s.script.pop_front().unwrap_or(Reply::Created)
    };
    let accept = |state: &Arc<Mutex<StubState>>| {
        let mut s = state.lock().unwrap();
        let sid = format!("SM{:032x}", s.accepted.len() + 1);
        s.accepted.push((
            sid.clone(),
            form["To"].clone(),
            form.get("From").cloned().unwrap_or_default(),
            form["Body"].clone(),
        ));
        sid
    };
    match reply {
        Reply::Created => {
            let sid = accept(&state);
            (
                StatusCode::CREATED,
                Json(serde_json::json!({"sid": sid, "status": "queued", "to": form["To"], "body": form["Body"]})),
            )
                .into_response()
        }
        Reply::Unsubscribed => twilio_error(
            StatusCode::BAD_REQUEST,
            21610,
            "Attempt to send to unsubscribed recipient",
        ),
        Reply::TooManyRequests => twilio_error(StatusCode::TOO_MANY_REQUESTS, 20429, "Too Many Requests"),
        Reply::ServerError => twilio_error(StatusCode::INTERNAL_SERVER_ERROR, 20500, "Internal Server Error"),
        Reply::Hang => {
            accept(&state);
            tokio::time::sleep(Duration::from_secs(30)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    }
}

async fn list(
    State(state): State<Arc<Mutex<StubState>>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&headers, &sid) {
        return twilio_error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let mut s = state.lock().unwrap();
    s.lookups += 1;
    let messages: Vec<_> = s
        .accepted
        .iter()
        .filter(|(_, to, from, _)| q.get("To").is_none_or(|t| t == to) && q.get("From").is_none_or(|f| f == from))
        .map(|(sid, to, from, body)| serde_json::json!({"sid": sid, "to": to, "from": from, "body": body, "status": "sent"}))
        .collect();
    Json(serde_json::json!({ "messages": messages })).into_response()
}
