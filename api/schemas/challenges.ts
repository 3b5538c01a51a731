// Challenges: creating one (under its neighbourhood), participation, visibility, invitations,
// teams, joining and leaving. The challenge and its leaderboards are domain/challenge.ts's.
import { z } from 'zod';
import { challengeScopeSchema, challengeStatusSchema, entryStatusSchema, memberListingSchema } from '../../domain/challenge.ts';
import { TEAM_SIZE, templateIds } from '../../domain/challenge-templates.ts';
import { AS_USUAL, progressBands, QUIET_AFTER_DAYS, SAVING_A_LOT } from '../../domain/mentoring.ts';
import { pledgeIdSchema, pledgesSchema } from '../../domain/pledges.ts';
import { idSchema, kindSchema, localDateSchema } from './common.ts';

export const challengeParamsSchema = z.object({ challengeId: idSchema });

/** How far back a mentor's view counts days without data. */
export const QUIET_LOOK_BACK_DAYS = 14;

/** A challenge's name: 2 to 80 characters, spaces around it trimmed. */
const challengeNameSchema = z.string().trim().min(2).max(80);
const targetSavingSchema = z.number().gt(0).lt(1);

export const challengeRequestSchema = z.object({
  template: z.enum(templateIds),
  name: challengeNameSchema.optional(),
  metric: kindSchema.optional(),
  scope: challengeScopeSchema.optional(),
  startsOn: localDateSchema,
  endsOn: localDateSchema.optional(),
  baselineFrom: localDateSchema.optional(),
  baselineTo: localDateSchema.optional(),
  targetSaving: targetSavingSchema.optional().describe('e.g. 0.1 for 10%'),
  public: z.boolean().optional().describe('leaderboard readable without signing in (aliases only)'),
});
export type ChallengeRequest = z.infer<typeof challengeRequestSchema>;

export { streamQuerySchema } from './common.ts';

// ---- an organiser changing a challenge, ending, cancelling or archiving it

export const challengeChangeSchema = z
  .object({
    name: challengeNameSchema.optional().describe('until it is cancelled or archived'),
    targetSaving: targetSavingSchema
      .nullable()
      .optional()
      .describe('e.g. 0.1 for 10%; null removes the target; until it is cancelled or archived'),
    startsOn: localDateSchema
      .optional()
      .describe(
        "only before it starts (the neighbourhood's local date); a baseline window derived from the start at creation moves with it",
      ),
    endsOn: localDateSchema.optional().describe("only before it starts (the neighbourhood's local date)"),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'give at least one of name, targetSaving, startsOn and endsOn',
    params: { reason: 'nothing_to_change' },
  });
export type ChallengeChangeRequest = z.infer<typeof challengeChangeSchema>;

export const endSchema = z
  .object({
    lastDay: localDateSchema
      .optional()
      .describe("from startsOn to endsOn, not after today (the neighbourhood's local date); default yesterday"),
  })
  // A request without a body reaches validation as null.
  .nullish()
  .describe('optional: without a body (or lastDay) the last day becomes yesterday');
export type EndRequest = z.infer<typeof endSchema>;

export const participationSchema = z.object({
  invited: z.number().describe('households invited, by themselves or by their street (each once)'),
  members: z.array(memberListingSchema),
});
export type Participation = z.infer<typeof participationSchema>;

export const visibilitySchema = z.object({ public: z.boolean() });

export const inviteesSchema = z.object({
  householdIds: z.array(idSchema).max(10_000).default([]).describe('households of the neighbourhood, each invited by itself'),
  streetIds: z
    .array(idSchema)
    .max(1000)
    .default([])
    .describe('streets of the neighbourhood: a household on one is invited, also one that signs up there later'),
  everyone: z
    .boolean()
    .default(false)
    .describe('every street the neighbourhood has now (a street added later is not invited until it is named)'),
});
export type Invitees = z.infer<typeof inviteesSchema>;
export const invitedSchema = z.object({
  invited: z
    .number()
    .describe('how many households this made invited (not those invited already, by themselves or by their street)'),
});

export const newTeamSchema = z.object({
  name: z.string().trim().min(2).max(60),
  mentorHouseholdId: idSchema,
  householdIds: z.array(idSchema).min(TEAM_SIZE.min).max(TEAM_SIZE.max),
});
export type NewTeam = z.infer<typeof newTeamSchema>;
export const teamSchema = z.object({ id: z.string(), name: z.string() });
export type Team = z.infer<typeof teamSchema>;

export const teamParamsSchema = challengeParamsSchema.extend({ teamId: idSchema });

const teamMemberSchema = z.object({ householdId: z.string(), alias: z.string(), street: z.string() });
export const teamListingSchema = z
  .array(
    teamSchema.extend({
      mentor: teamMemberSchema.nullable().describe('while the mentor is one of the team and not private'),
      members: z.array(teamMemberSchema).describe('members that are not private'),
    }),
  )
  .meta({ id: 'Teams' });
export type TeamListing = z.infer<typeof teamListingSchema>;

export const mentorViewSchema = z
  .object({
    challenge: z.object({ id: z.string(), name: z.string(), status: challengeStatusSchema }),
    team: teamSchema,
    lastDay: localDateSchema.describe(
      "the last day the view counts: yesterday on the neighbourhood's local date, or the challenge's last day once it has ended",
    ),
    members: z.array(
      z.object({
        alias: z.string(),
        street: z.string(),
        mentor: z.boolean(),
        status: entryStatusSchema,
        progress: z
          .enum(progressBands)
          .nullable()
          .describe(
            `in words, not figures (a figure beside the team's would give baselines away): saving_a_lot from ${SAVING_A_LOT * 100}%, saving, as_usual within ±${AS_USUAL * 100}%, using_more; null unless ranked`,
          ),
        pledges: z.array(pledgeIdSchema),
        daysWithoutData: z
          .number()
          .describe(`days in a row up to lastDay whose readings leave a gap over 6 hours (at most ${QUIET_LOOK_BACK_DAYS})`),
        quiet: z.boolean().describe(`no data for ${QUIET_AFTER_DAYS} days or more: worth a knock on the door`),
      }),
    ),
  })
  .meta({ id: 'MentorView' });
export type MentorView = z.infer<typeof mentorViewSchema>;

export const joinSchema = z
  .object({ pledges: pledgesSchema.optional().describe('what the household pledges to do (each once); none unless given') })
  // A request without a body reaches validation as null.
  .nullish()
  .describe('optional: a join without a body pledges nothing');
export type Join = z.infer<typeof joinSchema>;
export const joinedSchema = z.object({ joined: z.string() });
export const pledgesBodySchema = z.object({ pledges: pledgesSchema });
export const leftSchema = z.object({ left: z.string() });
