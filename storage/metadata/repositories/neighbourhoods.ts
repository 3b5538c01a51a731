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

export async function listNeighbourhoods(q: Queryable): Promise<{ id: string; timeZone: string }[]> {
  return q.query('SELECT id, time_zone AS "timeZone" FROM neighbourhoods');
}

export interface NeighbourhoodSummary {
  id: string;
  name: string;
  timeZone: string;
  streets: number;
  households: number;
}

/** Every neighbourhood with how many streets and households it has (in no particular order). */
export async function neighbourhoodsWithCounts(q: Queryable): Promise<NeighbourhoodSummary[]> {
  return q.query<NeighbourhoodSummary>(
    `SELECT n.id, n.name, n.time_zone AS "timeZone",
            (SELECT count(*)::int FROM streets s WHERE s.neighbourhood_id = n.id) AS streets,
            (SELECT count(*)::int FROM households h JOIN streets s ON s.id = h.street_id WHERE s.neighbourhood_id = n.id) AS households
     FROM neighbourhoods n`,
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
