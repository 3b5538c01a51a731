// The monthly home water report (issue 15, "Paper that works"): a month's litres a day against the
// home's own usual use and against similar homes nearby, a cue, and tips picked from the home's
// own pattern. Pure: the API's service loads the days, hours, baseline and similar homes' figures.
//
// The cue, and why every home below its similar homes gets an approving one: Schultz et al. (2007,
// "The constructive, destructive, and reconstructive power of social norms", Psychological
// Science 18(5)) told households how much energy their neighbours used (a descriptive norm). Those
// above it cut back, but those below it drifted up towards it: the boomerang. Adding an approving
// face for use below the norm (an injunctive norm: "this is good") kept the low users low. So a
// comparison with other homes is never printed without the cue beside it.
import { addDays, type DateWindow, dateRange, earlierDate, type LocalDate } from '../lib/time.ts';
import type { PledgeId } from './pledges.ts';
import { type Baseline, baselineOf, type DayUse, litresPerPersonPerDay, TARGET_LITRES_PER_PERSON_PER_DAY } from './scoring.ts';
import { clockHours, type HourUse, usualDayOf } from './usual-day.ts';

/** A calendar month in the neighbourhood's time zone, YYYY-MM. */
export type Month = string;
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export const monthOf = (date: LocalDate): Month => date.slice(0, 7);

/** The month's first and last local dates. */
export function monthBounds(month: Month): DateWindow {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  // Day 0 of the next month is the last day of this one.
  return { from: `${month}-01`, to: new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10) };
}

export interface ReportWindow extends DateWindow {
  /** The month is over: every one of its days counts. */
  complete: boolean;
}

/**
 * The days a month's report counts: from its first day (or the home's first day with readings, when
 * later) to its last, or to yesterday while the month runs (today is not over). On the first of the
 * month `to` is before `from`: no day is counted yet.
 */
export function reportWindow(month: Month, today: LocalDate, dataFrom: LocalDate): ReportWindow {
  const { from, to } = monthBounds(month);
  return { from: from > dataFrom ? from : dataFrom, to: earlierDate(to, addDays(today, -1)), complete: to < today };
}

/**
 * A home's use over the window as a baseline is made (scoring.ts): the mean over its days with data,
 * "not rated" under 70% of them. A day missing from `days` is a day without data.
 */
export function useOver(days: readonly DayUse[], window: DateWindow): Baseline {
  if (window.to < window.from) return baselineOf([]);
  const byDate = new Map(days.map((day) => [day.date, day]));
  return baselineOf(dateRange(window.from, window.to).map((date) => byDate.get(date) ?? { date, use: 0, hasData: false }));
}

// ---- similar homes

/** "Typical" is the middle home; "efficient" the home a fifth of the way up (as Opower and WaterSmart print). */
export const TYPICAL_PERCENTILE = 0.5;
export const EFFICIENT_PERCENTILE = 0.2;
/** Similar homes' figures are printed to the nearest this many litres a day. */
export const SIMILAR_HOMES_ROUNDING = 10;

export type SimilarHomes = { shown: true; typical: number; efficient: number } | { shown: false };

/** Nearest rank: the value at rank ⌈p × n⌉ of the values in ascending order (always one of them). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('no values to take a percentile of');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] as number;
}

const roundTo = (value: number, step: number) => Math.round(value / step) * step;

/**
 * The similar homes' typical and efficient litres a day, from at least `minHomes` of them (else
 * none: fewer would come close to one home's figure). Percentiles, not a mean, and rounded: a mean
 * over n homes minus a mean over n − 1 gives the home that left exactly, but a percentile only ever
 * moves to a neighbouring home's figure, which rounding to 10 L blurs.
 */
export function similarHomesFigures(litresPerDay: readonly number[], minHomes: number): SimilarHomes {
  if (litresPerDay.length === 0 || litresPerDay.length < minHomes) return { shown: false };
  return {
    shown: true,
    typical: roundTo(percentile(litresPerDay, TYPICAL_PERCENTILE), SIMILAR_HOMES_ROUNDING),
    efficient: roundTo(percentile(litresPerDay, EFFICIENT_PERCENTILE), SIMILAR_HOMES_ROUNDING),
  };
}

// ---- the cue

/** great: at or below the efficient homes (approving); good: at or below typical (approving); above: more than typical (concerned). */
export const cues = ['great', 'good', 'above'] as const;
export type Cue = (typeof cues)[number];

/** Compares the figures as printed (the home's in whole litres), so the cue agrees with the page. */
export function cueOf(litresPerDay: number, similar: { typical: number; efficient: number }): Cue {
  if (litresPerDay <= similar.efficient) return 'great';
  if (litresPerDay <= similar.typical) return 'good';
  return 'above';
}

// ---- the home's pattern

/** 01:00–05:00: a sleeping home uses next to nothing, so steady use then is how a leak shows. */
export const NIGHT_HOURS = { from: 1, to: 5 } as const;
/** 17:00–22:00: when gardens are watered after work (and when they should be, not at midday). */
export const EVENING_HOURS = { from: 17, to: 22 } as const;
/** May to September, by the neighbourhood's calendar (the northern hemisphere's warm months). */
export const WARM_MONTHS: readonly number[] = [5, 6, 7, 8, 9];
/** Night use above this share of a usual day's is "high": ~12 L in a 250 L home, two flushes every night. */
export const NIGHT_SHARE_HIGH = 0.05;
/**
 * An evening is a peak when it used at least twice the month's middle evening and at least 100 L
 * more (a hose runs 10–15 L a minute); a few of them in a warm month look like a garden.
 */
export const GARDEN_PEAK = { times: 2, litresMore: 100, evenings: 3 } as const;

export interface UsePattern {
  /** Share of a usual day of the window (its days with data) used 01:00–05:00; null without use. */
  nightShare: number | null;
  /** Evenings with a peak (GARDEN_PEAK) among the window's days with data. */
  eveningPeaks: number;
  warmMonth: boolean;
}

const inHours = (hour: number, span: { from: number; to: number }) => hour >= span.from && hour < span.to;

export function usePatternOf(days: readonly DayUse[], hours: readonly HourUse[], timeZone: string, month: Month): UsePattern {
  const { perHour } = usualDayOf(days, hours, timeZone);
  const total = perHour?.reduce((sum, use) => sum + use, 0) ?? 0;
  const night = perHour?.reduce((sum, use, hour) => sum + (inHours(hour, NIGHT_HOURS) ? use : 0), 0) ?? 0;
  // Evenings by the clock, as usual days are read (usual-day.ts).
  const hourOf = clockHours(timeZone);
  const evenings = new Map(days.filter((day) => day.hasData).map((day) => [day.date, 0]));
  for (const hour of hours) {
    const sum = evenings.get(hour.date);
    if (sum !== undefined && inHours(hourOf(hour.start), EVENING_HOURS)) evenings.set(hour.date, sum + hour.use);
  }
  const middle = evenings.size > 0 ? percentile([...evenings.values()], 0.5) : 0;
  const peak = Math.max(GARDEN_PEAK.times * middle, middle + GARDEN_PEAK.litresMore);
  return {
    nightShare: total > 0 ? night / total : null,
    eveningPeaks: [...evenings.values()].filter((use) => use >= peak).length,
    warmMonth: WARM_MONTHS.includes(Number(month.slice(5, 7))),
  };
}

// ---- tips

export const tipIds = [
  'find_leaks',
  'water_garden_wisely',
  'shorter_showers',
  'full_loads',
  'tap_off_brushing',
  'no_prerinse',
] as const;
export type TipId = (typeof tipIds)[number];
/** Why a tip was chosen: a rule the pattern met, or `general` to make up the number. */
export const tipReasons = ['night_use', 'garden_peaks', 'high_use_per_person', 'general'] as const;
export type TipReason = (typeof tipReasons)[number];
export interface Tip {
  id: TipId;
  reason: TipReason;
}

export const MIN_TIPS = 2;
export const MAX_TIPS = 3;
/** Tips for any home, in this order, each left out when the home already pledged it. */
const GENERAL_TIPS = ['full_loads', 'tap_off_brushing', 'no_prerinse'] as const satisfies readonly (TipId & PledgeId)[];

/**
 * The rules, most urgent first: night use (a leak wastes water all day, every day), garden peaks in
 * a warm month, more than 110 L a person (showers are the largest indoor use). Then general tips
 * the home has not pledged, up to two; never more than three in all.
 */
export function tipsFor(pattern: UsePattern, perPersonPerDay: number | null, pledged: readonly PledgeId[]): Tip[] {
  const tips: Tip[] = [];
  if (pattern.nightShare !== null && pattern.nightShare > NIGHT_SHARE_HIGH) tips.push({ id: 'find_leaks', reason: 'night_use' });
  if (pattern.warmMonth && pattern.eveningPeaks >= GARDEN_PEAK.evenings)
    tips.push({ id: 'water_garden_wisely', reason: 'garden_peaks' });
  if (perPersonPerDay !== null && perPersonPerDay > TARGET_LITRES_PER_PERSON_PER_DAY)
    tips.push({ id: 'shorter_showers', reason: 'high_use_per_person' });
  for (const id of GENERAL_TIPS) if (tips.length < MIN_TIPS && !pledged.includes(id)) tips.push({ id, reason: 'general' });
  return tips.slice(0, MAX_TIPS);
}

// ---- the report

export interface HomeReportInput {
  month: Month;
  window: ReportWindow;
  timeZone: string;
  occupants: number;
  /** The home's days in the window (a missing one has no data) and their hours. */
  days: readonly DayUse[];
  hours: readonly HourUse[];
  /** The home's usual litres a day (usual-day.ts); null while not rated. */
  baselinePerDay: number | null;
  /** Litres a day over the same window of each similar home that has a figure (useOver). */
  similarHomes: readonly number[];
  minSimilarHomes: number;
  pledged: readonly PledgeId[];
}

export interface HomeReport {
  days: number;
  daysWithData: number;
  /** Whole litres; null under 70% of the days with data. */
  litresPerDay: number | null;
  litresPerPersonPerDay: number | null;
  /** use ÷ baseline − 1 (0.1: 10% more than usual, −0.1: 10% less), to 0.1%; null without both. */
  changeFromBaseline: number | null;
  similarHomes: SimilarHomes;
  /** Null when there is no comparison (or no figure of the home's own to compare). */
  cue: Cue | null;
  pattern: UsePattern;
  tips: Tip[];
}

export function homeReport(input: HomeReportInput): HomeReport {
  const use = useOver(input.days, input.window);
  const exact = use.status === 'rated' ? use.baseline : null;
  const litresPerDay = exact === null ? null : Math.round(exact);
  const perPerson = exact === null ? null : Math.round(litresPerPersonPerDay(exact, input.occupants));
  const similarHomes = similarHomesFigures(input.similarHomes, input.minSimilarHomes);
  const inWindow = (date: LocalDate) => date >= input.window.from && date <= input.window.to;
  const pattern = usePatternOf(
    input.days.filter((day) => inWindow(day.date)),
    input.hours.filter((hour) => inWindow(hour.date)),
    input.timeZone,
    input.month,
  );
  return {
    days: use.days,
    daysWithData: use.daysWithData,
    litresPerDay,
    litresPerPersonPerDay: perPerson,
    changeFromBaseline:
      exact !== null && input.baselinePerDay !== null && input.baselinePerDay > 0
        ? Math.round((exact / input.baselinePerDay - 1) * 1000) / 1000
        : null,
    similarHomes,
    cue: similarHomes.shown && litresPerDay !== null ? cueOf(litresPerDay, similarHomes) : null,
    pattern: { ...pattern, nightShare: pattern.nightShare === null ? null : Math.round(pattern.nightShare * 1000) / 1000 },
    tips: tipsFor(pattern, perPerson, input.pledged),
  };
}
