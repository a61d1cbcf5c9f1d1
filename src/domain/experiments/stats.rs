//! Per-arm summary statistics, as GrowthBook's `SampleMeanStatistic` and `ProportionStatistic`
//! (gbstats/models/statistics.py) compute them. The store hands over sums, never rows.

/// A metric with a value per unit (revenue, ROs): unit count, sum and sum of squares.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SampleMean {
    pub n: u64,
    pub sum: f64,
    pub sum_squares: f64,
}

impl SampleMean {
    pub fn new(n: u64, sum: f64, sum_squares: f64) -> Self {
        Self { n, sum, sum_squares }
    }

    /// The sufficient statistics of a list of per-unit values.
    pub fn from_values(values: &[f64]) -> Self {
        values.iter().fold(Self::default(), |acc, v| {
            Self::new(acc.n + 1, acc.sum + v, acc.sum_squares + v * v)
        })
    }

    /// `sum / n`, 0 for no units.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        self.sum / self.n as f64
    }

    /// The sample variance `(sum_squares - sum^2 / n) / (n - 1)`, 0 for fewer than two units.
    pub fn variance(&self) -> f64 {
        if self.n <= 1 {
            return 0.0;
        }
        let n = self.n as f64;
        (self.sum_squares - self.sum * self.sum / n) / (n - 1.0)
    }

    pub fn summary(&self) -> ArmSummary {
        ArmSummary {
            n: self.n,
            mean: self.mean(),
            variance: self.variance(),
        }
    }
}

/// A yes/no metric (accepted the offer, came back): units and how many said yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Proportion {
    pub n: u64,
    pub successes: u64,
}

impl Proportion {
    pub fn new(n: u64, successes: u64) -> Self {
        Self { n, successes }
    }

    /// `successes / n`, 0 for no units.
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        self.successes as f64 / self.n as f64
    }

    /// The Bernoulli variance `p (1 - p)` (GrowthBook uses this, not the n-1 sample variance).
    pub fn variance(&self) -> f64 {
        let p = self.mean();
        p * (1.0 - p)
    }

    pub fn summary(&self) -> ArmSummary {
        ArmSummary {
            n: self.n,
            mean: self.mean(),
            variance: self.variance(),
        }
    }
}

/// What the tests need from one arm: units, mean and per-unit variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmSummary {
    pub n: u64,
    pub mean: f64,
    pub variance: f64,
}

impl From<SampleMean> for ArmSummary {
    fn from(s: SampleMean) -> Self {
        s.summary()
    }
}

impl From<Proportion> for ArmSummary {
    fn from(p: Proportion) -> Self {
        p.summary()
    }
}
