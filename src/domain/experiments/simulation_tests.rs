//! Seeded simulations: the engine's promises hold on data whose true lift is known.
//! Revenue is skewed like a service lane's: most visits buy nothing extra, the rest an
//! exponential amount; treatment multiplies the amount, so the true relative lift is exact.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

const UNITS_PER_ARM: usize = 1_000;
const SEEDS: u64 = 100;

/// One unit's (post, pre) revenue: the pre-period spend predicts the post-period spend.
fn unit(rng: &mut StdRng, multiplier: f64) -> (f64, f64) {
    let habit = 100.0 + 200.0 * -(1.0 - rng.random::<f64>()).ln();
    let pre = habit * (0.5 + rng.random::<f64>());
    let bought = rng.random::<f64>() < 0.3;
    let post = if bought {
        habit * multiplier * -(1.0 - rng.random::<f64>()).ln()
    } else {
        0.0
    };
    (post, pre)
}

fn arms(seed: u64, true_lift: f64) -> (RegressionAdjusted, RegressionAdjusted) {
    let mut rng = StdRng::seed_from_u64(seed);
    let control: Vec<_> = (0..UNITS_PER_ARM).map(|_| unit(&mut rng, 1.0)).collect();
    let treatment: Vec<_> = (0..UNITS_PER_ARM).map(|_| unit(&mut rng, 1.0 + true_lift)).collect();
    (
        RegressionAdjusted::from_pairs(&control),
        RegressionAdjusted::from_pairs(&treatment),
    )
}

/// Over the seeds: (plain runs whose 95% CI covered the truth, CUPED runs that did,
/// plain runs with p < 0.05, CUPED runs with p < 0.05).
fn run(true_lift: f64) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for seed in 0..SEEDS {
        let (a, b) = arms(seed, true_lift);
        let plain = effect_moments(&a.post.summary(), &b.post.summary(), Difference::Relative)
            .map(|m| two_sided_ttest(&m, Alpha::default()))
            .unwrap();
        let cuped = cuped_moments(&a, &b, Difference::Relative)
            .map(|m| two_sided_ttest(&m, Alpha::default()))
            .unwrap();
        let covers = |r: &TestResult| usize::from(r.ci_low <= true_lift && true_lift <= r.ci_high);
        counts.0 += covers(&plain);
        counts.1 += covers(&cuped);
        counts.2 += usize::from(plain.p_value < 0.05);
        counts.3 += usize::from(cuped.p_value < 0.05);
    }
    counts
}

#[test]
fn the_95_percent_interval_covers_a_known_lift() {
    let (plain, cuped, _, _) = run(0.15);
    assert!(plain >= 93, "plain CI covered the true +15% in {plain} of {SEEDS}");
    assert!(cuped >= 93, "CUPED CI covered the true +15% in {cuped} of {SEEDS}");
}

#[test]
fn with_no_effect_few_runs_look_significant() {
    let (plain_cover, cuped_cover, plain, cuped) = run(0.0);
    assert!(plain <= 8, "plain p < 0.05 in {plain} of {SEEDS} A/A runs");
    assert!(cuped <= 8, "CUPED p < 0.05 in {cuped} of {SEEDS} A/A runs");
    assert!(plain_cover >= 92 && cuped_cover >= 92);
}

#[test]
fn srm_catches_a_broken_split_but_not_hash_assignment() {
    // real assignment through the hash, 50% holdout, is a fair split
    let control = (0..10_600).filter(|id| arm("sim", *id, 50) == CONTROL).count() as u64;
    let fair = sample_ratio_mismatch(&[control, 10_600 - control], &[50.0, 50.0]).unwrap();
    assert!(!fair.srm_warning, "{control} in control: {fair:?}");
    // 5,000 vs 5,600 configured 50/50 is not
    assert!(
        sample_ratio_mismatch(&[5_000, 5_600], &[50.0, 50.0])
            .unwrap()
            .srm_warning
    );
    // nor is a fair split where one arm loses 8% of its units (say, failed sends never logged)
    let mut rng = StdRng::seed_from_u64(7);
    let kept = (0..control).filter(|_| rng.random::<f64>() > 0.08).count() as u64;
    assert!(
        sample_ratio_mismatch(&[kept, 10_600 - control], &[50.0, 50.0])
            .unwrap()
            .srm_warning
    );
}
