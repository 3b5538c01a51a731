// Daily use per household, for leaderboards, baselines and aggregates. Settled days (ended over
// 6 hours ago) come from the daily_use rollups, computed from the ReadingStore the first time
// they are needed and again after ingest marks them dirty; later days come from the store each
// time. Results are also cached in memory for a few seconds.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MeterKind } from '../../devices/contract/units.ts';
import type { DayUse, WindowSummary } from '../../domain/scoring.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { addDays, type DateWindow, dateRange, earlierDate, type LocalDate, localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  analyzeDailyUse,
  dailyUseRows,
  dailyUseWindowTotals,
  databaseNow,
  datesMissingRollups,
  markDatesVerified,
  upsertDailyUse,
  verifiedDates,
} from '../../storage/metadata/repositories/daily-use.ts';
import { countHouseholdsWithMeterOfKind, householdsWithMeterOfKind } from '../../storage/metadata/repositories/meters.ts';
import { SETTLE_MS } from '../../storage/metadata/rollups.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';

export const DAILY_USE_CACHE_MS = 10_000;
/** Query results kept; the least recently read go first. */
const CACHED_RESULTS = 1_000;
/** Days computed from the store per query when filling rollups (bounds memory on a first run). */
const ROLLUP_CHUNK_DAYS = 7;

export class DailyUse {
  readonly #db: Database;
  readonly #store: ReadingStore;
  readonly #clock: () => number;
  readonly #cache: LRUCache<string, object, () => Promise<object>>;
  readonly #filling = new Map<string, Promise<void>>();

  constructor(db: Database, store: ReadingStore, clock: () => number = Date.now) {
    this.#db = db;
    this.#store = store;
    this.#clock = clock;
    this.#cache = new LRUCache<string, object, () => Promise<object>>({
      max: CACHED_RESULTS,
      ttl: DAILY_USE_CACHE_MS,
      // The API's clock (tests fix it), read afresh each time.
      perf: { now: clock },
      ttlResolution: 0,
      // A result dropped while computing (forget) still answers whoever asked, but is not kept.
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context: compute }) => compute(),
    });
  }

  /** One computation per key at a time; its result is kept for DAILY_USE_CACHE_MS, a failure not at all. */
  async #cached<T extends object>(key: string, compute: () => Promise<T>): Promise<T> {
    const value = await this.#cache.fetch(key, { context: compute });
    // fetchMethod always resolves to a value or rejects; undefined would mean an abort not ignored.
    if (value === undefined) throw new Error(`daily use ${key} was not computed`);
    return value as T;
  }

  forget(): void {
    this.#cache.clear();
  }

  /** The last settled local date (days up to it may be rolled up). */
  lastSettledDate(timeZone: string): LocalDate {
    return addDays(localDate(this.#clock() - SETTLE_MS, timeZone), -1);
  }

  /** household → its days from `from` to `to` (each date present; no data where nothing was read). */
  byHousehold(
    neighbourhoodId: string,
    kind: MeterKind,
    from: LocalDate,
    to: LocalDate,
    timeZone: string,
  ): Promise<Map<string, DayUse[]>> {
    return this.#cached(JSON.stringify(['days', neighbourhoodId, kind, from, to, timeZone]), async () => {
      const settledEnd = earlierDate(to, this.lastSettledDate(timeZone));
      const result = new Map<string, DayUse[]>();
      if (settledEnd >= from) {
        await this.ensureRollups(neighbourhoodId, kind, from, settledEnd, timeZone);
        for (const row of await dailyUseRows(this.#db, neighbourhoodId, kind, from, settledEnd))
          getOrCreate(result, row.householdId, () => []).push({ date: row.date, use: row.use, hasData: row.hasData });
      }
      const recentFrom = settledEnd >= from ? addDays(settledEnd, 1) : from;
      if (recentFrom <= to) {
        for (const [household, days] of await this.#fromStore(neighbourhoodId, kind, recentFrom, to, timeZone)) {
          getOrCreate(result, household, () => []).push(...days);
        }
      }
      return result;
    });
  }

  /**
   * Per household with data today so far (its meters leave no gap over 6 hours from local midnight
   * to `now`), its use since local midnight: straight from the readings store, never kept.
   */
  async todaySoFar(
    neighbourhoodId: string,
    kind: MeterKind,
    today: LocalDate,
    timeZone: string,
    now: number,
  ): Promise<Map<string, number>> {
    const totals = await this.#store.totals({
      kind,
      scope: { neighbourhood: neighbourhoodId },
      from: today,
      to: today,
      timeZone,
      granularity: 'day',
      groupBy: 'household',
      until: now,
    });
    return new Map(totals.filter((total) => total.householdsWithData > 0).map((total) => [total.group, total.use]));
  }

  /**
   * Per household, a summary of each window (days, days with data, use on those days): what
   * baselines and savings need, summed in SQL over the rollups so a 10k-household board stays cheap.
   */
  summaries(
    neighbourhoodId: string,
    kind: MeterKind,
    households: readonly string[],
    windows: readonly DateWindow[],
    timeZone: string,
  ): Promise<Map<string, WindowSummary[]>> {
    const who = createHash('sha1').update(households.join('\u0000')).digest('base64');
    return this.#cached(JSON.stringify(['summaries', neighbourhoodId, kind, who, windows, timeZone]), async () => {
      const lastSettled = this.lastSettledDate(timeZone);
      const result = new Map<string, WindowSummary[]>(
        households.map((h) => [
          h,
          windows.map((w) => ({ days: w.to >= w.from ? dateRange(w.from, w.to).length : 0, daysWithData: 0, totalWithData: 0 })),
        ]),
      );
      const first = windows.map((w) => w.from).sort()[0];
      const last = windows
        .map((w) => w.to)
        .sort()
        .at(-1);
      if (!first || !last) return result;
      const settledEnd = earlierDate(last, lastSettled);
      if (settledEnd >= first) {
        await this.ensureRollups(neighbourhoodId, kind, first, settledEnd, timeZone);
        for (const totals of await dailyUseWindowTotals(this.#db, kind, households, settledEnd, windows)) {
          const summary = result.get(totals.householdId);
          if (!summary) continue;
          totals.windows.forEach((window, i) => {
            (summary[i] as WindowSummary).daysWithData += window.daysWithData;
            (summary[i] as WindowSummary).totalWithData += window.totalWithData;
          });
        }
      }
      const recentFrom = settledEnd >= first ? addDays(settledEnd, 1) : first;
      if (recentFrom <= last) {
        const recent = await this.#fromStore(neighbourhoodId, kind, recentFrom, last, timeZone);
        for (const [household, days] of recent) {
          const summary = result.get(household);
          if (!summary) continue;
          for (const day of days) {
            windows.forEach((w, i) => {
              if (day.hasData && day.date >= w.from && day.date <= w.to) {
                (summary[i] as WindowSummary).daysWithData++;
                (summary[i] as WindowSummary).totalWithData += day.use;
              }
            });
          }
        }
      }
      return result;
    });
  }

  /** Computes the missing or dirty rollups of settled days in [from, to] for the neighbourhood. */
  async ensureRollups(neighbourhoodId: string, kind: MeterKind, from: LocalDate, to: LocalDate, timeZone: string): Promise<void> {
    const key = JSON.stringify([neighbourhoodId, kind, from, to]);
    const running = this.#filling.get(key);
    if (running) return running;
    const filling = this.#fill(neighbourhoodId, kind, from, to, timeZone).finally(() => this.#filling.delete(key));
    this.#filling.set(key, filling);
    return filling;
  }

  async #fill(neighbourhoodId: string, kind: MeterKind, from: LocalDate, to: LocalDate, timeZone: string): Promise<void> {
    const checkStarted = await databaseNow(this.#db);
    const households = await countHouseholdsWithMeterOfKind(this.#db, neighbourhoodId, kind);
    // Days found complete before (by any API process) and not marked dirty since need no recount.
    const verified = new Set(await verifiedDates(this.#db, neighbourhoodId, kind, from, to, households));
    const needed = dateRange(from, to).filter((date) => !verified.has(date));
    if (needed.length === 0) return;
    const missing = await datesMissingRollups(
      this.#db,
      neighbourhoodId,
      kind,
      needed[0] as LocalDate,
      needed[needed.length - 1] as LocalDate,
    );
    let written = 0;
    for (const [chunkFrom, chunkTo] of chunks(missing)) {
      const computedAt = await databaseNow(this.#db);
      const days = await this.#fromStore(neighbourhoodId, kind, chunkFrom, chunkTo, timeZone);
      const households = await householdsWithMeterOfKind(this.#db, neighbourhoodId, kind);
      const dates = dateRange(chunkFrom, chunkTo);
      const ids: string[] = [];
      const rowDates: string[] = [];
      const uses: number[] = [];
      const withData: boolean[] = [];
      for (const id of households) {
        const byDate = new Map((days.get(id) ?? []).map((day) => [day.date, day]));
        for (const date of dates) {
          const day = byDate.get(date);
          ids.push(id);
          rowDates.push(date);
          uses.push(day?.use ?? 0);
          withData.push(day?.hasData ?? false);
        }
      }
      await upsertDailyUse(this.#db, kind, computedAt, { householdIds: ids, dates: rowDates, uses, hasData: withData });
      written += ids.length;
    }
    await markDatesVerified(this.#db, neighbourhoodId, kind, needed, households, checkStarted);
    if (written >= 50_000) await analyzeDailyUse(this.#db);
  }

  async #fromStore(
    neighbourhoodId: string,
    kind: MeterKind,
    from: LocalDate,
    to: LocalDate,
    timeZone: string,
  ): Promise<Map<string, DayUse[]>> {
    const totals = await this.#store.totals({
      kind,
      scope: { neighbourhood: neighbourhoodId },
      from,
      to,
      timeZone,
      granularity: 'day',
      groupBy: 'household',
    });
    const result = new Map<string, DayUse[]>();
    for (const total of totals) {
      getOrCreate(result, total.group, () => []).push({
        date: total.date,
        use: total.use,
        hasData: total.householdsWithData > 0,
      });
    }
    return result;
  }
}

/** Runs of consecutive dates, cut to ROLLUP_CHUNK_DAYS. */
function chunks(dates: readonly LocalDate[]): [LocalDate, LocalDate][] {
  const result: [LocalDate, LocalDate][] = [];
  for (const date of dates) {
    const last = result[result.length - 1];
    if (last && addDays(last[1], 1) === date && dateRange(last[0], date).length <= ROLLUP_CHUNK_DAYS) last[1] = date;
    else result.push([date, date]);
  }
  return result;
}
