// The daily_use rollups (migration 003) as the API reads and fills them: per household and day,
// with the days found complete per neighbourhood (daily_use_verified).
import type { MeterKind } from '../../../devices/contract/units.ts';
import type { Database, Queryable } from '../database.ts';

export interface DailyUseRow {
  householdId: string;
  date: string;
  use: number;
  hasData: boolean;
}

/** Per household, days with data and their total use in each window. */
export interface WindowTotals {
  householdId: string;
  windows: { daysWithData: number; totalWithData: number }[];
}

/** The database's clock: rollups are stamped with it, so they compare with ingest's dirty marks. */
export async function databaseNow(q: Queryable): Promise<Date> {
  const [row] = await q.query<{ now: Date | string }>('SELECT now() AS now');
  return new Date(row?.now ?? Date.now());
}

/** A neighbourhood's rollups of a kind from `from` to `to`, by household and date. */
export async function dailyUseRows(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  from: string,
  to: string,
): Promise<DailyUseRow[]> {
  return q.query<DailyUseRow>(
    `SELECT u.household_id AS "householdId", to_char(u.date, 'YYYY-MM-DD') AS date, u.use, u.has_data AS "hasData" FROM daily_use u
     JOIN households h ON h.id = u.household_id JOIN streets s ON s.id = h.street_id
     WHERE s.neighbourhood_id = $1 AND u.kind = $2 AND u.date BETWEEN $3 AND $4 ORDER BY u.household_id, u.date`,
    [neighbourhoodId, kind, from, to],
  );
}

/** Per household, days with data and their use in each window, up to `until`: summed in SQL so big boards stay cheap. */
export async function dailyUseWindowTotals(
  q: Queryable,
  kind: MeterKind,
  householdIds: readonly string[],
  until: string,
  windows: readonly { from: string; to: string }[],
): Promise<WindowTotals[]> {
  // One pair of FILTERed aggregates per window; the SQL is built from the window count only.
  const columns = windows
    .map((_, i) => {
      const range = `u.date BETWEEN $${4 + 2 * i}::date AND $${5 + 2 * i}::date AND u.has_data`;
      return `count(*) FILTER (WHERE ${range}) AS n${i}, coalesce(sum(u.use) FILTER (WHERE ${range}), 0) AS t${i}`;
    })
    .join(', ');
  const rows = await q.query<Record<string, string | number>>(
    `SELECT u.household_id, ${columns} FROM daily_use u
     WHERE u.kind = $1 AND u.household_id = ANY($2::text[]) AND u.date <= $3::date GROUP BY u.household_id`,
    [kind, householdIds, until, ...windows.flatMap((w) => [w.from, w.to])],
  );
  return rows.map((row) => ({
    householdId: String(row.household_id),
    windows: windows.map((_, i) => ({ daysWithData: Number(row[`n${i}`]), totalWithData: Number(row[`t${i}`]) })),
  }));
}

/** Dates found complete for `households` households and not marked dirty since. */
export async function verifiedDates(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  from: string,
  to: string,
  households: number,
): Promise<string[]> {
  const rows = await q.query<{ date: string }>(
    `SELECT to_char(v.date, 'YYYY-MM-DD') AS date FROM daily_use_verified v
     WHERE v.neighbourhood_id = $1 AND v.kind = $2 AND v.date BETWEEN $3 AND $4 AND v.households = $5
       AND NOT EXISTS (SELECT 1 FROM daily_use_dirty x WHERE x.kind = v.kind AND x.date = v.date AND x.marked_at > v.verified_at)`,
    [neighbourhoodId, kind, from, to, households],
  );
  return rows.map((row) => row.date);
}

/** Whether ingest marked a day from `from` to `to` of a household of the neighbourhood dirty after `since` (database time). */
export async function markedDirtySince(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  from: string,
  to: string,
  since: Date,
): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM daily_use_dirty x JOIN households h ON h.id = x.household_id JOIN streets s ON s.id = h.street_id
     WHERE s.neighbourhood_id = $1 AND x.kind = $2 AND x.date BETWEEN $3 AND $4 AND x.marked_at > $5 LIMIT 1`,
    [neighbourhoodId, kind, from, to, since],
  );
  return rows.length > 0;
}

/** Dates from `from` to `to` on which some household with a meter of the kind has no fresh rollup. */
export async function datesMissingRollups(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await q.query<{ date: string }>(
    `WITH hh AS (SELECT DISTINCT h.id FROM households h JOIN streets s ON s.id = h.street_id JOIN meters m ON m.household_id = h.id
                 WHERE s.neighbourhood_id = $1 AND m.kind = $2),
          fresh AS (SELECT u.date, count(*) AS n FROM daily_use u JOIN hh ON hh.id = u.household_id
                    WHERE u.kind = $2 AND u.date BETWEEN $3 AND $4 AND NOT EXISTS (
                      SELECT 1 FROM daily_use_dirty x WHERE x.household_id = u.household_id AND x.kind = u.kind AND x.date = u.date AND x.marked_at > u.computed_at)
                    GROUP BY u.date)
     SELECT to_char(d::date, 'YYYY-MM-DD') AS date FROM generate_series($3::date, $4::date, interval '1 day') AS d
     LEFT JOIN fresh ON fresh.date = d::date WHERE coalesce(fresh.n, 0) < (SELECT count(*) FROM hh) ORDER BY 1`,
    [neighbourhoodId, kind, from, to],
  );
  return rows.map((row) => row.date);
}

/** Writes rollups computed at `computedAt` (database time), replacing older ones. */
export async function upsertDailyUse(
  q: Queryable,
  kind: MeterKind,
  computedAt: Date,
  rows: { householdIds: string[]; dates: string[]; uses: number[]; hasData: boolean[] },
): Promise<void> {
  await q.query(
    `INSERT INTO daily_use (household_id, kind, date, use, excluded, has_data, computed_at)
     SELECT r.household_id, $1, r.date, r.use, 0, r.has_data, $2 FROM unnest($3::text[], $4::date[], $5::float8[], $6::bool[]) AS r(household_id, date, use, has_data)
     ON CONFLICT (household_id, kind, date) DO UPDATE SET use = excluded.use, has_data = excluded.has_data, computed_at = excluded.computed_at`,
    [kind, computedAt, rows.householdIds, rows.dates, rows.uses, rows.hasData],
  );
}

export async function markDatesVerified(
  q: Queryable,
  neighbourhoodId: string,
  kind: MeterKind,
  dates: readonly string[],
  households: number,
  verifiedAt: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO daily_use_verified (neighbourhood_id, kind, date, households, verified_at)
     SELECT $1, $2, d, $3, $4 FROM unnest($5::date[]) AS d
     ON CONFLICT (neighbourhood_id, kind, date) DO UPDATE SET households = excluded.households, verified_at = excluded.verified_at`,
    [neighbourhoodId, kind, households, verifiedAt, dates],
  );
}

/** Fresh statistics after a big fill keep the planner on a hash aggregate, not a sort on disk. */
export async function analyzeDailyUse(db: Pick<Database, 'exec'>): Promise<void> {
  await db.exec('ANALYZE daily_use');
}

export async function deleteDirtyMarksOf(q: Queryable, householdId: string): Promise<void> {
  await q.query('DELETE FROM daily_use_dirty WHERE household_id = $1', [householdId]);
}
