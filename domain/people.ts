// Who takes part and how far they let their data go: the roles an account can have and the
// consent levels a household chooses. Each is listed once; schemas, columns and types derive from it.
import { z } from 'zod';

/** household: their own data; champion: runs challenges in a neighbourhood; utility: aggregates only; admin: all. */
export const roles = ['household', 'champion', 'utility', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * private: only the household sees its data; challenge: also the boards of challenges it joins;
 * research: also (thresholded) aggregates for the utility and open data.
 */
export const consentLevels = ['private', 'challenge', 'research'] as const;
export type Consent = (typeof consentLevels)[number];
export const consentSchema = z.enum(consentLevels);

/**
 * A household with where it lives: what the metadata database returns and what the API shows
 * (with its meters), so the shape is written once, here.
 */
export const householdProfileSchema = z.object({
  id: z.string(),
  alias: z.string(),
  occupants: z.number(),
  consent: consentSchema,
  street: z.string(),
  neighbourhoodId: z.string(),
  timeZone: z.string(),
});
export type HouseholdProfile = z.infer<typeof householdProfileSchema>;
