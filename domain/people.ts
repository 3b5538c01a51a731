// Who takes part and how far they let their data go: the roles an account can have and the
// consent levels a household chooses. Each is listed once; schemas, columns and types derive from it.

/** household: their own data; champion: runs challenges in a neighbourhood; utility: aggregates only; admin: all. */
export const roles = ['household', 'champion', 'utility', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * private: only the household sees its data; challenge: also the boards of challenges it joins;
 * research: also (thresholded) aggregates for the utility and open data.
 */
export const consentLevels = ['private', 'challenge', 'research'] as const;
export type Consent = (typeof consentLevels)[number];
