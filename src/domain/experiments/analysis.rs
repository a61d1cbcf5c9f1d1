//! One experiment's results from its arms' sums: per measure both arms' n and mean, the absolute
//! and relative lift with the sequential (always-valid, shown by default) and the fixed-horizon
//! interval and p-value, the p-value in words, the sample-ratio check and what is detectable now.
//! Pure: the store hands over the sums (`ArmOutcomes`), this says what they mean.

use super::cuped::{cuped_moments, RegressionAdjusted};
use super::power::{detectable_now, DetectableEffect};
use super::setup::Metric;
use super::srm::sample_ratio_mismatch;
use super::stats::{ArmSummary, Proportion, SampleMean};
use super::ttest::{
    effect_moments, sequential_two_sided_ttest, two_sided_ttest, Alpha, Difference, EffectMoments, LiftError,
    SequentialTuning, TestResult,
};
use super::words::{interval_in_words, p_value_in_words};
use serde::Serialize;

crate::domain::word_enum! {
    /// Every figure the results page shows per arm.
    pub enum Measure {
        Booked = "booked",
        Kept = "kept",
        Accepted = "accepted",
        /// revenue credited to accepted offers, per customer
        UpsellRevenue = "upsell_revenue",
        /// all RO revenue per customer, CUPED-adjusted by the 12 months before
        Revenue = "revenue",
    }
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "Booked a visit",
            Self::Kept => "Came in (RO opened)",
            Self::Accepted => "Accepted an offer",
            Self::UpsellRevenue => "Upsell revenue per customer ($)",
            Self::Revenue => "RO revenue per customer ($)",
        }
    }

    pub fn of(metric: Metric) -> Measure {
        match metric {
            Metric::Booked => Self::Booked,
            Metric::Kept => Self::Kept,
            Metric::Accepted => Self::Accepted,
            Metric::Revenue => Self::Revenue,
        }
    }

    /// A share of customers (shown as %) rather than an amount.
    pub fn is_share(self) -> bool {
        matches!(self, Self::Booked | Self::Kept | Self::Accepted)
    }
}

/// One arm's outcomes over the window after each customer's assignment, in sums. Money in dollars.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ArmOutcomes {
    pub n: u64,
    pub booked: u64,
    pub kept: u64,
    pub accepted: u64,
    pub upsell_revenue: SampleMean,
    /// post = RO revenue in the window, pre = RO revenue in the 12 months before assignment
    pub revenue: RegressionAdjusted,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ArmFigure {
    pub n: u64,
    pub mean: f64,
}

/// An interval and the p-value that goes with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    pub ci_low: f64,
    pub ci_high: f64,
    pub p_value: f64,
    pub p_value_words: &'static str,
    pub interval_words: String,
}

impl Interval {
    fn of(r: &TestResult) -> Self {
        Interval {
            ci_low: r.ci_low,
            ci_high: r.ci_high,
            p_value: r.p_value,
            p_value_words: p_value_in_words(r.p_value),
            interval_words: interval_in_words(r),
        }
    }
}

/// A lift (absolute or relative) with both intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lift {
    pub estimate: f64,
    pub standard_error: f64,
    /// always valid however often it is looked at: the one shown
    pub sequential: Interval,
    /// valid only when looked at once, at the planned end
    pub fixed_horizon: Interval,
}

/// One measure's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureResult {
    pub measure: Measure,
    pub label: &'static str,
    pub control: ArmFigure,
    pub treatment: ArmFigure,
    pub absolute: Option<Lift>,
    pub relative: Option<Lift>,
    /// why there is no lift yet, in words
    pub no_lift_because: Option<String>,
    /// the smallest relative lift detectable at 80% power with today's n (None: not yet)
    pub detectable_now: Option<f64>,
    /// adjusted by each customer's revenue in the year before
    pub cuped: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SrmFigure {
    pub expected_control_share: f64,
    pub observed_control_share: f64,
    pub chi_square: f64,
    pub p_value: f64,
    /// the split is broken (p < 0.001): no lift can be trusted
    pub warning: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentResults {
    pub primary: Measure,
    pub measures: Vec<MeasureResult>,
    pub srm: SrmFigure,
    /// false when the split is broken: lifts are shown, marked not trustworthy
    pub trustworthy: bool,
}

impl ExperimentResults {
    pub fn primary_result(&self) -> Option<&MeasureResult> {
        self.measures.iter().find(|m| m.measure == self.primary)
    }
}

fn lift(m: Result<EffectMoments, LiftError>) -> Result<Lift, LiftError> {
    let m = m?;
    Ok(Lift {
        estimate: m.estimate,
        standard_error: m.standard_error,
        sequential: Interval::of(&sequential_two_sided_ttest(
            &m,
            Alpha::FIVE_PERCENT,
            SequentialTuning::default(),
        )),
        fixed_horizon: Interval::of(&two_sided_ttest(&m, Alpha::FIVE_PERCENT)),
    })
}

fn measure(
    measure: Measure,
    a: ArmSummary,
    b: ArmSummary,
    cuped: Option<(&RegressionAdjusted, &RegressionAdjusted)>,
) -> MeasureResult {
    let moments = |d: Difference| match cuped {
        Some((ca, cb)) => cuped_moments(ca, cb, d),
        None => effect_moments(&a, &b, d),
    };
    let absolute = lift(moments(Difference::Absolute));
    let relative = lift(moments(Difference::Relative));
    let no_lift_because = match (&absolute, &relative) {
        (Err(e), _) | (_, Err(e)) => Some(e.to_string()),
        _ => None,
    };
    MeasureResult {
        measure,
        label: measure.label(),
        control: ArmFigure { n: a.n, mean: a.mean },
        treatment: ArmFigure { n: b.n, mean: b.mean },
        absolute: absolute.ok(),
        relative: relative.ok(),
        no_lift_because,
        detectable_now: match detectable_now(&a, &b, Alpha::FIVE_PERCENT) {
            DetectableEffect::Relative(x) => Some(x),
            DetectableEffect::NotYet => None,
        },
        cuped: cuped.is_some(),
    }
}

/// Everything the results page and API show, from the two arms' sums and the configured holdout.
pub fn analyze(control: &ArmOutcomes, treatment: &ArmOutcomes, holdout_pct: i64, primary: Metric) -> ExperimentResults {
    let share = |a: &ArmOutcomes, k: fn(&ArmOutcomes) -> u64| Proportion::new(a.n, k(a)).summary();
    let mut measures = vec![
        measure(
            Measure::Booked,
            share(control, |a| a.booked),
            share(treatment, |a| a.booked),
            None,
        ),
        measure(
            Measure::Kept,
            share(control, |a| a.kept),
            share(treatment, |a| a.kept),
            None,
        ),
        measure(
            Measure::Accepted,
            share(control, |a| a.accepted),
            share(treatment, |a| a.accepted),
            None,
        ),
        measure(
            Measure::UpsellRevenue,
            control.upsell_revenue.summary(),
            treatment.upsell_revenue.summary(),
            None,
        ),
    ];
    measures.push(measure(
        Measure::Revenue,
        control.revenue.post.summary(),
        treatment.revenue.post.summary(),
        Some((&control.revenue, &treatment.revenue)),
    ));
    let weights = [
        holdout_pct.clamp(0, 100) as f64,
        (100 - holdout_pct.clamp(0, 100)) as f64,
    ];
    let srm = sample_ratio_mismatch(&[control.n, treatment.n], &weights).ok();
    let total = control.n + treatment.n;
    let srm = SrmFigure {
        expected_control_share: weights[0] / 100.0,
        observed_control_share: if total == 0 {
            0.0
        } else {
            control.n as f64 / total as f64
        },
        chi_square: srm.map_or(0.0, |s| s.chi_square),
        p_value: srm.map_or(1.0, |s| s.p_value),
        warning: srm.is_some_and(|s| s.srm_warning),
    };
    ExperimentResults {
        primary: Measure::of(primary),
        trustworthy: !srm.warning,
        measures,
        srm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(n: u64, booked: u64, revenue: &[(f64, f64)]) -> ArmOutcomes {
        ArmOutcomes {
            n,
            booked,
            kept: booked / 2,
            accepted: 0,
            upsell_revenue: SampleMean::default(),
            revenue: RegressionAdjusted::from_pairs(revenue),
        }
    }

    #[test]
    fn the_lift_is_growthbooks_and_a_broken_split_is_not_trusted() {
        // GrowthBook's proportions case: 14/28 vs 16/30
        let r = analyze(&arm(28, 14, &[]), &arm(30, 16, &[]), 50, Metric::Booked);
        let booked = r.primary_result().unwrap();
        assert_eq!((booked.control.n, booked.treatment.n), (28, 30));
        let rel = booked.relative.as_ref().unwrap();
        assert!((rel.fixed_horizon.ci_low - -0.47767).abs() < 1e-5, "{rel:?}");
        assert!((rel.fixed_horizon.p_value - 0.80707).abs() < 1e-5);
        assert!(rel.sequential.ci_high - rel.sequential.ci_low > rel.fixed_horizon.ci_high - rel.fixed_horizon.ci_low);
        assert!(r.trustworthy);
        // no revenue at all: said why, not a NaN
        let revenue = r.measures.iter().find(|m| m.measure == Measure::Revenue).unwrap();
        assert!(revenue.relative.is_none() && revenue.no_lift_because.is_some());
        // 10% held out but half the customers in control: the split is broken
        let r = analyze(&arm(500, 100, &[]), &arm(500, 120, &[]), 10, Metric::Booked);
        assert!(r.srm.warning && !r.trustworthy);
        assert!((r.srm.observed_control_share - 0.5).abs() < 1e-12);
    }
}
