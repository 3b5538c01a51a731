// Leak warnings, kept as household events: a leak is open from its leak_raised until a later
// leak_cleared. And households' marks on their leak episodes (migration 017): episodes are found
// from readings; a mark names one by its start.
import type { LeakMark } from '../../../domain/leaks.ts';
import type { Queryable } from '../database.ts';
import { insertHouseholdEvent } from './household-events.ts';

/**
 * Households with an open leak warning: all of them, or those of one neighbourhood; without
 * private households when `withoutPrivate` (a champion's count must tell nothing about them).
 */
export async function householdsWithOpenLeak(
  q: Queryable,
  filter: { neighbourhoodId?: string; withoutPrivate?: boolean } = {},
): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT DISTINCT e.household_id AS id FROM household_events e
     JOIN households h ON h.id = e.household_id JOIN streets s ON s.id = h.street_id
     WHERE e.type = 'leak_raised' AND ($1::text IS NULL OR s.neighbourhood_id = $1) AND NOT ($2 AND h.consent = 'private')
       AND ${STILL_OPEN}`,
    [filter.neighbourhoodId ?? null, filter.withoutPrivate ?? false],
  );
  return rows.map((row) => row.id);
}

/** The leak_raised event `e` has no later leak_cleared. */
const STILL_OPEN = `NOT EXISTS (SELECT 1 FROM household_events c WHERE c.household_id = e.household_id AND c.type = 'leak_cleared' AND c.at > e.at)`;

export async function raiseLeak(q: Queryable, householdId: string, detail = 'no hour without water use in the last 24 hours') {
  await insertHouseholdEvent(q, { householdId, type: 'leak_raised', detail });
}

export async function clearLeak(q: Queryable, householdId: string, detail = 'an hour without water use') {
  await insertHouseholdEvent(q, { householdId, type: 'leak_cleared', detail });
}

/**
 * Each street of the neighbourhood with its households that may be counted (not private), and
 * those of them with an open leak warning. A private household is not even read.
 */
export async function openLeaksByStreet(
  q: Queryable,
  neighbourhoodId: string,
): Promise<{ streetId: string; street: string; households: number; open: string[] }[]> {
  return q.query(
    `SELECT s.id AS "streetId", s.name AS street,
            count(h.id)::int AS households,
            COALESCE(array_agg(h.id ORDER BY h.id) FILTER (WHERE EXISTS (
              SELECT 1 FROM household_events e WHERE e.household_id = h.id AND e.type = 'leak_raised' AND ${STILL_OPEN})), '{}') AS open
     FROM streets s LEFT JOIN households h ON h.street_id = s.id AND h.consent <> 'private'
     WHERE s.neighbourhood_id = $1
     GROUP BY s.id, s.name`,
    [neighbourhoodId],
  );
}

/** Water meters of a household, or of every household of a neighbourhood, with their household. */
export async function waterMetersOf(
  q: Queryable,
  scope: { household: string } | { neighbourhood: string },
): Promise<{ id: string; householdId: string }[]> {
  const [column, id] = 'household' in scope ? ['h.id', scope.household] : ['s.neighbourhood_id', scope.neighbourhood];
  return q.query(
    `SELECT m.id, m.household_id AS "householdId" FROM meters m
     JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id
     WHERE m.kind = 'water' AND ${column} = $1`,
    [id],
  );
}

export interface StoredLeakMark {
  householdId: string;
  episodeStart: Date;
  mark: LeakMark;
  markedAt: Date;
}

/** The marks of these households, oldest episode first. */
export async function leakMarksOf(q: Queryable, householdIds: readonly string[]): Promise<StoredLeakMark[]> {
  if (householdIds.length === 0) return [];
  const rows = await q.query<StoredLeakMark>(
    `SELECT household_id AS "householdId", episode_start AS "episodeStart", mark, marked_at AS "markedAt"
     FROM leak_marks WHERE household_id = ANY($1::text[]) ORDER BY episode_start, household_id`,
    [householdIds],
  );
  return rows.map((row) => ({ ...row, episodeStart: new Date(row.episodeStart), markedAt: new Date(row.markedAt) }));
}

/**
 * The episode that runs from `from` to `to` (null: still running) gets one mark, kept under its
 * start, or none (null). Other marks within it go either way: one kept under a later instant, where
 * the episode started before a back-fill moved its start earlier.
 */
export async function setLeakMark(
  q: Queryable,
  householdId: string,
  episode: { from: Date; to: Date | null },
  mark: LeakMark | null,
): Promise<StoredLeakMark | undefined> {
  await q.query(
    'DELETE FROM leak_marks WHERE household_id = $1 AND episode_start >= $2 AND ($3::timestamptz IS NULL OR episode_start < $3)',
    [householdId, episode.from, episode.to],
  );
  if (mark === null) return undefined;
  const [row] = await q.query<StoredLeakMark>(
    `INSERT INTO leak_marks (household_id, episode_start, mark) VALUES ($1, $2, $3)
     ON CONFLICT (household_id, episode_start) DO UPDATE SET mark = excluded.mark, marked_at = now()
     RETURNING household_id AS "householdId", episode_start AS "episodeStart", mark, marked_at AS "markedAt"`,
    [householdId, episode.from, mark],
  );
  return row && { ...row, episodeStart: new Date(row.episodeStart), markedAt: new Date(row.markedAt) };
}
