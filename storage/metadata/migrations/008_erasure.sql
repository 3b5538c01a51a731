-- Erasure (api/services/erasure.ts). Meters of erased households, by a SHA-256 of their id and
-- nothing else: ingest drops whatever still arrives for them (a gateway that was not told, a
-- broker's queue) instead of keeping it as a dead letter. A meter id registered again is freed.
CREATE TABLE erased_meters (
  meter_hash text PRIMARY KEY,
  erased_at timestamptz NOT NULL DEFAULT now()
);

-- An erasure's last step: sweeping the readings store again (twice: a couple of minutes after, and
-- a quarter of an hour after) once writes that were under way when it ran have landed. Kept only
-- until done.
CREATE TABLE erasure_sweeps (
  household_id text PRIMARY KEY,
  meter_ids text[] NOT NULL,
  due_at timestamptz NOT NULL,
  rounds_left integer NOT NULL DEFAULT 2,
  attempts integer NOT NULL DEFAULT 0
);
