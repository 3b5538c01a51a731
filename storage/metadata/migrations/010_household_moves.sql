-- Ingest forgets its whole meter cache when a household changes (migration 001). Only a move to
-- another street, or a deletion, changes where its meters sit: a consent or occupants change must
-- not make every meter be looked up again (a household could slow ingest at will).
DROP TRIGGER households_changed ON households;
CREATE TRIGGER households_changed AFTER UPDATE OF street_id OR DELETE ON households
  FOR EACH ROW EXECUTE FUNCTION notify_household_changed();
