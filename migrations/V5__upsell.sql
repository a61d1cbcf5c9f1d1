-- The upsell engine. Each phase finds its due visits through a partial index that holds only
-- the visits whose phase has not been handled yet, ordered by the time the phase keys off:
-- a tick reads a narrow time range of it, so its cost follows the visits due, not the history.
-- They replace V2's full indexes on scheduled_at and closed_at, which only the engine was to
-- read (each full index is one more B-tree insert per imported visit); the one on opened_at
-- stays for the dashboard's visit counts.
DROP INDEX service_events_scheduled;
DROP INDEX service_events_closed;
-- Rows that could never be due stay out (no time to key off; or history, whose phases the import
-- marks handled as it stores them), so importing years of closed ROs does not fill them.
CREATE INDEX service_events_due_t_minus_48h ON service_events(scheduled_at)
    WHERE t_minus_48h_done_at IS NULL AND scheduled_at IS NOT NULL;
CREATE INDEX service_events_due_ro_open ON service_events(opened_at)
    WHERE ro_open_done_at IS NULL AND opened_at IS NOT NULL;
CREATE INDEX service_events_due_t_plus_24h ON service_events(closed_at)
    WHERE t_plus_24h_done_at IS NULL AND closed_at IS NOT NULL;

-- who recorded an outcome by hand (a rep's email), for the threads view
ALTER TABLE offer_sends ADD COLUMN outcome_by TEXT;
-- the op codes already on the visit when the offer went out: those lines were not its doing,
-- so they never earn it revenue
ALTER TABLE offer_sends ADD COLUMN visit_op_codes_json TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(visit_op_codes_json));

-- a text whose moment passes while it waits (a "while your car is here" offer deferred past
-- the visit) is blocked as expired instead of sent late
ALTER TABLE messages_out ADD COLUMN expires_at INTEGER;

-- An offer send follows its text: whatever path moves the message (the drain, a gate decision
-- at send time, Twilio's status callback), the send's status says where the offer stands.
CREATE TRIGGER offer_sends_follow_message AFTER UPDATE OF status ON messages_out
WHEN NEW.status IN ('queued', 'deferred', 'sent', 'delivered', 'undelivered', 'failed', 'blocked')
BEGIN
    UPDATE offer_sends
       SET status = CASE NEW.status
                        WHEN 'delivered' THEN 'sent'
                        WHEN 'undelivered' THEN 'failed'
                        ELSE NEW.status
                    END,
           status_reason = CASE WHEN NEW.status = 'blocked' THEN NEW.blocked_reason ELSE status_reason END,
           updated_at = NEW.updated_at
     WHERE message_out_id = NEW.id;
END;
