-- The latest backtest of the next-to-buy watchlist per account (issue #13 §3): computed by the
-- nightly recompute (or a manager's "run it now"), shown on the Watchlist page in one sentence.
CREATE TABLE watchlist_backtests (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    as_of       INTEGER NOT NULL,
    computed_at INTEGER NOT NULL,
    -- domain::watchlist::backtest::Backtest as JSON
    result_json TEXT    NOT NULL CHECK (json_valid(result_json))
);
