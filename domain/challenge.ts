// A challenge and its leaderboard as OnTap publishes them. The zod schemas are the validator, the
// type (z.infer) and the API documentation at once, so the three cannot drift apart.
import { z } from 'zod';
import { meterKinds } from '../devices/contract/units.ts';
import { templateIds } from './challenge-templates.ts';

/** What a challenge ranks: single households, Friends On Tap teams, or streets. */
export const challengeScopeSchema = z.enum(['households', 'teams', 'streets']);
export type ChallengeScope = z.infer<typeof challengeScopeSchema>;

const dateSchema = z.iso.date();

/**
 * Where a challenge is: upcoming, running and finished follow from its dates and its
 * neighbourhood's local date; cancelled (before it started) and archived (once finished) are what
 * an organiser decided.
 */
export const challengeStatusSchema = z
  .enum(['upcoming', 'running', 'finished', 'cancelled', 'archived'])
  .describe(
    "upcoming, running or finished by its dates on the neighbourhood's local date; cancelled before it started (no board, not offered); archived once finished (board kept, left out of the neighbourhood's listing)",
  );
export type ChallengeStatus = z.infer<typeof challengeStatusSchema>;

/** What an organiser decided, as stored (migration 015): the rest of a challenge's status follows from its dates. */
export const challengeLifecycleSchema = z.enum(['active', 'cancelled', 'archived']);
export type ChallengeLifecycle = z.infer<typeof challengeLifecycleSchema>;

const challengeFields = z.object({
  id: z.string(),
  neighbourhoodId: z.string(),
  template: z.enum(templateIds),
  name: z.string(),
  metric: z.enum(meterKinds),
  scope: challengeScopeSchema,
  startsOn: dateSchema,
  endsOn: dateSchema,
  baselineFrom: dateSchema,
  baselineTo: dateSchema,
  targetSaving: z.number().nullable(),
  public: z.boolean().describe('the leaderboard (aliases only) is readable without signing in'),
});

export const challengeSchema = challengeFields.extend({ status: challengeStatusSchema }).meta({ id: 'Challenge' });
export type Challenge = z.infer<typeof challengeSchema>;

/** A challenge as stored: its status follows from `lifecycle` and the local date (`challengeStatus`). */
export const storedChallengeSchema = challengeFields.extend({ lifecycle: challengeLifecycleSchema });
export type StoredChallenge = z.infer<typeof storedChallengeSchema>;

/** Where a challenge is on a local date: before its first day, from its first to its last, after. */
export const challengePhaseSchema = z.enum(['upcoming', 'running', 'finished']);
export type ChallengePhase = z.infer<typeof challengePhaseSchema>;

export function challengePhase({ startsOn, endsOn }: Pick<Challenge, 'startsOn' | 'endsOn'>, today: string): ChallengePhase {
  if (today < startsOn) return 'upcoming';
  return today > endsOn ? 'finished' : 'running';
}

/** A challenge's status on a local date: what an organiser decided, else its phase. */
export function challengeStatus(
  challenge: Pick<StoredChallenge, 'startsOn' | 'endsOn' | 'lifecycle'>,
  today: string,
): ChallengeStatus {
  return challenge.lifecycle === 'active' ? challengePhase(challenge, today) : challenge.lifecycle;
}

/**
 * A household that joined, as organisers see it when forming teams (private households are never
 * listed). Not the leaderboard's member (domain/leaderboard.ts), which carries private ones too.
 */
export const memberListingSchema = z.object({
  householdId: z.string(),
  alias: z.string(),
  street: z.string(),
  team: z.string().nullable(),
});
export type MemberListing = z.infer<typeof memberListingSchema>;

/**
 * ranked; not_rated_yet: too few baseline days with data; not_enough_data: too few challenge days
 * with data; too_few_rated: a team or street with too few rated members.
 */
export const entryStatusSchema = z.enum(['ranked', 'not_rated_yet', 'not_enough_data', 'too_few_rated']);
export type EntryStatus = z.infer<typeof entryStatusSchema>;

export const leaderboardEntrySchema = z.object({
  rank: z.number().nullable(),
  name: z.string().describe('alias, team or street name: never an address or a meter id'),
  status: entryStatusSchema,
  saving: z.number().nullable().describe('1 − mean daily use / baseline'),
  saved: z
    .number()
    .nullable()
    .describe(
      "base units (L, Wh) saved so far: teams and streets with at least 5 rated members only (with a saving it gives away a baseline); a household's own is in GET /api/households/:householdId/challenges",
    ),
  members: z.number().optional(),
  ratedMembers: z.number().optional(),
  mentor: z.string().nullable().optional(),
  today: z
    .number()
    .nullable()
    .describe(
      "teams and streets: provisional saving today so far, use since local midnight against the same hours of each contributing member's usual day over the baseline window (members with a baseline, usual hours and data today), in steps of 0.05; null with fewer than 5 contributing members, before 2 hours of the day have gone or when nothing is usual by now; always null on a households board; ranks use complete days only",
    ),
});
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

export const leaderboardSchema = z
  .object({
    challengeId: z.string(),
    scope: challengeScopeSchema,
    completeDays: z.number(),
    lastCompleteDay: dateSchema.nullable(),
    target: z
      .object({
        saving: z.number(),
        reached: z
          .number()
          .nullable()
          .describe(
            "teams and streets challenges: the saving of all shown rated members together (as a group saving); households challenges: the mean of the ranked households' savings (a figure weighted by baselines beside each saving would give baselines away); null before anyone is rated",
          ),
      })
      .nullable(),
    entries: z.array(leaderboardEntrySchema).describe("the board of the challenge's scope"),
    households: z
      .array(leaderboardEntrySchema)
      .nullable()
      .describe(
        "a teams or streets challenge's second board: its households in rank order, without their savings (beside a group's saving, weighted by baselines, a household's saving gives baselines away); null in a households challenge, whose `entries` are that board",
      ),
  })
  .meta({ id: 'Leaderboard' });
export type Leaderboard = z.infer<typeof leaderboardSchema>;

/** What anyone with the link may see: aliases, rank and saving over complete days only. */
export const publicLeaderboardEntrySchema = leaderboardEntrySchema.pick({
  rank: true,
  name: true,
  status: true,
  saving: true,
  mentor: true,
});
export type PublicLeaderboardEntry = z.infer<typeof publicLeaderboardEntrySchema>;

export const publicLeaderboardSchema = leaderboardSchema
  .omit({ entries: true, households: true })
  .extend({ entries: z.array(publicLeaderboardEntrySchema), households: z.array(publicLeaderboardEntrySchema).nullable() });
export type PublicLeaderboard = z.infer<typeof publicLeaderboardSchema>;
