//! The conversation page over real HTTP, signed in: the history, the gate's verdict before a
//! reply, replies now and later (and held at night), drafts, the offer panel, the customer card;
//! CSRF, account scoping and bad input (a clear message, nothing written).

mod browser;
mod canned;
mod history;
mod offers;
mod replies;

pub(crate) use crate::login::post_login;
pub(crate) use crate::messaging::{count, setup, Messaging};
pub(crate) use crate::support::*;
pub(crate) use crate::upsell::{appointment_csv, catalog};
pub(crate) use forecourt::domain::account::Vertical;
pub(crate) use serde_json::json;

pub const ANA: &str = "+15125550142";
pub const REP: &str = "rep@lakeside.example";
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in rep of the messaging setup's store.
pub struct Rep {
    pub cookie: String,
}

pub async fn sign_in(m: &Messaging) -> Rep {
    m.t.user(m.account_id, REP, PASSWORD);
    log_in(m).await
}

/// A new session for the rep (sessions end: a test that moves the clock a day signs in again).
pub async fn log_in(m: &Messaging) -> Rep {
    let resp = post_login(&m.t, REP, PASSWORD, None).await;
    assert_eq!(resp.status(), 303);
    Rep {
        cookie: format!("fc_session={}", set_cookie(&resp, "fc_session").unwrap()),
    }
}

impl Rep {
    pub async fn get(&self, m: &Messaging, path: &str) -> (u16, String) {
        let resp =
            m.t.client()
                .get(format!("{}{path}", m.t.url))
                .header("cookie", &self.cookie)
                .send()
                .await
                .unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    }

    /// Post a form; a redirect is followed (as a browser does) and its page returned.
    pub async fn post(&self, m: &Messaging, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let resp =
            m.t.client()
                .post(format!("{}{path}", m.t.url))
                .header("cookie", &self.cookie)
                .form(form)
                .send()
                .await
                .unwrap();
        let status = resp.status().as_u16();
        if status == 303 {
            let to = resp.headers()["location"].to_str().unwrap().to_string();
            return self.get(m, &to).await;
        }
        (status, resp.text().await.unwrap())
    }

    pub async fn csrf(&self, m: &Messaging, lead: i64) -> String {
        let (status, html) = self.get(m, &format!("/threads/{lead}")).await;
        assert_eq!(status, 200, "{html}");
        hidden_input(&html, "csrf")
    }
}

pub async fn ana(m: &Messaging) -> i64 {
    m.lead(json!({"first_name": "Ana", "last_name": "Lopez", "phone": "(512) 555-0142", "state": "TX"}))
        .await
}

pub fn outbound(m: &Messaging) -> i64 {
    count(&m.t, "SELECT count(*) FROM messages_out")
}
