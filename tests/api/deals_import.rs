//! Sales (deal) exports in through the import API: kind detection and `?kind=deals`, exact
//! counts with bad rows, ownerships opened and traded-in ones closed, re-import changing
//! nothing, dry run, and the store's deal queries.

use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/dms")
            .join(name),
    )
    .expect("fixture")
}

async fn import(m: &Messaging, body: Vec<u8>, query: &str) -> (u16, Value) {
    let resp =
        m.t.client()
            .post(format!("{}/api/appointments/import{query}", m.t.url))
            .bearer_auth(&m.key)
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn counts(v: &Value) -> [u64; 6] {
    [
        "rows",
        "created",
        "updated",
        "unchanged",
        "errors_total",
        "warnings_total",
    ]
    .map(|k| v[k].as_u64().unwrap())
}

fn issues(v: &Value, which: &str) -> Vec<(u64, String)> {
    v[which]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["row"].as_u64().unwrap(), i["field"].as_str().unwrap().to_string()))
        .collect()
}

/// (lead, active, purchased_at, ended_at, finance_type, term_months, payment) of the VIN's ownerships, oldest first.
type Owned = (
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

fn ownerships(t: &TestApp, vin: &str) -> Vec<Owned> {
    let conn = t.conn();
    let mut stmt = conn
        .prepare(
            "SELECT o.lead_id, o.active, o.purchased_at, o.ended_at, o.finance_type, o.term_months, o.monthly_payment_cents
             FROM ownerships o JOIN vehicles v ON v.id = o.vehicle_id WHERE v.vin = ?1 ORDER BY o.id",
        )
        .unwrap();
    let rows = stmt
        .query_map([vin], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn lead_by_phone(t: &TestApp, phone: &str) -> i64 {
    t.conn()
        .query_row("SELECT id FROM leads WHERE phone_e164 = ?1", [phone], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_cdk_deal_export_opens_and_closes_ownerships_with_exact_counts() {
    let m = setup().await;
    // the service history first: Ana owns her 2019 Accord, Minh his 2021 Camry
    let (status, v) = import(&m, fixture("cdk_ro_export.csv"), "").await;
    assert_eq!((status, v["kind"].as_str()), (200, Some("service")), "{v}");
    let leads_before = count(&m.t, "SELECT count(*) FROM leads");
    let ana = lead_by_phone(&m.t, "+15125550143");
    assert_eq!(ownerships(&m.t, "1HGCV1F39KA012345")[0].1, 1, "Ana's Accord is hers");

    // no kind given: the headers say it is a sales export
    let (status, v) = import(&m, fixture("cdk_deals.csv"), "").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["kind"], "deals", "{v}");
    assert_eq!(counts(&v), [7, 5, 0, 0, 2, 3], "{v}");
    assert_eq!(
        issues(&v, "errors"),
        vec![(4, "deal_number".to_string()), (5, "sold_date".to_string())],
        "{v}"
    );
    assert_eq!(
        issues(&v, "warnings"),
        vec![
            (6, "vin".to_string()),
            (7, "term_months".to_string()),
            (7, "apr".to_string())
        ],
        "{v}"
    );
    assert_eq!(v["columns"]["used"]["DealNo"], "deal_number");
    assert_eq!(v["columns"]["used"]["Trade1 VIN"], "trade_vin");
    assert!(
        v["columns"]["ignored"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h == "Salesperson"),
        "{v}"
    );
    assert_eq!(count(&m.t, "SELECT count(*) FROM deals"), 5);

    // the same customers as the service export: matched, not doubled (Ana, Minh, Kevin)
    assert_eq!(
        count(&m.t, "SELECT count(*) FROM leads"),
        leads_before + 2,
        "Rosa and Terry are new"
    );
    let sold = at("2026-11-02T06:00:00Z").timestamp(); // 11/02/26 in Chicago
                                                       // the new CR-V is Ana's, financed
    assert_eq!(
        ownerships(&m.t, "2HKRS4H74RH100001"),
        vec![(ana, 1, Some(sold), None, Some("loan".into()), Some(72), Some(61_244))]
    );
    // her traded-in Accord is no longer hers from the deal date
    let accord = ownerships(&m.t, "1HGCV1F39KA012345");
    assert_eq!(accord.len(), 1, "{accord:?}");
    assert_eq!((accord[0].0, accord[0].1, accord[0].3), (ana, 0, Some(sold)));
    // Minh leases; his Camry went in trade
    let minh = lead_by_phone(&m.t, "+15125550187");
    let camry = ownerships(&m.t, "4T1G11AK1MU512345");
    assert_eq!((camry[0].0, camry[0].1), (minh, 0), "{camry:?}");
    let (sale_type, apr, condition, vin): (String, i64, String, String) =
        m.t.conn()
            .query_row(
                "SELECT sale_type, apr_bps, condition, vin FROM deals WHERE deal_number = '88102'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(
        (sale_type.as_str(), apr, condition.as_str(), vin.as_str()),
        ("lease", 290, "new", "5YFB4MDE9RP200002")
    );
    // a row whose VIN failed its check digit is imported without it
    assert_eq!(
        count(
            &m.t,
            "SELECT count(*) FROM deals WHERE deal_number = '88106' AND vin IS NULL AND term_months = 84"
        ),
        1
    );

    // the same file again changes nothing
    let snapshot = |t: &TestApp| {
        t.conn()
            .query_row(
                "SELECT (SELECT count(*) FROM ownerships), (SELECT count(*) FROM vehicles), (SELECT count(*) FROM leads),
                        (SELECT max(updated_at) FROM ownerships), (SELECT max(updated_at) FROM deals)",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?)),
            )
            .unwrap()
    };
    let before = snapshot(&m.t);
    let (_, v) = import(&m, fixture("cdk_deals.csv"), "").await;
    assert_eq!(counts(&v), [7, 0, 0, 5, 2, 3], "{v}");
    assert_eq!(snapshot(&m.t), before);

    // what a backtest asks: Ana's deals since November 1st
    let conn = m.t.conn();
    let account = m.account_id;
    let since = at("2026-11-01T00:00:00Z").timestamp();
    let deals = forecourt::store::deals::for_lead_since(&conn, account, ana, since).unwrap();
    assert_eq!(deals.len(), 1);
    assert_eq!(deals[0].deal_number, "88101");
    assert_eq!(deals[0].trade_payoff_cents.map(|c| c.get()), Some(1_240_000));
    assert!(forecourt::store::deals::for_lead_since(&conn, account, ana, sold + 1)
        .unwrap()
        .is_empty());
    let all = forecourt::store::deals::sold_between(&conn, account, since, at("2026-12-01T00:00:00Z").timestamp(), 100)
        .unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn a_tekion_export_by_kind_dry_runs_then_imports_and_resells_a_trade() {
    let m = setup().await;
    let (_, v) = import(&m, fixture("cdk_deals.csv"), "").await;
    assert_eq!(counts(&v)[1], 5, "{v}");
    let ana = lead_by_phone(&m.t, "+15125550143");

    // a dry run reports what would happen and writes nothing
    let (status, v) = import(&m, fixture("tekion_deals.csv"), "?kind=deals&dry_run=true").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["kind"].as_str(), v["dry_run"].as_bool()),
        (Some("deals"), Some(true))
    );
    assert_eq!(counts(&v), [6, 4, 0, 0, 2, 1], "{v}");
    assert_eq!(count(&m.t, "SELECT count(*) FROM deals"), 5);

    let (_, v) = import(&m, fixture("tekion_deals.csv"), "?kind=deals").await;
    assert_eq!(counts(&v), [6, 4, 0, 0, 2, 1], "{v}");
    assert_eq!(
        issues(&v, "errors"),
        vec![(4, "deal_number".to_string()), (6, "sold_date".to_string())],
        "{v}"
    );
    assert_eq!(issues(&v, "warnings"), vec![(5, "sale_type".to_string())], "{v}");
    // the "Total" of a deal export is not a repair order's total
    assert!(
        v["columns"]["ignored"].as_array().unwrap().iter().any(|h| h == "Total"),
        "{v}"
    );

    // Ana's traded-in Accord was sold on, used, to Luis: his from the 7th, hers ended on the 2nd
    let luis = lead_by_phone(&m.t, "+15125550123");
    let accord = ownerships(&m.t, "1HGCV1F39KA012345");
    let (ana_sold, luis_sold) = (
        at("2026-11-02T06:00:00Z").timestamp(),
        at("2026-11-07T06:00:00Z").timestamp(),
    );
    assert_eq!(accord.len(), 2, "{accord:?}");
    assert_eq!((accord[0].0, accord[0].1, accord[0].3), (ana, 0, Some(ana_sold)));
    assert_eq!(
        accord[1],
        (
            luis,
            1,
            Some(luis_sold),
            None,
            Some("loan".into()),
            Some(48),
            Some(35_560)
        )
    );
    // a lease: miles a year kept; a trade-in never seen before is recorded as Priya's, ended
    let (miles, payoff): (i64, i64) =
        m.t.conn()
            .query_row(
                "SELECT lease_miles_per_year, trade_payoff_cents FROM deals WHERE deal_number = 'T-20412'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!((miles, payoff), (12_000, 987_550));
    let priya = lead_by_phone(&m.t, "+15125550154");
    let traded = ownerships(&m.t, "1G1ZD5STXJF123456");
    assert_eq!((traded.len(), traded[0].0, traded[0].1), (1, priya, 0), "{traded:?}");

    // again: nothing changes
    let (_, v) = import(&m, fixture("tekion_deals.csv"), "?kind=deals").await;
    assert_eq!(counts(&v), [6, 0, 0, 4, 2, 1], "{v}");
    assert_eq!(ownerships(&m.t, "1HGCV1F39KA012345"), accord);
}

#[tokio::test]
async fn the_kind_comes_from_the_headers_or_the_query() {
    let m = setup().await;
    // a service export stays a service export
    let (_, v) = import(&m, fixture("reynolds_ro.csv"), "").await;
    assert_eq!(v["kind"], "service", "{v}");
    assert_eq!(count(&m.t, "SELECT count(*) FROM deals"), 0);
    // told it is a deal export, a service export has no deal numbers: every row refused
    let (status, v) = import(&m, fixture("cdk_ro_export.csv"), "?kind=deals&dry_run=true").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["kind"], "deals");
    assert_eq!(v["errors_total"], v["rows"], "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no deal number column"),
        "{v}"
    );
    // an unknown kind is the caller's mistake
    let (status, v) = import(&m, fixture("cdk_deals.csv"), "?kind=parts").await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (400, Some("invalid_kind")),
        "{v}"
    );
    // and `kind=service` on a deal export reads it as visits: no deal is stored
    let (_, v) = import(&m, fixture("cdk_deals.csv"), "?kind=service&dry_run=true").await;
    assert_eq!(v["kind"], "service", "{v}");
}

#[tokio::test]
async fn a_deal_export_dropped_in_the_inbox_is_imported_as_deals_and_filed() {
    let m = setup().await;
    let inbox = m.t.app.config.data_dir.join("inbox").join(m.account_id.to_string());
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("CDK Sales 2026-11-30.csv"), fixture("cdk_deals.csv")).unwrap();
    m.tick("2026-11-30T15:00:00Z").await; // first sight
    m.tick("2026-11-30T15:03:00Z").await; // held still: imported
    assert_eq!(count(&m.t, "SELECT count(*) FROM deals"), 5);
    // two rows were refused: the file is filed in failed/ with its report beside it
    let report = std::fs::read_to_string(inbox.join("failed/CDK Sales 2026-11-30.csv.errors.csv")).unwrap();
    assert!(
        report.contains("4,deal_number,") && report.contains("5,sold_date,"),
        "{report}"
    );
    assert!(report.contains("6,vin,") && report.contains(",warning"), "{report}");
}

#[tokio::test]
async fn a_buyer_already_on_record_as_the_owner_keeps_one_ownership() {
    let m = setup().await;
    // the car's first service visit arrives before the deal does
    let ro = "RO Number,Open Date,Customer Name,Cell Phone,VIN\r\n900001,11/20/2026,\"PARK, JUNE\",512-555-0170,JTMRWRFVXPD500005\r\n";
    let (_, v) = import(&m, ro.as_bytes().to_vec(), "").await;
    assert_eq!(counts(&v)[1], 1, "{v}");
    let deal = "Deal No,Contract Date,Customer,Cell,VIN,Deal Type,Term,Payment\r\n\
                D-77,11/01/2026,June Park,(512) 555-0170,JTMRWRFVXPD500005,Finance,60,$450.00\r\n";
    let (_, v) = import(&m, deal.as_bytes().to_vec(), "").await;
    assert_eq!(
        (v["kind"].as_str(), counts(&v)),
        (Some("deals"), [1, 1, 0, 0, 0, 0]),
        "{v}"
    );
    let june = lead_by_phone(&m.t, "+15125550170");
    assert_eq!(
        ownerships(&m.t, "JTMRWRFVXPD500005"),
        vec![(
            june,
            1,
            Some(at("2026-11-01T05:00:00Z").timestamp()),
            None,
            Some("loan".into()),
            Some(60),
            Some(45_000)
        )]
    );
}
