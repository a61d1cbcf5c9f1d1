-- The watched folder remembers each file it filed (into processed/ or failed/): a writer that
-- still held the file open may keep writing into it there, so for a while after filing the job
-- compares the file with what it took and imports it again if it grew or changed.
CREATE TABLE inbox_filed (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    path         TEXT    NOT NULL, -- inside the account's folder: processed/nightly.csv
    size         INTEGER NOT NULL CHECK (size >= 0),
    modified_ns  INTEGER NOT NULL, -- the file's modified time when filed, ns since 1970
    content_hash TEXT    NOT NULL, -- SHA-256 of what was taken
    filed_at     INTEGER NOT NULL,
    UNIQUE (account_id, path)
);
CREATE INDEX inbox_filed_recent ON inbox_filed(account_id, filed_at);
