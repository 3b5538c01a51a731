// Challenges as organisers and households use them: creating one from a template, inviting,
// teams, joining and leaving. Leaderboards are services/leaderboard.ts.
import { randomUUID } from 'node:crypto';
import type { Challenge } from '../../domain/challenge.ts';
import { DEFAULT_BASELINE_DAYS, templates } from '../../domain/challenge-templates.ts';
import { knownPledges, type PledgeId } from '../../domain/pledges.ts';
import { addDays, DATE_RANGE, inDateRange } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  countInvited,
  insertChallenge,
  inviteToChallenge,
  isInvited,
  setChallengePublic,
} from '../../storage/metadata/repositories/challenges.ts';
import { insertConsentChange, raiseConsentToChallenge } from '../../storage/metadata/repositories/households.ts';
import {
  assignTeam,
  deleteMembership,
  insertMemberships,
  setPledges,
  visibleMembers,
  visibleMembersAmong,
} from '../../storage/metadata/repositories/memberships.ts';
import { insertTeam, teamNameTaken } from '../../storage/metadata/repositories/teams.ts';
import { badRequest, conflict, HttpError, notFound } from '../http-errors.ts';
import type { ChallengeRequest, Invitees, Join, NewTeam, Participation, Team } from '../schemas/challenges.ts';
import { loadChallenge } from './leaderboard.ts';
import { timeZoneOf } from './neighbourhoods.ts';

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Longest challenge or baseline window, in days. */
const MAX_WINDOW_DAYS = 366;
const daysFrom = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

/** A challenge from a template, anything given overriding it; the baseline is the 28 days before the start unless given. */
export async function createChallenge(
  db: Database,
  neighbourhoodId: string,
  request: ChallengeRequest,
  createdBy: string | null,
): Promise<Challenge> {
  const template = templates[request.template];
  const startsOn = request.startsOn;
  const endsOn = request.endsOn ?? addDays(startsOn, template.days - 1);
  const baselineTo = request.baselineTo ?? addDays(startsOn, -1);
  const baselineFrom = request.baselineFrom ?? addDays(baselineTo, -(DEFAULT_BASELINE_DAYS - 1));
  checkWindows({ startsOn, endsOn, baselineFrom, baselineTo });
  await timeZoneOf(db, neighbourhoodId);
  const challenge: Challenge = {
    id: randomUUID(),
    neighbourhoodId,
    template: request.template,
    name: request.name ?? template.name,
    metric: request.metric ?? template.metric,
    scope: request.scope ?? template.scope,
    startsOn,
    endsOn,
    baselineFrom,
    baselineTo,
    targetSaving: request.targetSaving ?? null,
    public: request.public ?? false,
  };
  await insertChallenge(db, { ...challenge, createdBy });
  return challenge;
}

interface Windows {
  startsOn: string;
  endsOn: string;
  baselineFrom: string;
  baselineTo: string;
}

function checkWindows({ startsOn, endsOn, baselineFrom, baselineTo }: Windows): void {
  if (endsOn < startsOn)
    throw badRequest('body.endsOn: the challenge must not end before it starts', {
      reason: 'ends_before_start',
      field: 'endsOn',
    });
  if (baselineFrom > baselineTo || baselineTo >= startsOn)
    throw badRequest('body.baselineTo: the baseline window must end before the challenge starts', {
      reason: 'baseline_after_start',
      field: 'baselineTo',
    });
  // Dates the template filled in must be as sensible as given ones; a window of years would be a leaderboard nobody can compute.
  if (!inDateRange(endsOn))
    throw badRequest(`body.endsOn: the challenge would end after ${DATE_RANGE.to}`, {
      reason: 'date_out_of_range',
      field: 'endsOn',
    });
  if (!inDateRange(baselineFrom))
    throw badRequest(`body.baselineFrom: the baseline would start before ${DATE_RANGE.from}`, {
      reason: 'date_out_of_range',
      field: 'baselineFrom',
    });
  if (daysFrom(startsOn, endsOn) > MAX_WINDOW_DAYS)
    throw badRequest(`body.endsOn: a challenge lasts at most ${MAX_WINDOW_DAYS} days`, {
      reason: 'challenge_too_long',
      field: 'endsOn',
    });
  if (daysFrom(baselineFrom, baselineTo) > MAX_WINDOW_DAYS)
    throw badRequest(`body.baselineFrom: a baseline covers at most ${MAX_WINDOW_DAYS} days`, {
      reason: 'baseline_too_long',
      field: 'baselineFrom',
    });
}

/** How many households are invited (by themselves or by their street), and the members an organiser may see (not private ones). */
export async function participation(db: Database, challengeId: string): Promise<Participation> {
  const challenge = await loadChallenge(db, challengeId);
  return { invited: await countInvited(db, challenge.id), members: await visibleMembers(db, challenge.id) };
}

export async function setVisibility(db: Database, challengeId: string, isPublic: boolean): Promise<void> {
  await loadChallenge(db, challengeId);
  await setChallengePublic(db, challengeId, isPublic);
}

/**
 * Invites households, whole streets, or every street (the neighbourhood's now) of the challenge's
 * neighbourhood; an invited street stays invited, for households that sign up on it later too.
 * Resolves with how many households this made invited.
 */
export async function invite(db: Database, challengeId: string, whom: Invitees): Promise<number> {
  const challenge = await loadChallenge(db, challengeId);
  return (await inviteToChallenge(db, challenge, whom)).length;
}

/**
 * A Friends On Tap team around a mentor, of members who joined and are not private (a private
 * household is in no view, so it cannot be put in a team, nor its membership probed). The team
 * and its members' places in it are written together.
 */
export async function createTeam(db: Database, challengeId: string, request: NewTeam): Promise<Team> {
  const { name, mentorHouseholdId, householdIds } = request;
  const challenge = await loadChallenge(db, challengeId);
  if (challenge.scope !== 'teams') throw badRequest('this challenge is not played in teams', { reason: 'not_a_team_challenge' });
  if (!householdIds.includes(mentorHouseholdId))
    throw badRequest('body.mentorHouseholdId: the mentor must be one of the team', {
      reason: 'mentor_not_in_team',
      field: 'mentorHouseholdId',
    });
  const id = randomUUID();
  await db
    .transaction(async (tx) => {
      const members = await visibleMembersAmong(tx, challenge.id, householdIds);
      if (members.length !== new Set(householdIds).size)
        throw badRequest('body.householdIds: every team member must have joined the challenge', {
          reason: 'member_not_joined',
          field: 'householdIds',
        });
      if (await teamNameTaken(tx, challenge.id, name))
        throw conflict(`a team called ${name} exists`, { reason: 'team_name_taken', field: 'name' });
      await insertTeam(tx, { id, challengeId: challenge.id, name, mentorHouseholdId });
      await assignTeam(tx, challenge.id, id, householdIds);
    })
    .catch((error: unknown) => {
      // Two organisers naming a team at once: the unique name decides.
      if (isUniqueViolation(error)) throw conflict(`a team called ${name} exists`, { reason: 'team_name_taken', field: 'name' });
      throw error;
    });
  return { id, name };
}

/**
 * Joins an invited household to a challenge, raising its consent to at least `challenge` (and
 * recording that change): all of it or nothing.
 */
export async function joinChallenge(
  db: Database,
  challengeId: string,
  household: { householdId: string; accountId: string | null },
  join: Join = null,
): Promise<string> {
  const challenge = await loadChallenge(db, challengeId);
  const { householdId, accountId } = household;
  await db.transaction(async (tx) => {
    if (!(await isInvited(tx, challenge.id, householdId)))
      throw new HttpError(403, 'not_invited', 'your household has not been invited to this challenge', { reason: 'not_invited' });
    await insertMemberships(tx, challenge.id, [householdId]);
    // Joining again leaves the pledges as they are, unless it names them.
    if (join?.pledges) await setPledges(tx, challenge.id, householdId, knownPledges(join.pledges));
    if (await raiseConsentToChallenge(tx, householdId))
      await insertConsentChange(tx, { householdId, consent: 'challenge', changedBy: accountId });
  });
  return challenge.id;
}

/** Replaces what a member pledges to do; resolves with the pledges as kept (in the list's order). */
export async function changePledges(
  db: Database,
  challengeId: string,
  householdId: string,
  pledges: readonly PledgeId[],
): Promise<PledgeId[]> {
  const kept = knownPledges(pledges);
  if (!(await setPledges(db, challengeId, householdId, kept)))
    throw notFound('your household is not in this challenge', { reason: 'not_a_member' });
  return kept;
}

export async function leaveChallenge(db: Database, challengeId: string, householdId: string): Promise<void> {
  if (!(await deleteMembership(db, challengeId, householdId)))
    throw notFound('your household is not in this challenge', { reason: 'not_a_member' });
}
