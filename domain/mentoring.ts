// What a Friends On Tap mentor sees of its team: how each member is getting on, in words rather
// than figures, and who has gone quiet. Pure rules; api/services/teams.ts loads and calls.
//
// Why bands, not savings: a team's saving weighs its members by their baselines, so a mentor who
// knows its own baseline and saw each member's exact saving beside the team's could solve for the
// others' baselines from a few days' boards. A band says enough to know whom to encourage.
import { addDays, type LocalDate } from '../lib/time.ts';
import type { DayUse } from './scoring.ts';

export const progressBands = ['saving_a_lot', 'saving', 'as_usual', 'using_more'] as const;
export type ProgressBand = (typeof progressBands)[number];

/** From this saving a member is "saving a lot"; within ±AS_USUAL of none it is using as usual. */
export const SAVING_A_LOT = 0.1;
export const AS_USUAL = 0.02;

/** The band of a saving, as shown to a tenth of a percent (1 − 216/240 is 0.0999…: 10.0%, a lot). */
export function progressBand(exactSaving: number): ProgressBand {
  const saving = Math.round(exactSaving * 1000) / 1000;
  if (saving >= SAVING_A_LOT) return 'saving_a_lot';
  if (saving > AS_USUAL) return 'saving';
  return saving >= -AS_USUAL ? 'as_usual' : 'using_more';
}

/** A member whose meters sent nothing for this many whole days is worth a knock on the door. */
export const QUIET_AFTER_DAYS = 3;

/**
 * How many days up to and including `lastDay` in a row have no data (a day without data is one
 * whose readings leave a gap over 6 hours; a date missing from `days` read nothing). Looks back no
 * further than `lookBack` days.
 */
export function daysWithoutData(days: readonly DayUse[], lastDay: LocalDate, lookBack: number): number {
  const withData = new Set(days.filter((day) => day.hasData).map((day) => day.date));
  let count = 0;
  for (let date = lastDay; count < lookBack && !withData.has(date); date = addDays(date, -1)) count++;
  return count;
}
