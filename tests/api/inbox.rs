//! The watched folder (`<data_dir>/inbox/<account id>/`): a file is taken only once it has held
//! still, nothing a writer does loses data, nothing outside the inbox is read or moved, and every
//! file is either imported or set aside with a reason.

use crate::imports::export;
use crate::messaging::{count, setup, Messaging};
use crate::support::*;
use chrono::SecondsFormat;
use forecourt::domain::account::Vertical;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `secs` after T0, as a tick's `as_of`.
fn after(secs: i64) -> String {
    (at(T0) + chrono::Duration::seconds(secs)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn inbox_of(m: &Messaging, folder: &str) -> PathBuf {
    let dir = m.t.app.config.data_dir.join("inbox").join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Tick at `secs` after T0 and return the inbox job's run (outcome, counts, error).
async fn tick(m: &Messaging, secs: i64) -> Value {
    let v = m.tick(&after(secs)).await;
    v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["job"] == "inbox.import")
        .cloned()
        .unwrap_or_else(|| panic!("no inbox run in {v}"))
}

fn events(m: &Messaging) -> i64 {
    count(&m.t, "SELECT count(*) FROM service_events")
}

/// The header and the first `rows` rows of an export, and the rest.
fn split(full: &str, rows: usize) -> (String, String) {
    let head: String = full.split_inclusive("\r\n").take(rows + 1).collect();
    (head.clone(), full[head.len()..].to_string())
}

fn report(path: &Path) -> String {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push(".errors.csv");
    std::fs::read_to_string(path.with_file_name(name))
        .unwrap_or_else(|e| panic!("no report beside {}: {e}", path.display()))
}

/// The attacker's writer paused 75 s mid-file: the first half was imported and the whole file
/// filed under processed/, the rest never.
#[tokio::test]
async fn a_writer_that_pauses_mid_file_is_not_taken_half_written() {
    let m = setup().await;
    let inbox = inbox_of(&m, &m.account_id.to_string());
    let full = export(10);
    let (first, rest) = split(&full, 5);
    let path = inbox.join("nightly.csv");
    std::fs::write(&path, &first).unwrap();
    for secs in [0, 30, 60] {
        let run = tick(&m, secs).await;
        assert_eq!(run["outcome"], "ok", "{run}");
    }
    assert_eq!(events(&m), 0, "a file that held still for a minute is not taken yet");
    assert!(path.exists());

    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(rest.as_bytes())
        .unwrap();
    tick(&m, 90).await;
    let run = tick(&m, 90 + 120).await;
    assert_eq!(run["counts"]["imported"], 1, "{run}");
    assert_eq!(events(&m), 10, "every row of the whole file");
    assert_eq!(
        std::fs::read_to_string(inbox.join("processed/nightly.csv")).unwrap(),
        full
    );
    assert!(!path.exists());
}

/// A writer that still holds the file open when it is filed writes the rest into processed/:
/// the file is watched after filing, and what it grew by is imported.
#[tokio::test]
async fn a_file_that_grows_after_it_was_filed_is_imported_again() {
    let m = setup().await;
    let inbox = inbox_of(&m, &m.account_id.to_string());
    let full = export(10);
    let (first, rest) = split(&full, 5);
    let mut writer = std::fs::File::create(inbox.join("nightly.csv")).unwrap();
    writer.write_all(first.as_bytes()).unwrap();
    writer.flush().unwrap();
    tick(&m, 0).await;
    let run = tick(&m, 300).await; // the writer paused longer than any quiet period
    assert_eq!(run["counts"]["imported"], 1, "{run}");
    assert_eq!(events(&m), 5);
    assert!(inbox.join("processed/nightly.csv").exists());

    writer.write_all(rest.as_bytes()).unwrap(); // lands in processed/: the handle followed the file
    writer.flush().unwrap();
    drop(writer);
    let run = tick(&m, 330).await;
    assert_eq!(events(&m), 5, "a late write is taken once it holds still too: {run}");
    let run = tick(&m, 330 + 120).await;
    assert_eq!(run["counts"]["late_write"], 1, "{run}");
    assert_eq!(events(&m), 10, "the rows written after filing are in");
    assert_eq!(
        count(&m.t, "SELECT count(DISTINCT external_id) FROM service_events"),
        10
    );
    assert_eq!(
        std::fs::read_to_string(inbox.join("processed/nightly.csv")).unwrap(),
        full
    );
    // and once it holds still it is left alone
    let run = tick(&m, 330 + 240).await;
    assert_eq!(run["counts"].get("late_write"), None, "{run}");
}

/// The file changed between the hash the journal keeps and the end of its import: it is not
/// filed (its new content would be lost in processed/); the next runs import it whole.
#[tokio::test]
async fn a_file_that_changes_while_it_is_imported_is_left_to_be_imported_again() {
    use forecourt::jobs::inbox::{take_file, Taken};
    let m = setup().await;
    let inbox = inbox_of(&m, &m.account_id.to_string());
    let full = export(10);
    let (first, rest) = split(&full, 5);
    let path = inbox.join("nightly.csv");
    std::fs::write(&path, &first).unwrap();
    let mut appended = false;
    let taken = {
        let mut conn = m.t.app.db.conn().unwrap();
        take_file(
            &mut conn,
            &m.t.app.config,
            m.account_id,
            "nightly.csv",
            at(T0),
            &mut |_| {
                // the writer comes back while the rows are being stored
                if !appended {
                    let mut f = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
                    f.write_all(rest.as_bytes()).unwrap();
                    appended = true;
                }
            },
        )
        .unwrap()
    };
    assert!(appended);
    assert_eq!(taken, Taken::Changed);
    assert!(path.exists(), "left where it was");
    assert!(!inbox.join("processed/nightly.csv").exists());
    assert_eq!(events(&m), 5);

    tick(&m, 0).await;
    let run = tick(&m, 120).await;
    assert_eq!(run["counts"]["imported"], 1, "{run}");
    assert_eq!(events(&m), 10);
    assert_eq!(
        std::fs::read_to_string(inbox.join("processed/nightly.csv")).unwrap(),
        full
    );
}

/// A symlinked account folder, a symlinked file and a symlinked processed/ lead outside the
/// data directory: nothing there is read or moved; each is refused and counted.
#[tokio::test]
async fn links_out_of_the_inbox_are_refused_never_followed() {
    let m = setup().await;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.csv"), export(3)).unwrap();
    std::fs::create_dir(outside.path().join("files")).unwrap();
    std::fs::write(outside.path().join("files/other.csv"), export(4)).unwrap();
    std::fs::create_dir(outside.path().join("elsewhere")).unwrap();
    let inbox_root = m.t.app.config.data_dir.join("inbox");
    std::fs::create_dir_all(&inbox_root).unwrap();

    // the account's folder is a link to a folder outside
    std::os::unix::fs::symlink(outside.path(), inbox_root.join(m.account_id.to_string())).unwrap();
    // a second account's folder holds a link to a file outside
    let (second, _) = m.t.account("Lakeside Toyota", Vertical::Automotive);
    let second_inbox = inbox_of(&m, &second.to_string());
    std::os::unix::fs::symlink(outside.path().join("files/other.csv"), second_inbox.join("other.csv")).unwrap();
    // a third account's processed/ is a link to a folder outside
    let (third, _) = m.t.account("Lakeside Ford", Vertical::Automotive);
    let third_inbox = inbox_of(&m, &third.to_string());
    std::os::unix::fs::symlink(outside.path().join("elsewhere"), third_inbox.join("processed")).unwrap();
    std::fs::write(third_inbox.join("good.csv"), export(2)).unwrap();

    let mut last = Value::Null;
    for secs in [0, 120, 240] {
        last = tick(&m, secs).await;
        assert_eq!(last["outcome"], "ok", "{last}");
    }
    assert!(
        last["counts"]["refused"].as_i64() >= Some(3),
        "the linked folder, the linked file and the good file that could only be filed through a link: {last}"
    );
    assert_eq!(events(&m), 0, "nothing outside was read");
    let listing = |p: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        listing(outside.path()),
        ["elsewhere", "files", "secret.csv"],
        "nothing moved outside"
    );
    assert_eq!(listing(&outside.path().join("files")), ["other.csv"]);
    assert!(listing(&outside.path().join("elsewhere")).is_empty());
    assert!(
        third_inbox.join("good.csv").exists(),
        "left in place, not moved through the link"
    );
    assert!(
        second_inbox.join("other.csv").is_symlink(),
        "the link itself is left for a person"
    );
}

/// Files the old job skipped silently: a hidden file, a file named like an error report, a
/// workbook, an empty file. Each is set aside with a reason a DMS admin can act on.
#[tokio::test]
async fn every_file_is_imported_or_set_aside_with_a_reason() {
    let m = setup().await;
    let inbox = inbox_of(&m, &m.account_id.to_string());
    std::fs::write(inbox.join("..hidden.csv"), export(2)).unwrap();
    std::fs::write(inbox.join("x.errors.csv"), export(2)).unwrap();
    std::fs::write(
        inbox.join("book.xlsx"),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
    )
    .unwrap();
    std::fs::write(inbox.join("empty.csv"), b"").unwrap();
    std::fs::write(inbox.join("good.csv"), export(3)).unwrap();

    tick(&m, 0).await;
    let run = tick(&m, 120).await;
    assert_eq!(run["outcome"], "ok", "{run}");
    assert_eq!(
        (run["counts"]["imported"].as_i64(), run["counts"]["set_aside"].as_i64()),
        (Some(1), Some(3)),
        "{run}"
    );
    assert_eq!(events(&m), 3);
    let failed = inbox.join("failed");
    assert!(report(&failed.join("x.errors.csv")).contains("error report"));
    assert!(report(&failed.join("book.xlsx")).contains("Excel"));
    assert!(report(&failed.join("empty.csv")).contains("empty"));
    for name in ["x.errors.csv", "book.xlsx", "empty.csv"] {
        assert!(!inbox.join(name).exists(), "{name}");
    }
    // a hidden file is, by convention, still being written: it is left while it may change...
    assert!(inbox.join("..hidden.csv").exists());
    assert_eq!(run["counts"]["waiting"], 1, "{run}");
    // ...and set aside, saying how to name it, once it has not changed for a day
    let run = tick(&m, 25 * 3600).await;
    assert_eq!(run["counts"]["set_aside"], 1, "{run}");
    let why = report(&failed.join("..hidden.csv"));
    assert!(why.contains("rename it") && why.contains("hidden.csv"), "{why}");
    assert_eq!(events(&m), 3, "a set-aside file is never imported");
}

/// `inbox/999/` (no such account) logged "will retry" every cycle while the run said ok; a
/// folder whose name is not a number was skipped without a word.
#[tokio::test]
async fn a_folder_that_is_no_account_has_its_files_set_aside_and_the_run_says_so() {
    let m = setup().await;
    let nobody = inbox_of(&m, "999");
    std::fs::write(nobody.join("a.csv"), export(2)).unwrap();
    let misc = inbox_of(&m, "misc");
    std::fs::write(misc.join("b.csv"), export(2)).unwrap();

    let run = tick(&m, 0).await;
    assert_eq!(run["counts"]["not_an_account_folder"], 1, "{run}");
    let run = tick(&m, 120).await;
    assert_eq!(run["counts"]["unknown_account"], 1, "{run}");
    assert_eq!(run["counts"]["not_an_account_folder"], 1, "{run}");
    assert_eq!(run["counts"].get("retry"), None, "{run}");
    let why = report(&nobody.join("failed/a.csv"));
    assert!(
        why.contains("there is no account 999 on this box") && why.contains("move the file"),
        "{why}"
    );
    assert!(!nobody.join("a.csv").exists());
    assert_eq!(events(&m), 0);
}

/// A failure that will be retried shows in the run: counted, and the run is an error when
/// nothing could be done at all.
#[tokio::test]
async fn a_file_that_cannot_be_taken_makes_the_run_say_so() {
    let m = setup().await;
    let inbox = inbox_of(&m, &m.account_id.to_string());
    std::fs::write(inbox.join("good.csv"), export(2)).unwrap();
    // the journal is gone: no import can begin
    m.t.conn().execute_batch("DROP TABLE import_journal").unwrap();
    tick(&m, 0).await;
    let run = tick(&m, 120).await;
    assert_eq!(run["outcome"], "error", "{run}");
    let error = run["error"].as_str().unwrap_or_default();
    assert!(error.contains("import_journal") && error.contains("retr"), "{run}");
    assert!(inbox.join("good.csv").exists(), "left to be retried");
}
