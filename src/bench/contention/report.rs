//! The contention bench's figures as the terminal shows them.

use super::ContentionFigures;

impl std::fmt::Display for ContentionFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "rows                 {}", self.rows)?;
        writeln!(
            f,
            "import alone         {:.2} s  {:.0} rows/s",
            self.alone_seconds, self.alone_rows_per_second
        )?;
        writeln!(
            f,
            "import with writers  {:.2} s  {:.0} rows/s  ({:+.1} % time)",
            self.busy_seconds,
            self.busy_rows_per_second,
            (self.busy_seconds / self.alone_seconds - 1.0) * 100.0
        )?;
        writeln!(f, "writer               sent  not 2xx   p50 ms   p99 ms   max ms")?;
        for w in &self.writers {
            writeln!(
                f,
                "{:<20} {:>5} {:>8} {:>8.1} {:>8.1} {:>8.1}",
                w.name, w.sent, w.failed, w.p50_ms, w.p99_ms, w.max_ms
            )?;
        }
        let c = &self.checked;
        writeln!(
            f,
            "checked              STOPs honoured {}/{}, inbound stored {}/{} ({} pending), leads stored {}/{}, rows imported {}/{}, job runs failed {}/{}, surveys asked {}",
            c.stops_honoured,
            c.stops_sent,
            c.inbound_stored,
            c.inbound_sent,
            c.inbound_pending,
            c.leads_stored,
            c.leads_sent,
            c.rows_imported,
            self.rows,
            c.job_runs_failed,
            c.job_runs,
            c.surveys_asked
        )?;
        let problems = self.problems();
        if problems.is_empty() {
            writeln!(f, "promises             all held")?;
        } else {
            writeln!(f, "PROMISES BROKEN      {}", problems.join("; "))?;
        }
        Ok(())
    }
}
