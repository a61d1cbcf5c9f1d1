-- The rep's conversation page (issue 11, conversation half).

-- A rep may stop offers to one customer ("no more offers, thanks") without opting them out of
-- texts: the upsell engine skips them, with why, while this is set.
ALTER TABLE leads ADD COLUMN offers_suppressed_at INTEGER;
ALTER TABLE leads ADD COLUMN offers_suppressed_by TEXT;

-- what a rep wrote when marking an offer accepted or declined
ALTER TABLE offer_sends ADD COLUMN outcome_note TEXT;

-- the draft waiting in one customer's conversation
CREATE INDEX reply_drafts_lead_pending ON reply_drafts(lead_id, created_at) WHERE status = 'pending';
