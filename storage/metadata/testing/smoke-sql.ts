// The statements the services smoke test sends to PostgreSQL and to PGlite alike: a table, a
// parameterised insert and a select, so both are shown to speak the same SQL.
export const smokeStatements = {
  createTempTable: 'CREATE TEMP TABLE smoke (id int PRIMARY KEY, alias text NOT NULL, joined timestamptz NOT NULL)',
  insert: 'INSERT INTO smoke (id, alias, joined) VALUES ($1, $2, $3)',
  selectById: 'SELECT id, alias, joined FROM smoke WHERE id = $1',
} as const;
