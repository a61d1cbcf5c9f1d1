//! `forecourt watchlist backtest --as-of YYYY-MM-DD [--account ID]`: score the store as it was
//! at the start of that day and print who bought afterwards (nothing is written).

use crate::build_app;
use anyhow::{bail, Result};
use clap::Subcommand;
use forecourt::clock::Clock;
use forecourt::config::Config;
use forecourt::domain::watchlist::backtest::{long_date, start_of_day, Backtest, Rate};
use forecourt::store;
use std::sync::Arc;

#[derive(Subcommand)]
pub enum WatchlistCmd {
    /// Check the next-to-buy list against the store's own history: score it as of a past day,
    /// then count who bought within 3, 6 and 12 months
    Backtest {
        /// The day to score at (its start, in the store's time zone), e.g. 2025-06-01
        #[arg(long)]
        as_of: String,
        /// The account (default: the only one)
        #[arg(long)]
        account: Option<i64>,
    },
}

pub fn run(config: Config, clock: Arc<dyn Clock>, cmd: WatchlistCmd) -> Result<()> {
    let WatchlistCmd::Backtest { as_of, account } = cmd;
    let app = build_app(config, clock)?;
    let conn = app.db.conn()?;
    let account_id = match account {
        Some(id) => id,
        None => match store::accounts::list(&conn)?.as_slice() {
            [one] => one.id,
            [] => bail!("there is no account yet"),
            many => bail!(
                "there are {} accounts; name one with --account ({})",
                many.len(),
                many.iter().map(|a| a.id.to_string()).collect::<Vec<_>>().join(", ")
            ),
        },
    };
    let account = store::accounts::get(&conn, account_id)?;
    drop(conn);
    let now = app.now();
    let as_of = start_of_day(&as_of, account.timezone, now).map_err(|why| anyhow::anyhow!("--as-of: {why}"))?;
    let rt = tokio::runtime::Runtime::new()?;
    let b = rt.block_on(forecourt::watchlist::backtest(&app.db, account_id, as_of, now))?;
    print!("{}", report(&account.name, &b));
    Ok(())
}

fn rate(r: &Rate) -> String {
    format!("{:>5.1}%  ({} of {})", r.share * 100.0, r.bought, r.of)
}

fn lift(l: Option<f64>) -> String {
    l.map_or("-".into(), |l| format!("{l:.1}x"))
}

/// The figures as the CLI prints them.
fn report(name: &str, b: &Backtest) -> String {
    let mut s = String::new();
    let incomplete = |complete: bool| {
        if complete {
            ""
        } else {
            "  (incomplete: not that many months of data yet)"
        }
    };
    s += &format!("Watchlist backtest for {name}, scored as of {}\n", long_date(b.as_of));
    s += &format!(
        "data reaches {} ({} months after)\n\n",
        long_date(b.data_until),
        b.months_after
    );
    s += &format!("customers scored      {}\n", b.customers);
    s += &format!(
        "everyone, 6 months    {}{}\n",
        rate(&b.everyone.within_6_months),
        incomplete(b.complete_6_months)
    );
    s += &format!(
        "everyone, 12 months   {}{}\n",
        rate(&b.everyone.within_12_months),
        incomplete(b.complete_12_months)
    );
    s += &format!(
        "top 10%, 6 months     {}  lift {}\n",
        rate(&b.top_decile.within_6_months),
        lift(b.top_decile.lift_6_months)
    );
    s += &format!(
        "top 10%, 12 months    {}  lift {}\n\n",
        rate(&b.top_decile.within_12_months),
        lift(b.top_decile.lift_12_months)
    );
    s += "predicted window   customers   bought inside it\n";
    for w in &b.windows {
        s += &format!(
            "{:<18} {:>9}   {}\n",
            w.window.as_str(),
            w.customers,
            rate(&w.bought_inside)
        );
    }
    s += &format!("\n{}\n", b.summary);
    s
}
