-- Days whose rollups were found complete for a neighbourhood (every household with a meter of the
-- kind has a fresh row), so a restarted API need not recount them: a dirty mark after
-- verified_at, or a different number of households, makes a day unverified again.
CREATE TABLE daily_use_verified (
  neighbourhood_id text NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
  kind text NOT NULL,
  date date NOT NULL,
  households integer NOT NULL,
  verified_at timestamptz NOT NULL,
  PRIMARY KEY (neighbourhood_id, kind, date)
);
CREATE INDEX daily_use_dirty_by_kind_date ON daily_use_dirty (kind, date, marked_at);
