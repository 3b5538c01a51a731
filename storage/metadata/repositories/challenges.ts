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
}

export interface ChallengeListing {
  id: string;
  name: string;
  template: string;
  startsOn: string;
  endsOn: string;
}

export async function insertChallenge(q: Queryable, challenge: NewChallenge): Promise<void> {
  await q.query(
    `INSERT INTO challenges (id, neighbourhood_id, template, name, metric, scope, starts_on, ends_on, baseline_from, baseline_to, target_saving, created_by, public)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
    ],
  );
}

/** A neighbourhood's challenges, latest start first. */
export async function challengesOf(q: Queryable, neighbourhoodId: string): Promise<ChallengeListing[]> {
  return q.query<ChallengeListing>(
    `SELECT id, name, template, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
     FROM challenges WHERE neighbourhood_id = $1 ORDER BY starts_on DESC`,
    [neighbourhoodId],
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
 * Invites households of the challenge's neighbourhood, by id or by street (others are ignored);
 * resolves with the ids newly invited.
 */
export async function inviteToChallenge(
  q: Queryable,
  challenge: { id: string; neighbourhoodId: string },
  whom: { householdIds?: readonly string[]; streetIds?: readonly string[] },
): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO challenge_invitations (challenge_id, household_id)
     SELECT $1, h.id FROM households h JOIN streets s ON s.id = h.street_id
     WHERE s.neighbourhood_id = $2 AND (h.id = ANY($3::text[]) OR h.street_id = ANY($4::text[]))
     ON CONFLICT DO NOTHING RETURNING household_id AS id`,
    [challenge.id, challenge.neighbourhoodId, whom.householdIds ?? [], whom.streetIds ?? []],
  );
  return rows.map((row) => row.id);
}

export async function countInvited(q: Queryable, challengeId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM challenge_invitations WHERE challenge_id = $1', [
    challengeId,
  ]);
  return row?.n ?? 0;
}

export async function isInvited(q: Queryable, challengeId: string, householdId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM challenge_invitations WHERE challenge_id = $1 AND household_id = $2', [
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
 * street), has not joined, and that end on `today` or later; soonest start first.
 */
export async function openInvitationsOf(q: Queryable, householdId: string, today: string): Promise<OpenInvitation[]> {
  return q.query<OpenInvitation>(
    `SELECT c.id AS "challengeId", c.name, c.template, c.scope, c.metric,
            to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn"
     FROM challenge_invitations i
     JOIN challenges c ON c.id = i.challenge_id
     JOIN households h ON h.id = i.household_id JOIN streets s ON s.id = h.street_id
     WHERE i.household_id = $1 AND c.neighbourhood_id = s.neighbourhood_id AND c.ends_on >= $2::date
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.challenge_id = c.id AND m.household_id = i.household_id)
     ORDER BY c.starts_on, c.name, c.id`,
    [householdId, today],
  );
}
