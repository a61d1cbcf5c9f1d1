//! GrowthBook's own frequentist test cases (packages/stats/tests/frequentist/test_tests.py, which
//! rounds to 5 decimals), plus SRM, detectable-effect and wording checks.

use super::cuped::pooled_theta;
use super::power::relative_mde;
use super::*;

const TOL: f64 = 1e-5;

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= TOL,
        "{what}: {actual} vs GrowthBook {expected}"
    );
}

fn check(r: &TestResult, estimate: f64, se: f64, ci: (f64, f64), p: f64) {
    close(r.estimate, estimate, "estimate");
    close(r.standard_error, se, "standard error");
    close(r.ci_low, ci.0, "ci low");
    close(r.ci_high, ci.1, "ci high");
    close(r.p_value, p, "p-value");
}

fn means(n_a: u64) -> (ArmSummary, ArmSummary) {
    (
        SampleMean::new(n_a, 1396.87, 52377.9767).summary(),
        SampleMean::new(3461, 2422.7, 134698.29).summary(),
    )
}

#[test]
fn two_sided_ttest_relative_matches_growthbook() {
    let (a, b) = means(3407);
    let m = effect_moments(&a, &b, Difference::Relative).unwrap();
    check(
        &two_sided_ttest(&m, Alpha::default()),
        0.70732,
        0.37879,
        (-0.03526, 1.44989),
        0.06191,
    );
}

#[test]
fn two_sided_ttest_absolute_matches_growthbook() {
    let (a, b) = means(3407);
    let m = effect_moments(&a, &b, Difference::Absolute).unwrap();
    check(
        &two_sided_ttest(&m, Alpha::default()),
        0.29,
        0.12478,
        (0.04538, 0.53462),
        0.02016,
    );
}

#[test]
fn two_sided_ttest_proportions_match_growthbook() {
    let (a, b) = (Proportion::new(28, 14), Proportion::new(30, 16));
    let m = effect_moments(&a.into(), &b.into(), Difference::Relative).unwrap();
    let r = two_sided_ttest(&m, Alpha::FIVE_PERCENT);
    check(&r, (16.0 / 30.0 - 0.5) / 0.5, 0.2717, (-0.47767, 0.61101), 0.80707);
    assert!(!r.excludes_zero());
}

#[test]
fn summary_statistics_are_growthbooks() {
    let s = SampleMean::new(3407, 1396.87, 52377.9767);
    close(s.mean(), 1396.87 / 3407.0, "mean");
    close(
        s.variance(),
        (52377.9767 - 1396.87f64.powi(2) / 3407.0) / 3406.0,
        "variance",
    );
    assert_eq!(SampleMean::from_values(&[1.0, 2.0, 3.0]), SampleMean::new(3, 6.0, 14.0));
    close(
        SampleMean::from_values(&[1.0, 2.0, 3.0]).variance(),
        1.0,
        "sample variance",
    );
    assert_eq!(SampleMean::new(1, 5.0, 25.0).variance(), 0.0);
    assert_eq!(SampleMean::default().mean(), 0.0);
    // a proportion's variance is p(1-p), not the n-1 sample variance
    close(Proportion::new(28, 14).variance(), 0.25, "bernoulli variance");
    assert_eq!(Proportion::default().mean(), 0.0);
}

#[test]
fn missing_variance_gives_no_answer() {
    // GrowthBook's test_two_sided_ttest_missing_variance: n=2 with these sums has negative variance
    let a = SampleMean::new(2, 1396.87, 52377.9767).summary();
    let b = SampleMean::new(3461, 2422.7, 134698.29).summary();
    assert_eq!(
        effect_moments(&a, &b, Difference::Relative),
        Err(LiftError::ZeroVariance)
    );
    let one = SampleMean::new(1, 3.0, 9.0).summary();
    assert_eq!(
        effect_moments(&one, &b, Difference::Absolute),
        Err(LiftError::ZeroVariance)
    );
    let zero = Proportion::new(10, 0).summary();
    assert_eq!(
        effect_moments(&zero, &b, Difference::Relative),
        Err(LiftError::ZeroVariance)
    );
    // as in GrowthBook, a zero control mean is refused for either difference; for a relative one
    // the delta-method variance is already zero, so that is what is reported
    let baseline_zero = ArmSummary {
        n: 10,
        mean: 0.0,
        variance: 1.0,
    };
    assert_eq!(
        effect_moments(&baseline_zero, &b, Difference::Absolute),
        Err(LiftError::BaselineZero)
    );
    assert_eq!(
        effect_moments(&baseline_zero, &b, Difference::Relative),
        Err(LiftError::ZeroVariance)
    );
}

#[test]
fn sequential_ttest_matches_growthbook() {
    let (a, b) = means(3000);
    let m = effect_moments(&a, &b, Difference::Relative).unwrap();
    let r = sequential_two_sided_ttest(&m, Alpha::default(), SequentialTuning { n_star: 1000.0 });
    check(&r, 0.50336, 0.33341, (-0.55844, 1.56516), 1.0);
}

#[test]
fn sequential_ttest_proportions_match_growthbook() {
    let (a, b) = (Proportion::new(3000, 1396), Proportion::new(3461, 2422));
    let m = effect_moments(&a.into(), &b.into(), Difference::Relative).unwrap();
    let r = sequential_two_sided_ttest(&m, Alpha::default(), SequentialTuning::default());
    check(&r, 0.50386, 0.03386, (0.40098, 0.60675), 0.0);
}

#[test]
fn sequential_cuped_matches_growthbook() {
    // GrowthBook test_sequential_test_runs_ra
    let a = RegressionAdjusted {
        n: 3000,
        post: SampleMean::new(3000, 1396.87, 52377.9767),
        pre: SampleMean::new(3000, 16.87, 527.9767),
        post_pre_sum_of_products: 1.0,
    };
    let b = RegressionAdjusted {
        n: 3461,
        post: SampleMean::new(3461, 2422.7, 134698.29),
        pre: SampleMean::new(3461, 22.7, 1348.29),
        post_pre_sum_of_products: 1.0,
    };
    assert!(pooled_theta(&a, &b) != 0.0);
    let m = cuped_moments(&a, &b, Difference::Relative).unwrap();
    let r = sequential_two_sided_ttest(&m, Alpha::default(), SequentialTuning::default());
    check(&r, 0.50338, 0.33341, (-0.50969, 1.51646), 1.0);
}

#[test]
fn sequential_tuning_is_tightest_near_the_real_size() {
    // GrowthBook test_sequential_test_tuning_as_expected: total n is 6461
    let (a, b) = means(3000);
    let m = effect_moments(&a, &b, Difference::Relative).unwrap();
    let at = |n_star| sequential_two_sided_ttest(&m, Alpha::default(), SequentialTuning { n_star });
    let (below, near, above) = (at(10.0), at(6461.0), at(10_000.0));
    assert!(below.ci_low < above.ci_low && below.ci_high > above.ci_high);
    assert!(below.ci_low < near.ci_low && below.ci_high > near.ci_high);
    assert!(above.ci_low < near.ci_low && above.ci_high > near.ci_high);
    // always-valid intervals are wider than the fixed-horizon one
    let fixed = two_sided_ttest(&m, Alpha::default());
    assert!(near.ci_low < fixed.ci_low && near.ci_high > fixed.ci_high);
}

#[test]
fn cuped_with_a_useless_covariate_is_the_plain_test() {
    // a constant pre-period gives theta 0, and GrowthBook falls back to the unadjusted statistics
    let post = [3.0, 5.0, 4.0, 8.0, 1.0];
    let arm = |shift: f64| RegressionAdjusted::from_pairs(&post.iter().map(|y| (y + shift, 2.0)).collect::<Vec<_>>());
    let (a, b) = (arm(0.0), arm(1.0));
    assert_eq!(pooled_theta(&a, &b), 0.0);
    let plain = effect_moments(&a.post.summary(), &b.post.summary(), Difference::Relative).unwrap();
    assert_eq!(cuped_moments(&a, &b, Difference::Relative).unwrap(), plain);
}

#[test]
fn cuped_shrinks_the_interval_when_the_covariate_predicts() {
    let pre: Vec<f64> = (0..200).map(|i| f64::from(i % 37) * 10.0 + 50.0).collect();
    let noise = |i: usize| ((i * 7919) % 23) as f64 - 11.0;
    let arm = |lift: f64| {
        RegressionAdjusted::from_pairs(
            &pre.iter()
                .enumerate()
                .map(|(i, x)| (x * 1.2 + 30.0 + lift + noise(i), *x))
                .collect::<Vec<_>>(),
        )
    };
    let (a, b) = (arm(0.0), arm(15.0));
    let theta = pooled_theta(&a, &b);
    assert!((theta - 1.2).abs() < 0.05, "theta {theta}");
    for diff in [Difference::Absolute, Difference::Relative] {
        let adjusted = cuped_moments(&a, &b, diff).unwrap();
        let plain = effect_moments(&a.post.summary(), &b.post.summary(), diff).unwrap();
        assert!(adjusted.standard_error < plain.standard_error / 5.0, "{diff:?}");
        assert!(two_sided_ttest(&adjusted, Alpha::default()).p_value < 0.001);
    }
}

#[test]
fn srm_flags_an_imbalanced_split_only() {
    let skewed = sample_ratio_mismatch(&[5_000, 5_600], &[50.0, 50.0]).unwrap();
    close(skewed.chi_square, 2.0 * 300.0f64.powi(2) / 5_300.0, "chi-square");
    assert!(skewed.p_value < 1e-6 && skewed.srm_warning);
    let fair = sample_ratio_mismatch(&[5_000, 5_060], &[0.5, 0.5]).unwrap();
    assert!(fair.p_value > 0.5 && !fair.srm_warning, "{fair:?}");
    // a 20% holdout is judged against its own split
    assert!(
        !sample_ratio_mismatch(&[2_010, 7_990], &[20.0, 80.0])
            .unwrap()
            .srm_warning
    );
    assert!(
        sample_ratio_mismatch(&[5_000, 5_000], &[20.0, 80.0])
            .unwrap()
            .srm_warning
    );
    // with two degrees of freedom the chi-square tail is exp(-x/2)
    let three = sample_ratio_mismatch(&[100, 120, 80], &[1.0, 1.0, 1.0]).unwrap();
    close(three.chi_square, 8.0, "chi-square");
    close(three.p_value, (-4.0f64).exp(), "chi-square p");
    assert_eq!(sample_ratio_mismatch(&[0, 0], &[1.0, 1.0]).unwrap().p_value, 1.0);
    assert_eq!(sample_ratio_mismatch(&[1], &[1.0]), Err(SrmError::ArmCountMismatch));
    assert_eq!(sample_ratio_mismatch(&[1, 2], &[1.0]), Err(SrmError::ArmCountMismatch));
    assert_eq!(sample_ratio_mismatch(&[1, 2], &[0.0, 0.0]), Err(SrmError::BadWeights));
}

#[test]
fn detectable_effect_has_the_target_power_and_shrinks_with_n() {
    let arm = |n: u64| ArmSummary {
        n,
        mean: 100.0,
        variance: 400.0,
    };
    let DetectableEffect::Relative(mde) = detectable_now(&arm(1_000), &arm(1_000), Alpha::default()) else {
        panic!("1000 a side is enough");
    };
    // at lift = mde the z statistic equals z(0.975) + z(0.8) = 2.8016 under the delta-method variance
    let (mu_a, mu_b, v) = (100.0, 100.0 * (1.0 + mde), 400.0 / 1_000.0);
    let se = (v / (mu_a * mu_a) + v * mu_b * mu_b / mu_a.powi(4)).sqrt();
    close(mde / se, 1.959_964 + 0.841_621, "k");
    // four times the units, about half the detectable lift
    let DetectableEffect::Relative(mde4) = detectable_now(&arm(4_000), &arm(4_000), Alpha::default()) else {
        panic!("4000 a side is enough");
    };
    assert!((mde4 / mde - 0.5).abs() < 0.01, "{mde4} vs {mde}");
    // the smaller arm governs; very noisy small arms cannot detect anything yet
    assert!(detectable_now(&arm(1_000), &arm(100_000), Alpha::default()) == DetectableEffect::Relative(mde));
    let noisy = ArmSummary {
        n: 10,
        mean: 10.0,
        variance: 900.0,
    };
    assert_eq!(
        detectable_now(&noisy, &noisy, Alpha::default()),
        DetectableEffect::NotYet
    );
    assert_eq!(
        relative_mde(&arm(1), &arm(1), Alpha::default(), 0.8),
        DetectableEffect::NotYet
    );
}

#[test]
fn words_for_a_store_manager() {
    assert_eq!(p_value_in_words(0.80707), "could easily be chance");
    assert_eq!(
        p_value_in_words(0.06191),
        "might be chance: keep the experiment running"
    );
    assert_eq!(p_value_in_words(0.02016), "unlikely to be chance");
    assert_eq!(p_value_in_words(0.005), "very unlikely to be chance");
    assert_eq!(p_value_in_words(0.0), "almost certainly not chance");
    assert_eq!(p_value_in_words(f64::NAN), "not enough data to say");
    let (a, b) = means(3407);
    let r = two_sided_ttest(&effect_moments(&a, &b, Difference::Relative).unwrap(), Alpha::default());
    assert_eq!(interval_in_words(&r), "somewhere between 4% worse and 145% better");
    let r = two_sided_ttest(&effect_moments(&a, &b, Difference::Absolute).unwrap(), Alpha::default());
    assert_eq!(interval_in_words(&r), "somewhere between 0.05 more and 0.53 more");
}

#[test]
fn alpha_is_a_probability() {
    assert!(Alpha::new(0.0).is_none() && Alpha::new(1.0).is_none() && Alpha::new(f64::NAN).is_none());
    assert_eq!(Alpha::new(0.1).map(Alpha::value), Some(0.1));
    // a looser alpha narrows the interval
    let (a, b) = means(3407);
    let m = effect_moments(&a, &b, Difference::Relative).unwrap();
    let (wide, narrow) = (
        two_sided_ttest(&m, Alpha::default()),
        two_sided_ttest(&m, Alpha::new(0.1).unwrap()),
    );
    assert!(narrow.ci_low > wide.ci_low && narrow.ci_high < wide.ci_high);
}
