// Which households joined which challenge, and in which team.
import type { MeterKind } from '../../../devices/contract/units.ts';
import type { MemberListing } from '../../../domain/challenge.ts';
import type { Queryable } from '../database.ts';
import { deleteUsualHoursOfHouseholds } from './usual-hours.ts';

export interface HouseholdMembership {
  challengeId: string;
  name: string;
  team: string | null;
  joinedAt: Date;
  /** Ids as stored. */
  pledges: string[];
}

export interface HouseholdChallengeDates {
  name: string;
  metric: MeterKind;
  startsOn: string;
  endsOn: string;
  baselineFrom: string;
  baselineTo: string;
}

/** Joins households to a challenge (one statement for any number); joining twice is harmless. */
export async function insertMemberships(q: Queryable, challengeId: string, householdIds: readonly string[]): Promise<void> {
  if (householdIds.length === 0) return;
  await q.query('INSERT INTO memberships (challenge_id, household_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [
    challengeId,
    householdIds,
  ]);
}

/** Whether the household was in the challenge (it is not any more; nor are its usual hours for it). */
export async function deleteMembership(q: Queryable, challengeId: string, householdId: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM memberships WHERE challenge_id = $1 AND household_id = $2 RETURNING challenge_id', [
    challengeId,
    householdId,
  ]);
  await deleteUsualHoursOfHouseholds(q, [householdId], challengeId);
  return rows.length > 0;
}

export async function isMember(q: Queryable, challengeId: string, householdId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM memberships WHERE challenge_id = $1 AND household_id = $2', [
    challengeId,
    householdId,
  ]);
  return rows.length > 0;
}

/** The challenges a household joined, with what it pledged in each (ids as stored). */
export async function joinedChallengesOf(
  q: Queryable,
  householdId: string,
): Promise<{ challengeId: string; pledges: string[] }[]> {
  return q.query('SELECT challenge_id AS "challengeId", pledges FROM memberships WHERE household_id = $1', [householdId]);
}

/** Replaces a member's pledges; resolves false when the household is not in the challenge. */
export async function setPledges(
  q: Queryable,
  challengeId: string,
  householdId: string,
  pledges: readonly string[],
): Promise<boolean> {
  const rows = await q.query(
    'UPDATE memberships SET pledges = $3::text[] WHERE challenge_id = $1 AND household_id = $2 RETURNING challenge_id',
    [challengeId, householdId, pledges],
  );
  return rows.length > 0;
}

/** The dates of the challenges a household joined, cancelled ones left out: which baseline its own page compares with. */
export async function challengeDatesOfHousehold(q: Queryable, householdId: string): Promise<HouseholdChallengeDates[]> {
  return q.query<HouseholdChallengeDates>(
    `SELECT c.name, c.metric, to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn",
            to_char(c.baseline_from, 'YYYY-MM-DD') AS "baselineFrom", to_char(c.baseline_to, 'YYYY-MM-DD') AS "baselineTo"
     FROM memberships m JOIN challenges c ON c.id = m.challenge_id WHERE m.household_id = $1 AND c.status <> 'cancelled'`,
    [householdId],
  );
}

/**
 * What a household pledged in the challenges it joined that overlap `from`…`to` (its monthly
 * report), cancelled ones left out, by start; ids as stored.
 */
export async function pledgesDuring(
  q: Queryable,
  householdId: string,
  from: string,
  to: string,
): Promise<{ challenge: string; pledges: string[] }[]> {
  return q.query(
    `SELECT c.name AS challenge, m.pledges FROM memberships m JOIN challenges c ON c.id = m.challenge_id
     WHERE m.household_id = $1 AND c.status <> 'cancelled' AND c.starts_on <= $3::date AND c.ends_on >= $2::date
       AND cardinality(m.pledges) > 0
     ORDER BY c.starts_on, c.name`,
    [householdId, from, to],
  );
}

/** The challenges a household joined, with names and teams (its export). */
export async function membershipsOfHousehold(q: Queryable, householdId: string): Promise<HouseholdMembership[]> {
  const rows = await q.query<HouseholdMembership>(
    `SELECT m.challenge_id AS "challengeId", c.name, t.name AS team, m.joined_at AS "joinedAt", m.pledges
     FROM memberships m JOIN challenges c ON c.id = m.challenge_id LEFT JOIN teams t ON t.id = m.team_id WHERE m.household_id = $1`,
    [householdId],
  );
  return rows.map((row) => ({ ...row, joinedAt: new Date(row.joinedAt) }));
}

/** Members a champion may see (not private households), by alias. */
export async function visibleMembers(q: Queryable, challengeId: string): Promise<MemberListing[]> {
  return q.query<MemberListing>(
    `SELECT m.household_id AS "householdId", h.alias, s.name AS street, t.name AS team FROM memberships m
     JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id LEFT JOIN teams t ON t.id = m.team_id
     WHERE m.challenge_id = $1 AND h.consent <> 'private' ORDER BY h.alias`,
    [challengeId],
  );
}

/** Which of these households are visible members (joined, not private). */
export async function visibleMembersAmong(q: Queryable, challengeId: string, householdIds: readonly string[]): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT m.household_id AS id FROM memberships m JOIN households h ON h.id = m.household_id
     WHERE m.challenge_id = $1 AND m.household_id = ANY($2::text[]) AND h.consent <> 'private'`,
    [challengeId, householdIds],
  );
  return rows.map((row) => row.id);
}

/** Puts members of the challenge in a team. */
export async function assignTeam(
  q: Queryable,
  challengeId: string,
  teamId: string,
  householdIds: readonly string[],
): Promise<void> {
  await q.query('UPDATE memberships SET team_id = $1 WHERE challenge_id = $2 AND household_id = ANY($3::text[])', [
    teamId,
    challengeId,
    householdIds,
  ]);
}

export async function teamOfMember(q: Queryable, challengeId: string, householdId: string): Promise<string | null | undefined> {
  const [row] = await q.query<{ teamId: string | null }>(
    'SELECT team_id AS "teamId" FROM memberships WHERE challenge_id = $1 AND household_id = $2',
    [challengeId, householdId],
  );
  return row?.teamId;
}

/** Takes out of the team every member not in `kept`: they stay in the challenge, in no team. */
export async function releaseFromTeam(q: Queryable, teamId: string, kept: readonly string[]): Promise<void> {
  await q.query('UPDATE memberships SET team_id = NULL WHERE team_id = $1 AND NOT (household_id = ANY($2::text[]))', [
    teamId,
    kept,
  ]);
}
