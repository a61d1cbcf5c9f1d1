//! Sample-ratio mismatch: GrowthBook `check_srm` (gbstats/utils.py). If the arms' unit counts are
//! far from the configured split, assignment or logging is broken and no lift figure can be trusted.

use statrs::distribution::{ChiSquared, ContinuousCDF};
use thiserror::Error;

/// Below this p-value the split is reported as broken (GrowthBook's default SRM threshold).
pub const SRM_P_THRESHOLD: f64 = 0.001;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SrmCheck {
    pub chi_square: f64,
    pub p_value: f64,
    /// `p_value < SRM_P_THRESHOLD`.
    pub srm_warning: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SrmError {
    #[error("one configured weight per arm is needed, and at least two arms")]
    ArmCountMismatch,
    #[error("the configured weights must be finite, non-negative and not all zero")]
    BadWeights,
}

/// Chi-square goodness of fit of `observed` unit counts against configured `weights` (any scale,
/// e.g. 50/50 or 0.2/0.8), with `arms - 1` degrees of freedom. Arms weighted 0 are skipped, as in
/// GrowthBook. No units at all is no evidence of a mismatch (p = 1).
pub fn sample_ratio_mismatch(observed: &[u64], weights: &[f64]) -> Result<SrmCheck, SrmError> {
    if observed.len() != weights.len() || observed.len() < 2 {
        return Err(SrmError::ArmCountMismatch);
    }
    let total_weight: f64 = weights.iter().sum();
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || total_weight <= 0.0 {
        return Err(SrmError::BadWeights);
    }
    let total: u64 = observed.iter().sum();
    if total == 0 {
        return Ok(SrmCheck {
            chi_square: 0.0,
            p_value: 1.0,
            srm_warning: false,
        });
    }
    let chi_square: f64 = observed
        .iter()
        .zip(weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|(o, w)| {
            let expected = w / total_weight * total as f64;
            (*o as f64 - expected).powi(2) / expected
        })
        .sum();
    let dof = (observed.len() - 1) as f64;
    let p_value = ChiSquared::new(dof).map(|d| d.sf(chi_square)).unwrap_or(1.0);
    Ok(SrmCheck {
        chi_square,
        p_value,
        srm_warning: p_value < SRM_P_THRESHOLD,
    })
}
