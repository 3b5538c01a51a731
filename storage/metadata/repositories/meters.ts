// Meters: which household each belongs to, and the broker credentials it connects with.
import type { MeterKind } from '../../../devices/contract/units.ts';
import type { MeterPlacement } from '../../readings/reading-store.ts';
import type { Queryable } from '../database.ts';
import type { InsertOptions } from './neighbourhoods.ts';

export interface NewMeter {
  id: string;
  householdId: string;
  kind: MeterKind;
}

export interface MeterCredentials {
  /** None once revoked (an erasure clears it first). */
  passwordHash: string | null;
  /** The one MQTT client id the meter may use; none: its user name. */
  clientId: string | null;
}

/** One statement for any number of meters, without broker credentials (seeding, benches). */
export async function insertMeters(q: Queryable, meters: readonly NewMeter[], options: InsertOptions = {}): Promise<void> {
  if (meters.length === 0) return;
  await q.query(
    `INSERT INTO meters (id, household_id, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ${options.skipExisting ? 'ON CONFLICT (id) DO NOTHING' : ''}`,
    [meters.map((m) => m.id), meters.map((m) => m.householdId), meters.map((m) => m.kind)],
  );
}

/** A meter registered with its broker credentials, issued now. */
export async function insertRegisteredMeter(
  q: Queryable,
  meter: NewMeter & { passwordHash: string; clientId: string | null },
): Promise<void> {
  await q.query(
    'INSERT INTO meters (id, household_id, kind, password_hash, credentials_issued_at, client_id) VALUES ($1, $2, $3, $4, now(), $5)',
    [meter.id, meter.householdId, meter.kind, meter.passwordHash, meter.clientId],
  );
}

export async function meterExists(q: Queryable, meterId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM meters WHERE id = $1', [meterId])).length > 0;
}

export async function clientIdTaken(q: Queryable, clientId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM meters WHERE client_id = $1', [clientId])).length > 0;
}

export async function countMetersOf(q: Queryable, householdId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM meters WHERE household_id = $1', [householdId]);
  return row?.n ?? 0;
}

/** A household's meters, by id. */
export async function metersOf(q: Queryable, householdId: string): Promise<{ id: string; kind: MeterKind; createdAt: Date }[]> {
  const rows = await q.query<{ id: string; kind: MeterKind; createdAt: Date }>(
    'SELECT id, kind, created_at AS "createdAt" FROM meters WHERE household_id = $1 ORDER BY id',
    [householdId],
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

export async function meterIdsOf(q: Queryable, householdId: string): Promise<string[]> {
  return (await metersOf(q, householdId)).map((meter) => meter.id);
}

export async function meterCredentials(q: Queryable, meterId: string): Promise<MeterCredentials | undefined> {
  const [row] = await q.query<MeterCredentials>(
    'SELECT password_hash AS "passwordHash", client_id AS "clientId" FROM meters WHERE id = $1',
    [meterId],
  );
  return row;
}

/** New broker credentials for a meter, issued now; `clientId` is left as it is unless given. */
export async function setMeterCredentials(
  q: Queryable,
  meterId: string,
  credentials: { passwordHash: string; clientId?: string | null },
): Promise<void> {
  await q.query(
    `UPDATE meters SET password_hash = $2, credentials_issued_at = now(), client_id = CASE WHEN $3 THEN $4 ELSE client_id END
     WHERE id = $1`,
    [meterId, credentials.passwordHash, credentials.clientId !== undefined, credentials.clientId ?? null],
  );
}

/** Revokes the household's meters: no password, no broker sign-in. */
export async function clearMeterPasswords(q: Queryable, householdId: string): Promise<void> {
  await q.query('UPDATE meters SET password_hash = NULL WHERE household_id = $1', [householdId]);
}

export async function deleteMeters(q: Queryable, meterIds: readonly string[]): Promise<void> {
  await q.query('DELETE FROM meters WHERE id = ANY($1::text[])', [meterIds]);
}

const SELECT_PLACEMENTS = `SELECT m.id AS "meterId", m.kind, h.id AS household, s.id AS street, s.neighbourhood_id AS neighbourhood
  FROM meters m JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id`;

/** Where each meter sits (household, street, neighbourhood): what ingest tags readings with. */
export async function allMeterPlacements(q: Queryable): Promise<MeterPlacement[]> {
  return q.query<MeterPlacement>(SELECT_PLACEMENTS);
}

export async function meterPlacements(q: Queryable, meterIds: readonly string[]): Promise<MeterPlacement[]> {
  return q.query<MeterPlacement>(`${SELECT_PLACEMENTS} WHERE m.id = ANY($1::text[])`, [meterIds]);
}

/** Ids of the households of a neighbourhood with a meter of this kind. */
export async function householdsWithMeterOfKind(q: Queryable, neighbourhoodId: string, kind: MeterKind): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT DISTINCT h.id FROM households h JOIN streets s ON s.id = h.street_id JOIN meters m ON m.household_id = h.id
     WHERE s.neighbourhood_id = $1 AND m.kind = $2`,
    [neighbourhoodId, kind],
  );
  return rows.map((row) => row.id);
}

export async function countHouseholdsWithMeterOfKind(q: Queryable, neighbourhoodId: string, kind: MeterKind): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(DISTINCT h.id)::int AS n FROM households h JOIN streets s ON s.id = h.street_id JOIN meters m ON m.household_id = h.id
     WHERE s.neighbourhood_id = $1 AND m.kind = $2`,
    [neighbourhoodId, kind],
  );
  return row?.n ?? 0;
}
