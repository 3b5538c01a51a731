// A household's own data: profile and consent, usage, the challenges it is in, leak warning,
// meter registration, export and erasure.
import { z } from 'zod';
import { baseUnits } from '../../devices/contract/units.ts';
import { challengePhaseSchema, challengeScopeSchema, challengeStatusSchema, entryStatusSchema } from '../../domain/challenge.ts';
import { templateIds } from '../../domain/challenge-templates.ts';
import { usageGranularities } from '../../domain/household-usage.ts';
import { householdProfileSchema } from '../../domain/people.ts';
import { pledgeIdSchema } from '../../domain/pledges.ts';
import { baselineBases } from '../../domain/usual-day.ts';
import { consentSchema, idSchema, kindSchema, localDateSchema, meterIdSchema } from './common.ts';

export const householdParamsSchema = z.object({ householdId: idSchema });

const instantSchema = z.iso.datetime();

export const meterStatusSchema = z
  .object({
    online: z.boolean(),
    battery: z.number().nullable().describe('%, when the meter says'),
    rssi: z.number().nullable().describe('signal, dBm, when the meter says'),
    at: instantSchema.describe('when OnTap received it'),
  })
  .describe(
    "the meter's latest status message (kept at most once a minute while it stays online or offline, and at most 4 a minute however often it goes on- and offline, the latest always kept; a retained one the broker hands out again is not counted); null before its first",
  );

export type MeterStatus = z.infer<typeof meterStatusSchema>;

export const householdSchema = householdProfileSchema.extend({
  meters: z.array(
    z.object({
      id: z.string(),
      kind: kindSchema,
      lastReadingAt: instantSchema.nullable().describe('the time of its latest reading (the reading’s own ts)'),
      status: meterStatusSchema.nullable(),
    }),
  ),
});
export type Household = z.infer<typeof householdSchema>;

export const consentBodySchema = z.object({ consent: consentSchema });

export const usageQuerySchema = z.object({
  kind: kindSchema.default('water'),
  granularity: z.enum(usageGranularities).default('day'),
  from: localDateSchema,
  to: localDateSchema,
});
export type UsageRequest = z.infer<typeof usageQuerySchema>;

export const usageSchema = z.object({
  kind: kindSchema,
  unit: z.enum(baseUnits),
  granularity: z.enum(usageGranularities),
  timeZone: z.string(),
  baselineFrom: localDateSchema,
  baselineTo: localDateSchema,
  baselineBasis: z
    .enum(baselineBases)
    .describe(
      'challenge: the baseline of the challenge of this kind the household is in that runs today; recent: the 28 days ending 7 days before today',
    ),
  baselineChallenge: z.string().nullable().describe('the challenge whose baseline it is'),
  baselinePerDay: z
    .number()
    .nullable()
    .describe('mean daily use over the baseline days with data; null while under 70% of them have data'),
  targetPerDay: z
    .number()
    .nullable()
    .describe("water only: 110 L × occupants, the household's daily equivalent of 110 L/person/day"),
  litresPerPersonPerDay: z
    .number()
    .nullable()
    .describe('water only: over the days of the window that are over (today so far is left out)'),
  litresPerPersonPerDayTarget: z.number().nullable(),
  points: z.array(
    z.object({ start: z.iso.datetime(), date: z.string(), use: z.number(), perPersonPerDay: z.number().nullable() }),
  ),
});
export type UsageReport = z.infer<typeof usageSchema>;

export const todayQuerySchema = z.object({ kind: kindSchema.default('water') });

export const todaySchema = z
  .object({
    kind: kindSchema,
    unit: z.enum(baseUnits),
    asOf: instantSchema,
    soFar: z.number().describe('use since local midnight'),
    usualSoFar: z
      .number()
      .nullable()
      .describe(
        'mean use over the baseline days with data from local midnight to the same local clock time (pro rata within the hour); null without such a day',
      ),
    usualDay: z.number().nullable().describe('the baseline per day, as in …/usage'),
    changeFromUsual: z
      .number()
      .nullable()
      .describe(
        '1 − soFar / usualSoFar: above 0 when less than usual was used by now (0.2: 20% less), below 0 when more; null while usualSoFar is null or 0',
      ),
    lastReadingAt: instantSchema.nullable().describe("the latest reading of the household's meters of this kind"),
  })
  .meta({ id: 'HouseholdToday' });
export type HouseholdToday = z.infer<typeof todaySchema>;
/** The data of the household stream's `today` event. */
export type HouseholdTodayEvent = { kinds: HouseholdToday[] };

export const householdChallengesSchema = z.array(
  z.object({
    challengeId: z.string(),
    name: z.string(),
    template: z.string(),
    scope: challengeScopeSchema,
    metric: kindSchema.describe('what the challenge saves: the unit of `saved` is its base unit (L for water, Wh otherwise)'),
    startsOn: z.string(),
    endsOn: z.string(),
    phase: challengePhaseSchema.describe("today (the household's local date) against startsOn and endsOn"),
    challengeStatus: challengeStatusSchema.describe(
      "the challenge's status (as `status` of GET /api/challenges/:challengeId): its phase, or cancelled or archived (`status` here is the household's standing)",
    ),
    status: entryStatusSchema.describe("the household's standing in it"),
    targetSaving: z.number().nullable().describe("the challenge's target saving (0.1 for 10%); null without one"),
    targetReached: z
      .number()
      .nullable()
      .describe(
        "the saving of all the challenge's shown rated members together (the leaderboard's target.reached), to set against targetSaving; null without a target or before anyone is rated",
      ),
    saving: z.number().nullable(),
    saved: z.number().nullable(),
    team: z.string().nullable(),
    teamId: z
      .string()
      .nullable()
      .describe("its team's id: a mentor reads its team at GET /api/challenges/:challengeId/teams/:teamId/mentoring"),
    mentor: z.string().nullable(),
    mentoring: z.boolean().describe("the household is its team's mentor"),
    rank: z.number().nullable().describe('of the household, its team or its street, as the challenge ranks'),
    of: z.number().describe('how many are ranked'),
    householdRank: z
      .number()
      .nullable()
      .describe("the household's own rank among the challenge's households (as `rank` in a households challenge)"),
    householdsRanked: z.number().describe('how many households are ranked'),
    pledges: z.array(pledgeIdSchema).describe('what the household pledged to do in this challenge'),
  }),
);
export type HouseholdChallenges = z.infer<typeof householdChallengesSchema>;

export const householdInvitationsSchema = z.array(
  z.object({
    challengeId: z.string(),
    name: z.string(),
    template: z.enum(templateIds),
    scope: challengeScopeSchema,
    metric: kindSchema,
    startsOn: localDateSchema,
    endsOn: localDateSchema,
    phase: challengePhaseSchema.describe(
      "today (the household's local date) against startsOn and endsOn: a finished challenge is offered until it is archived (joining one lets its figures count the household's readings of its days)",
    ),
    status: challengeStatusSchema
      .extract(['upcoming', 'running', 'finished'])
      .describe("the challenge's status: cancelled and archived challenges are not offered"),
  }),
);
export type HouseholdInvitations = z.infer<typeof householdInvitationsSchema>;

export const meterRegistrationSchema = z.object({
  meterId: meterIdSchema,
  kind: kindSchema,
  clientId: z
    .string()
    .max(128)
    .optional()
    .describe('only for a device that cannot set its MQTT client id: the one it uses (default: the user name)'),
});
export type MeterRegistration = z.infer<typeof meterRegistrationSchema>;

export const registeredMeterSchema = z.object({
  meterId: z.string(),
  kind: kindSchema,
  mqtt: z.object({
    username: z.string(),
    clientId: z.string().describe('the one client id the broker accepts from this meter: its user name'),
    password: z.string(),
    topic: z.string(),
  }),
});
export type RegisteredMeter = z.infer<typeof registeredMeterSchema>;

export const exportQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') });

export const erasureConfirmationSchema = z.object({ confirm: z.string().max(200) });

const count = z.number();
export const erasureReceiptSchema = z.object({
  erased: z.string(),
  receipt: z.string(),
  erasedAt: z.iso.datetime(),
  metersRevoked: z.array(z.string()).describe('broker accounts of its meters, revoked and disconnected'),
  removed: z
    .object({
      readings: count,
      meterEvents: count,
      deadLetters: count,
      meters: count,
      accounts: count,
      sessions: count,
      apiTokens: count,
      consentChanges: count,
      challengeMemberships: count,
      householdEvents: count,
      dailyUseRows: count,
      usualHoursRows: count.describe("its usual hours in its challenges' baselines"),
      leakMarks: count.describe('its marks on its leak episodes (fixed, expected)'),
    })
    .describe('rows deleted, of each kind'),
  finalSweepAt: z.iso.datetime().describe('when the readings store is swept a last time'),
});
export type ErasureReceipt = z.infer<typeof erasureReceiptSchema>;
