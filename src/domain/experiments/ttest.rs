//! GrowthBook's frequentist tests (gbstats/frequentist/tests.py, `EffectMoments` in models/tests.py):
//! the effect and its standard error, then a fixed-horizon or an always-valid interval and p-value.

use statrs::distribution::{ContinuousCDF, StudentsT};
use thiserror::Error;

use super::stats::ArmSummary;

/// Which lift: `mean_b - mean_a`, or that divided by `|mean_a|`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    Absolute,
    Relative,
}

/// The false-positive rate of a two-sided test, strictly between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Alpha(f64);

impl Alpha {
    /// 5%: a 95% interval.
    pub const FIVE_PERCENT: Alpha = Alpha(0.05);

    pub fn new(alpha: f64) -> Option<Self> {
        (alpha > 0.0 && alpha < 1.0).then_some(Self(alpha))
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

impl Default for Alpha {
    fn default() -> Self {
        Self::FIVE_PERCENT
    }
}

/// N*, the total sample size at which the sequential interval is tightest (GrowthBook default 5000).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SequentialTuning {
    pub n_star: f64,
}

impl Default for SequentialTuning {
    fn default() -> Self {
        Self { n_star: 5000.0 }
    }
}

/// Why a comparison has no answer yet (GrowthBook's `_default_output` cases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LiftError {
    #[error("an arm has no variance yet (too few units, or every value the same)")]
    ZeroVariance,
    #[error("the control arm's mean is zero, so a relative lift is undefined")]
    BaselineZero,
}

/// The effect of treatment (b) over control (a) and its uncertainty, before any test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectMoments {
    pub difference: Difference,
    pub estimate: f64,
    pub standard_error: f64,
    pub n_control: u64,
    pub n_treatment: u64,
    /// Welch–Satterthwaite degrees of freedom.
    pub dof: f64,
}

impl EffectMoments {
    pub fn n_total(&self) -> u64 {
        self.n_control + self.n_treatment
    }
}

/// An interval, a p-value and the estimate they are about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestResult {
    pub difference: Difference,
    pub estimate: f64,
    pub standard_error: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p_value: f64,
}

impl TestResult {
    /// Whether the interval lies wholly on one side of zero.
    pub fn excludes_zero(&self) -> bool {
        self.ci_low > 0.0 || self.ci_high < 0.0
    }
}

/// Welch–Satterthwaite degrees of freedom from per-unit variances, as `TTest.dof`.
pub fn welch_dof(a: &ArmSummary, b: &ArmSummary) -> f64 {
    let (na, nb) = (a.n as f64, b.n as f64);
    (b.variance / nb + a.variance / na).powi(2)
        / (b.variance.powi(2) / (nb * nb * (nb - 1.0)) + a.variance.powi(2) / (na * na * (na - 1.0)))
}

/// Variance of `M / D` for independent-ish M and D with covariance `cov_m_d` (delta method).
pub(crate) fn variance_of_ratios(mean_m: f64, var_m: f64, mean_d: f64, var_d: f64, cov_m_d: f64) -> f64 {
    if mean_d == 0.0 {
        return 0.0;
    }
    var_m / mean_d.powi(2) + var_d * mean_m.powi(2) / mean_d.powi(4) - 2.0 * cov_m_d * mean_m / mean_d.powi(3)
}

/// The effect of `treatment` over `control` (GrowthBook `EffectMoments` for unadjusted statistics).
pub fn effect_moments(
    control: &ArmSummary,
    treatment: &ArmSummary,
    difference: Difference,
) -> Result<EffectMoments, LiftError> {
    let (a, b) = (control, treatment);
    let variance = match difference {
        Difference::Absolute => b.variance / b.n as f64 + a.variance / a.n as f64,
        Difference::Relative => {
            variance_of_ratios(b.mean, b.variance / b.n as f64, a.mean, a.variance / a.n as f64, 0.0)
        }
    };
    finish_moments(a, b, a.mean, difference, variance)
}

/// Shared checks and assembly; `unadjusted_control_mean` differs from `control.mean` under CUPED.
pub(crate) fn finish_moments(
    a: &ArmSummary,
    b: &ArmSummary,
    unadjusted_control_mean: f64,
    difference: Difference,
    variance: f64,
) -> Result<EffectMoments, LiftError> {
    let degenerate = |v: f64| v.is_nan() || v <= 0.0;
    if a.n <= 1 || b.n <= 1 || degenerate(a.variance) || degenerate(b.variance) || degenerate(variance) {
        return Err(LiftError::ZeroVariance);
    }
    if a.mean == 0.0 || unadjusted_control_mean == 0.0 {
        return Err(LiftError::BaselineZero);
    }
    let estimate = match difference {
        Difference::Absolute => b.mean - a.mean,
        Difference::Relative => (b.mean - a.mean) / unadjusted_control_mean.abs(),
    };
    Ok(EffectMoments {
        difference,
        estimate,
        standard_error: variance.sqrt(),
        n_control: a.n,
        n_treatment: b.n,
        dof: welch_dof(a, b),
    })
}

fn students_t(dof: f64) -> StudentsT {
    // dof > 0 whenever both arms have n > 1 and positive variance, which finish_moments checked
    StudentsT::new(0.0, 1.0, dof).unwrap_or_else(|_| StudentsT::new(0.0, 1.0, 1.0).expect("valid t"))
}

/// GrowthBook `TwoSidedTTest`: `estimate ± t(1 - alpha/2, dof) · se`, p = `2 (1 - F_t(|estimate / se|))`.
pub fn two_sided_ttest(m: &EffectMoments, alpha: Alpha) -> TestResult {
    let t = students_t(m.dof);
    let critical = m.estimate / m.standard_error;
    let p_value = 2.0 * t.sf(critical.abs());
    let halfwidth = t.inverse_cdf(1.0 - alpha.value() / 2.0) * m.standard_error;
    result(m, halfwidth, p_value)
}

/// GrowthBook `sequential_rho`, eq. 161 of Waudby-Smith et al. (arXiv 2103.06476v7), two-sided.
pub fn sequential_rho(alpha: Alpha, tuning: SequentialTuning) -> f64 {
    let log_alpha = alpha.value().ln();
    ((-2.0 * log_alpha + (-2.0 * log_alpha + 1.0).ln()) / tuning.n_star).sqrt()
}

/// GrowthBook `SequentialTwoSidedTTest`: an asymptotic confidence sequence (eq. 9 of Waudby-Smith et
/// al.), valid however often it is looked at, and the matching always-valid p-value (eq. 155).
pub fn sequential_two_sided_ttest(m: &EffectMoments, alpha: Alpha, tuning: SequentialTuning) -> TestResult {
    let n = m.n_total() as f64;
    let rho = sequential_rho(alpha, tuning);
    let rho2 = rho * rho;
    let s2 = m.standard_error.powi(2) * n;
    let tr2p1 = n * rho2 + 1.0;
    let halfwidth = s2.sqrt() * (2.0 * tr2p1 * (tr2p1.sqrt() / alpha.value()).ln() / (n * rho).powi(2)).sqrt();
    let st2 = m.estimate.powi(2) * n / m.standard_error.powi(2);
    let evalue = (rho2 * st2 / (2.0 * tr2p1)).exp() / tr2p1.sqrt();
    result(m, halfwidth, (1.0 / evalue).min(1.0))
}

fn result(m: &EffectMoments, halfwidth: f64, p_value: f64) -> TestResult {
    TestResult {
        difference: m.difference,
        estimate: m.estimate,
        standard_error: m.standard_error,
        ci_low: m.estimate - halfwidth,
        ci_high: m.estimate + halfwidth,
        p_value,
    }
}
