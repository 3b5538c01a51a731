// Leak episodes over any stretch of history (docs/leaks.md): the leak rule of scoring.ts (not one
// clock hour without use for 24 hours) applied to every run of hours, back-filled ones included.
// Each episode has a start, an end (or is ongoing), the litres lost and their cost; a champion
// sees only counts per street, withheld where a street has too few households. Pure: the API
// loads the hours (api/services/leak-episodes.ts) and hands them here.
import { hadUse, LEAK_RULE_HOURS, MIN_RATED_STREET_HOUSEHOLDS } from './scoring.ts';

/** One local clock hour of a household's water use, as the readings store totals it. */
export interface LeakHour {
  /** [start, end) in epoch ms. */
  start: number;
  end: number;
  /** Litres. */
  use: number;
  /** The household's readings leave no gap over 6 hours around it (docs/scoring.md, "Days with data"). */
  hasData: boolean;
}

/**
 * How an episode ended: an hour with data and no use (the leak stopped: it was fixed, or was never
 * one), or the data stopped (an hour without data, or hours missing): whether it went on is unknown.
 */
export const leakEndings = ['dry_hour', 'no_data'] as const;
export type LeakEnding = (typeof leakEndings)[number];

export interface LeakEpisode {
  /** The start of the run's first hour. */
  start: number;
  /** The start of the hour that ended it (or where the data stop); null while ongoing. */
  end: number | null;
  endedBy: LeakEnding | null;
  /** Clock hours in it (a day across a DST change has 23 or 25). */
  hours: number;
  /** The continuous base flow summed over its hours (`baseFlow`). */
  litresLost: number;
}

/** A household's word on an episode: a leak it has fixed, or use it expected (watering the garden). */
export const leakMarks = ['fixed', 'expected'] as const;
export type LeakMark = (typeof leakMarks)[number];

/** An hour that keeps a leak going: one with data, and some use. An hour without data breaks the run. */
export const isLeakHour = (hour: LeakHour): boolean => hour.hasData && hadUse(hour.use);

/**
 * Every episode in `hours` (sorted by start, at most one per clock hour): a run of at least 24
 * consecutive leak hours. It ends at the first hour without use (`dry_hour`) or at the first hour
 * without data or missing from the series (`no_data`: a meter silent for over 6 hours might have
 * had a dry hour nobody saw, so the rule cannot carry across); a run that reaches the last hour
 * given is ongoing. A run that starts at the first hour given may have started earlier: the caller
 * hands in hours from before the stretch it asks about (api/services/leak-episodes.ts does).
 */
export function findLeakEpisodes(hours: readonly LeakHour[]): LeakEpisode[] {
  const episodes: LeakEpisode[] = [];
  let run: LeakHour[] = [];
  const close = (end: number | null, endedBy: LeakEnding | null) => {
    if (run.length >= LEAK_RULE_HOURS) {
      const flow = baseFlow(run.map((hour) => hour.use));
      episodes.push({
        start: (run[0] as LeakHour).start,
        end,
        endedBy,
        hours: run.length,
        litresLost: flow.reduce((sum, litres) => sum + litres, 0),
      });
    }
    run = [];
  };
  for (const hour of hours) {
    const previous = run[run.length - 1];
    if (previous && previous.end !== hour.start) close(previous.end, 'no_data');
    if (isLeakHour(hour)) run.push(hour);
    else if (run.length > 0) close(hour.start, hour.hasData ? 'dry_hour' : 'no_data');
  }
  if (run.length > 0) close(null, null);
  return episodes;
}

/** The episode still running at the end of `hours`, if any: what the live warning shows. */
export function ongoingEpisode(hours: readonly LeakHour[]): LeakEpisode | undefined {
  const last = findLeakEpisodes(hours).at(-1);
  return last?.end === null ? last : undefined;
}

/**
 * The mark that applies to an episode: of those made under an instant within it (its start, or a
 * later instant where it started before back-filled readings moved its start earlier), the newest.
 */
export function markOf<M extends { episodeStart: number; markedAt: number }>(
  episode: Pick<LeakEpisode, 'start' | 'end'>,
  marks: readonly M[],
): M | undefined {
  let found: M | undefined;
  for (const mark of marks)
    if (mark.episodeStart >= episode.start && (episode.end === null || mark.episodeStart < episode.end))
      if (!found || mark.markedAt > found.markedAt) found = mark;
  return found;
}

/** Hours each side of an hour whose lowest use is its base flow: a window of 24 clock hours. */
const WINDOW = LEAK_RULE_HOURS;

/**
 * The leak's estimated flow in each hour of an episode (litres): the lowest hourly use within the
 * 24 consecutive hours of the episode around it (the 12 before and 11 after, shifted to stay
 * inside the episode). A leak runs under everything else, so it shows as a floor; any 24 hours
 * hold a night, when the floor is the leak alone, while showers and washing only ever add to
 * some hours. A floor that rises or falls (a cistern valve wearing out) is followed: within 12
 * hours of the change the lower side is taken, so the figure leans low there. Where the household
 * uses water in every hour of a day the floor holds some real use too, so the figure leans high
 * there; it never counts a peak.
 */
export function baseFlow(uses: readonly number[]): number[] {
  const n = uses.length;
  if (n < WINDOW) return uses.map(() => 0);
  return uses.map((_, i) => {
    const from = Math.min(Math.max(i - WINDOW / 2, 0), n - WINDOW);
    let lowest = Number.POSITIVE_INFINITY;
    for (let j = from; j < from + WINDOW; j++) lowest = Math.min(lowest, uses[j] as number);
    return lowest;
  });
}

/** What water costs: per cubic metre (1,000 L), water and sewerage together, in an ISO 4217 currency. */
export interface WaterTariff {
  perM3: number;
  currency: string;
}

export interface Money {
  amount: number;
  currency: string;
}

/** Litres at the tariff, rounded to the currency's minor unit (pence, cents; none for yen). */
export function leakCost(litres: number, tariff: WaterTariff): Money {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: tariff.currency }).resolvedOptions()
    .maximumFractionDigits as number;
  const scale = 10 ** digits;
  return { amount: Math.round((litres / 1000) * tariff.perM3 * scale) / scale, currency: tariff.currency };
}

// ---- what a champion sees: counts per street

/**
 * A street's count is shown only over at least this many households that may be counted (not
 * private): the street boards' threshold (a street is ranked, and its litres shown, from 5).
 * Below it a count of 1 in 2 homes all but names the home.
 */
export const LEAK_COUNT_MIN_HOUSEHOLDS = MIN_RATED_STREET_HOUSEHOLDS;

export const streetCountWithheldReasons = ['too_few_households', 'complementary'] as const;
export type StreetCountWithheldReason = (typeof streetCountWithheldReasons)[number];

export interface StreetLeaks {
  streetId: string;
  street: string;
  /** Households on the street that may be counted (not private). */
  households: number;
  /** Of those, how many have a leak to count. */
  leaking: number;
}

export interface StreetLeakCount {
  streetId: string;
  street: string;
  /** null when withheld. */
  leaking: number | null;
  withheldReason: StreetCountWithheldReason | null;
}

/**
 * The neighbourhood's count and each street's, decided together. A street with fewer than
 * `minHouseholds` countable households is withheld. The total minus the shown streets is the
 * count over the withheld streets, so while that remainder covers households but fewer than
 * `minHouseholds`, the shown street with the fewest households (then by name) is withheld too
 * (`complementary`), as the utility aggregates do. Whatever a reader can work out is then a sum
 * over shown streets and that remainder, each of at least `minHouseholds` households — or, where
 * the whole neighbourhood has fewer, the total itself, which is all there is to know anyway.
 */
export function streetLeakCounts(
  streets: readonly StreetLeaks[],
  minHouseholds: number,
): { leaking: number; streets: StreetLeakCount[] } {
  const byName = (a: StreetLeaks, b: StreetLeaks) =>
    a.street.localeCompare(b.street, 'en') || (a.streetId < b.streetId ? -1 : a.streetId > b.streetId ? 1 : 0);
  const decided = new Map<string, StreetCountWithheldReason | null>(
    streets.map((street) => [street.streetId, street.households < minHouseholds ? 'too_few_households' : null]),
  );
  let remainder = streets.filter((s) => decided.get(s.streetId) !== null).reduce((sum, s) => sum + s.households, 0);
  const shown = streets
    .filter((s) => decided.get(s.streetId) === null)
    .sort((a, b) => a.households - b.households || byName(a, b));
  while (remainder > 0 && remainder < minHouseholds) {
    const next = shown.shift();
    if (!next) break;
    decided.set(next.streetId, 'complementary');
    remainder += next.households;
  }
  return {
    leaking: streets.reduce((sum, street) => sum + street.leaking, 0),
    streets: [...streets].sort(byName).map(({ streetId, street, leaking }) => {
      const withheldReason = decided.get(streetId) ?? null;
      return { streetId, street, leaking: withheldReason === null ? leaking : null, withheldReason };
    }),
  };
}
