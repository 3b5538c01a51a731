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
