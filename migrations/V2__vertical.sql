-- The dealership vertical: vehicles, ownerships, service visits, offers and what they earned,
-- next-purchase scores, experiments with holdouts, and what surveys learn.
-- Accounts that existed before this migration read as 'general' (the column default).

ALTER TABLE accounts ADD COLUMN account_vertical TEXT NOT NULL DEFAULT 'general'
    CHECK (account_vertical IN ('general', 'automotive', 'powersports', 'marine', 'rv'));

CREATE TABLE vehicles (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    vin             TEXT CHECK (vin IS NULL OR (length(vin) = 17 AND vin = upper(vin))),
    year            INTEGER CHECK (year IS NULL OR year BETWEEN 1950 AND 2100),
    make            TEXT,
    model           TEXT,
    trim            TEXT,
    last_odometer   INTEGER CHECK (last_odometer IS NULL OR last_odometer >= 0),
    last_odometer_at INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (account_id, vin)
);

CREATE TABLE ownerships (
    id                    INTEGER PRIMARY KEY,
    account_id            INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id               INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    vehicle_id            INTEGER NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    purchased_at          INTEGER,
    finance_type          TEXT CHECK (finance_type IS NULL OR finance_type IN ('loan', 'lease', 'cash')),
    term_months           INTEGER CHECK (term_months IS NULL OR term_months BETWEEN 1 AND 120),
    monthly_payment_cents INTEGER CHECK (monthly_payment_cents IS NULL OR monthly_payment_cents >= 0),
    active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    ended_at              INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    CHECK (active = 1 OR ended_at IS NOT NULL)
);
-- a vehicle has at most one current owner; history keeps the rest
CREATE UNIQUE INDEX ownerships_vehicle_active ON ownerships(vehicle_id) WHERE active = 1;
CREATE INDEX ownerships_lead ON ownerships(lead_id);

CREATE TABLE service_events (
    id                 INTEGER PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    external_id        TEXT    NOT NULL CHECK (length(external_id) > 0), -- RO number or appointment id
    kind               TEXT    NOT NULL CHECK (kind IN ('appointment', 'repair_order')),
    lead_id            INTEGER REFERENCES leads(id) ON DELETE CASCADE,
    vehicle_id         INTEGER REFERENCES vehicles(id) ON DELETE SET NULL,
    scheduled_at       INTEGER,
    opened_at          INTEGER,
    closed_at          INTEGER,
    advisor            TEXT,
    mileage            INTEGER CHECK (mileage IS NULL OR mileage >= 0),
    services_json      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(services_json)),
    labor_cents        INTEGER,
    parts_cents        INTEGER,
    total_cents        INTEGER,
    -- per-phase markers: when the upsell engine handled the phase (sent, held out, blocked or no offer)
    t_minus_48h_done_at INTEGER,
    ro_open_done_at     INTEGER,
    t_plus_24h_done_at  INTEGER,
    source             TEXT    NOT NULL DEFAULT 'api',
    content_hash       TEXT, -- of the last imported row: a re-import of the same row is 'unchanged'
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (account_id, external_id),
    CHECK (scheduled_at IS NOT NULL OR opened_at IS NOT NULL OR closed_at IS NOT NULL)
);
CREATE INDEX service_events_scheduled ON service_events(account_id, scheduled_at);
CREATE INDEX service_events_opened ON service_events(account_id, opened_at);
CREATE INDEX service_events_closed ON service_events(account_id, closed_at);
CREATE INDEX service_events_lead ON service_events(lead_id, opened_at);
CREATE INDEX service_events_vehicle ON service_events(vehicle_id);

-- the old-platform appointment can now point at the service visit it became
ALTER TABLE appointments ADD COLUMN service_event_id INTEGER REFERENCES service_events(id) ON DELETE SET NULL;
CREATE INDEX appointments_service_event ON appointments(service_event_id) WHERE service_event_id IS NOT NULL;

CREATE TABLE offers (
    id                      INTEGER PRIMARY KEY,
    account_id              INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name                    TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    body_template           TEXT    NOT NULL CHECK (length(body_template) > 0),
    rule_json               TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(rule_json)),
    op_codes_json           TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(op_codes_json)), -- RO op codes that mean "taken"
    price_cents             INTEGER CHECK (price_cents IS NULL OR price_cents >= 0),
    value_cents             INTEGER NOT NULL DEFAULT 0 CHECK (value_cents >= 0),
    priority                INTEGER NOT NULL DEFAULT 1 CHECK (priority >= 0),
    booking_url             TEXT,
    reply_window_hours      INTEGER NOT NULL DEFAULT 72 CHECK (reply_window_hours > 0),
    attribution_window_days INTEGER NOT NULL DEFAULT 30 CHECK (attribution_window_days > 0),
    active                  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    starts_at               INTEGER,
    ends_at                 INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    UNIQUE (account_id, name)
);

CREATE TABLE experiments (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    scope         TEXT    NOT NULL, -- what it governs, e.g. 'upsell:t_minus_48h', 'survey', 'followup'
    holdout_pct   INTEGER NOT NULL CHECK (holdout_pct BETWEEN 0 AND 100),
    variants_json TEXT    NOT NULL DEFAULT '["treatment"]' CHECK (json_valid(variants_json)),
    salt          TEXT    NOT NULL, -- stable hashing: a lead's arm never changes within an experiment
    status        TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped')),
    started_at    INTEGER,
    stopped_at    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (account_id, name)
);
CREATE INDEX experiments_account_scope ON experiments(account_id, scope, status);

CREATE TABLE experiment_assignments (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    variant       TEXT    NOT NULL, -- 'control' for the holdout
    assigned_at   INTEGER NOT NULL,
    UNIQUE (experiment_id, lead_id)
);
CREATE INDEX experiment_assignments_lead ON experiment_assignments(lead_id);

-- the outbox stamps each message with the experiment arm it was sent under
ALTER TABLE messages_out ADD COLUMN experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL;
ALTER TABLE messages_out ADD COLUMN variant TEXT;

CREATE TABLE offer_sends (
    id                       INTEGER PRIMARY KEY,
    account_id               INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    offer_id                 INTEGER REFERENCES offers(id), -- NULL when no offer matched; offers are retired, not deleted
    service_event_id         INTEGER NOT NULL REFERENCES service_events(id) ON DELETE CASCADE,
    lead_id                  INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    phase                    TEXT    NOT NULL CHECK (phase IN ('t_minus_48h', 'ro_open', 't_plus_24h')),
    message_out_id           INTEGER REFERENCES messages_out(id) ON DELETE SET NULL,
    experiment_id            INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
    variant                  TEXT,
    status                   TEXT    NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'queued', 'deferred', 'sent', 'blocked',
                                               'failed', 'held_out', 'no_offer', 'skipped')),
    status_reason            TEXT,
    link_token               TEXT UNIQUE,
    clicked_at               INTEGER,
    accepted                 INTEGER CHECK (accepted IS NULL OR accepted IN (0, 1)), -- NULL = no answer yet, 0 = declined
    accepted_via             TEXT CHECK (accepted_via IS NULL OR accepted_via IN ('reply', 'click', 'ro_line', 'manual')),
    outcome_at               INTEGER,
    revenue_attributed_cents INTEGER NOT NULL DEFAULT 0 CHECK (revenue_attributed_cents >= 0),
    attributed_ro_line       TEXT, -- which RO line earned the revenue: makes re-imports idempotent
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    UNIQUE (service_event_id, phase)
);
CREATE INDEX offer_sends_lead ON offer_sends(lead_id, created_at);
CREATE INDEX offer_sends_offer ON offer_sends(offer_id);
CREATE INDEX offer_sends_account_created ON offer_sends(account_id, created_at);
CREATE INDEX offer_sends_message ON offer_sends(message_out_id) WHERE message_out_id IS NOT NULL;

CREATE TABLE scores_next_buy (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id     INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    score       REAL    NOT NULL CHECK (score BETWEEN 0 AND 100),
    buy_window  TEXT    NOT NULL CHECK (buy_window IN ('0-3m', '3-6m', '6-12m', '12m+')),
    reason_json TEXT    NOT NULL CHECK (json_valid(reason_json)),
    computed_at INTEGER NOT NULL,
    UNIQUE (lead_id) -- the current score; recompute replaces it
);
CREATE INDEX scores_next_buy_rank ON scores_next_buy(account_id, buy_window, score DESC);

CREATE TABLE question_policy (
    id                 INTEGER PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    fact_key           TEXT    NOT NULL,
    question           TEXT    NOT NULL,
    answer_kind        TEXT    NOT NULL CHECK (answer_kind IN ('number', 'months', 'yes_no', 'choice', 'text')),
    choices_json       TEXT CHECK (choices_json IS NULL OR json_valid(choices_json)),
    priority           INTEGER NOT NULL DEFAULT 1,
    min_days_between   INTEGER NOT NULL DEFAULT 14 CHECK (min_days_between >= 0),
    refresh_after_days INTEGER CHECK (refresh_after_days IS NULL OR refresh_after_days > 0),
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (account_id, fact_key)
);

CREATE TABLE question_history (
    id                 INTEGER PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id            INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    question_policy_id INTEGER REFERENCES question_policy(id) ON DELETE SET NULL,
    fact_key           TEXT    NOT NULL,
    message_out_id     INTEGER REFERENCES messages_out(id) ON DELETE SET NULL,
    answer_message_id  INTEGER REFERENCES messages_in(id) ON DELETE SET NULL,
    status             TEXT    NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'answered', 'unparsed', 'expired')),
    parsed_value       TEXT,
    asked_at           INTEGER NOT NULL,
    answered_at        INTEGER
);
CREATE INDEX question_history_lead ON question_history(lead_id, asked_at);

CREATE TABLE conv_facts (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id           INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    key               TEXT    NOT NULL,
    value             TEXT    NOT NULL,
    confidence        REAL    NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    source            TEXT    NOT NULL CHECK (source IN ('survey', 'import', 'manual', 'inferred', 'lead_form')),
    source_message_id INTEGER REFERENCES messages_in(id) ON DELETE SET NULL,
    observed_at       INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (lead_id, key) -- the current value of each fact; question_history keeps how it was learned
);
CREATE INDEX conv_facts_account_key ON conv_facts(account_id, key);
