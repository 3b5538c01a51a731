// Erasing a household (DESIGN "Consent and privacy"), in an order that live traffic cannot undo:
//   1. revoke: its meters' passwords go, their broker accounts go (Mosquitto disconnects them; the
//      embedded broker is told to), so no new message of theirs is accepted;
//   2. tombstone: ingest is told (NOTIFY) and remembers a hash of each meter id, so whatever still
//      arrives for them — from a broker's queue, a gateway nobody told — is dropped without a trace;
//   3. delete: its readings, events and dead letters in the readings store, then its rows in the
//      metadata database (accounts, sessions, tokens, consent, memberships, rollups, marks);
//   4. sweep: two and fifteen minutes later the readings store is swept again, for writes that
//      were under way (ingest leaves erased meters out of every later attempt).
// A failure before step 3 leaves everything in place and the erasure can be asked again; steps 3
// and 4 repeat harmlessly. The receipt says what went.
import { randomUUID } from 'node:crypto';
import { erasedMeterHash } from '../../ingest/pipeline/meter-directory.ts';
import { runEvery } from '../../lib/periodic.ts';
import type { Database } from '../../storage/metadata/database.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import type { MeterCredentialSink } from '../context.ts';

/**
 * How long after an erasure the readings store is swept again, and then once more: a write under
 * way when it ran lands within a request's timeout (60 s), and later attempts leave erased meters out.
 */
export const ERASURE_SWEEP_DELAY_S = 120;
export const ERASURE_LAST_SWEEP_AFTER_S = 900;

export interface ErasureReceipt {
  erased: string;
  receipt: string;
  erasedAt: string;
  /** Broker accounts of its meters, revoked and disconnected. */
  metersRevoked: string[];
  removed: {
    readings: number;
    meterEvents: number;
    deadLetters: number;
    meters: number;
    accounts: number;
    sessions: number;
    apiTokens: number;
    consentChanges: number;
    challengeMemberships: number;
    householdEvents: number;
    dailyUseRows: number;
  };
  /** When the readings store is swept a last time. */
  finalSweepAt: string;
}

export class BrokerRevocationError extends Error {
  override name = 'BrokerRevocationError';
}

export async function eraseHousehold(
  services: { db: Database; store: ReadingStore; brokerCredentials?: MeterCredentialSink },
  householdId: string,
): Promise<ErasureReceipt> {
  const { db, store, brokerCredentials } = services;
  const meterIds = (
    await db.query<{ id: string }>('SELECT id FROM meters WHERE household_id = $1 ORDER BY id', [householdId])
  ).map((row) => row.id);

  // 1. Revoke.
  await db.query('UPDATE meters SET password_hash = NULL WHERE household_id = $1', [householdId]);
  for (const meterId of meterIds) {
    try {
      await brokerCredentials?.removeMeter(meterId);
    } catch (error) {
      throw new BrokerRevocationError(`the broker did not revoke meter ${meterId}: ${(error as Error).message}`);
    }
  }

  // 2. Tombstone, and the final sweep, before anything is deleted (so a crash from here on leaves
  // the sweep to finish the job).
  await db.query(
    `INSERT INTO erased_meters (meter_hash) SELECT unnest($1::text[]) ON CONFLICT (meter_hash) DO UPDATE SET erased_at = now()`,
    [meterIds.map(erasedMeterHash)],
  );
  await db.query("SELECT pg_notify('ontap_meter_changed', 'erased:' || id) FROM unnest($1::text[]) AS id", [meterIds]);
  const [sweep] = await db.query<{ due_at: Date | string }>(
    `INSERT INTO erasure_sweeps (household_id, meter_ids, due_at) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (household_id) DO UPDATE SET meter_ids = excluded.meter_ids, due_at = excluded.due_at
     RETURNING due_at`,
    [householdId, meterIds, ERASURE_SWEEP_DELAY_S],
  );

  // 3. Delete: the readings store, then the metadata (counted first, for the receipt).
  const fromStore = await store.deleteHousehold(householdId, meterIds);
  const removed = await db.transaction(async (tx) => {
    const count = async (sql: string) =>
      Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, [householdId]))[0]?.n ?? 0);
    const counts = {
      meters: await count('meters WHERE household_id = $1'),
      accounts: await count('accounts WHERE household_id = $1'),
      sessions: await count('sessions s JOIN accounts a ON a.id = s.account_id WHERE a.household_id = $1'),
      apiTokens: await count('api_tokens t JOIN accounts a ON a.id = t.account_id WHERE a.household_id = $1'),
      consentChanges: await count('consent_changes WHERE household_id = $1'),
      challengeMemberships: await count('memberships WHERE household_id = $1'),
      householdEvents: await count('household_events WHERE household_id = $1'),
      dailyUseRows: await count('daily_use WHERE household_id = $1'),
    };
    // Failed sign-ins are kept by email address, which is personal data too.
    await tx.query('DELETE FROM sign_in_failures WHERE email IN (SELECT email FROM accounts WHERE household_id = $1)', [
      householdId,
    ]);
    await tx.query('DELETE FROM daily_use_dirty WHERE household_id = $1', [householdId]);
    // A meter registered while this erasure ran: tombstoned too, and revoked below.
    const late = (
      await tx.query<{ id: string }>('SELECT id FROM meters WHERE household_id = $1 AND NOT (id = ANY($2::text[]))', [
        householdId,
        meterIds,
      ])
    ).map((row) => row.id);
    if (late.length > 0)
      await tx.query('INSERT INTO erased_meters (meter_hash) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [
        late.map(erasedMeterHash),
      ]);
    // Accounts, sessions, tokens, meters, consent, memberships, events and rollups cascade.
    await tx.query('DELETE FROM households WHERE id = $1', [householdId]);
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
    finalSweepAt: new Date(sweep?.due_at ?? Date.now()).toISOString(),
  };
}

/**
 * Runs the erasure sweeps that are due (all pending ones with `all`): the readings store and the
 * rollup marks are cleared again of the household, then the sweep is forgotten. Returns how many ran.
 */
export async function runErasureSweeps(db: Database, store: ReadingStore, options: { all?: boolean } = {}): Promise<number> {
  const due = await db.query<{ household_id: string; meter_ids: string[]; rounds_left: number }>(
    `SELECT household_id, meter_ids, rounds_left FROM erasure_sweeps WHERE $1 OR due_at <= now() ORDER BY due_at LIMIT 100`,
    [options.all === true],
  );
  for (const sweep of due) {
    try {
      await store.deleteHousehold(sweep.household_id, sweep.meter_ids);
      await db.query('DELETE FROM daily_use_dirty WHERE household_id = $1', [sweep.household_id]);
      if (sweep.rounds_left > 1 && options.all !== true)
        await db.query(
          `UPDATE erasure_sweeps SET rounds_left = rounds_left - 1, due_at = now() + make_interval(secs => $2) WHERE household_id = $1`,
          [sweep.household_id, ERASURE_LAST_SWEEP_AFTER_S - ERASURE_SWEEP_DELAY_S],
        );
      else await db.query('DELETE FROM erasure_sweeps WHERE household_id = $1', [sweep.household_id]);
    } catch (error) {
      await db.query('UPDATE erasure_sweeps SET attempts = attempts + 1 WHERE household_id = $1', [sweep.household_id]);
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
