-- Experiments a manager sets up (#14): the metric the experiment is judged on, when it is
-- planned to start and end, and how long after assignment each customer's outcomes are counted.
-- `scope` (V2) is the campaign it governs: upsell:t_minus_48h | upsell:ro_open | upsell:t_plus_24h
-- | upsell:any | surveys | followups (checked by the application; rows written before this
-- migration keep their value). At most one running experiment per campaign is checked in the
-- writing transaction (an 'upsell:any' experiment overlaps every upsell phase, which an index
-- cannot say).

ALTER TABLE experiments ADD COLUMN primary_metric TEXT NOT NULL DEFAULT 'booked'
    CHECK (primary_metric IN ('booked', 'kept', 'accepted', 'revenue'));
ALTER TABLE experiments ADD COLUMN starts_at INTEGER;
ALTER TABLE experiments ADD COLUMN ends_at INTEGER CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at);
ALTER TABLE experiments ADD COLUMN window_days INTEGER NOT NULL DEFAULT 30 CHECK (window_days BETWEEN 1 AND 365);

-- "booked after assignment": a customer's visits by when they were booked
CREATE INDEX service_events_lead_created ON service_events(lead_id, created_at);

-- V2's comment named the non-upsell scopes 'survey' and 'followup': rows written that way read
-- as the campaigns' words
UPDATE experiments SET scope = 'surveys' WHERE scope = 'survey';
UPDATE experiments SET scope = 'followups' WHERE scope = 'followup';
