// A household's own use, beside a stable baseline (a running challenge's, else four weeks ending a
// week ago: domain/usual-day.ts) and the per-person target; and today so far against the same
// hours of a usual day. Readings from the store, the arithmetic from domain/.
import { LRUCache } from 'lru-cache';
import { baseUnitOf, type MeterKind, meterKinds } from '../../devices/contract/units.ts';
import { householdUsage } from '../../domain/household-usage.ts';
import type { HouseholdProfile } from '../../domain/people.ts';
import { TARGET_LITRES_PER_PERSON_PER_DAY } from '../../domain/scoring.ts';
import {
  type BaselinePeriod,
  baselinePeriod,
  clockTimeOf,
  targetPerDay,
  todayAgainstUsual,
  type UsualDay,
} from '../../domain/usual-day.ts';
import { addDays, localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { challengeDatesOfHousehold } from '../../storage/metadata/repositories/memberships.ts';
import { metersOf } from '../../storage/metadata/repositories/meters.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';
import type { HouseholdToday, HouseholdTodayEvent, UsageReport, UsageRequest } from '../schemas/households.ts';
import type { UsualDays } from './usual-days.ts';

export interface UsageServices {
  db: Database;
  store: ReadingStore;
  usualDays: UsualDays;
}

type Household = Pick<HouseholdProfile, 'id' | 'timeZone' | 'occupants'>;

/** The household's baseline period for `kind` today, and its usual day over it. */
export async function householdBaseline(
  { db, usualDays }: UsageServices,
  household: Household,
  kind: MeterKind,
  now: number,
): Promise<{ period: BaselinePeriod; usual: UsualDay }> {
  const today = localDate(now, household.timeZone);
  const period = baselinePeriod(await challengeDatesOfHousehold(db, household.id), kind, today);
  return { period, usual: await usualDays.household({ household, kind, period }) };
}

/** The household's use in `from`…`to` (local dates), with its baseline and target. */
export async function householdUsageReport(
  services: UsageServices,
  household: Household,
  { kind, granularity, from, to }: UsageRequest,
  now: number,
): Promise<UsageReport> {
  const totals = await services.store.totals({
    kind,
    scope: { household: household.id },
    from,
    to,
    timeZone: household.timeZone,
    granularity: granularity === 'hour' ? 'hour' : 'day',
    groupBy: 'household',
  });
  const { period, usual } = await householdBaseline(services, household, kind, now);
  const usage = householdUsage(
    totals.map((t) => ({ start: new Date(t.start).toISOString(), date: t.date, use: t.use })),
    { kind, granularity, occupants: household.occupants, lastCompleteDay: addDays(localDate(now, household.timeZone), -1) },
  );
  return {
    kind,
    unit: baseUnitOf[kind],
    granularity,
    timeZone: household.timeZone,
    baselineFrom: period.from,
    baselineTo: period.to,
    baselineBasis: period.basis,
    baselineChallenge: period.challenge,
    baselinePerDay: usual.perDay,
    targetPerDay: targetPerDay(kind, household.occupants),
    litresPerPersonPerDay: usage.perPersonPerDay,
    litresPerPersonPerDayTarget: kind === 'water' ? TARGET_LITRES_PER_PERSON_PER_DAY : null,
    points: usage.points,
  };
}

type Meters = readonly { id: string; kind: MeterKind }[];

/** Today so far (since local midnight) against the same hours of a usual day. */
export async function householdToday(
  services: UsageServices,
  household: Household,
  kind: MeterKind,
  now: number,
  meters?: Meters,
): Promise<HouseholdToday> {
  const today = localDate(now, household.timeZone);
  const meterIds = (meters ?? (await metersOf(services.db, household.id))).filter((m) => m.kind === kind).map((m) => m.id);
  const [totals, lastReadings, { usual }] = await Promise.all([
    services.store.totals({
      kind,
      scope: { household: household.id },
      from: today,
      to: today,
      timeZone: household.timeZone,
      granularity: 'day',
      groupBy: 'household',
    }),
    services.store.lastReadings(meterIds),
    householdBaseline(services, household, kind, now),
  ]);
  const soFar = totals.reduce((sum, total) => sum + total.use, 0);
  const lastReadingAt = Math.max(...[...lastReadings.values()].map((point) => point.ts));
  return {
    kind,
    unit: baseUnitOf[kind],
    asOf: new Date(now).toISOString(),
    ...todayAgainstUsual(soFar, usual, clockTimeOf(now, household.timeZone)),
    lastReadingAt: Number.isFinite(lastReadingAt) ? new Date(lastReadingAt).toISOString() : null,
  };
}

/** Today for water and every other kind the household has a meter of: what its stream sends. */
export async function householdTodayAllKinds(
  services: UsageServices,
  household: Household,
  now: number,
): Promise<HouseholdTodayEvent> {
  const meters = await metersOf(services.db, household.id);
  const kinds = meterKinds.filter((kind) => kind === 'water' || meters.some((meter) => meter.kind === kind));
  return { kinds: await Promise.all(kinds.map((kind) => householdToday(services, household, kind, now, meters))) };
}

/**
 * Today for every kind, shared by a household's open streams: computed at most once per household
 * per stream tick (about 11 store queries) however many of its streams are open.
 */
export class SharedTodays {
  readonly #cache: LRUCache<string, HouseholdTodayEvent, Household>;

  /** `ttlMs` just under the streams' tick, so every tick sees a fresh figure. */
  constructor(services: UsageServices, now: () => number, ttlMs: number) {
    this.#cache = new LRUCache<string, HouseholdTodayEvent, Household>({
      max: 10_000,
      ttl: ttlMs,
      // A figure dropped while computing (forget) still answers whoever asked, but is not kept.
      ignoreFetchAbort: true,
      fetchMethod: (_id, _stale, { context }) => householdTodayAllKinds(services, context, now()),
    });
  }

  async get(household: Household): Promise<HouseholdTodayEvent> {
    const today = await this.#cache.fetch(household.id, { context: household });
    if (today === undefined) throw new Error(`today of ${household.id} was not computed`);
    return today;
  }

  /** After an erasure: nothing of the household may be served again. */
  forget(): void {
    this.#cache.clear();
  }
}
