// Creating and dropping whole PostgreSQL databases on a server where we may (tests and benches
// give each run its own, so runs in parallel never see each other's rows).
import pg from 'pg';

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates database `name` on the server of `adminUrl`; resolves to the URL that reaches it. */
export async function createPostgresDatabase(adminUrl: string, name: string): Promise<string> {
  await asAdmin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return postgresDatabaseUrl(adminUrl, name);
}

export function postgresDatabaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops it even while clients are still connected. */
export async function dropPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  await asAdmin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}
