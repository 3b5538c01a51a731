// A consent change and its record in the consent history are written together or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../storage/metadata/database.ts';
import { consentChangesOf, householdProfile } from '../../storage/metadata/repositories/households.ts';
import { failingOn, InjectedFailure } from '../../storage/metadata/testing/failing-database.ts';
import { databaseKinds, openTestDatabase, seedNeighbourhoods } from '../testing/fixtures.ts';
import { changeConsent } from './households.ts';

describe.each(databaseKinds)('consent on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    await seedNeighbourhoods(db);
  });
  afterAll(async () => close?.());

  it('keeps the old consent when the change cannot be recorded', async () => {
    const failing = failingOn(db, { insertInto: 'consent_changes' });
    await expect(changeConsent(failing, 'h2', 'research', null)).rejects.toThrow(InjectedFailure);
    expect((await householdProfile(db, 'h2'))?.consent).toBe('challenge');
    expect(await consentChangesOf(db, ['h2'])).toStrictEqual([]);
    await changeConsent(db, 'h2', 'research', null);
    expect((await householdProfile(db, 'h2'))?.consent).toBe('research');
    expect((await consentChangesOf(db, ['h2'])).map((change) => change.consent)).toStrictEqual(['research']);
  });
});
