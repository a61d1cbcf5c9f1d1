//! What the experiment pages show, formatted: rows, the form as typed, each measure's figures
//! and the interval bar (coordinates only: the template draws the SVG), the dashboard headlines.

use crate::clock::from_unix;
use crate::domain::experiments::analysis::{Lift, SrmFigure};
use crate::domain::experiments::{Campaign, ExperimentInput, ExperimentResults, Measure, MeasureResult, Metric};
use crate::domain::offers::FieldError;
use crate::experiments::results::Results;
use crate::store::experiments::Experiment;

/// One experiment in a list or at the top of its page.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub campaign: String,
    pub holdout_pct: i64,
    pub status: String,
    pub metric: String,
    pub dates: String,
    pub control: i64,
    pub treatment: i64,
}

fn day(t: i64, tz: chrono_tz::Tz) -> String {
    from_unix(t).with_timezone(&tz).format("%b %-d, %Y").to_string()
}

impl Row {
    pub fn of(e: &Experiment, tz: chrono_tz::Tz) -> Row {
        let planned = match (e.starts_at, e.ends_at) {
            (None, None) => String::new(),
            (Some(s), None) => format!("from {}", day(s, tz)),
            (None, Some(end)) => format!("until {}", day(end - 1, tz)),
            (Some(s), Some(end)) => format!("{} to {}", day(s, tz), day(end - 1, tz)),
        };
        let ran = match (e.started_at, e.stopped_at) {
            (Some(s), Some(t)) => format!("ran {} to {}", day(s, tz), day(t, tz)),
            (Some(s), None) => format!("running since {}", day(s, tz)),
            _ => String::new(),
        };
        Row {
            id: e.id,
            name: e.name.clone(),
            campaign: e.campaign.label().to_string(),
            holdout_pct: e.holdout_pct,
            status: e.status.to_string(),
            metric: e.primary_metric.label().to_string(),
            dates: [planned, ran]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
            control: e.control,
            treatment: e.treatment,
        }
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ExperimentForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub campaign: String,
    #[serde(default)]
    pub holdout_pct: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub primary_metric: String,
    #[serde(default)]
    pub window_days: String,
}

impl ExperimentForm {
    pub fn new_default() -> Self {
        ExperimentForm {
            campaign: Campaign::UpsellTMinus48h.as_str().into(),
            holdout_pct: "10".into(),
            primary_metric: Metric::Booked.as_str().into(),
            window_days: "30".into(),
            ..Default::default()
        }
    }

    pub fn of(e: &Experiment, tz: chrono_tz::Tz) -> Self {
        let date = |t: Option<i64>| {
            t.map(|t| from_unix(t).with_timezone(&tz).format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        ExperimentForm {
            csrf: String::new(),
            name: e.name.clone(),
            campaign: e.campaign.as_str().into(),
            holdout_pct: e.holdout_pct.to_string(),
            starts_at: date(e.starts_at),
            // an end is stored as the first moment after the last day
            ends_at: date(e.ends_at.map(|t| t - 1)),
            primary_metric: e.primary_metric.as_str().into(),
            window_days: e.window_days.to_string(),
        }
    }

    /// The API's input, and what cannot even be read.
    pub fn to_input(&self) -> (ExperimentInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut int = |field: &str, raw: &str| -> Option<i64> {
            let s = raw.trim();
            if s.is_empty() {
                return None;
            }
            s.trim_end_matches('%').trim().parse().map(Some).unwrap_or_else(|_| {
                errors.push(FieldError::new(field, "must be a whole number"));
                None
            })
        };
        let holdout_pct = int("holdout_pct", &self.holdout_pct);
        let window_days = int("window_days", &self.window_days);
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        (
            ExperimentInput {
                name: Some(self.name.clone()),
                campaign: opt(&self.campaign),
                holdout_pct,
                starts_at: opt(&self.starts_at),
                ends_at: opt(&self.ends_at),
                primary_metric: opt(&self.primary_metric),
                window_days,
            },
            errors,
        )
    }
}

pub fn error_for(errors: &[FieldError], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// An option of a select.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub fn campaigns(current: &str) -> Vec<Choice> {
    Campaign::ALL
        .iter()
        .map(|c| Choice {
            value: c.as_str(),
            label: c.label(),
            selected: c.as_str() == current,
        })
        .collect()
}

pub fn metrics(current: &str) -> Vec<Choice> {
    Metric::ALL
        .iter()
        .map(|m| Choice {
            value: m.as_str(),
            label: m.label(),
            selected: m.as_str() == current,
        })
        .collect()
}

/// A lift's interval as a bar on a 300-wide axis centred on zero (SVG coordinates).
pub struct Bar {
    pub low: i64,
    pub high: i64,
    pub estimate: i64,
    /// green when wholly above zero, red when wholly below, grey when it straddles
    pub tone: &'static str,
    /// the axis's reach either side of zero, e.g. "50%"
    pub scale: String,
}

pub const BAR_ZERO: i64 = 150;

fn bar(l: &Lift) -> Bar {
    let i = &l.sequential;
    let reach = i.ci_low.abs().max(i.ci_high.abs()).max(0.05);
    // a round scale: 10%, 25%, 50%, 100%, 200%, ...
    let scale = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|s| *s >= reach)
        .unwrap_or(reach);
    let x = |v: f64| BAR_ZERO + ((v / scale).clamp(-1.0, 1.0) * 140.0).round() as i64;
    Bar {
        low: x(i.ci_low),
        high: x(i.ci_high).max(x(i.ci_low) + 1),
        estimate: x(l.estimate),
        tone: if i.ci_low > 0.0 {
            "up"
        } else if i.ci_high < 0.0 {
            "down"
        } else {
            "even"
        },
        scale: format!("{:.0}%", scale * 100.0),
    }
}

/// One measure on the experiment page.
pub struct MeasureView {
    pub label: &'static str,
    pub primary: bool,
    pub control: String,
    pub treatment: String,
    pub n_control: u64,
    pub n_treatment: u64,
    pub lift: String,
    pub absolute: String,
    pub interval: String,
    pub fixed_interval: String,
    pub p_words: String,
    pub p_value: String,
    pub detectable: String,
    pub bar: Option<Bar>,
    pub cuped: bool,
}

fn figure(m: Measure, mean: f64) -> String {
    if m.is_share() {
        format!("{:.1}%", mean * 100.0)
    } else {
        format!("${mean:.2}")
    }
}

fn signed_pct(x: f64) -> String {
    format!("{}{:.1}%", if x >= 0.0 { "+" } else { "−" }, (x * 100.0).abs())
}

pub fn detectable(d: Option<f64>) -> String {
    match d {
        Some(x) => format!("a lift of {:.0}% or more", x * 100.0),
        None => "not yet: too few customers".into(),
    }
}

fn measure(m: &MeasureResult, primary: bool) -> MeasureView {
    let absolute = m.absolute.as_ref().map_or(String::new(), |a| {
        if m.measure.is_share() {
            format!("{:+.1} points", a.estimate * 100.0)
        } else {
            format!("{}${:.2}", if a.estimate >= 0.0 { "+" } else { "−" }, a.estimate.abs())
        }
    });
    let (lift, interval, fixed_interval, p_words, p_value, bar) = match &m.relative {
        Some(r) => (
            signed_pct(r.estimate),
            r.sequential.interval_words.clone(),
            r.fixed_horizon.interval_words.clone(),
            r.sequential.p_value_words.to_string(),
            format!("{:.3}", r.sequential.p_value),
            Some(bar(r)),
        ),
        None => (
            "—".into(),
            String::new(),
            String::new(),
            m.no_lift_because.clone().unwrap_or_default(),
            String::new(),
            None,
        ),
    };
    MeasureView {
        label: m.label,
        primary,
        control: figure(m.measure, m.control.mean),
        treatment: figure(m.measure, m.treatment.mean),
        n_control: m.control.n,
        n_treatment: m.treatment.n,
        lift,
        absolute,
        interval,
        fixed_interval,
        p_words,
        p_value,
        detectable: detectable(m.detectable_now),
        bar,
        cuped: m.cuped,
    }
}

/// The primary measure first, then the others.
pub fn measures(r: &ExperimentResults) -> Vec<MeasureView> {
    let mut v: Vec<MeasureView> = r.primary_result().map(|m| measure(m, true)).into_iter().collect();
    v.extend(
        r.measures
            .iter()
            .filter(|m| m.measure != r.primary)
            .map(|m| measure(m, false)),
    );
    v
}

pub fn srm_text(s: &SrmFigure) -> String {
    format!(
        "{:.1}% of customers are in the holdout against {:.0}% set up (p = {:.4})",
        s.observed_control_share * 100.0,
        s.expected_control_share * 100.0,
        s.p_value
    )
}

pub fn range(from: Option<i64>, to: i64, tz: chrono_tz::Tz) -> String {
    match from {
        Some(f) => format!("{} to {}", day(f, tz), day(to, tz)),
        None => "not started".into(),
    }
}

/// A running experiment's headline on the dashboard.
pub struct Headline {
    pub id: i64,
    pub name: String,
    pub campaign: &'static str,
    pub metric: &'static str,
    pub lift: String,
    pub words: String,
    pub trustworthy: bool,
    pub customers: u64,
}

pub fn headlines(running: &[Results]) -> Vec<Headline> {
    running
        .iter()
        .map(|r| {
            let m = r.results.primary_result();
            let rel = m.and_then(|m| m.relative.as_ref());
            Headline {
                id: r.experiment.id,
                name: r.experiment.name.clone(),
                campaign: r.experiment.campaign.label(),
                metric: r.experiment.primary_metric.label(),
                lift: rel.map_or("—".into(), |l| signed_pct(l.estimate)),
                words: match (rel, m) {
                    (Some(l), _) => format!("{}; {}", l.sequential.interval_words, l.sequential.p_value_words),
                    (None, Some(m)) => format!("no lift yet: {}", m.no_lift_because.clone().unwrap_or_default()),
                    (None, None) => String::new(),
                },
                trustworthy: r.results.trustworthy,
                customers: m.map_or(0, |m| m.control.n + m.treatment.n),
            }
        })
        .collect()
}
