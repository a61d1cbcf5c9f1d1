-- A manager disables a login rather than deleting it (what it did stays attributed); a
-- disabled login cannot sign in and its sessions end.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
