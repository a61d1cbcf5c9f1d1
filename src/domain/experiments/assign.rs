//! Holdout arms: a lead's arm in an experiment is a pure function of the experiment's salt
//! and the lead, so it never changes and needs no coordination between ticks.

use sha2::{Digest, Sha256};

pub const CONTROL: &str = "control";
pub const TREATMENT: &str = "treatment";

/// The lead's bucket, 0-99, for this salt.
pub fn bucket(salt: &str, lead_id: i64) -> u8 {
    let digest = Sha256::digest(format!("{salt}:{lead_id}").as_bytes());
    let n = u64::from_be_bytes(digest[..8].try_into().unwrap_or([0; 8]));
    (n % 100) as u8
}

/// `control` for the first `holdout_pct` buckets, `treatment` otherwise.
pub fn arm(salt: &str, lead_id: i64, holdout_pct: i64) -> &'static str {
    if i64::from(bucket(salt, lead_id)) < holdout_pct {
        CONTROL
    } else {
        TREATMENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_are_stable_and_near_the_holdout_share() {
        let control = (0..10_000).filter(|id| arm("s1", *id, 20) == CONTROL).count();
        assert!((1_700..2_300).contains(&control), "{control} of 10000 in a 20% holdout");
        for id in 0..100 {
            assert_eq!(arm("s1", id, 20), arm("s1", id, 20));
        }
        assert!((0..100).all(|id| arm("s1", id, 0) == TREATMENT));
        assert!((0..100).all(|id| arm("s1", id, 100) == CONTROL));
        // another salt shuffles who is held out
        let moved = (0..1000).filter(|id| arm("s1", *id, 50) != arm("s2", *id, 50)).count();
        assert!(moved > 300, "{moved}");
    }
}
