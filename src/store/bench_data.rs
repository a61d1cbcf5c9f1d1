//! Generated data for `forecourt bench`: whole tables written by SQL in one statement each,
//! so millions of rows take seconds, not the import's path. Never used by the product.

use crate::db::WriteTx;
use crate::error::Result;
use rusqlite::{params, Connection};

/// `leads` customers, each with one vehicle, and `events` closed repair orders spread over
/// the three years before `now` (none later than ten days ago, so none is due). Their phase
/// markers are left empty — the worst case for the due-scan indexes, as after importing a
/// DMS's whole history.
pub fn history(conn: &WriteTx, account_id: i64, leads: i64, events: i64, now: i64) -> Result<()> {
    let first_lead: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM leads", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO leads (account_id, phone_e164, first_name, last_name, state, source, status, textable,
                            created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, printf('+1512%07d', 2000000 + i), 'ANA', 'LOPEZ' || i, 'TX', 'dms', 'customer', 1, ?3, ?3 FROM n",
        params![account_id, leads, now - 4 * 365 * 86_400],
    )?;
    let first_vehicle: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM vehicles", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO vehicles (account_id, year, make, model, last_odometer, last_odometer_at, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, 2012 + i % 14, 'HONDA', CASE i % 3 WHEN 0 THEN 'ACCORD' WHEN 1 THEN 'CIVIC' ELSE 'CR-V' END,
                10000 + (i * 7919) % 120000, ?3, ?3, ?3 FROM n",
        params![account_id, leads, now - 30 * 86_400],
    )?;
    conn.execute(
        "INSERT INTO ownerships (account_id, lead_id, vehicle_id, active, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, ?3 + i, ?4 + i, 1, ?5, ?5 FROM n",
        params![account_id, leads, first_lead, first_vehicle, now - 4 * 365 * 86_400],
    )?;
    conn.execute(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, opened_at, closed_at, advisor,
                                     mileage, services_json, total_cents, source, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, 'H' || i, 'repair_order', ?3 + i % ?4, ?5 + i % ?4,
                ?6 - (10 + (i * 37) % 1085) * 86400, ?6 - (10 + (i * 37) % 1085) * 86400 + 4 * 3600,
                'SMITH, JOHN', 20000 + i % 90000,
                CASE i % 4 WHEN 0 THEN '[{\"op_code\":\"LOF\",\"amount_cents\":7995,\"status\":\"performed\"}]'
                           WHEN 1 THEN '[{\"op_code\":\"ROT\",\"amount_cents\":2995,\"status\":\"performed\"}]'
                           WHEN 2 THEN '[{\"op_code\":\"BRKPAD\",\"amount_cents\":24995,\"status\":\"declined\"}]'
                           ELSE '[]' END,
                7995, 'bench', ?6, ?6
         FROM n",
        params![account_id, events, first_lead, leads, first_vehicle, now],
    )?;
    Ok(())
}

/// `count` appointments 36 hours from `now` for the first `count` customers: each is due for
/// its 48-hour text.
pub fn due_appointments(conn: &WriteTx, account_id: i64, count: i64, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, scheduled_at, advisor,
                                     services_json, source, created_at, updated_at)
         SELECT l.account_id, 'DUE' || l.id, 'appointment', l.id, o.vehicle_id, ?3 + 36 * 3600, 'SMITH, JOHN', '[]',
                'bench', ?3, ?3
         FROM leads l JOIN ownerships o ON o.lead_id = l.id AND o.active = 1
         WHERE l.account_id = ?1 ORDER BY l.id LIMIT ?2",
        params![account_id, count, now],
    )?;
    Ok(())
}

/// Undo a bench tick, so the next one starts from the same state: the due visits' sends,
/// texts and markers.
pub fn reset_due(conn: &WriteTx, account_id: i64) -> Result<()> {
    conn.execute("DELETE FROM offer_sends WHERE account_id = ?1", [account_id])?;
    conn.execute("DELETE FROM messages_out WHERE account_id = ?1", [account_id])?;
    conn.execute(
        "UPDATE service_events SET t_minus_48h_done_at = NULL WHERE account_id = ?1 AND external_id LIKE 'DUE%'",
        [account_id],
    )?;
    Ok(())
}

/// Planner statistics for the generated tables, as the maintenance job would gather them.
pub fn analyze(conn: &WriteTx) -> Result<()> {
    conn.execute_batch("ANALYZE; PRAGMA optimize;")?;
    Ok(())
}

/// Of these numbers, how many said STOP and are held to it: the lead opted out and the number
/// suppressed.
pub fn honoured_stops(conn: &Connection, account_id: i64, phones: &[String]) -> Result<usize> {
    let mut stmt = conn.prepare(
        "SELECT EXISTS(SELECT 1 FROM leads WHERE account_id = ?1 AND phone_e164 = ?2 AND opted_out = 1)
            AND EXISTS(SELECT 1 FROM suppressions WHERE account_id = ?1 AND phone_e164 = ?2)",
    )?;
    let mut n = 0;
    for p in phones {
        if stmt.query_row(params![account_id, p], |r| r.get::<_, bool>(0))? {
            n += 1;
        }
    }
    Ok(n)
}

/// Of these MessageSids, how many are stored as inbound texts.
pub fn stored_inbound(conn: &Connection, account_id: i64, sids: &[String]) -> Result<usize> {
    let mut stmt = conn.prepare("SELECT count(*) FROM messages_in WHERE account_id = ?1 AND provider_sid = ?2")?;
    let mut n = 0;
    for sid in sids {
        n += stmt.query_row(params![account_id, sid], |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(n)
}

/// Of these numbers, how many have a lead.
pub fn stored_leads(conn: &Connection, account_id: i64, phones: &[String]) -> Result<usize> {
    let mut stmt = conn.prepare("SELECT count(*) FROM leads WHERE account_id = ?1 AND phone_e164 = ?2")?;
    let mut n = 0;
    for p in phones {
        n += stmt.query_row(params![account_id, p], |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(n)
}

/// Service events the account holds.
pub fn imported_events(conn: &Connection, account_id: i64) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM service_events WHERE account_id = ?1",
        [account_id],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// Job runs recorded, of one outcome or all.
pub fn job_runs(conn: &Connection, outcome: Option<&str>) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM job_runs WHERE ?1 IS NULL OR outcome = ?1",
        [outcome],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// Survey questions texted to the account's customers.
pub fn surveys_asked(conn: &Connection, account_id: i64) -> Result<usize> {
    Ok(conn.query_row(
        "SELECT count(*) FROM question_history WHERE account_id = ?1",
        [account_id],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// The pages bench's customers `from..to` (ids `1 + i`, on a fresh database): first and last
/// names from common lists, distinct phone numbers (+1 512 2000000 + i: a hundred share each
/// last four digits in a million), an email, one vehicle with a distinct VIN (its last six
/// characters are `i`'s) and one repair order numbered `1000000 + i`. Those of the first
/// `conversations` with `i % 50 == 7` said STOP.
pub fn page_customers(tx: &WriteTx, account_id: i64, from: i64, to: i64, conversations: i64, now: i64) -> Result<()> {
    let since = now - 3 * 365 * 86_400;
    tx.execute(
        "INSERT INTO leads (id, account_id, phone_e164, email, first_name, last_name, state, source, status, textable,
                            opted_out, opted_out_at, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3),
         named(i, first, last) AS (
             SELECT i,
                    CASE i % 10 WHEN 0 THEN 'Ana' WHEN 1 THEN 'John' WHEN 2 THEN 'Maria' WHEN 3 THEN 'David'
                        WHEN 4 THEN 'Linda' WHEN 5 THEN 'Jose' WHEN 6 THEN 'Sarah' WHEN 7 THEN 'Kevin'
                        WHEN 8 THEN 'Priya' ELSE 'Minh' END,
                    CASE (i / 10) % 10 WHEN 0 THEN 'Lopez' WHEN 1 THEN 'Smith' WHEN 2 THEN 'Nguyen' WHEN 3 THEN 'Johnson'
                        WHEN 4 THEN 'Garcia' WHEN 5 THEN 'Patel' WHEN 6 THEN 'Kim' WHEN 7 THEN 'Brown'
                        WHEN 8 THEN 'Davis' ELSE 'Reyes' END || CASE WHEN i % 1000 < 10 THEN '' ELSE '-' || (i / 1000) END
             FROM n)
         SELECT 1 + i, ?1, printf('+1512%07d', 2000000 + i), lower(first) || '.' || lower(last) || i || '@example.com',
                first, last, 'TX', 'dms', 'customer', 1,
                i < ?4 AND i % 50 = 7, CASE WHEN i < ?4 AND i % 50 = 7 THEN ?5 END,
                ?6 + i % 1000 * 86400, ?6 + i % 1000 * 86400
         FROM named",
        params![account_id, from, to, conversations, now, since],
    )?;
    tx.execute(
        "INSERT INTO vehicles (id, account_id, vin, year, make, model, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3)
         SELECT 1 + i, ?1, '1HGCV1F3' || (i / 1000000 % 10) || 'LA' || printf('%06d', i % 1000000), 2012 + i % 14,
                'HONDA', CASE i % 3 WHEN 0 THEN 'ACCORD' WHEN 1 THEN 'CIVIC' ELSE 'CR-V' END, ?4, ?4
         FROM n",
        params![account_id, from, to, since],
    )?;
    tx.execute(
        "INSERT INTO ownerships (account_id, lead_id, vehicle_id, active, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3)
         SELECT ?1, 1 + i, 1 + i, 1, ?4, ?4 FROM n",
        params![account_id, from, to, since],
    )?;
    tx.execute(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, opened_at, closed_at, advisor,
                                     services_json, total_cents, source, t_minus_48h_done_at, ro_open_done_at,
                                     t_plus_24h_done_at, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3)
         SELECT ?1, printf('%d', 1000000 + i), 'repair_order', 1 + i, 1 + i, ?4 - (10 + i % 700) * 86400,
                ?4 - (10 + i % 700) * 86400 + 14400, 'SMITH, JOHN', '[]', 7995, 'bench', ?4, ?4, ?4, ?4, ?4
         FROM n",
        params![account_id, from, to, now],
    )?;
    Ok(())
}

/// The pages bench's upsell history: eight offers and one offer texted at each of the first
/// `sends` repair orders (at the RO's opening, spread over two years), one in ten held out,
/// three in ten accepted a day later with the offer's price earned; the visits' advisors are
/// five names in turn. Written through the rollup triggers, as the product writes.
pub fn page_offers(tx: &WriteTx, account_id: i64, sends: i64, now: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO offers (account_id, name, body_template, price_cents, priority, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
         SELECT ?1, 'Bench offer ' || i, 'Hi {first_name}', 2995 + i * 1000, i, ?2, ?2 FROM n",
        params![account_id, now],
    )?;
    tx.execute(
        "UPDATE service_events SET advisor = CASE id % 5 WHEN 0 THEN 'SMITH, JOHN' WHEN 1 THEN 'GARCIA, ANA'
                WHEN 2 THEN 'LEE, DANA' WHEN 3 THEN 'NGUYEN, MIA' ELSE 'BROWN, LUIS' END
          WHERE account_id = ?1 AND id <= ?2",
        params![account_id, sends],
    )?;
    tx.execute(
        "INSERT INTO offer_sends (account_id, offer_id, service_event_id, lead_id, phase, status, accepted, outcome_at,
                                  revenue_attributed_cents, created_at, updated_at)
         SELECT e.account_id, o.id, e.id, e.lead_id, 'ro_open',
                CASE WHEN e.id % 10 = 0 THEN 'held_out' ELSE 'sent' END,
                CASE WHEN e.id % 10 IN (1, 4, 7) THEN 1 END,
                CASE WHEN e.id % 10 IN (1, 4, 7) THEN e.opened_at + 86400 END,
                CASE WHEN e.id % 10 IN (1, 4, 7) THEN o.price_cents ELSE 0 END,
                e.opened_at, e.opened_at
           FROM service_events e JOIN offers o ON o.account_id = e.account_id AND o.priority = 1 + e.id % 8
          WHERE e.account_id = ?1 AND e.id <= ?2",
        params![account_id, sends],
    )?;
    Ok(())
}

/// The inbox's triggers on new texts, taken off (returning what puts them back) while the pages
/// bench writes millions of texts whose conversations it writes itself, set-based.
pub fn take_off_conversation_triggers(tx: &WriteTx) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('conversations_inbound', 'conversations_outbound')",
    )?;
    let sqls = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.execute_batch("DROP TRIGGER IF EXISTS conversations_inbound; DROP TRIGGER IF EXISTS conversations_outbound;")?;
    Ok(sqls)
}

pub fn put_back_triggers(tx: &WriteTx, sqls: &[String]) -> Result<()> {
    for sql in sqls {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// The pages bench's conversations: how many, texts in each, whose they are assigned to, and
/// the moment they lead up to.
#[derive(Debug, Clone, Copy)]
pub struct PageShape {
    pub user_id: i64,
    pub total: i64,
    pub per: i64,
    pub now: i64,
}

/// Conversations `from..to` of the pages bench, `per` texts each (ten minutes apart, the
/// customer's and the store's in turn; every third conversation ends with the customer's),
/// spread over the two years before `now`, and their rows in `conversations`: one in ten
/// closed, one in ten snoozed, one in four assigned to the user, the customer's last word
/// unread in most.
pub fn page_conversations(tx: &WriteTx, account_id: i64, shape: &PageShape, from: i64, to: i64) -> Result<()> {
    let PageShape {
        user_id,
        total,
        per,
        now,
    } = *shape;
    let span = 2 * 365 * 86_400 - per * 600;
    let step = (span / total.max(1)).max(1);
    let start = now - 2 * 365 * 86_400;
    // text k of conversation j: at start + ((j * 7919) % total) * step + k * 600; the
    // customer's when ((per - 1 - k) + (j % 3 != 0)) is even
    let texts = "WITH RECURSIVE n(i) AS (SELECT ?2 * ?4 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?3 * ?4),
         m(j, k, t) AS (SELECT i / ?4, i % ?4, ?5 + ((i / ?4) * 7919 % ?6) * ?7 + (i % ?4) * 600 FROM n)";
    tx.execute(
        &format!(
            "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
             {texts}
             SELECT ?1, 1 + j, 'SMb' || j || '-' || k, printf('+1512%07d', 2000000 + j), '+15125550100',
                    CASE k % 3 WHEN 0 THEN 'Can I bring it in tomorrow morning?' WHEN 1 THEN 'Thanks!'
                         ELSE 'How much would the brakes be?' END, t
             FROM m WHERE ((?4 - 1 - k) + (j % 3 != 0)) % 2 = 0"
        ),
        params![account_id, from, to, per, start, total, step],
    )?;
    tx.execute(
        &format!(
            "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, created_at,
                                       updated_at, sent_at)
             {texts}
             SELECT ?1, 1 + j, 'reply', 'Sure, we have ' || (8 + k % 9) || ':00 open. Reply STOP to opt out.',
                    printf('+1512%07d', 2000000 + j), 'delivered', t, t, t, t
             FROM m WHERE ((?4 - 1 - k) + (j % 3 != 0)) % 2 = 1"
        ),
        params![account_id, from, to, per, start, total, step],
    )?;
    tx.execute(
        "INSERT INTO conversations (account_id, lead_id, status, snoozed_until, assignee_id, last_at, last_inbound,
                                    last_body, unread, opted_out, updated_at)
         WITH RECURSIVE n(j) AS (SELECT ?2 UNION ALL SELECT j + 1 FROM n WHERE j + 1 < ?3),
         c(j, t) AS (SELECT j, ?5 + (j * 7919 % ?6) * ?7 + (?4 - 1) * 600 FROM n)
         SELECT ?1, 1 + j, CASE j % 10 WHEN 0 THEN 'closed' WHEN 1 THEN 'snoozed' ELSE 'open' END,
                CASE WHEN j % 10 = 1 THEN ?8 + 86400 END, CASE WHEN j % 4 = 0 THEN ?9 END, t, j % 3 = 0,
                CASE WHEN j % 3 = 0
                     THEN CASE (?4 - 1) % 3 WHEN 0 THEN 'Can I bring it in tomorrow morning?' WHEN 1 THEN 'Thanks!'
                               ELSE 'How much would the brakes be?' END
                     ELSE 'Sure, we have ' || (8 + (?4 - 1) % 9) || ':00 open. Reply STOP to opt out.' END,
                j % 3 = 0 AND j % 5 != 0, j % 50 = 7, t
         FROM c",
        params![account_id, from, to, per, start, total, step, now, user_id],
    )?;
    Ok(())
}

/// `texts` texts between customer `lead_id` and the store, ten minutes apart, the customer's and
/// the store's in turn, the last a day before `now` (a long conversation for the pages bench;
/// the triggers keep its `conversations` row).
pub fn page_long_conversation(tx: &WriteTx, account_id: i64, lead_id: i64, texts: i64, now: i64) -> Result<()> {
    let start = now - 86_400 - texts * 600;
    tx.execute(
        "INSERT INTO messages_in (account_id, lead_id, provider_sid, from_phone, to_phone, body, received_at)
         WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 2 FROM n WHERE k + 2 < ?3)
         SELECT ?1, ?2, 'SMlong-' || k, (SELECT phone_e164 FROM leads WHERE id = ?2), '+15125550100',
                'Is the loaner still available for Thursday?', ?4 + k * 600 FROM n",
        params![account_id, lead_id, texts, start],
    )?;
    tx.execute(
        "INSERT INTO messages_out (account_id, lead_id, purpose, body, to_phone, status, not_before, created_at,
                                   updated_at, sent_at)
         WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 2 FROM n WHERE k + 2 < ?3)
         SELECT ?1, ?2, 'reply', 'Yes, we have one for you. Reply STOP to opt out.',
                (SELECT phone_e164 FROM leads WHERE id = ?2), 'delivered', ?4 + k * 600, ?4 + k * 600,
                ?4 + k * 600, ?4 + k * 600 FROM n",
        params![account_id, lead_id, texts, start],
    )?;
    Ok(())
}

/// The `n`th conversation of the account's whole list, newest first, as a cursor (`last_at`,
/// `lead_id`): where the bench's "later page" starts. (OFFSET, once, at setup.)
pub fn nth_conversation(conn: &Connection, account_id: i64, n: i64) -> Result<Option<(i64, i64)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT last_at, lead_id FROM conversations WHERE account_id = ?1
             ORDER BY last_at DESC, lead_id DESC LIMIT 1 OFFSET ?2",
            params![account_id, n],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The `n`th lead of the Leads list (newest first) as a cursor (`created_at`, `id`).
pub fn nth_lead(conn: &Connection, account_id: i64, n: i64) -> Result<Option<(i64, i64)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT created_at, id FROM leads WHERE account_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?2",
            params![account_id, n],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Planner statistics sampled (`analysis_limit`), as the maintenance job gathers them: a full
/// ANALYZE of ten million texts would take longer than the bench.
pub fn analyze_sampled(tx: &WriteTx) -> Result<()> {
    tx.execute_batch("PRAGMA analysis_limit = 2000; ANALYZE;")?;
    Ok(())
}

/// `count` owners for the watchlist bench, each with one vehicle (model years 2012–2026), one
/// active ownership (a third each lease over 36 months, loan over 60 or 72, cash; bought over
/// the last 8 years), two repair orders (a quarter of them with a declined line), and for one
/// in ten a surveyed purchase timeframe, one in twenty a trade-in answer.
pub fn owners(conn: &WriteTx, account_id: i64, count: i64, now: i64) -> Result<()> {
    let first_lead: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM leads", [], |r| r.get(0))?;
    let first_vehicle: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM vehicles", [], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO leads (account_id, phone_e164, first_name, last_name, state, source, status, textable,
                            vehicle_interest, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, printf('+1737%07d', i), 'ANA', 'LOPEZ' || i, 'TX', 'dms', 'customer', 1,
                CASE WHEN i % 50 = 0 THEN 'CR-V' END, ?3, ?3 FROM n",
        params![account_id, count, now - 9 * 365 * 86_400],
    )?;
    conn.execute(
        "INSERT INTO vehicles (account_id, year, make, model, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, 2012 + (i * 7) % 15, 'HONDA', CASE i % 3 WHEN 0 THEN 'ACCORD' WHEN 1 THEN 'CIVIC' ELSE 'CR-V' END,
                ?3, ?3 FROM n",
        params![account_id, count, now - 9 * 365 * 86_400],
    )?;
    conn.execute(
        "INSERT INTO ownerships (account_id, lead_id, vehicle_id, purchased_at, finance_type, term_months,
                                 monthly_payment_cents, active, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, ?3 + i, ?4 + i, ?5 - ((i * 7919) % 2920) * 86400,
                CASE i % 3 WHEN 0 THEN 'lease' WHEN 1 THEN 'loan' ELSE 'cash' END,
                CASE i % 3 WHEN 0 THEN 36 WHEN 1 THEN 60 + 12 * (i % 2) END,
                CASE WHEN i % 3 < 2 THEN 30000 + (i * 13) % 40000 END, 1, ?5, ?5 FROM n",
        params![account_id, count, first_lead, first_vehicle, now],
    )?;
    conn.execute(
        "INSERT INTO service_events (account_id, external_id, kind, lead_id, vehicle_id, opened_at, closed_at, advisor,
                                     mileage, services_json, total_cents, source, created_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         SELECT ?1, 'W' || i, 'repair_order', ?3 + i / 2, ?4 + i / 2,
                ?5 - (5 + (i * 37) % 900) * 86400, ?5 - (5 + (i * 37) % 900) * 86400 + 4 * 3600,
                'SMITH, JOHN', 15000 + (i * 7) % 90000 + (i % 2) * 9000,
                CASE i % 4 WHEN 2 THEN '[{\"op_code\":\"BRKPAD\",\"amount_cents\":74995,\"status\":\"declined\"}]'
                           ELSE '[{\"op_code\":\"LOF\",\"amount_cents\":7995,\"status\":\"performed\"}]' END,
                7995 + (i % 5) * 40000, 'bench', ?5, ?5
         FROM n",
        params![account_id, count * 2, first_lead, first_vehicle, now],
    )?;
    conn.execute(
        "INSERT INTO conv_facts (account_id, lead_id, key, value, confidence, source, observed_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 10 FROM n WHERE i + 10 < ?2)
         SELECT ?1, ?3 + i, 'purchase_timeframe', CASE i % 4 WHEN 0 THEN '0-3m' WHEN 1 THEN '3-6m' WHEN 2 THEN '6-12m'
                ELSE 'no_plans' END, 0.9, 'survey', ?4 - (i % 120) * 86400, ?4 FROM n",
        params![account_id, count, first_lead, now],
    )?;
    conn.execute(
        "INSERT INTO conv_facts (account_id, lead_id, key, value, confidence, source, observed_at, updated_at)
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 20 FROM n WHERE i + 20 < ?2)
         SELECT ?1, ?3 + i, 'trade_in_interest', CASE i % 3 WHEN 0 THEN 'no' ELSE 'yes' END, 0.9, 'survey',
                ?4 - (i % 200) * 86400, ?4 FROM n",
        params![account_id, count, first_lead, now],
    )?;
    Ok(())
}

/// One plain read of the rows the watchlist recompute reads for the account (owners with
/// their vehicle and customer, their visits, their facts), adding a column of each so that
/// every row is visited: the bench's baseline. Returns the rows read.
pub fn watchlist_scan(conn: &Connection, account_id: i64, as_of: i64) -> Result<i64> {
    let owners = crate::store::watchlist::load::scan_count(conn, account_id, as_of)?;
    let visits: i64 = conn.query_row(
        "SELECT count(*) + coalesce(sum(mileage), 0) * 0 + coalesce(sum(total_cents), 0) * 0
         FROM service_events WHERE account_id = ?1 AND coalesce(opened_at, closed_at) <= ?2",
        params![account_id, as_of],
        |r| r.get(0),
    )?;
    let facts: i64 = conn.query_row(
        "SELECT count(*) + coalesce(sum(length(value)), 0) * 0 FROM conv_facts WHERE account_id = ?1 AND observed_at <= ?2",
        params![account_id, as_of],
        |r| r.get(0),
    )?;
    Ok(owners + visits + facts)
}
