//! Experiments: who is held out, and whether the treatment earned anything (issue #14).
//!
//! - [`assign`]: a lead's arm is a pure function of the experiment's salt and the lead.
//! - [`stats`]: per-arm summary statistics (a sample mean from n, sum and sum of squares; a proportion
//!   from n and successes), with mean and variance computed exactly as GrowthBook's `gbstats` does.
//! - [`ttest`]: GrowthBook's frequentist engine (`gbstats/frequentist/tests.py` and `models/tests.py`):
//!   absolute lift `mean_b - mean_a`, relative lift `(mean_b - mean_a) / |mean_a|` with its variance by
//!   the delta method, Welch–Satterthwaite degrees of freedom, the two-sided t-test (`TwoSidedTTest`)
//!   and the always-valid sequential interval of Waudby-Smith et al. (`SequentialTwoSidedTTest`,
//!   tuning parameter N*, 5000 by default).
//! - [`cuped`]: GrowthBook's `RegressionAdjustedStatistic`: each unit's post-period value adjusted by a
//!   pre-period covariate, theta pooled over both arms, the relative variance of
//!   `frequentist_variance_relative_cuped`; the adjusted moments go through the same tests.
//! - [`srm`]: sample-ratio mismatch, GrowthBook's `check_srm` (chi-square goodness of fit).
//! - [`power`]: the relative effect detectable now at 80% power, GrowthBook's relative MDE
//!   (docs/statistics/power-technical.mdx, "Frequentist minimum detectable effect").
//! - [`words`]: a p-value and an interval in words a store manager can act on.
//!
//! Everything here is pure: counts and sums in, typed results out. The values reproduce GrowthBook's
//! own test cases (packages/stats/tests/frequentist/test_tests.py) to 1e-5; see `tests.rs`.

pub mod analysis;
pub mod assign;
pub mod cuped;
pub mod power;
pub mod setup;
pub mod srm;
pub mod stats;
pub mod ttest;
pub mod words;

#[cfg(test)]
mod simulation_tests;
#[cfg(test)]
mod tests;

pub use analysis::{analyze, ArmOutcomes, ExperimentResults, Measure, MeasureResult};
pub use assign::{arm, bucket, CONTROL, TREATMENT};
pub use cuped::{cuped_moments, RegressionAdjusted};
pub use power::{detectable_now, DetectableEffect};
pub use setup::{check_experiment, Campaign, ExperimentInput, ExperimentStatus, Metric, ValidExperiment};
pub use srm::{sample_ratio_mismatch, SrmCheck, SrmError, SRM_P_THRESHOLD};
pub use stats::{ArmSummary, Proportion, SampleMean};
pub use ttest::{
    effect_moments, sequential_two_sided_ttest, two_sided_ttest, Alpha, Difference, EffectMoments, LiftError,
    SequentialTuning, TestResult,
};
pub use words::{interval_in_words, p_value_in_words};
