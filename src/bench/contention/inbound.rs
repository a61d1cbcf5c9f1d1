//! `forecourt bench inbound`: distinct signed inbound texts at a fixed concurrency, against
//! `/healthz` at the same concurrency in the same run; checks each text is stored exactly once.

use super::{client, inbound_body, inbound_request, timed, Latencies, Outcome, Served};
use crate::error::{Error, Result};
use crate::store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, Clone, serde::Serialize)]
pub struct InboundFigures {
    pub texts: usize,
    pub concurrency: usize,
    pub healthz_per_second: f64,
    pub inbound_per_second: f64,
    pub healthz: Latencies,
    pub inbound: Latencies,
    /// texts stored in messages_in, and how many distinct MessageSids those are
    pub stored: usize,
    pub pending: usize,
}

/// `n` requests made by `make(i)`, `concurrency` in flight at a time; and the seconds it took.
async fn at_concurrency(
    n: usize,
    concurrency: usize,
    make: impl Fn(usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
) -> (Vec<Outcome>, f64) {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let make = Arc::new(make);
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (next, make) = (Arc::clone(&next), Arc::clone(&make));
        workers.spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= n {
                    break out;
                }
                out.push(timed(make(i)).await.0);
            }
        });
    }
    let mut out = Vec::with_capacity(n);
    while let Some(r) = workers.join_next().await {
        out.extend(r.unwrap_or_default());
    }
    (out, started.elapsed().as_secs_f64())
}

/// Run the inbound bench: `texts` distinct signed inbound texts, `concurrency` at a time.
pub async fn inbound(texts: usize, concurrency: usize, dir: Option<PathBuf>) -> Result<InboundFigures> {
    let keep = dir.is_some();
    let dir =
        dir.unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-inbound-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let figures = inbound_in(texts, concurrency, &dir).await;
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    figures
}

async fn inbound_in(texts: usize, concurrency: usize, dir: &Path) -> Result<InboundFigures> {
    let s = Served::start(dir).await?;
    let http = client()?;
    let url = s.url.clone();
    let h = http.clone();
    let (healthz, healthz_seconds) = at_concurrency(texts, concurrency, move |_| h.get(format!("{url}/healthz"))).await;
    let url = s.url.clone();
    let h = http.clone();
    let (inbound, inbound_seconds) = at_concurrency(texts, concurrency, move |i| {
        inbound_request(
            &h,
            &url,
            &format!("SMload{i:07}"),
            &format!("+1737{:03}{:04}", 201 + (i / 10_000) % 700, i % 10_000),
            inbound_body(i),
        )
    })
    .await;
    let sids: Vec<String> = (0..texts).map(|i| format!("SMload{i:07}")).collect();
    let account_id = s.account_id;
    let (stored, pending) = s
        .app
        .db
        .call(move |c| {
            Ok((
                store::bench_data::stored_inbound(c, account_id, &sids)?,
                store::inbound_raw::pending_count(c)? as usize,
            ))
        })
        .await?;
    s.stop().await;
    Ok(InboundFigures {
        texts,
        concurrency,
        healthz_per_second: texts as f64 / healthz_seconds,
        inbound_per_second: texts as f64 / inbound_seconds,
        healthz: Latencies::from("healthz", healthz),
        inbound: Latencies::from("inbound", inbound),
        stored,
        pending,
    })
}

impl std::fmt::Display for InboundFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "requests             {} each, {} at a time",
            self.texts, self.concurrency
        )?;
        writeln!(f, "                     req/s  not 2xx   p50 ms   p99 ms")?;
        for (w, rate) in [
            (&self.healthz, self.healthz_per_second),
            (&self.inbound, self.inbound_per_second),
        ] {
            writeln!(
                f,
                "{:<20} {:>6.0} {:>8} {:>8.1} {:>8.1}",
                w.name, rate, w.failed, w.p50_ms, w.p99_ms
            )?;
        }
        writeln!(
            f,
            "ratio                {:.2} of the /healthz rate",
            self.inbound_per_second / self.healthz_per_second
        )?;
        writeln!(
            f,
            "stored               {}/{} texts exactly once ({} pending)",
            self.stored, self.texts, self.pending
        )
    }
}
