// A household's own use over a window, beside its baseline and the per-person target: readings
// from the store, the arithmetic from domain/.
import { baseUnitOf } from '../../devices/contract/units.ts';
import { householdUsage } from '../../domain/household-usage.ts';
import { baselineOf, TARGET_LITRES_PER_PERSON_PER_DAY } from '../../domain/scoring.ts';
import { addDays, localDate } from '../../lib/time.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import type { UsageReport, UsageRequest } from '../schemas/households.ts';

/** The household's use in `from`…`to` (local dates), and its baseline from the 28 days before. */
export async function householdUsageReport(
  store: ReadingStore,
  household: { id: string; timeZone: string; occupants: number },
  { kind, granularity, from, to }: UsageRequest,
  now: number,
): Promise<UsageReport> {
  const query = { kind, scope: { household: household.id }, timeZone: household.timeZone, groupBy: 'household' } as const;
  const totals = await store.totals({ ...query, from, to, granularity: granularity === 'hour' ? 'hour' : 'day' });
  const before = await store.totals({ ...query, from: addDays(from, -28), to: addDays(from, -1), granularity: 'day' });
  const baseline = baselineOf(before.map((t) => ({ date: t.date, use: t.use, hasData: t.householdsWithData > 0 })));
  const usage = householdUsage(
    totals.map((t) => ({ start: new Date(t.start).toISOString(), date: t.date, use: t.use })),
    { kind, granularity, occupants: household.occupants, lastCompleteDay: addDays(localDate(now, household.timeZone), -1) },
  );
  return {
    kind,
    unit: baseUnitOf[kind],
    granularity,
    timeZone: household.timeZone,
    baselinePerDay: baseline.status === 'rated' ? baseline.baseline : null,
    litresPerPersonPerDay: usage.perPersonPerDay,
    litresPerPersonPerDayTarget: kind === 'water' ? TARGET_LITRES_PER_PERSON_PER_DAY : null,
    points: usage.points,
  };
}
