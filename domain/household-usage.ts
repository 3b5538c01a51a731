// A household's own use as its page shows it: hours or days, days summed into weeks from Monday,
// and litres per person per day, the figure compared with 110. A day counts towards a per-person
// figure once it is over: today so far, divided as a whole day, would look thriftier than it is.
import type { MeterKind } from '../devices/contract/units.ts';
import { addDays, type LocalDate } from '../lib/time.ts';
import { litresPerPersonPerDay } from './scoring.ts';

export const usageGranularities = ['hour', 'day', 'week'] as const;
export type UsageGranularity = (typeof usageGranularities)[number];

/** Use in one hour or day, as the readings store totals it. */
export interface UseBucket {
  /** ISO 8601 instant the bucket starts. */
  start: string;
  date: LocalDate;
  /** Base units (L, Wh). */
  use: number;
}

export interface UsagePoint extends UseBucket {
  /** Water only, over the point's complete days; null for hours, other kinds, or no complete day. */
  perPersonPerDay: number | null;
}

export interface HouseholdUsage {
  points: UsagePoint[];
  /** Litres per person per day over the window's complete days (water only). */
  perPersonPerDay: number | null;
}

export interface UsageRules {
  kind: MeterKind;
  /** What `buckets` hold, hours or days, and what to show: weeks are summed here from days. */
  granularity: UsageGranularity;
  occupants: number;
  /** The last day that is over (yesterday in the household's time zone). */
  lastCompleteDay: LocalDate;
}

export function householdUsage(buckets: readonly UseBucket[], rules: UsageRules): HouseholdUsage {
  const perPerson = (days: readonly UseBucket[]): number | null => {
    if (rules.kind !== 'water') return null;
    const complete = days.filter((day) => day.date <= rules.lastCompleteDay);
    if (complete.length === 0) return null;
    return litresPerPersonPerDay(sumOf(complete) / complete.length, rules.occupants);
  };
  const days = rules.granularity === 'hour' ? sumByDate(buckets) : buckets;
  const points =
    rules.granularity === 'hour'
      ? buckets.map((hour) => ({ ...hour, perPersonPerDay: null }))
      : rules.granularity === 'day'
        ? days.map((day) => ({ ...day, perPersonPerDay: perPerson([day]) }))
        : byWeek(days).map(({ days: week, ...point }) => ({ ...point, perPersonPerDay: perPerson(week) }));
  return { points, perPersonPerDay: perPerson(days) };
}

/** The Monday of a date's week. */
export function mondayOf(date: LocalDate): LocalDate {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

/** Consecutive days into weeks from Monday; a week starts where its first day in the window does. */
function byWeek(days: readonly UseBucket[]): (UseBucket & { days: UseBucket[] })[] {
  const weeks: (UseBucket & { days: UseBucket[] })[] = [];
  for (const day of days) {
    const monday = mondayOf(day.date);
    const last = weeks.at(-1);
    if (last?.date === monday) {
      last.use += day.use;
      last.days.push(day);
    } else weeks.push({ start: day.start, date: monday, use: day.use, days: [day] });
  }
  return weeks;
}

/** Hours into their local dates, in order. */
function sumByDate(hours: readonly UseBucket[]): UseBucket[] {
  const days: UseBucket[] = [];
  for (const hour of hours) {
    const last = days.at(-1);
    if (last?.date === hour.date) last.use += hour.use;
    else days.push({ ...hour });
  }
  return days;
}

const sumOf = (buckets: readonly UseBucket[]) => buckets.reduce((sum, bucket) => sum + bucket.use, 0);
