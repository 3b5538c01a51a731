// A neighbourhood's organisation: streets, invitation codes, its challenges, and the
// aggregates utility partners read. Creating a challenge is api/schemas/challenges.ts's.
import { z } from 'zod';
import { challengeSchema } from '../../domain/challenge.ts';
import { roles } from '../../domain/people.ts';
import { idSchema, kindSchema, localDateSchema, placeNameSchema } from './common.ts';

export const neighbourhoodParamsSchema = z.object({ neighbourhoodId: idSchema });

export const streetsSchema = z.array(z.object({ id: z.string(), name: z.string(), households: z.number() }));

export const newInvitationSchema = z.object({
  role: z.enum(roles).exclude(['admin']),
  streetId: idSchema.optional(),
  validDays: z.number().int().min(1).max(90).default(14),
});
export type NewInvitation = z.infer<typeof newInvitationSchema>;
export const invitationSchema = z.object({ code: z.string(), expiresAt: z.iso.datetime() });

/** An invitation pack: at most this many letters at a time (a long street; a second pack for more). */
export const INVITATION_LETTERS_MAX = 200;
export const invitationPackSchema = z.object({
  streetId: idSchema.describe('the street the letters are for: each code signs up one home there'),
  letters: z.number().int().min(1).max(INVITATION_LETTERS_MAX).describe('how many letters, each with its own code: one a home'),
  challengeId: idSchema
    .optional()
    .describe(
      'a challenge of the neighbourhood to invite them to: its name, dates and pledges are printed, and the street is invited to it',
    ),
  validDays: z.number().int().min(1).max(90).default(30).describe('how long the codes work: doorstep rounds take weeks'),
});
export type InvitationPackRequest = z.infer<typeof invitationPackSchema>;

export const challengeListingsSchema = z.array(
  challengeSchema.pick({ id: true, name: true, template: true, startsOn: true, endsOn: true, status: true }),
);
export const challengeListingsQuerySchema = z.object({
  include: z.enum(['archived']).optional().describe('archived: archived challenges are listed too (else they are left out)'),
});

const challengeNameSchema = z.object({ challengeId: z.string(), name: z.string() });

export const rosterSchema = z.object({
  households: z
    .array(
      z.object({
        householdId: z.string(),
        alias: z.string(),
        street: z.string(),
        streetId: z.string(),
        challenges: z.array(challengeNameSchema).describe('challenges it joined that have not ended; soonest start first'),
        meters: z.number(),
        metersReading: z.number().describe('of its meters, those with a reading in the last 24 hours'),
        invitedTo: z
          .array(challengeNameSchema)
          .describe('challenges it is invited to (by itself or by its street), has not joined, and that have not ended'),
      }),
    )
    .describe('households that are not private, by street, then alias'),
  privateByStreet: z
    .array(z.object({ street: z.string(), streetId: z.string(), households: z.number() }))
    .describe('how many private households each street has (streets with none are left out), by street'),
});
export type Roster = z.infer<typeof rosterSchema>;

export const aggregatesQuerySchema = z.object({
  kind: kindSchema.default('water'),
  from: localDateSchema,
  to: localDateSchema,
  by: z.enum(['street', 'neighbourhood']).default('street'),
});

/** Why a figure is withheld, as a code a reader's language can word (the `withheld` text is English). */
export const withheldReasons = ['too_few_households', 'dominant_household', 'complementary', 'looser_rule'] as const;
export type WithheldReason = (typeof withheldReasons)[number];

export const aggregatesSchema = z.object({
  kind: kindSchema,
  litresPerPersonPerDayTarget: z.number().nullable().describe('water: the per-person daily aim to compare with; null otherwise'),
  rule: z.object({ minHouseholds: z.number(), maxShare: z.number() }),
  groups: z.array(
    z.object({
      group: z.string(),
      days: z.array(
        z.object({
          date: localDateSchema,
          households: z.number().nullable().describe('null when withheld'),
          total: z.number().nullable(),
          perPersonPerDay: z.number().nullable(),
          withheld: z.string().nullable(),
          withheldReason: z.enum(withheldReasons).nullable().describe('the reason as a code, for wording it in any language'),
        }),
      ),
    }),
  ),
});

// ---- setting up neighbourhoods and streets (operators)

export const neighbourhoodSummariesSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    streets: z.number(),
    households: z.number(),
    archived: z.boolean().describe('archived by an operator: listed only with `include=archived`'),
  }),
);
export const neighbourhoodListingQuerySchema = z.object({
  include: z.enum(['archived']).optional().describe('archived: archived neighbourhoods are listed too (else they are left out)'),
});

/** What a neighbourhood's id may be when an operator chooses it (ids made by OnTap are the same). */
export const NEIGHBOURHOOD_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;

export const newNeighbourhoodSchema = z.object({
  name: placeNameSchema,
  timeZone: z.string().max(64).describe('an IANA time zone, e.g. Europe/London: days are calendar days there'),
  id: z
    .string()
    .regex(NEIGHBOURHOOD_ID_PATTERN, 'expected 2 to 40 lower-case letters, digits or -, beginning with a letter or digit')
    .optional()
    .describe('default: made from the name (lower-case letters, digits and -), numbered when taken'),
});
export type NewNeighbourhood = z.infer<typeof newNeighbourhoodSchema>;
export const createdNeighbourhoodSchema = z.object({ id: z.string(), name: z.string(), timeZone: z.string() });
export type CreatedNeighbourhood = z.infer<typeof createdNeighbourhoodSchema>;

export const neighbourhoodChangeSchema = newNeighbourhoodSchema.pick({ name: true, timeZone: true }).partial();
export type NeighbourhoodChange = z.infer<typeof neighbourhoodChangeSchema>;
export const neighbourhoodSchema = createdNeighbourhoodSchema.extend({ archived: z.boolean() });
export type NeighbourhoodShown = z.infer<typeof neighbourhoodSchema>;

export const streetParamsSchema = neighbourhoodParamsSchema.extend({ streetId: idSchema });
export const streetChangeSchema = z.object({ name: placeNameSchema });
export const streetSchema = z.object({ id: z.string(), name: z.string() });

export const STREETS_PER_REQUEST = 200;
export const newStreetsSchema = z.object({ names: z.array(placeNameSchema).min(1).max(STREETS_PER_REQUEST) });
export const createdStreetsSchema = z.object({
  created: z.array(z.object({ id: z.string(), name: z.string() })),
  existing: z
    .array(z.string())
    .describe(
      'names given that the neighbourhood has already (compared case-insensitively after NFKC), or that the request repeats',
    ),
});
export type CreatedStreets = z.infer<typeof createdStreetsSchema>;
