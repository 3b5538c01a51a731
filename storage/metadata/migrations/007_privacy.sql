-- Utility aggregates as published (services/published-aggregates.ts): every grouping of a settled
-- day, decided together the first time the day is asked for and served unchanged from then on, so
-- no later change (consent, late readings, erasure, a move) can be differenced against them. They
-- hold only figures that passed the 15/15 rule and complementary suppression, never a household's.
CREATE TABLE published_aggregates (
  neighbourhood_id text NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('water', 'electricity', 'gas')),
  date date NOT NULL,
  -- The rule the figures were decided under: a stricter rule later withholds them.
  min_households integer NOT NULL,
  max_share double precision NOT NULL,
  figures jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (neighbourhood_id, kind, date)
);

-- The population of a day is the consent in force that day: read per household.
CREATE INDEX IF NOT EXISTS consent_changes_by_household ON consent_changes (household_id, changed_at);
