-- An operator archives a neighbourhood that no longer runs challenges: it is left out of the
-- listing (unless asked for), and takes no new streets, invitations, challenges or sign-ups. Its
-- data stays, for evidence. NULL: not archived.
ALTER TABLE neighbourhoods ADD COLUMN archived_at timestamptz;
