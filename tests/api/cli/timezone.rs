//! An account's time zone: checked when it is set, parsed once where the account is read, and
//! a stored name that is no zone is an error saying how to fix it (it was read as UTC by the
//! import and as New York by the compliance gate).

use super::on;

#[test]
fn a_bad_stored_zone_is_an_error_that_says_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let create = [
        "account",
        "create",
        "--name",
        "Lakeside Honda",
        "--timezone",
        "America/Chicago",
        "--vertical",
        "automotive",
    ];
    let (code, _, err) = on(&data, &create);
    assert_eq!(code, 0, "{err}");
    // written by hand, past every check
    rusqlite::Connection::open(data.join("forecourt.db"))
        .unwrap()
        .execute("UPDATE accounts SET timezone = 'Mars/Olympus'", [])
        .unwrap();
    let (code, _, err) = on(&data, &["account", "list"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("account 1 has the time zone `Mars/Olympus`, which is not an IANA zone")
            && err.contains("forecourt account set-timezone --id 1"),
        "{err}"
    );

    let set = |zone: &str| on(&data, &["account", "set-timezone", "--id", "1", "--timezone", zone]);
    let (code, _, err) = set("Central Time");
    assert_eq!(code, 1);
    assert!(err.contains("unknown time zone"), "{err}");
    let (code, out, err) = set("America/Denver");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("account 1 is in America/Denver"), "{out}");
    let (code, out, err) = on(&data, &["account", "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("America/Denver"), "{out}");

    let (code, _, err) = on(
        &data,
        &["account", "set-timezone", "--id", "7", "--timezone", "America/Denver"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("there is no account 7"), "{err}");
}
