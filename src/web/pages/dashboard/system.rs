//! The job loop in words: each job's last run on the dashboard ("Sent waiting texts: ok, 3
//! sent, 2 min ago"), failures in red, and a page of a job's recent runs behind each line.

use crate::store;
use crate::store::job_runs::JobRun;
use crate::web::auth::CurrentUser;
use crate::web::pages::view::{local_time, Nav};
use crate::web::pages::{error_page, page_error, render};
use crate::App;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono_tz::Tz;

/// What each job does, for a manager.
fn job_in_words(job: &str) -> &str {
    match job {
        "inbound.pending" => "Inbound texts left to handle",
        "inbox.import" => "DMS files dropped in the watched folder",
        "followups.cadence" => "Follow-ups to new leads",
        "upsell.triggers" => "Upsell offers at each moment of a visit",
        "surveys.ask" => "Survey questions",
        "scores.recompute" => "Next-to-buy scores for the watchlist",
        "outbox.drain" => "Texts waiting to be sent",
        "inbox.snoozes" => "Snoozed conversations waking up",
        "sessions.purge" => "Expired sign-ins cleared",
        "db.maintenance" => "Database upkeep",
        other => other,
    }
}

/// A run's counts in words: "3 sent, 1 held" (zeros left out), or "nothing to do".
pub fn counts_in_words(counts: Option<&serde_json::Value>) -> String {
    let Some(serde_json::Value::Object(map)) = counts else {
        return "nothing to do".into();
    };
    let parts: Vec<String> = map
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Number(n) if n.as_f64().unwrap_or(0.0) != 0.0 => {
                Some(format!("{n} {}", k.replace('_', " ")))
            }
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        "nothing to do".into()
    } else {
        parts.join(", ")
    }
}

/// "just now", "4 min ago", "3 h ago", or the date.
fn ago(then: i64, now: i64, tz: Tz) -> String {
    match now - then {
        s if s < 60 => "just now".into(),
        s if s < 3600 => format!("{} min ago", s / 60),
        s if s < 86_400 => format!("{} h ago", s / 3600),
        _ => local_time(then, tz),
    }
}

/// One job on the dashboard.
pub struct JobLine {
    pub job: String,
    pub what: String,
    pub words: String,
    pub when: String,
    /// `bad` when the last run failed or runs failed in the last day
    pub tone: &'static str,
    pub href: String,
}

pub fn lines(conn: &rusqlite::Connection, jobs: &[&str], now: i64, tz: Tz) -> crate::error::Result<Vec<JobLine>> {
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let (last, failed) = store::job_runs::latest(conn, job, now - 86_400)?;
        let (words, when, bad) = match &last {
            None => ("has not run yet".to_string(), String::new(), false),
            Some(r) => {
                let mut words = run_in_words(r);
                if failed > 0 {
                    words.push_str(&format!(" ({failed} failed in the last 24 h)"));
                }
                (
                    words,
                    ago(r.started_at, now, tz),
                    failed > 0 || !matches!(r.outcome.as_str(), "ok" | "running"),
                )
            }
        };
        out.push(JobLine {
            job: job.to_string(),
            what: job_in_words(job).to_string(),
            words,
            when,
            tone: if bad { "bad" } else { "" },
            href: format!("/system/jobs/{job}"),
        });
    }
    Ok(out)
}

fn run_in_words(r: &JobRun) -> String {
    match r.outcome.as_str() {
        "ok" => format!("ok: {}", counts_in_words(r.counts.as_ref())),
        "running" => "running now".into(),
        other => format!("{other}: {}", r.error.as_deref().unwrap_or("no error was recorded")),
    }
}

pub struct RunRow {
    pub when: String,
    pub trigger: String,
    pub outcome: String,
    pub words: String,
    pub tone: &'static str,
}

#[derive(Template)]
#[template(path = "job_runs.html")]
struct JobRunsPage {
    nav: Nav,
    job: String,
    what: String,
    runs: Vec<RunRow>,
}

/// `GET /system/jobs/{job}`: the job's last 50 runs.
pub async fn job_runs(State(app): State<App>, user: CurrentUser, Path(job): Path<String>) -> Response {
    let Some(name) = app.jobs.names().into_iter().find(|n| *n == job) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "No such job",
            "The appliance runs no job by that name.",
        );
    };
    let account_id = user.0.account_id;
    let loaded = app
        .db
        .call(move |c| {
            let tz = store::accounts::get(c, account_id)?.timezone;
            Ok((tz, store::job_runs::recent_by_start(c, name, 50)?))
        })
        .await;
    let (tz, runs) = match loaded {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    render(JobRunsPage {
        nav: Nav::new("dashboard", &user.0),
        job: name.to_string(),
        what: job_in_words(name).to_string(),
        runs: runs
            .iter()
            .map(|r| RunRow {
                when: local_time(r.started_at, tz),
                trigger: r.trigger.clone(),
                outcome: r.outcome.clone(),
                words: run_in_words(r),
                tone: if matches!(r.outcome.as_str(), "ok" | "running") {
                    ""
                } else {
                    "bad"
                },
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        let c = serde_json::json!({"sent": 3, "held": 0, "failed": 1, "note": "x"});
        assert_eq!(counts_in_words(Some(&c)), "1 failed, 3 sent");
        assert_eq!(counts_in_words(Some(&serde_json::json!({"sent": 0}))), "nothing to do");
        assert_eq!(counts_in_words(None), "nothing to do");
        assert_eq!(ago(1000, 1030, chrono_tz::UTC), "just now");
        assert_eq!(ago(1000, 1000 + 300, chrono_tz::UTC), "5 min ago");
    }
}
