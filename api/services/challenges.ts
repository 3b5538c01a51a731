// Challenges as organisers and households use them: creating one from a template, changing,
// ending, cancelling and archiving it, inviting, teams, joining and leaving. Leaderboards are
// services/leaderboard.ts.
import { randomUUID } from 'node:crypto';
import { type Challenge, type ChallengeLifecycle, challengePhase, challengeStatus } from '../../domain/challenge.ts';
import { DEFAULT_BASELINE_DAYS, templates } from '../../domain/challenge-templates.ts';
import { knownPledges, type PledgeId } from '../../domain/pledges.ts';
import { addDays, DATE_RANGE, earlierDate, inDateRange, type LocalDate, localDate } from '../../lib/time.ts';
import type { Database, Queryable } from '../../storage/metadata/database.ts';
import {
  countInvited,
  insertChallenge,
  inviteToChallenge,
  isInvited,
  setChallengePublic,
  updateChallenge,
} from '../../storage/metadata/repositories/challenges.ts';
import { insertConsentChange, raiseConsentToChallenge } from '../../storage/metadata/repositories/households.ts';
import { challengeRecord } from '../../storage/metadata/repositories/leaderboard-inputs.ts';
import {
  assignTeam,
  deleteMembership,
  insertMemberships,
  setPledges,
  visibleMembers,
  visibleMembersAmong,
} from '../../storage/metadata/repositories/memberships.ts';
import { insertTeam, teamNameTaken } from '../../storage/metadata/repositories/teams.ts';
import { deleteUsualHoursOfChallenge } from '../../storage/metadata/repositories/usual-hours.ts';
import { badRequest, conflict, HttpError, notFound } from '../http-errors.ts';
import type {
  ChallengeChangeRequest,
  ChallengeRequest,
  EndRequest,
  Invitees,
  Join,
  NewTeam,
  Participation,
  Team,
} from '../schemas/challenges.ts';
import { loadChallenge, loadedChallenge, type ZonedChallenge } from './leaderboard.ts';
import { openNeighbourhood } from './neighbourhoods.ts';

export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Longest challenge or baseline window, in days. */
const MAX_WINDOW_DAYS = 366;
const laterDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
const daysFrom = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

/** A challenge as the API shows it: its status on its neighbourhood's local date, no time zone. */
export function presentChallenge(challenge: ZonedChallenge, now: number): Challenge {
  const { timeZone, lifecycle: _lifecycle, ...shown } = challenge;
  return { ...shown, status: challengeStatus(challenge, localDate(now, timeZone)) };
}

/**
 * The baseline window for a start: each end given at creation stays, a derived one follows the
 * start as creation derives it (to the day before the start, from 28 days back).
 */
function baselineFor(
  startsOn: string,
  given: { baselineFrom?: string | undefined; baselineTo?: string | undefined },
): { baselineFrom: string; baselineTo: string } {
  const baselineTo = given.baselineTo ?? addDays(startsOn, -1);
  return { baselineFrom: given.baselineFrom ?? addDays(baselineTo, -(DEFAULT_BASELINE_DAYS - 1)), baselineTo };
}

/** A challenge from a template, anything given overriding it; the baseline is the 28 days before the start unless given. */
export async function createChallenge(
  db: Database,
  neighbourhoodId: string,
  request: ChallengeRequest,
  createdBy: string | null,
  now: number,
): Promise<Challenge> {
  const template = templates[request.template];
  const startsOn = request.startsOn;
  const endsOn = request.endsOn ?? addDays(startsOn, template.days - 1);
  const { baselineFrom, baselineTo } = baselineFor(startsOn, request);
  checkWindows({ startsOn, endsOn, baselineFrom, baselineTo });
  const timeZone = await openNeighbourhood(db, neighbourhoodId);
  const challenge: Omit<Challenge, 'status'> = {
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
  await insertChallenge(db, {
    ...challenge,
    createdBy,
    baselineFromGiven: request.baselineFrom !== undefined,
    baselineToGiven: request.baselineTo !== undefined,
  });
  return presentChallenge({ ...challenge, lifecycle: 'active', timeZone }, now);
}

// ---- an organiser changing a challenge, ending, cancelling or archiving it. Each locks the
// challenge's row, so two organisers at once are decided one after the other.

const cancelled = (challengeId: string) => conflict(`challenge ${challengeId} was cancelled`, { reason: 'challenge_cancelled' });
const archived = (challengeId: string) => conflict(`challenge ${challengeId} is archived`, { reason: 'challenge_archived' });
const started = (challengeId: string) =>
  conflict(`challenge ${challengeId} has started: only a challenge that has not started can be changed so`, {
    reason: 'challenge_started',
  });

/** A challenge to change, locked until the transaction ends, with the local date of its neighbourhood. */
async function lockedChallenge(tx: Queryable, challengeId: string, now: number) {
  const record = await challengeRecord(tx, challengeId, { forUpdate: true });
  if (!record) throw notFound(`no challenge ${challengeId}`, { reason: 'challenge_unknown' });
  const challenge = loadedChallenge(record);
  const { baselineFromGiven, baselineToGiven } = record;
  return { challenge, baselineFromGiven, baselineToGiven, today: localDate(now, challenge.timeZone) };
}

/** Writes what changed and answers with the challenge as it is now. */
async function saveChallenge(tx: Queryable, challenge: ZonedChallenge, now: number): Promise<Challenge> {
  const { name, targetSaving, startsOn, endsOn, baselineFrom, baselineTo, lifecycle } = challenge;
  await updateChallenge(tx, challenge.id, { name, targetSaving, startsOn, endsOn, baselineFrom, baselineTo, lifecycle });
  return presentChallenge(challenge, now);
}

/**
 * Changes a challenge's name or target (until it is cancelled or archived) and its dates (only
 * before it starts on its neighbourhood's local date; a date equal to the present one is no
 * change). A baseline window derived from the start at creation moves with a new start, as
 * creation derives it; a given one stays. Checked as at creation.
 */
export async function changeChallenge(
  db: Database,
  challengeId: string,
  change: ChallengeChangeRequest,
  now: number,
): Promise<Challenge> {
  return db.transaction(async (tx) => {
    const { challenge, baselineFromGiven, baselineToGiven, today } = await lockedChallenge(tx, challengeId, now);
    if (challenge.lifecycle === 'cancelled') throw cancelled(challengeId);
    if (challenge.lifecycle === 'archived') throw archived(challengeId);
    const startsOn = change.startsOn ?? challenge.startsOn;
    const endsOn = change.endsOn ?? challenge.endsOn;
    const datesChange = startsOn !== challenge.startsOn || endsOn !== challenge.endsOn;
    let windows = { startsOn, endsOn, baselineFrom: challenge.baselineFrom, baselineTo: challenge.baselineTo };
    if (datesChange) {
      if (today >= challenge.startsOn) throw started(challengeId);
      windows = {
        startsOn,
        endsOn,
        ...baselineFor(startsOn, {
          baselineFrom: baselineFromGiven ? challenge.baselineFrom : undefined,
          baselineTo: baselineToGiven ? challenge.baselineTo : undefined,
        }),
      };
      checkWindows(windows);
      // Usual hours are kept over the baseline window: a moved window needs them afresh.
      await deleteUsualHoursOfChallenge(tx, challenge.id);
    }
    return saveChallenge(
      tx,
      {
        ...challenge,
        ...windows,
        name: change.name ?? challenge.name,
        targetSaving: change.targetSaving === undefined ? challenge.targetSaving : change.targetSaving,
      },
      now,
    );
  });
}

/**
 * Ends a running challenge early: its last day becomes `lastDay` (from its first day to its
 * last, not after today), by default yesterday — or today, on its first day (a challenge has at
 * least one day).
 */
export async function endChallenge(db: Database, challengeId: string, request: EndRequest, now: number): Promise<Challenge> {
  return db.transaction(async (tx) => {
    const { challenge, today } = await lockedChallenge(tx, challengeId, now);
    if (challenge.lifecycle === 'cancelled') throw cancelled(challengeId);
    if (challengeStatus(challenge, today) !== 'running')
      throw conflict(`challenge ${challengeId} is not running: only a running challenge can be ended`, {
        reason: 'challenge_not_running',
      });
    const latest = earlierDate(challenge.endsOn, today);
    // On its first day, yesterday is before it: its one day is then today.
    const lastDay = request?.lastDay ?? laterDate(addDays(today, -1), challenge.startsOn);
    if (lastDay < challenge.startsOn || lastDay > latest)
      throw badRequest(`body.lastDay: the last day must be from ${challenge.startsOn} to ${latest}`, {
        reason: 'last_day_out_of_range',
        field: 'lastDay',
      });
    return saveChallenge(tx, { ...challenge, endsOn: lastDay }, now);
  });
}

/** Cancels a challenge that has not started: no longer offered, no board. Cancelling it again changes nothing. */
export async function cancelChallenge(db: Database, challengeId: string, now: number): Promise<Challenge> {
  return setLifecycle(db, challengeId, 'cancelled', now);
}

/** Archives a finished challenge: its board is kept, it leaves the neighbourhood's listing. Archiving it again changes nothing. */
export async function archiveChallenge(db: Database, challengeId: string, now: number): Promise<Challenge> {
  return setLifecycle(db, challengeId, 'archived', now);
}

async function setLifecycle(
  db: Database,
  challengeId: string,
  lifecycle: Exclude<ChallengeLifecycle, 'active'>,
  now: number,
): Promise<Challenge> {
  return db.transaction(async (tx) => {
    const { challenge, today } = await lockedChallenge(tx, challengeId, now);
    if (challenge.lifecycle === lifecycle) return presentChallenge(challenge, now);
    if (lifecycle === 'cancelled') {
      // An archived challenge has finished, so it has started too.
      if (challenge.lifecycle === 'archived' || today >= challenge.startsOn) throw started(challengeId);
    } else {
      if (challenge.lifecycle === 'cancelled') throw cancelled(challengeId);
      if (challengePhase(challenge, today) !== 'finished')
        throw conflict(`challenge ${challengeId} has not finished: only a finished challenge can be archived`, {
          reason: 'challenge_not_finished',
        });
    }
    return saveChallenge(tx, { ...challenge, lifecycle }, now);
  });
}

/** Cancelled and archived challenges take no more invitations, teams or members. */
export function checkOpen(challenge: ZonedChallenge): void {
  if (challenge.lifecycle === 'cancelled') throw cancelled(challenge.id);
  if (challenge.lifecycle === 'archived') throw archived(challenge.id);
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
  checkOpen(challenge);
  await openNeighbourhood(db, challenge.neighbourhoodId);
  return (await inviteToChallenge(db, challenge, whom)).length;
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
  checkOpen(challenge);
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
