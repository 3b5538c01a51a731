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
 * day wider on each side cover any local day. One row of parameters per span, its first and
 * last UTC day as day numbers since 1970 (PostgreSQL expands them to dates): a backlog batch
 * touches thousands of household-days, and sending each date as text was most of this call's
 * cost. Returns how many spans were marked.
 */
export async function markTouchedDaysDirty(db: Database, spans: Iterable<TouchedSpan>, now: number): Promise<number> {
  const settledBefore = now - SETTLE_MS;
  const households: string[] = [];
  const kinds: string[] = [];
  const firsts: number[] = [];
  const lasts: number[] = [];
  for (const span of spans) {
    // A day the span can change ends after span.from; if that is after settledBefore, the day is not settled.
    if (span.from >= settledBefore) continue;
    const first = span.from - DAY_MS;
    const last = Math.min(Math.min(span.to, settledBefore) + DAY_MS, first + (MAX_DATES_PER_SPAN - 1) * DAY_MS);
    households.push(span.household);
    kinds.push(span.kind);
    firsts.push(Math.floor(first / DAY_MS));
    lasts.push(Math.floor(last / DAY_MS));
  }
  if (households.length === 0) return 0;
  await db.query(
    `INSERT INTO daily_use_dirty (household_id, kind, date, marked_at)
     SELECT DISTINCT s.household_id, s.kind, d::date, now()
       FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS s(household_id, kind, first, last),
            generate_series(date '1970-01-01' + s.first, date '1970-01-01' + s.last, interval '1 day') AS d
     ON CONFLICT (household_id, kind, date) DO UPDATE SET marked_at = now()`,
    [households, kinds, firsts, lasts],
  );
  return households.length;
}
