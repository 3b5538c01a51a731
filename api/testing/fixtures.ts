// Test support for the API: the app on PGlite or on the test PostgreSQL, with the SQL readings
// store beside it, a small neighbourhood, and accounts of every role with bearer tokens.

import { randomUUID } from 'node:crypto';
import type { Role } from '../../domain/people.ts';
import { encodePasswordHash, hashPassword, randomSecret, sha256 } from '../../lib/passwords.ts';
import { type Database, migrate, openDatabase } from '../../storage/metadata/database.ts';
import { insertAccount, insertApiToken } from '../../storage/metadata/repositories/accounts.ts';
import { insertHouseholds } from '../../storage/metadata/repositories/households.ts';
import { insertInvitation } from '../../storage/metadata/repositories/invitations.ts';
import { insertMeters } from '../../storage/metadata/repositories/meters.ts';
import { insertNeighbourhood, insertStreets } from '../../storage/metadata/repositories/neighbourhoods.ts';
import { InfluxReadingStore } from '../../storage/readings/influx/influx-reading-store.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../../storage/readings/sql/sql-reading-store.ts';
import { freshInfluxDatabase, freshPostgresDatabase } from '../../testing/databases.ts';
import { buildApp } from '../app.ts';
import type { ApiSettings } from '../context.ts';

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
  await db.transaction(async (tx) => {
    await insertNeighbourhood(tx, { id: 'n1', name: 'Riverside', timeZone: 'Europe/London' });
    await insertNeighbourhood(tx, { id: 'n2', name: 'Hilltop', timeZone: 'Europe/London' });
    await insertStreets(tx, [
      { id: 'elm', neighbourhoodId: 'n1', name: 'Elm Street' },
      { id: 'oak', neighbourhoodId: 'n1', name: 'Oak Road' },
      { id: 'far', neighbourhoodId: 'n2', name: 'Far Lane' },
    ]);
    await insertHouseholds(tx, [
      { id: 'h1', streetId: 'elm', alias: 'Swift', occupants: 2 },
      { id: 'h2', streetId: 'elm', alias: 'Heron', occupants: 4 },
      { id: 'h3', streetId: 'oak', alias: 'Otter', occupants: 1 },
      { id: 'h9', streetId: 'far', alias: 'Badger', occupants: 3 },
    ]);
    await insertMeters(
      tx,
      ['h1', 'h2', 'h3', 'h9'].map((household) => ({ id: `${household}-w`, householdId: household, kind: 'water' as const })),
    );
  });
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
  role: Role,
  scope: { householdId?: string; neighbourhoodId?: string } = {},
): Promise<Caller> {
  const accountId = randomUUID();
  await insertAccount(db, {
    id: accountId,
    email: `${name}-${accountId.slice(0, 8)}@example.org`,
    passwordHash: encodePasswordHash(await hashPassword('a long test password')),
    role,
    neighbourhoodId: scope.neighbourhoodId ?? null,
    householdId: scope.householdId ?? null,
  });
  const token = `ontap_${randomSecret(24)}`;
  await insertApiToken(db, { id: randomUUID(), tokenHash: sha256(token), accountId, name });
  return { name, token, accountId };
}

export const bearer = (caller: Caller) => (caller.token ? { authorization: `Bearer ${caller.token}` } : {});

/** A household's invitation code for a street, valid for a day, straight into the database. */
export async function householdInvitationCode(
  db: Database,
  place: { neighbourhoodId: string; streetId: string },
  code = `invitation-${randomSecret(12)}`,
): Promise<string> {
  await insertInvitation(db, {
    codeHash: sha256(code),
    ...place,
    role: 'household',
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return code;
}

/** A households-scope water challenge of the neighbourhood, its baseline 1–28 January 2026 (for insertChallenge). */
/** n1's Personal Best 'c1', March 2026 against February: what board, stream and access tests share. */
export const springChallenge = {
  id: 'c1',
  neighbourhoodId: 'n1',
  template: 'personal_best',
  name: 'Spring',
  metric: 'water' as const,
  scope: 'households' as const,
  startsOn: '2026-03-01',
  endsOn: '2026-03-28',
  baselineFrom: '2026-02-01',
  baselineTo: '2026-02-28',
};

export const personalBest = (id: string, neighbourhoodId: string, name: string, startsOn: string, endsOn: string) => ({
  id,
  neighbourhoodId,
  template: 'personal_best',
  name,
  metric: 'water' as const,
  scope: 'households' as const,
  startsOn,
  endsOn,
  baselineFrom: '2026-01-01',
  baselineTo: '2026-01-28',
});
