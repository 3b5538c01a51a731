// Daily use per household, for leaderboards, baselines and aggregates. Settled days (ended over
// 6 hours ago) come from the daily_use rollups, computed from the ReadingStore the first time
// they are needed and again after ingest marks them dirty; later days come from the store each
// time. Results are also cached in memory for a few seconds.
import { createHash } from 'node:crypto';
import type { MeterKind } from '../../devices/contract/units.ts';
import type { DayUse, WindowSummary } from '../../domain/scoring.ts';
import { getOrCreate } from '../../lib/collections.ts';
import { addDays, dateRange, earlierDate, type LocalDate, localDate } from '../../lib/time.ts';
import type { Database } from '../../storage/metadata/database.ts';
import { SETTLE_MS } from '../../storage/metadata/rollups.ts';
import type { ReadingStore } from '../../storage/readings/reading-store.ts';

export const DAILY_USE_CACHE_MS = 10_000;
/** Days computed from the store per query when filling rollups (bounds memory on a first run). */
const ROLLUP_CHUNK_DAYS = 7;

export interface DateWindow {
  from: LocalDate;
  to: LocalDate;
}

export class DailyUse {
  readonly #db: Database;
  readonly #store: ReadingStore;
  readonly #clock: () => number;
  readonly #cache = new Map<string, { at: number; value: Promise<unknown> }>();
  readonly #filling = new Map<string, Promise<void>>();

  constructor(db: Database, store: ReadingStore, clock: () => number = Date.now) {
    this.#db = db;
    this.#store = store;
    this.#clock = clock;
  }

  #cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.#clock();
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < DAILY_USE_CACHE_MS) return hit.value as Promise<T>;
    const value = compute();
    value.catch(() => this.#cache.delete(key));
    if (this.#cache.size > 1000) this.#cache.clear();
    this.#cache.set(key, { at: now, value });
    return value;
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
        const rows = await this.#db.query<{ household_id: string; date: string; use: number; has_data: boolean }>(
          `SELECT u.household_id, to_char(u.date, 'YYYY-MM-DD') AS date, u.use, u.has_data FROM daily_use u
           JOIN households h ON h.id = u.household_id JOIN streets s ON s.id = h.street_id
           WHERE s.neighbourhood_id = $1 AND u.kind = $2 AND u.date BETWEEN $3 AND $4 ORDER BY u.household_id, u.date`,
          [neighbourhoodId, kind, from, settledEnd],
        );
        for (const row of rows)
          getOrCreate(result, row.household_id, () => []).push({ date: row.date, use: row.use, hasData: row.has_data });
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
        // One pair of FILTERed aggregates per window; the SQL is built from the window count only.
        const columns = windows
          .map((_, i) => {
            const range = `u.date BETWEEN $${4 + 2 * i}::date AND $${5 + 2 * i}::date AND u.has_data`;
            return `count(*) FILTER (WHERE ${range}) AS n${i}, coalesce(sum(u.use) FILTER (WHERE ${range}), 0) AS t${i}`;
          })
          .join(', ');
        const rows = await this.#db.query<Record<string, string | number>>(
          `SELECT u.household_id, ${columns} FROM daily_use u
           WHERE u.kind = $1 AND u.household_id = ANY($2::text[]) AND u.date <= $3::date GROUP BY u.household_id`,
          [kind, households, settledEnd, ...windows.flatMap((w) => [w.from, w.to])],
        );
        for (const row of rows) {
          const summary = result.get(String(row.household_id));
          if (!summary) continue;
          windows.forEach((_, i) => {
            (summary[i] as WindowSummary).daysWithData += Number(row[`n${i}`]);
            (summary[i] as WindowSummary).totalWithData += Number(row[`t${i}`]);
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
    const [{ now: checkStarted } = { now: new Date() }] = await this.#db.query<{ now: Date }>('SELECT now() AS now');
    const [{ n: households } = { n: 0 }] = await this.#db.query<{ n: number }>(
      `SELECT count(DISTINCT h.id)::int AS n FROM households h JOIN streets s ON s.id = h.street_id JOIN meters m ON m.household_id = h.id
       WHERE s.neighbourhood_id = $1 AND m.kind = $2`,
      [neighbourhoodId, kind],
    );
    // Days found complete before (by any API process) and not marked dirty since need no recount.
    const verified = new Set(
      (
        await this.#db.query<{ date: string }>(
          `SELECT to_char(v.date, 'YYYY-MM-DD') AS date FROM daily_use_verified v
           WHERE v.neighbourhood_id = $1 AND v.kind = $2 AND v.date BETWEEN $3 AND $4 AND v.households = $5
             AND NOT EXISTS (SELECT 1 FROM daily_use_dirty x WHERE x.kind = v.kind AND x.date = v.date AND x.marked_at > v.verified_at)`,
          [neighbourhoodId, kind, from, to, households],
        )
      ).map((row) => row.date),
    );
    const needed = dateRange(from, to).filter((date) => !verified.has(date));
    if (needed.length === 0) return;
    const missing = (
      await this.#db.query<{ date: string }>(
        `WITH hh AS (SELECT DISTINCT h.id FROM households h JOIN streets s ON s.id = h.street_id JOIN meters m ON m.household_id = h.id
                     WHERE s.neighbourhood_id = $1 AND m.kind = $2),
              fresh AS (SELECT u.date, count(*) AS n FROM daily_use u JOIN hh ON hh.id = u.household_id
                        WHERE u.kind = $2 AND u.date BETWEEN $3 AND $4 AND NOT EXISTS (
                          SELECT 1 FROM daily_use_dirty x WHERE x.household_id = u.household_id AND x.kind = u.kind AND x.date = u.date AND x.marked_at > u.computed_at)
                        GROUP BY u.date)
         SELECT to_char(d::date, 'YYYY-MM-DD') AS date FROM generate_series($3::date, $4::date, interval '1 day') AS d
         LEFT JOIN fresh ON fresh.date = d::date WHERE coalesce(fresh.n, 0) < (SELECT count(*) FROM hh) ORDER BY 1`,
        [neighbourhoodId, kind, needed[0], needed[needed.length - 1]],
      )
    ).map((row) => row.date);
    let written = 0;
    for (const [chunkFrom, chunkTo] of chunks(missing)) {
      const [{ now: computedAt } = { now: new Date() }] = await this.#db.query<{ now: Date }>('SELECT now() AS now');
      const days = await this.#fromStore(neighbourhoodId, kind, chunkFrom, chunkTo, timeZone);
      const households = await this.#db.query<{ id: string }>(
        `SELECT DISTINCT h.id FROM households h JOIN streets s ON s.id = h.street_id JOIN meters m ON m.household_id = h.id
         WHERE s.neighbourhood_id = $1 AND m.kind = $2`,
        [neighbourhoodId, kind],
      );
      const dates = dateRange(chunkFrom, chunkTo);
      const ids: string[] = [];
      const rowDates: string[] = [];
      const uses: number[] = [];
      const withData: boolean[] = [];
      for (const { id } of households) {
        const byDate = new Map((days.get(id) ?? []).map((day) => [day.date, day]));
        for (const date of dates) {
          const day = byDate.get(date);
          ids.push(id);
          rowDates.push(date);
          uses.push(day?.use ?? 0);
          withData.push(day?.hasData ?? false);
        }
      }
      await this.#db.query(
        `INSERT INTO daily_use (household_id, kind, date, use, excluded, has_data, computed_at)
         SELECT r.household_id, $1, r.date, r.use, 0, r.has_data, $2 FROM unnest($3::text[], $4::date[], $5::float8[], $6::bool[]) AS r(household_id, date, use, has_data)
         ON CONFLICT (household_id, kind, date) DO UPDATE SET use = excluded.use, has_data = excluded.has_data, computed_at = excluded.computed_at`,
        [kind, computedAt, ids, rowDates, uses, withData],
      );
      written += ids.length;
    }
    await this.#db.query(
      `INSERT INTO daily_use_verified (neighbourhood_id, kind, date, households, verified_at)
       SELECT $1, $2, d, $3, $4 FROM unnest($5::date[]) AS d
       ON CONFLICT (neighbourhood_id, kind, date) DO UPDATE SET households = excluded.households, verified_at = excluded.verified_at`,
      [neighbourhoodId, kind, households, checkStarted, needed],
    );
    // Fresh statistics after a big fill keep the planner on a hash aggregate, not a sort on disk.
    if (written >= 50_000) await this.#db.exec('ANALYZE daily_use');
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
