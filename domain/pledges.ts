// What a household may pledge to do when it joins a challenge: a fixed list, each worded by the
// pages from their catalog. Adding one is adding its id here (and its words there).
import { z } from 'zod';

export const pledgeIds = [
  'shorter_showers',
  'tap_off_brushing',
  'full_loads',
  'fix_drips',
  'water_butt',
  'garden_evening',
  'shower_timer',
  'no_prerinse',
] as const;
export type PledgeId = (typeof pledgeIds)[number];

/** At most this many pledges a membership (the column's CHECK says the same). */
export const MAX_PLEDGES = 8;

export const pledgeIdSchema = z.enum(pledgeIds);

/** A membership's pledges: known ids, each once. */
export const pledgesSchema = z
  .array(pledgeIdSchema)
  .max(MAX_PLEDGES)
  .refine((pledges) => new Set(pledges).size === pledges.length, {
    message: 'name each pledge once',
    params: { reason: 'pledge_repeated' },
  });

/** Pledges as kept, in the list's order; an id no longer on the list is left out. */
export function knownPledges(stored: readonly string[]): PledgeId[] {
  return pledgeIds.filter((id) => stored.includes(id));
}
