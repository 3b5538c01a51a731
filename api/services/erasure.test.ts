// An erasure's tombstones and its sweep are written together, and its deletion of the
// household's rows is one transaction: a failure in either leaves that step undone as a whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../storage/metadata/database.ts';
import { accountExists } from '../../storage/metadata/repositories/accounts.ts';
import { erasedAmong, erasureSweepPending } from '../../storage/metadata/repositories/erasure.ts';
import { householdExists } from '../../storage/metadata/repositories/households.ts';
import { meterIdsOf } from '../../storage/metadata/repositories/meters.ts';
import { markTouchedDaysDirty } from '../../storage/metadata/rollups.ts';
import { failingOn, InjectedFailure } from '../../storage/metadata/testing/failing-database.ts';
import { dirtyMarkCount } from '../../storage/metadata/testing/inspect.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import { SqlReadingStore } from '../../storage/readings/sql/sql-reading-store.ts';
import { type Caller, callerWithToken, databaseKinds, openTestDatabase, seedNeighbourhoods } from '../testing/fixtures.ts';
import { eraseHousehold, runErasureSweeps } from './erasure.ts';

describe.each(databaseKinds)('erasure on %s', (kind) => {
  let db: Database;
  let store: ReadingStore;
  let close: () => Promise<void>;
  let swift: Caller;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase(kind));
    await seedNeighbourhoods(db);
    store = await SqlReadingStore.open(db);
    swift = await callerWithToken(db, 'swift', 'household', { householdId: 'h1' });
    const day = Date.parse('2026-03-01T12:00:00Z');
    await markTouchedDaysDirty(db, [{ household: 'h1', kind: 'water', from: day, to: day }], day + 86_400_000);
  });
  afterAll(async () => close?.());

  it('leaves no tombstone when the sweep cannot be scheduled', async () => {
    const failing = failingOn(db, { insertInto: 'erasure_sweeps' });
    await expect(eraseHousehold({ db: failing, store }, 'h1')).rejects.toThrow(InjectedFailure);
    expect(await erasedAmong(db, ['h1-w'])).toStrictEqual([]);
    expect(await erasureSweepPending(db, 'h1')).toBe(false);
    expect(await householdExists(db, 'h1')).toBe(true);
  });

  it('keeps every row of the household when its deletion fails half-way', async () => {
    const dirtyBefore = await dirtyMarkCount(db, 'h1');
    expect(dirtyBefore).toBeGreaterThan(0);
    const failing = failingOn(db, { deleteFrom: 'households' });
    await expect(eraseHousehold({ db: failing, store }, 'h1')).rejects.toThrow(InjectedFailure);
    // The statements before the failing one, in the same transaction, are undone.
    expect(await dirtyMarkCount(db, 'h1')).toBe(dirtyBefore);
    expect(await householdExists(db, 'h1')).toBe(true);
    expect(await accountExists(db, swift.accountId as string)).toBe(true);
    expect(await meterIdsOf(db, 'h1')).toStrictEqual(['h1-w']);
    // Asked again, the erasure completes.
    const receipt = await eraseHousehold({ db, store }, 'h1');
    expect(receipt.removed).toMatchObject({ meters: 1, accounts: 1, apiTokens: 1 });
    expect(await householdExists(db, 'h1')).toBe(false);
    expect(await dirtyMarkCount(db, 'h1')).toBe(0);
    expect(await erasedAmong(db, ['h1-w'])).toStrictEqual(['h1-w']);
  });

  it('keeps a sweep and what it must clear when the sweep fails half-way, and finishes it next time', async () => {
    // A reading that was in flight during the erasure marked a day again afterwards.
    const day = Date.parse('2026-03-02T12:00:00Z');
    await markTouchedDaysDirty(db, [{ household: 'h1', kind: 'water', from: day, to: day }], day + 86_400_000);
    const marked = await dirtyMarkCount(db, 'h1');
    expect(marked).toBeGreaterThan(0);
    expect(await erasureSweepPending(db, 'h1')).toBe(true);
    const failing = failingOn(db, { deleteFrom: 'erasure_sweeps' });
    await expect(runErasureSweeps(failing, store, { all: true })).rejects.toThrow(InjectedFailure);
    expect(await dirtyMarkCount(db, 'h1')).toBe(marked);
    expect(await erasureSweepPending(db, 'h1')).toBe(true);
    await runErasureSweeps(db, store, { all: true });
    expect(await dirtyMarkCount(db, 'h1')).toBe(0);
    expect(await erasureSweepPending(db, 'h1')).toBe(false);
  });
});
