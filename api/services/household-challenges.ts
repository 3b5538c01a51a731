// The challenges a household is in, as its own page shows them: its standing (never on a board:
// its litres give away its baseline), the rank of whatever the challenge ranks, where the
// challenge is (upcoming, running, finished) on the household's local date and its status (also
// cancelled or archived), its target and how far all its members together are, and what it
// pledged. Also the challenges it is invited to and may still join.
import { challengePhase, challengeSchema, challengeStatus } from '../../domain/challenge.ts';
import type { HouseholdProfile } from '../../domain/people.ts';
import { knownPledges } from '../../domain/pledges.ts';
import { localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { openInvitationsOf } from '../../storage/metadata/repositories/challenges.ts';
import { joinedChallengesOf } from '../../storage/metadata/repositories/memberships.ts';
import { HttpError } from '../http-errors.ts';
import type { HouseholdChallenges, HouseholdInvitations } from '../schemas/households.ts';
import { loadChallenge } from './leaderboard.ts';
import type { Leaderboards } from './leaderboards.ts';

export async function householdChallenges(
  { db, leaderboards }: { db: Database; leaderboards: Leaderboards },
  household: Pick<HouseholdProfile, 'id' | 'alias' | 'timeZone'>,
  now: number,
): Promise<HouseholdChallenges> {
  const today = localDate(now, household.timeZone);
  const result: HouseholdChallenges = [];
  for (const { challengeId, pledges } of await joinedChallengesOf(db, household.id)) {
    const challenge = await loadChallenge(db, challengeId);
    // A cancelled challenge has no board: it is listed with its status, and no standing.
    const computed =
      challenge.lifecycle === 'cancelled'
        ? null
        : await leaderboards.get(challengeId).catch((error: unknown) => {
            // Cancelled since it was loaded.
            if (error instanceof HttpError && error.detail?.reason === 'challenge_cancelled') return null;
            throw error;
          });
    const board = computed?.board;
    const mine = computed?.standings.get(household.id);
    const name = challenge.scope === 'households' ? household.alias : challenge.scope === 'teams' ? mine?.team : mine?.street;
    const entry = board?.entries.find((e) => e.name === name);
    // Its own place among the challenge's households: aliases are unique in a neighbourhood.
    const households = board?.households ?? board?.entries ?? [];
    const own = households.find((e) => e.name === household.alias);
    result.push({
      challengeId: challenge.id,
      name: challenge.name,
      template: challenge.template,
      scope: challenge.scope,
      metric: challenge.metric,
      startsOn: challenge.startsOn,
      endsOn: challenge.endsOn,
      phase: challengePhase(challenge, today),
      challengeStatus: challengeStatus(challenge, today),
      status: mine?.status ?? 'not_rated_yet',
      targetSaving: challenge.targetSaving,
      targetReached: board?.target?.reached ?? null,
      saving: mine?.saving ?? null,
      saved: mine?.saved ?? null,
      team: mine?.team ?? null,
      teamId: mine?.teamId ?? null,
      mentoring: mine?.mentors ?? false,
      mentor: entry?.mentor ?? null,
      rank: entry?.rank ?? null,
      of: ranked(board?.entries),
      householdRank: own?.rank ?? null,
      householdsRanked: ranked(households),
      pledges: knownPledges(pledges),
    });
  }
  return result;
}

const ranked = (entries: readonly { rank: number | null }[] = []) => entries.filter((e) => e.rank !== null).length;

/**
 * The challenges of its neighbourhood the household was invited to (itself or with its street),
 * has not joined, neither cancelled nor archived: upcoming, running, or finished (a past
 * challenge a champion evidences from meters' backlogs).
 */
export async function householdInvitations(
  db: Database,
  household: Pick<HouseholdProfile, 'id' | 'timeZone'>,
  now: number,
): Promise<HouseholdInvitations> {
  const today = localDate(now, household.timeZone);
  return (await openInvitationsOf(db, household.id, today)).map((invitation) => {
    const phase = challengePhase(invitation, today);
    return {
      ...invitation,
      // Stored as text: checked against the templates OnTap knows.
      template: challengeSchema.shape.template.parse(invitation.template),
      phase,
      // Cancelled and archived challenges are not offered: the status is the phase.
      status: phase,
    };
  });
}
