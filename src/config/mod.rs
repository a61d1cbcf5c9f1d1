//! Typed configuration: built-in defaults < `forecourt.toml` < `FORECOURT_*` environment variables.
//!
//! Every setting is one entry in [`KEYS`]: its dotted name (`jobs.interval_seconds`), which is
//! also its TOML path and, upper-cased with `_`, its environment variable
//! (`FORECOURT_JOBS_INTERVAL_SECONDS`). Values from both sources go through the same parser, so
//! a bad value is rejected the same way wherever it comes from, naming the key.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// The URL the outside world reaches this box at (through a tunnel, usually): used for
    /// Twilio signature checks, status callbacks and tracked links. Defaults to `http://{bind}`.
    pub public_url: Option<String>,
    pub admin_key: Option<String>,
    pub log_format: LogFormat,
    pub log_level: String,
    pub jobs_enabled: bool,
    pub jobs_interval_seconds: u64,
    pub session_hours: u64,
    /// How texts leave the box: `log` (record and log, no network) or `twilio`.
    pub sender: SenderKind,
    pub twilio_api_base: String,
    pub twilio_account_sid: Option<String>,
    pub twilio_auth_token: Option<String>,
    pub twilio_timeout_seconds: u64,
    /// Who drafts replies and follow-ups: `template` (deterministic) or `openai` (an
    /// OpenAI-compatible chat API, falling back to the template on any failure).
    pub drafter: DrafterKind,
    pub openai_base_url: String,
    pub openai_model: String,
    pub openai_api_key: Option<String>,
    pub openai_timeout_seconds: u64,
    /// How long a file in the watched folder must keep the same size and modified time before it
    /// is taken (a DMS writing slowly, or pausing, must not be caught half-way).
    pub inbox_quiet_seconds: u64,
    /// How long a file named as still being written (`.name.csv`, `name.csv.part`) may stay
    /// unchanged before it is set aside with a note on how to name it.
    pub inbox_unfinished_hours: u64,
    /// How long a filed file (in `processed/` or `failed/`) is watched for late writes.
    pub inbox_watch_hours: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderKind {
    Log,
    Twilio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrafterKind {
    Template,
    OpenAi,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            public_url: None,
            admin_key: None,
            log_format: LogFormat::Pretty,
            log_level: "info,refinery_core=warn".into(),
            jobs_enabled: true,
            jobs_interval_seconds: 15,
            session_hours: 12,
            sender: SenderKind::Log,
            twilio_api_base: "https://api.twilio.com".into(),
            twilio_account_sid: None,
            twilio_auth_token: None,
            twilio_timeout_seconds: 15,
            drafter: DrafterKind::Template,
            openai_base_url: "https://api.openai.com".into(),
            openai_model: "gpt-4o-mini".into(),
            openai_api_key: None,
            openai_timeout_seconds: 20,
            inbox_quiet_seconds: 120,
            inbox_unfinished_hours: 24,
            inbox_watch_hours: 24,
        }
    }
}

impl Config {
    /// The public base URL, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.bind),
        }
    }

    pub fn public_url_is_https(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("forecourt.db")
    }

    pub fn admin_key_path(&self) -> PathBuf {
        self.data_dir.join("admin.key")
    }
}

/// One setting: its dotted name, whether it is a secret, how to parse and show it.
pub struct Key {
    pub name: &'static str,
    pub secret: bool,
    pub help: &'static str,
    set: fn(&mut Config, &str) -> Result<(), String>,
    get: fn(&Config) -> Option<String>,
}

impl Key {
    pub fn env_var(&self) -> String {
        format!("FORECOURT_{}", self.name.replace('.', "_").to_ascii_uppercase())
    }
}

fn parse_url(v: &str) -> Result<String, String> {
    let v = v.trim();
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(v.trim_end_matches('/').to_string())
        }
        _ => Err(format!("expected an http:// or https:// URL, got `{v}`")),
    }
}

fn non_empty(v: &str) -> Result<Option<String>, String> {
    if v.trim().is_empty() {
        return Err("must not be empty (leave the key out instead)".into());
    }
    Ok(Some(v.trim().to_string()))
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got `{v}`")),
    }
}

fn parse_range(v: &str, min: u64, max: u64) -> Result<u64, String> {
    let n: u64 = v
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number, got `{v}`"))?;
    if n < min || n > max {
        return Err(format!("must be between {min} and {max}, got {n}"));
    }
    Ok(n)
}

pub static KEYS: &[Key] = &[
    Key {
        name: "bind",
        secret: false,
        help: "address and port the server listens on",
        set: |c, v| {
            c.bind = v
                .trim()
                .parse()
                .map_err(|_| format!("expected an address like 127.0.0.1:8080, got `{v}`"))?;
            Ok(())
        },
        get: |c| Some(c.bind.to_string()),
    },
    Key {
        name: "data_dir",
        secret: false,
        help: "directory holding the SQLite database, the admin key and the import inbox",
        set: |c, v| {
            if v.trim().is_empty() {
                return Err("must not be empty".into());
            }
            c.data_dir = PathBuf::from(v);
            Ok(())
        },
        get: |c| Some(c.data_dir.display().to_string()),
    },
    Key {
        name: "public_url",
        secret: false,
        help: "URL the outside world (Twilio, customers' browsers) reaches this box at",
        set: |c, v| {
            let v = v.trim();
            let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
                    c.public_url = Some(v.trim_end_matches('/').to_string());
                    Ok(())
                }
                _ => Err(format!("expected an http:// or https:// URL, got `{v}`")),
            }
        },
        get: |c| Some(c.public_url()),
    },
    Key {
        name: "admin_key",
        secret: true,
        help: "key for /api/internal/*; generated into <data_dir>/admin.key when unset",
        set: |c, v| {
            if v.trim().len() < 16 {
                return Err("must be at least 16 characters".into());
            }
            c.admin_key = Some(v.trim().to_string());
            Ok(())
        },
        get: |c| c.admin_key.clone(),
    },
    Key {
        name: "log.format",
        secret: false,
        help: "pretty (for people) or json (for log shippers)",
        set: |c, v| {
            c.log_format = match v.trim() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                _ => return Err(format!("expected pretty or json, got `{v}`")),
            };
            Ok(())
        },
        get: |c| {
            Some(
                if c.log_format == LogFormat::Json {
                    "json"
                } else {
                    "pretty"
                }
                .into(),
            )
        },
    },
    Key {
        name: "log.level",
        secret: false,
        help: "tracing filter, e.g. info or forecourt=debug,tower_http=info",
        set: |c, v| {
            tracing_subscriber::EnvFilter::try_new(v.trim()).map_err(|e| format!("not a valid filter `{v}`: {e}"))?;
            c.log_level = v.trim().to_string();
            Ok(())
        },
        get: |c| Some(c.log_level.clone()),
    },
    Key {
        name: "jobs.enabled",
        secret: false,
        help: "run the in-process job loop (sends, triggers, scores)",
        set: |c, v| {
            c.jobs_enabled = parse_bool(v)?;
            Ok(())
        },
        get: |c| Some(c.jobs_enabled.to_string()),
    },
    Key {
        name: "jobs.interval_seconds",
        secret: false,
        help: "how often the job loop wakes to run due jobs",
        set: |c, v| {
            c.jobs_interval_seconds = parse_range(v, 1, 3600)?;
            Ok(())
        },
        get: |c| Some(c.jobs_interval_seconds.to_string()),
    },
    Key {
        name: "session.hours",
        secret: false,
        help: "how long a dashboard login lasts",
        set: |c, v| {
            c.session_hours = parse_range(v, 1, 24 * 90)?;
            Ok(())
        },
        get: |c| Some(c.session_hours.to_string()),
    },
    Key {
        name: "sender",
        secret: false,
        help: "log (record texts, send nothing) or twilio",
        set: |c, v| {
            c.sender = match v.trim() {
                "log" => SenderKind::Log,
                "twilio" => SenderKind::Twilio,
                _ => return Err(format!("expected log or twilio, got `{v}`")),
            };
            Ok(())
        },
        get: |c| {
            Some(
                if c.sender == SenderKind::Twilio {
                    "twilio"
                } else {
                    "log"
                }
                .into(),
            )
        },
    },
    Key {
        name: "twilio.api_base",
        secret: false,
        help: "Twilio REST base URL (point tests or staging elsewhere)",
        set: |c, v| {
            c.twilio_api_base = parse_url(v)?;
            Ok(())
        },
        get: |c| Some(c.twilio_api_base.clone()),
    },
    Key {
        name: "twilio.account_sid",
        secret: false,
        help: "default Twilio Account SID for accounts that set none",
        set: |c, v| {
            c.twilio_account_sid = non_empty(v)?;
            Ok(())
        },
        get: |c| c.twilio_account_sid.clone(),
    },
    Key {
        name: "twilio.auth_token",
        secret: true,
        help: "default Twilio auth token (sends and webhook signatures)",
        set: |c, v| {
            c.twilio_auth_token = non_empty(v)?;
            Ok(())
        },
        get: |c| c.twilio_auth_token.clone(),
    },
    Key {
        name: "twilio.timeout_seconds",
        secret: false,
        help: "how long one Twilio request may take",
        set: |c, v| {
            c.twilio_timeout_seconds = parse_range(v, 1, 120)?;
            Ok(())
        },
        get: |c| Some(c.twilio_timeout_seconds.to_string()),
    },
    Key {
        name: "drafter",
        secret: false,
        help: "template (deterministic) or openai (OpenAI-compatible chat API)",
        set: |c, v| {
            c.drafter = match v.trim() {
                "template" => DrafterKind::Template,
                "openai" => DrafterKind::OpenAi,
                _ => return Err(format!("expected template or openai, got `{v}`")),
            };
            Ok(())
        },
        get: |c| {
            Some(
                if c.drafter == DrafterKind::OpenAi {
                    "openai"
                } else {
                    "template"
                }
                .into(),
            )
        },
    },
    Key {
        name: "openai.base_url",
        secret: false,
        help: "base URL of an OpenAI-compatible API (…/v1/chat/completions is appended)",
        set: |c, v| {
            c.openai_base_url = parse_url(v)?;
            Ok(())
        },
        get: |c| Some(c.openai_base_url.clone()),
    },
    Key {
        name: "openai.model",
        secret: false,
        help: "model name sent to the chat API",
        set: |c, v| {
            c.openai_model = non_empty(v)?.unwrap_or_default();
            Ok(())
        },
        get: |c| Some(c.openai_model.clone()),
    },
    Key {
        name: "openai.api_key",
        secret: true,
        help: "bearer key for the chat API",
        set: |c, v| {
            c.openai_api_key = non_empty(v)?;
            Ok(())
        },
        get: |c| c.openai_api_key.clone(),
    },
    Key {
        name: "openai.timeout_seconds",
        secret: false,
        help: "how long a draft may take before the template is used instead",
        set: |c, v| {
            c.openai_timeout_seconds = parse_range(v, 1, 300)?;
            Ok(())
        },
        get: |c| Some(c.openai_timeout_seconds.to_string()),
    },
    Key {
        name: "inbox.quiet_seconds",
        secret: false,
        help: "how long a dropped file must keep its size and time before it is imported",
        set: |c, v| {
            c.inbox_quiet_seconds = parse_range(v, 0, 24 * 3600)?;
            Ok(())
        },
        get: |c| Some(c.inbox_quiet_seconds.to_string()),
    },
    Key {
        name: "inbox.unfinished_hours",
        secret: false,
        help: "how long a file named as still being written (.name, .part) may sit unchanged",
        set: |c, v| {
            c.inbox_unfinished_hours = parse_range(v, 1, 24 * 30)?;
            Ok(())
        },
        get: |c| Some(c.inbox_unfinished_hours.to_string()),
    },
    Key {
        name: "inbox.watch_hours",
        secret: false,
        help: "how long a filed inbox file is watched for late writes (then re-imported)",
        set: |c, v| {
            c.inbox_watch_hours = parse_range(v, 0, 24 * 30)?;
            Ok(())
        },
        get: |c| Some(c.inbox_watch_hours.to_string()),
    },
];

/// Where a setting's effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("config key `{key}` (from {origin}): {message}")]
    Value {
        key: String,
        origin: String,
        message: String,
    },
}

#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub sources: BTreeMap<&'static str, Source>,
    /// FORECOURT_* variables that name no setting (probably typos), for the log.
    pub unknown_env: Vec<String>,
}

/// Variables that are read by the CLI itself, not settings.
const NON_SETTING_ENV: &[&str] = &["FORECOURT_CONFIG"];

impl Loaded {
    /// The effective configuration as `key = value (source)` lines, secrets masked.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for key in KEYS {
            let value = match (key.get)(&self.config) {
                None => "(unset)".to_string(),
                Some(_) if key.secret => "********".to_string(),
                Some(v) => v,
            };
            let source = match self.sources.get(key.name) {
                Some(Source::File(p)) => format!("file {}", p.display()),
                Some(Source::Env(v)) => format!("env {v}"),
                _ => "default".into(),
            };
            out.push_str(&format!(
                "{:<22} = {:<40} # {}; {}\n",
                key.name, value, source, key.help
            ));
        }
        out
    }
}

/// Build the configuration. `file` is the explicit `--config` path (must exist); without one,
/// `./forecourt.toml` is read if present. `env` is the process environment (a parameter so tests
/// can pass their own).
pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Loaded, ConfigError> {
    let mut config = Config::default();
    let mut sources = BTreeMap::new();

    let path = match file {
        Some(p) => Some(p.to_path_buf()),
        None => Some(PathBuf::from("forecourt.toml")).filter(|p| p.exists()),
    };
    if let Some(path) = path {
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::File {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let table: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::File {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let mut flat = Vec::new();
        flatten("", &table, &mut flat);
        for (name, value) in flat {
            let key = KEYS.iter().find(|k| k.name == name).ok_or_else(|| ConfigError::File {
                path: path.clone(),
                message: format!(
                    "unknown key `{name}`; known keys: {}",
                    KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
                ),
            })?;
            (key.set)(&mut config, &value).map_err(|message| ConfigError::Value {
                key: name.clone(),
                origin: path.display().to_string(),
                message,
            })?;
            sources.insert(key.name, Source::File(path.clone()));
        }
    }

    let env: BTreeMap<String, String> = env.into_iter().collect();
    for key in KEYS {
        let var = key.env_var();
        if let Some(value) = env.get(&var) {
            (key.set)(&mut config, value).map_err(|message| ConfigError::Value {
                key: key.name.to_string(),
                origin: var.clone(),
                message,
            })?;
            sources.insert(key.name, Source::Env(var));
        }
    }
    let unknown_env = env
        .keys()
        .filter(|k| k.starts_with("FORECOURT_"))
        .filter(|k| !NON_SETTING_ENV.contains(&k.as_str()))
        .filter(|k| !KEYS.iter().any(|key| &key.env_var() == *k))
        .cloned()
        .collect();

    Ok(Loaded {
        config,
        sources,
        unknown_env,
    })
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) {
    for (k, v) in table {
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&name, t, out),
            toml::Value::String(s) => out.push((name, s.clone())),
            other => out.push((name, other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests;
