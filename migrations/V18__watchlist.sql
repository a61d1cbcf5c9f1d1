-- The next-to-buy watchlist (issue #13): an account's tuned weights, each customer's score
-- history (the trend), whether a scored customer had opted out, when a lead last came in,
-- and the indexes the recompute and the list read through.

-- the account's factor weights (domain::watchlist::Weights as JSON); NULL = the defaults
ALTER TABLE accounts ADD COLUMN watchlist_weights_json TEXT
    CHECK (watchlist_weights_json IS NULL OR json_valid(watchlist_weights_json));

-- a scored customer who had opted out (a rep may still call them)
ALTER TABLE scores_next_buy ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1));
-- the ownership the score came from (the customer's most likely trade): its vehicle and term end
ALTER TABLE scores_next_buy ADD COLUMN ownership_id INTEGER REFERENCES ownerships(id) ON DELETE SET NULL;

-- the list, by score then customer (keyset pages), for every window and for one
DROP INDEX scores_next_buy_rank;
CREATE INDEX scores_next_buy_rank ON scores_next_buy(account_id, buy_window, score DESC, lead_id);
CREATE INDEX scores_next_buy_all ON scores_next_buy(account_id, score DESC, lead_id);

-- a customer's score each time it changed (score or window); the latest row is the current one
CREATE TABLE score_history (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    buy_window  TEXT    NOT NULL CHECK (buy_window IN ('0-3m', '3-6m', '6-12m', '12m+')),
    computed_at INTEGER NOT NULL
);
CREATE INDEX score_history_lead ON score_history(lead_id, computed_at);

-- when a lead (webhook, website form) last came in for this customer, also when it matched one
-- the DMS had already brought in
ALTER TABLE leads ADD COLUMN last_lead_at INTEGER;

-- the recompute walks an account's owners by customer id
CREATE INDEX ownerships_account_lead ON ownerships(account_id, lead_id);
