-- Sales from the DMS's deal export (CDK, Reynolds & Reynolds, Tekion...): one row per deal,
-- idempotent by (account, deal number). A deal opens the buyer's ownership of the sold vehicle
-- and ends the ownership of a traded-in one; the watchlist scores from deals and its backtest
-- counts a deal after a date as "bought".

CREATE TABLE deals (
    id                   INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    deal_number          TEXT    NOT NULL CHECK (length(deal_number) BETWEEN 1 AND 100),
    lead_id              INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    vehicle_id           INTEGER REFERENCES vehicles(id) ON DELETE SET NULL,
    vin                  TEXT CHECK (vin IS NULL OR (length(vin) = 17 AND vin = upper(vin))),
    sold_at              INTEGER NOT NULL,
    condition            TEXT CHECK (condition IS NULL OR condition IN ('new', 'used')),
    sale_type            TEXT CHECK (sale_type IS NULL OR sale_type IN ('cash', 'finance', 'lease')),
    term_months          INTEGER CHECK (term_months IS NULL OR term_months BETWEEN 1 AND 120),
    monthly_payment_cents INTEGER CHECK (monthly_payment_cents IS NULL OR monthly_payment_cents >= 0),
    -- annual percentage rate in basis points: 649 = 6.49 %
    apr_bps              INTEGER CHECK (apr_bps IS NULL OR apr_bps BETWEEN 0 AND 10000),
    lease_miles_per_year INTEGER CHECK (lease_miles_per_year IS NULL OR lease_miles_per_year BETWEEN 1 AND 100000),
    lender               TEXT,
    amount_financed_cents INTEGER CHECK (amount_financed_cents IS NULL OR amount_financed_cents >= 0),
    trade_vin            TEXT CHECK (trade_vin IS NULL OR (length(trade_vin) = 17 AND trade_vin = upper(trade_vin))),
    trade_vehicle_id     INTEGER REFERENCES vehicles(id) ON DELETE SET NULL,
    trade_payoff_cents   INTEGER CHECK (trade_payoff_cents IS NULL OR trade_payoff_cents >= 0),
    source               TEXT    NOT NULL DEFAULT 'api',
    content_hash         TEXT, -- of the last imported row: a re-import of the same row is 'unchanged'
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    UNIQUE (account_id, deal_number)
);
-- "the deals of a lead after a date" (the watchlist's backtest) and the account's sales by date
CREATE INDEX deals_lead_sold ON deals(lead_id, sold_at) WHERE lead_id IS NOT NULL;
CREATE INDEX deals_account_sold ON deals(account_id, sold_at);
CREATE INDEX deals_vehicle ON deals(vehicle_id) WHERE vehicle_id IS NOT NULL;
CREATE INDEX deals_trade_vehicle ON deals(trade_vehicle_id) WHERE trade_vehicle_id IS NOT NULL;
