//! Canned replies: managed in Settings, put in the reply box filled in for the customer.

use super::*;

#[tokio::test]
async fn canned_replies_are_managed_in_settings_and_put_in_the_box_filled_in() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let (status, html) = rep.get(&m, "/settings").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/settings/canned\""));
    let (status, html) = rep.get(&m, "/settings/canned").await;
    assert_eq!(status, 200);
    let csrf = hidden_input(&html, "csrf");
    let canned = || count(&m.t, "SELECT count(*) FROM canned_replies");

    // bad ones: each error beside its field, nothing saved
    let (status, html) = rep
        .post(
            &m,
            "/settings/canned",
            &[("csrf", &csrf), ("shortcut", "not ok!"), ("body", "Hi {nickname}")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("use 1 to 30 letters, digits or hyphens") && html.contains("unknown placeholder {nickname}"),
        "{html}"
    );
    assert!(html.contains(">Hi {nickname}</textarea>"), "what was typed stays");
    let (status, _) = rep
        .post(&m, "/settings/canned", &[("shortcut", "ready"), ("body", "x")])
        .await;
    assert_eq!(status, 403, "no token");
    assert_eq!(canned(), 0);

    let (status, html) = rep
        .post(
            &m,
            "/settings/canned",
            &[
                ("csrf", &csrf),
                ("shortcut", "/Ready"),
                ("body", "Hi {first_name}, your car is ready for pickup."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Save /ready"));
    let (status, html) = rep
        .post(
            &m,
            "/settings/canned",
            &[("csrf", &csrf), ("shortcut", "ready"), ("body", "again")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("there is already a canned reply /ready"), "{html}");
    assert_eq!(canned(), 1);
    let id = count(&m.t, "SELECT id FROM canned_replies");

    // in the conversation: chosen under the box, or typed as /ready, it is put in, not sent
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(
        html.contains("data-text=\"Hi Ana, your car is ready for pickup.\""),
        "{html}"
    );
    let path = format!("/threads/{lead}/reply");
    let id_s = id.to_string();
    let (status, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("body", "Good news!"),
                ("canned", &id_s),
                ("action", "insert"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(">Good news! Hi Ana, your car is ready for pickup.</textarea>"),
        "{html}"
    );
    let (status, html) = rep
        .post(&m, &path, &[("csrf", &csrf), ("body", "/ready"), ("action", "send")])
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(">Hi Ana, your car is ready for pickup.</textarea>"),
        "{html}"
    );
    let (status, html) = rep
        .post(&m, &path, &[("csrf", &csrf), ("body", "/nope"), ("action", "send")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("There is no canned reply /nope"), "{html}");
    let (status, _) = rep
        .post(
            &m,
            &path,
            &[("csrf", &csrf), ("body", ""), ("canned", "99999"), ("action", "insert")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(outbound(&m), 0, "nothing was sent");

    // changed, then deleted; another store cannot touch it
    let (_, html) = rep
        .post(
            &m,
            &format!("/settings/canned/{id}"),
            &[
                ("csrf", &csrf),
                ("shortcut", "ready"),
                ("body", "Your {vehicle} is ready."),
            ],
        )
        .await;
    assert!(html.contains(">Your {vehicle} is ready.</textarea>"), "{html}");
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    m.t.user(other, "eve@hillside.example", PASSWORD);
    let resp = post_login(&m.t, "eve@hillside.example", PASSWORD, None).await;
    let eve = Rep {
        cookie: format!("fc_session={}", set_cookie(&resp, "fc_session").unwrap()),
    };
    let (_, html) = eve.get(&m, "/settings/canned").await;
    assert!(!html.contains("/ready"));
    let eve_csrf = hidden_input(&html, "csrf");
    let (status, _) = eve
        .post(&m, &format!("/settings/canned/{id}/delete"), &[("csrf", &eve_csrf)])
        .await;
    assert_eq!(status, 404);
    let (status, _) = eve
        .post(
            &m,
            &format!("/settings/canned/{id}"),
            &[("csrf", &eve_csrf), ("shortcut", "mine"), ("body", "x")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(canned(), 1);
    let (status, html) = rep
        .post(&m, &format!("/settings/canned/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("No canned replies yet."));
}
