// What an erasure leaves behind on purpose: tombstones of its meters (hashes of their ids) and
// the sweeps of the readings store still to run. And what it counts before deleting.
import { createHash } from 'node:crypto';
import type { Queryable } from '../database.ts';

/** How erased meters are remembered (migration 008): a hash of the id, never the id. */
export const erasedMeterHash = (meterId: string) => createHash('sha256').update(`ontap-meter:${meterId}`).digest('base64url');

/** The channel ingest's meter directory listens on (migration 001). */
const METER_CHANGED_CHANNEL = 'ontap_meter_changed';

/**
 * Remembers erased meters (by hash). `refresh`: a tombstone already there counts from now (an
 * erasure asked again); otherwise it is left as it is.
 */
export async function tombstoneMeters(q: Queryable, meterIds: readonly string[], options: { refresh: boolean }) {
  if (meterIds.length === 0) return;
  await q.query(
    `INSERT INTO erased_meters (meter_hash) SELECT unnest($1::text[])
     ON CONFLICT (meter_hash) DO ${options.refresh ? 'UPDATE SET erased_at = now()' : 'NOTHING'}`,
    [meterIds.map(erasedMeterHash)],
  );
}

/** Tells ingest processes these meters are erased (delivered when the transaction commits). */
export async function notifyMetersErased(q: Queryable, meterIds: readonly string[]): Promise<void> {
  await q.query(`SELECT pg_notify('${METER_CHANGED_CHANNEL}', 'erased:' || id) FROM unnest($1::text[]) AS id`, [meterIds]);
}

/** Which of these meters have a tombstone. */
export async function erasedAmong(q: Queryable, meterIds: readonly string[]): Promise<string[]> {
  const byHash = new Map(meterIds.map((id) => [erasedMeterHash(id), id]));
  const rows = await q.query<{ hash: string }>(
    'SELECT meter_hash AS hash FROM erased_meters WHERE meter_hash = ANY($1::text[])',
    [[...byHash.keys()]],
  );
  return rows.map((row) => byHash.get(row.hash) as string);
}

export async function erasedWithinDays(q: Queryable, meterId: string, days: number): Promise<boolean> {
  const rows = await q.query(
    'SELECT 1 FROM erased_meters WHERE meter_hash = $1 AND erased_at > now() - make_interval(days => $2)',
    [erasedMeterHash(meterId), days],
  );
  return rows.length > 0;
}

/** Frees a meter id erased long ago: its tombstone would drop a new meter's readings. */
export async function deleteTombstone(q: Queryable, meterId: string): Promise<void> {
  await q.query('DELETE FROM erased_meters WHERE meter_hash = $1', [erasedMeterHash(meterId)]);
}

// ---- sweeps

export interface ErasureSweep {
  householdId: string;
  meterIds: string[];
  roundsLeft: number;
}

/** Schedules (or reschedules) the household's sweeps, the first `delaySeconds` from now; resolves with when. */
export async function scheduleErasureSweep(
  q: Queryable,
  householdId: string,
  meterIds: readonly string[],
  delaySeconds: number,
): Promise<Date> {
  const [row] = await q.query<{ dueAt: Date | string }>(
    `INSERT INTO erasure_sweeps (household_id, meter_ids, due_at) VALUES ($1, $2, now() + make_interval(secs => $3))
     ON CONFLICT (household_id) DO UPDATE SET meter_ids = excluded.meter_ids, due_at = excluded.due_at
     RETURNING due_at AS "dueAt"`,
    [householdId, meterIds, delaySeconds],
  );
  return new Date(row?.dueAt as Date | string);
}

/** Sweeps that are due (every pending one with `all`), earliest first, at most 100. */
export async function dueErasureSweeps(q: Queryable, options: { all?: boolean } = {}): Promise<ErasureSweep[]> {
  return q.query<ErasureSweep>(
    `SELECT household_id AS "householdId", meter_ids AS "meterIds", rounds_left AS "roundsLeft" FROM erasure_sweeps
     WHERE $1 OR due_at <= now() ORDER BY due_at LIMIT 100`,
    [options.all === true],
  );
}

/** One round done: the next is due `afterSeconds` from now. */
export async function postponeErasureSweep(q: Queryable, householdId: string, afterSeconds: number): Promise<void> {
  await q.query(
    'UPDATE erasure_sweeps SET rounds_left = rounds_left - 1, due_at = now() + make_interval(secs => $2) WHERE household_id = $1',
    [householdId, afterSeconds],
  );
}

export async function deleteErasureSweep(q: Queryable, householdId: string): Promise<void> {
  await q.query('DELETE FROM erasure_sweeps WHERE household_id = $1', [householdId]);
}

export async function countErasureSweepAttempt(q: Queryable, householdId: string): Promise<void> {
  await q.query('UPDATE erasure_sweeps SET attempts = attempts + 1 WHERE household_id = $1', [householdId]);
}

export async function erasureSweepPending(q: Queryable, householdId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM erasure_sweeps WHERE household_id = $1', [householdId])).length > 0;
}

// ---- what an erasure removes

export interface HouseholdRowCounts {
  meters: number;
  accounts: number;
  sessions: number;
  apiTokens: number;
  consentChanges: number;
  challengeMemberships: number;
  householdEvents: number;
  dailyUseRows: number;
  usualHoursRows: number;
  leakMarks: number;
}

/** How many rows of each kind the household has (an erasure's receipt counts them before deleting). */
export async function countHouseholdRows(q: Queryable, householdId: string): Promise<HouseholdRowCounts> {
  const [row] = await q.query<HouseholdRowCounts>(
    `SELECT
       (SELECT count(*)::int FROM meters WHERE household_id = $1) AS meters,
       (SELECT count(*)::int FROM accounts WHERE household_id = $1) AS accounts,
       (SELECT count(*)::int FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.household_id = $1) AS sessions,
       (SELECT count(*)::int FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE a.household_id = $1) AS "apiTokens",
       (SELECT count(*)::int FROM consent_changes WHERE household_id = $1) AS "consentChanges",
       (SELECT count(*)::int FROM memberships WHERE household_id = $1) AS "challengeMemberships",
       (SELECT count(*)::int FROM household_events WHERE household_id = $1) AS "householdEvents",
       (SELECT count(*)::int FROM daily_use WHERE household_id = $1) AS "dailyUseRows",
       (SELECT count(*)::int FROM usual_hours WHERE household_id = $1) AS "usualHoursRows",
       (SELECT count(*)::int FROM leak_marks WHERE household_id = $1) AS "leakMarks"`,
    [householdId],
  );
  return row as HouseholdRowCounts;
}
