-- A challenge's lifecycle. Upcoming, running and finished follow from its dates and the
-- neighbourhood's local date, so they are not stored; what is stored is what an organiser decided:
-- `cancelled` (before it started: no longer offered, no board) or `archived` (once finished: its
-- board kept for evidence, out of the neighbourhood's listing). Ending one early moves `ends_on`.
ALTER TABLE challenges ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled', 'archived'));

-- Whether each end of the baseline window was given when the challenge was created (else it was
-- derived from the start: to the day before it, from 28 days back), so that moving the start
-- before it begins moves a derived window with it and leaves a given one. Challenges made before
-- this migration: a window that is not where the start would put it was given.
ALTER TABLE challenges ADD COLUMN baseline_to_given boolean NOT NULL DEFAULT false;
ALTER TABLE challenges ADD COLUMN baseline_from_given boolean NOT NULL DEFAULT false;
UPDATE challenges SET baseline_to_given = baseline_to <> starts_on - 1, baseline_from_given = baseline_from <> baseline_to - 27;
