// Leak warnings, kept as household events: a leak is open from its leak_raised until a later leak_cleared.
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
       AND NOT EXISTS (SELECT 1 FROM household_events c WHERE c.household_id = e.household_id AND c.type = 'leak_cleared' AND c.at > e.at)`,
    [filter.neighbourhoodId ?? null, filter.withoutPrivate ?? false],
  );
  return rows.map((row) => row.id);
}

export async function raiseLeak(q: Queryable, householdId: string, detail = 'no hour without water use in the last 24 hours') {
  await insertHouseholdEvent(q, { householdId, type: 'leak_raised', detail });
}

export async function clearLeak(q: Queryable, householdId: string, detail = 'an hour without water use') {
  await insertHouseholdEvent(q, { householdId, type: 'leak_cleared', detail });
}
