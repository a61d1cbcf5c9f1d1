//! `forecourt bench pages`: how fast every page (the inbox, search, the leads list, the
//! dashboard for each period, the messages list, offers, settings, watchlist, experiments)
//! answers a signed-in manager on a big store (by default 1,000,000 customers and 10,000,000 texts), over real HTTP,
//! with `/healthz` in the same run as the baseline. The data is written set-based
//! (store::bench_data), not through the product's paths: the bench measures reads.

use super::contention::Served;
use crate::clock::to_unix;
use crate::domain::inbox::InboxView;
use crate::error::{Error, Result};
use crate::{secrets, store};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct PagesOptions {
    pub leads: i64,
    pub messages: i64,
    /// requests timed per page (after a few not timed)
    pub requests: usize,
    /// work directory, kept afterwards if given
    pub dir: Option<PathBuf>,
}

impl Default for PagesOptions {
    fn default() -> Self {
        PagesOptions {
            leads: 1_000_000,
            messages: 10_000_000,
            requests: 200,
            dir: None,
        }
    }
}

/// One page's answer times.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageTimes {
    pub name: String,
    pub path: String,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    /// answers that were not 200 or did not hold what they must (a search: the customer)
    pub failed: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PagesFigures {
    pub leads: i64,
    pub messages: i64,
    pub conversations: i64,
    pub generate_seconds: f64,
    pub db_bytes: u64,
    pub requests: usize,
    pub pages: Vec<PageTimes>,
    /// peak resident memory of the process while the pages were asked (the peak is reset after
    /// generating the store, where the kernel allows), kB
    pub serving_peak_kb: Option<u64>,
}

impl PagesFigures {
    /// Pages whose p95 is 100 ms or more, or that failed.
    pub fn over_goal(&self) -> Vec<String> {
        self.pages
            .iter()
            .filter(|p| p.p95_ms >= 100.0 || p.failed > 0)
            .map(|p| p.name.clone())
            .collect()
    }
}

impl std::fmt::Display for PagesFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "data                 {} customers, {} texts in {} conversations ({:.0} s to generate, {:.0} MB)",
            self.leads,
            self.messages,
            self.conversations,
            self.generate_seconds,
            self.db_bytes as f64 / 1e6
        )?;
        writeln!(
            f,
            "requests             {} per page, one at a time, signed in",
            self.requests
        )?;
        writeln!(
            f,
            "{:<28} {:>8} {:>8} {:>8}  path",
            "page", "p50 ms", "p95 ms", "max ms"
        )?;
        for p in &self.pages {
            writeln!(
                f,
                "{:<28} {:>8.1} {:>8.1} {:>8.1}  {}{}",
                p.name,
                p.p50_ms,
                p.p95_ms,
                p.max_ms,
                p.path,
                if p.failed > 0 {
                    format!("  ({} wrong answers)", p.failed)
                } else {
                    String::new()
                }
            )?;
        }
        if let Some(kb) = self.serving_peak_kb {
            writeln!(
                f,
                "memory               {:.0} MB peak while serving the pages (VmHWM; goal < 300 MB)",
                kb as f64 / 1024.0
            )?;
        }
        let over = self.over_goal();
        if over.is_empty() {
            writeln!(f, "goal                 every page p95 < 100 ms: met")
        } else {
            writeln!(
                f,
                "goal                 every page p95 < 100 ms: NOT met by {}",
                over.join(", ")
            )
        }
    }
}

/// Build the store and time the pages.
pub async fn pages(opts: PagesOptions) -> Result<PagesFigures> {
    let keep = opts.dir.is_some();
    let dir = opts
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("forecourt-bench-pages-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(Error::internal)?;
    let figures = pages_in(&opts, &dir).await;
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    figures
}

/// Texts per conversation, and how many conversations, for this many customers and texts.
fn shape(leads: i64, messages: i64) -> (i64, i64) {
    let per = (messages / leads.max(1)).max(20).max(2);
    let conversations = (messages / per).min(leads).max(1);
    (per, conversations)
}

const SESSION: &str = "bench-pages-session";

/// Texts in the one long conversation the bench opens.
const LONG_CONVERSATION: i64 = 2_000;

async fn pages_in(opts: &PagesOptions, dir: &Path) -> Result<PagesFigures> {
    let s = Served::start(dir).await?;
    let account_id = s.account_id;
    let (per, conversations) = shape(opts.leads, opts.messages);
    let leads = opts.leads.max(conversations);
    let now = to_unix(s.app.now());
    let generated = Instant::now();
    let user_id = s
        .app
        .db
        .write(move |tx| {
            let user = store::users::insert(
                tx,
                account_id,
                "rep@bench.example",
                Some("Bench Manager"),
                crate::domain::users::Role::Manager,
                "-",
                now,
            )?;
            store::sessions::insert(
                tx,
                &secrets::sha256_hex(SESSION),
                user,
                account_id,
                "bench-csrf",
                now,
                now + 86_400,
            )?;
            Ok(user)
        })
        .await?;
    // customers, then texts, in transactions of a bounded size (a fresh database: no one waits)
    let mut conn = s.app.db.conn()?;
    const CHUNK: i64 = 100_000;
    let mut from = 0;
    while from < leads {
        let to = (from + CHUNK).min(leads);
        conn.write_with(|tx| store::bench_data::page_customers(tx, account_id, from, to, conversations, now))?;
        from = to;
    }
    let triggers = conn.write_with(store::bench_data::take_off_conversation_triggers)?;
    let shape = store::bench_data::PageShape {
        user_id,
        total: conversations,
        per,
        now,
    };
    let chunk = (1_000_000 / per).max(1);
    let mut from = 0;
    while from < conversations {
        let to = (from + chunk).min(conversations);
        conn.write_with(|tx| store::bench_data::page_conversations(tx, account_id, &shape, from, to))?;
        from = to;
    }
    conn.write_with(|tx| {
        store::bench_data::put_back_triggers(tx, &triggers)?;
        store::bench_data::analyze_sampled(tx)
    })?;
    // one customer with a long history: the conversation page and its customer card
    let long_lead = leads;
    conn.write_with(|tx| store::bench_data::page_long_conversation(tx, account_id, long_lead, LONG_CONVERSATION, now))?;
    let later = store::bench_data::nth_conversation(&conn, account_id, (conversations / 2).min(5_000))?;
    let later_lead = store::bench_data::nth_lead(&conn, account_id, (leads / 2).min(50_000))?;
    // an upsell history for the dashboard, the Offers page and the advisors
    let sends = (leads / 5).max(1);
    conn.write_with(|tx| store::bench_data::page_offers(tx, account_id, sends, now))?;
    store::checkpoint(&conn)?;
    drop(conn);
    let generate_seconds = generated.elapsed().as_secs_f64();
    let db_bytes = std::fs::metadata(s.app.db.path()).map(|m| m.len()).unwrap_or(0);

    // each page as requests (path, what the answer must hold to count), taken in turn
    let row = "data-lead=".to_string();
    let lead_row = "class=\"lead-link\"".to_string();
    let one = |name: &str, path: String, must: &str| (name.to_string(), vec![(path, must.to_string())]);
    let mut paths = vec![one("healthz (baseline)", "/healthz".into(), "")];
    paths.push(one("inbox, first page", "/threads".into(), &row));
    if let Some((at, id)) = later {
        paths.push(one(
            "inbox, a later page",
            format!("/threads?view=all&after={at}.{id}"),
            &row,
        ));
    }
    for view in InboxView::ALL {
        if view != InboxView::Open {
            paths.push(one(
                &format!("inbox: {}", view.label().to_lowercase()),
                format!("/threads?view={view}"),
                &row,
            ));
        }
    }
    paths.extend(searches("/threads", leads, &row));
    paths.push(one(
        &format!("conversation of {LONG_CONVERSATION} texts, with its customer card"),
        format!("/threads/{long_lead}"),
        "id=\"card-consent\"",
    ));
    paths.push(one("leads, first page", "/leads".into(), &lead_row));
    if let Some((at, id)) = later_lead {
        paths.push(one("leads, a later page", format!("/leads?after={at}.{id}"), &lead_row));
    }
    paths.extend(
        searches("/leads", leads, &lead_row)
            .into_iter()
            .filter(|(name, _)| name.ends_with("(512) 2xx-xxxx") || name.ends_with("last name"))
            .map(|(name, r)| (name.replace("search:", "leads: search"), r)),
    );

    // the manager's pages: the dashboard for each period, the messages list, offers, settings
    for (name, period) in [
        ("today", "today"),
        ("7 days", "7"),
        ("30 days", "30"),
        ("90 days", "90"),
    ] {
        paths.push(one(
            &format!("dashboard, {name}"),
            format!("/?period={period}"),
            "id=\"today\"",
        ));
    }
    paths.push(one(
        "dashboard, a custom year",
        "/?period=custom&from=2025-12-01&to=2026-11-30".into(),
        "id=\"today\"",
    ));
    for (name, query) in [
        ("messages, last 30 days", ""),
        ("messages: sent", "?outcome=sent"),
        ("messages: failed", "?outcome=failed"),
        ("messages: held for quiet hours", "?outcome=held&reason=quiet_hours"),
        ("messages: manual texts", "?purpose=manual"),
        ("messages: a year", "?from=2025-12-01&to=2026-11-30"),
    ] {
        paths.push(one(name, format!("/messages{query}"), "id=\"messages-note\""));
    }
    paths.push(one("offers, 30 days", "/offers".into(), "id=\"offers-total\""));
    paths.push(one(
        "offers, 90 days",
        "/offers?period=90".into(),
        "id=\"offers-total\"",
    ));
    paths.push(one("settings", "/settings".into(), "id=\"state-rules\""));
    paths.push(one("watchlist", "/watchlist".into(), "<h1>"));
    paths.push(one("experiments", "/experiments".into(), "<h1>"));

    // a redirect is a failure here (to the login page: the session did not hold)
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(Error::internal)?;
    super::reset_peak();
    let mut pages = Vec::new();
    for (name, requests) in paths {
        pages.push(time_page(&http, &s.url, &name, &requests, opts.requests).await);
    }
    s.stop().await;
    Ok(PagesFigures {
        leads,
        messages: per * conversations,
        conversations,
        generate_seconds,
        db_bytes,
        requests: opts.requests,
        pages,
        serving_peak_kb: super::peak_rss_kb(),
    })
}

/// Searches of `page` for customers spread over the store (a different one each request,
/// so no answer is the page cache's alone). A search that names one customer must find them;
/// a last name or last four digits, shared by many, must find someone (`any`).
fn searches(page: &str, leads: i64, any: &str) -> Vec<(String, Vec<(String, String)>)> {
    let q = |s: &str| serde_urlencoded::to_string([("q", s)]).unwrap_or_default();
    let customers: Vec<i64> = (0..64).map(|k| (leads / 3 + k * 7_919) % leads).collect();
    type Query = fn(i64, &str) -> String;
    let kinds: [(&str, Query, bool); 10] = [
        (
            "search: (512) 2xx-xxxx",
            |_, d| format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..]),
            true,
        ),
        (
            "search: +1 512 ...",
            |_, d| format!("+1 {} {} {}", &d[..3], &d[3..6], &d[6..]),
            true,
        ),
        (
            "search: last 7 digits",
            |_, d| format!("{}-{}", &d[3..6], &d[6..]),
            true,
        ),
        ("search: last 4 digits", |_, d| d[6..].to_string(), false),
        (
            "search: last name",
            |c, _| LAST[((c / 10) % 10) as usize].to_string(),
            false,
        ),
        (
            "search: first and last",
            |c, _| format!("{} {}", FIRST[(c % 10) as usize], LAST[((c / 10) % 10) as usize]),
            false,
        ),
        ("search: email", |c, _| customer_email(c), true),
        (
            "search: VIN",
            |c, _| format!("1HGCV1F3{}LA{:06}", c / 1_000_000 % 10, c % 1_000_000),
            true,
        ),
        ("search: VIN last 6", |c, _| format!("{:06}", c % 1_000_000), true),
        ("search: RO number", |c, _| format!("{}", 1_000_000 + c), true),
    ];
    kinds
        .iter()
        .map(|(name, query, exact)| {
            let requests = customers
                .iter()
                .map(|&c| {
                    let digits = format!("512{:07}", 2_000_000 + c);
                    let must = if *exact {
                        format!("href=\"/threads/{}\"", c + 1)
                    } else {
                        any.to_string()
                    };
                    (format!("{page}?{}", q(&query(c, &digits))), must)
                })
                .collect();
            (name.to_string(), requests)
        })
        .collect()
}

const FIRST: [&str; 10] = [
    "ana", "john", "maria", "david", "linda", "jose", "sarah", "kevin", "priya", "minh",
];
const LAST: [&str; 10] = [
    "lopez", "smith", "nguyen", "johnson", "garcia", "patel", "kim", "brown", "davis", "reyes",
];

/// Customer `c`'s email, as `store::bench_data::page_customers` writes it.
fn customer_email(c: i64) -> String {
    let suffix = if c % 1000 < 10 {
        String::new()
    } else {
        format!("-{}", c / 1000)
    };
    format!(
        "{}.{}{suffix}{c}@example.com",
        FIRST[(c % 10) as usize],
        LAST[((c / 10) % 10) as usize]
    )
}

/// Time `n` requests of a page, taking its requests in turn; an answer that is not a 200
/// holding what the request must is a failure.
async fn time_page(
    http: &reqwest::Client,
    base: &str,
    name: &str,
    requests: &[(String, String)],
    n: usize,
) -> PageTimes {
    let cookie = format!("fc_session={SESSION}");
    let mut ms = Vec::with_capacity(n);
    let mut failed = 0;
    for i in 0..n + 5 {
        let (path, must) = &requests[i % requests.len()];
        let started = Instant::now();
        let ok = match http.get(format!("{base}{path}")).header("cookie", &cookie).send().await {
            Ok(r) => r.status().as_u16() == 200 && r.text().await.is_ok_and(|body| body.contains(must.as_str())),
            Err(_) => false,
        };
        let took = started.elapsed().as_secs_f64() * 1000.0;
        // the first few warm the statement cache
        if i >= 5 {
            ms.push(took);
            failed += usize::from(!ok);
        }
    }
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
    PageTimes {
        name: name.into(),
        path: requests[0].0.clone(),
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        max_ms: ms.last().copied().unwrap_or(0.0),
        failed,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shape_keeps_the_totals() {
        assert_eq!(super::shape(1_000_000, 10_000_000), (20, 500_000));
        assert_eq!(super::shape(10_000, 1_000_000), (100, 10_000));
        assert_eq!(super::shape(1_000, 1_000), (20, 50));
        assert_eq!(super::customer_email(333_333), "david.johnson-333333333@example.com");
        assert_eq!(super::customer_email(2_005), "jose.lopez2005@example.com");
    }
}
