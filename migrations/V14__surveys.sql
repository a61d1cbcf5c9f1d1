-- Surveys: question policies as the survey capability reads them (src/surveys/), what a fact's
-- answer looked like, and where the orchestrator is in each account's customers.

-- question_policy is rebuilt (SQLite cannot change a CHECK): the answer types are the ones the
-- answer readers know (domain::survey), the prompt is a template, a question has a cap on how
-- often it is asked and how long an answer is waited for. question_history links its rows to
-- policies with ON DELETE SET NULL, which dropping the old table would fire: the links are kept
-- aside and put back.
CREATE TEMP TABLE question_links AS SELECT id, question_policy_id FROM question_history WHERE question_policy_id IS NOT NULL;

CREATE TABLE question_policy_v14 (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    fact_key            TEXT    NOT NULL CHECK (length(fact_key) BETWEEN 1 AND 64),
    prompt              TEXT    NOT NULL CHECK (length(prompt) BETWEEN 1 AND 320),
    answer_type         TEXT    NOT NULL CHECK (answer_type IN ('mileage', 'timeframe', 'yes_no', 'choice', 'free_text')),
    choices_json        TEXT CHECK (choices_json IS NULL OR json_valid(choices_json)),
    priority            INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 100),
    cooldown_days       INTEGER NOT NULL DEFAULT 14 CHECK (cooldown_days BETWEEN 0 AND 365),
    max_asks            INTEGER NOT NULL DEFAULT 3 CHECK (max_asks BETWEEN 1 AND 20),
    answer_within_hours INTEGER NOT NULL DEFAULT 72 CHECK (answer_within_hours BETWEEN 1 AND 720),
    fresh_for_days      INTEGER CHECK (fresh_for_days IS NULL OR fresh_for_days BETWEEN 1 AND 3650),
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (account_id, fact_key)
);
INSERT INTO question_policy_v14 (id, account_id, fact_key, prompt, answer_type, choices_json, priority, cooldown_days,
                                 max_asks, answer_within_hours, fresh_for_days, active, created_at, updated_at)
SELECT id, account_id, fact_key, substr(question, 1, 320),
       CASE WHEN answer_kind = 'number' AND fact_key LIKE '%mileage%' THEN 'mileage'
            WHEN answer_kind IN ('yes_no', 'choice') THEN answer_kind
            WHEN fact_key LIKE '%timing%' OR fact_key LIKE '%timeframe%' THEN 'timeframe'
            ELSE 'free_text' END,
       choices_json, max(0, min(priority, 100)), min(min_days_between, 365), 3, 72,
       min(refresh_after_days, 3650), active, created_at, updated_at
FROM question_policy;
DROP TABLE question_policy;
ALTER TABLE question_policy_v14 RENAME TO question_policy;
UPDATE question_history SET question_policy_id = (SELECT l.question_policy_id FROM question_links l WHERE l.id = question_history.id)
WHERE id IN (SELECT id FROM question_links);
DROP TABLE question_links;

-- one open question per lead at most (status 'asked'): two runs at once cannot both ask, and
-- the answer listener finds it by the lead
CREATE UNIQUE INDEX question_history_open ON question_history(lead_id) WHERE status = 'asked';
-- open questions by age, for expiring the unanswered
CREATE INDEX question_history_waiting ON question_history(asked_at) WHERE status = 'asked';
-- the account's asks by time (the dashboard's answer rate)
CREATE INDEX question_history_account_asked ON question_history(account_id, asked_at);
-- a question's asks of a lead (its cap, its cooldown, two ignores)
CREATE INDEX question_history_lead_policy ON question_history(lead_id, question_policy_id, asked_at);

-- a fact's unit (miles, bucket, ...) and whether a person should look at it (confidence < 0.6)
ALTER TABLE conv_facts ADD COLUMN unit TEXT;
ALTER TABLE conv_facts ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1));

-- the orchestrator walks each account's customers by id, a bounded number per run, from here
ALTER TABLE accounts ADD COLUMN survey_cursor INTEGER NOT NULL DEFAULT 0;
