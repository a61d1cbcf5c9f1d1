use super::*;
use crate::ingest::dms::{map_columns, ExportKind};
use std::collections::HashMap;

const TZ: Tz = chrono_tz::America::Chicago;
const LATEST: i32 = 2027;

/// Every row of a deal fixture mapped: (deals, refused rows, warnings).
fn read(bytes: &[u8]) -> (Vec<DealRow>, Vec<RowIssue>, Vec<RowIssue>) {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let mut headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    headers[0] = headers[0].trim_start_matches('\u{feff}').to_string();
    let map = map_columns(&headers, &HashMap::new()).unwrap();
    assert_eq!(ExportKind::detect(&map), ExportKind::Deals);
    let map = map.for_kind(ExportKind::Deals);
    let (mut ok, mut refused, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells: Vec<&str> = record.iter().collect();
        match map_deal_row(&map, i + 1, &cells, TZ, LATEST) {
            Ok((d, w)) => (ok.push(d), warnings.extend(w)).1,
            Err(issue) => refused.push(issue),
        }
    }
    (ok, refused, warnings)
}

fn fields(issues: &[RowIssue]) -> Vec<(usize, &str)> {
    issues.iter().map(|i| (i.row, i.field.as_str())).collect()
}

#[test]
fn a_cdk_deal_export_maps_with_its_bad_rows_reported() {
    let (ok, refused, warnings) = read(include_bytes!("../../../fixtures/dms/cdk_deals.csv"));
    assert_eq!(ok.len(), 5);
    assert_eq!(fields(&refused), vec![(4, "deal_number"), (5, "sold_date")]);
    assert!(refused[0].message.contains("no deal number"), "{:?}", refused[0]);
    assert_eq!(fields(&warnings), vec![(6, "vin"), (7, "term_months"), (7, "apr")]);
    assert!(warnings[0].message.contains("is not a valid VIN"), "{:?}", warnings[0]);

    let ana = &ok[0];
    assert_eq!(ana.deal_number, "88101");
    assert_eq!(ana.sold_at.to_rfc3339(), "2026-11-02T06:00:00+00:00");
    assert_eq!(
        (ana.customer.first_name.as_deref(), ana.customer.last_name.as_deref()),
        (Some("Ana"), Some("Lopez"))
    );
    assert_eq!(ana.customer.phone_e164.as_deref(), Some("+15125550143"));
    assert_eq!(ana.vehicle.vin.as_deref(), Some("2HKRS4H74RH100001"));
    assert_eq!(
        (ana.condition, ana.sale_type),
        (Some(Condition::New), Some(SaleType::Finance))
    );
    assert_eq!(ana.term_months, Some(72));
    assert_eq!(ana.monthly_payment, Some(Cents::new(61_244)));
    assert_eq!(ana.apr.map(Apr::bps), Some(649));
    assert_eq!(ana.amount_financed, Some(Cents::new(3_821_000)));
    assert_eq!(ana.lender.as_deref(), Some("American Honda Finance"));
    let trade = ana.trade.as_ref().unwrap();
    assert_eq!(
        (trade.vin.as_deref(), trade.year, trade.make.as_deref()),
        (Some("1HGCV1F39KA012345"), Some(2019), Some("Honda"))
    );
    assert_eq!(ana.trade_payoff, Some(Cents::new(1_240_000)));

    // a lower-case VIN, a lease, a home phone beside the cell: the cell wins
    let minh = &ok[1];
    assert_eq!(minh.vehicle.vin.as_deref(), Some("5YFB4MDE9RP200002"));
    assert_eq!(minh.sale_type, Some(SaleType::Lease));
    assert_eq!(minh.customer.phone_e164.as_deref(), Some("+15125550187"));
    assert!(minh.customer.phone_is_mobile);
    // cash, used, no terms
    let kevin = &ok[2];
    assert_eq!(
        (kevin.sale_type, kevin.condition, kevin.term_months),
        (Some(SaleType::Cash), Some(Condition::Used), None)
    );
    assert_eq!(kevin.mileage, Some(61_400));
    // a bad VIN is dropped, the deal kept
    assert_eq!(ok[3].vehicle.vin, None);
    assert_eq!(ok[3].vehicle.make.as_deref(), Some("Jeep"));
    // a bad term and rate are dropped, the rest kept
    assert_eq!(
        (ok[4].term_months, ok[4].apr, ok[4].monthly_payment),
        (None, None, Some(Cents::new(31_000)))
    );
}

#[test]
fn a_tekion_deal_export_maps_iso_times_and_lease_miles() {
    let (ok, refused, warnings) = read(include_bytes!("../../../fixtures/dms/tekion_deals.csv"));
    assert_eq!(ok.len(), 4);
    assert_eq!(fields(&refused), vec![(4, "deal_number"), (6, "sold_date")]);
    assert_eq!(fields(&warnings), vec![(5, "sale_type")]);
    assert_eq!(
        ok[0].sold_at.to_rfc3339(),
        "2026-11-05T20:32:00+00:00",
        "14:32 in Chicago"
    );
    assert_eq!(
        (ok[1].lease_miles_per_year, ok[1].sale_type),
        (Some(12_000), Some(SaleType::Lease))
    );
    assert_eq!(ok[1].apr, None);
    assert_eq!(ok[2].sale_type, Some(SaleType::Finance), "a balloon is financed");
    assert_eq!((ok[3].sale_type, ok[3].lease_miles_per_year), (None, Some(15_000)));
}

#[test]
fn a_trade_in_that_is_the_sold_vehicle_is_no_trade() {
    let headers: Vec<String> = ["Deal No", "Sold Date", "Customer", "VIN", "Trade VIN"]
        .map(String::from)
        .to_vec();
    let map = map_columns(&headers, &HashMap::new())
        .unwrap()
        .for_kind(ExportKind::Deals);
    let (d, w) = map_deal_row(
        &map,
        1,
        &[
            "D1",
            "11/02/2026",
            "Ana Lopez",
            "1HGCV1F39KA012345",
            "1hgcv1f39ka012345",
        ],
        TZ,
        LATEST,
    )
    .unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(d.trade, None);
}

#[test]
fn a_deal_number_with_a_control_character_refuses_the_row() {
    let headers: Vec<String> = ["Deal No", "Sold Date", "Customer"].map(String::from).to_vec();
    let map = map_columns(&headers, &HashMap::new())
        .unwrap()
        .for_kind(ExportKind::Deals);
    let issue = map_deal_row(&map, 3, &["D\u{0}1", "11/02/2026", "Ana\u{0}Lopez"], TZ, LATEST).unwrap_err();
    assert_eq!((issue.row, issue.field.as_str()), (3, "deal_number"));
}
