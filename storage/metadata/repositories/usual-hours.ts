// Households' usual use by clock hour over a challenge's baseline window (migration 011), as the
// API keeps it once computed.
import type { Database, Queryable } from '../database.ts';

export interface StoredUsualHours {
  computedAt: Date;
  /** Household → 24 means, one per local clock hour. */
  hours: Map<string, number[]>;
}

export async function usualHoursOfChallenge(q: Queryable, challengeId: string): Promise<StoredUsualHours | undefined> {
  const [computed] = await q.query<{ computedAt: Date | string }>(
    'SELECT computed_at AS "computedAt" FROM usual_hours_computed WHERE challenge_id = $1',
    [challengeId],
  );
  if (!computed) return undefined;
  const rows = await q.query<{ householdId: string; hours: number[] }>(
    'SELECT household_id AS "householdId", hours FROM usual_hours WHERE challenge_id = $1',
    [challengeId],
  );
  return {
    computedAt: new Date(computed.computedAt),
    hours: new Map(rows.map((row) => [row.householdId, row.hours.map(Number)])),
  };
}

/** Replaces a challenge's usual hours (one transaction: readers see the old set or the new). */
export async function replaceUsualHours(
  db: Database,
  challengeId: string,
  computedAt: Date,
  hours: ReadonlyMap<string, readonly number[]>,
): Promise<void> {
  const ids = [...hours.keys()];
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM usual_hours WHERE challenge_id = $1', [challengeId]);
    // Households of the neighbourhood only: one erased meanwhile is left out, not an error.
    await tx.query(
      `INSERT INTO usual_hours (challenge_id, household_id, hours)
       SELECT $1, ($2::text[])[i], ($3::float8[])[(i - 1) * 24 + 1 : i * 24] FROM generate_subscripts($2::text[], 1) AS i
       WHERE EXISTS (SELECT 1 FROM households WHERE id = ($2::text[])[i])`,
      [challengeId, ids, ids.flatMap((id) => hours.get(id) ?? [])],
    );
    await tx.query(
      `INSERT INTO usual_hours_computed (challenge_id, computed_at) VALUES ($1, $2)
       ON CONFLICT (challenge_id) DO UPDATE SET computed_at = excluded.computed_at`,
      [challengeId, computedAt],
    );
  });
}
