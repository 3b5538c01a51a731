// Neighbourhoods (with their time zone: days are local) and their streets.
import type { Queryable } from '../database.ts';

export interface Neighbourhood {
  id: string;
  name: string;
  /** Default: Europe/London. */
  timeZone?: string;
}

export interface Street {
  id: string;
  neighbourhoodId: string;
  name: string;
}

/** `skipExisting`: rows whose id exists are left as they are (seeding twice is harmless). */
export interface InsertOptions {
  skipExisting?: boolean;
}

const onConflict = (options: InsertOptions) => (options.skipExisting ? 'ON CONFLICT (id) DO NOTHING' : '');

/** Resolves false when `skipExisting` left an existing row as it was. */
export async function insertNeighbourhood(
  q: Queryable,
  neighbourhood: Neighbourhood,
  options: InsertOptions = {},
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO neighbourhoods (id, name, time_zone) VALUES ($1, $2, COALESCE($3, 'Europe/London')) ${onConflict(options)} RETURNING id`,
    [neighbourhood.id, neighbourhood.name, neighbourhood.timeZone ?? null],
  );
  return rows.length > 0;
}

export async function neighbourhoodTimeZone(q: Queryable, neighbourhoodId: string): Promise<string | undefined> {
  const [row] = await q.query<{ timeZone: string }>('SELECT time_zone AS "timeZone" FROM neighbourhoods WHERE id = $1', [
    neighbourhoodId,
  ]);
  return row?.timeZone;
}

/** Its time zone and whether an operator archived it; undefined for an unknown neighbourhood. */
export async function neighbourhoodState(
  q: Queryable,
  neighbourhoodId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ name: string; timeZone: string; archived: boolean } | undefined> {
  const [row] = await q.query<{ name: string; timeZone: string; archived: boolean }>(
    `SELECT name, time_zone AS "timeZone", archived_at IS NOT NULL AS archived FROM neighbourhoods WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [neighbourhoodId],
  );
  return row;
}

export async function updateNeighbourhood(q: Queryable, neighbourhoodId: string, change: { name: string; timeZone: string }) {
  await q.query('UPDATE neighbourhoods SET name = $2, time_zone = $3 WHERE id = $1', [
    neighbourhoodId,
    change.name,
    change.timeZone,
  ]);
}

/** Resolves false when it was archived already (the first archiving's time stays). */
export async function archiveNeighbourhood(q: Queryable, neighbourhoodId: string): Promise<boolean> {
  const rows = await q.query('UPDATE neighbourhoods SET archived_at = now() WHERE id = $1 AND archived_at IS NULL RETURNING id', [
    neighbourhoodId,
  ]);
  return rows.length > 0;
}

/**
 * Forgets what was kept by the neighbourhood's local days (daily rollups, days found complete,
 * challenges' usual hours by clock hour), after its time zone changed: they are computed again
 * from the readings on the new zone's days. Published utility aggregates stay as published.
 */
export async function forgetLocalDays(q: Queryable, neighbourhoodId: string): Promise<void> {
  const households = 'SELECT h.id FROM households h JOIN streets s ON s.id = h.street_id WHERE s.neighbourhood_id = $1';
  const challenges = 'SELECT id FROM challenges WHERE neighbourhood_id = $1';
  await q.query(`DELETE FROM daily_use WHERE household_id IN (${households})`, [neighbourhoodId]);
  await q.query('DELETE FROM daily_use_verified WHERE neighbourhood_id = $1', [neighbourhoodId]);
  await q.query(`DELETE FROM usual_hours WHERE challenge_id IN (${challenges})`, [neighbourhoodId]);
  await q.query(`DELETE FROM usual_hours_computed WHERE challenge_id IN (${challenges})`, [neighbourhoodId]);
}

export async function listNeighbourhoods(q: Queryable): Promise<{ id: string; timeZone: string }[]> {
  return q.query('SELECT id, time_zone AS "timeZone" FROM neighbourhoods');
}

export interface NeighbourhoodSummary {
  id: string;
  name: string;
  timeZone: string;
  streets: number;
  households: number;
  archived: boolean;
}

/** Every neighbourhood with how many streets and households it has (in no particular order); archived ones only when asked. */
export async function neighbourhoodsWithCounts(
  q: Queryable,
  options: { includeArchived?: boolean } = {},
): Promise<NeighbourhoodSummary[]> {
  return q.query<NeighbourhoodSummary>(
    `SELECT n.id, n.name, n.time_zone AS "timeZone",
            (SELECT count(*)::int FROM streets s WHERE s.neighbourhood_id = n.id) AS streets,
            (SELECT count(*)::int FROM households h JOIN streets s ON s.id = h.street_id WHERE s.neighbourhood_id = n.id) AS households,
            n.archived_at IS NOT NULL AS archived
     FROM neighbourhoods n WHERE $1 OR n.archived_at IS NULL`,
    [options.includeArchived === true],
  );
}

/** The neighbourhood ids that begin with `prefix` (to make a new one unique). */
export async function neighbourhoodIdsStartingWith(q: Queryable, prefix: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>('SELECT id FROM neighbourhoods WHERE starts_with(id, $1)', [prefix]);
  return rows.map((row) => row.id);
}

/** Holds the neighbourhood's row until the transaction ends: its sign-ups then check aliases one after the other. */
export async function lockNeighbourhood(q: Queryable, neighbourhoodId: string): Promise<void> {
  await q.query('SELECT 1 FROM neighbourhoods WHERE id = $1 FOR UPDATE', [neighbourhoodId]);
}

/** Resolves with the ids inserted (with `skipExisting`, those not taken already). */
export async function insertStreets(q: Queryable, streets: readonly Street[], options: InsertOptions = {}): Promise<string[]> {
  if (streets.length === 0) return [];
  const rows = await q.query<{ id: string }>(
    `INSERT INTO streets (id, neighbourhood_id, name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ${onConflict(options)} RETURNING id`,
    [streets.map((s) => s.id), streets.map((s) => s.neighbourhoodId), streets.map((s) => s.name)],
  );
  return rows.map((row) => row.id);
}

export async function streetsOf(q: Queryable, neighbourhoodId: string): Promise<{ id: string; name: string }[]> {
  return q.query('SELECT id, name FROM streets WHERE neighbourhood_id = $1', [neighbourhoodId]);
}

/** The street ids (of any neighbourhood) that begin with `prefix` (to make a new one unique). */
export async function streetIdsStartingWith(q: Queryable, prefix: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>('SELECT id FROM streets WHERE starts_with(id, $1)', [prefix]);
  return rows.map((row) => row.id);
}

export async function streetsWithHouseholdCounts(
  q: Queryable,
  neighbourhoodId: string,
): Promise<{ id: string; name: string; households: number }[]> {
  return q.query(
    `SELECT s.id, s.name, count(h.id)::int AS households FROM streets s LEFT JOIN households h ON h.street_id = s.id
     WHERE s.neighbourhood_id = $1 GROUP BY s.id, s.name ORDER BY s.name`,
    [neighbourhoodId],
  );
}

export async function streetInNeighbourhood(q: Queryable, streetId: string, neighbourhoodId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM streets WHERE id = $1 AND neighbourhood_id = $2', [streetId, neighbourhoodId])).length > 0;
}

/** Resolves false when the neighbourhood has no such street. */
export async function renameStreet(q: Queryable, neighbourhoodId: string, streetId: string, name: string): Promise<boolean> {
  const rows = await q.query('UPDATE streets SET name = $3 WHERE id = $1 AND neighbourhood_id = $2 RETURNING id', [
    streetId,
    neighbourhoodId,
    name,
  ]);
  return rows.length > 0;
}
