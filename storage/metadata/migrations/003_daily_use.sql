-- Daily use per household and kind for settled days (ended more than 6 hours ago): what
-- leaderboards and aggregates read, so they need not reread every reading. Computed from the
-- readings store on demand (computed_at = database time when that computation read the store).
CREATE TABLE daily_use (
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('water', 'electricity', 'gas')),
  date date NOT NULL,
  use double precision NOT NULL,
  excluded double precision NOT NULL,
  has_data boolean NOT NULL,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (household_id, kind, date)
);
CREATE INDEX daily_use_by_kind_date ON daily_use (kind, date);

-- Ingest marks the days a reading can change (a late reading, or one closing a gap) after the
-- reading is in the store. A rollup computed before the mark is stale; one computed after is not.
CREATE TABLE daily_use_dirty (
  household_id text NOT NULL,
  kind text NOT NULL,
  date date NOT NULL,
  marked_at timestamptz NOT NULL,
  PRIMARY KEY (household_id, kind, date)
);
