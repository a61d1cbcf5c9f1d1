-- The inbox: one conversation per customer (lead), kept up to date as texts are written, so the
-- inbox list is one indexed keyset read and never aggregates messages.
--
-- status: open, snoozed (until snoozed_until, or until the customer replies when it is NULL)
-- or closed. An inbound text reopens a snoozed or closed conversation and marks it unread; a
-- reply from a person (by hand or an approved draft; not the automatic reply) marks it read.
-- last_*: the newest text either way (its time, direction and the start of its body); a text
-- recorded out of order (history) never moves them back.
CREATE TABLE conversations (
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lead_id       INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    status        TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'snoozed', 'closed')),
    snoozed_until INTEGER CHECK (snoozed_until IS NULL OR status = 'snoozed'),
    assignee_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    last_at       INTEGER NOT NULL,
    last_inbound  INTEGER NOT NULL CHECK (last_inbound IN (0, 1)),
    last_body     TEXT    NOT NULL,
    unread        INTEGER NOT NULL DEFAULT 0 CHECK (unread IN (0, 1)),
    read_at       INTEGER,
    opted_out     INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (account_id, lead_id)
) WITHOUT ROWID;

-- One index per inbox view, each ordered as the list is (newest activity first, then lead id:
-- a WITHOUT ROWID table's indexes end with its key), so every view is a range read of its own
-- index from the cursor on.
CREATE INDEX conversations_all ON conversations(account_id, last_at);
CREATE INDEX conversations_status ON conversations(account_id, status, last_at);
CREATE INDEX conversations_needs_reply ON conversations(account_id, last_at)
    WHERE status = 'open' AND last_inbound = 1 AND opted_out = 0;
CREATE INDEX conversations_unread ON conversations(account_id, last_at) WHERE unread = 1;
CREATE INDEX conversations_assignee ON conversations(account_id, assignee_id, last_at)
    WHERE status = 'open' AND assignee_id IS NOT NULL;
CREATE INDEX conversations_unassigned ON conversations(account_id, last_at)
    WHERE status = 'open' AND assignee_id IS NULL;
CREATE INDEX conversations_opted_out ON conversations(account_id, last_at) WHERE opted_out = 1;
-- snoozes whose time has come, for waking them
CREATE INDEX conversations_snoozed_until ON conversations(account_id, snoozed_until)
    WHERE status = 'snoozed' AND snoozed_until IS NOT NULL;

-- existing texts: one conversation per lead that has any
INSERT INTO conversations (account_id, lead_id, status, last_at, last_inbound, last_body, unread, opted_out, updated_at)
SELECT l.account_id, l.id, 'open', m.at, m.inbound, substr(m.body, 1, 200), m.inbound, l.opted_out, m.at
FROM leads l
JOIN (SELECT lead_id, at, inbound, body FROM (
        SELECT lead_id, at, inbound, body,
               row_number() OVER (PARTITION BY lead_id ORDER BY at DESC, inbound DESC, id DESC) AS k
        FROM (SELECT lead_id, received_at AS at, 1 AS inbound, body, id FROM messages_in
              UNION ALL SELECT lead_id, created_at, 0, body, id FROM messages_out))
      WHERE k = 1) m ON m.lead_id = l.id;

CREATE TRIGGER conversations_inbound AFTER INSERT ON messages_in
BEGIN
    INSERT INTO conversations (account_id, lead_id, status, last_at, last_inbound, last_body, unread, opted_out,
                               updated_at)
    VALUES (NEW.account_id, NEW.lead_id, 'open', NEW.received_at, 1, substr(NEW.body, 1, 200), 1,
            (SELECT opted_out FROM leads WHERE id = NEW.lead_id), NEW.received_at)
    ON CONFLICT (account_id, lead_id) DO UPDATE SET
        status = 'open',
        snoozed_until = NULL,
        unread = 1,
        last_inbound = CASE WHEN excluded.last_at >= last_at THEN 1 ELSE last_inbound END,
        last_body = CASE WHEN excluded.last_at >= last_at THEN excluded.last_body ELSE last_body END,
        last_at = max(last_at, excluded.last_at),
        updated_at = max(updated_at, excluded.updated_at);
END;

CREATE TRIGGER conversations_outbound AFTER INSERT ON messages_out
BEGIN
    INSERT INTO conversations (account_id, lead_id, status, last_at, last_inbound, last_body, unread, opted_out,
                               updated_at)
    VALUES (NEW.account_id, NEW.lead_id, 'open', NEW.created_at, 0, substr(NEW.body, 1, 200), 0,
            (SELECT opted_out FROM leads WHERE id = NEW.lead_id), NEW.created_at)
    ON CONFLICT (account_id, lead_id) DO UPDATE SET
        -- a person answering has read what they answer (the drafter's automatic reply has not)
        unread = CASE WHEN NEW.purpose IN ('reply', 'manual') AND NEW.created_by IS NOT 'auto-reply'
                      THEN 0 ELSE unread END,
        read_at = CASE WHEN NEW.purpose IN ('reply', 'manual') AND NEW.created_by IS NOT 'auto-reply'
                       THEN excluded.updated_at ELSE read_at END,
        last_inbound = CASE WHEN excluded.last_at >= last_at THEN 0 ELSE last_inbound END,
        last_body = CASE WHEN excluded.last_at >= last_at THEN excluded.last_body ELSE last_body END,
        last_at = max(last_at, excluded.last_at),
        updated_at = max(updated_at, excluded.updated_at);
END;

CREATE TRIGGER conversations_opt_out AFTER UPDATE OF opted_out ON leads
WHEN OLD.opted_out IS NOT NEW.opted_out
BEGIN
    UPDATE conversations SET opted_out = NEW.opted_out WHERE account_id = NEW.account_id AND lead_id = NEW.id;
END;

-- Search. A phone number's last four digits and a VIN's last six characters (its serial
-- number), as people read them out, each found through an index instead of a scan; the rest
-- of what was typed is checked on the few rows found.
CREATE INDEX leads_phone_last4 ON leads(account_id, substr(phone_e164, -4)) WHERE phone_e164 IS NOT NULL;
CREATE INDEX vehicles_vin_last6 ON vehicles(account_id, substr(vin, 12)) WHERE vin IS NOT NULL;
-- names by their start, in any case. Indexes of lower(name), whole: an index of the name itself,
-- or a partial one, tempts the planner (on a small table's statistics) to scan it in the
-- import's customer match by VIN and name instead of looking the customer up by id
CREATE INDEX leads_first_name ON leads(account_id, lower(first_name));
CREATE INDEX leads_last_name ON leads(account_id, lower(last_name));
