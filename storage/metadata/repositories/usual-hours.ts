// Households' usual use by clock hour over a challenge's baseline window (migrations 011 and 012),
// as the API keeps it once computed: for the challenge's members that are not private, until the
// challenge has ended.
import type { Database, Queryable } from '../database.ts';

export interface StoredUsualHours {
  computedAt: Date;
  /** Which members the set was computed for (a hash of their ids: usual-days.ts). */
  membersHash: string;
  /** Household → 24 means, one per local clock hour. */
  hours: Map<string, number[]>;
}

export async function usualHoursOfChallenge(q: Queryable, challengeId: string): Promise<StoredUsualHours | undefined> {
  const [computed] = await q.query<{ computedAt: Date | string; membersHash: string }>(
    'SELECT computed_at AS "computedAt", members_hash AS "membersHash" FROM usual_hours_computed WHERE challenge_id = $1',
    [challengeId],
  );
  if (!computed) return undefined;
  const rows = await q.query<{ householdId: string; hours: number[] }>(
    'SELECT household_id AS "householdId", hours FROM usual_hours WHERE challenge_id = $1',
    [challengeId],
  );
  return {
    computedAt: new Date(computed.computedAt),
    membersHash: computed.membersHash,
    hours: new Map(rows.map((row) => [row.householdId, row.hours.map(Number)])),
  };
}

/** Replaces a challenge's usual hours (one transaction: readers see the old set or the new). */
export async function replaceUsualHours(
  db: Database,
  challengeId: string,
  computed: { computedAt: Date; membersHash: string },
  hours: ReadonlyMap<string, readonly number[]>,
): Promise<void> {
  const ids = [...hours.keys()];
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM usual_hours WHERE challenge_id = $1', [challengeId]);
    // Members that are not private only: one that left, turned private or was erased meanwhile is
    // left out, not an error.
    await tx.query(
      `INSERT INTO usual_hours (challenge_id, household_id, hours)
       SELECT $1, ($2::text[])[i], ($3::float8[])[(i - 1) * 24 + 1 : i * 24] FROM generate_subscripts($2::text[], 1) AS i
       WHERE EXISTS (
         SELECT 1 FROM memberships m JOIN households h ON h.id = m.household_id
         WHERE m.challenge_id = $1 AND m.household_id = ($2::text[])[i] AND h.consent <> 'private'
       )`,
      [challengeId, ids, ids.flatMap((id) => hours.get(id) ?? [])],
    );
    await tx.query(
      `INSERT INTO usual_hours_computed (challenge_id, computed_at, members_hash) VALUES ($1, $2, $3)
       ON CONFLICT (challenge_id) DO UPDATE SET computed_at = excluded.computed_at, members_hash = excluded.members_hash`,
      [challengeId, computed.computedAt, computed.membersHash],
    );
  });
}

/** Drops a challenge's usual hours (it has ended); how many households' rows went. */
export async function deleteUsualHoursOfChallenge(q: Queryable, challengeId: string): Promise<number> {
  const rows = await q.query('DELETE FROM usual_hours WHERE challenge_id = $1 RETURNING household_id', [challengeId]);
  await q.query('DELETE FROM usual_hours_computed WHERE challenge_id = $1', [challengeId]);
  return rows.length;
}

/** Drops the usual hours of households (turned private), or of one household in one challenge (it left). */
export async function deleteUsualHoursOfHouseholds(
  q: Queryable,
  householdIds: readonly string[],
  challengeId?: string,
): Promise<void> {
  await q.query('DELETE FROM usual_hours WHERE household_id = ANY($1::text[]) AND ($2::text IS NULL OR challenge_id = $2)', [
    householdIds,
    challengeId ?? null,
  ]);
}

/** A household's usual hours, per challenge (its export). */
export async function usualHoursOfHousehold(
  q: Queryable,
  householdId: string,
): Promise<{ challengeId: string; hours: number[] }[]> {
  const rows = await q.query<{ challengeId: string; hours: number[] }>(
    'SELECT challenge_id AS "challengeId", hours FROM usual_hours WHERE household_id = $1 ORDER BY challenge_id',
    [householdId],
  );
  return rows.map((row) => ({ challengeId: row.challengeId, hours: row.hours.map(Number) }));
}

/** The challenges that have usual hours kept, with their last day and time zone (to drop ended ones). */
export async function challengesWithUsualHours(q: Queryable): Promise<{ id: string; endsOn: string; timeZone: string }[]> {
  return q.query<{ id: string; endsOn: string; timeZone: string }>(
    `SELECT c.id, to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn", n.time_zone AS "timeZone"
     FROM challenges c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
     WHERE EXISTS (SELECT 1 FROM usual_hours_computed u WHERE u.challenge_id = c.id)`,
  );
}
