//! "Detectable now": the smallest relative lift this experiment, at its current size and noise,
//! would catch 80% of the time with a two-sided 5% test.
//!
//! Follows GrowthBook's frequentist relative MDE (docs/statistics/power-technical.mdx): with
//! `k = z(1 - alpha/2) - z(1 - power)`, per-arm size `N` (the smaller arm, which is conservative),
//! per-unit variance `s2` (pooled over both arms: GrowthBook assumes equal variances) and control
//! mean `mu_a`, solve `(mu_b - mu_a) / mu_a = k · sqrt(s2/N · (1/mu_a² + mu_b²/mu_a⁴))` for `mu_b`,
//! because the variance of a relative lift grows with the lift itself. The quadratic has a positive
//! answer only when `N > s2 k² / mu_a²`; below that the experiment cannot yet detect any lift.

use statrs::distribution::{ContinuousCDF, Normal};

use super::stats::ArmSummary;
use super::ttest::Alpha;

/// The power the "detectable now" figure is stated at.
pub const TARGET_POWER: f64 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DetectableEffect {
    /// The smallest relative lift (0.12 = +12%) detected with the target power.
    Relative(f64),
    /// Too few units for this much noise: no lift is detectable with the target power yet.
    NotYet,
}

/// The relative MDE for the current arms at `alpha` (two-sided) and 80% power.
pub fn detectable_now(control: &ArmSummary, treatment: &ArmSummary, alpha: Alpha) -> DetectableEffect {
    relative_mde(control, treatment, alpha, TARGET_POWER)
}

/// The relative MDE at any power in (0, 1).
pub fn relative_mde(control: &ArmSummary, treatment: &ArmSummary, alpha: Alpha, power: f64) -> DetectableEffect {
    let n = control.n.min(treatment.n) as f64;
    let total = (control.n + treatment.n) as f64;
    let mu_a = control.mean.abs();
    if n < 2.0 || mu_a == 0.0 || !(0.0..1.0).contains(&power) || power == 0.0 {
        return DetectableEffect::NotYet;
    }
    let pooled_variance = (control.variance * control.n as f64 + treatment.variance * treatment.n as f64) / total;
    let z = Normal::standard();
    let k = z.inverse_cdf(1.0 - alpha.value() / 2.0) - z.inverse_cdf(1.0 - power);
    let v = pooled_variance / n;
    let a = 1.0 - v * k * k / (mu_a * mu_a);
    if a <= 0.0 || !a.is_finite() {
        return DetectableEffect::NotYet;
    }
    let discriminant = mu_a * mu_a - a * (mu_a * mu_a - k * k * v);
    let mu_b = (mu_a + discriminant.max(0.0).sqrt()) / a;
    DetectableEffect::Relative((mu_b - mu_a) / mu_a)
}
