-- The readings tables of the SQL readings store. The first migration creates them only if absent
-- and mends stores made before dead letters were keyed by reason: they existed before readings
-- had migrations.
-- Readings store on PostgreSQL or PGlite (the embedded default). Times are epoch milliseconds.
CREATE TABLE IF NOT EXISTS readings (
  meter_id text NOT NULL,
  ts bigint NOT NULL,
  register double precision,
  delta double precision,
  kind text NOT NULL,
  household_id text NOT NULL,
  street_id text NOT NULL,
  neighbourhood_id text NOT NULL,
  PRIMARY KEY (meter_id, ts)
);
CREATE INDEX IF NOT EXISTS readings_by_household ON readings (household_id, kind, ts);
CREATE INDEX IF NOT EXISTS readings_by_street ON readings (street_id, kind, ts);
CREATE INDEX IF NOT EXISTS readings_by_neighbourhood ON readings (neighbourhood_id, kind, ts);

-- One row per refused message and reason (two bad readings of one message for one reason share a row).
CREATE TABLE IF NOT EXISTS dead_letters (
  received_at bigint NOT NULL,
  sequence integer NOT NULL,
  topic text NOT NULL,
  reason text NOT NULL,
  detail text NOT NULL,
  payload text NOT NULL,
  meter_id text,
  PRIMARY KEY (received_at, sequence, reason)
);
-- Stores made before dead letters were keyed by reason and carried their meter.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS meter_id text;
DO $$
BEGIN
  IF (SELECT count(*) FROM information_schema.key_column_usage
      WHERE table_name = 'dead_letters' AND constraint_name = 'dead_letters_pkey') = 2 THEN
    ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_pkey;
    ALTER TABLE dead_letters ADD PRIMARY KEY (received_at, sequence, reason);
  END IF;
END $$;
CREATE INDEX IF NOT EXISTS dead_letters_by_reason ON dead_letters (reason, received_at);
CREATE INDEX IF NOT EXISTS dead_letters_by_meter ON dead_letters (meter_id) WHERE meter_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS meter_events (
  meter_id text NOT NULL,
  household_id text NOT NULL,
  ts bigint NOT NULL,
  type text NOT NULL,
  detail text NOT NULL,
  PRIMARY KEY (meter_id, ts, type)
);
