-- Open-data releases (issue 16, docs/open-data.md): a neighbourhood's champion (or an operator)
-- decides to publish a Frictionless Data Package of daily aggregates under a chosen licence. A
-- release is numbered within its neighbourhood (its public URL), and its files are kept exactly as
-- published, so they are served byte for byte however consent, readings or streets change later.
-- They hold only figures that passed the utility aggregates' rules, never one household's, so an
-- erasure leaves them. Withdrawing a release deletes its files and keeps the row as a tombstone.
CREATE TABLE open_data_releases (
  neighbourhood_id text NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number > 0),
  title text NOT NULL,
  licence text NOT NULL,
  from_date date NOT NULL,
  to_date date NOT NULL CHECK (to_date >= from_date),
  -- Who decided (NULL once that account is gone).
  decided_by text REFERENCES accounts (id) ON DELETE SET NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  withdrawn_reason text,
  PRIMARY KEY (neighbourhood_id, number),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
);

CREATE TABLE open_data_files (
  neighbourhood_id text NOT NULL,
  number integer NOT NULL,
  -- datapackage.json or a resource's file name (daily-neighbourhood.csv, …).
  name text NOT NULL,
  media_type text NOT NULL,
  content text NOT NULL,
  PRIMARY KEY (neighbourhood_id, number, name),
  FOREIGN KEY (neighbourhood_id, number) REFERENCES open_data_releases (neighbourhood_id, number) ON DELETE CASCADE
);
