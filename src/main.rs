//! The forecourt command line: serve the appliance, migrate, manage accounts and logins,
//! replay a moment of the job loop, back up.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use forecourt::clock::{Clock, SystemClock};
use forecourt::config::{self, Config, LogFormat};
use forecourt::db::Db;
use forecourt::domain::account::{parse_timezone, validate_name, Vertical};
use forecourt::jobs::Trigger;
use forecourt::{demo, secrets, store, App};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

#[path = "cmd/bench.rs"]
mod bench_cmd;
#[path = "cmd/import.rs"]
mod import_cmd;
#[path = "cmd/watchlist.rs"]
mod watchlist_cmd;
use bench_cmd::BenchCmd;
use import_cmd::import;
use watchlist_cmd::WatchlistCmd;

#[derive(Parser)]
#[command(
    name = "forecourt",
    version,
    about = "Self-hosted texting appliance for car dealerships"
)]
struct Cli {
    /// Config file (default: ./forecourt.toml if present)
    #[arg(long, global = true, env = "FORECOURT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server and the job loop
    Serve {
        /// Seed the demo dealership first (once per database) and print its login
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit
    Migrate,
    /// Print the effective configuration (secrets masked) and where each value came from
    Config,
    /// Seed the demo dealership (once per database) and print its login
    Demo,
    /// Run every job once as of a moment (default: now)
    Tick {
        /// RFC 3339 timestamp, e.g. 2026-11-24T15:00:00Z
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Import a DMS export (CSV): service appointments and repair orders, or sales (deals)
    Import {
        file: PathBuf,
        #[arg(long)]
        account: i64,
        /// Check and report without writing anything
        #[arg(long)]
        dry_run: bool,
        /// What the export holds: `service` or `deals` (default: read from its headers)
        #[arg(long)]
        kind: Option<String>,
    },
    /// Measure the whole system on generated data
    #[command(subcommand)]
    Bench(BenchCmd),
    /// The next-to-buy watchlist: check it against the store's own history
    #[command(subcommand)]
    Watchlist(WatchlistCmd),
    /// Copy the database to a file, consistently, while the appliance runs
    Backup {
        /// Destination file (must not exist)
        to: PathBuf,
    },
    /// Dealership accounts (rooftops)
    #[command(subcommand)]
    Account(AccountCmd),
    /// Dashboard logins
    #[command(subcommand)]
    User(UserCmd),
}

#[derive(Subcommand)]
enum AccountCmd {
    /// Create an account and print its API key (shown once)
    Create {
        #[arg(long)]
        name: String,
        /// IANA time zone, e.g. America/Chicago
        #[arg(long)]
        timezone: String,
        /// general, automotive, powersports, marine or rv
        #[arg(long, default_value = "general")]
        vertical: String,
        /// The store's Twilio number in E.164, e.g. +15125550100
        #[arg(long)]
        twilio_number: Option<String>,
    },
    /// List accounts
    List,
    /// Change an account's time zone (its pages, its imports' local times, and where a
    /// customer is when nothing else says)
    SetTimezone {
        #[arg(long)]
        id: i64,
        /// IANA time zone, e.g. America/Chicago
        #[arg(long)]
        timezone: String,
    },
    /// Replace an account's API key and print the new one (the old one stops working)
    RotateKey {
        #[arg(long)]
        id: i64,
    },
    /// Connect an account to Twilio: its number, and optionally its own SID, messaging
    /// service and auth token reference (env:VAR or file:PATH; default: the config's)
    SetTwilio {
        #[arg(long)]
        id: i64,
        /// The store's Twilio number, e.g. +15125550100
        #[arg(long)]
        number: String,
        #[arg(long)]
        account_sid: Option<String>,
        #[arg(long)]
        messaging_service_sid: Option<String>,
        /// env:NAME or file:PATH holding the auth token
        #[arg(long)]
        auth_token_ref: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a dashboard login; the password is read from stdin with --password-stdin, else generated and printed
    Add {
        #[arg(long)]
        account: i64,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// admin, manager or rep
        #[arg(long, default_value = "manager")]
        role: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a login's password (from stdin with --password-stdin, else generated and printed)
    Password {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

fn run(cli: Cli) -> Result<()> {
    let loaded = config::load(cli.config.as_deref(), std::env::vars())?;
    if let Command::Config = cli.command {
        print!("{}", loaded.describe());
        return Ok(());
    }
    let mut config = loaded.config;
    if matches!(cli.command, Command::Bench(_)) && std::env::var_os("FORECOURT_LOG_LEVEL").is_none() {
        // a bench prints its figures; the appliance's own request and job lines would bury them
        config.log_level = "warn".into();
    }
    init_logging(&config);
    for var in &loaded.unknown_env {
        tracing::warn!(variable = %var, "environment variable names no forecourt setting (typo?)");
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);

    match cli.command {
        Command::Config => unreachable!("handled above"),
        Command::Migrate => {
            let db = Db::open(&config.database_path())?;
            let report = db.migrate().context("the database was left as it was")?;
            if report.applied.is_empty() {
                println!(
                    "database {} is up to date (schema version {})",
                    db.path().display(),
                    report.version.unwrap_or(0)
                );
            } else {
                println!(
                    "applied {}; schema version {}",
                    report.applied.join(", "),
                    report.version.unwrap_or(0)
                );
            }
        }
        Command::Serve { demo } => serve(config, clock, demo)?,
        Command::Demo => {
            let app = build_app(config, clock)?;
            let login = seed_demo(&app)?;
            print_demo_login(&app, &login);
        }
        Command::Tick { as_of } => {
            let app = build_app(config, clock)?;
            let now = match as_of {
                Some(s) => chrono::DateTime::parse_from_rfc3339(&s)
                    .with_context(|| format!("--as-of `{s}` is not an RFC 3339 timestamp (e.g. 2026-11-24T15:00:00Z)"))?
                    .to_utc(),
                None => app.now(),
            };
            let rt = tokio::runtime::Runtime::new()?;
            let runs = rt.block_on(app.jobs.run_all(&app, now, Trigger::Cli))?;
            for r in runs {
                println!("{:<20} {:<6} {}", r.job, r.outcome, serde_json::to_string(&r.counts)?);
            }
        }
        Command::Import {
            file,
            account,
            dry_run,
            kind,
        } => import(config, clock, &file, account, dry_run, kind.as_deref())?,
        Command::Bench(cmd) => bench_cmd::run(cmd)?,
        Command::Watchlist(cmd) => watchlist_cmd::run(config, clock, cmd)?,
        Command::Backup { to } => {
            if to.exists() {
                bail!("{} already exists; choose a new file", to.display());
            }
            // opening a database creates it: a data dir without one would get an empty database
            // and the copy of that would pass for a backup
            let source = config.database_path();
            if !source.is_file() {
                bail!(
                    "there is no forecourt database at {}; nothing to back up (is --config or \
                     FORECOURT_DATA_DIR pointing at the right data directory?)",
                    source.display()
                );
            }
            let db = Db::open(&source)?;
            db.backup_to(&to)?;
            println!("backed up {} to {}", db.path().display(), to.display());
        }
        Command::Account(cmd) => account(config, clock, cmd)?,
        Command::User(cmd) => user(config, clock, cmd)?,
    }
    Ok(())
}

/// Build the app; on the start that creates the admin key, show it once.
fn build_app(config: Config, clock: Arc<dyn Clock>) -> Result<App> {
    let (app, admin) = App::build(config, clock)?;
    if admin.generated {
        println!(
            "A new admin key was generated and saved to {} (mode 0600):",
            app.config.admin_key_path().display()
        );
        println!("    {}", admin.key);
        println!("It is shown only this once; read it from that file later.");
    }
    Ok(app)
}

fn seed_demo(app: &App) -> Result<demo::DemoLogin> {
    let started = std::time::Instant::now();
    let mut conn = app.db.conn()?;
    let login = demo::seed(&mut conn, &app.config.data_dir, app.now())?;
    if login.created {
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo dealership seeded"
        );
    }
    Ok(login)
}

fn print_demo_login(app: &App, login: &demo::DemoLogin) {
    let url = app.config.public_url();
    println!();
    println!("  Demo dealership: {}", demo::DEMO_ACCOUNT);
    println!("  Dashboard:       {url}/");
    println!("  Email:           {}", login.email);
    println!("  Password:        {}", login.password);
    if let Some(key) = &login.api_key {
        println!("  API key:         {key}  (shown once; also in demo-login.txt)");
    }
    println!();
}

fn serve(config: Config, clock: Arc<dyn Clock>, with_demo: bool) -> Result<()> {
    let app = build_app(config, clock)?;
    if with_demo {
        let login = seed_demo(&app)?;
        print_demo_login(&app, &login);
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(app.config.bind)
            .await
            .with_context(|| format!("cannot listen on {} (config key `bind`)", app.config.bind))?;
        tracing::info!(addr = %listener.local_addr()?, public_url = %app.config.public_url(), "forecourt listening");
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let jobs = app.config.jobs_enabled.then(|| {
            let interval = std::time::Duration::from_secs(app.config.jobs_interval_seconds);
            tokio::spawn(forecourt::jobs::run_loop(app.clone(), interval, stop_rx))
        });
        forecourt::web::serve(app.clone(), listener, shutdown_signal()).await?;
        let _ = stop_tx.send(true);
        if let Some(handle) = jobs {
            handle.await.ok();
        }
        tracing::info!("forecourt stopped");
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutdown requested; finishing in-flight work");
}

fn read_password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        if pw.chars().count() < 10 {
            bail!("the password must be at least 10 characters");
        }
        if std::io::stdin().is_terminal() {
            eprintln!("(password read)");
        }
        Ok((pw, false))
    } else {
        Ok((secrets::random_token(12), true))
    }
}

fn account(config: Config, clock: Arc<dyn Clock>, cmd: AccountCmd) -> Result<()> {
    let app = build_app(config, clock)?;
    let mut conn = app.db.conn()?;
    let now = app.now().timestamp();
    match cmd {
        AccountCmd::Create {
            name,
            timezone,
            vertical,
            twilio_number,
        } => {
            let name = validate_name(&name)?;
            let tz = parse_timezone(&timezone)?;
            let vertical: Vertical = vertical.parse()?;
            let key = secrets::new_api_key();
            let twilio_number = twilio_number
                .map(|n| forecourt::domain::phone::normalize(&n))
                .transpose()?;
            let id = conn.write_with(|tx| {
                store::accounts::insert(
                    tx,
                    &store::accounts::NewAccount {
                        name: &name,
                        timezone: tz,
                        vertical,
                        api_key_hash: &secrets::sha256_hex(&key),
                        twilio_number: twilio_number.as_deref(),
                    },
                    now,
                )
                .and_then(|id| {
                    // a dealership starts with the automotive survey questions (docs/SURVEYS.md)
                    if vertical == Vertical::Automotive {
                        forecourt::surveys::seed_automotive(tx, id, now)?;
                    }
                    Ok(id)
                })
            })?;
            println!("created account {id}: {name} ({vertical}, {})", tz.name());
            println!("API key (shown once, store it safely): {key}");
        }
        AccountCmd::List => {
            for a in store::accounts::list(&conn)? {
                println!(
                    "{:>4}  {:<36} {:<12} {:<20} {}",
                    a.id,
                    a.name,
                    a.vertical,
                    a.timezone,
                    a.twilio_number.unwrap_or_default()
                );
            }
        }
        AccountCmd::SetTwilio {
            id,
            number,
            account_sid,
            messaging_service_sid,
            auth_token_ref,
        } => {
            let number = forecourt::domain::phone::normalize(&number)?;
            if let Some(r) = &auth_token_ref {
                if !(r.starts_with("env:") || r.starts_with("file:")) {
                    bail!("--auth-token-ref must be env:NAME or file:PATH (the token itself is never stored)");
                }
            }
            store::accounts::get(&conn, id)?;
            conn.write_with(|tx| {
                store::accounts::set_twilio(
                    tx,
                    id,
                    &store::accounts::TwilioSettings {
                        number: Some(&number),
                        account_sid: account_sid.as_deref(),
                        messaging_service_sid: messaging_service_sid.as_deref(),
                        auth_token_ref: auth_token_ref.as_deref(),
                    },
                    now,
                )
            })?;
            println!("account {id} texts from {number}");
            println!(
                "point the number's incoming-message webhook at {}/webhooks/twilio/inbound",
                app.config.public_url()
            );
        }
        AccountCmd::SetTimezone { id, timezone } => {
            let tz = parse_timezone(&timezone)?;
            if !conn.write_with(|tx| store::accounts::set_timezone(tx, id, tz, now))? {
                bail!("there is no account {id}");
            }
            println!("account {id} is in {}", tz.name());
        }
        AccountCmd::RotateKey { id } => {
            let key = secrets::new_api_key();
            conn.write_with(|tx| store::accounts::set_api_key_hash(tx, id, &secrets::sha256_hex(&key), now))?;
            println!("new API key for account {id} (shown once): {key}");
        }
    }
    Ok(())
}

fn user(config: Config, clock: Arc<dyn Clock>, cmd: UserCmd) -> Result<()> {
    let app = build_app(config, clock)?;
    let mut conn = app.db.conn()?;
    let now = app.now().timestamp();
    match cmd {
        UserCmd::Add {
            account,
            email,
            name,
            role,
            password_stdin,
        } => {
            let Some(role) = forecourt::domain::users::Role::parse(&role) else {
                bail!("unknown role `{role}`; expected admin, manager or rep");
            };
            let email = email.trim().to_string();
            if !email.contains('@') {
                bail!("`{email}` is not an email address");
            }
            store::accounts::get(&conn, account)?;
            let (password, generated) = read_password(password_stdin)?;
            let hash = secrets::hash_password(&password).map_err(anyhow::Error::msg)?;
            conn.write_with(|tx| store::users::insert(tx, account, &email, name.as_deref(), role, &hash, now))?;
            println!("created login {email} ({role}) for account {account}");
            if generated {
                println!("password (shown once): {password}");
            }
        }
        UserCmd::Password { email, password_stdin } => {
            let (password, generated) = read_password(password_stdin)?;
            let hash = secrets::hash_password(&password).map_err(anyhow::Error::msg)?;
            conn.write_with(|tx| store::users::set_password(tx, email.trim(), &hash))?;
            println!("password changed for {}", email.trim());
            if generated {
                println!("new password (shown once): {password}");
            }
        }
    }
    Ok(())
}
