//! `forecourt bench tick`: how long the upsell triggers take with a big history in the table.
//! The same number of visits is due whatever the history's size; the tick should cost the
//! same (the due scans read partial indexes by time, and each visit's facts by customer).

use crate::clock::to_unix;
use crate::domain::offers::OfferSendStatus;
use crate::domain::offers::{check_offer, describe, OfferInput};
use crate::error::{Error, Result};
use crate::store;
use crate::upsell::engine::VisitOutcome;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, serde::Serialize)]
pub struct TickFigures {
    pub events: i64,
    pub customers: i64,
    pub due: i64,
    /// seconds to generate the history (not part of the tick)
    pub generate_seconds: f64,
    /// each measured tick, seconds (the same due visits, reset between ticks)
    pub ticks: Vec<f64>,
    /// texts queued by the last tick
    pub queued: i64,
    /// a tick with nothing due, seconds
    pub idle_tick_seconds: f64,
    /// each survey run, seconds, and what the last looked at and asked (the walk is bounded:
    /// `surveys::PER_RUN` customers a run, whatever the store's size)
    pub survey_runs: Vec<f64>,
    pub survey_looked_at: usize,
    pub survey_asked: usize,
    pub db_bytes: u64,
}

const OFFERS: &str = include_str!("../../fixtures/offers.json");

/// Build a database with `events` past repair orders (three per customer) and `due`
/// appointments due for their 48-hour text, then time the upsell triggers `rounds` times.
pub async fn tick(events: i64, due: i64, rounds: usize, dir: Option<PathBuf>) -> Result<TickFigures> {
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-tick-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let app = super::app_in(&dir)?;
    let now = app.now();
    let t = to_unix(now);
    let customers = (events / 3).max(due).max(1);
    let generated = Instant::now();
    let account_id = app
        .db
        .call(move |c| {
            let tx = c.write()?;
            let account_id = super::account(&tx, t)?;
            let catalog: Vec<OfferInput> =
                serde_json::from_str(OFFERS).map_err(|e| Error::internal(format!("fixtures/offers.json: {e}")))?;
            for input in &catalog {
                let offer = check_offer(input, chrono_tz::America::Chicago)
                    .map_err(|e| Error::internal(format!("fixtures/offers.json: {}", describe(&e))))?;
                store::offers::insert(&tx, account_id, &store::offers::NewOffer::from(&offer), t)?;
            }
            store::bench_data::history(&tx, account_id, customers, events, t)?;
            store::bench_data::due_appointments(&tx, account_id, due, t)?;
            store::bench_data::analyze(&tx)?;
            tx.commit()?;
            Ok(account_id)
        })
        .await?;
    let generate_seconds = generated.elapsed().as_secs_f64();

    let mut ticks = Vec::new();
    let mut queued = 0;
    for _ in 0..rounds {
        app.db
            .write(move |c| store::bench_data::reset_due(c, account_id))
            .await?;
        let started = Instant::now();
        let report = crate::upsell::engine::send_due(&app, now).await?;
        ticks.push(started.elapsed().as_secs_f64());
        queued = report.count(VisitOutcome::Texted(OfferSendStatus::Queued)) as i64;
    }
    let started = Instant::now();
    crate::upsell::engine::send_due(&app, now).await?;
    let idle_tick_seconds = started.elapsed().as_secs_f64();
    // the survey orchestrator on the same store: each run walks the next customers
    app.db
        .write(move |tx| crate::surveys::seed_automotive(tx, account_id, t).map(|_| ()))
        .await?;
    let (mut survey_runs, mut survey_looked_at, mut survey_asked) = (Vec::new(), 0, 0);
    for _ in 0..rounds {
        let started = Instant::now();
        let report = crate::surveys::ask_due(&app.services, now).await?;
        survey_runs.push(started.elapsed().as_secs_f64());
        (survey_looked_at, survey_asked) = (report.looked_at, report.asked);
    }
    let db_bytes = std::fs::metadata(app.config.database_path())
        .map(|m| m.len())
        .unwrap_or(0);
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(TickFigures {
        events,
        customers,
        due,
        generate_seconds,
        ticks,
        queued,
        idle_tick_seconds,
        survey_runs,
        survey_looked_at,
        survey_asked,
        db_bytes,
    })
}

impl std::fmt::Display for TickFigures {
    /// The report `forecourt bench tick` prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "history         {} repair orders, {} customers",
            self.events, self.customers
        )?;
        writeln!(f, "database        {:.1} MB", self.db_bytes as f64 / 1e6)?;
        writeln!(f, "generated in    {:.1} s", self.generate_seconds)?;
        let best = self.ticks.iter().copied().fold(f64::INFINITY, f64::min);
        let all: Vec<String> = self.ticks.iter().map(|s| format!("{s:.3}")).collect();
        writeln!(
            f,
            "tick            {best:.3} s best of [{}] s for {} due ({} queued), {:.2} ms per due visit",
            all.join(", "),
            self.due,
            self.queued,
            1000.0 * best / self.due.max(1) as f64
        )?;
        writeln!(f, "idle tick       {:.4} s (nothing due)", self.idle_tick_seconds)?;
        let best = self.survey_runs.iter().copied().fold(f64::INFINITY, f64::min);
        let all: Vec<String> = self.survey_runs.iter().map(|s| format!("{s:.3}")).collect();
        writeln!(
            f,
            "survey run      {best:.3} s best of [{}] s, {} customers looked at, {} asked ({:.2} ms per customer)",
            all.join(", "),
            self.survey_looked_at,
            self.survey_asked,
            1000.0 * best / self.survey_looked_at.max(1) as f64
        )
    }
}
