-- Reliability: an inbound text is recorded before anything else is done with it.

-- The text exactly as Twilio posted it, written in a short transaction of its own as soon as
-- the signature checks out, so a STOP is never lost and Twilio never sees a 5xx because
-- another writer was busy. Handling it (the lead, messages_in, keywords, listeners) comes
-- after; if that fails, the job loop handles it later (`handled_at` still NULL).
CREATE TABLE inbound_raw (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    provider_sid TEXT    NOT NULL, -- Twilio MessageSid: a retried webhook is recorded once
    from_phone   TEXT    NOT NULL, -- E.164
    to_phone     TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    received_at  INTEGER NOT NULL,
    handled_at   INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   TEXT,
    UNIQUE (account_id, provider_sid)
);
CREATE INDEX inbound_raw_pending ON inbound_raw(received_at) WHERE handled_at IS NULL;
-- handled texts that still need a drafted reply (the draft is written after the drafter answers)
CREATE INDEX messages_in_undrafted ON messages_in(received_at) WHERE handled_as IS NULL;
