-- Accounts and roles, sessions, API tokens, invitations, consent history, meter credentials,
-- challenges, teams, memberships and household events.

ALTER TABLE meters ADD COLUMN password_hash text;
ALTER TABLE meters ADD COLUMN credentials_issued_at timestamptz;

CREATE TABLE accounts (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('household', 'champion', 'utility', 'admin')),
  -- champion and utility act for a neighbourhood; a household account for its household.
  neighbourhood_id text REFERENCES neighbourhoods (id),
  household_id text REFERENCES households (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'household') = (household_id IS NOT NULL)),
  CHECK ((role IN ('champion', 'utility')) = (neighbourhood_id IS NOT NULL) OR role = 'household')
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

CREATE TABLE invitations (
  code_hash text PRIMARY KEY,
  -- The first admin signs up with a one-time setup code: an invitation without a neighbourhood.
  neighbourhood_id text REFERENCES neighbourhoods (id),
  role text NOT NULL CHECK (role IN ('household', 'champion', 'utility', 'admin')),
  -- A household invitation names the street the new household lives on.
  street_id text REFERENCES streets (id),
  created_by text REFERENCES accounts (id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  CHECK ((role = 'household') = (street_id IS NOT NULL)),
  CHECK ((role = 'admin') = (neighbourhood_id IS NULL))
);

CREATE TABLE consent_changes (
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  consent text NOT NULL CHECK (consent IN ('private', 'challenge', 'research')),
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by text REFERENCES accounts (id) ON DELETE SET NULL
);

CREATE TABLE challenges (
  id text PRIMARY KEY,
  neighbourhood_id text NOT NULL REFERENCES neighbourhoods (id),
  template text NOT NULL CHECK (template IN ('personal_best', 'friends_on_tap', 'street_league', 'neighbourhood_wash')),
  name text NOT NULL,
  metric text NOT NULL CHECK (metric IN ('water', 'electricity', 'gas')),
  scope text NOT NULL CHECK (scope IN ('households', 'teams', 'streets')),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  baseline_from date NOT NULL,
  baseline_to date NOT NULL,
  target_saving double precision CHECK (target_saving > 0 AND target_saving < 1),
  created_by text REFERENCES accounts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_on <= ends_on AND baseline_from <= baseline_to AND baseline_to < starts_on)
);

CREATE TABLE teams (
  id text PRIMARY KEY,
  challenge_id text NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
  name text NOT NULL,
  mentor_household_id text REFERENCES households (id) ON DELETE SET NULL,
  UNIQUE (challenge_id, name)
);

CREATE TABLE memberships (
  challenge_id text NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  team_id text REFERENCES teams (id) ON DELETE SET NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (challenge_id, household_id)
);

CREATE TABLE challenge_invitations (
  challenge_id text NOT NULL REFERENCES challenges (id) ON DELETE CASCADE,
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  invited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (challenge_id, household_id)
);

CREATE TABLE household_events (
  id bigserial PRIMARY KEY,
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  meter_id text,
  type text NOT NULL CHECK (type IN ('meter_replaced', 'leak_raised', 'leak_cleared')),
  at timestamptz NOT NULL DEFAULT now(),
  detail text NOT NULL DEFAULT ''
);
CREATE INDEX household_events_by_household ON household_events (household_id, at);
