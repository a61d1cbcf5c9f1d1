//! CUPED for revenue: GrowthBook's `RegressionAdjustedStatistic` (gbstats/models/statistics.py).
//! Each unit has a post-period value y and a pre-period covariate x (say, service revenue in the
//! months before the experiment). With theta = cov(y, x) / var(x) pooled over both arms, the arm
//! mean becomes `mean(y) - theta · mean(x)` and its per-unit variance
//! `var(y) + theta² var(x) - 2 theta cov(y, x)`: the same lift, less noise.

use super::stats::{ArmSummary, SampleMean};
use super::ttest::{effect_moments, finish_moments, Difference, EffectMoments, LiftError};

/// One arm's post-period metric, its pre-period covariate, and the sum of `post · pre` over units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RegressionAdjusted {
    pub n: u64,
    pub post: SampleMean,
    pub pre: SampleMean,
    pub post_pre_sum_of_products: f64,
}

impl RegressionAdjusted {
    /// The sufficient statistics of `(post, pre)` pairs, one per unit.
    pub fn from_pairs(pairs: &[(f64, f64)]) -> Self {
        pairs.iter().fold(Self::default(), |acc, &(y, x)| Self {
            n: acc.n + 1,
            post: SampleMean::new(acc.post.n + 1, acc.post.sum + y, acc.post.sum_squares + y * y),
            pre: SampleMean::new(acc.pre.n + 1, acc.pre.sum + x, acc.pre.sum_squares + x * x),
            post_pre_sum_of_products: acc.post_pre_sum_of_products + y * x,
        })
    }

    /// Sample covariance of post and pre (GrowthBook `compute_covariance` for sample means).
    pub fn covariance(&self) -> f64 {
        covariance(self.n, &self.post, &self.pre, self.post_pre_sum_of_products)
    }

    /// The arm's adjusted summary for a given theta.
    pub fn adjusted(&self, theta: f64) -> ArmSummary {
        let variance = if self.n <= 1 {
            0.0
        } else {
            self.post.variance() + theta * theta * self.pre.variance() - 2.0 * theta * self.covariance()
        };
        ArmSummary {
            n: self.n,
            mean: self.post.mean() - theta * self.pre.mean(),
            variance,
        }
    }
}

fn covariance(n: u64, a: &SampleMean, b: &SampleMean, sum_of_products: f64) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    let n = n as f64;
    (sum_of_products - a.sum * b.sum / n) / (n - 1.0)
}

/// Theta pooled over both arms (GrowthBook `compute_theta`); 0 when either period has no variance.
pub fn pooled_theta(control: &RegressionAdjusted, treatment: &RegressionAdjusted) -> f64 {
    let n = control.n + treatment.n;
    let joint = |a: &SampleMean, b: &SampleMean| SampleMean::new(n, a.sum + b.sum, a.sum_squares + b.sum_squares);
    let post = joint(&control.post, &treatment.post);
    let pre = joint(&control.pre, &treatment.pre);
    if pre.variance() == 0.0 || post.variance() == 0.0 {
        return 0.0;
    }
    covariance(
        n,
        &post,
        &pre,
        control.post_pre_sum_of_products + treatment.post_pre_sum_of_products,
    ) / pre.variance()
}

/// The regression-adjusted effect of treatment over control, ready for either test. Like GrowthBook,
/// falls back to the plain post-period comparison when theta is 0.
pub fn cuped_moments(
    control: &RegressionAdjusted,
    treatment: &RegressionAdjusted,
    difference: Difference,
) -> Result<EffectMoments, LiftError> {
    let theta = pooled_theta(control, treatment);
    if theta == 0.0 {
        return effect_moments(&control.post.summary(), &treatment.post.summary(), difference);
    }
    let (a, b) = (control.adjusted(theta), treatment.adjusted(theta));
    let unadjusted_a = control.post.mean();
    let variance = match difference {
        Difference::Absolute => b.variance / b.n as f64 + a.variance / a.n as f64,
        Difference::Relative => relative_variance(control, treatment, theta),
    };
    finish_moments(&a, &b, unadjusted_a, difference, variance)
}

/// GrowthBook `frequentist_variance_relative_cuped` (delta method on the adjusted relative lift).
fn relative_variance(a: &RegressionAdjusted, b: &RegressionAdjusted, theta: f64) -> f64 {
    let unadjusted_a = a.post.mean();
    let den_trt = b.n as f64 * unadjusted_a.powi(2);
    let den_ctrl = a.n as f64 * unadjusted_a.powi(2);
    if den_trt == 0.0 || den_ctrl == 0.0 {
        return 0.0;
    }
    let num_trt = b.post.variance() + theta.powi(2) * b.pre.variance() - 2.0 * theta * b.covariance();
    let c = -b.post.mean();
    let num_a = a.post.variance() * c.powi(2) / a.post.mean().powi(2);
    let num_b = 2.0 * theta * a.covariance() * c / a.post.mean();
    let num_c = theta.powi(2) * a.pre.variance();
    num_trt / den_trt + (num_a + num_b + num_c) / den_ctrl
}
