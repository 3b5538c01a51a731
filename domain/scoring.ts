// Challenge scoring (docs/scoring.md). Pure functions over daily use; the
// API fetches the days from the ReadingStore and hands them here.
import type { LocalDate } from '../lib/time.ts';

export interface DayUse {
  date: LocalDate;
  /** Use that day in base units (litres, Wh). */
  use: number;
  /** The day's readings leave no gap over 6 hours. */
  hasData: boolean;
}

/** A household needs data on at least this share of baseline days to be rated, and of challenge days to be ranked. */
export const DATA_SHARE_REQUIRED = 0.7;
export const MIN_RATED_STREET_HOUSEHOLDS = 5;
export const MIN_RATED_TEAM_HOUSEHOLDS = 2;

export type Baseline =
  | { status: 'rated'; baseline: number; daysWithData: number; days: number }
  | { status: 'not_rated_yet'; daysWithData: number; days: number };

/** What the rules need of a window of days: how many, how many with data, their use. */
export interface WindowSummary {
  days: number;
  daysWithData: number;
  /** Σ use over the days with data. */
  totalWithData: number;
}

export function summarize(days: readonly DayUse[]): WindowSummary {
  let daysWithData = 0;
  let totalWithData = 0;
  for (const day of days) {
    if (!day.hasData) continue;
    daysWithData++;
    totalWithData += day.use;
  }
  return { days: days.length, daysWithData, totalWithData };
}

/** Mean daily use over the baseline days that have data; "not rated yet" under 70% of days with data. */
export function baselineOf(days: readonly DayUse[]): Baseline {
  return baselineFromSummary(summarize(days));
}

export function baselineFromSummary({ days, daysWithData, totalWithData }: WindowSummary): Baseline {
  if (days === 0 || daysWithData === 0 || daysWithData < DATA_SHARE_REQUIRED * days)
    return { status: 'not_rated_yet', daysWithData, days };
  return { status: 'rated', baseline: totalWithData / daysWithData, daysWithData, days };
}

export interface HouseholdProgress {
  baseline: Baseline;
  /** Complete challenge days so far. */
  daysSoFar: number;
  /** Of those, the days with data: the ones that count. */
  daysCounted: number;
  /** Rated (baseline) and data on at least 70% of the challenge days so far. */
  rated: boolean;
  /** 1 − mean use / baseline over counted days; undefined when there is nothing to compare. */
  saving?: number;
  /** Σ (baseline − use) over counted days. */
  saved?: number;
  meanUse?: number;
}

export function householdProgress(baseline: Baseline, challengeDays: readonly DayUse[]): HouseholdProgress {
  return progressFromSummary(baseline, summarize(challengeDays));
}

export function progressFromSummary(baseline: Baseline, challenge: WindowSummary): HouseholdProgress {
  const progress: HouseholdProgress = {
    baseline,
    daysSoFar: challenge.days,
    daysCounted: challenge.daysWithData,
    rated: baseline.status === 'rated' && challenge.days > 0 && challenge.daysWithData >= DATA_SHARE_REQUIRED * challenge.days,
  };
  if (baseline.status === 'rated' && challenge.daysWithData > 0 && baseline.baseline > 0) {
    progress.meanUse = challenge.totalWithData / challenge.daysWithData;
    progress.saving = 1 - progress.meanUse / baseline.baseline;
    progress.saved = baseline.baseline * challenge.daysWithData - challenge.totalWithData;
  }
  return progress;
}

export type GroupSaving =
  | { status: 'rated'; saving: number; saved: number; ratedMembers: number; members: number }
  | { status: 'too_few_rated'; ratedMembers: number; members: number; required: number };

/**
 * A team's or street's saving: Σ litres saved / Σ (baseline × days counted) over its rated
 * members, so large and small households weigh by their use.
 */
export function groupSaving(members: readonly HouseholdProgress[], required: number): GroupSaving {
  const rated = members.filter((member) => member.rated && member.baseline.status === 'rated');
  if (rated.length < required) return { status: 'too_few_rated', ratedMembers: rated.length, members: members.length, required };
  let saved = 0;
  let expected = 0;
  for (const member of rated) {
    saved += member.saved ?? 0;
    expected += (member.baseline.status === 'rated' ? member.baseline.baseline : 0) * member.daysCounted;
  }
  return {
    status: 'rated',
    saving: expected > 0 ? saved / expected : 0,
    saved,
    ratedMembers: rated.length,
    members: members.length,
  };
}

export interface Contender {
  name: string;
  /** Undefined when the contender is not rated ("not enough data", "not rated yet", too few members). */
  saving?: number;
  saved?: number;
}

export interface Placing<T extends Contender> {
  contender: T;
  /** 1-based; equal saving and amount saved share a rank. Undefined when unranked. */
  rank?: number;
}

/** Saving descending, ties by amount saved, then by name; the unrated are listed after, unranked, by name. */
export function rank<T extends Contender>(contenders: readonly T[]): Placing<T>[] {
  const byName = (a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const ranked = contenders
    .filter((c) => c.saving !== undefined)
    .sort((a, b) => (b.saving as number) - (a.saving as number) || (b.saved ?? 0) - (a.saved ?? 0) || byName(a, b));
  const placings: Placing<T>[] = [];
  ranked.forEach((contender, index) => {
    const previous = placings[index - 1];
    const tied =
      previous && previous.contender.saving === contender.saving && (previous.contender.saved ?? 0) === (contender.saved ?? 0);
    placings.push({ contender, rank: tied ? previous.rank : index + 1 });
  });
  for (const contender of contenders.filter((c) => c.saving === undefined).sort(byName)) placings.push({ contender });
  return placings;
}

/** The leak rule's span: this many consecutive clock hours, each with some use. */
export const LEAK_RULE_HOURS = 24;
/** An hour that counts towards a leak: some water went through the meter. */
export const hadUse = (use: number): boolean => use > 0;

/**
 * Possible leak (the rule smart water meters use): the water meter has not had one clock hour without
 * consumption within the last 24 hours. `hourlyUse` holds the last 24 complete clock hours.
 * Leak episodes over history (domain/leaks.ts) apply the same rule to every stretch of hours.
 */
export function possibleLeak(hourlyUse: readonly number[]): boolean {
  return hourlyUse.length >= LEAK_RULE_HOURS && hourlyUse.slice(-LEAK_RULE_HOURS).every(hadUse);
}

/** Litres per person per day, the figure compared with 110. */
export const TARGET_LITRES_PER_PERSON_PER_DAY = 110;
export function litresPerPersonPerDay(dailyLitres: number, occupants: number): number {
  return dailyLitres / Math.max(1, occupants);
}

/**
 * A provisional saving for today so far, for live boards only (ranks stay on complete days):
 * Σ (expected − use so far) / Σ expected, each member's expected being a usual day's use by now.
 */
export function provisionalSaving(parts: readonly { expected: number; use: number }[]): number | null {
  let expected = 0;
  let use = 0;
  for (const part of parts) {
    expected += part.expected;
    use += part.use;
  }
  return expected > 0 ? 1 - use / expected : null;
}
