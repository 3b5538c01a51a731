// What tests look at in the metadata database that the application never asks for itself.
import type { Queryable } from '../database.ts';

export async function householdIdsWithAlias(q: Queryable, alias: string): Promise<string[]> {
  return (await q.query<{ id: string }>('SELECT id FROM households WHERE alias = $1', [alias])).map((row) => row.id);
}

export async function accountEmailsStartingWith(q: Queryable, prefix: string): Promise<string[]> {
  const rows = await q.query<{ email: string }>("SELECT email FROM accounts WHERE email LIKE $1 || '%'", [prefix]);
  return rows.map((row) => row.email);
}

/** The alias of the household whose account signs in with `email`. */
export async function aliasOfAccountHousehold(q: Queryable, email: string): Promise<string[]> {
  const rows = await q.query<{ alias: string }>(
    'SELECT h.alias FROM households h JOIN accounts a ON a.household_id = h.id WHERE a.email = $1',
    [email],
  );
  return rows.map((row) => row.alias);
}

/** The failed sign-ins kept for an email (none once forgotten). */
export async function signInFailuresOf(
  q: Queryable,
  email: string,
): Promise<{ failures: number; firstFailedAt: Date; lockedUntil: Date | null }[]> {
  return q.query(
    `SELECT failures, first_failed_at AS "firstFailedAt", locked_until AS "lockedUntil" FROM sign_in_failures WHERE email = $1`,
    [email],
  );
}

export async function apiTokenHash(q: Queryable, tokenId: string): Promise<string | undefined> {
  const [row] = await q.query<{ hash: string }>('SELECT token_hash AS hash FROM api_tokens WHERE id = $1', [tokenId]);
  return row?.hash;
}

export async function dirtyMarkCount(q: Queryable, householdId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM daily_use_dirty WHERE household_id = $1', [
    householdId,
  ]);
  return row?.n ?? 0;
}

export async function tombstoneCount(q: Queryable): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM erased_meters');
  return row?.n ?? 0;
}

/** A household's memberships as stored, pledges and all (none once it left or was erased). */
export async function membershipRowsOf(q: Queryable, householdId: string): Promise<{ challengeId: string; pledges: string[] }[]> {
  return q.query('SELECT challenge_id AS "challengeId", pledges FROM memberships WHERE household_id = $1 ORDER BY challenge_id', [
    householdId,
  ]);
}

/** The streets invited to a challenge as stored (migration 014), by id. */
export async function streetInvitationsOf(q: Queryable, challengeId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    'SELECT street_id AS id FROM challenge_street_invitations WHERE challenge_id = $1 ORDER BY street_id',
    [challengeId],
  );
  return rows.map((row) => row.id);
}

/** The challenges a household is invited to by itself, as stored (not through its street). */
export async function ownInvitationsOf(q: Queryable, householdId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    'SELECT challenge_id AS id FROM challenge_invitations WHERE household_id = $1 ORDER BY challenge_id',
    [householdId],
  );
  return rows.map((row) => row.id);
}

/** No route deletes a challenge yet: a test deletes its row to see what goes with it. */
export async function deleteChallengeRow(q: Queryable, challengeId: string): Promise<void> {
  await q.query('DELETE FROM challenges WHERE id = $1', [challengeId]);
}

/** A kept day of a household's water use (a rollup row), as the rollups would write it. */
export async function insertWaterDay(q: Queryable, householdId: string, date: string, use: number): Promise<void> {
  await q.query(
    `INSERT INTO daily_use (household_id, kind, date, use, excluded, has_data, computed_at) VALUES ($1, 'water', $2::date, $3, 0, true, now())`,
    [householdId, date, use],
  );
}

/** A neighbourhood's water day marked verified (every household's rollup checked against the store). */
export async function insertVerifiedWaterDay(
  q: Queryable,
  neighbourhoodId: string,
  date: string,
  households: number,
): Promise<void> {
  await q.query(
    `INSERT INTO daily_use_verified (neighbourhood_id, kind, date, households, verified_at) VALUES ($1, 'water', $2::date, $3, now())`,
    [neighbourhoodId, date, households],
  );
}

/** The households with any kept day of use, in order. */
export async function householdsWithKeptDays(q: Queryable): Promise<string[]> {
  return (await q.query<{ id: string }>('SELECT DISTINCT household_id AS id FROM daily_use ORDER BY 1')).map((row) => row.id);
}

/** The verified days kept for a neighbourhood. */
export async function verifiedDaysOf(q: Queryable, neighbourhoodId: string): Promise<string[]> {
  const rows = await q.query<{ date: string }>(
    `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM daily_use_verified WHERE neighbourhood_id = $1 ORDER BY 1`,
    [neighbourhoodId],
  );
  return rows.map((row) => row.date);
}

/** How many invitation codes exist. */
export async function invitationCount(q: Queryable): Promise<number> {
  return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM invitations'))[0]?.n ?? 0;
}

/** The street a household is on. */
export async function streetOfHousehold(q: Queryable, householdId: string): Promise<string | undefined> {
  return (await q.query<{ street: string }>('SELECT street_id AS street FROM households WHERE id = $1', [householdId]))[0]
    ?.street;
}
