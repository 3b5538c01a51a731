// Friends On Tap teams: forming, changing and dissolving them (until the challenge is archived,
// so a champion can also form the teams of a past challenge it evidences), and the mentor's view
// of its team.
import { randomUUID } from 'node:crypto';
import { challengeStatus } from '../../domain/challenge.ts';
import { daysWithoutData, progressBand, QUIET_AFTER_DAYS } from '../../domain/mentoring.ts';
import { knownPledges } from '../../domain/pledges.ts';
import { addDays, earlierDate, localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  assignTeam,
  releaseFromTeam,
  visibleMembers,
  visibleMembersAmong,
} from '../../storage/metadata/repositories/memberships.ts';
import {
  deleteTeam,
  insertTeam,
  type TeamRecord,
  teamNameTaken,
  teamRecord,
  teamRecordsOf,
  updateTeam,
  visibleTeamMembers,
} from '../../storage/metadata/repositories/teams.ts';
import { badRequest, conflict, HttpError, notFound } from '../http-errors.ts';
import type { Principal } from '../principal.ts';
import { type MentorView, type NewTeam, QUIET_LOOK_BACK_DAYS, type Team, type TeamListing } from '../schemas/challenges.ts';
import { checkOpen, isUniqueViolation } from './challenges.ts';
import type { DailyUse } from './daily-use.ts';
import { loadChallenge, type ZonedChallenge } from './leaderboard.ts';
import type { Leaderboards } from './leaderboards.ts';

const nameTaken = (name: string) => conflict(`a team called ${name} exists`, { reason: 'team_name_taken', field: 'name' });
const noTeam = (teamId: string) => notFound(`no team ${teamId} in this challenge`, { reason: 'team_unknown' });

/** A challenge whose teams may be changed: played in teams, neither cancelled nor archived. */
async function teamChallenge(db: Database, challengeId: string): Promise<ZonedChallenge> {
  const challenge = await loadChallenge(db, challengeId);
  checkOpen(challenge);
  if (challenge.scope !== 'teams') throw badRequest('this challenge is not played in teams', { reason: 'not_a_team_challenge' });
  return challenge;
}

/**
 * Writes a team (a new one when `teamId` is absent) of members who joined and are not private (a
 * private household is in no view, so it cannot be put in a team, nor its membership probed),
 * around a mentor who is one of them. A member of another team moves to this one; a member left
 * out of a changed team stays in the challenge, in no team. All of it or nothing.
 */
async function writeTeam(db: Database, challenge: ZonedChallenge, request: NewTeam, teamId?: string): Promise<Team> {
  const { name, mentorHouseholdId, householdIds } = request;
  if (!householdIds.includes(mentorHouseholdId))
    throw badRequest('body.mentorHouseholdId: the mentor must be one of the team', {
      reason: 'mentor_not_in_team',
      field: 'mentorHouseholdId',
    });
  const id = teamId ?? randomUUID();
  await db
    .transaction(async (tx) => {
      const existing = teamId === undefined ? undefined : await teamRecord(tx, challenge.id, teamId);
      if (teamId !== undefined && !existing) throw noTeam(teamId);
      const members = await visibleMembersAmong(tx, challenge.id, householdIds);
      if (members.length !== new Set(householdIds).size)
        throw badRequest('body.householdIds: every team member must have joined the challenge', {
          reason: 'member_not_joined',
          field: 'householdIds',
        });
      if (existing?.name !== name && (await teamNameTaken(tx, challenge.id, name))) throw nameTaken(name);
      if (existing) {
        await updateTeam(tx, id, { name, mentorHouseholdId });
        await releaseFromTeam(tx, id, householdIds);
      } else await insertTeam(tx, { id, challengeId: challenge.id, name, mentorHouseholdId });
      await assignTeam(tx, challenge.id, id, householdIds);
    })
    .catch((error: unknown) => {
      // Two organisers naming a team at once: the unique name decides.
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    });
  return { id, name };
}

export async function createTeam(db: Database, challengeId: string, request: NewTeam): Promise<Team> {
  return writeTeam(db, await teamChallenge(db, challengeId), request);
}

export async function changeTeam(db: Database, challengeId: string, teamId: string, request: NewTeam): Promise<Team> {
  return writeTeam(db, await teamChallenge(db, challengeId), request, teamId);
}

/** Dissolves a team: its members stay in the challenge, in no team. */
export async function dissolveTeam(db: Database, challengeId: string, teamId: string): Promise<void> {
  const challenge = await teamChallenge(db, challengeId);
  if (!(await teamRecord(db, challenge.id, teamId))) throw noTeam(teamId);
  await deleteTeam(db, teamId);
}

/** The challenge's teams with their members that are not private (the mentor too while it is one of them). */
export async function teamsOf(db: Database, challengeId: string): Promise<TeamListing> {
  const challenge = await loadChallenge(db, challengeId);
  const [teams, members] = await Promise.all([teamRecordsOf(db, challenge.id), visibleMembers(db, challenge.id)]);
  const byTeam = Map.groupBy(
    members.filter((member) => member.team !== null),
    (member) => member.team as string,
  );
  return teams.map((team) => {
    const inTeam = (byTeam.get(team.name) ?? []).map(({ householdId, alias, street }) => ({ householdId, alias, street }));
    return {
      id: team.id,
      name: team.name,
      mentor: inTeam.find((member) => member.householdId === team.mentorHouseholdId) ?? null,
      members: inTeam,
    };
  });
}

/**
 * What a team's mentor sees (organisers too): each member that is not private, how it is getting
 * on in words (domain/mentoring.ts), what it pledged, and how many days it has had no data.
 */
export async function mentorView(
  { db, dailyUse, leaderboards }: { db: Database; dailyUse: DailyUse; leaderboards: Leaderboards },
  challengeId: string,
  teamId: string,
  principal: Principal | null,
  now: number,
): Promise<MentorView> {
  const challenge = await loadChallenge(db, challengeId);
  const team: TeamRecord | undefined = await teamRecord(db, challenge.id, teamId);
  if (!team) throw noTeam(teamId);
  if (principal?.role === 'household' && principal.householdId !== team.mentorHouseholdId)
    throw new HttpError(403, 'forbidden', "only the team's mentor or an organiser sees this", { reason: 'not_the_mentor' });
  const today = localDate(now, challenge.timeZone);
  const lastDay = earlierDate(addDays(today, -1), challenge.endsOn);
  const members = await visibleTeamMembers(db, team.id);
  const standings = challenge.lifecycle === 'cancelled' ? null : (await leaderboards.get(challenge.id)).standings;
  const days = await dailyUse.byHousehold(
    challenge.neighbourhoodId,
    challenge.metric,
    addDays(lastDay, -(QUIET_LOOK_BACK_DAYS - 1)),
    lastDay,
    challenge.timeZone,
  );
  return {
    challenge: { id: challenge.id, name: challenge.name, status: challengeStatus(challenge, today) },
    team: { id: team.id, name: team.name },
    lastDay,
    members: members.map((member) => {
      const standing = standings?.get(member.householdId);
      const quietDays = daysWithoutData(days.get(member.householdId) ?? [], lastDay, QUIET_LOOK_BACK_DAYS);
      return {
        alias: member.alias,
        street: member.street,
        mentor: member.householdId === team.mentorHouseholdId,
        status: standing?.status ?? 'not_rated_yet',
        progress: standing?.status === 'ranked' && standing.saving !== null ? progressBand(standing.saving) : null,
        pledges: knownPledges(member.pledges),
        daysWithoutData: quietDays,
        quiet: quietDays >= QUIET_AFTER_DAYS,
      };
    }),
  };
}
