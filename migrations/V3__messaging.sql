-- The messaging core: opt-outs that outlive a lead, idempotent sends, reply drafts, follow-ups.

-- A number that said STOP stays suppressed even if its lead is erased and the number comes
-- back as a new lead: the outbox checks this table as well as leads.opted_out.
CREATE TABLE suppressions (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    phone_e164 TEXT    NOT NULL,
    source     TEXT    NOT NULL CHECK (source IN ('keyword', 'carrier', 'manual', 'import', 'api')),
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, phone_e164)
);

-- at most once for jobs that enqueue on a schedule (follow-up step N, survey question M):
-- the database refuses a second message with the same key
ALTER TABLE messages_out ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX messages_out_dedupe ON messages_out(account_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
-- the one confirmation an opted-out lead may receive
ALTER TABLE messages_out ADD COLUMN opt_out_confirmation INTEGER NOT NULL DEFAULT 0
    CHECK (opt_out_confirmation IN (0, 1));
-- which inbound message a reply answers (TwiML replies and approved drafts)
ALTER TABLE messages_out ADD COLUMN in_reply_to INTEGER REFERENCES messages_in(id) ON DELETE SET NULL;
CREATE INDEX messages_out_sending ON messages_out(status, sending_at) WHERE status IN ('sending', 'unknown');

-- follow-up cadence for new leads: days after the lead arrived
ALTER TABLE accounts ADD COLUMN followup_days_json TEXT NOT NULL DEFAULT '[0,2,7]'
    CHECK (json_valid(followup_days_json));
CREATE INDEX leads_new ON leads(account_id, created_at) WHERE status = 'new';

-- drafted replies to inbound texts, waiting for a rep unless the account auto-replies
CREATE TABLE reply_drafts (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id        INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    message_in_id  INTEGER NOT NULL UNIQUE REFERENCES messages_in(id) ON DELETE CASCADE,
    body           TEXT    NOT NULL,
    drafter        TEXT    NOT NULL, -- 'template' or 'openai:<model>'
    status         TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'discarded')),
    message_out_id INTEGER REFERENCES messages_out(id) ON DELETE SET NULL,
    decided_by     TEXT,
    created_at     INTEGER NOT NULL,
    decided_at     INTEGER
);
CREATE INDEX reply_drafts_pending ON reply_drafts(account_id, created_at) WHERE status = 'pending';
