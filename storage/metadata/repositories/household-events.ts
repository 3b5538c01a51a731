// What happened to a household that it should know of: a meter replaced, a leak raised or cleared.
import type { Queryable } from '../database.ts';

export type HouseholdEventType = 'meter_replaced' | 'leak_raised' | 'leak_cleared';

export interface HouseholdEvent {
  type: HouseholdEventType;
  meterId: string | null;
  at: Date;
  detail: string;
}

export async function insertHouseholdEvent(
  q: Queryable,
  event: { householdId: string; type: HouseholdEventType; meterId?: string | null; detail?: string },
): Promise<void> {
  await q.query("INSERT INTO household_events (household_id, meter_id, type, detail) VALUES ($1, $2, $3, COALESCE($4, ''))", [
    event.householdId,
    event.meterId ?? null,
    event.type,
    event.detail ?? null,
  ]);
}

/** A household's events, oldest first. */
export async function householdEventsOf(q: Queryable, householdId: string): Promise<HouseholdEvent[]> {
  const rows = await q.query<HouseholdEvent>(
    'SELECT type, meter_id AS "meterId", at, detail FROM household_events WHERE household_id = $1 ORDER BY at',
    [householdId],
  );
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}
