// The demo's seed is one transaction: if any part fails (here its accounts), nothing of the demo
// neighbourhood is left behind, and the next start seeds it whole.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../api/testing/fixtures.ts';
import type { Database } from '../storage/metadata/database.ts';
import { householdExists } from '../storage/metadata/repositories/households.ts';
import { neighbourhoodTimeZone, streetsOf } from '../storage/metadata/repositories/neighbourhoods.ts';
import { failingOn, InjectedFailure } from '../storage/metadata/testing/failing-database.ts';
import { SqlReadingStore } from '../storage/readings/sql/sql-reading-store.ts';
import { DEMO_NEIGHBOURHOOD, startDemo } from './demo.ts';

describe.each(databaseKinds)('the demo seed on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  let dataDir: string;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    dataDir = await mkdtemp(join(tmpdir(), 'ontap-demo-'));
  });
  afterAll(async () => {
    await close?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves nothing when its accounts cannot be written', { timeout: 120_000 }, async () => {
    const store = await SqlReadingStore.open(db);
    const failing = failingOn(db, { insertInto: 'accounts' });
    await expect(startDemo({ db: failing, store, dataDir, timeZone: 'Europe/London' })).rejects.toThrow(InjectedFailure);
    expect(await neighbourhoodTimeZone(db, DEMO_NEIGHBOURHOOD)).toBeUndefined();
    expect(await streetsOf(db, DEMO_NEIGHBOURHOOD)).toStrictEqual([]);
    // 36 households: ids demo-01 … demo-36.
    expect(await householdExists(db, 'demo-01')).toBe(false);
  });
});
