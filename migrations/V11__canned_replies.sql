-- The rep's conversation page (issue 11, conversation half): canned replies, and what the page
-- records beside a conversation.

-- Canned replies: an account's ready-made answers, put in the reply box by their shortcut
-- ("/ready"), with the same {placeholders} as offers, filled for the customer.
CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    shortcut   TEXT    NOT NULL CHECK (length(shortcut) BETWEEN 1 AND 30),
    body       TEXT    NOT NULL CHECK (length(trim(body)) > 0),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (account_id, shortcut)
);

-- A rep may stop offers to one customer ("no more offers, thanks") without opting them out of
-- texts: the upsell engine skips them, with why, while this is set.
ALTER TABLE leads ADD COLUMN offers_suppressed_at INTEGER;
ALTER TABLE leads ADD COLUMN offers_suppressed_by TEXT;

-- what a rep wrote when marking an offer accepted or declined
ALTER TABLE offer_sends ADD COLUMN outcome_note TEXT;

-- the draft waiting in one customer's conversation
CREATE INDEX reply_drafts_lead_pending ON reply_drafts(lead_id, created_at) WHERE status = 'pending';
