-- A household's word on one of its leak episodes (issue 15, docs/leaks.md): `fixed` (a leak, now
-- repaired) or `expected` (no leak: watering the garden, filling a pool). Episodes themselves are
-- not stored: they are found from the readings when asked for (api/services/leak-episodes.ts), so
-- back-filled and late readings change them at once. A mark names its episode by the episode's
-- start; it applies to the episode that holds that instant, so a back-fill that moves the start
-- earlier keeps the mark. An erasure takes the marks along (and counts them for its receipt);
-- an export lists them.
CREATE TABLE leak_marks (
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  episode_start timestamptz NOT NULL,
  mark text NOT NULL CHECK (mark IN ('fixed', 'expected')),
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, episode_start)
);
