//! `forecourt bench ...`: the commands that measure, each printing its figures beside a
//! baseline measured in the same run.

use anyhow::{bail, Result};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum BenchCmd {
    /// Generate a realistic RO export, import it into a fresh database, and compare with the
    /// sqlite3 shell's .import of the same file
    Import {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Work directory (default: a fresh folder under the system temp dir, removed after)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// An export imported through the API alone, then again while signed inbound texts, lead
    /// webhooks and ticks arrive: each writer's answer times and the import's rate both ways,
    /// then checks that nothing failed and nothing was lost
    Contention {
        #[arg(long, default_value_t = 200_000)]
        rows: usize,
        /// signed inbound texts (two in five STOP)
        #[arg(long, default_value_t = 500)]
        inbound: usize,
        #[arg(long, default_value_t = 500)]
        leads: usize,
        /// Work directory (default: a fresh folder under the system temp dir, removed after)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Distinct signed inbound texts at a fixed concurrency, against /healthz in the same run
    Inbound {
        #[arg(long, default_value_t = 5_000)]
        texts: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// Work directory (default: a fresh folder under the system temp dir, removed after)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The inbox (first page, a later page, each view), search by phone/name/email/VIN/RO and
    /// the leads list on a generated store, signed in over HTTP, with /healthz as the baseline
    Pages {
        #[arg(long, default_value_t = 1_000_000)]
        leads: i64,
        #[arg(long, default_value_t = 10_000_000)]
        messages: i64,
        /// requests timed per page
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// Work directory (default: a fresh folder under the system temp dir, removed after)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The watchlist's recompute over generated owners, beside one plain SQL read of the same
    /// rows, with time and peak memory of each
    Recompute {
        #[arg(long, default_value_t = 1_000_000)]
        ownerships: i64,
        /// Work directory (default: a fresh folder under the system temp dir, removed after)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The survey readers and the opt-out classifier on every reply of the corpora in the
    /// source tree, beside folding and splitting the same replies
    Replies {
        /// the source tree's src/ folder, where the corpora are
        #[arg(long, default_value = "src")]
        src: PathBuf,
        /// reads of each reply
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
    /// Time the upsell triggers with a generated history of past repair orders and a fixed
    /// number of visits due
    Tick {
        /// past repair orders in the table
        #[arg(long, default_value_t = 50_000)]
        events: i64,
        /// appointments due for their 48-hour text
        #[arg(long, default_value_t = 1_000)]
        due: i64,
        /// ticks to time (the due visits are reset between them)
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Work directory (default: a fresh folder under the system temp dir, removed after)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// Run one bench command.
pub fn run(cmd: BenchCmd) -> Result<()> {
    match cmd {
        BenchCmd::Tick {
            events,
            due,
            rounds,
            dir,
        } => {
            let rt = tokio::runtime::Runtime::new()?;
            let f = rt.block_on(forecourt::bench::tick::tick(events, due, rounds.max(1), dir))?;
            print!("{f}");
        }
        BenchCmd::Contention {
            rows,
            inbound,
            leads,
            dir,
        } => {
            let rt = tokio::runtime::Runtime::new()?;
            let opts = forecourt::bench::contention::ContentionOptions {
                rows,
                inbound,
                leads,
                dir,
                ..Default::default()
            };
            let f = rt.block_on(forecourt::bench::contention::contention(opts))?;
            print!("{f}");
            if !f.problems().is_empty() {
                bail!("a promise did not hold under contention");
            }
        }
        BenchCmd::Inbound {
            texts,
            concurrency,
            dir,
        } => {
            let rt = tokio::runtime::Runtime::new()?;
            let f = rt.block_on(forecourt::bench::contention::inbound(texts, concurrency, dir))?;
            print!("{f}");
            if f.inbound.failed > 0 || f.stored != f.texts {
                bail!("inbound texts failed or were lost");
            }
        }
        BenchCmd::Pages {
            leads,
            messages,
            requests,
            dir,
        } => {
            let rt = tokio::runtime::Runtime::new()?;
            let opts = forecourt::bench::pages::PagesOptions {
                leads,
                messages,
                requests: requests.max(1),
                dir,
            };
            let f = rt.block_on(forecourt::bench::pages::pages(opts))?;
            print!("{f}");
        }
        BenchCmd::Recompute { ownerships, dir } => {
            let rt = tokio::runtime::Runtime::new()?;
            let f = rt.block_on(forecourt::bench::recompute::recompute(ownerships.max(1), dir))?;
            print!("{f}");
        }
        BenchCmd::Replies { src, rounds } => {
            print!("{}", forecourt::bench::replies::replies(&src, rounds.max(1))?);
        }
        BenchCmd::Import { rows, dir } => {
            print!("{}", forecourt::bench::import(rows, dir)?);
        }
    }
    Ok(())
}
