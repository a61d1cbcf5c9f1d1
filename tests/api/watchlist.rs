//! The next-to-buy watchlist over real HTTP with a fixed clock: a hand-made population
//! recomputed at a fixed `as_of` ranks as a manager would expect; every score is its reasons
//! added up; the API, the CSV and the page agree; weights re-rank; bad weights are named.

use crate::inbox_list::sign_in;
use crate::support::*;
use chrono::NaiveDate;
use forecourt::domain::account::Vertical;
use forecourt::domain::customer::FinanceType;
use forecourt::store::{leads, vehicles};
use serde_json::{json, Value};

const AS_OF: &str = "2026-11-24T15:00:00Z";

struct Store {
    t: TestApp,
    account_id: i64,
    key: String,
}

fn unix(day: &str) -> i64 {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

impl Store {
    async fn new() -> Store {
        let t = TestApp::spawn().await;
        let (account_id, key) = t.account("Lakeside Honda", Vertical::Automotive);
        Store { t, account_id, key }
    }

    /// A customer owning a vehicle of `year` bought on `bought` with `finance` over `term` months.
    fn owner(&self, name: &str, phone: &str, year: i32, bought: &str, finance: FinanceType, term: Option<i64>) -> i64 {
        let now = self.t.clock_now();
        let account_id = self.account_id;
        self.t.write(|tx| {
            let lead = leads::insert(
                tx,
                account_id,
                &leads::NewLead {
                    phone_e164: Some(phone.into()),
                    first_name: Some(name.into()),
                    last_name: Some("Test".into()),
                    source: "dms".into(),
                    textable: true,
                    ..leads::NewLead::default()
                },
                now,
            )?;
            let vehicle = vehicles::insert(
                tx,
                account_id,
                &vehicles::NewVehicle {
                    year: Some(year),
                    make: Some("HONDA".into()),
                    model: Some("ACCORD".into()),
                    ..vehicles::NewVehicle::default()
                },
                now,
            )?;
            vehicles::insert_ownership(
                tx,
                account_id,
                &vehicles::NewOwnership {
                    lead_id: lead,
                    vehicle_id: vehicle,
                    purchased_at: Some(unix(bought)),
                    finance_type: Some(finance),
                    term_months: term,
                    monthly_payment_cents: term.map(|_| 45_000),
                },
                now,
            )?;
            Ok(lead)
        })
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .t
            .client()
            .get(format!("{}{path}", self.t.url))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn put_weights(&self, body: Value) -> (u16, Value) {
        let resp = self
            .t
            .client()
            .put(format!("{}/api/watchlist/weights", self.t.url))
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn recompute(&self, as_of: &str) -> Value {
        let resp = self
            .t
            .client()
            .post(format!("{}/api/internal/scores/recompute?as_of={as_of}", self.t.url))
            .bearer_auth(&self.t.admin_key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    async fn csv(&self, query: &str) -> String {
        let resp = self
            .t
            .client()
            .get(format!("{}/api/watchlist.csv{query}", self.t.url))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        resp.text().await.unwrap()
    }
}

/// The population: a lease ending in 3 months, a 2-year-old loan, last month's cash buyer, an
/// opted-out lease customer, and a customer whose vehicle was sold (no active ownership).
struct Population {
    lease: i64,
    loan: i64,
    cash: i64,
    opted_out: i64,
    sold: i64,
}

fn population(s: &Store) -> Population {
    let lease = s.owner("Lena", "+15125550101", 2024, "2024-02-15", FinanceType::Lease, Some(36));
    let loan = s.owner("Luis", "+15125550102", 2022, "2024-11-24", FinanceType::Loan, Some(60));
    let cash = s.owner("Cara", "+15125550103", 2026, "2026-10-24", FinanceType::Cash, None);
    let opted_out = s.owner("Omar", "+15125550104", 2023, "2024-01-10", FinanceType::Lease, Some(36));
    let sold = s.owner("Sam", "+15125550105", 2015, "2016-01-10", FinanceType::Loan, Some(60));
    let c = s.t.conn();
    c.execute(
        "UPDATE leads SET opted_out = 1, opted_out_at = ?2 WHERE id = ?1",
        [opted_out, unix("2026-06-01")],
    )
    .unwrap();
    c.execute(
        "UPDATE ownerships SET active = 0, ended_at = ?2 WHERE lead_id = ?1",
        [sold, unix("2026-09-01")],
    )
    .unwrap();
    Population {
        lease,
        loan,
        cash,
        opted_out,
        sold,
    }
}

fn ids(list: &Value) -> Vec<i64> {
    list["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["lead_id"].as_i64().unwrap())
        .collect()
}

fn position(order: &[i64], id: i64) -> usize {
    order
        .iter()
        .position(|x| *x == id)
        .unwrap_or_else(|| panic!("{id} not on the list"))
}

#[tokio::test]
async fn recompute_ranks_the_population_and_every_score_is_its_reasons_added_up() {
    let s = Store::new().await;
    let p = population(&s);
    s.t.clock.set(at(AS_OF));
    let run = s.recompute(AS_OF).await;
    assert_eq!(run["counts"]["scored"], 4, "{run}");
    assert_eq!(run["counts"]["opted_out"], 1, "{run}");

    let (status, list) = s.get("/api/watchlist").await;
    assert_eq!(status, 200, "{list}");
    let order = ids(&list);
    assert_eq!(order.len(), 4, "the sold vehicle's customer is not on the list: {list}");
    assert!(!order.contains(&p.sold));
    assert!(position(&order, p.lease) < position(&order, p.loan), "{list}");
    assert!(position(&order, p.loan) < position(&order, p.cash), "{list}");

    for c in list["customers"].as_array().unwrap() {
        let sum: u64 = c["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["points"].as_u64().unwrap())
            .sum();
        assert_eq!(c["score"].as_u64().unwrap(), sum.min(100), "{c}");
        for r in c["reasons"].as_array().unwrap() {
            assert!(r["factor"].is_string() && r["text"].is_string(), "{r}");
        }
    }
    let lease = &list["customers"][position(&order, p.lease)];
    assert_eq!(lease["window"], "0-3m", "{lease}");
    assert_eq!(lease["reasons"][0]["factor"], "lease_end");
    assert_eq!(lease["reasons"][0]["text"], "Lease ends in 3 months");
    assert_eq!(lease["ownership_end"], "2027-02-15");
    assert_eq!(lease["phone"], "+15125550101");
    assert_eq!(lease["vehicle"], "2024 HONDA ACCORD");
    let omar = &list["customers"][position(&order, p.opted_out)];
    assert_eq!(omar["opted_out"], true, "scored but marked: {omar}");
    assert_eq!(
        list["counts"]["0-3m"].as_i64().unwrap()
            + list["counts"]["12m+"].as_i64().unwrap()
            + list["counts"]["3-6m"].as_i64().unwrap()
            + list["counts"]["6-12m"].as_i64().unwrap(),
        4
    );

    // keyset pages: one at a time gives the same order
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let (status, page) = s.get(&format!("/api/watchlist?limit=1{cursor}")).await;
        assert_eq!(status, 200, "{page}");
        paged.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(paged, order);

    // the window filter and min_score
    let (_, soon) = s.get("/api/watchlist?window=0-3m").await;
    assert!(ids(&soon).contains(&p.lease));
    assert!(soon["customers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["window"] == "0-3m"));
    let (_, high) = s.get("/api/watchlist?min_score=1").await;
    assert!(!ids(&high).contains(&p.cash), "{high}");
    let (status, bad) = s.get("/api/watchlist?window=soon").await;
    assert_eq!(status, 400, "{bad}");
    assert!(bad["error"]["message"].as_str().unwrap().starts_with("window"), "{bad}");

    // the CSV has the same customers, in the same order, with the same scores
    let csv = s.csv("").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let csv_ids: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(csv_ids, order);
    for (row, c) in rows.iter().zip(list["customers"].as_array().unwrap()) {
        assert_eq!(row[4].parse::<u64>().unwrap(), c["score"].as_u64().unwrap());
        assert_eq!(&row[5], c["window"].as_str().unwrap());
        // a phone number starts with + and goes through spreadsheet_safe
        assert_eq!(&row[2], format!("'{}", c["phone"].as_str().unwrap()));
    }

    // recomputing the same day changes nothing (no new history)
    let again = s.recompute(AS_OF).await;
    assert_eq!(again["counts"]["changed"], 0, "{again}");
}

#[tokio::test]
async fn weights_re_rank_and_bad_weights_are_named_field_by_field() {
    let s = Store::new().await;
    let p = population(&s);
    s.t.clock.set(at(AS_OF));
    s.recompute(AS_OF).await;
    let (_, before) = s.get("/api/watchlist").await;
    let order = ids(&before);
    assert!(position(&order, p.lease) < position(&order, p.loan));

    let (status, w) = s.get("/api/watchlist/weights").await;
    assert_eq!(status, 200);
    assert_eq!(w["weights"]["lease_end"], 35, "the defaults: {w}");
    assert_eq!(w["factors"].as_array().unwrap().len(), 15);

    let (status, err) = s
        .put_weights(json!({"lease_end": 150, "colour": 3, "trade_in": "x"}))
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["code"], "invalid_weights");
    for field in ["lease_end", "colour", "trade_in"] {
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
    let (status, err) = s
        .put_weights(json!({
            "finance_term": 0, "payments_left": 0, "lease_end": 0, "lease_mileage": 0, "vehicle_age": 0,
            "vehicle_mileage": 0, "warranty_expired": 0, "last_visit": 0, "repair_spend": 0,
            "declined_work": 0, "timeframe": 0, "trade_in": 0, "recent_lead": 0, "vehicle_interest": 0,
            "asked_new_vehicle": 0
        }))
        .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["total"].is_string(), "{err}");
    let (_, unchanged) = s.get("/api/watchlist/weights").await;
    assert_eq!(unchanged["weights"]["lease_end"], 35, "nothing stored: {unchanged}");

    // the loan's term counts for everything, the lease's end for nothing
    let (status, w) = s.put_weights(json!({"lease_end": 0, "finance_term": 100})).await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["weights"]["finance_term"], 100);
    s.recompute(AS_OF).await;
    let (_, after) = s.get("/api/watchlist").await;
    let order = ids(&after);
    assert!(position(&order, p.loan) < position(&order, p.lease), "{after}");
    let loan = &after["customers"][position(&order, p.loan)];
    assert_eq!(loan["trend"], "up", "{loan}");
}
#[tokio::test]
async fn the_page_shows_the_same_list_and_the_dashboard_counts_it() {
    let s = Store::new().await;
    let p = population(&s);
    s.t.clock.set(at(AS_OF));
    let rep = sign_in(&s.t, s.account_id, "manager@lakeside.example").await;
    let thread = format!("/threads/{}", p.lease);
    let (_, card) = rep.get(&s.t, &thread).await;
    assert!(card.contains("Not scored yet"), "{card}");
    s.recompute(AS_OF).await;
    let (_, list) = s.get("/api/watchlist").await;

    let (status, html) = rep.get(&s.t, "/watchlist").await;
    assert_eq!(status, 200);
    // the customers in the API's order, each linking to their conversation
    let mut last = 0;
    for c in list["customers"].as_array().unwrap() {
        let link = format!("/threads/{}", c["lead_id"]);
        let at = html.find(&link).unwrap_or_else(|| panic!("{link} not on the page"));
        assert!(at > last, "{link} out of order");
        last = at;
        assert!(html.contains(&format!("data-score=\"{}\"", c["score"])), "{c}");
    }
    assert!(
        html.contains("Lease ends in 3 months (+35)"),
        "the top reasons in words"
    );
    assert!(html.contains("/api/watchlist.csv") || html.contains("/watchlist.csv"));
    // the customer's card in their conversation shows the same score, window and reasons
    let lease = list["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["lead_id"] == p.lease)
        .unwrap();
    let (_, card) = rep.get(&s.t, &thread).await;
    assert!(
        card.contains(&format!(
            "<strong class=\"score-number\">{}</strong> of 100 · likely to buy within 3 months",
            lease["score"]
        )) && card.contains("<li>Lease ends in 3 months (+35)</li>")
            && !card.contains("Not scored yet"),
        "{lease}"
    );
    let (_, tab) = rep.get(&s.t, "/watchlist?window=0-3m").await;
    assert!(tab.contains(&format!("/threads/{}", p.lease)));
    assert!(!tab.contains(&format!("/threads/{}\"", p.cash)));

    let (status, dash) = rep.get(&s.t, "/").await;
    assert_eq!(status, 200);
    assert!(
        dash.contains("/watchlist?window=0-3m"),
        "the dashboard card links to each tab"
    );
}

#[tokio::test]
async fn a_manager_tunes_the_weights_in_the_browser_with_errors_beside_their_fields() {
    let s = Store::new().await;
    let rep = sign_in(&s.t, s.account_id, "manager@lakeside.example").await;
    let (status, html) = rep.get(&s.t, "/watchlist/weights").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"w-lease_end\"") && html.contains("value=\"35\""),
        "the defaults are shown"
    );
    assert!(html.contains("Experian"), "each factor's source is shown");

    let post = |fields: Vec<(&'static str, String)>| {
        let client = s.t.client();
        let url = format!("{}/watchlist/weights", s.t.url);
        let cookie = rep.cookie.clone();
        async move {
            let resp = client
                .post(url)
                .header("cookie", cookie)
                .form(&fields)
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            (
                status,
                resp.headers().get("location").map(|l| l.to_str().unwrap().to_string()),
                resp.text().await.unwrap(),
            )
        }
    };
    let (status, _, html) = post(vec![("csrf", rep.csrf.clone()), ("lease_end", "150".into())]).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("id=\"lease_end-error\">must be a whole number 0 to 100"),
        "{html}"
    );
    assert!(html.contains("value=\"150\""), "what was typed stays in the field");
    let (status, _, _) = post(vec![("csrf", "forged".into()), ("lease_end", "40".into())]).await;
    assert_eq!(status, 403, "no CSRF token, nothing saved");
    let (_, w) = s.get("/api/watchlist/weights").await;
    assert_eq!(w["weights"]["lease_end"], 35);

    let mut fields: Vec<(&'static str, String)> = vec![("csrf", rep.csrf.clone())];
    for f in forecourt::domain::watchlist::FACTORS {
        let points = if f.factor.as_str() == "lease_end" {
            40
        } else {
            f.default_points
        };
        fields.push((f.factor.as_str(), points.to_string()));
    }
    let (status, location, _) = post(fields).await;
    assert_eq!((status, location.as_deref()), (303, Some("/watchlist/weights?saved=1")));
    let (_, w) = s.get("/api/watchlist/weights").await;
    assert_eq!(w["weights"]["lease_end"], 40);
}
