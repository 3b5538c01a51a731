// Utility aggregates as published snapshots. The first time a settled day is asked for, every
// grouping of it (neighbourhood and streets) is computed together, over the households that
// consented to research throughout that day and still do, and stored when it shows any figure.
// From then on exactly the stored figures are served: nothing that happens later — a consent
// change, a late reading, an erasure, a move, a new meter — can be differenced against them.
// Only figures that passed the rule are stored, never one household's, so erasure leaves them.
import type { MeterKind } from '../../devices/contract/units.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { dateRange, earlierDate, type LocalDate, localDayBounds } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { consentChangesOf, researchHouseholds } from '../../storage/metadata/repositories/households.ts';
import { streetsOf } from '../../storage/metadata/repositories/neighbourhoods.ts';
import { insertPublishedDays, publishedDays } from '../../storage/metadata/repositories/published-aggregates.ts';
import {
  type AggregateRule,
  type Consent,
  type DayFigures,
  type HouseholdUse,
  publishDay,
  researchThroughout,
  showsAnything,
} from './aggregates.ts';
import type { DailyUse } from './daily-use.ts';

export const LOOSER_RULE = 'published under a less strict rule than the one now in force';

export async function publishedAggregates(
  db: Database,
  dailyUse: DailyUse,
  query: { neighbourhoodId: string; kind: MeterKind; from: LocalDate; to: LocalDate; timeZone: string; rule: AggregateRule },
): Promise<{ date: LocalDate; figures: DayFigures }[]> {
  const { neighbourhoodId, kind, from, timeZone, rule } = query;
  // Only settled days: a day still filling up would be published before its readings are in.
  const to = earlierDate(query.to, dailyUse.lastSettledDate(timeZone));
  if (to < from) return [];
  let stored = await storedDays(db, neighbourhoodId, kind, from, to, rule);
  const missing = dateRange(from, to).filter((date) => !stored.has(date));
  const unstored = new Map<LocalDate, DayFigures>();
  if (missing.length > 0) {
    const computed = await computeDays(db, dailyUse, neighbourhoodId, kind, missing, timeZone, rule);
    const toStore = [...computed].filter(([, figures]) => showsAnything(figures));
    if (toStore.length > 0) {
      // Another API process may publish the same day first: whatever is stored wins.
      await insertPublishedDays(
        db,
        neighbourhoodId,
        kind,
        rule,
        toStore.map(([date, figures]) => ({ date, figures })),
      );
      stored = await storedDays(db, neighbourhoodId, kind, from, to, rule);
    }
    // A day showing no figure disclosed no number, so it may be computed afresh next time.
    for (const [date, figures] of computed) if (!stored.has(date)) unstored.set(date, figures);
  }
  return dateRange(from, to).flatMap((date) => {
    const figures = stored.get(date) ?? unstored.get(date);
    return figures ? [{ date, figures }] : [];
  });
}

async function storedDays(
  db: Database,
  neighbourhoodId: string,
  kind: MeterKind,
  from: LocalDate,
  to: LocalDate,
  rule: AggregateRule,
): Promise<Map<LocalDate, DayFigures>> {
  const days = new Map<LocalDate, DayFigures>();
  for (const day of await publishedDays<DayFigures>(db, neighbourhoodId, kind, from, to)) {
    // Figures decided under a rule at least as strict as today's stand. Ones decided under a looser
    // rule are withheld, not decided again: that would publish a second set to difference against.
    const asStrict = day.minHouseholds >= rule.minHouseholds && day.maxShare <= rule.maxShare;
    days.set(day.date, asStrict ? day.figures : withholdAll(day.figures));
  }
  return days;
}

function withholdAll(figures: DayFigures): DayFigures {
  const withheld = { households: null, total: null, perPersonPerDay: null, withheld: LOOSER_RULE };
  return { neighbourhood: withheld, streets: figures.streets.map((s) => ({ street: s.street, ...withheld })) };
}

/**
 * The neighbourhood's households that consent to research now, and each one's recorded consent
 * changes, oldest first: what `researchThroughout` needs to tell who counts on a day.
 */
export async function researchHouseholdsWithHistory(
  db: Database,
  neighbourhoodId: string,
): Promise<{
  households: Awaited<ReturnType<typeof researchHouseholds>>;
  history: Map<string, { consent: Consent; at: number }[]>;
}> {
  const households = await researchHouseholds(db, neighbourhoodId);
  const history = new Map<string, { consent: Consent; at: number }[]>();
  for (const change of await consentChangesOf(
    db,
    households.map((h) => h.id),
  ))
    getOrCreate(history, change.householdId, () => []).push({ consent: change.consent, at: change.changedAt.getTime() });
  return { households, history };
}

/** One day's population: the households counted (with data) and how many could have been. */
export interface CountedDay {
  uses: HouseholdUse[];
  /** Households with a meter of the kind that consent to research now and did throughout the day, with data or not. */
  consenting: number;
}

/**
 * Who counts on each of `dates` (docs/scoring.md, "Who is counted"): the households that consent
 * to research now and did throughout the day, each with its use on the street it lives on now
 * when it has data that day.
 */
export async function countedDays(
  db: Database,
  dailyUse: DailyUse,
  neighbourhoodId: string,
  kind: MeterKind,
  dates: readonly LocalDate[],
  timeZone: string,
): Promise<Map<LocalDate, CountedDay>> {
  const { households, history } = await researchHouseholdsWithHistory(db, neighbourhoodId);
  const first = dates[0] as LocalDate;
  const last = dates[dates.length - 1] as LocalDate;
  const days = await dailyUse.byHousehold(neighbourhoodId, kind, first, last, timeZone);
  const counted = new Map<LocalDate, CountedDay>(dates.map((date) => [date, { uses: [], consenting: 0 }]));
  for (const household of households) {
    for (const day of days.get(household.id) ?? []) {
      const counting = counted.get(day.date);
      if (!counting) continue;
      const [start, end] = localDayBounds(day.date, timeZone);
      if (!researchThroughout(history.get(household.id) ?? [], household.consent, start, end)) continue;
      counting.consenting++;
      if (day.hasData) counting.uses.push({ street: household.streetId, use: day.use, occupants: household.occupants });
    }
  }
  return counted;
}

/** Every figure of each of `dates` as the rule decides it today, from who counts today. */
export async function computeDays(
  db: Database,
  dailyUse: DailyUse,
  neighbourhoodId: string,
  kind: MeterKind,
  dates: readonly LocalDate[],
  timeZone: string,
  rule: AggregateRule,
): Promise<Map<LocalDate, DayFigures>> {
  const streets = await streetsOf(db, neighbourhoodId);
  const counted = await countedDays(db, dailyUse, neighbourhoodId, kind, dates, timeZone);
  return new Map(dates.map((date) => [date, publishDay(streets, counted.get(date)?.uses ?? [], rule, kind)]));
}
