//! The in-process job loop. Each job has a name, a cadence and `run(app, now)`. Every run is
//! recorded in `job_runs`; a per-job lock makes sure two runs of the same job never overlap,
//! whether they come from the loop, a `tick` request or the CLI.

mod followups;
mod inbound;
pub mod inbox;
mod maintenance;
mod outbox;
pub mod scores;
mod snoozes;
pub mod surveys;
pub mod upsell;

pub use followups::due_step;

use crate::clock::to_unix;
use crate::error::Result;
use crate::store;
use crate::App;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Mutex};

pub use futures_util::future::BoxFuture;

/// What a run did, as named counts (`{"deleted": 3}`), stored with the run.
pub type Counts = BTreeMap<&'static str, i64>;

pub trait Job: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    /// How often the loop runs it.
    fn cadence(&self) -> Duration;
    fn run<'a>(&'a self, app: &'a App, now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Loop,
    Tick,
    Cli,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Loop => "loop",
            Trigger::Tick => "tick",
            Trigger::Cli => "cli",
        }
    }
}

struct Entry {
    job: Box<dyn Job>,
    lock: Arc<Mutex<()>>,
}

/// Every job the appliance runs, in the order a tick runs them.
pub struct Registry {
    entries: Vec<Arc<Entry>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RunOutcome {
    pub job: &'static str,
    pub run_id: i64,
    pub outcome: &'static str,
    pub counts: Counts,
    pub error: Option<String>,
}

impl Registry {
    /// The jobs the appliance runs.
    pub fn standard() -> Registry {
        Registry::new(vec![
            Box::new(inbound::InboundPending),
            Box::new(inbox::InboxWatcher::default()),
            Box::new(followups::FollowupCadence),
            Box::new(upsell::UpsellTriggers),
            Box::new(surveys::SurveysAsk),
            Box::new(scores::ScoresRecompute),
            Box::new(outbox::OutboxDrain),
            Box::new(snoozes::WakeSnoozed),
            Box::new(maintenance::PurgeSessions),
            Box::new(maintenance::DbMaintenance),
        ])
    }

    pub fn new(jobs: Vec<Box<dyn Job>>) -> Registry {
        Registry {
            entries: jobs
                .into_iter()
                .map(|job| {
                    Arc::new(Entry {
                        job,
                        lock: Arc::new(Mutex::new(())),
                    })
                })
                .collect(),
        }
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.entries.iter().map(|e| e.job.name()).collect()
    }

    /// Run every job once as of `now`, in order, waiting for any run already in progress.
    pub async fn run_all(&self, app: &App, now: DateTime<Utc>, trigger: Trigger) -> Result<Vec<RunOutcome>> {
        let mut out = Vec::with_capacity(self.entries.len());
        for entry in &self.entries {
            let _guard = entry.lock.lock().await;
            out.push(run_locked(entry, app, now, trigger).await?);
        }
        Ok(out)
    }
}

async fn run_locked(entry: &Entry, app: &App, now: DateTime<Utc>, trigger: Trigger) -> Result<RunOutcome> {
    let name = entry.job.name();
    let started = to_unix(app.clock.now());
    let as_of = to_unix(now);
    let run_id = app
        .db
        .write(move |c| store::job_runs::start(c, name, trigger.as_str(), as_of, started))
        .await?;
    let result = entry.job.run(app, now).await;
    let finished = to_unix(app.clock.now());
    let (outcome, counts, error) = match result {
        Ok(counts) => ("ok", counts, None),
        Err(e) => {
            tracing::error!(job = name, error = %e, "job failed");
            ("error", Counts::new(), Some(e.to_string()))
        }
    };
    let counts_json = serde_json::to_value(&counts).ok();
    let err = error.clone();
    app.db
        .write(move |c| store::job_runs::finish(c, run_id, finished, outcome, counts_json.as_ref(), err.as_deref()))
        .await?;
    tracing::info!(job = name, run_id, outcome, trigger = trigger.as_str(), counts = ?counts, "job run");
    Ok(RunOutcome {
        job: name,
        run_id,
        outcome,
        counts,
        error,
    })
}

/// The loop: wakes every `interval`, starts each job whose cadence has elapsed (a job still
/// running from before is skipped, not doubled), and stops when `shutdown` flips, waiting for
/// runs in flight to finish.
pub async fn run_loop(app: App, interval: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut last_started: Vec<Option<tokio::time::Instant>> = vec![None; app.jobs.entries.len()];
    let mut running = tokio::task::JoinSet::new();
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tracing::info!(jobs = ?app.jobs.names(), interval_s = interval.as_secs(), "job loop started");
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.changed() => break,
        }
        while running.try_join_next().is_some() {}
        for (i, entry) in app.jobs.entries.iter().enumerate() {
            let due = last_started[i].is_none_or(|t| t.elapsed() >= entry.job.cadence());
            if !due {
                continue;
            }
            let Ok(guard) = entry.lock.clone().try_lock_owned() else {
                continue;
            };
            last_started[i] = Some(tokio::time::Instant::now());
            let (app, entry) = (app.clone(), entry.clone());
            running.spawn(async move {
                let _guard = guard;
                let now = app.clock.now();
                if let Err(e) = run_locked(&entry, &app, now, Trigger::Loop).await {
                    tracing::error!(job = entry.job.name(), error = %e, "could not record job run");
                }
            });
        }
    }
    tracing::info!(in_flight = running.len(), "job loop stopping");
    while running.join_next().await.is_some() {}
    tracing::info!("job loop stopped");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::config::Config;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A job that takes a while and notes how many copies of itself ran at once.
    struct Slow {
        in_flight: Arc<AtomicUsize>,
        max_seen: Arc<AtomicUsize>,
        runs: Arc<AtomicUsize>,
    }

    impl Job for Slow {
        fn name(&self) -> &'static str {
            "test.slow"
        }
        fn cadence(&self) -> Duration {
            Duration::from_millis(1)
        }
        fn run<'a>(&'a self, _app: &'a App, _now: DateTime<Utc>) -> BoxFuture<'a, Result<Counts>> {
            Box::pin(async move {
                let n = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                self.max_seen.fetch_max(n, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(40)).await;
                self.in_flight.fetch_sub(1, Ordering::SeqCst);
                self.runs.fetch_add(1, Ordering::SeqCst);
                Ok(Counts::from([("slept", 1)]))
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_of_one_job_never_overlap_across_ticks_and_the_loop() {
        let dir = tempfile::tempdir().unwrap();
        let (in_flight, max_seen, runs) = Default::default();
        let slow = Slow {
            in_flight,
            max_seen: Arc::clone(&max_seen),
            runs: Arc::clone(&runs),
        };
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let clock = Arc::new(FixedClock::new(Utc::now()));
        let (app, _) = App::build_with_jobs(config, clock, Registry::new(vec![Box::new(slow)])).unwrap();

        let (stop_tx, stop_rx) = watch::channel(false);
        let looping = tokio::spawn(run_loop(app.clone(), Duration::from_millis(5), stop_rx));
        let ticks: Vec<_> = (0..4)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { app.jobs.run_all(&app, app.now(), Trigger::Tick).await.unwrap() })
            })
            .collect();
        for t in ticks {
            let out = t.await.unwrap();
            assert_eq!(out[0].outcome, "ok");
        }
        stop_tx.send(true).unwrap();
        looping.await.unwrap();

        assert_eq!(
            max_seen.load(Ordering::SeqCst),
            1,
            "two runs of the same job overlapped"
        );
        let done = runs.load(Ordering::SeqCst);
        assert!(done >= 4, "the four ticks all ran, and the loop ran between them");
        let recorded = store::job_runs::recent(&app.db.conn().unwrap(), Some("test.slow"), 1000).unwrap();
        assert_eq!(recorded.len(), done, "every run is recorded");
        assert!(
            recorded.iter().all(|r| r.outcome == "ok"),
            "the loop waited for its run in flight before stopping"
        );
    }
}
