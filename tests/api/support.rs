//! The app under test: the real router on a random port, a real temp SQLite file, a clock the
//! test moves. Also the real binary, for CLI behaviour.

use chrono::{DateTime, Utc};
use forecourt::clock::FixedClock;
use forecourt::config::Config;
use forecourt::db::WriteTx;
use forecourt::domain::account::Vertical;
use forecourt::{secrets, store, App};
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

pub const T0: &str = "2026-11-24T15:00:00Z";

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("test timestamp").to_utc()
}

pub struct TestApp {
    pub url: String,
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub admin_key: String,
    /// Kept alive for the test: dropping it deletes the database.
    _dir: TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config {
            bind: addr,
            data_dir: dir.path().join("data"),
            jobs_enabled: false,
            ..Config::default()
        };
        tweak(&mut config);
        let clock = Arc::new(FixedClock::new(at(T0)));
        let (app, admin) = App::build(config, clock.clone()).expect("app builds");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        tokio::spawn(async move {
            forecourt::web::serve(served, listener, async {
                rx.await.ok();
            })
            .await
            .expect("server runs");
        });
        TestApp {
            url: format!("http://{addr}"),
            app,
            clock,
            admin_key: admin.key,
            _dir: dir,
            stop: Some(tx),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.app.config.database_path()
    }

    /// A client that does not follow redirects, so tests see them.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn conn(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(self.db_path()).expect("open db");
        c.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .expect("pragmas");
        c
    }

    /// Run `f` in one write transaction of the app's own database (committed when it returns).
    pub fn write<T>(&self, f: impl FnOnce(&WriteTx) -> forecourt::error::Result<T>) -> T {
        self.app
            .db
            .conn()
            .expect("a connection")
            .write_with(f)
            .expect("the write succeeds")
    }

    /// An account and its API key.
    pub fn account(&self, name: &str, vertical: Vertical) -> (i64, String) {
        let key = secrets::new_api_key();
        let id = self.write(|tx| {
            store::accounts::insert(
                tx,
                &store::accounts::NewAccount {
                    name,
                    timezone: chrono_tz::America::Chicago,
                    vertical,
                    api_key_hash: &secrets::sha256_hex(&key),
                    twilio_number: None,
                },
                self.clock_now(),
            )
        });
        (id, key)
    }

    /// A dashboard login (a manager).
    pub fn user(&self, account_id: i64, email: &str, password: &str) {
        self.user_as(account_id, email, password, forecourt::domain::users::Role::Manager);
    }

    /// A dashboard login with this role.
    pub fn user_as(&self, account_id: i64, email: &str, password: &str, role: forecourt::domain::users::Role) {
        let hash = secrets::hash_password(password).expect("hash");
        self.write(|tx| store::users::insert(tx, account_id, email, None, role, &hash, self.clock_now()));
    }

    pub fn clock_now(&self) -> i64 {
        use forecourt::clock::Clock;
        self.clock.now().timestamp()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            tx.send(()).ok();
        }
    }
}

/// The forecourt binary built for this test run.
pub fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_forecourt"));
    // a clean environment: no settings leak in from the developer's shell
    for (k, _) in std::env::vars() {
        if k.starts_with("FORECOURT_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// The value of a Set-Cookie header's cookie `name` in a response.
pub fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let first = v.split(';').next()?;
            let (k, val) = first.split_once('=')?;
            (k.trim() == name).then(|| val.to_string())
        })
}

/// The whole Set-Cookie header line for cookie `name`.
pub fn set_cookie_line(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The value of a hidden input in an HTML page.
pub fn hidden_input(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden input {name} in page"))
        + marker.len();
    html[start..].split('"').next().expect("value").to_string()
}

/// Does an EXPLAIN QUERY PLAN (steps joined by "; ") read a whole table? (A scan of a
/// subquery's few rows is not one.)
pub fn scans_a_table(plan: &str) -> bool {
    plan.split("; ")
        .any(|step| step.starts_with("SCAN ") && !step.starts_with("SCAN (subquery"))
}
