// The challenges a household is in, as its own page shows them: its standing (never on a board:
// its litres give away its baseline), the rank of whatever the challenge ranks, where the
// challenge is (upcoming, running, finished) on the household's local date, and what it pledged.
// Also the challenges it is invited to and may still join.
import { challengePhase, challengeSchema } from '../../domain/challenge.ts';
import type { HouseholdProfile } from '../../domain/people.ts';
import { knownPledges } from '../../domain/pledges.ts';
import { localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { openInvitationsOf } from '../../storage/metadata/repositories/challenges.ts';
import { joinedChallengesOf } from '../../storage/metadata/repositories/memberships.ts';
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
    const { board, standings } = await leaderboards.get(challengeId);
    const mine = standings.get(household.id);
    const name = challenge.scope === 'households' ? household.alias : challenge.scope === 'teams' ? mine?.team : mine?.street;
    const entry = board.entries.find((e) => e.name === name);
    result.push({
      challengeId: challenge.id,
      name: challenge.name,
      template: challenge.template,
      scope: challenge.scope,
      metric: challenge.metric,
      startsOn: challenge.startsOn,
      endsOn: challenge.endsOn,
      phase: challengePhase(challenge, today),
      status: mine?.status ?? 'not_rated_yet',
      saving: mine?.saving ?? null,
      saved: mine?.saved ?? null,
      team: mine?.team ?? null,
      mentor: entry?.mentor ?? null,
      rank: entry?.rank ?? null,
      of: board.entries.filter((e) => e.rank !== null).length,
      pledges: knownPledges(pledges),
    });
  }
  return result;
}

/**
 * The challenges of its neighbourhood the household was invited to (itself or with its street),
 * has not joined, and that have not ended on its local date: upcoming or running.
 */
export async function householdInvitations(
  db: Database,
  household: Pick<HouseholdProfile, 'id' | 'timeZone'>,
  now: number,
): Promise<HouseholdInvitations> {
  const today = localDate(now, household.timeZone);
  return (await openInvitationsOf(db, household.id, today)).map((invitation) => ({
    ...invitation,
    // Stored as text: checked against the templates OnTap knows.
    template: challengeSchema.shape.template.parse(invitation.template),
    phase: challengePhase(invitation, today) === 'upcoming' ? 'upcoming' : 'running',
  }));
}
