// Seeding a neighbourhood is one transaction: a seed that fails half-way leaves nothing to trip over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../api/testing/fixtures.ts';
import type { Manifest } from '../simulators/manifest.ts';
import type { Database } from '../storage/metadata/database.ts';
import { householdExists } from '../storage/metadata/repositories/households.ts';
import { meterExists } from '../storage/metadata/repositories/meters.ts';
import { neighbourhoodTimeZone } from '../storage/metadata/repositories/neighbourhoods.ts';
import { failingOn, InjectedFailure } from '../storage/metadata/testing/failing-database.ts';
import { registerManifest } from './seed.ts';

const manifest = {
  timeZone: 'Europe/London',
  households: [
    { id: 'sd-1', street: 'Seed Street', alias: 'Wagtail', occupants: 2 },
    { id: 'sd-2', street: 'Seed Street', alias: 'Dipper', occupants: 3 },
  ],
  meters: [
    { id: 'sd-1-w', household: 'sd-1', kind: 'water' },
    { id: 'sd-2-w', household: 'sd-2', kind: 'water' },
  ],
} as unknown as Manifest;

describe.each(databaseKinds)('seeding on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
  });
  afterAll(async () => close?.());

  it('registers nothing when the meters cannot be written', async () => {
    const failing = failingOn(db, { insertInto: 'meters' });
    await expect(registerManifest(failing, manifest, { id: 'sd', name: 'Seed' })).rejects.toThrow(InjectedFailure);
    expect(await neighbourhoodTimeZone(db, 'sd')).toBeUndefined();
    expect(await householdExists(db, 'sd-1')).toBe(false);
    await registerManifest(db, manifest, { id: 'sd', name: 'Seed' });
    expect(await neighbourhoodTimeZone(db, 'sd')).toBe('Europe/London');
    expect(await meterExists(db, 'sd-2-w')).toBe(true);
    // Seeding again changes nothing and fails on nothing.
    await registerManifest(db, manifest, { id: 'sd', name: 'Seed' });
  });
});
