//! `forecourt bench replies`: how long the survey readers and the opt-out classifier take on
//! real replies (the survey corpus and the blind opt-out sets in the source tree), beside
//! the floor of any reader in the same run: folding the reply to lower case and cutting it
//! into words.

use crate::domain::revocation;
use crate::domain::survey::{read_choice, read_mileage, read_timeframe, read_yes_no};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::fmt;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// One kind of reply and what reading it took.
#[derive(Debug, Clone)]
pub struct Timing {
    pub kind: &'static str,
    pub replies: usize,
    /// mean and 99th percentile of one read, microseconds
    pub mean_us: f64,
    pub p99_us: f64,
    /// the same replies folded and cut into words
    pub floor_mean_us: f64,
}

pub struct RepliesFigures {
    pub rounds: usize,
    pub timings: Vec<Timing>,
}

impl fmt::Display for RepliesFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "replies read {} times each (release build gives the real figures)",
            self.rounds
        )?;
        writeln!(
            f,
            "{:<11} {:>7} {:>10} {:>10} {:>12} {:>7}",
            "reader", "replies", "mean µs", "p99 µs", "floor µs", "ratio"
        )?;
        for t in &self.timings {
            writeln!(
                f,
                "{:<11} {:>7} {:>10.1} {:>10.1} {:>12.2} {:>6.0}x",
                t.kind,
                t.replies,
                t.mean_us,
                t.p99_us,
                t.floor_mean_us,
                t.mean_us / t.floor_mean_us.max(1e-9)
            )?;
        }
        Ok(())
    }
}

/// What one corpus line asks a reader to do.
enum Case {
    Mileage(String, DateTime<Utc>),
    Timeframe(String, DateTime<Utc>, Tz),
    YesNo(String),
    Choice(String, Vec<String>),
    OptOut(String),
}

impl Case {
    fn text(&self) -> &str {
        match self {
            Case::Mileage(t, _) | Case::Timeframe(t, _, _) | Case::YesNo(t) | Case::Choice(t, _) | Case::OptOut(t) => t,
        }
    }
    fn read(&self) {
        match self {
            Case::Mileage(t, at) => drop(black_box(read_mileage(t, *at))),
            Case::Timeframe(t, at, tz) => drop(black_box(read_timeframe(t, *at, *tz))),
            Case::YesNo(t) => drop(black_box(read_yes_no(t))),
            Case::Choice(t, c) => {
                let choices: Vec<&str> = c.iter().map(String::as_str).collect();
                drop(black_box(read_choice(t, &choices)));
            }
            Case::OptOut(t) => drop(black_box(revocation::classify(t))),
        }
    }
}

fn floor(text: &str) -> usize {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

fn read_cases(src: &Path, kind: &str) -> Result<Vec<Case>> {
    let mut out = Vec::new();
    let corpus = src.join("domain/survey/corpus");
    let optout = src.join("domain/revocation/corpus");
    let files: Vec<std::path::PathBuf> = if kind == "opt-out" {
        std::fs::read_dir(&optout)
            .map_err(|e| Error::invalid("no_corpus", format!("{}: {e}", optout.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect()
    } else {
        std::fs::read_dir(&corpus)
            .map_err(|e| Error::invalid("no_corpus", format!("{}: {e}", corpus.display())))?
            .filter_map(|e| e.ok().map(|e| e.path().join(format!("{kind}.txt"))))
            .filter(|p| p.exists())
            .collect()
    };
    for file in files {
        let body = std::fs::read_to_string(&file).map_err(|e| Error::internal(format!("{}: {e}", file.display())))?;
        for line in body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let f: Vec<&str> = line.split(" | ").collect();
            let moment =
                |at: &str, tz: &str| -> Option<(DateTime<Utc>, Tz)> { Some((at.parse().ok()?, tz.parse().ok()?)) };
            let case = match (kind, f.as_slice()) {
                ("opt-out", _) => Some(Case::OptOut(line.to_string())),
                ("mileage", [at, tz, reply, _]) => moment(at, tz).map(|(at, _)| Case::Mileage(reply.to_string(), at)),
                ("timeframe", [at, tz, reply, _]) => {
                    moment(at, tz).map(|(at, tz)| Case::Timeframe(reply.to_string(), at, tz))
                }
                ("yes_no", [reply, _]) => Some(Case::YesNo(reply.to_string())),
                ("choice", [choices, reply, _]) => Some(Case::Choice(
                    reply.to_string(),
                    choices.split('/').map(str::to_string).collect(),
                )),
                _ => None,
            };
            out.extend(case);
        }
    }
    Ok(out)
}

/// Reads every reply `rounds` times with its reader, and folds and splits it as many times.
/// `src` is the source tree's `src/` folder, where the corpora are.
pub fn replies(src: &Path, rounds: usize) -> Result<RepliesFigures> {
    let mut timings = Vec::new();
    for kind in ["mileage", "timeframe", "yes_no", "choice", "opt-out"] {
        let cases = read_cases(src, kind)?;
        if cases.is_empty() {
            return Err(Error::invalid(
                "no_corpus",
                format!("no {kind} replies under {}", src.display()),
            ));
        }
        let mut each = Vec::with_capacity(cases.len());
        let mut floor_total = 0.0;
        for case in &cases {
            let start = Instant::now();
            for _ in 0..rounds {
                case.read();
            }
            each.push(start.elapsed().as_secs_f64() * 1e6 / rounds as f64);
            let start = Instant::now();
            for _ in 0..rounds {
                black_box(floor(black_box(case.text())));
            }
            floor_total += start.elapsed().as_secs_f64() * 1e6 / rounds as f64;
        }
        each.sort_by(f64::total_cmp);
        let mean = each.iter().sum::<f64>() / each.len() as f64;
        let p99 = each[((each.len() as f64 * 0.99) as usize).min(each.len() - 1)];
        timings.push(Timing {
            kind,
            replies: cases.len(),
            mean_us: mean,
            p99_us: p99,
            floor_mean_us: floor_total / cases.len() as f64,
        });
    }
    Ok(RepliesFigures { rounds, timings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reader_is_timed_on_the_corpus_beside_the_floor() {
        let figures = replies(Path::new("src"), 1).expect("the corpora in the source tree");
        let kinds: Vec<&str> = figures.timings.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, ["mileage", "timeframe", "yes_no", "choice", "opt-out"]);
        for t in &figures.timings {
            assert!(t.replies > 300, "{}: {} replies", t.kind, t.replies);
            assert!(
                t.mean_us > 0.0 && t.p99_us >= t.mean_us * 0.5 && t.floor_mean_us > 0.0,
                "{t:?}"
            );
        }
        let shown = figures.to_string();
        assert!(shown.contains("floor µs") && shown.contains("choice"), "{shown}");
        assert!(replies(Path::new("no/such/dir"), 1).is_err());
    }
}
