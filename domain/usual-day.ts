// A household's usual day, to set its own figures against: the baseline period (a running
// challenge's, else four weeks ending a week ago, so it does not move with the viewed window and a
// leaking week cannot become "usual"), the mean use of each local clock hour over that period's
// days with data, and how much of such a day is used by a clock time.
import type { MeterKind } from '../devices/contract/units.ts';
import { addDays, type LocalDate, localParts } from '../lib/time.ts';
import { type Challenge, challengePhase } from './challenge.ts';
import { DEFAULT_BASELINE_DAYS } from './challenge-templates.ts';
import { baselineOf, type DayUse, TARGET_LITRES_PER_PERSON_PER_DAY } from './scoring.ts';

/** Without a running challenge the baseline is the 28 days ending this many days before today. */
export const RECENT_BASELINE_ENDS_DAYS_AGO = 7;

export const baselineBases = ['challenge', 'recent'] as const;

export interface BaselinePeriod {
  from: LocalDate;
  to: LocalDate;
  basis: (typeof baselineBases)[number];
  /** The challenge's name when its baseline is used. */
  challenge: string | null;
}

export type BaselineChallenge = Pick<Challenge, 'name' | 'metric' | 'startsOn' | 'endsOn' | 'baselineFrom' | 'baselineTo'>;

/**
 * The baseline of the household's challenge of this kind running today (of several, the one whose
 * baseline ends last, then by name), else the 28 days from today − 34 to today − 7.
 */
export function baselinePeriod(challenges: readonly BaselineChallenge[], kind: MeterKind, today: LocalDate): BaselinePeriod {
  const [running] = challenges
    .filter((challenge) => challenge.metric === kind && challengePhase(challenge, today) === 'running')
    .sort((a, b) => (a.baselineTo !== b.baselineTo ? (a.baselineTo < b.baselineTo ? 1 : -1) : a.name < b.name ? -1 : 1));
  if (running) return { from: running.baselineFrom, to: running.baselineTo, basis: 'challenge', challenge: running.name };
  const to = addDays(today, -RECENT_BASELINE_ENDS_DAYS_AGO);
  return { from: addDays(to, -(DEFAULT_BASELINE_DAYS - 1)), to, basis: 'recent', challenge: null };
}

/** Water only: the household's daily equivalent of 110 L per person per day. */
export function targetPerDay(kind: MeterKind, occupants: number): number | null {
  return kind === 'water' ? TARGET_LITRES_PER_PERSON_PER_DAY * Math.max(1, occupants) : null;
}

/** A local clock time: its hour (0–23) and the share of that hour gone. */
export interface ClockTime {
  hour: number;
  fraction: number;
}

export function clockTimeOf(now: number, timeZone: string): ClockTime {
  const { hour, minute, second } = localParts(now, timeZone);
  const milliseconds = ((now % 1000) + 1000) % 1000;
  return { hour, fraction: (minute * 60_000 + second * 1000 + milliseconds) / 3_600_000 };
}

/** Use in one local clock hour, as the readings store totals it. */
export interface HourUse {
  /** The local date it belongs to. */
  date: LocalDate;
  /** Epoch ms the hour starts. */
  start: number;
  use: number;
}

export interface UsualDay {
  /** Mean daily use: the baseline (null while under 70% of its days have data, as for challenges). */
  perDay: number | null;
  /**
   * Mean use of each local clock hour (0–23) over the days with data; null when none has any.
   * By the clock: on the day the clocks go forward hour 1 has none, on the day they go back it
   * holds both hours 1, so a usual day is read by the same clock as today.
   */
  perHour: number[] | null;
}

export function usualDayOf(days: readonly DayUse[], hours: readonly HourUse[], timeZone: string): UsualDay {
  const baseline = baselineOf(days);
  const withData = new Set(days.filter((day) => day.hasData).map((day) => day.date));
  const sums = new Array<number>(24).fill(0);
  addByClockHour(sums, hours, withData, clockHours(timeZone));
  return { perDay: baseline.status === 'rated' ? baseline.baseline : null, perHour: meanByClockHour(sums, withData.size) };
}

/**
 * The local clock hour an hour starting at an instant shows. Remembered: every household's hours
 * start at the same instants, and reading a time zone's clock is slow.
 */
export function clockHours(timeZone: string): (start: number) => number {
  const known = new Map<number, number>();
  return (start) => {
    let hour = known.get(start);
    if (hour === undefined) {
      hour = localParts(start, timeZone).hour;
      known.set(start, hour);
    }
    return hour;
  };
}

/** Adds the use of the hours on days with data to 24 sums by clock hour (a usual day gathered a chunk at a time). */
export function addByClockHour(
  sums: number[],
  hours: readonly HourUse[],
  withData: ReadonlySet<LocalDate>,
  hourOf: (start: number) => number,
): void {
  for (const hour of hours) {
    if (!withData.has(hour.date)) continue;
    const slot = hourOf(hour.start);
    sums[slot] = (sums[slot] as number) + hour.use;
  }
}

/** The mean use of each clock hour over `daysWithData` days; null without any. */
export function meanByClockHour(sums: readonly number[], daysWithData: number): number[] | null {
  return daysWithData === 0 ? null : sums.map((use) => use / daysWithData);
}

/** A usual day's use from midnight to a clock time: the hours before it whole, its own hour pro rata. */
export function useUntil(perHour: readonly number[], clock: ClockTime): number {
  let use = 0;
  for (let hour = 0; hour < clock.hour; hour++) use += perHour[hour] ?? 0;
  return use + (perHour[clock.hour] ?? 0) * clock.fraction;
}

export interface TodayAgainstUsual {
  soFar: number;
  /** A usual day's use by this clock time: mean over the baseline's days with data; null without any. */
  usualSoFar: number | null;
  /** The baseline per day (null while it is not rated). */
  usualDay: number | null;
  /**
   * 1 − soFar / usualSoFar: above 0 when less than usual was used by now, below 0 when more; null
   * while nothing is usual by now (nothing to compare with).
   */
  changeFromUsual: number | null;
}

export function todayAgainstUsual(soFar: number, usual: UsualDay, clock: ClockTime): TodayAgainstUsual {
  const usualSoFar = usual.perHour ? useUntil(usual.perHour, clock) : null;
  return {
    soFar,
    usualSoFar,
    usualDay: usual.perDay,
    changeFromUsual: usualSoFar !== null && usualSoFar > 0 ? 1 - soFar / usualSoFar : null,
  };
}
