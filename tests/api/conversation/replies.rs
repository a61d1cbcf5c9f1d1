//! Replying from the conversation page: the verdict, now and at night, send later, bad input,
//! CSRF and account scoping, an opted-out customer, drafts.

use super::*;

#[tokio::test]
async fn a_rep_reads_the_thread_sees_the_verdict_and_replies_now_and_at_night() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    m.inbound("SM1", ANA, "Is my car ready?").await;

    // Tuesday 09:00 in Austin: the gate lets a reply go now
    let (status, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ana Lopez") && html.contains("(512) 555-0142"), "{html}");
    assert!(html.contains("Is my car ready?"));
    assert!(
        html.contains("Tuesday, November 24, 2026"),
        "grouped by day in the account's zone"
    );
    assert!(html.contains("Sends now."), "{html}");
    let csrf = hidden_input(&html, "csrf");

    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[("csrf", &csrf), ("body", "Yes, it is ready!"), ("action", "send")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Reply queued"), "{html}");
    m.tick(T0).await;
    assert_eq!(m.stub.received().last().unwrap().form["Body"], "Yes, it is ready!");
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(html.contains("Yes, it is ready!") && html.contains(">sent<"), "{html}");
    assert!(html.contains(">reply<"), "the purpose is shown");
    assert!(html.contains("by rep@lakeside.example"));

    // 22:00 in Austin: held, and the page says until when, before and after sending
    m.t.clock.set(at("2026-11-25T04:00:00Z"));
    let rep = log_in(&m).await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    let csrf = hidden_input(&html, "csrf");
    assert!(
        html.contains("Will be held until Wed Nov 25 09:00 CST because of"),
        "{html}"
    );
    let (_, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[("csrf", &csrf), ("body", "See you tomorrow."), ("action", "send")],
        )
        .await;
    assert!(html.contains("held until Wed Nov 25 09:00 CST"), "{html}");
    assert!(html.contains("deferred until Wed Nov 25 09:00 CST"), "{html}");
    let sent = m.stub.received().len();
    m.tick("2026-11-25T05:00:00Z").await;
    assert_eq!(m.stub.received().len(), sent, "nothing goes in the night");
    m.tick("2026-11-25T15:00:00Z").await;
    assert_eq!(m.stub.received().last().unwrap().form["Body"], "See you tomorrow.");
}

#[tokio::test]
async fn send_later_at_a_refused_time_is_moved_and_the_page_says_so() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let csrf = rep.csrf(&m, lead).await;
    // 23:30 tonight, account time (Chicago), is quiet hours in Austin too
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("body", "Reminder: pickup tomorrow."),
                ("send_at", "2026-11-24T23:30"),
                ("action", "send"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(
            "You asked for Tue Nov 24 23:30 CST; that time is not allowed, so it was moved to Wed Nov 25 09:00 CST"
        ),
        "{html}"
    );
    // a time that is allowed is kept
    let (_, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("body", "Second reminder."),
                ("send_at", "2026-11-24T14:00"),
                ("action", "send"),
            ],
        )
        .await;
    assert!(html.contains("Reply scheduled for Tue Nov 24 14:00 CST"), "{html}");
}

#[tokio::test]
async fn bad_input_gives_a_clear_message_and_writes_nothing() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let csrf = rep.csrf(&m, lead).await;
    let long = "x".repeat(2000);
    let path = format!("/threads/{lead}/reply");
    for (body, send_at, message) in [
        ("   ", "", "the reply is empty"),
        (
            long.as_str(),
            "",
            "The reply is 2000 characters; a text can be at most 1600",
        ),
        ("Hello", "2026-11-23T10:00", "That time has passed"),
        ("Hello", "next tuesday", "is not a date and time"),
    ] {
        let (status, html) = rep
            .post(
                &m,
                &path,
                &[
                    ("csrf", &csrf),
                    ("body", body),
                    ("send_at", send_at),
                    ("action", "send"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{message}");
        assert!(html.contains(message), "{message}: {html}");
        assert_eq!(outbound(&m), 0, "{message}");
    }
    // what was typed stays in the box
    let (_, html) = rep
        .post(
            &m,
            &path,
            &[
                ("csrf", &csrf),
                ("body", "Keep me"),
                ("send_at", "yesterday"),
                ("action", "send"),
            ],
        )
        .await;
    assert!(html.contains(">Keep me</textarea>"), "{html}");

    // the card: each bad field named beside itself, nothing saved
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/card"),
            &[
                ("csrf", &csrf),
                ("first_name", "Ana"),
                ("email", "ana-at-example"),
                ("state", "Narnia"),
                ("timezone", "Mars/Base"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for m in ["is not an email address", "is not a US state", "is not a time zone"] {
        assert!(html.contains(m), "{m}");
    }
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM leads WHERE state = 'TX' AND email IS NULL"),
        1
    );
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/card"),
            &[
                ("csrf", &csrf),
                ("first_name", "Ana María"),
                ("last_name", "Lopez"),
                ("email", "Ana@Example.com"),
                ("state", "oklahoma"),
                ("timezone", ""),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ana María Lopez") && html.contains("ana@example.com"),
        "{html}"
    );
    assert!(html.contains("state OK"), "the gate now reads Oklahoma: {html}");
}

#[tokio::test]
async fn forms_need_the_session_token_and_another_accounts_customer_is_not_found() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    for (path, form) in [
        (
            format!("/threads/{lead}/reply"),
            vec![("body", "Hi"), ("action", "send")],
        ),
        (format!("/threads/{lead}/card"), vec![("first_name", "Eve")]),
        (format!("/threads/{lead}/offers/suppress"), vec![("suppress", "1")]),
        (
            format!("/threads/{lead}/offers/1/outcome"),
            vec![("outcome", "accepted")],
        ),
    ] {
        let mut with_forged = form.clone();
        with_forged.push(("csrf", "forged"));
        for f in [form, with_forged] {
            let (status, html) = rep.post(&m, &path, &f).await;
            assert_eq!(status, 403, "{path}");
            assert!(html.contains("Form expired"));
        }
    }
    assert_eq!(outbound(&m), 0);
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE first_name = 'Eve' OR offers_suppressed_at IS NOT NULL"
        ),
        0
    );

    // another store's customer: every route is a 404, nothing written
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    let stranger = m.t.write(|tx| {
        forecourt::store::leads::insert(
            tx,
            other,
            &forecourt::store::leads::NewLead {
                phone_e164: Some("+15125550199".into()),
                first_name: Some("Zed".into()),
                ..Default::default()
            },
            0,
        )
    });
    let csrf = rep.csrf(&m, lead).await;
    let (status, html) = rep.get(&m, &format!("/threads/{stranger}")).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Zed"));
    for (path, form) in [
        (
            format!("/threads/{stranger}/reply"),
            vec![("csrf", csrf.as_str()), ("body", "Hi"), ("action", "send")],
        ),
        (
            format!("/threads/{stranger}/reply"),
            vec![("csrf", csrf.as_str()), ("body", ""), ("action", "send")],
        ),
        (
            format!("/threads/{stranger}/card"),
            vec![("csrf", csrf.as_str()), ("first_name", "Eve")],
        ),
        (
            format!("/threads/{stranger}/offers/suppress"),
            vec![("csrf", csrf.as_str()), ("suppress", "1")],
        ),
    ] {
        let (status, _) = rep.post(&m, &path, &form).await;
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(outbound(&m), 0);
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM leads WHERE first_name = 'Eve' OR offers_suppressed_at IS NOT NULL"
        ),
        0
    );
    let (status, _) = rep.get(&m, "/threads/99999").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_box_refuses_a_customer_who_opted_out_and_writes_nothing() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    m.inbound("SM5", ANA, "STOP").await;
    let before = outbound(&m);
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(html.contains("Blocked: opted out (texted STOP or said so)"), "{html}");
    assert!(html.contains("Opted out (texted STOP)"), "the STOP is in the thread");
    assert!(html.contains("id=\"send-reply\" disabled"), "{html}");
    let csrf = hidden_input(&html, "csrf");
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[("csrf", &csrf), ("body", "Are you sure?"), ("action", "send")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Not sent: opted out (texted STOP or said so)"), "{html}");
    assert_eq!(outbound(&m), before, "nothing written");
}

#[tokio::test]
async fn a_drafted_reply_is_edited_and_approved_through_the_gate_and_the_nav_counts_drafts() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    m.inbound("SM2", ANA, "Can I bring it in Friday?").await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(
        html.contains("id=\"drafts-waiting\""),
        "the navigation counts the waiting draft"
    );
    assert!(html.contains("A drafted reply (template) is in the box"), "{html}");
    let draft_id = hidden_input(&html, "draft_id");
    let csrf = hidden_input(&html, "csrf");
    let (status, html) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("draft_id", &draft_id),
                ("body", "Friday at 10 works. See you then!"),
                ("action", "approve"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Reply queued"), "{html}");
    assert!(!html.contains("id=\"drafts-waiting\""), "no draft waits any more");
    assert!(!html.contains("A drafted reply"));
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM reply_drafts WHERE status = 'approved' AND message_out_id IS NOT NULL"
        ),
        1
    );
    m.tick(T0).await;
    assert_eq!(
        m.stub.received().last().unwrap().form["Body"],
        "Friday at 10 works. See you then!"
    );

    // a second draft, discarded: nothing is sent
    m.inbound("SM3", ANA, "Thanks, what about a loaner?").await;
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    let draft_id = hidden_input(&html, "draft_id");
    let before = outbound(&m);
    let (status, _) = rep
        .post(
            &m,
            &format!("/threads/{lead}/reply"),
            &[
                ("csrf", &csrf),
                ("draft_id", &draft_id),
                ("body", "x"),
                ("action", "discard"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(outbound(&m), before);
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM reply_drafts WHERE status = 'discarded'"),
        1
    );
}
