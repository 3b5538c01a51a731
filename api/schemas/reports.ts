// A household's monthly water report (issue 15): its month's litres a day against its usual use and
// against similar homes, the cue, its pledges and tips (domain/home-report.ts), as JSON or PDF.
import { z } from 'zod';
import { cues, MONTH_PATTERN, tipIds, tipReasons } from '../../domain/home-report.ts';
import { pledgeIdSchema } from '../../domain/pledges.ts';
import { baselineBases } from '../../domain/usual-day.ts';
import { DATE_RANGE } from '../../lib/time.ts';
import { idSchema, localDateSchema } from './common.ts';

const MONTH_RANGE = { from: DATE_RANGE.from.slice(0, 7), to: DATE_RANGE.to.slice(0, 7) };

export const monthSchema = z
  .string()
  // abort: a month not written YYYY-MM is not also said to be out of range.
  .regex(MONTH_PATTERN, { message: 'use a month written YYYY-MM', abort: true })
  .refine(
    (month) => month >= MONTH_RANGE.from && month <= MONTH_RANGE.to,
    `use a month from ${MONTH_RANGE.from} to ${MONTH_RANGE.to}`,
  );

export const reportParamsSchema = z.object({ householdId: idSchema, month: monthSchema });

const litresPerDay = z.number().nullable();

export const homeReportSchema = z
  .object({
    month: z.string().describe('YYYY-MM, in the neighbourhood’s time zone'),
    alias: z.string(),
    occupants: z.number(),
    timeZone: z.string(),
    firstMonth: z.string().describe('the month of the household’s first water reading: reports start there'),
    currentMonth: z.string().describe('the month it is now: reports end there'),
    from: localDateSchema.describe('the first day counted: the month’s, or the first day with readings'),
    to: localDateSchema.describe(
      'the last day counted: the month’s, or yesterday while it runs (before `from` on its first day)',
    ),
    complete: z.boolean().describe('the month is over'),
    days: z.number().describe('days counted'),
    daysWithData: z.number().describe('of those, days whose readings leave no gap over 6 hours'),
    litresPerDay: litresPerDay.describe('mean over the days with data, whole litres; null while under 70% of the days have data'),
    litresPerPersonPerDay: litresPerDay,
    litresPerPersonPerDayTarget: z.number(),
    baseline: z.object({
      from: localDateSchema,
      to: localDateSchema,
      basis: z
        .enum(baselineBases)
        .describe(
          'challenge: the baseline of the water challenge the household was in on the month’s first day; recent: the 28 days ending 7 days before it',
        ),
      challenge: z.string().nullable(),
      litresPerDay: litresPerDay.describe('whole litres; null while under 70% of its days have data'),
      change: z
        .number()
        .nullable()
        .describe('the month’s use ÷ the baseline − 1: 0.1 is 10% more than usual, −0.1 10% less (to 0.1%)'),
    }),
    similarHomes: z
      .object({
        occupants: z.number().describe('similar homes have as many people'),
        minimumHomes: z.number().describe('a comparison needs at least this many (ONTAP_AGGREGATE_MIN_HOUSEHOLDS)'),
        shown: z.boolean().describe('false: too few similar homes, so no figure'),
        typical: litresPerDay.describe('the median home’s litres a day, to the nearest 10'),
        efficient: litresPerDay.describe('the 20th percentile home’s litres a day, to the nearest 10'),
      })
      .describe(
        'homes of the neighbourhood with as many people that consented to research throughout the days counted (and still do), not this one, each with data on 70% of those days',
      ),
    cue: z
      .enum(cues)
      .nullable()
      .describe('great: at or below the efficient figure; good: at or below typical; above: more; null without a comparison'),
    pledges: z
      .array(z.object({ challenge: z.string(), pledges: z.array(pledgeIdSchema) }))
      .describe('what the household pledged in the challenges it joined that overlap the month'),
    pattern: z.object({
      nightShare: z
        .number()
        .nullable()
        .describe('share of a usual day of the month used from 01:00 to 05:00 (local clock); null without use'),
      eveningPeaks: z.number().describe('evenings (17:00–22:00) with at least twice the month’s middle evening and 100 L more'),
      warmMonth: z.boolean().describe('May to September'),
    }),
    tips: z
      .array(z.object({ id: z.enum(tipIds), reason: z.enum(tipReasons) }))
      .describe(
        'night_use: over 5% at night; garden_peaks: 3 peak evenings in a warm month; high_use_per_person: over 110 L a person; general: to make up two, not already pledged',
      ),
  })
  .meta({ id: 'HomeReport' });
export type HomeReportBody = z.infer<typeof homeReportSchema>;
