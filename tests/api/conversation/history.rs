//! The conversation's history: keyset pages, a long conversation's cost, the live stream.

use super::*;

#[tokio::test]
async fn a_long_conversation_is_paged_by_cursor_and_read_through_indexes() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    {
        let conn = m.t.conn();
        let base = at(T0).timestamp() - 200 * 60;
        for i in 0..120 {
            conn.execute(
                "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, '+15125550100', ?5, ?6)",
                rusqlite::params![
                    m.account_id,
                    lead,
                    format!("SMX{i}"),
                    ANA,
                    format!("text number {i}"),
                    base + i * 60
                ],
            )
            .unwrap();
        }
    }
    let (_, html) = rep.get(&m, &format!("/threads/{lead}")).await;
    assert!(html.contains("text number 119") && html.contains("text number 70"));
    assert!(!html.contains("text number 69<"), "only the latest 50");
    let start = html.find("/threads/").unwrap();
    let link = html[html.find("id=\"earlier\" href=\"").unwrap() + 19..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(start > 0 && link.contains("?before="), "{link}");
    let (_, older) = rep.get(&m, &link).await;
    assert!(older.contains("text number 69<") && older.contains("text number 20<"));
    assert!(!older.contains("text number 70<"));
    let link = older[older.find("id=\"earlier\" href=\"").unwrap() + 19..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (_, oldest) = rep.get(&m, &link).await;
    assert!(oldest.contains("text number 0<") && !oldest.contains("id=\"earlier\""));
    let (status, _) = rep.get(&m, &format!("/threads/{lead}?before=garbage")).await;
    assert_eq!(status, 400);

    let conn = m.t.app.db.conn().unwrap();
    for plan in forecourt::store::conversation::explain(&conn).unwrap() {
        // the live fingerprint is one row of subqueries ("SCAN CONSTANT ROW"), each a search
        let plan = plan.replace("SCAN CONSTANT ROW; ", "");
        assert!(!scans_a_table(&plan), "{plan}");
    }
}

/// A customer with 2,000 texts (half each way, over a year): the page shows the latest 50 and
/// costs what they cost, not what the whole conversation does.
#[tokio::test]
async fn a_conversation_of_two_thousand_texts_renders_fast() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    {
        let mut conn = m.t.conn();
        let tx = conn.transaction().unwrap();
        let start = at(T0).timestamp() - 365 * 86_400;
        for i in 0..1000i64 {
            let t = start + i * 31_000;
            tx.execute(
                "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, '+15125550100', ?5, ?6)",
                rusqlite::params![m.account_id, lead, format!("SMB{i}"), ANA, format!("question {i}"), t],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, created_by,
                                           created_at, updated_at, sent_at)
                 VALUES (?1, ?2, 'reply', ?3, ?4, 'delivered', ?5, 'rep@lakeside.example', ?5, ?5, ?5)",
                rusqlite::params![m.account_id, lead, format!("answer {i}"), ANA, t + 600],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let path = format!("/threads/{lead}");
    rep.get(&m, &path).await; // warm the statement cache
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let (status, html) = rep.get(&m, &path).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
        assert!(html.contains("answer 999") && html.contains("question 975") && !html.contains("question 974<"));
    }
    times.sort();
    let median = times[2];
    eprintln!("conversation of 2,000 texts: median {median:?} (debug build)");
    assert!(median < std::time::Duration::from_millis(500), "{times:?}");
}

#[tokio::test]
async fn the_live_stream_says_when_the_conversation_changes() {
    let m = setup().await;
    let lead = ana(&m).await;
    let rep = sign_in(&m).await;
    let mut resp =
        m.t.client()
            .get(format!("{}/threads/{lead}/events", m.t.url))
            .header("cookie", &rep.cookie)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    m.inbound("SM6", ANA, "Running late, 10 minutes").await;
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let c = resp.chunk().await.unwrap().expect("the stream stays open");
            let text = String::from_utf8_lossy(&c).to_string();
            if text.contains("event: changed") {
                return text;
            }
        }
    })
    .await
    .expect("a changed event within seconds");
    assert!(chunk.contains("data: "), "{chunk}");
    // another store's customer has no stream
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    let stranger = m.t.write(|tx| {
        forecourt::store::leads::insert(
            tx,
            other,
            &forecourt::store::leads::NewLead {
                phone_e164: Some("+15125550199".into()),
                ..Default::default()
            },
            0,
        )
    });
    let (status, _) = rep.get(&m, &format!("/threads/{stranger}/events")).await;
    assert_eq!(status, 404);
}

/// Opening a conversation reads it: the inbox's unread marker goes (only for this store's
/// customer; an earlier page of the history does not count).
#[tokio::test]
async fn opening_a_conversation_marks_it_read() {
    let m = setup().await;
    let rep = sign_in(&m).await;
    let ana = ana(&m).await;
    m.inbound("SMread1", "+15125550142", "Is my car ready?").await;
    let unread = || count(&m.t, &format!("SELECT unread FROM conversations WHERE lead_id = {ana}"));
    assert_eq!(unread(), 1);
    let (status, _) = rep.get(&m, &format!("/threads/{ana}")).await;
    assert_eq!(status, 200);
    assert_eq!(unread(), 0);
}

/// A stored VIN whose check digit fails (written by an earlier version, generated data or by
/// hand; position 9 is a check digit only in North America) does not make its customer's page
/// a 500: the card shows it as it is.
#[tokio::test]
async fn a_stored_vin_with_a_wrong_check_digit_still_shows() {
    let m = setup().await;
    let rep = sign_in(&m).await;
    let ana = ana(&m).await;
    m.t.write(|tx| {
        tx.execute_batch(&format!(
            "INSERT INTO vehicles (id, account_id, vin, year, make, model, created_at, updated_at)
             VALUES (900, {account}, '1HGCV1F30LA019999', 2020, 'HONDA', 'ACCORD', 0, 0);
             INSERT INTO ownerships (account_id, lead_id, vehicle_id, active, created_at, updated_at)
             VALUES ({account}, {ana}, 900, 1, 0, 0);",
            account = m.account_id
        ))?;
        Ok(())
    });
    let (status, html) = rep.get(&m, &format!("/threads/{ana}")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("1HGCV1F30LA019999"), "{html}");
}

/// The inbox list's live stream: a text in (or out) anywhere in the store is a `changed`
/// event; another store's texts are not.
#[tokio::test]
async fn the_inbox_stream_says_when_a_text_comes_in() {
    let m = setup().await;
    ana(&m).await;
    let rep = sign_in(&m).await;
    let mut resp =
        m.t.client()
            .get(format!("{}/threads/events", m.t.url))
            .header("cookie", &rep.cookie)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    // another store's text moves nothing here
    let (other, _) = m.t.account("Hillside Ford", Vertical::Automotive);
    m.t.write(|tx| {
        let lead = forecourt::store::leads::insert(
            tx,
            other,
            &forecourt::store::leads::NewLead {
                phone_e164: Some("+15125550199".into()),
                ..Default::default()
            },
            0,
        )?;
        tx.execute(
            "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
             VALUES (?1, ?2, 'SMother', '+15125550199', '+15125550999', 'hello', 1795000000)",
            rusqlite::params![other, lead],
        )?;
        Ok(())
    });
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(2500), async {
        loop {
            let c = resp.chunk().await.unwrap().expect("open");
            if String::from_utf8_lossy(&c).contains("event: changed") {
                return;
            }
        }
    })
    .await;
    assert!(quiet.is_err(), "another store's text is no news here");
    m.inbound("SM-inbox-live", ANA, "On my way").await;
    tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let c = resp.chunk().await.unwrap().expect("the stream stays open");
            if String::from_utf8_lossy(&c).contains("event: changed") {
                return;
            }
        }
    })
    .await
    .expect("a changed event within seconds");
}
