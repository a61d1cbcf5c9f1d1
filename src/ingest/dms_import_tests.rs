//! The import over more rows than a chunk and a transaction hold: what the two threads and the
//! skipped writes must not change. (The API-level behaviour is in tests/api/imports.rs.)

use super::*;
use crate::db::Db;

struct Fixture {
    _dir: tempfile::TempDir,
    db: Db,
    account_id: i64,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("forecourt.db")).unwrap();
    db.migrate().unwrap();
    let account_id = store::accounts::insert(
        &db.conn().unwrap(),
        &store::accounts::NewAccount {
            name: "Test Motors",
            timezone: "America/Chicago",
            vertical: crate::domain::account::Vertical::Automotive,
            api_key_hash: "x",
            twilio_number: None,
        },
        0,
    )
    .unwrap();
    Fixture {
        _dir: dir,
        db,
        account_id,
    }
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// `n` data rows, customer `i % 7`'s car; every 997th row has no RO number (refused), every
/// 1,009th a bad VIN (a warning), and a blank line after row 10.
fn export(n: usize) -> String {
    let mut s = String::from("RO Number,Open Date,Customer Name,Cell Phone,VIN,Mileage In\r\n");
    for i in 1..=n {
        let ro = if i % 997 == 0 { String::new() } else { format!("R{i}") };
        let vin = if i % 1009 == 0 {
            "NOTAVIN"
        } else {
            ["1HGCM82633A004352", "5FNYF6H53SA013887"][i % 2]
        };
        let c = i % 7;
        s.push_str(&format!(
            "{ro},11/{:02}/2026,\"DOE{c}, JANE\",512-555-01{c:02},{vin},{}\r\n",
            1 + i % 20,
            1000 + i
        ));
        if i == 10 {
            s.push_str(",,,,,\r\n");
        }
    }
    s
}

fn run(f: &Fixture, csv: &str, now: &str, dry_run: bool, progress: &mut dyn FnMut(usize)) -> ImportReport {
    let custom = HashMap::new();
    let opts = ImportOptions {
        account_id: f.account_id,
        tz: chrono_tz::America::Chicago,
        custom: &custom,
        source: "cli",
        dry_run,
        now: at(now),
    };
    import_csv(&mut f.db.conn().unwrap(), &opts, csv.as_bytes(), progress).unwrap()
}

fn count(f: &Fixture, sql: &str) -> i64 {
    f.db.conn().unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn row_numbers_counts_and_progress_over_many_batches() {
    let f = fixture();
    let n = 2 * BATCH + 3 * CHUNK + 17;
    let csv = export(n);
    let mut seen = Vec::new();
    let r = run(&f, &csv, "2026-11-24T15:00:00Z", false, &mut |rows| seen.push(rows));
    let refused: Vec<usize> = (1..=n).filter(|i| i % 997 == 0).collect();
    // row numbers count the blank line after row 10
    let file_row = |i: usize| if i > 10 { i + 1 } else { i };
    assert_eq!(r.rows, n);
    assert_eq!(
        r.errors.iter().map(|e| e.row).collect::<Vec<_>>(),
        refused.iter().map(|&i| file_row(i)).collect::<Vec<_>>()
    );
    let warned: Vec<usize> = (1..=n)
        .filter(|i| i % 1009 == 0 && i % 997 != 0)
        .map(file_row)
        .collect();
    assert_eq!(r.warnings.iter().map(|w| w.row).collect::<Vec<_>>(), warned);
    assert!(r.warnings.iter().all(|w| w.field == "vin"), "{:?}", r.warnings);
    assert_eq!((r.created, r.updated, r.unchanged), (n - refused.len(), 0, 0));
    assert_eq!(
        count(&f, "SELECT count(*) FROM service_events"),
        (n - refused.len()) as i64
    );
    assert_eq!(count(&f, "SELECT count(*) FROM leads"), 7);
    // after each transaction and at the end, rising, ending with every row read
    assert!(seen.len() >= 3 && seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&(n + 1)));
    // each VIN's current owner is the customer of the last row with it
    for (k, vin) in ["1HGCM82633A004352", "5FNYF6H53SA013887"].iter().enumerate() {
        let last = (1..=n)
            .rev()
            .find(|i| i % 2 == k && i % 997 != 0 && i % 1009 != 0)
            .unwrap();
        let owner: String = f
            .db
            .conn()
            .unwrap()
            .query_row(
                "SELECT l.phone_e164 FROM ownerships o JOIN leads l ON l.id = o.lead_id JOIN vehicles v ON v.id = o.vehicle_id
                 WHERE o.active = 1 AND v.vin = ?1",
                [vin],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(owner, format!("+1512555{:04}", 100 + last % 7), "{vin}");
    }
}

#[test]
fn the_same_file_again_is_unchanged_but_touches_what_it_saw() {
    let f = fixture();
    let csv = export(BATCH + 100);
    let first = run(&f, &csv, "2026-11-24T15:00:00Z", false, &mut |_| {});
    let again = run(&f, &csv, "2026-11-25T15:00:00Z", false, &mut |_| {});
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, first.created));
    assert_eq!(again.errors, first.errors);
    // skipping writes that change nothing still stamps every customer, vehicle and current
    // ownership the later import saw (closed ownerships keep their time)
    let later = at("2026-11-25T15:00:00Z").timestamp();
    for table in ["leads", "vehicles", "ownerships WHERE active = 1"] {
        let sql = format!("SELECT min(updated_at) FROM {table}");
        assert_eq!(count(&f, &sql), later, "{table}");
    }
    // the cars changed hands within the file: one active owner each, the others closed
    assert_eq!(count(&f, "SELECT count(*) FROM ownerships WHERE active = 1"), 2);
    assert_eq!(
        count(
            &f,
            "SELECT count(*) FROM ownerships WHERE active = 0 AND ended_at IS NULL"
        ),
        0
    );
}

#[test]
fn a_dry_run_over_many_batches_writes_nothing() {
    let f = fixture();
    let r = run(&f, &export(BATCH + 5), "2026-11-24T15:00:00Z", true, &mut |_| {});
    assert!(r.dry_run);
    assert_eq!(r.created + r.errors.len(), BATCH + 5);
    for table in ["service_events", "leads", "vehicles", "ownerships"] {
        assert_eq!(count(&f, &format!("SELECT count(*) FROM {table}")), 0, "{table}");
    }
}

#[test]
fn the_content_hash_ignores_the_row_number_only() {
    let csv = export(3);
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let map = dms::map_columns(&headers, &HashMap::new()).unwrap();
    let record = reader.records().next().unwrap().unwrap();
    let fields: Vec<&str> = record.iter().collect();
    let (e, _) = dms::map_row(&map, 1, &fields, chrono_tz::America::Chicago, 2027).unwrap();
    let hash = content_hash(&e);
    assert_eq!(content_hash(&EventRow { row: 99, ..e.clone() }), hash);
    assert_ne!(
        content_hash(&EventRow {
            mileage: Some(1),
            ..e.clone()
        }),
        hash
    );
    assert_ne!(
        content_hash(&EventRow {
            first_name: None,
            ..e.clone()
        }),
        hash
    );
    assert_ne!(
        content_hash(&EventRow {
            phone_is_mobile: !e.phone_is_mobile,
            ..e.clone()
        }),
        hash
    );
    // the same text in a neighbouring field is a different row
    let moved = EventRow {
        first_name: e.last_name.clone(),
        last_name: None,
        ..e.clone()
    };
    let kept = EventRow {
        last_name: None,
        ..e.clone()
    };
    assert_ne!(content_hash(&moved), content_hash(&kept));
}
