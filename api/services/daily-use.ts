// Daily use per household from the ReadingStore, cached briefly: leaderboards and pages ask for
// the same neighbourhood-days many times a minute, and new readings must show within seconds.
import type { MeterKind } from '../../devices/contract/units.ts';
import type { ReadingStore, UsageTotal } from '../../ingest/store/reading-store.ts';
import { getOrCreate } from '../../lib/collections.ts';
import type { LocalDate } from '../../lib/time.ts';
import type { DayUse } from '../scoring/scoring.ts';

export const DAILY_USE_CACHE_MS = 10_000;

export class DailyUse {
  readonly #store: ReadingStore;
  readonly #cache = new Map<string, { at: number; value: Promise<Map<string, DayUse[]>> }>();
  readonly #clock: () => number;

  constructor(store: ReadingStore, clock: () => number = Date.now) {
    this.#store = store;
    this.#clock = clock;
  }

  /** household → its days from `from` to `to` (every date present, zero use and no data where nothing was read). */
  byHousehold(
    neighbourhoodId: string,
    kind: MeterKind,
    from: LocalDate,
    to: LocalDate,
    timeZone: string,
  ): Promise<Map<string, DayUse[]>> {
    const key = JSON.stringify([neighbourhoodId, kind, from, to, timeZone]);
    const now = this.#clock();
    const cached = this.#cache.get(key);
    if (cached && now - cached.at < DAILY_USE_CACHE_MS) return cached.value;
    const value = this.#store
      .totals({ kind, scope: { neighbourhood: neighbourhoodId }, from, to, timeZone, granularity: 'day', groupBy: 'household' })
      .then(toDays);
    value.catch(() => this.#cache.delete(key));
    if (this.#cache.size > 1000) this.#cache.clear();
    this.#cache.set(key, { at: now, value });
    return value;
  }

  forget(): void {
    this.#cache.clear();
  }
}

function toDays(totals: UsageTotal[]): Map<string, DayUse[]> {
  const result = new Map<string, DayUse[]>();
  for (const total of totals) {
    getOrCreate(result, total.group, () => []).push({ date: total.date, use: total.use, hasData: total.householdsWithData > 0 });
  }
  return result;
}
