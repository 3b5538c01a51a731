// The daily_use rollups (migration 003): which days are settled, and how ingest marks days
// dirty after writing readings that change them.
import type { Database } from './database.ts';

/** A day is settled (and may be kept in daily_use) once it ended this long ago. */
export const SETTLE_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;
const MAX_DATES_PER_SPAN = 400;

/** The time a meter's new reading can change: from its previous reading (or itself, if later) to itself. */
export interface TouchedSpan {
  household: string;
  kind: string;
  from: number;
  to: number;
}

/**
 * Marks dirty the days that `spans` can change and that may already be rolled up. UTC dates a
 * day wider on each side cover any local day.
 */
export async function markTouchedDaysDirty(db: Database, spans: Iterable<TouchedSpan>, now: number): Promise<number> {
  const settledBefore = now - SETTLE_MS;
  const keys = new Map<string, [string, string, string]>();
  for (const span of spans) {
    // A day the span can change ends after span.from; if that is after settledBefore, the day is not settled.
    if (span.from >= settledBefore) continue;
    const last = Math.min(span.to, settledBefore) + DAY_MS;
    let count = 0;
    for (let t = span.from - DAY_MS; t <= last && count < MAX_DATES_PER_SPAN; t += DAY_MS, count++) {
      const date = new Date(t).toISOString().slice(0, 10);
      keys.set(`${span.household}|${span.kind}|${date}`, [span.household, span.kind, date]);
    }
  }
  if (keys.size === 0) return 0;
  const rows = [...keys.values()];
  await db.query(
    `INSERT INTO daily_use_dirty (household_id, kind, date, marked_at)
     SELECT k.household_id, k.kind, k.date, now() FROM unnest($1::text[], $2::text[], $3::date[]) AS k(household_id, kind, date)
     ON CONFLICT (household_id, kind, date) DO UPDATE SET marked_at = now()`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
  return rows.length;
}
