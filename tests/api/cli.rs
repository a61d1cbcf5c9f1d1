//! The real binary: configuration, accounts and logins, migrations, serve with the demo,
//! graceful shutdown.

use crate::support::*;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

mod backup;
mod timezone;
mod watchlist;

fn run(cmd: &mut std::process::Command) -> (i32, String, String) {
    let out = cmd.output().expect("run forecourt");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run forecourt with `args` against the data directory `data`.
fn on(data: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    run(bin().args(args).env("FORECOURT_DATA_DIR", data))
}

fn line_for<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("{key} ")))
        .unwrap_or_else(|| panic!("no line for {key} in:\n{text}"))
}

#[test]
fn config_precedence_is_defaults_then_file_then_env() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("forecourt.toml");
    std::fs::write(
        &file,
        "bind = \"127.0.0.1:9001\"\npublic_url = \"https://store.example\"\n[log]\nformat = \"json\"\n",
    )
    .unwrap();
    let (code, out, err) = run(bin()
        .arg("--config")
        .arg(&file)
        .arg("config")
        .env("FORECOURT_BIND", "127.0.0.1:9002")
        .env("FORECOURT_ADMIN_KEY", "secret-admin-key-123456"));
    assert_eq!(code, 0, "{err}");
    assert!(line_for(&out, "bind").contains("127.0.0.1:9002") && line_for(&out, "bind").contains("env FORECOURT_BIND"));
    assert!(line_for(&out, "log.format").contains("json") && line_for(&out, "log.format").contains("file"));
    assert!(line_for(&out, "public_url").contains("https://store.example"));
    assert!(line_for(&out, "session.hours").contains("12") && line_for(&out, "session.hours").contains("default"));
    assert!(!out.contains("secret-admin-key-123456"), "secrets are masked");
    assert!(line_for(&out, "admin_key").contains("********"));
}

#[test]
fn a_bad_config_value_exits_non_zero_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(bin()
        .arg("migrate")
        .current_dir(dir.path())
        .env("FORECOURT_JOBS_INTERVAL_SECONDS", "often"));
    assert_eq!(code, 1);
    assert!(
        err.contains("jobs.interval_seconds") && err.contains("FORECOURT_JOBS_INTERVAL_SECONDS"),
        "{err}"
    );

    let file = dir.path().join("forecourt.toml");
    std::fs::write(&file, "[log]\nformat = \"xml\"\n").unwrap();
    let (code, _, err) = run(bin().arg("--config").arg(&file).arg("migrate"));
    assert_eq!(code, 1);
    assert!(err.contains("log.format") && err.contains("xml"), "{err}");

    std::fs::write(&file, "bnd = \"127.0.0.1:1\"\n").unwrap();
    let (code, _, err) = run(bin().arg("--config").arg(&file).arg("migrate"));
    assert_eq!(code, 1);
    assert!(err.contains("unknown key `bnd`"), "{err}");

    let (code, _, err) = run(bin()
        .arg("--config")
        .arg(dir.path().join("missing.toml"))
        .arg("migrate"));
    assert_eq!(code, 1);
    assert!(err.contains("missing.toml"), "{err}");
}

#[test]
fn migrate_reports_and_a_tampered_history_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = on(&data, &["migrate"]);
    assert_eq!(code, 0, "{err}");
    // every migration the binary carries is reported, and the version is the last one's
    let migrations = forecourt::db::Db::embedded_migrations();
    assert!(migrations.len() >= 10, "{migrations:?}");
    for (version, name) in &migrations {
        assert!(
            out.contains(&format!("V{version}__{name}")),
            "V{version}__{name} not in {out}"
        );
    }
    let last = migrations.iter().map(|m| m.0).max().unwrap();
    assert!(out.contains(&format!("schema version {last}")), "{out}");
    assert!(out.contains("V13__free_text_opt_out"), "{out}");
    let (code, out, _) = on(&data, &["migrate"]);
    assert_eq!(code, 0);
    assert!(out.contains("up to date"), "{out}");

    // someone edited an applied migration: refuse, say so, change nothing
    let db = data.join("forecourt.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE refinery_schema_history SET checksum = '1' WHERE version = 1",
        [],
    )
    .unwrap();
    drop(c);
    let (code, _, err) = on(&data, &["migrate"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("migration failed") && err.contains("left as it was"),
        "{err}"
    );
}

#[test]
fn accounts_and_logins_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = on(
        &data,
        &[
            "account",
            "create",
            "--name",
            "Lakeside Honda",
            "--timezone",
            "America/Chicago",
            "--vertical",
            "bakery",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown vertical `bakery`") && err.contains("automotive"),
        "{err}"
    );

    let (code, _, err) = on(
        &data,
        &[
            "account",
            "create",
            "--name",
            "Lakeside Honda",
            "--timezone",
            "Central Time",
            "--vertical",
            "automotive",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("unknown time zone"), "{err}");

    let (code, out, err) = on(
        &data,
        &[
            "account",
            "create",
            "--name",
            "Lakeside Honda",
            "--timezone",
            "America/Chicago",
            "--vertical",
            "automotive",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let key = out
        .lines()
        .find_map(|l| l.strip_prefix("API key (shown once, store it safely): "))
        .expect("key printed")
        .to_string();
    assert!(key.starts_with("fc_"));
    let c = rusqlite::Connection::open(data.join("forecourt.db")).unwrap();
    let (vertical, hash): (String, String) = c
        .query_row("SELECT account_vertical, api_key_hash FROM accounts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(vertical, "automotive");
    assert_eq!(hash, forecourt::secrets::sha256_hex(&key));

    let mut child = bin()
        .args([
            "user",
            "add",
            "--account",
            "1",
            "--email",
            "sam@lakeside.example",
            "--password-stdin",
        ])
        .env("FORECOURT_DATA_DIR", &data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let phc: String = c
        .query_row(
            "SELECT password_hash FROM users WHERE email = 'sam@lakeside.example'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(forecourt::secrets::verify_password("a long enough password", &phc));

    // connect it to Twilio: the number is normalised, the token is only ever a reference
    let (code, _, err) = on(
        &data,
        &[
            "account",
            "set-twilio",
            "--id",
            "1",
            "--number",
            "(512) 555-0100",
            "--auth-token-ref",
            "hunter2",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("env:NAME or file:PATH"), "{err}");
    let (code, out, err) = on(
        &data,
        &[
            "account",
            "set-twilio",
            "--id",
            "1",
            "--number",
            "(512) 555-0100",
            "--auth-token-ref",
            "env:LAKESIDE_TWILIO_TOKEN",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/webhooks/twilio/inbound"), "{out}");
    let (number, token_ref): (String, String) = c
        .query_row(
            "SELECT twilio_number, twilio_auth_token_ref FROM accounts WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (number.as_str(), token_ref.as_str()),
        ("+15125550100", "env:LAKESIDE_TWILIO_TOKEN")
    );

    // a login for an account that does not exist
    let (code, _, err) = on(&data, &["user", "add", "--account", "99", "--email", "x@y.example"]);
    assert_eq!(code, 1);
    assert!(err.contains("account 99 not found"), "{err}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start `serve --demo`, read its stdout until the password line; returns (child, url, password).
fn start_demo(data: &std::path::Path) -> (std::process::Child, String, String, Vec<String>) {
    let port = free_port();
    let mut child = bin()
        .args(["serve", "--demo"])
        .env("FORECOURT_DATA_DIR", data)
        .env("FORECOURT_BIND", format!("127.0.0.1:{port}"))
        .env("FORECOURT_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        // to a file, not a pipe: a full pipe would stop a server that logs much (the demo's first
        // texts) until someone read it
        .stderr(std::fs::File::create(log_of(data)).unwrap())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut password = None;
    let reader = BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        let line = line.unwrap();
        if let Some(p) = line.trim().strip_prefix("Password:") {
            password = Some(p.trim().to_string());
        }
        // the login block ends with a blank line
        let done = password.is_some() && line.trim().is_empty();
        lines.push(line);
        if done {
            break;
        }
    }
    let password = password.unwrap_or_else(|| panic!("no password printed: {lines:?}"));
    (child, format!("http://127.0.0.1:{port}"), password, lines)
}

async fn wait_healthy(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("{url}/healthz")).await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(Instant::now() < deadline, "server did not become healthy");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Where a demo server started on `data` logs.
fn log_of(data: &std::path::Path) -> std::path::PathBuf {
    data.with_extension("log")
}

/// Stop the server with SIGTERM and wait for it; its exit status and everything it logged.
fn terminate(child: &mut std::process::Child, data: &std::path::Path) -> (bool, String) {
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (
                status.success(),
                std::fs::read_to_string(log_of(data)).unwrap_or_default(),
            );
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("serve did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn serve_demo_seeds_once_prints_the_login_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, url, password, lines) = start_demo(&data);
    assert!(lines.iter().any(|l| l.contains("admin key was generated")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("API key:")),
        "first start shows the demo API key"
    );
    wait_healthy(&url).await;

    // sign in with what was printed and see the living store
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = c.get(format!("{url}/login")).send().await.unwrap();
    let csrf_cookie = set_cookie(&resp, "fc_login_csrf").unwrap();
    let csrf = hidden_input(&resp.text().await.unwrap(), "csrf");
    let resp = c
        .post(format!("{url}/login"))
        .header("cookie", format!("fc_login_csrf={csrf_cookie}"))
        .form(&[
            ("email", forecourt::demo::DEMO_EMAIL),
            ("password", password.as_str()),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let session = set_cookie(&resp, "fc_session").unwrap();
    let html = c
        .get(format!("{url}/"))
        .header("cookie", format!("fc_session={session}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Lakeside Honda (demo)"));
    assert!(html.contains("3,000"), "three thousand customers on the dashboard");

    let (ok, stderr) = terminate(&mut child, &data);
    assert!(ok, "exit status 0 on SIGTERM; stderr:\n{stderr}");
    assert!(
        stderr.contains("shutdown requested") && stderr.contains("job loop stopped"),
        "{stderr}"
    );

    // a second start finds the demo and does not seed it again
    let (mut child, url, password2, lines) = start_demo(&data);
    assert_eq!(password2, password, "the same login is shown again");
    assert!(!lines.iter().any(|l| l.contains("admin key was generated")));
    wait_healthy(&url).await;
    let (ok, _) = terminate(&mut child, &data);
    assert!(ok);
    let c = rusqlite::Connection::open(data.join("forecourt.db")).unwrap();
    let (accounts, leads): (i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM leads)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((accounts, leads), (1, 3000));
}

#[test]
fn import_from_the_command_line_with_a_dry_run_first() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = on(
        &data,
        &[
            "account",
            "create",
            "--name",
            "Lakeside Honda",
            "--timezone",
            "America/Chicago",
            "--vertical",
            "automotive",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dms/cdk_ro_export.csv");
    let (code, out, err) = run(bin()
        .arg("import")
        .arg(&file)
        .args(["--account", "1", "--dry-run"])
        .env("FORECOURT_DATA_DIR", &data));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"created\": 10") && out.contains("dry run: nothing was written"),
        "{out}"
    );
    assert!(err.contains("rows/s"), "a progress line: {err}");
    let c = rusqlite::Connection::open(data.join("forecourt.db")).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM service_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let (code, out, _) = run(bin()
        .arg("import")
        .arg(&file)
        .args(["--account", "1"])
        .env("FORECOURT_DATA_DIR", &data));
    assert_eq!(code, 0);
    assert!(
        out.contains("\"row\": 5") && out.contains("\"row\": 7"),
        "refused rows are listed: {out}"
    );
    let n: i64 = c
        .query_row("SELECT count(*) FROM service_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 10);
    let (code, _, err) = run(bin()
        .arg("import")
        .arg(dir.path().join("nope.csv"))
        .args(["--account", "1"])
        .env("FORECOURT_DATA_DIR", &data));
    assert_eq!(code, 1);
    assert!(err.contains("nope.csv"), "{err}");
    // a sales export: its headers say so, or --kind does
    let deals = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dms/tekion_deals.csv");
    let (code, out, err) = run(bin()
        .arg("import")
        .arg(&deals)
        .args(["--account", "1", "--kind", "deals"])
        .env("FORECOURT_DATA_DIR", &data));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"kind\": \"deals\"") && out.contains("\"created\": 4"),
        "{out}"
    );
    let n: i64 = c.query_row("SELECT count(*) FROM deals", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 4);
    let (code, _, err) = run(bin()
        .arg("import")
        .arg(&deals)
        .args(["--account", "1", "--kind", "parts"])
        .env("FORECOURT_DATA_DIR", &data));
    assert_eq!(code, 1);
    assert!(err.contains("--kind is `service` or `deals`"), "{err}");
}

/// The import bench runs end to end and reports every figure (no time is asserted: the figures
/// are for people): the rows it generated are all in the database it keeps with `--dir`, and
/// its schema floors copied them into fresh databases of their own.
#[test]
fn bench_import_reports_its_figures_and_the_schema_floors() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("bench");
    let (code, out, err) = run(bin()
        .args(["bench", "import", "--rows", "3000", "--dir"])
        .arg(&kept)
        .env("FORECOURT_LOG_LEVEL", "warn"));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(!err.contains("ERROR"), "nothing goes wrong on the way: {err}");
    assert_eq!(line_for(&out, "rows").split_whitespace().nth(1), Some("3000"));
    assert!(
        line_for(&out, "forecourt").contains("(3000 created, 0 refused)"),
        "{out}"
    );
    assert!(line_for(&out, "peak").contains("MB"), "{out}");
    for floor in [
        "in the import's transactions",
        "in one transaction",
        "unread indexes built last",
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(floor))
            .unwrap_or_else(|| panic!("no floor {floor:?} in:\n{out}"));
        assert!(line.contains("rows/s"), "{line}");
    }
    let c = rusqlite::Connection::open(kept.join("data").join("forecourt.db")).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM service_events"), 3000);
    // about three visits per customer, one car each
    let leads = count("SELECT count(*) FROM leads");
    assert!((700..=1000).contains(&leads), "{leads} customers");
    assert_eq!(count("SELECT count(*) FROM vehicles"), leads);
    assert_eq!(count("SELECT count(*) FROM ownerships WHERE active = 1"), leads);
    // the floors' own databases are gone (each checked that it copied every row)
    for floor in ["floor-batched", "floor-onetransaction", "floor-deferred"] {
        assert!(!kept.join(floor).exists(), "{floor} left behind");
    }
}
