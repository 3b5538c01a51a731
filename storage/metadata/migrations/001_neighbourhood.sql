-- Who lives where and which meters they have: what ingest needs to tag a reading.
-- Later migrations add accounts, consent history, challenges and teams for the API.
CREATE TABLE neighbourhoods (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  name text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Europe/London'
);

CREATE TABLE streets (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  neighbourhood_id text NOT NULL REFERENCES neighbourhoods (id),
  name text NOT NULL
);

CREATE TABLE households (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  street_id text NOT NULL REFERENCES streets (id),
  alias text NOT NULL,
  occupants integer NOT NULL DEFAULT 2 CHECK (occupants BETWEEN 1 AND 20),
  consent text NOT NULL DEFAULT 'challenge' CHECK (consent IN ('private', 'challenge', 'research')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meters (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('water', 'electricity', 'gas')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meters_household ON meters (household_id);

-- Ingest caches meter metadata; these notifications tell it what to forget.
CREATE FUNCTION notify_meter_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ontap_meter_changed', 'meter:' || COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END $$;
CREATE TRIGGER meters_changed AFTER INSERT OR UPDATE OR DELETE ON meters
  FOR EACH ROW EXECUTE FUNCTION notify_meter_changed();

CREATE FUNCTION notify_household_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ontap_meter_changed', 'household:' || COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END $$;
CREATE TRIGGER households_changed AFTER UPDATE OR DELETE ON households
  FOR EACH ROW EXECUTE FUNCTION notify_household_changed();
