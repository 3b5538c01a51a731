// A household's usual day over a baseline period (domain/usual-day.ts), from the readings store.
// The period is fixed for a day at least (a challenge's for its whole run), and a live page asks
// every few seconds, so each is kept for a while: the days and hours of a baseline are settled.
import { LRUCache } from 'lru-cache';
import type { MeterKind } from '../../devices/contract/units.ts';
import { type UsualDay, usualDayOf } from '../../domain/usual-day.ts';
import type { DateWindow } from '../../lib/time.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';

export const USUAL_DAY_CACHE_MS = 10 * 60_000;
/** Usual days kept (household × kind × period); the least recently read go first. */
const CACHED_USUAL_DAYS = 10_000;

export interface UsualDayKey {
  household: { id: string; timeZone: string };
  kind: MeterKind;
  period: DateWindow;
}

export class UsualDays {
  readonly #cache: LRUCache<string, UsualDay, UsualDayKey>;

  constructor(store: ReadingStore, now: () => number) {
    this.#cache = new LRUCache<string, UsualDay, UsualDayKey>({
      max: CACHED_USUAL_DAYS,
      ttl: USUAL_DAY_CACHE_MS,
      // The API's clock (tests fix it), read afresh each time.
      perf: { now },
      ttlResolution: 0,
      // A result dropped while computing (forget) still answers whoever asked, but is not kept.
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => computeUsualDay(store, context),
    });
  }

  async get(key: UsualDayKey): Promise<UsualDay> {
    const { household, kind, period } = key;
    const usual = await this.#cache.fetch(JSON.stringify([household.id, household.timeZone, kind, period.from, period.to]), {
      context: key,
    });
    // fetchMethod always resolves to a value or rejects; undefined would mean an abort not ignored.
    if (usual === undefined) throw new Error(`usual day of ${household.id} was not computed`);
    return usual;
  }

  /** After an erasure: nothing of the household may be served again. */
  forget(): void {
    this.#cache.clear();
  }
}

async function computeUsualDay(store: ReadingStore, { household, kind, period }: UsualDayKey): Promise<UsualDay> {
  const query = {
    kind,
    scope: { household: household.id },
    from: period.from,
    to: period.to,
    timeZone: household.timeZone,
    groupBy: 'household',
  } as const;
  const [days, hours] = await Promise.all([
    store.totals({ ...query, granularity: 'day' }),
    store.totals({ ...query, granularity: 'hour' }),
  ]);
  return usualDayOf(
    days.map((t) => ({ date: t.date, use: t.use, hasData: t.householdsWithData > 0 })),
    hours.map((t) => ({ date: t.date, start: t.start, use: t.use })),
    household.timeZone,
  );
}
