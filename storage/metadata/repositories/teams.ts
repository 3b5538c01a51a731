// Friends On Tap teams of a challenge, each around a mentor household.
import type { Queryable } from '../database.ts';

export async function insertTeam(
  q: Queryable,
  team: { id: string; challengeId: string; name: string; mentorHouseholdId: string },
): Promise<void> {
  await q.query('INSERT INTO teams (id, challenge_id, name, mentor_household_id) VALUES ($1, $2, $3, $4)', [
    team.id,
    team.challengeId,
    team.name,
    team.mentorHouseholdId,
  ]);
}

export async function teamNameTaken(q: Queryable, challengeId: string, name: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM teams WHERE challenge_id = $1 AND name = $2', [challengeId, name])).length > 0;
}

export async function teamsOf(q: Queryable, challengeId: string): Promise<{ id: string; name: string }[]> {
  return q.query('SELECT id, name FROM teams WHERE challenge_id = $1 ORDER BY name', [challengeId]);
}

export interface TeamRecord {
  id: string;
  name: string;
  mentorHouseholdId: string | null;
}

/** A team of the challenge; undefined when the challenge has none by this id. */
export async function teamRecord(q: Queryable, challengeId: string, teamId: string): Promise<TeamRecord | undefined> {
  const [row] = await q.query<TeamRecord>(
    'SELECT id, name, mentor_household_id AS "mentorHouseholdId" FROM teams WHERE challenge_id = $1 AND id = $2',
    [challengeId, teamId],
  );
  return row;
}

/** The challenge's teams, each with its mentor's id. */
export async function teamRecordsOf(q: Queryable, challengeId: string): Promise<TeamRecord[]> {
  return q.query<TeamRecord>(
    'SELECT id, name, mentor_household_id AS "mentorHouseholdId" FROM teams WHERE challenge_id = $1 ORDER BY name',
    [challengeId],
  );
}

/** Renames a team and names its mentor. */
export async function updateTeam(
  q: Queryable,
  teamId: string,
  change: { name: string; mentorHouseholdId: string },
): Promise<void> {
  await q.query('UPDATE teams SET name = $2, mentor_household_id = $3 WHERE id = $1', [
    teamId,
    change.name,
    change.mentorHouseholdId,
  ]);
}

/** Deletes a team: its members stay in the challenge, in no team (memberships.team_id ON DELETE SET NULL). */
export async function deleteTeam(q: Queryable, teamId: string): Promise<void> {
  await q.query('DELETE FROM teams WHERE id = $1', [teamId]);
}

/** A team's members that are not private, with what they pledged: what its mentor may see. */
export async function visibleTeamMembers(
  q: Queryable,
  teamId: string,
): Promise<{ householdId: string; alias: string; street: string; pledges: string[] }[]> {
  return q.query(
    `SELECT m.household_id AS "householdId", h.alias, s.name AS street, m.pledges FROM memberships m
     JOIN households h ON h.id = m.household_id JOIN streets s ON s.id = h.street_id
     WHERE m.team_id = $1 AND h.consent <> 'private' ORDER BY h.alias`,
    [teamId],
  );
}
