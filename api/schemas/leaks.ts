// Leaks: a household's warning now and its episodes over history, its marks on them, and a
// champion's counts per street (docs/leaks.md).
import { z } from 'zod';
import { leakEndings, leakMarks, streetCountWithheldReasons } from '../../domain/leaks.ts';
import { DATE_RANGE } from '../../lib/time.ts';
import { idSchema, localDateSchema } from './common.ts';

const instantSchema = z.iso.datetime();

export const leakSchema = z.object({
  possibleLeak: z
    .boolean()
    .describe('an episode is running now: no clock hour without use, each with data, for 24 hours up to the latest reading'),
  hoursChecked: z.number().describe('of the last 24 clock hours read, those with data'),
  hoursWithoutUse: z.number().describe('of those, the hours without use'),
  since: instantSchema.nullable().describe('the start of the episode running now (…/leaks lists it); null without one'),
  mark: z.enum(leakMarks).nullable().describe("the household's mark on that episode"),
});

/** At most this many days at once (a year and a bit, so a whole year compares with the one before). */
export const LEAK_WINDOW_MAX_DAYS = 400;
export const LEAK_WINDOW_DEFAULT_DAYS = 90;

export const leaksQuerySchema = z.object({
  from: localDateSchema.optional().describe(`first local day (default: ${LEAK_WINDOW_DEFAULT_DAYS - 1} days before \`to\`)`),
  to: localDateSchema.optional().describe("last local day (default: today, the household's local date)"),
});

const moneySchema = z.object({
  amount: z.number().describe("rounded to the currency's minor unit"),
  currency: z.string().describe('ISO 4217'),
});

export const tariffSchema = z
  .object({
    perM3: z.number().describe('per cubic metre (1,000 L), water and sewerage together'),
    currency: z.string().describe('ISO 4217'),
  })
  .describe('the tariff in force (ONTAP_WATER_TARIFF_PER_M3, ONTAP_CURRENCY)');

export const householdLeaksSchema = z.object({
  timeZone: z.string(),
  from: localDateSchema,
  to: localDateSchema,
  tariff: tariffSchema,
  episodes: z
    .array(
      z.object({
        start: instantSchema.describe('the start of its first clock hour with use; names the episode'),
        end: instantSchema
          .nullable()
          .describe('the start of the hour that ended it (endedBy), or where the data stop; null while ongoing'),
        ongoing: z.boolean(),
        endedBy: z
          .enum(leakEndings)
          .nullable()
          .describe(
            'dry_hour: an hour with data and no use; no_data: the meter said nothing for over 6 hours, so whether it went on is unknown; null while ongoing',
          ),
        hours: z.number().describe('clock hours in it'),
        litresLost: z.number().describe('the lowest hourly use within the 24 hours around each of its hours, summed'),
        cost: moneySchema.describe('litresLost at the tariff'),
        mark: z.enum(leakMarks).nullable(),
        markedAt: instantSchema.nullable(),
      }),
    )
    .describe('episodes overlapping the window, whole (one that began before `from` shows its own start), newest first'),
});
export type HouseholdLeaks = z.infer<typeof householdLeaksSchema>;

export const leakMarkParamsSchema = z.object({
  householdId: idSchema,
  start: instantSchema
    .refine((start) => start.slice(0, 10) >= DATE_RANGE.from && start.slice(0, 10) <= DATE_RANGE.to, {
      message: `use an instant from ${DATE_RANGE.from} to ${DATE_RANGE.to}`,
    })
    .describe("an episode's start, as …/leaks gives it"),
});

export const leakMarkBodySchema = z.object({
  mark: z
    .enum(leakMarks)
    .nullable()
    .describe('fixed: it was a leak, now repaired; expected: no leak (watering the garden, filling a pool); null: no mark'),
});

export const leakMarkReceiptSchema = z.object({
  start: instantSchema,
  mark: z.enum(leakMarks).nullable(),
  markedAt: instantSchema.nullable(),
});
export type LeakMarkReceipt = z.infer<typeof leakMarkReceiptSchema>;

export const neighbourhoodLeaksSchema = z.object({
  households: z
    .number()
    .describe('households (not private) with a possible leak now whose running episode they have not marked fixed or expected'),
  minHouseholds: z.number().describe('a street is counted only over at least this many households that are not private'),
  streets: z
    .array(
      z.object({
        streetId: z.string(),
        street: z.string(),
        households: z.number().nullable().describe('as `households`, on this street; null when withheld'),
        withheldReason: z
          .enum(streetCountWithheldReasons)
          .nullable()
          .describe(
            'too_few_households: under minHouseholds; complementary: withheld so that the withheld streets cannot be worked out from the total',
          ),
      }),
    )
    .describe('every street of the neighbourhood, by name'),
});
export type NeighbourhoodLeaks = z.infer<typeof neighbourhoodLeaksSchema>;
