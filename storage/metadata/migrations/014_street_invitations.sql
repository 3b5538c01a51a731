-- Streets invited to a challenge. A household on an invited street is invited, also one that
-- signs up there after the invitation; a household invited by itself stays in
-- challenge_invitations. The rows go with their challenge and with their street. They name no
-- household, so an erasure has nothing of its own here (its household's own invitations go with it).
-- Street invitations made before this migration were kept as the households of the street then:
-- they stay so.
CREATE TABLE challenge_street_invitations (
  challenge_id text NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
  street_id text NOT NULL REFERENCES streets (id) ON DELETE CASCADE,
  invited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (challenge_id, street_id)
);
-- A household's invitations are looked up by its street.
CREATE INDEX challenge_street_invitations_by_street ON challenge_street_invitations (street_id);
-- And a street's households by their street (invited households, a champion's roster).
CREATE INDEX households_by_street ON households (street_id);
