-- Rollups: the dashboard's and the Offers page's figures without counting whole tables.
-- Each is kept by triggers in the same transaction as the write that changes it, so it is
-- never behind and never double counts (a test compares them with a recount after random
-- writes). Hourly buckets (unix hour = seconds / 3600) add up to any local day in a US zone
-- (whole-hour offsets), so one table serves "today", 7, 30, 90 days and custom ranges.

-- Outbound texts by the hour they were created, their purpose, status and gate code.
CREATE TABLE rollup_messages_out (
    account_id   INTEGER NOT NULL,
    hour         INTEGER NOT NULL,
    purpose      TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    blocked_code TEXT    NOT NULL DEFAULT '',
    n            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, hour, purpose, status, blocked_code)
) WITHOUT ROWID;

CREATE TRIGGER rollup_messages_out_insert AFTER INSERT ON messages_out BEGIN
    INSERT INTO rollup_messages_out (account_id, hour, purpose, status, blocked_code, n)
    VALUES (new.account_id, new.created_at / 3600, new.purpose, new.status, coalesce(new.blocked_code, ''), 1)
    ON CONFLICT (account_id, hour, purpose, status, blocked_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rollup_messages_out_update AFTER UPDATE OF status, blocked_code, purpose, created_at ON messages_out
WHEN old.status IS NOT new.status OR old.blocked_code IS NOT new.blocked_code
  OR old.purpose IS NOT new.purpose OR old.created_at IS NOT new.created_at BEGIN
    INSERT INTO rollup_messages_out (account_id, hour, purpose, status, blocked_code, n)
    VALUES (old.account_id, old.created_at / 3600, old.purpose, old.status, coalesce(old.blocked_code, ''), -1)
    ON CONFLICT (account_id, hour, purpose, status, blocked_code) DO UPDATE SET n = n - 1;
    INSERT INTO rollup_messages_out (account_id, hour, purpose, status, blocked_code, n)
    VALUES (new.account_id, new.created_at / 3600, new.purpose, new.status, coalesce(new.blocked_code, ''), 1)
    ON CONFLICT (account_id, hour, purpose, status, blocked_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rollup_messages_out_delete AFTER DELETE ON messages_out BEGIN
    INSERT INTO rollup_messages_out (account_id, hour, purpose, status, blocked_code, n)
    VALUES (old.account_id, old.created_at / 3600, old.purpose, old.status, coalesce(old.blocked_code, ''), -1)
    ON CONFLICT (account_id, hour, purpose, status, blocked_code) DO UPDATE SET n = n - 1;
END;

INSERT INTO rollup_messages_out (account_id, hour, purpose, status, blocked_code, n)
SELECT account_id, created_at / 3600, purpose, status, coalesce(blocked_code, ''), count(*)
  FROM messages_out GROUP BY 1, 2, 3, 4, 5;

-- Inbound texts by the hour they arrived.
CREATE TABLE rollup_messages_in (
    account_id INTEGER NOT NULL,
    hour       INTEGER NOT NULL,
    n          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, hour)
) WITHOUT ROWID;

CREATE TRIGGER rollup_messages_in_insert AFTER INSERT ON messages_in BEGIN
    INSERT INTO rollup_messages_in (account_id, hour, n) VALUES (new.account_id, new.received_at / 3600, 1)
    ON CONFLICT (account_id, hour) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rollup_messages_in_delete AFTER DELETE ON messages_in BEGIN
    INSERT INTO rollup_messages_in (account_id, hour, n) VALUES (old.account_id, old.received_at / 3600, -1)
    ON CONFLICT (account_id, hour) DO UPDATE SET n = n - 1;
END;

INSERT INTO rollup_messages_in (account_id, hour, n)
SELECT account_id, received_at / 3600, count(*) FROM messages_in GROUP BY 1, 2;

-- Opt-ins and opt-outs by the hour they were recorded.
CREATE TABLE rollup_consent (
    account_id INTEGER NOT NULL,
    hour       INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    n          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, hour, kind)
) WITHOUT ROWID;

CREATE TRIGGER rollup_consent_insert AFTER INSERT ON consent_events BEGIN
    INSERT INTO rollup_consent (account_id, hour, kind, n) VALUES (new.account_id, new.created_at / 3600, new.kind, 1)
    ON CONFLICT (account_id, hour, kind) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rollup_consent_delete AFTER DELETE ON consent_events BEGIN
    INSERT INTO rollup_consent (account_id, hour, kind, n) VALUES (old.account_id, old.created_at / 3600, old.kind, -1)
    ON CONFLICT (account_id, hour, kind) DO UPDATE SET n = n - 1;
END;

INSERT INTO rollup_consent (account_id, hour, kind, n)
SELECT account_id, created_at / 3600, kind, count(*) FROM consent_events GROUP BY 1, 2, 3;

-- Upsell offers: `sent` rows count every offer_sends row by the hour it was decided, its
-- status, offer and the visit's advisor; `won` rows count accepted offers (not held out) by
-- the hour of their outcome, with the revenue they earned.
CREATE TABLE rollup_offers (
    account_id INTEGER NOT NULL,
    hour       INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('sent', 'won')),
    status     TEXT    NOT NULL,
    offer_id   INTEGER NOT NULL DEFAULT 0, -- 0: no offer matched
    advisor    TEXT    NOT NULL DEFAULT '',
    n          INTEGER NOT NULL DEFAULT 0,
    cents      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, hour, kind, status, offer_id, advisor)
) WITHOUT ROWID;

CREATE TRIGGER rollup_offers_insert AFTER INSERT ON offer_sends BEGIN
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    VALUES (new.account_id, new.created_at / 3600, 'sent', new.status, coalesce(new.offer_id, 0),
            coalesce((SELECT advisor FROM service_events WHERE id = new.service_event_id), ''), 1, 0)
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT new.account_id, new.outcome_at / 3600, 'won', '', coalesce(new.offer_id, 0),
           coalesce((SELECT advisor FROM service_events WHERE id = new.service_event_id), ''), 1,
           new.revenue_attributed_cents
     WHERE new.accepted = 1 AND new.status <> 'held_out' AND new.outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1, cents = cents + excluded.cents;
END;

CREATE TRIGGER rollup_offers_update AFTER UPDATE OF status, offer_id, accepted, outcome_at, revenue_attributed_cents, created_at
ON offer_sends BEGIN
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    VALUES (old.account_id, old.created_at / 3600, 'sent', old.status, coalesce(old.offer_id, 0),
            coalesce((SELECT advisor FROM service_events WHERE id = old.service_event_id), ''), -1, 0)
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    VALUES (new.account_id, new.created_at / 3600, 'sent', new.status, coalesce(new.offer_id, 0),
            coalesce((SELECT advisor FROM service_events WHERE id = new.service_event_id), ''), 1, 0)
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT old.account_id, old.outcome_at / 3600, 'won', '', coalesce(old.offer_id, 0),
           coalesce((SELECT advisor FROM service_events WHERE id = old.service_event_id), ''), -1,
           -old.revenue_attributed_cents
     WHERE old.accepted = 1 AND old.status <> 'held_out' AND old.outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1, cents = cents + excluded.cents;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT new.account_id, new.outcome_at / 3600, 'won', '', coalesce(new.offer_id, 0),
           coalesce((SELECT advisor FROM service_events WHERE id = new.service_event_id), ''), 1,
           new.revenue_attributed_cents
     WHERE new.accepted = 1 AND new.status <> 'held_out' AND new.outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1, cents = cents + excluded.cents;
END;

CREATE TRIGGER rollup_offers_delete AFTER DELETE ON offer_sends BEGIN
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    VALUES (old.account_id, old.created_at / 3600, 'sent', old.status, coalesce(old.offer_id, 0),
            coalesce((SELECT advisor FROM service_events WHERE id = old.service_event_id), ''), -1, 0)
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT old.account_id, old.outcome_at / 3600, 'won', '', coalesce(old.offer_id, 0),
           coalesce((SELECT advisor FROM service_events WHERE id = old.service_event_id), ''), -1,
           -old.revenue_attributed_cents
     WHERE old.accepted = 1 AND old.status <> 'held_out' AND old.outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1, cents = cents + excluded.cents;
END;

-- A visit's advisor changed (a re-import): its offers move to the new advisor's figures.
CREATE TRIGGER rollup_offers_advisor AFTER UPDATE OF advisor ON service_events
WHEN old.advisor IS NOT new.advisor BEGIN
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, created_at / 3600, 'sent', status, coalesce(offer_id, 0), coalesce(old.advisor, ''), -1, 0
      FROM offer_sends WHERE service_event_id = new.id
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, created_at / 3600, 'sent', status, coalesce(offer_id, 0), coalesce(new.advisor, ''), 1, 0
      FROM offer_sends WHERE service_event_id = new.id
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, outcome_at / 3600, 'won', '', coalesce(offer_id, 0), coalesce(old.advisor, ''), -1,
           -revenue_attributed_cents
      FROM offer_sends
     WHERE service_event_id = new.id AND accepted = 1 AND status <> 'held_out' AND outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1, cents = cents + excluded.cents;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, outcome_at / 3600, 'won', '', coalesce(offer_id, 0), coalesce(new.advisor, ''), 1,
           revenue_attributed_cents
      FROM offer_sends
     WHERE service_event_id = new.id AND accepted = 1 AND status <> 'held_out' AND outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1, cents = cents + excluded.cents;
END;

-- A visit deleted (its customer was): its offers go with it, perhaps after it, when their
-- triggers can no longer see its advisor; so first they move to "no advisor", where their
-- own delete will take them out.
CREATE TRIGGER rollup_offers_visit_delete BEFORE DELETE ON service_events
WHEN old.advisor IS NOT NULL BEGIN
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, created_at / 3600, 'sent', status, coalesce(offer_id, 0), old.advisor, -1, 0
      FROM offer_sends WHERE service_event_id = old.id
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, created_at / 3600, 'sent', status, coalesce(offer_id, 0), '', 1, 0
      FROM offer_sends WHERE service_event_id = old.id
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, outcome_at / 3600, 'won', '', coalesce(offer_id, 0), old.advisor, -1, -revenue_attributed_cents
      FROM offer_sends
     WHERE service_event_id = old.id AND accepted = 1 AND status <> 'held_out' AND outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n - 1, cents = cents + excluded.cents;
    INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
    SELECT account_id, outcome_at / 3600, 'won', '', coalesce(offer_id, 0), '', 1, revenue_attributed_cents
      FROM offer_sends
     WHERE service_event_id = old.id AND accepted = 1 AND status <> 'held_out' AND outcome_at IS NOT NULL
    ON CONFLICT (account_id, hour, kind, status, offer_id, advisor) DO UPDATE SET n = n + 1, cents = cents + excluded.cents;
END;

INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
SELECT o.account_id, o.created_at / 3600, 'sent', o.status, coalesce(o.offer_id, 0), coalesce(e.advisor, ''), count(*), 0
  FROM offer_sends o LEFT JOIN service_events e ON e.id = o.service_event_id
 GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO rollup_offers (account_id, hour, kind, status, offer_id, advisor, n, cents)
SELECT o.account_id, o.outcome_at / 3600, 'won', '', coalesce(o.offer_id, 0), coalesce(e.advisor, ''), count(*),
       sum(o.revenue_attributed_cents)
  FROM offer_sends o LEFT JOIN service_events e ON e.id = o.service_event_id
 WHERE o.accepted = 1 AND o.status <> 'held_out' AND o.outcome_at IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6;

-- Whole-account totals for the cards: customers, textable, opted out, vehicles.
CREATE TABLE account_totals (
    account_id INTEGER PRIMARY KEY,
    leads      INTEGER NOT NULL DEFAULT 0,
    textable   INTEGER NOT NULL DEFAULT 0, -- textable and not opted out
    opted_out  INTEGER NOT NULL DEFAULT 0,
    vehicles   INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER account_totals_lead_insert AFTER INSERT ON leads BEGIN
    INSERT INTO account_totals (account_id, leads, textable, opted_out)
    VALUES (new.account_id, 1, new.textable = 1 AND new.opted_out = 0, new.opted_out = 1)
    ON CONFLICT (account_id) DO UPDATE SET leads = leads + 1, textable = textable + excluded.textable,
                                           opted_out = opted_out + excluded.opted_out;
END;

CREATE TRIGGER account_totals_lead_update AFTER UPDATE OF textable, opted_out ON leads
WHEN old.textable IS NOT new.textable OR old.opted_out IS NOT new.opted_out BEGIN
    UPDATE account_totals
       SET textable = textable - (old.textable = 1 AND old.opted_out = 0) + (new.textable = 1 AND new.opted_out = 0),
           opted_out = opted_out - (old.opted_out = 1) + (new.opted_out = 1)
     WHERE account_id = new.account_id;
END;

CREATE TRIGGER account_totals_lead_delete AFTER DELETE ON leads BEGIN
    UPDATE account_totals
       SET leads = leads - 1, textable = textable - (old.textable = 1 AND old.opted_out = 0),
           opted_out = opted_out - (old.opted_out = 1)
     WHERE account_id = old.account_id;
END;

CREATE TRIGGER account_totals_vehicle_insert AFTER INSERT ON vehicles BEGIN
    INSERT INTO account_totals (account_id, vehicles) VALUES (new.account_id, 1)
    ON CONFLICT (account_id) DO UPDATE SET vehicles = vehicles + 1;
END;

CREATE TRIGGER account_totals_vehicle_delete AFTER DELETE ON vehicles BEGIN
    UPDATE account_totals SET vehicles = vehicles - 1 WHERE account_id = old.account_id;
END;

INSERT INTO account_totals (account_id, leads, textable, opted_out, vehicles)
SELECT a.id,
       (SELECT count(*) FROM leads WHERE account_id = a.id),
       (SELECT count(*) FROM leads WHERE account_id = a.id AND textable = 1 AND opted_out = 0),
       (SELECT count(*) FROM leads WHERE account_id = a.id AND opted_out = 1),
       (SELECT count(*) FROM vehicles WHERE account_id = a.id)
  FROM accounts a;

-- The messages list's filters walk these, newest first.
CREATE INDEX messages_out_account_status ON messages_out(account_id, status, created_at);
CREATE INDEX messages_out_account_purpose ON messages_out(account_id, purpose, created_at);
