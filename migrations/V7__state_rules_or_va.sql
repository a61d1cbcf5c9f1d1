-- Oregon and Virginia join the shipped state rules. docs/COMPLIANCE.md says what each row rests on
-- and what could not be confirmed from the statute text. V1's rows are left as they are.

-- Oregon lifts its 3-in-24-hours cap for a customer with an "established business relationship"
-- (a transaction within the 18 months before the text). The gate applies it only for a known
-- purchase date within that many months; an unknown date keeps the cap. NULL: no exemption (every
-- other state, and every account's own rule).
ALTER TABLE state_rules ADD COLUMN cap_exempt_if_bought_within_months INTEGER
    CHECK (cap_exempt_if_bought_within_months IS NULL OR cap_exempt_if_bought_within_months > 0);

INSERT INTO state_rules (account_id, state, start_minute, end_minute, sunday_start_minute, sunday_end_minute,
                         sunday_allowed, max_per_24h, cap_exempt_if_bought_within_months, source, updated_at) VALUES
    -- HB 3865 (2025), from 2026-01-01: texts are telephone solicitations; 08:00-20:00; at most 3 in 24 hours
    (NULL, 'OR', 480, 1200, NULL, NULL, 1, 3,    18,   'Oregon HB 3865 (2025), ORS ch. 646 telephone solicitation', 0),
    -- 08:00-21:00 since 2001, texts covered since 2020; SB 1339 (2025) applies the Act's text rules from 2026-01-01
    (NULL, 'VA', 480, 1260, NULL, NULL, 1, NULL, NULL, 'Va. Code 59.1-511 (Virginia Telephone Privacy Protection Act)', 0);
