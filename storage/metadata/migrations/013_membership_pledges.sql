-- What a household pledges to do in a challenge it joined (domain/pledges.ts lists the ids; the
-- API checks them): kept on its membership, so leaving the challenge or erasing the household
-- takes them too.
ALTER TABLE memberships ADD COLUMN pledges text[] NOT NULL DEFAULT '{}' CHECK (cardinality(pledges) <= 8);
