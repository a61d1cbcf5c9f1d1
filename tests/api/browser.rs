//! Minimal, self-contained W3C WebDriver client for the integration tests.
//!
//! `Browser::start()` spawns `chromedriver` on a free loopback port and opens a
//! headless Chromium session with a throw-away profile; `Element` wraps a W3C
//! element reference. Helpers panic with the WebDriver error JSON on failure.
//! Needs `apt-get install chromium chromium-driver` (or `CHROMEDRIVER` /
//! `CHROME_BIN`). `quit()` deletes the session; `Drop` also does so
//! (synchronously) and then kills chromedriver, so a panicking test leaks nothing.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::{engine::general_purpose::STANDARD as BASE64, Engine as _};
use reqwest::Method;
use serde_json::{json, Value};

/// W3C web-element identifier key (WebDriver spec, "Elements").
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const CHROME_ARGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --window-size=1280,900";

/// HTTP client plus the URL prefix commands are relative to.
#[derive(Clone)]
struct Wd {
    http: reqwest::Client,
    base: String,
}

impl Wd {
    /// `Ok(value)` on 2xx, `Err(description incl. the error JSON)` otherwise.
    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let err = |e: reqwest::Error| format!("{method} {url}: {e}");
        let resp = req.send().await.map_err(err)?;
        let status = resp.status();
        let text = resp.text().await.map_err(err)?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{method} {url}: HTTP {status}, non-JSON ({e}): {text}"))?;
        if status.is_success() {
            Ok(v.get("value").cloned().unwrap_or(Value::Null))
        } else {
            Err(format!("{method} {url}: HTTP {status}: {v}"))
        }
    }

    async fn get(&self, path: &str) -> Value {
        let r = self.send(Method::GET, path, None).await;
        r.unwrap_or_else(|e| panic!("WebDriver error: {e}"))
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let r = self.send(Method::POST, path, Some(body)).await;
        r.unwrap_or_else(|e| panic!("WebDriver error: {e}"))
    }
}

fn string(v: Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// `$env` if set, else `default`, else `default`'s file name on `PATH`.
fn locate(env: &str, default: &str, what: &str) -> PathBuf {
    let found = match std::env::var_os(env) {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            let name = Path::new(default).file_name().expect("default has a file name");
            let dirs = std::env::var_os("PATH").unwrap_or_default();
            std::iter::once(PathBuf::from(default))
                .chain(std::env::split_paths(&dirs).map(|d| d.join(name)))
                .find(|p| p.exists())
        }
    };
    match found.filter(|p| p.exists()) {
        Some(p) => p,
        None => panic!(
            "{what} not found (set {env} or run `apt-get install -y chromium chromium-driver`); \
             browser tests need a real headless Chromium"
        ),
    }
}

pub struct Browser {
    wd: Wd,
    port: u16,
    session_id: String,
    open: bool,
    driver: Child,
    // Declared last: removed only after `Drop::drop` has stopped Chromium.
    profile: tempfile::TempDir,
}

#[derive(Clone)]
pub struct Element {
    wd: Wd,
    pub id: String,
}

impl Browser {
    pub async fn start() -> Browser {
        Self::start_with(&[]).await
    }

    /// A browser with JavaScript switched off in pages (WebDriver still works): what a rep with
    /// scripts blocked sees.
    pub async fn start_without_javascript() -> Browser {
        Self::start_with(&["--blink-settings=scriptEnabled=false"]).await
    }

    /// A session with these Chromium arguments as well.
    pub async fn start_with(extra_args: &[&str]) -> Browser {
        let driver_bin = locate("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver");
        let chrome_bin = locate("CHROME_BIN", "/usr/bin/chromium", "chromium");
        let profile = tempfile::tempdir().expect("create chromium profile tempdir");
        let log_path = profile.path().join("chromedriver.log");
        let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local_addr").port();
        drop(listener);
        let mut driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log_path.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", driver_bin.display()));
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("build reqwest client");
        let root = Wd {
            http,
            base: format!("http://127.0.0.1:{port}"),
        };

        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(Some(st)) = driver.try_wait() {
                panic!("chromedriver exited early ({st}); log:\n{}", log());
            }
            let status = root.send(Method::GET, "/status", None).await;
            if status.is_ok_and(|v| v["ready"] == json!(true)) {
                break;
            }
            if Instant::now() > deadline {
                let _ = (driver.kill(), driver.wait());
                panic!("chromedriver not ready after 15 s; log:\n{}", log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let mut args: Vec<String> = CHROME_ARGS.split_whitespace().map(String::from).collect();
        args.extend(extra_args.iter().map(|a| a.to_string()));
        let user_data_dir = profile.path().join("chrome");
        args.push(format!("--user-data-dir={}", user_data_dir.display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chrome_bin.to_string_lossy(), "args": args},
        }}});
        let created = match root.send(Method::POST, "/session", Some(caps)).await {
            Ok(v) => v,
            Err(e) => {
                let _ = (driver.kill(), driver.wait());
                panic!("creating session failed: {e}\nchromedriver log:\n{}", log());
            }
        };
        let Some(session_id) = created["sessionId"].as_str().map(String::from) else {
            panic!("no sessionId in {created}");
        };
        let wd = Wd {
            base: format!("{}/session/{session_id}", root.base),
            ..root
        };
        Browser {
            wd,
            port,
            session_id,
            open: true,
            driver,
            profile,
        }
    }

    fn element(&self, v: &Value) -> Element {
        match v[ELEMENT_KEY].as_str() {
            Some(id) => Element {
                wd: self.wd.clone(),
                id: id.to_string(),
            },
            None => panic!("not an element reference: {v}"),
        }
    }

    pub async fn goto(&self, url: &str) {
        self.wd.post("/url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        string(self.wd.get("/url").await)
    }

    pub async fn title(&self) -> String {
        string(self.wd.get("/title").await)
    }

    pub async fn page_source(&self) -> String {
        string(self.wd.get("/source").await)
    }

    /// `None` only for "no such element"; any other WebDriver error panics.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        let body = json!({ "using": "css selector", "value": css });
        match self.wd.send(Method::POST, "/element", Some(body)).await {
            Ok(v) => Some(self.element(&v)),
            Err(e) if e.contains("no such element") => None,
            Err(e) => panic!("WebDriver error finding {css:?}: {e}"),
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        match self.try_find(css).await {
            Some(el) => el,
            None => panic!("no element matches {css:?} on {}", self.current_url().await),
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let body = json!({ "using": "css selector", "value": css });
        let found = self.wd.post("/elements", body).await;
        let refs = found.as_array().cloned().unwrap_or_default();
        refs.iter().map(|e| self.element(e)).collect()
    }

    /// Polls every 100 ms until `css` matches; panics after `timeout`.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(el) = self.try_find(css).await {
                return el;
            }
            if Instant::now() > deadline {
                let url = self.current_url().await;
                panic!("timed out after {timeout:?} waiting for {css:?} on {url}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Resizes the window (the viewport of a headless window is its size).
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.wd
            .post("/window/rect", json!({"width": width, "height": height}))
            .await;
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub async fn eval(&self, script: &str) -> Value {
        self.wd
            .post("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    /// Saves a PNG screenshot of the viewport to `path`.
    pub async fn screenshot(&self, path: &Path) {
        let b64 = string(self.wd.get("/screenshot").await);
        let png = BASE64.decode(b64).expect("screenshot is base64");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Commands from now on address the document inside `frame` (an iframe element).
    pub async fn switch_to_frame(&self, frame: &Element) {
        let body = json!({ "id": { ELEMENT_KEY: frame.id } });
        self.wd.post("/frame", body).await;
    }

    /// Cookies visible to the current page: a JSON array of W3C cookie objects.
    pub async fn cookies(&self) -> Value {
        self.wd.get("/cookie").await
    }

    /// Deletes the session (Chromium exits); chromedriver is killed on drop.
    pub async fn quit(mut self) {
        let _ = self.wd.send(Method::DELETE, "", None).await;
        self.open = false;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let connect = || std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        if let Some(Ok(mut s)) = self.open.then(connect) {
            // Blocking best-effort DELETE so Chromium exits even when a test panics.
            // The reply comes once Chromium has quit; the socket may stay open after.
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let (id, port) = (&self.session_id, self.port);
            let req = format!("DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n");
            if s.write_all(req.as_bytes()).is_ok() {
                let _ = s.read(&mut [0u8; 1024]);
            }
        }
        let _ = (self.driver.kill(), self.driver.wait());
    }
}

impl Element {
    async fn get(&self, what: &str) -> Value {
        self.wd.get(&format!("/element/{}/{what}", self.id)).await
    }

    async fn post(&self, what: &str, body: Value) -> Value {
        let path = format!("/element/{}/{what}", self.id);
        self.wd.post(&path, body).await
    }

    pub async fn click(&self) {
        self.post("click", json!({})).await;
    }

    pub async fn send_keys(&self, text: &str) {
        self.post("value", json!({ "text": text })).await;
    }

    pub async fn clear(&self) {
        self.post("clear", json!({})).await;
    }

    /// Computed value of a CSS property (e.g. `background-color` as `rgb(…)`).
    pub async fn css(&self, property: &str) -> String {
        string(self.get(&format!("css/{property}")).await)
    }

    /// Rendered (visible) text.
    pub async fn text(&self) -> String {
        string(self.get("text").await)
    }

    /// HTML attribute as written in the markup; `None` if absent.
    /// For what the user typed into an input use `prop("value")`.
    pub async fn attr(&self, name: &str) -> Option<String> {
        opt_string(self.get(&format!("attribute/{name}")).await)
    }

    /// Live DOM property (e.g. `value`, `checked`); `None` if null/undefined.
    pub async fn prop(&self, name: &str) -> Option<String> {
        opt_string(self.get(&format!("property/{name}")).await)
    }
}

fn opt_string(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// What the inbox and phone-size tests need besides the basics: a script's answer, and keys
/// pressed on the page (not in an element).
impl Browser {
    /// Run `script` (a function body; `return` its answer) in the page.
    pub async fn execute(&self, script: &str) -> Value {
        self.wd
            .post("/execute/sync", json!({ "script": script, "args": [] }))
            .await
    }

    /// Press and release each key in turn, wherever the focus is (W3C key actions; "\u{E007}"
    /// is Enter).
    pub async fn press_keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for k in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": k.to_string()}));
            actions.push(json!({"type": "keyUp", "value": k.to_string()}));
        }
        self.wd
            .post(
                "/actions",
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
            )
            .await;
    }
}
