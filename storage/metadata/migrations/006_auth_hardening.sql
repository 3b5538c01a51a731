-- Hardening of sign-in and tokens (findings of a review of web/API authentication).

-- Failed password sign-ins per email address (whether or not an account has it, so a lockout
-- tells nothing about which emails exist). In the database: it survives restarts and holds
-- across API processes.
CREATE TABLE sign_in_failures (
  email text PRIMARY KEY,
  failures integer NOT NULL,
  first_failed_at timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX sign_in_failures_by_age ON sign_in_failures (first_failed_at);

-- API tokens expire (chosen at creation, at most a year); tokens issued before this migration
-- get the default 90 days from now.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz NOT NULL DEFAULT now() + interval '90 days';
CREATE INDEX api_tokens_by_account ON api_tokens (account_id);
