//! `forecourt bench contention` and `forecourt bench inbound`: the appliance under several
//! writers at once, over real HTTP on a random port with a real database file.
//!
//! - contention: a DMS export imported through the API alone, then again (into a fresh
//!   database) while signed inbound texts (STOP, HELP, questions), lead webhooks and ticks
//!   arrive, paced over the time the import took alone. Prints each writer's p50/p99 answer
//!   time and the import's rate with and without them, then checks that every request was
//!   answered 2xx, every STOP stored and honoured, every lead and row stored and no job failed.
//! - inbound (inbound.rs): distinct signed inbound texts at a fixed concurrency, against
//!   `/healthz` at the same concurrency in the same run; checks each text is stored exactly once.

mod editors;
mod inbound;
mod report;
pub use inbound::{inbound, InboundFigures};

use crate::clock::{Clock, SystemClock};
use crate::config::{Config, SenderKind};
use crate::error::{Error, Result};
use crate::messaging::twilio_signature;
use crate::{secrets, store, App};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const STORE_NUMBER: &str = "+15125550100";
const AUTH_TOKEN: &str = "bench-auth-token";

/// What to run. The defaults are the full size.
#[derive(Debug, Clone)]
pub struct ContentionOptions {
    pub rows: usize,
    /// signed inbound texts: two in five STOP, one HELP, two questions
    pub inbound: usize,
    pub leads: usize,
    /// pause between the end of one tick and the start of the next
    pub tick_every: Duration,
    /// work directory, kept afterwards if given
    pub dir: Option<PathBuf>,
}

impl Default for ContentionOptions {
    fn default() -> Self {
        ContentionOptions {
            rows: 200_000,
            inbound: 500,
            leads: 500,
            tick_every: Duration::from_millis(500),
            dir: None,
        }
    }
}

/// Answer times of one kind of request.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Latencies {
    pub name: String,
    pub sent: usize,
    /// answers that were not 2xx (with their statuses)
    pub failed: usize,
    pub failures: Vec<String>,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latencies {
    fn from(name: &str, results: Vec<Outcome>) -> Latencies {
        let mut ms: Vec<f64> = results.iter().map(|r| r.ms).collect();
        ms.sort_by(f64::total_cmp);
        let failures: Vec<String> = results.iter().filter_map(|r| r.failure.clone()).collect();
        Latencies {
            name: name.into(),
            sent: results.len(),
            failed: failures.len(),
            failures: failures.into_iter().take(5).collect(),
            p50_ms: percentile(&ms, 0.50),
            p99_ms: percentile(&ms, 0.99),
            max_ms: ms.last().copied().unwrap_or(0.0),
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// One request's answer.
struct Outcome {
    ms: f64,
    failure: Option<String>,
}

/// What the database says afterwards.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Checked {
    pub stops_sent: usize,
    /// STOP senders whose lead is opted out and whose number is suppressed
    pub stops_honoured: usize,
    pub inbound_sent: usize,
    /// inbound texts stored in messages_in (each MessageSid at most once by the schema)
    pub inbound_stored: usize,
    /// recorded but not handled (the job loop would handle them)
    pub inbound_pending: usize,
    pub leads_sent: usize,
    pub leads_stored: usize,
    pub rows_imported: usize,
    pub job_runs: usize,
    pub job_runs_failed: usize,
    /// survey questions texted (`question_history` rows) by the survey runs and ticks
    pub surveys_asked: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ContentionFigures {
    pub rows: usize,
    pub alone_seconds: f64,
    pub busy_seconds: f64,
    pub alone_rows_per_second: f64,
    pub busy_rows_per_second: f64,
    pub import: Latencies,
    pub writers: Vec<Latencies>,
    pub checked: Checked,
    /// where the busy run's database is (when the directory is kept)
    pub database: PathBuf,
}

impl ContentionFigures {
    /// Did every promise hold? (Timings are reported, not judged.)
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for w in self.writers.iter().chain([&self.import]) {
            if w.failed > 0 {
                out.push(format!(
                    "{}: {} of {} not answered 2xx: {:?}",
                    w.name, w.failed, w.sent, w.failures
                ));
            }
        }
        let c = &self.checked;
        if c.stops_honoured != c.stops_sent {
            out.push(format!("{} of {} STOPs honoured", c.stops_honoured, c.stops_sent));
        }
        if c.inbound_stored + c.inbound_pending != c.inbound_sent {
            out.push(format!(
                "{} inbound texts stored and {} pending of {} sent",
                c.inbound_stored, c.inbound_pending, c.inbound_sent
            ));
        }
        if c.leads_stored != c.leads_sent {
            out.push(format!("{} of {} leads stored", c.leads_stored, c.leads_sent));
        }
        if c.rows_imported != self.rows {
            out.push(format!("{} of {} rows imported", c.rows_imported, self.rows));
        }
        if c.job_runs_failed > 0 {
            out.push(format!("{} of {} job runs failed", c.job_runs_failed, c.job_runs));
        }
        out
    }
}

/// A served appliance for a bench: its own database under `dir`, the job loop off, texts
/// logged (not sent), webhooks signed with [`AUTH_TOKEN`].
pub struct Served {
    pub app: App,
    pub url: String,
    pub account_id: i64,
    pub api_key: String,
    pub admin_key: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

impl Served {
    pub async fn start(dir: &Path) -> Result<Served> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(Error::internal)?;
        let addr = listener.local_addr().map_err(Error::internal)?;
        let url = format!("http://{addr}");
        let config = Config {
            bind: addr,
            data_dir: dir.join("data"),
            public_url: Some(url.clone()),
            jobs_enabled: false,
            sender: SenderKind::Log,
            twilio_auth_token: Some(AUTH_TOKEN.into()),
            log_level: "warn".into(),
            ..Config::default()
        };
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let (app, admin) = App::build(config, clock)?;
        let api_key = secrets::new_api_key();
        let now = app.now().timestamp();
        let hash = secrets::sha256_hex(&api_key);
        let account_id = app
            .db
            .write(move |tx| {
                let id = store::accounts::insert(
                    tx,
                    &store::accounts::NewAccount {
                        name: "Bench Motors",
                        timezone: chrono_tz::America::Chicago,
                        vertical: crate::domain::account::Vertical::Automotive,
                        api_key_hash: &hash,
                        twilio_number: Some(STORE_NUMBER),
                    },
                    now,
                )?;
                // follow-ups would text every lead the bench sends; the bench measures writes
                let prefs = store::accounts::MessagingPrefs {
                    help_text: None,
                    auto_reply: None,
                    followup_days_json: Some("[]"),
                    cap_per_lead_day: None,
                    cap_per_lead_week: None,
                };
                store::accounts::set_messaging_prefs(tx, id, &prefs, now)?;
                crate::surveys::seed_automotive(tx, id, now)?;
                Ok(id)
            })
            .await?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = app.clone();
        let server = tokio::spawn(async move {
            if let Err(e) = crate::web::serve(served, listener, async {
                stopped.await.ok();
            })
            .await
            {
                tracing::error!(error = %e, "bench server stopped");
            }
        });
        Ok(Served {
            app,
            url,
            account_id,
            api_key,
            admin_key: admin.key,
            stop: Some(stop),
            server: Some(server),
        })
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            s.send(()).ok();
        }
        if let Some(h) = self.server.take() {
            h.await.ok();
        }
    }
}

fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(Error::internal)
}

async fn timed(req: reqwest::RequestBuilder) -> (Outcome, Option<String>) {
    let started = Instant::now();
    let (failure, body) = match req.send().await {
        Ok(resp) => {
            let status = resp.status();
            let body = resp.text().await.ok();
            if status.is_success() {
                (None, body)
            } else {
                (
                    Some(format!(
                        "{status} {}",
                        body.unwrap_or_default().chars().take(200).collect::<String>()
                    )),
                    None,
                )
            }
        }
        Err(e) => (Some(format!("no answer: {e}")), None),
    };
    (
        Outcome {
            ms: started.elapsed().as_secs_f64() * 1000.0,
            failure,
        },
        body,
    )
}

/// An inbound text as Twilio would post it, signed.
fn inbound_request(http: &reqwest::Client, base: &str, sid: &str, from: &str, body: &str) -> reqwest::RequestBuilder {
    let params: Vec<(String, String)> = vec![
        ("AccountSid".into(), "ACbench".into()),
        ("Body".into(), body.into()),
        ("From".into(), from.into()),
        ("MessageSid".into(), sid.into()),
        ("NumMedia".into(), "0".into()),
        ("To".into(), STORE_NUMBER.into()),
    ];
    let url = format!("{base}/webhooks/twilio/inbound");
    let signature = twilio_signature::compute(AUTH_TOKEN, &url, &params);
    http.post(url).header("x-twilio-signature", signature).form(&params)
}

/// What inbound text `i` says: two in five STOP (the keyword, or the same in the customer's own words), one HELP, two
/// questions.
fn inbound_body(i: usize) -> &'static str {
    match i % 5 {
        0 => "STOP",
        // an opt-out in the customer's own words is a STOP too (domain::revocation)
        1 => "please stop texting me",
        2 => "HELP",
        3 => "Is my car ready yet?",
        _ => "What time do you close today?",
    }
}

fn is_stop(i: usize) -> bool {
    i % 5 < 2
}

/// Who sends inbound text `i`: even ones a customer of the generated export (whose rows the
/// import may be writing at that moment), odd ones a number the store has never seen.
fn inbound_phone(i: usize, customers: usize) -> String {
    if i.is_multiple_of(2) {
        super::export_phone_e164((i / 2 * 7919) % customers)
    } else {
        format!("+1737{:03}{:04}", 201 + (i / 10_000) % 700, i % 10_000)
    }
}

fn lead_phone(i: usize) -> String {
    format!("+1469{:03}{:04}", 201 + (i / 10_000) % 700, i % 10_000)
}

fn lead_body(i: usize) -> serde_json::Value {
    serde_json::json!({
        "first_name": "Lee",
        "last_name": format!("Bench{i}"),
        "phone": lead_phone(i),
        "email": format!("lee{i}@bench.example"),
        "state": "TX",
        "source": "website",
        "vehicle": {"interest": "buy", "year": "2024", "make": "Honda", "model": "CR-V"}
    })
}

async fn import_over_http(s: &Served, http: &reqwest::Client, csv: &Path) -> Result<(Latencies, f64)> {
    let bytes = tokio::fs::read(csv).await.map_err(Error::internal)?;
    let started = Instant::now();
    let (outcome, _) = timed(
        http.post(format!("{}/api/appointments/import", s.url))
            .bearer_auth(&s.api_key)
            .header("content-type", "text/csv")
            .body(bytes),
    )
    .await;
    let seconds = started.elapsed().as_secs_f64();
    Ok((Latencies::from("import", vec![outcome]), seconds))
}

/// `n` requests made by `make(i)`, the i-th sent at `i * spacing` from now (each on its own
/// task, so a slow answer does not delay the next).
async fn paced(n: usize, spacing: Duration, make: impl Fn(usize) -> reqwest::RequestBuilder) -> Vec<Outcome> {
    let started = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        tokio::time::sleep_until(started + spacing * i as u32).await;
        let req = make(i);
        tasks.spawn(async move { timed(req).await.0 });
    }
    let mut out = Vec::with_capacity(n);
    while let Some(r) = tasks.join_next().await {
        out.push(r.unwrap_or(Outcome {
            ms: 0.0,
            failure: Some("task panicked".into()),
        }));
    }
    out
}

/// Run the contention bench.
pub async fn contention(opts: ContentionOptions) -> Result<ContentionFigures> {
    let keep = opts.dir.is_some();
    let dir = opts
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-contention-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let figures = contention_in(&opts, &dir).await;
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    figures
}

async fn contention_in(opts: &ContentionOptions, dir: &Path) -> Result<ContentionFigures> {
    let customers = super::export_customers(opts.rows);
    if customers < opts.inbound / 2 + 1 {
        return Err(Error::invalid(
            "too_few_rows",
            "the export needs a customer for every other inbound text: raise --rows",
        ));
    }
    let csv = dir.join("export.csv");
    super::generate_export(&csv, opts.rows, 7).map_err(Error::internal)?;
    let http = client()?;

    // the import alone
    let alone = Served::start(&dir.join("alone")).await?;
    let (alone_import, alone_seconds) = import_over_http(&alone, &http, &csv).await?;
    if alone_import.failed > 0 {
        return Err(Error::internal(format!(
            "the import alone failed: {:?}",
            alone_import.failures
        )));
    }
    alone.stop().await;

    // the import with everyone else
    let s = Served::start(&dir.join("busy")).await?;
    let window = Duration::from_secs_f64(alone_seconds);
    let spacing = |n: usize| window / (n.max(1) as u32);
    let importing = import_over_http(&s, &http, &csv);
    let inbound = paced(opts.inbound, spacing(opts.inbound), |i| {
        inbound_request(
            &http,
            &s.url,
            &format!("SMbench{i:06}"),
            &inbound_phone(i, customers),
            inbound_body(i),
        )
    });
    let leads = paced(opts.leads, spacing(opts.leads), |i| {
        http.post(format!("{}/api/leads/webhook", s.url))
            .bearer_auth(&s.api_key)
            .json(&lead_body(i))
    });
    // the survey orchestrator asked to run (at a legal hour in Chicago, any day) and the
    // manager editing a question, while the rest writes
    let surveys_at = format!("{}T19:00:00Z", chrono::Utc::now().date_naive());
    let survey_runs = opts.leads.div_ceil(25);
    let asking = paced(survey_runs, spacing(survey_runs), |_| {
        http.post(format!("{}/api/internal/surveys/ask", s.url))
            .query(&[("as_of", surveys_at.as_str())])
            .bearer_auth(&s.admin_key)
    });
    let question = editors::question_to_edit(&http, &s).await?;
    let editing = paced(survey_runs, spacing(survey_runs), |i| {
        let mut body = question.1.clone();
        body["priority"] = serde_json::json!(1 + (i % 2));
        http.put(format!("{}/api/questions/{}", s.url, question.0))
            .bearer_auth(&s.api_key)
            .json(&body)
    });
    // reps confirming and correcting facts on customers' cards
    let customers_with_facts = editors::customers_for_facts(&http, &s, 10).await?;
    let fact_edits = paced(survey_runs, spacing(survey_runs), |i| {
        editors::fact_edit(&http, &s, customers_with_facts[i % customers_with_facts.len()], i)
    });
    let done = std::sync::atomic::AtomicBool::new(false);
    let ticking = async {
        let mut ticks = Vec::new();
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            let (outcome, body) = timed(
                http.post(format!("{}/api/internal/tick", s.url))
                    .bearer_auth(&s.admin_key),
            )
            .await;
            let failed_job = body.as_deref().is_some_and(|b| b.contains("\"outcome\":\"error\""));
            ticks.push(if failed_job {
                Outcome {
                    ms: outcome.ms,
                    failure: Some(format!("a job failed: {}", body.unwrap_or_default())),
                }
            } else {
                outcome
            });
            tokio::time::sleep(opts.tick_every).await;
        }
        ticks
    };
    let writers = async {
        let (imported, inbound, leads, asked, edited, facts) =
            tokio::join!(importing, inbound, leads, asking, editing, fact_edits);
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        (imported, inbound, leads, asked, edited, facts)
    };
    let ((imported, inbound, leads, asked, edited, facts), ticks) = tokio::join!(writers, ticking);
    let (busy_import, busy_seconds) = imported?;

    let (stops, inbound_sids): (Vec<String>, Vec<String>) = (
        (0..opts.inbound)
            .filter(|i| is_stop(*i))
            .map(|i| inbound_phone(i, customers))
            .collect(),
        (0..opts.inbound).map(|i| format!("SMbench{i:06}")).collect(),
    );
    let lead_phones: Vec<String> = (0..opts.leads).map(lead_phone).collect();
    let account_id = s.account_id;
    let checked = s
        .app
        .db
        .call(move |c| {
            Ok(Checked {
                stops_sent: stops.len(),
                stops_honoured: store::bench_data::honoured_stops(c, account_id, &stops)?,
                inbound_sent: inbound_sids.len(),
                inbound_stored: store::bench_data::stored_inbound(c, account_id, &inbound_sids)?,
                inbound_pending: store::inbound_raw::pending_count(c)? as usize,
                leads_sent: lead_phones.len(),
                leads_stored: store::bench_data::stored_leads(c, account_id, &lead_phones)?,
                rows_imported: store::bench_data::imported_events(c, account_id)?,
                job_runs: store::bench_data::job_runs(c, None)?,
                job_runs_failed: store::bench_data::job_runs(c, Some("error"))?,
                surveys_asked: store::bench_data::surveys_asked(c, account_id)?,
            })
        })
        .await?;
    let database = s.app.db.path().to_path_buf();
    s.stop().await;
    Ok(ContentionFigures {
        rows: opts.rows,
        alone_seconds,
        busy_seconds,
        alone_rows_per_second: opts.rows as f64 / alone_seconds,
        busy_rows_per_second: opts.rows as f64 / busy_seconds,
        import: busy_import,
        writers: vec![
            Latencies::from(
                "inbound STOP",
                inbound
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| is_stop(*i))
                    .map(|(_, o)| Outcome {
                        ms: o.ms,
                        failure: o.failure.clone(),
                    })
                    .collect(),
            ),
            Latencies::from(
                "inbound other",
                inbound
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !is_stop(*i))
                    .map(|(_, o)| o)
                    .collect(),
            ),
            Latencies::from("lead webhook", leads),
            Latencies::from("survey run", asked),
            Latencies::from("question edit", edited),
            Latencies::from("fact edit", facts),
            Latencies::from("tick", ticks),
        ],
        checked,
        database,
    })
}
