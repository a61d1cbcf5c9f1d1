-- forecourt base schema: the texting platform every vertical rides on.
-- Conventions: every timestamp is INTEGER unix seconds (UTC); money is INTEGER cents;
-- booleans are INTEGER 0/1 with a CHECK; every customer-data table carries account_id.

CREATE TABLE accounts (
    id                           INTEGER PRIMARY KEY,
    name                         TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    timezone                     TEXT    NOT NULL,
    -- Twilio: the sending number (resolves inbound `To`), the account SID, and a *reference*
    -- to the auth token (env:NAME or file:PATH), never the token itself.
    twilio_number                TEXT    UNIQUE,
    twilio_account_sid           TEXT,
    twilio_messaging_service_sid TEXT,
    twilio_auth_token_ref        TEXT,
    -- SHA-256 (hex) of the account's API key; the key itself is shown once and never stored.
    api_key_hash                 TEXT    UNIQUE,
    help_text                    TEXT,
    -- account caps, per lead (the compliance gate also applies state caps)
    cap_per_lead_day             INTEGER NOT NULL DEFAULT 2 CHECK (cap_per_lead_day >= 0),
    cap_per_lead_week            INTEGER NOT NULL DEFAULT 6 CHECK (cap_per_lead_week >= 0),
    auto_reply                   INTEGER NOT NULL DEFAULT 0 CHECK (auto_reply IN (0, 1)),
    booking_url                  TEXT,
    created_at                   INTEGER NOT NULL,
    updated_at                   INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    email         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT,
    password_hash TEXT    NOT NULL, -- argon2id PHC string
    role          TEXT    NOT NULL DEFAULT 'manager' CHECK (role IN ('admin', 'manager', 'rep')),
    created_at    INTEGER NOT NULL,
    last_login_at INTEGER
);
CREATE INDEX users_account ON users(account_id);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT    NOT NULL UNIQUE, -- SHA-256 (hex) of the cookie value
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE leads (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    phone_e164        TEXT CHECK (phone_e164 IS NULL OR phone_e164 GLOB '+[1-9]*'),
    email             TEXT COLLATE NOCASE,
    first_name        TEXT,
    last_name         TEXT,
    address           TEXT,
    city              TEXT,
    state             TEXT CHECK (state IS NULL OR length(state) = 2),
    postal_code       TEXT,
    timezone          TEXT, -- IANA zone of the recipient; NULL = derive (state, phone prefix, account)
    source            TEXT    NOT NULL DEFAULT 'manual',
    status            TEXT    NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'contacted', 'engaged', 'customer', 'lost')),
    textable          INTEGER NOT NULL DEFAULT 1 CHECK (textable IN (0, 1)), -- has a number that takes SMS
    opted_out         INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
    opted_out_at      INTEGER,
    preferred_vehicle TEXT,
    vehicle_interest  TEXT,
    notes             TEXT,
    last_inbound_at   INTEGER,
    last_outbound_at  INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    CHECK (opted_out = 0 OR opted_out_at IS NOT NULL)
);
CREATE UNIQUE INDEX leads_account_phone ON leads(account_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX leads_account_email ON leads(account_id, email) WHERE email IS NOT NULL;
CREATE INDEX leads_account_created ON leads(account_id, created_at);

CREATE TABLE messages_out (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id        INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    purpose        TEXT    NOT NULL
                   CHECK (purpose IN ('upsell', 'survey', 'followup', 'manual', 'reply', 'system')),
    body           TEXT    NOT NULL CHECK (length(body) > 0),
    to_phone       TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'deferred', 'sending', 'sent', 'delivered',
                                     'undelivered', 'failed', 'blocked', 'unknown')),
    not_before     INTEGER NOT NULL,  -- earliest moment the drain may send it
    deferred_until INTEGER,           -- set when the gate moved it out of a quiet window
    blocked_code   TEXT,              -- machine code of the last gate decision that stopped it
    blocked_reason TEXT,              -- the same in words, for "why didn't this customer get a text?"
    provider_sid   TEXT,              -- Twilio Message SID once accepted
    error_code     TEXT,
    error_message  TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT,              -- user email for manual sends, job name otherwise
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    sending_at     INTEGER,
    sent_at        INTEGER,
    delivered_at   INTEGER
);
CREATE INDEX messages_out_due ON messages_out(status, not_before);
CREATE INDEX messages_out_lead ON messages_out(lead_id, created_at);
CREATE INDEX messages_out_account_created ON messages_out(account_id, created_at);
CREATE UNIQUE INDEX messages_out_provider_sid ON messages_out(provider_sid) WHERE provider_sid IS NOT NULL;

CREATE TABLE messages_in (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id      INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    provider_sid TEXT    NOT NULL, -- Twilio MessageSid: inbound is idempotent by it
    from_phone   TEXT    NOT NULL,
    to_phone     TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    keyword      TEXT CHECK (keyword IS NULL OR keyword IN ('stop', 'start', 'help')),
    handled_as   TEXT,             -- which listener took it: opt_out, opt_in, help, acceptance, survey_answer, reply
    received_at  INTEGER NOT NULL,
    UNIQUE (account_id, provider_sid)
);
CREATE INDEX messages_in_lead ON messages_in(lead_id, received_at);
CREATE INDEX messages_in_account_received ON messages_in(account_id, received_at);

CREATE TABLE appointments (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id      INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL DEFAULT 'sales'
                 CHECK (kind IN ('sales', 'test_drive', 'service', 'other')),
    scheduled_at INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'scheduled'
                 CHECK (status IN ('scheduled', 'confirmed', 'completed', 'no_show', 'cancelled')),
    notes        TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX appointments_account_scheduled ON appointments(account_id, scheduled_at);
CREATE INDEX appointments_lead ON appointments(lead_id);

CREATE TABLE consent_events (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('opt_in', 'opt_out')),
    source        TEXT    NOT NULL CHECK (source IN ('keyword', 'carrier', 'manual', 'import', 'api', 'lead_form')),
    message_in_id INTEGER REFERENCES messages_in(id) ON DELETE SET NULL,
    detail        TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX consent_events_lead ON consent_events(lead_id, created_at);

-- Per-state sending rules. Rows with account_id NULL are the shipped defaults (seeded below);
-- a row with an account_id overrides that state's default for that account.
-- Minutes are minutes after local midnight; a window is [start, end).
CREATE TABLE state_rules (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    state               TEXT    NOT NULL CHECK (length(state) = 2 AND state = upper(state)),
    start_minute        INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute          INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    sunday_start_minute INTEGER CHECK (sunday_start_minute BETWEEN 0 AND 1440),
    sunday_end_minute   INTEGER CHECK (sunday_end_minute BETWEEN 0 AND 1440),
    sunday_allowed      INTEGER NOT NULL DEFAULT 1 CHECK (sunday_allowed IN (0, 1)),
    max_per_24h         INTEGER CHECK (max_per_24h IS NULL OR max_per_24h >= 0),
    source              TEXT    NOT NULL, -- the statute or policy the rule comes from
    updated_at          INTEGER NOT NULL,
    CHECK (start_minute < end_minute),
    CHECK ((sunday_start_minute IS NULL) = (sunday_end_minute IS NULL))
);
CREATE UNIQUE INDEX state_rules_default ON state_rules(state) WHERE account_id IS NULL;
CREATE UNIQUE INDEX state_rules_account ON state_rules(account_id, state) WHERE account_id IS NOT NULL;

INSERT INTO state_rules (account_id, state, start_minute, end_minute, sunday_start_minute, sunday_end_minute, sunday_allowed, max_per_24h, source, updated_at) VALUES
    (NULL, 'FL', 480, 1200, NULL, NULL, 1, 3,    'Fla. Stat. 501.059 (Florida Telephone Solicitation Act)', 0),
    (NULL, 'OK', 480, 1200, NULL, NULL, 1, 3,    'Okla. Stat. tit. 15 775C.4 (Oklahoma Telephone Solicitation Act)', 0),
    (NULL, 'MD', 480, 1200, NULL, NULL, 1, 3,    'Md. Code, Com. Law 14-4504 (Stop the Spam Calls Act)', 0),
    (NULL, 'WA', 480, 1200, NULL, NULL, 1, NULL, 'RCW 80.36.390', 0),
    (NULL, 'TX', 540, 1260, 720,  1260, 1, NULL, 'Tex. Bus. & Com. Code 301.051', 0),
    (NULL, 'LA', 480, 1200, NULL, NULL, 0, NULL, 'La. R.S. 45:844.14', 0),
    (NULL, 'AL', 480, 1200, NULL, NULL, 0, NULL, 'Ala. Admin. Code r. 770-X-6-.05', 0),
    (NULL, 'MS', 480, 1200, NULL, NULL, 0, NULL, 'Miss. Code 77-3-725', 0),
    (NULL, 'CT', 540, 1200, NULL, NULL, 1, NULL, 'Conn. Gen. Stat. 42-288a', 0),
    (NULL, 'UT', 480, 1260, NULL, NULL, 0, NULL, 'Utah Code 13-25a-103', 0);

CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT    NOT NULL,
    trigger     TEXT    NOT NULL CHECK (trigger IN ('loop', 'tick', 'cli')),
    as_of       INTEGER NOT NULL, -- the `now` the job ran with (differs from started_at on replays)
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('running', 'ok', 'error', 'interrupted')),
    counts_json TEXT,
    error       TEXT
);
CREATE INDEX job_runs_job_started ON job_runs(job, started_at);
