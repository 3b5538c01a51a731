// Challenges of a neighbourhood, and which households are invited to each.
import type { MeterKind } from '../../../devices/contract/units.ts';
import type { ChallengeScope } from '../../../domain/challenge.ts';
import type { Queryable } from '../database.ts';

export type { ChallengeScope };

export interface NewChallenge {
  id: string;
  neighbourhoodId: string;
  template: string;
  name: string;
  metric: MeterKind;
  scope: ChallengeScope;
  startsOn: string;
  endsOn: string;
  baselineFrom: string;
  baselineTo: string;
  targetSaving?: number | null;
  createdBy?: string | null;
  public?: boolean;
  /**
   * Whether each end of the baseline window was given (else derived from the start, which moves it
   * when the start moves); by default, a window that is not where the start would put it was given.
   */
  baselineFromGiven?: boolean;
  baselineToGiven?: boolean;
}

export interface ChallengeListing {
  id: string;
  name: string;
  template: string;
  startsOn: string;
  endsOn: string;
  /** `challenges.status`: active, cancelled or archived. */
  lifecycle: string;
  /** The neighbourhood's time zone, whose local date decides the rest of its status. */
  timeZone: string;
}

/** What an organiser may change of a challenge (the row locked by challengeRecord's `forUpdate`). */
export interface ChallengeChange {
  name: string;
  targetSaving: number | null;
  startsOn: string;
  endsOn: string;
  baselineFrom: string;
  baselineTo: string;
  lifecycle: 'active' | 'cancelled' | 'archived';
}

export async function insertChallenge(q: Queryable, challenge: NewChallenge): Promise<void> {
  await q.query(
    `INSERT INTO challenges (id, neighbourhood_id, template, name, metric, scope, starts_on, ends_on, baseline_from, baseline_to,
                             target_saving, created_by, public, baseline_from_given, baseline_to_given)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
             coalesce($14, $9::date <> $10::date - 27), coalesce($15, $10::date <> $7::date - 1))`,
    [
      challenge.id,
      challenge.neighbourhoodId,
      challenge.template,
      challenge.name,
      challenge.metric,
      challenge.scope,
      challenge.startsOn,
      challenge.endsOn,
      challenge.baselineFrom,
      challenge.baselineTo,
      challenge.targetSaving ?? null,
      challenge.createdBy ?? null,
      challenge.public ?? false,
      challenge.baselineFromGiven ?? null,
      challenge.baselineToGiven ?? null,
    ],
  );
}

export async function updateChallenge(q: Queryable, challengeId: string, change: ChallengeChange): Promise<void> {
  await q.query(
    `UPDATE challenges SET name = $2, target_saving = $3, starts_on = $4, ends_on = $5, baseline_from = $6, baseline_to = $7, status = $8
     WHERE id = $1`,
    [
      challengeId,
      change.name,
      change.targetSaving,
      change.startsOn,
      change.endsOn,
      change.baselineFrom,
      change.baselineTo,
      change.lifecycle,
    ],
  );
}

/** A neighbourhood's challenges, latest start first; archived ones only when asked for. */
export async function challengesOf(
  q: Queryable,
  neighbourhoodId: string,
  { includeArchived = false }: { includeArchived?: boolean } = {},
): Promise<ChallengeListing[]> {
  return q.query<ChallengeListing>(
    `SELECT c.id, c.name, c.template, to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn",
            c.status AS lifecycle, n.time_zone AS "timeZone"
     FROM challenges c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
     WHERE c.neighbourhood_id = $1 AND ($2 OR c.status <> 'archived')
     ORDER BY c.starts_on DESC, c.name, c.id`,
    [neighbourhoodId, includeArchived],
  );
}

export async function challengeIds(q: Queryable): Promise<string[]> {
  return (await q.query<{ id: string }>('SELECT id FROM challenges')).map((row) => row.id);
}

export async function neighbourhoodOfChallenge(q: Queryable, challengeId: string): Promise<string | undefined> {
  const [row] = await q.query<{ id: string }>('SELECT neighbourhood_id AS id FROM challenges WHERE id = $1', [challengeId]);
  return row?.id;
}

export async function setChallengePublic(q: Queryable, challengeId: string, isPublic: boolean): Promise<void> {
  await q.query('UPDATE challenges SET public = $2 WHERE id = $1', [challengeId, isPublic]);
}

// ---- invitations to a challenge

/**
 * A household is invited to a challenge when it was invited itself (`challenge_invitations`) or
 * its street was (`challenge_street_invitations`, migration 014): a street stays invited, so a
 * household that signs up on it later is invited too. `c` is the challenge, `h` the household.
 */
export const INVITED = `(EXISTS (SELECT 1 FROM challenge_invitations i WHERE i.challenge_id = c.id AND i.household_id = h.id)
   OR EXISTS (SELECT 1 FROM challenge_street_invitations si WHERE si.challenge_id = c.id AND si.street_id = h.street_id))`;

/**
 * Invites households of the challenge's neighbourhood by id, streets of it by id, or `everyone`:
 * every street it has now (ids of another neighbourhood are ignored). Resolves with the households
 * this made invited: not those invited already, by themselves or by their street.
 */
export async function inviteToChallenge(
  q: Queryable,
  challenge: { id: string; neighbourhoodId: string },
  whom: { householdIds?: readonly string[]; streetIds?: readonly string[]; everyone?: boolean },
): Promise<string[]> {
  // One statement: its final SELECT sees the invitations as they were before its inserts.
  const rows = await q.query<{ id: string }>(
    `WITH new_streets AS (
       INSERT INTO challenge_street_invitations (challenge_id, street_id)
       SELECT $1, s.id FROM streets s WHERE s.neighbourhood_id = $2 AND ($5 OR s.id = ANY($4::text[]))
       ON CONFLICT DO NOTHING RETURNING street_id
     ), new_households AS (
       INSERT INTO challenge_invitations (challenge_id, household_id)
       SELECT $1, h.id FROM households h JOIN streets s ON s.id = h.street_id
       WHERE s.neighbourhood_id = $2 AND h.id = ANY($3::text[])
       ON CONFLICT DO NOTHING RETURNING household_id
     )
     SELECT h.id FROM households h
     WHERE (h.id IN (SELECT household_id FROM new_households) OR h.street_id IN (SELECT street_id FROM new_streets))
       AND NOT EXISTS (SELECT 1 FROM challenge_invitations i WHERE i.challenge_id = $1 AND i.household_id = h.id)
       AND NOT EXISTS (SELECT 1 FROM challenge_street_invitations si WHERE si.challenge_id = $1 AND si.street_id = h.street_id)`,
    [challenge.id, challenge.neighbourhoodId, whom.householdIds ?? [], whom.streetIds ?? [], whom.everyone === true],
  );
  return rows.map((row) => row.id);
}

/** How many households are invited, by themselves or by their street (each once). */
export async function countInvited(q: Queryable, challengeId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT household_id FROM challenge_invitations WHERE challenge_id = $1
       UNION
       SELECT h.id FROM challenge_street_invitations si JOIN households h ON h.street_id = si.street_id WHERE si.challenge_id = $1
     ) invited`,
    [challengeId],
  );
  return row?.n ?? 0;
}

export async function isInvited(q: Queryable, challengeId: string, householdId: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM challenges c, households h WHERE c.id = $1 AND h.id = $2 AND ${INVITED}`, [
    challengeId,
    householdId,
  ]);
  return rows.length > 0;
}

export interface OpenInvitation {
  challengeId: string;
  name: string;
  template: string;
  scope: ChallengeScope;
  metric: MeterKind;
  startsOn: string;
  endsOn: string;
}

/**
 * The challenges of the household's neighbourhood it was invited to (by itself or with its
 * street), has not joined, neither cancelled nor archived: those that end on `today` or later
 * first, soonest start first; then finished ones (a champion evidencing a past challenge from
 * meters' backlogs needs each home's consent to count it), latest first.
 */
export async function openInvitationsOf(q: Queryable, householdId: string, today: string): Promise<OpenInvitation[]> {
  return q.query<OpenInvitation>(
    `SELECT c.id AS "challengeId", c.name, c.template, c.scope, c.metric,
            to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn"
     FROM households h JOIN streets s ON s.id = h.street_id JOIN challenges c ON c.neighbourhood_id = s.neighbourhood_id
     WHERE h.id = $1 AND c.status = 'active' AND ${INVITED}
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.challenge_id = c.id AND m.household_id = h.id)
     ORDER BY c.ends_on < $2::date, CASE WHEN c.ends_on < $2::date THEN -(c.starts_on - DATE '2000-01-01') ELSE c.starts_on - DATE '2000-01-01' END, c.name, c.id`,
    [householdId, today],
  );
}
