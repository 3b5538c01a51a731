-- Each household's usual use by local clock hour (the mean of each of the 24 hours over the days
-- with data) in a challenge's baseline window: what the live `today` of the challenge's board
-- compares with (domain/usual-day.ts). Computed from the readings store once the window has settled,
-- for the households of the challenge's neighbourhood, so an API start does not read it again.
-- An erasure takes a household's rows along (and counts them for its receipt).
CREATE TABLE usual_hours (
  challenge_id text NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  hours double precision[] NOT NULL CHECK (cardinality(hours) = 24),
  PRIMARY KEY (challenge_id, household_id)
);

-- When a challenge's usual hours were computed (database time); no row: never.
CREATE TABLE usual_hours_computed (
  challenge_id text PRIMARY KEY REFERENCES challenges (id) ON DELETE CASCADE,
  computed_at timestamptz NOT NULL
);
