//! `forecourt backup`: a whole, consistent copy or an error and no file at all.

use super::{on, run};
use crate::support::*;

fn tables(path: &std::path::Path) -> i64 {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    rusqlite::Connection::open_with_flags(path, flags)
        .unwrap()
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn a_backup_is_a_whole_copy_and_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = on(&data, &["migrate"]);
    assert_eq!(code, 0, "{err}");
    let copy = dir.path().join("copy.db");
    let (code, out, err) = on(&data, &["backup", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("backed up"), "{out}");
    assert_eq!(tables(&copy), tables(&data.join("forecourt.db")));
    assert!(tables(&copy) > 10);

    let before = std::fs::read(&copy).unwrap();
    let (code, _, err) = on(&data, &["backup", copy.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists; choose a new file"), "{err}");
    assert_eq!(std::fs::read(&copy).unwrap(), before, "the first backup is untouched");
}

#[test]
fn a_backup_without_a_database_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    // a data dir that does not exist, and one that exists but holds no database
    let missing = dir.path().join("missing");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for data in [&missing, &empty] {
        let (code, out, err) = on(data, &["backup", copy.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}{err}");
        let expected = format!(
            "there is no forecourt database at {}; nothing to back up (is --config or FORECOURT_DATA_DIR pointing at the right data directory?)",
            data.join("forecourt.db").display()
        );
        assert!(err.contains(&expected), "{err}");
        assert!(!copy.exists(), "no backup file is left behind");
        assert!(!data.join("forecourt.db").exists(), "no database is created to back up");
    }
    assert!(!missing.exists(), "not even the data dir");

    // the default data dir, ./data, from wherever it is run
    let (code, _, err) = run(bin().args(["backup", "copy.db"]).current_dir(dir.path()));
    assert_eq!(code, 1);
    assert!(
        err.contains("there is no forecourt database at ./data/forecourt.db"),
        "{err}"
    );
    assert!(!dir.path().join("copy.db").exists() && !dir.path().join("data").exists());
}

#[test]
fn a_failed_backup_removes_its_partial_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data.join("forecourt.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(
            "PRAGMA page_size = 4096;
             CREATE TABLE notes (body TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO notes SELECT printf('%0200d', i) FROM n;",
        )
        .unwrap();
    }
    // the header and the schema stay readable, so the database opens; the table's pages after
    // the first few are garbage, so the copy fails part way through reading them
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 40 * 4096);
    bytes[8 * 4096..].fill(0xA5);
    std::fs::write(&db, bytes).unwrap();

    let copy = dir.path().join("copy.db");
    let (code, out, err) = on(&data, &["backup", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("malformed"), "{err}");
    assert!(!copy.exists(), "a failed backup leaves no file that could pass for one");
}
