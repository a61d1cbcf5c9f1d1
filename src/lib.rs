//! forecourt: a self-hosted customer-lifecycle texting appliance for car dealerships.
//!
//! [`App`] bundles what every part needs (configuration, database, clock, jobs) and is built
//! the same way by the binary and by the tests.

pub mod bench;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod drafting;
pub mod error;
pub mod experiments;
pub mod ingest;
pub mod jobs;
pub mod messaging;
pub mod secrets;
pub mod store;
pub mod surveys;
pub mod upsell;
pub mod watchlist;
pub mod web;

use clock::Clock;
use config::Config;
use db::Db;
use error::{Error, Result};
use std::sync::Arc;

#[derive(Clone)]
pub struct App(Arc<AppInner>);

pub struct AppInner {
    /// what the send path runs on (configuration, database, clock, sender, drafter, listeners);
    /// read through: `app.db` is `app.services.db`
    pub services: messaging::Services,
    pub jobs: jobs::Registry,
    /// failed sign-ins per email and per client address (in memory)
    pub login_throttle: web::login_throttle::LoginThrottle,
    admin_key: String,
}

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl std::ops::Deref for AppInner {
    type Target = messaging::Parts;
    fn deref(&self) -> &messaging::Parts {
        &self.services
    }
}

/// The admin key and whether this start created it (so it can be shown once).
pub struct AdminKey {
    pub key: String,
    pub generated: bool,
}

impl App {
    /// Open the database, apply migrations, resolve the admin key.
    pub fn build(config: Config, clock: Arc<dyn Clock>) -> Result<(App, AdminKey)> {
        Self::build_with_jobs(config, clock, jobs::Registry::standard())
    }

    /// As [`App::build`], with a chosen set of jobs.
    pub fn build_with_jobs(config: Config, clock: Arc<dyn Clock>, jobs: jobs::Registry) -> Result<(App, AdminKey)> {
        let db = Db::open(&config.database_path())?;
        let report = db.migrate()?;
        if !report.applied.is_empty() {
            tracing::info!(applied = ?report.applied, version = ?report.version, "migrations applied");
        }
        let started = clock::to_unix(clock.now());
        let (interrupted, stale) = db.conn()?.write_with(|tx| {
            Ok((
                store::job_runs::mark_interrupted(tx, started)?,
                store::messages::mark_stale_sending(tx, i64::MAX, started)?,
            ))
        })?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "job runs from a previous process were interrupted");
        }
        if stale > 0 {
            tracing::warn!(
                stale,
                "texts were mid-send when the last process stopped; marked unknown, not re-sent"
            );
        }
        let (uploads, expired) = ingest::dms_import::clean_up_at_start(&config.data_dir, clock.now());
        if uploads > 0 {
            tracing::warn!(uploads, "removed uploads an interrupted import left behind");
        }
        if expired > 0 {
            tracing::info!(expired, "removed import reports past their time");
        }
        let admin = resolve_admin_key(&config)?;
        let sender: Arc<dyn messaging::sender::Sender> = match config.sender {
            config::SenderKind::Log => Arc::new(messaging::sender::LogSender),
            config::SenderKind::Twilio => Arc::new(messaging::sender::TwilioSender::new(
                &config.twilio_api_base,
                std::time::Duration::from_secs(config.twilio_timeout_seconds),
            )),
        };
        let drafter: Arc<dyn drafting::Drafter> = match config.drafter {
            config::DrafterKind::Template => Arc::new(drafting::TemplateDrafter),
            config::DrafterKind::OpenAi => Arc::new(drafting::OpenAiDrafter::new(
                &config.openai_base_url,
                &config.openai_model,
                config.openai_api_key.clone(),
                std::time::Duration::from_secs(config.openai_timeout_seconds),
            )),
        };
        let services = messaging::Services::new(messaging::Parts {
            config,
            db,
            clock,
            sender,
            drafter,
            // survey answers first: each yields to an offer waiting for its yes or no
            listeners: vec![
                Box::new(surveys::answers::SurveyAnswers),
                Box::new(upsell::replies::OfferReplies),
            ],
        });
        let app = App(Arc::new(AppInner {
            services,
            jobs,
            login_throttle: web::login_throttle::LoginThrottle::default(),
            admin_key: admin.key.clone(),
        }));
        Ok((app, admin))
    }

    /// Does the presented key match the admin key? Constant time.
    pub fn is_admin_key(&self, presented: &str) -> bool {
        secrets::secrets_equal(presented, &self.admin_key)
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// The configured admin key, else the one stored in the data dir, else a new one written
/// there with mode 0600.
fn resolve_admin_key(config: &Config) -> Result<AdminKey> {
    if let Some(key) = &config.admin_key {
        return Ok(AdminKey {
            key: key.clone(),
            generated: false,
        });
    }
    let path = config.admin_key_path();
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => {
            return Ok(AdminKey {
                key: text.trim().to_string(),
                generated: false,
            })
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::internal(format!("cannot read {}: {e}", path.display()))),
    }
    let key = secrets::random_token(32);
    write_private(&path, &format!("{key}\n"))?;
    Ok(AdminKey { key, generated: true })
}

/// Write a file only its owner can read.
pub fn write_private(path: &std::path::Path, contents: &str) -> Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| Error::internal(format!("cannot write {}: {e}", path.display())))?;
    f.write_all(contents.as_bytes())
        .map_err(|e| Error::internal(format!("cannot write {}: {e}", path.display())))?;
    Ok(())
}
