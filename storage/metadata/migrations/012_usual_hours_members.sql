-- Usual hours are kept only for a challenge's members that are not private (migration 011 kept
-- every household of the neighbourhood), and only until the challenge has ended. A set records
-- which members it was computed for as a hash of their ids (no id of an erased household stays
-- behind): another set of members (a join; a leave or a change to private also delete that
-- household's rows at once) has them computed again.
ALTER TABLE usual_hours_computed ADD COLUMN members_hash text NOT NULL DEFAULT '';

-- What 011 kept (non-members, private households, ended challenges) goes; the sets of running
-- challenges are computed again, for their members only, when next needed.
DELETE FROM usual_hours;
DELETE FROM usual_hours_computed;
