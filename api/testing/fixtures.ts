// Test support for the API: the app on PGlite or on the test PostgreSQL, with the SQL readings
// store beside it, a small neighbourhood, and accounts of every role with bearer tokens.
import { randomUUID } from 'node:crypto';
import { encodePasswordHash, hashPassword, randomSecret } from '../../lib/passwords.ts';
import { type Database, migrate, openDatabase } from '../../storage/metadata/database.ts';
import { InfluxReadingStore } from '../../storage/readings/influx/influx-reading-store.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../../storage/readings/sql/sql-reading-store.ts';
import { freshInfluxDatabase, freshPostgresDatabase } from '../../testing/databases.ts';
import { buildApp } from '../app.ts';
import type { ApiSettings } from '../context.ts';
import { sha256 } from '../plugins/auth.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export const databaseKinds: DatabaseKind[] = ['pglite', 'postgres'];

export async function openTestDatabase(kind: DatabaseKind): Promise<{ db: Database; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase('pglite:memory');
    await migrate(db);
    return { db, close: () => db.close() };
  }
  const { url, drop } = await freshPostgresDatabase();
  const db = await openDatabase(url);
  await migrate(db);
  return {
    db,
    close: async () => {
      await db.close();
      await drop();
    },
  };
}

/**
 * The app on PGlite with the embedded (SQL) readings store, or on the test PostgreSQL with the
 * test InfluxDB as readings store: the two ways OnTap runs.
 */
export async function testApp(
  kind: DatabaseKind,
  options: { now?: () => number; rateLimits?: boolean; settings?: Partial<ApiSettings> } = {},
) {
  const { db, close } = await openTestDatabase(kind);
  let store: ReadingStore;
  let dropInflux = async () => {};
  if (kind === 'pglite') store = await SqlReadingStore.open(db);
  else {
    const influx = await freshInfluxDatabase();
    store = new InfluxReadingStore({ url: influx.url, database: influx.database });
    dropInflux = influx.drop;
  }
  const app = await buildApp({ db, store, ...options });
  return {
    app,
    db,
    store,
    close: async () => {
      await app.close();
      await close();
      await dropInflux();
    },
  };
}

/** Two neighbourhoods (n1 with streets elm and oak, n2 with street far), households in each. */
export async function seedNeighbourhoods(db: Database): Promise<void> {
  await db.exec(`
    INSERT INTO neighbourhoods (id, name, time_zone) VALUES ('n1', 'Riverside', 'Europe/London'), ('n2', 'Hilltop', 'Europe/London');
    INSERT INTO streets (id, neighbourhood_id, name) VALUES ('elm', 'n1', 'Elm Street'), ('oak', 'n1', 'Oak Road'), ('far', 'n2', 'Far Lane');
    INSERT INTO households (id, street_id, alias, occupants) VALUES
      ('h1', 'elm', 'Swift', 2), ('h2', 'elm', 'Heron', 4), ('h3', 'oak', 'Otter', 1), ('h9', 'far', 'Badger', 3);
    INSERT INTO meters (id, household_id, kind) VALUES ('h1-w', 'h1', 'water'), ('h2-w', 'h2', 'water'), ('h3-w', 'h3', 'water'), ('h9-w', 'h9', 'water');
  `);
}

export interface Caller {
  name: string;
  token: string | null;
  accountId: string | null;
}

/** An account with a bearer token (no CSRF needed), straight into the database. */
export async function callerWithToken(
  db: Database,
  name: string,
  role: 'household' | 'champion' | 'utility' | 'admin',
  scope: { householdId?: string; neighbourhoodId?: string } = {},
): Promise<Caller> {
  const accountId = randomUUID();
  await db.query(
    'INSERT INTO accounts (id, email, password_hash, role, neighbourhood_id, household_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      accountId,
      `${name}-${accountId.slice(0, 8)}@example.org`,
      encodePasswordHash(await hashPassword('a long test password')),
      role,
      scope.neighbourhoodId ?? null,
      scope.householdId ?? null,
    ],
  );
  const token = `ontap_${randomSecret(24)}`;
  await db.query('INSERT INTO api_tokens (id, token_hash, account_id, name) VALUES ($1, $2, $3, $4)', [
    randomUUID(),
    sha256(token),
    accountId,
    name,
  ]);
  return { name, token, accountId };
}

export const bearer = (caller: Caller) => (caller.token ? { authorization: `Bearer ${caller.token}` } : {});
