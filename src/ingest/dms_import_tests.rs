//! The import over more rows than a chunk and a transaction hold: what the two threads and the
//! skipped writes must not change. (The API-level behaviour is in tests/api/imports.rs.)

use super::row_hash::content_hash;
use super::*;
use crate::db::Db;
use crate::ingest::dms::{EventRow, RowIssue};

struct Fixture {
    _dir: tempfile::TempDir,
    db: Db,
    account_id: i64,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("forecourt.db")).unwrap();
    db.migrate().unwrap();
    let account_id = db
        .conn()
        .unwrap()
        .write_with(|tx| {
            store::accounts::insert(
                tx,
                &store::accounts::NewAccount {
                    name: "Test Motors",
                    timezone: chrono_tz::America::Chicago,
                    vertical: crate::domain::account::Vertical::Automotive,
                    api_key_hash: "x",
                    twilio_number: None,
                },
                0,
            )
        })
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
        reports: None,
        kind: None,
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

/// `n` rows over 300 customers and 200 cars, deterministic from `seed`: customers without a
/// phone (found by email) and without either (found by name + VIN), emails that change and
/// change back mid-file or move to another customer's, cell and home numbers, cars that change
/// hands and come back, odometer readings out of order, names and addresses that come and go,
/// and RO numbers met again with other lines.
fn repeating_export(n: usize, seed: u64) -> String {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut s = String::from(
        "RO Number,Open Date,First Name,Last Name,Cell Phone,Home Phone,Email,Address,City,VIN,Make,Mileage In,Op Codes\r\n",
    );
    for i in 1..=n {
        let c: usize = rng.random_range(0..300);
        let phone = format!("512-55{}-{:04}", 1 + c / 100, c);
        let (cell, home) = match (c % 5, rng.random_range(0..4)) {
            (0, _) => (String::new(), String::new()),
            (_, 0) => (String::new(), phone),
            _ => (phone, String::new()),
        };
        let email = match (c % 10, rng.random_range(0..20)) {
            (0, _) => String::new(),
            (_, 0 | 1) => format!("c{c}.new@example.com"),
            (_, 2) => format!("c{}@example.com", (c + 1) % 300),
            (_, 3) => format!("C{c}@Example.com"),
            (_, 4) => String::new(),
            _ => format!("c{c}@example.com"),
        };
        let first = ["ANN", "ANN", "ANNE", ""][rng.random_range(0..4usize)];
        let address = if rng.random_range(0..2) == 0 {
            format!("{} MAIN ST", c)
        } else {
            String::new()
        };
        let city = ["AUSTIN", "AUSTIN", "ROUND ROCK", ""][rng.random_range(0..4usize)];
        let car = if rng.random_range(0..6) == 0 {
            rng.random_range(0..200)
        } else {
            c % 200
        };
        let vin = crate::domain::vin::synthesize("1HG", "CV1F3", 2015 + (car % 5) as i32, 'A', car as u32);
        let make = ["HONDA", "", "Honda"][rng.random_range(0..3usize)];
        let mileage = if rng.random_range(0..5) == 0 {
            String::new()
        } else {
            (rng.random_range(0..40) * 1000).to_string()
        };
        let ro = if rng.random_range(0..20) == 0 {
            rng.random_range(1..=i)
        } else {
            i
        };
        let ops = ["OIL", "OIL;ROT", "BRK"][rng.random_range(0..3usize)];
        s.push_str(&format!(
            "R{ro},{}/{}/2026,{first},DOE{},{cell},{home},{email},{address},{city},{vin},{make},{mileage},{ops}\r\n",
            rng.random_range(1..=12),
            rng.random_range(1..=28),
            c % 150,
        ));
    }
    s
}

/// Every row of the tables an import writes, in id order.
fn dump(f: &Fixture) -> Vec<String> {
    let conn = f.db.conn().unwrap();
    let mut rows = Vec::new();
    for table in ["leads", "vehicles", "ownerships", "service_events"] {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY id")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let values: Vec<rusqlite::types::Value> = (0..n).map(|i| r.get(i).unwrap()).collect();
            rows.push(format!("{table} {values:?}"));
        }
    }
    rows
}

fn counts(r: &ImportReport) -> (usize, usize, usize, usize, Vec<RowIssue>, Vec<RowIssue>) {
    (
        r.rows,
        r.created,
        r.updated,
        r.unchanged,
        r.errors.clone(),
        r.warnings.clone(),
    )
}

/// Run `body` with the in-memory map of customers and vehicles off, as the import was before it.
fn without_seen<T>(body: impl FnOnce() -> T) -> T {
    WITHOUT_SEEN.with(|w| w.set(true));
    let out = body();
    WITHOUT_SEEN.with(|w| w.set(false));
    out
}

/// Run `body` with transactions ended by rows only, not time, so two imports end them alike.
fn rows_only<T>(body: impl FnOnce() -> T) -> T {
    ROWS_ONLY.with(|w| w.set(true));
    let out = body();
    ROWS_ONLY.with(|w| w.set(false));
    out
}

#[test]
fn remembering_customers_and_vehicles_changes_no_row() {
    let a = repeating_export(BATCH + 2_500, 7);
    let b = repeating_export(3_000, 8);
    let imports = |f: &Fixture| {
        // two transactions, both rolled back: the second must not use what the first wrote
        let dry = run(f, &a, "2026-11-24T15:00:00Z", true, &mut |_| {});
        assert!(dump(f).is_empty(), "a dry run writes nothing");
        let first = run(f, &a, "2026-11-24T15:00:00Z", false, &mut |_| {});
        let after_first = dump(f);
        let second = run(f, &b, "2026-11-25T15:00:00Z", false, &mut |_| {});
        let again = run(f, &a, "2026-11-26T15:00:00Z", false, &mut |_| {});
        (
            [counts(&first), counts(&dry), counts(&second), counts(&again)],
            after_first,
            dump(f),
        )
    };
    let with = fixture();
    let (with_counts, with_first, with_rows) = imports(&with);
    let without = fixture();
    let (without_counts, without_first, without_rows) = without_seen(|| imports(&without));
    assert_eq!(with_counts, without_counts);
    assert_eq!(with_first, without_first);
    assert_eq!(with_rows, without_rows);
    // the file does what it is meant to: cars changed hands, emails changed, events were updated
    assert!(count(&with, "SELECT count(*) FROM ownerships WHERE active = 0") > 100);
    assert!(count(&with, "SELECT count(*) FROM leads WHERE email LIKE '%.new@%'") > 10);
    assert!(
        count(
            &with,
            "SELECT count(*) FROM leads WHERE phone_e164 IS NULL AND email IS NOT NULL"
        ) > 0
    );
    assert!(
        count(
            &with,
            "SELECT count(*) FROM leads WHERE phone_e164 IS NULL AND email IS NULL"
        ) > 0
    );
    assert!(
        with_counts[0].2 > 0 && with_counts[3].2 > 0,
        "{:?}",
        with_counts.map(|c| (c.1, c.2, c.3))
    );
}

#[test]
fn a_lead_erased_by_another_connection_between_batches_is_not_remembered() {
    let csv = export(BATCH + 3 * CHUNK);
    let import = |f: &Fixture| {
        let mut erased = false;
        let r = run(f, &csv, "2026-11-24T15:00:00Z", false, &mut |_| {
            if !erased {
                // as an inbound STOP-and-erase would, between the import's transactions
                let n =
                    f.db.conn()
                        .unwrap()
                        .write_with(|tx| Ok(tx.execute("DELETE FROM leads WHERE phone_e164 = '+15125550103'", [])?))
                        .unwrap();
                assert_eq!(n, 1);
                erased = true;
            }
        });
        (counts(&r), dump(f))
    };
    let with = fixture();
    let with_import = rows_only(|| import(&with));
    let without = fixture();
    let without_import = rows_only(|| without_seen(|| import(&without)));
    assert_eq!(with_import, without_import);
    // the customer came back as a new lead, with the cars it was last seen with
    assert_eq!(
        count(&with, "SELECT count(*) FROM leads WHERE phone_e164 = '+15125550103'"),
        1
    );
}

/// Writes that change no customer, vehicle or ownership (inbound texts, drafts, ticks) between
/// the import's transactions do not make it forget what it knows (they once did: every write
/// anywhere cleared it, and an import beside live traffic ran a third slower).
#[test]
fn other_writes_between_batches_do_not_make_the_import_forget() {
    let f = fixture();
    let csv = export(BATCH + 3 * CHUNK);
    FORGOT.with(|c| c.set(0));
    let mut between = 0;
    rows_only(|| {
        run(&f, &csv, "2026-11-24T15:00:00Z", false, &mut |_| {
            // as an inbound text and a tick would: a lead's opt-out, a job run
            f.db.conn()
                .unwrap()
                .write_with(|tx| {
                    tx.execute("UPDATE leads SET opted_out = 1, opted_out_at = 1, updated_at = 1 WHERE phone_e164 = '+15125550104'", [])?;
                    tx.execute("INSERT INTO job_runs (job, trigger, as_of, started_at, outcome) VALUES ('t', 'tick', 0, 0, 'ok')", [])?;
                    Ok(())
                })
                .unwrap();
            between += 1;
        })
    });
    assert!(between >= 2, "the import ran in several transactions");
    assert_eq!(FORGOT.with(|c| c.get()), 0);
}

/// A value the import merges, changed by someone else between its transactions, makes it
/// forget, so the rows after write what they say, as an import with no memory would.
#[test]
fn a_name_changed_by_another_connection_between_batches_is_written_again() {
    let csv = export(BATCH + 3 * CHUNK);
    let import = |f: &Fixture| {
        let mut changed = false;
        FORGOT.with(|c| c.set(0));
        let r = run(f, &csv, "2026-11-24T15:00:00Z", false, &mut |_| {
            if !changed {
                f.db.conn()
                    .unwrap()
                    .write_with(|tx| {
                        Ok(tx.execute(
                            "UPDATE leads SET first_name = 'ANITA' WHERE phone_e164 = '+15125550103'",
                            [],
                        )?)
                    })
                    .unwrap();
                changed = true;
            }
        });
        (counts(&r), dump(f))
    };
    let with = fixture();
    let with_import = rows_only(|| import(&with));
    assert_eq!(FORGOT.with(|c| c.get()), 1);
    let without = fixture();
    let without_import = rows_only(|| without_seen(|| import(&without)));
    assert_eq!(with_import, without_import);
    assert_eq!(
        count(
            &with,
            "SELECT count(*) FROM leads WHERE phone_e164 = '+15125550103' AND first_name = 'Jane'"
        ),
        1
    );
}

/// A row the database refuses after all (a trigger here stands for a CHECK constraint a value
/// got through to) is that row's error: the rows before and after it in its transaction are
/// stored, what it wrote is rolled back alone, and the import goes on to the end.
#[test]
fn a_row_the_database_refuses_is_its_error_and_the_import_goes_on() {
    let f = fixture();
    f.db.conn()
        .unwrap()
        .write_with(|tx| {
            Ok(tx.execute_batch(
                "CREATE TRIGGER refuse_r5 BEFORE INSERT ON service_events WHEN NEW.external_id = 'R5'
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
            )?)
        })
        .unwrap();
    let n = BATCH + 100;
    let r = run(&f, &export(n), "2026-11-24T15:00:00Z", false, &mut |_| {});
    let refused = (1..=n).filter(|i| i % 997 == 0).count();
    assert_eq!((r.rows, r.created), (n, n - refused - 1));
    assert_eq!(r.errors_total, refused + 1);
    let error = r.errors.iter().find(|e| e.row == 5).expect("row 5's error");
    assert!(error.message.contains("refused by the test"), "{error:?}");
    assert_eq!(
        count(&f, "SELECT count(*) FROM service_events"),
        (n - refused - 1) as i64
    );
    // row 5 was the first of its customer's: the customer came in with row 12 instead
    assert_eq!(count(&f, "SELECT count(*) FROM leads"), 7);
    assert_eq!(
        count(
            &f,
            "SELECT count(*) FROM service_events e LEFT JOIN leads l ON l.id = e.lead_id WHERE l.id IS NULL"
        ),
        0
    );
}

#[test]
fn rows_count_every_data_row_and_the_report_keeps_the_first_issues() {
    let f = fixture();
    // every row refused (no RO number), one with a quote never closed
    let mut csv = String::from("RO Number,Open Date,Customer Name\r\n");
    for i in 1..=SHOWN * 3 {
        let name = if i == 7 { "\"DOE, JANE" } else { "DOE JANE" };
        csv.push_str(&format!(",11/02/2026,{name}\r\n"));
    }
    let r = run(&f, &csv, "2026-11-24T15:00:00Z", false, &mut |_| {});
    assert_eq!((r.rows, r.created, r.errors_total), (SHOWN * 3, 0, SHOWN * 3));
    assert_eq!(r.errors.len(), SHOWN);
    assert_eq!(r.errors[6].row, 7);
    assert_eq!(r.errors[6].field, "customer_name");
    assert_eq!(r.full_report, None, "no folder for full reports was given");
}
