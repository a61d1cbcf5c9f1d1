-- What an import remembers of the customers, vehicles and ownerships it stored (so that one met
-- again in the same file is neither looked up nor rewritten: ingest/dms_import/seen.rs) holds
-- until someone else changes what it remembers. This counter moves whenever that happens, from
-- any connection or process: a customer or vehicle deleted, a value the import merges changed, a
-- vehicle changing hands. The import forgets what it knows when the counter moved between its
-- transactions (not, as before, whenever anyone wrote anything: an inbound text or a tick
-- between two transactions made it forget everything and slowed it by a third).
CREATE TABLE customer_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO customer_changes (id, n) VALUES (1, 0);

CREATE TRIGGER leads_deleted_count AFTER DELETE ON leads
BEGIN
    UPDATE customer_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER leads_merged_values_count
AFTER UPDATE OF phone_e164, email, first_name, last_name, address, city, state, postal_code, timezone,
                vehicle_interest, textable ON leads
WHEN OLD.phone_e164 IS NOT NEW.phone_e164 OR OLD.email IS NOT NEW.email COLLATE BINARY
  OR OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name
  OR OLD.address IS NOT NEW.address OR OLD.city IS NOT NEW.city OR OLD.state IS NOT NEW.state
  OR OLD.postal_code IS NOT NEW.postal_code OR OLD.timezone IS NOT NEW.timezone
  OR OLD.vehicle_interest IS NOT NEW.vehicle_interest OR OLD.textable IS NOT NEW.textable
BEGIN
    UPDATE customer_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER vehicles_deleted_count AFTER DELETE ON vehicles
BEGIN
    UPDATE customer_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER vehicles_facts_count
AFTER UPDATE OF year, make, model, trim, last_odometer, last_odometer_at ON vehicles
WHEN OLD.year IS NOT NEW.year OR OLD.make IS NOT NEW.make OR OLD.model IS NOT NEW.model
  OR OLD.trim IS NOT NEW.trim OR OLD.last_odometer IS NOT NEW.last_odometer
  OR OLD.last_odometer_at IS NOT NEW.last_odometer_at
BEGIN
    UPDATE customer_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER ownerships_deleted_count AFTER DELETE ON ownerships
BEGIN
    UPDATE customer_changes SET n = n + 1 WHERE id = 1;
END;

-- a vehicle changes hands by closing its current ownership before the next one is written
CREATE TRIGGER ownerships_changed_count AFTER UPDATE OF active, lead_id, vehicle_id ON ownerships
WHEN OLD.active IS NOT NEW.active OR OLD.lead_id IS NOT NEW.lead_id OR OLD.vehicle_id IS NOT NEW.vehicle_id
BEGIN
    UPDATE customer_changes SET n = n + 1 WHERE id = 1;
END;
