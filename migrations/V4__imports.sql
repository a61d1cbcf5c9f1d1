-- Service data in: saved column mappings for odd DMS exports, and the journal that makes a
-- dropped file imported exactly once.

CREATE TABLE import_mappings (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    header     TEXT    NOT NULL, -- normalized: lower-case letters and digits only
    field      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (account_id, header)
);

-- one row per file content per account: a file seen again (same bytes) is not imported twice,
-- and a file left 'importing' by a killed process is redone (every row upsert is idempotent)
CREATE TABLE import_journal (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    content_hash TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    source       TEXT    NOT NULL CHECK (source IN ('folder', 'api', 'cli')),
    status       TEXT    NOT NULL CHECK (status IN ('importing', 'done', 'failed')),
    rows         INTEGER,
    report_json  TEXT CHECK (report_json IS NULL OR json_valid(report_json)),
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    UNIQUE (account_id, content_hash)
);

-- a VIN's owners over time (the active-owner index above is partial): for matching a DMS
-- customer by name + VIN without scanning
CREATE INDEX ownerships_vehicle ON ownerships(vehicle_id, active);
