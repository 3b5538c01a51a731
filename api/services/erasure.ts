// Erasing a household (its right to be forgotten), in an order that live traffic cannot undo:
//   1. revoke: its meters' passwords go, their broker accounts go (Mosquitto disconnects them; the
//      embedded broker is told to), so no new message of theirs is accepted;
//   2. tombstone: ingest is told (NOTIFY) and remembers a hash of each meter id, so whatever still
//      arrives for them — from a broker's queue, a gateway nobody told — is dropped without a trace;
//   3. delete: its readings, events and dead letters in the readings store, then its rows in the
//      metadata database (accounts, sessions, tokens, consent, memberships, rollups, marks, leak marks);
//   4. sweep: two and fifteen minutes later the readings store is swept again, for writes that
//      were under way (ingest leaves erased meters out of every later attempt).
// A failure before step 3 leaves everything in place and the erasure can be asked again; steps 3
// and 4 repeat harmlessly. The receipt says what went.
import { randomUUID } from 'node:crypto';
import { runEvery } from '../../lib/periodic.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { clearSignInFailuresOfHousehold } from '../../storage/metadata/repositories/accounts.ts';
import { deleteDirtyMarksOf } from '../../storage/metadata/repositories/daily-use.ts';
import {
  countErasureSweepAttempt,
  countHouseholdRows,
  deleteErasureSweep,
  dueErasureSweeps,
  notifyMetersErased,
  postponeErasureSweep,
  scheduleErasureSweep,
  tombstoneMeters,
} from '../../storage/metadata/repositories/erasure.ts';
import { deleteHousehold } from '../../storage/metadata/repositories/households.ts';
import { clearMeterPasswords, meterIdsOf } from '../../storage/metadata/repositories/meters.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import type { MeterCredentialSink } from '../context.ts';
import type { ErasureReceipt } from '../schemas/households.ts';

/**
 * How long after an erasure the readings store is swept again, and then once more: a write under
 * way when it ran lands within a request's timeout (60 s), and later attempts leave erased meters out.
 */
export const ERASURE_SWEEP_DELAY_S = 120;
export const ERASURE_LAST_SWEEP_AFTER_S = 900;

export class BrokerRevocationError extends Error {
  override name = 'BrokerRevocationError';
}

export async function eraseHousehold(
  services: { db: Database; store: ReadingStore; brokerCredentials?: MeterCredentialSink },
  householdId: string,
): Promise<ErasureReceipt> {
  const { db, store, brokerCredentials } = services;
  const meterIds = await meterIdsOf(db, householdId);

  // 1. Revoke.
  await clearMeterPasswords(db, householdId);
  for (const meterId of meterIds) {
    try {
      await brokerCredentials?.removeMeter(meterId);
    } catch (error) {
      throw new BrokerRevocationError(`the broker did not revoke meter ${meterId}: ${(error as Error).message}`);
    }
  }

  // 2. Tombstone, and the final sweep, before anything is deleted (so a crash from here on leaves
  // the sweep to finish the job). Together or not at all: a tombstone without its sweep would
  // leave readings that landed late in the store for ever.
  const sweepDueAt = await db.transaction(async (tx) => {
    await tombstoneMeters(tx, meterIds, { refresh: true });
    await notifyMetersErased(tx, meterIds);
    return scheduleErasureSweep(tx, householdId, meterIds, ERASURE_SWEEP_DELAY_S);
  });

  // 3. Delete: the readings store, then the metadata (counted first, for the receipt).
  const fromStore = await store.deleteHousehold(householdId, meterIds);
  const removed = await db.transaction(async (tx) => {
    const counts = await countHouseholdRows(tx, householdId);
    // Failed sign-ins are kept by email address, which is personal data too.
    await clearSignInFailuresOfHousehold(tx, householdId);
    await deleteDirtyMarksOf(tx, householdId);
    // A meter registered while this erasure ran: tombstoned too, and revoked below.
    const late = (await meterIdsOf(tx, householdId)).filter((id) => !meterIds.includes(id));
    await tombstoneMeters(tx, late, { refresh: false });
    // Accounts, sessions, tokens, meters, consent, memberships, events, rollups, usual hours and leak marks cascade.
    await deleteHousehold(tx, householdId);
    return { ...counts, late };
  });
  for (const meterId of removed.late) await brokerCredentials?.removeMeter(meterId).catch(() => {});
  const { late, ...removedRows } = removed;

  return {
    erased: householdId,
    receipt: randomUUID(),
    erasedAt: new Date().toISOString(),
    metersRevoked: [...meterIds, ...late],
    removed: {
      readings: fromStore.readings,
      meterEvents: fromStore.events,
      deadLetters: fromStore.deadLetters,
      ...removedRows,
    },
    finalSweepAt: sweepDueAt.toISOString(),
  };
}

/**
 * Runs the erasure sweeps that are due (all pending ones with `all`): the readings store and the
 * rollup marks are cleared again of the household, then the sweep is forgotten. Returns how many ran.
 */
export async function runErasureSweeps(db: Database, store: ReadingStore, options: { all?: boolean } = {}): Promise<number> {
  const due = await dueErasureSweeps(db, options);
  for (const sweep of due) {
    try {
      await store.deleteHousehold(sweep.householdId, sweep.meterIds);
      await db.transaction(async (tx) => {
        await deleteDirtyMarksOf(tx, sweep.householdId);
        if (sweep.roundsLeft > 1 && options.all !== true)
          await postponeErasureSweep(tx, sweep.householdId, ERASURE_LAST_SWEEP_AFTER_S - ERASURE_SWEEP_DELAY_S);
        else await deleteErasureSweep(tx, sweep.householdId);
      });
    } catch (error) {
      await countErasureSweepAttempt(db, sweep.householdId);
      throw error;
    }
  }
  return due.length;
}

/** Runs due sweeps every `everyMs` (the API does, beside the leak watch). */
export function watchErasureSweeps(
  db: Database,
  store: ReadingStore,
  everyMs: number,
  onError: (error: unknown) => void,
): () => void {
  return runEvery(everyMs, () => runErasureSweeps(db, store), onError);
}
