-- Free-text opt-outs (47 CFR 64.1200(a)(10)): a customer's own words ("please stop texting me")
-- revoke consent like STOP does, and words that may mean it wait for a rep.

-- 'reply': the customer revoked (or gave) consent in their own words, not with a keyword.
-- SQLite cannot change a CHECK in place: both tables are rebuilt with the same rows and indexes.
CREATE TABLE consent_events_v13 (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('opt_in', 'opt_out')),
    source        TEXT    NOT NULL CHECK (source IN ('keyword', 'reply', 'carrier', 'manual', 'import', 'api', 'lead_form')),
    message_in_id INTEGER REFERENCES messages_in(id) ON DELETE SET NULL,
    detail        TEXT,
    created_at    INTEGER NOT NULL
);
INSERT INTO consent_events_v13 (id, account_id, lead_id, kind, source, message_in_id, detail, created_at)
SELECT id, account_id, lead_id, kind, source, message_in_id, detail, created_at FROM consent_events;
DROP TABLE consent_events;
ALTER TABLE consent_events_v13 RENAME TO consent_events;
CREATE INDEX consent_events_lead ON consent_events(lead_id, created_at);

CREATE TABLE suppressions_v13 (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    phone_e164 TEXT    NOT NULL,
    source     TEXT    NOT NULL CHECK (source IN ('keyword', 'reply', 'carrier', 'manual', 'import', 'api')),
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, phone_e164)
);
INSERT INTO suppressions_v13 (id, account_id, phone_e164, source, created_at)
SELECT id, account_id, phone_e164, source, created_at FROM suppressions;
DROP TABLE suppressions;
ALTER TABLE suppressions_v13 RENAME TO suppressions;

-- A text that may revoke consent ("why do you keep texting me"), waiting for a rep: while one is
-- open, the gate blocks automated texts (offers, surveys, follow-ups) to the customer; a rep's
-- own reply still goes. The rep decides: opted_out (an opt-out is recorded, source manual) or
-- not_an_opt_out.
CREATE TABLE opt_out_reviews (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    message_in_id INTEGER REFERENCES messages_in(id) ON DELETE SET NULL,
    body          TEXT    NOT NULL,          -- the customer's words, kept for the rep
    created_at    INTEGER NOT NULL,
    decision      TEXT    CHECK (decision IN ('opted_out', 'not_an_opt_out')),
    decided_by    TEXT,
    decided_at    INTEGER,
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
-- at most one open review per customer; the gate's look-up
CREATE UNIQUE INDEX opt_out_reviews_open ON opt_out_reviews(lead_id) WHERE decided_at IS NULL;
CREATE INDEX opt_out_reviews_account_open ON opt_out_reviews(account_id, created_at) WHERE decided_at IS NULL;
